// GEOS wrapper: model <-> GEOS round trips, validity and MakeValid, error translation.
#include "analysis/reference.hpp"
#include "orefront/geos/geos_context.hpp"
#include "orefront/model/error.hpp"

#include <catch2/catch.hpp>

using namespace orefront;
using orefront::testing::wkt;

namespace {
struct GeosFixture {
    geos::GeosContext ctx;

    std::string toWkt(const GEOSGeometry *g) const {
        GEOSWKTWriter *w = GEOSWKTWriter_create_r(ctx.handle());
        GEOSWKTWriter_setTrim_r(ctx.handle(), w, 1);
        char *text = GEOSWKTWriter_write_r(ctx.handle(), w, g);
        std::string out = text;
        GEOSFree_r(ctx.handle(), text);
        GEOSWKTWriter_destroy_r(ctx.handle(), w);
        return out;
    }
    double area(const GEOSGeometry *g) const {
        double a = 0;
        REQUIRE(GEOSArea_r(ctx.handle(), g, &a) == 1);
        return a;
    }
    int typeId(const GEOSGeometry *g) const { return GEOSGeomTypeId_r(ctx.handle(), g); }
};

double shoelace(const model::Path &r) {
    double s = 0;
    for (std::size_t i = 0; i + 1 < r.size(); ++i)
        s += r[i].lon * r[i + 1].lat - r[i + 1].lon * r[i].lat;
    return std::abs(s) / 2;
}
} // namespace

TEST_CASE_METHOD(GeosFixture, "toGeos/fromGeos round-trip a polygon with a hole", "[geos]") {
    const auto in = wkt("POLYGON ((30 44, 36 44, 36 48, 30 48, 30 44), (31 45, 32 45, 32 46, 31 45))");
    REQUIRE(in.polygons.size() == 1);
    REQUIRE(in.polygons[0].rings.size() == 2);
    auto g = geos::toGeos(ctx, in);
    CHECK(typeId(g.get()) == GEOS_POLYGON);
    CHECK(toWkt(g.get()) == "POLYGON ((30 44, 36 44, 36 48, 30 48, 30 44), (31 45, 32 45, 32 46, 31 45))");
    CHECK(area(g.get()) == Approx(24 - 0.5));
    const auto back = geos::fromGeos(ctx, g.get());
    REQUIRE(back.polygons.size() == 1);
    CHECK(back.polygons[0].rings == in.polygons[0].rings);
    CHECK(back.points.empty());
    CHECK(back.lines.empty());
}

TEST_CASE_METHOD(GeosFixture, "toGeos builds multi-geometries and collections", "[geos]") {
    const auto multi = wkt("MULTIPOLYGON (((0 0, 1 0, 1 1, 0 0)), ((5 5, 6 5, 6 6, 5 5)))");
    REQUIRE(multi.polygons.size() == 2);
    auto g = geos::toGeos(ctx, multi);
    CHECK(typeId(g.get()) == GEOS_MULTIPOLYGON);
    CHECK(area(g.get()) == Approx(1.0));
    CHECK(geos::fromGeos(ctx, g.get()).polygons.size() == 2);

    auto lines = geos::toGeos(ctx, wkt("MULTILINESTRING ((0 0, 1 1), (2 2, 3 3, 4 2))"));
    CHECK(typeId(lines.get()) == GEOS_MULTILINESTRING);
    auto pts = geos::toGeos(ctx, wkt("MULTIPOINT ((1 2), (3 4))"));
    CHECK(typeId(pts.get()) == GEOS_MULTIPOINT);

    const auto mixed =
        wkt("GEOMETRYCOLLECTION (POINT (1 2), LINESTRING (0 0, 1 1), POLYGON ((0 0, 1 0, 1 1, 0 0)))");
    CHECK(mixed.points.size() == 1);
    CHECK(mixed.lines.size() == 1);
    CHECK(mixed.polygons.size() == 1);
    auto gc = geos::toGeos(ctx, mixed);
    CHECK(typeId(gc.get()) == GEOS_GEOMETRYCOLLECTION);
    CHECK(toWkt(gc.get()) ==
          "GEOMETRYCOLLECTION (POINT (1 2), LINESTRING (0 0, 1 1), POLYGON ((0 0, 1 0, 1 1, 0 0)))");
    const auto back = geos::fromGeos(ctx, gc.get());
    CHECK(back.points == mixed.points);
    CHECK(back.lines == mixed.lines);
    CHECK(back.polygons[0].rings == mixed.polygons[0].rings);
}

