#!/usr/bin/env bash
# run.sh — the benchmarks behind `make bench`: generate a large return set (deterministic by
# seed), then time each program against a bare libcsv parse of the same bytes, in one run.
#
#   DUCHA_BIN=bin BENCH_TOOLS=build/rel/bench tests/bench/run.sh
#
# Environment (all optional but the first two, which `make bench` sets):
#   DUCHA_BIN         where the ducha-* programs are
#   BENCH_TOOLS       where gen_returns, csv_count and peak are
#   BENCH_ROWS        data rows of the large set (1000000, about 270 MB of UTF-8)
#   BENCH_SMALL_ROWS  data rows of the small set that shows memory does not grow (ROWS/10)
#   BENCH_SEED        the generator's seed (1)
#   BENCH_UNITS       units the rows are spread over (60)
#   BENCH_DIR         where the data is kept and reused while seed and size match
#                     (build/bench-data)
#   BENCH_REPEAT      runs of each case; the table shows the fastest (1)
#   BENCH_COUNTIES    counties of the province catalog for read | check | merge (1000)
#   BENCH_PROVINCE_ROWS, BENCH_PROVINCE_BIG_ROWS  rows of its two sets (268000, 1000000)
#   BENCH_CYCLE_COUNTIES  the single cycles over many counties to run ("150 1000"; "" none)
#   BENCH_VERIFY      1: also check that each reader delivers every row (done on the small
#                     set always)
#   BENCH_ONLY        an extended regular expression: run only the cases whose name matches
#                     (their data is still made); e.g. 'pdf|forms' or '^cycle\.county$'
#   BENCH_PROFILE     1: run each case that misses its issue-17 target once more under
#                     `perf record` and print where its time goes (the functions with the most
#                     samples, in every process it started); needs perf (Debian: linux-perf)
#
# Exits non-zero only when a run fails (a program exits non-zero or loses rows); a missed
# target is printed as FAIL in the table but does not fail the run. A case whose program is
# not built yet is shown as SKIP.
set -eu

: "${DUCHA_BIN:?set DUCHA_BIN to the directory of the ducha programs}"
: "${BENCH_TOOLS:?set BENCH_TOOLS to the directory of gen_returns, csv_count and peak}"
ROWS=${BENCH_ROWS:-1000000}
SMALL=${BENCH_SMALL_ROWS:-$((ROWS / 10))}
SEED=${BENCH_SEED:-1}
UNITS=${BENCH_UNITS:-60}
DIR=${BENCH_DIR:-build/bench-data}
REPEAT=${BENCH_REPEAT:-1}
VERIFY=${BENCH_VERIFY:-0}
T=$BENCH_TOOLS
B=$DUCHA_BIN
RSS_LIMIT_MB=20

mkdir -p "$DIR/log"
# What the last run set aside (see set_aside), deleted minutes before anything is timed.
rm -rf "$DIR/trash"
failed=0
declare -A WALL RSS CPU WARM CMDLINE STAGE_CPU STAGE_PEAK
NCPU=$(nproc)

# ---- data --------------------------------------------------------------------------------

