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
static const char units_csv[] = "name,aliases,kind,members,short\n"
                                "县发展和改革局,发改局|县发改局|县发展改革局,department,,县发改局\n"
                                "县行政审批服务局,县审批局,department,,县审批局\n"
                                "县城建集团,城建集团,enterprise,,\n"
                                "县农业农村局,县农业局,department,,\n"
                                "纸坊镇,,town,,\n";
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
           "已完成1(20.0%)；序时推进1(20.0%)；进展滞后2(40.0%)；未报送1(20.0%)|蓝2,黄1,红2|0");
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
    expect(f, "{{#red_rows}}{{unit}}承办的{{ref}}“{{title_q}}”（{{reason}}）{{|；}}{{/red_rows}}",
           "县审批局承办的重点工作第4项“新增各类市场主体1.3万家以上”（进度20%，落后序时进度30个"
           "百分点）；纸坊镇承办的民生实事第3项“全县新增托位640个”（未报送）");
    /* 进展滞后 names reported rows only: 未报送 is not 进展滞后. */
    expect(f, "{{#lagging_rows}}{{unit}}{{|、}}{{/lagging_rows}}", "县审批局");
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
           "{{#red_rows}}{{#title}}“{{title_q}}”{{/title}}{{/red_rows}}|"
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
    expect(f, "{{subset}}:{{rows}}", "重点工作第1、4项中王君磊同志牵头的黄红色任务:2");
    f->in.leader = f->in.colour = NULL;
    f->in.tasks_list = "M3,4";
    expect(f, "{{subset}}", "重点工作第4项、民生实事第3项");
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
    f->in.leader = "朱亚峰";
    f->in.colour = "red";
    assert_null(render(f, "", PL_ERR_DATA));
    assert_non_null(strstr(f->diags.data, "[E_EMPTY_SUBSET]"));
    f->in.leader = f->in.colour = NULL;
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
    assert_non_null(strstr(f->diags.data,
                           "tasks.csv:4: 任务M3的 title 字段里的“托”（U+6258）没有一个字体能显示，"
                           "会印成□ [W_MISSING_GLYPH]\n"));
    f->in.covers = NULL;
}

