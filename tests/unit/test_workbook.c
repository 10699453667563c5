/* Unit tests for the workbook module: the number formatting both readers share, what a file
 * is, and .xlsx files as openpyxl, LibreOffice, libxlsxwriter and a hand write them, read as
 * Excel shows them. The fixtures are in tests/unit/data/workbook (make-fixtures.py made them);
 * the libxlsxwriter ones are written here through the xlsx module. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "workbook_impl.h"
#include "xlsx.h"

/* --- number formats ----------------------------------------------------------------------- */

static void expect_number(double v, enum pl_number_style style, bool date1904, const char *want)
{
    struct pl_buf b;
    pl_buf_init(&b);
    assert_int_equal(pl_buf_append_str(&b, "»"), PL_OK);
    assert_int_equal(pl_workbook_format_number(&b, v, style, date1904), PL_OK);
    assert_string_equal(b.data + strlen("»"), want); /* appended, not replaced */
    pl_buf_fini(&b);
}

static void test_general_numbers_are_written_shortest_without_exponent(void **state)
{
    (void)state;
    expect_number(38, PL_NUM_GENERAL, false, "38");
    expect_number(38.5, PL_NUM_GENERAL, false, "38.5");
    expect_number(0.1, PL_NUM_GENERAL, false, "0.1");
    expect_number(0.1 + 0.2, PL_NUM_GENERAL, false, "0.30000000000000004");
    expect_number(1e15, PL_NUM_GENERAL, false, "1000000000000000");
    expect_number(123456789012.25, PL_NUM_GENERAL, false, "123456789012.25");
    expect_number(0.00001, PL_NUM_GENERAL, false, "0.00001");
    expect_number(-2.5, PL_NUM_GENERAL, false, "-2.5");
    expect_number(-0.0, PL_NUM_GENERAL, false, "0");
    expect_number(0, PL_NUM_GENERAL, false, "0");
    expect_number(45105.6041666667, PL_NUM_GENERAL, false, "45105.6041666667");
    expect_number(1e20, PL_NUM_GENERAL, false, "1E+20");
    expect_number(1.5e-12, PL_NUM_GENERAL, false, "1.5E-12");
}

static void test_percent_is_the_value_times_a_hundred_without_float_noise(void **state)
{
    (void)state;
    expect_number(0.55, PL_NUM_PERCENT, false, "55%");
    expect_number(0.555, PL_NUM_PERCENT, false, "55.5%");
    expect_number(0.07, PL_NUM_PERCENT, false, "7%");
    expect_number(0.29, PL_NUM_PERCENT, false, "29%");
    expect_number(1, PL_NUM_PERCENT, false, "100%");
    expect_number(0, PL_NUM_PERCENT, false, "0%");
    expect_number(-0.1, PL_NUM_PERCENT, false, "-10%");
    expect_number(0.123456789, PL_NUM_PERCENT, false, "12.3456789%");
}

static void test_1900_dates_keep_excels_leap_day(void **state)
{
    (void)state;
    expect_number(1, PL_NUM_DATE, false, "1900-01-01");
    expect_number(59, PL_NUM_DATE, false, "1900-02-28");
    expect_number(60, PL_NUM_DATE, false, "1900-02-29");
    expect_number(61, PL_NUM_DATE, false, "1900-03-01");
    expect_number(0, PL_NUM_DATE, false, "1900-01-00");
    expect_number(45105, PL_NUM_DATE, false, "2023-06-28");
    expect_number(45105.75, PL_NUM_DATE, false, "2023-06-28");
    expect_number(44986, PL_NUM_DATE, false, "2023-03-01");
    expect_number(2958465, PL_NUM_DATE, false, "9999-12-31");
}

static void test_1904_dates_count_from_1904(void **state)
{
    (void)state;
    expect_number(0, PL_NUM_DATE, true, "1904-01-01");
    expect_number(43643, PL_NUM_DATE, true, "2023-06-28");
    expect_number(2957003, PL_NUM_DATE, true, "9999-12-31");
}

static void test_out_of_range_serials_are_written_as_numbers(void **state)
{
    (void)state;
    expect_number(-1, PL_NUM_DATE, false, "-1");
    expect_number(2958466, PL_NUM_DATE, false, "2958466");
    expect_number(2957004, PL_NUM_DATETIME, true, "2957004");
    expect_number(-0.5, PL_NUM_TIME, false, "-0.5");
}

