// measureInto(): the deposits measured block by block in file order, for analyze's write beside
// the measurement (README, Analyze, fourth round). Every deposit must get what measure() gives,
// whatever the block size and thread count, and a prefix must be whole when it is announced.
#include "analysis/reference.hpp"
#include "orefront/analysis/analysis.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdio>
#include <mutex>
#include <random>
#include <vector>

using namespace orefront;
using model::FieldType;
using model::LayerRole;
using testing::makeLayer;
using testing::Row;
using testing::specFor;

namespace {

// A hostile zone with a 300 km closing edge, a front line, ports and rail, and `n` point
// deposits scattered over them in file order (the spatial order is the measurement's own), plus a
// polygon and a line deposit among them.
struct FeedFixture {
    model::Layer deposits;
    model::Layer zone = makeLayer(
        "zone", LayerRole::Hostile, {},
        {{"POLYGON ((35 46.5, 35.2 47.3, 35.6 47.9, 36.1 48.4, 36.9 48.6, 38.9 47.1, 35 46.5))", {}}});
    model::Layer front = makeLayer("front", LayerRole::Front, {},
                                   {{"LINESTRING (34.8 46.3, 34.9 47.5, 35.8 48.9, 37.5 49.2)", {}}});
    model::Layer ports = makeLayer("ports", LayerRole::Ports, {{"name", FieldType::String}},
                                   {{"POINT (30.73 46.48)", {std::string("Odesa")}},
                                    {"POINT (37.55 47.1)", {std::string("Mariupol")}},
                                    {"POINT (33.0 46.6)", {std::string("Kherson")}}});
    model::Layer rail = makeLayer("rail", LayerRole::Rail, {{"name", FieldType::String}},
                                  {{"LINESTRING (30 50, 32 49, 34 48.5)", {std::string("line")}}});
    model::LayerSpec zoneSpec = specFor("zone", LayerRole::Hostile);
    model::LayerSpec frontSpec = specFor("front", LayerRole::Front);
    analysis::Inputs in;

    explicit FeedFixture(std::size_t n) {
        std::mt19937_64 rng(11);
        std::uniform_real_distribution<double> lon(29.0, 40.0), lat(45.0, 51.0);
        std::vector<Row> rows;
        char wkt[96];
        for (std::size_t i = 0; i < n; ++i) {
            if (i == n / 3)
                rows.push_back({"POLYGON ((33 47, 33.4 47, 33.4 47.3, 33 47.3, 33 47))", {}});
            else if (i == n / 2)
                rows.push_back({"LINESTRING (36 49.5, 36.3 49.9)", {}});
            else {
                std::snprintf(wkt, sizeof wkt, "POINT (%.9f %.9f)", lon(rng), lat(rng));
                rows.push_back({wkt, {}});
            }
        }
        deposits = makeLayer("deposits", LayerRole::Deposits, {}, rows);
        in.deposits = &deposits;
        in.hostile = {{&zone, &zoneSpec}, {&front, &frontSpec}};
        in.ports = &ports;
        in.rail = &rail;
    }
};

void checkSame(const analysis::Measurements &a, const analysis::Measurements &b) {
    REQUIRE(a.perDeposit.size() == b.perDeposit.size());
    CHECK(a.names == b.names);
    std::size_t differ = 0;
    for (std::size_t i = 0; i < a.perDeposit.size(); ++i) {
        const analysis::Measurement &x = a.perDeposit[i], &y = b.perDeposit[i];
        const auto near = [](model::OptionalDouble p, model::OptionalDouble q) {
            const std::optional<double> u = p, v = q;
            // 1 nm: only a tie between two segments that meet at the nearest vertex may differ
            return u.has_value() == v.has_value() && (!u || std::abs(*u - *v) < 1e-12);
        };
        const bool same = x.occupied == y.occupied && x.contested == y.contested &&
                          near(x.frontDistanceKm, y.frontDistanceKm) && near(x.portKm, y.portKm) &&
                          near(x.railKm, y.railKm) && near(x.powerKm, y.powerKm) &&
                          x.portName == y.portName && x.railName == y.railName &&
                          x.powerName == y.powerName &&
                          std::abs(x.nearestHostile.lon - y.nearestHostile.lon) < 1e-9 &&
                          std::abs(x.nearestHostile.lat - y.nearestHostile.lat) < 1e-9;
        if (!same && ++differ <= 5)
            FAIL_CHECK("deposit " << i << " differs");
    }
    CHECK(differ == 0);
}

} // namespace

