/* Unit tests for the rules module: defaults, the template, every key, layering, bad files. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules.h"

/* Reads TEXT as rules file "r.ini" over R; the messages go to DIAGS. */
static enum pl_status read_text(struct pl_rules *r, const char *text, struct pl_buf *diags)
{
    struct pl_diag d;
    pl_diag_init(&d, pl_diag_emit_buf, diags);
    FILE *fp = fmemopen((void *)text, strlen(text), "r");
    assert_non_null(fp);
    enum pl_status st = pl_rules_read_stream(r, fp, "r.ini", &d);
    fclose(fp);
    return st;
}

static void test_defaults_are_the_design_rules(void **state)
{
    (void)state;
    struct pl_rules r;
    assert_int_equal(pl_rules_init(&r), PL_OK);
    assert_int_equal(r.expected_from, PL_EXPECTED_CATALOG);
    assert_null(r.first_cycle);
    assert_true(r.done_at == 100);
    assert_true(r.blue_tolerance == 0);
    assert_true(r.red_behind == 20);
    assert_true(r.missing_red);
    assert_true(r.not_started_red);
    assert_false(r.late_red);
    assert_int_equal(r.error_after_days, 60);
    assert_true(r.full_marks == 100);
    assert_true(r.late_deduction == 5);
    assert_true(r.missing_deduction == 10);
    assert_true(r.returned_deduction == 10);
    assert_true(r.returned_red && r.no_progress_red);
    assert_true(r.over_limit == 200);
    assert_true(r.yellow_deduction == 0 && r.red_deduction == 0);
    assert_int_equal(r.method, PL_RANK_DENSE);
    assert_int_equal(r.group_order.n, 2);
    assert_string_equal(r.group_order.v[0], "镇街和功能区");
    assert_string_equal(pl_rules_group_of(&r, PL_UNIT_TOWN), "镇街和功能区");
    assert_string_equal(pl_rules_group_of(&r, PL_UNIT_ZONE), "镇街和功能区");
    assert_string_equal(pl_rules_group_of(&r, PL_UNIT_DEPARTMENT), "县直部门");
    assert_string_equal(pl_rules_group_of(&r, PL_UNIT_PARTY), "县直部门");
    assert_string_equal(pl_rules_group_of(&r, PL_UNIT_MASS), "县直部门");
    /* Units the county government does not direct: listed, not ranked. */
    assert_string_equal(pl_rules_group_of(&r, PL_UNIT_VERTICAL), "垂直管理单位");
    assert_string_equal(pl_rules_group_of(&r, PL_UNIT_ENTERPRISE), "企业和金融机构");
    assert_string_equal(pl_rules_group_of(&r, PL_UNIT_JUDICIAL), "法院检察院");
    assert_true(pl_rules_group_ranked(&r, "县直部门"));
    assert_true(pl_rules_group_ranked(&r, "镇街和功能区"));
    assert_false(pl_rules_group_ranked(&r, "法院检察院"));
    assert_false(pl_rules_group_ranked(&r, "垂直管理单位"));
    assert_false(pl_rules_group_ranked(&r, ""));
    assert_null(pl_rules_group_of(&r, PL_UNIT_COLLECTIVE));
    enum pl_work_status ws;
    assert_int_equal(pl_status_word_lookup(&r.words, "办结", strlen("办结"), &ws, NULL), PL_OK);
    assert_int_equal(ws, PL_WORK_DONE);
    pl_rules_fini(&r);
    pl_rules_fini(NULL);
}

static char *print_to_string(const struct pl_rules *r)
{
    char *text = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&text, &len);
    assert_non_null(fp);
    assert_int_equal(pl_rules_print(r, NULL, fp), PL_OK);
    fclose(fp);
    return text;
}