# dataset FILE ROWS [ENCODING [PAIRS]]: makes FILE (ROWS data rows, UTF-8, or converted to
# ENCODING from the UTF-8 set of the same size; with PAIRS, rows drawn from the catalog's task
# and host pairs so that they pass ducha-check) unless a stamp says it is already there.
dataset() {
    local file=$1 rows=$2 enc=${3:-UTF-8} pairs=${4:-} stamp want
    want="gen=$("$T/gen_returns" -V) seed=$SEED rows=$rows units=$UNITS enc=$enc pairs=${pairs:+$(md5sum < "$pairs" | cut -c1-8)}"
    stamp=$file.stamp
    if [ -f "$file" ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
        return 0
    fi
    rm -f "$stamp"
    if [ "$enc" = UTF-8 ]; then
        echo "bench: generating $file ($rows rows, seed $SEED)"
        "$T/gen_returns" -s "$SEED" -n "$rows" -u "$UNITS" ${pairs:+-p "$pairs"} -o "$file"
    else
        echo "bench: converting to $enc: $file"
        dataset "$DIR/returns-$rows.csv" "$rows"
        iconv -f UTF-8 -t "$enc" "$DIR/returns-$rows.csv" > "$file.tmp"
        mv "$file.tmp" "$file"
    fi
    # The generator's own check: libcsv must see the header and every row, 12 cells each.
    local got
    got=$("$T/csv_count" "$file")
    if [ "$got" != "$((12 * (rows + 1))) $((rows + 1))" ]; then
        echo "bench: $file: csv_count saw '$got' (fields rows), wanted 12 x $((rows + 1))" >&2
        exit 1
    fi
    printf '%s\n' "$want" > "$stamp"
}

rows_of() { sed -n 's/.* rows=\([0-9]*\) .*/\1/p' "$1.stamp"; }

# set_aside PATH...: moves each PATH that exists into $DIR/trash, which the next bench run
# empties at its start. Deleting tens of thousands of files just before a timed run makes
# that run slower than any user's: on ext4 without a journal (as on some build machines) the
# kernel skips inodes freed in the last minutes when it makes new files, and a cycle that
# writes 20,000 files right after 20,000 were deleted spends most of its time there. That is
# the bench's own doing: a cycle deletes a folder it replaces only after writing the new one.
set_aside() {
    local p
    mkdir -p "$DIR/trash"
    for p in "$@"; do
        [ -e "$p" ] || continue
        mv "$p" "$(mktemp -d "$DIR/trash/XXXXXX")/"
    done
}

# province_catalog N DIR: makes DIR, N copies of the 2023 catalog with distinct unit names
# (gen_catalog), unless its stamp says it is already there.
province_catalog() {
    local n=$1 dir=$2 want
    want="gen=$("$T/gen_catalog" -V) counties=$n"
    if [ "$(cat "$dir.stamp" 2> /dev/null)" != "$want" ]; then
        echo "bench: generating $dir ($n counties)"
        rm -rf "$dir"
        "$T/gen_catalog" -n "$n" input/2023/catalog "$dir" && printf '%s\n' "$want" > "$dir.stamp"
    fi
}

# ---- measuring ---------------------------------------------------------------------------

row_fmt='%-16s %9s %8s %8s %8s %8s %6s  %s\n'

# measure NAME INPUT BASE MAXRATIO MAXRSS CMD...
#   Runs CMD (stdout to /dev/null, stderr to $DIR/log/NAME.err) under peak, BENCH_REPEAT
#   times, and prints a table row: INPUT gives rows and MB; BASE is an earlier case to
#   compare the wall time with and MAXRATIO the target for that ratio; MAXRSS a peak RSS
#   target in MB. '-' for any of the three: no comparison.
measure() {
    local name=$1 input=$2 base=$3 maxratio=$4 maxrss=$5
    shift 5
    if [ -n "${BENCH_ONLY:-}" ] && ! [[ $name =~ $BENCH_ONLY ]]; then
        return 0
    fi
    if [ "${1#/}" != "$1" ] && [ ! -x "$1" ]; then
        printf "$row_fmt" "$name" - - - - - - "SKIP ($(basename "$1") not built)"
        return 0
    fi
    if [ -z "${WARM[$input]:-}" ]; then
        cat "$input" > /dev/null # the first case to read a file must not pay for the disk
        WARM[$input]=1
    fi
    local rep=$DIR/log/$name.peak err=$DIR/log/$name.err i line wall=
    local rss=0 status
    for ((i = 0; i < REPEAT; i++)); do
        status=0
        "$T/peak" -r "$rep" "$@" > /dev/null 2> "$err" || status=$?
        line=$(cat "$rep" 2> /dev/null || true)
        if [ "$status" -ne 0 ]; then
            printf "$row_fmt" "$name" - - - - - - "ERROR: exit $status; see $err"
            sed -n '1,5s/^/    /p' "$err"
            failed=1
            return 0
        fi
        local w k c
        w=$(sed -n 's/.*wall_s=\([0-9.]*\).*/\1/p' <<< "$line")
        c=$(awk '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); v[kv[1]] = kv[2] }
                   printf "%.3f", v["user_s"] + v["sys_s"] }' <<< "$line")
        k=$(sed -n 's/.*maxrss_kb=\([0-9]*\).*/\1/p' <<< "$line")
        if [ -z "$wall" ] || awk -v a="$w" -v b="$wall" 'BEGIN { exit !(a < b) }'; then
            wall=$w
            CPU[$name]=$c
        fi
        [ "$k" -gt "$rss" ] && rss=$k
    done
    WALL[$name]=$wall
    CMDLINE[$name]=$(printf '%q ' "$@")
    RSS[$name]=$rss
    local bytes rows basewall=${WALL[$base]:-}
    bytes=$(wc -c < "$input")
    rows=$(rows_of "$input")
    awk -v fmt="$row_fmt" -v name="$name" -v rows="$rows" -v bytes="$bytes" -v wall="$wall" \
        -v kb="$rss" -v basewall="$basewall" -v maxratio="$maxratio" -v maxrss="$maxrss" '
        BEGIN {
            mb = bytes / 1e6; rssmb = kb * 1024 / 1e6
            ratio = "-"; verdict = ""
            if (basewall != "" && basewall > 0) {
                r = wall / basewall; ratio = sprintf("%.2f", r)
                if (maxratio != "-")
                    verdict = verdict (r <= maxratio ? "" : sprintf(" time %.2fx > %sx", r, maxratio))
            }
            if (maxrss != "-" && rssmb >= maxrss)
                verdict = verdict sprintf(" RSS %.1f MB >= %s MB", rssmb, maxrss)
            if (maxratio == "-" && maxrss == "-") verdict = "-"
            else if (verdict == "") verdict = "PASS"
            else verdict = "FAIL:" verdict
            printf fmt, name, rows, sprintf("%.1f", mb), sprintf("%.3f", wall),
                sprintf("%.1f", wall > 0 ? mb / wall : 0), sprintf("%.1f", rssmb), ratio, verdict
        }'
}

# same_rss SMALL LARGE: the peak RSS of two runs on sets of different size must be about the
# same (within 1 MB or 10 %, whichever is larger): memory must not follow the input.
same_rss() {
    local a=${RSS[$1]:-} b=${RSS[$2]:-}
    if [ -z "$a" ] || [ -z "$b" ]; then
        printf '%-16s %s\n' "rss $1/$2" "SKIP (a run is missing)"
        return 0
    fi
    awk -v a="$a" -v b="$b" -v n1="$1" -v n2="$2" 'BEGIN {
        am = a * 1024 / 1e6; bm = b * 1024 / 1e6; d = bm - am; if (d < 0) d = -d
        tol = am / 10 > 1 ? am / 10 : 1
        printf "peak RSS %s %.1f MB, %s %.1f MB: %s\n", n1, am, n2, bm,
            d <= tol ? "PASS (independent of input size)" : "FAIL (grows with the input)"
    }'
}

