#include "map_labels.hpp"

#include "map_overlay.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <memory>
#include <numeric>

namespace orefront::viewer {

namespace {

// Room round a label's text inside its halo pill, for a font of `fontSize` pixels.
ImVec2 pillPadding(float fontSize) {
    return {std::round(3.0f * fontSize / 15.0f), std::round(fontSize / 15.0f)};
}

// Deposit priority: the verdict's rank in bands, tonnage (Mt) within a band.
constexpr double kDepositBand = 1e9; // per verdict rank; tonnage (Mt) is added within it
constexpr double kFeaturePriority = 0;
constexpr double kMinRingPx = 12; // the smallest ring's radius on screen, for ring labels

int severityRank(rules::Verdict v) {
    switch (v) {
    case rules::Verdict::NotInvestable:
        return 4;
    case rules::Verdict::Marginal:
        return 3;
    case rules::Verdict::Investable:
        return 2;
    case rules::Verdict::Unknown:
        return 1;
    }
    return 0;
}

// Deposit labels: dark text (red-brown for not investable, so the name reads with its
// verdict); the halo does the contrast.
Rgba depositInk(rules::Verdict v) {
    return v == rules::Verdict::NotInvestable ? Rgba{0x8A, 0x2E, 0x00} : Rgba{0x1E, 0x1E, 0x23};
}

// The pixel position of a mesh point.
void meshPointToScreen(const LayerMesh &mesh, Vec2f p, const Camera &camera, double &sx, double &sy) {
    camera.mercatorToScreen({mesh.origin.x + p.x, mesh.origin.y + p.y}, sx, sy);
}

std::string fieldText(const model::Layer &layer, int field, std::size_t feature) {
    if (field < 0 || feature >= layer.features.size())
        return {};
    const auto &attrs = layer.features[feature].attributes;
    return std::size_t(field) < attrs.size() ? model::toString(attrs[std::size_t(field)]) : std::string{};
}

constexpr int kReportName = -1; // the deposit's name as the report has it (name_field)
constexpr int kNoField = -2;    // the chosen field is not in the layer: no text

// A label to try. Its text is read only if it is tried: most of 100k deposits in view never are.
struct Pending {
    LabelRequest request;
    const model::Layer *layer = nullptr;
    int field = kReportName; // attribute index, or kReportName, or kNoField
    std::uint32_t feature = 0;
    MapLabel::Kind kind = MapLabel::Deposit;
    Rgba ink;
    bool selected = false;
};

std::string textOf(const Pending &p, const MapDocument &doc) {
    if (p.field == kReportName)
        return p.feature < doc.report().deposits.size() ? doc.report().deposits[p.feature].name
                                                        : std::string{};
    return fieldText(*p.layer, p.field, p.feature);
}

double depositPriority(const rules::DepositVerdict &d) {
    return severityRank(d.verdict) * kDepositBand + std::min(d.tonnageMt.value_or(0.0), 1e8);
}

float markerRadius(const MapDocument &doc, std::uint32_t point, const MapLabelInputs &in) {
    return (point < doc.markerSizes().size() ? doc.markerSizes()[point] : kMinMarkerPx) * in.markerScale / 2;
}

// Markers in view beyond this many (the most important kept) are not obstacles: a view that
// dense reads as a density map, and its few labels may cover the least important markers.
constexpr std::size_t kMaxMarkerObstacles = 5000;

void addMarker(std::vector<ScreenBox> &markers, double sx, double sy, float radius) {
    if (markers.size() < kMaxMarkerObstacles)
        markers.push_back({float(sx) - radius, float(sy) - radius, float(sx) + radius, float(sy) + radius});
}

Pending depositPending(const MapDocument &doc, const MapLayer &layer, int field, std::uint32_t point,
                       double sx, double sy, const MapLabelInputs &in) {
    const std::uint32_t f = layer.mesh->pointFeature[point];
    const auto &d = doc.report().deposits[f];
    const float scale = in.fontSize / 15.0f;
    const float radius = markerRadius(doc, point, in);
    const bool selected = int(f) == in.selected;
    Pending p;
    p.layer = layer.layer.get();
    p.field = field;
    p.feature = f;
    p.kind = MapLabel::Deposit;
    p.ink = depositInk(d.verdict);
    p.selected = selected;
    // The selection ring (MapWindow) is 16 px: its label clears it.
    p.request.gap = selected ? std::max(radius, 16.0f) + 3 * scale : radius + 3 * scale;
    p.request.x = float(sx);
    p.request.y = float(sy);
    p.request.required = selected;
    p.request.priority = depositPriority(d);
    return p;
}

// Label requests for the deposits in view (only the selected one unless `labels.on`): the
// highest-priority kMaxLabelTries in view, walking `order`; and the markers' boxes.
void addDepositRequests(const MapDocument &doc, const MapLayer &layer, const LayerLabels &labels,
                        const DepositLabelOrder &order, const Camera &camera, const MapLabelInputs &in,
                        const ScreenBox &view, std::vector<Pending> &out, std::vector<ScreenBox> &markers) {
    if (!doc.snapshot() || !layer.mesh || !layer.layer || order.mesh != layer.mesh.get())
        return;
    const LayerMesh &mesh = *layer.mesh;
    const auto inView = [&](std::uint32_t i, double &sx, double &sy) {
        meshPointToScreen(mesh, mesh.points[i], camera, sx, sy);
        return sx >= view.x0 && sx < view.x1 && sy >= view.y0 && sy < view.y1;
    };
    double sx, sy;
    // Markers no label may cover: the most important first, as many as the cap allows.
    for (std::size_t k = 0; k < order.points.size() && markers.size() < kMaxMarkerObstacles; ++k)
        if (inView(order.points[k], sx, sy))
            addMarker(markers, sx, sy, markerRadius(doc, order.points[k], in));

    int field = labels.field.empty() ? kReportName : layer.layer->fieldIndex(labels.field);
    if (field < 0 && !labels.field.empty())
        field = kNoField;
    bool selectedAdded = false;
    std::size_t added = 0;
    // Cull to the view first: a label's anchor must be on the map (the selected one's too).
    for (std::size_t k = 0; labels.on && k < order.points.size() && added < kMaxLabelTries; ++k) {
        const std::uint32_t i = order.points[k];
        if (!inView(i, sx, sy))
            continue;
        out.push_back(depositPending(doc, layer, field, i, sx, sy, in));
        selectedAdded = selectedAdded || out.back().selected;
        ++added;
    }
    if (selectedAdded || in.selected < 0)
        return;
    for (std::uint32_t i = 0; i < mesh.points.size(); ++i)
        if (int(mesh.pointFeature[i]) == in.selected && inView(i, sx, sy)) {
            out.push_back(depositPending(doc, layer, field, i, sx, sy, in));
            return;
        }
}

// As addDepositRequests, for a layer of ports, power plants, rail hubs or other points.
void addFeatureRequests(const MapLayer &layer, const LayerLabels &labels, const Camera &camera,
                        const MapLabelInputs &in, const ScreenBox &view, std::vector<Pending> &out,
                        std::vector<ScreenBox> &markers) {
    if (!layer.mesh || !layer.layer)
        return;
    const std::string fieldName = labels.field.empty() ? defaultLabelField(layer) : labels.field;
    const int field = labels.on ? layer.layer->fieldIndex(fieldName) : -1;
    const LayerMesh &mesh = *layer.mesh;
    const float scale = in.fontSize / 15.0f;
    std::vector<bool> seen(layer.layer->features.size(), false);
    for (std::size_t i = 0; i < mesh.points.size(); ++i) {
        const std::uint32_t f = mesh.pointFeature[i];
        if (f >= seen.size() || seen[f])
            continue;
        double sx, sy;
        meshPointToScreen(mesh, mesh.points[i], camera, sx, sy);
        if (sx < view.x0 || sx >= view.x1 || sy < view.y0 || sy >= view.y1)
            continue;
        seen[f] = true;
        const float radius = (layer.role == model::LayerRole::Ports ? 5.0f : 3.5f) * in.markerScale;
        addMarker(markers, sx, sy, radius);
        if (field < 0)
            continue;
        Pending p;
        p.layer = layer.layer.get();
        p.field = field;
        p.feature = f;
        p.kind = MapLabel::Feature;
        p.ink = {0x33, 0x33, 0x3A};
        p.request.gap = radius + 3 * scale;
        p.request.x = float(sx);
        p.request.y = float(sy);
        p.request.priority = kFeaturePriority;
        out.push_back(std::move(p));
    }
}

} // namespace

std::shared_ptr<const DepositLabelOrder> DepositLabelOrder::of(const MapDocument &doc,
                                                               const DepositLabelOrder *previous) {
    const MapLayer *layer = doc.depositsLayer();
    if (!layer || !layer->mesh)
        return std::make_shared<DepositLabelOrder>();
    const DepositColumns columns = DepositColumns::of(doc.report());
    auto order = of(*layer->mesh, columns, previous);
    order->reportGeneration = doc.reportGeneration();
    return order;
}

std::shared_ptr<DepositLabelOrder> DepositLabelOrder::of(const LayerMesh &mesh,
                                                         const DepositColumns &deposits,
                                                         const DepositLabelOrder *previous) {
    auto order = std::make_shared<DepositLabelOrder>();
    const std::size_t n = deposits.verdict.size();
    order->mesh = &mesh;
    // Priority is the verdict's rank, then tonnage; ties keep point order (one point per
    // feature, its first). Tonnage does not change with the thresholds, so the points by
    // tonnage are kept from `previous` while they still hold, and a new report only sorts them
    // into its verdicts' ranks, keeping that order: a counting pass, not a sort of 100k
    // deposits. Read from the report's columns (DepositColumns), not its 100k verdicts of a
    // few hundred bytes each, one cache miss per deposit.
    const auto &tonnage = deposits.tonnage;
    const ByTonnage *kept = previous && previous->mesh == &mesh ? previous->byTonnage.get() : nullptr;
    bool reuse = kept && kept->points.size() == kept->tonnage.size();
    for (std::size_t k = 0; reuse && k < kept->points.size(); ++k) {
        const std::uint32_t f = mesh.pointFeature[kept->points[k]];
        reuse = f < n && tonnage[f] == kept->tonnage[k];
    }
    if (reuse) {
        order->byTonnage = previous->byTonnage;
    } else {
        auto built = std::make_shared<ByTonnage>();
        std::vector<bool> seen(n, false);
        std::vector<std::uint32_t> &firsts = built->points;
        for (std::uint32_t i = 0; i < mesh.points.size(); ++i) {
            const std::uint32_t f = mesh.pointFeature[i];
            if (f < n && !seen[f]) {
                seen[f] = true;
                firsts.push_back(i);
            }
        }
        std::stable_sort(firsts.begin(), firsts.end(), [&](std::uint32_t a, std::uint32_t b) {
            return tonnage[mesh.pointFeature[a]] > tonnage[mesh.pointFeature[b]];
        });
        built->tonnage.reserve(firsts.size());
        for (std::uint32_t i : firsts)
            built->tonnage.push_back(tonnage[mesh.pointFeature[i]]);
        order->byTonnage = std::move(built);
    }
    const std::vector<std::uint32_t> &byTonnage = order->byTonnage->points;
    // Ranks 4 (not investable) down to 0, each in tonnage order.
    const auto bucket = [&](std::uint32_t i) {
        return std::size_t(5 - severityRank(rules::Verdict(deposits.verdict[mesh.pointFeature[i]])));
    };
    std::array<std::size_t, 6> start{};
    for (std::uint32_t i : byTonnage)
        ++start[bucket(i)];
    for (std::size_t r = 5; r > 0; --r)
        start[r] = start[r - 1];
    start[0] = 0;
    for (std::size_t r = 1; r < start.size(); ++r)
        start[r] += start[r - 1];
    order->points.resize(byTonnage.size());
    for (std::uint32_t i : byTonnage)
        order->points[start[bucket(i)]++] = i;
    return order;
}

std::shared_ptr<const DepositLabelOrder> DepositLabelOrder::forReport(const MapDocument &doc,
                                                                      const DepositLabelOrder *previous) {
    // The order built with the report on the rules worker; else built here.
    if (const ReportViews *views = doc.reportViews();
        views && views->labelOrder && views->labelOrder->current(doc))
        return views->labelOrder;
    return of(doc, previous);
}

bool DepositLabelOrder::current(const MapDocument &doc) const {
    const MapLayer *layer = doc.depositsLayer();
    if (!layer || layer->mesh.get() != mesh)
        return false;
    if (const ReportViews *views = doc.reportViews(); views && views->labelOrder.get() == this)
        return true;
    return reportGeneration != 0 && doc.reportGeneration() == reportGeneration;
}

bool labelledRole(model::LayerRole role) {
    switch (role) {
    case model::LayerRole::Deposits:
    case model::LayerRole::Ports:
    case model::LayerRole::Rail:
    case model::LayerRole::Power:
    case model::LayerRole::Other:
        return true;
    default:
        return false;
    }
}

LayerLabels labelsFor(const LabelSettings &settings, const MapLayer &layer) {
    const auto it = settings.find(layer.id);
    if (it != settings.end())
        return it->second;
    return {layer.role == model::LayerRole::Deposits, {}};
}

std::string defaultLabelField(const MapLayer &layer) {
    if (!layer.layer)
        return {};
    for (const char *name : {"name", "name_en", "name_uk", "title", "label"}) {
        const int i = layer.layer->fieldIndex(name);
        if (i >= 0)
            return layer.layer->fields[std::size_t(i)].name;
    }
    for (const auto &f : layer.layer->fields)
        if (f.type == model::FieldType::String)
            return f.name;
    return {};
}

std::vector<MapLabel> layoutMapLabels(const MapDocument &doc, const Camera &camera, const MapLabelInputs &in,
                                      const MeasureText &measure, const DepositLabelOrder *order) {
    std::shared_ptr<const DepositLabelOrder> built;
    if (!order || !order->current(doc)) {
        built = DepositLabelOrder::forReport(doc);
        order = built.get();
    }
    const ScreenBox view{0, 0, float(camera.width), float(camera.height)};
    const float scale = in.fontSize / 15.0f;
    LabelPlacer placer(view, 2.0f * scale);
    for (const auto &o : in.obstacles)
        placer.addObstacle(o);

    std::vector<Pending> pending;
    std::vector<ScreenBox> markers;
    for (const MapLayer &layer : doc.layers()) {
        if (!layer.visible || !labelledRole(layer.role))
            continue;
        const LayerLabels labels = labelsFor(in.settings, layer);
        // The selected deposit is labelled even with the layer's labels off.
        if (layer.role == model::LayerRole::Deposits)
            addDepositRequests(doc, layer, labels, *order, camera, in, view, pending, markers);
        else
            addFeatureRequests(layer, labels, camera, in, view, pending, markers);
    }
    for (const auto &m : markers)
        placer.addMarker(m);
    // Ring distances: one label per ring, at the first candidate crossing (middle rows
    // first) where it fits.
    std::vector<RingLabel> ringAnchors;
    if (in.rings && doc.rings() && !doc.rings()->rings.empty()) {
        // Not when the smallest ring is a few pixels wide: its label would name a blur.
        const double lat = camera.screenToLonLat(camera.width / 2.0, camera.height / 2.0).lat;
        const double groundMetresPerPixel = camera.metresPerPixel * std::cos(lat * M_PI / 180.0);
        if (doc.rings()->rings.front().km * 1000.0 / groundMetresPerPixel >= kMinRingPx * scale)
            ringAnchors = ringLabelAnchors(*doc.rings(), camera);
    }

    // The selected deposit first: nothing may take its place. Then the deposits, the ring
    // distances (also in the legend) and the other layers' points.
    std::vector<LabelRequest> selected, deposits, features;
    deposits.reserve(pending.size());
    for (std::size_t i = 0; i < pending.size(); ++i) {
        pending[i].request.id = std::uint32_t(i);
        (pending[i].request.required            ? selected
         : pending[i].kind == MapLabel::Deposit ? deposits
                                                : features)
            .push_back(pending[i].request);
    }
    std::vector<std::string> texts(pending.size()); // read for the requests tried only
    // Boxes hold the text and its halo pill.
    const auto padded = [&](LabelSize t) {
        const ImVec2 pad = pillPadding(in.fontSize);
        return LabelSize{t.width + 2 * pad.x, t.height + 2 * pad.y};
    };
    const auto measurePending = [&](std::uint32_t id) {
        texts[id] = textOf(pending[id], doc);
        return texts[id].empty() ? LabelSize{} : padded(measure(texts[id]));
    };
    std::vector<MapLabel> out;
    const auto emit = [&](const std::vector<PlacedLabel> &placed) {
        for (const auto &p : placed)
            out.push_back({pending[p.id].kind, std::move(texts[p.id]), p.box, pending[p.id].ink,
                           pending[p.id].selected});
    };
    emit(placeLabels(placer, std::move(selected), measurePending));
    emit(placeLabels(placer, std::move(deposits), measurePending));
    // Each ring's label right of its edge at the first row with room; failing that, left of it.
    std::vector<bool> ringDone(doc.rings() ? doc.rings()->rings.size() : 0, false);
    for (const LabelPosition side : {kRight, kLeft}) {
        for (const auto &a : ringAnchors) {
            if (a.ring >= ringDone.size() || ringDone[a.ring])
                continue;
            char text[32];
            std::snprintf(text, sizeof text, "%g km", a.km);
            LabelRequest r;
            r.x = float(a.x);
            r.y = float(a.y);
            r.gap = 4 * scale;
            r.positions = side;
            if (const auto p = placer.place(r, padded(measure(text)))) {
                ringDone[a.ring] = true;
                out.push_back({MapLabel::Ring, text, p->box, palette::kRingEdge.withAlpha(1.0f), false});
            }
        }
    }
    emit(placeLabels(placer, std::move(features), measurePending));
    return out;
}

MapLabelInputs mapLabelInputs(LabelSettings settings, bool rings, float markerScale, int selected,
                              std::vector<ScreenBox> obstacles) {
    MapLabelInputs in;
    in.settings = std::move(settings);
    in.rings = rings;
    in.markerScale = markerScale;
    in.selected = selected;
    in.fontSize = ImGui::GetFontSize();
    in.obstacles = std::move(obstacles);
    return in;
}

LabelSize measureImGuiText(std::string_view text) {
    const ImVec2 s = ImGui::CalcTextSize(text.data(), text.data() + text.size());
    return {s.x, s.y};
}

void drawMapLabels(ImDrawList *dl, ImVec2 o, const std::vector<MapLabel> &labels) {
    // The halo is a translucent pill under the text, not outline copies of it: on Mesa's
    // software renderer every glyph quad costs its whole area, and eight copies of a few dozen
    // names cost as much as another full-screen layer (100k-deposit redraw frames).
    const ImVec2 pad = pillPadding(ImGui::GetFontSize());
    for (const auto &l : labels) {
        const ImVec2 a{o.x + l.box.x0, o.y + l.box.y0}, b{o.x + l.box.x1, o.y + l.box.y1};
        dl->AddRectFilled(a, b, IM_COL32(255, 255, 255, l.selected ? 245 : 230), pad.x);
        if (l.selected)
            dl->AddRect(a, b, IM_COL32(30, 30, 35, 255), pad.x, 0, 1.5f);
        dl->AddText({a.x + pad.x, a.y + pad.y}, IM_COL32(l.ink.r, l.ink.g, l.ink.b, 255), l.text.data(),
                    l.text.data() + l.text.size());
    }
}

void MapLabelLayer::update(const MapDocument &doc, const Camera &camera, MapLabelInputs in,
                           bool viewChanged) {
    if (!viewChanged && m_inputs && *m_inputs == in)
        return;
    if (!m_order || !m_order->current(doc))
        m_order = DepositLabelOrder::forReport(doc, m_order.get());
    m_labels = layoutMapLabels(doc, camera, in, measureImGuiText, m_order.get());
    m_inputs = std::move(in);
}

} // namespace orefront::viewer
