#!/usr/bin/env bash
# Installs every Debian package in .ci/debian-packages.txt that is missing, then the
# Natural Earth basemap (npm package world-atlas) into .deps/. Safe to run again.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
mapfile -t wanted < <(grep -v -E '^\s*(#|$)' "$here/.ci/debian-packages.txt")
missing=()
for p in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "orefront: installing Debian packages: ${missing[*]}"
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends "${missing[@]}"
fi
# Basemap: Natural Earth country borders (TopoJSON, read by GDAL). Optional: the viewer
# draws without it and says so.
atlas="$here/.deps/node_modules/world-atlas/countries-50m.json"
if [ ! -f "$atlas" ] && command -v npm >/dev/null 2>&1; then
  mkdir -p "$here/.deps"
  (cd "$here/.deps" && npm install --silent --no-audit --no-fund --prefix . world-atlas@2 >/dev/null 2>&1) \
    || echo "orefront: warning: could not install the world-atlas basemap with npm; maps will have no borders"
fi
exit 0
