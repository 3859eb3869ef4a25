// Issue 9, briefing sheets, end to end through the real binary: `orefront brief` writes a
// Geospatial PDF that poppler renders and searches, that GDAL places on the globe and lists the
// vector layers of, and PNG pages whose banners, legend and scale bar are checked by pixel.
// References are independent of the code: GeographicLib for the scale bar, PROJ (through OGR)
// for the page position of a deposit, poppler for what a reader shows.
#include "cli/cli_support.hpp"

#include "orefront/io/annotation_store.hpp"

#include <GeographicLib/Geodesic.hpp>
#include <ogr_spatialref.h>

#include <cmath>
#include <cstdio>
#include <regex>
#include <set>

using namespace orefront::clitest;

namespace {

// Runs a shell command, returns its stdout (and the exit status in `rc`).
std::string shell(const std::string &cmd, int *rc = nullptr) {
    std::string out;
    FILE *p = ::popen(cmd.c_str(), "r");
    REQUIRE(p);
    char buf[4096];
    for (std::size_t n; (n = std::fread(buf, 1, sizeof buf, p)) > 0;)
        out.append(buf, n);
    const int status = ::pclose(p);
    if (rc)
        *rc = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    return out;
}

bool haveTool(const char *tool) {
    if (shell(std::string("command -v ") + tool + " >/dev/null 2>&1 && echo yes").find("yes") == 0)
        return true;
    WARN("skipped: " << tool << " is not installed (poppler-utils / gdal-bin, .ci/debian-packages.txt)");
    return false;
}

// Runs of whitespace as one space: a name a table cell wraps still reads as the name.
std::string squeeze(const std::string &s) {
    std::string out;
    bool space = false;
    for (char c : s) {
        const bool ws = c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f';
        if (ws && !space)
            out += ' ';
        else if (!ws)
            out += c;
        space = ws;
    }
    return out;
}

struct Shown {
    double x = 0, y = 0, w = 0, h = 0; // the map's frame on the page (pt or px)
    double minLon = 0, minLat = 0, maxLon = 0, maxLat = 0;
};

Shown mapLine(const std::string &out) {
    Shown s;
    const auto at = out.find("map: ");
    REQUIRE(at != std::string::npos);
    char unit[8] = {0};
    REQUIRE(std::sscanf(out.c_str() + at, "map: %lf,%lf,%lf,%lf %7s showing %lf,%lf,%lf,%lf", &s.x, &s.y,
                        &s.w, &s.h, unit, &s.minLon, &s.minLat, &s.maxLon, &s.maxLat) == 9);
    return s;
}

struct Deposit {
    std::string name;
    double lon = 0, lat = 0;
};

// The bundled deposits inside `s`'s box, read straight from the GeoJSON.
std::vector<Deposit> depositsIn(const Shown &s) {
    auto ds = openVector(geodata("deposits.geojson"));
    std::vector<Deposit> out;
    for (const auto &f : allFeatures(*ds->GetLayer(0))) {
        const OGRPoint *p = f->GetGeometryRef()->toPoint();
        if (p->getX() >= s.minLon && p->getX() <= s.maxLon && p->getY() >= s.minLat && p->getY() <= s.maxLat)
            out.push_back({str(*f, "name"), p->getX(), p->getY()});
    }
    return out;
}

struct Rgb {
    int r = 0, g = 0, b = 0;
};

struct Png {
    int w = 0, h = 0;
    std::vector<std::uint8_t> px; // RGB
    Rgb at(int x, int y) const {
        const std::size_t i = (std::size_t(y) * std::size_t(w) + std::size_t(x)) * 3;
        return {px[i], px[i + 1], px[i + 2]};
    }
};

Png readPng(const fs::path &p) {
    initGdal();
    GDALDatasetUniquePtr ds(GDALDataset::Open(p.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY));
    INFO(p.string());
    REQUIRE(ds);
    Png img;
    img.w = ds->GetRasterXSize();
    img.h = ds->GetRasterYSize();
    img.px.resize(std::size_t(img.w) * img.h * 3);
    int bands[3] = {1, 2, 3};
    REQUIRE(ds->RasterIO(GF_Read, 0, 0, img.w, img.h, img.px.data(), img.w, img.h, GDT_Byte, 3, bands, 3,
                         std::int64_t(img.w) * 3, 1, nullptr) == CE_None);
    return img;
}

bool near(Rgb a, Rgb b, int tol) {
    return std::abs(a.r - b.r) <= tol && std::abs(a.g - b.g) <= tol && std::abs(a.b - b.b) <= tol;
}

double mercY(double lat) {
    return std::log(std::tan(M_PI / 4 + lat * M_PI / 360));
}

} // namespace

