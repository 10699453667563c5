/* fuzz_tasktable — a task table read from any CSV text. Invariants: no crash; the tasks it reads
 * have ids 1..N in order and names that are valid UTF-8. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "csv.h"
#include "tasktable.h"
#include "text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static enum pl_status on_row(void *ctx, const struct pl_csv_row *row)
{
    return pl_taskgrid_add(ctx, (const char *const *)row->cells, row->count, NULL, row->line);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!pl_utf8_valid((const char *)data, size))
        return 0; /* the importer hands decoded text to the CSV reader */
    struct pl_taskgrid g;
    pl_taskgrid_init(&g);
    struct pl_csv_reader *r = pl_csv_reader_new(',', on_row, &g);
    if (!r)
        return 0;
    enum pl_status st = PL_OK;
    unsigned long no = 0;
    const char *text = (const char *)data;
    for (size_t i = 0; i < size && st == PL_OK;) {
        const char *nl = memchr(text + i, '\n', size - i);
        size_t end = nl ? (size_t)(nl - text) + 1 : size;
        st = pl_csv_reader_feed_line(r, text + i, end - i, ++no, 0, 0);
        i = end;
    }
    if (st == PL_OK)
        st = pl_csv_reader_finish(r);
    pl_csv_reader_free(r);
    long header = st == PL_OK ? pl_taskgrid_header(&g) : -1;
    if (header >= 0) {
        struct pl_catalog cat;
        pl_catalog_init(&cat);
        struct pl_unitreg *reg = pl_unitreg_new();
        struct pl_diag diag;
        pl_diag_init(&diag, NULL, NULL);
        if (reg && pl_tasktable_parse(&g, (size_t)header, "fuzz.csv", 2024, &cat, reg, &diag) ==
                       PL_OK) {
            for (size_t i = 0; i < cat.ntasks; i++) {
                char want[24];
                snprintf(want, sizeof want, "%zu", i + 1);
                if (strcmp(cat.tasks[i].id, want) != 0)
                    abort();
                for (size_t k = 0; k < cat.tasks[i].hosts.n; k++)
                    if (!pl_utf8_valid(cat.tasks[i].hosts.v[k], strlen(cat.tasks[i].hosts.v[k])))
                        abort();
            }
        }
        pl_unitreg_free(reg);
        pl_catalog_fini(&cat);
    }
    pl_taskgrid_fini(&g);
    return 0;
}
