/* Tests for catalog: the model, its files, reading back what Excel saves, lookups. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <iconv.h>
#include <unistd.h>

#include "catalog.h"
#include "table.h"

static char dir[64];

static int make_dir(void **state)
{
    (void)state;
    strcpy(dir, "/tmp/test_catalog.XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int remove_dir(void **state)
{
    (void)state;
    const char *names[] = {"tasks.csv", "units.csv", "indicators.csv", "cycles.csv",
                           "document.csv"};
    char path[128];
    for (size_t i = 0; i < 5; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        unlink(path);
    }
    return rmdir(dir);
}

static void put(const char *name, const char *text)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    fputs(text, fp);
    assert_int_equal(fclose(fp), 0);
}

static void build(struct pl_catalog *c)
{
    pl_catalog_init(c);
    struct pl_unit *u = pl_catalog_add_unit(c);
    u->name = strdup("县发展和改革局");
    pl_strv_push_str(&u->aliases, "县发改局");
    u->kind = PL_UNIT_DEPARTMENT;
    u = pl_catalog_add_unit(c);
    u->name = strdup("各镇街");
    u->kind = PL_UNIT_COLLECTIVE;
    pl_strv_push_str(&u->members, "纸坊镇");
    u = pl_catalog_add_unit(c);
    u->name = strdup("纸坊镇");
    u->kind = PL_UNIT_TOWN;
    struct pl_task *t = pl_catalog_add_task(c);
    t->id = strdup("1");
    t->kind = PL_TASK_KEY;
    t->title = strdup("地区生产总值增长6.5%左右");
    t->text = strdup("地区生产总值增长6.5%左右，\"快\"");
    pl_strv_push_str(&t->leaders, "王君磊");
    pl_strv_push_str(&t->hosts, "县发展和改革局");
    pl_strv_push_str(&t->cohosts, "各镇街");
    struct pl_indicator *x = pl_catalog_add_indicator(c);
    x->task_id = strdup("1");
    x->metric = strdup("地区生产总值增长");
    x->comparator = strdup("~");
    x->value = strdup("6.5");
    x->unit = strdup("%");
    x->source = strdup("地区生产总值增长6.5%左右");
    struct pl_cycle *y = pl_catalog_add_cycle(c);
    y->id = strdup("2023H1");
    y->label = strdup("2023年上半年");
    y->start = strdup("2023-01-01");
    y->end = strdup("2023-06-30");
    y->deadline = strdup("2023-06-30");
    y->expected = strdup("50");
    pl_catalog_set_fact(c, "number", "嘉政发〔2023〕1号");
}

static void test_every_unit_kind_has_a_name_that_parses_back(void **state)
{
    (void)state;
    for (int k = 0; k < PL_UNIT_KIND_COUNT; k++) {
        const char *name = pl_unit_kind_name((enum pl_unit_kind)k);
        assert_non_null(name);
        enum pl_unit_kind back;
        assert_true(pl_unit_kind_parse(name, &back));
        assert_int_equal(back, k);
    }
    assert_null(pl_unit_kind_name(PL_UNIT_KIND_COUNT));
    assert_string_equal(pl_unit_kind_group(PL_UNIT_TOWN), "镇街");
    assert_string_equal(pl_unit_kind_group(PL_UNIT_ZONE), "县直部门");
    assert_null(pl_unit_kind_group(PL_UNIT_COLLECTIVE));
}

static void test_written_catalog_reads_back_the_same(void **state)
{
    (void)state;
    struct pl_catalog c, back;
    build(&c);
    assert_int_equal(pl_catalog_write(&c, dir), PL_OK);
    pl_catalog_init(&back);
    assert_int_equal(pl_catalog_read(&back, dir, NULL), PL_OK);
    assert_int_equal(back.ntasks, 1);
    assert_string_equal(back.tasks[0].text, "地区生产总值增长6.5%左右，\"快\"");
    assert_int_equal(back.nunits, 3);
    assert_int_equal(back.units[1].kind, PL_UNIT_COLLECTIVE);
    assert_string_equal(back.units[1].members.v[0], "纸坊镇");
    assert_int_equal(back.nindicators, 1);
    assert_string_equal(back.indicators[0].comparator, "~");
    assert_int_equal(back.ncycles, 1);
    assert_string_equal(pl_catalog_fact(&back, "number"), "嘉政发〔2023〕1号");
    pl_catalog_fini(&back);
    pl_catalog_fini(&c);
}

static void test_files_are_utf8_csv_with_lf_and_header(void **state)
{
    (void)state;
    struct pl_catalog c;
    build(&c);
    assert_int_equal(pl_catalog_write(&c, dir), PL_OK);
    char path[128];
    snprintf(path, sizeof path, "%s/tasks.csv", dir);
    FILE *fp = fopen(path, "rb");
    char buf[512] = {0};
    fread(buf, 1, sizeof buf - 1, fp);
    fclose(fp);
    assert_string_equal(buf, "\xEF\xBB\xBFid,kind,title,text,leaders,hosts,cohosts,due\n"
                             "1,key,地区生产总值增长6.5%左右,\"地区生产总值增长6.5%左右，\"\"快\"\"\","
                             "王君磊,县发展和改革局,各镇街,\n");
    pl_catalog_fini(&c);
}

static void test_excel_bom_and_crlf_are_accepted(void **state)
{
    (void)state;
    put("units.csv", "\xEF\xBB\xBFname,aliases,kind,members\r\n县财政局,财政局,department,\r\n"
                     "各镇街,,collective,纸坊镇\r\n纸坊镇,,town,\r\n");
    put("tasks.csv", "\xEF\xBB\xBF" "id,kind,title,text,leaders,hosts,cohosts\r\n"
                     "1,key,甲,\"甲，乙\r\n丙\",张雷,财政局,各镇街\r\n");
    put("cycles.csv", "id,label,start,end,deadline,expected\r\n2023H1,上半年,2023-01-01,"
                      "2023-06-30,2023-06-30,50\r\n");
    put("indicators.csv", "task_id,metric,comparator,value,unit,source\n");
    put("document.csv", "key,value\n");
    struct pl_catalog c;
    pl_catalog_init(&c);
    assert_int_equal(pl_catalog_read(&c, dir, NULL), PL_OK);
    assert_int_equal(c.ntasks, 1);
    assert_string_equal(c.tasks[0].id, "1");
    assert_string_equal(c.tasks[0].text, "甲，乙\r\n丙");
    assert_string_equal(c.units[0].name, "县财政局");
    pl_catalog_fini(&c);
}

static void test_columns_in_another_order_are_accepted(void **state)
{
    (void)state;
    put("units.csv", "kind,name,note,aliases,members\ndepartment,县财政局,x,财政局,\n");
    put("tasks.csv", "hosts,id,kind,title,text,leaders,cohosts\n县财政局,7,key,甲,甲,张雷,\n");
    put("cycles.csv", "id,label,start,end,deadline,expected\n");
    struct pl_catalog c;
    pl_catalog_init(&c);
    assert_int_equal(pl_catalog_read(&c, dir, NULL), PL_OK);
    assert_string_equal(c.tasks[0].id, "7");
    assert_string_equal(c.tasks[0].hosts.v[0], "县财政局");
    pl_catalog_fini(&c);
}

static void test_units_are_found_by_name_alias_and_width(void **state)
{
    (void)state;
    struct pl_catalog c;
    build(&c);
    assert_int_equal(pl_catalog_index(&c, NULL, NULL), PL_OK);
    assert_string_equal(pl_catalog_find_unit(&c, "县发改局")->name, "县发展和改革局");
    assert_string_equal(pl_catalog_find_unit(&c, " 县发展和改革局 ")->name, "县发展和改革局");
    assert_null(pl_catalog_find_unit(&c, "县商务局"));
    assert_string_equal(pl_catalog_find_task(&c, "1")->title, "地区生产总值增长6.5%左右");
    assert_null(pl_catalog_find_task(&c, "2"));
    assert_string_equal(pl_catalog_find_cycle(&c, "2023H1")->expected, "50");
    pl_catalog_fini(&c);
}

static void test_alias_of_two_units_finds_neither(void **state)
{
    (void)state;
    struct pl_catalog c;
    pl_catalog_init(&c);
    const char *names[] = {"县农业农村局", "县农业机械化服务中心"};
    for (int i = 0; i < 2; i++) {
        struct pl_unit *u = pl_catalog_add_unit(&c);
        u->name = strdup(names[i]);
        pl_strv_push_str(&u->aliases, "农业局");
    }
    struct pl_buf msgs;
    pl_buf_init(&msgs);
    struct pl_diag diag;
    pl_diag_init(&diag, pl_diag_emit_buf, &msgs);
    assert_int_equal(pl_catalog_index(&c, &diag, "units.csv"), PL_OK);
    assert_null(pl_catalog_find_unit(&c, "农业局"));
    assert_non_null(strstr(msgs.data, "[W_CATALOG_ALIAS]"));
    pl_buf_fini(&msgs);
    pl_catalog_fini(&c);
}

static void test_bad_rows_are_reported_and_fail_the_read(void **state)
{
    (void)state;
    put("units.csv", "name,aliases,kind,members\n县财政局,,bureau,\n县商务局,,department,\n"
                     "县商务局,,department,\n");
    put("tasks.csv", "id,kind,title,text,leaders,hosts,cohosts\n1,key,甲,甲,张雷,县统计局,\n"
                     "1,key,乙,乙,张雷,县商务局,\n2,urgent,丙,丙,张雷,县商务局,\n");
    put("cycles.csv", "id,label,start,end,deadline,expected\nH1,a,b,c,d,half\n");
    struct pl_buf msgs;
    pl_buf_init(&msgs);
    struct pl_diag diag;
    pl_diag_init(&diag, pl_diag_emit_buf, &msgs);
    struct pl_catalog c;
    pl_catalog_init(&c);
    assert_int_equal(pl_catalog_read(&c, dir, &diag), PL_ERR_CONFIG);
    /* Columns are spreadsheet columns: C is the kind, A the name or id, F expected. */
    assert_non_null(strstr(msgs.data, "units.csv:2:3: "));
    assert_non_null(strstr(msgs.data, "[E_CATALOG_KIND]"));
    assert_non_null(strstr(msgs.data, "units.csv:4:1: "));
    assert_non_null(strstr(msgs.data, "tasks.csv:3:1: "));
    assert_non_null(strstr(msgs.data, "[E_CATALOG_DUPLICATE]"));
    assert_non_null(strstr(msgs.data, "tasks.csv:4:2: "));
    assert_non_null(strstr(msgs.data, "“县统计局”在units.csv中找不到 [E_CATALOG_UNIT]"));
    assert_non_null(strstr(msgs.data, "cycles.csv:2:6: "));
    pl_catalog_fini(&c);
    pl_buf_fini(&msgs);
}

