/* forms — blank returns per host unit, as CSV or XLSX. */
#include "forms.h"
#include <fcntl.h>

#include <errno.h>
#include <iconv.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "csv.h"
#include "fsutil.h"
#include "safename.h"
#include "catalog.h"
#include "strmap.h"
#include "table.h"
#include "text.h"
#include "xlsx.h"
#include "zipparts.h"

const char *const pl_forms_status_values[] = {"已完成", "序时推进", "滞后", "未启动", NULL};

/* The form's columns; the first PREFILLED are filled in here, the rest by the unit. */
enum form_col {
    F_ID,
    F_TITLE,
    F_LEADERS,
    F_METRIC,
    F_TARGET,
    F_UNIT, /* pre-filled */
    F_OWNER,
    F_PHONE,
    F_PROGRESS,
    F_STATUS,
    F_VALUE,
    F_NARRATIVE,
    F_PROBLEMS,
    F_NEXT_STEPS,
    F_REPORTED_ON,
    F_COUNT
};
#define PREFILLED F_OWNER

static const struct {
    const char *header;
    double width;
} form_cols[F_COUNT] = {
    {"任务编号", 7},  {"工作任务", 24}, {"牵头领导", 10}, {"指标", 18},     {"目标值", 10},
    {"承办单位", 14}, {"责任人", 8},    {"联系电话", 13}, {"完成进度", 8},  {"状态", 10},
    {"完成值", 9},    {"进展情况", 36}, {"存在问题", 24}, {"下步措施", 24}, {"填报日期", 11},
};

struct catalog {
    struct pl_table tasks, units, indicators, cycles, document;
    int t_id, t_kind, t_title, t_text, t_leaders, t_hosts;
    const char *subset; /* cycles.csv tasks of the cycle: "" for every task */
    int i_task, i_metric, i_comparator, i_value, i_unit;
    const char *label, *start, *deadline, *office;
};

struct form_row {
    size_t task;    /* row of tasks.csv */
    long indicator; /* row of indicators.csv, or -1 for the task's own row */
};

/* ---- small helpers ----------------------------------------------------------------------- */

static bool iso_date(const char *s, int ymd[3])
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return false;
    ymd[0] = atoi(s);
    ymd[1] = atoi(s + 5);
    ymd[2] = atoi(s + 8);
    return ymd[1] >= 1 && ymd[1] <= 12 && ymd[2] >= 1 && ymd[2] <= 31;
}

/* Y-M-D moved by DAYS (civil calendar). */
static void add_days(int ymd[3], int days)
{
    static const int len[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    for (int i = 0; i < days; i++) {
        int y = ymd[0], m = ymd[1];
        int last = len[m - 1] + (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0));
        if (++ymd[2] > last) {
            ymd[2] = 1;
            if (++ymd[1] > 12) {
                ymd[1] = 1;
                ymd[0]++;
            }
        }
    }
}

static long long epoch_of(const int ymd[3])
{
    int y = ymd[0] - (ymd[1] <= 2), m = ymd[1], d = ymd[2];
    long long era = (y >= 0 ? y : y - 399) / 400;
    long long yoe = y - era * 400;
    long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (era * 146097 + doe - 719468) * 86400;
}

static void append_date_words(struct pl_buf *out, const char *iso)
{
    int ymd[3];
    if (iso_date(iso, ymd))
        pl_buf_printf(out, "%d年%d月%d日", ymd[0], ymd[1], ymd[2]);
    else
        pl_buf_append_str(out, iso);
}

/* The leaders of task row I joined with 、. */
static void leaders_text(const struct catalog *c, size_t i, struct pl_buf *out)
{
    pl_buf_clear(out);
    for (const char *p = pl_table_get(&c->tasks, i, c->t_leaders); *p; p++)
        if (*p == '|')
            pl_buf_append_str(out, "、");
        else
            pl_buf_append_char(out, *p);
}

