/* returns — a return file to record rows and rejected rows. */
#include "returns.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "csv.h"
#include "header.h"
#include "text.h"
#include "workbook.h"

/* A header further down than this many non-blank rows is not looked for: such a file is
 * refused with what its first rows hold. */
enum { HEADER_SEARCH_ROWS = 30 };

/* Records with a blank 填报日期 wait for the file's date up to this many rows; past it they are
 * handed on as they are (ducha-check then names the blank date), so memory stays bounded. */
enum { DATELESS_HELD_MAX = 10000 };

/* A row kept for later: a signature-like row until it turns out to be above data, or a record
 * waiting for its file's date. Its strings live in one block. */
struct held_row {
    struct pl_csv_row row;
    unsigned char *notes; /* workbook cell notes, or NULL */
    size_t nnotes;
    char *block;
};

struct held_list {
    struct held_row *items;
    size_t count, cap;
};

struct reader {
    const char *source;
    size_t source_len, cycle_len;
    const struct pl_returns_options *opt;
    const struct pl_returns_sink *sink;
    struct pl_diag *diag;
    struct pl_return_stats *stats;
    bool have_header;
    struct pl_header_map map;
    unsigned long searched;         /* non-blank rows looked at for a header */
    size_t best_recognised;         /* the most header-like row so far, for the message */
    unsigned long best_line;
    struct pl_buf best_text;
    struct pl_buf header_task, header_unit; /* the header's own cells, to spot it again */
    struct pl_buf folded[PL_F_COUNT]; /* width-folded or trimmed field values */
    struct pl_buf extra, message, columns;
    char line_text[24];
    enum pl_status status;
    /* Workbooks: the sheet being read, the current row's cell notes, a row padded to the
     * header's width. */
    const char *sheet;
    const unsigned char *notes;
    size_t notes_count;
    char **padded_cells;
    size_t *padded_lens;
    size_t padded_cap;
    bool stopped_search; /* the header search gave up on this sheet */
    struct pl_buf where, cell_name, best_sheet;
    /* Rows that look like signature rows, held until a data row below proves them data. */
    struct held_list signature_like;
    /* The continuation rule's memory: the last data row's task id and unit. */
    struct pl_buf last_task, last_unit;
    /* The date rule: the file's last date, and the records waiting for one. */
    struct pl_buf last_date;
    struct held_list dateless;
    struct pl_return_info *info;
};

/* Which fields get which treatment (DESIGN.md, Formats): widths folded in numeric, date and id
 * fields; short name-like fields trimmed; long text exactly as written. */
static bool field_is_folded(enum pl_field f)
{
    return f == PL_F_TASK_ID || f == PL_F_PHONE || f == PL_F_PROGRESS || f == PL_F_VALUE ||
           f == PL_F_REPORTED_ON;
}

static bool field_is_trimmed(enum pl_field f)
{
    return f == PL_F_UNIT || f == PL_F_OWNER || f == PL_F_STATUS || f == PL_F_METRIC;
}

/* True when trimming leaves S[0..LEN) as it is: it starts and ends with a printable ASCII
 * character or a CJK ideograph (a lead byte E4..E9 and two continuation bytes), none of which
 * is white space. Most cells pass, and then need no copy. */
static bool ends_are_plain(const char *s, size_t len)
{
    if (len == 0)
        return true;
    const unsigned char *p = (const unsigned char *)s;
    bool first = (p[0] > ' ' && p[0] < 0x80) || (p[0] >= 0xE4 && p[0] <= 0xE9);
    bool last = p[len - 1] > ' ' && p[len - 1] < 0x80;
    if (!last && len >= 3 && p[len - 3] >= 0xE4 && p[len - 3] <= 0xE9 &&
        (p[len - 2] & 0xC0) == 0x80 && (p[len - 1] & 0xC0) == 0x80)
        last = true;
    return first && last;
}

/* is_blank(), without decoding a cell whose ends show it is not: asked of several
 * cells of every row. */
static bool is_blank(const char *s, size_t len)
{
    return len == 0 || (!ends_are_plain(s, len) && pl_text_is_blank(s, len));
}

/* ---- where things are, as the unit sees them ------------------------------------------- */

/* "第5行" in a text file, "工作表“落实情况”第5行" in a workbook. Valid until the next call. */
static const char *row_name(struct reader *r, unsigned long line)
{
    pl_buf_clear(&r->where);
    if (r->sheet)
        pl_buf_printf(&r->where, "工作表“%s”第%lu行", r->sheet, line);
    else
        pl_buf_printf(&r->where, "第%lu行", line);
    return r->where.data;
}

/* "落实情况!G5": a workbook cell by its sheet and name. Valid until the next call. */
static const char *cell_name(struct reader *r, size_t column, unsigned long line)
{
    pl_workbook_cell_name(&r->cell_name, column, line);
    pl_buf_clear(&r->where);
    pl_buf_printf(&r->where, "%s!%s", r->sheet ? r->sheet : "", r->cell_name.data);
    return r->where.data;
}

/* ---- held rows --------------------------------------------------------------------------- */

static void held_free(struct held_row *h)
{
    free(h->row.cells);
    free(h->row.lens);
    free(h->notes);
    free(h->block);
}

