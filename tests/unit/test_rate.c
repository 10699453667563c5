/* Unit tests for the rate module: colours and reasons at every boundary, expected progress,
 * arrows, and the stream. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "date.h"
#include "rate.h"

/* One row to rate and what the rules of DESIGN.md (changed by TWEAK) must make of it. */
struct judge_case {
    const char *name;
    double expected;
    bool first;
    bool missing;
    double progress;
    bool late;
    const char *tweak; /* a rules file over the defaults, or NULL */
    enum pl_colour colour;
    const char *gap; /* "" when there is none */
    const char *reason;
};

static const struct judge_case judge_cases[] = {
    {"exactly on the expected progress", 50, true, false, 50, false, NULL, PL_COLOUR_BLUE, "0",
     "达到序时进度"},
    {"a tenth behind", 50, true, false, 49.9, false, NULL, PL_COLOUR_YELLOW, "0.1",
     "进度滞后0.1个百分点"},
    {"ahead", 50, true, false, 85.5, false, NULL, PL_COLOUR_BLUE, "-35.5",
     "超序时进度35.5个百分点"},
    {"19.9 behind", 50, true, false, 30.1, false, NULL, PL_COLOUR_YELLOW, "19.9",
     "进度滞后19.9个百分点"},
    {"exactly 20 behind", 50, true, false, 30, false, NULL, PL_COLOUR_RED, "20",
     "进度滞后20个百分点"},
    {"exactly 20 behind in tenths", 49.6, true, false, 29.6, false, NULL, PL_COLOUR_RED, "20",
     "进度滞后20个百分点"},
    {"done in the first cycle", 50, true, false, 100, false, NULL, PL_COLOUR_BLUE, "-50", "已完成"},
    {"done in the last cycle", 100, false, false, 100, false, NULL, PL_COLOUR_BLUE, "0", "已完成"},
    {"已完成 written at 90 in the last cycle", 100, false, false, 90, false, NULL, PL_COLOUR_YELLOW,
     "10", "进度滞后10个百分点"},
    {"已完成 written at 90 in the first cycle", 50, true, false, 90, false, NULL, PL_COLOUR_BLUE,
     "-40", "超序时进度40个百分点"},
    {"not started in the first cycle", 50, true, false, 0, false, NULL, PL_COLOUR_RED, "50",
     "进度滞后50个百分点"},
    {"not started in the second cycle", 100, false, false, 0, false, NULL, PL_COLOUR_RED, "100",
     "未启动"},
    {"not started in the first cycle, red further off", 50, true, false, 0, false,
     "[colour]\nred_behind = 60\n", PL_COLOUR_YELLOW, "50", "进度滞后50个百分点"},
    {"not started in the second cycle, red further off", 80, false, false, 0, false,
     "[colour]\nred_behind = 90\n", PL_COLOUR_RED, "80", "未启动"},
    {"not started, not red by rule", 80, false, false, 0, false,
     "[colour]\nred_behind = 90\nnot_started_red = no\n", PL_COLOUR_YELLOW, "80",
     "进度滞后80个百分点"},
    {"late by one day", 50, true, false, 60, true, NULL, PL_COLOUR_BLUE, "-10",
     "超序时进度10个百分点；逾期报送"},
    {"late and red by rule", 50, true, false, 60, true, "[colour]\nlate_red = yes\n", PL_COLOUR_RED,
     "-10", "超序时进度10个百分点；逾期报送"},
    {"missing", 50, true, true, 0, false, NULL, PL_COLOUR_RED, "", "未报送"},
    {"missing, not red by rule, first cycle", 50, true, true, 0, false,
     "[colour]\nmissing_red = no\nred_behind = 60\n", PL_COLOUR_YELLOW, "", "未报送"},
    {"missing, not red by rule, after the first cycle", 100, false, true, 0, false,
     "[colour]\nmissing_red = no\n", PL_COLOUR_RED, "", "未报送"},
    {"within the blue tolerance", 50, true, false, 45, false, "[colour]\nblue_tolerance = 5\n",
     PL_COLOUR_BLUE, "5", "进度滞后5个百分点"},
    {"just past the blue tolerance", 50, true, false, 44.9, false, "[colour]\nblue_tolerance = 5\n",
     PL_COLOUR_YELLOW, "5.1", "进度滞后5.1个百分点"},
    {"done_at lowered to 90", 100, false, false, 90, false, "[progress]\ndone_at = 90\n",
     PL_COLOUR_BLUE, "10", "已完成"},
    {"red_behind raised to 30, 29 behind", 100, false, false, 71, false,
     "[colour]\nred_behind = 30\n", PL_COLOUR_YELLOW, "29", "进度滞后29个百分点"},
};

