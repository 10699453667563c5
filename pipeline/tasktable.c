/* tasktable — a task table (任务分解表) into key tasks. */
#include "tasktable.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "docline.h"
#include "doctasks.h"
#include "text.h"

/* How many rows may stand above the header (titles, 附件, a date line). */
#define HEADER_WITHIN 12

enum col { C_NO, C_CAT, C_TASK, C_LEAD, C_HOST, C_RESP, C_CO, C_DUE, C_COUNT };

static const struct {
    const char *word;
    enum col col;
} headers[] = {
    {"序号", C_NO},           {"编号", C_NO},           {"类别", C_CAT},
    {"领域", C_CAT},          {"任务", C_TASK},         {"工作任务", C_TASK},
    {"任务内容", C_TASK},     {"重点工作", C_TASK},     {"重点任务", C_TASK},
    {"目标任务", C_TASK},     {"牵头领导", C_LEAD},     {"责任领导", C_LEAD},
    {"分管领导", C_LEAD},     {"牵头县领导", C_LEAD},   {"责任县领导", C_LEAD},
    {"牵头单位", C_HOST},     {"承办单位", C_HOST},     {"主办单位", C_HOST},
    {"主要责任单位", C_HOST}, {"责任单位", C_RESP},     {"配合单位", C_CO},
    {"协办单位", C_CO},       {"参与单位", C_CO},       {"其他责任单位", C_CO},
    {"完成时限", C_DUE},      {"时间节点", C_DUE},      {"完成时间", C_DUE},
};

static const char *const col_names[C_COUNT] = {"序号",     "类别",     "任务",     "牵头领导",
                                               "牵头单位", "责任单位", "配合单位", "完成时限"};

/* ---- the grid ------------------------------------------------------------------------- */

void pl_taskgrid_init(struct pl_taskgrid *g)
{
    g->rows = NULL;
    g->n = g->cap = 0;
}

void pl_taskgrid_fini(struct pl_taskgrid *g)
{
    for (size_t r = 0; r < g->n; r++) {
        for (size_t i = 0; i < g->rows[r].n; i++)
            free(g->rows[r].cells[i]);
        free(g->rows[r].cells);
        free(g->rows[r].merged);
    }
    free(g->rows);
    pl_taskgrid_init(g);
}

enum pl_status pl_taskgrid_add(struct pl_taskgrid *g, const char *const *cells, size_t n,
                               const unsigned char *merged, unsigned long line)
{
    if (g->n == g->cap) {
        size_t cap = g->cap ? g->cap * 2 : 32;
        struct pl_taskgrid_row *rows = realloc(g->rows, cap * sizeof *rows);
        if (!rows)
            return PL_ERR_NOMEM;
        g->rows = rows;
        g->cap = cap;
    }
    struct pl_taskgrid_row *row = &g->rows[g->n];
    row->cells = calloc(n ? n : 1, sizeof *row->cells);
    row->merged = calloc(n ? n : 1, 1);
    row->n = 0;
    row->line = line;
    if (!row->cells || !row->merged) {
        free(row->cells);
        free(row->merged);
        return PL_ERR_NOMEM;
    }
    g->n++;
    for (size_t i = 0; i < n; i++) {
        const char *s = cells[i] ? cells[i] : "";
        size_t len = strlen(s);
        pl_doc_trim(&s, &len);
        if (!(row->cells[i] = strndup(s, len)))
            return PL_ERR_NOMEM;
        row->merged[i] = merged ? merged[i] : 0;
        row->n++;
    }
    return PL_OK;
}

