/* test_receipts — what goes in each unit's receipt, the index and the 催报 list. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "catalog.h"
#include "receipts.h"

static char dir[] = "/tmp/ducha-test-receipts.XXXXXX";
static struct pl_catalog catalog;

static void put(const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    assert_int_equal(fclose(fp), 0);
}

static const char *at(const char *name)
{
    static char path[4][256];
    static int k;
    k = (k + 1) % 4;
    snprintf(path[k], sizeof path[k], "%s/%s", dir, name);
    return path[k];
}

static int setup(void **state)
{
    (void)state;
    if (!mkdtemp(dir))
        return -1;
    char cat[256];
    snprintf(cat, sizeof cat, "%s/catalog", dir);
    mkdir(cat, 0777);
    put("catalog/units.csv",
        "name,aliases,kind,members,short,contact,phone,email\n"
        "县财政局,财政局,department,,,张三,0537-1234567,czj@example.cn\n"
        "县统计局,统计局,department,,,,,\n"
        "县商务局,,department,,,李四,13800000000,\n"
        "县水务局,,department,,,,,\n"
        "县妇联,,mass,,,,,\n");
    put("catalog/tasks.csv", "id,kind,title,text,leaders,hosts,cohosts\n"
                             "1,key,财政收入,财政收入增长5%,甲,县财政局|县统计局,县妇联\n"
                             "2,key,外贸,外贸进出口增长,乙,县商务局|县财政局,\n"
                             "3,key,水利,水利工程,丙,县水务局,\n");
    put("catalog/cycles.csv", "id,label,start,end,deadline,expected\n"
                              "2023H1,2023年上半年,2023-01-01,2023-06-30,2023-06-30,50\n");
    pl_catalog_init(&catalog);
    if (pl_catalog_read(&catalog, cat, NULL) != PL_OK)
        return -1;
    /* 县财政局 sent both tasks, one accepted and one all rejected; 县统计局 sent task 1 right;
     * 县商务局 nothing; 县水务局 a file whose only row names no known unit. 县妇联 (a co-unit)
     * sent a row that was rejected. */
    put("rated.csv", "task_id,unit,group,progress,status,missing,flags,colour,reason\n"
                     "1,县财政局,县直部门,55,序时推进,0,,blue,超序时进度5个百分点\n"
                     "1,县统计局,县直部门,30,滞后,0,,red,进度滞后20个百分点\n"
                     "2,县商务局,县直部门,,未报送,1,,red,未报送\n"
                     "2,县财政局,县直部门,,报送有误,2,,red,报送内容有误，已退回修改\n"
                     "3,县水务局,县直部门,,未报送,1,,red,未报送\n");
    put("records.csv", "cycle,source,line,task_id,unit\n"
                       "2023H1,r/财政.xlsx,5,1,财政局\n"
                       "2023H1,r/财政.xlsx,6,2,\n"
                       "2023H1,r/水务.csv,2,3,水务\n"
                       "2023H1,r/妇联.csv,2,1,县妇联\n");
    /* ducha-check's rejects, with the Chinese headers staff see. */
    put("rejects.csv",
        "\xEF\xBB\xBF周期,来源文件,行,任务编号,承办单位,完成进度,单元格位置,工作表,问题代码,"
        "问题所在列,问题说明\n"
        "2023H1,r/财政.xlsx,6,第2项,,过半,1|2|3|4|7|5|6|8|9|10|11|12,落实情况,"
        "E_PROGRESS_NOT_NUMBER,progress,落实情况!G6：第2项 无法识别的完成进度“过半”：请填写0–100之间的数字\n"
        "2023H1,r/水务.csv,2,3,水务,50,1|2|3|4|5|6|7|8|9|10|11|12,,E_UNIT_UNKNOWN,unit,"
        "单位名称“水务”不在单位目录中，目录中也没有相近的名称：请对照单位目录（units.csv）中的"
        "单位名称核对，改填目录中的全称或简称\n"
        "2023H1,r/妇联.csv,2,1,县妇联,abc,1|2|3|4|5|6|7|8|9|10|11|12,,"
        "E_PROGRESS_NOT_NUMBER|E_DATE_FORMAT,progress|reported_on,"
        "第1项 无法识别的完成进度“abc”：请填写数字；第1项 无法识别的填报日期：请填写日期\n");
    /* ducha-read's, with the older ASCII headers. */
    put("read-rejects.csv", "cycle,source,line,task_id,unit,extra,code,column,error\n");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    pl_catalog_fini(&catalog);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void build(struct pl_receipts *r)
{
    const char *rejects[] = {at("read-rejects.csv"), at("rejects.csv")};
    struct pl_receipts_input in = {&catalog, "2023H1", at("rated.csv"), at("records.csv"),
                                   rejects,  2,        60};
    assert_int_equal(pl_receipts_build(r, &in, NULL), PL_OK);
}

static const struct pl_receipt *find(const struct pl_receipts *r, const char *unit)
{
    for (size_t i = 0; i < r->count; i++)
        if (strcmp(r->units[i].unit->name, unit) == 0)
            return &r->units[i];
    return NULL;
}

