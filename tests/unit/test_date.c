/* test_date — day numbers, Excel serials and date spellings (pipeline/date). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "date.h"

#define OK PL_FERR_NONE /* in tables: the parse succeeds */

struct date_case {
    const char *in;
    enum pl_field_error why;
    const char *want; /* ISO, when accepted */
};

static void run_dates(const struct date_case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const struct date_case *k = &cases[i];
        long days = -999999;
        enum pl_field_error why = PL_FERR_COUNT;
        enum pl_status st = pl_date_parse(k->in, strlen(k->in), &days, &why);
        enum pl_status want_st = k->why == PL_FERR_NONE ? PL_OK : PL_ERR_DATA;
        if (st != want_st || why != k->why)
            fail_msg("date \"%s\": status %d why %s, wanted status %d why %s", k->in, st,
                     pl_field_error_code(why), want_st, pl_field_error_code(k->why));
        if (k->why != PL_FERR_NONE) {
            if (days != -999999)
                fail_msg("date \"%s\": output written on refusal", k->in);
            continue;
        }
        struct pl_buf b;
        pl_buf_init(&b);
        assert_int_equal(pl_date_format_iso(&b, days), PL_OK);
        if (strcmp(b.data, k->want) != 0)
            fail_msg("date \"%s\": got %s, wanted %s", k->in, b.data, k->want);
        pl_buf_fini(&b);
    }
}

#define RUN(fn, table) fn(table, sizeof table / sizeof table[0])

static void test_date_reads_the_spellings_returns_use(void **state)
{
    (void)state;
    static const struct date_case cases[] = {
        {"2023-06-28", OK, "2023-06-28"},         {"2023/6/28", OK, "2023-06-28"},
        {"2023.6.28", OK, "2023-06-28"},          {"2023.06.28", OK, "2023-06-28"},
        {"2023-6-28", OK, "2023-06-28"},          {"20230628", OK, "2023-06-28"},
        {"2023年6月28日", OK, "2023-06-28"},      {"2023年06月28日", OK, "2023-06-28"},
        {"2023年6月28号", OK, "2023-06-28"},      {"2023年6月28", OK, "2023-06-28"},
        {"2023 年 6 月 28 日", OK, "2023-06-28"}, {" 2023-06-28 ", OK, "2023-06-28"},
        {"2023/12/31", OK, "2023-12-31"},         {"2023-01-01", OK, "2023-01-01"},
    };
    RUN(run_dates, cases);
}

static void test_date_ignores_a_time_of_day(void **state)
{
    (void)state;
    static const struct date_case cases[] = {
        {"2023-6-28 10:15", OK, "2023-06-28"},
        {"2023/6/28 0:00", OK, "2023-06-28"},
        {"2023-06-28 10:15:30", OK, "2023-06-28"},
        {"2023-06-28T10:15:00", OK, "2023-06-28"},
        {"2023-06-28 10:15:30.250", OK, "2023-06-28"},
        {"2023年6月28日 10:15", OK, "2023-06-28"},
        {"20230628 23:59", OK, "2023-06-28"},
        {"2023-06-28 24:00", PL_FERR_DATE_FORMAT, NULL},
        {"2023-06-28 10:60", PL_FERR_DATE_FORMAT, NULL},
        {"2023-06-28 10", PL_FERR_DATE_FORMAT, NULL},
        {"2023-06-28 上午", PL_FERR_DATE_FORMAT, NULL},
        {"2023-06-2810:15", PL_FERR_DATE_FORMAT, NULL},
    };
    RUN(run_dates, cases);
}

static void test_date_folds_fullwidth_digits_and_marks(void **state)
{
    (void)state;
    static const struct date_case cases[] = {
        {"２０２３年６月２８日", OK, "2023-06-28"}, {"２０２３－０６－２８", OK, "2023-06-28"},
        {"２０２３／６／２８", OK, "2023-06-28"},   {"２０２３．６．２８", OK, "2023-06-28"},
        {"２０２３０６２８", OK, "2023-06-28"},     {"４５１０７", OK, "2023-06-30"},
        {"　2023-06-28　", OK, "2023-06-28"},
    };
    RUN(run_dates, cases);
}

