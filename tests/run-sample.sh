#!/bin/sh
# `make run`: the chain on the shipped 2023 sample, as far as it exists, into output/.
# Says where the outputs are.
set -eu
: "${DUCHA_BIN:?set DUCHA_BIN to the directory of the built programs}"
year=2023
in=input/$year
out=output/$year
mkdir -p "$out"

for cycle in 2023H1 2023H2; do
    returns=$in/returns/$cycle
    [ -d "$returns" ] || continue
    dir=$out/$cycle
    mkdir -p "$dir"
    status=0
    "$DUCHA_BIN/ducha-read" -v --cycle "$cycle" --rejects "$dir/read-rejects.csv" \
        "$returns"/*.csv > "$dir/records.csv" 2> "$dir/read.log" || status=$?
    if [ "$status" -gt 1 ]; then
        echo "ducha: reading the $cycle returns failed (exit $status); see $dir/read.log" >&2
        exit "$status"
    fi
    files=$(ls "$returns"/*.csv | wc -l)
    rejected=$(grep -c '\[E_' "$dir/read.log" || true)
    echo "$cycle: $files return files read into $dir/records.csv;" \
        "$rejected problems listed in $dir/read.log and $dir/read-rejects.csv"
done
echo "outputs are under $out/"
