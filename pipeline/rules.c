/* rules — the rating and ranking rules: defaults, the INI reader (libinih), the printer. */
#include "rules.h"

#include <errno.h>
#include <ini.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "buf.h"
#include "fields.h"
#include "text.h"

/* The longest line, comment left out, handed to libinih: its line buffer is fixed (200 bytes
 * in Debian's build) and a longer line would be cut in two silently. */
enum { LINE_MAX_BYTES = 190 };

enum section {
    SEC_PROGRESS,
    SEC_EXPECTED,
    SEC_COLOUR,
    SEC_LATE,
    SEC_SCORE,
    SEC_RANK,
    SEC_ANNUAL,
    SEC_GROUPS,
    SEC_STATUS_WORDS,
    SEC_COUNT,
    SEC_NONE = -1,    /* before any section heading */
    SEC_UNKNOWN = -2, /* under a heading already reported as unknown */
};

static const char *const section_names[SEC_COUNT] = {
    "progress", "expected", "colour", "late", "score", "rank", "annual", "groups", "status_words",
};

enum key_kind { K_NUMBER, K_DAYS, K_BOOL, K_EXPECTED_FROM, K_METHOD, K_CYCLE, K_GROUP_LIST };

/* A key of a section with fixed keys; numbers must lie between MIN and MAX (excluded when
 * the OPEN flag says so). */
struct key_def {
    enum section section;
    const char *name;
    enum key_kind kind;
    size_t offset;
    double min, max;
    bool min_open, max_open;
};

#define AT(field) offsetof(struct pl_rules, field)

static const struct key_def keys[] = {
    {SEC_PROGRESS, "expected_from", K_EXPECTED_FROM, AT(expected_from), 0, 0, false, false},
    {SEC_PROGRESS, "first_cycle", K_CYCLE, AT(first_cycle), 0, 0, false, false},
    {SEC_PROGRESS, "done_at", K_NUMBER, AT(done_at), 0, 100, true, false},
    {SEC_PROGRESS, "over_limit", K_NUMBER, AT(over_limit), 100, 100000, false, false},
    {SEC_COLOUR, "blue_tolerance", K_NUMBER, AT(blue_tolerance), 0, 100, false, true},
    {SEC_COLOUR, "red_behind", K_NUMBER, AT(red_behind), 0, 100, true, false},
    {SEC_COLOUR, "missing_red", K_BOOL, AT(missing_red), 0, 0, false, false},
    {SEC_COLOUR, "returned_red", K_BOOL, AT(returned_red), 0, 0, false, false},
    {SEC_COLOUR, "no_progress_red", K_BOOL, AT(no_progress_red), 0, 0, false, false},
    {SEC_COLOUR, "not_started_red", K_BOOL, AT(not_started_red), 0, 0, false, false},
    {SEC_COLOUR, "late_red", K_BOOL, AT(late_red), 0, 0, false, false},
    {SEC_LATE, "error_after_days", K_DAYS, AT(error_after_days), 0, 366, false, false},
    {SEC_SCORE, "full_marks", K_NUMBER, AT(full_marks), 0, 1000, true, false},
    {SEC_SCORE, "late_deduction", K_NUMBER, AT(late_deduction), 0, 100, false, false},
    {SEC_SCORE, "missing_deduction", K_NUMBER, AT(missing_deduction), 0, 100, false, false},
    {SEC_SCORE, "returned_deduction", K_NUMBER, AT(returned_deduction), 0, 100, false, false},
    {SEC_SCORE, "yellow_deduction", K_NUMBER, AT(yellow_deduction), 0, 100, false, false},
    {SEC_SCORE, "red_deduction", K_NUMBER, AT(red_deduction), 0, 100, false, false},
    {SEC_RANK, "method", K_METHOD, AT(method), 0, 0, false, false},
    {SEC_RANK, "group_order", K_GROUP_LIST, AT(group_order), 0, 0, false, false},
    {SEC_RANK, "unranked", K_GROUP_LIST, AT(unranked), 0, 0, false, false},
    {SEC_ANNUAL, "last_weight", K_NUMBER, AT(annual_last_weight), 0, 1, false, false},
    {SEC_ANNUAL, "late_deduction", K_NUMBER, AT(annual_late_deduction), 0, 100, false, false},
    {SEC_ANNUAL, "missing_deduction", K_NUMBER, AT(annual_missing_deduction), 0, 100, false,
     false},
    {SEC_ANNUAL, "returned_deduction", K_NUMBER, AT(annual_returned_deduction), 0, 100, false,
     false},
};

