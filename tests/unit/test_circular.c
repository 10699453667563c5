/* Unit tests for circular: counts and shares, subsets, named units, coverage warnings, dates. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "circular.h"

static const char tasks_csv[] =
    "id,kind,title,text,leaders,hosts,cohosts\n"
    "4,key,新增各类市场主体1.3万家以上,,王君磊,县行政审批服务局,\n"
    "1,key,地区生产总值增长6.5%左右,,王君磊|朱亚峰,县财政局|县发展和改革局,\n"
    "M3,livelihood,全县新增托位640个,,王君磊,县卫生健康局|纸坊镇,\n";
static const char units_csv[] = "name,aliases,kind,members\n"
                                "县发展和改革局,发改局|县发改局|县发展改革局,department,\n"
                                "县行政审批服务局,县审批局,department,\n"
                                "县城建集团,城建集团,enterprise,\n"
                                "纸坊镇,,town,\n";
static const char cycles_csv[] = "id,label,start,end,deadline,expected\n"
                                 "2023H1,2023年上半年,2023-01-01,2023-06-30,2023-06-30,50\n"
                                 "2023H2,2023年下半年,2023-07-01,2023-12-31,2023-12-30,100\n";
static const char document_csv[] = "key,value\nnumber,嘉政发〔2023〕1号\nissuer,嘉祥县人民政府\n";
/* Rows deliberately out of catalog order; the columns in an unusual order too. */
static const char rated_csv[] =
    "colour,task_id,unit,group,progress,status,late,missing,reason,arrow,reported_on\n"
    "blue,1,县发展和改革局,县直部门,55,序时推进,0,0,,same,2023-06-29\n"
    "red,M3,纸坊镇,镇街,,未报送,0,1,未报送,new,\n"
    "red,4,县行政审批服务局,县直部门,20,滞后,0,0,进度20%，落后序时进度30个百分点,down,2023-06-30\n"
    "yellow,1,县财政局,县直部门,45,滞后,1,0,进度45%，落后序时进度5个百分点,up,2023-07-03\n"
    "blue,M3,县卫生健康局,县直部门,100,已完成,0,0,,up,2023-06-20\n";
static const char ranks_csv[] =
    "unit,group,tasks,blue,yellow,red,missing,late,score,rank,prev_rank,move\n"
    "县发展和改革局,县直部门,1,1,0,0,0,0,100.0,1,1,—\n"
    "县卫生健康局,县直部门,1,1,0,0,0,0,100.0,1,2,↑1\n"
    "县财政局,县直部门,1,0,1,0,0,1,85.0,2,1,↓1\n"
    "县行政审批服务局,县直部门,1,0,0,1,0,0,40.0,3,3,—\n"
    "纸坊镇,镇街,1,0,0,1,1,0,-10.0,1,,新\n";

struct fixture {
    struct pl_table tasks, units, cycles, document, rated, ranks;
    struct pl_circular_input in;
    struct pl_buf diags;
    struct pl_diag diag;
};

static void load(struct pl_table *t, const char *text, const char *name)
{
    FILE *fp = fmemopen((void *)text, strlen(text), "r");
    assert_int_equal(pl_table_read_stream(fp, name, t, NULL), PL_OK);
    fclose(fp);
}

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    load(&f->tasks, tasks_csv, "tasks.csv");
    load(&f->units, units_csv, "units.csv");
    load(&f->cycles, cycles_csv, "cycles.csv");
    load(&f->document, document_csv, "document.csv");
    load(&f->rated, rated_csv, "rated.csv");
    load(&f->ranks, ranks_csv, "ranks.csv");
    f->in = (struct pl_circular_input){.tasks = &f->tasks,
                                       .units = &f->units,
                                       .cycles = &f->cycles,
                                       .document = &f->document,
                                       .rated = &f->rated,
                                       .ranks = &f->ranks,
                                       .epoch = -1};
    pl_buf_init(&f->diags);
    pl_diag_init(&f->diag, pl_diag_emit_buf, &f->diags);
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    pl_table_free(&f->tasks);
    pl_table_free(&f->units);
    pl_table_free(&f->cycles);
    pl_table_free(&f->document);
    pl_table_free(&f->rated);
    pl_table_free(&f->ranks);
    pl_buf_fini(&f->diags);
    free(f);
    return 0;
}

/* Builds the data and renders TPL with it; returns the text (free it) or NULL. */
static char *render(struct fixture *f, const char *tpl, enum pl_status want)
{
    struct pl_tpl_data *d = pl_tpl_data_new();
    long long when = 0;
    enum pl_status st = pl_circular_build(&f->in, d, &when, &f->diag);
    assert_int_equal(st, want);
    char *text = NULL;
    if (st == PL_OK) {
        struct pl_buf out;
        pl_buf_init(&out);
        assert_int_equal(pl_tpl_render(tpl, strlen(tpl), "t", d, NULL, &out, &f->diag), PL_OK);
        text = pl_buf_take(&out);
        pl_buf_fini(&out);
    }
    pl_tpl_data_free(d);
    return text;
}

