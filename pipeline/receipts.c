/* receipts — each unit's receipt (回执), the index for phoning, and the 催报 list. */
#include "receipts.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "check.h"
#include "csv.h"
#include "date.h"
#include "fields.h"
#include "fsutil.h"
#include "record.h"
#include "safename.h"
#include "strmap.h"
#include "table.h"
#include "workbook.h"
#include "xlsx.h"
#include "zipparts.h"

/* ---- small helpers ----------------------------------------------------------------------- */

static char *dup(const char *s)
{
    return strdup(s ? s : "");
}

/* The column of T whose header is NAME in ASCII or, as ducha-check writes its rejects for
 * staff, in Chinese (pl_check_reject_column()), or -1. */
static int column_of(const struct pl_table *t, const char *name)
{
    for (size_t i = 0; i < t->ncols; i++) {
        const char *ascii = pl_check_reject_column(t->names[i]);
        if (strcmp(t->names[i], name) == 0 || (ascii && strcmp(ascii, name) == 0))
            return (int)i;
    }
    return -1;
}

/* The first MAX characters of S (UTF-8), with … when cut. */
static char *cut_chars(const char *s, size_t max)
{
    size_t n = 0, i = 0;
    while (s[i] && n < max) {
        i++;
        while ((s[i] & 0xC0) == 0x80)
            i++;
        n++;
    }
    struct pl_buf b;
    pl_buf_init(&b);
    pl_buf_append(&b, s, i);
    if (s[i])
        pl_buf_append_str(&b, "…");
    return pl_buf_take(&b);
}

static const char *base_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

static void format_date(struct pl_buf *out, long days)
{
    int y, m, d;
    pl_date_to_civil(days, &y, &m, &d);
    pl_buf_printf(out, "%d年%d月%d日", y, m, d);
}

/* ---- building ---------------------------------------------------------------------------- */

struct builder {
    struct pl_receipts *r;
    const struct pl_receipts_input *in;
    struct pl_diag *diag;
    /* The unit each source file's rows name, by the file's path: SOURCE_SEVERAL, or the unit's
     * index + 1. A map, because a province's cycle brings thousands of files. */
    struct pl_strmap sources;
    /* per catalog unit, while building */
    struct pl_receipt *acc;
    bool *wanted;
};

static long unit_index(const struct pl_catalog *c, const char *name)
{
    if (!name || !*name)
        return -1;
    const struct pl_unit *u = pl_catalog_find_unit(c, name);
    if (!u || u->kind == PL_UNIT_COLLECTIVE)
        return -1;
    return (long)(u - c->units);
}

enum { SOURCE_SEVERAL = 0 };

static enum pl_status note_source(struct builder *b, const char *source, long unit)
{
    if (unit < 0 || !*source)
        return PL_OK;
    size_t *value;
    bool added;
    enum pl_status st = pl_strmap_put(&b->sources, source, strlen(source), (size_t)unit + 1,
                                      &value, &added);
    if (st == PL_OK && !added && *value != (size_t)unit + 1)
        *value = SOURCE_SEVERAL;
    return st;
}

/* The one unit a file's rows name, or -1 when they name none or several. */
static long source_unit(const struct builder *b, const char *source)
{
    const size_t *value = pl_strmap_get(&b->sources, source, strlen(source));
    return value && *value != SOURCE_SEVERAL ? (long)*value - 1 : -1;
}

static const char C_SOURCE[] = "source", C_LINE[] = "line", C_TASK[] = "task_id",
                  C_UNIT[] = "unit", C_CODE[] = "code", C_COLUMN[] = "column",
                  C_ERROR[] = "error", C_COLUMNS[] = "columns", C_SHEET[] = "sheet";

static enum pl_status read_table(const char *path, struct pl_table *t, struct pl_diag *diag)
{
    memset(t, 0, sizeof *t);
    return pl_table_read(path, t, diag);
}

/* Where a rejected row stands in the unit's file, as the unit sees it. */
static enum pl_status where_of(struct pl_buf *out, const char *source, unsigned long line,
                              const char *sheet, const char *columns, const char *column)
{
    enum pl_field f = pl_field_by_name(column, strcspn(column, "|"));
    const char *label = f < PL_F_COUNT ? pl_field_label(f) : NULL;
    enum pl_status st = pl_buf_printf(out, "%s ", base_name(source));
    if (st != PL_OK || !*sheet)
        return st != PL_OK ? st
               : label  ? pl_buf_printf(out, "第%lu行（%s）", line, label)
                        : pl_buf_printf(out, "第%lu行", line);
    /* `columns` holds the 1-based columns of task_id … reported_on, joined by |. */
    unsigned long at = 0;
    if (f >= PL_F_TASK_ID && f < PL_F_COUNT) {
        const char *p = columns;
        for (int k = PL_F_TASK_ID; *p && k < (int)f; k++) {
            p = strchr(p, '|');
            p = p ? p + 1 : "";
        }
        at = strtoul(p, NULL, 10);
    }
    if (!at)
        return pl_buf_printf(out, "%s!第%lu行", sheet, line);
    struct pl_buf cell;
    pl_buf_init(&cell);
    st = pl_workbook_cell_name(&cell, at - 1, line);
    if (st == PL_OK)
        st = pl_buf_printf(out, "%s!%s", sheet, cell.data);
    pl_buf_fini(&cell);
    return st;
}

/* Splits a rejects message into the problem and how to mend it: ducha-read and ducha-check
 * write "problem：请…" (the last full-width colon followed by a request). A workbook row's
 * message starts with its cell ("落实情况!G5："), which the receipt shows apart. */
