#version 330 core
// Plain polygon fill. No discard (hatching is hatch.fragment.glsl): llvmpipe then tests the
// stencil before shading, which spares the hostile territory under the ring bands.
uniform vec4 u_color;
out vec4 o_color;
void main() {
    o_color = u_color;
}
