/* Tests for docparse: whole documents, broken ones, and the real 2023 document. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "docparse.h"
#include "encoding.h"

struct run {
    struct pl_catalog cat;
    struct pl_buf msgs;
    struct pl_diag diag;
    enum pl_status st;
};

static void import(struct run *r, const char *text)
{
    pl_catalog_init(&r->cat);
    pl_buf_init(&r->msgs);
    pl_diag_init(&r->diag, pl_diag_emit_buf, &r->msgs);
    r->st = pl_doc_import(text, strlen(text), "doc.txt", &r->cat, &r->diag);
}

static void done(struct run *r)
{
    pl_catalog_fini(&r->cat);
    pl_buf_fini(&r->msgs);
}

static const char *list(const struct pl_strv *v)
{
    static struct pl_buf b;
    pl_buf_fini(&b);
    pl_buf_init(&b);
    pl_strv_join(v, '|', &b);
    return b.data;
}

#define PREAMBLE                                                                                   \
    "泗政发〔2024〕3号\n\n泗水县人民政府\n\n关于印发2024年重点工作责任目标的通知\n\n"          \
    "各镇人民政府，县政府各部门：\n\n具体落实情况于7月10日和次年1月10日前报县政府办公室督查科。\n\n" \
    "泗水县人民政府\n2024年3月1日\n"
#define ANNEX1 "附件1：\n2024年重点工作责任目标\n1、新增城镇就业3000人。\n牵头领导：李明\n承办单位：县人社局\n"
#define ANNEX2                                                                                     \
    "附件2：\n2024年民生实事一览表\n\t序号\n\t项目名称\n\t项目内容\n\t分管领导\n\t主办单位\n\t协办单位\n\n" \
    "\t1\n\t供水工程\n\t完成10个村供水改造，其中，泗张镇4个，星村镇6个。\n\t李明\n\t县水务局\n\t各镇街\n"

static void test_empty_text_is_not_a_document(void **state)
{
    (void)state;
    struct run r;
    import(&r, "\n  \n");
    assert_int_equal(r.st, PL_ERR_DATA);
    assert_non_null(strstr(r.msgs.data, "[E_EMPTY]"));
    done(&r);
}

static void test_text_without_annex1_is_not_a_document(void **state)
{
    (void)state;
    struct run r;
    import(&r, "任务编号,承办单位,完成进度\n1,县财政局,50%\n");
    assert_int_equal(r.st, PL_ERR_DATA);
    assert_non_null(strstr(r.msgs.data, "[E_NOT_A_DOCUMENT]"));
    done(&r);
}

static void test_missing_annex2_is_refused(void **state)
{
    (void)state;
    struct run r;
    import(&r, PREAMBLE ANNEX1);
    assert_int_equal(r.st, PL_ERR_DATA);
    assert_non_null(strstr(r.msgs.data, "[E_ANNEX_MISSING]"));
    done(&r);
}

static void test_another_county_and_year_import(void **state)
{
    (void)state;
    struct run r;
    import(&r, PREAMBLE ANNEX1 ANNEX2);
    assert_int_equal(r.st, PL_OK);
    assert_int_equal(r.diag.errors, 0);
    assert_string_equal(pl_catalog_fact(&r.cat, "county"), "泗水县");
    assert_string_equal(pl_catalog_fact(&r.cat, "office"), "县政府办公室督查科");
    assert_int_equal(r.cat.ncycles, 2);
    assert_string_equal(r.cat.cycles[0].id, "2024H1");
    assert_string_equal(r.cat.cycles[0].deadline, "2024-07-10");
    assert_string_equal(r.cat.cycles[1].deadline, "2025-01-10");
    assert_int_equal(r.cat.ntasks, 2);
    assert_string_equal(r.cat.tasks[1].id, "M1");
    /* 3000人; 完成10个村供水改造 and its breakdown, which adds up: 泗张镇4个, 星村镇6个 */
    assert_int_equal(r.cat.nindicators, 4);
    assert_string_equal(r.cat.indicators[0].value, "3000");
    assert_string_equal(r.cat.indicators[1].metric, "完成村供水改造");
    assert_string_equal(r.cat.indicators[3].metric, "星村镇完成村供水改造");
    /* 各镇街 gets the towns the table enumerates. */
    for (size_t i = 0; i < r.cat.nunits; i++)
        if (strcmp(r.cat.units[i].name, "各镇街") == 0)
            assert_string_equal(list(&r.cat.units[i].members), "泗张镇|星村镇");
    done(&r);
}