static void test_each_row_gets_the_colour_gap_and_reason_of_the_rules(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof judge_cases / sizeof judge_cases[0]; i++) {
        const struct judge_case *c = &judge_cases[i];
        struct pl_rules r;
        assert_int_equal(pl_rules_init(&r), PL_OK);
        if (c->tweak) {
            FILE *fp = fmemopen((void *)c->tweak, strlen(c->tweak), "r");
            assert_int_equal(pl_rules_read_stream(&r, fp, "t.ini", NULL), PL_OK);
            fclose(fp);
        }
        struct pl_rate_cycle cy = {"C", c->expected, c->first, 0};
        struct pl_rate_input in = {.missing = c->missing, .progress = c->progress, .late = c->late};
        struct pl_rating out;
        struct pl_buf reason, gap;
        pl_buf_init(&reason);
        pl_buf_init(&gap);
        assert_int_equal(pl_rate_judge(&r, &cy, &in, &out, &reason), PL_OK);
        if (out.has_gap)
            assert_int_equal(pl_field_format_number(&gap, out.gap), PL_OK);
        if (out.colour != c->colour || strcmp(gap.data, c->gap) != 0 ||
            strcmp(reason.data, c->reason) != 0)
            fail_msg("%s: got %s, gap '%s', %s", c->name, pl_colour_name(out.colour), gap.data,
                     reason.data);
        pl_buf_fini(&reason);
        pl_buf_fini(&gap);
        pl_rules_fini(&r);
    }
}

static void test_elapsed_share_counts_the_deadline_day(void **state)
{
    (void)state;
    static const struct {
        int sy, sm, sd, y, m, d;
        double share;
    } cases[] = {
        {2023, 1, 1, 2023, 6, 30, 49.6},                                   /* 181 / 365 */
        {2023, 7, 1, 2023, 12, 30, 99.7},                                  /* 364 / 365 */
        {2023, 7, 1, 2023, 12, 31, 100},  {2024, 1, 1, 2024, 6, 30, 49.7}, /* 182 / 366 */
        {2023, 7, 1, 2024, 1, 5, 100}, /* past the year's end: capped */
        {2023, 1, 1, 2023, 1, 1, 0.3},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double got =
            pl_rate_elapsed_share(pl_date_from_civil(cases[i].sy, cases[i].sm, cases[i].sd),
                                  pl_date_from_civil(cases[i].y, cases[i].m, cases[i].d));
        if (got != cases[i].share)
            fail_msg("case %zu: %g, not %g", i, got, cases[i].share);
    }
}

static void test_arrows_compare_progress_with_the_last_cycle(void **state)
{
    (void)state;
    assert_int_equal(pl_rate_arrow(true, true, 50, true, 60), PL_ARROW_UP);
    assert_int_equal(pl_rate_arrow(true, true, 49.9, true, 40), PL_ARROW_DOWN);
    assert_int_equal(pl_rate_arrow(true, true, 90, true, 90), PL_ARROW_SAME);
    assert_int_equal(pl_rate_arrow(true, true, 0.3, true, 0.1 + 0.2), PL_ARROW_SAME);
    assert_int_equal(pl_rate_arrow(false, false, 0, true, 50), PL_ARROW_NEW);
    assert_int_equal(pl_rate_arrow(true, false, 0, true, 50), PL_ARROW_NONE);
    assert_int_equal(pl_rate_arrow(true, true, 45, false, 0), PL_ARROW_NONE);
    assert_string_equal(pl_arrow_name(PL_ARROW_NEW), "new");
    assert_string_equal(pl_arrow_name(PL_ARROW_NONE), "");
    assert_string_equal(pl_colour_name(PL_COLOUR_YELLOW), "yellow");
    assert_string_equal(pl_colour_name(PL_COLOUR_COUNT), "");
    enum pl_colour c;
    assert_true(pl_colour_parse("red", &c) && c == PL_COLOUR_RED);
    assert_false(pl_colour_parse("green", &c));
}

