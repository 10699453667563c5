/* merge — one row per demanded (task, host). */
#include "merge.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <uthash.h>

#include "check.h"
#include "fields.h"
#include "rules.h"
#include "text.h"

const char *const pl_merge_columns[] = {
    "task_id", "unit",   "group",   "owner",  "phone",       "progress", "status",
    "value",   "narrative", "problems", "next_steps", "reported_on", "late", "missing",
    "flags",   "source", "line",    "indicators", "notes",
};
const size_t pl_merge_column_count = sizeof pl_merge_columns / sizeof pl_merge_columns[0];

/* The valid-record columns a merge reads. */
enum col {
    C_CYCLE, C_SOURCE, C_LINE, C_TASK, C_UNIT, C_OWNER, C_PHONE, C_PROGRESS, C_STATUS, C_VALUE,
    C_METRIC, C_NARRATIVE, C_PROBLEMS, C_NEXT, C_DATE, C_ROLE, C_LATE, C_FLAGS, C_COUNT
};
static const char *const col_names[C_COUNT] = {
    "cycle", "source", "line", "task_id", "unit", "owner", "phone", "progress", "status", "value",
    "metric", "narrative", "problems", "next_steps", "reported_on", "role", "late", "flags",
};

/* ---- rejected rows -------------------------------------------------------------------- */

enum { J_SOURCE, J_LINE, J_TASK, J_UNIT, J_OWNER, J_PHONE, J_COUNT };
static const char *const rej_names[J_COUNT] = {"source", "line", "task_id", "unit", "owner",
                                               "phone"};

struct reject_row {
    char *cells[J_COUNT]; /* cells[0] owns the block */
};

struct pl_merge_rejects {
    struct reject_row *rows;
    size_t n, cap;
};

struct pl_merge_rejects *pl_merge_rejects_new(void)
{
    return calloc(1, sizeof(struct pl_merge_rejects));
}

void pl_merge_rejects_free(struct pl_merge_rejects *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++)
        free(r->rows[i].cells[0]);
    free(r->rows);
    free(r);
}

struct rej_reader {
    struct pl_merge_rejects *r;
    struct pl_diag *diag;
    const char *name;
    bool have_header;
    int col[J_COUNT];
};

static enum pl_status on_reject(void *ctx, const struct pl_csv_row *row)
{
    struct rej_reader *k = ctx;
    if (!k->have_header) {
        k->have_header = true;
        for (int c = 0; c < J_COUNT; c++) {
            k->col[c] = -1;
            for (size_t i = 0; i < row->count && k->col[c] < 0; i++) {
                const char *name = row->cells[i];
                if (i == 0 && row->lens[i] >= 3 && memcmp(name, "\xEF\xBB\xBF", 3) == 0)
                    name += 3;
                const char *ascii = pl_check_reject_column(name); /* 承办单位 → unit */
                if (strcmp(name, rej_names[c]) == 0 || (ascii && strcmp(ascii, rej_names[c]) == 0))
                    k->col[c] = (int)i;
            }
            if (k->col[c] < 0 && c <= J_UNIT) {
                pl_diag_report(k->diag, k->name, row->line, 0, "E_NOT_REJECTS",
                               "不是ducha-read或ducha-check的退回行文件：缺少列 %s", rej_names[c]);
                return PL_ERR_DATA;
            }
        }
        return PL_OK;
    }
    struct pl_merge_rejects *r = k->r;
    if (r->n == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 16;
        struct reject_row *v = realloc(r->rows, cap * sizeof *v);
        if (!v)
            return PL_ERR_NOMEM;
        r->rows = v;
        r->cap = cap;
    }
    size_t total = 0;
    for (int c = 0; c < J_COUNT; c++)
        total += (k->col[c] >= 0 && (size_t)k->col[c] < row->count ? row->lens[k->col[c]] : 0) + 1;
    char *block = malloc(total);
    if (!block)
        return PL_ERR_NOMEM;
    struct reject_row *j = &r->rows[r->n++];
    for (int c = 0; c < J_COUNT; c++) {
        size_t n = k->col[c] >= 0 && (size_t)k->col[c] < row->count ? row->lens[k->col[c]] : 0;
        if (n)
            memcpy(block, row->cells[k->col[c]], n);
        block[n] = '\0';
        j->cells[c] = block;
        block += n + 1;
    }
    return PL_OK;
}