static void test_times_show_seconds_only_when_there_are_some(void **state)
{
    (void)state;
    expect_number(45105.6041666667, PL_NUM_DATETIME, false, "2023-06-28 14:30");
    expect_number(45105.5 + 15 / 86400.0, PL_NUM_DATETIME, false, "2023-06-28 12:00:15");
    expect_number(45105.99999999999, PL_NUM_DATETIME, false, "2023-06-29 00:00");
    expect_number(45105, PL_NUM_DATETIME, false, "2023-06-28 00:00");
    expect_number(0.5, PL_NUM_TIME, false, "12:00");
    expect_number(0.354340277777778, PL_NUM_TIME, false, "08:30:15");
    expect_number(1.25, PL_NUM_TIME, false, "06:00");
    expect_number(43643.5, PL_NUM_DATETIME, true, "2023-06-28 12:00");
}

static void test_format_codes_are_read_outside_quotes_escapes_and_brackets(void **state)
{
    (void)state;
    static const struct {
        const char *code;
        enum pl_number_style style;
    } cases[] = {
        {"General", PL_NUM_GENERAL},
        {"G/通用格式", PL_NUM_GENERAL},
        {"@", PL_NUM_GENERAL},
        {"0.00", PL_NUM_GENERAL},
        {"#,##0.00_);[Red](#,##0.00)", PL_NUM_GENERAL},
        {"0.00E+00", PL_NUM_GENERAL},
        {"0\"%\"", PL_NUM_GENERAL},
        {"0.0\\%", PL_NUM_GENERAL},
        {"0\" days\"", PL_NUM_GENERAL},
        {"[Red]0.0", PL_NUM_GENERAL},
        {"0%", PL_NUM_PERCENT},
        {"0.00%", PL_NUM_PERCENT},
        {"[Blue]0.0%;[Red]-0.0%", PL_NUM_PERCENT},
        {"yyyy-mm-dd", PL_NUM_DATE},
        {"yyyy\\-mm\\-dd", PL_NUM_DATE},
        {"YYYY/MM/DD", PL_NUM_DATE},
        {"m/d/yy", PL_NUM_DATE},
        {"mmm-yy", PL_NUM_DATE},
        {"yyyy\"年\"m\"月\"d\"日\"", PL_NUM_DATE},
        {"[DBNum1][$-804]yyyy\"年\"m\"月\"d\"日\"", PL_NUM_DATE},
        {"yyyy年m月d日", PL_NUM_DATE},
        {"[$-F800]dddd, mmmm dd, yyyy", PL_NUM_DATE},
        {"m\"月\"d\"日\"", PL_NUM_DATE},
        {"h:mm", PL_NUM_TIME},
        {"hh:mm:ss", PL_NUM_TIME},
        {"mm:ss", PL_NUM_TIME},
        {"[h]:mm:ss", PL_NUM_TIME},
        {"h:mm AM/PM", PL_NUM_TIME},
        {"上午/下午h\"时\"mm\"分\"", PL_NUM_TIME},
        {"yyyy-mm-dd hh:mm", PL_NUM_DATETIME},
        {"m/d/yy h:mm", PL_NUM_DATETIME},
        {"yyyy\"年\"m\"月\"d\"日\" h:mm", PL_NUM_DATETIME},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        if (pl_workbook_format_style(cases[i].code) != cases[i].style)
            fail_msg("%s: %d, not %d", cases[i].code, pl_workbook_format_style(cases[i].code),
                     cases[i].style);
    }
}

static void test_builtin_formats_follow_excels_zh_cn_numbering(void **state)
{
    (void)state;
    static const int percent[] = {9, 10};
    static const int date[] = {14, 15, 16, 17, 27, 28, 29, 30, 31, 36, 50, 51, 52, 53, 54, 57, 58};
    static const int time[] = {18, 19, 20, 21, 32, 33, 34, 35, 45, 46, 47, 55, 56};
    static const int general[] = {0, 1, 2, 3, 4, 11, 12, 13, 37, 40, 48, 49, 59, 164};
    for (size_t i = 0; i < sizeof percent / sizeof *percent; i++)
        assert_int_equal(pl_workbook_builtin_style(percent[i]), PL_NUM_PERCENT);
    for (size_t i = 0; i < sizeof date / sizeof *date; i++)
        assert_int_equal(pl_workbook_builtin_style(date[i]), PL_NUM_DATE);
    for (size_t i = 0; i < sizeof time / sizeof *time; i++)
        assert_int_equal(pl_workbook_builtin_style(time[i]), PL_NUM_TIME);
    for (size_t i = 0; i < sizeof general / sizeof *general; i++)
        assert_int_equal(pl_workbook_builtin_style(general[i]), PL_NUM_GENERAL);
    assert_int_equal(pl_workbook_builtin_style(22), PL_NUM_DATETIME);
}