static void held_list_clear(struct held_list *l)
{
    for (size_t i = 0; i < l->count; i++)
        held_free(&l->items[i]);
    l->count = 0;
}

static void held_list_fini(struct held_list *l)
{
    held_list_clear(l);
    free(l->items);
    l->items = NULL;
    l->cap = 0;
}

/* Copies ROW (and NOTES, NNOTES entries, when not NULL) to the end of L. */
static enum pl_status held_push(struct held_list *l, const struct pl_csv_row *row,
                                const unsigned char *notes, size_t nnotes)
{
    if (l->count == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        struct held_row *v = realloc(l->items, cap * sizeof *v);
        if (!v)
            return PL_ERR_NOMEM;
        l->items = v;
        l->cap = cap;
    }
    struct held_row h = {.row = *row};
    size_t total = 0;
    for (size_t i = 0; i < row->count; i++)
        total += row->lens[i] + 1;
    h.row.cells = calloc(row->count ? row->count : 1, sizeof *h.row.cells);
    h.row.lens = calloc(row->count ? row->count : 1, sizeof *h.row.lens);
    h.block = malloc(total ? total : 1);
    if (notes && nnotes) {
        h.nnotes = nnotes;
        h.notes = malloc(nnotes);
        if (h.notes)
            memcpy(h.notes, notes, nnotes);
    }
    if (!h.row.cells || !h.row.lens || !h.block || (notes && nnotes && !h.notes)) {
        held_free(&h);
        return PL_ERR_NOMEM;
    }
    char *p = h.block;
    for (size_t i = 0; i < row->count; i++) {
        memcpy(p, row->cells[i], row->lens[i]);
        p[row->lens[i]] = '\0';
        h.row.cells[i] = p;
        h.row.lens[i] = row->lens[i];
        p += row->lens[i] + 1;
    }
    l->items[l->count++] = h;
    return PL_OK;
}

/* ---- one row to a record ---------------------------------------------------------------- */

/* The continuation rule (a 任务编号 merged down a task's indicator rows, or left blank below
 * the task's first row): a row with a blank task id, a metric, and a unit that is blank or the
 * row above's, takes the row above's task id and unit. */
static bool continues_task(const struct reader *r, const struct pl_return_row *out)
{
    if (!r->last_task.len || r->map.column[PL_F_METRIC] < 0)
        return false;
    if (!is_blank(out->value[PL_F_TASK_ID], out->len[PL_F_TASK_ID]) ||
        is_blank(out->value[PL_F_METRIC], out->len[PL_F_METRIC]))
        return false;
    return out->len[PL_F_UNIT] == 0 ||
           (out->len[PL_F_UNIT] == r->last_unit.len &&
            memcmp(out->value[PL_F_UNIT], r->last_unit.data, r->last_unit.len) == 0);
}

/* True when width folding leaves S[0..LEN) as it is: plain ends, and no byte E3 or EF, the
 * lead bytes of U+3000 and of the full-width forms U+FF01..U+FF5E (neither is ever a
 * continuation byte). */
static bool fold_is_identity(const char *s, size_t len)
{
    if (!ends_are_plain(s, len))
        return false;
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] == 0xE3 || (unsigned char)s[i] == 0xEF)
            return false;
    return true;
}

static enum pl_status fill_row(struct reader *r, const struct pl_csv_row *row,
                               struct pl_return_row *out)
{
    memset(out, 0, sizeof *out);
    out->line = row->line;
    out->columns = r->columns.data;
    out->sheet = r->sheet ? r->sheet : "";
    /* The line as text, by hand: snprintf cost more than the rest of the row's fields. */
    char *end = r->line_text + sizeof r->line_text - 1, *p = end;
    unsigned long line = row->line;
    *p = '\0';
    do
        *--p = (char)('0' + line % 10);
    while (line /= 10);
    out->value[PL_F_CYCLE] = r->opt->cycle ? r->opt->cycle : "";
    out->len[PL_F_CYCLE] = r->cycle_len;
    out->value[PL_F_SOURCE] = r->source;
    out->len[PL_F_SOURCE] = r->source_len;
    out->value[PL_F_LINE] = p;
    out->len[PL_F_LINE] = (size_t)(end - p);
    for (int f = PL_F_TASK_ID; f < PL_F_COUNT; f++) {
        int col = r->map.column[f];
        const char *cell = "";
        size_t len = 0;
        if (col >= 0 && (size_t)col < row->count) {
            cell = row->cells[col];
            len = row->lens[col];
        }
        /* A cell that folding or trimming would leave as it is is handed on as it stands
         * (cells end with a NUL at their length). */
        if (field_is_folded((enum pl_field)f) && !fold_is_identity(cell, len)) {
            pl_buf_clear(&r->folded[f]);
            if (pl_text_fold_width(&r->folded[f], cell, len) != PL_OK)
                return PL_ERR_NOMEM;
            cell = r->folded[f].data;
            len = r->folded[f].len;
        } else if (field_is_trimmed((enum pl_field)f) && !ends_are_plain(cell, len)) {
            /* Copied, so that every value handed on ends at its length with a NUL. */
            size_t a, b;
            pl_text_trim(cell, len, &a, &b);
            pl_buf_clear(&r->folded[f]);
            if (pl_buf_append(&r->folded[f], cell + a, b - a) != PL_OK)
                return PL_ERR_NOMEM;
            cell = r->folded[f].data;
            len = r->folded[f].len;
        }
        out->value[f] = cell;
        out->len[f] = len;
    }
    return PL_OK;
}

