/* Unit tests for the forms module: which units get a form, and what GBK cannot write. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "forms.h"

#define CATALOG "tests/cases/forms/fixture/catalog"

static char dir[] = "/tmp/ducha-test-forms.XXXXXX";

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

static void test_the_status_list_is_the_four_canonical_words(void **state)
{
    (void)state;
    const char *want[] = {"已完成", "序时推进", "滞后", "未启动"};
    for (int i = 0; i < 4; i++)
        assert_string_equal(pl_forms_status_values[i], want[i]);
    assert_null(pl_forms_status_values[4]);
}

static void test_every_host_but_the_collectives_gets_a_form(void **state)
{
    (void)state;
    char out[256];
    for (int format = 0; format < 2; format++) {
        snprintf(out, sizeof out, "%s/forms%d", dir, format);
        struct pl_forms_options opt = {.catalog = CATALOG,
                                       .cycle = "2023H1",
                                       .outdir = out,
                                       .format = format ? PL_FORMS_XLSX : PL_FORMS_CSV,
                                       .created = -1};
        size_t written;
        assert_int_equal(pl_forms_write(&opt, &written, NULL), PL_OK);
        assert_int_equal(written, 21); /* 县政府各部门, 各镇街, 各民生实事项目承办单位: none */
        char path[512];
        snprintf(path, sizeof path, "%s/县经开区.%s", out, format ? "xlsx" : "csv");
        assert_int_equal(access(path, F_OK), 0); /* task 78: demanded from 县经开区 alone */
        snprintf(path, sizeof path, "%s/各镇街.%s", out, format ? "xlsx" : "csv");
        assert_int_equal(access(path, F_OK), -1);
    }
}

static void test_an_unknown_cycle_writes_nothing(void **state)
{
    (void)state;
    char out[256];
    snprintf(out, sizeof out, "%s/none", dir);
    struct pl_buf diags;
    pl_buf_init(&diags);
    struct pl_diag d;
    pl_diag_init(&d, pl_diag_emit_buf, &diags);
    struct pl_forms_options opt = {.catalog = CATALOG, .cycle = "2023Q5", .outdir = out};
    assert_int_equal(pl_forms_write(&opt, NULL, &d), PL_ERR_CONFIG);
    assert_non_null(strstr(diags.data, "E_UNKNOWN_CYCLE"));
    assert_int_equal(access(out, F_OK), -1);
    pl_buf_fini(&diags);
}

/* The whole of FILE (or, when PART is not NULL, the zip member PART of FILE), or NULL. */
static char *slurp(const char *file, const char *part)
{
    char cmd[1024];
    if (part)
        snprintf(cmd, sizeof cmd, "unzip -p '%s' '%s'", file, part);
    else
        snprintf(cmd, sizeof cmd, "cat '%s'", file);
    FILE *p = popen(cmd, "r");
    if (!p)
        return NULL;
    char *text = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&text, &len);
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, p)) > 0)
        fwrite(chunk, 1, n, mem);
    fclose(mem);
    pclose(p);
    return text;
}

/* Issue 16: a cycle on some tasks (cycles.csv tasks) sends forms to their hosts only, with
 * those tasks only (县农业农村局 hosts 17 and M2; the week asks for 17). */
static void test_a_cycle_on_some_tasks_sends_forms_for_those_only(void **state)
{
    (void)state;
    char cat[256], cmd[4096], out[256];
    snprintf(cat, sizeof cat, "%s/subset-catalog", dir);
    snprintf(cmd, sizeof cmd, "cp -R '%s' '%s'", CATALOG, cat);
    assert_int_equal(system(cmd), 0);
    snprintf(cmd, sizeof cmd, "%s/cycles.csv", cat);
    FILE *fp = fopen(cmd, "w");
    assert_non_null(fp);
    fputs("id,label,start,end,deadline,expected,tasks\n"
          "2023H1,2023年上半年,2023-01-01,2023-06-30,2023-06-30,50,\n"
          "2023W27,第27周,2023-07-03,2023-07-09,2023-07-10,,\"3,17\"\n",
          fp);
    assert_int_equal(fclose(fp), 0);

    snprintf(out, sizeof out, "%s/subset-forms", dir);
    struct pl_forms_options opt = {
        .catalog = cat, .cycle = "2023W27", .outdir = out, .format = PL_FORMS_CSV, .created = -1};
    size_t written;
    assert_int_equal(pl_forms_write(&opt, &written, NULL), PL_OK);
    assert_int_equal(written, 5); /* 3: 县工业和信息化局; 17: four hosts */
    char path[512];
    snprintf(path, sizeof path, "%s/县农业农村局.csv", out);
    char *text = slurp(path, NULL);
    assert_non_null(text);
    assert_non_null(strstr(text, "\n17,"));
    assert_null(strstr(text, "\nM2,"));
    free(text);
    snprintf(path, sizeof path, "%s/县财政局.csv", out);
    assert_int_equal(access(path, F_OK), -1);
}

