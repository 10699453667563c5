/* test_fields — progress, values, task ids and refusal reasons (pipeline/fields). */
#include <setjmp.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "fields.h"

#define OK PL_FERR_NONE /* in tables: the parse succeeds */

/* ---- progress --------------------------------------------------------------------------- */

struct progress_case {
    const char *in;
    unsigned flags;
    enum pl_field_error why; /* OK: accepted with WANT */
    double want;
};

static void run_progress(const struct progress_case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const struct progress_case *k = &cases[i];
        double got = -12345;
        enum pl_field_error why = PL_FERR_COUNT;
        enum pl_status st = pl_field_parse_progress(k->in, strlen(k->in), k->flags, &got, &why);
        enum pl_status want_st = k->why == PL_FERR_NONE ? PL_OK : PL_ERR_DATA;
        if (st != want_st || why != k->why)
            fail_msg("progress \"%s\" flags %u: status %d why %s, wanted status %d why %s", k->in,
                     k->flags, st, pl_field_error_code(why), want_st, pl_field_error_code(k->why));
        if (k->why == PL_FERR_NONE && got != k->want)
            fail_msg("progress \"%s\": got %.17g, wanted %.17g", k->in, got, k->want);
        if (k->why != PL_FERR_NONE && got != -12345)
            fail_msg("progress \"%s\": output written on refusal", k->in);
    }
}

#define RUN(fn, table) fn(table, sizeof table / sizeof table[0])

static void test_progress_accepts_numbers_with_and_without_percent(void **state)
{
    (void)state;
    static const struct progress_case cases[] = {
        {"85", 0, OK, 85},
        {"85%", 0, OK, 85},
        {"85.5", 0, OK, 85.5},
        {"85.5%", 0, OK, 85.5},
        {" 85 ", 0, OK, 85},
        {"85 %", 0, OK, 85},
        {"085", 0, OK, 85},
        {"50.0%", 0, OK, 50},
        {"33.333", 0, OK, 33.333},
        {"+85", 0, OK, 85},
        {"\t85\r\n", 0, OK, 85},
        {"\xc2\xa0"
         "85\xc2\xa0",
         0, OK, 85}, /* NBSP around */
    };
    RUN(run_progress, cases);
}

static void test_progress_folds_fullwidth_digits_percent_and_spaces(void **state)
{
    (void)state;
    static const struct progress_case cases[] = {
        {"８５", 0, OK, 85},         {"８５％", 0, OK, 85},
        {"８５．５％", 0, OK, 85.5}, {"　８５　", 0, OK, 85}, /* U+3000 around */
        {"85％", 0, OK, 85},         {"８５　％", 0, OK, 85},
        {"１００％", 0, OK, 100},    {"０", 0, OK, 0},
    };
    RUN(run_progress, cases);
}

static void test_progress_accepts_the_bounds_0_and_100(void **state)
{
    (void)state;
    static const struct progress_case cases[] = {
        {"0", 0, OK, 0},        {"0%", 0, OK, 0},        {"0.0", 0, OK, 0},
        {"-0", 0, OK, 0},       {"100", 0, OK, 100},     {"100%", 0, OK, 100},
        {"100.0", 0, OK, 100},  {"100.00%", 0, OK, 100}, {"99.99", 0, OK, 99.99},
        {"0.01%", 0, OK, 0.01},
    };
    RUN(run_progress, cases);
}

static void test_progress_refuses_out_of_range_with_its_own_reason(void **state)
{
    (void)state;
    static const struct progress_case cases[] = {
        {"100.5", 0, PL_FERR_PROGRESS_RANGE, 0},
        {"100.01%", 0, PL_FERR_PROGRESS_RANGE, 0},
        {"101", 0, PL_FERR_PROGRESS_RANGE, 0},
        {"120%", 0, PL_FERR_PROGRESS_RANGE, 0},
        {"-1", 0, PL_FERR_PROGRESS_RANGE, 0},
        {"-0.5%", 0, PL_FERR_PROGRESS_RANGE, 0},
        {"-0.5", PL_PROGRESS_FRACTIONS, PL_FERR_PROGRESS_RANGE, 0},
        {"1000", 0, PL_FERR_PROGRESS_RANGE, 0},
        {"１０１％", 0, PL_FERR_PROGRESS_RANGE, 0},
    };
    RUN(run_progress, cases);
}

static void test_progress_refuses_words_and_marks_as_not_a_number(void **state)
{
    (void)state;
    static const struct progress_case cases[] = {
        {"过半", 0, PL_FERR_PROGRESS_NOT_NUMBER, 0},
        {"已完成", 0, PL_FERR_PROGRESS_NOT_NUMBER, 0},
        {"—", 0, PL_FERR_PROGRESS_NOT_NUMBER, 0},
        {"/", 0, PL_FERR_PROGRESS_NOT_NUMBER, 0},
        {"abc", 0, PL_FERR_PROGRESS_NOT_NUMBER, 0},
        {"百分之五十", 0, PL_FERR_PROGRESS_NOT_NUMBER, 0},
        {">100%", 0, PL_FERR_PROGRESS_NOT_NUMBER, 0},
        {"85%%", 0, PL_FERR_PROGRESS_NOT_NUMBER, 0},
        {"%85", 0, PL_FERR_PROGRESS_NOT_NUMBER, 0},
        {"8 5", 0, PL_FERR_PROGRESS_NOT_NUMBER, 0},
        {"85.", 0, PL_FERR_PROGRESS_NOT_NUMBER, 0},
        {".5", 0, PL_FERR_PROGRESS_NOT_NUMBER, 0},
        {"85%左右", 0, PL_FERR_PROGRESS_NOT_NUMBER, 0},
        {"约85%", 0, PL_FERR_PROGRESS_NOT_NUMBER, 0},
        {"1,5", 0, PL_FERR_PROGRESS_NOT_NUMBER, 0},
        {"8.5E+01", 0, PL_FERR_PROGRESS_NOT_NUMBER, 0},
        {"nan", 0, PL_FERR_PROGRESS_NOT_NUMBER, 0},
        {"inf", 0, PL_FERR_PROGRESS_NOT_NUMBER, 0},
        {"0x10", 0, PL_FERR_PROGRESS_NOT_NUMBER, 0},
        {"#DIV/0!", 0, PL_FERR_PROGRESS_NOT_NUMBER, 0},
        {"85\xff", 0, PL_FERR_PROGRESS_NOT_NUMBER, 0},
    };
    RUN(run_progress, cases);
}

