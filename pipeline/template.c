/* template — placeholders and sections over a data tree (see template.h). Written by hand:
 * Debian packages no C template library small enough to embed for this. */
#include "template.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

struct var {
    char *name;
    size_t len; /* of name: lookups compare lengths first */
    char *value;
    struct pl_tpl_list *list;
};

/* The names and values of a whole tree live in one arena (pl_arena), owned by the root and
 * freed with it: a province's circular sets a million of them, and one allocation and one
 * free each was a tenth of ducha-pdf's time. A value set again leaves its old copy in the
 * arena until the tree goes. */
static void arena_free(struct pl_arena *a)
{
    if (!a)
        return;
    pl_arena_fini(a);
    free(a);
}

struct kept {
    void *p;
    void (*free_fn)(void *);
};

struct pl_tpl_data {
    struct var *v;
    size_t n, cap;
    struct pl_arena *arena; /* the root's */
    bool root;
    struct kept *kept; /* the root's (pl_tpl_keep) */
    size_t nkept;
};

/* A list's items are kept (items[k]) or made while rendering (items[k] NULL: made by fill
 * from keys[k]; see pl_tpl_item_made). */
struct pl_tpl_list {
    struct pl_tpl_data **items;
    size_t *keys; /* with fill only */
    size_t n, cap;
    struct pl_tpl_data *proto;
    pl_tpl_fill_fn fill;
    void *ctx;
};

static void list_free(struct pl_tpl_list *l);

static struct pl_tpl_data *data_in(struct pl_arena *a)
{
    struct pl_tpl_data *d = calloc(1, sizeof *d);
    if (d)
        d->arena = a;
    return d;
}

struct pl_tpl_data *pl_tpl_data_new(void)
{
    struct pl_arena *a = malloc(sizeof *a);
    if (a)
        pl_arena_init(a);
    struct pl_tpl_data *d = a ? data_in(a) : NULL;
    if (!d) {
        free(a);
        return NULL;
    }
    d->root = true;
    return d;
}

/* Frees D's variables and lists; the strings stay in the arena. */
static void data_free(struct pl_tpl_data *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n; i++)
        list_free(d->v[i].list);
    free(d->v);
    free(d);
}

void pl_tpl_data_free(struct pl_tpl_data *d)
{
    if (!d)
        return;
    struct pl_arena *a = d->root ? d->arena : NULL;
    struct kept *kept = d->kept;
    size_t nkept = d->nkept;
    data_free(d);
    arena_free(a);
    while (nkept > 0) {
        nkept--;
        kept[nkept].free_fn(kept[nkept].p);
    }
    free(kept);
}

enum pl_status pl_tpl_keep(struct pl_tpl_data *d, void *p, void (*free_fn)(void *))
{
    struct kept *grown = d->root ? realloc(d->kept, (d->nkept + 1) * sizeof *grown) : NULL;
    if (!grown) {
        free_fn(p);
        return d->root ? PL_ERR_NOMEM : PL_ERR_USAGE;
    }
    d->kept = grown;
    d->kept[d->nkept++] = (struct kept){p, free_fn};
    return PL_OK;
}

static void list_free(struct pl_tpl_list *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++)
        data_free(l->items[i]);
    free(l->items);
    free(l->keys);
    data_free(l->proto);
    free(l);
}

static struct var *find(const struct pl_tpl_data *d, const char *name, size_t len)
{
    for (size_t i = 0; i < d->n; i++)
        if (d->v[i].len == len && memcmp(d->v[i].name, name, len) == 0)
            return &d->v[i];
    return NULL;
}

static struct var *add_var(struct pl_tpl_data *d, const char *name)
{
    size_t len = strlen(name);
    struct var *v = find(d, name, len);
    if (v)
        return v;
    if (d->n == d->cap) {
        size_t cap = d->cap ? d->cap * 2 : 8;
        struct var *grown = realloc(d->v, cap * sizeof *grown);
        if (!grown)
            return NULL;
        d->v = grown;
        d->cap = cap;
    }
    char *copy = pl_arena_strndup(d->arena, name, len);
    if (!copy)
        return NULL;
    v = &d->v[d->n++];
    *v = (struct var){copy, len, NULL, NULL};
    return v;
}

