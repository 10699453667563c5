/* Unit tests for the .xls reader (workbook_xls), through pl_workbook_open(): real .xls files
 * saved by LibreOffice and containers made by hand, all in tests/unit/data/workbook_xls/
 * (make-fixtures.py there made them). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "workbook_impl.h"

static void fixture(char *out, size_t size, const char *name)
{
    const char *top = getenv("DUCHA_TOP");
    snprintf(out, size, "%s/tests/unit/data/workbook_xls/%s", top ? top : ".", name);
}

struct seen {
    struct pl_buf log; /* "LINE:cell|cell|…" a row, rows ended by "\n"; an error as <#N/A> */
    unsigned long rows;
    unsigned long stop_after; /* 0: never */
};

static enum pl_status on_row(void *ctx, const struct pl_sheet_row *row)
{
    struct seen *s = ctx;
    assert_int_equal(row->row.line, row->row.end_line);
    assert_int_equal(row->row.problem, PL_CSV_ROW_OK);
    assert_true(row->row.count > 0);
    pl_buf_printf(&s->log, "%lu:", row->row.line);
    for (size_t i = 0; i < row->row.count; i++) {
        assert_int_equal(strlen(row->row.cells[i]), row->row.lens[i]);
        if (i > 0)
            pl_buf_append_char(&s->log, '|');
        if (row->notes[i] == PL_CELL_ERROR) {
            assert_string_equal(row->row.cells[i], "");
            assert_non_null(row->error_text[i]);
            pl_buf_printf(&s->log, "<%s>", row->error_text[i]);
        } else if (row->notes[i] == PL_CELL_NO_VALUE) {
            pl_buf_append_str(&s->log, "<no value>");
        } else {
            assert_null(row->error_text[i]);
            pl_buf_append_str(&s->log, row->row.cells[i]);
        }
    }
    pl_buf_append_char(&s->log, '\n');
    s->rows++;
    return s->stop_after && s->rows >= s->stop_after ? PL_ERR_USAGE : PL_OK;
}

/* Opens fixture NAME under the name DISPLAY; diagnostics go to DIAGS. */
static enum pl_status open_named(const char *name, const char *display, struct pl_buf *diags,
                                 struct pl_workbook **wb)
{
    static struct pl_diag diag;
    char path[4096];
    fixture(path, sizeof path, name);
    pl_diag_init(&diag, pl_diag_emit_buf, diags);
    return pl_workbook_open(path, display, &diag, wb);
}

/* The rows of sheet INDEX of fixture NAME, as on_row logs them. */
static char *sheet_log(const char *name, size_t index)
{
    struct pl_buf diags;
    pl_buf_init(&diags);
    struct pl_workbook *wb = NULL;
    enum pl_status st = open_named(name, name, &diags, &wb);
    if (st != PL_OK)
        fail_msg("%s: %s", name, diags.data);
    struct seen s = {.rows = 0};
    pl_buf_init(&s.log);
    assert_int_equal(pl_workbook_read_sheet(wb, index, on_row, &s), PL_OK);
    assert_string_equal(diags.data, "");
    pl_workbook_free(wb);
    pl_buf_fini(&diags);
    return pl_buf_take(&s.log);
}

static const char basic_first_sheet[] =
    "1:2023年上半年重点任务进展表\n"
    "2:任务编号|承办单位|完成进度|完成时间|备注|状态\n"
    "3:38|县财政局|55%|2023-06-28||完成\n"
    "5:12.5|2023-06-28 14:30|08:15:30|TRUE|<#DIV/0!>|39|县财政局（牵头）|FALSE\n"
    "7:||0.1|-3|1234567.891\n";

static void test_xls_cells_read_as_the_unit_sees_them(void **state)
{
    (void)state;
    char *log = sheet_log("basic.xls", 0);
    assert_string_equal(log, basic_first_sheet);
    free(log);
}

static void test_xls_lists_sheets_in_tab_order_and_knows_the_hidden_one(void **state)
{
    (void)state;
    struct pl_buf diags;
    pl_buf_init(&diags);
    struct pl_workbook *wb = NULL;
    assert_int_equal(open_named("basic.xls", "basic.xls", &diags, &wb), PL_OK);
    assert_string_equal(pl_workbook_format(wb), "xls");
    assert_int_equal(pl_workbook_sheet_count(wb), 3);
    assert_string_equal(pl_workbook_sheet_name(wb, 0), "进度表");
    assert_string_equal(pl_workbook_sheet_name(wb, 1), "说明");
    assert_string_equal(pl_workbook_sheet_name(wb, 2), "隐藏");
    assert_true(pl_workbook_sheet_visible(wb, 0));
    assert_true(pl_workbook_sheet_visible(wb, 1));
    assert_false(pl_workbook_sheet_visible(wb, 2));
    pl_workbook_free(wb);
    pl_buf_fini(&diags);
}

