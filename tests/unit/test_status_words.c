/* test_status_words — the status synonyms table and status/progress relations
 * (pipeline/status_words). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "status_words.h"

static int setup_default(void **state)
{
    static struct pl_status_table t;
    if (pl_status_table_init_default(&t) != PL_OK)
        return -1;
    *state = &t;
    return 0;
}

static int teardown_table(void **state)
{
    pl_status_table_fini(*state);
    return 0;
}

struct word_case {
    const char *word;
    enum pl_field_error why;
    enum pl_work_status want;
};

static void run_lookup(const struct pl_status_table *t, const struct word_case *cases, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const struct word_case *k = &cases[i];
        enum pl_work_status got = PL_WORK_COUNT;
        enum pl_field_error why = PL_FERR_COUNT;
        enum pl_status st = pl_status_word_lookup(t, k->word, strlen(k->word), &got, &why);
        enum pl_status want_st = k->why == PL_FERR_NONE ? PL_OK : PL_ERR_DATA;
        if (st != want_st || why != k->why)
            fail_msg("status \"%s\": status %d why %s, wanted status %d why %s", k->word, st,
                     pl_field_error_code(why), want_st, pl_field_error_code(k->why));
        enum pl_work_status want = k->why == PL_FERR_NONE ? k->want : PL_WORK_COUNT;
        if (got != want)
            fail_msg("status \"%s\": got %s, wanted %s", k->word, pl_work_status_word(got),
                     pl_work_status_word(want));
    }
}

#define RUN(t, table) run_lookup(t, table, sizeof table / sizeof table[0])
#define OK PL_FERR_NONE

static void test_default_table_maps_every_design_word(void **state)
{
    static const struct word_case cases[] = {
        {"已完成", OK, PL_WORK_DONE},
        {"完成", OK, PL_WORK_DONE},
        {"已办结", OK, PL_WORK_DONE},
        {"办结", OK, PL_WORK_DONE},
        {"提前完成", OK, PL_WORK_DONE},
        {"done", OK, PL_WORK_DONE},
        {"completed", OK, PL_WORK_DONE},
        {"complete", OK, PL_WORK_DONE},
        {"序时推进", OK, PL_WORK_ON_TRACK},
        {"正常推进", OK, PL_WORK_ON_TRACK},
        {"按序时推进", OK, PL_WORK_ON_TRACK},
        {"有序推进", OK, PL_WORK_ON_TRACK},
        {"达序时", OK, PL_WORK_ON_TRACK},
        {"超序时", OK, PL_WORK_ON_TRACK},
        {"达进度", OK, PL_WORK_ON_TRACK},
        {"超进度", OK, PL_WORK_ON_TRACK},
        {"推进中", OK, PL_WORK_ON_TRACK},
        {"进行中", OK, PL_WORK_ON_TRACK},
        {"正在办理", OK, PL_WORK_ON_TRACK},
        {"正在推进", OK, PL_WORK_ON_TRACK},
        {"on-track", OK, PL_WORK_ON_TRACK},
        {"on track", OK, PL_WORK_ON_TRACK},
        {"in progress", OK, PL_WORK_ON_TRACK},
        {"in-progress", OK, PL_WORK_ON_TRACK},
        {"滞后", OK, PL_WORK_BEHIND},
        {"进展滞后", OK, PL_WORK_BEHIND},
        {"进度滞后", OK, PL_WORK_BEHIND},
        {"滞后序时", OK, PL_WORK_BEHIND},
        {"慢序时", OK, PL_WORK_BEHIND},
        {"未达序时", OK, PL_WORK_BEHIND},
        {"欠进度", OK, PL_WORK_BEHIND},
        {"进度缓慢", OK, PL_WORK_BEHIND},
        {"behind", OK, PL_WORK_BEHIND},
        {"lagging", OK, PL_WORK_BEHIND},
        {"未启动", OK, PL_WORK_NOT_STARTED},
        {"未开工", OK, PL_WORK_NOT_STARTED},
        {"暂未启动", OK, PL_WORK_NOT_STARTED},
        {"暂未开启", OK, PL_WORK_NOT_STARTED},
        {"尚未启动", OK, PL_WORK_NOT_STARTED},
        {"not started", OK, PL_WORK_NOT_STARTED},
        {"not-started", OK, PL_WORK_NOT_STARTED},
    };
    RUN(*state, cases);
    const struct pl_status_table *t = *state;
    assert_int_equal(t->len, sizeof cases / sizeof cases[0]);
}

static void test_lookup_ignores_surrounding_space_width_and_case(void **state)
{
    static const struct word_case cases[] = {
        {" 已完成 ", OK, PL_WORK_DONE},
        {"　已完成　", OK, PL_WORK_DONE},
        {"\xc2\xa0滞后\t", OK, PL_WORK_BEHIND},
        {"In Progress", OK, PL_WORK_ON_TRACK},
        {"IN-PROGRESS", OK, PL_WORK_ON_TRACK},
        {"  on Track ", OK, PL_WORK_ON_TRACK},
        {"ＤＯＮＥ", OK, PL_WORK_DONE},
        {"ｌａｇｇｉｎｇ", OK, PL_WORK_BEHIND},
        {"Not Started", OK, PL_WORK_NOT_STARTED},
        {"on　track", OK, PL_WORK_ON_TRACK},
        {"\xef\xbb\xbf未启动", OK, PL_WORK_NOT_STARTED}, /* a stray BOM */
    };
    RUN(*state, cases);
}