static void test_progress_reports_a_blank_cell_as_absent(void **state)
{
    (void)state;
    static const struct progress_case cases[] = {
        {"", 0, PL_FERR_PROGRESS_ABSENT, 0},
        {"   ", 0, PL_FERR_PROGRESS_ABSENT, 0},
        {"　", 0, PL_FERR_PROGRESS_ABSENT, 0},
        {"\xe2\x80\x8b", 0, PL_FERR_PROGRESS_ABSENT, 0}, /* zero-width space */
    };
    RUN(run_progress, cases);
    double v = 7;
    enum pl_field_error why;
    assert_int_equal(pl_field_parse_progress(NULL, 0, 0, &v, &why), PL_ERR_DATA);
    assert_int_equal(why, PL_FERR_PROGRESS_ABSENT);
}

static void test_progress_refuses_small_bare_numbers_as_ambiguous_without_a_rule(void **state)
{
    (void)state;
    static const struct progress_case cases[] = {
        {"0.85", 0, PL_FERR_PROGRESS_AMBIGUOUS, 0},
        {"0.5", 0, PL_FERR_PROGRESS_AMBIGUOUS, 0},
        {"1", 0, PL_FERR_PROGRESS_AMBIGUOUS, 0},
        {"1.0", 0, PL_FERR_PROGRESS_AMBIGUOUS, 0},
        {"0.01", 0, PL_FERR_PROGRESS_AMBIGUOUS, 0},
        {"０．８５", 0, PL_FERR_PROGRESS_AMBIGUOUS, 0},
        /* explicit percent, zero, and anything above 1 are not ambiguous */
        {"0.85%", 0, OK, 0.85},
        {"1%", 0, OK, 1},
        {"0.0", 0, OK, 0},
        {"1.5", 0, OK, 1.5},
        {"2", 0, OK, 2},
    };
    RUN(run_progress, cases);
}

static void test_progress_reads_small_bare_numbers_as_fractions_when_told(void **state)
{
    (void)state;
    static const struct progress_case cases[] = {
        {"0.85", PL_PROGRESS_FRACTIONS, OK, 85},
        {"0.5", PL_PROGRESS_FRACTIONS, OK, 50},
        {"0.57", PL_PROGRESS_FRACTIONS, OK, 57}, /* not 56.99999999999999 */
        {"0.8523", PL_PROGRESS_FRACTIONS, OK, 85.23},
        {"1", PL_PROGRESS_FRACTIONS, OK, 100},
        {"1.0", PL_PROGRESS_FRACTIONS, OK, 100},
        {"0", PL_PROGRESS_FRACTIONS, OK, 0},
        {"０．８５", PL_PROGRESS_FRACTIONS, OK, 85},
        /* a percent sign and numbers above 1 keep their meaning */
        {"0.85%", PL_PROGRESS_FRACTIONS, OK, 0.85},
        {"85", PL_PROGRESS_FRACTIONS, OK, 85},
        {"1.01", PL_PROGRESS_FRACTIONS, OK, 1.01},
        {"101", PL_PROGRESS_FRACTIONS, PL_FERR_PROGRESS_RANGE, 0},
        {"过半", PL_PROGRESS_FRACTIONS, PL_FERR_PROGRESS_NOT_NUMBER, 0},
    };
    RUN(run_progress, cases);
}

static void test_progress_reads_small_bare_numbers_as_points_when_told(void **state)
{
    (void)state;
    static const struct progress_case cases[] = {
        {"0.85", PL_PROGRESS_SMALL_POINTS, OK, 0.85},
        {"1", PL_PROGRESS_SMALL_POINTS, OK, 1},
        {"0.5", PL_PROGRESS_SMALL_POINTS, OK, 0.5},
        {"85", PL_PROGRESS_SMALL_POINTS, OK, 85},
        {"-1", PL_PROGRESS_SMALL_POINTS, PL_FERR_PROGRESS_RANGE, 0},
    };
    RUN(run_progress, cases);
}

static void test_progress_refuses_contradictory_or_unknown_flags(void **state)
{
    (void)state;
    double v = 3;
    enum pl_field_error why = PL_FERR_NONE;
    assert_int_equal(pl_field_parse_progress(
                         "85", 2, PL_PROGRESS_FRACTIONS | PL_PROGRESS_SMALL_POINTS, &v, &why),
                     PL_ERR_USAGE);
    assert_int_equal(pl_field_parse_progress("85", 2, 1u << 7, &v, &why), PL_ERR_USAGE);
    assert_true(v == 3);
}

static void test_progress_needs_no_terminator_after_len(void **state)
{
    (void)state;
    double v = 0;
    enum pl_field_error why;
    /* "85" followed by more bytes that are not part of the cell */
    assert_int_equal(pl_field_parse_progress("85%xyz", 3, 0, &v, &why), PL_OK);
    assert_true(v == 85);
    assert_int_equal(pl_field_parse_progress("12", 1, 0, &v, &why), PL_ERR_DATA);
    assert_int_equal(why, PL_FERR_PROGRESS_AMBIGUOUS);
}

