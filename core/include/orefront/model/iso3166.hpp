#pragma once
// ISO 3166-1 country names and codes, from Debian's iso-codes package (embedded at build time
// by core/embed_iso3166.cmake), and the resolution of a free-text country value to its
// alpha-3 code. Pure data; every function is thread-safe.
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace orefront::model::iso3166 {

struct Country {
    const char *alpha2;       // "RU"
    const char *alpha3;       // "RUS"
    const char *numeric;      // "643"
    const char *name;         // "Russian Federation"
    const char *officialName; // "" when iso-codes gives none
    const char *commonName;   // "" when iso-codes gives none ("Vietnam" for Viet Nam)
};

// Every ISO 3166-1 entry of iso-codes (249 in iso-codes 4.15).
const std::vector<Country> &countries();

// A name folded for comparison: lower case, Latin accents removed ("Côte" -> "cote"), every
// run of punctuation or spaces one space, trimmed: "Côte d’Ivoire" -> "cote d ivoire".
// Non-Latin letters (Cyrillic, ...) are kept as they are.
std::string normalizeName(std::string_view text);

// The alpha-3 code of a country value written as an alpha-2, alpha-3 or numeric code
// ("643" or "68" for "068"), or as its ISO name, official name, common name, or one of a few
// common English names that ISO does not list ("Russia", "Burma", "Turkey", "Ivory Coast",
// "Congo (Zaire)"), compared after normalizeName(). nullopt when it is none of these.
std::optional<std::string> resolve(std::string_view value);

// The ISO short name of an alpha-3 code ("Russian Federation"), or "" if unknown.
std::string nameOf(std::string_view alpha3);

} // namespace orefront::model::iso3166
