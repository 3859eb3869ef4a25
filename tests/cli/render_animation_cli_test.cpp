// `orefront render --from --to --step -o front.gif|front.mp4`: an animation of a dated scenario
// (tests/data/cli/timeline: three snapshots of 2022), read back with giflib and libavformat.
#include "cli/cli_support.hpp"

#include <gif_lib.h>
extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
}

using namespace orefront::clitest;

namespace {

std::string timelineScenario() {
    return fixture("timeline/scenario.toml");
}

// The colour of pixel (x, y) of a GIF frame.
GifColorType colourAt(const GifFileType *gif, int frame, int x, int y) {
    const SavedImage &img = gif->SavedImages[frame];
    const ColorMapObject *map = img.ImageDesc.ColorMap ? img.ImageDesc.ColorMap : gif->SColorMap;
    return map->Colors[img.RasterBits[y * img.ImageDesc.Width + x]];
}

} // namespace

TEST_CASE_METHOD(CliFixture, "render --step 1m -o front.gif: one frame a month, the fronts differ",
                 "[cli][animation]") {
    const Result r = run("render", {timelineScenario(), "--from", "2022-02-23", "--to", "2022-12-31",
                                    "--step", "1m", "--size", "320x200", "-o", out("front.gif").string()});
    REQUIRE(r.code == 0);
    CHECK_THAT(r.out, Catch::Contains("11 frames 2022-02-23 to 2022-12-23"));
    int err = 0;
    GifFileType *gif = DGifOpenFileName(out("front.gif").c_str(), &err);
    REQUIRE(gif);
    REQUIRE(DGifSlurp(gif) == GIF_OK);
    CHECK(gif->ImageCount == 11); // 23 Feb, 23 Mar, ..., 23 Dec
    CHECK(gif->SWidth == 320);
    CHECK(gif->SHeight == 200);
    // February (the small box) and April (the largest extent) differ over many pixels;
    // April and May (the same snapshot) differ only in the date of the title.
    auto differing = [&](int a, int b) {
        int n = 0;
        for (int y = 0; y < 200; ++y)
            for (int x = 0; x < 320; ++x) {
                const auto p = colourAt(gif, a, x, y), q = colourAt(gif, b, x, y);
                n += std::abs(p.Red - q.Red) + std::abs(p.Green - q.Green) + std::abs(p.Blue - q.Blue) > 60;
            }
        return n;
    };
    const int febApr = differing(0, 2), aprMay = differing(2, 3);
    INFO("Feb/Apr " << febApr << " px, Apr/May " << aprMay << " px");
    CHECK(febApr > 300); // the strip of 2 degrees the front took, at 320x200
    CHECK(aprMay < febApr / 4);
    DGifCloseFile(gif, &err);
    // GDAL reads it too.
    initGdal();
    GDALDatasetUniquePtr ds(GDALDataset::Open(out("front.gif").c_str(), GDAL_OF_RASTER));
    REQUIRE(ds);
    CHECK(ds->GetRasterXSize() == 320);
}

TEST_CASE_METHOD(CliFixture, "render --step snapshots -o front.mp4: one frame a snapshot (libavformat)",
                 "[cli][animation]") {
    const Result r =
        run("render", {timelineScenario(), "--size", "320x200", "-o", out("front.mp4").string()});
    REQUIRE(r.code == 0);
    AVFormatContext *fmt = nullptr;
    REQUIRE(avformat_open_input(&fmt, out("front.mp4").c_str(), nullptr, nullptr) == 0);
    REQUIRE(avformat_find_stream_info(fmt, nullptr) >= 0);
    const int video = av_find_best_stream(fmt, AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
    REQUIRE(video >= 0);
    CHECK(fmt->streams[video]->codecpar->width == 320);
    CHECK(fmt->streams[video]->codecpar->height == 200);
    int packets = 0;
    AVPacket *pkt = av_packet_alloc();
    while (av_read_frame(fmt, pkt) >= 0) {
        packets += pkt->stream_index == video;
        av_packet_unref(pkt);
    }
    av_packet_free(&pkt);
    avformat_close_input(&fmt);
    CHECK(packets == 3); // 2022-02-23, 2022-03-25, 2022-11-11
}

// The MP4 above is written through FFmpeg opened at run time: the binary itself does not load
// FFmpeg's libraries (about 90 with theirs, 40 ms of every command's start-up; issue 11).
TEST_CASE_METHOD(CliFixture, "orefront loads no FFmpeg library at start-up (issue 11)", "[cli][issue11]") {
    const fs::path listing = out("ldd.txt");
    const std::string cmd = "ldd " + shellQuote(OREFRONT_BINARY) + " >" + shellQuote(listing.string());
    REQUIRE(std::system(cmd.c_str()) == 0);
    const std::string libraries = readText(listing);
    CHECK_THAT(libraries, Catch::Contains("libgdal")); // the listing is the binary's
    CHECK_THAT(libraries, !Catch::Contains("libavcodec") && !Catch::Contains("libavformat") &&
                              !Catch::Contains("libavutil") && !Catch::Contains("libswscale"));
}

TEST_CASE_METHOD(CliFixture, "render animations: bad input is a clear message and nothing is written",
                 "[cli][animation]") {
    const Result early = run("render", {timelineScenario(), "--from", "2021-01-01", "--size", "320x200", "-o",
                                        out("a.gif").string()});
    CHECK(early.code == 2);
    CHECK_THAT(early.err, Catch::Contains("before the first snapshot") && Catch::Contains("2022-02-23"));
    const Result step = run("render", {timelineScenario(), "--step", "7x", "-o", out("a.gif").string()});
    CHECK(step.code == 1);
    CHECK_THAT(step.err, Catch::Contains("--step"));
    const Result png = run("render", {timelineScenario(), "--step", "7d", "-o", out("a.png").string()});
    CHECK(png.code == 1);
    CHECK_THAT(png.err, Catch::Contains(".gif or .mp4"));
    const Result undated =
        run("render", {geodata("scenario.toml"), "--size", "320x200", "-o", out("a.gif").string()});
    if (undated.code != 0) { // the bundled scenario is dated once the timecore series is merged
        CHECK(undated.code == 2);
        CHECK_THAT(undated.err, Catch::Contains("no dated series"));
    }
    std::error_code ec;
    fs::remove(out("a.gif"), ec);
    CHECK(fs::is_empty(outDir()));
}
