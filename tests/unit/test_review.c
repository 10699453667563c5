/* test_review — review.xlsx: the import's messages taken apart, and what each sheet holds. */
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
#include "review.h"
#include "workbook.h"

static char dir[] = "/tmp/ducha-test-review.XXXXXX";

static void put(const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    assert_int_equal(fclose(fp), 0);
}

static void test_a_message_is_taken_apart_into_place_text_and_code(void **state)
{
    (void)state;
    struct pl_review_note n;
    assert_int_equal(pl_review_parse_note("ducha-import: input/2023/document.txt:34: 这段任务正文前"
                                          "缺少序号“2、”，按前后序号定为第2项 [W_TASK_NUMBER_MISSING]",
                                          &n),
                     PL_OK);
    assert_string_equal(n.where, "input/2023/document.txt:34");
    assert_string_equal(n.message, "这段任务正文前缺少序号“2、”，按前后序号定为第2项");
    assert_string_equal(n.code, "W_TASK_NUMBER_MISSING");
    pl_review_note_fini(&n);
    /* A place with its column, and no program's name (the catalog's own checks). */
    assert_int_equal(pl_review_parse_note("catalog/tasks.csv:5:6: 承办单位“县水利局”不在units.csv中 "
                                          "[E_CATALOG_UNIT]",
                                          &n),
                     PL_OK);
    assert_string_equal(n.where, "catalog/tasks.csv:5:6");
    assert_string_equal(n.message, "承办单位“县水利局”不在units.csv中");
    assert_string_equal(n.code, "E_CATALOG_UNIT");
    pl_review_note_fini(&n);
}

static void test_a_message_without_place_or_code_is_kept_whole(void **state)
{
    (void)state;
    struct pl_review_note n;
    assert_int_equal(pl_review_parse_note("ducha-import: 文件中没有找到附件2 [W_NO_ANNEX]", &n), PL_OK);
    assert_string_equal(n.where, "");
    assert_string_equal(n.message, "文件中没有找到附件2");
    assert_string_equal(n.code, "W_NO_ANNEX");
    pl_review_note_fini(&n);
    /* Brackets that are not a code stay in the text; a colon in the text is not a place. */
    assert_int_equal(pl_review_parse_note("注意: 时间 12:30 [见附件]", &n), PL_OK);
    assert_string_equal(n.where, "");
    assert_string_equal(n.message, "时间 12:30 [见附件]");
    assert_string_equal(n.code, "");
    pl_review_note_fini(&n);
}

struct cells {
    size_t sheet;
    char text[8192];
};

static enum pl_status collect(void *ctx, const struct pl_sheet_row *row)
{
    struct cells *c = ctx;
    size_t len = strlen(c->text);
    for (size_t i = 0; i < row->row.count; i++) {
        snprintf(c->text + len, sizeof c->text - len, "%s%s", i ? "|" : "", row->row.cells[i]);
        len = strlen(c->text);
    }
    snprintf(c->text + len, sizeof c->text - len, "\n");
    return PL_OK;
}

static void read_sheet(struct pl_workbook *wb, size_t index, struct cells *c)
{
    c->text[0] = '\0';
    assert_int_equal(pl_workbook_read_sheet(wb, index, collect, c), PL_OK);
}

