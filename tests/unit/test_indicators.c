/* Tests for indicators: quantitative targets read from task texts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "diag.h"
#include "docparse.h"
#include "encoding.h"
#include "indicators.h"
#include "table.h"

static struct pl_buf found;

static enum pl_status collect(void *ctx, const char *metric, const char *cmp, const char *value,
                              const char *unit, const char *source)
{
    (void)ctx;
    pl_buf_printf(&found, "%s,%s,%s,%s,%s\n", metric, cmp, value, unit, source);
    return PL_OK;
}

static const char *scan(const char *text)
{
    pl_buf_clear(&found);
    assert_int_equal(pl_indicators_scan(text, strlen(text), collect, NULL), PL_OK);
    return found.data;
}

static int setup(void **state)
{
    (void)state;
    pl_buf_init(&found);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    pl_buf_fini(&found);
    return 0;
}

static void test_wan_is_expanded_and_yishang_is_at_least(void **state)
{
    (void)state;
    assert_string_equal(scan("以贴心周全服务全面激发市场主体活力，新增各类市场主体1.3万家以上。"),
                        "新增各类市场主体,>=,13000,家,新增各类市场主体1.3万家以上\n");
}

static void test_yi_is_expanded_and_hedge_left_out_of_metric(void **state)
{
    (void)state;
    assert_string_equal(scan("力促新增贷款50亿元以上。"),
                        "新增贷款,>=,5000000000,元,力促新增贷款50亿元以上\n");
}

static void test_zuoyou_is_about(void **state)
{
    (void)state;
    assert_string_equal(scan("地区生产总值增长6.5%左右，"),
                        "地区生产总值增长,~,6.5,%,地区生产总值增长6.5%左右\n");
}

static void test_yankongzai_yinei_is_at_most(void **state)
{
    (void)state;
    assert_string_equal(scan("城镇登记失业率严控在4%以内。"),
                        "城镇登记失业率,<=,4,%,城镇登记失业率严控在4%以内\n");
}

static void test_prefix_words_give_the_comparator(void **state)
{
    (void)state;
    assert_string_equal(scan("土地流转率达到65%。"), "土地流转率,>=,65,%,土地流转率达到65%\n");
    assert_string_equal(scan("外资到位不低于5000万美元。"),
                        "外资到位,>=,50000000,美元,外资到位不低于5000万美元\n");
    assert_string_equal(scan("年内引进过亿元产业项目不少于20个，"),
                        "引进过亿元产业项目,>=,20,个,年内引进过亿元产业项目不少于20个\n");
}

static void test_bare_number_is_equal(void **state)
{
    (void)state;
    assert_string_equal(scan("挖潜土地指标1800亩。"),
                        "挖潜土地指标,=,1800,亩,挖潜土地指标1800亩\n");
}

static void test_stable_at_strips_to_the_metric(void **state)
{
    (void)state;
    assert_string_equal(scan("确保粮食产量稳定在13亿斤以上。"),
                        "粮食产量,>=,1300000000,斤,确保粮食产量稳定在13亿斤以上\n");
}

static void test_two_values_in_one_clause_are_two_targets(void **state)
{
    (void)state;
    assert_string_equal(scan("新增市级以上龙头企业3家、示范社（场）15家；"),
                        "新增市级以上龙头企业,=,3,家,新增市级以上龙头企业3家\n"
                        "示范社（场）,=,15,家,示范社（场）15家\n");
}

/* ---- lists of values ---------------------------------------------------------------------- */

static void test_values_shared_out_over_a_list_of_names(void **state)
{
    (void)state;
    assert_string_equal(scan("幼儿园公办率、普惠率分别达65%、95%以上。"),
                        "幼儿园公办率,>=,65,%,幼儿园公办率、普惠率分别达65%、95%以上\n"
                        "幼儿园普惠率,>=,95,%,幼儿园公办率、普惠率分别达65%、95%以上\n");
}

