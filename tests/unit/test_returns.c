/* Unit tests for the returns module: records out, rejects out, and the count that must hold
 * for every file: data rows = records + rejected. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "returns.h"

struct seen {
    unsigned long records, rejects;
    struct pl_buf log; /* "R line task unit progress|" and "X line code|" */
};

static enum pl_status on_record(void *ctx, const struct pl_return_row *row)
{
    struct seen *s = ctx;
    s->records++;
    pl_buf_printf(&s->log, "R%lu %s %s %s|", row->line, row->value[PL_F_TASK_ID],
                  row->value[PL_F_UNIT], row->value[PL_F_PROGRESS]);
    return PL_OK;
}

static enum pl_status on_reject(void *ctx, const struct pl_return_row *row, const char *code,
                                const char *column, const char *error)
{
    (void)column;
    (void)error;
    struct seen *s = ctx;
    s->rejects++;
    pl_buf_printf(&s->log, "X%lu %s|", row->line, code);
    return PL_OK;
}

static enum pl_status read_text(const char *text, size_t len, struct seen *s,
                                struct pl_return_stats *stats, struct pl_buf *diags)
{
    char path[] = "/tmp/ducha-test-returns.XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, len), (ssize_t)len);
    close(fd);
    struct pl_diag diag;
    pl_diag_init(&diag, pl_diag_emit_buf, diags);
    struct pl_returns_options opt = {"2023H1", PL_ENC_AUTO, NULL};
    struct pl_returns_sink sink = {on_record, on_reject, s};
    enum pl_status st = pl_returns_read(path, "r.csv", &opt, &sink, &diag, stats);
    unlink(path);
    return st;
}

static const struct {
    const char *name;
    const char *text;
    unsigned long rows, records, rejected, title, signature;
    const char *log;
} cases[] = {
    {"plain", "任务编号,承办单位,完成进度\n1,县财政局,50\n2,县财政局,60\n", 2, 2, 0, 0, 0,
     "R2 1 县财政局 50|R3 2 县财政局 60|"},
    {"titles and signatures",
     "附件2\n2023年上半年落实情况表,,\n填报单位：县财政局（盖章）,,\n任务编号,承办单位,完成进度\n"
     "1,县财政局,50\n,,\n填报人：张三,审核人：李四,\n",
     1, 1, 0, 3, 1, "R5 1 县财政局 50|"},
    {"ragged both ways", "任务编号,承办单位,完成进度\n1,县财政局,50,x\n2,县财政局\n3,县财政局,70,,\n", 3,
     1, 2, 0, 0, "X2 E_RAGGED_ROW|X3 E_RAGGED_ROW|R4 3 县财政局 70|"},
    {"unterminated quote", "任务编号,承办单位,完成进度\n1,县财政局,50\n2,\"县财政局,60\n3,x,1\n", 2, 1,
     1, 0, 0, "R2 1 县财政局 50|X3 E_UNTERMINATED_QUOTE|"},
    {"undecodable line", "任务编号,承办单位,完成进度\n1,县财政局县财政局,50\n2,\xCF\xD8,60\n3,县财政局县财政局,70\n",
     3, 2, 1, 0, 0, "R2 1 县财政局县财政局 50|X3 E_UNDECODABLE|R4 3 县财政局县财政局 70|"},
    {"full width folded, units trimmed", "任务编号,承办单位,完成进度\n１７, 县财政局\u3000,８５％\n", 1, 1,
     0, 0, 0, "R2 17 县财政局 85%|"},
    {"repeated header is not a row",
     "任务编号,承办单位\n1,县财政局\n任务编号,承办单位\n2,县财政局\n", 2, 2, 0, 0, 0,
     "R2 1 县财政局 |R4 2 县财政局 |"},
    {"header only", "任务编号,承办单位\n", 0, 0, 0, 0, 0, ""},
    {"a row that only looks like a signature row is data when data follows it",
     "任务编号,承办单位,工作任务,完成进度\n1,县财政局,x,50\n,县财政局,压实主要负责人责任,60\n"
     "2,县财政局,y,70\n填报人：张三,,,\n",
     3, 3, 0, 0, 1, "R2 1 县财政局 50|R3  县财政局 60|R4 2 县财政局 70|"},
    {"a signature row is only below the last data row",
     "任务编号,承办单位,完成进度\n1,县财政局,50\n填报人：张三,,\n审核人：李四,,\n,,\n", 1, 1, 0, 0, 2,
     "R2 1 县财政局 50|"},
    {"an indicator row with a blank task id continues the task above",
     "任务编号,承办单位,指标,完成值,完成进度\n17,县财政局,,,60\n,,新增企业,5,\n,县财政局,税收,3,\n"
     ",县商务局,税收,3,\n",
     4, 4, 0, 0, 0, "R2 17 县财政局 60|R3 17 县财政局 |R4 17 县财政局 |R5  县商务局 |"},
    {"white space and full-width forms at either end, or only inside",
     "任务编号,承办单位,完成进度\n１７,县财政局\u00a0,８５％\n18,\t县财政局,85%\u3000\n\u300019 ,县 财政局 ,5０\n"
     "20,\u200b县财政局,60\n",
     4, 4, 0, 0, 0, "R2 17 县财政局 85%|R3 18 县财政局 85%|R4 19 县 财政局 50|R5 20 县财政局 60|"},
    {"a multi-line cell is one row", "任务编号,承办单位,进展情况\n1,县财政局,\"a\nb\"\n2,县财政局,c\n",
     2, 2, 0, 0, 0, "R2 1 县财政局 |R4 2 县财政局 |"},
};

