/* circular — a circular's data from the rated and ranks streams and the catalog. */
#include "circular.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "date.h"
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

static const char *const rated_columns[] = {"task_id", "unit",    "group",  "progress", "status",
                                            "late",    "missing", "colour", "reason",   "arrow"};
static const char *const ranks_columns[] = {"unit",    "group", "tasks", "blue", "yellow", "red",
                                            "missing", "late",  "score", "rank", "move"};

/* Column indexes of the rated stream. */
struct rcol {
    int task, unit, group, progress, status, late, missing, colour, reason, arrow;
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
    struct pl_buf title;    /* task_title()'s result */
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
    const char *aliases = cell(units, find_row(units, "name", name), "aliases");
    const char *best = name;
    size_t best_len = strlen(name), best_chars = utf8_chars(name, best_len);
    uint32_t first = 0;
    pl_utf8_decode(name, best_len, &first);
    for (const char *p = aliases; *p;) {
        const char *e = strchr(p, '|');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        uint32_t f = 0;
        size_t chars = utf8_chars(p, n);
        if (n && pl_utf8_decode(p, n, &f) && f == first && chars < best_chars && chars >= 3) {
            best = p;
            best_len = n;
            best_chars = chars;
        }
        p = e ? e + 1 : p + n;
    }
    return pl_buf_append(out, best, best_len);
}

