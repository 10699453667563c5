/* Tests for docfacts: the document's number, issuer, date, office and cycles. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "docfacts.h"

static void test_number_gives_the_year(void **state)
{
    (void)state;
    int y = 0;
    assert_true(pl_doc_number("嘉政发〔2023〕1号", strlen("嘉政发〔2023〕1号"), &y));
    assert_int_equal(y, 2023);
    assert_true(pl_doc_number(" 泗政发[2024]12号 ", strlen(" 泗政发[2024]12号 "), &y));
    assert_int_equal(y, 2024);
    assert_false(pl_doc_number("嘉祥县人民政府", strlen("嘉祥县人民政府"), &y));
    assert_false(pl_doc_number("〔2023〕1号", strlen("〔2023〕1号"), &y));
}

static void test_date_line_is_a_date(void **state)
{
    (void)state;
    int y, m, d;
    const char *s = "                               2023年2月22日";
    assert_true(pl_doc_date(s, strlen(s), &y, &m, &d));
    assert_int_equal(y * 10000 + m * 100 + d, 20230222);
    assert_false(pl_doc_date("2023年2月22日印发", strlen("2023年2月22日印发"), &y, &m, &d));
}

static void test_two_deadlines_make_half_years(void **state)
{
    (void)state;
    struct pl_catalog c;
    pl_catalog_init(&c);
    int months[] = {6, 12}, days[] = {30, 30};
    assert_int_equal(pl_doc_cycles(&c, 2023, months, days, 2), PL_OK);
    assert_int_equal(c.ncycles, 2);
    assert_string_equal(c.cycles[0].id, "2023H1");
    assert_string_equal(c.cycles[0].label, "2023年上半年");
    assert_string_equal(c.cycles[0].start, "2023-01-01");
    assert_string_equal(c.cycles[0].end, "2023-06-30");
    assert_string_equal(c.cycles[0].deadline, "2023-06-30");
    assert_string_equal(c.cycles[0].expected, "50");
    assert_string_equal(c.cycles[1].id, "2023H2");
    assert_string_equal(c.cycles[1].label, "2023年下半年");
    assert_string_equal(c.cycles[1].start, "2023-07-01");
    assert_string_equal(c.cycles[1].end, "2023-12-31");
    assert_string_equal(c.cycles[1].deadline, "2023-12-30");
    assert_string_equal(c.cycles[1].expected, "100");
    pl_catalog_fini(&c);
}

static void test_four_deadlines_make_quarters_and_january_is_next_year(void **state)
{
    (void)state;
    struct pl_catalog c;
    pl_catalog_init(&c);
    int months[] = {4, 7, 10, 1}, days[] = {5, 5, 5, 10};
    assert_int_equal(pl_doc_cycles(&c, 2024, months, days, 4), PL_OK);
    assert_string_equal(c.cycles[0].id, "2024Q1");
    assert_string_equal(c.cycles[0].label, "2024年第一季度");
    assert_string_equal(c.cycles[0].end, "2024-03-31");
    assert_string_equal(c.cycles[0].expected, "25");
    assert_string_equal(c.cycles[3].deadline, "2025-01-10");
    assert_string_equal(c.cycles[3].expected, "100");
    pl_catalog_fini(&c);
}

static void test_three_deadlines_are_refused(void **state)
{
    (void)state;
    struct pl_catalog c;
    pl_catalog_init(&c);
    int months[] = {4, 8, 12}, days[] = {1, 1, 1};
    assert_int_equal(pl_doc_cycles(&c, 2024, months, days, 3), PL_ERR_DATA);
    pl_catalog_fini(&c);
}

static const char preamble[] = "嘉政发〔2023〕1号\n\n\n嘉祥县人民政府\n\n"
                               "关于印发2023年重点工作责任目标的\n\n通    知\n\n"
                               "各镇（街道）人民政府（办事处），嘉祥经济开发区管委会，\n县政府各部门：\n\n"
                               "现印发给你们。具体落实情况分别于6月30日和12月30日前以正式文件报县政府"
                               "督查室。县政府督查室将定期予以通报。\n\n"
                               "附件：1. 2023年县政府重点工作责任目标\n\n"
                               "                               嘉祥县人民政府\n\n"
                               "                               2023年2月22日\n\n（此件公开发布）\n";

static void test_preamble_facts_are_read(void **state)
{
    (void)state;
    struct pl_doc_lines lines;
    assert_int_equal(pl_doc_lines_split(preamble, strlen(preamble), &lines), PL_OK);
    struct pl_catalog c;
    pl_catalog_init(&c);
    struct pl_buf msgs;
    pl_buf_init(&msgs);
    struct pl_diag diag;
    pl_diag_init(&diag, pl_diag_emit_buf, &msgs);
    assert_int_equal(pl_docfacts_parse(&lines, 0, lines.n, "doc.txt", &c, &diag), PL_OK);
    assert_int_equal(diag.errors + diag.warnings, 0);
    assert_string_equal(pl_catalog_fact(&c, "number"), "嘉政发〔2023〕1号");
    assert_string_equal(pl_catalog_fact(&c, "issuer"), "嘉祥县人民政府");
    assert_string_equal(pl_catalog_fact(&c, "county"), "嘉祥县");
    assert_string_equal(pl_catalog_fact(&c, "title"), "关于印发2023年重点工作责任目标的通知");
    assert_string_equal(pl_catalog_fact(&c, "date"), "2023-02-22");
    assert_string_equal(pl_catalog_fact(&c, "year"), "2023");
    assert_string_equal(pl_catalog_fact(&c, "office"), "县政府督查室");
    assert_int_equal(c.ncycles, 2);
    pl_catalog_fini(&c);
    pl_buf_fini(&msgs);
    pl_doc_lines_fini(&lines);
}

static void test_missing_facts_are_errors(void **state)
{
    (void)state;
    const char *text = "关于印发重点工作的通知\n\n各部门：\n\n请抓好落实。\n";
    struct pl_doc_lines lines;
    assert_int_equal(pl_doc_lines_split(text, strlen(text), &lines), PL_OK);
    struct pl_catalog c;
    pl_catalog_init(&c);
    struct pl_buf msgs;
    pl_buf_init(&msgs);
    struct pl_diag diag;
    pl_diag_init(&diag, pl_diag_emit_buf, &msgs);
    assert_int_equal(pl_docfacts_parse(&lines, 0, lines.n, "doc.txt", &c, &diag), PL_OK);
    assert_non_null(strstr(msgs.data, "[E_DOC_NUMBER]"));
    assert_non_null(strstr(msgs.data, "[E_DOC_ISSUER]"));
    assert_non_null(strstr(msgs.data, "[E_DOC_DATE]"));
    assert_non_null(strstr(msgs.data, "[E_DOC_DEADLINES]"));
    assert_int_equal(c.ncycles, 0);
    pl_catalog_fini(&c);
    pl_buf_fini(&msgs);
    pl_doc_lines_fini(&lines);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_number_gives_the_year),
        cmocka_unit_test(test_date_line_is_a_date),
        cmocka_unit_test(test_two_deadlines_make_half_years),
        cmocka_unit_test(test_four_deadlines_make_quarters_and_january_is_next_year),
        cmocka_unit_test(test_three_deadlines_are_refused),
        cmocka_unit_test(test_preamble_facts_are_read),
        cmocka_unit_test(test_missing_facts_are_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
