// Annotations marked "counts as hostile" as hostile geometry, and measure() from them:
// distances against GeographicLib, a range circle as its polygon, unmarked ones ignored.
#include "io/annotation_fixtures.hpp"
#include "orefront/analysis/annotations.hpp"

#include <GeographicLib/Geodesic.hpp>
#include <catch2/catch.hpp>

using namespace orefront;
using model::AnnotationKind;
using testing::everyKind;

namespace {

model::Layer depositsAt(const std::vector<model::LonLat> &points) {
    model::Layer l;
    l.id = "deposits";
    l.role = model::LayerRole::Deposits;
    l.fields = {{"name", model::FieldType::String}};
    for (std::size_t i = 0; i < points.size(); ++i) {
        model::Feature f;
        f.fid = static_cast<std::int64_t>(i);
        f.geometry.points = {points[i]};
        f.attributes = {model::Value{std::string("d") + std::to_string(i)}};
        l.features.push_back(f);
    }
    l.computeBounds();
    return l;
}

} // namespace

TEST_CASE("hostileGeometry: points, lines and polygons by kind", "[analysis]") {
    const auto kinds = everyKind();
    for (const auto &a : kinds) {
        const model::Geometry g = analysis::hostileGeometry(a);
        INFO(model::annotationKindName(a.kind));
        switch (a.kind) {
        case AnnotationKind::Marker:
        case AnnotationKind::Text:
            CHECK(g.points.size() == 1);
            break;
        case AnnotationKind::Arrow:
        case AnnotationKind::Line:
            CHECK(g.lines.size() == 1);
            break;
        case AnnotationKind::Area:
        case AnnotationKind::RangeCircle:
            REQUIRE(g.polygons.size() == 1);
            CHECK(g.polygons[0].rings[0].front() == g.polygons[0].rings[0].back());
            break;
        case AnnotationKind::Measurement:
            CHECK((a.closed ? g.polygons.size() : g.lines.size()) == 1);
            break;
        case AnnotationKind::HypotheticalFront:
            CHECK(g.empty()); // a what-if front of its own, never a hostile position
            break;
        }
    }
    // A circle across the antimeridian comes back cut into pieces within -180..180.
    model::Annotation c = kinds[5];
    c.vertices = {{179.8, 60}};
    const auto g = analysis::hostileGeometry(c);
    CHECK(g.polygons.size() == 2);
    for (const auto &p : g.polygons)
        for (const auto &v : p.rings[0])
            CHECK(std::fabs(v.lon) <= 180);
}

TEST_CASE("withHostileAnnotations: marked annotations are measured from, others are not", "[analysis]") {
    const model::Layer deposits = depositsAt({{30.0, 50.0}, {38.0, 48.5}});
    analysis::Inputs in;
    in.deposits = &deposits;
    model::AnnotationSet set;
    auto marker = everyKind()[0]; // (37.8, 48.0)
    marker.id = 1;
    marker.countsAsHostile = true;
    auto unmarked = everyKind()[0];
    unmarked.id = 2;
    unmarked.vertices = {{30.01, 50.0}}; // next to deposit 0, but not hostile
    auto circle = everyKind()[5];        // 70 km round (38.0, 48.5): deposit 1 is its centre
    circle.id = 3;
    circle.countsAsHostile = false;
    set.annotations = {marker, unmarked, circle};

    const auto h = analysis::withHostileAnnotations(in, set);
    REQUIRE(h.layer);
    CHECK(h.ids == std::vector<std::int64_t>{1});
    REQUIRE(h.inputs.hostile.size() == 1);
    const analysis::Measurements m = analysis::measure(h.inputs, 1);
    double s12 = 0;
    GeographicLib::Geodesic::WGS84().Inverse(50.0, 30.0, 48.0, 37.8, s12);
    REQUIRE(m.perDeposit[0].frontDistanceKm);
    CHECK(*m.perDeposit[0].frontDistanceKm == Approx(s12 / 1000).margin(0.001));
    CHECK_FALSE(m.perDeposit[1].occupied);

    // Marked, the circle makes deposit 1 hostile-controlled territory; alone, only it counts.
    set.annotations[2].countsAsHostile = true;
    const auto only = analysis::withHostileAnnotation(in, set, 3);
    CHECK(only.ids == std::vector<std::int64_t>{3});
    const analysis::Measurements m2 = analysis::measure(only.inputs, 1);
    CHECK(m2.perDeposit[1].occupied);
    CHECK(*m2.perDeposit[1].frontDistanceKm == 0);
    // Deposit 0 is ~570 km from the circle's centre: 70 km less to its edge.
    GeographicLib::Geodesic::WGS84().Inverse(50.0, 30.0, 48.5, 38.0, s12);
    CHECK(*m2.perDeposit[0].frontDistanceKm == Approx(s12 / 1000 - 70).margin(0.5));

    // Nothing marked: the inputs as given, no layer.
    model::AnnotationSet none;
    const auto empty = analysis::withHostileAnnotations(in, none);
    CHECK_FALSE(empty.layer);
    CHECK(empty.inputs.hostile.empty());
}
