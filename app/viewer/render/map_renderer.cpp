#include "render/map_renderer.hpp"

#include "map_document.hpp"
#include "render/graticule.hpp"
#include "render/marker_splat.hpp"
#include "render/pass_profile.hpp"
#include "render/style.hpp"

#include <algorithm>
#include <cmath>
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
        glGetIntegerv(GL_ACTIVE_TEXTURE, &m_activeTexture);
        glActiveTexture(GL_TEXTURE0);
        glGetIntegerv(GL_TEXTURE_BINDING_2D, &m_texture);
        glGetIntegerv(GL_BLEND_SRC_RGB, &m_srcRgb);
        glGetIntegerv(GL_BLEND_DST_RGB, &m_dstRgb);
        glGetIntegerv(GL_BLEND_SRC_ALPHA, &m_srcAlpha);
        glGetIntegerv(GL_BLEND_DST_ALPHA, &m_dstAlpha);
        glGetFloatv(GL_COLOR_CLEAR_VALUE, m_clear);
        glGetIntegerv(GL_SCISSOR_BOX, m_scissorBox);
        m_blend = glIsEnabled(GL_BLEND);
        m_stencil = glIsEnabled(GL_STENCIL_TEST);
        m_scissor = glIsEnabled(GL_SCISSOR_TEST);
        m_depth = glIsEnabled(GL_DEPTH_TEST);
        m_cull = glIsEnabled(GL_CULL_FACE);
        m_pointSize = glIsEnabled(GL_PROGRAM_POINT_SIZE);
    }
    ~GlStateGuard() {
        glBindFramebuffer(GL_FRAMEBUFFER, GLuint(m_fbo));
        glViewport(m_viewport[0], m_viewport[1], m_viewport[2], m_viewport[3]);
        glUseProgram(GLuint(m_program));
        glBindVertexArray(GLuint(m_vao));
        glBindBuffer(GL_ARRAY_BUFFER, GLuint(m_arrayBuffer));
        glActiveTexture(GL_TEXTURE0);
        glBindTexture(GL_TEXTURE_2D, GLuint(m_texture));
        glActiveTexture(GLenum(m_activeTexture));
        glBlendFuncSeparate(GLenum(m_srcRgb), GLenum(m_dstRgb), GLenum(m_srcAlpha), GLenum(m_dstAlpha));
        glClearColor(m_clear[0], m_clear[1], m_clear[2], m_clear[3]);
        glScissor(m_scissorBox[0], m_scissorBox[1], m_scissorBox[2], m_scissorBox[3]);
        set(GL_BLEND, m_blend);
        set(GL_STENCIL_TEST, m_stencil);
        set(GL_SCISSOR_TEST, m_scissor);
        set(GL_DEPTH_TEST, m_depth);
        set(GL_CULL_FACE, m_cull);
        set(GL_PROGRAM_POINT_SIZE, m_pointSize);
    }

private:
    static void set(GLenum cap, GLboolean on) { on ? glEnable(cap) : glDisable(cap); }
    GLint m_fbo = 0, m_viewport[4] = {}, m_program = 0, m_vao = 0, m_arrayBuffer = 0;
    GLint m_activeTexture = GL_TEXTURE0, m_texture = 0;
    GLint m_srcRgb = 0, m_dstRgb = 0, m_srcAlpha = 0, m_dstAlpha = 0;
    GLfloat m_clear[4] = {};
    GLint m_scissorBox[4] = {};
    GLboolean m_blend = 0, m_stencil = 0, m_scissor = 0, m_depth = 0, m_cull = 0, m_pointSize = 0;
};

void setColour(GLint location, Rgba c, float opacity = 1.0f) {
    glUniform4f(location, c.r / 255.0f, c.g / 255.0f, c.b / 255.0f, c.a / 255.0f * opacity);
}

