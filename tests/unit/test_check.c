/* Unit tests for the check module, against the shipped 2023 catalog. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "text.h"

static struct pl_catalog catalog;
static struct pl_status_table statuses;

static int setup(void **state)
{
    (void)state;
    const char *top = getenv("DUCHA_TOP");
    char dir[4096];
    snprintf(dir, sizeof dir, "%s/input/2023/catalog", top ? top : ".");
    pl_catalog_init(&catalog);
    if (pl_catalog_read(&catalog, dir, NULL) != PL_OK)
        return -1;
    return pl_status_table_init_default(&statuses) == PL_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    pl_catalog_fini(&catalog);
    pl_status_table_fini(&statuses);
    return 0;
}

struct result {
    struct pl_check_stats stats;
    char *out, *rej;
    struct pl_buf diags;
};

static void run_cycle(const char *records, const struct pl_cycle *cycle, struct result *r);

static void run(const char *records, struct result *r)
{
    run_cycle(records, pl_catalog_find_cycle(&catalog, "2023H1"), r);
}

static void run_cycle(const char *records, const struct pl_cycle *cycle, struct result *r)
{
    char *in_data = strdup(records);
    FILE *in = fmemopen(in_data, strlen(in_data), "r");
    size_t out_len, rej_len;
    FILE *out = open_memstream(&r->out, &out_len);
    FILE *rej = open_memstream(&r->rej, &rej_len);
    struct pl_csv_writer ow, rw;
    pl_csv_writer_init(&ow, out, 0);
    pl_csv_writer_init(&rw, rej, 0);
    pl_buf_init(&r->diags);
    struct pl_diag d;
    pl_diag_init(&d, pl_diag_emit_buf, &r->diags);
    struct pl_check_options opt = {&catalog, cycle, &statuses, 60, 0, 0};
    assert_int_equal(pl_check_stream(in, "in", &ow, &rw, &opt, &d, &r->stats), PL_OK);
    fclose(in);
    fclose(out);
    fclose(rej);
    free(in_data);
}

static void done(struct result *r)
{
    free(r->out);
    free(r->rej);
    pl_buf_fini(&r->diags);
}

#define HEADER "cycle,source,line,task_id,unit,owner,phone,progress,status,value,metric," \
               "narrative,problems,next_steps,reported_on\n"

static void test_rows_in_equal_valid_plus_rejected(void **state)
{
    (void)state;
    struct result r;
    run(HEADER "2023H1,a,2,4,县审批局,,,60,,,,,,,2023-06-28\n"
               "2023H1,a,3,4,县审批局,,,1000,,,,,,,2023-06-28\n"
               "2023H1,a,4,99,县审批局,,,60,,,,,,,2023-06-28\n"
               "2023H1,a,5,4,县发改局,,,60,,,,,,,2023-06-28\n",
        &r);
    assert_int_equal(r.stats.rows, 4);
    assert_int_equal(r.stats.valid, 2);
    assert_int_equal(r.stats.rejected, 2);
    assert_int_equal(r.stats.cohost, 1);
    assert_int_equal(r.stats.rows, r.stats.valid + r.stats.rejected);
    done(&r);
}

/* 超额完成 (DESIGN.md Rules): over 100 up to the rules' limit reads 100, flagged; beyond it
 * is a typo, rejected. */
static void test_a_progress_over_100_is_capped_and_a_typo_rejected(void **state)
{
    (void)state;
    struct result r;
    run(HEADER "2023H1,a,2,4,县审批局,,,120,已完成,,,,,,2023-06-28\n"
               "2023H1,a,3,4,县审批局,,,1000,已完成,,,,,,2023-06-28\n",
        &r);
    assert_int_equal(r.stats.valid, 1);
    assert_int_equal(r.stats.rejected, 1);
    assert_non_null(strstr(r.out, ",100,已完成,"));
    assert_non_null(strstr(r.out, "W_PROGRESS_CAPPED"));
    assert_non_null(strstr(r.diags.data, "[E_PROGRESS_RANGE]"));
    done(&r);
}