/* A catalog with the two 2023 cycles (and a 2024 one), EXPECTED_H1 in cycles.csv. */
static void make_catalog(struct pl_catalog *c, const char *expected_h1)
{
    static const char *const rows[][5] = {
        {"2023H1", "2023-01-01", "2023-06-30", "2023-06-30", NULL},
        {"2023H2", "2023-07-01", "2023-12-31", "2023-12-30", "100"},
        {"2024H1", "2024-01-01", "2024-06-30", "2024-06-30", "50"},
    };
    pl_catalog_init(c);
    for (size_t i = 0; i < 3; i++) {
        struct pl_cycle *cy = pl_catalog_add_cycle(c);
        assert_non_null(cy);
        cy->id = strdup(rows[i][0]);
        cy->label = strdup("");
        cy->start = strdup(rows[i][1]);
        cy->end = strdup(rows[i][2]);
        cy->deadline = strdup(rows[i][3]);
        cy->expected = strdup(i == 0 ? expected_h1 : rows[i][4]);
    }
    assert_int_equal(pl_catalog_index(c, NULL, "catalog"), PL_OK);
}

static void test_expected_progress_comes_from_rules_then_catalog_then_elapsed_time(void **state)
{
    (void)state;
    struct pl_catalog c;
    struct pl_rules r;
    struct pl_rate_cycle cy;
    make_catalog(&c, "50");
    assert_int_equal(pl_rules_init(&r), PL_OK);
    assert_int_equal(pl_rate_cycle_setup(&cy, &c, "cat", "2023H1", &r, NULL), PL_OK);
    assert_true(cy.expected == 50);
    assert_true(cy.first);
    assert_int_equal(cy.deadline, pl_date_from_civil(2023, 6, 30));
    assert_int_equal(pl_rate_cycle_setup(&cy, &c, "cat", "2023H2", &r, NULL), PL_OK);
    assert_true(cy.expected == 100);
    assert_false(cy.first);
    assert_int_equal(pl_rate_cycle_setup(&cy, &c, "cat", "2024H1", &r, NULL), PL_OK);
    assert_true(cy.first); /* the first of its own year */
    r.expected_from = PL_EXPECTED_ELAPSED;
    assert_int_equal(pl_rate_cycle_setup(&cy, &c, "cat", "2023H1", &r, NULL), PL_OK);
    assert_true(cy.expected == 49.6);
    static const char text[] = "[expected]\n2023H1 = 45\n[progress]\nfirst_cycle = 2023H2\n";
    FILE *fp = fmemopen((void *)text, strlen(text), "r");
    assert_int_equal(pl_rules_read_stream(&r, fp, "r.ini", NULL), PL_OK);
    fclose(fp);
    assert_int_equal(pl_rate_cycle_setup(&cy, &c, "cat", "2023H1", &r, NULL), PL_OK);
    assert_true(cy.expected == 45);
    assert_false(cy.first);
    assert_int_equal(pl_rate_cycle_setup(&cy, &c, "cat", "2023H2", &r, NULL), PL_OK);
    assert_true(cy.first);
    pl_rules_fini(&r);
    pl_catalog_fini(&c);

    /* A blank catalog value falls back on the elapsed share. */
    make_catalog(&c, "");
    assert_int_equal(pl_rules_init(&r), PL_OK);
    assert_int_equal(pl_rate_cycle_setup(&cy, &c, "cat", "2023H1", &r, NULL), PL_OK);
    assert_true(cy.expected == 49.6);
    pl_rules_fini(&r);
    pl_catalog_fini(&c);
}

