#include "render/marker_splat.hpp"

#include <algorithm>
#include <cmath>

namespace orefront::viewer {

namespace {

// Markers come in draw order, which is spatially random: writing them straight into a 4 MB
// image misses the cache on every row. They are drawn band by band instead, each band small
// enough to stay in cache, keeping the draw order inside a band.
constexpr int kBandRows = 16;
// Radii are rounded to a quarter pixel and centres to a pixel: each radius is a stamp of
// half-widths, one per row, computed once (a square root per row costs more than the row).
constexpr double kRadiusSteps = 4.0;

// floor without a libm call (x86-64 before SSE 4.1 has no instruction for it).
int floorInt(double v) {
    const int i = int(v);
    return i - (v < i);
}

struct Disc {
    int x, y;            // centre pixel, y down
    std::uint32_t stamp; // index into the stamps
    std::uint32_t colour;
};

// Half-widths of the disc of radius stamp / kRadiusSteps centred on a pixel, for rows
// -R..R: the pixels whose centres are within the radius, and always the centre pixel.
std::vector<int> makeStamp(std::uint32_t stamp) {
    const double r = stamp / kRadiusSteps;
    const int rows = int(r);
    std::vector<int> half;
    for (int dy = -rows; dy <= rows; ++dy)
        half.push_back(int(std::sqrt(std::max(0.0, r * r - double(dy) * dy))));
    return half;
}

void drawDisc(const Disc &d, const std::vector<int> &half, int rowBegin, int rowEnd, const PixelRect &clip,
              int w, int h, std::uint32_t *image) {
    const int rows = int(half.size() / 2);
    const int y0 = std::max(rowBegin, d.y - rows), y1 = std::min(rowEnd - 1, d.y + rows);
    for (int y = y0; y <= y1; ++y) {
        const int hw = half[std::size_t(y - d.y + rows)];
        const int x0 = std::max(clip.x0, d.x - hw), x1 = std::min(clip.x1 - 1, d.x + hw);
        std::uint32_t *row = image + std::size_t(h - 1 - y) * std::size_t(w);
        for (int x = x0; x <= x1; ++x)
            row[x] = d.colour;
    }
}

} // namespace

void splatMarkers(const LayerMesh &mesh, const std::vector<std::uint32_t> &colours,
                  const std::vector<float> &sizes, const Camera &camera, float scale,
                  std::vector<std::uint32_t> &image, const PixelRect *clipTo) {
    const int w = camera.width, h = camera.height;
    image.assign(std::size_t(w) * std::size_t(h), 0u);
    PixelRect clip{0, 0, w, h};
    if (clipTo)
        clip = {std::max(0, clipTo->x0), std::max(0, clipTo->y0), std::min(w, clipTo->x1),
                std::min(h, clipTo->y1)};
    if (clip.x0 >= clip.x1 || clip.y0 >= clip.y1)
        return;
    // Mesh coordinates to screen pixels (y down) is affine.
    const double k = 1.0 / camera.metresPerPixel;
    const double ox = w / 2.0 + (mesh.origin.x - camera.center.x) * k;
    const double oy = h / 2.0 - (mesh.origin.y - camera.center.y) * k;
    const std::size_t n = std::min({mesh.points.size(), colours.size(), sizes.size()});

    std::vector<std::vector<int>> stamps;
    std::vector<Disc> discs;
    discs.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        const double r = sizes[i] * scale * 0.5;
        const int x = floorInt(ox + mesh.points[i].x * k), y = floorInt(oy - mesh.points[i].y * k);
        const int reach = int(r) + 1;
        if (x < clip.x0 - reach || y < clip.y0 - reach || x >= clip.x1 + reach || y >= clip.y1 + reach)
            continue;
        const auto stamp = std::uint32_t(std::max(0.0, r * kRadiusSteps + 0.5));
        if (stamp >= stamps.size())
            stamps.resize(stamp + 1);
        if (stamps[stamp].empty())
            stamps[stamp] = makeStamp(stamp);
        discs.push_back({x, y, stamp, colours[i]});
    }
    // Stable counting sort of the discs into the bands their rows touch; the discs
    // themselves, not indices, so that the band pass reads them in order.
    const int bands = (h + kBandRows - 1) / kBandRows; // over the whole image; rows outside `clip` stay empty
    auto bandRange = [&](const Disc &d) {
        const int rows = int(stamps[d.stamp].size() / 2);
        return std::pair{std::clamp((d.y - rows) / kBandRows, 0, bands - 1),
                         std::clamp((d.y + rows) / kBandRows, 0, bands - 1)};
    };
    std::vector<std::uint32_t> start(std::size_t(bands) + 1, 0);
    for (const Disc &d : discs) {
        const auto [a, b] = bandRange(d);
        for (int band = a; band <= b; ++band)
            ++start[std::size_t(band) + 1];
    }
    for (std::size_t b = 1; b < start.size(); ++b)
        start[b] += start[b - 1];
    std::vector<Disc> sorted(start.back());
    std::vector<std::uint32_t> next(start.begin(), start.end() - 1);
    for (const Disc &d : discs) {
        const auto [a, b] = bandRange(d);
        for (int band = a; band <= b; ++band)
            sorted[next[std::size_t(band)]++] = d;
    }
    for (int band = 0; band < bands; ++band) {
        const int rowBegin = std::max(clip.y0, band * kBandRows);
        const int rowEnd = std::min(clip.y1, (band + 1) * kBandRows);
        if (rowBegin >= rowEnd)
            continue;
        for (std::uint32_t j = start[std::size_t(band)]; j < start[std::size_t(band) + 1]; ++j)
            drawDisc(sorted[j], stamps[sorted[j].stamp], rowBegin, rowEnd, clip, w, h, image.data());
    }
}

} // namespace orefront::viewer