static void test_names_of_a_list_share_their_tail(void **state)
{
    (void)state;
    assert_string_equal(
        scan("城乡居民基本养老保险、基本医疗保险参保率达到95.3%、97%以上。"),
        "城乡居民基本养老保险参保率,>=,95.3,%,城乡居民基本养老保险、基本医疗保险参保率达到95.3%、"
        "97%以上\n"
        "基本医疗保险参保率,>=,97,%,城乡居民基本养老保险、基本医疗保险参保率达到95.3%、97%以上\n");
}

static void test_chengxiang_pair_is_urban_then_rural(void **state)
{
    (void)state;
    assert_string_equal(
        scan("城乡居民人均可支配收入分别增长7%、10%左右，"),
        "城镇居民人均可支配收入增长,~,7,%,城乡居民人均可支配收入分别增长7%、10%左右\n"
        "农村居民人均可支配收入增长,~,10,%,城乡居民人均可支配收入分别增长7%、10%左右\n");
    assert_string_equal(
        scan("城乡居民人均可支配收入分别增长7%/10%左右，"),
        "城镇居民人均可支配收入增长,~,7,%,城乡居民人均可支配收入分别增长7%/10%左右\n"
        "农村居民人均可支配收入增长,~,10,%,城乡居民人均可支配收入分别增长7%/10%左右\n");
}

static void test_value_lists_without_as_many_names_are_left_out(void **state)
{
    (void)state;
    assert_string_equal(scan("居民人均可支配收入分别增长7%、10%左右。"), "");
    assert_string_equal(scan("幼儿园公办率、普惠率分别达65%、95%、98%以上。"), "");
    assert_string_equal(scan("一般公共预算收入、税收收入分别每年增长7%、8%。"), "");
}

/* ---- a number before the noun it counts --------------------------------------------------- */

static void test_number_before_the_noun_is_counted(void **state)
{
    (void)state;
    assert_string_equal(scan("完成100个村供水保障提升工程。"),
                        "完成村供水保障提升工程,=,100,个,完成100个村供水保障提升工程\n");
    assert_string_equal(scan("持续推进生态保护修复，启动9个历史遗留矿山修复示范工程，"),
                        "启动历史遗留矿山修复示范工程,=,9,个,启动9个历史遗留矿山修复示范工程\n");
    assert_string_equal(scan("始终坚持以人民为中心发展思想，持续办好10件民生实事。"),
                        "办好民生实事,=,10,件,持续办好10件民生实事\n");
}

static void test_percent_before_the_noun_is_a_share(void **state)
{
    (void)state;
    assert_string_equal(scan("建成县级共配中心基地，实现80%以上快件统一共仓共配。"),
                        "实现快件统一共仓共配,>=,80,%,实现80%以上快件统一共仓共配\n");
    assert_string_equal(
        scan("2023年，全县农村80%的常住家庭参与建设，35%的常住家庭达到“美丽庭院”户的"
             "标准。"),
        "全县农村常住家庭参与建设,=,80,%,全县农村80%的常住家庭参与建设\n"
        "常住家庭达到“美丽庭院”户的标准,=,35,%,35%的常住家庭达到“美丽庭院”户的标准\n");
    assert_string_equal(
        scan("2023年底前学校教室照明100%达到国家标准要求，"),
        "学校教室照明达到国家标准要求,=,100,%,2023年底前学校教室照明100%达到国家标准"
        "要求\n");
}

static void test_listed_things_before_the_count_give_way_to_the_verb(void **state)
{
    (void)state;
    assert_string_equal(
        scan("完成农业局片区、检察院片区、南关二期等7个续建棚改项目，"),
        "完成续建棚改项目,=,7,个,完成农业局片区、检察院片区、南关二期等7个续建棚改项目\n");
    assert_string_equal(scan("加快建设县级“养老智慧平台”及2处门诊慢病管理服务中心。"),
                        "建设门诊慢病管理服务中心,=,2,处,2处门诊慢病管理服务中心\n");
}