static void expect(struct fixture *f, const char *tpl, const char *want)
{
    char *got = render(f, tpl, PL_OK);
    assert_string_equal(got, want);
    free(got);
}

static void test_counts_and_shares_cover_every_row(void **state)
{
    struct fixture *f = *state;
    expect(f,
           "{{tasks}}/{{rows}}/{{units}}: 完成{{done}}({{done_share}}) 序时{{on_track}} "
           "滞后{{behind}}({{behind_share}}) 未报{{missing}} 逾期{{late}}; "
           "蓝{{blue}} 黄{{yellow}} 红{{red}}({{red_share}})",
           "3/5/5: 完成1(20.0%) 序时1 滞后2(40.0%) 未报1 逾期1; 蓝2 黄1 红2(40.0%)");
}

static void test_lists_by_status_and_colour_leave_out_empty_categories(void **state)
{
    struct fixture *f = *state;
    expect(f,
           "{{#by_status}}{{name}}{{count}}({{share}}){{|；}}{{/by_status}}|"
           "{{#by_colour}}{{word}}{{count}}{{|,}}{{/by_colour}}|{{done_tasks_listed}}",
           "已完成1(20.0%)；序时推进1(20.0%)；进展滞后2(40.0%)；未报送1(20.0%)|蓝2,黄1,红2|1");
}

static void test_rows_come_in_catalog_order_with_short_names(void **state)
{
    struct fixture *f = *state;
    expect(f,
           "{{#overview}}{{no}}.{{id}} {{host}} {{progress}} {{&colour_tag}}{{arrow}}\n"
           "{{/overview}}",
           "1.4 县审批局 20% {red}↓\n"
           "2.1 县财政局 45% {yellow}↑\n"
           "3.1 县发改局 55% {blue}→\n"
           "4.M3 县卫生健康局 100% {blue}↑\n"
           "5.M3 纸坊镇 — {red}新\n");
}

static void test_red_tasks_are_named_with_their_units_and_reasons(void **state)
{
    struct fixture *f = *state;
    expect(f, "{{#red_rows}}{{unit}}承办的第{{id}}项“{{title}}”（{{reason}}）{{|；}}{{/red_rows}}",
           "县审批局承办的第4项“新增各类市场主体1.3万家以上”（进度20%，落后序时进度30个百分点）；"
           "纸坊镇承办的第M3项“全县新增托位640个”（未报送）");
    expect(f, "{{red_tasks_count}}:{{#red_tasks}}{{id}}={{hosts}}{{|,}}{{/red_tasks}}",
           "2:4=县审批局,M3=纸坊镇");
}

static void test_quotes_inside_quoted_titles_become_single(void **state)
{
    struct fixture *f = *state;
    struct pl_table tasks;
    load(&tasks,
         "id,kind,title,text,leaders,hosts,cohosts\n"
         "4,key,落实“四大攀登行动”,,王君磊,县行政审批服务局,\n",
         "tasks.csv");
    f->in.tasks = &tasks;
    expect(f,
           "{{#red_rows}}{{#title}}“{{title}}”{{/title}}{{/red_rows}}|"
           "{{#overview}}{{title}}{{/overview}}",
           "“落实‘四大攀登行动’”|落实“四大攀登行动”");
    f->in.tasks = &f->tasks;
    pl_table_free(&tasks);
}

static void test_a_task_without_a_title_is_named_by_its_text(void **state)
{
    struct fixture *f = *state;
    struct pl_table tasks;
    load(&tasks,
         "id,kind,title,text,leaders,hosts,cohosts\n"
         "4,key,,完善并联审批、容缺办理等机制，推进商事改革。梳理公布事项清单。,王君磊,"
         "县行政审批服务局,\n",
         "tasks.csv");
    f->in.tasks = &tasks;
    expect(f, "{{#red_rows}}{{title}}{{/red_rows}}", "完善并联审批、容缺办理等机制，推进商事改革");
    f->in.tasks = &f->tasks;
    pl_table_free(&tasks);
}

static void test_a_catalog_without_its_columns_is_a_config_error(void **state)
{
    struct fixture *f = *state;
    struct pl_table tasks;
    load(&tasks, "id,name\n4,x\n", "tasks.csv");
    f->in.tasks = &tasks;
    assert_null(render(f, "", PL_ERR_CONFIG));
    assert_non_null(strstr(f->diags.data, "tasks.csv:1: 缺少“title”列"));
    f->in.tasks = &f->tasks;
    pl_table_free(&tasks);
}

