/* Unit tests for the merge module, against the shipped 2023 catalog. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "merge.h"

static struct pl_catalog catalog;

static int setup(void **state)
{
    (void)state;
    const char *top = getenv("DUCHA_TOP");
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/input/2023/catalog", top ? top : ".");
    pl_catalog_init(&catalog);
    return pl_catalog_read(&catalog, dir, NULL) == PL_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    pl_catalog_fini(&catalog);
    return 0;
}

#define HEADER "cycle,source,line,task_id,unit,owner,phone,progress,status,value,metric," \
               "narrative,problems,next_steps,reported_on,role,late,flags\n"

static char *merge_rejects(const char *valid, const char *rejected, struct pl_merge_stats *stats,
                           char **superseded)
{
    struct pl_merge_rejects *rj = pl_merge_rejects_new();
    assert_non_null(rj);
    if (rejected) {
        FILE *rf = fmemopen((void *)rejected, strlen(rejected), "r");
        assert_int_equal(pl_merge_rejects_read(rj, rf, "rejects", NULL), PL_OK);
        fclose(rf);
    }
    char *in_data = strdup(valid);
    FILE *in = fmemopen(in_data, strlen(in_data), "r");
    char *out = NULL;
    size_t n, m;
    FILE *fp = open_memstream(&out, &n);
    FILE *sp = open_memstream(superseded, &m);
    struct pl_csv_writer w, s;
    pl_csv_writer_init(&w, fp, 0);
    pl_csv_writer_init(&s, sp, 0);
    assert_int_equal(pl_merge_stream(in, "in", &catalog, rj, &w, &s, NULL, stats), PL_OK);
    fclose(in);
    fclose(fp);
    fclose(sp);
    free(in_data);
    pl_merge_rejects_free(rj);
    return out;
}

static char *merge(const char *valid, struct pl_merge_stats *stats, char **superseded)
{
    return merge_rejects(valid, NULL, stats, superseded);
}

/* The merged row of TASK and UNIT in OUT (a copy, without the line break), or NULL. */
static char *row_of(const char *out, const char *task, const char *unit)
{
    char prefix[256];
    snprintf(prefix, sizeof prefix, "\n%s,%s,", task, unit);
    const char *p = strstr(out, prefix);
    if (!p)
        return NULL;
    p++;
    return strndup(p, strcspn(p, "\n"));
}

/* Thousands of entries (the index doubles several times): each keeps its own latest return.
 * Every (task, unit, metric) comes twice, the later date second for half of them, first for
 * the other half; the task-level row of the pair keeps the latest of its own. */
static void test_many_entries_each_keep_their_own_latest_return(void **state)
{
    (void)state;
    struct pl_buf in;
    pl_buf_init(&in);
    pl_buf_append_str(&in, HEADER);
    enum { N = 5000 };
    for (int pass = 0; pass < 2; pass++)
        for (int i = 0; i < N; i++) {
            bool later = (i % 2) == pass;
            pl_buf_printf(&in,
                          "2023H1,f%d.csv,%d,1,县财政局,,,%d,序时推进,%d,m%d,说明%d,,,2023-06-%s,"
                          "host,0,\n",
                          pass, i + 2, later ? 60 : 40, i, i, i, later ? "28" : "20");
        }
    pl_buf_append_str(&in, "2023H1,g.csv,2,1,县财政局,,,50,序时推进,,,任务说明,,,2023-06-21,host,0,\n");
    pl_buf_append_str(&in, "2023H1,g.csv,3,1,县财政局,,,55,序时推进,,,任务说明后,,,2023-06-22,host,0,\n");
    struct pl_merge_stats st;
    char *sup;
    char *out = merge(in.data, &st, &sup);
    assert_int_equal(st.rows, 2 * N + 2);
    assert_int_equal(st.superseded, N + 1);
    /* Every superseded row is the earlier one: dated the 20th (or the task row of the 21st). */
    assert_null(strstr(sup, "2023-06-28"));
    assert_non_null(strstr(sup, "任务说明,,,2023-06-21"));
    char *r = row_of(out, "1", "县财政局");
    assert_non_null(r);
    assert_non_null(strstr(r, ",55,序时推进,,任务说明后,"));
    assert_non_null(strstr(r, ",W_RESUBMITTED,g.csv,3,"));
    free(r);
    free(out);
    free(sup);
    pl_buf_fini(&in);
}