/* An indicator's target as people write it: ≥27家, 约6.5%, ≤4%. */
static void target_text(const struct catalog *c, long i, struct pl_buf *out)
{
    pl_buf_clear(out);
    if (i < 0)
        return;
    const char *cmp = pl_table_get(&c->indicators, (size_t)i, c->i_comparator);
    const char *sign = !strcmp(cmp, ">=")   ? "≥"
                       : !strcmp(cmp, "<=") ? "≤"
                       : !strcmp(cmp, "~")  ? "约"
                       : !strcmp(cmp, ">")  ? ">"
                       : !strcmp(cmp, "<")  ? "<"
                                            : "";
    pl_buf_printf(out, "%s%s%s", sign, pl_table_get(&c->indicators, (size_t)i, c->i_value),
                  pl_table_get(&c->indicators, (size_t)i, c->i_unit));
}

/* ---- the catalog ------------------------------------------------------------------------- */

static enum pl_status read_file(const char *dir, const char *file, bool optional,
                                struct pl_table *t, struct pl_diag *diag)
{
    struct pl_buf path;
    pl_buf_init(&path);
    enum pl_status st = pl_buf_printf(&path, "%s/%s", dir, file);
    if (st == PL_OK && optional && access(path.data, F_OK) != 0) {
        pl_buf_fini(&path);
        return PL_OK;
    }
    if (st == PL_OK)
        st = pl_catalog_read_table(dir, file, t, diag); /* names resolved as everywhere */
    pl_buf_fini(&path);
    return st == PL_ERR_DATA || st == PL_ERR_ENCODING ? PL_ERR_CONFIG : st;
}

static enum pl_status load(struct catalog *c, const struct pl_forms_options *opt,
                           struct pl_diag *diag)
{
    enum pl_status st;
    if ((st = read_file(opt->catalog, "tasks.csv", false, &c->tasks, diag)) != PL_OK ||
        (st = read_file(opt->catalog, "cycles.csv", false, &c->cycles, diag)) != PL_OK ||
        (st = read_file(opt->catalog, "units.csv", true, &c->units, diag)) != PL_OK ||
        (st = read_file(opt->catalog, "indicators.csv", true, &c->indicators, diag)) != PL_OK ||
        (st = read_file(opt->catalog, "document.csv", true, &c->document, diag)) != PL_OK)
        return st;
    static const char *const tneed[] = {"id", "title", "text", "leaders", "hosts"};
    static const char *const cneed[] = {"id", "label", "start", "deadline"};
    if (pl_table_require(&c->tasks, tneed, 5, diag) != PL_OK ||
        pl_table_require(&c->cycles, cneed, 4, diag) != PL_OK)
        return PL_ERR_CONFIG;
    c->t_id = pl_table_column(&c->tasks, "id");
    c->t_kind = pl_table_column(&c->tasks, "kind");
    c->t_title = pl_table_column(&c->tasks, "title");
    c->t_text = pl_table_column(&c->tasks, "text");
    c->t_leaders = pl_table_column(&c->tasks, "leaders");
    c->t_hosts = pl_table_column(&c->tasks, "hosts");
    c->i_task = pl_table_column(&c->indicators, "task_id");
    c->i_metric = pl_table_column(&c->indicators, "metric");
    c->i_comparator = pl_table_column(&c->indicators, "comparator");
    c->i_value = pl_table_column(&c->indicators, "value");
    c->i_unit = pl_table_column(&c->indicators, "unit");
    int ci = pl_table_column(&c->cycles, "id");
    for (size_t i = 0; i < c->cycles.nrows; i++)
        if (!strcmp(pl_table_get(&c->cycles, i, ci), opt->cycle)) {
            c->label = pl_table_get(&c->cycles, i, pl_table_column(&c->cycles, "label"));
            c->start = pl_table_get(&c->cycles, i, pl_table_column(&c->cycles, "start"));
            c->deadline = pl_table_get(&c->cycles, i, pl_table_column(&c->cycles, "deadline"));
            c->subset = pl_table_get(&c->cycles, i, pl_table_column(&c->cycles, "tasks"));
        }
    if (!c->label) {
        pl_diag_report(diag, c->cycles.source, 0, 0, "E_UNKNOWN_CYCLE", "周期“%s”不在周期表中",
                       opt->cycle);
        return PL_ERR_CONFIG;
    }
    c->office = "县政府督查室";
    int dk = pl_table_column(&c->document, "key"), dv = pl_table_column(&c->document, "value");
    for (size_t i = 0; dk >= 0 && i < c->document.nrows; i++)
        if (!strcmp(pl_table_get(&c->document, i, dk), "office") &&
            *pl_table_get(&c->document, i, dv))
            c->office = pl_table_get(&c->document, i, dv);
    return PL_OK;
}