// Draws the chunks of `chunks` in view of `c` from the bound vertex array's element buffer.
// `marginPx`: how far a primitive reaches past its vertices (half a line's width). `divisor`:
// the chunks count indices of another buffer, `divisor` times as long (a segment is 6 indices
// of a quad there and 2 of a GL line here: 3).
void drawVisible(const std::vector<LayerMesh::Chunk> &chunks, MercPoint origin, const Camera &c,
                 float marginPx, GLenum mode = GL_TRIANGLES, std::uint32_t divisor = 1) {
    thread_local std::vector<std::pair<std::uint32_t, std::uint32_t>> runs;
    thread_local std::vector<GLsizei> counts;
    thread_local std::vector<const void *> offsets;
    const Vec2f centre{float(c.center.x - origin.x), float(c.center.y - origin.y)};
    visibleRuns(chunks, centre, float((c.width * 0.5 + marginPx) * c.metresPerPixel),
                float((c.height * 0.5 + marginPx) * c.metresPerPixel), runs);
    counts.clear();
    offsets.clear();
    for (const auto &[first, count] : runs) {
        counts.push_back(GLsizei(count / divisor));
        offsets.push_back(
            reinterpret_cast<const void *>(std::uintptr_t(first / divisor) * sizeof(std::uint32_t)));
    }
    if (!runs.empty())
        glMultiDrawElements(mode, counts.data(), GL_UNSIGNED_INT, offsets.data(), GLsizei(runs.size()));
}

// The fill, line and marker programs' vertex transform: mesh metres to clip space.
void setTransform(const GlProgram &program, MercPoint origin, const Camera &c) {
    glUniform2f(program.uniform("u_offset"), float(origin.x - c.center.x), float(origin.y - c.center.y));
    glUniform2f(program.uniform("u_scale"), float(2.0 / (c.width * c.metresPerPixel)),
                float(2.0 / (c.height * c.metresPerPixel)));
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
    std::vector<LayerMesh::Chunk> fillChunks, lineChunks;
    GlVertexArray fillVao;
    GlBuffer fillVbo, fillEbo;
    GLsizei fillCount = 0;
    GlVertexArray lineVao;
    GlBuffer lineVbo, lineEbo;
    GLsizei lineCount = 0;
    // The same segments as GL_LINES, each from its quad's first vertex to its third, for lines
    // of a pixel or less: one primitive of two vertices instead of two triangles of four.
    GlVertexArray thinVao;
    GlBuffer thinEbo;
    GlVertexArray markerVao;
    GlBuffer centres, sizes, colours;
    GLsizei markerCount = 0;
    std::uint64_t colourGeneration = ~std::uint64_t{0};
};

MapRenderer::MapRenderer()
    : m_fill(GlProgram::fromEmbedded("fill")), m_hatch(GlProgram::fromEmbedded("hatch", "fill")),
      m_line(GlProgram::fromEmbedded("line")), m_marker(GlProgram::fromEmbedded("marker")),
      m_image(GlProgram::fromEmbedded("image")) {}

MapRenderer::~MapRenderer() = default;

MapRenderer::GpuMesh &MapRenderer::upload(const std::shared_ptr<const LayerMesh> &mesh) {
    auto &slot = m_cache[mesh.get()];
    if (slot && slot->source.lock() == mesh)
        return *slot;
    slot = std::make_unique<GpuMesh>();
    GpuMesh &g = *slot;
    g.source = mesh;
    g.origin = mesh->origin;
    g.fillChunks = mesh->fillChunks;
    g.lineChunks = mesh->lineChunks;
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
        // A segment's quad is (a, a, b, b) indexed as (0, 1, 2, 1, 3, 2) from its base.
        std::vector<std::uint32_t> thin(mesh->lineIndices.size() / 3);
        for (std::size_t k = 0; k < thin.size() / 2; ++k) {
            thin[2 * k] = mesh->lineIndices[6 * k];
            thin[2 * k + 1] = mesh->lineIndices[6 * k + 2];
        }
        g.thinVao = makeVertexArray();
        g.thinEbo = makeBuffer();
        glBindVertexArray(g.thinVao.id());
        glBindBuffer(GL_ARRAY_BUFFER, g.lineVbo.id());
        bufferData(GL_ELEMENT_ARRAY_BUFFER, g.thinEbo, thin);
        glEnableVertexAttribArray(0);
        glVertexAttribPointer(0, 2, GL_FLOAT, GL_FALSE, sizeof(LineVertex),
                              reinterpret_cast<void *>(offsetof(LineVertex, pos)));
    }
    if (!mesh->points.empty()) {
        g.markerVao = makeVertexArray();
        g.centres = makeBuffer();
        glBindVertexArray(g.markerVao.id());
        bufferData(GL_ARRAY_BUFFER, g.centres, mesh->points);
        glEnableVertexAttribArray(1);
        glVertexAttribPointer(1, 2, GL_FLOAT, GL_FALSE, sizeof(Vec2f), nullptr);
        g.markerCount = GLsizei(mesh->points.size());
    }
    glBindVertexArray(0);
    return g;
}

