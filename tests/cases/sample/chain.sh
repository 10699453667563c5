# Shared by the sample cases: run the chain on one cycle of the shipped sample and check the
# counts at every stage (rows in = rows out + rows rejected).
chain() {
    cycle=$1
    C="$DUCHA_TOP/input/2023/catalog"
    (cd "$DUCHA_TOP" && ducha-read -v --cycle "$cycle" --rejects "$OLDPWD/read-rejects.csv" \
        input/2023/returns/"$cycle"/*) > records.csv 2> read.err
    echo "read exit $?"
    ducha-check -v -c "$C" --cycle "$cycle" --rejects rejects.csv < records.csv > valid.csv 2> check.err
    echo "check exit $?"
    ducha-merge -v -c "$C" --cycle "$cycle" --superseded superseded.csv \
        --rejects read-rejects.csv --rejects rejects.csv < valid.csv > merged.csv 2> merge.err
    echo "merge exit $?"
    awk '/ rows: / { rows += $4; rec += $6; rej += $8 }
         END { printf "read: %d rows = %d records + %d rejected: %s\n", rows, rec, rej,
                      rows == rec + rej ? "ok" : "LOST" }' read.err
    tail -n 1 check.err
    tail -n 1 merge.err
    sed -n 's/^ducha-check: \([0-9]*\) rows: \([0-9]*\) valid.*, \([0-9]*\) rejected$/\1 \2 \3/p' check.err |
        awk -v rec="$(awk '/ rows: / { rec += $6 } END { print rec }' read.err)" \
            '{ print ($1 == rec && $1 == $2 + $3) ? "check: records in = valid + rejected: ok" : "check: LOST" }'
    echo "rejected by ducha-read:"
    grep -o '[^/]*:[0-9]*:[0-9]*: .*\[E_[A-Z_]*\]' read.err | sed 's/: .*\[/ [/'
    echo "rejected by ducha-check:"
    grep -o '[^/]*:[0-9]*:[0-9]*: .*\[E_[A-Z_]*\]' check.err | sed 's/: .*\[/ [/'
}

# show TASK UNIT: the merged row's first columns (task, unit, group, owner, phone, progress,
# status), which never hold commas or line breaks.
show() {
    awk -F, -v t="$1" -v u="$2" '$1 == t && $2 == u { print $1, $2, $3, $6, $7 }' merged.csv
}