TEST_CASE_METHOD(
    CliFixture,
    "issue 9: brief -o x.pdf is a Geospatial PDF: rendered, searchable on every page, georeferenced "
    "to 1 mm, with vector layers",
    "[cli][issue9][brief]") {
    if (!haveTool("pdftotext") || !haveTool("pdftoppm") || !haveTool("pdfinfo") || !haveTool("ogrinfo"))
        return;
    const std::string pdf = out("brief.pdf").string();
    const std::string banner = "SECRET//REL TO UKR";
    const Result r = run("brief", {"-o", pdf, "--classification", banner, "--title", "Donbas deposits",
                                   "--paper", "A4", "--landscape"});
    INFO(r.out << r.err);
    REQUIRE(r.code == 0);
    CHECK(outEntries() == std::vector<std::string>{"brief.pdf"});

    // pdftoppm renders every page.
    int rc = -1;
    const std::string pages = shell("pdfinfo " + shellQuote(pdf) + " | sed -n 's/^Pages: *//p'", &rc);
    REQUIRE(rc == 0);
    const int n = std::stoi(pages);
    const std::string size = shell("pdfinfo " + shellQuote(pdf) + " | sed -n 's/^Page size: *//p'");
    CHECK(size.rfind("841.89 x 595.276 pts", 0) == 0); // A4 landscape
    CHECK(n >= 2);                                     // the table continues on a second page in landscape
    shell("pdftoppm -r 40 -png " + shellQuote(pdf) + " " + shellQuote(out("page").string()), &rc);
    CHECK(rc == 0);
    for (int p = 1; p <= n; ++p) {
        const std::string png = out("page-" + std::to_string(p) + ".png").string();
        CHECK(fs::exists(png));
        CHECK(readPng(png).w > 100);
    }

    // pdftotext: the banner on every page (top and bottom), every deposit name in view once.
    for (int p = 1; p <= n; ++p) {
        const std::string text = shell("pdftotext -f " + std::to_string(p) + " -l " + std::to_string(p) +
                                       " " + shellQuote(pdf) + " -");
        INFO("page " << p << ":\n" << text);
        const auto first = text.find(banner);
        REQUIRE(first != std::string::npos);
        CHECK(text.find(banner, first + 1) != std::string::npos);
    }
    const std::string all = squeeze(shell("pdftotext " + shellQuote(pdf) + " -"));
    const Shown shown = mapLine(r.out);
    const std::vector<Deposit> inView = depositsIn(shown);
    REQUIRE(inView.size() >= 5);
    for (const auto &d : inView) {
        INFO("deposit " << d.name);
        CHECK(all.find(squeeze(d.name)) != std::string::npos);
    }
    CHECK(all.find("Donbas deposits") != std::string::npos);
    CHECK(all.find("Situation as of 2025-08-01") != std::string::npos);
    CHECK(all.find("Scale 1:") != std::string::npos);

    // ogrinfo lists the vector layers the reader can toggle.
    const std::string layers = shell("ogrinfo -ro -q " + shellQuote(pdf) + " 2>&1", &rc);
    INFO(layers);
    CHECK(rc == 0);
    CHECK(layers.find("Deposits") != std::string::npos);
    CHECK(layers.find("Range ring 20 km") != std::string::npos);
    CHECK(layers.find("Front line") != std::string::npos);

    // GDAL reads the georeferencing back; a deposit's marker sits where its coordinates say.
    initGdal();
    GDALDatasetUniquePtr ds(GDALDataset::Open(pdf.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY));
    REQUIRE(ds);
    double gt[6];
    REQUIRE(ds->GetGeoTransform(gt) == CE_None);
    REQUIRE(ds->GetSpatialRef());
    OGRSpatialReference wgs84;
    wgs84.importFromEPSG(4326);
    wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    OGRSpatialReference pageSrs(*ds->GetSpatialRef());
    pageSrs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    std::unique_ptr<OGRCoordinateTransformation> ct(OGRCreateCoordinateTransformation(&wgs84, &pageSrs));
    REQUIRE(ct);
    const double pageWidthMm = 297.0; // A4 landscape
    const double gdalPxPerMm = ds->GetRasterXSize() / pageWidthMm;
    auto pageMm = [&](const Deposit &d, double &xmm, double &ymm) {
        double x = d.lon, y = d.lat;
        REQUIRE(ct->Transform(1, &x, &y));
        // gt has no rotation: pixel = (geo - origin) / size.
        xmm = (x - gt[0]) / gt[1] / gdalPxPerMm;
        ymm = (y - gt[3]) / gt[5] / gdalPxPerMm;
    };
    // A deposit at least 8 mm from every other one on the page, so its marker is its own.
    const Deposit *lonely = nullptr;
    for (const auto &d : inView) {
        double x, y, best = 1e9;
        pageMm(d, x, y);
        for (const auto &e : inView)
            if (&e != &d) {
                double ex, ey;
                pageMm(e, ex, ey);
                best = std::min(best, std::hypot(ex - x, ey - y));
            }
        if (best > 8 && x > 20 && y > 30) {
            lonely = &d;
            break;
        }
    }
    REQUIRE(lonely);
    INFO("deposit " << lonely->name);
    double xmm, ymm;
    pageMm(*lonely, xmm, ymm);
    shell("pdftoppm -r 254 -f 1 -l 1 -png " + shellQuote(pdf) + " " + shellQuote(out("hires").string()), &rc);
    REQUIRE(rc == 0);
    const Png page = readPng(out("hires-1.png"));
    // 254 dpi: 10 px per mm. The marker: verdict colours (Okabe-Ito) within 4 mm of the spot.
    const Rgb verdicts[] = {{0x00, 0x9E, 0x73}, {0xF0, 0xE4, 0x42}, {0xD5, 0x5E, 0x00}};
    double sx = 0, sy = 0, count = 0;
    for (int y = int(ymm * 10) - 40; y <= int(ymm * 10) + 40; ++y)
        for (int x = int(xmm * 10) - 40; x <= int(xmm * 10) + 40; ++x) {
            if (x < 0 || y < 0 || x >= page.w || y >= page.h)
                continue;
            for (const auto &v : verdicts)
                if (near(page.at(x, y), v, 30)) {
                    sx += x + 0.5, sy += y + 0.5, ++count;
                    break;
                }
        }
    REQUIRE(count > 20);
    const double offMm = std::hypot(sx / count / 10 - xmm, sy / count / 10 - ymm);
    INFO("marker centre " << sx / count / 10 << "," << sy / count / 10 << " mm, coordinates say " << xmm
                          << "," << ymm << " mm");
    CHECK(offMm < 1.0);
}

