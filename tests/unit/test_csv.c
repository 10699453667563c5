/* Unit tests for the csv module: the streaming reader on libcsv and the writer. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "csv.h"

/* Collects rows as "line:cell|cell|…" (with the problem, if any) into one buffer. */
static enum pl_status collect(void *ctx, const struct pl_csv_row *row)
{
    struct pl_buf *b = ctx;
    pl_buf_printf(b, "%lu-%lu:", row->line, row->end_line);
    for (size_t i = 0; i < row->count; i++)
        pl_buf_printf(b, "%s%s", i ? "|" : "", row->cells[i]);
    if (row->problem == PL_CSV_ROW_UNTERMINATED)
        pl_buf_printf(b, " [open quote from %lu]", row->problem_line);
    if (row->problem == PL_CSV_ROW_UNDECODABLE)
        pl_buf_printf(b, " [bad %lu:%lu]", row->problem_line, row->problem_column);
    pl_buf_append_str(b, "\n");
    return PL_OK;
}

static void parse(const char *text, char delim, struct pl_buf *out)
{
    FILE *fp = fmemopen((void *)text, strlen(text), "r");
    assert_non_null(fp);
    assert_int_equal(pl_csv_read_stream(fp, delim, collect, out), PL_OK);
    fclose(fp);
}

static void expect_rows(const char *text, const char *expected)
{
    struct pl_buf out;
    pl_buf_init(&out);
    parse(text, ',', &out);
    assert_string_equal(out.data, expected);
    pl_buf_fini(&out);
}

static void test_reader_splits_plain_rows_with_lf_and_crlf(void **state)
{
    (void)state;
    expect_rows("a,b\nc,d\r\ne,f\n", "1-1:a|b\n2-2:c|d\n3-3:e|f\n");
}

static void test_reader_keeps_commas_quotes_and_newlines_in_quoted_cells(void **state)
{
    (void)state;
    expect_rows("\"a,1\",\"say \"\"hi\"\"\",\"two\nlines\"\nx,y\n",
                "1-2:a,1|say \"hi\"|two\nlines\n3-3:x|y\n");
}

static void test_reader_gives_the_line_where_a_multiline_row_starts(void **state)
{
    (void)state;
    expect_rows("h1,h2\n1,\"a\nb\nc\"\n2,d\n", "1-1:h1|h2\n2-4:1|a\nb\nc\n5-5:2|d\n");
}

static void test_reader_delivers_a_final_row_without_newline(void **state)
{
    (void)state;
    expect_rows("a,b\nc,d", "1-1:a|b\n2-2:c|d\n");
}

static void test_reader_skips_blank_lines(void **state)
{
    (void)state;
    expect_rows("a\n\n\r\nb\n", "1-1:a\n4-4:b\n");
}

static void test_reader_keeps_spaces_around_cells(void **state)
{
    (void)state;
    expect_rows(" a , b \n", "1-1: a | b \n");
}

static void test_reader_reports_unterminated_quote_with_the_line_the_cell_began(void **state)
{
    (void)state;
    expect_rows("a,b\n1,\"open\nmore\nend\n", "1-1:a|b\n2-4:1|open\nmore\nend\n [open quote from 2]\n");
}

static void test_reader_reports_unterminated_quote_in_a_later_cell(void **state)
{
    (void)state;
    expect_rows("1,\"x\ny\",2,\"open\n", "1-2:1|x\ny|2|open\n [open quote from 2]\n");
}

static void test_reader_accepts_a_closed_quote_at_end_of_input(void **state)
{
    (void)state;
    expect_rows("1,\"closed\"", "1-1:1|closed\n");
}

static void test_reader_marks_rows_with_invalid_utf8(void **state)
{
    (void)state;
    expect_rows("ok,1\nbad,\xff\nok,2\n", "1-1:ok|1\n2-2:bad|\xff [bad 2:5]\n3-3:ok|2\n");
}

static void test_reader_splits_on_tab_when_asked(void **state)
{
    (void)state;
    struct pl_buf out;
    pl_buf_init(&out);
    parse("a\tb,c\n", '\t', &out);
    assert_string_equal(out.data, "1-1:a|b,c\n");
    pl_buf_fini(&out);
}

static void test_reader_holds_a_cell_of_several_megabytes(void **state)
{
    (void)state;
    size_t n = 5u << 20;
    char *text = malloc(n + 8);
    assert_non_null(text);
    text[0] = '"';
    memset(text + 1, 'x', n);
    strcpy(text + 1 + n, "\",y\n");
    struct pl_buf out;
    pl_buf_init(&out);
    parse(text, ',', &out);
    assert_int_equal(out.len, strlen("1-1:") + n + strlen("|y\n"));
    pl_buf_fini(&out);
    free(text);
}

