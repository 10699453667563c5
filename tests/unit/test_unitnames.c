/* Tests for unitnames: lists of names, unit kinds, aliases, towns and canonical names. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "unitnames.h"

static char *joined(const char *list)
{
    static struct pl_buf b;
    struct pl_strv v;
    pl_strv_init(&v);
    assert_int_equal(pl_names_split(list, strlen(list), &v), PL_OK);
    pl_buf_fini(&b);
    pl_buf_init(&b);
    assert_int_equal(pl_strv_join(&v, '|', &b), PL_OK);
    pl_strv_fini(&v);
    return b.data;
}

static void test_list_splits_on_dunhao_and_comma(void **state)
{
    (void)state;
    assert_string_equal(joined("县经开区，县工业和信息化局、县发展和改革局"),
                        "县经开区|县工业和信息化局|县发展和改革局");
}

static void test_spaces_inside_names_are_removed(void **state)
{
    (void)state;
    assert_string_equal(joined("张  雷"), "张雷");
    assert_string_equal(joined("  王君磊、张雷 "), "王君磊|张雷");
}

static void test_multi_line_cell_is_a_list(void **state)
{
    (void)state;
    assert_string_equal(joined("县财政局\n\n各镇街"), "县财政局|各镇街");
}

static void test_dash_means_none(void **state)
{
    (void)state;
    assert_string_equal(joined("——"), "");
    assert_string_equal(joined("无"), "");
}

static void test_deng_xiangguan_danwei_keeps_the_unit_and_a_collective(void **state)
{
    (void)state;
    assert_string_equal(joined("县教育和体育局、县卫生健康局等相关单位"),
                        "县教育和体育局|县卫生健康局|相关单位");
}

static void test_trailing_full_stop_is_dropped(void **state)
{
    (void)state;
    assert_string_equal(joined("县法院，县检察院，县人武部。"), "县法院|县检察院|县人武部");
}

static void test_kinds_follow_from_names(void **state)
{
    (void)state;
    struct {
        const char *name;
        enum pl_unit_kind kind;
    } cases[] = {
        {"各镇街", PL_UNIT_COLLECTIVE},
        {"县政府各部门", PL_UNIT_COLLECTIVE},
        {"县食安委成员单位", PL_UNIT_COLLECTIVE},
        {"相关镇街", PL_UNIT_COLLECTIVE},
        {"承担综合考核定量指标任务的部门", PL_UNIT_COLLECTIVE},
        {"入驻县行政审批服务中心及分中心窗口单位", PL_UNIT_COLLECTIVE},
        {"纸坊镇", PL_UNIT_TOWN},
        {"嘉祥街道", PL_UNIT_TOWN},
        {"县经开区", PL_UNIT_ZONE},
        {"县城建集团", PL_UNIT_ENTERPRISE},
        {"县供电公司", PL_UNIT_ENTERPRISE},
        {"中国农业银行嘉祥支行", PL_UNIT_BANK},
        {"嘉祥农商银行", PL_UNIT_BANK},
        {"嘉祥县农村信用合作联社", PL_UNIT_BANK},
        {"省农业发展信贷担保有限责任公司", PL_UNIT_ENTERPRISE},
        {"县邮政公司", PL_UNIT_ENTERPRISE},
        /* Vertically managed (issue 14 point 4): not directed by the county government. */
        {"县税务局", PL_UNIT_VERTICAL},
        {"国家税务总局嘉祥县税务局", PL_UNIT_VERTICAL},
        {"县消防救援大队", PL_UNIT_VERTICAL},
        {"县邮政管理局", PL_UNIT_VERTICAL},
        {"县气象局", PL_UNIT_VERTICAL},
        {"县烟草专卖局", PL_UNIT_VERTICAL},
        {"国家统计局嘉祥调查队", PL_UNIT_VERTICAL},
        {"市住房公积金管理中心嘉祥县管理部", PL_UNIT_VERTICAL},
        {"县检察院", PL_UNIT_JUDICIAL},
        /* …and county bodies that only sound alike stay departments. */
        {"县公路局", PL_UNIT_DEPARTMENT},
        {"县金融工作服务中心", PL_UNIT_DEPARTMENT},
        {"县统计局", PL_UNIT_DEPARTMENT},
        {"人民银行嘉祥支行", PL_UNIT_VERTICAL},
        {"市生态环境局嘉祥县分局", PL_UNIT_VERTICAL},
        {"济宁银保监分局嘉祥监管组", PL_UNIT_VERTICAL},
        {"县委编办", PL_UNIT_PARTY},
        {"县妇联", PL_UNIT_MASS},
        {"县供销社", PL_UNIT_MASS},
        {"县法院", PL_UNIT_JUDICIAL},
        {"县财政局", PL_UNIT_DEPARTMENT},
        {"济宁国家农业科技园区（嘉祥园区）建设发展服务中心", PL_UNIT_DEPARTMENT},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        bool known;
        enum pl_unit_kind k = pl_unit_classify(cases[i].name, &known);
        if (k != cases[i].kind)
            fail_msg("%s: kind %s", cases[i].name, pl_unit_kind_name(k));
        assert_true(known);
    }
}

