/* zipparts — a zip's parts compressed as minizip compresses them, each distinct part once. */
#include "zipparts.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

/* The fingerprints of parts seen once: a part is remembered at its second sighting. A slot
 * overwritten by another part only delays remembering; it never decides what is written. */
#define SEEN_SLOTS 4096

struct entry {
    struct entry *next;
    uint64_t hash;
    bool memo; /* pl_zipparts_remember()'s: no settings, no CRC */
    struct pl_zipparts_settings set;
    size_t name_len, size, len; /* name, uncompressed and compressed lengths */
    uint32_t crc;
    bool text;
    unsigned char bytes[]; /* name, the uncompressed bytes, the compressed bytes */
};

struct pl_zipparts {
    size_t budget, used;
    struct entry **buckets;
    size_t nbuckets, count;
    uint64_t seen[SEEN_SLOTS];
    /* One deflate stream for every part: reset (a cleared hash table) rather than set up
     * and freed again (a quarter of a megabyte each) part after part. */
    z_stream z;
    bool z_ready;
    struct pl_zipparts_settings z_set;
    unsigned char *out; /* the compressed bytes of a part not remembered */
    size_t out_cap;
    struct pl_zipparts_stats stats;
};

enum pl_status pl_zipparts_new(struct pl_zipparts **out, size_t budget)
{
    *out = NULL;
    struct pl_zipparts *c = calloc(1, sizeof *c);
    if (!c)
        return PL_ERR_NOMEM;
    c->budget = budget;
    c->nbuckets = 64;
    c->buckets = calloc(c->nbuckets, sizeof *c->buckets);
    if (!c->buckets) {
        free(c);
        return PL_ERR_NOMEM;
    }
    *out = c;
    return PL_OK;
}

void pl_zipparts_free(struct pl_zipparts *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->nbuckets; i++)
        for (struct entry *e = c->buckets[i], *next; e; e = next) {
            next = e->next;
            free(e);
        }
    free(c->buckets);
    if (c->z_ready)
        deflateEnd(&c->z);
    free(c->out);
    free(c);
}

void pl_zipparts_stats(const struct pl_zipparts *c, struct pl_zipparts_stats *out)
{
    *out = c->stats;
}

/* ---- keys -------------------------------------------------------------------------------- */

static uint64_t mix(uint64_t h, uint64_t w)
{
    h ^= w;
    h *= 0x9E3779B97F4A7C15ULL;
    return h ^ (h >> 29);
}

/* A 64-bit hash of the bytes, eight at a time: it only spreads the parts over the table and
 * the fingerprints; a hit is always confirmed by comparing the bytes. */
static uint64_t hash_bytes(uint64_t h, const unsigned char *p, size_t n)
{
    for (; n >= 8; p += 8, n -= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        h = mix(h, w);
    }
    uint64_t last = 0;
    memcpy(&last, p, n);
    return mix(mix(h, last), n);
}

static uint64_t key_hash(const char *name, size_t name_len, const unsigned char *data, size_t len,
                         const struct pl_zipparts_settings *set, bool memo)
{
    uint64_t h = mix(memo ? 0x13198A2E03707344ULL : 0x243F6A8885A308D3ULL, len);
    h = mix(h, (uint64_t)(unsigned)set->level << 32 | (unsigned)set->window_bits);
    h = mix(h, (uint64_t)(unsigned)set->mem_level << 32 | (unsigned)set->strategy);
    h = hash_bytes(h, (const unsigned char *)name, name_len);
    return hash_bytes(h, data, len);
}

static bool same_settings(const struct pl_zipparts_settings *a,
                          const struct pl_zipparts_settings *b)
{
    return a->level == b->level && a->window_bits == b->window_bits &&
           a->mem_level == b->mem_level && a->strategy == b->strategy;
}

static struct entry *find(const struct pl_zipparts *c, uint64_t hash, const char *name,
                          size_t name_len, const unsigned char *data, size_t len,
                          const struct pl_zipparts_settings *set, bool memo)
{
    for (struct entry *e = c->buckets[hash & (c->nbuckets - 1)]; e; e = e->next)
        if (e->hash == hash && e->memo == memo && e->size == len && e->name_len == name_len &&
            same_settings(&e->set, set) && memcmp(e->bytes, name, name_len) == 0 &&
            memcmp(e->bytes + name_len, data, len) == 0)
            return e;
    return NULL;
}

/* ---- compression ------------------------------------------------------------------------- */