static void test_a_late_return_is_valid_and_marked_late(void **state)
{
    (void)state;
    struct result r;
    run(HEADER "2023H1,a,2,4,县审批局,,,60,序时推进,,,,,,2023-07-01\n"
               "2023H1,a,3,4,县审批局,,,60,序时推进,,,,,,2023-08-29\n"
               "2023H1,a,4,4,县审批局,,,60,序时推进,,,,,,2023-08-30\n",
        &r);
    /* 2023-08-29 is 60 days after the 06-30 deadline: the last day still late, not wrong. */
    assert_int_equal(r.stats.valid, 2);
    assert_int_equal(r.stats.late, 2);
    assert_non_null(strstr(r.rej, "E_DATE_TOO_LATE"));
    done(&r);
}

/* Issue 16: a return on a task outside a cycle's `tasks` is accepted and flagged, not
 * rejected: a unit may send its whole form to a 专题调度. */
static void test_a_return_outside_the_cycle_tasks_is_valid_and_flagged(void **state)
{
    (void)state;
    struct pl_cycle week = *pl_catalog_find_cycle(&catalog, "2023H1");
    week.tasks = "3,17,45";
    struct result r;
    run_cycle(HEADER "2023H1,a,2,3,县工业和信息化局,,,60,序时推进,,,,,,2023-06-28\n"
                     "2023H1,a,3,5,县工业和信息化局,,,60,序时推进,,,,,,2023-06-28\n",
              &week, &r);
    assert_int_equal(r.stats.valid, 2);
    assert_int_equal(r.stats.rejected, 0);
    const char *second = strstr(r.out, "\n2023H1,a,3,");
    assert_non_null(second);
    assert_non_null(strstr(second, "W_NOT_IN_CYCLE"));
    assert_null(strstr(r.out, "W_NOT_IN_CYCLE") < second ? strstr(r.out, "W_NOT_IN_CYCLE") : NULL);
    done(&r);
}

static void test_the_first_day_of_the_cycle_is_in_the_window(void **state)
{
    (void)state;
    struct result r;
    run(HEADER "2023H1,a,2,4,县审批局,,,60,序时推进,,,,,,2023-01-01\n"
               "2023H1,a,3,4,县审批局,,,60,序时推进,,,,,,2022-12-31\n",
        &r);
    assert_int_equal(r.stats.valid, 1);
    assert_non_null(strstr(r.rej, "E_DATE_BEFORE_CYCLE"));
    done(&r);
}

static void test_duplicates_are_found_within_a_file_only(void **state)
{
    (void)state;
    struct result r;
    run(HEADER "2023H1,a,2,4,县审批局,,,60,序时推进,,,,,,2023-06-28\n"
               "2023H1,a,3,4,县审批局,,,60,序时推进,,,,,,2023-06-28\n"
               "2023H1,b,2,4,县审批局,,,60,序时推进,,,,,,2023-06-28\n",
        &r);
    assert_int_equal(r.stats.valid, 2);
    assert_non_null(strstr(r.diags.data, "a:3: 第4项 这一行与同一文件第2行完全相同"));
    assert_null(strstr(r.diags.data, "b:2"));
    done(&r);
}

/* Each new file starts the duplicate check afresh, however often the files alternate (the
 * check empties only the slots the file before filled). */
