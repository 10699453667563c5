/* Unit tests for the header module: column names, header rows, blank and signature rows. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "header.h"

static enum pl_field field(const char *name)
{
    return pl_header_field(name, strlen(name), NULL);
}

static void test_form_names_and_ascii_names_map_to_fields(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        enum pl_field field;
    } table[] = {
        {"任务编号", PL_F_TASK_ID},    {"task_id", PL_F_TASK_ID},   {"承办单位", PL_F_UNIT},
        {"unit", PL_F_UNIT},           {"责任人", PL_F_OWNER},      {"联系电话", PL_F_PHONE},
        {"完成进度", PL_F_PROGRESS},   {"状态", PL_F_STATUS},       {"完成值", PL_F_VALUE},
        {"指标", PL_F_METRIC},         {"进展情况", PL_F_NARRATIVE}, {"存在问题", PL_F_PROBLEMS},
        {"下步措施", PL_F_NEXT_STEPS}, {"填报日期", PL_F_REPORTED_ON}, {"next_steps", PL_F_NEXT_STEPS},
        {"落实情况", PL_F_NARRATIVE},  {"下一步措施", PL_F_NEXT_STEPS},
    };
    for (size_t i = 0; i < sizeof table / sizeof table[0]; i++)
        assert_int_equal(field(table[i].name), table[i].field);
}

static void test_names_tolerate_spaces_brackets_bom_stars_and_case(void **state)
{
    (void)state;
    assert_int_equal(field("\xEF\xBB\xBF任务编号"), PL_F_TASK_ID);
    assert_int_equal(field(" 承办 单位 "), PL_F_UNIT);
    assert_int_equal(field("\u3000完成进度（%）"), PL_F_PROGRESS);
    assert_int_equal(field("完成进度(%)"), PL_F_PROGRESS);
    assert_int_equal(field("*任务编号"), PL_F_TASK_ID);
    assert_int_equal(field("进展情况【截至6月底】"), PL_F_NARRATIVE);
    assert_int_equal(field("Task_ID"), PL_F_TASK_ID);
    assert_int_equal(field("填报日期："), PL_F_REPORTED_ON);
}

static void test_unknown_and_row_number_columns_map_to_nothing(void **state)
{
    (void)state;
    assert_int_equal(field("备注"), PL_F_COUNT);
    assert_int_equal(field("序号"), PL_F_COUNT);
    assert_int_equal(field(""), PL_F_COUNT);
}

static bool map(const char *const *cells, size_t n, struct pl_header_map *m)
{
    size_t lens[16];
    for (size_t i = 0; i < n; i++)
        lens[i] = strlen(cells[i]);
    return pl_header_map_row(cells, lens, n, m);
}

static void test_a_header_needs_task_id_and_unit(void **state)
{
    (void)state;
    struct pl_header_map m;
    const char *good[] = {"序号", "任务编号", "承办单位", "完成进度"};
    assert_true(map(good, 4, &m));
    assert_int_equal(m.column[PL_F_TASK_ID], 1);
    assert_int_equal(m.column[PL_F_UNIT], 2);
    assert_int_equal(m.column[PL_F_PROGRESS], 3);
    assert_int_equal(m.column[PL_F_STATUS], -1);
    assert_int_equal(m.width, 4);
    const char *title[] = {"2023年上半年重点工作落实情况表", "", ""};
    assert_false(map(title, 3, &m));
    const char *no_unit[] = {"任务编号", "完成进度"};
    assert_false(map(no_unit, 2, &m));
    assert_int_equal(m.recognised, 2);
}

static void test_the_better_name_wins_when_two_columns_name_one_field(void **state)
{
    (void)state;
    struct pl_header_map m;
    const char *cells[] = {"单位", "任务编号", "承办单位"};
    assert_true(map(cells, 3, &m));
    assert_int_equal(m.column[PL_F_UNIT], 2);
}

static bool signature(const char *const *cells, size_t n)
{
    size_t lens[16];
    for (size_t i = 0; i < n; i++)
        lens[i] = strlen(cells[i]);
    return pl_header_row_is_signature(cells, lens, n);
}

static void test_signature_rows_are_recognised(void **state)
{
    (void)state;
    const char *a[] = {"填报人：张三", "", "审核人：李四"};
    const char *b[] = {"", " 单位负责人：王五"};
    const char *c[] = {"联系电话：13800000000"};
    const char *d[] = {"单位主要负责人（签字）：", ""};
    const char *e[] = {"（盖章）", "2023年6月28日"};
    const char *data[] = {"17", "县财政局", "填报人已更换"};
    const char *blank[] = {"", " "};
    assert_true(signature(a, 3));
    assert_true(signature(b, 2));
    assert_true(signature(c, 1));
    assert_true(signature(d, 2));
    assert_true(signature(e, 2));
    assert_false(signature(data, 3));
    assert_false(signature(blank, 2));
}

static void test_blank_rows_are_all_space(void **state)
{
    (void)state;
    const char *blank[] = {"", " ", "\u3000"};
    size_t lens[] = {0, 1, 3};
    assert_true(pl_header_row_is_blank(blank, lens, 3));
    const char *not_blank[] = {"", "x"};
    size_t lens2[] = {0, 1};
    assert_false(pl_header_row_is_blank(not_blank, lens2, 2));
}

static void test_describe_row_lists_non_blank_cells_shortened(void **state)
{
    (void)state;
    const char *cells[] = {"序号", "", "一二三四五六七八九十一二三四五六七八九十多"};
    size_t lens[] = {strlen(cells[0]), 0, strlen(cells[2])};
    struct pl_buf out;
    pl_buf_init(&out);
    assert_int_equal(pl_header_describe_row(&out, cells, lens, 3), PL_OK);
    assert_string_equal(out.data, "“序号”、“一二三四五六七八九十一二三四五六七八九十…”");
    pl_buf_fini(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_form_names_and_ascii_names_map_to_fields),
        cmocka_unit_test(test_names_tolerate_spaces_brackets_bom_stars_and_case),
        cmocka_unit_test(test_unknown_and_row_number_columns_map_to_nothing),
        cmocka_unit_test(test_a_header_needs_task_id_and_unit),
        cmocka_unit_test(test_the_better_name_wins_when_two_columns_name_one_field),
        cmocka_unit_test(test_signature_rows_are_recognised),
        cmocka_unit_test(test_blank_rows_are_all_space),
        cmocka_unit_test(test_describe_row_lists_non_blank_cells_shortened),
    };
    return cmocka_run_group_tests_name("header", tests, NULL, NULL);
}
