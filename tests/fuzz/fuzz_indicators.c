/* fuzz_indicators — the target scanner on any text. Invariants: no crash; every target has a
 * comparator of the four, a metric and a unit that are valid UTF-8 and not empty, a value that
 * is a plain decimal, and a source that is a phrase of the text. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "indicators.h"
#include "text.h"

struct ctx {
    const char *text;
    size_t len;
};

static enum pl_status check(void *ctx, const char *metric, const char *cmp, const char *value,
                            const char *unit, const char *source)
{
    const struct ctx *c = ctx;
    if (strcmp(cmp, "=") && strcmp(cmp, ">=") && strcmp(cmp, "<=") && strcmp(cmp, "~"))
        abort();
    if (!*metric || !pl_utf8_valid(metric, strlen(metric)) || !*unit ||
        !pl_utf8_valid(unit, strlen(unit)))
        abort();
    if (!*value || strspn(value, "0123456789.") != strlen(value))
        abort();
    size_t n = strlen(source);
    bool inside = false;
    for (size_t i = 0; i + n <= c->len && !inside; i++)
        inside = memcmp(c->text + i, source, n) == 0;
    if (!inside)
        abort();
    return PL_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ctx c = {(const char *)data, size};
    if (memchr(data, 0, size) || !pl_utf8_valid((const char *)data, size))
        return 0; /* task texts are C strings, decoded by pl_text_load() */
    pl_indicators_scan((const char *)data, size, check, &c);
    return 0;
}
