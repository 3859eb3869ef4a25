// GIF (giflib) and MP4 (libavformat/libavcodec/libswscale) animation writers.
#include "orefront/export/animation_writer.hpp"

#include "orefront/model/error.hpp"

#include <gif_lib.h>
extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/imgutils.h>
#include <libavutil/opt.h>
#include <libswscale/swscale.h>
}

#include <algorithm>
#include <cctype>
#include <cmath>
#include <dlfcn.h>
#include <filesystem>
#include <sys/stat.h>
#include <system_error>
#include <unistd.h>
#include <vector>

namespace orefront::exporting {

namespace fs = std::filesystem;

std::optional<AnimationFormat> animationFormatFor(const std::string &path) {
    std::string ext = fs::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(), [](unsigned char c) { return std::tolower(c); });
    if (ext == ".gif")
        return AnimationFormat::Gif;
    if (ext == ".mp4")
        return AnimationFormat::Mp4;
    return std::nullopt;
}

struct AnimationWriter::Impl {
    std::string path, tmp;
    int width = 0, height = 0;
    double fps = 4;
    int frames = 0;
    bool finished = false;
    AnimationFormat format = AnimationFormat::Gif;

    virtual ~Impl() = default;
    virtual void add(const std::uint8_t *rgba) = 0;
    virtual void close() = 0;

    [[noreturn]] void fail(const std::string &what) const {
        throw OutputError("cannot write animation '" + path + "': " + what);
    }
};

namespace {

// giflib: one local 256-colour palette per frame (median cut, GifQuantizeBuffer), looping.
struct GifImpl final : AnimationWriter::Impl {
    GifFileType *gif = nullptr;
    std::vector<GifByteType> r, g, b, indices;

    void open() {
        int err = 0;
        gif = EGifOpenFileName(tmp.c_str(), false, &err);
        if (!gif)
            fail(GifErrorString(err));
        EGifSetGifVersion(gif, true);
        if (EGifPutScreenDesc(gif, width, height, 8, 0, nullptr) == GIF_ERROR)
            fail(GifErrorString(gif->Error));
        // NETSCAPE2.0: loop for ever.
        static const GifByteType netscape[] = "NETSCAPE2.0";
        static const GifByteType loop[] = {1, 0, 0};
        if (EGifPutExtensionLeader(gif, APPLICATION_EXT_FUNC_CODE) == GIF_ERROR ||
            EGifPutExtensionBlock(gif, 11, netscape) == GIF_ERROR ||
            EGifPutExtensionBlock(gif, 3, loop) == GIF_ERROR || EGifPutExtensionTrailer(gif) == GIF_ERROR)
            fail(GifErrorString(gif->Error));
        const std::size_t n = std::size_t(width) * height;
        r.resize(n), g.resize(n), b.resize(n), indices.resize(n);
    }

    void add(const std::uint8_t *rgba) override {
        const std::size_t n = std::size_t(width) * height;
        for (std::size_t i = 0; i < n; ++i)
            r[i] = rgba[4 * i], g[i] = rgba[4 * i + 1], b[i] = rgba[4 * i + 2];
        GifColorType colours[256];
        int size = 256;
        if (GifQuantizeBuffer(width, height, &size, r.data(), g.data(), b.data(), indices.data(), colours) ==
            GIF_ERROR)
            fail("colour quantization failed");
        ColorMapObject *map = GifMakeMapObject(256, colours);
        if (!map)
            fail("out of memory");
        GraphicsControlBlock gcb{};
        gcb.DisposalMode = DISPOSE_DO_NOT;
        gcb.DelayTime = std::max(1, static_cast<int>(std::lround(100.0 / fps)));
        gcb.TransparentColor = NO_TRANSPARENT_COLOR;
        GifByteType ext[4];
        const std::size_t extLen = EGifGCBToExtension(&gcb, ext);
        bool ok = EGifPutExtension(gif, GRAPHICS_EXT_FUNC_CODE, int(extLen), ext) != GIF_ERROR &&
                  EGifPutImageDesc(gif, 0, 0, width, height, false, map) != GIF_ERROR;
        GifFreeMapObject(map);
        for (int y = 0; ok && y < height; ++y)
            ok = EGifPutLine(gif, indices.data() + std::size_t(y) * width, width) != GIF_ERROR;
        if (!ok)
            fail(GifErrorString(gif->Error));
    }

