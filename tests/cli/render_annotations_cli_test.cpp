// `orefront render` draws the scenario's annotations as the map shows them (its store, as
// `orefront brief` and `analyze` read it); --no-annotations leaves them out. Pixels read back
// through GDAL.
#include "cli/cli_support.hpp"
#include "io/annotation_fixtures.hpp"
#include "orefront/io/annotation_store.hpp"

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
