/*
 * merge — valid records to one row per (task, host) demanded in the cycle.
 *
 * Reads the valid-record stream of ducha-check and writes, in catalog order, one merged row
 * for every pair of a task and a host unit that the catalog demands: each task's hosts that
 * are not collectives (a collective such as 各镇街 or 县政府各部门 named among the hosts is not
 * demanded from its members; a task whose hosts are all collectives is demanded from nobody).
 * A pair with no valid return gets status 未报送 and missing=1.
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
 * replaced row is written out at once and forgotten.
 */
#ifndef PL_MERGE_H
#define PL_MERGE_H

#include <stdio.h>

#include "catalog.h"
#include "csv.h"
#include "diag.h"

struct pl_merge_stats {
    unsigned long rows;       /* valid records read */
    unsigned long pairs;      /* (task, host) rows written */
    unsigned long reported;   /* of them with a return */
    unsigned long missing;    /* of them 未报送 */
    unsigned long superseded; /* rows replaced by a later return */
    unsigned long notes;      /* co-unit reports attached as notes */
};

/* The merged stream's columns, in order (DESIGN.md). */
extern const char *const pl_merge_columns[];
extern const size_t pl_merge_column_count;

/* Merges the valid records read from IN (named IN_NAME in messages) into OUT, writing
 * replaced rows to SUPERSEDED (may be NULL). PL_OK; PL_ERR_DATA when IN is not a valid-record
 * stream (E_NOT_VALID_RECORDS); PL_ERR_IO; PL_ERR_NOMEM. */
enum pl_status pl_merge_stream(FILE *in, const char *in_name, const struct pl_catalog *catalog,
                               struct pl_csv_writer *out, struct pl_csv_writer *superseded,
                               struct pl_diag *diag, struct pl_merge_stats *stats);

#endif
