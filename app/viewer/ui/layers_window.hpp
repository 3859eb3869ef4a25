#pragma once
// Layers window: visibility, opacity, colour and draw order of each layer, and adding a
// layer from any GDAL source (loaded on a worker, with a progress indicator).
#include "map_document.hpp"
#include "map_labels.hpp"

#include <functional>
#include <string>

namespace orefront::viewer {

struct LayersWindow {
    char m_path[1024] = "";
    int m_role = 0; // index into the roles offered for a new layer
    std::string m_lastError;

    // `loading`: labels of layer loads in flight, with seconds elapsed. `onAdd` starts a load.
    // `labels`: the per-layer label switches and fields (ViewSettings::labels).
    void Draw(const char *title, bool *p_open, MapDocument &doc, LabelSettings &labels,
              const std::vector<std::pair<std::string, double>> &loading,
              const std::function<void(const std::string &, model::LayerRole)> &onAdd);
};

} // namespace orefront::viewer