TEST_CASE_METHOD(
    CliFixture,
    "issue 9: brief -o x.png: banner colours, legend of visible layers only, scale bar true to 1 % "
    "at the map's latitude",
    "[cli][issue9][brief]") {
    const std::string png = out("brief.png").string();
    const Result r = run("brief", {"-o", png, "--classification", "SECRET", "--dpi", "300"});
    INFO(r.out << r.err);
    REQUIRE(r.code == 0);
    const Png img = readPng(png);
    CHECK(img.w == int(std::lround(210.0 / 25.4 * 300))); // A4 portrait at 300 dpi
    CHECK(img.h == int(std::lround(297.0 / 25.4 * 300)));

    // Banners top and bottom, red for SECRET, at their left ends (clear of the text).
    const double mm = 300 / 25.4;
    const Rgb secretRed{0xC8, 0x10, 0x2E};
    CHECK(near(img.at(int(14 * mm), int(6.5 * mm)), secretRed, 4));
    CHECK(near(img.at(int(14 * mm), img.h - int(6.5 * mm)), secretRed, 4));

    // Scale bar: measured in the image, then its ground length along the map's centre parallel
    // from GeographicLib must be the label's within 1 %.
    double metres = 0, x0 = 0, x1 = 0, y = 0;
    const auto at = r.out.find("scale bar: ");
    REQUIRE(at != std::string::npos);
    const auto paren = r.out.find('(', at);
    REQUIRE(std::sscanf(r.out.c_str() + paren, "(%lf m), x %lf-%lf px, y %lf px", &metres, &x0, &x1, &y) ==
            4);
    const int row = int(y);
    auto dark = [&](int x) {
        const Rgb c = img.at(x, row);
        return c.r + c.g + c.b < 3 * 128;
    };
    const int mid = int((x0 + x1) / 2);
    REQUIRE(dark(mid));
    int left = mid, right = mid;
    while (left > 0 && dark(left - 1))
        --left;
    while (right < img.w - 1 && dark(right + 1))
        ++right;
    const double barPx = right - left + 1;
    const Shown shown = mapLine(r.out);
    const double lonSpan = barPx / shown.w * (shown.maxLon - shown.minLon); // Mercator x is linear in lon
    const double ymid = (mercY(shown.minLat) + mercY(shown.maxLat)) / 2;
    const double latc = (2 * std::atan(std::exp(ymid)) - M_PI / 2) * 180 / M_PI;
    double ground = 0;
    GeographicLib::Geodesic::WGS84().Inverse(latc, 30.0, latc, 30.0 + lonSpan, ground);
    INFO("bar " << barPx << " px, " << metres << " m labelled, " << ground << " m on the ground at " << latc);
    CHECK(std::fabs(ground - metres) / metres < 0.01);

    // Legend: occupied territory's swatch (its tint on white) in the theatre; over Australia
    // there is no hostile layer in view, so no such entry.
    double lx, ly, lw, lh;
    const auto lat0 = r.out.find("legend: ");
    REQUIRE(std::sscanf(r.out.c_str() + lat0, "legend: %lf,%lf,%lf,%lf px", &lx, &ly, &lw, &lh) == 4);
    const Rgb occupiedOnWhite{211, 154, 185}; // #9E1F63 at alpha 0x73 over white
    auto legendHas = [&](const Png &p, Rgb c) {
        int n = 0;
        for (int yy = int(ly); yy < int(ly + lh) && yy < p.h; ++yy)
            for (int xx = int(lx); xx < int(lx + 60); ++xx)
                n += near(p.at(xx, yy), c, 3);
        return n > 50;
    };
    CHECK(legendHas(img, occupiedOnWhite));
    const std::string far = out("australia.png").string();
    const Result a = run("brief", {"-o", far, "--bbox", "112,-40,155,-10", "--dpi", "300"});
    INFO(a.out << a.err);
    REQUIRE(a.code == 0);
    const Png aus = readPng(far);
    const auto lat1 = a.out.find("legend: ");
    REQUIRE(std::sscanf(a.out.c_str() + lat1, "legend: %lf,%lf,%lf,%lf px", &lx, &ly, &lw, &lh) == 4);
    CHECK_FALSE(legendHas(aus, occupiedOnWhite));
    const Rgb unclassifiedGreen{0x00, 0x7A, 0x33}; // the default classification
    CHECK(near(aus.at(int(14 * mm), int(6.5 * mm)), unclassifiedGreen, 4));
}

