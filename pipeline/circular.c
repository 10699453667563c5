/* circular — a circular's data from the rated and ranks streams and the catalog. */
#include "circular.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "catalog.h"
#include "date.h"
#include "merge.h"
#include "text.h"

#define CK(x)                                                                                      \
    do {                                                                                           \
        if ((st = (x)) != PL_OK)                                                                   \
            goto fail;                                                                             \
    } while (0)

#define CKP(p)                                                                                     \
    do {                                                                                           \
        if (!(p)) {                                                                                \
            st = PL_ERR_NOMEM;                                                                     \
            goto fail;                                                                             \
        }                                                                                          \
    } while (0)

/* Every column of the rated stream this module reads (struct rcol, "expected"): ducha-pdf
 * keeps only these cells in memory (pl_circular_rated_read). A column read here must be named
 * here; the first RATED_REQUIRED must be in the stream. */
#define RATED_REQUIRED 10
static const char *const rated_read[] = {"task_id", "unit",        "group",      "progress",
                                         "status",  "late",        "missing",    "colour",
                                         "reason",  "arrow",       "reported_on", "indicators",
                                         "flags",   "expected"};

size_t pl_circular_rated_read(const char *const **names)
{
    *names = rated_read;
    return sizeof rated_read / sizeof *rated_read;
}

static const char *const ranks_columns[] = {"unit",    "group", "tasks", "blue", "yellow", "red",
                                            "missing", "late",  "score", "rank", "move"};

/* Column indexes of the rated stream. */
struct rcol {
    int task, unit, group, progress, status, late, missing, colour, reason, arrow;
    int reported, indicators, flags; /* optional: -1 when absent */
};

/* What a row says, read from its figures and its missing flag, never from its status word
 * (DESIGN.md, The circular): done at 100, not started at 0, on track when blue, else behind;
 * 报送有误 (missing = 2) and 未报送 (missing = 1) apart. */
enum row_class { RC_DONE, RC_ON_TRACK, RC_BEHIND, RC_NOT_STARTED, RC_RETURNED, RC_MISSING };

struct keyed;

/* A unit list's rows sorted by unit, then place, and each unit's run of them (set_unit_list). */
struct unit_listing {
    struct unit_row *rows;
    struct unit_run *runs;
    size_t nrows, nunits;
};

struct ctx {
    const struct pl_circular_input *in;
    struct pl_diag *diag;
    struct rcol c;
    bool *sel; /* rated rows selected */
    size_t nsel;
    size_t *order; /* selected rows in catalog order */
    struct pl_buf scratch, key1, key2;
    struct pl_buf reported; /* "task\tfield\tcharacter\n" already reported */
    long *task_of;          /* for each rated row, its row in tasks.csv or -1 */
    struct keyed *units_by_name; /* units.csv's rows sorted by name (index_units) */
    size_t n_units_by_name;
    const char **subset_units; /* the selected rows' units, sorted (unit_in_subset) */
    size_t n_subset_units;
    enum row_class *cls;    /* for each rated row */
    /* Demand (DESIGN.md, Rules: a task addressed to everyone, 78–81, or whose hosts are all
     * collectives, 63, is demanded from nobody). Such tasks are shown in the overview as such
     * and never counted; a report that came anyway (W_NOT_DEMANDED) is shown with them. */
    bool *nd;      /* for each rated row: a row of a task demanded from nobody */
    bool *nd_sel;  /* for each rated row: such a row the subset shows (never counted) */
    bool *nd_task; /* for each row of tasks.csv: demanded from nobody */
    size_t n_nd_sel;
    struct pl_buf f_sn, f_ref, f_ind; /* the row lists' items' (fill_overview_row) */
    const char **f_idv;               /* fill_unit_list_item's task ids */
    struct unit_listing ul[3];        /* set_unit_list's, by enum unit_list */
    struct pl_buf title;    /* task_title()'s result */
    struct pl_buf leader;   /* --leader without 同志 */
    bool year_end;          /* the year's last cycle */
    /* What the parts found, for the headings (set_headings). */
    size_t n_groups, n_done_tasks, n_lagging, n_unfinished, n_yellow;
    size_t n_late_units, n_returned_units, n_missing_units;
};

/* ---- catalog look-ups ---- */

struct keyed {
    const char *key;
    size_t row;
};

static int by_keyed(const void *a, const void *b)
{
    const struct keyed *x = a, *y = b;
    int c = strcmp(x->key, y->key);
    return c ? c : (x->row > y->row) - (x->row < y->row);
}

/* Sets x->task_of for every rated row, through the task ids sorted once (a county has a
 * hundred tasks and thousands of rows). */
static enum pl_status index_tasks(struct ctx *x)
{
    const struct pl_table *tasks = x->in->tasks, *rt = x->in->rated;
    x->task_of = malloc((rt->nrows + 1) * sizeof *x->task_of);
    size_t n = tasks ? tasks->nrows : 0;
    struct keyed *k = malloc((n + 1) * sizeof *k);
    if (!x->task_of || !k) {
        free(k);
        return PL_ERR_NOMEM;
    }
    int id = tasks ? pl_table_column(tasks, "id") : -1;
    for (size_t i = 0; i < n; i++)
        k[i] = (struct keyed){pl_table_get(tasks, i, id), i};
    qsort(k, n, sizeof *k, by_keyed);
    for (size_t r = 0; r < rt->nrows; r++) {
        struct keyed want = {pl_table_get(rt, r, x->c.task), 0};
        /* The first row with the id: search for the lowest row number. */
        size_t lo = 0, hi = n;
        while (lo < hi) {
            size_t mid = (lo + hi) / 2;
            if (strcmp(k[mid].key, want.key) < 0)
                lo = mid + 1;
            else
                hi = mid;
        }
        x->task_of[r] =
            id >= 0 && lo < n && strcmp(k[lo].key, want.key) == 0 ? (long)k[lo].row : -1;
    }
    free(k);
    return PL_OK;
}

/* Sorts units.csv's rows by name once, so that a unit is found by a binary search: a
 * province's circular looks up thousands of units for tens of thousands of rows. */
static enum pl_status index_units(struct ctx *x)
{
    const struct pl_table *units = x->in->units;
    int c = units ? pl_table_column(units, "name") : -1;
    if (c < 0)
        return PL_OK;
    x->units_by_name = malloc((units->nrows + 1) * sizeof *x->units_by_name);
    if (!x->units_by_name)
        return PL_ERR_NOMEM;
    for (size_t i = 0; i < units->nrows; i++)
        x->units_by_name[i] = (struct keyed){pl_table_get(units, i, c), i};
    x->n_units_by_name = units->nrows;
    qsort(x->units_by_name, units->nrows, sizeof *x->units_by_name, by_keyed);
    return PL_OK;
}

static long find_row(const struct pl_table *t, const char *column, const char *value);

/* The first row of units.csv named NAME, or -1: what find_row(units, "name", NAME) finds. */
static long unit_row(struct ctx *x, const char *name)
{
    if (!x->units_by_name)
        return find_row(x->in->units, "name", name);
    const struct keyed *k = x->units_by_name;
    size_t lo = 0, hi = x->n_units_by_name;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (strcmp(k[mid].key, name) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < x->n_units_by_name && strcmp(k[lo].key, name) == 0 ? (long)k[lo].row : -1;
}

static long find_row(const struct pl_table *t, const char *column, const char *value)
{
    if (!t)
        return -1;
    int c = pl_table_column(t, column);
    if (c < 0)
        return -1;
    for (size_t i = 0; i < t->nrows; i++)
        if (strcmp(pl_table_get(t, i, c), value) == 0)
            return (long)i;
    return -1;
}

static const char *cell(const struct pl_table *t, long row, const char *column)
{
    if (!t || row < 0)
        return "";
    return pl_table_get(t, (size_t)row, pl_table_column(t, column));
}

static const char *doc_fact(const struct pl_circular_input *in, const char *key)
{
    return cell(in->document, find_row(in->document, "key", key), "value");
}

static size_t utf8_chars(const char *s, size_t n)
{
    size_t chars = 0;
    pl_utf8_valid_prefix(s, n, &chars, NULL);
    return chars;
}

enum pl_status pl_circular_short_name(const struct pl_table *units, const char *name,
                                      struct pl_buf *out)
{
    /* The official short name the office keeps in units.csv; never guessed from the aliases,
     * which hold old names (县农业局) and other bodies' names as well. */
    const char *s = cell(units, find_row(units, "name", name), "short");
    return pl_buf_append_str(out, *s ? s : name);
}

/* The short name as a NUL-terminated copy in B. */
static const char *short_name(struct ctx *x, struct pl_buf *b, const char *name)
{
    pl_buf_clear(b);
    const char *s = cell(x->in->units, unit_row(x, name), "short");
    pl_buf_append_str(b, *s ? s : name);
    return b->data;
}

/* True when the |-joined LIST holds an entry with the match key of WANT. */
static bool list_has(struct ctx *x, const char *list, const char *want)
{
    pl_buf_clear(&x->key1);
    if (pl_text_match_key(&x->key1, want, strlen(want)) != PL_OK)
        return false;
    for (const char *p = list; *p;) {
        const char *e = strchr(p, '|');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        pl_buf_clear(&x->key2);
        if (pl_text_match_key(&x->key2, p, n) == PL_OK && strcmp(x->key1.data, x->key2.data) == 0)
            return true;
        p = e ? e + 1 : p + n;
    }
    return false;
}

/* S for use inside “…”: its own double quotes become single ones (GB/T 15834: quotes
 * inside quotes are single), in B, which is returned. */
static const char *inner_quotes(struct pl_buf *b, const char *s)
{
    pl_buf_clear(b);
    for (const char *p = s; *p;) {
        if (strncmp(p, "“", 3) == 0) {
            pl_buf_append_str(b, "‘");
            p += 3;
        } else if (strncmp(p, "”", 3) == 0) {
            pl_buf_append_str(b, "’");
            p += 3;
        } else {
            pl_buf_append_char(b, *p++);
        }
    }
    return b->data ? b->data : "";
}

/* True when ID is a livelihood item of a project with several (M1-2). */
static bool is_item(const char *id)
{
    return (id[0] == 'M' || id[0] == 'm') && strchr(id, '-') != NULL;
}

/* Task T's title: the catalog's, except for a livelihood item of a project with several
 * items, whose catalog title is the project's (M1-1 and M1-3 would print the same): its own
 * first sentence then. Without a title, the text's first sentence. A sentence longer than 30
 * characters is cut at its last ， or 、 within them, else at 30 with …. Valid until the next
 * call. */
static const char *task_title(struct ctx *x, long t)
{
    const char *title = cell(x->in->tasks, t, "title");
    if (t < 0 || (*title && !is_item(cell(x->in->tasks, t, "id"))))
        return title;
    const char *text = cell(x->in->tasks, t, "text");
    if (!*text)
        return title;
    /* A leading item number （1） is the list's, not the title's. */
    if (strncmp(text, "（", 3) == 0) {
        const char *close = strstr(text, "）");
        if (close && close - text <= 9)
            text = close + 3;
    }
    pl_buf_clear(&x->title);
    size_t chars = 0, cut = 0, cut_chars = 0;
    const char *p = text;
    while (*p) {
        uint32_t cp;
        size_t n = pl_utf8_decode(p, strlen(p), &cp);
        if (!n || cp == 0x3002 || cp == 0xFF1B)
            break;
        if (chars == 30) {
            if (cut_chars >= 8) {
                x->title.len = cut;
                x->title.data[cut] = '\0';
            } else {
                pl_buf_append_str(&x->title, "…");
            }
            break;
        }
        if (cp == 0xFF0C || cp == 0x3001) {
            cut = x->title.len;
            cut_chars = chars;
        }
        pl_buf_append(&x->title, p, n);
        p += n;
        chars++;
    }
    return x->title.data ? x->title.data : "";
}

/* Appends how the prose names task ID: 重点工作第5项, 民生实事第1项第（1）目, 民生实事第3项;
 * never the internal id. */
static void task_ref(struct pl_buf *b, const char *id)
{
    if ((id[0] == 'M' || id[0] == 'm') && id[1] >= '0' && id[1] <= '9') {
        const char *dash = strchr(id, '-');
        if (dash)
            pl_buf_printf(b, "民生实事第%.*s项第（%s）目", (int)(dash - id - 1), id + 1, dash + 1);
        else
            pl_buf_printf(b, "民生实事第%s项", id + 1);
    } else {
        pl_buf_printf(b, "重点工作第%s项", id);
    }
}

/* ---- the subset ---- */

static int colour_code(const char *s, size_t n)
{
    static const char *const words[3][3] = {
        {"blue", "蓝", "蓝色"}, {"yellow", "黄", "黄色"}, {"red", "红", "红色"}};
    for (int c = 0; c < 3; c++)
        for (int w = 0; w < 3; w++)
            if (strlen(words[c][w]) == n && memcmp(words[c][w], s, n) == 0)
                return c;
    return -1;
}

static const char *const colour_names[3] = {"blue", "yellow", "red"};
static const char *const colour_words[3] = {"蓝", "黄", "红"};

static int row_colour(struct ctx *x, size_t r)
{
    const char *c = pl_table_get(x->in->rated, r, x->c.colour);
    return colour_code(c, strlen(c));
}

/* Splits a list separated by commas, 、, ， or spaces, calling FN for each item. */
static bool any_item(const char *list, bool (*fn)(void *, const char *, size_t), void *arg)
{
    const char *p = list;
    while (*p) {
        size_t skip = 0;
        if (*p == ',' || *p == ' ')
            skip = 1;
        else if (strncmp(p, "、", 3) == 0 || strncmp(p, "，", 3) == 0)
            skip = 3;
        if (skip) {
            p += skip;
            continue;
        }
        const char *e = p;
        while (*e && *e != ',' && *e != ' ' && strncmp(e, "、", 3) && strncmp(e, "，", 3))
            e++;
        if (fn(arg, p, (size_t)(e - p)))
            return true;
        p = e;
    }
    return false;
}

struct match {
    const char *value;
    int colour;
};

static bool same_text(void *arg, const char *s, size_t n)
{
    struct match *m = arg;
    return strlen(m->value) == n && memcmp(m->value, s, n) == 0;
}

static bool same_colour(void *arg, const char *s, size_t n)
{
    struct match *m = arg;
    return colour_code(s, n) == m->colour;
}

static bool bad_colour(void *arg, const char *s, size_t n)
{
    (void)arg;
    return colour_code(s, n) < 0;
}

static bool unit_matches(struct ctx *x, const char *unit)
{
    const char *want = x->in->unit;
    if (list_has(x, unit, want))
        return true;
    long r = unit_row(x, unit);
    return r >= 0 && (list_has(x, cell(x->in->units, r, "aliases"), want) ||
                      list_has(x, cell(x->in->units, r, "short"), want));
}

static bool selected(struct ctx *x, size_t r)
{
    const struct pl_circular_input *in = x->in;
    if (in->tasks_list) {
        struct match m = {pl_table_get(in->rated, r, x->c.task), -1};
        if (!any_item(in->tasks_list, same_text, &m))
            return false;
    }
    if (in->leader) {
        long t = x->task_of[r];
        if (!list_has(x, cell(in->tasks, t, "leaders"), x->leader.data))
            return false;
    }
    if (in->unit && !unit_matches(x, pl_table_get(in->rated, r, x->c.unit)))
        return false;
    if (in->colour) {
        struct match m = {NULL, row_colour(x, r)};
        if (!any_item(in->colour, same_colour, &m))
            return false;
    }
    return true;
}

/* ---- demand ---- */

static const char *unit_kind(struct ctx *x, const char *unit);

/* True when the |-joined FLAGS hold CODE. */
static bool has_flag(const char *flags, const char *code)
{
    size_t n = strlen(code);
    for (const char *p = flags; *p;) {
        const char *e = strchr(p, '|');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == n && memcmp(p, code, n) == 0)
            return true;
        p = e ? e + 1 : p + len;
    }
    return false;
}

