#!/usr/bin/env bash
# Orefront benchmark, side by side with PostGIS on the same inputs in the same run (issue 2).
#
# usage: bash bench/run_bench.sh [BUILD_DIR]          (`make bench` calls it with $(BUILD_DIR))
# env:   CASES="N:V ..."   cases, in order (default: 10000:2000 100000:2000 1000000:2000
#                          100000:200000 1000000:200000)
#        POSTGIS=0         skip the PostGIS baseline;  MICRO=0  skip the Google Benchmark run
#        THREADS=N         orefront --threads (default 0 = all cores)
#        BASELINE=DIR      a second build (e.g. ../main/build): per case, its `orefront analyze` and
#                          ours alternate AB_RUNS times each (default 3) on the default configuration,
#                          an A/B in the same minutes on a shared machine (medians in OUT_MD)
#        OREFRONT_BENCH_DATA  workloads (default /tmp/bench_data; missing ones are generated)
#        BENCH_TMP         scratch (default /tmp/orefront_bench); OUT_MD  results file
#                          (default bench/results.md)
#
# Per case: `orefront analyze` end to end on the default configuration (front line + occupied
# polygon, ranges measured from both), GeoPackage in -> GeoPackage out, under /usr/bin/time -v
# (wall, peak RSS; its "time:" line gives load/measure/rules/write); the I/O floor, `ogr2ogr` of
# the deposits layer to a GeoPackage (GDAL reading and writing the same rows, nothing else);
# PostGIS load (ogr2ogr + GiST + ANALYZE) and query (../shared/bench/bl_postgis.sh); then the
# accuracy check against the geodesic reference ../shared/bench/results/ref_v<V>.csv. The
# reference measures ranges from the line only and the distance to the line for every deposit, so
# two more runs feed the check: the reference's configuration (`range_from = false` on the
# occupied polygon) for `occupied` and the verdict, and a front-line-only run for distances and
# rings (our front_distance_km is 0 inside occupied territory). The GeoPackage is read once
# before each tool so that all start warm.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD_DIR=${1:-build}
case $BUILD_DIR in /*) ;; *) BUILD_DIR=$ROOT/$BUILD_DIR ;; esac
SHARED=${SHARED_BENCH:-$(cd "$ROOT/../shared/bench" 2>/dev/null && pwd)}
PY=/usr/bin/python3 # Debian's python (python3-numpy, python3-gdal), not a pyenv one
DATA=${OREFRONT_BENCH_DATA:-/tmp/bench_data}
WORK=${BENCH_TMP:-/tmp/orefront_bench}
OUT_MD=${OUT_MD:-$ROOT/bench/results.md}
CASES=${CASES:-"10000:2000 100000:2000 1000000:2000 100000:200000 1000000:200000"}
POSTGIS=${POSTGIS:-1}
MICRO=${MICRO:-1}
THREADS=${THREADS:-0}
MAX_S=${MAX_S:-600} # per command
BASELINE=${BASELINE:-}
AB_RUNS=${AB_RUNS:-3}
export PGBENCH_PORT=${PGBENCH_PORT:-54329} PGBENCH_DIR=${PGBENCH_DIR:-$WORK/pg}

ORE=$BUILD_DIR/orefront
die() { echo "run_bench: $*" >&2; exit 1; }
[ -x "$ORE" ] || die "$ORE not found: build first (make build, or make bench)"
[ -n "$SHARED" ] && [ -f "$SHARED/gen_workload.py" ] || die "../shared/bench not found (set SHARED_BENCH)"

# --- packages -------------------------------------------------------------------------------------
mapfile -t wanted < <(grep -v -E '^\s*(#|$)' "$ROOT/.ci/bench-packages.txt")
missing=()
for p in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "run_bench: installing Debian packages: ${missing[*]}"
    sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y --no-install-recommends \
        "${missing[@]}" >/dev/null || die "could not install ${missing[*]}"
fi

mkdir -p "$DATA" "$WORK"
ROWS=$WORK/rows.tsv
: > "$ROWS"
AB=$WORK/ab.tsv
: > "$AB"
rm -f "$WORK/classify.json"
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
T_START=$(date +%s)
DATE=$(date -u +%Y-%m-%dT%H:%MZ)

# timed() and ensure_workload(): bench/bench_lib.sh, shared with the other bench scripts.
. "$ROOT/bench/bench_lib.sh"

# --- workloads ------------------------------------------------------------------------------------
for c in $CASES; do
    ensure_workload "${c%:*}" "${c#*:}" "$DATA" > /dev/null || exit 1
done

# --- PostGIS cluster --------------------------------------------------------------------------------
PG_STARTED=0
if [ "$POSTGIS" = 1 ]; then
    if "$SHARED/pg_cluster.sh" start; then
        PG_STARTED=1
        trap '"$SHARED/pg_cluster.sh" stop' EXIT
        PG_VERSION=$(psql -h 127.0.0.1 -p "$PGBENCH_PORT" -U postgres -Atc \
            "SELECT split_part(version(), ' ', 2) || ', PostGIS ' || postgis_lib_version()" bench)
    else
        echo "run_bench: PostgreSQL did not start; continuing without the PostGIS baseline"
        POSTGIS=0
    fi
fi

# --- micro-benchmark of the classification (Google Benchmark) -------------------------------------
MICRO_BIN=$BUILD_DIR/bench/orefront_classify_bench
if [ "$MICRO" = 1 ] && [ -x "$MICRO_BIN" ]; then
    echo "== classification micro-benchmark ($MICRO_BIN)"
    filter="|PolygonEdges"
    for c in $CASES; do filter="$filter|/${c%:*}/${c#*:}/|HostileIndex/${c#*:}\$|RulesEvaluate/${c%:*}\$|WriteReport/.*/${c%:*}/|LoadDeposits/.*/${c%:*}/"; done
    OREFRONT_BENCH_DATA=$DATA timeout "$MAX_S" "$MICRO_BIN" --benchmark_filter="${filter#|}" \
        --benchmark_out="$WORK/classify.json" --benchmark_out_format=json 2>&1 | grep -v '^\*\*\*WARNING' \
        || echo "  micro-benchmark failed"