enum pl_status pl_merge_rejects_read(struct pl_merge_rejects *r, FILE *in, const char *name,
                                     struct pl_diag *diag)
{
    struct rej_reader k = {.r = r, .diag = diag, .name = name};
    return pl_csv_read_stream(in, ',', on_reject, &k);
}

/* What the rejected rows say about one pair (task, unit) or one unit. */
struct returned {
    char *key;
    const struct reject_row *first; /* the first rejected row, for source, line, owner, phone */
    UT_hash_handle hh;
};

/* A source file: the one unit its rows name (NULL when none or several), whether any of its
 * rows was valid. */
struct source {
    char *name;
    const struct pl_unit *unit;
    bool several, valid;
    UT_hash_handle hh;
};

/* The latest return for one (task, unit, metric). */
struct entry {
    char *key;
    char *cells[C_COUNT];
    unsigned long arrival;
    bool resubmitted; /* an earlier return was replaced by this one */
    struct entry *next_note; /* the task's next co-unit entry by arrival (group_notes) */
    UT_hash_handle hh;
};

/* A task's co-unit entries in order of arrival, keyed by the task id (borrowed). */
struct note_list {
    const char *task;
    struct entry *first, *last;
    UT_hash_handle hh;
};

/* A name already seen in a list (borrowed). */
struct seen_name {
    const char *name;
    UT_hash_handle hh;
};

struct merger {
    const struct pl_catalog *catalog;
    struct pl_csv_writer *out, *superseded;
    struct pl_diag *diag;
    struct pl_merge_stats *stats;
    const char *in_name;
    bool have_header;
    int col[C_COUNT];
    size_t ncols;
    struct entry *entries;
    struct pl_buf key;
    unsigned long arrival;
    struct source *sources;
    struct returned *pairs_returned; /* key task\x1Funit */
    struct returned *units_returned; /* key unit: a file of it rejected whole */
    struct note_list *notes;         /* group_notes() */
    enum pl_status status;           /* PL_ERR_NOMEM met where no status is returned */
};

static void make_key(struct pl_buf *key, const char *task, const char *unit, const char *metric)
{
    pl_buf_clear(key);
    pl_buf_printf(key, "%s\x1F%s\x1F%s", task, unit, metric);
}

static void free_entry(struct entry *e)
{
    free(e->key);
    free(e->cells[0]);
    free(e);
}

static struct entry *find(struct merger *m, const char *task, const char *unit,
                          const char *metric)
{
    make_key(&m->key, task, unit, metric);
    struct entry *e;
    HASH_FIND_STR(m->entries, m->key.data, e);
    return e;
}

static void write_superseded_cells(struct merger *m, char *const *cells)
{
    if (!m->superseded)
        return;
    /* The valid-record columns, in their order. */
    for (int c = 0; c < C_COUNT; c++)
        pl_csv_write_str(m->superseded, cells[c]);
    pl_csv_end_row(m->superseded);
}

static enum pl_status on_header(struct merger *m, const struct pl_csv_row *row)
{
    m->ncols = row->count;
    struct pl_buf missing;
    pl_buf_init(&missing);
    for (int c = 0; c < C_COUNT; c++) {
        m->col[c] = -1;
        for (size_t i = 0; i < row->count; i++) {
            const char *name = row->cells[i];
            if (i == 0 && row->lens[i] >= 3 && memcmp(name, "\xEF\xBB\xBF", 3) == 0)
                name += 3;
            if (strcmp(name, col_names[c]) == 0) {
                m->col[c] = (int)i;
                break;
            }
        }
        if (m->col[c] < 0)
            pl_buf_printf(&missing, "%s%s", missing.len ? "," : "", col_names[c]);
    }
    if (missing.len) {
        pl_diag_report(m->diag, m->in_name, row->line, 0, "E_NOT_VALID_RECORDS",
                       "输入不是ducha-check的有效记录流：缺少列 %s", missing.data);
        pl_buf_fini(&missing);
        return PL_ERR_DATA;
    }
    pl_buf_fini(&missing);
    pl_csv_write_row(m->out, pl_merge_columns, pl_merge_column_count);
    if (m->superseded)
        pl_csv_write_row(m->superseded, pl_check_valid_columns, pl_check_valid_count);
    m->have_header = true;
    return PL_OK;
}

