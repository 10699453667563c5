/* table — whole small CSV files by column name. */
#include "table.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "encoding.h"

struct loader {
    struct pl_table *t;
    struct pl_diag *diag;
    size_t cap;
    bool failed;
    const char *const *keep; /* the columns whose cells are kept; NULL: all */
    size_t nkeep;
};

/* The row's cells of its first N columns (those SLOT keeps, when not NULL) in one allocation:
 * the pointers first, then the strings they point at. A table of 100,000 rows is 100,000
 * allocations, not millions; free() of the array frees the row. */
static char **copy_cells(const struct pl_csv_row *row, size_t n, const int *slot)
{
    size_t kept = 0, bytes = 0;
    for (size_t i = 0; i < n; i++)
        if (!slot || slot[i] >= 0) {
            kept++;
            bytes += (i < row->count ? row->lens[i] : 0) + 1;
        }
    bytes += (kept ? kept : 1) * sizeof(char *);
    char **cells = malloc(bytes);
    if (!cells)
        return NULL;
    char *p = (char *)(cells + (kept ? kept : 1));
    for (size_t i = 0, k = 0; i < n; i++) {
        if (slot && slot[i] < 0)
            continue;
        const char *s = i < row->count ? row->cells[i] : "";
        size_t len = i < row->count ? row->lens[i] : 0;
        /* Excel's BOM arrives glued to the first header cell. */
        if (i == 0 && len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
            s += 3;
            len -= 3;
        }
        cells[k++] = p;
        memcpy(p, s, len);
        p[len] = '\0';
        p += len + 1;
    }
    return cells;
}

static enum pl_status on_row(void *ctx, const struct pl_csv_row *row)
{
    struct loader *l = ctx;
    struct pl_table *t = l->t;
    if (row->problem == PL_CSV_ROW_UNTERMINATED) {
        pl_diag_report(l->diag, t->source, row->problem_line, 1, "E_UNTERMINATED_QUOTE",
                       "第%lu行开始的单元格缺少结束的双引号", row->problem_line);
        l->failed = true;
        return PL_OK;
    }
    if (row->problem == PL_CSV_ROW_UNDECODABLE) {
        /* The spreadsheet column of the cell holding the bad byte (shown as \xNN), not the
         * byte's character offset in the line. */
        unsigned long col = 0;
        for (size_t i = 0; i < row->count && !col; i++)
            if (strstr(row->cells[i], "\\x"))
                col = (unsigned long)i + 1;
        pl_diag_report(l->diag, t->source, row->problem_line, col, "E_UNDECODABLE",
                       "第%lu行有无法读取的文字（文件混用了两种编码）：请整体另存为UTF-8",
                       row->problem_line);
        l->failed = true;
        return PL_OK;
    }
    if (!t->names) {
        t->ncols = row->count;
        t->names = copy_cells(row, row->count, NULL);
        if (!t->names)
            return PL_ERR_NOMEM;
        if (l->keep) {
            /* Each column's place in a row's cells, -1 for a column not kept. */
            if (!(t->slot = malloc((t->ncols + 1) * sizeof *t->slot)))
                return PL_ERR_NOMEM;
            int next = 0;
            for (size_t i = 0; i < t->ncols; i++) {
                bool keep = false;
                for (size_t k = 0; k < l->nkeep && !keep; k++)
                    keep = strcmp(t->names[i], l->keep[k]) == 0;
                t->slot[i] = keep ? next++ : -1;
            }
        }
        return PL_OK;
    }
    /* Excel pads rows with empty cells: only non-empty surplus makes a row ragged. */
    size_t count = row->count;
    while (count > t->ncols && row->lens[count - 1] == 0)
        count--;
    if (count != t->ncols) {
        pl_diag_report(l->diag, t->source, row->line, 1, "E_RAGGED_ROW",
                       "第%lu行有%zu个单元格，表头有%zu列", row->line, count, t->ncols);
        l->failed = true;
        return PL_OK;
    }
    if (t->nrows == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 64;
        char ***rows = realloc(t->rows, cap * sizeof *rows);
        if (!rows)
            return PL_ERR_NOMEM;
        t->rows = rows;
        unsigned long *lines = realloc(t->lines, cap * sizeof *lines);
        if (!lines)
            return PL_ERR_NOMEM;
        t->lines = lines;
        l->cap = cap;
    }
    char **cells = copy_cells(row, t->ncols, t->slot);
    if (!cells)
        return PL_ERR_NOMEM;
    t->rows[t->nrows] = cells;
    t->lines[t->nrows] = row->line;
    t->nrows++;
    return PL_OK;
}

