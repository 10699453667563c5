/* Tests of docx: a Word document's paragraphs and tables in order, Word's list numbers seen.
 * The fixture tests/unit/data/docx/numbered.docx is written by make-numbered.sh beside it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "docx.h"

static char *fixture(const char *name)
{
    const char *top = getenv("DUCHA_TOP");
    struct pl_buf b;
    pl_buf_init(&b);
    assert_int_equal(pl_buf_printf(&b, "%s/tests/unit/data/docx/%s", top ? top : ".", name), PL_OK);
    return pl_buf_take(&b);
}

static void read_numbered(struct pl_docx *doc, struct pl_buf *msgs)
{
    char *path = fixture("numbered.docx");
    struct pl_diag diag;
    pl_diag_init(&diag, pl_diag_emit_buf, msgs);
    assert_int_equal(pl_docx_read(path, "numbered.docx", &diag, doc), PL_OK);
    free(path);
}

static void test_text_is_word_plain_text_with_generated_numbers(void **state)
{
    (void)state;
    struct pl_docx doc;
    struct pl_buf msgs, text;
    pl_buf_init(&msgs);
    pl_buf_init(&text);
    read_numbered(&doc, &msgs);
    assert_int_equal(pl_docx_text(&doc, &text), PL_OK);
    assert_string_equal(text.data, "  标题\t右\n"
                                   "一、主要目标\n"
                                   "1.地区生产总值增长6%\n"
                                   "（1）细目甲\n"
                                   "（2）细目乙\n"
                                   "2.一般公共预算收入增长7%\n"
                                   "二、重点任务\n"
                                   "1.续上一列表\n"
                                   "五、另起\n"
                                   "第1项 样式编号\n"
                                   "去掉编号\n"
                                   "留下\n行\n"
                                   "\t序号\n\t单位\n\n"
                                   "\t1\n\t甲局\n乙局\n\n"
                                   "\t\n\t内\n\n\n"
                                   "完\n");
    assert_string_equal(msgs.data, "");
    pl_docx_free(&doc);
    pl_buf_fini(&msgs);
    pl_buf_fini(&text);
}

static void test_table_cells_mark_vertical_merges(void **state)
{
    (void)state;
    struct pl_docx doc;
    struct pl_buf msgs;
    pl_buf_init(&msgs);
    read_numbered(&doc, &msgs);
    const struct pl_docx_block *t = NULL;
    for (size_t i = 0; i < doc.n; i++)
        if (doc.v[i].is_table)
            t = &doc.v[i];
    assert_non_null(t);
    assert_int_equal(t->nrows, 3);
    assert_int_equal(t->rows[1].ncells, 2);
    assert_string_equal(t->rows[1].cells[1], "甲局\n乙局");
    assert_int_equal(t->rows[1].continued[0], 0);
    assert_int_equal(t->rows[2].continued[0], 1);
    assert_string_equal(t->rows[2].cells[0], "");
    pl_docx_free(&doc);
    pl_buf_fini(&msgs);
}

static void check_number(const char *fmt, int n, const char *want)
{
    struct pl_buf b;
    pl_buf_init(&b);
    assert_int_equal(pl_docx_format_number(&b, fmt, n), PL_OK);
    assert_string_equal(b.data, want);
    pl_buf_fini(&b);
}

static void test_number_formats_write_as_word_shows_them(void **state)
{
    (void)state;
    check_number("chineseCounting", 1, "一");
    check_number("chineseCounting", 10, "十");
    check_number("chineseCounting", 11, "十一");
    check_number("chineseCounting", 20, "二十");
    check_number("chineseCountingThousand", 81, "八十一");
    check_number("chineseCounting", 105, "一百零五");
    check_number("chineseCounting", 110, "一百一十");
    check_number("chineseLegalSimplified", 12, "拾贰");
    check_number("ideographTraditional", 3, "丙");
    check_number("decimal", 17, "17");
    check_number("decimalZero", 7, "07");
    check_number("decimalFullWidth", 12, "１２");
    check_number("decimalEnclosedCircle", 3, "③");
    check_number("decimalEnclosedCircle", 21, "21");
    check_number("decimalEnclosedParen", 2, "⑵");
    check_number("upperLetter", 28, "BB");
    check_number("lowerRoman", 14, "xiv");
    check_number("none", 5, "");
    check_number("someFutureFormat", 4, "4");
}

static void test_missing_file_is_unreadable_and_a_zip_without_word_is_refused(void **state)
{
    (void)state;
    struct pl_docx doc;
    struct pl_buf msgs;
    struct pl_diag diag;
    pl_buf_init(&msgs);
    pl_diag_init(&diag, pl_diag_emit_buf, &msgs);
    assert_int_equal(pl_docx_read("/nonexistent/x.docx", "x.docx", &diag, &doc), PL_ERR_OPEN);
    assert_non_null(strstr(msgs.data, "[E_UNREADABLE]"));
    assert_int_equal(pl_docx_probe("/nonexistent/x.docx"), -1);
    char *path = fixture("make-numbered.sh");
    assert_int_equal(pl_docx_probe(path), -1);
    free(path);
    pl_buf_fini(&msgs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_text_is_word_plain_text_with_generated_numbers),
        cmocka_unit_test(test_table_cells_mark_vertical_merges),
        cmocka_unit_test(test_number_formats_write_as_word_shows_them),
        cmocka_unit_test(test_missing_file_is_unreadable_and_a_zip_without_word_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