/* ---- the real document -------------------------------------------------------------------- */

static struct pl_catalog real;
static struct pl_buf real_msgs;
static bool have_real;

static int load_real(void **state)
{
    (void)state;
    const char *top = getenv("DUCHA_TOP");
    char path[512];
    snprintf(path, sizeof path, "%s/input/2023/document.txt", top ? top : ".");
    pl_catalog_init(&real);
    pl_buf_init(&real_msgs);
    if (access(path, R_OK) != 0)
        return 0;
    struct pl_buf text;
    pl_buf_init(&text);
    struct pl_diag diag;
    pl_diag_init(&diag, pl_diag_emit_buf, &real_msgs);
    have_real = pl_text_load(path, PL_ENC_AUTO, &diag, &text, NULL) == PL_OK &&
                pl_doc_import(text.data, text.len, "document.txt", &real, &diag) == PL_OK &&
                diag.errors == 0;
    pl_buf_fini(&text);
    return have_real ? 0 : -1;
}

static int free_real(void **state)
{
    (void)state;
    pl_catalog_fini(&real);
    pl_buf_fini(&real_msgs);
    return 0;
}

static const struct pl_task *task(const char *id)
{
    for (size_t i = 0; i < real.ntasks; i++)
        if (strcmp(real.tasks[i].id, id) == 0)
            return &real.tasks[i];
    fail_msg("task %s not found", id);
    return NULL;
}

static void test_real_document_has_81_key_tasks_10_projects_16_items(void **state)
{
    (void)state;
    if (!have_real)
        skip();
    size_t key = 0, items = 0;
    char projects[11] = {0};
    for (size_t i = 0; i < real.ntasks; i++) {
        if (real.tasks[i].kind == PL_TASK_KEY) {
            char id[8];
            snprintf(id, sizeof id, "%zu", key + 1);
            assert_string_equal(real.tasks[i].id, id);
            key++;
        } else {
            items++;
            int p = atoi(real.tasks[i].id + 1);
            assert_true(p >= 1 && p <= 10);
            projects[p] = 1;
        }
    }
    assert_int_equal(key, 81);
    assert_int_equal(items, 16);
    for (int p = 1; p <= 10; p++)
        assert_int_equal(projects[p], 1);
}

static void test_real_document_facts_and_cycles(void **state)
{
    (void)state;
    if (!have_real)
        skip();
    assert_string_equal(pl_catalog_fact(&real, "number"), "嘉政发〔2023〕1号");
    assert_string_equal(pl_catalog_fact(&real, "issuer"), "嘉祥县人民政府");
    assert_string_equal(pl_catalog_fact(&real, "date"), "2023-02-22");
    assert_string_equal(pl_catalog_fact(&real, "office"), "县政府督查室");
    assert_string_equal(pl_catalog_fact(&real, "title"), "关于印发2023年重点工作责任目标的通知");
    assert_int_equal(real.ncycles, 2);
    assert_string_equal(real.cycles[0].deadline, "2023-06-30");
    assert_string_equal(real.cycles[1].deadline, "2023-12-30");
}

static void test_real_document_irregularities_are_reported_as_warnings(void **state)
{
    (void)state;
    if (!have_real)
        skip();
    assert_non_null(strstr(real_msgs.data, "document.txt:34: "));
    assert_non_null(strstr(real_msgs.data, "[W_TASK_NUMBER_MISSING]"));
    assert_non_null(strstr(real_msgs.data, "document.txt:722: "));
    assert_non_null(strstr(real_msgs.data, "[W_CELL_INHERITED]"));
    assert_non_null(strstr(real_msgs.data, "document.txt:160: "));
    assert_non_null(strstr(real_msgs.data, "[W_UNIT_VARIANT]"));
}