/* The cells beyond the header's width, as one CSV line, so that a rejected ragged row keeps
 * everything it held. */
static enum pl_status collect_extra(struct reader *r, const struct pl_csv_row *row,
                                    struct pl_return_row *out)
{
    pl_buf_clear(&r->extra);
    for (size_t i = r->map.width; i < row->count; i++) {
        if (i > r->map.width && pl_buf_append_char(&r->extra, ',') != PL_OK)
            return PL_ERR_NOMEM;
        bool quote = false;
        for (size_t k = 0; k < row->lens[i] && !quote; k++)
            quote = strchr(",\"\r\n", row->cells[i][k]) != NULL;
        if (!quote) {
            if (pl_buf_append(&r->extra, row->cells[i], row->lens[i]) != PL_OK)
                return PL_ERR_NOMEM;
            continue;
        }
        if (pl_buf_append_char(&r->extra, '"') != PL_OK)
            return PL_ERR_NOMEM;
        for (size_t k = 0; k < row->lens[i]; k++) {
            if (row->cells[i][k] == '"' && pl_buf_append_char(&r->extra, '"') != PL_OK)
                return PL_ERR_NOMEM;
            if (pl_buf_append_char(&r->extra, row->cells[i][k]) != PL_OK)
                return PL_ERR_NOMEM;
        }
        if (pl_buf_append_char(&r->extra, '"') != PL_OK)
            return PL_ERR_NOMEM;
    }
    out->extra = r->extra.data;
    out->extra_len = r->extra.len;
    return PL_OK;
}

static enum pl_status reject(struct reader *r, const struct pl_return_row *row,
                             unsigned long line, unsigned long column, const char *code,
                             const char *field)
{
    r->stats->rejected++;
    pl_diag_report(r->diag, r->source, line, column, code, "%s", r->message.data);
    return r->sink->reject(r->sink->ctx, row, code, field, r->message.data);
}

static const char *bad_reason_text(int reason)
{
    switch (reason) {
    case PL_BAD_NUL:
        return "有一个空字符（NUL），文本里不应有这种字符，文件可能已损坏";
    case PL_BAD_MIXED:
        return "是UTF-8编码，而文件其余部分是GBK编码：同一个文件混用了两种编码，请整个文件另存为“CSV "
               "UTF-8（逗号分隔）”";
    default:
        return "的字节不是文件所用编码的文字，无法读取：这一行可能是从别的文件复制来的，请用同一种编码另存";
    }
}

/* A row of a pre-filled form that the unit left as it was: a task id, a unit, maybe a metric,
 * and nothing in any of the cells a unit fills. Not a return: the task is simply not reported
 * (ducha-merge names it 未报送). */
static bool is_unfilled(const struct reader *r, const struct pl_csv_row *row)
{
    static const enum pl_field filled_in[] = {
        PL_F_OWNER,     PL_F_PHONE,    PL_F_PROGRESS,   PL_F_STATUS,     PL_F_VALUE,
        PL_F_NARRATIVE, PL_F_PROBLEMS, PL_F_NEXT_STEPS, PL_F_REPORTED_ON,
    };
    bool any_column = false;
    for (size_t i = 0; i < sizeof filled_in / sizeof filled_in[0]; i++) {
        int c = r->map.column[filled_in[i]];
        if (c < 0)
            continue;
        any_column = true;
        if ((size_t)c < row->count && !is_blank(row->cells[c], row->lens[c]))
            return false;
    }
    /* A return with none of those columns at all (task id and unit only) is data, and so is
     * a row short of cells or with cells beyond the header (ragged, rejected as such). */
    if (!any_column || row->count < r->map.width)
        return false;
    for (size_t i = r->map.width; i < row->count; i++)
        if (!is_blank(row->cells[i], row->lens[i]))
            return false;
    return true;
}

/* Hands a record on, applying the date rule: a record with a blank 填报日期 in a file whose
 * other rows are dated takes their date. Until the first dated row it waits (up to
 * DATELESS_HELD_MAX rows); after it, it takes the last date seen. */
static enum pl_status emit_record(struct reader *r, struct pl_return_row *out);

static enum pl_status flush_dateless(struct reader *r);

static void remember_task(struct reader *r, const struct pl_return_row *out)
{
    if (is_blank(out->value[PL_F_TASK_ID], out->len[PL_F_TASK_ID]))
        return;
    pl_buf_clear(&r->last_task);
    pl_buf_clear(&r->last_unit);
    if (pl_buf_append(&r->last_task, out->value[PL_F_TASK_ID], out->len[PL_F_TASK_ID]) != PL_OK ||
        pl_buf_append(&r->last_unit, out->value[PL_F_UNIT], out->len[PL_F_UNIT]) != PL_OK)
        r->status = PL_ERR_NOMEM;
}

