/* summary — the summary and leader workbooks: what goes where. */
#include "summary.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"
#include "safename.h"
#include "catalog.h"
#include "strmap.h"
#include "table.h"
#include "xlsx.h"

enum colour { C_NONE, C_BLUE, C_YELLOW, C_RED };

/* The rated columns the sheets show; the first ones are required. */
enum rated_col {
    R_TASK_ID,
    R_UNIT,
    R_GROUP,
    R_OWNER,
    R_PROGRESS,
    R_STATUS,
    R_NARRATIVE,
    R_PROBLEMS,
    R_NEXT_STEPS,
    R_REPORTED_ON,
    R_LATE,
    R_MISSING,
    R_EXPECTED,
    R_COLOUR,
    R_ARROW,
    R_REQUIRED,
    R_CYCLE = R_REQUIRED,
    R_REASON,
    R_FLAGS,
    R_COUNT
};
static const char *const rated_names[R_COUNT] = {
    "task_id",   "unit",     "group",      "owner",       "progress", "status",
    "narrative", "problems", "next_steps", "reported_on", "late",     "missing",
    "expected",  "colour",   "arrow",      "cycle",       "reason",   "flags",
};

enum ranks_col {
    K_UNIT,
    K_GROUP,
    K_TASKS,
    K_BLUE,
    K_YELLOW,
    K_RED,
    K_MISSING,
    K_LATE,
    K_SCORE,
    K_RANK,
    K_PREV_RANK,
    K_MOVE,
    K_RETURNED, /* optional: ranks written before 报送有误 was counted apart */
    K_COUNT
};
static const char *const ranks_names[K_COUNT] = {
    "unit",    "group", "tasks", "blue", "yellow",    "red",
    "missing", "late",  "score", "rank", "prev_rank", "move", "returned",
};

struct name_index {
    const char *name;
    size_t i;
};

struct task {
    const char *id, *kind, *title, *text;
    char **leaders;
    size_t nleaders;
    char **hosts;
    size_t nhosts;
    struct name_index *host_by_name; /* hosts sorted: a province's task has thousands */
    bool shared; /* led by a collective leader */
    bool livelihood;
};

struct row {
    size_t r;     /* the rated row */
    long task;    /* index into tasks, or -1 */
    size_t order; /* the task's place in the catalog (unknown tasks after) */
    size_t host;  /* the unit's place among the task's hosts */
    size_t unit;  /* the unit's place in units.csv */
    enum colour colour;
    bool late, missing;
    bool returned; /* 报送有误 (merged missing=2); missing is set too */
    bool not_demanded; /* a report on a task demanded from nobody: shown, never counted */
};

struct pl_summary {
    struct pl_table tasks, units, cycles, document, rated, ranks;
    int rc[R_COUNT], kc[K_COUNT];
    struct task *task;
    size_t ntasks;
    struct name_index *task_by_id, *unit_by_name;
    size_t nunits;
    int short_col; /* units.csv's column of official short names, or -1 */
    struct row *row;
    size_t nrows;
    char **leaders; /* every leader of the catalog, in order of first appearance */
    size_t nleaders;
    char *label, *deadline, *expected, *issuer;
    long long created;
};

/* ---- small helpers ----------------------------------------------------------------------- */

static int cmp_name_index(const void *a, const void *b)
{
    const struct name_index *x = a, *y = b;
    int c = strcmp(x->name, y->name);
    return c ? c : (x->i > y->i) - (x->i < y->i);
}

/* The index of NAME in an array sorted by cmp_name_index, or -1. The first of equal names. */
static long lookup(const struct name_index *idx, size_t n, const char *name)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (strcmp(idx[mid].name, name) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && strcmp(idx[lo].name, name) == 0 ? (long)idx[lo].i : -1;
}

/* Splits a |-joined list into fresh strings; empty items are dropped. */
static enum pl_status split_list(const char *s, char ***out, size_t *n)
{
    *out = NULL;
    *n = 0;
    size_t cap = 1;
    for (const char *p = s; *p; p++)
        cap += *p == '|';
    char **items = calloc(cap, sizeof *items);
    if (!items)
        return PL_ERR_NOMEM;
    const char *p = s;
    for (;;) {
        const char *bar = strchr(p, '|');
        size_t len = bar ? (size_t)(bar - p) : strlen(p);
        while (len && p[0] == ' ')
            p++, len--;
        while (len && p[len - 1] == ' ')
            len--;
        if (len) {
            if (!(items[*n] = strndup(p, len))) {
                for (size_t i = 0; i < *n; i++)
                    free(items[i]);
                free(items);
                *n = 0;
                return PL_ERR_NOMEM;
            }
            (*n)++;
        }
        if (!bar)
            break;
        p = bar + 1;
    }
    *out = items;
    return PL_OK;
}

static void free_list(char **items, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(items[i]);
    free(items);
}

/* True when S is a whole finite number; *V gets it. */
static bool number(const char *s, double *v)
{
    if (!*s)
        return false;
    char *end;
    errno = 0;
    double d = strtod(s, &end);
    if (*end || errno || !isfinite(d))
        return false;
    *v = d;
    return true;
}

/* True when S is an ISO date YYYY-MM-DD; sets the parts. */
static bool iso_date(const char *s, int *y, int *m, int *d)
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return false;
    *y = atoi(s);
    *m = atoi(s + 5);
    *d = atoi(s + 8);
    static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (*m < 1 || *m > 12 || *d < 1 || *d > days[*m - 1] || *y < 1900)
        return false;
    bool leap = (*y % 4 == 0 && *y % 100 != 0) || *y % 400 == 0;
    return !(*m == 2 && *d == 29 && !leap);
}

/* Seconds since the epoch at 00:00 UTC of Y-M-D (days from civil, proleptic Gregorian). */
static long long epoch_of(int y, int m, int d)
{
    y -= m <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    long long yoe = y - era * 400;
    long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (era * 146097 + doe - 719468) * 86400;
}

static enum colour colour_of(const char *s)
{
    if (!strcmp(s, "blue") || !strcmp(s, "蓝"))
        return C_BLUE;
    if (!strcmp(s, "yellow") || !strcmp(s, "黄"))
        return C_YELLOW;
    if (!strcmp(s, "red") || !strcmp(s, "红"))
        return C_RED;
    return C_NONE;
}

static const char *arrow_of(const char *s)
{
    if (!strcmp(s, "up"))
        return "↑";
    if (!strcmp(s, "down"))
        return "↓";
    if (!strcmp(s, "same"))
        return "→";
    if (!strcmp(s, "new"))
        return "新";
    return s;
}

int pl_summary_leader_is_collective(const char *name)
{
    return strncmp(name, "各位", strlen("各位")) == 0;
}

/* ---- loading ----------------------------------------------------------------------------- */

static enum pl_status read_catalog_file(const char *dir, const char *file, bool optional,
                                        struct pl_table *t, struct pl_diag *diag)
{
    struct pl_buf path;
    pl_buf_init(&path);
    enum pl_status st = pl_buf_printf(&path, "%s/%s", dir, file);
    if (st == PL_OK && optional && access(path.data, F_OK) != 0) {
        pl_buf_fini(&path);
        return PL_OK; /* T stays empty */
    }
    if (st == PL_OK)
        st = pl_catalog_read_table(dir, file, t, diag); /* names resolved as everywhere */
    pl_buf_fini(&path);
    /* A catalog that is there but malformed is a configuration error. */
    return st == PL_ERR_DATA || st == PL_ERR_ENCODING ? PL_ERR_CONFIG : st;
}

