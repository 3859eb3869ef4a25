// `orefront render` draws the scenario's annotations as the map shows them (its store, as
// `orefront brief` and `analyze` read it), on an image and on every frame of an animation;
// --no-annotations leaves them out. Pixels read back through GDAL and giflib.
#include "cli/cli_support.hpp"
#include "io/annotation_fixtures.hpp"
#include "orefront/io/annotation_store.hpp"

#include <gif_lib.h>

using namespace orefront::clitest;
namespace io = orefront::io;
using orefront::model::AnnotationKind;

TEST_CASE_METHOD(CliFixture, "render draws the scenario's annotations, --no-annotations leaves them out",
                 "[cli]") {
    const fs::path scenario = in("annotated.toml");
    writeText(scenario,
              "name = \"annotated\"\n\n[[layers]]\nid = \"deposits\"\nrole = \"deposits\"\nsource = \"" +
                  fixture("deposits_small.geojson") +
                  "\"\n\n[[layers]]\nid = \"occupied\"\nrole = \"hostile\"\nsource = \"" +
                  fixture("hostile_square.geojson") +
                  "\"\nstatus_field = \"status\"\nhostile_statuses = [\"occupied\"]\n");
    // The default store beside the scenario: one magenta area, 1 x 0.6 degrees, south of the deposits.
    {
        auto store = io::openAnnotationStore(in("annotated.annotations.gpkg").string());
        auto area = orefront::testing::make(AnnotationKind::Area,
                                            {{37.5, 46.3}, {38.5, 46.3}, {38.5, 46.9}, {37.5, 46.9}}, "");
        area.style.stroke = {255, 0, 255, 255};
        area.style.fill = {255, 0, 255, 255};
        store->add(area);
    }
    const std::vector<std::string> common = {scenario.string(), "--size", "800x500", "--bbox", "35,46,41,49"};
    const Result with = run("render", plus(common, {"-o", out("with.png").string()}));
    REQUIRE(with.code == 0);
    const Result without =
        run("render", plus(common, {"--no-annotations", "-o", out("without.png").string()}));
    REQUIRE(without.code == 0);
    // The area is about 108 x 95 px of the 800 x 500 image (Web Mercator, 7.4 degrees across),
    // clear of the legend, the scale bar and the labels.
    const std::size_t magenta = countColour(out("with.png"), 255, 0, 255);
    CHECK(magenta > 8000);
    CHECK(magenta < 13000);
    CHECK(countColour(out("without.png"), 255, 0, 255) == 0);
}

namespace {

// Pixels of each frame of the GIF at `p` within `tolerance` of (r, g, b) in each channel.
std::vector<std::size_t> gifColourCounts(const fs::path &p, int r, int g, int b, int tolerance = 24) {
    int err = 0;
    GifFileType *gif = DGifOpenFileName(p.c_str(), &err);
    INFO("opening " << p.string());
    REQUIRE(gif);
    REQUIRE(DGifSlurp(gif) == GIF_OK);
    std::vector<std::size_t> counts;
    for (int f = 0; f < gif->ImageCount; ++f) {
        const SavedImage &img = gif->SavedImages[f];
        const ColorMapObject *map = img.ImageDesc.ColorMap ? img.ImageDesc.ColorMap : gif->SColorMap;
        std::size_t n = 0;
        for (int i = 0; i < img.ImageDesc.Width * img.ImageDesc.Height; ++i) {
            const GifColorType c = map->Colors[img.RasterBits[i]];
            n += std::abs(c.Red - r) <= tolerance && std::abs(c.Green - g) <= tolerance &&
                 std::abs(c.Blue - b) <= tolerance;
        }
        counts.push_back(n);
    }
    DGifCloseFile(gif, &err);
    return counts;
}

} // namespace

TEST_CASE_METHOD(CliFixture, "render --from --to -o front.gif draws the annotations on every frame",
                 "[cli][animation]") {
    // The dated test series copied, with a store of its own beside it: one magenta area over
    // 31-33 E, 47-48 N, clear of the occupied boxes, the deposits and the legend.
    fs::copy(fixture("timeline"), in("timeline"), fs::copy_options::recursive);
    const fs::path scenario = in("timeline") / "scenario.toml";
    {
        auto store = io::openAnnotationStore((in("timeline") / "scenario.annotations.gpkg").string());
        auto area =
            orefront::testing::make(AnnotationKind::Area, {{31, 47}, {33, 47}, {33, 48}, {31, 48}}, "");
        area.style.stroke = {255, 0, 255, 255};
        area.style.fill = {255, 0, 255, 255};
        store->add(area);
    }
    const std::vector<std::string> common = {scenario.string(), "--step", "snapshots",  "--size",
                                             "400x250",         "--bbox", "28,45,42,52"};
    const Result with = run("render", plus(common, {"-o", out("with.gif").string()}));
    REQUIRE(with.code == 0);
    const Result without =
        run("render", plus(common, {"--no-annotations", "-o", out("without.gif").string()}));
    REQUIRE(without.code == 0);
    // 2 x 1 degrees of 14 across 400 px: about 57 x 40 px in Web Mercator, on each of the
    // three frames (one a snapshot).
    const auto withCounts = gifColourCounts(out("with.gif"), 255, 0, 255);
    REQUIRE(withCounts.size() == 3);
    for (const std::size_t n : withCounts) {
        CHECK(n > 1500);
        CHECK(n < 3500);
    }
    for (const std::size_t n : gifColourCounts(out("without.gif"), 255, 0, 255))
        CHECK(n == 0);
}