static enum pl_status split_message(const char *msg, const char *sheet, char **problem,
                                    char **fix)
{
    static const char colon[] = "：";
    if (*sheet && strncmp(msg, sheet, strlen(sheet)) == 0 && msg[strlen(sheet)] == '!') {
        const char *c = strstr(msg, colon);
        if (c)
            msg = c + strlen(colon);
    }
    const char *split = NULL;
    for (const char *c = strstr(msg, colon); c; c = strstr(c + 1, colon))
        if (strstr(c, "请"))
            split = c;
    if (split) {
        *problem = strndup(msg, (size_t)(split - msg));
        *fix = dup(split + strlen(colon));
    } else {
        *problem = dup(msg);
        *fix = dup("请按问题说明改正后重新报送");
    }
    return *problem && *fix ? PL_OK : PL_ERR_NOMEM;
}

/* A row rejected for several reasons carries codes joined by | and messages joined by "；":
 * each message is split apart, its cell name kept (the row's cells differ), one line each. */
static enum pl_status split_messages(const char *msg, const char *codes, const char *sheet,
                                     char **problem, char **fix)
{
    static const char semi[] = "；";
    size_t n = 1, m = 1;
    for (const char *c = strchr(codes, '|'); c; c = strchr(c + 1, '|'))
        n++;
    for (const char *c = strstr(msg, semi); c; c = strstr(c + 1, semi))
        m++;
    if (n < 2 || m != n)
        return split_message(msg, sheet, problem, fix);
    struct pl_buf p, f;
    pl_buf_init(&p);
    pl_buf_init(&f);
    enum pl_status st = PL_OK;
    for (const char *at = msg; st == PL_OK && at;) {
        const char *end = strstr(at, semi);
        char *part = end ? strndup(at, (size_t)(end - at)) : strdup(at), *pp = NULL, *ff = NULL;
        st = part ? split_message(part, "", &pp, &ff) : PL_ERR_NOMEM;
        if (st == PL_OK)
            st = pl_buf_printf(&p, "%s%s", p.len ? "\n" : "", pp);
        if (st == PL_OK && !strstr(f.data, ff))
            st = pl_buf_printf(&f, "%s%s", f.len ? "\n" : "", ff);
        free(part);
        free(pp);
        free(ff);
        at = end ? end + strlen(semi) : NULL;
    }
    *problem = st == PL_OK ? pl_buf_take(&p) : NULL;
    *fix = st == PL_OK ? pl_buf_take(&f) : NULL;
    pl_buf_fini(&p);
    pl_buf_fini(&f);
    return *problem && *fix ? PL_OK : PL_ERR_NOMEM;
}

static void reject_fini(struct pl_receipt_reject *j)
{
    free(j->source);
    free(j->task_id);
    free(j->task);
    free(j->unit_raw);
    free(j->where);
    free(j->problem);
    free(j->fix);
    free(j->code);
}

static enum pl_status push_reject(struct pl_receipt_reject **v, size_t *n,
                                  const struct pl_receipt_reject *j)
{
    struct pl_receipt_reject *nv = realloc(*v, (*n + 1) * sizeof *nv);
    if (!nv)
        return PL_ERR_NOMEM;
    *v = nv;
    nv[(*n)++] = *j;
    return PL_OK;
}

/* Reads one rejects file: every row to its unit's receipt or to the unattributed. */
static enum pl_status add_rejects(struct builder *b, const struct pl_table *t, const char *path)
{
    const struct pl_catalog *c = b->in->catalog;
    int cs = column_of(t, C_SOURCE), cl = column_of(t, C_LINE), ct = column_of(t, C_TASK),
        cu = column_of(t, C_UNIT), cc = column_of(t, C_CODE), ccol = column_of(t, C_COLUMN),
        ce = column_of(t, C_ERROR), ccols = column_of(t, C_COLUMNS),
        csh = column_of(t, C_SHEET);
    if (cs < 0 || ct < 0 || cu < 0) {
        pl_diag_report(b->diag, path, 1, 0, "E_NOT_REJECTS",
                       "不是退回行文件：缺少source、task_id或unit列");
        return PL_ERR_DATA;
    }
    enum pl_status st = PL_OK;
    struct pl_buf where, id;
    pl_buf_init(&where);
    pl_buf_init(&id);
    for (size_t i = 0; i < t->nrows && st == PL_OK; i++) {
        const char *source = pl_table_get(t, i, cs), *sheet = pl_table_get(t, i, csh);
        const char *unit = pl_table_get(t, i, cu), *task = pl_table_get(t, i, ct);
        unsigned long line = strtoul(pl_table_get(t, i, cl), NULL, 10);
        struct pl_receipt_reject j = {0};
        j.line = line;
        pl_buf_clear(&where);
        st = where_of(&where, source, line, sheet, pl_table_get(t, i, ccols),
                      pl_table_get(t, i, ccol));
        if (st != PL_OK)
            break;
        j.source = dup(source);
        j.task_id = dup(task);
        j.unit_raw = dup(unit);
        j.code = dup(pl_table_get(t, i, cc));
        j.where = pl_buf_take(&where);
        pl_buf_clear(&id);
        if (pl_field_parse_task_id(task, strlen(task), &id, NULL) == PL_OK &&
            pl_catalog_find_task(c, id.data))
            j.task = dup(id.data);
        else
            j.task = dup("");
        st = split_messages(pl_table_get(t, i, ce), j.code, sheet, &j.problem, &j.fix);
        if (st == PL_OK && !(j.source && j.task_id && j.unit_raw && j.code && j.where && j.task))
            st = PL_ERR_NOMEM;
        if (st != PL_OK) {
            reject_fini(&j);
            break;
        }
        long u = unit_index(c, unit);
        if (u < 0)
            u = source_unit(b, source);
        if (u < 0) {
            st = push_reject(&b->r->unattributed, &b->r->nunattributed, &j);
        } else {
            b->wanted[u] = true;
            st = push_reject(&b->acc[u].rejects, &b->acc[u].nrejects, &j);
        }
        if (st != PL_OK)
            reject_fini(&j);
    }
    pl_buf_fini(&where);
    pl_buf_fini(&id);
    return st;
}