static enum pl_status load_tasks(struct pl_summary *s, struct pl_diag *diag)
{
    static const char *const need[] = {"id", "kind", "title", "text", "leaders", "hosts"};
    if (pl_table_require(&s->tasks, need, 6, diag) != PL_OK)
        return PL_ERR_CONFIG;
    int c[6];
    for (int i = 0; i < 6; i++)
        c[i] = pl_table_column(&s->tasks, need[i]);
    s->ntasks = s->tasks.nrows;
    s->task = calloc(s->ntasks ? s->ntasks : 1, sizeof *s->task);
    s->task_by_id = calloc(s->ntasks ? s->ntasks : 1, sizeof *s->task_by_id);
    if (!s->task || !s->task_by_id)
        return PL_ERR_NOMEM;
    for (size_t i = 0; i < s->ntasks; i++) {
        struct task *t = &s->task[i];
        t->id = pl_table_get(&s->tasks, i, c[0]);
        t->kind = pl_table_get(&s->tasks, i, c[1]);
        t->title = pl_table_get(&s->tasks, i, c[2]);
        t->text = pl_table_get(&s->tasks, i, c[3]);
        t->livelihood = !strcmp(t->kind, "livelihood");
        if (split_list(pl_table_get(&s->tasks, i, c[4]), &t->leaders, &t->nleaders) != PL_OK ||
            split_list(pl_table_get(&s->tasks, i, c[5]), &t->hosts, &t->nhosts) != PL_OK)
            return PL_ERR_NOMEM;
        if (!(t->host_by_name = calloc(t->nhosts ? t->nhosts : 1, sizeof *t->host_by_name)))
            return PL_ERR_NOMEM;
        for (size_t h = 0; h < t->nhosts; h++)
            t->host_by_name[h] = (struct name_index){t->hosts[h], h};
        qsort(t->host_by_name, t->nhosts, sizeof *t->host_by_name, cmp_name_index);
        for (size_t j = 0; j < t->nleaders; j++) {
            if (pl_summary_leader_is_collective(t->leaders[j])) {
                t->shared = true;
                continue;
            }
            size_t k = 0;
            while (k < s->nleaders && strcmp(s->leaders[k], t->leaders[j]))
                k++;
            if (k < s->nleaders)
                continue;
            char **grown = realloc(s->leaders, (s->nleaders + 1) * sizeof *grown);
            if (!grown)
                return PL_ERR_NOMEM;
            s->leaders = grown;
            if (!(s->leaders[s->nleaders] = strdup(t->leaders[j])))
                return PL_ERR_NOMEM;
            s->nleaders++;
        }
        s->task_by_id[i] = (struct name_index){t->id, i};
    }
    qsort(s->task_by_id, s->ntasks, sizeof *s->task_by_id, cmp_name_index);
    for (size_t i = 1; i < s->ntasks; i++)
        if (!strcmp(s->task_by_id[i].name, s->task_by_id[i - 1].name))
            pl_diag_report(diag, s->tasks.source, s->tasks.lines[s->task_by_id[i].i], 0,
                           "W_DUPLICATE_TASK", "任务编号“%s”重复，按第一次出现的一行显示",
                           s->task_by_id[i].name);
    return PL_OK;
}

static enum pl_status load_units(struct pl_summary *s)
{
    int c = pl_table_column(&s->units, "name");
    s->nunits = c < 0 ? 0 : s->units.nrows;
    s->short_col = pl_table_column(&s->units, "short");
    s->unit_by_name = calloc(s->nunits ? s->nunits : 1, sizeof *s->unit_by_name);
    if (!s->unit_by_name)
        return PL_ERR_NOMEM;
    for (size_t i = 0; i < s->nunits; i++)
        s->unit_by_name[i] = (struct name_index){pl_table_get(&s->units, i, c), i};
    qsort(s->unit_by_name, s->nunits, sizeof *s->unit_by_name, cmp_name_index);
    return PL_OK;
}

/* Works out the cycle and takes its label, deadline and expected progress. */
static enum pl_status load_cycle(struct pl_summary *s, const char *want, struct pl_diag *diag)
{
    static const char *const need[] = {"id", "label", "deadline", "expected"};
    if (pl_table_require(&s->cycles, need, 4, diag) != PL_OK)
        return PL_ERR_CONFIG;
    int ci = pl_table_column(&s->cycles, "id"), cl = pl_table_column(&s->cycles, "label"),
        cd = pl_table_column(&s->cycles, "deadline"), ce = pl_table_column(&s->cycles, "expected");
    const char *id = want;
    if (!id || !*id) {
        for (size_t i = 0; i < s->rated.nrows && (!id || !*id); i++)
            id = pl_table_get(&s->rated, i, s->rc[R_CYCLE]);
    }
    long found = -1;
    if (id && *id) {
        for (size_t i = 0; i < s->cycles.nrows && found < 0; i++)
            if (!strcmp(pl_table_get(&s->cycles, i, ci), id))
                found = (long)i;
        if (found < 0) {
            pl_diag_report(diag, s->cycles.source, 0, 0, "E_UNKNOWN_CYCLE", "周期“%s”不在周期表中",
                           id);
            return PL_ERR_CONFIG;
        }
    } else {
        /* No cycle named: the one cycle whose expected progress the rows carry. */
        const char *expected = s->rated.nrows ? pl_table_get(&s->rated, 0, s->rc[R_EXPECTED]) : "";
        double e, ce_v;
        size_t matches = 0;
        for (size_t i = 0; i < s->cycles.nrows; i++)
            if (number(expected, &e) && number(pl_table_get(&s->cycles, i, ce), &ce_v) &&
                e == ce_v) {
                found = (long)i;
                matches++;
            }
        if (s->cycles.nrows == 1)
            found = 0, matches = 1;
        if (matches != 1) {
            pl_diag_report(diag, s->rated.source, 0, 0, "E_NO_CYCLE",
                           "无法确定周期：评定结果中没有cycle列，请用 --cycle 指定");
            return PL_ERR_USAGE;
        }
    }
    /* A cycle on some tasks (cycles.csv tasks) says so wherever its label is: every title
     * of the workbooks reads 2023年第27周专题调度（本期调度重点工作第3、17、45项）. */
    struct pl_buf label;
    pl_buf_init(&label);
    enum pl_status st = pl_buf_append_str(&label, pl_table_get(&s->cycles, (size_t)found, cl));
    size_t plain = label.len;
    if (st == PL_OK)
        st = pl_buf_append_str(&label, "（本期调度");
    if (st == PL_OK)
        st = pl_catalog_table_scope(
            &s->tasks,
            pl_table_get(&s->cycles, (size_t)found, pl_table_column(&s->cycles, "tasks")), &label);
    if (st == PL_OK && label.len == plain + strlen("（本期调度"))
        label.len = plain; /* every task: the label as it is */
    else if (st == PL_OK)
        st = pl_buf_append_str(&label, "）");
    if (st == PL_OK && label.data)
        label.data[label.len] = '\0';
    s->label = st == PL_OK ? pl_buf_take(&label) : NULL;
    pl_buf_fini(&label);
    if (!s->label || !(s->deadline = strdup(pl_table_get(&s->cycles, (size_t)found, cd))) ||
        !(s->expected = strdup(pl_table_get(&s->cycles, (size_t)found, ce))))
        return PL_ERR_NOMEM;
    return PL_OK;
}

static int cmp_row(const void *a, const void *b)
{
    const struct row *x = a, *y = b;
    if (x->order != y->order)
        return x->order < y->order ? -1 : 1;
    if (x->host != y->host)
        return x->host < y->host ? -1 : 1;
    if (x->unit != y->unit)
        return x->unit < y->unit ? -1 : 1;
    return (x->r > y->r) - (x->r < y->r);
}