/* Sets x->nd_task from the catalog by the rule ducha-merge applies (pl_merge_task_demanded(),
 * on a catalog of units.csv's names, aliases and kinds), and x->nd for every rated row: the
 * stream's own word where it has a flags column (W_NOT_DEMANDED), else the task's. A units.csv
 * without kinds has no collectives: every task is then demanded. */
static enum pl_status mark_demand(struct ctx *x)
{
    const struct pl_table *tasks = x->in->tasks, *units = x->in->units, *rt = x->in->rated;
    size_t nt = tasks ? tasks->nrows : 0;
    enum pl_status st = PL_OK;
    struct pl_catalog cat;
    pl_catalog_init(&cat);
    x->nd_task = calloc(nt + 1, sizeof *x->nd_task);
    x->nd = calloc(rt->nrows + 1, sizeof *x->nd);
    x->nd_sel = calloc(rt->nrows + 1, sizeof *x->nd_sel);
    CKP(x->nd_task && x->nd && x->nd_sel);
    for (size_t i = 0; units && i < units->nrows; i++) {
        struct pl_unit *u = pl_catalog_add_unit(&cat);
        CKP(u);
        CKP(u->name = strdup(cell(units, (long)i, "name")));
        const char *aliases = cell(units, (long)i, "aliases");
        CK(pl_strv_split(&u->aliases, aliases, strlen(aliases), '|'));
        if (!pl_unit_kind_parse(cell(units, (long)i, "kind"), &u->kind))
            u->kind = PL_UNIT_DEPARTMENT;
    }
    CK(pl_catalog_index(&cat, NULL, NULL));
    /* A cycle on some tasks (cycles.csv tasks): the others are not this cycle's at all, not
     * tasks demanded from nobody to be named as such. */
    struct pl_cycle subset = {
        .tasks = x->in->cycle ? (char *)cell(x->in->cycles,
                                             find_row(x->in->cycles, "id", x->in->cycle), "tasks")
                              : NULL};
    for (size_t t = 0; t < nt; t++) {
        struct pl_task task = {0};
        pl_strv_init(&task.hosts);
        const char *hosts = cell(tasks, (long)t, "hosts");
        task.id = (char *)cell(tasks, (long)t, "id");
        if (!pl_task_kind_parse(cell(tasks, (long)t, "kind"), &task.kind))
            task.kind = PL_TASK_KEY;
        st = pl_strv_split(&task.hosts, hosts, strlen(hosts), '|');
        x->nd_task[t] = st == PL_OK && task.hosts.n && !pl_merge_task_demanded(&cat, &task) &&
                        pl_catalog_cycle_has_task(&subset, &task);
        pl_strv_fini(&task.hosts);
        CK(st);
    }
    for (size_t r = 0; r < rt->nrows; r++) {
        long t = x->task_of[r];
        x->nd[r] = x->c.flags >= 0 ? has_flag(pl_table_get(rt, r, x->c.flags), "W_NOT_DEMANDED")
                                   : t >= 0 && x->nd_task[t];
    }
fail:
    pl_catalog_fini(&cat);
    return st;
}

/* True when every host of task T is a collective: a roll-up (63, of 附件2's items), not a
 * task addressed to everyone (78–81, which names 县经开区 besides). */
static bool task_is_rollup(struct ctx *x, long t)
{
    const char *hosts = cell(x->in->tasks, t, "hosts");
    bool any = false;
    for (const char *p = hosts; *p;) {
        const char *e = strchr(p, '|');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        char *h = strndup(p, n);
        if (!h)
            return false;
        bool coll = strcmp(unit_kind(x, h), "collective") == 0;
        free(h);
        if (!coll)
            return false;
        any = true;
        p = e ? e + 1 : p + n;
    }
    return any;
}

/* Whether the overview shows task T as demanded from nobody: a task of that kind (or one with
 * rows flagged so) that the subset takes in — a colour subset never (it has no colour), a task
 * list when it names T, a leader when the leader leads it, a unit when the unit reported on it
 * anyway. */
static bool nd_task_shown(struct ctx *x, long t)
{
    const struct pl_circular_input *in = x->in;
    const struct pl_table *rt = in->rated;
    bool flagged = false;
    for (size_t r = 0; r < rt->nrows && !flagged; r++)
        flagged = x->nd_sel[r] && x->task_of[r] == t;
    if (in->unit || in->colour)
        return flagged;
    if (!x->nd_task[t] && !flagged)
        return false;
    if (in->tasks_list) {
        struct match m = {cell(in->tasks, t, "id"), -1};
        if (!any_item(in->tasks_list, same_text, &m))
            return false;
    }
    return !in->leader || list_has(x, cell(in->tasks, t, "leaders"), x->leader.data);
}

/* ---- ordering: catalog order of tasks, then of hosts within a task ---- */

struct sortkey {
    long task;
    const char *id; /* tasks not in the catalog come last, by id */
    long host;
    size_t row;
};

static int by_key(const void *a, const void *b)
{
    const struct sortkey *x = a, *y = b;
    if (x->task != y->task)
        return x->task < y->task ? -1 : 1;
    int c = strcmp(x->id, y->id);
    if (c)
        return c;
    if (x->host != y->host)
        return x->host < y->host ? -1 : 1;
    return x->row < y->row ? -1 : x->row > y->row;
}

static long host_position(const char *hosts, const char *unit)
{
    long i = 0;
    for (const char *p = hosts; *p; i++) {
        const char *e = strchr(p, '|');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n == strlen(unit) && memcmp(p, unit, n) == 0)
            return i;
        p = e ? e + 1 : p + n;
    }
    return 1000000;
}

static enum pl_status order_rows(struct ctx *x)
{
    const struct pl_table *rt = x->in->rated;
    struct sortkey *k = malloc((x->nsel + 1) * sizeof *k);
    x->order = malloc((x->nsel + 1) * sizeof *x->order);
    if (!k || !x->order) {
        free(k);
        return PL_ERR_NOMEM;
    }
    size_t n = 0;
    for (size_t r = 0; r < rt->nrows; r++) {
        if (!x->sel[r])
            continue;
        const char *task = pl_table_get(rt, r, x->c.task);
        long t = x->task_of[r];
        k[n++] = (struct sortkey){
            t < 0 ? 1000000 : t, task,
            host_position(cell(x->in->tasks, t, "hosts"), pl_table_get(rt, r, x->c.unit)), r};
    }
    qsort(k, n, sizeof *k, by_key);
    for (size_t i = 0; i < n; i++)
        x->order[i] = k[i].row;
    free(k);
    return PL_OK;
}

/* ---- coverage ---- */

static void check_text(struct ctx *x, const char *text, const char *file, unsigned long line,
                       const char *task, const char *field)
{
    if (!x->in->covers)
        return;
    size_t n = strlen(text);
    for (size_t i = 0; i < n;) {
        uint32_t cp;
        size_t k = pl_utf8_decode(text + i, n - i, &cp);
        if (!k)
            return;
        if (cp >= 0x20 && !x->in->covers(x->in->covers_ctx, cp)) {
            /* Once per task, field and character, however many rows repeat it: the keys are
             * kept as "\ntask\tfield\tcharacter\n" lines. */
            struct pl_buf key;
            pl_buf_init(&key);
            pl_buf_printf(&key, "\n%s\t%s\t%.*s\n", task, field, (int)k, text + i);
            bool seen = !key.data || (x->reported.data && strstr(x->reported.data, key.data));
            if (!seen)
                pl_buf_append(&x->reported, key.data, key.len);
            pl_buf_fini(&key);
            if (seen) {
                i += k;
                continue;
            }
            pl_diag_report(x->diag, file, line, 0, "W_MISSING_GLYPH",
                           "任务%s的 %s 字段里的“%.*s”（U+%04X）没有一个字体能显示，会印成□", task,
                           field, (int)k, text + i, (unsigned)cp);
        }
        i += k;
    }
}

/* ---- numbers ---- */

static enum pl_status set_count(struct pl_tpl_data *d, const char *name, size_t n, size_t of)
{
    enum pl_status st = pl_tpl_setf(d, name, "%zu", n);
    if (st != PL_OK)
        return st;
    char share[64];
    snprintf(share, sizeof share, "%s_share", name);
    return pl_tpl_setf(d, share, "%.1f%%", of ? 100.0 * (double)n / (double)of : 0.0);
}

static enum pl_status set_date(struct pl_tpl_data *d, const char *name, long days)
{
    int y, m, dd;
    pl_date_to_civil(days, &y, &m, &dd);
    enum pl_status st = pl_tpl_setf(d, name, "%d年%d月%d日", y, m, dd);
    char iso[64];
    snprintf(iso, sizeof iso, "%s_iso", name);
    if (st == PL_OK)
        st = pl_tpl_setf(d, iso, "%04d-%02d-%02d", y, m, dd);
    return st;
}

static bool parse_day(const char *s, long *days)
{
    return *s && pl_date_parse(s, strlen(s), days, NULL) == PL_OK;
}

/* A decimal progress; false when empty or unreadable. */
static bool parse_progress(const char *s, double *v)
{
    if (!*s)
        return false;
    char *end;
    *v = strtod(s, &end);
    return *end == '\0';
}

/* Prints V with at most one decimal and no trailing .0 (15, 12.5). */
static void format_points(char *out, size_t size, double v)
{
    double r = (double)(long long)(v * 10.0 + (v >= 0 ? 0.5 : -0.5)) / 10.0;
    if (r == (double)(long long)r)
        snprintf(out, size, "%lld", (long long)r);
    else
        snprintf(out, size, "%.1f", r);
}

static enum row_class classify(struct ctx *x, size_t r)
{
    const struct pl_table *rt = x->in->rated;
    const char *missing = pl_table_get(rt, r, x->c.missing);
    const char *status = pl_table_get(rt, r, x->c.status);
    if (strcmp(missing, "2") == 0 || strcmp(status, "报送有误") == 0)
        return RC_RETURNED;
    if (strcmp(missing, "0") != 0 && *missing)
        return RC_MISSING;
    double p;
    if (parse_progress(pl_table_get(rt, r, x->c.progress), &p)) {
        if (p >= 100.0)
            return RC_DONE;
        if (p <= 0.0)
            return RC_NOT_STARTED;
    }
    return row_colour(x, r) == 0 ? RC_ON_TRACK : RC_BEHIND;
}

static bool row_reported(struct ctx *x, size_t r)
{
    return x->cls[r] != RC_RETURNED && x->cls[r] != RC_MISSING;
}

/* ---- units: kinds, short names ---- */

static const char *unit_kind(struct ctx *x, const char *unit)
{
    return cell(x->in->units, unit_row(x, unit), "kind");
}

static bool ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), k = strlen(tail);
    return n >= k && strcmp(s + n - k, tail) == 0;
}

/* Courts and procuratorates are not objects of government supervision (《政府督查工作条例》
 * 第五条): the circular neither names them among the problems nor ranks them. Known by their
 * kind in units.csv, or by the name where the catalog types them otherwise. */
