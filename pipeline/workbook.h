/*
 * workbook — a unit's return kept as a workbook (.xlsx/.xlsm, .xls), read as the unit sees it.
 *
 * Opens a workbook, lists its sheets (name, visible or not), and hands one sheet's rows, top to
 * bottom, as rows of cell texts: each cell as the unit sees it on screen, not as stored. A
 * shared or inline string is its text (rich-text runs joined, phonetic guides left out); a
 * number is written shortest (38, never 38.0; 0.1 never 0.1000000000000000055); a number in a
 * percent format is written as a percent (0.55 shown 55% gives "55%"); a number in a date
 * format is an ISO date ("2023-06-28", with " HH:MM" or " HH:MM:SS" when the format shows a
 * time), in the 1900 or the 1904 date system as the workbook says; a boolean is TRUE or FALSE;
 * a formula gives its cached value; an error value (#N/A, #DIV/0! …) gives an empty cell and
 * a note; a formula with no cached value gives an empty cell and a note.
 *
 * Two readers stand behind this interface: .xlsx/.xlsm (a zip of XML: libzip + expat; the
 * shared strings are loaded first, the sheet is streamed, so memory is bounded by the shared
 * strings, never by the sheet) and .xls (BIFF8, libfreexl). What a file is comes from its
 * bytes, not its name. A file that is not a workbook this module can read is refused by
 * pl_workbook_open() with its own code and a message telling the unit what to send instead.
 *
 * It does not know what a return is: see returns, which finds the header and the data.
 */
#ifndef PL_WORKBOOK_H
#define PL_WORKBOOK_H

#include <stdbool.h>
#include <stddef.h>

#include "csv.h"
#include "diag.h"
#include "status.h"

/* What a file's first bytes say it is. */
enum pl_file_kind {
    PL_FILE_TEXT = 0, /* anything else: a CSV or text file, for the encoding module */
    PL_FILE_ZIP,      /* PK\3\4 or an empty zip: an .xlsx, or a zip of returns, or a .docx */
    PL_FILE_OLE,      /* D0 CF 11 E0: an .xls, an .et, an encrypted .xlsx, a .doc */
};

/* The kind of the LEN first bytes HEAD of a file (8 are enough). */
enum pl_file_kind pl_file_kind_of(const unsigned char *head, size_t len);

/* A note on one cell of a row, set where the cell's text alone would hide a problem. */
enum pl_cell_note {
    PL_CELL_PLAIN = 0,
    PL_CELL_ERROR,    /* an error value (#N/A, #VALUE! …): the cell reads empty */
    PL_CELL_NO_VALUE, /* a formula the file keeps no computed value for: the cell reads empty */
};

/* One row of a sheet. ROW.cells[0..ROW.count) are the row's cells from column A to its last
 * cell that holds anything, gaps filled with empty cells; ROW.line is the sheet's own row
 * number (1-based), ROW.end_line the same, ROW.problem PL_CSV_ROW_OK. NOTES[i] is the note on
 * cell i (count entries). ERROR_TEXT[i] is, for a PL_CELL_ERROR cell, the error as shown
 * (#N/A), else NULL. Everything is owned by the reader and valid until the callback returns. */
struct pl_sheet_row {
    struct pl_csv_row row;
    const unsigned char *notes; /* enum pl_cell_note values */
    const char *const *error_text;
    /* With pl_workbook_read_merges() on: MERGED[i] is 1 where cell i lies in a merged range
     * below the range's first row (on screen it shows the range's text, which the file keeps
     * only in the range's first cell), else 0; count is then long enough to reach every such
     * cell of the row. NULL when merges are not read. */
    const unsigned char *merged;
};

/* Called for each row that holds at least one cell; rows the sheet skips are not called. A
 * status other than PL_OK stops the reading and is returned by pl_workbook_read_sheet(). */
typedef enum pl_status (*pl_sheet_row_fn)(void *ctx, const struct pl_sheet_row *row);

struct pl_workbook;

/* Opens the workbook at PATH (named DISPLAY in messages). On success *OUT is the workbook,
 * freed with pl_workbook_free(). A file that is not a workbook that can be read is reported to
 * DIAG as "DISPLAY:0:0: message [CODE]" and the call fails with PL_ERR_DATA:
 *   E_NOT_WORKBOOK     a zip that holds no workbook (a .docx, a zip of other files);
 *   E_TRUNCATED_FILE   a zip or OLE container cut short or damaged (a download broken off);
 *   E_ENCRYPTED        a password-protected workbook (an encrypted OLE container, or an .xls
 *                      with a FILEPASS record);
 *   E_WPS_FORMAT       a WPS-only file (.et, .wps) kept in WPS's own format;
 *   E_OLD_EXCEL        an .xls older than Excel 97 (BIFF 2 to 5), or another OLE document;
 *   E_WORKBOOK_BROKEN  a workbook whose parts do not parse (malformed XML, a missing sheet).
 * Each message says, in Chinese, what to send instead ("请用Excel或WPS另存为.xlsx后重新报送").
 * PL_ERR_OPEN when the file cannot be opened at all; PL_ERR_NOMEM. */
enum pl_status pl_workbook_open(const char *path, const char *display, struct pl_diag *diag,
                                struct pl_workbook **out);

/* The number of sheets, and each one's name (valid while the workbook is open) and whether it
 * is shown (a hidden or very hidden sheet is not). Sheets are in the workbook's tab order. */
size_t pl_workbook_sheet_count(const struct pl_workbook *wb);
const char *pl_workbook_sheet_name(const struct pl_workbook *wb, size_t index);
bool pl_workbook_sheet_visible(const struct pl_workbook *wb, size_t index);

/* "xlsx" or "xls": what the file turned out to be, for the files register. */
const char *pl_workbook_format(const struct pl_workbook *wb);

/* From the next pl_workbook_read_sheet() on, hand each row's merged cells too (struct
 * pl_sheet_row's MERGED): the .xlsx reader then reads the sheet's <mergeCells> before its rows
 * (the sheet's part is inflated twice), the .xls reader its MERGEDCELLS records. Off by
 * default: a return is read as it is stored. */
void pl_workbook_read_merges(struct pl_workbook *wb, bool on);

/* Reads sheet INDEX from its first row, calling ON_ROW with CTX for each row. A sheet whose
 * XML breaks off or does not parse is reported to DIAG (E_WORKBOOK_BROKEN, with the row it
 * reached) and gives PL_ERR_DATA after the rows before it were handed on. May be called again
 * for another sheet (or the same one). PL_ERR_NOMEM; or what ON_ROW returned. */
enum pl_status pl_workbook_read_sheet(struct pl_workbook *wb, size_t index,
                                      pl_sheet_row_fn on_row, void *ctx);

void pl_workbook_free(struct pl_workbook *wb);

/* Writes the cell name of a 0-based COLUMN and 1-based ROW as a unit sees it ("G5") into OUT,
 * replacing what OUT held. */
enum pl_status pl_workbook_cell_name(struct pl_buf *out, size_t column, unsigned long row);

#endif
