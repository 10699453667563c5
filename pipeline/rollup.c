/* rollup — task and leader roll-ups of rated rows. */
#include "rollup.h"

#include <stdlib.h>
#include <string.h>

#include "strv.h"

struct host {
    char *unit;
    char *reason;
    enum pl_colour colour;
};

struct task_sum {
    char *id;
    const struct pl_task *task; /* NULL when the catalog does not know it */
    size_t order;               /* catalog index, or ntasks + arrival for unknown tasks */
    struct host *hosts;
    size_t nhosts, cap;
    unsigned long count[PL_COLOUR_COUNT], missing, late;
    enum pl_colour worst;
};

struct pl_rollup {
    const struct pl_catalog *c;
    struct task_sum **by_catalog; /* [c->ntasks], by catalog index */
    struct task_sum **unknown;
    size_t nunknown, cap_unknown;
};

struct pl_rollup *pl_rollup_new(const struct pl_catalog *c)
{
    struct pl_rollup *u = calloc(1, sizeof *u);
    if (!u)
        return NULL;
    u->c = c;
    u->by_catalog = calloc(c->ntasks ? c->ntasks : 1, sizeof *u->by_catalog);
    if (!u->by_catalog) {
        free(u);
        return NULL;
    }
    return u;
}

static void task_free(struct task_sum *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->nhosts; i++) {
        free(t->hosts[i].unit);
        free(t->hosts[i].reason);
    }
    free(t->hosts);
    free(t->id);
    free(t);
}

void pl_rollup_free(struct pl_rollup *u)
{
    if (!u)
        return;
    for (size_t i = 0; i < u->c->ntasks; i++)
        task_free(u->by_catalog[i]);
    for (size_t i = 0; i < u->nunknown; i++)
        task_free(u->unknown[i]);
    free(u->by_catalog);
    free(u->unknown);
    free(u);
}

static struct task_sum *new_task(const char *id, const struct pl_task *task, size_t order)
{
    struct task_sum *t = calloc(1, sizeof *t);
    if (!t || !(t->id = strdup(id))) {
        free(t);
        return NULL;
    }
    t->task = task;
    t->order = order;
    t->worst = PL_COLOUR_BLUE;
    return t;
}

static struct task_sum *task_for(struct pl_rollup *u, const char *id)
{
    const struct pl_task *task = pl_catalog_find_task(u->c, id);
    if (task) {
        size_t i = (size_t)(task - u->c->tasks);
        if (!u->by_catalog[i])
            u->by_catalog[i] = new_task(id, task, i);
        return u->by_catalog[i];
    }
    for (size_t i = 0; i < u->nunknown; i++)
        if (strcmp(u->unknown[i]->id, id) == 0)
            return u->unknown[i];
    if (u->nunknown == u->cap_unknown) {
        size_t cap = u->cap_unknown ? u->cap_unknown * 2 : 8;
        struct task_sum **v = realloc(u->unknown, cap * sizeof *v);
        if (!v)
            return NULL;
        u->unknown = v;
        u->cap_unknown = cap;
    }
    struct task_sum *t = new_task(id, NULL, u->c->ntasks + u->nunknown);
    if (t)
        u->unknown[u->nunknown++] = t;
    return t;
}

enum pl_status pl_rollup_add(struct pl_rollup *u, const struct pl_rated_row *row)
{
    struct task_sum *t = task_for(u, row->task_id);
    if (!t)
        return PL_ERR_NOMEM;
    if (t->nhosts == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 4;
        struct host *v = realloc(t->hosts, cap * sizeof *v);
        if (!v)
            return PL_ERR_NOMEM;
        t->hosts = v;
        t->cap = cap;
    }
    struct host h = {strdup(row->unit), strdup(row->reason), row->colour};
    if (!h.unit || !h.reason) {
        free(h.unit);
        free(h.reason);
        return PL_ERR_NOMEM;
    }
    t->hosts[t->nhosts++] = h;
    t->count[row->colour]++;
    t->missing += row->missing;
    t->late += row->late;
    if (row->colour > t->worst)
        t->worst = row->colour;
    return PL_OK;
}

enum pl_status pl_rollup_on_rated(void *ctx, const struct pl_rated_row *row)
{
    return pl_rollup_add(ctx, row);
}

