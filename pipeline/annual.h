/*
 * annual — the year's end: each unit's assessment over the year's cycles, the annual ranking,
 * and the history workbook (ducha-annual).
 *
 * Inputs are the output folders of the year's cycles that cover every task (ducha-cycle gives
 * those of the kind of the year's last cycle), in date order,
 * the last one being the year's last cycle: from each, rated.csv (ducha-rate's rows) and
 * rated-leaders.csv (ducha-rate --leaders: each leader's tasks by colour). The catalog gives
 * the cycles' labels (cycles.csv), the tasks' titles and leaders in their order (tasks.csv)
 * and the units' short names (units.csv, optional).
 *
 * The assessment (rules [annual], ducha-rules(5)): each cycle's ranks are worked out from its
 * rated rows as ducha-rank does (rank's functions, so that they are the cycle's ranks.csv);
 * a unit's standing in a cycle is its score there before the [score] deductions for late,
 * missing and returned rows. Its annual score is the weighted mean of its standings (the
 * last cycle weighs last_weight, the earlier ones share the rest equally; over the cycles
 * the unit has rows in, the weights scaled to sum to 1, and equal weights when those sum to
 * 0), minus [annual] late_deduction, missing_deduction and returned_deduction for every such
 * row of the year. The defaults give the last cycle's score less the earlier cycles' late and
 * missing returns. A unit's group is its group in the last cycle it has rows in. The annual
 * ranks are rank's (pl_rank_order: the same groups, method, ties and unranked groups); their
 * prev_rank and move compare with the year's last cycle.
 *
 * Outputs: the annual ranks, as a ranks stream (DESIGN.md's ranks columns, the counts summed
 * over the year); history.xlsx: 年度排名 (the annual ranking by group, each unit's score and
 * rank in every cycle beside it), 任务进展 (each task's progress and colour in every cycle:
 * its lowest host progress and its worst host colour, as the summary's task colour), 领导趋势
 * (each leader's tasks by colour in every cycle, with a line chart per leader). Every sheet is
 * set up for A4 landscape, one page wide, its header rows repeated.
 *
 * The module reads files and writes a workbook; it prints nothing (problems go to the
 * diagnostics sink).
 */
#ifndef PL_ANNUAL_H
#define PL_ANNUAL_H

#include <stddef.h>
#include <stdio.h>

#include "csv.h"
#include "diag.h"
#include "rank.h"
#include "rules.h"
#include "status.h"

/* A unit's standing in a cycle: its score under R before the late, missing and returned
 * deductions of [score] (unrounded). */
double pl_annual_standing(const struct pl_rules *r, const struct pl_rank_unit *u);

/* Assesses the year from the N cycles' rankings CYCLES (read with pl_rank_read(), in date
 * order; scored or not) under R into YEAR (initialised by the caller, empty): one unit per
 * unit of any cycle, in order of first appearance, with its counts summed over the year, its
 * annual score in score, ranked by pl_rank_order(). PL_ERR_NOMEM. */
enum pl_status pl_annual_assess(const struct pl_ranking *cycles, size_t n, const struct pl_rules *r,
                                struct pl_ranking *year);

struct pl_annual_options {
    const char *catalog;           /* the catalog directory */
    const char *const *cycle_dirs; /* the cycles' output folders, in date order */
    size_t ncycles;
    const struct pl_rules *rules; /* borrowed for the life of the pl_annual */
    long long created;            /* the workbook's created date, or -1: the last deadline */
};

struct pl_annual;

/* Reads the inputs and assesses the year. A cycle is named by its folder's last component,
 * which must be a cycle of cycles.csv. PL_ERR_USAGE (no cycle, or a cycle twice), PL_ERR_OPEN
 * (a file cannot be read), PL_ERR_DATA (a rated file that is not a rated stream),
 * PL_ERR_CONFIG (the catalog lacks a column or the cycle), PL_ERR_NOMEM, each reported
 * to DIAG. *OUT is NULL on failure. Rows ranking cannot count are reported and left out, as
 * ducha-rank does; *REJECTED (may be NULL) gets how many. */
enum pl_status pl_annual_load(struct pl_annual **out, const struct pl_annual_options *opt,
                              unsigned long *rejected, struct pl_diag *diag);
void pl_annual_free(struct pl_annual *a);

/* The year's ranking, valid as long as A. */
const struct pl_ranking *pl_annual_ranking(const struct pl_annual *a);

/* Writes the annual ranks with their header to W. PL_ERR_IO, PL_ERR_NOMEM. */
enum pl_status pl_annual_write_ranks(const struct pl_annual *a, struct pl_csv_writer *w);

/* Writes history.xlsx to PATH (atomically; see xlsx). The status of the writing. */
enum pl_status pl_annual_write_history(const struct pl_annual *a, const char *path,
                                       struct pl_diag *diag);

#endif
