/* doctable — the livelihood projects of 附件2. */
#include "doctable.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

enum column { C_NO, C_NAME, C_CONTENT, C_LEADERS, C_HOSTS, C_COHOSTS, C_COUNT };

static const struct {
    const char *word;
    enum column col;
    bool prefix; /* the header starts with the word (项目内容及工作目标) */
} headers[] = {
    {"序号", C_NO, false},         {"项目名称", C_NAME, false},   {"项目内容", C_CONTENT, true},
    {"工作目标", C_CONTENT, true}, {"建设内容", C_CONTENT, true}, {"分管领导", C_LEADERS, false},
    {"牵头领导", C_LEADERS, false}, {"责任领导", C_LEADERS, false}, {"牵头县领导", C_LEADERS, false},
    {"主办单位", C_HOSTS, false},  {"承办单位", C_HOSTS, false},  {"牵头单位", C_HOSTS, false},
    {"责任单位", C_HOSTS, false},  {"协办单位", C_COHOSTS, false}, {"配合单位", C_COHOSTS, false},
};

struct cell {
    struct pl_buf text;
    unsigned long line;
};

struct row {
    struct cell *cells;
    size_t n, cap;
    unsigned long line;
};

static void row_clear(struct row *r)
{
    for (size_t i = 0; i < r->n; i++)
        pl_buf_fini(&r->cells[i].text);
    r->n = 0;
}

static void row_fini(struct row *r)
{
    row_clear(r);
    free(r->cells);
    r->cells = NULL;
    r->cap = 0;
}

static enum pl_status row_add_cell(struct row *r, const char *s, size_t len, unsigned long line)
{
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 8;
        struct cell *c = realloc(r->cells, cap * sizeof *c);
        if (!c)
            return PL_ERR_NOMEM;
        r->cells = c;
        r->cap = cap;
    }
    struct cell *c = &r->cells[r->n];
    pl_buf_init(&c->text);
    c->line = line;
    if (r->n == 0)
        r->line = line;
    r->n++;
    pl_doc_trim(&s, &len);
    return pl_buf_append(&c->text, s, len);
}

/* The state of the table between rows: the header and what an empty cell inherits. */
struct table {
    const char *file;
    struct pl_catalog *cat;
    struct pl_unitreg *reg;
    struct pl_strv *towns;
    struct pl_diag *diag;
    long col[C_COUNT]; /* cell index of each column, -1 when absent */
    size_t ncols;
    bool have_header;
    bool ended; /* the 抄送 row was met */
    unsigned long project;
    struct pl_buf name;
    struct pl_buf inherit[C_COUNT]; /* the last row's leaders, hosts, co-units */
    unsigned long project_items;
    size_t project_first; /* index in cat->tasks of the project's first item */
    size_t items;
    bool project_bad; /* an item of the current project was left out */
};

static bool header_row(struct table *t, const struct row *r)
{
    for (int c = 0; c < C_COUNT; c++)
        t->col[c] = -1;
    bool ok = true;
    for (size_t i = 0; i < r->n; i++) {
        struct pl_buf w;
        pl_buf_init(&w);
        bool known = false;
        if (pl_doc_squeeze(&w, r->cells[i].text.data, r->cells[i].text.len) == PL_OK) {
            for (size_t h = 0; h < sizeof headers / sizeof headers[0] && !known; h++) {
                bool match = headers[h].prefix
                                 ? pl_doc_starts(w.data, w.len, headers[h].word)
                                 : strcmp(w.data, headers[h].word) == 0;
                if (match && t->col[headers[h].col] < 0) {
                    t->col[headers[h].col] = (long)i;
                    known = true;
                }
            }
        }
        if (!known) {
            pl_diag_report(t->diag, t->file, r->cells[i].line, 0, "E_TABLE_HEADER",
                           "附件2表头“%s”不认识（认得：序号、项目名称、项目内容、分管领导、"
                           "主办单位、协办单位）",
                           w.data);
            ok = false;
        }
        pl_buf_fini(&w);
    }
    static const char *const need[] = {"序号", "项目名称", "项目内容", "分管领导", "主办单位",
                                       "协办单位"};
    for (int c = 0; c < C_COUNT; c++) {
        if (t->col[c] < 0) {
            pl_diag_report(t->diag, t->file, r->line, 0, "E_TABLE_HEADER",
                           "附件2表头缺少“%s”列，附件2未读入", need[c]);
            ok = false;
        }
    }
    t->ncols = r->n;
    return ok;
}

