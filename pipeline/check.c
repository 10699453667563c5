/* check — records to valid records and rejected rows. */
#include "check.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "fields.h"
#include "memo.h"
#include "record.h"
#include "text.h"
#include "workbook.h"

const char *const pl_check_valid_columns[] = {
    "cycle",  "source",   "line",      "task_id",    "unit",        "owner", "phone",
    "progress", "status", "value",     "metric",     "narrative",   "problems",
    "next_steps", "reported_on", "role", "late",     "flags",
};
const size_t pl_check_valid_count = sizeof pl_check_valid_columns / sizeof pl_check_valid_columns[0];

/* One problem found in a row. */
struct problem {
    const char *code;
    enum pl_field field;
    char *message;
};

/* Remembered answers (memo.h): unit lookups, suggestions and metric lookups repeat row after
 * row, and each costs NFKC folding. Each memo holds MEMO_LIMIT answers, or, for the unit
 * names, room for every name and alias of the catalog twice over (a province names 88,000
 * units: a smaller memo would forget them before they come round again); then it starts
 * afresh, so memory follows the catalog, never the rows. */
enum { MEMO_LIMIT = 10000 };

/* The rows seen earlier in the current file, for the exact-duplicate check: a 64-bit hash of
 * each row's cells (not the cells, so that a big file costs megabytes, not hundreds) in an
 * open-addressing table. The check remembers up to SEEN_LIMIT rows of a file, then starts
 * afresh (a return holds a few dozen rows). */
enum { SEEN_LIMIT = 100000, SEEN_SLOTS = 1 << 18 };
struct seen_slot {
    uint64_t hash; /* 0: empty */
    unsigned long line;
};

/* A 64-bit hash taking eight bytes a step (multiply and fold, as wyhash and friends do):
 * every row of every file goes through it. */
static uint64_t row_hash(const char *s, size_t len)
{
    const uint64_t k = UINT64_C(0x9E3779B97F4A7C15);
    uint64_t h = UINT64_C(0x243F6A8885A308D3) ^ len;
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        h = (h ^ w) * k;
        h ^= h >> 29;
    }
    uint64_t tail = 0;
    memcpy(&tail, s + i, len - i);
    h = (h ^ tail) * k;
    h ^= h >> 32;
    h *= k;
    return h ^ (h >> 29);
}


/* The suggestions' view of the catalog: the match key of every name and alias of every unit
 * but the collectives, as code points, made once (a province has 88,000 units; folding them all
 * again for each unknown name cost a tenth of a second a name). */
struct suggest_name {
    size_t unit;   /* its unit's place in the catalog */
    size_t off;    /* its code points in cps */
    uint64_t bag;  /* char_bit() of each of its code points */
    uint32_t len;
};

struct suggester {
    uint32_t *cps;
    size_t ncps, cap_cps;
    struct suggest_name *names;
    size_t nnames, cap_names;
    size_t *best; /* a distance per unit, for one lookup */
    size_t *rows; /* two rows of the distance table, as long as the longest name's */
    bool built;
};

struct checker {
    const struct pl_check_options *opt;
    struct pl_csv_writer *out, *rejects;
    struct pl_diag *diag;
    struct pl_check_stats *stats;
    const char *in_name;
    bool have_header;
    int col[PL_F_COUNT];  /* input column of each record field */
    int columns_col;      /* the input's `columns` column, or -1 */
    int sheet_col;        /* the input's `sheet` column (a workbook's sheet), or -1 */
    const struct pl_csv_row *cur; /* the row being checked, for cell names in messages */
    struct pl_buf cell;
    size_t ncols;
    struct problem problems[16];
    size_t nproblems;
    struct pl_buf flags;
    struct pl_buf task_id, unit_label, prefix, value_unit, scratch, key, progress, value, date;
    struct seen_slot *seen; /* SEEN_SLOTS of them, allocated with the first row */
    uint32_t *seen_used;    /* the slots filled, SEEN_LIMIT of them, to empty them again */
    size_t nseen;
    char *seen_source;
    struct pl_memo units, suggestions, metrics, statuses;
    struct suggester suggester; /* built on the first unknown unit name */
    long start_day, deadline_day;
    const struct pl_indicator *indicator; /* the row's metric, as the catalog names it */
    char key_range[64], livelihood_range[64]; /* 第1–81项, M1–M10: for messages */
    enum pl_status status;
};

/* The cell of FIELD in ROW ("" when the stream lacks it). */
static const char *cell(const struct checker *k, const struct pl_csv_row *row, enum pl_field f,
                        size_t *len)
{
    int c = k->col[f];
    if (c < 0 || (size_t)c >= row->count) {
        *len = 0;
        return "";
    }
    *len = row->lens[c];
    return row->cells[c];
}

static unsigned long source_column(const struct checker *k, const struct pl_csv_row *row,
                                   enum pl_field f);

/* A problem in a workbook's row names its cell as the unit sees it first: "落实情况!G5：…". */
static void name_cell(struct checker *k, enum pl_field field, struct pl_buf *message)
{
    const struct pl_csv_row *row = k->cur;
    if (!row || k->sheet_col < 0 || (size_t)k->sheet_col >= row->count ||
        row->lens[k->sheet_col] == 0)
        return;
    unsigned long col = source_column(k, row, field);
    const char *line = k->col[PL_F_LINE] >= 0 && (size_t)k->col[PL_F_LINE] < row->count
                           ? row->cells[k->col[PL_F_LINE]]
                           : "0";
    pl_buf_clear(&k->cell);
    if (col)
        pl_workbook_cell_name(&k->cell, col - 1, strtoul(line, NULL, 10));
    else
        pl_buf_printf(&k->cell, "第%s行", line);
    struct pl_buf named;
    pl_buf_init(&named);
    if (pl_buf_printf(&named, "%s!%s：%s", row->cells[k->sheet_col], k->cell.data,
                      message->data) != PL_OK) {
        pl_buf_fini(&named);
        return;
    }
    pl_buf_fini(message);
    *message = named;
}

static void add_problem(struct checker *k, const char *code, enum pl_field field,
                        struct pl_buf *message)
{
    if (k->nproblems == sizeof k->problems / sizeof k->problems[0]) {
        pl_buf_fini(message);
        return;
    }
    name_cell(k, field, message);
    char *m = pl_buf_take(message);
    if (!m) {
        k->status = PL_ERR_NOMEM;
        return;
    }
    k->problems[k->nproblems++] = (struct problem){code, field, m};
}

