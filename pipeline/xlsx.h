/*
 * xlsx — the thin layer over libxlsxwriter that every workbook ducha writes goes through.
 *
 * It is the only module that includes xlsxwriter.h. It gives a workbook the house style
 * (a Chinese font Excel and WPS know, bordered and wrapped cells, the blue/yellow/red fills
 * with the colour's word in them so that a grey-scale print still shows it), deterministic
 * properties (the created date is given by the caller, never the clock: the same inputs give
 * the same bytes), print setup for people (A4, header rows repeated on every page, one page
 * wide, page numbers in the footer), widths that fit Chinese text, drop-down lists and range
 * checks, and sheet protection without a password.
 *
 * Text is only ever written with worksheet_write_string(), so a cell holding "=1+1" or
 * "@SUM(A1)" stays text and never becomes a formula (DESIGN.md: text written to xlsx is
 * written as strings).
 *
 * Errors are sticky, as in the csv writer: the first failing call is remembered with a
 * message reported to the diagnostics sink, later calls do nothing, and pl_xlsx_close()
 * returns it. The file appears whole or not at all: a regular file is written under a
 * temporary name beside the target and renamed into place; a target that exists and is not
 * a regular file (/dev/null, /dev/full, a FIFO) is written directly. While a workbook is
 * written its parts (workbook.xml, styles.xml, each sheet …) are kept in memory, not in a
 * temporary file each (libxlsxwriter's lxw_tmpfile() is overridden here, as its header
 * allows): a constant_memory workbook keeps the library's files. The zip itself is made in
 * memory and written with one write, each part compressed by the zipparts module exactly as
 * libxlsxwriter's minizip would compress it, and a part whose bytes were compressed before
 * (the theme, the styles … of the thousandth receipt) taken from the cache the caller passes
 * (pl_xlsx_props.parts); styles.xml is made once for each set of formats in use, and a few
 * of libxlsxwriter's inner functions (its hash tables, its XML attributes) are replaced by
 * faster ones of the same behaviour: the same bytes as libxlsxwriter alone writes (see
 * xlsx.c, and pl_xlsx_plain_zip() for the tests that compare).
 *
 * The module knows nothing of tasks or units: see summary and forms.
 */
#ifndef PL_XLSX_H
#define PL_XLSX_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "status.h"

struct pl_zipparts;

/* The house formats. */
enum pl_xlsx_style {
    PL_XS_TITLE,    /* 16 pt bold, centred: the title row */
    PL_XS_SUBTITLE, /* plain, left: the line under the title */
    PL_XS_NOTE,     /* plain, left, wrapped, no border: instructions, notes */
    PL_XS_HEADER,   /* bold, grey fill, bordered, centred, wrapped: column headers */
    PL_XS_GROUP,    /* bold, light fill, bordered, left: a group's heading row */
    PL_XS_TEXT,     /* bordered, wrapped, top-left: running text */
    PL_XS_CENTER,   /* bordered, wrapped, centred: short words, ids */
    PL_XS_INT,      /* bordered, centred, "0" */
    PL_XS_PERCENT,  /* bordered, centred, 0"%" for progress written as 0..100 */
    PL_XS_PERCENT1, /* the same with one decimal */
    PL_XS_SCORE,    /* bordered, centred, "0.0" */
    PL_XS_DATE,     /* bordered, centred, yyyy-mm-dd */
    PL_XS_BLUE,     /* the colour cells: fill, bold word, bordered, centred */
    PL_XS_YELLOW,
    PL_XS_RED,
    PL_XS_TOTAL,      /* bold, bordered, centred: totals */
    PL_XS_LOCKED,     /* a pre-filled form cell: grey fill, bordered, wrapped, locked */
    PL_XS_INPUT,      /* a cell a unit fills in: unlocked, bordered, wrapped */
    PL_XS_INPUT_TEXT, /* the same with the text number format "@" (telephone numbers) */
    PL_XS_INPUT_NUMBER,
    PL_XS_INPUT_DATE, /* unlocked, yyyy-mm-dd */
    PL_XS_INPUT_PLAIN, /* unlocked, plain, left, no border: a form's signature row */
    PL_XS_COUNT
};

/* The fills of the three colours, 0xRRGGBB: shared with the chart. */
enum {
    PL_XLSX_BLUE = 0x2F75B5,
    PL_XLSX_YELLOW = 0xFFD966,
    PL_XLSX_RED = 0xE03C31,
};