static void unload(struct catalog *c)
{
    pl_table_free(&c->tasks);
    pl_table_free(&c->units);
    pl_table_free(&c->indicators);
    pl_table_free(&c->cycles);
    pl_table_free(&c->document);
}

/* Whether the cycle demands the task of tasks.csv row I (issue 16: a 专题调度 on some tasks
 * sends forms for those only, to their hosts only). */
static bool in_cycle(const struct catalog *c, size_t i)
{
    struct pl_task t = {.id = (char *)pl_table_get(&c->tasks, i, c->t_id)};
    struct pl_cycle y = {.tasks = (char *)c->subset};
    if (!pl_task_kind_parse(pl_table_get(&c->tasks, i, c->t_kind), &t.kind))
        t.kind = PL_TASK_KEY;
    return pl_catalog_cycle_has_task(&y, &t);
}

/* The forms to write: the units, each with its rows. Worked out in one pass over the tasks
 * and one over the indicators, with the names in maps: a province's 9,000 units by a few
 * hundred tasks would otherwise walk every task's host list once per unit. */
struct plan {
    char **units; /* names, in order of first appearance as a host */
    size_t nunits;
    struct unit_rows {
        struct form_row *rows;
        size_t n, cap;
    } *forms; /* per unit */
};

static void plan_fini(struct plan *p)
{
    for (size_t u = 0; u < p->nunits; u++) {
        free(p->units[u]);
        free(p->forms[u].rows);
    }
    free(p->units);
    free(p->forms);
    memset(p, 0, sizeof *p);
}

static enum pl_status push_row(struct unit_rows *f, struct form_row row)
{
    if (f->n == f->cap) {
        size_t cap = f->cap ? f->cap * 2 : 16;
        struct form_row *grown = realloc(f->rows, cap * sizeof *grown);
        if (!grown)
            return PL_ERR_NOMEM;
        f->rows = grown;
        f->cap = cap;
    }
    f->rows[f->n++] = row;
    return PL_OK;
}

/* Adds the host NAME of tasks.csv row I to P, unless it was seen or is a collective
 * (UNIT_ROWS: units.csv's rows by name; SEEN: P's units by name, index + 1, and 0 for a
 * collective). *AT gets the unit's index, or -1 when it gets no form. */
static enum pl_status add_host(const struct catalog *c, struct plan *p, size_t *cap,
                               const struct pl_strmap *unit_rows, struct pl_strmap *seen, size_t i,
                               const char *name, size_t len, long *at, struct pl_diag *diag)
{
    *at = -1;
    if (!len)
        return PL_OK;
    const size_t *known = pl_strmap_get(seen, name, len);
    if (known) {
        *at = (long)*known - 1;
        return PL_OK;
    }
    char *copy = strndup(name, len);
    if (!copy)
        return PL_ERR_NOMEM;
    const size_t *row = pl_strmap_get(unit_rows, name, len);
    if (!row)
        pl_diag_report(diag, c->tasks.source, c->tasks.lines[i], 0, "W_UNKNOWN_UNIT",
                       "承办单位“%s”不在单位表中：照常生成报表", copy);
    int uk = pl_table_column(&c->units, "kind");
    size_t *value;
    bool added;
    if (row && !strcmp(pl_table_get(&c->units, *row, uk), "collective")) {
        free(copy);
        return pl_strmap_put(seen, name, len, 0, &value, &added);
    }
    if (p->nunits == *cap) {
        size_t nc = *cap ? *cap * 2 : 32;
        char **grown = realloc(p->units, nc * sizeof *grown);
        struct unit_rows *fgrown = grown ? realloc(p->forms, nc * sizeof *fgrown) : NULL;
        if (grown)
            p->units = grown;
        if (!fgrown) {
            free(copy);
            return PL_ERR_NOMEM;
        }
        p->forms = fgrown;
        *cap = nc;
    }
    enum pl_status st = pl_strmap_put(seen, name, len, p->nunits + 1, &value, &added);
    if (st != PL_OK) {
        free(copy);
        return st;
    }
    p->units[p->nunits] = copy;
    p->forms[p->nunits] = (struct unit_rows){0};
    *at = (long)p->nunits++;
    return PL_OK;
}

