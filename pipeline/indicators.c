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

/* True when cp[a..b) is exactly WORD. */
static bool is_word(const struct text *t, size_t a, size_t b, const char *word)
{
    return b - a == wlen(word) && at(t, a, word);
}

/* True when cp[a..b) holds WORD somewhere. */
static bool holds(const struct text *t, size_t a, size_t b, const char *word)
{
    size_t n = wlen(word);
    for (size_t k = a; k + n <= b; k++)
        if (at(t, k, word))
            return true;
    return false;
}

static bool is_terminator(uint32_t c)
{
    return c == 0xFF0C || c == 0x3002 || c == 0xFF1B || c == 0xFF1A || c == 0xFF01 || c == 0xFF1F ||
           c == ',' || c == ';' || c == ':' || c == '!' || c == '?' || c == '\n' || c == '\r';
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
    return c == '.' || c == '-' || c == '+' || c == '/' || c == '~' || c == 0xFF5E || c == 0x2014 ||
           c == 0x2013 || c == 0xFF0D || c == 0xFF0B || c == 0xFF0F || c == 0x7B2C /* 第 */;
}

/* Between two values of one list: 7%、10% and 7%/10%. */
static bool is_list_sep(uint32_t c)
{
    return c == 0x3001 || c == '/' || c == 0xFF0F;
}

static bool is_digit_cp(uint32_t c)
{
    int d;
    return pl_doc_digit(c, &d);
}

/* Longest first where one is the head of another (个百分点 before 个). */
static const char *const units[] = {
    "个百分点", "平方公里", "平方米", "万千瓦", "公里", "千米", "兆瓦", "千瓦", "公顷", "美元",
    "人次",     "千克",     "%",      "％",     "家",   "个",   "亩",   "人",   "元",   "斤",
    "吨",       "处",       "座",     "户",     "场",   "部",   "次",   "名",   "项",   "所",
    "条",       "辆",       "台",     "间",     "套",   "件",   "株",   "口",   "米",
};

/* The units of things counted, which may stand before the noun they count (完成100个村供水保障
 * 提升工程, 80%以上快件统一共仓共配). Money and measures before a noun name a kind (50亿元大项目,
 * 100元档次), never a target. */
static const char *const counted[] = {
    "个",   "处", "口", "件", "座", "家", "户", "所", "条", "项", "名", "人",
    "人次", "场", "部", "次", "台", "套", "间", "辆", "株", "%",  "％",
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

static const char *const hedges[] = {"确保", "力争", "力促", "争取", "年内",
                                     "全年", "预计", "持续", "加快"};
static const char *const trailing[] = {"全年", "年内", "全部", "均", "都"};

/* The verbs a clause may open with, lent to a counted noun whose own words are a list
 * (完成农业局片区、…等7个续建棚改项目 → 完成续建棚改项目). */
static const char *const verbs[] = {"提升改造", "完成", "启动", "实施", "建设", "新建",
                                    "新增",     "打造", "建成", "改造", "培育", "引进",
                                    "开展",     "创建", "办好", "治理", "实现"};

/* Levels of government: 市级…15个、省级4个; 县、镇…各1个. */
static const char *const levels[] = {"国家级", "省级", "市级", "县级", "镇级", "乡级", "村级"};
static const char *const level_chars[] = {"省", "市", "县", "镇", "乡", "村"};

/* A total's scope, which a part of it (a town) replaces, and the verbs of an increase, which
 * a stock (总量) does not take. */
static const char *const scopes[] = {"全县", "全市", "全区", "全镇", "全省"};
static const char *const increases[] = {"新增", "新建", "累计", "完成", "实现"};
static const char *const totals[] = {"总量", "总数"};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* The word of LIST that cp[i..) starts with, or NULL. */
static const char *word_at(const struct text *t, size_t i, const char *const *list, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (at(t, i, list[k]))
            return list[k];
    return NULL;
}

/* ---- what was found ---------------------------------------------------------------------- */

struct tgt {
    char *metric, *value, *unit, *source;
    const char *cmp; /* a static string */
};

struct tlist {
    struct tgt *v;
    size_t n, cap;
};

static void tlist_clear(struct tlist *l)
{
    for (size_t i = 0; i < l->n; i++) {
        free(l->v[i].metric);
        free(l->v[i].value);
        free(l->v[i].unit);
        free(l->v[i].source);
    }
    l->n = 0;
}

static void tlist_fini(struct tlist *l)
{
    tlist_clear(l);
    free(l->v);
    l->v = NULL;
    l->cap = 0;
}

static enum pl_status tlist_push(struct tlist *l, const char *metric, const char *value,
                                 const char *unit, const char *cmp, const char *source)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 8;
        struct tgt *v = realloc(l->v, cap * sizeof *v);
        if (!v)
            return PL_ERR_NOMEM;
        l->v = v;
        l->cap = cap;
    }
    struct tgt *x = &l->v[l->n];
    x->metric = strdup(metric);
    x->value = strdup(value);
    x->unit = strdup(unit);
    x->source = strdup(source);
    x->cmp = cmp;
    l->n++;
    if (!x->metric || !x->value || !x->unit || !x->source)
        return PL_ERR_NOMEM; /* freed by tlist_clear with the rest */
    return PL_OK;
}

