/* annual — the year's assessment over its cycles, the annual ranks and history.xlsx. */
#include "annual.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "catalog.h"
#include "date.h"
#include "fields.h"
#include "strmap.h"
#include "table.h"
#include "xlsx.h"

/* ---- the assessment ------------------------------------------------------------------- */

double pl_annual_standing(const struct pl_rules *r, const struct pl_rank_unit *u)
{
    return pl_rank_score(r, u) + r->late_deduction * (double)u->late +
           r->missing_deduction * (double)u->missing + r->returned_deduction * (double)u->returned;
}

/* The unit named UNIT in G, found through INDEX (unit name → its first place in G). */
static const struct pl_rank_unit *find_unit(const struct pl_ranking *g,
                                            const struct pl_strmap *index, const char *unit)
{
    const size_t *i = pl_strmap_get(index, unit, strlen(unit));
    return i ? &g->units[*i] : NULL;
}

/* Indexes the units of G by name, the first of a name winning (as a walk would find it). */
static enum pl_status index_units(const struct pl_ranking *g, struct pl_strmap *index)
{
    for (size_t i = 0; i < g->n; i++) {
        size_t *at;
        bool added;
        enum pl_status st = pl_strmap_put(index, g->units[i].unit, strlen(g->units[i].unit), i,
                                          &at, &added);
        if (st != PL_OK)
            return st;
    }
    return PL_OK;
}

/* The weight of cycle C of N: the last one weighs last_weight, the others share the rest. */
static double weight(const struct pl_rules *r, size_t c, size_t n)
{
    if (n == 1)
        return 1;
    return c == n - 1 ? r->annual_last_weight : (1 - r->annual_last_weight) / (double)(n - 1);
}

static enum pl_status add_year_unit(struct pl_ranking *year, const struct pl_rank_unit *u)
{
    if (year->n == year->cap) {
        size_t cap = year->cap ? year->cap * 2 : 32;
        struct pl_rank_unit *v = realloc(year->units, cap * sizeof *v);
        if (!v)
            return PL_ERR_NOMEM;
        year->units = v;
        year->cap = cap;
    }
    struct pl_rank_unit *y = &year->units[year->n];
    memset(y, 0, sizeof *y);
    y->unit = strdup(u->unit);
    y->group = strdup(u->group);
    if (!y->unit || !y->group) {
        free(y->unit);
        free(y->group);
        return PL_ERR_NOMEM;
    }
    y->order = year->n++;
    return PL_OK;
}

enum pl_status pl_annual_assess(const struct pl_ranking *cycles, size_t n, const struct pl_rules *r,
                                struct pl_ranking *year)
{
    /* Each cycle's units and the year's by name: lookups, not walks, at a province's 9,000
     * units. */
    struct pl_strmap *index = calloc(n + 1, sizeof *index);
    if (!index)
        return PL_ERR_NOMEM;
    enum pl_status st = PL_OK;
    for (size_t c = 0; c <= n; c++)
        pl_strmap_init(&index[c]);
    for (size_t c = 0; st == PL_OK && c < n; c++)
        st = index_units(&cycles[c], &index[c]);
    st = st == PL_OK ? index_units(year, &index[n]) : st;
    for (size_t c = 0; st == PL_OK && c < n; c++) {
        for (size_t i = 0; st == PL_OK && i < cycles[c].n; i++) {
            const struct pl_rank_unit *u = &cycles[c].units[i];
            size_t *at;
            bool added;
            if ((st = pl_strmap_put(&index[n], u->unit, strlen(u->unit), year->n, &at,
                                    &added)) != PL_OK ||
                (added && (st = add_year_unit(year, u)) != PL_OK))
                break;
            struct pl_rank_unit *y = &year->units[*at];
            if (!added && strcmp(y->group, u->group) != 0) {
                /* Its group in the last cycle it has rows in. */
                char *g = strdup(u->group);
                if (!g) {
                    st = PL_ERR_NOMEM;
                    break;
                }
                free(y->group);
                y->group = g;
            }
            y->tasks += u->tasks;
            for (int k = 0; k < PL_COLOUR_COUNT; k++)
                y->count[k] += u->count[k];
            y->missing += u->missing;
            y->returned += u->returned;
            y->late += u->late;
        }
    }
    for (size_t i = 0; st == PL_OK && i < year->n; i++) {
        struct pl_rank_unit *y = &year->units[i];
        double wsum = 0, sum = 0, plain = 0;
        size_t had = 0;
        for (size_t c = 0; c < n; c++) {
            const struct pl_rank_unit *u = find_unit(&cycles[c], &index[c], y->unit);
            if (!u)
                continue;
            double s = pl_annual_standing(r, u), w = weight(r, c, n);
            wsum += w;
            sum += w * s;
            plain += s;
            had++;
        }
        /* A unit absent from every weighted cycle is assessed on the cycles it has. */
        double base = wsum > 0 ? sum / wsum : plain / (double)had;
        double score = base - r->annual_late_deduction * (double)y->late -
                       r->annual_missing_deduction * (double)y->missing -
                       r->annual_returned_deduction * (double)y->returned;
        pl_rank_format_score(score, y->score, sizeof y->score);
    }
    if (st == PL_OK)
        st = pl_rank_order(year, r);
    if (st == PL_OK && n) {
        /* The move since the year's last cycle, in the same group. */
        const struct pl_ranking *last = &cycles[n - 1];
        year->have_previous = true;
        for (size_t i = 0; i < year->n; i++) {
            struct pl_rank_unit *y = &year->units[i];
            const struct pl_rank_unit *u = find_unit(last, &index[n - 1], y->unit);
            if (u && u->rank && strcmp(u->group, y->group) == 0) {
                y->has_prev = true;
                y->prev_rank = u->rank;
            }
        }
    }
    for (size_t c = 0; c <= n; c++)
        pl_strmap_fini(&index[c]);
    free(index);
    return st;
}

