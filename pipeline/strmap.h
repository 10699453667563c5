/*
 * strmap — a map from byte strings to size_t values for large, mostly static tables (a
 * province catalog's 350,000 unit names and aliases); u64map, the same from 64-bit integers.
 *
 * Open addressing with linear probing. A strmap keeps each entry (value, key length, key bytes)
 * as one record in a growing arena, in insertion order; a slot is eight bytes: the record's
 * place and 32 bits of the key's hash, so that a probe reads a cache line of slots and touches
 * a record only when its hash matches. A lookup in a table too large for the cache costs two
 * misses (the slot, the record holding the key); a caller with many keys to look up hides
 * them by asking for the slots and records ahead (pl_strmap_hash(), pl_strmap_prefetch(),
 * pl_strmap_get_hashed()). An insert allocates nothing but when the slots or the arena double.
 * Keys cannot be removed (none of the users needs that). Caller-owned: _init() before use,
 * _fini() after.
 */
#ifndef PL_STRMAP_H
#define PL_STRMAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "status.h"

struct pl_strmap {
    uint64_t *slots; /* 0: empty; else hash high half << 32 | record offset / 8 + 1 */
    size_t cap;      /* slots: a power of two, or 0 */
    size_t n;        /* keys */
    struct pl_buf recs; /* the records, each 8-byte aligned */
};

void pl_strmap_init(struct pl_strmap *m);
void pl_strmap_fini(struct pl_strmap *m);

/* The value stored under KEY[0..LEN), or NULL. The pointer is valid until the next put. */
size_t *pl_strmap_get(const struct pl_strmap *m, const char *key, size_t len);

/* Finds KEY[0..LEN) or adds it with VALUE; *OUT gets the pointer to its value (valid until the
 * next put) and *ADDED whether it was new. PL_ERR_NOMEM leaves the map as it was (also for a
 * key of 4 GiB or more). */
enum pl_status pl_strmap_put(struct pl_strmap *m, const char *key, size_t len, size_t value,
                             size_t **out, bool *added);

/* Makes room for N keys in all and KEY_BYTES bytes of keys in all without growing again (a
 * caller that knows how many keys it will put saves the doublings). PL_ERR_NOMEM. */
enum pl_status pl_strmap_reserve(struct pl_strmap *m, size_t n, size_t key_bytes);

/* Lookups in bulk: the hash of a key; a hint to bring the key's first slot into the cache
 * (STAGE 0) or, once that is there, the record it points to (STAGE 1); then
 * pl_strmap_get_hashed() is pl_strmap_get() with the hash given. Hints never fail and change
 * nothing. */
uint64_t pl_strmap_hash(const char *key, size_t len);
void pl_strmap_prefetch(const struct pl_strmap *m, uint64_t hash, int stage);
size_t *pl_strmap_get_hashed(const struct pl_strmap *m, uint64_t hash, const char *key,
                             size_t len);
/* pl_strmap_put() with HASH, which must be pl_strmap_hash(KEY, LEN). */
enum pl_status pl_strmap_put_hashed(struct pl_strmap *m, uint64_t hash, const char *key,
                                    size_t len, size_t value, size_t **out, bool *added);

/* Walks the keys in insertion order: start with *POS 0; each call sets *KEY (NUL-terminated,
 * valid until the next put), *LEN and *VALUE and returns true, or returns false after the
 * last. */
bool pl_strmap_next(const struct pl_strmap *m, size_t *pos, const char **key, size_t *len,
                    size_t **value);

/* u64map: 64-bit keys to 32-bit values, both in the slot. The key UINT64_MAX cannot be stored
 * (it marks an empty slot). */
struct pl_u64map_slot {
    uint64_t key;
    uint32_t value;
};

struct pl_u64map {
    struct pl_u64map_slot *slots;
    size_t cap; /* a power of two, or 0 */
    size_t n;
};

void pl_u64map_init(struct pl_u64map *m);
void pl_u64map_fini(struct pl_u64map *m);

/* The value under KEY, or NULL; valid until the next put. */
uint32_t *pl_u64map_get(const struct pl_u64map *m, uint64_t key);

/* Finds KEY or adds it with VALUE; *OUT gets its value's pointer (valid until the next put).
 * PL_ERR_NOMEM (the map as it was), PL_ERR_USAGE for the key UINT64_MAX. */
enum pl_status pl_u64map_put(struct pl_u64map *m, uint64_t key, uint32_t value, uint32_t **out);

#endif
