#pragma once
// Writing a rendered map image through GDAL in the format its file name says: PNG, JPEG or
// WebP. `orefront render` and the viewer's File > Export share it, so `-o map.jpg` writes a
// JPEG, and `-o map.pdf` is refused rather than written as PNG bytes under that name.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace orefront::exporting {

enum class ImageFormat { Png, Jpeg, Webp };

// The format `path`'s extension names (.png; .jpg or .jpeg; .webp; any case). Otherwise
// nullopt, and `why` (when given) says why and what to write instead: PDF and SVG are
// named as not supported, as is a missing or unknown extension.
std::optional<ImageFormat> imageFormatFor(const std::string &path, std::string *why = nullptr);
const char *imageFormatName(ImageFormat f); // "PNG", "JPEG", "WebP"

// Writes `rgba` (width x height, top row first, 4 bytes a pixel) to `path` as `format`:
// PNG with its alpha, JPEG (quality 92) without, WebP lossless. Writes a temporary file
// beside `path` and renames it; throws OutputError naming the path on failure, leaving
// nothing there. GDAL must be initialised (io::initGdal). Any thread.
void writeImage(const std::vector<std::uint8_t> &rgba, int width, int height, const std::string &path,
                ImageFormat format);

} // namespace orefront::exporting