static void test_duplicates_are_forgotten_at_each_new_file_and_found_again_within_it(void **state)
{
    (void)state;
    struct pl_buf in;
    pl_buf_init(&in);
    pl_buf_append_str(&in, HEADER);
    /* 300 files a, b, a, b, …: each the same two rows twice. */
    for (int f = 0; f < 300; f++)
        for (int i = 0; i < 4; i++)
            pl_buf_printf(&in, "2023H1,%c,%d,4,县审批局,,,%d,序时推进,,,,,,2023-06-28\n",
                          f % 2 ? 'b' : 'a', i + 2, i % 2 ? 70 : 60);
    struct result r;
    run(in.data, &r);
    assert_int_equal(r.stats.rows, 1200);
    assert_int_equal(r.stats.valid, 600);
    assert_int_equal(r.stats.rejected, 600);
    assert_non_null(strstr(r.diags.data, "a:4: 第4项 这一行与同一文件第2行完全相同"));
    assert_non_null(strstr(r.diags.data, "b:5: 第4项 这一行与同一文件第3行完全相同"));
    done(&r);
    pl_buf_fini(&in);
}

static void test_suggestions_name_near_units_but_match_nothing(void **state)
{
    (void)state;
    struct pl_buf out;
    pl_buf_init(&out);
    const char *typo = "县财证局";
    assert_int_equal(pl_check_suggest_units(&catalog, typo, strlen(typo), 3, &out), PL_OK);
    assert_non_null(strstr(out.data, "“县财政局”"));
    pl_buf_clear(&out);
    /* Two edits of four characters are half the name: 县商务局 is not near 县财正局. */
    pl_buf_clear(&out);
    const char *half = "县财正局";
    assert_int_equal(pl_check_suggest_units(&catalog, half, strlen(half), 3, &out), PL_OK);
    assert_string_equal(out.data, "“县财政局”");
    pl_buf_clear(&out);
    const char *short_form = "县投促中心";
    assert_int_equal(
        pl_check_suggest_units(&catalog, short_form, strlen(short_form), 3, &out), PL_OK);
    assert_string_equal(out.data, "“县投资促进发展中心”");
    pl_buf_clear(&out);
    const char *other = "县招商服务中心";
    assert_int_equal(pl_check_suggest_units(&catalog, other, strlen(other), 3, &out), PL_OK);
    assert_string_equal(out.data, "");
    pl_buf_clear(&out);
    const char *far = "北京市朝阳区人民政府办公室";
    assert_int_equal(pl_check_suggest_units(&catalog, far, strlen(far), 3, &out), PL_OK);
    assert_string_equal(out.data, "");
    pl_buf_fini(&out);
}

/* The suggestions by brute force: every name and alias of every unit but the collectives keyed
 * and compared in full; near when the distance is at most a third of the longer key's length or
 * the written key is a short form of it (three characters or more, same first and last, the
 * rest in order: the distance is then the length difference); the nearest three, ties in
 * catalog order. */