static enum pl_status load_rows(struct pl_summary *s, struct pl_diag *diag)
{
    s->nrows = s->rated.nrows;
    s->row = calloc(s->nrows ? s->nrows : 1, sizeof *s->row);
    if (!s->row)
        return PL_ERR_NOMEM;
    /* Unknown tasks go after the catalog's, in order of their ids as first seen. */
    const char *last_unknown = NULL;
    size_t unknown_order = s->ntasks;
    /* A wrong colour is reported once per spelling, not once per row. */
    const char *bad[8];
    size_t nbad = 0;
    for (size_t i = 0; i < s->nrows; i++) {
        struct row *r = &s->row[i];
        const char *id = pl_table_get(&s->rated, i, s->rc[R_TASK_ID]);
        const char *unit = pl_table_get(&s->rated, i, s->rc[R_UNIT]);
        const char *colour = pl_table_get(&s->rated, i, s->rc[R_COLOUR]);
        r->r = i;
        r->task = lookup(s->task_by_id, s->ntasks, id);
        if (r->task >= 0) {
            r->order = (size_t)r->task;
            const struct task *t = &s->task[r->task];
            long h = lookup(t->host_by_name, t->nhosts, unit);
            r->host = h >= 0 ? (size_t)h : t->nhosts;
        } else {
            if (!last_unknown || strcmp(last_unknown, id)) {
                pl_diag_report(diag, s->rated.source, s->rated.lines[i], 0, "W_UNKNOWN_TASK",
                               "任务编号“%s”不在任务表中：列在总表末尾，不计入领导的清单", id);
                last_unknown = id;
                unknown_order++;
            }
            r->order = unknown_order;
        }
        long u = lookup(s->unit_by_name, s->nunits, unit);
        r->unit = u >= 0 ? (size_t)u : s->nunits;
        r->colour = colour_of(colour);
        if (r->colour == C_NONE && *colour) {
            size_t k = 0;
            while (k < nbad && strcmp(bad[k], colour))
                k++;
            if (k == nbad && nbad < 8) {
                bad[nbad++] = colour;
                pl_diag_report(diag, s->rated.source, s->rated.lines[i], 0, "W_BAD_COLOUR",
                               "颜色“%s”不是blue、yellow或red：原样显示，不计入统计（同样的值"
                               "只报告第一处）",
                               colour);
            }
        }
        r->late = !strcmp(pl_table_get(&s->rated, i, s->rc[R_LATE]), "1");
        const char *m = pl_table_get(&s->rated, i, s->rc[R_MISSING]);
        r->returned = !strcmp(m, "2");
        r->missing = r->returned || !strcmp(m, "1");
        r->not_demanded = strstr(pl_table_get(&s->rated, i, s->rc[R_FLAGS]), "W_NOT_DEMANDED");
    }
    qsort(s->row, s->nrows, sizeof *s->row, cmp_row);
    return PL_OK;
}

enum pl_status pl_summary_load(struct pl_summary **out, const struct pl_summary_options *opt,
                               struct pl_diag *diag)
{
    *out = NULL;
    struct pl_summary *s = calloc(1, sizeof *s);
    if (!s)
        return PL_ERR_NOMEM;
    enum pl_status st;
    if ((st = read_catalog_file(opt->catalog, "tasks.csv", false, &s->tasks, diag)) != PL_OK ||
        (st = read_catalog_file(opt->catalog, "cycles.csv", false, &s->cycles, diag)) != PL_OK ||
        (st = read_catalog_file(opt->catalog, "units.csv", true, &s->units, diag)) != PL_OK ||
        (st = read_catalog_file(opt->catalog, "document.csv", true, &s->document, diag)) != PL_OK)
        goto fail;
    if ((st = pl_table_read(opt->rated, &s->rated, diag)) != PL_OK ||
        (st = pl_table_read(opt->ranks, &s->ranks, diag)) != PL_OK)
        goto fail;
    if ((st = pl_table_require(&s->rated, rated_names, R_REQUIRED, diag)) != PL_OK ||
        (st = pl_table_require(&s->ranks, ranks_names, K_RETURNED, diag)) != PL_OK)
        goto fail;
    for (int c = 0; c < R_COUNT; c++)
        s->rc[c] = pl_table_column(&s->rated, rated_names[c]);
    for (int c = 0; c < K_COUNT; c++)
        s->kc[c] = pl_table_column(&s->ranks, ranks_names[c]);
    if ((st = load_tasks(s, diag)) != PL_OK || (st = load_units(s)) != PL_OK ||
        (st = load_cycle(s, opt->cycle, diag)) != PL_OK || (st = load_rows(s, diag)) != PL_OK)
        goto fail;
    if (!*s->expected) {
        /* A blank expected in cycles.csv is the share of the year elapsed at the deadline,
         * which ducha-rate worked out: the rows carry it, a task with a due date of its own
         * more, so the cycle's is the least of them (26 for a quarter due 2023-04-05). */
        double least = 0, v;
        bool any = false;
        for (size_t i = 0; i < s->rated.nrows; i++)
            if (number(pl_table_get(&s->rated, i, s->rc[R_EXPECTED]), &v) && (!any || v < least)) {
                least = v;
                any = true;
            }
        if (any) {
            struct pl_buf e;
            pl_buf_init(&e);
            char *text = pl_buf_printf(&e, "%g", least) == PL_OK ? pl_buf_take(&e) : NULL;
            pl_buf_fini(&e);
            if (!text) {
                st = PL_ERR_NOMEM;
                goto fail;
            }
            free(s->expected);
            s->expected = text;
        }
    }
    int kk = pl_table_column(&s->document, "key"), kv = pl_table_column(&s->document, "value");
    for (size_t i = 0; kk >= 0 && i < s->document.nrows; i++)
        if (!strcmp(pl_table_get(&s->document, i, kk), "issuer") &&
            !(s->issuer = strdup(pl_table_get(&s->document, i, kv)))) {
            st = PL_ERR_NOMEM;
            goto fail;
        }
    s->created = opt->created;
    int y, m, d;
    if (s->created < 0)
        s->created = iso_date(s->deadline, &y, &m, &d) ? epoch_of(y, m, d) : 0;
    *out = s;
    return PL_OK;
fail:
    pl_summary_free(s);
    return st;
}

size_t pl_summary_rows(const struct pl_summary *s)
{
    return s->nrows;
}

void pl_summary_free(struct pl_summary *s)
{
    if (!s)
        return;
    for (size_t i = 0; s->task && i < s->ntasks; i++) {
        free_list(s->task[i].leaders, s->task[i].nleaders);
        free_list(s->task[i].hosts, s->task[i].nhosts);
        free(s->task[i].host_by_name);
    }
    free(s->task);
    free(s->task_by_id);
    free(s->unit_by_name);
    free(s->row);
    free_list(s->leaders, s->nleaders);
    free(s->label);
    free(s->deadline);
    free(s->expected);
    free(s->issuer);
    pl_table_free(&s->tasks);
    pl_table_free(&s->units);
    pl_table_free(&s->cycles);
    pl_table_free(&s->document);
    pl_table_free(&s->rated);
    pl_table_free(&s->ranks);
    free(s);
}

/* ---- counts ------------------------------------------------------------------------------ */

struct counts {
    size_t tasks, rows, colour[4], missing, late;
    size_t returned; /* of missing, 报送有误 (sent back), not 未报送 */
};

/* Counts ROWS (indexes into s->row, N of them): distinct tasks, rows, colours. */
static void count_rows(const struct pl_summary *s, const size_t *rows, size_t n, struct counts *c)
{
    memset(c, 0, sizeof *c);
    size_t last_order = (size_t)-1;
    for (size_t i = 0; i < n; i++) {
        const struct row *r = &s->row[rows[i]];
        /* As the circular counts: a task demanded from nobody is in no count. */
        if (r->not_demanded)
            continue;
        if (r->order != last_order) /* rows are in task order */
            c->tasks++;
        last_order = r->order;
        c->rows++;
        c->colour[r->colour]++;
        c->missing += r->missing;
        c->returned += r->returned;
        c->late += r->late;
    }
}

/* The rows (indexes into s->row) for which KEEP says yes; freed by the caller. */
struct selection {
    size_t *rows;
    size_t n;
};

static bool led_by(const struct pl_summary *s, const struct row *r, const char *leader)
{
    if (r->task < 0)
        return false;
    const struct task *t = &s->task[r->task];
    if (t->shared)
        return true;
    for (size_t j = 0; j < t->nleaders; j++)
        if (!strcmp(t->leaders[j], leader))
            return true;
    return false;
}

/* WHICH: 0 every row, 1 livelihood rows, 2 the rows of LEADER (shared ones included),
 * 3 the rows of LEADER's own tasks only (for the counts by leader; LEADER may be the
 * collective one). */
