// The fast GeoPackage reader (core/src/io/gpkg_fast_reader.cpp, issue 11) against OGR's: the same
// layer read both ways (OREFRONT_GPKG_READER=ogr, and =fast, which refuses to fall back) and
// compared value by value; the same errors; the layers it leaves to OGR.
#include "temp_dir.hpp"

#include "orefront/io/scenario_io.hpp"
#include "orefront/model/error.hpp"

#include <catch2/catch.hpp>
#include <gdal_priv.h>
#include <gdal_utils.h>
#include <ogrsf_frmts.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <limits>

using namespace orefront;
using Catch::Contains;
using orefront::testing::TempDir;
namespace fs = std::filesystem;

namespace {

// Sets OREFRONT_GPKG_READER for the scope.
struct ReaderMode {
    explicit ReaderMode(const char *mode) { ::setenv("OREFRONT_GPKG_READER", mode, 1); }
    ~ReaderMode() { ::unsetenv("OREFRONT_GPKG_READER"); }
};

struct Loaded {
    model::Layer layer;
    std::vector<std::string> warnings;
};

Loaded load(const std::string &source, const char *mode) {
    const ReaderMode m(mode);
    model::LayerSpec spec;
    spec.id = "deposits";
    spec.role = model::LayerRole::Deposits;
    spec.source = source;
    Loaded out;
    out.layer = io::loadLayer(spec, "", out.warnings);
    return out;
}

// The message loadLayer throws in `mode`, or "" when it does not throw.
std::string errorOf(const std::string &source, const char *mode) {
    try {
        load(source, mode);
    } catch (const InputError &e) {
        return e.what();
    }
    return "";
}

// A GeoPackage with one point layer `deposits` whose rows `fill` writes.
void makeGpkg(const fs::path &file, int epsg, const std::function<void(OGRLayer &)> &fields,
              const std::function<void(OGRLayer &)> &fill) {
    io::initGdal();
    auto *driver = GetGDALDriverManager()->GetDriverByName("GPKG");
    REQUIRE(driver);
    GDALDatasetUniquePtr ds(driver->Create(file.c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    REQUIRE(ds);
    OGRSpatialReference srs;
    srs.importFromEPSG(epsg);
    OGRLayer *layer = ds->CreateLayer("deposits", &srs, wkbPoint, nullptr);
    REQUIRE(layer);
    fields(*layer);
    REQUIRE(layer->StartTransaction() == OGRERR_NONE);
    fill(*layer);
    REQUIRE(layer->CommitTransaction() == OGRERR_NONE);
}

void addField(OGRLayer &layer, const char *name, OGRFieldType type, OGRFieldSubType sub = OFSTNone) {
    OGRFieldDefn f(name, type);
    f.SetSubType(sub);
    REQUIRE(layer.CreateField(&f) == OGRERR_NONE);
}

void addPoint(OGRLayer &layer, double x, double y, const std::function<void(OGRFeature &)> &set = {}) {
    OGRFeature f(layer.GetLayerDefn());
    OGRPoint p(x, y);
    f.SetGeometry(&p);
    if (set)
        set(f);
    REQUIRE(layer.CreateFeature(&f) == OGRERR_NONE);
}

void sql(const fs::path &file, const std::string &statement) {
    GDALDatasetUniquePtr ds(GDALDataset::Open(file.c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE));
    REQUIRE(ds);
    CPLErrorReset();
    ds->ExecuteSQL(statement.c_str(), nullptr, nullptr);
    INFO(statement << ": " << CPLGetLastErrorMsg());
    REQUIRE(CPLGetLastErrorType() < CE_Failure);
}

void requireSameLayers(const Loaded &ogr, const Loaded &fast) {
    const auto &a = ogr.layer, &b = fast.layer;
    REQUIRE(a.fields.size() == b.fields.size());
    for (std::size_t i = 0; i < a.fields.size(); ++i) {
        CHECK(a.fields[i].name == b.fields[i].name);
        CHECK(a.fields[i].type == b.fields[i].type);
    }
    CHECK(a.sourceCrs == b.sourceCrs);
    CHECK(a.location == b.location);
    CHECK(ogr.warnings == fast.warnings);
    REQUIRE(a.features.size() == b.features.size());
    std::size_t differing = 0;
    for (std::size_t i = 0; i < a.features.size(); ++i) {
        const auto &fa = a.features[i], &fb = b.features[i];
        const bool same = fa.fid == fb.fid && fa.geometry.points == fb.geometry.points &&
                          fb.geometry.lines.empty() && fb.geometry.polygons.empty() &&
                          fa.attributes.values() == fb.attributes.values();
        if (!same && ++differing <= 5) {
            INFO("feature " << i << ": fid " << fa.fid << " vs " << fb.fid);
            for (std::size_t k = 0; k < a.fields.size(); ++k)
                INFO(a.fields[k].name << ": '" << model::toString(fa.attributes[k]) << "' vs '"
                                      << model::toString(fb.attributes[k]) << "'");
            CHECK(same);
        }
    }
    CHECK(differing == 0);
    CHECK(a.bounds.minLon == b.bounds.minLon);
    CHECK(a.bounds.maxLat == b.bounds.maxLat);
}

const char *const kNames[] = {"Mountain Pass", "Šumava", "Ελληνικά", "白云鄂博", "Kvanefjeld — Narsaq", ""};

} // namespace

TEST_CASE("Fast GeoPackage read equals OGR's value by value: every field type, NULLs, non-ASCII text, "
          "a rowid gap, blob layouts",
          "[gdal][issue11]") {
    const TempDir tmp;
    const fs::path file = tmp.path / "all_types.gpkg";
    constexpr int kRows = 40000; // several rowid ranges, read on several connections
    makeGpkg(
        file, 4326,
        [](OGRLayer &l) {
            addField(l, "id", OFTInteger);
            addField(l, "big", OFTInteger64);
            addField(l, "name", OFTString);
            addField(l, "grade_treo_pct", OFTReal);
            addField(l, "tonnage_mt", OFTReal, OFSTFloat32);
            addField(l, "flag", OFTInteger, OFSTBoolean);
            addField(l, "small", OFTInteger, OFSTInt16);
            addField(l, "props", OFTString, OFSTJSON);
            addField(l, "country", OFTString);
        },
        [](OGRLayer &l) {
            for (int i = 0; i < kRows; ++i) {
                // Longitudes from -179.99 to 359.99: those beyond 180° are moved by 360° (a warning).
                const double lon = -179.99 + 539.98 * i / kRows,
                             lat = -89.9 + 179.8 * ((i * 7919) % kRows) / kRows;
                addPoint(l, lon, lat, [&](OGRFeature &f) {
                    if (i % 7 != 0)
                        f.SetField("id", i - 20000);
                    if (i % 11 != 0)
                        f.SetField("big", static_cast<GIntBig>(i) * 4000000000LL - 3);
                    if (i % 5 != 0)
                        f.SetField("name", kNames[i % 6]);
                    if (i % 13 != 0)
                        f.SetField("grade_treo_pct", i * 0.001 + 1e-9);
                    f.SetField("tonnage_mt", static_cast<float>(i) / 3.0f);
                    if (i % 3 != 0)
                        f.SetField("flag", i % 2);
                    f.SetField("small", (i % 60000) - 30000);
                    f.SetField("props", "{\"k\": \"Ω\"}");
                    f.SetField("country", i % 2 ? "CN" : "GL");
                });
            }
        });
    // A gap of deleted rows across the middle, where ranges split; a NUL inside a text value
    // (OGR reads up to it); a number stored as text in a text column, text in a number column.
    sql(file, "DELETE FROM deposits WHERE fid BETWEEN 19990 AND 20020");
    sql(file, "UPDATE deposits SET name = CAST(X'41420043' AS TEXT) WHERE fid = 100");
    sql(file, "UPDATE deposits SET name = 42 WHERE fid = 101");
    sql(file, "UPDATE deposits SET id = '17' WHERE fid = 102");
    sql(file, "UPDATE deposits SET grade_treo_pct = 3 WHERE fid = 103");
    // Blob layouts GDAL does not write itself: big-endian header and WKB with an XY envelope;
    // a little-endian header with an XYZM envelope around an ISO Point Z (1001); a Point M (2001).
    sql(file, "UPDATE deposits SET geom = X'47500002000010E6'"
              "   || X'4041800000000000' || X'4041800000000000' || X'C024000000000000' || X'C024000000000000'"
              "   || X'00' || X'00000001' || X'4041800000000000' || X'C024000000000000' WHERE fid = 5");
    sql(file,
        "UPDATE deposits SET geom = X'47500009E6100000'"
        "   || X'0000000000804140' || X'0000000000804140' || X'00000000000024C0' || X'00000000000024C0'"
        "   || X'0000000000005940' || X'0000000000005940' || X'0000000000000000' || X'0000000000000000'"
        "   || X'01' || X'E9030000' || X'0000000000804140' || X'00000000000024C0' || X'0000000000005940'"
        " WHERE fid = 30000");
    sql(file, "UPDATE deposits SET geom = X'47500001E6100000' || X'01' || X'D1070000'"
              "   || X'0000000000804140' || X'00000000000024C0' || X'0000000000005940' WHERE fid = 30001");

    const std::string source = file.string() + "|layername=deposits";
    const Loaded ogr = load(source, "ogr");
    const Loaded fast = load(source, "fast");
    REQUIRE(ogr.layer.features.size() == kRows - 31);
    requireSameLayers(ogr, fast);
    // The rewritten blobs are where they were written, read the same both ways.
    for (const auto &f : fast.layer.features)
        if (f.fid == 5 || f.fid == 30000 || f.fid == 30001) {
            CHECK(f.geometry.points.at(0).lon == 35.0);
            CHECK(f.geometry.points.at(0).lat == -10.0);
        }
    CHECK(model::toString(fast.layer.features[99].attributes[fast.layer.fieldIndex("name")]) == "AB");
    REQUIRE(fast.warnings.size() == 1);
    CHECK_THAT(fast.warnings[0], Contains("moved by 360°"));
    // The default (auto) path is the fast one too: the same layer.
    requireSameLayers(ogr, load(source, ""));
}

TEST_CASE("Fast GeoPackage read: a reprojected layer equals OGR's", "[gdal][issue11]") {
    const TempDir tmp;
    const fs::path file = tmp.path / "utm.gpkg";
    makeGpkg(
        file, 32636, [](OGRLayer &l) { addField(l, "name", OFTString); },
        [](OGRLayer &l) {
            for (int i = 0; i < 20000; ++i)
                addPoint(l, 300000 + 13.7 * i, 5100000 + 11.3 * i,
                         [&](OGRFeature &f) { f.SetField("name", kNames[i % 6]); });
        });
    const std::string source = file.string();
    const Loaded ogr = load(source, "ogr");
    const Loaded fast = load(source, "fast");
    CHECK(fast.layer.sourceCrs == "EPSG:32636");
    requireSameLayers(ogr, fast);
    CHECK(fast.layer.features.front().geometry.points.at(0).lon == Approx(30.4).margin(0.05));
}

TEST_CASE("Fast GeoPackage read: bad rows fail as on the OGR path, the first in rowid order",
          "[gdal][issue11]") {
    const TempDir tmp;
    const fs::path file = tmp.path / "bad.gpkg";
    makeGpkg(
        file, 4326, [](OGRLayer &l) { addField(l, "name", OFTString); },
        [](OGRLayer &l) {
            for (int i = 0; i < 30000; ++i)
                addPoint(l, 30 + i * 1e-4, 50, [&](OGRFeature &f) { f.SetField("name", "ok"); });
        });
    const std::string source = file.string();
    // A second bad row in a later range must not hide the first.
    sql(file, "UPDATE deposits SET geom = NULL WHERE fid = 29000");
    struct Case {
        const char *what, *statement, *expect;
    };
    const Case cases[] = {
        {"null geometry", "UPDATE deposits SET geom = NULL WHERE fid = 1200", "no geometry"},
        {"empty point (NaN, NaN)",
         "UPDATE deposits SET geom = X'47500001E6100000' || X'01' || X'01000000' || X'000000000000F87F' || "
         "X'000000000000F87F' WHERE fid = 1200",
         "no geometry"},
        {"empty flag",
         "UPDATE deposits SET geom = X'47500011E6100000' || X'01' || X'01000000' || "
         "X'000000000000F87F' || X'000000000000F87F' WHERE fid = 1200",
         "no geometry"},
        {"NaN longitude",
         "UPDATE deposits SET geom = X'47500001E6100000' || X'01' || X'01000000' || X'000000000000F87F' || "
         "X'0000000000004940' WHERE fid = 1200",
         "not a finite number"},
        {"infinite latitude",
         "UPDATE deposits SET geom = X'47500001E6100000' || X'01' || X'01000000' || X'0000000000004940' || "
         "X'000000000000F07F' WHERE fid = 1200",
         "not a finite number"},
        {"latitude beyond 90 (swapped)",
         "UPDATE deposits SET geom = X'47500001E6100000' || X'01' || X'01000000' || X'0000000000004940' || "
         "X'0000000000C05640' WHERE fid = 1200",
         "swapped"},
        {"Latin-1 text", "UPDATE deposits SET name = CAST(X'4DE96E6162' AS TEXT) WHERE fid = 1200",
         "not valid UTF-8"},
    };
    for (const auto &c : cases) {
        DYNAMIC_SECTION(c.what) {
            sql(file, c.statement);
            const std::string viaOgr = errorOf(source, "ogr"), viaFast = errorOf(source, "fast");
            CHECK_THAT(viaOgr, Contains("bad.gpkg") && Contains("layer 'deposits'") &&
                                   Contains("feature 1200") && Contains(c.expect));
            CHECK(viaFast == viaOgr);
        }
    }
}

TEST_CASE("Fast GeoPackage read: what it does not read exactly is left to OGR", "[gdal][issue11]") {
    const TempDir tmp;
    const fs::path file = tmp.path / "other.gpkg";
    makeGpkg(
        file, 4326,
        [](OGRLayer &l) {
            addField(l, "name", OFTString);
            addField(l, "seen", OFTDateTime);
        },
        [](OGRLayer &l) {
            for (int i = 0; i < 10; ++i)
                addPoint(l, 30 + i, 50, [&](OGRFeature &f) {
                    f.SetField("name", kNames[i % 6]);
                    f.SetField("seen", 2024, 1, 1 + i, 12, 0, 0, 100);
                });
        });
    const std::string source = file.string();
    // A field type OGR formats itself.
    CHECK_THAT(errorOf(source, "fast"), Contains("cannot read") && Contains("'seen'"));
    CHECK(load(source, "").layer.features.size() == 10);
    // A subset is OGR's SQL.
    CHECK_THAT(errorOf(source + "|subset=name = 'Šumava'", "fast"), Contains("subset"));
    CHECK(load(source + "|subset=name = 'Šumava'", "").layer.features.size() == 2);
    // A row that is not a point, in a point table: the whole layer goes to OGR.
    sql(file, "UPDATE deposits SET geom = X'47500001E6100000' || X'01' || X'02000000' || X'02000000' || "
              "X'0000000000003E40' || X'0000000000004940' || X'0000000000003F40' || X'0000000000004940' "
              "WHERE fid = 3");
    sql(file, "ALTER TABLE deposits DROP COLUMN seen");
    CHECK_THAT(errorOf(source, "fast"), Contains("not a point"));
    CHECK(load(source, "").layer.features.size() == 10);
}