void MapRenderer::drawFill(const GpuMesh &g, const Camera &c, Rgba colour, float hatchPx) {
    if (!g.fillCount)
        return;
    const GlProgram &program = hatchPx > 0 ? m_hatch : m_fill;
    glUseProgram(program.id());
    setTransform(program, g.origin, c);
    setColour(program.uniform("u_color"), colour);
    if (hatchPx > 0) {
        glUniform1f(program.uniform("u_hatch"), hatchPx);
        // Stripes anchored to the map, not the screen, so that a panned image (drawPanned)
        // and the strips drawn beside it line up: x + y in map pixels is the framebuffer's
        // x + y plus this.
        double phase = std::fmod((c.center.x + c.center.y) / c.metresPerPixel - (c.width + c.height) * 0.5,
                                 double(hatchPx));
        glUniform1f(program.uniform("u_hatchPhase"), float(phase < 0 ? phase + hatchPx : phase));
    }
    glBindVertexArray(g.fillVao.id());
    // An opaque fill needs no blending, and skipping it spares llvmpipe a read per pixel.
    if (colour.a == 255 && hatchPx <= 0)
        glDisable(GL_BLEND);
    drawVisible(g.fillChunks, g.origin, c, 1.0f);
    glEnable(GL_BLEND);
}

void MapRenderer::drawLines(const GpuMesh &g, const Camera &c, Rgba colour, float widthPx) {
    if (!g.lineCount)
        return;
    if (widthPx <= 1.0f) {
        // A pixel wide or less: GL lines, positioned by the fill's vertex stage.
        glUseProgram(m_fill.id());
        setTransform(m_fill, g.origin, c);
        setColour(m_fill.uniform("u_color"), colour);
        glBindVertexArray(g.thinVao.id());
        drawVisible(g.lineChunks, g.origin, c, 1.0f, GL_LINES, 3);
        return;
    }
    glUseProgram(m_line.id());
    setTransform(m_line, g.origin, c);
    glUniform2f(m_line.uniform("u_viewport"), float(c.width), float(c.height));
    glUniform1f(m_line.uniform("u_width"), widthPx);
    setColour(m_line.uniform("u_color"), colour);
    glBindVertexArray(g.lineVao.id());
    drawVisible(g.lineChunks, g.origin, c, widthPx + 1.0f);
}

void MapRenderer::drawMarkers(const GpuMesh &g, const Camera &c, int shape, float sizeScale) {
    if (!g.markerCount)
        return;
    glUseProgram(m_marker.id());
    setTransform(m_marker, g.origin, c);
    glUniform1f(m_marker.uniform("u_sizeScale"), sizeScale);
    glUniform1i(m_marker.uniform("u_shape"), shape);
    setColour(m_marker.uniform("u_outline"), palette::kMarkerOutline);
    glUniform1f(m_marker.uniform("u_outlineWidth"), shape == 0 ? 1.2f : 1.0f);
    glBindVertexArray(g.markerVao.id());
    glDrawArrays(GL_POINTS, 0, g.markerCount);
}