static enum pl_status select_rows(const struct pl_summary *s, int which, const char *leader,
                                  struct selection *sel)
{
    sel->n = 0;
    sel->rows = malloc((s->nrows ? s->nrows : 1) * sizeof *sel->rows);
    if (!sel->rows)
        return PL_ERR_NOMEM;
    for (size_t i = 0; i < s->nrows; i++) {
        const struct row *r = &s->row[i];
        bool keep = which == 0;
        if (which == 1)
            keep = r->task >= 0 && s->task[r->task].livelihood;
        else if (which == 2)
            keep = led_by(s, r, leader);
        else if (which == 3 && r->task >= 0) {
            const struct task *t = &s->task[r->task];
            for (size_t j = 0; j < t->nleaders && !keep; j++)
                keep = !strcmp(t->leaders[j], leader);
        }
        if (keep)
            sel->rows[sel->n++] = i;
    }
    return PL_OK;
}

/* ---- the task sheets (总表, 民生实事, a leader's sheet) ------------------------------------- */

enum col_kind {
    COL_ID,
    COL_TITLE,
    COL_TEXT,
    COL_LEADERS,
    COL_UNIT,
    COL_OWNER,
    COL_PROGRESS,
    COL_EXPECTED,
    COL_STATUS,
    COL_COLOUR,
    COL_ARROW,
    COL_NARRATIVE,
    COL_PROBLEMS,
    COL_NEXT_STEPS,
    COL_DATE,
    COL_LATE,
};

struct col_spec {
    enum col_kind kind;
    const char *header;
    double min, max; /* the width's bounds, in Latin character widths */
};

static const struct col_spec main_cols[] = {
    {COL_ID, "编号", 4, 6},
    {COL_TITLE, "工作任务", 10, 18},
    {COL_LEADERS, "牵头领导", 6, 10},
    {COL_UNIT, "承办单位", 10, 16},
    {COL_OWNER, "责任人", 6, 8},
    {COL_PROGRESS, "完成进度", 5, 6},
    {COL_EXPECTED, "序时进度", 5, 6},
    {COL_STATUS, "状态", 6, 8},
    {COL_COLOUR, "颜色", 4, 4},
    {COL_ARROW, "较上期", 4, 4},
    {COL_NARRATIVE, "进展情况", 16, 32},
    {COL_PROBLEMS, "存在问题", 10, 20},
    {COL_NEXT_STEPS, "下步措施", 10, 20},
    {COL_DATE, "填报日期", 10, 10},
    {COL_LATE, "逾期", 4, 4},
};
#define MAIN_NCOLS (sizeof main_cols / sizeof main_cols[0])

static const struct col_spec livelihood_cols[] = {
    {COL_ID, "编号", 5, 6},
    {COL_TITLE, "项目名称", 10, 14},
    {COL_TEXT, "项目内容", 16, 30},
    {COL_LEADERS, "分管领导", 6, 8},
    {COL_UNIT, "承办单位", 10, 16},
    {COL_OWNER, "责任人", 6, 8},
    {COL_PROGRESS, "完成进度", 5, 6},
    {COL_EXPECTED, "序时进度", 5, 6},
    {COL_STATUS, "状态", 6, 8},
    {COL_COLOUR, "颜色", 4, 4},
    {COL_ARROW, "较上期", 4, 4},
    {COL_NARRATIVE, "进展情况", 16, 28},
    {COL_PROBLEMS, "存在问题", 10, 18},
    {COL_NEXT_STEPS, "下步措施", 10, 18},
    {COL_DATE, "填报日期", 10, 10},
    {COL_LATE, "逾期", 4, 4},
};
#define LIVELIHOOD_NCOLS (sizeof livelihood_cols / sizeof livelihood_cols[0])
#define MAX_COLS 16

static const char *const colour_word[] = {"", "蓝", "黄", "红"};
static const enum pl_xlsx_style colour_style[] = {PL_XS_CENTER, PL_XS_BLUE, PL_XS_YELLOW,
                                                  PL_XS_RED};

/* What a task sheet shows in its leader column for a shared task, in a leader's workbook. */
#define SHARED_MARK "（共同）"

/* The text of column KIND for row R, for the width estimate and for text cells; BUF is
 * scratch space for joined lists. */
static const char *cell_text(const struct pl_summary *s, const struct row *r, enum col_kind kind,
                             bool mark_shared, struct pl_buf *buf)
{
    const struct task *t = r->task >= 0 ? &s->task[r->task] : NULL;
    const struct pl_table *rt = &s->rated;
    switch (kind) {
    case COL_ID:
        return pl_table_get(rt, r->r, s->rc[R_TASK_ID]);
    case COL_TITLE:
        return t ? (*t->title ? t->title : t->text) : "";
    case COL_TEXT:
        return t ? t->text : "";
    case COL_LEADERS:
        pl_buf_clear(buf);
        for (size_t j = 0; t && j < t->nleaders; j++) {
            if (j)
                pl_buf_append_str(buf, "、");
            pl_buf_append_str(buf, t->leaders[j]);
            if (mark_shared && pl_summary_leader_is_collective(t->leaders[j]))
                pl_buf_append_str(buf, SHARED_MARK);
        }
        return buf->data;
    case COL_UNIT: {
        /* Units by their official short names (units.csv short), as the circular names them. */
        int sc = s->short_col;
        const char *sh = sc >= 0 && r->unit < s->nunits ? pl_table_get(&s->units, r->unit, sc) : "";
        return sh && *sh ? sh : pl_table_get(rt, r->r, s->rc[R_UNIT]);
    }
    case COL_OWNER:
        return pl_table_get(rt, r->r, s->rc[R_OWNER]);
    case COL_PROGRESS:
        return pl_table_get(rt, r->r, s->rc[R_PROGRESS]);
    case COL_EXPECTED:
        return pl_table_get(rt, r->r, s->rc[R_EXPECTED]);
    case COL_STATUS:
        return pl_table_get(rt, r->r, s->rc[R_STATUS]);
    case COL_COLOUR:
        return r->colour != C_NONE ? colour_word[r->colour]
                                   : pl_table_get(rt, r->r, s->rc[R_COLOUR]);
    case COL_ARROW:
        return arrow_of(pl_table_get(rt, r->r, s->rc[R_ARROW]));
    case COL_NARRATIVE:
        return pl_table_get(rt, r->r, s->rc[R_NARRATIVE]);
    case COL_PROBLEMS:
        return pl_table_get(rt, r->r, s->rc[R_PROBLEMS]);
    case COL_NEXT_STEPS:
        return pl_table_get(rt, r->r, s->rc[R_NEXT_STEPS]);
    case COL_DATE:
        return pl_table_get(rt, r->r, s->rc[R_REPORTED_ON]);
    case COL_LATE:
        return r->late ? "是" : "";
    }
    return "";
}

static bool all_digits(const char *s)
{
    if (!*s || strlen(s) > 9)
        return false;
    for (; *s; s++)
        if (*s < '0' || *s > '9')
            return false;
    return true;
}

/* A percentage 0..100 as a number, with a decimal only when it has one. */
static void write_percent(struct pl_xlsx_sheet *sh, unsigned row, unsigned col, const char *text)
{
    double v;
    if (!number(text, &v))
        pl_xlsx_text(sh, row, col, text, PL_XS_CENTER);
    else
        pl_xlsx_number(sh, row, col, v, v == floor(v) ? PL_XS_PERCENT : PL_XS_PERCENT1);
}

static void write_cell(const struct pl_summary *s, struct pl_xlsx_sheet *sh, unsigned row,
                       unsigned col, const struct row *r, enum col_kind kind, bool mark_shared,
                       struct pl_buf *buf)
{
    const char *text = cell_text(s, r, kind, mark_shared, buf);
    int y, m, d;
    switch (kind) {
    case COL_ID:
        if (all_digits(text))
            pl_xlsx_number(sh, row, col, atof(text), PL_XS_INT);
        else
            pl_xlsx_text(sh, row, col, text, PL_XS_CENTER);
        break;
    case COL_PROGRESS:
    case COL_EXPECTED:
        write_percent(sh, row, col, text);
        break;
    case COL_COLOUR:
        pl_xlsx_text(sh, row, col, text, colour_style[r->colour]);
        break;
    case COL_DATE:
        if (iso_date(text, &y, &m, &d))
            pl_xlsx_date(sh, row, col, y, m, d, PL_XS_DATE);
        else
            pl_xlsx_text(sh, row, col, text, PL_XS_CENTER);
        break;
    case COL_LEADERS:
    case COL_OWNER:
    case COL_STATUS:
    case COL_ARROW:
    case COL_LATE:
        pl_xlsx_text(sh, row, col, text, PL_XS_CENTER);
        break;
    default:
        pl_xlsx_text(sh, row, col, text, PL_XS_TEXT);
        break;
    }
}