static const struct pl_buf *cell_of(const struct table *t, const struct row *r, enum column c)
{
    return &r->cells[t->col[c]].text;
}

/* Parses "（3）" or "(3)" at the start of S: the item number and the offset after it. */
static bool item_label(const char *s, size_t len, unsigned long *num, size_t *after)
{
    size_t i;
    if (pl_doc_starts(s, len, "（"))
        i = strlen("（");
    else if (len && s[0] == '(')
        i = 1;
    else
        return false;
    unsigned long v = 0;
    int digits = 0;
    while (i < len) {
        uint32_t cp;
        int d;
        size_t n = pl_utf8_decode(s + i, len - i, &cp);
        if (n == 0 || !pl_doc_digit(cp, &d))
            break;
        v = v * 10 + (unsigned long)d;
        digits++;
        i += n;
    }
    if (digits == 0 || digits > 2)
        return false;
    if (pl_doc_starts(s + i, len - i, "）"))
        i += strlen("）");
    else if (i < len && s[i] == ')')
        i++;
    else
        return false;
    *num = v;
    *after = i;
    return true;
}

static enum pl_status set_id(struct pl_task *task, unsigned long project, unsigned long item)
{
    char id[48];
    if (item)
        snprintf(id, sizeof id, "M%lu-%lu", project, item);
    else
        snprintf(id, sizeof id, "M%lu", project);
    free(task->id);
    task->id = strdup(id);
    return task->id ? PL_OK : PL_ERR_NOMEM;
}

/* A project with one item is M<p>: renames its only item when the next project starts. */
static enum pl_status close_project(struct table *t)
{
    if (t->project_items == 1 && t->project_first < t->cat->ntasks && !t->project_bad)
        return set_id(&t->cat->tasks[t->project_first], t->project, 0);
    return PL_OK;
}

static enum pl_status list_cell(struct table *t, const struct row *r, enum column c,
                                bool new_project, struct pl_strv *out, bool units)
{
    static const char *const names[] = {"", "", "", "分管领导", "主办单位", "协办单位"};
    const struct pl_buf *b = cell_of(t, r, c);
    unsigned long line = r->cells[t->col[c]].line;
    const char *src = b->data;
    size_t len = b->len;
    if (len == 0) {
        if (t->items == 0) {
            pl_diag_report(t->diag, t->file, line, 0, "E_TABLE_ROW",
                           "附件2第一行的“%s”为空，无从继承", names[c]);
            return PL_OK;
        }
        if (new_project) {
            struct pl_buf shown;
            pl_buf_init(&shown);
            enum pl_status st = pl_doc_squeeze(&shown, t->inherit[c].data, t->inherit[c].len);
            if (st != PL_OK)
                return st;
            pl_diag_report(t->diag, t->file, line, 0, "W_CELL_INHERITED",
                           "民生实事第%lu项的“%s”为空，按合并单元格沿用上一行（上一项目）的“%s”，"
                           "如不对请在目录中改正",
                           t->project, names[c], shown.data);
            pl_buf_fini(&shown);
        }
        src = t->inherit[c].data;
        len = t->inherit[c].len;
    } else {
        pl_buf_clear(&t->inherit[c]);
        enum pl_status st = pl_buf_append(&t->inherit[c], src, len);
        if (st != PL_OK)
            return st;
        src = t->inherit[c].data;
    }
    enum pl_status st = pl_names_split(src, len, out);
    for (size_t i = 0; units && i < out->n && st == PL_OK; i++)
        st = pl_unitreg_note(t->reg, out->v[i], line);
    return st;
}

