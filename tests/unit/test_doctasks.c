/* Tests for doctasks: the key tasks of 附件1. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "doctasks.h"

struct run {
    struct pl_doc_lines lines;
    struct pl_catalog cat;
    struct pl_unitreg *reg;
    struct pl_buf msgs;
    struct pl_diag diag;
    enum pl_status st;
};

static void parse(struct run *r, const char *text)
{
    assert_int_equal(pl_doc_lines_split(text, strlen(text), &r->lines), PL_OK);
    pl_catalog_init(&r->cat);
    r->reg = pl_unitreg_new();
    pl_buf_init(&r->msgs);
    pl_diag_init(&r->diag, pl_diag_emit_buf, &r->msgs);
    r->st = pl_doctasks_parse(&r->lines, 0, r->lines.n, "a1.txt", &r->cat, r->reg, &r->diag);
}

static void done(struct run *r)
{
    pl_doc_lines_fini(&r->lines);
    pl_catalog_fini(&r->cat);
    pl_unitreg_free(r->reg);
    pl_buf_fini(&r->msgs);
}

static const char *list(const struct pl_strv *v)
{
    static struct pl_buf b;
    pl_buf_fini(&b);
    pl_buf_init(&b);
    pl_strv_join(v, '|', &b);
    return b.data;
}

static void test_task_number_needs_dunhao(void **state)
{
    (void)state;
    unsigned long n;
    size_t off;
    assert_true(pl_doc_task_number("12、推进", strlen("12、推进"), &n, &off));
    assert_int_equal(n, 12);
    assert_string_equal("12、推进" + off, "推进");
    assert_true(pl_doc_task_number("  3．落实", strlen("  3．落实"), &n, &off));
    assert_int_equal(n, 3);
    assert_false(pl_doc_task_number("6.5%左右", strlen("6.5%左右"), &n, &off));
    assert_false(pl_doc_task_number("2023年，全县", strlen("2023年，全县"), &n, &off));
    assert_false(pl_doc_task_number("坚决扛牢", strlen("坚决扛牢"), &n, &off));
}

static void test_label_with_leading_spaces_is_a_label(void **state)
{
    (void)state;
    size_t v;
    const char *s = "  牵头领导：王君磊、王燕军、张雷";
    assert_int_equal(pl_doc_label(s, strlen(s), &v), PL_LABEL_LEADERS);
    assert_string_equal(s + v, "王君磊、王燕军、张雷");
    s = "承办单位:县统计局";
    assert_int_equal(pl_doc_label(s, strlen(s), &v), PL_LABEL_HOSTS);
    s = "配合单位：县财政局";
    assert_int_equal(pl_doc_label(s, strlen(s), &v), PL_LABEL_COHOSTS);
}

static void test_unknown_label_is_recognised_as_one(void **state)
{
    (void)state;
    size_t v;
    const char *s = "督办责任人：李四";
    assert_int_equal(pl_doc_label(s, strlen(s), &v), PL_LABEL_UNKNOWN);
    s = "其中：城镇7%";
    assert_int_equal(pl_doc_label(s, strlen(s), &v), PL_LABEL_NONE);
}

static void test_second_label_on_a_line_is_found(void **state)
{
    (void)state;
    const char *s = "王君磊  承办单位：县商务局";
    assert_int_equal(pl_doc_label_next(s, strlen(s)), strlen("王君磊  "));
    s = "县商务局";
    assert_int_equal(pl_doc_label_next(s, strlen(s)), strlen(s));
}

static void test_title_is_the_first_clause(void **state)
{
    (void)state;
    struct pl_buf b;
    pl_buf_init(&b);
    const char *t = "加强政治建设，推进从严治政。";
    assert_int_equal(pl_doc_task_title(t, strlen(t), &b), PL_OK);
    assert_string_equal(b.data, "加强政治建设");
    pl_buf_fini(&b);
}

static void test_tasks_are_read_with_their_labels(void **state)
{
    (void)state;
    struct run r;
    parse(&r, "2023年县政府重点工作责任目标\n\n"
              "1、完成甲。\n\n牵头领导：王君磊、朱亚峰\n\n承办单位：县财政局、县商务局\n\n"
              "协办单位：县统计局，各镇街、县经开区\n"
              "2、完成乙。\n牵头领导：各位县长\n承办单位：县政府各部门，各镇街、县经开区\n");
    assert_int_equal(r.st, PL_OK);
    assert_int_equal(r.diag.errors + r.diag.warnings, 0);
    assert_int_equal(r.cat.ntasks, 2);
    assert_string_equal(r.cat.tasks[0].id, "1");
    assert_string_equal(r.cat.tasks[0].text, "完成甲。");
    assert_string_equal(list(&r.cat.tasks[0].leaders), "王君磊|朱亚峰");
    assert_string_equal(list(&r.cat.tasks[0].hosts), "县财政局|县商务局");
    assert_string_equal(list(&r.cat.tasks[0].cohosts), "县统计局|各镇街|县经开区");
    assert_string_equal(list(&r.cat.tasks[1].leaders), "各位县长");
    assert_string_equal(list(&r.cat.tasks[1].cohosts), "");
    assert_string_equal(pl_catalog_fact(&r.cat, "annex1_title"), "2023年县政府重点工作责任目标");
    done(&r);
}

static void test_two_labels_on_one_line_are_both_read(void **state)
{
    (void)state;
    struct run r;
    parse(&r, "1、完成甲。\n牵头领导：王君磊 承办单位：县财政局\n协办单位：县统计局\n");
    assert_int_equal(r.diag.errors, 0);
    assert_string_equal(list(&r.cat.tasks[0].leaders), "王君磊");
    assert_string_equal(list(&r.cat.tasks[0].hosts), "县财政局");
    done(&r);
}

static void test_missing_number_is_inferred_between_neighbours_with_a_warning(void **state)
{
    (void)state;
    struct run r;
    parse(&r, "1、完成甲。\n牵头领导：甲\n承办单位：县财政局\n协办单位：县统计局\n"
              "坚决扛牢责任。\n牵头领导：乙\n承办单位：县卫生健康局\n"
              "3、完成丙。\n牵头领导：丙\n承办单位：县商务局\n");
    assert_int_equal(r.diag.errors, 0);
    assert_int_equal(r.diag.warnings, 1);
    assert_non_null(strstr(r.msgs.data, "a1.txt:5: "));
    assert_non_null(strstr(r.msgs.data, "[W_TASK_NUMBER_MISSING]"));
    assert_int_equal(r.cat.ntasks, 3);
    assert_string_equal(r.cat.tasks[1].id, "2");
    assert_string_equal(r.cat.tasks[1].text, "坚决扛牢责任。");
    assert_string_equal(list(&r.cat.tasks[1].hosts), "县卫生健康局");
    done(&r);
}

static void test_missing_number_that_neighbours_do_not_confirm_is_an_error(void **state)
{
    (void)state;
    struct run r;
    parse(&r, "1、完成甲。\n牵头领导：甲\n承办单位：县财政局\n"
              "坚决扛牢责任。\n牵头领导：乙\n承办单位：县卫生健康局\n"
              "5、完成丙。\n牵头领导：丙\n承办单位：县商务局\n");
    assert_non_null(strstr(r.msgs.data, "[E_TASK_NUMBER_MISSING]"));
    assert_int_equal(r.cat.ntasks, 2);
    done(&r);
}

static void test_paragraph_between_tasks_is_reported(void **state)
{
    (void)state;
    struct run r;
    parse(&r, "1、完成甲。\n牵头领导：甲\n承办单位：县财政局\n\n以上工作请抓好落实。\n\n"
              "2、完成乙。\n牵头领导：乙\n承办单位：县商务局\n");
    assert_int_equal(r.diag.errors, 1);
    assert_non_null(strstr(r.msgs.data, "a1.txt:5: "));
    assert_non_null(strstr(r.msgs.data, "[E_UNPLACED_TEXT]"));
    assert_int_equal(r.cat.ntasks, 2);
    done(&r);
}

static void test_task_without_host_is_kept_and_reported(void **state)
{
    (void)state;
    struct run r;
    parse(&r, "1、完成甲。\n牵头领导：甲\n协办单位：县财政局\n");
    assert_int_equal(r.st, PL_OK);
    assert_non_null(strstr(r.msgs.data, "a1.txt:1: "));
    assert_non_null(strstr(r.msgs.data, "[E_TASK_NO_HOST]"));
    assert_int_equal(r.cat.ntasks, 1);
    assert_int_equal(r.cat.tasks[0].hosts.n, 0);
    done(&r);
}

static void test_unknown_and_duplicate_labels_are_reported(void **state)
{
    (void)state;
    struct run r;
    parse(&r, "1、完成甲。\n牵头领导：甲\n承办单位：县财政局\n督办责任人：李四\n承办单位：县商务局\n");
    assert_non_null(strstr(r.msgs.data, "a1.txt:4: "));
    assert_non_null(strstr(r.msgs.data, "[E_UNKNOWN_LABEL]"));
    assert_non_null(strstr(r.msgs.data, "[E_LABEL_DUPLICATE]"));
    assert_string_equal(list(&r.cat.tasks[0].hosts), "县财政局");
    done(&r);
}

static void test_number_out_of_sequence_is_reported(void **state)
{
    (void)state;
    struct run r;
    parse(&r, "1、甲。\n牵头领导：甲\n承办单位：县财政局\n3、丙。\n牵头领导：丙\n承办单位：县商务局\n");
    assert_non_null(strstr(r.msgs.data, "[E_TASK_NUMBER_ORDER]"));
    assert_int_equal(r.cat.ntasks, 2);
    done(&r);
}

static void test_no_task_at_all_is_unusable(void **state)
{
    (void)state;
    struct run r;
    parse(&r, "2023年县政府重点工作责任目标\n\n（无）\n");
    assert_int_equal(r.st, PL_ERR_DATA);
    assert_non_null(strstr(r.msgs.data, "[E_NO_TASKS]"));
    done(&r);
}

static const char *due_of(const char *text)
{
    static char out[32];
    struct pl_buf b;
    pl_buf_init(&b);
    assert_int_equal(pl_doc_due(text, strlen(text), 2023, &b), PL_OK);
    snprintf(out, sizeof out, "%s", b.data ? b.data : "");
    pl_buf_fini(&b);
    return out;
}

static void test_due_dates_come_from_clear_phrases(void **state)
{
    (void)state;
    assert_string_equal(due_of("8月底前完成项目主体建设。"), "2023-08-31");
    assert_string_equal(due_of("6月底前完成清单梳理"), "2023-06-30");
    assert_string_equal(due_of("２月底前完成"), "2023-02-28"); /* full-width digits */
    assert_string_equal(due_of("2023年8月全面完成机场路学校建设，秋季开学投入使用"), "2023-08-31");
    assert_string_equal(due_of("2023年底前学校教室照明100%达到国家标准"), "2023-12-31");
    assert_string_equal(due_of("年底前建成投用"), "2023-12-31");
    assert_string_equal(due_of("上半年完成招标"), "2023-06-30");
    assert_string_equal(due_of("秋季开学前投入使用"), "2023-08-31");
    assert_string_equal(due_of("9月15日前完成验收"), "2023-09-15");
    /* Several deadlines: the latest, when the whole task is done. */
    assert_string_equal(due_of("6月底前完成设计，10月底前完成建设"), "2023-10-31");
}