static bool unit_is_court(struct ctx *x, const char *unit)
{
    const char *k = unit_kind(x, unit);
    if (strcmp(k, "judicial") == 0 || strcmp(k, "court") == 0 ||
        strcmp(k, "procuratorate") == 0)
        return true;
    return ends_with(unit, "法院") || ends_with(unit, "检察院");
}

/* Units outside a circular's usual addressees (towns, the zone and government departments):
 * vertically managed offices, enterprises, banks, courts. */
static bool unit_is_outside(struct ctx *x, const char *unit)
{
    static const char *const kinds[] = {"vertical", "judicial",      "enterprise", "bank",
                                        "court",    "procuratorate", "company"};
    const char *k = unit_kind(x, unit);
    for (size_t i = 0; i < sizeof kinds / sizeof *kinds; i++)
        if (strcmp(k, kinds[i]) == 0)
            return true;
    return unit_is_court(x, unit);
}

/* ---- the parts ---- */

/* The cycle: given, or the one that most returns' dates fall in (start to deadline + 60
 * days, the grace for late returns), the later one on a tie; without dates, the one whose
 * expected progress the rated rows carry; else the first. */
static long pick_cycle(struct ctx *x)
{
    const struct pl_circular_input *in = x->in;
    const struct pl_table *cy = in->cycles, *rt = in->rated;
    if (!cy || !cy->nrows)
        return -1;
    if (in->cycle)
        return find_row(cy, "id", in->cycle);
    int rep = pl_table_column(rt, "reported_on"), exp = pl_table_column(rt, "expected");
    long best = -1;
    size_t best_n = 0;
    for (size_t c = 0; c < cy->nrows; c++) {
        long s, e;
        if (!parse_day(cell(cy, (long)c, "start"), &s) ||
            !parse_day(cell(cy, (long)c, "deadline"), &e))
            continue;
        size_t n = 0;
        for (size_t r = 0; r < rt->nrows; r++) {
            long d;
            if (parse_day(pl_table_get(rt, r, rep), &d) && d >= s && d <= pl_date_add_days(e, 60))
                n++;
        }
        if (n && n >= best_n) {
            best = (long)c;
            best_n = n;
        }
    }
    if (best >= 0)
        return best;
    for (size_t c = 0; exp >= 0 && rt->nrows && c < cy->nrows; c++)
        if (strcmp(cell(cy, (long)c, "expected"), pl_table_get(rt, 0, exp)) == 0)
            return (long)c;
    return 0;
}

/* Whether cycle C is the last of its year in cycles.csv (no cycle starting in the same year
 * ends later); without dates, whether its expected progress is 100. */
static bool last_of_year(const struct pl_table *cy, long c)
{
    long s, e;
    if (c < 0)
        return false;
    if (!parse_day(cell(cy, c, "start"), &s) || !parse_day(cell(cy, c, "end"), &e)) {
        double v;
        return parse_progress(cell(cy, c, "expected"), &v) && v >= 100.0;
    }
    int y, m, d;
    pl_date_to_civil(s, &y, &m, &d);
    for (size_t k = 0; k < cy->nrows; k++) {
        long s2, e2;
        int y2;
        if ((long)k == c || !parse_day(cell(cy, (long)k, "start"), &s2) ||
            !parse_day(cell(cy, (long)k, "end"), &e2))
            continue;
        pl_date_to_civil(s2, &y2, &m, &d);
        if (y2 == y && e2 > e)
            return false;
    }
    return true;
}

/* The latest reported_on of a row the circular counts as reported (all rows, not only the
 * subset: the ranking table counts them all); false when there is none. */
static bool latest_return(struct ctx *x, long *day)
{
    const struct pl_table *rt = x->in->rated;
    bool any = false;
    for (size_t r = 0; r < rt->nrows; r++) {
        long d;
        if (!row_reported(x, r) || !parse_day(pl_table_get(rt, r, x->c.reported), &d))
            continue;
        if (!any || d > *day)
            *day = d;
        any = true;
    }
    return any;
}

static const char *latest_iso(long day, char *out, size_t size)
{
    int y, m, d;
    pl_date_to_civil(day, &y, &m, &d);
    snprintf(out, size, "%04d-%02d-%02d", y, m, d);
    return out;
}

/* The issue number: --number, else cycles.csv `number`; a bare serial (5) is 第5期. */
static enum pl_status set_number(struct ctx *x, struct pl_tpl_data *d, long c)
{
    const char *num = x->in->number ? x->in->number : cell(x->in->cycles, c, "number");
    bool digits = *num != '\0';
    for (const char *p = num; *p; p++)
        digits = digits && *p >= '0' && *p <= '9';
    enum pl_status st =
        digits ? pl_tpl_setf(d, "number", "第%s期", num) : pl_tpl_set(d, "number", num);
    if (st != PL_OK)
        return st;
    size_t nl = strlen(num);
    bool serial =
        digits || (nl > 6 && strncmp(num, "第", 3) == 0 && strcmp(num + nl - 3, "期") == 0);
    if (!*num)
        pl_diag_report(x->diag, NULL, 0, 0, "W_NO_NUMBER",
                       "没有给出文号（--number，或 cycles.csv 的 number 列），版头不印文号");
    return pl_tpl_set(d, "serial", serial ? "1" : "0");
}

static enum pl_status set_facts(struct ctx *x, struct pl_tpl_data *d, long long *when)
{
    const struct pl_circular_input *in = x->in;
    enum pl_status st = PL_OK;
    /* 抄送 is the template's own (the targets document's cc is that document's). */
    static const struct {
        const char *key, *name;
    } facts[] = {{"number", "basis_number"}, {"title", "basis_title"},
                 {"issuer", "basis_issuer"}, {"county", "county"},
                 {"office", "office"},       {"addressees", "addressees"}};
    for (size_t i = 0; i < sizeof facts / sizeof facts[0]; i++) {
        const char *v = doc_fact(in, facts[i].key);
        if (*v)
            CK(pl_tpl_set(d, facts[i].name, v));
    }
    long basis_day;
    if (parse_day(doc_fact(in, "date"), &basis_day))
        CK(set_date(d, "basis_date", basis_day));
    /* The county: given, or the issuer's name before 人民政府. */
    const char *issuer = doc_fact(in, "issuer");
    const char *gov = strstr(issuer, "人民政府");
    if (!*doc_fact(in, "county") && gov && gov > issuer) {
        pl_buf_clear(&x->scratch);
        pl_buf_append(&x->scratch, issuer, (size_t)(gov - issuer));
        CK(pl_tpl_set(d, "county", x->scratch.data));
    }
    /* The county without its last character (嘉祥县 → 嘉祥), as in 嘉祥经济开发区. */
    const char *county = *doc_fact(in, "county") ? doc_fact(in, "county") : NULL;
    if (!county && gov && gov > issuer)
        county = x->scratch.data;
    if (county && utf8_chars(county, strlen(county)) > 2) {
        size_t n = strlen(county);
        while (n && ((unsigned char)county[n - 1] & 0xC0) == 0x80)
            n--;
        char *cs = strndup(county, n ? n - 1 : 0);
        CKP(cs);
        st = pl_tpl_set(d, "county_short", cs);
        free(cs);
        CK(st);
    }
    long c = pick_cycle(x);
    if (in->cycle && c < 0) {
        pl_diag_report(x->diag, in->cycles ? in->cycles->source : NULL, 0, 0, "E_BAD_OPTION",
                       "周期“%s”不在 cycles.csv 里", in->cycle);
        return PL_ERR_USAGE;
    }
    x->year_end = last_of_year(in->cycles, c);
    if (c < 0) {
        int exp = pl_table_column(in->rated, "expected");
        double v;
        x->year_end = exp >= 0 && in->rated->nrows &&
                      parse_progress(pl_table_get(in->rated, 0, exp), &v) && v >= 100.0;
    }
    CK(pl_tpl_set(d, "year_end", x->year_end ? "1" : "0"));
    const char *cycle = in->cycle ? in->cycle : cell(in->cycles, c, "id");
    CK(pl_tpl_set(d, "cycle", cycle));
    CK(pl_tpl_set(d, "cycle_label", cell(in->cycles, c, "label")));
    {
        /* The tasks a cycle on some tasks covers (cycles.csv tasks), as prose names them:
         * 重点工作第3、17、45项; empty for a cycle on every task. */
        struct pl_buf scope;
        pl_buf_init(&scope);
        st = pl_catalog_table_scope(in->tasks, cell(in->cycles, c, "tasks"), &scope);
        if (st == PL_OK)
            st = pl_tpl_set(d, "cycle_scope", scope.len ? scope.data : "");
        pl_buf_fini(&scope);
        CK(st);
    }
    if (*cell(in->cycles, c, "expected")) {
        CK(pl_tpl_set(d, "expected", cell(in->cycles, c, "expected")));
    } else {
        /* Blank in cycles.csv: the elapsed share ducha-rate put on the rows, the least of them
         * (a task with its own due date is expected further on). */
        int exp = pl_table_column(in->rated, "expected");
        double least = 0, v;
        bool any = false;
        for (size_t r = 0; exp >= 0 && r < in->rated->nrows; r++)
            if (parse_progress(pl_table_get(in->rated, r, exp), &v) && (!any || v < least)) {
                least = v;
                any = true;
            }
        CK(any ? pl_tpl_setf(d, "expected", "%g", least) : pl_tpl_set(d, "expected", ""));
    }
    long start, deadline, day = 0;
    bool have_deadline = parse_day(cell(in->cycles, c, "deadline"), &deadline);
    int year = 0;
    if (parse_day(cell(in->cycles, c, "start"), &start) ||
        parse_day(doc_fact(in, "date"), &start)) {
        int m, dd;
        pl_date_to_civil(start, &year, &m, &dd);
        CK(pl_tpl_setf(d, "year", "%d", year));
        CK(pl_tpl_setf(d, "next_year", "%d", year + 1));
    } else {
        CK(pl_tpl_set(d, "year", ""));
        CK(pl_tpl_set(d, "next_year", ""));
    }
    if (have_deadline)
        CK(set_date(d, "deadline", deadline));
    /* The issue date (DESIGN.md, The circular): --date, else cycles.csv `issued`, else the
     * later of the deadline and the latest return counted — never before a return it names.
     * SOURCE_DATE_EPOCH only where the data has no date at all. */
    long latest = 0;
    bool have_latest = latest_return(x, &latest);
    if (have_latest)
        CK(set_date(d, "latest_return", latest));
    else
        CK(pl_tpl_set(d, "latest_return", ""));
    const char *issued = cell(in->cycles, c, "issued");
    bool have_day = true;
    char iso[16];
    if (in->date || *issued) {
        const char *given = in->date ? in->date : issued;
        if (!parse_day(given, &day)) {
            pl_diag_report(x->diag, in->date ? NULL : in->cycles->source, 0, 0,
                           in->date ? "E_BAD_OPTION" : "E_BAD_DATE",
                           "日期“%s”读不懂（写成 2023-07-10）", given);
            return in->date ? PL_ERR_USAGE : PL_ERR_CONFIG;
        }
        if (have_latest && day < latest)
            pl_diag_report(x->diag, NULL, 0, 0, "W_DATE_BEFORE_RETURN",
                           "成文日期 %s 早于所计入的最后一份报表（%s）", given,
                           latest_iso(latest, iso, sizeof iso));
    } else if (have_deadline || have_latest) {
        day = have_deadline ? deadline : latest;
        if (have_latest && latest > day)
            day = latest;
    } else if (in->epoch >= 0) {
        day = (long)(in->epoch / 86400);
    } else {
        have_day = false;
    }
    *when = have_day ? (long long)day * 86400 : 0;
    if (have_day)
        CK(set_date(d, "date", day));
    else
        CK(pl_tpl_set(d, "date", ""));
    CK(pl_tpl_set(d, "title", in->title ? in->title : ""));
    CK(set_number(x, d, c));
fail:
    return st;
}

/* Normalises --leader (spaces and a trailing 同志 dropped) into x->leader. */
static enum pl_status take_leader(struct ctx *x)
{
    if (!x->in->leader)
        return PL_OK;
    const char *l = x->in->leader;
    size_t n = strlen(l);
    if (ends_with(l, "同志"))
        n -= strlen("同志");
    return pl_buf_append(&x->leader, l, n);
}

/* ---- names the options give, checked against the catalog ---- */

/* Edit distance between A and B by code points (the nearest names are listed first). */
static size_t distance(const char *a, const char *b)
{
    uint32_t ca[64], cb[64];
    size_t na = 0, nb = 0;
    for (const char *p = a; *p && na < 64;) {
        size_t k = pl_utf8_decode(p, strlen(p), &ca[na]);
        if (!k)
            break;
        p += k;
        na++;
    }
    for (const char *p = b; *p && nb < 64;) {
        size_t k = pl_utf8_decode(p, strlen(p), &cb[nb]);
        if (!k)
            break;
        p += k;
        nb++;
    }
    size_t row[65];
    for (size_t j = 0; j <= nb; j++)
        row[j] = j;
    for (size_t i = 1; i <= na; i++) {
        size_t diag = row[0];
        row[0] = i;
        for (size_t j = 1; j <= nb; j++) {
            size_t up = row[j];
            size_t best = diag + (ca[i - 1] != cb[j - 1]);
            if (row[j] + 1 < best)
                best = row[j] + 1;
            if (row[j - 1] + 1 < best)
                best = row[j - 1] + 1;
            row[j] = best;
            diag = up;
        }
    }
    return row[nb];
}