static void test_cycle_setup_refuses_unknown_cycles_and_bad_values(void **state)
{
    (void)state;
    struct pl_catalog c;
    struct pl_rules r;
    struct pl_rate_cycle cy;
    struct pl_buf diags;
    struct pl_diag d;
    pl_buf_init(&diags);
    pl_diag_init(&d, pl_diag_emit_buf, &diags);
    make_catalog(&c, "150");
    assert_int_equal(pl_rules_init(&r), PL_OK);
    assert_int_equal(pl_rate_cycle_setup(&cy, &c, "cat", "2023Q3", &r, &d), PL_ERR_CONFIG);
    assert_int_equal(pl_rate_cycle_setup(&cy, &c, "cat", "2023H1", &r, &d), PL_ERR_CONFIG);
    static const char text[] = "[progress]\nfirst_cycle = 2022H1\n";
    FILE *fp = fmemopen((void *)text, strlen(text), "r");
    assert_int_equal(pl_rules_read_stream(&r, fp, "r.ini", NULL), PL_OK);
    fclose(fp);
    assert_int_equal(pl_rate_cycle_setup(&cy, &c, "cat", "2023H2", &r, &d), PL_ERR_CONFIG);
    assert_string_equal(diags.data,
                        "cat/cycles.csv: 报送周期“2023Q3”不在cycles.csv中 [E_CYCLE_UNKNOWN]\n"
                        "cat/cycles.csv: 报送周期2023H1的序时进度“150”应为大于0且不超过100的数 "
                        "[E_CATALOG_CYCLE]\n"
                        "r.ini:2: [progress] first_cycle = 2022H1 不在cat/cycles.csv中 "
                        "[E_RULES_UNKNOWN_CYCLE]\n");
    pl_rules_fini(&r);
    pl_catalog_fini(&c);
    pl_buf_fini(&diags);
}

#define MERGED_HEADER                                                                              \
    "task_id,unit,group,owner,phone,progress,status,value,narrative,problems,next_steps,"          \
    "reported_on,late,missing,flags,source,line,indicators,notes"

static enum pl_status count_rated(void *ctx, const struct pl_rated_row *row)
{
    (void)row;
    ++*(int *)ctx;
    return PL_OK;
}

static void test_the_stream_keeps_rows_in_equal_to_rows_out_plus_rejected(void **state)
{
    (void)state;
    static const char in[] =
        MERGED_HEADER ",extra\n"
                      "9,县经开区,县直部门,,,50,序时推进,,,,,2023-06-30,0,0,,,,,,x\n"
                      "9,县科技局,,,,30,,,,,,2023-07-01,0,0,,,,,,y\n"
                      "10,县经开区,县直部门,,,,未报送,,,,,,0,1,,,,,,z\n"
                      "10,县科技局,县直部门,,,101,,,,,,,0,0,,,,,,w\n";
    struct pl_catalog c;
    make_catalog(&c, "50");
    struct pl_rules r;
    assert_int_equal(pl_rules_init(&r), PL_OK);
    struct pl_rate_cycle cy;
    assert_int_equal(pl_rate_cycle_setup(&cy, &c, "cat", "2023H1", &r, NULL), PL_OK);
    int rated = 0;
    struct pl_rate_options opt = {
        .rules = &r, .catalog = &c, .cycle = &cy, .on_rated = count_rated, .ctx = &rated};
    char *out = NULL, *rej = NULL;
    size_t out_len = 0, rej_len = 0;
    FILE *fin = fmemopen((void *)in, strlen(in), "r");
    FILE *fout = open_memstream(&out, &out_len), *frej = open_memstream(&rej, &rej_len);
    struct pl_csv_writer w, wr;
    pl_csv_writer_init(&w, fout, 0);
    pl_csv_writer_init(&wr, frej, 0);
    struct pl_rate_stats stats;
    assert_int_equal(pl_rate_stream(fin, "in", &w, &wr, &opt, NULL, &stats), PL_OK);
    fclose(fin);
    fclose(fout);
    fclose(frej);
    assert_int_equal(stats.rows, 4);
    assert_int_equal(stats.rated, 3);
    assert_int_equal(stats.rejected, 1);
    assert_int_equal(rated, 3);
    assert_int_equal(stats.colours[PL_COLOUR_RED], 2);
    assert_int_equal(stats.late, 1);
    assert_string_equal(out, MERGED_HEADER
                        ",expected,gap,colour,reason,prev_progress,arrow,extra\n"
                        "9,县经开区,县直部门,,,50,序时推进,,,,,2023-06-30,0,0,,,,,,50,0,"
                        "blue,达到序时进度,,,x\n"
                        "9,县科技局,,,,30,,,,,,2023-07-01,1,0,,,,,,50,20,red,"
                        "进度滞后20个百分点；逾期报送,,,y\n"
                        "10,县经开区,县直部门,,,,未报送,,,,,,0,1,,,,,,50,,red,未报送,,,z\n");
    assert_string_equal(rej, MERGED_HEADER
                        ",extra,code,column,error\n"
                        "10,县科技局,县直部门,,,101,,,,,,,0,0,,,,,,w,E_PROGRESS_RANGE,"
                        "progress,完成进度“101”超出0–100范围：请填写0–100之间的数字\n");
    free(out);
    free(rej);
    pl_rules_fini(&r);
    pl_catalog_fini(&c);
}