/* A value: digits cp[ns..ne), times 10^shift, in UNIT; cp[end] follows the unit. */
struct value {
    size_t ns, ne, end;
    int shift;
    const char *unit;
};

/* A counted noun whose target waits for the next one of its list: 完成48个小区、67个单位雨污
 * 分流工程 shares 雨污分流工程 out to 小区 once the second noun is read. */
struct pending {
    bool on;
    struct pl_buf head; /* the words before the value that open the metric */
    size_t na, nb;      /* the noun */
    size_t ss;          /* where the source starts */
    struct value v;
    const char *cmp;
};

struct scanner {
    const struct text *t;
    pl_target_fn fn;
    void *ctx;
    struct tlist cur;   /* targets of the sentence being read */
    struct tlist prev;  /* targets of the sentence before */
    struct tlist parts; /* a 其中 breakdown: metric is the part's name (嘉祥街道) */
    struct pending pend;
    struct pl_buf metric, value, source; /* scratch */
};

static enum pl_status append_range(struct pl_buf *b, const struct text *t, size_t a, size_t e)
{
    return e > a ? pl_buf_append(b, t->s + t->off[a], t->off[e] - t->off[a]) : PL_OK;
}

static enum pl_status value_text(const struct text *t, const struct value *v, struct pl_buf *out)
{
    pl_buf_clear(out);
    return pl_decimal_shift(t->s + t->off[v->ns], t->off[v->ne] - t->off[v->ns], v->shift, out);
}

static const char *unit_text(const struct value *v)
{
    return strcmp(v->unit, "％") == 0 ? "%" : v->unit;
}

/* Hands METRIC with the value V, CMP and the source cp[ss..se) to the caller, and keeps it as a
 * target of the sentence. */
static enum pl_status put(struct scanner *s, const char *metric, const struct value *v,
                          const char *cmp, size_t ss, size_t se)
{
    enum pl_status st = value_text(s->t, v, &s->value);
    pl_buf_clear(&s->source);
    if (st == PL_OK)
        st = append_range(&s->source, s->t, ss, se);
    if (st == PL_OK)
        st = s->fn(s->ctx, metric, cmp, s->value.data, unit_text(v), s->source.data);
    if (st == PL_OK)
        st = tlist_push(&s->cur, metric, s->value.data, unit_text(v), cmp, s->source.data);
    return st;
}

/* ---- reading a value --------------------------------------------------------------------- */

/* Reads the value at I: digits (a decimal point allowed), 万 or 亿, a unit. False when the
 * number there is no value (2023年, S244, 35-75); *NEXT is where reading goes on either way.
 * AFTER_SEP: the number follows a list separator, which does not glue it into a code. */
static bool read_value(const struct text *t, size_t i, bool after_sep, struct value *v,
                       size_t *next)
{
    v->ns = i;
    bool glued = !after_sep && i > 0 && (is_ascii_alnum(t->cp[i - 1]) || is_joiner(t->cp[i - 1]));
    while (i < t->n && is_digit_cp(t->cp[i]))
        i++;
    if (i + 1 < t->n && (t->cp[i] == '.' || t->cp[i] == 0xFF0E) && is_digit_cp(t->cp[i + 1])) {
        i++;
        while (i < t->n && is_digit_cp(t->cp[i]))
            i++;
    }
    v->ne = i;
    if (glued || (i < t->n && (is_ascii_alnum(t->cp[i]) || is_joiner(t->cp[i])))) {
        while (i < t->n && (is_ascii_alnum(t->cp[i]) || is_joiner(t->cp[i])))
            i++;
        *next = i;
        return false;
    }
    v->shift = 0;
    if (at(t, i, "万") && !at(t, i, "万千瓦")) {
        v->shift = 4;
        i++;
    } else if (at(t, i, "亿")) {
        v->shift = 8;
        i++;
    }
    v->unit = word_at(t, i, units, COUNT(units));
    if (!v->unit) {
        *next = i; /* 2023年, 6大: not a quantity */
        return false;
    }
    i += wlen(v->unit);
    v->end = *next = i;
    return true;
}