static void test_lookup_refuses_words_not_in_the_table(void **state)
{
    static const struct word_case cases[] = {
        {"过半", PL_FERR_STATUS_UNKNOWN, 0},
        {"基本完成", PL_FERR_STATUS_UNKNOWN, 0},
        {"已完成年度目标任务", PL_FERR_STATUS_UNKNOWN, 0},
        {"未报送", PL_FERR_STATUS_UNKNOWN, 0},
        {"稳步推进", PL_FERR_STATUS_UNKNOWN, 0},
        {"ok", PL_FERR_STATUS_UNKNOWN, 0},
        {"85%", PL_FERR_STATUS_UNKNOWN, 0},
        {"/", PL_FERR_STATUS_UNKNOWN, 0},
        {"已完成。", PL_FERR_STATUS_UNKNOWN, 0},
        {"\xff", PL_FERR_STATUS_UNKNOWN, 0},
        {"已\xe5", PL_FERR_STATUS_UNKNOWN, 0},
    };
    RUN(*state, cases);
}

static void test_lookup_reports_a_blank_status_as_absent(void **state)
{
    static const struct word_case cases[] = {
        {"", PL_FERR_STATUS_ABSENT, 0},
        {"   ", PL_FERR_STATUS_ABSENT, 0},
        {"　", PL_FERR_STATUS_ABSENT, 0},
        {"\r\n", PL_FERR_STATUS_ABSENT, 0},
    };
    RUN(*state, cases);
    enum pl_work_status s = PL_WORK_COUNT;
    enum pl_field_error why = PL_FERR_NONE;
    assert_int_equal(pl_status_word_lookup(*state, NULL, 0, &s, &why), PL_ERR_DATA);
    assert_int_equal(why, PL_FERR_STATUS_ABSENT);
    assert_true(pl_field_error_is_absent(why));
}

static void test_added_words_are_found_like_the_defaults(void **state)
{
    (void)state;
    struct pl_status_table t;
    assert_int_equal(pl_status_table_init_default(&t), PL_OK);
    size_t before = t.len;
    assert_int_equal(pl_status_table_add(&t, "稳步推进", PL_WORK_ON_TRACK), PL_OK);
    assert_int_equal(pl_status_table_add(&t, "Slipping", PL_WORK_BEHIND), PL_OK);
    assert_int_equal(pl_status_table_add(&t, " 应开工未开工 ", PL_WORK_NOT_STARTED), PL_OK);
    assert_int_equal(t.len, before + 3);
    static const struct word_case cases[] = {
        {"稳步推进", OK, PL_WORK_ON_TRACK},        {"SLIPPING", OK, PL_WORK_BEHIND},
        {"应开工未开工", OK, PL_WORK_NOT_STARTED}, {"已完成", OK, PL_WORK_DONE},
        {"基本完成", PL_FERR_STATUS_UNKNOWN, 0},
    };
    RUN(&t, cases);
    pl_status_table_fini(&t);
    assert_int_equal(t.len, 0);
    pl_status_table_fini(&t); /* twice is harmless */
    pl_status_table_fini(NULL);
}

