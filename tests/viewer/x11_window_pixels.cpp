#include "x11_window_pixels.hpp"

#include <GLFW/glfw3.h>
#include <X11/Xlib.h>
#include <X11/Xutil.h>
#include <X11/extensions/XShm.h>

// GLFW's X11 accessors (glfw3native.h would need the Xrandr headers).
extern "C" Display *glfwGetX11Display(void);
extern "C" Window glfwGetX11Window(GLFWwindow *window);

namespace orefront::viewer::test {

namespace {
// A channel of an X pixel, by its mask, as 8 bits.
unsigned char channel(unsigned long pixel, unsigned long mask) {
    if (!mask)
        return 0;
    int shift = 0;
    while (!((mask >> shift) & 1))
        ++shift;
    return static_cast<unsigned char>((pixel & mask) >> shift);
}
} // namespace

std::vector<unsigned char> x11WindowPixels(GLFWwindow *window, int width, int height) {
    Display *display = glfwGetX11Display();
    if (!display)
        return {};
    XSync(display, False);
    XImage *image = XGetImage(display, glfwGetX11Window(window), 0, 0, unsigned(width), unsigned(height),
                              AllPlanes, ZPixmap);
    if (!image)
        return {};
    std::vector<unsigned char> px(std::size_t(width) * std::size_t(height) * 4);
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x) {
            const unsigned long v = XGetPixel(image, x, y);
            unsigned char *p = &px[(std::size_t(height - 1 - y) * std::size_t(width) + std::size_t(x)) * 4];
            p[0] = channel(v, image->red_mask);
            p[1] = channel(v, image->green_mask);
            p[2] = channel(v, image->blue_mask);
            p[3] = 255;
        }
    XDestroyImage(image);
    return px;
}

bool x11ServerHasShm() {
    Display *display = glfwGetX11Display();
    return display && XShmQueryExtension(display);
}

} // namespace orefront::viewer::test