/* Each column's width from its header and cells: wide enough for the widest cell up to the
 * column's bound (longer text wraps), and for the header on two lines. */
static void fit_columns(const struct pl_summary *s, const struct col_spec *cols, size_t ncols,
                        const struct selection *sel, bool mark_shared, double *widths)
{
    struct pl_buf buf;
    pl_buf_init(&buf);
    for (size_t c = 0; c < ncols; c++) {
        size_t widest = (pl_xlsx_text_width(cols[c].header) + 1) / 2;
        for (size_t i = 0; i < sel->n && widest < cols[c].max; i++) {
            const struct row *r = &s->row[sel->rows[i]];
            size_t w = pl_xlsx_text_width(cell_text(s, r, cols[c].kind, mark_shared, &buf));
            if (cols[c].kind == COL_PROGRESS || cols[c].kind == COL_EXPECTED)
                w++; /* the % sign */
            if (w > widest)
                widest = w;
        }
        double width = widest < cols[c].min   ? cols[c].min
                       : widest > cols[c].max ? cols[c].max
                                              : (double)widest;
        widths[c] = width + 1;
    }
    pl_buf_fini(&buf);
}

/* The height row R needs for its wrapped text. */
static double row_height(const struct pl_summary *s, const struct row *r,
                         const struct col_spec *cols, size_t ncols, const double *widths,
                         bool mark_shared, struct pl_buf *buf)
{
    unsigned lines = 1;
    for (size_t c = 0; c < ncols; c++) {
        if (cols[c].kind == COL_PROGRESS || cols[c].kind == COL_EXPECTED ||
            cols[c].kind == COL_DATE || cols[c].kind == COL_ID)
            continue;
        unsigned n = pl_xlsx_lines(cell_text(s, r, cols[c].kind, mark_shared, buf), widths[c]);
        if (n > lines)
            lines = n;
    }
    return pl_xlsx_lines_height(lines);
}

/* "2023年6月30日" from an ISO date, or the text as it is. */
static void append_date_words(struct pl_buf *out, const char *iso)
{
    int y, m, d;
    if (iso_date(iso, &y, &m, &d))
        pl_buf_printf(out, "%d年%d月%d日", y, m, d);
    else
        pl_buf_append_str(out, iso);
}

/* The colour legend, with the counts of the sheet's rows: [蓝] 达到或超过序时进度：N … placed
 * left to right over the NCOLS columns of WIDTHS, each description merged over as many
 * columns as it needs. */
static void write_legend(struct pl_xlsx_sheet *sh, unsigned row, size_t ncols, const double *widths,
                         const struct counts *c)
{
    static const char *const meaning[] = {"", "达到或超过序时进度", "滞后于序时进度",
                                          "严重滞后、未启动或未报送"};
    struct pl_buf text;
    pl_buf_init(&text);
    unsigned col = 0, last = (unsigned)ncols - 1;
    for (int k = C_BLUE; k <= C_RED + 1 && col <= last; k++) {
        pl_buf_clear(&text);
        if (k <= C_RED) {
            pl_xlsx_text(sh, row, col++, colour_word[k], colour_style[k]);
            pl_buf_printf(&text, "%s：%zu", meaning[k], c->colour[k]);
        } else {
            /* 报送有误 apart from 未报送 (the unit did send; it must mend), when there is any. */
            if (c->returned)
                pl_buf_printf(&text, "其中未报送：%zu　报送有误：%zu　逾期报送：%zu",
                              c->missing - c->returned, c->returned, c->late);
            else
                pl_buf_printf(&text, "其中未报送：%zu　逾期报送：%zu", c->missing, c->late);
        }
        if (col > last)
            break;
        unsigned end = col;
        double room = widths[col], need = (double)pl_xlsx_text_width(text.data) + 2;
        while (room < need && end < last)
            room += widths[++end];
        if (k == C_RED + 1)
            end = last;
        pl_xlsx_merge_text(sh, row, col, end, text.data, PL_XS_SUBTITLE);
        col = end + 1;
    }
    pl_buf_fini(&text);
}

/* Writes a task sheet: title, subtitle, legend, header, the selected rows. */
static enum pl_status write_task_sheet(const struct pl_summary *s, struct pl_xlsx_sheet *sh,
                                       const char *title, const char *scope,
                                       const struct col_spec *cols, size_t ncols,
                                       const struct selection *sel, bool mark_shared)
{
    struct counts c;
    count_rows(s, sel->rows, sel->n, &c);
    struct pl_buf buf, sub;
    pl_buf_init(&buf);
    pl_buf_init(&sub);
    unsigned last = (unsigned)ncols - 1;
    pl_xlsx_row_height(sh, 0, 30);
    pl_xlsx_merge_text(sh, 0, 0, last, title, PL_XS_TITLE);
    if (scope)
        pl_buf_printf(&sub, "%s　", scope);
    pl_buf_append_str(&sub, "报送截止：");
    append_date_words(&sub, s->deadline);
    if (*s->expected)
        pl_buf_printf(&sub, "　序时进度：%s%%", s->expected);
    pl_buf_printf(&sub, "　任务：%zu项　承办单位次：%zu", c.tasks, c.rows);
    pl_xlsx_merge_text(sh, 1, 0, last, sub.data, PL_XS_SUBTITLE);
    const unsigned head = 3;
    double widths[MAX_COLS];
    fit_columns(s, cols, ncols, sel, mark_shared, widths);
    write_legend(sh, 2, ncols, widths, &c);
    unsigned header_lines = 1;
    for (size_t k = 0; k < ncols; k++) {
        pl_xlsx_column_width(sh, (unsigned)k, widths[k]);
        unsigned n = pl_xlsx_lines(cols[k].header, widths[k]);
        header_lines = n > header_lines ? n : header_lines;
    }
    pl_xlsx_row_height(sh, head, pl_xlsx_lines_height(header_lines));
    for (size_t k = 0; k < ncols; k++)
        pl_xlsx_text(sh, head, (unsigned)k, cols[k].header, PL_XS_HEADER);
    /* In constant-memory mode the filter's range and each row's height must be known before
     * the rows are written. */
    pl_xlsx_autofilter(sh, head, 0, head + (unsigned)(sel->n ? sel->n : 1), last);
    for (size_t i = 0; i < sel->n; i++) {
        const struct row *r = &s->row[sel->rows[i]];
        unsigned at = head + 1 + (unsigned)i;
        pl_xlsx_row_height(sh, at, row_height(s, r, cols, ncols, widths, mark_shared, &buf));
        for (size_t k = 0; k < ncols; k++)
            write_cell(s, sh, at, (unsigned)k, r, cols[k].kind, mark_shared, &buf);
    }
    pl_xlsx_freeze(sh, head + 1, 2);
    pl_xlsx_print_setup(sh, true, head, head, title);
    enum pl_status st = buf.data && sub.data ? PL_OK : PL_ERR_NOMEM;
    pl_buf_fini(&buf);
    pl_buf_fini(&sub);
    return st;
}

/* ---- 未报送及逾期 -----------------------------------------------------------------------------
 */

struct unit_tally {
    const char *unit, *group;
    size_t order; /* place in units.csv */
    size_t first; /* first row, for a stable order */
    size_t missing, late;
    bool absent, returned; /* which of 未报送, 报送有误 the missing rows are */
    struct pl_buf missing_ids, late_ids;
};

static int cmp_tally(const void *a, const void *b)
{
    const struct unit_tally *x = a, *y = b;
    if (x->missing != y->missing)
        return x->missing > y->missing ? -1 : 1;
    if (x->late != y->late)
        return x->late > y->late ? -1 : 1;
    if (x->order != y->order)
        return x->order < y->order ? -1 : 1;
    return strcmp(x->unit, y->unit);
}

