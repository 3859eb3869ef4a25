#pragma once
// Rules: every fact of the brief as a rule with a user-changeable threshold, evaluated over
// the measurements. Pure and cheap (100k deposits in milliseconds), so the viewer reruns it
// on the UI thread whenever a slider moves.
#include "orefront/analysis/analysis.hpp"
#include "orefront/model/scenario.hpp"

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

struct DepositVerdict {
    Verdict verdict = Verdict::Unknown;
    // Codes of fired rules that are not Off, in rule order. The views point into a
    // process-wide pool of reason codes that is never freed, so they stay valid.
    std::vector<std::string_view> reasons;
    std::vector<Outcome> outcomes;    // every rule, fired or not (only with details)
    std::optional<double> ringKm;
    std::optional<double> gradePct, tonnageMt;
    std::string name, country;
};

// Reads deposit attributes once (name, country, grade, tonnage) so evaluate() stays cheap.
struct DepositFacts {
    std::string name, country;
    std::optional<double> gradePct, tonnageMt;
    bool gradeMalformed = false; // present but non-numeric
};
// Throws orefront::InputError naming the layer and feature for a non-numeric grade.
std::vector<DepositFacts> readFacts(const model::Layer &deposits, const model::LayerSpec &spec);

struct Report {
    std::vector<DepositVerdict> deposits; // parallel to the deposits layer's features
    std::map<std::string, int> byVerdict;
    std::map<std::string, std::map<std::string, int>> byCountry; // country -> verdict -> n
};

// Every rule id with its default severity, in evaluation order.
const std::vector<std::pair<std::string, model::Severity>> &ruleCatalogue();
model::Severity severityOf(const model::Scenario &s, const std::string &rule);

// `withDetails` fills Outcome::detail (human text); the viewer's live re-evaluation skips it
// and asks again for the one deposit it shows.
Report evaluate(const model::Scenario &scenario, const std::vector<DepositFacts> &facts,
                const analysis::Measurements &m, bool withDetails = true);

} // namespace orefront::rules
