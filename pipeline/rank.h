/*
 * rank — unit scores and ranks from a cycle's rated rows (ducha-rank).
 *
 * Every host unit of the rated rows gets one row: its group, how many (task, host) rows it
 * has and how many of them are blue, yellow, red, missing (未报送, merged missing=1),
 * returned (报送有误, missing=2) and late, its score, its rank within its group, and its rank
 * and move against the last cycle's ranks. Rows flagged W_NOT_DEMANDED (a task demanded from
 * nobody, reported anyway) are left out: a unit is scored on what it is asked. A row with an
 * empty progress (W_NO_PROGRESS) counts as a row that earns 0.
 *
 * Groups (DESIGN.md, Rules): the group column of the rated rows (ducha-rate's [groups]). A
 * group listed in the rules' [rank] unranked (by default 垂直管理单位, 企业和金融机构,
 * 法院检察院: units the county government does not direct) is listed after the ranked
 * groups with its figures and score, its rank, prev_rank and move blank.
 *
 * The score (DESIGN.md, Rules; the numbers are the rules' [score]): the mean over the unit's
 * rows of min(progress / expected, 1) × full_marks, a missing row counting 0, minus
 * late_deduction per late row, missing_deduction per missing row, returned_deduction per
 * returned row, yellow_deduction per yellow row and red_deduction per red row. It is printed
 * with one decimal, rounded half up (away from zero) on the decimal value — 85.25 is 85.3
 * whatever binary rounding makes of it — never -0.0, and ranked on that printed value, so that two units the sheet shows equal share a rank. Ranks are dense
 * (1, 2, 2, 3) or standard competition (1, 2, 2, 4) as the rules say, within each group;
 * groups come in the rules' group_order, then the others as they first appear; ties, and
 * units within a rank, keep the order in which the units first appear in the rated rows.
 *
 * The move compares with the last cycle's rank in the same group: ↑N (up N places), ↓N, —
 * (same place), 新 (not ranked in that group last cycle). Without a last cycle prev_rank and
 * move are blank: unknown, as DESIGN.md has blanks.
 *
 * A rated row that cannot be counted (no unit, a progress, expected, missing, late or colour
 * cell that does not read) is reported with its line and left out of the counts; the caller
 * then exits 1. A stream without the columns ranking reads is refused (PL_ERR_DATA).
 */
#ifndef PL_RANK_H
#define PL_RANK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "buf.h"
#include "csv.h"
#include "diag.h"
#include "rate.h"
#include "rules.h"
#include "table.h"

/* The columns of the ranks stream, in DESIGN.md's order. */
extern const char *const pl_ranks_columns[];
extern const size_t pl_ranks_count;

struct pl_rank_unit {
    char *unit;
    char *group;
    size_t order; /* first appearance in the rated rows */
    unsigned long tasks, count[PL_COLOUR_COUNT], missing, returned, late;
    double earned;  /* Σ min(progress / expected, 1) over the rows */
    char score[32]; /* the score as printed */
    unsigned long rank; /* 0: its group is not ranked (rules [rank] unranked) */
    bool has_prev; /* ranked in the same group last cycle */
    unsigned long prev_rank;
};

struct pl_ranking {
    struct pl_rank_unit *units;
    size_t n, cap;
    bool have_previous; /* a last cycle was given */
};

void pl_ranking_init(struct pl_ranking *g);
void pl_ranking_fini(struct pl_ranking *g);

struct pl_rank_stats {
    unsigned long rows, counted, rejected;
    unsigned long not_demanded; /* rows of tasks demanded from nobody, left out */
};

/* Reads the rated stream IN (named IN_NAME in messages) into G, adding each row to its
 * unit. PL_OK when read to its end (rows may have been left out: see STATS), PL_ERR_DATA when
 * IN is empty or lacks a column (reported), PL_ERR_IO, PL_ERR_NOMEM. */
enum pl_status pl_rank_read(FILE *in, const char *in_name, struct pl_ranking *g,
                            struct pl_diag *diag, struct pl_rank_stats *stats);

/* The score of unit U under rules R (unrounded). */
double pl_rank_score(const struct pl_rules *r, const struct pl_rank_unit *u);

/* Writes SCORE with one decimal, rounded half up on its decimal value, into OUT (at least 32
 * bytes): "87.3", "85.3" for 85.25, "-10.0", never "-0.0". */
void pl_rank_format_score(double score, char *out, size_t size);

/* Scores every unit, orders the units (groups, then score, then first appearance) and
 * assigns ranks by R's method. PL_ERR_NOMEM. */
enum pl_status pl_rank_assign(struct pl_ranking *g, const struct pl_rules *r);

/* Orders the units and assigns ranks as pl_rank_assign() does, on the scores their score
 * fields already hold (set by the caller, as pl_rank_format_score() writes them: the year's
 * assessment ranks its own scores this way). PL_ERR_NOMEM. */
enum pl_status pl_rank_order(struct pl_ranking *g, const struct pl_rules *r);

/* Sets prev_rank from the last cycle's ranks PREVIOUS (columns unit, group, rank; checked by
 * pl_rank_check_previous()): a unit's rank last cycle in the same group, the towns' former
 * group name 镇街 counting as 镇街和功能区; a unit ranked in another group then is 新. The rows
 * are found by name through a hash, not a walk of the table per unit. PL_ERR_NOMEM. */
enum pl_status pl_rank_apply_previous(struct pl_ranking *g, const struct pl_table *previous);

/* PL_ERR_DATA, reported, when PREVIOUS lacks unit, group or rank. */
enum pl_status pl_rank_check_previous(const struct pl_table *previous, struct pl_diag *diag);

/* Appends the move of unit U to OUT: "↑2", "↓1", "—", "新", or nothing without a last
 * cycle (HAVE_PREVIOUS false). PL_ERR_NOMEM. */
enum pl_status pl_rank_move(bool have_previous, const struct pl_rank_unit *u, struct pl_buf *out);

/* Writes the ranks with their header to W, in the order pl_rank_assign() made. PL_ERR_IO
 * when a write failed, PL_ERR_NOMEM. */
enum pl_status pl_rank_write(const struct pl_ranking *g, struct pl_csv_writer *w);

#endif