static enum pl_status write_missing_sheet(const struct pl_summary *s, struct pl_xlsx_sheet *sh,
                                          const char *title)
{
    enum pl_status st = PL_OK;
    struct unit_tally *t = NULL;
    size_t nt = 0, cap = 0;
    /* Each unit's tally by its name: a province has tens of thousands of units, and a walk of
     * the tallies for each bad row was quadratic. Rows that are neither missing nor late are
     * skipped first, so the cost is in the bad rows only. */
    struct pl_strmap tally_of;
    pl_strmap_init(&tally_of);
    for (size_t i = 0; i < s->nrows && st == PL_OK; i++) {
        const struct row *r = &s->row[i];
        if (!r->missing && !r->late)
            continue;
        const char *unit = pl_table_get(&s->rated, r->r, s->rc[R_UNIT]);
        size_t *at;
        bool added;
        if ((st = pl_strmap_put(&tally_of, unit, strlen(unit), nt, &at, &added)) != PL_OK)
            break;
        size_t k = *at;
        if (added && nt == cap) {
            size_t more = cap ? cap * 2 : 16;
            struct unit_tally *grown = realloc(t, more * sizeof *grown);
            if (!grown) {
                st = PL_ERR_NOMEM;
                break;
            }
            t = grown;
            cap = more;
        }
        if (added) {
            memset(&t[nt], 0, sizeof t[nt]);
            t[nt].unit = unit;
            t[nt].group = pl_table_get(&s->rated, r->r, s->rc[R_GROUP]);
            t[nt].order = r->unit;
            t[nt].first = i;
            pl_buf_init(&t[nt].missing_ids);
            pl_buf_init(&t[nt].late_ids);
            nt++;
        }
        const char *id = pl_table_get(&s->rated, r->r, s->rc[R_TASK_ID]);
        struct pl_buf *ids = r->missing ? &t[k].missing_ids : &t[k].late_ids;
        if (ids->len)
            pl_buf_append_str(ids, "、");
        pl_buf_append_str(ids, id);
        if (r->missing) {
            t[k].missing++;
            if (r->returned) {
                t[k].returned = true;
                pl_buf_append_str(ids, "（报送有误）");
            } else {
                t[k].absent = true;
            }
        } else {
            t[k].late++;
            const char *date = pl_table_get(&s->rated, r->r, s->rc[R_REPORTED_ON]);
            if (*date)
                pl_buf_printf(ids, "（%s）", date);
        }
    }
    pl_strmap_fini(&tally_of);
    if (st == PL_OK && nt)
        qsort(t, nt, sizeof *t, cmp_tally);
    static const struct {
        const char *header;
        double width;
    } cols[] = {{"序号", 6},
                {"单位", 24},
                {"分组", 10},
                {"情况", 12},
                {"未报送或报送有误（项）", 12},
                {"未报送或报送有误任务编号", 30},
                {"逾期报送（项）", 10},
                {"逾期报送任务编号（填报日期）", 40}};
    const unsigned ncols = 8, head = 2;
    pl_xlsx_row_height(sh, 0, 30);
    pl_xlsx_merge_text(sh, 0, 0, ncols - 1, title, PL_XS_TITLE);
    size_t missing = 0, late = 0;
    for (size_t k = 0; k < nt; k++)
        missing += t[k].missing, late += t[k].late;
    struct pl_buf sub;
    pl_buf_init(&sub);
    size_t returned = 0;
    for (size_t i = 0; i < s->nrows; i++)
        returned += s->row[i].returned;
    pl_buf_printf(&sub,
                  "未报送、报送有误或逾期报送的单位%zu个：未报送%zu项次，报送有误（已退回修改）%zu项次，"
                  "逾期报送%zu项次",
                  nt, missing - returned, returned, late);
    pl_xlsx_merge_text(sh, 1, 0, ncols - 1, sub.data, PL_XS_SUBTITLE);
    pl_buf_fini(&sub);
    pl_xlsx_row_height(sh, head, pl_xlsx_lines_height(2));
    for (unsigned c = 0; c < ncols; c++) {
        pl_xlsx_text(sh, head, c, cols[c].header, PL_XS_HEADER);
        pl_xlsx_column_width(sh, c, cols[c].width);
    }
    /* In constant-memory mode the filter's range must be known before its rows are
     * written. */
    pl_xlsx_autofilter(sh, head, 0, head + (unsigned)(nt ? nt : 1), ncols - 1);
    unsigned row = head + 1;
    struct pl_buf which;
    pl_buf_init(&which);
    for (size_t k = 0; k < nt; k++, row++) {
        unsigned lines = pl_xlsx_lines(t[k].unit, cols[1].width);
        unsigned n = pl_xlsx_lines(t[k].missing_ids.data, cols[5].width);
        lines = n > lines ? n : lines;
        n = pl_xlsx_lines(t[k].late_ids.data, cols[7].width);
        pl_xlsx_row_height(sh, row, pl_xlsx_lines_height(n > lines ? n : lines));
        pl_xlsx_number(sh, row, 0, (double)(k + 1), PL_XS_INT);
        pl_xlsx_text(sh, row, 1, t[k].unit, PL_XS_TEXT);
        pl_xlsx_text(sh, row, 2, t[k].group, PL_XS_CENTER);
        /* Which: 未报送 (nothing came), 报送有误 (sent back to mend), 逾期 (came late). */
        pl_buf_clear(&which);
        if (t[k].absent)
            pl_buf_append_str(&which, "未报送");
        if (t[k].returned)
            pl_buf_printf(&which, "%s报送有误", which.len ? "、" : "");
        if (t[k].late)
            pl_buf_printf(&which, "%s逾期", which.len ? "、" : "");
        pl_xlsx_text(sh, row, 3, which.data, PL_XS_CENTER);
        pl_xlsx_number(sh, row, 4, (double)t[k].missing, PL_XS_INT);
        pl_xlsx_text(sh, row, 5, t[k].missing_ids.data, PL_XS_TEXT);
        pl_xlsx_number(sh, row, 6, (double)t[k].late, PL_XS_INT);
        pl_xlsx_text(sh, row, 7, t[k].late_ids.data, PL_XS_TEXT);
    }
    pl_buf_fini(&which);
    pl_xlsx_merge_text(sh, row, 0, 3, "合计", PL_XS_TOTAL);
    pl_xlsx_number(sh, row, 4, (double)missing, PL_XS_TOTAL);
    pl_xlsx_blank(sh, row, 5, PL_XS_TOTAL);
    pl_xlsx_number(sh, row, 6, (double)late, PL_XS_TOTAL);
    pl_xlsx_blank(sh, row, 7, PL_XS_TOTAL);
    pl_xlsx_freeze(sh, head + 1, 0);
    pl_xlsx_print_setup(sh, false, head, head, title);
    for (size_t k = 0; k < nt; k++) {
        pl_buf_fini(&t[k].missing_ids);
        pl_buf_fini(&t[k].late_ids);
    }
    free(t);
    return st;
}

/* ---- 单位排名 ----------------------------------------------------------------------------- */

struct rank_row {
    size_t r;
    size_t group; /* the group's place in order of first appearance */
    double rank;
    size_t unit;
};

static int cmp_rank_row(const void *a, const void *b)
{
    const struct rank_row *x = a, *y = b;
    if (x->group != y->group)
        return x->group < y->group ? -1 : 1;
    if (x->rank != y->rank)
        return x->rank < y->rank ? -1 : 1;
    if (x->unit != y->unit)
        return x->unit < y->unit ? -1 : 1;
    return (x->r > y->r) - (x->r < y->r);
}

static void write_number_or_text(struct pl_xlsx_sheet *sh, unsigned row, unsigned col,
                                 const char *text, enum pl_xlsx_style style)
{
    double v;
    if (number(text, &v))
        pl_xlsx_number(sh, row, col, v, style);
    else
        pl_xlsx_text(sh, row, col, text, PL_XS_CENTER);
}

