/* Unit tests for cjkbreak: units, 避头尾, Latin runs by their widths, justification. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cjkbreak.h"
#include "text.h"

/* Chinese characters 10 points wide, Latin letters and digits 5, spaces 3. */
static double width_of(void *ctx, uint32_t cp)
{
    (void)ctx;
    if (cp == ' ')
        return 3;
    return cp < 0x80 ? 5 : 10;
}

static struct pl_break_opts opts(double width, double indent)
{
    return (struct pl_break_opts){width, indent, 0, width_of, NULL};
}

/* The lines of S, joined with '/'. */
static char *lines_of(const char *s, struct pl_break_opts o, bool balanced)
{
    struct pl_lines out = {0};
    enum pl_status st =
        balanced ? pl_break_balanced(s, strlen(s), &o, &out) : pl_break(s, strlen(s), &o, &out);
    assert_int_equal(st, PL_OK);
    size_t cap = strlen(s) + out.count + 1;
    char *r = calloc(cap, 1);
    for (size_t i = 0; i < out.count; i++) {
        if (i)
            strcat(r, "/");
        strncat(r, s + out.line[i].start, out.line[i].end - out.line[i].start);
    }
    pl_lines_fini(&out);
    return r;
}

static void check(const char *s, double width, double indent, const char *want)
{
    char *got = lines_of(s, opts(width, indent), false);
    assert_string_equal(got, want);
    free(got);
}

static void test_chinese_breaks_between_any_two_characters(void **state)
{
    (void)state;
    check("一二三四五六七", 30, 0, "一二三/四五六/七");
}

static void test_first_line_is_indented_two_characters(void **state)
{
    (void)state;
    check("一二三四五六七", 40, 20, "一二/三四五六/七");
}

static void test_no_line_begins_with_closing_punctuation(void **state)
{
    (void)state;
    /* 。 would start line 2: 三 is pushed down with it. */
    check("一二三。四五", 30, 0, "一二/三。四/五");
    check("一二三，”四五", 30, 0, "一二/三，”/四五");
    check("甲乙丙）丁", 30, 0, "甲乙/丙）丁");
}

static void test_no_line_ends_with_opening_punctuation(void **state)
{
    (void)state;
    check("一二（三四", 30, 0, "一二/（三四");
    check("一二《三》四", 30, 0, "一二/《三》/四");
}

static void test_latin_words_and_numbers_never_split(void **state)
{
    (void)state;
    /* 12.5% is 25 points: it moves whole to the next line. */
    check("进度12.5%，完成", 40, 0, "进度/12.5%，/完成");
    check("完成ABC项目", 30, 0, "完成/ABC项/目");
}

static void test_digits_are_measured_by_their_widths(void **state)
{
    (void)state;
    /* Six digits are 30 points: they fit a 30-point line that holds only three characters. */
    check("202306", 30, 0, "202306");
    check("第2023年", 50, 0, "第2023年");
}

static void test_a_unit_wider_than_the_line_is_split_by_characters(void **state)
{
    (void)state;
    check("abcdefghij", 20, 0, "abcd/efgh/ij");
}

static void test_spaces_break_and_vanish_at_line_ends(void **state)
{
    (void)state;
    check("ab cd ef", 23, 0, "ab cd/ef");
    check("  一二  ", 40, 0, "一二");
}

static void test_dashes_and_ellipses_stay_in_pairs(void **state)
{
    (void)state;
    check("一二——三", 30, 0, "一二/——三");
    check("一二……", 30, 0, "一/二……");
}

static void test_empty_text_gives_no_lines(void **state)
{
    (void)state;
    struct pl_lines out = {0};
    struct pl_break_opts o = opts(30, 0);
    assert_int_equal(pl_break("", 0, &o, &out), PL_OK);
    assert_int_equal(out.count, 0);
    assert_int_equal(pl_break("   ", 3, &o, &out), PL_OK);
    assert_int_equal(out.count, 0);
    pl_lines_fini(&out);
}

static void test_invalid_utf8_is_refused(void **state)
{
    (void)state;
    struct pl_lines out = {0};
    struct pl_break_opts o = opts(30, 0);
    assert_int_equal(pl_break("a\xff", 2, &o, &out), PL_ERR_DATA);
    pl_lines_fini(&out);
}

static void test_lines_are_justified_but_not_the_last(void **state)
{
    (void)state;
    struct pl_lines out = {0};
    struct pl_break_opts o = opts(30, 0);
    const char *s = "一二三。四五";
    assert_int_equal(pl_break(s, strlen(s), &o, &out), PL_OK);
    assert_int_equal(out.count, 3);
    /* 一二 fill 20 of 30 points: 10 points go into the one gap. */
    assert_float_equal(pl_line_justify(&out.line[0]), 10.0, 1e-9);
    assert_float_equal(pl_line_justify(&out.line[1]), 0.0, 1e-9);
    assert_true(out.line[2].last);
    assert_float_equal(pl_line_justify(&out.line[2]), 0.0, 1e-9);
    pl_lines_fini(&out);
}