TEST_CASE_METHOD(CliFixture, "issue 9: brief refuses bad input with exit 2 and writes nothing",
                 "[cli][issue9][brief]") {
    const std::string pdf = out("b.pdf").string();
    const Result paper = run("brief", {"-o", pdf, "--paper", "A5"});
    CHECK(paper.code == 2);
    CHECK(paper.err.find("unknown paper size 'A5'") != std::string::npos);
    const Result world = run("brief", {"-o", pdf, "--bbox", "170,10,190,20"});
    CHECK(world.code == 2);
    CHECK(world.err.find("outside the world") != std::string::npos);
    const Result dir = run("brief", {"-o", out("missing/b.png").string()});
    CHECK(dir.code == 2);
    CHECK(dir.err.find("does not exist") != std::string::npos);
    CHECK(outEntries().empty());
}

TEST_CASE_METHOD(CliFixture, "issue 9: a Cyrillic deposit name is searchable text in the briefing PDF",
                 "[cli][issue9][brief]") {
    if (!haveTool("pdftotext"))
        return;
    // The bundled scenario with one deposit renamed in Ukrainian: GDAL's own PDF fonts are
    // Latin-1 only, the sheet's embedded DejaVu Sans is not.
    copyBundledScenario(in(""));
    std::string deposits = readText(in("deposits.geojson"));
    const auto at = deposits.find("\"Azovske\"");
    REQUIRE(at != std::string::npos);
    deposits.replace(at, 9, "\"Азовське\"");
    writeText(in("deposits.geojson"), deposits);
    const std::string pdf = out("cyrillic.pdf").string();
    const Result r = run("brief", {in("scenario.toml").string(), "-o", pdf});
    INFO(r.out << r.err);
    REQUIRE(r.code == 0);
    const std::string text = shell("pdftotext " + shellQuote(pdf) + " -");
    CHECK(text.find("Азовське") != std::string::npos);
    CHECK(text.find("Russia–Ukraine") != std::string::npos); // the en dash of a layer name
}

