/* docparse — the whole document into the catalog. */
#include "docparse.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "docfacts.h"
#include "docx.h"
#include "docline.h"
#include "doctable.h"
#include "doctasks.h"
#include "indicators.h"
#include "tasktable.h"
#include "text.h"
#include "unitnames.h"
#include "workbook.h"

/* True when the line is the heading of attachment N: "附件N" with an optional colon, alone. */
static bool heading(const struct pl_doc_line *l, int n)
{
    struct pl_buf b;
    pl_buf_init(&b);
    bool yes = false;
    if (pl_text_fold_width(&b, l->s, l->len) == PL_OK) {
        char want[16];
        snprintf(want, sizeof want, "%d", n);
        const char *s = b.data;
        size_t len = b.len;
        if (pl_doc_starts(s, len, "附件")) {
            s += strlen("附件");
            len -= strlen("附件");
            if (pl_doc_starts(s, len, want)) {
                s += strlen(want);
                len -= strlen(want);
                if (pl_doc_starts(s, len, "："))
                    len -= strlen("："), s += strlen("：");
                else if (len && (*s == ':'))
                    len--, s++;
                yes = pl_doc_blank(s, len);
            }
        }
    }
    pl_buf_fini(&b);
    return yes;
}

/* Replaces every name of LIST by its canonical name, keeping the first of duplicates. */
static enum pl_status canonical_list(const struct pl_unitreg *reg, struct pl_strv *list)
{
    struct pl_strv out;
    pl_strv_init(&out);
    enum pl_status st = PL_OK;
    for (size_t i = 0; i < list->n && st == PL_OK; i++)
        st = pl_strv_push_unique(&out, pl_unitreg_canonical(reg, list->v[i]));
    if (st == PL_OK) {
        pl_strv_fini(list);
        *list = out;
    } else {
        pl_strv_fini(&out);
    }
    return st;
}

/* What every import ends with: one canonical name per unit, canonical names in the tasks'
 * lists, the indicators of every task's text, and a task's own deadline (8月底前) read from its
 * text in YEAR when no time column gave one. */
static enum pl_status settle(struct pl_catalog *cat, struct pl_unitreg *reg,
                             const struct pl_strv *towns, int year, const char *file,
                             struct pl_diag *diag)
{
    enum pl_status st = pl_unitreg_finish(reg, pl_catalog_fact(cat, "county"), towns, file, diag,
                                          cat);
    for (size_t i = 0; i < cat->ntasks && st == PL_OK; i++) {
        struct pl_task *t = &cat->tasks[i];
        st = canonical_list(reg, &t->hosts);
        if (st == PL_OK)
            st = canonical_list(reg, &t->cohosts);
    }
    for (size_t i = 0; i < cat->ntasks && st == PL_OK; i++)
        st = pl_indicators_add(cat, cat->tasks[i].id, cat->tasks[i].text);
    for (size_t i = 0; i < cat->ntasks && st == PL_OK && year > 0; i++) {
        struct pl_task *t = &cat->tasks[i];
        if (t->due && *t->due)
            continue;
        struct pl_buf due;
        pl_buf_init(&due);
        if (t->text)
            st = pl_doc_due(t->text, strlen(t->text), year, &due);
        if (st == PL_OK && due.len) {
            free(t->due);
            t->due = pl_buf_take(&due);
        }
        pl_buf_fini(&due);
    }
    return st;
}

/* The document's year: its number's (嘉政发〔2023〕1号), else its first cycle's. */
static int doc_year(const struct pl_catalog *cat)
{
    int year = 0;
    const char *number = pl_catalog_fact(cat, "number");
    if (!number || !pl_doc_number(number, strlen(number), &year))
        year = cat->ncycles ? atoi(cat->cycles[0].start) : 0;
    return year;
}

/* True when the line at I is a task (numbered) with a label line after it, before the next
 * numbered line: where a document without 附件1 has its tasks. */