static void test_every_row_is_a_record_or_a_reject(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct seen s = {0, 0, {0}};
        pl_buf_init(&s.log);
        struct pl_buf diags;
        pl_buf_init(&diags);
        struct pl_return_stats st;
        enum pl_status status = read_text(cases[i].text, strlen(cases[i].text), &s, &st, &diags);
        print_message("case: %s\n", cases[i].name);
        assert_int_equal(status, PL_OK);
        assert_int_equal(st.rows, cases[i].rows);
        assert_int_equal(st.records, cases[i].records);
        assert_int_equal(st.rejected, cases[i].rejected);
        assert_int_equal(st.rows, st.records + st.rejected);
        assert_int_equal(s.records, st.records);
        assert_int_equal(s.rejects, st.rejected);
        assert_int_equal(st.title_rows, cases[i].title);
        assert_int_equal(st.signature_rows, cases[i].signature);
        assert_string_equal(s.log.data, cases[i].log);
        pl_buf_fini(&s.log);
        pl_buf_fini(&diags);
    }
}

/* Reads one file's TEXT; returns the status, with the messages in *DIAGS (caller frees). */
static enum pl_status read_one(const char *text, size_t len, struct seen *s,
                               struct pl_buf *diags)
{
    s->records = s->rejects = 0;
    pl_buf_init(&s->log);
    pl_buf_init(diags);
    struct pl_return_stats st;
    enum pl_status status = read_text(text, len, s, &st, diags);
    pl_buf_fini(&s->log);
    return status;
}

static void test_a_file_without_header_is_refused_listing_what_it_holds(void **state)
{
    (void)state;
    struct seen s;
    struct pl_buf diags;
    const char *text = "工作总结\n序号,单位,进度\n1,县财政局,50\n";
    assert_int_equal(read_one(text, strlen(text), &s, &diags), PL_ERR_DATA);
    assert_non_null(strstr(diags.data, "r.csv:2:1:"));
    assert_non_null(strstr(diags.data, "“序号”、“单位”、“进度”"));
    assert_non_null(strstr(diags.data, "[E_NO_HEADER]"));
    assert_int_equal(s.records + s.rejects, 0);
    pl_buf_fini(&diags);
}

static void test_a_blank_only_file_is_reported_empty(void **state)
{
    (void)state;
    struct seen s;
    struct pl_buf diags;
    assert_int_equal(read_one(" \n\n  \n", 6, &s, &diags), PL_ERR_DATA);
    assert_non_null(strstr(diags.data, "[E_EMPTY_FILE]"));
    pl_buf_fini(&diags);
}

static void test_header_only_file_warns(void **state)
{
    (void)state;
    struct seen s;
    struct pl_buf diags;
    const char *text = "任务编号,承办单位\n";
    assert_int_equal(read_one(text, strlen(text), &s, &diags), PL_OK);
    assert_non_null(strstr(diags.data, "[W_NO_ROWS]"));
    pl_buf_fini(&diags);
}

static enum pl_status on_dated_record(void *ctx, const struct pl_return_row *row)
{
    struct seen *s = ctx;
    s->records++;
    pl_buf_printf(&s->log, "%lu:%s|", row->line, row->value[PL_F_REPORTED_ON]);
    return PL_OK;
}