enum { NKEYS = sizeof keys / sizeof keys[0] };

/* ---- defaults ------------------------------------------------------------------------- */

/* The groups of DESIGN.md (Rules), as county offices rank, by the kind's name in units.csv
 * (kinds are matched by name: a kind the catalog adds later falls back to 县直部门). */
static const struct {
    const char *kind, *group;
} default_groups[] = {
    {"town", PL_GROUP_TOWNS},          {"zone", PL_GROUP_TOWNS},
    {"department", PL_GROUP_DEPARTMENTS}, {"party", PL_GROUP_DEPARTMENTS},
    {"mass", PL_GROUP_DEPARTMENTS},    {"vertical", PL_GROUP_VERTICAL},
    {"enterprise", PL_GROUP_ENTERPRISES}, {"bank", PL_GROUP_ENTERPRISES},
    {"judicial", PL_GROUP_JUDICIAL},
};

const char *pl_rules_default_group(enum pl_unit_kind kind)
{
    const char *name = pl_unit_kind_name(kind);
    if (!name || kind == PL_UNIT_COLLECTIVE)
        return NULL;
    for (size_t i = 0; i < sizeof default_groups / sizeof default_groups[0]; i++)
        if (strcmp(default_groups[i].kind, name) == 0)
            return default_groups[i].group;
    return PL_GROUP_DEPARTMENTS;
}

bool pl_rules_group_ranked(const struct pl_rules *r, const char *group)
{
    return group && *group && !pl_strv_contains(&r->unranked, group);
}

enum pl_status pl_rules_init(struct pl_rules *r)
{
    memset(r, 0, sizeof *r);
    pl_strv_init(&r->group_order);
    pl_strv_init(&r->unranked);
    pl_status_table_init(&r->words);
    r->expected_from = PL_EXPECTED_CATALOG;
    r->done_at = 100;
    r->over_limit = 200;
    r->returned_red = true;
    r->no_progress_red = true;
    r->returned_deduction = 10;
    r->blue_tolerance = 0;
    r->red_behind = 20;
    r->missing_red = true;
    r->not_started_red = true;
    r->late_red = false;
    r->error_after_days = 60;
    r->full_marks = 100;
    r->late_deduction = 5;
    r->missing_deduction = 10;
    r->method = PL_RANK_DENSE;
    r->annual_last_weight = 1;
    r->annual_late_deduction = 5;
    r->annual_missing_deduction = 10;
    r->annual_returned_deduction = 10;
    enum pl_status st = pl_status_table_init_default(&r->words);
    if (st == PL_OK)
        st = pl_strv_push_str(&r->group_order, PL_GROUP_TOWNS);
    if (st == PL_OK)
        st = pl_strv_push_str(&r->group_order, PL_GROUP_DEPARTMENTS);
    static const char *const unranked[] = {PL_GROUP_VERTICAL, PL_GROUP_ENTERPRISES,
                                           PL_GROUP_JUDICIAL};
    for (size_t i = 0; st == PL_OK && i < sizeof unranked / sizeof unranked[0]; i++)
        st = pl_strv_push_str(&r->unranked, unranked[i]);
    for (int k = 0; st == PL_OK && k < PL_UNIT_KIND_COUNT; k++) {
        const char *g = pl_rules_default_group((enum pl_unit_kind)k);
        if (g && !(r->groups[k] = strdup(g)))
            st = PL_ERR_NOMEM;
    }
    return st;
}

void pl_rules_fini(struct pl_rules *r)
{
    if (!r)
        return;
    free(r->first_cycle);
    free(r->first_cycle_file);
    for (size_t i = 0; i < r->nexpected; i++) {
        free(r->expected[i].cycle);
        free(r->expected[i].file);
    }
    free(r->expected);
    pl_strv_fini(&r->group_order);
    pl_strv_fini(&r->unranked);
    for (int k = 0; k < PL_UNIT_KIND_COUNT; k++)
        free(r->groups[k]);
    pl_status_table_fini(&r->words);
    memset(r, 0, sizeof *r);
}