/* A workbook cell in a field the record reads whose note makes the row unusable (a formula
 * without a value), or worth a warning (an error value, read as blank). Returns true when the
 * row was rejected (*ST set). */
static bool rejected_for_cell_notes(struct reader *r, struct pl_return_row *out, enum pl_status *st)
{
    if (!r->notes)
        return false;
    for (int f = PL_F_TASK_ID; f < PL_F_COUNT; f++) {
        int c = r->map.column[f];
        if (c < 0 || (size_t)c >= r->notes_count || r->notes[c] == PL_CELL_PLAIN)
            continue;
        const char *name = cell_name(r, (size_t)c, out->line);
        if (r->notes[c] == PL_CELL_ERROR) {
            pl_diag_report(r->diag, r->source, out->line, (unsigned long)c + 1, "W_CELL_ERROR",
                           "%s是错误值（如#N/A），按空白读取：请检查这一格的公式", name);
            continue;
        }
        pl_buf_clear(&r->message);
        pl_buf_printf(&r->message,
                      "%s是公式，但文件里没有保存公式的计算结果（文件可能由程序生成，未在Excel或"
                      "WPS中打开保存过）：请在Excel或WPS中打开并保存后重新报送，或直接填写数值",
                      name);
        r->stats->rows++;
        *st = reject(r, out, out->line, (unsigned long)c + 1, "E_FORMULA_NO_VALUE",
                     pl_field_name((enum pl_field)f));
        return true;
    }
    return false;
}

static enum pl_status process_data_row(struct reader *r, const struct pl_csv_row *row)
{
    struct pl_return_row out;
    if (fill_row(r, row, &out) != PL_OK)
        return PL_ERR_NOMEM;
    pl_buf_clear(&r->message);
    if (row->problem == PL_CSV_ROW_UNTERMINATED) {
        r->stats->rows++;
        size_t last = row->count ? row->count - 1 : 0;
        const char *field = "";
        for (int f = 0; f < PL_F_COUNT; f++)
            if (r->map.column[f] == (int)last)
                field = pl_field_name((enum pl_field)f);
        if (row->count > r->map.width && collect_extra(r, row, &out) != PL_OK)
            return PL_ERR_NOMEM;
        pl_buf_printf(&r->message,
                      "第%lu行开始的单元格以英文双引号开头，但直到文件末尾（第%lu行）都没有结束的"
                      "双引号，其后的内容全部落在这一格里：请在该单元格末尾补上双引号",
                      row->problem_line, row->end_line);
        return reject(r, &out, row->problem_line, 1, "E_UNTERMINATED_QUOTE", field);
    }
    if (row->problem == PL_CSV_ROW_UNDECODABLE) {
        r->stats->rows++;
        if (row->count > r->map.width && collect_extra(r, row, &out) != PL_OK)
            return PL_ERR_NOMEM;
        pl_buf_printf(&r->message, "第%lu行第%lu列%s（原字节以\\xNN形式保留）",
                      row->problem_line, row->problem_column,
                      bad_reason_text(row->problem_reason));
        return reject(r, &out, row->problem_line, row->problem_column, "E_UNDECODABLE", "");
    }
    const char *const *cells = (const char *const *)row->cells;
    int tc = r->map.column[PL_F_TASK_ID], uc = r->map.column[PL_F_UNIT];
    if ((size_t)tc < row->count && (size_t)uc < row->count &&
        row->lens[tc] == r->header_task.len && row->lens[uc] == r->header_unit.len &&
        memcmp(cells[tc], r->header_task.data, row->lens[tc]) == 0 &&
        memcmp(cells[uc], r->header_unit.data, row->lens[uc]) == 0) {
        /* The header again: two files pasted into one. Not data. */
        r->stats->repeated_headers++;
        pl_diag_report(r->diag, r->source, row->line, 1, "W_REPEATED_HEADER",
                       "%s又是一行表头（可能是两个文件拼在了一起），已跳过",
                       row_name(r, row->line));
        return PL_OK;
    }
    if (is_unfilled(r, row)) {
        r->stats->unfilled_rows++;
        return PL_OK;
    }
    /* Trailing empty cells (Excel pads rows to the used range) do not make a row ragged. */
    size_t count = row->count;
    while (count > r->map.width && is_blank(row->cells[count - 1], row->lens[count - 1]))
        count--;
    if (count != r->map.width) {
        r->stats->rows++;
        if (count > r->map.width) {
            if (collect_extra(r, row, &out) != PL_OK)
                return PL_ERR_NOMEM;
            if (r->sheet)
                pl_buf_printf(&r->message,
                              "%s在表头以外的列还有内容：请把内容移到表头下对应的列，或删除多余的内容",
                              cell_name(r, count - 1, row->line));
            else
                pl_buf_printf(&r->message,
                              "第%lu行有%zu个单元格，而表头只有%zu列：可能是某个单元格里的英文逗号"
                              "没有加引号，请检查后重新另存",
                              row->line, count, r->map.width);
        } else {
            pl_buf_printf(&r->message,
                          "第%lu行只有%zu个单元格，而表头有%zu列：这一行可能被截断，或某个单元格"
                          "里的换行没有加引号",
                          row->line, count, r->map.width);
        }
        return reject(r, &out, row->line, r->sheet ? count : 1, "E_RAGGED_ROW", "");
    }
    enum pl_status st = PL_OK;
    if (rejected_for_cell_notes(r, &out, &st))
        return st;
    if (continues_task(r, &out)) {
        out.value[PL_F_TASK_ID] = r->last_task.data;
        out.len[PL_F_TASK_ID] = r->last_task.len;
        out.value[PL_F_UNIT] = r->last_unit.data;
        out.len[PL_F_UNIT] = r->last_unit.len;
        r->stats->inherited_ids++;
    } else {
        remember_task(r, &out);
    }
    r->stats->rows++;
    if (r->info && !r->info->unit.len && out.len[PL_F_UNIT] &&
        pl_buf_append(&r->info->unit, out.value[PL_F_UNIT], out.len[PL_F_UNIT]) != PL_OK)
        return PL_ERR_NOMEM;
    return emit_record(r, &out);
}

