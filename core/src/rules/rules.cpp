#include "orefront/rules/rules.hpp"
#include "orefront/rules/batches.hpp"

#include "orefront/model/error.hpp"

#include <algorithm>
#include <array>
#include <atomic>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <deque>
#include <exception>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <stdexcept>
#include <string_view>
#include <thread>
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
    static const std::vector<std::pair<std::string, Severity>> rules = [] {
        std::vector<std::pair<std::string, Severity>> out;
        for (const RuleInfo &r : ruleTable())
            out.emplace_back(r.id, r.severity);
        return out;
    }();
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

std::string numericFields(const model::Layer &layer) {
    std::string out;
    for (const auto &f : layer.fields)
        if (f.type == model::FieldType::Integer || f.type == model::FieldType::Real)
            out.append(out.empty() ? "" : ", ").append(f.name);
    return out.empty() ? "(none)" : out;
}

bool sameName(const std::string &a, const std::string &b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

// The cut-off a commodity value is judged by: the first row (in scenario order) whose
// commodity or alias is one of the value's words ("P-REE-Nb" names P, REE and Nb; "Li-Ta" Li
// and Ta). An empty value is REE, the tool's subject (row 0 by construction). -1: none.
int cutoffFor(const std::string &commodity, const std::vector<model::Cutoff> &cutoffs) {
    if (commodity.find_first_not_of(" \t") == std::string::npos)
        return cutoffs.empty() ? -1 : 0;
    std::vector<std::string> words;
    std::string w;
    for (char c : commodity + ' ') {
        if (std::isalnum(static_cast<unsigned char>(c))) {
            w += c;
        } else if (!w.empty()) {
            words.push_back(w);
            w.clear();
        }
    }
    // The whole value too, so an alias with a space ("rare earths") matches.
    words.push_back(commodity);
    for (std::size_t i = 0; i < cutoffs.size(); ++i)
        for (const auto &word : words) {
            if (sameName(word, cutoffs[i].commodity))
                return static_cast<int>(i);
            for (const auto &alias : cutoffs[i].aliases)
                if (sameName(word, alias))
                    return static_cast<int>(i);
        }
    return -1;
}

// fn(begin, end, blocks[w]) for blocks.size() equal slices of [0, n): slice 0 on this thread,
// the others on their own.
template <class Block, class Fn> void onSlices(std::size_t n, std::vector<Block> &blocks, const Fn &fn) {
    const std::size_t workers = blocks.size();
    std::vector<std::thread> pool;
    for (std::size_t w = 1; w < workers; ++w)
        pool.emplace_back(
            [&fn, &blocks, n, w, workers] { fn(n * w / workers, n * (w + 1) / workers, blocks[w]); });
    fn(0, n / workers, blocks[0]);
    for (auto &t : pool)
        t.join();
}

// Each deposit's country from location, deposits [begin, end) on every core: the index is
// immutable and its locate() thread-safe (issue 11: the lookup was most of the rules stage at 1M
// deposits). out[k] is deposit begin + k's.
std::vector<std::string_view> locateAll(const model::Layer &deposits, const analysis::CountryIndex &where,
                                        std::size_t begin, std::size_t end) {
    const std::size_t n = end - begin;
    std::vector<std::string_view> out(n);
    auto run = [&](std::size_t from, std::size_t to) {
        for (std::size_t k = from; k < to; ++k) {
            const model::Geometry &g = deposits.features[begin + k].geometry;
            if (!g.empty())
                out[k] = where.locate(g.isSinglePoint() ? g.points[0] : g.anchor());
        }
    };
    const std::size_t workers =
        std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, std::max<std::size_t>(1, n / 20000));
    std::vector<std::thread> pool;
    for (std::size_t w = 1; w < workers; ++w)
        pool.emplace_back(run, n * w / workers, n * (w + 1) / workers);
    run(0, n / workers);
    for (auto &t : pool)
        t.join();
    return out;
}

} // namespace

std::vector<DepositFacts> readFacts(const model::Layer &deposits, const model::LayerSpec &spec,
                                    const std::vector<model::Cutoff> &cutoffs,
                                    const analysis::CountryIndex *where, std::vector<std::string> *warnings) {
    FactsTally tally;
    std::vector<DepositFacts> out =
        readFacts(deposits, spec, cutoffs, where, 0, deposits.features.size(), tally);
    if (warnings)
        factsWarnings(deposits, cutoffs, tally, *warnings);
    return out;
}