TEST_CASE_METHOD(
    CliFixture,
    "issue 9: the scenario's annotations are on the sheet (a PDF vector layer, labels as text) and "
    "deposit notes in the table",
    "[cli][issue9][brief]") {
    if (!haveTool("pdftotext") || !haveTool("ogrinfo"))
        return;
    copyBundledScenario(in(""));
    initGdal();
    {
        auto store = orefront::io::openAnnotationStore(
            orefront::io::defaultAnnotationStore(in("scenario.toml").string(), ""), true);
        orefront::model::Annotation circle;
        circle.kind = orefront::model::AnnotationKind::RangeCircle;
        circle.vertices = {{35.5, 48.2}};
        circle.radiusKm = 70;
        circle.label = "Reported launch site";
        store->add(circle);
        orefront::model::Annotation marker;
        marker.kind = orefront::model::AnnotationKind::Marker;
        marker.vertices = {{31.0, 49.5}};
        marker.label = "Survey team";
        store->add(marker);
        orefront::model::DepositNote note;
        note.deposit = "Dobra";
        note.text = "Licence tender postponed";
        note.author = "analyst1";
        store->putNote(note);
    }
    const std::string pdf = out("annotated.pdf").string();
    const Result r = run("brief", {in("scenario.toml").string(), "-o", pdf});
    INFO(r.out << r.err);
    REQUIRE(r.code == 0);
    const std::string text = squeeze(shell("pdftotext " + shellQuote(pdf) + " -"));
    CHECK(text.find("Reported launch site (70 km)") != std::string::npos);
    CHECK(text.find("Survey team") != std::string::npos);
    CHECK(text.find("Licence tender postponed (analyst1)") != std::string::npos);
    CHECK(text.find("Analyst annotations (2)") != std::string::npos); // the legend
    int rc = -1;
    const std::string layers = shell("ogrinfo -ro -q " + shellQuote(pdf) + " 2>&1", &rc);
    INFO(layers);
    CHECK(layers.find("Annotations") != std::string::npos);

    // PNG: the same content drawn into the page.
    const std::string png = out("annotated.png").string();
    const Result p = run("brief", {in("scenario.toml").string(), "-o", png, "--dpi", "100"});
    INFO(p.out << p.err);
    CHECK(p.code == 0);
}

