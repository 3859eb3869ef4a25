#pragma once
// An OpenGL 3.3 core context with no window and no display server: EGL on Mesa's
// surfaceless platform (falling back to the default display). For `orefront render` and
// the pixel tests. Thread rule: the context is current on the constructing thread.
#include <memory>
#include <string>

namespace orefront::viewer {

class HeadlessGl {
public:
    HeadlessGl(); // throws GlError saying what EGL lacked
    ~HeadlessGl();
    HeadlessGl(const HeadlessGl &) = delete;
    HeadlessGl &operator=(const HeadlessGl &) = delete;
    std::string renderer() const; // GL_RENDERER, e.g. "llvmpipe (LLVM 15.0.6, 256 bits)"

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

} // namespace orefront::viewer
