#pragma once
// The font of the UI and the map labels, in one function: Dear ImGui's font API changes
// between releases (1.92 loads glyphs on demand and ignores glyph ranges), so an upgrade
// adapts this file alone.
struct ImFontAtlas;

namespace orefront::viewer {

// Loads DejaVu Sans (Debian fonts-dejavu-core) at `pixels` into `atlas` with Latin, Cyrillic
// and the punctuation the map uses (dashes, <=, degree), so Ukrainian and Russian names render.
// Without the file: ImGui's built-in font (Latin only: Cyrillic shows as '?') and a warning on
// stderr. Returns whether DejaVu Sans was loaded. Thread rule: before the atlas is built.
bool loadMapFont(ImFontAtlas *atlas, float pixels);

} // namespace orefront::viewer