/* ---- formatting ------------------------------------------------------------------------- */

static void test_format_number_writes_the_shortest_form_without_trailing_zeros(void **state)
{
    (void)state;
    static const struct {
        double v;
        const char *want;
    } cases[] = {
        {85, "85"},
        {85.5, "85.5"},
        {100, "100"},
        {0, "0"},
        {-0.0, "0"},
        {0.85, "0.85"},
        {12000, "12000"},
        {500000000, "500000000"},
        {33.333, "33.333"},
        {-3.2, "-3.2"},
        {1e15, "1000000000000000"},
        {0.1 + 0.2, "0.30000000000000004"},
        {1234.5678, "1234.5678"},
        {99.99, "99.99"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct pl_buf b;
        pl_buf_init(&b);
        assert_int_equal(pl_field_format_number(&b, cases[i].v), PL_OK);
        if (strcmp(b.data, cases[i].want) != 0)
            fail_msg("format %.17g: got \"%s\", wanted \"%s\"", cases[i].v, b.data, cases[i].want);
        pl_buf_fini(&b);
    }
}

static void test_format_number_reads_back_what_progress_parsed(void **state)
{
    (void)state;
    static const char *const cells[] = {"85", "85.5", "８５．２５％", "0.01%", "100.0", "0"};
    static const char *const want[] = {"85", "85.5", "85.25", "0.01", "100", "0"};
    for (size_t i = 0; i < sizeof cells / sizeof cells[0]; i++) {
        double v;
        enum pl_field_error why;
        assert_int_equal(pl_field_parse_progress(cells[i], strlen(cells[i]), 0, &v, &why), PL_OK);
        struct pl_buf b;
        pl_buf_init(&b);
        assert_int_equal(pl_field_format_number(&b, v), PL_OK);
        assert_string_equal(b.data, want[i]);
        pl_buf_fini(&b);
    }
}

/* The plain cells (digits, then perhaps %) are read without folding: each must read exactly as
 * the same cell padded with spaces, which goes the folding way. */
static void test_progress_plain_digits_read_as_the_folded_path_reads_them(void **state)
{
    (void)state;
    static const char *const cells[] = {
        "0",  "00", "1",   "01",  "5",   "85",  "085", "99",  "100", "0100", "101", "120",
        "199", "200", "201", "999", "1000", "0%", "1%", "85%", "100%", "101%", "%", "85%%",
        "000000000000085", "999999999999999", "1000000000000000", "99999999999999999999",
        "8 5", "85 %", "-1", "+5", "1.0", "1,000",
    };
    static const unsigned flags[] = {0, PL_PROGRESS_FRACTIONS, PL_PROGRESS_SMALL_POINTS,
                                     PL_PROGRESS_CAP, PL_PROGRESS_CAP | PL_PROGRESS_FRACTIONS};
    for (size_t i = 0; i < sizeof cells / sizeof cells[0]; i++) {
        char padded[64];
        snprintf(padded, sizeof padded, " %s\xE3\x80\x80", cells[i]); /* U+3000 after */
        for (size_t f = 0; f < sizeof flags / sizeof flags[0]; f++) {
            double a = -7, b = -7;
            enum pl_field_error wa = PL_FERR_COUNT, wb = PL_FERR_COUNT;
            enum pl_status sa = pl_field_parse_progress_limit(cells[i], strlen(cells[i]),
                                                              flags[f], 150, &a, &wa);
            enum pl_status sb = pl_field_parse_progress_limit(padded, strlen(padded), flags[f],
                                                              150, &b, &wb);
            if (sa != sb || wa != wb || !(a == b))
                fail_msg("progress \"%s\" flags %u: %d %s %.17g, padded %d %s %.17g", cells[i],
                         flags[f], sa, pl_field_error_code(wa), a, sb, pl_field_error_code(wb),
                         b);
        }
    }
}

/* Whole numbers are written by hand: the same digits as printf's %lld. */
static void test_format_number_writes_whole_numbers_as_printf_does(void **state)
{
    (void)state;
    static const double whole[] = {1, -1, 7, 10, 99, 100, -100, 12345, 999999999999999,
                                   -999999999999999, 4294967296.0, 123456789012345};
    for (size_t i = 0; i < sizeof whole / sizeof whole[0]; i++) {
        char want[64];
        snprintf(want, sizeof want, "%lld", (long long)whole[i]);
        struct pl_buf b;
        pl_buf_init(&b);
        assert_int_equal(pl_field_format_number(&b, whole[i]), PL_OK);
        assert_string_equal(b.data, want);
        pl_buf_fini(&b);
    }
}

static void test_format_number_refuses_nan_and_infinity(void **state)
{
    (void)state;
    struct pl_buf b;
    pl_buf_init(&b);
    assert_int_equal(pl_field_format_number(&b, NAN), PL_ERR_USAGE);
    assert_int_equal(pl_field_format_number(&b, INFINITY), PL_ERR_USAGE);
    assert_int_equal(pl_field_format_number(&b, -INFINITY), PL_ERR_USAGE);
    assert_int_equal(b.len, 0);
    pl_buf_fini(&b);
}

/* ---- values ----------------------------------------------------------------------------- */

struct value_case {
    const char *in;
    unsigned flags;
    enum pl_field_error why;
    double want;
    const char *unit;
    enum pl_value_qualifier qual;
};

static void run_value(const struct value_case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const struct value_case *k = &cases[i];
        struct pl_value v = {-12345, PL_QUAL_NONE};
        struct pl_buf unit;
        pl_buf_init(&unit);
        pl_buf_append_str(&unit, "stale");
        enum pl_field_error why = PL_FERR_COUNT;
        enum pl_status st = pl_field_parse_value(k->in, strlen(k->in), k->flags, &v, &unit, &why);
        enum pl_status want_st = k->why == PL_FERR_NONE ? PL_OK : PL_ERR_DATA;
        if (st != want_st || why != k->why)
            fail_msg("value \"%s\": status %d why %s, wanted status %d why %s", k->in, st,
                     pl_field_error_code(why), want_st, pl_field_error_code(k->why));
        if (k->why == PL_FERR_NONE) {
            if (v.number != k->want || strcmp(unit.data, k->unit) != 0 || v.qualifier != k->qual)
                fail_msg("value \"%s\": got %.17g \"%s\" qual %d, wanted %.17g \"%s\" qual %d",
                         k->in, v.number, unit.data, v.qualifier, k->want, k->unit, k->qual);
        } else if (v.number != -12345 || unit.len != 0) {
            fail_msg("value \"%s\": output written on refusal", k->in);
        }
        pl_buf_fini(&unit);
    }
}