std::vector<DepositFacts> readFacts(const model::Layer &deposits, const model::LayerSpec &spec,
                                    const std::vector<model::Cutoff> &cutoffs,
                                    const analysis::CountryIndex *where, std::size_t begin, std::size_t end,
                                    FactsTally &tally) {
    const int nameIdx = resolveField(deposits, spec.nameField, "name", "name_field");
    const int countryIdx = resolveField(deposits, spec.countryField, "country", "country_field");
    const int tonnageIdx = resolveField(deposits, spec.tonnageField, "tonnage_mt", "tonnage_field");
    const int commodityIdx = resolveField(deposits, spec.commodityField, "commodity", "commodity_field");
    // One grade field per cut-off; the layer's grade_field, when given, is the REE row's.
    std::vector<int> gradeIdx;
    for (std::size_t c = 0; c < cutoffs.size(); ++c)
        gradeIdx.push_back(
            c == 0 ? resolveField(deposits, spec.gradeField, cutoffs[c].gradeField.c_str(), "grade_field")
                   : deposits.fieldIndex(cutoffs[c].gradeField));
    tally.usersOf.resize(cutoffs.size(), 0);
    tally.gradeFieldMissing.resize(cutoffs.size());
    for (std::size_t c = 0; c < cutoffs.size(); ++c)
        tally.gradeFieldMissing[c] = gradeIdx[c] < 0;

    end = std::min(end, deposits.features.size());
    begin = std::min(begin, end);
    std::vector<DepositFacts> out(end - begin);
    const std::vector<std::string_view> located =
        where ? locateAll(deposits, *where, begin, end) : std::vector<std::string_view>{};
    // Blocks of deposits on every core (issue 11), each with its own commodity cache and
    // counts; an error is the first deposit's in file order, as one pass would throw it.
    struct Block {
        std::unordered_map<std::string, int> cutoffOf; // per distinct commodity value
        std::vector<std::size_t> usersOf;
        std::size_t countryNA = 0; // "NA": Namibia's alpha-2 code, or a spreadsheet's "not available"
        std::exception_ptr error;
    };
    auto readBlock = [&](std::size_t from, std::size_t to, Block &b) {
        b.usersOf.assign(cutoffs.size(), 0);
        try {
            for (std::size_t k = from; k < to; ++k) {
                const auto &f = deposits.features[begin + k];
                DepositFacts &d = out[k];
                d.name = nameIdx >= 0 ? model::toString(f.attributes[nameIdx]) : "";
                if (d.name.empty())
                    d.name = "feature " + std::to_string(f.fid);
                if (countryIdx >= 0)
                    d.country = model::toString(f.attributes[countryIdx]);
                b.countryNA += d.country == "NA";
                if (commodityIdx >= 0)
                    d.commodity = model::toString(f.attributes[commodityIdx]);
                auto known = b.cutoffOf.find(d.commodity);
                if (known == b.cutoffOf.end())
                    known = b.cutoffOf.emplace(d.commodity, cutoffFor(d.commodity, cutoffs)).first;
                d.cutoff = known->second;
                if (where)
                    d.locationCode = located[k];
                auto numeric = [&](int idx, const char *what) -> std::optional<double> {
                    if (idx < 0 || f.attributes.isNull(idx))
                        return std::nullopt;
                    const model::Value value = f.attributes[idx];
                    // A number as a number: no text made (a million grades formatted, otherwise).
                    if (const auto *x = std::get_if<double>(&value); x && std::isfinite(*x))
                        return *x;
                    if (const auto *x = std::get_if<std::int64_t>(&value))
                        return static_cast<double>(*x);
                    const std::string text = model::toString(value);
                    if (text.empty())
                        return std::nullopt;
                    auto v = model::toNumber(value);
                    if (!v || !std::isfinite(*v))
                        throw InputError(deposits.describe() + ", feature " + std::to_string(f.fid) + " ('" +
                                         d.name + "'): " + what + " '" + text + "' is not a number");
                    return v;
                };
                if (d.cutoff >= 0) {
                    ++b.usersOf[d.cutoff];
                    d.gradePct = numeric(gradeIdx[d.cutoff], "grade");
                }
                d.tonnageMt = numeric(tonnageIdx, "tonnage");
            }
        } catch (...) {
            b.error = std::current_exception();
        }
    };
    const std::size_t n = out.size();
    const std::size_t workers =
        std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, std::max<std::size_t>(1, n / 20000));
    std::vector<Block> blocks(workers);
    onSlices(n, blocks, readBlock);
    for (const Block &b : blocks) {
        if (b.error)
            std::rethrow_exception(b.error);
        tally.countryNA += b.countryNA;
        for (std::size_t c = 0; c < cutoffs.size(); ++c)
            tally.usersOf[c] += b.usersOf[c];
    }
    return out;
}

FactsTally tallyFacts(const model::Layer &deposits, const model::LayerSpec &spec,
                      const std::vector<model::Cutoff> &cutoffs) {
    // The fields resolved as readFacts() resolves them, in its order: the same first error.
    resolveField(deposits, spec.nameField, "name", "name_field");
    const int countryIdx = resolveField(deposits, spec.countryField, "country", "country_field");
    resolveField(deposits, spec.tonnageField, "tonnage_mt", "tonnage_field");
    const int commodityIdx = resolveField(deposits, spec.commodityField, "commodity", "commodity_field");
    FactsTally tally;
    tally.usersOf.assign(cutoffs.size(), 0);
    tally.gradeFieldMissing.resize(cutoffs.size());
    for (std::size_t c = 0; c < cutoffs.size(); ++c)
        tally.gradeFieldMissing[c] =
            (c == 0 ? resolveField(deposits, spec.gradeField, cutoffs[c].gradeField.c_str(), "grade_field")
                    : deposits.fieldIndex(cutoffs[c].gradeField)) < 0;
    // A value as readFacts() reads it (model::toString), without a copy for a string.
    std::string scratch;
    auto text = [&](const model::Feature &f, int idx) -> std::string_view {
        if (idx < 0)
            return {};
        if (const auto view = f.attributes.stringAt(static_cast<std::size_t>(idx)))
            return *view;
        scratch = model::toString(f.attributes[static_cast<std::size_t>(idx)]);
        return scratch;
    };
    std::map<std::string, int, std::less<>> cutoffOf; // per distinct commodity value
    for (const auto &f : deposits.features) {
        tally.countryNA += text(f, countryIdx) == "NA";
        const std::string_view commodity = text(f, commodityIdx);
        auto known = cutoffOf.find(commodity);
        if (known == cutoffOf.end())
            known =
                cutoffOf.emplace(std::string(commodity), cutoffFor(std::string(commodity), cutoffs)).first;
        if (known->second >= 0)
            ++tally.usersOf[static_cast<std::size_t>(known->second)];
    }
    return tally;
}