/* The tasks with rows, in output order. *N gets their number; NULL when out of memory. */
static struct task_sum **ordered(const struct pl_rollup *u, size_t *n)
{
    struct task_sum **v = calloc(u->c->ntasks + u->nunknown + 1, sizeof *v);
    if (!v)
        return NULL;
    *n = 0;
    for (size_t i = 0; i < u->c->ntasks; i++)
        if (u->by_catalog[i])
            v[(*n)++] = u->by_catalog[i];
    for (size_t i = 0; i < u->nunknown; i++)
        v[(*n)++] = u->unknown[i];
    return v;
}

static void write_counts(struct pl_csv_writer *w, const unsigned long *count, unsigned long missing,
                         unsigned long late)
{
    for (int c = 0; c < PL_COLOUR_COUNT; c++)
        pl_csv_write_ulong(w, count[c]);
    pl_csv_write_ulong(w, missing);
    pl_csv_write_ulong(w, late);
}

enum pl_status pl_rollup_write_tasks(const struct pl_rollup *u, struct pl_csv_writer *w)
{
    size_t n;
    struct task_sum **v = ordered(u, &n);
    if (!v)
        return PL_ERR_NOMEM;
    struct pl_buf b;
    pl_buf_init(&b);
    enum pl_status st = PL_OK;
    pl_csv_write_row(w,
                     (const char *const[]){"task_id", "title", "leaders", "hosts", "blue", "yellow",
                                           "red", "missing", "late", "colour", "reason"},
                     11);
    for (size_t i = 0; st == PL_OK && i < n; i++) {
        const struct task_sum *t = v[i];
        pl_csv_write_str(w, t->id);
        pl_csv_write_str(w, t->task ? t->task->title : "");
        pl_buf_clear(&b);
        if (t->task)
            st = pl_strv_join(&t->task->leaders, '|', &b);
        pl_csv_write_str(w, b.data);
        pl_buf_clear(&b);
        for (size_t h = 0; st == PL_OK && h < t->nhosts; h++)
            st = pl_buf_printf(&b, "%s%s", h ? "|" : "", t->hosts[h].unit);
        pl_csv_write_str(w, b.data);
        write_counts(w, t->count, t->missing, t->late);
        pl_csv_write_str(w, pl_colour_name(t->worst));
        pl_buf_clear(&b);
        for (size_t h = 0; st == PL_OK && h < t->nhosts; h++)
            if (t->hosts[h].colour == t->worst)
                st = pl_buf_printf(&b, "%s%s：%s", b.len ? "；" : "", t->hosts[h].unit,
                                   t->hosts[h].reason);
        pl_csv_write_str(w, b.data);
        pl_csv_end_row(w);
    }
    pl_buf_fini(&b);
    free(v);
    return st != PL_OK ? st : pl_csv_writer_status(w);
}

struct leader_sum {
    const char *name; /* borrowed from the catalog */
    unsigned long tasks, count[PL_COLOUR_COUNT], missing, late;
};

enum pl_status pl_rollup_write_leaders(const struct pl_rollup *u, struct pl_csv_writer *w)
{
    size_t n;
    struct task_sum **v = ordered(u, &n);
    if (!v)
        return PL_ERR_NOMEM;
    struct leader_sum *l = NULL;
    size_t nl = 0, cap = 0;
    enum pl_status st = PL_OK;
    for (size_t i = 0; st == PL_OK && i < n; i++) {
        if (!v[i]->task)
            continue;
        const struct pl_strv *names = &v[i]->task->leaders;
        for (size_t j = 0; j < names->n; j++) {
            size_t k = 0;
            while (k < nl && strcmp(l[k].name, names->v[j]) != 0)
                k++;
            if (k == nl) {
                if (nl == cap) {
                    cap = cap ? cap * 2 : 8;
                    struct leader_sum *g = realloc(l, cap * sizeof *g);
                    if (!g) {
                        st = PL_ERR_NOMEM;
                        break;
                    }
                    l = g;
                }
                l[nl++] = (struct leader_sum){.name = names->v[j]};
            }
            l[k].tasks++;
            l[k].count[v[i]->worst]++;
            l[k].missing += v[i]->missing > 0;
            l[k].late += v[i]->late > 0;
        }
    }
    if (st == PL_OK) {
        pl_csv_write_row(
            w, (const char *const[]){"leader", "tasks", "blue", "yellow", "red", "missing", "late"},
            7);
        for (size_t k = 0; k < nl; k++) {
            pl_csv_write_str(w, l[k].name);
            pl_csv_write_ulong(w, l[k].tasks);
            write_counts(w, l[k].count, l[k].missing, l[k].late);
            pl_csv_end_row(w);
        }
        st = pl_csv_writer_status(w);
    }
    free(l);
    free(v);
    return st;
}
