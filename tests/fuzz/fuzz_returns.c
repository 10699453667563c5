/* fuzz_returns — a return file (any bytes) through encoding detection, CSV and header
 * mapping. Invariants: rows = records + rejected; every value handed on is valid UTF-8. */
#define _GNU_SOURCE
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "returns.h"
#include "text.h"

static unsigned long records, rejects;

static void require_utf8(const struct pl_return_row *row)
{
    for (int f = 0; f < PL_F_COUNT; f++)
        if (!pl_utf8_valid(row->value[f], row->len[f]))
            abort();
    if (row->extra && !pl_utf8_valid(row->extra, row->extra_len))
        abort();
}

static enum pl_status on_record(void *ctx, const struct pl_return_row *row)
{
    (void)ctx;
    require_utf8(row);
    records++;
    return PL_OK;
}

static enum pl_status on_reject(void *ctx, const struct pl_return_row *row, const char *code,
                                const char *column, const char *error)
{
    (void)ctx;
    (void)code;
    (void)column;
    require_utf8(row);
    if (!pl_utf8_valid(error, __builtin_strlen(error)))
        abort();
    rejects++;
    return PL_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    int fd = memfd_create("return", 0);
    if (fd < 0 || write(fd, data, size) != (ssize_t)size) {
        if (fd >= 0)
            close(fd);
        return 0;
    }
    char path[64];
    snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    records = rejects = 0;
    struct pl_returns_options opt = {"2023H1", PL_ENC_AUTO, NULL};
    struct pl_returns_sink sink = {on_record, on_reject, NULL};
    struct pl_return_stats stats;
    struct pl_diag diag;
    pl_diag_init(&diag, NULL, NULL);
    pl_returns_read(path, "fuzz.csv", &opt, &sink, &diag, &stats);
    if (stats.rows != stats.records + stats.rejected || records != stats.records ||
        rejects != stats.rejected)
        abort();
    close(fd);
    return 0;
}