TEST_CASE_METHOD(GeosFixture, "toGeos closes an unclosed ring", "[geos]") {
    model::Polygon p;
    p.rings = {{{0, 0}, {2, 0}, {2, 2}, {0, 2}}};
    auto g = geos::toGeos(ctx, p);
    CHECK(toWkt(g.get()) == "POLYGON ((0 0, 2 0, 2 2, 0 2, 0 0))");
    CHECK(area(g.get()) == Approx(4.0));
}

TEST_CASE_METHOD(GeosFixture, "A bow-tie is invalid, makeValidPolygonal keeps both triangles", "[geos]") {
    // Crosses itself at (31, 49): two triangles of 1 square degree each.
    auto bowtie = geos::toGeos(ctx, wkt("POLYGON ((30 48, 32 50, 32 48, 30 50, 30 48))"));
    std::string reason;
    CHECK_FALSE(geos::isValid(ctx, bowtie.get(), &reason));
    CHECK_THAT(reason, Catch::Contains("Self-intersection"));

    auto fixed = geos::makeValidPolygonal(ctx, bowtie.get());
    CHECK(geos::isValid(ctx, fixed.get()));
    CHECK(area(fixed.get()) == Approx(2.0).epsilon(1e-12));
    const auto m = geos::fromGeos(ctx, fixed.get());
    REQUIRE(m.polygons.size() == 2);
    CHECK(m.lines.empty());
    CHECK(m.points.empty());
    for (const auto &poly : m.polygons) {
        REQUIRE(poly.rings.size() == 1);
        CHECK(poly.rings[0].size() == 4); // a closed triangle
        CHECK(shoelace(poly.rings[0]) == Approx(1.0));
    }

    auto square = geos::toGeos(ctx, wkt("POLYGON ((0 0, 1 0, 1 1, 0 1, 0 0))"));
    CHECK(geos::isValid(ctx, square.get()));
}

TEST_CASE_METHOD(GeosFixture, "makeValidPolygonal drops collapsed parts", "[geos]") {
    // A square with a zero-area spike: MakeValid yields a polygon plus a line; only the area stays.
    auto spiky = geos::toGeos(ctx, wkt("POLYGON ((0 0, 1 0, 1 1, 0 1, 0 0.5, -1 0.5, 0 0.5, 0 0))"));
    CHECK_FALSE(geos::isValid(ctx, spiky.get()));
    auto fixed = geos::makeValidPolygonal(ctx, spiky.get());
    const auto m = geos::fromGeos(ctx, fixed.get());
    CHECK(m.lines.empty());
    REQUIRE(m.polygons.size() == 1);
    CHECK(area(fixed.get()) == Approx(1.0));
}

TEST_CASE_METHOD(GeosFixture, "GeosContext::check throws GeometryError with GEOS's message", "[geos]") {
    CHECK_THROWS_AS(ctx.check(nullptr, "test op"), GeometryError);
    CHECK_THROWS_WITH(ctx.check(nullptr, "test op"), Catch::Contains("GEOS test op failed"));

    // A real GEOS failure: unparsable WKT; GEOS reports through the context's handler.
    GEOSWKTReader *reader = GEOSWKTReader_create_r(ctx.handle());
    GEOSGeometry *bad = GEOSWKTReader_read_r(ctx.handle(), reader, "POLYGON ((0 0, 1 0");
    GEOSWKTReader_destroy_r(ctx.handle(), reader);
    REQUIRE(bad == nullptr);
    CHECK_THAT(ctx.lastError(), Catch::Contains("ParseException"));
    CHECK_THROWS_WITH(ctx.check(bad, "WKT read"),
                      Catch::Contains("GEOS WKT read failed") && Catch::Contains("ParseException"));

    auto ok = ctx.check(GEOSGeom_createPointFromXY_r(ctx.handle(), 1, 2), "point");
    CHECK(ok != nullptr);
}

TEST_CASE("Two GeosContexts are independent", "[geos]") {
    geos::GeosContext a, b;
    CHECK(a.handle() != b.handle());
    GEOSWKTReader *reader = GEOSWKTReader_create_r(a.handle());
    CHECK(GEOSWKTReader_read_r(a.handle(), reader, "LINESTRING (0 0,") == nullptr);
    GEOSWKTReader_destroy_r(a.handle(), reader);
    CHECK_FALSE(a.lastError().empty());
    CHECK(b.lastError().empty()); // the error handler's userData is its own context
}
