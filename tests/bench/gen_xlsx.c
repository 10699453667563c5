/* gen_xlsx — a benchmark's workbook return: the rows of a CSV return set as an .xlsx sheet. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
/* A benchmark tool, not the library: it writes the input workbooks with libxlsxwriter directly
 * because it needs both of the library's string modes, which pipeline/xlsx.c does not expose. */
#include <xlsxwriter.h>

#include "csv.h"

static const char usage[] =
    "usage: gen_xlsx [-i] CSV OUT.xlsx\n"
    "\n"
    "Writes the rows of CSV (a return set, header first) as the one sheet 落实情况 of OUT.xlsx:\n"
    "task ids and whole-number progress as numbers, everything else as text. Strings are\n"
    "shared (a sharedStrings part, as Excel writes them) unless -i asks for libxlsxwriter's\n"
    "constant-memory mode, which writes each string inline in the sheet.\n"
    "\n"
    "example: gen_xlsx build/bench-data/returns-100000.csv build/bench-data/returns-100000.xlsx\n";

struct writer {
    lxw_worksheet *ws;
    lxw_row_t row;
    int failed;
};

static int is_whole_number(const char *s, size_t len)
{
    if (len == 0 || len > 9)
        return 0;
    for (size_t i = 0; i < len; i++)
        if (s[i] < '0' || s[i] > '9')
            return 0;
    return 1;
}

static enum pl_status on_row(void *ctx, const struct pl_csv_row *row)
{
    struct writer *w = ctx;
    for (size_t c = 0; c < row->count; c++) {
        const char *cell = row->cells[c];
        lxw_error e;
        if (row->lens[c] == 0)
            continue;
        if (w->row > 0 && is_whole_number(cell, row->lens[c]))
            e = worksheet_write_number(w->ws, w->row, (lxw_col_t)c, strtod(cell, NULL), NULL);
        else
            e = worksheet_write_string(w->ws, w->row, (lxw_col_t)c, cell, NULL);
        if (e != LXW_NO_ERROR) {
            fprintf(stderr, "gen_xlsx: row %u: %s\n", (unsigned)w->row, lxw_strerror(e));
            w->failed = 1;
            return PL_ERR_IO;
        }
    }
    w->row++;
    return PL_OK;
}

int main(int argc, char **argv)
{
    int inline_strings = argc > 1 && strcmp(argv[1], "-i") == 0;
    if (argc - inline_strings != 3) {
        fputs(usage, stderr);
        return 64;
    }
    const char *in = argv[1 + inline_strings], *out = argv[2 + inline_strings];
    FILE *fp = fopen(in, "rb");
    if (!fp) {
        fprintf(stderr, "gen_xlsx: %s: %s\n", in, strerror(errno));
        return 66;
    }
    lxw_workbook_options opt = {.constant_memory = (uint8_t)inline_strings, .tmpdir = NULL};
    lxw_workbook *wb = workbook_new_opt(out, &opt);
    if (!wb) {
        fclose(fp);
        fprintf(stderr, "gen_xlsx: %s: cannot create\n", out);
        return 73;
    }
    struct writer w = {workbook_add_worksheet(wb, "落实情况"), 0, 0};
    enum pl_status st = w.ws ? pl_csv_read_stream(fp, ',', on_row, &w) : PL_ERR_NOMEM;
    fclose(fp);
    lxw_error e = workbook_close(wb);
    if (st != PL_OK || w.failed || e != LXW_NO_ERROR) {
        fprintf(stderr, "gen_xlsx: %s: %s\n", out, e != LXW_NO_ERROR ? lxw_strerror(e) : "failed");
        return 74;
    }
    return 0;
}
