#include "fonts.hpp"

#include <imgui.h>

#include <cstdio>
#include <filesystem>

namespace orefront::viewer {

bool loadMapFont(ImFontAtlas *atlas, float pixels) {
    static const char *const kCandidates[] = {"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
                                              "/usr/share/fonts/TTF/DejaVuSans.ttf"};
    static const ImWchar kRanges[] = {
        0x0020, 0x00FF, // Basic Latin, Latin-1 (degree sign)
        0x0100, 0x017F, // Latin Extended-A (Polish, Czech, Romanian... names)
        0x0400, 0x052F, // Cyrillic and Cyrillic Supplement
        0x2013, 0x2014, // en and em dash
        0x2022, 0x2022, // bullet
        0x2264, 0x2265, // <= >=
        0,
    };
    for (const char *path : kCandidates) {
        if (std::filesystem::exists(path) && atlas->AddFontFromFileTTF(path, pixels, nullptr, kRanges))
            return true;
    }
    std::fprintf(stderr,
                 "orefront: warning: DejaVu Sans not found (install fonts-dejavu-core); using ImGui's "
                 "built-in font, which shows Cyrillic names as '?'\n");
    atlas->AddFontDefault();
    return false;
}

} // namespace orefront::viewer
