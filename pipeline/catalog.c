/* catalog — the catalog model, its CSV files and its lookups. */
#include "catalog.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <uthash.h>

#include "arena.h"
#include "csv.h"
#include "date.h"
#include "encoding.h"
#include "strmap.h"
#include "table.h"
#include "text.h"

/* ---- kinds ---------------------------------------------------------------------------- */

static const char *const task_kinds[] = {[PL_TASK_KEY] = "key", [PL_TASK_LIVELIHOOD] = "livelihood"};

const char *pl_task_kind_name(enum pl_task_kind kind)
{
    return kind == PL_TASK_LIVELIHOOD ? task_kinds[PL_TASK_LIVELIHOOD] : task_kinds[PL_TASK_KEY];
}

/* pl_task_kind_parse() on S[0..LEN): a cell read in place. */
static bool task_kind_of(const char *s, size_t len, enum pl_task_kind *out)
{
    for (int k = PL_TASK_KEY; k <= PL_TASK_LIVELIHOOD; k++) {
        if (strlen(task_kinds[k]) == len && memcmp(s, task_kinds[k], len) == 0) {
            *out = (enum pl_task_kind)k;
            return true;
        }
    }
    return false;
}

bool pl_task_kind_parse(const char *name, enum pl_task_kind *out)
{
    return task_kind_of(name, strlen(name), out);
}

static const char *const unit_kinds[PL_UNIT_KIND_COUNT] = {
    [PL_UNIT_DEPARTMENT] = "department", [PL_UNIT_PARTY] = "party",
    [PL_UNIT_MASS] = "mass",             [PL_UNIT_VERTICAL] = "vertical",
    [PL_UNIT_JUDICIAL] = "judicial",     [PL_UNIT_ZONE] = "zone",
    [PL_UNIT_ENTERPRISE] = "enterprise", [PL_UNIT_TOWN] = "town",
    [PL_UNIT_COLLECTIVE] = "collective", [PL_UNIT_BANK] = "bank",
};

const char *pl_unit_kind_name(enum pl_unit_kind kind)
{
    if ((unsigned)kind >= PL_UNIT_KIND_COUNT)
        return NULL;
    return unit_kinds[kind];
}

/* pl_unit_kind_parse() on S[0..LEN): a cell read in place. */
static bool unit_kind_of(const char *s, size_t len, enum pl_unit_kind *out)
{
    for (int k = 0; k < PL_UNIT_KIND_COUNT; k++) {
        if (strlen(unit_kinds[k]) == len && memcmp(s, unit_kinds[k], len) == 0) {
            *out = (enum pl_unit_kind)k;
            return true;
        }
    }
    return false;
}

bool pl_unit_kind_parse(const char *name, enum pl_unit_kind *out)
{
    return unit_kind_of(name, strlen(name), out);
}

const char *pl_unit_kind_group(enum pl_unit_kind kind)
{
    if (kind == PL_UNIT_COLLECTIVE || (unsigned)kind >= PL_UNIT_KIND_COUNT)
        return NULL;
    return kind == PL_UNIT_TOWN ? "镇街" : "县直部门";
}

bool pl_unit_kind_directed(enum pl_unit_kind kind)
{
    switch (kind) {
    case PL_UNIT_TOWN:
    case PL_UNIT_ZONE:
    case PL_UNIT_DEPARTMENT:
    case PL_UNIT_PARTY:
    case PL_UNIT_MASS:
        return true;
    default:
        return false;
    }
}

const char *pl_unit_short(const struct pl_unit *u)
{
    return u->short_name && *u->short_name ? u->short_name : u->name;
}

/* ---- model ---------------------------------------------------------------------------- */

struct index_entry {
    char *key;
    size_t idx;
    bool ambiguous;
    bool is_name;
    UT_hash_handle hh;
};

/* The roles: for each task (tasks with one id share the first's), the names its hosts and its
 * co-units give, exactly as written, and the collectives among them, each a sorted set of
 * name numbers (see name_id()): four bytes a name, a binary search a question. */
enum { SET_HOST, SET_COHOST, SET_COLLECTIVE, NSETS };

struct id_set {
    uint32_t *v;
    size_t n, cap;
};

struct task_roles {
    struct id_set set[NSETS];
};

/* A task id → its indicators in catalog order. */
struct indicator_list {
    char *key;
    const struct pl_indicator **v;
    size_t n, cap;
    UT_hash_handle hh;
};

/* In the maps of task ids and unit keys, a value is the entry's index shifted left by three,
 * with these bits (KEY_NAME_SAME: the key is a unit's name, which is its own match key, so
 * that a name found under it that is its own key too is that very name): */
enum { KEY_AMBIGUOUS = 1, KEY_IS_NAME = 2, KEY_NAME_SAME = 4, KEY_SHIFT = 3 };

/* A link of the chain of collectives that list one name among their members. */
struct member_link {
    size_t unit; /* the collective */
    size_t next; /* the next link + 1; 0 ends the chain */
};

#define NO_UNIT UINT32_MAX

struct pl_catalog_index {
    struct pl_strmap tasks;
    struct pl_strmap units;
    /* Per unit: its name's key finds an earlier unit (two names alike but for case or
     * spaces), so that pl_catalog_find_unit() on its name gives the other. */
    unsigned char *shadowed;
    /* The unit (or NO_UNIT) of each name of the tasks' lists as pl_catalog_resolve() left
     * them: hosts then co-units, task by task, task T's from LIST_START[T]. The roles are
     * built from it without looking a name up. NULL when not known. */
    uint32_t *list_units;
    size_t *list_start;
    /* Built on first use (the lists change while the catalog is resolved): */
    bool have_roles;
    struct task_roles *roles;     /* by task number */
    size_t nroles;
    struct pl_strmap other_names; /* names a unit's name lookup does not give: their number */
    size_t next_other;            /* the next number for such a name (from nunits on) */
    struct pl_u64map member_of;   /* a name's number → its first link + 1 */
    struct member_link *links;
    size_t nlinks, cap_links;
    size_t nindicators; /* indicators counted when BY_TASK was built; (size_t)-1: not built */
    struct indicator_list *by_task;
};

static void roles_drop(struct pl_catalog_index *ix)
{
    for (size_t i = 0; i < ix->nroles; i++)
        for (int k = 0; k < NSETS; k++)
            free(ix->roles[i].set[k].v);
    free(ix->roles);
    ix->roles = NULL;
    ix->nroles = 0;
    pl_strmap_fini(&ix->other_names);
    pl_u64map_fini(&ix->member_of);
    free(ix->links);
    ix->links = NULL;
    ix->nlinks = ix->cap_links = 0;
    ix->have_roles = false;
}

static void list_units_drop(struct pl_catalog_index *ix)
{
    free(ix->list_units);
    free(ix->list_start);
    ix->list_units = NULL;
    ix->list_start = NULL;
}

static void indicators_drop(struct pl_catalog_index *ix)
{
    struct indicator_list *l, *tmp;
    HASH_ITER(hh, ix->by_task, l, tmp)
    {
        HASH_DEL(ix->by_task, l);
        free(l->key);
        free(l->v);
        free(l);
    }
    ix->nindicators = (size_t)-1;
}

static void index_free_table(struct index_entry **table)
{
    struct index_entry *e, *tmp;
    HASH_ITER(hh, *table, e, tmp)
    {
        HASH_DEL(*table, e);
        free(e->key);
        free(e);
    }
}

static void index_drop(struct pl_catalog *c)
{
    if (!c->index)
        return;
    pl_strmap_fini(&c->index->tasks);
    pl_strmap_fini(&c->index->units);
    free(c->index->shadowed);
    list_units_drop(c->index);
    roles_drop(c->index);
    indicators_drop(c->index);
    free(c->index);
    c->index = NULL;
}

void pl_catalog_init(struct pl_catalog *c)
{
    memset(c, 0, sizeof *c);
}

/* Frees P unless it lives in the catalog's arena (a string read from a file). */
static void drop_str(const struct pl_catalog *c, char *p)
{
    if (p && !(c->arena && pl_arena_owns(c->arena, p)))
        free(p);
}

/* pl_strv_fini() for the catalog's lists, whose names may live in the arena. */
static void drop_list(const struct pl_catalog *c, struct pl_strv *list)
{
    for (size_t i = 0; c->arena && i < list->n; i++) {
        drop_str(c, list->v[i]);
        list->v[i] = NULL;
    }
    pl_strv_fini(list); /* frees what is left: the array, or every name when there is no arena */
}

void pl_catalog_fini(struct pl_catalog *c)
{
    index_drop(c);
    for (size_t i = 0; i < c->ntasks; i++) {
        struct pl_task *t = &c->tasks[i];
        drop_str(c, t->id);
        drop_str(c, t->title);
        drop_str(c, t->text);
        drop_list(c, &t->leaders);
        drop_list(c, &t->hosts);
        drop_list(c, &t->cohosts);
        drop_str(c, t->due);
        drop_str(c, t->previous_id);
        drop_str(c, t->section);
    }
    free(c->tasks);
    for (size_t i = 0; i < c->nunits; i++) {
        struct pl_unit *u = &c->units[i];
        drop_str(c, u->name);
        drop_list(c, &u->aliases);
        drop_list(c, &u->members);
        drop_str(c, u->short_name);
        drop_str(c, u->contact);
        drop_str(c, u->phone);
        drop_str(c, u->email);
    }
    free(c->units);
    for (size_t i = 0; i < c->nindicators; i++) {
        struct pl_indicator *x = &c->indicators[i];
        drop_str(c, x->task_id);
        drop_str(c, x->metric);
        drop_str(c, x->comparator);
        drop_str(c, x->value);
        drop_str(c, x->unit);
        drop_str(c, x->source);
    }
    free(c->indicators);
    for (size_t i = 0; i < c->ncycles; i++) {
        struct pl_cycle *y = &c->cycles[i];
        drop_str(c, y->id);
        drop_str(c, y->label);
        drop_str(c, y->start);
        drop_str(c, y->end);
        drop_str(c, y->deadline);
        drop_str(c, y->expected);
        drop_str(c, y->kind);
        drop_str(c, y->tasks);
    }
    free(c->cycles);
    for (size_t i = 0; i < c->nfacts; i++) {
        free(c->facts[i].key);
        free(c->facts[i].value);
    }
    free(c->facts);
    if (c->arena) {
        pl_arena_fini(c->arena);
        free(c->arena);
    }
    pl_catalog_init(c);
}

/* Grows *ARR (of SIZE-byte entries) so that one more fits, and returns the zeroed new slot. */
static void *grow(void **arr, size_t *n, size_t *cap, size_t size)
{
    if (*n == *cap) {
        size_t ncap = *cap ? *cap * 2 : 16;
        void *p = realloc(*arr, ncap * size);
        if (!p)
            return NULL;
        *arr = p;
        *cap = ncap;
    }
    char *slot = (char *)*arr + *n * size;
    memset(slot, 0, size);
    (*n)++;
    return slot;
}

struct pl_task *pl_catalog_add_task(struct pl_catalog *c)
{
    index_drop(c);
    return grow((void **)&c->tasks, &c->ntasks, &c->cap_tasks, sizeof *c->tasks);
}

struct pl_unit *pl_catalog_add_unit(struct pl_catalog *c)
{
    index_drop(c);
    return grow((void **)&c->units, &c->nunits, &c->cap_units, sizeof *c->units);
}

struct pl_indicator *pl_catalog_add_indicator(struct pl_catalog *c)
{
    return grow((void **)&c->indicators, &c->nindicators, &c->cap_indicators,
                sizeof *c->indicators);
}

struct pl_cycle *pl_catalog_add_cycle(struct pl_catalog *c)
{
    return grow((void **)&c->cycles, &c->ncycles, &c->cap_cycles, sizeof *c->cycles);
}

enum pl_status pl_catalog_set_fact(struct pl_catalog *c, const char *key, const char *value)
{
    char *v = strdup(value);
    if (!v)
        return PL_ERR_NOMEM;
    for (size_t i = 0; i < c->nfacts; i++) {
        if (strcmp(c->facts[i].key, key) == 0) {
            free(c->facts[i].value);
            c->facts[i].value = v;
            return PL_OK;
        }
    }
    char *k = strdup(key);
    struct pl_fact *f = k ? grow((void **)&c->facts, &c->nfacts, &c->cap_facts, sizeof *f) : NULL;
    if (!f) {
        free(k);
        free(v);
        return PL_ERR_NOMEM;
    }
    f->key = k;
    f->value = v;
    return PL_OK;
}

const char *pl_catalog_fact(const struct pl_catalog *c, const char *key)
{
    for (size_t i = 0; i < c->nfacts; i++)
        if (strcmp(c->facts[i].key, key) == 0)
            return c->facts[i].value;
    return NULL;
}

/* ---- index ---------------------------------------------------------------------------- */

/* Adds KEY → IDX (IS_NAME for a unit's own name). A key already there for another index
 * becomes ambiguous, except that a name always wins over an alias; *CLASH gets the other
 * index when the key was already taken (-1 otherwise). */
static enum pl_status index_put(struct index_entry **table, const char *key, size_t idx,
                                bool is_name, long *clash)
{
    struct index_entry *e;
    *clash = -1;
    HASH_FIND_STR(*table, key, e);
    if (e) {
        if (e->idx != idx) {
            *clash = (long)e->idx;
            if (!e->is_name)
                e->ambiguous = true;
        }
        return PL_OK;
    }
    e = calloc(1, sizeof *e);
    if (!e || !(e->key = strdup(key))) {
        free(e);
        return PL_ERR_NOMEM;
    }
    e->idx = idx;
    e->is_name = is_name;
    HASH_ADD_KEYPTR(hh, *table, e->key, strlen(e->key), e);
    return PL_OK;
}

