// AnimationWriter: GIF and MP4 read back by independent decoders (giflib's DGifSlurp, GDAL's
// GIF driver, libavformat's demuxer and libavcodec's decoder): frame count, size, colours,
// and nothing left behind on failure.
#include "orefront/export/animation_writer.hpp"
#include "orefront/io/scenario_io.hpp"
#include "orefront/model/error.hpp"

#include <catch2/catch.hpp>
#include <gdal_priv.h>
#include <gif_lib.h>
extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
}

#include <filesystem>
#include <sys/stat.h>
#include <unistd.h>
#include <vector>

namespace fs = std::filesystem;
using namespace orefront;

namespace {

// Frame k: a red band moving right over a blue background.
std::vector<std::uint8_t> frameAt(int k, int w, int h) {
    std::vector<std::uint8_t> rgba(std::size_t(w) * h * 4);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x) {
            std::uint8_t *p = &rgba[(std::size_t(y) * w + x) * 4];
            const bool band = x >= k * 10 && x < k * 10 + 10;
            p[0] = band ? 220 : 20, p[1] = 30, p[2] = band ? 30 : 200, p[3] = 255;
        }
    return rgba;
}

struct TempDir {
    fs::path dir = fs::temp_directory_path() / ("orefront_anim_" + std::to_string(::getpid()));
    TempDir() { fs::create_directories(dir); }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(dir, ec);
    }
};

void writeFrames(const fs::path &path, int n, int w, int h) {
    exporting::AnimationWriter writer(path.string(), w, h, 4);
    for (int k = 0; k < n; ++k)
        writer.addFrame(frameAt(k, w, h).data());
    CHECK(writer.frames() == n);
    writer.finish();
}

} // namespace

TEST_CASE_METHOD(TempDir, "AnimationWriter: a GIF has every frame, its size and its colours", "[export]") {
    const fs::path gifPath = dir / "a.gif";
    writeFrames(gifPath, 5, 96, 40);
    // As readable as other outputs (giflib creates its file owner-only): the umask decides.
    const mode_t mask = ::umask(0);
    ::umask(mask);
    const bool groupReads = (fs::status(gifPath).permissions() & fs::perms::group_read) != fs::perms::none;
    CHECK((groupReads || (mask & 040) != 0));
    int err = 0;
    GifFileType *gif = DGifOpenFileName(gifPath.c_str(), &err);
    REQUIRE(gif);
    REQUIRE(DGifSlurp(gif) == GIF_OK);
    CHECK(gif->ImageCount == 5);
    CHECK(gif->SWidth == 96);
    CHECK(gif->SHeight == 40);
    // Frame 3: the band at x 30..39 is red, x = 80 is blue.
    const SavedImage &f3 = gif->SavedImages[3];
    const ColorMapObject *map = f3.ImageDesc.ColorMap ? f3.ImageDesc.ColorMap : gif->SColorMap;
    REQUIRE(map);
    const GifColorType red = map->Colors[f3.RasterBits[5 * 96 + 35]];
    const GifColorType blue = map->Colors[f3.RasterBits[5 * 96 + 80]];
    CHECK(std::abs(red.Red - 220) <= 8);
    CHECK(std::abs(blue.Blue - 200) <= 8);
    GraphicsControlBlock gcb{};
    REQUIRE(DGifSavedExtensionToGCB(gif, 0, &gcb) == GIF_OK);
    CHECK(gcb.DelayTime == 25); // 4 frames a second
    DGifCloseFile(gif, &err);

    io::initGdal();
    GDALDatasetUniquePtr ds(GDALDataset::Open(gifPath.c_str(), GDAL_OF_RASTER));
    REQUIRE(ds);
    CHECK(ds->GetRasterXSize() == 96);
    CHECK(ds->GetRasterYSize() == 40);
}

TEST_CASE_METHOD(TempDir, "AnimationWriter: an MP4 has every frame and its size (libavformat reads it)",
                 "[export]") {
    const fs::path mp4 = dir / "a.mp4";
    writeFrames(mp4, 7, 96, 40);
    AVFormatContext *fmt = nullptr;
    REQUIRE(avformat_open_input(&fmt, mp4.c_str(), nullptr, nullptr) == 0);
    REQUIRE(avformat_find_stream_info(fmt, nullptr) >= 0);
    const int video = av_find_best_stream(fmt, AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
    REQUIRE(video >= 0);
    const AVCodecParameters *par = fmt->streams[video]->codecpar;
    CHECK(par->width == 96);
    CHECK(par->height == 40);
    const AVCodec *decoder = avcodec_find_decoder(par->codec_id);
    REQUIRE(decoder);
    AVCodecContext *dec = avcodec_alloc_context3(decoder);
    avcodec_parameters_to_context(dec, par);
    REQUIRE(avcodec_open2(dec, decoder, nullptr) == 0);
    AVPacket *pkt = av_packet_alloc();
    AVFrame *frame = av_frame_alloc();
    int decoded = 0;
    auto receive = [&] {
        while (avcodec_receive_frame(dec, frame) == 0)
            ++decoded;
    };
    int packets = 0;
    while (av_read_frame(fmt, pkt) >= 0) {
        if (pkt->stream_index == video) {
            ++packets;
            while (avcodec_send_packet(dec, pkt) == AVERROR(EAGAIN))
                receive(); // the decoder's output is full: take it, then send again
            receive();
        }
        av_packet_unref(pkt);
    }
    avcodec_send_packet(dec, nullptr);
    receive();
    CHECK(packets == 7);                        // one packet a frame, in the container
    CHECK(fmt->streams[video]->nb_frames == 7); // as its index says
    CHECK(decoded >= 6);                        // H.264 decodes (libavcodec may hold back the last)
    av_frame_free(&frame);
    av_packet_free(&pkt);
    avcodec_free_context(&dec);
    avformat_close_input(&fmt);
}

TEST_CASE_METHOD(TempDir, "AnimationWriter: abandoned or refused, nothing is left behind", "[export]") {
    {
        exporting::AnimationWriter writer((dir / "gone.gif").string(), 32, 32, 4);
        writer.addFrame(frameAt(0, 32, 32).data());
    } // no finish(): an error on the way
    CHECK(fs::is_empty(dir));
    CHECK_THROWS_AS(exporting::AnimationWriter((dir / "a.avi").string(), 32, 32, 4), UsageError);
    CHECK_THROWS_AS(exporting::AnimationWriter((dir / "no_dir" / "a.gif").string(), 32, 32, 4), OutputError);
    CHECK(fs::is_empty(dir));
}