// The line of `text` (pdftotext -layout) holding the table row of the Ukrainian `deposit`
// (name, country, verdict, distance), not its label on the map, or "".
std::string rowOf(const std::string &text, const std::string &deposit) {
    std::istringstream lines(text);
    for (std::string l; std::getline(lines, l);)
        if (l.find(deposit) != std::string::npos && l.find(" UKR ") != std::string::npos)
            return l;
    return {};
}

TEST_CASE_METHOD(CliFixture,
                 "issue 9: a marker marked 'counts as hostile' changes a verdict on the sheet, and the sheet "
                 "lists it under What-if markings",
                 "[cli][issue9][brief]") {
    if (!haveTool("pdftotext"))
        return;
    copyBundledScenario(in(""));
    initGdal();
    const std::string store = orefront::io::defaultAnnotationStore(in("scenario.toml").string(), "");
    const std::string ukraineBox = "28,44,41,53"; // Dobra in view whatever the theatre
    {
        // Marked annotations that change nothing: the section says so.
        orefront::model::Annotation far;
        far.kind = orefront::model::AnnotationKind::Marker;
        far.vertices = {{-150.0, -60.0}}; // the South Pacific, thousands of km from any deposit
        far.label = "Far patrol";
        far.countsAsHostile = true;
        orefront::io::openAnnotationStore(store, true)->add(far);
    }
    const std::string before = out("before.pdf").string();
    const Result b =
        run("brief", {in("scenario.toml").string(), "-o", before, "--landscape", "--bbox", ukraineBox});
    INFO(b.out << b.err);
    REQUIRE(b.code == 0);
    const std::string beforeText = shell("pdftotext -layout " + shellQuote(before) + " -");
    INFO(beforeText);
    CHECK(squeeze(beforeText).find("What-if markings Far patrol (marker): none changed a verdict") !=
          std::string::npos);
    const std::string dobraBefore = rowOf(beforeText, "Dobra");
    REQUIRE(!dobraBefore.empty());
    CHECK(dobraBefore.find("Not investable") == std::string::npos);

    {
        // A hostile firing position on the deposit: inside the standoff, not investable.
        orefront::model::Annotation on;
        on.kind = orefront::model::AnnotationKind::Marker;
        on.vertices = {{31.56, 48.41}}; // Dobra is at 31.55 E, 48.40 N
        on.label = "Reported battery";
        on.countsAsHostile = true;
        orefront::io::openAnnotationStore(store, true)->add(on);
    }
    const std::string after = out("after.pdf").string();
    const Result a =
        run("brief", {in("scenario.toml").string(), "-o", after, "--landscape", "--bbox", ukraineBox});
    INFO(a.out << a.err);
    REQUIRE(a.code == 0);
    const std::string afterText = shell("pdftotext -layout " + shellQuote(after) + " -");
    INFO(afterText);
    const std::string listing = squeeze(afterText);
    const std::string verdictBefore =
        dobraBefore.find("Marginal") != std::string::npos ? "marginal" : "investable";
    CHECK(listing.find("What-if markings") != std::string::npos);
    CHECK(listing.find("Reported battery (marker): Dobra " + verdictBefore + " -> not_investable") !=
          std::string::npos);
    CHECK(listing.find("Far patrol (marker): changed no verdict alone") != std::string::npos);
    const std::string dobraAfter = rowOf(afterText, "Dobra");
    CHECK(dobraAfter.find("Not investable") != std::string::npos);
    // To the front: the marker, the nearest hostile position now (GeographicLib, WGS84).
    double metres = 0;
    GeographicLib::Geodesic::WGS84().Inverse(48.40, 31.55, 48.41, 31.56, metres);
    char km[32];
    std::snprintf(km, sizeof km, " %.1f", metres / 1000); // the cell wraps before "km"
    INFO("to the marker: " << km);
    CHECK(dobraAfter.find(km) != std::string::npos);
}
