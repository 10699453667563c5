/* Unit tests for memo: remembered answers by spelling, bounded by a limit. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "memo.h"

/* The answer the tests remember for a key: a pure function of it, as the checks' are. */
static const void *answer(size_t i)
{
    return (const void *)(uintptr_t)(i * 7 + 1);
}

static void test_every_key_is_found_with_its_answer_and_text_up_to_the_limit(void **state)
{
    (void)state;
    struct pl_memo m;
    pl_memo_init(&m, 100000); /* a province's names and aliases twice over */
    char key[32], text[32];
    /* Enough keys for several doublings of the slots, the items and the texts. */
    for (size_t i = 0; i < 90000; i++) {
        int n = snprintf(key, sizeof key, "%zu县单位", i);
        snprintf(text, sizeof text, "“%zu”", i);
        assert_null(pl_memo_find(&m, key, (size_t)n));
        const struct pl_memo_item *it = pl_memo_add(&m, key, (size_t)n, answer(i), text);
        assert_non_null(it);
        assert_ptr_equal(it->value, answer(i));
    }
    for (size_t i = 0; i < 90000; i++) {
        int n = snprintf(key, sizeof key, "%zu县单位", i);
        snprintf(text, sizeof text, "“%zu”", i);
        const struct pl_memo_item *it = pl_memo_find(&m, key, (size_t)n);
        assert_non_null(it);
        assert_ptr_equal(it->value, answer(i));
        assert_string_equal(pl_memo_text(&m, it), text);
    }
    /* A prefix or an extension of a key is another key. */
    assert_null(pl_memo_find(&m, "1县单", strlen("1县单")));
    assert_null(pl_memo_find(&m, "1县单位x", strlen("1县单位x")));
    pl_memo_fini(&m);
}

static void test_a_full_memo_forgets_everything_and_answers_afresh(void **state)
{
    (void)state;
    struct pl_memo m;
    pl_memo_init(&m, 3);
    assert_non_null(pl_memo_add(&m, "a", 1, answer(0), NULL));
    assert_non_null(pl_memo_add(&m, "b", 1, answer(1), "x"));
    assert_non_null(pl_memo_add(&m, "c", 1, answer(2), NULL));
    assert_int_equal(m.n, 3);
    /* The fourth forgets the three: memory stays at the limit whatever comes. */
    const struct pl_memo_item *d = pl_memo_add(&m, "d", 1, answer(3), "y");
    assert_non_null(d);
    assert_string_equal(pl_memo_text(&m, d), "y");
    assert_int_equal(m.n, 1);
    assert_null(pl_memo_find(&m, "a", 1));
    assert_null(pl_memo_find(&m, "b", 1));
    assert_ptr_equal(pl_memo_find(&m, "d", 1)->value, answer(3));
    /* Forgotten keys come back with the same answers when added again. */
    for (int round = 0; round < 3; round++) {
        for (size_t i = 0; i < 10; i++) {
            char k = (char)('a' + i);
            const struct pl_memo_item *it = pl_memo_find(&m, &k, 1);
            if (!it)
                it = pl_memo_add(&m, &k, 1, answer(i), NULL);
            assert_non_null(it);
            assert_ptr_equal(it->value, answer(i));
            assert_true(m.n <= 3);
        }
    }
    pl_memo_fini(&m);
}

static void test_a_null_text_reads_as_empty_and_keys_may_hold_any_byte(void **state)
{
    (void)state;
    struct pl_memo m;
    pl_memo_init(&m, 10);
    const char key[] = {'1', '7', '\x1F', '\0', 'x'};
    const struct pl_memo_item *it = pl_memo_add(&m, key, sizeof key, NULL, NULL);
    assert_non_null(it);
    assert_null(it->value);
    assert_string_equal(pl_memo_text(&m, it), "");
    assert_non_null(pl_memo_find(&m, key, sizeof key));
    assert_null(pl_memo_find(&m, key, 3)); /* "17\x1F" is another key */
    assert_null(pl_memo_find(&m, "", 0));
    assert_non_null(pl_memo_add(&m, "", 0, answer(9), "empty key"));
    assert_string_equal(pl_memo_text(&m, pl_memo_find(&m, "", 0)), "empty key");
    pl_memo_fini(&m);
    pl_memo_fini(&m); /* twice is harmless */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_key_is_found_with_its_answer_and_text_up_to_the_limit),
        cmocka_unit_test(test_a_full_memo_forgets_everything_and_answers_afresh),
        cmocka_unit_test(test_a_null_text_reads_as_empty_and_keys_may_hold_any_byte),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