TEST_CASE("measureInto(): every block size and thread count gives measure()'s values",
          "[analysis][issue11]") {
    const FeedFixture f(40000);
    const analysis::Measurements whole = analysis::measure(f.in, 1);
    CHECK(whole.hasPorts);
    CHECK(whole.hasRail);
    CHECK_FALSE(whole.hasPower); // no power layer
    analysis::Inputs bare = f.in;
    bare.ports = bare.rail = nullptr;
    const analysis::Measurements without = analysis::measure(bare, 1);
    CHECK_FALSE(without.hasPorts);
    CHECK_FALSE(without.hasRail);
    CHECK(std::none_of(
        without.perDeposit.begin(), without.perDeposit.end(),
        [](const analysis::Measurement &m) { return m.portKm.has_value() || m.railKm.has_value(); }));
    for (const std::size_t block : {std::size_t(1), std::size_t(7), std::size_t(8192), std::size_t(32768),
                                    std::size_t(40000), std::size_t(100000)})
        for (const unsigned threads : {1u, 2u, 3u}) {
            INFO("block " << block << ", threads " << threads);
            analysis::Measurements out;
            std::mutex mutex;
            bool ready = false, measuredBeforeReady = false, wrongPrefix = false;
            std::vector<std::size_t> calls;
            analysis::MeasureFeed feed;
            feed.block = block;
            feed.ready = [&] {
                std::lock_guard<std::mutex> lock(mutex);
                ready = true;
                if (out.perDeposit.size() != f.deposits.features.size() || out.names != whole.names)
                    wrongPrefix = true;
                // Which infrastructure columns the report will have, known before any deposit is.
                if (!out.hasPorts || !out.hasRail || out.hasPower)
                    wrongPrefix = true;
            };
            feed.measured = [&](std::size_t n) {
                std::lock_guard<std::mutex> lock(mutex);
                measuredBeforeReady |= !ready;
                // Deposits [0, n) are final when announced: the last of them is already measured.
                if (n > 0 &&
                    !(out.perDeposit[n - 1].frontDistanceKm == whole.perDeposit[n - 1].frontDistanceKm))
                    wrongPrefix = true;
                calls.push_back(n);
            };
            analysis::measureInto(f.in, out, feed, threads);
            CHECK(ready);
            CHECK_FALSE(measuredBeforeReady);
            CHECK_FALSE(wrongPrefix);
            REQUIRE_FALSE(calls.empty());
            CHECK(std::is_sorted(calls.begin(), calls.end()));
            CHECK(std::adjacent_find(calls.begin(), calls.end()) == calls.end()); // strictly growing
            CHECK(calls.back() == f.deposits.features.size());
            checkSame(whole, out);
        }
}

TEST_CASE("measureInto(): a cancelled measurement stops before the last deposit", "[analysis][issue11]") {
    const FeedFixture f(40000);
    std::atomic<bool> cancel{false};
    std::size_t last = 0;
    analysis::MeasureFeed feed;
    feed.block = 8192;
    feed.cancel = &cancel;
    feed.ready = [&] { cancel = true; }; // before any deposit
    feed.measured = [&](std::size_t n) { last = n; };
    analysis::Measurements out;
    analysis::measureInto(f.in, out, feed, 2);
    CHECK(last == 0);
    CHECK(out.perDeposit.size() == 40000);
}

TEST_CASE("measureInto(): no deposits: ready, then nothing measured", "[analysis][issue11]") {
    FeedFixture f(0);
    int ready = 0;
    std::vector<std::size_t> calls;
    analysis::MeasureFeed feed;
    feed.ready = [&] { ++ready; };
    feed.measured = [&](std::size_t n) { calls.push_back(n); };
    analysis::Measurements out;
    analysis::measureInto(f.in, out, feed, 2);
    CHECK(ready == 1);
    CHECK(calls == std::vector<std::size_t>{0});
    CHECK(out.perDeposit.empty());
}