/* index_put() for the maps of the index (HASH: the key's, or 0 to have it worked out); *OUT,
 * when not NULL, gets the key's value. */
static enum pl_status map_put_hashed(struct pl_strmap *map, uint64_t hash, const char *key,
                                     size_t len, size_t idx, bool is_name, long *clash,
                                     size_t **out)
{
    size_t *v;
    bool added;
    *clash = -1;
    enum pl_status st = pl_strmap_put_hashed(map, hash ? hash : pl_strmap_hash(key, len), key, len,
                                             idx << KEY_SHIFT | (is_name ? KEY_IS_NAME : 0), &v,
                                             &added);
    if (out)
        *out = v;
    if (st == PL_OK && !added && *v >> KEY_SHIFT != idx) {
        *clash = (long)(*v >> KEY_SHIFT);
        if (!(*v & KEY_IS_NAME))
            *v |= KEY_AMBIGUOUS;
    }
    return st;
}

static enum pl_status map_put(struct pl_strmap *map, const char *key, size_t len, size_t idx,
                              bool is_name, long *clash)
{
    return map_put_hashed(map, 0, key, len, idx, is_name, clash, NULL);
}

/* Keys of names in batches: a map too large for the cache costs two misses a lookup (the slot,
 * the record with the key); asking for BATCH keys' slots, then their records, before using
 * any lets the misses overlap. The key of a name that is its own key is the name itself. */
enum { BATCH = 32 };

struct batch {
    struct pl_buf buf[BATCH];
    const char *key[BATCH];
    size_t len[BATCH];
    uint64_t hash[BATCH];
    enum pl_status status[BATCH]; /* of the key: PL_ERR_DATA for invalid UTF-8 */
};

static void batch_init(struct batch *b)
{
    for (int i = 0; i < BATCH; i++)
        pl_buf_init(&b->buf[i]);
}

static void batch_fini(struct batch *b)
{
    for (int i = 0; i < BATCH; i++)
        pl_buf_fini(&b->buf[i]);
}

/* Sets key K of B to the match key of NAME[0..LEN) and asks for its slot in MAP. */
static void batch_key(struct batch *b, const struct pl_strmap *map, size_t k, const char *name,
                      size_t len)
{
    b->status[k] = PL_OK;
    if (pl_text_match_key_is_same(name, len)) {
        b->key[k] = name;
        b->len[k] = len;
    } else {
        pl_buf_clear(&b->buf[k]);
        b->status[k] = pl_text_match_key(&b->buf[k], name, len);
        b->key[k] = b->buf[k].data;
        b->len[k] = b->buf[k].len;
    }
    b->hash[k] = pl_strmap_hash(b->key[k], b->len[k]);
    pl_strmap_prefetch(map, b->hash[k], 0);
}

/* The unit of each of the N names NAMES[i][0..LENS[i]) (LENS NULL: NUL-terminated names), as
 * pl_catalog_find_unit() finds it (NO_UNIT for none), with UNIT_EXACT added when the name is
 * that unit's very name. */
#define UNIT_EXACT 0x80000000u

static void find_units(const struct pl_catalog *c, struct batch *b, const char *const *names,
                       const size_t *lens, size_t n, uint32_t *out)
{
    const struct pl_strmap *map = &c->index->units;
    for (size_t i = 0; i < n;) {
        size_t m = n - i < BATCH ? n - i : BATCH;
        for (size_t k = 0; k < m; k++)
            batch_key(b, map, k, names[i + k], lens ? lens[i + k] : strlen(names[i + k]));
        for (size_t k = 0; k < m; k++)
            pl_strmap_prefetch(map, b->hash[k], 1);
        for (size_t k = 0; k < m; k++, i++) {
            const size_t *v = b->status[k] == PL_OK
                                  ? pl_strmap_get_hashed(map, b->hash[k], b->key[k], b->len[k])
                                  : NULL;
            if (!v || (*v & KEY_AMBIGUOUS)) {
                out[i] = NO_UNIT;
                continue;
            }
            out[i] = (uint32_t)(*v >> KEY_SHIFT);
            /* Both the name looked up and the unit's name are the key: they are one string. */
            if ((*v & KEY_NAME_SAME) && b->key[k] == names[i])
                out[i] |= UNIT_EXACT;
        }
    }
}

/* An alias two units share (W_CATALOG_ALIAS), kept to be reported when the index is done:
 * pl_catalog_read() builds the units' part of the index before it reads tasks.csv but reports
 * this where it always did, after every file's rows. */
struct alias_clash {
    size_t unit, alias, other;
};

struct clashes {
    struct alias_clash *v;
    size_t n, cap;
};

static void report_clashes(const struct pl_catalog *c, const struct clashes *cl,
                           struct pl_diag *diag, const char *file)
{
    for (size_t i = 0; i < cl->n; i++) {
        const struct pl_unit *u = &c->units[cl->v[i].unit];
        pl_diag_report(diag, file, 0, 0, "W_CATALOG_ALIAS",
                       "别名“%s”同时指“%s”和“%s”，按此别名不认单位", u->aliases.v[cl->v[i].alias],
                       c->units[cl->v[i].other].name, u->name);
    }
}

/* A new, empty index for C (which has none). PL_ERR_NOMEM. */
static enum pl_status index_new(struct pl_catalog *c)
{
    struct pl_catalog_index *ix = calloc(1, sizeof *ix);
    if (!ix)
        return PL_ERR_NOMEM;
    ix->nindicators = (size_t)-1;
    pl_strmap_init(&ix->tasks);
    pl_strmap_init(&ix->units);
    pl_strmap_init(&ix->other_names);
    pl_u64map_init(&ix->member_of);
    c->index = ix;
    return PL_OK;
}

/* The units' part of the index: every name, then every alias, by match key. An alias two
 * units share is added to CL. */
static enum pl_status index_units(struct pl_catalog *c, struct clashes *cl)
{
    struct pl_catalog_index *ix = c->index;
    enum pl_status st = PL_OK;
    long clash;
    /* Room for every name and alias at once: no doubling while a province's go in. */
    size_t nkeys = c->nunits, key_bytes = 0;
    for (size_t i = 0; i < c->nunits; i++) {
        key_bytes += strlen(c->units[i].name);
        nkeys += c->units[i].aliases.n;
        for (size_t a = 0; a < c->units[i].aliases.n; a++)
            key_bytes += strlen(c->units[i].aliases.v[a]);
    }
    if (c->nunits && !(ix->shadowed = calloc(c->nunits, 1)))
        return PL_ERR_NOMEM;
    if ((st = pl_strmap_reserve(&ix->units, nkeys, key_bytes)) != PL_OK)
        return st;
    /* Names first, so that a name always wins over another unit's alias; in batches whose
     * slots are asked for ahead (see struct batch). */
    struct batch b;
    batch_init(&b);
    for (size_t i = 0; i < c->nunits && st == PL_OK;) {
        size_t n = 0;
        for (; n < BATCH && i + n < c->nunits; n++)
            batch_key(&b, &ix->units, n, c->units[i + n].name, strlen(c->units[i + n].name));
        for (size_t k = 0; k < n && st == PL_OK; k++, i++) {
            if ((st = b.status[k]) != PL_OK)
                break;
            size_t *v;
            st = map_put_hashed(&ix->units, b.hash[k], b.key[k], b.len[k], i, true, &clash, &v);
            if (st == PL_OK && clash >= 0)
                ix->shadowed[i] = 1;
            else if (st == PL_OK && b.key[k] == c->units[i].name)
                *v |= KEY_NAME_SAME;
        }
    }
    /* The aliases, unit after unit, in batches that run across units. */
    size_t ui = 0, ai = 0;
    while (st == PL_OK) {
        size_t n = 0, unit[BATCH], alias[BATCH];
        for (; n < BATCH && ui < c->nunits; ai++) {
            if (ai >= c->units[ui].aliases.n) {
                ui++;
                ai = (size_t)-1;
                continue;
            }
            unit[n] = ui;
            alias[n] = ai;
            const char *name = c->units[ui].aliases.v[ai];
            batch_key(&b, &ix->units, n++, name, strlen(name));
        }
        if (n == 0)
            break;
        for (size_t k = 0; k < n && st == PL_OK; k++) {
            if ((st = b.status[k]) != PL_OK)
                break;
            st = map_put_hashed(&ix->units, b.hash[k], b.key[k], b.len[k], unit[k], false, &clash,
                                NULL);
            if (st == PL_OK && clash >= 0) {
                struct alias_clash *slot = grow((void **)&cl->v, &cl->n, &cl->cap, sizeof *slot);
                if (!slot) {
                    st = PL_ERR_NOMEM;
                    break;
                }
                *slot = (struct alias_clash){unit[k], alias[k], (size_t)clash};
            }
        }
    }
    batch_fini(&b);
    return st;
}

/* The tasks' part of the index: task ids. */
static enum pl_status index_tasks(struct pl_catalog *c)
{
    enum pl_status st = PL_OK;
    long clash;
    for (size_t i = 0; i < c->ntasks && st == PL_OK; i++)
        st = map_put(&c->index->tasks, c->tasks[i].id, strlen(c->tasks[i].id), i, true, &clash);
    return st;
}

enum pl_status pl_catalog_index(struct pl_catalog *c, struct pl_diag *diag, const char *file)
{
    index_drop(c);
    struct clashes cl = {NULL, 0, 0};
    enum pl_status st = index_new(c);
    if (st == PL_OK && (st = index_tasks(c)) == PL_OK && (st = index_units(c, &cl)) == PL_OK)
        report_clashes(c, &cl, diag, file);
    free(cl.v);
    if (st != PL_OK)
        index_drop(c);
    return st;
}

const struct pl_task *pl_catalog_find_task(const struct pl_catalog *c, const char *id)
{
    if (!c->index)
        return NULL;
    const size_t *v = pl_strmap_get(&c->index->tasks, id, strlen(id));
    return v && !(*v & KEY_AMBIGUOUS) ? &c->tasks[*v >> KEY_SHIFT] : NULL;
}

const struct pl_unit *pl_catalog_find_unit(const struct pl_catalog *c, const char *name)
{
    if (!c->index)
        return NULL;
    size_t len = strlen(name);
    const size_t *v = NULL;
    if (pl_text_match_key_is_same(name, len)) {
        /* Nearly every name is its own key: no copy, no allocation. */
        v = pl_strmap_get(&c->index->units, name, len);
    } else {
        struct pl_buf key;
        pl_buf_init(&key);
        if (pl_text_match_key(&key, name, len) == PL_OK)
            v = pl_strmap_get(&c->index->units, key.data, key.len);
        pl_buf_fini(&key);
    }
    return v && !(*v & KEY_AMBIGUOUS) ? &c->units[*v >> KEY_SHIFT] : NULL;
}

const struct pl_cycle *pl_catalog_find_cycle(const struct pl_catalog *c, const char *id)
{
    for (size_t i = 0; i < c->ncycles; i++)
        if (strcmp(c->cycles[i].id, id) == 0)
            return &c->cycles[i];
    return NULL;
}

/* The number of task TASK for its pairs: the first task of C with its id (tasks with one id
 * share their pairs, as the pairs once were keyed by the id). SIZE_MAX when C has none. */
static size_t task_number(const struct pl_catalog *c, const struct pl_task *task)
{
    const size_t *v = pl_strmap_get(&c->index->tasks, task->id, strlen(task->id));
    return v ? *v >> KEY_SHIFT : SIZE_MAX;
}

/* The number of NAME in the pairs: a unit's number when NAME is exactly that unit's name,
 * else a number of its own from NUNITS on, given when ADD (*ID is SIZE_MAX for a name never
 * given one). Exact names, as the lists hold them; one lookup by key for a unit's name. */
static enum pl_status name_id(const struct pl_catalog *c, const char *name, bool add, size_t *id)
{
    struct pl_catalog_index *ix = c->index;
    const struct pl_unit *u = pl_catalog_find_unit(c, name);
    *id = SIZE_MAX;
    if (u && strcmp(u->name, name) == 0) {
        *id = (size_t)(u - c->units);
        return PL_OK;
    }
    size_t len = strlen(name), *v;
    if (!add) {
        v = pl_strmap_get(&ix->other_names, name, len);
        if (v)
            *id = *v;
        return PL_OK;
    }
    bool added;
    enum pl_status st = pl_strmap_put(&ix->other_names, name, len, ix->next_other, &v, &added);
    if (st == PL_OK) {
        *id = *v;
        ix->next_other += added;
    }
    return st;
}

static enum pl_status set_add(struct id_set *set, size_t id)
{
    uint32_t *slot;
    if (id >= UINT32_MAX || !(slot = grow((void **)&set->v, &set->n, &set->cap, sizeof *slot)))
        return PL_ERR_NOMEM;
    *slot = (uint32_t)id;
    return PL_OK;
}

static int cmp_u32(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return x < y ? -1 : x > y;
}

/* Sorts SET and drops repeats. A province's lists name the units in units.csv's order, so the
 * sort is mostly a check that they are in order. */
static void set_finish(struct id_set *set)
{
    bool sorted = true;
    for (size_t i = 1; i < set->n && sorted; i++)
        sorted = set->v[i - 1] <= set->v[i];
    if (!sorted)
        qsort(set->v, set->n, sizeof *set->v, cmp_u32);
    size_t k = 0;
    for (size_t i = 0; i < set->n; i++)
        if (k == 0 || set->v[k - 1] != set->v[i])
            set->v[k++] = set->v[i];
    set->n = k;
}

