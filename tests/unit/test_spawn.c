/* Unit tests for spawn: one stage run and waited for, and stages run together. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <unistd.h>

#include "spawn.h"

static void test_one_stage_gives_its_exit_status_and_its_output(void **state)
{
    (void)state;
    char out[] = "/tmp/test_spawn.XXXXXX";
    int fd = mkstemp(out);
    assert_true(fd >= 0);
    close(fd);
    char *argv[] = {"sh", "-c", "echo 县财政局; exit 3", NULL};
    struct pl_spawn_result res = {0, 0, 0, 0};
    assert_int_equal(pl_spawn_run("sh", argv, NULL, out, NULL, &res), PL_OK);
    assert_int_equal(res.exit_code, 3);
    FILE *fp = fopen(out, "r");
    char line[64] = "";
    assert_non_null(fgets(line, sizeof line, fp));
    fclose(fp);
    assert_string_equal(line, "县财政局\n");
    unlink(out);
}

/* A stage's own cost comes back with its status: one that holds a 40 MB string and counts
 * for a while shows at least that peak and some CPU time; a quick one shows little. */
static void test_a_stage_reports_its_cpu_time_and_peak_memory(void **state)
{
    (void)state;
    char *heavy[] = {"sh", "-c",
                     "x=$(head -c 40000000 /dev/zero | tr '\\0' a); i=0; "
                     "while [ $i -lt 100000 ]; do i=$((i+1)); done; exit ${#x}",
                     NULL};
    char *light[] = {"sh", "-c", "exit 0", NULL};
    struct pl_spawn_result res[2] = {{0, 0, 0, 0}, {0, 0, 0, 0}};
    assert_int_equal(pl_spawn_run("sh", heavy, NULL, NULL, NULL, &res[0]), PL_OK);
    assert_int_equal(pl_spawn_run("sh", light, NULL, NULL, NULL, &res[1]), PL_OK);
    assert_int_equal(res[0].exit_code, 40000000 % 256);
    assert_true(res[0].peak_kb > 39000);
    assert_true(res[0].cpu_seconds > 0.02);
    assert_true(res[1].peak_kb > 0);
    assert_true(res[1].peak_kb < res[0].peak_kb / 4);
    assert_true(res[1].cpu_seconds < res[0].cpu_seconds);
}

/* The stages run at once: the slow one started first does not hold up the quick one's end,
 * and each result stays with its own stage, whatever order they end in. */
static void test_stages_together_end_in_any_order_and_keep_their_results(void **state)
{
    (void)state;
    char *slow[] = {"sh", "-c", "sleep 0.4; exit 5", NULL};
    char *quick[] = {"sh", "-c", "exit 2", NULL};
    char *ok[] = {"sh", "-c", "true", NULL};
    char *const *argv[] = {slow, quick, ok};
    struct pl_spawn_child child[3];
    struct pl_spawn_result res[3];
    for (size_t i = 0; i < 3; i++)
        assert_int_equal(pl_spawn_start("sh", argv[i], NULL, NULL, NULL, &child[i]), PL_OK);
    assert_int_equal(pl_spawn_wait(child, 3, res), PL_OK);
    assert_int_equal(res[0].exit_code, 5);
    assert_int_equal(res[1].exit_code, 2);
    assert_int_equal(res[2].exit_code, 0);
    assert_true(res[0].seconds >= 0.39);
    assert_true(res[1].seconds < res[0].seconds);
}

/* A stage started ahead of its turn runs beside the stages run in theirs: waiting for one of
 * those reaps it, timed to its own end, if it ends first; otherwise it is waited for later. */
static void test_a_stage_started_ahead_is_reaped_when_it_ends(void **state)
{
    (void)state;
    char *quick[] = {"sh", "-c", "exit 4", NULL};
    char *turn[] = {"sh", "-c", "sleep 0.3; exit 1", NULL};
    char *slow[] = {"sh", "-c", "sleep 0.6; exit 6", NULL};
    struct pl_spawn_child child[3];
    struct pl_spawn_result res[3];
    bool ended[3] = {false, false, false};
    assert_int_equal(pl_spawn_start("sh", quick, NULL, NULL, NULL, &child[0]), PL_OK);
    assert_int_equal(pl_spawn_start("sh", slow, NULL, NULL, NULL, &child[1]), PL_OK);
    assert_int_equal(pl_spawn_start("sh", turn, NULL, NULL, NULL, &child[2]), PL_OK);
    assert_int_equal(pl_spawn_wait_until(child, 3, 2, res, ended), PL_OK);
    assert_true(ended[0]);
    assert_true(ended[2]);
    assert_false(ended[1]);
    assert_int_equal(res[0].exit_code, 4);
    assert_true(res[0].seconds < res[2].seconds); /* its own end, not the turn's */
    assert_int_equal(res[2].exit_code, 1);
    assert_int_equal(pl_spawn_wait_until(child, 3, 3, res, ended), PL_OK);
    assert_true(ended[1]);
    assert_int_equal(res[1].exit_code, 6);
    assert_true(res[1].seconds >= 0.59);
}

/* A stage started ahead whose run fails first is killed and reaped. */
static void test_a_stage_started_ahead_can_be_stopped(void **state)
{
    (void)state;
    char *slow[] = {"sh", "-c", "sleep 30", NULL};
    struct pl_spawn_child child;
    assert_int_equal(pl_spawn_start("sh", slow, NULL, NULL, NULL, &child), PL_OK);
    pl_spawn_kill(&child);
    assert_int_equal(kill(child.pid, 0), -1); /* gone, reaped */
}

static void test_a_program_that_is_nowhere_is_reported(void **state)
{
    (void)state;
    char *argv[] = {"ducha-no-such-program", NULL};
    struct pl_spawn_child child;
    struct pl_spawn_result res;
    assert_int_equal(pl_spawn_start("ducha-no-such-program", argv, NULL, NULL, NULL, &child),
                     PL_OK);
    assert_int_equal(pl_spawn_wait(&child, 1, &res), PL_ERR_OPEN);
    assert_int_equal(res.exit_code, 127);
    assert_int_equal(pl_spawn_run("sh", (char *[]){"sh", NULL}, "/nonexistent/in", NULL, NULL,
                                  &res),
                     PL_ERR_OPEN);
}

int main(void)
{
    pl_spawn_init(NULL);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_stage_gives_its_exit_status_and_its_output),
        cmocka_unit_test(test_a_stage_reports_its_cpu_time_and_peak_memory),
        cmocka_unit_test(test_stages_together_end_in_any_order_and_keep_their_results),
        cmocka_unit_test(test_a_program_that_is_nowhere_is_reported),
        cmocka_unit_test(test_a_stage_started_ahead_is_reaped_when_it_ends),
        cmocka_unit_test(test_a_stage_started_ahead_can_be_stopped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