elif [ "$MICRO" = 1 ]; then
    echo "== no $MICRO_BIN (libbenchmark-dev missing?): micro-benchmark skipped"
fi

# --- cases ----------------------------------------------------------------------------------------
for c in $CASES; do
    n=${c%:*}; v=${c#*:}; g=$DATA/w_${n}_${v}.gpkg; k=${n}_${v}
    echo "== N=$n V=$v ($g)"
    scen=$WORK/scen_$k.toml
    scenario() { # $1: extra line for the occupied layer
        cat <<EOF
name = "bench n=$n v=$v"
$(deposits_toml "$g")
[[layers]]
id = "occupied"
role = "hostile"
source = "$g|layername=occupied"
$1
[[layers]]
id = "front"
role = "front"
source = "$g|layername=frontline"
EOF
    }
    scenario "" > "$scen" # the default: ranges from the occupied zone's boundary too
    refscen=$WORK/refscen_$k.toml
    scenario "range_from = false     # as the reference: ranges from the front line only" > "$refscen"
    out=$WORK/out_$k.gpkg; rm -f "$out"
    cat "$g" > /dev/null
    ana_wall=""; ana_mb=""; ana_cpu=""; t_load=""; t_meas=""; t_rules=""; t_write=""
    if timed "$WORK/analyze_$k.log" "$ORE" analyze "$scen" -o "$out" --threads "$THREADS"; then
        ana_wall=$WALL; ana_mb=$RSS_MB; ana_cpu=$CPU
        read -r t_load t_meas t_rules t_write < <(sed -n 's/^time: load \(.*\) s, measure \(.*\) s, rules \(.*\) s, write \(.*\) s$/\1 \2 \3 \4/p' "$WORK/analyze_$k.log")
        echo "  orefront analyze (default configuration): ${ana_wall} s (CPU ${ana_cpu} s), ${ana_mb} MB (load $t_load, measure $t_meas, rules $t_rules, write $t_write s)"
    fi
    rm -f "$out"

    # A/B against BASELINE: the two builds alternate, each run's wall and stages kept.
    if [ -n "$BASELINE" ] && [ -x "$BASELINE/orefront" ]; then
        for r in $(seq 1 "$AB_RUNS"); do
            for side in ours baseline; do
                bin=$ORE; [ $side = baseline ] && bin=$BASELINE/orefront
                rm -f "$out"
                if timed "$WORK/ab_$k.log" "$bin" analyze "$scen" -o "$out" --threads "$THREADS"; then
                    stages=$(sed -n 's/^time: load \(.*\) s, measure \(.*\) s, rules \(.*\) s, write \(.*\) s$/\1\t\2\t\3\t\4/p' "$WORK/ab_$k.log")
                    printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$v" "$side" "$WALL" "$CPU" "$RSS_MB" "$stages" >> "$AB"
                    echo "  A/B $side run $r: ${WALL} s (CPU ${CPU} s), ${RSS_MB} MB ($(echo "$stages" | tr '\t' ' '))"
                fi
            done
        done
        rm -f "$out"
    fi

    # The I/O floor: GDAL copying the deposits layer GeoPackage -> GeoPackage, nothing else.
    floor=""; floor_cpu=""; fl=$WORK/floor_$k.gpkg; rm -f "$fl"
    cat "$g" > /dev/null
    timed "$WORK/floor_$k.log" ogr2ogr -f GPKG -lco SPATIAL_INDEX=NO "$fl" "$g" deposits && floor=$WALL floor_cpu=$CPU \
        && echo "  ogr2ogr floor (deposits layer, GPKG -> GPKG): ${floor} s (CPU ${floor_cpu} s)"
    # Below OGR: SQLite itself reading every row of the deposits table (the geometry blob and
    # every column), what a reader without OGR's per-feature work would start from.
    if command -v sqlite3 >/dev/null; then
        cols=$(sqlite3 "$g" "SELECT group_concat('sum(length(\"' || name || '\"))', ',') FROM pragma_table_info('deposits')")
        timed "$WORK/scan_$k.log" sqlite3 "$g" "SELECT count(*), $cols FROM deposits" \
            && echo "  SQLite scan of the deposits table (every column): ${WALL} s (CPU ${CPU} s)"
    fi
    rm -f "$fl"

    # The reference's configuration, for `occupied` and the verdict.
    timed "$WORK/refrun_$k.log" "$ORE" analyze "$refscen" -o "$out" --quiet --threads "$THREADS" \
        && echo "  reference-configuration run (accuracy): ${WALL} s"

    # Front-line-only run for the distance check (all N deposits, CSV); its write stage is the
    # CSV report's write time.
    dcsv=$WORK/front_$k.csv; rm -f "$dcsv"; t_csv=""
    timed "$WORK/front_$k.log" "$ORE" analyze --deposits "$g|layername=deposits" --front "$g|layername=frontline" \
        -o "$dcsv" --format csv --no-annotations --threads "$THREADS" && echo "  front-only run (accuracy): ${WALL} s" \
        && t_csv=$(sed -n 's/^time: .*, write \(.*\) s$/\1/p' "$WORK/front_$k.log") \
        && echo "  CSV report of $n deposits written in ${t_csv} s"

    pg_load=""; pg_load_mb=""; pg_query=""; pg_query_mb=""; pgcsv=""
    if [ "$POSTGIS" = 1 ]; then
        cat "$g" > /dev/null
        rm -f "$WORK/srv.kb"
        if timed "$WORK/pg_load_$k.log" bash -c "$PY '$SHARED/pgmem.py' '$PGBENCH_DIR/data/postmaster.pid' '$WORK/srv.kb' & P=\$!; '$SHARED/bl_postgis.sh' load '$g' '$WORK/pg_load_$k.json'; rc=\$?; kill \$P; wait \$P; exit \$rc"; then
            pg_load=$WALL
            skb=$(cat "$WORK/srv.kb" 2>/dev/null || echo 0)
            pg_load_mb=$(( RSS_MB > skb / 1024 ? RSS_MB : skb / 1024 ))
            pgcsv=$WORK/postgis_$k.csv; rm -f "$pgcsv"
            if timed "$WORK/pg_query_$k.log" "$SHARED/bl_postgis.sh" query "$pgcsv" "$WORK/pg_query_$k.json"; then
                pg_query=$WALL
                skb=$(cat "$WORK/pg_query_$k.json.backend_kb" 2>/dev/null || echo 0)
                pg_query_mb=$(( RSS_MB > skb / 1024 ? RSS_MB : skb / 1024 ))
            else
                pgcsv=""
            fi
        fi
        echo "  PostGIS: load ${pg_load:-FAILED} s (${pg_load_mb:-?} MB), query ${pg_query:-FAILED} s (${pg_query_mb:-?} MB)"
    fi

    ref=$SHARED/results/ref_v$v.csv
    acc=$($PY - "$ref" "$dcsv" "$out" "${pgcsv:-}" <<'PYEOF'
# Accuracy vs the geodesic reference (its rows: ids 1..2000 + ids <= 10000 within 100 km, present in
# every N) and, over all N rows, vs PostGIS. Prints one tab-separated line of figures.
import csv, math, os, sys
from osgeo import ogr
ogr.UseExceptions()
ref_p, dcsv, out_gpkg, pgcsv = sys.argv[1:5]
ref = {}
with open(ref_p) as fh:
    for r in csv.DictReader(fh):
        ref[int(r["id"])] = r
maxid = max(ref)

def ring_str(x):
    return "none" if x in ("", None) else str(int(float(x)))

# distances and rings: front-line-only run
ours = {}
if os.path.exists(dcsv):
    with open(dcsv) as fh:
        for r in csv.DictReader(fh):
            ours[int(r["id"])] = r
max_abs = max_rel = 0.0; over = ring_bad = missing = 0
for i, r in ref.items():
    o = ours.get(i)
    if o is None:
        missing += 1; continue
    d_ref = float(r["dist_km"]) * 1000.0
    d = float(o["front_distance_km"]) * 1000.0
    e = abs(d - d_ref)
    max_abs = max(max_abs, e)
    if d_ref >= 1000.0:
        max_rel = max(max_rel, e / d_ref)
    tol = max(50.0, 1e-3 * d_ref) if d_ref <= 2.0e6 else 1e-2 * d_ref
    over += e > tol
    ring_bad += ring_str(o["ring_km"]) != r["ring"]

# occupied and verdict: the end-to-end report. The reference's rule is NOT_INVESTABLE if occupied,
# within 40 km or grade < 2 %; ours says so by reason codes (within the standoff the code is the
# ring's: within_range_20km / within_range_40km).
occ_bad = verd_bad = 0
blocking = {"occupied", "within_range_20km", "within_range_40km", "grade_below_cutoff"}
if os.path.exists(out_gpkg):
    ds = ogr.Open(out_gpkg)
    lyr = ds.GetLayer(0)
    lyr.SetAttributeFilter("id <= %d" % maxid)
    seen = 0
    for f in lyr:
        i = f.GetField("id")
        r = ref.get(i)
        if r is None:
            continue
        seen += 1
        occ_bad += int(bool(f.GetField("occupied"))) != int(r["occupied"])
        reasons = f.GetField("reasons")
        if not isinstance(reasons, list):  # GPKG has no list type: OGR writes "(3:a,b,c)"
            reasons = str(reasons or "")
            if reasons.startswith("(") and ":" in reasons:
                reasons = reasons[reasons.index(":") + 1:].rstrip(")")
            reasons = reasons.strip("[]").replace('"', "").split(",")
        reasons = set(x.strip() for x in reasons)
        verdict = "NOT_INVESTABLE" if reasons & blocking else "INVESTABLE"
        verd_bad += verdict != r["verdict"]
    missing += len(ref) - seen
else:
    occ_bad = verd_bad = -1

# all N rows vs PostGIS (distance to the line and ring; PostGIS has its own ~150 m error)
pg_ring = pg_max = ""  # pg_max: "max |ours - PostGIS| / max (ours - PostGIS)", m
if pgcsv and os.path.exists(pgcsv) and ours:
    pr = pm = 0; pmax = 0.0; pover = -1e300
    with open(pgcsv) as fh:
        for r in csv.DictReader(fh):
            o = ours.get(int(r["id"]))
            if o is None:
                pm += 1; continue
            diff = (float(o["front_distance_km"]) - float(r["dist_km"])) * 1000.0
            pmax = max(pmax, abs(diff))
            pover = max(pover, diff)
            pr += ring_str(o["ring_km"]) != r["ring"]
    pg_ring, pg_max = str(pr + pm), "%.1f / %+.1f" % (pmax, pover)
print("\t".join([str(len(ref)), "%.2f" % max_abs, "%.2e" % max_rel, str(over), str(ring_bad), str(occ_bad),
                 str(verd_bad), str(missing), pg_max, pg_ring]))
PYEOF
)
    [ -z "$acc" ] && acc=$(printf '\t\t\t\t\t\t\t\t\t')
    IFS=$'\t' read -r a_rows a_abs a_rel a_over a_ring a_occ a_verd a_miss a_pgmax a_pgring <<< "$acc"
    echo "  accuracy: ${a_rows} reference rows, max abs err ${a_abs} m, max rel ${a_rel}, over tolerance ${a_over}, ring/occupied/verdict mismatches ${a_ring}/${a_occ}/${a_verd}, missing ${a_miss}; vs PostGIS (all rows): max |diff| ${a_pgmax} m, ring diffs ${a_pgring}"
    printf '%s\n' "$n	$v	$ana_wall	$ana_mb	$t_load	$t_meas	$t_rules	$t_write	$pg_load	$pg_load_mb	$pg_query	$pg_query_mb	$acc	$floor	$ana_cpu	$floor_cpu	$t_csv" >> "$ROWS"
    rm -f "$dcsv" "$pgcsv" "$out"
done
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)
TOTAL_S=$(( $(date +%s) - T_START ))

