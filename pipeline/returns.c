/* returns — a return file to record rows and rejected rows. */
#include "returns.h"

#include <stdio.h>
#include <string.h>

#include "csv.h"
#include "header.h"
#include "text.h"

/* A header further down than this many non-blank rows is not looked for: such a file is
 * refused with what its first rows hold. */
enum { HEADER_SEARCH_ROWS = 30 };

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

static enum pl_status fill_row(struct reader *r, const struct pl_csv_row *row,
                               struct pl_return_row *out)
{
    memset(out, 0, sizeof *out);
    out->line = row->line;
    out->columns = r->columns.data;
    int line_len = snprintf(r->line_text, sizeof r->line_text, "%lu", row->line);
    out->value[PL_F_CYCLE] = r->opt->cycle ? r->opt->cycle : "";
    out->len[PL_F_CYCLE] = r->cycle_len;
    out->value[PL_F_SOURCE] = r->source;
    out->len[PL_F_SOURCE] = r->source_len;
    out->value[PL_F_LINE] = r->line_text;
    out->len[PL_F_LINE] = (size_t)line_len;
    for (int f = PL_F_TASK_ID; f < PL_F_COUNT; f++) {
        int col = r->map.column[f];
        const char *cell = "";
        size_t len = 0;
        if (col >= 0 && (size_t)col < row->count) {
            cell = row->cells[col];
            len = row->lens[col];
        }
        if (field_is_folded((enum pl_field)f)) {
            pl_buf_clear(&r->folded[f]);
            if (pl_text_fold_width(&r->folded[f], cell, len) != PL_OK)
                return PL_ERR_NOMEM;
            cell = r->folded[f].data;
            len = r->folded[f].len;
        } else if (field_is_trimmed((enum pl_field)f)) {
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
        if ((size_t)c < row->count && !pl_text_is_blank(row->cells[c], row->lens[c]))
            return false;
    }
    /* A return with none of those columns at all (task id and unit only) is data, and so is
     * a row short of cells or with cells beyond the header (ragged, rejected as such). */
    if (!any_column || row->count < r->map.width)
        return false;
    for (size_t i = r->map.width; i < row->count; i++)
        if (!pl_text_is_blank(row->cells[i], row->lens[i]))
            return false;
    return true;
}

static enum pl_status on_data_row(struct reader *r, const struct pl_csv_row *row)
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
    if (pl_header_row_is_blank(cells, row->lens, row->count)) {
        r->stats->blank_rows++;
        return PL_OK;
    }
    if (pl_header_row_is_signature(cells, row->lens, row->count)) {
        r->stats->signature_rows++;
        return PL_OK;
    }
    int tc = r->map.column[PL_F_TASK_ID], uc = r->map.column[PL_F_UNIT];
    if ((size_t)tc < row->count && (size_t)uc < row->count &&
        row->lens[tc] == r->header_task.len && row->lens[uc] == r->header_unit.len &&
        memcmp(cells[tc], r->header_task.data, row->lens[tc]) == 0 &&
        memcmp(cells[uc], r->header_unit.data, row->lens[uc]) == 0) {
        /* The header again: two files pasted into one. Not data. */
        r->stats->repeated_headers++;
        pl_diag_report(r->diag, r->source, row->line, 1, "W_REPEATED_HEADER",
                       "第%lu行又是一行表头（可能是两个文件拼在了一起），已跳过", row->line);
        return PL_OK;
    }
    if (is_unfilled(r, row)) {
        r->stats->unfilled_rows++;
        return PL_OK;
    }
    r->stats->rows++;
    /* Trailing empty cells (Excel pads rows to the used range) do not make a row ragged. */
    size_t count = row->count;
    while (count > r->map.width && pl_text_is_blank(row->cells[count - 1], row->lens[count - 1]))
        count--;
    if (count != r->map.width) {
        if (count > r->map.width) {
            if (collect_extra(r, row, &out) != PL_OK)
                return PL_ERR_NOMEM;
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
        return reject(r, &out, row->line, 1, "E_RAGGED_ROW", "");
    }
    r->stats->records++;
    return r->sink->record(r->sink->ctx, &out);
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
        if (pl_text_is_blank(row->cells[i], row->lens[i]))
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
    if (r->searched++ == 0 || map.recognised > r->best_recognised) {
        r->best_recognised = map.recognised;
        r->best_line = row->line;
        pl_buf_clear(&r->best_text);
        if (pl_header_describe_row(&r->best_text, cells, row->lens, row->count) != PL_OK)
            return PL_ERR_NOMEM;
    }
    /* Stop looking: the reader's caller sees no header and refuses the file. */
    return r->searched >= HEADER_SEARCH_ROWS ? PL_ERR_DATA : PL_OK;
}

static void reader_fini(struct reader *r)
{
    for (int f = 0; f < PL_F_COUNT; f++)
        pl_buf_fini(&r->folded[f]);
    pl_buf_fini(&r->extra);
    pl_buf_fini(&r->message);
    pl_buf_fini(&r->columns);
    pl_buf_fini(&r->best_text);
    pl_buf_fini(&r->header_task);
    pl_buf_fini(&r->header_unit);
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
    };
    for (int f = 0; f < PL_F_COUNT; f++)
        pl_buf_init(&r.folded[f]);
    pl_buf_init(&r.extra);
    pl_buf_init(&r.message);
    pl_buf_init(&r.columns);
    pl_buf_init(&r.best_text);
    pl_buf_init(&r.header_task);
    pl_buf_init(&r.header_unit);

    struct pl_text_source *src = NULL;
    struct pl_csv_reader *csv = NULL;
    enum pl_status st = pl_text_source_open(path, source, opt->encoding, diag, &src);
    if (st != PL_OK)
        goto done;
    stats->encoding = pl_text_source_encoding(src);
    csv = pl_csv_reader_new(pl_text_source_delimiter(src), on_row, &r);
    if (!csv) {
        st = PL_ERR_NOMEM;
        goto done;
    }
    unsigned long line_no = 0;
    st = pl_text_source_feed_csv(src, csv, &line_no);
    if (st == PL_ERR_IO)
        pl_diag_report(diag, source, line_no, 0, "E_READ", "读取中断：文件无法继续读取");
    if ((st == PL_OK || st == PL_ERR_DATA) && !r.have_header) {
        if (r.searched == 0)
            pl_diag_report(diag, source, 0, 0, "E_EMPTY_FILE",
                           "文件中没有内容（只有空行或空白），没有可读取的数据");
        else
            pl_diag_report(diag, source, r.best_line, 1, "E_NO_HEADER",
                           "找不到表头：报表需要“任务编号”和“承办单位”两列（也接受task_id、unit），"
                           "而第%lu行的内容是：%s",
                           r.best_line, r.best_text.data);
        st = PL_ERR_DATA;
    } else if (st == PL_OK && stats->rows == 0) {
        pl_diag_report(diag, source, 0, 0, "W_NO_ROWS",
                       stats->unfilled_rows ? "报表没有填写：%lu行都只有预填的编号和单位"
                                            : "只有表头，没有数据行",
                       stats->unfilled_rows);
    } else if (st == PL_OK && stats->unfilled_rows) {
        pl_diag_report(diag, source, 0, 0, "W_UNFILLED_ROWS",
                       "%lu行只有预填的编号和单位，没有填写内容，这些任务按未报送处理",
                       stats->unfilled_rows);
    }
done:
    pl_csv_reader_free(csv);
    pl_text_source_free(src);
    reader_fini(&r);
    return st;
}