/* The column a header cell names, or -1: spaces and a trailing （note） aside. */
static int header_kind(const char *cell)
{
    struct pl_buf folded, w;
    pl_buf_init(&folded);
    pl_buf_init(&w);
    int kind = -1;
    if (pl_text_fold_width(&folded, cell, strlen(cell)) != PL_OK ||
        pl_doc_squeeze(&w, folded.data, folded.len) != PL_OK)
        goto done;
    /* Width folding turns （） into (). */
    if (w.len && w.data[w.len - 1] == ')') {
        char *open = strrchr(w.data, '(');
        if (open && open > w.data)
            w.data[w.len = (size_t)(open - w.data)] = '\0';
    }
    for (size_t h = 0; h < sizeof headers / sizeof headers[0] && kind < 0; h++)
        if (strcmp(w.data, headers[h].word) == 0)
            kind = (int)headers[h].col;
done:
    pl_buf_fini(&folded);
    pl_buf_fini(&w);
    return kind;
}

static bool row_is_header(const struct pl_taskgrid_row *row)
{
    bool task = false, who = false;
    for (size_t i = 0; i < row->n; i++) {
        int k = header_kind(row->cells[i]);
        task = task || k == C_TASK;
        who = who || k == C_LEAD || k == C_HOST || k == C_RESP;
    }
    return task && who;
}

long pl_taskgrid_header(const struct pl_taskgrid *g)
{
    for (size_t r = 0; r < g->n && r < HEADER_WITHIN; r++)
        if (row_is_header(&g->rows[r]))
            return (long)r;
    return -1;
}

bool pl_taskgrid_near_miss(const struct pl_taskgrid *g)
{
    for (size_t r = 0; r < g->n && r < HEADER_WITHIN; r++) {
        /* Two headers of a task table, one of them a unit's or a leader's (a unit's return,
         * 任务编号 | 承办单位 | 完成进度, has one only). */
        int known = 0, who = 0;
        for (size_t i = 0; i < g->rows[r].n; i++) {
            int k = header_kind(g->rows[r].cells[i]);
            known += k >= 0;
            who += k == C_LEAD || k == C_HOST || k == C_RESP || k == C_CO;
        }
        if (known >= 2 && who >= 1)
            return true;
    }
    return false;
}

enum pl_status pl_taskgrid_title(const struct pl_taskgrid *g, size_t header, struct pl_buf *out)
{
    for (size_t r = 0; r < header && r < g->n; r++) {
        const struct pl_taskgrid_row *row = &g->rows[r];
        size_t before = out->len;
        for (size_t i = 0; i < row->n; i++) {
            if (!*row->cells[i])
                continue;
            enum pl_status st = pl_buf_append_str(out, row->cells[i]);
            if (st != PL_OK)
                return st;
        }
        /* "附件1" alone names the attachment, not the table. */
        if (out->len > before && !pl_doc_starts(out->data + before, out->len - before, "附件"))
            return PL_OK;
        out->data[out->len = before] = '\0';
    }
    return PL_OK;
}

/* ---- reading the rows ----------------------------------------------------------------- */

struct table {
    const struct pl_taskgrid *g;
    const char *file;
    int year;
    struct pl_catalog *cat;
    struct pl_unitreg *reg;
    struct pl_diag *diag;
    long col[C_COUNT];
    struct pl_buf section;
    unsigned long section_gen;      /* counts the changes of section */
    struct pl_buf inherit[C_COUNT]; /* the last filled cell of each column */
    unsigned long inherit_gen[C_COUNT];
    unsigned long last;
    size_t tasks;
    bool year_reported;
};

static const char *cell(const struct table *t, const struct pl_taskgrid_row *row, enum col c)
{
    return t->col[c] >= 0 && (size_t)t->col[c] < row->n ? row->cells[t->col[c]] : "";
}

static bool merged(const struct table *t, const struct pl_taskgrid_row *row, enum col c)
{
    return t->col[c] >= 0 && (size_t)t->col[c] < row->n && row->merged[t->col[c]];
}

static unsigned long colno(const struct table *t, enum col c)
{
    return t->col[c] >= 0 ? (unsigned long)t->col[c] + 1 : 0;
}

