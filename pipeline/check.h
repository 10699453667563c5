/*
 * check — ducha-check's rules: records in, valid records and rejected rows out.
 *
 * Reads the record stream of ducha-read and checks every row against the catalog and the
 * cycle: required fields present; the task exists; the unit is known (by name or alias) and
 * hosts the task (a co-unit's report is accepted with role=cohost; a member of a collective
 * named among the task's units counts as a co-unit); progress, status, value, metric and date
 * parse; the date lies in the cycle's window (after the deadline the row is late, more than
 * the grace period after it, or before the cycle starts, it is wrong); a row is not an exact
 * copy of an earlier row of the same file. A valid row is written with normalised values
 * (canonical task id, unit and status, progress and value as plain numbers, ISO date) and
 * role, late and flags (warnings, |-joined). A row with any error is written to the rejects
 * with all its original cells and code, column and error (each |-joined or ；-joined when
 * there are several); every problem is also reported through the diagnostics sink as
 * SOURCE:LINE:COL with the unit's own file, line and column. Rows in = valid + rejected.
 *
 * Memory does not grow with the number of rows: rows are checked one at a time, and the
 * duplicate check remembers the rows of the current file only (an identical row sent in two
 * files is a resubmission, which ducha-merge handles). The lookups a row needs (its unit by
 * name, its status word, its metric) are remembered per spelling up to limits sized from the
 * catalog (memo.h), and the suggestions for unknown unit names key the catalog's names once,
 * on the first unknown name: memory follows the catalog, time the rows.
 */
#ifndef PL_CHECK_H
#define PL_CHECK_H

#include <stdio.h>

#include "catalog.h"
#include "csv.h"
#include "diag.h"
#include "status_words.h"

struct pl_check_options {
    const struct pl_catalog *catalog;
    const struct pl_cycle *cycle;
    const struct pl_status_table *statuses;
    long grace_days;         /* days after the deadline a return is late rather than wrong */
    unsigned progress_flags; /* enum pl_progress_flags: how 0.85 reads */
    double over_limit;       /* a progress above 100 up to this is 超额完成, read as 100 with
                                W_PROGRESS_CAPPED; 0 takes the default (rules [progress]) */
};

struct pl_check_stats {
    unsigned long rows, valid, rejected, late, cohost, warnings;
};

/* The columns of the valid-record stream, in order: the record columns, role, late, flags. */
extern const char *const pl_check_valid_columns[];
extern const size_t pl_check_valid_count;

/* Checks the record stream IN (named IN_NAME in messages), writing valid rows with their
 * header to OUT and rejected rows with theirs to REJECTS (NULL: rejected rows are only
 * reported). Returns PL_OK when the stream was read to its end (rows may have been rejected:
 * see STATS), PL_ERR_DATA when IN is not a record stream (E_NOT_RECORDS, reported), PL_ERR_IO
 * when reading or writing failed, PL_ERR_NOMEM. */
enum pl_status pl_check_stream(FILE *in, const char *in_name, struct pl_csv_writer *out,
                               struct pl_csv_writer *rejects,
                               const struct pl_check_options *opt, struct pl_diag *diag,
                               struct pl_check_stats *stats);

/* The rejects file is opened by office staff (DESIGN.md: people-facing files have Chinese
 * headers), so its header is Chinese: the record columns as the return form names them, then
 * the problem columns —
 *   周期,来源文件,行,任务编号,承办单位,责任人,联系电话,完成进度,状态,完成值,指标,进展情况,
 *   存在问题,下步措施,填报日期[,工作表,单元格位置,…],问题代码,问题所在列,问题说明
 * (a column the records carry beyond these keeps its own name). The values are unchanged:
 * 问题代码 holds the codes (E_PROGRESS_RANGE|…), 问题所在列 the ASCII field names (progress|…),
 * 问题说明 the Chinese messages joined by "；".
 * pl_check_reject_header() gives the Chinese header of an ASCII column name (NULL for a name it
 * does not know); pl_check_reject_column() the ASCII name of a header cell in either language
 * (NULL when unknown), so that a program reading a rejects file (ducha-merge --rejects, the
 * receipts) accepts both the Chinese and the older ASCII headers. */
const char *pl_check_reject_header(const char *ascii);
const char *pl_check_reject_column(const char *header);

/* Appends to OUT up to MAX catalog unit names (canonical), each in “”, nearest to NAME[0..LEN)
 * first, joined by "、", and only those near it: a name or alias of the unit within one edit
 * in three characters of the longer (Levenshtein on match keys), or of which NAME is a short
 * form (same first and last character, the others in order, three or more); nothing when none
 * is near. For the message that answers an unknown unit: a suggestion, never a match. */
enum pl_status pl_check_suggest_units(const struct pl_catalog *c, const char *name, size_t len,
                                      size_t max, struct pl_buf *out);

#endif