# verify NAME INPUT CMD...: CMD's standard output must be a CSV with a header and one row a
# data row of INPUT (what a reader must deliver when nothing is rejected).
verify() {
    local name=$1 input=$2 got want
    shift 2
    if [ "${1#/}" != "$1" ] && [ ! -x "$1" ]; then
        return 0
    fi
    want=$(($(rows_of "$input") + 1))
    got=$("$@" 2> "$DIR/log/$name.verify.err" | "$T/csv_count" | cut -d' ' -f2) || true
    if [ "$got" = "$want" ]; then
        echo "verify $name: $got rows out (header + every data row): PASS"
    else
        echo "verify $name: ${got:-no} rows out, wanted $want: ERROR (see $DIR/log/$name.verify.err)"
        failed=1
    fi
}

# stage_times NAME RUNLOG: where a cycle's time went, stage by stage, from its run.log: wall
# time (the stages after ducha-rank run side by side, so their wall times overlap), each
# stage's own CPU time and its peak RSS.
stage_times() {
    local out
    out=$(stage_lines "$@")
    [ -n "$out" ] && printf '%s\n' "$out"
    STAGE_CPU[$1]=$(sed -n 's/^.* stages, CPU (s)://p' <<< "$out")
    STAGE_PEAK[$1]=$(sed -n 's/^.* stages, peak RSS (MB):.*; largest \(.*\)$/\1/p' <<< "$out")
}
stage_lines() {
    awk -v name="$1" '
        /^== [0-9]+\. ducha-/ { stage = $3 }
        /^   exit [0-9]+, [0-9.]+ s/ && stage != "" {
            t = $3; line = line sprintf(" %s %.2f", substr(stage, 7), t)
            # "(CPU 0.40 s, peak RSS 35.2 MB)" since ducha-cycle has logged them.
            if (match($0, /CPU [0-9.]+ s, peak RSS [0-9.]+ MB/)) {
                split(substr($0, RSTART, RLENGTH), f, " ")
                cpu = cpu sprintf(" %s %.2f", substr(stage, 7), f[2])
                rss = rss sprintf(" %s %.0f", substr(stage, 7), f[6])
                if (f[6] + 0 > top) { top = f[6] + 0; topname = stage " at " f[6] " MB" }
            }
            stage = ""
        }
        END {
            if (line != "") printf "%s stages (s):%s\n", name, line
            if (cpu != "") printf "%s stages, CPU (s):%s\n", name, cpu
            if (rss != "") printf "%s stages, peak RSS (MB):%s; largest %s\n", name, rss, topname
        }' "$2"
}

# ---- the cases ---------------------------------------------------------------------------

U8=$DIR/returns-$ROWS.csv
GB=$DIR/returns-$ROWS.gb18030.csv
SM=$DIR/returns-$SMALL.csv
dataset "$U8" "$ROWS"
dataset "$GB" "$ROWS" GB18030
dataset "$SM" "$SMALL"

echo
echo "ducha bench $(git describe --always --dirty 2> /dev/null || echo '?'), $(date -u +%Y-%m-%dT%H:%MZ)," \
    "$(nproc) CPU ($(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1))," \
    "seed $SEED, best of $REPEAT"
printf "$row_fmt" case rows MB "wall s" "MB/s" "RSS MB" ratio verdict

# Issue 2: reading returns. Targets: UTF-8 within 2x the bare parse, GBK within 3x, peak RSS
# under 20 MB and the same at ROWS/10 as at ROWS.
measure utf8.bare "$U8" - - - "$T/csv_count" "$U8"
measure utf8.read "$U8" utf8.bare 2 $RSS_LIMIT_MB "$B/ducha-read" "$U8"
measure gbk.bare "$GB" - - - "$T/csv_count" "$GB"
measure gbk.read "$GB" gbk.bare 3 $RSS_LIMIT_MB "$B/ducha-read" "$GB"
measure gbk.read-e "$GB" gbk.bare 3 $RSS_LIMIT_MB "$B/ducha-read" -e gb18030 "$GB"
measure small.bare "$SM" - - - "$T/csv_count" "$SM"
measure small.read "$SM" small.bare 2 $RSS_LIMIT_MB "$B/ducha-read" "$SM"

