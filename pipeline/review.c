/* review — review.xlsx: the imported catalog, laid out for the office to check. */
#include "review.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "xlsx.h"

void pl_review_note_fini(struct pl_review_note *note)
{
    free(note->where);
    free(note->message);
    free(note->code);
    note->where = note->message = note->code = NULL;
}

/* True when S[0..LEN) is a place: FILE:LINE or FILE:LINE:COL, a file name before it. */
static bool ends_in_place(const char *s, size_t len)
{
    size_t digits = 0;
    while (len && isdigit((unsigned char)s[len - 1])) {
        len--;
        digits++;
    }
    return digits && len >= 2 && s[len - 1] == ':';
}

static char *dup_n(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    if (d) {
        memcpy(d, s, n);
        d[n] = '\0';
    }
    return d;
}

enum pl_status pl_review_parse_note(const char *line, struct pl_review_note *note)
{
    note->where = note->message = note->code = NULL;
    const char *rest = line;
    const char *colon = strstr(line, ": ");
    /* The program's name is one word (ducha-import) before the first ": ". */
    if (colon && !memchr(line, ' ', (size_t)(colon - line)) && colon > line &&
        !memchr(line, ':', (size_t)(colon - line)))
        rest = colon + 2;
    const char *where_end = NULL;
    for (const char *p = strstr(rest, ": "); p; p = strstr(p + 1, ": "))
        if (ends_in_place(rest, (size_t)(p - rest))) {
            where_end = p;
            break;
        }
    const char *msg = where_end ? where_end + 2 : rest;
    size_t mlen = strlen(msg), clen = 0;
    const char *code = "";
    if (mlen > 3 && msg[mlen - 1] == ']') {
        const char *open = NULL;
        for (const char *p = msg + mlen - 1; p > msg; p--)
            if (*p == '[') {
                open = p;
                break;
            }
        if (open && open > msg && open[-1] == ' ' && open[1] != ']') {
            bool word = true;
            for (const char *p = open + 1; p < msg + mlen - 1; p++)
                word = word && (isupper((unsigned char)*p) || isdigit((unsigned char)*p) ||
                                *p == '_');
            if (word) {
                code = open + 1;
                clen = (size_t)(msg + mlen - 1 - code);
                mlen = (size_t)(open - 1 - msg);
            }
        }
    }
    note->where = dup_n(rest, where_end ? (size_t)(where_end - rest) : 0);
    note->message = dup_n(msg, mlen);
    note->code = dup_n(code, clen);
    if (!note->where || !note->message || !note->code) {
        pl_review_note_fini(note);
        return PL_ERR_NOMEM;
    }
    return PL_OK;
}

/* ---- the workbook ---------------------------------------------------------------------- */

/* Sets ROW's height to the tallest of its N cells wrapped in WIDTHS. */
static void fit_row(struct pl_xlsx_sheet *sh, unsigned row, const char *const *text,
                    const double *widths, size_t n)
{
    unsigned lines = 1;
    for (size_t k = 0; k < n; k++) {
        unsigned l = pl_xlsx_lines(text[k] ? text[k] : "", widths[k]);
        if (l > lines)
            lines = l;
    }
    pl_xlsx_row_height(sh, row, pl_xlsx_lines_height(lines));
}

/* A sheet's top: its title over every column, the header row, widths and print setup.
 * Returns the first data row. */
static unsigned sheet_top(struct pl_xlsx_sheet *sh, const char *title, const char *const *head,
                          const double *widths, size_t n, bool landscape, const char *footer)
{
    for (size_t k = 0; k < n; k++)
        pl_xlsx_column_width(sh, (unsigned)k, widths[k]);
    pl_xlsx_row_height(sh, 0, 30);
    pl_xlsx_merge_text(sh, 0, 0, (unsigned)n - 1, title, PL_XS_TITLE);
    for (size_t k = 0; k < n; k++)
        pl_xlsx_text(sh, 1, (unsigned)k, head[k], PL_XS_HEADER);
    fit_row(sh, 1, head, widths, n);
    pl_xlsx_freeze(sh, 2, 0);
    pl_xlsx_print_setup(sh, landscape, 1, 1, footer);
    return 2;
}

