/* Tests for tasktable: a task table's rows into key tasks. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tasktable.h"

struct run {
    struct pl_taskgrid g;
    struct pl_catalog cat;
    struct pl_unitreg *reg;
    struct pl_buf msgs;
    struct pl_diag diag;
    enum pl_status st;
};

/* ROWS: rows of cells separated by '|', rows by '\n'; a cell "^" is a Word cell continuing a
 * vertical merge (empty, marked). */
static void load(struct run *r, const char *rows)
{
    pl_taskgrid_init(&r->g);
    unsigned long line = 0;
    const char *p = rows;
    while (*p) {
        const char *end = strchr(p, '\n');
        size_t len = end ? (size_t)(end - p) : strlen(p);
        char *copy = strndup(p, len);
        const char *cells[16];
        unsigned char merged[16] = {0};
        size_t n = 0;
        for (char *c = copy, *bar; n < 16; c = bar + 1) {
            bar = strchr(c, '|');
            if (bar)
                *bar = '\0';
            merged[n] = strcmp(c, "^") == 0;
            cells[n] = merged[n] ? "" : c;
            n++;
            if (!bar)
                break;
        }
        assert_int_equal(pl_taskgrid_add(&r->g, cells, n, merged, ++line), PL_OK);
        free(copy);
        p += len + (end ? 1 : 0);
    }
}

static void parse(struct run *r, const char *rows, int year)
{
    load(r, rows);
    pl_catalog_init(&r->cat);
    r->reg = pl_unitreg_new();
    pl_buf_init(&r->msgs);
    pl_diag_init(&r->diag, pl_diag_emit_buf, &r->msgs);
    long h = pl_taskgrid_header(&r->g);
    assert_true(h >= 0);
    r->st = pl_tasktable_parse(&r->g, (size_t)h, "t.xlsx", year, &r->cat, r->reg, &r->diag);
}

