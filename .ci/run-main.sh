#!/usr/bin/env bash
# `make run`: the viewer on the bundled scenario, or, with no display, the report and a map.
set -euo pipefail
build=${1:-build}
here=$(cd "$(dirname "$0")/.." && pwd)
bin="$here/$build/orefront"
scenario="$here/geodata/scenario.toml"
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  exec "$bin" view "$scenario"
fi
out="$here/out"
mkdir -p "$out"
"$bin" analyze "$scenario" -o "$out/report.geojson"
"$bin" render "$scenario" -o "$out/map.png"
echo "orefront: no display; wrote the report to $out/report.geojson and the map to $out/map.png"
