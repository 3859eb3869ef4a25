#pragma once
// Writing map frames as an animation: GIF through giflib, MP4 (H.264, else MPEG-4 Part 2)
// through FFmpeg's libraries, both linked from Debian, never a shelled-out binary. Used by
// `orefront render --from --to --step` and the viewer's Timeline.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace orefront::exporting {

enum class AnimationFormat { Gif, Mp4 };

// The format `path`'s extension names (.gif or .mp4, any case), else nullopt.
std::optional<AnimationFormat> animationFormatFor(const std::string &path);

// Frames go to a temporary file beside `path`; finish() renames it into place. Destroyed
// without finish() (an error on the way), the temporary file is removed and nothing is left at
// `path`. Not thread-safe; one writer per thread.
class AnimationWriter {
public:
    // `fps` frames a second (GIF: rounded to hundredths of a second a frame). MP4 needs an even
    // width and height and drops an odd last column or row. Throws OutputError naming `path`
    // when the file or the encoder cannot be opened, UsageError for another extension.
    AnimationWriter(const std::string &path, int width, int height, double fps);
    ~AnimationWriter();
    AnimationWriter(const AnimationWriter &) = delete;
    AnimationWriter &operator=(const AnimationWriter &) = delete;

    // One frame: width x height RGBA, top row first (alpha ignored). Throws OutputError.
    void addFrame(const std::uint8_t *rgba);
    // Flushes the encoder, closes and renames the file into place. Throws OutputError.
    void finish();
    int frames() const;
    AnimationFormat format() const;

    struct Impl;

private:
    std::unique_ptr<Impl> m_impl;
};

} // namespace orefront::exporting