static void problemf(struct checker *k, const char *code, enum pl_field field, const char *fmt,
                     ...) __attribute__((format(printf, 4, 5)));

static void problemf(struct checker *k, const char *code, enum pl_field field, const char *fmt,
                     ...)
{
    struct pl_buf m;
    pl_buf_init(&m);
    va_list ap;
    va_start(ap, fmt);
    if (pl_buf_vprintf(&m, fmt, ap) != PL_OK)
        k->status = PL_ERR_NOMEM;
    va_end(ap);
    add_problem(k, code, field, &m);
}

/* A refusal from the field parsers, worded by them, after the task's label. */
static void field_problem(struct checker *k, enum pl_field field, enum pl_field_error why,
                          const char *s, size_t len)
{
    struct pl_buf m;
    pl_buf_init(&m);
    if (pl_buf_append_str(&m, k->prefix.data) != PL_OK ||
        pl_field_error_message(&m, why, s, len) != PL_OK)
        k->status = PL_ERR_NOMEM;
    add_problem(k, pl_field_error_code(why), field, &m);
}

static void add_flag(struct checker *k, const char *code)
{
    if (k->flags.len)
        pl_buf_append_char(&k->flags, '|');
    pl_buf_append_str(&k->flags, code);
}

/* The 1-based column of FIELD in the unit's own file, from the record's columns cell. */
static unsigned long source_column(const struct checker *k, const struct pl_csv_row *row,
                                   enum pl_field f)
{
    if (k->columns_col < 0 || (size_t)k->columns_col >= row->count || f < PL_F_TASK_ID)
        return 0;
    const char *p = row->cells[k->columns_col];
    for (int i = PL_F_TASK_ID; i < (int)f && p; i++) {
        p = strchr(p, '|');
        if (p)
            p++;
    }
    return p ? strtoul(p, NULL, 10) : 0;
}

static size_t count_chars(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xC0) != 0x80;
    return n;
}

/* One of 64 bits for a code point, for a quick bound on the distance of two keys: a character
 * of one that the other lacks costs an edit of its own, and a bit missing from the other's bag
 * proves the character missing. */
static uint64_t char_bit(uint32_t cp)
{
    return UINT64_C(1) << ((cp * UINT32_C(0x9E3779B1)) >> 26);
}

static uint64_t bag_of(const uint32_t *cps, size_t n)
{
    uint64_t bag = 0;
    for (size_t i = 0; i < n; i++)
        bag |= char_bit(cps[i]);
    return bag;
}

/* The characters of A[0..N) whose bit BAG lacks: a lower bound on the edits from A to a key
 * with that bag. */
static size_t missing_from(const uint32_t *a, size_t n, uint64_t bag)
{
    size_t miss = 0;
    for (size_t i = 0; i < n; i++)
        miss += !(bag & char_bit(a[i]));
    return miss;
}

static void suggester_fini(struct suggester *s)
{
    free(s->cps);
    free(s->names);
    free(s->best);
    free(s->rows);
    memset(s, 0, sizeof *s);
}

/* Appends the code points of KEY (valid UTF-8, a match key) to CPS; *N gets their number. */
static enum pl_status decode_key(uint32_t **cps, size_t *ncps, size_t *cap, const char *key,
                                 size_t *n)
{
    *n = count_chars(key);
    if (*ncps + *n > *cap) {
        size_t c = *cap ? *cap : 1024;
        while (c < *ncps + *n)
            c *= 2;
        uint32_t *v = realloc(*cps, c * sizeof *v);
        if (!v)
            return PL_ERR_NOMEM;
        *cps = v;
        *cap = c;
    }
    uint32_t *w = *cps + *ncps;
    for (size_t i = 0, o = 0; i < *n; i++)
        o += pl_utf8_decode(key + o, strlen(key + o), &w[i]);
    *ncps += *n;
    return PL_OK;
}

static enum pl_status suggester_build(struct suggester *s, const struct pl_catalog *c)
{
    struct pl_buf key;
    pl_buf_init(&key);
    enum pl_status st = PL_OK;
    if (!(s->best = malloc((c->nunits + 1) * sizeof *s->best)))
        st = PL_ERR_NOMEM;
    for (size_t u = 0; u < c->nunits && st == PL_OK; u++) {
        const struct pl_unit *unit = &c->units[u];
        if (unit->kind == PL_UNIT_COLLECTIVE)
            continue;
        for (size_t a = 0; a <= unit->aliases.n && st == PL_OK; a++) {
            const char *n = a == 0 ? unit->name : unit->aliases.v[a - 1];
            pl_buf_clear(&key);
            if (pl_text_match_key(&key, n, strlen(n)) != PL_OK)
                continue; /* as a name that cannot be keyed is never near */
            if (s->nnames == s->cap_names) {
                size_t cap = s->cap_names ? s->cap_names * 2 : 1024;
                struct suggest_name *v = realloc(s->names, cap * sizeof *v);
                if (!v) {
                    st = PL_ERR_NOMEM;
                    break;
                }
                s->names = v;
                s->cap_names = cap;
            }
            size_t off = s->ncps, len;
            st = decode_key(&s->cps, &s->ncps, &s->cap_cps, key.data, &len);
            if (st == PL_OK && len > UINT32_MAX)
                st = PL_ERR_NOMEM;
            if (st == PL_OK)
                s->names[s->nnames++] =
                    (struct suggest_name){u, off, bag_of(s->cps + off, len), (uint32_t)len};
        }
    }
    pl_buf_fini(&key);
    size_t longest = 0;
    for (size_t i = 0; st == PL_OK && i < s->nnames; i++)
        if (s->names[i].len > longest)
            longest = s->names[i].len;
    if (st == PL_OK && !(s->rows = malloc(2 * (longest + 1) * sizeof *s->rows)))
        st = PL_ERR_NOMEM;
    s->built = st == PL_OK;
    return st;
}

/* The Levenshtein distance of A[0..LA) and B[0..LB) when it is at most K, else K + 1 (the
 * suggestions only want the near ones): a path of cost at most K never leaves the diagonal
 * band |i - j| <= K, and once a whole row of the band exceeds K the rest cannot come back.
 * ROWS holds 2 * (LB + 1) entries. */
