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
    enum pl_status (*read_sheet)(void *ctx, size_t index, pl_sheet_row_fn on_row, void *fn_ctx);
    void (*free)(void *ctx);
};

struct pl_workbook {
    const struct pl_workbook_ops *ops;
    void *ctx;
    struct pl_workbook_sheet *sheets;
    size_t nsheets;
    const char *display; /* borrowed from the caller of pl_workbook_open */
    struct pl_diag *diag;
};

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