/* Maps the header row (and a second header row under it) to columns; reports the others. */
static void map_header(struct table *t, size_t header, size_t *first_data)
{
    for (int c = 0; c < C_COUNT; c++)
        t->col[c] = -1;
    const struct pl_taskgrid_row *h = &t->g->rows[header];
    for (size_t i = 0; i < h->n; i++) {
        int k = header_kind(h->cells[i]);
        if (k >= 0 && t->col[k] < 0) {
            t->col[k] = (long)i;
        } else if (*h->cells[i]) {
            pl_diag_report(t->diag, t->file, h->line, i + 1, "W_TABLE_COLUMN",
                           "任务表的“%s”列%s，这一列未读入", h->cells[i],
                           k >= 0 ? "与前面的列重复" : "不认识");
        }
    }
    *first_data = header + 1;
    /* 责任单位 over 牵头单位 | 配合单位: a row of headers only, the task's cell empty. */
    if (header + 1 < t->g->n) {
        const struct pl_taskgrid_row *s = &t->g->rows[header + 1];
        bool sub = (size_t)t->col[C_TASK] >= s->n || !*s->cells[t->col[C_TASK]];
        size_t named = 0;
        for (size_t i = 0; i < s->n && sub; i++) {
            if (!*s->cells[i])
                continue;
            sub = header_kind(s->cells[i]) >= 0;
            named++;
        }
        if (sub && named > 0) {
            for (size_t i = 0; i < s->n; i++) {
                int k = *s->cells[i] ? header_kind(s->cells[i]) : -1;
                if (k < 0)
                    continue;
                for (int c = 0; c < C_COUNT; c++)
                    if (t->col[c] == (long)i)
                        t->col[c] = -1;
                t->col[k] = (long)i;
            }
            *first_data = header + 2;
        }
    }
}

/* The cell of column C in ROW, or what it inherits: a merged cell always; an empty one when
 * INHERIT (across a change of section with W_CELL_INHERITED). Lives as long as the row or the
 * next call for C. */
static enum pl_status value(struct table *t, const struct pl_taskgrid_row *row, enum col c,
                            bool inherit, const char **out)
{
    const char *s = cell(t, row, c);
    *out = s;
    if (t->col[c] < 0)
        return PL_OK;
    if (*s) {
        pl_buf_clear(&t->inherit[c]);
        t->inherit_gen[c] = t->section_gen;
        return pl_buf_append_str(&t->inherit[c], s);
    }
    if (!t->inherit[c].len || !(inherit || merged(t, row, c)))
        return PL_OK;
    if (!merged(t, row, c) && t->inherit_gen[c] != t->section_gen) {
        pl_diag_report(t->diag, t->file, row->line, colno(t, c), "W_CELL_INHERITED",
                       "“%s”为空，按合并单元格沿用上一行（上一类别）的“%s”，如不对请在目录中改正",
                       col_names[c], t->inherit[c].data);
        t->inherit_gen[c] = t->section_gen;
    }
    *out = t->inherit[c].data;
    return PL_OK;
}

static enum pl_status set_section(struct table *t, const char *s)
{
    size_t off = 0, len = strlen(s);
    if (pl_doc_section_heading(s, len, &off)) {
        s += off;
        len -= off;
        pl_doc_trim(&s, &len);
    }
    if (len == t->section.len && memcmp(s, t->section.data, len) == 0)
        return PL_OK;
    t->section_gen++;
    pl_buf_clear(&t->section);
    return pl_buf_append(&t->section, s, len);
}

static enum pl_status split(const char *s, struct pl_strv *lead, struct pl_strv *rest)
{
    struct pl_strv names;
    pl_strv_init(&names);
    enum pl_status st = pl_names_split(s, strlen(s), &names);
    if (st == PL_OK)
        st = pl_names_lead(&names, lead, rest);
    pl_strv_fini(&names);
    return st;
}

static enum pl_status push_all(struct pl_strv *to, const struct pl_strv *from,
                               const struct pl_strv *except)
{
    enum pl_status st = PL_OK;
    for (size_t i = 0; i < from->n && st == PL_OK; i++)
        if (!except || !pl_strv_contains(except, from->v[i]))
            st = pl_strv_push_unique(to, from->v[i]);
    return st;
}