static void test_date_reads_five_digit_excel_serials(void **state)
{
    (void)state;
    static const struct date_case cases[] = {
        {"45107", OK, "2023-06-30"},           {"44927", OK, "2023-01-01"},
        {"45105", OK, "2023-06-28"},           {"45291", OK, "2023-12-31"},
        {"45351", OK, "2024-02-29"},           {"45105.4375", OK, "2023-06-28"},
        {"10000", OK, "1927-05-18"},           {"99999", OK, "2173-10-13"},
        {"45105.", PL_FERR_DATE_FORMAT, NULL}, {"2023", PL_FERR_DATE_FORMAT, NULL},
        {"60", PL_FERR_DATE_FORMAT, NULL},     {"451070", PL_FERR_DATE_FORMAT, NULL},
        {"4510", PL_FERR_DATE_FORMAT, NULL},
    };
    RUN(run_dates, cases);
}

static void test_date_refuses_days_that_do_not_exist(void **state)
{
    (void)state;
    static const struct date_case cases[] = {
        {"2024-02-29", OK, "2024-02-29"},
        {"2000-02-29", OK, "2000-02-29"},
        {"2023-02-28", OK, "2023-02-28"},
        {"2023-02-29", PL_FERR_DATE_INVALID, NULL},
        {"2023-02-30", PL_FERR_DATE_INVALID, NULL},
        {"2100-02-29", PL_FERR_DATE_INVALID, NULL},
        {"1900-02-29", PL_FERR_DATE_INVALID, NULL},
        {"2023-04-31", PL_FERR_DATE_INVALID, NULL},
        {"2023-13-01", PL_FERR_DATE_INVALID, NULL},
        {"2023-00-10", PL_FERR_DATE_INVALID, NULL},
        {"2023-06-00", PL_FERR_DATE_INVALID, NULL},
        {"2023-06-32", PL_FERR_DATE_INVALID, NULL},
        {"2023年2月29日", PL_FERR_DATE_INVALID, NULL},
        {"20230229", PL_FERR_DATE_INVALID, NULL},
        {"20231301", PL_FERR_DATE_INVALID, NULL},
        {"1899-12-31", PL_FERR_DATE_INVALID, NULL},
        {"1900-01-01", OK, "1900-01-01"},
        {"9999-12-31", OK, "9999-12-31"},
    };
    RUN(run_dates, cases);
}

static void test_date_refuses_unreadable_and_ambiguous_spellings(void **state)
{
    (void)state;
    static const struct date_case cases[] = {
        {"abc", PL_FERR_DATE_FORMAT, NULL},
        {"/", PL_FERR_DATE_FORMAT, NULL},
        {"23-6-28", PL_FERR_DATE_FORMAT, NULL},
        {"28/06/2023", PL_FERR_DATE_FORMAT, NULL},
        {"6/28/2023", PL_FERR_DATE_FORMAT, NULL},
        {"2023-6/28", PL_FERR_DATE_FORMAT, NULL},
        {"2023-123-1", PL_FERR_DATE_FORMAT, NULL},
        {"2023-6-", PL_FERR_DATE_FORMAT, NULL},
        {"2023-6-28日", PL_FERR_DATE_FORMAT, NULL},
        {"2023年6月", PL_FERR_DATE_FORMAT, NULL},
        {"2023年", PL_FERR_DATE_FORMAT, NULL},
        {"23年6月28日", PL_FERR_DATE_FORMAT, NULL},
        {"6月底", PL_FERR_DATE_FORMAT, NULL},
        {"上半年", PL_FERR_DATE_FORMAT, NULL},
        {"二〇二三年六月三十日", PL_FERR_DATE_FORMAT, NULL},
        {"2023-06-28 至 2023-06-30", PL_FERR_DATE_FORMAT, NULL},
        {"202306", PL_FERR_DATE_FORMAT, NULL},
        {"2023062", PL_FERR_DATE_FORMAT, NULL},
        {"-45105", PL_FERR_DATE_FORMAT, NULL},
        {"2023-06-28\xff", PL_FERR_DATE_FORMAT, NULL},
    };
    RUN(run_dates, cases);
}

