#include "orefront/model/scenario.hpp"

#include "orefront/model/iso3166.hpp"

#include <algorithm>
#include <cctype>
#include <strings.h>

namespace orefront::model {

namespace {
constexpr std::pair<Severity, const char *> kSeverities[] = {{Severity::Block, "block"},
                                                             {Severity::Marginal, "marginal"},
                                                             {Severity::Info, "info"},
                                                             {Severity::Off, "off"}};

} // namespace

const char *severityName(Severity s) {
    for (auto [sev, name] : kSeverities)
        if (sev == s)
            return name;
    return "info";
}

std::optional<Severity> severityFromName(const std::string &s) {
    for (auto [sev, name] : kSeverities)
        if (strcasecmp(name, s.c_str()) == 0)
            return sev;
    return std::nullopt;
}

std::string Scenario::countryCode(const std::string &value) const {
    std::string key = value;
    std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return std::toupper(c); });
    if (key.empty())
        return {};
    if (jurisdictions.count(key))
        return key;
    // The table's own names and aliases first (a scenario may name a region ISO does not),
    // then every ISO 3166-1 code and name.
    const std::string folded = iso3166::normalizeName(value);
    for (const auto &[code, j] : jurisdictions) {
        if (iso3166::normalizeName(j.name) == folded)
            return code;
        for (const auto &alias : j.aliases)
            if (iso3166::normalizeName(alias) == folded)
                return code;
    }
    return iso3166::resolve(value).value_or(std::string());
}

const Jurisdiction *Scenario::jurisdiction(const std::string &value) const {
    const auto it = jurisdictions.find(countryCode(value));
    return it == jurisdictions.end() ? nullptr : &it->second;
}

} // namespace orefront::model
