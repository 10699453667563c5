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

/* The bulk path (hash, hints, lookup by hash) finds what pl_strmap_get() finds. */
static void test_lookup_by_hash_with_hints_finds_the_same(void **state)
{
    (void)state;
    struct pl_strmap m;
    pl_strmap_init(&m);
    pl_strmap_prefetch(&m, 12345, 0); /* no slots yet: a hint does nothing */
    pl_strmap_prefetch(&m, 12345, 1);
    char key[32];
    size_t *v;
    bool added;
    for (size_t i = 0; i < 3000; i++) {
        int n = snprintf(key, sizeof key, "%zu县单位", i);
        assert_int_equal(pl_strmap_put(&m, key, (size_t)n, i, &v, &added), PL_OK);
    }
    for (size_t i = 0; i < 3100; i++) {
        int n = snprintf(key, sizeof key, "%zu县单位", i);
        uint64_t h = pl_strmap_hash(key, (size_t)n);
        pl_strmap_prefetch(&m, h, 0);
        pl_strmap_prefetch(&m, h, 1);
        size_t *got = pl_strmap_get_hashed(&m, h, key, (size_t)n);
        assert_ptr_equal(got, pl_strmap_get(&m, key, (size_t)n));
        if (i < 3000)
            assert_int_equal(*got, i);
        else
            assert_null(got);
    }
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
    /* The walk gives the keys in insertion order. */
    assert_int_equal(m.n, 4);
    size_t pos = 0, len, *value;
    const char *k;
    assert_true(pl_strmap_next(&m, &pos, &k, &len, &value));
    assert_string_equal(k, "12\x1F县教育局");
    assert_int_equal(*value, 1);
    assert_true(pl_strmap_next(&m, &pos, &k, &len, &value));
    assert_int_equal(len, 3);
    assert_memory_equal(k, "a\0b", 4);
    assert_true(pl_strmap_next(&m, &pos, &k, &len, &value));
    assert_true(pl_strmap_next(&m, &pos, &k, &len, &value));
    assert_string_equal(k, "");
    assert_int_equal(*value, 4);
    assert_false(pl_strmap_next(&m, &pos, &k, &len, &value));
    pl_strmap_fini(&m);
    pl_strmap_fini(&m); /* fini leaves an empty map, which fini accepts */
}

/* Keys that share their first bytes and differ late, or in length only: the hash takes every
 * byte and the length. Through many doublings, every key keeps its value. */
static void test_keys_alike_but_for_one_byte_or_the_length_stay_apart(void **state)
{
    (void)state;
    struct pl_strmap m;
    pl_strmap_init(&m);
    char key[64];
    memset(key, 'x', sizeof key);
    size_t *v;
    bool added;
    for (size_t len = 0; len <= 40; len++) {
        assert_int_equal(pl_strmap_put(&m, key, len, len, &v, &added), PL_OK);
        assert_true(added);
    }
    for (size_t i = 0; i < 5000; i++) {
        int n = snprintf(key, sizeof key, "第%05zu县承担综合考核定量指标任务的部门", i);
        assert_int_equal(pl_strmap_put(&m, key, (size_t)n, 100 + i, &v, &added), PL_OK);
        assert_true(added);
    }
    memset(key, 'x', sizeof key);
    for (size_t len = 0; len <= 40; len++)
        assert_int_equal(*pl_strmap_get(&m, key, len), len);
    for (size_t i = 0; i < 5000; i++) {
        int n = snprintf(key, sizeof key, "第%05zu县承担综合考核定量指标任务的部门", i);
        assert_int_equal(*pl_strmap_get(&m, key, (size_t)n), 100 + i);
    }
    assert_int_equal(m.n, 5041);
    assert_true(m.cap >= m.n * 4 / 3);
    pl_strmap_fini(&m);
}