static enum pl_status grow_out(struct pl_zipparts *c, size_t need)
{
    if (need <= c->out_cap)
        return PL_OK;
    size_t cap = c->out_cap ? c->out_cap : 16384;
    while (cap < need)
        cap = cap > SIZE_MAX / 2 ? need : cap * 2;
    unsigned char *grown = realloc(c->out, cap);
    if (!grown)
        return PL_ERR_NOMEM;
    c->out = grown;
    c->out_cap = cap;
    return PL_OK;
}

/*
 * Compresses DATA into c->out as minizip does (zip.c, zipOpenNewFileInZip4_64 with raw 0):
 * deflateInit2(level, Z_DEFLATED, window bits made negative, memory level, strategy), the
 * bytes given with Z_NO_FLUSH, then Z_FINISH until the stream ends. deflateReset() leaves the
 * stream as deflateInit2() leaves a new one. minizip feeds deflate 16 KB at a time (what
 * libxlsxwriter hands it) into a 64 KB buffer; zlib's output does not depend on how the
 * input is split or on the room given for output (the test compares), so it is given whole.
 */
static enum pl_status compress_part(struct pl_zipparts *c, const unsigned char *data, size_t len,
                                    const struct pl_zipparts_settings *set, size_t *out_len,
                                    bool *text)
{
    int wbits = set->window_bits > 0 ? -set->window_bits : set->window_bits;
    if (c->z_ready && !same_settings(&c->z_set, set)) {
        deflateEnd(&c->z);
        c->z_ready = false;
    }
    if (c->z_ready) {
        if (deflateReset(&c->z) != Z_OK)
            return PL_ERR_INTERNAL;
    } else {
        memset(&c->z, 0, sizeof c->z);
        int zerr =
            deflateInit2(&c->z, set->level, Z_DEFLATED, wbits, set->mem_level, set->strategy);
        if (zerr != Z_OK)
            return zerr == Z_MEM_ERROR ? PL_ERR_NOMEM : PL_ERR_INTERNAL;
        c->z_ready = true;
        c->z_set = *set;
    }
    /* deflateBound() is enough for the whole stream; more is asked for should it not be. */
    size_t bound = len <= UINT_MAX / 2 ? deflateBound(&c->z, (uLong)len) : len + len / 8 + 64;
    if (grow_out(c, bound) != PL_OK)
        return PL_ERR_NOMEM;
    z_stream *z = &c->z;
    size_t done_in = 0, done_out = 0;
    int flush = Z_NO_FLUSH, zerr = Z_OK;
    for (;;) {
        if (z->avail_in == 0 && done_in < len) {
            size_t n = len - done_in < UINT_MAX ? len - done_in : UINT_MAX;
            z->next_in = (Bytef *)(data + done_in);
            z->avail_in = (uInt)n;
            done_in += n;
        }
        if (done_in == len && z->avail_in == 0)
            flush = Z_FINISH;
        if (done_out == c->out_cap && grow_out(c, c->out_cap + 1) != PL_OK)
            return PL_ERR_NOMEM;
        size_t room = c->out_cap - done_out < UINT_MAX ? c->out_cap - done_out : UINT_MAX;
        z->next_out = c->out + done_out;
        z->avail_out = (uInt)room;
        zerr = deflate(z, flush);
        done_out += room - z->avail_out;
        if (zerr == Z_STREAM_END)
            break;
        if (zerr != Z_OK && zerr != Z_BUF_ERROR)
            return PL_ERR_INTERNAL;
    }
    *out_len = done_out;
    *text = z->data_type == Z_TEXT;
    return PL_OK;
}

static uint32_t crc_of(const unsigned char *data, size_t len)
{
    uLong crc = crc32(0L, Z_NULL, 0);
    while (len > 0) {
        uInt n = len < UINT_MAX ? (uInt)len : UINT_MAX;
        crc = crc32(crc, data, n);
        data += n;
        len -= n;
    }
    return (uint32_t)crc;
}

/* Doubles the table once it holds as many parts as buckets. Out of memory, it stays. */
static void maybe_grow(struct pl_zipparts *c)
{
    if (c->count < c->nbuckets || c->nbuckets > SIZE_MAX / 2 / sizeof *c->buckets)
        return;
    size_t n = c->nbuckets * 2;
    struct entry **b = calloc(n, sizeof *b);
    if (!b)
        return;
    for (size_t i = 0; i < c->nbuckets; i++)
        for (struct entry *e = c->buckets[i], *next; e; e = next) {
            next = e->next;
            e->next = b[e->hash & (n - 1)];
            b[e->hash & (n - 1)] = e;
        }
    free(c->buckets);
    c->buckets = b;
    c->nbuckets = n;
}