/* The hosts and co-units of ROW, by the rules of the header comment. */
static enum pl_status units(struct table *t, const struct pl_taskgrid_row *row,
                            struct pl_strv *hosts, struct pl_strv *cohosts)
{
    struct pl_strv lead, rest, co;
    pl_strv_init(&lead);
    pl_strv_init(&rest);
    pl_strv_init(&co);
    const char *s;
    enum pl_status st = PL_OK;
    if (t->col[C_HOST] >= 0) {
        if ((st = value(t, row, C_HOST, true, &s)) == PL_OK)
            st = split(s, &lead, &rest);
        if (st == PL_OK)
            st = push_all(hosts, &lead, NULL);
        if (st == PL_OK)
            st = push_all(hosts, &rest, NULL);
        if (st == PL_OK && (st = value(t, row, C_RESP, false, &s)) == PL_OK)
            st = split(s, &co, &co);
    } else {
        if ((st = value(t, row, C_RESP, true, &s)) == PL_OK)
            st = split(s, &lead, &rest);
        if (st == PL_OK && lead.n) {
            st = push_all(hosts, &lead, NULL);
            if (st == PL_OK)
                st = push_all(&co, &rest, NULL);
        } else if (st == PL_OK && t->col[C_CO] >= 0) {
            st = push_all(hosts, &rest, NULL);
        } else if (st == PL_OK && rest.n) {
            st = pl_strv_push_str(hosts, rest.v[0]);
            for (size_t i = 1; i < rest.n && st == PL_OK; i++)
                st = pl_strv_push_unique(&co, rest.v[i]);
        }
    }
    if (st == PL_OK && (st = value(t, row, C_CO, false, &s)) == PL_OK)
        st = split(s, &co, &co);
    if (st == PL_OK)
        st = push_all(cohosts, &co, hosts);
    pl_strv_fini(&lead);
    pl_strv_fini(&rest);
    pl_strv_fini(&co);
    return st;
}

static enum pl_status task_row(struct table *t, const struct pl_taskgrid_row *row,
                               const char *text)
{
    unsigned long id = t->last + 1;
    if (t->col[C_NO] >= 0) {
        const char *no = cell(t, row, C_NO);
        struct pl_buf folded;
        pl_buf_init(&folded);
        enum pl_status st = pl_text_fold_width(&folded, no, strlen(no));
        char *end = NULL;
        unsigned long n = st == PL_OK ? strtoul(folded.data, &end, 10) : 0;
        bool numeric = st == PL_OK && *folded.data && end && !*end;
        pl_buf_fini(&folded);
        if (st != PL_OK)
            return st;
        if (!*no && !merged(t, row, C_NO))
            pl_diag_report(t->diag, t->file, row->line, colno(t, C_NO), "W_TASK_NUMBER_MISSING",
                           "这一行任务没有序号，按表中顺序定为第%lu项", id);
        else if (*no && (!numeric || n != id))
            pl_diag_report(t->diag, t->file, row->line, colno(t, C_NO), "W_TASK_NUMBER_ORDER",
                           "序号“%s”与表中顺序不符，按顺序定为第%lu项", no, id);
    }
    struct pl_task *task = pl_catalog_add_task(t->cat);
    if (!task)
        return PL_ERR_NOMEM;
    t->last = id;
    t->tasks++;
    task->kind = PL_TASK_KEY;
    char idtext[24];
    snprintf(idtext, sizeof idtext, "%lu", id);
    struct pl_buf title;
    pl_buf_init(&title);
    enum pl_status st = pl_doc_task_title(text, strlen(text), &title);
    task->id = strdup(idtext);
    task->text = strdup(text);
    task->title = st == PL_OK ? pl_buf_take(&title) : NULL;
    pl_buf_fini(&title);
    if (!task->id || !task->text || !task->title)
        return PL_ERR_NOMEM;
    if (t->section.len && !(task->section = strdup(t->section.data)))
        return PL_ERR_NOMEM;
    const char *s;
    if ((st = value(t, row, C_LEAD, true, &s)) != PL_OK ||
        (st = pl_names_split(s, strlen(s), &task->leaders)) != PL_OK)
        return st;
    if ((st = units(t, row, &task->hosts, &task->cohosts)) != PL_OK)
        return st;
    for (size_t i = 0; i < task->hosts.n && st == PL_OK; i++)
        st = pl_unitreg_note(t->reg, task->hosts.v[i], row->line);
    for (size_t i = 0; i < task->cohosts.n && st == PL_OK; i++)
        st = pl_unitreg_note(t->reg, task->cohosts.v[i], row->line);
    if (st != PL_OK)
        return st;
    if (t->col[C_LEAD] >= 0 && task->leaders.n == 0)
        pl_diag_report(t->diag, t->file, row->line, colno(t, C_LEAD), "E_TASK_NO_LEADER",
                       "第%lu项任务没有“牵头领导”，目录中此项不完整，请在文件中补上", id);
    if (task->hosts.n == 0)
        pl_diag_report(t->diag, t->file, row->line, colno(t, C_HOST) ? colno(t, C_HOST)
                                                                     : colno(t, C_RESP),
                       "E_TASK_NO_HOST",
                       "第%lu项任务没有“牵头单位”，目录中此项不完整，请在文件中补上", id);
    if ((st = value(t, row, C_DUE, false, &s)) != PL_OK || !*s)
        return st;
    struct pl_buf due;
    pl_buf_init(&due);
    bool need_year = false;
    st = pl_doc_due_cell(s, strlen(s), t->year, &due, &need_year);
    if (st == PL_OK && due.len)
        task->due = pl_buf_take(&due);
    pl_buf_fini(&due);
    if (st == PL_OK && need_year && !t->year_reported) {
        t->year_reported = true;
        pl_diag_report(t->diag, t->file, row->line, colno(t, C_DUE), "W_DUE_NO_YEAR",
                       "完成时限“%s”没有写年份，表格标题里也没有年份，截止日期（due）未填", s);
    }
    return st;
}

