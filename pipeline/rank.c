/* rank — unit scores, dense or competition ranks within groups, moves since the last cycle. */
#include "rank.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fields.h"
#include "strmap.h"

const char *const pl_ranks_columns[] = {"unit",  "group",    "tasks", "blue",  "yellow",
                                        "red",   "missing",  "returned", "late", "score",
                                        "rank",  "prev_rank", "move"};
const size_t pl_ranks_count = sizeof pl_ranks_columns / sizeof pl_ranks_columns[0];

void pl_ranking_init(struct pl_ranking *g)
{
    memset(g, 0, sizeof *g);
}

void pl_ranking_fini(struct pl_ranking *g)
{
    for (size_t i = 0; i < g->n; i++) {
        free(g->units[i].unit);
        free(g->units[i].group);
    }
    free(g->units);
    pl_ranking_init(g);
}

/* ---- reading -------------------------------------------------------------------------- */

enum { R_UNIT, R_GROUP, R_PROGRESS, R_EXPECTED, R_COLOUR, R_MISSING, R_LATE, R_FLAGS, R_COUNT };

/* The columns ranking reads; flags (R_NEEDED on) is optional. */
enum { R_NEEDED = R_FLAGS };
static const char *const needed[R_COUNT] = {"unit",   "group",   "progress", "expected",
                                            "colour", "missing", "late",     "flags"};

struct reader {
    struct pl_ranking *g;
    struct pl_diag *diag;
    struct pl_rank_stats *stats;
    const char *in_name;
    bool have_header;
    size_t width;
    int col[R_COUNT];
    enum pl_status status;
    struct pl_strmap index; /* unit name → its place in g->units: a lookup a row, not a walk */
};

static const char *cell(const struct pl_csv_row *row, int col)
{
    return col >= 0 && (size_t)col < row->count ? row->cells[col] : "";
}

static enum pl_status on_header(struct reader *k, const struct pl_csv_row *row)
{
    for (int i = 0; i < R_COUNT; i++)
        k->col[i] = -1;
    k->width = row->count;
    for (size_t i = 0; i < row->count; i++) {
        const char *name = row->cells[i];
        if (i == 0 && row->lens[0] >= 3 && memcmp(name, "\xEF\xBB\xBF", 3) == 0)
            name += 3;
        for (int r = 0; r < R_COUNT; r++)
            if (k->col[r] < 0 && strcmp(name, needed[r]) == 0)
                k->col[r] = (int)i;
    }
    struct pl_buf missing;
    pl_buf_init(&missing);
    enum pl_status st = PL_OK;
    for (int r = 0; st == PL_OK && r < R_NEEDED; r++)
        if (k->col[r] < 0)
            st = pl_buf_printf(&missing, "%s%s", missing.len ? "," : "", needed[r]);
    if (st == PL_OK && missing.len) {
        pl_diag_report(k->diag, k->in_name, row->line, 0, "E_MISSING_COLUMN",
                       "输入不是ducha-rate的评定流：缺少列 %s", missing.data);
        st = PL_ERR_DATA;
    }
    pl_buf_fini(&missing);
    k->have_header = true;
    return st;
}

/* True when the |-joined FLAGS hold FLAG. */
static bool has_flag(const char *flags, const char *flag)
{
    size_t n = strlen(flag);
    for (const char *p = flags; (p = strstr(p, flag)) != NULL; p += n)
        if ((p == flags || p[-1] == '|') && (p[n] == '\0' || p[n] == '|'))
            return true;
    return false;
}

static bool parse_flag(const char *s, bool *v)
{
    if (!*s || strcmp(s, "0") == 0 || strcmp(s, "1") == 0) {
        *v = strcmp(s, "1") == 0;
        return true;
    }
    return false;
}

static bool parse_points(const char *s, double *v)
{
    enum pl_field_error why;
    return pl_field_parse_progress(s, strlen(s), PL_PROGRESS_SMALL_POINTS, v, &why) == PL_OK;
}

static struct pl_rank_unit *unit_for(struct reader *k, const char *unit, const char *group)
{
    struct pl_ranking *g = k->g;
    size_t *at;
    bool added;
    if (pl_strmap_put(&k->index, unit, strlen(unit), g->n, &at, &added) != PL_OK)
        return NULL;
    if (!added)
        return &g->units[*at];
    if (g->n == g->cap) {
        size_t cap = g->cap ? g->cap * 2 : 32;
        struct pl_rank_unit *v = realloc(g->units, cap * sizeof *v);
        if (!v)
            return NULL; /* the run ends: the index naming a unit not added does not matter */
        g->units = v;
        g->cap = cap;
    }
    struct pl_rank_unit *u = &g->units[g->n];
    memset(u, 0, sizeof *u);
    u->unit = strdup(unit);
    u->group = strdup(group);
    if (!u->unit || !u->group) {
        free(u->unit);
        free(u->group);
        return NULL;
    }
    u->order = g->n++;
    return u;
}