/* The font every format and chart uses: a family name Excel and WPS know on Chinese
 * Windows, which LibreOffice on Debian maps to an installed CJK font. */
#define PL_XLSX_FONT "宋体"

struct pl_xlsx_props {
    const char *title;
    const char *subject;
    const char *author;
    const char *company;
    const char *keywords;
    long long created;    /* seconds since the epoch: the cycle's date or SOURCE_DATE_EPOCH */
    bool constant_memory; /* rows must then be written in order, each row left to right */
    bool unsynced;        /* put in place without fsync: the caller calls pl_sync_folder() */
    /* Parts compressed before (zipparts.h), shared by the many workbooks a program writes;
     * borrowed until pl_xlsx_close(). NULL: each part is compressed anew. The bytes written
     * are the same either way. */
    struct pl_zipparts *parts;
};

struct pl_xlsx;
struct pl_xlsx_sheet;

/* Starts a workbook that pl_xlsx_close() will write to PATH. PROPS is copied. On failure
 * reports to DIAG and returns PL_ERR_NOMEM or PL_ERR_CREATE (*OUT is then NULL). */
enum pl_status pl_xlsx_open(struct pl_xlsx **out, const char *path,
                            const struct pl_xlsx_props *props, struct pl_diag *diag);

/* Writes the workbook, renames it into place and frees X (which may be NULL). Returns the
 * first error of any call on X, or the writing's: PL_ERR_CREATE (the file could not be
 * created), PL_ERR_IO (a write failed), PL_ERR_NOMEM; the target is then left as it was. */
enum pl_status pl_xlsx_close(struct pl_xlsx *x);

/* With PLAIN true, the workbooks this thread closes are zipped by libxlsxwriter and minizip
 * alone, its parts kept in the library's temporary files and each compressed as it comes and
 * written through minizip's own file: what
 * the zip handling of this module (one write, parts compressed once) must match byte for
 * byte. For tests that compare the two; false again restores it. */
void pl_xlsx_plain_zip(bool plain);

/* Drops the workbook without writing anything; X may be NULL. */
void pl_xlsx_discard(struct pl_xlsx *x);

/* The first error so far, or PL_OK. */
enum pl_status pl_xlsx_status(const struct pl_xlsx *x);

/* Adds a worksheet named NAME (at most 31 characters, none of []:*?/\). The sheet belongs
 * to X. NULL on failure (the error is sticky in X). */
struct pl_xlsx_sheet *pl_xlsx_add_sheet(struct pl_xlsx *x, const char *name);

/* Cells. Text is always written as a string; "" writes a formatted blank. A text longer than
 * a cell holds (32767 characters) is cut, with a warning (W_TEXT_CUT). */
void pl_xlsx_text(struct pl_xlsx_sheet *s, unsigned row, unsigned col, const char *text,
                  enum pl_xlsx_style style);
void pl_xlsx_number(struct pl_xlsx_sheet *s, unsigned row, unsigned col, double value,
                    enum pl_xlsx_style style);
void pl_xlsx_blank(struct pl_xlsx_sheet *s, unsigned row, unsigned col, enum pl_xlsx_style style);
/* A date cell; Y-M-D must be a real date. */
void pl_xlsx_date(struct pl_xlsx_sheet *s, unsigned row, unsigned col, int y, int m, int d,
                  enum pl_xlsx_style style);
/* Merges FIRST_COL..LAST_COL of ROW into one cell holding TEXT. */
void pl_xlsx_merge_text(struct pl_xlsx_sheet *s, unsigned row, unsigned first_col,
                        unsigned last_col, const char *text, enum pl_xlsx_style style);

/* Layout. Widths are in Excel's units (the width of a '0'); see pl_xlsx_text_width(). */
void pl_xlsx_column_width(struct pl_xlsx_sheet *s, unsigned col, double width);
void pl_xlsx_row_height(struct pl_xlsx_sheet *s, unsigned row, double points);
/* Freezes the rows above ROW and the columns left of COL. */
void pl_xlsx_freeze(struct pl_xlsx_sheet *s, unsigned row, unsigned col);
void pl_xlsx_autofilter(struct pl_xlsx_sheet *s, unsigned first_row, unsigned first_col,
                        unsigned last_row, unsigned last_col);

/* Print setup for people: A4, LANDSCAPE or portrait, rows FIRST..LAST repeated at the top of
 * every page, one page wide, centred, and FOOTER_LEFT (may be NULL) with "第 N 页，共 M 页"
 * in the footer. */
