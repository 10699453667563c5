/* indicators — quantitative targets in task texts. */
#include "indicators.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "docline.h"
#include "text.h"

enum pl_status pl_decimal_shift(const char *digits, size_t len, int shift, struct pl_buf *out)
{
    /* Collect the digits and where the point is; then move the point by SHIFT. */
    struct pl_buf d;
    pl_buf_init(&d);
    long point = -1;
    enum pl_status st = PL_OK;
    size_t i = 0;
    while (i < len && st == PL_OK) {
        uint32_t cp;
        int v;
        size_t n = pl_utf8_decode(digits + i, len - i, &cp);
        if (n == 0) {
            st = PL_ERR_DATA;
            break;
        }
        if (pl_doc_digit(cp, &v))
            st = pl_buf_append_char(&d, (char)('0' + v));
        else if ((cp == '.' || cp == 0xFF0E) && point < 0)
            point = (long)d.len;
        else
            st = PL_ERR_DATA;
        i += n;
    }
    if (st == PL_OK && d.len == 0)
        st = PL_ERR_DATA;
    if (st != PL_OK) {
        pl_buf_fini(&d);
        return st;
    }
    if (point < 0)
        point = (long)d.len;
    point += shift;
    while ((long)d.len < point)
        if ((st = pl_buf_append_char(&d, '0')) != PL_OK)
            goto done;
    /* Integer part d[0..point), fraction d[point..). */
    long ip = point > 0 ? point : 0;
    long first = 0;
    while (first < ip - 1 && d.data[first] == '0')
        first++;
    long last = (long)d.len;
    while (last > ip && d.data[last - 1] == '0')
        last--;
    if (ip == 0)
        st = pl_buf_append_char(out, '0');
    else
        st = pl_buf_append(out, d.data + first, (size_t)(ip - first));
    if (st == PL_OK && last > ip) {
        st = pl_buf_append_char(out, '.');
        for (long z = point; z < 0 && st == PL_OK; z++)
            st = pl_buf_append_char(out, '0');
        if (st == PL_OK)
            st = pl_buf_append(out, d.data + ip, (size_t)(last - ip));
    }
done:
    pl_buf_fini(&d);
    return st;
}

/* ---- scanning on code points ------------------------------------------------------------- */

struct text {
    const char *s;
    uint32_t *cp;
    size_t *off; /* off[i] is the byte offset of cp[i]; off[n] == length */
    size_t n;
};

static bool at(const struct text *t, size_t i, const char *word)
{
    return i < t->n && pl_doc_starts(t->s + t->off[i], t->off[t->n] - t->off[i], word);
}

/* The number of code points in WORD. */
static size_t wlen(const char *word)
{
    return pl_doc_chars(word, strlen(word));
}

/* True when cp[a..b) ends with WORD. */
static bool ends_with(const struct text *t, size_t a, size_t b, const char *word)
{
    size_t n = wlen(word);
    return b - a >= n && at(t, b - n, word);
}

static bool is_terminator(uint32_t c)
{
    return c == 0xFF0C || c == 0x3002 || c == 0xFF1B || c == 0xFF1A || c == 0xFF01 ||
           c == 0xFF1F || c == ',' || c == ';' || c == ':' || c == '!' || c == '?' || c == '\n' ||
           c == '\r';
}

static bool ends_sentence(uint32_t c)
{
    return c == 0x3002 || c == 0xFF01 || c == 0xFF1F || c == '!' || c == '?' || c == '\n';
}

static bool is_ascii_alnum(uint32_t c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
           (c >= 0xFF21 && c <= 0xFF3A) || (c >= 0xFF41 && c <= 0xFF5A);
}

static bool is_joiner(uint32_t c)
{
    /* Characters that glue a number into a code, a range or a formula. */
    return c == '.' || c == '-' || c == '+' || c == '/' || c == '~' || c == 0xFF5E ||
           c == 0x2014 || c == 0x2013 || c == 0xFF0D || c == 0xFF0B || c == 0xFF0F ||
           c == 0x7B2C /* 第 */;
}

static bool is_digit_cp(uint32_t c)
{
    int d;
    return pl_doc_digit(c, &d);
}

static const char *const units[] = {
    "个百分点", "平方公里", "平方米", "万千瓦", "公里", "千米", "兆瓦", "千瓦", "公顷", "美元",
    "人次", "千克", "%", "％", "家", "个", "亩", "人", "元", "斤", "吨", "处", "座", "户", "场",
    "部", "次", "名", "项", "所", "条", "辆", "台", "间", "套", "件", "株", "米",
};