static void test_missing_header_column_is_reported(void **state)
{
    (void)state;
    put("units.csv", "name,kind\n县财政局,department\n");
    put("tasks.csv", "id,kind,title,text,leaders,hosts,cohosts\n");
    put("cycles.csv", "id,label,start,end,deadline,expected\n");
    struct pl_buf msgs;
    pl_buf_init(&msgs);
    struct pl_diag diag;
    pl_diag_init(&diag, pl_diag_emit_buf, &msgs);
    struct pl_catalog c;
    pl_catalog_init(&c);
    assert_int_equal(pl_catalog_read(&c, dir, &diag), PL_ERR_CONFIG);
    assert_non_null(strstr(msgs.data, "表头缺少“aliases”列 [E_CATALOG_HEADER]"));
    pl_catalog_fini(&c);
    pl_buf_fini(&msgs);
}

static void test_missing_required_file_cannot_be_opened(void **state)
{
    (void)state;
    struct pl_catalog c;
    pl_catalog_init(&c);
    assert_int_equal(pl_catalog_read(&c, "/nonexistent/catalog", NULL), PL_ERR_OPEN);
    pl_catalog_fini(&c);
}

static void test_write_into_missing_dir_cannot_create(void **state)
{
    (void)state;
    struct pl_catalog c;
    build(&c);
    assert_int_equal(pl_catalog_write(&c, "/nonexistent/catalog"), PL_ERR_CREATE);
    pl_catalog_fini(&c);
}

static void test_shipped_catalog_reads_cleanly(void **state)
{
    (void)state;
    const char *top = getenv("DUCHA_TOP");
    char path[512];
    snprintf(path, sizeof path, "%s/input/2023/catalog", top ? top : ".");
    if (access(path, R_OK) != 0)
        skip();
    struct pl_buf msgs;
    pl_buf_init(&msgs);
    struct pl_diag diag;
    pl_diag_init(&diag, pl_diag_emit_buf, &msgs);
    struct pl_catalog c;
    pl_catalog_init(&c);
    assert_int_equal(pl_catalog_read(&c, path, &diag), PL_OK);
    assert_int_equal(diag.errors + diag.warnings, 0);
    assert_int_equal(c.ntasks, 97);
    assert_string_equal(pl_catalog_find_unit(&c, "县发改局")->name, "县发展和改革局");
    assert_string_equal(pl_catalog_find_unit(&c, "县发展改革局")->name, "县发展和改革局");
    assert_string_equal(pl_catalog_find_unit(&c, "嘉祥经济开发区管委会")->name, "县经开区");
    assert_int_equal(pl_catalog_find_unit(&c, "各镇街")->members.n, 13);
    assert_string_equal(pl_catalog_find_task(&c, "M7-3")->hosts.v[0], "县疾控中心");
    pl_catalog_fini(&c);
    pl_buf_fini(&msgs);
}

