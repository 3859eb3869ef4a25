#include "orefront/model/scenario.hpp"

#include <algorithm>
#include <cctype>
#include <strings.h>

namespace orefront::model {

namespace {
constexpr std::pair<Severity, const char *> kSeverities[] = {{Severity::Block, "block"},
                                                             {Severity::Marginal, "marginal"},
                                                             {Severity::Info, "info"},
                                                             {Severity::Off, "off"}};

// ISO 3166-1 alpha-2 -> alpha-3 for the jurisdictions a rare-earth analyst meets most.
constexpr std::pair<const char *, const char *> kIso2To3[] = {
    {"UA", "UKR"}, {"RU", "RUS"}, {"CN", "CHN"}, {"US", "USA"}, {"AU", "AUS"}, {"CA", "CAN"}, {"GL", "GRL"},
    {"BR", "BRA"}, {"VN", "VNM"}, {"MY", "MYS"}, {"ZA", "ZAF"}, {"TZ", "TZA"}, {"NA", "NAM"}, {"SE", "SWE"},
    {"NO", "NOR"}, {"KZ", "KAZ"}, {"IN", "IND"}, {"MM", "MMR"}, {"PL", "POL"}, {"RO", "ROU"}, {"BY", "BLR"},
    {"MD", "MDA"}, {"SK", "SVK"}, {"HU", "HUN"}, {"DK", "DNK"}, {"MG", "MDG"}, {"MW", "MWI"}, {"KR", "KOR"},
    {"JP", "JPN"}, {"DE", "DEU"}, {"FI", "FIN"}, {"TR", "TUR"}, {"MN", "MNG"}, {"UZ", "UZB"}, {"UG", "UGA"},
};
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

const Jurisdiction *Scenario::jurisdiction(const std::string &code) const {
    std::string key = code;
    std::transform(key.begin(), key.end(), key.begin(), [](unsigned char c) { return std::toupper(c); });
    if (key.size() == 2)
        for (auto [a2, a3] : kIso2To3)
            if (key == a2)
                key = a3;
    auto it = jurisdictions.find(key);
    if (it != jurisdictions.end())
        return &it->second;
    for (const auto &[k, j] : jurisdictions)
        if (strcasecmp(j.name.c_str(), code.c_str()) == 0)
            return &j;
    return nullptr;
}

} // namespace orefront::model