static void test_justification_does_not_spread_numbers(void **state)
{
    (void)state;
    struct pl_lines out = {0};
    struct pl_break_opts o = opts(50, 0);
    /* 占50.0%。: 10 + 25 + 10 = 45 points; 一 would not fit after them. */
    const char *s = "占50.0%。一二";
    assert_int_equal(pl_break(s, strlen(s), &o, &out), PL_OK);
    assert_int_equal(out.count, 2);
    assert_int_equal(out.line[0].chars, 7);
    /* Gaps: 占|5 and %|。 — not between the digits. */
    assert_int_equal(out.line[0].gaps, 2);
    assert_float_equal(pl_line_justify(&out.line[0]), 2.5, 1e-9);
    pl_lines_fini(&out);
}

static void test_a_grid_of_28_cells_holds_28_characters(void **state)
{
    (void)state;
    /* 3号 on the GB/T 9704 grid: 16-point characters on a 442.2 / 28 point pitch. */
    double pitch = 156.0 / 25.4 * 72.0 / 28.0;
    struct pl_break_opts o = {pitch * 28, 2 * pitch, pitch - 16, NULL, NULL};
    struct pl_lines out = {0};
    struct pl_break_opts o16 = o;
    o16.width_of = width_of;
    /* width_of gives 10 for Chinese; scale it to 16 with tracking pitch - 10. */
    o16.tracking = pitch - 10;
    struct pl_buf b;
    pl_buf_init(&b);
    for (int i = 0; i < 60; i++)
        pl_buf_append_str(&b, "字");
    assert_int_equal(pl_break(b.data, b.len, &o16, &out), PL_OK);
    assert_int_equal(out.count, 3);
    assert_int_equal(out.line[0].chars, 26);
    assert_int_equal(out.line[1].chars, 28);
    assert_int_equal(out.line[2].chars, 6);
    assert_float_equal(out.line[0].indent, 2 * pitch, 1e-9);
    pl_lines_fini(&out);
    pl_buf_fini(&b);
    (void)o;
}

static void test_balanced_titles_have_lines_of_similar_length(void **state)
{
    (void)state;
    char *got = lines_of("一二三四五六七八九十甲乙", opts(100, 0), true);
    assert_string_equal(got, "一二三四五六/七八九十甲乙");
    free(got);
    /* A break after 的 is worth a line a character longer. */
    got = lines_of("甲乙丙丁的戊己庚辛", opts(60, 0), true);
    assert_string_equal(got, "甲乙丙丁的/戊己庚辛");
    free(got);
    got = lines_of("关于2023年上半年朱亚峰同志牵头的红色任务推进情况的通报", opts(200, 0), true);
    assert_string_equal(got, "关于2023年上半年朱亚峰同志牵头的/红色任务推进情况的通报");
    free(got);
    got = lines_of("一二三", opts(100, 0), true);
    assert_string_equal(got, "一二三");
    free(got);
}

static void test_punctuation_classes(void **state)
{
    (void)state;
    const char *closing = "，。、；：？！）》」』”’〕】％";
    const char *opening = "（《「『“‘〔【";
    for (const char *p = closing; *p;) {
        uint32_t cp;
        p += pl_utf8_decode(p, strlen(p), &cp);
        assert_true(pl_break_no_start(cp));
        assert_false(pl_break_no_end(cp));
    }
    for (const char *p = opening; *p;) {
        uint32_t cp;
        p += pl_utf8_decode(p, strlen(p), &cp);
        assert_true(pl_break_no_end(cp));
        assert_false(pl_break_no_start(cp));
    }
    assert_false(pl_break_no_start(0x5B57));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_chinese_breaks_between_any_two_characters),
        cmocka_unit_test(test_first_line_is_indented_two_characters),
        cmocka_unit_test(test_no_line_begins_with_closing_punctuation),
        cmocka_unit_test(test_no_line_ends_with_opening_punctuation),
        cmocka_unit_test(test_latin_words_and_numbers_never_split),
        cmocka_unit_test(test_digits_are_measured_by_their_widths),
        cmocka_unit_test(test_a_unit_wider_than_the_line_is_split_by_characters),
        cmocka_unit_test(test_spaces_break_and_vanish_at_line_ends),
        cmocka_unit_test(test_dashes_and_ellipses_stay_in_pairs),
        cmocka_unit_test(test_empty_text_gives_no_lines),
        cmocka_unit_test(test_invalid_utf8_is_refused),
        cmocka_unit_test(test_lines_are_justified_but_not_the_last),
        cmocka_unit_test(test_justification_does_not_spread_numbers),
        cmocka_unit_test(test_a_grid_of_28_cells_holds_28_characters),
        cmocka_unit_test(test_balanced_titles_have_lines_of_similar_length),
        cmocka_unit_test(test_punctuation_classes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
