/* cjkbreak — greedy line breaking in units, with 避头尾 (see cjkbreak.h). */
#include "cjkbreak.h"

#include <stdlib.h>
#include <string.h>

#include "text.h"

/* Rounding slack: a line of 28 grid cells must fit a measure of 28 cells. */
#define EPS 0.01

bool pl_break_no_start(uint32_t cp)
{
    /* GB/T 15834 marks that close or trail: 点号 and closing 标号, full and half width. */
    static const uint32_t set[] = {
        0xFF0C, 0x3002, 0x3001, 0xFF1B, 0xFF1A, 0xFF1F, 0xFF01, 0xFF09, 0x300B, 0x300D, 0x300F,
        0x201D, 0x2019, 0x3015, 0x3011, 0x3009, 0x3017, 0xFF5D, 0xFF3D, 0xFF60, 0x2030, 0xFF05,
        0x2103, 0x00B0, 0x00B7, 0x30FB, 0xFF0E, 0x2026, 0x3003, 0x301E, 0x301F, ',',    '.',
        ';',    ':',    '?',    '!',    ')',    ']',    '}',    '%'};
    /* Ideographs, the bulk of the text, fall between the CJK marks and the full-width forms:
     * none of them is in the set. */
    if (cp >= 0x3020 && cp < 0xFF00 && cp != 0x30FB)
        return false;
    for (size_t i = 0; i < sizeof set / sizeof set[0]; i++)
        if (set[i] == cp)
            return true;
    return false;
}

bool pl_break_no_end(uint32_t cp)
{
    static const uint32_t set[] = {0xFF08, 0x300A, 0x300C, 0x300E, 0x201C, 0x2018,
                                   0x3014, 0x3010, 0x3008, 0x3016, 0xFF5B, 0xFF3B,
                                   0xFF5F, 0x301D, '(',    '[',    '{'};
    if (cp >= 0x3020 && cp < 0xFF00)
        return false;
    for (size_t i = 0; i < sizeof set / sizeof set[0]; i++)
        if (set[i] == cp)
            return true;
    return false;
}

static bool is_space(uint32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r';
}

/* Letters, digits and the signs that hold a Latin word or number together. */
bool pl_break_is_latin(uint32_t cp)
{
    if (cp > 0x20 && cp < 0x7F)
        return !strchr("()[]{}", (int)cp);
    return (cp >= 0xFF10 && cp <= 0xFF19) || (cp >= 0xFF21 && cp <= 0xFF3A) ||
           (cp >= 0xFF41 && cp <= 0xFF5A) || (cp >= 0xC0 && cp <= 0x24F);
}

/* A character and a unit are 16 bytes each: a province's circular breaks paragraphs of a
 * million characters (every lagging row named in one), whose work arrays at 32 bytes each
 * were the largest thing ducha-pdf held at that moment. Offsets and indexes fit in 31 bits:
 * decode refuses longer text. */
struct ch {
    double w;
    uint32_t off;
    unsigned cp : 24, len : 8;
};

struct unit {
    double w;
    uint32_t first;          /* characters, inclusive */
    unsigned last : 31, space : 1;
};

struct work {
    struct ch *ch;
    size_t nch;
    struct unit *u;
    size_t nu;
};

static void work_fini(struct work *k)
{
    free(k->ch);
    free(k->u);
}

static enum pl_status decode(const char *s, size_t len, const struct pl_break_opts *o,
                             struct work *k)
{
    /* One entry a character, not a byte: a province's circular sets paragraphs of megabytes
     * (every lagging row named), and sized by bytes the two arrays took 64 bytes for each
     * byte of Chinese, three times what its characters need. A character starts at every
     * byte that is not a UTF-8 continuation byte. */
    if (len >= 0x7FFFFFFF)
        return PL_ERR_NOMEM;
    size_t cap = 1;
    for (size_t i = 0; i < len; i++)
        cap += ((unsigned char)s[i] & 0xC0) != 0x80;
    k->ch = malloc(cap * sizeof *k->ch);
    k->u = malloc(cap * sizeof *k->u);
    if (!k->ch || !k->u)
        return PL_ERR_NOMEM;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = pl_utf8_decode(s + i, len - i, &cp);
        if (!n || k->nch + 1 >= cap)
            return PL_ERR_DATA;
        double w = is_space(cp) ? o->width_of(o->ctx, ' ') : o->width_of(o->ctx, cp);
        k->ch[k->nch++] = (struct ch){.w = w + o->tracking, .off = (uint32_t)i, .cp = cp, .len = (unsigned)n};
        i += n;
    }
    /* Clusters, then 避头尾 merges into units. */
    size_t i = 0;
    while (i < k->nch) {
        size_t j = i + 1;
        uint32_t cp = k->ch[i].cp;
        bool space = is_space(cp);
        if (space)
            while (j < k->nch && is_space(k->ch[j].cp))
                j++;
        else if (pl_break_is_latin(cp))
            while (j < k->nch && pl_break_is_latin(k->ch[j].cp))
                j++;
        else if ((cp == 0x2014 || cp == 0x2026) && j < k->nch && k->ch[j].cp == cp)
            j++;
        double w = 0;
        for (size_t c = i; c < j; c++)
            w += k->ch[c].w;
        struct unit *prev = k->nu ? &k->u[k->nu - 1] : NULL;
        if (!space && prev && !prev->space &&
            (pl_break_no_start(cp) || pl_break_no_end(k->ch[prev->last].cp))) {
            prev->last = j - 1;
            prev->w += w;
        } else {
            k->u[k->nu++] = (struct unit){.w = w, .first = (uint32_t)i, .last = (unsigned)(j - 1), .space = space};
        }
        i = j;
    }
    return PL_OK;
}

