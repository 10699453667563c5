/* catalog — the catalog model, its CSV files and its lookups. */
#include "catalog.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <uthash.h>

#include "csv.h"
#include "encoding.h"
#include "text.h"

/* ---- kinds ---------------------------------------------------------------------------- */

static const char *const task_kinds[] = {[PL_TASK_KEY] = "key", [PL_TASK_LIVELIHOOD] = "livelihood"};

const char *pl_task_kind_name(enum pl_task_kind kind)
{
    return kind == PL_TASK_LIVELIHOOD ? task_kinds[PL_TASK_LIVELIHOOD] : task_kinds[PL_TASK_KEY];
}

bool pl_task_kind_parse(const char *name, enum pl_task_kind *out)
{
    for (int k = PL_TASK_KEY; k <= PL_TASK_LIVELIHOOD; k++) {
        if (strcmp(name, task_kinds[k]) == 0) {
            *out = (enum pl_task_kind)k;
            return true;
        }
    }
    return false;
}

static const char *const unit_kinds[PL_UNIT_KIND_COUNT] = {
    [PL_UNIT_DEPARTMENT] = "department", [PL_UNIT_PARTY] = "party",
    [PL_UNIT_MASS] = "mass",             [PL_UNIT_VERTICAL] = "vertical",
    [PL_UNIT_JUDICIAL] = "judicial",     [PL_UNIT_ZONE] = "zone",
    [PL_UNIT_ENTERPRISE] = "enterprise", [PL_UNIT_TOWN] = "town",
    [PL_UNIT_COLLECTIVE] = "collective",
};

const char *pl_unit_kind_name(enum pl_unit_kind kind)
{
    if ((unsigned)kind >= PL_UNIT_KIND_COUNT)
        return NULL;
    return unit_kinds[kind];
}

bool pl_unit_kind_parse(const char *name, enum pl_unit_kind *out)
{
    for (int k = 0; k < PL_UNIT_KIND_COUNT; k++) {
        if (strcmp(name, unit_kinds[k]) == 0) {
            *out = (enum pl_unit_kind)k;
            return true;
        }
    }
    return false;
}

const char *pl_unit_kind_group(enum pl_unit_kind kind)
{
    if (kind == PL_UNIT_COLLECTIVE || (unsigned)kind >= PL_UNIT_KIND_COUNT)
        return NULL;
    return kind == PL_UNIT_TOWN ? "镇街" : "县直部门";
}

/* ---- model ---------------------------------------------------------------------------- */

struct index_entry {
    char *key;
    size_t idx;
    bool ambiguous;
    bool is_name;
    UT_hash_handle hh;
};

struct pl_catalog_index {
    struct index_entry *tasks;
    struct index_entry *units;
};

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
    index_free_table(&c->index->tasks);
    index_free_table(&c->index->units);
    free(c->index);
    c->index = NULL;
}

void pl_catalog_init(struct pl_catalog *c)
{
    memset(c, 0, sizeof *c);
}