static size_t distance_within(const uint32_t *a, size_t la, const uint32_t *b, size_t lb,
                              size_t k, size_t *rows)
{
    if ((la > lb ? la - lb : lb - la) > k)
        return k + 1;
    const size_t far = k + 1;
    size_t *prev = rows, *cur = rows + lb + 1;
    for (size_t j = 0; j <= lb; j++)
        prev[j] = j <= k ? j : far;
    for (size_t i = 1; i <= la; i++) {
        size_t lo = i > k ? i - k : 1, hi = i + k < lb ? i + k : lb;
        cur[0] = i <= k ? i : far;
        if (lo > 1)
            cur[lo - 1] = far;
        size_t row_min = cur[0];
        for (size_t j = lo; j <= hi; j++) {
            size_t sub = prev[j - 1] + (a[i - 1] != b[j - 1]);
            size_t del = prev[j] + 1, ins = cur[j - 1] + 1;
            size_t d = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
            cur[j] = d < far ? d : far;
            if (cur[j] < row_min)
                row_min = cur[j];
        }
        if (hi < lb)
            cur[hi + 1] = far;
        if (row_min > k)
            return far;
        size_t *t = prev;
        prev = cur;
        cur = t;
    }
    return prev[lb] <= k ? prev[lb] : far;
}

/* True when A[0..LA) is a short form of B[0..LB) as offices shorten names (县住建局 of
 * 县住房和城乡建设局, 县发改局 of 县发展和改革局): at least three characters, the same first and
 * last ones, all of them in B in the same order. BBAG is B's bag, to rule most names out in a
 * pass over A. */
static bool short_form_of(const uint32_t *a, size_t la, const uint32_t *b, size_t lb,
                          uint64_t bbag)
{
    if (la < 3 || lb <= la || a[0] != b[0] || a[la - 1] != b[lb - 1] ||
        missing_from(a, la, bbag) > 0)
        return false;
    size_t i = 1;
    for (size_t j = 1; j + 1 < lb && i + 1 < la; j++)
        i += a[i] == b[j];
    return i + 1 == la;
}

/* Appends to OUT up to MAX unit names nearest to NAME[0..LEN) (see pl_check_suggest_units()).
 *
 * A suggestion must be what the unit plausibly meant, never merely the least far of far names
 * (县商务局 for 县财正局 was two edits of four characters: half the name). A name or alias of the
 * catalog is near the written name, both as match keys, when
 *   - their edit distance (Levenshtein, in characters) is at most a third of the longer one's
 *     length (县财政局 for 县财正局: one edit of four; a four-character name never takes two), so
 *     that at least two thirds of the characters are shared and in place; or
 *   - the written name is a short form of it (short_form_of(): 县住建局, 县财局), the edit
 *     distance then being the characters left out.
 * A unit is as near as its nearest name or alias; the nearest MAX units are given, by distance,
 * ties in catalog order. Documented in ducha-check(1), E_UNIT_UNKNOWN. */
static enum pl_status suggest(struct suggester *s, const struct pl_catalog *c, const char *name,
                              size_t len, size_t max, struct pl_buf *out)
{
    if (!s->built) {
        enum pl_status st = suggester_build(s, c);
        if (st != PL_OK)
            return st;
    }
    struct pl_buf key;
    pl_buf_init(&key);
    uint32_t *want = NULL;
    size_t *rows = s->rows;
    enum pl_status st = pl_text_match_key(&key, name, len);
    size_t nwant = 0, cap = 0, lwant;
    if (st == PL_OK)
        st = decode_key(&want, &nwant, &cap, key.data, &lwant);
    if (st != PL_OK)
        goto done;
    const size_t far = (size_t)-1;
    /* Best distance per unit over its name and aliases; then the nearest MAX of them. */
    for (size_t u = 0; u < c->nunits; u++)
        s->best[u] = far;
    uint64_t want_bag = bag_of(want, lwant);
    for (size_t i = 0; i < s->nnames; i++) {
        const struct suggest_name *n = &s->names[i];
        const uint32_t *have = s->cps + n->off;
        size_t lhave = n->len;
        size_t k = (lwant > lhave ? lwant : lhave) / 3; /* the edits a near name may take */
        size_t apart = lwant > lhave ? lwant - lhave : lhave - lwant;
        size_t d = far;
        /* Bounds first: nearly every unit of a province is far, and these cost a pass each
         * where the distance costs a band of passes. */
        if (k > 0 && apart <= k && missing_from(want, lwant, n->bag) <= k &&
            missing_from(have, lhave, want_bag) <= k) {
            d = distance_within(want, lwant, have, lhave, k, rows);
            if (d > k)
                d = far;
        }
        if (d == far && short_form_of(want, lwant, have, lhave, n->bag))
            d = apart;
        if (d < s->best[n->unit])
            s->best[n->unit] = d;
    }
    for (size_t shown = 0; shown < max; shown++) {
        size_t pick = far;
        for (size_t u = 0; u < c->nunits; u++)
            if (s->best[u] != far && (pick == far || s->best[u] < s->best[pick]))
                pick = u;
        if (pick == far)
            break;
        if ((shown && pl_buf_append_str(out, "、") != PL_OK) ||
            pl_buf_printf(out, "“%s”", c->units[pick].name) != PL_OK) {
            st = PL_ERR_NOMEM;
            break;
        }
        s->best[pick] = far;
    }
done:
    pl_buf_fini(&key);
    free(want);
    return st;
}

enum pl_status pl_check_suggest_units(const struct pl_catalog *c, const char *name, size_t len,
                                      size_t max, struct pl_buf *out)
{
    struct suggester s = {0};
    enum pl_status st = suggest(&s, c, name, len, max, out);
    suggester_fini(&s);
    return st;
}

/* How the office names a task in a message: 第17项, 民生实事M1-2. */
static void task_label(struct pl_buf *out, const char *id)
{
    pl_buf_clear(out);
    if (id[0] == 'M') {
        pl_buf_append_str(out, "民生实事");
        pl_buf_append_str(out, id);
    } else {
        pl_buf_append_str(out, "第");
        pl_buf_append_str(out, id);
        pl_buf_append_str(out, "项");
    }
}