/* ---- reading the cycles --------------------------------------------------------------- */

struct cycle {
    char *id, *label;
    struct pl_ranking g;     /* its ranks, worked out as ducha-rank does */
    struct pl_table rated;   /* its rated rows: the tasks' progress and colours */
    struct pl_table leaders; /* rated-leaders.csv */
    /* Lookups for history.xlsx, made once when loaded: unit name → its place in g (as
     * ranked), task id → its first row in rated, and each row's next row of the same task
     * (SIZE_MAX: none), so that a province's 9,000 units and 13,000 tasks are found, not
     * walked for. */
    struct pl_strmap unit_at, task_row;
    size_t *next_row;
};

struct pl_annual {
    const struct pl_rules *rules;
    struct cycle *c;
    size_t n;
    struct pl_ranking year;
    struct pl_table tasks, units;
    struct pl_strmap short_at; /* units.csv name → its row */
    char year_label[16]; /* 2023年度 */
    long long created;
};

void pl_annual_free(struct pl_annual *a)
{
    if (!a)
        return;
    for (size_t i = 0; i < a->n; i++) {
        free(a->c[i].id);
        free(a->c[i].label);
        pl_ranking_fini(&a->c[i].g);
        pl_table_free(&a->c[i].rated);
        pl_table_free(&a->c[i].leaders);
        pl_strmap_fini(&a->c[i].unit_at);
        pl_strmap_fini(&a->c[i].task_row);
        free(a->c[i].next_row);
    }
    free(a->c);
    pl_ranking_fini(&a->year);
    pl_table_free(&a->tasks);
    pl_table_free(&a->units);
    pl_strmap_fini(&a->short_at);
    free(a);
}

const struct pl_ranking *pl_annual_ranking(const struct pl_annual *a)
{
    return &a->year;
}

/* The last component of DIR ("out/2023/2023H1/" → "2023H1"), or NULL when out of memory. */
static char *base_name(const char *dir)
{
    size_t len = strlen(dir);
    while (len > 1 && dir[len - 1] == '/')
        len--;
    size_t start = len;
    while (start > 0 && dir[start - 1] != '/')
        start--;
    return strndup(dir + start, len - start);
}

static char *join(const char *dir, const char *name)
{
    struct pl_buf p;
    pl_buf_init(&p);
    if (pl_buf_printf(&p, "%s/%s", dir, name) != PL_OK) {
        pl_buf_fini(&p);
        return NULL;
    }
    return pl_buf_take(&p);
}

static enum pl_status read_table(const char *dir, const char *name, struct pl_table *t,
                                 const char *const *need, size_t nneed, struct pl_diag *diag)
{
    char *path = join(dir, name);
    if (!path)
        return PL_ERR_NOMEM;
    enum pl_status st = pl_table_read(path, t, diag);
    if (st == PL_OK && nneed)
        st = pl_table_require(t, need, nneed, diag);
    free(path);
    return st;
}

/* Indexes the rows of T by their cell in column COL: *FIRST maps a value to its first row,
 * *NEXT (allocated here) gives each row the next row of the same value, SIZE_MAX at the end. */
