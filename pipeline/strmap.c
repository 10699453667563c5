/* strmap — see strmap.h. */
#include "strmap.h"

#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* Tables grow when more than three quarters full: with tags in the slots, a probe that walks
 * a few slots reads no more than a cache line or two. */
#define FULL(n, cap) ((n) * 4 > (cap) * 3)

/* A record: the value, the key's length and the low half of its hash, then the key and a NUL,
 * padded to eight bytes. */
struct rec {
    size_t value;
    uint32_t len;
    uint32_t hash_lo;
    char key[];
};

#define REC_SIZE(len) ((sizeof(struct rec) + (len) + 1 + 7) & ~(size_t)7)
#define TAG(h) ((h) & 0xFFFFFFFF00000000u)

static struct rec *rec_at(const struct pl_strmap *m, uint64_t slot)
{
    return (struct rec *)(void *)(m->recs.data + ((slot & 0xFFFFFFFFu) - 1) * 8);
}

void pl_strmap_init(struct pl_strmap *m)
{
    m->slots = NULL;
    m->cap = 0;
    m->n = 0;
    pl_buf_init(&m->recs);
}

void pl_strmap_fini(struct pl_strmap *m)
{
    free(m->slots);
    pl_buf_fini(&m->recs);
    pl_strmap_init(m);
}

/* Eight bytes at a time, each folded in with a multiply, then a final mix (MurmurHash3's) so
 * that the low bits (the slot) and the high bits (the tag) depend on every byte. The key's
 * length is part of the hash, so "a" and "a\0" differ. */
uint64_t pl_strmap_hash(const char *key, size_t len)
{
    const uint64_t k = 0x9E3779B97F4A7C15u;
    uint64_t h = (uint64_t)len * k;
    const unsigned char *p = (const unsigned char *)key;
    for (; len >= 8; p += 8, len -= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        h = (h ^ w) * k;
        h ^= h >> 31;
    }
    if (len) {
        uint64_t w = 0;
        memcpy(&w, p, len);
        h = (h ^ w) * k;
        h ^= h >> 31;
    }
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdu;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53u;
    h ^= h >> 33;
    return h;
}

/* The slot holding KEY, or the empty slot where it would go. CAP must be non-zero. */
static uint64_t *probe(const struct pl_strmap *m, uint64_t h, const char *key, size_t len)
{
    size_t mask = m->cap - 1;
    for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
        uint64_t *s = &m->slots[i];
        if (*s == 0)
            return s;
        if (TAG(*s) != TAG(h))
            continue;
        const struct rec *r = rec_at(m, *s);
        if (r->len == len && memcmp(r->key, key, len) == 0)
            return s;
    }
}

size_t *pl_strmap_get_hashed(const struct pl_strmap *m, uint64_t hash, const char *key,
                             size_t len)
{
    if (m->n == 0)
        return NULL;
    uint64_t *s = probe(m, hash, key, len);
    return *s ? &rec_at(m, *s)->value : NULL;
}

size_t *pl_strmap_get(const struct pl_strmap *m, const char *key, size_t len)
{
    return m->n ? pl_strmap_get_hashed(m, pl_strmap_hash(key, len), key, len) : NULL;
}

void pl_strmap_prefetch(const struct pl_strmap *m, uint64_t hash, int stage)
{
    if (m->cap == 0)
        return;
    const uint64_t *s = &m->slots[(size_t)hash & (m->cap - 1)];
    if (stage == 0)
        __builtin_prefetch(s);
    else if (*s)
        __builtin_prefetch(rec_at(m, *s));
}

bool pl_strmap_next(const struct pl_strmap *m, size_t *pos, const char **key, size_t *len,
                    size_t **value)
{
    if (*pos >= m->recs.len)
        return false;
    struct rec *r = (struct rec *)(void *)(m->recs.data + *pos);
    *key = r->key;
    *len = r->len;
    *value = &r->value;
    *pos += REC_SIZE(r->len);
    return true;
}

