#include "orefront/model/iso3166.hpp"

#include <algorithm>
#include <charconv>
#include <unordered_map>

namespace orefront::model::iso3166 {

namespace {

// U+00C0..U+017F (Latin-1 Supplement and Latin Extended-A) folded to lower-case ASCII, from
// Unicode NFKD with the combining marks dropped (plus ae, ss, oe, th for the letters NFKD
// keeps whole). × and ÷ become spaces.
constexpr const char *kLatinFold[] = {
    "a", "a", "a",  "a",  "a", "a", "ae", "c",  "e",  "e", "e", "e", "i",  "i",  "i", "i", "d", "n",
    "o", "o", "o",  "o",  "o", " ", "o",  "u",  "u",  "u", "u", "y", "th", "ss", "a", "a", "a", "a",
    "a", "a", "ae", "c",  "e", "e", "e",  "e",  "i",  "i", "i", "i", "d",  "n",  "o", "o", "o", "o",
    "o", " ", "o",  "u",  "u", "u", "u",  "y",  "th", "y", "a", "a", "a",  "a",  "a", "a", "c", "c",
    "c", "c", "c",  "c",  "c", "c", "d",  "d",  "d",  "d", "e", "e", "e",  "e",  "e", "e", "e", "e",
    "e", "e", "g",  "g",  "g", "g", "g",  "g",  "g",  "g", "h", "h", "h",  "h",  "i", "i", "i", "i",
    "i", "i", "i",  "i",  "i", "i", "ij", "ij", "j",  "j", "k", "k", "k",  "l",  "l", "l", "l", "l",
    "l", "l", "l",  "l",  "l", "n", "n",  "n",  "n",  "n", "n", "n", "n",  "n",  "o", "o", "o", "o",
    "o", "o", "oe", "oe", "r", "r", "r",  "r",  "r",  "r", "s", "s", "s",  "s",  "s", "s", "s", "s",
    "t", "t", "t",  "t",  "t", "t", "u",  "u",  "u",  "u", "u", "u", "u",  "u",  "u", "u", "u", "u",
    "w", "w", "y",  "y",  "y", "z", "z",  "z",  "z",  "z", "z", "s"};
static_assert(std::size(kLatinFold) == 0x180 - 0xC0);

// Common English names that ISO 3166 does not list as a name, official or common name, met
// in public deposit databases (the USGS REE occurrences write Russia, Burma, Turkey, Surinam
// and "Congo (Zaire)"). Ambiguous ones ("Korea", "Congo") are deliberately absent.
constexpr std::pair<const char *, const char *> kAliases[] = {
    {"Russia", "RUS"},
    {"Burma", "MMR"},
    {"Turkey", "TUR"},
    {"Surinam", "SUR"},
    {"Congo (Zaire)", "COD"},
    {"Zaire", "COD"},
    {"DR Congo", "COD"},
    {"DRC", "COD"},
    {"Democratic Republic of the Congo", "COD"},
    {"Republic of the Congo", "COG"},
    {"Congo-Brazzaville", "COG"},
    {"Congo-Kinshasa", "COD"},
    {"Iran", "IRN"},
    {"Syria", "SYR"},
    {"Laos", "LAO"},
    {"North Korea", "PRK"},
    {"Moldova", "MDA"},
    {"Czech Republic", "CZE"},
    {"Ivory Coast", "CIV"},
    {"Macedonia", "MKD"},
    {"Swaziland", "SWZ"},
    {"Cape Verde", "CPV"},
    {"East Timor", "TLS"},
    {"Great Britain", "GBR"},
    {"Britain", "GBR"},
    {"UK", "GBR"},
    {"United States of America", "USA"},
    {"Vatican", "VAT"},
    {"Brunei", "BRN"},
    {"Palestine", "PSE"},
    {"Micronesia", "FSM"},
    {"Greenland (Denmark)", "GRL"},
};

bool alnum(unsigned char c) {
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

using Index = std::unordered_map<std::string, std::string>;

const Index &index() {
    static const Index idx = [] {
        Index m;
        // Codes and ISO names first; aliases never override an ISO entry.
        for (const Country &c : countries())
            for (const char *key : {c.alpha2, c.alpha3, c.name, c.officialName, c.commonName})
                if (*key)
                    m.emplace(normalizeName(key), c.alpha3);
        for (auto [alias, a3] : kAliases)
            m.emplace(normalizeName(alias), a3);
        return m;
    }();
    return idx;
}

} // namespace

std::string normalizeName(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    bool space = false;
    auto put = [&](std::string_view s) {
        for (char c : s) {
            if (c == ' ') {
                space = !out.empty();
                continue;
            }
            if (space)
                out += ' ';
            space = false;
            out += c;
        }
    };
    for (std::size_t i = 0; i < text.size();) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c < 0x80) {
            const char lower = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
            put(alnum(c) ? std::string_view(&lower, 1) : std::string_view(" "));
            ++i;
            continue;
        }
        // A two-byte UTF-8 sequence in the Latin range folds; U+00A0 (no-break space) and
        // U+2019-style punctuation are separators; anything else is kept byte for byte.
        if ((c & 0xE0) == 0xC0 && i + 1 < text.size()) {
            const unsigned cp = ((c & 0x1Fu) << 6) | (static_cast<unsigned char>(text[i + 1]) & 0x3Fu);
            if (cp >= 0xC0 && cp < 0x180)
                put(kLatinFold[cp - 0xC0]);
            else if (cp == 0xA0 || (cp >= 0xA1 && cp < 0xC0))
                put(" ");
            else
                put(text.substr(i, 2));
            i += 2;
            continue;
        }
        if (c == 0xE2 && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x80) {
            put(" "); // U+2000..U+203F: typographic spaces, dashes, quotes
            i += 3;
            continue;
        }
        std::size_t len = (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 1;
        len = std::min(len, text.size() - i);
        put(text.substr(i, len));
        i += len;
    }
    return out;
}

std::optional<std::string> resolve(std::string_view value) {
    const std::string key = normalizeName(value);
    if (key.empty())
        return std::nullopt;
    if (std::all_of(key.begin(), key.end(), [](char c) { return c >= '0' && c <= '9'; })) {
        // Numeric codes, also when a number field dropped the leading zeros ("68" for "068").
        int n = -1;
        std::from_chars(key.data(), key.data() + key.size(), n);
        for (const Country &c : countries()) {
            int m = -2;
            std::from_chars(c.numeric, c.numeric + std::char_traits<char>::length(c.numeric), m);
            if (m == n)
                return std::string(c.alpha3);
        }
        return std::nullopt;
    }
    const auto &idx = index();
    if (const auto it = idx.find(key); it != idx.end())
        return it->second;
    return std::nullopt;
}

std::string nameOf(std::string_view alpha3) {
    for (const Country &c : countries())
        if (alpha3 == c.alpha3)
            return c.name;
    return {};
}

} // namespace orefront::model::iso3166
