/* buf — growable NUL-terminated byte buffer. */
#include "buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char empty_string[1];

void pl_buf_init(struct pl_buf *b)
{
    b->data = empty_string;
    b->len = 0;
    b->cap = 0;
}

void pl_buf_fini(struct pl_buf *b)
{
    if (b->cap)
        free(b->data);
    pl_buf_init(b);
}

void pl_buf_clear(struct pl_buf *b)
{
    b->len = 0;
    if (b->cap)
        b->data[0] = '\0';
}

enum pl_status pl_buf_reserve(struct pl_buf *b, size_t extra)
{
    if (extra > (size_t)-1 - b->len - 1)
        return PL_ERR_NOMEM;
    size_t need = b->len + extra + 1;
    if (need <= b->cap)
        return PL_OK;
    size_t cap = b->cap ? b->cap : 64;
    while (cap < need)
        cap = cap > (size_t)-1 / 2 ? need : cap * 2;
    char *p = b->cap ? realloc(b->data, cap) : malloc(cap);
    if (!p)
        return PL_ERR_NOMEM;
    if (!b->cap)
        p[0] = '\0';
    b->data = p;
    b->cap = cap;
    return PL_OK;
}

enum pl_status pl_buf_append(struct pl_buf *b, const void *data, size_t len)
{
    if (pl_buf_reserve(b, len) != PL_OK)
        return PL_ERR_NOMEM;
    if (len)
        memcpy(b->data + b->len, data, len);
    b->len += len;
    b->data[b->len] = '\0';
    return PL_OK;
}

enum pl_status pl_buf_append_str(struct pl_buf *b, const char *s)
{
    return pl_buf_append(b, s, strlen(s));
}

enum pl_status pl_buf_append_char(struct pl_buf *b, char c)
{
    return pl_buf_append(b, &c, 1);
}

enum pl_status pl_buf_vprintf(struct pl_buf *b, const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0)
        return PL_ERR_INTERNAL;
    if (pl_buf_reserve(b, (size_t)n) != PL_OK)
        return PL_ERR_NOMEM;
    vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
    b->len += (size_t)n;
    return PL_OK;
}

enum pl_status pl_buf_printf(struct pl_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    enum pl_status st = pl_buf_vprintf(b, fmt, ap);
    va_end(ap);
    return st;
}

char *pl_buf_take(struct pl_buf *b)
{
    char *s;
    if (b->cap) {
        s = b->data;
    } else {
        s = malloc(1);
        if (!s)
            return NULL;
        s[0] = '\0';
    }
    pl_buf_init(b);
    return s;
}

enum pl_status pl_buf_append_ulong(struct pl_buf *b, unsigned long v)
{
    char t[24];
    size_t i = sizeof t;
    do {
        t[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    return pl_buf_append(b, t + i, sizeof t - i);
}