static void test_value_expands_multipliers_and_keeps_the_unit(void **state)
{
    (void)state;
    static const struct value_case cases[] = {
        {"1.2万", 0, OK, 12000, "", 0},
        {"13000家", 0, OK, 13000, "家", 0},
        {"5亿元", 0, OK, 500000000, "元", 0},
        {"1.2万元", 0, OK, 12000, "元", 0},
        {"3千万元", 0, OK, 30000000, "元", 0},
        {"2百万", 0, OK, 2000000, "", 0},
        {"1.5万亿", 0, OK, 1.5e12, "", 0},
        {"6.5%", 0, OK, 6.5, "%", 0},
        {"-3.2%", 0, OK, -3.2, "%", 0},
        {"1.23456万", 0, OK, 12345.6, "", 0},
        {"0.57万", 0, OK, 5700, "", 0}, /* exact, not 5699.999999999999 */
        {"13000 家", 0, OK, 13000, "家", 0},
        {"120万人次", 0, OK, 1200000, "人次", 0},
        {"3.5万平方米", 0, OK, 35000, "平方米", 0},
        {"12000元/人", 0, OK, 12000, "元/人", 0},
        {"42", 0, OK, 42, "", 0},
        {"0", 0, OK, 0, "", 0},
        /* 千 alone begins a unit and is no multiplier */
        {"5千米", 0, OK, 5, "千米", 0},
        {"300千瓦时", 0, OK, 300, "千瓦时", 0},
    };
    RUN(run_value, cases);
}

static void test_value_folds_fullwidth_digits_point_and_percent(void **state)
{
    (void)state;
    static const struct value_case cases[] = {
        {"１．３万家", 0, OK, 13000, "家", 0}, {"６．５％", 0, OK, 6.5, "%", 0},
        {"　１２３４　", 0, OK, 1234, "", 0},  {"１，２３４", 0, OK, 1234, "", 0},
        {"５ｋｍ", 0, OK, 5, "km", 0},
    };
    RUN(run_value, cases);
}

static void test_value_reads_thousands_separators_grouped_by_three(void **state)
{
    (void)state;
    static const struct value_case cases[] = {
        {"1,234", 0, OK, 1234, "", 0},
        {"1,234,567.5", 0, OK, 1234567.5, "", 0},
        {"12,000家", 0, OK, 12000, "家", 0},
        {"123,456万元", 0, OK, 1234560000, "元", 0},
        {"12,34", 0, PL_FERR_VALUE_NOT_NUMBER, 0, "", 0},
        {"1234,567", 0, PL_FERR_VALUE_NOT_NUMBER, 0, "", 0},
        {"1,2345", 0, PL_FERR_VALUE_NOT_NUMBER, 0, "", 0},
        {"1,", 0, PL_FERR_VALUE_NOT_NUMBER, 0, "", 0},
        {"1,234.", 0, PL_FERR_VALUE_NOT_NUMBER, 0, "", 0},
    };
    RUN(run_value, cases);
}

static void test_value_refuses_text_without_a_number(void **state)
{
    (void)state;
    static const struct value_case cases[] = {
        {"已完成", 0, PL_FERR_VALUE_NOT_NUMBER, 0, "", 0},
        {"/", 0, PL_FERR_VALUE_NOT_NUMBER, 0, "", 0},
        {"—", 0, PL_FERR_VALUE_NOT_NUMBER, 0, "", 0},
        {"家", 0, PL_FERR_VALUE_NOT_NUMBER, 0, "", 0},
        {"万", 0, PL_FERR_VALUE_NOT_NUMBER, 0, "", 0},
        {"增长6.5%", 0, PL_FERR_VALUE_NOT_NUMBER, 0, "", 0},
        {"一万", 0, PL_FERR_VALUE_NOT_NUMBER, 0, "", 0},
        {".5万", 0, PL_FERR_VALUE_NOT_NUMBER, 0, "", 0},
        {"约", 0, PL_FERR_VALUE_NOT_NUMBER, 0, "", 0},
        {"\xff"
         "12",
         0, PL_FERR_VALUE_NOT_NUMBER, 0, "", 0},
    };
    RUN(run_value, cases);
}

static void test_value_refuses_ranges_and_second_numbers(void **state)
{
    (void)state;
    static const struct value_case cases[] = {
        {"1万-2万", 0, PL_FERR_VALUE_EXTRA, 0, "", 0},
        {"1万2千", 0, PL_FERR_VALUE_EXTRA, 0, "", 0},
        {"100m2", 0, PL_FERR_VALUE_EXTRA, 0, "", 0},
        {"1.2E+05", 0, PL_FERR_VALUE_EXTRA, 0, "", 0},
        {"12 34", 0, PL_FERR_VALUE_EXTRA, 0, "", 0},
        {"2023年6月", 0, PL_FERR_VALUE_EXTRA, 0, "", 0},
    };
    RUN(run_value, cases);
}