static bool set_has(const struct id_set *set, size_t id)
{
    size_t lo = 0, hi = set->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (set->v[mid] < id)
            lo = mid + 1;
        else if (set->v[mid] > id)
            hi = mid;
        else
            return true;
    }
    return false;
}

/* One pass over every task's lists and every collective's members: O(catalog), and without a
 * lookup for a name whose unit pl_catalog_resolve() recorded. */
static enum pl_status roles_build(const struct pl_catalog *c)
{
    struct pl_catalog_index *ix = c->index;
    enum pl_status st = PL_OK;
    if (c->nunits >= UINT32_MAX)
        return PL_ERR_NOMEM;
    ix->next_other = c->nunits;
    if (c->ntasks && !(ix->roles = calloc(c->ntasks, sizeof *ix->roles)))
        return PL_ERR_NOMEM;
    ix->nroles = c->ntasks;
    /* A shadowed unit's name keeps its unit's number. */
    for (size_t i = 0; ix->shadowed && i < c->nunits && st == PL_OK; i++) {
        size_t *v;
        bool added;
        if (ix->shadowed[i])
            st = pl_strmap_put(&ix->other_names, c->units[i].name, strlen(c->units[i].name), i,
                               &v, &added);
    }
    for (size_t i = 0; i < c->ntasks && st == PL_OK; i++) {
        const struct pl_task *t = &c->tasks[i];
        size_t tn = task_number(c, t);
        if (tn >= ix->nroles)
            continue; /* not indexed: no roles */
        const struct pl_strv *lists[] = {&t->hosts, &t->cohosts};
        size_t pos = ix->list_units ? ix->list_start[i] : 0;
        for (int l = 0; l < 2 && st == PL_OK; l++) {
            for (size_t k = 0; k < lists[l]->n && st == PL_OK; k++, pos++) {
                const char *name = lists[l]->v[k];
                const struct pl_unit *u;
                size_t id;
                if (ix->list_units && ix->list_units[pos] != NO_UNIT) {
                    /* The list holds the unit's name: its number is the unit's. */
                    id = ix->list_units[pos];
                    u = ix->shadowed[id] ? pl_catalog_find_unit(c, name) : &c->units[id];
                } else {
                    st = name_id(c, name, true, &id);
                    u = pl_catalog_find_unit(c, name);
                }
                struct id_set *sets = ix->roles[tn].set;
                if (st == PL_OK)
                    st = set_add(&sets[l == 0 ? SET_HOST : SET_COHOST], id);
                if (st == PL_OK && u && u->kind == PL_UNIT_COLLECTIVE)
                    st = set_add(&sets[SET_COLLECTIVE], (size_t)(u - c->units));
            }
        }
    }
    for (size_t i = 0; i < c->nunits && st == PL_OK; i++) {
        const struct pl_unit *u = &c->units[i];
        if (u->kind != PL_UNIT_COLLECTIVE)
            continue;
        for (size_t k = 0; k < u->members.n && st == PL_OK; k++) {
            size_t id;
            uint32_t *first;
            if ((st = name_id(c, u->members.v[k], true, &id)) != PL_OK ||
                (st = pl_u64map_put(&ix->member_of, id, 0, &first)) != PL_OK)
                break;
            struct member_link *link;
            if (ix->nlinks >= UINT32_MAX - 1 ||
                !(link = grow((void **)&ix->links, &ix->nlinks, &ix->cap_links, sizeof *link))) {
                st = PL_ERR_NOMEM;
                break;
            }
            *link = (struct member_link){i, *first};
            *first = (uint32_t)ix->nlinks;
        }
    }
    for (size_t i = 0; i < ix->nroles && st == PL_OK; i++)
        for (int k = 0; k < NSETS; k++)
            set_finish(&ix->roles[i].set[k]);
    if (st == PL_OK)
        ix->have_roles = true;
    else
        roles_drop(ix);
    return st;
}

enum pl_status pl_catalog_task_role(const struct pl_catalog *c, const struct pl_task *task,
                                    const char *unit, enum pl_task_role *role)
{
    *role = PL_ROLE_NONE;
    if (!c->index)
        return PL_OK;
    enum pl_status st;
    if (!c->index->have_roles && (st = roles_build(c)) != PL_OK)
        return st;
    size_t tn = task_number(c, task), id;
    if (tn >= c->index->nroles || (st = name_id(c, unit, false, &id)) != PL_OK || id == SIZE_MAX)
        return PL_OK;
    const struct id_set *sets = c->index->roles[tn].set;
    if (set_has(&sets[SET_HOST], id)) {
        *role = PL_ROLE_HOST;
    } else if (set_has(&sets[SET_COHOST], id)) {
        *role = PL_ROLE_COHOST;
    } else {
        const uint32_t *first = pl_u64map_get(&c->index->member_of, id);
        for (size_t l = first ? *first : 0; l; l = c->index->links[l - 1].next) {
            if (set_has(&sets[SET_COLLECTIVE], c->index->links[l - 1].unit)) {
                *role = PL_ROLE_COHOST;
                break;
            }
        }
    }
    return PL_OK;
}

static enum pl_status indicators_build(const struct pl_catalog *c)
{
    struct pl_catalog_index *ix = c->index;
    indicators_drop(ix);
    for (size_t i = 0; i < c->nindicators; i++) {
        const struct pl_indicator *x = &c->indicators[i];
        struct indicator_list *l;
        HASH_FIND_STR(ix->by_task, x->task_id, l);
        if (!l) {
            if (!(l = calloc(1, sizeof *l)) || !(l->key = strdup(x->task_id))) {
                free(l);
                goto fail;
            }
            HASH_ADD_KEYPTR(hh, ix->by_task, l->key, strlen(l->key), l);
        }
        if (l->n == l->cap) {
            size_t cap = l->cap ? l->cap * 2 : 4;
            const struct pl_indicator **v = realloc(l->v, cap * sizeof *v);
            if (!v)
                goto fail;
            l->v = v;
            l->cap = cap;
        }
        l->v[l->n++] = x;
    }
    ix->nindicators = c->nindicators;
    return PL_OK;
fail:
    indicators_drop(ix);
    return PL_ERR_NOMEM;
}

enum pl_status pl_catalog_task_indicators(const struct pl_catalog *c, const char *task_id,
                                          const struct pl_indicator *const **list, size_t *n)
{
    *list = NULL;
    *n = 0;
    if (!c->index)
        return PL_OK;
    enum pl_status st;
    if (c->index->nindicators != c->nindicators && (st = indicators_build(c)) != PL_OK)
        return st;
    struct indicator_list *l;
    HASH_FIND_STR(c->index->by_task, task_id, l);
    if (l) {
        *list = l->v;
        *n = l->n;
    }
    return PL_OK;
}

/* ---- writing -------------------------------------------------------------------------- */

/* The most columns tasks.csv or units.csv has: task_header. */
#define TABLE_COLUMNS 10

/* The cells of one row of tasks.csv or units.csv as pl_catalog_write() writes them: set by
 * table_cells() into CELL/LEN, lists joined into JOINED. */
struct row_cells {
    const char *cell[TABLE_COLUMNS];
    size_t len[TABLE_COLUMNS];
    struct pl_buf joined[3];
};

static const char *const task_header[] = {"id",    "kind",    "title", "text",        "leaders",
                                          "hosts", "cohosts", "due",   "previous_id", "section"};
static const char *const unit_header[] = {"name",  "aliases", "kind",  "members",
                                          "short", "contact", "phone", "email"};

/* Which optional columns tasks.csv has: previous_id, section. */
static void task_columns(const struct pl_catalog *c, bool *previous, bool *sections)
{
    *previous = *sections = false;
    for (size_t i = 0; i < c->ntasks; i++) {
        *previous = *previous || (c->tasks[i].previous_id && *c->tasks[i].previous_id);
        *sections = *sections || (c->tasks[i].section && *c->tasks[i].section);
    }
}

static void set_cell(struct row_cells *rc, size_t k, const char *s)
{
    rc->cell[k] = s ? s : "";
    rc->len[k] = strlen(rc->cell[k]);
}

static enum pl_status set_list(struct row_cells *rc, size_t k, int j, const struct pl_strv *l)
{
    pl_buf_clear(&rc->joined[j]);
    enum pl_status st = pl_strv_join(l, '|', &rc->joined[j]);
    rc->cell[k] = rc->joined[j].data ? rc->joined[j].data : "";
    rc->len[k] = rc->joined[j].len;
    return st;
}

/* Row I of tasks.csv (TASKS) or units.csv as written; *N gets the number of cells. */
static enum pl_status table_cells(const struct pl_catalog *c, bool tasks, size_t i, bool previous,
                                  bool sections, struct row_cells *rc, size_t *n)
{
    enum pl_status st = PL_OK;
    if (tasks) {
        const struct pl_task *t = &c->tasks[i];
        set_cell(rc, 0, t->id);
        set_cell(rc, 1, pl_task_kind_name(t->kind));
        set_cell(rc, 2, t->title);
        set_cell(rc, 3, t->text);
        if ((st = set_list(rc, 4, 0, &t->leaders)) == PL_OK &&
            (st = set_list(rc, 5, 1, &t->hosts)) == PL_OK)
            st = set_list(rc, 6, 2, &t->cohosts);
        set_cell(rc, 7, t->due);
        *n = 8;
        if (previous)
            set_cell(rc, (*n)++, t->previous_id);
        if (sections)
            set_cell(rc, (*n)++, t->section);
    } else {
        const struct pl_unit *u = &c->units[i];
        set_cell(rc, 0, u->name);
        st = set_list(rc, 1, 0, &u->aliases);
        set_cell(rc, 2, pl_unit_kind_name(u->kind));
        if (st == PL_OK)
            st = set_list(rc, 3, 1, &u->members);
        set_cell(rc, 4, u->short_name);
        set_cell(rc, 5, u->contact);
        set_cell(rc, 6, u->phone);
        set_cell(rc, 7, u->email);
        *n = 8;
    }
    return st;
}

/* tasks.csv (TASKS) or units.csv: the header, then every row as table_cells() makes it. */
static void write_table(const struct pl_catalog *c, bool tasks, struct pl_csv_writer *w)
{
    bool previous = false, sections = false;
    if (tasks)
        task_columns(c, &previous, &sections);
    const char *const *header = tasks ? task_header : unit_header;
    for (size_t k = 0; k < 8; k++)
        pl_csv_write_str(w, header[k]);
    if (previous)
        pl_csv_write_str(w, header[8]);
    if (sections)
        pl_csv_write_str(w, header[9]);
    pl_csv_end_row(w);
    struct row_cells rc;
    for (int j = 0; j < 3; j++)
        pl_buf_init(&rc.joined[j]);
    size_t nrows = tasks ? c->ntasks : c->nunits, n = 0;
    for (size_t i = 0; i < nrows; i++) {
        if (table_cells(c, tasks, i, previous, sections, &rc, &n) != PL_OK) {
            w->status = PL_ERR_NOMEM;
            break;
        }
        for (size_t k = 0; k < n; k++)
            pl_csv_write_cell(w, rc.cell[k], rc.len[k]);
        pl_csv_end_row(w);
    }
    for (int j = 0; j < 3; j++)
        pl_buf_fini(&rc.joined[j]);
}

static void write_tasks(const struct pl_catalog *c, struct pl_csv_writer *w, struct pl_buf *tmp)
{
    (void)tmp;
    write_table(c, true, w);
}

static void write_units(const struct pl_catalog *c, struct pl_csv_writer *w, struct pl_buf *tmp)
{
    (void)tmp;
    write_table(c, false, w);
}

static void write_indicators(const struct pl_catalog *c, struct pl_csv_writer *w,
                             struct pl_buf *tmp)
{
    static const char *const header[] = {"task_id", "metric", "comparator",
                                         "value",   "unit",   "source"};
    (void)tmp;
    pl_csv_write_row(w, header, 6);
    for (size_t i = 0; i < c->nindicators; i++) {
        const struct pl_indicator *x = &c->indicators[i];
        const char *row[] = {x->task_id, x->metric, x->comparator, x->value, x->unit, x->source};
        pl_csv_write_row(w, row, 6);
    }
}

static void write_cycles(const struct pl_catalog *c, struct pl_csv_writer *w, struct pl_buf *tmp)
{
    static const char *const header[] = {"id",       "label",    "start", "end",
                                         "deadline", "expected", "kind",  "tasks"};
    (void)tmp;
    /* kind and tasks only when a cycle has them, so a catalog without them is written as
     * before. */
    int n = 6;
    for (size_t i = 0; i < c->ncycles; i++)
        if ((c->cycles[i].kind && *c->cycles[i].kind) ||
            (c->cycles[i].tasks && *c->cycles[i].tasks))
            n = 8;
    pl_csv_write_row(w, header, (size_t)n);
    for (size_t i = 0; i < c->ncycles; i++) {
        const struct pl_cycle *y = &c->cycles[i];
        const char *row[] = {y->id,
                             y->label,
                             y->start,
                             y->end,
                             y->deadline,
                             y->expected,
                             y->kind ? y->kind : "",
                             y->tasks ? y->tasks : ""};
        pl_csv_write_row(w, row, (size_t)n);
    }
}