/* ---- the words before a value ------------------------------------------------------------ */

struct phrase {
    size_t ss;       /* source start */
    size_t ms, me;   /* the metric's words */
    const char *cmp; /* from the words before the value, or NULL */
    bool each;       /* ended with 各 (各1个) */
};

/* Skips a leading date (2023年, 2023年底前) at cp[*ms..me). */
static void skip_date(const struct text *t, size_t *ms, size_t me)
{
    size_t k = *ms;
    while (k < me && is_digit_cp(t->cp[k]))
        k++;
    if (k == *ms || k >= me || !at(t, k, "年"))
        return;
    k++;
    if (at(t, k, "底前"))
        k += 2;
    else if (at(t, k, "底") || at(t, k, "前") || at(t, k, "内"))
        k++;
    *ms = k;
}

/* Works out the words before a value at I whose phrase starts at MS: joiners, dates and hedges
 * skipped, the comparator word taken off the end. False when there are no words left, or they
 * hold a rate (每亩), a share-out (分别) or a rank (前3名), which are no metric. */
static bool phrase_of(const struct text *t, size_t ms, size_t i, struct phrase *f)
{
    while (ms < i && (t->cp[ms] == 0x3001 || at(t, ms, "和") || at(t, ms, "及") ||
                      at(t, ms, "并") || pl_text_is_space(t->cp[ms])))
        ms++;
    f->ss = ms;
    skip_date(t, &ms, i);
    size_t me = i;
    while (me > ms && pl_text_is_space(t->cp[me - 1]))
        me--;
    f->cmp = NULL;
    for (size_t p = 0; p < COUNT(prefixes); p++) {
        if (ends_with(t, ms, me, prefixes[p].word)) {
            me -= wlen(prefixes[p].word);
            f->cmp = prefixes[p].cmp;
            break;
        }
    }
    f->each = me > ms && at(t, me - 1, "各");
    if (f->each)
        me--;
    for (bool again = true; again;) {
        again = false;
        for (size_t k = 0; k < COUNT(trailing); k++) {
            if (me - ms > wlen(trailing[k]) && ends_with(t, ms, me, trailing[k])) {
                me -= wlen(trailing[k]);
                again = true;
            }
        }
        for (size_t k = 0; k < COUNT(hedges); k++) {
            if (me - ms > wlen(hedges[k]) && at(t, ms, hedges[k])) {
                ms += wlen(hedges[k]);
                again = true;
            }
        }
    }
    /* 前3名 is a rank, a position rather than an amount */
    if (me <= ms || holds(t, ms, me, "分别") || holds(t, ms, me, "每") || at(t, me - 1, "前"))
        return false;
    f->ms = ms;
    f->me = me;
    return true;
}

/* The verb cp[cs..) opens with once hedges are skipped (加快建设… → 建设), as [*vs, *ve); empty
 * when the clause opens with none. */
static void clause_verb(const struct text *t, size_t cs, size_t *vs, size_t *ve)
{
    for (bool again = true; again;) {
        const char *h = word_at(t, cs, hedges, COUNT(hedges));
        again = h != NULL;
        if (h)
            cs += wlen(h);
    }
    const char *v = word_at(t, cs, verbs, COUNT(verbs));
    *vs = cs;
    *ve = v ? cs + wlen(v) : cs;
}

/* ---- one value after its metric (新增托位640个) ------------------------------------------- */

/* The first level word in METRIC (a C string), as a byte offset and length; false if none. */
static bool find_level(const char *metric, size_t *off, size_t *len)
{
    for (const char *p = metric; *p; p++) {
        for (size_t k = 0; k < COUNT(levels); k++) {
            if (strncmp(p, levels[k], strlen(levels[k])) == 0) {
                *off = (size_t)(p - metric);
                *len = strlen(levels[k]);
                return true;
            }
        }
    }
    return false;
}

/* 新建县、镇婴幼儿照护服务机构各1个: one target for each level of the list. A 各 over anything
 * else (各镇街各1个) gives no total and no metric: left out. */