static void test_adding_refuses_conflicts_and_blank_words(void **state)
{
    (void)state;
    struct pl_status_table t;
    assert_int_equal(pl_status_table_init_default(&t), PL_OK);
    size_t before = t.len;
    /* the same word (in any width or case) to the same status: accepted, not duplicated */
    assert_int_equal(pl_status_table_add(&t, "已完成", PL_WORK_DONE), PL_OK);
    assert_int_equal(pl_status_table_add(&t, "ＤＯＮＥ", PL_WORK_DONE), PL_OK);
    assert_int_equal(t.len, before);
    /* to another status: a configuration error, table unchanged */
    assert_int_equal(pl_status_table_add(&t, "完成", PL_WORK_BEHIND), PL_ERR_CONFIG);
    assert_int_equal(pl_status_table_add(&t, "In Progress", PL_WORK_DONE), PL_ERR_CONFIG);
    assert_int_equal(pl_status_table_add(&t, "", PL_WORK_DONE), PL_ERR_CONFIG);
    assert_int_equal(pl_status_table_add(&t, " 　", PL_WORK_DONE), PL_ERR_CONFIG);
    assert_int_equal(pl_status_table_add(&t, "\xff", PL_WORK_DONE), PL_ERR_CONFIG);
    assert_int_equal(pl_status_table_add(&t, "新词", PL_WORK_COUNT), PL_ERR_USAGE);
    assert_int_equal(pl_status_table_add(&t, NULL, PL_WORK_DONE), PL_ERR_USAGE);
    assert_int_equal(t.len, before);
    enum pl_work_status s;
    assert_int_equal(pl_status_word_lookup(&t, "完成", strlen("完成"), &s, NULL), PL_OK);
    assert_int_equal(s, PL_WORK_DONE);
    pl_status_table_fini(&t);
}

static void test_an_empty_table_grows_past_its_first_allocation(void **state)
{
    (void)state;
    struct pl_status_table t;
    pl_status_table_init(&t);
    struct pl_buf w;
    pl_buf_init(&w);
    for (int i = 0; i < 200; i++) {
        pl_buf_clear(&w);
        pl_buf_printf(&w, "词%d", i);
        assert_int_equal(pl_status_table_add(&t, w.data, (enum pl_work_status)(i % 4)), PL_OK);
    }
    for (int i = 0; i < 200; i++) {
        pl_buf_clear(&w);
        pl_buf_printf(&w, "词%d", i);
        enum pl_work_status s;
        assert_int_equal(pl_status_word_lookup(&t, w.data, w.len, &s, NULL), PL_OK);
        assert_int_equal(s, i % 4);
    }
    enum pl_field_error why;
    enum pl_work_status s;
    assert_int_equal(pl_status_word_lookup(&t, "已完成", strlen("已完成"), &s, &why), PL_ERR_DATA);
    assert_int_equal(why, PL_FERR_STATUS_UNKNOWN);
    pl_buf_fini(&w);
    pl_status_table_fini(&t);
}

static void test_canonical_words_name_the_four_statuses(void **state)
{
    (void)state;
    static const char *const want[PL_WORK_COUNT] = {"已完成", "序时推进", "滞后", "未启动"};
    for (int k = 0; k < PL_WORK_COUNT; k++) {
        assert_string_equal(pl_work_status_word((enum pl_work_status)k), want[k]);
        enum pl_work_status s = PL_WORK_COUNT;
        assert_int_equal(pl_work_status_by_word(want[k], strlen(want[k]), &s), PL_OK);
        assert_int_equal(s, k);
    }
    assert_string_equal(pl_work_status_word(PL_WORK_COUNT), "");
    enum pl_work_status s = PL_WORK_COUNT;
    assert_int_equal(pl_work_status_by_word(" 滞后 ", strlen(" 滞后 "), &s), PL_OK);
    assert_int_equal(s, PL_WORK_BEHIND);
    /* synonyms are not canonical words */
    assert_int_equal(pl_work_status_by_word("完成", strlen("完成"), &s), PL_ERR_DATA);
    assert_int_equal(pl_work_status_by_word("", 0, &s), PL_ERR_DATA);
    assert_int_equal(pl_work_status_by_word(NULL, 0, &s), PL_ERR_DATA);
}

