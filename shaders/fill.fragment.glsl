#version 330 core
uniform vec4 u_color;
// > 0: hatching, diagonal stripes 2 px wide this many pixels apart (the contested grey zone);
// in screen pixels, so it reads the same at every zoom, and anchored to the map.
uniform float u_hatch;
uniform float u_hatchPhase; // anchors the stripes to the map (MapRenderer::drawFill)
out vec4 o_color;
void main() {
    if (u_hatch > 0.0 && mod(gl_FragCoord.x + gl_FragCoord.y + u_hatchPhase, u_hatch) >= 2.0)
        discard;
    o_color = u_color;
}