void factsWarnings(const model::Layer &deposits, const std::vector<model::Cutoff> &cutoffs,
                   const FactsTally &tally, std::vector<std::string> &warnings) {
    for (std::size_t c = 0; c < cutoffs.size() && c < tally.usersOf.size(); ++c)
        if (tally.gradeFieldMissing[c] && tally.usersOf[c] > 0)
            warnings.push_back(
                deposits.describe() + ": no grade field '" + cutoffs[c].gradeField + "' (" + cutoffs[c].unit +
                ", the " + cutoffs[c].commodity +
                " cut-off's grade_field): " + std::to_string(tally.usersOf[c]) + " " + cutoffs[c].commodity +
                " deposit(s) have an unknown grade; numeric fields are: " + numericFields(deposits));
    if (tally.countryNA > 0)
        warnings.push_back(deposits.describe() + ": country value 'NA' (" + std::to_string(tally.countryNA) +
                           " deposit(s)) is read as Namibia, its ISO 3166 alpha-2 code; if the file means "
                           "'not available', blank those values");
}

// ------------------------------------------------------------------------------ the rules

namespace {

// Everything the rules read for one deposit, computed once before the table runs.
struct Ctx {
    const model::Thresholds &th;
    const std::vector<double> &rings;
    const DepositFacts &f;
    const analysis::Measurement *m;
    const model::Jurisdiction *j;
    const model::Cutoff *cut; // nullptr: no cut-off for the deposit's commodity
    double cutValue;          // the cut-off in force (REE: th.gradeCutoffPct)
    bool ree;                 // judged as a rare-earth deposit (TREO economics)
    bool haveDistance;
    double dist;
    std::optional<double> ringKm;
    std::uint16_t rangeCode;    // within_range_<ring or standoff>km
    std::string_view code;      // the jurisdiction code used, "" when unresolved
    std::string_view fieldCode; // the country field's code, "" when none or unresolved
    bool mismatch;              // location and field name different countries
    bool withDetails;
    std::string jname;                           // the jurisdiction's name for details (only with details)
    const analysis::Measurements *all = nullptr; // for the names of the nearest infrastructure

    // "nearest port Odesa 120 km", or without the name when the layer has none.
    std::string nearest(const char *what, std::uint32_t name, double km) const {
        const std::string n = all ? all->name(name) : std::string();
        return std::string("nearest ") + what + (n.empty() ? "" : " " + n) + " " + fixed(km, 0) + " km";
    }