static void test_every_demanded_pair_has_one_row(void **state)
{
    (void)state;
    struct pl_merge_stats st;
    char *sup;
    char *out = merge(HEADER, &st, &sup);
    size_t demanded = 0;
    for (size_t t = 0; t < catalog.ntasks; t++)
        for (size_t h = 0; pl_merge_task_demanded(&catalog, &catalog.tasks[t]) &&
                           h < catalog.tasks[t].hosts.n;
             h++) {
            const struct pl_unit *u = pl_catalog_find_unit(&catalog, catalog.tasks[t].hosts.v[h]);
            demanded += u && u->kind != PL_UNIT_COLLECTIVE;
        }
    assert_int_equal(st.pairs, demanded);
    assert_int_equal(st.missing, demanded);
    assert_null(row_of(out, "63", "各民生实事项目承办单位"));
    assert_null(row_of(out, "78", "县经开区"));
    char *r = row_of(out, "1", "县财政局");
    assert_non_null(r);
    assert_non_null(strstr(r, ",未报送,"));
    free(r);
    free(out);
    free(sup);
}

static char *cell_of(const char *row, int n)
{
    const char *p = row;
    for (int i = 0; i < n && p; i++) {
        p = strchr(p, ',');
        if (p)
            p++;
    }
    assert_non_null(p);
    return strndup(p, strcspn(p, ","));
}

static void assert_missing(const char *out, const char *task, const char *unit,
                           const char *missing, const char *status)
{
    char *r = row_of(out, task, unit);
    assert_non_null(r);
    char *m = cell_of(r, 13), *s = cell_of(r, 6);
    assert_string_equal(m, missing);
    assert_string_equal(s, status);
    free(m);
    free(s);
    free(r);
}

/* Issue 16: a cycle on three items (cycles.csv tasks) demands those only; a report on another
 * task that came anyway is kept, flagged W_NOT_DEMANDED, and counted as such. */
static void test_a_cycle_on_some_tasks_demands_those_only(void **state)
{
    (void)state;
    struct pl_cycle week = {.id = "2023W27", .tasks = "3,17、45"};
    static const char valid[] =
        HEADER "2023W27,a.csv,2,3,县工业和信息化局,,,55,序时推进,,,推进中,,,2023-07-10,host,0,\n"
               "2023W27,a.csv,3,8,县农业农村局,,,60,序时推进,,,推进中,,,2023-07-10,host,0,"
               "W_NOT_IN_CYCLE\n";
    char *in_data = strdup(valid), *out = NULL;
    size_t n;
    FILE *in = fmemopen(in_data, strlen(in_data), "r"), *fp = open_memstream(&out, &n);
    struct pl_csv_writer w;
    pl_csv_writer_init(&w, fp, 0);
    struct pl_merge_stats st;
    assert_int_equal(pl_merge_stream_cycle(in, "in", &catalog, &week, NULL, &w, NULL, NULL, &st),
                     PL_OK);
    fclose(in);
    fclose(fp);
    free(in_data);
    size_t demanded = 0;
    for (size_t t = 0; t < catalog.ntasks; t++)
        if (pl_catalog_cycle_has_task(&week, &catalog.tasks[t]))
            demanded += catalog.tasks[t].hosts.n;
    assert_int_equal(demanded, 8); /* 1 + 4 + 3 hosts */
    assert_int_equal(st.pairs, demanded + 1);
    assert_int_equal(st.missing, demanded - 1);
    assert_int_equal(st.not_demanded, 1);
    char *r = row_of(out, "8", "县农业农村局");
    assert_non_null(r);
    assert_non_null(strstr(r, "W_NOT_IN_CYCLE|W_NOT_DEMANDED"));
    free(r);
    assert_null(row_of(out, "1", "县财政局"));
    assert_missing(out, "45", "县曾子研究院", "1", "未报送");
    free(out);
}

#define REJ_HEADER "cycle,source,line,task_id,unit,owner,phone,progress,code,column,error\n"

