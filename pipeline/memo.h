/*
 * memo — remembered answers by spelling, for the checks that look the same cell up row after
 * row (a unit's name, a status word, a task's metric, the suggestions for an unknown name).
 *
 * A map from byte strings to an answer (a pointer or a small integer) and an optional text,
 * on pl_strmap: the keys and the texts live in two growing arenas, so remembering allocates
 * only when an arena or the slot array doubles. Memory stays bounded whatever the input: when
 * the memo holds its LIMIT of answers, the next pl_memo_add() forgets them all and starts
 * afresh (a caller sizes LIMIT from the catalog, so that every name the catalog knows fits and
 * a stream of distinct misspellings cannot grow it). Forgetting only costs the lookups again:
 * the answers are the caller's pure functions of the key. Caller-owned: pl_memo_init()
 * before use, pl_memo_fini() after.
 */
#ifndef PL_MEMO_H
#define PL_MEMO_H

#include <stddef.h>

#include "buf.h"
#include "status.h"
#include "strmap.h"

struct pl_memo_item {
    const void *value;
    size_t text; /* offset of the text in the memo's text arena */
};

struct pl_memo {
    struct pl_strmap map; /* key → index in items */
    struct pl_memo_item *items;
    size_t n, cap, limit;
    struct pl_buf texts; /* every text, each followed by a NUL */
};

/* Sets up an empty memo that holds at most LIMIT answers (at least 1). */
void pl_memo_init(struct pl_memo *m, size_t limit);
void pl_memo_fini(struct pl_memo *m);

/* The answer remembered for KEY[0..LEN), or NULL; valid until the next pl_memo_add(). */
const struct pl_memo_item *pl_memo_find(const struct pl_memo *m, const char *key, size_t len);

/* Remembers VALUE and a copy of TEXT (NULL: "") under KEY[0..LEN), which must not be there
 * yet; forgets everything first when the memo is full. Returns the new item (valid until the
 * next add), or NULL when out of memory (the memo is then empty or as it was). */
const struct pl_memo_item *pl_memo_add(struct pl_memo *m, const char *key, size_t len,
                                       const void *value, const char *text);

/* The text of ITEM, NUL-terminated; valid until the next pl_memo_add(). */
static inline const char *pl_memo_text(const struct pl_memo *m, const struct pl_memo_item *item)
{
    return m->texts.data + item->text;
}

#endif