    bool havePower() const { return m && m->powerKm.has_value(); }
    bool havePort() const { return m && m->portKm.has_value(); }
    bool haveRail() const { return m && m->railKm.has_value(); }
    bool haveEconomics() const { return ree && f.gradePct && f.tonnageMt; }
    double valueMusd() const {
        return *f.tonnageMt * 1e6 * (*f.gradePct / 100.0) * (th.recoveryPct / 100.0) * 1000.0 *
               th.basketPriceUsdPerKg / 1e6;
    }
    std::string distText() const {
        return haveDistance ? fixed(dist, 1) + " km from hostile positions" : "no hostile layer";
    }
};

struct Check {
    bool evaluated = true;
    bool fired = false;
};

struct Rule {
    RuleInfo info;
    Check (*check)(const Ctx &);
    std::string (*detail)(const Ctx &); // human text; called only with details
    // The reason code is the deposit's range code (within_range_<ring or standoff>km), not
    // info.code: the range rules.
    bool rangeCoded = false;
};

constexpr bool kRangeCoded = true;

// The catalogue: one entry per rule, in evaluation (and report) order. Defaults follow the
// brief: what makes a mine impossible blocks; what only raises its cost or risk is marginal.
const Rule kRules[] = {
    {{"occupied", "occupied", Severity::Block, "inside hostile-controlled territory"},
     [](const Ctx &c) {
         return Check{c.m != nullptr, c.m && c.m->occupied};
     },
     [](const Ctx &) { return std::string("inside hostile-controlled territory"); }},
    {{"contested", "contested_zone", Severity::Marginal, "inside a contested (grey) zone"},
     [](const Ctx &c) {
         return Check{c.m != nullptr, c.m && c.m->contested};
     },
     [](const Ctx &) { return std::string("inside a contested zone"); }},
    {{"within_standoff", "within_range_<km>km", Severity::Block,
      "closer to hostile positions than the standoff distance"},
     [](const Ctx &c) {
         return Check{c.haveDistance, c.dist <= c.th.standoffKm};
     },
     [](const Ctx &c) { return c.distText() + "; standoff " + num(c.th.standoffKm) + " km"; },
     kRangeCoded},
    {{"ring_exposure", "within_range_<km>km", Severity::Marginal, "beyond the standoff, inside a range ring"},
     [](const Ctx &c) {
         return Check{c.haveDistance, c.ringKm.has_value() && c.dist > c.th.standoffKm};
     },
     [](const Ctx &c) {
         std::string s;
         for (double r : c.rings)
             s.append(s.empty() ? "" : "/").append(num(r)); // append: GCC 12 -Wrestrict misfires on "/" + s
         return c.distText() + "; rings " + s + " km";
     },
     kRangeCoded},
    {{"grade_below_cutoff", "grade_below_cutoff", Severity::Block,
      "grade below the commercial cut-off of the deposit's commodity"},
     [](const Ctx &c) {
         return Check{c.cut && c.f.gradePct, c.cut && c.f.gradePct && *c.f.gradePct < c.cutValue};
     },
     [](const Ctx &c) {
         if (!c.cut)
             return std::string("no cut-off for commodity '") + c.f.commodity + "'";
         return (c.f.gradePct ? "grade " + num(*c.f.gradePct) + " " + c.cut->unit
                              : std::string("grade unknown")) +
                "; cut-off " + num(c.cutValue) + " " + c.cut->unit;
     }},
    {{"unknown_grade", "unknown_grade", Severity::Marginal, "no published grade for the deposit's commodity"},
     [](const Ctx &c) {
         return Check{c.cut != nullptr, c.cut && !c.f.gradePct};
     },
     [](const Ctx &c) { return "no published " + (c.cut ? c.cut->unit : std::string("grade")) + " grade"; }},
    {{"no_cutoff_for_commodity", "no_cutoff_for_commodity", Severity::Marginal,
      "the scenario has no grade cut-off for the deposit's commodity"},
     [](const Ctx &c) {
         return Check{true, c.cut == nullptr};
     },
     [](const Ctx &c) {
         return c.cut ? "judged by the " + c.cut->commodity + " cut-off"
                      : "no [[cutoffs]] row for commodity '" + c.f.commodity + "'";
     }},
    {{"sanctioned_jurisdiction", "sanctioned_jurisdiction", Severity::Block,
      "the country is under sanctions"},
     [](const Ctx &c) {
         return Check{c.j != nullptr, c.j && c.j->sanctioned};
     },
     [](const Ctx &c) { return c.jname + (c.j && c.j->sanctioned ? " is under sanctions" : ""); }},
    {{"property_rights_risk", "property_rights_risk", Severity::Block,
      "foreign assets at risk of seizure or forced renegotiation"},
     [](const Ctx &c) {
         return Check{c.j != nullptr, c.j && c.j->propertyRightsRisk};
     },
     [](const Ctx &c) {
         return c.jname + (c.j && c.j->propertyRightsRisk ? ": foreign assets at risk of seizure" : "");
     }},
    // Where the grid works it delivers power; where it is damaged only a plant close by (from
    // the power layer) spares the project building its own; "none" never does.
    {{"no_grid_power", "no_grid_power", Severity::Marginal, "the project must build its own power plant"},
     [](const Ctx &c) {
         const bool far = !c.havePower() || *c.m->powerKm > c.th.maxPowerDistanceKm;
         const bool fired =
             c.j ? (c.j->grid == "none" || (c.j->grid == "damaged" && far)) : (c.havePower() && far);
         return Check{c.j != nullptr || c.havePower(), fired};
     },
     [](const Ctx &c) {
         return (c.j ? c.jname + " grid: " + c.j->grid : std::string("grid unknown")) +
                (c.havePower() ? "; " + c.nearest("plant", c.m->powerName, *c.m->powerKm) + " (max " +
                                     num(c.th.maxPowerDistanceKm) + " km)"
                               : std::string());
     }},
    {{"remote_from_trade_routes", "remote_from_trade_routes", Severity::Marginal, "far from a sea port"},
     [](const Ctx &c) {
         return Check{c.havePort(), c.havePort() && *c.m->portKm > c.th.maxPortDistanceKm};
     },
     [](const Ctx &c) {
         return c.havePort() ? c.nearest("port", c.m->portName, *c.m->portKm) + " (max " +
                                   num(c.th.maxPortDistanceKm) + " km)"
                             : std::string("no ports layer");
     }},
    {{"remote_from_rail", "remote_from_rail", Severity::Info, "far from a rail hub"},
     [](const Ctx &c) {
         return Check{c.haveRail(), c.haveRail() && *c.m->railKm > c.th.maxRailDistanceKm};
     },
     [](const Ctx &c) {
         return c.haveRail() ? c.nearest("rail hub", c.m->railName, *c.m->railKm) + " (max " +
                                   num(c.th.maxRailDistanceKm) + " km)"
                             : std::string("no rail layer");
     }},
    // Economics: recoverable TREO value against the initial capital ($500-700 M capex).
    {{"reserve_too_small_for_capex", "reserve_too_small_for_capex", Severity::Marginal,
      "recoverable TREO value does not cover the capex"},
     [](const Ctx &c) {
         return Check{c.haveEconomics(),
                      c.haveEconomics() && c.valueMusd() < c.th.capexMusd * c.th.capexCoverRatio};
     },
     [](const Ctx &c) {
         if (!c.ree)
             return std::string("TREO economics apply to rare-earth deposits only");
         return c.haveEconomics() ? "recoverable TREO worth $" + fixed(c.valueMusd(), 0) + " M vs capex $" +
                                        num(c.th.capexMusd) + " M x " + num(c.th.capexCoverRatio)
                                  : std::string("tonnage or grade unknown");
     }},
    // Separation technology is held by China.
    {{"no_processing_access", "no_processing_access", Severity::Info,
      "no REE separation capacity in or contracted by the country"},
     [](const Ctx &c) {
         return Check{c.j != nullptr, c.j && !c.j->processingAccess};
     },
     [](const Ctx &c) {
         return c.jname + (c.j && !c.j->processingAccess ? " has no REE separation capacity of its own" : "");
     }},
    // Unknown is not safe: marginal by default.
    {{"unknown_jurisdiction", "unknown_jurisdiction", Severity::Marginal,
      "the deposit's country is not known or not in the jurisdictions table"},
     [](const Ctx &c) {
         return Check{true, c.j == nullptr};
     },
     [](const Ctx &c) {
         if (c.j)
             return c.jname;
         if (!c.code.empty())
             return std::string(c.code) + " is not in the jurisdictions table";
         return c.f.country.empty()
                    ? std::string("no country field value and no boundaries hit")
                    : "'" + c.f.country + "' is not an ISO 3166 country nor in the jurisdictions table";
     }},
    {{"jurisdiction_mismatch", "jurisdiction_mismatch", Severity::Info,
      "the country field names another country than the deposit's location; the location decides"},
     [](const Ctx &c) {
         return Check{!c.f.locationCode.empty() && !c.fieldCode.empty(), c.mismatch};
     },
     [](const Ctx &c) {
         return "location " + c.f.locationCode + ", country field '" + c.f.country + "'" +
                (c.fieldCode.empty() ? std::string() : " (" + std::string(c.fieldCode) + ")");
     }},
};
constexpr std::size_t kRuleCount = std::size(kRules);
static_assert(kRuleCount <= ReasonList::kCapacity);
static_assert(kRuleCount <= 32); // DepositVerdict::fired

std::uint32_t ruleBit(std::string_view id) {
    for (std::size_t r = 0; r < kRuleCount; ++r)
        if (id == kRules[r].info.id)
            return 1u << r;
    throw std::logic_error("no rule '" + std::string(id) + "'");
}

// What every deposit's evaluation reads from the scenario, resolved once.
struct Prepared {
    std::array<Severity, kRuleCount> sev{};
    std::array<std::uint16_t, kRuleCount> codes{}; // reason codes (range rules: the range code)
    std::vector<double> rings;                     // ascending
    std::vector<std::uint16_t> ringCodes;          // within_range_<ring>km, parallel to rings
    std::uint16_t standoffCode = 0;                // within_range_<standoff>km
    // The REE row's cut-off is the grade_cutoff_pct threshold (the viewer's slider).
    std::vector<double> cutValues;
    std::vector<char> cutIsRee;

