// Model value types: BBox, Geometry::anchor, attribute conversion, role names, jurisdiction lookup.
#include "orefront/model/geometry.hpp"
#include "orefront/model/layer.hpp"
#include "orefront/model/scenario.hpp"

#include <catch2/catch.hpp>

#include <cmath>

using namespace orefront::model;

TEST_CASE("BBox starts empty, expands, contains and centres", "[model]") {
    BBox b;
    CHECK(b.empty());
    CHECK_FALSE(b.contains({0, 0}));
    b.expand(LonLat{30, 50});
    CHECK_FALSE(b.empty());
    CHECK(b.contains({30, 50}));
    b.expand(LonLat{40, 44});
    CHECK(b.minLon == 30);
    CHECK(b.maxLon == 40);
    CHECK(b.minLat == 44);
    CHECK(b.maxLat == 50);
    CHECK(b.contains({35, 47}));
    CHECK(b.contains({40, 44})); // edges are inside
    CHECK_FALSE(b.contains({40.0001, 47}));
    CHECK_FALSE(b.contains({35, 43.9999}));
    CHECK(b.center() == LonLat{35, 47});

    BBox other; // expanding by an empty box changes nothing
    b.expand(other);
    CHECK(b.minLon == 30);
    CHECK(b.maxLat == 50);
    BBox far;
    far.expand(LonLat{-120, -10});
    b.expand(far);
    CHECK(b.minLon == -120);
    CHECK(b.minLat == -10);
    CHECK(b.maxLon == 40);
}

TEST_CASE("Geometry::anchor: point, middle vertex of a line, bbox centre of a polygon", "[model]") {
    Geometry pt;
    pt.points = {{10, 20}, {11, 21}};
    CHECK(pt.anchor() == LonLat{10, 20});

    Geometry line;
    line.lines = {{{0, 0}, {1, 1}, {2, 4}, {3, 9}, {4, 16}}};
    CHECK(line.anchor() == LonLat{2, 4});
    line.lines = {{{0, 0}, {1, 1}, {2, 4}, {3, 9}}}; // even count: size/2 = index 2
    CHECK(line.anchor() == LonLat{2, 4});

    Geometry poly;
    // Exterior bbox is 30..36 x 44..48; the hole does not matter.
    poly.polygons = {Polygon{
        {{{30, 44}, {36, 44}, {36, 48}, {30, 48}, {30, 44}}, {{31, 45}, {32, 45}, {32, 46}, {31, 45}}}}};
    CHECK(poly.anchor() == LonLat{33, 46});
    CHECK(poly.bounds().maxLon == 36);

    Geometry mixed = poly; // a point wins over a polygon
    mixed.points = {{1, 2}};
    CHECK(mixed.anchor() == LonLat{1, 2});
    CHECK_FALSE(mixed.empty());
    CHECK(Geometry{}.empty());
}

TEST_CASE("toString renders every attribute type", "[model]") {
    CHECK(toString(Value{}) == "");
    CHECK(toString(Value{std::int64_t{42}}) == "42");
    CHECK(toString(Value{std::int64_t{-7}}) == "-7");
    CHECK(toString(Value{2.5}) == "2.5");
    CHECK(toString(Value{0.1}) == "0.1"); // shortest round-trip form
    CHECK(toString(Value{std::string("Novopoltavske")}) == "Novopoltavske");
    CHECK(toString(Value{true}) == "true");
    CHECK(toString(Value{false}) == "false");
    CHECK(toString(Value{std::vector<std::string>{"a", "b", "c"}}) == "a, b, c");
    CHECK(toString(Value{std::vector<std::string>{}}) == "");
}

TEST_CASE("toNumber accepts numbers and numeric strings, rejects garbage", "[model]") {
    CHECK(toNumber(Value{std::int64_t{3}}) == 3.0);
    CHECK(toNumber(Value{1.25}) == 1.25);
    CHECK(toNumber(Value{std::string("3.5")}) == 3.5);
    CHECK(toNumber(Value{std::string("  2 ")}) == 2.0); // padded
    CHECK(toNumber(Value{std::string("-0.75")}) == -0.75);
    CHECK(toNumber(Value{std::string("1e3")}) == 1000.0);
    CHECK(toNumber(Value{std::string("+1.5")}) == 1.5);      // explicit sign, as spreadsheets write
    CHECK(toNumber(Value{std::string("\t4.2\r\n")}) == 4.2); // tab- or CRLF-padded CSV cells
    CHECK_FALSE(toNumber(Value{std::string("+-1")}).has_value());
    CHECK_FALSE(toNumber(Value{std::string("+")}).has_value());

    CHECK_FALSE(toNumber(Value{}).has_value());
    CHECK_FALSE(toNumber(Value{std::string("")}).has_value());
    CHECK_FALSE(toNumber(Value{std::string("   ")}).has_value());
    CHECK_FALSE(toNumber(Value{std::string("abc")}).has_value());
    CHECK_FALSE(toNumber(Value{std::string("1.5x")}).has_value());
    CHECK_FALSE(toNumber(Value{std::string("1,5")}).has_value());
    CHECK_FALSE(toNumber(Value{std::string("about 3")}).has_value());
    CHECK_FALSE(toNumber(Value{true}).has_value());
    CHECK_FALSE(toNumber(Value{std::vector<std::string>{"1"}}).has_value());
}

