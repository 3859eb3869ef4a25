#pragma once
// Move-only owners of GL objects. Thread rule: create, use and destroy them only on the
// thread whose GL context is current (the GL thread); GL objects are never shared across
// threads, workers hand over CPU meshes instead (MapLibre's gl/object.cpp).
#include <epoxy/gl.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <utility>

namespace orefront::viewer {

struct GlError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

enum class GlKind { Buffer, VertexArray, Texture, Framebuffer, Renderbuffer, Shader, Program };

// Deletes `id` of `kind`; asserts it runs on the GL thread (markGlThread()).
void deleteGlObject(GlKind kind, GLuint id);
// Records the calling thread as the GL thread; call after making the context current.
void markGlThread();

template <GlKind K> class GlObject {
public:
    GlObject() = default;
    explicit GlObject(GLuint id) : m_id(id) {}
    ~GlObject() { reset(); }
    GlObject(const GlObject &) = delete;
    GlObject &operator=(const GlObject &) = delete;
    GlObject(GlObject &&o) noexcept : m_id(std::exchange(o.m_id, 0)) {}
    GlObject &operator=(GlObject &&o) noexcept {
        if (this != &o) {
            reset();
            m_id = std::exchange(o.m_id, 0);
        }
        return *this;
    }
    GLuint id() const { return m_id; }
    explicit operator bool() const { return m_id != 0; }
    void reset() {
        if (m_id)
            deleteGlObject(K, std::exchange(m_id, 0));
    }

private:
    GLuint m_id = 0;
};

using GlBuffer = GlObject<GlKind::Buffer>;
using GlVertexArray = GlObject<GlKind::VertexArray>;
using GlTexture = GlObject<GlKind::Texture>;
using GlFramebufferId = GlObject<GlKind::Framebuffer>;
using GlRenderbuffer = GlObject<GlKind::Renderbuffer>;

GlBuffer makeBuffer();
GlVertexArray makeVertexArray();

// A linked program. Every compile and link is checked; failures throw GlError carrying the
// info log (and print it to stderr), naming the shader file.
class GlProgram {
public:
    GlProgram() = default;
    // `name` is the program in shaders/: name.vertex.glsl and name.fragment.glsl; with
    // `vertexOf`, the vertex stage is that program's (vertexOf.vertex.glsl).
    static GlProgram fromEmbedded(const std::string &name, const std::string &vertexOf = "");
    static GlProgram fromSource(const std::string &name, const char *vertex, const char *fragment);
    GLuint id() const { return m_program.id(); }
    GLint uniform(const char *name) const { return glGetUniformLocation(m_program.id(), name); }

private:
    GlObject<GlKind::Program> m_program;
};

// An offscreen target: RGBA8 colour texture (shown by ImGui::Image, read back for PNGs) and
// a depth-stencil buffer (the ring bands use the stencil).
class GlFramebuffer {
public:
    void resize(int width, int height); // no-op when the size is unchanged
    GLuint id() const { return m_fbo.id(); }
    GLuint texture() const { return m_colour.id(); }
    int width() const { return m_width; }
    int height() const { return m_height; }
    // Unique to this framebuffer's storage among all this process creates (GL names are
    // reused after a delete; a resize gets a new one): tells the renderer whether `this`
    // still holds the frame it drew last.
    std::uint64_t serial() const { return m_serial; }

private:
    std::uint64_t m_serial = 0;
    GlFramebufferId m_fbo;
    GlTexture m_colour;
    GlRenderbuffer m_depthStencil;
    int m_width = 0, m_height = 0;
};

} // namespace orefront::viewer
