#pragma once
// Rules: every fact of the brief as a rule with a user-changeable threshold, evaluated over
// the measurements. Pure and cheap (100k deposits in milliseconds), so the viewer reruns it
// on the UI thread whenever a slider moves.
#include "orefront/analysis/analysis.hpp"
#include "orefront/analysis/country_index.hpp"
#include "orefront/model/bulk_allocator.hpp"
#include "orefront/model/scenario.hpp"

#include <algorithm>
#include <array>
#include <compare>
#include <cstdint>
#include <iterator>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace orefront::rules {

enum class Verdict { Investable, Marginal, NotInvestable, Unknown };
const char *verdictName(Verdict v); // "investable", "marginal", "not_investable", "unknown"

// A rule's outcome for one deposit. `code` is the stable reason code written to reports
// (e.g. "within_range_40km"); `rule` is the rule id severities are keyed by
// (e.g. "within_standoff").
struct Outcome {
    std::string rule;
    std::string code;
    model::Severity severity = model::Severity::Info;
    bool fired = false;
    bool evaluated = true; // false when its input is missing (no ports layer, ...)
    std::string detail;    // human text: "grade 0.9 % < cut-off 2 %"
};

// A reason code's place in the process-wide pool of codes (never freed: views into it stay
// valid). Thread-safe.
std::uint16_t internReason(std::string_view code);
std::string_view reasonCode(std::uint16_t id);

// The codes of the rules that fired for one deposit, in rule order: at most one per rule,
// held inline, so evaluating a million deposits makes no allocation per deposit.
class ReasonList {
public:
    static constexpr std::size_t kCapacity = 16;

    class const_iterator {
    public:
        using iterator_category = std::random_access_iterator_tag;
        using value_type = std::string_view;
        using difference_type = std::ptrdiff_t;
        using pointer = void;
        using reference = std::string_view;
        const_iterator() = default;
        explicit const_iterator(const std::uint16_t *p) : m_p(p) {}
        std::string_view operator*() const { return reasonCode(*m_p); }
        std::string_view operator[](difference_type n) const { return reasonCode(m_p[n]); }
        const_iterator &operator++() { return ++m_p, *this; }
        const_iterator operator++(int) { return const_iterator(m_p++); }
        const_iterator &operator--() { return --m_p, *this; }
        const_iterator operator--(int) { return const_iterator(m_p--); }
        const_iterator &operator+=(difference_type n) { return m_p += n, *this; }
        const_iterator &operator-=(difference_type n) { return m_p -= n, *this; }
        friend const_iterator operator+(const_iterator i, difference_type n) { return i += n; }
        friend const_iterator operator+(difference_type n, const_iterator i) { return i += n; }
        friend const_iterator operator-(const_iterator i, difference_type n) { return i -= n; }
        friend difference_type operator-(const_iterator a, const_iterator b) { return a.m_p - b.m_p; }
        friend auto operator<=>(const const_iterator &, const const_iterator &) = default;

    private:
        const std::uint16_t *m_p = nullptr;
    };

    void push_back(std::uint16_t id); // throws std::length_error past kCapacity
    std::size_t size() const { return m_size; }
    bool empty() const { return m_size == 0; }
    std::string_view operator[](std::size_t i) const { return reasonCode(m_ids[i]); }
    const_iterator begin() const { return const_iterator(m_ids.data()); }
    const_iterator end() const { return const_iterator(m_ids.data() + m_size); }
    bool contains(std::string_view code) const;
    // The slots past size() are always 0 (only push_back() writes), so the whole fixed-size
    // arrays compare: inline, not a memcmp() call per row of a report (issue 11).
    bool operator==(const ReasonList &o) const { return m_size == o.m_size && m_ids == o.m_ids; }

private:
    std::array<std::uint16_t, kCapacity> m_ids{};
    std::uint8_t m_size = 0;
};

struct DepositVerdict {
    Verdict verdict = Verdict::Unknown;
    ReasonList reasons;            // codes of fired rules that are not Off, in rule order
    std::vector<Outcome> outcomes; // every rule, fired or not (only with details)
    std::optional<double> ringKm;
    std::optional<double> gradePct, tonnageMt;
    std::string name, country;
    std::string jurisdiction;        // the code the verdict used (location first), or ""
    std::string countryFromLocation; // the boundaries layer's code at the deposit, or ""
    // The rules that were evaluated and fired, whatever their severity (bit r: ruleTable()[r],
    // Off rules included): what update() derives the verdict and reasons from again.
    std::uint32_t fired = 0;
};

