/* Unit tests for the table module: whole small CSV files by column name. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "table.h"

static enum pl_status load(const char *text, struct pl_table *t, struct pl_buf *diags)
{
    struct pl_diag d;
    pl_diag_init(&d, pl_diag_emit_buf, diags);
    FILE *fp = fmemopen((void *)text, strlen(text), "r");
    enum pl_status st = pl_table_read_stream(fp, "t.csv", t, &d);
    fclose(fp);
    return st;
}

static void test_cells_are_found_by_column_name(void **state)
{
    (void)state;
    struct pl_table t;
    struct pl_buf diags;
    pl_buf_init(&diags);
    assert_int_equal(load("\xEF\xBB\xBFid,name\r\n1,县财政局\r\n2,\"a,b\"\r\n", &t, &diags), PL_OK);
    assert_int_equal(t.nrows, 2);
    int name = pl_table_column(&t, "name");
    assert_int_equal(pl_table_column(&t, "id"), 0);
    assert_string_equal(pl_table_get(&t, 0, name), "县财政局");
    assert_string_equal(pl_table_get(&t, 1, name), "a,b");
    assert_string_equal(pl_table_get(&t, 1, pl_table_column(&t, "none")), "");
    assert_int_equal(t.lines[1], 3);
    pl_table_free(&t);
    pl_table_free(&t);
    pl_buf_fini(&diags);
}

static void test_ragged_rows_fail_with_their_line(void **state)
{
    (void)state;
    struct pl_table t;
    struct pl_buf diags;
    pl_buf_init(&diags);
    assert_int_equal(load("a,b\n1,2\n3\n4,5,,\n", &t, &diags), PL_ERR_DATA);
    assert_string_equal(diags.data, "t.csv:3:1: 第3行有1个单元格，表头有2列 [E_RAGGED_ROW]\n");
    pl_table_free(&t);
    pl_buf_fini(&diags);
}

static void test_missing_columns_are_named_with_what_is_there(void **state)
{
    (void)state;
    struct pl_table t;
    struct pl_buf diags;
    pl_buf_init(&diags);
    assert_int_equal(load("id,title\n", &t, &diags), PL_OK);
    const char *need[] = {"id", "hosts"};
    assert_int_equal(pl_table_require(&t, need, 2, NULL), PL_ERR_DATA);
    struct pl_diag d;
    pl_diag_init(&d, pl_diag_emit_buf, &diags);
    pl_table_require(&t, need, 2, &d);
    assert_string_equal(diags.data, "t.csv:1: 缺少“hosts”列；文件中的列是：id,title [E_MISSING_COLUMN]\n");
    pl_table_free(&t);
    pl_buf_fini(&diags);
}

static void test_empty_file_and_missing_file_fail(void **state)
{
    (void)state;
    struct pl_table t;
    struct pl_buf diags;
    pl_buf_init(&diags);
    assert_int_equal(load("", &t, &diags), PL_ERR_DATA);
    pl_table_free(&t);
    assert_int_equal(pl_table_read("/nonexistent.csv", &t, NULL), PL_ERR_OPEN);
    pl_buf_fini(&diags);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cells_are_found_by_column_name),
        cmocka_unit_test(test_ragged_rows_fail_with_their_line),
        cmocka_unit_test(test_missing_columns_are_named_with_what_is_there),
        cmocka_unit_test(test_empty_file_and_missing_file_fail),
    };
    return cmocka_run_group_tests_name("table", tests, NULL, NULL);
}