/* A held record back as a row: its fields are in the held row's cells, in record order. */
static void held_to_record(struct reader *r, const struct held_row *h, struct pl_return_row *out)
{
    memset(out, 0, sizeof *out);
    for (int f = 0; f < PL_F_COUNT; f++) {
        out->value[f] = h->row.cells[f];
        out->len[f] = h->row.lens[f];
    }
    out->columns = h->row.cells[PL_F_COUNT];
    out->sheet = h->row.cells[PL_F_COUNT + 1];
    out->line = h->row.line;
    (void)r;
}

static enum pl_status hand_on(struct reader *r, const struct pl_return_row *out)
{
    r->stats->records++;
    return r->sink->record(r->sink->ctx, out);
}

static enum pl_status emit_record(struct reader *r, struct pl_return_row *out)
{
    bool blank = is_blank(out->value[PL_F_REPORTED_ON], out->len[PL_F_REPORTED_ON]);
    if (r->map.column[PL_F_REPORTED_ON] < 0 || !blank) {
        if (!blank) {
            pl_buf_clear(&r->last_date);
            if (pl_buf_append(&r->last_date, out->value[PL_F_REPORTED_ON],
                              out->len[PL_F_REPORTED_ON]) != PL_OK)
                return PL_ERR_NOMEM;
            enum pl_status st = flush_dateless(r);
            if (st != PL_OK)
                return st;
        }
        return hand_on(r, out);
    }
    if (r->last_date.len) {
        out->value[PL_F_REPORTED_ON] = r->last_date.data;
        out->len[PL_F_REPORTED_ON] = r->last_date.len;
        r->stats->dated_from_file++;
        return hand_on(r, out);
    }
    if (r->dateless.count >= DATELESS_HELD_MAX)
        return hand_on(r, out);
    /* Held as a row of the record's fields, then columns and sheet. */
    const char *cells[PL_F_COUNT + 2];
    size_t lens[PL_F_COUNT + 2];
    for (int f = 0; f < PL_F_COUNT; f++) {
        cells[f] = out->value[f];
        lens[f] = out->len[f];
    }
    cells[PL_F_COUNT] = out->columns;
    lens[PL_F_COUNT] = strlen(out->columns);
    cells[PL_F_COUNT + 1] = out->sheet;
    lens[PL_F_COUNT + 1] = strlen(out->sheet);
    struct pl_csv_row row = {.count = PL_F_COUNT + 2, .cells = (char **)cells, .lens = lens,
                             .line = out->line};
    return held_push(&r->dateless, &row, NULL, 0);
}

/* The records waiting for a date: with the file's date when it has one, else as they are. */
static enum pl_status flush_dateless(struct reader *r)
{
    enum pl_status st = PL_OK;
    for (size_t i = 0; st == PL_OK && i < r->dateless.count; i++) {
        struct pl_return_row out;
        held_to_record(r, &r->dateless.items[i], &out);
        if (r->last_date.len) {
            out.value[PL_F_REPORTED_ON] = r->last_date.data;
            out.len[PL_F_REPORTED_ON] = r->last_date.len;
            r->stats->dated_from_file++;
        }
        st = hand_on(r, &out);
    }
    held_list_clear(&r->dateless);
    return st;
}

/* Signature-like rows are data after all when data follows them: handed on in order. */
static enum pl_status flush_signature_like(struct reader *r)
{
    enum pl_status st = PL_OK;
    const unsigned char *notes = r->notes;
    size_t nnotes = r->notes_count;
    for (size_t i = 0; st == PL_OK && i < r->signature_like.count; i++) {
        struct held_row *h = &r->signature_like.items[i];
        r->notes = h->notes;
        r->notes_count = h->nnotes;
        st = process_data_row(r, &h->row);
    }
    r->notes = notes;
    r->notes_count = nnotes;
    held_list_clear(&r->signature_like);
    return st;
}

