/* Unit tests for the cli module: exit codes combine as the man pages say. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "cli.h"

static void test_worse_exit_prefers_failures_to_rejects_to_success(void **state)
{
    (void)state;
    assert_int_equal(pl_cli_worse_exit(PL_EXIT_OK, PL_EXIT_OK), PL_EXIT_OK);
    assert_int_equal(pl_cli_worse_exit(PL_EXIT_OK, PL_EXIT_REJECTED), PL_EXIT_REJECTED);
    assert_int_equal(pl_cli_worse_exit(PL_EXIT_REJECTED, PL_EXIT_OK), PL_EXIT_REJECTED);
    assert_int_equal(pl_cli_worse_exit(PL_EXIT_REJECTED, PL_EXIT_NOINPUT), PL_EXIT_NOINPUT);
    assert_int_equal(pl_cli_worse_exit(PL_EXIT_IO, PL_EXIT_NOINPUT), PL_EXIT_IO);
}

static void test_init_names_the_program_in_messages(void **state)
{
    (void)state;
    struct pl_diag *d = pl_cli_init("ducha-test");
    assert_non_null(d);
    assert_string_equal(pl_diag_program, "ducha-test");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_worse_exit_prefers_failures_to_rejects_to_success),
        cmocka_unit_test(test_init_names_the_program_in_messages),
    };
    return cmocka_run_group_tests_name("cli", tests, NULL, NULL);
}