struct near {
    const char *name;
    size_t dist, order;
};

static int by_near(const void *a, const void *b)
{
    const struct near *x = a, *y = b;
    if (x->dist != y->dist)
        return x->dist < y->dist ? -1 : 1;
    return (x->order > y->order) - (x->order < y->order);
}

/* Appends to OUT up to LIMIT of the N names, nearest to WANT first, joined by 、, and 等N个
 * when there are more. */
static enum pl_status nearest(struct pl_buf *out, const char *want, const char **names, size_t n,
                              size_t limit)
{
    struct near *v = malloc((n + 1) * sizeof *v);
    if (!v)
        return PL_ERR_NOMEM;
    for (size_t i = 0; i < n; i++)
        v[i] = (struct near){names[i], distance(want, names[i]), i};
    qsort(v, n, sizeof *v, by_near);
    for (size_t i = 0; i < n && i < limit; i++)
        pl_buf_printf(out, "%s%s", i ? "、" : "", v[i].name);
    if (n > limit)
        pl_buf_printf(out, "等%zu个", n);
    free(v);
    return out->data ? PL_OK : PL_ERR_NOMEM;
}

/* Adds each |-joined name of LIST not yet in NAMES (N of them, capacity CAP). */
static bool add_names(const char ***names, size_t *n, size_t *cap, const char *list,
                      struct pl_buf *arena)
{
    (void)arena;
    for (const char *p = list; *p;) {
        const char *e = strchr(p, '|');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len) {
            bool seen = false;
            for (size_t i = 0; i < *n && !seen; i++)
                seen = strlen((*names)[i]) == len && memcmp((*names)[i], p, len) == 0;
            if (!seen) {
                if (*n == *cap) {
                    size_t c2 = *cap ? 2 * *cap : 64;
                    const char **grown = realloc(*names, c2 * sizeof **names);
                    if (!grown)
                        return false;
                    *names = grown;
                    *cap = c2;
                }
                char *copy = strndup(p, len);
                if (!copy)
                    return false;
                (*names)[(*n)++] = copy;
            }
        }
        p = e ? e + 1 : p + len;
    }
    return true;
}

static void free_names(const char **names, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free((char *)names[i]);
    free(names);
}

/* An unknown --leader or --unit is a usage error that lists the known ones, nearest first;
 * an unknown id in --tasks one that names it (E_UNKNOWN_*, PL_ERR_USAGE). */
static enum pl_status check_subset_names(struct ctx *x)
{
    const struct pl_circular_input *in = x->in;
    enum pl_status st = PL_OK;
    const char **names = NULL;
    size_t n = 0, cap = 0;
    struct pl_buf msg;
    pl_buf_init(&msg);
    if (in->leader) {
        int cl = pl_table_column(in->tasks, "leaders");
        bool found = false;
        for (size_t t = 0; t < in->tasks->nrows; t++) {
            const char *leaders = pl_table_get(in->tasks, t, cl);
            found = found || list_has(x, leaders, x->leader.data);
            CKP(add_names(&names, &n, &cap, leaders, NULL));
        }
        if (!found) {
            CK(nearest(&msg, x->leader.data, names, n, n));
            pl_diag_report(x->diag, in->tasks->source, 0, 0, "E_UNKNOWN_LEADER",
                           "牵头领导“%s”不在任务目录里；目录里的牵头领导有：%s", in->leader,
                           msg.data ? msg.data : "（无）");
            st = PL_ERR_USAGE;
            goto fail;
        }
    }
    if (in->unit) {
        bool found = false;
        for (size_t r = 0; r < in->rated->nrows && !found; r++)
            found = unit_matches(x, pl_table_get(in->rated, r, x->c.unit));
        int cn = pl_table_column(in->units, "name");
        for (size_t u = 0; u < in->units->nrows && !found; u++)
            found = unit_matches(x, pl_table_get(in->units, u, cn));
        if (!found) {
            free_names(names, n);
            names = NULL;
            n = cap = 0;
            for (size_t u = 0; u < in->units->nrows; u++)
                if (strcmp(cell(in->units, (long)u, "kind"), "collective") != 0)
                    CKP(add_names(&names, &n, &cap, pl_table_get(in->units, u, cn), NULL));
            CK(nearest(&msg, in->unit, names, n, 8));
            pl_diag_report(x->diag, in->units->source, 0, 0, "E_UNKNOWN_UNIT",
                           "单位“%s”不在单位目录里（名称、简称、别名都不符）；最接近的有：%s",
                           in->unit, msg.data ? msg.data : "（无）");
            st = PL_ERR_USAGE;
            goto fail;
        }
    }
    if (in->tasks_list) {
        const char *p = in->tasks_list;
        while (*p) {
            size_t skip = (*p == ',' || *p == ' ')                         ? 1
                          : (!strncmp(p, "、", 3) || !strncmp(p, "，", 3)) ? 3
                                                                           : 0;
            if (skip) {
                p += skip;
                continue;
            }
            const char *e = p;
            while (*e && *e != ',' && *e != ' ' && strncmp(e, "、", 3) && strncmp(e, "，", 3))
                e++;
            char *id = strndup(p, (size_t)(e - p));
            CKP(id);
            bool known = find_row(in->tasks, "id", id) >= 0 ||
                         find_row(in->rated, "task_id", id) >= 0;
            if (!known) {
                pl_diag_report(x->diag, in->tasks->source, 0, 0, "E_UNKNOWN_TASK",
                               "任务编号“%s”不在任务目录里（重点工作写 1–%zu 这样的编号，"
                               "民生实事写 M1-1、M3）",
                               id, in->tasks->nrows);
                st = PL_ERR_USAGE;
            }
            free(id);
            if (st != PL_OK)
                goto fail;
            p = e;
        }
    }
fail:
    free_names(names, n);
    pl_buf_fini(&msg);
    return st;
}

/* Appends the tasks' references, key tasks together (重点工作第2、5项), then the livelihood
 * items (民生实事第5项第（2）目), from the NUL-separated IDS (N of them). */
static void append_refs(struct pl_buf *out, const char *const *ids, size_t n)
{
    size_t keys = 0;
    for (size_t i = 0; i < n; i++) {
        if (ids[i][0] == 'M' || ids[i][0] == 'm')
            continue;
        pl_buf_printf(out, "%s%s", keys ? "、" : "重点工作第", ids[i]);
        keys++;
    }
    if (keys)
        pl_buf_append_str(out, "项");
    bool first = true;
    for (size_t i = 0; i < n; i++) {
        if (ids[i][0] != 'M' && ids[i][0] != 'm')
            continue;
        if (keys || !first)
            pl_buf_append_str(out, "、");
        task_ref(out, ids[i]);
        first = false;
    }
}

/* The unit the --unit option names, as the rows spell it (NULL when none matches). */
static const char *subset_unit(struct ctx *x)
{
    for (size_t i = 0; i < x->nsel; i++) {
        const char *u = pl_table_get(x->in->rated, x->order[i], x->c.unit);
        if (unit_matches(x, u))
            return u;
    }
    return NULL;
}

static enum pl_status set_subset(struct ctx *x, struct pl_tpl_data *d)
{
    const struct pl_circular_input *in = x->in;
    struct pl_buf b, sn;
    pl_buf_init(&b);
    pl_buf_init(&sn);
    enum pl_status st = PL_OK;
    if (in->tasks_list) {
        /* The ids as the prose names them, key tasks together: 重点工作第1、4项. */
        char *copy = strdup(in->tasks_list);
        const char **ids = malloc((strlen(in->tasks_list) + 1) * sizeof *ids);
        size_t n = 0;
        if (!copy || !ids) {
            free(copy);
            free(ids);
            st = PL_ERR_NOMEM;
            goto fail;
        }
        for (char *p = copy; *p;) {
            size_t skip = (*p == ',' || *p == ' ')                         ? 1
                          : (!strncmp(p, "、", 3) || !strncmp(p, "，", 3)) ? 3
                                                                           : 0;
            if (skip) {
                memset(p, 0, skip);
                p += skip;
                continue;
            }
            ids[n++] = p;
            while (*p && *p != ',' && *p != ' ' && strncmp(p, "、", 3) && strncmp(p, "，", 3))
                p++;
        }
        append_refs(&b, ids, n);
        free(ids);
        free(copy);
        if (in->leader || in->unit || in->colour)
            pl_buf_append_str(&b, "中");
    }
    if (in->leader)
        pl_buf_printf(&b, "%s同志牵头的", x->leader.data);
    const char *unit = in->unit ? subset_unit(x) : NULL;
    if (in->unit)
        pl_buf_printf(&b, "%s承办的", unit ? short_name(x, &sn, unit) : in->unit);
    CK(pl_tpl_set(d, "subset_unit", unit ? short_name(x, &sn, unit) : ""));
    /* The subset without its colours, for a template that names the colour itself (the
     * 督查专报 is about red tasks: "朱亚峰同志牵头的任务中红色任务", not "红色任务中红色任务"). */
    struct pl_buf scope;
    pl_buf_init(&scope);
    if (in->leader || in->unit) {
        pl_buf_printf(&scope, "%s任务", b.data);
    } else if (in->tasks_list) {
        size_t n = b.len; /* without the 中 that a colour would follow */
        if (n >= 3 && strcmp(b.data + n - 3, "中") == 0)
            n -= 3;
        pl_buf_append(&scope, b.data, n);
    }
    st = pl_tpl_set(d, "subset_scope", scope.data);
    pl_buf_fini(&scope);
    if (st != PL_OK)
        goto fail;
    if (in->colour) {
        for (int c = 0; c < 3; c++) {
            struct match m = {NULL, c};
            if (any_item(in->colour, same_colour, &m))
                pl_buf_append_str(&b, colour_words[c]);
        }
        pl_buf_append_str(&b, "色");
    }
    if (b.len && !(in->tasks_list && !in->leader && !in->unit && !in->colour))
        pl_buf_append_str(&b, "任务");
    CK(b.data || !b.len ? PL_OK : PL_ERR_NOMEM);
    CK(pl_tpl_set(d, "subset", b.data ? b.data : ""));
fail:
    pl_buf_fini(&b);
    pl_buf_fini(&sn);
    return st;
}

/* How many different units the selected rows have (0 when out of memory: a count only). */
static size_t distinct_units(struct ctx *x)
{
    struct keyed *k = malloc((x->nsel + 1) * sizeof *k);
    if (!k)
        return 0;
    for (size_t i = 0; i < x->nsel; i++)
        k[i] = (struct keyed){pl_table_get(x->in->rated, x->order[i], x->c.unit), i};
    qsort(k, x->nsel, sizeof *k, by_keyed);
    size_t n = 0;
    for (size_t i = 0; i < x->nsel; i++)
        n += i == 0 || strcmp(k[i - 1].key, k[i].key) != 0;
    free(k);
    return n;
}

static bool is_livelihood(struct ctx *x, size_t r)
{
    const char *kind = cell(x->in->tasks, x->task_of[r], "kind");
    if (*kind)
        return strcmp(kind, "livelihood") == 0;
    const char *id = pl_table_get(x->in->rated, r, x->c.task);
    return id[0] == 'M' && id[1] >= '0' && id[1] <= '9';
}

static enum pl_status add_item(struct pl_tpl_list *l, const char *name, size_t count, size_t of)
{
    if (!count)
        return PL_OK;
    struct pl_tpl_data *it = pl_tpl_item(l);
    if (!it)
        return PL_ERR_NOMEM;
    enum pl_status st = pl_tpl_set(it, "name", name);
    if (st == PL_OK)
        st = pl_tpl_setf(it, "count", "%zu", count);
    if (st == PL_OK)
        st = pl_tpl_setf(it, "share", "%.1f%%", 100.0 * (double)count / (double)of);
    return st;
}

