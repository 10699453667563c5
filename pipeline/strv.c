/* strv — a list of owned strings. */
#include "strv.h"

#include <stdlib.h>
#include <string.h>

void pl_strv_init(struct pl_strv *s)
{
    s->v = NULL;
    s->n = 0;
    s->cap = 0;
}

void pl_strv_fini(struct pl_strv *s)
{
    for (size_t i = 0; i < s->n; i++)
        free(s->v[i]);
    free(s->v);
    pl_strv_init(s);
}

enum pl_status pl_strv_push(struct pl_strv *s, const char *str, size_t len)
{
    if (s->n == s->cap) {
        size_t cap = s->cap ? s->cap * 2 : 4;
        char **v = realloc(s->v, cap * sizeof *v);
        if (!v)
            return PL_ERR_NOMEM;
        s->v = v;
        s->cap = cap;
    }
    char *copy = malloc(len + 1);
    if (!copy)
        return PL_ERR_NOMEM;
    memcpy(copy, str, len);
    copy[len] = '\0';
    s->v[s->n++] = copy;
    return PL_OK;
}

enum pl_status pl_strv_push_str(struct pl_strv *s, const char *str)
{
    return pl_strv_push(s, str, strlen(str));
}

enum pl_status pl_strv_push_unique(struct pl_strv *s, const char *str)
{
    if (pl_strv_contains(s, str))
        return PL_OK;
    return pl_strv_push_str(s, str);
}

long pl_strv_find(const struct pl_strv *s, const char *str)
{
    for (size_t i = 0; i < s->n; i++)
        if (strcmp(s->v[i], str) == 0)
            return (long)i;
    return -1;
}

bool pl_strv_contains(const struct pl_strv *s, const char *str)
{
    return pl_strv_find(s, str) >= 0;
}

enum pl_status pl_strv_join(const struct pl_strv *s, char sep, struct pl_buf *out)
{
    enum pl_status st = PL_OK;
    for (size_t i = 0; i < s->n && st == PL_OK; i++) {
        if (i > 0)
            st = pl_buf_append_char(out, sep);
        if (st == PL_OK)
            st = pl_buf_append_str(out, s->v[i]);
    }
    return st;
}

enum pl_status pl_strv_split(struct pl_strv *s, const char *str, size_t len, char sep)
{
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && str[i] != sep)
            continue;
        if (i > start) {
            enum pl_status st = pl_strv_push(s, str + start, i - start);
            if (st != PL_OK)
                return st;
        }
        start = i + 1;
    }
    return PL_OK;
}

enum pl_status pl_strv_copy(struct pl_strv *dst, const struct pl_strv *src)
{
    struct pl_strv tmp;
    pl_strv_init(&tmp);
    for (size_t i = 0; i < src->n; i++) {
        if (pl_strv_push_str(&tmp, src->v[i]) != PL_OK) {
            pl_strv_fini(&tmp);
            return PL_ERR_NOMEM;
        }
    }
    pl_strv_fini(dst);
    *dst = tmp;
    return PL_OK;
}
