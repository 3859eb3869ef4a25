#pragma once
// The shaders of shaders/, embedded at build time (app/viewer/embed_shaders.cmake). Debug
// builds read shaders/ from disk first when OREFRONT_SHADER_DIR is defined, so a shader can be
// edited without rebuilding.
#include <string>

namespace orefront::viewer {

// The text of e.g. "line.vertex.glsl". Throws std::out_of_range for an unknown name.
std::string shaderSource(const std::string &file);

} // namespace orefront::viewer
