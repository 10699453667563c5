/* arena — see arena.h. */
#include "arena.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

struct pl_arena_chunk {
    struct pl_arena_chunk *next;
    size_t size, used; /* bytes of data[] */
    alignas(max_align_t) unsigned char data[];
};

enum { FIRST_CHUNK = 64 * 1024, LARGEST_CHUNK = 4 * 1024 * 1024, HUGE = 2 * 1024 * 1024 };
#define ALIGN (alignof(max_align_t))

void pl_arena_init(struct pl_arena *a)
{
    a->head = NULL;
    a->nchunks = 0;
    a->bytes = 0;
}

void pl_arena_fini(struct pl_arena *a)
{
    struct pl_arena_chunk *c = a->head;
    while (c) {
        struct pl_arena_chunk *next = c->next;
        free(c);
        c = next;
    }
    pl_arena_init(a);
}

/* A new chunk for a piece of SIZE bytes. Chunks double with the bytes held so far (few chunks,
 * so that pl_arena_owns() stays cheap), up to LARGEST_CHUNK; a large piece gets a chunk of its
 * own, put behind the head so that the head's free space is not lost. */
static struct pl_arena_chunk *add_chunk(struct pl_arena *a, size_t size)
{
    size_t want = a->bytes < FIRST_CHUNK ? FIRST_CHUNK : a->bytes;
    if (want > LARGEST_CHUNK)
        want = LARGEST_CHUNK;
    bool own = size > want / 4;
    if (own)
        want = size;
    if (want > SIZE_MAX - sizeof(struct pl_arena_chunk) - HUGE)
        return NULL;
    struct pl_arena_chunk *c;
    if (want >= HUGE) {
        /* A large chunk is filled from end to end: in huge pages (where the kernel has them
         * for the asking) it costs one page fault per 2 MiB instead of 512. */
        size_t len = (sizeof *c + want + HUGE - 1) & ~(size_t)(HUGE - 1);
        void *p;
        if (posix_memalign(&p, HUGE, len) != 0)
            return NULL;
#ifdef MADV_HUGEPAGE
        madvise(p, len, MADV_HUGEPAGE);
#endif
        c = p;
        want = len - sizeof *c;
    } else if (!(c = malloc(sizeof *c + want))) {
        return NULL;
    }
    c->size = want;
    c->used = 0;
    if (own && a->head) {
        c->next = a->head->next;
        a->head->next = c;
    } else {
        c->next = a->head;
        a->head = c;
    }
    a->nchunks++;
    a->bytes += want;
    return c;
}

void *pl_arena_alloc(struct pl_arena *a, size_t size)
{
    if (size > SIZE_MAX - ALIGN)
        return NULL;
    struct pl_arena_chunk *c = a->head;
    /* Strings are packed unaligned (pl_arena_strndup): round the start up. */
    size_t start = c ? (c->used + ALIGN - 1) & ~(ALIGN - 1) : 0;
    if (!c || start > c->size || c->size - start < size) {
        if (!(c = add_chunk(a, size)))
            return NULL;
        start = c->used;
    }
    c->used = start + size;
    return c->data + start;
}

char *pl_arena_strndup(struct pl_arena *a, const char *s, size_t len)
{
    if (len == SIZE_MAX)
        return NULL;
    /* Strings need no alignment: packed byte after byte in the head chunk. */
    struct pl_arena_chunk *c = a->head;
    char *p;
    if (c && c->size - c->used >= len + 1) {
        p = (char *)c->data + c->used;
        c->used += len + 1;
    } else {
        p = pl_arena_alloc(a, len + 1);
        if (!p)
            return NULL;
    }
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

bool pl_arena_owns(const struct pl_arena *a, const void *p)
{
    uintptr_t q = (uintptr_t)p;
    for (const struct pl_arena_chunk *c = a->head; c; c = c->next) {
        uintptr_t start = (uintptr_t)c->data;
        if (q >= start && q < start + c->size)
            return true;
    }
    return false;
}
