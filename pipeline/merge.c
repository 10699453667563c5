/* merge — one row per demanded (task, host). */
#include "merge.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <uthash.h>

#include "check.h"
#include "fields.h"
#include "rules.h"
#include "strmap.h"
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

/* The latest return for one (task, unit, metric): one allocation holding the row's cells,
 * each NUL-terminated, found by their offsets (a province keeps 170,000 of these: offsets
 * rather than pointers, and no copy of the key, save a fifth of the memory). */
struct entry {
    unsigned long arrival;
    struct entry *next_note; /* the task's next co-unit entry by arrival (group_notes) */
    bool resubmitted; /* an earlier return was replaced by this one */
    uint32_t off[C_COUNT];
    char text[];
};

static const char *cell_of(const struct entry *e, enum col c)
{
    return e->text + e->off[c];
}

/* The entries by key (task, unit, metric): open addressing over slots of eight bytes (32 bits
 * of the key's hash, the entry's place plus one; 0 is empty), the keys being the entries' own
 * cells, so that a province's 170,000 entries cost a few megabytes of index, not tens. */
struct entry_index {
    uint64_t *slots;
    size_t cap; /* a power of two, or 0 */
};

/* FNV-1a over 64 bits of "task\x1Funit\x1Fmetric" (the three cells hashed in place, no key
 * built), with half of MurmurHash3's final mix so that the low bits (the slot) depend on all. */