/* Issue 16 (7): ducha-merge sets late from any of a unit's rows for the task, so a pair whose
 * main row was on time but an indicator row came after the deadline is late; the rater keeps
 * that flag (and its −5) and only ever raises it from the main row's date. */
static void test_the_merged_late_flag_is_kept_though_the_main_row_was_on_time(void **state)
{
    (void)state;
    static const char in[] =
        MERGED_HEADER "\n"
                      "9,县经开区,县直部门,,,50,序时推进,,,,,2023-06-30,1,0,,,,,\n"
                      "10,县经开区,县直部门,,,50,序时推进,,,,,,1,0,,,,,\n";
    struct pl_catalog c;
    make_catalog(&c, "50");
    struct pl_rules r;
    assert_int_equal(pl_rules_init(&r), PL_OK);
    struct pl_rate_cycle cy;
    assert_int_equal(pl_rate_cycle_setup(&cy, &c, "cat", "2023H1", &r, NULL), PL_OK);
    struct pl_rate_options opt = {.rules = &r, .catalog = &c, .cycle = &cy};
    char *out = NULL;
    size_t out_len = 0;
    struct pl_buf diags;
    pl_buf_init(&diags);
    struct pl_diag d;
    pl_diag_init(&d, pl_diag_emit_buf, &diags);
    FILE *fin = fmemopen((void *)in, strlen(in), "r");
    FILE *fout = open_memstream(&out, &out_len);
    struct pl_csv_writer w;
    pl_csv_writer_init(&w, fout, 0);
    struct pl_rate_stats stats;
    assert_int_equal(pl_rate_stream(fin, "in", &w, NULL, &opt, &d, &stats), PL_OK);
    fclose(fin);
    fclose(fout);
    assert_int_equal(stats.late, 2);
    assert_string_equal(out, MERGED_HEADER
                        ",expected,gap,colour,reason,prev_progress,arrow\n"
                        "9,县经开区,县直部门,,,50,序时推进,,,,,2023-06-30,1,0,,,,,,50,0,"
                        "blue,达到序时进度；逾期报送,,\n"
                        "10,县经开区,县直部门,,,50,序时推进,,,,,,1,0,,,,,,50,0,"
                        "blue,达到序时进度；逾期报送,,\n");
    assert_true(diags.len == 0 || !strstr(diags.data, "W_LATE_RECOMPUTED"));
    free(out);
    pl_buf_fini(&diags);
    pl_rules_fini(&r);
    pl_catalog_fini(&c);
}

/* Issue 16 (3): the year's first cycle compares with last year's rated rows, whose task ids are
 * last year's: a task is found there by its previous_id only, and one without is new. */
