/* Unit tests for the template engine: placeholders, sections, separators, errors by line. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
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

/* A made list's context: how many items it made, and whether the tree freed it. */
struct maker {
    int made;
    bool *freed;
};

static enum pl_status make_row(void *ctx, size_t key, struct pl_tpl_data *item)
{
    struct maker *m = ctx;
    m->made++;
    enum pl_status st = pl_tpl_setf(item, "id", "%zu", key * 10);
    if (st == PL_OK) {
        struct pl_tpl_list *sub = pl_tpl_list(item, "sub", "x");
        struct pl_tpl_data *s = sub ? pl_tpl_item(sub) : NULL;
        st = s ? pl_tpl_setf(s, "x", "<%zu>", key) : PL_ERR_NOMEM;
    }
    return st;
}

static void free_maker(void *p)
{
    struct maker *m = p;
    *m->freed = true;
    free(m);
}

/* Items made while rendering read as kept ones: in their places among kept items, with the
 * separators, nested lists and counts of kept ones; made again each time they are rendered;
 * the context freed with the tree, not before. */
static void test_made_items_render_as_kept_ones_and_live_with_the_tree(void **state)
{
    (void)state;
    bool freed = false;
    struct maker *m = calloc(1, sizeof *m);
    assert_non_null(m);
    m->freed = &freed;
    struct pl_tpl_data *d = pl_tpl_data_new();
    assert_int_equal(pl_tpl_keep(d, m, free_maker), PL_OK);
    struct pl_tpl_list *l = pl_tpl_list_made(d, "rows", "id", make_row, m);
    assert_non_null(l);
    assert_non_null(pl_tpl_list(pl_tpl_proto(l), "sub", "x"));
    assert_int_equal(pl_tpl_item_made(l, 1), PL_OK);
    struct pl_tpl_data *kept = pl_tpl_item(l);
    assert_non_null(kept);
    assert_int_equal(pl_tpl_set(kept, "id", "kept"), PL_OK);
    assert_non_null(pl_tpl_list(kept, "sub", "x"));
    assert_int_equal(pl_tpl_item_made(l, 7), PL_OK);
    assert_int_equal(pl_tpl_count(l), 3);
    assert_null(pl_tpl_list_made(d, "rows", "id", make_row, NULL));
    struct pl_tpl_list *none = pl_tpl_list_made(d, "none", "id", make_row, m);
    assert_non_null(none);
    const char *tpl = "{{#rows}}{{id}}{{#sub}}{{x}}{{/sub}}{{|, }}{{/rows}}."
                      "{{^none}}none{{/none}}{{#none}}{{id}}{{/none}}\n";
    for (int pass = 1; pass <= 2; pass++) {
        struct pl_buf out;
        pl_buf_init(&out);
        assert_int_equal(pl_tpl_render(tpl, strlen(tpl), "t", d, NULL, &out, NULL), PL_OK);
        assert_string_equal(out.data, "10<1>, kept, 70<7>.none\n");
        assert_int_equal(m->made, 2 * pass);
        pl_buf_fini(&out);
    }
    assert_false(freed);
    pl_tpl_data_free(d);
    assert_true(freed);
}

/* A name a made item does not have is the template's error, as for a kept one; a failing
 * maker stops the rendering with its status. */
static enum pl_status make_nothing(void *ctx, size_t key, struct pl_tpl_data *item)
{
    (void)ctx;
    (void)item;
    return key == 2 ? PL_ERR_NOMEM : PL_OK;
}

static void test_made_items_are_checked_and_their_failures_stop_the_rendering(void **state)
{
    (void)state;
    struct pl_tpl_data *d = pl_tpl_data_new();
    struct pl_tpl_list *l = pl_tpl_list_made(d, "rows", "id", make_nothing, NULL);
    assert_non_null(l);
    assert_int_equal(pl_tpl_item_made(l, 1), PL_OK);
    assert_int_equal(pl_tpl_item_made(l, 2), PL_OK);
    assert_int_equal(pl_tpl_item_made(pl_tpl_list(d, "kept", "id"), 1), PL_ERR_USAGE);
    struct pl_buf out, diags;
    pl_buf_init(&out);
    pl_buf_init(&diags);
    struct pl_diag diag;
    pl_diag_init(&diag, pl_diag_emit_buf, &diags);
    const char *bad = "{{#rows}}{{nope}}{{/rows}}\n";
    assert_int_equal(pl_tpl_render(bad, strlen(bad), "t", d, NULL, &out, &diag), PL_ERR_CONFIG);
    assert_non_null(strstr(diags.data, "nope"));
    const char *ok = "{{#rows}}x{{/rows}}\n";
    pl_buf_clear(&out);
    assert_int_equal(pl_tpl_render(ok, strlen(ok), "t", d, NULL, &out, &diag), PL_ERR_NOMEM);
    assert_string_equal(out.data ? out.data : "", "x"); /* the first item, then nothing */
    pl_buf_fini(&out);
    pl_buf_fini(&diags);
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
        cmocka_unit_test(test_made_items_render_as_kept_ones_and_live_with_the_tree),
        cmocka_unit_test(test_made_items_are_checked_and_their_failures_stop_the_rendering),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