/* Written by reading the document (附件1 label lines, 附件2 table cells), not the output. */
static const struct {
    const char *id, *leaders, *hosts, *cohosts;
} expected[] = {
    {"1", "王君磊|朱亚峰", "县财政局|县发展和改革局|县商务局",
     "承担综合考核定量指标任务的部门|县统计联席会议办公室成员单位|市生态环境局嘉祥县分局|"
     "县工业和信息化局|县机关事务服务中心|国家统计局嘉祥调查队|县能源事业发展中心|县统计局|"
     "各镇街|县经开区"},
    {"2", "王君磊|杨振邦", "县委统筹疫情防控和经济运行工作领导小组（指挥部）办公室",
     "县政府各部门|各镇街|县经开区"},
    {"5", "王君磊|张艳丽|朱亚峰",
     "县发展和改革局|县财政局|县税务局|县市场监督管理局|县工业和信息化局|县商务局|"
     "县国有资产事务中心|县金融工作服务中心|人民银行嘉祥支行|济宁银保监分局嘉祥监管组",
     "各金融机构|各镇街|县经开区"},
    {"8", "王君磊|张艳丽|朱亚峰|张雷",
     "市生态环境局嘉祥县分局|县工业和信息化局|县发展和改革局|县农业农村局|县供电公司",
     "各镇街|县经开区"},
    {"17", "王君磊|张艳丽|张雷", "县农业农村局|县水务局|县农业机械化服务中心|县自然资源和规划局",
     "县发展和改革局|各镇街"},
    {"20", "王君磊|杨振邦", "县卫生健康局|县文化和旅游局|县发展和改革局",
     "县财政局|县民政局|县医疗保障局|各镇街|县经开区"},
    {"29", "王君磊|王燕军|张雷",
     "县委编办|县应急管理局|县公安局|县检察院|县法院|县疾控中心|县消防救援大队",
     "县委组织部|县人力资源和社会保障局|县财政局"},
    {"46", "王君磊|张艳丽|朱亚峰",
     "市生态环境局嘉祥县分局|县工业和信息化局|县市场监督管理局|县发展和改革局|"
     "县住房和城乡建设局|县交通运输局",
     "县“四减四增”工作专班成员单位|各镇街"},
    {"49", "王君磊|张艳丽|朱亚峰|张雷",
     "市生态环境局嘉祥县分局|县农业农村局|县工业和信息化局|县自然资源和规划局|县发展和改革局",
     "县“四减四增”工作专班成员单位|各镇街|县经开区"},
    {"60", "王君磊", "县大数据中心|嘉祥街道",
     "县公安局|县民政局|县住房和城乡建设局|县行政审批服务局|县工业和信息化局|县农业农村局|"
     "县自然资源和规划局|县教育和体育局|县卫生健康局|相关单位"},
    {"63", "各位县长", "各民生实事项目承办单位", "各民生实事项目协办单位"},
    {"74", "王燕军|孙晓伟", "县社会治理服务中心|县司法局|县公安局|县信访局",
     "县政府各部门|各镇街|县经开区"},
    {"76", "王君磊|张雷", "县应急管理局|县委编办|县财政局", "县安委会成员单位|各镇街|县经开区"},
    {"81", "各位县长", "县政府各部门|各镇街|县经开区", ""},
    {"M1-1", "张雷", "县民政局", "县财政局"},
    {"M1-2", "张雷", "县民政局", "县财政局|各镇街"},
    {"M1-3", "王君磊", "县人力资源和社会保障局", "县残联|县民政局|县乡村振兴局"},
    {"M2", "张艳丽", "县妇联", "县财政局|县住房和城乡建设局|县人居办|县农业农村局|各镇街"},
    {"M3", "王君磊", "县卫生健康局", "县财政局|各镇街"},
    {"M4-1", "张雷", "县教育和体育局|县城建集团|嘉祥街道",
     "县发展和改革局|县财政局|县自然资源和规划局|县规划发展服务中心|县住房和城乡建设局|"
     "县行政审批服务局"},
    {"M4-2", "张雷", "县教育和体育局", "县财政局|各镇街"},
    {"M5-1", "张雷", "县供销社", "各镇街"},
    {"M5-2", "张雷", "县乡村振兴局|中国农业银行嘉祥支行", "省农业发展信贷担保有限责任公司"},
    {"M6", "张雷", "县农业机械化服务中心", "县财政局"},
    {"M7-1", "张雷", "县残联", "县财政局|县卫生健康局"},
    {"M7-2", "王君磊", "县卫生健康局", "县妇幼保健计划生育服务中心"},
    {"M7-3", "王君磊", "县疾控中心", ""},
    {"M8", "王君磊", "县交通运输局|县邮政管理局", "县财政局|县商务局|县供销社|县邮政公司|各镇街"},
    {"M9", "王燕军", "县司法局", ""},
    {"M10", "张雷", "县应急管理局", "县财政局|各镇街"},
};