static void write_facts(const struct pl_catalog *c, struct pl_csv_writer *w, struct pl_buf *tmp)
{
    static const char *const header[] = {"key", "value"};
    (void)tmp;
    pl_csv_write_row(w, header, 2);
    for (size_t i = 0; i < c->nfacts; i++) {
        const char *row[] = {c->facts[i].key, c->facts[i].value};
        pl_csv_write_row(w, row, 2);
    }
}

typedef void (*writer_fn)(const struct pl_catalog *, struct pl_csv_writer *, struct pl_buf *);

/* Writes DIR/NAME through a temporary file in DIR renamed into place. */
static enum pl_status write_file(const struct pl_catalog *c, const char *dir, const char *name,
                                 writer_fn fn)
{
    enum pl_status st = PL_OK;
    struct pl_buf path, tmppath, tmp;
    pl_buf_init(&path);
    pl_buf_init(&tmppath);
    pl_buf_init(&tmp);
    FILE *fp = NULL;
    int fd = -1;
    if (pl_buf_printf(&path, "%s/%s", dir, name) != PL_OK ||
        pl_buf_printf(&tmppath, "%s/.%s.XXXXXX", dir, name) != PL_OK) {
        st = PL_ERR_NOMEM;
        goto fail;
    }
    fd = mkstemp(tmppath.data);
    /* mkstemp makes the file 0600; a catalog is an ordinary file: 0666 less the umask. */
    mode_t mask = umask(0);
    umask(mask);
    if (fd >= 0 && fchmod(fd, 0666 & ~mask) != 0) {
        st = PL_ERR_CREATE;
        goto fail;
    }
    if (fd < 0 || !(fp = fdopen(fd, "w"))) {
        st = PL_ERR_CREATE;
        goto fail;
    }
    fd = -1;
    struct pl_csv_writer w;
    /* With a BOM, so that Excel on Chinese Windows opens the file as UTF-8 (issue 13). */
    pl_csv_writer_init(&w, fp, PL_CSV_BOM);
    fn(c, &w, &tmp);
    st = pl_csv_writer_status(&w);
    if (w.status == PL_ERR_NOMEM)
        st = PL_ERR_NOMEM;
    if (fflush(fp) != 0 && st == PL_OK)
        st = PL_ERR_IO;
    if (fclose(fp) != 0 && st == PL_OK)
        st = PL_ERR_IO;
    fp = NULL;
    if (st != PL_OK)
        goto fail;
    if (rename(tmppath.data, path.data) != 0) {
        st = PL_ERR_CREATE;
        goto fail;
    }
    pl_buf_fini(&path);
    pl_buf_fini(&tmppath);
    pl_buf_fini(&tmp);
    return PL_OK;
fail:
    if (fp)
        fclose(fp);
    if (fd >= 0)
        close(fd);
    if (tmppath.len && tmppath.data[tmppath.len - 1] != 'X')
        unlink(tmppath.data);
    pl_buf_fini(&path);
    pl_buf_fini(&tmppath);
    pl_buf_fini(&tmp);
    return st;
}

enum pl_status pl_catalog_write(const struct pl_catalog *c, const char *dir)
{
    static const struct {
        const char *name;
        writer_fn fn;
    } files[] = {
        {"tasks.csv", write_tasks},       {"units.csv", write_units},
        {"indicators.csv", write_indicators}, {"cycles.csv", write_cycles},
        {"document.csv", write_facts},
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        enum pl_status st = write_file(c, dir, files[i].name, files[i].fn);
        if (st != PL_OK)
            return st;
    }
    return PL_OK;
}

/* ---- reading -------------------------------------------------------------------------- */

enum file_kind { F_TASKS, F_UNITS, F_INDICATORS, F_CYCLES, F_FACTS };

#define MAX_COLUMNS 10

/* Each file's columns: the required ones first, then (from optional[kind] on) the ones a file
 * written before they existed may lack. A column is found by its ASCII name or, for the
 * columns staff fill in, by its Chinese name. */
static const char *const columns[][MAX_COLUMNS + 1] = {
    [F_TASKS] = {"id",    "kind",    "title", "text",        "leaders", "hosts",
                 "cohosts", "due",  "previous_id", "section", NULL},
    [F_UNITS] = {"name", "aliases", "kind", "members", "short", "contact", "phone", "email", NULL},
    [F_INDICATORS] = {"task_id", "metric", "comparator", "value", "unit", "source", NULL},
    [F_CYCLES] = {"id", "label", "start", "end", "deadline", "expected", "kind", "tasks", NULL},
    [F_FACTS] = {"key", "value", NULL},
};
static const int optional_from[] = {[F_TASKS] = 7, [F_UNITS] = 4, [F_INDICATORS] = 6,
                                    [F_CYCLES] = 6, [F_FACTS] = 2};
static const char *const chinese[F_FACTS + 1][MAX_COLUMNS + 1] = {
    [F_TASKS] = {NULL, NULL, NULL, NULL, NULL, NULL, NULL, "截止日期", "上年编号", "类别", NULL},
    [F_UNITS] = {NULL, NULL, NULL, NULL, "简称", "联系人", "电话", "邮箱", NULL},
    [F_CYCLES] = {NULL, NULL, NULL, NULL, NULL, NULL, "类型", "调度任务", NULL},
};

/* The spreadsheet column (A = 1) of cell index I. */
#define SHEET_COL(i) ((unsigned long)(i) + 1)

/* The units of the tasks' hosts and co-units, as tasks.csv is read (see struct list_lookup). */
struct task_units {
    uint32_t *v;
    size_t n, cap;
};

struct reader {
    enum file_kind kind;
    struct pl_catalog *cat;
    struct pl_diag *diag;
    const char *file;
    bool have_header;
    long col[MAX_COLUMNS]; /* the cell index of each column, -1 for one not in the header */
    unsigned long errors;
    enum pl_status fatal; /* PL_ERR_NOMEM */
    struct pl_strmap seen; /* task ids or unit names read so far, for E_CATALOG_DUPLICATE */
    struct pl_arena *arena; /* the catalog's: every string read goes there */
    char *empty;            /* "" in the arena, for every blank cell */
    /* tasks.csv read after the units' part of the index is built: the unit of each host and
     * co-unit (find_units()), task after task, and the pieces of a list being split. */
    struct task_units *ids;
    struct batch *batch;
    const char **piece;
    size_t *piece_len, cap_pieces;
    /* cycles.csv's header cells, trimmed, in the arena: a row cut short is told by the names of
     * the cells it lacks. */
    char **head;
    size_t nhead;
};

/* True when KEY[0..LEN) was seen before in this file; remembers it otherwise. *ST gets
 * PL_ERR_NOMEM. */
static bool seen_before(struct reader *r, const char *key, size_t len, enum pl_status *st)
{
    size_t *v;
    bool added;
    enum pl_status ps = pl_strmap_put(&r->seen, key, len, 0, &v, &added);
    if (ps != PL_OK) {
        *st = ps;
        return false;
    }
    return !added;
}

/* The cell of ROW for column C, trimmed, as *S and *LEN (empty for a missing cell), read as
 * the C string it becomes: up to a NUL byte, if it holds one. Nothing is copied: the rows are
 * checked on the row itself and only what is kept goes into the arena. */
static void span(const struct reader *r, const struct pl_csv_row *row, int c, const char **s,
                 size_t *len)
{
    *s = "";
    *len = 0;
    if (r->col[c] >= 0 && (size_t)r->col[c] < row->count) {
        const char *p = row->cells[r->col[c]];
        size_t a, b;
        pl_text_trim(p, row->lens[r->col[c]], &a, &b);
        *s = p + a;
        *len = strnlen(p + a, b - a);
    }
}

/* S[0..LEN) in the arena, the shared "" when empty; NULL when out of memory. */
static char *keep(struct reader *r, const char *s, size_t len)
{
    return len ? pl_arena_strndup(r->arena, s, len) : r->empty;
}

/* A cell of ROW for column C, trimmed, in the arena. */
static char *cell(struct reader *r, const struct pl_csv_row *row, int c)
{
    const char *s;
    size_t len;
    span(r, row, c, &s, &len);
    return keep(r, s, len);
}

/* Splits the '|'-joined S[0..LEN) into LIST (empty before), each piece trimmed and blank
 * pieces dropped: the names in the arena, the list's array malloc'd (a caller may push). With
 * LOOKUP (a task's hosts or co-units, when the units are indexed), each name is looked up as it
 * is read (its unit appended to r->ids), and a name that is a unit's very name shares that
 * name's string instead of a copy. */
static enum pl_status split_list(struct reader *r, struct pl_strv *list, const char *s,
                                 size_t len, bool lookup)
{
    if (!len)
        return PL_OK;
    size_t pieces = 1;
    for (const char *p = s; (p = memchr(p, '|', (size_t)(s + len - p))) != NULL; p++)
        pieces++;
    if (pieces > r->cap_pieces) {
        const char **piece = realloc(r->piece, pieces * sizeof *piece);
        if (piece)
            r->piece = piece;
        size_t *piece_len = piece ? realloc(r->piece_len, pieces * sizeof *piece_len) : NULL;
        if (!piece_len)
            return PL_ERR_NOMEM;
        r->piece_len = piece_len;
        r->cap_pieces = pieces;
    }
    size_t n = 0;
    for (const char *p = s, *end = s + len; p <= end;) {
        const char *bar = memchr(p, '|', (size_t)(end - p));
        const char *e = bar ? bar : end;
        size_t a, b;
        pl_text_trim(p, (size_t)(e - p), &a, &b);
        if (b > a) {
            r->piece[n] = p + a;
            r->piece_len[n++] = b - a;
        }
        p = e + 1;
    }
    if (n == 0)
        return PL_OK;
    uint32_t *ids = NULL;
    if (lookup) {
        struct task_units *tu = r->ids;
        if (tu->n + n > tu->cap) {
            size_t cap = tu->cap ? tu->cap : 1024;
            while (cap < tu->n + n)
                cap *= 2;
            uint32_t *v = realloc(tu->v, cap * sizeof *v);
            if (!v)
                return PL_ERR_NOMEM;
            tu->v = v;
            tu->cap = cap;
        }
        ids = tu->v + tu->n;
        find_units(r->cat, r->batch, r->piece, r->piece_len, n, ids);
        tu->n += n;
    }
    char **v = malloc(pieces * sizeof *v);
    if (!v)
        return PL_ERR_NOMEM;
    for (size_t k = 0; k < n; k++) {
        if (ids && ids[k] != NO_UNIT && (ids[k] & UNIT_EXACT))
            v[k] = r->cat->units[ids[k] & ~UNIT_EXACT].name;
        else if (!(v[k] = pl_arena_strndup(r->arena, r->piece[k], r->piece_len[k]))) {
            free(v);
            return PL_ERR_NOMEM;
        }
    }
    list->v = v;
    list->n = n;
    list->cap = pieces;
    return PL_OK;
}

/* True when the header's first cell S[0..LEN) starts with a BOM the decoder left (a file
 * forced to an encoding). */
static bool header_is_bom(const char *s, size_t len)
{
    return len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0;
}

static bool header_is(const struct pl_csv_row *row, size_t i, const char *name)
{
    if (!name)
        return false;
    size_t a, b;
    const char *s = row->cells[i];
    size_t len = row->lens[i];
    if (i == 0 && header_is_bom(s, len)) {
        s += 3; /* a BOM the decoder left (a file forced to an encoding) */
        len -= 3;
    }
    pl_text_trim(s, len, &a, &b);
    return b - a == strlen(name) && memcmp(s + a, name, b - a) == 0;
}

/* Keeps the header's cells, trimmed, in r->head (cycles.csv's only). */
static enum pl_status keep_header(struct reader *r, const struct pl_csv_row *row)
{
    if (r->kind != F_CYCLES)
        return PL_OK;
    if (!(r->head = malloc((row->count + 1) * sizeof *r->head)))
        return PL_ERR_NOMEM;
    for (size_t i = 0; i < row->count; i++) {
        size_t a, b, skip = i == 0 && header_is_bom(row->cells[0], row->lens[0]) ? 3 : 0;
        pl_text_trim(row->cells[i] + skip, row->lens[i] - skip, &a, &b);
        if (!(r->head[r->nhead++] = keep(r, row->cells[i] + skip + a, b - a)))
            return PL_ERR_NOMEM;
    }
    return PL_OK;
}

static bool read_header(struct reader *r, const struct pl_csv_row *row)
{
    const char *const *names = columns[r->kind];
    bool ok = true;
    for (int c = 0; names[c]; c++) {
        r->col[c] = -1;
        for (size_t i = 0; i < row->count; i++) {
            if (header_is(row, i, names[c]) || header_is(row, i, chinese[r->kind][c])) {
                r->col[c] = (long)i;
                break;
            }
        }
        if (r->col[c] < 0 && c >= optional_from[r->kind])
            continue;
        if (r->col[c] < 0) {
            pl_diag_report(r->diag, r->file, row->line, 0, "E_CATALOG_HEADER",
                           "表头缺少“%s”列", names[c]);
            ok = false;
        }
    }
    return ok;
}

static void row_error(struct reader *r, const struct pl_csv_row *row, int c, const char *what)
{
    pl_diag_report(r->diag, r->file, row->line, c >= 0 && r->col[c] >= 0 ? SHEET_COL(r->col[c]) : 0,
                   "E_CATALOG_ROW", "%s", what);
    r->errors++;
}

/* The spreadsheet column of column C, 0 when the file lacks it. */
static unsigned long col_of(const struct reader *r, int c)
{
    return r->col[c] >= 0 ? SHEET_COL(r->col[c]) : 0;
}

