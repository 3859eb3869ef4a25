#version 330 core
// Hatched polygon fill (the contested grey zone): the vertex stage of fill.vertex.glsl.
// Polygon fill. Positions are Mercator metres relative to the layer origin; u_offset is
// (origin - camera centre), so the float sums stay small near the camera.
layout(location = 0) in vec2 a_pos;
uniform vec2 u_offset;
uniform vec2 u_scale; // clip units per Mercator metre
void main() {
    gl_Position = vec4((a_pos + u_offset) * u_scale, 0.0, 1.0);
}