MapFrameKey MapFrameKey::of(const MapDocument &doc, const Camera &camera, const MapStyle &style) {
    MapFrameKey key;
    key.camera = camera;
    key.style = style;
    key.documentRevision = doc.revision();
    key.reportGeneration = doc.reportGeneration();
    key.layers.reserve(doc.layers().size());
    for (const auto &l : doc.layers())
        key.layers.push_back({l.mesh.get(), l.visible, l.opacity, l.colour, l.lineWidthPx});
    return key;
}

void MapRenderer::drawDenseMarkers(const MapDocument &doc, const LayerMesh &mesh, const Camera &c,
                                   float scale) {
    // Within the strip being drawn, if any (the image's rows run bottom-up, the splat's top-down).
    PixelRect clip{0, 0, c.width, c.height};
    if (m_clip)
        clip = {m_clip->x0, c.height - m_clip->y1, m_clip->x1, c.height - m_clip->y0};
    splatMarkers(mesh, doc.markerColours(), doc.markerSizes(), c, scale, m_denseImage, &clip);
    if (!m_denseTexture) {
        GLuint id = 0;
        glGenTextures(1, &id);
        m_denseTexture = GlTexture(id);
        m_denseVao = makeVertexArray(); // the quad comes from gl_VertexID; core GL wants a VAO
    }
    glBindTexture(GL_TEXTURE_2D, m_denseTexture.id());
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    if (m_denseSize[0] != c.width || m_denseSize[1] != c.height) {
        glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA8, c.width, c.height, 0, GL_RGBA, GL_UNSIGNED_BYTE,
                     m_denseImage.data());
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
        glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
        m_denseSize[0] = c.width;
        m_denseSize[1] = c.height;
    } else if (m_clip) {
        // Only the strip: rows of the whole image, from its corner.
        glPixelStorei(GL_UNPACK_ROW_LENGTH, c.width);
        glPixelStorei(GL_UNPACK_SKIP_PIXELS, m_clip->x0);
        glPixelStorei(GL_UNPACK_SKIP_ROWS, m_clip->y0);
        glTexSubImage2D(GL_TEXTURE_2D, 0, m_clip->x0, m_clip->y0, m_clip->x1 - m_clip->x0,
                        m_clip->y1 - m_clip->y0, GL_RGBA, GL_UNSIGNED_BYTE, m_denseImage.data());
        glPixelStorei(GL_UNPACK_ROW_LENGTH, 0);
        glPixelStorei(GL_UNPACK_SKIP_PIXELS, 0);
        glPixelStorei(GL_UNPACK_SKIP_ROWS, 0);
    } else {
        glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, c.width, c.height, GL_RGBA, GL_UNSIGNED_BYTE,
                        m_denseImage.data());
    }
    glUseProgram(m_image.id());
    glUniform1i(m_image.uniform("u_image"), 0);
    glBindVertexArray(m_denseVao.id());
    glDrawArrays(GL_TRIANGLE_STRIP, 0, 4);
    ++m_denseDraws;
}

void MapRenderer::composeDenseMarkers(const MapDocument &doc, const LayerMesh &mesh, const Camera &c,
                                      GlFramebuffer &target) {
    const std::size_t n = std::size_t(c.width) * std::size_t(c.height);
    glPixelStorei(GL_PACK_ALIGNMENT, 4);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 4);
    // The discs go onto an empty image while llvmpipe's threads are still drawing the base
    // (flushed to them first), and then over the base's pixels: the two run at once.
    glFlush();
    splatMarkers(mesh, doc.markerColours(), doc.markerSizes(), c, m_markerScale,
                 m_denseImage); // rows bottom-up
    if (!m_basePixelsValid || m_basePixels.size() != n) {
        // Once per base: a rule change lays the markers over the same pixels again.
        m_basePixels.resize(n);
        glBindFramebuffer(GL_READ_FRAMEBUFFER, m_base.id());
        glReadPixels(0, 0, c.width, c.height, GL_RGBA, GL_UNSIGNED_BYTE, m_basePixels.data());
        m_basePixelsValid = true;
    }
    // Opaque discs cover what is under them; an opaque colour is never 0.
    std::uint32_t *out = m_denseImage.data();
    const std::uint32_t *base = m_basePixels.data();
    for (std::size_t i = 0; i < n; ++i)
        out[i] = out[i] ? out[i] : base[i];
    glBindTexture(GL_TEXTURE_2D, target.texture());
    glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, c.width, c.height, GL_RGBA, GL_UNSIGNED_BYTE,
                    m_denseImage.data());
    glBindFramebuffer(GL_FRAMEBUFFER, target.id());
    ++m_denseDraws;
}