static enum pl_status index_rows(const struct pl_table *t, int col, struct pl_strmap *first,
                                 size_t **next)
{
    size_t n = t->nrows ? t->nrows : 1;
    size_t *last = malloc(n * sizeof *last);
    *next = malloc(n * sizeof **next);
    enum pl_status st = last && *next ? PL_OK : PL_ERR_NOMEM;
    for (size_t j = 0; st == PL_OK && j < t->nrows; j++) {
        const char *key = pl_table_get(t, j, col);
        size_t *at;
        bool added;
        (*next)[j] = SIZE_MAX;
        if ((st = pl_strmap_put(first, key, strlen(key), j, &at, &added)) != PL_OK)
            break;
        if (!added)
            (*next)[last[*at]] = j;
        last[*at] = j; /* the chain's end, kept at its first row's place */
    }
    free(last);
    return st;
}

static enum pl_status read_cycle(struct pl_annual *a, struct cycle *c, const char *dir,
                                 const struct pl_catalog *calendar, unsigned long *rejected,
                                 struct pl_diag *diag, long *deadline)
{
    const struct pl_cycle *y = pl_catalog_find_cycle(calendar, c->id);
    if (!y) {
        pl_diag_report(diag, dir, 0, 0, "E_CYCLE_UNKNOWN", "目录名“%s”不是cycles.csv中的报送周期",
                       c->id);
        return PL_ERR_CONFIG;
    }
    if (!(c->label = strdup(y->label && *y->label ? y->label : c->id)))
        return PL_ERR_NOMEM;
    const char *d = y->deadline;
    if (!d || pl_date_parse(d, strlen(d), deadline, NULL) != PL_OK)
        *deadline = -1;

    char *path = join(dir, "rated.csv");
    if (!path)
        return PL_ERR_NOMEM;
    FILE *fp = fopen(path, "r");
    if (!fp) {
        pl_diag_report(diag, path, 0, 0, "E_UNREADABLE", "无法打开：%s", strerror(errno));
        free(path);
        return PL_ERR_OPEN;
    }
    struct pl_rank_stats stats;
    enum pl_status st = pl_rank_read(fp, path, &c->g, diag, &stats);
    fclose(fp);
    free(path);
    *rejected += stats.rejected;
    if (st == PL_OK)
        st = pl_rank_assign(&c->g, a->rules);
    static const char *const rated_need[] = {"task_id", "progress", "colour", "flags"};
    static const char *const leader_need[] = {"leader", "tasks", "blue", "yellow", "red"};
    if (st == PL_OK)
        st = read_table(dir, "rated.csv", &c->rated, rated_need, 4, diag);
    if (st == PL_OK)
        st = read_table(dir, "rated-leaders.csv", &c->leaders, leader_need, 5, diag);
    if (st == PL_OK)
        st = index_units(&c->g, &c->unit_at);
    if (st == PL_OK)
        st = index_rows(&c->rated, pl_table_column(&c->rated, "task_id"), &c->task_row,
                        &c->next_row);
    return st;
}