static enum pl_status each_level(struct scanner *s, const struct phrase *f, const struct value *v,
                                 const char *cmp, size_t end)
{
    const struct text *t = s->t;
    size_t ls = f->ms;
    while (ls < f->me && t->cp[ls] != 0x3001)
        ls++;
    if (ls == f->me || ls == f->ms)
        return PL_OK;
    ls--; /* the list's first item, one level character and an optional 级 */
    if (ls > f->ms && at(t, ls, "级"))
        ls--;
    size_t items[8], nitems = 0, k = ls;
    for (;;) {
        if (!word_at(t, k, level_chars, COUNT(level_chars)) || nitems == COUNT(items))
            return PL_OK;
        items[nitems++] = k;
        k++;
        if (at(t, k, "级"))
            k++;
        if (k < f->me && t->cp[k] == 0x3001)
            k++;
        else
            break;
    }
    if (nitems < 2 || k >= f->me)
        return PL_OK;
    enum pl_status st = PL_OK;
    for (size_t j = 0; j < nitems && st == PL_OK; j++) {
        size_t ie = items[j] + 1;
        if (at(t, ie, "级"))
            ie++;
        pl_buf_clear(&s->metric);
        st = append_range(&s->metric, t, f->ms, ls);
        if (st == PL_OK)
            st = append_range(&s->metric, t, items[j], ie);
        if (st == PL_OK)
            st = append_range(&s->metric, t, k, f->me);
        if (st == PL_OK)
            st = put(s, s->metric.data, v, cmp, f->ss, end);
    }
    return st;
}

/* Words of the metric of the sentence's last target, after the leading words of LIST. */
static const char *skip_words(const char *m, const char *const *list, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (strncmp(m, list[k], strlen(list[k])) == 0)
            return m + strlen(list[k]);
    return m;
}

/* A metric too short to stand alone, read against the sentence's previous target: 省级4个 after
 * 建设市级美丽乡村示范村15个 is 建设省级美丽乡村示范村; 总量达到2896个 after 全县新增托位640个
 * is 托位总量. Anything else short is left out. */
static enum pl_status elliptic(struct scanner *s, const struct phrase *f, const struct value *v,
                               const char *cmp, size_t end)
{
    const struct text *t = s->t;
    if (s->cur.n == 0)
        return PL_OK;
    const struct tgt *last = &s->cur.v[s->cur.n - 1];
    enum pl_status st = PL_OK;
    pl_buf_clear(&s->metric);
    size_t off, len;
    bool level = false, total = false;
    for (size_t k = 0; k < COUNT(levels); k++)
        level = level || is_word(t, f->ms, f->me, levels[k]);
    for (size_t k = 0; k < COUNT(totals); k++)
        total = total || is_word(t, f->ms, f->me, totals[k]);
    if (level && find_level(last->metric, &off, &len)) {
        st = pl_buf_append(&s->metric, last->metric, off);
        if (st == PL_OK)
            st = append_range(&s->metric, t, f->ms, f->me);
        if (st == PL_OK)
            st = pl_buf_append_str(&s->metric, last->metric + off + len);
    } else if (total && strcmp(last->unit, unit_text(v)) == 0) {
        const char *noun = skip_words(last->metric, scopes, COUNT(scopes));
        noun = skip_words(noun, increases, COUNT(increases));
        if (pl_doc_chars(noun, strlen(noun)) < 2)
            return PL_OK;
        st = pl_buf_append_str(&s->metric, noun);
        if (st == PL_OK)
            st = append_range(&s->metric, t, f->ms, f->me);
    } else {
        return PL_OK;
    }
    if (st == PL_OK)
        st = put(s, s->metric.data, v, cmp, f->ss, end);
    return st;
}

static enum pl_status one_target(struct scanner *s, size_t from, const struct value *v,
                                 const char *scmp, size_t end)
{
    const struct text *t = s->t;
    struct phrase f;
    if (!phrase_of(t, from, v->ns, &f))
        return PL_OK;
    const char *cmp = scmp ? scmp : f.cmp ? f.cmp : "=";
    if (f.each)
        return each_level(s, &f, v, cmp, end);
    bool short_word = f.me - f.ms < 3;
    for (size_t k = 0; k < COUNT(levels) && !short_word; k++)
        short_word = is_word(t, f.ms, f.me, levels[k]);
    if (short_word)
        return elliptic(s, &f, v, cmp, end);
    pl_buf_clear(&s->metric);
    enum pl_status st = append_range(&s->metric, t, f.ms, f.me);
    if (st == PL_OK)
        st = put(s, s->metric.data, v, cmp, f.ss, end);
    return st;
}

/* ---- a list of values (分别增长7%、10%左右) ------------------------------------------------ */

/* Up to this many values in one list are read; a longer list is left out. */
#define MAX_LIST 8

/* The metrics of a list of NV values whose words before them are cp[from..): one metric per
 * value, from a list of as many names (幼儿园公办率、普惠率分别达65%、95%以上), or from 城乡 (城乡
 * 居民人均可支配收入分别增长7%、10%左右: 城镇…, 农村…). A name list's shared tail and head are
 * shared out: 城乡居民基本养老保险、基本医疗保险参保率 → …养老保险参保率, 基本医疗保险参保率;
 * 幼儿园公办率、普惠率 → 幼儿园公办率, 幼儿园普惠率. Anything else is left out. */
