/*
 * strmap — a map from byte strings to size_t values for large, mostly static tables (a
 * province catalog's 350,000 unit names and aliases, its 170,000 (task, unit) pairs).
 *
 * Open addressing with linear probing over one flat slot array; the keys are copied into one
 * growing byte arena. A lookup costs a hash and, nearly always, one slot and one key compare;
 * an insert allocates nothing but when the table or the arena doubles. Keys cannot be removed
 * (none of its users needs that). Caller-owned: pl_strmap_init() before use, pl_strmap_fini()
 * after.
 */
#ifndef PL_STRMAP_H
#define PL_STRMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "status.h"

struct pl_strmap_slot {
    uint64_t hash; /* 0: an empty slot (real hashes are made non-zero) */
    size_t off;    /* the key's bytes in the arena */
    size_t len;
    size_t value;
};

struct pl_strmap {
    struct pl_strmap_slot *slots;
    size_t cap; /* a power of two, or 0 */
    size_t n;
    struct pl_buf keys; /* every key, each followed by a NUL */
};

void pl_strmap_init(struct pl_strmap *m);
void pl_strmap_fini(struct pl_strmap *m);

/* The value stored under KEY[0..LEN), or NULL. The pointer is valid until the next put. */
size_t *pl_strmap_get(const struct pl_strmap *m, const char *key, size_t len);

/* Finds KEY[0..LEN) or adds it with VALUE; *OUT gets the pointer to its value (valid until the
 * next put) and *ADDED whether it was new. PL_ERR_NOMEM leaves the map as it was. */
enum pl_status pl_strmap_put(struct pl_strmap *m, const char *key, size_t len, size_t value,
                             size_t **out, bool *added);

/* The key of a stored slot, NUL-terminated; valid until the next put. */
static inline const char *pl_strmap_key(const struct pl_strmap *m,
                                        const struct pl_strmap_slot *s)
{
    return m->keys.data + s->off;
}

#endif