# Issue 4: read | check | merge on returns that fit the 2023 catalog (every row a task and one
# of its hosts; a unit reporting a task many times, so that merge replaces rows). Targets: the
# chain within 3x the bare parse; check's memory independent of the rows, merge's
# proportional to the task-host pairs (171 here), not to the rows.
CAT=input/2023/catalog
PAIRS=$DIR/pairs-2023H1.txt
if [ -x "$B/ducha-merge" ]; then
    printf 'cycle,source,line,task_id,unit,owner,phone,progress,status,value,metric,narrative,problems,next_steps,reported_on,role,late,flags\n' |
        "$B/ducha-merge" -c "$CAT" --cycle 2023H1 | tail -n +2 | cut -d, -f1,2 > "$PAIRS"
    CH=$DIR/chain-$ROWS.csv
    CS=$DIR/chain-$SMALL.csv
    dataset "$CH" "$ROWS" UTF-8 "$PAIRS"
    dataset "$CS" "$SMALL" UTF-8 "$PAIRS"
    for f in "$CH" "$CS"; do
        "$B/ducha-read" --cycle 2023H1 "$f" > "$f.records" 2> /dev/null || true
        "$B/ducha-check" -c "$CAT" --cycle 2023H1 < "$f.records" > "$f.valid" 2> /dev/null || true
        cp "$f.stamp" "$f.records.stamp"
        cp "$f.stamp" "$f.valid.stamp"
    done
    measure chain.bare "$CH" - - - "$T/csv_count" "$CH"
    measure chain.pipe "$CH" chain.bare 3 - sh -c \
        '"$0"/ducha-read --cycle 2023H1 "$1" 2>/dev/null | "$0"/ducha-check -c "$2" --cycle 2023H1 2>/dev/null | "$0"/ducha-merge -c "$2" --cycle 2023H1 2>/dev/null' \
        "$B" "$CH" "$CAT"
    measure check.large "$CH.records" - - $RSS_LIMIT_MB sh -c '"$0"/ducha-check -c "$1" --cycle 2023H1 < "$2" 2>/dev/null; [ $? -le 1 ]' "$B" "$CAT" "$CH.records"
    measure check.small "$CS.records" - - $RSS_LIMIT_MB sh -c '"$0"/ducha-check -c "$1" --cycle 2023H1 < "$2" 2>/dev/null; [ $? -le 1 ]' "$B" "$CAT" "$CS.records"
    measure merge.large "$CH.valid" - - $RSS_LIMIT_MB sh -c '"$0"/ducha-merge -c "$1" --cycle 2023H1 < "$2" 2>/dev/null' "$B" "$CAT" "$CH.valid"
    measure merge.small "$CS.valid" - - $RSS_LIMIT_MB sh -c '"$0"/ducha-merge -c "$1" --cycle 2023H1 < "$2" 2>/dev/null' "$B" "$CAT" "$CS.valid"
fi

# Issue 17: read | check | merge against a province's catalog: BENCH_COUNTIES (1000) copies of
# the 2023 catalog with distinct unit names (gen_catalog), BENCH_PROVINCE_ROWS (268000) rows
# drawn from its task-host pairs. Target: the chain within 3x the bare parse of the same file.
COUNTIES=${BENCH_COUNTIES:-1000}
PROWS=${BENCH_PROVINCE_ROWS:-268000}
if [ -x "$T/gen_catalog" ] && [ -x "$B/ducha-merge" ]; then
    PCAT=$DIR/catalog-$COUNTIES
    province_catalog "$COUNTIES" "$PCAT"
    PPAIRS=$DIR/pairs-$COUNTIES.txt
    if [ ! -s "$PPAIRS" ] || [ "$PPAIRS" -ot "$PCAT.stamp" ]; then
        printf 'cycle,source,line,task_id,unit,owner,phone,progress,status,value,metric,narrative,problems,next_steps,reported_on,role,late,flags\n' |
            "$B/ducha-merge" -c "$PCAT" --cycle 2023H1 | tail -n +2 | cut -d, -f1,2 > "$PPAIRS"
    fi
    PR=$DIR/province-$COUNTIES-$PROWS.csv
    dataset "$PR" "$PROWS" UTF-8 "$PPAIRS"
    measure province.bare "$PR" - - - "$T/csv_count" "$PR"
    measure province.pipe "$PR" province.bare 3 - sh -c \
        '"$0"/ducha-read --cycle 2023H1 "$1" 2>/dev/null | "$0"/ducha-check -c "$2" --cycle 2023H1 2>/dev/null | "$0"/ducha-merge -c "$2" --cycle 2023H1 2>/dev/null' \
        "$B" "$PR" "$PCAT"
    # The second large set: BENCH_PROVINCE_BIG_ROWS (1000000) rows against the same catalog,
    # and each stage alone on both sets: its peak RSS must not follow the rows.
    PBIG=${BENCH_PROVINCE_BIG_ROWS:-1000000}
    PB=$DIR/province-$COUNTIES-$PBIG.csv
    dataset "$PB" "$PBIG" UTF-8 "$PPAIRS"
    measure province1m.bare "$PB" - - - "$T/csv_count" "$PB"
    measure province1m.pipe "$PB" province1m.bare 3 - sh -c \
        '"$0"/ducha-read --cycle 2023H1 "$1" 2>/dev/null | "$0"/ducha-check -c "$2" --cycle 2023H1 2>/dev/null | "$0"/ducha-merge -c "$2" --cycle 2023H1 2>/dev/null' \
        "$B" "$PB" "$PCAT"
    for f in "$PR" "$PB"; do
        if [ "$(cat "$f.valid.stamp" 2> /dev/null)" != "$(cat "$f.stamp")" ]; then
            "$B/ducha-read" --cycle 2023H1 "$f" > "$f.records" 2> /dev/null || true
            "$B/ducha-check" -c "$PCAT" --cycle 2023H1 < "$f.records" > "$f.valid" 2> /dev/null || true
            cp "$f.stamp" "$f.records.stamp"
            cp "$f.stamp" "$f.valid.stamp"
        fi
    done
    measure pcheck.268k "$PR.records" - - - sh -c '"$0"/ducha-check -c "$1" --cycle 2023H1 < "$2" 2>/dev/null; [ $? -le 1 ]' "$B" "$PCAT" "$PR.records"
    measure pcheck.1m "$PB.records" - - - sh -c '"$0"/ducha-check -c "$1" --cycle 2023H1 < "$2" 2>/dev/null; [ $? -le 1 ]' "$B" "$PCAT" "$PB.records"
    measure pmerge.268k "$PR.valid" - - - sh -c '"$0"/ducha-merge -c "$1" --cycle 2023H1 < "$2" 2>/dev/null' "$B" "$PCAT" "$PR.valid"
    measure pmerge.1m "$PB.valid" - - - sh -c '"$0"/ducha-merge -c "$1" --cycle 2023H1 < "$2" 2>/dev/null' "$B" "$PCAT" "$PB.valid"
    # The floor under any row count: each of check and merge loads the catalog once.
    measure province.catalog "$PR" province.bare - - sh -c \
        'head -n 1 "$1" | "$0"/ducha-read --cycle 2023H1 2>/dev/null | "$0"/ducha-check -c "$2" --cycle 2023H1 > /dev/null 2>&1; [ $? -le 1 ]' \
        "$B" "$PR" "$PCAT"