static const char *severity_word(const char *code)
{
    if (strncmp(code, "E_", 2) == 0)
        return "错误";
    if (strncmp(code, "W_", 2) == 0)
        return "提示";
    return "";
}

/* Sheet 1: every message of the import and of the catalog's checks, in their order. */
static void notes_sheet(struct pl_xlsx *x, const char *notes, const char *title,
                        const char *footer, struct pl_diag *diag)
{
    struct pl_xlsx_sheet *sh = pl_xlsx_add_sheet(x, "导入提示");
    if (!sh)
        return;
    static const char *const head[] = {"序号", "类别", "位置（文件:行）", "说明", "代码", "核对结果"};
    static const double widths[] = {6, 6, 26, 62, 22, 14};
    enum { N = 6 };
    unsigned row = sheet_top(sh, title, head, widths, N, true, footer);
    unsigned long seq = 0;
    const char *p = notes ? notes : "";
    while (*p) {
        size_t len = strcspn(p, "\n");
        char *line = dup_n(p, len);
        p += len + (p[len] == '\n');
        struct pl_review_note note;
        if (!line || pl_review_parse_note(line, &note) != PL_OK) {
            free(line);
            pl_diag_report(diag, NULL, 0, 0, "E_NOMEM", "内存不足");
            return;
        }
        free(line);
        if (!*note.message && !*note.code) {
            pl_review_note_fini(&note);
            continue;
        }
        char num[24];
        snprintf(num, sizeof num, "%lu", ++seq);
        const char *cells[N] = {num, severity_word(note.code), note.where, note.message,
                                note.code, ""};
        pl_xlsx_number(sh, row, 0, (double)seq, PL_XS_INT);
        for (unsigned k = 1; k < N; k++)
            pl_xlsx_text(sh, row, k, cells[k], k == 3 ? PL_XS_TEXT : PL_XS_CENTER);
        fit_row(sh, row, cells, widths, N);
        row++;
        pl_review_note_fini(&note);
    }
    if (!seq) {
        pl_xlsx_merge_text(sh, row, 0, N - 1, "导入和目录检查没有提示。", PL_XS_TEXT);
        row++;
    }
    row++;
    static const char advice[] =
        "请对照年度目标任务文件逐条核对：“提示”是导入时的推断（如补全的序号、沿用的领导、"
        "视为同一单位的不同写法），“错误”必须改正。改正请直接编辑catalog/目录中的CSV文件"
        "（tasks.csv任务，units.csv单位，indicators.csv指标，cycles.csv报送周期），"
        "改后重新运行 ducha-cycle --start 年度，重新生成本表和第一期空白报表。";
    pl_xlsx_merge_text(sh, row, 0, N - 1, advice, PL_XS_NOTE);
    double total = 0;
    for (size_t k = 0; k < N; k++)
        total += widths[k];
    pl_xlsx_row_height(sh, row, pl_xlsx_lines_height(pl_xlsx_lines(advice, total - 2)));
}

static void join_lines(const struct pl_strv *v, struct pl_buf *out)
{
    pl_buf_clear(out);
    for (size_t i = 0; i < v->n; i++) {
        if (i)
            pl_buf_append_char(out, '\n');
        pl_buf_append_str(out, v->v[i]);
    }
}

static const char *comparator_word(const char *c)
{
    if (!strcmp(c, ">="))
        return "≥";
    if (!strcmp(c, "<="))
        return "≤";
    if (!strcmp(c, "~"))
        return "约";
    return "";
}

