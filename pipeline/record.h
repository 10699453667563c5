/*
 * record — the record model: the columns of the streams between programs.
 *
 * The record stream (ducha-read's output, ducha-check's input) has the columns of DESIGN.md
 * in a fixed order; this module names them once, so that every program reads and writes the
 * same header. It holds names and indexes only; reading and writing rows is the csv module's.
 */
#ifndef PL_RECORD_H
#define PL_RECORD_H

#include <stddef.h>

/* The columns of a record, in stream order. */
enum pl_field {
    PL_F_CYCLE,
    PL_F_SOURCE,
    PL_F_LINE,
    PL_F_TASK_ID,
    PL_F_UNIT,
    PL_F_OWNER,
    PL_F_PHONE,
    PL_F_PROGRESS,
    PL_F_STATUS,
    PL_F_VALUE,
    PL_F_METRIC,
    PL_F_NARRATIVE,
    PL_F_PROBLEMS,
    PL_F_NEXT_STEPS,
    PL_F_REPORTED_ON,
    PL_F_COUNT
};

/* The ASCII column name of FIELD ("task_id"), or NULL when out of range. */
const char *pl_field_name(enum pl_field field);

/* The Chinese column name a return form uses for FIELD (任务编号), or NULL for the columns a
 * return does not have (cycle, source, line). */
const char *pl_field_label(enum pl_field field);

/* The field whose ASCII name is NAME[0..LEN), or PL_F_COUNT. */
enum pl_field pl_field_by_name(const char *name, size_t len);

/* The record header's names, PL_F_COUNT of them, in order. */
extern const char *const pl_record_columns[PL_F_COUNT];

#endif
