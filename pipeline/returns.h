/*
 * returns — one unit's return file in, record rows out.
 *
 * Ties encoding, csv, workbook and header together for ducha-read: opens a return (a CSV or
 * text file in any accepted encoding, or a workbook: .xlsx/.xlsm, .xls), skips the title rows
 * above the header (附件2, the form's title, 填报单位：…), maps the header's columns to record
 * fields, and hands every data row on either as a record (with numeric, date and id fields
 * width-folded and short fields trimmed, long text exactly as written) or as a rejected row
 * with a code and a message a unit can act on (a ragged row, a row whose bytes do not decode,
 * a quote left open at the end of the file, a formula without a value). Blank rows, and the
 * signature rows below the last data row, are not rows. For every file:
 * rows = records + rejected, with unfilled form rows, title, signature and blank rows counted
 * apart.
 *
 * In a workbook, the return is the first visible sheet whose header row is a return header;
 * a row's line is the sheet's row number and messages name cells as the unit sees them
 * (落实情况!G5). Two rules serve forms as units fill them: a row with a blank 任务编号 and a
 * 指标 continues the task of the row above (a 任务编号 merged down its indicator rows), and a
 * blank 填报日期 takes the date the file's other rows give (both with a warning).
 */
#ifndef PL_RETURNS_H
#define PL_RETURNS_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "diag.h"
#include "encoding.h"
#include "record.h"

/* What a file turned out to be, for the files register and the verbose output. Caller-owned:
 * pl_return_info_init() before, pl_return_info_fini() after; pl_returns_read() replaces what
 * it held. */
struct pl_return_info {
    const char *format;        /* "csv", "xlsx", "xls", or "" when not known (static) */
    struct pl_buf sheet;       /* the sheet read, for a workbook */
    struct pl_buf other_sheets; /* the workbook's other sheets, "、"-joined, quoted */
    struct pl_buf unit;        /* the unit its first data row names, as written */
};

void pl_return_info_init(struct pl_return_info *info);
void pl_return_info_fini(struct pl_return_info *info);

struct pl_returns_options {
    const char *cycle;          /* written into every record's cycle column; may be NULL */
    enum pl_encoding encoding;  /* PL_ENC_AUTO to detect; a workbook ignores it */
    struct pl_return_info *info; /* filled in when not NULL */
};

/* One row as handed on. value[f] / len[f] hold each record field (empty when the return
 * lacks the column), each NUL-terminated at its length; EXTRA holds the cells beyond the header's width as a CSV line (rejected
 * ragged rows only). Everything is borrowed for the duration of the callback. */
struct pl_return_row {
    const char *value[PL_F_COUNT];
    size_t len[PL_F_COUNT];
    const char *extra;
    size_t extra_len;
    /* Where each field was in the file: the 1-based column numbers of task_id … reported_on,
     * '|'-joined, 0 for a field the file lacks ("1|2|0|3|…"). Later stages use it to name
     * the column of a problem in the unit's own file. */
    const char *columns;
    unsigned long line;
    const char *sheet; /* the workbook sheet the row is on, "" for a text file */
};

struct pl_returns_sink {
    enum pl_status (*record)(void *ctx, const struct pl_return_row *row);
    /* CODE is stable (E_RAGGED_ROW …); COLUMN the record field at fault, or ""; ERROR the
     * message in Chinese. */
    enum pl_status (*reject)(void *ctx, const struct pl_return_row *row, const char *code,
                             const char *column, const char *error);
    void *ctx;
};

struct pl_return_stats {
    unsigned long rows;           /* data rows below the header */
    unsigned long records;        /* handed on as records */
    unsigned long rejected;       /* handed on as rejected */
    unsigned long title_rows;     /* non-blank rows above the header */
    unsigned long signature_rows; /* signature and footer rows below the data */
    unsigned long blank_rows;     /* blank rows below the header */
    unsigned long unfilled_rows;  /* form rows with only their pre-filled cells */
    unsigned long repeated_headers;
    unsigned long inherited_ids;  /* rows whose blank 任务编号 continued the row above */
    unsigned long dated_from_file; /* rows whose blank 填报日期 took the file's date */
    enum pl_encoding encoding;    /* PL_ENC_AUTO for a workbook */
};

/* Reads the return at PATH ("-" for standard input, read as text), naming it SOURCE in records and
 * messages. Problems go to DIAG as "SOURCE:LINE:COL: message [CODE]". Returns PL_OK when the
 * file was read (rows may have been rejected); PL_ERR_OPEN when it could not be opened or is
 * not a file; PL_ERR_DATA or PL_ERR_ENCODING when it was skipped as unusable (empty, binary,
 * no header, unknown encoding, a workbook that cannot be read); PL_ERR_IO, PL_ERR_NOMEM, or what a sink callback returned,
 * for failures that should stop the program. STATS is filled in every case. */
enum pl_status pl_returns_read(const char *path, const char *source,
                               const struct pl_returns_options *opt,
                               const struct pl_returns_sink *sink, struct pl_diag *diag,
                               struct pl_return_stats *stats);

#endif