/* Hosts of TASK that are not collectives, joined for a message. */
static void describe_hosts(const struct pl_catalog *c, const struct pl_task *task,
                           struct pl_buf *out)
{
    for (size_t i = 0; i < task->hosts.n; i++) {
        const struct pl_unit *u = pl_catalog_find_unit(c, task->hosts.v[i]);
        if (out->len)
            pl_buf_append_str(out, "、");
        pl_buf_append_str(out, u ? u->name : task->hosts.v[i]);
    }
}

static bool duplicate_of(struct checker *k, const struct pl_csv_row *row, unsigned long line,
                         unsigned long *first)
{
    size_t slen;
    const char *source = cell(k, row, PL_F_SOURCE, &slen);
    if (!k->seen || !k->seen_used) {
        if (!k->seen)
            k->seen = calloc(SEEN_SLOTS, sizeof *k->seen);
        if (!k->seen_used)
            k->seen_used = malloc(SEEN_LIMIT * sizeof *k->seen_used);
        if (!k->seen || !k->seen_used) {
            k->status = PL_ERR_NOMEM;
            return false;
        }
    }
    if (!k->seen_source || strlen(k->seen_source) != slen ||
        memcmp(k->seen_source, source, slen) != 0 || k->nseen >= SEEN_LIMIT) {
        /* A new file: empty the slots its predecessor filled (a return fills a few dozen;
         * emptying all four megabytes for each of thousands of files cost seconds). */
        for (size_t i = 0; i < k->nseen; i++)
            k->seen[k->seen_used[i]].hash = 0;
        k->nseen = 0;
        free(k->seen_source);
        k->seen_source = strndup(source, slen);
        if (!k->seen_source) {
            k->status = PL_ERR_NOMEM;
            return false;
        }
    }
    /* The cells from the task id on, each followed by \x1F: measured, then copied at once. */
    const char *cs[PL_F_COUNT];
    size_t lens[PL_F_COUNT], total = 0;
    for (int f = PL_F_TASK_ID; f < PL_F_COUNT; f++) {
        cs[f] = cell(k, row, (enum pl_field)f, &lens[f]);
        total += lens[f] + 1;
    }
    pl_buf_clear(&k->key);
    if (pl_buf_reserve(&k->key, total) != PL_OK) {
        k->status = PL_ERR_NOMEM;
        return false;
    }
    char *w = k->key.data;
    for (int f = PL_F_TASK_ID; f < PL_F_COUNT; f++) {
        memcpy(w, cs[f], lens[f]);
        w += lens[f];
        *w++ = '\x1F';
    }
    *w = '\0';
    k->key.len = total;
    uint64_t hash = row_hash(k->key.data, k->key.len) | 1; /* never 0, the empty mark */
    for (size_t i = hash & (SEEN_SLOTS - 1);; i = (i + 1) & (SEEN_SLOTS - 1)) {
        if (k->seen[i].hash == hash) {
            *first = k->seen[i].line;
            return true;
        }
        if (k->seen[i].hash == 0) {
            k->seen[i].hash = hash;
            k->seen[i].line = line;
            k->seen_used[k->nseen++] = (uint32_t)i;
            return false;
        }
    }
}

/* The unit named NAME[0..LEN) (by name or alias), or NULL: remembered per spelling. */
static const struct pl_unit *find_unit(struct checker *k, const char *name, size_t len)
{
    const struct pl_memo_item *m = pl_memo_find(&k->units, name, len);
    if (m)
        return m->value;
    pl_buf_clear(&k->scratch);
    pl_buf_append(&k->scratch, name, len);
    const struct pl_unit *u = pl_catalog_find_unit(k->opt->catalog, k->scratch.data);
    if (!pl_memo_add(&k->units, name, len, u, NULL))
        k->status = PL_ERR_NOMEM;
    return u;
}

/* A status word through the synonyms table, remembered per spelling (the lookup folds the
 * word with NFKC). The memo's value is the status plus one, or the refusal reason stored as
 * its negative. */
static enum pl_status lookup_status(struct checker *k, const char *word, size_t len,
                                    enum pl_work_status *ws, enum pl_field_error *why)
{
    const struct pl_memo_item *m = pl_memo_find(&k->statuses, word, len);
    intptr_t v;
    if (m) {
        v = (intptr_t)m->value;
    } else {
        enum pl_work_status found;
        enum pl_field_error reason;
        if (pl_status_word_lookup(k->opt->statuses, word, len, &found, &reason) == PL_OK)
            v = (intptr_t)found + 1;
        else
            v = -(intptr_t)reason;
        if (!pl_memo_add(&k->statuses, word, len, (const void *)v, NULL))
            k->status = PL_ERR_NOMEM;
    }
    if (v > 0) {
        *ws = (enum pl_work_status)(v - 1);
        return PL_OK;
    }
    *why = (enum pl_field_error)(-v);
    return PL_ERR_DATA;
}

/* The suggestions for an unknown unit name ("" for none): remembered per spelling. */
static const char *suggestions_for(struct checker *k, const char *name, size_t len)
{
    const struct pl_memo_item *m = pl_memo_find(&k->suggestions, name, len);
    if (m)
        return pl_memo_text(&k->suggestions, m);
    struct pl_buf near;
    pl_buf_init(&near);
    if (suggest(&k->suggester, k->opt->catalog, name, len, 3, &near) == PL_ERR_NOMEM)
        k->status = PL_ERR_NOMEM;
    m = pl_memo_add(&k->suggestions, name, len, NULL, near.data);
    pl_buf_fini(&near);
    if (!m) {
        k->status = PL_ERR_NOMEM;
        return "";
    }
    return pl_memo_text(&k->suggestions, m);
}

/* The indicator of TASK named METRIC[0..MLEN) under NFKC, or NULL with *OTHERS listing the
 * task's indicators for the message. Remembered per task and spelling. */