static const char *row_cell(const struct merger *m, const struct pl_csv_row *row, enum col c)
{
    int i = m->col[c];
    return i >= 0 && (size_t)i < row->count ? row->cells[i] : "";
}

/* True when the return in CELLS is later than E's: by reported_on (ISO dates compare as
 * strings), then by arrival, which is later for the row being read. */
static bool later_than(char *const *cells, const struct entry *e)
{
    return strcmp(cells[C_DATE], e->cells[C_DATE]) >= 0;
}

static struct source *source_for(struct merger *m, const char *name)
{
    struct source *s;
    HASH_FIND_STR(m->sources, name, s);
    if (s)
        return s;
    s = calloc(1, sizeof *s);
    if (!s || !(s->name = strdup(name))) {
        free(s);
        return NULL;
    }
    HASH_ADD_KEYPTR(hh, m->sources, s->name, strlen(s->name), s);
    return s;
}

/* Records that SOURCE names UNIT (NULL: a name that resolves to nothing). */
static void source_names(struct source *s, const struct pl_unit *unit)
{
    if (!unit || s->several)
        return;
    if (s->unit && s->unit != unit) {
        s->several = true;
        s->unit = NULL;
    } else {
        s->unit = unit;
    }
}

static enum pl_status mark_returned(struct returned **set, const char *key,
                                    const struct reject_row *j)
{
    struct returned *r;
    HASH_FIND_STR(*set, key, r);
    if (r)
        return PL_OK;
    r = calloc(1, sizeof *r);
    if (!r || !(r->key = strdup(key))) {
        free(r);
        return PL_ERR_NOMEM;
    }
    r->first = j;
    HASH_ADD_KEYPTR(hh, *set, r->key, strlen(r->key), r);
    return PL_OK;
}

static const struct pl_unit *resolve_unit(const struct pl_catalog *c, const char *raw,
                                          struct pl_buf *scratch)
{
    size_t a, b;
    pl_text_trim(raw, strlen(raw), &a, &b);
    if (a == b)
        return NULL;
    pl_buf_clear(scratch);
    if (pl_buf_append(scratch, raw + a, b - a) != PL_OK)
        return NULL;
    const struct pl_unit *u = pl_catalog_find_unit(c, scratch->data);
    return u && u->kind != PL_UNIT_COLLECTIVE ? u : NULL;
}

/* Which pairs and units the rejected rows make 报送有误 (see merge.h). */
static enum pl_status attribute_rejects(struct merger *m, const struct pl_merge_rejects *rj)
{
    if (!rj)
        return PL_OK;
    struct pl_buf scratch, id;
    pl_buf_init(&scratch);
    pl_buf_init(&id);
    enum pl_status st = PL_OK;
    /* First the unit each file names. */
    for (size_t i = 0; st == PL_OK && i < rj->n; i++) {
        struct source *s = source_for(m, rj->rows[i].cells[J_SOURCE]);
        if (!s)
            st = PL_ERR_NOMEM;
        else
            source_names(s, resolve_unit(m->catalog, rj->rows[i].cells[J_UNIT], &scratch));
    }
    for (size_t i = 0; st == PL_OK && i < rj->n; i++) {
        const struct reject_row *j = &rj->rows[i];
        struct source *s = source_for(m, j->cells[J_SOURCE]);
        if (!s) {
            st = PL_ERR_NOMEM;
            break;
        }
        const struct pl_unit *u = resolve_unit(m->catalog, j->cells[J_UNIT], &scratch);
        if (!u)
            u = s->unit;
        if (!u)
            continue; /* nobody to attribute it to */
        const struct pl_task *t = NULL;
        enum pl_field_error why;
        if (pl_field_parse_task_id(j->cells[J_TASK], strlen(j->cells[J_TASK]), &id, &why) == PL_OK)
            t = pl_catalog_find_task(m->catalog, id.data);
        if (t) {
            make_key(&m->key, t->id, u->name, "");
            st = mark_returned(&m->pairs_returned, m->key.data, j);
        } else if (!s->valid) {
            st = mark_returned(&m->units_returned, u->name, j);
        }
    }
    pl_buf_fini(&scratch);
    pl_buf_fini(&id);
    return st;
}

