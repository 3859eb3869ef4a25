#include "render/window_present.hpp"

#include <epoxy/gl.h>
#include <epoxy/glx.h>

#include <GLFW/glfw3.h>

#include <cstdlib>
#include <string>

#include <dlfcn.h>

namespace orefront::viewer {

namespace {

class GlxPresenter final : public WindowPresenter {
public:
    GlxPresenter(Display *display, GLXDrawable drawable) : m_display(display), m_drawable(drawable) {}
    void present(const std::vector<UiCompositor::Rect> &rects, int height) override {
        // The extension's rectangles are GL's: origin at the lower left.
        for (const auto &r : rects)
            if (!r.empty())
                glXCopySubBufferMESA(m_display, m_drawable, r.x0, height - r.y1, r.x1 - r.x0, r.y1 - r.y0);
    }

private:
    Display *m_display;
    GLXDrawable m_drawable;
};

} // namespace

std::unique_ptr<WindowPresenter> WindowPresenter::create(GLFWwindow *window) {
    const char *env = std::getenv("OREFRONT_PRESENT");
    if (env && std::string(env) == "swap")
        return nullptr;
    // GLFW's native accessors, looked up at run time: a GLFW built for Wayland alone has none.
    using GetDisplay = Display *(*)();
    using GetGlxWindow = GLXWindow (*)(GLFWwindow *);
    using GetGlxContext = GLXContext (*)(GLFWwindow *);
    const auto getDisplay = reinterpret_cast<GetDisplay>(dlsym(RTLD_DEFAULT, "glfwGetX11Display"));
    const auto getWindow = reinterpret_cast<GetGlxWindow>(dlsym(RTLD_DEFAULT, "glfwGetGLXWindow"));
    const auto getContext = reinterpret_cast<GetGlxContext>(dlsym(RTLD_DEFAULT, "glfwGetGLXContext"));
    if (!getDisplay || !getWindow || !getContext || !getContext(window))
        return nullptr; // not a GLX context
    Display *display = getDisplay();
    const GLXWindow drawable = getWindow(window);
    if (!display || !drawable ||
        !epoxy_has_glx_extension(display, DefaultScreen(display), "GLX_MESA_copy_sub_buffer"))
        return nullptr;
    return std::make_unique<GlxPresenter>(display, drawable);
}

} // namespace orefront::viewer
