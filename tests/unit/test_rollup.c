/* Unit tests for the rollup module: a task's worst colour and its hosts, leaders' counts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rollup.h"

static void add_task(struct pl_catalog *c, const char *id, const char *title, const char *leaders)
{
    struct pl_task *t = pl_catalog_add_task(c);
    assert_non_null(t);
    t->id = strdup(id);
    t->title = strdup(title);
    t->text = strdup("");
    assert_int_equal(pl_strv_split(&t->leaders, leaders, strlen(leaders), '|'), PL_OK);
}

static char *written(const struct pl_rollup *u, bool tasks)
{
    char *out = NULL;
    size_t len = 0;
    FILE *fp = open_memstream(&out, &len);
    struct pl_csv_writer w;
    pl_csv_writer_init(&w, fp, 0);
    assert_int_equal(tasks ? pl_rollup_write_tasks(u, &w) : pl_rollup_write_leaders(u, &w), PL_OK);
    fclose(fp);
    return out;
}

static void test_a_task_takes_its_worst_hosts_colour_and_leaders_count_tasks(void **state)
{
    (void)state;
    struct pl_catalog c;
    pl_catalog_init(&c);
    add_task(&c, "11", "大力培育“第二梯队”", "王君磊|朱亚峰");
    add_task(&c, "60", "加强智慧社区标准化建设", "王君磊");
    add_task(&c, "78", "加强政治建设", "各位县长");
    assert_int_equal(pl_catalog_index(&c, NULL, "c"), PL_OK);
    struct pl_rollup *u = pl_rollup_new(&c);
    assert_non_null(u);
    /* Rows arrive out of catalog order, and one task is not in the catalog. */
    const struct pl_rated_row rows[] = {
        {.task_id = "78", .unit = "县经开区", .colour = PL_COLOUR_BLUE, .missing = false, .late = false, .reason = "已完成"},
        {.task_id = "60", .unit = "县大数据中心", .colour = PL_COLOUR_YELLOW, .missing = false, .late = true, .reason = "进度滞后5个百分点；逾期报送"},
        {.task_id = "60", .unit = "嘉祥街道", .colour = PL_COLOUR_RED, .missing = true, .late = false, .reason = "未报送"},
        {.task_id = "11", .unit = "县经开区", .colour = PL_COLOUR_YELLOW, .missing = false, .late = false, .reason = "进度滞后19个百分点"},
        {.task_id = "11", .unit = "县工业和信息化局", .colour = PL_COLOUR_YELLOW, .missing = false, .late = false, .reason = "进度滞后10个百分点"},
        {.task_id = "11", .unit = "县发展和改革局", .colour = PL_COLOUR_BLUE, .missing = false, .late = false, .reason = "已完成"},
        {.task_id = "99", .unit = "县经开区", .colour = PL_COLOUR_BLUE, .missing = false, .late = false, .reason = "达到序时进度"},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        assert_int_equal(pl_rollup_on_rated(u, &rows[i]), PL_OK);
    char *tasks = written(u, true), *leaders = written(u, false);
    assert_string_equal(
        tasks,
        "task_id,title,leaders,hosts,blue,yellow,red,missing,late,colour,reason\n"
        "11,大力培育“第二梯队”,王君磊|朱亚峰,县经开区|县工业和信息化局|县发展和改革局,"
        "1,2,0,0,0,yellow,县经开区：进度滞后19个百分点；县工业和信息化局：进度滞后10个百分点\n"
        "60,加强智慧社区标准化建设,王君磊,县大数据中心|嘉祥街道,0,1,1,1,1,red,"
        "嘉祥街道：未报送\n"
        "78,加强政治建设,各位县长,县经开区,1,0,0,0,0,blue,县经开区：已完成\n"
        "99,,,县经开区,1,0,0,0,0,blue,县经开区：达到序时进度\n");
    assert_string_equal(leaders, "leader,tasks,blue,yellow,red,missing,late\n"
                                 "王君磊,2,0,1,1,1,1\n"
                                 "朱亚峰,1,0,1,0,0,0\n"
                                 "各位县长,1,1,0,0,0,0\n");
    free(tasks);
    free(leaders);
    pl_rollup_free(u);
    pl_rollup_free(NULL);
    pl_catalog_fini(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_task_takes_its_worst_hosts_colour_and_leaders_count_tasks),
    };
    return cmocka_run_group_tests_name("rollup", tests, NULL, NULL);
}