const struct pl_rules_expected *pl_rules_expected_for(const struct pl_rules *r, const char *cycle)
{
    for (size_t i = 0; i < r->nexpected; i++)
        if (strcmp(r->expected[i].cycle, cycle) == 0)
            return &r->expected[i];
    return NULL;
}

const char *pl_rules_group_of(const struct pl_rules *r, enum pl_unit_kind kind)
{
    if ((unsigned)kind >= PL_UNIT_KIND_COUNT)
        return NULL;
    return r->groups[kind];
}

/* ---- reading -------------------------------------------------------------------------- */

struct seen {
    enum section section;
    char *key;
    unsigned long line;
};

struct parse {
    struct pl_rules *r;
    struct pl_diag *diag;
    const char *source;
    const char *text;
    size_t len, pos;
    unsigned long line; /* the line last handed to libinih */
    int section;
    bool failed;
    enum pl_status fatal; /* PL_ERR_NOMEM: stop doing anything */
    struct seen *seen;
    size_t nseen, cap_seen;
    unsigned long blue_line, red_line;
};

static void bad(struct parse *p, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void bad(struct parse *p, const char *code, const char *fmt, ...)
{
    struct pl_buf msg;
    pl_buf_init(&msg);
    va_list ap;
    va_start(ap, fmt);
    if (pl_buf_vprintf(&msg, fmt, ap) != PL_OK)
        p->fatal = PL_ERR_NOMEM;
    va_end(ap);
    pl_diag_report(p->diag, p->source, p->line, 0, code, "%s", msg.data);
    pl_buf_fini(&msg);
    p->failed = true;
}

static bool is_blank_char(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v';
}

static int find_section(const char *s, size_t len)
{
    for (int k = 0; k < SEC_COUNT; k++)
        if (strlen(section_names[k]) == len && strncasecmp(section_names[k], s, len) == 0)
            return k;
    return SEC_UNKNOWN;
}

/* libinih's reader: hands over one line at a time, counting lines, and does what libinih
 * cannot do with line numbers: checks the bytes, strips comments and indentation (so that an
 * indented key is never taken for a continuation line), checks section headings and lines
 * that are neither heading nor key, and refuses lines too long for libinih's buffer. A line
 * it has reported goes to libinih empty. */
static char *next_line(char *str, int num, void *stream)
{
    struct parse *p = stream;
    if (p->pos >= p->len)
        return NULL;
    const char *s = p->text + p->pos;
    const char *nl = memchr(s, '\n', p->len - p->pos);
    size_t n = nl ? (size_t)(nl - s) : p->len - p->pos;
    p->pos += n + (nl != NULL);
    p->line++;
    str[0] = '\n';
    str[1] = '\0';
    if (p->fatal)
        return str;
    if (p->line == 1 && n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
        s += 3;
        n -= 3;
    }
    if (memchr(s, '\0', n) || !pl_utf8_valid(s, n)) {
        bad(p, "E_UNDECODABLE", "第%lu行不是UTF-8编码的文字：请把规则文件另存为UTF-8", p->line);
        return str;
    }
    size_t a = 0, b = n;
    while (a < b && is_blank_char(s[a]))
        a++;
    if (a == b || s[a] == ';' || s[a] == '#')
        return str;
    /* An inline comment starts at a ';' after white space, as libinih has it. */
    for (size_t i = a + 1; i < b; i++) {
        if (s[i] == ';' && is_blank_char(s[i - 1])) {
            b = i;
            break;
        }
    }
    while (b > a && is_blank_char(s[b - 1]))
        b--;
    if (s[a] == '[') {
        const char *close = memchr(s + a, ']', b - a);
        if (!close) {
            bad(p, "E_RULES_SYNTAX", "节名“%.*s”缺少右方括号“]”", (int)(b - a), s + a);
            return str;
        }
        size_t x = a + 1, y = (size_t)(close - s);
        while (x < y && is_blank_char(s[x]))
            x++;
        while (y > x && is_blank_char(s[y - 1]))
            y--;
        p->section = find_section(s + x, y - x);
        if (p->section == SEC_UNKNOWN)
            bad(p, "E_RULES_UNKNOWN_SECTION",
                "不认识的节“[%.*s]”（可用的节：progress、expected、colour、late、score、rank、"
                "annual、groups、status_words）",
                (int)(y - x), s + x);
        /* libinih need not know the name: the section is tracked here. */
        snprintf(str, (size_t)num, "[s]\n");
        return str;
    }
    if (!memchr(s + a, '=', b - a) && !memchr(s + a, ':', b - a)) {
        bad(p, "E_RULES_SYNTAX", "“%.*s”既不是“[节名]”，也不是“键 = 值”", (int)(b - a), s + a);
        return str;
    }
    if (b - a > LINE_MAX_BYTES || (size_t)num < b - a + 2) {
        bad(p, "E_RULES_LINE_TOO_LONG", "这一行有%zu个字节，最多%d个（注释不算）", b - a,
            LINE_MAX_BYTES);
        return str;
    }
    memcpy(str, s + a, b - a);
    str[b - a] = '\n';
    str[b - a + 1] = '\0';
    return str;
}

/* Records that SECTION's KEY was set on the current line; false (reported) when it was set
 * before in the same file. */
static bool first_time(struct parse *p, enum section section, const char *key, bool fold)
{
    for (size_t i = 0; i < p->nseen; i++) {
        const struct seen *s = &p->seen[i];
        if (s->section == section &&
            (fold ? strcasecmp(s->key, key) == 0 : strcmp(s->key, key) == 0)) {
            bad(p, "E_RULES_DUPLICATE", "[%s] %s 已在第%lu行设过，同一个文件里只能设一次",
                section_names[section], key, s->line);
            return false;
        }
    }
    if (p->nseen == p->cap_seen) {
        size_t cap = p->cap_seen ? p->cap_seen * 2 : 32;
        struct seen *v = realloc(p->seen, cap * sizeof *v);
        if (!v) {
            p->fatal = PL_ERR_NOMEM;
            return false;
        }
        p->seen = v;
        p->cap_seen = cap;
    }
    char *copy = strdup(key);
    if (!copy) {
        p->fatal = PL_ERR_NOMEM;
        return false;
    }
    p->seen[p->nseen++] = (struct seen){section, copy, p->line};
    return true;
}

/* A plain decimal number: an optional minus, digits, an optional fraction. No exponents, no
 * hex, no inf: a rules file is read by people. */
static bool parse_number(const char *s, double *out)
{
    const char *q = s;
    if (*q == '-' || *q == '+')
        q++;
    size_t digits = strspn(q, "0123456789");
    q += digits;
    if (*q == '.') {
        size_t frac = strspn(q + 1, "0123456789");
        if (frac == 0)
            return false;
        digits += frac;
        q += 1 + frac;
    }
    if (!digits || *q)
        return false;
    errno = 0;
    double v = strtod(s, NULL);
    if (errno || !isfinite(v))
        return false;
    *out = v;
    return true;
}

static bool parse_bool(const char *s, bool *out)
{
    static const char *const yes[] = {"yes", "true", "on", "1", "是"};
    static const char *const no[] = {"no", "false", "off", "0", "否"};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++) {
        if (strcasecmp(s, yes[i]) == 0) {
            *out = true;
            return true;
        }
        if (strcasecmp(s, no[i]) == 0) {
            *out = false;
            return true;
        }
    }
    return false;
}