static uint64_t key_hash(const char *task, const char *unit, const char *metric)
{
    uint64_t h = 0xcbf29ce484222325u;
    const char *parts[3] = {task, unit, metric};
    for (int k = 0; k < 3; k++) {
        if (k) {
            h ^= 0x1F;
            h *= 0x100000001b3u;
        }
        for (const char *p = parts[k]; *p; p++) {
            h ^= (unsigned char)*p;
            h *= 0x100000001b3u;
        }
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdu;
    h ^= h >> 33;
    return h;
}

/* A task's co-unit entries in order of arrival, keyed by the task id (borrowed). */
struct note_list {
    const char *task;
    struct entry *first, *last;
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
    struct entry_index index;    /* key → place in entries */
    struct entry **entries;      /* in order of first arrival */
    size_t nentries, cap_entries;
    struct source *last_source;  /* the source of the row before: files come whole */
    struct entry **found;        /* write_pair(): the entries of a task's indicators */
    size_t cap_found;
    struct pl_buf text[3], indicators, progress, flags; /* write_pair()'s cells */
    struct pl_buf message; /* report_superseded() */
    struct pl_buf key;
    unsigned long arrival;
    struct source *sources;
    struct returned *pairs_returned; /* key task\x1Funit */
    struct returned *units_returned; /* key unit: a file of it rejected whole */
    struct note_list *notes;         /* group_notes() */
    enum pl_status status;           /* PL_ERR_NOMEM met where no status is returned */
};

/* Entries and rejected pairs are keyed "task\x1Funit\x1Fmetric". PL_ERR_NOMEM. */
static enum pl_status make_key(struct pl_buf *key, const char *task, const char *unit,
                               const char *metric)
{
    pl_buf_clear(key);
    size_t lt = strlen(task), lu = strlen(unit), lm = strlen(metric);
    if (pl_buf_reserve(key, lt + lu + lm + 2) != PL_OK)
        return PL_ERR_NOMEM;
    char *w = key->data;
    memcpy(w, task, lt);
    w += lt;
    *w++ = '\x1F';
    memcpy(w, unit, lu);
    w += lu;
    *w++ = '\x1F';
    memcpy(w, metric, lm);
    w += lm;
    *w = '\0';
    key->len = (size_t)(w - key->data);
    return PL_OK;
}

/* The slot of the entry of (TASK, UNIT, METRIC), hash H, or the empty slot where it would go.
 * The first slot tried comes from the 32 bits a slot keeps, so that growing never reads an
 * entry again. */
static uint64_t *index_slot(const struct merger *m, uint64_t h, const char *task, const char *unit,
                            const char *metric)
{
    size_t mask = m->index.cap - 1;
    uint64_t tag = h >> 32 << 32;
    for (size_t i = (size_t)(h >> 32) & mask;; i = (i + 1) & mask) {
        uint64_t *s = &m->index.slots[i];
        if (*s == 0)
            return s;
        if ((*s >> 32 << 32) == tag) {
            const struct entry *e = m->entries[(*s & 0xFFFFFFFFu) - 1];
            if (strcmp(cell_of(e, C_TASK), task) == 0 && strcmp(cell_of(e, C_UNIT), unit) == 0 &&
                strcmp(cell_of(e, C_METRIC), metric) == 0)
                return s;
        }
    }
}

/* Doubles the slots (load kept at most one half). PL_ERR_NOMEM. */
static enum pl_status index_grow(struct merger *m)
{
    size_t cap = m->index.cap ? m->index.cap * 2 : 1024;
    uint64_t *slots = cap <= (size_t)UINT32_MAX + 1 ? calloc(cap, sizeof *slots) : NULL;
    if (!slots)
        return PL_ERR_NOMEM;
    for (size_t i = 0; i < m->index.cap; i++) {
        uint64_t s = m->index.slots[i];
        if (!s)
            continue;
        size_t j = (size_t)(s >> 32) & (cap - 1);
        while (slots[j])
            j = (j + 1) & (cap - 1);
        slots[j] = s;
    }
    free(m->index.slots);
    m->index.slots = slots;
    m->index.cap = cap;
    return PL_OK;
}

static struct entry *find(struct merger *m, const char *task, const char *unit,
                          const char *metric)
{
    if (!m->index.cap)
        return NULL;
    uint64_t s = *index_slot(m, key_hash(task, unit, metric), task, unit, metric);
    return s ? m->entries[(s & 0xFFFFFFFFu) - 1] : NULL;
}

static void write_superseded(struct merger *m, const struct entry *e)
{
    if (!m->superseded)
        return;
    /* The valid-record columns, in their order. */
    for (int c = 0; c < C_COUNT; c++)
        pl_csv_write_str(m->superseded, cell_of(e, (enum col)c));
    pl_csv_end_row(m->superseded);
}

/* W_SUPERSEDED against the row OLD: "<unit>第<task>项<VERB><source of BY>第<line of BY><TAIL>"
 * ("县财政局第17项的这一行已被a.csv第5行的报送取代"). Put together by hand rather than by a
 * format: a resubmitting province supersedes hundreds of thousands of rows. */
static void report_superseded(struct merger *m, const struct entry *old, const char *verb,
                              const struct entry *by, const char *tail)
{
    struct pl_buf *b = &m->message;
    pl_buf_clear(b);
    const char *parts[] = {cell_of(old, C_UNIT), "第", cell_of(old, C_TASK), "项", verb,
                           cell_of(by, C_SOURCE), "第", cell_of(by, C_LINE), tail};
    for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++)
        if (pl_buf_append_str(b, parts[i]) != PL_OK)
            m->status = PL_ERR_NOMEM;
    pl_diag_report(m->diag, cell_of(old, C_SOURCE), strtoul(cell_of(old, C_LINE), NULL, 10), 0,
                   "W_SUPERSEDED", "%s", b->data);
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

/* True when the return N is later than E's: by reported_on (ISO dates compare as strings),
 * then by arrival, which is later for the row being read. */
static bool later_than(const struct entry *n, const struct entry *e)
{
    return strcmp(cell_of(n, C_DATE), cell_of(e, C_DATE)) >= 0;
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
            st = make_key(&m->key, t->id, u->name, "");
            if (st == PL_OK)
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
    struct returned *r = NULL;
    if (!m->pairs_returned && !m->units_returned)
        return NULL; /* no rejects given: nothing to hash for every pair */
    if (make_key(&m->key, task, unit, "") != PL_OK) {
        m->status = PL_ERR_NOMEM;
        return NULL;
    }
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
    /* The row's cells in one block with the entry: a million rows, a million allocations
     * rather than seventeen million. */
    const char *v[C_COUNT];
    size_t lens[C_COUNT], total = 0;
    for (int c = 0; c < C_COUNT; c++) {
        v[c] = row_cell(m, row, (enum col)c);
        lens[c] = strlen(v[c]);
        total += lens[c] + 1;
    }
    if (total > UINT32_MAX)
        return PL_ERR_NOMEM; /* a row of 4 GiB: the offsets hold 32 bits */
    struct entry *n = malloc(sizeof *n + total);
    if (!n)
        return PL_ERR_NOMEM;
    size_t at = 0;
    for (int c = 0; c < C_COUNT; c++) {
        memcpy(n->text + at, v[c], lens[c] + 1);
        n->off[c] = (uint32_t)at;
        at += lens[c] + 1;
    }
    n->resubmitted = false;
    n->next_note = NULL;
    struct source *src = m->last_source;
    if (!src || strcmp(src->name, cell_of(n, C_SOURCE)) != 0)
        src = m->last_source = source_for(m, cell_of(n, C_SOURCE));
    if (!src) {
        free(n);
        return PL_ERR_NOMEM;
    }
    src->valid = true;
    /* Once a file names two units, which units its other rows name changes nothing. */
    if (!src->several)
        source_names(src, pl_catalog_find_unit(m->catalog, cell_of(n, C_UNIT)));
    if ((m->nentries + 1) * 2 > m->index.cap && index_grow(m) != PL_OK) {
        free(n);
        return PL_ERR_NOMEM;
    }
    const char *task = cell_of(n, C_TASK), *unit = cell_of(n, C_UNIT),
               *metric = cell_of(n, C_METRIC);
    uint64_t h = key_hash(task, unit, metric);
    uint64_t *slot = index_slot(m, h, task, unit, metric);
    if (*slot == 0) {
        if (m->nentries == m->cap_entries) {
            size_t cap = m->cap_entries ? m->cap_entries * 2 : 1024;
            /* A slot holds the place in 32 bits. */
            struct entry **grown =
                cap <= 0xFFFFFFFFu ? realloc(m->entries, cap * sizeof *grown) : NULL;
            if (!grown) {
                free(n);
                return PL_ERR_NOMEM;
            }
            m->entries = grown;
            m->cap_entries = cap;
        }
        n->arrival = ++m->arrival;
        m->entries[m->nentries++] = n;
        *slot = h >> 32 << 32 | m->nentries;
        return PL_OK;
    }
    /* Two returns for the same task, unit and indicator: keep the later, set the other aside. */
    m->stats->superseded++;
    size_t place = (*slot & 0xFFFFFFFFu) - 1;
    struct entry *e = m->entries[place];
    if (later_than(n, e)) {
        write_superseded(m, e);
        report_superseded(m, e, "的这一行已被", n, "行的报送取代");
        n->arrival = ++m->arrival;
        n->resubmitted = true;
        m->entries[place] = n;
        free(e);
    } else {
        write_superseded(m, n);
        report_superseded(m, n, "的这一行早于", e, "行的报送，已被其取代");
        e->resubmitted = true;
        free(n);
    }
    if (pl_csv_writer_status(m->out) != PL_OK ||
        (m->superseded && pl_csv_writer_status(m->superseded) != PL_OK))
        return PL_ERR_IO;
    return m->status;
}

/* What host U (NULL: a name no unit has) says about its task being demanded. */
static void note_host(const struct pl_unit *u, bool *collective, bool *other)
{
    if (!u)
        return;
    if (u->kind == PL_UNIT_COLLECTIVE)
        *collective = true;
    /* 县经开区 is named with 各镇街 whenever a task goes to everyone (各镇街、县经开区). */
    else if (u->kind != PL_UNIT_ZONE)
        *other = true;
}

bool pl_merge_task_demanded(const struct pl_catalog *c, const struct pl_task *t)
{
    bool collective = false, other = false;
    for (size_t i = 0; i < t->hosts.n; i++)
        note_host(pl_catalog_find_unit(c, t->hosts.v[i]), &collective, &other);
    return other || !collective;
}

/* U, the unit of T's I-th host, when it gets a row: a unit, not a collective, named for the
 * first time (SEEN holds the names of T's hosts before this one, and gets this one); NULL
 * otherwise. */
static const struct pl_unit *host_unit(struct merger *m, const struct pl_task *t, size_t i,
                                       const struct pl_unit *u, struct pl_strmap *seen)
{
    size_t *v;
    bool added;
    if (pl_strmap_put(seen, t->hosts.v[i], strlen(t->hosts.v[i]), 0, &v, &added) != PL_OK) {
        m->status = PL_ERR_NOMEM;
        return NULL;
    }
    return added && u && u->kind != PL_UNIT_COLLECTIVE ? u : NULL;
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
    for (size_t i = 0; i < m->nentries; i++)
        n += strcmp(cell_of(m->entries[i], C_ROLE), "cohost") == 0;
    if (n == 0)
        return PL_OK;
    struct entry **v = malloc(n * sizeof *v);
    if (!v)
        return PL_ERR_NOMEM;
    for (size_t i = 0; i < m->nentries; i++)
        if (strcmp(cell_of(m->entries[i], C_ROLE), "cohost") == 0)
            v[k++] = m->entries[i];
    qsort(v, n, sizeof *v, by_arrival);
    enum pl_status st = PL_OK;
    for (k = 0; k < n; k++) {
        struct note_list *l;
        HASH_FIND_STR(m->notes, cell_of(v[k], C_TASK), l);
        if (!l) {
            if (!(l = calloc(1, sizeof *l))) {
                st = PL_ERR_NOMEM;
                break;
            }
            l->task = cell_of(v[k], C_TASK);
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
        pl_buf_printf(notes, "%s%s（协办）：%s", notes->len ? "\n" : "", cell_of(e, C_UNIT),
                      cell_of(e, C_NARRATIVE)[0] ? cell_of(e, C_NARRATIVE) : "（无进展说明）");
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

/* Writes the row of TASK and UNIT; MINE[0..NMINE) are the task's indicators (by hash, once a
 * task: never a pass over the whole catalog a pair). */
static void write_pair(struct merger *m, const struct pl_task *task, const struct pl_unit *unit,
                       const struct pl_indicator *const *mine, size_t nmine, const char *notes,
                       bool demanded)
{
    struct pl_csv_writer *w = m->out;
    const char *group = pl_rules_default_group(unit->kind);
    struct entry *base = find(m, task->id, unit->name, "");
    /* Each indicator's entry, looked up once for the passes below. */
    if (nmine > m->cap_found) {
        struct entry **v = realloc(m->found, nmine * sizeof *v);
        if (!v) {
            m->status = PL_ERR_NOMEM;
            return;
        }
        m->found = v;
        m->cap_found = nmine;
    }
    struct entry **found = m->found;
    bool any = false;
    for (size_t i = 0; i < nmine; i++) {
        found[i] = find(m, task->id, unit->name, mine[i]->metric);
        any = any || found[i];
    }
    if (m->status != PL_OK)
        return;
    if (!demanded && !base && !any)
        return; /* nobody owes it: a row only for what came anyway */
    /* The merger's buffers, emptied: no allocation a pair. */
    struct pl_buf *text = m->text, *indicators = &m->indicators, *progress = &m->progress,
                  *flags = &m->flags;
    pl_buf_clear(indicators);
    pl_buf_clear(progress);
    pl_buf_clear(flags);
    double sum = 0;
    int counted = 0, derived = 0;
    bool late = base && strcmp(cell_of(base, C_LATE), "1") == 0;
    bool resubmitted = base && base->resubmitted;
    struct entry *latest_indicator = NULL;
    for (size_t i = 0; i < nmine; i++) {
        const struct pl_indicator *x = mine[i];
        struct entry *e = found[i];
        if (!e)
            continue;
        if (cell_of(e, C_VALUE)[0])
            pl_buf_printf(indicators, "%s%s=%s", indicators->len ? "|" : "", x->metric,
                          cell_of(e, C_VALUE));
        double share;
        if (cell_of(e, C_PROGRESS)[0]) {
            sum += strtod(cell_of(e, C_PROGRESS), NULL);
            counted++;
        } else if (progress_from_value(x, cell_of(e, C_VALUE), &share)) {
            /* The form's indicator rows ask for the value only. */
            sum += share;
            counted++;
            derived++;
        }
        late = late || strcmp(cell_of(e, C_LATE), "1") == 0;
        resubmitted = resubmitted || e->resubmitted;
        if (!latest_indicator || strcmp(cell_of(e, C_DATE), cell_of(latest_indicator, C_DATE)) > 0 ||
            (strcmp(cell_of(e, C_DATE), cell_of(latest_indicator, C_DATE)) == 0 &&
             e->arrival > latest_indicator->arrival))
            latest_indicator = e;
    }
    struct entry *row = base ? base : latest_indicator;
    const struct reject_row *rejected = returned_row(m, task->id, unit->name);
    /* The text: the task-level row's, then what the indicator rows say besides, each under
     * its metric; without a task-level row, the indicator rows' text, under its metric unless
     * they all say the same. */
    static const enum col text_cols[] = {C_NARRATIVE, C_PROBLEMS, C_NEXT};
    for (int t = 0; t < 3; t++) {
        pl_buf_clear(&text[t]);
        const char *main = base ? cell_of(base, text_cols[t]) : "";
        if (!base && row) {
            main = cell_of(row, text_cols[t]);
            for (size_t i = 0; i < nmine && main[0]; i++) {
                struct entry *e = found[i];
                if (e && cell_of(e, text_cols[t])[0] && strcmp(cell_of(e, text_cols[t]), main))
                    main = "";
            }
        }
        pl_buf_append_str(&text[t], main);
        for (size_t i = 0; row && i < nmine; i++) {
            struct entry *e = found[i];
            if (e)
                keep_text(&text[t], main, mine[i]->metric, cell_of(e, text_cols[t]));
        }
    }
    bool from_indicators = false;
    if (base && cell_of(base, C_PROGRESS)[0])
        pl_buf_append_str(progress, cell_of(base, C_PROGRESS));
    else if (counted) {
        pl_field_format_number(progress, (double)(long)(sum / counted * 10 + 0.5) / 10);
        from_indicators = true;
    }
    if (row) {
        pl_buf_append_str(flags, cell_of(row, C_FLAGS));
        if (from_indicators && counted > derived)
            pl_buf_printf(flags, "%sW_PROGRESS_FROM_INDICATORS", flags->len ? "|" : "");
        if (from_indicators && derived)
            pl_buf_printf(flags, "%sW_PROGRESS_FROM_VALUES", flags->len ? "|" : "");
        if (!progress->len)
            pl_buf_printf(flags, "%sW_NO_PROGRESS", flags->len ? "|" : "");
        if (resubmitted)
            pl_buf_printf(flags, "%sW_RESUBMITTED", flags->len ? "|" : "");
        if (rejected)
            pl_buf_printf(flags, "%sW_ROWS_REJECTED", flags->len ? "|" : "");
        if (!demanded) {
            pl_buf_printf(flags, "%sW_NOT_DEMANDED", flags->len ? "|" : "");
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
    pl_csv_write_str(w, row ? cell_of(row, C_OWNER) : rejected ? rejected->cells[J_OWNER] : "");
    pl_csv_write_str(w, row ? cell_of(row, C_PHONE) : rejected ? rejected->cells[J_PHONE] : "");
    pl_csv_write_str(w, progress->data);
    pl_csv_write_str(w, row ? cell_of(row, C_STATUS) : rejected ? "报送有误" : "未报送");
    pl_csv_write_str(w, base ? cell_of(base, C_VALUE) : "");
    for (int t = 0; t < 3; t++)
        pl_csv_write_str(w, text[t].data);
    pl_csv_write_str(w, row ? cell_of(row, C_DATE) : "");
    pl_csv_write_str(w, late ? "1" : "0");
    pl_csv_write_str(w, row ? "0" : rejected ? "2" : "1");
    pl_csv_write_str(w, flags->data);
    pl_csv_write_str(w, row ? cell_of(row, C_SOURCE) : rejected ? rejected->cells[J_SOURCE] : "");
    pl_csv_write_str(w, row ? cell_of(row, C_LINE) : rejected ? rejected->cells[J_LINE] : "");
    pl_csv_write_str(w, indicators->data);
    pl_csv_write_str(w, notes);
    pl_csv_end_row(w);
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
    struct pl_buf *bufs[] = {&m.key,        &m.text[0], &m.text[1], &m.text[2],
                             &m.indicators, &m.progress, &m.flags,  &m.message};
    for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++)
        pl_buf_init(bufs[i]);
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
    struct pl_strmap seen;
    pl_strmap_init(&seen);
    const struct pl_unit **hosts = NULL;
    size_t cap_hosts = 0;
    for (size_t t = 0; st == PL_OK && t < catalog->ntasks; t++) {
        const struct pl_task *task = &catalog->tasks[t];
        pl_buf_clear(&notes);
        collect_notes(&m, task, &notes);
        /* The hosts' units, looked up once for pl_merge_task_demanded()'s rule and the rows. */
        if (task->hosts.n > cap_hosts) {
            const struct pl_unit **v = realloc(hosts, task->hosts.n * sizeof *v);
            if (!v) {
                st = PL_ERR_NOMEM;
                break;
            }
            hosts = v;
            cap_hosts = task->hosts.n;
        }
        bool collective = false, other = false;
        for (size_t h = 0; h < task->hosts.n; h++) {
            hosts[h] = pl_catalog_find_unit(catalog, task->hosts.v[h]);
            note_host(hosts[h], &collective, &other);
        }
        bool demanded = (other || !collective) && (!cycle || pl_catalog_cycle_has_task(cycle, task));
        const struct pl_indicator *const *mine;
        size_t nmine;
        if (pl_catalog_task_indicators(catalog, task->id, &mine, &nmine) != PL_OK)
            m.status = PL_ERR_NOMEM;
        pl_strmap_fini(&seen);
        for (size_t h = 0; h < task->hosts.n && m.status == PL_OK; h++) {
            const struct pl_unit *unit = host_unit(&m, task, h, hosts[h], &seen);
            if (unit)
                write_pair(&m, task, unit, mine, nmine, notes.data, demanded);
        }
        if (m.status != PL_OK)
            st = m.status;
        else if (pl_csv_writer_status(out) != PL_OK)
            st = PL_ERR_IO;
    }
    pl_strmap_fini(&seen);
    free(hosts);
    pl_buf_fini(&notes);
    struct note_list *nl, *ntmp;
    HASH_ITER(hh, m.notes, nl, ntmp) {
        HASH_DEL(m.notes, nl);
        free(nl);
    }
    for (size_t i = 0; i < m.nentries; i++)
        free(m.entries[i]);
    free(m.entries);
    free(m.index.slots);
    free(m.found);
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
    for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++)
        pl_buf_fini(bufs[i]);
    return st;
}
