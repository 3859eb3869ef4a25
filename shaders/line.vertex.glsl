#version 330 core
// A segment's quad with a width in pixels: each corner is pushed `a_side` half-widths along
// the screen normal and half a width back along the segment (square caps close the joins).
// The CPU twin is expandLineVertex() in app/viewer/render/layer_mesh.cpp.
layout(location = 0) in vec2 a_pos;
layout(location = 1) in vec2 a_other;
layout(location = 2) in float a_side;
uniform vec2 u_offset;
uniform vec2 u_scale;
uniform vec2 u_viewport; // pixels
uniform float u_width;   // pixels
void main() {
    vec2 p = (a_pos + u_offset) * u_scale;
    vec2 q = (a_other + u_offset) * u_scale;
    vec2 d = (q - p) * u_viewport * 0.5;
    float len = length(d);
    vec2 dir = len > 0.0 ? d / len : vec2(1.0, 0.0);
    vec2 n = vec2(-dir.y, dir.x);
    float halfWidth = u_width * 0.5;
    vec2 offsetPx = n * a_side * halfWidth - dir * halfWidth;
    gl_Position = vec4(p + offsetPx * 2.0 / u_viewport, 0.0, 1.0);
}
