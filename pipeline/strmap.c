/* strmap — see strmap.h. */
#include "strmap.h"

#include <stdlib.h>
#include <string.h>

void pl_strmap_init(struct pl_strmap *m)
{
    m->slots = NULL;
    m->cap = 0;
    m->n = 0;
    pl_buf_init(&m->keys);
}

void pl_strmap_fini(struct pl_strmap *m)
{
    free(m->slots);
    pl_buf_fini(&m->keys);
    pl_strmap_init(m);
}

/* FNV-1a over 64 bits, then a final mix so that the low bits (the slot) depend on every
 * byte; never 0, which marks an empty slot. */
static uint64_t hash_of(const char *key, size_t len)
{
    uint64_t h = 0xcbf29ce484222325u;
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)key[i];
        h *= 0x100000001b3u;
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdu;
    h ^= h >> 33;
    return h ? h : 1;
}

/* The slot holding KEY, or the empty slot where it would go. CAP must be non-zero. */
static struct pl_strmap_slot *probe(const struct pl_strmap *m, uint64_t h, const char *key,
                                    size_t len)
{
    size_t mask = m->cap - 1;
    for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
        struct pl_strmap_slot *s = &m->slots[i];
        if (s->hash == 0)
            return s;
        if (s->hash == h && s->len == len && memcmp(m->keys.data + s->off, key, len) == 0)
            return s;
    }
}

size_t *pl_strmap_get(const struct pl_strmap *m, const char *key, size_t len)
{
    if (m->n == 0)
        return NULL;
    struct pl_strmap_slot *s = probe(m, hash_of(key, len), key, len);
    return s->hash ? &s->value : NULL;
}

/* Doubles the slot array (load kept at most one half, so probes stay short). */
static enum pl_status grow(struct pl_strmap *m)
{
    size_t cap = m->cap ? m->cap * 2 : 64;
    if (cap > (size_t)-1 / sizeof(struct pl_strmap_slot))
        return PL_ERR_NOMEM;
    struct pl_strmap_slot *slots = calloc(cap, sizeof *slots);
    if (!slots)
        return PL_ERR_NOMEM;
    for (size_t i = 0; i < m->cap; i++) {
        const struct pl_strmap_slot *s = &m->slots[i];
        if (s->hash == 0)
            continue;
        size_t j = (size_t)s->hash & (cap - 1);
        while (slots[j].hash)
            j = (j + 1) & (cap - 1);
        slots[j] = *s;
    }
    free(m->slots);
    m->slots = slots;
    m->cap = cap;
    return PL_OK;
}

enum pl_status pl_strmap_put(struct pl_strmap *m, const char *key, size_t len, size_t value,
                             size_t **out, bool *added)
{
    *out = NULL;
    *added = false;
    uint64_t h = hash_of(key, len);
    if (m->cap) {
        struct pl_strmap_slot *s = probe(m, h, key, len);
        if (s->hash) {
            *out = &s->value;
            return PL_OK;
        }
    }
    if ((m->n + 1) * 2 > m->cap) {
        enum pl_status st = grow(m);
        if (st != PL_OK)
            return st;
    }
    size_t off = m->keys.len;
    enum pl_status st = pl_buf_reserve(&m->keys, len + 1);
    if (st != PL_OK)
        return st;
    memcpy(m->keys.data + off, key, len);
    m->keys.data[off + len] = '\0';
    m->keys.len = off + len + 1;
    m->keys.data[m->keys.len] = '\0';
    struct pl_strmap_slot *s = probe(m, h, key, len);
    s->hash = h;
    s->off = off;
    s->len = len;
    s->value = value;
    m->n++;
    *out = &s->value;
    *added = true;
    return PL_OK;
}