static enum pl_status stop_at_second(void *ctx, const struct pl_csv_row *row)
{
    (void)row;
    return ++*(int *)ctx == 2 ? PL_ERR_DATA : PL_OK;
}

static void test_reader_stops_when_the_callback_fails(void **state)
{
    (void)state;
    int calls = 0;
    FILE *fp = fmemopen("a\nb\nc\n", 6, "r");
    assert_int_equal(pl_csv_read_stream(fp, ',', stop_at_second, &calls), PL_ERR_DATA);
    assert_int_equal(calls, 2);
    fclose(fp);
}

static char *write_cells(unsigned flags, const char *const *cells, size_t n)
{
    char *data = NULL;
    size_t size = 0;
    FILE *fp = open_memstream(&data, &size);
    struct pl_csv_writer w;
    pl_csv_writer_init(&w, fp, flags);
    pl_csv_write_row(&w, cells, n);
    assert_int_equal(pl_csv_writer_status(&w), PL_OK);
    fclose(fp);
    return data;
}

static void test_writer_quotes_only_what_needs_it(void **state)
{
    (void)state;
    const char *cells[] = {"plain", "a,b", "say \"hi\"", "two\nlines", "", " pad", "中文"};
    char *s = write_cells(0, cells, 7);
    assert_string_equal(s, "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\nlines\",,\" pad\",中文\n");
    free(s);
}

static void test_writer_starts_with_bom_when_asked(void **state)
{
    (void)state;
    const char *cells[] = {"a"};
    char *s = write_cells(PL_CSV_BOM, cells, 1);
    assert_string_equal(s, "\xEF\xBB\xBF" "a\n");
    free(s);
}

static void test_writer_neutralises_formulas_for_excel_but_not_numbers(void **state)
{
    (void)state;
    const char *cells[] = {"=SUM(A1)", "+1+2", "-5", "-3.5%", "@x", "ok"};
    char *s = write_cells(PL_CSV_EXCEL_SAFE, cells, 6);
    assert_string_equal(s, "\"'=SUM(A1)\",\"'+1+2\",-5,-3.5%,\"'@x\",ok\n");
    free(s);
}

static void test_writer_reports_a_failed_write(void **state)
{
    (void)state;
    FILE *fp = fopen("/dev/full", "w");
    if (!fp)
        skip();
    setvbuf(fp, NULL, _IONBF, 0);
    struct pl_csv_writer w;
    pl_csv_writer_init(&w, fp, 0);
    pl_csv_write_str(&w, "x");
    pl_csv_end_row(&w); /* a row reaches the stream when it ends */
    assert_int_equal(pl_csv_writer_status(&w), PL_ERR_IO);
    fclose(fp);
}

static void test_round_trip_of_awkward_cells(void **state)
{
    (void)state;
    const char *cells[] = {"\"", ",", "\r\n", "a\"b,c\nd", "  "};
    char *s = write_cells(0, cells, 5);
    struct pl_buf out;
    pl_buf_init(&out);
    parse(s, ',', &out);
    assert_string_equal(out.data, "1-3:\"|,|\r\n|a\"b,c\nd|  \n");
    pl_buf_fini(&out);
    free(s);
}

/* Rows of 100 bytes, one a line, up to just before the first block's end (128 KB): what
 * follows straddles it. */
static void filler(struct pl_buf *b, size_t rows)
{
    for (size_t i = 0; i < rows; i++) {
        pl_buf_printf(b, "f,%05zu,", i);
        for (size_t k = 9; k < 99; k++)
            pl_buf_append_char(b, 'x');
        pl_buf_append_char(b, '\n');
    }
}

static void test_reader_counts_lines_of_a_quoted_cell_across_blocks(void **state)
{
    (void)state;
    struct pl_buf in, out;
    pl_buf_init(&in);
    pl_buf_init(&out);
    filler(&in, 1310); /* 131000 bytes, lines 1..1310 */
    pl_buf_append_str(&in, "q,\"");
    for (int k = 0; k < 60; k++)
        pl_buf_append_char(&in, 'a');
    pl_buf_append_str(&in, "\n"); /* at 131063 */
    for (int k = 0; k < 60; k++)
        pl_buf_append_char(&in, 'b');
    pl_buf_append_str(&in, "\nc\"\nafter,1\n"); /* the second line break at 131124 */
    parse(in.data, ',', &out);
    assert_non_null(strstr(out.data, "\n1310-1310:f|01309|"));
    const char *q = strstr(out.data, "\n1311-1313:q|aaa");
    assert_non_null(q);
    assert_non_null(strstr(q, "bbb\nc\n1314-1314:after|1\n"));
    pl_buf_fini(&in);
    pl_buf_fini(&out);
}