static enum pl_status on_data_row(struct reader *r, const struct pl_csv_row *row)
{
    const char *const *cells = (const char *const *)row->cells;
    if (row->problem == PL_CSV_ROW_OK) {
        if (pl_header_row_is_blank(cells, row->lens, row->count)) {
            r->stats->blank_rows++;
            return PL_OK;
        }
        /* Signature rows are only below the last data row: a row that looks like one (a
         * 工作任务 reading 压实主要负责人责任) waits until the rows below tell. */
        if (pl_header_row_is_signature(cells, row->lens, row->count))
            return held_push(&r->signature_like, row, r->notes,
                             r->notes && r->notes_count < row->count ? r->notes_count : row->count);
    }
    enum pl_status st = flush_signature_like(r);
    if (st != PL_OK)
        return st;
    st = process_data_row(r, row);
    return st != PL_OK ? st : r->status;
}

/* Warns about header cells that name no field. A file with thousands of such columns gets
 * the first few by name and one line for the rest; names are quoted shortened. */
enum { UNKNOWN_COLUMNS_NAMED = 5 };

static void warn_unknown_columns(struct reader *r, const struct pl_csv_row *row)
{
    unsigned long unknown = 0;
    struct pl_buf name;
    pl_buf_init(&name);
    for (size_t i = 0; i < row->count; i++) {
        if (is_blank(row->cells[i], row->lens[i]))
            continue;
        int rank;
        enum pl_field f = pl_header_field(row->cells[i], row->lens[i], &rank);
        if (f == PL_F_COUNT && pl_header_is_reference(row->cells[i], row->lens[i]))
            continue;
        pl_buf_clear(&name);
        pl_header_describe_row(&name, (const char *const *)&row->cells[i], &row->lens[i], 1);
        if (f == PL_F_COUNT && ++unknown <= UNKNOWN_COLUMNS_NAMED)
            pl_diag_report(r->diag, r->source, row->line, 0, "W_UNKNOWN_COLUMN",
                           "表头第%zu列%s不是报表的列，这一列的内容不会被读取", i + 1, name.data);
        else if (f != PL_F_COUNT && r->map.column[f] != (int)i)
            pl_diag_report(r->diag, r->source, row->line, 0, "W_DUPLICATE_COLUMN",
                           "表头第%zu列%s与第%d列重复，只读取第%d列", i + 1, name.data,
                           r->map.column[f] + 1, r->map.column[f] + 1);
    }
    if (unknown > UNKNOWN_COLUMNS_NAMED)
        pl_diag_report(r->diag, r->source, row->line, 0, "W_UNKNOWN_COLUMN",
                       "表头另有%lu列也不是报表的列，这些列的内容不会被读取",
                       unknown - UNKNOWN_COLUMNS_NAMED);
    pl_buf_fini(&name);
}

static enum pl_status on_row(void *ctx, const struct pl_csv_row *row)
{
    struct reader *r = ctx;
    if (r->have_header)
        return on_data_row(r, row);
    const char *const *cells = (const char *const *)row->cells;
    if (row->problem != PL_CSV_ROW_OK || pl_header_row_is_blank(cells, row->lens, row->count)) {
        if (row->problem != PL_CSV_ROW_OK)
            r->stats->title_rows++;
        return PL_OK;
    }
    struct pl_header_map map;
    if (pl_header_map_row(cells, row->lens, row->count, &map)) {
        r->map = map;
        r->have_header = true;
        pl_buf_clear(&r->columns);
        for (int f = PL_F_TASK_ID; f < PL_F_COUNT; f++)
            if (pl_buf_printf(&r->columns, "%s%d", f == PL_F_TASK_ID ? "" : "|",
                              map.column[f] + 1) != PL_OK)
                return PL_ERR_NOMEM;
        int tc = map.column[PL_F_TASK_ID], uc = map.column[PL_F_UNIT];
        if (pl_buf_append(&r->header_task, cells[tc], row->lens[tc]) != PL_OK ||
            pl_buf_append(&r->header_unit, cells[uc], row->lens[uc]) != PL_OK)
            return PL_ERR_NOMEM;
        warn_unknown_columns(r, row);
        return PL_OK;
    }
    r->stats->title_rows++;
    r->searched++;
    if (r->best_line == 0 || map.recognised > r->best_recognised) {
        r->best_recognised = map.recognised;
        r->best_line = row->line;
        pl_buf_clear(&r->best_text);
        pl_buf_clear(&r->best_sheet);
        if (pl_header_describe_row(&r->best_text, cells, row->lens, row->count) != PL_OK ||
            (r->sheet && pl_buf_append_str(&r->best_sheet, r->sheet) != PL_OK))
            return PL_ERR_NOMEM;
    }
    /* Stop looking: the reader's caller sees no header and refuses the file (or, in a
     * workbook, looks at the next sheet). */
    if (r->searched >= HEADER_SEARCH_ROWS) {
        r->stopped_search = true;
        return PL_ERR_DATA;
    }
    return PL_OK;
}

/* The file's last row was read (ST PL_OK, or PL_ERR_DATA when reading stopped early): the rows
 * still held as signature-like are signature rows after all, and records waiting for a date
 * go out with the file's date, if it has one. */
static enum pl_status end_of_rows(struct reader *r, enum pl_status st)
{
    if (st != PL_OK && st != PL_ERR_DATA)
        return st;
    r->stats->signature_rows += r->signature_like.count;
    held_list_clear(&r->signature_like);
    enum pl_status fl = flush_dateless(r);
    return fl != PL_OK ? fl : st;
}