/* A small catalog whose units.csv is UNITS and whose one task has HOSTS and COHOSTS. */
static void put_small(const char *units, const char *hosts, const char *cohosts)
{
    put("units.csv", units);
    char tasks[512];
    snprintf(tasks, sizeof tasks, "id,kind,title,text,leaders,hosts,cohosts\n1,key,甲,甲,张雷,%s,%s\n",
             hosts, cohosts);
    put("tasks.csv", tasks);
    put("cycles.csv", "id,label,start,end,deadline,expected\n2023H1,上半年,2023-01-01,"
                      "2023-06-30,2023-06-30,50\n");
    put("indicators.csv", "task_id,metric,comparator,value,unit,source\n");
    put("document.csv", "key,value\n");
}

static const char units_basic[] = "name,aliases,kind,members\n县财政局,财政局,department,\n"
                                  "县商务局,商务局,department,\n各镇街,,collective,纸坊镇\n"
                                  "纸坊镇,纸坊镇政府,town,\n";

static void test_alias_host_is_the_unit_with_a_warning(void **state)
{
    (void)state;
    put_small(units_basic, "财政局", "商务局");
    struct pl_buf msgs;
    pl_buf_init(&msgs);
    struct pl_diag diag;
    pl_diag_init(&diag, pl_diag_emit_buf, &msgs);
    struct pl_catalog c;
    pl_catalog_init(&c);
    assert_int_equal(pl_catalog_read(&c, dir, &diag), PL_OK);
    assert_int_equal(c.tasks[0].hosts.n, 1);
    assert_string_equal(c.tasks[0].hosts.v[0], "县财政局");
    assert_string_equal(c.tasks[0].cohosts.v[0], "县商务局");
    assert_non_null(strstr(msgs.data, "tasks.csv:2: 任务1的承办单位写作“财政局”"));
    assert_non_null(strstr(msgs.data, "[W_CATALOG_ALIAS_USED]"));
    assert_int_equal(diag.errors, 0);
    pl_catalog_fini(&c);
    pl_buf_fini(&msgs);
}

static void test_unknown_host_is_still_an_error(void **state)
{
    (void)state;
    put_small(units_basic, "财务局", "");
    struct pl_diag diag;
    pl_diag_init(&diag, NULL, NULL);
    struct pl_catalog c;
    pl_catalog_init(&c);
    assert_int_equal(pl_catalog_read(&c, dir, &diag), PL_ERR_CONFIG);
    assert_int_equal(diag.errors, 1);
    pl_catalog_fini(&c);
}

static void test_unit_named_twice_under_two_names_is_one(void **state)
{
    (void)state;
    put_small(units_basic, "县财政局|财政局", "县财政局|商务局|县商务局");
    struct pl_buf msgs;
    pl_buf_init(&msgs);
    struct pl_diag diag;
    pl_diag_init(&diag, pl_diag_emit_buf, &msgs);
    struct pl_catalog c;
    pl_catalog_init(&c);
    assert_int_equal(pl_catalog_read(&c, dir, &diag), PL_OK);
    assert_int_equal(c.tasks[0].hosts.n, 1);
    /* 县财政局 is a host: not a co-unit as well; 商务局 and 县商务局 are one co-unit. */
    assert_int_equal(c.tasks[0].cohosts.n, 1);
    assert_string_equal(c.tasks[0].cohosts.v[0], "县商务局");
    assert_non_null(strstr(msgs.data, "[W_CATALOG_UNIT_TWICE]"));
    pl_catalog_fini(&c);
    pl_buf_fini(&msgs);
}

static void test_distinct_units_are_not_merged(void **state)
{
    (void)state;
    put_small(units_basic, "县财政局|县商务局", "");
    struct pl_diag diag;
    pl_diag_init(&diag, NULL, NULL);
    struct pl_catalog c;
    pl_catalog_init(&c);
    assert_int_equal(pl_catalog_read(&c, dir, &diag), PL_OK);
    assert_int_equal(c.tasks[0].hosts.n, 2);
    assert_int_equal(diag.warnings, 0);
    pl_catalog_fini(&c);
}

static void test_members_written_as_aliases_are_resolved(void **state)
{
    (void)state;
    put_small("name,aliases,kind,members\n各镇街,,collective,纸坊镇政府|纸坊镇\n"
              "纸坊镇,纸坊镇政府,town,\n县财政局,,department,\n",
              "县财政局", "各镇街");
    struct pl_catalog c;
    pl_catalog_init(&c);
    assert_int_equal(pl_catalog_read(&c, dir, NULL), PL_OK);
    assert_int_equal(c.units[0].members.n, 1);
    assert_string_equal(c.units[0].members.v[0], "纸坊镇");
    pl_catalog_fini(&c);
}

static void test_renamed_unit_keeps_its_old_name_as_alias(void **state)
{
    (void)state;
    /* 县农业局 became 县农业农村局; tasks.csv still says 县农业局. */
    put_small("name,aliases,kind,members\n县农业农村局,县农业局,department,\n", "县农业局", "");
    struct pl_catalog c;
    pl_catalog_init(&c);
    assert_int_equal(pl_catalog_read(&c, dir, NULL), PL_OK);
    assert_string_equal(c.tasks[0].hosts.v[0], "县农业农村局");
    assert_string_equal(pl_catalog_find_unit(&c, "县农业局")->name, "县农业农村局");
    pl_catalog_fini(&c);
}

static void put_gbk(const char *name, const char *utf8)
{
    iconv_t cd = iconv_open("GB18030", "UTF-8");
    assert_true(cd != (iconv_t)-1);
    char out[2048];
    char *in = (char *)utf8, *o = out;
    size_t inleft = strlen(utf8), outleft = sizeof out - 1;
    assert_true(iconv(cd, &in, &inleft, &o, &outleft) != (size_t)-1);
    *o = '\0';
    iconv_close(cd);
    put(name, out);
}

static void test_units_saved_as_gbk_with_crlf_are_read(void **state)
{
    (void)state;
    put_small(units_basic, "县财政局", "");
    put_gbk("units.csv", "name,aliases,kind,members,short\r\n县财政局,财政局,department,,\r\n"
                         "县发展和改革局,县发改局,department,,县发改局\r\n");
    struct pl_catalog c;
    pl_catalog_init(&c);
    assert_int_equal(pl_catalog_read(&c, dir, NULL), PL_OK);
    assert_string_equal(c.units[1].name, "县发展和改革局");
    assert_string_equal(pl_unit_short(&c.units[1]), "县发改局");
    pl_catalog_fini(&c);
    /* The programs that read the catalog as tables read it the same way. */
    struct pl_table t;
    assert_int_equal(pl_catalog_read_table(dir, "units.csv", &t, NULL), PL_OK);
    assert_int_equal(t.nrows, 2);
    assert_string_equal(pl_table_get(&t, 1, pl_table_column(&t, "name")), "县发展和改革局");
    pl_table_free(&t);
    assert_int_equal(pl_table_read(strcat(strcpy((char[128]){0}, dir), "/units.csv"), &t, NULL),
                     PL_OK);
    assert_string_equal(pl_table_get(&t, 0, pl_table_column(&t, "aliases")), "财政局");
    pl_table_free(&t);
}