    explicit Prepared(const model::Scenario &scenario) : rings(scenario.thresholds.ringsKm) {
        for (std::size_t r = 0; r < kRuleCount; ++r) {
            sev[r] = severityOf(scenario, kRules[r].info.id);
            if (!kRules[r].rangeCoded)
                codes[r] = internReason(kRules[r].info.code);
        }
        std::sort(rings.begin(), rings.end());
        for (double r : rings)
            ringCodes.push_back(internReason("within_range_" + num(r) + "km"));
        standoffCode = internReason("within_range_" + num(scenario.thresholds.standoffKm) + "km");
        for (const auto &c : scenario.cutoffs) {
            const bool ree = sameName(c.commodity, "REE");
            cutValues.push_back(ree ? scenario.thresholds.gradeCutoffPct : c.cutoff);
            cutIsRee.push_back(ree);
        }
    }

    // Exposure to hostile fire: the innermost ring the deposit is inside (`ringKm`), and the
    // range code its range rules give.
    std::uint16_t range(bool haveDistance, double dist, std::optional<double> &ringKm) const {
        ringKm.reset();
        for (std::size_t k = 0; k < rings.size() && haveDistance; ++k)
            if (dist <= rings[k]) {
                ringKm = rings[k];
                return ringCodes[k];
            }
        return standoffCode;
    }

    // The verdict of a deposit whose fired rules are `fired`, and its reasons in rule order.
    Verdict judge(std::uint32_t fired, std::uint16_t rangeCode, ReasonList &reasons) const {
        reasons = ReasonList();
        bool block = false, marginal = false;
        for (std::size_t r = 0; r < kRuleCount; ++r) {
            if (!(fired >> r & 1u) || sev[r] == Severity::Off)
                continue;
            reasons.push_back(kRules[r].rangeCoded ? rangeCode : codes[r]);
            block |= sev[r] == Severity::Block;
            marginal |= sev[r] == Severity::Marginal;
        }
        return block ? Verdict::NotInvestable : marginal ? Verdict::Marginal : Verdict::Investable;
    }
};

} // namespace