static const struct reject_row *returned_row(struct merger *m, const char *task,
                                             const char *unit)
{
    struct returned *r;
    make_key(&m->key, task, unit, "");
    HASH_FIND_STR(m->pairs_returned, m->key.data, r);
    if (!r)
        HASH_FIND_STR(m->units_returned, unit, r);
    return r ? r->first : NULL;
}

static enum pl_status on_row(void *ctx, const struct pl_csv_row *row)
{
    struct merger *m = ctx;
    if (!m->have_header)
        return on_header(m, row);
    if (row->problem != PL_CSV_ROW_OK) {
        pl_diag_report(m->diag, m->in_name, row->line, 0, "E_NOT_VALID_RECORDS",
                       "有效记录流第%lu行已损坏", row->line);
        return PL_ERR_DATA;
    }
    m->stats->rows++;
    /* The row's cells in one block (cells[0] owns it): a million rows, a million allocations
     * rather than seventeen million. */
    char *cells[C_COUNT];
    size_t total = 0;
    for (int c = 0; c < C_COUNT; c++)
        total += strlen(row_cell(m, row, (enum col)c)) + 1;
    char *block = malloc(total);
    if (!block)
        return PL_ERR_NOMEM;
    for (int c = 0; c < C_COUNT; c++) {
        const char *v = row_cell(m, row, (enum col)c);
        size_t n = strlen(v) + 1;
        memcpy(block, v, n);
        cells[c] = block;
        block += n;
    }
    struct source *src = source_for(m, cells[C_SOURCE]);
    if (!src) {
        free(cells[0]);
        return PL_ERR_NOMEM;
    }
    src->valid = true;
    source_names(src, pl_catalog_find_unit(m->catalog, cells[C_UNIT]));
    struct entry *e = find(m, cells[C_TASK], cells[C_UNIT], cells[C_METRIC]);
    if (!e) {
        e = calloc(1, sizeof *e);
        char *key = strdup(m->key.data);
        if (!e || !key) {
            free(e);
            free(key);
            free(cells[0]);
            return PL_ERR_NOMEM;
        }
        e->key = key;
        memcpy(e->cells, cells, sizeof cells);
        e->arrival = ++m->arrival;
        HASH_ADD_KEYPTR(hh, m->entries, e->key, strlen(e->key), e);
        return PL_OK;
    }
    /* Two returns for the same task, unit and indicator: keep the later, set the other aside. */
    m->stats->superseded++;
    char **kept = cells;
    if (later_than(cells, e)) {
        write_superseded_cells(m, e->cells);
        pl_diag_report(m->diag, e->cells[C_SOURCE], strtoul(e->cells[C_LINE], NULL, 10), 0,
                       "W_SUPERSEDED", "%s第%s项的这一行已被%s第%s行的报送取代", e->cells[C_UNIT],
                       e->cells[C_TASK], cells[C_SOURCE], cells[C_LINE]);
        free(e->cells[0]);
        memcpy(e->cells, cells, sizeof cells);
        e->arrival = ++m->arrival;
    } else {
        write_superseded_cells(m, cells);
        pl_diag_report(m->diag, cells[C_SOURCE], strtoul(cells[C_LINE], NULL, 10), 0,
                       "W_SUPERSEDED", "%s第%s项的这一行早于%s第%s行的报送，已被其取代",
                       cells[C_UNIT], cells[C_TASK], e->cells[C_SOURCE], e->cells[C_LINE]);
        free(kept[0]);
    }
    e->resubmitted = true;
    if (pl_csv_writer_status(m->out) != PL_OK ||
        (m->superseded && pl_csv_writer_status(m->superseded) != PL_OK))
        return PL_ERR_IO;
    return PL_OK;
}