/* Appends the words for a range ("大于0且不超过100"). */
static enum pl_status range_words(struct pl_buf *out, double min, double max, bool min_open,
                                  bool max_open)
{
    enum pl_status st = pl_buf_append_str(out, min_open ? "大于" : "不小于");
    if (st == PL_OK)
        st = pl_field_format_number(out, min);
    if (st == PL_OK)
        st = pl_buf_append_str(out, max_open ? "且小于" : "且不超过");
    if (st == PL_OK)
        st = pl_field_format_number(out, max);
    return st;
}

static bool in_range(double v, double min, double max, bool min_open, bool max_open)
{
    return (min_open ? v > min : v >= min) && (max_open ? v < max : v <= max);
}

static void out_of_range(struct parse *p, enum section sec, const char *name, const char *value,
                         double min, double max, bool min_open, bool max_open)
{
    struct pl_buf words;
    pl_buf_init(&words);
    if (range_words(&words, min, max, min_open, max_open) != PL_OK)
        p->fatal = PL_ERR_NOMEM;
    bad(p, "E_RULES_RANGE", "[%s] %s = %s 超出范围：应%s", section_names[sec], name, value,
        words.data);
    pl_buf_fini(&words);
}

static void set_fixed_key(struct parse *p, const struct key_def *k, const char *value)
{
    char *base = (char *)p->r;
    const char *sec = section_names[k->section];
    switch (k->kind) {
    case K_NUMBER: {
        double v;
        if (!parse_number(value, &v)) {
            bad(p, "E_RULES_VALUE", "[%s] %s 的值“%s”不是数字", sec, k->name, value);
            return;
        }
        if (!in_range(v, k->min, k->max, k->min_open, k->max_open)) {
            out_of_range(p, k->section, k->name, value, k->min, k->max, k->min_open, k->max_open);
            return;
        }
        *(double *)(base + k->offset) = v;
        if (k->offset == AT(blue_tolerance))
            p->blue_line = p->line;
        if (k->offset == AT(red_behind))
            p->red_line = p->line;
        return;
    }
    case K_DAYS: {
        double v;
        if (!parse_number(value, &v) || v != floor(v)) {
            bad(p, "E_RULES_VALUE", "[%s] %s 的值“%s”不是整天数", sec, k->name, value);
            return;
        }
        if (!in_range(v, k->min, k->max, false, false)) {
            out_of_range(p, k->section, k->name, value, k->min, k->max, false, false);
            return;
        }
        *(long *)(base + k->offset) = (long)v;
        return;
    }
    case K_BOOL:
        if (!parse_bool(value, (bool *)(base + k->offset)))
            bad(p, "E_RULES_VALUE", "[%s] %s 的值“%s”应为 yes 或 no", sec, k->name, value);
        return;
    case K_EXPECTED_FROM:
        if (strcasecmp(value, "catalog") == 0)
            p->r->expected_from = PL_EXPECTED_CATALOG;
        else if (strcasecmp(value, "elapsed") == 0)
            p->r->expected_from = PL_EXPECTED_ELAPSED;
        else
            bad(p, "E_RULES_VALUE", "[%s] %s 的值“%s”应为 catalog 或 elapsed", sec, k->name, value);
        return;
    case K_METHOD:
        if (strcasecmp(value, "dense") == 0)
            p->r->method = PL_RANK_DENSE;
        else if (strcasecmp(value, "competition") == 0)
            p->r->method = PL_RANK_COMPETITION;
        else
            bad(p, "E_RULES_VALUE", "[%s] %s 的值“%s”应为 dense 或 competition", sec, k->name,
                value);
        return;
    case K_CYCLE: {
        if (strpbrk(value, ",|")) {
            bad(p, "E_RULES_VALUE", "[%s] %s 的值“%s”不是一个报送周期编号", sec, k->name, value);
            return;
        }
        char *id = *value ? strdup(value) : NULL;
        char *file = *value ? strdup(p->source) : NULL;
        if (*value && (!id || !file)) {
            free(id);
            free(file);
            p->fatal = PL_ERR_NOMEM;
            return;
        }
        free(p->r->first_cycle);
        free(p->r->first_cycle_file);
        p->r->first_cycle = id;
        p->r->first_cycle_file = file;
        p->r->first_cycle_line = p->line;
        return;
    }
    case K_GROUP_LIST: {
        struct pl_strv list;
        pl_strv_init(&list);
        const char *q = value;
        while (p->fatal == PL_OK) {
            const char *bar = strchr(q, '|');
            size_t n = bar ? (size_t)(bar - q) : strlen(q);
            size_t x, y;
            pl_text_trim(q, n, &x, &y);
            if (x == y && (bar || *value)) {
                bad(p, "E_RULES_VALUE", "[%s] %s 的值“%s”中有空的组名", sec, k->name, value);
                pl_strv_fini(&list);
                return;
            }
            if (x < y && pl_strv_push(&list, q + x, y - x) != PL_OK)
                p->fatal = PL_ERR_NOMEM;
            if (!bar)
                break;
            q = bar + 1;
        }
        struct pl_strv *to = (struct pl_strv *)(base + k->offset);
        pl_strv_fini(to);
        *to = list;
        return;
    }
    }
}

