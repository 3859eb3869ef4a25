#!/usr/bin/env bash
# `orefront history` of N deposits over the DeepState daily series (33 snapshots), beside a
# per-date loop of `orefront analyze --date D` over the same dates (issue 10).
#
# usage: bash bench/history_bench.sh [BUILD_DIR]
# env:   N=100000     deposits (the deposits layer of ../shared/bench's generated workload)
#        OREFRONT_BENCH_DATA  workloads (default /tmp/bench_data; a missing one is generated)
#        BENCH_TMP    scratch (default /tmp/orefront_history_bench)
#        THREADS=0    orefront --threads;  LOOP=0 skips the analyze loop
# Prints one Markdown table row per run; wall time and peak RSS from /usr/bin/time -v.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD_DIR=${1:-build}
case $BUILD_DIR in /*) ;; *) BUILD_DIR=$ROOT/$BUILD_DIR ;; esac
SHARED=${SHARED_BENCH:-$(cd "$ROOT/../shared/bench" 2>/dev/null && pwd)}
SERIES=${SERIES:-$(cd "$ROOT/../shared/refdata/frontline/deepstate_cyterat_daily" 2>/dev/null && pwd)}
PY=/usr/bin/python3
N=${N:-100000}
DATA=${OREFRONT_BENCH_DATA:-/tmp/bench_data}
WORK=${BENCH_TMP:-/tmp/orefront_history_bench}
THREADS=${THREADS:-0}
LOOP=${LOOP:-1}
ORE=$BUILD_DIR/orefront
die() { echo "history_bench: $*" >&2; exit 1; }
[ -x "$ORE" ] || die "$ORE not found: build first"
[ -n "$SERIES" ] || die "../shared/refdata/frontline/deepstate_cyterat_daily not found (set SERIES)"
mkdir -p "$DATA" "$WORK"

# The workload, its scenario's deposits and timed() as bench/run_bench.sh makes them (bench/bench_lib.sh).
. "$ROOT/bench/bench_lib.sh"
g=$(ensure_workload "$N" 2000 "$DATA") || exit 1
scen=$WORK/history_$N.toml
cat > "$scen" <<TOML
name = "history bench, $N deposits, DeepState daily"
$(deposits_toml "$g")
[[layers]]
id = "occupied"
role = "hostile"
series = "snapshots"
source = "$SERIES/deepstatemap_data_*.geojson"
date_pattern = "deepstatemap_data_%Y%m%d"
TOML

cat "$g" "$SERIES"/*.geojson > /dev/null
rm -f "$WORK"/history.csv "$WORK"/history_summary.csv "$WORK"/areas.csv
timed "$WORK/history.log" "$ORE" history "$scen" -o "$WORK/history.csv" --areas "$WORK/areas.csv" \
    --threads "$THREADS" || die "orefront history failed"
H_WALL=$WALL; H_MB=$RSS_MB; H_CPU=$CPU
DATES=$(tail -n +2 "$WORK/areas.csv" | cut -d, -f1)
NDATES=$(echo "$DATES" | wc -l)
ROWS=$(( $(wc -l < "$WORK/history.csv") - 1 ))
echo "history: ${H_WALL} s wall, ${H_CPU} s CPU, ${H_MB} MB, $NDATES dates, $ROWS rows; load $(cut -d' ' -f1-3 /proc/loadavg)"
grep '^time:' "$WORK/history.log"

L_WALL=""; L_MB=0
if [ "$LOOP" = 1 ]; then
    start=$(date +%s.%N); L_CPU=0
    for d in $DATES; do
        timed "$WORK/analyze_$d.log" "$ORE" analyze "$scen" --date "$d" -o "$WORK/analyze_$d.csv" -q \
            --threads "$THREADS" || die "orefront analyze --date $d failed"
        [ "$RSS_MB" -gt "$L_MB" ] && L_MB=$RSS_MB
        L_CPU=$(echo "$L_CPU + $CPU" | bc)
        rm -f "$WORK/analyze_$d".csv*
    done
    L_WALL=$(echo "$(date +%s.%N) - $start" | bc)
    printf 'analyze loop: %.1f s wall, %.1f s CPU (%d runs), peak %d MB; ratio wall %.1fx, CPU %.1fx\n' \
        "$L_WALL" "$L_CPU" "$NDATES" "$L_MB" "$(echo "$L_WALL / $H_WALL" | bc -l)" "$(echo "$L_CPU / $H_CPU" | bc -l)"
fi
printf '| %d | %d | %s | %s | %d | %s | %s | %s |\n' "$N" "$NDATES" "$H_WALL" "$H_CPU" "$H_MB" "${L_WALL:-n/a}" \
    "${L_CPU:-n/a}" "$( [ -n "$L_WALL" ] && printf '%.1fx' "$(echo "$L_WALL / $H_WALL" | bc -l)" || echo n/a)"