static void leave_out(struct reader *k, const struct pl_csv_row *row, const char *column,
                      const char *value)
{
    pl_diag_report(k->diag, k->in_name, row->line, 0, "E_BAD_RATED_ROW",
                   "%s列的“%s”无法读取，这一行不计入排名", column, value);
    k->stats->rejected++;
}

static enum pl_status on_row(void *ctx, const struct pl_csv_row *row)
{
    struct reader *k = ctx;
    if (!k->have_header)
        return on_header(k, row);
    k->stats->rows++;
    if (row->problem != PL_CSV_ROW_OK) {
        leave_out(k, row, "", "");
        return PL_OK;
    }
    const char *unit = cell(row, k->col[R_UNIT]);
    const char *group = cell(row, k->col[R_GROUP]);
    bool missing, late, returned = false;
    if (has_flag(cell(row, k->col[R_FLAGS]), "W_NOT_DEMANDED")) {
        k->stats->not_demanded++; /* nobody owes it: not a unit's score */
        return PL_OK;
    }
    double progress = 0, expected;
    enum pl_colour colour;
    if (!*unit) {
        leave_out(k, row, "unit", unit);
        return PL_OK;
    }
    if (strcmp(cell(row, k->col[R_MISSING]), "2") == 0)
        missing = returned = true;
    else if (!parse_flag(cell(row, k->col[R_MISSING]), &missing)) {
        leave_out(k, row, "missing", cell(row, k->col[R_MISSING]));
        return PL_OK;
    }
    if (!parse_flag(cell(row, k->col[R_LATE]), &late)) {
        leave_out(k, row, "late", cell(row, k->col[R_LATE]));
        return PL_OK;
    }
    /* An empty progress on a return is unknown (W_NO_PROGRESS): it earns nothing. */
    if (!missing && *cell(row, k->col[R_PROGRESS]) &&
        !parse_points(cell(row, k->col[R_PROGRESS]), &progress)) {
        leave_out(k, row, "progress", cell(row, k->col[R_PROGRESS]));
        return PL_OK;
    }
    if (!parse_points(cell(row, k->col[R_EXPECTED]), &expected) || expected <= 0) {
        leave_out(k, row, "expected", cell(row, k->col[R_EXPECTED]));
        return PL_OK;
    }
    if (!pl_colour_parse(cell(row, k->col[R_COLOUR]), &colour)) {
        leave_out(k, row, "colour", cell(row, k->col[R_COLOUR]));
        return PL_OK;
    }
    struct pl_rank_unit *u = unit_for(k, unit, group);
    if (!u)
        return PL_ERR_NOMEM;
    if (strcmp(u->group, group) != 0)
        pl_diag_report(k->diag, k->in_name, row->line, 0, "W_GROUP_CHANGES",
                       "单位“%s”在前面的行中属于“%s”组，这一行是“%s”：按“%s”排名", unit, u->group,
                       group, u->group);
    k->stats->counted++;
    u->tasks++;
    u->count[colour]++;
    u->missing += missing && !returned;
    u->returned += returned;
    u->late += late;
    if (!missing)
        u->earned += progress >= expected ? 1.0 : progress / expected;
    return PL_OK;
}

enum pl_status pl_rank_read(FILE *in, const char *in_name, struct pl_ranking *g,
                            struct pl_diag *diag, struct pl_rank_stats *stats)
{
    memset(stats, 0, sizeof *stats);
    struct reader k = {.g = g, .diag = diag, .stats = stats, .in_name = in_name};
    pl_strmap_init(&k.index);
    enum pl_status st = PL_OK;
    /* Units already there (a caller adding a second file) are found as the file's own. */
    for (size_t i = 0; st == PL_OK && i < g->n; i++) {
        size_t *at;
        bool added;
        st = pl_strmap_put(&k.index, g->units[i].unit, strlen(g->units[i].unit), i, &at, &added);
    }
    if (st == PL_OK)
        st = pl_csv_read_stream(in, ',', on_row, &k);
    pl_strmap_fini(&k.index);
    if (st == PL_OK && !k.have_header) {
        pl_diag_report(diag, in_name, 0, 0, "E_EMPTY_INPUT", "输入是空的，没有评定流的表头");
        st = PL_ERR_DATA;
    }
    return st;
}

/* ---- scoring and ranking -------------------------------------------------------------- */

