/* Unit tests for the buf module: growth, formatting, taking the contents. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"

static void test_a_new_buffer_is_an_empty_string(void **state)
{
    (void)state;
    struct pl_buf b;
    pl_buf_init(&b);
    assert_string_equal(b.data, "");
    assert_int_equal(b.len, 0);
    pl_buf_fini(&b);
    pl_buf_fini(&b); /* finishing twice is harmless */
}

static void test_appends_grow_past_any_initial_size(void **state)
{
    (void)state;
    struct pl_buf b;
    pl_buf_init(&b);
    for (int i = 0; i < 100000; i++)
        assert_int_equal(pl_buf_append(&b, "县", 3), PL_OK);
    assert_int_equal(b.len, 300000);
    assert_int_equal(b.data[b.len], '\0');
    assert_memory_equal(b.data + 299997, "县", 3);
    pl_buf_fini(&b);
}

static void test_printf_appends_formatted_text(void **state)
{
    (void)state;
    struct pl_buf b;
    pl_buf_init(&b);
    pl_buf_append_str(&b, "第");
    assert_int_equal(pl_buf_printf(&b, "%d行%s", 12, "：错误"), PL_OK);
    assert_string_equal(b.data, "第12行：错误");
    pl_buf_fini(&b);
}

static void test_clear_keeps_the_buffer_reusable(void **state)
{
    (void)state;
    struct pl_buf b;
    pl_buf_init(&b);
    pl_buf_append_str(&b, "abc");
    pl_buf_clear(&b);
    assert_string_equal(b.data, "");
    pl_buf_append_char(&b, 'x');
    assert_string_equal(b.data, "x");
    pl_buf_fini(&b);
}

static void test_take_hands_over_the_string(void **state)
{
    (void)state;
    struct pl_buf b;
    pl_buf_init(&b);
    char *empty = pl_buf_take(&b);
    assert_string_equal(empty, "");
    free(empty);
    pl_buf_append_str(&b, "mine");
    char *s = pl_buf_take(&b);
    assert_string_equal(s, "mine");
    assert_string_equal(b.data, "");
    free(s);
    pl_buf_fini(&b);
}

static void test_reserve_refuses_impossible_sizes(void **state)
{
    (void)state;
    struct pl_buf b;
    pl_buf_init(&b);
    pl_buf_append_str(&b, "x");
    assert_int_equal(pl_buf_reserve(&b, (size_t)-1), PL_ERR_NOMEM);
    assert_string_equal(b.data, "x");
    pl_buf_fini(&b);
}

static void test_append_ulong_writes_what_printf_writes(void **state)
{
    (void)state;
    const unsigned long v[] = {0, 7, 10, 99, 100, 4294967296ul, ULONG_MAX};
    struct pl_buf b, want;
    pl_buf_init(&b);
    pl_buf_init(&want);
    for (size_t i = 0; i < sizeof v / sizeof *v; i++) {
        assert_int_equal(pl_buf_append_ulong(&b, v[i]), PL_OK);
        assert_int_equal(pl_buf_append_char(&b, ' '), PL_OK);
        assert_int_equal(pl_buf_printf(&want, "%lu ", v[i]), PL_OK);
    }
    assert_string_equal(b.data, want.data);
    pl_buf_fini(&b);
    pl_buf_fini(&want);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_append_ulong_writes_what_printf_writes),
        cmocka_unit_test(test_a_new_buffer_is_an_empty_string),
        cmocka_unit_test(test_appends_grow_past_any_initial_size),
        cmocka_unit_test(test_printf_appends_formatted_text),
        cmocka_unit_test(test_clear_keeps_the_buffer_reusable),
        cmocka_unit_test(test_take_hands_over_the_string),
        cmocka_unit_test(test_reserve_refuses_impossible_sizes),
    };
    return cmocka_run_group_tests_name("buf", tests, NULL, NULL);
}
