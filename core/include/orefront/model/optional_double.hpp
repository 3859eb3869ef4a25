#pragma once
// An optional double in 8 bytes: NaN stands for "no value". std::optional<double> takes 16, and
// the per-deposit records (analysis::Measurement) hold four of them for a million deposits and
// more. For quantities that are never NaN (distances, grades, tonnages): assigning NaN reads
// back as no value. Converts to and from std::optional<double>, so code written for one reads
// the other.
#include <cmath>
#include <limits>
#include <optional>
#include <stdexcept>

namespace orefront::model {

class OptionalDouble {
public:
    constexpr OptionalDouble() = default;
    constexpr OptionalDouble(std::nullopt_t) {}
    constexpr OptionalDouble(double v) : m_v(v) {}
    constexpr OptionalDouble(const std::optional<double> &v) : m_v(v ? *v : kNone) {}

    bool has_value() const { return !std::isnan(m_v); }
    explicit operator bool() const { return has_value(); }
    const double &operator*() const { return m_v; }
    double value() const {
        if (!has_value())
            throw std::bad_optional_access();
        return m_v;
    }
    double value_or(double other) const { return has_value() ? m_v : other; }
    void reset() { m_v = kNone; }
    operator std::optional<double>() const { return has_value() ? std::optional<double>(m_v) : std::nullopt; }

    friend bool operator==(const OptionalDouble &a, const OptionalDouble &b) {
        return a.has_value() == b.has_value() && (!a.has_value() || a.m_v == b.m_v);
    }
    friend bool operator==(const OptionalDouble &a, std::nullopt_t) { return !a.has_value(); }

private:
    static constexpr double kNone = std::numeric_limits<double>::quiet_NaN();
    double m_v = kNone;
};

} // namespace orefront::model
