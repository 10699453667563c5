#!/bin/sh
# Runs the end-to-end cases: every directory below the given roots that holds a `cmd` file.
# Each case runs in a fresh copy of its directory, with the programs of $DUCHA_BIN first on
# PATH (through a wrapper such as valgrind when $DUCHA_WRAP is set), SOURCE_DATE_EPOCH fixed,
# and its stdout, stderr and exit status compared with expected.out, expected.err and
# expected.status where those files exist. A case that exits 77 could not run here (it says
# why on stdout) and is counted as skipped. Prints a line per failing or skipped case and a
# summary.
set -u
: "${DUCHA_BIN:?set DUCHA_BIN to the directory of the built programs}"
roots=${*:-tests/cases}
top=$(pwd)
scratch=$(mktemp -d "${TMPDIR:-/tmp}/ducha-cases.XXXXXX")
trap 'rm -rf "$scratch"' EXIT INT TERM

shims=$DUCHA_BIN
if [ -n "${DUCHA_WRAP:-}" ]; then
    shims=$scratch/shims
    mkdir -p "$shims"
    for p in "$DUCHA_BIN"/ducha-*; do
        printf '#!/bin/sh\nexec %s "%s" "$@"\n' "$DUCHA_WRAP" "$p" > "$shims/${p##*/}"
        chmod +x "$shims/${p##*/}"
    done
fi

passed=0
failed=0
skipped=0
for cmd in $(find $roots -name cmd -type f | sort); do
    case_dir=${cmd%/cmd}
    work=$scratch/run
    rm -rf "$work"
    cp -R "$case_dir" "$work"
    (
        cd "$work" || exit 99
        PATH=$shims:$PATH SOURCE_DATE_EPOCH=1688083200 LC_ALL=C.UTF-8 TZ=UTC \
            DUCHA_TOP=$top sh ./cmd > "$scratch/out" 2> "$scratch/err" < /dev/null
        echo $? > "$scratch/status"
    )
    if [ "$(cat "$scratch/status")" = 77 ]; then
        skipped=$((skipped + 1))
        echo "SKIP $case_dir: $(head -n 1 "$scratch/out")"
        continue
    fi
    ok=1
    for what in out err status; do
        expected=$case_dir/expected.$what
        [ -f "$expected" ] || continue
        if ! diff -u "$expected" "$scratch/$what" > "$scratch/diff"; then
            ok=0
            echo "FAIL $case_dir ($what)"
            head -n 40 "$scratch/diff" | sed 's/^/    /'
        fi
    done
    if [ $ok = 1 ]; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
    fi
done
echo "end-to-end: $passed passed, $failed failed, $skipped skipped"
[ $failed = 0 ]