static bool labelled_task_at(const struct pl_doc_lines *lines, size_t i)
{
    unsigned long num;
    size_t off;
    if (!pl_doc_task_number(lines->v[i].s, lines->v[i].len, &num, &off))
        return false;
    for (size_t k = i + 1; k < lines->n; k++) {
        size_t v;
        if (pl_doc_label(lines->v[k].s, lines->v[k].len, &v) != PL_LABEL_NONE)
            return true;
        if (pl_doc_task_number(lines->v[k].s, lines->v[k].len, &num, &off))
            return false;
    }
    return false;
}

/* A document without 附件1 whose tasks are in its body: the tasks run from the first labelled
 * task (and the section headings just above it) to the last label line; the notice is what
 * stands before and after them. Sets *FROM and *TO, false when there are no such tasks. */
static bool body_tasks(const struct pl_doc_lines *lines, size_t limit, size_t *from, size_t *to)
{
    size_t first = limit;
    for (size_t i = 0; i < limit && first == limit; i++)
        if (labelled_task_at(lines, i))
            first = i;
    if (first == limit)
        return false;
    size_t last = first;
    for (size_t i = first; i < limit; i++) {
        size_t v;
        if (pl_doc_label(lines->v[i].s, lines->v[i].len, &v) != PL_LABEL_NONE)
            last = i;
    }
    size_t f = first;
    for (size_t i = first; i-- > 0;) {
        size_t off;
        if (pl_doc_blank(lines->v[i].s, lines->v[i].len))
            continue;
        if (!pl_doc_section_heading(lines->v[i].s, lines->v[i].len, &off))
            break;
        f = i;
    }
    *from = f;
    *to = last + 1;
    return true;
}

/* LINES[0..FROM) and LINES[TO..LIMIT) as one list of lines (numbers kept), for docfacts. */
static enum pl_status around(const struct pl_doc_lines *lines, size_t from, size_t to,
                             size_t limit, struct pl_doc_lines *out)
{
    out->n = 0;
    out->v = calloc(from + (limit - to) + 1, sizeof *out->v);
    if (!out->v)
        return PL_ERR_NOMEM;
    for (size_t i = 0; i < from; i++)
        out->v[out->n++] = lines->v[i];
    for (size_t i = to; i < limit; i++)
        out->v[out->n++] = lines->v[i];
    return PL_OK;
}

enum pl_status pl_doc_import(const char *text, size_t len, const char *file, struct pl_catalog *cat,
                             struct pl_diag *diag)
{
    struct pl_doc_lines lines, notice = {0};
    struct pl_unitreg *reg = NULL;
    struct pl_strv towns;
    pl_strv_init(&towns);
    enum pl_status st = pl_doc_lines_split(text, len, &lines);
    if (st != PL_OK)
        return st;
    if (pl_doc_blank(text, len)) {
        pl_diag_report(diag, file, 0, 0, "E_EMPTY", "文件是空的，没有可读的内容");
        st = PL_ERR_DATA;
        goto done;
    }
    size_t a1 = lines.n, a2 = lines.n;
    for (size_t i = 0; i < lines.n; i++) {
        if (a1 == lines.n && heading(&lines.v[i], 1))
            a1 = i;
        else if (a1 < lines.n && a2 == lines.n && heading(&lines.v[i], 2))
            a2 = i;
    }
    size_t from = 0, to = 0;
    if (a1 == lines.n) {
        /* No 附件1: the tasks may be numbered in the body; a 附件2 may still follow. */
        for (size_t i = 0; i < lines.n && a2 == lines.n; i++)
            if (heading(&lines.v[i], 2))
                a2 = i;
        if (!body_tasks(&lines, a2, &from, &to)) {
            pl_diag_report(diag, file, 0, 0, "E_NOT_A_DOCUMENT",
                           "这不是重点工作责任目标文件：既没有单独成行的“附件1：”，正文里也没有"
                           "编号的任务（1、 1. （1） 一是）及其下的牵头领导、牵头单位等标签");
            st = PL_ERR_DATA;
            goto done;
        }
    } else if (a2 == lines.n) {
        pl_diag_report(diag, file, 0, 0, "E_ANNEX_MISSING",
                       "找不到单独成行的“附件2：”（民生实事责任目标一览表），文件不完整");
        st = PL_ERR_DATA;
        goto done;
    }
    reg = pl_unitreg_new();
    if (!reg) {
        st = PL_ERR_NOMEM;
        goto done;
    }
    if (a1 < lines.n) {
        st = pl_docfacts_parse(&lines, 0, a1, file, cat, diag);
        from = a1 + 1;
        to = a2;
    } else {
        st = around(&lines, from, to, a2, &notice);
        if (st == PL_OK)
            st = pl_docfacts_parse(&notice, 0, notice.n, file, cat, diag);
    }
    if (st == PL_OK)
        st = pl_doctasks_parse(&lines, from, to, file, cat, reg, diag);
    if (st == PL_OK && a2 < lines.n)
        st = pl_doctable_parse(&lines, a2 + 1, lines.n, file, cat, reg, &towns, diag);
    if (st == PL_OK)
        st = settle(cat, reg, &towns, doc_year(cat), file, diag);
done:
    free(notice.v);
    pl_unitreg_free(reg);
    pl_strv_fini(&towns);
    pl_doc_lines_fini(&lines);
    return st;
}