enum pl_status pl_tpl_set(struct pl_tpl_data *d, const char *name, const char *value)
{
    struct var *v = add_var(d, name);
    if (!v)
        return PL_ERR_NOMEM;
    if (!value)
        value = "";
    /* A value set again to the same text keeps its copy. */
    if (v->value && strcmp(v->value, value) == 0)
        return PL_OK;
    char *copy = pl_arena_strndup(d->arena, value, strlen(value));
    if (!copy)
        return PL_ERR_NOMEM;
    v->value = copy;
    return PL_OK;
}

enum pl_status pl_tpl_setf(struct pl_tpl_data *d, const char *name, const char *fmt, ...)
{
    struct pl_buf b;
    pl_buf_init(&b);
    va_list ap;
    va_start(ap, fmt);
    enum pl_status st = pl_buf_vprintf(&b, fmt, ap);
    va_end(ap);
    if (st == PL_OK)
        st = pl_tpl_set(d, name, b.data);
    pl_buf_fini(&b);
    return st;
}

struct pl_tpl_list *pl_tpl_list(struct pl_tpl_data *d, const char *name, const char *fields)
{
    struct var *v = add_var(d, name);
    if (!v)
        return NULL;
    if (v->list)
        return v->list;
    struct pl_tpl_list *l = calloc(1, sizeof *l);
    if (!l || !(l->proto = data_in(d->arena))) {
        free(l);
        return NULL;
    }
    for (const char *p = fields; p && *p;) {
        const char *e = strchr(p, ',');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        char *f = strndup(p, n);
        enum pl_status st = f ? pl_tpl_set(l->proto, f, "") : PL_ERR_NOMEM;
        free(f);
        if (st != PL_OK) {
            list_free(l);
            return NULL;
        }
        p = e ? e + 1 : p + n;
    }
    v->list = l;
    return l;
}

/* Room for one more item in L. */
static bool grow_items(struct pl_tpl_list *l)
{
    if (l->n < l->cap)
        return true;
    size_t cap = l->cap ? l->cap * 2 : 8;
    struct pl_tpl_data **grown = realloc(l->items, cap * sizeof *grown);
    if (!grown)
        return false;
    l->items = grown;
    if (l->fill) {
        size_t *keys = realloc(l->keys, cap * sizeof *keys);
        if (!keys)
            return false;
        l->keys = keys;
    }
    l->cap = cap;
    return true;
}

/* A scope for an item of L: room for the list's fields and no more (a province's circular
 * has hundreds of thousands of items, and the doubling from 8 left half of their variables
 * unused). */
static struct pl_tpl_data *new_item(const struct pl_tpl_list *l, struct pl_arena *a)
{
    struct pl_tpl_data *d = data_in(a);
    if (d && l->proto->n && (d->v = malloc(l->proto->n * sizeof *d->v)) != NULL)
        d->cap = l->proto->n;
    return d;
}

struct pl_tpl_data *pl_tpl_item(struct pl_tpl_list *l)
{
    if (!grow_items(l))
        return NULL;
    struct pl_tpl_data *d = new_item(l, l->proto->arena);
    if (!d)
        return NULL;
    if (l->fill)
        l->keys[l->n] = 0;
    l->items[l->n++] = d;
    return d;
}

struct pl_tpl_list *pl_tpl_list_made(struct pl_tpl_data *d, const char *name, const char *fields,
                                     pl_tpl_fill_fn fill, void *ctx)
{
    struct pl_tpl_list *l = pl_tpl_list(d, name, fields);
    if (!l || l->n || (l->fill && (l->fill != fill || l->ctx != ctx)))
        return NULL;
    l->fill = fill;
    l->ctx = ctx;
    return l;
}

enum pl_status pl_tpl_item_made(struct pl_tpl_list *l, size_t key)
{
    if (!l->fill)
        return PL_ERR_USAGE;
    if (!grow_items(l))
        return PL_ERR_NOMEM;
    l->keys[l->n] = key;
    l->items[l->n++] = NULL;
    return PL_OK;
}