static enum pl_status write_ranks_sheet(const struct pl_summary *s, struct pl_xlsx_sheet *sh,
                                        const char *title)
{
    const struct pl_table *k = &s->ranks;
    size_t n = k->nrows;
    struct rank_row *rr = calloc(n ? n : 1, sizeof *rr);
    const char **groups = calloc(n ? n : 1, sizeof *groups);
    if (!rr || !groups) {
        free(rr);
        free(groups);
        return PL_ERR_NOMEM;
    }
    size_t ngroups = 0;
    for (size_t i = 0; i < n; i++) {
        const char *g = pl_table_get(k, i, s->kc[K_GROUP]);
        size_t j = 0;
        while (j < ngroups && strcmp(groups[j], g))
            j++;
        if (j == ngroups)
            groups[ngroups++] = g;
        double rank;
        long u = lookup(s->unit_by_name, s->nunits, pl_table_get(k, i, s->kc[K_UNIT]));
        rr[i] =
            (struct rank_row){i, j, number(pl_table_get(k, i, s->kc[K_RANK]), &rank) ? rank : 1e9,
                              u >= 0 ? (size_t)u : s->nunits};
    }
    qsort(rr, n, sizeof *rr, cmp_rank_row);
    static const struct {
        const char *header;
        int col;
        double width;
        enum pl_xlsx_style style;
    } cols[] = {
        {"排名", K_RANK, 6, PL_XS_INT},
        {"单位", K_UNIT, 26, PL_XS_TEXT},
        {"得分", K_SCORE, 8, PL_XS_SCORE},
        {"较上期", K_MOVE, 8, PL_XS_CENTER},
        {"上期排名", K_PREV_RANK, 7, PL_XS_INT},
        {"任务数", K_TASKS, 7, PL_XS_INT},
        {"蓝", K_BLUE, 6, PL_XS_INT},
        {"黄", K_YELLOW, 6, PL_XS_INT},
        {"红", K_RED, 6, PL_XS_INT},
        {"未报送", K_MISSING, 7, PL_XS_INT},
        {"报送有误", K_RETURNED, 8, PL_XS_INT},
        {"逾期", K_LATE, 6, PL_XS_INT},
    };
    const unsigned ncols = sizeof cols / sizeof cols[0], head = 2;
    pl_xlsx_row_height(sh, 0, 30);
    pl_xlsx_merge_text(sh, 0, 0, ncols - 1, title, PL_XS_TITLE);
    pl_xlsx_merge_text(
        sh, 1, 0, ncols - 1,
        "按分组排名（并列者同名次，下一名次顺延）；较上期：↑上升、↓下降、—持平、新为首次参加排名",
        PL_XS_SUBTITLE);
    for (unsigned c = 0; c < ncols; c++) {
        enum pl_xlsx_style hs = PL_XS_HEADER;
        if (cols[c].col == K_BLUE)
            hs = PL_XS_BLUE;
        else if (cols[c].col == K_YELLOW)
            hs = PL_XS_YELLOW;
        else if (cols[c].col == K_RED)
            hs = PL_XS_RED;
        pl_xlsx_text(sh, head, c, cols[c].header, hs);
        pl_xlsx_column_width(sh, c, cols[c].width);
    }
    unsigned row = head + 1;
    size_t group = (size_t)-1;
    struct pl_buf buf;
    pl_buf_init(&buf);
    for (size_t i = 0; i < n; i++) {
        if (rr[i].group != group) {
            group = rr[i].group;
            size_t members = 0;
            for (size_t j = i; j < n && rr[j].group == group; j++)
                members++;
            pl_buf_clear(&buf);
            /* A group listed without ranks (rules [rank] unranked) says so. */
            pl_buf_printf(&buf, "%s（%zu个单位%s）", *groups[group] ? groups[group] : "未分组",
                          members, *pl_table_get(k, rr[i].r, s->kc[K_RANK]) ? "" : "，不排名");
            pl_xlsx_merge_text(sh, row++, 0, ncols - 1, buf.data, PL_XS_GROUP);
        }
        for (unsigned c = 0; c < ncols; c++) {
            const char *text = pl_table_get(k, rr[i].r, s->kc[cols[c].col]);
            /* The unit by its official short name (units.csv short), as elsewhere. */
            int sc = cols[c].col == K_UNIT ? s->short_col : -1;
            const char *sh_name = sc >= 0 && rr[i].unit < s->nunits
                                      ? pl_table_get(&s->units, rr[i].unit, sc) : "";
            if (sh_name && *sh_name)
                text = sh_name;
            if (cols[c].style == PL_XS_TEXT || cols[c].style == PL_XS_CENTER)
                pl_xlsx_text(sh, row, c, text, cols[c].style);
            else
                write_number_or_text(sh, row, c, text, cols[c].style);
        }
        row++;
    }
    pl_buf_fini(&buf);
    pl_xlsx_freeze(sh, head + 1, 0);
    pl_xlsx_print_setup(sh, false, head, head, title);
    free(rr);
    free(groups);
    return PL_OK;
}

/* ---- 统计 ------------------------------------------------------------------------------- */

static void write_counts_row(struct pl_xlsx_sheet *sh, unsigned row, const char *label,
                             const struct counts *c, enum pl_xlsx_style style)
{
    pl_xlsx_text(sh, row, 0, label, style == PL_XS_TOTAL ? PL_XS_TOTAL : PL_XS_TEXT);
    const size_t v[] = {
        c->tasks,   c->rows, c->colour[C_BLUE], c->colour[C_YELLOW], c->colour[C_RED],
        c->missing, c->late};
    for (unsigned k = 0; k < 7; k++)
        pl_xlsx_number(sh, row, k + 1, (double)v[k], style);
}

static void write_counts_header(struct pl_xlsx_sheet *sh, unsigned row, const char *first)
{
    static const char *const h[] = {"任务（项）", "承办单位次", "蓝",      "黄",
                                    "红",         "其中未报送", "逾期报送"};
    static const enum pl_xlsx_style st[] = {PL_XS_HEADER, PL_XS_HEADER, PL_XS_BLUE,  PL_XS_YELLOW,
                                            PL_XS_RED,    PL_XS_HEADER, PL_XS_HEADER};
    pl_xlsx_text(sh, row, 0, first, PL_XS_HEADER);
    for (unsigned k = 0; k < 7; k++)
        pl_xlsx_text(sh, row, k + 1, h[k], st[k]);
}

