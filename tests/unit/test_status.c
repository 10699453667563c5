/* Unit tests for the status module: every status has words and an exit code. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>
#include <sysexits.h>

#include "status.h"

static void test_every_status_has_its_own_description(void **state)
{
    (void)state;
    for (int i = 0; i < PL_STATUS_COUNT; i++) {
        const char *s = pl_strerror((enum pl_status)i);
        assert_non_null(s);
        assert_string_not_equal(s, "unknown status");
        for (int j = 0; j < i; j++)
            assert_string_not_equal(s, pl_strerror((enum pl_status)j));
    }
    assert_string_equal(pl_strerror(PL_STATUS_COUNT), "unknown status");
    assert_string_equal(pl_strerror((enum pl_status)-1), "unknown status");
}

static void test_exit_codes_follow_sysexits(void **state)
{
    (void)state;
    assert_int_equal(pl_status_exit_code(PL_OK), 0);
    assert_int_equal(pl_status_exit_code(PL_ERR_USAGE), EX_USAGE);
    assert_int_equal(pl_status_exit_code(PL_ERR_OPEN), EX_NOINPUT);
    assert_int_equal(pl_status_exit_code(PL_ERR_DATA), EX_DATAERR);
    assert_int_equal(pl_status_exit_code(PL_ERR_ENCODING), EX_DATAERR);
    assert_int_equal(pl_status_exit_code(PL_ERR_CREATE), EX_CANTCREAT);
    assert_int_equal(pl_status_exit_code(PL_ERR_IO), EX_IOERR);
    assert_int_equal(pl_status_exit_code(PL_ERR_CONFIG), EX_CONFIG);
    assert_int_equal(pl_status_exit_code(PL_ERR_NOMEM), EX_SOFTWARE);
    assert_int_equal(pl_status_exit_code(PL_ERR_INTERNAL), EX_SOFTWARE);
    for (int i = 1; i < PL_STATUS_COUNT; i++)
        assert_true(pl_status_exit_code((enum pl_status)i) > 1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_status_has_its_own_description),
        cmocka_unit_test(test_exit_codes_follow_sysexits),
    };
    return cmocka_run_group_tests_name("status", tests, NULL, NULL);
}
