#include "render/map_renderer.hpp"

#include "map_document.hpp"
#include "render/graticule.hpp"
#include "render/style.hpp"

#include <cstddef>

namespace orefront::viewer {

namespace {

// Saves the GL state the map pass changes and restores it on scope exit, so ImGui's own
// renderer finds the context as it left it.
class GlStateGuard {
public:
    GlStateGuard() {
        glGetIntegerv(GL_FRAMEBUFFER_BINDING, &m_fbo);
        glGetIntegerv(GL_VIEWPORT, m_viewport);
        glGetIntegerv(GL_CURRENT_PROGRAM, &m_program);
        glGetIntegerv(GL_VERTEX_ARRAY_BINDING, &m_vao);
        glGetIntegerv(GL_ARRAY_BUFFER_BINDING, &m_arrayBuffer);
        glGetIntegerv(GL_BLEND_SRC_RGB, &m_srcRgb);
        glGetIntegerv(GL_BLEND_DST_RGB, &m_dstRgb);
        glGetIntegerv(GL_BLEND_SRC_ALPHA, &m_srcAlpha);
        glGetIntegerv(GL_BLEND_DST_ALPHA, &m_dstAlpha);
        glGetFloatv(GL_COLOR_CLEAR_VALUE, m_clear);
        m_blend = glIsEnabled(GL_BLEND);
        m_stencil = glIsEnabled(GL_STENCIL_TEST);
        m_scissor = glIsEnabled(GL_SCISSOR_TEST);
        m_depth = glIsEnabled(GL_DEPTH_TEST);
        m_cull = glIsEnabled(GL_CULL_FACE);
    }
    ~GlStateGuard() {
        glBindFramebuffer(GL_FRAMEBUFFER, GLuint(m_fbo));
        glViewport(m_viewport[0], m_viewport[1], m_viewport[2], m_viewport[3]);
        glUseProgram(GLuint(m_program));
        glBindVertexArray(GLuint(m_vao));
        glBindBuffer(GL_ARRAY_BUFFER, GLuint(m_arrayBuffer));
        glBlendFuncSeparate(GLenum(m_srcRgb), GLenum(m_dstRgb), GLenum(m_srcAlpha), GLenum(m_dstAlpha));
        glClearColor(m_clear[0], m_clear[1], m_clear[2], m_clear[3]);
        set(GL_BLEND, m_blend);
        set(GL_STENCIL_TEST, m_stencil);
        set(GL_SCISSOR_TEST, m_scissor);
        set(GL_DEPTH_TEST, m_depth);
        set(GL_CULL_FACE, m_cull);
    }

private:
    static void set(GLenum cap, GLboolean on) { on ? glEnable(cap) : glDisable(cap); }
    GLint m_fbo = 0, m_viewport[4] = {}, m_program = 0, m_vao = 0, m_arrayBuffer = 0;
    GLint m_srcRgb = 0, m_dstRgb = 0, m_srcAlpha = 0, m_dstAlpha = 0;
    GLfloat m_clear[4] = {};
    GLboolean m_blend = 0, m_stencil = 0, m_scissor = 0, m_depth = 0, m_cull = 0;
};

void setColour(GLint location, Rgba c, float opacity = 1.0f) {
    glUniform4f(location, c.r / 255.0f, c.g / 255.0f, c.b / 255.0f, c.a / 255.0f * opacity);
}

template <class T>
void bufferData(GLenum target, const GlBuffer &buffer, const std::vector<T> &data,
                GLenum usage = GL_STATIC_DRAW) {
    glBindBuffer(target, buffer.id());
    glBufferData(target, GLsizeiptr(data.size() * sizeof(T)), data.data(), usage);
}

} // namespace

struct MapRenderer::GpuMesh {
    std::weak_ptr<const LayerMesh> source;
    MercPoint origin;
    GlVertexArray fillVao;
    GlBuffer fillVbo, fillEbo;
    GLsizei fillCount = 0;
    GlVertexArray lineVao;
    GlBuffer lineVbo, lineEbo;
    GLsizei lineCount = 0;
    GlVertexArray markerVao;
    GlBuffer centres, sizes, colours;
    GLsizei markerCount = 0;
    std::uint64_t colourGeneration = ~std::uint64_t{0};
};

MapRenderer::MapRenderer()
    : m_fill(GlProgram::fromEmbedded("fill")), m_line(GlProgram::fromEmbedded("line")),
      m_marker(GlProgram::fromEmbedded("marker")), m_quad(makeBuffer()) {
    const float quad[] = {-1, -1, 1, -1, -1, 1, 1, 1};
    GLint prev = 0;
    glGetIntegerv(GL_ARRAY_BUFFER_BINDING, &prev);
    glBindBuffer(GL_ARRAY_BUFFER, m_quad.id());
    glBufferData(GL_ARRAY_BUFFER, sizeof quad, quad, GL_STATIC_DRAW);
    glBindBuffer(GL_ARRAY_BUFFER, GLuint(prev));
}

MapRenderer::~MapRenderer() = default;

MapRenderer::GpuMesh &MapRenderer::upload(const std::shared_ptr<const LayerMesh> &mesh) {
    auto &slot = m_cache[mesh.get()];
    if (slot && slot->source.lock() == mesh)
        return *slot;
    slot = std::make_unique<GpuMesh>();
    GpuMesh &g = *slot;
    g.source = mesh;
    g.origin = mesh->origin;
    if (!mesh->fillIndices.empty()) {
        g.fillVao = makeVertexArray();
        g.fillVbo = makeBuffer();
        g.fillEbo = makeBuffer();
        glBindVertexArray(g.fillVao.id());
        bufferData(GL_ARRAY_BUFFER, g.fillVbo, mesh->fillVertices);
        bufferData(GL_ELEMENT_ARRAY_BUFFER, g.fillEbo, mesh->fillIndices);
        glEnableVertexAttribArray(0);
        glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, sizeof(Vec2f), nullptr);
        g.fillCount = GLsizei(mesh->fillIndices.size());
    }
    if (!mesh->lineIndices.empty()) {
        g.lineVao = makeVertexArray();
        g.lineVbo = makeBuffer();
        g.lineEbo = makeBuffer();
        glBindVertexArray(g.lineVao.id());
        bufferData(GL_ARRAY_BUFFER, g.lineVbo, mesh->lineVertices);
        bufferData(GL_ELEMENT_ARRAY_BUFFER, g.lineEbo, mesh->lineIndices);
        glEnableVertexAttribArray(0);
        glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, sizeof(LineVertex),
                              reinterpret_cast<void *>(offsetof(LineVertex, pos)));
        glEnableVertexAttribArray(1);
        glVertexAttribPointer(1, 2, GL_FLOAT, GL_FALSE, sizeof(LineVertex),
                              reinterpret_cast<void *>(offsetof(LineVertex, other)));
        glEnableVertexAttribArray(2);
        glVertexAttribPointer(2, 1, GL_FLOAT, GL_FALSE, sizeof(LineVertex),
                              reinterpret_cast<void *>(offsetof(LineVertex, side)));
        g.lineCount = GLsizei(mesh->lineIndices.size());
    }
    if (!mesh->points.empty()) {
        g.markerVao = makeVertexArray();
        g.centres = makeBuffer();
        glBindVertexArray(g.markerVao.id());
        glBindBuffer(GL_ARRAY_BUFFER, m_quad.id());
        glEnableVertexAttribArray(0);
        glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, 0, nullptr);
        bufferData(GL_ARRAY_BUFFER, g.centres, mesh->points);
        glEnableVertexAttribArray(1);
        glVertexAttribPointer(1, 2, GL_FLOAT, GL_FALSE, sizeof(Vec2f), nullptr);
        glVertexAttribDivisor(1, 1);
        g.markerCount = GLsizei(mesh->points.size());
    }
    glBindVertexArray(0);
    return g;
}

