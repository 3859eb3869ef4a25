#include "orefront/rules/rules.hpp"

#include "orefront/model/error.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <unordered_map>

namespace orefront::rules {

using model::Severity;

const char *verdictName(Verdict v) {
    switch (v) {
    case Verdict::Investable:
        return "investable";
    case Verdict::Marginal:
        return "marginal";
    case Verdict::NotInvestable:
        return "not_investable";
    case Verdict::Unknown:
        break;
    }
    return "unknown";
}

const std::vector<std::pair<std::string, Severity>> &ruleCatalogue() {
    // Defaults follow the brief: what makes a mine impossible blocks; what only raises
    // its cost or risk makes it marginal.
    static const std::vector<std::pair<std::string, Severity>> rules = {
        {"occupied", Severity::Block},           // under hostile control
        {"contested", Severity::Marginal},       // in a grey zone
        {"within_standoff", Severity::Block},    // inside the standoff distance
        {"ring_exposure", Severity::Marginal},   // beyond standoff, inside a range ring
        {"grade_below_cutoff", Severity::Block}, // < ~2 % TREO is not commercial
        {"unknown_grade", Severity::Marginal},
        {"sanctioned_jurisdiction", Severity::Block},
        {"property_rights_risk", Severity::Block},        // nationalisation of foreign assets
        {"no_grid_power", Severity::Marginal},            // the project must build its own plant
        {"remote_from_trade_routes", Severity::Marginal}, // far from a sea port
        {"remote_from_rail", Severity::Info},
        {"reserve_too_small_for_capex", Severity::Marginal}, // $500-700 M capex not covered
        {"no_processing_access", Severity::Info},            // separation technology held by China
        {"unknown_jurisdiction", Severity::Info},
    };
    return rules;
}

Severity severityOf(const model::Scenario &s, const std::string &rule) {
    if (auto it = s.severities.find(rule); it != s.severities.end())
        return it->second;
    for (const auto &[id, sev] : ruleCatalogue())
        if (id == rule)
            return sev;
    return Severity::Info;
}

namespace {

std::string num(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%g", v);
    return buf;
}

std::string fixed(double v, int digits) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.*f", digits, v);
    return buf;
}

} // namespace

// Reason codes live here for the life of the process: reports hold ids into it, so a live
// re-evaluation allocates nothing per reason. It only grows by the distinct ring distances a
// user has tried. Readers look codes up by id without a lock: a slot is written before the
// count that publishes it.
namespace {
constexpr std::size_t kMaxReasonCodes = 65536;
std::mutex g_reasonMutex;
std::array<std::string_view, kMaxReasonCodes> g_reasonCodes;
std::atomic<std::size_t> g_reasonCount{0};
} // namespace

std::uint16_t internReason(std::string_view code) {
    static std::map<std::string, std::uint16_t, std::less<>> index;
    static std::deque<std::string> storage;
    std::lock_guard lock(g_reasonMutex);
    if (const auto it = index.find(code); it != index.end())
        return it->second;
    const std::size_t id = g_reasonCount.load(std::memory_order_relaxed);
    if (id >= kMaxReasonCodes)
        throw std::length_error("more than 65536 distinct reason codes");
    g_reasonCodes[id] = storage.emplace_back(code);
    index.emplace(storage.back(), static_cast<std::uint16_t>(id));
    g_reasonCount.store(id + 1, std::memory_order_release);
    return static_cast<std::uint16_t>(id);
}

std::string_view reasonCode(std::uint16_t id) {
    return id < g_reasonCount.load(std::memory_order_acquire) ? g_reasonCodes[id] : std::string_view();
}

void ReasonList::push_back(std::uint16_t id) {
    if (m_size == kCapacity)
        throw std::length_error("more than 16 reasons for one deposit");
    m_ids[m_size++] = id;
}

bool ReasonList::contains(std::string_view code) const {
    return std::find(begin(), end(), code) != end();
}