static void test_late_and_missing_units_are_named(void **state)
{
    struct fixture *f = *state;
    expect(f,
           "{{#late_units}}{{name}}{{/late_units}}|{{#missing_units}}{{name}}第{{tasks}}项"
           "{{/missing_units}}",
           "县财政局|纸坊镇第M3项");
}

static void test_best_units_of_each_group(void **state)
{
    struct fixture *f = *state;
    expect(
        f,
        "{{#groups}}{{group}}:{{best}}{{#best_tied}}并列{{/best_tied}}{{best_count}};{{/groups}}",
        "县直部门:县发改局、县卫生健康局并列2;镇街:纸坊镇1;");
}

static void test_a_leader_subset_counts_only_that_leaders_tasks(void **state)
{
    struct fixture *f = *state;
    f->in.leader = "朱亚峰";
    expect(f, "{{subset}}:{{rows}} {{#overview}}{{host}}{{/overview}}",
           "朱亚峰同志牵头的任务:2 县财政局县发改局");
    f->in.leader = NULL;
}

static void test_subsets_combine_and_say_so(void **state)
{
    struct fixture *f = *state;
    f->in.leader = "王君磊";
    f->in.colour = "红";
    expect(f, "{{subset}}:{{rows}}", "王君磊同志牵头的红色任务:2");
    f->in.colour = "red,yellow";
    f->in.tasks_list = "1、4";
    expect(f, "{{subset}}:{{rows}}", "第1、4项中王君磊同志牵头的黄红色任务:2");
    f->in.leader = f->in.colour = NULL;
    expect(f, "{{subset}}", "第1、4项任务");
    f->in.tasks_list = NULL;
}

static void test_a_unit_is_found_by_its_alias(void **state)
{
    struct fixture *f = *state;
    f->in.unit = "发改局";
    expect(f, "{{rows}}{{#groups}}|{{group}}{{#units}}:{{unit}}{{/units}}{{/groups}}",
           "1|县直部门:县发改局");
    f->in.unit = NULL;
}

static void test_an_empty_subset_is_an_error(void **state)
{
    struct fixture *f = *state;
    f->in.leader = "张三";
    assert_null(render(f, "", PL_ERR_DATA));
    assert_non_null(strstr(f->diags.data, "[E_EMPTY_SUBSET]"));
    f->in.leader = NULL;
}

static void test_an_unknown_colour_is_a_usage_error(void **state)
{
    struct fixture *f = *state;
    f->in.colour = "green";
    assert_null(render(f, "", PL_ERR_USAGE));
    assert_non_null(strstr(f->diags.data, "[E_BAD_OPTION]"));
    f->in.colour = NULL;
}

static bool no_tuo(void *ctx, uint32_t cp)
{
    (void)ctx;
    return cp != 0x6258; /* 托 */
}

static void test_characters_no_font_has_are_reported_with_task_and_field(void **state)
{
    struct fixture *f = *state;
    f->in.covers = no_tuo;
    free(render(f, "", PL_OK));
    assert_string_equal(f->diags.data,
                        "tasks.csv:4: 任务M3的 title 字段里的“托”（U+6258）没有一个字体能显示，"
                        "会印成□ [W_MISSING_GLYPH]\n");
    f->in.covers = NULL;
}

static void test_document_facts_and_dates(void **state)
{
    struct fixture *f = *state;
    /* No SOURCE_DATE_EPOCH: the cycle (found from the returns' dates) gives the date. */
    expect(f,
           "{{:county=某县}}{{county}} {{county_short}} {{basis_number}} {{cycle}} "
           "{{cycle_label}} {{date}} {{year}}",
           "嘉祥县 嘉祥 嘉政发〔2023〕1号 2023H1 2023年上半年 2023年6月30日 2023");
    f->in.epoch = 1688947200; /* 2023-07-10 */
    expect(f, "{{date}} {{date_iso}}", "2023年7月10日 2023-07-10");
    f->in.date = "2023-07-12";
    expect(f, "{{date}}", "2023年7月12日");
    f->in.date = NULL;
    f->in.epoch = -1;
}

static void test_an_issue_number_makes_a_serial(void **state)
{
    struct fixture *f = *state;
    expect(f, "{{serial}}", "0");
    f->in.number = "嘉政督〔2023〕5号";
    expect(f, "{{serial}}{{number}}", "0嘉政督〔2023〕5号");
    f->in.number = "第12期";
    expect(f, "{{serial}}{{number}}", "1第12期");
    f->in.number = NULL;
}

