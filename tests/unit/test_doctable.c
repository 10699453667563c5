/* Tests for doctable: 附件2's flattened table of livelihood projects. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "doctable.h"

struct run {
    struct pl_doc_lines lines;
    struct pl_catalog cat;
    struct pl_unitreg *reg;
    struct pl_strv towns;
    struct pl_buf msgs;
    struct pl_diag diag;
    enum pl_status st;
};

static void parse(struct run *r, const char *text)
{
    assert_int_equal(pl_doc_lines_split(text, strlen(text), &r->lines), PL_OK);
    pl_catalog_init(&r->cat);
    r->reg = pl_unitreg_new();
    pl_strv_init(&r->towns);
    pl_buf_init(&r->msgs);
    pl_diag_init(&r->diag, pl_diag_emit_buf, &r->msgs);
    r->st = pl_doctable_parse(&r->lines, 0, r->lines.n, "a2.txt", &r->cat, r->reg, &r->towns,
                              &r->diag);
}

static void done(struct run *r)
{
    pl_doc_lines_fini(&r->lines);
    pl_catalog_fini(&r->cat);
    pl_unitreg_free(r->reg);
    pl_strv_fini(&r->towns);
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

#define HEADER "\t序号\n\t项目名称\n\t项目内容及工作目标\n\t分管领导\n\t主办单位\n\t协办单位\n\n"

static void test_rows_items_and_merged_cells(void **state)
{
    (void)state;
    struct run r;
    parse(&r, "2023年嘉祥县民生实事责任目标一览表\n" HEADER
              "\t1\n\t困难群体救助工程\n\t（1）提高救助标准。\n\t张  雷\n\t县民政局\n\t县财政局\n\n"
              "\t\n\t\n\t（2）冬暖夏凉行动。\n\t\n\t\n\t县财政局\n\n各镇街\n\n"
              "\t2\n\t托育扩容增位工程\n\t新增托位640个。其中，嘉祥街道169个，金屯镇51个。\n"
              "\t王君磊\n\t县卫生健康局\n县城建集团\n\n嘉祥街道\n\t——\n\n"
              "\t抄送：县委各部门，\n\n县法院，县人武部。\n ");
    assert_int_equal(r.st, PL_OK);
    assert_int_equal(r.diag.errors + r.diag.warnings, 0);
    assert_int_equal(r.cat.ntasks, 3);
    const struct pl_task *t = r.cat.tasks;
    assert_string_equal(t[0].id, "M1-1");
    assert_int_equal(t[0].kind, PL_TASK_LIVELIHOOD);
    assert_string_equal(t[0].title, "困难群体救助工程");
    assert_string_equal(t[0].text, "提高救助标准。");
    assert_string_equal(list(&t[0].leaders), "张雷");
    assert_string_equal(t[1].id, "M1-2");
    assert_string_equal(t[1].title, "困难群体救助工程");
    assert_string_equal(list(&t[1].leaders), "张雷");
    assert_string_equal(list(&t[1].hosts), "县民政局");
    assert_string_equal(list(&t[1].cohosts), "县财政局|各镇街");
    assert_string_equal(t[2].id, "M2");
    assert_string_equal(list(&t[2].hosts), "县卫生健康局|县城建集团|嘉祥街道");
    assert_string_equal(list(&t[2].cohosts), "");
    assert_string_equal(list(&r.towns), "嘉祥街道|金屯镇");
    assert_string_equal(pl_catalog_fact(&r.cat, "annex2_title"), "2023年嘉祥县民生实事责任目标一览表");
    assert_string_equal(pl_catalog_fact(&r.cat, "cc"), "县委各部门，县法院，县人武部");
    done(&r);
}

static void test_empty_leader_of_a_new_project_inherits_with_a_warning(void **state)
{
    (void)state;
    struct run r;
    parse(&r, HEADER "\t1\n\t甲工程\n\t内容甲。\n\t张雷\n\t县供销社\n\t各镇街\n\n"
                     "\t2\n\t乙工程\n\t内容乙。\n\t\n\t县农业机械化服务中心\n\t县财政局\n");
    assert_int_equal(r.diag.errors, 0);
    assert_int_equal(r.diag.warnings, 1);
    assert_non_null(strstr(r.msgs.data, "a2.txt:18: "));
    assert_non_null(strstr(r.msgs.data, "[W_CELL_INHERITED]"));
    assert_string_equal(r.cat.tasks[1].id, "M2");
    assert_string_equal(list(&r.cat.tasks[1].leaders), "张雷");
    done(&r);
}

static void test_row_with_too_many_cells_is_left_out(void **state)
{
    (void)state;
    struct run r;
    parse(&r, HEADER "\t1\n\t甲工程\n\t内容甲。\n\t张雷\n\t县供销社\n\t各镇街\n\t多余\n\n"
                     "\t2\n\t乙工程\n\t内容乙。\n\t王君磊\n\t县司法局\n\t——\n");
    assert_non_null(strstr(r.msgs.data, "a2.txt:8: "));
    assert_non_null(strstr(r.msgs.data, "[E_TABLE_CELLS]"));
    assert_int_equal(r.cat.ntasks, 1);
    assert_string_equal(r.cat.tasks[0].id, "M2");
    done(&r);
}

static void test_truncated_last_row_is_reported(void **state)
{
    (void)state;
    struct run r;
    parse(&r, HEADER "\t1\n\t甲工程\n\t内容甲。\n\t张雷\n\t县供销社\n\t各镇街\n\n"
                     "\t2\n\t乙工程\n\t内容乙。\n");
    assert_non_null(strstr(r.msgs.data, "[E_TABLE_TRUNCATED]"));
    assert_int_equal(r.cat.ntasks, 1);
    done(&r);
}

static void test_unknown_header_is_reported(void **state)
{
    (void)state;
    struct run r;
    parse(&r, "\t序号\n\t项目名称\n\t备注\n\n\t1\n\t甲\n\t乙\n");
    assert_non_null(strstr(r.msgs.data, "[E_TABLE_HEADER]"));
    assert_int_equal(r.cat.ntasks, 0);
    done(&r);
}

static void test_cells_on_one_tab_separated_line_are_cells(void **state)
{
    (void)state;
    struct run r;
    parse(&r, "\t序号\t项目名称\t项目内容\t分管领导\t主办单位\t协办单位\n\n"
              "\t1\t甲工程\t内容甲。\t张雷\t县供销社\t各镇街\n");
    assert_int_equal(r.diag.errors, 0);
    assert_int_equal(r.cat.ntasks, 1);
    assert_string_equal(list(&r.cat.tasks[0].cohosts), "各镇街");
    done(&r);
}

static void test_no_table_is_unusable(void **state)
{
    (void)state;
    struct run r;
    parse(&r, "2023年民生实事责任目标一览表\n\n见另文。\n");
    assert_int_equal(r.st, PL_ERR_DATA);
    assert_non_null(strstr(r.msgs.data, "[E_NO_TABLE]"));
    done(&r);
}

/* A table saved as text by LibreOffice or WPS: its cells one to a line, no tab. One message
 * at the header's first word, and nothing read; the lines are not each reported. */