static const struct {
    const char *word;
    const char *cmp;
} suffixes[] = {{"以上", ">="}, {"左右", "~"}, {"以内", "<="}, {"以下", "<="}};

/* Longest first where one is the tail of another (不超过 before 超过 before 过). */
static const struct {
    const char *word;
    const char *cmp; /* NULL: a neutral verb, stripped but no comparator */
} prefixes[] = {
    {"不少于", ">="}, {"不低于", ">="}, {"不超过", "<="}, {"不高于", "<="}, {"严控在", "<="},
    {"控制在", "<="}, {"稳定在", NULL}, {"超过", ">="},   {"达到", ">="},   {"保持", NULL},
    {"达", ">="},     {"过", ">="},     {"为", NULL},
};

static const char *const hedges[] = {"确保", "力争", "力促", "争取", "年内", "全年", "预计"};
static const char *const trailing[] = {"全年", "年内", "全部", "均", "都"};

struct found {
    size_t ms, me; /* metric */
    size_t ss;     /* source start */
    const char *cmp;
};

/* Works out the metric of a value at I whose phrase starts at MS; false when there is none. */
static bool metric_of(const struct text *t, size_t ms, size_t i, struct found *f)
{
    while (ms < i && (t->cp[ms] == 0x3001 || at(t, ms, "和") || at(t, ms, "及") ||
                      at(t, ms, "并") || pl_text_is_space(t->cp[ms])))
        ms++;
    f->ss = ms;
    size_t me = i;
    while (me > ms && pl_text_is_space(t->cp[me - 1]))
        me--;
    f->cmp = NULL;
    for (size_t p = 0; p < sizeof prefixes / sizeof prefixes[0]; p++) {
        if (ends_with(t, ms, me, prefixes[p].word)) {
            me -= wlen(prefixes[p].word);
            f->cmp = prefixes[p].cmp;
            break;
        }
    }
    for (bool again = true; again;) {
        again = false;
        for (size_t k = 0; k < sizeof trailing / sizeof trailing[0]; k++) {
            if (me - ms > wlen(trailing[k]) && ends_with(t, ms, me, trailing[k])) {
                me -= wlen(trailing[k]);
                again = true;
            }
        }
        for (size_t k = 0; k < sizeof hedges / sizeof hedges[0]; k++) {
            if (me - ms > wlen(hedges[k]) && at(t, ms, hedges[k])) {
                ms += wlen(hedges[k]);
                again = true;
            }
        }
    }
    if (me < ms + 3)
        return false;
    for (size_t k = ms; k < me; k++)
        if (at(t, k, "分别") || at(t, k, "每") || (k + 1 == me && at(t, k, "各")))
            return false;
    f->ms = ms;
    f->me = me;
    return true;
}

static enum pl_status emit(const struct text *t, const struct found *f, size_t ns, size_t ne,
                           int shift, const char *unit, const char *cmp, size_t end,
                           pl_target_fn fn, void *ctx)
{
    struct pl_buf metric, value, source;
    pl_buf_init(&metric);
    pl_buf_init(&value);
    pl_buf_init(&source);
    enum pl_status st = pl_buf_append(&metric, t->s + t->off[f->ms], t->off[f->me] - t->off[f->ms]);
    if (st == PL_OK)
        st = pl_decimal_shift(t->s + t->off[ns], t->off[ne] - t->off[ns], shift, &value);
    if (st == PL_OK)
        st = pl_buf_append(&source, t->s + t->off[f->ss], t->off[end] - t->off[f->ss]);
    if (st == PL_OK)
        st = fn(ctx, metric.data, cmp, value.data, strcmp(unit, "％") == 0 ? "%" : unit,
                source.data);
    pl_buf_fini(&metric);
    pl_buf_fini(&value);
    pl_buf_fini(&source);
    return st;
}