fi

# Issue 6: the summary workbook (ducha-xlsx, constant-memory mode) for BENCH_XLSX_ROWS rated
# rows (100000; gen_rated makes the catalog, rated and ranks). Cells: 15 a row in 总表, 16 a
# livelihood row (every 8th task) in 民生实事.
XR=${BENCH_XLSX_ROWS:-100000}
XD=$DIR/rated-$XR
want="gen=$("$T/gen_rated" -V) seed=$SEED rows=$XR units=$UNITS enc=UTF-8"
if [ "$(cat "$XD/rated.csv.stamp" 2> /dev/null)" != "$want" ]; then
    echo "bench: generating $XD ($XR rated rows, seed $SEED)"
    "$T/gen_rated" -s "$SEED" -n "$XR" -u "$UNITS" -d "$XD" && printf '%s\n' "$want" > "$XD/rated.csv.stamp"
fi
measure xlsx.summary "$XD/rated.csv" - - - "$B/ducha-xlsx" -c "$XD/catalog" --rated "$XD/rated.csv" \
    --ranks "$XD/ranks.csv" -o "$DIR/summary.xlsx"
[ -n "${WALL[xlsx.summary]:-}" ] && awk -v rows="$XR" -v wall="${WALL[xlsx.summary]}" -v kb="${RSS[xlsx.summary]}" \
    'BEGIN { cells = rows * 15 + int(rows / 8) * 16; printf "xlsx.summary: %d cells in %.2f s: %.0f cells/s, peak RSS %.1f MB\n", cells, wall, cells / wall, kb * 1024 / 1e6 }'

# Issue 8: ducha-cycle on the shipped sample (one county, one cycle, workbooks and circular
# included; target well under a second), and a province: 150 counties, each a data root
# holding the 2023 sample, each run through its whole cycle.
if [ -x "$B/ducha-cycle" ]; then
    COUNTY=$DIR/county
    set_aside "$COUNTY"
    mkdir -p "$COUNTY/input"
    cp -R input/2023 "$COUNTY/input/2023"
    SAMPLE_ROWS=$(cat input/2023/returns/2023H1/* | wc -l)
    printf 'gen=sample rows=%s units=1\n' "$SAMPLE_ROWS" > "$COUNTY.stamp"
    cp "$COUNTY.stamp" "$COUNTY/input/2023/document.txt.stamp"
    # One run first, so that the fonts and programs are in the page cache as on a server.
    "$B/ducha-cycle" -q -C "$COUNTY" 2023 2023H1 > /dev/null 2>&1 || true
    measure cycle.county "$COUNTY/input/2023/document.txt" - - - "$B/ducha-cycle" -q -C "$COUNTY" 2023 2023H1
    [ -n "${WALL[cycle.county]:-}" ] && stage_times cycle.county "$COUNTY/output/2023/2023H1/run.log"
    PROVINCE=$DIR/province
    if [ ! -f "$PROVINCE/.made" ]; then
        rm -rf "$PROVINCE"
        for i in $(seq 150); do
            mkdir -p "$PROVINCE/county$i/input"
            cp -R input/2023 "$PROVINCE/county$i/input/2023"
        done
        touch "$PROVINCE/.made"
    fi
    set_aside "$PROVINCE"/county*/output
    printf 'gen=sample rows=%s units=150\n' "$((SAMPLE_ROWS * 150))" > "$PROVINCE.list.stamp"
    ls -d "$PROVINCE"/county* > "$PROVINCE.list"
    measure cycle.province "$PROVINCE.list" - - - sh -c \
        'for root in "$1"/county*; do "$0"/ducha-cycle -q -C "$root" 2023 2023H1 || exit 1; done' "$B" "$PROVINCE"
fi

# Issue 17: one cycle over many counties' returns in one catalog: for each N of
# BENCH_CYCLE_COUNTIES ("150 1000"), a data root whose catalog is N copies of the 2023 one
# (gen_catalog) and whose returns are one file of 267 rows a county drawn from its task-host
# pairs (gen_returns), run through ducha-cycle once. Targets: 150 counties within 3 s,
# 1,000 within 15 s and a peak RSS (the largest stage) under 200 MB. Set BENCH_CYCLE_COUNTIES
# to fewer or smaller counts (or "") to shorten the bench.
if [ -x "$B/ducha-cycle" ] && [ -x "$T/gen_catalog" ]; then
    for n in ${BENCH_CYCLE_COUNTIES-150 1000}; do
        root=$DIR/single-$n
        rows=$((n * 267))
        want="gen=$("$T/gen_catalog" -V)/$("$T/gen_returns" -V) counties=$n seed=$SEED rows=$rows"
        if [ "$(cat "$root.made" 2> /dev/null)" != "$want" ]; then
            echo "bench: generating $root ($n counties, $rows rows)"
            set_aside "$root"
            mkdir -p "$root/input/2023/returns/2023H1"
            cp input/2023/document.txt "$root/input/2023/"
            "$T/gen_catalog" -n "$n" "$CAT" "$root/input/2023/catalog"
            printf 'cycle,source,line,task_id,unit,owner,phone,progress,status,value,metric,narrative,problems,next_steps,reported_on,role,late,flags\n' |
                "$B/ducha-merge" -c "$root/input/2023/catalog" --cycle 2023H1 | tail -n +2 | cut -d, -f1,2 > "$root.pairs"
            "$T/gen_returns" -s "$SEED" -n "$rows" -u "$UNITS" -p "$root.pairs" -o "$root/input/2023/returns/2023H1/returns.csv"
            printf '%s\n' "$want" > "$root.made"
        fi
        # The size stamp lives beside a link to the returns, outside the returns folder, where
        # ducha-read would take it for a return.
        rm -f "$root/input/2023/returns/2023H1/returns.csv.stamp"
        ln -f "$root/input/2023/returns/2023H1/returns.csv" "$root.returns.csv"
        printf 'gen=single rows=%s units=%s\n' "$rows" "$n" > "$root.returns.csv.stamp"
        set_aside "$root/output"
        case $n in 150) tmax=3 mmax=- ;; 1000) tmax=15 mmax=200 ;; *) tmax=- mmax=- ;; esac
        measure "cycle.single$n" "$root.returns.csv" - - "$mmax" \
            "$B/ducha-cycle" -q -C "$root" 2023 2023H1
        [ -n "${WALL[cycle.single$n]:-}" ] && [ "$tmax" != - ] && awk -v w="${WALL[cycle.single$n]}" -v t="$tmax" -v n="$n" \
            'BEGIN { printf "cycle.single%s: %.1f s, target %s s: %s\n", n, w, t, w <= t ? "PASS" : sprintf("FAIL (%.1fx)", w / t) }'
        [ -n "${WALL[cycle.single$n]:-}" ] && stage_times "cycle.single$n" "$root/output/2023/2023H1/run.log"
    done