/* Counts of (task, host) rows and of tasks, from the figures (see classify). */
static enum pl_status set_counts(struct ctx *x, struct pl_tpl_data *d)
{
    const struct pl_table *rt = x->in->rated;
    size_t cls[6] = {0}, colour[3] = {0}, rows = 0, late = 0;
    size_t tasks = 0, key = 0, liv = 0, t_done = 0, t_done_key = 0, t_done_liv = 0, t_blue = 0;
    size_t t_red = 0, t_missing = 0;
    for (size_t i = 0; i < x->nsel;) {
        /* Rows are ordered by task: one task's rows are together. */
        const char *task = pl_table_get(rt, x->order[i], x->c.task);
        bool all_done = true, all_blue = true, any_red = false, any_missing = false;
        bool liv_task = is_livelihood(x, x->order[i]);
        size_t j = i;
        for (; j < x->nsel && strcmp(pl_table_get(rt, x->order[j], x->c.task), task) == 0; j++) {
            size_t r = x->order[j];
            rows++;
            cls[x->cls[r]]++;
            late += row_reported(x, r) && strcmp(pl_table_get(rt, r, x->c.late), "1") == 0;
            int c = row_colour(x, r);
            if (c >= 0)
                colour[c]++;
            all_done = all_done && x->cls[r] == RC_DONE;
            all_blue = all_blue && c == 0;
            any_red = any_red || c == 2;
            any_missing = any_missing || !row_reported(x, r);
        }
        tasks++;
        key += !liv_task;
        liv += liv_task;
        t_done += all_done;
        t_done_key += all_done && !liv_task;
        t_done_liv += all_done && liv_task;
        t_blue += all_blue;
        t_red += any_red;
        t_missing += any_missing;
        i = j;
    }
    enum pl_status st = PL_OK;
    size_t reported = rows - cls[RC_RETURNED] - cls[RC_MISSING];
    size_t unfinished = cls[RC_ON_TRACK] + cls[RC_BEHIND] + cls[RC_NOT_STARTED];
    CK(pl_tpl_setf(d, "tasks", "%zu", tasks));
    CK(pl_tpl_setf(d, "key_tasks", "%zu", key));
    CK(pl_tpl_setf(d, "livelihood_tasks", "%zu", liv));
    CK(pl_tpl_setf(d, "rows", "%zu", rows));
    CK(pl_tpl_setf(d, "units", "%zu", distinct_units(x)));
    CK(set_count(d, "reported", reported, rows));
    CK(set_count(d, "done", cls[RC_DONE], rows));
    CK(set_count(d, "on_track", cls[RC_ON_TRACK], rows));
    CK(set_count(d, "behind", cls[RC_BEHIND], rows));
    CK(set_count(d, "not_started", cls[RC_NOT_STARTED], rows));
    CK(set_count(d, "unfinished", unfinished, rows));
    CK(set_count(d, "returned", cls[RC_RETURNED], rows));
    CK(set_count(d, "missing", cls[RC_MISSING], rows));
    CK(set_count(d, "late", late, rows));
    for (int c = 0; c < 3; c++)
        CK(set_count(d, colour_names[c], colour[c], rows));
    CK(set_count(d, "tasks_done", t_done, tasks));
    CK(pl_tpl_setf(d, "tasks_done_key", "%zu", t_done_key));
    CK(pl_tpl_setf(d, "tasks_done_livelihood", "%zu", t_done_liv));
    CK(set_count(d, "tasks_all_blue", t_blue, tasks));
    CK(set_count(d, "tasks_red", t_red, tasks));
    CK(set_count(d, "tasks_missing", t_missing, tasks));
    /* The same as lists without the empty categories, for sentences that name only what
     * there is (no 尚未启动0项): by_status in the words of a cycle within the year, by_result
     * in those of the year's end. */
    struct pl_tpl_list *by_status = pl_tpl_list(d, "by_status", "name,count,share");
    struct pl_tpl_list *by_result = pl_tpl_list(d, "by_result", "name,count,share");
    struct pl_tpl_list *by_colour = pl_tpl_list(d, "by_colour", "name,word,count,share");
    CKP(by_status && by_result && by_colour);
    CK(add_item(by_status, "已完成", cls[RC_DONE], rows));
    CK(add_item(by_status, "序时推进", cls[RC_ON_TRACK], rows));
    CK(add_item(by_status, "进展滞后", cls[RC_BEHIND], rows));
    CK(add_item(by_status, "尚未启动", cls[RC_NOT_STARTED], rows));
    CK(add_item(by_status, "报送有误", cls[RC_RETURNED], rows));
    CK(add_item(by_status, "未报送", cls[RC_MISSING], rows));
    CK(add_item(by_result, "已完成", cls[RC_DONE], rows));
    CK(add_item(by_result, "未完成", unfinished, rows));
    CK(add_item(by_result, "报送有误", cls[RC_RETURNED], rows));
    CK(add_item(by_result, "未报送", cls[RC_MISSING], rows));
    static const char *const colour_full[3] = {"蓝色", "黄色", "红色"};
    for (int c = 0; c < 3; c++) {
        if (!colour[c])
            continue;
        struct pl_tpl_data *it = pl_tpl_item(by_colour);
        CKP(it);
        CK(pl_tpl_set(it, "name", colour_full[c]));
        CK(pl_tpl_set(it, "word", colour_words[c]));
        CK(pl_tpl_setf(it, "count", "%zu", colour[c]));
        CK(pl_tpl_setf(it, "share", "%.1f%%", 100.0 * (double)colour[c] / (double)rows));
    }
fail:
    return st;
}

static const char *arrow_sign(const char *arrow)
{
    if (strcmp(arrow, "up") == 0)
        return "↑";
    if (strcmp(arrow, "down") == 0)
        return "↓";
    if (strcmp(arrow, "same") == 0)
        return "→";
    if (strcmp(arrow, "new") == 0)
        return "新";
    return "";
}

/* The rated row's indicator values (metric=value|…) as prose, with the catalog's targets
 * where indicators.csv gives them: 网络零售额增幅12.6%，目标10%；新增限上企业54家，目标60家
 * (no parentheses: the template sets the whole in one pair). */
static void indicator_text(struct ctx *x, size_t r, struct pl_buf *out)
{
    pl_buf_clear(out);
    const char *list = pl_table_get(x->in->rated, r, x->c.indicators);
    const char *task = pl_table_get(x->in->rated, r, x->c.task);
    const struct pl_table *ind = x->in->indicators;
    int ct = ind ? pl_table_column(ind, "task_id") : -1, cm = ind ? pl_table_column(ind, "metric") : -1;
    for (const char *p = list; *p;) {
        const char *e = strchr(p, '|');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        const char *eq = memchr(p, '=', n);
        if (eq) {
            size_t mlen = (size_t)(eq - p);
            const char *unit = "", *target = "";
            for (size_t k = 0; ct >= 0 && cm >= 0 && k < ind->nrows; k++) {
                const char *m = pl_table_get(ind, k, cm);
                if (strcmp(pl_table_get(ind, k, ct), task) == 0 && strlen(m) == mlen &&
                    memcmp(m, p, mlen) == 0) {
                    unit = cell(ind, (long)k, "unit");
                    target = cell(ind, (long)k, "value");
                    break;
                }
            }
            if (out->len)
                pl_buf_append_str(out, "；");
            pl_buf_printf(out, "%.*s%.*s%s", (int)mlen, p, (int)(n - mlen - 1), eq + 1, unit);
            if (*target)
                pl_buf_printf(out, "，目标%s%s", target, unit);
        }
        p = e ? e + 1 : p + n;
    }
    if (!out->data)
        pl_buf_append_str(out, "");
}

/* The livelihood items a roll-up task (63) sums up, over the whole cycle whatever the subset:
 * the catalog's items demanded from someone, and those done by every host that has a row. */
static void livelihood_rollup(struct ctx *x, size_t *items, size_t *done)
{
    const struct pl_table *tasks = x->in->tasks, *rt = x->in->rated;
    *items = *done = 0;
    int cid = tasks ? pl_table_column(tasks, "id") : -1;
    for (size_t t = 0; tasks && t < tasks->nrows; t++) {
        const char *kind = cell(tasks, (long)t, "kind"), *id = pl_table_get(tasks, t, cid);
        bool liv = *kind ? strcmp(kind, "livelihood") == 0
                         : (id[0] == 'M' && id[1] >= '0' && id[1] <= '9');
        if (!liv || x->nd_task[t])
            continue;
        (*items)++;
        bool any = false, all = true;
        for (size_t r = 0; r < rt->nrows; r++) {
            if (x->task_of[r] != (long)t || x->nd[r])
                continue;
            any = true;
            all = all && x->cls[r] == RC_DONE;
        }
        *done += any && all;
    }
}

/* Appends to OUT the |-joined LIST of unit names as the prose writes them: short names,
 * joined with 、 (县政府各部门、各镇街、县经开区). */
static void append_units(struct ctx *x, struct pl_buf *out, const char *list, bool shorts)
{
    struct pl_buf sn;
    pl_buf_init(&sn);
    for (const char *p = list; *p;) {
        const char *e = strchr(p, '|');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        char *h = strndup(p, n);
        if (h) {
            if (out->len)
                pl_buf_append_str(out, "、");
            pl_buf_append_str(out, shorts ? short_name(x, &sn, h) : h);
            free(h);
        }
        p = e ? e + 1 : p + n;
    }
    pl_buf_fini(&sn);
    if (!out->data)
        pl_buf_append_str(out, "");
}

/* The table id of task ID: 5, 民生实事1（1）, 民生实事3. */
static void table_id(struct pl_buf *b, const char *task)
{
    pl_buf_clear(b);
    if ((task[0] == 'M' || task[0] == 'm') && task[1] >= '0' && task[1] <= '9') {
        const char *dash = strchr(task, '-');
        if (dash)
            pl_buf_printf(b, "民生实事%.*s（%s）", (int)(dash - task - 1), task + 1, dash + 1);
        else
            pl_buf_printf(b, "民生实事%s", task + 1);
    } else {
        pl_buf_append_str(b, task);
    }
}

/* The overview's entry for task T, demanded from nobody: no number (the numbers count the
 * demanded rows, as the text does), the hosts as the document names them, no progress and no
 * colour; the reports that came anyway (came) shown for what they are, never counted. */
static enum pl_status set_nd_entry(struct ctx *x, struct pl_tpl_list *rows, long t, size_t items,
                                   size_t items_done, struct pl_buf *refs_everyone,
                                   struct pl_buf *refs_rollup, size_t *n_everyone,
                                   size_t *n_rollup)
{
    const struct pl_circular_input *in = x->in;
    const struct pl_table *rt = in->rated;
    enum pl_status st = PL_OK;
    struct pl_buf b, sn;
    pl_buf_init(&b);
    pl_buf_init(&sn);
    const char *id = cell(in->tasks, t, "id");
    bool rollup = task_is_rollup(x, t);
    const char *title = task_title(x, t);
    check_text(x, title, in->tasks->source, in->tasks->lines[t], id, "title");
    struct pl_tpl_data *it = pl_tpl_item(rows);
    CKP(it);
    CK(pl_tpl_set(it, "no", ""));
    CK(pl_tpl_set(it, "id", id));
    task_ref(&b, id);
    CKP(b.data);
    CK(pl_tpl_set(it, "ref", b.data));
    /* The text names them together: 重点工作第78、79、80、81项. */
    struct pl_buf *refs = rollup ? refs_rollup : refs_everyone;
    (*(rollup ? n_rollup : n_everyone))++;
    pl_buf_printf(refs, "%s%s", refs->len ? "\x1f" : "", id);
    table_id(&b, id);
    CKP(b.data);
    CK(pl_tpl_set(it, "tid", b.data));
    CK(pl_tpl_set(it, "title", title));
    pl_buf_clear(&b);
    append_units(x, &b, cell(in->tasks, t, "leaders"), false);
    CK(pl_tpl_set(it, "leaders", b.data));
    pl_buf_clear(&b);
    append_units(x, &b, cell(in->tasks, t, "hosts"), true);
    CK(pl_tpl_set(it, "host", b.data));
    pl_buf_clear(&b);
    append_units(x, &b, cell(in->tasks, t, "hosts"), false);
    CK(pl_tpl_set(it, "host_full", b.data));
    static const char *const blank[] = {"group", "status", "colour", "colour_word",
                                        "colour_tag", "arrow", "reason"};
    for (size_t k = 0; k < sizeof blank / sizeof *blank; k++)
        CK(pl_tpl_set(it, blank[k], ""));
    CK(pl_tpl_set(it, "progress", "—"));
    CK(pl_tpl_set(it, "late", "0"));
    CK(pl_tpl_set(it, "missing", "0"));
    CK(pl_tpl_set(it, "not_demanded", "1"));
    CK(pl_tpl_set(it, "rollup", rollup ? "1" : "0"));
    CK(pl_tpl_set(it, "everyone", rollup ? "0" : "1"));
    CK(pl_tpl_setf(it, "items", "%zu", rollup ? items : 0));
    CK(pl_tpl_setf(it, "items_done", "%zu", rollup ? items_done : 0));
    struct pl_tpl_list *came = pl_tpl_list(it, "came", "unit,unit_full,progress,reported_on");
    CKP(came);
    for (size_t r = 0; r < rt->nrows; r++) {
        if (!x->nd_sel[r] || x->task_of[r] != t)
            continue;
        const char *unit = pl_table_get(rt, r, x->c.unit);
        const char *progress = pl_table_get(rt, r, x->c.progress);
        check_text(x, unit, rt->source, rt->lines[r], id, "unit");
        struct pl_tpl_data *c = pl_tpl_item(came);
        CKP(c);
        CK(pl_tpl_set(c, "unit", short_name(x, &sn, unit)));
        CK(pl_tpl_set(c, "unit_full", unit));
        if (*progress && row_reported(x, r))
            CK(pl_tpl_setf(c, "progress", "%s%%", progress));
        else
            CK(pl_tpl_set(c, "progress", "—"));
        CK(pl_tpl_set(c, "reported_on",
                      x->c.reported >= 0 ? pl_table_get(rt, r, x->c.reported) : ""));
    }
    CK(pl_tpl_setf(it, "came_count", "%zu", pl_tpl_count(came)));
fail:
    pl_buf_fini(&b);
    pl_buf_fini(&sn);
    return st;
}

/* Sets NAME to the references of the \x1f-separated ids in IDS (重点工作第78、79、80、81项). */
static enum pl_status set_refs(struct pl_tpl_data *d, const char *name, struct pl_buf *ids)
{
    struct pl_buf out;
    pl_buf_init(&out);
    const char **v = malloc((ids->len + 1) * sizeof *v);
    if (!v)
        return PL_ERR_NOMEM;
    size_t n = 0;
    for (char *p = ids->data; p && *p;) {
        char *e = strchr(p, '\x1f');
        v[n++] = p;
        if (!e)
            break;
        *e = '\0';
        p = e + 1;
    }
    append_refs(&out, v, n);
    free(v);
    enum pl_status st = pl_tpl_set(d, name, out.data ? out.data : "");
    pl_buf_fini(&out);
    return st;
}

