/* Unit tests for the template engine: placeholders, sections, separators, errors by line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "template.h"

static struct pl_tpl_data *sample(void)
{
    struct pl_tpl_data *d = pl_tpl_data_new();
    pl_tpl_set(d, "county", "嘉祥县");
    pl_tpl_set(d, "red", "2");
    pl_tpl_set(d, "none", "0");
    struct pl_tpl_list *l = pl_tpl_list(d, "tasks", "id,host");
    struct pl_tpl_data *t = pl_tpl_item(l);
    pl_tpl_set(t, "id", "17");
    pl_tpl_set(t, "host", "县发改局");
    t = pl_tpl_item(l);
    pl_tpl_set(t, "id", "4");
    pl_tpl_set(t, "host", "县卫健局");
    pl_tpl_list(d, "empty", "name");
    return d;
}

static enum pl_status run(const char *tpl, struct pl_buf *out, struct pl_buf *diags)
{
    struct pl_tpl_data *d = sample();
    struct pl_diag diag;
    pl_diag_init(&diag, pl_diag_emit_buf, diags);
    enum pl_status st = pl_tpl_render(tpl, strlen(tpl), "t.tpl", d, NULL, out, &diag);
    pl_tpl_data_free(d);
    return st;
}

static void expect(const char *tpl, const char *want)
{
    struct pl_buf out, diags;
    pl_buf_init(&out);
    pl_buf_init(&diags);
    assert_int_equal(run(tpl, &out, &diags), PL_OK);
    assert_string_equal(out.data, want);
    assert_string_equal(diags.data, "");
    pl_buf_fini(&out);
    pl_buf_fini(&diags);
}

static void expect_error(const char *tpl, const char *message)
{
    struct pl_buf out, diags;
    pl_buf_init(&out);
    pl_buf_init(&diags);
    assert_int_equal(run(tpl, &out, &diags), PL_ERR_CONFIG);
    assert_string_equal(diags.data, message);
    pl_buf_fini(&out);
    pl_buf_fini(&diags);
}

static void test_placeholders_are_replaced(void **state)
{
    (void)state;
    expect("{{county}}红色{{ red }}项\n", "嘉祥县红色2项\n");
    expect("no tags at all", "no tags at all");
}

static void test_lists_repeat_with_separators(void **state)
{
    (void)state;
    expect("{{#tasks}}{{host}}负责的第{{id}}项{{|、}}{{/tasks}}。",
           "县发改局负责的第17项、县卫健局负责的第4项。");
}

static void test_names_are_looked_up_outwards(void **state)
{
    (void)state;
    expect("{{#tasks}}{{county}}{{id}};{{/tasks}}", "嘉祥县17;嘉祥县4;");
}

static void test_values_and_inverted_sections_are_conditions(void **state)
{
    (void)state;
    expect("{{#red}}有红{{/red}}{{#none}}不见{{/none}}{{^none}}无{{/none}}", "有红无");
    expect("{{^empty}}没有{{/empty}}{{#empty}}{{name}}{{/empty}}", "没有");
}

static void test_standalone_tag_lines_leave_no_line(void **state)
{
    (void)state;
    expect("a\n{{#tasks}}\n- {{id}}\n  {{|}}\n{{/tasks}}\n{{! note }}\nb\n", "a\n- 17\n- 4\nb\n");
}

static void test_unknown_names_are_errors_with_their_line(void **state)
{
    (void)state;
    expect_error("a\n{{nope}}\n", "t.tpl:2: 未知的占位符 {{nope}} [E_TEMPLATE]\n");
    /* Also inside a list that happens to be empty, and a section not shown. */
    expect_error("{{#empty}}\n{{nme}}\n{{/empty}}", "t.tpl:2: 未知的占位符 {{nme}} [E_TEMPLATE]\n");
    expect_error("{{#none}}{{zz}}{{/none}}", "t.tpl:1: 未知的占位符 {{zz}} [E_TEMPLATE]\n");
    expect_error("{{#nolist}}{{/nolist}}", "t.tpl:1: 未知的段名 {{#nolist}} [E_TEMPLATE]\n");
}