fi

# Issue 17: ducha-forms for a province: the next cycle's blank returns of every host unit of
# BENCH_FORMS_COUNTIES (150) copies of the 2023 catalog (9,000 forms), as the cycle writes
# them (CSV), and as workbooks. Target: 9,000 forms within 1 s. The ratio column is wall / 1 s.
if [ -x "$B/ducha-forms" ] && [ -x "$T/gen_catalog" ]; then
    FC=${BENCH_FORMS_COUNTIES:-150}
    FCAT=$DIR/catalog-$FC
    province_catalog "$FC" "$FCAT"
    printf 'gen=catalog rows=%s units=%s\n' "$(($(wc -l < "$FCAT/tasks.csv") - 1))" "$FC" > "$FCAT.tasks.stamp"
    ln -f "$FCAT/tasks.csv" "$FCAT.tasks"
    WALL[forms.target]=1
    for fmt in csv xlsx; do
        set_aside "$DIR/forms-$fmt"
        # The 1 s target is the CSV forms' (what the cycle writes); the workbooks are shown
        # beside them, their ratio to that second without a verdict.
        [ "$fmt" = csv ] && maxratio=1 || maxratio=-
        measure "forms.$fmt" "$FCAT.tasks" forms.target "$maxratio" - "$B/ducha-forms" -c "$FCAT" --cycle 2023H2 \
            -o "$DIR/forms-$fmt" --format "$fmt"
        [ -d "$DIR/forms-$fmt" ] && echo "forms.$fmt: $(find "$DIR/forms-$fmt" -type f | wc -l) forms"
    done
fi