static void test_table_split_one_cell_to_a_line_is_one_refusal(void **state)
{
    (void)state;
    struct run r;
    parse(&r, "2023年民生实事责任目标一览表\n序号\n项目名称\n项目内容及工作目标\n分管领导\n"
              "主办单位\n协办单位\n1\n甲工程\n内容甲。\n张雷\n县供销社\n县财政局\n县民政局\n");
    assert_int_equal(r.st, PL_ERR_DATA);
    assert_int_equal(r.diag.errors, 1);
    assert_non_null(strstr(r.msgs.data, "a2.txt:2:"));
    assert_non_null(strstr(r.msgs.data, "请改为导入Word原文件（.docx） [E_TABLE_SPLIT]"));
    assert_int_equal(r.cat.ntasks, 0);
    done(&r);
    /* A note in words before the table is not a split table: only header words are. */
    parse(&r, "2023年民生实事责任目标一览表\n序号\n说明：见另文。\n项目名称\n");
    assert_null(strstr(r.msgs.data, "[E_TABLE_SPLIT]"));
    done(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rows_items_and_merged_cells),
        cmocka_unit_test(test_empty_leader_of_a_new_project_inherits_with_a_warning),
        cmocka_unit_test(test_row_with_too_many_cells_is_left_out),
        cmocka_unit_test(test_truncated_last_row_is_reported),
        cmocka_unit_test(test_unknown_header_is_reported),
        cmocka_unit_test(test_cells_on_one_tab_separated_line_are_cells),
        cmocka_unit_test(test_no_table_is_unusable),
        cmocka_unit_test(test_table_split_one_cell_to_a_line_is_one_refusal),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