/* YYYY-MM-DD with a month 01–12 and a day 01–31. */
static bool iso_date(const char *s, size_t len)
{
    if (len != 10)
        return false;
    for (int i = 0; i < 10; i++) {
        if (i == 4 || i == 7 ? s[i] != '-' : (s[i] < '0' || s[i] > '9'))
            return false;
    }
    int m = (s[5] - '0') * 10 + s[6] - '0', d = (s[8] - '0') * 10 + s[9] - '0';
    return m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

static enum pl_status read_task(struct reader *r, const struct pl_csv_row *row)
{
    const char *f[10];
    size_t n[10];
    for (int c = 0; c < 10; c++)
        span(r, row, c, &f[c], &n[c]);
    enum pl_task_kind kind = PL_TASK_KEY;
    enum pl_status st = PL_OK;
    if (!n[0]) {
        row_error(r, row, 0, "任务编号（id）为空");
        return PL_OK;
    }
    if (n[7] && !iso_date(f[7], n[7])) {
        pl_diag_report(r->diag, r->file, row->line, col_of(r, 7), "E_CATALOG_ROW",
                       "任务%.*s的截止日期（due）“%.*s”不是YYYY-MM-DD格式的日期", (int)n[0], f[0],
                       (int)n[7], f[7]);
        r->errors++;
        return PL_OK;
    }
    if (!task_kind_of(f[1], n[1], &kind)) {
        pl_diag_report(r->diag, r->file, row->line, col_of(r, 1), "E_CATALOG_ROW",
                       "任务%.*s的类别“%.*s”不是 key 或 livelihood", (int)n[0], f[0], (int)n[1],
                       f[1]);
        r->errors++;
        return PL_OK;
    }
    if (seen_before(r, f[0], n[0], &st)) {
        pl_diag_report(r->diag, r->file, row->line, col_of(r, 0), "E_CATALOG_DUPLICATE",
                       "任务编号%.*s重复", (int)n[0], f[0]);
        r->errors++;
        return PL_OK;
    }
    if (st != PL_OK)
        return st;
    /* Not pl_catalog_add_task(): the units' part of the index stays. */
    struct pl_task *t =
        grow((void **)&r->cat->tasks, &r->cat->ntasks, &r->cat->cap_tasks, sizeof *t);
    if (!t)
        return PL_ERR_NOMEM;
    pl_strv_init(&t->leaders);
    pl_strv_init(&t->hosts);
    pl_strv_init(&t->cohosts);
    t->kind = kind;
    t->line = row->line;
    if (!(t->id = keep(r, f[0], n[0])) || !(t->title = keep(r, f[2], n[2])) ||
        !(t->text = keep(r, f[3], n[3])) || (n[7] && !(t->due = keep(r, f[7], n[7]))) ||
        (n[8] && !(t->previous_id = keep(r, f[8], n[8]))) ||
        (n[9] && !(t->section = keep(r, f[9], n[9]))))
        return PL_ERR_NOMEM;
    bool lookup = r->ids != NULL;
    if ((st = split_list(r, &t->leaders, f[4], n[4], false)) == PL_OK &&
        (st = split_list(r, &t->hosts, f[5], n[5], lookup)) == PL_OK)
        st = split_list(r, &t->cohosts, f[6], n[6], lookup);
    return st;
}

static enum pl_status read_unit(struct reader *r, const struct pl_csv_row *row)
{
    const char *f[8];
    size_t n[8];
    for (int c = 0; c < 8; c++)
        span(r, row, c, &f[c], &n[c]);
    enum pl_unit_kind kind;
    enum pl_status st = PL_OK;
    if (!n[0]) {
        row_error(r, row, 0, "单位名称（name）为空");
        return PL_OK;
    }
    if (!unit_kind_of(f[2], n[2], &kind)) {
        pl_diag_report(r->diag, r->file, row->line, col_of(r, 2), "E_CATALOG_KIND",
                       "单位“%.*s”的类别“%.*s”不认识（应为 town, zone, department, party, mass, "
                       "vertical, enterprise, bank, judicial, collective 之一）",
                       (int)n[0], f[0], (int)n[2], f[2]);
        r->errors++;
        return PL_OK;
    }
    if (seen_before(r, f[0], n[0], &st)) {
        pl_diag_report(r->diag, r->file, row->line, col_of(r, 0), "E_CATALOG_DUPLICATE",
                       "单位“%.*s”重复", (int)n[0], f[0]);
        r->errors++;
        return PL_OK;
    }
    if (st != PL_OK)
        return st;
    struct pl_unit *u = pl_catalog_add_unit(r->cat);
    if (!u)
        return PL_ERR_NOMEM;
    u->kind = kind;
    u->line = row->line;
    if (!(u->name = keep(r, f[0], n[0])))
        return PL_ERR_NOMEM;
    char **dst[] = {&u->short_name, &u->contact, &u->phone, &u->email};
    for (int c = 4; c < 8; c++)
        if (n[c] && !(*dst[c - 4] = keep(r, f[c], n[c])))
            return PL_ERR_NOMEM;
    if ((st = split_list(r, &u->aliases, f[1], n[1], false)) == PL_OK)
        st = split_list(r, &u->members, f[3], n[3], false);
    return st;
}

/* What to write in each column of cycles.csv, for the message on a row cut short (ducha(7),
 * ducha-cycle(1) name the columns). By the header's own name, ASCII or Chinese. */
static const char *cycle_column_hint(const char *name)
{
    static const char *const hints[][3] = {
        {"id", NULL, "周期编号，如2023H1"},
        {"label", NULL, "周期名称，如2023年上半年"},
        {"start", NULL, "开始日期，如2023-01-01"},
        {"end", NULL, "结束日期，如2023-06-30"},
        {"deadline", NULL, "报送截止日期，如2023-06-30"},
        {"expected", NULL, "序时进度，0–100的数字，可留空"},
        {"kind", "类型", "周期类型，可留空"},
        {"tasks", "调度任务", "调度的任务编号，留空为全部任务"},
        {"number", NULL, "通报文号，可留空"},
        {"issued", NULL, "印发日期，可留空"},
    };
    for (size_t i = 0; i < sizeof hints / sizeof hints[0]; i++)
        if (strcmp(name, hints[i][0]) == 0 || (hints[i][1] && strcmp(name, hints[i][1]) == 0))
            return hints[i][2];
    return NULL;
}

/* A row of cycles.csv with fewer cells than the header (a row cut short, a comma forgotten):
 * its cells cannot be told apart from blanks, so it is refused, at the first cell missing,
 * naming every cell missing by its header name and what goes there. ID is the row's id cell
 * ("" when it is one of those missing). */
static enum pl_status short_cycle_row(struct reader *r, const struct pl_csv_row *row,
                                      const char *id)
{
    struct pl_buf missing;
    pl_buf_init(&missing);
    for (size_t i = row->count; i < r->nhead; i++) {
        const char *hint = cycle_column_hint(r->head[i]);
        pl_buf_printf(&missing, "%s“%s”", i > row->count ? "、" : "", r->head[i]);
        if (hint)
            pl_buf_printf(&missing, "（%s）", hint);
    }
    if (!missing.data) {
        pl_buf_fini(&missing);
        return PL_ERR_NOMEM;
    }
    struct pl_buf which;
    pl_buf_init(&which);
    if (*id)
        pl_buf_printf(&which, "周期%s这一行", id);
    else
        pl_buf_printf(&which, "第%lu行", row->line);
    if (which.data)
        pl_diag_report(r->diag, r->file, row->line, SHEET_COL(row->count), "E_RAGGED_ROW",
                       "%s只有%zu个单元格，表头有%zu列，缺少%s：请按表头补齐这一行，留空的单元格"
                       "也要用逗号隔开",
                       which.data, row->count, r->nhead, missing.data);
    enum pl_status st = which.data ? PL_OK : PL_ERR_NOMEM;
    pl_buf_fini(&which);
    pl_buf_fini(&missing);
    r->errors++;
    return st;
}

/* The first four characters of DATE when they are a year's digits, else "2023" (an example). */
static const char *year_of(const char *date)
{
    for (int i = 0; i < 4; i++)
        if (date[i] < '0' || date[i] > '9')
            return "2023";
    return date;
}

/* True when ID can be ducha-cycle's folder of the cycle: one plain name (no '/', no control
 * character, no leading '.', as ducha-cycle asks of CYCLE), and neither "annual" nor "forms". */
static bool plain_cycle_id(const char *id)
{
    if (*id == '.' || strcmp(id, "annual") == 0 || strcmp(id, "forms") == 0)
        return false;
    for (const char *p = id; *p; p++)
        if (*p == '/' || (unsigned char)*p < 0x20 || *p == 0x7f)
            return false;
    return true;
}

static enum pl_status read_plain(struct reader *r, const struct pl_csv_row *row)
{
    char *f[8] = {0};
    int n = r->kind == F_FACTS ? 2 : r->kind == F_CYCLES ? 8 : 6;
    enum pl_status st = PL_OK;
    for (int c = 0; c < n; c++)
        if (!(f[c] = cell(r, row, c)))
            st = PL_ERR_NOMEM;
    /* The cells are the arena's: nothing to free on any path. */
    if (st != PL_OK)
        goto done;
    if (r->kind == F_CYCLES && row->count < r->nhead) {
        st = short_cycle_row(r, row, f[0]);
        goto done;
    }
    if (!*f[0]) {
        row_error(r, row, 0, "第一列为空");
        goto done;
    }
    if (r->kind == F_FACTS) {
        st = pl_catalog_set_fact(r->cat, f[0], f[1]);
        goto done;
    }
    if (r->kind == F_CYCLES) {
        /* ducha-cycle publishes a cycle in output/YEAR/ID/ beside output/YEAR/annual/ (the
         * year's assessment) and output/YEAR/forms/ (the blank forms): an id of those names
         * would put one in the other, and an id that is not one plain name would put it
         * elsewhere (ducha-cycle(1), ducha(7)). */
        if (!plain_cycle_id(f[0])) {
            pl_diag_report(r->diag, r->file, row->line, col_of(r, 0), "E_CATALOG_CYCLE_ID",
                           "周期编号“%s”%s：请改用其他编号，如全年用%.4sY、季度用%.4sQ1", f[0],
                           strcmp(f[0], "annual") == 0 || strcmp(f[0], "forms") == 0
                               ? (f[0][0] == 'a' ? "是年度考核输出目录（annual）的名称，不能用作周期编号"
                                                 : "是空白报表输出目录（forms）的名称，不能用作周期编号")
                               : "不能用作目录名（不能含“/”或控制字符，不能以“.”开头）",
                           year_of(f[2]), year_of(f[2]));
            r->errors++;
            goto done;
        }
        /* A blank expected is the share of the year elapsed at the deadline (DESIGN.md,
         * Formats), worked out by ducha-rate; a row cut short is not a blank (above). */
        char *end;
        strtod(f[5], &end);
        if (*end) {
            pl_diag_report(r->diag, r->file, row->line, col_of(r, 5), "E_CATALOG_ROW",
                           "周期%s的序时进度“%s”不是数字（留空则按截止日期时全年已过时间计）",
                           f[0], f[5]);
            r->errors++;
            goto done;
        }
        if (pl_catalog_find_cycle(r->cat, f[0])) {
            pl_diag_report(r->diag, r->file, row->line, 0, "E_CATALOG_DUPLICATE",
                           "周期%s重复", f[0]);
            r->errors++;
            goto done;
        }
        struct pl_cycle *y = pl_catalog_add_cycle(r->cat);
        if (!y) {
            st = PL_ERR_NOMEM;
            goto done;
        }
        char **dst[] = {&y->id,       &y->label,    &y->start, &y->end,
                        &y->deadline, &y->expected, &y->kind,  &y->tasks};
        for (int c = 0; c < 8; c++) {
            *dst[c] = f[c];
            f[c] = NULL;
        }
        goto done;
    }
    struct pl_indicator *x = pl_catalog_add_indicator(r->cat);
    if (!x) {
        st = PL_ERR_NOMEM;
        goto done;
    }
    char **dst[] = {&x->task_id, &x->metric, &x->comparator, &x->value, &x->unit, &x->source};
    for (int c = 0; c < 6; c++) {
        *dst[c] = f[c];
        f[c] = NULL;
    }
done:
    return st;
}

static enum pl_status on_row(void *ctx, const struct pl_csv_row *row)
{
    struct reader *r = ctx;
    if (row->problem != PL_CSV_ROW_OK) {
        row_error(r, row, -1, row->problem == PL_CSV_ROW_UNTERMINATED ? "引号没有闭合，文件在此截断"
                                                                      : "这一行有无法读取的字节");
        return PL_OK;
    }
    if (!r->have_header) {
        r->have_header = true;
        enum pl_status st = keep_header(r, row);
        if (st != PL_OK)
            return st;
        if (!read_header(r, row)) {
            r->errors++;
            return PL_ERR_CONFIG; /* nothing below a wrong header can be read */
        }
        return PL_OK;
    }
    bool blank = true;
    for (size_t i = 0; i < row->count && blank; i++)
        blank = pl_text_is_blank(row->cells[i], row->lens[i]);
    if (blank)
        return PL_OK;
    switch (r->kind) {
    case F_TASKS:
        return read_task(r, row);
    case F_UNITS:
        return read_unit(r, row);
    default:
        return read_plain(r, row);
    }
}

/* Reads file NAME of DIR into C. IDS, for tasks.csv once the units are indexed, gets the unit
 * of every host and co-unit. */
static enum pl_status read_file(struct pl_catalog *c, const char *dir, const char *name,
                                enum file_kind kind, bool required, struct pl_diag *diag,
                                unsigned long *errors, struct task_units *ids)
{
    struct pl_buf path;
    pl_buf_init(&path);
    struct pl_text_source *src = NULL;
    struct pl_csv_reader *csv = NULL;
    struct batch batch;
    batch_init(&batch);
    struct reader r = {.kind = kind,
                       .cat = c,
                       .diag = diag,
                       .ids = c->index ? ids : NULL,
                       .batch = &batch};
    pl_strmap_init(&r.seen);
    enum pl_status st = pl_buf_printf(&path, "%s/%s", dir, name);
    if (st != PL_OK)
        goto done;
    r.file = path.data;
    if (!required && access(path.data, F_OK) != 0 && errno == ENOENT)
        goto done;
    st = pl_text_source_open(path.data, path.data, PL_ENC_AUTO, diag, &src);
    if (st != PL_OK) {
        if (st == PL_ERR_DATA || st == PL_ERR_ENCODING)
            st = PL_ERR_CONFIG;
        goto done;
    }
    if (!c->arena) {
        if (!(c->arena = malloc(sizeof *c->arena))) {
            st = PL_ERR_NOMEM;
            goto done;
        }
        pl_arena_init(c->arena);
    }
    r.arena = c->arena;
    if (!(r.empty = pl_arena_strndup(c->arena, "", 0))) {
        st = PL_ERR_NOMEM;
        goto done;
    }
    csv = pl_csv_reader_new(pl_text_source_delimiter(src), on_row, &r);
    if (!csv) {
        st = PL_ERR_NOMEM;
        goto done;
    }
    st = pl_text_source_feed_csv(src, csv, NULL);
    if (st == PL_OK && !r.have_header) {
        pl_diag_report(diag, path.data, 0, 0, "E_CATALOG_HEADER", "文件是空的，没有表头");
        r.errors++;
    }
    *errors += r.errors;
    if (st == PL_ERR_CONFIG)
        st = PL_OK; /* counted in errors */
done:
    pl_strmap_fini(&r.seen);
    batch_fini(&batch);
    free(r.head);
    free(r.piece);
    free(r.piece_len);
    pl_csv_reader_free(csv);
    pl_text_source_free(src);
    pl_buf_fini(&path);
    return st;
}

/* The unit each name of the catalog's lists names (pl_catalog_find_unit()), looked up once for
 * the reference check and the resolution: every task's hosts then its co-units, task by task,
 * then every unit's members, unit by unit. NO_UNIT for a name no unit has. */
struct list_lookup {
    uint32_t *v;
    size_t n;
    size_t members; /* where the members start */
};

/* KNOWN, when it has one for every host and co-unit, gives the tasks' part (tasks.csv looked
 * its names up as it was read); it is taken (LK owns it afterwards) or left as it was. */
static enum pl_status lookup_lists(const struct pl_catalog *c, struct list_lookup *lk,
                                   struct task_units *known)
{
    size_t n = 0;
    for (size_t i = 0; i < c->ntasks; i++)
        n += c->tasks[i].hosts.n + c->tasks[i].cohosts.n;
    lk->members = n;
    for (size_t i = 0; i < c->nunits; i++)
        n += c->units[i].members.n;
    lk->n = n;
    if (c->nunits >= UNIT_EXACT)
        return PL_ERR_NOMEM;
    bool have_tasks = known && known->n == lk->members;
    if (have_tasks && (known->cap < n || !known->v)) {
        uint32_t *v = realloc(known->v, (n ? n : 1) * sizeof *v);
        if (!v)
            return PL_ERR_NOMEM;
        known->v = v;
        known->cap = n ? n : 1;
    }
    lk->v = have_tasks ? known->v : malloc((n ? n : 1) * sizeof *lk->v);
    /* The names to look up, in one array so that the batches run across lists. */
    size_t from = have_tasks ? lk->members : 0;
    const char **names = lk->v ? malloc((n - from ? n - from : 1) * sizeof *names) : NULL;
    if (!names) {
        if (!have_tasks)
            free(lk->v);
        lk->v = NULL;
        return PL_ERR_NOMEM;
    }
    if (have_tasks) {
        known->v = NULL;
        known->n = known->cap = 0;
    }
    size_t k = 0;
    for (size_t i = 0; i < c->ntasks && !have_tasks; i++) {
        const struct pl_task *t = &c->tasks[i];
        for (size_t j = 0; j < t->hosts.n; j++)
            names[k++] = t->hosts.v[j];
        for (size_t j = 0; j < t->cohosts.n; j++)
            names[k++] = t->cohosts.v[j];
    }
    for (size_t i = 0; i < c->nunits; i++)
        for (size_t j = 0; j < c->units[i].members.n; j++)
            names[k++] = c->units[i].members.v[j];
    struct batch b;
    batch_init(&b);
    find_units(c, &b, names, NULL, k, lk->v + from);
    batch_fini(&b);
    free(names);
    return PL_OK;
}

/* Every host, co-unit and member must name a unit of units.csv. */
static unsigned long check_references(const struct pl_catalog *c, const struct list_lookup *lk,
                                      struct pl_diag *diag, const char *file)
{
    unsigned long errors = 0;
    size_t pos = 0;
    for (size_t i = 0; i < c->ntasks; i++) {
        const struct pl_task *t = &c->tasks[i];
        const struct pl_strv *lists[] = {&t->hosts, &t->cohosts};
        for (int l = 0; l < 2; l++) {
            for (size_t k = 0; k < lists[l]->n; k++) {
                if (lk->v[pos++] == NO_UNIT) {
                    pl_diag_report(diag, file, 0, 0, "E_CATALOG_UNIT",
                                   "任务%s的%s“%s”在units.csv中找不到", t->id,
                                   l == 0 ? "承办单位" : "协办单位", lists[l]->v[k]);
                    errors++;
                }
            }
        }
    }
    for (size_t i = 0; i < c->nunits; i++) {
        const struct pl_unit *u = &c->units[i];
        for (size_t k = 0; k < u->members.n; k++) {
            if (lk->v[pos++] == NO_UNIT) {
                pl_diag_report(diag, file, 0, 0, "E_CATALOG_UNIT",
                               "“%s”的成员“%s”在units.csv中找不到", u->name, u->members.v[k]);
                errors++;
            }
        }
    }
    return errors;
}

/* ---- cycles: kinds, order and subsets -------------------------------------------------- */

static bool day_of(const char *s, long *day)
{
    return s && pl_date_parse(s, strlen(s), day, NULL) == PL_OK;
}

enum pl_status pl_cycle_kind(const struct pl_cycle *y, struct pl_buf *out)
{
    pl_buf_clear(out);
    if (y->kind && *y->kind)
        return pl_buf_append_str(out, y->kind);
    long start, end;
    if (!day_of(y->start, &start) || !day_of(y->end, &end) || end < start)
        return PL_ERR_DATA;
    /* Calendar months, quarters and half-years differ in length by a few days; the ranges
     * take each of them whole and nothing of the next size. */
    long days = end - start + 1;
    const char *name = days <= 7                    ? "week"
                       : days >= 28 && days <= 31   ? "month"
                       : days >= 89 && days <= 92   ? "quarter"
                       : days >= 181 && days <= 184 ? "half"
                       : days >= 365 && days <= 366 ? "year"
                                                    : NULL;
    return name ? pl_buf_append_str(out, name) : pl_buf_printf(out, "%ldd", days);
}

/* Walks the cycles of C of Y's kind other than Y, and keeps the one whose end is the latest
 * before Y's end (AFTER false) or the earliest after it (AFTER true). */
static const struct pl_cycle *neighbour(const struct pl_catalog *c, const struct pl_cycle *y,
                                        bool after)
{
    struct pl_buf kind, other;
    pl_buf_init(&kind);
    pl_buf_init(&other);
    const struct pl_cycle *best = NULL;
    long end, best_end = 0;
    if (pl_cycle_kind(y, &kind) != PL_OK || !day_of(y->end, &end))
        goto done;
    for (size_t i = 0; i < c->ncycles; i++) {
        const struct pl_cycle *x = &c->cycles[i];
        long e;
        if (x == y || !day_of(x->end, &e) || (after ? e <= end : e >= end))
            continue;
        if (pl_cycle_kind(x, &other) != PL_OK || strcmp(other.data, kind.data) != 0)
            continue;
        if (!best || (after ? e < best_end : e > best_end)) {
            best = x;
            best_end = e;
        }
    }
done:
    pl_buf_fini(&kind);
    pl_buf_fini(&other);
    return best;
}

const struct pl_cycle *pl_catalog_previous_cycle(const struct pl_catalog *c,
                                                 const struct pl_cycle *y)
{
    return neighbour(c, y, false);
}

const struct pl_cycle *pl_catalog_next_cycle(const struct pl_catalog *c, const struct pl_cycle *y)
{
    return neighbour(c, y, true);
}

/* The next item of a `tasks` cell from *P: sets *ITEM and *LEN, advances *P; false at the end. */
static bool next_item(const char **p, const char **item, size_t *len)
{
    static const char *const seps[] = {",", "，", "、", "|", ";", "；", " ", "\t", NULL};
    const char *s = *p;
    for (;;) {
        size_t skip = 0;
        for (int i = 0; seps[i] && !skip; i++)
            if (strncmp(s, seps[i], strlen(seps[i])) == 0)
                skip = strlen(seps[i]);
        if (!skip)
            break;
        s += skip;
    }
    if (!*s)
        return false;
    const char *e = s;
    while (*e) {
        bool sep = false;
        for (int i = 0; seps[i] && !sep; i++)
            sep = strncmp(e, seps[i], strlen(seps[i])) == 0;
        if (sep)
            break;
        e++;
    }
    *item = s;
    *len = (size_t)(e - s);
    *p = e;
    return true;
}

static bool all_digits(const char *s, size_t n)
{
    if (!n)
        return false;
    for (size_t i = 0; i < n; i++)
        if (s[i] < '0' || s[i] > '9')
            return false;
    return true;
}

/* Whether ITEM (LEN bytes) of a `tasks` cell names TASK. *KIND is set when the item is a
 * kind. */
static bool item_names(const char *item, size_t len, const struct pl_task *task, bool *kind)
{
    const char *kn = pl_task_kind_name(task->kind);
    enum pl_task_kind k;
    char word[16];
    *kind = false;
    if (len < sizeof word) {
        memcpy(word, item, len);
        word[len] = '\0';
        if (pl_task_kind_parse(word, &k)) {
            *kind = true;
            return strcmp(word, kn) == 0;
        }
    }
    size_t idlen = strlen(task->id);
    if (idlen == len && memcmp(task->id, item, len) == 0)
        return true;
    const char *dash = memchr(item, '-', len);
    if (dash && all_digits(item, (size_t)(dash - item)) &&
        all_digits(dash + 1, len - (size_t)(dash - item) - 1)) {
        /* A range of key ids: 3-7. */
        if (task->kind != PL_TASK_KEY || !all_digits(task->id, idlen))
            return false;
        unsigned long lo = strtoul(item, NULL, 10), hi = strtoul(dash + 1, NULL, 10),
                      id = strtoul(task->id, NULL, 10);
        return id >= lo && id <= hi;
    }
    /* A livelihood project (M1) takes its items (M1-1, M1-2). */
    return !dash && idlen > len && memcmp(task->id, item, len) == 0 && task->id[len] == '-' &&
           len > 1 && (item[0] == 'M' || item[0] == 'm');
}

bool pl_catalog_cycle_has_task(const struct pl_cycle *y, const struct pl_task *task)
{
    if (!y->tasks || !*y->tasks)
        return true;
    const char *p = y->tasks, *item;
    size_t len;
    bool kind;
    while (next_item(&p, &item, &len))
        if (item_names(item, len, task, &kind))
            return true;
    return false;
}

enum pl_status pl_catalog_cycle_scope(const struct pl_catalog *c, const struct pl_cycle *y,
                                      struct pl_buf *out)
{
    if (!y->tasks || !*y->tasks)
        return PL_OK;
    /* A kind named whole (key, livelihood) is said by name, not item by item. */
    bool whole[2] = {false, false};
    const char *p = y->tasks, *item;
    size_t len;
    while (next_item(&p, &item, &len)) {
        for (int k = PL_TASK_KEY; k <= PL_TASK_LIVELIHOOD; k++) {
            const char *kn = pl_task_kind_name((enum pl_task_kind)k);
            if (strlen(kn) == len && memcmp(kn, item, len) == 0)
                whole[k] = true;
        }
    }
    enum pl_status st = PL_OK;
    size_t said = 0;
    for (int k = PL_TASK_KEY; k <= PL_TASK_LIVELIHOOD && st == PL_OK; k++) {
        if (whole[k]) {
            st = pl_buf_printf(out, "%s全部%s", said ? "、" : "",
                               k == PL_TASK_KEY ? "重点工作" : "民生实事");
            said++;
        }
    }
    size_t keys = 0;
    for (size_t i = 0; i < c->ntasks && st == PL_OK; i++) {
        const struct pl_task *t = &c->tasks[i];
        if (t->kind != PL_TASK_KEY || whole[PL_TASK_KEY] || !pl_catalog_cycle_has_task(y, t))
            continue;
        st = pl_buf_printf(out, "%s%s", keys ? "、" : said ? "、重点工作第" : "重点工作第", t->id);
        keys++;
    }
    if (keys && st == PL_OK) {
        st = pl_buf_append_str(out, "项");
        said++;
    }
    for (size_t i = 0; i < c->ntasks && st == PL_OK; i++) {
        const struct pl_task *t = &c->tasks[i];
        if (t->kind != PL_TASK_LIVELIHOOD || whole[PL_TASK_LIVELIHOOD] ||
            !pl_catalog_cycle_has_task(y, t))
            continue;
        const char *id = t->id + (t->id[0] == 'M' || t->id[0] == 'm');
        const char *dash = strchr(id, '-');
        if (dash)
            st = pl_buf_printf(out, "%s民生实事第%.*s项第（%s）目", said ? "、" : "",
                               (int)(dash - id), id, dash + 1);
        else
            st = pl_buf_printf(out, "%s民生实事第%s项", said ? "、" : "", id);
        said++;
    }
    return st;
}

enum pl_status pl_catalog_table_scope(const struct pl_table *tasks, const char *spec,
                                      struct pl_buf *out)
{
    if (!spec || !*spec || !tasks)
        return PL_OK;
    struct pl_catalog c;
    pl_catalog_init(&c);
    enum pl_status st = PL_OK;
    int id = pl_table_column(tasks, "id"), kind = pl_table_column(tasks, "kind");
    for (size_t i = 0; i < tasks->nrows && st == PL_OK; i++) {
        struct pl_task *t = pl_catalog_add_task(&c);
        if (!t || !(t->id = strdup(pl_table_get(tasks, i, id)))) {
            st = PL_ERR_NOMEM;
            break;
        }
        if (!pl_task_kind_parse(pl_table_get(tasks, i, kind), &t->kind))
            t->kind = PL_TASK_KEY;
    }
    struct pl_cycle y = {.tasks = (char *)spec};
    if (st == PL_OK)
        st = pl_catalog_cycle_scope(&c, &y, out);
    pl_catalog_fini(&c);
    return st;
}

/* Every item of every cycle's `tasks` must name a task (or a kind): a misspelt id would make
 * a cycle that silently demands less. */
static unsigned long check_cycle_tasks(const struct pl_catalog *c, struct pl_diag *diag,
                                       const char *file)
{
    unsigned long errors = 0;
    for (size_t i = 0; i < c->ncycles; i++) {
        const struct pl_cycle *y = &c->cycles[i];
        const char *p = y->tasks ? y->tasks : "", *item;
        size_t len;
        while (next_item(&p, &item, &len)) {
            bool found = false, kind = false;
            for (size_t t = 0; t < c->ntasks && !found && !kind; t++)
                found = item_names(item, len, &c->tasks[t], &kind);
            if (!found && !kind) {
                pl_diag_report(diag, file, 0, 0, "E_CATALOG_CYCLE_TASKS",
                               "周期%s的tasks列中“%.*s”不是tasks.csv中的任务编号、编号范围（3-7）"
                               "或任务类别（key、livelihood）",
                               y->id, (int)len, item);
                errors++;
            }
        }
    }
    return errors;
}

enum pl_status pl_catalog_read_cycles(struct pl_catalog *c, const char *dir, struct pl_diag *diag)
{
    unsigned long errors = 0;
    enum pl_status st = read_file(c, dir, "cycles.csv", F_CYCLES, true, diag, &errors, NULL);
    if (st == PL_OK && errors)
        st = PL_ERR_CONFIG;
    return st;
}

static enum pl_status resolve(struct pl_catalog *c, struct pl_diag *diag, const char *dir,
                              const struct list_lookup *lk);

/* STRICT: every host, co-unit and member must name a unit (the checking programs); the
 * programs that only present the catalog (pl_catalog_read_table) resolve what they can. */
static enum pl_status read_catalog(struct pl_catalog *c, const char *dir, struct pl_diag *diag,
                                   bool strict)
{
    static const struct {
        const char *name;
        enum file_kind kind;
        bool required;
    } files[] = {
        {"units.csv", F_UNITS, true},           {"tasks.csv", F_TASKS, true},
        {"indicators.csv", F_INDICATORS, false}, {"cycles.csv", F_CYCLES, true},
        {"document.csv", F_FACTS, false},
    };
    unsigned long errors = 0;
    enum pl_status st = PL_OK, index_st = PL_OK;
    struct task_units ids = {NULL, 0, 0};
    struct clashes cl = {NULL, 0, 0};
    struct list_lookup lk = {NULL, 0, 0};
    struct pl_buf file;
    pl_buf_init(&file);
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        enum pl_status fs = read_file(c, dir, files[i].name, files[i].kind, files[i].required,
                                      diag, &errors, &ids);
        if (fs == PL_ERR_NOMEM) {
            st = fs;
            goto done;
        }
        if (fs != PL_OK && st == PL_OK)
            st = fs;
        /* The units indexed as soon as they are read, so that tasks.csv's hosts are looked up
         * as they are read; W_CATALOG_ALIAS still comes after every file's rows, below. */
        if (files[i].kind == F_UNITS && fs == PL_OK) {
            index_drop(c);
            if ((index_st = index_new(c)) == PL_OK)
                index_st = index_units(c, &cl);
            if (index_st == PL_ERR_NOMEM) {
                st = index_st;
                goto done;
            }
            if (index_st != PL_OK)
                index_drop(c);
        }
    }
    if (st == PL_OK)
        st = index_st;
    if (st != PL_OK)
        goto done;
    st = pl_buf_printf(&file, "%s/units.csv", dir);
    if (st == PL_OK && c->index)
        st = index_tasks(c);
    if (st == PL_OK)
        report_clashes(c, &cl, diag, file.data);
    if (st == PL_OK) {
        pl_buf_clear(&file);
        st = pl_buf_printf(&file, "%s/tasks.csv", dir);
    }
    if (st == PL_OK)
        st = lookup_lists(c, &lk, &ids);
    if (st == PL_OK && strict)
        errors += check_references(c, &lk, diag, file.data);
    if (st == PL_OK && strict) {
        pl_buf_clear(&file);
        if ((st = pl_buf_printf(&file, "%s/cycles.csv", dir)) == PL_OK)
            errors += check_cycle_tasks(c, diag, file.data);
        pl_buf_clear(&file);
        if (st == PL_OK)
            st = pl_buf_printf(&file, "%s/tasks.csv", dir);
    }
    if (st == PL_OK)
        st = resolve(c, diag, dir, &lk);
    if (st == PL_OK && errors > 0)
        st = PL_ERR_CONFIG;
done:
    free(lk.v);
    free(ids.v);
    free(cl.v);
    pl_buf_fini(&file);
    return st;
}

