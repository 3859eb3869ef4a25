#include "render/headless_gl.hpp"

#include "render/gl_objects.hpp"

#include <epoxy/egl.h>

#include <cstdio>

namespace orefront::viewer {

struct HeadlessGl::Impl {
    EGLDisplay display = EGL_NO_DISPLAY;
    EGLContext context = EGL_NO_CONTEXT;
};

namespace {
std::string eglErrorText(const char *what) {
    char buf[96];
    std::snprintf(buf, sizeof buf, "%s failed (EGL error 0x%04x)", what, unsigned(eglGetError()));
    return buf;
}
} // namespace

HeadlessGl::HeadlessGl() : m_impl(std::make_unique<Impl>()) {
    auto &d = m_impl->display;
    if (epoxy_has_egl_extension(EGL_NO_DISPLAY, "EGL_MESA_platform_surfaceless"))
        d = eglGetPlatformDisplayEXT(EGL_PLATFORM_SURFACELESS_MESA, EGL_DEFAULT_DISPLAY, nullptr);
    EGLint major = 0, minor = 0;
    if (d == EGL_NO_DISPLAY || !eglInitialize(d, &major, &minor)) {
        d = eglGetDisplay(EGL_DEFAULT_DISPLAY);
        if (d == EGL_NO_DISPLAY || !eglInitialize(d, &major, &minor))
            throw GlError(eglErrorText("eglInitialize"));
    }
    if (!eglBindAPI(EGL_OPENGL_API))
        throw GlError(eglErrorText("eglBindAPI(EGL_OPENGL_API)"));
    const EGLint configAttrs[] = {EGL_RENDERABLE_TYPE, EGL_OPENGL_BIT, EGL_NONE};
    EGLConfig config = nullptr;
    EGLint count = 0;
    eglChooseConfig(d, configAttrs, &config, 1, &count);
    // Rendering goes to our own framebuffer objects, so a config-less context is enough.
    if (count == 0 && !epoxy_has_egl_extension(d, "EGL_KHR_no_config_context"))
        throw GlError("EGL offers no OpenGL config and no EGL_KHR_no_config_context");
    const EGLint contextAttrs[] = {EGL_CONTEXT_MAJOR_VERSION,
                                   3,
                                   EGL_CONTEXT_MINOR_VERSION,
                                   3,
                                   EGL_CONTEXT_OPENGL_PROFILE_MASK,
                                   EGL_CONTEXT_OPENGL_CORE_PROFILE_BIT,
                                   EGL_NONE};
    m_impl->context = eglCreateContext(d, count ? config : EGL_NO_CONFIG_KHR, EGL_NO_CONTEXT, contextAttrs);
    if (m_impl->context == EGL_NO_CONTEXT)
        throw GlError(eglErrorText("eglCreateContext (OpenGL 3.3 core)"));
    if (!eglMakeCurrent(d, EGL_NO_SURFACE, EGL_NO_SURFACE, m_impl->context))
        throw GlError(eglErrorText("eglMakeCurrent (surfaceless)"));
    markGlThread();
}

HeadlessGl::~HeadlessGl() {
    if (m_impl->display != EGL_NO_DISPLAY) {
        eglMakeCurrent(m_impl->display, EGL_NO_SURFACE, EGL_NO_SURFACE, EGL_NO_CONTEXT);
        if (m_impl->context != EGL_NO_CONTEXT)
            eglDestroyContext(m_impl->display, m_impl->context);
        eglTerminate(m_impl->display);
    }
}

std::string HeadlessGl::renderer() const {
    const auto *r = reinterpret_cast<const char *>(glGetString(GL_RENDERER));
    return r ? r : "";
}

} // namespace orefront::viewer