static void test_xls_reads_any_sheet_and_the_same_sheet_again(void **state)
{
    (void)state;
    struct pl_buf diags;
    pl_buf_init(&diags);
    struct pl_workbook *wb = NULL;
    assert_int_equal(open_named("basic.xls", "basic.xls", &diags, &wb), PL_OK);
    const size_t order[] = {1, 0, 2, 0};
    const char *expected[] = {"1:本表由县督查室汇总\n", basic_first_sheet, "1:x\n",
                              basic_first_sheet};
    for (size_t i = 0; i < 4; i++) {
        struct seen s = {.rows = 0};
        pl_buf_init(&s.log);
        assert_int_equal(pl_workbook_read_sheet(wb, order[i], on_row, &s), PL_OK);
        assert_string_equal(s.log.data, expected[i]);
        pl_buf_fini(&s.log);
    }
    pl_workbook_free(wb);
    pl_buf_fini(&diags);
}

static void test_xls_callback_status_stops_the_reading(void **state)
{
    (void)state;
    struct pl_buf diags;
    pl_buf_init(&diags);
    struct pl_workbook *wb = NULL;
    assert_int_equal(open_named("basic.xls", "basic.xls", &diags, &wb), PL_OK);
    struct seen s = {.stop_after = 2};
    pl_buf_init(&s.log);
    assert_int_equal(pl_workbook_read_sheet(wb, 0, on_row, &s), PL_ERR_USAGE);
    assert_int_equal(s.rows, 2);
    pl_buf_fini(&s.log);
    pl_workbook_free(wb);
    pl_buf_fini(&diags);
}

static void test_xls_in_the_1904_date_system_gives_the_same_date(void **state)
{
    (void)state;
    char *log = sheet_log("date1904.xls", 0);
    assert_string_equal(log, "1:2023-06-28|38\n");
    free(log);
}

/* formats.xls: percents and a date in custom formats (FORMAT records), in NUMBER, RK and
 * MULRK records and as a formula's value, beside numbers in General and #,##0.00. */
static const char formats_sheet[] = "1:55%|12.5%|2023-06-28|0.55|12.5%\n"
                                    "2:55%|1234567.891|2023-06-28 09:05|-3|45105\n"
                                    "3:55%|45%|58%|100%\n";

static void test_xls_numbers_read_in_their_cells_number_formats(void **state)
{
    (void)state;
    char *log = sheet_log("formats.xls", 0);
    assert_string_equal(log, formats_sheet);
    free(log);
}

/* formats-builtin.xls: the same cells, the percent and date XF records pointing at Excel's
 * built-in formats 9, 10 and 14 instead of FORMAT records. */
static void test_xls_numbers_read_in_builtin_number_formats(void **state)
{
    (void)state;
    char *log = sheet_log("formats-builtin.xls", 0);
    assert_string_equal(log, formats_sheet);
    free(log);
}

static void test_et_named_file_holding_biff8_reads_like_an_xls(void **state)
{
    (void)state;
    char *log = sheet_log("basic.et", 0);
    assert_string_equal(log, basic_first_sheet);
    free(log);
}

static const struct {
    const char *file, *display, *code;
} refused[] = {
    {"encrypted.xlsx", "encrypted.xlsx", "E_ENCRYPTED"},
    {"password.xls", "password.xls", "E_ENCRYPTED"},
    {"word.doc", "word.doc", "E_NOT_WORKBOOK"},
    {"word.doc", "renamed.xls", "E_NOT_WORKBOOK"},
    {"no-workbook.xls", "no-workbook.xls", "E_NOT_WORKBOOK"},
    {"wps-own.et", "wps-own.et", "E_WPS_FORMAT"},
    {"wps-own.et", "进度表.ETT", "E_WPS_FORMAT"},
    {"excel95.xls", "excel95.xls", "E_OLD_EXCEL"},
    {"biff5-in-workbook.xls", "biff5-in-workbook.xls", "E_OLD_EXCEL"},
    {"truncated.xls", "truncated.xls", "E_TRUNCATED_FILE"},
    {"fat-past-end.xls", "fat-past-end.xls", "E_TRUNCATED_FILE"},
    {"garbage.xls", "garbage.xls", "E_TRUNCATED_FILE"},
};