enum pl_status pl_annual_load(struct pl_annual **out, const struct pl_annual_options *opt,
                              unsigned long *rejected, struct pl_diag *diag)
{
    *out = NULL;
    unsigned long dropped = 0;
    if (!opt->ncycles) {
        pl_diag_report(diag, NULL, 0, 0, "E_USAGE", "没有给出任何报送周期的输出目录");
        return PL_ERR_USAGE;
    }
    struct pl_annual *a = calloc(1, sizeof *a);
    if (!a || !(a->c = calloc(opt->ncycles, sizeof *a->c))) {
        free(a);
        return PL_ERR_NOMEM;
    }
    a->rules = opt->rules;
    pl_ranking_init(&a->year);
    pl_strmap_init(&a->short_at);
    /* The calendar as every program reads it (catalog.c): a row cut short, a bad date or id
     * is told there cell by cell. */
    struct pl_catalog calendar;
    pl_catalog_init(&calendar);
    enum pl_status st = pl_catalog_read_cycles(&calendar, opt->catalog, diag);
    static const char *const task_need[] = {"id", "title", "leaders"};
    if (st == PL_OK)
        st = read_table(opt->catalog, "tasks.csv", &a->tasks, task_need, 3, diag);
    if (st == PL_OK) {
        /* units.csv only gives the short names: without it, units go by their full names. */
        char *units = join(opt->catalog, "units.csv");
        if (!units)
            st = PL_ERR_NOMEM;
        else if (access(units, F_OK) == 0 && pl_table_read(units, &a->units, diag) != PL_OK)
            pl_table_free(&a->units);
        free(units);
        int nc = pl_table_column(&a->units, "name");
        for (size_t i = 0; st == PL_OK && nc >= 0 && i < a->units.nrows; i++) {
            const char *name = pl_table_get(&a->units, i, nc);
            size_t *at;
            bool added;
            st = pl_strmap_put(&a->short_at, name, strlen(name), i, &at, &added);
        }
    }
    if (st == PL_ERR_DATA)
        st = PL_ERR_CONFIG; /* the catalog's columns are configuration */
    long deadline = -1;
    for (size_t i = 0; st == PL_OK && i < opt->ncycles; i++) {
        struct cycle *c = &a->c[a->n++];
        pl_ranking_init(&c->g);
        pl_strmap_init(&c->unit_at);
        pl_strmap_init(&c->task_row);
        if (!(c->id = base_name(opt->cycle_dirs[i]))) {
            st = PL_ERR_NOMEM;
            break;
        }
        for (size_t j = 0; j + 1 < a->n; j++)
            if (strcmp(a->c[j].id, c->id) == 0) {
                pl_diag_report(diag, opt->cycle_dirs[i], 0, 0, "E_USAGE", "报送周期“%s”给出了两次",
                               c->id);
                st = PL_ERR_USAGE;
            }
        if (st == PL_OK)
            st = read_cycle(a, c, opt->cycle_dirs[i], &calendar, &dropped, diag, &deadline);
    }
    if (st == PL_OK) {
        /* The year is the last cycle's: the year of its deadline. */
        int y = 0, m, d;
        if (deadline >= 0)
            pl_date_to_civil(deadline, &y, &m, &d);
        snprintf(a->year_label, sizeof a->year_label, "%d年度", y);
        if (!y)
            snprintf(a->year_label, sizeof a->year_label, "全年");
        a->created = opt->created >= 0 ? opt->created : deadline >= 0 ? deadline * 86400LL : 0;
    }
    struct pl_ranking *rankings = NULL;
    if (st == PL_OK && !(rankings = calloc(a->n, sizeof *rankings)))
        st = PL_ERR_NOMEM;
    for (size_t i = 0; st == PL_OK && i < a->n; i++)
        rankings[i] = a->c[i].g; /* shallow: borrowed for the call */
    if (st == PL_OK)
        st = pl_annual_assess(rankings, a->n, a->rules, &a->year);
    free(rankings);
    pl_catalog_fini(&calendar);
    if (rejected)
        *rejected = dropped;
    if (st != PL_OK) {
        pl_annual_free(a);
        return st;
    }
    *out = a;
    return PL_OK;
}

enum pl_status pl_annual_write_ranks(const struct pl_annual *a, struct pl_csv_writer *w)
{
    return pl_rank_write(&a->year, w);
}

/* ---- history.xlsx ---------------------------------------------------------------------- */

static const char *const colour_word[PL_COLOUR_COUNT] = {"蓝", "黄", "红"};
static const enum pl_xlsx_style colour_style[PL_COLOUR_COUNT] = {PL_XS_BLUE, PL_XS_YELLOW,
                                                                 PL_XS_RED};

/* The unit's official short name (units.csv short), as the summary names units; else NAME. */
static const char *short_name(const struct pl_annual *a, const char *name)
{
    int sc = pl_table_column(&a->units, "short");
    const size_t *i = sc >= 0 ? pl_strmap_get(&a->short_at, name, strlen(name)) : NULL;
    if (!i)
        return name;
    const char *s = pl_table_get(&a->units, *i, sc);
    return *s ? s : name;
}

/* "5", "0.5": a rule's number as the office wrote it. */
static const char *num(struct pl_buf *b, double v)
{
    pl_buf_clear(b);
    pl_field_format_number(b, v);
    return b->data ? b->data : "";
}

/* A cycle's columns: wide enough for its label on one line (2023年上半年), within reason. */
static double cycle_width(const char *label)
{
    double w = (double)pl_xlsx_text_width(label) + 1;
    return w < 8 ? 8 : w > 14 ? 14 : w;
}

/* Two header cells per cycle from column FIXED on (label, then FIRST or SECOND on a line of
 * its own), with their widths; returns the header's line count, at least LINES. T is scratch. */
static unsigned cycle_headers(struct pl_xlsx_sheet *sh, unsigned head, unsigned fixed,
                              const struct pl_annual *a, const char *first, const char *second,
                              struct pl_buf *t, unsigned lines)
{
    for (size_t k = 0; k < a->n; k++) {
        unsigned c = fixed + 2 * (unsigned)k;
        double w = cycle_width(a->c[k].label);
        const char *word[2] = {first, second};
        for (unsigned j = 0; j < 2; j++) {
            pl_buf_clear(t);
            pl_buf_printf(t, "%s\n%s", a->c[k].label, word[j]);
            pl_xlsx_text(sh, head, c + j, t->data, PL_XS_HEADER);
            pl_xlsx_column_width(sh, c + j, w);
        }
        unsigned n = pl_xlsx_lines(t->data, w);
        lines = n > lines ? n : lines;
    }
    return lines;
}