/* The units a form goes to (every host of a task the cycle demands, in order of first
 * appearance, but the collectives), and for each the rows of its form: each task it hosts,
 * followed by the task's indicators. */
static enum pl_status plan_forms(const struct catalog *c, struct plan *p, struct pl_diag *diag)
{
    memset(p, 0, sizeof *p);
    struct pl_strmap unit_rows, seen, indicators;
    pl_strmap_init(&unit_rows);
    pl_strmap_init(&seen);
    pl_strmap_init(&indicators);
    /* Each task's indicators, in the file's order: a chain of rows through NEXT. */
    size_t ni = c->indicators.nrows;
    size_t *next = calloc(ni ? ni : 1, sizeof *next), *last = calloc(ni ? ni : 1, sizeof *last);
    enum pl_status st = next && last ? PL_OK : PL_ERR_NOMEM;
    size_t *value;
    bool added;
    int un = pl_table_column(&c->units, "name");
    for (size_t k = 0; un >= 0 && k < c->units.nrows && st == PL_OK; k++) {
        const char *name = pl_table_get(&c->units, k, un);
        st = pl_strmap_put(&unit_rows, name, strlen(name), k, &value, &added);
    }
    for (size_t k = 0; k < ni && st == PL_OK; k++) {
        const char *id = pl_table_get(&c->indicators, k, c->i_task);
        next[k] = SIZE_MAX;
        st = pl_strmap_put(&indicators, id, strlen(id), k, &value, &added);
        if (st == PL_OK && !added) { /* VALUE holds the chain's first row */
            next[last[*value]] = k;
            last[*value] = k;
        } else {
            last[k] = k;
        }
    }
    size_t cap = 0;
    for (size_t i = 0; i < c->tasks.nrows && st == PL_OK; i++) {
        if (!in_cycle(c, i))
            continue;
        const char *id = pl_table_get(&c->tasks, i, c->t_id);
        const size_t *first = pl_strmap_get(&indicators, id, strlen(id));
        const char *hosts = pl_table_get(&c->tasks, i, c->t_hosts);
        for (const char *q = hosts; *q && st == PL_OK;) {
            const char *bar = strchr(q, '|');
            size_t len = bar ? (size_t)(bar - q) : strlen(q);
            long u;
            st = add_host(c, p, &cap, &unit_rows, &seen, i, q, len, &u, diag);
            /* A unit named twice in one task's hosts still gets the task once. */
            struct unit_rows *f = u >= 0 ? &p->forms[u] : NULL;
            if (st == PL_OK && f && !(f->n && f->rows[f->n - 1].task == i)) {
                st = push_row(f, (struct form_row){i, -1});
                for (size_t k = first ? *first : SIZE_MAX; st == PL_OK && k != SIZE_MAX;
                     k = next[k])
                    st = push_row(f, (struct form_row){i, (long)k});
            }
            if (!bar)
                break;
            q = bar + 1;
        }
    }
    free(next);
    free(last);
    pl_strmap_fini(&unit_rows);
    pl_strmap_fini(&seen);
    pl_strmap_fini(&indicators);
    if (st != PL_OK)
        plan_fini(p);
    return st;
}