static void test_date_tells_a_missing_year_apart(void **state)
{
    (void)state;
    static const struct date_case cases[] = {
        {"6月28日", PL_FERR_DATE_NO_YEAR, NULL}, {"06月28日", PL_FERR_DATE_NO_YEAR, NULL},
        {"6月28号", PL_FERR_DATE_NO_YEAR, NULL}, {"6/28", PL_FERR_DATE_NO_YEAR, NULL},
        {"6-28", PL_FERR_DATE_NO_YEAR, NULL},    {"６月２８日", PL_FERR_DATE_NO_YEAR, NULL},
    };
    RUN(run_dates, cases);
}

static void test_date_reports_a_blank_cell_as_absent(void **state)
{
    (void)state;
    static const struct date_case cases[] = {
        {"", PL_FERR_DATE_ABSENT, NULL},
        {"  ", PL_FERR_DATE_ABSENT, NULL},
        {"　", PL_FERR_DATE_ABSENT, NULL},
    };
    RUN(run_dates, cases);
}

static void test_excel_serial_anchors_match_excel(void **state)
{
    (void)state;
    static const struct {
        long serial;
        int y, m, d;
    } cases[] = {
        {1, 1900, 1, 1},         {31, 1900, 1, 31},    {59, 1900, 2, 28},    {61, 1900, 3, 1},
        {366, 1900, 12, 31},     {367, 1901, 1, 1},    {25569, 1970, 1, 1},  {36526, 2000, 1, 1},
        {44927, 2023, 1, 1},     {45105, 2023, 6, 28}, {45107, 2023, 6, 30}, {45351, 2024, 2, 29},
        {2958465, 9999, 12, 31},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        long days = 0;
        enum pl_field_error why = PL_FERR_COUNT;
        assert_int_equal(pl_date_from_excel_serial(cases[i].serial, &days, &why), PL_OK);
        assert_int_equal(why, PL_FERR_NONE);
        int y, m, d;
        pl_date_to_civil(days, &y, &m, &d);
        if (y != cases[i].y || m != cases[i].m || d != cases[i].d)
            fail_msg("serial %ld: got %04d-%02d-%02d", cases[i].serial, y, m, d);
    }
}

static void test_excel_serial_refuses_the_false_1900_02_29_and_out_of_range(void **state)
{
    (void)state;
    static const long bad[] = {60, 0, -1, -45105, 2958466, 100000000};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        long days = 12345;
        enum pl_field_error why = PL_FERR_NONE;
        assert_int_equal(pl_date_from_excel_serial(bad[i], &days, &why), PL_ERR_DATA);
        assert_int_equal(why, PL_FERR_DATE_SERIAL);
        assert_int_equal(days, 12345);
    }
}

static void test_day_numbers_count_from_1970_and_round_trip(void **state)
{
    (void)state;
    assert_int_equal(pl_date_from_civil(1970, 1, 1), 0);
    assert_int_equal(pl_date_from_civil(1970, 1, 2), 1);
    assert_int_equal(pl_date_from_civil(1969, 12, 31), -1);
    assert_int_equal(pl_date_from_civil(2023, 1, 1), 19358);
    assert_int_equal(pl_date_from_civil(2000, 3, 1), 11017);
    /* every day from 1900 to 2100 maps back to itself, one after the other */
    long prev = pl_date_from_civil(1899, 12, 31);
    for (int y = 1900; y <= 2100; y++) {
        for (int m = 1; m <= 12; m++) {
            for (int d = 1; d <= 31; d++) {
                if (!pl_date_is_valid(y, m, d))
                    continue;
                long days = pl_date_from_civil(y, m, d);
                assert_int_equal(days, prev + 1);
                int yy, mm, dd;
                pl_date_to_civil(days, &yy, &mm, &dd);
                assert_true(yy == y && mm == m && dd == d);
                prev = days;
            }
        }
    }
    int y, m, d;
    pl_date_to_civil(pl_date_from_civil(1, 1, 1), &y, &m, &d);
    assert_true(y == 1 && m == 1 && d == 1);
}