static enum pl_status write_ranking_sheet(const struct pl_annual *a, struct pl_xlsx_sheet *sh)
{
    const struct pl_rules *r = a->rules;
    const struct cycle *last = &a->c[a->n - 1];
    const unsigned head = 2, fixed = 4, ncols = fixed + 2 * (unsigned)a->n + 3;
    struct pl_buf t, n1, n2, n3, n4;
    pl_buf_init(&t);
    pl_buf_init(&n1);
    pl_buf_init(&n2);
    pl_buf_init(&n3);
    pl_buf_init(&n4);
    pl_buf_printf(&t, "%s单位考核排名", a->year_label);
    pl_xlsx_row_height(sh, 0, 30);
    pl_xlsx_merge_text(sh, 0, 0, ncols - 1, t.data, PL_XS_TITLE);
    pl_buf_clear(&t);
    if (a->n == 1 || r->annual_last_weight >= 1)
        pl_buf_printf(&t, "年度得分＝%s得分（未扣逾期、未报送、报送有误分）", last->label);
    else
        pl_buf_printf(&t,
                      "年度得分＝各周期得分（未扣逾期、未报送、报送有误分）加权平均（%s占%s，"
                      "其余周期平分%s）",
                      last->label, num(&n1, r->annual_last_weight),
                      num(&n2, 1 - r->annual_last_weight));
    pl_buf_printf(&t,
                  "－全年逾期数×%s－未报送数×%s－报送有误数×%s；按分组排名，并列者同名次；"
                  "较末期：与%s名次相比（↑上升、↓下降、—持平、新为末期未排名）",
                  num(&n1, r->annual_late_deduction), num(&n2, r->annual_missing_deduction),
                  num(&n3, r->annual_returned_deduction), last->label);
    pl_xlsx_row_height(sh, 1, pl_xlsx_lines_height(2));
    pl_xlsx_merge_text(sh, 1, 0, ncols - 1, t.data, PL_XS_NOTE);
    unsigned head_lines = 2;
    static const char *const fixed_head[] = {"年度名次", "单位", "年度得分", "较末期"};
    static const double fixed_width[] = {7, 22, 8, 7};
    for (unsigned c = 0; c < fixed; c++) {
        pl_xlsx_text(sh, head, c, fixed_head[c], PL_XS_HEADER);
        pl_xlsx_column_width(sh, c, fixed_width[c]);
    }
    head_lines = cycle_headers(sh, head, fixed, a, "得分", "名次", &t, head_lines);
    static const char *const tail_head[] = {"全年逾期", "全年未报送", "全年报送有误"};
    for (unsigned c = 0; c < 3; c++) {
        pl_xlsx_text(sh, head, ncols - 3 + c, tail_head[c], PL_XS_HEADER);
        pl_xlsx_column_width(sh, ncols - 3 + c, 8);
    }
    pl_xlsx_row_height(sh, head, pl_xlsx_lines_height(head_lines));
    unsigned row = head + 1;
    struct pl_buf move;
    pl_buf_init(&move);
    enum pl_status st = PL_OK;
    for (size_t i = 0; st == PL_OK && i < a->year.n; i++) {
        const struct pl_rank_unit *u = &a->year.units[i];
        if (i == 0 || strcmp(u->group, a->year.units[i - 1].group) != 0) {
            size_t members = 0;
            for (size_t j = i; j < a->year.n && strcmp(a->year.units[j].group, u->group) == 0; j++)
                members++;
            pl_buf_clear(&t);
            pl_buf_printf(&t, "%s（%zu个单位%s）", *u->group ? u->group : "未分组", members,
                          u->rank ? "" : "，不排名");
            pl_xlsx_merge_text(sh, row++, 0, ncols - 1, t.data, PL_XS_GROUP);
        }
        if (u->rank)
            pl_xlsx_number(sh, row, 0, (double)u->rank, PL_XS_INT);
        else
            pl_xlsx_blank(sh, row, 0, PL_XS_INT);
        pl_xlsx_text(sh, row, 1, short_name(a, u->unit), PL_XS_TEXT);
        pl_xlsx_number(sh, row, 2, strtod(u->score, NULL), PL_XS_SCORE);
        pl_buf_clear(&move);
        st = pl_rank_move(a->year.have_previous, u, &move);
        pl_xlsx_text(sh, row, 3, move.data ? move.data : "", PL_XS_CENTER);
        for (size_t k = 0; k < a->n; k++) {
            unsigned c = fixed + 2 * (unsigned)k;
            const struct pl_rank_unit *cu = find_unit(&a->c[k].g, &a->c[k].unit_at, u->unit);
            if (cu)
                pl_xlsx_number(sh, row, c, strtod(cu->score, NULL), PL_XS_SCORE);
            else
                pl_xlsx_text(sh, row, c, "—", PL_XS_CENTER); /* nothing demanded then */
            if (cu && cu->rank)
                pl_xlsx_number(sh, row, c + 1, (double)cu->rank, PL_XS_INT);
            else
                pl_xlsx_blank(sh, row, c + 1, PL_XS_INT);
        }
        pl_xlsx_number(sh, row, ncols - 3, (double)u->late, PL_XS_INT);
        pl_xlsx_number(sh, row, ncols - 2, (double)u->missing, PL_XS_INT);
        pl_xlsx_number(sh, row, ncols - 1, (double)u->returned, PL_XS_INT);
        row++;
    }
    pl_xlsx_freeze(sh, head + 1, 2);
    pl_buf_clear(&t);
    pl_buf_printf(&t, "%s单位考核排名", a->year_label);
    pl_xlsx_print_setup(sh, true, head, head, t.data);
    pl_buf_fini(&move);
    pl_buf_fini(&t);
    pl_buf_fini(&n1);
    pl_buf_fini(&n2);
    pl_buf_fini(&n3);
    pl_buf_fini(&n4);
    return st;
}