/* The pre-filled text of column COL for ROW of UNIT's form; BUF is scratch space. */
static const char *prefilled(const struct catalog *c, const struct form_row *row, const char *unit,
                             enum form_col col, struct pl_buf *buf)
{
    const char *title;
    switch (col) {
    case F_ID:
        return pl_table_get(&c->tasks, row->task, c->t_id);
    case F_TITLE:
        title = pl_table_get(&c->tasks, row->task, c->t_title);
        return *title ? title : pl_table_get(&c->tasks, row->task, c->t_text);
    case F_LEADERS:
        leaders_text(c, row->task, buf);
        return buf->data;
    case F_METRIC:
        return row->indicator < 0
                   ? ""
                   : pl_table_get(&c->indicators, (size_t)row->indicator, c->i_metric);
    case F_TARGET:
        target_text(c, row->indicator, buf);
        return buf->data;
    case F_UNIT:
        return unit;
    default:
        return "";
    }
}

static void title_text(const struct catalog *c, const char *unit, struct pl_buf *out)
{
    pl_buf_clear(out);
    pl_buf_printf(out, "%s%s重点工作落实情况报表（", unit, c->label);
    append_date_words(out, c->deadline);
    pl_buf_append_str(out, "前报送）");
}

/* How a unit returns the form, said plainly: the file itself, as it is. */
static const char *return_text(bool xlsx)
{
    return xlsx ? "填好后直接报送本工作簿（.xlsx文件），无需另存为CSV或其他格式"
                : "填好后直接报送本文件（.csv），无需另存为其他格式";
}

static void instructions_text(const struct catalog *c, bool xlsx, struct pl_buf *out)
{
    pl_buf_clear(out);
    pl_buf_append_str(out, "填报说明：请于");
    append_date_words(out, c->deadline);
    pl_buf_printf(out,
                  "前报%s，%s。%s已预先填好，请勿改动；每项任务一行，有量化指标的另起一行"
                  "填写完成值（完成进度和状态填在任务所在行，指标行可不填）。完成进度填0至100的"
                  "数字（不带%%号）；状态填已完成、序时推进、滞后或未启动；填报日期写作%s。",
                  c->office, return_text(xlsx), xlsx ? "灰色各列" : "任务编号至承办单位各列",
                  c->deadline);
    if (xlsx)
        pl_buf_append_str(out, "需要补报表中没有的指标或事项的，填在表末空白行（写明任务编号），"
                               "不够可插入行。");
}

/* ---- CSV --------------------------------------------------------------------------------- */

/* Converts UTF-8 IN to GBK in OUT. PL_ERR_DATA when a character has no GBK form (*BAD gets
 * the byte offset in IN), PL_ERR_NOMEM. */
static enum pl_status to_gbk(const struct pl_buf *in, struct pl_buf *out, size_t *bad)
{
    iconv_t cd = iconv_open("GBK", "UTF-8");
    if (cd == (iconv_t)-1)
        return PL_ERR_INTERNAL;
    enum pl_status st = pl_buf_reserve(out, in->len * 2 + 16);
    char *src = in->data;
    size_t left = in->len;
    while (st == PL_OK && left) {
        char *dst = out->data + out->len;
        size_t room = out->cap - out->len - 1;
        size_t r = iconv(cd, &src, &left, &dst, &room);
        out->len = (size_t)(dst - out->data);
        if (r != (size_t)-1)
            break;
        if (errno == E2BIG)
            st = pl_buf_reserve(out, left * 2 + 16);
        else {
            *bad = (size_t)(src - in->data);
            st = PL_ERR_DATA;
        }
    }
    out->data[out->len] = '\0';
    iconv_close(cd);
    return st;
}

