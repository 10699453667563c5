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
        0xFF0C, 0x3002, 0x3001, 0xFF1B, 0xFF1A, 0xFF1F, 0xFF01, 0xFF09, 0x300B, 0x300D,
        0x300F, 0x201D, 0x2019, 0x3015, 0x3011, 0x3009, 0x3017, 0xFF5D, 0xFF3D, 0xFF60,
        0x2030, 0xFF05, 0x2103, 0x00B0, 0x00B7, 0x30FB, 0xFF0E, 0x2026, 0x3003, 0x301E,
        0x301F, ',',    '.',    ';',    ':',    '?',    '!',    ')',    ']',    '}',
        '%'};
    for (size_t i = 0; i < sizeof set / sizeof set[0]; i++)
        if (set[i] == cp)
            return true;
    return false;
}

bool pl_break_no_end(uint32_t cp)
{
    static const uint32_t set[] = {0xFF08, 0x300A, 0x300C, 0x300E, 0x201C, 0x2018, 0x3014,
                                   0x3010, 0x3008, 0x3016, 0xFF5B, 0xFF3B, 0xFF5F, 0x301D,
                                   '(',    '[',    '{'};
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
static bool is_latin(uint32_t cp)
{
    if (cp > 0x20 && cp < 0x7F)
        return !strchr("()[]{}", (int)cp);
    return (cp >= 0xFF10 && cp <= 0xFF19) || (cp >= 0xFF21 && cp <= 0xFF3A) ||
           (cp >= 0xFF41 && cp <= 0xFF5A) || (cp >= 0xC0 && cp <= 0x24F);
}

struct ch {
    size_t off, len;
    uint32_t cp;
    double w;
};

struct unit {
    size_t first, last; /* characters, inclusive */
    double w;
    bool space;
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
    k->ch = malloc((len + 1) * sizeof *k->ch);
    k->u = malloc((len + 1) * sizeof *k->u);
    if (!k->ch || !k->u)
        return PL_ERR_NOMEM;
    for (size_t i = 0; i < len;) {
        uint32_t cp;
        size_t n = pl_utf8_decode(s + i, len - i, &cp);
        if (!n)
            return PL_ERR_DATA;
        double w = is_space(cp) ? o->width_of(o->ctx, ' ') : o->width_of(o->ctx, cp);
        k->ch[k->nch++] = (struct ch){i, n, cp, w + o->tracking};
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
        else if (is_latin(cp))
            while (j < k->nch && is_latin(k->ch[j].cp))
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
            k->u[k->nu++] = (struct unit){i, j - 1, w, space};
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
    out->line[out->count++] = (struct pl_line){
        f->off, l->off + l->len, b->last - b->first + 1, b->w, indent, b->o->width - indent,
        false};
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

enum pl_status pl_break_balanced(const char *s, size_t len, const struct pl_break_opts *o,
                                 struct pl_lines *out)
{
    struct work k = {0};
    struct pl_lines trial = {0};
    enum pl_status st = decode(s, len, o, &k);
    if (st != PL_OK)
        goto done;
    if ((st = lay(&k, o, o->width, &trial)) != PL_OK)
        goto done;
    size_t n = trial.count;
    double lo = 0, hi = o->width;
    for (size_t i = 0; i < k.nu; i++)
        if (!k.u[i].space && k.u[i].w > lo)
            lo = k.u[i].w;
    if (lo > hi)
        lo = hi;
    /* The narrowest measure that keeps N lines: widths are monotone in the line count. */
    for (int iter = 0; iter < 40 && n > 1 && hi - lo > 0.05; iter++) {
        double mid = (lo + hi) / 2;
        trial.count = 0;
        if ((st = lay(&k, o, mid, &trial)) != PL_OK)
            goto done;
        if (trial.count <= n)
            hi = mid;
        else
            lo = mid;
    }
    size_t base = out->count;
    if ((st = lay(&k, o, hi, out)) != PL_OK)
        goto done;
    for (size_t i = base; i < out->count; i++) {
        out->line[i].measure = o->width - out->line[i].indent;
        out->line[i].last = true;
    }
done:
    pl_lines_fini(&trial);
    work_fini(&k);
    return st;
}

double pl_line_justify(const struct pl_line *line)
{
    if (line->last || line->chars < 2 || line->width >= line->measure)
        return 0;
    return (line->measure - line->width) / (double)(line->chars - 1);
}

void pl_lines_fini(struct pl_lines *out)
{
    free(out->line);
    memset(out, 0, sizeof *out);
}
