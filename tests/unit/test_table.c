/* Unit tests for the table module: whole small CSV files by column name. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

/* Writes BYTES to a temporary file and reads it with pl_table_read (the encoding reader). */
static enum pl_status load_file(const char *bytes, struct pl_table *t, struct pl_buf *diags)
{
    char path[] = "/tmp/test_table.XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *fp = fdopen(fd, "wb");
    fputs(bytes, fp);
    fclose(fp);
    struct pl_diag d;
    pl_diag_init(&d, pl_diag_emit_buf, diags);
    enum pl_status st = pl_table_read(path, t, &d);
    unlink(path);
    return st;
}

static void test_gbk_file_with_crlf_is_read_as_utf8(void **state)
{
    (void)state;
    struct pl_buf diags;
    pl_buf_init(&diags);
    struct pl_table t;
    /* "name,kind\r\n县财政局,department\r\n" in GBK */
    assert_int_equal(load_file("name,kind\r\n\xcf\xd8\xb2\xc6\xd5\xfe\xbe\xd6,department\r\n", &t,
                               &diags),
                     PL_OK);
    assert_string_equal(pl_table_get(&t, 0, pl_table_column(&t, "name")), "县财政局");
    assert_string_equal(pl_table_get(&t, 0, pl_table_column(&t, "kind")), "department");
    pl_table_free(&t);
    assert_int_equal(load_file("\xEF\xBB\xBFname,kind\n县财政局,department\n", &t, &diags), PL_OK);
    assert_int_equal(pl_table_column(&t, "name"), 0);
    pl_table_free(&t);
    pl_buf_fini(&diags);
}

static void test_binary_file_is_refused(void **state)
{
    (void)state;
    struct pl_buf diags;
    pl_buf_init(&diags);
    struct pl_table t;
    assert_int_equal(load_file("PK\x03\x04\x14\x00\x00\x00\x08\x00\xff\xfe\x00\x01\x02", &t, &diags),
                     PL_ERR_DATA);
    assert_non_null(strstr(diags.data, "[E_"));
    pl_table_free(&t);
    pl_buf_fini(&diags);
}

/* Only the named columns' cells are kept; the others read as "", the header and the checks
 * of the whole file stay (a ragged row still fails). */
static void test_only_the_named_columns_are_kept(void **state)
{
    (void)state;
    struct pl_buf diags;
    pl_buf_init(&diags);
    struct pl_diag d;
    pl_diag_init(&d, pl_diag_emit_buf, &diags);
    char path[] = "/tmp/test_table_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    const char *text = "id,narrative,unit\n1,很长的叙述,县财政局\n2,另一段,县教体局\n";
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    static const char *const keep[] = {"unit", "id", "absent"};
    struct pl_table t;
    assert_int_equal(pl_table_read_columns(path, keep, 3, &t, &d), PL_OK);
    assert_int_equal(t.ncols, 3);
    assert_int_equal(t.nrows, 2);
    assert_int_equal(pl_table_column(&t, "narrative"), 1);
    assert_string_equal(pl_table_get(&t, 1, 0), "2");
    assert_string_equal(pl_table_get(&t, 0, 1), "");
    assert_string_equal(pl_table_get(&t, 1, 2), "县教体局");
    pl_table_free(&t);
    FILE *fp = fopen(path, "a");
    assert_non_null(fp);
    fputs("3,x\n", fp);
    fclose(fp);
    assert_int_equal(pl_table_read_columns(path, keep, 3, &t, &d), PL_ERR_DATA);
    assert_non_null(strstr(diags.data, "E_RAGGED_ROW"));
    pl_table_free(&t);
    unlink(path);
    pl_buf_fini(&diags);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cells_are_found_by_column_name),
        cmocka_unit_test(test_ragged_rows_fail_with_their_line),
        cmocka_unit_test(test_missing_columns_are_named_with_what_is_there),
        cmocka_unit_test(test_empty_file_and_missing_file_fail),
        cmocka_unit_test(test_gbk_file_with_crlf_is_read_as_utf8),
        cmocka_unit_test(test_binary_file_is_refused),
        cmocka_unit_test(test_only_the_named_columns_are_kept),
    };
    return cmocka_run_group_tests_name("table", tests, NULL, NULL);
}