static enum pl_status list_targets(struct scanner *s, size_t from, const struct value *v, size_t nv,
                                   const char *scmp, size_t end)
{
    const struct text *t = s->t;
    size_t ms = from;
    while (ms < v[0].ns && (t->cp[ms] == 0x3001 || at(t, ms, "和") || at(t, ms, "及") ||
                            at(t, ms, "并") || pl_text_is_space(t->cp[ms])))
        ms++;
    size_t ss = ms, me = v[0].ns;
    skip_date(t, &ms, me);
    while (me > ms && pl_text_is_space(t->cp[me - 1]))
        me--;
    /* head 分别 verb, or head comparator */
    size_t hs = ms, he = me, vs = me, ve = me;
    for (size_t k = ms; k + 2 <= me; k++) {
        if (at(t, k, "分别")) {
            he = k;
            vs = k + 2;
            break;
        }
    }
    const char *pcmp = NULL;
    for (size_t p = 0; p < COUNT(prefixes); p++) {
        size_t *e = vs < me ? &ve : &he;
        size_t b = vs < me ? vs : hs;
        if (ends_with(t, b, *e, prefixes[p].word)) {
            *e -= wlen(prefixes[p].word);
            pcmp = prefixes[p].cmp;
            break;
        }
    }
    for (bool again = true; again;) {
        again = false;
        for (size_t k = 0; k < COUNT(hedges); k++) {
            if (he - hs > wlen(hedges[k]) && at(t, hs, hedges[k])) {
                hs += wlen(hedges[k]);
                again = true;
            }
        }
    }
    if (he <= hs || holds(t, hs, me, "每"))
        return PL_OK;
    /* the names: items[j] = [is, ie) */
    size_t is[MAX_LIST], ie[MAX_LIST], n = 0;
    size_t a = hs;
    for (size_t k = hs; k <= he; k++) {
        if (k == he || t->cp[k] == 0x3001) {
            if (n == MAX_LIST || k == a)
                return PL_OK;
            is[n] = a;
            ie[n++] = k;
            a = k + 1;
        }
    }
    const char *cmp = scmp ? scmp : pcmp ? pcmp : "=";
    const char *city[2] = {NULL, NULL}; /* 城乡… read as 城镇… and 农村… */
    size_t tail_s = 0, tail_e = 0;      /* the last name's tail, shared out */
    if (n == 1 && nv == 2 && at(t, hs, "城乡")) {
        city[0] = "城镇";
        city[1] = "农村";
    } else if (n != nv || n < 2) {
        return PL_OK;
    } else if (ie[0] - is[0] >= 2) {
        /* 城乡居民基本养老保险、基本医疗保险参保率: the first name's last two characters found
         * inside the last name; what follows them there is the shared tail. */
        size_t L = n - 1;
        for (size_t p = ie[L] - 1; p >= is[L] + 2; p--) {
            if (t->cp[p - 1] == t->cp[ie[0] - 1] && t->cp[p - 2] == t->cp[ie[0] - 2] && p < ie[L]) {
                tail_s = p;
                tail_e = ie[L];
                break;
            }
        }
        for (size_t j = 0; j + 1 < n && tail_e > tail_s; j++)
            if (t->cp[ie[j] - 1] != t->cp[ie[0] - 1] || t->cp[ie[j] - 2] != t->cp[ie[0] - 2])
                tail_s = tail_e = 0;
    }
    enum pl_status st = PL_OK;
    for (size_t j = 0; j < nv && st == PL_OK; j++) {
        pl_buf_clear(&s->metric);
        if (city[0]) {
            st = pl_buf_append_str(&s->metric, city[j]);
            if (st == PL_OK)
                st = append_range(&s->metric, t, hs + 2, he);
        } else {
            size_t len0 = ie[0] - is[0], len = ie[j] - is[j];
            /* 普惠率 after 幼儿园公办率: a short name ending as the first does takes its head */
            if (j > 0 && len <= 3 && len < len0 && t->cp[ie[j] - 1] == t->cp[ie[0] - 1] &&
                tail_e == tail_s)
                st = append_range(&s->metric, t, is[0], ie[0] - len);
            if (st == PL_OK)
                st = append_range(&s->metric, t, is[j], ie[j]);
            if (st == PL_OK && j + 1 < n)
                st = append_range(&s->metric, t, tail_s, tail_e);
        }
        if (st == PL_OK)
            st = append_range(&s->metric, t, vs, ve);
        if (st == PL_OK && pl_doc_chars(s->metric.data, s->metric.len) < 3)
            return PL_OK;
        if (st == PL_OK)
            st = put(s, s->metric.data, &v[j], cmp, ss, end);
    }
    return st;
}

