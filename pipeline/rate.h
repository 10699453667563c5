/*
 * rate — ducha-rate's rules: each merged (task, host) row gets its expected progress, the
 * gap in points, a colour, the reason in Chinese and the arrow against the last cycle.
 *
 * The expected progress (序时进度) of the cycle comes from the rules' [expected] section, else
 * from cycles.csv's expected column (unless the rules say expected_from = elapsed), else from
 * the share of the year elapsed at the cycle's deadline. The gap is the expected progress
 * minus the progress: points behind, negative when ahead. Colours follow the numbers, never
 * the status word (DESIGN.md, Rules): done (progress ≥ done_at) is blue; else points behind
 * up to blue_tolerance blue, from red_behind on red, yellow between; progress 0 after the
 * year's first cycle is red (未启动, when not_started_red); a host without a valid return is
 * red (未报送, when missing_red; otherwise it is judged as progress 0); a late return is red
 * only when late_red says so. A host whose rows were all rejected (merged missing=2) is red
 * with its own reason 报送内容有误，已退回修改 (when returned_red; otherwise judged as progress
 * 0). A return without a progress (merged W_NO_PROGRESS: only indicator values whose targets
 * give no share) is red as 仅报送指标完成值，无法计算进度 (when no_progress_red; otherwise
 * judged as progress 0); its gap is blank. A task with its own due date (tasks.csv `due`,
 * read when the column is there) is measured against the elapsed share of the time to that
 * date (pl_rate_due_expected()), its expected column saying so. A row of a task demanded from
 * nobody (flag W_NOT_DEMANDED) is rated as any other and its reason begins
 * 不要求单独报送；. The reason says why, as a circular phrases it: 已完成,
 * 达到序时进度, 超序时进度N个百分点, 进度滞后N个百分点, 未启动, 未报送, 报送内容有误，已退回修改,
 * and 逾期报送 after "；" for a late return. Late means dated after the cycle's deadline; it is recomputed here
 * from reported_on (the merged late column stands when the date is blank) and a difference
 * is reported as a warning.
 *
 * The stream is read by column name: every merged column must be there (else PL_ERR_DATA,
 * E_MISSING_COLUMN, nothing written), and is written in DESIGN.md's order with group and
 * late as recomputed, then the six rated columns, then any other input columns as they came
 * (input columns named like the rated ones are replaced). The group is the rules' [groups]
 * group of the unit's kind in units.csv; a unit the catalog does not know keeps the merged
 * group. A row that cannot be rated (a progress that is not a number in 0..100 on a row that
 * is not missing, a missing cell other than 0, 1, 2 or blank, a late cell other than 0, 1 or
 * blank, a ragged row) is rejected:
 * reported, written to the rejects with code, column and error, and counted; rows in = rows
 * out + rows rejected.
 *
 * What the module does not do: it does not check returns (ducha-check did), does not choose
 * which rows exist (ducha-merge did), ranks nothing (rank) and rolls nothing up (rollup,
 * which it feeds through a callback).
 */
#ifndef PL_RATE_H
#define PL_RATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "buf.h"
#include "catalog.h"
#include "csv.h"
#include "diag.h"
#include "rules.h"
#include "table.h"

enum pl_colour { PL_COLOUR_BLUE, PL_COLOUR_YELLOW, PL_COLOUR_RED, PL_COLOUR_COUNT };

/* "blue", "yellow", "red"; "" for values out of range. Static strings. */
const char *pl_colour_name(enum pl_colour colour);
/* The colour named S exactly; false when there is none. */
bool pl_colour_parse(const char *s, enum pl_colour *colour);

enum pl_arrow { PL_ARROW_NONE, PL_ARROW_UP, PL_ARROW_DOWN, PL_ARROW_SAME, PL_ARROW_NEW };

/* "", "up", "down", "same", "new". Static strings. */
const char *pl_arrow_name(enum pl_arrow arrow);

/* The columns of the merged stream (19) and the six ducha-rate adds, in DESIGN.md's order. */
extern const char *const pl_merged_columns[];
extern const size_t pl_merged_count;
extern const char *const pl_rated_columns[];
extern const size_t pl_rated_count;

/* What rating needs to know of the cycle. */
struct pl_rate_cycle {
    const char *id; /* borrowed from the catalog */
    double expected;
    bool first;    /* the year's first cycle: 未启动 is judged by the gap alone */
    long deadline; /* day number (date module) */
};

/* The share of the year elapsed at DEADLINE (day number), counted from 1 January of the
 * year of START and including the deadline's day, in percent rounded to one decimal, at
 * most 100: 2023-06-30 gives 49.6. */
double pl_rate_elapsed_share(long start, long deadline);

/* Sets up OUT for cycle ID of catalog C (read from directory CATALOG_DIR, for messages)
 * under rules R. PL_ERR_CONFIG, reported, when the cycle is not in cycles.csv
 * (E_CYCLE_UNKNOWN), its dates or expected progress are not valid (E_CATALOG_CYCLE), or the
 * rules' first_cycle names no cycle of cycles.csv (E_RULES_UNKNOWN_CYCLE, at the rules
 * line). OUT borrows from C. */