static void test_cell_names_count_columns_as_excel_does(void **state)
{
    (void)state;
    struct pl_buf b;
    pl_buf_init(&b);
    static const struct {
        size_t col;
        unsigned long row;
        const char *name;
    } cases[] = {{0, 1, "A1"},    {25, 5, "Z5"},    {26, 7, "AA7"},
                 {701, 1, "ZZ1"}, {702, 2, "AAA2"}, {16383, 1048576, "XFD1048576"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(pl_buf_append_str(&b, "old"), PL_OK);
        assert_int_equal(pl_workbook_cell_name(&b, cases[i].col, cases[i].row), PL_OK);
        assert_string_equal(b.data, cases[i].name);
    }
    pl_buf_fini(&b);
}

static void test_file_kind_comes_from_the_first_bytes(void **state)
{
    (void)state;
    const unsigned char zip[] = {'P', 'K', 3, 4, 20, 0, 0, 0};
    const unsigned char empty_zip[] = {'P', 'K', 5, 6, 0, 0, 0, 0};
    const unsigned char ole[] = {0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1};
    assert_int_equal(pl_file_kind_of(zip, sizeof zip), PL_FILE_ZIP);
    assert_int_equal(pl_file_kind_of(empty_zip, sizeof empty_zip), PL_FILE_ZIP);
    assert_int_equal(pl_file_kind_of(ole, sizeof ole), PL_FILE_OLE);
    assert_int_equal(pl_file_kind_of(ole, 4), PL_FILE_TEXT);
    assert_int_equal(pl_file_kind_of((const unsigned char *)"PK", 2), PL_FILE_TEXT);
    assert_int_equal(pl_file_kind_of((const unsigned char *)"任务编号,", 8), PL_FILE_TEXT);
    assert_int_equal(pl_file_kind_of(zip, 0), PL_FILE_TEXT);
}

/* --- reading workbooks -------------------------------------------------------------------- */

/* A sheet as text: "ROW:cell|cell…\n", an error cell as "!#N/A", a formula without a value as
 * "?", a cell a merged range covers below its first row as "^" and its text. */
static enum pl_status log_row(void *ctx, const struct pl_sheet_row *row)
{
    struct pl_buf *log = ctx;
    enum pl_status st = pl_buf_printf(log, "%lu:", row->row.line);
    assert_int_equal(row->row.line, row->row.end_line);
    assert_int_equal(row->row.problem, PL_CSV_ROW_OK);
    for (size_t i = 0; st == PL_OK && i < row->row.count; i++) {
        assert_int_equal(strlen(row->row.cells[i]), row->row.lens[i]);
        if (i > 0)
            st = pl_buf_append_char(log, '|');
        if (row->notes[i] == PL_CELL_ERROR) {
            assert_non_null(row->error_text[i]);
            assert_int_equal(row->row.lens[i], 0);
            st = pl_buf_printf(log, "!%s", row->error_text[i]);
        } else if (row->merged && row->merged[i]) {
            st = pl_buf_printf(log, "^%s", row->row.cells[i]); /* covered by a merged range */
        } else if (row->notes[i] == PL_CELL_NO_VALUE) {
            assert_int_equal(row->row.lens[i], 0);
            st = pl_buf_append_char(log, '?');
        } else {
            assert_null(row->error_text[i]);
            st = pl_buf_append(log, row->row.cells[i], row->row.lens[i]);
        }
    }
    return st == PL_OK ? pl_buf_append_char(log, '\n') : st;
}

struct opened {
    struct pl_workbook *wb;
    struct pl_diag diag;
    struct pl_buf msgs;
    enum pl_status st;
};

static char *fixture(const char *name)
{
    const char *top = getenv("DUCHA_TOP");
    struct pl_buf b;
    pl_buf_init(&b);
    assert_int_equal(pl_buf_printf(&b, "%s/tests/unit/data/workbook/%s", top ? top : ".", name),
                     PL_OK);
    return pl_buf_take(&b);
}

static void open_path(struct opened *o, const char *path, const char *display)
{
    pl_buf_init(&o->msgs);
    pl_diag_init(&o->diag, pl_diag_emit_buf, &o->msgs);
    o->st = pl_workbook_open(path, display, &o->diag, &o->wb);
    if (o->st != PL_OK)
        assert_null(o->wb);
}

static void open_fixture(struct opened *o, const char *name)
{
    char *path = fixture(name);
    open_path(o, path, name);
    free(path);
}

static void close_opened(struct opened *o)
{
    pl_workbook_free(o->wb);
    pl_buf_fini(&o->msgs);
}

/* Reads sheet INDEX of O into LOG (replacing it) and returns the status. */
static enum pl_status read_into(struct opened *o, size_t index, struct pl_buf *log)
{
    pl_buf_clear(log);
    return pl_workbook_read_sheet(o->wb, index, log_row, log);
}

static void expect_sheets(struct opened *o, const char *const *names, const bool *visible, size_t n)
{
    assert_int_equal(pl_workbook_sheet_count(o->wb), n);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(pl_workbook_sheet_name(o->wb, i), names[i]);
        assert_int_equal(pl_workbook_sheet_visible(o->wb, i), visible[i]);
    }
    assert_null(pl_workbook_sheet_name(o->wb, n));
}