# --- results.md -----------------------------------------------------------------------------------
CPU=$(awk -F': ' '/model name/{print $2; exit}' /proc/cpuinfo)
MEM=$(awk '/MemTotal/{printf "%.0f GiB", $2/1048576}' /proc/meminfo)
REV=$(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null)$(git -C "$ROOT" diff --quiet HEAD 2>/dev/null || echo "+changes")
export CPU MEM REV LOAD_START LOAD_END TOTAL_S THREADS
export NPROC=$(nproc) KERNEL=$(uname -r) GDALV=$(gdal-config --version 2>/dev/null || ogrinfo --version | cut -d' ' -f2 | tr -d ,)
# The baseline named by its commit (from its CMake cache), not by where it sits on this machine.
BASELINE_REV=""
if [ -n "$BASELINE" ]; then
    src=$(sed -n 's/^CMAKE_HOME_DIRECTORY:INTERNAL=//p' "$BASELINE/CMakeCache.txt" 2>/dev/null)
    BASELINE_REV=$(git -C "${src:-/nonexistent}" rev-parse --short HEAD 2>/dev/null || echo "another build")
fi
export PGV=${PG_VERSION:-not run} CASES_RUN="$CASES" DATE BASELINE_REV
$PY - "$ROWS" "$WORK/classify.json" "$OUT_MD" "$AB" <<'PYEOF'
import json, os, sys
rows_p, micro_p, out_p, ab_p = sys.argv[1:5]
E = os.environ
def num(s):
    try: return float(s)
    except (TypeError, ValueError): return None
