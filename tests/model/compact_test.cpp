// The compact per-feature records (issue 11, memory): AttributeRow (packed attribute values),
// PointList (one point inline) and OptionalDouble (NaN as no value) read back exactly what was
// put in, and a point feature makes no heap block for its point.
#include "orefront/analysis/analysis.hpp"
#include "orefront/model/geometry.hpp"
#include "orefront/model/layer.hpp"
#include "orefront/model/optional_double.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <limits>
#include <string>

using namespace orefront::model;

namespace {

const std::string kLongText(300, 'x'); // a length past one varint byte

// A value of every type, nulls included, a field after the list.
std::vector<Value> everyKind() {
    return {std::monostate{},
            std::int64_t{-9007199254740993},
            0.1 + 0.2,
            std::string("Deposit 0000005"),
            std::string(""),
            kLongText,
            true,
            false,
            std::vector<std::string>{"a", "", "Кривий Ріг"},
            std::numeric_limits<double>::denorm_min(),
            std::int64_t{7}};
}

} // namespace

TEST_CASE("AttributeRow: every value type reads back exactly, nulls included", "[model]") {
    const std::vector<Value> in = everyKind();
    const AttributeRow row(in);
    REQUIRE(row.size() == in.size());
    for (std::size_t i = 0; i < in.size(); ++i) {
        INFO("field " << i);
        CHECK(row[i] == in[i]);
        CHECK(row.isNull(i) == std::holds_alternative<std::monostate>(in[i]));
    }
    CHECK(row.values() == in);
    CHECK(row.stringAt(3) == std::optional<std::string_view>("Deposit 0000005"));
    CHECK(row.stringAt(5)->size() == 300);
    CHECK_FALSE(row.stringAt(1)); // an integer is not a string
    CHECK_THROWS_AS(row.at(in.size()), std::out_of_range);

    // Five fields as a deposit has them take one block of under 64 bytes, not 5 x 40 + 24.
    const AttributeRow deposit = {std::int64_t{5}, std::string("Deposit 0000005"), 0.668849641335665,
                                  0.7718236053868, std::string("UA")};
    CHECK(deposit.heapBytes() <= 56);
    CHECK(sizeof(AttributeRow) == sizeof(void *));
}

TEST_CASE("AttributeRow::views: every field's kind and value in one pass (issue 11)", "[model][issue11]") {
    const std::vector<Value> in = everyKind();
    const AttributeRow row(in);
    std::vector<AttributeRow::View> v(row.size());
    row.views(v.data());
    using Kind = AttributeRow::View::Kind;
    CHECK(v[0].kind == Kind::Null);
    CHECK(v[1].kind == Kind::Integer);
    CHECK(v[1].integer == -9007199254740993);
    CHECK(v[2].kind == Kind::Real);
    CHECK(v[2].real == 0.1 + 0.2);
    CHECK(v[3].kind == Kind::String);
    CHECK(v[3].text == "Deposit 0000005");
    CHECK(v[4].kind == Kind::String);
    CHECK(v[4].text.empty());
    CHECK(v[5].text == kLongText); // a two-byte length
    CHECK(v[6].kind == Kind::Bool);
    CHECK(v[6].boolean);
    CHECK(v[7].kind == Kind::Bool);
    CHECK_FALSE(v[7].boolean);
    CHECK(v[8].kind == Kind::StringList);
    CHECK(v[9].kind == Kind::Real); // the fields after a list are read in step
    CHECK(v[9].real == std::numeric_limits<double>::denorm_min());
    CHECK(v[10].kind == Kind::Integer);
    CHECK(v[10].integer == 7);
    CHECK(v[3].text.data() == row.stringAt(3)->data()); // a view into the row, not a copy
}

TEST_CASE("AttributeRow: copies are deep, set/resize/push_back repack", "[model]") {
    AttributeRow a = {std::string("one"), std::int64_t{2}};
    AttributeRow b = a;
    b.set(0, std::string("changed"));
    CHECK(toString(a[0]) == "one");
    CHECK(toString(b[0]) == "changed");
    CHECK(b[1] == Value{std::int64_t{2}});
    b.resize(4);
    CHECK(b.size() == 4);
    CHECK(b.isNull(3));
    b.push_back(2.5);
    CHECK(b[4] == Value{2.5});
    AttributeRow moved = std::move(b);
    CHECK(moved.size() == 5);
    CHECK(b.size() == 0); // NOLINT: moved-from rows are empty
    AttributeRow empty;
    CHECK(empty.empty());
    CHECK(empty.values().empty());
    CHECK(a != moved);
    CHECK(a == AttributeRow{std::string("one"), std::int64_t{2}});
}

TEST_CASE("PointList: one point inline, more on the heap, vector semantics", "[model]") {
    static_assert(sizeof(PointList) == 24, "no bigger than the std::vector it replaces");
    PointList p;
    CHECK(p.empty());
    p.push_back({30.5, 50.4});
    CHECK(p.size() == 1);
    CHECK(p.front() == LonLat{30.5, 50.4});
    CHECK(p == std::vector<LonLat>{{30.5, 50.4}});
    for (int i = 0; i < 100; ++i)
        p.push_back({double(i), -double(i)});
    REQUIRE(p.size() == 101);
    CHECK(p.front() == LonLat{30.5, 50.4});
    CHECK(p.back() == LonLat{99, -99});
    CHECK(p[50] == LonLat{49, -49});
    PointList copy = p;
    copy[0].lon = 0;
    CHECK(p[0].lon == 30.5);
    PointList moved = std::move(copy);
    CHECK(moved.size() == 101);
    CHECK(moved[0].lon == 0);
    PointList one = {{1, 2}};
    PointList movedOne = std::move(one);
    CHECK(movedOne == PointList{{1, 2}});
    movedOne = p;
    CHECK(movedOne == p);
    movedOne.clear();
    movedOne.insert(movedOne.end(), p.begin(), p.begin() + 3);
    CHECK(movedOne.toVector() == std::vector<LonLat>(p.begin(), p.begin() + 3));
    CHECK_THROWS_AS(movedOne.at(3), std::out_of_range);
}

TEST_CASE("OptionalDouble: 8 bytes, no value as NaN, converts to std::optional", "[model]") {
    static_assert(sizeof(OptionalDouble) == 8);
    OptionalDouble none;
    CHECK_FALSE(none.has_value());
    CHECK_FALSE(none);
    CHECK(none == std::nullopt);
    CHECK(none.value_or(-1) == -1);
    CHECK_THROWS_AS(none.value(), std::bad_optional_access);
    OptionalDouble zero = 0.0;
    CHECK(zero.has_value());
    CHECK(*zero == 0.0);
    const std::optional<double> back = OptionalDouble(12.345);
    CHECK(back == 12.345);
    OptionalDouble fromOptional = std::optional<double>{};
    CHECK_FALSE(fromOptional);
    fromOptional = std::optional<double>{-3.5};
    CHECK(fromOptional.value() == -3.5);
    CHECK(OptionalDouble(1.0) == OptionalDouble(1.0));
    CHECK_FALSE(OptionalDouble(1.0) == OptionalDouble());
    static_assert(sizeof(orefront::analysis::Measurement) == 64);
}