static void test_counted_nouns_of_a_list_share_a_tail(void **state)
{
    (void)state;
    assert_string_equal(scan("完成48个小区、67个单位雨污分流工程，"),
                        "完成小区雨污分流工程,=,48,个,完成48个小区、67个单位雨污分流工程\n"
                        "完成单位雨污分流工程,=,67,个,完成48个小区、67个单位雨污分流工程\n");
    assert_string_equal(
        scan("完成义务教育段147个薄改与能力提升项目及1413口小学教室照明灯安装工程。"),
        "完成义务教育段薄改与能力提升项目,=,147,个,完成义务教育段147个薄改与能力提升项"
        "目\n"
        "完成小学教室照明灯安装工程,=,1413,口,1413口小学教室照明灯安装工程\n");
}

static void test_money_before_a_noun_names_a_kind(void **state)
{
    (void)state;
    assert_string_equal(scan("持续突破过50亿元大项目。"), "");
    assert_string_equal(scan("由县财政代缴最低100元档次的居民养老保险。"), "");
}

/* ---- metrics the text leaves to the reader ------------------------------------------------ */

static void test_elliptical_level_takes_the_previous_metric(void **state)
{
    (void)state;
    assert_string_equal(scan("建设市级美丽乡村示范村15个、省级4个。"),
                        "建设市级美丽乡村示范村,=,15,个,建设市级美丽乡村示范村15个\n"
                        "建设省级美丽乡村示范村,=,4,个,省级4个\n");
}

static void test_other_short_metrics_are_left_out(void **state)
{
    (void)state;
    assert_string_equal(scan("建设示范村15个、其他4个。"), "建设示范村,=,15,个,建设示范村15个\n");
    assert_string_equal(scan("省级4个。"), "");
}

static void test_total_is_named_after_the_increase(void **state)
{
    (void)state;
    assert_string_equal(scan("2023年，全县新增托位640个，总量达到2896个，千人口托位数达到4.05个。"),
                        "全县新增托位,=,640,个,全县新增托位640个\n"
                        "托位总量,>=,2896,个,总量达到2896个\n"
                        "千人口托位数,>=,4.05,个,千人口托位数达到4.05个\n");
}

static void test_each_over_levels_is_a_target_a_level(void **state)
{
    (void)state;
    assert_string_equal(scan("新建县、镇婴幼儿照护服务机构各1个，新增托位640个。"),
                        "新建县婴幼儿照护服务机构,=,1,个,新建县、镇婴幼儿照护服务机构各1个\n"
                        "新建镇婴幼儿照护服务机构,=,1,个,新建县、镇婴幼儿照护服务机构各1个\n"
                        "新增托位,=,640,个,新增托位640个\n");
    assert_string_equal(scan("每个镇街各1个。建设示范点各2处。"), "");
}

/* ---- breakdowns ---------------------------------------------------------------------------- */

static void test_breakdown_adding_up_names_each_place(void **state)
{
    (void)state;
    assert_string_equal(
        scan("全县新增托位300个。其中，济河街道120个，泉林镇60个，泗张镇、星村镇各60个。"),
        "全县新增托位,=,300,个,全县新增托位300个\n"
        "济河街道新增托位,=,120,个,济河街道120个\n"
        "泉林镇新增托位,=,60,个,泉林镇60个\n"
        "泗张镇新增托位,=,60,个,泗张镇、星村镇各60个\n"
        "星村镇新增托位,=,60,个,泗张镇、星村镇各60个\n");
    assert_string_equal(scan("新增托位300个，其中济河街道200个、泉林镇100个。"),
                        "新增托位,=,300,个,新增托位300个\n"
                        "济河街道新增托位,=,200,个,济河街道200个\n"
                        "泉林镇新增托位,=,100,个,泉林镇100个\n");
}