/* Notes which unit each file's rows name, from a records or rejects table. */
static enum pl_status learn_sources(struct builder *b, const struct pl_table *t)
{
    int cs = column_of(t, C_SOURCE), cu = column_of(t, C_UNIT);
    if (cs < 0 || cu < 0)
        return PL_OK;
    enum pl_status st = PL_OK;
    for (size_t i = 0; i < t->nrows && st == PL_OK; i++)
        st = note_source(b, pl_table_get(t, i, cs),
                         unit_index(b->in->catalog, pl_table_get(t, i, cu)));
    return st;
}

static enum pl_status add_task(struct pl_receipt *rc, const struct pl_catalog *c,
                               const char *id, enum pl_receipt_state state, bool demanded,
                               const char *progress, const char *colour, const char *reason)
{
    struct pl_receipt_task *v = realloc(rc->tasks, (rc->ntasks + 1) * sizeof *v);
    if (!v)
        return PL_ERR_NOMEM;
    rc->tasks = v;
    const struct pl_task *t = pl_catalog_find_task(c, id);
    const char *title = t ? (t->title && *t->title ? t->title : t->text ? t->text : "") : "";
    struct pl_receipt_task *k = &v[rc->ntasks++];
    *k = (struct pl_receipt_task){dup(id), cut_chars(title, 60), state, demanded,
                                  dup(progress), dup(colour), dup(reason)};
    if (!k->task_id || !k->title || !k->progress || !k->colour || !k->reason)
        return PL_ERR_NOMEM;
    return PL_OK;
}

static enum pl_status add_merged(struct builder *b, const struct pl_table *t)
{
    const struct pl_catalog *c = b->in->catalog;
    int ct = pl_table_column(t, "task_id"), cu = pl_table_column(t, "unit");
    int cm = pl_table_column(t, "missing"), cf = pl_table_column(t, "flags");
    int cp = pl_table_column(t, "progress"), cc = pl_table_column(t, "colour");
    int cr = pl_table_column(t, "reason");
    if (ct < 0 || cu < 0) {
        pl_diag_report(b->diag, b->in->merged, 1, 0, "E_NOT_MERGED",
                       "不是合并结果文件：缺少task_id或unit列");
        return PL_ERR_DATA;
    }
    for (size_t i = 0; i < t->nrows; i++) {
        long u = unit_index(c, pl_table_get(t, i, cu));
        if (u < 0)
            continue;
        const char *missing = pl_table_get(t, i, cm);
        bool demanded = !strstr(pl_table_get(t, i, cf), "W_NOT_DEMANDED");
        enum pl_receipt_state s = !strcmp(missing, "1")   ? PL_RECEIPT_MISSING
                                  : !strcmp(missing, "2") ? PL_RECEIPT_RETURNED
                                                          : PL_RECEIPT_ACCEPTED;
        if (demanded)
            b->wanted[u] = true;
        b->acc[u].demanded |= demanded;
        enum pl_status st = add_task(&b->acc[u], c, pl_table_get(t, i, ct), s, demanded,
                                     pl_table_get(t, i, cp), pl_table_get(t, i, cc),
                                     pl_table_get(t, i, cr));
        if (st != PL_OK)
            return st;
    }
    return PL_OK;
}

/* A merge that does not yet mark 报送有误 still leaves the rejected rows: a task missing for
 * a unit whose rejected row names it was sent and sent back. */
static void settle(struct pl_receipt *rc)
{
    for (size_t k = 0; k < rc->ntasks; k++) {
        struct pl_receipt_task *t = &rc->tasks[k];
        for (size_t j = 0; t->state == PL_RECEIPT_MISSING && j < rc->nrejects; j++)
            if (!strcmp(rc->rejects[j].task, t->task_id))
                t->state = PL_RECEIPT_RETURNED;
        if (!t->demanded)
            continue;
        rc->accepted += t->state == PL_RECEIPT_ACCEPTED;
        rc->returned += t->state == PL_RECEIPT_RETURNED;
        rc->missing += t->state == PL_RECEIPT_MISSING;
    }
    if (rc->nrejects || rc->returned)
        rc->standing = PL_RECEIPT_MEND;
    else if (!rc->missing)
        rc->standing = PL_RECEIPT_PASSED;
    else if (!rc->accepted)
        rc->standing = PL_RECEIPT_NOT_REPORTED;
    else
        rc->standing = PL_RECEIPT_MEND;
}

static void receipt_fini(struct pl_receipt *rc)
{
    for (size_t k = 0; k < rc->ntasks; k++) {
        free(rc->tasks[k].task_id);
        free(rc->tasks[k].title);
        free(rc->tasks[k].progress);
        free(rc->tasks[k].colour);
        free(rc->tasks[k].reason);
    }
    free(rc->tasks);
    for (size_t j = 0; j < rc->nrejects; j++)
        reject_fini(&rc->rejects[j]);
    free(rc->rejects);
    free(rc->file);
    memset(rc, 0, sizeof *rc);
}