static void set_expected(struct parse *p, const char *cycle, const char *value)
{
    double v;
    if (!parse_number(value, &v)) {
        bad(p, "E_RULES_VALUE", "[expected] %s 的值“%s”不是数字", cycle, value);
        return;
    }
    if (!in_range(v, 0, 100, true, false)) {
        out_of_range(p, SEC_EXPECTED, cycle, value, 0, 100, true, false);
        return;
    }
    struct pl_rules *r = p->r;
    struct pl_rules_expected *e = (struct pl_rules_expected *)pl_rules_expected_for(r, cycle);
    if (!e) {
        struct pl_rules_expected *v2 = realloc(r->expected, (r->nexpected + 1) * sizeof *v2);
        if (!v2) {
            p->fatal = PL_ERR_NOMEM;
            return;
        }
        r->expected = v2;
        e = &r->expected[r->nexpected];
        *e = (struct pl_rules_expected){0};
        if (!(e->cycle = strdup(cycle))) {
            p->fatal = PL_ERR_NOMEM;
            return;
        }
        r->nexpected++;
    }
    char *file = strdup(p->source);
    if (!file) {
        p->fatal = PL_ERR_NOMEM;
        return;
    }
    free(e->file);
    e->file = file;
    e->line = p->line;
    e->expected = v;
}