static const struct pl_indicator *find_indicator(struct checker *k, const struct pl_task *task,
                                                 const char *metric, size_t mlen,
                                                 const char **others)
{
    const struct pl_catalog *cat = k->opt->catalog;
    pl_buf_clear(&k->key);
    pl_buf_append_str(&k->key, task->id);
    pl_buf_append(&k->key, "\x1F", 1);
    pl_buf_append(&k->key, metric, mlen);
    const struct pl_memo_item *m = pl_memo_find(&k->metrics, k->key.data, k->key.len);
    if (m) {
        *others = pl_memo_text(&k->metrics, m);
        return m->value;
    }
    struct pl_buf want, have, list;
    pl_buf_init(&want);
    pl_buf_init(&have);
    pl_buf_init(&list);
    pl_text_match_key(&want, metric, mlen);
    const struct pl_indicator *ind = NULL;
    const struct pl_indicator *const *mine;
    size_t nmine;
    if (pl_catalog_task_indicators(cat, task->id, &mine, &nmine) != PL_OK)
        k->status = PL_ERR_NOMEM;
    for (size_t i = 0; i < nmine && !ind; i++) {
        const struct pl_indicator *x = mine[i];
        pl_buf_clear(&have);
        pl_text_match_key(&have, x->metric, strlen(x->metric));
        if (strcmp(want.data, have.data) == 0)
            ind = x;
        else
            pl_buf_printf(&list, "%s“%s”", list.len ? "、" : "", x->metric);
    }
    m = pl_memo_add(&k->metrics, k->key.data, k->key.len, ind, list.data);
    pl_buf_fini(&want);
    pl_buf_fini(&have);
    pl_buf_fini(&list);
    if (!m) {
        k->status = PL_ERR_NOMEM;
        *others = "";
        return NULL;
    }
    *others = pl_memo_text(&k->metrics, m);
    return ind;
}

/* True when ROW is a row of one of TASK's indicators (指标 names one the catalog knows) with a
 * 完成值 written: the form's pre-made indicator rows ask for the value only, so such a row is
 * that indicator's value and its progress may stay empty (ducha-merge takes the task's
 * progress from the task-level row, or derives it). A bad value is the value's problem. */
static bool indicator_value_row(struct checker *k, const struct pl_csv_row *row,
                                const struct pl_task *task)
{
    size_t mlen, vlen;
    const char *metric = cell(k, row, PL_F_METRIC, &mlen);
    const char *value = cell(k, row, PL_F_VALUE, &vlen);
    const char *others;
    return task && mlen && vlen && !pl_text_is_blank(value, vlen) &&
           find_indicator(k, task, metric, mlen, &others) != NULL;
}

/* Checks one data row; fills the normalised values into the checker's buffers and the
 * problems list. Returns the task and unit found (NULL when not). */