static void test_read_table_gives_resolved_hosts(void **state)
{
    (void)state;
    put_small(units_basic, "财政局|县财政局", "商务局");
    struct pl_buf msgs;
    pl_buf_init(&msgs);
    struct pl_diag diag;
    pl_diag_init(&diag, pl_diag_emit_buf, &msgs);
    struct pl_table t;
    assert_int_equal(pl_catalog_read_table(dir, "tasks.csv", &t, &diag), PL_OK);
    assert_string_equal(pl_table_get(&t, 0, pl_table_column(&t, "hosts")), "县财政局");
    assert_string_equal(pl_table_get(&t, 0, pl_table_column(&t, "cohosts")), "县商务局");
    assert_int_equal(t.lines[0], 2);
    pl_table_free(&t);
    unsigned long warnings = diag.warnings;
    assert_true(warnings > 0);
    /* units.csv read as a table repeats no warning. */
    assert_int_equal(pl_catalog_read_table(dir, "units.csv", &t, &diag), PL_OK);
    assert_int_equal(diag.warnings, warnings);
    pl_table_free(&t);
    pl_buf_fini(&msgs);
}

static void test_contact_and_short_columns_are_kept_or_blank(void **state)
{
    (void)state;
    put_small("name,aliases,kind,members,简称,联系人,电话,邮箱\n"
              "县财政局,,department,,,李明,0537-6821234,czj@example.cn\n"
              "县商务局,,department,,县商务局,,,\n",
              "县财政局", "");
    struct pl_catalog c;
    pl_catalog_init(&c);
    assert_int_equal(pl_catalog_read(&c, dir, NULL), PL_OK);
    assert_string_equal(c.units[0].contact, "李明");
    assert_string_equal(c.units[0].phone, "0537-6821234");
    assert_string_equal(c.units[0].email, "czj@example.cn");
    assert_null(c.units[0].short_name);
    assert_string_equal(pl_unit_short(&c.units[0]), "县财政局");
    assert_null(c.units[1].contact);
    /* Written back with the ASCII names, kept. */
    assert_int_equal(pl_catalog_write(&c, dir), PL_OK);
    pl_catalog_fini(&c);
    pl_catalog_init(&c);
    assert_int_equal(pl_catalog_read(&c, dir, NULL), PL_OK);
    assert_string_equal(c.units[0].phone, "0537-6821234");
    pl_catalog_fini(&c);
}

static void test_due_is_an_iso_date_or_the_row_is_wrong(void **state)
{
    (void)state;
    put_small(units_basic, "县财政局", "");
    put("tasks.csv", "id,kind,title,text,leaders,hosts,cohosts,due\n1,key,甲,甲,张雷,县财政局,,2023-08-31\n"
                     "2,key,乙,乙,张雷,县财政局,,\n");
    struct pl_catalog c;
    pl_catalog_init(&c);
    assert_int_equal(pl_catalog_read(&c, dir, NULL), PL_OK);
    assert_string_equal(c.tasks[0].due, "2023-08-31");
    assert_null(c.tasks[1].due);
    pl_catalog_fini(&c);
    put("tasks.csv", "id,kind,title,text,leaders,hosts,cohosts,due\n1,key,甲,甲,张雷,县财政局,,8月底\n");
    struct pl_buf msgs;
    pl_buf_init(&msgs);
    struct pl_diag diag;
    pl_diag_init(&diag, pl_diag_emit_buf, &msgs);
    pl_catalog_init(&c);
    assert_int_equal(pl_catalog_read(&c, dir, &diag), PL_ERR_CONFIG);
    assert_non_null(strstr(msgs.data, "tasks.csv:2:8: "));
    pl_catalog_fini(&c);
    pl_buf_fini(&msgs);
}

/* Issue 16: a calendar of half-years, quarters and weeks, rows out of order. */
static const char mixed_cycles[] =
    "id,label,start,end,deadline,expected,kind,tasks\n"
    "2023H2,下半年,2023-07-01,2023-12-31,2023-12-30,100,,\n"
    "2023W27,第27周,2023-07-03,2023-07-09,2023-07-10,,,\"3,17、M1\"\n"
    "2023Q2,二季度,2023-04-01,2023-06-30,2023-06-30,50,,\n"
    "2023H1,上半年,2023-01-01,2023-06-30,2023-06-30,50,,\n"
    "2023Q1,一季度,2023-01-01,2023-03-31,2023-03-31,25,,\n"
    "2023W26,第26周,2023-06-26,2023-07-02,2023-07-03,,,\"3,17、M1\"\n"
    "2023Q3,三季度,2023-07-01,2023-09-30,2023-09-30,75,,\n"
    "2023Z,专项,2023-05-01,2023-08-31,2023-09-05,,campaign,key\n";

static void put_mixed(void)
{
    put_small(units_basic, "县财政局", "");
    put("tasks.csv", "id,kind,title,text,leaders,hosts,cohosts,due,previous_id\n"
                     "3,key,甲,甲,张雷,县财政局,,,\n"
                     "4,key,乙,乙,张雷,县财政局,,,2\n"
                     "17,key,丙,丙,张雷,县财政局,,,\n"
                     "M1-1,livelihood,丁,丁,张雷,县财政局,,,\n"
                     "M1-2,livelihood,戊,戊,张雷,县财政局,,,\n"
                     "M2,livelihood,己,己,张雷,县财政局,,,\n");
    put("cycles.csv", mixed_cycles);
}

static const char *prev_id(const struct pl_catalog *c, const char *id)
{
    const struct pl_cycle *p = pl_catalog_previous_cycle(c, pl_catalog_find_cycle(c, id));
    return p ? p->id : "";
}

static const char *next_id(const struct pl_catalog *c, const char *id)
{
    const struct pl_cycle *p = pl_catalog_next_cycle(c, pl_catalog_find_cycle(c, id));
    return p ? p->id : "";
}

static void test_cycle_kind_comes_from_the_column_or_the_length(void **state)
{
    (void)state;
    put_mixed();
    struct pl_catalog c;
    pl_catalog_init(&c);
    assert_int_equal(pl_catalog_read(&c, dir, NULL), PL_OK);
    struct pl_buf k;
    pl_buf_init(&k);
    static const char *const want[][2] = {{"2023H1", "half"},    {"2023H2", "half"},
                                          {"2023Q1", "quarter"}, {"2023Q3", "quarter"},
                                          {"2023W26", "week"},   {"2023Z", "campaign"}};
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        assert_int_equal(pl_cycle_kind(pl_catalog_find_cycle(&c, want[i][0]), &k), PL_OK);
        assert_string_equal(k.data, want[i][1]);
    }
    struct pl_cycle odd = {.start = "2023-01-01", .end = "2023-01-10"}, bad = {.start = "x"};
    assert_int_equal(pl_cycle_kind(&odd, &k), PL_OK);
    assert_string_equal(k.data, "10d");
    struct pl_cycle month = {.start = "2023-02-01", .end = "2023-02-28"};
    assert_int_equal(pl_cycle_kind(&month, &k), PL_OK);
    assert_string_equal(k.data, "month");
    assert_int_equal(pl_cycle_kind(&bad, &k), PL_ERR_DATA);
    pl_buf_fini(&k);
    pl_catalog_fini(&c);
}