static void test_breakdown_not_adding_up_is_left_out(void **state)
{
    (void)state;
    assert_string_equal(scan("全县新增托位640个。其中，嘉祥街道169个，金屯镇51个。"),
                        "全县新增托位,=,640,个,全县新增托位640个\n");
    assert_string_equal(scan("新建水厂1座。其中，泗张镇、星村镇各1座。"),
                        "新建水厂,=,1,座,新建水厂1座\n");
}

/* ---- what is never a target --------------------------------------------------------------- */

static void test_count_whose_noun_holds_another_value_is_left_out(void **state)
{
    (void)state;
    assert_string_equal(scan("建设2个项目总投资5亿元。"),
                        "项目总投资,=,500000000,元,项目总投资5亿元\n");
}

static void test_numbers_in_quotes_codes_and_ranges_are_not_values(void **state)
{
    (void)state;
    assert_string_equal(scan("落实“15条硬措施”，推进S244改线，PM2.5协同管控，为0—17周岁儿童，"
                             "年龄在 35-75 岁，新建5G基站100个以上。"),
                        "新建5G基站,>=,100,个,新建5G基站100个以上\n");
    assert_string_equal(
        scan("促进6大核心产业链深度拓展，构建“10分钟”政务服务圈，盯紧国内外“500强”。"), "");
}

static void test_dates_are_not_values(void **state)
{
    (void)state;
    assert_string_equal(scan("2023年8月全面完成机场路学校建设，在2022年底的基础上"), "");
    assert_string_equal(
        scan("具体落实情况分别于6月30日和12月30日前以正式文件报县政府督查室。6月底前完成。"), "");
}

static void test_document_numbers_ordinals_and_ranks_are_not_values(void **state)
{
    (void)state;
    assert_string_equal(scan("嘉政发〔2023〕1号"), "");
    assert_string_equal(scan("第5项任务，开展第五次经济普查，第1名。"), "");
    assert_string_equal(scan("争创全市前3名，进入全省前10位。"), "");
}

static void test_rates_per_unit_are_left_out(void **state)
{
    (void)state;
    assert_string_equal(scan("补助标准为每亩30元。继续按照每人2元的标准，按照每户2元的标准。"), "");
}

static void test_decimal_shift_moves_the_point(void **state)
{
    (void)state;
    struct {
        const char *in;
        int shift;
        const char *out;
    } cases[] = {{"1.3", 4, "13000"}, {"6.5", 0, "6.5"},       {"4.05", 0, "4.05"},
                 {"0.5", 4, "5000"},  {"12", 8, "1200000000"}, {"１２", 0, "12"},
                 {"007", 0, "7"},     {"2.50", 0, "2.5"}};
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct pl_buf b;
        pl_buf_init(&b);
        assert_int_equal(pl_decimal_shift(cases[i].in, strlen(cases[i].in), cases[i].shift, &b),
                         PL_OK);
        assert_string_equal(b.data, cases[i].out);
        pl_buf_fini(&b);
    }
}

static void test_decimal_shift_refuses_non_numbers(void **state)
{
    (void)state;
    struct pl_buf b;
    pl_buf_init(&b);
    assert_int_equal(pl_decimal_shift("1.2.3", 5, 0, &b), PL_ERR_DATA);
    assert_int_equal(pl_decimal_shift("", 0, 0, &b), PL_ERR_DATA);
    pl_buf_fini(&b);
}

static void test_indicators_add_fills_the_catalog(void **state)
{
    (void)state;
    struct pl_catalog c;
    pl_catalog_init(&c);
    assert_int_equal(pl_indicators_add(&c, "4", "新增各类市场主体1.3万家以上。"), PL_OK);
    assert_int_equal(c.nindicators, 1);
    assert_string_equal(c.indicators[0].task_id, "4");
    assert_string_equal(c.indicators[0].unit, "家");
    pl_catalog_fini(&c);
}