// Reads deposit attributes once (name, country, commodity, grade, tonnage) so evaluate()
// stays cheap.
struct DepositFacts {
    std::string name, country;
    std::optional<double> gradePct, tonnageMt;
    bool gradeMalformed = false; // present but non-numeric
    std::string commodity;       // as written; "" = none (judged as REE)
    int cutoff = 0;              // index into Scenario::cutoffs; -1: no cut-off for the commodity
    std::string locationCode;    // country from the boundaries layer; "" when not located
};

// Reads the facts of every deposit. Each deposit's grade comes from the grade field of the
// cut-off for its commodity (`cutoffs`, the scenario's; the REE row's field is spec.gradeField
// when given). `where` (optional) gives each deposit its country from location (a polygon or
// line deposit: its anchor point). Throws orefront::InputError naming the layer and feature
// for a non-numeric grade, or an explicit field that does not exist. Appends to `warnings`
// (when given) one line per cut-off whose grade field the layer lacks while deposits need it,
// naming the layer and listing its numeric fields.
std::vector<DepositFacts> readFacts(const model::Layer &deposits, const model::LayerSpec &spec,
                                    const std::vector<model::Cutoff> &cutoffs = model::builtinCutoffs(),
                                    const analysis::CountryIndex *where = nullptr,
                                    std::vector<std::string> *warnings = nullptr);

struct Report {
    model::BulkVector<DepositVerdict> deposits; // parallel to the deposits layer's features
    std::map<std::string, int> byVerdict;
    std::map<std::string, std::map<std::string, int>> byCountry; // code (or value) -> verdict -> n
    // What the jurisdiction step could not place, for the summary and a warning.
    std::map<std::string, int> unresolvedCountries; // value -> deposits: no ISO code, no table row
    std::map<std::string, int> notInTable;          // ISO code -> deposits: no jurisdiction row
    int jurisdictionMismatches = 0;                 // location and country field name different countries
    int unknownGrade = 0;                           // deposits with a cut-off but no grade
    std::map<std::string, int> noCutoff;            // commodity -> deposits with no cut-off for it
};

// One rule of the catalogue, as the viewer and docs see it.
struct RuleInfo {
    const char *id;           // severities are keyed by it ("within_standoff")
    const char *code;         // its reason code; "within_range_<km>km" for the range rules
    model::Severity severity; // default
    const char *explanation;
};
// Every rule, in evaluation order (core/src/rules/rules.cpp, kRules).
const std::vector<RuleInfo> &ruleTable();

// Every rule id with its default severity, in evaluation order (from ruleTable()).
const std::vector<std::pair<std::string, model::Severity>> &ruleCatalogue();
model::Severity severityOf(const model::Scenario &s, const std::string &rule);

// `withDetails` fills Outcome::detail (human text); the viewer's live re-evaluation skips it
// and asks again for the one deposit it shows.
Report evaluate(const model::Scenario &scenario, const std::vector<DepositFacts> &facts,
                const analysis::Measurements &m, bool withDetails = true);

// Brings `report` to what evaluate(scenario, facts, m, false) gives, in place, when it was
// evaluated (by evaluate without details, or by update) for the same facts and measurements
// and a scenario that differs from `scenario` only in its thresholds (`was`) and severities:
// only the rules whose thresholds changed are checked again (a grade cut-off change checks the
// grade rule, a ring change the range rules), then each deposit's verdict and reasons are
// derived again from its fired rules, and the counts moved for the deposits whose verdict
// changed. Milliseconds for 100k deposits, no allocation per deposit. Returns false, leaving
// `report` as it was, for a change it does not know how to apply cheaply (a threshold read
// with the jurisdiction: power distance; the line of contact, a measurement input), or a
// report with details or of another size: the caller evaluates anew.
bool update(Report &report, const model::Thresholds &was, const model::Scenario &scenario,
            const std::vector<DepositFacts> &facts, const analysis::Measurements &m);

} // namespace orefront::rules