static void test_short_names_are_standard_forms_or_the_name(void **state)
{
    (void)state;
    const char *cases[][2] = {
        {"县发展和改革局", "县发改局"},     {"县人力资源和社会保障局", "县人社局"},
        {"县财政局", "县财政局"},           {"县市场监督管理局", "县市场监管局"},
        /* never a pre-reform name, never another body's name */
        {"县农业农村局", "县农业农村局"},   {"县大数据中心", "县大数据中心"},
        {"县乡村振兴局", "县乡村振兴局"},   {"县行政审批服务局", "县行政审批服务局"},
        {"县消防救援大队", "县消防救援大队"}, {"县交通运输局", "县交通运输局"},
        {"纸坊镇", "纸坊镇"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct pl_buf b;
        pl_buf_init(&b);
        assert_int_equal(pl_unit_short_form(cases[i][0], pl_unit_classify(cases[i][0], NULL), &b),
                         PL_OK);
        if (strcmp(b.data, cases[i][1]) != 0)
            fail_msg("%s: short %s, want %s", cases[i][0], b.data, cases[i][1]);
        pl_buf_fini(&b);
    }
    assert_true(pl_unit_name_pre_reform("县农业局"));
    assert_true(pl_unit_name_pre_reform("县消防大队"));
    assert_false(pl_unit_name_pre_reform("县农业农村局"));
}

static void test_short_name_that_names_another_unit_is_refused(void **state)
{
    (void)state;
    /* 县人社局 is another unit's own name here: 县人力资源和社会保障局 keeps its name. */
    struct pl_unitreg *r = pl_unitreg_new();
    assert_int_equal(pl_unitreg_note(r, "县人力资源和社会保障局", 1), PL_OK);
    assert_int_equal(pl_unitreg_note(r, "县发展和改革局", 2), PL_OK);
    struct pl_catalog cat;
    pl_catalog_init(&cat);
    assert_int_equal(pl_unitreg_finish(r, "嘉祥县", NULL, "doc", NULL, &cat), PL_OK);
    assert_string_equal(cat.units[1].short_name, "县发改局");
    /* Now a catalog where the short form is taken by a body of its own. */
    pl_catalog_fini(&cat);
    pl_unitreg_free(r);
    r = pl_unitreg_new();
    assert_int_equal(pl_unitreg_note(r, "县发展和改革局", 1), PL_OK);
    pl_catalog_init(&cat);
    struct pl_unit *u = pl_catalog_add_unit(&cat);
    u->name = strdup("县发改局");
    u->kind = PL_UNIT_DEPARTMENT;
    assert_int_equal(pl_unitreg_finish(r, "嘉祥县", NULL, "doc", NULL, &cat), PL_OK);
    assert_string_equal(cat.units[1].name, "县发展和改革局");
    assert_string_equal(cat.units[1].short_name, "县发展和改革局");
    pl_catalog_fini(&cat);
    pl_unitreg_free(r);
}

static void test_unknown_kind_is_said_so(void **state)
{
    (void)state;
    bool known = true;
    pl_unit_classify("张三李四", &known);
    assert_false(known);
}

static void test_aliases_hold_the_usual_short_forms(void **state)
{
    (void)state;
    struct {
        const char *name;
        const char *alias;
    } cases[] = {
        {"县发展和改革局", "县发改局"},       {"县发展和改革局", "发改局"},
        {"县发展和改革局", "嘉祥县发展和改革局"}, {"县人力资源和社会保障局", "县人社局"},
        {"县住房和城乡建设局", "县住建局"},   {"县住房和城乡建设局", "县住房城乡建设局"},
        {"县市场监督管理局", "县市场监管局"}, {"县卫生健康局", "县卫健局"},
        {"县委编办", "编办"},                 {"县经开区", "嘉祥经济开发区管委会"},
        {"纸坊镇", "纸坊镇人民政府"},         {"嘉祥街道", "嘉祥街道办事处"},
        {"县税务局", "国家税务总局嘉祥县税务局"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct pl_strv v;
        pl_strv_init(&v);
        assert_int_equal(pl_unit_aliases(cases[i].name, pl_unit_classify(cases[i].name, NULL),
                                         "嘉祥县", &v),
                         PL_OK);
        if (!pl_strv_contains(&v, cases[i].alias))
            fail_msg("%s lacks alias %s", cases[i].name, cases[i].alias);
        assert_false(pl_strv_contains(&v, cases[i].name));
        pl_strv_fini(&v);
    }
}

static void test_county_short_name_drops_xian(void **state)
{
    (void)state;
    struct pl_buf b;
    pl_buf_init(&b);
    assert_int_equal(pl_county_short("嘉祥县", &b), PL_OK);
    assert_string_equal(b.data, "嘉祥");
    pl_buf_clear(&b);
    assert_int_equal(pl_county_short("沛县", &b), PL_OK);
    assert_string_equal(b.data, "沛县");
    pl_buf_fini(&b);
}

static void test_towns_enumerated_with_numbers_are_found(void **state)
{
    (void)state;
    const char *text = "2023年，全县新增托位640个。其中，嘉祥街道169个，金屯镇51个，卧龙山街道54个，"
                       "金屯镇3个。纸坊镇精致城镇试点。";
    struct pl_strv v;
    pl_strv_init(&v);
    assert_int_equal(pl_names_find_towns(text, strlen(text), &v), PL_OK);
    assert_int_equal(v.n, 3);
    assert_string_equal(v.v[0], "嘉祥街道");
    assert_string_equal(v.v[1], "金屯镇");
    assert_string_equal(v.v[2], "卧龙山街道");
    pl_strv_fini(&v);
}

static void test_variant_spelling_becomes_alias_of_the_usual_one(void **state)
{
    (void)state;
    struct pl_buf msgs;
    pl_buf_init(&msgs);
    struct pl_diag diag;
    pl_diag_init(&diag, pl_diag_emit_buf, &msgs);
    struct pl_unitreg *r = pl_unitreg_new();
    assert_non_null(r);
    assert_int_equal(pl_unitreg_note(r, "县发展改革局", 160), PL_OK);
    assert_int_equal(pl_unitreg_note(r, "县发展和改革局", 30), PL_OK);
    assert_int_equal(pl_unitreg_note(r, "县发展和改革局", 52), PL_OK);
    assert_int_equal(pl_unitreg_note(r, "各镇街", 32), PL_OK);
    assert_int_equal(pl_unitreg_note(r, "纸坊镇", 476), PL_OK);
    struct pl_strv towns;
    pl_strv_init(&towns);
    pl_strv_push_str(&towns, "嘉祥街道");
    pl_strv_push_str(&towns, "纸坊镇");
    struct pl_catalog c;
    pl_catalog_init(&c);
    assert_int_equal(pl_unitreg_finish(r, "嘉祥县", &towns, "doc.txt", &diag, &c), PL_OK);
    assert_string_equal(pl_unitreg_canonical(r, "县发展改革局"), "县发展和改革局");
    assert_non_null(strstr(msgs.data, "doc.txt:160:"));
    assert_non_null(strstr(msgs.data, "[W_UNIT_VARIANT]"));
    /* Units in order of first use; the towns of the list that nobody named come last. */
    assert_int_equal(c.nunits, 4);
    assert_string_equal(c.units[0].name, "县发展和改革局");
    assert_true(pl_strv_contains(&c.units[0].aliases, "县发展改革局"));
    assert_string_equal(c.units[1].name, "各镇街");
    assert_int_equal(c.units[1].kind, PL_UNIT_COLLECTIVE);
    assert_int_equal(c.units[1].members.n, 2);
    assert_string_equal(c.units[3].name, "嘉祥街道");
    assert_int_equal(c.units[3].kind, PL_UNIT_TOWN);
    pl_catalog_fini(&c);
    pl_strv_fini(&towns);
    pl_unitreg_free(r);
    pl_buf_fini(&msgs);
}

static void test_short_form_is_merged_into_the_full_name(void **state)
{
    (void)state;
    struct pl_buf msgs;
    pl_buf_init(&msgs);
    struct pl_diag diag;
    pl_diag_init(&diag, pl_diag_emit_buf, &msgs);
    struct pl_unitreg *r = pl_unitreg_new();
    pl_unitreg_note(r, "县人社局", 3);
    pl_unitreg_note(r, "县人社局", 5);
    pl_unitreg_note(r, "县人力资源和社会保障局", 9);
    struct pl_catalog c;
    pl_catalog_init(&c);
    assert_int_equal(pl_unitreg_finish(r, "泗水县", NULL, "doc.txt", &diag, &c), PL_OK);
    assert_int_equal(c.nunits, 1);
    assert_string_equal(c.units[0].name, "县人力资源和社会保障局");
    assert_string_equal(pl_unitreg_canonical(r, "县人社局"), "县人力资源和社会保障局");
    assert_non_null(strstr(msgs.data, "doc.txt:3: “县人社局”是“县人力资源和社会保障局”的简称"));
    pl_catalog_fini(&c);
    pl_unitreg_free(r);
    pl_buf_fini(&msgs);
}

static void test_town_outside_the_list_is_reported(void **state)
{
    (void)state;
    struct pl_buf msgs;
    pl_buf_init(&msgs);
    struct pl_diag diag;
    pl_diag_init(&diag, pl_diag_emit_buf, &msgs);
    struct pl_unitreg *r = pl_unitreg_new();
    pl_unitreg_note(r, "新城镇", 9);
    struct pl_strv towns;
    pl_strv_init(&towns);
    pl_strv_push_str(&towns, "嘉祥街道");
    struct pl_catalog c;
    pl_catalog_init(&c);
    assert_int_equal(pl_unitreg_finish(r, "嘉祥县", &towns, "doc.txt", &diag, &c), PL_OK);
    assert_non_null(strstr(msgs.data, "[W_TOWN_UNLISTED]"));
    pl_catalog_fini(&c);
    pl_strv_fini(&towns);
    pl_unitreg_free(r);
    pl_buf_fini(&msgs);
}

static void test_alias_shared_by_two_units_is_dropped(void **state)
{
    (void)state;
    struct pl_unitreg *r = pl_unitreg_new();
    /* Both would get the bare alias 组织部, and neither is the other's short form. */
    pl_unitreg_note(r, "县委组织部", 1);
    pl_unitreg_note(r, "县组织部", 2);
    struct pl_catalog c;
    pl_catalog_init(&c);
    assert_int_equal(pl_unitreg_finish(r, "嘉祥县", NULL, "doc.txt", NULL, &c), PL_OK);
    for (size_t u = 0; u < c.nunits; u++)
        assert_false(pl_strv_contains(&c.units[u].aliases, "组织部"));
    assert_int_equal(c.nunits, 2);
    pl_catalog_fini(&c);
    pl_unitreg_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_list_splits_on_dunhao_and_comma),
        cmocka_unit_test(test_spaces_inside_names_are_removed),
        cmocka_unit_test(test_multi_line_cell_is_a_list),
        cmocka_unit_test(test_dash_means_none),
        cmocka_unit_test(test_deng_xiangguan_danwei_keeps_the_unit_and_a_collective),
        cmocka_unit_test(test_trailing_full_stop_is_dropped),
        cmocka_unit_test(test_kinds_follow_from_names),
        cmocka_unit_test(test_short_names_are_standard_forms_or_the_name),
        cmocka_unit_test(test_short_name_that_names_another_unit_is_refused),
        cmocka_unit_test(test_unknown_kind_is_said_so),
        cmocka_unit_test(test_aliases_hold_the_usual_short_forms),
        cmocka_unit_test(test_county_short_name_drops_xian),
        cmocka_unit_test(test_towns_enumerated_with_numbers_are_found),
        cmocka_unit_test(test_variant_spelling_becomes_alias_of_the_usual_one),
        cmocka_unit_test(test_short_form_is_merged_into_the_full_name),
        cmocka_unit_test(test_town_outside_the_list_is_reported),
        cmocka_unit_test(test_alias_shared_by_two_units_is_dropped),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