static void check_row(struct checker *k, const struct pl_csv_row *row, const struct pl_task **task_out,
                      const struct pl_unit **unit_out, enum pl_work_status *status_out,
                      const char **role_out, bool *late_out)
{
    const struct pl_check_options *opt = k->opt;
    const struct pl_catalog *cat = opt->catalog;
    size_t len;
    const char *s;
    enum pl_field_error why;
    const struct pl_task *task = NULL;
    const struct pl_unit *unit = NULL;
    *role_out = "";
    *late_out = false;
    pl_buf_clear(&k->unit_label);
    pl_buf_clear(&k->prefix);

    s = cell(k, row, PL_F_CYCLE, &len);
    if (len && (strlen(opt->cycle->id) != len || memcmp(s, opt->cycle->id, len) != 0))
        problemf(k, "E_CYCLE_MISMATCH", PL_F_CYCLE, "这一行属于报送周期“%.*s”，而本次核查的是%s（%s）",
                 (int)len, s, opt->cycle->id, opt->cycle->label);

    s = cell(k, row, PL_F_TASK_ID, &len);
    if (pl_field_parse_task_id(s, len, &k->task_id, &why) != PL_OK) {
        field_problem(k, PL_F_TASK_ID, why, s, len);
    } else {
        task_label(&k->unit_label, k->task_id.data);
        pl_buf_append(&k->prefix, k->unit_label.data, k->unit_label.len);
        pl_buf_append_char(&k->prefix, ' ');
        task = pl_catalog_find_task(cat, k->task_id.data);
        /* A return on a task the cycle does not demand (cycles.csv tasks, issue 16: a weekly
         * 专题调度 on three items) is not wrong: a unit that sends its whole form is accepted
         * and told; ducha-merge keeps it as a report nobody asked for (W_NOT_DEMANDED). */
        if (task && !pl_catalog_cycle_has_task(opt->cycle, task))
            add_flag(k, "W_NOT_IN_CYCLE");
        if (!task)
            problemf(k, "E_TASK_UNKNOWN", PL_F_TASK_ID,
                     "任务编号“%.*s”不在本年度的任务目录中（重点工作%s，民生实事%s）：请对照"
                     "责任目标文件核对编号",
                     (int)len, s, k->key_range, k->livelihood_range);
    }

    s = cell(k, row, PL_F_UNIT, &len);
    if (len == 0) {
        problemf(k, "E_UNIT_ABSENT", PL_F_UNIT, "%s承办单位为空：请填写本单位名称",
                 k->prefix.data);
    } else {
        unit = find_unit(k, s, len);
        if (!unit) {
            const char *near = suggestions_for(k, s, len);
            /* Only near names are offered (suggest()); when none is, the message says so
             * rather than offer far ones, and sends the unit to the catalog's list. */
            if (*near)
                problemf(k, "E_UNIT_UNKNOWN", PL_F_UNIT,
                         "单位名称“%.*s”不在单位目录中，目录中相近的名称有%s：请核对后改用目录中的名称",
                         (int)len, s, near);
            else if (task && task->hosts.n >= 1 && task->hosts.n <= 3) {
                /* No name near it, but the task is known: its few hosts are what the unit
                 * most likely is (a name from before a reform: 县招商服务中心 for task 33's
                 * 县投资促进发展中心). A task of many hosts (各镇街) tells nothing. */
                pl_buf_clear(&k->scratch);
                for (size_t h = 0; h < task->hosts.n; h++)
                    if (pl_buf_printf(&k->scratch, "%s“%s”", h ? "、" : "",
                                      task->hosts.v[h]) != PL_OK)
                        k->status = PL_ERR_NOMEM;
                /* No "；" inside: it joins the messages of a row rejected for several. */
                problemf(k, "E_UNIT_UNKNOWN", PL_F_UNIT,
                         "单位名称“%.*s”不在单位目录中，目录中也没有相近的名称，%s的承办单位是%s："
                         "如是本单位，请改用目录中的名称",
                         (int)len, s, k->unit_label.data, k->scratch.data);
            } else
                problemf(k, "E_UNIT_UNKNOWN", PL_F_UNIT,
                         "单位名称“%.*s”不在单位目录中，目录中也没有相近的名称：请对照单位目录"
                         "（units.csv）中的单位名称核对，改填目录中的全称或简称",
                         (int)len, s);
        } else if (unit->kind == PL_UNIT_COLLECTIVE) {
            problemf(k, "E_UNIT_COLLECTIVE", PL_F_UNIT,
                     "“%s”是统称，不是一个单位：请由具体单位各自报送", unit->name);
            unit = NULL;
        }
    }
    if (task && unit) {
        /* A hash lookup: a province's task names thousands of hosts (issue 17). */
        enum pl_task_role role;
        if (pl_catalog_task_role(cat, task, unit->name, &role) != PL_OK)
            k->status = PL_ERR_NOMEM;
        if (role == PL_ROLE_HOST) {
            *role_out = "host";
        } else if (role == PL_ROLE_COHOST) {
            *role_out = "cohost";
        } else {
            struct pl_buf hosts;
            pl_buf_init(&hosts);
            describe_hosts(cat, task, &hosts);
            problemf(k, "E_UNIT_NOT_HOST", PL_F_UNIT,
                     "%s不是%s的承办或协办单位：这一项由%s承办，请核对任务编号", unit->name,
                     k->unit_label.data, hosts.data);
            pl_buf_fini(&hosts);
        }
    }
    bool host = strcmp(*role_out, "host") == 0;

    double progress = 0;
    bool have_progress = false;
    s = cell(k, row, PL_F_PROGRESS, &len);
    pl_buf_clear(&k->progress);
    /* 超额完成 (DESIGN.md Rules): over 100 up to the limit counts as 100, flagged. */
    double limit = opt->over_limit > 0 ? opt->over_limit : PL_PROGRESS_OVER_LIMIT;
    if (pl_field_parse_progress_limit(s, len, opt->progress_flags | PL_PROGRESS_CAP, limit,
                                      &progress, &why) == PL_OK) {
        have_progress = true;
        pl_field_format_number(&k->progress, progress);
        if (why == PL_FERR_PROGRESS_CAPPED)
            add_flag(k, "W_PROGRESS_CAPPED");
    } else if (!pl_field_error_is_absent(why) || (host && !indicator_value_row(k, row, task))) {
        field_problem(k, PL_F_PROGRESS, why, s, len);
    }

    s = cell(k, row, PL_F_STATUS, &len);
    enum pl_work_status ws = PL_WORK_COUNT;
    if (lookup_status(k, s, len, &ws, &why) != PL_OK) {
        if (pl_field_error_is_absent(why)) {
            if (have_progress) {
                ws = pl_work_status_from_progress(progress);
                add_flag(k, pl_field_error_code(PL_FERR_STATUS_ABSENT));
            }
        } else {
            field_problem(k, PL_F_STATUS, why, s, len);
        }
    } else if (have_progress && pl_work_status_contradicts(ws, progress)) {
        add_flag(k, "W_STATUS_CONTRADICTS");
    }
    *status_out = ws;

    size_t mlen;
    const char *metric = cell(k, row, PL_F_METRIC, &mlen);
    const struct pl_indicator *ind = NULL;
    k->indicator = NULL;
    if (mlen && task) {
        const char *others;
        ind = k->indicator = find_indicator(k, task, metric, mlen, &others);
        if (!ind)
            problemf(k, "E_METRIC_UNKNOWN", PL_F_METRIC, "%s没有名为“%.*s”的指标%s%s",
                     k->prefix.data, (int)mlen, metric,
                     *others ? "；这一项的指标是：" : "；这一项没有量化指标，请清空“指标”列",
                     others);
    }
    s = cell(k, row, PL_F_VALUE, &len);
    pl_buf_clear(&k->value);
    if (len && !pl_text_is_blank(s, len)) {
        struct pl_value v;
        if (pl_field_parse_value(s, len, 0, &v, &k->value_unit, &why) != PL_OK) {
            field_problem(k, PL_F_VALUE, why, s, len);
        } else {
            pl_field_format_number(&k->value, v.number);
            if (ind && k->value_unit.len && ind->unit[0] && strcmp(k->value_unit.data, ind->unit) != 0)
                problemf(k, "E_VALUE_UNIT", PL_F_VALUE,
                         "%s完成值“%.*s”的单位是“%s”，而指标“%s”的单位是“%s”",
                         k->prefix.data, (int)len, s, k->value_unit.data, ind->metric,
                         ind->unit);
        }
    }

    s = cell(k, row, PL_F_REPORTED_ON, &len);
    long day;
    pl_buf_clear(&k->date);
    if (pl_date_parse(s, len, &day, &why) != PL_OK) {
        if (!pl_field_error_is_absent(why) || host)
            field_problem(k, PL_F_REPORTED_ON, why, s, len);
    } else {
        pl_date_format_iso(&k->date, day);
        if (day < k->start_day)
            problemf(k, "E_DATE_BEFORE_CYCLE", PL_F_REPORTED_ON,
                     "%s填报日期%s早于%s的开始日期%s：请填写实际填报日期", k->prefix.data,
                     k->date.data, opt->cycle->label, opt->cycle->start);
        else if (day > k->deadline_day + opt->grace_days)
            problemf(k, "E_DATE_TOO_LATE", PL_F_REPORTED_ON,
                     "%s填报日期%s比%s的报送期限%s晚了%ld天，超过%ld天：请核对日期是否填错",
                     k->prefix.data, k->date.data, opt->cycle->label, opt->cycle->deadline,
                     day - k->deadline_day, opt->grace_days);
        else if (day > k->deadline_day)
            *late_out = true;
    }
    *task_out = task;
    *unit_out = unit;
}