const std::vector<RuleInfo> &ruleTable() {
    static const std::vector<RuleInfo> table = [] {
        std::vector<RuleInfo> out;
        for (const Rule &r : kRules)
            out.push_back(r.info);
        return out;
    }();
    return table;
}

Report evaluate(const model::Scenario &scenario, const std::vector<DepositFacts> &facts,
                const analysis::Measurements &m, bool withDetails) {
    return evaluateBatch(scenario, facts, m, 0, withDetails);
}

Report evaluateBatch(const model::Scenario &scenario, const std::vector<DepositFacts> &facts,
                     const analysis::Measurements &m, std::size_t first, bool withDetails) {
    JurisdictionKeys fresh;
    return evaluateBatch(scenario, facts, m, first, fresh, withDetails);
}

namespace {

// Country values and codes are two or three bytes: compared inline, not by a memcmp() call per
// comparison (1.5 % of a million-deposit run's CPU; issue 11).
bool sameText(const std::string &a, const std::string &b) {
    if (a.size() != b.size())
        return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (a[i] != b[i])
            return false;
    return true;
}
struct SameText {
    bool operator()(const std::string &a, const std::string &b) const { return sameText(a, b); }
};
// The same hash and buckets as std::unordered_map<std::string, V>: the same iteration order.
template <class V> using TextMap = std::unordered_map<std::string, V, std::hash<std::string>, SameText>;

} // namespace

