// Issue 7, end to end through the real binary: `orefront render -o x.pdf` wrote PNG bytes
// under that name with exit 0. Now a .jpg is a JPEG (read back through GDAL) and a .pdf is
// refused with exit 1, a message, and no file.
#include "cli/cli_support.hpp"

using namespace orefront::clitest;

TEST_CASE_METHOD(CliFixture,
                 "issue 7: orefront render -o x.jpg writes a JPEG, -o x.pdf exits 1 and writes nothing",
                 "[cli][issue7]") {
    const Result jpg = run("render", {"-o", out("map.jpg").string(), "--size", "240x160"});
    REQUIRE(jpg.code == 0);
    CHECK(readText(out("map.jpg")).rfind("\xFF\xD8\xFF", 0) == 0);
    initGdal();
    GDALDatasetUniquePtr ds(GDALDataset::Open(out("map.jpg").c_str(), GDAL_OF_RASTER | GDAL_OF_READONLY));
    REQUIRE(ds);
    CHECK(std::string(ds->GetDriver()->GetDescription()) == "JPEG");
    CHECK(ds->GetRasterXSize() == 240);

    const Result pdf = run("render", {"-o", out("map.pdf").string()});
    CHECK(pdf.code == 1);
    CHECK(pdf.err.find("PDF output is not supported yet") != std::string::npos);
    CHECK_FALSE(fs::exists(out("map.pdf")));
    CHECK(outEntries() == std::vector<std::string>{"map.jpg"});
}
