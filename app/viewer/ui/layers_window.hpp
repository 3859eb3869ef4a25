#pragma once
// Layers window: visibility, opacity, colour and draw order of each layer, and adding a
// layer from any GDAL source (loaded on a worker, with a progress indicator).
#include "map_document.hpp"
#include "map_labels.hpp"

#include <cstdint>
#include <functional>
#include <string>

namespace orefront::viewer {

// A load in flight, as shown: its label, the stage it is in and how far ("measure 4,000 of
// 10,000" from the shared model::Progress counters), and the time since it started.
struct LoadingJob {
    std::string label;
    std::string stage;       // empty when the job reports none
    std::uint64_t done = 0;  // items done in the stage
    std::uint64_t total = 0; // items in the stage; 0 when unknown
    double fraction = -1;    // done / total, or < 0 when the total is unknown
    double seconds = 0;
};
// "deposits.gpkg: measure 4,000 of 10,000 (3.2 s)", as the panel and the menu bar show it.
std::string loadingText(const LoadingJob &job);

struct LayersWindow {
    char m_path[1024] = "";
    int m_role = 0; // index into the roles offered for a new layer
    std::string m_lastError;

    // `loading`: the loads in flight. `onAdd` starts a load.
    // `labels`: the per-layer label switches and fields (ViewSettings::labels).
    void Draw(const char *title, bool *p_open, MapDocument &doc, LabelSettings &labels,
              const std::vector<LoadingJob> &loading,
              const std::function<void(const std::string &, model::LayerRole)> &onAdd);
};

} // namespace orefront::viewer