static void test_tasks_addressed_to_everyone_are_demanded_from_nobody(void **state)
{
    (void)state;
    assert_false(pl_merge_task_demanded(&catalog, pl_catalog_find_task(&catalog, "78")));
    assert_false(pl_merge_task_demanded(&catalog, pl_catalog_find_task(&catalog, "63")));
    assert_true(pl_merge_task_demanded(&catalog, pl_catalog_find_task(&catalog, "1")));
    assert_true(pl_merge_task_demanded(&catalog, pl_catalog_find_task(&catalog, "45")));
    struct pl_merge_stats st;
    char *sup;
    /* A report that came anyway is kept, marked; nothing is 未报送. */
    char *out = merge(HEADER "2023H1,a.csv,2,78,县经开区,张,1,45,序时推进,,,做了,,,2023-06-28,host,0,\n",
                      &st, &sup);
    char *r = row_of(out, "78", "县经开区");
    assert_non_null(r);
    assert_non_null(strstr(r, "W_NOT_DEMANDED"));
    assert_null(row_of(out, "79", "县经开区"));
    assert_int_equal(st.not_demanded, 1);
    free(r);
    free(out);
    free(sup);
}

static void test_a_units_rejected_rows_make_its_pair_returned_not_missing(void **state)
{
    (void)state;
    struct pl_merge_stats st;
    char *sup;
    char *out = merge_rejects(HEADER,
                              REJ_HEADER "2023H1,z.csv,2,第45项, 县政德教育中心 ,李,139,120%,E,progress,x\n",
                              &st, &sup);
    assert_missing(out, "45", "县政德教育中心", "2", "报送有误");
    assert_missing(out, "45", "县曾子研究院", "1", "未报送"); /* the other host sent nothing */
    char *r = row_of(out, "45", "县政德教育中心");
    assert_non_null(strstr(r, ",李,139,"));
    assert_non_null(strstr(r, ",z.csv,2,"));
    free(r);
    assert_int_equal(st.returned, 1);
    free(out);
    free(sup);
}

static void test_a_valid_return_outweighs_rejected_rows(void **state)
{
    (void)state;
    struct pl_merge_stats st;
    char *sup;
    char *out = merge_rejects(
        HEADER "2023H1,z.csv,3,45,县政德教育中心,李,1,50,序时推进,,,做了,,,2023-06-28,host,0,\n",
        REJ_HEADER "2023H1,z.csv,2,45,政德教育中心,李,139,过半,E,progress,x\n", &st, &sup);
    assert_missing(out, "45", "县政德教育中心", "0", "序时推进");
    char *r = row_of(out, "45", "县政德教育中心");
    assert_non_null(strstr(r, "W_ROWS_REJECTED"));
    free(r);
    assert_int_equal(st.returned, 0);
    free(out);
    free(sup);
}

static void test_an_unknown_task_id_marks_the_unit_only_when_its_file_was_rejected_whole(
    void **state)
{
    (void)state;
    struct pl_merge_stats st;
    char *sup;
    /* The whole file rejected: every pair demanded of the unit is 报送有误. */
    char *out = merge_rejects(HEADER, REJ_HEADER "2023H1,z.csv,2,第99项,县政德教育中心,,,1,E,,x\n",
                              &st, &sup);
    assert_missing(out, "45", "县政德教育中心", "2", "报送有误");
    free(out);
    free(sup);
    /* Part of the file valid: the stray row points at no task and marks nothing. */
    out = merge_rejects(
        HEADER "2023H1,z.csv,3,31,县统计局,李,1,50,序时推进,,,做了,,,2023-06-28,host,0,\n",
        REJ_HEADER "2023H1,z.csv,2,第99项,县统计局,,,1,E,,x\n", &st, &sup);
    assert_missing(out, "31", "县统计局", "0", "序时推进");
    char *r = row_of(out, "31", "县统计局");
    assert_null(strstr(r, "W_ROWS_REJECTED"));
    free(r);
    assert_int_equal(st.returned, 0);
    free(out);
    free(sup);
}