void pl_catalog_fini(struct pl_catalog *c)
{
    index_drop(c);
    for (size_t i = 0; i < c->ntasks; i++) {
        struct pl_task *t = &c->tasks[i];
        free(t->id);
        free(t->title);
        free(t->text);
        pl_strv_fini(&t->leaders);
        pl_strv_fini(&t->hosts);
        pl_strv_fini(&t->cohosts);
    }
    free(c->tasks);
    for (size_t i = 0; i < c->nunits; i++) {
        free(c->units[i].name);
        pl_strv_fini(&c->units[i].aliases);
        pl_strv_fini(&c->units[i].members);
    }
    free(c->units);
    for (size_t i = 0; i < c->nindicators; i++) {
        struct pl_indicator *x = &c->indicators[i];
        free(x->task_id);
        free(x->metric);
        free(x->comparator);
        free(x->value);
        free(x->unit);
        free(x->source);
    }
    free(c->indicators);
    for (size_t i = 0; i < c->ncycles; i++) {
        struct pl_cycle *y = &c->cycles[i];
        free(y->id);
        free(y->label);
        free(y->start);
        free(y->end);
        free(y->deadline);
        free(y->expected);
    }
    free(c->cycles);
    for (size_t i = 0; i < c->nfacts; i++) {
        free(c->facts[i].key);
        free(c->facts[i].value);
    }
    free(c->facts);
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

static enum pl_status match_key(struct pl_buf *key, const char *s)
{
    pl_buf_clear(key);
    return pl_text_match_key(key, s, strlen(s));
}

enum pl_status pl_catalog_index(struct pl_catalog *c, struct pl_diag *diag, const char *file)
{
    index_drop(c);
    struct pl_catalog_index *ix = calloc(1, sizeof *ix);
    if (!ix)
        return PL_ERR_NOMEM;
    c->index = ix;
    enum pl_status st = PL_OK;
    long clash;
    struct pl_buf key;
    pl_buf_init(&key);
    for (size_t i = 0; i < c->ntasks && st == PL_OK; i++)
        st = index_put(&ix->tasks, c->tasks[i].id, i, true, &clash);
    /* Names first, so that a name always wins over another unit's alias. */
    for (size_t i = 0; i < c->nunits && st == PL_OK; i++) {
        st = match_key(&key, c->units[i].name);
        if (st == PL_OK)
            st = index_put(&ix->units, key.data, i, true, &clash);
    }
    for (size_t i = 0; i < c->nunits && st == PL_OK; i++) {
        const struct pl_unit *u = &c->units[i];
        for (size_t a = 0; a < u->aliases.n && st == PL_OK; a++) {
            st = match_key(&key, u->aliases.v[a]);
            if (st == PL_OK)
                st = index_put(&ix->units, key.data, i, false, &clash);
            if (st == PL_OK && clash >= 0)
                pl_diag_report(diag, file, 0, 0, "W_CATALOG_ALIAS",
                               "别名“%s”同时指“%s”和“%s”，按此别名不认单位", u->aliases.v[a],
                               c->units[clash].name, u->name);
        }
    }
    pl_buf_fini(&key);
    if (st != PL_OK)
        index_drop(c);
    return st;
}

const struct pl_task *pl_catalog_find_task(const struct pl_catalog *c, const char *id)
{
    struct index_entry *e;
    if (!c->index)
        return NULL;
    HASH_FIND_STR(c->index->tasks, id, e);
    return e && !e->ambiguous ? &c->tasks[e->idx] : NULL;
}

const struct pl_unit *pl_catalog_find_unit(const struct pl_catalog *c, const char *name)
{
    if (!c->index)
        return NULL;
    struct pl_buf key;
    pl_buf_init(&key);
    struct index_entry *e = NULL;
    if (pl_text_match_key(&key, name, strlen(name)) == PL_OK)
        HASH_FIND_STR(c->index->units, key.data, e);
    pl_buf_fini(&key);
    return e && !e->ambiguous ? &c->units[e->idx] : NULL;
}

const struct pl_cycle *pl_catalog_find_cycle(const struct pl_catalog *c, const char *id)
{
    for (size_t i = 0; i < c->ncycles; i++)
        if (strcmp(c->cycles[i].id, id) == 0)
            return &c->cycles[i];
    return NULL;
}
/* ---- writing -------------------------------------------------------------------------- */

static void write_list(struct pl_csv_writer *w, const struct pl_strv *list, struct pl_buf *tmp)
{
    pl_buf_clear(tmp);
    if (pl_strv_join(list, '|', tmp) != PL_OK) {
        w->status = PL_ERR_NOMEM;
        return;
    }
    pl_csv_write_cell(w, tmp->data, tmp->len);
}

static void write_tasks(const struct pl_catalog *c, struct pl_csv_writer *w, struct pl_buf *tmp)
{
    static const char *const header[] = {"id",     "kind",  "title",  "text",
                                         "leaders", "hosts", "cohosts"};
    pl_csv_write_row(w, header, 7);
    for (size_t i = 0; i < c->ntasks; i++) {
        const struct pl_task *t = &c->tasks[i];
        pl_csv_write_str(w, t->id);
        pl_csv_write_str(w, pl_task_kind_name(t->kind));
        pl_csv_write_str(w, t->title ? t->title : "");
        pl_csv_write_str(w, t->text ? t->text : "");
        write_list(w, &t->leaders, tmp);
        write_list(w, &t->hosts, tmp);
        write_list(w, &t->cohosts, tmp);
        pl_csv_end_row(w);
    }
}

static void write_units(const struct pl_catalog *c, struct pl_csv_writer *w, struct pl_buf *tmp)
{
    static const char *const header[] = {"name", "aliases", "kind", "members"};
    pl_csv_write_row(w, header, 4);
    for (size_t i = 0; i < c->nunits; i++) {
        const struct pl_unit *u = &c->units[i];
        pl_csv_write_str(w, u->name);
        write_list(w, &u->aliases, tmp);
        const char *kind = pl_unit_kind_name(u->kind);
        pl_csv_write_str(w, kind ? kind : "");
        write_list(w, &u->members, tmp);
        pl_csv_end_row(w);
    }
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
    static const char *const header[] = {"id", "label", "start", "end", "deadline", "expected"};
    (void)tmp;
    pl_csv_write_row(w, header, 6);
    for (size_t i = 0; i < c->ncycles; i++) {
        const struct pl_cycle *y = &c->cycles[i];
        const char *row[] = {y->id, y->label, y->start, y->end, y->deadline, y->expected};
        pl_csv_write_row(w, row, 6);
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
    pl_csv_writer_init(&w, fp, 0);
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

#define MAX_COLUMNS 7

static const char *const columns[][MAX_COLUMNS + 1] = {
    [F_TASKS] = {"id", "kind", "title", "text", "leaders", "hosts", "cohosts", NULL},
    [F_UNITS] = {"name", "aliases", "kind", "members", NULL},
    [F_INDICATORS] = {"task_id", "metric", "comparator", "value", "unit", "source", NULL},
    [F_CYCLES] = {"id", "label", "start", "end", "deadline", "expected", NULL},
    [F_FACTS] = {"key", "value", NULL},
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
};

/* A cell of ROW for column C, trimmed, as a fresh string (empty for a missing cell). */
static char *cell(const struct reader *r, const struct pl_csv_row *row, int c)
{
    const char *s = "";
    size_t len = 0;
    if (r->col[c] >= 0 && (size_t)r->col[c] < row->count) {
        s = row->cells[r->col[c]];
        len = row->lens[r->col[c]];
    }
    size_t a, b;
    pl_text_trim(s, len, &a, &b);
    char *out = malloc(b - a + 1);
    if (out) {
        memcpy(out, s + a, b - a);
        out[b - a] = '\0';
    }
    return out;
}

/* Splits a '|'-joined cell into LIST, each piece trimmed. */
static enum pl_status split_list(struct pl_strv *list, const char *s)
{
    size_t len = strlen(s), start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && s[i] != '|')
            continue;
        size_t a, b;
        pl_text_trim(s + start, i - start, &a, &b);
        if (b > a) {
            enum pl_status st = pl_strv_push(list, s + start + a, b - a);
            if (st != PL_OK)
                return st;
        }
        start = i + 1;
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
            size_t a, b;
            pl_text_trim(row->cells[i], row->lens[i], &a, &b);
            if (b - a == strlen(names[c]) && memcmp(row->cells[i] + a, names[c], b - a) == 0) {
                r->col[c] = (long)i;
                break;
            }
        }
        if (r->col[c] < 0) {
            pl_diag_report(r->diag, r->file, row->line, 0, "E_CATALOG_HEADER",
                           "表头缺少“%s”列", names[c]);
            ok = false;
        }
    }
    return ok;
}

