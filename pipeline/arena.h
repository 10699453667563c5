/*
 * arena — memory handed out in pieces and given back all at once.
 *
 * For data loaded whole and freed whole: a province catalog's million names and cells, which
 * one malloc each would cost a call and a header apiece and one free each at the end. Pieces
 * come from large chunks (growing from 64 KiB to 4 MiB; a piece larger than a quarter of a
 * chunk gets a chunk of its own), are aligned for any object, and live until
 * pl_arena_fini(). Nothing is freed piece by piece. Chunks of 2 MiB and more are offered to
 * the kernel for transparent huge pages (fewer page faults as they fill; a hint only).
 * Caller-owned: pl_arena_init() before use, pl_arena_fini() after.
 */
#ifndef PL_ARENA_H
#define PL_ARENA_H

#include <stdbool.h>
#include <stddef.h>

struct pl_arena_chunk;

struct pl_arena {
    struct pl_arena_chunk *head; /* the chunk pieces come from now; older ones follow */
    size_t nchunks;
    size_t bytes; /* the chunks' sizes added up */
};

void pl_arena_init(struct pl_arena *a);
/* Frees every chunk: every piece handed out is gone. A is left empty and reusable. */
void pl_arena_fini(struct pl_arena *a);

/* SIZE bytes aligned for any object, uninitialised, or NULL when out of memory (the arena
 * unchanged). A SIZE of 0 gives a valid pointer to no bytes. */
void *pl_arena_alloc(struct pl_arena *a, size_t size);

/* A NUL-terminated copy of S[0..LEN) in the arena (S may hold no NUL), or NULL when out of
 * memory. */
char *pl_arena_strndup(struct pl_arena *a, const char *s, size_t len);

/* Whether P points into a piece of A: how an owner that mixes pieces of an arena with
 * malloc'd strings tells which to free. Costs a compare per chunk. */
bool pl_arena_owns(const struct pl_arena *a, const void *p);

#endif