static void done(struct run *r)
{
    pl_taskgrid_fini(&r->g);
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

static void test_header_needs_a_task_column_and_a_unit_or_leader_column(void **state)
{
    (void)state;
    struct run r;
    load(&r, "2024年某县重点工作任务分解表\n序号|任务 内容|牵头单位");
    assert_int_equal(pl_taskgrid_header(&r.g), 1);
    pl_taskgrid_fini(&r.g);
    load(&r, "序号|重点任务（2024年）|责任县领导");
    assert_int_equal(pl_taskgrid_header(&r.g), 0);
    pl_taskgrid_fini(&r.g);
    load(&r, "序号|类别|牵头单位|完成时限\n1|甲|县财政局|年底前");
    assert_int_equal(pl_taskgrid_header(&r.g), -1);
    assert_true(pl_taskgrid_near_miss(&r.g));
    pl_taskgrid_fini(&r.g);
    load(&r, "任务编号|承办单位|完成进度\n1|县财政局|50%");
    assert_int_equal(pl_taskgrid_header(&r.g), -1);
    assert_false(pl_taskgrid_near_miss(&r.g));
    pl_taskgrid_fini(&r.g);
}

static void test_title_is_the_first_row_above_the_header_that_is_not_an_attachment_mark(void **state)
{
    (void)state;
    struct run r;
    load(&r, "附件1\n2024年某县重点工作任务分解表||\n序号|任务|牵头单位");
    struct pl_buf b;
    pl_buf_init(&b);
    assert_int_equal(pl_taskgrid_title(&r.g, 2, &b), PL_OK);
    assert_string_equal(b.data, "2024年某县重点工作任务分解表");
    pl_buf_fini(&b);
    pl_taskgrid_fini(&r.g);
}

static void test_merged_cells_are_inherited_by_column(void **state)
{
    (void)state;
    struct run r;
    parse(&r,
          "序号|类别|任务内容|牵头领导|牵头单位|配合单位|完成时限\n"
          "1|一、经济发展|完成甲。|周明|县财政局|县统计局|8月底前\n"
          "2||完成乙。||县商务局||\n"
          "3|民生保障|完成丙。|||各镇街|年底前\n",
          2024);
    assert_int_equal(r.st, PL_OK);
    assert_int_equal(r.cat.ntasks, 3);
    assert_string_equal(r.cat.tasks[0].section, "经济发展");
    assert_string_equal(r.cat.tasks[0].due, "2024-08-31");
    assert_string_equal(r.cat.tasks[1].section, "经济发展");
    assert_string_equal(list(&r.cat.tasks[1].leaders), "周明");
    assert_string_equal(list(&r.cat.tasks[1].cohosts), ""); /* co-units are never inherited */
    assert_null(r.cat.tasks[1].due);                        /* nor deadlines */
    assert_string_equal(r.cat.tasks[2].section, "民生保障");
    /* Across a change of 类别: inherited, but said. */
    assert_string_equal(list(&r.cat.tasks[2].leaders), "周明");
    assert_string_equal(list(&r.cat.tasks[2].hosts), "县商务局");
    assert_int_equal(r.diag.warnings, 2);
    assert_non_null(strstr(r.msgs.data, "W_CELL_INHERITED"));
    assert_int_equal(r.diag.errors, 0);
    done(&r);
}

static void test_word_merges_carry_every_column_down(void **state)
{
    (void)state;
    struct run r;
    parse(&r,
          "序号|任务|责任领导|牵头单位|配合单位|时间节点\n"
          "1|完成甲。|林涛|县财政局|县统计局|9月底前\n"
          "2|完成乙。|^|县商务局|^|^\n",
          2024);
    assert_int_equal(r.diag.errors + r.diag.warnings, 0);
    assert_string_equal(list(&r.cat.tasks[1].leaders), "林涛");
    assert_string_equal(list(&r.cat.tasks[1].cohosts), "县统计局");
    assert_string_equal(r.cat.tasks[1].due, "2024-09-30");
    done(&r);
}

static void test_lead_unit_of_a_responsible_list(void **state)
{
    (void)state;
    struct run r;
    /* Without a co-unit column: the first leads, unless one is marked. */
    parse(&r,
          "编号|工作任务|责任领导|责任单位\n"
          "1|完成甲。|甲|县财政局、县统计局\n"
          "2|完成乙。|甲|县财政局，县商务局（牵头），县统计局\n",
          0);
    assert_string_equal(list(&r.cat.tasks[0].hosts), "县财政局");
    assert_string_equal(list(&r.cat.tasks[0].cohosts), "县统计局");
    assert_string_equal(list(&r.cat.tasks[1].hosts), "县商务局");
    assert_string_equal(list(&r.cat.tasks[1].cohosts), "县财政局|县统计局");
    done(&r);
    /* With a co-unit column: all of 责任单位 host. */
    parse(&r,
          "序号|任务|责任单位|配合单位\n"
          "1|完成甲。|县财政局、县统计局|各镇街\n",
          0);
    assert_string_equal(list(&r.cat.tasks[0].hosts), "县财政局|县统计局");
    assert_string_equal(list(&r.cat.tasks[0].cohosts), "各镇街");
    done(&r);
    /* Beside a 牵头单位 column, 责任单位 are co-units. */
    parse(&r,
          "序号|任务|牵头单位|责任单位\n"
          "1|完成甲。|县财政局（牵头）|县统计局、县财政局\n",
          0);
    assert_string_equal(list(&r.cat.tasks[0].hosts), "县财政局");
    assert_string_equal(list(&r.cat.tasks[0].cohosts), "县统计局");
    done(&r);
}

static void test_header_over_two_rows_is_read_as_one(void **state)
{
    (void)state;
    struct run r;
    parse(&r,
          "序号|任务|责任单位||完成时限\n"
          "||牵头单位|配合单位|\n"
          "1|完成甲。|县财政局|县统计局|年底前\n",
          2025);
    assert_int_equal(r.cat.ntasks, 1);
    assert_string_equal(list(&r.cat.tasks[0].hosts), "县财政局");
    assert_string_equal(list(&r.cat.tasks[0].cohosts), "县统计局");
    assert_string_equal(r.cat.tasks[0].due, "2025-12-31");
    done(&r);
}

static void test_heading_rows_and_repeated_headers(void **state)
{
    (void)state;
    struct run r;
    parse(&r,
          "序号|任务|牵头单位|备注\n"
          "一、经济发展|||\n"
          "1|完成甲。|县财政局|\n"
          "序号|任务|牵头单位|备注\n"
          "（二）民生保障|||\n"
          "2|完成乙。|县民政局|\n"
          "|||\n",
          0);
    assert_int_equal(r.cat.ntasks, 2);
    assert_string_equal(r.cat.tasks[0].section, "经济发展");
    assert_string_equal(r.cat.tasks[1].section, "民生保障");
    assert_int_equal(r.diag.errors, 0);
    assert_int_equal(r.diag.warnings, 1); /* 备注 */
    assert_non_null(strstr(r.msgs.data, "W_TABLE_COLUMN"));
    done(&r);
}

static void test_rows_that_cannot_be_read_whole_are_reported(void **state)
{
    (void)state;
    struct run r;
    parse(&r,
          "序号|任务|牵头领导|牵头单位\n"
          "1|完成甲。||\n"
          "2||王五|县财政局\n"
          "7|完成乙。|王五|县财政局\n",
          0);
    assert_int_equal(r.cat.ntasks, 2);
    assert_string_equal(r.cat.tasks[1].id, "2");
    assert_non_null(strstr(r.msgs.data, "E_TASK_NO_LEADER"));
    assert_non_null(strstr(r.msgs.data, "E_TASK_NO_HOST"));
    assert_non_null(strstr(r.msgs.data, "E_TABLE_ROW"));
    assert_non_null(strstr(r.msgs.data, "W_TASK_NUMBER_ORDER"));
    done(&r);
    parse(&r, "序号|任务|牵头单位\n", 0);
    assert_int_equal(r.st, PL_ERR_DATA);
    assert_non_null(strstr(r.msgs.data, "E_NO_TASKS"));
    done(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_header_needs_a_task_column_and_a_unit_or_leader_column),
        cmocka_unit_test(test_title_is_the_first_row_above_the_header_that_is_not_an_attachment_mark),
        cmocka_unit_test(test_merged_cells_are_inherited_by_column),
        cmocka_unit_test(test_word_merges_carry_every_column_down),
        cmocka_unit_test(test_lead_unit_of_a_responsible_list),
        cmocka_unit_test(test_header_over_two_rows_is_read_as_one),
        cmocka_unit_test(test_heading_rows_and_repeated_headers),
        cmocka_unit_test(test_rows_that_cannot_be_read_whole_are_reported),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
