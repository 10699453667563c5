/* Unit tests for the summary module: collective leaders, loading the fixture cycle, the
 * workbooks it writes, and the inputs it refuses. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "summary.h"

/* The fixture of the end-to-end cases; the unit tests run from the top of the tree. */
#define FIXTURE "tests/cases/xlsx/fixture"

static char dir[] = "/tmp/ducha-test-summary.XXXXXX";

static int setup(void **state)
{
    (void)state;
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static enum pl_status load(const char *rated, const char *cycle, struct pl_summary **s,
                           struct pl_buf *diags)
{
    struct pl_diag d;
    pl_diag_init(&d, pl_diag_emit_buf, diags);
    struct pl_summary_options opt = {.catalog = FIXTURE "/catalog",
                                     .rated = rated,
                                     .ranks = FIXTURE "/ranks.csv",
                                     .cycle = cycle,
                                     .created = -1};
    return pl_summary_load(s, &opt, &d);
}

static void test_leaders_named_each_are_collective(void **state)
{
    (void)state;
    assert_true(pl_summary_leader_is_collective("各位县长"));
    assert_true(pl_summary_leader_is_collective("各位副县长"));
    assert_false(pl_summary_leader_is_collective("朱亚峰"));
    assert_false(pl_summary_leader_is_collective(""));
}

static void test_the_fixture_cycle_gives_a_summary_and_five_leaders(void **state)
{
    (void)state;
    struct pl_buf diags;
    pl_buf_init(&diags);
    struct pl_summary *s;
    assert_int_equal(load(FIXTURE "/rated.csv", NULL, &s, &diags), PL_OK);
    assert_int_equal(pl_summary_rows(s), 24);
    char path[256], leaders[256];
    snprintf(path, sizeof path, "%s/summary.xlsx", dir);
    snprintf(leaders, sizeof leaders, "%s/leaders", dir);
    assert_int_equal(pl_summary_write(s, path, NULL), PL_OK);
    assert_int_equal(access(path, F_OK), 0);
    size_t written;
    assert_int_equal(pl_summary_write_leaders(s, leaders, &written, NULL), PL_OK);
    assert_int_equal(written, 5); /* 王君磊 朱亚峰 张艳丽 张雷 杨振邦; 各位县长 is shared */
    snprintf(path, sizeof path, "%s/leaders/朱亚峰.xlsx", dir);
    assert_int_equal(access(path, F_OK), 0);
    pl_summary_free(s);
    assert_int_equal(diags.len, 0);
    pl_buf_fini(&diags);
}

static void test_an_unknown_cycle_is_a_configuration_error(void **state)
{
    (void)state;
    struct pl_buf diags;
    pl_buf_init(&diags);
    struct pl_summary *s;
    assert_int_equal(load(FIXTURE "/rated.csv", "2031H1", &s, &diags), PL_ERR_CONFIG);
    assert_null(s);
    assert_non_null(strstr(diags.data, "E_UNKNOWN_CYCLE"));
    pl_buf_fini(&diags);
}

static void test_rated_rows_without_a_colour_column_are_refused(void **state)
{
    (void)state;
    char path[256];
    snprintf(path, sizeof path, "%s/nocolour.csv", dir);
    FILE *fp = fopen(path, "w");
    fputs("task_id,unit,group,owner,progress,status,narrative,problems,next_steps,reported_on,"
          "late,missing,expected,arrow\n1,县财政局,县直部门,,50,序时推进,,,,,0,0,50,up\n",
          fp);
    fclose(fp);
    struct pl_buf diags;
    pl_buf_init(&diags);
    struct pl_summary *s;
    assert_int_equal(load(path, NULL, &s, &diags), PL_ERR_DATA);
    assert_non_null(strstr(diags.data, "colour"));
    pl_buf_fini(&diags);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_leaders_named_each_are_collective),
        cmocka_unit_test(test_the_fixture_cycle_gives_a_summary_and_five_leaders),
        cmocka_unit_test(test_an_unknown_cycle_is_a_configuration_error),
        cmocka_unit_test(test_rated_rows_without_a_colour_column_are_refused),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