static void test_indicators_add_numbers_a_repeated_metric(void **state)
{
    (void)state;
    struct pl_catalog c;
    pl_catalog_init(&c);
    assert_int_equal(pl_indicators_add(&c, "9", "新建口袋公园2处。新建口袋公园3处。"), PL_OK);
    assert_int_equal(pl_indicators_add(&c, "10", "新建口袋公园4处。"), PL_OK);
    assert_int_equal(c.nindicators, 3);
    assert_string_equal(c.indicators[0].metric, "新建口袋公园");
    assert_string_equal(c.indicators[1].metric, "新建口袋公园（2）");
    assert_string_equal(c.indicators[2].metric, "新建口袋公园");
    pl_catalog_fini(&c);
}

/* ---- the 2023 document against a careful reading of it ----------------------------------- */

/* tests/unit/data/targets/2023.csv is every quantitative target of input/2023/document.txt read
 * by hand; 2023-out.csv the numbers of its tasks that are no target (see README.md there). A
 * target found must be a row of the reading, field for field: one that is not is invented. */
static void test_targets_of_the_2023_document_against_a_careful_reading(void **state)
{
    (void)state;
    const char *top = getenv("DUCHA_TOP");
    char doc[512], want_path[512], out_path[512];
    snprintf(doc, sizeof doc, "%s/input/2023/document.txt", top ? top : ".");
    snprintf(want_path, sizeof want_path, "%s/tests/unit/data/targets/2023.csv", top ? top : ".");
    snprintf(out_path, sizeof out_path, "%s/tests/unit/data/targets/2023-out.csv", top ? top : ".");
    if (access(doc, R_OK) != 0)
        skip();
    struct pl_buf msgs, text;
    pl_buf_init(&msgs);
    pl_buf_init(&text);
    struct pl_diag diag;
    pl_diag_init(&diag, pl_diag_emit_buf, &msgs);
    struct pl_catalog cat;
    pl_catalog_init(&cat);
    assert_int_equal(pl_text_load(doc, PL_ENC_AUTO, &diag, &text, NULL), PL_OK);
    assert_int_equal(pl_doc_import(text.data, text.len, "document.txt", &cat, &diag), PL_OK);
    struct pl_table want, out;
    assert_int_equal(pl_table_read(want_path, &want, &diag), PL_OK);
    assert_int_equal(pl_table_read(out_path, &out, &diag), PL_OK);
    static const char *const cols[] = {"task_id", "metric", "comparator",
                                       "value",   "unit",   "source"};
    int wc[6];
    for (size_t k = 0; k < 6; k++)
        assert_true((wc[k] = pl_table_column(&want, cols[k])) >= 0);
    bool *hit = calloc(want.nrows + 1, sizeof *hit);
    assert_non_null(hit);
    size_t invented = 0;
    for (size_t i = 0; i < cat.nindicators; i++) {
        const struct pl_indicator *x = &cat.indicators[i];
        const char *got[6] = {x->task_id, x->metric, x->comparator, x->value, x->unit, x->source};
        bool known = false;
        for (size_t r = 0; r < want.nrows && !known; r++) {
            known = true;
            for (size_t k = 0; k < 6 && known; k++)
                known = strcmp(pl_table_get(&want, r, wc[k]), got[k]) == 0;
            if (known)
                hit[r] = true;
        }
        if (!known) {
            invented++;
            print_message("invented: %s,%s,%s,%s,%s,%s\n", got[0], got[1], got[2], got[3], got[4],
                          got[5]);
        }
        /* a metric names one indicator of its task */
        for (size_t j = 0; j < i; j++)
            if (strcmp(cat.indicators[j].task_id, x->task_id) == 0)
                assert_string_not_equal(cat.indicators[j].metric, x->metric);
        /* no number of the out list is read as a target of its task */
        int ot = pl_table_column(&out, "task_id"), ov = pl_table_column(&out, "value"),
            ou = pl_table_column(&out, "unit");
        for (size_t r = 0; r < out.nrows; r++) {
            const char *unit = pl_table_get(&out, r, ou);
            if (strcmp(pl_table_get(&out, r, ot), x->task_id) == 0 &&
                strcmp(pl_table_get(&out, r, ov), x->value) == 0 &&
                (!*unit || strcmp(unit, x->unit) == 0)) {
                print_message("read from %s: %s,%s\n", pl_table_get(&out, r, 1), x->task_id,
                              x->metric);
                invented++;
            }
        }
    }
    size_t found = 0;
    for (size_t r = 0; r < want.nrows; r++) {
        if (hit[r])
            found++;
        else
            print_message("missed: %s,%s,%s,%s\n", pl_table_get(&want, r, wc[0]),
                          pl_table_get(&want, r, wc[1]), pl_table_get(&want, r, wc[3]),
                          pl_table_get(&want, r, wc[4]));
    }
    print_message("targets of the 2023 document: %zu of %zu found (%.1f%%), %zu invented\n", found,
                  want.nrows, 100.0 * (double)found / (double)want.nrows, invented);
    assert_true(want.nrows > 100);
    assert_true(found * 100 >= want.nrows * 95);
    assert_int_equal(invented, 0);
    free(hit);
    pl_table_free(&want);
    pl_table_free(&out);
    pl_catalog_fini(&cat);
    pl_buf_fini(&text);
    pl_buf_fini(&msgs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_wan_is_expanded_and_yishang_is_at_least),
        cmocka_unit_test(test_yi_is_expanded_and_hedge_left_out_of_metric),
        cmocka_unit_test(test_zuoyou_is_about),
        cmocka_unit_test(test_yankongzai_yinei_is_at_most),
        cmocka_unit_test(test_prefix_words_give_the_comparator),
        cmocka_unit_test(test_bare_number_is_equal),
        cmocka_unit_test(test_stable_at_strips_to_the_metric),
        cmocka_unit_test(test_two_values_in_one_clause_are_two_targets),
        cmocka_unit_test(test_values_shared_out_over_a_list_of_names),
        cmocka_unit_test(test_names_of_a_list_share_their_tail),
        cmocka_unit_test(test_chengxiang_pair_is_urban_then_rural),
        cmocka_unit_test(test_value_lists_without_as_many_names_are_left_out),
        cmocka_unit_test(test_number_before_the_noun_is_counted),
        cmocka_unit_test(test_percent_before_the_noun_is_a_share),
        cmocka_unit_test(test_listed_things_before_the_count_give_way_to_the_verb),
        cmocka_unit_test(test_counted_nouns_of_a_list_share_a_tail),
        cmocka_unit_test(test_money_before_a_noun_names_a_kind),
        cmocka_unit_test(test_elliptical_level_takes_the_previous_metric),
        cmocka_unit_test(test_other_short_metrics_are_left_out),
        cmocka_unit_test(test_total_is_named_after_the_increase),
        cmocka_unit_test(test_each_over_levels_is_a_target_a_level),
        cmocka_unit_test(test_breakdown_adding_up_names_each_place),
        cmocka_unit_test(test_breakdown_not_adding_up_is_left_out),
        cmocka_unit_test(test_count_whose_noun_holds_another_value_is_left_out),
        cmocka_unit_test(test_numbers_in_quotes_codes_and_ranges_are_not_values),
        cmocka_unit_test(test_dates_are_not_values),
        cmocka_unit_test(test_document_numbers_ordinals_and_ranks_are_not_values),
        cmocka_unit_test(test_rates_per_unit_are_left_out),
        cmocka_unit_test(test_decimal_shift_moves_the_point),
        cmocka_unit_test(test_decimal_shift_refuses_non_numbers),
        cmocka_unit_test(test_indicators_add_fills_the_catalog),
        cmocka_unit_test(test_indicators_add_numbers_a_repeated_metric),
        cmocka_unit_test(test_targets_of_the_2023_document_against_a_careful_reading),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