/* ---- a value before the noun it counts (完成100个村供水保障提升工程) ----------------------- */

static bool is_counted(const char *unit)
{
    for (size_t k = 0; k < COUNT(counted); k++)
        if (strcmp(unit, counted[k]) == 0)
            return true;
    return false;
}

static enum pl_status put_noun(struct scanner *s, const struct pl_buf *head, size_t na, size_t nb,
                               size_t xa, size_t xb, const struct value *v, const char *cmp,
                               size_t ss, size_t se)
{
    pl_buf_clear(&s->metric);
    enum pl_status st = pl_buf_append(&s->metric, head->data, head->len);
    if (st == PL_OK)
        st = append_range(&s->metric, s->t, na, nb);
    if (st == PL_OK)
        st = append_range(&s->metric, s->t, xa, xb);
    if (st == PL_OK && pl_doc_chars(s->metric.data, s->metric.len) < 3)
        return PL_OK;
    return st == PL_OK ? put(s, s->metric.data, v, cmp, ss, se) : st;
}

static enum pl_status flush_pending(struct scanner *s)
{
    struct pending *p = &s->pend;
    if (!p->on)
        return PL_OK;
    p->on = false;
    return put_noun(s, &p->head, p->na, p->nb, 0, 0, &p->v, p->cmp, p->ss, p->nb);
}

/* The value V (its comparator word SCMP after the unit) in clause CS stands before words: the
 * noun it counts, up to the clause's end or the next value of a list (、 及 和 before a digit).
 * The metric is the words before the value and the noun (完成 + 村供水保障提升工程); where those
 * words are a list of what is counted (…南关二期等, …“养老智慧平台”及) the clause's verb stands
 * for them. *PE and *NEXT get where the noun ends. */
static enum pl_status noun_target(struct scanner *s, size_t cs, size_t from, const struct value *v,
                                  const char *scmp, size_t *pe, size_t *next)
{
    const struct text *t = s->t;
    size_t end = *next;
    *pe = end;
    if (!is_counted(v->unit))
        return flush_pending(s);
    /* the noun */
    size_t na = end, nb = end;
    bool more = false;
    while (nb < t->n && !is_terminator(t->cp[nb])) {
        if (is_digit_cp(t->cp[nb])) {
            if (t->cp[nb - 1] == 0x3001 || at(t, nb - 1, "及") || at(t, nb - 1, "和")) {
                nb--;
                more = true;
                break;
            }
            return flush_pending(s); /* another number inside: not one noun */
        }
        nb++;
    }
    if (at(t, na, "的"))
        na++;
    if (nb <= na)
        return flush_pending(s);
    *pe = *next = nb;
    /* the words before */
    struct phrase f;
    f.cmp = NULL;
    bool words = phrase_of(t, from, v->ns, &f);
    if (!words) {
        /* nothing but joiners: a later noun of the list, or a clause opening with the value */
        size_t k = from;
        while (k < v->ns && (t->cp[k] == 0x3001 || at(t, k, "和") || at(t, k, "及") ||
                             pl_text_is_space(t->cp[k])))
            k++;
        if (k < v->ns)
            return flush_pending(s); /* 每 or 分别 */
        f.ss = v->ns;
        f.ms = f.me = v->ns;
    }
    if (f.each)
        return flush_pending(s);
    struct pl_buf head;
    pl_buf_init(&head);
    enum pl_status st = PL_OK;
    size_t ss = f.ss;
    bool listed = f.me > f.ms && (at(t, f.me - 1, "等") || at(t, f.me - 1, "及") ||
                                  at(t, f.me - 1, "和") || t->cp[f.me - 1] == 0x3001);
    if (f.me == f.ms || listed) {
        size_t vs, ve;
        clause_verb(t, cs, &vs, &ve);
        st = append_range(&head, t, vs, ve);
        if (!at(t, f.me - 1, "等"))
            ss = v->ns;
    } else {
        st = append_range(&head, t, f.ms, f.me);
    }
    const char *cmp = scmp ? scmp : f.cmp ? f.cmp : "=";
    struct pending *p = &s->pend;
    if (st == PL_OK && p->on) {
        /* 48个小区、67个单位雨污分流工程: a short first noun takes the tail of a longer second */
        size_t l1 = p->nb - p->na, l2 = nb - na;
        p->on = false;
        if (l1 <= 3 && l2 >= l1 + 3) {
            st = put_noun(s, &p->head, p->na, p->nb, na + l1, nb, &p->v, p->cmp, p->ss, nb);
            ss = p->ss;
        } else {
            st = put_noun(s, &p->head, p->na, p->nb, 0, 0, &p->v, p->cmp, p->ss, p->nb);
        }
    }
    if (st == PL_OK && more) {
        pl_buf_clear(&p->head);
        st = pl_buf_append(&p->head, head.data, head.len);
        p->on = true;
        p->na = na;
        p->nb = nb;
        p->ss = ss;
        p->v = *v;
        p->cmp = cmp;
    } else if (st == PL_OK) {
        st = put_noun(s, &head, na, nb, 0, 0, v, cmp, ss, nb);
    }
    pl_buf_fini(&head);
    return st;
}