double pl_rank_score(const struct pl_rules *r, const struct pl_rank_unit *u)
{
    double mean = u->tasks ? u->earned / (double)u->tasks * r->full_marks : 0;
    return mean - r->late_deduction * (double)u->late - r->missing_deduction * (double)u->missing -
           r->returned_deduction * (double)u->returned - r->yellow_deduction * (double)u->count[PL_COLOUR_YELLOW] -
           r->red_deduction * (double)u->count[PL_COLOUR_RED];
}

void pl_rank_format_score(double score, char *out, size_t size)
{
    /* Half up on the decimal value (四舍五入): 85.25 is 85.3, although the double nearest
     * 85.25 - 0 may lie a hair below it and printf would give 85.2. The tolerance is far above
     * the error of a mean of a few hundred rows and far below the 0.05 that matters. */
    double tenths = floor(fabs(score) * 10 + 0.5 + 1e-7);
    score = (score < 0 ? -tenths : tenths) / 10;
    snprintf(out, size, "%.1f", score);
    if (strcmp(out, "-0.0") == 0)
        snprintf(out, size, "0.0");
}

/* Sorting context: qsort has none, so the group order travels in each element. */
struct slot {
    struct pl_rank_unit *u;
    size_t group_key;
    double printed;
    bool ranked;
};

static int slot_cmp(const void *a, const void *b)
{
    const struct slot *x = a, *y = b;
    if (x->group_key != y->group_key)
        return x->group_key < y->group_key ? -1 : 1;
    if (x->printed != y->printed)
        return x->printed > y->printed ? -1 : 1;
    return x->u->order < y->u->order ? -1 : x->u->order > y->u->order;
}

/* Where GROUP comes: its place in the rules' group_order, else after them by the first
 * appearance of a unit of the group (FIRST: group → the first unit's place), the groups that
 * are not ranked last. */
static size_t group_key(const struct pl_ranking *g, const struct pl_rules *r,
                        const struct pl_strmap *first, const char *group)
{
    size_t base = pl_rules_group_ranked(r, group) ? 0 : r->group_order.n + g->n + 1;
    long listed = pl_strv_find(&r->group_order, group);
    if (listed >= 0)
        return base + (size_t)listed;
    const size_t *i = pl_strmap_get(first, group, strlen(group));
    return base + r->group_order.n + (i ? *i : g->n);
}

enum pl_status pl_rank_assign(struct pl_ranking *g, const struct pl_rules *r)
{
    for (size_t i = 0; i < g->n; i++) {
        struct pl_rank_unit *u = &g->units[i];
        pl_rank_format_score(pl_rank_score(r, u), u->score, sizeof u->score);
    }
    return pl_rank_order(g, r);
}

enum pl_status pl_rank_order(struct pl_ranking *g, const struct pl_rules *r)
{
    struct slot *s = calloc(g->n ? g->n : 1, sizeof *s);
    if (!s)
        return PL_ERR_NOMEM;
    struct pl_strmap first;
    pl_strmap_init(&first);
    for (size_t i = 0; i < g->n; i++) {
        size_t *at;
        bool added;
        if (pl_strmap_put(&first, g->units[i].group, strlen(g->units[i].group), i, &at,
                          &added) != PL_OK) {
            pl_strmap_fini(&first);
            free(s);
            return PL_ERR_NOMEM;
        }
    }
    for (size_t i = 0; i < g->n; i++) {
        struct pl_rank_unit *u = &g->units[i];
        s[i] = (struct slot){u, group_key(g, r, &first, u->group), strtod(u->score, NULL),
                             pl_rules_group_ranked(r, u->group)};
    }
    pl_strmap_fini(&first);
    qsort(s, g->n, sizeof *s, slot_cmp);
    struct pl_rank_unit *sorted = malloc((g->n ? g->n : 1) * sizeof *sorted);
    if (!sorted) {
        free(s);
        return PL_ERR_NOMEM;
    }
    unsigned long rank = 0, place = 0;
    for (size_t i = 0; i < g->n; i++) {
        bool new_group = i == 0 || s[i].group_key != s[i - 1].group_key;
        if (new_group) {
            rank = 0;
            place = 0;
        }
        place++;
        if (new_group || s[i].printed != s[i - 1].printed)
            rank = r->method == PL_RANK_DENSE ? rank + 1 : place;
        sorted[i] = *s[i].u;
        sorted[i].rank = s[i].ranked ? rank : 0; /* listed with its figures, not ranked */
    }
    free(g->units);
    g->units = sorted;
    g->cap = g->n;
    free(s);
    return PL_OK;
}