struct builder {
    const struct work *k;
    const struct pl_break_opts *o;
    struct pl_lines *out;
    bool have;
    size_t emitted; /* lines this pass has made */
    size_t first, last;
    double w;
    double width; /* the measure the greedy pass uses */
};

static double avail(const struct builder *b)
{
    return b->width - (b->emitted == 0 ? b->o->first_indent : 0);
}

static enum pl_status emit(struct builder *b)
{
    if (!b->have)
        return PL_OK;
    struct pl_lines *out = b->out;
    if (out->count == out->cap) {
        size_t cap = out->cap ? out->cap * 2 : 16;
        struct pl_line *grown = realloc(out->line, cap * sizeof *grown);
        if (!grown)
            return PL_ERR_NOMEM;
        out->line = grown;
        out->cap = cap;
    }
    const struct ch *f = &b->k->ch[b->first], *l = &b->k->ch[b->last];
    double indent = b->emitted++ == 0 ? b->o->first_indent : 0;
    size_t gaps = 0;
    for (size_t c = b->first; c < b->last; c++)
        gaps += !(pl_break_is_latin(b->k->ch[c].cp) && pl_break_is_latin(b->k->ch[c + 1].cp));
    out->line[out->count++] =
        (struct pl_line){f->off, l->off + l->len, b->last - b->first + 1, gaps,
                         b->w,   indent,          b->o->width - indent,   false};
    b->have = false;
    b->w = 0;
    return PL_OK;
}

/* Adds characters FIRST..LAST one by one, breaking wherever the line is full. */
static enum pl_status add_chars(struct builder *b, size_t first, size_t last)
{
    for (size_t c = first; c <= last; c++) {
        double w = b->k->ch[c].w;
        if (b->have && b->w + w > avail(b) + EPS) {
            enum pl_status st = emit(b);
            if (st != PL_OK)
                return st;
        }
        if (!b->have) {
            b->have = true;
            b->first = c;
        }
        b->last = c;
        b->w += w;
    }
    return PL_OK;
}

static enum pl_status lay(const struct work *k, const struct pl_break_opts *o, double width,
                          struct pl_lines *out)
{
    struct builder b = {k, o, out, false, 0, 0, 0, 0, width};
    const struct unit *space = NULL;
    enum pl_status st = PL_OK;
    for (size_t i = 0; i < k->nu && st == PL_OK; i++) {
        const struct unit *u = &k->u[i];
        if (u->space) {
            space = b.have ? u : NULL;
            continue;
        }
        double lead = space ? space->w : 0;
        if (b.have && b.w + lead + u->w <= avail(&b) + EPS) {
            b.last = u->last;
            b.w += lead + u->w;
        } else {
            if (b.have && (st = emit(&b)) != PL_OK)
                break;
            if (u->w <= avail(&b) + EPS) {
                b.have = true;
                b.first = u->first;
                b.last = u->last;
                b.w = u->w;
            } else {
                st = add_chars(&b, u->first, u->last);
            }
        }
        space = NULL;
    }
    if (st == PL_OK)
        st = emit(&b);
    if (st == PL_OK && b.emitted)
        out->line[out->count - 1].last = true;
    return st;
}

enum pl_status pl_break(const char *s, size_t len, const struct pl_break_opts *o,
                        struct pl_lines *out)
{
    struct work k = {0};
    enum pl_status st = decode(s, len, o, &k);
    if (st == PL_OK)
        st = lay(&k, o, o->width, out);
    work_fini(&k);
    return st;
}

/* What a title pays for a line break after unit B, in squared ems: nothing after a mark or
 * a word that ends a phrase (的, 于, 和, 个, 等 …), a little after a date word, much between two
 * characters of what may be one word (牵|头): there is no dictionary, so these are hints. */