static void test_each_unreadable_ole_file_is_refused_with_its_own_code(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
        struct pl_buf diags;
        pl_buf_init(&diags);
        struct pl_workbook *wb = (struct pl_workbook *)&diags; /* must be reset */
        enum pl_status st = open_named(refused[i].file, refused[i].display, &diags, &wb);
        char want[64];
        snprintf(want, sizeof want, "[%s]\n", refused[i].code);
        if (st != PL_ERR_DATA || !strstr(diags.data, want))
            fail_msg("%s as %s: status %d, diagnostics: %s", refused[i].file, refused[i].display,
                     (int)st, diags.data);
        assert_null(wb);
        /* one message, naming the file, telling the unit what to send */
        assert_non_null(strstr(diags.data, refused[i].display));
        assert_ptr_equal(strchr(diags.data, '\n'), diags.data + diags.len - 1);
        assert_true(strstr(diags.data, "请") != NULL);
        pl_buf_fini(&diags);
    }
}

/* The front refuses an encrypted .xlsx before the xls reader is called; the reader refuses it
 * as well when called on its own. */
static void test_xls_reader_on_its_own_refuses_an_encrypted_xlsx(void **state)
{
    (void)state;
    struct pl_buf diags;
    pl_buf_init(&diags);
    struct pl_diag diag;
    pl_diag_init(&diag, pl_diag_emit_buf, &diags);
    struct pl_workbook wb = {.display = "进度.xlsx", .diag = &diag};
    char path[4096];
    fixture(path, sizeof path, "encrypted.xlsx");
    assert_int_equal(pl_workbook_open_xls(&wb, path), PL_ERR_DATA);
    assert_string_equal(diags.data,
                        "进度.xlsx: 工作簿设置了打开密码，无法读取：请取消密码（文件→信息→"
                        "保护工作簿）后另存为.xlsx重新报送 [E_ENCRYPTED]\n");
    assert_null(wb.ops);
    assert_int_equal(wb.nsheets, 0);
    pl_buf_fini(&diags);
}

/* Copies the first LEN bytes of SRC (or all of it with byte AT set to VALUE) to a new
 * temporary file whose path is written to PATH. */
static void write_variant(const unsigned char *src, size_t len, long at, unsigned char value,
                          char *path)
{
    strcpy(path, "/tmp/ducha-test-xls.XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, src, len), (ssize_t)len);
    if (at >= 0) {
        assert_int_equal(pwrite(fd, &value, 1, at), 1);
    }
    assert_int_equal(close(fd), 0);
}

static unsigned char *slurp(const char *name, size_t *len)
{
    char path[4096];
    fixture(path, sizeof path, name);
    FILE *fp = fopen(path, "rb");
    assert_non_null(fp);
    unsigned char *data = malloc(1 << 20);
    assert_non_null(data);
    *len = fread(data, 1, 1 << 20, fp);
    fclose(fp);
    return data;
}

/* Opens PATH; a workbook that opens has each sheet read. Only PL_OK and PL_ERR_DATA may come
 * back, and a refusal says why. */
static void open_and_read_all(const char *path)
{
    struct pl_buf diags;
    pl_buf_init(&diags);
    struct pl_diag diag;
    pl_diag_init(&diag, pl_diag_emit_buf, &diags);
    struct pl_workbook *wb = NULL;
    enum pl_status st = pl_workbook_open(path, "x.xls", &diag, &wb);
    if (st == PL_OK) {
        for (size_t i = 0; i < pl_workbook_sheet_count(wb); i++) {
            struct seen s = {.rows = 0};
            pl_buf_init(&s.log);
            st = pl_workbook_read_sheet(wb, i, on_row, &s);
            assert_true(st == PL_OK || st == PL_ERR_DATA);
            pl_buf_fini(&s.log);
        }
        pl_workbook_free(wb);
    } else {
        assert_int_equal(st, PL_ERR_DATA);
        assert_null(wb);
        assert_true(diags.len > 0);
    }
    pl_buf_fini(&diags);
}

static void test_every_cut_of_a_real_xls_is_refused_or_read_never_crashes(void **state)
{
    (void)state;
    static const char *const names[] = {"basic.xls", "formats.xls"};
    for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
        size_t len;
        unsigned char *data = slurp(names[k], &len);
        for (size_t cut = 8; cut < len; cut += cut < 1100 ? 37 : 256) {
            char path[64];
            write_variant(data, cut, -1, 0, path);
            open_and_read_all(path);
            unlink(path);
        }
        free(data);
    }
}