static size_t full_distance(const char *a, const char *b)
{
    uint32_t ca[256], cb[256];
    size_t la = 0, lb = 0;
    for (size_t o = 0; a[o] && la < 256; la++)
        o += pl_utf8_decode(a + o, strlen(a + o), &ca[la]);
    for (size_t o = 0; b[o] && lb < 256; lb++)
        o += pl_utf8_decode(b + o, strlen(b + o), &cb[lb]);
    size_t prev[257], cur[257];
    for (size_t j = 0; j <= lb; j++)
        prev[j] = j;
    for (size_t i = 1; i <= la; i++) {
        cur[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t sub = prev[j - 1] + (ca[i - 1] != cb[j - 1]), del = prev[j] + 1,
                   ins = cur[j - 1] + 1;
            cur[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
        }
        memcpy(prev, cur, (lb + 1) * sizeof *prev);
    }
    return prev[lb];
}

/* A short form by recursion on the characters: A's first and last are B's, and each of A's
 * others found in B after the one before it. */
static bool is_short_form(const char *a, const char *b)
{
    uint32_t ca[256], cb[256];
    size_t la = 0, lb = 0;
    for (size_t o = 0; a[o] && la < 256; la++)
        o += pl_utf8_decode(a + o, strlen(a + o), &ca[la]);
    for (size_t o = 0; b[o] && lb < 256; lb++)
        o += pl_utf8_decode(b + o, strlen(b + o), &cb[lb]);
    if (la < 3 || lb <= la || ca[0] != cb[0] || ca[la - 1] != cb[lb - 1])
        return false;
    size_t j = 1;
    for (size_t i = 1; i + 1 < la; i++) {
        while (j + 1 < lb && cb[j] != ca[i])
            j++;
        if (j + 1 >= lb)
            return false;
        j++;
    }
    return true;
}

static void reference_suggestions(const char *name, struct pl_buf *out)
{
    struct pl_buf key, other;
    pl_buf_init(&key);
    pl_buf_init(&other);
    assert_int_equal(pl_text_match_key(&key, name, strlen(name)), PL_OK);
    size_t chars = 0;
    for (const char *p = key.data; *p; p++)
        chars += ((unsigned char)*p & 0xC0) != 0x80;
    size_t *best = calloc(catalog.nunits, sizeof *best);
    assert_non_null(best);
    for (size_t u = 0; u < catalog.nunits; u++) {
        best[u] = (size_t)-1;
        const struct pl_unit *unit = &catalog.units[u];
        for (size_t a = 0; unit->kind != PL_UNIT_COLLECTIVE && a <= unit->aliases.n; a++) {
            const char *n = a == 0 ? unit->name : unit->aliases.v[a - 1];
            pl_buf_clear(&other);
            assert_int_equal(pl_text_match_key(&other, n, strlen(n)), PL_OK);
            size_t d = full_distance(key.data, other.data);
            size_t ochars = 0;
            for (const char *p = other.data; *p; p++)
                ochars += ((unsigned char)*p & 0xC0) != 0x80;
            if (3 * d > (chars > ochars ? chars : ochars))
                d = is_short_form(key.data, other.data) ? ochars - chars : (size_t)-1;
            if (d < best[u])
                best[u] = d;
        }
    }
    for (size_t shown = 0; shown < 3; shown++) {
        size_t pick = (size_t)-1;
        for (size_t u = 0; u < catalog.nunits; u++)
            if (best[u] != (size_t)-1 && (pick == (size_t)-1 || best[u] < best[pick]))
                pick = u;
        if (pick == (size_t)-1)
            break;
        pl_buf_printf(out, "%s“%s”", shown ? "、" : "", catalog.units[pick].name);
        best[pick] = (size_t)-1;
    }
    free(best);
    pl_buf_fini(&key);
    pl_buf_fini(&other);
}

/* The suggestions' bounds (length, characters missing, the band of the distance) only skip
 * units that could not be near: the answers are the brute force's, for typos of every kind
 * on every unit name of the catalog. */
static void test_suggestions_are_those_of_the_full_comparison(void **state)
{
    (void)state;
    static const char *const noise[] = {"县", "局", "ｘ", "中心", " ", "财", "办公室"};
    struct pl_buf typo, got, want;
    pl_buf_init(&typo);
    pl_buf_init(&got);
    pl_buf_init(&want);
    size_t tried = 0, near = 0;
    for (size_t u = 0; u < catalog.nunits; u++) {
        const char *name = catalog.units[u].name;
        uint32_t cps[128];
        size_t n = 0;
        for (size_t o = 0; name[o] && n < 128; n++)
            o += pl_utf8_decode(name + o, strlen(name + o), &cps[n]);
        for (int kind = 0; kind < 4; kind++) {
            /* kind 0: a character dropped; 1: one replaced; 2: one added; 3: halves swapped */
            pl_buf_clear(&typo);
            size_t at = (u * 7 + (size_t)kind) % (n ? n : 1);
            for (size_t i = 0; i < n; i++) {
                size_t j = kind == 3 ? (i + n / 2) % n : i;
                if (i == at && kind == 2)
                    pl_buf_append_str(&typo, noise[(u + i) % 7]);
                if (i == at && kind == 1)
                    pl_buf_append_str(&typo, noise[u % 7]);
                else if (!(i == at && kind == 0))
                    pl_utf8_append(&typo, cps[j]);
            }
            pl_buf_clear(&got);
            pl_buf_clear(&want);
            assert_int_equal(pl_check_suggest_units(&catalog, typo.data, typo.len, 3, &got),
                             PL_OK);
            reference_suggestions(typo.data, &want);
            if (strcmp(got.data, want.data) != 0)
                fail_msg("typo \"%s\": got %s, wanted %s", typo.data, got.data, want.data);
            tried++;
            near += got.len > 0;
        }
    }
    assert_true(tried > 200);
    assert_true(near > tried / 2); /* the typos were mostly near something */
    pl_buf_fini(&typo);
    pl_buf_fini(&got);
    pl_buf_fini(&want);
}

static void test_an_indicator_row_with_a_value_needs_no_progress(void **state)
{
    (void)state;
    struct result r;
    /* The form's pre-made indicator rows ask for 完成值 only (issue 12): such a row is valid
     * with its progress left empty; a task-level row, an unknown metric, or an indicator row
     * without a value still needs progress. */
    run(HEADER "2023H1,a,2,3,县工业和信息化局,,,,,12家,培育领军企业、骨干企业及高成长性企业,,,,2023-06-28\n"
               "2023H1,a,3,3,县工业和信息化局,,,,,,,,,,2023-06-28\n"
               "2023H1,a,4,3,县工业和信息化局,,,,,12,没有这个指标,,,,2023-06-28\n"
               "2023H1,a,5,3,县工业和信息化局,,,,,,攀登企业营收增长,有说明,,,2023-06-28\n",
        &r);
    assert_int_equal(r.stats.valid, 1);
    assert_int_equal(r.stats.rejected, 3);
    assert_non_null(strstr(r.out, "\n2023H1,a,2,3,县工业和信息化局,,,,,12,培育领军企业、骨干企业及高成长性企业,"));
    assert_non_null(strstr(r.diags.data, "a:3:"));
    assert_non_null(strstr(r.diags.data, "E_METRIC_UNKNOWN"));
    assert_non_null(strstr(r.diags.data, "a:5:"));
    assert_null(strstr(r.diags.data, "a:2:"));
    done(&r);
}

static void test_rejects_headers_are_chinese_and_read_back_in_either_language(void **state)
{
    (void)state;
    assert_string_equal(pl_check_reject_header("unit"), "承办单位");
    assert_string_equal(pl_check_reject_header("code"), "问题代码");
    assert_string_equal(pl_check_reject_header("column"), "问题所在列");
    assert_string_equal(pl_check_reject_header("error"), "问题说明");
    assert_null(pl_check_reject_header("whatever"));
    assert_string_equal(pl_check_reject_column("承办单位"), "unit");
    assert_string_equal(pl_check_reject_column("\xEF\xBB\xBF周期"), "cycle");
    assert_string_equal(pl_check_reject_column("task_id"), "task_id");
    assert_null(pl_check_reject_column("单位名称"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rows_in_equal_valid_plus_rejected),
        cmocka_unit_test(test_a_return_outside_the_cycle_tasks_is_valid_and_flagged),
        cmocka_unit_test(test_a_progress_over_100_is_capped_and_a_typo_rejected),
        cmocka_unit_test(test_a_late_return_is_valid_and_marked_late),
        cmocka_unit_test(test_the_first_day_of_the_cycle_is_in_the_window),
        cmocka_unit_test(test_duplicates_are_found_within_a_file_only),
        cmocka_unit_test(test_duplicates_are_forgotten_at_each_new_file_and_found_again_within_it),
        cmocka_unit_test(test_suggestions_name_near_units_but_match_nothing),
        cmocka_unit_test(test_suggestions_are_those_of_the_full_comparison),
        cmocka_unit_test(test_an_indicator_row_with_a_value_needs_no_progress),
        cmocka_unit_test(test_rejects_headers_are_chinese_and_read_back_in_either_language),
    };
    return cmocka_run_group_tests_name("check", tests, setup, teardown);
}
