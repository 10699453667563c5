/* Tests for indicators: quantitative targets read from task texts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "indicators.h"

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
    assert_string_equal(scan("地区生产总值增长6.5%左右，"), "地区生产总值增长,~,6.5,%,地区生产总值增长6.5%左右\n");
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
    assert_string_equal(scan("挖潜土地指标1800亩。"), "挖潜土地指标,=,1800,亩,挖潜土地指标1800亩\n");
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

static void test_value_lists_are_left_out(void **state)
{
    (void)state;
    assert_string_equal(scan("城乡居民人均可支配收入分别增长7%、10%左右，"), "");
    assert_string_equal(scan("幼儿园公办率、普惠率分别达65%、95%以上。"), "");
    assert_string_equal(scan("基本医疗保险参保率达到95.3%、97%以上。"), "");
}

static void test_value_followed_by_words_is_left_out(void **state)
{
    (void)state;
    assert_string_equal(scan("持续突破过50亿元大项目。"), "");
    assert_string_equal(scan("实现80%以上快件统一共仓共配。"), "");
    assert_string_equal(scan("完成100个村供水保障提升工程。"), "");
}

static void test_numbers_in_quotes_codes_and_ranges_are_not_values(void **state)
{
    (void)state;
    assert_string_equal(scan("落实“15条硬措施”，推进S244改线，PM2.5协同管控，为0—17周岁儿童，"
                             "年龄在 35-75 岁，新建5G基站100个以上。"),
                        "新建5G基站,>=,100,个,新建5G基站100个以上\n");
}

static void test_dates_are_not_values(void **state)
{
    (void)state;
    assert_string_equal(scan("2023年8月全面完成机场路学校建设，在2022年底的基础上"), "");
}

static void test_breakdown_after_qizhong_is_left_out(void **state)
{
    (void)state;
    assert_string_equal(scan("全县新增托位640个。其中，嘉祥街道169个，金屯镇51个。"),
                        "全县新增托位,=,640,个,全县新增托位640个\n");
}

static void test_rates_per_unit_are_left_out(void **state)
{
    (void)state;
    assert_string_equal(scan("补助标准为每亩30元。新建县、镇婴幼儿照护服务机构各1个，"), "");
}

static void test_metric_shorter_than_three_characters_is_left_out(void **state)
{
    (void)state;
    assert_string_equal(scan("建设市级美丽乡村示范村15个、省级4个。"),
                        "建设市级美丽乡村示范村,=,15,个,建设市级美丽乡村示范村15个\n");
}

static void test_decimal_shift_moves_the_point(void **state)
{
    (void)state;
    struct {
        const char *in;
        int shift;
        const char *out;
    } cases[] = {{"1.3", 4, "13000"}, {"6.5", 0, "6.5"},   {"4.05", 0, "4.05"},
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
        cmocka_unit_test(test_value_lists_are_left_out),
        cmocka_unit_test(test_value_followed_by_words_is_left_out),
        cmocka_unit_test(test_numbers_in_quotes_codes_and_ranges_are_not_values),
        cmocka_unit_test(test_dates_are_not_values),
        cmocka_unit_test(test_breakdown_after_qizhong_is_left_out),
        cmocka_unit_test(test_rates_per_unit_are_left_out),
        cmocka_unit_test(test_metric_shorter_than_three_characters_is_left_out),
        cmocka_unit_test(test_decimal_shift_moves_the_point),
        cmocka_unit_test(test_decimal_shift_refuses_non_numbers),
        cmocka_unit_test(test_indicators_add_fills_the_catalog),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