static enum pl_status data_row(struct table *t, const struct row *r)
{
    enum pl_status st = PL_OK;
    const struct pl_buf *no = cell_of(t, r, C_NO);
    const struct pl_buf *name = cell_of(t, r, C_NAME);
    const struct pl_buf *content = cell_of(t, r, C_CONTENT);
    bool new_project = no->len > 0;
    if (new_project) {
        struct pl_buf folded;
        pl_buf_init(&folded);
        st = pl_text_fold_width(&folded, no->data, no->len);
        char *end = NULL;
        unsigned long p = st == PL_OK ? strtoul(folded.data, &end, 10) : 0;
        bool ok = st == PL_OK && end && *end == '\0' && p > 0;
        pl_buf_fini(&folded);
        if (st != PL_OK)
            return st;
        if (!ok) {
            pl_diag_report(t->diag, t->file, r->line, 0, "E_TABLE_ROW",
                           "附件2的序号“%s”不是数字，这一行未读入", no->data);
            return PL_OK;
        }
        if ((st = close_project(t)) != PL_OK)
            return st;
        if (p != t->project + 1)
            pl_diag_report(t->diag, t->file, r->line, 0, "E_TABLE_ROW",
                           "附件2的序号%lu不接续上一项（第%lu项），请核对", p, t->project);
        t->project = p;
        t->project_items = 0;
        t->project_bad = false;
        t->project_first = t->cat->ntasks;
        if (name->len == 0) {
            pl_diag_report(t->diag, t->file, r->line, 0, "E_TABLE_ROW",
                           "民生实事第%lu项没有项目名称，这一行未读入", p);
            t->project_bad = true;
            return PL_OK;
        }
        pl_buf_clear(&t->name);
        if ((st = pl_buf_append(&t->name, name->data, name->len)) != PL_OK)
            return st;
    } else if (t->project == 0) {
        pl_diag_report(t->diag, t->file, r->line, 0, "E_TABLE_ROW",
                       "附件2第一行没有序号，无法归入任何项目，这一行未读入");
        return PL_OK;
    }
    if (content->len == 0) {
        pl_diag_report(t->diag, t->file, r->line, 0, "E_TABLE_ROW",
                       "民生实事第%lu项的这一行没有项目内容，未读入", t->project);
        t->project_bad = true;
        return PL_OK;
    }
    unsigned long item = 0;
    size_t after = 0;
    const char *ctext = content->data;
    size_t clen = content->len;
    if (item_label(ctext, clen, &item, &after)) {
        ctext += after;
        clen -= after;
        pl_doc_trim(&ctext, &clen);
        if (item != t->project_items + 1)
            pl_diag_report(t->diag, t->file, r->line, 0, "E_TABLE_ROW",
                           "民生实事第%lu项的子项（%lu）不接续上一子项（%lu）", t->project, item,
                           t->project_items);
    } else {
        item = t->project_items + 1;
        if (item > 1)
            pl_diag_report(t->diag, t->file, r->line, 0, "W_ITEM_UNNUMBERED",
                           "民生实事第%lu项的这一子项没有（%lu）编号，按顺序定为第%lu子项",
                           t->project, item, item);
    }
    if ((st = pl_names_find_towns(content->data, content->len, t->towns)) != PL_OK)
        return st;
    struct pl_task *task = pl_catalog_add_task(t->cat);
    if (!task)
        return PL_ERR_NOMEM;
    task->kind = PL_TASK_LIVELIHOOD;
    task->title = strndup(t->name.data, t->name.len);
    task->text = strndup(ctext, clen);
    if (!task->title || !task->text || (st = set_id(task, t->project, item)) != PL_OK)
        return PL_ERR_NOMEM;
    st = list_cell(t, r, C_LEADERS, new_project, &task->leaders, false);
    if (st == PL_OK)
        st = list_cell(t, r, C_HOSTS, new_project, &task->hosts, true);
    if (st == PL_OK)
        st = list_cell(t, r, C_COHOSTS, new_project, &task->cohosts, true);
    if (st == PL_OK && task->hosts.n == 0)
        pl_diag_report(t->diag, t->file, r->line, 0, "E_TASK_NO_HOST",
                       "民生实事%s没有主办单位，目录中此项不完整", task->id);
    t->project_items = item;
    t->items++;
    return st;
}