/* True when the OLE compound file FP holds a stream named NAME. The directory entries keep
 * names in UTF-16LE; a scan of the file for the name is enough to tell a Word or WPS document
 * (WordDocument, WpsContent) from a workbook, and no Debian package reads the directory for us
 * (libfreexl reads only workbooks). A false match only changes which refusal is given. */
static bool ole_has(FILE *fp, const char *name)
{
    unsigned char want[64];
    size_t n = 0;
    for (const char *c = name; *c && n + 2 <= sizeof want; c++) {
        want[n++] = (unsigned char)*c;
        want[n++] = 0;
    }
    unsigned char buf[65536 + 64];
    size_t keep = 0, got;
    bool found = false;
    rewind(fp);
    while (!found && (got = fread(buf + keep, 1, sizeof buf - keep, fp)) > 0) {
        size_t have = keep + got;
        for (size_t i = 0; i + n <= have && !found; i++)
            found = memcmp(buf + i, want, n) == 0;
        keep = have < n ? have : n - 1;
        memmove(buf, buf + have - keep, keep);
    }
    return found;
}

/* ---- task tables ---------------------------------------------------------------------- */

/* The year a title names ("2024年…"), or 0. */
static int title_year(const char *s)
{
    struct pl_buf f;
    pl_buf_init(&f);
    int year = 0;
    if (pl_text_fold_width(&f, s, strlen(s)) == PL_OK) {
        for (const char *p = f.data; *p && !year; p++) {
            if (p[0] == '2' && p[1] == '0' && p[2] >= '0' && p[2] <= '9' && p[3] >= '0' &&
                p[3] <= '9' && pl_doc_starts(p + 4, strlen(p + 4), "年") &&
                (p == f.data || p[-1] < '0' || p[-1] > '9'))
                year = atoi(p);
        }
    }
    pl_buf_fini(&f);
    return year;
}

/* The county a title names: "2024年某县重点工作任务分解表" → 某县, "泗水县2024年…" → 泗水县.
 * Appended to OUT; nothing when the title names none. */
static enum pl_status title_county(const char *s, struct pl_buf *out)
{
    size_t len = strlen(s), i = 0;
    const char *p = pl_doc_find(s, len, "年");
    if (p && p - s <= 4 + 3 && title_year(s))
        i = (size_t)(p - s) + strlen("年");
    size_t j = i, chars = 0;
    while (j < len && chars < 6) {
        uint32_t cp;
        size_t n = pl_utf8_decode(s + j, len - j, &cp);
        if (n == 0 || cp < 0x4E00 || cp > 0x9FFF)
            break;
        j += n;
        chars++;
        if (chars >= 2 && (cp == 0x53BF /* 县 */ || cp == 0x533A /* 区 */))
            return pl_buf_append(out, s + i, j - i);
    }
    return PL_OK;
}