static void test_the_cycle_is_the_one_most_returns_fall_in(void **state)
{
    struct fixture *f = *state;
    struct pl_table rated;
    /* Two H2 returns, one dated in January (late, in the grace), one stray H1 date. */
    load(&rated,
         "task_id,unit,group,progress,status,late,missing,colour,reason,arrow,reported_on,"
         "expected\n"
         "1,县财政局,县直部门,90,序时推进,0,0,yellow,,,2023-12-28,100\n"
         "4,县行政审批服务局,县直部门,95,序时推进,1,0,yellow,,,2024-01-05,100\n"
         "M3,纸坊镇,镇街,100,已完成,0,0,blue,,,2023-06-30,100\n",
         "rated.csv");
    f->in.rated = &rated;
    expect(f, "{{cycle}}", "2023H2");
    f->in.rated = &f->rated;
    pl_table_free(&rated);
    /* No dates at all: the expected progress tells. */
    load(&rated,
         "task_id,unit,group,progress,status,late,missing,colour,reason,arrow,expected\n"
         "1,县财政局,县直部门,,未报送,0,1,red,未报送,,100\n",
         "rated.csv");
    f->in.rated = &rated;
    expect(f, "{{cycle}}", "2023H2");
    f->in.rated = &f->rated;
    pl_table_free(&rated);
}

static void test_an_unknown_cycle_is_a_usage_error(void **state)
{
    struct fixture *f = *state;
    f->in.cycle = "2023H1";
    expect(f, "{{cycle_label}} {{expected}}", "2023年上半年 50");
    f->in.cycle = "2024H1";
    assert_null(render(f, "", PL_ERR_USAGE));
    assert_non_null(strstr(f->diags.data, "周期“2024H1”不在 cycles.csv 里 [E_BAD_OPTION]"));
    f->in.cycle = NULL;
}

static void test_missing_document_facts_leave_the_templates_defaults(void **state)
{
    struct fixture *f = *state;
    struct pl_table empty = {0};
    f->in.document = &empty;
    expect(f, "{{:county=嘉祥县}}{{:basis_number=某号}}{{county}} {{basis_number}}", "嘉祥县 某号");
    f->in.document = &f->document;
}

static void test_short_names_prefer_aliases_that_begin_like_the_name(void **state)
{
    struct fixture *f = *state;
    struct pl_buf b;
    pl_buf_init(&b);
    pl_circular_short_name(&f->units, "县发展和改革局", &b);
    assert_string_equal(b.data, "县发改局");
    pl_buf_clear(&b);
    pl_circular_short_name(&f->units, "县城建集团", &b);
    assert_string_equal(b.data, "县城建集团");
    pl_buf_clear(&b);
    pl_circular_short_name(&f->units, "不在目录", &b);
    assert_string_equal(b.data, "不在目录");
    pl_buf_fini(&b);
}

static void test_streams_without_required_columns_are_refused(void **state)
{
    struct fixture *f = *state;
    struct pl_table bad;
    load(&bad, "task_id,unit\n1,县财政局\n", "bad.csv");
    f->in.rated = &bad;
    assert_null(render(f, "", PL_ERR_DATA));
    assert_non_null(strstr(f->diags.data, "[E_MISSING_COLUMN]"));
    f->in.rated = &f->rated;
    pl_table_free(&bad);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_counts_and_shares_cover_every_row, setup, teardown),
        cmocka_unit_test_setup_teardown(test_lists_by_status_and_colour_leave_out_empty_categories,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_rows_come_in_catalog_order_with_short_names, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_red_tasks_are_named_with_their_units_and_reasons,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_quotes_inside_quoted_titles_become_single, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_a_task_without_a_title_is_named_by_its_text, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_a_catalog_without_its_columns_is_a_config_error, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_late_and_missing_units_are_named, setup, teardown),
        cmocka_unit_test_setup_teardown(test_best_units_of_each_group, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_leader_subset_counts_only_that_leaders_tasks, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_subsets_combine_and_say_so, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_unit_is_found_by_its_alias, setup, teardown),
        cmocka_unit_test_setup_teardown(test_an_empty_subset_is_an_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_an_unknown_colour_is_a_usage_error, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_characters_no_font_has_are_reported_with_task_and_field, setup, teardown),
        cmocka_unit_test_setup_teardown(test_document_facts_and_dates, setup, teardown),
        cmocka_unit_test_setup_teardown(test_an_issue_number_makes_a_serial, setup, teardown),
        cmocka_unit_test_setup_teardown(test_the_cycle_is_the_one_most_returns_fall_in, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_an_unknown_cycle_is_a_usage_error, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_document_facts_leave_the_templates_defaults,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_short_names_prefer_aliases_that_begin_like_the_name,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_streams_without_required_columns_are_refused, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