static void test_no_due_date_without_a_clear_deadline(void **state)
{
    (void)state;
    assert_string_equal(due_of("在2022年底的基础上再次提高"), "");
    assert_string_equal(due_of("年内新增育繁推企业1家"), "");
    assert_string_equal(due_of("1-6月全面完成固定资产投资"), "");
    assert_string_equal(due_of("2024年6月底前完成"), "");
    assert_string_equal(due_of("明年年底前完成"), "");
    assert_string_equal(due_of("13月底前完成"), "");
    assert_string_equal(due_of("2月30日前完成"), "");
    assert_string_equal(due_of("于6月30日和12月30日前以正式文件报县政府督查室"), "2023-12-30");
}

static void test_task_numbers_in_every_style_are_recognised(void **state)
{
    (void)state;
    unsigned long n;
    size_t off;
    enum pl_numbering st;
    assert_true(pl_doc_task_number_style("（12）推进", strlen("（12）推进"), &n, &off, &st));
    assert_int_equal(n, 12);
    assert_int_equal(st, PL_NUM_PAREN);
    assert_string_equal("（12）推进" + off, "推进");
    assert_true(pl_doc_task_number_style("(3) 落实", strlen("(3) 落实"), &n, &off, &st));
    assert_int_equal(n, 3);
    assert_true(pl_doc_task_number_style("十二是推进", strlen("十二是推进"), &n, &off, &st));
    assert_int_equal(n, 12);
    assert_int_equal(st, PL_NUM_SHI);
    assert_true(pl_doc_task_number_style("二十是推进", strlen("二十是推进"), &n, &off, &st));
    assert_int_equal(n, 20);
    assert_true(pl_doc_task_number_style("7.推进", strlen("7.推进"), &n, &off, &st));
    assert_int_equal(st, PL_NUM_DIGITS);
    assert_false(pl_doc_task_number("（一）稳增长", strlen("（一）稳增长"), &n, &off));
    assert_false(pl_doc_task_number("一、主要目标", strlen("一、主要目标"), &n, &off));
    assert_false(pl_doc_task_number("是否", strlen("是否"), &n, &off));
}

