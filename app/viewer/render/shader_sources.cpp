#include "render/shader_sources.hpp"

#include <fstream>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string_view>

namespace orefront::viewer {

// Defined in the generated embedded_shaders.cpp.
extern const std::map<std::string_view, std::string_view> &embeddedShaders();

std::string shaderSource(const std::string &file) {
#ifdef OREFRONT_SHADER_DIR
    if (std::ifstream in{std::string(OREFRONT_SHADER_DIR) + "/" + file}) {
        std::ostringstream ss;
        ss << in.rdbuf();
        return ss.str();
    }
#endif
    const auto &all = embeddedShaders();
    const auto it = all.find(file);
    if (it == all.end())
        throw std::out_of_range("no embedded shader " + file);
    return std::string(it->second);
}

} // namespace orefront::viewer
