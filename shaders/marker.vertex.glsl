#version 330 core
// Markers as point sprites, sized in pixels: one vertex per marker. llvmpipe runs the
// pipeline once per instance, so instanced quads cost 100k pipeline runs for 100k deposits;
// points are one draw. Colours live in their own buffer so that a rule change uploads only
// them. The fragment shader shapes the disc, diamond or square inside the sprite.
layout(location = 1) in vec2 a_center; // relative to the layer origin
layout(location = 2) in float a_size;  // diameter in pixels
layout(location = 3) in vec4 a_color;
uniform vec2 u_offset;
uniform vec2 u_scale;
uniform float u_sizeScale;
out float v_radius;
out float v_extent;
out vec4 v_color;
void main() {
    v_radius = a_size * u_sizeScale * 0.5;
    v_extent = v_radius + 1.0; // room for the antialiased edge
    v_color = a_color;
    gl_PointSize = 2.0 * v_extent;
    gl_Position = vec4((a_center + u_offset) * u_scale, 0.0, 1.0);
}