enum pl_status pl_receipts_build(struct pl_receipts *r, const struct pl_receipts_input *in,
                                 struct pl_diag *diag)
{
    memset(r, 0, sizeof *r);
    r->deadline = r->fix_deadline = -1;
    r->catalog = in->catalog;
    const struct pl_catalog *c = in->catalog;
    const struct pl_cycle *cy = pl_catalog_find_cycle(c, in->cycle);
    if (!cy) {
        pl_diag_report(diag, NULL, 0, 0, "E_CYCLE_UNKNOWN", "报送周期“%s”不在cycles.csv中",
                       in->cycle);
        return PL_ERR_DATA;
    }
    const char *office = pl_catalog_fact(c, "office");
    r->cycle = dup(cy->id);
    r->label = dup(cy->label && *cy->label ? cy->label : cy->id);
    r->office = dup(office && *office ? office : "县政府督查室");
    if (!r->cycle || !r->label || !r->office)
        return PL_ERR_NOMEM;
    long days;
    if (cy->deadline && pl_date_parse(cy->deadline, strlen(cy->deadline), &days, NULL) == PL_OK) {
        r->deadline = days;
        r->fix_deadline = pl_date_add_days(days, in->grace_days);
    }
    struct builder b = {.r = r, .in = in, .diag = diag};
    pl_strmap_init(&b.sources);
    b.acc = calloc(c->nunits + 1, sizeof *b.acc);
    b.wanted = calloc(c->nunits + 1, sizeof *b.wanted);
    struct pl_table t = {0};
    struct pl_table *rej = calloc(in->nrejects + 1, sizeof *rej);
    enum pl_status st = b.acc && b.wanted && rej ? PL_OK : PL_ERR_NOMEM;
    /* Of the merged rows and the records only the columns read here are kept: a province's
     * files are over 100 MB each, mostly narratives no receipt shows (1,000 counties: peak
     * RSS 256 MB before). */
    static const char *const merged_cols[] = {"task_id", "unit",   "missing", "flags",
                                              "progress", "colour", "reason"};
    static const char *const record_cols[] = {C_SOURCE, C_UNIT};
    if (st == PL_OK)
        st = pl_table_read_columns(in->merged, merged_cols,
                                   sizeof merged_cols / sizeof merged_cols[0], &t, diag);
    if (st == PL_OK)
        st = add_merged(&b, &t);
    pl_table_free(&t);
    if (st == PL_OK && in->records) {
        st = pl_table_read_columns(in->records, record_cols,
                                   sizeof record_cols / sizeof record_cols[0], &t, diag);
        if (st == PL_OK)
            st = learn_sources(&b, &t);
        pl_table_free(&t);
    }
    for (size_t i = 0; st == PL_OK && i < in->nrejects; i++) {
        st = read_table(in->rejects[i], &rej[i], diag);
        /* An empty rejects file (no header: nothing was read at all) has nothing to add. */
        if (st == PL_ERR_DATA && rej[i].ncols == 0) {
            struct stat sb;
            if (stat(in->rejects[i], &sb) == 0 && sb.st_size <= 3)
                st = PL_OK;
        }
        if (st == PL_OK)
            st = learn_sources(&b, &rej[i]);
    }
    for (size_t i = 0; st == PL_OK && i < in->nrejects; i++)
        if (rej[i].ncols)
            st = add_rejects(&b, &rej[i], in->rejects[i]);
    if (rej)
        for (size_t i = 0; i < in->nrejects; i++)
            pl_table_free(&rej[i]);
    free(rej);
    if (st == PL_OK) {
        size_t n = 0;
        for (size_t u = 0; u < c->nunits; u++)
            n += b.wanted[u];
        r->units = calloc(n + 1, sizeof *r->units);
        if (!r->units)
            st = PL_ERR_NOMEM;
    }
    for (size_t u = 0; b.acc && u < c->nunits; u++) {
        if (st == PL_OK && b.wanted[u]) {
            b.acc[u].unit = &c->units[u];
            settle(&b.acc[u]);
            r->units[r->count++] = b.acc[u];
        } else {
            receipt_fini(&b.acc[u]);
        }
    }
    pl_strmap_fini(&b.sources);
    free(b.acc);
    free(b.wanted);
    return st;
}

void pl_receipts_fini(struct pl_receipts *r)
{
    for (size_t i = 0; i < r->count; i++)
        receipt_fini(&r->units[i]);
    free(r->units);
    for (size_t j = 0; j < r->nunattributed; j++)
        reject_fini(&r->unattributed[j]);
    free(r->unattributed);
    free(r->cycle);
    free(r->label);
    free(r->office);
    memset(r, 0, sizeof *r);
}

const char *pl_receipt_state_word(enum pl_receipt_state s)
{
    switch (s) {
    case PL_RECEIPT_ACCEPTED: return "已采用";
    case PL_RECEIPT_RETURNED: return "报送有误";
    case PL_RECEIPT_MISSING: return "未报送";
    }
    return "";
}

const char *pl_receipt_standing_word(enum pl_receipt_standing s)
{
    switch (s) {
    case PL_RECEIPT_PASSED: return "全部通过";
    case PL_RECEIPT_MEND: return "需修改";
    case PL_RECEIPT_NOT_REPORTED: return "未报送";
    }
    return "";
}

static const char *nz(const char *s)
{
    return s ? s : "";
}

/* ---- index.csv --------------------------------------------------------------------------- */

/* The task ids of RC's demanded tasks in STATE, joined with 、 */
static void task_list(struct pl_buf *out, const struct pl_receipt *rc, enum pl_receipt_state state)
{
    bool first = true;
    for (size_t k = 0; k < rc->ntasks; k++) {
        const struct pl_receipt_task *t = &rc->tasks[k];
        if (!t->demanded || t->state != state)
            continue;
        pl_buf_printf(out, "%s%s", first ? "" : "、", t->task_id);
        first = false;
    }
}

static void notes_of(struct pl_buf *out, const struct pl_receipt *rc)
{
    if (rc->missing) {
        pl_buf_append_str(out, "未报送任务：");
        task_list(out, rc, PL_RECEIPT_MISSING);
    }
    if (rc->returned) {
        pl_buf_printf(out, "%s报送有误任务：", out->len ? "；" : "");
        task_list(out, rc, PL_RECEIPT_RETURNED);
    }
    if (!rc->demanded)
        pl_buf_printf(out, "%s本期不要求该单位报送，所报内容有误", out->len ? "；" : "");
}

