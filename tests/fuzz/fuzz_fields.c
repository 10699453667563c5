/* fuzz_fields — every field parser on any bytes. Invariants: a parser either succeeds with a
 * value in range and a canonical text that parses back the same, or refuses with a reason
 * whose message is valid UTF-8. */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "fields.h"
#include "status_words.h"
#include "text.h"

static struct pl_status_table table;
static int ready;

static void message_ok(enum pl_field_error why, const char *s, size_t len)
{
    struct pl_buf m;
    pl_buf_init(&m);
    if (pl_field_error_message(&m, why, s, len) != PL_OK || !pl_utf8_valid(m.data, m.len))
        abort();
    pl_buf_fini(&m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!ready) {
        pl_status_table_init_default(&table);
        ready = 1;
    }
    const char *s = (const char *)data;
    enum pl_field_error why;
    struct pl_buf out, unit;
    pl_buf_init(&out);
    pl_buf_init(&unit);

    double p;
    if (pl_field_parse_progress(s, size, 0, &p, &why) == PL_OK) {
        if (!(p >= 0 && p <= 100))
            abort();
        pl_field_format_number(&out, p);
        /* Written back with its percent sign: a bare 1 would be ambiguous, as it should. */
        pl_buf_append_char(&out, '%');
        double again;
        if (pl_field_parse_progress(out.data, out.len, 0, &again, NULL) != PL_OK || again != p)
            abort();
    } else {
        message_ok(why, s, size);
    }
    struct pl_value v;
    if (pl_field_parse_value(s, size, 0, &v, &unit, &why) == PL_OK) {
        if (!isfinite(v.number) || !pl_utf8_valid(unit.data, unit.len))
            abort();
    } else {
        message_ok(why, s, size);
    }
    long days;
    if (pl_date_parse(s, size, &days, &why) == PL_OK) {
        pl_buf_clear(&out);
        pl_date_format_iso(&out, days);
        long again;
        if (pl_date_parse(out.data, out.len, &again, NULL) != PL_OK || again != days)
            abort();
    } else {
        message_ok(why, s, size);
    }
    pl_buf_clear(&out);
    if (pl_field_parse_task_id(s, size, &out, &why) == PL_OK) {
        struct pl_buf again;
        pl_buf_init(&again);
        if (pl_field_parse_task_id(out.data, out.len, &again, NULL) != PL_OK ||
            strcmp(again.data, out.data) != 0)
            abort();
        pl_buf_fini(&again);
    } else {
        message_ok(why, s, size);
    }
    enum pl_work_status ws;
    if (pl_status_word_lookup(&table, s, size, &ws, &why) == PL_OK) {
        if (ws >= PL_WORK_COUNT)
            abort();
    } else {
        message_ok(why, s, size);
    }
    pl_buf_fini(&out);
    pl_buf_fini(&unit);
    return 0;
}