static double break_penalty(const struct work *k, size_t b)
{
    static const uint32_t after[] = {0x7684, 0x4E8E, 0x548C, 0x53CA, 0x4E0E, 0x5E76, 0x5BF9,
                                     0x5728, 0x4E3A, 0x4E4B, 0x4E2D, 0x4E2A, 0x7B49};
    static const uint32_t dates[] = {0x5E74, 0x6708, 0x671F, 0x9879};
    uint32_t last = k->ch[k->u[b].last].cp;
    if (pl_break_no_start(last) || (b + 1 < k->nu && k->u[b + 1].space))
        return 0;
    for (size_t i = 0; i < sizeof after / sizeof after[0]; i++)
        if (after[i] == last)
            return 0;
    for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++)
        if (dates[i] == last)
            return 4;
    return 16;
}

enum pl_status pl_break_balanced(const char *s, size_t len, const struct pl_break_opts *o,
                                 struct pl_lines *out)
{
    struct work k = {0};
    struct pl_lines trial = {0};
    size_t *idx = NULL, *from = NULL;
    double *pre = NULL, *cost = NULL;
    enum pl_status st = decode(s, len, o, &k);
    if (st != PL_OK)
        goto done;
    if ((st = lay(&k, o, o->width, &trial)) != PL_OK)
        goto done;
    size_t n = trial.count, m = 0;
    idx = malloc((k.nu + 1) * sizeof *idx);
    pre = malloc((k.nu + 1) * sizeof *pre);
    if (!idx || !pre) {
        st = PL_ERR_NOMEM;
        goto done;
    }
    pre[0] = 0;
    for (size_t i = 0; i < k.nu; i++) {
        pre[i + 1] = pre[i] + k.u[i].w;
        if (!k.u[i].space)
            idx[m++] = i;
    }
    if (n < 2 || m < 2 || n > 64) {
        if ((st = lay(&k, o, o->width, out)) == PL_OK)
            for (size_t i = 0; i < out->count; i++)
                out->line[i].last = true;
        goto done;
    }
    /* Dynamic programming over where the N lines break: squared distance of each line from
     * the mean (in ems) plus each break's penalty; every line within the measure. */
    double em = o->width_of(o->ctx, 0x4E00) + o->tracking;
    if (em <= 0)
        em = 1;
#define WIDTH_OF(a, b) (pre[idx[(b)] + 1] - pre[idx[(a)]])
    double target = WIDTH_OF(0, m - 1) / (double)n;
    cost = malloc((m + 1) * (n + 1) * sizeof *cost);
    from = malloc((m + 1) * (n + 1) * sizeof *from);
    if (!cost || !from) {
        st = PL_ERR_NOMEM;
        goto done;
    }
    const double inf = 1e300;
    for (size_t i = 0; i < (m + 1) * (n + 1); i++)
        cost[i] = inf;
    cost[0] = 0;
    for (size_t j = 1; j <= m; j++)
        for (size_t l = 1; l <= n && l <= j; l++)
            for (size_t i = j; i-- > l - 1;) {
                double w = WIDTH_OF(i, j - 1);
                double avail = o->width - (l == 1 ? o->first_indent : 0);
                if (w > avail + EPS)
                    break;
                if (cost[i * (n + 1) + l - 1] >= inf)
                    continue;
                double d = (w - target) / em;
                double c =
                    cost[i * (n + 1) + l - 1] + d * d + (j < m ? break_penalty(&k, idx[j - 1]) : 0);
                if (c < cost[j * (n + 1) + l]) {
                    cost[j * (n + 1) + l] = c;
                    from[j * (n + 1) + l] = i;
                }
            }
    if (cost[m * (n + 1) + n] >= inf) {
        st = lay(&k, o, o->width, out);
        goto done;
    }
    /* Walk back, then write the lines in order. */
    size_t base = out->count, ends[64], nl = 0;
    for (size_t j = m, l = n; l > 0 && nl < 64; l--) {
        ends[nl++] = j;
        j = from[j * (n + 1) + l];
    }
    for (size_t q = nl, a = 0; q-- > 0;) {
        size_t b = ends[q];
        struct builder bl = {&k, o, out, true, base == out->count ? 0 : 1, 0, 0, 0, o->width};
        bl.first = k.u[idx[a]].first;
        bl.last = k.u[idx[b - 1]].last;
        bl.w = WIDTH_OF(a, b - 1);
        if ((st = emit(&bl)) != PL_OK)
            goto done;
        a = b;
    }
#undef WIDTH_OF
    for (size_t i = base; i < out->count; i++) {
        out->line[i].measure = o->width - out->line[i].indent;
        out->line[i].last = true;
    }
done:
    free(idx);
    free(pre);
    free(cost);
    free(from);
    pl_lines_fini(&trial);
    work_fini(&k);
    return st;
}

double pl_line_justify(const struct pl_line *line)
{
    if (line->last || line->gaps == 0 || line->width >= line->measure)
        return 0;
    return (line->measure - line->width) / (double)line->gaps;
}

void pl_lines_fini(struct pl_lines *out)
{
    free(out->line);
    memset(out, 0, sizeof *out);
}