/* Sheet 2: every task, as the forms and the circular will name it. */
static void tasks_sheet(struct pl_xlsx *x, const struct pl_catalog *c, const char *title,
                        const char *footer, struct pl_diag *diag)
{
    struct pl_xlsx_sheet *sh = pl_xlsx_add_sheet(x, "任务");
    if (!sh)
        return;
    static const char *const head[] = {"编号", "工作任务", "牵头领导", "承办单位",
                                       "协办单位", "指标", "完成时限"};
    static const double widths[] = {6, 48, 10, 18, 20, 22, 11};
    enum { N = 7 };
    unsigned row = sheet_top(sh, title, head, widths, N, true, footer);
    struct pl_buf text, leaders, hosts, cohosts, ind;
    struct pl_buf *bufs[] = {&text, &leaders, &hosts, &cohosts, &ind};
    for (size_t i = 0; i < 5; i++)
        pl_buf_init(bufs[i]);
    for (size_t i = 0; i < c->ntasks; i++) {
        const struct pl_task *t = &c->tasks[i];
        pl_buf_clear(&text);
        /* The task as the document words it; its title alone where the text is missing, and
         * the title above the text where the text does not start with it (民生实事 items). */
        const char *tt = t->title ? t->title : "", *tx = t->text ? t->text : "";
        if (*tt && strncmp(tx, tt, strlen(tt)) != 0)
            pl_buf_printf(&text, "%s%s%s", tt, *tx ? "：" : "", tx);
        else
            pl_buf_append_str(&text, *tx ? tx : tt);
        join_lines(&t->leaders, &leaders);
        join_lines(&t->hosts, &hosts);
        join_lines(&t->cohosts, &cohosts);
        pl_buf_clear(&ind);
        const struct pl_indicator *const *list = NULL;
        size_t n = 0;
        if (pl_catalog_task_indicators(c, t->id, &list, &n) != PL_OK)
            pl_diag_report(diag, NULL, 0, 0, "E_NOMEM", "内存不足");
        for (size_t k = 0; k < n; k++)
            pl_buf_printf(&ind, "%s%s %s%s%s", k ? "\n" : "", list[k]->metric,
                          comparator_word(list[k]->comparator), list[k]->value, list[k]->unit);
        const char *cells[N] = {t->id,     text.data, leaders.data, hosts.data,
                                cohosts.data, ind.data, t->due ? t->due : ""};
        for (unsigned k = 0; k < N; k++)
            pl_xlsx_text(sh, row, k, cells[k], k == 0 || k == 6 ? PL_XS_CENTER : PL_XS_TEXT);
        fit_row(sh, row, cells, widths, N);
        row++;
    }
    for (size_t i = 0; i < 5; i++)
        pl_buf_fini(bufs[i]);
}

static const char *kind_word(enum pl_unit_kind kind)
{
    static const char *const words[PL_UNIT_KIND_COUNT] = {
        [PL_UNIT_DEPARTMENT] = "县直部门单位", [PL_UNIT_PARTY] = "县委部门",
        [PL_UNIT_MASS] = "群团组织",           [PL_UNIT_VERTICAL] = "垂直管理单位",
        [PL_UNIT_JUDICIAL] = "法院检察院",     [PL_UNIT_ZONE] = "功能区",
        [PL_UNIT_ENTERPRISE] = "企业",         [PL_UNIT_TOWN] = "镇街",
        [PL_UNIT_COLLECTIVE] = "统称（不单独报送）", [PL_UNIT_BANK] = "金融机构",
    };
    return (unsigned)kind < PL_UNIT_KIND_COUNT && words[kind] ? words[kind] : "";
}