    void close() override {
        if (!gif)
            return;
        int err = 0;
        const int rc = EGifCloseFile(gif, &err);
        gif = nullptr;
        if (rc == GIF_ERROR)
            fail(GifErrorString(err));
    }

    ~GifImpl() override {
        if (gif) {
            int err = 0;
            EGifCloseFile(gif, &err);
        }
    }
};

// FFmpeg is opened on the first MP4, not linked: its libraries and theirs (some 90 of the 208
// the binary loaded) cost every orefront command 40 ms of dynamic linking at start-up, a sixtieth
// of a million-deposit analyze, and only an MP4 animation uses them (issue 11). The headers are
// the ones the build found; the sonames are theirs (CMake passes them).
// clang-format off: one function a line
#define OREFRONT_FFMPEG_FUNCTIONS(X)                                                                         \
    X(av_strerror)                                                                                           \
    X(av_log_set_level)                                                                                      \
    X(avformat_alloc_output_context2)                                                                        \
    X(avcodec_find_encoder_by_name)                                                                          \
    X(avcodec_find_encoder)                                                                                  \
    X(avformat_new_stream)                                                                                   \
    X(avcodec_alloc_context3)                                                                                \
    X(av_opt_set)                                                                                            \
    X(avcodec_open2)                                                                                         \
    X(avcodec_parameters_from_context)                                                                       \
    X(avio_open)                                                                                             \
    X(avformat_write_header)                                                                                 \
    X(av_frame_alloc)                                                                                        \
    X(av_packet_alloc)                                                                                       \
    X(av_frame_get_buffer)                                                                                   \
    X(sws_getContext)                                                                                        \
    X(avcodec_receive_packet)                                                                                \
    X(av_packet_rescale_ts)                                                                                  \
    X(av_interleaved_write_frame)                                                                            \
    X(av_frame_make_writable)                                                                                \
    X(sws_scale)                                                                                             \
    X(avcodec_send_frame)                                                                                    \
    X(av_write_trailer)                                                                                      \
    X(avio_closep)                                                                                           \
    X(sws_freeContext)                                                                                       \
    X(av_packet_free)                                                                                        \
    X(av_frame_free)                                                                                         \
    X(avcodec_free_context)                                                                                  \
    X(avformat_free_context)
// clang-format on

struct Ffmpeg {
#define OREFRONT_FFMPEG_POINTER(fn) decltype(&::fn) fn = nullptr;
    OREFRONT_FFMPEG_FUNCTIONS(OREFRONT_FFMPEG_POINTER)
#undef OREFRONT_FFMPEG_POINTER
};

// Loaded once, on any thread; throws OutputError (and tries again on the next call) when a
// library or function is missing. The libraries stay loaded.
const Ffmpeg &ffmpeg() {
    static const Ffmpeg loaded = [] {
        std::vector<void *> libraries;
        for (const char *soname : {OREFRONT_LIBAVUTIL_SONAME, OREFRONT_LIBSWSCALE_SONAME,
                                   OREFRONT_LIBAVCODEC_SONAME, OREFRONT_LIBAVFORMAT_SONAME}) {
            void *library = dlopen(soname, RTLD_NOW | RTLD_LOCAL);
            if (!library) {
                // Debian names the package after the soname: libavcodec.so.59 is in libavcodec59.
                std::string package = soname;
                package.replace(package.find(".so."), 4, "");
                throw OutputError(std::string("MP4 animation: cannot load FFmpeg's ") + soname + " (" +
                                  dlerror() + "); install the Debian package " + package +
                                  " (`make deps` does), or write a GIF");
            }
            libraries.push_back(library);
        }
        auto find = [&](const char *name) {
            for (void *library : libraries)
                if (void *f = dlsym(library, name))
                    return f;
            throw OutputError(std::string("MP4 animation: FFmpeg has no ") + name);
        };
        Ffmpeg f;
#define OREFRONT_FFMPEG_LOAD(fn) f.fn = reinterpret_cast<decltype(f.fn)>(find(#fn));
        OREFRONT_FFMPEG_FUNCTIONS(OREFRONT_FFMPEG_LOAD)
#undef OREFRONT_FFMPEG_LOAD
        return f;
    }();
    return loaded;
}

std::string avError(int code) {
    char buf[AV_ERROR_MAX_STRING_SIZE] = {};
    ffmpeg().av_strerror(code, buf, sizeof buf);
    return buf;
}

// FFmpeg: H.264 (libx264) in MP4, yuv420p so that every player reads it; MPEG-4 Part 2 when
// the libavcodec build has no H.264 encoder.
struct Mp4Impl final : AnimationWriter::Impl {
    AVFormatContext *fmt = nullptr;
    AVCodecContext *codec = nullptr;
    AVStream *stream = nullptr;
    AVFrame *frame = nullptr;
    AVPacket *packet = nullptr;
    SwsContext *sws = nullptr;
    int encW = 0, encH = 0;
    bool headerWritten = false;