static void test_reader_takes_a_crlf_split_across_blocks_as_one_break(void **state)
{
    (void)state;
    struct pl_buf in, out;
    pl_buf_init(&in);
    pl_buf_init(&out);
    filler(&in, 1310);
    pl_buf_append_str(&in, "c,");
    while (in.len < 131071)
        pl_buf_append_char(&in, 'y');
    pl_buf_append_str(&in, "\r\nd,1\r\n"); /* CR the first block's last byte, LF the next's first */
    assert_int_equal(in.data[131071], '\r');
    parse(in.data, ',', &out);
    const char *c = strstr(out.data, "\n1311-1311:c|yyy");
    assert_non_null(c);
    assert_non_null(strstr(c, "y\n1312-1312:d|1\n"));
    assert_null(strstr(c + 1, "\n1313"));
    pl_buf_fini(&in);
    pl_buf_fini(&out);
}

static void test_reader_marks_a_bad_byte_past_the_first_block(void **state)
{
    (void)state;
    struct pl_buf in, out;
    pl_buf_init(&in);
    pl_buf_init(&out);
    filler(&in, 1400);
    pl_buf_append_str(&in, "ok,\xE5\x8E\xBF\nbad,\xE5\x8E\n");
    parse(in.data, ',', &out);
    assert_non_null(strstr(out.data, "\n1401-1401:ok|县\n1402-1402:bad|\xE5\x8E [bad 1402:5]\n"));
    pl_buf_fini(&in);
    pl_buf_fini(&out);
}

static void test_writer_handles_rows_longer_than_its_buffer(void **state)
{
    (void)state;
    /* Cells that overflow the writer's row buffer, one with quotes on both sides of it. */
    size_t n = 10000;
    char *big = malloc(n + 1);
    assert_non_null(big);
    for (size_t i = 0; i < n; i++)
        big[i] = i % 1000 == 999 ? '"' : 'x';
    big[n] = '\0';
    const char *cells[] = {"a", big, "b,c", big + 5000, "d"};
    char *s = write_cells(0, cells, 5);
    struct pl_buf out, want;
    pl_buf_init(&out);
    pl_buf_init(&want);
    parse(s, ',', &out);
    pl_buf_printf(&want, "1-1:a|%s|b,c|%s|d\n", big, big + 5000);
    assert_string_equal(out.data, want.data);
    pl_buf_fini(&out);
    pl_buf_fini(&want);
    free(s);
    free(big);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reader_splits_plain_rows_with_lf_and_crlf),
        cmocka_unit_test(test_reader_keeps_commas_quotes_and_newlines_in_quoted_cells),
        cmocka_unit_test(test_reader_gives_the_line_where_a_multiline_row_starts),
        cmocka_unit_test(test_reader_delivers_a_final_row_without_newline),
        cmocka_unit_test(test_reader_skips_blank_lines),
        cmocka_unit_test(test_reader_keeps_spaces_around_cells),
        cmocka_unit_test(test_reader_reports_unterminated_quote_with_the_line_the_cell_began),
        cmocka_unit_test(test_reader_reports_unterminated_quote_in_a_later_cell),
        cmocka_unit_test(test_reader_accepts_a_closed_quote_at_end_of_input),
        cmocka_unit_test(test_reader_marks_rows_with_invalid_utf8),
        cmocka_unit_test(test_reader_splits_on_tab_when_asked),
        cmocka_unit_test(test_reader_holds_a_cell_of_several_megabytes),
        cmocka_unit_test(test_reader_stops_when_the_callback_fails),
        cmocka_unit_test(test_writer_quotes_only_what_needs_it),
        cmocka_unit_test(test_writer_starts_with_bom_when_asked),
        cmocka_unit_test(test_writer_neutralises_formulas_for_excel_but_not_numbers),
        cmocka_unit_test(test_writer_reports_a_failed_write),
        cmocka_unit_test(test_round_trip_of_awkward_cells),
        cmocka_unit_test(test_reader_counts_lines_of_a_quoted_cell_across_blocks),
        cmocka_unit_test(test_reader_takes_a_crlf_split_across_blocks_as_one_break),
        cmocka_unit_test(test_reader_marks_a_bad_byte_past_the_first_block),
        cmocka_unit_test(test_writer_handles_rows_longer_than_its_buffer),
    };
    return cmocka_run_group_tests_name("csv", tests, NULL, NULL);
}