static void test_the_review_lists_messages_tasks_units_and_cycles(void **state)
{
    (void)state;
    char cat[256], path[256];
    snprintf(cat, sizeof cat, "%s/catalog", dir);
    snprintf(path, sizeof path, "%s/review.xlsx", dir);
    struct pl_catalog c;
    pl_catalog_init(&c);
    assert_int_equal(pl_catalog_read(&c, cat, NULL), PL_OK);
    const char *notes = "ducha-import: input/2023/document.txt:34: 补全序号 [W_TASK_NUMBER_MISSING]\n"
                        "\n"
                        "input/2023/catalog/tasks.csv:3: 单位“=县妇联”有误 [E_CATALOG_UNIT]\n";
    assert_int_equal(pl_review_write(&c, notes, "2023", path, 1688083200LL, NULL), PL_OK);
    struct pl_workbook *wb;
    assert_int_equal(pl_workbook_open(path, "review.xlsx", NULL, &wb), PL_OK);
    assert_int_equal(pl_workbook_sheet_count(wb), 4);
    assert_string_equal(pl_workbook_sheet_name(wb, 0), "导入提示");
    assert_string_equal(pl_workbook_sheet_name(wb, 1), "任务");
    assert_string_equal(pl_workbook_sheet_name(wb, 2), "单位");
    assert_string_equal(pl_workbook_sheet_name(wb, 3), "报送周期");
    struct cells *cells = calloc(1, sizeof *cells);
    assert_non_null(cells);
    read_sheet(wb, 0, cells);
    /* Numbered, the blank line skipped, a text that looks like a formula kept as text (a row
     * reads to its last cell that holds anything: 核对结果 is for the office to fill). */
    assert_non_null(strstr(cells->text, "序号|类别|位置（文件:行）|说明|代码|核对结果\n"));
    assert_non_null(strstr(cells->text, "1|提示|input/2023/document.txt:34|补全序号|W_TASK_NUMBER_MISSING\n"));
    assert_non_null(strstr(cells->text, "2|错误|input/2023/catalog/tasks.csv:3|单位“=县妇联”有误|E_CATALOG_UNIT\n"));
    assert_null(strstr(cells->text, "\n3|"));
    read_sheet(wb, 1, cells);
    assert_non_null(strstr(cells->text, "2023年度目标任务导入核对表：任务（2项）\n"));
    assert_non_null(strstr(cells->text, "编号|工作任务|牵头领导|承办单位|协办单位|指标|完成时限\n"));
    assert_non_null(strstr(cells->text, "1|财政收入增长5%|甲\n乙|县财政局\n县统计局|县妇联|"
                                        "财政收入增长 ≥5%\n税收占比 约80%\n"));
    /* A title the text does not start with is put before it; the due date is shown. */
    assert_non_null(strstr(cells->text, "M1-1|农机补贴：推广深松整地|丙|县统计局||实施面积 100000亩|"
                                        "2023-08-31\n"));
    read_sheet(wb, 2, cells);
    assert_non_null(strstr(cells->text, "县财政局|县财政局|县直部门单位|department|财政局、嘉祥县财政局\n"));
    assert_non_null(strstr(cells->text, "各镇街|各镇街|统称（不单独报送）|collective||纸坊镇\n嘉祥街道\n"));
    read_sheet(wb, 3, cells);
    assert_non_null(strstr(cells->text, "2023H1|2023年上半年|2023-01-01|2023-06-30|2023-06-30|50\n"));
    assert_non_null(strstr(cells->text, "2023Q3|2023年第三季度|2023-07-01|2023-09-30|2023-10-05|按时间进度\n"));
    pl_workbook_free(wb);
    /* Without messages, the first sheet says so. */
    assert_int_equal(pl_review_write(&c, NULL, "2023", path, 1688083200LL, NULL), PL_OK);
    assert_int_equal(pl_workbook_open(path, "review.xlsx", NULL, &wb), PL_OK);
    read_sheet(wb, 0, cells);
    assert_non_null(strstr(cells->text, "导入和目录检查没有提示。"));
    pl_workbook_free(wb);
    free(cells);
    pl_catalog_fini(&c);
    unlink(path);
}

static int setup(void **state)
{
    (void)state;
    if (!mkdtemp(dir))
        return -1;
    char cat[256];
    snprintf(cat, sizeof cat, "%s/catalog", dir);
    mkdir(cat, 0777);
    put("catalog/units.csv", "name,aliases,kind,members,short,contact,phone,email\n"
                             "县财政局,财政局|嘉祥县财政局,department,,,,,\n"
                             "县统计局,,department,,,,,\n"
                             "县妇联,,mass,,,,,\n"
                             "纸坊镇,,town,,,,,\n"
                             "嘉祥街道,,town,,,,,\n"
                             "各镇街,,collective,纸坊镇|嘉祥街道,,,,\n");
    put("catalog/tasks.csv", "id,kind,title,text,leaders,hosts,cohosts,due\n"
                             "1,key,财政收入增长5%,财政收入增长5%,甲|乙,县财政局|县统计局,县妇联,\n"
                             "M1-1,livelihood,农机补贴,推广深松整地,丙,县统计局,,2023-08-31\n");
    put("catalog/indicators.csv", "task_id,metric,comparator,value,unit,source\n"
                                  "1,财政收入增长,>=,5,%,财政收入增长5%\n"
                                  "1,税收占比,~,80,%,税收占比80%左右\n"
                                  "M1-1,实施面积,=,100000,亩,实施面积10万亩\n");
    put("catalog/cycles.csv", "id,label,start,end,deadline,expected\n"
                              "2023H1,2023年上半年,2023-01-01,2023-06-30,2023-06-30,50\n"
                              "2023Q3,2023年第三季度,2023-07-01,2023-09-30,2023-10-05,\n");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    const char *files[] = {"units.csv", "tasks.csv", "indicators.csv", "cycles.csv"};
    char path[256];
    for (size_t i = 0; i < 4; i++) {
        snprintf(path, sizeof path, "%s/catalog/%s", dir, files[i]);
        unlink(path);
    }
    snprintf(path, sizeof path, "%s/catalog", dir);
    rmdir(path);
    rmdir(dir);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_message_is_taken_apart_into_place_text_and_code),
        cmocka_unit_test(test_a_message_without_place_or_code_is_kept_whole),
        cmocka_unit_test(test_the_review_lists_messages_tasks_units_and_cycles),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