enum pl_status pl_catalog_read(struct pl_catalog *c, const char *dir, struct pl_diag *diag)
{
    return read_catalog(c, dir, diag, true);
}

/* ---- one identity for a unit ---------------------------------------------------------- */

struct resolving {
    struct pl_catalog *c;
    struct pl_diag *diag;
    const char *file;
    /* A mark per unit: the stamp of the list that kept it last. Sets of units by index, with
     * no hashing or allocation per name: a province's task names thousands of hosts. */
    unsigned *mark;
    unsigned stamp;
};

/* The unit's name for a list of C: the name itself when it lives in C's arena (shared: neither
 * is ever freed alone), else a copy (in the arena when C has one). NULL when out of memory. */
static char *unit_name_for_list(const struct pl_catalog *c, const struct pl_unit *u)
{
    if (c->arena && pl_arena_owns(c->arena, u->name))
        return u->name;
    return c->arena ? pl_arena_strndup(c->arena, u->name, strlen(u->name)) : strdup(u->name);
}

/* Rewrites LIST in place with canonical names: aliases replaced by the unit's name
 * (W_CATALOG_ALIAS_USED), a unit named twice kept once and a unit of EXCLUDE dropped
 * (W_CATALOG_UNIT_TWICE). IDS holds the unit of each name (lookup_lists()); FINAL, when given,
 * gets the unit of each name kept. WHAT names the list in messages (任务12的承办单位).
 * EXCLUDE, when given, is the list resolved by the call just before, whose units carry the
 * stamp before this one. A list with nothing to change is left as it is. */