static void set_group(struct parse *p, const char *kind_name, const char *value)
{
    enum pl_unit_kind kind;
    if (!pl_unit_kind_parse(kind_name, &kind) || kind == PL_UNIT_COLLECTIVE) {
        bad(p, "E_RULES_UNKNOWN_KEY",
            "[groups]节中没有“%s”这个键（可用的键是units.csv的单位类别：department、party、mass、"
            "vertical、judicial、zone、enterprise、bank、town；collective 从不排名）",
            kind_name);
        return;
    }
    if (!*value || strpbrk(value, ",|")) {
        bad(p, "E_RULES_VALUE", "[groups] %s 的值“%s”不是一个组名", kind_name, value);
        return;
    }
    char *g = strdup(value);
    if (!g) {
        p->fatal = PL_ERR_NOMEM;
        return;
    }
    free(p->r->groups[kind]);
    p->r->groups[kind] = g;
}

static void set_word(struct parse *p, const char *word, const char *value)
{
    enum pl_work_status to, was;
    if (pl_work_status_by_word(value, strlen(value), &to) != PL_OK) {
        bad(p, "E_RULES_STATUS",
            "状态词“%s”对应的“%s”不是规范状态（应为 已完成、序时推进、滞后、未启动 之一）", word,
            value);
        return;
    }
    enum pl_field_error why;
    enum pl_status st = pl_status_word_lookup(&p->r->words, word, strlen(word), &was, &why);
    if (st == PL_ERR_NOMEM) {
        p->fatal = st;
        return;
    }
    if (st == PL_OK && was != to) {
        bad(p, "E_RULES_STATUS",
            "状态词“%s”已对应“%s”，不能再对应“%s”（规则文件只能增加状态词，不能改变已有的）", word,
            pl_work_status_word(was), value);
        return;
    }
    st = pl_status_table_add(&p->r->words, word, to);
    if (st == PL_ERR_NOMEM)
        p->fatal = st;
    else if (st != PL_OK)
        bad(p, "E_RULES_STATUS", "状态词“%s”不能加入状态表", word);
}

static enum pl_status list_keys(struct pl_buf *out, enum section sec)
{
    enum pl_status st = PL_OK;
    for (size_t i = 0; st == PL_OK && i < NKEYS; i++)
        if (keys[i].section == sec)
            st = pl_buf_printf(out, "%s%s", out->len ? "、" : "", keys[i].name);
    return st;
}