/* ---- workbooks --------------------------------------------------------------------------- */

/* A sheet's row handed to the common path, padded with empty cells to the header's width:
 * a workbook leaves trailing empty cells out, which is not a short row. */
static enum pl_status on_sheet_row(void *ctx, const struct pl_sheet_row *srow)
{
    struct reader *r = ctx;
    const struct pl_csv_row *row = &srow->row;
    r->notes = srow->notes;
    r->notes_count = row->count;
    if (!r->have_header || row->count >= r->map.width)
        return on_row(r, row);
    if (r->padded_cap < r->map.width) {
        char **cells = realloc(r->padded_cells, r->map.width * sizeof *cells);
        if (!cells)
            return PL_ERR_NOMEM;
        r->padded_cells = cells;
        size_t *lens = realloc(r->padded_lens, r->map.width * sizeof *lens);
        if (!lens)
            return PL_ERR_NOMEM;
        r->padded_lens = lens;
        r->padded_cap = r->map.width;
    }
    static char empty[] = "";
    for (size_t i = 0; i < r->map.width; i++) {
        r->padded_cells[i] = i < row->count ? row->cells[i] : empty;
        r->padded_lens[i] = i < row->count ? row->lens[i] : 0;
    }
    struct pl_csv_row padded = *row;
    padded.cells = r->padded_cells;
    padded.lens = r->padded_lens;
    padded.count = r->map.width;
    return on_row(r, &padded);
}

static enum pl_status name_other_sheet(struct reader *r, const char *name, bool visible)
{
    if (!r->info)
        return PL_OK;
    struct pl_buf *o = &r->info->other_sheets;
    return pl_buf_printf(o, "%s“%s”%s", o->len ? "、" : "", name, visible ? "" : "（隐藏）");
}

/* The first visible sheet whose header row is a return header is the return. */
static enum pl_status read_workbook(struct reader *r, const char *path)
{
    struct pl_workbook *wb = NULL;
    enum pl_status st = pl_workbook_open(path, r->source, r->diag, &wb);
    if (st != PL_OK)
        return st;
    if (r->info)
        r->info->format = pl_workbook_format(wb);
    size_t n = pl_workbook_sheet_count(wb);
    bool any_rows = false;
    for (size_t i = 0; st == PL_OK && i < n; i++) {
        const char *name = pl_workbook_sheet_name(wb, i);
        bool visible = pl_workbook_sheet_visible(wb, i);
        if (r->have_header || !visible) {
            st = name_other_sheet(r, name, visible);
            continue;
        }
        r->sheet = name;
        r->stopped_search = false;
        /* Only the return's own sheet has title rows: a sheet without a header is not read.
         * Each sheet gets its own thirty rows to show a header in. */
        r->stats->title_rows = 0;
        r->searched = 0;
        st = pl_workbook_read_sheet(wb, i, on_sheet_row, r);
        if (r->best_line || r->have_header)
            any_rows = true;
        if (st == PL_ERR_DATA && r->stopped_search)
            st = PL_OK;
        if (st == PL_OK && r->have_header) {
            if (r->info && pl_buf_append_str(&r->info->sheet, name) != PL_OK)
                st = PL_ERR_NOMEM;
        } else if (st == PL_OK) {
            st = name_other_sheet(r, name, true);
            r->sheet = NULL;
        }
    }
    /* Held rows end with the sheet they were on: the sheet name must outlive them. */
    st = end_of_rows(r, st);
    if (st == PL_OK && !r->have_header) {
        if (!any_rows)
            pl_diag_report(r->diag, r->source, 0, 0, "E_EMPTY_FILE",
                           "工作簿的工作表中没有内容，没有可读取的数据");
        else
            pl_diag_report(r->diag, r->source, r->best_line, 1, "E_NO_HEADER",
                           "找不到表头：报表需要“任务编号”和“承办单位”两列（也接受task_id、unit），"
                           "而工作表“%s”第%lu行的内容是：%s",
                           r->best_sheet.data, r->best_line, r->best_text.data);
        st = PL_ERR_DATA;
    }
    r->sheet = NULL;
    pl_workbook_free(wb);
    return st;
}

/* ---- text files -------------------------------------------------------------------------- */

static enum pl_status read_text(struct reader *r, const char *path)
{
    struct pl_text_source *src = NULL;
    struct pl_csv_reader *csv = NULL;
    enum pl_status st =
        pl_text_source_open(path, r->source, r->opt->encoding, r->diag, &src);
    if (st != PL_OK)
        return st;
    if (r->info)
        r->info->format = "csv";
    r->stats->encoding = pl_text_source_encoding(src);
    csv = pl_csv_reader_new(pl_text_source_delimiter(src), on_row, r);
    if (!csv) {
        pl_text_source_free(src);
        return PL_ERR_NOMEM;
    }
    unsigned long line_no = 0;
    st = pl_text_source_feed_csv(src, csv, &line_no);
    if (st == PL_ERR_IO)
        pl_diag_report(r->diag, r->source, line_no, 0, "E_READ", "读取中断：文件无法继续读取");
    st = end_of_rows(r, st);
    if ((st == PL_OK || st == PL_ERR_DATA) && !r->have_header) {
        if (r->searched == 0)
            pl_diag_report(r->diag, r->source, 0, 0, "E_EMPTY_FILE",
                           "文件中没有内容（只有空行或空白），没有可读取的数据");
        else
            pl_diag_report(r->diag, r->source, r->best_line, 1, "E_NO_HEADER",
                           "找不到表头：报表需要“任务编号”和“承办单位”两列（也接受task_id、unit），"
                           "而第%lu行的内容是：%s",
                           r->best_line, r->best_text.data);
        st = PL_ERR_DATA;
    }
    pl_csv_reader_free(csv);
    pl_text_source_free(src);
    return st;
}