static void test_section_headings_are_recognised(void **state)
{
    (void)state;
    size_t off;
    const char *s = "一、主要预期目标";
    assert_true(pl_doc_section_heading(s, strlen(s), &off));
    assert_string_equal(s + off, "主要预期目标");
    s = "（十二）增进民生福祉";
    assert_true(pl_doc_section_heading(s, strlen(s), &off));
    assert_string_equal(s + off, "增进民生福祉");
    s = "1、完成甲";
    assert_false(pl_doc_section_heading(s, strlen(s), &off));
    s = "一是完成甲";
    assert_false(pl_doc_section_heading(s, strlen(s), &off));
}

static void test_sections_style_and_responsible_units_in_another_wording(void **state)
{
    (void)state;
    struct run r;
    parse(&r, "一、主要预期目标\n"
              "(1) 完成甲，其中：\n1、甲一；\n2、甲二。\n"
              "牵头单位: 县财政局\n责任单位: 县统计局, 县商务局\n配合单位：各镇\n"
              "二、重点工作\n"
              "(2)完成乙。\n责任单位：县商务局、县财政局\n"
              "（3）完成丙。\n责任单位：县财政局、县商务局（牵头）\n");
    assert_int_equal(r.st, PL_OK);
    assert_int_equal(r.diag.errors + r.diag.warnings, 0);
    assert_int_equal(r.cat.ntasks, 3);
    assert_string_equal(r.cat.tasks[0].text, "完成甲，其中：\n1、甲一；\n2、甲二。");
    assert_string_equal(r.cat.tasks[0].section, "主要预期目标");
    assert_string_equal(list(&r.cat.tasks[0].hosts), "县财政局");
    assert_string_equal(list(&r.cat.tasks[0].cohosts), "县统计局|县商务局|各镇");
    assert_string_equal(r.cat.tasks[1].section, "重点工作");
    assert_string_equal(list(&r.cat.tasks[1].hosts), "县商务局|县财政局");
    assert_string_equal(list(&r.cat.tasks[1].cohosts), "");
    assert_string_equal(list(&r.cat.tasks[2].hosts), "县商务局");
    assert_string_equal(list(&r.cat.tasks[2].cohosts), "县财政局");
    done(&r);
}