/* ---- a breakdown (其中，嘉祥街道169个，…) ------------------------------------------------- */

/* Keeps a part of a 其中 breakdown: its name (嘉祥街道; 泗张镇、星村镇各1座 gives two). */
static enum pl_status add_part(struct scanner *s, size_t from, const struct value *v,
                               const char *scmp, size_t end)
{
    const struct text *t = s->t;
    struct phrase f;
    if (!phrase_of(t, from, v->ns, &f))
        return PL_OK;
    if (at(t, f.ms, "其中")) {
        f.ss = f.ss == f.ms ? f.ss + 2 : f.ss;
        f.ms += 2;
    }
    const char *cmp = scmp ? scmp : f.cmp ? f.cmp : "=";
    enum pl_status st = value_text(t, v, &s->value);
    pl_buf_clear(&s->source);
    if (st == PL_OK)
        st = append_range(&s->source, t, f.ss, end);
    size_t a = f.ms;
    for (size_t k = f.ms; k <= f.me && st == PL_OK; k++) {
        if (k < f.me && t->cp[k] != 0x3001)
            continue;
        if (k - a < 2 || (k < f.me && !f.each))
            return PL_OK; /* a name too short, or a list without 各 */
        pl_buf_clear(&s->metric);
        st = append_range(&s->metric, t, a, k);
        if (st == PL_OK)
            st = tlist_push(&s->parts, s->metric.data, s->value.data, unit_text(v), cmp,
                            s->source.data);
        a = k + 1;
    }
    return st;
}

/* The parts of a breakdown are targets when they add up to a target of their sentence or the
 * one before, in the same unit: each named by its place and that target's metric, less its
 * scope (嘉祥街道 + 全县新增托位 → 嘉祥街道新增托位). Parts that add up to nothing found are
 * left out. */
static enum pl_status close_parts(struct scanner *s)
{
    struct tlist *parts = &s->parts;
    if (parts->n == 0)
        return PL_OK;
    enum pl_status st = PL_OK;
    double sum = 0;
    for (size_t i = 0; i < parts->n; i++) {
        sum += strtod(parts->v[i].value, NULL);
        if (strcmp(parts->v[i].unit, parts->v[0].unit) != 0)
            goto done;
    }
    const struct tgt *whole = NULL;
    const struct tlist *lists[2] = {&s->cur, &s->prev};
    for (size_t l = 0; l < 2 && !whole; l++) {
        for (size_t i = 0; i < lists[l]->n && !whole; i++) {
            const struct tgt *x = &lists[l]->v[i];
            double d = strtod(x->value, NULL) - sum;
            if (strcmp(x->unit, parts->v[0].unit) == 0 && d < 1e-9 && d > -1e-9)
                whole = x;
        }
    }
    if (!whole)
        goto done;
    const char *base = skip_words(whole->metric, scopes, COUNT(scopes));
    for (size_t i = 0; i < parts->n && st == PL_OK; i++) {
        const struct tgt *x = &parts->v[i];
        pl_buf_clear(&s->metric);
        st = pl_buf_printf(&s->metric, "%s%s", x->metric, base);
        if (st == PL_OK)
            st = s->fn(s->ctx, s->metric.data, x->cmp, x->value, x->unit, x->source);
    }
done:
    tlist_clear(parts);
    return st;
}

static enum pl_status end_sentence(struct scanner *s)
{
    enum pl_status st = flush_pending(s);
    if (st == PL_OK)
        st = close_parts(s);
    struct tlist done = s->prev;
    s->prev = s->cur;
    s->cur = done;
    tlist_clear(&s->cur);
    return st;
}

/* ---- the scan ---------------------------------------------------------------------------- */