/* A task table (a workbook's sheet, a CSV file, a Word file that is only a title and the
 * table) into CAT: the title rows give the facts title, year and county; the table's rows the
 * key tasks. It has no reporting cycles: W_NO_CYCLES. */
static enum pl_status import_grid(const struct pl_taskgrid *g, size_t header, const char *title,
                                  const char *file, struct pl_catalog *cat, struct pl_diag *diag)
{
    struct pl_buf t, county;
    pl_buf_init(&t);
    pl_buf_init(&county);
    struct pl_strv towns;
    pl_strv_init(&towns);
    struct pl_unitreg *reg = pl_unitreg_new();
    enum pl_status st = reg ? PL_OK : PL_ERR_NOMEM;
    if (st == PL_OK)
        st = title && *title ? pl_buf_append_str(&t, title) : pl_taskgrid_title(g, header, &t);
    int year = t.len ? title_year(t.data) : 0;
    if (st == PL_OK && t.len)
        st = pl_catalog_set_fact(cat, "title", t.data);
    if (st == PL_OK && t.len)
        st = title_county(t.data, &county);
    if (st == PL_OK && county.len)
        st = pl_catalog_set_fact(cat, "county", county.data);
    if (st == PL_OK && year) {
        char y[16];
        snprintf(y, sizeof y, "%d", year);
        st = pl_catalog_set_fact(cat, "year", y);
    }
    if (st == PL_OK)
        st = pl_tasktable_parse(g, header, file, year, cat, reg, diag);
    if (st == PL_OK)
        st = settle(cat, reg, &towns, year, file, diag);
    if (st == PL_OK)
        pl_diag_report(diag, file, 0, 0, "W_NO_CYCLES",
                       "任务表里没有报送时间，cycles.csv 只有表头：请按督查安排补上报送周期"
                       "（如 %dH1,%d年上半年,%d-01-01,%d-06-30,%d-07-05,50）",
                       year ? year : 2024, year ? year : 2024, year ? year : 2024,
                       year ? year : 2024, year ? year : 2024);
    pl_unitreg_free(reg);
    pl_strv_fini(&towns);
    pl_buf_fini(&t);
    pl_buf_fini(&county);
    return st;
}

/* A table without a task header: why it is refused. */
static enum pl_status no_task_table(bool near, const char *file, struct pl_diag *diag)
{
    if (near)
        pl_diag_report(diag, file, 0, 0, "E_TABLE_NO_TASK_COLUMN",
                       "任务表找不到任务列：表头要有“任务”（或“工作任务”“任务内容”“重点工作”"
                       "“目标任务”）列");
    else
        pl_diag_report(diag, file, 0, 0, "E_NOT_A_DOCUMENT",
                       "这不是任务分解表：找不到含“任务”列和“牵头单位”（或“责任单位”“牵头领导”）"
                       "列的表头行");
    return PL_ERR_DATA;
}

static enum pl_status grid_csv_row(void *ctx, const struct pl_csv_row *row)
{
    return pl_taskgrid_add(ctx, (const char *const *)row->cells, row->count, NULL, row->line);
}

/* TEXT as CSV cells split on DELIM into G. */
static enum pl_status csv_grid(const char *text, size_t len, char delim, struct pl_taskgrid *g)
{
    struct pl_csv_reader *r = pl_csv_reader_new(delim, grid_csv_row, g);
    if (!r)
        return PL_ERR_NOMEM;
    enum pl_status st = PL_OK;
    unsigned long no = 0;
    for (size_t i = 0; i < len && st == PL_OK;) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - text) + 1 : len;
        st = pl_csv_reader_feed_line(r, text + i, end - i, ++no, 0, 0);
        i = end;
    }
    if (st == PL_OK)
        st = pl_csv_reader_finish(r);
    pl_csv_reader_free(r);
    return st;
}