static void test_leader_is_demanded_only_where_the_document_names_leaders(void **state)
{
    (void)state;
    struct run r;
    parse(&r, "1、完成甲。\n承办单位：县财政局\n2、完成乙。\n承办单位：县商务局\n");
    assert_int_equal(r.diag.errors, 0);
    done(&r);
    parse(&r, "1、完成甲。\n责任县领导：王五\n承办单位：县财政局\n2、完成乙。\n承办单位：县商务局\n");
    assert_int_equal(r.diag.errors, 1);
    assert_non_null(strstr(r.msgs.data, "E_TASK_NO_LEADER"));
    assert_string_equal(list(&r.cat.tasks[0].leaders), "王五");
    done(&r);
}

static const char *cell_due(const char *cell, int year)
{
    static struct pl_buf b;
    pl_buf_fini(&b);
    pl_buf_init(&b);
    bool need = false;
    assert_int_equal(pl_doc_due_cell(cell, strlen(cell), year, &b, &need), PL_OK);
    return need ? "year?" : b.data;
}

static void test_time_cells_give_due_dates(void **state)
{
    (void)state;
    assert_string_equal(cell_due("2024-08-31", 2024), "2024-08-31");
    assert_string_equal(cell_due("2024/9/1", 2024), "2024-09-01");
    assert_string_equal(cell_due("8月底前", 2024), "2024-08-31");
    assert_string_equal(cell_due("2月", 2024), "2024-02-29");
    assert_string_equal(cell_due("2025年6月份", 2024), "2025-06-30");
    assert_string_equal(cell_due("6月30日前", 2024), "2024-06-30");
    assert_string_equal(cell_due("年底前", 2024), "2024-12-31");
    assert_string_equal(cell_due("2024年底", 0), "2024-12-31");
    assert_string_equal(cell_due("上半年", 2024), "2024-06-30");
    assert_string_equal(cell_due("第三季度", 2024), "2024-09-30");
    assert_string_equal(cell_due("2季度末", 2024), "2024-06-30");
    assert_string_equal(cell_due("全年", 2024), "2024-12-31");
    assert_string_equal(cell_due("秋季开学前", 2024), "2024-08-31");
    assert_string_equal(cell_due("长期坚持", 2024), "");
    assert_string_equal(cell_due("", 2024), "");
    assert_string_equal(cell_due("13月", 2024), "");
    assert_string_equal(cell_due("8月底前", 0), "year?");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_task_number_needs_dunhao),
        cmocka_unit_test(test_label_with_leading_spaces_is_a_label),
        cmocka_unit_test(test_unknown_label_is_recognised_as_one),
        cmocka_unit_test(test_second_label_on_a_line_is_found),
        cmocka_unit_test(test_title_is_the_first_clause),
        cmocka_unit_test(test_tasks_are_read_with_their_labels),
        cmocka_unit_test(test_two_labels_on_one_line_are_both_read),
        cmocka_unit_test(test_missing_number_is_inferred_between_neighbours_with_a_warning),
        cmocka_unit_test(test_missing_number_that_neighbours_do_not_confirm_is_an_error),
        cmocka_unit_test(test_paragraph_between_tasks_is_reported),
        cmocka_unit_test(test_task_without_host_is_kept_and_reported),
        cmocka_unit_test(test_unknown_and_duplicate_labels_are_reported),
        cmocka_unit_test(test_number_out_of_sequence_is_reported),
        cmocka_unit_test(test_no_task_at_all_is_unusable),
        cmocka_unit_test(test_due_dates_come_from_clear_phrases),
        cmocka_unit_test(test_no_due_date_without_a_clear_deadline),
        cmocka_unit_test(test_task_numbers_in_every_style_are_recognised),
        cmocka_unit_test(test_section_headings_are_recognised),
        cmocka_unit_test(test_sections_style_and_responsible_units_in_another_wording),
        cmocka_unit_test(test_leader_is_demanded_only_where_the_document_names_leaders),
        cmocka_unit_test(test_time_cells_give_due_dates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
