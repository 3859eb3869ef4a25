#pragma once
// Shows a window's frame rectangle by rectangle, without swapping: the back buffer is never
// swapped, so it keeps every frame's pixels for the next (UiCompositor repaints only what
// changed in it), and only the repainted rectangles are copied to the screen, with
// GLX_MESA_copy_sub_buffer.
//
// Why: on Mesa's llvmpipe a swap copies the whole window (about 1.5 ms at 1280x800) and a
// swap may leave the back buffer undefined (GLX_SWAP_UNDEFINED_OML, what GLFW's configs
// say), so every frame would have to be painted whole. Where the extension is missing (not
// X11/GLX, or not Mesa), create() gives null and the viewer paints and swaps every frame.
//
// Thread rule: the thread whose context is the window's (the GL thread).
#include "render/ui_compositor.hpp"

#include <memory>
#include <vector>

struct GLFWwindow;

namespace orefront::viewer {

class WindowPresenter {
public:
    // A presenter for `window`'s GLX drawable, or null when it has no GLX_MESA_copy_sub_buffer.
    // OREFRONT_PRESENT=swap in the environment also gives null (the old way, for A/B runs).
    static std::unique_ptr<WindowPresenter> create(GLFWwindow *window);
    virtual ~WindowPresenter() = default;
    // Copies `rects` (top-down, in framebuffer pixels of a `height`-pixel framebuffer) of the
    // back buffer to the screen.
    virtual void present(const std::vector<UiCompositor::Rect> &rects, int height) = 0;
};

} // namespace orefront::viewer
