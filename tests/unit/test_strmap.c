/* Unit tests for strmap: string keys to values, by open addressing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "strmap.h"

static void test_put_then_get_finds_each_key_and_only_those(void **state)
{
    (void)state;
    struct pl_strmap m;
    pl_strmap_init(&m);
    assert_null(pl_strmap_get(&m, "x", 1)); /* empty: no slots yet */
    /* Enough keys for several doublings of the slots and the arena. */
    char key[32];
    for (size_t i = 0; i < 20000; i++) {
        int n = snprintf(key, sizeof key, "%zu县单位", i);
        size_t *v;
        bool added;
        assert_int_equal(pl_strmap_put(&m, key, (size_t)n, i * 3, &v, &added), PL_OK);
        assert_true(added);
        assert_int_equal(*v, i * 3);
    }
    assert_int_equal(m.n, 20000);
    for (size_t i = 0; i < 20000; i++) {
        int n = snprintf(key, sizeof key, "%zu县单位", i);
        size_t *v = pl_strmap_get(&m, key, (size_t)n);
        assert_non_null(v);
        assert_int_equal(*v, i * 3);
    }
    assert_null(pl_strmap_get(&m, "20000县单位", strlen("20000县单位")));
    assert_null(pl_strmap_get(&m, "1县单", strlen("1县单"))); /* a prefix is another key */
    pl_strmap_fini(&m);
}

static void test_put_of_a_known_key_keeps_its_value_for_the_caller_to_change(void **state)
{
    (void)state;
    struct pl_strmap m;
    pl_strmap_init(&m);
    size_t *v;
    bool added;
    assert_int_equal(pl_strmap_put(&m, "县财政局", strlen("县财政局"), 7, &v, &added), PL_OK);
    assert_true(added);
    assert_int_equal(pl_strmap_put(&m, "县财政局", strlen("县财政局"), 9, &v, &added), PL_OK);
    assert_false(added);
    assert_int_equal(*v, 7);
    *v |= 16;
    assert_int_equal(*pl_strmap_get(&m, "县财政局", strlen("县财政局")), 23);
    assert_int_equal(m.n, 1);
    pl_strmap_fini(&m);
}

static void test_keys_are_bytes_with_length_and_copied(void **state)
{
    (void)state;
    struct pl_strmap m;
    pl_strmap_init(&m);
    size_t *v;
    bool added;
    char key[] = "12\x1F县教育局";
    assert_int_equal(pl_strmap_put(&m, key, strlen(key), 1, &v, &added), PL_OK);
    assert_int_equal(pl_strmap_put(&m, "a\0b", 3, 2, &v, &added), PL_OK);
    assert_int_equal(pl_strmap_put(&m, "a", 1, 3, &v, &added), PL_OK);
    assert_true(added);
    assert_int_equal(pl_strmap_put(&m, "", 0, 4, &v, &added), PL_OK);
    assert_true(added);
    key[0] = '9'; /* the map holds its own copy */
    assert_int_equal(*pl_strmap_get(&m, "12\x1F县教育局", strlen("12\x1F县教育局")), 1);
    assert_null(pl_strmap_get(&m, key, strlen(key)));
    assert_int_equal(*pl_strmap_get(&m, "a\0b", 3), 2);
    assert_int_equal(*pl_strmap_get(&m, "a", 1), 3);
    assert_int_equal(*pl_strmap_get(&m, "", 0), 4);
    for (size_t i = 0; i < m.cap; i++)
        if (m.slots[i].hash && m.slots[i].value == 1)
            assert_string_equal(pl_strmap_key(&m, &m.slots[i]), "12\x1F县教育局");
    pl_strmap_fini(&m);
    pl_strmap_fini(&m); /* fini leaves an empty map, which fini accepts */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_put_then_get_finds_each_key_and_only_those),
        cmocka_unit_test(test_put_of_a_known_key_keeps_its_value_for_the_caller_to_change),
        cmocka_unit_test(test_keys_are_bytes_with_length_and_copied),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