enum pl_status pl_receipts_write_index(const struct pl_receipts *r, FILE *out)
{
    struct pl_csv_writer w;
    pl_csv_writer_init(&w, out, PL_CSV_BOM | PL_CSV_EXCEL_SAFE);
    static const char *const head[] = {"单位", "联系人", "电话", "报送情况", "需修改条数",
                                       "未报送任务数", "邮箱", "回执", "备注"};
    pl_csv_write_row(&w, head, sizeof head / sizeof head[0]);
    struct pl_buf notes;
    pl_buf_init(&notes);
    for (size_t i = 0; i < r->count; i++) {
        const struct pl_receipt *rc = &r->units[i];
        pl_buf_clear(&notes);
        notes_of(&notes, rc);
        pl_csv_write_str(&w, rc->unit->name);
        pl_csv_write_str(&w, nz(rc->unit->contact));
        pl_csv_write_str(&w, nz(rc->unit->phone));
        pl_csv_write_str(&w, pl_receipt_standing_word(rc->standing));
        pl_csv_write_ulong(&w, rc->nrejects);
        pl_csv_write_ulong(&w, rc->missing);
        pl_csv_write_str(&w, nz(rc->unit->email));
        pl_csv_write_str(&w, nz(rc->file));
        pl_csv_write_str(&w, notes.data);
        pl_csv_end_row(&w);
    }
    for (size_t j = 0; j < r->nunattributed; j++) {
        const struct pl_receipt_reject *x = &r->unattributed[j];
        pl_buf_clear(&notes);
        pl_buf_printf(&notes, "%s 第%lu行：%s；无法确定是哪个单位报送的，请核实后联系该单位修改",
                      x->source, x->line, x->problem);
        pl_csv_write_str(&w, x->unit_raw);
        pl_csv_write_str(&w, "");
        pl_csv_write_str(&w, "");
        pl_csv_write_str(&w, "无法确定单位");
        pl_csv_write_ulong(&w, 1);
        pl_csv_write_str(&w, "");
        pl_csv_write_str(&w, "");
        pl_csv_write_str(&w, "");
        pl_csv_write_str(&w, notes.data);
        pl_csv_end_row(&w);
    }
    pl_buf_fini(&notes);
    return pl_csv_writer_status(&w);
}

/* ---- one receipt as a workbook ----------------------------------------------------------- */

static const char *colour_word(const char *c, enum pl_xlsx_style *style)
{
    if (!strcmp(c, "blue"))
        return *style = PL_XS_BLUE, "蓝";
    if (!strcmp(c, "yellow"))
        return *style = PL_XS_YELLOW, "黄";
    if (!strcmp(c, "red"))
        return *style = PL_XS_RED, "红";
    return *style = PL_XS_CENTER, "";
}

/* Columns of a receipt: A 任务编号, B 任务 / 问题, C–D 情况 / 位置, E 进度, F 颜色 / 修改方法. */
static const double receipt_width[] = {9, 36, 10, 12, 9, 22};
enum { NCOLS = 6 };

static double row_fit(struct pl_xlsx_sheet *sh, unsigned row, const char *const *text,
                      const double *width, size_t n)
{
    unsigned lines = 1;
    for (size_t k = 0; k < n; k++) {
        unsigned l = pl_xlsx_lines(text[k] ? text[k] : "", width[k]);
        if (l > lines)
            lines = l;
    }
    pl_xlsx_row_height(sh, row, pl_xlsx_lines_height(lines));
    return pl_xlsx_lines_height(lines);
}

static double note_row(struct pl_xlsx_sheet *sh, unsigned row, const char *text,
                       enum pl_xlsx_style style)
{
    double total = 0;
    for (int k = 0; k < NCOLS; k++)
        total += receipt_width[k];
    pl_xlsx_merge_text(sh, row, 0, NCOLS - 1, text, style);
    double h = pl_xlsx_lines_height(pl_xlsx_lines(text, total - 2));
    pl_xlsx_row_height(sh, row, h);
    return h;
}

static void summary_sentence(struct pl_buf *out, const struct pl_receipt *rc)
{
    size_t demanded = rc->accepted + rc->returned + rc->missing;
    if (rc->demanded)
        pl_buf_printf(out, "本期应报任务%zu项：已采用%zu项", demanded, rc->accepted);
    else
        pl_buf_append_str(out, "本期不要求单独报送，但收到的报表内容有误");
    if (rc->returned)
        pl_buf_printf(out, "，报送有误%zu项", rc->returned);
    if (rc->missing)
        pl_buf_printf(out, "，未报送%zu项", rc->missing);
    if (rc->nrejects)
        pl_buf_printf(out, "；需修改%zu处（见第二部分）", rc->nrejects);
    pl_buf_printf(out, "。结论：%s。", pl_receipt_standing_word(rc->standing));
}

static enum pl_status write_receipt(const struct pl_receipts *r, const struct pl_receipt *rc,
                                    const char *path, long long created,
                                    struct pl_zipparts *parts, struct pl_diag *diag)
{
    struct pl_buf title, buf;
    pl_buf_init(&title);
    pl_buf_init(&buf);
    pl_buf_printf(&title, "%s重点工作落实情况报送回执", r->label);
    struct pl_xlsx_props props = {.title = title.data,
                                  .subject = rc->unit->name,
                                  .author = r->office,
                                  .keywords = "重点工作,回执",
                                  .created = created,
                                  .unsynced = true,
                                  .parts = parts};
    struct pl_xlsx *x;
    enum pl_status st = pl_xlsx_open(&x, path, &props, diag);
    if (st != PL_OK)
        goto done;
    struct pl_xlsx_sheet *sh = pl_xlsx_add_sheet(x, "回执");
    for (unsigned k = 0; k < NCOLS; k++)
        pl_xlsx_column_width(sh, k, receipt_width[k]);
    unsigned row = 0;
    double used = 30 + 2 * pl_xlsx_lines_height(2); /* the title; header rows */
    pl_xlsx_row_height(sh, row, 30);
    pl_xlsx_merge_text(sh, row++, 0, NCOLS - 1, title.data, PL_XS_TITLE);
    pl_buf_printf(&buf, "单位：%s", rc->unit->name);
    if (r->deadline >= 0) {
        pl_buf_append_str(&buf, "　　报送期限：");
        format_date(&buf, r->deadline);
    }
    used += note_row(sh, row++, buf.data, PL_XS_SUBTITLE);
    pl_buf_clear(&buf);
    summary_sentence(&buf, rc);
    used += note_row(sh, row++, buf.data, PL_XS_NOTE);

