#include "orefront/export/image_writer.hpp"

#include "../io/gdal_util.hpp"
#include "orefront/model/error.hpp"

#include <gdal_priv.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <system_error>

#include <unistd.h>

namespace orefront::exporting {

namespace fs = std::filesystem;

namespace {

const char *driverName(ImageFormat f) {
    switch (f) {
    case ImageFormat::Png:
        return "PNG";
    case ImageFormat::Jpeg:
        return "JPEG";
    case ImageFormat::Webp:
        return "WEBP";
    }
    return "PNG";
}

} // namespace

const char *imageFormatName(ImageFormat f) {
    return f == ImageFormat::Webp ? "WebP" : driverName(f);
}

std::optional<ImageFormat> imageFormatFor(const std::string &path, std::string *why) {
    std::string ext = fs::path(path).extension().string();
    std::transform(ext.begin(), ext.end(), ext.begin(),
                   [](unsigned char c) { return char(std::tolower(c)); });
    if (ext == ".png")
        return ImageFormat::Png;
    if (ext == ".jpg" || ext == ".jpeg")
        return ImageFormat::Jpeg;
    if (ext == ".webp")
        return ImageFormat::Webp;
    if (why) {
        const std::string instead = "; write .png, .jpg (or .jpeg) or .webp";
        if (ext == ".pdf")
            *why = "cannot write " + path +
                   ": PDF output is not supported yet (briefing sheets will bring it)" + instead;
        else if (ext == ".svg")
            *why = "cannot write " + path + ": SVG is a vector format and the map is rendered as pixels" +
                   instead;
        else if (ext.empty())
            *why = "cannot tell the image format of " + path + ": it has no extension" + instead;
        else
            *why =
                "cannot write " + path + ": '" + ext + "' is not an image format orefront writes" + instead;
    }
    return std::nullopt;
}

void writeImage(const std::vector<std::uint8_t> &rgba, int width, int height, const std::string &path,
                ImageFormat format) {
    if (width <= 0 || height <= 0 || rgba.size() != std::size_t(width) * std::size_t(height) * 4)
        throw OutputError("cannot write " + path + ": the image is empty or of the wrong size");
    io::detail::QuietGdalErrors quiet;
    GDALDriver *mem = GetGDALDriverManager()->GetDriverByName("MEM");
    GDALDriver *driver = GetGDALDriverManager()->GetDriverByName(driverName(format));
    if (!mem || !driver)
        throw OutputError(std::string("cannot write ") + path + ": GDAL has no " + driverName(format) +
                          " driver");
    // JPEG has no alpha channel; the map is opaque anyway.
    const int bands = format == ImageFormat::Jpeg ? 3 : 4;
    GDALDatasetUniquePtr image(mem->Create("", width, height, bands, GDT_Byte, nullptr));
    if (!image)
        throw OutputError("cannot write " + path + ": " + quiet.last());
    for (int b = 0; b < bands; ++b) {
        GDALRasterBand *band = image->GetRasterBand(b + 1);
        band->SetColorInterpretation(b == 3 ? GCI_AlphaBand : GDALColorInterp(GCI_RedBand + b));
        // Band b is every fourth byte from offset b.
        if (band->RasterIO(GF_Write, 0, 0, width, height, const_cast<std::uint8_t *>(rgba.data()) + b, width,
                           height, GDT_Byte, 4, GSpacing(width) * 4, nullptr) != CE_None)
            throw OutputError("cannot write " + path + ": " + quiet.last());
    }
    const std::string tmp = path + ".tmp-" + std::to_string(::getpid());
    CPLStringList options;
    if (format == ImageFormat::Jpeg)
        options.SetNameValue("QUALITY", "92");
    if (format == ImageFormat::Webp)
        options.SetNameValue("LOSSLESS", "YES");
    std::error_code ec;
    {
        // No .aux.xml beside the image: it carries no georeferencing to keep.
        CPLConfigOptionSetter noPam("GDAL_PAM_ENABLED", "NO", false);
        GDALDatasetUniquePtr out(
            driver->CreateCopy(tmp.c_str(), image.get(), FALSE, options.List(), nullptr, nullptr));
        if (!out) {
            fs::remove(tmp, ec);
            throw OutputError("cannot write " + path + " (" + imageFormatName(format) + "): " + quiet.last());
        }
    }
    fs::rename(tmp, path, ec);
    if (ec) {
        fs::remove(tmp, ec);
        throw OutputError("cannot write " + path + ": " + ec.message());
    }
}

} // namespace orefront::exporting
