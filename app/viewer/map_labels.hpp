#pragma once
// Names on the map: which features are labelled (per-layer switch and field), their
// priority, and the ring distances, all placed through one collision index
// (label_placement.hpp) so no two labels overlap; then drawn with a halo through ImGui's draw
// list. The viewer and `orefront render` share it, so an exported PNG carries the same labels.
//
// Priority, highest first: the selected deposit (always placed), then deposits by verdict
// severity - not investable, marginal, investable, unknown - and by ore tonnage, then the ring
// distances (each tries several spots along its ring, and the legend lists them too), then
// other layers' points (ports, power plants, rail hubs).
// Severity first because the red deposits are the ones an analyst must account for: each is
// an asset the map says the front has taken off the table, and the question the map is
// asked is "which one is that?". Investable deposits are mostly far from the front, where
// there is room for their labels anyway.
#include "label_placement.hpp"
#include "map_document.hpp"
#include "render/mercator.hpp"
#include "render/style.hpp"
#include "report_views.hpp"

#include <imgui.h>

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace orefront::viewer {

// One layer's labels: shown or not, and from which attribute. An empty field means the
// deposit's name as the scenario reads it (its name_field), or else a field called "name".
struct LayerLabels {
    bool on = false;
    std::string field;
    bool operator==(const LayerLabels &) const = default;
};
// Per layer id (ViewSettings::labels). A layer without an entry: deposits labelled by name,
// others off.
using LabelSettings = std::map<std::string, LayerLabels>;
LayerLabels labelsFor(const LabelSettings &settings, const MapLayer &layer);
// The roles whose features can be labelled (points: deposits, ports, power plants, rail hubs,
// and other point layers).
bool labelledRole(model::LayerRole role);
// The field shown when `labels.field` is empty, or "" when the layer has none to offer.
std::string defaultLabelField(const MapLayer &layer);

struct MapLabel {
    enum Kind { Deposit, Ring, Feature } kind = Deposit;
    std::string text;
    ScreenBox box; // map pixels, top-left origin: the text and its halo pill
    Rgba ink;
    bool selected = false;
};

// Everything a layout depends on besides the document and camera.
struct MapLabelInputs {
    LabelSettings settings;
    bool rings = true; // ring distance labels
    float markerScale = 1.0f;
    int selected = -1;
    float fontSize = 15.0f; // gaps and padding scale with it (HiDPI)
    std::vector<ScreenBox> obstacles;
    bool operator==(const MapLabelInputs &) const = default;
};

// Inputs for the current ImGui font (its size sets the gaps).
MapLabelInputs mapLabelInputs(LabelSettings settings, bool rings, float markerScale, int selected,
                              std::vector<ScreenBox> obstacles);

using MeasureText = std::function<LabelSize(std::string_view text)>;

// The deposits' marker points, one per feature, by label priority (verdict severity, then
// tonnage). Depends on the deposits mesh and the report: built once per rule evaluation (a
// sort of every deposit), so that a view change walks it from the top and stops after the
// kMaxLabelTries labels in view it can try.
struct DepositLabelOrder {
    const LayerMesh *mesh = nullptr;
    std::uint64_t reportGeneration = 0;
    std::vector<std::uint32_t> points; // into mesh->points, highest priority first
    // The same points by tonnage alone, largest first, and their tonnages (what a new
    // report's order is built from while they still hold): shared by the orders of one
    // document's reports, not copied.
    struct ByTonnage {
        std::vector<std::uint32_t> points;
        std::vector<double> tonnage;
    };
    std::shared_ptr<const ByTonnage> byTonnage;
    // Whether it is the order of `doc`'s report: built for it here, or the one its report
    // came with (MapDocument::reportViews).
    bool current(const MapDocument &doc) const;
    // `previous`, an order of the same document, saves sorting by tonnage again.
    static std::shared_ptr<const DepositLabelOrder> of(const MapDocument &doc,
                                                       const DepositLabelOrder *previous = nullptr);
    // The order `doc`'s report came with (MapDocument::reportViews), else of(doc, previous).
    static std::shared_ptr<const DepositLabelOrder> forReport(const MapDocument &doc,
                                                              const DepositLabelOrder *previous = nullptr);
    // The same for a report's `deposits` over `mesh` (reportGeneration left 0): what the rules
    // worker builds with the report (computeReportViews). Any thread.
    static std::shared_ptr<DepositLabelOrder> of(const LayerMesh &mesh, const DepositColumns &deposits,
                                                 const DepositLabelOrder *previous = nullptr);
};

// Places every label for this view. GL-free and ImGui-free (`measure` sizes the text);
// scans the deposits in view: call it when the view changes, not every frame.
// `order`: DepositLabelOrder::of(doc), built here when missing or stale.
std::vector<MapLabel> layoutMapLabels(const MapDocument &doc, const Camera &camera, const MapLabelInputs &in,
                                      const MeasureText &measure, const DepositLabelOrder *order = nullptr);

// Text size in the current ImGui font.
LabelSize measureImGuiText(std::string_view text);

// Draws `labels`: each text on a translucent white pill (its halo), which fills its box.
void drawMapLabels(ImDrawList *dl, ImVec2 origin, const std::vector<MapLabel> &labels);

// The labels of one map view, laid out again only when what they depend on changes.
class MapLabelLayer {
public:
    // `viewChanged`: the camera or the document changed since the last call.
    void update(const MapDocument &doc, const Camera &camera, MapLabelInputs in, bool viewChanged);
    void draw(ImDrawList *dl, ImVec2 origin) const { drawMapLabels(dl, origin, m_labels); }
    const std::vector<MapLabel> &labels() const { return m_labels; }

private:
    std::optional<MapLabelInputs> m_inputs;
    std::shared_ptr<const DepositLabelOrder> m_order;
    std::vector<MapLabel> m_labels;
};

} // namespace orefront::viewer