    unsigned head = row + 1;
    used += note_row(sh, row++, "一、本期应报任务", PL_XS_GROUP);
    static const char *const th[] = {"任务编号", "任务", "报送情况", "完成进度", "颜色", "说明"};
    for (unsigned k = 0; k < NCOLS; k++)
        pl_xlsx_text(sh, row, k, th[k], PL_XS_HEADER);
    row++;
    for (size_t k = 0; k < rc->ntasks; k++) {
        const struct pl_receipt_task *t = &rc->tasks[k];
        const char *state = t->demanded ? pl_receipt_state_word(t->state) : "已采用（不要求报送）";
        const char *reason = t->state == PL_RECEIPT_ACCEPTED ? t->reason
                              : t->state == PL_RECEIPT_RETURNED
                                  ? "所报内容有误，已退回修改，见第二部分"
                                  : "请补报";
        const char *cells[NCOLS] = {t->task_id, t->title, state, "", "", reason};
        pl_xlsx_text(sh, row, 0, t->task_id, PL_XS_CENTER);
        pl_xlsx_text(sh, row, 1, t->title, PL_XS_TEXT);
        pl_xlsx_text(sh, row, 2, state, PL_XS_CENTER);
        char *end;
        double p = strtod(t->progress, &end);
        if (t->state == PL_RECEIPT_ACCEPTED && *t->progress && !*end)
            pl_xlsx_number(sh, row, 3, p, p == (long)p ? PL_XS_PERCENT : PL_XS_PERCENT1);
        else
            pl_xlsx_blank(sh, row, 3, PL_XS_CENTER);
        enum pl_xlsx_style cs;
        const char *cw = colour_word(t->colour, &cs);
        pl_xlsx_text(sh, row, 4, cw, cs);
        pl_xlsx_text(sh, row, 5, reason, PL_XS_TEXT);
        used += row_fit(sh, row++, cells, receipt_width, NCOLS);
    }
    if (!rc->ntasks)
        used += note_row(sh, row++, "本期没有要求该单位报送的任务。", PL_XS_NOTE);

    used += note_row(sh, row++, rc->nrejects ? "二、需修改的内容（以下各行未被采用，请改正后重新报送）"
                                     : "二、需修改的内容：无",
             PL_XS_GROUP);
    if (rc->nrejects) {
        static const char *const rh[] = {"任务编号", "问题", "位置", "", "", "修改方法"};
        pl_xlsx_text(sh, row, 0, rh[0], PL_XS_HEADER);
        pl_xlsx_text(sh, row, 1, rh[1], PL_XS_HEADER);
        pl_xlsx_merge_text(sh, row, 2, 4, rh[2], PL_XS_HEADER);
        pl_xlsx_text(sh, row, 5, rh[5], PL_XS_HEADER);
        row++;
        const double w[] = {receipt_width[0], receipt_width[1],
                            receipt_width[2] + receipt_width[3] + receipt_width[4],
                            receipt_width[5]};
        for (size_t j = 0; j < rc->nrejects; j++) {
            const struct pl_receipt_reject *e = &rc->rejects[j];
            const char *cells[] = {e->task_id, e->problem, e->where, e->fix};
            pl_xlsx_text(sh, row, 0, e->task_id, PL_XS_CENTER);
            pl_xlsx_text(sh, row, 1, e->problem, PL_XS_TEXT);
            pl_xlsx_merge_text(sh, row, 2, 4, e->where, PL_XS_TEXT);
            pl_xlsx_text(sh, row, 5, e->fix, PL_XS_TEXT);
            used += row_fit(sh, row++, cells, w, 4);
        }
    }
    pl_buf_clear(&buf);
    if (rc->missing) {
        pl_buf_append_str(&buf, "三、尚未报送的任务：第");
        task_list(&buf, rc, PL_RECEIPT_MISSING);
        pl_buf_append_str(&buf, "项（编号见上表），请补报。");
    } else {
        pl_buf_append_str(&buf, "三、尚未报送的任务：无");
    }
    used += note_row(sh, row++, buf.data, PL_XS_GROUP);
    if (rc->standing != PL_RECEIPT_PASSED) {
        pl_buf_clear(&buf);
        pl_buf_append_str(&buf, "请按“修改方法”改正后，");
        if (r->fix_deadline >= 0) {
            pl_buf_append_str(&buf, "于");
            format_date(&buf, r->fix_deadline);
            pl_buf_append_str(&buf, "前");
        }
        pl_buf_printf(&buf, "将报表重新报送%s；重新报送时请填写新的填报日期，以填报日期较晚的为准。"
                            "报送期限后收到的按逾期报送计。",
                      r->office);
    } else {
        pl_buf_clear(&buf);
        pl_buf_printf(&buf, "所报内容已全部采用，无需修改。");
    }
    used += note_row(sh, row++, buf.data, PL_XS_NOTE);
    pl_buf_clear(&buf);
    pl_buf_printf(&buf, "%s　%s", r->office, rc->unit->name);
    pl_xlsx_print_setup(sh, false, head, head, buf.data);
    /* One A4 page where it fits at no less than two thirds of its size (about 750 points of
     * rows fit a portrait page at full size); longer receipts print one page wide. */
    if (used <= 750 * 1.5)
        pl_xlsx_print_one_page(sh);
    st = pl_xlsx_close(x);
done:
    pl_buf_fini(&title);
    pl_buf_fini(&buf);
    return st;
}