static void test_previous_cycle_is_the_last_of_its_kind_by_dates_not_rows(void **state)
{
    (void)state;
    put_mixed();
    struct pl_catalog c;
    pl_catalog_init(&c);
    assert_int_equal(pl_catalog_read(&c, dir, NULL), PL_OK);
    assert_string_equal(prev_id(&c, "2023H2"), "2023H1");
    assert_string_equal(prev_id(&c, "2023H1"), "");
    assert_string_equal(prev_id(&c, "2023Q3"), "2023Q2");
    assert_string_equal(prev_id(&c, "2023Q2"), "2023Q1");
    assert_string_equal(prev_id(&c, "2023W27"), "2023W26");
    assert_string_equal(prev_id(&c, "2023W26"), "");
    assert_string_equal(prev_id(&c, "2023Z"), "");
    assert_string_equal(next_id(&c, "2023H1"), "2023H2");
    assert_string_equal(next_id(&c, "2023Q1"), "2023Q2");
    assert_string_equal(next_id(&c, "2023W26"), "2023W27");
    assert_string_equal(next_id(&c, "2023Q3"), "");
    /* Last year's catalog: its last quarter precedes this year's first. */
    struct pl_catalog last;
    pl_catalog_init(&last);
    put("cycles.csv", "id,label,start,end,deadline,expected\n"
                      "2022Q4,四季度,2022-10-01,2022-12-31,2022-12-31,100\n"
                      "2022H2,下半年,2022-07-01,2022-12-31,2022-12-31,100\n"
                      "2022Q3,三季度,2022-07-01,2022-09-30,2022-09-30,75\n");
    assert_int_equal(pl_catalog_read_cycles(&last, dir, NULL), PL_OK);
    const struct pl_cycle *p =
        pl_catalog_previous_cycle(&last, pl_catalog_find_cycle(&c, "2023Q1"));
    assert_non_null(p);
    assert_string_equal(p->id, "2022Q4");
    p = pl_catalog_previous_cycle(&last, pl_catalog_find_cycle(&c, "2023H1"));
    assert_non_null(p);
    assert_string_equal(p->id, "2022H2");
    assert_null(pl_catalog_previous_cycle(&last, pl_catalog_find_cycle(&c, "2023W26")));
    pl_catalog_fini(&last);
    pl_catalog_fini(&c);
}

static void test_cycle_tasks_name_ids_ranges_projects_and_kinds(void **state)
{
    (void)state;
    put_mixed();
    struct pl_catalog c;
    pl_catalog_init(&c);
    assert_int_equal(pl_catalog_read(&c, dir, NULL), PL_OK);
    const struct pl_cycle *w = pl_catalog_find_cycle(&c, "2023W27");
    const struct pl_cycle *h = pl_catalog_find_cycle(&c, "2023H1");
    const struct pl_cycle *z = pl_catalog_find_cycle(&c, "2023Z");
    const char *in_w[] = {"3", "17", "M1-1", "M1-2"}, *not_w[] = {"4", "M2"};
    for (size_t i = 0; i < 4; i++)
        assert_true(pl_catalog_cycle_has_task(w, pl_catalog_find_task(&c, in_w[i])));
    for (size_t i = 0; i < 2; i++)
        assert_false(pl_catalog_cycle_has_task(w, pl_catalog_find_task(&c, not_w[i])));
    for (size_t i = 0; i < c.ntasks; i++)
        assert_true(pl_catalog_cycle_has_task(h, &c.tasks[i]));
    assert_true(pl_catalog_cycle_has_task(z, pl_catalog_find_task(&c, "4")));
    assert_false(pl_catalog_cycle_has_task(z, pl_catalog_find_task(&c, "M2")));
    struct pl_cycle range = {.tasks = "4-17"};
    assert_false(pl_catalog_cycle_has_task(&range, pl_catalog_find_task(&c, "3")));
    assert_true(pl_catalog_cycle_has_task(&range, pl_catalog_find_task(&c, "4")));
    assert_true(pl_catalog_cycle_has_task(&range, pl_catalog_find_task(&c, "17")));
    assert_false(pl_catalog_cycle_has_task(&range, pl_catalog_find_task(&c, "M1-1")));
    struct pl_buf b;
    pl_buf_init(&b);
    assert_int_equal(pl_catalog_cycle_scope(&c, w, &b), PL_OK);
    assert_string_equal(b.data,
                        "重点工作第3、17项、民生实事第1项第（1）目、民生实事第1项第（2）目");
    pl_buf_clear(&b);
    assert_int_equal(pl_catalog_cycle_scope(&c, z, &b), PL_OK);
    assert_string_equal(b.data, "全部重点工作");
    pl_buf_clear(&b);
    assert_int_equal(pl_catalog_cycle_scope(&c, h, &b), PL_OK);
    assert_int_equal(b.len, 0);
    pl_buf_fini(&b);
    assert_string_equal(pl_catalog_find_task(&c, "4")->previous_id, "2");
    assert_null(pl_catalog_find_task(&c, "3")->previous_id);
    pl_catalog_fini(&c);
}

static void test_cycle_tasks_naming_no_task_are_an_error(void **state)
{
    (void)state;
    put_mixed();
    put("cycles.csv", "id,label,start,end,deadline,expected,tasks\n"
                      "2023W1,第1周,2023-01-02,2023-01-08,2023-01-09,,3、99、keys\n");
    struct pl_buf msgs;
    pl_buf_init(&msgs);
    struct pl_diag diag;
    pl_diag_init(&diag, pl_diag_emit_buf, &msgs);
    struct pl_catalog c;
    pl_catalog_init(&c);
    assert_int_equal(pl_catalog_read(&c, dir, &diag), PL_ERR_CONFIG);
    assert_non_null(strstr(msgs.data, "周期2023W1的tasks列中“99”不是"));
    assert_non_null(strstr(msgs.data, "“keys”不是"));
    assert_null(strstr(msgs.data, "“3”"));
    pl_catalog_fini(&c);
    pl_buf_fini(&msgs);
}

/* A row of cycles.csv shorter than its header is refused at its first missing cell, each
 * missing cell named by the header's own name (Chinese or ASCII) with what goes there. */