    void check(int rc, const char *what) const {
        if (rc < 0)
            fail(std::string(what) + ": " + avError(rc));
    }

    void open() {
        encW = width & ~1, encH = height & ~1;
        if (encW < 2 || encH < 2)
            fail("an MP4 frame must be at least 2x2 pixels");
        ffmpeg().av_log_set_level(AV_LOG_ERROR); // the encoder's statistics are not for the user's terminal
        check(ffmpeg().avformat_alloc_output_context2(&fmt, nullptr, "mp4", tmp.c_str()), "MP4 muxer");
        const AVCodec *c = ffmpeg().avcodec_find_encoder_by_name("libx264");
        if (!c)
            c = ffmpeg().avcodec_find_encoder(AV_CODEC_ID_MPEG4);
        if (!c)
            fail("this FFmpeg build has neither an H.264 nor an MPEG-4 encoder");
        stream = ffmpeg().avformat_new_stream(fmt, nullptr);
        codec = ffmpeg().avcodec_alloc_context3(c);
        if (!stream || !codec)
            fail("out of memory");
        const int rate = std::max(1, static_cast<int>(std::lround(fps * 100)));
        codec->width = encW;
        codec->height = encH;
        codec->time_base = AVRational{100, rate};
        codec->framerate = AVRational{rate, 100};
        codec->pix_fmt = AV_PIX_FMT_YUV420P;
        codec->gop_size = 12;
        codec->max_b_frames = 0; // every frame decodes as it arrives: a few dozen frames, seekable
        if (c->id == AV_CODEC_ID_MPEG4)
            codec->bit_rate = 4'000'000;
        else {
            ffmpeg().av_opt_set(codec->priv_data, "preset", "veryfast", 0);
            ffmpeg().av_opt_set(codec->priv_data, "crf", "20", 0);
        }
        if (fmt->oformat->flags & AVFMT_GLOBALHEADER)
            codec->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
        check(ffmpeg().avcodec_open2(codec, c, nullptr), "opening the encoder");
        check(ffmpeg().avcodec_parameters_from_context(stream->codecpar, codec), "stream parameters");
        stream->time_base = codec->time_base;
        check(ffmpeg().avio_open(&fmt->pb, tmp.c_str(), AVIO_FLAG_WRITE), "opening the file");
        check(ffmpeg().avformat_write_header(fmt, nullptr), "MP4 header");
        headerWritten = true;
        frame = ffmpeg().av_frame_alloc();
        packet = ffmpeg().av_packet_alloc();
        if (!frame || !packet)
            fail("out of memory");
        frame->format = codec->pix_fmt;
        frame->width = encW;
        frame->height = encH;
        check(ffmpeg().av_frame_get_buffer(frame, 0), "frame buffer");
        sws = ffmpeg().sws_getContext(encW, encH, AV_PIX_FMT_RGBA, encW, encH, AV_PIX_FMT_YUV420P,
                                      SWS_BICUBIC, nullptr, nullptr, nullptr);
        if (!sws)
            fail("no RGBA to YUV 4:2:0 conversion");
    }