TEST_CASE("roleFromName and roleName round-trip, case-insensitively", "[model]") {
    for (auto r : {LayerRole::Deposits, LayerRole::Hostile, LayerRole::Front, LayerRole::Ports,
                   LayerRole::Rail, LayerRole::Power, LayerRole::Basemap, LayerRole::Other})
        CHECK(roleFromName(roleName(r)) == r);
    CHECK(std::string(roleName(LayerRole::Hostile)) == "hostile");
    CHECK(roleFromName("DEPOSITS") == LayerRole::Deposits);
    CHECK(roleFromName("Front") == LayerRole::Front);
    CHECK_FALSE(roleFromName("mines").has_value());
    CHECK_FALSE(roleFromName("").has_value());
    CHECK_FALSE(roleFromName("hostile ").has_value());
}

TEST_CASE("severityFromName and severityName", "[model]") {
    CHECK(severityFromName("block") == Severity::Block);
    CHECK(severityFromName("Marginal") == Severity::Marginal);
    CHECK(severityFromName("OFF") == Severity::Off);
    CHECK(severityFromName("info") == Severity::Info);
    CHECK_FALSE(severityFromName("fatal").has_value());
    CHECK(std::string(severityName(Severity::Block)) == "block");
}

namespace {
struct JurisdictionFixture {
    Scenario s;
    JurisdictionFixture() {
        Jurisdiction ua;
        ua.code = "UKR";
        ua.name = "Ukraine";
        ua.grid = "damaged";
        Jurisdiction ru;
        ru.code = "RUS";
        ru.name = "Russia";
        ru.sanctioned = true;
        s.jurisdictions["UKR"] = ua;
        s.jurisdictions["RUS"] = ru;
    }
};
} // namespace

TEST_CASE_METHOD(JurisdictionFixture, "Scenario::jurisdiction by ISO3, ISO2 or name", "[model]") {
    REQUIRE(s.jurisdiction("UKR") != nullptr);
    CHECK(s.jurisdiction("UKR")->name == "Ukraine");
    CHECK(s.jurisdiction("ukr") == s.jurisdiction("UKR"));
    CHECK(s.jurisdiction("UA") == s.jurisdiction("UKR"));
    CHECK(s.jurisdiction("ua") == s.jurisdiction("UKR"));
    CHECK(s.jurisdiction("Ukraine") == s.jurisdiction("UKR"));
    CHECK(s.jurisdiction("UKRAINE") == s.jurisdiction("UKR"));
    REQUIRE(s.jurisdiction("RU") != nullptr);
    CHECK(s.jurisdiction("RU")->sanctioned);
    CHECK(s.jurisdiction("Russia") == s.jurisdiction("RUS"));

    s.jurisdictions.erase("USA"); // a country the table lacks
    CHECK(s.jurisdiction("USA") == nullptr);
    CHECK(s.jurisdiction("US") == nullptr);
    CHECK(s.countryCode("US") == "USA"); // ISO still knows it
    CHECK(s.jurisdiction("XX") == nullptr);
    CHECK(s.jurisdiction("") == nullptr);
}

TEST_CASE("Layer::fieldIndex is case-insensitive, computeBounds covers every feature", "[model]") {
    Layer l;
    l.fields = {{"name", FieldType::String}, {"Grade_TREO_pct", FieldType::Real}};
    CHECK(l.fieldIndex("NAME") == 0);
    CHECK(l.fieldIndex("grade_treo_pct") == 1);
    CHECK(l.fieldIndex("tonnage_mt") == -1);
    Feature a, b;
    a.geometry.points = {{30, 50}};
    b.geometry.lines = {{{-10, 5}, {12, 60}}};
    l.features = {a, b};
    l.computeBounds();
    CHECK(l.bounds.minLon == -10);
    CHECK(l.bounds.maxLon == 30);
    CHECK(l.bounds.minLat == 5);
    CHECK(l.bounds.maxLat == 60);
}