bool pl_merge_task_demanded(const struct pl_catalog *c, const struct pl_task *t)
{
    bool collective = false, other = false;
    for (size_t i = 0; i < t->hosts.n; i++) {
        const struct pl_unit *u = pl_catalog_find_unit(c, t->hosts.v[i]);
        if (!u)
            continue;
        if (u->kind == PL_UNIT_COLLECTIVE)
            collective = true;
        /* 县经开区 is named with 各镇街 whenever a task goes to everyone (各镇街、县经开区). */
        else if (u->kind != PL_UNIT_ZONE)
            other = true;
    }
    return other || !collective;
}

/* A host of T that gets a row: a unit, not a collective, named for the first time (SEEN holds
 * the names of T's hosts before this one, and gets this one). */
static bool is_host_unit(struct merger *m, const struct pl_task *t, size_t i,
                         struct seen_name **seen)
{
    const struct pl_unit *u = pl_catalog_find_unit(m->catalog, t->hosts.v[i]);
    struct seen_name *n;
    HASH_FIND_STR(*seen, t->hosts.v[i], n);
    if (n)
        return false;
    if (!(n = calloc(1, sizeof *n))) {
        m->status = PL_ERR_NOMEM;
        return false;
    }
    n->name = t->hosts.v[i];
    HASH_ADD_KEYPTR(hh, *seen, n->name, strlen(n->name), n);
    return u && u->kind != PL_UNIT_COLLECTIVE;
}

static void seen_free(struct seen_name **seen)
{
    struct seen_name *n, *tmp;
    HASH_ITER(hh, *seen, n, tmp) {
        HASH_DEL(*seen, n);
        free(n);
    }
}

static int by_arrival(const void *a, const void *b)
{
    unsigned long x = (*(struct entry *const *)a)->arrival, y = (*(struct entry *const *)b)->arrival;
    return x < y ? -1 : x > y;
}

/* Groups the co-unit entries by task, each group in order of arrival: one pass, one sort. */
static enum pl_status group_notes(struct merger *m)
{
    size_t n = 0, k = 0;
    struct entry *e;
    for (e = m->entries; e; e = e->hh.next)
        n += strcmp(e->cells[C_ROLE], "cohost") == 0;
    if (n == 0)
        return PL_OK;
    struct entry **v = malloc(n * sizeof *v);
    if (!v)
        return PL_ERR_NOMEM;
    for (e = m->entries; e; e = e->hh.next)
        if (strcmp(e->cells[C_ROLE], "cohost") == 0)
            v[k++] = e;
    qsort(v, n, sizeof *v, by_arrival);
    enum pl_status st = PL_OK;
    for (k = 0; k < n; k++) {
        struct note_list *l;
        HASH_FIND_STR(m->notes, v[k]->cells[C_TASK], l);
        if (!l) {
            if (!(l = calloc(1, sizeof *l))) {
                st = PL_ERR_NOMEM;
                break;
            }
            l->task = v[k]->cells[C_TASK];
            HASH_ADD_KEYPTR(hh, m->notes, l->task, strlen(l->task), l);
        }
        v[k]->next_note = NULL;
        if (l->last)
            l->last->next_note = v[k];
        else
            l->first = v[k];
        l->last = v[k];
    }
    free(v);
    return st;
}

/* Co-units' reports on TASK, as "unit：narrative" lines, in order of arrival. */
static void collect_notes(struct merger *m, const struct pl_task *task, struct pl_buf *notes)
{
    struct note_list *l;
    HASH_FIND_STR(m->notes, task->id, l);
    for (struct entry *e = l ? l->first : NULL; e; e = e->next_note) {
        pl_buf_printf(notes, "%s%s（协办）：%s", notes->len ? "\n" : "", e->cells[C_UNIT],
                      e->cells[C_NARRATIVE][0] ? e->cells[C_NARRATIVE] : "（无进展说明）");
        m->stats->notes++;
    }
}

