/* Unit tests for the rank module: scores, printed values, dense and competition ranks, moves. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rank.h"

static void rules_from(struct pl_rules *r, const char *text)
{
    assert_int_equal(pl_rules_init(r), PL_OK);
    if (text) {
        FILE *fp = fmemopen((void *)text, strlen(text), "r");
        assert_int_equal(pl_rules_read_stream(r, fp, "r.ini", NULL), PL_OK);
        fclose(fp);
    }
}

static void test_scores_follow_the_formula_of_the_rules(void **state)
{
    (void)state;
    static const struct {
        const char *rules;
        unsigned long tasks, yellow, red, missing, late;
        double earned;
        const char *score;
    } cases[] = {
        {NULL, 3, 1, 0, 0, 0, 2.81, "93.7"}, /* (1 + 0.81 + 1) / 3 */
        {NULL, 2, 1, 1, 1, 0, 0.9, "35.0"},  /* 90 / 2 - 10 */
        {NULL, 1, 0, 0, 0, 1, 1, "95.0"},    /* 100 - 5 */
        {NULL, 1, 0, 1, 1, 0, 0, "-10.0"},   /* missing only */
        {NULL, 0, 0, 0, 0, 0, 0, "0.0"},     /* no rows */
        {"[score]\nfull_marks = 10\nlate_deduction = 0\nmissing_deduction = 2\n"
         "yellow_deduction = 0.5\nred_deduction = 1\n",
         2, 0, 2, 1, 0, 0.6, "-1.0"}, /* 3 - 2 - 2 */
        {"[score]\nyellow_deduction = 0.5\n", 3, 1, 0, 0, 0, 2.81, "93.2"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct pl_rules r;
        rules_from(&r, cases[i].rules);
        struct pl_rank_unit u = {.tasks = cases[i].tasks,
                                 .missing = cases[i].missing,
                                 .late = cases[i].late,
                                 .earned = cases[i].earned};
        u.count[PL_COLOUR_YELLOW] = cases[i].yellow;
        u.count[PL_COLOUR_RED] = cases[i].red;
        char got[32];
        pl_rank_format_score(pl_rank_score(&r, &u), got, sizeof got);
        if (strcmp(got, cases[i].score) != 0)
            fail_msg("case %zu: %s, not %s", i, got, cases[i].score);
        pl_rules_fini(&r);
    }
}

static void test_scores_print_with_one_decimal_and_never_minus_zero(void **state)
{
    (void)state;
    static const struct {
        double v;
        const char *s;
    } cases[] = {
        {87.333333, "87.3"}, {93.26, "93.3"}, {93.25, "93.3"}, {85.25, "85.3"}, {-2.25, "-2.3"}, {-0.04, "0.0"},
        {-0.05, "-0.1"},     {100, "100.0"},  {-10, "-10.0"},  {0, "0.0"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char got[32];
        pl_rank_format_score(cases[i].v, got, sizeof got);
        if (strcmp(got, cases[i].s) != 0)
            fail_msg("%g: %s, not %s", cases[i].v, got, cases[i].s);
    }
}

/* A ranking of units given as "unit group earned" with one row each. */
static void add_units(struct pl_ranking *g, const char *const *units, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        char unit[64], group[64];
        double earned;
        assert_int_equal(sscanf(units[i], "%63s %63s %lf", unit, group, &earned), 3);
        if (g->n == g->cap) {
            g->cap = g->cap ? g->cap * 2 : 8;
            g->units = realloc(g->units, g->cap * sizeof *g->units);
            assert_non_null(g->units);
        }
        struct pl_rank_unit *u = &g->units[g->n];
        memset(u, 0, sizeof *u);
        u->unit = strdup(unit);
        u->group = strdup(group);
        u->order = g->n++;
        u->tasks = 1;
        u->earned = earned;
    }
}

static void ranks_of(const struct pl_ranking *g, char *out, size_t size)
{
    out[0] = '\0';
    for (size_t i = 0; i < g->n; i++) {
        size_t len = strlen(out);
        snprintf(out + len, size - len, "%s%s=%lu", i ? " " : "", g->units[i].unit,
                 g->units[i].rank);
    }
}