static void test_status_is_derived_from_progress_at_the_bounds(void **state)
{
    (void)state;
    static const struct {
        double progress;
        enum pl_work_status want;
    } cases[] = {
        {100, PL_WORK_DONE},         {100.0, PL_WORK_DONE},    {0, PL_WORK_NOT_STARTED},
        {-0.0, PL_WORK_NOT_STARTED}, {0.01, PL_WORK_ON_TRACK}, {50, PL_WORK_ON_TRACK},
        {99.99, PL_WORK_ON_TRACK},   {1, PL_WORK_ON_TRACK},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (pl_work_status_from_progress(cases[i].progress) != cases[i].want)
            fail_msg("progress %g: derived %s", cases[i].progress,
                     pl_work_status_word(pl_work_status_from_progress(cases[i].progress)));
}

static void test_contradictions_are_done_below_100_and_not_started_above_0(void **state)
{
    (void)state;
    static const struct {
        enum pl_work_status status;
        double progress;
        bool contradicts;
    } cases[] = {
        {PL_WORK_DONE, 60, true},          {PL_WORK_DONE, 99.99, true},
        {PL_WORK_DONE, 0, true},           {PL_WORK_DONE, 100, false},
        {PL_WORK_NOT_STARTED, 0.01, true}, {PL_WORK_NOT_STARTED, 100, true},
        {PL_WORK_NOT_STARTED, 0, false},   {PL_WORK_ON_TRACK, 0, false},
        {PL_WORK_ON_TRACK, 100, false},    {PL_WORK_ON_TRACK, 10, false},
        {PL_WORK_BEHIND, 0, false},        {PL_WORK_BEHIND, 100, false},
        {PL_WORK_BEHIND, 40, false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        if (pl_work_status_contradicts(cases[i].status, cases[i].progress) != cases[i].contradicts)
            fail_msg("%s at %g: wrong verdict", pl_work_status_word(cases[i].status),
                     cases[i].progress);
}

/* Every prefix of tricky cells, copied into a buffer of exactly its length with no
 * terminator, so that under ASan a read past LEN stops the test. */
static void test_lookup_reads_no_byte_beyond_len(void **state)
{
    static const char *const tricky[] = {"　In Progress　", "已完成", "\xe5\xb7", "ＤＯＮＥ"};
    for (size_t i = 0; i < sizeof tricky / sizeof tricky[0]; i++) {
        size_t full = strlen(tricky[i]);
        for (size_t len = 0; len <= full; len++) {
            char *cell = malloc(len ? len : 1);
            assert_non_null(cell);
            memcpy(cell, tricky[i], len);
            enum pl_work_status s;
            enum pl_field_error why;
            (void)pl_status_word_lookup(*state, cell, len, &s, &why);
            (void)pl_work_status_by_word(cell, len, &s);
            free(cell);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_default_table_maps_every_design_word, setup_default,
                                        teardown_table),
        cmocka_unit_test_setup_teardown(test_lookup_ignores_surrounding_space_width_and_case,
                                        setup_default, teardown_table),
        cmocka_unit_test_setup_teardown(test_lookup_refuses_words_not_in_the_table, setup_default,
                                        teardown_table),
        cmocka_unit_test_setup_teardown(test_lookup_reports_a_blank_status_as_absent, setup_default,
                                        teardown_table),
        cmocka_unit_test(test_added_words_are_found_like_the_defaults),
        cmocka_unit_test(test_adding_refuses_conflicts_and_blank_words),
        cmocka_unit_test(test_an_empty_table_grows_past_its_first_allocation),
        cmocka_unit_test(test_canonical_words_name_the_four_statuses),
        cmocka_unit_test(test_status_is_derived_from_progress_at_the_bounds),
        cmocka_unit_test(test_contradictions_are_done_below_100_and_not_started_above_0),
        cmocka_unit_test_setup_teardown(test_lookup_reads_no_byte_beyond_len, setup_default,
                                        teardown_table),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