/* The overview (附件1) and the prose's row lists name every selected row: at a province's
 * scale 185,000 rows, whose items, kept as template scopes of twenty-odd values each, took
 * 450 MB before a page was drawn. They are made while the template renders them
 * (pl_tpl_list_made), one at a time, from the row's place in x->order: set_rows checks each
 * row's text and counts what the prose says, and the items, made later from the same tables,
 * hold what the loop used to put in them. The tasks demanded from nobody stay kept items in
 * their places. x lives as long as the data (pl_tpl_keep in pl_circular_build). */

/* What the row lists say of the selected row x->order[I]; also the task's title (in
 * x->title), its leaders (in x->scratch), its reference (in x->f_ref) and the host's short
 * name (in x->f_sn). */
struct row_text {
    size_t r;
    const char *task, *unit, *title, *reason, *progress;
    long t;
    int colour;
    bool reported;
};

static void row_text(struct ctx *x, size_t i, struct row_text *w)
{
    const struct pl_table *rt = x->in->rated;
    size_t r = x->order[i];
    w->r = r;
    w->task = pl_table_get(rt, r, x->c.task);
    w->unit = pl_table_get(rt, r, x->c.unit);
    w->t = x->task_of[r];
    w->title = w->t >= 0 ? task_title(x, w->t) : "";
    w->reason = pl_table_get(rt, r, x->c.reason);
    w->colour = row_colour(x, r);
    w->progress = pl_table_get(rt, r, x->c.progress);
    w->reported = row_reported(x, r);
    const char *leaders = cell(x->in->tasks, w->t, "leaders");
    pl_buf_clear(&x->scratch);
    for (const char *p = leaders; *p; p++)
        pl_buf_append_str(&x->scratch, *p == '|' ? "、" : (char[]){*p, 0});
    pl_buf_clear(&x->f_ref);
    task_ref(&x->f_ref, w->task);
    short_name(x, &x->f_sn, w->unit);
}

/* The overview's item for the selected row x->order[I]. */
static enum pl_status fill_overview_row(void *ctx, size_t i, struct pl_tpl_data *it)
{
    struct ctx *x = ctx;
    const struct pl_table *rt = x->in->rated;
    enum pl_status st = PL_OK;
    struct row_text w;
    row_text(x, i, &w);
    size_t r = w.r;
    int c = w.colour;
    CKP(x->f_ref.data);
    CK(pl_tpl_setf(it, "no", "%zu", i + 1));
    CK(pl_tpl_set(it, "id", w.task));
    CK(pl_tpl_set(it, "ref", x->f_ref.data));
    table_id(&x->f_ind, w.task);
    CKP(x->f_ind.data);
    CK(pl_tpl_set(it, "tid", x->f_ind.data));
    CK(pl_tpl_set(it, "title", w.title));
    CK(pl_tpl_set(it, "leaders", x->scratch.data ? x->scratch.data : ""));
    CK(pl_tpl_set(it, "host", x->f_sn.data));
    CK(pl_tpl_set(it, "host_full", w.unit));
    CK(pl_tpl_set(it, "group", pl_table_get(rt, r, x->c.group)));
    if (!w.reported || !*w.progress)
        CK(pl_tpl_set(it, "progress", "—"));
    else
        CK(pl_tpl_setf(it, "progress", "%s%%", w.progress));
    CK(pl_tpl_set(it, "status", pl_table_get(rt, r, x->c.status)));
    CK(pl_tpl_set(it, "colour", c >= 0 ? colour_names[c] : ""));
    CK(pl_tpl_set(it, "colour_word", c >= 0 ? colour_words[c] : ""));
    CK(pl_tpl_setf(it, "colour_tag", c >= 0 ? "{%s}" : "%s", c >= 0 ? colour_names[c] : ""));
    CK(pl_tpl_set(it, "arrow", arrow_sign(pl_table_get(rt, r, x->c.arrow))));
    CK(pl_tpl_set(it, "reason", w.reason));
    CK(pl_tpl_set(it, "late", pl_table_get(rt, r, x->c.late)));
    CK(pl_tpl_setf(it, "missing", "%d",
                   x->cls[r] == RC_MISSING ? 1 : x->cls[r] == RC_RETURNED ? 2 : 0));
    CK(pl_tpl_set(it, "not_demanded", "0"));
    CK(pl_tpl_set(it, "rollup", "0"));
    CK(pl_tpl_set(it, "everyone", "0"));
    CK(pl_tpl_set(it, "items", "0"));
    CK(pl_tpl_set(it, "items_done", "0"));
    CK(pl_tpl_set(it, "came_count", "0"));
    CKP(pl_tpl_list(it, "came", "unit,unit_full,progress,reported_on"));
fail:
    return st;
}

/* A prose list's item (red_rows, lagging_rows, unfinished_rows) for the row x->order[I]. */
static enum pl_status fill_prose_row(void *ctx, size_t i, struct pl_tpl_data *rr)
{
    struct ctx *x = ctx;
    const struct pl_table *rt = x->in->rated;
    enum pl_status st = PL_OK;
    struct row_text w;
    row_text(x, i, &w);
    CKP(x->f_ref.data);
    double p = 0;
    bool have_p = parse_progress(w.progress, &p);
    char gap[32] = "";
    if (w.reported && have_p)
        format_points(gap, sizeof gap, 100.0 - p);
    indicator_text(x, w.r, &x->f_ind);
    CK(pl_tpl_set(rr, "id", w.task));
    CK(pl_tpl_set(rr, "ref", x->f_ref.data));
    CK(pl_tpl_set(rr, "title", w.title));
    CK(pl_tpl_set(rr, "title_q", inner_quotes(&x->key2, w.title)));
    CK(pl_tpl_set(rr, "leaders", x->scratch.data ? x->scratch.data : ""));
    CK(pl_tpl_set(rr, "unit", x->f_sn.data));
    CK(pl_tpl_set(rr, "unit_full", w.unit));
    CK(pl_tpl_set(rr, "progress", !w.reported || !*w.progress ? "—" : w.progress));
    CK(pl_tpl_set(rr, "gap", gap));
    CK(pl_tpl_set(rr, "status", pl_table_get(rt, w.r, x->c.status)));
    CK(pl_tpl_set(rr, "reason", w.reason));
    CK(pl_tpl_set(rr, "indicators", x->f_ind.data ? x->f_ind.data : ""));
fail:
    return st;
}

static enum pl_status set_rows(struct ctx *x, struct pl_tpl_data *d)
{
    const struct pl_circular_input *in = x->in;
    const struct pl_table *rt = in->rated;
    enum pl_status st = PL_OK;
    struct pl_buf refs_everyone, refs_rollup;
    pl_buf_init(&refs_everyone);
    pl_buf_init(&refs_rollup);
    size_t n_everyone = 0, n_rollup = 0, items = 0, items_done = 0, next_nd = 0;
    size_t ntasks = in->tasks ? in->tasks->nrows : 0;
    livelihood_rollup(x, &items, &items_done);
    struct pl_tpl_list *rows =
        pl_tpl_list_made(d, "overview",
                         "no,id,tid,ref,title,leaders,host,host_full,group,progress,status,colour,"
                         "colour_word,colour_tag,arrow,reason,late,missing,not_demanded,rollup,"
                         "everyone,items,items_done,came_count",
                         fill_overview_row, x);
    CKP(rows && pl_tpl_list(pl_tpl_proto(rows), "came", "unit,unit_full,progress,reported_on"));
    static const char row_fields[] =
        "id,ref,title,title_q,leaders,unit,unit_full,progress,gap,status,reason,indicators";
    struct pl_tpl_list *red = pl_tpl_list_made(d, "red_rows", row_fields, fill_prose_row, x);
    struct pl_tpl_list *lagging =
        pl_tpl_list_made(d, "lagging_rows", row_fields, fill_prose_row, x);
    struct pl_tpl_list *unfinished =
        pl_tpl_list_made(d, "unfinished_rows", row_fields, fill_prose_row, x);
    CKP(rows && red && lagging && unfinished);
    bool outside = false;
    size_t yellow_reported = 0;
    for (size_t i = 0; i <= x->nsel; i++) {
        /* The tasks demanded from nobody in their places: before the first row of a later
         * task (rows of tasks not in the catalog come last). */
        long here = i < x->nsel && x->task_of[x->order[i]] >= 0 ? x->task_of[x->order[i]]
                                                                 : (long)ntasks;
        for (; (long)next_nd < here && next_nd < ntasks; next_nd++)
            if (nd_task_shown(x, (long)next_nd))
                CK(set_nd_entry(x, rows, (long)next_nd, items, items_done, &refs_everyone,
                                &refs_rollup, &n_everyone, &n_rollup));
        if (i == x->nsel)
            break;
        size_t r = x->order[i];
        const char *task = pl_table_get(rt, r, x->c.task);
        const char *unit = pl_table_get(rt, r, x->c.unit);
        long t = x->task_of[r];
        if (t < 0)
            pl_diag_report(x->diag, rt->source, rt->lines[r], 0, "W_UNKNOWN_TASK",
                           "任务%s不在目录 tasks.csv 里：表中只写编号", task);
        else
            check_text(x, task_title(x, t), in->tasks->source, in->tasks->lines[t], task,
                       "title");
        check_text(x, unit, rt->source, rt->lines[r], task, "unit");
        check_text(x, pl_table_get(rt, r, x->c.reason), rt->source, rt->lines[r], task, "reason");
        int c = row_colour(x, r);
        bool reported = row_reported(x, r);
        outside = outside || unit_is_outside(x, unit);
        CK(pl_tpl_item_made(rows, i));
        /* The prose lists: red rows (any), lagging rows (reported and red: 未报送 is not
         * 进展滞后), unfinished rows (reported, below 100: the year's end). Courts are not
         * named (unit_is_court). */
        if (unit_is_court(x, unit))
            continue;
        if (reported && c == 1)
            yellow_reported++;
        struct pl_tpl_list *to[3] = {c == 2 ? red : NULL, reported && c == 2 ? lagging : NULL,
                                     reported && x->cls[r] != RC_DONE ? unfinished : NULL};
        for (int k = 0; k < 3; k++)
            if (to[k])
                CK(pl_tpl_item_made(to[k], i));
    }
    CK(pl_tpl_set(d, "others_named", outside ? "1" : "0"));
    CK(pl_tpl_setf(d, "yellow_reported", "%zu", yellow_reported));
    CK(pl_tpl_setf(d, "lagging_rows_count", "%zu", pl_tpl_count(lagging)));
    x->n_lagging = pl_tpl_count(lagging);
    x->n_unfinished = pl_tpl_count(unfinished);
    x->n_yellow = yellow_reported;
    CK(pl_tpl_setf(d, "unfinished_rows_count", "%zu", pl_tpl_count(unfinished)));
    /* For the text: which tasks are demanded from nobody (shown, not counted). */
    CK(pl_tpl_setf(d, "nd_tasks", "%zu", n_everyone + n_rollup));
    CK(pl_tpl_setf(d, "everyone_tasks", "%zu", n_everyone));
    CK(pl_tpl_setf(d, "rollup_tasks", "%zu", n_rollup));
    CK(set_refs(d, "everyone_refs", &refs_everyone));
    CK(set_refs(d, "rollup_refs", &refs_rollup));
    CK(pl_tpl_setf(d, "rollup_items", "%zu", items));
    CK(pl_tpl_setf(d, "rollup_done", "%zu", items_done));
    CK(pl_tpl_setf(d, "not_demanded_rows", "%zu", x->n_nd_sel));
fail:
    pl_buf_fini(&refs_everyone);
    pl_buf_fini(&refs_rollup);
    return st;
}

/* Whether row R counts for a task list: of colour C, or (C = -1) done. */
static bool task_row_matches(struct ctx *x, size_t r, int colour)
{
    return colour >= 0 ? row_colour(x, r) == colour : x->cls[r] == RC_DONE;
}

/* Tasks with at least one row of colour C, each with its hosts of that colour; or (C = -1)
 * tasks done by every host. */
