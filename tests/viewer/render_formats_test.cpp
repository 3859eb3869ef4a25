// Issue 7: `orefront render -o x.pdf` (and .jpg, .svg) wrote PNG bytes under that name with
// exit 0. Now the extension decides: PNG, JPEG and WebP are written through GDAL and read
// back here (magic bytes and the GDAL driver that opens them); PDF, SVG, an unknown or a
// missing extension are refused with exit 1 and a message, and nothing is written.
#include "viewer/viewer_cli.hpp"

#include <catch2/catch.hpp>
#include <gdal_priv.h>

#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

using namespace orefront;
using namespace orefront::viewer;
namespace fs = std::filesystem;

namespace {

std::string head(const fs::path &p, std::size_t n) {
    std::ifstream in(p, std::ios::binary);
    std::string s(n, '\0');
    in.read(s.data(), std::streamsize(n));
    s.resize(std::size_t(in.gcount()));
    return s;
}

// Runs render with std::cerr captured.
int renderCapturing(const RenderOptions &o, std::string &err) {
    std::ostringstream captured;
    auto *old = std::cerr.rdbuf(captured.rdbuf());
    const int rc = runRender(o);
    std::cerr.rdbuf(old);
    err = captured.str();
    return rc;
}

struct TempDir {
    fs::path path = fs::temp_directory_path() / ("orefront_formats_" + std::to_string(::getpid()));
    TempDir() { fs::create_directories(path); }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path, ec);
    }
};

} // namespace

TEST_CASE("issue 7: render -o writes PNG, JPEG or WebP as the extension says", "[viewer][gl][cli][issue7]") {
    TempDir dir;
    struct Case {
        const char *name, *driver, *magic;
        std::size_t offset;
    };
    for (const Case c :
         {Case{"map.png", "PNG", "\x89PNG\r\n\x1a\n", 0}, Case{"map.jpg", "JPEG", "\xFF\xD8\xFF", 0},
          Case{"map.JPEG", "JPEG", "\xFF\xD8\xFF", 0}, Case{"map.webp", "WEBP", "WEBP", 8}}) {
        INFO(c.name);
        RenderOptions o;
        o.output = (dir.path / c.name).string();
        o.size = "320x200";
        std::string err;
        REQUIRE(renderCapturing(o, err) == 0);
        const std::string magic = c.magic;
        CHECK(head(o.output, c.offset + magic.size()).substr(c.offset) == magic);
        GDALDatasetUniquePtr ds(GDALDataset::Open(o.output.c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY));
        REQUIRE(ds);
        CHECK(std::string(ds->GetDriver()->GetDescription()) == c.driver);
        CHECK(ds->GetRasterXSize() == 320);
        CHECK(ds->GetRasterYSize() == 200);
        CHECK(ds->GetRasterCount() >= 3);
        CHECK_FALSE(fs::exists(o.output + ".aux.xml"));
    }
    // Nothing but the images (no temporary files left).
    CHECK(std::distance(fs::directory_iterator(dir.path), fs::directory_iterator{}) == 4);
}

TEST_CASE("issue 7: render -o x.pdf, x.svg, x.tiff or x refuses with exit 1 and writes nothing",
          "[viewer][gl][cli][issue7]") {
    TempDir dir;
    for (const auto &[name, says] : std::vector<std::pair<std::string, std::string>>{
             {"map.pdf", "PDF output is not supported yet"},
             {"map.svg", "SVG is a vector format"},
             {"map.tiff", "'.tiff' is not an image format orefront writes"},
             {"map", "it has no extension"}}) {
        INFO(name);
        RenderOptions o;
        o.output = (dir.path / name).string();
        o.size = "320x200";
        std::string err;
        CHECK(renderCapturing(o, err) == 1);
        INFO(err);
        CHECK(err.find(says) != std::string::npos);
        CHECK(err.find(".png, .jpg") != std::string::npos);
        CHECK_FALSE(fs::exists(o.output));
    }
    CHECK(fs::is_empty(dir.path));
}
