#pragma once
// Shows a window's frame rectangle by rectangle: the UI is kept in an offscreen framebuffer
// (UiCompositor repaints only what changed in it) and only the repainted rectangles are read
// back and put into the X window, as Mesa's software rasterizer does itself on a swap, but
// for those rectangles alone: through shared memory (MIT-SHM) where the X server is local
// and offers it, else through the connection's socket (XPutImage).
//
// Why: on Mesa's llvmpipe every pixel that goes into the window's own framebuffer takes a
// slow path (a copy of the map image into it cost 5-7 ms at 1280x800, a swap 1.5 ms), while
// a copy between offscreen framebuffers of one format is a memcpy. So the map image is
// copied offscreen, and the window gets only the rectangles that changed.
//
// create() gives null, and the viewer paints and swaps whole frames as usual, where this
// does not apply: a GPU (GL_RENDERER not llvmpipe or softpipe; reading pixels back would stall
// it and a swap costs it nothing), a window system other than X11, or an X visual that is not
// 32-bit true colour.
//
// Thread rule: the GL thread, which is also GLFW's (the main thread).
#include "render/ui_compositor.hpp"

#include <epoxy/gl.h>

#include <memory>
#include <vector>

struct GLFWwindow;

namespace orefront::viewer {

class WindowPresenter {
public:
    // A presenter for `window`, whose context must be current, or null (see above).
    // OREFRONT_PRESENT=swap in the environment also gives null (the old way, for A/B runs);
    // OREFRONT_PRESENT=xputimage keeps to the socket.
    static std::unique_ptr<WindowPresenter> create(GLFWwindow *window);
    virtual ~WindowPresenter() = default;
    // Puts `rects` (top-down, in pixels) of the framebuffer `source` (an RGBA8 colour
    // attachment of `width` x `height` pixels, the window's size) into the window at the same place.
    virtual void present(GLuint source, const std::vector<UiCompositor::Rect> &rects, int width,
                         int height) = 0;
    // How the pixels reach the X server: "MIT-SHM" (shared memory) or "XPutImage" (the socket,
    // also after the server refused a shared segment).
    virtual const char *method() const = 0;
};

} // namespace orefront::viewer
