#pragma once
// The rules over a batch of deposits at a time, for a run that streams its deposits (cli
// analyze: README, Streaming analyze): the facts of a range of deposits, the warnings their
// reading counts over every batch, and the report's counts summed batch by batch. Summed over
// the batches, the same facts, verdicts, counts and warnings as readFacts() and evaluate() give
// for all the deposits at once. Pure functions; any thread.
#include "orefront/rules/rules.hpp"

#include <cstddef>
#include <string>
#include <unordered_map>
#include <vector>

namespace orefront::rules {

// What readFacts() counts over the deposits it reads, for the warnings it gives.
struct FactsTally {
    std::vector<std::size_t> usersOf;    // per cut-off: deposits of its commodity
    std::vector<bool> gradeFieldMissing; // per cut-off: the layer lacks its grade field
    std::size_t countryNA = 0;           // deposits whose country value is "NA"
};

// The facts warnings of all the deposits before any is judged (cli analyze prints them before the
// write starts): the tally that readFacts() adds up over every batch, from one light pass over the
// layer's country and commodity values. Throws as readFacts() does for an explicit field that does
// not exist.
FactsTally tallyFacts(const model::Layer &deposits, const model::LayerSpec &spec,
                      const std::vector<model::Cutoff> &cutoffs);

// The facts of deposits [begin, end) only (out[k] is deposit begin + k's), adding to `tally`;
// throws as readFacts() does. factsWarnings() then gives readFacts()'s warnings for the tally.
std::vector<DepositFacts> readFacts(const model::Layer &deposits, const model::LayerSpec &spec,
                                    const std::vector<model::Cutoff> &cutoffs,
                                    const analysis::CountryIndex *where, std::size_t begin, std::size_t end,
                                    FactsTally &tally);
void factsWarnings(const model::Layer &deposits, const std::vector<model::Cutoff> &cutoffs,
                   const FactsTally &tally, std::vector<std::string> &warnings);

// What each jurisdiction key (Report::byCountry's) was first met as over the deposits judged so
// far: a jurisdiction code (true) or an unresolved country value (false). evaluate() keeps a key's
// first kind for the rest of its pass (a value such as "-99" both unresolved and located: the
// deposits located there after it are not counted as a code "not in the jurisdictions table");
// batches judged in order with one JurisdictionKeys give the same verdicts and counts. Keys met in
// any batch keep the kind of their first meeting: the keys after the last batch serve to judge any
// batch again.
struct JurisdictionKeys {
    std::unordered_map<std::string, bool> isCode;
};

// evaluate() for a batch: facts[k] is deposit first + k, measured in m.perDeposit[first + k];
// the report's deposits are the batch's. `keys`: the kinds of the keys met in the batches before
// this one, to which this batch's new keys are added; without it, every batch starts afresh.
Report evaluateBatch(const model::Scenario &scenario, const std::vector<DepositFacts> &facts,
                     const analysis::Measurements &m, std::size_t first, bool withDetails = false);
Report evaluateBatch(const model::Scenario &scenario, const std::vector<DepositFacts> &facts,
                     const analysis::Measurements &m, std::size_t first, JurisdictionKeys &keys,
                     bool withDetails = false);

// Adds the counts of `batch` (byVerdict, byCountry, the unplaced jurisdictions, mismatches,
// unknown grades, no cut-off) to `total`, leaving its deposits alone.
void mergeCounts(Report &total, const Report &batch);

} // namespace orefront::rules
