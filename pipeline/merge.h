/*
 * merge — valid records to one row per (task, host) demanded in the cycle.
 *
 * Reads the valid-record stream of ducha-check and writes, in catalog order, one merged row
 * for every pair of a task and a host unit that the catalog demands: each task's hosts that
 * are not collectives (a collective such as 各镇街 or 县政府各部门 named among the hosts is not
 * demanded from its members). A task addressed to everyone — its hosts are collectives and
 * development zones only, with at least one collective (78–81: 县政府各部门，各镇街、县经开区) —
 * or whose hosts are all collectives (63, the roll-up of 附件2) is demanded from nobody
 * (pl_merge_task_demanded()): it gets no 未报送 rows; a host's report on it that came anyway is
 * kept as a row flagged W_NOT_DEMANDED, which ranking leaves out.
 *
 * A pair with no valid return gets status 未报送 and missing=1, or status 报送有误 and
 * missing=2 when the unit's rows for the task were all rejected (DESIGN.md, merged). The
 * rejected rows come from the rejects files of ducha-read and ducha-check (struct
 * pl_merge_rejects); their task ids and unit names are raw, and are resolved as ducha-check
 * resolves them (pl_field_parse_task_id(), the catalog's names and aliases). A rejected row
 * whose unit cell is blank or unknown takes the unit that the other rows of its file name, if
 * they name one. A rejected row whose task id cannot be resolved points at no task: it makes a
 * pair 报送有误 only when nothing of its file was valid (the file was rejected whole), and then
 * every pair demanded of that unit without a valid return is 报送有误. A pair that has a valid
 * return and rejected rows besides is flagged W_ROWS_REJECTED.
 *
 * Of several returns for the same task, unit and indicator, the later one replaces the
 * earlier — by reported_on, then by order of arrival — and the replaced row is written to the
 * superseded stream, never merged. A unit that reports a task once per indicator gets one
 * merged row: its progress is that of its task-level row if it sent one, else the mean of its
 * indicator rows' (an indicator row without progress counts with value/target where the target
 * is one to reach, W_PROGRESS_FROM_VALUES; nothing to go on leaves it empty, W_NO_PROGRESS);
 * the indicator values are kept as metric=value pairs and the indicator rows' own text is
 * appended to the task's, one "metric：text" line each. Co-units' reports
 * (role=cohost) are attached to every host row of their task as notes.
 *
 * Memory is proportional to the (task, unit, indicator) entries, not to the rows read: a
 * replaced row is written out at once and forgotten. The entries are at most the catalog's
 * pairs times their indicators (plus what was reported that nobody owes), so a stream that
 * covers more of the catalog holds more of them: 132,000 of a province's after 268,000 rows,
 * 167,000 after a million. The rejected rows given with pl_merge_rejects_read() are kept whole.
 */
#ifndef PL_MERGE_H
#define PL_MERGE_H

#include <stdbool.h>
#include <stdio.h>

#include "catalog.h"
#include "csv.h"
#include "diag.h"

struct pl_merge_stats {
    unsigned long rows;       /* valid records read */
    unsigned long pairs;      /* (task, host) rows written */
    unsigned long reported;   /* of them with a return */
    unsigned long missing;    /* of them 未报送 (missing=1) */
    unsigned long returned;   /* of them 报送有误 (missing=2) */
    unsigned long not_demanded; /* rows of tasks demanded from nobody (W_NOT_DEMANDED) */
    unsigned long superseded; /* rows replaced by a later return */
    unsigned long notes;      /* co-unit reports attached as notes */
};

/* The merged stream's columns, in order (DESIGN.md). */
extern const char *const pl_merge_columns[];
extern const size_t pl_merge_column_count;

/* Rejected rows as merge needs them, read from ducha-read's and ducha-check's rejects files. */
struct pl_merge_rejects;

/* An empty set; NULL when out of memory. */
struct pl_merge_rejects *pl_merge_rejects_new(void);
void pl_merge_rejects_free(struct pl_merge_rejects *r);

/* Adds the rows of the rejects file IN (named NAME in messages): a CSV with a header holding
 * at least source, line, task_id and unit (owner and phone are kept when present). Values are
 * kept raw and resolved when merging. PL_OK; PL_ERR_DATA (E_NOT_REJECTS, reported) when the
 * header lacks a column; PL_ERR_IO; PL_ERR_NOMEM. An empty file (not even a header) adds
 * nothing. */
enum pl_status pl_merge_rejects_read(struct pl_merge_rejects *r, FILE *in, const char *name,
                                     struct pl_diag *diag);

/* True when task T is demanded from anyone: false for a task whose hosts are all collectives,
 * or collectives and development zones only (addressed to everyone). */
bool pl_merge_task_demanded(const struct pl_catalog *c, const struct pl_task *t);

/* Merges the valid records read from IN (named IN_NAME in messages) into OUT, writing
 * replaced rows to SUPERSEDED (may be NULL); REJECTS (may be NULL: nothing is 报送有误) tells
 * which pairs had rejected rows. PL_OK; PL_ERR_DATA when IN is not a valid-record
 * stream (E_NOT_VALID_RECORDS); PL_ERR_IO; PL_ERR_NOMEM. */
enum pl_status pl_merge_stream(FILE *in, const char *in_name, const struct pl_catalog *catalog,
                               const struct pl_merge_rejects *rejects,
                               struct pl_csv_writer *out, struct pl_csv_writer *superseded,
                               struct pl_diag *diag, struct pl_merge_stats *stats);

/* As pl_merge_stream(), for cycle CYCLE of the catalog (NULL: every task): a task outside the
 * cycle's `tasks` (pl_catalog_cycle_has_task()) is demanded from nobody in this cycle, so it
 * gets no missing rows, and a report on it that came anyway is kept with W_NOT_DEMANDED, as for
 * a task demanded from nobody (shown, counted nowhere). */
enum pl_status pl_merge_stream_cycle(FILE *in, const char *in_name,
                                     const struct pl_catalog *catalog, const struct pl_cycle *cycle,
                                     const struct pl_merge_rejects *rejects,
                                     struct pl_csv_writer *out, struct pl_csv_writer *superseded,
                                     struct pl_diag *diag, struct pl_merge_stats *stats);

#endif
