#include "render/window_present.hpp"

#include <GLFW/glfw3.h>
#include <X11/Xlib.h>
#include <X11/Xutil.h>

#include <cstdlib>
#include <cstring>
#include <string>

#include <dlfcn.h>

namespace orefront::viewer {

namespace {

class XImagePresenter final : public WindowPresenter {
public:
    XImagePresenter(Display *display, Window window, Visual *visual, int depth)
        : m_display(display), m_window(window), m_visual(visual), m_depth(depth),
          m_gc(XCreateGC(display, window, 0, nullptr)) {}
    ~XImagePresenter() override { XFreeGC(m_display, m_gc); }

    void present(GLuint source, const std::vector<UiCompositor::Rect> &rects, int height) override {
        GLint readFbo = 0;
        glGetIntegerv(GL_READ_FRAMEBUFFER_BINDING, &readFbo);
        glBindFramebuffer(GL_READ_FRAMEBUFFER, source);
        glReadBuffer(GL_COLOR_ATTACHMENT0);
        glPixelStorei(GL_PACK_ALIGNMENT, 4);
        glPixelStorei(GL_PACK_ROW_LENGTH, 0);
        for (const auto &r : rects) {
            if (r.empty())
                continue;
            const int w = r.x1 - r.x0, h = r.y1 - r.y0;
            const std::size_t row = std::size_t(w) * 4;
            m_rows.resize(row * std::size_t(h));
            m_image.resize(m_rows.size());
            // X's 32-bit true colour is B, G, R, x: read as BGRA (converted on the CPU as the
            // pixels are copied out), then the rows turned top-down, as X wants them.
            glReadPixels(r.x0, height - r.y1, w, h, GL_BGRA, GL_UNSIGNED_BYTE, m_rows.data());
            for (int y = 0; y < h; ++y)
                std::memcpy(&m_image[std::size_t(y) * row], &m_rows[std::size_t(h - 1 - y) * row], row);
            XImage *image = XCreateImage(m_display, m_visual, unsigned(m_depth), ZPixmap, 0,
                                         reinterpret_cast<char *>(m_image.data()), unsigned(w), unsigned(h),
                                         32, int(row));
            if (!image)
                continue;
            image->byte_order = LSBFirst; // the bytes are laid out as written above
            XPutImage(m_display, m_window, m_gc, image, 0, 0, r.x0, r.y0, unsigned(w), unsigned(h));
            image->data = nullptr; // ours
            XDestroyImage(image);
        }
        XFlush(m_display);
        glBindFramebuffer(GL_READ_FRAMEBUFFER, GLuint(readFbo));
    }

private:
    Display *m_display;
    Window m_window;
    Visual *m_visual;
    int m_depth;
    GC m_gc;
    std::vector<unsigned char> m_rows, m_image;
};

} // namespace

std::unique_ptr<WindowPresenter> WindowPresenter::create(GLFWwindow *window) {
    const char *env = std::getenv("OREFRONT_PRESENT");
    if (env && std::string(env) == "swap")
        return nullptr;
    const auto *renderer = reinterpret_cast<const char *>(glGetString(GL_RENDERER));
    if (!renderer || (!std::strstr(renderer, "llvmpipe") && !std::strstr(renderer, "softpipe")))
        return nullptr; // a GPU: swapping whole frames costs it nothing
    // GLFW's X11 accessors, looked up at run time: a GLFW built for Wayland alone has none.
    using GetDisplay = Display *(*)();
    using GetWindow = Window (*)(GLFWwindow *);
    const auto getDisplay = reinterpret_cast<GetDisplay>(dlsym(RTLD_DEFAULT, "glfwGetX11Display"));
    const auto getWindow = reinterpret_cast<GetWindow>(dlsym(RTLD_DEFAULT, "glfwGetX11Window"));
    if (!getDisplay || !getWindow)
        return nullptr;
    Display *display = getDisplay();
    const Window xwindow = display ? getWindow(window) : 0;
    XWindowAttributes attrs{};
    if (!xwindow || !XGetWindowAttributes(display, xwindow, &attrs) || !attrs.visual)
        return nullptr;
    const Visual *v = attrs.visual;
    if (v->c_class != TrueColor || v->red_mask != 0xff0000 || v->green_mask != 0xff00 ||
        v->blue_mask != 0xff || (attrs.depth != 24 && attrs.depth != 32))
        return nullptr;
    // The visual's images must be 32 bits a pixel.
    char probe[4] = {};
    XImage *image =
        XCreateImage(display, attrs.visual, unsigned(attrs.depth), ZPixmap, 0, probe, 1, 1, 32, 4);
    const bool fits = image && image->bits_per_pixel == 32;
    if (image) {
        image->data = nullptr;
        XDestroyImage(image);
    }
    if (!fits)
        return nullptr;
    return std::make_unique<XImagePresenter>(display, xwindow, attrs.visual, attrs.depth);
}

} // namespace orefront::viewer