namespace {

int resolveField(const model::Layer &layer, const std::string &explicitName, const char *defaultName,
                 const char *key) {
    if (explicitName.empty())
        return layer.fieldIndex(defaultName);
    const int idx = layer.fieldIndex(explicitName);
    if (idx < 0) {
        throw InputError(layer.describe() + ": no field '" + explicitName + "' (its " + key +
                         "); fields are: " + layer.fieldNames());
    }
    return idx;
}

} // namespace

std::vector<DepositFacts> readFacts(const model::Layer &deposits, const model::LayerSpec &spec) {
    const int nameIdx = resolveField(deposits, spec.nameField, "name", "name_field");
    const int countryIdx = resolveField(deposits, spec.countryField, "country", "country_field");
    const int gradeIdx = resolveField(deposits, spec.gradeField, "grade_treo_pct", "grade_field");
    const int tonnageIdx = resolveField(deposits, spec.tonnageField, "tonnage_mt", "tonnage_field");
    std::vector<DepositFacts> out(deposits.features.size());
    for (std::size_t i = 0; i < out.size(); ++i) {
        const auto &f = deposits.features[i];
        DepositFacts &d = out[i];
        d.name = nameIdx >= 0 ? model::toString(f.attributes[nameIdx]) : "";
        if (d.name.empty())
            d.name = "feature " + std::to_string(f.fid);
        if (countryIdx >= 0)
            d.country = model::toString(f.attributes[countryIdx]);
        auto numeric = [&](int idx, const char *what) -> std::optional<double> {
            if (idx < 0 || std::holds_alternative<std::monostate>(f.attributes[idx]))
                return std::nullopt;
            const std::string text = model::toString(f.attributes[idx]);
            if (text.empty())
                return std::nullopt;
            auto v = model::toNumber(f.attributes[idx]);
            if (!v || !std::isfinite(*v))
                throw InputError(deposits.describe() + ", feature " + std::to_string(f.fid) + " ('" + d.name +
                                 "'): " + what + " '" + text + "' is not a number");
            return v;
        };
        d.gradePct = numeric(gradeIdx, "grade");
        d.tonnageMt = numeric(tonnageIdx, "tonnage");
    }
    return out;
}