static void test_every_demanded_host_gets_a_receipt_in_catalog_order(void **state)
{
    (void)state;
    struct pl_receipts r;
    build(&r);
    assert_int_equal(r.count, 5);
    assert_string_equal(r.units[0].unit->name, "县财政局");
    assert_string_equal(r.units[1].unit->name, "县统计局");
    assert_string_equal(r.units[4].unit->name, "县妇联");
    assert_false(r.units[4].demanded); /* a co-unit: only because its row was rejected */
    pl_receipts_fini(&r);
}

static void test_a_receipt_holds_its_tasks_with_progress_colour_and_state(void **state)
{
    (void)state;
    struct pl_receipts r;
    build(&r);
    const struct pl_receipt *c = find(&r, "县财政局");
    assert_non_null(c);
    assert_int_equal(c->ntasks, 2);
    assert_string_equal(c->tasks[0].task_id, "1");
    assert_string_equal(c->tasks[0].title, "财政收入");
    assert_int_equal(c->tasks[0].state, PL_RECEIPT_ACCEPTED);
    assert_string_equal(c->tasks[0].progress, "55");
    assert_string_equal(c->tasks[0].colour, "blue");
    assert_int_equal(c->tasks[1].state, PL_RECEIPT_RETURNED);
    assert_int_equal(c->accepted, 1);
    assert_int_equal(c->returned, 1);
    assert_int_equal(c->standing, PL_RECEIPT_MEND);
    pl_receipts_fini(&r);
}

static void test_a_rejected_workbook_row_names_its_cell_problem_and_fix(void **state)
{
    (void)state;
    struct pl_receipts r;
    build(&r);
    const struct pl_receipt *c = find(&r, "县财政局");
    /* Its unit cell is blank: the file's other row names 财政局, an alias of 县财政局. */
    assert_int_equal(c->nrejects, 1);
    const struct pl_receipt_reject *j = &c->rejects[0];
    assert_string_equal(j->where, "财政.xlsx 落实情况!G6");
    assert_string_equal(j->problem, "第2项 无法识别的完成进度“过半”");
    assert_string_equal(j->fix, "请填写0–100之间的数字");
    assert_string_equal(j->task, "2");
    assert_int_equal(j->line, 6);
    pl_receipts_fini(&r);
}

static void test_a_row_rejected_twice_lists_each_problem(void **state)
{
    (void)state;
    struct pl_receipts r;
    build(&r);
    const struct pl_receipt *w = find(&r, "县妇联");
    assert_int_equal(w->nrejects, 1);
    assert_string_equal(w->rejects[0].where, "妇联.csv 第2行（完成进度）");
    assert_string_equal(w->rejects[0].problem,
                        "第1项 无法识别的完成进度“abc”\n第1项 无法识别的填报日期");
    assert_string_equal(w->rejects[0].fix, "请填写数字\n请填写日期");
    pl_receipts_fini(&r);
}

static void test_a_row_no_unit_can_be_found_for_is_unattributed(void **state)
{
    (void)state;
    struct pl_receipts r;
    build(&r);
    assert_int_equal(r.nunattributed, 1);
    assert_string_equal(r.unattributed[0].unit_raw, "水务");
    assert_string_equal(r.unattributed[0].source, "r/水务.csv");
    const struct pl_receipt *w = find(&r, "县水务局");
    assert_int_equal(w->nrejects, 0);
    assert_int_equal(w->standing, PL_RECEIPT_NOT_REPORTED);
    pl_receipts_fini(&r);
}

static void test_standings_passed_mend_and_not_reported(void **state)
{
    (void)state;
    struct pl_receipts r;
    build(&r);
    assert_int_equal(find(&r, "县统计局")->standing, PL_RECEIPT_PASSED);
    assert_int_equal(find(&r, "县商务局")->standing, PL_RECEIPT_NOT_REPORTED);
    assert_int_equal(find(&r, "县商务局")->missing, 1);
    assert_string_equal(pl_receipt_standing_word(PL_RECEIPT_PASSED), "全部通过");
    assert_string_equal(pl_receipt_standing_word(PL_RECEIPT_MEND), "需修改");
    assert_string_equal(pl_receipt_standing_word(PL_RECEIPT_NOT_REPORTED), "未报送");
    pl_receipts_fini(&r);
}

static void test_the_corrected_return_is_due_grace_days_after_the_deadline(void **state)
{
    (void)state;
    struct pl_receipts r;
    build(&r);
    assert_int_equal(r.fix_deadline - r.deadline, 60);
    assert_string_equal(r.label, "2023年上半年");
    assert_string_equal(r.office, "县政府督查室");
    pl_receipts_fini(&r);
}