static enum pl_status end_row(struct table *t, struct row *r, bool at_end)
{
    enum pl_status st = PL_OK;
    if (r->n == 0 || t->ended)
        goto done;
    if (pl_doc_starts(r->cells[0].text.data, r->cells[0].text.len, "抄送")) {
        /* The distribution list: 抄送：A，B，\nC。 */
        struct pl_buf cc;
        pl_buf_init(&cc);
        const char *s = r->cells[0].text.data + strlen("抄送");
        size_t len = r->cells[0].text.len - strlen("抄送");
        if (pl_doc_starts(s, len, "："))
            s += strlen("："), len -= strlen("：");
        for (size_t i = 0; i < len && st == PL_OK; i++)
            if (s[i] != '\n')
                st = pl_buf_append_char(&cc, s[i]);
        while (st == PL_OK && pl_doc_ends(cc.data, cc.len, "。"))
            cc.data[cc.len -= strlen("。")] = '\0';
        if (st == PL_OK)
            st = pl_catalog_set_fact(t->cat, "cc", cc.data);
        pl_buf_fini(&cc);
        t->ended = true;
        goto done;
    }
    if (!t->have_header) {
        t->have_header = true;
        if (!header_row(t, r)) {
            t->ended = true;
            t->ncols = 0;
        }
        goto done;
    }
    if (r->n != t->ncols) {
        if (at_end && r->n < t->ncols)
            pl_diag_report(t->diag, t->file, r->line, 0, "E_TABLE_TRUNCATED",
                           "附件2在这一行截断：只有%zu个单元格，表头有%zu列，这一行未读入", r->n,
                           t->ncols);
        else
            pl_diag_report(t->diag, t->file, r->line, 0, "E_TABLE_CELLS",
                           "附件2这一行有%zu个单元格，表头有%zu列，无法对应，这一行未读入", r->n,
                           t->ncols);
        t->project_bad = true;
        goto done;
    }
    st = data_row(t, r);
done:
    row_clear(r);
    return st;
}

/* True when S[0..LEN), squeezed, is one of the header words (序号, 项目名称, …). */
static bool header_word(const char *s, size_t len)
{
    struct pl_buf w;
    pl_buf_init(&w);
    bool known = false;
    if (pl_doc_squeeze(&w, s, len) == PL_OK)
        for (size_t h = 0; h < sizeof headers / sizeof headers[0] && !known; h++)
            known = headers[h].prefix ? pl_doc_starts(w.data, w.len, headers[h].word)
                                      : strcmp(w.data, headers[h].word) == 0;
    pl_buf_fini(&w);
    return known;
}

/* The line of a table whose cells stand one to a line, as LibreOffice and WPS save a Word
 * table as text: the first three lines after the title are header words (序号, 项目名称,
 * 项目内容…), none of them begun with a tab as a row of cells is. 0 when the lines are not
 * that. Such a table cannot be put back together (a cell of several paragraphs, 协办单位 one
 * to a line, takes several lines, so the lines do not count off into cells and rows); saying
 * so once beats a "not in the table" for each of its hundred lines. */