static const char *const made_sheets[] = {"落实情况", "说明", "备用", "汇总"};
static const bool made_visible[] = {true, false, false, true};

/* What openpyxl.xlsx and date1904.xlsx show on their first sheet. FORMULA is A4: openpyxl
 * keeps no value for it, LibreOffice computes 3. */
static void expect_made_rows(const char *log, const char *formula)
{
    char want[1024];
    snprintf(want, sizeof want,
             "1:任务编号|承办单位|完成进度|完成时限|  两端空格 |多行\n文字\n"
             "2:1|县财政局|55%%|2023-06-28|38|38.5\n"
             "3:2|县发改局|100%%|2023-06-28 14:30|TRUE|!#N/A\n"
             "4:%s|08:30:15|2023-07-01\n"
             "6:间隔|||0.1\n",
             formula);
    assert_string_equal(log, want);
}

static void test_openpyxl_workbook_reads_as_excel_shows_it(void **state)
{
    (void)state;
    struct opened o;
    open_fixture(&o, "openpyxl.xlsx");
    assert_int_equal(o.st, PL_OK);
    assert_string_equal(pl_workbook_format(o.wb), "xlsx");
    expect_sheets(&o, made_sheets, made_visible, 4);
    struct pl_buf log;
    pl_buf_init(&log);
    assert_int_equal(read_into(&o, 0, &log), PL_OK);
    expect_made_rows(log.data, "?");
    assert_int_equal(read_into(&o, 1, &log), PL_OK);
    assert_string_equal(log.data, "1:隐藏的说明\n");
    assert_int_equal(read_into(&o, 2, &log), PL_OK);
    assert_string_equal(log.data, "");
    assert_int_equal(read_into(&o, 3, &log), PL_OK);
    assert_string_equal(log.data, "2:|1000000000000000|-2.5\n");
    assert_int_equal(read_into(&o, 0, &log), PL_OK); /* a sheet can be read again */
    expect_made_rows(log.data, "?");
    assert_int_equal(pl_workbook_read_sheet(o.wb, 4, log_row, &log), PL_ERR_USAGE);
    assert_int_equal(o.diag.errors + o.diag.warnings, 0);
    pl_buf_fini(&log);
    close_opened(&o);
}

static void test_1904_workbook_gives_the_same_dates(void **state)
{
    (void)state;
    struct opened o;
    open_fixture(&o, "date1904.xlsx");
    assert_int_equal(o.st, PL_OK);
    struct pl_buf log;
    pl_buf_init(&log);
    assert_int_equal(read_into(&o, 0, &log), PL_OK);
    expect_made_rows(log.data, "?");
    pl_buf_fini(&log);
    close_opened(&o);
}

static void test_libreoffice_workbook_reads_the_same_with_its_computed_formula(void **state)
{
    (void)state;
    char *path = fixture("lo.xlsx");
    if (access(path, R_OK) != 0) {
        free(path);
        skip();
    }
    struct opened o;
    open_path(&o, path, "lo.xlsx");
    free(path);
    assert_int_equal(o.st, PL_OK);
    expect_sheets(&o, made_sheets, made_visible, 4);
    struct pl_buf log;
    pl_buf_init(&log);
    assert_int_equal(read_into(&o, 0, &log), PL_OK);
    expect_made_rows(log.data, "3");
    pl_buf_fini(&log);
    close_opened(&o);
}