/* A text file that is a CSV task table: its header row found among the first rows. Sets *DONE
 * when it was one and was imported (or refused); else the caller reads it as a document. */
static enum pl_status import_csv(const char *text, size_t len, const char *file,
                                 struct pl_catalog *cat, struct pl_diag *diag, bool *done)
{
    static const char delims[] = {',', '\t'};
    enum pl_status st = PL_OK;
    *done = false;
    for (size_t d = 0; d < sizeof delims && st == PL_OK && !*done; d++) {
        struct pl_taskgrid g;
        pl_taskgrid_init(&g);
        st = csv_grid(text, len, delims[d], &g);
        long header = st == PL_OK ? pl_taskgrid_header(&g) : -1;
        if (header >= 0) {
            *done = true;
            st = import_grid(&g, (size_t)header, NULL, file, cat, diag);
        } else if (st == PL_OK && pl_taskgrid_near_miss(&g)) {
            /* Two task-table headers but no task column: a table, not a document. */
            *done = true;
            st = no_task_table(true, file, diag);
        }
        pl_taskgrid_fini(&g);
    }
    return st;
}

static enum pl_status grid_sheet_row(void *ctx, const struct pl_sheet_row *row)
{
    return pl_taskgrid_add(ctx, (const char *const *)row->row.cells, row->row.count, row->merged,
                           row->row.line);
}

/* A workbook (.xlsx, .xls): the first shown sheet that holds a task table. */
static enum pl_status import_workbook(const char *path, struct pl_catalog *cat,
                                      struct pl_diag *diag)
{
    struct pl_workbook *wb = NULL;
    enum pl_status st = pl_workbook_open(path, path, diag, &wb);
    if (st != PL_OK)
        return st;
    /* A co-unit or time cell merged over several tasks belongs to each of them. */
    pl_workbook_read_merges(wb, true);
    struct pl_taskgrid g;
    pl_taskgrid_init(&g);
    bool found = false, near = false;
    for (size_t i = 0; i < pl_workbook_sheet_count(wb) && st == PL_OK && !found; i++) {
        if (!pl_workbook_sheet_visible(wb, i))
            continue;
        pl_taskgrid_fini(&g);
        st = pl_workbook_read_sheet(wb, i, grid_sheet_row, &g);
        long header = st == PL_OK ? pl_taskgrid_header(&g) : -1;
        if (header >= 0) {
            found = true;
            st = import_grid(&g, (size_t)header, NULL, path, cat, diag);
        } else {
            near = near || pl_taskgrid_near_miss(&g);
        }
    }
    if (st == PL_OK && !found)
        st = no_task_table(near, path, diag);
    pl_taskgrid_fini(&g);
    pl_workbook_free(wb);
    return st;
}

/* The Word table of BLOCK as a grid: a row's cells, the merged ones marked, a cell spanning
 * grid columns followed by empty cells for the columns it covers (so that 责任单位 over
 * 牵头单位 | 配合单位 keeps the columns after it in place); rows numbered as the table's rows. */
static enum pl_status docx_grid(const struct pl_docx_block *block, struct pl_taskgrid *g)
{
    enum pl_status st = PL_OK;
    const char **cells = NULL;
    unsigned char *merged = NULL;
    for (size_t r = 0; r < block->nrows && st == PL_OK; r++) {
        const struct pl_docx_row *row = &block->rows[r];
        size_t n = 0;
        for (size_t c = 0; c < row->ncells; c++)
            n += row->span[c];
        const char **nc = realloc(cells, (n ? n : 1) * sizeof *cells);
        if (nc)
            cells = nc;
        unsigned char *nm = realloc(merged, n ? n : 1);
        if (nm)
            merged = nm;
        if (!nc || !nm) {
            st = PL_ERR_NOMEM;
            break;
        }
        size_t k = 0;
        for (size_t c = 0; c < row->ncells; c++) {
            for (unsigned s = 0; s < row->span[c]; s++, k++) {
                cells[k] = s ? "" : row->cells[c];
                merged[k] = row->continued[c];
            }
        }
        st = pl_taskgrid_add(g, cells, n, merged, (unsigned long)r + 1);
    }
    free(cells);
    free(merged);
    return st;
}