/* An indicator row's progress derived from its value, where the indicator's comparator makes
 * the share meaningful: a target to reach (≥, >, =: min(100, value/target×100)); never for ≤
 * (a ceiling) or 约 (a rate around a figure). False when it cannot be derived. */
static bool progress_from_value(const struct pl_indicator *x, const char *value, double *out)
{
    if (!value[0] || (strcmp(x->comparator, ">=") && strcmp(x->comparator, ">") &&
                      strcmp(x->comparator, "=")))
        return false;
    char *end;
    double target = strtod(x->value, &end);
    if (end == x->value || *end || !(target > 0))
        return false;
    double v = strtod(value, &end);
    if (end == value || *end || v < 0)
        return false;
    *out = v / target * 100 > 100 ? 100 : v / target * 100;
    return true;
}

/* Appends to TEXT an indicator row's own TEXT_OF_ROW, as "metric：text" on a line of its own,
 * unless it is empty or says what TEXT already holds (DESIGN.md: the indicator rows' own text
 * is kept, never dropped). */
static void keep_text(struct pl_buf *text, const char *main, const char *metric,
                      const char *own)
{
    if (!own[0] || strcmp(own, main) == 0)
        return;
    struct pl_buf line;
    pl_buf_init(&line);
    pl_buf_printf(&line, "%s：%s", metric, own);
    if (!strstr(text->data, line.data))
        pl_buf_printf(text, "%s%s", text->len ? "\n" : "", line.data);
    pl_buf_fini(&line);
}