static void test_handmade_workbook_covers_every_cell_type(void **state)
{
    (void)state;
    struct opened o;
    open_fixture(&o, "handmade.xlsx");
    assert_int_equal(o.st, PL_OK);
    static const char *const names[] = {"数据", "第二表", "第三表"};
    static const bool visible[] = {true, true, true};
    expect_sheets(&o, names, visible, 3);
    struct pl_buf log;
    pl_buf_init(&log);
    assert_int_equal(read_into(&o, 0, &log), PL_OK);
    assert_string_equal(log.data,
                        "1:任务编号|县财政局 |東京| 第一行\r\n第二行 & <完> \n"
                        "2:内联|富文本|无r\n"
                        "3:38|38.5|55.5%|2023-06-28|2023-06-28 14:30|2023-07-01|12:00|2023-07-01\n"
                        "5:2|县委||?|?|FALSE|!#DIV/0!|2023-06-28|2023-06-28 09:05|TRUE\n"
                        "8:||C列\n");
    assert_int_equal(read_into(&o, 1, &log), PL_OK);
    assert_string_equal(log.data, "1:第二表\n");
    assert_int_equal(read_into(&o, 2, &log), PL_OK); /* its target is "../xl/./worksheets/…" */
    assert_string_equal(log.data, "2:|任务编号\n");
    pl_buf_fini(&log);
    close_opened(&o);
}

/* Writes a workbook through the xlsx module (libxlsxwriter), in constant-memory mode or not,
 * and reads it back. */
static void roundtrip_libxlsxwriter(bool constant_memory)
{
    char path[] = "/tmp/ducha-test-workbook.XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    struct pl_buf msgs;
    pl_buf_init(&msgs);
    struct pl_diag diag;
    pl_diag_init(&diag, pl_diag_emit_buf, &msgs);
    struct pl_xlsx_props props = {
        .title = "t", .created = 1687910400, .constant_memory = constant_memory};
    struct pl_xlsx *x;
    assert_int_equal(pl_xlsx_open(&x, path, &props, &diag), PL_OK);
    struct pl_xlsx_sheet *s = pl_xlsx_add_sheet(x, "落实情况");
    pl_xlsx_text(s, 0, 0, "任务编号", PL_XS_HEADER);
    pl_xlsx_text(s, 0, 1, "完成进度", PL_XS_HEADER);
    pl_xlsx_text(s, 0, 3, " 空格 ", PL_XS_TEXT);
    pl_xlsx_number(s, 1, 0, 38, PL_XS_INT);
    pl_xlsx_number(s, 1, 1, 55, PL_XS_PERCENT); /* 0"%": the % is text, 55 stays 55 */
    pl_xlsx_date(s, 1, 2, 2023, 6, 28, PL_XS_DATE);
    pl_xlsx_text(s, 1, 3, "=1+1", PL_XS_TEXT);
    pl_xlsx_blank(s, 2, 0, PL_XS_TEXT);
    pl_xlsx_number(s, 3, 4, 0.1, PL_XS_SCORE);
    pl_xlsx_add_sheet(x, "汇总");
    assert_int_equal(pl_xlsx_close(x), PL_OK);

    struct opened o;
    open_path(&o, path, "w.xlsx");
    assert_int_equal(o.st, PL_OK);
    static const char *const names[] = {"落实情况", "汇总"};
    static const bool visible[] = {true, true};
    expect_sheets(&o, names, visible, 2);
    struct pl_buf log;
    pl_buf_init(&log);
    assert_int_equal(read_into(&o, 0, &log), PL_OK);
    assert_string_equal(log.data, "1:任务编号|完成进度|| 空格 \n"
                                  "2:38|55|2023-06-28|=1+1\n"
                                  "4:||||0.1\n");
    assert_int_equal(read_into(&o, 1, &log), PL_OK);
    assert_string_equal(log.data, "");
    pl_buf_fini(&log);
    close_opened(&o);
    pl_buf_fini(&msgs);
    unlink(path);
}

static void test_libxlsxwriter_shared_strings_read_back(void **state)
{
    (void)state;
    roundtrip_libxlsxwriter(false);
}

static void test_libxlsxwriter_constant_memory_inline_strings_read_back(void **state)
{
    (void)state;
    roundtrip_libxlsxwriter(true);
}