/* Zeroed memory for a table of BYTES. A large table is looked up at random, and with 4 KiB
 * pages nearly every probe would also miss the TLB: large tables are aligned to 2 MiB and
 * offered to the kernel for transparent huge pages (a hint; nothing fails without). Freed by
 * free(). */
enum { HUGE = 2 * 1024 * 1024 };

/* BYTES (at least HUGE) aligned to 2 MiB and offered for huge pages; *LEN gets the size given
 * (BYTES rounded up). NULL when out of memory. */
static void *huge_alloc(size_t bytes, size_t *len)
{
    *len = (bytes + HUGE - 1) & ~(size_t)(HUGE - 1);
    void *p;
    if (*len < bytes || posix_memalign(&p, HUGE, *len) != 0)
        return NULL;
#ifdef MADV_HUGEPAGE
    madvise(p, *len, MADV_HUGEPAGE);
#endif
    return p;
}

static void *table_alloc(size_t bytes)
{
    if (bytes < HUGE)
        return calloc(1, bytes ? bytes : 1);
    size_t len;
    void *p = huge_alloc(bytes, &len);
    if (p)
        memset(p, 0, bytes);
    return p;
}

/* Makes the slot array CAP long (a power of two holding every key) and places the keys. */
static enum pl_status rehash(struct pl_strmap *m, size_t cap)
{
    if (cap > (size_t)-1 / sizeof *m->slots)
        return PL_ERR_NOMEM;
    uint64_t *slots = table_alloc(cap * sizeof *slots);
    if (!slots)
        return PL_ERR_NOMEM;
    for (size_t i = 0; i < m->cap; i++) {
        uint64_t s = m->slots[i];
        if (s == 0)
            continue;
        size_t j = (size_t)(TAG(s) | rec_at(m, s)->hash_lo) & (cap - 1);
        while (slots[j])
            j = (j + 1) & (cap - 1);
        slots[j] = s;
    }
    free(m->slots);
    m->slots = slots;
    m->cap = cap;
    return PL_OK;
}

enum pl_status pl_strmap_reserve(struct pl_strmap *m, size_t n, size_t key_bytes)
{
    size_t cap = m->cap ? m->cap : 64;
    while (FULL(n, cap)) {
        if (cap > (size_t)-1 / 4)
            return PL_ERR_NOMEM;
        cap *= 2;
    }
    enum pl_status st = cap > m->cap ? rehash(m, cap) : PL_OK;
    /* Each record: its header, its key and NUL, up to 7 bytes of padding. */
    size_t bytes = n * (sizeof(struct rec) + 8) + key_bytes, len;
    if (st == PL_OK && m->recs.cap == 0 && bytes >= HUGE) {
        /* Records are written from end to end: in huge pages, as the slots are. The buffer
         * stays a pl_buf (free() and realloc() take this memory). */
        char *p = huge_alloc(bytes + 1, &len);
        if (!p)
            return PL_ERR_NOMEM;
        p[0] = '\0';
        m->recs.data = p;
        m->recs.cap = len;
    }
    if (st == PL_OK && bytes > m->recs.len)
        st = pl_buf_reserve(&m->recs, bytes - m->recs.len);
    return st;
}

enum pl_status pl_strmap_put(struct pl_strmap *m, const char *key, size_t len, size_t value,
                             size_t **out, bool *added)
{
    return pl_strmap_put_hashed(m, pl_strmap_hash(key, len), key, len, value, out, added);
}

