#include "render/window_present.hpp"

#include <GLFW/glfw3.h>
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <X11/extensions/XShm.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>

#include <dlfcn.h>
#include <sys/ipc.h>
#include <sys/shm.h>

namespace orefront::viewer {

namespace {

// Through the X connection: each rectangle's pixels are written into the socket and read
// by the server.
class XImagePresenter final : public WindowPresenter {
public:
    XImagePresenter(Display *display, Window window, Visual *visual, int depth)
        : m_display(display), m_window(window), m_visual(visual), m_depth(depth),
          m_gc(XCreateGC(display, window, 0, nullptr)) {}
    ~XImagePresenter() override { XFreeGC(m_display, m_gc); }

    const char *method() const override { return "XPutImage"; }

    void present(GLuint source, const std::vector<UiCompositor::Rect> &rects, int /*width*/,
                 int height) override {
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

// MIT-SHM: the window's pixels are read straight into a shared memory image (top row first,
// GL_MESA_pack_invert), and the server copies each rectangle out of it. No copy through the
// socket, and none to turn the rows over. The server reads the image after XShmPutImage
// returns, so the next present() waits for it (XSync) before writing the image again: by then
// it is long done, since a frame lies between.
class ShmPresenter final : public WindowPresenter {
public:
    ShmPresenter(Display *display, Window window, Visual *visual, int depth)
        : m_display(display), m_window(window), m_visual(visual), m_depth(depth),
          m_gc(XCreateGC(display, window, 0, nullptr)) {}
    ~ShmPresenter() override {
        release();
        XFreeGC(m_display, m_gc);
    }

    const char *method() const override { return "MIT-SHM"; }

    // Attaches a segment for a `width` x `height` image; false where the server cannot
    // (a remote display, or no access to the segment): then nothing is kept.
    bool allocate(int width, int height) {
        release();
        m_image = XShmCreateImage(m_display, m_visual, unsigned(m_depth), ZPixmap, nullptr, &m_shm,
                                  unsigned(width), unsigned(height));
        if (!m_image)
            return false;
        if (m_image->bits_per_pixel != 32 || m_image->bytes_per_line != width * 4) {
            release();
            return false;
        }
        m_shm.shmid =
            shmget(IPC_PRIVATE, std::size_t(m_image->bytes_per_line) * std::size_t(height), IPC_CREAT | 0600);
        if (m_shm.shmid < 0) {
            release();
            return false;
        }
        m_shm.shmaddr = m_image->data = static_cast<char *>(shmat(m_shm.shmid, nullptr, 0));
        m_shm.readOnly = False;
        if (m_shm.shmaddr == reinterpret_cast<char *>(-1)) {
            m_shm.shmaddr = m_image->data = nullptr;
            release();
            return false;
        }
        // A refused attach is an X error, reported asynchronously: caught here, not fatal.
        XSync(m_display, False);
        s_attachFailed = false;
        const auto previous = XSetErrorHandler([](Display *, XErrorEvent *) {
            s_attachFailed = true;
            return 0;
        });
        const Bool attached = XShmAttach(m_display, &m_shm);
        XSync(m_display, False);
        XSetErrorHandler(previous);
        // Marked for removal now: it goes once both sides have detached, even after a crash.
        shmctl(m_shm.shmid, IPC_RMID, nullptr);
        if (!attached || s_attachFailed) {
            release();
            return false;
        }
        m_attached = true;
        m_width = width;
        m_height = height;
        return true;
    }

    void present(GLuint source, const std::vector<UiCompositor::Rect> &rects, int width,
                 int height) override {
        if ((width != m_width || height != m_height) && !allocate(width, height)) {
            fallback().present(source, rects, width, height);
            return;
        }
        GLint readFbo = 0;
        glGetIntegerv(GL_READ_FRAMEBUFFER_BINDING, &readFbo);
        glBindFramebuffer(GL_READ_FRAMEBUFFER, source);
        if (m_pending) // the server may still be reading the image the last frame put
            XSync(m_display, False);
        glReadBuffer(GL_COLOR_ATTACHMENT0);
        glPixelStorei(GL_PACK_ALIGNMENT, 4);
        glPixelStorei(GL_PACK_ROW_LENGTH, m_width);
        glPixelStorei(GL_PACK_INVERT_MESA, GL_TRUE);
        for (const auto &r : rects) {
            const int x0 = std::max(r.x0, 0), y0 = std::max(r.y0, 0);
            const int x1 = std::min(r.x1, m_width), y1 = std::min(r.y1, m_height);
            if (x1 <= x0 || y1 <= y0)
                continue;
            // Rows come top row first, each at its own place in the window-sized image.
            char *at = m_image->data + (std::size_t(y0) * std::size_t(m_width) + std::size_t(x0)) * 4;
            glReadPixels(x0, height - y1, x1 - x0, y1 - y0, GL_BGRA, GL_UNSIGNED_BYTE, at);
        }
        glPixelStorei(GL_PACK_INVERT_MESA, GL_FALSE);
        glPixelStorei(GL_PACK_ROW_LENGTH, 0);
        for (const auto &r : rects) {
            const int x0 = std::max(r.x0, 0), y0 = std::max(r.y0, 0);
            const int x1 = std::min(r.x1, m_width), y1 = std::min(r.y1, m_height);
            if (x1 > x0 && y1 > y0)
                XShmPutImage(m_display, m_window, m_gc, m_image, x0, y0, x0, y0, unsigned(x1 - x0),
                             unsigned(y1 - y0), False);
        }
        XFlush(m_display);
        m_pending = true;
        glBindFramebuffer(GL_READ_FRAMEBUFFER, GLuint(readFbo));
    }

private:
    WindowPresenter &fallback() {
        if (!m_fallback)
            m_fallback = std::make_unique<XImagePresenter>(m_display, m_window, m_visual, m_depth);
        return *m_fallback;
    }

    void release() {
        if (m_pending)
            XSync(m_display, False);
        m_pending = false;
        if (m_attached)
            XShmDetach(m_display, &m_shm);
        if (m_attached)
            XSync(m_display, False);
        m_attached = false;
        if (m_shm.shmaddr)
            shmdt(m_shm.shmaddr);
        m_shm.shmaddr = nullptr;
        if (m_image) {
            m_image->data = nullptr; // ours (the segment)
            XDestroyImage(m_image);
        }
        m_image = nullptr;
        m_width = m_height = 0;
    }

    static inline bool s_attachFailed = false;
    Display *m_display;
    Window m_window;
    Visual *m_visual;
    int m_depth;
    GC m_gc;
    XShmSegmentInfo m_shm{};
    XImage *m_image = nullptr;
    bool m_attached = false, m_pending = false;
    int m_width = 0, m_height = 0;
    std::unique_ptr<WindowPresenter> m_fallback;
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
    // MIT-SHM where the server offers it (a local server) and GL can hand rows over top row
    // first; OREFRONT_PRESENT=xputimage takes the socket all the same (A/B runs, tests).
    const bool socket = env && std::string(env) == "xputimage";
    if (!socket && XShmQueryExtension(display) && epoxy_has_gl_extension("GL_MESA_pack_invert"))
        return std::make_unique<ShmPresenter>(display, xwindow, attrs.visual, attrs.depth);
    return std::make_unique<XImagePresenter>(display, xwindow, attrs.visual, attrs.depth);
}

} // namespace orefront::viewer
