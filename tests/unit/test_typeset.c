/* Unit tests for typeset: escaping, markup errors by line, pages made. Loads the fonts of
 * templates/fonts.conf (run from the checkout's top). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "typeset.h"

static void test_escaping_keeps_markup_characters_as_text(void **state)
{
    (void)state;
    struct pl_buf b;
    pl_buf_init(&b);
    assert_int_equal(pl_typeset_escape(&b, "@page #1 a|b {red}\\ 两行\n文字"), PL_OK);
    assert_string_equal(b.data, "\\@page \\#1 a\\|b \\{red}\\\\ 两行 文字");
    pl_buf_fini(&b);
}

/* Sets MARKUP; returns the status, the page count through *PAGES, diagnostics in DIAGS. */
static enum pl_status set(const char *markup, size_t *pages, struct pl_buf *diags)
{
    struct pl_diag d;
    pl_diag_init(&d, pl_diag_emit_buf, diags);
    struct pl_pdf *p;
    assert_int_equal(pl_pdf_new(&p, &d), PL_OK);
    assert_int_equal(pl_pdf_load_fonts(p, "templates/fonts.conf"), PL_OK);
    enum pl_status st = pl_typeset(p, markup, strlen(markup), "m.txt", 0, &d);
    *pages = pl_pdf_page_count(p);
    pl_pdf_free(p);
    return st;
}

static void test_unknown_directives_are_errors_with_their_line(void **state)
{
    (void)state;
    struct pl_buf diags;
    pl_buf_init(&diags);
    size_t pages;
    assert_int_equal(set("@title 标题\n\n@bogus x\n", &pages, &diags), PL_ERR_CONFIG);
    assert_string_equal(diags.data, "m.txt:3: 未知的指令“@bogus” [E_MARKUP]\n");
    pl_buf_clear(&diags);
    assert_int_equal(set("@title 标题\n@row a|b\n", &pages, &diags), PL_ERR_CONFIG);
    assert_string_equal(diags.data, "m.txt:2: @head、@row、@end 只能在 @table 之后 [E_MARKUP]\n");
    pl_buf_clear(&diags);
    assert_int_equal(set("@table 1|x\n@end\n", &pages, &diags), PL_ERR_CONFIG);
    assert_non_null(strstr(diags.data, "m.txt:1: @table 的每一列"));
    pl_buf_clear(&diags);
    assert_int_equal(set("@table 1|1\n@row a|b\n", &pages, &diags), PL_ERR_CONFIG);
    assert_string_equal(diags.data, "m.txt:1: @table 没有对应的 @end [E_MARKUP]\n");
    pl_buf_fini(&diags);
}

static void test_a_full_grid_page_holds_22_lines(void **state)
{
    (void)state;
    /* 28 characters a line: 22 lines of body fill a page, the 23rd starts the next. */
    struct pl_buf m, diags;
    pl_buf_init(&m);
    pl_buf_init(&diags);
    pl_buf_append_str(&m, "@page\n");
    for (int line = 0; line < 22; line++) {
        for (int c = 0; c < 26; c++)
            pl_buf_append_str(&m, "字");
        pl_buf_append_str(&m, "\n");
    }
    size_t pages;
    assert_int_equal(set(m.data, &pages, &diags), PL_OK);
    assert_int_equal(pages, 2); /* the header page (empty), then one full page */
    pl_buf_append_str(&m, "再一行\n");
    assert_int_equal(set(m.data, &pages, &diags), PL_OK);
    assert_int_equal(pages, 3);
    assert_string_equal(diags.data, "");
    pl_buf_fini(&m);
    pl_buf_fini(&diags);
}

static void test_the_closing_block_ends_on_an_even_page(void **state)
{
    (void)state;
    struct pl_buf diags;
    pl_buf_init(&diags);
    size_t pages;
    assert_int_equal(
        set("@title 标题\n正文。\n@copy 抄送：县委办公室。\n@printed 某办|2023年7月10日印发\n",
            &pages, &diags),
        PL_OK);
    assert_int_equal(pages, 2);
    assert_int_equal(set("@title 标题\n正文。\n@page\n@copy 抄送：县委办公室。\n", &pages, &diags),
                     PL_OK);
    assert_int_equal(pages, 2);
    pl_buf_fini(&diags);
}

static void test_a_table_repeats_its_header_on_each_page(void **state)
{
    (void)state;
    struct pl_buf m, diags;
    pl_buf_init(&m);
    pl_buf_init(&diags);
    pl_buf_append_str(&m, "@appendix 表\n@table 1c|4l|1c\n@head 序号|内容|标识\n");
    for (int i = 0; i < 120; i++)
        pl_buf_printf(&m, "@row %d|第%d行，文字较长需要折行显示在单元格里面|{red}红\n", i, i);
    pl_buf_append_str(&m, "@end\n");
    size_t pages;
    assert_int_equal(set(m.data, &pages, &diags), PL_OK);
    assert_true(pages >= 5);
    assert_string_equal(diags.data, "");
    pl_buf_fini(&m);
    pl_buf_fini(&diags);
}

static void test_a_row_taller_than_a_page_is_split_not_cut(void **state)
{
    (void)state;
    struct pl_buf m, diags;
    pl_buf_init(&m);
    pl_buf_init(&diags);
    pl_buf_append_str(&m, "@appendix 表\n@table 1c|1l\n@head 序号|内容\n@row 1|");
    for (int i = 0; i < 3000; i++)
        pl_buf_append_str(&m, "字");
    pl_buf_append_str(&m, "\n@row 2|短\n@end\n");
    size_t pages;
    assert_int_equal(set(m.data, &pages, &diags), PL_OK);
    /* 3000 characters, 16 a line in half the block: about 190 lines, 36 a page. */
    assert_true(pages >= 7 && pages <= 9);
    assert_string_equal(diags.data, "");
    pl_buf_fini(&m);
    pl_buf_fini(&diags);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escaping_keeps_markup_characters_as_text),
        cmocka_unit_test(test_unknown_directives_are_errors_with_their_line),
        cmocka_unit_test(test_a_full_grid_page_holds_22_lines),
        cmocka_unit_test(test_the_closing_block_ends_on_an_even_page),
        cmocka_unit_test(test_a_table_repeats_its_header_on_each_page),
        cmocka_unit_test(test_a_row_taller_than_a_page_is_split_not_cut),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
