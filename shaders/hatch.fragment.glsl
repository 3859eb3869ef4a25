#version 330 core
// Hatching, diagonal stripes 2 px wide u_hatch pixels apart (the contested grey zone); in
// screen pixels, so it reads the same at every zoom, and anchored to the map. Its own program:
// a shader that may discard makes llvmpipe test the stencil after shading, so the plain fill
// (fill.fragment.glsl) has no discard and its stencil-rejected pixels cost no shading. Its
// vertex stage is fill.vertex.glsl (GlProgram::fromEmbedded("hatch", "fill")).
uniform vec4 u_color;
uniform float u_hatch;
uniform float u_hatchPhase; // anchors the stripes to the map (MapRenderer::drawFill)
out vec4 o_color;
void main() {
    if (mod(gl_FragCoord.x + gl_FragCoord.y + u_hatchPhase, u_hatch) >= 2.0)
        discard;
    o_color = u_color;
}
