#version 330 core
// u_shape: 0 disc (deposits), 1 diamond (ports), 2 square (rail, power). A dark rim keeps
// markers readable over any tint.
in float v_radius;
in float v_extent;
in vec4 v_color;
uniform int u_shape;
uniform vec4 u_outline;
uniform float u_outlineWidth;
out vec4 o_color;
void main() {
    vec2 px = (gl_PointCoord * 2.0 - 1.0) * v_extent; // pixels from the marker's centre
    float d;
    if (u_shape == 1)
        d = (abs(px.x) + abs(px.y)) * 0.8;
    else if (u_shape == 2)
        d = max(abs(px.x), abs(px.y));
    else
        d = length(px);
    float coverage = clamp(v_radius - d + 0.5, 0.0, 1.0);
    if (coverage <= 0.0)
        discard;
    float rim = smoothstep(v_radius - u_outlineWidth - 0.5, v_radius - u_outlineWidth + 0.5, d);
    vec3 rgb = mix(v_color.rgb, u_outline.rgb, rim * u_outline.a);
    o_color = vec4(rgb, v_color.a * coverage);
}
