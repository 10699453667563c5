/* Unit tests for the annual module: the year's assessment from its cycles, its ranks, and the
 * inputs and outputs of ducha-annual. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "annual.h"

/* Two half-years. H1 (expected 50): A has a task on time and one 未报送; B is half way and
 * late; C (not directed by the county) and D are on time. H2 (expected 100): A 100 and 80;
 * B done but late again; C done; D has nothing demanded. */
static const char h1[] = "task_id,unit,group,progress,expected,colour,missing,late,flags\n"
                         "1,A,县直部门,50,50,blue,0,0,\n"
                         "2,A,县直部门,,50,red,1,0,\n"
                         "1,B,县直部门,25,50,yellow,0,1,\n"
                         "3,C,垂直管理单位,50,50,blue,0,0,\n"
                         "3,D,县直部门,50,50,blue,0,0,\n";
static const char h2[] = "task_id,unit,group,progress,expected,colour,missing,late,flags\n"
                         "1,A,县直部门,100,100,blue,0,0,\n"
                         "2,A,县直部门,80,100,yellow,0,0,\n"
                         "1,B,县直部门,100,100,blue,0,1,\n"
                         "3,C,垂直管理单位,100,100,blue,0,0,\n";

static void rules_from(struct pl_rules *r, const char *text)
{
    assert_int_equal(pl_rules_init(r), PL_OK);
    if (text) {
        FILE *fp = fmemopen((void *)text, strlen(text), "r");
        assert_int_equal(pl_rules_read_stream(r, fp, "r.ini", NULL), PL_OK);
        fclose(fp);
    }
}

static void read_cycle(const char *text, struct pl_ranking *g, const struct pl_rules *r)
{
    pl_ranking_init(g);
    FILE *fp = fmemopen((void *)text, strlen(text), "r");
    struct pl_rank_stats stats;
    assert_int_equal(pl_rank_read(fp, "rated", g, NULL, &stats), PL_OK);
    fclose(fp);
    assert_int_equal(stats.rejected, 0);
    assert_int_equal(pl_rank_assign(g, r), PL_OK);
}

static const struct pl_rank_unit *unit(const struct pl_ranking *g, const char *name)
{
    for (size_t i = 0; i < g->n; i++)
        if (strcmp(g->units[i].unit, name) == 0)
            return &g->units[i];
    fail_msg("no unit %s", name);
    return NULL;
}

/* Assesses H1 and H2 under RULES into YEAR. */
static void assess(const char *rules, struct pl_ranking *year)
{
    struct pl_rules r;
    rules_from(&r, rules);
    struct pl_ranking c[2];
    read_cycle(h1, &c[0], &r);
    read_cycle(h2, &c[1], &r);
    pl_ranking_init(year);
    assert_int_equal(pl_annual_assess(c, 2, &r, year), PL_OK);
    pl_ranking_fini(&c[0]);
    pl_ranking_fini(&c[1]);
    pl_rules_fini(&r);
}

static void test_standing_is_the_score_before_late_and_missing_deductions(void **state)
{
    (void)state;
    struct pl_rules r;
    rules_from(&r, NULL);
    struct pl_ranking g;
    read_cycle(h1, &g, &r);
    assert_string_equal(unit(&g, "A")->score, "40.0"); /* 50 - 10 */
    assert_true(pl_annual_standing(&r, unit(&g, "A")) == 50);
    assert_string_equal(unit(&g, "B")->score, "45.0"); /* 50 - 5 */
    assert_true(pl_annual_standing(&r, unit(&g, "B")) == 50);
    pl_ranking_fini(&g);
    pl_rules_fini(&r);
}

static void
test_default_is_the_last_score_less_every_late_or_missing_return_of_the_year(void **state)
{
    (void)state;
    struct pl_ranking y;
    assess(NULL, &y);
    assert_string_equal(unit(&y, "A")->score, "80.0"); /* H2 90, less H1's 未报送 10 */
    assert_string_equal(unit(&y, "B")->score, "90.0"); /* H2 95, less H1's late 5 */
    assert_string_equal(unit(&y, "C")->score, "100.0");
    /* D had nothing demanded in H2: assessed on the cycle it has. */
    assert_string_equal(unit(&y, "D")->score, "100.0");
    /* Counts are the year's. */
    assert_int_equal(unit(&y, "A")->tasks, 4);
    assert_int_equal(unit(&y, "A")->missing, 1);
    assert_int_equal(unit(&y, "B")->late, 2);
    assert_int_equal(unit(&y, "A")->count[PL_COLOUR_RED], 1);
    pl_ranking_fini(&y);
}