/* Sheet 3: every unit, its kind (which decides whether and where it is ranked) and names. */
static void units_sheet(struct pl_xlsx *x, const struct pl_catalog *c, const char *title,
                        const char *footer)
{
    struct pl_xlsx_sheet *sh = pl_xlsx_add_sheet(x, "单位");
    if (!sh)
        return;
    static const char *const head[] = {"单位", "简称", "类别", "类别代码", "别名", "成员"};
    static const double widths[] = {34, 26, 16, 11, 38, 30};
    enum { N = 6 };
    unsigned row = sheet_top(sh, title, head, widths, N, true, footer);
    struct pl_buf aliases, members;
    pl_buf_init(&aliases);
    pl_buf_init(&members);
    for (size_t i = 0; i < c->nunits; i++) {
        const struct pl_unit *u = &c->units[i];
        join_lines(&u->members, &members);
        pl_buf_clear(&aliases);
        for (size_t k = 0; k < u->aliases.n; k++)
            pl_buf_printf(&aliases, "%s%s", k ? "、" : "", u->aliases.v[k]);
        const char *kind = pl_unit_kind_name(u->kind);
        const char *cells[N] = {u->name,     pl_unit_short(u), kind_word(u->kind),
                                kind ? kind : "", aliases.data, members.data};
        for (unsigned k = 0; k < N; k++)
            pl_xlsx_text(sh, row, k, cells[k], k == 2 || k == 3 ? PL_XS_CENTER : PL_XS_TEXT);
        fit_row(sh, row, cells, widths, N);
        row++;
    }
    pl_buf_fini(&aliases);
    pl_buf_fini(&members);
}

/* Sheet 4: the year's reporting cycles. */
static void cycles_sheet(struct pl_xlsx *x, const struct pl_catalog *c, const char *title,
                         const char *footer)
{
    struct pl_xlsx_sheet *sh = pl_xlsx_add_sheet(x, "报送周期");
    if (!sh)
        return;
    static const char *const head[] = {"周期编号", "名称", "起始日期", "截止日期", "报送期限",
                                       "序时进度（%）"};
    static const double widths[] = {12, 24, 13, 13, 13, 14};
    enum { N = 6 };
    unsigned row = sheet_top(sh, title, head, widths, N, false, footer);
    for (size_t i = 0; i < c->ncycles; i++) {
        const struct pl_cycle *y = &c->cycles[i];
        const char *cells[N] = {y->id, y->label, y->start, y->end, y->deadline,
                                y->expected && *y->expected ? y->expected : "按时间进度"};
        for (unsigned k = 0; k < N; k++)
            pl_xlsx_text(sh, row, k, cells[k] ? cells[k] : "", PL_XS_CENTER);
        row++;
    }
}

enum pl_status pl_review_write(const struct pl_catalog *c, const char *notes, const char *year,
                               const char *path, long long created, struct pl_diag *diag)
{
    struct pl_buf title, footer;
    pl_buf_init(&title);
    pl_buf_init(&footer);
    pl_buf_printf(&footer, "%s年度目标任务导入核对表", year);
    struct pl_xlsx_props props = {.title = footer.data,
                                  .subject = "目标任务导入核对",
                                  .author = "县政府督查室",
                                  .keywords = "重点工作,导入,核对",
                                  .created = created};
    struct pl_xlsx *x;
    enum pl_status st = pl_xlsx_open(&x, path, &props, diag);
    if (st != PL_OK)
        goto done;
    pl_buf_printf(&title, "%s年度目标任务导入核对表：导入提示", year);
    notes_sheet(x, notes, title.data, footer.data, diag);
    pl_buf_clear(&title);
    pl_buf_printf(&title, "%s年度目标任务导入核对表：任务（%zu项）", year, c->ntasks);
    tasks_sheet(x, c, title.data, footer.data, diag);
    pl_buf_clear(&title);
    pl_buf_printf(&title, "%s年度目标任务导入核对表：单位（%zu个）", year, c->nunits);
    units_sheet(x, c, title.data, footer.data);
    pl_buf_clear(&title);
    pl_buf_printf(&title, "%s年度报送周期", year);
    cycles_sheet(x, c, title.data, footer.data);
    st = pl_xlsx_close(x);
done:
    pl_buf_fini(&title);
    pl_buf_fini(&footer);
    return st;
}