/* A task in one cycle: its lowest host progress and its worst host colour. */
struct task_cell {
    double progress; /* NAN: no host gave one */
    int colour;      /* -1: no rows (the task was not demanded in the cycle) */
};

static void task_cells(const struct cycle *c, const char *task, struct task_cell *out)
{
    out->progress = NAN;
    out->colour = -1;
    const struct pl_table *t = &c->rated;
    int pr = pl_table_column(t, "progress"), co = pl_table_column(t, "colour"),
        fl = pl_table_column(t, "flags");
    const size_t *first = pl_strmap_get(&c->task_row, task, strlen(task));
    for (size_t i = first ? *first : SIZE_MAX; i != SIZE_MAX; i = c->next_row[i]) {
        if (strstr(pl_table_get(t, i, fl), "W_NOT_DEMANDED"))
            continue;
        enum pl_colour colour;
        if (pl_colour_parse(pl_table_get(t, i, co), &colour) && (int)colour > out->colour)
            out->colour = (int)colour;
        const char *p = pl_table_get(t, i, pr);
        double v;
        enum pl_field_error why;
        if (*p &&
            pl_field_parse_progress(p, strlen(p), PL_PROGRESS_SMALL_POINTS, &v, &why) == PL_OK &&
            (isnan(out->progress) || v < out->progress))
            out->progress = v;
    }
}