struct MapRenderer::Visible {
    const MapLayer *layer;
    GpuMesh *shapes;  // fills and lines, at the detail the zoom shows (LayerMesh::levels)
    GpuMesh *markers; // markers, from the full mesh
};

void MapRenderer::render(const MapDocument &doc, const Camera &camera, const MapStyle &style,
                         GlFramebuffer &target, bool targetKept) {
    ++m_renders;
    GlStateGuard guard;
    // Free the GPU copies of meshes whose snapshot died (here, on the GL thread).
    std::erase_if(m_cache, [](const auto &kv) { return kv.second->source.expired(); });

    glViewport(0, 0, camera.width, camera.height);
    glDisable(GL_DEPTH_TEST);
    glDisable(GL_CULL_FACE);
    glDisable(GL_SCISSOR_TEST);
    glEnable(GL_PROGRAM_POINT_SIZE); // markers are point sprites
    glEnable(GL_BLEND);
    // Keep destination alpha at 1 so the texture ImGui shows is opaque.
    glBlendFuncSeparate(GL_SRC_ALPHA, GL_ONE_MINUS_SRC_ALPHA, GL_ONE, GL_ONE_MINUS_SRC_ALPHA);

    std::vector<Visible> visible;
    for (const auto &l : doc.layers())
        if (l.visible && l.mesh && !l.mesh->empty()) {
            GpuMesh *markers = &upload(l.mesh);
            visible.push_back({&l, &upload(meshForResolution(l.mesh, camera.metresPerPixel)), markers});
        }
    // The deposits' markers, when nothing is drawn over them, go over a kept image of the
    // rest of the map: a rule change then redraws the markers only.
    const Visible *top = nullptr;
    for (const auto &v : visible) {
        if (v.layer == doc.depositsLayer())
            top = &v;
        else if (top && v.markers->markerCount)
            top = nullptr; // markers of a layer above the deposits
    }

    m_markerScale = doc.markerScaleAt(camera, style.markerScale);
    MapFrameKey key = MapFrameKey::of(doc, camera, style);
    const auto shift = panShift(target, key, m_markerScale);
    if (shift) {
        drawPanned(doc, camera, style, visible, target, *shift);
    } else {
        target.resize(camera.width, camera.height);
        drawWhole(doc, camera, style, visible, top, target);
    }
    if (targetKept)
        m_shown = Shown{target.serial(), std::move(key), m_markerScale};
    else
        m_shown.reset();
    glBindVertexArray(0);
}

std::optional<std::pair<int, int>> MapRenderer::panShift(const GlFramebuffer &target, const MapFrameKey &key,
                                                         float markerScale) const {
    if (!m_shown || m_shown->target != target.serial() || m_shown->markerScale != markerScale)
        return std::nullopt;
    const MapFrameKey &last = m_shown->key;
    const Camera &a = last.camera, &b = key.camera;
    if (a.metresPerPixel != b.metresPerPixel || a.width != b.width || a.height != b.height ||
        target.width() != b.width || target.height() != b.height || last.style != key.style ||
        last.documentRevision != key.documentRevision || last.reportGeneration != key.reportGeneration ||
        last.layers != key.layers)
        return std::nullopt;
    // Content moves against the camera; GL rows run upwards, as Mercator y does.
    const double fx = (a.center.x - b.center.x) / b.metresPerPixel;
    const double fy = (a.center.y - b.center.y) / b.metresPerPixel;
    const double rx = std::round(fx), ry = std::round(fy);
    if (std::abs(fx - rx) > 1e-3 || std::abs(fy - ry) > 1e-3 || (rx == 0 && ry == 0))
        return std::nullopt;
    // Past half the view, drawing it whole costs about what the strips would.
    if (std::abs(rx) * 2 >= b.width || std::abs(ry) * 2 >= b.height)
        return std::nullopt;
    return std::pair{int(rx), int(ry)};
}