static void write_pair(struct merger *m, const struct pl_task *task, const struct pl_unit *unit,
                       const char *notes, bool demanded)
{
    struct pl_csv_writer *w = m->out;
    const char *group = pl_rules_default_group(unit->kind);
    struct entry *base = find(m, task->id, unit->name, "");
    /* The task's own indicators, by hash: never a pass over the whole catalog a pair. */
    const struct pl_indicator *const *mine;
    size_t nmine;
    if (pl_catalog_task_indicators(m->catalog, task->id, &mine, &nmine) != PL_OK) {
        m->status = PL_ERR_NOMEM;
        return;
    }
    if (!demanded && !base) {
        /* Nobody owes it: a row only for what came anyway. */
        bool any = false;
        for (size_t i = 0; i < nmine && !any; i++)
            any = find(m, task->id, unit->name, mine[i]->metric) != NULL;
        if (!any)
            return;
    }
    struct pl_buf indicators, progress, flags;
    pl_buf_init(&indicators);
    pl_buf_init(&progress);
    pl_buf_init(&flags);
    double sum = 0;
    int counted = 0, derived = 0;
    bool late = base && strcmp(base->cells[C_LATE], "1") == 0;
    bool resubmitted = base && base->resubmitted;
    struct entry *latest_indicator = NULL;
    for (size_t i = 0; i < nmine; i++) {
        const struct pl_indicator *x = mine[i];
        struct entry *e = find(m, task->id, unit->name, x->metric);
        if (!e)
            continue;
        if (e->cells[C_VALUE][0])
            pl_buf_printf(&indicators, "%s%s=%s", indicators.len ? "|" : "", x->metric,
                          e->cells[C_VALUE]);
        double share;
        if (e->cells[C_PROGRESS][0]) {
            sum += strtod(e->cells[C_PROGRESS], NULL);
            counted++;
        } else if (progress_from_value(x, e->cells[C_VALUE], &share)) {
            /* The form's indicator rows ask for the value only. */
            sum += share;
            counted++;
            derived++;
        }
        late = late || strcmp(e->cells[C_LATE], "1") == 0;
        resubmitted = resubmitted || e->resubmitted;
        if (!latest_indicator || strcmp(e->cells[C_DATE], latest_indicator->cells[C_DATE]) > 0 ||
            (strcmp(e->cells[C_DATE], latest_indicator->cells[C_DATE]) == 0 &&
             e->arrival > latest_indicator->arrival))
            latest_indicator = e;
    }
    struct entry *row = base ? base : latest_indicator;
    const struct reject_row *rejected = returned_row(m, task->id, unit->name);
    /* The text: the task-level row's, then what the indicator rows say besides, each under
     * its metric; without a task-level row, the indicator rows' text, under its metric unless
     * they all say the same. */
    static const enum col text_cols[] = {C_NARRATIVE, C_PROBLEMS, C_NEXT};
    struct pl_buf text[3];
    for (int t = 0; t < 3; t++) {
        pl_buf_init(&text[t]);
        const char *main = base ? base->cells[text_cols[t]] : "";
        if (!base && row) {
            main = row->cells[text_cols[t]];
            for (size_t i = 0; i < nmine && main[0]; i++) {
                struct entry *e = find(m, task->id, unit->name, mine[i]->metric);
                if (e && e->cells[text_cols[t]][0] && strcmp(e->cells[text_cols[t]], main))
                    main = "";
            }
        }
        pl_buf_append_str(&text[t], main);
        for (size_t i = 0; row && i < nmine; i++) {
            struct entry *e = find(m, task->id, unit->name, mine[i]->metric);
            if (e)
                keep_text(&text[t], main, mine[i]->metric, e->cells[text_cols[t]]);
        }
    }
    bool from_indicators = false;
    if (base && base->cells[C_PROGRESS][0])
        pl_buf_append_str(&progress, base->cells[C_PROGRESS]);
    else if (counted) {
        pl_field_format_number(&progress, (double)(long)(sum / counted * 10 + 0.5) / 10);
        from_indicators = true;
    }
    if (row) {
        pl_buf_append_str(&flags, row->cells[C_FLAGS]);
        if (from_indicators && counted > derived)
            pl_buf_printf(&flags, "%sW_PROGRESS_FROM_INDICATORS", flags.len ? "|" : "");
        if (from_indicators && derived)
            pl_buf_printf(&flags, "%sW_PROGRESS_FROM_VALUES", flags.len ? "|" : "");
        if (!progress.len)
            pl_buf_printf(&flags, "%sW_NO_PROGRESS", flags.len ? "|" : "");
        if (resubmitted)
            pl_buf_printf(&flags, "%sW_RESUBMITTED", flags.len ? "|" : "");
        if (rejected)
            pl_buf_printf(&flags, "%sW_ROWS_REJECTED", flags.len ? "|" : "");
        if (!demanded) {
            pl_buf_printf(&flags, "%sW_NOT_DEMANDED", flags.len ? "|" : "");
            m->stats->not_demanded++;
        }
        m->stats->reported++;
    } else if (rejected) {
        m->stats->returned++;
    } else {
        m->stats->missing++;
    }
    m->stats->pairs++;
    pl_csv_write_str(w, task->id);
    pl_csv_write_str(w, unit->name);
    pl_csv_write_str(w, group ? group : "");
    /* A 报送有误 row keeps who to call about it, as the rejected row has it. */
    pl_csv_write_str(w, row ? row->cells[C_OWNER] : rejected ? rejected->cells[J_OWNER] : "");
    pl_csv_write_str(w, row ? row->cells[C_PHONE] : rejected ? rejected->cells[J_PHONE] : "");
    pl_csv_write_str(w, progress.data);
    pl_csv_write_str(w, row ? row->cells[C_STATUS] : rejected ? "报送有误" : "未报送");
    pl_csv_write_str(w, base ? base->cells[C_VALUE] : "");
    for (int t = 0; t < 3; t++)
        pl_csv_write_str(w, text[t].data);
    pl_csv_write_str(w, row ? row->cells[C_DATE] : "");
    pl_csv_write_str(w, late ? "1" : "0");
    pl_csv_write_str(w, row ? "0" : rejected ? "2" : "1");
    pl_csv_write_str(w, flags.data);
    pl_csv_write_str(w, row ? row->cells[C_SOURCE] : rejected ? rejected->cells[J_SOURCE] : "");
    pl_csv_write_str(w, row ? row->cells[C_LINE] : rejected ? rejected->cells[J_LINE] : "");
    pl_csv_write_str(w, indicators.data);
    pl_csv_write_str(w, notes);
    pl_csv_end_row(w);
    for (int t = 0; t < 3; t++)
        pl_buf_fini(&text[t]);
    pl_buf_fini(&indicators);
    pl_buf_fini(&progress);
    pl_buf_fini(&flags);
}