/* True at the second sighting of HASH (a part seen once is not worth its memory). */
static bool seen_before(struct pl_zipparts *c, uint64_t hash)
{
    uint64_t *slot = &c->seen[hash & (SEEN_SLOTS - 1)];
    if (*slot == hash)
        return true;
    *slot = hash;
    return false;
}

/* Remembers VALUE under the key (NAME, SET or MEMO, DATA) when the budget allows; NULL when it
 * is not remembered (no room, no memory: no failure, the caller has what it needs). */
static struct entry *insert(struct pl_zipparts *c, uint64_t hash, bool memo, const char *name,
                            size_t name_len, const struct pl_zipparts_settings *set,
                            const unsigned char *data, size_t len, const void *value, size_t vlen,
                            uint32_t crc, bool text)
{
    if (len > SIZE_MAX / 4 || vlen > SIZE_MAX / 4 || name_len > SIZE_MAX / 4)
        return NULL;
    size_t size = sizeof(struct entry) + name_len + len + vlen;
    if (size > c->budget - c->used) /* used never exceeds budget */
        return NULL;
    struct entry *e = malloc(size);
    if (!e)
        return NULL;
    *e = (struct entry){.hash = hash,
                        .memo = memo,
                        .set = *set,
                        .name_len = name_len,
                        .size = len,
                        .len = vlen,
                        .crc = crc,
                        .text = text};
    memcpy(e->bytes, name, name_len);
    memcpy(e->bytes + name_len, data, len);
    memcpy(e->bytes + name_len + len, value, vlen);
    maybe_grow(c);
    struct entry **b = &c->buckets[hash & (c->nbuckets - 1)];
    e->next = *b;
    *b = e;
    c->count++;
    c->used += size;
    c->stats.remembered++;
    c->stats.bytes = c->used;
    return e;
}

enum pl_status pl_zipparts_deflate(struct pl_zipparts *c, const char *name, const void *data,
                                   size_t len, const struct pl_zipparts_settings *set,
                                   struct pl_zippart *out)
{
    memset(out, 0, sizeof *out);
    const unsigned char *bytes = data ? data : (const unsigned char *)"";
    size_t name_len = strlen(name);
    bool keep = c->budget > 0 && len <= PL_ZIPPARTS_MAX_PART;
    uint64_t hash = keep ? key_hash(name, name_len, bytes, len, set, false) : 0;
    if (keep) {
        struct entry *e = find(c, hash, name, name_len, bytes, len, set, false);
        if (e) {
            *out = (struct pl_zippart){.data = e->bytes + e->name_len + e->size,
                                       .len = e->len,
                                       .crc = e->crc,
                                       .text = e->text,
                                       .cached = true};
            c->stats.hits++;
            return PL_OK;
        }
    }
    size_t clen;
    bool text;
    enum pl_status st = compress_part(c, bytes, len, set, &clen, &text);
    if (st != PL_OK)
        return st;
    c->stats.compressed++;
    *out =
        (struct pl_zippart){.data = c->out, .len = clen, .crc = crc_of(bytes, len), .text = text};
    if (keep && seen_before(c, hash)) {
        struct entry *e =
            insert(c, hash, false, name, name_len, set, bytes, len, c->out, clen, out->crc, text);
        if (e)
            out->data = e->bytes + name_len + len;
    }
    return PL_OK;
}

/* ---- other bytes ------------------------------------------------------------------------- */

static const struct pl_zipparts_settings no_settings = {0, 0, 0, 0};

bool pl_zipparts_recall(struct pl_zipparts *c, const char *name, const void *key, size_t key_len,
                        const void **value, size_t *value_len)
{
    if (c->budget == 0 || key_len > PL_ZIPPARTS_MAX_PART)
        return false;
    size_t name_len = strlen(name);
    uint64_t hash = key_hash(name, name_len, key, key_len, &no_settings, true);
    struct entry *e = find(c, hash, name, name_len, key, key_len, &no_settings, true);
    if (!e)
        return false;
    *value = e->bytes + e->name_len + e->size;
    *value_len = e->len;
    c->stats.hits++;
    return true;
}

void pl_zipparts_remember(struct pl_zipparts *c, const char *name, const void *key, size_t key_len,
                          const void *value, size_t value_len)
{
    if (c->budget == 0 || key_len > PL_ZIPPARTS_MAX_PART || value_len > PL_ZIPPARTS_MAX_PART)
        return;
    size_t name_len = strlen(name);
    uint64_t hash = key_hash(name, name_len, key, key_len, &no_settings, true);
    if (seen_before(c, hash) && !find(c, hash, name, name_len, key, key_len, &no_settings, true))
        insert(c, hash, true, name, name_len, &no_settings, key, key_len, value, value_len, 0,
               false);
}