static void test_shipped_template_holds_exactly_the_defaults(void **state)
{
    (void)state;
    struct pl_rules d, t;
    struct pl_diag diag;
    struct pl_buf diags;
    pl_buf_init(&diags);
    pl_diag_init(&diag, pl_diag_emit_buf, &diags);
    assert_int_equal(pl_rules_init(&d), PL_OK);
    assert_int_equal(pl_rules_init(&t), PL_OK);
    assert_int_equal(pl_rules_read(&t, "templates/rules.ini", &diag), PL_OK);
    assert_string_equal(diags.data, "");
    char *a = print_to_string(&d), *b = print_to_string(&t);
    assert_string_equal(a, b);
    free(a);
    free(b);
    pl_rules_fini(&d);
    pl_rules_fini(&t);
    pl_buf_fini(&diags);
}

static void test_every_key_is_read_and_printed_back(void **state)
{
    (void)state;
    static const char text[] = "\xEF\xBB\xBF; a year's rules\n"
                               "[progress]\n"
                               "expected_from = elapsed\n"
                               "first_cycle = 2023H2\n"
                               "done_at = 95.5\n"
                               "[expected]\n"
                               "2023H1 = 45\n"
                               "[Colour]\n"
                               "  Blue_Tolerance = 2 ; indented, any case\n"
                               "red_behind = 30\n"
                               "missing_red = no\n"
                               "not_started_red = 否\n"
                               "late_red = true\n"
                               "[late]\n"
                               "error_after_days = 30\n"
                               "[score]\n"
                               "full_marks = 10\n"
                               "late_deduction = 1\n"
                               "missing_deduction = 2\n"
                               "yellow_deduction = 0.5\n"
                               "red_deduction = 1.5\n"
                               "[rank]\n"
                               "method = competition\n"
                               "group_order = 县直部门 | 镇街\n"
                               "unranked =\n"
                               "[groups]\n"
                               "zone = 镇街\n"
                               "[status_words]\n"
                               "稳步推进 = 序时推进\n";
    struct pl_rules r;
    struct pl_buf diags;
    pl_buf_init(&diags);
    assert_int_equal(pl_rules_init(&r), PL_OK);
    assert_int_equal(read_text(&r, text, &diags), PL_OK);
    assert_string_equal(diags.data, "");
    assert_int_equal(r.expected_from, PL_EXPECTED_ELAPSED);
    assert_string_equal(r.first_cycle, "2023H2");
    assert_int_equal(r.first_cycle_line, 4);
    assert_true(r.done_at == 95.5);
    const struct pl_rules_expected *e = pl_rules_expected_for(&r, "2023H1");
    assert_non_null(e);
    assert_true(e->expected == 45);
    assert_int_equal(e->line, 7);
    assert_null(pl_rules_expected_for(&r, "2023H2"));
    assert_true(r.blue_tolerance == 2 && r.red_behind == 30);
    assert_false(r.missing_red);
    assert_false(r.not_started_red);
    assert_true(r.late_red);
    assert_int_equal(r.error_after_days, 30);
    assert_true(r.full_marks == 10 && r.late_deduction == 1 && r.missing_deduction == 2);
    assert_true(r.yellow_deduction == 0.5 && r.red_deduction == 1.5);
    assert_int_equal(r.method, PL_RANK_COMPETITION);
    assert_string_equal(r.group_order.v[0], "县直部门");
    assert_string_equal(r.group_order.v[1], "镇街");
    assert_string_equal(pl_rules_group_of(&r, PL_UNIT_ZONE), "镇街");
    assert_int_equal(r.unranked.n, 0);
    assert_true(pl_rules_group_ranked(&r, "法院检察院"));
    enum pl_work_status ws;
    assert_int_equal(pl_status_word_lookup(&r.words, "稳步推进", strlen("稳步推进"), &ws, NULL),
                     PL_OK);
    assert_int_equal(ws, PL_WORK_ON_TRACK);

    /* What is printed reads back to the same rules. */
    char *printed = print_to_string(&r);
    struct pl_rules again;
    assert_int_equal(pl_rules_init(&again), PL_OK);
    assert_int_equal(read_text(&again, printed, &diags), PL_OK);
    char *reprinted = print_to_string(&again);
    assert_string_equal(printed, reprinted);
    free(printed);
    free(reprinted);
    pl_rules_fini(&again);
    pl_rules_fini(&r);
    pl_buf_fini(&diags);
}

