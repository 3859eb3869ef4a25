#!/usr/bin/env bash
# Time (issue 10): how long a new Timeline date takes to reach the screen, and how long an
# animation takes to render, under Xvfb on Mesa's llvmpipe at 1280x800.
#
# usage: bash bench/timeline_bench.sh [BUILD_DIR]
# env:   CHANGES=N           timed date changes per scenario (default 30)
#        TIMELINE_BENCH_DATA work directory (default: a fresh temporary directory)
#
# Scenarios: the bundled one (when it is dated) and the real DeepState daily series
# (../shared/refdata/frontline/deepstate_cyterat_daily, 33 snapshots) with 10k deposits spread
# uniformly over 22-45E, 44-53N (seed 42). Skipped with a message when the refdata is absent.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD_DIR=${1:-build}
case $BUILD_DIR in /*) ;; *) BUILD_DIR=$ROOT/$BUILD_DIR ;; esac
BIN=$BUILD_DIR/orefront
CHANGES=${CHANGES:-30}
DATA=${TIMELINE_BENCH_DATA:-$(mktemp -d)}
DEEPSTATE=$ROOT/../shared/refdata/frontline/deepstate_cyterat_daily
XVFB=(xvfb-run -a -s "-screen 0 1280x800x24")
echo "load before: $(cut -d' ' -f1-3 /proc/loadavg)"

view_bench() { # SCENARIO LABEL
    echo "## $2"
    "${XVFB[@]}" "$BIN" view "$1" --width 1280 --height 800 --bench-timeline "$CHANGES" | grep '^timeline'
}

if [ -d "$DEEPSTATE" ]; then
    /usr/bin/python3 - "$DATA" <<'PY'
import json, random, sys
random.seed(42)
out = sys.argv[1]
feats = []
for i in range(10000):
    lon, lat = random.uniform(22, 45), random.uniform(44, 53)
    feats.append({"type": "Feature", "properties": {"name": "D%05d" % i,
                  "grade_treo_pct": round(random.lognormvariate(0.4, 0.8), 3)},
                  "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]}})
json.dump({"type": "FeatureCollection", "features": feats}, open(out + "/deposits10k.geojson", "w"))
PY
    cat >"$DATA/deepstate10k.toml" <<TOML
name = "DeepState daily series, 10k deposits"
[[layers]]
id = "deposits"
name = "Deposits (10k, uniform)"
role = "deposits"
source = "deposits10k.geojson"

[[layers]]
id = "occupied"
name = "Occupied (DeepState daily)"
role = "hostile"
series = "snapshots"
source = "$DEEPSTATE/deepstatemap_data_*.geojson"
date_pattern = "deepstatemap_data_%Y%m%d"
TOML
    view_bench "$DATA/deepstate10k.toml" "DeepState daily series, 10k deposits"
    echo "## GIF, DeepState series, weekly, 1280x800"
    /usr/bin/time -f "%e s wall, %M KB peak" "$BIN" render "$DATA/deepstate10k.toml" --step 7d --size 1280x800 \
        -o "$DATA/deepstate_weekly.gif"
else
    echo "skipped: $DEEPSTATE is absent (../shared/refdata)"
fi
if "$BIN" render "$ROOT/geodata/scenario.toml" --step 7d --size 16x16 -o "$DATA/probe.gif" >/dev/null 2>&1; then
    view_bench "$ROOT/geodata/scenario.toml" "bundled scenario"
    echo "## GIF, bundled scenario, 2 years weekly, 1280x800"
    /usr/bin/time -f "%e s wall, %M KB peak" "$BIN" render "$ROOT/geodata/scenario.toml" --from 2023-08-01 \
        --to 2025-08-01 --step 7d --size 1280x800 -o "$DATA/bundled_weekly.gif"
else
    echo "skipped: the bundled scenario has no dated series"
fi
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
