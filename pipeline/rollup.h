/*
 * rollup — the task-level and leader-level views of a cycle's rated rows.
 *
 * A task takes its worst host's colour (red over yellow over blue); its reason names the hosts
 * of that colour with theirs ("县发展和改革局：进度滞后23个百分点；县商务局：未报送"), the
 * way the circular's 存在的问题 section names lagging tasks with their host units. A leader
 * (tasks.csv's leaders column, |-joined) counts the tasks led, by task colour, and the tasks
 * with a host that did not report or reported late. The collective leader 各位县长 is counted
 * as written, as one more leader: whether its tasks also count for each leader is the
 * workbooks' choice (DESIGN.md: marked as shared there).
 *
 * Outputs (CSV, written by the caller's writers):
 * - tasks: task_id,title,leaders,hosts,blue,yellow,red,missing,late,colour,reason — one row
 *   per task with rated rows, in tasks.csv order (tasks the catalog does not know after, in
 *   the order they came); counts are of host rows.
 * - leaders: leader,tasks,blue,yellow,red,missing,late — one row per leader, in the order
 *   leaders first appear in those tasks; counts are of tasks.
 *
 * The module reads no files and rates nothing: rate feeds it one rated row at a time.
 */
#ifndef PL_ROLLUP_H
#define PL_ROLLUP_H

#include "catalog.h"
#include "csv.h"
#include "rate.h"
#include "status.h"

struct pl_rollup;

/* A roll-up over the tasks of catalog C (borrowed: it must outlive the roll-up). NULL when
 * out of memory. */
struct pl_rollup *pl_rollup_new(const struct pl_catalog *c);
void pl_rollup_free(struct pl_rollup *u);

/* Adds one rated row (copied). PL_ERR_NOMEM. */
enum pl_status pl_rollup_add(struct pl_rollup *u, const struct pl_rated_row *row);

/* A pl_rated_fn that adds to the struct pl_rollup * given as CTX. */
enum pl_status pl_rollup_on_rated(void *ctx, const struct pl_rated_row *row);

/* Writes the tasks, or the leaders, with a header row. PL_ERR_IO when a write failed,
 * PL_ERR_NOMEM. */
enum pl_status pl_rollup_write_tasks(const struct pl_rollup *u, struct pl_csv_writer *w);
enum pl_status pl_rollup_write_leaders(const struct pl_rollup *u, struct pl_csv_writer *w);

#endif