void MapRenderer::drawFill(const GpuMesh &g, const Camera &c, Rgba colour) {
    if (!g.fillCount)
        return;
    glUseProgram(m_fill.id());
    glUniform2f(m_fill.uniform("u_offset"), float(g.origin.x - c.center.x), float(g.origin.y - c.center.y));
    glUniform2f(m_fill.uniform("u_scale"), float(2.0 / (c.width * c.metresPerPixel)),
                float(2.0 / (c.height * c.metresPerPixel)));
    setColour(m_fill.uniform("u_color"), colour);
    glBindVertexArray(g.fillVao.id());
    glDrawElements(GL_TRIANGLES, g.fillCount, GL_UNSIGNED_INT, nullptr);
}

void MapRenderer::drawLines(const GpuMesh &g, const Camera &c, Rgba colour, float widthPx) {
    if (!g.lineCount)
        return;
    glUseProgram(m_line.id());
    glUniform2f(m_line.uniform("u_offset"), float(g.origin.x - c.center.x), float(g.origin.y - c.center.y));
    glUniform2f(m_line.uniform("u_scale"), float(2.0 / (c.width * c.metresPerPixel)),
                float(2.0 / (c.height * c.metresPerPixel)));
    glUniform2f(m_line.uniform("u_viewport"), float(c.width), float(c.height));
    glUniform1f(m_line.uniform("u_width"), widthPx);
    setColour(m_line.uniform("u_color"), colour);
    glBindVertexArray(g.lineVao.id());
    glDrawElements(GL_TRIANGLES, g.lineCount, GL_UNSIGNED_INT, nullptr);
}