static void test_a_merge_without_returned_rows_still_shows_the_returned_task(void **state)
{
    (void)state;
    /* An older merge writes missing=1 for a pair whose rows were all rejected. */
    put("merged-old.csv", "task_id,unit,missing,flags\n1,县财政局,0,\n2,县财政局,1,\n");
    const char *rejects[] = {at("rejects.csv")};
    struct pl_receipts_input in = {&catalog, "2023H1", at("merged-old.csv"), at("records.csv"),
                                   rejects,  1,        60};
    struct pl_receipts r;
    assert_int_equal(pl_receipts_build(&r, &in, NULL), PL_OK);
    assert_int_equal(find(&r, "县财政局")->tasks[1].state, PL_RECEIPT_RETURNED);
    assert_string_equal(find(&r, "县财政局")->tasks[0].colour, "");
    pl_receipts_fini(&r);
}

static void test_the_index_has_a_bom_chinese_headers_and_one_row_per_receipt(void **state)
{
    (void)state;
    struct pl_receipts r;
    build(&r);
    char *text = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&text, &len);
    assert_int_equal(pl_receipts_write_index(&r, fp), PL_OK);
    fclose(fp);
    assert_memory_equal(text, "\xEF\xBB\xBF单位,联系人,电话,报送情况,需修改条数,", 3 + 40);
    assert_non_null(strstr(text, "\n县财政局,张三,0537-1234567,需修改,1,0,czj@example.cn,,"
                                 "报送有误任务：2\n"));
    assert_non_null(strstr(text, "\n县统计局,,,全部通过,0,0,,,\n"));
    assert_non_null(strstr(text, "\n县商务局,李四,13800000000,未报送,0,1,,,未报送任务：2\n"));
    assert_non_null(strstr(text, "\n水务,,,无法确定单位,1,"));
    free(text);
    pl_receipts_fini(&r);
}

static void test_the_status_list_names_who_owes_with_contacts(void **state)
{
    (void)state;
    struct pl_receipts r;
    build(&r);
    char *text = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&text, &len);
    long today = r.deadline - 2;
    assert_int_equal(pl_receipts_print_status(&r, today, fp), PL_OK);
    fclose(fp);
    assert_non_null(strstr(text, "截至2023年6月28日：应报单位5个，全部通过1个，需修改2个，未报送2个。"));
    assert_non_null(strstr(text, "还有2天"));
    assert_non_null(strstr(text, "  县商务局　联系人李四，电话13800000000　应报任务：2\n"));
    assert_non_null(strstr(text, "  县水务局　（units.csv未填联系人）　应报任务：3\n"));
    assert_non_null(strstr(text, "财政.xlsx 落实情况!G6：第2项 无法识别的完成进度“过半”"));
    assert_non_null(strstr(text, "r/水务.csv 第2行（单位写作“水务”）"));
    assert_null(strstr(text, "县统计局"));
    free(text);
    pl_receipts_fini(&r);
}

static void test_receipts_are_written_one_workbook_per_unit(void **state)
{
    (void)state;
    struct pl_receipts r;
    build(&r);
    assert_int_equal(pl_receipts_write(&r, at("out"), 1688083200, NULL), PL_OK);
    struct stat sb;
    assert_int_equal(stat(at("out/县财政局.xlsx"), &sb), 0);
    assert_int_equal(stat(at("out/县妇联.xlsx"), &sb), 0);
    assert_int_equal(stat(at("out/index.csv"), &sb), 0);
    assert_string_equal(find(&r, "县财政局")->file, "县财政局.xlsx");
    assert_int_equal(pl_receipts_write_status_xlsx(&r, -1, at("out/status.xlsx"), 0, NULL), PL_OK);
    assert_int_equal(stat(at("out/status.xlsx"), &sb), 0);
    pl_receipts_fini(&r);
}

static void test_an_unknown_cycle_or_a_missing_file_fails(void **state)
{
    (void)state;
    struct pl_receipts r;
    struct pl_receipts_input in = {&catalog, "2099H1", at("rated.csv"), NULL, NULL, 0, 60};
    assert_int_equal(pl_receipts_build(&r, &in, NULL), PL_ERR_DATA);
    pl_receipts_fini(&r);
    in.cycle = "2023H1";
    in.merged = at("no-such.csv");
    assert_int_equal(pl_receipts_build(&r, &in, NULL), PL_ERR_OPEN);
    pl_receipts_fini(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_demanded_host_gets_a_receipt_in_catalog_order),
        cmocka_unit_test(test_a_receipt_holds_its_tasks_with_progress_colour_and_state),
        cmocka_unit_test(test_a_rejected_workbook_row_names_its_cell_problem_and_fix),
        cmocka_unit_test(test_a_row_rejected_twice_lists_each_problem),
        cmocka_unit_test(test_a_row_no_unit_can_be_found_for_is_unattributed),
        cmocka_unit_test(test_standings_passed_mend_and_not_reported),
        cmocka_unit_test(test_the_corrected_return_is_due_grace_days_after_the_deadline),
        cmocka_unit_test(test_a_merge_without_returned_rows_still_shows_the_returned_task),
        cmocka_unit_test(test_the_index_has_a_bom_chinese_headers_and_one_row_per_receipt),
        cmocka_unit_test(test_the_status_list_names_who_owes_with_contacts),
        cmocka_unit_test(test_receipts_are_written_one_workbook_per_unit),
        cmocka_unit_test(test_an_unknown_cycle_or_a_missing_file_fails),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