/* What the file's first bytes say it is; a text file for standard input or when it cannot
 * be opened (the text path then says why). */
static enum pl_file_kind kind_of_path(const char *path)
{
    struct stat sb;
    /* Only a regular file is looked into: opening a FIFO would wait for a writer. */
    if (strcmp(path, "-") == 0 || stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
        return PL_FILE_TEXT;
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return PL_FILE_TEXT;
    unsigned char head[8];
    size_t n = fread(head, 1, sizeof head, fp);
    fclose(fp);
    return pl_file_kind_of(head, n);
}

void pl_return_info_init(struct pl_return_info *info)
{
    info->format = "";
    pl_buf_init(&info->sheet);
    pl_buf_init(&info->other_sheets);
    pl_buf_init(&info->unit);
}

void pl_return_info_fini(struct pl_return_info *info)
{
    pl_buf_fini(&info->sheet);
    pl_buf_fini(&info->other_sheets);
    pl_buf_fini(&info->unit);
}

static void reader_fini(struct reader *r)
{
    for (int f = 0; f < PL_F_COUNT; f++)
        pl_buf_fini(&r->folded[f]);
    pl_buf_fini(&r->extra);
    pl_buf_fini(&r->message);
    pl_buf_fini(&r->columns);
    pl_buf_fini(&r->best_text);
    pl_buf_fini(&r->best_sheet);
    pl_buf_fini(&r->header_task);
    pl_buf_fini(&r->header_unit);
    pl_buf_fini(&r->where);
    pl_buf_fini(&r->cell_name);
    pl_buf_fini(&r->last_task);
    pl_buf_fini(&r->last_unit);
    pl_buf_fini(&r->last_date);
    held_list_fini(&r->signature_like);
    held_list_fini(&r->dateless);
    free(r->padded_cells);
    free(r->padded_lens);
}

enum pl_status pl_returns_read(const char *path, const char *source,
                               const struct pl_returns_options *opt,
                               const struct pl_returns_sink *sink, struct pl_diag *diag,
                               struct pl_return_stats *stats)
{
    memset(stats, 0, sizeof *stats);
    struct reader r = {
        .source = source, .opt = opt, .sink = sink, .diag = diag, .stats = stats,
        .source_len = strlen(source), .cycle_len = opt->cycle ? strlen(opt->cycle) : 0,
        .info = opt->info,
    };
    for (int f = 0; f < PL_F_COUNT; f++)
        pl_buf_init(&r.folded[f]);
    struct pl_buf *bufs[] = {&r.extra,      &r.message,     &r.columns,   &r.best_text,
                             &r.best_sheet, &r.header_task, &r.header_unit, &r.where,
                             &r.cell_name,  &r.last_task,   &r.last_unit, &r.last_date};
    for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++)
        pl_buf_init(bufs[i]);
    if (r.info) {
        r.info->format = "";
        pl_buf_clear(&r.info->sheet);
        pl_buf_clear(&r.info->other_sheets);
        pl_buf_clear(&r.info->unit);
    }

    enum pl_file_kind kind = kind_of_path(path);
    enum pl_status st = kind == PL_FILE_TEXT ? read_text(&r, path) : read_workbook(&r, path);
    if (st == PL_OK && r.status != PL_OK)
        st = r.status;
    if (st == PL_OK && stats->rows == 0) {
        pl_diag_report(diag, source, 0, 0, "W_NO_ROWS",
                       stats->unfilled_rows ? "报表没有填写：%lu行都只有预填的编号和单位"
                                            : "只有表头，没有数据行",
                       stats->unfilled_rows);
    } else if (st == PL_OK && stats->unfilled_rows) {
        pl_diag_report(diag, source, 0, 0, "W_UNFILLED_ROWS",
                       "%lu行只有预填的编号和单位，没有填写内容，不作为报送（任务没有别的已填写的行时，按未报送处理）",
                       stats->unfilled_rows);
    }
    if (st == PL_OK && stats->inherited_ids)
        pl_diag_report(diag, source, 0, 0, "W_TASK_ID_INHERITED",
                       "%lu行的任务编号为空而填了指标，按上一行的任务编号读取（任务编号合并单元格"
                       "或只在第一行填写）",
                       stats->inherited_ids);
    if (st == PL_OK && stats->dated_from_file)
        pl_diag_report(diag, source, 0, 0, "W_DATE_FROM_FILE",
                       "%lu行的填报日期为空，按本文件其他行的填报日期读取", stats->dated_from_file);
    reader_fini(&r);
    return st;
}