static void test_value_refuses_approximate_words_by_default(void **state)
{
    (void)state;
    static const struct value_case cases[] = {
        {"约1万", 0, PL_FERR_VALUE_QUALIFIED, 0, "", 0},
        {"大约5000家", 0, PL_FERR_VALUE_QUALIFIED, 0, "", 0},
        {"超1万", 0, PL_FERR_VALUE_QUALIFIED, 0, "", 0},
        {"超过1万户", 0, PL_FERR_VALUE_QUALIFIED, 0, "", 0},
        {"达1.5亿元", 0, PL_FERR_VALUE_QUALIFIED, 0, "", 0},
        {"近3000", 0, PL_FERR_VALUE_QUALIFIED, 0, "", 0},
        {"逾200家", 0, PL_FERR_VALUE_QUALIFIED, 0, "", 0},
        {"1万余元", 0, PL_FERR_VALUE_QUALIFIED, 0, "", 0},
        {"300多家", 0, PL_FERR_VALUE_QUALIFIED, 0, "", 0},
        {"1万元左右", 0, PL_FERR_VALUE_QUALIFIED, 0, "", 0},
        {"5000家以上", 0, PL_FERR_VALUE_QUALIFIED, 0, "", 0},
    };
    RUN(run_value, cases);
}

static void test_value_reports_approximate_words_when_allowed(void **state)
{
    (void)state;
    const unsigned q = PL_VALUE_QUALIFIERS;
    static const struct value_case cases[] = {
        {"约1万", PL_VALUE_QUALIFIERS, OK, 10000, "", PL_QUAL_ABOUT},
        {"大约5000家", PL_VALUE_QUALIFIERS, OK, 5000, "家", PL_QUAL_ABOUT},
        {"近3000", PL_VALUE_QUALIFIERS, OK, 3000, "", PL_QUAL_ABOUT},
        {"1万元左右", PL_VALUE_QUALIFIERS, OK, 10000, "元", PL_QUAL_ABOUT},
        {"超1万", PL_VALUE_QUALIFIERS, OK, 10000, "", PL_QUAL_AT_LEAST},
        {"超过1万户", PL_VALUE_QUALIFIERS, OK, 10000, "户", PL_QUAL_AT_LEAST},
        {"达到1.5亿元", PL_VALUE_QUALIFIERS, OK, 150000000, "元", PL_QUAL_AT_LEAST},
        {"逾200家", PL_VALUE_QUALIFIERS, OK, 200, "家", PL_QUAL_AT_LEAST},
        {"1万余元", PL_VALUE_QUALIFIERS, OK, 10000, "元", PL_QUAL_AT_LEAST},
        {"300多家", PL_VALUE_QUALIFIERS, OK, 300, "家", PL_QUAL_AT_LEAST},
        {"5000家以上", PL_VALUE_QUALIFIERS, OK, 5000, "家", PL_QUAL_AT_LEAST},
        {"13000家", PL_VALUE_QUALIFIERS, OK, 13000, "家", PL_QUAL_NONE},
        {"约", PL_VALUE_QUALIFIERS, PL_FERR_VALUE_NOT_NUMBER, 0, "", 0},
    };
    RUN(run_value, cases);
    struct pl_value v;
    struct pl_buf unit;
    pl_buf_init(&unit);
    assert_int_equal(pl_field_parse_value("1", 1, q | (1u << 5), &v, &unit, NULL), PL_ERR_USAGE);
    pl_buf_fini(&unit);
}

static void test_value_reports_a_blank_cell_as_absent(void **state)
{
    (void)state;
    static const struct value_case cases[] = {
        {"", 0, PL_FERR_VALUE_ABSENT, 0, "", 0},
        {" 　 ", 0, PL_FERR_VALUE_ABSENT, 0, "", 0},
    };
    RUN(run_value, cases);
}

/* ---- task ids --------------------------------------------------------------------------- */

struct id_case {
    const char *in;
    enum pl_field_error why;
    const char *want;
};

static void run_id(const struct id_case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const struct id_case *k = &cases[i];
        struct pl_buf id;
        pl_buf_init(&id);
        pl_buf_append_str(&id, "stale");
        enum pl_field_error why = PL_FERR_COUNT;
        enum pl_status st = pl_field_parse_task_id(k->in, strlen(k->in), &id, &why);
        enum pl_status want_st = k->why == PL_FERR_NONE ? PL_OK : PL_ERR_DATA;
        if (st != want_st || why != k->why)
            fail_msg("task id \"%s\": status %d why %s, wanted status %d why %s", k->in, st,
                     pl_field_error_code(why), want_st, pl_field_error_code(k->why));
        const char *want = k->why == PL_FERR_NONE ? k->want : "";
        if (strcmp(id.data, want) != 0)
            fail_msg("task id \"%s\": got \"%s\", wanted \"%s\"", k->in, id.data, want);
        pl_buf_fini(&id);
    }
}

static void test_task_id_canonicalises_key_task_spellings(void **state)
{
    (void)state;
    static const struct id_case cases[] = {
        {"17", OK, "17"},
        {"第17项", OK, "17"},
        {"重点工作17", OK, "17"},
        {"第17条", OK, "17"},
        {" 17 ", OK, "17"},
        {"１７", OK, "17"},
        {"017", OK, "17"},
        {"第17", OK, "17"},
        {"17项", OK, "17"},
        {"17号", OK, "17"},
        {"重点工作第17项", OK, "17"},
        {"重点任务17", OK, "17"},
        {"第 17 项", OK, "17"},
        {"第１７项", OK, "17"},
        {"1", OK, "1"},
        {"81", OK, "81"},
        {"第十七项", OK, "17"},
        {"第十项", OK, "10"},
        {"第二十项", OK, "20"},
        {"第八十一项", OK, "81"},
        {"第一百零一项", OK, "101"},
        {"第三项", OK, "3"},
        {"999999999", OK, "999999999"},
    };
    RUN(run_id, cases);
}

