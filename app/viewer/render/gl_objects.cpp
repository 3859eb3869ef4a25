#include "render/gl_objects.hpp"

#include "render/shader_sources.hpp"

#include <cassert>
#include <cstdio>
#include <thread>
#include <vector>

namespace orefront::viewer {

namespace {
std::thread::id g_glThread;

std::string infoLog(GLuint id, bool program) {
    GLint len = 0;
    program ? glGetProgramiv(id, GL_INFO_LOG_LENGTH, &len) : glGetShaderiv(id, GL_INFO_LOG_LENGTH, &len);
    std::vector<char> buf(std::size_t(len > 1 ? len : 1), '\0');
    if (len > 1)
        program ? glGetProgramInfoLog(id, len, nullptr, buf.data())
                : glGetShaderInfoLog(id, len, nullptr, buf.data());
    return buf.data();
}

GlObject<GlKind::Shader> compile(GLenum type, const std::string &file, const char *source) {
    GlObject<GlKind::Shader> shader(glCreateShader(type));
    glShaderSource(shader.id(), 1, &source, nullptr);
    glCompileShader(shader.id());
    GLint ok = GL_FALSE;
    glGetShaderiv(shader.id(), GL_COMPILE_STATUS, &ok);
    const std::string log = infoLog(shader.id(), false);
    if (!log.empty())
        std::fprintf(stderr, "orefront: %s: %s\n", file.c_str(), log.c_str());
    if (ok != GL_TRUE)
        throw GlError("cannot compile shader " + file + ": " + log);
    return shader;
}
} // namespace

void markGlThread() {
    g_glThread = std::this_thread::get_id();
}

void deleteGlObject(GlKind kind, GLuint id) {
    assert(g_glThread == std::thread::id{} || g_glThread == std::this_thread::get_id());
    switch (kind) {
    case GlKind::Buffer:
        glDeleteBuffers(1, &id);
        break;
    case GlKind::VertexArray:
        glDeleteVertexArrays(1, &id);
        break;
    case GlKind::Texture:
        glDeleteTextures(1, &id);
        break;
    case GlKind::Framebuffer:
        glDeleteFramebuffers(1, &id);
        break;
    case GlKind::Renderbuffer:
        glDeleteRenderbuffers(1, &id);
        break;
    case GlKind::Shader:
        glDeleteShader(id);
        break;
    case GlKind::Program:
        glDeleteProgram(id);
        break;
    }
}

GlBuffer makeBuffer() {
    GLuint id = 0;
    glGenBuffers(1, &id);
    return GlBuffer(id);
}

GlVertexArray makeVertexArray() {
    GLuint id = 0;
    glGenVertexArrays(1, &id);
    return GlVertexArray(id);
}

GlProgram GlProgram::fromEmbedded(const std::string &name, const std::string &vertexOf) {
    const std::string vs = shaderSource((vertexOf.empty() ? name : vertexOf) + ".vertex.glsl");
    const std::string fs = shaderSource(name + ".fragment.glsl");
    return fromSource(name, vs.c_str(), fs.c_str());
}

GlProgram GlProgram::fromSource(const std::string &name, const char *vertex, const char *fragment) {
    const auto vs = compile(GL_VERTEX_SHADER, name + ".vertex.glsl", vertex);
    const auto fs = compile(GL_FRAGMENT_SHADER, name + ".fragment.glsl", fragment);
    GlProgram p;
    p.m_program = GlObject<GlKind::Program>(glCreateProgram());
    glAttachShader(p.id(), vs.id());
    glAttachShader(p.id(), fs.id());
    glLinkProgram(p.id());
    GLint ok = GL_FALSE;
    glGetProgramiv(p.id(), GL_LINK_STATUS, &ok);
    const std::string log = infoLog(p.id(), true);
    if (!log.empty())
        std::fprintf(stderr, "orefront: program %s: %s\n", name.c_str(), log.c_str());
    if (ok != GL_TRUE)
        throw GlError("cannot link program " + name + ": " + log);
    glDetachShader(p.id(), vs.id());
    glDetachShader(p.id(), fs.id());
    return p;
}

void GlFramebuffer::resize(int width, int height) {
    if (width == m_width && height == m_height && m_fbo)
        return;
    m_width = width;
    m_height = height;
    static std::uint64_t nextSerial = 0; // GL thread only
    m_serial = ++nextSerial;             // new storage: what it held is gone
    GLint prevFbo = 0, prevTex = 0, prevRb = 0;
    glGetIntegerv(GL_FRAMEBUFFER_BINDING, &prevFbo);
    glGetIntegerv(GL_TEXTURE_BINDING_2D, &prevTex);
    glGetIntegerv(GL_RENDERBUFFER_BINDING, &prevRb);
    GLuint id = 0;
    if (!m_fbo) {
        glGenFramebuffers(1, &id);
        m_fbo = GlFramebufferId(id);
        glGenTextures(1, &id);
        m_colour = GlTexture(id);
        glGenRenderbuffers(1, &id);
        m_depthStencil = GlRenderbuffer(id);
    }
    glBindTexture(GL_TEXTURE_2D, m_colour.id());
    glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, width, height, 0, GL_RGBA, GL_UNSIGNED_BYTE, nullptr);
    // Shown pixel for pixel: nearest is exact and about half the cost of linear on llvmpipe.
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glBindRenderbuffer(GL_RENDERBUFFER, m_depthStencil.id());
    glRenderbufferStorage(GL_RENDERBUFFER, GL_DEPTH24_STENCIL8, width, height);
    glBindFramebuffer(GL_FRAMEBUFFER, m_fbo.id());
    glFramebufferTexture2D(GL_FRAMEBUFFER, GL_COLOR_ATTACHMENT0, GL_TEXTURE_2D, m_colour.id(), 0);
    glFramebufferRenderbuffer(GL_FRAMEBUFFER, GL_DEPTH_STENCIL_ATTACHMENT, GL_RENDERBUFFER,
                              m_depthStencil.id());
    const GLenum status = glCheckFramebufferStatus(GL_FRAMEBUFFER);
    glBindFramebuffer(GL_FRAMEBUFFER, GLuint(prevFbo));
    glBindTexture(GL_TEXTURE_2D, GLuint(prevTex));
    glBindRenderbuffer(GL_RENDERBUFFER, GLuint(prevRb));
    if (status != GL_FRAMEBUFFER_COMPLETE)
        throw GlError("map framebuffer incomplete: status " + std::to_string(status));
}

} // namespace orefront::viewer