enum pl_status pl_rank_check_previous(const struct pl_table *previous, struct pl_diag *diag)
{
    static const char *const need[] = {"unit", "group", "rank"};
    return pl_table_require(previous, need, 3, diag);
}

/* True when a unit ranked in group PREV last cycle was ranked in the group NOW is. The towns'
 * group was called 镇街 before it took the development zone in (镇街和功能区): a town ranked in
 * 镇街 last cycle keeps its place to move from, instead of showing as 新. */
static bool same_group(const char *prev, const char *now)
{
    return strcmp(prev, now) == 0 ||
           (strcmp(prev, "镇街") == 0 && strcmp(now, PL_GROUP_TOWNS) == 0);
}

enum pl_status pl_rank_apply_previous(struct pl_ranking *g, const struct pl_table *previous)
{
    g->have_previous = true;
    int unit = pl_table_column(previous, "unit"), group = pl_table_column(previous, "group"),
        rank = pl_table_column(previous, "rank");
    /* The previous rows by unit: the first row of each name, and each row's next of the same
     * name, so that a unit looks at its own rows only, in file order. */
    struct pl_strmap by_unit;
    pl_strmap_init(&by_unit);
    size_t *next = malloc((previous->nrows ? previous->nrows : 1) * sizeof *next);
    size_t *last = malloc((previous->nrows ? previous->nrows : 1) * sizeof *last);
    enum pl_status st = next && last ? PL_OK : PL_ERR_NOMEM;
    for (size_t j = 0; st == PL_OK && j < previous->nrows; j++) {
        const char *name = pl_table_get(previous, j, unit);
        size_t *at;
        bool added;
        next[j] = SIZE_MAX;
        st = pl_strmap_put(&by_unit, name, strlen(name), j, &at, &added);
        if (st != PL_OK)
            break;
        if (!added)
            next[last[*at]] = j;
        last[*at] = j; /* the chain's end, kept at its first row's place */
    }
    for (size_t i = 0; st == PL_OK && i < g->n; i++) {
        struct pl_rank_unit *u = &g->units[i];
        const size_t *first = pl_strmap_get(&by_unit, u->unit, strlen(u->unit));
        for (size_t j = first ? *first : SIZE_MAX; j != SIZE_MAX; j = next[j]) {
            if (!same_group(pl_table_get(previous, j, group), u->group))
                continue;
            const char *s = pl_table_get(previous, j, rank);
            char *end;
            unsigned long v = strtoul(s, &end, 10);
            if (*s >= '1' && *s <= '9' && !*end) {
                u->has_prev = true;
                u->prev_rank = v;
            }
            break;
        }
    }
    pl_strmap_fini(&by_unit);
    free(next);
    free(last);
    return st;
}

enum pl_status pl_rank_move(bool have_previous, const struct pl_rank_unit *u, struct pl_buf *out)
{
    if (!have_previous || !u->rank)
        return PL_OK;
    if (!u->has_prev)
        return pl_buf_append_str(out, "新");
    if (u->prev_rank > u->rank)
        return pl_buf_printf(out, "↑%lu", u->prev_rank - u->rank);
    if (u->prev_rank < u->rank)
        return pl_buf_printf(out, "↓%lu", u->rank - u->prev_rank);
    return pl_buf_append_str(out, "—");
}

enum pl_status pl_rank_write(const struct pl_ranking *g, struct pl_csv_writer *w)
{
    struct pl_buf move;
    pl_buf_init(&move);
    enum pl_status st = PL_OK;
    pl_csv_write_row(w, pl_ranks_columns, pl_ranks_count);
    for (size_t i = 0; st == PL_OK && i < g->n; i++) {
        const struct pl_rank_unit *u = &g->units[i];
        pl_csv_write_str(w, u->unit);
        pl_csv_write_str(w, u->group);
        pl_csv_write_ulong(w, u->tasks);
        for (int c = 0; c < PL_COLOUR_COUNT; c++)
            pl_csv_write_ulong(w, u->count[c]);
        pl_csv_write_ulong(w, u->missing);
        pl_csv_write_ulong(w, u->returned);
        pl_csv_write_ulong(w, u->late);
        pl_csv_write_str(w, u->score);
        if (u->rank)
            pl_csv_write_ulong(w, u->rank);
        else
            pl_csv_write_str(w, "");
        if (g->have_previous && u->has_prev && u->rank)
            pl_csv_write_ulong(w, u->prev_rank);
        else
            pl_csv_write_str(w, "");
        pl_buf_clear(&move);
        st = pl_rank_move(g->have_previous, u, &move);
        pl_csv_write_str(w, move.data);
        pl_csv_end_row(w);
    }
    pl_buf_fini(&move);
    return st != PL_OK ? st : pl_csv_writer_status(w);
}