static void test_real_document_leaders_hosts_and_cohosts(void **state)
{
    (void)state;
    if (!have_real)
        skip();
    for (size_t i = 0; i < sizeof expected / sizeof expected[0]; i++) {
        const struct pl_task *t = task(expected[i].id);
        if (strcmp(list(&t->leaders), expected[i].leaders) != 0 ||
            strcmp(list(&t->hosts), expected[i].hosts) != 0 ||
            strcmp(list(&t->cohosts), expected[i].cohosts) != 0)
            fail_msg("task %s: %s / %s / %s", t->id, list(&t->leaders), list(&t->hosts),
                     list(&t->cohosts));
    }
}

static void test_real_document_texts_and_titles(void **state)
{
    (void)state;
    if (!have_real)
        skip();
    assert_true(strncmp(task("2")->text, "坚决扛牢统筹疫情防控", strlen("坚决扛牢统筹疫情防控")) == 0);
    assert_string_equal(task("1")->title, "地区生产总值增长6.5%左右");
    assert_string_equal(task("M5-2")->title, "扶农助农惠农工程");
    assert_true(strncmp(task("M5-2")->text, "推广开展齐鲁富民贷。", strlen("推广开展齐鲁富民贷。")) == 0);
    assert_true(strncmp(task("M9")->text, "法律援助工作站镇街全覆盖", strlen("法律援助工作站镇街全覆盖")) == 0);
}

static void test_real_document_units(void **state)
{
    (void)state;
    if (!have_real)
        skip();
    const struct pl_unit *towns = NULL, *zone = NULL, *ndrc = NULL;
    for (size_t i = 0; i < real.nunits; i++) {
        const struct pl_unit *u = &real.units[i];
        if (strcmp(u->name, "各镇街") == 0)
            towns = u;
        if (strcmp(u->name, "县经开区") == 0)
            zone = u;
        if (strcmp(u->name, "县发展和改革局") == 0)
            ndrc = u;
        assert_null(strstr(u->name, " "));
        assert_true(strcmp(u->name, "县发展改革局") != 0);
    }
    assert_non_null(towns);
    assert_int_equal(towns->kind, PL_UNIT_COLLECTIVE);
    assert_string_equal(list(&towns->members),
                        "嘉祥街道|金屯镇|满硐镇|纸坊镇|仲山镇|卧龙山街道|孟姑集镇|老僧堂镇|黄垓镇|"
                        "梁宝寺镇|大张楼镇|马村镇|万张街道");
    assert_int_equal(zone->kind, PL_UNIT_ZONE);
    assert_true(pl_strv_contains(&ndrc->aliases, "县发展改革局"));
    assert_true(pl_strv_contains(&ndrc->aliases, "县发改局"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_empty_text_is_not_a_document),
        cmocka_unit_test(test_text_without_annex1_is_not_a_document),
        cmocka_unit_test(test_missing_annex2_is_refused),
        cmocka_unit_test(test_another_county_and_year_import),
        cmocka_unit_test(test_real_document_has_81_key_tasks_10_projects_16_items),
        cmocka_unit_test(test_real_document_facts_and_cycles),
        cmocka_unit_test(test_real_document_irregularities_are_reported_as_warnings),
        cmocka_unit_test(test_real_document_leaders_hosts_and_cohosts),
        cmocka_unit_test(test_real_document_texts_and_titles),
        cmocka_unit_test(test_real_document_units),
    };
    return cmocka_run_group_tests(tests, load_real, free_real);
}