enum pl_status pl_rate_cycle_setup(struct pl_rate_cycle *out, const struct pl_catalog *c,
                                   const char *catalog_dir, const char *id,
                                   const struct pl_rules *r, struct pl_diag *diag);

/* One row as rating sees it. */
struct pl_rate_input {
    bool missing;     /* no valid return from this host: 未报送 (merged missing=1) */
    bool returned;    /* the unit's rows were all rejected: 报送有误 (merged missing=2) */
    bool no_progress; /* a return without a progress (only indicator values that give no
                         share; merged W_NO_PROGRESS with an empty progress) */
    double progress;  /* 0..100; ignored when missing, returned or no_progress */
    bool late;
};

struct pl_rating {
    enum pl_colour colour;
    bool has_gap; /* false for missing rows: their progress is unknown */
    double gap;   /* expected minus progress, rounded to 1e-6: points behind */
};

/* Rates IN under R for cycle CY: fills OUT and appends the reason to REASON. PL_ERR_NOMEM
 * when REASON cannot grow. A pure function of its arguments. */
enum pl_status pl_rate_judge(const struct pl_rules *r, const struct pl_rate_cycle *cy,
                             const struct pl_rate_input *in, struct pl_rating *out,
                             struct pl_buf *reason);

/* The expected progress of a task with its own due date DUE (day number) in cycle CY: the
 * share of the time from 1 January of the cycle's year to DUE elapsed at the cycle's
 * deadline, in percent to one decimal, at most 100 (a task due on 8月31日 is expected at
 * 181/243 = 74.5 on 6月30日, and at 100 from 8月31日 on). A due date on or before 1 January
 * gives 100. The cycle's own expected progress applies to tasks without a due date. */
double pl_rate_due_expected(const struct pl_rate_cycle *cy, long due);

/* The expected progress of a task with its own due date DUE in cycle CY: the elapsed share
 * towards DUE when that is more than the cycle's own figure, else the cycle's figure. A due
 * date only ever brings a task forward (M4-1 by 8月底: 74.5 in H1); one at the year's end or
 * later keeps the cycle's 50, not 49.6. */
double pl_rate_task_expected(const struct pl_rate_cycle *cy, long due);

/* The arrow of a progress against the last cycle's: NEW when the last cycle had no row
 * (FOUND false), NONE when either progress is unknown (a missing row), else UP, DOWN or
 * SAME by the difference rounded to 1e-6. */
enum pl_arrow pl_rate_arrow(bool found, bool prev_known, double prev, bool cur_known, double cur);

/* A rated row as handed to the caller's callback (for the roll-ups); everything is borrowed
 * until the callback returns. */
struct pl_rated_row {
    const char *task_id;
    const char *unit;
    enum pl_colour colour;
    bool missing;  /* 未报送 or 报送有误 */
    bool returned; /* 报送有误 */
    bool late;
    const char *reason;
};

typedef enum pl_status (*pl_rated_fn)(void *ctx, const struct pl_rated_row *row);

struct pl_rate_options {
    const struct pl_rules *rules;
    const struct pl_catalog *catalog;
    const struct pl_rate_cycle *cycle;
    const struct pl_table *previous; /* the last cycle's rated rows; NULL: no last cycle */
    bool previous_year;              /* PREVIOUS is last year's (issue 16): task ids are not
                                        the same tasks; a task is found there by its catalog
                                        previous_id, and one without is new */
    const struct pl_table *tasks;    /* optional: a tasks table whose due column is read for
                                        the tasks the catalog gives no due date; the
                                        catalog's own due dates (tasks.csv due or 截止日期, ISO
                                        dates) come first; NULL: the catalog's only */
    pl_rated_fn on_rated;            /* called for every rated row; may be NULL */
    void *ctx;
};

struct pl_rate_stats {
    unsigned long rows, rated, rejected, missing, returned, late;
    unsigned long colours[PL_COLOUR_COUNT];
};

/* Checks that PREVIOUS (a rated file) has the columns the arrows need: task_id, unit,
 * progress, missing. PL_ERR_DATA, reported, when it lacks one. */
enum pl_status pl_rate_check_previous(const struct pl_table *previous, struct pl_diag *diag);

/* Rates the merged stream IN (named IN_NAME in messages), writing rated rows with their
 * header to OUT and rejected rows with theirs to REJECTS (NULL: rejected rows are only
 * reported). PL_OK when the stream was read to its end (rows may have been rejected: see
 * STATS), PL_ERR_DATA when IN is empty or lacks merged columns (reported; nothing written),
 * PL_ERR_IO when reading or writing failed, PL_ERR_NOMEM. */
enum pl_status pl_rate_stream(FILE *in, const char *in_name, struct pl_csv_writer *out,
                              struct pl_csv_writer *rejects, const struct pl_rate_options *opt,
                              struct pl_diag *diag, struct pl_rate_stats *stats);

#endif