static int on_pair(void *user, const char *section, const char *name, const char *value)
{
    (void)section; /* tracked by next_line(), which checked it */
    struct parse *p = user;
    if (p->fatal || p->section == SEC_UNKNOWN)
        return 1;
    if (p->section == SEC_NONE) {
        bad(p, "E_RULES_NO_SECTION", "“%s = %s”不在任何节中：请在它前面写上所属的节，如[colour]",
            name, value);
        return 1;
    }
    if (!*name) {
        bad(p, "E_RULES_SYNTAX", "“= %s”缺少键名", value);
        return 1;
    }
    enum section sec = (enum section)p->section;
    switch (sec) {
    case SEC_EXPECTED:
        if (first_time(p, sec, name, false))
            set_expected(p, name, value);
        return 1;
    case SEC_GROUPS:
        if (first_time(p, sec, name, true))
            set_group(p, name, value);
        return 1;
    case SEC_STATUS_WORDS:
        if (first_time(p, sec, name, false))
            set_word(p, name, value);
        return 1;
    default:
        break;
    }
    for (size_t i = 0; i < NKEYS; i++) {
        if (keys[i].section == sec && strcasecmp(keys[i].name, name) == 0) {
            if (first_time(p, sec, keys[i].name, true))
                set_fixed_key(p, &keys[i], value);
            return 1;
        }
    }
    struct pl_buf have;
    pl_buf_init(&have);
    if (list_keys(&have, sec) != PL_OK)
        p->fatal = PL_ERR_NOMEM;
    bad(p, "E_RULES_UNKNOWN_KEY", "[%s]节中没有“%s”这个键（可用的键：%s）", section_names[sec],
        name, have.data);
    pl_buf_fini(&have);
    return 1;
}

static enum pl_status read_all(FILE *fp, struct pl_buf *text)
{
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
        if (pl_buf_append(text, chunk, n) != PL_OK)
            return PL_ERR_NOMEM;
    return ferror(fp) ? PL_ERR_IO : PL_OK;
}

enum pl_status pl_rules_read_stream(struct pl_rules *r, FILE *fp, const char *source,
                                    struct pl_diag *diag)
{
    struct pl_buf text;
    pl_buf_init(&text);
    struct parse p = {.r = r, .diag = diag, .source = source, .section = SEC_NONE};
    enum pl_status st = read_all(fp, &text);
    if (st == PL_ERR_IO)
        pl_diag_report(diag, source, 0, 0, "E_READ", "读取失败：%s", strerror(errno));
    if (st != PL_OK)
        goto done;
    p.text = text.data;
    p.len = text.len;
    int bad_line = ini_parse_stream(next_line, &p, on_pair, &p);
    if (p.fatal) {
        st = p.fatal;
        goto done;
    }
    if (bad_line > 0 && !p.failed) {
        /* next_line() hands libinih only lines it can take; this is a safety net. */
        p.line = (unsigned long)bad_line;
        bad(&p, "E_RULES_SYNTAX", "第%d行无法解析", bad_line);
    } else if (bad_line < 0) {
        st = PL_ERR_NOMEM;
        goto done;
    }
    if ((p.blue_line || p.red_line) && r->blue_tolerance >= r->red_behind) {
        p.line = p.blue_line > p.red_line ? p.blue_line : p.red_line;
        struct pl_buf b, rd;
        pl_buf_init(&b);
        pl_buf_init(&rd);
        if (pl_field_format_number(&b, r->blue_tolerance) != PL_OK ||
            pl_field_format_number(&rd, r->red_behind) != PL_OK)
            p.fatal = PL_ERR_NOMEM;
        bad(&p, "E_RULES_RANGE", "[colour] blue_tolerance（%s）必须小于 red_behind（%s）", b.data,
            rd.data);
        pl_buf_fini(&b);
        pl_buf_fini(&rd);
    }
    st = p.fatal ? p.fatal : p.failed ? PL_ERR_CONFIG : PL_OK;
done:
    for (size_t i = 0; i < p.nseen; i++)
        free(p.seen[i].key);
    free(p.seen);
    pl_buf_fini(&text);
    return st;
}

enum pl_status pl_rules_read(struct pl_rules *r, const char *path, struct pl_diag *diag)
{
    FILE *fp = fopen(path, "rb");
    if (!fp) {
        pl_diag_report(diag, path, 0, 0, "E_UNREADABLE", "无法打开规则文件：%s", strerror(errno));
        return PL_ERR_OPEN;
    }
    enum pl_status st = pl_rules_read_stream(r, fp, path, diag);
    fclose(fp);
    return st;
}

enum pl_status pl_rules_load(struct pl_rules *r, const char *const *paths, size_t n,
                             struct pl_diag *diag)
{
    enum pl_status st = pl_rules_init(r);
    if (st != PL_OK)
        return st;
    for (size_t i = 0; i < n; i++) {
        enum pl_status one = pl_rules_read(r, paths[i], diag);
        if (one == PL_ERR_NOMEM)
            return one;
        /* A file that cannot be opened outranks a bad one: it is the first thing to mend. */
        if (one != PL_OK && (st == PL_OK || one == PL_ERR_OPEN))
            st = one;
    }
    return st;
}

