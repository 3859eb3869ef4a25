#pragma once
// What-if: the scenario's named what-if fronts (its [[whatif]] tables, then the
// hypothetical-front annotations), one of them chosen and shown on the map (its front dashed
// black) with the deposits whose verdict it flips against the real scenario: name, real ->
// what-if, and why. The window only asks (ask* members); ViewerApp computes the chosen one on
// a worker (computeWhatIf, what `orefront whatif` runs) and fills in what the window shows.
#include "whatif_view.hpp"

#include "orefront/model/scenario.hpp"

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace orefront::viewer {

inline constexpr const char *kWhatIfWindow = "What-if";

struct WhatIfWindow {
    // Set by ViewerApp every frame it is drawn.
    std::vector<model::WhatIf> whatifs;
    std::string chosen;                     // the name of the what-if shown; empty: none
    bool computing = false;                 // the chosen one is being judged
    std::string message;                    // why it could not be
    std::shared_ptr<const WhatIfView> view; // the chosen one, once judged
    // Asked for in the last Draw(), for ViewerApp to act on (and reset).
    std::optional<std::string> askChoose; // a name; "" for none
    int askSelect = -1;                   // a deposit to select and fly to

    void Draw(const char *title, bool *p_open);
};

} // namespace orefront::viewer