static enum pl_status write_index_file(const struct pl_receipts *r, const char *path,
                                       struct pl_diag *diag)
{
    struct pl_atomic_file f = {0};
    enum pl_status st = pl_atomic_open(&f, path, diag);
    if (st != PL_OK)
        return st;
    if (pl_receipts_write_index(r, f.fp) != PL_OK) {
        pl_atomic_abort(&f);
        pl_diag_report(diag, path, 0, 0, "E_WRITE", "无法写出：%s", strerror(errno));
        return PL_ERR_IO;
    }
    return pl_atomic_commit_unsynced(&f, diag);
}

enum pl_status pl_receipts_write(struct pl_receipts *r, const char *dir, long long created,
                                 struct pl_diag *diag)
{
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        pl_diag_report(diag, dir, 0, 0, "E_CANNOT_CREATE", "无法创建目录：%s", strerror(errno));
        return PL_ERR_CREATE;
    }
    struct pl_safename_set names;
    pl_safename_set_init(&names);
    struct pl_buf path;
    pl_buf_init(&path);
    /* Most parts of a receipt are the same bytes in every receipt: compressed once. */
    struct pl_zipparts *parts;
    enum pl_status st = pl_zipparts_new(&parts, PL_ZIPPARTS_BUDGET);
    /* index.csv is a name of the folder too: no unit's receipt may take it. */
    if (st == PL_OK)
        st = pl_safename_unique(&names, "index", 5, ".csv", &path);
    for (size_t i = 0; i < r->count && st == PL_OK; i++) {
        struct pl_receipt *rc = &r->units[i];
        pl_buf_clear(&path);
        st = pl_safename_unique(&names, rc->unit->name, strlen(rc->unit->name), ".xlsx", &path);
        if (st != PL_OK)
            break;
        free(rc->file);
        rc->file = dup(path.data);
        pl_buf_clear(&path);
        pl_buf_printf(&path, "%s/%s", dir, rc->file);
        st = rc->file ? write_receipt(r, rc, path.data, created, parts, diag) : PL_ERR_NOMEM;
    }
    pl_zipparts_free(parts);
    if (st == PL_OK) {
        pl_buf_clear(&path);
        pl_buf_printf(&path, "%s/index.csv", dir);
        st = write_index_file(r, path.data, diag);
    }
    /* Every receipt was put in place unsynced: one sync for the folder (a province's 9,000
     * receipts cost one sync, not 18,000). */
    if (st == PL_OK)
        st = pl_sync_folder(dir, diag);
    pl_buf_fini(&path);
    pl_safename_set_fini(&names);
    return st;
}

/* ---- the 催报 list ----------------------------------------------------------------------- */

static void contact_of(struct pl_buf *out, const struct pl_unit *u)
{
    size_t start = out->len;
    if (u->contact && *u->contact)
        pl_buf_printf(out, "联系人%s", u->contact);
    if (u->phone && *u->phone)
        pl_buf_printf(out, "%s电话%s", out->len > start ? "，" : "", u->phone);
    if (u->email && *u->email)
        pl_buf_printf(out, "%s邮箱%s", out->len > start ? "，" : "", u->email);
    if (out->len == start)
        pl_buf_append_str(out, "（units.csv未填联系人）");
}

static void counts(const struct pl_receipts *r, size_t n[3])
{
    n[0] = n[1] = n[2] = 0;
    for (size_t i = 0; i < r->count; i++)
        n[r->units[i].standing]++;
}

static void headline(struct pl_buf *out, const struct pl_receipts *r, long today)
{
    size_t n[3];
    counts(r, n);
    pl_buf_printf(out, "%s（%s）报送情况", r->label, r->cycle);
    if (today >= 0) {
        pl_buf_append_str(out, "，截至");
        format_date(out, today);
    }
    pl_buf_printf(out, "：应报单位%zu个，全部通过%zu个，需修改%zu个，未报送%zu个。", r->count,
                  n[PL_RECEIPT_PASSED], n[PL_RECEIPT_MEND], n[PL_RECEIPT_NOT_REPORTED]);
    if (r->deadline >= 0) {
        pl_buf_append_str(out, "报送期限");
        format_date(out, r->deadline);
        if (today >= 0) {
            long left = pl_date_diff_days(today, r->deadline);
            if (left > 0)
                pl_buf_printf(out, "，还有%ld天", left);
            else if (left == 0)
                pl_buf_append_str(out, "，即今天");
            else
                pl_buf_printf(out, "，已过%ld天", -left);
        }
        pl_buf_append_str(out, "。");
    }
}

