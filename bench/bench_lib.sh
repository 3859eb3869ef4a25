# Shared by the bench scripts (source it): a timed run and a generated workload.
# Needs PY (python with numpy and GDAL), SHARED (../shared/bench) and a die() function.

# timed LOG CMD... -> WALL (s), CPU (user + sys, s) and RSS_MB (peak) of one run, from
# /usr/bin/time -v; stdout and stderr to LOG. Returns the command's status.
timed() {
    local log=$1
    shift
    /usr/bin/time -v -o "$log.time" timeout "${MAX_S:-600}" "$@" >"$log" 2>&1
    local rc=$?
    WALL=$(awk -F': ' '/Elapsed \(wall clock\)/{n=split($2,a,":"); s=0; for(i=1;i<=n;i++) s=s*60+a[i]; printf "%.2f", s}' "$log.time")
    RSS_MB=$(awk -F': ' '/Maximum resident set size/{printf "%.0f", $2/1024}' "$log.time")
    CPU=$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.2f", s }' "$log.time")
    [ $rc -ne 0 ] && { echo "  FAILED (exit $rc), see $log:"; tail -5 "$log" | sed 's/^/    /'; } >&2
    return $rc
}

# ensure_workload N V DIR -> the path of DIR/w_N_V.gpkg, generated (gen_workload.py --seed 42) if
# absent.
ensure_workload() {
    local n=$1 v=$2 dir=$3
    local g=$dir/w_${n}_${v}.gpkg
    if [ ! -s "$g" ]; then
        [ -n "$SHARED" ] && [ -f "$SHARED/gen_workload.py" ] || die "../shared/bench/gen_workload.py not found"
        echo "generating $g ..." >&2
        $PY "$SHARED/gen_workload.py" --seed 42 --n "$n" --v "$v" --out "$g.tmp.gpkg" >&2 && mv "$g.tmp.gpkg" "$g" ||
            die "gen_workload.py failed for N=$n V=$v"
        [ -f "$g.tmp.gpkg.manifest.json" ] && mv "$g.tmp.gpkg.manifest.json" "$g.manifest.json"
    fi
    echo "$g"
}

# deposits_toml GPKG -> the scenario's [[layers]] entry for a workload's deposits layer.
deposits_toml() {
    printf '[[layers]]\nid = "deposits"\nrole = "deposits"\nsource = "%s|layername=deposits"\n' "$1"
}