/* A Word document whose task list is a table (a 任务分解表) at block B: the notice before it
 * (up to a 附件1 heading) gives the facts as in a text document, or, without 附件1, the
 * paragraphs above the table its title; a 附件2 after it is read as in a text document. */
static enum pl_status import_docx_table(const struct pl_docx *doc, size_t b,
                                        const struct pl_taskgrid *g, size_t header,
                                        const char *path, struct pl_catalog *cat,
                                        struct pl_diag *diag)
{
    struct pl_buf before, after;
    pl_buf_init(&before);
    pl_buf_init(&after);
    struct pl_doc_lines lb = {0}, la = {0};
    struct pl_strv towns;
    pl_strv_init(&towns);
    struct pl_unitreg *reg = NULL;
    struct pl_docx head = {doc->v, b}, tail = {doc->v + b + 1, doc->n - b - 1};
    enum pl_status st = pl_docx_text(&head, &before);
    if (st == PL_OK)
        st = pl_docx_text(&tail, &after);
    if (st == PL_OK)
        st = pl_doc_lines_split(before.data ? before.data : "", before.len, &lb);
    if (st == PL_OK)
        st = pl_doc_lines_split(after.data ? after.data : "", after.len, &la);
    if (st != PL_OK)
        goto done;
    size_t a1 = lb.n, a2 = la.n;
    for (size_t i = 0; i < lb.n && a1 == lb.n; i++)
        if (heading(&lb.v[i], 1))
            a1 = i;
    for (size_t i = 0; i < la.n && a2 == la.n; i++)
        if (heading(&la.v[i], 2))
            a2 = i;
    if (a1 == lb.n) {
        /* Only a title above the table: the last line of text above it, else the table's. */
        const char *title = NULL;
        char *own = NULL;
        for (size_t i = lb.n; i-- > 0 && !title;) {
            const char *s = lb.v[i].s;
            size_t len = lb.v[i].len;
            pl_doc_trim(&s, &len);
            if (len && !heading(&lb.v[i], 1)) {
                own = strndup(s, len);
                if (!own) {
                    st = PL_ERR_NOMEM;
                    goto done;
                }
                title = own;
            }
        }
        st = import_grid(g, header, title, path, cat, diag);
        free(own);
        goto done;
    }
    reg = pl_unitreg_new();
    if (!reg) {
        st = PL_ERR_NOMEM;
        goto done;
    }
    st = pl_docfacts_parse(&lb, 0, a1, path, cat, diag);
    for (size_t i = a1 + 1; i < lb.n && st == PL_OK; i++) {
        const char *s = lb.v[i].s;
        size_t len = lb.v[i].len;
        pl_doc_trim(&s, &len);
        if (!len)
            continue;
        char *title = strndup(s, len);
        st = title ? pl_catalog_set_fact(cat, "annex1_title", title) : PL_ERR_NOMEM;
        free(title);
        break;
    }
    int year = doc_year(cat);
    if (st == PL_OK)
        st = pl_tasktable_parse(g, header, path, year, cat, reg, diag);
    if (st == PL_OK && a2 < la.n)
        st = pl_doctable_parse(&la, a2 + 1, la.n, path, cat, reg, &towns, diag);
    if (st == PL_OK)
        st = settle(cat, reg, &towns, year, path, diag);
done:
    pl_unitreg_free(reg);
    pl_strv_fini(&towns);
    pl_doc_lines_fini(&lb);
    pl_doc_lines_fini(&la);
    pl_buf_fini(&before);
    pl_buf_fini(&after);
    return st;
}