static enum pl_status set_task_list(struct ctx *x, struct pl_tpl_data *d, const char *name,
                                    int colour)
{
    const struct pl_table *rt = x->in->rated;
    enum pl_status st = PL_OK;
    struct pl_buf hosts, reasons, sn, ref;
    pl_buf_init(&hosts);
    pl_buf_init(&reasons);
    pl_buf_init(&sn);
    pl_buf_init(&ref);
    struct pl_tpl_list *l =
        pl_tpl_list(d, name, "no,id,ref,title,title_q,leaders,hosts,reasons,livelihood");
    CKP(l);
    size_t no = 0;
    for (size_t i = 0; i < x->nsel;) {
        size_t r = x->order[i];
        const char *task = pl_table_get(rt, r, x->c.task);
        size_t j = i;
        bool any = false, all = true;
        while (j < x->nsel && strcmp(pl_table_get(rt, x->order[j], x->c.task), task) == 0) {
            bool m = task_row_matches(x, x->order[j], colour);
            any = any || m;
            all = all && m;
            j++;
        }
        if (colour >= 0 ? !any : !all) {
            i = j;
            continue;
        }
        pl_buf_clear(&hosts);
        pl_buf_clear(&reasons);
        for (size_t k = i; k < j; k++) {
            size_t q = x->order[k];
            if (!task_row_matches(x, q, colour))
                continue;
            const char *unit = pl_table_get(rt, q, x->c.unit);
            if (hosts.len)
                pl_buf_append_str(&hosts, "、");
            pl_buf_append_str(&hosts, short_name(x, &sn, unit));
            const char *reason = pl_table_get(rt, q, x->c.reason);
            if (*reason) {
                if (reasons.len)
                    pl_buf_append_str(&reasons, "；");
                pl_buf_printf(&reasons, "%s%s", sn.data, reason);
            }
        }
        i = j;
        long t = x->task_of[r];
        pl_buf_clear(&x->scratch);
        for (const char *p = cell(x->in->tasks, t, "leaders"); *p; p++)
            pl_buf_append_str(&x->scratch, *p == '|' ? "、" : (char[]){*p, 0});
        pl_buf_clear(&ref);
        task_ref(&ref, task);
        CKP(ref.data);
        const char *title = task_title(x, t);
        struct pl_tpl_data *it = pl_tpl_item(l);
        CKP(it);
        CK(pl_tpl_setf(it, "no", "%zu", ++no));
        CK(pl_tpl_set(it, "id", task));
        CK(pl_tpl_set(it, "ref", ref.data));
        CK(pl_tpl_set(it, "title", title));
        CK(pl_tpl_set(it, "title_q", inner_quotes(&x->key2, title)));
        CK(pl_tpl_set(it, "leaders", x->scratch.data ? x->scratch.data : ""));
        CK(pl_tpl_set(it, "hosts", hosts.data ? hosts.data : ""));
        CK(pl_tpl_set(it, "reasons", reasons.data ? reasons.data : ""));
        CK(pl_tpl_set(it, "livelihood", is_livelihood(x, r) ? "1" : "0"));
    }
    char count_name[64], listed_name[64];
    snprintf(count_name, sizeof count_name, "%s_count", name);
    snprintf(listed_name, sizeof listed_name, "%s_listed", name);
    CK(pl_tpl_setf(d, count_name, "%zu", no));
    if (colour < 0)
        x->n_done_tasks = no;
    /* Whether naming them all reads well: at a year's end most tasks are done. */
    CK(pl_tpl_set(d, listed_name, no >= 1 && no <= 10 ? "1" : "0"));
fail:
    pl_buf_fini(&hosts);
    pl_buf_fini(&reasons);
    pl_buf_fini(&sn);
    pl_buf_fini(&ref);
    return st;
}

enum unit_list { UL_LATE, UL_RETURNED, UL_MISSING };

static bool unit_list_row(struct ctx *x, size_t r, enum unit_list which)
{
    switch (which) {
    case UL_LATE:
        return row_reported(x, r) && strcmp(pl_table_get(x->in->rated, r, x->c.late), "1") == 0;
    case UL_RETURNED:
        return x->cls[r] == RC_RETURNED;
    case UL_MISSING:
        return x->cls[r] == RC_MISSING;
    }
    return false;
}

/* A row of a unit list: its unit and its place in the circular's order. */
struct unit_row {
    const char *unit;
    size_t place;
};

static int cmp_unit_row(const void *a, const void *b)
{
    const struct unit_row *x = a, *y = b;
    int c = strcmp(x->unit, y->unit);
    return c ? c : (x->place > y->place) - (x->place < y->place);
}

/* A unit's run of rows among the sorted ones: where it starts, and its first row's place. */
struct unit_run {
    size_t start, place;
};

static int cmp_unit_run(const void *a, const void *b)
{
    size_t p = ((const struct unit_run *)a)->place, q = ((const struct unit_run *)b)->place;
    return (p > q) - (p < q);
}

/* Units with late, returned (报送有误) or missing rows, with how many and which tasks. Courts
 * are not named. */
/* A unit list's item, made while rendering (pl_tpl_list_made): KEY is the unit's run in the
 * list's sorted rows (x->ul[KEY % 4]) times 4. The runs and rows are kept in x instead of one
 * scope per unit: a province lists tens of thousands of units late, returned or missing. */
static enum pl_status fill_unit_list_item(void *ctx, size_t key, struct pl_tpl_data *it)
{
    struct ctx *x = ctx;
    const struct pl_table *rt = x->in->rated;
    const struct unit_listing *ul = &x->ul[key % 4];
    size_t g = key / 4;
    enum pl_status st = PL_OK;
    const char *unit = ul->rows[ul->runs[g].start].unit;
    size_t count = 0;
    pl_buf_clear(&x->f_ref);
    pl_buf_clear(&x->f_ind);
    for (size_t k = ul->runs[g].start; k < ul->nrows && strcmp(ul->rows[k].unit, unit) == 0;
         k++) {
        size_t q = x->order[ul->rows[k].place];
        if (count)
            pl_buf_append_str(&x->f_ref, "、");
        pl_buf_append_str(&x->f_ref, pl_table_get(rt, q, x->c.task));
        x->f_idv[count++] = pl_table_get(rt, q, x->c.task);
    }
    append_refs(&x->f_ind, x->f_idv, count);
    CKP(x->f_ref.data && x->f_ind.data);
    CK(pl_tpl_set(it, "name", short_name(x, &x->f_sn, unit)));
    CK(pl_tpl_set(it, "name_full", unit));
    CK(pl_tpl_setf(it, "count", "%zu", count));
    CK(pl_tpl_set(it, "tasks", x->f_ref.data));
    CK(pl_tpl_set(it, "refs", x->f_ind.data));
fail:
    return st;
}

static enum pl_status set_unit_list(struct ctx *x, struct pl_tpl_data *d, const char *name,
                                    enum unit_list which)
{
    const struct pl_table *rt = x->in->rated;
    enum pl_status st = PL_OK;
    struct unit_listing *ul = &x->ul[which];
    if (!x->f_idv)
        x->f_idv = malloc((x->nsel + 1) * sizeof *x->f_idv);
    ul->rows = malloc((x->nsel + 1) * sizeof *ul->rows);
    ul->runs = malloc((x->nsel + 1) * sizeof *ul->runs);
    struct pl_tpl_list *l =
        pl_tpl_list_made(d, name, "name,name_full,count,tasks,refs", fill_unit_list_item, x);
    CKP(l && x->f_idv && ul->rows && ul->runs);
    /* A unit is listed where its first such row comes in the circular's order, with all its
     * such rows in that order: the rows sorted by unit, then by place, make each unit's rows
     * one run; the runs are then taken in the order of their first rows. (Sorting, not a scan
     * of the earlier rows for each row: a province's circular has tens of thousands.) */
    for (size_t i = 0; i < x->nsel; i++) {
        size_t r = x->order[i];
        if (!unit_list_row(x, r, which))
            continue;
        const char *unit = pl_table_get(rt, r, x->c.unit);
        if (!unit_is_court(x, unit))
            ul->rows[ul->nrows++] = (struct unit_row){unit, i};
    }
    qsort(ul->rows, ul->nrows, sizeof *ul->rows, cmp_unit_row);
    for (size_t i = 0; i < ul->nrows; i++)
        if (i == 0 || strcmp(ul->rows[i].unit, ul->rows[i - 1].unit) != 0)
            ul->runs[ul->nunits++] = (struct unit_run){i, ul->rows[i].place};
    qsort(ul->runs, ul->nunits, sizeof *ul->runs, cmp_unit_run);
    /* Kept until the data is rendered: no bigger than they need be. */
    struct unit_row *rows = realloc(ul->rows, (ul->nrows + 1) * sizeof *rows);
    struct unit_run *runs = realloc(ul->runs, (ul->nunits + 1) * sizeof *runs);
    ul->rows = rows ? rows : ul->rows;
    ul->runs = runs ? runs : ul->runs;
    for (size_t g = 0; g < ul->nunits; g++)
        CK(pl_tpl_item_made(l, g * 4 + (size_t)which));
    char count_name[64];
    snprintf(count_name, sizeof count_name, "%s_count", name);
    CK(pl_tpl_setf(d, count_name, "%zu", pl_tpl_count(l)));
    *(which == UL_LATE       ? &x->n_late_units
      : which == UL_RETURNED ? &x->n_returned_units
                             : &x->n_missing_units) = pl_tpl_count(l);
fail:
    return st;
}

