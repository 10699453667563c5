/*
 * strv — a growable list of owned, NUL-terminated strings.
 *
 * The catalog's lists (a task's leaders, hosts and co-units; a unit's aliases and members) are
 * lists of names kept in the order the document gives them. This module holds such a list,
 * joins it with a separator for a CSV cell and splits a cell back. It knows nothing of names:
 * see unitnames for how a document's list is cut into names.
 */
#ifndef PL_STRV_H
#define PL_STRV_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "status.h"

struct pl_strv {
    char **v; /* v[0..n) are owned copies */
    size_t n;
    size_t cap;
};

void pl_strv_init(struct pl_strv *s);
/* Frees every string and the array; S is left empty and reusable. */
void pl_strv_fini(struct pl_strv *s);

/* Appends a copy of STR[0..LEN). PL_ERR_NOMEM, the list unchanged, when out of memory. */
enum pl_status pl_strv_push(struct pl_strv *s, const char *str, size_t len);
enum pl_status pl_strv_push_str(struct pl_strv *s, const char *str);
/* Appends a copy unless an equal string is already in the list. */
enum pl_status pl_strv_push_unique(struct pl_strv *s, const char *str);

/* The index of the first string equal to STR, or -1. */
long pl_strv_find(const struct pl_strv *s, const char *str);
bool pl_strv_contains(const struct pl_strv *s, const char *str);

/* Appends the strings to OUT separated by SEP (nothing for an empty list). */
enum pl_status pl_strv_join(const struct pl_strv *s, char sep, struct pl_buf *out);

/* Appends the non-empty pieces of STR[0..LEN) cut at SEP. */
enum pl_status pl_strv_split(struct pl_strv *s, const char *str, size_t len, char sep);

/* Replaces DST's contents with copies of SRC's. */
enum pl_status pl_strv_copy(struct pl_strv *dst, const struct pl_strv *src);

#endif