    void drain() {
        for (;;) {
            const int rc = ffmpeg().avcodec_receive_packet(codec, packet);
            if (rc == AVERROR(EAGAIN) || rc == AVERROR_EOF)
                return;
            check(rc, "encoding");
            ffmpeg().av_packet_rescale_ts(packet, codec->time_base, stream->time_base);
            packet->stream_index = stream->index;
            check(ffmpeg().av_interleaved_write_frame(fmt, packet), "writing");
        }
    }

    void add(const std::uint8_t *rgba) override {
        check(ffmpeg().av_frame_make_writable(frame), "frame buffer");
        const std::uint8_t *src[1] = {rgba};
        const int stride[1] = {width * 4};
        ffmpeg().sws_scale(sws, src, stride, 0, encH, frame->data, frame->linesize);
        frame->pts = frames;
        check(ffmpeg().avcodec_send_frame(codec, frame), "encoding");
        drain();
    }

    void close() override {
        check(ffmpeg().avcodec_send_frame(codec, nullptr), "flushing the encoder");
        drain();
        check(ffmpeg().av_write_trailer(fmt), "MP4 trailer");
        check(ffmpeg().avio_closep(&fmt->pb), "closing the file");
    }

    ~Mp4Impl() override {
        if (fmt && fmt->pb)
            ffmpeg().avio_closep(&fmt->pb);
        ffmpeg().sws_freeContext(sws);
        ffmpeg().av_packet_free(&packet);
        ffmpeg().av_frame_free(&frame);
        ffmpeg().avcodec_free_context(&codec);
        ffmpeg().avformat_free_context(fmt);
    }
};

} // namespace

AnimationWriter::AnimationWriter(const std::string &path, int width, int height, double fps) {
    const auto format = animationFormatFor(path);
    if (!format)
        throw UsageError("-o " + path + ": an animation is written as .gif or .mp4");
    if (width < 2 || height < 2 || width > 16384 || height > 16384 || !(fps > 0 && fps <= 100))
        throw UsageError("animation '" + path + "': size or frame rate out of range");
    std::unique_ptr<Impl> impl;
    if (*format == AnimationFormat::Gif)
        impl = std::make_unique<GifImpl>();
    else
        impl = std::make_unique<Mp4Impl>();
    impl->path = path;
    impl->tmp = fs::absolute(path).string() + ".tmp-" + std::to_string(::getpid());
    impl->width = width, impl->height = height, impl->fps = fps, impl->format = *format;
    m_impl = std::move(impl);
    try {
        if (*format == AnimationFormat::Gif)
            static_cast<GifImpl &>(*m_impl).open();
        else
            static_cast<Mp4Impl &>(*m_impl).open();
    } catch (...) {
        m_impl.reset(); // closes the files before they are removed
        std::error_code ec;
        fs::remove(fs::absolute(path).string() + ".tmp-" + std::to_string(::getpid()), ec);
        throw;
    }
}

AnimationWriter::~AnimationWriter() {
    if (!m_impl || m_impl->finished)
        return;
    const std::string tmp = m_impl->tmp;
    m_impl.reset();
    std::error_code ec;
    fs::remove(tmp, ec);
}

void AnimationWriter::addFrame(const std::uint8_t *rgba) {
    m_impl->add(rgba);
    ++m_impl->frames;
}

void AnimationWriter::finish() {
    if (m_impl->frames == 0)
        m_impl->fail("no frames");
    m_impl->close();
    std::error_code ec;
    // giflib creates its file owner-only; an animation is as readable as any other output.
    const mode_t mask = ::umask(0);
    ::umask(mask);
    fs::permissions(m_impl->tmp, static_cast<fs::perms>(0666 & ~mask), ec);
    fs::rename(m_impl->tmp, fs::absolute(m_impl->path), ec);
    if (ec)
        m_impl->fail(ec.message());
    m_impl->finished = true;
}

int AnimationWriter::frames() const {
    return m_impl->frames;
}

AnimationFormat AnimationWriter::format() const {
    return m_impl->format;
}

} // namespace orefront::exporting