static enum pl_status write_tasks_sheet(const struct pl_annual *a, struct pl_xlsx_sheet *sh)
{
    const unsigned head = 2, fixed = 3, ncols = fixed + 2 * (unsigned)a->n;
    struct pl_buf t, n1;
    pl_buf_init(&t);
    pl_buf_init(&n1);
    pl_buf_printf(&t, "%s重点工作各周期推进情况", a->year_label);
    pl_xlsx_row_height(sh, 0, 30);
    pl_xlsx_merge_text(sh, 0, 0, ncols - 1, t.data, PL_XS_TITLE);
    pl_buf_clear(&t);
    const char *red = num(&n1, a->rules->red_behind);
    pl_buf_printf(&t,
                  "进度：各承办单位中最低的完成进度；颜色：最差的承办单位的颜色（蓝：达到序时"
                  "进度；黄：滞后不足%s个百分点；红：滞后%s个百分点及以上，或未报送、报送有误）；"
                  "空白：该周期未要求报送",
                  red, red);
    pl_xlsx_row_height(sh, 1, pl_xlsx_lines_height(2));
    pl_xlsx_merge_text(sh, 1, 0, ncols - 1, t.data, PL_XS_NOTE);
    unsigned head_lines = 2;
    static const char *const fixed_head[] = {"编号", "工作任务", "牵头领导"};
    static const double fixed_width[] = {7, 40, 14};
    for (unsigned c = 0; c < fixed; c++) {
        pl_xlsx_text(sh, head, c, fixed_head[c], PL_XS_HEADER);
        pl_xlsx_column_width(sh, c, fixed_width[c]);
    }
    head_lines = cycle_headers(sh, head, fixed, a, "进度", "颜色", &t, head_lines);
    pl_xlsx_row_height(sh, head, pl_xlsx_lines_height(head_lines));
    struct task_cell *cells = calloc(a->n, sizeof *cells);
    if (!cells) {
        pl_buf_fini(&t);
        pl_buf_fini(&n1);
        return PL_ERR_NOMEM;
    }
    int id = pl_table_column(&a->tasks, "id"), title = pl_table_column(&a->tasks, "title"),
        leaders = pl_table_column(&a->tasks, "leaders");
    unsigned row = head + 1;
    for (size_t i = 0; i < a->tasks.nrows; i++) {
        const char *task = pl_table_get(&a->tasks, i, id);
        bool any = false;
        for (size_t k = 0; k < a->n; k++) {
            task_cells(&a->c[k], task, &cells[k]);
            any = any || cells[k].colour >= 0;
        }
        if (!any) /* demanded from nobody all year (63, 78–81) */
            continue;
        pl_xlsx_text(sh, row, 0, task, PL_XS_CENTER);
        const char *text = pl_table_get(&a->tasks, i, title);
        pl_xlsx_text(sh, row, 1, text, PL_XS_TEXT);
        /* Leaders are |-joined in the catalog; 、 as people write them. */
        pl_buf_clear(&t);
        for (const char *p = pl_table_get(&a->tasks, i, leaders); *p; p++)
            if (*p == '|')
                pl_buf_append_str(&t, "、");
            else
                pl_buf_append_char(&t, *p);
        pl_xlsx_text(sh, row, 2, t.data ? t.data : "", PL_XS_CENTER);
        unsigned lines = pl_xlsx_lines(text, fixed_width[1]);
        unsigned ll = pl_xlsx_lines(t.data ? t.data : "", fixed_width[2]);
        pl_xlsx_row_height(sh, row, pl_xlsx_lines_height(lines > ll ? lines : ll));
        for (size_t k = 0; k < a->n; k++) {
            unsigned c = fixed + 2 * (unsigned)k;
            if (cells[k].colour < 0) {
                pl_xlsx_blank(sh, row, c, PL_XS_CENTER);
                pl_xlsx_blank(sh, row, c + 1, PL_XS_CENTER);
                continue;
            }
            if (isnan(cells[k].progress))
                pl_xlsx_text(sh, row, c, "未报送", PL_XS_CENTER);
            else
                pl_xlsx_number(sh, row, c, cells[k].progress, PL_XS_PERCENT);
            pl_xlsx_text(sh, row, c + 1, colour_word[cells[k].colour],
                         colour_style[cells[k].colour]);
        }
        row++;
    }
    free(cells);
    pl_xlsx_freeze(sh, head + 1, 2);
    pl_xlsx_autofilter(sh, head, 0, row > head + 1 ? row - 1 : head, ncols - 1);
    pl_buf_clear(&t);
    pl_buf_printf(&t, "%s重点工作各周期推进情况", a->year_label);
    pl_xlsx_print_setup(sh, true, head, head, t.data);
    pl_buf_fini(&t);
    pl_buf_fini(&n1);
    return PL_OK;
}

/* The leaders of the year, in the order they first appear in the cycles' rated-leaders. */
static enum pl_status year_leaders(const struct pl_annual *a, struct pl_strv *out)
{
    enum pl_status st = PL_OK;
    for (size_t k = 0; st == PL_OK && k < a->n; k++) {
        const struct pl_table *t = &a->c[k].leaders;
        int col = pl_table_column(t, "leader");
        for (size_t i = 0; st == PL_OK && i < t->nrows; i++) {
            const char *name = pl_table_get(t, i, col);
            if (*name && !pl_strv_contains(out, name))
                st = pl_strv_push_str(out, name);
        }
    }
    return st;
}

