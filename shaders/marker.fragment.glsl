#version 330 core
// u_shape: 0 disc (deposits), 1 diamond (ports), 2 square (rail, power). A dark rim keeps
// markers readable over any tint.
in vec2 v_px;
in float v_radius;
in vec4 v_color;
uniform int u_shape;
uniform vec4 u_outline;
uniform float u_outlineWidth;
out vec4 o_color;
void main() {
    float d;
    if (u_shape == 1)
        d = (abs(v_px.x) + abs(v_px.y)) * 0.8;
    else if (u_shape == 2)
        d = max(abs(v_px.x), abs(v_px.y));
    else
        d = length(v_px);
    float coverage = clamp(v_radius - d + 0.5, 0.0, 1.0);
    if (coverage <= 0.0)
        discard;
    float rim = smoothstep(v_radius - u_outlineWidth - 0.5, v_radius - u_outlineWidth + 0.5, d);
    vec3 rgb = mix(v_color.rgb, u_outline.rgb, rim * u_outline.a);
    o_color = vec4(rgb, v_color.a * coverage);
}