static void test_last_weight_mixes_the_cycles(void **state)
{
    (void)state;
    struct pl_ranking y;
    assess("[annual]\nlast_weight = 0.5\n", &y);
    assert_string_equal(unit(&y, "A")->score, "60.0"); /* (50 + 90) / 2 - 10 */
    assert_string_equal(unit(&y, "B")->score, "65.0"); /* (50 + 100) / 2 - 10 */
    assert_string_equal(unit(&y, "D")->score, "100.0");
    pl_ranking_fini(&y);
}

static void test_annual_deductions_are_the_rules(void **state)
{
    (void)state;
    struct pl_ranking y;
    assess("[annual]\nlate_deduction = 1\nmissing_deduction = 2\n", &y);
    assert_string_equal(unit(&y, "A")->score, "88.0");
    assert_string_equal(unit(&y, "B")->score, "98.0");
    pl_ranking_fini(&y);
}

static void test_annual_ranks_by_group_with_moves_since_the_last_cycle(void **state)
{
    (void)state;
    struct pl_ranking y;
    assess(NULL, &y);
    /* 县直部门 first, by score; the unranked group after, with no rank. */
    assert_int_equal(y.n, 4);
    assert_string_equal(y.units[0].unit, "D");
    assert_string_equal(y.units[1].unit, "B");
    assert_string_equal(y.units[2].unit, "A");
    assert_string_equal(y.units[3].unit, "C");
    assert_int_equal(y.units[0].rank, 1);
    assert_int_equal(y.units[1].rank, 2);
    assert_int_equal(y.units[2].rank, 3);
    assert_int_equal(y.units[3].rank, 0);
    struct pl_buf move;
    pl_buf_init(&move);
    assert_int_equal(pl_rank_move(y.have_previous, &y.units[0], &move), PL_OK);
    assert_string_equal(move.data, "新"); /* not ranked in H2 */
    pl_buf_clear(&move);
    assert_int_equal(pl_rank_move(y.have_previous, &y.units[1], &move), PL_OK);
    assert_string_equal(move.data, "↓1"); /* 1st in H2 */
    pl_buf_fini(&move);
    pl_ranking_fini(&y);
}

static void test_ties_share_a_rank(void **state)
{
    (void)state;
    struct pl_ranking y;
    /* With 未报送 costing nothing in the year, A keeps its H2 90 and B's two late returns
     * bring its 100 to 90: a tie, one rank, and D's 100 above them. */
    assess("[annual]\nmissing_deduction = 0\n", &y);
    assert_string_equal(unit(&y, "A")->score, "90.0");
    assert_string_equal(unit(&y, "B")->score, "90.0");
    assert_int_equal(unit(&y, "A")->rank, unit(&y, "B")->rank);
    assert_int_equal(unit(&y, "D")->rank, 1);
    assert_int_equal(unit(&y, "A")->rank, 2);
    pl_ranking_fini(&y);
}

/* ---- files ---------------------------------------------------------------------------- */

static void put(const char *dir, const char *name, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    assert_int_equal(fclose(fp), 0);
}

static char root[64];

static void make_inputs(void)
{
    strcpy(root, "/tmp/test_annual.XXXXXX");
    assert_non_null(mkdtemp(root));
    char dir[256];
    snprintf(dir, sizeof dir, "%s/catalog", root);
    assert_int_equal(mkdir(dir, 0777), 0);
    put(dir, "cycles.csv",
        "id,label,start,end,deadline,expected\n"
        "2023H1,2023年上半年,2023-01-01,2023-06-30,2023-06-30,50\n"
        "2023H2,2023年下半年,2023-07-01,2023-12-31,2023-12-30,100\n");
    put(dir, "tasks.csv", "id,title,leaders\n1,任务一,甲|乙\n2,任务二,甲\n3,任务三,乙\n");
    static const char *const leaders[] = {
        "leader,tasks,blue,yellow,red,missing,late\n甲,2,1,0,1,1,0\n乙,2,1,1,0,0,1\n",
        "leader,tasks,blue,yellow,red,missing,late\n甲,2,0,1,0,0,0\n乙,2,2,0,0,0,1\n"};
    static const char *const ids[] = {"2023H1", "2023H2"};
    for (int i = 0; i < 2; i++) {
        snprintf(dir, sizeof dir, "%s/%s", root, ids[i]);
        assert_int_equal(mkdir(dir, 0777), 0);
        put(dir, "rated.csv", i ? h2 : h1);
        put(dir, "rated-leaders.csv", leaders[i]);
    }
}