static void write_valid(struct checker *k, const struct pl_csv_row *row,
                        const struct pl_task *task, const struct pl_unit *unit,
                        enum pl_work_status ws, const char *role, bool late)
{
    struct pl_csv_writer *w = k->out;
    size_t len;
    const char *s;
    pl_csv_write_str(w, k->opt->cycle->id);
    s = cell(k, row, PL_F_SOURCE, &len);
    pl_csv_write_cell(w, s, len);
    s = cell(k, row, PL_F_LINE, &len);
    pl_csv_write_cell(w, s, len);
    pl_csv_write_str(w, task->id);
    pl_csv_write_str(w, unit->name);
    s = cell(k, row, PL_F_OWNER, &len);
    pl_csv_write_cell(w, s, len);
    s = cell(k, row, PL_F_PHONE, &len);
    pl_csv_write_cell(w, s, len);
    pl_csv_write_str(w, k->progress.data);
    pl_csv_write_str(w, ws < PL_WORK_COUNT ? pl_work_status_word(ws) : "");
    pl_csv_write_str(w, k->value.data);
    const char *metric = k->indicator ? k->indicator->metric : "";
    pl_csv_write_str(w, metric);
    for (int f = PL_F_NARRATIVE; f <= PL_F_NEXT_STEPS; f++) {
        s = cell(k, row, (enum pl_field)f, &len);
        pl_csv_write_cell(w, s, len);
    }
    pl_csv_write_str(w, k->date.data);
    pl_csv_write_str(w, role);
    pl_csv_write_str(w, late ? "1" : "0");
    pl_csv_write_str(w, k->flags.data);
    pl_csv_end_row(w);
}

/* The rejects file's header, ASCII name → Chinese (the return form's own words). */
static const char *const reject_headers[][2] = {
    {"cycle", "周期"},         {"source", "来源文件"},    {"line", "行"},
    {"task_id", "任务编号"},   {"unit", "承办单位"},      {"owner", "责任人"},
    {"phone", "联系电话"},     {"progress", "完成进度"},  {"status", "状态"},
    {"value", "完成值"},       {"metric", "指标"},        {"narrative", "进展情况"},
    {"problems", "存在问题"},  {"next_steps", "下步措施"}, {"reported_on", "填报日期"},
    {"sheet", "工作表"},       {"columns", "单元格位置"},  {"extra", "多余内容"},
    {"code", "问题代码"},      {"column", "问题所在列"},   {"error", "问题说明"},
};

const char *pl_check_reject_header(const char *ascii)
{
    for (size_t i = 0; i < sizeof reject_headers / sizeof reject_headers[0]; i++)
        if (strcmp(ascii, reject_headers[i][0]) == 0)
            return reject_headers[i][1];
    return NULL;
}

const char *pl_check_reject_column(const char *header)
{
    if (strncmp(header, "\xEF\xBB\xBF", 3) == 0)
        header += 3;
    for (size_t i = 0; i < sizeof reject_headers / sizeof reject_headers[0]; i++)
        if (strcmp(header, reject_headers[i][0]) == 0 || strcmp(header, reject_headers[i][1]) == 0)
            return reject_headers[i][0];
    return NULL;
}

static void write_rejected(struct checker *k, const struct pl_csv_row *row)
{
    struct pl_csv_writer *w = k->rejects;
    if (!w)
        return;
    for (size_t i = 0; i < k->ncols; i++) {
        if (i < row->count)
            pl_csv_write_cell(w, row->cells[i], row->lens[i]);
        else
            pl_csv_write_str(w, "");
    }
    struct pl_buf codes, columns, errors;
    pl_buf_init(&codes);
    pl_buf_init(&columns);
    pl_buf_init(&errors);
    for (size_t i = 0; i < k->nproblems; i++) {
        pl_buf_printf(&codes, "%s%s", i ? "|" : "", k->problems[i].code);
        pl_buf_printf(&columns, "%s%s", i ? "|" : "", pl_field_name(k->problems[i].field));
        pl_buf_printf(&errors, "%s%s", i ? "；" : "", k->problems[i].message);
    }
    pl_csv_write_str(w, codes.data);
    pl_csv_write_str(w, columns.data);
    pl_csv_write_str(w, errors.data);
    pl_csv_end_row(w);
    pl_buf_fini(&codes);
    pl_buf_fini(&columns);
    pl_buf_fini(&errors);
}

static void report(struct checker *k, const struct pl_csv_row *row, const char *code,
                   enum pl_field field, const char *message)
{
    size_t slen, llen;
    const char *source = cell(k, row, PL_F_SOURCE, &slen);
    const char *line = cell(k, row, PL_F_LINE, &llen); /* digits, then NUL */
    char *src = strndup(source, slen);
    if (!src) {
        k->status = PL_ERR_NOMEM;
        return;
    }
    pl_diag_report(k->diag, src, strtoul(line, NULL, 10), source_column(k, row, field), code,
                   "%s", message);
    free(src);
}

/* The catalog's id ranges, for the message on an unknown task: 第1–81项, M1–M10. */
static void describe_ranges(const struct pl_catalog *c, struct checker *k)
{
    long key_max = 0, project_max = 0;
    for (size_t i = 0; i < c->ntasks; i++) {
        const char *id = c->tasks[i].id;
        long n = strtol(id[0] == 'M' ? id + 1 : id, NULL, 10);
        long *max = id[0] == 'M' ? &project_max : &key_max;
        if (n > *max)
            *max = n;
    }
    snprintf(k->key_range, sizeof k->key_range, key_max ? "为第1–%ld项" : "没有", key_max);
    snprintf(k->livelihood_range, sizeof k->livelihood_range,
             project_max ? "为M1–M%ld" : "没有", project_max);
}

