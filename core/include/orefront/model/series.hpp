#pragma once
// The time axis: calendar dates, and the series form of a hostile or front layer (a set of
// dated snapshot files, or one layer whose features carry their date or validity range).
// Pure values; reading a series from disk and resolving a scenario at a date is in
// io/series_io.hpp.
#include <compare>
#include <optional>
#include <string>
#include <string_view>

namespace orefront::model {

// A proleptic Gregorian calendar date, held as days since 1970-01-01 so that day steps and
// differences are integer arithmetic. Value type; every function is pure and thread-safe.
class Date {
public:
    Date() = default;
    static Date fromDays(long days) { return Date(days); }
    // Throws std::invalid_argument on a day that does not exist (2025-02-30).
    static Date fromYmd(int year, int month, int day);
    // "2025-08-01" (ISO 8601 calendar date, exactly 10 characters); nullopt for anything else,
    // including days that do not exist.
    static std::optional<Date> parseIso(std::string_view text);

    long days() const { return m_days; }
    int year() const;
    int month() const;       // 1..12
    int day() const;         // 1..31
    std::string iso() const; // "2025-08-01"

    Date addDays(long n) const { return Date(m_days + n); }
    // The same day `n` months on, clamped to the month's last day (2024-01-31 + 1 month =
    // 2024-02-29).
    Date addMonths(int n) const;
    long operator-(const Date &o) const { return m_days - o.m_days; }
    auto operator<=>(const Date &) const = default;

private:
    explicit Date(long days) : m_days(days) {}
    long m_days = 0;
};

bool isValidYmd(int year, int month, int day);

// Reads a date from a file name with a strftime-like pattern: %Y (4 digits), %m and %d
// (2 digits), %% (a percent sign); every other character must match itself. The pattern
// matches anywhere in `name` (so "deepstatemap_data_%Y%m%d" reads
// "deepstatemap_data_20240708.geojson"). nullopt when it does not match or the date does not
// exist. Throws std::invalid_argument for a pattern without %Y, %m and %d, or with another
// directive.
std::optional<Date> dateFromName(std::string_view name, std::string_view pattern);

// Reads a date from an attribute value as layers write them: "2025-08-01", "2025/08/01",
// "2025-08-01T12:00:00Z" (the date part), "20250801". nullopt for anything else.
std::optional<Date> parseDateValue(std::string_view text);

// How a hostile or front layer is dated (the scenario key `series`).
//  None:       one moment (the layer's `date`, if any).
//  Snapshots:  `source` is a glob; each matching file is one snapshot, dated by its name
//              through `date_pattern`.
//  DateField:  one layer; each feature's `date_field` holds the snapshot date it belongs to.
//  ValidRange: one layer; a feature is in force from `valid_from_field` to `valid_to_field`,
//              both inclusive; an empty valid-to means still in force.
enum class SeriesForm { None, Snapshots, DateField, ValidRange };
const char *seriesFormName(SeriesForm f); // "", "snapshots", "date_field", "valid_range"
std::optional<SeriesForm> seriesFormFromName(const std::string &s);

} // namespace orefront::model