enum pl_status pl_receipts_print_status(const struct pl_receipts *r, long today, FILE *out)
{
    struct pl_buf b;
    pl_buf_init(&b);
    headline(&b, r, today);
    pl_buf_append_char(&b, '\n');
    static const enum pl_receipt_standing order[] = {PL_RECEIPT_NOT_REPORTED, PL_RECEIPT_MEND};
    for (size_t o = 0; o < 2; o++) {
        size_t n[3];
        counts(r, n);
        pl_buf_printf(&b, "\n%s（%zu个）：\n",
                      order[o] == PL_RECEIPT_NOT_REPORTED ? "未报送" : "需修改或补报",
                      n[order[o]]);
        for (size_t i = 0; i < r->count; i++) {
            const struct pl_receipt *rc = &r->units[i];
            if (rc->standing != order[o])
                continue;
            pl_buf_printf(&b, "  %s　", rc->unit->name);
            contact_of(&b, rc->unit);
            if (order[o] == PL_RECEIPT_NOT_REPORTED) {
                pl_buf_append_str(&b, "　应报任务：");
                task_list(&b, rc, PL_RECEIPT_MISSING);
                pl_buf_append_char(&b, '\n');
                continue;
            }
            pl_buf_append_str(&b, "　");
            struct pl_buf notes;
            pl_buf_init(&notes);
            if (rc->nrejects)
                pl_buf_printf(&notes, "需修改%zu处", rc->nrejects);
            if (rc->missing) {
                pl_buf_printf(&notes, "%s未报送任务：", notes.len ? "；" : "");
                task_list(&notes, rc, PL_RECEIPT_MISSING);
            }
            pl_buf_printf(&b, "%s\n", notes.data);
            pl_buf_fini(&notes);
            for (size_t j = 0; j < rc->nrejects; j++)
                pl_buf_printf(&b, "      %s：%s\n", rc->rejects[j].where, rc->rejects[j].problem);
        }
    }
    if (r->nunattributed) {
        pl_buf_printf(&b, "\n无法确定单位的退回行（%zu行）：\n", r->nunattributed);
        for (size_t j = 0; j < r->nunattributed; j++)
            pl_buf_printf(&b, "  %s 第%lu行（单位写作“%s”）：%s\n", r->unattributed[j].source,
                          r->unattributed[j].line, r->unattributed[j].unit_raw,
                          r->unattributed[j].problem);
    }
    enum pl_status st = fputs(b.data, out) == EOF ? PL_ERR_IO : PL_OK;
    pl_buf_fini(&b);
    return st;
}

enum pl_status pl_receipts_write_status_xlsx(const struct pl_receipts *r, long today,
                                             const char *path, long long created,
                                             struct pl_diag *diag)
{
    struct pl_buf title, buf;
    pl_buf_init(&title);
    pl_buf_init(&buf);
    pl_buf_printf(&title, "%s重点工作落实情况催报名单", r->label);
    struct pl_xlsx_props props = {.title = title.data,
                                  .author = r->office,
                                  .keywords = "重点工作,催报",
                                  .created = created};
    struct pl_xlsx *x;
    enum pl_status st = pl_xlsx_open(&x, path, &props, diag);
    if (st != PL_OK)
        goto done;
    struct pl_xlsx_sheet *sh = pl_xlsx_add_sheet(x, "催报");
    static const char *const th[] = {"单位", "联系人", "电话", "邮箱", "报送情况",
                                     "需修改条数", "未报送任务", "需修改的内容"};
    static const double w[] = {22, 9, 14, 16, 9, 8, 16, 46};
    enum { N = 8 };
    for (unsigned k = 0; k < N; k++)
        pl_xlsx_column_width(sh, k, w[k]);
    pl_xlsx_row_height(sh, 0, 30);
    pl_xlsx_merge_text(sh, 0, 0, N - 1, title.data, PL_XS_TITLE);
    headline(&buf, r, today);
    pl_xlsx_merge_text(sh, 1, 0, N - 1, buf.data, PL_XS_SUBTITLE);
    unsigned row = 2;
    for (unsigned k = 0; k < N; k++)
        pl_xlsx_text(sh, row, k, th[k], PL_XS_HEADER);
    row++;
    static const enum pl_receipt_standing order[] = {PL_RECEIPT_NOT_REPORTED, PL_RECEIPT_MEND};
    for (size_t o = 0; o < 2; o++) {
        for (size_t i = 0; i < r->count; i++) {
            const struct pl_receipt *rc = &r->units[i];
            if (rc->standing != order[o])
                continue;
            struct pl_buf missing, mend;
            pl_buf_init(&missing);
            pl_buf_init(&mend);
            task_list(&missing, rc, PL_RECEIPT_MISSING);
            for (size_t j = 0; j < rc->nrejects; j++)
                pl_buf_printf(&mend, "%s%s：%s", j ? "\n" : "", rc->rejects[j].where,
                              rc->rejects[j].problem);
            const char *cells[N] = {rc->unit->name, nz(rc->unit->contact), nz(rc->unit->phone),
                                    nz(rc->unit->email), pl_receipt_standing_word(rc->standing),
                                    "", missing.data, mend.data};
            for (unsigned k = 0; k < N; k++)
                if (k == 5)
                    pl_xlsx_number(sh, row, k, (double)rc->nrejects, PL_XS_INT);
                else
                    pl_xlsx_text(sh, row, k, cells[k], k == 4 ? PL_XS_CENTER : PL_XS_TEXT);
            row_fit(sh, row++, cells, w, N);
            pl_buf_fini(&missing);
            pl_buf_fini(&mend);
        }
    }
    for (size_t j = 0; j < r->nunattributed; j++) {
        const struct pl_receipt_reject *e = &r->unattributed[j];
        pl_buf_clear(&buf);
        pl_buf_printf(&buf, "%s 第%lu行：%s", e->source, e->line, e->problem);
        const char *cells[N] = {e->unit_raw, "", "", "", "无法确定单位", "", "", buf.data};
        for (unsigned k = 0; k < N; k++)
            if (k == 5)
                pl_xlsx_number(sh, row, k, 1, PL_XS_INT);
            else
                pl_xlsx_text(sh, row, k, cells[k], k == 4 ? PL_XS_CENTER : PL_XS_TEXT);
        row_fit(sh, row++, cells, w, N);
    }
    pl_xlsx_freeze(sh, 3, 1);
    pl_xlsx_print_setup(sh, true, 2, 2, title.data);
    st = pl_xlsx_close(x);
done:
    pl_buf_fini(&title);
    pl_buf_fini(&buf);
    return st;
}