static enum pl_status write_csv(const struct catalog *c, const char *unit,
                                const struct form_row *rows, size_t n, const char *path, bool gbk,
                                struct pl_diag *diag)
{
    char *text = NULL;
    size_t size = 0;
    FILE *mem = open_memstream(&text, &size);
    if (!mem)
        return PL_ERR_NOMEM;
    struct pl_csv_writer w;
    pl_csv_writer_init(&w, mem, (gbk ? 0 : PL_CSV_BOM) | PL_CSV_EXCEL_SAFE);
    struct pl_buf buf;
    pl_buf_init(&buf);
    title_text(c, unit, &buf);
    pl_csv_write_row(&w, (const char *const[]){buf.data}, 1);
    instructions_text(c, false, &buf);
    pl_csv_write_row(&w, (const char *const[]){buf.data}, 1);
    for (int k = 0; k < F_COUNT; k++)
        pl_csv_write_str(&w, form_cols[k].header);
    pl_csv_end_row(&w);
    for (size_t i = 0; i < n; i++) {
        for (int k = 0; k < F_COUNT; k++)
            pl_csv_write_str(&w, prefilled(c, &rows[i], unit, (enum form_col)k, &buf));
        pl_csv_end_row(&w);
    }
    pl_csv_end_row(&w);
    pl_csv_write_row(&w,
                     (const char *const[]){"填报人：", "", "", "", "", "", "联系电话：", "", "",
                                           "审核人（单位负责人）："},
                     10);
    enum pl_status st = pl_csv_writer_status(&w);
    if (fclose(mem) != 0 && st == PL_OK)
        st = PL_ERR_NOMEM;
    struct pl_buf utf8 = {text, size, size + 1}, out;
    pl_buf_init(&out);
    if (st == PL_OK && gbk) {
        size_t bad = 0;
        st = to_gbk(&utf8, &out, &bad);
        if (st == PL_ERR_DATA) {
            size_t line = 1;
            for (size_t k = 0; k < bad; k++)
                line += text[k] == '\n';
            uint32_t cp = 0;
            size_t len = pl_utf8_decode(text + bad, size - bad, &cp);
            pl_diag_report(diag, path, line, 0, "E_UNENCODABLE",
                           "字符“%.*s”（U+%04X）无法用GBK表示：这份报表没有生成，请改用UTF-8",
                           (int)len, text + bad, (unsigned)cp);
        }
    }
    struct pl_atomic_file f = {0};
    if (st == PL_OK)
        st = pl_atomic_open(&f, path, diag);
    if (st == PL_OK) {
        const struct pl_buf *b = gbk ? &out : &utf8;
        if (fwrite(b->data, 1, b->len, f.fp) != b->len)
            st = PL_ERR_IO;
        enum pl_status cs = pl_atomic_commit_unsynced(&f, diag);
        if (st == PL_OK)
            st = cs;
    }
    pl_buf_fini(&out);
    pl_buf_fini(&buf);
    free(text);
    return st;
}

/* ---- XLSX -------------------------------------------------------------------------------- */

/* The open rows below the pre-filled ones. */
#define FORM_SPARE_ROWS 3

/* The style of an input cell of column COL: telephone numbers stay text (a leading 0 kept),
 * dates are dates, short words are centred. */
static enum pl_xlsx_style input_style(enum form_col col)
{
    switch (col) {
    case F_PHONE:
        return PL_XS_INPUT_TEXT;
    case F_REPORTED_ON:
        return PL_XS_INPUT_DATE;
    case F_ID:
    case F_PROGRESS:
    case F_VALUE:
    case F_OWNER:
    case F_STATUS:
        return PL_XS_INPUT_NUMBER;
    default:
        return PL_XS_INPUT;
    }
}

