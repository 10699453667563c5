/*
 * circular — what a circular says, as template data: counts and shares by status and colour,
 * the best units of each ranking group, red tasks with their hosts and reasons, units that
 * reported late or not at all, the overview table and the ranking table; for the whole cycle
 * or a subset (one leader's tasks, one unit, one colour, listed tasks).
 *
 * Inputs are tables read by column name: the catalog (tasks.csv, units.csv, cycles.csv and
 * the document facts, which may be missing), the rated stream and the ranks stream of
 * DESIGN.md. The names it sets are listed in ducha-template(5). Every text that will be drawn
 * is checked with the caller's coverage function first: a character no font has is reported
 * (W_MISSING_GLYPH) naming the task and field, so that it never prints as a silent blank.
 *
 * Not here: the wording (templates), the page (typeset), fonts (pdf).
 */
#ifndef PL_CIRCULAR_H
#define PL_CIRCULAR_H

#include <stdbool.h>
#include <stdint.h>

#include "diag.h"
#include "table.h"
#include "template.h"

struct pl_circular_input {
    const struct pl_table *tasks, *units, *cycles; /* the catalog; each may be empty */
    const struct pl_table *document;               /* key,value rows; may be empty */
    const struct pl_table *indicators; /* indicators.csv (targets); may be NULL or empty */
    const struct pl_table *rated, *ranks;
    const char *cycle; /* the cycle's id; NULL: the one most returns' dates fall in */
    /* The subset (NULL: no restriction). */
    const char *leader; /* tasks this leader leads (牵头领导) */
    const char *unit;   /* rows of this host unit (its name or an alias) */
    const char
        *colour; /* rows of these colours: blue, yellow, red or 蓝, 黄, 红, comma-separated */
    const char *tasks_list; /* these task ids, separated by commas, 、 or spaces */
    /* Overrides (NULL: the template's). */
    const char *title, *number;
    const char *date; /* the circular's date, YYYY-MM-DD; NULL: SOURCE_DATE_EPOCH or cycle */
    long long epoch;  /* SOURCE_DATE_EPOCH, or -1 when unset */
    bool (*covers)(void *ctx, uint32_t cp); /* NULL: no check */
    void *covers_ctx;
};

/* The columns of the rated stream pl_circular_build reads, through *NAMES (static); returns
 * how many. A caller may keep only these (pl_table_read_columns). */
size_t pl_circular_rated_read(const char *const **names);

/* Fills D (a fresh root from pl_tpl_data_new, which the caller owns) from IN. The lists that
 * name every row (overview, red_rows, lagging_rows, unfinished_rows) are made from IN's
 * tables while D is rendered (pl_tpl_list_made): IN and everything it points to must stay
 * as they are until D is rendered for the last time. *WHEN gets the document's date as a
 * Unix time (for the PDF's creation date). PL_ERR_DATA when a stream lacks a required column
 * (E_MISSING_COLUMN) or the subset is empty (E_EMPTY_SUBSET); PL_ERR_USAGE for a colour or
 * date that cannot be read (E_BAD_OPTION); PL_ERR_NOMEM. Problems in single rows are warnings. */
enum pl_status pl_circular_build(const struct pl_circular_input *in, struct pl_tpl_data *d,
                                 long long *when, struct pl_diag *diag);

/* Appends to OUT the short name a circular uses for unit NAME: its official short name, the
 * `short` column of UNITS (县发改局 for 县发展和改革局), else NAME itself — never a guess from
 * the aliases, which hold old names and other bodies' names. */
enum pl_status pl_circular_short_name(const struct pl_table *units, const char *name,
                                      struct pl_buf *out);

#endif