enum pl_status pl_merge_stream(FILE *in, const char *in_name, const struct pl_catalog *catalog,
                               const struct pl_merge_rejects *rejects,
                               struct pl_csv_writer *out, struct pl_csv_writer *superseded,
                               struct pl_diag *diag, struct pl_merge_stats *stats)
{
    return pl_merge_stream_cycle(in, in_name, catalog, NULL, rejects, out, superseded, diag, stats);
}

enum pl_status pl_merge_stream_cycle(FILE *in, const char *in_name,
                                     const struct pl_catalog *catalog, const struct pl_cycle *cycle,
                                     const struct pl_merge_rejects *rejects,
                                     struct pl_csv_writer *out, struct pl_csv_writer *superseded,
                                     struct pl_diag *diag, struct pl_merge_stats *stats)
{
    memset(stats, 0, sizeof *stats);
    struct merger m = {
        .catalog = catalog, .out = out, .superseded = superseded, .diag = diag,
        .stats = stats, .in_name = in_name,
    };
    pl_buf_init(&m.key);
    enum pl_status st = pl_csv_read_stream(in, ',', on_row, &m);
    if (st == PL_OK && !m.have_header) {
        pl_diag_report(diag, in_name, 0, 0, "E_NOT_VALID_RECORDS", "输入是空的，没有有效记录流的表头");
        st = PL_ERR_DATA;
    }
    if (st == PL_OK)
        st = attribute_rejects(&m, rejects);
    if (st == PL_OK)
        st = group_notes(&m);
    struct pl_buf notes;
    pl_buf_init(&notes);
    for (size_t t = 0; st == PL_OK && t < catalog->ntasks; t++) {
        const struct pl_task *task = &catalog->tasks[t];
        pl_buf_clear(&notes);
        collect_notes(&m, task, &notes);
        bool demanded = pl_merge_task_demanded(catalog, task) &&
                        (!cycle || pl_catalog_cycle_has_task(cycle, task));
        struct seen_name *seen = NULL;
        for (size_t h = 0; h < task->hosts.n && m.status == PL_OK; h++) {
            if (!is_host_unit(&m, task, h, &seen))
                continue;
            write_pair(&m, task, pl_catalog_find_unit(catalog, task->hosts.v[h]), notes.data,
                       demanded);
        }
        seen_free(&seen);
        if (m.status != PL_OK)
            st = m.status;
        else if (pl_csv_writer_status(out) != PL_OK)
            st = PL_ERR_IO;
    }
    pl_buf_fini(&notes);
    struct note_list *nl, *ntmp;
    HASH_ITER(hh, m.notes, nl, ntmp) {
        HASH_DEL(m.notes, nl);
        free(nl);
    }
    struct entry *e, *tmp;
    HASH_ITER(hh, m.entries, e, tmp) {
        HASH_DEL(m.entries, e);
        free_entry(e);
    }
    struct source *s, *stmp;
    HASH_ITER(hh, m.sources, s, stmp) {
        HASH_DEL(m.sources, s);
        free(s->name);
        free(s);
    }
    struct returned *sets[2] = {m.pairs_returned, m.units_returned};
    for (int i = 0; i < 2; i++) {
        struct returned *r, *rtmp;
        HASH_ITER(hh, sets[i], r, rtmp) {
            HASH_DEL(sets[i], r);
            free(r->key);
            free(r);
        }
    }
    pl_buf_fini(&m.key);
    return st;
}