def fmt(x, d=2):
    return "–" if x is None else ("%.*f" % (d, x))
def label(n, v):
    k = lambda x: ("%dM" % (x // 1000000)) if x >= 1000000 else ("%dk" % (x // 1000))
    return "%s / %s" % (k(n), k(v))
L = []
L.append("# Orefront benchmark: `orefront analyze` vs PostGIS, same inputs, same run\n")
L.append("Machine: %s, `nproc` = %s, %s RAM, Linux %s; GDAL %s; PostgreSQL %s. Orefront %s, `--threads %s` (0 = all cores)."
         % (E["CPU"], E["NPROC"], E["MEM"], E["KERNEL"], E["GDALV"], E["PGV"], E["REV"], E["THREADS"]))
L.append("Run started %s, %s s in all; load average (1/5/15 min) %s at the start, %s at the end."
         % (E["DATE"], E["TOTAL_S"], E["LOAD_START"], E["LOAD_END"]))
L.append("")
L.append("Workloads: `../shared/bench/gen_workload.py --seed 42` (N deposits, front line of V vertices, occupied polygon), "
         "GeoPackage in, GeoPackage out, the default configuration (ranges from the front line and from the occupied "
         "zone's boundary). ogr2ogr floor: `ogr2ogr -f GPKG -lco SPATIAL_INDEX=NO` of the deposits layer, the GDAL "
         "read and write of the same rows and nothing else. PostGIS: `../shared/bench/bl_postgis.sh` (ogr2ogr + GiST + ANALYZE; "
         "`ST_Intersects` + `ST_Distance(geography)`, one core, as in ../shared/bench/README.md). Peak memory: "
         "/usr/bin/time -v max RSS; for PostGIS the larger of the client and the backend's VmHWM (includes shared buffers). "
         "CPU s: user + sys of `orefront analyze` (both cores; PostGIS's server CPU is not visible to time -v, so its "
         "figures are wall only). CSV write s: the write stage of the front-line-only run's CSV report of all N deposits.")
L.append("")
L.append("| case (N / V) | orefront analyze wall s | CPU s | peak MB | load s | classify (measure) s | rules s | write s "
         "| CSV write s | ogr2ogr floor s (CPU s) | analyze / floor, wall (CPU) "
         "| PostGIS load s | PostGIS query s | PostGIS peak MB | ratio (PG load+query) / analyze | max error vs reference |")
L.append("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
acc = []
for line in open(rows_p):
    f = line.rstrip("\n").split("\t")
    f += [""] * (26 - len(f))
    fl, acpu, flcpu, tcsv = num(f[22]), num(f[23]), num(f[24]), num(f[25])
    n, v = int(f[0]), int(f[1])
    aw, amb, tl, tm, tr, tw, pl, plmb, pq, pqmb = map(num, f[2:12])
    ratio = (pl + pq) / aw if None not in (pl, pq, aw) and aw > 0 else None
    pmb = max([x for x in (plmb, pqmb) if x is not None], default=None)
    err = "–" if num(f[13]) is None else "%s m (rel %s)" % (f[13], f[14])
    L.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s (%s) | %s | %s | %s | %s | %s | %s |" % (
        label(n, v), fmt(aw), fmt(acpu), fmt(amb, 0), fmt(tl), fmt(tm), fmt(tr), fmt(tw), fmt(tcsv), fmt(fl), fmt(flcpu),
        ("–" if None in (fl, aw) or not fl else "%.1fx" % (aw / fl))
        + ("" if None in (flcpu, acpu) or not flcpu else " (%.1fx)" % (acpu / flcpu)), fmt(pl), fmt(pq), fmt(pmb, 0),
        "–" if ratio is None else "%.1fx" % ratio, err))
    acc.append((label(n, v), f[12:22]))
L.append("")
L.append("Accuracy against the geodesic reference `../shared/bench/results/ref_v<V>.csv` (Karney, geodesic edges; "
         "ids 1..2000 + ids ≤ 10000 within 100 km). Distances and rings from a front-line-only run "
         "(`orefront analyze --deposits F|layername=deposits --front F|layername=frontline`), because the "
         "end-to-end report has front_distance_km = 0 inside occupied territory; `occupied` and the verdict from "
         "a run in the reference's configuration (`range_from = false` on the occupied polygon; NOT_INVESTABLE ⇔ reason occupied, within_range_20km/40km or grade_below_cutoff). "
         "Tolerance: 0.1 % or 50 m, whichever is larger (1 % beyond 2,000 km). Reports carry distances to 1 m "
         "(3 decimals in km), so up to 0.5 m of the error is rounding. Against PostGIS every row is compared; a "
         "max (ours − PG) near 0 means PostGIS never found a shorter distance than ours: where the two differ, "
         "PostGIS ranked on a sphere and picked a farther part of the line (../shared/bench/README.md, finding 1).")
L.append("")
L.append("| case | reference rows | max abs err m | max rel err | rows over tolerance | ring mismatches | occupied mismatches "
         "| verdict mismatches | rows missing | all N rows vs PostGIS: max \\|ours − PG\\| / max (ours − PG), m | ring differences |")
L.append("|---|---|---|---|---|---|---|---|---|---|---|")
for lab, a in acc:
    L.append("| %s | %s |" % (lab, " | ".join(x if x else "–" for x in a)))
ab = [l.rstrip("\n").split("\t") for l in open(ab_p) if l.strip()] if os.path.exists(ab_p) else []
if ab:
    import statistics
    L.append("")
    L.append("A/B against the baseline build (%s) on the default configuration: the two `orefront analyze` binaries "
             "alternate in the same minutes (ours, baseline, ours, ...); medians of each column over the runs "
             "(the stages from each run's `time:` line)." % E.get("BASELINE_REV", ""))
    L.append("")
    L.append("| case (N / V) | build | runs | wall s | CPU s | peak MB | load s | measure s | rules s | write s |")
    L.append("|---|---|---|---|---|---|---|---|---|---|")
    for key in sorted({(int(r[0]), int(r[1])) for r in ab}):
        for side in ("ours", "baseline"):
            rs = [r for r in ab if (int(r[0]), int(r[1])) == key and r[2] == side]
            if not rs:
                continue
            med = lambda i: statistics.median(num(r[i]) for r in rs if num(r[i]) is not None) if any(num(r[i]) is not None for r in rs) else None
            L.append("| %s | %s | %d | %s | %s | %s | %s | %s | %s | %s |" % (
                label(*key), side, len(rs), fmt(med(3)), fmt(med(4)), fmt(med(5), 0), fmt(med(6)), fmt(med(7)),
                fmt(med(8)), fmt(med(9))))
if os.path.exists(micro_p):
    L.append("")
    L.append("Classification alone, `%s/bench/orefront_classify_bench` (Google Benchmark; layers loaded once outside the "
             "timings; Measure = `analysis::measure`, index construction included; real time, "
             "threads:0 = all cores):" % "BUILD_DIR")
    L.append("")
    L.append("| benchmark | real ms | CPU ms | iterations | peak RSS MB (process) |")
    L.append("|---|---|---|---|---|")
    for b in json.load(open(micro_p)).get("benchmarks", []):
        L.append("| %s | %.1f | %.1f | %d | %.0f |" % (b["name"].replace("/process_time/real_time", ""),
                 b["real_time"], b["cpu_time"], b["iterations"], b.get("peak_rss_MB", 0)))
L.append("")
L.append("Reproduce: `make bench` (or `bash bench/run_bench.sh build`; `CASES=\"%s\"` by default, "
         "`POSTGIS=0` / `MICRO=0` to skip parts). Timings on 2 shared cores vary by about ±20 %% run to run; "
         "compare figures from one run only." % E["CASES_RUN"])
open(out_p, "w").write("\n".join(L) + "\n")
print("wrote", out_p)
PYEOF
cat "$OUT_MD"