Report evaluateBatch(const model::Scenario &scenario, const std::vector<DepositFacts> &facts,
                     const analysis::Measurements &m, std::size_t first, JurisdictionKeys &keys,
                     bool withDetails) {
    const model::Thresholds &th = scenario.thresholds;
    // Severities, reason codes, rings and cut-offs resolved once, not per deposit.
    const Prepared p(scenario);
    const auto &sev = p.sev;
    const auto &codes = p.codes;
    const auto &rings = p.rings;
    const auto &cutValues = p.cutValues;
    const auto &cutIsRee = p.cutIsRee;

    // Per jurisdiction code (or unresolved value): its row and verdict counts; per distinct
    // country value: its code and place. One hash per deposit (two when located elsewhere than
    // its field says), no allocation; the report's maps are built once at the end.
    struct Place {
        const model::Jurisdiction *j = nullptr;
        bool isCode = false; // false: an unresolved value (or "" for none)
        std::array<int, 4> counts{};
    };
    struct FieldInfo {
        std::string code; // "" when unresolved
        std::pair<const std::string, Place> *place = nullptr;
        int unresolved = 0;
    };
    // One block of deposits, judged on one thread with its own maps and counts (issue 11: this
    // loop was the rules stage's longest serial part at a million deposits).
    struct Block {
        TextMap<Place> places;
        TextMap<FieldInfo> fieldCodes;
        int jurisdictionMismatches = 0, unknownGrade = 0;
        std::map<std::string, int> noCutoff;
        std::exception_ptr error;
    };

    Report report;
    report.deposits.resize(facts.size());
    auto judge = [&](std::size_t begin, std::size_t end, Block &b) {
        // A key an earlier batch met keeps the kind it was met as there (`keys` is only read here).
        auto placeOf = [&](const std::string &key, bool isCode) {
            auto it = b.places.find(key);
            if (it == b.places.end()) {
                if (const auto known = keys.isCode.find(key); known != keys.isCode.end())
                    isCode = known->second;
                const auto j = isCode ? scenario.jurisdictions.find(key) : scenario.jurisdictions.end();
                it =
                    b.places
                        .emplace(key, Place{j == scenario.jurisdictions.end() ? nullptr : &j->second, isCode})
                        .first;
            }
            return &*it;
        };
        for (std::size_t i = begin; i < end; ++i) {
            const DepositFacts &f = facts[i];
            const analysis::Measurement *meas =
                first + i < m.perDeposit.size() ? &m.perDeposit[first + i] : nullptr;
            DepositVerdict &d = report.deposits[i];
            d.name = f.name;
            d.country = f.country;
            d.gradePct = f.gradePct;
            d.tonnageMt = f.tonnageMt;

            // Jurisdiction: the location decides; the country field is the fallback and a check.
            auto field = b.fieldCodes.find(f.country);
            if (field == b.fieldCodes.end()) {
                std::string code = scenario.countryCode(f.country);
                auto *place = placeOf(code.empty() ? f.country : code, !code.empty());
                field = b.fieldCodes.emplace(f.country, FieldInfo{std::move(code), place}).first;
            }
            FieldInfo &fi = field->second;
            fi.unresolved += !f.country.empty() && fi.code.empty();
            auto *place = fi.place;
            bool mismatch = false;
            if (!f.locationCode.empty() && !sameText(f.locationCode, fi.code)) {
                place = placeOf(f.locationCode, true);
                mismatch = !fi.code.empty();
            }
            const model::Jurisdiction *j = place->second.j;
            const std::string &code = place->second.isCode ? place->first : fi.code; // fi.code is "" here
            b.jurisdictionMismatches += mismatch;
            d.jurisdiction = code;
            d.countryFromLocation = f.locationCode;
            const std::string &fieldCode = fi.code;

            const model::Cutoff *cut = f.cutoff >= 0 && f.cutoff < static_cast<int>(scenario.cutoffs.size())
                                           ? &scenario.cutoffs[f.cutoff]
                                           : nullptr;
            if (cut && !f.gradePct)
                ++b.unknownGrade;
            if (!cut)
                ++b.noCutoff[f.commodity];

            // Exposure to hostile fire: the innermost ring the deposit is inside.
            const bool haveDistance = meas && meas->frontDistanceKm.has_value();
            const double dist = haveDistance ? *meas->frontDistanceKm : INFINITY;
            const std::uint16_t range = p.range(haveDistance, dist, d.ringKm);

            Ctx c{th,
                  rings,
                  f,
                  meas,
                  j,
                  cut,
                  cut ? cutValues[f.cutoff] : 0.0,
                  cut && cutIsRee[f.cutoff],
                  haveDistance,
                  dist,
                  d.ringKm,
                  range,
                  code,
                  fieldCode,
                  mismatch,
                  withDetails,
                  {},
                  &m};
            if (withDetails)
                c.jname = j                   ? j->name
                          : !code.empty()     ? code
                          : f.country.empty() ? std::string("no country")
                                              : f.country;

            // The table in order. Without details no per-rule allocation is made: a live
            // re-evaluation of 100k deposits stays well inside a frame budget. Off rules are
            // checked too (DepositVerdict::fired), but give no reason and no detail.
            for (std::size_t r = 0; r < kRuleCount; ++r) {
                const Rule &rule = kRules[r];
                const Check k = rule.check(c);
                if (k.evaluated && k.fired)
                    d.fired |= 1u << r;
                if (withDetails && sev[r] != Severity::Off) {
                    const std::uint16_t reason = rule.rangeCoded ? range : codes[r];
                    d.outcomes.push_back({rule.info.id, std::string(reasonCode(reason)), sev[r],
                                          k.evaluated && k.fired, k.evaluated, rule.detail(c)});
                }
            }
            d.verdict = p.judge(d.fired, range, d.reasons);

            ++place->second.counts[static_cast<int>(d.verdict)];
        }
    };

    // A key is a place for the first deposit that names it, as a code or as an unresolved value,
    // and keeps that for the deposits after it (and the batches after it: `keys`). Blocks judged
    // apart agree with one pass unless a block met first, as the other kind, a key an earlier
    // block had already met: then the deposits are judged again in one pass (a value such as
    // "-99" both unresolved and located).
    const std::size_t n = facts.size();
    const std::size_t workers =
        std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, std::max<std::size_t>(1, n / 20000));
    std::vector<Block> blocks(workers);
    {
        auto guarded = [&](std::size_t begin, std::size_t end, Block &b) {
            try {
                judge(begin, end, b);
            } catch (...) {
                b.error = std::current_exception();
            }
        };
        onSlices(n, blocks, guarded);
    }
    for (const Block &b : blocks)
        if (b.error)
            std::rethrow_exception(b.error);
    TextMap<Place> places;
    bool consistent = true;
    for (const Block &b : blocks)
        for (const auto &[key, place] : b.places) {
            auto [it, added] = places.emplace(key, Place{place.j, place.isCode});
            consistent = consistent && it->second.isCode == place.isCode;
            for (int v = 0; v < 4; ++v)
                it->second.counts[v] += place.counts[v];
        }
    if (!consistent) {
        blocks.assign(1, Block{});
        for (auto &d : report.deposits)
            d = DepositVerdict{};
        judge(0, n, blocks[0]);
        places = std::move(blocks[0].places);
    }
    for (const auto &[key, place] : places)
        keys.isCode.emplace(key, place.isCode);      // a key already known keeps its kind
    std::unordered_map<std::string, int> unresolved; // per country value
    for (const Block &b : blocks) {
        report.jurisdictionMismatches += b.jurisdictionMismatches;
        report.unknownGrade += b.unknownGrade;
        for (const auto &[commodity, count] : b.noCutoff)
            report.noCutoff[commodity] += count;
        for (const auto &[value, fi] : b.fieldCodes)
            unresolved[value] += fi.unresolved;
    }
    for (const auto &[value, count] : unresolved)
        if (count)
            report.unresolvedCountries[value] += count;
    for (const auto &[key, place] : places) {
        int total = 0;
        for (int v = 0; v < 4; ++v)
            if (const int n = place.counts[v]) {
                total += n;
                report.byVerdict[verdictName(static_cast<Verdict>(v))] += n;
                report.byCountry[key.empty() ? "(none)" : key][verdictName(static_cast<Verdict>(v))] += n;
            }
        if (place.isCode && !place.j && total)
            report.notInTable[key] += total;
    }
    return report;
}

