/* Unit tests for the safename module: unit and leader names as safe, unique file names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "safename.h"
#include "text.h"

/* The stem of NAME[0..LEN) in a fresh buffer (the caller finis it). */
static struct pl_buf stem(const char *name, size_t len)
{
    struct pl_buf b;
    pl_buf_init(&b);
    assert_int_equal(pl_safename_stem(&b, name, len), PL_OK);
    return b;
}

static void assert_stem(const char *name, const char *want)
{
    struct pl_buf b = stem(name, strlen(name));
    assert_string_equal(b.data, want);
    pl_buf_fini(&b);
}

/* What every stem must be: UTF-8, no separators or NUL, no "..", no leading dot, not empty,
 * no trailing dot or space, at most PL_SAFENAME_MAX_STEM bytes. */
static void assert_safe(const struct pl_buf *b)
{
    assert_true(b->len > 0 && b->len <= PL_SAFENAME_MAX_STEM);
    assert_true(pl_utf8_valid(b->data, b->len));
    assert_int_equal(strlen(b->data), b->len);
    assert_null(strchr(b->data, '/'));
    assert_null(strchr(b->data, '\\'));
    assert_null(strstr(b->data, ".."));
    assert_true(b->data[0] != '.');
    assert_true(b->data[b->len - 1] != '.' && b->data[b->len - 1] != ' ');
}

static void test_ordinary_names_are_kept(void **state)
{
    (void)state;
    assert_stem("县财政局", "县财政局");
    assert_stem("  朱亚峰　", "朱亚峰");
    assert_stem("县委统筹疫情防控和经济运行工作领导小组（指挥部）办公室",
                "县委统筹疫情防控和经济运行工作领导小组（指挥部）办公室");
}

static void test_path_separators_and_dot_dot_cannot_escape(void **state)
{
    (void)state;
    assert_stem("../../etc/passwd", "．.／.．／etc／passwd");
    assert_stem("..", "．"); /* a trailing dot goes */
    assert_stem(".", "．");
    assert_stem("a\\b", "a＼b");
    assert_stem(".hidden", "．hidden");
    assert_stem("a...b", "a.．.b");
    const char *names[] = {"../x", "/", "//..//", "....", "a/../b", "\\..\\"};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
        struct pl_buf b = stem(names[i], strlen(names[i]));
        assert_safe(&b);
        pl_buf_fini(&b);
    }
}

static void test_characters_windows_refuses_become_full_width(void **state)
{
    (void)state;
    assert_stem("a:b*c?d\"e<f>g|h", "a：b＊c？d＂e＜f＞g｜h");
    assert_stem("CON", "CON_");
    assert_stem("nul.txt", "nul_.txt");
    assert_stem("com1", "com1_");
    assert_stem("COM10", "COM10");
    assert_stem("name. ", "name");
}

static void test_nul_controls_and_bad_bytes_become_underscores(void **state)
{
    (void)state;
    struct pl_buf b = stem("a\0b\tc\x7f"
                           "d\xff\xfe",
                           9);
    assert_string_equal(b.data, "a_b_c_d__");
    assert_safe(&b);
    pl_buf_fini(&b);
    b = stem("\0", 1);
    assert_string_equal(b.data, "_");
    pl_buf_fini(&b);
}

static void test_empty_names_get_a_name(void **state)
{
    (void)state;
    assert_stem("", "未命名");
    assert_stem("   ", "未命名");
    assert_stem("...", "．.．"); /* dots are not nothing */
}

static void test_long_names_are_cut_at_a_character_boundary(void **state)
{
    (void)state;
    struct pl_buf name;
    pl_buf_init(&name);
    for (int i = 0; i < 300; i++)
        pl_buf_append_str(&name, "长");
    struct pl_buf b = stem(name.data, name.len);
    assert_safe(&b);
    assert_int_equal(b.len, 198); /* 66 characters of 3 bytes */
    pl_buf_fini(&b);
    pl_buf_clear(&name);
    for (int i = 0; i < 300; i++)
        pl_buf_append_char(&name, 'a');
    b = stem(name.data, name.len);
    assert_int_equal(b.len, PL_SAFENAME_MAX_STEM);
    pl_buf_fini(&b);
    pl_buf_fini(&name);
}

static void test_names_differing_in_width_or_case_do_not_collide(void **state)
{
    (void)state;
    struct pl_safename_set set;
    pl_safename_set_init(&set);
    const char *names[] = {"ＡＢ局", "AB局", "ab局", "AB局", "县财政局", "县财政局"};
    const char *want[] = {"ＡＢ局.csv",    "AB局（2）.csv", "ab局（3）.csv",
                          "AB局（4）.csv", "县财政局.csv",  "县财政局（2）.csv"};
    for (size_t i = 0; i < 6; i++) {
        struct pl_buf out;
        pl_buf_init(&out);
        assert_int_equal(pl_safename_unique(&set, names[i], strlen(names[i]), ".csv", &out), PL_OK);
        assert_string_equal(out.data, want[i]);
        pl_buf_fini(&out);
    }
    pl_safename_set_fini(&set);
}

static void test_names_cut_to_the_same_prefix_do_not_collide(void **state)
{
    (void)state;
    struct pl_safename_set set;
    pl_safename_set_init(&set);
    struct pl_buf a, b;
    pl_buf_init(&a);
    pl_buf_init(&b);
    for (int i = 0; i < 300; i++)
        pl_buf_append_char(&a, 'x');
    pl_buf_append(&b, a.data, a.len);
    pl_buf_append_char(&a, '1');
    pl_buf_append_char(&b, '2');
    struct pl_buf out1, out2;
    pl_buf_init(&out1);
    pl_buf_init(&out2);
    assert_int_equal(pl_safename_unique(&set, a.data, a.len, ".xlsx", &out1), PL_OK);
    assert_int_equal(pl_safename_unique(&set, b.data, b.len, ".xlsx", &out2), PL_OK);
    assert_string_not_equal(out1.data, out2.data);
    assert_true(out2.len < 255); /* NAME_MAX */
    pl_buf_fini(&a);
    pl_buf_fini(&b);
    pl_buf_fini(&out1);
    pl_buf_fini(&out2);
    pl_safename_set_fini(&set);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ordinary_names_are_kept),
        cmocka_unit_test(test_path_separators_and_dot_dot_cannot_escape),
        cmocka_unit_test(test_characters_windows_refuses_become_full_width),
        cmocka_unit_test(test_nul_controls_and_bad_bytes_become_underscores),
        cmocka_unit_test(test_empty_names_get_a_name),
        cmocka_unit_test(test_long_names_are_cut_at_a_character_boundary),
        cmocka_unit_test(test_names_differing_in_width_or_case_do_not_collide),
        cmocka_unit_test(test_names_cut_to_the_same_prefix_do_not_collide),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