static void test_cycle_row_cut_short_names_the_cells_it_lacks(void **state)
{
    (void)state;
    put_mixed();
    put("cycles.csv", "\xEF\xBB\xBFid,label,start,end,deadline,expected,类型\n"
                      "2023H1,上半年,2023-01-01,2023-06-30,2023-06-30,50,\n"
                      "2023Q3,第三季度,2023-07-01\n"
                      "2023W27,第27周,2023-07-03,2023-07-09,2023-07-10,52\n");
    struct pl_buf msgs;
    pl_buf_init(&msgs);
    struct pl_diag diag;
    pl_diag_init(&diag, pl_diag_emit_buf, &msgs);
    struct pl_catalog c;
    pl_catalog_init(&c);
    assert_int_equal(pl_catalog_read(&c, dir, &diag), PL_ERR_CONFIG);
    assert_non_null(strstr(msgs.data, "cycles.csv:3:4: 周期2023Q3这一行只有3个单元格，表头有7列，"
                                      "缺少“end”（结束日期，如2023-06-30）、“deadline”（报送截止"
                                      "日期，如2023-06-30）、“expected”（序时进度，0–100的数字，"
                                      "可留空）、“类型”（周期类型，可留空）：请按表头补齐这一行"));
    assert_non_null(strstr(msgs.data, "cycles.csv:4:7: 周期2023W27这一行只有6个单元格，表头有7列，"
                                      "缺少“类型”（周期类型，可留空）：请"));
    assert_null(strstr(msgs.data, "cycles.csv:2:"));
    pl_catalog_fini(&c);
    pl_buf_fini(&msgs);
}

/* ducha-cycle's folders of the year's assessment and the blank forms stand beside the
 * cycles': no cycle may take their names, nor a name that is not one folder. */
static void test_cycle_ids_that_cannot_be_folders_are_refused(void **state)
{
    (void)state;
    put_mixed();
    put("cycles.csv", "id,label,start,end,deadline,expected\n"
                      "annual,全年,2023-01-01,2023-12-31,2023-12-31,100\n"
                      "forms,一季度,2023-01-01,2023-03-31,2023-03-31,25\n"
                      "../x,二季度,2023-04-01,2023-06-30,2023-06-30,50\n"
                      ".h,三季度,2023-07-01,2023-09-30,2023-09-30,75\n"
                      "2023H2,下半年,2023-07-01,2023-12-31,2023-12-31,100\n");
    struct pl_buf msgs;
    pl_buf_init(&msgs);
    struct pl_diag diag;
    pl_diag_init(&diag, pl_diag_emit_buf, &msgs);
    struct pl_catalog c;
    pl_catalog_init(&c);
    assert_int_equal(pl_catalog_read(&c, dir, &diag), PL_ERR_CONFIG);
    for (int line = 2; line <= 5; line++) {
        char at[32];
        snprintf(at, sizeof at, "cycles.csv:%d:1: ", line);
        assert_non_null(strstr(msgs.data, at));
    }
    assert_non_null(strstr(msgs.data, "周期编号“annual”是年度考核输出目录（annual）的名称"));
    assert_non_null(strstr(msgs.data, "周期编号“forms”是空白报表输出目录（forms）的名称"));
    assert_non_null(strstr(msgs.data, "[E_CATALOG_CYCLE_ID]"));
    assert_null(strstr(msgs.data, "cycles.csv:6:"));
    pl_catalog_fini(&c);
    pl_buf_fini(&msgs);
}

static void test_kind_tasks_and_previous_id_are_written_only_when_given(void **state)
{
    (void)state;
    put_mixed();
    struct pl_catalog c;
    pl_catalog_init(&c);
    assert_int_equal(pl_catalog_read(&c, dir, NULL), PL_OK);
    assert_int_equal(pl_catalog_write(&c, dir), PL_OK);
    pl_catalog_fini(&c);
    pl_catalog_init(&c);
    assert_int_equal(pl_catalog_read(&c, dir, NULL), PL_OK);
    assert_string_equal(pl_catalog_find_cycle(&c, "2023Z")->kind, "campaign");
    assert_string_equal(pl_catalog_find_cycle(&c, "2023W27")->tasks, "3,17、M1");
    assert_string_equal(pl_catalog_find_task(&c, "4")->previous_id, "2");
    pl_catalog_fini(&c);
    struct pl_catalog plain;
    build(&plain);
    assert_int_equal(pl_catalog_write(&plain, dir), PL_OK);
    pl_catalog_fini(&plain);
    char path[128], line[256];
    snprintf(path, sizeof path, "%s/cycles.csv", dir);
    FILE *fp = fopen(path, "r");
    assert_non_null(fp);
    assert_non_null(fgets(line, sizeof line, fp));
    fclose(fp);
    assert_string_equal(line, "\xEF\xBB\xBFid,label,start,end,deadline,expected\n");
    snprintf(path, sizeof path, "%s/tasks.csv", dir);
    fp = fopen(path, "r");
    assert_non_null(fp);
    assert_non_null(fgets(line, sizeof line, fp));
    fclose(fp);
    assert_string_equal(line, "\xEF\xBB\xBFid,kind,title,text,leaders,hosts,cohosts,due\n");
}

static void test_section_is_written_only_when_given_and_read_back(void **state)
{
    (void)state;
    struct pl_catalog c;
    build(&c);
    c.tasks[0].section = strdup("主要预期目标");
    assert_int_equal(pl_catalog_write(&c, dir), PL_OK);
    pl_catalog_fini(&c);
    char path[128], line[256];
    snprintf(path, sizeof path, "%s/tasks.csv", dir);
    FILE *fp = fopen(path, "r");
    assert_non_null(fp);
    assert_non_null(fgets(line, sizeof line, fp));
    fclose(fp);
    assert_string_equal(line,
                        "\xEF\xBB\xBFid,kind,title,text,leaders,hosts,cohosts,due,section\n");
    pl_catalog_init(&c);
    assert_int_equal(pl_catalog_read(&c, dir, NULL), PL_OK);
    assert_string_equal(pl_catalog_find_task(&c, "1")->section, "主要预期目标");
    assert_null(pl_catalog_find_task(&c, "1")->previous_id);
    pl_catalog_fini(&c);
}

static void test_kinds_the_county_directs(void **state)
{
    (void)state;
    assert_true(pl_unit_kind_directed(PL_UNIT_TOWN));
    assert_true(pl_unit_kind_directed(PL_UNIT_ZONE));
    assert_true(pl_unit_kind_directed(PL_UNIT_DEPARTMENT));
    assert_true(pl_unit_kind_directed(PL_UNIT_PARTY));
    assert_true(pl_unit_kind_directed(PL_UNIT_MASS));
    assert_false(pl_unit_kind_directed(PL_UNIT_VERTICAL));
    assert_false(pl_unit_kind_directed(PL_UNIT_ENTERPRISE));
    assert_false(pl_unit_kind_directed(PL_UNIT_BANK));
    assert_false(pl_unit_kind_directed(PL_UNIT_JUDICIAL));
    assert_false(pl_unit_kind_directed(PL_UNIT_COLLECTIVE));
    enum pl_unit_kind k;
    assert_true(pl_unit_kind_parse("bank", &k));
    assert_int_equal(k, PL_UNIT_BANK);
    assert_false(pl_unit_kind_parse("court", &k));
}
static void test_task_role_is_host_cohost_member_or_none(void **state)
{
    (void)state;
    put_small(units_basic, "县财政局", "各镇街");
    struct pl_catalog c;
    pl_catalog_init(&c);
    assert_int_equal(pl_catalog_read(&c, dir, NULL), PL_OK);
    static const struct {
        const char *unit;
        enum pl_task_role role;
    } cases[] = {
        {"县财政局", PL_ROLE_HOST},   {"各镇街", PL_ROLE_COHOST}, {"纸坊镇", PL_ROLE_COHOST},
        {"县商务局", PL_ROLE_NONE},   {"财政局", PL_ROLE_NONE},   {"", PL_ROLE_NONE},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        enum pl_task_role role = PL_ROLE_HOST;
        assert_int_equal(pl_catalog_task_role(&c, &c.tasks[0], cases[i].unit, &role), PL_OK);
        assert_int_equal(role, cases[i].role);
    }
    pl_catalog_fini(&c);
}