static enum pl_status write_leaders_sheet(const struct pl_annual *a, struct pl_xlsx_sheet *sh)
{
    struct pl_strv leaders;
    pl_strv_init(&leaders);
    enum pl_status st = year_leaders(a, &leaders);
    struct pl_buf t;
    pl_buf_init(&t);
    unsigned *breaks = calloc(leaders.n + 1, sizeof *breaks);
    if (st != PL_OK || !breaks) {
        free(breaks);
        pl_strv_fini(&leaders);
        pl_buf_fini(&t);
        return PL_ERR_NOMEM;
    }
    const unsigned ncols = 5, chart_rows = 13;
    pl_buf_printf(&t, "%s各牵头领导任务颜色变化", a->year_label);
    pl_xlsx_row_height(sh, 0, 30);
    pl_xlsx_merge_text(sh, 0, 0, ncols + 7, t.data, PL_XS_TITLE);
    pl_xlsx_merge_text(sh, 1, 0, ncols + 7,
                       "每位领导牵头的任务在各周期中蓝、黄、红的项数（任务颜色取最差的承办单位）",
                       PL_XS_NOTE);
    static const double width[] = {16, 7, 7, 7, 7};
    for (unsigned c = 0; c < ncols; c++)
        pl_xlsx_column_width(sh, c, width[c]);
    pl_xlsx_column_width(sh, ncols, 2);
    unsigned row = 3;
    size_t nbreaks = 0;
    for (size_t l = 0; l < leaders.n; l++) {
        unsigned top = row;
        /* Two leaders a printed page: a table is never cut from its chart. */
        if (l && l % 2 == 0)
            breaks[nbreaks++] = top;
        pl_xlsx_merge_text(sh, row++, 0, ncols - 1, leaders.v[l], PL_XS_GROUP);
        static const char *const h[] = {"周期", "任务（项）", "蓝", "黄", "红"};
        for (unsigned c = 0; c < ncols; c++)
            pl_xlsx_text(sh, row, c, h[c], c >= 2 ? colour_style[c - 2] : PL_XS_HEADER);
        row++;
        unsigned first = row;
        for (size_t k = 0; k < a->n; k++) {
            const struct pl_table *lt = &a->c[k].leaders;
            int lc = pl_table_column(lt, "leader");
            long at = -1;
            for (size_t i = 0; i < lt->nrows; i++)
                if (strcmp(pl_table_get(lt, i, lc), leaders.v[l]) == 0)
                    at = (long)i;
            pl_xlsx_text(sh, row, 0, a->c[k].label, PL_XS_CENTER);
            static const char *const cols[] = {"tasks", "blue", "yellow", "red"};
            for (unsigned c = 0; c < 4; c++) {
                const char *v =
                    at >= 0 ? pl_table_get(lt, (size_t)at, pl_table_column(lt, cols[c])) : "0";
                pl_xlsx_number(sh, row, 1 + c, strtod(v, NULL), PL_XS_INT);
            }
            row++;
        }
        static const unsigned value_col[] = {2, 3, 4};
        static const char *const names[] = {"蓝", "黄", "红"};
        static const unsigned colours[] = {PL_XLSX_BLUE, PL_XLSX_YELLOW, PL_XLSX_RED};
        pl_buf_clear(&t);
        pl_buf_printf(&t, "%s牵头任务颜色变化（项）", leaders.v[l]);
        pl_xlsx_line_chart(sh, top, ncols + 1, sh, first, row - 1, 0, value_col, names, colours, 3,
                           t.data, 500, 240);
        row = top + (row - top > chart_rows ? row - top : chart_rows) + 1;
    }
    pl_buf_clear(&t);
    pl_buf_printf(&t, "%s各牵头领导任务颜色变化", a->year_label);
    pl_xlsx_print_setup(sh, true, 0, 1, t.data);
    pl_xlsx_page_breaks(sh, breaks, nbreaks, 90);
    free(breaks);
    pl_strv_fini(&leaders);
    pl_buf_fini(&t);
    return PL_OK;
}

enum pl_status pl_annual_write_history(const struct pl_annual *a, const char *path,
                                       struct pl_diag *diag)
{
    struct pl_buf title;
    pl_buf_init(&title);
    enum pl_status st = pl_buf_printf(&title, "%s督查考核历史", a->year_label);
    struct pl_xlsx_props props = {
        .title = title.data,
        .subject = a->year_label,
        .author = "县政府督查室",
        .keywords = "重点工作,督查,年度考核,蓝黄红",
        .created = a->created,
    };
    struct pl_xlsx *x = NULL;
    if (st == PL_OK)
        st = pl_xlsx_open(&x, path, &props, diag);
    if (st != PL_OK) {
        pl_buf_fini(&title);
        return st;
    }
    struct pl_xlsx_sheet *ranks = pl_xlsx_add_sheet(x, "年度排名");
    struct pl_xlsx_sheet *tasks = pl_xlsx_add_sheet(x, "任务进展");
    struct pl_xlsx_sheet *leaders = pl_xlsx_add_sheet(x, "领导趋势");
    if (leaders && ((st = write_ranking_sheet(a, ranks)) != PL_OK ||
                    (st = write_tasks_sheet(a, tasks)) != PL_OK ||
                    (st = write_leaders_sheet(a, leaders)) != PL_OK)) {
        pl_xlsx_discard(x);
        pl_buf_fini(&title);
        return st;
    }
    pl_buf_fini(&title);
    return pl_xlsx_close(x);
}