static enum pl_status write_xlsx(const struct catalog *c, const char *unit,
                                 const struct form_row *rows, size_t n, const char *path,
                                 long long created, struct pl_zipparts *parts,
                                 struct pl_diag *diag)
{
    struct pl_buf title, buf;
    pl_buf_init(&title);
    pl_buf_init(&buf);
    title_text(c, unit, &title);
    int start[3] = {1900, 1, 1}, until[3] = {9999, 12, 31};
    iso_date(c->start, start);
    if (iso_date(c->deadline, until))
        add_days(until, 60); /* DESIGN.md: more than 60 days after the deadline is an error */
    if (created < 0)
        created = epoch_of(start);
    struct pl_xlsx_props props = {.title = title.data,
                                  .subject = c->label,
                                  .author = c->office,
                                  .keywords = "重点工作,报表",
                                  .created = created,
                                  .unsynced = true,
                                  .parts = parts};
    struct pl_xlsx *x;
    enum pl_status st = pl_xlsx_open(&x, path, &props, diag);
    if (st != PL_OK)
        goto done;
    struct pl_xlsx_sheet *sh = pl_xlsx_add_sheet(x, "报表");
    const unsigned last = F_COUNT - 1, head = 3;
    pl_xlsx_row_height(sh, 0, 30);
    pl_xlsx_merge_text(sh, 0, 0, last, title.data, PL_XS_TITLE);
    pl_buf_clear(&buf);
    pl_buf_printf(&buf, "填报单位：%s　　报送截止：", unit);
    append_date_words(&buf, c->deadline);
    pl_buf_printf(&buf, "（报%s）　　%s", c->office, return_text(true));
    pl_xlsx_merge_text(sh, 1, 0, last, buf.data, PL_XS_SUBTITLE);
    instructions_text(c, true, &buf);
    double width = 0;
    for (int k = 0; k < F_COUNT; k++)
        width += form_cols[k].width;
    pl_xlsx_row_height(sh, 2, pl_xlsx_lines_height(pl_xlsx_lines(buf.data, width)));
    pl_xlsx_merge_text(sh, 2, 0, last, buf.data, PL_XS_NOTE);
    pl_xlsx_row_height(sh, head, pl_xlsx_lines_height(2));
    for (int k = 0; k < F_COUNT; k++) {
        pl_xlsx_text(sh, head, (unsigned)k, form_cols[k].header, PL_XS_HEADER);
        pl_xlsx_column_width(sh, (unsigned)k, form_cols[k].width);
    }
    for (size_t i = 0; i < n; i++) {
        unsigned row = head + 1 + (unsigned)i, lines = 2;
        for (int k = 0; k < PREFILLED; k++) {
            const char *text = prefilled(c, &rows[i], unit, (enum form_col)k, &buf);
            unsigned l = pl_xlsx_lines(text, form_cols[k].width);
            lines = l > lines ? l : lines;
            pl_xlsx_text(sh, row, (unsigned)k, text, PL_XS_LOCKED);
        }
        pl_xlsx_row_height(sh, row, pl_xlsx_lines_height(lines));
        for (int k = PREFILLED; k < F_COUNT; k++)
            pl_xlsx_blank(sh, row, (unsigned)k, input_style((enum form_col)k));
    }
    /* Spare rows below the pre-filled ones, every cell open: for an indicator or a matter the
     * form lacks; rows inserted among them (the protection allows it) are open too. */
    for (unsigned i = 0; i < FORM_SPARE_ROWS; i++) {
        unsigned row = head + 1 + (unsigned)n + i;
        pl_xlsx_row_height(sh, row, pl_xlsx_lines_height(2));
        for (int k = 0; k < F_COUNT; k++)
            pl_xlsx_blank(sh, row, (unsigned)k, input_style((enum form_col)k));
    }
    unsigned first = head + 1, final = head + (unsigned)n + FORM_SPARE_ROWS;
    pl_xlsx_validate_list(sh, first, F_STATUS, final, pl_forms_status_values,
                          "从下拉列表中选择：已完成、序时推进、滞后、未启动",
                          "状态只能是已完成、序时推进、滞后或未启动");
    pl_xlsx_validate_number(sh, first, F_PROGRESS, final, 0, 100,
                            "填0至100的数字，表示完成年度任务的百分之几，不带%号；指标行可不填",
                            "完成进度应是0至100之间的数字");
    pl_buf_clear(&buf);
    pl_buf_printf(&buf, "填写日期，如%s；应在%d-%02d-%02d至%d-%02d-%02d之间", c->deadline, start[0],
                  start[1], start[2], until[0], until[1], until[2]);
    struct pl_buf error;
    pl_buf_init(&error);
    pl_buf_printf(&error, "填报日期不是本周期内的日期，请按%s的样式填写", c->deadline);
    pl_xlsx_validate_date(sh, first, F_REPORTED_ON, final, start, until, buf.data, error.data);
    pl_buf_fini(&error);
    /* The signature row is the unit's to fill: every cell open, labels included, so that
     * 填报人：张三 may be typed after the label or in its place. */
    unsigned sig = final + 2;
    for (int k = 0; k < F_COUNT; k++)
        pl_xlsx_blank(sh, sig, (unsigned)k, PL_XS_INPUT_PLAIN);
    pl_xlsx_text(sh, sig, 0, "填报人：", PL_XS_INPUT_PLAIN);
    pl_xlsx_text(sh, sig, F_PHONE, "联系电话：", PL_XS_INPUT_PLAIN);
    pl_xlsx_text(sh, sig, F_NARRATIVE, "审核人（单位负责人）：", PL_XS_INPUT_PLAIN);
    pl_xlsx_freeze(sh, head + 1, 2);
    pl_xlsx_print_setup(sh, true, head, head, title.data);
    pl_xlsx_protect(sh);
    st = pl_xlsx_close(x);
done:
    pl_buf_fini(&title);
    pl_buf_fini(&buf);
    return st;
}