enum pl_status pl_table_read_stream(FILE *fp, const char *source, struct pl_table *t,
                                    struct pl_diag *diag)
{
    memset(t, 0, sizeof *t);
    t->source = strdup(source);
    if (!t->source)
        return PL_ERR_NOMEM;
    struct loader l = {t, diag, 0, false, NULL, 0};
    enum pl_status st = pl_csv_read_stream(fp, ',', on_row, &l);
    if (st == PL_OK && !t->names) {
        pl_diag_report(diag, source, 0, 0, "E_EMPTY_FILE", "文件是空的，连表头也没有");
        st = PL_ERR_DATA;
    }
    if (st == PL_OK && l.failed)
        st = PL_ERR_DATA;
    if (st != PL_OK) {
        char *keep = t->source;
        t->source = NULL;
        pl_table_free(t);
        t->source = keep;
    }
    return st;
}

/* The file through the same reader as returns (encoding): UTF-8 with or without a BOM,
 * GBK/GB18030, UTF-16 with a BOM, CRLF — a catalog file as Excel or WPS saves it back. */
enum pl_status pl_table_read(const char *path, struct pl_table *t, struct pl_diag *diag)
{
    return pl_table_read_columns(path, NULL, 0, t, diag);
}

enum pl_status pl_table_read_columns(const char *path, const char *const *keep, size_t nkeep,
                                     struct pl_table *t, struct pl_diag *diag)
{
    memset(t, 0, sizeof *t);
    struct loader l = {t, diag, 0, false, keep, nkeep};
    struct pl_text_source *src = NULL;
    struct pl_csv_reader *csv = NULL;
    enum pl_status st = pl_text_source_open(path, path, PL_ENC_AUTO, diag, &src);
    if (st != PL_OK) {
        if (st == PL_ERR_DATA) {
            /* E_EMPTY_FILE, E_BINARY_FILE, E_ENCODING_UNKNOWN: reported by the source. */
            t->source = strdup(path);
        }
        return st;
    }
    if (!(t->source = strdup(path))) {
        st = PL_ERR_NOMEM;
        goto done;
    }
    csv = pl_csv_reader_new(pl_text_source_delimiter(src), on_row, &l);
    if (!csv) {
        st = PL_ERR_NOMEM;
        goto done;
    }
    st = pl_text_source_feed_csv(src, csv, NULL);
    if (st == PL_OK && !t->names) {
        pl_diag_report(diag, path, 0, 0, "E_EMPTY_FILE", "文件是空的，连表头也没有");
        st = PL_ERR_DATA;
    }
    if (st == PL_OK && l.failed)
        st = PL_ERR_DATA;
done:
    pl_csv_reader_free(csv);
    pl_text_source_free(src);
    if (st != PL_OK) {
        char *keep = t->source;
        t->source = NULL;
        pl_table_free(t);
        t->source = keep;
    }
    return st;
}

int pl_table_column(const struct pl_table *t, const char *name)
{
    for (size_t i = 0; i < t->ncols; i++)
        if (strcmp(t->names[i], name) == 0)
            return (int)i;
    return -1;
}

enum pl_status pl_table_require(const struct pl_table *t, const char *const *names, size_t n,
                                struct pl_diag *diag)
{
    enum pl_status st = PL_OK;
    for (size_t i = 0; i < n; i++) {
        if (pl_table_column(t, names[i]) >= 0)
            continue;
        struct pl_buf have;
        pl_buf_init(&have);
        for (size_t j = 0; j < t->ncols; j++)
            pl_buf_printf(&have, "%s%s", j ? "," : "", t->names[j]);
        pl_diag_report(diag, t->source, 1, 0, "E_MISSING_COLUMN",
                       "缺少“%s”列；文件中的列是：%s", names[i], have.data);
        pl_buf_fini(&have);
        st = PL_ERR_DATA;
    }
    return st;
}

const char *pl_table_get(const struct pl_table *t, size_t row, int col)
{
    if (col < 0 || (size_t)col >= t->ncols)
        return "";
    if (t->slot && (col = t->slot[col]) < 0)
        return "";
    return t->rows[row][col];
}

void pl_table_free(struct pl_table *t)
{
    for (size_t i = 0; i < t->nrows; i++)
        free(t->rows[i]);
    free(t->names);
    free(t->rows);
    free(t->slot);
    free(t->lines);
    free(t->source);
    memset(t, 0, sizeof *t);
}