void MapRenderer::drawPanned(const MapDocument &doc, const Camera &camera, const MapStyle &style,
                             const std::vector<Visible> &visible, GlFramebuffer &target,
                             std::pair<int, int> shift) {
    const auto [sx, sy] = shift;
    const int w = camera.width, h = camera.height;
    // The kept part of the last frame, moved into the spare framebuffer, which becomes the target.
    m_spare.resize(w, h);
    glBindFramebuffer(GL_READ_FRAMEBUFFER, target.id());
    glBindFramebuffer(GL_DRAW_FRAMEBUFFER, m_spare.id());
    const int keepW = w - std::abs(sx), keepH = h - std::abs(sy);
    const int srcX = std::max(0, -sx), srcY = std::max(0, -sy);
    glBlitFramebuffer(srcX, srcY, srcX + keepW, srcY + keepH, srcX + sx, srcY + sy, srcX + sx + keepW,
                      srcY + sy + keepH, GL_COLOR_BUFFER_BIT, GL_NEAREST);
    std::swap(target, m_spare);
    glBindFramebuffer(GL_FRAMEBUFFER, target.id());
    // The strips uncovered: a column and a row (their corner is drawn twice, the same way).
    std::vector<PixelRectGl> strips;
    if (sx > 0)
        strips.push_back({0, 0, sx, h});
    else if (sx < 0)
        strips.push_back({w + sx, 0, w, h});
    if (sy > 0)
        strips.push_back({0, 0, w, sy});
    else if (sy < 0)
        strips.push_back({0, h + sy, w, h});
    glEnable(GL_SCISSOR_TEST);
    for (const PixelRectGl &r : strips) {
        glScissor(r.x0, r.y0, r.x1 - r.x0, r.y1 - r.y0);
        m_clip = &r;
        drawLayers(doc, camera, style, visible, nullptr); // markers included
    }
    m_clip = nullptr;
    glDisable(GL_SCISSOR_TEST);
    // The map under the markers was not kept for this view: a rule change draws it whole.
    m_baseKey.reset();
    ++m_panDraws;
}

void MapRenderer::drawWhole(const MapDocument &doc, const Camera &camera, const MapStyle &style,
                            const std::vector<Visible> &visible, const Visible *top, GlFramebuffer &target) {
    if (!top) {
        glBindFramebuffer(GL_FRAMEBUFFER, target.id());
        drawLayers(doc, camera, style, visible, nullptr);
        m_baseKey.reset();
        return;
    }
    MapFrameKey baseKey = MapFrameKey::of(doc, camera, style);
    baseKey.reportGeneration = 0; // the base does not show verdicts
    if (!m_baseKey || *m_baseKey != baseKey) {
        m_base.resize(camera.width, camera.height);
        glBindFramebuffer(GL_FRAMEBUFFER, m_base.id());
        drawLayers(doc, camera, style, visible, top);
        m_baseKey = std::move(baseKey);
        m_basePixelsValid = false;
        ++m_baseDraws;
    }
    if (top->markers->markerCount && m_markerScale < style.markerScale) {
        if (m_opaqueGeneration != doc.reportGeneration()) {
            const auto &colours = doc.markerColours();
            m_opaqueColours = std::all_of(colours.begin(), colours.end(),
                                          [](std::uint32_t c) { return (c >> 24) == 255u; });
            m_opaqueGeneration = doc.reportGeneration();
        }
        // Opaque discs cover what is under them: drawing them over the base's pixels on the
        // CPU gives the blended quad's pixels, without llvmpipe sampling a full-view texture.
        if (m_opaqueColours) {
            std::optional<PassTimer> pass(std::in_place, "map: deposit markers onto base (CPU)");
            composeDenseMarkers(doc, *top->layer->mesh, camera, target);
            return;
        }
    }
    std::optional<PassTimer> pass(std::in_place, "map: base blit");
    glBindFramebuffer(GL_READ_FRAMEBUFFER, m_base.id());
    glBindFramebuffer(GL_DRAW_FRAMEBUFFER, target.id());
    glBlitFramebuffer(0, 0, camera.width, camera.height, 0, 0, camera.width, camera.height,
                      GL_COLOR_BUFFER_BIT, GL_NEAREST);
    glBindFramebuffer(GL_FRAMEBUFFER, target.id());
    pass.emplace("map: deposit markers");
    drawDepositMarkers(doc, *top, camera, style);
}