static enum pl_status stop_after_one(void *ctx, const struct pl_sheet_row *row)
{
    (void)row;
    int *n = ctx;
    return ++*n == 1 ? PL_OK : PL_ERR_IO;
}

static void test_a_callback_status_stops_the_reading(void **state)
{
    (void)state;
    struct opened o;
    open_fixture(&o, "openpyxl.xlsx");
    int n = 0;
    assert_int_equal(pl_workbook_read_sheet(o.wb, 0, stop_after_one, &n), PL_ERR_IO);
    assert_int_equal(n, 2);
    assert_int_equal(o.diag.errors, 0);
    close_opened(&o);
}

static void test_a_wide_row_reaches_xfd_and_no_further(void **state)
{
    (void)state;
    struct opened o;
    open_fixture(&o, "wide.xlsx");
    assert_int_equal(o.st, PL_OK);
    struct pl_buf log;
    pl_buf_init(&log);
    assert_int_equal(read_into(&o, 0, &log), PL_OK);
    assert_int_equal(log.len, strlen("1:1") + 16382 + strlen("|2\n"));
    assert_int_equal(read_into(&o, 1, &log), PL_ERR_DATA);
    assert_string_equal(log.data, "1:1\n");
    assert_non_null(strstr(o.msgs.data, "wide.xlsx:2: "));
    assert_non_null(strstr(o.msgs.data, "XFD"));
    assert_non_null(strstr(o.msgs.data, "[E_WORKBOOK_BROKEN]"));
    pl_buf_fini(&log);
    close_opened(&o);
}

/* --- files that are refused --------------------------------------------------------------- */

static void expect_refused(const char *name, enum pl_status st, const char *code, const char *words)
{
    struct opened o;
    open_fixture(&o, name);
    assert_int_equal(o.st, st);
    assert_int_equal(o.diag.errors, 1);
    assert_non_null(strstr(o.msgs.data, name));
    assert_non_null(strstr(o.msgs.data, code));
    if (!strstr(o.msgs.data, words))
        fail_msg("%s: \"%s\" not in %s", name, words, o.msgs.data);
    close_opened(&o);
}

static void test_a_truncated_workbook_is_reported_incomplete(void **state)
{
    (void)state;
    expect_refused("truncated.xlsx", PL_ERR_DATA, "[E_TRUNCATED_FILE]", "请重新导出或重新发送");
}

static void test_a_word_document_is_not_a_workbook(void **state)
{
    (void)state;
    expect_refused("word.docx", PL_ERR_DATA, "[E_NOT_WORKBOOK]", "这是Word文档");
}

static void test_an_empty_zip_is_not_a_workbook(void **state)
{
    (void)state;
    expect_refused("empty.zip", PL_ERR_DATA, "[E_NOT_WORKBOOK]", "压缩包");
}

static void test_an_encrypted_workbook_asks_for_the_password_removed(void **state)
{
    (void)state;
    expect_refused("encrypted.xlsx", PL_ERR_DATA, "[E_ENCRYPTED]", "密码");
}

static void test_a_doctype_is_refused(void **state)
{
    (void)state;
    struct opened o;
    open_fixture(&o, "doctype.xlsx");
    assert_int_equal(o.st, PL_OK);
    struct pl_buf log;
    pl_buf_init(&log);
    assert_int_equal(read_into(&o, 0, &log), PL_ERR_DATA);
    assert_string_equal(log.data, "");
    assert_non_null(strstr(o.msgs.data, "[E_WORKBOOK_BROKEN]"));
    pl_buf_fini(&log);
    close_opened(&o);
}

static void test_xml_breaking_off_gives_the_rows_before_and_the_row_reached(void **state)
{
    (void)state;
    struct opened o;
    open_fixture(&o, "broken-xml.xlsx");
    assert_int_equal(o.st, PL_OK);
    struct pl_buf log;
    pl_buf_init(&log);
    assert_int_equal(read_into(&o, 0, &log), PL_ERR_DATA);
    assert_string_equal(log.data, "1:一\n2:2\n");
    assert_non_null(strstr(o.msgs.data, "broken-xml.xlsx:3: "));
    assert_non_null(strstr(o.msgs.data, "第3行"));
    assert_non_null(strstr(o.msgs.data, "[E_WORKBOOK_BROKEN]"));
    pl_buf_fini(&log);
    close_opened(&o);
}