static enum pl_status data_row(struct table *t, const struct pl_taskgrid_row *row)
{
    size_t filled = 0, only = 0;
    for (size_t i = 0; i < row->n; i++)
        if (*row->cells[i])
            filled++, only = i;
    if (filled == 0 || row_is_header(row))
        return PL_OK;
    const char *text = cell(t, row, C_TASK);
    if (!*text && filled == 1)
        return set_section(t, row->cells[only]); /* a heading row: 一、经济发展 */
    enum pl_status st = PL_OK;
    /* 类别 spans its tasks: an empty cell keeps the section. */
    if (*cell(t, row, C_CAT) && (st = set_section(t, cell(t, row, C_CAT))) != PL_OK)
        return st;
    if (!*text) {
        pl_diag_report(t->diag, t->file, row->line, colno(t, C_TASK), "E_TABLE_ROW",
                       "这一行没有任务内容，未读入");
        return PL_OK;
    }
    return task_row(t, row, text);
}

enum pl_status pl_tasktable_parse(const struct pl_taskgrid *g, size_t header, const char *file,
                                  int year, struct pl_catalog *cat, struct pl_unitreg *reg,
                                  struct pl_diag *diag)
{
    struct table t = {.g = g, .file = file, .year = year, .cat = cat, .reg = reg, .diag = diag};
    pl_buf_init(&t.section);
    for (int c = 0; c < C_COUNT; c++)
        pl_buf_init(&t.inherit[c]);
    size_t first = header + 1;
    map_header(&t, header, &first);
    enum pl_status st = PL_OK;
    for (size_t r = first; r < g->n && st == PL_OK; r++)
        st = data_row(&t, &g->rows[r]);
    if (st == PL_OK && t.tasks == 0) {
        pl_diag_report(diag, file, g->rows[header].line, 0, "E_NO_TASKS",
                       "任务表的表头下面没有任何任务");
        st = PL_ERR_DATA;
    }
    pl_buf_fini(&t.section);
    for (int c = 0; c < C_COUNT; c++)
        pl_buf_fini(&t.inherit[c]);
    return st;
}