static void test_the_form_says_how_to_return_it_with_a_date_of_its_cycle(void **state)
{
    (void)state;
    char out[256], path[512];
    for (int format = 0; format < 2; format++) {
        snprintf(out, sizeof out, "%s/h2-%d", dir, format);
        struct pl_forms_options opt = {.catalog = CATALOG,
                                       .cycle = "2023H2",
                                       .outdir = out,
                                       .format = format ? PL_FORMS_XLSX : PL_FORMS_CSV,
                                       .created = -1};
        assert_int_equal(pl_forms_write(&opt, NULL, NULL), PL_OK);
        snprintf(path, sizeof path, "%s/嘉祥街道.%s", out, format ? "xlsx" : "csv");
        char *text = slurp(path, format ? "xl/sharedStrings.xml" : NULL);
        assert_non_null(text);
        /* The example lies in 2023H2's window (2023-07-01 .. 60 days after 2023-12-30). */
        assert_non_null(strstr(text, "填报日期写作2023-12-30"));
        assert_null(strstr(text, "2023-06-28"));
        assert_non_null(strstr(text, format ? "填好后直接报送本工作簿（.xlsx文件），无需另存为CSV"
                                            : "填好后直接报送本文件（.csv）"));
        free(text);
        if (!format)
            continue;
        text = slurp(path, "xl/worksheets/sheet1.xml");
        assert_non_null(text);
        assert_non_null(strstr(text, "insertRows=\"0\"")); /* rows may be inserted */
        assert_non_null(strstr(text, "如2023-12-30；应在2023-07-01至2024-02-28之间"));
        free(text);
    }
}

/* A unit named twice in one task's hosts gets the task once, with the task's indicators
 * after it in indicators.csv's order even when other tasks' indicators come between; a host
 * the units table lacks still gets its form, with one warning however many tasks name it. */
static void test_a_form_holds_each_task_once_with_its_indicators_in_order(void **state)
{
    (void)state;
    char cat[256], cmd[4096], out[256];
    snprintf(cat, sizeof cat, "%s/twice-catalog", dir);
    snprintf(cmd, sizeof cmd, "cp -R '%s' '%s'", CATALOG, cat);
    assert_int_equal(system(cmd), 0);
    snprintf(cmd, sizeof cmd, "%s/tasks.csv", cat);
    FILE *fp = fopen(cmd, "w");
    assert_non_null(fp);
    fputs("id,kind,title,text,leaders,hosts,cohosts\n"
          "1,key,甲,甲任务,朱亚峰,县财政局|县新设局|县财政局,\n"
          "3,key,乙,乙任务,朱亚峰,县新设局,\n",
          fp);
    assert_int_equal(fclose(fp), 0);
    snprintf(cmd, sizeof cmd, "%s/indicators.csv", cat);
    fp = fopen(cmd, "w");
    assert_non_null(fp);
    fputs("task_id,metric,comparator,value,unit,source\n"
          "1,指标一,>=,1,个,\n"
          "3,指标三,>=,3,个,\n"
          "1,指标二,>=,2,个,\n",
          fp);
    assert_int_equal(fclose(fp), 0);
    snprintf(out, sizeof out, "%s/twice-forms", dir);
    struct pl_buf diags;
    pl_buf_init(&diags);
    struct pl_diag d;
    pl_diag_init(&d, pl_diag_emit_buf, &diags);
    struct pl_forms_options opt = {
        .catalog = cat, .cycle = "2023H1", .outdir = out, .format = PL_FORMS_CSV, .created = -1};
    size_t written;
    assert_int_equal(pl_forms_write(&opt, &written, &d), PL_OK);
    assert_int_equal(written, 2);
    const char *w = strstr(diags.data, "W_UNKNOWN_UNIT");
    assert_non_null(w);
    assert_null(strstr(w + 1, "W_UNKNOWN_UNIT"));
    char path[512];
    snprintf(path, sizeof path, "%s/县财政局.csv", out);
    char *text = slurp(path, NULL);
    assert_non_null(text);
    const char *t1 = strstr(text, "\n1,甲"), *m1 = strstr(text, "指标一"),
               *m2 = strstr(text, "指标二");
    assert_true(t1 && m1 && m2 && t1 < m1 && m1 < m2);
    assert_null(strstr(m2, "\n1,"));     /* the task once */
    size_t rows_of_task1 = 0;             /* its row and its two indicators' rows, no more */
    for (const char *p = strstr(text, "\n1,"); p; p = strstr(p + 1, "\n1,"))
        rows_of_task1++;
    assert_int_equal(rows_of_task1, 3);
    assert_null(strstr(text, "指标三")); /* task 3 is not 县财政局's */
    free(text);
    snprintf(path, sizeof path, "%s/县新设局.csv", out);
    text = slurp(path, NULL);
    assert_non_null(text);
    t1 = strstr(text, "\n1,甲");
    const char *t3 = strstr(text, "\n3,乙");
    assert_true(t1 && t3 && t1 < t3);
    free(text);
    pl_buf_fini(&diags);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_the_status_list_is_the_four_canonical_words),
        cmocka_unit_test(test_every_host_but_the_collectives_gets_a_form),
        cmocka_unit_test(test_an_unknown_cycle_writes_nothing),
        cmocka_unit_test(test_a_cycle_on_some_tasks_sends_forms_for_those_only),
        cmocka_unit_test(test_the_form_says_how_to_return_it_with_a_date_of_its_cycle),
        cmocka_unit_test(test_a_form_holds_each_task_once_with_its_indicators_in_order),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