static void test_last_years_rows_are_matched_through_previous_id(void **state)
{
    (void)state;
    static const char in[] = MERGED_HEADER "\n"
                                           "9,县经开区,,,,60,序时推进,,,,,,0,0,,,,,\n"
                                           "10,县经开区,,,,60,序时推进,,,,,,0,0,,,,,\n";
    static const char last[] = "task_id,unit,progress,missing\n"
                               "7,县经开区,40,0\n"
                               "9,县经开区,90,0\n"
                               "10,县经开区,30,0\n";
    struct pl_catalog c;
    make_catalog(&c, "50");
    static const char *const ids[][2] = {{"9", "7"}, {"10", NULL}};
    for (size_t i = 0; i < 2; i++) {
        struct pl_task *t = pl_catalog_add_task(&c);
        assert_non_null(t);
        t->id = strdup(ids[i][0]);
        t->previous_id = ids[i][1] ? strdup(ids[i][1]) : NULL;
    }
    assert_int_equal(pl_catalog_index(&c, NULL, "catalog"), PL_OK);
    struct pl_rules r;
    assert_int_equal(pl_rules_init(&r), PL_OK);
    struct pl_rate_cycle cy;
    assert_int_equal(pl_rate_cycle_setup(&cy, &c, "cat", "2024H1", &r, NULL), PL_OK);
    FILE *fl = fmemopen((void *)last, strlen(last), "r");
    struct pl_table prev;
    assert_int_equal(pl_table_read_stream(fl, "last", &prev, NULL), PL_OK);
    fclose(fl);
    for (int year = 0; year < 2; year++) {
        struct pl_rate_options opt = {
            .rules = &r, .catalog = &c, .cycle = &cy, .previous = &prev, .previous_year = year};
        char *out = NULL;
        size_t out_len = 0;
        FILE *fin = fmemopen((void *)in, strlen(in), "r");
        FILE *fout = open_memstream(&out, &out_len);
        struct pl_csv_writer w;
        pl_csv_writer_init(&w, fout, 0);
        struct pl_rate_stats stats;
        assert_int_equal(pl_rate_stream(fin, "in", &w, NULL, &opt, NULL, &stats), PL_OK);
        fclose(fin);
        fclose(fout);
        if (year) {
            assert_non_null(strstr(out, "\n9,县经开区,,,,60,序时推进,,,,,,0,0,,,,,,50,-10,blue,"
                                        "超序时进度10个百分点,40,up\n"));
            assert_non_null(strstr(out, "\n10,县经开区,,,,60,序时推进,,,,,,0,0,,,,,,50,-10,blue,"
                                        "超序时进度10个百分点,,new\n"));
        } else {
            assert_non_null(strstr(out, ",90,down\n"));
            assert_non_null(strstr(out, ",30,up\n"));
        }
        free(out);
    }
    pl_table_free(&prev);
    pl_rules_fini(&r);
    pl_catalog_fini(&c);
}

/* The year's first cycle by dates, not by rows: a week in July listed first is not it. */
static void test_the_first_cycle_of_a_year_is_the_earliest_by_dates(void **state)
{
    (void)state;
    struct pl_catalog c;
    pl_catalog_init(&c);
    static const char *const rows[][4] = {
        {"2023W27", "2023-07-03", "2023-07-09", "2023-07-10"},
        {"2023Q1", "2023-01-01", "2023-03-31", "2023-04-05"},
        {"2023H1", "2023-01-01", "2023-06-30", "2023-06-30"},
    };
    for (size_t i = 0; i < 3; i++) {
        struct pl_cycle *y = pl_catalog_add_cycle(&c);
        assert_non_null(y);
        y->id = strdup(rows[i][0]);
        y->start = strdup(rows[i][1]);
        y->end = strdup(rows[i][2]);
        y->deadline = strdup(rows[i][3]);
        y->expected = strdup("");
    }
    assert_int_equal(pl_catalog_index(&c, NULL, "catalog"), PL_OK);
    struct pl_rules r;
    assert_int_equal(pl_rules_init(&r), PL_OK);
    struct pl_rate_cycle cy;
    assert_int_equal(pl_rate_cycle_setup(&cy, &c, "cat", "2023W27", &r, NULL), PL_OK);
    assert_false(cy.first);
    assert_int_equal(pl_rate_cycle_setup(&cy, &c, "cat", "2023Q1", &r, NULL), PL_OK);
    assert_true(cy.first);
    assert_true(cy.expected == 26); /* blank: 95 of 365 days at 2023-04-05 */
    assert_int_equal(pl_rate_cycle_setup(&cy, &c, "cat", "2023H1", &r, NULL), PL_OK);
    assert_true(cy.first);
    pl_rules_fini(&r);
    pl_catalog_fini(&c);
}