static void test_a_damaged_member_is_reported_incomplete(void **state)
{
    (void)state;
    struct opened o;
    open_fixture(&o, "bad-crc.xlsx");
    assert_int_equal(o.st, PL_OK);
    struct pl_buf log;
    pl_buf_init(&log);
    assert_int_equal(read_into(&o, 0, &log), PL_ERR_DATA);
    assert_non_null(strstr(o.msgs.data, "[E_TRUNCATED_FILE]"));
    pl_buf_fini(&log);
    close_opened(&o);
}

static void write_temp(char *path, const char *text, size_t len)
{
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, len), (ssize_t)len);
    close(fd);
}

static void test_a_text_file_is_not_a_workbook(void **state)
{
    (void)state;
    char path[] = "/tmp/ducha-test-workbook.XXXXXX";
    const char *csv = "任务编号,承办单位\n1,县财政局\n";
    write_temp(path, csv, strlen(csv));
    struct opened o;
    open_path(&o, path, "r.csv");
    assert_int_equal(o.st, PL_ERR_DATA);
    assert_non_null(strstr(o.msgs.data, "r.csv: "));
    assert_non_null(strstr(o.msgs.data, "[E_NOT_WORKBOOK]"));
    close_opened(&o);
    unlink(path);
}

static void test_an_empty_or_missing_file_cannot_be_read(void **state)
{
    (void)state;
    char path[] = "/tmp/ducha-test-workbook.XXXXXX";
    write_temp(path, "", 0);
    struct opened o;
    open_path(&o, path, "e.xlsx");
    assert_int_equal(o.st, PL_ERR_OPEN);
    assert_non_null(strstr(o.msgs.data, "[E_UNREADABLE]"));
    assert_non_null(strstr(o.msgs.data, "空"));
    close_opened(&o);
    unlink(path);

    open_path(&o, "/nonexistent/r.xlsx", "r.xlsx");
    assert_int_equal(o.st, PL_ERR_OPEN);
    assert_non_null(strstr(o.msgs.data, "[E_UNREADABLE]"));
    close_opened(&o);
}

/* --- merged ranges ------------------------------------------------------------------------ */

static void expect_marks(struct pl_merges *m, unsigned long row, size_t want_end, const char *want)
{
    unsigned char flags[16];
    size_t end = pl_merges_at(m, row);
    assert_int_equal(end, want_end);
    pl_merges_mark(m, flags, strlen(want));
    for (size_t c = 0; want[c]; c++)
        assert_int_equal(flags[c], want[c] == '1');
}

static void test_merged_ranges_mark_the_cells_below_their_first_row(void **state)
{
    (void)state;
    struct pl_merges m;
    pl_merges_init(&m);
    /* added out of order, as a file may list them; one row only (a title across the sheet)
     * covers nothing below it and is left out */
    assert_int_equal(pl_merges_add(&m, 8, 10, 6, 6), PL_OK);
    assert_int_equal(pl_merges_add(&m, 1, 1, 0, 6), PL_OK);
    assert_int_equal(pl_merges_add(&m, 3, 6, 1, 1), PL_OK);
    assert_int_equal(pl_merges_add(&m, 4, 5, 2, 3), PL_OK);
    assert_int_equal(m.n, 3);
    assert_int_equal(pl_merges_ready(&m), PL_OK);
    expect_marks(&m, 1, 0, "0000000");
    expect_marks(&m, 3, 0, "0000000"); /* a range's first row holds its text */
    expect_marks(&m, 4, 2, "0100000");
    expect_marks(&m, 5, 4, "0111000"); /* a block: both columns below its first row */
    expect_marks(&m, 6, 2, "0100000");
    expect_marks(&m, 7, 0, "0000000");
    expect_marks(&m, 10, 7, "0000001"); /* rows skipped: the range began on one of them */
    expect_marks(&m, 11, 0, "0000000");
    expect_marks(&m, 5, 4, "0111000"); /* a lower row starts over */
    pl_merges_fini(&m);
}

/* What the task table of import case 21 shows (its .xls, case 22, the same) with merges read:
 * 类别 B3:B6 and B8:B10, leader D3:D6, co-unit F4:F6, host E9:E10, deadline G8:G10; the title
 * A1:G1 and the heading A7:G7 span one row. Row 10 reaches G, which only a merge fills. */