static void test_a_blank_date_takes_the_date_of_the_files_other_rows(void **state)
{
    (void)state;
    const char *text = "任务编号,承办单位,完成进度,填报日期\n1,县财政局,50,\n2,县财政局,60,2023-06-28\n"
                       "3,县财政局,70,\n4,县财政局,80,2023年6月29日\n5,县财政局,90,\n";
    char path[] = "/tmp/ducha-test-returns.XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    struct seen s = {0, 0, {0}};
    pl_buf_init(&s.log);
    struct pl_buf diags;
    pl_buf_init(&diags);
    struct pl_diag diag;
    pl_diag_init(&diag, pl_diag_emit_buf, &diags);
    struct pl_returns_options opt = {"2023H1", PL_ENC_AUTO, NULL};
    struct pl_returns_sink sink = {on_dated_record, on_reject, &s};
    struct pl_return_stats st;
    assert_int_equal(pl_returns_read(path, "r.csv", &opt, &sink, &diag, &st), PL_OK);
    unlink(path);
    /* Rows stay in order; the first waits for the first date, later ones take the last. */
    assert_string_equal(s.log.data, "2:2023-06-28|3:2023-06-28|4:2023-06-28|5:2023年6月29日|"
                                    "6:2023年6月29日|");
    assert_int_equal(st.dated_from_file, 3);
    assert_non_null(strstr(diags.data, "[W_DATE_FROM_FILE]"));
    pl_buf_fini(&s.log);
    pl_buf_fini(&diags);
}

static void test_a_file_without_any_date_keeps_its_dates_blank(void **state)
{
    (void)state;
    const char *text = "任务编号,承办单位,完成进度,填报日期\n1,县财政局,50,\n2,县财政局,60,\n";
    char path[] = "/tmp/ducha-test-returns.XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
    close(fd);
    struct seen s = {0, 0, {0}};
    pl_buf_init(&s.log);
    struct pl_diag diag;
    pl_diag_init(&diag, NULL, NULL);
    struct pl_returns_options opt = {"2023H1", PL_ENC_AUTO, NULL};
    struct pl_returns_sink sink = {on_dated_record, on_reject, &s};
    struct pl_return_stats st;
    assert_int_equal(pl_returns_read(path, "r.csv", &opt, &sink, &diag, &st), PL_OK);
    unlink(path);
    assert_string_equal(s.log.data, "2:|3:|");
    assert_int_equal(st.records, 2);
    pl_buf_fini(&s.log);
}

/* Workbooks keep the same count: rows = records + rejected, with unfilled form rows, title
 * and signature rows apart; the record names its sheet and its sheet row. */
static void test_a_workbook_return_keeps_every_row_accounted_for(void **state)
{
    (void)state;
    static const struct {
        const char *path, *sheet;
        unsigned long rows, records, unfilled, title, signature;
        const char *first;
    } books[] = {
        {"tests/unit/data/returns/keyed.xlsx", "落实情况", 5, 5, 0, 3, 2, "R5 1 县财政局 55%|"},
        {"tests/unit/data/returns/form.xlsx", "报表", 4, 4, 8, 3, 1, "R5 38 嘉祥街道 20|"},
        {"tests/unit/data/returns/keyed.xls", "落实情况", 3, 3, 0, 3, 2, "R5 29 县公安局 55%|"},
        /* A first sheet of forty rows of notes, a hidden sheet with a header: the return is
         * the first visible sheet with a header, wherever it is. */
        {"tests/unit/data/returns/long-notes-first.xlsx", "落实情况", 1, 1, 0, 0, 0,
         "R2 1 县财政局 50|"},
    };
    for (size_t i = 0; i < sizeof books / sizeof books[0]; i++) {
        struct seen s = {0, 0, {0}};
        pl_buf_init(&s.log);
        struct pl_diag diag;
        pl_diag_init(&diag, NULL, NULL);
        struct pl_return_info info;
        pl_return_info_init(&info);
        struct pl_returns_options opt = {"2023H1", PL_ENC_AUTO, &info};
        struct pl_returns_sink sink = {on_record, on_reject, &s};
        struct pl_return_stats st;
        print_message("workbook: %s\n", books[i].path);
        assert_int_equal(pl_returns_read(books[i].path, "w", &opt, &sink, &diag, &st), PL_OK);
        assert_int_equal(st.rows, books[i].rows);
        assert_int_equal(st.rows, st.records + st.rejected);
        assert_int_equal(st.records, books[i].records);
        assert_int_equal(st.unfilled_rows, books[i].unfilled);
        assert_int_equal(st.title_rows, books[i].title);
        assert_int_equal(st.signature_rows, books[i].signature);
        assert_int_equal(strncmp(s.log.data, books[i].first, strlen(books[i].first)), 0);
        assert_string_equal(info.sheet.data, books[i].sheet);
        pl_return_info_fini(&info);
        pl_buf_fini(&s.log);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_row_is_a_record_or_a_reject),
        cmocka_unit_test(test_a_file_without_header_is_refused_listing_what_it_holds),
        cmocka_unit_test(test_a_blank_only_file_is_reported_empty),
        cmocka_unit_test(test_header_only_file_warns),
        cmocka_unit_test(test_a_blank_date_takes_the_date_of_the_files_other_rows),
        cmocka_unit_test(test_a_file_without_any_date_keeps_its_dates_blank),
        cmocka_unit_test(test_a_workbook_return_keeps_every_row_accounted_for),
    };
    return cmocka_run_group_tests_name("returns", tests, NULL, NULL);
}