static void test_a_blank_unit_takes_the_unit_its_file_names(void **state)
{
    (void)state;
    struct pl_merge_stats st;
    char *sup;
    char *out = merge_rejects(HEADER,
                              REJ_HEADER "2023H1,z.csv,2,第99项,县政德教育中心,,,1,E,,x\n"
                                         "2023H1,z.csv,3,45,,,,1,E,,x\n"
                                         "2023H1,y.csv,2,31,,,,1,E,,x\n",
                              &st, &sup);
    assert_missing(out, "45", "县政德教育中心", "2", "报送有误");
    /* y.csv names no unit: its row is attributed to no one. */
    assert_missing(out, "31", "县统计局", "1", "未报送");
    free(out);
    free(sup);
}

static void test_a_rejects_file_without_its_columns_is_refused(void **state)
{
    (void)state;
    struct pl_merge_rejects *rj = pl_merge_rejects_new();
    const char *bad = "source,line,unit\na.csv,2,县统计局\n";
    FILE *rf = fmemopen((void *)bad, strlen(bad), "r");
    assert_int_equal(pl_merge_rejects_read(rj, rf, "rejects", NULL), PL_ERR_DATA);
    fclose(rf);
    const char *empty = "";
    rf = fmemopen((void *)empty, 1, "r");
    pl_merge_rejects_free(rj);
    rj = pl_merge_rejects_new();
    fclose(rf);
    pl_merge_rejects_free(rj);
}

static void test_the_later_date_wins_whatever_the_order(void **state)
{
    (void)state;
    struct pl_merge_stats st;
    char *sup;
    char *out = merge(HEADER "2023H1,b,2,4,县行政审批服务局,,,70,序时推进,,,later,,,2023-06-29,host,0,\n"
                             "2023H1,a,2,4,县行政审批服务局,,,50,序时推进,,,earlier,,,2023-06-20,host,0,\n",
                      &st, &sup);
    char *r = row_of(out, "4", "县行政审批服务局");
    assert_non_null(strstr(r, ",70,序时推进,,later,"));
    assert_non_null(strstr(r, "W_RESUBMITTED"));
    assert_non_null(strstr(sup, "earlier"));
    assert_int_equal(st.superseded, 1);
    free(r);
    free(out);
    free(sup);
}

static void test_on_the_same_date_the_later_arrival_wins(void **state)
{
    (void)state;
    struct pl_merge_stats st;
    char *sup;
    char *out = merge(HEADER "2023H1,a,2,4,县行政审批服务局,,,50,序时推进,,,first,,,2023-06-28,host,0,\n"
                             "2023H1,b,2,4,县行政审批服务局,,,55,序时推进,,,second,,,2023-06-28,host,0,\n",
                      &st, &sup);
    char *r = row_of(out, "4", "县行政审批服务局");
    assert_non_null(strstr(r, "second"));
    free(r);
    free(out);
    free(sup);
}

static void test_a_task_level_row_gives_the_progress_over_indicator_rows(void **state)
{
    (void)state;
    struct pl_merge_stats st;
    char *sup;
    char *out = merge(HEADER "2023H1,a,2,1,县发展和改革局,,,30,滞后,5,地区生产总值增长,,,,2023-06-28,host,0,\n"
                             "2023H1,a,3,1,县发展和改革局,,,48,序时推进,,,task,,,2023-06-28,host,0,\n",
                      &st, &sup);
    char *r = row_of(out, "1", "县发展和改革局");
    assert_non_null(strstr(r, ",48,序时推进,"));
    assert_non_null(strstr(r, "地区生产总值增长=5"));
    free(r);
    free(out);
    free(sup);
}

static void test_cohost_reports_are_notes_not_returns(void **state)
{
    (void)state;
    struct pl_merge_stats st;
    char *sup;
    char *out = merge(HEADER "2023H1,a,2,4,县发展和改革局,,,55,序时推进,,,配合,,,2023-06-28,cohost,0,\n",
                      &st, &sup);
    char *r = row_of(out, "4", "县行政审批服务局");
    assert_non_null(strstr(r, ",未报送,"));
    assert_non_null(strstr(r, "县发展和改革局（协办）：配合"));
    assert_int_equal(st.notes, 1);
    free(r);
    free(out);
    free(sup);
}