static void test_ties_share_a_rank_densely_or_by_competition(void **state)
{
    (void)state;
    static const char *const units[] = {
        "甲局 县直部门 0.95",   "乙镇 镇街和功能区 0.4",        "丙局 县直部门 0.5",
        "丁局 县直部门 0.5",    "戊局 县直部门 0.05",   "己镇 镇街和功能区 0.4",
        "庚局 县直部门 0.9334", "辛局 县直部门 0.9326", /* prints 93.3 like 庚局: a tie on the
                                                           printed value */
    };
    static const struct {
        const char *rules;
        const char *ranks;
    } cases[] = {
        {NULL, "乙镇=1 己镇=1 甲局=1 庚局=2 辛局=2 丙局=3 丁局=3 戊局=4"},
        {"[rank]\nmethod = competition\n",
         "乙镇=1 己镇=1 甲局=1 庚局=2 辛局=2 丙局=4 丁局=4 戊局=6"},
        {"[rank]\ngroup_order = 县直部门|镇街和功能区\n",
         "甲局=1 庚局=2 辛局=2 丙局=3 丁局=3 戊局=4 乙镇=1 己镇=1"},
        {"[rank]\ngroup_order =\n", "甲局=1 庚局=2 辛局=2 丙局=3 丁局=3 戊局=4 乙镇=1 己镇=1"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct pl_rules r;
        rules_from(&r, cases[i].rules);
        struct pl_ranking g;
        pl_ranking_init(&g);
        add_units(&g, units, sizeof units / sizeof units[0]);
        assert_int_equal(pl_rank_assign(&g, &r), PL_OK);
        char got[512];
        ranks_of(&g, got, sizeof got);
        if (strcmp(got, cases[i].ranks) != 0)
            fail_msg("case %zu: %s", i, got);
        pl_ranking_fini(&g);
        pl_rules_fini(&r);
    }
}

static void test_moves_read_as_places_gained_or_lost(void **state)
{
    (void)state;
    static const struct {
        bool have_previous, has_prev;
        unsigned long prev, rank;
        const char *move;
    } cases[] = {
        {true, true, 3, 1, "↑2"},  {true, true, 2, 3, "↓1"}, {true, true, 4, 4, "—"},
        {true, false, 0, 6, "新"}, {false, false, 0, 1, ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct pl_rank_unit u = {
            .rank = cases[i].rank, .has_prev = cases[i].has_prev, .prev_rank = cases[i].prev};
        struct pl_buf b;
        pl_buf_init(&b);
        assert_int_equal(pl_rank_move(cases[i].have_previous, &u, &b), PL_OK);
        assert_string_equal(b.data, cases[i].move);
        pl_buf_fini(&b);
    }
}

static void test_rated_rows_are_counted_per_unit_and_bad_rows_left_out(void **state)
{
    (void)state;
    static const char in[] =
        "\xEF\xBB\xBFtask_id,unit,group,progress,expected,colour,missing,late\n"
        "9,县经开区,县直部门,100,100,blue,0,0\n"
        "11,县经开区,县直部门,81,100,yellow,0,0\n"
        "60,嘉祥街道,镇街,,100,red,1,0\n"
        "60,县大数据中心,县直部门,95,100,yellow,0,1\n"
        "61,纸坊镇,镇街,40,100,purple,0,0\n";
    struct pl_ranking g;
    pl_ranking_init(&g);
    struct pl_rank_stats stats;
    struct pl_buf diags;
    struct pl_diag d;
    pl_buf_init(&diags);
    pl_diag_init(&d, pl_diag_emit_buf, &diags);
    FILE *fp = fmemopen((void *)in, strlen(in), "r");
    assert_int_equal(pl_rank_read(fp, "in", &g, &d, &stats), PL_OK);
    fclose(fp);
    assert_int_equal(stats.rows, 5);
    assert_int_equal(stats.counted, 4);
    assert_int_equal(stats.rejected, 1);
    assert_string_equal(diags.data,
                        "in:6: colour列的“purple”无法读取，这一行不计入排名 [E_BAD_RATED_ROW]\n");
    assert_int_equal(g.n, 3);
    assert_string_equal(g.units[0].unit, "县经开区");
    assert_int_equal(g.units[0].tasks, 2);
    assert_true(g.units[0].earned > 1.80999 && g.units[0].earned < 1.81001);
    assert_int_equal(g.units[1].missing, 1);
    assert_int_equal(g.units[1].count[PL_COLOUR_RED], 1);
    assert_int_equal(g.units[2].late, 1);

    struct pl_rules r;
    rules_from(&r, NULL);
    assert_int_equal(pl_rank_assign(&g, &r), PL_OK);
    char *out = NULL;
    size_t len = 0;
    FILE *fo = open_memstream(&out, &len);
    struct pl_csv_writer w;
    pl_csv_writer_init(&w, fo, 0);
    assert_int_equal(pl_rank_write(&g, &w), PL_OK);
    fclose(fo);
    assert_string_equal(out,
                        "unit,group,tasks,blue,yellow,red,missing,returned,late,score,rank,"
                        "prev_rank,move\n"
                        "县经开区,县直部门,2,1,1,0,0,0,0,90.5,1,,\n"
                        "县大数据中心,县直部门,1,0,1,0,0,0,1,90.0,2,,\n"
                        "嘉祥街道,镇街,1,0,0,1,1,0,0,-10.0,1,,\n");
    free(out);
    pl_rules_fini(&r);
    pl_ranking_fini(&g);
    pl_buf_fini(&diags);
}

static void test_a_stream_without_the_rated_columns_is_refused(void **state)
{
    (void)state;
    static const char in[] = "unit,progress\n县经开区,50\n";
    struct pl_ranking g;
    pl_ranking_init(&g);
    struct pl_rank_stats stats;
    FILE *fp = fmemopen((void *)in, strlen(in), "r");
    assert_int_equal(pl_rank_read(fp, "in", &g, NULL, &stats), PL_ERR_DATA);
    fclose(fp);
    pl_ranking_fini(&g);
}

/* Ranks of IN's units under RULES (NULL: defaults) as written, without the header. */
static char *rank_text(const char *in, const char *rules, struct pl_rank_stats *stats)
{
    struct pl_ranking g;
    pl_ranking_init(&g);
    FILE *fp = fmemopen((void *)in, strlen(in), "r");
    assert_int_equal(pl_rank_read(fp, "in", &g, NULL, stats), PL_OK);
    fclose(fp);
    struct pl_rules r;
    rules_from(&r, rules);
    assert_int_equal(pl_rank_assign(&g, &r), PL_OK);
    char *out = NULL;
    size_t len = 0;
    FILE *fo = open_memstream(&out, &len);
    struct pl_csv_writer w;
    pl_csv_writer_init(&w, fo, 0);
    assert_int_equal(pl_rank_write(&g, &w), PL_OK);
    fclose(fo);
    pl_rules_fini(&r);
    pl_ranking_fini(&g);
    char *body = strdup(strchr(out, '\n') + 1);
    free(out);
    return body;
}

static const char grouped[] = "task_id,unit,group,progress,expected,colour,missing,late,flags\n"
                              "1,县法院,法院检察院,,50,red,1,0,\n"
                              "1,县财政局,县直部门,50,50,blue,0,0,\n"
                              "2,县税务局,垂直管理单位,50,50,blue,0,0,\n"
                              "2,纸坊镇,镇街和功能区,25,50,red,0,0,\n"
                              "3,县统计局,县直部门,,50,red,2,0,\n"
                              "78,县经开区,镇街和功能区,10,50,red,0,0,W_NOT_DEMANDED\n"
                              "79,县经开区,镇街和功能区,50,50,blue,0,0,W_RESUBMITTED\n";

static void test_units_the_county_does_not_direct_are_listed_without_a_rank(void **state)
{
    (void)state;
    struct pl_rank_stats st;
    char *out = rank_text(grouped, NULL, &st);
    assert_string_equal(out, "县经开区,镇街和功能区,1,1,0,0,0,0,0,100.0,1,,\n"
                             "纸坊镇,镇街和功能区,1,0,0,1,0,0,0,50.0,2,,\n"
                             "县财政局,县直部门,1,1,0,0,0,0,0,100.0,1,,\n"
                             "县统计局,县直部门,1,0,0,1,0,1,0,-10.0,2,,\n"
                             "县法院,法院检察院,1,0,0,1,1,0,0,-10.0,,,\n"
                             "县税务局,垂直管理单位,1,1,0,0,0,0,0,100.0,,,\n");
    free(out);
    /* [rank] unranked emptied: each group ranks its own. */
    out = rank_text(grouped, "[rank]\nunranked =\n", &st);
    assert_non_null(strstr(out, "县法院,法院检察院,1,0,0,1,1,0,0,-10.0,1,,\n"));
    assert_non_null(strstr(out, "县税务局,垂直管理单位,1,1,0,0,0,0,0,100.0,1,,\n"));
    free(out);
}

static void test_a_return_sent_back_is_counted_apart_and_deducted_by_the_rules(void **state)
{
    (void)state;
    struct pl_rank_stats st;
    char *out = rank_text(grouped, "[score]\nreturned_deduction = 3\n", &st);
    /* 县统计局: missing 0, returned 1, 0 - 3. */
    assert_non_null(strstr(out, "县统计局,县直部门,1,0,0,1,0,1,0,-3.0,2,,\n"));
    /* 县法院 is 未报送: missing 1, returned 0, 0 - 10. */
    assert_non_null(strstr(out, "县法院,法院检察院,1,0,0,1,1,0,0,-10.0,,,\n"));
    free(out);
}

static void test_rows_nobody_owes_are_not_scored(void **state)
{
    (void)state;
    struct pl_rank_stats st;
    char *out = rank_text(grouped, NULL, &st);
    /* 县经开区's 78 (W_NOT_DEMANDED, red) is left out: one task, blue. */
    assert_non_null(strstr(out, "县经开区,镇街和功能区,1,1,0,0,0,0,0,100.0,1,,\n"));
    assert_int_equal(st.not_demanded, 1);
    assert_int_equal(st.counted, 6);
    free(out);
}

/* Regression: ranks of a cycle before the towns' group was renamed (镇街 → 镇街和功能区)
 * made every town 新 the next cycle, as if it had not been ranked. */
static void test_a_town_ranked_in_the_old_group_name_keeps_its_move(void **state)
{
    (void)state;
    struct pl_ranking g;
    pl_ranking_init(&g);
    static const char in[] = "task_id,unit,group,progress,expected,colour,missing,late\n"
                             "1,纸坊镇,镇街和功能区,50,50,blue,0,0\n"
                             "1,嘉祥街道,镇街和功能区,40,50,yellow,0,0\n"
                             "1,县经开区,镇街和功能区,10,50,red,0,0\n";
    static const char prev[] = "unit,group,rank\n"
                               "嘉祥街道,镇街,1\n"
                               "纸坊镇,镇街,2\n"
                               "县经开区,县直部门,3\n";
    struct pl_rank_stats st;
    FILE *fp = fmemopen((void *)in, strlen(in), "r");
    assert_int_equal(pl_rank_read(fp, "in", &g, NULL, &st), PL_OK);
    fclose(fp);
    struct pl_rules r;
    rules_from(&r, NULL);
    assert_int_equal(pl_rank_assign(&g, &r), PL_OK);
    struct pl_table t = {0};
    fp = fmemopen((void *)prev, strlen(prev), "r");
    assert_int_equal(pl_table_read_stream(fp, "prev", &t, NULL), PL_OK);
    fclose(fp);
    assert_int_equal(pl_rank_apply_previous(&g, &t), PL_OK);
    struct pl_buf move;
    pl_buf_init(&move);
    const char *want[] = {"↑1", "↓1", "新"}; /* 纸坊镇, 嘉祥街道, 县经开区 (another group then) */
    for (size_t i = 0; i < 3; i++) {
        pl_buf_clear(&move);
        assert_int_equal(pl_rank_move(true, &g.units[i], &move), PL_OK);
        assert_string_equal(move.data ? move.data : "", want[i]);
    }
    pl_buf_fini(&move);
    pl_table_free(&t);
    pl_rules_fini(&r);
    pl_ranking_fini(&g);
}

/* A unit's rows anywhere in the stream add up to one unit; a unit listed twice last cycle,
 * in another group first, takes its rank in its own group (the previous rows are looked up
 * by name, each name's rows in file order). */
static void test_a_units_rows_and_previous_ranks_are_found_wherever_they_stand(void **state)
{
    (void)state;
    struct pl_ranking g;
    pl_ranking_init(&g);
    static const char in[] = "task_id,unit,group,progress,expected,colour,missing,late\n"
                             "1,纸坊镇,镇街和功能区,50,50,blue,0,0\n"
                             "1,嘉祥街道,镇街和功能区,25,50,red,0,0\n"
                             "2,纸坊镇,镇街和功能区,25,50,red,0,0\n"
                             "2,嘉祥街道,镇街和功能区,25,50,red,0,0\n";
    static const char prev[] = "unit,group,rank\n"
                               "纸坊镇,县直部门,9\n"
                               "嘉祥街道,镇街和功能区,1\n"
                               "纸坊镇,镇街和功能区,2\n";
    struct pl_rank_stats st;
    FILE *fp = fmemopen((void *)in, strlen(in), "r");
    assert_int_equal(pl_rank_read(fp, "in", &g, NULL, &st), PL_OK);
    fclose(fp);
    assert_int_equal(g.n, 2);
    assert_int_equal(g.units[0].tasks, 2);
    assert_int_equal(g.units[1].tasks, 2);
    struct pl_rules r;
    rules_from(&r, NULL);
    assert_int_equal(pl_rank_assign(&g, &r), PL_OK);
    struct pl_table t = {0};
    fp = fmemopen((void *)prev, strlen(prev), "r");
    assert_int_equal(pl_table_read_stream(fp, "prev", &t, NULL), PL_OK);
    fclose(fp);
    assert_int_equal(pl_rank_apply_previous(&g, &t), PL_OK);
    assert_string_equal(g.units[0].unit, "纸坊镇");
    assert_true(g.units[0].has_prev);
    assert_int_equal(g.units[0].prev_rank, 2);
    assert_string_equal(g.units[1].unit, "嘉祥街道");
    assert_int_equal(g.units[1].prev_rank, 1);
    pl_table_free(&t);
    pl_rules_fini(&r);
    pl_ranking_fini(&g);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_town_ranked_in_the_old_group_name_keeps_its_move),
        cmocka_unit_test(test_a_units_rows_and_previous_ranks_are_found_wherever_they_stand),
        cmocka_unit_test(test_units_the_county_does_not_direct_are_listed_without_a_rank),
        cmocka_unit_test(test_a_return_sent_back_is_counted_apart_and_deducted_by_the_rules),
        cmocka_unit_test(test_rows_nobody_owes_are_not_scored),
        cmocka_unit_test(test_scores_follow_the_formula_of_the_rules),
        cmocka_unit_test(test_scores_print_with_one_decimal_and_never_minus_zero),
        cmocka_unit_test(test_ties_share_a_rank_densely_or_by_competition),
        cmocka_unit_test(test_moves_read_as_places_gained_or_lost),
        cmocka_unit_test(test_rated_rows_are_counted_per_unit_and_bad_rows_left_out),
        cmocka_unit_test(test_a_stream_without_the_rated_columns_is_refused),
    };
    return cmocka_run_group_tests_name("rank", tests, NULL, NULL);
}