static enum pl_status write_stats_sheet(const struct pl_summary *s, struct pl_xlsx_sheet *sh,
                                        const char *title)
{
    enum pl_status st = PL_OK;
    const unsigned ncols = 8;
    pl_xlsx_row_height(sh, 0, 30);
    pl_xlsx_merge_text(sh, 0, 0, ncols - 1, title, PL_XS_TITLE);
    pl_xlsx_row_height(sh, 1, 28);
    pl_xlsx_merge_text(sh, 1, 0, ncols - 1,
                       "按任务和承办单位逐行计数：一项任务有几个承办单位就计几次；"
                       "一项任务有几位牵头领导，就计入每位领导",
                       PL_XS_NOTE);
    pl_xlsx_merge_text(sh, 2, 0, ncols - 1, "一、按牵头领导", PL_XS_GROUP);
    write_counts_header(sh, 3, "牵头领导");
    unsigned row = 4, first_leader = row;
    struct selection sel = {0};
    struct counts c;
    struct pl_buf label;
    pl_buf_init(&label);
    /* The collective leaders, after the others, each once. */
    const char **collective = calloc(s->ntasks + 1, sizeof *collective);
    size_t ncollective = 0;
    if (!collective)
        return PL_ERR_NOMEM;
    for (size_t i = 0; i < s->ntasks; i++)
        for (size_t j = 0; j < s->task[i].nleaders; j++) {
            const char *l = s->task[i].leaders[j];
            if (!pl_summary_leader_is_collective(l))
                continue;
            size_t k = 0;
            while (k < ncollective && strcmp(collective[k], l))
                k++;
            if (k == ncollective && ncollective < s->ntasks)
                collective[ncollective++] = l;
        }
    for (size_t i = 0; i < s->nleaders + ncollective && st == PL_OK; i++) {
        const char *leader = i < s->nleaders ? s->leaders[i] : collective[i - s->nleaders];
        st = select_rows(s, 3, leader, &sel);
        if (st != PL_OK)
            break;
        count_rows(s, sel.rows, sel.n, &c);
        free(sel.rows);
        pl_buf_clear(&label);
        pl_buf_append_str(&label, leader);
        if (i >= s->nleaders)
            pl_buf_append_str(&label, SHARED_MARK);
        write_counts_row(sh, row++, label.data, &c, PL_XS_INT);
    }
    unsigned last_leader = row - 1;
    pl_buf_fini(&label);
    free(collective);
    if (st != PL_OK)
        return st;
    row++;
    pl_xlsx_merge_text(sh, row++, 0, ncols - 1, "二、按任务类别", PL_XS_GROUP);
    write_counts_header(sh, row++, "类别");
    struct counts key = {0}, livelihood = {0}, all;
    if ((st = select_rows(s, 0, NULL, &sel)) != PL_OK)
        return st;
    count_rows(s, sel.rows, sel.n, &all);
    /* Split the rows by kind (unknown tasks count as key work). */
    size_t nl = 0;
    for (size_t i = 0; i < sel.n; i++) {
        const struct row *r = &s->row[sel.rows[i]];
        if (r->task >= 0 && s->task[r->task].livelihood)
            sel.rows[nl++] = sel.rows[i];
    }
    count_rows(s, sel.rows, nl, &livelihood);
    key.tasks = all.tasks - livelihood.tasks;
    key.rows = all.rows - livelihood.rows;
    for (int k = 0; k < 4; k++)
        key.colour[k] = all.colour[k] - livelihood.colour[k];
    key.missing = all.missing - livelihood.missing;
    key.late = all.late - livelihood.late;
    free(sel.rows);
    write_counts_row(sh, row++, "重点工作", &key, PL_XS_INT);
    write_counts_row(sh, row++, "民生实事", &livelihood, PL_XS_INT);
    write_counts_row(sh, row++, "合计", &all, PL_XS_TOTAL);
    pl_xlsx_column_width(sh, 0, 16);
    for (unsigned k = 1; k < ncols; k++)
        pl_xlsx_column_width(sh, k, 10);
    if (last_leader >= first_leader) {
        static const unsigned value_col[] = {3, 4, 5};
        static const char *const names[] = {"蓝", "黄", "红"};
        static const unsigned colours[] = {PL_XLSX_BLUE, PL_XLSX_YELLOW, PL_XLSX_RED};
        unsigned height = 120 + 28 * (last_leader - first_leader + 1);
        pl_xlsx_stacked_bars(sh, row + 1, 0, sh, first_leader, last_leader, 0, value_col, names,
                             colours, 3, "各牵头领导任务颜色分布（承办单位次）", 640,
                             height > 560 ? 560 : height);
    }
    pl_xlsx_print_setup(sh, false, 0, 0, title);
    return PL_OK;
}

/* ---- the workbooks ----------------------------------------------------------------------- */

static enum pl_status open_workbook(const struct pl_summary *s, const char *path, const char *title,
                                    struct pl_diag *diag, struct pl_xlsx **x)
{
    struct pl_xlsx_props props = {
        .title = title,
        .subject = s->label,
        .author = "县政府督查室",
        .company = s->issuer,
        .keywords = "重点工作,督查,蓝黄红",
        .created = s->created,
        .constant_memory = true,
    };
    return pl_xlsx_open(x, path, &props, diag);
}

enum pl_status pl_summary_write(const struct pl_summary *s, const char *path, struct pl_diag *diag)
{
    struct pl_xlsx *x = NULL;
    struct selection sel = {0};
    struct pl_buf title, sheet_title;
    pl_buf_init(&title);
    pl_buf_init(&sheet_title);
    enum pl_status st = pl_buf_printf(&title, "%s县政府重点工作推进情况", s->label);
    if (st != PL_OK || (st = open_workbook(s, path, title.data, diag, &x)) != PL_OK)
        goto fail;
    struct pl_xlsx_sheet *main_sheet = pl_xlsx_add_sheet(x, "总表");
    struct pl_xlsx_sheet *livelihood = pl_xlsx_add_sheet(x, "民生实事");
    struct pl_xlsx_sheet *missing = pl_xlsx_add_sheet(x, "未报送及逾期");
    struct pl_xlsx_sheet *ranks = pl_xlsx_add_sheet(x, "单位排名");
    struct pl_xlsx_sheet *stats = pl_xlsx_add_sheet(x, "统计");
    if (!stats)
        goto close;
    if ((st = select_rows(s, 0, NULL, &sel)) != PL_OK ||
        (st = write_task_sheet(s, main_sheet, title.data, NULL, main_cols, MAIN_NCOLS, &sel,
                               false)) != PL_OK)
        goto fail;
    free(sel.rows);
    sel.rows = NULL;
    pl_buf_printf(&sheet_title, "%s民生实事推进情况", s->label);
    if ((st = select_rows(s, 1, NULL, &sel)) != PL_OK ||
        (st = write_task_sheet(s, livelihood, sheet_title.data, NULL, livelihood_cols,
                               LIVELIHOOD_NCOLS, &sel, false)) != PL_OK)
        goto fail;
    pl_buf_clear(&sheet_title);
    pl_buf_printf(&sheet_title, "%s未报送及逾期报送情况", s->label);
    if ((st = write_missing_sheet(s, missing, sheet_title.data)) != PL_OK)
        goto fail;
    pl_buf_clear(&sheet_title);
    pl_buf_printf(&sheet_title, "%s单位排名", s->label);
    if ((st = write_ranks_sheet(s, ranks, sheet_title.data)) != PL_OK)
        goto fail;
    pl_buf_clear(&sheet_title);
    pl_buf_printf(&sheet_title, "%s任务颜色统计", s->label);
    if ((st = write_stats_sheet(s, stats, sheet_title.data)) != PL_OK)
        goto fail;
close:
    st = pl_xlsx_close(x);
    x = NULL;
fail:
    pl_xlsx_discard(x);
    free(sel.rows);
    pl_buf_fini(&title);
    pl_buf_fini(&sheet_title);
    return st;
}

static enum pl_status write_leader(const struct pl_summary *s, const char *leader, const char *path,
                                   struct pl_diag *diag)
{
    struct pl_xlsx *x = NULL;
    struct selection sel = {0};
    struct pl_buf title, scope;
    pl_buf_init(&title);
    pl_buf_init(&scope);
    enum pl_status st =
        pl_buf_printf(&title, "%s县政府重点工作推进情况（%s同志牵头）", s->label, leader);
    if (st != PL_OK ||
        (st = pl_buf_printf(&scope, "牵头领导：%s（标注“共同”的为各位县长共同牵头的任务）",
                            leader)) != PL_OK)
        goto fail;
    if ((st = open_workbook(s, path, title.data, diag, &x)) != PL_OK)
        goto fail;
    struct pl_xlsx_sheet *sh = pl_xlsx_add_sheet(x, "牵头任务");
    if (!sh)
        goto close;
    if ((st = select_rows(s, 2, leader, &sel)) != PL_OK ||
        (st = write_task_sheet(s, sh, title.data, scope.data, main_cols, MAIN_NCOLS, &sel, true)) !=
            PL_OK)
        goto fail;
close:
    st = pl_xlsx_close(x);
    x = NULL;
fail:
    pl_xlsx_discard(x);
    free(sel.rows);
    pl_buf_fini(&title);
    pl_buf_fini(&scope);
    return st;
}

enum pl_status pl_summary_write_leaders(const struct pl_summary *s, const char *dir,
                                        size_t *written, struct pl_diag *diag)
{
    if (written)
        *written = 0;
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        pl_diag_report(diag, dir, 0, 0, "E_CANNOT_CREATE", "无法创建目录：%s", strerror(errno));
        return PL_ERR_CREATE;
    }
    struct pl_safename_set names;
    pl_safename_set_init(&names);
    struct pl_buf path;
    pl_buf_init(&path);
    enum pl_status st = PL_OK;
    for (size_t i = 0; i < s->nleaders && st == PL_OK; i++) {
        pl_buf_clear(&path);
        if ((st = pl_buf_printf(&path, "%s/", dir)) != PL_OK ||
            (st = pl_safename_unique(&names, s->leaders[i], strlen(s->leaders[i]), ".xlsx",
                                     &path)) != PL_OK)
            break;
        st = write_leader(s, s->leaders[i], path.data, diag);
        if (st == PL_OK && written)
            (*written)++;
    }
    pl_buf_fini(&path);
    pl_safename_set_fini(&names);
    return st;
}
