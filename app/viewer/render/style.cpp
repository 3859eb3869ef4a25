#include "render/style.hpp"

#include <algorithm>
#include <cmath>

namespace orefront::viewer {

Rgba verdictColour(rules::Verdict v) {
    switch (v) {
    case rules::Verdict::Investable:
        return palette::kInvestable;
    case rules::Verdict::Marginal:
        return palette::kMarginal;
    case rules::Verdict::NotInvestable:
        return palette::kNotInvestable;
    case rules::Verdict::Unknown:
        break;
    }
    return palette::kUnknown;
}

const char *verdictLabel(rules::Verdict v) {
    switch (v) {
    case rules::Verdict::Investable:
        return "Investable";
    case rules::Verdict::Marginal:
        return "Marginal";
    case rules::Verdict::NotInvestable:
        return "Not investable";
    case rules::Verdict::Unknown:
        break;
    }
    return "Unknown";
}

Rgba ringColour(std::size_t n, std::size_t count) {
    // 20 km band the most opaque; outer bands fade but stay visible over the land colour.
    const float t = count > 1 ? float(n) / float(count - 1) : 0.0f;
    return Rgba{0x5A, 0x4F, 0xCF}.withAlpha(0.42f - 0.26f * t);
}

float markerDiameterPx(std::optional<double> tonnageMt) {
    if (!tonnageMt || !(*tonnageMt > 0))
        return kMinMarkerPx;
    const double d = kMinMarkerPx + 5.5 * std::log10(1.0 + *tonnageMt);
    return float(std::clamp(d, double(kMinMarkerPx), double(kMaxMarkerPx)));
}

Rgba defaultLayerColour(model::LayerRole role) {
    switch (role) {
    case model::LayerRole::Hostile:
        return palette::kHostile;
    case model::LayerRole::Front:
        return palette::kFront;
    case model::LayerRole::Basemap:
    case model::LayerRole::Boundaries:
        return palette::kBorder;
    case model::LayerRole::Deposits:
        return palette::kUnknown;
    case model::LayerRole::Ports:
        return Rgba{0x00, 0x72, 0xB2}; // Okabe-Ito blue
    case model::LayerRole::Rail:
        return Rgba{0x33, 0x33, 0x33};
    case model::LayerRole::Power:
        return Rgba{0xCC, 0x79, 0xA7}; // Okabe-Ito reddish purple
    case model::LayerRole::Other:
        break;
    }
    return Rgba{0x56, 0xB4, 0xE9}; // Okabe-Ito sky blue
}

MapClass mapClassOf(model::LayerRole role, const std::string &style) {
    if (role == model::LayerRole::Hostile)
        return style == "hostile_state" ? MapClass::HostileState : MapClass::Occupied;
    if (role == model::LayerRole::Front)
        return style == "state_border" ? MapClass::StateBorder : MapClass::FrontLine;
    return MapClass::Default;
}

ClassLook classLook(MapClass c) {
    switch (c) {
    case MapClass::Occupied:
        return {palette::kHostile, palette::kHostileEdge, 1.0f, 0.0f, {}, 0.0f, "Occupied territory"};
    case MapClass::HostileState:
        return {palette::kHostileState,   palette::kHostileStateEdge, 1.0f, 0.0f, {}, 0.0f,
                "Hostile state territory"};
    case MapClass::Contested:
        return {palette::kContested, palette::kContestedEdge, 1.0f, 7.0f, {}, 0.0f, "Contested (grey zone)"};
    case MapClass::FrontLine:
        return {palette::kFront, palette::kFront, 2.5f, 0.0f, {}, 0.0f, "Front line"};
    case MapClass::StateBorder:
        return {palette::kStateBorder, palette::kStateBorder, 1.4f, 0.0f, palette::kStateBorderCasing, 4.5f,
                "State border"};
    case MapClass::Default:
        break;
    }
    return {};
}

} // namespace orefront::viewer