static void test_a_later_file_changes_only_its_own_keys(void **state)
{
    (void)state;
    struct pl_rules r;
    struct pl_buf diags;
    pl_buf_init(&diags);
    assert_int_equal(pl_rules_init(&r), PL_OK);
    assert_int_equal(read_text(&r, "[colour]\nred_behind = 30\n[expected]\n2023H1 = 40\n", &diags),
                     PL_OK);
    assert_int_equal(
        read_text(&r, "[expected]\n2023H1 = 45\n[rank]\nmethod = competition\n", &diags), PL_OK);
    assert_true(r.red_behind == 30);
    assert_int_equal(r.method, PL_RANK_COMPETITION);
    assert_int_equal(r.nexpected, 1);
    assert_true(pl_rules_expected_for(&r, "2023H1")->expected == 45);
    assert_true(r.blue_tolerance == 0 && r.done_at == 100);
    assert_string_equal(diags.data, "");
    pl_rules_fini(&r);
    pl_buf_fini(&diags);
}

static void test_an_empty_file_changes_nothing(void **state)
{
    (void)state;
    struct pl_rules r, d;
    struct pl_buf diags;
    pl_buf_init(&diags);
    assert_int_equal(pl_rules_init(&r), PL_OK);
    assert_int_equal(pl_rules_init(&d), PL_OK);
    assert_int_equal(read_text(&r, "", &diags), PL_OK);
    assert_int_equal(read_text(&r, "; only a comment\n\n[colour]\n", &diags), PL_OK);
    char *a = print_to_string(&r), *b = print_to_string(&d);
    assert_string_equal(a, b);
    free(a);
    free(b);
    pl_rules_fini(&r);
    pl_rules_fini(&d);
    pl_buf_fini(&diags);
}