void pl_xlsx_print_setup(struct pl_xlsx_sheet *s, bool landscape, unsigned repeat_first,
                         unsigned repeat_last, const char *footer_left);

/* Prints the sheet on one page, shrunk to fit (after pl_xlsx_print_setup(), which makes it one
 * page wide only): for short documents such as a unit's receipt, which the caller knows to
 * fit without shrinking below reading size. */
void pl_xlsx_print_one_page(struct pl_xlsx_sheet *s);

/* Checks on input cells. VALUES is a NULL-terminated list for the drop-down; the number and
 * date checks accept MIN..MAX inclusive. PROMPT (may be NULL) is shown when the cell is
 * selected, and ERROR when a wrong value is typed. */
void pl_xlsx_validate_list(struct pl_xlsx_sheet *s, unsigned first_row, unsigned col,
                           unsigned last_row, const char *const *values, const char *prompt,
                           const char *error);
void pl_xlsx_validate_number(struct pl_xlsx_sheet *s, unsigned first_row, unsigned col,
                             unsigned last_row, double min, double max, const char *prompt,
                             const char *error);
void pl_xlsx_validate_date(struct pl_xlsx_sheet *s, unsigned first_row, unsigned col,
                           unsigned last_row, const int min_ymd[3], const int max_ymd[3],
                           const char *prompt, const char *error);

/* Protects the sheet without a password: locked cells cannot be changed, unlocked ones
 * (PL_XS_INPUT*) can; rows and columns can still be resized, and rows inserted. */
void pl_xlsx_protect(struct pl_xlsx_sheet *s);

/* A stacked bar chart inserted at ANCHOR_ROW/ANCHOR_COL of S: categories from DATA's column
 * CAT_COL, rows FIRST..LAST; one series per column VALUE_COL[i] named NAMES[i] and filled
 * COLOURS[i] (0xRRGGBB), N of them. DATA is the sheet that holds the numbers. */
void pl_xlsx_stacked_bars(struct pl_xlsx_sheet *s, unsigned anchor_row, unsigned anchor_col,
                          const struct pl_xlsx_sheet *data, unsigned first, unsigned last,
                          unsigned cat_col, const unsigned *value_col, const char *const *names,
                          const unsigned *colours, size_t n, const char *title, unsigned width_px,
                          unsigned height_px);

/* A line chart inserted as pl_xlsx_stacked_bars() inserts its bars, from the same kind of
 * table: one line per column VALUE_COL[i] named NAMES[i], drawn in COLOURS[i] with its own
 * dash and marker (a grey-scale print still tells them apart), the categories along the
 * bottom, the values from 0 up in whole numbers. */
void pl_xlsx_line_chart(struct pl_xlsx_sheet *s, unsigned anchor_row, unsigned anchor_col,
                        const struct pl_xlsx_sheet *data, unsigned first, unsigned last,
                        unsigned cat_col, const unsigned *value_col, const char *const *names,
                        const unsigned *colours, size_t n, const char *title, unsigned width_px,
                        unsigned height_px);

/* Starts a new printed page before each of the N rows ROWS (each above 0), and prints the
 * sheet at SCALE percent (10..400) instead of fitting it to the page width, since Excel
 * ignores page breaks on a sheet fitted to pages: for blocks (a table and its chart) that
 * must not be cut across pages. Call it after pl_xlsx_print_setup(). */
void pl_xlsx_page_breaks(struct pl_xlsx_sheet *s, const unsigned *rows, size_t n,
                         unsigned scale);

/* The created date SOURCE_DATE_EPOCH asks for: VALUE is the variable's value (NULL when
 * unset). *OUT gets the seconds, or -1 when VALUE is NULL or empty. PL_ERR_USAGE when VALUE
 * is not a whole number of seconds. */
enum pl_status pl_xlsx_source_date(const char *value, long long *out);

/* The width TEXT takes, in Latin character widths: a CJK (wide or full-width) character
 * counts two, others one; for text with line breaks, the widest line. */
size_t pl_xlsx_text_width(const char *text);

/* How many lines TEXT takes when wrapped in a column WIDTH wide (at least one); the row
 * height for N lines of the house font is pl_xlsx_lines_height(N). Spreadsheets do not all
 * fit a row's height to wrapped text when they open a file, so the writer sets it. */
unsigned pl_xlsx_lines(const char *text, double width);
double pl_xlsx_lines_height(unsigned lines);

#endif