static enum pl_status resolve_list(struct resolving *rv, struct pl_strv *list, const uint32_t *ids,
                                   uint32_t *final, const struct pl_strv *exclude,
                                   const char *what, const char *exclude_what, unsigned long line)
{
    struct pl_catalog *c = rv->c;
    unsigned kept_stamp = ++rv->stamp, excluded_stamp = kept_stamp - 1;
    /* Names no unit has (a catalog read for presenting only): sets by name, built when needed. */
    struct index_entry *kept = NULL, *excluded = NULL;
    bool have_excluded = false;
    enum pl_status st = PL_OK;
    long clash;
    size_t i, j = 0; /* entries [0, i) read; [0, j) kept, in place */
    for (i = 0; i < list->n && st == PL_OK; i++) {
        char *written = list->v[i];
        size_t idx = ids[i] == NO_UNIT ? 0 : ids[i] & ~UNIT_EXACT;
        const struct pl_unit *u = ids[i] == NO_UNIT ? NULL : &c->units[idx];
        const char *name = u ? u->name : written;
        struct index_entry *e = NULL;
        bool alias = u && !(ids[i] & UNIT_EXACT) && strcmp(written, name) != 0;
        if (alias)
            pl_diag_report(rv->diag, rv->file, line, 0, "W_CATALOG_ALIAS_USED",
                           "%s写作“%s”，这是units.csv中“%s”的别名，按“%s”处理", what, written,
                           name, name);
        if (!u)
            HASH_FIND_STR(kept, name, e);
        bool drop = false;
        if (u ? rv->mark[idx] == kept_stamp : e != NULL) {
            pl_diag_report(rv->diag, rv->file, line, 0, "W_CATALOG_UNIT_TWICE",
                           "%s中“%s”出现了两次（写作“%s”），按一个单位计", what, name, written);
            drop = true;
        } else {
            bool is_excluded = false;
            if (exclude && u) {
                is_excluded = rv->mark[idx] == excluded_stamp;
            } else if (exclude) {
                for (size_t k = 0; !have_excluded && k < exclude->n && st == PL_OK; k++)
                    st = index_put(&excluded, exclude->v[k], k, true, &clash);
                have_excluded = true;
                HASH_FIND_STR(excluded, name, e);
                is_excluded = e != NULL;
            }
            if (st != PL_OK)
                break;
            if (is_excluded) {
                pl_diag_report(rv->diag, rv->file, line, 0, "W_CATALOG_UNIT_TWICE",
                               "“%s”既是%s又是%s，按%s计", name, exclude_what, what,
                               exclude_what);
                drop = true;
            }
        }
        if (drop) {
            drop_str(c, written);
            continue;
        }
        char *keep_name = written;
        if (alias && !(keep_name = unit_name_for_list(c, u))) {
            st = PL_ERR_NOMEM;
            break;
        }
        if (!u && (st = index_put(&kept, name, i, true, &clash)) != PL_OK) {
            if (keep_name != written)
                drop_str(c, keep_name);
            break;
        }
        if (keep_name != written)
            drop_str(c, written);
        if (u)
            rv->mark[idx] = kept_stamp;
        if (final)
            final[j] = u ? (uint32_t)idx : NO_UNIT;
        list->v[j++] = keep_name;
    }
    /* Out of memory part-way: the entries not yet read follow the ones kept. */
    for (; i < list->n; i++)
        list->v[j++] = list->v[i];
    list->n = j;
    index_free_table(&kept);
    index_free_table(&excluded);
    return st;
}

static enum pl_status resolve(struct pl_catalog *c, struct pl_diag *diag, const char *dir,
                              const struct list_lookup *given)
{
    struct pl_buf units_file, tasks_file, what, hosts_what;
    pl_buf_init(&units_file);
    pl_buf_init(&tasks_file);
    pl_buf_init(&what);
    pl_buf_init(&hosts_what);
    struct list_lookup own = {NULL, 0, 0};
    const struct list_lookup *lk = given;
    uint32_t *final = NULL;
    size_t *start = NULL;
    enum pl_status st = PL_OK;
    if (dir && ((st = pl_buf_printf(&units_file, "%s/units.csv", dir)) != PL_OK ||
                (st = pl_buf_printf(&tasks_file, "%s/tasks.csv", dir)) != PL_OK))
        goto done;
    if (!c->index && (st = pl_catalog_index(c, diag, dir ? units_file.data : NULL)) != PL_OK)
        goto done;
    if (!lk) {
        if ((st = lookup_lists(c, &own, NULL)) != PL_OK)
            goto done;
        lk = &own;
    }
    struct resolving rv = {c, diag, dir ? units_file.data : NULL, NULL, 0};
    if (c->nunits && !(rv.mark = calloc(c->nunits, sizeof *rv.mark))) {
        st = PL_ERR_NOMEM;
        goto done;
    }
    /* The units the tasks' lists are left with, for the roles (roles_build()). */
    if (!(final = malloc((lk->members ? lk->members : 1) * sizeof *final)) ||
        !(start = malloc((c->ntasks ? c->ntasks : 1) * sizeof *start))) {
        free(rv.mark);
        st = PL_ERR_NOMEM;
        goto done;
    }
    size_t pos = lk->members;
    for (size_t i = 0; i < c->nunits && st == PL_OK; i++) {
        struct pl_strv *members = &c->units[i].members;
        const uint32_t *ids = lk->v + pos;
        pos += members->n;
        if (!members->n)
            continue;
        pl_buf_clear(&what);
        st = pl_buf_printf(&what, "“%s”的成员", c->units[i].name);
        if (st == PL_OK)
            st = resolve_list(&rv, members, ids, NULL, NULL, what.data, NULL, c->units[i].line);
    }
    rv.file = dir ? tasks_file.data : NULL;
    pos = 0;
    size_t kept = 0;
    for (size_t i = 0; i < c->ntasks && st == PL_OK; i++) {
        struct pl_task *t = &c->tasks[i];
        const uint32_t *host_ids = lk->v + pos, *cohost_ids = host_ids + t->hosts.n;
        pos += t->hosts.n + t->cohosts.n;
        pl_buf_clear(&what);
        pl_buf_clear(&hosts_what);
        st = pl_buf_printf(&hosts_what, "任务%s的承办单位", t->id);
        if (st == PL_OK)
            st = pl_buf_printf(&what, "任务%s的协办单位", t->id);
        start[i] = kept;
        if (st == PL_OK)
            st = resolve_list(&rv, &t->hosts, host_ids, final + kept, NULL, hosts_what.data, NULL,
                              t->line);
        kept += t->hosts.n;
        if (st == PL_OK)
            st = resolve_list(&rv, &t->cohosts, cohost_ids, final + kept, &t->hosts, what.data,
                              "承办单位", t->line);
        kept += t->cohosts.n;
    }
    free(rv.mark);
done:
    /* The lists changed: the (task, unit) roles are built afresh on their next use. */
    if (c->index) {
        roles_drop(c->index);
        list_units_drop(c->index);
        if (st == PL_OK && final) {
            c->index->list_units = final;
            c->index->list_start = start;
            final = NULL;
            start = NULL;
        }
    }
    free(final);
    free(start);
    free(own.v);
    pl_buf_fini(&units_file);
    pl_buf_fini(&tasks_file);
    pl_buf_fini(&what);
    pl_buf_fini(&hosts_what);
    return st;
}

