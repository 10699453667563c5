/* Unit tests for arena: pieces from large chunks, freed together. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdalign.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

static void test_strings_are_copied_and_terminated(void **state)
{
    (void)state;
    struct pl_arena a;
    pl_arena_init(&a);
    char src[] = "县财政局|县发改局";
    char *s = pl_arena_strndup(&a, src, strlen("县财政局"));
    assert_string_equal(s, "县财政局");
    src[0] = 'x';
    assert_string_equal(s, "县财政局");
    char *empty = pl_arena_strndup(&a, "", 0);
    assert_string_equal(empty, "");
    assert_true(pl_arena_owns(&a, s));
    assert_true(pl_arena_owns(&a, empty));
    char *heap = strdup("县财政局");
    assert_false(pl_arena_owns(&a, heap));
    free(heap);
    pl_arena_fini(&a);
    assert_int_equal(a.nchunks, 0);
    pl_arena_fini(&a); /* fini leaves an empty arena, which fini accepts */
}

/* After odd-length strings, an object piece is still aligned for any object. */
static void test_pieces_after_strings_are_aligned(void **state)
{
    (void)state;
    struct pl_arena a;
    pl_arena_init(&a);
    for (int i = 0; i < 100; i++) {
        assert_non_null(pl_arena_strndup(&a, "abc", (size_t)(i % 5)));
        void *p = pl_arena_alloc(&a, (size_t)(i % 3) * 8 + 1);
        assert_non_null(p);
        assert_int_equal((uintptr_t)p % alignof(max_align_t), 0);
        memset(p, 0xAB, (size_t)(i % 3) * 8 + 1);
    }
    pl_arena_fini(&a);
}

/* A million short strings and some large pieces: few chunks (so that owns() stays cheap),
 * every string intact, and a large piece does not waste the chunk strings come from. */
static void test_many_pieces_take_few_chunks_and_stay_intact(void **state)
{
    (void)state;
    struct pl_arena a;
    pl_arena_init(&a);
    enum { N = 1000000 };
    char **v = malloc(N * sizeof *v);
    assert_non_null(v);
    char key[32];
    for (size_t i = 0; i < N; i++) {
        int n = snprintf(key, sizeof key, "%zu县单位", i);
        v[i] = pl_arena_strndup(&a, key, (size_t)n);
        assert_non_null(v[i]);
        if (i % 100000 == 0) {
            char *big = pl_arena_alloc(&a, 3 * 1024 * 1024);
            assert_non_null(big);
            memset(big, 0, 3 * 1024 * 1024);
            assert_true(pl_arena_owns(&a, big + 3 * 1024 * 1024 - 1));
        }
    }
    for (size_t i = 0; i < N; i++) {
        snprintf(key, sizeof key, "%zu县单位", i);
        assert_string_equal(v[i], key);
        assert_true(pl_arena_owns(&a, v[i]));
    }
    assert_true(a.nchunks < 20 + 10);
    free(v);
    pl_arena_fini(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strings_are_copied_and_terminated),
        cmocka_unit_test(test_pieces_after_strings_are_aligned),
        cmocka_unit_test(test_many_pieces_take_few_chunks_and_stay_intact),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