static void row_error(struct reader *r, const struct pl_csv_row *row, const char *what)
{
    pl_diag_report(r->diag, r->file, row->line, 0, "E_CATALOG_ROW", "%s", what);
    r->errors++;
}

static enum pl_status read_task(struct reader *r, const struct pl_csv_row *row)
{
    char *f[7] = {0};
    enum pl_status st = PL_OK;
    for (int c = 0; c < 7; c++)
        if (!(f[c] = cell(r, row, c)))
            st = PL_ERR_NOMEM;
    enum pl_task_kind kind = PL_TASK_KEY;
    if (st != PL_OK)
        goto done;
    if (!*f[0]) {
        row_error(r, row, "任务编号（id）为空");
        goto done;
    }
    if (!pl_task_kind_parse(f[1], &kind)) {
        pl_diag_report(r->diag, r->file, row->line, 0, "E_CATALOG_ROW",
                       "任务%s的类别“%s”不是 key 或 livelihood", f[0], f[1]);
        r->errors++;
        goto done;
    }
    for (size_t i = 0; i < r->cat->ntasks; i++) {
        if (strcmp(r->cat->tasks[i].id, f[0]) == 0) {
            pl_diag_report(r->diag, r->file, row->line, 0, "E_CATALOG_DUPLICATE",
                           "任务编号%s重复", f[0]);
            r->errors++;
            goto done;
        }
    }
    struct pl_task *t = pl_catalog_add_task(r->cat);
    if (!t) {
        st = PL_ERR_NOMEM;
        goto done;
    }
    t->id = f[0];
    t->kind = kind;
    t->title = f[2];
    t->text = f[3];
    f[0] = f[2] = f[3] = NULL;
    st = split_list(&t->leaders, f[4]);
    if (st == PL_OK)
        st = split_list(&t->hosts, f[5]);
    if (st == PL_OK)
        st = split_list(&t->cohosts, f[6]);
done:
    for (int c = 0; c < 7; c++)
        free(f[c]);
    return st;
}