static unsigned long split_table_line(const struct pl_doc_lines *lines, size_t from, size_t to)
{
    size_t seen = 0, words = 0;
    unsigned long first = 0;
    for (size_t i = from; i < to && words < 3; i++) {
        const struct pl_doc_line *l = &lines->v[i];
        if (l->len && l->s[0] == '\t')
            return 0;
        if (pl_doc_blank(l->s, l->len) || seen++ == 0)
            continue; /* blank lines, and the title */
        const char *s = l->s;
        size_t len = l->len;
        pl_doc_trim(&s, &len);
        if (!header_word(s, len))
            return 0;
        if (words++ == 0)
            first = l->no;
    }
    return words == 3 ? first : 0;
}

enum pl_status pl_doctable_parse(const struct pl_doc_lines *lines, size_t from, size_t to,
                                 const char *file, struct pl_catalog *cat, struct pl_unitreg *reg,
                                 struct pl_strv *towns, struct pl_diag *diag)
{
    unsigned long split = split_table_line(lines, from, to);
    if (split) {
        pl_diag_report(diag, file, split, 0, "E_TABLE_SPLIT",
                       "附件2的表格在这个文本文件里每个单元格占了一行（用LibreOffice或WPS把Word文件"
                       "另存为文本时会这样），无法还原成表格，附件2未读入：请改为导入Word原文件（.docx）");
        return PL_ERR_DATA;
    }
    struct table t = {.file = file, .cat = cat, .reg = reg, .towns = towns, .diag = diag};
    pl_buf_init(&t.name);
    for (int c = 0; c < C_COUNT; c++)
        pl_buf_init(&t.inherit[c]);
    struct row r = {0};
    enum pl_status st = PL_OK;
    bool blank_before = true, titled = false, seen_cells = false;
    for (size_t i = from; i < to && st == PL_OK; i++) {
        const struct pl_doc_line *l = &lines->v[i];
        if (pl_doc_blank(l->s, l->len) && !(l->len && l->s[0] == '\t')) {
            blank_before = true;
            continue;
        }
        if (l->s[0] == '\t') {
            if (blank_before && r.n > 0)
                st = end_row(&t, &r, false);
            /* "\ta\tb" is two cells: each tab starts one. */
            size_t start = 1;
            for (size_t k = 1; k <= l->len && st == PL_OK; k++) {
                if (k < l->len && l->s[k] != '\t')
                    continue;
                st = row_add_cell(&r, l->s + start, k - start, l->no);
                start = k + 1;
            }
            seen_cells = true;
            blank_before = false;
            continue;
        }
        const char *s = l->s;
        size_t len = l->len;
        pl_doc_trim(&s, &len);
        if (r.n > 0) {
            /* A further line of the last cell. */
            struct pl_buf *b = &r.cells[r.n - 1].text;
            if (b->len)
                st = pl_buf_append_char(b, '\n');
            if (st == PL_OK)
                st = pl_buf_append(b, s, len);
        } else if (!seen_cells && !titled) {
            titled = true;
            char *title = strndup(s, len);
            st = title ? pl_catalog_set_fact(cat, "annex2_title", title) : PL_ERR_NOMEM;
            free(title);
        } else if (!t.ended) {
            pl_diag_report(diag, file, l->no, 0, "E_UNPLACED_TEXT",
                           "附件2中这一行不在表格里，无法归入任何项目");
        }
        blank_before = false;
    }
    if (st == PL_OK)
        st = end_row(&t, &r, true);
    if (st == PL_OK)
        st = close_project(&t);
    if (st == PL_OK && !seen_cells) {
        pl_diag_report(diag, file, from > 0 ? lines->v[from - 1].no : 0, 0, "E_NO_TABLE",
                       "附件2中没有表格（表格的单元格应以制表符开头）");
        st = PL_ERR_DATA;
    }
    row_fini(&r);
    pl_buf_fini(&t.name);
    for (int c = 0; c < C_COUNT; c++)
        pl_buf_fini(&t.inherit[c]);
    return st;
}
