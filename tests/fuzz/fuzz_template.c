/* fuzz_template — the circular's template engine on any template text, with data shaped like
 * the circular's (values, a list with items, an empty list). Invariants: no crash, no hang
 * (templates cannot loop); a template it accepts renders to valid UTF-8 when it is UTF-8. */
#include <stdint.h>
#include <stdlib.h>

#include "template.h"
#include "text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct pl_tpl_data *d = pl_tpl_data_new();
    if (!d)
        return 0;
    pl_tpl_set(d, "title", "关于2023年上半年全县重点工作推进情况的通报");
    pl_tpl_set(d, "total", "171");
    pl_tpl_set(d, "empty", "");
    struct pl_tpl_list *units = pl_tpl_list(d, "units", "name,score");
    for (int i = 0; units && i < 3; i++) {
        struct pl_tpl_data *item = pl_tpl_item(units);
        if (item) {
            pl_tpl_set(item, "name", i ? "县财政局" : "纸坊镇");
            pl_tpl_setf(item, "score", "%d", 90 + i);
        }
    }
    pl_tpl_list(d, "none", "name");
    struct pl_buf out;
    pl_buf_init(&out);
    struct pl_diag diag;
    pl_diag_init(&diag, NULL, NULL);
    enum pl_status st = pl_tpl_render((const char *)data, size, "fuzz.tpl", d, NULL, &out, &diag);
    if (st == PL_OK && pl_utf8_valid((const char *)data, size) && !pl_utf8_valid(out.data, out.len))
        abort();
    pl_buf_fini(&out);
    pl_tpl_data_free(d);
    return 0;
}