static void remove_inputs(void)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    assert_int_equal(system(cmd), 0);
}

static void test_load_reads_the_cycle_folders_and_writes_ranks_and_history(void **state)
{
    (void)state;
    make_inputs();
    char catalog[256], d1[256], d2[256], xlsx[256];
    snprintf(catalog, sizeof catalog, "%s/catalog", root);
    snprintf(d1, sizeof d1, "%s/2023H1", root);
    snprintf(d2, sizeof d2, "%s/2023H2/", root); /* a trailing slash names the same cycle */
    snprintf(xlsx, sizeof xlsx, "%s/history.xlsx", root);
    const char *dirs[] = {d1, d2};
    struct pl_rules r;
    rules_from(&r, NULL);
    struct pl_annual_options opt = {catalog, dirs, 2, &r, 1688083200};
    struct pl_annual *a;
    unsigned long rejected = 99;
    assert_int_equal(pl_annual_load(&a, &opt, &rejected, NULL), PL_OK);
    assert_int_equal(rejected, 0);
    assert_string_equal(unit(pl_annual_ranking(a), "A")->score, "80.0");

    char *text = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&text, &len);
    struct pl_csv_writer w;
    pl_csv_writer_init(&w, out, 0);
    assert_int_equal(pl_annual_write_ranks(a, &w), PL_OK);
    fclose(out);
    assert_string_equal(text, "unit,group,tasks,blue,yellow,red,missing,returned,late,score,"
                              "rank,prev_rank,move\n"
                              "D,县直部门,1,1,0,0,0,0,0,100.0,1,,新\n"
                              "B,县直部门,2,1,1,0,0,0,2,90.0,2,1,↓1\n"
                              "A,县直部门,4,2,1,1,1,0,0,80.0,3,2,↓1\n"
                              "C,垂直管理单位,2,2,0,0,0,0,0,100.0,,,\n");
    free(text);

    assert_int_equal(pl_annual_write_history(a, xlsx, NULL), PL_OK);
    FILE *fp = fopen(xlsx, "rb");
    assert_non_null(fp);
    char magic[2] = {0};
    assert_int_equal(fread(magic, 1, 2, fp), 2);
    fclose(fp);
    assert_memory_equal(magic, "PK", 2);
    pl_annual_free(a);
    pl_rules_fini(&r);
    remove_inputs();
}

static void test_a_folder_that_is_not_a_cycle_is_refused(void **state)
{
    (void)state;
    make_inputs();
    char catalog[256], d1[256], bad[256];
    snprintf(catalog, sizeof catalog, "%s/catalog", root);
    snprintf(d1, sizeof d1, "%s/2023H1", root);
    snprintf(bad, sizeof bad, "%s/2023Q9", root);
    assert_int_equal(mkdir(bad, 0777), 0);
    struct pl_rules r;
    rules_from(&r, NULL);
    struct pl_annual *a = (struct pl_annual *)1;
    const char *dirs[] = {d1, bad};
    struct pl_annual_options opt = {catalog, dirs, 2, &r, -1};
    assert_int_equal(pl_annual_load(&a, &opt, NULL, NULL), PL_ERR_CONFIG);
    assert_null(a);
    const char *twice[] = {d1, d1};
    opt.cycle_dirs = twice;
    assert_int_equal(pl_annual_load(&a, &opt, NULL, NULL), PL_ERR_USAGE);
    opt.ncycles = 0;
    assert_int_equal(pl_annual_load(&a, &opt, NULL, NULL), PL_ERR_USAGE);
    pl_rules_fini(&r);
    remove_inputs();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_standing_is_the_score_before_late_and_missing_deductions),
        cmocka_unit_test(
            test_default_is_the_last_score_less_every_late_or_missing_return_of_the_year),
        cmocka_unit_test(test_last_weight_mixes_the_cycles),
        cmocka_unit_test(test_annual_deductions_are_the_rules),
        cmocka_unit_test(test_annual_ranks_by_group_with_moves_since_the_last_cycle),
        cmocka_unit_test(test_ties_share_a_rank),
        cmocka_unit_test(test_load_reads_the_cycle_folders_and_writes_ranks_and_history),
        cmocka_unit_test(test_a_folder_that_is_not_a_cycle_is_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