static void test_a_stream_without_the_merged_columns_is_refused(void **state)
{
    (void)state;
    static const char in[] = "task_id,unit,progress\n9,县经开区,50\n";
    struct pl_catalog c;
    make_catalog(&c, "50");
    struct pl_rules r;
    assert_int_equal(pl_rules_init(&r), PL_OK);
    struct pl_rate_cycle cy;
    assert_int_equal(pl_rate_cycle_setup(&cy, &c, "cat", "2023H1", &r, NULL), PL_OK);
    struct pl_rate_options opt = {.rules = &r, .catalog = &c, .cycle = &cy};
    char *out = NULL;
    size_t out_len = 0;
    FILE *fin = fmemopen((void *)in, strlen(in), "r");
    FILE *fout = open_memstream(&out, &out_len);
    struct pl_csv_writer w;
    pl_csv_writer_init(&w, fout, 0);
    struct pl_rate_stats stats;
    assert_int_equal(pl_rate_stream(fin, "in", &w, NULL, &opt, NULL, &stats), PL_ERR_DATA);
    fclose(fin);
    fclose(fout);
    assert_string_equal(out, "");
    free(out);
    pl_rules_fini(&r);
    pl_catalog_fini(&c);
}

static void judge_one(const char *tweak, struct pl_rate_input in, double expected,
                      enum pl_colour colour, const char *reason)
{
    struct pl_rules r;
    assert_int_equal(pl_rules_init(&r), PL_OK);
    if (tweak) {
        FILE *fp = fmemopen((void *)tweak, strlen(tweak), "r");
        assert_int_equal(pl_rules_read_stream(&r, fp, "t.ini", NULL), PL_OK);
        fclose(fp);
    }
    struct pl_rate_cycle cy = {.id = "C", .expected = expected, .first = true};
    struct pl_rating out;
    struct pl_buf why;
    pl_buf_init(&why);
    assert_int_equal(pl_rate_judge(&r, &cy, &in, &out, &why), PL_OK);
    assert_string_equal(why.data, reason);
    assert_int_equal(out.colour, colour);
    pl_buf_fini(&why);
    pl_rules_fini(&r);
}

static void test_a_return_sent_back_is_red_with_its_own_reason(void **state)
{
    (void)state;
    judge_one(NULL, (struct pl_rate_input){.returned = true}, 50, PL_COLOUR_RED,
              "报送内容有误，已退回修改");
    /* Not 未报送: the unit did send something. */
    judge_one(NULL, (struct pl_rate_input){.missing = true}, 50, PL_COLOUR_RED, "未报送");
    /* The rules may judge it by its gap instead (progress 0, 10 behind: yellow). */
    judge_one("[colour]\nreturned_red = no\n", (struct pl_rate_input){.returned = true}, 10,
              PL_COLOUR_YELLOW, "报送内容有误，已退回修改");
}

static void test_a_return_without_progress_is_red_not_refused(void **state)
{
    (void)state;
    judge_one(NULL, (struct pl_rate_input){.no_progress = true}, 50, PL_COLOUR_RED,
              "仅报送指标完成值，无法计算进度");
    judge_one("[colour]\nno_progress_red = no\n", (struct pl_rate_input){.no_progress = true}, 10,
              PL_COLOUR_YELLOW, "仅报送指标完成值，无法计算进度");
    /* A progress that is there is judged as ever. */
    judge_one(NULL, (struct pl_rate_input){.progress = 50}, 50, PL_COLOUR_BLUE, "达到序时进度");
}

static void test_a_due_date_only_brings_a_task_forward(void **state)
{
    (void)state;
    struct pl_rate_cycle cy = {"2023H1", 50, true, pl_date_from_civil(2023, 6, 30)};
    assert_true(pl_rate_task_expected(&cy, pl_date_from_civil(2023, 8, 31)) == 74.5);
    assert_true(pl_rate_task_expected(&cy, pl_date_from_civil(2023, 12, 31)) == 50);
    assert_true(pl_rate_task_expected(&cy, pl_date_from_civil(2024, 6, 30)) == 50);
}

/* Regression: ducha-rate read the due date from tasks.csv as a bare table, so a tasks.csv
 * whose column is headed 截止日期 (accepted by the catalog) lost it silently. The catalog's
 * own due date is the one that counts, with no tasks table given. */