static void test_indicator_rows_without_progress_keep_the_task_rows_progress(void **state)
{
    (void)state;
    struct pl_merge_stats st;
    char *sup;
    /* The office's form: a task-level row with progress and status, indicator rows with only
     * a value and their own text. */
    char *out = merge(HEADER "2023H1,a,5,38,嘉祥街道,褚红,,60,序时推进,,,task text,,,2023-06-28,host,0,\n"
                             "2023H1,a,6,38,嘉祥街道,褚红,,,,30,提升改造老旧小区,已改造30个,,,2023-06-28,host,0,\n"
                             "2023H1,a,7,38,嘉祥街道,褚红,,,,97,亮灯率,task text,,,2023-06-28,host,0,\n",
                      &st, &sup);
    /* The row spans two lines: its narrative keeps the indicator row's own text. */
    assert_non_null(strstr(out, "\n38,嘉祥街道,镇街和功能区,褚红,,60,序时推进,,\"task text\n"
                                "提升改造老旧小区：已改造30个\",,,2023-06-28,0,0,,a,5,"
                                "提升改造老旧小区=30|亮灯率=97,"));
    assert_null(strstr(out, "亮灯率："));
    char *r = row_of(out, "38", "嘉祥街道");
    free(r);
    free(out);
    free(sup);
}

static void test_progress_is_derived_from_values_where_the_target_allows(void **state)
{
    (void)state;
    struct pl_merge_stats st;
    char *sup;
    /* Task 38 (县住房和城乡建设局): 55个 (=) and ≥98% give 30/55 → 54.5 and 97/98 → 99.0,
     * a mean of 76.8, flagged. Task 1 (县财政局): 约 targets give no share: no progress. */
    char *out = merge(HEADER "2023H1,a,6,38,县住房和城乡建设局,,,,,30,提升改造老旧小区,,,,2023-06-28,host,0,\n"
                             "2023H1,a,7,38,县住房和城乡建设局,,,,,97,亮灯率,,,,2023-06-28,host,0,\n"
                             "2023H1,a,8,1,县财政局,,,,,6.8,地区生产总值增长,,,,2023-06-28,host,0,\n"
                             "2023H1,a,9,3,县工业和信息化局,,,,,40,培育领军企业、骨干企业及高成长性企业,,,,2023-06-28,host,0,\n",
                      &st, &sup);
    char *r = row_of(out, "38", "县住房和城乡建设局");
    assert_non_null(strstr(r, ",76.8,"));
    assert_non_null(strstr(r, "W_PROGRESS_FROM_VALUES"));
    assert_null(strstr(r, "W_PROGRESS_FROM_INDICATORS"));
    free(r);
    r = row_of(out, "1", "县财政局");
    assert_non_null(strstr(r, "1,县财政局,县直部门,,,,,"));
    assert_non_null(strstr(r, "W_NO_PROGRESS"));
    assert_non_null(strstr(r, "地区生产总值增长=6.8"));
    free(r);
    r = row_of(out, "3", "县工业和信息化局");
    assert_non_null(strstr(r, ",100,")); /* 40 of ≥27 is capped at 100 */
    free(r);
    free(out);
    free(sup);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_demanded_pair_has_one_row),
        cmocka_unit_test(test_many_entries_each_keep_their_own_latest_return),
        cmocka_unit_test(test_a_cycle_on_some_tasks_demands_those_only),
        cmocka_unit_test(test_the_later_date_wins_whatever_the_order),
        cmocka_unit_test(test_on_the_same_date_the_later_arrival_wins),
        cmocka_unit_test(test_a_task_level_row_gives_the_progress_over_indicator_rows),
        cmocka_unit_test(test_cohost_reports_are_notes_not_returns),
        cmocka_unit_test(test_indicator_rows_without_progress_keep_the_task_rows_progress),
        cmocka_unit_test(test_progress_is_derived_from_values_where_the_target_allows),
        cmocka_unit_test(test_tasks_addressed_to_everyone_are_demanded_from_nobody),
        cmocka_unit_test(test_a_units_rejected_rows_make_its_pair_returned_not_missing),
        cmocka_unit_test(test_a_valid_return_outweighs_rejected_rows),
        cmocka_unit_test(
            test_an_unknown_task_id_marks_the_unit_only_when_its_file_was_rejected_whole),
        cmocka_unit_test(test_a_blank_unit_takes_the_unit_its_file_names),
        cmocka_unit_test(test_a_rejects_file_without_its_columns_is_refused),
    };
    return cmocka_run_group_tests_name("merge", tests, setup, teardown);
}