# Issue 17: the circular (ducha-pdf). pdf.county: the shipped sample's 2023H1 circular
# (rated and ranks made by the chain; target 0.08 s). pdf.province: BENCH_PDF_COUNTIES (150)
# copies of the 2023 catalog (gen_catalog) and BENCH_PDF_ROWS (40069) returns drawn from their
# task-host pairs, rated and ranked (target 1.5 s). The ratio column is wall / target.
if [ -x "$B/ducha-pdf" ] && [ -x "$B/ducha-rank" ] && [ -x "$T/gen_catalog" ]; then
    PD=$DIR/pdf-county
    mkdir -p "$PD"
    "$B/ducha-read" --cycle 2023H1 input/2023/returns/2023H1 2> /dev/null |
        "$B/ducha-check" -c "$CAT" --cycle 2023H1 2> /dev/null |
        "$B/ducha-merge" -c "$CAT" --cycle 2023H1 2> /dev/null |
        "$B/ducha-rate" -c "$CAT" --cycle 2023H1 > "$PD/rated.csv" 2> /dev/null || true
    "$B/ducha-rank" < "$PD/rated.csv" > "$PD/ranks.csv" 2> /dev/null || true
    printf 'gen=sample rows=%s units=1\n' "$(($(wc -l < "$PD/rated.csv") - 1))" > "$PD/rated.csv.stamp"
    WALL[pdf.target.county]=0.08
    measure pdf.county "$PD/rated.csv" pdf.target.county 1 - "$B/ducha-pdf" -c "$CAT" --cycle 2023H1 \
        --rated "$PD/rated.csv" --ranks "$PD/ranks.csv" --number 第1期 -o "$PD/circular.pdf"
    PC=${BENCH_PDF_COUNTIES:-150}
    PPR=${BENCH_PDF_ROWS:-40069}
    PP=$DIR/pdf-province-$PC-$PPR
    want="gen=$("$T/gen_catalog" -V)/$("$T/gen_returns" -V) counties=$PC rows=$PPR seed=$SEED"
    if [ "$(cat "$PP/rated.csv.stamp" 2> /dev/null)" != "$want" ]; then
        echo "bench: generating $PP ($PC counties, $PPR rows)"
        rm -rf "$PP"
        mkdir -p "$PP"
        "$T/gen_catalog" -n "$PC" "$CAT" "$PP/catalog"
        printf 'cycle,source,line,task_id,unit,owner,phone,progress,status,value,metric,narrative,problems,next_steps,reported_on,role,late,flags\n' |
            "$B/ducha-merge" -c "$PP/catalog" --cycle 2023H1 | tail -n +2 | cut -d, -f1,2 > "$PP/pairs.txt"
        "$T/gen_returns" -s "$SEED" -n "$PPR" -p "$PP/pairs.txt" -o "$PP/returns.csv"
        "$B/ducha-read" --cycle 2023H1 "$PP/returns.csv" 2> /dev/null |
            "$B/ducha-check" -c "$PP/catalog" --cycle 2023H1 2> /dev/null |
            "$B/ducha-merge" -c "$PP/catalog" --cycle 2023H1 2> /dev/null |
            "$B/ducha-rate" -c "$PP/catalog" --cycle 2023H1 > "$PP/rated.csv" 2> /dev/null || true
        "$B/ducha-rank" < "$PP/rated.csv" > "$PP/ranks.csv" 2> /dev/null || true
        printf '%s\n' "$want" > "$PP/rated.csv.stamp"
    fi
    WALL[pdf.target.province]=1.5
    measure pdf.province "$PP/rated.csv" pdf.target.province 1 - "$B/ducha-pdf" -c "$PP/catalog" \
        --cycle 2023H1 --rated "$PP/rated.csv" --ranks "$PP/ranks.csv" --number 第1期 -o "$PP/circular.pdf"
    [ -f "$PP/circular.pdf" ] && echo "pdf.province: $(pdfinfo "$PP/circular.pdf" 2> /dev/null | sed -n 's/^Pages: *//p') pages"
fi

# Issue 12: workbooks as returns. The SMALL set's rows as an .xlsx with shared strings (as
# Excel and libxlsxwriter write them) and with inline strings (a constant-memory writer).
# Targets: ducha-read within 3x the time of the same rows as UTF-8 CSV; peak RSS under 64 MB
# with shared strings (bounded by the strings, never the sheet); with inline strings, the same
# at a tenth of the rows (flat).
if [ -x "$T/gen_xlsx" ]; then
    TENTH=$DIR/returns-$((SMALL / 10)).csv
    dataset "$TENTH" "$((SMALL / 10))"
    for src in "$SM" "$TENTH"; do
        for mode in shared inline; do
            x=${src%.csv}.$mode.xlsx
            if [ ! -f "$x" ] || [ "$(cat "$x.stamp" 2> /dev/null)" != "$(cat "$src.stamp")" ]; then
                echo "bench: writing $x"
                "$T/gen_xlsx" $([ $mode = inline ] && echo -i) "$src" "$x"
                cp "$src.stamp" "$x.stamp"
            fi
        done
    done
    measure xlsx.shared "${SM%.csv}.shared.xlsx" small.read 3 64 "$B/ducha-read" "${SM%.csv}.shared.xlsx"
    measure xlsx.inline "${SM%.csv}.inline.xlsx" small.read 3 - "$B/ducha-read" "${SM%.csv}.inline.xlsx"
    measure xlsx.inline10 "${TENTH%.csv}.inline.xlsx" - - - "$B/ducha-read" "${TENTH%.csv}.inline.xlsx"
fi

# Later issues add their cases here, one measure line each; a pipeline is one command:
#   measure chain.check "$U8" utf8.bare - $RSS_LIMIT_MB sh -c '"$0"/ducha-read "$1" | ...' "$B" "$U8"
# Their programs' cases print SKIP until the program is built.

echo
# (with BENCH_ONLY, only the cases asked for: these comparisons need the whole run)
if [ -z "${BENCH_ONLY:-}" ]; then
    same_rss small.read utf8.read
    same_rss check.small check.large
    same_rss merge.small merge.large
    same_rss pcheck.268k pcheck.1m
    same_rss pmerge.268k pmerge.1m
    same_rss xlsx.inline10 xlsx.inline
    verify small.read "$SM" "$B/ducha-read" "$SM"
    verify xlsx.shared "$SM" "$B/ducha-read" "${SM%.csv}.shared.xlsx"
    verify xlsx.inline "$SM" "$B/ducha-read" "${SM%.csv}.inline.xlsx"
    if [ "$VERIFY" = 1 ]; then
        verify utf8.read "$U8" "$B/ducha-read" "$U8"
        verify gbk.read "$GB" "$B/ducha-read" "$GB"
    fi
fi

