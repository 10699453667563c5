/*
 * workbook_impl — what the two workbook readers (workbook_xlsx, workbook_xls) share with the
 * front (workbook). Not for the rest of the library: use workbook.h.
 */
#ifndef PL_WORKBOOK_IMPL_H
#define PL_WORKBOOK_IMPL_H

#include "workbook.h"

struct pl_workbook_sheet {
    char *name;   /* UTF-8, owned */
    bool visible;
};

/* One reader's operations on its own state (ctx). */
struct pl_workbook_ops {
    const char *format; /* "xlsx", "xls" */
    /* MERGES: pl_workbook_read_merges() is on */
    enum pl_status (*read_sheet)(void *ctx, size_t index, bool merges, pl_sheet_row_fn on_row,
                                 void *fn_ctx);
    void (*free)(void *ctx);
};

struct pl_workbook {
    const struct pl_workbook_ops *ops;
    void *ctx;
    struct pl_workbook_sheet *sheets;
    size_t nsheets;
    const char *display; /* borrowed from the caller of pl_workbook_open */
    struct pl_diag *diag;
    bool merges; /* pl_workbook_read_merges() */
};

/* A sheet's merged ranges, for marking the cells each covers below its first row. Rows are
 * the sheet's 1-based line numbers, columns 0-based, both inclusive. */
struct pl_merge_range {
    unsigned long first_row, last_row;
    size_t first_col, last_col;
};

struct pl_merges {
    struct pl_merge_range *v;
    size_t n, cap;
    size_t next;    /* the first range (sorted by first row) not yet begun */
    size_t *active; /* the ranges that cover the current row, by index */
    size_t nactive;
    unsigned long row; /* the current row */
};

void pl_merges_init(struct pl_merges *m);
void pl_merges_fini(struct pl_merges *m);
/* Adds a range; one that spans a single row covers nothing below it and is left out. */
enum pl_status pl_merges_add(struct pl_merges *m, unsigned long first_row, unsigned long last_row,
                             size_t first_col, size_t last_col);
/* Sorts the ranges once all are added; then pl_merges_at() may be called. */
enum pl_status pl_merges_ready(struct pl_merges *m);
/* Makes the ranges that cover ROW below their first row the current ones (rows are best
 * handed in rising order, as sheets keep them; a lower row starts over), and returns one past
 * the last column they cover, 0 when none does. */
size_t pl_merges_at(struct pl_merges *m, unsigned long row);
/* FLAGS[0..NCOLS): 1 where a current range covers the column, else 0. */
void pl_merges_mark(const struct pl_merges *m, unsigned char *flags, size_t ncols);

/* Each reader's open: fills WB's ops, ctx and sheets, or reports to WB->diag and fails as
 * pl_workbook_open() says. The xls reader is called for an OLE container the front has
 * already checked is not an encrypted OOXML package. */
enum pl_status pl_workbook_open_xlsx(struct pl_workbook *wb, const char *path);
enum pl_status pl_workbook_open_xls(struct pl_workbook *wb, const char *path);

/* Number formatting shared by both readers (workbook.c). */
enum pl_number_style { PL_NUM_GENERAL = 0, PL_NUM_PERCENT, PL_NUM_DATE, PL_NUM_DATETIME, PL_NUM_TIME };

/* The style a number format code implies ("0.00%", "yyyy\"年\"m\"月\"d\"日\"", "[$-F800]dddd…"),
 * quoted text, escaped characters, [colour] and [$-locale] sections ignored. */
enum pl_number_style pl_workbook_format_style(const char *code);
/* The style of a built-in format number (9, 10 percent; 14–22, 27–36, 45–47, 50–58 dates and
 * times as Excel and the Chinese locales number them). */
enum pl_number_style pl_workbook_builtin_style(int id);
/* Appends VALUE as the unit sees it in STYLE to OUT: shortest round-trip decimal for GENERAL,
 * VALUE×100 then "%" for PERCENT, an ISO date (and time) for the date styles in the 1900 or
 * 1904 system. A date serial out of range (negative, past 9999) is written as a number. */
enum pl_status pl_workbook_format_number(struct pl_buf *out, double value,
                                         enum pl_number_style style, bool date1904);

#endif