static uint32_t le32_at(const unsigned char *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Only the container is damaged here (the header, the first FAT sector, the first directory
 * sector); damaged records inside the Workbook stream are the next test's. Every field of
 * the header is two bytes wide or more, so every other byte of it is changed; a FAT or
 * directory entry every third. */
static void test_damaged_container_bytes_are_refused_or_read_never_crash(void **state)
{
    (void)state;
    size_t len;
    unsigned char *data = slurp("basic.xls", &len);
    assert_true(len >= 512);
    size_t fat = (le32_at(data + 76) + 1) * 512, dir = (le32_at(data + 48) + 1) * 512;
    assert_true(fat + 512 <= len && dir + 512 <= len);
    static const unsigned char values[] = {0x00, 0xFF, 0xFE, 0x7F};
    const size_t regions[][2] = {{24, 512}, {fat, fat + 512}, {dir, dir + 512}};
    for (size_t r = 0; r < 3; r++) {
        for (size_t at = regions[r][0]; at < regions[r][1]; at += r == 0 ? 2 : 3) {
            for (size_t v = 0; v < sizeof values; v++) {
                char path[64];
                write_variant(data, len, (long)at, values[v], path);
                open_and_read_all(path);
                unlink(path);
            }
        }
    }
    free(data);
}

/* One wrong byte inside the Workbook stream can make freexl 1.0.6 read past its buffers and
 * die of SIGSEGV: these two (a record's length, a string count, set to 0 in basic.xls) did,
 * in freexl_open, before the reader tried freexl in a child process first. Now each is
 * refused as a broken workbook with what to do, and this process goes on. */
static void test_a_record_that_crashes_freexl_is_refused_and_the_reader_lives(void **state)
{
    (void)state;
    size_t len;
    unsigned char *data = slurp("basic.xls", &len);
    static const long crashing[] = {4438, 5412};
    for (size_t k = 0; k < sizeof crashing / sizeof crashing[0]; k++) {
        assert_true((size_t)crashing[k] < len);
        char path[64];
        write_variant(data, len, crashing[k], 0x00, path);
        struct pl_buf diags;
        pl_buf_init(&diags);
        struct pl_diag diag;
        pl_diag_init(&diag, pl_diag_emit_buf, &diags);
        struct pl_workbook *wb = NULL;
        assert_int_equal(pl_workbook_open(path, "县财政局.xls", &diag, &wb), PL_ERR_DATA);
        assert_null(wb);
        assert_non_null(strstr(diags.data, "县财政局.xls"));
        assert_non_null(strstr(diags.data, "E_WORKBOOK_BROKEN"));
        assert_non_null(strstr(diags.data, "另存为.xlsx后重新报送"));
        pl_buf_fini(&diags);
        unlink(path);
    }
    /* And a sweep past the header: every 61st byte of the file (the Workbook stream's records
     * among them) set to two values is refused or read, never the end of this process. */
    for (size_t at = 512; at < len; at += 61) {
        static const unsigned char values[] = {0x00, 0xFF};
        for (size_t v = 0; v < sizeof values; v++) {
            char path[64];
            write_variant(data, len, (long)at, values[v], path);
            open_and_read_all(path);
            unlink(path);
        }
    }
    free(data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_xls_cells_read_as_the_unit_sees_them),
        cmocka_unit_test(test_xls_lists_sheets_in_tab_order_and_knows_the_hidden_one),
        cmocka_unit_test(test_xls_reads_any_sheet_and_the_same_sheet_again),
        cmocka_unit_test(test_xls_callback_status_stops_the_reading),
        cmocka_unit_test(test_xls_in_the_1904_date_system_gives_the_same_date),
        cmocka_unit_test(test_xls_numbers_read_in_their_cells_number_formats),
        cmocka_unit_test(test_xls_numbers_read_in_builtin_number_formats),
        cmocka_unit_test(test_et_named_file_holding_biff8_reads_like_an_xls),
        cmocka_unit_test(test_each_unreadable_ole_file_is_refused_with_its_own_code),
        cmocka_unit_test(test_xls_reader_on_its_own_refuses_an_encrypted_xlsx),
        cmocka_unit_test(test_every_cut_of_a_real_xls_is_refused_or_read_never_crashes),
        cmocka_unit_test(test_damaged_container_bytes_are_refused_or_read_never_crash),
        cmocka_unit_test(test_a_record_that_crashes_freexl_is_refused_and_the_reader_lives),
    };
    return cmocka_run_group_tests_name("workbook_xls", tests, NULL, NULL);
}