enum pl_status pl_strmap_put_hashed(struct pl_strmap *m, uint64_t h, const char *key, size_t len,
                                    size_t value, size_t **out, bool *added)
{
    *out = NULL;
    *added = false;
    if (len > 0xFFFFFFFFu - 16)
        return PL_ERR_NOMEM;
    uint64_t *s = NULL;
    if (m->cap) {
        s = probe(m, h, key, len);
        if (*s) {
            *out = &rec_at(m, *s)->value;
            return PL_OK;
        }
    }
    size_t off = m->recs.len, size = REC_SIZE(len);
    if (off / 8 >= 0xFFFFFFFFu - 1)
        return PL_ERR_NOMEM;
    enum pl_status st = pl_buf_reserve(&m->recs, size);
    if (st == PL_OK && (!m->cap || FULL(m->n + 1, m->cap))) {
        if ((st = rehash(m, m->cap ? m->cap * 2 : 64)) == PL_OK)
            s = probe(m, h, key, len);
    }
    if (st != PL_OK)
        return st;
    /* pl_buf keeps its data malloc'd (aligned for any object) and OFF a multiple of 8. */
    struct rec *r = (struct rec *)(void *)(m->recs.data + off);
    memset(r, 0, size);
    r->value = value;
    r->len = (uint32_t)len;
    r->hash_lo = (uint32_t)h;
    memcpy(r->key, key, len);
    m->recs.len = off + size;
    m->recs.data[m->recs.len] = '\0';
    *s = TAG(h) | (uint64_t)(off / 8 + 1);
    m->n++;
    *out = &r->value;
    *added = true;
    return PL_OK;
}

/* ---- u64map ------------------------------------------------------------------------------ */

#define EMPTY UINT64_MAX

void pl_u64map_init(struct pl_u64map *m)
{
    m->slots = NULL;
    m->cap = 0;
    m->n = 0;
}

void pl_u64map_fini(struct pl_u64map *m)
{
    free(m->slots);
    pl_u64map_init(m);
}

static size_t u64_hash(uint64_t key)
{
    key ^= key >> 33;
    key *= 0xff51afd7ed558ccdu;
    key ^= key >> 33;
    key *= 0xc4ceb9fe1a85ec53u;
    key ^= key >> 33;
    return (size_t)key;
}

static struct pl_u64map_slot *u64_probe(const struct pl_u64map *m, uint64_t key)
{
    size_t mask = m->cap - 1;
    for (size_t i = u64_hash(key) & mask;; i = (i + 1) & mask)
        if (m->slots[i].key == key || m->slots[i].key == EMPTY)
            return &m->slots[i];
}

uint32_t *pl_u64map_get(const struct pl_u64map *m, uint64_t key)
{
    if (m->n == 0 || key == EMPTY)
        return NULL;
    struct pl_u64map_slot *s = u64_probe(m, key);
    return s->key == key ? &s->value : NULL;
}

static enum pl_status u64_grow(struct pl_u64map *m)
{
    size_t cap = m->cap ? m->cap * 2 : 64;
    if (cap > (size_t)-1 / sizeof(struct pl_u64map_slot))
        return PL_ERR_NOMEM;
    struct pl_u64map_slot *slots = malloc(cap * sizeof *slots);
    if (!slots)
        return PL_ERR_NOMEM;
    for (size_t i = 0; i < cap; i++)
        slots[i].key = EMPTY;
    struct pl_u64map old = *m;
    m->slots = slots;
    m->cap = cap;
    for (size_t i = 0; i < old.cap; i++)
        if (old.slots[i].key != EMPTY)
            *u64_probe(m, old.slots[i].key) = old.slots[i];
    free(old.slots);
    return PL_OK;
}

enum pl_status pl_u64map_put(struct pl_u64map *m, uint64_t key, uint32_t value, uint32_t **out)
{
    *out = NULL;
    if (key == EMPTY)
        return PL_ERR_USAGE;
    if (m->cap) {
        struct pl_u64map_slot *s = u64_probe(m, key);
        if (s->key == key) {
            *out = &s->value;
            return PL_OK;
        }
    }
    if (!m->cap || FULL(m->n + 1, m->cap)) {
        enum pl_status st = u64_grow(m);
        if (st != PL_OK)
            return st;
    }
    struct pl_u64map_slot *s = u64_probe(m, key);
    s->key = key;
    s->value = value;
    m->n++;
    *out = &s->value;
    return PL_OK;
}