static enum pl_status scan(const struct text *t, pl_target_fn fn, void *ctx)
{
    size_t cs = 0, pe = 0; /* clause start; end of the clause's previous value phrase */
    int depth = 0;
    bool breakdown = false; /* inside a 其中 sentence */
    size_t i = 0;
    while (i < t->n) {
        uint32_t c = t->cp[i];
        if (c == 0x201C || c == 0x300C)
            depth++;
        else if ((c == 0x201D || c == 0x300D) && depth > 0)
            depth--;
        if (is_terminator(c)) {
            if (ends_sentence(c))
                breakdown = false;
            cs = pe = ++i;
            continue;
        }
        if (i == cs && at(t, i, "其中"))
            breakdown = true;
        if (breakdown || depth > 0 || !is_digit_cp(c)) {
            i++;
            continue;
        }
        size_t ns = i;
        bool glued = i > 0 && (is_ascii_alnum(t->cp[i - 1]) || is_joiner(t->cp[i - 1]));
        while (i < t->n && is_digit_cp(t->cp[i]))
            i++;
        if (i + 1 < t->n && (t->cp[i] == '.' || t->cp[i] == 0xFF0E) && is_digit_cp(t->cp[i + 1])) {
            i++;
            while (i < t->n && is_digit_cp(t->cp[i]))
                i++;
        }
        size_t ne = i;
        if (glued || (i < t->n && (is_ascii_alnum(t->cp[i]) || is_joiner(t->cp[i])))) {
            while (i < t->n && (is_ascii_alnum(t->cp[i]) || is_joiner(t->cp[i])))
                i++;
            continue;
        }
        int shift = 0;
        if (at(t, i, "万") && !at(t, i, "万千瓦")) {
            shift = 4;
            i++;
        } else if (at(t, i, "亿")) {
            shift = 8;
            i++;
        }
        const char *unit = NULL;
        for (size_t u = 0; u < sizeof units / sizeof units[0] && !unit; u++)
            if (at(t, i, units[u]))
                unit = units[u];
        if (!unit)
            continue; /* 2023年, 6大: not a quantity */
        i += wlen(unit);
        const char *cmp = NULL;
        for (size_t s = 0; s < sizeof suffixes / sizeof suffixes[0] && !cmp; s++) {
            if (at(t, i, suffixes[s].word)) {
                cmp = suffixes[s].cmp;
                i += wlen(suffixes[s].word);
            }
        }
        size_t end = i;
        bool closed = i == t->n || is_terminator(t->cp[i]) ||
                      (t->cp[i] == 0x3001 && !(i + 1 < t->n && is_digit_cp(t->cp[i + 1])));
        size_t ms = pe;
        pe = end;
        struct found f;
        if (!closed || !metric_of(t, ms, ns, &f))
            continue;
        enum pl_status st = emit(t, &f, ns, ne, shift, unit, cmp ? cmp : f.cmp ? f.cmp : "=",
                                 end, fn, ctx);
        if (st != PL_OK)
            return st;
    }
    return PL_OK;
}

enum pl_status pl_indicators_scan(const char *text, size_t len, pl_target_fn fn, void *ctx)
{
    struct text t = {.s = text};
    t.cp = malloc((len + 1) * sizeof *t.cp);
    t.off = malloc((len + 1) * sizeof *t.off);
    enum pl_status st = PL_OK;
    if (!t.cp || !t.off) {
        st = PL_ERR_NOMEM;
        goto done;
    }
    for (size_t b = 0; b < len;) {
        size_t n = pl_utf8_decode(text + b, len - b, &t.cp[t.n]);
        if (n == 0) {
            t.cp[t.n] = 0xFFFD; /* not UTF-8: a character that is nothing of the above */
            n = 1;
        }
        t.off[t.n++] = b;
        b += n;
    }
    t.off[t.n] = len;
    st = scan(&t, fn, ctx);
done:
    free(t.cp);
    free(t.off);
    return st;
}

struct add_ctx {
    struct pl_catalog *cat;
    const char *task_id;
};

static enum pl_status add_one(void *ctx, const char *metric, const char *comparator,
                              const char *value, const char *unit, const char *source)
{
    struct add_ctx *a = ctx;
    struct pl_indicator *x = pl_catalog_add_indicator(a->cat);
    if (!x)
        return PL_ERR_NOMEM;
    x->task_id = strdup(a->task_id);
    x->metric = strdup(metric);
    x->comparator = strdup(comparator);
    x->value = strdup(value);
    x->unit = strdup(unit);
    x->source = strdup(source);
    if (!x->task_id || !x->metric || !x->comparator || !x->value || !x->unit || !x->source)
        return PL_ERR_NOMEM;
    return PL_OK;
}

enum pl_status pl_indicators_add(struct pl_catalog *cat, const char *task_id, const char *text)
{
    struct add_ctx a = {cat, task_id};
    return pl_indicators_scan(text, strlen(text), add_one, &a);
}