struct pl_tpl_data *pl_tpl_proto(struct pl_tpl_list *l)
{
    return l->proto;
}

size_t pl_tpl_count(const struct pl_tpl_list *l)
{
    return l ? l->n : 0;
}

/* ---- parsing ---- */

enum kind { T_TEXT, T_VAR, T_RAW, T_OPEN, T_INV, T_CLOSE, T_SEP, T_COMMENT, T_DEFINE };

struct tok {
    enum kind k;
    const char *s;
    size_t n;
    unsigned long line;
    size_t match; /* for T_OPEN and T_INV: the index of the closing tag */
};

struct parser {
    struct tok *t;
    size_t n, cap;
    const char *source;
    struct pl_diag *diag;
};

static enum pl_status push(struct parser *p, enum kind k, const char *s, size_t n,
                           unsigned long line)
{
    if (k == T_TEXT && n == 0)
        return PL_OK;
    if (p->n == p->cap) {
        size_t cap = p->cap ? p->cap * 2 : 64;
        struct tok *grown = realloc(p->t, cap * sizeof *grown);
        if (!grown)
            return PL_ERR_NOMEM;
        p->t = grown;
        p->cap = cap;
    }
    p->t[p->n++] = (struct tok){k, s, n, line, 0};
    return PL_OK;
}

static bool blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
            return false;
    return true;
}

static void trim(const char **s, size_t *n)
{
    while (*n && (**s == ' ' || **s == '\t'))
        (*s)++, (*n)--;
    while (*n && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
        (*n)--;
}

static bool valid_name(const char *s, size_t n)
{
    if (!n)
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '_'))
            return false;
    }
    return true;
}

static enum pl_status fail(struct parser *p, unsigned long line, const char *fmt, const char *a,
                           size_t an)
{
    pl_diag_report(p->diag, p->source, line, 0, "E_TEMPLATE", fmt, (int)an, a);
    return PL_ERR_CONFIG;
}

/* Scans one line's tags into tokens; a line of nothing but structural tags leaves no text. */
static enum pl_status parse_line(struct parser *p, const char *s, size_t n, unsigned long line)
{
    size_t first = p->n;
    bool structural = false, inline_tag = false, text = false;
    size_t i = 0;
    enum pl_status st = PL_OK;
    while (i < n && st == PL_OK) {
        const char *open = NULL;
        for (size_t j = i; j + 1 < n; j++)
            if (s[j] == '{' && s[j + 1] == '{') {
                open = s + j;
                break;
            }
        if (!open) {
            text |= !blank(s + i, n - i);
            st = push(p, T_TEXT, s + i, n - i, line);
            break;
        }
        text |= !blank(s + i, (size_t)(open - (s + i)));
        if ((st = push(p, T_TEXT, s + i, (size_t)(open - (s + i)), line)) != PL_OK)
            break;
        const char *body = open + 2, *end = NULL;
        for (const char *q = body; q + 1 < s + n; q++)
            if (q[0] == '}' && q[1] == '}') {
                end = q;
                break;
            }
        if (!end)
            return fail(p, line, "标签“%.*s”没有以 }} 结束", open, (size_t)(s + n - open));
        size_t bn = (size_t)(end - body);
        enum kind k = T_VAR;
        if (bn && strchr("#^/|!&:", body[0])) {
            k = body[0] == '#'   ? T_OPEN
                : body[0] == '^' ? T_INV
                : body[0] == '/' ? T_CLOSE
                : body[0] == '|' ? T_SEP
                : body[0] == '&' ? T_RAW
                : body[0] == ':' ? T_DEFINE
                                 : T_COMMENT;
            body++, bn--;
        }
        if (k == T_DEFINE) {
            const char *eq = memchr(body, '=', bn);
            size_t nn = eq ? (size_t)(eq - body) : bn;
            const char *nm = body;
            trim(&nm, &nn);
            if (!eq || !valid_name(nm, nn))
                return fail(p, line, "默认值写成 {{:名字=值}}：“%.*s”", body, bn);
        } else if (k != T_SEP && k != T_COMMENT) {
            trim(&body, &bn);
            if (!valid_name(body, bn))
                return fail(p, line, "名字“%.*s”不合规则（只用字母、数字和 _）", body, bn);
        }
        if (k == T_VAR || k == T_RAW)
            inline_tag = true;
        else
            structural = true;
        st = push(p, k, body, bn, line);
        i = (size_t)(end + 2 - s);
    }
    if (st == PL_OK && structural && !inline_tag && !text) {
        /* Standalone: drop the line's text (its spaces and newline). */
        size_t w = first;
        for (size_t r = first; r < p->n; r++)
            if (p->t[r].k != T_TEXT)
                p->t[w++] = p->t[r];
        p->n = w;
    }
    return st;
}