Report evaluate(const model::Scenario &scenario, const std::vector<DepositFacts> &facts,
                const analysis::Measurements &m, bool withDetails) {
    const model::Thresholds &th = scenario.thresholds;
    // Severities resolved once, not per deposit.
    // Severities by catalogue position (the add() calls below use the same order).
    std::vector<Severity> sev;
    for (const auto &[id, def] : ruleCatalogue())
        sev.push_back(severityOf(scenario, id));
    std::vector<double> rings = th.ringsKm;
    std::sort(rings.begin(), rings.end());
    // Reason codes and jurisdictions looked up once, not per deposit.
    struct Code {
        std::uint16_t id = 0;
        std::string_view text;
    };
    const auto code = [](const std::string &text) {
        const std::uint16_t id = internReason(text);
        return Code{id, reasonCode(id)};
    };
    // By catalogue position; the range rules' codes depend on the distances.
    const std::array<Code, 14> ruleCodes = {code("occupied"),
                                            code("contested_zone"),
                                            Code{},
                                            Code{},
                                            code("grade_below_cutoff"),
                                            code("unknown_grade"),
                                            code("sanctioned_jurisdiction"),
                                            code("property_rights_risk"),
                                            code("no_grid_power"),
                                            code("remote_from_trade_routes"),
                                            code("remote_from_rail"),
                                            code("reserve_too_small_for_capex"),
                                            code("no_processing_access"),
                                            code("unknown_jurisdiction")};
    std::vector<Code> ringCodes;
    for (double r : rings)
        ringCodes.push_back(code("within_range_" + num(r) + "km"));
    const Code standoffCode = code("within_range_" + num(th.standoffKm) + "km");
    // Per distinct country string: its jurisdiction and verdict counts (one hash per deposit).
    struct CountryInfo {
        const model::Jurisdiction *jurisdiction = nullptr;
        std::array<int, 4> counts{};
    };
    std::unordered_map<std::string, CountryInfo> countries;

    Report report;
    report.deposits.resize(facts.size());
    for (std::size_t i = 0; i < facts.size(); ++i) {
        const DepositFacts &f = facts[i];
        const analysis::Measurement *meas = i < m.perDeposit.size() ? &m.perDeposit[i] : nullptr;
        DepositVerdict &d = report.deposits[i];
        d.name = f.name;
        d.country = f.country;
        d.gradePct = f.gradePct;
        d.tonnageMt = f.tonnageMt;

        // The human text (`detail`, a callable) and the per-rule outcome list are built only
        // with details: a live re-evaluation of 100k deposits then makes no per-rule
        // allocations and stays well inside a frame budget.
        bool block = false, marginal = false;
        auto add = [&](std::size_t rule, const Code &code, bool evaluated, bool fired, auto &&detail) {
            const Severity s = sev[rule];
            if (s == Severity::Off)
                return;
            if (evaluated && fired) {
                d.reasons.push_back(code.id);
                block |= s == Severity::Block;
                marginal |= s == Severity::Marginal;
            }
            if (withDetails)
                d.outcomes.push_back({ruleCatalogue()[rule].first, std::string(code.text), s,
                                      evaluated && fired, evaluated, std::string(detail())});
        };

        // Exposure to hostile fire.
        const bool haveDistance = meas && meas->frontDistanceKm.has_value();
        const double dist = haveDistance ? *meas->frontDistanceKm : INFINITY;
        std::size_t ringIndex = rings.size();
        for (std::size_t k = 0; k < rings.size() && haveDistance; ++k)
            if (dist <= rings[k]) {
                d.ringKm = rings[k];
                ringIndex = k;
                break;
            }
        add(0 /* occupied */, ruleCodes[0], meas != nullptr, meas && meas->occupied,
            [&] { return "inside hostile-controlled territory"; });
        add(1 /* contested */, ruleCodes[1], meas != nullptr, meas && meas->contested,
            [&] { return "inside a contested zone"; });
        const Code &rangeCode = d.ringKm ? ringCodes[ringIndex] : standoffCode;
        const std::string distText = !withDetails   ? std::string()
                                     : haveDistance ? fixed(dist, 1) + " km from hostile positions"
                                                    : "no hostile layer";
        add(2 /* within_standoff */, rangeCode, haveDistance, dist <= th.standoffKm,
            [&] { return distText + "; standoff " + num(th.standoffKm) + " km"; });
        add(3 /* ring_exposure */, d.ringKm ? rangeCode : Code{}, haveDistance,
            d.ringKm.has_value() && dist > th.standoffKm, [&] {
                return distText + "; rings " + [&] {
                    std::string s;
                    for (double r : rings)
                        s += (s.empty() ? "" : "/") + num(r);
                    return s;
                }() + " km";
            });

        // Ore.
        add(4 /* grade_below_cutoff */, ruleCodes[4], f.gradePct.has_value(),
            f.gradePct && *f.gradePct < th.gradeCutoffPct, [&] {
                return (f.gradePct ? "grade " + num(*f.gradePct) + " %" : std::string("grade unknown")) +
                       "; cut-off " + num(th.gradeCutoffPct) + " % TREO";
            });
        add(5 /* unknown_grade */, ruleCodes[5], true, !f.gradePct.has_value(),
            [&] { return "no published TREO grade"; });

        // Jurisdiction.
        auto found = countries.find(f.country);
        if (found == countries.end())
            found = countries.emplace(f.country, CountryInfo{scenario.jurisdiction(f.country)}).first;
        const model::Jurisdiction *j = found->second.jurisdiction;
        const std::string jname = !withDetails ? std::string()
                                  : j          ? j->name
                                               : (f.country.empty() ? std::string("no country") : f.country);
        add(6 /* sanctioned_jurisdiction */, ruleCodes[6], j != nullptr, j && j->sanctioned,
            [&] { return jname + (j && j->sanctioned ? " is under sanctions" : ""); });
        add(7 /* property_rights_risk */, ruleCodes[7], j != nullptr, j && j->propertyRightsRisk, [&] {
            return jname + (j && j->propertyRightsRisk ? ": foreign assets at risk of seizure" : "");
        });

        // Infrastructure.
        // Where the grid works it delivers power; where it is damaged only a plant close by
        // (from the power layer) spares the project building its own; "none" never does.
        const bool havePower = meas && meas->powerKm.has_value();
        const bool farFromPower = !havePower || *meas->powerKm > th.maxPowerDistanceKm;
        const bool noPower =
            j ? (j->grid == "none" || (j->grid == "damaged" && farFromPower)) : (havePower && farFromPower);
        add(8 /* no_grid_power */, ruleCodes[8], j != nullptr || havePower, noPower, [&] {
            return (j ? jname + " grid: " + j->grid : std::string("grid unknown")) +
                   (havePower ? "; nearest plant " + fixed(*meas->powerKm, 0) + " km (max " +
                                    num(th.maxPowerDistanceKm) + " km)"
                              : std::string());
        });
        const bool havePort = meas && meas->portKm.has_value();
        add(9 /* remote_from_trade_routes */, ruleCodes[9], havePort,
            havePort && *meas->portKm > th.maxPortDistanceKm, [&] {
                return havePort ? "nearest port " + fixed(*meas->portKm, 0) + " km (max " +
                                      num(th.maxPortDistanceKm) + " km)"
                                : std::string("no ports layer");
            });
        const bool haveRail = meas && meas->railKm.has_value();
        add(10 /* remote_from_rail */, ruleCodes[10], haveRail,
            haveRail && *meas->railKm > th.maxRailDistanceKm, [&] {
                return haveRail ? "nearest rail hub " + fixed(*meas->railKm, 0) + " km (max " +
                                      num(th.maxRailDistanceKm) + " km)"
                                : std::string("no rail layer");
            });

        // Economics: recoverable TREO value against the initial capital.
        const bool haveEconomics = f.gradePct && f.tonnageMt;
        double valueMusd = 0;
        if (haveEconomics)
            valueMusd = *f.tonnageMt * 1e6 * (*f.gradePct / 100.0) * (th.recoveryPct / 100.0) * 1000.0 *
                        th.basketPriceUsdPerKg / 1e6;
        add(11 /* reserve_too_small_for_capex */, ruleCodes[11], haveEconomics,
            haveEconomics && valueMusd < th.capexMusd * th.capexCoverRatio, [&] {
                return haveEconomics ? "recoverable TREO worth $" + fixed(valueMusd, 0) + " M vs capex $" +
                                           num(th.capexMusd) + " M x " + num(th.capexCoverRatio)
                                     : std::string("tonnage or grade unknown");
            });
        add(12 /* no_processing_access */, ruleCodes[12], j != nullptr, j && !j->processingAccess, [&] {
            return jname + (j && !j->processingAccess ? " has no REE separation capacity of its own" : "");
        });
        add(13 /* unknown_jurisdiction */, ruleCodes[13], true, j == nullptr,
            [&] { return j ? jname : "'" + f.country + "' is not in the jurisdictions table"; });

        d.verdict = block ? Verdict::NotInvestable : marginal ? Verdict::Marginal : Verdict::Investable;
        ++found->second.counts[static_cast<int>(d.verdict)];
    }
    for (const auto &[country, info] : countries)
        for (int v = 0; v < 4; ++v)
            if (info.counts[v]) {
                report.byVerdict[verdictName(static_cast<Verdict>(v))] += info.counts[v];
                report
                    .byCountry[country.empty() ? "(none)" : country][verdictName(static_cast<Verdict>(v))] +=
                    info.counts[v];
            }
    return report;
}

} // namespace orefront::rules
