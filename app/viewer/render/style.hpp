#pragma once
// Colours and sizes of the map: one place, so the map, the legend and the tests agree.
// Verdicts use the Okabe-Ito palette, which stays distinguishable with the common forms of
// colour blindness.
#include "orefront/model/layer.hpp"
#include "orefront/rules/rules.hpp"

#include <cstdint>
#include <optional>
#include <string>

namespace orefront::viewer {

struct Rgba {
    std::uint8_t r = 0, g = 0, b = 0, a = 255;
    // Packed as GL reads GL_UNSIGNED_BYTE x4 from memory on a little-endian machine.
    std::uint32_t packed() const { return r | (g << 8) | (b << 16) | (std::uint32_t(a) << 24); }
    Rgba withAlpha(float alpha) const { return {r, g, b, std::uint8_t(alpha * 255.0f + 0.5f)}; }
    bool operator==(const Rgba &) const = default;
};

namespace palette {
inline constexpr Rgba kInvestable{0x00, 0x9E, 0x73};    // Okabe-Ito bluish green
inline constexpr Rgba kMarginal{0xF0, 0xE4, 0x42};      // Okabe-Ito yellow: far lighter than vermillion
inline constexpr Rgba kNotInvestable{0xD5, 0x5E, 0x00}; // Okabe-Ito vermillion
inline constexpr Rgba kUnknown{0x99, 0x99, 0x99};
inline constexpr Rgba kSea{0xDD, 0xE8, 0xF0}; // background
inline constexpr Rgba kLand{0xF4, 0xF1, 0xEA};
inline constexpr Rgba kBorder{0x8C, 0x8C, 0x8C};
inline constexpr Rgba kGraticule{0xA0, 0xA8, 0xB4, 0x70};
inline constexpr Rgba kHostile{0x9E, 0x1F, 0x63, 0x73}; // occupied territory: red-purple tint, 45 %
inline constexpr Rgba kHostileEdge{0x7A, 0x12, 0x4A, 0xD0};
inline constexpr Rgba kHostileState{0x4D, 0x4D, 0x4D, 0x4D}; // a hostile state's own territory: grey, 30 %
inline constexpr Rgba kHostileStateEdge{0x33, 0x33, 0x33, 0xC0};
inline constexpr Rgba kContested{0x4D, 0x4D, 0x4D, 0xB3}; // grey zone: dark grey hatching, 70 %
inline constexpr Rgba kContestedEdge{0x4D, 0x4D, 0x4D, 0xE0};
inline constexpr Rgba kFront{0x5C, 0x0A, 0x2E};
inline constexpr Rgba kStateBorder{0x1A, 0x1A, 0x1A}; // a thin dark line on a white casing
inline constexpr Rgba kStateBorderCasing{0xFF, 0xFF, 0xFF, 0xE0};
inline constexpr Rgba kRingEdge{0x4B, 0x3B, 0x8F, 0xB0};
inline constexpr Rgba kInfrastructure{0x33, 0x33, 0x33};
inline constexpr Rgba kMarkerOutline{0x20, 0x20, 0x20};
} // namespace palette

Rgba verdictColour(rules::Verdict v);
const char *verdictLabel(rules::Verdict v); // "Investable", "Not investable", ...

// Band fill of the n-th ring (0 = the smallest) of `count`: the same blue-violet hue,
// more opaque nearer the front.
Rgba ringColour(std::size_t n, std::size_t count);

// Marker diameter in pixels: grows with the logarithm of the ore tonnage (million tonnes)
// so that a 1,000 Mt giant and a 1 Mt prospect are both visible; unknown tonnage gets the
// smallest size.
float markerDiameterPx(std::optional<double> tonnageMt);
inline constexpr float kMinMarkerPx = 9.0f;
inline constexpr float kMaxMarkerPx = 26.0f;

// Default colour of a layer by role, for the Layers panel.
Rgba defaultLayerColour(model::LayerRole role);

// What a hostile or front layer shows, each with its own look and legend entry, so that
// occupied land, the hostile state itself, the grey zone, the front line and the state
// border never share a symbol. Default: any other layer (drawn by role).
enum class MapClass { Default, Occupied, HostileState, Contested, FrontLine, StateBorder };
// From a scenario layer's `style` key; empty means by role (hostile: Occupied, front: FrontLine).
MapClass mapClassOf(model::LayerRole role, const std::string &style);

struct ClassLook {
    Rgba fill;               // area classes; for lines the line colour
    Rgba edge;               // outline of an area
    float widthPx = 1.0f;    // outline or line width
    float hatchPx = 0.0f;    // > 0: the fill is diagonal stripes this many pixels apart
    Rgba casing;             // lines drawn on a wider light casing (state border) ...
    float casingPx = 0.0f;   // ... this wide; 0: none
    const char *legend = ""; // "Occupied territory", ...
};
ClassLook classLook(MapClass c);

} // namespace orefront::viewer
