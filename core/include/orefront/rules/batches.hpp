#pragma once
// The rules over a batch of deposits at a time, for a run that streams its deposits (cli
// analyze: README, Streaming analyze): the facts of a range of deposits, the warnings their
// reading counts over every batch, and the report's counts summed batch by batch. Summed over
// the batches, the same facts, verdicts, counts and warnings as readFacts() and evaluate() give
// for all the deposits at once. Pure functions; any thread.
#include "orefront/rules/rules.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace orefront::rules {

// What readFacts() counts over the deposits it reads, for the warnings it gives.
struct FactsTally {
    std::vector<std::size_t> usersOf;    // per cut-off: deposits of its commodity
    std::vector<bool> gradeFieldMissing; // per cut-off: the layer lacks its grade field
    std::size_t countryNA = 0;           // deposits whose country value is "NA"
};

// The facts of deposits [begin, end) only (out[k] is deposit begin + k's), adding to `tally`;
// throws as readFacts() does. factsWarnings() then gives readFacts()'s warnings for the tally.
std::vector<DepositFacts> readFacts(const model::Layer &deposits, const model::LayerSpec &spec,
                                    const std::vector<model::Cutoff> &cutoffs,
                                    const analysis::CountryIndex *where, std::size_t begin, std::size_t end,
                                    FactsTally &tally);
void factsWarnings(const model::Layer &deposits, const std::vector<model::Cutoff> &cutoffs,
                   const FactsTally &tally, std::vector<std::string> &warnings);

// evaluate() for a batch: facts[k] is deposit first + k, measured in m.perDeposit[first + k];
// the report's deposits are the batch's.
Report evaluateBatch(const model::Scenario &scenario, const std::vector<DepositFacts> &facts,
                     const analysis::Measurements &m, std::size_t first, bool withDetails = false);

// Adds the counts of `batch` (byVerdict, byCountry, the unplaced jurisdictions, mismatches,
// unknown grades, no cut-off) to `total`, leaving its deposits alone.
void mergeCounts(Report &total, const Report &batch);

} // namespace orefront::rules