static enum pl_status match_sections(struct parser *p)
{
    size_t *stack = malloc((p->n + 1) * sizeof *stack);
    if (!stack)
        return PL_ERR_NOMEM;
    size_t depth = 0;
    enum pl_status st = PL_OK;
    for (size_t i = 0; i < p->n && st == PL_OK; i++) {
        struct tok *t = &p->t[i];
        if (t->k == T_OPEN || t->k == T_INV) {
            stack[depth++] = i;
        } else if (t->k == T_CLOSE) {
            if (!depth) {
                st = fail(p, t->line, "{{/%.*s}} 前面没有对应的 {{#…}}", t->s, t->n);
                break;
            }
            struct tok *o = &p->t[stack[--depth]];
            if (o->n != t->n || memcmp(o->s, t->s, t->n) != 0) {
                pl_diag_report(p->diag, p->source, t->line, 0, "E_TEMPLATE",
                               "{{/%.*s}} 关闭的不是第%lu行打开的 {{#%.*s}}", (int)t->n, t->s,
                               o->line, (int)o->n, o->s);
                st = PL_ERR_CONFIG;
                break;
            }
            o->match = i;
        } else if (t->k == T_SEP && !depth) {
            st = fail(p, t->line, "分隔符 {{|%.*s}} 只能用在列表段里", t->s, t->n);
        }
    }
    if (st == PL_OK && depth) {
        struct tok *o = &p->t[stack[depth - 1]];
        st = fail(p, o->line, "段 {{#%.*s}} 没有关闭", o->s, o->n);
    }
    free(stack);
    return st;
}

/* ---- rendering ---- */

struct scope {
    const struct pl_tpl_data *d;
    const struct scope *up;
};

struct renderer {
    struct parser *p;
    pl_tpl_escape_fn escape;
};

static const struct var *lookup(const struct scope *sc, const char *name, size_t n)
{
    for (; sc; sc = sc->up) {
        const struct var *v = find(sc->d, name, n);
        if (v)
            return v;
    }
    return NULL;
}

static bool truthy(const struct var *v)
{
    if (v->list)
        return v->list->n > 0;
    return v->value && *v->value && strcmp(v->value, "0") != 0;
}

static enum pl_status render(struct renderer *r, size_t from, size_t to, const struct scope *sc,
                             bool last, struct pl_buf *out);

/* Renders the section body FROM..TO into a scratch buffer to check its names. */
static enum pl_status check_only(struct renderer *r, size_t from, size_t to, const struct scope *sc)
{
    struct pl_buf scratch;
    pl_buf_init(&scratch);
    enum pl_status st = render(r, from, to, sc, true, &scratch);
    pl_buf_fini(&scratch);
    return st;
}

/* The body FROM..TO once for each item of L. An item made while rendering (pl_tpl_item_made)
 * lives only while its body is rendered: its scope and strings are dropped before the next is
 * made, in an arena of their own emptied each time, so a made list costs one item's memory. */
static enum pl_status render_items(struct renderer *r, size_t from, size_t to,
                                   const struct pl_tpl_list *l, const struct scope *sc,
                                   struct pl_buf *out)
{
    enum pl_status st = PL_OK;
    struct pl_arena scratch;
    pl_arena_init(&scratch);
    for (size_t k = 0; k < l->n && st == PL_OK; k++) {
        struct pl_tpl_data *item = l->items[k];
        if (!item) {
            pl_arena_fini(&scratch);
            if (!(item = new_item(l, &scratch)))
                st = PL_ERR_NOMEM;
            else
                st = l->fill(l->ctx, l->keys[k], item);
        }
        struct scope inner = {item, sc};
        if (st == PL_OK)
            st = render(r, from, to, &inner, k + 1 == l->n, out);
        if (item != l->items[k])
            data_free(item);
    }
    pl_arena_fini(&scratch);
    return st;
}

