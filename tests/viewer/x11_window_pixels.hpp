#pragma once
// What a GLFW window shows, read from the X server (Xlib apart: its macros clash with Catch's).
#include <vector>

struct GLFWwindow;

namespace orefront::viewer::test {

// The window's `width` x `height` pixels as RGBA rows, bottom row first (as glReadPixels
// gives them), alpha 255; empty when they cannot be read.
std::vector<unsigned char> x11WindowPixels(GLFWwindow *window, int width, int height);
// Whether GLFW's X server offers shared memory images (MIT-SHM).
bool x11ServerHasShm();

} // namespace orefront::viewer::test
