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

// Puts rectangles of a framebuffer into an X window. Through MIT-SHM where it can: the
// pixels are read straight into a window-sized shared memory image (top row first,
// GL_MESA_pack_invert) and the server copies each rectangle out of it, with no copy through
// the socket and none to turn the rows over. The server reads the image after XShmPutImage
// returns, so the next present() waits for it (XSync) before writing the image again; by then
// it is long done, since a frame lies between. Else, or once the server refuses a segment,
// through the socket (XPutImage), for good.
class XWindowPresenter final : public WindowPresenter {
public:
    XWindowPresenter(Display *display, Window window, Visual *visual, int depth, bool shm)
        : m_display(display), m_window(window), m_visual(visual), m_depth(depth),
          m_gc(XCreateGC(display, window, 0, nullptr)), m_shmWanted(shm) {}
    ~XWindowPresenter() override {
        release();
        XFreeGC(m_display, m_gc);
    }

    const char *method() const override { return m_shmWanted ? "MIT-SHM" : "XPutImage"; }

    void present(GLuint source, const std::vector<UiCompositor::Rect> &rects, int width,
                 int height) override {
        if (m_shmWanted && (width != m_width || height != m_height) && !allocate(width, height))
            m_shmWanted = false; // not worth asking again every frame
        m_clipped.clear();
        for (const auto &r : rects) {
            const UiCompositor::Rect c{std::max(r.x0, 0), std::max(r.y0, 0), std::min(r.x1, width),
                                       std::min(r.y1, height)};
            if (!c.empty())
                m_clipped.push_back(c);
        }
        GLint readFbo = 0;
        glGetIntegerv(GL_READ_FRAMEBUFFER_BINDING, &readFbo);
        glBindFramebuffer(GL_READ_FRAMEBUFFER, source);
        glReadBuffer(GL_COLOR_ATTACHMENT0);
        glPixelStorei(GL_PACK_ALIGNMENT, 4);
        if (m_shmWanted)
            presentShared(height);
        else
            presentThroughSocket(height);
        XFlush(m_display);
        glBindFramebuffer(GL_READ_FRAMEBUFFER, GLuint(readFbo));
    }

private:
    // X's 32-bit true colour is B, G, R, x: the pixels are read as BGRA.
    void presentShared(int height) {
        if (m_pending) // the server may still be reading the image the last frame put
            XSync(m_display, False);
        glPixelStorei(GL_PACK_ROW_LENGTH, m_width);
        glPixelStorei(GL_PACK_INVERT_MESA, GL_TRUE);
        for (const auto &r : m_clipped) {
            // Rows come top row first, each at its own place in the window-sized image.
            char *at = m_image->data + (std::size_t(r.y0) * std::size_t(m_width) + std::size_t(r.x0)) * 4;
            glReadPixels(r.x0, height - r.y1, r.x1 - r.x0, r.y1 - r.y0, GL_BGRA, GL_UNSIGNED_BYTE, at);
        }
        glPixelStorei(GL_PACK_INVERT_MESA, GL_FALSE);
        glPixelStorei(GL_PACK_ROW_LENGTH, 0);
        for (const auto &r : m_clipped)
            XShmPutImage(m_display, m_window, m_gc, m_image, r.x0, r.y0, r.x0, r.y0, unsigned(r.x1 - r.x0),
                         unsigned(r.y1 - r.y0), False);
        m_pending = true;
    }

    void presentThroughSocket(int height) {
        glPixelStorei(GL_PACK_ROW_LENGTH, 0);
        for (const auto &r : m_clipped) {
            const int w = r.x1 - r.x0, h = r.y1 - r.y0;
            const std::size_t row = std::size_t(w) * 4;
            m_rows.resize(row * std::size_t(h));
            m_flipped.resize(m_rows.size());
            // The rows turned top-down, as X wants them.
            glReadPixels(r.x0, height - r.y1, w, h, GL_BGRA, GL_UNSIGNED_BYTE, m_rows.data());
            for (int y = 0; y < h; ++y)
                std::memcpy(&m_flipped[std::size_t(y) * row], &m_rows[std::size_t(h - 1 - y) * row], row);
            XImage *image = XCreateImage(m_display, m_visual, unsigned(m_depth), ZPixmap, 0,
                                         reinterpret_cast<char *>(m_flipped.data()), unsigned(w), unsigned(h),
                                         32, int(row));
            if (!image)
                continue;
            image->byte_order = LSBFirst; // the bytes are laid out as written above
            XPutImage(m_display, m_window, m_gc, image, 0, 0, r.x0, r.y0, unsigned(w), unsigned(h));
            image->data = nullptr; // ours
            XDestroyImage(image);
        }
    }

    // Attaches a segment for a `width` x `height` image; false where the server cannot
    // (a remote display, or no access to the segment): then nothing is kept.
    bool allocate(int width, int height) {
        release();
        m_image = XShmCreateImage(m_display, m_visual, unsigned(m_depth), ZPixmap, nullptr, &m_shm,
                                  unsigned(width), unsigned(height));
        if (!m_image || m_image->bits_per_pixel != 32 || m_image->bytes_per_line != width * 4) {
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

    void release() {
        if (m_pending || m_attached)
            XSync(m_display, False); // the server is done with the image
        m_pending = false;
        if (m_attached) {
            XShmDetach(m_display, &m_shm);
            XSync(m_display, False);
        }
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
    bool m_shmWanted;
    // The shared image and its segment, for m_width x m_height (MIT-SHM).
    XShmSegmentInfo m_shm{};
    XImage *m_image = nullptr;
    bool m_attached = false, m_pending = false;
    int m_width = 0, m_height = 0;
    // Per frame: the rectangles within the window; through the socket, rows read and turned.
    std::vector<UiCompositor::Rect> m_clipped;
    std::vector<unsigned char> m_rows, m_flipped;
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
    const bool shm = !socket && XShmQueryExtension(display) && epoxy_has_gl_extension("GL_MESA_pack_invert");
    return std::make_unique<XWindowPresenter>(display, xwindow, attrs.visual, attrs.depth, shm);
}

} // namespace orefront::viewer
