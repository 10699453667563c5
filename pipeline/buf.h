/*
 * buf — a growable byte buffer, always NUL-terminated.
 *
 * Used wherever input data of unknown size is held (cells, lines, messages): there is no fixed
 * limit but memory. A buffer is caller-owned storage: pl_buf_init() before use, pl_buf_fini()
 * after; pl_buf_clear() keeps the allocation for reuse, so a streaming reader allocates once.
 */
#ifndef PL_BUF_H
#define PL_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "status.h"

struct pl_buf {
    char *data; /* NUL-terminated; never NULL after pl_buf_init() */
    size_t len;
    size_t cap;
};

void pl_buf_init(struct pl_buf *b);
void pl_buf_fini(struct pl_buf *b);
void pl_buf_clear(struct pl_buf *b);

/* Makes room for EXTRA more bytes (plus the terminator). PL_ERR_NOMEM on failure, the
 * buffer unchanged. */
enum pl_status pl_buf_reserve(struct pl_buf *b, size_t extra);

/* Appends; each returns PL_ERR_NOMEM and leaves the buffer as it was when out of memory. */
enum pl_status pl_buf_append(struct pl_buf *b, const void *data, size_t len);
enum pl_status pl_buf_append_str(struct pl_buf *b, const char *s);
enum pl_status pl_buf_append_char(struct pl_buf *b, char c);
/* Appends V in decimal, as printf's "%lu" writes it (without printf: a row's numbers are
 * written for every row of a large input). */
enum pl_status pl_buf_append_ulong(struct pl_buf *b, unsigned long v);
enum pl_status pl_buf_printf(struct pl_buf *b, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
enum pl_status pl_buf_vprintf(struct pl_buf *b, const char *fmt, va_list ap);

/* Hands the contents to the caller (free() it) and leaves B empty and reusable. Returns NULL
 * when out of memory. */
char *pl_buf_take(struct pl_buf *b);

#endif
