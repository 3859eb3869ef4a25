#include "orefront/model/series.hpp"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <stdexcept>

namespace orefront::model {

namespace {

// Howard Hinnant's days_from_civil / civil_from_days (public domain), proleptic Gregorian.
long daysFromCivil(int y, unsigned m, unsigned d) {
    y -= m <= 2;
    const long era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = static_cast<unsigned>(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + static_cast<long>(doe) - 719468;
}

struct Ymd {
    int y;
    int m;
    int d;
};

Ymd civilFromDays(long z) {
    z += 719468;
    const long era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = static_cast<unsigned>(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const long y = static_cast<long>(yoe) + era * 400;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    return {static_cast<int>(y + (m <= 2)), static_cast<int>(m), static_cast<int>(d)};
}

int daysInMonth(int y, int m) {
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 && leap ? 29 : days[m - 1];
}

// `n` decimal digits at text[pos], or -1.
int digits(std::string_view text, std::size_t pos, int n) {
    if (pos + static_cast<std::size_t>(n) > text.size())
        return -1;
    int v = 0;
    for (int i = 0; i < n; ++i) {
        const char c = text[pos + static_cast<std::size_t>(i)];
        if (!std::isdigit(static_cast<unsigned char>(c)))
            return -1;
        v = v * 10 + (c - '0');
    }
    return v;
}

std::optional<Date> matchAt(std::string_view name, std::size_t pos, std::string_view pattern) {
    int y = -1, m = -1, d = -1;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        if (pattern[i] == '%' && i + 1 < pattern.size() && pattern[i + 1] != '%') {
            const char c = pattern[++i];
            const int width = c == 'Y' ? 4 : 2;
            const int v = digits(name, pos, width);
            if (v < 0)
                return std::nullopt;
            (c == 'Y' ? y : c == 'm' ? m : d) = v;
            pos += static_cast<std::size_t>(width);
            continue;
        }
        if (pattern[i] == '%')
            ++i; // "%%"
        if (pos >= name.size() || name[pos] != pattern[i])
            return std::nullopt;
        ++pos;
    }
    if (!isValidYmd(y, m, d))
        return std::nullopt;
    return Date::fromYmd(y, m, d);
}

} // namespace

bool isValidYmd(int year, int month, int day) {
    return year >= 1 && year <= 9999 && month >= 1 && month <= 12 && day >= 1 &&
           day <= daysInMonth(year, month);
}

Date Date::fromYmd(int year, int month, int day) {
    if (!isValidYmd(year, month, day))
        throw std::invalid_argument("no such date: " + std::to_string(year) + "-" + std::to_string(month) +
                                    "-" + std::to_string(day));
    return Date(daysFromCivil(year, static_cast<unsigned>(month), static_cast<unsigned>(day)));
}

std::optional<Date> Date::parseIso(std::string_view t) {
    if (t.size() != 10 || t[4] != '-' || t[7] != '-')
        return std::nullopt;
    const int y = digits(t, 0, 4), m = digits(t, 5, 2), d = digits(t, 8, 2);
    if (y < 0 || m < 0 || d < 0 || !isValidYmd(y, m, d))
        return std::nullopt;
    return fromYmd(y, m, d);
}

int Date::year() const {
    return civilFromDays(m_days).y;
}
int Date::month() const {
    return civilFromDays(m_days).m;
}
int Date::day() const {
    return civilFromDays(m_days).d;
}

std::string Date::iso() const {
    const Ymd c = civilFromDays(m_days);
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", c.y, c.m, c.d);
    return buf;
}

Date Date::addMonths(int n) const {
    const Ymd c = civilFromDays(m_days);
    const int index = c.y * 12 + (c.m - 1) + n;
    const int y = index / 12, m = index % 12 + 1;
    return fromYmd(y, m, std::min(c.d, daysInMonth(y, m)));
}

std::optional<Date> dateFromName(std::string_view name, std::string_view pattern) {
    bool hasY = false, hasM = false, hasD = false;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        if (pattern[i] != '%')
            continue;
        const char c = i + 1 < pattern.size() ? pattern[i + 1] : '\0';
        if (c == 'Y' || c == 'm' || c == 'd')
            (c == 'Y' ? hasY : c == 'm' ? hasM : hasD) = true;
        else if (c != '%')
            throw std::invalid_argument("date_pattern '" + std::string(pattern) + "': unknown directive '%" +
                                        std::string(1, c) + "' (use %Y, %m, %d and %%)");
        ++i;
    }
    if (!hasY || !hasM || !hasD)
        throw std::invalid_argument("date_pattern '" + std::string(pattern) + "' needs %Y, %m and %d");
    for (std::size_t pos = 0; pos < name.size(); ++pos)
        if (auto d = matchAt(name, pos, pattern))
            return d;
    return std::nullopt;
}

std::optional<Date> parseDateValue(std::string_view t) {
    while (!t.empty() && std::isspace(static_cast<unsigned char>(t.front())))
        t.remove_prefix(1);
    while (!t.empty() && std::isspace(static_cast<unsigned char>(t.back())))
        t.remove_suffix(1);
    if (t.size() == 8) {
        const int y = digits(t, 0, 4), m = digits(t, 4, 2), d = digits(t, 6, 2);
        if (y < 0 || m < 0 || d < 0 || !isValidYmd(y, m, d))
            return std::nullopt;
        return Date::fromYmd(y, m, d);
    }
    if (t.size() > 10 && (t[10] == 'T' || t[10] == ' '))
        t = t.substr(0, 10);
    if (t.size() != 10 || !(t[4] == t[7] && (t[4] == '-' || t[4] == '/')))
        return std::nullopt;
    const int y = digits(t, 0, 4), m = digits(t, 5, 2), d = digits(t, 8, 2);
    if (y < 0 || m < 0 || d < 0 || !isValidYmd(y, m, d))
        return std::nullopt;
    return Date::fromYmd(y, m, d);
}

const char *seriesFormName(SeriesForm f) {
    switch (f) {
    case SeriesForm::Snapshots:
        return "snapshots";
    case SeriesForm::DateField:
        return "date_field";
    case SeriesForm::ValidRange:
        return "valid_range";
    case SeriesForm::None:
        break;
    }
    return "";
}

std::optional<SeriesForm> seriesFormFromName(const std::string &s) {
    for (SeriesForm f : {SeriesForm::Snapshots, SeriesForm::DateField, SeriesForm::ValidRange})
        if (s == seriesFormName(f))
            return f;
    return std::nullopt;
}

} // namespace orefront::model