static int by_string(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* True when a selected row is UNIT's. The selected rows' units are sorted once, on the first
 * call (the selection is final by then), so that a province's ranks are each one binary
 * search; without memory for that, the rows are walked. */
static bool unit_in_subset(struct ctx *x, const char *unit)
{
    if (!x->subset_units && x->nsel) {
        x->subset_units = malloc(x->nsel * sizeof *x->subset_units);
        if (x->subset_units) {
            for (size_t i = 0; i < x->nsel; i++)
                x->subset_units[i] = pl_table_get(x->in->rated, x->order[i], x->c.unit);
            qsort(x->subset_units, x->nsel, sizeof *x->subset_units, by_string);
            x->n_subset_units = x->nsel;
        }
    }
    if (x->subset_units)
        return bsearch(&unit, x->subset_units, x->n_subset_units, sizeof *x->subset_units,
                       by_string) != NULL;
    for (size_t i = 0; i < x->nsel; i++)
        if (strcmp(pl_table_get(x->in->rated, x->order[i], x->c.unit), unit) == 0)
            return true;
    return false;
}

static const char *const unit_fields = "rank,unit,unit_full,tasks,blue,yellow,red,returned,"
                                       "missing,late,score,move";

/* A unit's item (units, ranked, unranked) from row K of ranks.csv, made while the template
 * renders it (pl_tpl_list_made): a province ranks 60,000 units. */
static enum pl_status fill_unit_item(void *ctx, size_t k, struct pl_tpl_data *u)
{
    struct ctx *x = ctx;
    const struct pl_table *rk = x->in->ranks;
    static const char *const copy[] = {"rank",     "tasks", "blue", "yellow", "red", "returned",
                                       "missing",  "late",  "score", "move"};
    enum pl_status st = PL_OK;
    for (size_t f = 0; f < sizeof copy / sizeof copy[0] && st == PL_OK; f++)
        st = pl_tpl_set(u, copy[f], pl_table_get(rk, k, pl_table_column(rk, copy[f])));
    const char *unit = pl_table_get(rk, k, pl_table_column(rk, "unit"));
    if (st == PL_OK)
        st = pl_tpl_set(u, "unit", short_name(x, &x->f_sn, unit));
    if (st == PL_OK)
        st = pl_tpl_set(u, "unit_full", unit);
    return st;
}

/* Up to five names from the 、-joined LIST, then 等N个单位 when there are more. */
static void some_names(struct pl_buf *out, const char *list, size_t n)
{
    pl_buf_clear(out);
    const char *p = list;
    for (size_t k = 0; k < 5 && *p; k++) {
        const char *e = strstr(p, "、");
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (k)
            pl_buf_append_str(out, "、");
        pl_buf_append(out, p, len);
        p = e ? e + strlen("、") : p + len;
    }
    if (n > 5)
        pl_buf_printf(out, "等%zu个单位", n);
    if (!out->data)
        pl_buf_append_str(out, "");
}

/* The ranking groups in the order the ranks stream first names them, each with its ranked
 * units by rank; the units of the subset at the group's best rank among them (top_*) and
 * those at rank 1 (best_*); units without a rank apart (unranked), courts left out. */
/* A ranked unit of a group: its rank and its row in ranks.csv. */
struct ranked_row {
    long rank;
    size_t place;
};

static int by_rank_then_place(const void *a, const void *b)
{
    const struct ranked_row *x = a, *y = b;
    if (x->rank != y->rank)
        return (x->rank > y->rank) - (x->rank < y->rank);
    return (x->place > y->place) - (x->place < y->place);
}

static enum pl_status set_ranks(struct ctx *x, struct pl_tpl_data *d)
{
    struct ranked_row *by_rank = NULL;
    const char **seen = NULL;
    const struct pl_table *rk = x->in->ranks;
    enum pl_status st = PL_OK;
    struct pl_buf top, sn, some;
    pl_buf_init(&top);
    pl_buf_init(&sn);
    pl_buf_init(&some);
    struct pl_tpl_list *groups = pl_tpl_list(
        d, "groups",
        "group,count,best,best_scores,best_tied,best_count,best_some,best_many,best_full,"
        "best_score,top,top_some,top_rank,top_count,top_first,top_many,top_full,top_score,"
        "ranked_count,ranked_more");
    CKP(groups);
    CKP(pl_tpl_list(pl_tpl_proto(groups), "units", unit_fields));
    CKP(pl_tpl_list(pl_tpl_proto(groups), "ranked", unit_fields));
    struct pl_tpl_list *unranked = pl_tpl_list_made(d, "unranked", unit_fields, fill_unit_item, x);
    CKP(unranked);
    CK(pl_tpl_set(d, "has_returned", pl_table_column(rk, "returned") >= 0 ? "1" : "0"));
    int cg = pl_table_column(rk, "group"), cu = pl_table_column(rk, "unit");
    int crank = pl_table_column(rk, "rank"), cs = pl_table_column(rk, "score");
    size_t groups_with_first = 0;
    by_rank = malloc((rk->nrows + 1) * sizeof *by_rank);
    CKP(by_rank);
    for (size_t r = 0; r < rk->nrows; r++) {
        const char *unit = pl_table_get(rk, r, cu);
        if (!*pl_table_get(rk, r, crank) && !unit_is_court(x, unit) && unit_in_subset(x, unit))
            CK(pl_tpl_item_made(unranked, r));
    }
    /* Each group once, at its first row: the groups seen so far are few (a ranking has a
     * handful), so they are kept in a short list instead of rescanning the rows above. */
    seen = malloc((rk->nrows + 1) * sizeof *seen);
    CKP(seen);
    size_t nseen = 0;
    for (size_t r = 0; r < rk->nrows; r++) {
        const char *group = pl_table_get(rk, r, cg);
        bool earlier = false;
        for (size_t k = 0; k < nseen && !earlier; k++)
            earlier = strcmp(seen[k], group) == 0;
        if (earlier)
            continue;
        seen[nseen++] = group;
        /* The group's ranked units in the subset, courts left out; none: no group. */
        long min_rank = -1;
        for (size_t k = r; k < rk->nrows; k++) {
            const char *unit = pl_table_get(rk, k, cu), *rs = pl_table_get(rk, k, crank);
            if (strcmp(pl_table_get(rk, k, cg), group) != 0 || !*rs || unit_is_court(x, unit) ||
                !unit_in_subset(x, unit))
                continue;
            long rank = strtol(rs, NULL, 10);
            if (min_rank < 0 || rank < min_rank)
                min_rank = rank;
        }
        if (min_rank < 0)
            continue;
        struct pl_tpl_data *g = pl_tpl_item(groups);
        CKP(g);
        struct pl_tpl_list *units = pl_tpl_list_made(g, "units", unit_fields, fill_unit_item, x);
        struct pl_tpl_list *ranked =
            pl_tpl_list_made(g, "ranked", unit_fields, fill_unit_item, x);
        CKP(units && ranked);
        pl_buf_clear(&top);
        size_t count = 0, ntop = 0;
        const char *top_score = "";
        /* Units by rank (the stream's order within a rank): the group's ranked units sorted
         * once by rank, then place (ranks of 100000 and over are not shown). */
        size_t nby = 0;
        for (size_t k = r; k < rk->nrows; k++) {
            const char *unit = pl_table_get(rk, k, cu), *rs = pl_table_get(rk, k, crank);
            if (strcmp(pl_table_get(rk, k, cg), group) != 0 || !*rs ||
                unit_is_court(x, unit) || !unit_in_subset(x, unit))
                continue;
            long rank = strtol(rs, NULL, 10);
            if (rank < 100000)
                by_rank[nby++] = (struct ranked_row){rank, k};
        }
        qsort(by_rank, nby, sizeof *by_rank, by_rank_then_place);
        for (size_t j = 0; j < nby; j++) {
            {
                size_t k = by_rank[j].place;
                long want = by_rank[j].rank;
                const char *unit = pl_table_get(rk, k, cu);
                count++;
                check_text(x, unit, rk->source, rk->lines[k], "排名", "unit");
                CK(pl_tpl_item_made(units, k));
                if (count <= 5)
                    CK(pl_tpl_item_made(ranked, k));
                if (want == min_rank) {
                    short_name(x, &sn, unit);
                    ntop++;
                    if (top.len)
                        pl_buf_append_str(&top, "、");
                    pl_buf_append_str(&top, sn.data);
                    top_score = pl_table_get(rk, k, cs);
                }
            }
        }
        CKP(top.data);
        bool first = min_rank == 1, full = strcmp(top_score, "100.0") == 0 ||
                                           strcmp(top_score, "100") == 0;
        groups_with_first += first;
        some_names(&some, top.data, ntop);
        CKP(some.data);
        CK(pl_tpl_set(g, "group", group));
        CK(pl_tpl_setf(g, "count", "%zu", count));
        CK(pl_tpl_set(g, "top", top.data));
        CK(pl_tpl_set(g, "top_some", some.data));
        CK(pl_tpl_setf(g, "top_rank", "%ld", min_rank));
        CK(pl_tpl_setf(g, "top_count", "%zu", ntop));
        CK(pl_tpl_set(g, "top_first", first ? "1" : "0"));
        CK(pl_tpl_set(g, "top_many", ntop > 5 ? "1" : "0"));
        CK(pl_tpl_set(g, "top_full", full ? "1" : "0"));
        CK(pl_tpl_set(g, "top_score", top_score));
        CK(pl_tpl_setf(g, "ranked_count", "%zu", count));
        CK(pl_tpl_set(g, "ranked_more", count > 5 ? "1" : "0"));
        /* best_*: the same for rank 1 only (empty when the subset has no unit at rank 1). */
        pl_buf_clear(&x->scratch);
        if (first) {
            const char *p = top.data;
            for (size_t k = 0; k < rk->nrows; k++) {
                const char *unit = pl_table_get(rk, k, cu);
                if (strcmp(pl_table_get(rk, k, cg), group) != 0 ||
                    strcmp(pl_table_get(rk, k, crank), "1") != 0 || unit_is_court(x, unit) ||
                    !unit_in_subset(x, unit))
                    continue;
                pl_buf_printf(&x->scratch, "%s%s（%s分）", x->scratch.len ? "、" : "",
                              short_name(x, &sn, unit), pl_table_get(rk, k, cs));
            }
            (void)p;
        }
        CK(pl_tpl_set(g, "best", first ? top.data : ""));
        CK(pl_tpl_set(g, "best_scores", first && x->scratch.data ? x->scratch.data : ""));
        CK(pl_tpl_set(g, "best_tied", first && ntop > 1 ? "1" : "0"));
        CK(pl_tpl_setf(g, "best_count", "%zu", first ? ntop : 0));
        CK(pl_tpl_set(g, "best_some", first ? some.data : ""));
        CK(pl_tpl_set(g, "best_many", first && ntop > 5 ? "1" : "0"));
        CK(pl_tpl_set(g, "best_full", first && full ? "1" : "0"));
        CK(pl_tpl_set(g, "best_score", first ? top_score : ""));
    }
    CK(pl_tpl_setf(d, "unranked_count", "%zu", pl_tpl_count(unranked)));
    x->n_groups = pl_tpl_count(groups);
    CK(pl_tpl_setf(d, "groups_with_first", "%zu", groups_with_first));
fail:
    free(by_rank);
    free(seen);
    pl_buf_fini(&top);
    pl_buf_fini(&sn);
    pl_buf_fini(&some);
    return st;
}

/* The ordinals of the headings that have something under them: 一、 is always there; 二、
 * (what went well), 三、 (problems) and the next steps follow on; within the problems,
 * （一）（二）（三） likewise. A heading over an empty list would contradict its text. */
static enum pl_status set_headings(struct ctx *x, struct pl_tpl_data *d)
{
    static const char *const big[] = {"一", "二", "三", "四", "五", "六"};
    static const char *const small[] = {"（一）", "（二）", "（三）", "（四）"};
    enum pl_status st = PL_OK;
    size_t h = 1;
    bool lag = x->year_end ? x->n_unfinished > 0 : x->n_lagging + x->n_yellow > 0;
    bool returned = x->n_returned_units > 0, reporting = x->n_late_units + x->n_missing_units > 0;
    bool good = x->n_groups + x->n_done_tasks > 0, problems = lag || returned || reporting;
    CK(pl_tpl_set(d, "h_good", good ? big[h++] : ""));
    CK(pl_tpl_set(d, "h_problems", problems ? big[h++] : ""));
    CK(pl_tpl_set(d, "h_next", big[h++]));
    size_t s = 0;
    CK(pl_tpl_set(d, "s_lagging", lag ? small[s++] : ""));
    CK(pl_tpl_set(d, "s_returned", returned ? small[s++] : ""));
    CK(pl_tpl_set(d, "s_reporting", reporting ? small[s++] : ""));
fail:
    return st;
}

/* Frees the context pl_circular_build hands to the data (pl_tpl_keep). */
static void ctx_free(void *p)
{
    struct ctx *x = p;
    free(x->sel);
    free(x->cls);
    free(x->nd);
    free(x->nd_sel);
    free(x->nd_task);
    free(x->order);
    free(x->task_of);
    free(x->units_by_name);
    free(x->subset_units);
    pl_buf_fini(&x->scratch);
    pl_buf_fini(&x->key1);
    pl_buf_fini(&x->key2);
    pl_buf_fini(&x->reported);
    pl_buf_fini(&x->title);
    pl_buf_fini(&x->leader);
    pl_buf_fini(&x->f_sn);
    pl_buf_fini(&x->f_ref);
    pl_buf_fini(&x->f_ind);
    free(x->f_idv);
    for (size_t i = 0; i < sizeof x->ul / sizeof x->ul[0]; i++) {
        free(x->ul[i].rows);
        free(x->ul[i].runs);
    }
    free(x);
}

enum pl_status pl_circular_build(const struct pl_circular_input *in, struct pl_tpl_data *d,
                                 long long *when, struct pl_diag *diag)
{
    struct ctx *x = calloc(1, sizeof *x);
    if (!x)
        return PL_ERR_NOMEM;
    x->in = in;
    x->diag = diag;
    pl_buf_init(&x->f_sn);
    pl_buf_init(&x->f_ref);
    pl_buf_init(&x->f_ind);
    pl_buf_init(&x->scratch);
    pl_buf_init(&x->key1);
    pl_buf_init(&x->key2);
    pl_buf_init(&x->reported);
    pl_buf_init(&x->title);
    pl_buf_init(&x->leader);
    enum pl_status st = PL_OK;
    CK(pl_table_require(in->rated, rated_read, RATED_REQUIRED, diag));
    CK(pl_table_require(in->ranks, ranks_columns, sizeof ranks_columns / sizeof *ranks_columns,
                        diag));
    /* The catalog is configuration: a tasks or units file without its columns is E 78. */
    static const char *const task_columns[] = {"id", "title", "text", "leaders", "hosts"};
    static const char *const unit_columns[] = {"name", "aliases"};
    if (pl_table_require(in->tasks, task_columns, 5, diag) != PL_OK ||
        pl_table_require(in->units, unit_columns, 2, diag) != PL_OK) {
        st = PL_ERR_CONFIG;
        goto fail;
    }
    if (in->colour && any_item(in->colour, bad_colour, NULL)) {
        pl_diag_report(diag, NULL, 0, 0, "E_BAD_OPTION",
                       "颜色“%s”读不懂（写 blue、yellow、red 或 蓝、黄、红，逗号分隔）",
                       in->colour);
        st = PL_ERR_USAGE;
        goto fail;
    }
    const struct pl_table *rt = in->rated;
    x->c = (struct rcol){pl_table_column(rt, "task_id"),    pl_table_column(rt, "unit"),
                        pl_table_column(rt, "group"),      pl_table_column(rt, "progress"),
                        pl_table_column(rt, "status"),     pl_table_column(rt, "late"),
                        pl_table_column(rt, "missing"),    pl_table_column(rt, "colour"),
                        pl_table_column(rt, "reason"),     pl_table_column(rt, "arrow"),
                        pl_table_column(rt, "reported_on"), pl_table_column(rt, "indicators"),
                        pl_table_column(rt, "flags")};
    CK(take_leader(x));
    x->sel = calloc(rt->nrows + 1, sizeof *x->sel);
    x->cls = calloc(rt->nrows + 1, sizeof *x->cls);
    CKP(x->sel && x->cls);
    CK(index_tasks(x));
    CK(index_units(x));
    CK(mark_demand(x));
    CK(check_subset_names(x));
    bool nd_named = false; /* the subset names a task demanded from nobody */
    for (size_t r = 0; r < rt->nrows; r++) {
        x->cls[r] = classify(x, r);
        bool s = selected(x, r);
        /* A row of a task demanded from nobody is shown, never counted; it has no colour of
         * its own, so a colour subset leaves it out. */
        if (x->nd[r]) {
            nd_named = nd_named || s;
            if ((x->nd_sel[r] = s && !in->colour))
                x->n_nd_sel++;
        } else if ((x->sel[r] = s)) {
            x->nsel++;
        }
    }
    for (size_t t = 0; in->tasks && t < in->tasks->nrows; t++)
        nd_named = nd_named || (x->nd_task[t] && in->tasks_list && nd_task_shown(x, (long)t));
    if (!x->nsel) {
        pl_diag_report(diag, rt->source, 0, 0, "E_EMPTY_SUBSET", "%s",
                       nd_named ? "所选的任务面向全县或为汇总任务，不要求单独报送，没有一行可以通报"
                       : rt->nrows ? "没有一行符合所选的条件（--leader、--unit、--colour、--tasks "
                                     "各自都在目录里，合起来没有一行）"
                                   : "评定结果里一行也没有");
        st = PL_ERR_DATA;
        goto fail;
    }
    CK(order_rows(x));
    CK(set_facts(x, d, when));
    CK(set_subset(x, d));
    CK(set_counts(x, d));
    CK(set_rows(x, d));
    CK(set_task_list(x, d, "red_tasks", 2));
    CK(set_task_list(x, d, "yellow_tasks", 1));
    CK(set_task_list(x, d, "done_tasks", -1));
    CK(set_unit_list(x, d, "late_units", UL_LATE));
    CK(set_unit_list(x, d, "returned_units", UL_RETURNED));
    CK(set_unit_list(x, d, "missing_units", UL_MISSING));
    CK(set_ranks(x, d));
    CK(set_headings(x, d));
fail:
    /* The row lists are made from x while the data is rendered (set_rows). */
    if (pl_tpl_keep(d, x, ctx_free) != PL_OK && st == PL_OK)
        st = PL_ERR_NOMEM;
    return st;
}