/* Each bad file and the one message it must give, with its line. */
static const struct {
    const char *text;
    const char *message;
} bad_files[] = {
    {"[colour]\nred_behind = 20\nred_gap = 30\n",
     "r.ini:3: [colour]节中没有“red_gap”这个键（可用的键：blue_tolerance、red_behind、"
     "missing_red、returned_red、no_progress_red、not_started_red、late_red） "
     "[E_RULES_UNKNOWN_KEY]\n"},
    {"; comment\n[colour]\nred_behind = 120\n",
     "r.ini:3: [colour] red_behind = 120 超出范围：应大于0且不超过100 [E_RULES_RANGE]\n"},
    {"[colour]\nred_behind = 0\n",
     "r.ini:2: [colour] red_behind = 0 超出范围：应大于0且不超过100 [E_RULES_RANGE]\n"},
    {"[colour]\nblue_tolerance = -1\n",
     "r.ini:2: [colour] blue_tolerance = -1 超出范围：应不小于0且小于100 [E_RULES_RANGE]\n"},
    {"[expected]\n2023H1 = 0\n",
     "r.ini:2: [expected] 2023H1 = 0 超出范围：应大于0且不超过100 [E_RULES_RANGE]\n"},
    {"[late]\nerror_after_days = 400\n",
     "r.ini:2: [late] error_after_days = 400 超出范围：应不小于0且不超过366 [E_RULES_RANGE]\n"},
    {"[late]\nerror_after_days = 1.5\n",
     "r.ini:2: [late] error_after_days 的值“1.5”不是整天数 [E_RULES_VALUE]\n"},
    {"[colour]\nblue_tolerance = 20\n",
     "r.ini:2: [colour] blue_tolerance（20）必须小于 red_behind（20） [E_RULES_RANGE]\n"},
    {"red_behind = 30\n[colour]\n",
     "r.ini:1: “red_behind = 30”不在任何节中：请在它前面写上所属的节，如[colour] "
     "[E_RULES_NO_SECTION]\n"},
    {"[colours]\nred_behind = 30\n",
     "r.ini:1: 不认识的节“[colours]”（可用的节：progress、expected、colour、late、score、rank、"
     "annual、groups、status_words） [E_RULES_UNKNOWN_SECTION]\n"},
    {"[colour\n", "r.ini:1: 节名“[colour”缺少右方括号“]” [E_RULES_SYNTAX]\n"},
    {"[annual]\nlast_weight = 2\n",
     "r.ini:2: [annual] last_weight = 2 超出范围：应不小于0且不超过1 [E_RULES_RANGE]\n"},
    {"[colour]\nlate_red = maybe\n",
     "r.ini:2: [colour] late_red 的值“maybe”应为 yes 或 no [E_RULES_VALUE]\n"},
    {"[score]\nlate_deduction = 1e1\n",
     "r.ini:2: [score] late_deduction 的值“1e1”不是数字 [E_RULES_VALUE]\n"},
    {"[score]\nfull_marks =\n", "r.ini:2: [score] full_marks 的值“”不是数字 [E_RULES_VALUE]\n"},
    {"[progress]\nover_limit = 99\n",
     "r.ini:2: [progress] over_limit = 99 超出范围：应不小于100且不超过100000 [E_RULES_RANGE]\n"},
    {"[progress]\nexpected_from = cycles\n",
     "r.ini:2: [progress] expected_from 的值“cycles”应为 catalog 或 elapsed [E_RULES_VALUE]\n"},
    {"[rank]\nmethod = excel\n",
     "r.ini:2: [rank] method 的值“excel”应为 dense 或 competition [E_RULES_VALUE]\n"},
    {"[rank]\ngroup_order = 镇街||县直部门\n",
     "r.ini:2: [rank] group_order 的值“镇街||县直部门”中有空的组名 [E_RULES_VALUE]\n"},
    {"[groups]\ncollective = 镇街\n",
     "r.ini:2: [groups]节中没有“collective”这个键（可用的键是units.csv的单位类别：department、"
     "party、mass、vertical、judicial、zone、enterprise、bank、town；collective 从不排名） "
     "[E_RULES_UNKNOWN_KEY]\n"},
    {"[status_words]\n基本完成 = 完工\n", "r.ini:2: 状态词“基本完成”对应的“完工”不是规范状态（应为 "
                                          "已完成、序时推进、滞后、未启动 之一） "
                                          "[E_RULES_STATUS]\n"},
    {"[status_words]\n完成 = 滞后\n",
     "r.ini:2: "
     "状态词“完成”已对应“已完成”，不能再对应“滞后”（规则文件只能增加状态词，不能改变已有的） "
     "[E_RULES_STATUS]\n"},
    {"[rank]\nmethod = dense\nMETHOD = dense\n",
     "r.ini:3: [rank] method 已在第2行设过，同一个文件里只能设一次 [E_RULES_DUPLICATE]\n"},
    {"[colour]\nred_behind 30\n",
     "r.ini:2: “red_behind 30”既不是“[节名]”，也不是“键 = 值” [E_RULES_SYNTAX]\n"},
    {"[colour]\n= 30\n", "r.ini:2: “= 30”缺少键名 [E_RULES_SYNTAX]\n"},
    {"[colour]\nred_behind = \xB6\xFE\n",
     "r.ini:2: 第2行不是UTF-8编码的文字：请把规则文件另存为UTF-8 [E_UNDECODABLE]\n"},
};