static void test_document_facts_and_dates(void **state)
{
    struct fixture *f = *state;
    /* The later of the deadline (6月30日) and the latest return counted (7月3日, late). */
    expect(f,
           "{{:county=某县}}{{county}} {{county_short}} {{basis_number}} {{cycle}} "
           "{{cycle_label}} {{date}} {{year}}",
           "嘉祥县 嘉祥 嘉政发〔2023〕1号 2023H1 2023年上半年 2023年7月3日 2023");
    /* SOURCE_DATE_EPOCH never dates a circular before a return it counts. */
    f->in.epoch = 1688083200; /* 2023-06-30 */
    expect(f, "{{date}} {{date_iso}}", "2023年7月3日 2023-07-03");
    f->in.epoch = -1;
    f->in.date = "2023-07-12";
    expect(f, "{{date}}", "2023年7月12日");
    f->in.date = NULL;
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

static void test_short_names_come_from_the_short_column_never_from_aliases(void **state)
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
    /* 县农业局 is the name before the 2019 reform: an alias, never the short name. */
    pl_circular_short_name(&f->units, "县农业农村局", &b);
    assert_string_equal(b.data, "县农业农村局");
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

/* Rated rows read from TEXT replace the fixture's for one test (free with pl_table_free). */
static void use_rated(struct fixture *f, struct pl_table *t, const char *text)
{
    load(t, text, "rated.csv");
    f->in.rated = t;
}

static void test_counts_come_from_the_figures_never_from_status_words(void **state)
{
    struct fixture *f = *state;
    struct pl_table rated;
    /* 已完成 at 60% is not done; 未启动 at 37.3% has started; 序时推进 at 100% is done. */
    use_rated(f, &rated,
              "task_id,unit,group,progress,status,late,missing,colour,reason,arrow,reported_on\n"
              "1,县财政局,县直部门,60,已完成,0,0,blue,,,2023-06-20\n"
              "1,县发展和改革局,县直部门,37.3,未启动,0,0,yellow,,,2023-06-20\n"
              "4,县行政审批服务局,县直部门,100,序时推进,0,0,blue,,,2023-06-20\n"
              "M3,县卫生健康局,县直部门,0,序时推进,0,0,red,,,2023-06-20\n");
    expect(f, "{{#by_status}}{{name}}{{count}}{{|；}}{{/by_status}}",
           "已完成1；序时推进1；进展滞后1；尚未启动1");
    f->in.rated = &f->rated;
    pl_table_free(&rated);
}

static void test_a_task_is_done_when_every_host_is_done(void **state)
{
    struct fixture *f = *state;
    struct pl_table rated;
    use_rated(f, &rated,
              "task_id,unit,group,progress,status,late,missing,colour,reason,arrow,reported_on\n"
              "1,县财政局,县直部门,100,已完成,0,0,blue,,,2023-12-20\n"
              "1,县发展和改革局,县直部门,90,序时推进,0,0,yellow,,,2023-12-20\n"
              "4,县行政审批服务局,县直部门,100,已完成,0,0,blue,,,2023-12-20\n"
              "M3,县卫生健康局,县直部门,100,已完成,0,0,blue,,,2023-12-20\n");
    expect(f, "{{done}}/{{rows}} {{tasks_done}}/{{tasks}} {{tasks_done_key}}+{{tasks_done_livelihood}}",
           "3/4 2/3 1+1");
    f->in.rated = &f->rated;
    pl_table_free(&rated);
}

static void test_the_years_last_cycle_speaks_of_the_year(void **state)
{
    struct fixture *f = *state;
    struct pl_table rated, ind;
    load(&ind, "task_id,metric,comparator,value,unit,source\n4,新增市场主体,>=,13000,家,\n",
         "indicators.csv");
    f->in.indicators = &ind;
    use_rated(f, &rated,
              "task_id,unit,group,progress,status,late,missing,colour,reason,arrow,reported_on,"
              "indicators\n"
              "1,县财政局,县直部门,100,已完成,0,0,blue,,,2023-12-28,\n"
              "4,县行政审批服务局,县直部门,85,序时推进,0,0,yellow,,,2024-01-05,新增市场主体=12000\n"
              "M3,纸坊镇,镇街,,未报送,0,1,red,未报送,,,\n");
    expect(f,
           "{{year_end}} {{#by_result}}{{name}}{{count}}{{|；}}{{/by_result}} "
           "{{#unfinished_rows}}{{unit}}{{progress}}%差{{gap}}（{{indicators}}）{{/unfinished_rows}} "
           "{{date}}",
           "1 已完成1；未完成1；未报送1 县审批局85%差15（新增市场主体12000家，目标13000家） "
           "2024年1月5日");
    f->in.cycle = "2023H1";
    expect(f, "{{year_end}}", "0");
    f->in.cycle = NULL;
    f->in.rated = &f->rated;
    f->in.indicators = NULL;
    pl_table_free(&rated);
    pl_table_free(&ind);
}

static void test_the_issue_date_and_number_come_from_cycles_csv(void **state)
{
    struct fixture *f = *state;
    struct pl_table cycles;
    load(&cycles,
         "id,label,start,end,deadline,expected,issued,number\n"
         "2023H1,2023年上半年,2023-01-01,2023-06-30,2023-06-30,50,2023-07-12,3\n",
         "cycles.csv");
    f->in.cycles = &cycles;
    expect(f, "{{date}} {{number}} {{serial}}", "2023年7月12日 第3期 1");
    f->in.number = "嘉政督〔2023〕5号";
    expect(f, "{{number}} {{serial}}", "嘉政督〔2023〕5号 0");
    f->in.number = NULL;
    f->in.cycles = &f->cycles;
    pl_table_free(&cycles);
}

static void test_ties_beyond_five_and_unranked_units_and_courts(void **state)
{
    struct fixture *f = *state;
    struct pl_table rated, ranks;
    struct pl_buf r1, r2;
    pl_buf_init(&r1);
    pl_buf_init(&r2);
    pl_buf_append_str(&r1, "task_id,unit,group,progress,status,late,missing,colour,reason,arrow\n");
    pl_buf_append_str(&r2, "unit,group,tasks,blue,yellow,red,missing,late,score,rank,prev_rank,"
                           "move\n");
    for (int i = 1; i <= 7; i++) {
        pl_buf_printf(&r1, "1,单位%d,县直部门,100,已完成,0,0,blue,,\n", i);
        pl_buf_printf(&r2, "单位%d,县直部门,1,1,0,0,0,0,100.0,1,,\n", i);
    }
    pl_buf_append_str(&r1, "1,县法院,县直部门,,未报送,0,1,red,未报送,\n"
                           "1,县城建集团,,80,序时推进,0,0,blue,,\n");
    pl_buf_append_str(&r2, "县法院,县直部门,1,0,0,1,1,0,-10.0,2,,\n"
                           "县城建集团,,1,1,0,0,0,0,100.0,,,\n");
    use_rated(f, &rated, r1.data);
    load(&ranks, r2.data, "ranks.csv");
    f->in.ranks = &ranks;
    expect(f,
           "{{#groups}}{{group}}:{{best_some}}|{{best_many}}{{best_full}}|{{#units}}{{unit}}"
           "{{/units}}{{/groups}}|{{#unranked}}{{unit}}{{/unranked}}|{{missing_units_count}}"
           "|{{others_named}}",
           "县直部门:单位1、单位2、单位3、单位4、单位5等7个单位|11|单位1单位2单位3单位4单位5单位6"
           "单位7|县城建集团|0|1");
    f->in.rated = &f->rated;
    f->in.ranks = &f->ranks;
    pl_table_free(&rated);
    pl_table_free(&ranks);
    pl_buf_fini(&r1);
    pl_buf_fini(&r2);
}

static void test_a_unit_bulletin_says_where_the_unit_stands(void **state)
{
    struct fixture *f = *state;
    f->in.unit = "县财政局";
    expect(f,
           "{{subset_unit}}|{{#groups}}{{group}}:{{#ranked}}{{unit}}第{{rank}}位{{/ranked}}"
           "{{top_first}}{{best}}{{/groups}}",
           "县财政局|县直部门:县财政局第2位0");
    f->in.unit = NULL;
}

static void test_livelihood_items_are_named_in_words_with_their_own_titles(void **state)
{
    struct fixture *f = *state;
    struct pl_table tasks, rated;
    load(&tasks,
         "id,kind,title,text,leaders,hosts,cohosts\n"
         "M1-1,livelihood,困难群体救助工程,提高城乡低保、特困供养人员等困难群众救助标准。将标准再次提高。"
         ",张雷,县财政局,\n"
         "M1-3,livelihood,困难群体救助工程,（3）困难群体社保费代缴工作为符合条件的建档立卡贫困人口、低保对象"
         "、特困人员等困难群体由县财政代缴。,张雷,县财政局,\n",
         "tasks.csv");
    f->in.tasks = &tasks;
    use_rated(f, &rated,
              "task_id,unit,group,progress,status,late,missing,colour,reason,arrow\n"
              "M1-1,县财政局,县直部门,10,滞后,0,0,red,进度滞后40个百分点,\n"
              "M1-3,县财政局,县直部门,10,滞后,0,0,red,进度滞后40个百分点,\n");
    expect(f, "{{#red_rows}}{{ref}}“{{title_q}}”{{|；}}{{/red_rows}}|{{#overview}}{{tid}}{{|,}}{{/overview}}",
           "民生实事第1项第（1）目“提高城乡低保、特困供养人员等困难群众救助标准”；"
           "民生实事第1项第（3）目“困难群体社保费代缴工作为符合条件的建档立卡贫困人口”"
           "|民生实事1（1）,民生实事1（3）");
    f->in.tasks = &f->tasks;
    f->in.rated = &f->rated;
    pl_table_free(&tasks);
    pl_table_free(&rated);
}

static void test_headings_stand_only_over_content(void **state)
{
    struct fixture *f = *state;
    expect(f, "{{h_good}}{{h_problems}}{{h_next}}|{{s_lagging}}{{s_returned}}{{s_reporting}}",
           "二三四|（一）（二）");
    struct pl_table rated;
    use_rated(f, &rated,
              "task_id,unit,group,progress,status,late,missing,colour,reason,arrow\n"
              "1,县财政局,县直部门,60,序时推进,0,0,blue,,\n");
    expect(f, "{{h_good}}{{h_problems}}{{h_next}}|{{s_lagging}}{{s_returned}}{{s_reporting}}",
           "二三|");
    f->in.rated = &f->rated;
    pl_table_free(&rated);
}

static void test_returned_units_are_named_apart_from_missing_ones(void **state)
{
    struct fixture *f = *state;
    struct pl_table rated;
    use_rated(f, &rated,
              "task_id,unit,group,progress,status,late,missing,colour,reason,arrow\n"
              "1,县财政局,县直部门,,报送有误,0,2,red,报送内容有误，已退回修改,\n"
              "4,县行政审批服务局,县直部门,,未报送,0,1,red,未报送,\n"
              "M3,纸坊镇,镇街,60,序时推进,0,0,blue,,\n");
    expect(f,
           "{{#returned_units}}{{name}}（{{refs}}）{{/returned_units}}|{{#missing_units}}{{name}}"
           "（{{refs}}）{{/missing_units}}|{{#by_status}}{{name}}{{count}}{{|；}}{{/by_status}}|"
           "{{lagging_rows_count}}|{{s_returned}}{{s_reporting}}",
           "县财政局（重点工作第1项）|县审批局（重点工作第4项）|序时推进1；报送有误1；未报送1|0|"
           "（一）（二）");
    f->in.rated = &f->rated;
    pl_table_free(&rated);
}

static void test_unknown_names_in_options_list_the_known_ones(void **state)
{
    struct fixture *f = *state;
    f->in.leader = "朱亚锋同志";
    assert_null(render(f, "", PL_ERR_USAGE));
    assert_non_null(strstr(f->diags.data, "牵头领导“朱亚锋同志”不在任务目录里；目录里的牵头领导有："
                                          "朱亚峰、王君磊 [E_UNKNOWN_LEADER]"));
    f->in.leader = "朱亚峰同志";
    expect(f, "{{subset}}", "朱亚峰同志牵头的任务");
    f->in.leader = NULL;
    f->in.unit = "县发改委";
    assert_null(render(f, "", PL_ERR_USAGE));
    assert_non_null(strstr(f->diags.data, "最接近的有：县发展和改革局"));
    f->in.unit = NULL;
    f->in.tasks_list = "1,M3,99";
    assert_null(render(f, "", PL_ERR_USAGE));
    assert_non_null(strstr(f->diags.data, "任务编号“99”不在任务目录里"));
    f->in.tasks_list = NULL;
}

/* Demand (DESIGN.md, Rules): 78 is addressed to everyone (县政府各部门|各镇街|县经开区), 63 is a
 * roll-up (its hosts are all collectives); both are demanded from nobody. */
static const char nd_tasks_csv[] =
    "id,kind,title,text,leaders,hosts,cohosts\n"
    "1,key,地区生产总值增长6.5%左右,,王君磊,县财政局,\n"
    "63,key,始终坚持以人民为中心发展思想,,各位县长,各民生实事项目承办单位,\n"
    "78,key,加强政治建设,,各位县长,县政府各部门|各镇街|县经开区,\n"
    "M3,livelihood,全县新增托位640个,,王君磊,县卫生健康局,\n";
static const char nd_units_csv[] = "name,aliases,kind,members,short\n"
                                   "县财政局,,department,,\n"
                                   "县卫生健康局,,department,,县卫健局\n"
                                   "县经开区,嘉祥经济开发区,zone,,\n"
                                   "县政府各部门,,collective,,\n"
                                   "各镇街,,collective,,\n"
                                   "各民生实事项目承办单位,,collective,,\n";
static const char nd_overview[] =
    "{{rows}}/{{key_tasks}}/{{yellow}}/{{nd_tasks}}:{{everyone_refs}}:{{rollup_refs}}:"
    "{{not_demanded_rows}}|{{#overview}}[{{no}} {{tid}} {{host}} {{progress}} {{colour_word}}"
    "{{#rollup}} 汇总{{items}}完成{{items_done}}{{/rollup}}{{#everyone}} 不要求单独报送"
    "{{#came}} {{unit}}{{progress}}{{/came}}{{/everyone}}]{{/overview}}";

static void use_nd_catalog(struct fixture *f, struct pl_table *tasks, struct pl_table *units,
                           const char *units_text)
{
    load(tasks, nd_tasks_csv, "tasks.csv");
    load(units, units_text, "units.csv");
    f->in.tasks = tasks;
    f->in.units = units;
}

static void restore(struct fixture *f, struct pl_table *tasks, struct pl_table *units,
                    struct pl_table *rated)
{
    f->in.tasks = &f->tasks;
    f->in.units = &f->units;
    f->in.rated = &f->rated;
    pl_table_free(tasks);
    pl_table_free(units);
    pl_table_free(rated);
}

static void test_tasks_demanded_from_nobody_are_shown_in_place_and_never_counted(void **state)
{
    struct fixture *f = *state;
    struct pl_table tasks, units, rated;
    use_nd_catalog(f, &tasks, &units, nd_units_csv);
    use_rated(f, &rated,
              "task_id,unit,group,progress,status,late,missing,colour,reason,arrow,flags\n"
              "1,县财政局,县直部门,55,序时推进,0,0,blue,,,\n"
              "78,县经开区,镇街和功能区,45,序时推进,0,0,yellow,不要求单独报送；进度滞后5个百分点,,"
              "W_NOT_DEMANDED\n"
              "M3,县卫生健康局,县直部门,100,已完成,0,0,blue,,,\n");
    expect(f, nd_overview,
           "2/1/0/2:重点工作第78项:重点工作第63项:1|[1 1 县财政局 55% 蓝]"
           "[ 63 各民生实事项目承办单位 —  汇总1完成1]"
           "[ 78 县政府各部门、各镇街、县经开区 —  不要求单独报送 县经开区45%]"
           "[2 民生实事3 县卫健局 100% 蓝]");
    restore(f, &tasks, &units, &rated);
}

static void test_without_a_flags_column_the_catalogs_rule_decides(void **state)
{
    struct fixture *f = *state;
    struct pl_table tasks, units, rated;
    use_nd_catalog(f, &tasks, &units, nd_units_csv);
    use_rated(f, &rated,
              "task_id,unit,group,progress,status,late,missing,colour,reason,arrow\n"
              "78,县经开区,镇街和功能区,45,序时推进,0,0,yellow,,\n"
              "1,县财政局,县直部门,30,滞后,0,0,red,,\n");
    expect(f, "{{rows}} {{yellow}} {{red}} {{#lagging_rows}}{{id}}{{/lagging_rows}}", "1 0 1 1");
    restore(f, &tasks, &units, &rated);
}

static void test_without_unit_kinds_every_task_is_demanded(void **state)
{
    struct fixture *f = *state;
    struct pl_table tasks, units, rated;
    /* No collectives known: 78 is an ordinary task, its row counted and coloured. */
    use_nd_catalog(f, &tasks, &units, "name,aliases\n县财政局,\n县经开区,\n");
    use_rated(f, &rated,
              "task_id,unit,group,progress,status,late,missing,colour,reason,arrow\n"
              "1,县财政局,县直部门,55,序时推进,0,0,blue,,\n"
              "78,县经开区,镇街和功能区,45,序时推进,0,0,yellow,,\n");
    expect(f, "{{rows}} {{yellow}} {{nd_tasks}} {{#overview}}{{no}}{{colour_word}}{{/overview}}",
           "2 1 0 1蓝2黄");
    restore(f, &tasks, &units, &rated);
}

static void test_a_colour_subset_of_tasks_demanded_from_nobody_is_empty(void **state)
{
    struct fixture *f = *state;
    struct pl_table tasks, units, rated;
    use_nd_catalog(f, &tasks, &units, nd_units_csv);
    use_rated(f, &rated,
              "task_id,unit,group,progress,status,late,missing,colour,reason,arrow,flags\n"
              "1,县财政局,县直部门,55,序时推进,0,0,blue,,,\n"
              "78,县经开区,镇街和功能区,45,序时推进,0,0,yellow,,,W_NOT_DEMANDED\n");
    f->in.colour = "yellow";
    assert_null(render(f, "x", PL_ERR_DATA));
    assert_non_null(strstr(f->diags.data, "不要求单独报送"));
    f->in.colour = NULL;
    /* A task list naming 78 and 1 shows 78 as such, counts 1 only. */
    f->in.tasks_list = "1,78";
    expect(f, "{{rows}} {{nd_tasks}} {{#overview}}[{{tid}}{{#everyone}}*{{/everyone}}]{{/overview}}",
           "1 1 [1][78*]");
    f->in.tasks_list = NULL;
    restore(f, &tasks, &units, &rated);
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
        cmocka_unit_test_setup_teardown(test_short_names_come_from_the_short_column_never_from_aliases,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_streams_without_required_columns_are_refused, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_counts_come_from_the_figures_never_from_status_words, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_task_is_done_when_every_host_is_done, setup, teardown),
        cmocka_unit_test_setup_teardown(test_the_years_last_cycle_speaks_of_the_year, setup, teardown),
        cmocka_unit_test_setup_teardown(test_the_issue_date_and_number_come_from_cycles_csv, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ties_beyond_five_and_unranked_units_and_courts, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_unit_bulletin_says_where_the_unit_stands, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_tasks_demanded_from_nobody_are_shown_in_place_and_never_counted, setup, teardown),
        cmocka_unit_test_setup_teardown(test_without_a_flags_column_the_catalogs_rule_decides,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_without_unit_kinds_every_task_is_demanded, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_a_colour_subset_of_tasks_demanded_from_nobody_is_empty,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_livelihood_items_are_named_in_words_with_their_own_titles, setup, teardown),
        cmocka_unit_test_setup_teardown(test_headings_stand_only_over_content, setup, teardown),
        cmocka_unit_test_setup_teardown(test_returned_units_are_named_apart_from_missing_ones, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unknown_names_in_options_list_the_known_ones, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