/* ---- all forms --------------------------------------------------------------------------- */

enum pl_status pl_forms_write(const struct pl_forms_options *opt, size_t *written,
                              struct pl_diag *diag)
{
    if (written)
        *written = 0;
    struct catalog c = {0};
    struct plan plan = {0};
    struct pl_safename_set names;
    pl_safename_set_init(&names);
    struct pl_buf path;
    pl_buf_init(&path);
    bool skipped = false;
    /* Most parts of a form workbook are the same bytes in every form: compressed once. */
    struct pl_zipparts *parts = NULL;
    enum pl_status st = load(&c, opt, diag);
    if (st != PL_OK || (st = plan_forms(&c, &plan, diag)) != PL_OK)
        goto fail;
    if (opt->format == PL_FORMS_XLSX && (st = pl_zipparts_new(&parts, PL_ZIPPARTS_BUDGET)) != PL_OK)
        goto fail;
    if (mkdir(opt->outdir, 0777) != 0 && errno != EEXIST) {
        pl_diag_report(diag, opt->outdir, 0, 0, "E_CANNOT_CREATE", "无法创建目录：%s",
                       strerror(errno));
        st = PL_ERR_CREATE;
        goto fail;
    }
    const char *ext = opt->format == PL_FORMS_XLSX ? ".xlsx" : ".csv";
    for (size_t u = 0; u < plan.nunits && st == PL_OK; u++) {
        const char *unit = plan.units[u];
        const struct form_row *rows = plan.forms[u].rows;
        size_t n = plan.forms[u].n;
        pl_buf_clear(&path);
        st = pl_buf_printf(&path, "%s/", opt->outdir);
        if (st == PL_OK)
            st = pl_safename_unique(&names, unit, strlen(unit), ext, &path);
        if (st == PL_OK)
            st = opt->format == PL_FORMS_XLSX
                     ? write_xlsx(&c, unit, rows, n, path.data, opt->created, parts, diag)
                     : write_csv(&c, unit, rows, n, path.data, opt->gbk, diag);
        if (st == PL_ERR_DATA) { /* this form only: the others go on */
            skipped = true;
            st = PL_OK;
        } else if (st == PL_OK && written) {
            (*written)++;
        }
    }
    /* Every form, CSV or workbook, was put in place unsynced: one sync for all (issue 17). */
    if (st == PL_OK)
        st = pl_sync_folder(opt->outdir, diag);
fail:
    pl_zipparts_free(parts);
    plan_fini(&plan);
    pl_buf_fini(&path);
    pl_safename_set_fini(&names);
    unload(&c);
    return st == PL_OK && skipped ? PL_ERR_DATA : st;
}