static void test_each_bad_file_is_refused_naming_its_line(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof bad_files / sizeof bad_files[0]; i++) {
        struct pl_rules r;
        struct pl_buf diags;
        pl_buf_init(&diags);
        assert_int_equal(pl_rules_init(&r), PL_OK);
        enum pl_status st = read_text(&r, bad_files[i].text, &diags);
        if (st != PL_ERR_CONFIG || strcmp(diags.data, bad_files[i].message) != 0)
            fail_msg("case %zu: status %d, messages:\n%s", i, st, diags.data);
        pl_rules_fini(&r);
        pl_buf_fini(&diags);
    }
}

static void test_every_bad_line_of_a_file_is_reported(void **state)
{
    (void)state;
    struct pl_rules r;
    struct pl_buf diags;
    pl_buf_init(&diags);
    assert_int_equal(pl_rules_init(&r), PL_OK);
    assert_int_equal(
        read_text(&r, "[colour]\nred = 1\n[score]\nfull_marks = x\n[nope]\nk = v\n", &diags),
        PL_ERR_CONFIG);
    /* Lines 2, 4 and 5; the key under the unknown section is not reported again. */
    assert_non_null(strstr(diags.data, "r.ini:2: "));
    assert_non_null(strstr(diags.data, "r.ini:4: "));
    assert_non_null(strstr(diags.data, "r.ini:5: "));
    assert_null(strstr(diags.data, "r.ini:6: "));
    pl_rules_fini(&r);
    pl_buf_fini(&diags);
}

static void test_long_comments_pass_and_long_values_are_refused(void **state)
{
    (void)state;
    struct pl_buf text, diags;
    pl_buf_init(&text);
    pl_buf_init(&diags);
    pl_buf_append_str(&text, "; ");
    for (int i = 0; i < 200; i++)
        pl_buf_append_str(&text, "注释");
    pl_buf_append_str(&text, "\n[colour]\nred_behind = 25 ;");
    for (int i = 0; i < 200; i++)
        pl_buf_append_str(&text, "注释");
    pl_buf_append_str(&text, "\n");
    struct pl_rules r;
    assert_int_equal(pl_rules_init(&r), PL_OK);
    assert_int_equal(read_text(&r, text.data, &diags), PL_OK);
    assert_true(r.red_behind == 25);
    pl_buf_clear(&text);
    pl_buf_append_str(&text, "[rank]\ngroup_order = ");
    for (int i = 0; i < 40; i++)
        pl_buf_append_str(&text, "镇街|");
    pl_buf_append_str(&text, "县直部门\n");
    assert_int_equal(read_text(&r, text.data, &diags), PL_ERR_CONFIG);
    assert_non_null(strstr(diags.data, "r.ini:2: "));
    assert_non_null(strstr(diags.data, "[E_RULES_LINE_TOO_LONG]"));
    pl_rules_fini(&r);
    pl_buf_fini(&text);
    pl_buf_fini(&diags);
}

static void test_loading_reads_every_file_and_a_missing_one_is_unreadable(void **state)
{
    (void)state;
    struct pl_rules r;
    const char *paths[] = {"templates/rules.ini", "/nonexistent/rules.ini"};
    assert_int_equal(pl_rules_load(&r, paths, 2, NULL), PL_ERR_OPEN);
    pl_rules_fini(&r);
    assert_int_equal(pl_rules_load(&r, paths, 1, NULL), PL_OK);
    pl_rules_fini(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_defaults_are_the_design_rules),
        cmocka_unit_test(test_shipped_template_holds_exactly_the_defaults),
        cmocka_unit_test(test_every_key_is_read_and_printed_back),
        cmocka_unit_test(test_a_later_file_changes_only_its_own_keys),
        cmocka_unit_test(test_an_empty_file_changes_nothing),
        cmocka_unit_test(test_each_bad_file_is_refused_naming_its_line),
        cmocka_unit_test(test_every_bad_line_of_a_file_is_reported),
        cmocka_unit_test(test_long_comments_pass_and_long_values_are_refused),
        cmocka_unit_test(test_loading_reads_every_file_and_a_missing_one_is_unreadable),
    };
    return cmocka_run_group_tests_name("rules", tests, NULL, NULL);
}