void MapRenderer::drawLayers(const MapDocument &doc, const Camera &camera, const MapStyle &style,
                             const std::vector<Visible> &visible, const Visible *skipMarkers) {
    std::optional<PassTimer> pass; // OREFRONT_PASS_PROFILE: one pass at a time
    pass.emplace("map: clear");
    const Rgba sea = palette::kSea;
    glClearColor(sea.r / 255.0f, sea.g / 255.0f, sea.b / 255.0f, 1.0f);
    glClearStencil(0);
    glStencilMask(0xFF);
    // Depth too, though unused: clearing the packed depth-stencil whole is a fill, while
    // clearing its stencil alone is a masked read-modify-write of every pixel.
    glClearDepth(1.0);
    glDepthMask(GL_TRUE);
    glClear(GL_COLOR_BUFFER_BIT | GL_DEPTH_BUFFER_BIT | GL_STENCIL_BUFFER_BIT);

    using model::LayerRole;
    pass.emplace("map: fills");
    // Pass 1, fills. Hostile territory marks the stencil: tinted once where layers overlap,
    // and the ring bands start at its edge. The other fills leave the stencil alone:
    // testing it costs llvmpipe a read and a write per pixel of land.
    glStencilOp(GL_KEEP, GL_KEEP, GL_REPLACE);
    glStencilFunc(GL_NOTEQUAL, 1, 0xFF);
    for (const auto &[l, g, m] : visible) {
        if (l->mapClass == MapClass::Contested) {
            // Hatched, over whatever is below; it does not mark the stencil (ring bands show).
            drawFill(*g, camera, l->colour.withAlpha(l->colour.a / 255.0f * l->opacity),
                     classLook(MapClass::Contested).hatchPx);
        } else if (l->role == LayerRole::Hostile) {
            glEnable(GL_STENCIL_TEST);
            drawFill(*g, camera, l->colour.withAlpha(l->colour.a / 255.0f * l->opacity));
            glDisable(GL_STENCIL_TEST);
        } else if (l->role == LayerRole::Basemap) {
            drawFill(*g, camera, palette::kLand.withAlpha(l->opacity));
        } else if (l->role == LayerRole::Other) {
            drawFill(*g, camera, l->colour.withAlpha(0.35f * l->opacity));
        }
    }
    pass.emplace("map: ring bands");
    // Pass 2, ring bands: each band is its own geometry (ring i minus ring i-1, RingSet::bands),
    // so every pixel in range is filled once; drawing each ring whole under a stencil filled
    // the inner rings and the hostile territory again for every wider ring. The bands still
    // test the stencil the hostile fills marked (and leave it as it is): the hostile layers
    // are drawn at the view's level of detail, and a band would tint their edge pixels.
    const std::shared_ptr<const RingSet> rings = style.rings ? doc.ringSet() : nullptr;
    std::vector<GpuMesh *> ringMeshes;
    if (rings) {
        const std::size_t n = std::min(rings->meshes.size(), rings->bands.size());
        glStencilOp(GL_KEEP, GL_KEEP, GL_KEEP);
        glStencilFunc(GL_EQUAL, 0, 0xFF);
        glEnable(GL_STENCIL_TEST);
        for (std::size_t i = 0; i < n; ++i) {
            ringMeshes.push_back(&upload(meshForResolution(rings->meshes[i], camera.metresPerPixel)));
            const Rgba band = ringColour(i, n);
            drawFill(upload(meshForResolution(rings->bands[i], camera.metresPerPixel)), camera,
                     band.withAlpha(band.a / 255.0f * style.ringOpacity));
        }
        glDisable(GL_STENCIL_TEST);
    }

    // Pass 3, graticule and lines.
    pass.emplace("map: lines");
    if (style.graticule) {
        m_graticule = std::make_shared<const LayerMesh>(buildGraticule(camera));
        m_cache.erase(m_graticule.get());
        drawLines(upload(m_graticule), camera, palette::kGraticule, 1.0f);
    }
    for (auto *g : ringMeshes)
        drawLines(*g, camera, palette::kRingEdge.withAlpha(palette::kRingEdge.a / 255.0f * style.ringOpacity),
                  1.0f);
    for (const auto &[l, g, m] : visible) {
        switch (l->role) {
        case LayerRole::Basemap:
        case LayerRole::Boundaries:
            drawLines(*g, camera, l->colour.withAlpha(l->opacity), 0.8f);
            break;
        case LayerRole::Hostile: {
            const ClassLook look = classLook(l->mapClass);
            const Rgba edge = l->mapClass == MapClass::Default ? palette::kHostileEdge : look.edge;
            drawLines(*g, camera, edge.withAlpha(edge.a / 255.0f * l->opacity), look.widthPx);
            break;
        }
        case LayerRole::Deposits:
            drawLines(*g, camera, palette::kMarkerOutline.withAlpha(l->opacity), 1.0f);
            break;
        default: {
            const ClassLook look = classLook(l->mapClass);
            if (look.casingPx > 0) // the state border: a dark line on a light casing
                drawLines(*g, camera, look.casing.withAlpha(look.casing.a / 255.0f * l->opacity),
                          look.casingPx);
            drawLines(*g, camera, l->colour.withAlpha(l->opacity), l->lineWidthPx);
            break;
        }
        }
    }

    // Pass 4, markers: infrastructure, then deposits coloured by verdict.
    pass.emplace("map: markers");
    for (const auto &v : visible) {
        const MapLayer *l = v.layer;
        GpuMesh *g = v.markers;
        if (!g->markerCount || &v == skipMarkers)
            continue;
        if (l->role == LayerRole::Deposits && l == doc.depositsLayer()) {
            drawDepositMarkers(doc, v, camera, style);
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
}

void MapRenderer::drawDepositMarkers(const MapDocument &doc, const Visible &v, const Camera &camera,
                                     const MapStyle &style) {
    GpuMesh *g = v.markers;
    if (!g->markerCount)
        return;
    if (g->colourGeneration != doc.reportGeneration()) {
        // The only upload a rule change costs: one colour per marker.
        if (!g->colours) {
            g->colours = makeBuffer();
            g->sizes = makeBuffer();
            glBindVertexArray(g->markerVao.id());
            bufferData(GL_ARRAY_BUFFER, g->sizes, doc.markerSizes());
            glEnableVertexAttribArray(2);
            glVertexAttribPointer(2, 1, GL_FLOAT, GL_FALSE, sizeof(float), nullptr);
            bufferData(GL_ARRAY_BUFFER, g->colours, doc.markerColours(), GL_DYNAMIC_DRAW);
            glEnableVertexAttribArray(3);
            glVertexAttribPointer(3, 4, GL_UNSIGNED_BYTE, GL_TRUE, sizeof(std::uint32_t), nullptr);
        } else {
            glBindBuffer(GL_ARRAY_BUFFER, g->colours.id());
            glBufferSubData(GL_ARRAY_BUFFER, 0,
                            GLsizeiptr(doc.markerColours().size() * sizeof(std::uint32_t)),
                            doc.markerColours().data());
        }
        g->colourGeneration = doc.reportGeneration();
        ++m_colourUploads;
    }
    // Shrunk for density: a few pixels each, drawn on the CPU (marker_splat.hpp).
    const float scale = m_markerScale;
    if (scale < style.markerScale)
        drawDenseMarkers(doc, *v.layer->mesh, camera, scale);
    else
        drawMarkers(*g, camera, 0, scale);
}

} // namespace orefront::viewer