static enum pl_status import_docx(const char *path, struct pl_catalog *cat, struct pl_diag *diag)
{
    struct pl_docx doc;
    struct pl_buf text;
    pl_buf_init(&text);
    enum pl_status st = pl_docx_read(path, path, diag, &doc);
    if (st != PL_OK)
        goto done;
    /* The first table with a task header makes it a task table; else it is read as text. */
    bool table = false;
    for (size_t b = 0; b < doc.n && st == PL_OK && !table; b++) {
        if (!doc.v[b].is_table)
            continue;
        struct pl_taskgrid g;
        pl_taskgrid_init(&g);
        st = docx_grid(&doc.v[b], &g);
        long header = st == PL_OK ? pl_taskgrid_header(&g) : -1;
        if (header >= 0) {
            table = true;
            st = import_docx_table(&doc, b, &g, (size_t)header, path, cat, diag);
        }
        pl_taskgrid_fini(&g);
    }
    if (st == PL_OK && !table)
        st = pl_docx_text(&doc, &text);
    if (st == PL_OK && !table)
        st = pl_doc_import(text.data, text.len, path, cat, diag);
    pl_docx_free(&doc);
done:
    pl_buf_fini(&text);
    return st;
}

enum pl_status pl_doc_import_path(const char *path, enum pl_encoding enc, struct pl_catalog *cat,
                                  struct pl_diag *diag)
{
    static const char resave[] = "请用Word或WPS打开，另存为.docx（Word文档）或纯文本后再导入";
    enum pl_file_kind kind = PL_FILE_TEXT;
    bool word = false, pdf = false, rtf = false, book = false;
    if (strcmp(path, "-") != 0) {
        FILE *fp = fopen(path, "rb");
        if (fp) {
            unsigned char head[8] = {0};
            size_t n = fread(head, 1, sizeof head, fp);
            kind = pl_file_kind_of(head, n);
            pdf = n >= 5 && memcmp(head, "%PDF-", 5) == 0;
            rtf = n >= 5 && memcmp(head, "{\\rtf", 5) == 0;
            if (kind == PL_FILE_OLE)
                word = ole_has(fp, "WordDocument") || ole_has(fp, "WpsContent");
            if (kind == PL_FILE_OLE && !word)
                book = ole_has(fp, "Workbook") || ole_has(fp, "Book");
            fclose(fp);
        }
    }
    if (pdf || rtf || (kind == PL_FILE_OLE && word)) {
        pl_diag_report(diag, path, 0, 0,
                       pdf   ? "E_PDF"
                       : rtf ? "E_RTF"
                             : "E_WORD_DOC",
                       "%s，不能直接导入：%s",
                       pdf   ? "这是PDF文件"
                       : rtf ? "这是RTF文件"
                             : "这是旧版Word或WPS文档（.doc/.wps）",
                       pdf ? "请向发文单位要Word文件（.docx），或把文字复制到纯文本文件后再导入"
                           : resave);
        return PL_ERR_DATA;
    }
    /* A zip that does not open is most likely a .docx cut short: pl_docx_read() says so. */
    if (kind == PL_FILE_ZIP && pl_docx_probe(path) != 0)
        return import_docx(path, cat, diag);
    /* Any other zip, and an OLE file that holds a workbook: a task table in a workbook. */
    if (kind == PL_FILE_ZIP || (kind == PL_FILE_OLE && book))
        return import_workbook(path, cat, diag);
    struct pl_buf text;
    pl_buf_init(&text);
    bool table = false;
    enum pl_status st = pl_text_load(path, enc, diag, &text, NULL);
    if (st == PL_OK)
        st = import_csv(text.data, text.len, path, cat, diag, &table);
    if (st == PL_OK && !table)
        st = pl_doc_import(text.data, text.len, path, cat, diag);
    pl_buf_fini(&text);
    return st;
}
