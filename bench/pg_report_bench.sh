#!/usr/bin/env bash
# Issue 12: 1M report rows into PostGIS, `orefront analyze -o PG:...` against ogr2ogr of the same
# rows, in the same run, on a throw-away cluster (tests/pg/pg_test_cluster.sh); then the team
# store: viewers on one store and the NOTIFY rate (orefront_team_store_bench).
#
# usage: bash bench/pg_report_bench.sh [BUILD_DIR]
# env:   OREFRONT_BENCH_DATA  workloads (default /tmp/bench_data; w_1000000_2000.gpkg is generated
#                             with ../shared/bench/gen_workload.py when missing)
#        BENCH_TMP            scratch (default /tmp/orefront_pg_bench)   VIEWERS="10 50 150"
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD_DIR=${1:-build}
case $BUILD_DIR in /*) ;; *) BUILD_DIR=$ROOT/$BUILD_DIR ;; esac
DATA=${OREFRONT_BENCH_DATA:-/tmp/bench_data}
WORK=${BENCH_TMP:-/tmp/orefront_pg_bench}
VIEWERS=${VIEWERS:-"10 50 150"}
ORE=$BUILD_DIR/orefront
W=$DATA/w_1000000_2000.gpkg
[ -x "$ORE" ] || { echo "build $ORE first" >&2; exit 1; }
if [ ! -s "$W" ]; then
    mkdir -p "$DATA"
    /usr/bin/python3 "$ROOT/../shared/bench/gen_workload.py" --seed 42 --n 1000000 --v 2000 --out "$W.tmp.gpkg"
    mv "$W.tmp.gpkg" "$W"
fi
mkdir -p "$WORK"
CLUSTER=$WORK/cluster
trap 'bash "$ROOT/tests/pg/pg_test_cluster.sh" stop "$CLUSTER"' EXIT
bash "$ROOT/tests/pg/pg_test_cluster.sh" start "$CLUSTER"
[ -f "$CLUSTER/skip" ] && exit 1
PG="PG:$(cat "$CLUSTER/conninfo")"
echo "load average at the start: $(cut -d' ' -f1-3 /proc/loadavg)"

layers=(--deposits "$W|layername=deposits" --hostile "$W|layername=occupied" --front "$W|layername=frontline")
now() { date +%s.%N; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

# The rows once as a GeoPackage, for ogr2ogr to load.
"$ORE" analyze "${layers[@]}" -q -o "$WORK/report.gpkg"
# Three rounds, alternating, so both see the same machine. The write phase is analyze's own
# "time: ... write X s" (connect, COPY, GiST index, swap, commit); ogr2ogr's is its wall time
# (read the GeoPackage, connect, COPY, GiST index).
for round in 1 2 3; do
    t0=$(now)
    out=$("$ORE" analyze "${layers[@]}" -o "$PG" --layer report_orefront)
    s_ore=$(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }')
    s_write=$(echo "$out" | sed -n 's/.*write \([0-9.]*\) s.*/\1/p')
    t0=$(now)
    ogr2ogr -f PostgreSQL "$PG" "$WORK/report.gpkg" deposits -nln report_ogr2ogr -overwrite \
        -lco GEOMETRY_NAME=geom -lco FID=fid
    s_ogr=$(awk -v a="$t0" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }')
    rows=$(psql "$(cat "$CLUSTER/conninfo")" -Atc \
        "SELECT (SELECT count(*) FROM report_orefront) || ' / ' || (SELECT count(*) FROM report_ogr2ogr)")
    echo "round $round: orefront write phase $s_write s (whole analyze ${s_ore} s), $(ratio 1000000 "$s_write" | cut -d. -f1) rows/s;" \
        "ogr2ogr of the same rows $s_ogr s; rows $rows; write/ogr2ogr $(ratio "$s_write" "$s_ogr")"
done

for v in $VIEWERS; do
    "$BUILD_DIR/bench/orefront_team_store_bench" "$PG" "$v" 200
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