static void test_member_of_a_collective_host_is_a_cohost(void **state)
{
    (void)state;
    put_small(units_basic, "各镇街|县商务局", "");
    struct pl_catalog c;
    pl_catalog_init(&c);
    assert_int_equal(pl_catalog_read(&c, dir, NULL), PL_OK);
    enum pl_task_role role;
    assert_int_equal(pl_catalog_task_role(&c, &c.tasks[0], "纸坊镇", &role), PL_OK);
    assert_int_equal(role, PL_ROLE_COHOST);
    assert_int_equal(pl_catalog_task_role(&c, &c.tasks[0], "县商务局", &role), PL_OK);
    assert_int_equal(role, PL_ROLE_HOST);
    pl_catalog_fini(&c);
}

static void test_task_indicators_follow_the_catalog_order_and_additions(void **state)
{
    (void)state;
    put_small(units_basic, "县财政局", "");
    struct pl_catalog c;
    pl_catalog_init(&c);
    assert_int_equal(pl_catalog_read(&c, dir, NULL), PL_OK);
    const struct pl_indicator *const *list;
    size_t n = 9;
    assert_int_equal(pl_catalog_task_indicators(&c, "1", &list, &n), PL_OK);
    assert_int_equal(n, 0);
    const char *rows[][2] = {{"1", "甲"}, {"2", "乙"}, {"1", "丙"}};
    for (size_t i = 0; i < 3; i++) {
        struct pl_indicator *x = pl_catalog_add_indicator(&c);
        assert_non_null(x);
        x->task_id = strdup(rows[i][0]);
        x->metric = strdup(rows[i][1]);
    }
    assert_int_equal(pl_catalog_task_indicators(&c, "1", &list, &n), PL_OK);
    assert_int_equal(n, 2);
    assert_string_equal(list[0]->metric, "甲");
    assert_string_equal(list[1]->metric, "丙");
    assert_int_equal(pl_catalog_task_indicators(&c, "3", &list, &n), PL_OK);
    assert_int_equal(n, 0);
    pl_catalog_fini(&c);
}

static void test_duplicate_unit_in_a_long_list_is_kept_once(void **state)
{
    (void)state;
    put_small(units_basic, "县财政局|县商务局|财政局|县商务局", "县商务局|纸坊镇");
    struct pl_diag diag;
    pl_diag_init(&diag, NULL, NULL);
    struct pl_catalog c;
    pl_catalog_init(&c);
    assert_int_equal(pl_catalog_read(&c, dir, &diag), PL_OK);
    assert_int_equal(c.tasks[0].hosts.n, 2);
    assert_int_equal(c.tasks[0].cohosts.n, 1);
    assert_string_equal(c.tasks[0].cohosts.v[0], "纸坊镇");
    pl_catalog_fini(&c);
}


/* What pl_catalog_read_table() gives (made in memory) is cell for cell what the files
 * pl_catalog_write() writes read back as tables: quotes, commas, line breaks, blank and
 * optional columns alike; a cell holding a CR takes the way through a file and agrees too. */
static void assert_tables_equal(const struct pl_table *a, const struct pl_table *b)
{
    assert_int_equal(a->ncols, b->ncols);
    assert_int_equal(a->nrows, b->nrows);
    for (size_t j = 0; j < a->ncols; j++)
        assert_string_equal(a->names[j], b->names[j]);
    for (size_t i = 0; i < a->nrows; i++)
        for (size_t j = 0; j < a->ncols; j++)
            assert_string_equal(a->rows[i][j], b->rows[i][j]);
}

static void check_tables_against_written_files(void)
{
    struct pl_catalog c;
    pl_catalog_init(&c);
    assert_int_equal(pl_catalog_read(&c, dir, NULL), PL_OK);
    char out[64];
    strcpy(out, "/tmp/test_catalog_out.XXXXXX");
    assert_non_null(mkdtemp(out));
    assert_int_equal(pl_catalog_write(&c, out), PL_OK);
    pl_catalog_fini(&c);
    const char *files[] = {"tasks.csv", "units.csv"};
    for (int f = 0; f < 2; f++) {
        char path[128];
        snprintf(path, sizeof path, "%s/%s", out, files[f]);
        struct pl_table got, want;
        assert_int_equal(pl_catalog_read_table(dir, files[f], &got, NULL), PL_OK);
        assert_int_equal(pl_table_read(path, &want, NULL), PL_OK);
        assert_tables_equal(&got, &want);
        snprintf(path, sizeof path, "%s/%s", dir, files[f]);
        assert_string_equal(got.source, path);
        assert_int_equal(got.lines[0], 2);
        pl_table_free(&got);
        pl_table_free(&want);
    }
    const char *names[] = {"tasks.csv", "units.csv", "indicators.csv", "cycles.csv",
                           "document.csv"};
    for (size_t i = 0; i < 5; i++) {
        char path[128];
        snprintf(path, sizeof path, "%s/%s", out, names[i]);
        unlink(path);
    }
    rmdir(out);
}

static void test_read_table_in_memory_gives_what_the_written_files_give(void **state)
{
    (void)state;
    put("units.csv", "name,aliases,kind,members,short,contact,phone,email\n"
                     "县财政局,财政局|嘉祥县财政局,department,,县财政局,张三,\"0537-1,2\",\n"
                     "\"县\"\"引号\"\"局\",,department,,,,,a@b.cn\n"
                     "各镇街,,collective,纸坊镇|嘉祥街道,,,,\n"
                     "纸坊镇,纸坊镇政府,town,,,,,\n"
                     "嘉祥街道,,town,,,,,\n");
    put("tasks.csv", "id,kind,title,text,leaders,hosts,cohosts,due,previous_id,section\n"
                     "1,key,\"标题,带逗号\",\"第一行\n第二行\",王君磊|朱亚峰,财政局|各镇街,"
                     "\"县\"\"引号\"\"局\",2023-06-30,3,一、目标\n"
                     "M1-1,livelihood,,,,纸坊镇政府,,,,\n");
    put("cycles.csv", "id,label,start,end,deadline,expected\n"
                      "2023H1,2023年上半年,2023-01-01,2023-06-30,2023-06-30,50\n");
    check_tables_against_written_files();
    /* Without the optional columns, and with a CR in a cell. */
    put("tasks.csv", "id,kind,title,text,leaders,hosts,cohosts\n"
                     "1,key,标题,\"第一行\r\n第二行\",,县财政局,\n");
    check_tables_against_written_files();
}