static enum pl_status on_header(struct checker *k, const struct pl_csv_row *row)
{
    for (int f = 0; f < PL_F_COUNT; f++)
        k->col[f] = -1;
    k->columns_col = -1;
    k->sheet_col = -1;
    k->ncols = row->count;
    for (size_t i = 0; i < row->count; i++) {
        const char *name = row->cells[i];
        size_t len = row->lens[i];
        if (i == 0 && len >= 3 && memcmp(name, "\xEF\xBB\xBF", 3) == 0) {
            name += 3;
            len -= 3;
        }
        enum pl_field f = pl_field_by_name(name, len);
        if (f != PL_F_COUNT && k->col[f] < 0)
            k->col[f] = (int)i;
        else if (len == 7 && memcmp(name, "columns", 7) == 0)
            k->columns_col = (int)i;
        else if (len == 5 && memcmp(name, "sheet", 5) == 0)
            k->sheet_col = (int)i;
    }
    struct pl_buf missing;
    pl_buf_init(&missing);
    for (int f = 0; f < PL_F_COUNT; f++)
        if (k->col[f] < 0)
            pl_buf_printf(&missing, "%s%s", missing.len ? "," : "", pl_field_name((enum pl_field)f));
    if (missing.len) {
        pl_diag_report(k->diag, k->in_name, row->line, 0, "E_NOT_RECORDS",
                       "输入不是ducha-read的记录流：缺少列 %s（应先用ducha-read读取报表）",
                       missing.data);
        pl_buf_fini(&missing);
        return PL_ERR_DATA;
    }
    pl_buf_fini(&missing);
    pl_csv_write_row(k->out, pl_check_valid_columns, pl_check_valid_count);
    if (k->rejects) {
        for (size_t i = 0; i < row->count; i++) {
            const char *name = row->cells[i];
            size_t len = row->lens[i];
            if (i == 0 && len >= 3 && memcmp(name, "\xEF\xBB\xBF", 3) == 0) {
                name += 3;
                len -= 3;
            }
            char *ascii = strndup(name, len);
            if (!ascii)
                return PL_ERR_NOMEM;
            const char *zh = pl_check_reject_header(ascii);
            if (zh)
                pl_csv_write_str(k->rejects, zh);
            else
                pl_csv_write_cell(k->rejects, name, len);
            free(ascii);
        }
        pl_csv_write_row(k->rejects, (const char *const[]){"问题代码", "问题所在列", "问题说明"}, 3);
    }
    k->have_header = true;
    return PL_OK;
}

static enum pl_status on_row(void *ctx, const struct pl_csv_row *row)
{
    struct checker *k = ctx;
    if (!k->have_header)
        return on_header(k, row);
    if (row->problem != PL_CSV_ROW_OK) {
        pl_diag_report(k->diag, k->in_name, row->line, row->problem_column, "E_NOT_RECORDS",
                       "记录流第%lu行已损坏（%s）", row->line,
                       row->problem == PL_CSV_ROW_UNTERMINATED ? "引号没有闭合" : "不是UTF-8");
        return PL_ERR_DATA;
    }
    k->stats->rows++;
    k->nproblems = 0;
    pl_buf_clear(&k->flags);
    const struct pl_task *task;
    const struct pl_unit *unit;
    enum pl_work_status ws;
    const char *role;
    bool late;
    k->cur = row;
    check_row(k, row, &task, &unit, &ws, &role, &late);
    size_t llen;
    const char *line = cell(k, row, PL_F_LINE, &llen);
    unsigned long first;
    if (k->nproblems == 0 && duplicate_of(k, row, strtoul(line, NULL, 10), &first))
        problemf(k, "E_DUPLICATE_ROW", PL_F_TASK_ID,
                 "%s这一行与同一文件第%lu行完全相同，重复的一行不计入", k->prefix.data, first);
    if (k->status != PL_OK)
        return k->status;
    for (size_t i = 0; i < k->nproblems; i++)
        report(k, row, k->problems[i].code, k->problems[i].field, k->problems[i].message);
    if (k->nproblems) {
        k->stats->rejected++;
        write_rejected(k, row);
    } else {
        k->stats->valid++;
        k->stats->late += late;
        k->stats->cohost += strcmp(role, "cohost") == 0;
        if (k->flags.len)
            k->stats->warnings++;
        write_valid(k, row, task, unit, ws, role, late);
    }
    for (size_t i = 0; i < k->nproblems; i++)
        free(k->problems[i].message);
    k->nproblems = 0;
    k->cur = NULL;
    if (pl_csv_writer_status(k->out) != PL_OK ||
        (k->rejects && pl_csv_writer_status(k->rejects) != PL_OK))
        return PL_ERR_IO;
    return k->status;
}

enum pl_status pl_check_stream(FILE *in, const char *in_name, struct pl_csv_writer *out,
                               struct pl_csv_writer *rejects,
                               const struct pl_check_options *opt, struct pl_diag *diag,
                               struct pl_check_stats *stats)
{
    memset(stats, 0, sizeof *stats);
    struct checker k = {
        .opt = opt, .out = out, .rejects = rejects, .diag = diag, .stats = stats,
        .in_name = in_name, .status = PL_OK,
    };
    struct pl_buf *bufs[] = {&k.flags, &k.task_id, &k.unit_label, &k.prefix, &k.value_unit, &k.scratch,
                             &k.key, &k.progress, &k.value, &k.date, &k.cell};
    for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++)
        pl_buf_init(bufs[i]);
    size_t names = opt->catalog->nunits;
    for (size_t i = 0; i < opt->catalog->nunits; i++)
        names += opt->catalog->units[i].aliases.n;
    pl_memo_init(&k.units, MEMO_LIMIT + 2 * names);
    pl_memo_init(&k.suggestions, MEMO_LIMIT);
    pl_memo_init(&k.metrics, MEMO_LIMIT);
    pl_memo_init(&k.statuses, MEMO_LIMIT);
    describe_ranges(opt->catalog, &k);
    enum pl_field_error why;
    if (pl_date_parse(opt->cycle->start, strlen(opt->cycle->start), &k.start_day, &why) != PL_OK ||
        pl_date_parse(opt->cycle->deadline, strlen(opt->cycle->deadline), &k.deadline_day,
                      &why) != PL_OK) {
        pl_diag_report(diag, "cycles.csv", 0, 0, "E_CYCLE_DATES",
                       "报送周期%s的开始日期或报送期限不是日期", opt->cycle->id);
        return PL_ERR_CONFIG;
    }
    enum pl_status st = pl_csv_read_stream(in, ',', on_row, &k);
    if (st == PL_OK && !k.have_header) {
        pl_diag_report(diag, in_name, 0, 0, "E_NOT_RECORDS", "输入是空的，没有记录流的表头");
        st = PL_ERR_DATA;
    }
    for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++)
        pl_buf_fini(bufs[i]);
    free(k.seen);
    free(k.seen_used);
    free(k.seen_source);
    pl_memo_fini(&k.units);
    pl_memo_fini(&k.suggestions);
    pl_memo_fini(&k.metrics);
    pl_memo_fini(&k.statuses);
    suggester_fini(&k.suggester);
    for (size_t i = 0; i < k.nproblems; i++)
        free(k.problems[i].message);
    return st;
}
