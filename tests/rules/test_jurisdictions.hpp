#pragma once
// The jurisdictions the rules tests judge against: one of each kind the rules tell apart (a
// working grid, a damaged grid, a sanctioned state with expropriation, no grid and no
// processing access).
#include "orefront/model/scenario.hpp"

namespace orefront::test {

inline void addTestJurisdictions(model::Scenario &scenario) {
    model::Jurisdiction usa{"USA", "United States"};
    model::Jurisdiction ukr{"UKR", "Ukraine"};
    ukr.grid = "damaged";
    model::Jurisdiction rus{"RUS", "Russia", true, true};
    model::Jurisdiction mng{"MNG", "Mongolia"};
    mng.grid = "none";
    mng.processingAccess = false;
    for (const auto &j : {usa, ukr, rus, mng})
        scenario.jurisdictions[j.code] = j;
}

} // namespace orefront::test