static enum pl_status scan(struct scanner *s)
{
    const struct text *t = s->t;
    size_t cs = 0, pe = 0; /* clause start; end of the clause's previous value phrase */
    int depth = 0;
    bool breakdown = false; /* inside a 其中 sentence */
    size_t i = 0;
    enum pl_status st = PL_OK;
    while (i < t->n && st == PL_OK) {
        uint32_t c = t->cp[i];
        if (c == 0x201C || c == 0x300C)
            depth++;
        else if ((c == 0x201D || c == 0x300D) && depth > 0)
            depth--;
        if (is_terminator(c)) {
            st = flush_pending(s);
            if (st == PL_OK && ends_sentence(c)) {
                st = end_sentence(s);
                breakdown = false;
            }
            cs = pe = ++i;
            continue;
        }
        if (i == cs && at(t, i, "其中"))
            breakdown = true;
        if (depth > 0 || !is_digit_cp(c)) {
            i++;
            continue;
        }
        struct value v[MAX_LIST];
        size_t nv = 0, next;
        if (!read_value(t, i, false, &v[0], &next)) {
            i = next;
            continue;
        }
        nv = 1;
        i = next;
        while (nv > 0 && i + 1 < t->n && is_list_sep(t->cp[i]) && is_digit_cp(t->cp[i + 1])) {
            if (nv == MAX_LIST || !read_value(t, i + 1, true, &v[nv], &next))
                nv = 0; /* a list of something else: left out */
            else
                nv++;
            i = next;
        }
        if (nv == 0) {
            pe = i;
            continue;
        }
        const char *scmp = NULL;
        for (size_t k = 0; k < COUNT(suffixes) && !scmp; k++) {
            if (at(t, i, suffixes[k].word)) {
                scmp = suffixes[k].cmp;
                i += wlen(suffixes[k].word);
            }
        }
        size_t end = i;
        bool closed = i == t->n || is_terminator(t->cp[i]) || t->cp[i] == 0x3001;
        if (breakdown) {
            if (closed && nv == 1)
                st = add_part(s, pe, &v[0], scmp, end);
            pe = end;
        } else if (nv > 1 || closed) {
            st = flush_pending(s);
            if (st == PL_OK && closed)
                st = nv > 1 ? list_targets(s, pe, v, nv, scmp, end)
                            : one_target(s, pe, &v[0], scmp, end);
            pe = end;
        } else {
            st = noun_target(s, cs, pe, &v[0], scmp, &pe, &i);
        }
    }
    if (st == PL_OK)
        st = end_sentence(s);
    return st;
}

enum pl_status pl_indicators_scan(const char *text, size_t len, pl_target_fn fn, void *ctx)
{
    struct text t = {.s = text};
    struct scanner s = {.t = &t, .fn = fn, .ctx = ctx};
    pl_buf_init(&s.pend.head);
    pl_buf_init(&s.metric);
    pl_buf_init(&s.value);
    pl_buf_init(&s.source);
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
    st = scan(&s);
done:
    tlist_fini(&s.cur);
    tlist_fini(&s.prev);
    tlist_fini(&s.parts);
    pl_buf_fini(&s.pend.head);
    pl_buf_fini(&s.metric);
    pl_buf_fini(&s.value);
    pl_buf_fini(&s.source);
    free(t.cp);
    free(t.off);
    return st;
}

struct add_ctx {
    struct pl_catalog *cat;
    const char *task_id;
    size_t first; /* the task's first indicator in cat */
};

static enum pl_status add_one(void *ctx, const char *metric, const char *comparator,
                              const char *value, const char *unit, const char *source)
{
    struct add_ctx *a = ctx;
    /* A metric names one indicator of its task (ducha-check matches 指标 by it): a second of
     * the same name is numbered. */
    struct pl_buf name;
    pl_buf_init(&name);
    enum pl_status st = pl_buf_append_str(&name, metric);
    for (int n = 2; st == PL_OK; n++) {
        bool taken = false;
        for (size_t i = a->first; i < a->cat->nindicators && !taken; i++)
            taken = strcmp(a->cat->indicators[i].metric, name.data) == 0;
        if (!taken)
            break;
        pl_buf_clear(&name);
        st = pl_buf_printf(&name, "%s（%d）", metric, n);
    }
    struct pl_indicator *x = st == PL_OK ? pl_catalog_add_indicator(a->cat) : NULL;
    if (!x) {
        pl_buf_fini(&name);
        return st == PL_OK ? PL_ERR_NOMEM : st;
    }
    x->task_id = strdup(a->task_id);
    x->metric = pl_buf_take(&name);
    x->comparator = strdup(comparator);
    x->value = strdup(value);
    x->unit = strdup(unit);
    x->source = strdup(source);
    pl_buf_fini(&name);
    if (!x->task_id || !x->metric || !x->comparator || !x->value || !x->unit || !x->source)
        return PL_ERR_NOMEM;
    return PL_OK;
}

enum pl_status pl_indicators_add(struct pl_catalog *cat, const char *task_id, const char *text)
{
    struct add_ctx a = {cat, task_id, cat->nindicators};
    return pl_indicators_scan(text, strlen(text), add_one, &a);
}