/* Roles in a long list in no order, with repeats, an alias and a name no unit has, on a catalog
 * built by hand (names looked up when the roles are built) and on the same catalog read back
 * (units recorded when it was resolved): the same answers. */
static void check_long_list_roles(const struct pl_catalog *c, const struct pl_task *t)
{
    char name[32];
    enum pl_task_role role;
    for (int i = 0; i < 3000; i++) {
        snprintf(name, sizeof name, "单位%d", i);
        assert_int_equal(pl_catalog_task_role(c, t, name, &role), PL_OK);
        assert_int_equal(role, i % 3 == 0 ? PL_ROLE_HOST : i % 3 == 1 ? PL_ROLE_COHOST
                                                                       : PL_ROLE_NONE);
    }
    assert_int_equal(pl_catalog_task_role(c, t, "无名局", &role), PL_OK);
    assert_int_equal(role, PL_ROLE_NONE);
    assert_int_equal(pl_catalog_task_role(c, t, "纸坊镇", &role), PL_OK);
    assert_int_equal(role, PL_ROLE_COHOST); /* a member of the collective host */
}

static void test_task_roles_in_a_long_list_out_of_order(void **state)
{
    (void)state;
    struct pl_catalog c;
    pl_catalog_init(&c);
    char name[32];
    for (int i = 0; i < 3000; i++) {
        struct pl_unit *u = pl_catalog_add_unit(&c);
        snprintf(name, sizeof name, "单位%d", i);
        u->name = strdup(name);
        u->kind = PL_UNIT_DEPARTMENT;
    }
    struct pl_unit *z = pl_catalog_add_unit(&c);
    z->name = strdup("纸坊镇");
    z->kind = PL_UNIT_TOWN;
    struct pl_unit *g = pl_catalog_add_unit(&c);
    g->name = strdup("各镇街");
    g->kind = PL_UNIT_COLLECTIVE;
    pl_strv_push_str(&g->members, "纸坊镇");
    struct pl_task *t = pl_catalog_add_task(&c);
    t->id = strdup("7");
    t->title = strdup("");
    t->text = strdup("");
    for (int i = 2999; i >= 0; i--) {
        snprintf(name, sizeof name, "单位%d", i);
        if (i % 3 == 0)
            pl_strv_push_str(&t->hosts, name);
        else if (i % 3 == 1)
            pl_strv_push_str(&t->cohosts, name);
    }
    pl_strv_push_str(&t->hosts, "单位0");
    pl_strv_push_str(&t->hosts, "各镇街");
    pl_strv_push_str(&t->cohosts, "无名局 ");
    assert_int_equal(pl_catalog_index(&c, NULL, NULL), PL_OK);
    check_long_list_roles(&c, &c.tasks[0]);
    /* Read back (the name no unit has taken out, or the read fails): the recorded units. */
    t->cohosts.n--;
    free(t->cohosts.v[t->cohosts.n]);
    struct pl_cycle *y = pl_catalog_add_cycle(&c);
    y->id = strdup("2023H1");
    y->label = strdup("2023年上半年");
    y->start = strdup("2023-01-01");
    y->end = strdup("2023-06-30");
    y->deadline = strdup("2023-06-30");
    y->expected = strdup("50");
    assert_int_equal(pl_catalog_write(&c, dir), PL_OK);
    pl_catalog_fini(&c);
    assert_int_equal(pl_catalog_read(&c, dir, NULL), PL_OK);
    check_long_list_roles(&c, pl_catalog_find_task(&c, "7"));
    pl_catalog_fini(&c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_unit_kind_has_a_name_that_parses_back),
        cmocka_unit_test(test_task_role_is_host_cohost_member_or_none),
        cmocka_unit_test(test_member_of_a_collective_host_is_a_cohost),
        cmocka_unit_test(test_task_indicators_follow_the_catalog_order_and_additions),
        cmocka_unit_test(test_duplicate_unit_in_a_long_list_is_kept_once),
        cmocka_unit_test(test_written_catalog_reads_back_the_same),
        cmocka_unit_test(test_files_are_utf8_csv_with_lf_and_header),
        cmocka_unit_test(test_excel_bom_and_crlf_are_accepted),
        cmocka_unit_test(test_columns_in_another_order_are_accepted),
        cmocka_unit_test(test_units_are_found_by_name_alias_and_width),
        cmocka_unit_test(test_alias_of_two_units_finds_neither),
        cmocka_unit_test(test_bad_rows_are_reported_and_fail_the_read),
        cmocka_unit_test(test_missing_header_column_is_reported),
        cmocka_unit_test(test_missing_required_file_cannot_be_opened),
        cmocka_unit_test(test_write_into_missing_dir_cannot_create),
        cmocka_unit_test(test_shipped_catalog_reads_cleanly),
        cmocka_unit_test(test_alias_host_is_the_unit_with_a_warning),
        cmocka_unit_test(test_unknown_host_is_still_an_error),
        cmocka_unit_test(test_unit_named_twice_under_two_names_is_one),
        cmocka_unit_test(test_distinct_units_are_not_merged),
        cmocka_unit_test(test_members_written_as_aliases_are_resolved),
        cmocka_unit_test(test_renamed_unit_keeps_its_old_name_as_alias),
        cmocka_unit_test(test_units_saved_as_gbk_with_crlf_are_read),
        cmocka_unit_test(test_read_table_gives_resolved_hosts),
        cmocka_unit_test(test_read_table_in_memory_gives_what_the_written_files_give),
        cmocka_unit_test(test_task_roles_in_a_long_list_out_of_order),
        cmocka_unit_test(test_contact_and_short_columns_are_kept_or_blank),
        cmocka_unit_test(test_due_is_an_iso_date_or_the_row_is_wrong),
        cmocka_unit_test(test_kinds_the_county_directs),
        cmocka_unit_test(test_cycle_kind_comes_from_the_column_or_the_length),
        cmocka_unit_test(test_previous_cycle_is_the_last_of_its_kind_by_dates_not_rows),
        cmocka_unit_test(test_cycle_tasks_name_ids_ranges_projects_and_kinds),
        cmocka_unit_test(test_cycle_tasks_naming_no_task_are_an_error),
        cmocka_unit_test(test_cycle_row_cut_short_names_the_cells_it_lacks),
        cmocka_unit_test(test_cycle_ids_that_cannot_be_folders_are_refused),
        cmocka_unit_test(test_kind_tasks_and_previous_id_are_written_only_when_given),
        cmocka_unit_test(test_section_is_written_only_when_given_and_read_back),
    };
    return cmocka_run_group_tests(tests, make_dir, remove_dir);
}