static void test_validity_follows_gregorian_leap_years(void **state)
{
    (void)state;
    static const struct {
        int y, m, d;
        bool valid;
    } cases[] = {
        {2024, 2, 29, true},  {2023, 2, 29, false},  {2000, 2, 29, true}, {1900, 2, 29, false},
        {2100, 2, 29, false}, {2023, 2, 28, true},   {2023, 4, 30, true}, {2023, 4, 31, false},
        {2023, 12, 31, true}, {2023, 12, 32, false}, {2023, 0, 1, false}, {2023, 13, 1, false},
        {2023, 1, 0, false},  {0, 1, 1, false},      {1, 1, 1, true},     {9999, 12, 31, true},
        {10000, 1, 1, false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (pl_date_is_valid(cases[i].y, cases[i].m, cases[i].d) != cases[i].valid)
            fail_msg("%d-%d-%d: wrong validity", cases[i].y, cases[i].m, cases[i].d);
}

static void test_days_add_and_diff_across_months_and_years(void **state)
{
    (void)state;
    long deadline = pl_date_from_civil(2023, 6, 30);
    assert_int_equal(pl_date_add_days(deadline, 60), pl_date_from_civil(2023, 8, 29));
    assert_int_equal(pl_date_diff_days(deadline, pl_date_from_civil(2023, 8, 29)), 60);
    assert_int_equal(pl_date_diff_days(deadline, pl_date_from_civil(2023, 8, 30)), 61);
    assert_int_equal(pl_date_diff_days(deadline, pl_date_from_civil(2023, 6, 1)), -29);
    long h2 = pl_date_from_civil(2023, 12, 30);
    assert_int_equal(pl_date_add_days(h2, 2), pl_date_from_civil(2024, 1, 1));
    assert_int_equal(pl_date_add_days(pl_date_from_civil(2024, 2, 28), 1),
                     pl_date_from_civil(2024, 2, 29));
    assert_int_equal(pl_date_add_days(pl_date_from_civil(2023, 2, 28), 1),
                     pl_date_from_civil(2023, 3, 1));
    assert_int_equal(pl_date_add_days(deadline, -181), pl_date_from_civil(2022, 12, 31));
    assert_int_equal(
        pl_date_diff_days(pl_date_from_civil(2024, 1, 1), pl_date_from_civil(2025, 1, 1)), 366);
}

static void test_iso_format_pads_and_refuses_years_beyond_four_digits(void **state)
{
    (void)state;
    struct pl_buf b;
    pl_buf_init(&b);
    assert_int_equal(pl_date_format_iso(&b, pl_date_from_civil(2023, 6, 8)), PL_OK);
    assert_string_equal(b.data, "2023-06-08");
    pl_buf_clear(&b);
    assert_int_equal(pl_date_format_iso(&b, 0), PL_OK);
    assert_string_equal(b.data, "1970-01-01");
    pl_buf_clear(&b);
    assert_int_equal(pl_date_format_iso(&b, pl_date_from_civil(1, 1, 1)), PL_OK);
    assert_string_equal(b.data, "0001-01-01");
    pl_buf_clear(&b);
    assert_int_equal(pl_date_format_iso(&b, pl_date_from_civil(9999, 12, 31) + 1), PL_ERR_USAGE);
    assert_int_equal(pl_date_format_iso(&b, pl_date_from_civil(1, 1, 1) - 1), PL_ERR_USAGE);
    assert_int_equal(b.len, 0);
    pl_buf_fini(&b);
}

/* The ISO date is written by hand: the same as printf's %04d-%02d-%02d on every day of the
 * years returns carry, and on the first and last days the format takes. */
static void test_iso_format_writes_what_printf_writes_on_every_day(void **state)
{
    (void)state;
    struct pl_buf b;
    pl_buf_init(&b);
    long first = pl_date_from_civil(1899, 12, 25), last = pl_date_from_civil(2101, 1, 5);
    long edges[] = {pl_date_from_civil(1, 1, 1), pl_date_from_civil(999, 12, 31),
                    pl_date_from_civil(1000, 1, 1), pl_date_from_civil(9999, 12, 31)};
    for (long day = first; day <= last + 4; day++) {
        long d = day <= last ? day : edges[day - last - 1];
        int y, m, dd;
        pl_date_to_civil(d, &y, &m, &dd);
        char want[16];
        snprintf(want, sizeof want, "%04d-%02d-%02d", y, m, dd);
        pl_buf_clear(&b);
        assert_int_equal(pl_date_format_iso(&b, d), PL_OK);
        if (strcmp(b.data, want) != 0)
            fail_msg("day %ld: got %s, wanted %s", d, b.data, want);
    }
    pl_buf_fini(&b);
}

/* Every prefix of tricky cells, copied into a buffer of exactly its length with no
 * terminator, so that under ASan a read past LEN stops the test. */
static void test_parse_reads_no_byte_beyond_len(void **state)
{
    (void)state;
    static const char *const tricky[] = {
        "２０２３年６月２８日 10:15",
        "2023-06-28T10:15:30.250",
        "45105.4375",
        "20230628 23:59",
        "6月28号",
        "2023 年 6 月",
        "2023.6.28",
        "\xe5\xb9\xb4",
    };
    for (size_t i = 0; i < sizeof tricky / sizeof tricky[0]; i++) {
        size_t full = strlen(tricky[i]);
        for (size_t len = 0; len <= full; len++) {
            char *cell = malloc(len ? len : 1);
            assert_non_null(cell);
            memcpy(cell, tricky[i], len);
            long days;
            enum pl_field_error why;
            (void)pl_date_parse(cell, len, &days, &why);
            free(cell);
        }
    }
}

/* Plain ASCII dates are read where they are, without folding: each must read exactly as the
 * same cell padded with spaces, which goes the folding way. */
static void test_plain_cells_read_as_the_folded_path_reads_them(void **state)
{
    (void)state;
    static const char *const cells[] = {
        "2023-06-28", "2023/6/28", "2023.6.28", "20230628", "45105", "45105.5", "2023-06-31",
        "2023-6-28 10:15", "2023-06-28T10:15:00", "6/28", "2023-06/28", "1899-12-31", "60",
        "2023-06-28x", "x", "2023-", "99999999", "2023-02-29", "2024-02-29", "12345",
    };
    for (size_t i = 0; i < sizeof cells / sizeof cells[0]; i++) {
        char padded[64];
        snprintf(padded, sizeof padded, " %s\xE3\x80\x80", cells[i]);
        long a = -1, b = -1;
        enum pl_field_error wa = PL_FERR_COUNT, wb = PL_FERR_COUNT;
        enum pl_status sa = pl_date_parse(cells[i], strlen(cells[i]), &a, &wa);
        enum pl_status sb = pl_date_parse(padded, strlen(padded), &b, &wb);
        if (sa != sb || wa != wb || a != b)
            fail_msg("date \"%s\": %d %s %ld, padded %d %s %ld", cells[i], sa,
                     pl_field_error_code(wa), a, sb, pl_field_error_code(wb), b);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_date_reads_the_spellings_returns_use),
        cmocka_unit_test(test_date_ignores_a_time_of_day),
        cmocka_unit_test(test_date_folds_fullwidth_digits_and_marks),
        cmocka_unit_test(test_date_reads_five_digit_excel_serials),
        cmocka_unit_test(test_date_refuses_days_that_do_not_exist),
        cmocka_unit_test(test_date_refuses_unreadable_and_ambiguous_spellings),
        cmocka_unit_test(test_date_tells_a_missing_year_apart),
        cmocka_unit_test(test_date_reports_a_blank_cell_as_absent),
        cmocka_unit_test(test_excel_serial_anchors_match_excel),
        cmocka_unit_test(test_excel_serial_refuses_the_false_1900_02_29_and_out_of_range),
        cmocka_unit_test(test_day_numbers_count_from_1970_and_round_trip),
        cmocka_unit_test(test_validity_follows_gregorian_leap_years),
        cmocka_unit_test(test_days_add_and_diff_across_months_and_years),
        cmocka_unit_test(test_iso_format_pads_and_refuses_years_beyond_four_digits),
        cmocka_unit_test(test_iso_format_writes_what_printf_writes_on_every_day),
        cmocka_unit_test(test_plain_cells_read_as_the_folded_path_reads_them),
        cmocka_unit_test(test_parse_reads_no_byte_beyond_len),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
