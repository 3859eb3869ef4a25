#version 330 core
// Instanced markers: a unit quad per instance, centred on the instance position, sized in
// pixels. Colours live in their own instance buffer so that a rule change uploads only them.
layout(location = 0) in vec2 a_corner; // -1..1
layout(location = 1) in vec2 a_center; // per instance, relative to the layer origin
layout(location = 2) in float a_size;  // per instance, diameter in pixels
layout(location = 3) in vec4 a_color;  // per instance
uniform vec2 u_offset;
uniform vec2 u_scale;
uniform vec2 u_viewport;
uniform float u_sizeScale;
out vec2 v_px;
out float v_radius;
out vec4 v_color;
void main() {
    float radius = a_size * u_sizeScale * 0.5;
    float extent = radius + 1.0; // room for the antialiased edge
    v_px = a_corner * extent;
    v_radius = radius;
    v_color = a_color;
    vec2 c = (a_center + u_offset) * u_scale;
    gl_Position = vec4(c + v_px * 2.0 / u_viewport, 0.0, 1.0);
}