# The issue-17 targets in one table: each met, or missed by how much (the stage lines above
# say where the time goes).
# target LABEL CASE [BASE] LIMIT UNIT: CASE's wall time (over BASE's when BASE is given: a
# ratio) against LIMIT; UNIT "x" for a ratio, "s" for seconds, "MB" for CASE's peak RSS.
target() {
    local label=$1 case=$2 base=$3 limit=$4 unit=$5 v
    if [ -z "${WALL[$case]:-}" ] || { [ -n "$base" ] && [ -z "${WALL[$base]:-}" ]; }; then
        printf '  %-44s %s\n' "$label" "not run"
        return 0
    fi
    case $unit in
        x) v=$(awk -v a="${WALL[$case]}" -v b="${WALL[$base]}" 'BEGIN { printf "%.2f", a / b }') ;;
        MB) v=$(awk -v k="${RSS[$case]}" 'BEGIN { printf "%.1f", k * 1024 / 1e6 }') ;;
        *) v=${WALL[$case]} ;;
    esac
    awk -v l="$label" -v v="$v" -v t="$limit" -v u="$unit" 'BEGIN {
        printf "  %-44s %8s%-2s target %s%s: %s\n", l, v, u, t, u,
            v <= t ? "met" : sprintf("missed by %.2fx", v / t) }'
    if awk -v v="$v" -v t="$limit" 'BEGIN { exit !(v > t) }'; then
        why "$case" "$base" "$unit" "$limit"
    fi
    if [ "${BENCH_PROFILE:-0}" = 1 ] && [ "$unit" != MB ] &&
        awk -v v="$v" -v t="$limit" 'BEGIN { exit !(v > t) }'; then
        profile "$case"
    fi
}

# why CASE BASE UNIT LIMIT: what a missed target is short of, from the measurements themselves.
# For a time: the CPU the run used in all (every process) against the CPUs there are: a run
# cannot end sooner than CPU / CPUs however well its stages overlap, so when that floor is
# itself over the target the run needs less work, not more parallel work. For a cycle, the
# stages' own CPU and peak RSS come from its run.log (printed above the table).
why() {
    local case=$1 base=$2 unit=$3 limit=$4
    if [ "$unit" = MB ]; then
        [ -n "${STAGE_PEAK[$case]:-}" ] && echo "    why: the largest stage is ${STAGE_PEAK[$case]}"
        return 0
    fi
    [ -n "${CPU[$case]:-}" ] || return 0
    local bc= bw=
    if [ -n "$base" ]; then
        bc=${CPU[$base]:-}
        bw=${WALL[$base]:-}
    fi
    awk -v c="${CPU[$case]}" -v w="${WALL[$case]}" -v n="$NCPU" -v bc="$bc" -v bw="$bw" \
        -v u="$unit" -v t="$limit" 'BEGIN {
        floor = c / n
        printf "    why: %.2f s of CPU in all (every process), on %d CPUs at least %.2f s of wall", c, n, floor
        if (u == "x" && bw > 0) { printf " = %.2fx the bare parse (whose own CPU is %.2f s)", floor / bw, bc; floor /= bw }
        printf "; the wall was %.2f s\n", w
        if (floor > t) print "    so the work itself is over the target: it needs less CPU, not more overlap"
        else print "    so the CPU fits: the rest is waiting (on the disk, or on stages that must run in turn)"
    }'
    [ -n "${STAGE_CPU[$case]:-}" ] && echo "    stages' CPU (s):${STAGE_CPU[$case]}"
    return 0
}

# profile CASE: CASE's command once more under perf; the functions with the most samples
# (self time, every process of the run, with their library), 2 % and up.
profile() {
    local case=$1 data=$DIR/log/$1.perf
    if ! command -v perf > /dev/null; then
        echo "    (no profile: perf is not installed; Debian: apt-get install linux-perf)"
        return 0
    fi
    if ! eval "perf record -q -F 1999 -o \"\$data\" -- ${CMDLINE[$case]}" > /dev/null 2>&1; then
        echo "    (no profile: perf record failed; see /proc/sys/kernel/perf_event_paranoid)"
        return 0
    fi
    echo "    profile of $case (perf samples; $data):"
    echo "      by program: $(perf report -i "$data" --stdio --no-children --sort comm 2> /dev/null |
        awk '/^ *[0-9.]+%/ { printf "%s%s %s", n++ ? ", " : "", $2, $1 }')"
    perf report -i "$data" --stdio --no-children --sort comm,dso,sym --percent-limit 1.5 2> /dev/null |
        awk '/^ *[0-9.]+%/ { sub(/^ +/, ""); print "      " $0; if (++n == 12) exit }'
}
echo
echo "issue 17 targets:"
target "ducha-read, UTF-8 (x the bare parse)" utf8.read utf8.bare 2 x
target "ducha-read, GB18030 (x the bare parse)" gbk.read gbk.bare 3 x
target "read|check|merge, 1M rows, county catalog" chain.pipe chain.bare 3 x
target "read|check|merge, 268k rows, 1,000 counties" province.pipe province.bare 3 x
target "read|check|merge, 1M rows, 1,000 counties" province1m.pipe province1m.bare 3 x
target "ducha-pdf, the county circular" pdf.county "" 0.08 s
target "ducha-pdf, the province circular" pdf.province "" 1.5 s
target "ducha-forms, 9,000 forms (CSV)" forms.csv "" 1 s
target "ducha-cycle, the county (warm)" cycle.county "" 0.12 s
target "ducha-cycle, 150 counties in one catalog" cycle.single150 "" 3 s
target "ducha-cycle, 1,000 counties in one catalog" cycle.single1000 "" 15 s
target "  its largest stage's peak RSS" cycle.single1000 "" 200 MB
echo
echo "MB = 10^6 bytes; wall s is the fastest of BENCH_REPEAT runs; ratio = wall / wall of the"
echo "bare libcsv parse of the same file; RSS is the peak of the largest single process."
exit $failed