static enum pl_status read_unit(struct reader *r, const struct pl_csv_row *row)
{
    char *f[4] = {0};
    enum pl_status st = PL_OK;
    for (int c = 0; c < 4; c++)
        if (!(f[c] = cell(r, row, c)))
            st = PL_ERR_NOMEM;
    enum pl_unit_kind kind;
    if (st != PL_OK)
        goto done;
    if (!*f[0]) {
        row_error(r, row, "单位名称（name）为空");
        goto done;
    }
    if (!pl_unit_kind_parse(f[2], &kind)) {
        pl_diag_report(r->diag, r->file, row->line, 0, "E_CATALOG_KIND",
                       "单位“%s”的类别“%s”不认识（应为 department, party, mass, vertical, "
                       "judicial, zone, enterprise, town, collective 之一）",
                       f[0], f[2]);
        r->errors++;
        goto done;
    }
    for (size_t i = 0; i < r->cat->nunits; i++) {
        if (strcmp(r->cat->units[i].name, f[0]) == 0) {
            pl_diag_report(r->diag, r->file, row->line, 0, "E_CATALOG_DUPLICATE",
                           "单位“%s”重复", f[0]);
            r->errors++;
            goto done;
        }
    }
    struct pl_unit *u = pl_catalog_add_unit(r->cat);
    if (!u) {
        st = PL_ERR_NOMEM;
        goto done;
    }
    u->name = f[0];
    f[0] = NULL;
    u->kind = kind;
    st = split_list(&u->aliases, f[1]);
    if (st == PL_OK)
        st = split_list(&u->members, f[3]);
done:
    for (int c = 0; c < 4; c++)
        free(f[c]);
    return st;
}