static void test_task_id_canonicalises_livelihood_spellings(void **state)
{
    (void)state;
    static const struct id_case cases[] = {
        {"M1-2", OK, "M1-2"},
        {"m1-2", OK, "M1-2"},
        {"民生1-2", OK, "M1-2"},
        {"民生实事1（2）", OK, "M1-2"},
        {"民生实事1(2)", OK, "M1-2"},
        {"民生实事第1项（2）", OK, "M1-2"},
        {"民生实事第1项(2)", OK, "M1-2"},
        {"民生实事1-2", OK, "M1-2"},
        {"民生实事项目1-2", OK, "M1-2"},
        {"M3", OK, "M3"},
        {"民生实事3", OK, "M3"},
        {"民生实事第3项", OK, "M3"},
        {"Ｍ１－２", OK, "M1-2"},
        {"M1–2", OK, "M1-2"}, /* en dash */
        {"M1 - 2", OK, "M1-2"},
        {"M01-02", OK, "M1-2"},
        {"M10-16", OK, "M10-16"},
        {"民生实事第一项（二）", OK, "M1-2"},
        {"M1(2)", OK, "M1-2"},
    };
    RUN(run_id, cases);
}

static void test_task_id_refuses_zero_with_its_own_reason(void **state)
{
    (void)state;
    static const struct id_case cases[] = {
        {"0", PL_FERR_TASK_ID_ZERO, NULL},
        {"00", PL_FERR_TASK_ID_ZERO, NULL},
        {"第0项", PL_FERR_TASK_ID_ZERO, NULL},
        {"M0", PL_FERR_TASK_ID_ZERO, NULL},
        {"M0-1", PL_FERR_TASK_ID_ZERO, NULL},
        {"M1-0", PL_FERR_TASK_ID_ZERO, NULL},
        {"民生实事1（0）", PL_FERR_TASK_ID_ZERO, NULL},
        {"第零项", PL_FERR_TASK_ID_ZERO, NULL},
    };
    RUN(run_id, cases);
}

static void test_task_id_refuses_garbage(void **state)
{
    (void)state;
    static const struct id_case cases[] = {
        {"abc", PL_FERR_TASK_ID_FORMAT, NULL},        {"1-2", PL_FERR_TASK_ID_FORMAT, NULL},
        {"17.0", PL_FERR_TASK_ID_FORMAT, NULL},       {"-17", PL_FERR_TASK_ID_FORMAT, NULL},
        {"17a", PL_FERR_TASK_ID_FORMAT, NULL},        {"M", PL_FERR_TASK_ID_FORMAT, NULL},
        {"民生实事", PL_FERR_TASK_ID_FORMAT, NULL},   {"M1-", PL_FERR_TASK_ID_FORMAT, NULL},
        {"M1(2", PL_FERR_TASK_ID_FORMAT, NULL},       {"M1-2-3", PL_FERR_TASK_ID_FORMAT, NULL},
        {"Mx1", PL_FERR_TASK_ID_FORMAT, NULL},        {"第项", PL_FERR_TASK_ID_FORMAT, NULL},
        {"17 18", PL_FERR_TASK_ID_FORMAT, NULL},      {"17、18", PL_FERR_TASK_ID_FORMAT, NULL},
        {"1234567890", PL_FERR_TASK_ID_FORMAT, NULL}, {"第十十项", PL_FERR_TASK_ID_FORMAT, NULL},
        {"第二二项", PL_FERR_TASK_ID_FORMAT, NULL},   {"重点工作", PL_FERR_TASK_ID_FORMAT, NULL},
        {"17\xff", PL_FERR_TASK_ID_FORMAT, NULL},
    };
    RUN(run_id, cases);
}

static void test_task_id_reports_a_blank_cell_as_absent(void **state)
{
    (void)state;
    static const struct id_case cases[] = {
        {"", PL_FERR_TASK_ID_ABSENT, NULL},
        {"　", PL_FERR_TASK_ID_ABSENT, NULL},
    };
    RUN(run_id, cases);
}

static void test_progress_over_100_is_capped_only_when_asked_and_within_the_limit(void **state)
{
    (void)state;
    double v = -1;
    enum pl_field_error why = PL_FERR_COUNT;
    /* 超额完成: 120 reads 100, flagged. */
    assert_int_equal(pl_field_parse_progress("120%", 4, PL_PROGRESS_CAP, &v, &why), PL_OK);
    assert_true(v == 100);
    assert_int_equal(why, PL_FERR_PROGRESS_CAPPED);
    assert_string_equal(pl_field_error_code(why), "W_PROGRESS_CAPPED");
    assert_int_equal(pl_field_parse_progress("２００", strlen("２００"), PL_PROGRESS_CAP, &v, &why),
                     PL_OK);
    assert_int_equal(why, PL_FERR_PROGRESS_CAPPED);
    /* 100 itself is no excess. */
    assert_int_equal(pl_field_parse_progress("100", 3, PL_PROGRESS_CAP, &v, &why), PL_OK);
    assert_int_equal(why, PL_FERR_NONE);
    /* A clear typo stays wrong. */
    v = -1;
    assert_int_equal(pl_field_parse_progress("1000", 4, PL_PROGRESS_CAP, &v, &why), PL_ERR_DATA);
    assert_int_equal(why, PL_FERR_PROGRESS_RANGE);
    assert_true(v == -1);
    assert_int_equal(pl_field_parse_progress_limit("150", 3, PL_PROGRESS_CAP, 120, &v, &why),
                     PL_ERR_DATA);
    assert_int_equal(why, PL_FERR_PROGRESS_RANGE);
    /* Without the flag, over 100 is refused as before. */
    assert_int_equal(pl_field_parse_progress("120", 3, 0, &v, &why), PL_ERR_DATA);
    assert_int_equal(why, PL_FERR_PROGRESS_RANGE);
    assert_int_equal(pl_field_parse_progress_limit("120", 3, PL_PROGRESS_CAP, 99, &v, &why),
                     PL_ERR_USAGE);
}

