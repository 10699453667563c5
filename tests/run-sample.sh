#!/bin/sh
# `make run`: both 2023 cycles of the shipped sample through ducha-cycle, in this checkout
# (input/2023/ in, output/2023/ out). Says where the outputs are.
set -u
: "${DUCHA_BIN:?set DUCHA_BIN to the directory of the built programs}"
status=0
for cycle in 2023H1 2023H2; do
    "$DUCHA_BIN/ducha-cycle" -C . 2023 "$cycle" || status=$?
    [ "$status" -eq 0 ] || break
done
if [ "$status" -eq 0 ]; then
    echo
    echo "The outputs are in output/2023/2023H1/ and output/2023/2023H2/:"
    echo "  summary.xlsx and leaders/*.xlsx (workbooks), circular.pdf (the 通报), receipts/ (a 回执"
    echo "  for every unit: what was accepted, what to mend; index.csv to phone them), rejects.csv"
    echo "  (rows units must mend), files.csv (every file received and what became of it),"
    echo "  forms/ (blank returns for the next cycle), run.log."
    if [ -d output/2023/annual ]; then
        echo "The year's assessment (after 2023H2, the year's last cycle) is in output/2023/annual/:"
        echo "  ranks.csv (each unit's score and rank for the year) and history.xlsx (the annual"
        echo "  ranking, every task's colour in each cycle, a chart per leader)."
    fi
fi
exit "$status"
