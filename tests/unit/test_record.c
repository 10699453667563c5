/* Unit tests for the record module: the stream's column names, once. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <string.h>

#include "record.h"

static void test_columns_are_the_design_order(void **state)
{
    (void)state;
    const char *expected = "cycle,source,line,task_id,unit,owner,phone,progress,status,value,"
                           "metric,narrative,problems,next_steps,reported_on";
    char joined[256] = "";
    for (int f = 0; f < PL_F_COUNT; f++) {
        if (f)
            strcat(joined, ",");
        strcat(joined, pl_field_name((enum pl_field)f));
    }
    assert_string_equal(joined, expected);
    assert_null(pl_field_name(PL_F_COUNT));
}

static void test_names_and_labels_look_up_both_ways(void **state)
{
    (void)state;
    for (int f = 0; f < PL_F_COUNT; f++) {
        const char *n = pl_field_name((enum pl_field)f);
        assert_int_equal(pl_field_by_name(n, strlen(n)), f);
    }
    assert_int_equal(pl_field_by_name("nope", 4), PL_F_COUNT);
    assert_string_equal(pl_field_label(PL_F_TASK_ID), "任务编号");
    assert_string_equal(pl_field_label(PL_F_REPORTED_ON), "填报日期");
    assert_null(pl_field_label(PL_F_SOURCE));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_columns_are_the_design_order),
        cmocka_unit_test(test_names_and_labels_look_up_both_ways),
    };
    return cmocka_run_group_tests_name("record", tests, NULL, NULL);
}