void MapRenderer::drawMarkers(const GpuMesh &g, const Camera &c, int shape, float sizeScale) {
    if (!g.markerCount)
        return;
    glUseProgram(m_marker.id());
    glUniform2f(m_marker.uniform("u_offset"), float(g.origin.x - c.center.x), float(g.origin.y - c.center.y));
    glUniform2f(m_marker.uniform("u_scale"), float(2.0 / (c.width * c.metresPerPixel)),
                float(2.0 / (c.height * c.metresPerPixel)));
    glUniform2f(m_marker.uniform("u_viewport"), float(c.width), float(c.height));
    glUniform1f(m_marker.uniform("u_sizeScale"), sizeScale);
    glUniform1i(m_marker.uniform("u_shape"), shape);
    setColour(m_marker.uniform("u_outline"), palette::kMarkerOutline);
    glUniform1f(m_marker.uniform("u_outlineWidth"), shape == 0 ? 1.2f : 1.0f);
    glBindVertexArray(g.markerVao.id());
    glDrawArraysInstanced(GL_TRIANGLE_STRIP, 0, 4, g.markerCount);
}

void MapRenderer::render(const MapDocument &doc, const Camera &camera, const MapStyle &style,
                         GlFramebuffer &target) {
    GlStateGuard guard;
    // Free the GPU copies of meshes whose snapshot died (here, on the GL thread).
    std::erase_if(m_cache, [](const auto &kv) { return kv.second->source.expired(); });

    target.resize(camera.width, camera.height);
    glBindFramebuffer(GL_FRAMEBUFFER, target.id());
    glViewport(0, 0, camera.width, camera.height);
    glDisable(GL_DEPTH_TEST);
    glDisable(GL_CULL_FACE);
    glDisable(GL_SCISSOR_TEST);
    glEnable(GL_BLEND);
    // Keep destination alpha at 1 so the texture ImGui shows is opaque.
    glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);
    const Rgba sea = palette::kSea;
    glClearColor(sea.r / 255.0f, sea.g / 255.0f, sea.b / 255.0f, 1.0f);
    glClearStencil(0);
    glStencilMask(0xFF);
    glClear(GL_COLOR_BUFFER_BIT | GL_STENCIL_BUFFER_BIT);

    using model::LayerRole;
    std::vector<std::pair<const MapLayer *, GpuMesh *>> visible;
    for (const auto &l : doc.layers())
        if (l.visible && l.mesh && !l.mesh->empty())
            visible.emplace_back(&l, &upload(l.mesh));

    // Pass 1, fills. Hostile territory marks the stencil: tinted once where layers overlap,
    // and the ring bands start at its edge.
    glEnable(GL_STENCIL_TEST);
    glStencilOp(GL_KEEP, GL_KEEP, GL_REPLACE);
    for (auto [l, g] : visible) {
        if (l->role == LayerRole::Hostile) {
            glStencilFunc(GL_NOTEQUAL, 1, 0xFF);
            drawFill(*g, camera, l->colour.withAlpha(l->colour.a / 255.0f * l->opacity));
        } else if (l->role == LayerRole::Basemap) {
            glStencilFunc(GL_ALWAYS, 0, 0x00);
            drawFill(*g, camera, palette::kLand.withAlpha(l->opacity));
        } else if (l->role == LayerRole::Other) {
            glStencilFunc(GL_ALWAYS, 0, 0x00);
            drawFill(*g, camera, l->colour.withAlpha(0.35f * l->opacity));
        }
    }
    // Pass 2, ring bands: smallest first, each pixel takes the band of the nearest ring.
    const std::shared_ptr<const RingSet> rings = style.rings ? doc.ringSet() : nullptr;
    std::vector<GpuMesh *> ringMeshes;
    if (rings) {
        // Passes where the stencil is still 0 (1 > 0) and writes 1 there.
        glStencilFunc(GL_GREATER, 1, 0xFF);
        const std::size_t n = rings->meshes.size();
        for (std::size_t i = 0; i < n; ++i) {
            // Alias the ring set's lifetime: the upload is freed with the set.
            const std::shared_ptr<const LayerMesh> alias(rings, &rings->meshes[i]);
            ringMeshes.push_back(&upload(alias));
            const Rgba band = ringColour(i, n);
            drawFill(*ringMeshes.back(), camera, band.withAlpha(band.a / 255.0f * style.ringOpacity));
        }
    }
    glDisable(GL_STENCIL_TEST);

    // Pass 3, graticule and lines.
    if (style.graticule) {
        m_graticule = std::make_shared<const LayerMesh>(buildGraticule(camera));
        m_cache.erase(m_graticule.get());
        drawLines(upload(m_graticule), camera, palette::kGraticule, 1.0f);
    }
    for (auto *g : ringMeshes)
        drawLines(*g, camera, palette::kRingEdge.withAlpha(palette::kRingEdge.a / 255.0f * style.ringOpacity),
                  1.0f);
    for (auto [l, g] : visible) {
        switch (l->role) {
        case LayerRole::Basemap:
            drawLines(*g, camera, l->colour.withAlpha(l->opacity), 0.8f);
            break;
        case LayerRole::Hostile:
            drawLines(*g, camera,
                      palette::kHostileEdge.withAlpha(palette::kHostileEdge.a / 255.0f * l->opacity), 1.0f);
            break;
        case LayerRole::Deposits:
            drawLines(*g, camera, palette::kMarkerOutline.withAlpha(l->opacity), 1.0f);
            break;
        default:
            drawLines(*g, camera, l->colour.withAlpha(l->opacity), l->lineWidthPx);
            break;
        }
    }

    // Pass 4, markers: infrastructure, then deposits coloured by verdict.
    for (auto [l, g] : visible) {
        if (!g->markerCount)
            continue;
        if (l->role == LayerRole::Deposits && l == doc.depositsLayer()) {
            if (g->colourGeneration != doc.reportGeneration()) {
                // The only upload a rule change costs: one colour per marker.
                if (!g->colours) {
                    g->colours = makeBuffer();
                    g->sizes = makeBuffer();
                    glBindVertexArray(g->markerVao.id());
                    bufferData(GL_ARRAY_BUFFER, g->sizes, doc.markerSizes());
                    glEnableVertexAttribArray(2);
                    glVertexAttribPointer(2, 1, GL_FLOAT, GL_FALSE, sizeof(float), nullptr);
                    glVertexAttribDivisor(2, 1);
                    bufferData(GL_ARRAY_BUFFER, g->colours, doc.markerColours(), GL_DYNAMIC_DRAW);
                    glEnableVertexAttribArray(3);
                    glVertexAttribPointer(3, 4, GL_UNSIGNED_BYTE, GL_TRUE, sizeof(std::uint32_t), nullptr);
                    glVertexAttribDivisor(3, 1);
                } else {
                    glBindBuffer(GL_ARRAY_BUFFER, g->colours.id());
                    glBufferSubData(GL_ARRAY_BUFFER, 0,
                                    GLsizeiptr(doc.markerColours().size() * sizeof(std::uint32_t)),
                                    doc.markerColours().data());
                }
                g->colourGeneration = doc.reportGeneration();
                ++m_colourUploads;
            }
            glUseProgram(m_marker.id());
            drawMarkers(*g, camera, 0, style.markerScale);
            continue;
        }
        // One colour and size for the whole layer: constant attributes.
        const Rgba c = l->colour.withAlpha(l->opacity);
        glBindVertexArray(g->markerVao.id());
        glDisableVertexAttribArray(2);
        glDisableVertexAttribArray(3);
        glVertexAttrib1f(2, l->role == LayerRole::Ports ? 10.0f : 7.0f);
        glVertexAttrib4f(3, c.r / 255.0f, c.g / 255.0f, c.b / 255.0f, c.a / 255.0f);
        const int shape = l->role == LayerRole::Ports ? 1 : (l->role == LayerRole::Other ? 0 : 2);
        drawMarkers(*g, camera, shape, style.markerScale);
    }
    glBindVertexArray(0);
}

} // namespace orefront::viewer