/* The short name as a NUL-terminated copy in B. */
static const char *short_name(struct ctx *x, struct pl_buf *b, const char *name)
{
    pl_buf_clear(b);
    pl_circular_short_name(x->in->units, name, b);
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

/* Task T's title; when the catalog has none, its text up to the first 。 or ； (at most 40
 * characters, then …). Valid until the next call. */
static const char *task_title(struct ctx *x, long t)
{
    const char *title = cell(x->in->tasks, t, "title");
    if (*title || t < 0)
        return title;
    const char *text = cell(x->in->tasks, t, "text");
    pl_buf_clear(&x->title);
    size_t chars = 0;
    for (const char *p = text; *p && chars < 40; chars++) {
        uint32_t cp;
        size_t n = pl_utf8_decode(p, strlen(p), &cp);
        if (!n || cp == 0x3002 || cp == 0xFF1B)
            break;
        pl_buf_append(&x->title, p, n);
        p += n;
        if (chars == 39 && *p)
            pl_buf_append_str(&x->title, "…");
    }
    return x->title.data ? x->title.data : "";
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
    long r = find_row(x->in->units, "name", unit);
    return r >= 0 && list_has(x, cell(x->in->units, r, "aliases"), want);
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
        if (!list_has(x, cell(in->tasks, t, "leaders"), in->leader))
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

static enum pl_status set_facts(struct ctx *x, struct pl_tpl_data *d, long long *when)
{
    const struct pl_circular_input *in = x->in;
    enum pl_status st = PL_OK;
    static const struct {
        const char *key, *name;
    } facts[] = {{"number", "basis_number"},
                 {"title", "basis_title"},
                 {"issuer", "basis_issuer"},
                 {"county", "county"},
                 {"office", "office"},
                 {"addressees", "addressees"},
                 {"cc", "cc"}};
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
    const char *cycle = in->cycle ? in->cycle : cell(in->cycles, c, "id");
    CK(pl_tpl_set(d, "cycle", cycle));
    CK(pl_tpl_set(d, "cycle_label", cell(in->cycles, c, "label")));
    CK(pl_tpl_set(d, "expected", cell(in->cycles, c, "expected")));
    long start, deadline, day = 0;
    bool have_deadline = parse_day(cell(in->cycles, c, "deadline"), &deadline);
    if (parse_day(cell(in->cycles, c, "start"), &start)) {
        int y, m, dd;
        pl_date_to_civil(start, &y, &m, &dd);
        CK(pl_tpl_setf(d, "year", "%d", y));
    } else if (parse_day(doc_fact(in, "date"), &start)) {
        int y, m, dd;
        pl_date_to_civil(start, &y, &m, &dd);
        CK(pl_tpl_setf(d, "year", "%d", y));
    }
    if (have_deadline)
        CK(set_date(d, "deadline", deadline));
    /* The circular's date: --date, else SOURCE_DATE_EPOCH, else the cycle's deadline. */
    if (in->date) {
        if (!parse_day(in->date, &day)) {
            pl_diag_report(x->diag, NULL, 0, 0, "E_BAD_OPTION", "日期“%s”读不懂（写成 2023-07-10）",
                           in->date);
            return PL_ERR_USAGE;
        }
        *when = (long long)day * 86400;
    } else if (in->epoch >= 0) {
        day = (long)(in->epoch / 86400);
        *when = in->epoch;
    } else if (have_deadline) {
        day = deadline;
        *when = (long long)day * 86400;
    } else {
        *when = 0;
    }
    if (*when)
        CK(set_date(d, "date", day));
    else
        CK(pl_tpl_set(d, "date", ""));
    CK(pl_tpl_set(d, "title", in->title ? in->title : ""));
    CK(pl_tpl_set(d, "number", in->number ? in->number : ""));
    /* A number such as 第5期 is an issue of a serial (督查通报 第5期), not a 发文字号. */
    const char *num = in->number ? in->number : "";
    size_t nl = strlen(num);
    bool serial = nl > 6 && strncmp(num, "第", 3) == 0 && strcmp(num + nl - 3, "期") == 0;
    CK(pl_tpl_set(d, "serial", serial ? "1" : "0"));
fail:
    return st;
}

static enum pl_status set_subset(struct ctx *x, struct pl_tpl_data *d)
{
    const struct pl_circular_input *in = x->in;
    struct pl_buf b;
    pl_buf_init(&b);
    enum pl_status st = PL_OK;
    if (in->tasks_list) {
        pl_buf_append_str(&b, "第");
        bool first = true;
        for (const char *p = in->tasks_list; *p;) {
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
            if (!first)
                pl_buf_append_str(&b, "、");
            pl_buf_append(&b, p, (size_t)(e - p));
            first = false;
            p = e;
        }
        pl_buf_append_str(&b, "项");
        if (in->leader || in->unit || in->colour)
            pl_buf_append_str(&b, "中");
    }
    if (in->leader)
        pl_buf_printf(&b, "%s同志牵头的", in->leader);
    if (in->unit)
        pl_buf_printf(&b, "%s承办的", in->unit);
    /* The subset without its colours, for a template that names the colour itself (the
     * 督查专报 is about red tasks: "朱亚峰同志牵头的任务中红色任务", not "红色任务中红色任务"). */
    struct pl_buf scope;
    pl_buf_init(&scope);
    if (in->leader || in->unit) {
        pl_buf_printf(&scope, "%s任务", b.data);
    } else if (in->tasks_list) {
        size_t n = b.len; /* 第5、10项, without the 中 that a colour would follow */
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
    if (b.len)
        pl_buf_append_str(&b, "任务");
    CK(b.data ? PL_OK : PL_ERR_NOMEM);
    CK(pl_tpl_set(d, "subset", b.data));
fail:
    pl_buf_fini(&b);
    return st;
}

struct counts {
    size_t rows, reported, done, on_track, behind, not_started, missing, late;
    size_t colour[3];
    size_t tasks, units;
};

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

static enum pl_status set_counts(struct ctx *x, struct pl_tpl_data *d)
{
    const struct pl_table *rt = x->in->rated;
    struct counts n = {0};
    for (size_t i = 0; i < x->nsel; i++) {
        size_t r = x->order[i];
        const char *status = pl_table_get(rt, r, x->c.status);
        bool missing = strcmp(pl_table_get(rt, r, x->c.missing), "1") == 0;
        n.rows++;
        n.missing += missing;
        n.reported += !missing;
        n.late += strcmp(pl_table_get(rt, r, x->c.late), "1") == 0;
        if (!missing) {
            if (strcmp(status, "已完成") == 0)
                n.done++;
            else if (strcmp(status, "滞后") == 0)
                n.behind++;
            else if (strcmp(status, "未启动") == 0)
                n.not_started++;
            else
                n.on_track++;
        }
        int c = row_colour(x, r);
        if (c >= 0)
            n.colour[c]++;
        /* Rows are ordered by task: a task starts where the id changes. */
        n.tasks += i == 0 || strcmp(pl_table_get(rt, x->order[i - 1], x->c.task),
                                    pl_table_get(rt, r, x->c.task)) != 0;
    }
    n.units = distinct_units(x);
    enum pl_status st = PL_OK;
    CK(pl_tpl_setf(d, "tasks", "%zu", n.tasks));
    CK(pl_tpl_setf(d, "rows", "%zu", n.rows));
    CK(pl_tpl_setf(d, "units", "%zu", n.units));
    CK(set_count(d, "reported", n.reported, n.rows));
    CK(set_count(d, "done", n.done, n.rows));
    CK(set_count(d, "on_track", n.on_track, n.rows));
    CK(set_count(d, "behind", n.behind, n.rows));
    CK(set_count(d, "not_started", n.not_started, n.rows));
    CK(set_count(d, "missing", n.missing, n.rows));
    CK(set_count(d, "late", n.late, n.rows));
    for (int c = 0; c < 3; c++)
        CK(set_count(d, colour_names[c], n.colour[c], n.rows));
    /* The same, as lists without the empty categories, for sentences that name only what
     * there is (no 尚未启动0项). The names are the status words and colours. */
    struct pl_tpl_list *by_status = pl_tpl_list(d, "by_status", "name,count,share");
    struct pl_tpl_list *by_colour = pl_tpl_list(d, "by_colour", "name,word,count,share");
    CKP(by_status && by_colour);
    const struct {
        const char *name;
        size_t count;
    } statuses[] = {{"已完成", n.done},
                    {"序时推进", n.on_track},
                    {"进展滞后", n.behind},
                    {"尚未启动", n.not_started},
                    {"未报送", n.missing}};
    for (size_t k = 0; k < sizeof statuses / sizeof statuses[0]; k++) {
        if (!statuses[k].count)
            continue;
        struct pl_tpl_data *it = pl_tpl_item(by_status);
        CKP(it);
        CK(pl_tpl_set(it, "name", statuses[k].name));
        CK(pl_tpl_setf(it, "count", "%zu", statuses[k].count));
        CK(pl_tpl_setf(it, "share", "%.1f%%", 100.0 * (double)statuses[k].count / (double)n.rows));
    }
    static const char *const colour_full[3] = {"蓝色", "黄色", "红色"};
    for (int c = 0; c < 3; c++) {
        if (!n.colour[c])
            continue;
        struct pl_tpl_data *it = pl_tpl_item(by_colour);
        CKP(it);
        CK(pl_tpl_set(it, "name", colour_full[c]));
        CK(pl_tpl_set(it, "word", colour_words[c]));
        CK(pl_tpl_setf(it, "count", "%zu", n.colour[c]));
        CK(pl_tpl_setf(it, "share", "%.1f%%", 100.0 * (double)n.colour[c] / (double)n.rows));
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

static enum pl_status set_rows(struct ctx *x, struct pl_tpl_data *d)
{
    const struct pl_circular_input *in = x->in;
    const struct pl_table *rt = in->rated;
    enum pl_status st = PL_OK;
    struct pl_buf sn;
    pl_buf_init(&sn);
    struct pl_tpl_list *rows =
        pl_tpl_list(d, "overview",
                    "no,id,title,leaders,host,host_full,group,progress,status,colour,"
                    "colour_word,colour_tag,arrow,reason,late,missing");
    struct pl_tpl_list *red = pl_tpl_list(d, "red_rows",
                                          "id,title,leaders,unit,unit_full,progress,"
                                          "status,reason");
    CKP(rows && red);
    for (size_t i = 0; i < x->nsel; i++) {
        size_t r = x->order[i];
        const char *task = pl_table_get(rt, r, x->c.task);
        const char *unit = pl_table_get(rt, r, x->c.unit);
        long t = x->task_of[r];
        const char *title = t >= 0 ? task_title(x, t) : "";
        if (t < 0)
            pl_diag_report(x->diag, rt->source, rt->lines[r], 0, "W_UNKNOWN_TASK",
                           "任务%s不在目录 tasks.csv 里：表中只写编号", task);
        else
            check_text(x, title, in->tasks->source, in->tasks->lines[t], task, "title");
        check_text(x, unit, rt->source, rt->lines[r], task, "unit");
        const char *reason = pl_table_get(rt, r, x->c.reason);
        check_text(x, reason, rt->source, rt->lines[r], task, "reason");
        int c = row_colour(x, r);
        const char *progress = pl_table_get(rt, r, x->c.progress);
        bool missing = strcmp(pl_table_get(rt, r, x->c.missing), "1") == 0;
        const char *leaders = cell(in->tasks, t, "leaders");
        pl_buf_clear(&x->scratch);
        for (const char *p = leaders; *p; p++)
            pl_buf_append_str(&x->scratch, *p == '|' ? "、" : (char[]){*p, 0});
        struct pl_tpl_data *it = pl_tpl_item(rows);
        CKP(it);
        CK(pl_tpl_setf(it, "no", "%zu", i + 1));
        CK(pl_tpl_set(it, "id", task));
        CK(pl_tpl_set(it, "title", title));
        CK(pl_tpl_set(it, "leaders", x->scratch.data));
        CK(pl_tpl_set(it, "host", short_name(x, &sn, unit)));
        CK(pl_tpl_set(it, "host_full", unit));
        CK(pl_tpl_set(it, "group", pl_table_get(rt, r, x->c.group)));
        if (missing || !*progress)
            CK(pl_tpl_set(it, "progress", "—"));
        else
            CK(pl_tpl_setf(it, "progress", "%s%%", progress));
        CK(pl_tpl_set(it, "status", pl_table_get(rt, r, x->c.status)));
        CK(pl_tpl_set(it, "colour", c >= 0 ? colour_names[c] : ""));
        CK(pl_tpl_set(it, "colour_word", c >= 0 ? colour_words[c] : ""));
        CK(pl_tpl_setf(it, "colour_tag", c >= 0 ? "{%s}" : "%s", c >= 0 ? colour_names[c] : ""));
        CK(pl_tpl_set(it, "arrow", arrow_sign(pl_table_get(rt, r, x->c.arrow))));
        CK(pl_tpl_set(it, "reason", reason));
        CK(pl_tpl_set(it, "late", pl_table_get(rt, r, x->c.late)));
        CK(pl_tpl_set(it, "missing", missing ? "1" : "0"));
        if (c == 2) {
            struct pl_tpl_data *rr = pl_tpl_item(red);
            CKP(rr);
            CK(pl_tpl_set(rr, "id", task));
            CK(pl_tpl_set(rr, "title", inner_quotes(&x->key2, title)));
            CK(pl_tpl_set(rr, "leaders", x->scratch.data));
            CK(pl_tpl_set(rr, "unit", sn.data));
            CK(pl_tpl_set(rr, "unit_full", unit));
            CK(pl_tpl_set(rr, "progress", missing || !*progress ? "—" : progress));
            CK(pl_tpl_set(rr, "status", pl_table_get(rt, r, x->c.status)));
            CK(pl_tpl_set(rr, "reason", reason));
        }
    }
fail:
    pl_buf_fini(&sn);
    return st;
}

/* Tasks with at least one row of colour C (or, C = -1, done rows), each with its hosts. */
static enum pl_status set_task_list(struct ctx *x, struct pl_tpl_data *d, const char *name,
                                    int colour)
{
    const struct pl_table *rt = x->in->rated;
    enum pl_status st = PL_OK;
    struct pl_buf hosts, reasons, sn;
    pl_buf_init(&hosts);
    pl_buf_init(&reasons);
    pl_buf_init(&sn);
    struct pl_tpl_list *l = pl_tpl_list(d, name, "no,id,title,leaders,hosts,reasons");
    CKP(l);
    size_t no = 0;
    for (size_t i = 0; i < x->nsel; i++) {
        size_t r = x->order[i];
        const char *task = pl_table_get(rt, r, x->c.task);
        bool match_i = colour >= 0 ? row_colour(x, r) == colour
                                   : strcmp(pl_table_get(rt, r, x->c.status), "已完成") == 0;
        if (!match_i)
            continue;
        /* Only at the task's first matching row: rows are ordered by task. */
        bool earlier = false;
        for (size_t k = i; k-- > 0 && !earlier;) {
            size_t q = x->order[k];
            if (strcmp(pl_table_get(rt, q, x->c.task), task) != 0)
                break;
            earlier = colour >= 0 ? row_colour(x, q) == colour
                                  : strcmp(pl_table_get(rt, q, x->c.status), "已完成") == 0;
        }
        if (earlier)
            continue;
        pl_buf_clear(&hosts);
        pl_buf_clear(&reasons);
        for (size_t k = i; k < x->nsel; k++) {
            size_t q = x->order[k];
            if (strcmp(pl_table_get(rt, q, x->c.task), task) != 0)
                break;
            bool mk = colour >= 0 ? row_colour(x, q) == colour
                                  : strcmp(pl_table_get(rt, q, x->c.status), "已完成") == 0;
            if (!mk)
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
        CKP(hosts.data && reasons.data);
        long t = x->task_of[r];
        pl_buf_clear(&x->scratch);
        for (const char *p = cell(x->in->tasks, t, "leaders"); *p; p++)
            pl_buf_append_str(&x->scratch, *p == '|' ? "、" : (char[]){*p, 0});
        struct pl_tpl_data *it = pl_tpl_item(l);
        CKP(it);
        CK(pl_tpl_setf(it, "no", "%zu", ++no));
        CK(pl_tpl_set(it, "id", task));
        CK(pl_tpl_set(it, "title", inner_quotes(&x->key2, task_title(x, t))));
        CK(pl_tpl_set(it, "leaders", x->scratch.data));
        CK(pl_tpl_set(it, "hosts", hosts.data));
        CK(pl_tpl_set(it, "reasons", reasons.data));
    }
    char count_name[64], listed_name[64];
    snprintf(count_name, sizeof count_name, "%s_count", name);
    snprintf(listed_name, sizeof listed_name, "%s_listed", name);
    CK(pl_tpl_setf(d, count_name, "%zu", no));
    /* Whether naming them all reads well: at a year's end most tasks are done. */
    CK(pl_tpl_set(d, listed_name, no >= 1 && no <= 10 ? "1" : "0"));
fail:
    pl_buf_fini(&hosts);
    pl_buf_fini(&reasons);
    pl_buf_fini(&sn);
    return st;
}

/* Units whose rows are late (WHICH = late) or missing, with how many and which tasks. */
static enum pl_status set_unit_list(struct ctx *x, struct pl_tpl_data *d, const char *name, int col)
{
    const struct pl_table *rt = x->in->rated;
    enum pl_status st = PL_OK;
    struct pl_buf ids, sn;
    pl_buf_init(&ids);
    pl_buf_init(&sn);
    struct pl_tpl_list *l = pl_tpl_list(d, name, "name,name_full,count,tasks");
    CKP(l);
    for (size_t i = 0; i < x->nsel; i++) {
        size_t r = x->order[i];
        if (strcmp(pl_table_get(rt, r, col), "1") != 0)
            continue;
        const char *unit = pl_table_get(rt, r, x->c.unit);
        bool earlier = false;
        for (size_t k = 0; k < i && !earlier; k++)
            earlier = strcmp(pl_table_get(rt, x->order[k], col), "1") == 0 &&
                      strcmp(pl_table_get(rt, x->order[k], x->c.unit), unit) == 0;
        if (earlier)
            continue;
        size_t count = 0;
        pl_buf_clear(&ids);
        for (size_t k = i; k < x->nsel; k++) {
            size_t q = x->order[k];
            if (strcmp(pl_table_get(rt, q, col), "1") != 0 ||
                strcmp(pl_table_get(rt, q, x->c.unit), unit) != 0)
                continue;
            if (count++)
                pl_buf_append_str(&ids, "、");
            pl_buf_append_str(&ids, pl_table_get(rt, q, x->c.task));
        }
        CKP(ids.data);
        struct pl_tpl_data *it = pl_tpl_item(l);
        CKP(it);
        CK(pl_tpl_set(it, "name", short_name(x, &sn, unit)));
        CK(pl_tpl_set(it, "name_full", unit));
        CK(pl_tpl_setf(it, "count", "%zu", count));
        CK(pl_tpl_set(it, "tasks", ids.data));
    }
    char count_name[64];
    snprintf(count_name, sizeof count_name, "%s_count", name);
    CK(pl_tpl_setf(d, count_name, "%zu", pl_tpl_count(l)));
fail:
    pl_buf_fini(&ids);
    pl_buf_fini(&sn);
    return st;
}

static bool unit_in_subset(struct ctx *x, const char *unit)
{
    for (size_t i = 0; i < x->nsel; i++)
        if (strcmp(pl_table_get(x->in->rated, x->order[i], x->c.unit), unit) == 0)
            return true;
    return false;
}

/* The ranking groups in the order the ranks stream first names them, each with its units by
 * rank and its best (rank 1) units. */
static enum pl_status set_ranks(struct ctx *x, struct pl_tpl_data *d)
{
    const struct pl_table *rk = x->in->ranks;
    enum pl_status st = PL_OK;
    struct pl_buf best, best_scores, sn;
    pl_buf_init(&best);
    pl_buf_init(&best_scores);
    pl_buf_init(&sn);
    static const char unit_fields[] = "rank,unit,unit_full,tasks,blue,yellow,red,missing,late,"
                                      "score,move";
    struct pl_tpl_list *groups =
        pl_tpl_list(d, "groups", "group,count,best,best_scores,best_tied,best_count,best_some");
    CKP(groups);
    CKP(pl_tpl_list(pl_tpl_proto(groups), "units", unit_fields));
    int cg = pl_table_column(rk, "group"), cu = pl_table_column(rk, "unit");
    int crank = pl_table_column(rk, "rank");
    for (size_t r = 0; r < rk->nrows; r++) {
        const char *group = pl_table_get(rk, r, cg);
        bool earlier = false;
        for (size_t k = 0; k < r && !earlier; k++)
            earlier = strcmp(pl_table_get(rk, k, cg), group) == 0;
        if (earlier)
            continue;
        /* A group none of whose units is in the subset is left out. */
        bool any = false;
        for (size_t k = r; k < rk->nrows && !any; k++)
            any = strcmp(pl_table_get(rk, k, cg), group) == 0 &&
                  unit_in_subset(x, pl_table_get(rk, k, cu));
        if (!any)
            continue;
        struct pl_tpl_data *g = pl_tpl_item(groups);
        CKP(g);
        struct pl_tpl_list *units = pl_tpl_list(g, "units", unit_fields);
        CKP(units);
        pl_buf_clear(&best);
        pl_buf_clear(&best_scores);
        /* Units of the group by rank (the stream's order within a rank). */
        size_t count = 0, nbest = 0;
        for (long want = 1; want < 100000 && count < rk->nrows; want++) {
            bool any_left = false;
            for (size_t k = r; k < rk->nrows; k++) {
                if (strcmp(pl_table_get(rk, k, cg), group) != 0)
                    continue;
                long rank = strtol(pl_table_get(rk, k, crank), NULL, 10);
                if (rank > want)
                    any_left = true;
                if (rank != want)
                    continue;
                const char *unit = pl_table_get(rk, k, cu);
                if (!unit_in_subset(x, unit))
                    continue;
                count++;
                check_text(x, unit, rk->source, rk->lines[k], "排名", "unit");
                struct pl_tpl_data *u = pl_tpl_item(units);
                CKP(u);
                static const char *const copy[] = {"rank",    "tasks", "blue",  "yellow", "red",
                                                   "missing", "late",  "score", "move"};
                for (size_t f = 0; f < sizeof copy / sizeof copy[0]; f++)
                    CK(pl_tpl_set(u, copy[f], pl_table_get(rk, k, pl_table_column(rk, copy[f]))));
                CK(pl_tpl_set(u, "unit", short_name(x, &sn, unit)));
                CK(pl_tpl_set(u, "unit_full", unit));
                if (want == 1) {
                    nbest++;
                    if (best.len)
                        pl_buf_append_str(&best, "、");
                    if (best_scores.len)
                        pl_buf_append_str(&best_scores, "、");
                    pl_buf_append_str(&best, sn.data);
                    pl_buf_printf(&best_scores, "%s（%s分）", sn.data,
                                  pl_table_get(rk, k, pl_table_column(rk, "score")));
                }
            }
            if (!any_left)
                break;
        }
        CKP(best.data && best_scores.data);
        CK(pl_tpl_set(g, "group", group));
        CK(pl_tpl_setf(g, "count", "%zu", count));
        CK(pl_tpl_set(g, "best", best.data));
        CK(pl_tpl_set(g, "best_scores", best_scores.data));
        CK(pl_tpl_set(g, "best_tied", nbest > 1 ? "1" : "0"));
        CK(pl_tpl_setf(g, "best_count", "%zu", nbest));
        /* At most five names, then 等N个单位: a county's ties at full marks run long. */
        pl_buf_clear(&x->scratch);
        const char *p = best.data;
        for (size_t k = 0; k < 5 && *p; k++) {
            const char *e = strstr(p, "、");
            size_t n = e ? (size_t)(e - p) : strlen(p);
            if (k)
                pl_buf_append_str(&x->scratch, "、");
            pl_buf_append(&x->scratch, p, n);
            p = e ? e + strlen("、") : p + n;
        }
        if (nbest > 5)
            pl_buf_printf(&x->scratch, "等%zu个单位", nbest);
        CKP(x->scratch.data);
        CK(pl_tpl_set(g, "best_some", x->scratch.data));
    }
fail:
    pl_buf_fini(&best);
    pl_buf_fini(&best_scores);
    pl_buf_fini(&sn);
    return st;
}

enum pl_status pl_circular_build(const struct pl_circular_input *in, struct pl_tpl_data *d,
                                 long long *when, struct pl_diag *diag)
{
    struct ctx x = {.in = in, .diag = diag};
    pl_buf_init(&x.scratch);
    pl_buf_init(&x.key1);
    pl_buf_init(&x.key2);
    pl_buf_init(&x.reported);
    pl_buf_init(&x.title);
    enum pl_status st = PL_OK;
    CK(pl_table_require(in->rated, rated_columns, sizeof rated_columns / sizeof *rated_columns,
                        diag));
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
    x.c = (struct rcol){pl_table_column(rt, "task_id"), pl_table_column(rt, "unit"),
                        pl_table_column(rt, "group"),   pl_table_column(rt, "progress"),
                        pl_table_column(rt, "status"),  pl_table_column(rt, "late"),
                        pl_table_column(rt, "missing"), pl_table_column(rt, "colour"),
                        pl_table_column(rt, "reason"),  pl_table_column(rt, "arrow")};
    x.sel = calloc(rt->nrows + 1, sizeof *x.sel);
    CKP(x.sel);
    CK(index_tasks(&x));
    for (size_t r = 0; r < rt->nrows; r++)
        if ((x.sel[r] = selected(&x, r)))
            x.nsel++;
    if (!x.nsel) {
        pl_diag_report(diag, rt->source, 0, 0, "E_EMPTY_SUBSET", "%s",
                       rt->nrows ? "没有一行符合所选的条件（--leader、--unit、--colour、--tasks）"
                                 : "评定结果里一行也没有");
        st = PL_ERR_DATA;
        goto fail;
    }
    CK(order_rows(&x));
    CK(set_facts(&x, d, when));
    CK(set_subset(&x, d));
    CK(set_counts(&x, d));
    CK(set_rows(&x, d));
    CK(set_task_list(&x, d, "red_tasks", 2));
    CK(set_task_list(&x, d, "yellow_tasks", 1));
    CK(set_task_list(&x, d, "done_tasks", -1));
    CK(set_unit_list(&x, d, "late_units", x.c.late));
    CK(set_unit_list(&x, d, "missing_units", x.c.missing));
    CK(set_ranks(&x, d));
fail:
    free(x.sel);
    free(x.order);
    free(x.task_of);
    pl_buf_fini(&x.scratch);
    pl_buf_fini(&x.key1);
    pl_buf_fini(&x.key2);
    pl_buf_fini(&x.reported);
    pl_buf_fini(&x.title);
    return st;
}