/* Reserving first gives the same map without growing while the keys go in. */
static void test_reserve_makes_room_for_the_keys_at_once(void **state)
{
    (void)state;
    struct pl_strmap m;
    pl_strmap_init(&m);
    assert_int_equal(pl_strmap_reserve(&m, 3000, 3000 * 12), PL_OK);
    size_t cap = m.cap;
    const char *recs = m.recs.data;
    char key[32];
    size_t *v;
    bool added;
    for (size_t i = 0; i < 3000; i++) {
        int n = snprintf(key, sizeof key, "单位%zu", i); /* at most 11 bytes */
        assert_int_equal(pl_strmap_put(&m, key, (size_t)n, i, &v, &added), PL_OK);
    }
    assert_int_equal(m.cap, cap);
    assert_ptr_equal(m.recs.data, recs);
    assert_int_equal(*pl_strmap_get(&m, "单位2999", strlen("单位2999")), 2999);
    pl_strmap_fini(&m);
    /* Large enough for its records to be given huge pages: the same map. */
    assert_int_equal(pl_strmap_reserve(&m, 120000, 120000 * 14), PL_OK);
    recs = m.recs.data;
    for (size_t i = 0; i < 120000; i++) {
        int n = snprintf(key, sizeof key, "单位%zu", i);
        assert_int_equal(pl_strmap_put(&m, key, (size_t)n, i, &v, &added), PL_OK);
    }
    assert_ptr_equal(m.recs.data, recs);
    for (size_t i = 0; i < 120000; i += 7) {
        int n = snprintf(key, sizeof key, "单位%zu", i);
        assert_int_equal(*pl_strmap_get(&m, key, (size_t)n), i);
    }
    /* and it grows past what was reserved. */
    for (size_t i = 120000; i < 200000; i++) {
        int n = snprintf(key, sizeof key, "单位%zu", i);
        assert_int_equal(pl_strmap_put(&m, key, (size_t)n, i, &v, &added), PL_OK);
    }
    assert_int_equal(*pl_strmap_get(&m, "单位199999", strlen("单位199999")), 199999);
    assert_int_equal(*pl_strmap_get(&m, "单位5", strlen("单位5")), 5);
    pl_strmap_fini(&m);
}

static void test_u64map_keeps_pairs_through_growth(void **state)
{
    (void)state;
    struct pl_u64map m;
    pl_u64map_init(&m);
    assert_null(pl_u64map_get(&m, 0));
    uint32_t *v;
    /* (task, unit) pairs as the catalog packs them: task number high, unit number low. */
    for (uint64_t t = 0; t < 100; t++)
        for (uint64_t u = 0; u < 300; u++) {
            assert_int_equal(pl_u64map_put(&m, t << 32 | u, (uint32_t)(t + u), &v), PL_OK);
            assert_int_equal(*v, t + u);
        }
    assert_int_equal(m.n, 30000);
    assert_int_equal(pl_u64map_put(&m, 5ull << 32 | 7, 99, &v), PL_OK);
    assert_int_equal(*v, 12); /* found, not replaced */
    *v |= 64;
    assert_int_equal(*pl_u64map_get(&m, 5ull << 32 | 7), 76);
    for (uint64_t t = 0; t < 100; t++)
        for (uint64_t u = 0; u < 300; u++)
            assert_non_null(pl_u64map_get(&m, t << 32 | u));
    assert_null(pl_u64map_get(&m, 100ull << 32));
    assert_null(pl_u64map_get(&m, 300));
    assert_int_equal(pl_u64map_put(&m, UINT64_MAX, 1, &v), PL_ERR_USAGE);
    assert_null(pl_u64map_get(&m, UINT64_MAX));
    assert_int_equal(m.n, 30000);
    pl_u64map_fini(&m);
    pl_u64map_fini(&m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_put_then_get_finds_each_key_and_only_those),
        cmocka_unit_test(test_keys_alike_but_for_one_byte_or_the_length_stay_apart),
        cmocka_unit_test(test_reserve_makes_room_for_the_keys_at_once),
        cmocka_unit_test(test_lookup_by_hash_with_hints_finds_the_same),
        cmocka_unit_test(test_u64map_keeps_pairs_through_growth),
        cmocka_unit_test(test_put_of_a_known_key_keeps_its_value_for_the_caller_to_change),
        cmocka_unit_test(test_keys_are_bytes_with_length_and_copied),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