/* ---- printing ------------------------------------------------------------------------- */

/* A buffer whose first failure sticks, so that the printer checks every append once. */
struct sink {
    struct pl_buf b;
    enum pl_status st;
};

static void put(struct sink *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void put(struct sink *w, const char *fmt, ...)
{
    if (w->st != PL_OK)
        return;
    va_list ap;
    va_start(ap, fmt);
    w->st = pl_buf_vprintf(&w->b, fmt, ap);
    va_end(ap);
}

static void put_number(struct sink *w, double v)
{
    if (w->st == PL_OK)
        w->st = pl_field_format_number(&w->b, v);
}

static void print_fixed(const struct pl_rules *r, const struct key_def *k, struct sink *w)
{
    const char *base = (const char *)r;
    put(w, "%s = ", k->name);
    size_t before = w->b.len;
    switch (k->kind) {
    case K_NUMBER:
        put_number(w, *(const double *)(base + k->offset));
        break;
    case K_DAYS:
        put(w, "%ld", *(const long *)(base + k->offset));
        break;
    case K_BOOL:
        put(w, "%s", *(const bool *)(base + k->offset) ? "yes" : "no");
        break;
    case K_EXPECTED_FROM:
        put(w, "%s", r->expected_from == PL_EXPECTED_ELAPSED ? "elapsed" : "catalog");
        break;
    case K_METHOD:
        put(w, "%s", r->method == PL_RANK_COMPETITION ? "competition" : "dense");
        break;
    case K_CYCLE:
        put(w, "%s", r->first_cycle ? r->first_cycle : "");
        break;
    case K_GROUP_LIST: {
        const struct pl_strv *list = (const struct pl_strv *)(base + k->offset);
        for (size_t i = 0; i < list->n; i++)
            put(w, "%s%s", i ? "|" : "", list->v[i]);
        break;
    }
    }
    if (w->st == PL_OK && w->b.len == before) /* an empty value: no trailing space */
        w->b.data[--w->b.len] = '\0';
    put(w, "\n");
}

enum pl_status pl_rules_print(const struct pl_rules *r, const char *sources, FILE *out)
{
    struct sink w = {.st = PL_OK};
    pl_buf_init(&w.b);
    put(&w, "; ducha rules in effect (see ducha-rules(5))%s%s\n", sources ? ": " : "",
        sources ? sources : "");
    for (int sec = 0; sec < SEC_COUNT; sec++) {
        put(&w, "\n[%s]\n", section_names[sec]);
        for (size_t i = 0; i < NKEYS; i++)
            if (keys[i].section == (enum section)sec)
                print_fixed(r, &keys[i], &w);
        if (sec == SEC_EXPECTED) {
            for (size_t i = 0; i < r->nexpected; i++) {
                put(&w, "%s = ", r->expected[i].cycle);
                put_number(&w, r->expected[i].expected);
                put(&w, "\n");
            }
        } else if (sec == SEC_GROUPS) {
            for (int k = 0; k < PL_UNIT_KIND_COUNT; k++)
                if (r->groups[k])
                    put(&w, "%s = %s\n", pl_unit_kind_name((enum pl_unit_kind)k), r->groups[k]);
        } else if (sec == SEC_STATUS_WORDS) {
            for (size_t i = 0; i < r->words.len; i++)
                put(&w, "%s = %s\n", r->words.entries[i].key,
                    pl_work_status_word(r->words.entries[i].status));
        }
    }
    enum pl_status st = w.st;
    if (st == PL_OK && fwrite(w.b.data, 1, w.b.len, out) != w.b.len)
        st = PL_ERR_IO;
    pl_buf_fini(&w.b);
    return st;
}

enum pl_status pl_rules_print_from(const struct pl_rules *r, const char *const *paths, size_t n,
                                   FILE *out)
{
    struct pl_buf names;
    pl_buf_init(&names);
    enum pl_status st = PL_OK;
    for (size_t i = 0; st == PL_OK && i < n; i++)
        st = pl_buf_printf(&names, "%s%s", i ? ", " : "", paths[i]);
    if (st == PL_OK)
        st = pl_rules_print(r, n ? names.data : "defaults", out);
    pl_buf_fini(&names);
    return st;
}