static enum pl_status render(struct renderer *r, size_t from, size_t to, const struct scope *sc,
                             bool last, struct pl_buf *out)
{
    enum pl_status st = PL_OK;
    for (size_t i = from; i < to && st == PL_OK; i++) {
        const struct tok *t = &r->p->t[i];
        switch (t->k) {
        case T_TEXT:
            st = pl_buf_append(out, t->s, t->n);
            break;
        case T_COMMENT:
            break;
        case T_DEFINE:
            break;
        case T_CLOSE:
            break;
        case T_SEP:
            if (!last)
                st = pl_buf_append(out, t->s, t->n);
            break;
        case T_VAR:
        case T_RAW: {
            const struct var *v = lookup(sc, t->s, t->n);
            if (!v)
                return fail(r->p, t->line, "未知的占位符 {{%.*s}}", t->s, t->n);
            if (v->list)
                return fail(r->p, t->line, "{{%.*s}} 是列表，要用 {{#…}}…{{/…}}", t->s, t->n);
            st = r->escape && t->k == T_VAR ? r->escape(out, v->value)
                                            : pl_buf_append_str(out, v->value);
            break;
        }
        case T_OPEN:
        case T_INV: {
            const struct var *v = lookup(sc, t->s, t->n);
            if (!v)
                return fail(r->p, t->line, "未知的段名 {{#%.*s}}", t->s, t->n);
            bool show = truthy(v) == (t->k == T_OPEN);
            if (v->list && t->k == T_OPEN && v->list->n) {
                st = render_items(r, i + 1, t->match, v->list, sc, out);
            } else if (v->list && t->k == T_OPEN) {
                struct scope inner = {v->list->proto, sc};
                st = check_only(r, i + 1, t->match, &inner);
            } else if (show) {
                st = render(r, i + 1, t->match, sc, last, out);
            } else {
                st = check_only(r, i + 1, t->match, sc);
            }
            i = t->match;
            break;
        }
        }
    }
    return st;
}

enum pl_status pl_tpl_render(const char *tpl, size_t len, const char *source,
                             const struct pl_tpl_data *d, pl_tpl_escape_fn escape,
                             struct pl_buf *out, struct pl_diag *diag)
{
    struct parser p = {NULL, 0, 0, source, diag};
    enum pl_status st = PL_OK;
    unsigned long line = 1;
    for (size_t i = 0; i < len && st == PL_OK; line++) {
        const char *nl = memchr(tpl + i, '\n', len - i);
        size_t n = nl ? (size_t)(nl - (tpl + i)) + 1 : len - i;
        st = parse_line(&p, tpl + i, n, line);
        i += n;
    }
    if (st == PL_OK)
        st = match_sections(&p);
    struct pl_tpl_data *defaults = st == PL_OK ? pl_tpl_data_new() : NULL;
    if (st == PL_OK && !defaults)
        st = PL_ERR_NOMEM;
    for (size_t i = 0; i < p.n && st == PL_OK; i++) {
        if (p.t[i].k != T_DEFINE)
            continue;
        const char *eq = memchr(p.t[i].s, '=', p.t[i].n);
        const char *nm = p.t[i].s, *val = eq + 1;
        size_t nn = (size_t)(eq - nm), vn = p.t[i].n - nn - 1;
        trim(&nm, &nn);
        trim(&val, &vn);
        char *name = strndup(nm, nn), *value = strndup(val, vn);
        st = name && value ? pl_tpl_set(defaults, name, value) : PL_ERR_NOMEM;
        free(name);
        free(value);
    }
    if (st == PL_OK) {
        struct renderer r = {&p, escape};
        struct scope outer = {defaults, NULL};
        struct scope root = {d, &outer};
        st = render(&r, 0, p.n, &root, true, out);
    }
    pl_tpl_data_free(defaults);
    free(p.t);
    return st;
}