void mergeCounts(Report &total, const Report &batch) {
    for (const auto &[verdict, n] : batch.byVerdict)
        total.byVerdict[verdict] += n;
    for (const auto &[country, counts] : batch.byCountry)
        for (const auto &[verdict, n] : counts)
            total.byCountry[country][verdict] += n;
    for (const auto &[value, n] : batch.unresolvedCountries)
        total.unresolvedCountries[value] += n;
    for (const auto &[code, n] : batch.notInTable)
        total.notInTable[code] += n;
    total.jurisdictionMismatches += batch.jurisdictionMismatches;
    total.unknownGrade += batch.unknownGrade;
    for (const auto &[commodity, n] : batch.noCutoff)
        total.noCutoff[commodity] += n;
}

bool update(Report &report, const model::Thresholds &was, const model::Scenario &scenario,
            const std::vector<DepositFacts> &facts, const analysis::Measurements &m) {
    const model::Thresholds &th = scenario.thresholds;
    if (report.deposits.size() != facts.size() ||
        std::any_of(report.deposits.begin(), report.deposits.end(),
                    [](const DepositVerdict &d) { return !d.outcomes.empty(); }))
        return false;
    // Thresholds read with the jurisdiction (power: the grid) or by the measurement itself
    // (line of contact) are not checked again here.
    if (th.maxPowerDistanceKm != was.maxPowerDistanceKm || th.lineOfContactKm != was.lineOfContactKm)
        return false;
    // The rules each threshold feeds; none of them reads the jurisdiction, so the deposits'
    // context below leaves it out.
    std::uint32_t recheck = 0;
    if (th.standoffKm != was.standoffKm || th.ringsKm != was.ringsKm)
        recheck |= ruleBit("within_standoff") | ruleBit("ring_exposure");
    if (th.gradeCutoffPct != was.gradeCutoffPct)
        recheck |= ruleBit("grade_below_cutoff");
    if (th.capexMusd != was.capexMusd || th.basketPriceUsdPerKg != was.basketPriceUsdPerKg ||
        th.recoveryPct != was.recoveryPct || th.capexCoverRatio != was.capexCoverRatio)
        recheck |= ruleBit("reserve_too_small_for_capex");
    if (th.maxPortDistanceKm != was.maxPortDistanceKm)
        recheck |= ruleBit("remote_from_trade_routes");
    if (th.maxRailDistanceKm != was.maxRailDistanceKm)
        recheck |= ruleBit("remote_from_rail");

    const Prepared p(scenario);
    // Verdict counts moved, per byCountry key: views into the report's own strings.
    std::array<int, 4> moved{};
    std::map<std::string_view, std::array<int, 4>> movedByKey;
    for (std::size_t i = 0; i < facts.size(); ++i) {
        const DepositFacts &f = facts[i];
        const analysis::Measurement *meas = i < m.perDeposit.size() ? &m.perDeposit[i] : nullptr;
        DepositVerdict &d = report.deposits[i];
        const bool haveDistance = meas && meas->frontDistanceKm.has_value();
        const double dist = haveDistance ? *meas->frontDistanceKm : INFINITY;
        const std::uint16_t range = p.range(haveDistance, dist, d.ringKm);
        if (recheck) {
            const model::Cutoff *cut = f.cutoff >= 0 && f.cutoff < static_cast<int>(scenario.cutoffs.size())
                                           ? &scenario.cutoffs[f.cutoff]
                                           : nullptr;
            const Ctx c{th,
                        p.rings,
                        f,
                        meas,
                        nullptr,
                        cut,
                        cut ? p.cutValues[f.cutoff] : 0.0,
                        cut && p.cutIsRee[f.cutoff],
                        haveDistance,
                        dist,
                        d.ringKm,
                        range,
                        {},
                        {},
                        false,
                        false,
                        {},
                        &m};
            for (std::size_t r = 0; r < kRuleCount; ++r) {
                if (!(recheck >> r & 1u))
                    continue;
                const Check k = kRules[r].check(c);
                d.fired = (d.fired & ~(1u << r)) | (k.evaluated && k.fired ? 1u << r : 0u);
            }
        }
        const Verdict before = d.verdict;
        d.verdict = p.judge(d.fired, range, d.reasons);
        if (d.verdict != before) {
            --moved[static_cast<int>(before)];
            ++moved[static_cast<int>(d.verdict)];
            // evaluate()'s key: the jurisdiction code used, else the unresolved country value.
            auto &byKey = movedByKey[d.jurisdiction.empty() ? std::string_view(d.country)
                                                            : std::string_view(d.jurisdiction)];
            --byKey[static_cast<int>(before)];
            ++byKey[static_cast<int>(d.verdict)];
        }
    }
    // As evaluate() builds them: an entry only for a count above zero.
    auto apply = [](std::map<std::string, int> &counts, const std::array<int, 4> &delta) {
        for (int v = 0; v < 4; ++v) {
            if (!delta[v])
                continue;
            const auto it = counts.try_emplace(verdictName(static_cast<Verdict>(v)), 0).first;
            if ((it->second += delta[v]) == 0)
                counts.erase(it);
        }
    };
    apply(report.byVerdict, moved);
    for (const auto &[key, delta] : movedByKey) {
        const auto it =
            report.byCountry.try_emplace(key.empty() ? std::string("(none)") : std::string(key)).first;
        apply(it->second, delta);
        if (it->second.empty())
            report.byCountry.erase(it);
    }
    return true;
}

} // namespace orefront::rules