static enum pl_status read_plain(struct reader *r, const struct pl_csv_row *row)
{
    char *f[6] = {0};
    int n = r->kind == F_FACTS ? 2 : 6;
    enum pl_status st = PL_OK;
    for (int c = 0; c < n; c++)
        if (!(f[c] = cell(r, row, c)))
            st = PL_ERR_NOMEM;
    if (st != PL_OK)
        goto done;
    if (!*f[0]) {
        row_error(r, row, "第一列为空");
        goto done;
    }
    if (r->kind == F_FACTS) {
        st = pl_catalog_set_fact(r->cat, f[0], f[1]);
        goto done;
    }
    if (r->kind == F_CYCLES) {
        char *end;
        strtod(f[5], &end);
        if (!*f[5] || *end) {
            pl_diag_report(r->diag, r->file, row->line, 0, "E_CATALOG_ROW",
                           "周期%s的序时进度“%s”不是数字", f[0], f[5]);
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
        char **dst[] = {&y->id, &y->label, &y->start, &y->end, &y->deadline, &y->expected};
        for (int c = 0; c < 6; c++) {
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
    for (int c = 0; c < n; c++)
        free(f[c]);
    return st;
}

static enum pl_status on_row(void *ctx, const struct pl_csv_row *row)
{
    struct reader *r = ctx;
    if (row->problem != PL_CSV_ROW_OK) {
        row_error(r, row, row->problem == PL_CSV_ROW_UNTERMINATED ? "引号没有闭合，文件在此截断"
                                                                  : "这一行有无法读取的字节");
        return PL_OK;
    }
    if (!r->have_header) {
        r->have_header = true;
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

static enum pl_status read_file(struct pl_catalog *c, const char *dir, const char *name,
                                enum file_kind kind, bool required, struct pl_diag *diag,
                                unsigned long *errors)
{
    struct pl_buf path;
    pl_buf_init(&path);
    struct pl_text_source *src = NULL;
    struct pl_csv_reader *csv = NULL;
    enum pl_status st = pl_buf_printf(&path, "%s/%s", dir, name);
    if (st != PL_OK)
        goto done;
    if (!required && access(path.data, F_OK) != 0 && errno == ENOENT)
        goto done;
    st = pl_text_source_open(path.data, path.data, PL_ENC_AUTO, diag, &src);
    if (st != PL_OK) {
        if (st == PL_ERR_DATA || st == PL_ERR_ENCODING)
            st = PL_ERR_CONFIG;
        goto done;
    }
    struct reader r = {.kind = kind, .cat = c, .diag = diag, .file = path.data};
    csv = pl_csv_reader_new(',', on_row, &r);
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
    pl_csv_reader_free(csv);
    pl_text_source_free(src);
    pl_buf_fini(&path);
    return st;
}

/* Every host, co-unit and member must name a unit of units.csv. */
static unsigned long check_references(const struct pl_catalog *c, struct pl_diag *diag,
                                      const char *file)
{
    unsigned long errors = 0;
    for (size_t i = 0; i < c->ntasks; i++) {
        const struct pl_task *t = &c->tasks[i];
        const struct pl_strv *lists[] = {&t->hosts, &t->cohosts};
        for (int l = 0; l < 2; l++) {
            for (size_t k = 0; k < lists[l]->n; k++) {
                if (!pl_catalog_find_unit(c, lists[l]->v[k])) {
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
            if (!pl_catalog_find_unit(c, u->members.v[k])) {
                pl_diag_report(diag, file, 0, 0, "E_CATALOG_UNIT",
                               "“%s”的成员“%s”在units.csv中找不到", u->name, u->members.v[k]);
                errors++;
            }
        }
    }
    return errors;
}

enum pl_status pl_catalog_read(struct pl_catalog *c, const char *dir, struct pl_diag *diag)
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
    enum pl_status st = PL_OK;
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        enum pl_status fs =
            read_file(c, dir, files[i].name, files[i].kind, files[i].required, diag, &errors);
        if (fs == PL_ERR_NOMEM)
            return fs;
        if (fs != PL_OK && st == PL_OK)
            st = fs;
    }
    if (st != PL_OK)
        return st;
    struct pl_buf file;
    pl_buf_init(&file);
    st = pl_buf_printf(&file, "%s/units.csv", dir);
    if (st == PL_OK)
        st = pl_catalog_index(c, diag, file.data);
    if (st == PL_OK) {
        pl_buf_clear(&file);
        st = pl_buf_printf(&file, "%s/tasks.csv", dir);
    }
    if (st == PL_OK)
        errors += check_references(c, diag, file.data);
    pl_buf_fini(&file);
    if (st == PL_OK && errors > 0)
        st = PL_ERR_CONFIG;
    return st;
}
