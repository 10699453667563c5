/* fuzz_rules — the rules-file reader on any bytes. Invariants: no crash; rules it accepts are
 * in range (blue tolerance below the red threshold, deductions not negative), and print to a
 * file that reads back without error. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "rules.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    FILE *in = fmemopen((void *)data, size, "r");
    if (!in)
        return 0;
    struct pl_rules r;
    struct pl_diag diag;
    pl_diag_init(&diag, NULL, NULL);
    if (pl_rules_init(&r) == PL_OK && pl_rules_read_stream(&r, in, "fuzz.ini", &diag) == PL_OK) {
        if (!(r.blue_tolerance < r.red_behind) || r.late_deduction < 0 || r.missing_deduction < 0)
            abort();
        char *text = NULL;
        size_t len = 0;
        FILE *out = open_memstream(&text, &len);
        if (pl_rules_print(&r, NULL, out) != PL_OK)
            abort();
        fclose(out);
        FILE *back = fmemopen(text, len, "r");
        struct pl_rules again;
        if (pl_rules_init(&again) == PL_OK &&
            pl_rules_read_stream(&again, back, "printed.ini", &diag) != PL_OK)
            abort();
        pl_rules_fini(&again);
        fclose(back);
        free(text);
    }
    pl_rules_fini(&r);
    fclose(in);
    return 0;
}
