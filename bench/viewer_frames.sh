#!/usr/bin/env bash
# Viewer frame times (issue 3): `orefront view --bench-frames` under Xvfb on Mesa's llvmpipe at
# 1280x800, on the bundled scenario and on 100k deposits with a 200k-vertex hostile boundary.
#
# usage: bash bench/viewer_frames.sh [BUILD_DIR]
# env:   FRAMES=N             frames per run (default 300)
#        VIEWER_BENCH_DATA    workload and its scenario (default /tmp/ofbench; generated if missing)
#        SHARED_BENCH         ../shared/bench (gen_workload.py)
#        SCRIPTS              which scripts (default "hover redraw zoom rules")
#        OREFRONT_PRESENT=swap paint and swap whole frames (the viewer's way before the UI
#                             compositor; default on llvmpipe: repaint what changed and put
#                             only that into the window, render/window_present.hpp)
#        PASSES=1             also time each drawing pass (OREFRONT_PASS_PROFILE=1: a glFinish
#                             around each, so frames run slower; read the shares) and print
#                             the medians under the tables
#
# Four scripts per scenario (app/viewer/frame_bench.hpp):
#   hover  - the cursor sweeps the map: picking, tooltips, status bar; the map image is drawn once
#            and then shown as it is (what an analyst reading the map costs)
#   redraw - the view pans a pixel a frame (dragging): every frame draws the map again, as
#            the last image moved and the uncovered strip (MapRenderer::drawPanned); a zoom
#            or a rule change still draws it whole
#   zoom   - the view zooms 0.2 % in or out a frame: every frame draws the whole map from scratch
#            (the full redraw: nothing of the last image is kept)
#   rules  - hover, plus the grade cut-off changed 4 times and the outer ring distance 3 times:
#            time from the edit to the end of the first frame that shows it, and the longest frame
#            meanwhile
# Prints a markdown table; the machine's load (from /proc/loadavg) is printed before and after,
# since frame times on a shared 2-core machine move with it.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD_DIR=${1:-build}
case $BUILD_DIR in /*) ;; *) BUILD_DIR=$ROOT/$BUILD_DIR ;; esac
BIN=$BUILD_DIR/orefront
SHARED=${SHARED_BENCH:-$(cd "$ROOT/../shared/bench" 2>/dev/null && pwd)}
PY=/usr/bin/python3 # Debian's python (python3-numpy, python3-gdal)
DATA=${VIEWER_BENCH_DATA:-/tmp/ofbench}
FRAMES=${FRAMES:-300}
N=100000
V=200000

die() {
    echo "viewer_frames.sh: $*" >&2
    exit 1
}
[ -x "$BIN" ] || die "$BIN not built (cmake --build $BUILD_DIR)"
command -v xvfb-run >/dev/null || die "xvfb-run not installed (package xvfb)"
mkdir -p "$DATA"

GPKG=$DATA/w_${N}_${V}.gpkg
if [ ! -s "$GPKG" ]; then
    [ -n "$SHARED" ] && [ -f "$SHARED/gen_workload.py" ] || die "../shared/bench not found (set SHARED_BENCH)"
    echo "generating $GPKG ..." >&2
    $PY "$SHARED/gen_workload.py" --seed 42 --n $N --v $V --out "$GPKG.tmp.gpkg" && mv "$GPKG.tmp.gpkg" "$GPKG" ||
        die "gen_workload.py failed"
fi
# The workload's scenario: deposits, the occupied area (hostile, 200k-vertex boundary) and the front
# line, with jurisdictions for every country code gen_workload.py writes.
TOML=$DATA/w_${N}_${V}.toml
cat >"$TOML" <<EOF
name = "Synthetic workload: ${N} deposits, ${V}-vertex hostile boundary (gen_workload.py --seed 42)"
date = "2025-08-01"

[thresholds]
grade_cutoff_pct = 2.0
standoff_km = 40
rings_km = [20, 40, 80]

[[layers]]
id = "deposits"
role = "deposits"
source = "$(basename "$GPKG")|layername=deposits"
name_field = "name"
country_field = "country"
grade_field = "grade_treo_pct"
tonnage_field = "tonnage_mt"

[[layers]]
id = "occupied"
role = "hostile"
source = "$(basename "$GPKG")|layername=occupied"

[[layers]]
id = "front"
role = "front"
source = "$(basename "$GPKG")|layername=frontline"

[[jurisdictions]]
code = "UA"
name = "Ukraine"
grid = "damaged"

[[jurisdictions]]
code = "RU"
name = "Russian Federation"
sanctioned = true
property_rights_risk = true
processing_access = true

[[jurisdictions]]
code = "BY"
name = "Belarus"
sanctioned = true
property_rights_risk = true

[[jurisdictions]]
code = "PL"
name = "Poland"
processing_access = true

[[jurisdictions]]
code = "RO"
name = "Romania"
processing_access = true

[[jurisdictions]]
code = "MD"
name = "Moldova"

[[jurisdictions]]
code = "HU"
name = "Hungary"
processing_access = true

[[jurisdictions]]
code = "SK"
name = "Slovakia"
processing_access = true
EOF

FRAME_ROWS=()
EDIT_ROWS=()
PASS_ROWS=()
BREAKDOWN=()
RENDERER=""
# run LABEL SCENARIO SCRIPT [ARGS...]
run() {
    local label=$1 scenario=$2 script=$3
    shift 3
    local out
    out=$(OREFRONT_PASS_PROFILE=${PASSES:-0} LIBGL_ALWAYS_SOFTWARE=1 GALLIUM_DRIVER=llvmpipe xvfb-run -a -s "-screen 0 1920x1200x24" \
        "$BIN" view $scenario --bench-frames "$FRAMES" "$@" 2>&1)
    local line
    line=$(grep -E '^orefront view: [0-9]+ frames' <<<"$out")
    if [ -z "$line" ]; then
        echo "$out" | tail -5 >&2
        FRAME_ROWS+=("| $label | $script | failed | | | | | |")
        return
    fi
    RENDERER=$(sed -E 's/.* on (.*): median.*/\1/' <<<"$line")
    local frames draws median p95 max
    frames=$(sed -E 's/^orefront view: ([0-9]+) frames.*/\1/' <<<"$line")
    draws=$(sed -E 's/.*map drawn ([0-9]+) times.*/\1/' <<<"$line")
    median=$(sed -E 's/.*median ([0-9.]+) ms.*/\1/' <<<"$line")
    p95=$(sed -E 's/.*p95 ([0-9.]+) ms.*/\1/' <<<"$line")
    max=$(sed -E 's/.*max ([0-9.]+) ms$/\1/' <<<"$line")
    local repainted
    repainted=$(sed -n -E 's/.*UI repainted where it changed: median ([0-9.]+) %.*/\1/p' <<<"$out")
    FRAME_ROWS+=("| $label | $script | $frames | $draws | $median | $p95 | $max | ${repainted:-100 (swap)} |")
    while IFS= read -r pass; do
        # orefront view: pass map: fills   median   12.30 ms over 200 (CPU 9.10 ms)
        PASS_ROWS+=("| $label | $script | $(sed -E 's/^orefront view: pass (.*[^ ]) +median +([0-9.]+) ms over [0-9]+( \(CPU ([0-9.]+) ms\))?.*/\1 | \2 | \4/' <<<"$pass") |")
    done < <(grep -E '^orefront view: pass ' <<<"$out")
    while IFS= read -r edit; do
        # orefront view: grade cut-off changed 4 times: on screen after median 96.4 ms, max 113.1 ms;
        # longest frame meanwhile 80.3 ms
        local what n lmed lmax longest
        what=$(sed -E 's/^orefront view: (.*) changed.*/\1/' <<<"$edit")
        n=$(sed -E 's/.*changed ([0-9]+) times.*/\1/' <<<"$edit")
        lmed=$(sed -E 's/.*after median ([0-9.]+) ms.*/\1/' <<<"$edit")
        lmax=$(sed -E 's/.*ms, max ([0-9.]+) ms;.*/\1/' <<<"$edit")
        longest=$(sed -E 's/.*meanwhile ([0-9.]+) ms.*/\1/' <<<"$edit")
        EDIT_ROWS+=("| $label | $what | $n | $lmed | $lmax | $longest |")
    done < <(grep -E '^orefront view: .* changed [0-9]+ times' <<<"$out")
    # Where a rule change's time went (FrameBench::print), one line per kind of edit.
    while IFS= read -r line; do
        BREAKDOWN+=("$label: ${line#orefront view: }")
    done < <(grep -E '^orefront view: .*, medians: ' <<<"$out")
    grep -E 'only [0-9]+ of [0-9]+ rule edits' <<<"$out" >&2
}

LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)
for script in ${SCRIPTS:-hover redraw zoom rules}; do
    case $script in
    hover) args=() ;;
    redraw) args=(--bench-redraw) ;;
    zoom) args=(--bench-zoom) ;;
    rules) args=(--bench-rules) ;;
    esac
    run "bundled (35 deposits)" "" $script "${args[@]}"
    run "$N deposits, $V-vertex boundary" "$TOML" $script "${args[@]}"
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

echo "Viewer frame times, $(date -u +%Y-%m-%d), $(nproc) cores, 1280x800 on ${RENDERER:-llvmpipe}"
echo "(load average before: $LOAD_BEFORE; after: $LOAD_AFTER)"
echo
echo "Targets: bundled median < 16 ms; ${N} deposits < 33 ms; a grade cut-off on screen < 100 ms;"
echo "a ring distance on screen < 500 ms with no frame over 50 ms meanwhile."
echo
echo "| scenario | script | frames | map draws | median ms | p95 ms | max ms | UI repainted, median % of window |"
echo "|---|---|---|---|---|---|---|---|"
printf '%s\n' "${FRAME_ROWS[@]}"
echo
echo "| scenario | edit | times | on screen after, median ms | max ms | longest frame meanwhile ms |"
echo "|---|---|---|---|---|---|"
printf '%s\n' "${EDIT_ROWS[@]}"
if [ ${#PASS_ROWS[@]} -gt 0 ]; then
    echo
    echo "Passes (PASSES=1: each between glFinish calls), median ms, and the process's CPU time over"
    echo "the pass (all threads; moves less with the machine's load):"
    echo
    echo "| scenario | script | pass | median ms | CPU ms |"
    echo "|---|---|---|---|---|"
    printf '%s\n' "${PASS_ROWS[@]}"
fi
if [ ${#BREAKDOWN[@]} -gt 0 ]; then
    echo
    printf -- '- %s\n' "${BREAKDOWN[@]}"
fi