enum pl_status pl_catalog_resolve(struct pl_catalog *c, struct pl_diag *diag, const char *dir)
{
    return resolve(c, diag, dir, NULL);
}

/* ---- the catalog as tables ------------------------------------------------------------ */

/* ---- the catalog as tables, built in memory ---- */

/* N cells in one allocation, as pl_table_read() keeps a row (see table.c). */
static char **table_row(const char *const *cell, const size_t *len, size_t n)
{
    size_t bytes = (n ? n : 1) * sizeof(char *);
    for (size_t k = 0; k < n; k++)
        bytes += len[k] + 1;
    char **row = malloc(bytes);
    if (!row)
        return NULL;
    char *p = (char *)(row + (n ? n : 1));
    for (size_t k = 0; k < n; k++) {
        row[k] = p;
        memcpy(p, cell[k], len[k]);
        p[len[k]] = '\0';
        p += len[k] + 1;
    }
    return row;
}

/* T as pl_table_read_stream() would read back what write_tasks() or write_units() writes, made
 * without the round trip: the writer quotes what needs quoting and the reader takes it back
 * byte for byte. PL_ERR_USAGE, T untouched, when a cell holds a CR (the one byte whose trip
 * through a file this does not stand in for); PL_ERR_NOMEM. */
static enum pl_status table_of(const struct pl_catalog *c, bool tasks, const char *source,
                               struct pl_table *t)
{
    bool previous = false, sections = false;
    if (tasks)
        task_columns(c, &previous, &sections);
    size_t nrows = tasks ? c->ntasks : c->nunits, n = 0;
    struct row_cells rc;
    for (int j = 0; j < 3; j++)
        pl_buf_init(&rc.joined[j]);
    enum pl_status st = PL_OK;
    struct pl_table out = {0};
    const char *const *header = tasks ? task_header : unit_header;
    const char *names[MAX_COLUMNS];
    size_t lens[MAX_COLUMNS], ncols = 0;
    for (size_t k = 0; k < 8; k++)
        names[ncols++] = header[k];
    if (tasks && previous)
        names[ncols++] = header[8];
    if (tasks && sections)
        names[ncols++] = header[9];
    for (size_t k = 0; k < ncols; k++)
        lens[k] = strlen(names[k]);
    out.ncols = ncols;
    if (!(out.source = strdup(source)) || !(out.names = table_row(names, lens, ncols)) ||
        !(out.rows = malloc((nrows ? nrows : 1) * sizeof *out.rows)) ||
        !(out.lines = malloc((nrows ? nrows : 1) * sizeof *out.lines)))
        st = PL_ERR_NOMEM;
    for (size_t i = 0; i < nrows && st == PL_OK; i++) {
        if ((st = table_cells(c, tasks, i, previous, sections, &rc, &n)) != PL_OK)
            break;
        for (size_t k = 0; k < n; k++)
            if (memchr(rc.cell[k], '\r', rc.len[k]))
                st = PL_ERR_USAGE;
        if (st != PL_OK)
            break;
        if (!(out.rows[i] = table_row(rc.cell, rc.len, n))) {
            st = PL_ERR_NOMEM;
            break;
        }
        out.lines[i] = tasks ? c->tasks[i].line : c->units[i].line;
        out.nrows = i + 1;
    }
    for (int j = 0; j < 3; j++)
        pl_buf_fini(&rc.joined[j]);
    if (st == PL_OK)
        *t = out;
    else
        pl_table_free(&out);
    return st;
}

/* ---- the catalog kept from one table to the next ---- */

/* A program reads tasks.csv and then units.csv as tables (ducha-xlsx, ducha-pdf, ducha-forms),
 * and each is made from the whole catalog: the catalog read for the first is kept for the
 * second, with what was reported while it loaded (replayed, so that each call reports exactly
 * what a fresh read would). It is used again only for the same directory with every file as
 * it was (device, inode, size and modification time), and let go once both tables were made
 * from it. */
struct kept_report {
    char *file, *code, *message;
    unsigned long line, column;
    enum pl_severity severity;
};

enum { NFILES = 5 };
static const char *const catalog_files[NFILES] = {"units.csv", "tasks.csv", "indicators.csv",
                                                  "cycles.csv", "document.csv"};

struct files_id {
    bool present[NFILES];
    struct stat st[NFILES];
};

struct table_cache {
    char *dir;
    struct files_id id;
    struct pl_catalog c;
    struct kept_report *reports;
    size_t nreports, cap;
    bool kept_all; /* false when a report could not be kept: the catalog is not used again */
    bool served_tasks, served_units;
    struct pl_diag *to; /* while loading: where reports go */
    bool errors_only;
};

static struct table_cache *table_cache;

static enum pl_status files_id_of(const char *dir, struct files_id *id)
{
    struct pl_buf path;
    pl_buf_init(&path);
    memset(id, 0, sizeof *id);
    for (int i = 0; i < NFILES; i++) {
        pl_buf_clear(&path);
        if (pl_buf_printf(&path, "%s/%s", dir, catalog_files[i]) != PL_OK) {
            pl_buf_fini(&path);
            return PL_ERR_NOMEM;
        }
        id->present[i] = stat(path.data, &id->st[i]) == 0;
    }
    pl_buf_fini(&path);
    return PL_OK;
}

static bool files_id_same(const struct files_id *a, const struct files_id *b)
{
    for (int i = 0; i < NFILES; i++) {
        if (a->present[i] != b->present[i])
            return false;
        const struct stat *x = &a->st[i], *y = &b->st[i];
        if (a->present[i] &&
            (x->st_dev != y->st_dev || x->st_ino != y->st_ino || x->st_size != y->st_size ||
             x->st_mtim.tv_sec != y->st_mtim.tv_sec || x->st_mtim.tv_nsec != y->st_mtim.tv_nsec))
            return false;
    }
    return true;
}

static void table_cache_free(struct table_cache *tc)
{
    if (!tc)
        return;
    for (size_t i = 0; i < tc->nreports; i++) {
        free(tc->reports[i].file);
        free(tc->reports[i].code);
        free(tc->reports[i].message);
    }
    free(tc->reports);
    pl_catalog_fini(&tc->c);
    free(tc->dir);
    free(tc);
}

/* Sends D on (errors only, for units.csv) and keeps a copy. */
static void keep_report(void *ctx, const struct pl_diagnostic *d)
{
    struct table_cache *tc = ctx;
    if (tc->to && (!tc->errors_only || d->severity == PL_SEV_ERROR))
        pl_diag_report(tc->to, d->file, d->line, d->column, d->code, "%s", d->message);
    if (!tc->kept_all)
        return;
    struct kept_report *k =
        grow((void **)&tc->reports, &tc->nreports, &tc->cap, sizeof *tc->reports);
    if (!k) {
        tc->kept_all = false;
        return;
    }
    k->file = d->file ? strdup(d->file) : NULL;
    k->code = strdup(d->code);
    k->message = strdup(d->message ? d->message : "");
    k->line = d->line;
    k->column = d->column;
    k->severity = d->severity;
    if ((d->file && !k->file) || !k->code || !k->message) {
        free(k->file);
        free(k->code);
        free(k->message);
        tc->nreports--;
        tc->kept_all = false;
    }
}

static void replay_reports(const struct table_cache *tc, struct pl_diag *to, bool errors_only)
{
    for (size_t i = 0; i < tc->nreports && to; i++) {
        const struct kept_report *k = &tc->reports[i];
        if (errors_only && k->severity != PL_SEV_ERROR)
            continue;
        pl_diag_report(to, k->file, k->line, k->column, k->code, "%s", k->message);
    }
}

/* The table of tasks.csv (TASKS) or units.csv of catalog C, as written and read back. */
static enum pl_status table_of_catalog(const struct pl_catalog *c, bool tasks, const char *source,
                                       struct pl_table *t, struct pl_diag *diag)
{
    enum pl_status st = table_of(c, tasks, source, t);
    if (st != PL_ERR_USAGE)
        return st;
    /* A cell with a CR: through a file, as it always was. */
    FILE *fp = tmpfile();
    if (!fp)
        return PL_ERR_IO;
    struct pl_buf tmp;
    pl_buf_init(&tmp);
    struct pl_csv_writer w;
    pl_csv_writer_init(&w, fp, 0);
    if (tasks)
        write_tasks(c, &w, &tmp);
    else
        write_units(c, &w, &tmp);
    pl_buf_fini(&tmp);
    st = w.status == PL_ERR_NOMEM ? PL_ERR_NOMEM : pl_csv_writer_status(&w);
    if (st == PL_OK && (fflush(fp) != 0 || fseek(fp, 0, SEEK_SET) != 0))
        st = PL_ERR_IO;
    if (st == PL_OK)
        st = pl_table_read_stream(fp, source, t, diag);
    if (st == PL_OK) {
        /* Lines as in the file on disk, for messages about a row. */
        for (size_t i = 0; i < t->nrows; i++)
            t->lines[i] = tasks ? (i < c->ntasks ? c->tasks[i].line : 0)
                                : (i < c->nunits ? c->units[i].line : 0);
    }
    fclose(fp);
    return st;
}

enum pl_status pl_catalog_read_table(const char *dir, const char *file, struct pl_table *t,
                                     struct pl_diag *diag)
{
    memset(t, 0, sizeof *t);
    struct pl_buf path;
    pl_buf_init(&path);
    enum pl_status st = pl_buf_printf(&path, "%s/%s", dir, file);
    bool tasks = strcmp(file, "tasks.csv") == 0, units = strcmp(file, "units.csv") == 0;
    struct pl_buf units_path;
    pl_buf_init(&units_path);
    /* A catalog without units.csv (a summary of tasks alone) has no names to resolve. */
    if (st == PL_OK && tasks && (st = pl_buf_printf(&units_path, "%s/units.csv", dir)) == PL_OK &&
        access(units_path.data, F_OK) != 0)
        tasks = false;
    pl_buf_fini(&units_path);
    if (st != PL_OK || (!tasks && !units)) {
        if (st == PL_OK)
            st = pl_table_read(path.data, t, diag);
        pl_buf_fini(&path);
        return st;
    }
    struct files_id id;
    struct table_cache *tc = table_cache;
    if ((st = files_id_of(dir, &id)) != PL_OK)
        goto done;
    if (tc && strcmp(tc->dir, dir) == 0 && files_id_same(&tc->id, &id)) {
        /* Reports for units.csv: errors only (its warnings were heard with tasks.csv's). */
        replay_reports(tc, diag, !tasks);
    } else {
        table_cache_free(table_cache);
        table_cache = NULL;
        if (!(tc = calloc(1, sizeof *tc)) || !(tc->dir = strdup(dir))) {
            free(tc);
            tc = NULL;
            st = PL_ERR_NOMEM;
            goto done;
        }
        tc->id = id;
        tc->kept_all = true;
        tc->to = diag;
        tc->errors_only = !tasks;
        pl_catalog_init(&tc->c);
        struct pl_diag keep;
        pl_diag_init(&keep, keep_report, tc);
        st = read_catalog(&tc->c, dir, &keep, false);
        tc->to = NULL;
        if (st != PL_OK)
            goto done;
    }
    st = table_of_catalog(&tc->c, tasks, path.data, t, diag);
    if (tasks)
        tc->served_tasks = true;
    else
        tc->served_units = true;
done:
    /* Kept for the other table; let go once both were made, or when it cannot be kept. */
    if (tc && (st != PL_OK || !tc->kept_all || (tc->served_tasks && tc->served_units))) {
        if (table_cache == tc)
            table_cache = NULL;
        table_cache_free(tc);
    } else if (tc) {
        table_cache = tc;
    }
    pl_buf_fini(&path);
    return st;
}