static void test_the_catalog_due_date_counts_without_a_tasks_table(void **state)
{
    (void)state;
    static const char in[] =
        MERGED_HEADER "\n"
                      "M4-1,县经开区,县直部门,,,60,序时推进,,,,,2023-06-30,0,0,,,,,\n"
                      "9,县经开区,县直部门,,,60,序时推进,,,,,2023-06-30,0,0,,,,,\n";
    struct pl_catalog c;
    make_catalog(&c, "50");
    const char *ids[] = {"M4-1", "9"};
    for (int i = 0; i < 2; i++) {
        struct pl_task *t = pl_catalog_add_task(&c);
        assert_non_null(t);
        t->id = strdup(ids[i]);
        t->title = strdup("");
        t->text = strdup("");
        t->due = strdup(i == 0 ? "2023-08-31" : "");
    }
    assert_int_equal(pl_catalog_index(&c, NULL, "catalog"), PL_OK);
    struct pl_rules r;
    assert_int_equal(pl_rules_init(&r), PL_OK);
    struct pl_rate_cycle cy;
    assert_int_equal(pl_rate_cycle_setup(&cy, &c, "cat", "2023H1", &r, NULL), PL_OK);
    struct pl_rate_options opt = {.rules = &r, .catalog = &c, .cycle = &cy};
    char *out = NULL;
    size_t out_len = 0;
    FILE *fin = fmemopen((void *)in, strlen(in), "r");
    FILE *fout = open_memstream(&out, &out_len);
    struct pl_csv_writer w;
    pl_csv_writer_init(&w, fout, 0);
    struct pl_rate_stats stats;
    assert_int_equal(pl_rate_stream(fin, "in", &w, NULL, &opt, NULL, &stats), PL_OK);
    fclose(fin);
    fclose(fout);
    assert_non_null(
        strstr(out, "\nM4-1,县经开区,县直部门,,,60,序时推进,,,,,2023-06-30,0,0,,,,,,74.5,14.5,"
                    "yellow,"));
    assert_non_null(strstr(out,
                           "\n9,县经开区,县直部门,,,60,序时推进,,,,,2023-06-30,0,0,,,,,,50,-10,"
                           "blue,"));
    free(out);
    pl_rules_fini(&r);
    pl_catalog_fini(&c);
}

static void test_a_due_date_sets_the_elapsed_share_to_it(void **state)
{
    (void)state;
    struct pl_rate_cycle cy = {
        .id = "2023H1", .expected = 50, .deadline = pl_date_from_civil(2023, 6, 30)};
    /* Due 8月31日: 181 of 243 days gone on 6月30日. */
    assert_true(pl_rate_due_expected(&cy, pl_date_from_civil(2023, 8, 31)) == 74.5);
    /* Due by the deadline or before: the whole of it. */
    assert_true(pl_rate_due_expected(&cy, pl_date_from_civil(2023, 6, 30)) == 100);
    assert_true(pl_rate_due_expected(&cy, pl_date_from_civil(2023, 3, 31)) == 100);
    /* Due at the year's end: less than the flat half. */
    assert_true(pl_rate_due_expected(&cy, pl_date_from_civil(2023, 12, 31)) == 49.6);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_return_sent_back_is_red_with_its_own_reason),
        cmocka_unit_test(test_a_return_without_progress_is_red_not_refused),
        cmocka_unit_test(test_a_due_date_sets_the_elapsed_share_to_it),
        cmocka_unit_test(test_a_due_date_only_brings_a_task_forward),
        cmocka_unit_test(test_the_catalog_due_date_counts_without_a_tasks_table),
        cmocka_unit_test(test_each_row_gets_the_colour_gap_and_reason_of_the_rules),
        cmocka_unit_test(test_elapsed_share_counts_the_deadline_day),
        cmocka_unit_test(test_arrows_compare_progress_with_the_last_cycle),
        cmocka_unit_test(test_expected_progress_comes_from_rules_then_catalog_then_elapsed_time),
        cmocka_unit_test(test_cycle_setup_refuses_unknown_cycles_and_bad_values),
        cmocka_unit_test(test_the_stream_keeps_rows_in_equal_to_rows_out_plus_rejected),
        cmocka_unit_test(test_the_merged_late_flag_is_kept_though_the_main_row_was_on_time),
        cmocka_unit_test(test_last_years_rows_are_matched_through_previous_id),
        cmocka_unit_test(test_the_first_cycle_of_a_year_is_the_earliest_by_dates),
        cmocka_unit_test(test_a_stream_without_the_merged_columns_is_refused),
    };
    return cmocka_run_group_tests_name("rate", tests, NULL, NULL);
}