static void test_unclosed_and_mismatched_sections_are_errors(void **state)
{
    (void)state;
    expect_error("x\n{{#tasks}}\n", "t.tpl:2: 段 {{#tasks}} 没有关闭 [E_TEMPLATE]\n");
    expect_error("{{#tasks}}{{/red}}",
                 "t.tpl:1: {{/red}} 关闭的不是第1行打开的 {{#tasks}} [E_TEMPLATE]\n");
    expect_error("{{/tasks}}", "t.tpl:1: {{/tasks}} 前面没有对应的 {{#…}} [E_TEMPLATE]\n");
    expect_error("a {{county", "t.tpl:1: 标签“{{county”没有以 }} 结束 [E_TEMPLATE]\n");
    expect_error("{{a-b}}", "t.tpl:1: 名字“a-b”不合规则（只用字母、数字和 _） [E_TEMPLATE]\n");
    expect_error("{{tasks}}", "t.tpl:1: {{tasks}} 是列表，要用 {{#…}}…{{/…}} [E_TEMPLATE]\n");
}

static void test_defaults_apply_where_the_data_is_silent(void **state)
{
    (void)state;
    expect("{{:issuer=某县人民政府督查室}}\n{{:county=某县}}\n{{issuer}}/{{county}}\n",
           "某县人民政府督查室/嘉祥县\n");
    expect_error("{{:bad}}", "t.tpl:1: 默认值写成 {{:名字=值}}：“bad” [E_TEMPLATE]\n");
}

static void test_nested_lists_in_empty_lists_are_checked(void **state)
{
    (void)state;
    struct pl_tpl_data *d = pl_tpl_data_new();
    struct pl_tpl_list *g = pl_tpl_list(d, "groups", "group");
    pl_tpl_list(pl_tpl_proto(g), "units", "name");
    struct pl_buf out, diags;
    pl_buf_init(&out);
    pl_buf_init(&diags);
    struct pl_diag diag;
    pl_diag_init(&diag, pl_diag_emit_buf, &diags);
    const char *ok = "{{#groups}}{{group}}{{#units}}{{name}}{{/units}}{{/groups}}";
    assert_int_equal(pl_tpl_render(ok, strlen(ok), "t", d, NULL, &out, &diag), PL_OK);
    const char *bad = "{{#groups}}{{#units}}{{nam}}{{/units}}{{/groups}}";
    assert_int_equal(pl_tpl_render(bad, strlen(bad), "t", d, NULL, &out, &diag), PL_ERR_CONFIG);
    assert_string_equal(diags.data, "t:1: 未知的占位符 {{nam}} [E_TEMPLATE]\n");
    pl_buf_fini(&out);
    pl_buf_fini(&diags);
    pl_tpl_data_free(d);
}

static enum pl_status shout(struct pl_buf *out, const char *s)
{
    pl_buf_append_char(out, '<');
    pl_buf_append_str(out, s);
    return pl_buf_append_char(out, '>');
}

static void test_values_go_through_the_escape_function(void **state)
{
    (void)state;
    struct pl_tpl_data *d = sample();
    struct pl_buf out;
    pl_buf_init(&out);
    const char *tpl = "{{county}}|{{&county}}";
    assert_int_equal(pl_tpl_render(tpl, strlen(tpl), "t", d, shout, &out, NULL), PL_OK);
    assert_string_equal(out.data, "<嘉祥县>|嘉祥县");
    assert_int_equal(pl_tpl_count(pl_tpl_list(d, "tasks", NULL)), 2);
    pl_buf_fini(&out);
    pl_tpl_data_free(d);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_placeholders_are_replaced),
        cmocka_unit_test(test_lists_repeat_with_separators),
        cmocka_unit_test(test_names_are_looked_up_outwards),
        cmocka_unit_test(test_values_and_inverted_sections_are_conditions),
        cmocka_unit_test(test_standalone_tag_lines_leave_no_line),
        cmocka_unit_test(test_unknown_names_are_errors_with_their_line),
        cmocka_unit_test(test_unclosed_and_mismatched_sections_are_errors),
        cmocka_unit_test(test_values_go_through_the_escape_function),
        cmocka_unit_test(test_defaults_apply_where_the_data_is_silent),
        cmocka_unit_test(test_nested_lists_in_empty_lists_are_checked),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