/* ---- reasons ---------------------------------------------------------------------------- */

static void test_every_reason_has_a_distinct_code_and_a_chinese_message(void **state)
{
    (void)state;
    for (int e = 1; e < PL_FERR_COUNT; e++) {
        const char *code = pl_field_error_code((enum pl_field_error)e);
        assert_true(strncmp(code, "E_", 2) == 0 || strncmp(code, "W_", 2) == 0);
        for (int f = 1; f < e; f++)
            assert_string_not_equal(code, pl_field_error_code((enum pl_field_error)f));
        struct pl_buf b;
        pl_buf_init(&b);
        assert_int_equal(pl_field_error_message(&b, (enum pl_field_error)e, "x", 1), PL_OK);
        assert_true(b.len > 10);
        assert_null(strstr(b.data, "%s"));
        pl_buf_fini(&b);
    }
    assert_string_equal(pl_field_error_code(PL_FERR_NONE), "");
    assert_string_equal(pl_field_error_code(PL_FERR_COUNT), "E_UNKNOWN");
    assert_string_equal(pl_field_error_code((enum pl_field_error) - 1), "E_UNKNOWN");
}

static void test_message_quotes_the_cell_as_written(void **state)
{
    (void)state;
    static const struct {
        enum pl_field_error err;
        const char *in;
        const char *want;
    } cases[] = {
        {PL_FERR_PROGRESS_NOT_NUMBER, "abc",
         "无法识别的完成进度“abc”：请填写0–100之间的数字，如85或85%"},
        {PL_FERR_PROGRESS_NOT_NUMBER, "  过半 ",
         "无法识别的完成进度“过半”：请填写0–100之间的数字，如85或85%"},
        {PL_FERR_PROGRESS_RANGE, "１２０％",
         "完成进度“１２０％”超出0–100范围：请填写0–100之间的数字"},
        {PL_FERR_DATE_INVALID, "2023-02-30", "日期“2023-02-30”不存在：请核对年、月、日"},
        {PL_FERR_TASK_ID_ZERO, "0",
         "任务编号“0”的序号不能为0：重点工作填写序号如17，民生实事填写如M1-2"},
        {PL_FERR_STATUS_UNKNOWN,
         "\xff"
         "ok",
         "无法识别的状态“\\xFFok”：请填写已完成、序时推进、滞后或未启动"},
        {PL_FERR_PROGRESS_ABSENT, "", "未填写完成进度：请填写0–100之间的数字，如85或85%"},
        {PL_FERR_NONE, "85", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct pl_buf b;
        pl_buf_init(&b);
        assert_int_equal(pl_field_error_message(&b, cases[i].err, cases[i].in, strlen(cases[i].in)),
                         PL_OK);
        assert_string_equal(b.data, cases[i].want);
        pl_buf_fini(&b);
    }
}

static void test_message_cuts_long_cells_at_forty_characters(void **state)
{
    (void)state;
    struct pl_buf in, b, want;
    pl_buf_init(&in);
    pl_buf_init(&b);
    pl_buf_init(&want);
    for (int i = 0; i < 50; i++)
        pl_buf_append_str(&in, "进");
    pl_buf_append_str(&want, "无法识别的完成进度“");
    for (int i = 0; i < 40; i++)
        pl_buf_append_str(&want, "进");
    pl_buf_append_str(&want, "…”：请填写0–100之间的数字，如85或85%");
    assert_int_equal(pl_field_error_message(&b, PL_FERR_PROGRESS_NOT_NUMBER, in.data, in.len),
                     PL_OK);
    assert_string_equal(b.data, want.data);
    pl_buf_clear(&b);
    assert_int_equal(pl_field_error_message(&b, PL_FERR_COUNT, "x", 1), PL_ERR_USAGE);
    pl_buf_fini(&in);
    pl_buf_fini(&b);
    pl_buf_fini(&want);
}

static void test_absent_reasons_are_told_apart_from_the_others(void **state)
{
    (void)state;
    for (int e = 0; e < PL_FERR_COUNT; e++) {
        const char *code = pl_field_error_code((enum pl_field_error)e);
        bool absent = strstr(code, "_ABSENT") != NULL;
        assert_int_equal(pl_field_error_is_absent((enum pl_field_error)e), absent);
    }
}

/* Every prefix of tricky cells, copied into a buffer of exactly its length with no
 * terminator, so that under ASan a read past LEN stops the test. */
static const char *const tricky[] = {
    "８５．５％",
    "1,234,567.5万元",
    "约1.2万余元左右",
    "民生实事第一项（二）",
    "第一百零一项",
    "M1–2",
    "0.85",
    "100.5%",
    "\xe5\xb9",
    "１，２３４",
    "12,34",
    "-0.5",
    "2023年6月28日",
    "进进进进进进进进进进进进",
};

static void test_parsers_read_no_byte_beyond_len(void **state)
{
    (void)state;
    struct pl_buf out;
    pl_buf_init(&out);
    for (size_t i = 0; i < sizeof tricky / sizeof tricky[0]; i++) {
        size_t full = strlen(tricky[i]);
        for (size_t len = 0; len <= full; len++) {
            char *cell = malloc(len ? len : 1);
            assert_non_null(cell);
            memcpy(cell, tricky[i], len);
            double v;
            struct pl_value value;
            enum pl_field_error why;
            for (unsigned f = 0; f < 3; f++)
                (void)pl_field_parse_progress(cell, len, f, &v, &why);
            (void)pl_field_parse_value(cell, len, 0, &value, &out, &why);
            (void)pl_field_parse_value(cell, len, PL_VALUE_QUALIFIERS, &value, &out, &why);
            (void)pl_field_parse_task_id(cell, len, &out, &why);
            for (int e = 0; e < PL_FERR_COUNT; e++)
                assert_int_equal(pl_field_error_message(&out, (enum pl_field_error)e, cell, len),
                                 PL_OK);
            free(cell);
        }
    }
    pl_buf_fini(&out);
}

/* Plain ASCII task ids are read where they are, without folding: each must read exactly as
 * the same cell padded with spaces, which goes the folding way. */
static void test_task_id_plain_cells_read_as_the_folded_path_reads_them(void **state)
{
    (void)state;
    static const char *const cells[] = {
        "17", "017", "0", "00", "M1-2", "m1-2", "M1(2)", "M3", "M0-1", "M1-0", "1-2", "17x",
        "1234567890", "0001234567890", "999999999", "M", "-", "M1-", "M1--2", "17 ", "1 7",
        "x", "M1(2", "M1(2))", "M001-002",
    };
    for (size_t i = 0; i < sizeof cells / sizeof cells[0]; i++) {
        char padded[64];
        snprintf(padded, sizeof padded, "\xE3\x80\x80%s ", cells[i]);
        struct pl_buf a, b;
        pl_buf_init(&a);
        pl_buf_init(&b);
        enum pl_field_error wa = PL_FERR_COUNT, wb = PL_FERR_COUNT;
        enum pl_status sa = pl_field_parse_task_id(cells[i], strlen(cells[i]), &a, &wa);
        enum pl_status sb = pl_field_parse_task_id(padded, strlen(padded), &b, &wb);
        if (sa != sb || wa != wb || strcmp(a.data, b.data) != 0)
            fail_msg("task id \"%s\": %d %s \"%s\", padded %d %s \"%s\"", cells[i], sa,
                     pl_field_error_code(wa), a.data, sb, pl_field_error_code(wb), b.data);
        pl_buf_fini(&a);
        pl_buf_fini(&b);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_progress_over_100_is_capped_only_when_asked_and_within_the_limit),
        cmocka_unit_test(test_progress_accepts_numbers_with_and_without_percent),
        cmocka_unit_test(test_progress_folds_fullwidth_digits_percent_and_spaces),
        cmocka_unit_test(test_progress_accepts_the_bounds_0_and_100),
        cmocka_unit_test(test_progress_refuses_out_of_range_with_its_own_reason),
        cmocka_unit_test(test_progress_refuses_words_and_marks_as_not_a_number),
        cmocka_unit_test(test_progress_reports_a_blank_cell_as_absent),
        cmocka_unit_test(test_progress_refuses_small_bare_numbers_as_ambiguous_without_a_rule),
        cmocka_unit_test(test_progress_reads_small_bare_numbers_as_fractions_when_told),
        cmocka_unit_test(test_progress_reads_small_bare_numbers_as_points_when_told),
        cmocka_unit_test(test_progress_refuses_contradictory_or_unknown_flags),
        cmocka_unit_test(test_progress_needs_no_terminator_after_len),
        cmocka_unit_test(test_format_number_writes_the_shortest_form_without_trailing_zeros),
        cmocka_unit_test(test_format_number_reads_back_what_progress_parsed),
        cmocka_unit_test(test_format_number_refuses_nan_and_infinity),
        cmocka_unit_test(test_progress_plain_digits_read_as_the_folded_path_reads_them),
        cmocka_unit_test(test_format_number_writes_whole_numbers_as_printf_does),
        cmocka_unit_test(test_task_id_plain_cells_read_as_the_folded_path_reads_them),
        cmocka_unit_test(test_value_expands_multipliers_and_keeps_the_unit),
        cmocka_unit_test(test_value_folds_fullwidth_digits_point_and_percent),
        cmocka_unit_test(test_value_reads_thousands_separators_grouped_by_three),
        cmocka_unit_test(test_value_refuses_text_without_a_number),
        cmocka_unit_test(test_value_refuses_ranges_and_second_numbers),
        cmocka_unit_test(test_value_refuses_approximate_words_by_default),
        cmocka_unit_test(test_value_reports_approximate_words_when_allowed),
        cmocka_unit_test(test_value_reports_a_blank_cell_as_absent),
        cmocka_unit_test(test_task_id_canonicalises_key_task_spellings),
        cmocka_unit_test(test_task_id_canonicalises_livelihood_spellings),
        cmocka_unit_test(test_task_id_refuses_zero_with_its_own_reason),
        cmocka_unit_test(test_task_id_refuses_garbage),
        cmocka_unit_test(test_task_id_reports_a_blank_cell_as_absent),
        cmocka_unit_test(test_every_reason_has_a_distinct_code_and_a_chinese_message),
        cmocka_unit_test(test_message_quotes_the_cell_as_written),
        cmocka_unit_test(test_message_cuts_long_cells_at_forty_characters),
        cmocka_unit_test(test_absent_reasons_are_told_apart_from_the_others),
        cmocka_unit_test(test_parsers_read_no_byte_beyond_len),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