static const char merged_rows[] =
    "1:2025年石门县重点工作任务分解表\n"
    "2:序号|类别|任务内容|牵头县领导|牵头单位|配合单位|完成时限\n"
    "3:1|一、经济发展|规模以上工业增加值增长7%。|孙立|县工业和信息化局|县统计局|2025年12月底前\n"
    "4:2|^|新签约亿元以上项目20个。|^|县商务局|县财政局|2025年6月底前\n"
    "5:3|^|新增专精特新企业5家。|^|县工业和信息化局|^|年底前\n"
    "6:4|^|城乡居民人均可支配收入增长6%。|^|县统计局|^|年底前\n"
    "7:二、民生保障\n"
    "8:5|二、民生保障|新增城镇就业3000人。|李红|县人力资源和社会保障局|各镇街|2025年9月底前\n"
    "9:6|^|新建乡村幸福院10处。|李红|县民政局|县卫生健康局|^\n"
    "10:7|^|改造农村危房200户。|李红|^||^\n";

static void expect_merged_table(const char *name)
{
    struct opened o;
    open_fixture(&o, name);
    assert_int_equal(o.st, PL_OK);
    struct pl_buf log;
    pl_buf_init(&log);
    /* off by default: the rows as stored, without marks */
    assert_int_equal(read_into(&o, 0, &log), PL_OK);
    assert_non_null(strstr(log.data, "\n10:7||改造农村危房200户。|李红\n"));
    assert_null(strchr(log.data, '^'));
    pl_workbook_read_merges(o.wb, true);
    assert_int_equal(read_into(&o, 0, &log), PL_OK);
    assert_string_equal(log.data, merged_rows);
    pl_buf_fini(&log);
    close_opened(&o);
}

static void test_merged_ranges_of_an_xlsx_are_read_when_asked(void **state)
{
    (void)state;
    expect_merged_table("../../../cases/import/21-table-merged-ranges/tasks.xlsx");
}

static void test_merged_ranges_of_an_xls_are_read_when_asked(void **state)
{
    (void)state;
    expect_merged_table("../../../cases/import/22-table-merged-ranges-xls/tasks.xls");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_general_numbers_are_written_shortest_without_exponent),
        cmocka_unit_test(test_percent_is_the_value_times_a_hundred_without_float_noise),
        cmocka_unit_test(test_1900_dates_keep_excels_leap_day),
        cmocka_unit_test(test_1904_dates_count_from_1904),
        cmocka_unit_test(test_out_of_range_serials_are_written_as_numbers),
        cmocka_unit_test(test_times_show_seconds_only_when_there_are_some),
        cmocka_unit_test(test_format_codes_are_read_outside_quotes_escapes_and_brackets),
        cmocka_unit_test(test_builtin_formats_follow_excels_zh_cn_numbering),
        cmocka_unit_test(test_cell_names_count_columns_as_excel_does),
        cmocka_unit_test(test_file_kind_comes_from_the_first_bytes),
        cmocka_unit_test(test_openpyxl_workbook_reads_as_excel_shows_it),
        cmocka_unit_test(test_1904_workbook_gives_the_same_dates),
        cmocka_unit_test(test_libreoffice_workbook_reads_the_same_with_its_computed_formula),
        cmocka_unit_test(test_handmade_workbook_covers_every_cell_type),
        cmocka_unit_test(test_libxlsxwriter_shared_strings_read_back),
        cmocka_unit_test(test_libxlsxwriter_constant_memory_inline_strings_read_back),
        cmocka_unit_test(test_a_callback_status_stops_the_reading),
        cmocka_unit_test(test_a_wide_row_reaches_xfd_and_no_further),
        cmocka_unit_test(test_a_truncated_workbook_is_reported_incomplete),
        cmocka_unit_test(test_a_word_document_is_not_a_workbook),
        cmocka_unit_test(test_an_empty_zip_is_not_a_workbook),
        cmocka_unit_test(test_an_encrypted_workbook_asks_for_the_password_removed),
        cmocka_unit_test(test_a_doctype_is_refused),
        cmocka_unit_test(test_xml_breaking_off_gives_the_rows_before_and_the_row_reached),
        cmocka_unit_test(test_a_damaged_member_is_reported_incomplete),
        cmocka_unit_test(test_a_text_file_is_not_a_workbook),
        cmocka_unit_test(test_an_empty_or_missing_file_cannot_be_read),
        cmocka_unit_test(test_merged_ranges_mark_the_cells_below_their_first_row),
        cmocka_unit_test(test_merged_ranges_of_an_xlsx_are_read_when_asked),
        cmocka_unit_test(test_merged_ranges_of_an_xls_are_read_when_asked),
    };
    return cmocka_run_group_tests_name("workbook", tests, NULL, NULL);
}
