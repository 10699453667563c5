/* Unit tests for the xlsx module: widths, wrapped lines, dates, strings that stay strings,
 * sticky errors and atomic output. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <dlfcn.h>
#include <xlsxwriter.h>

#include "xlsx.h"
#include "zipparts.h"

static char dir[] = "/tmp/ducha-test-xlsx.XXXXXX";

static int setup(void **state)
{
    (void)state;
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static int entries(void)
{
    DIR *d = opendir(dir);
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (e->d_name[0] != '.')
            n++;
    closedir(d);
    return n;
}

/* The part NAME of the package at PATH, via unzip; NULL (and the test skipped) without it. */
static char *read_part(const char *path, const char *name)
{
    if (system("command -v unzip > /dev/null 2>&1") != 0)
        skip();
    char cmd[512];
    snprintf(cmd, sizeof cmd, "unzip -p '%s' '%s'", path, name);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    size_t n;
    while ((n = fread(buf + len, 1, cap - len - 1, p)) > 0) {
        len += n;
        if (len + 1 == cap)
            buf = realloc(buf, cap *= 2);
    }
    buf[len] = '\0';
    assert_int_equal(pclose(p), 0);
    return buf;
}

static struct pl_xlsx *open_book(const char *path, bool constant_memory)
{
    struct pl_xlsx_props props = {.title = "t",
                                  .author = "县政府督查室",
                                  .created = 1688083200,
                                  .constant_memory = constant_memory};
    struct pl_xlsx *x;
    assert_int_equal(pl_xlsx_open(&x, path, &props, NULL), PL_OK);
    return x;
}

static void test_cjk_characters_count_two_widths(void **state)
{
    (void)state;
    assert_int_equal(pl_xlsx_text_width(""), 0);
    assert_int_equal(pl_xlsx_text_width("2023-06-30"), 10);
    assert_int_equal(pl_xlsx_text_width("县财政局"), 8);
    assert_int_equal(pl_xlsx_text_width("ＡＢ１２％"), 10);
    assert_int_equal(pl_xlsx_text_width("“四大攀登行动”"), 16);
    assert_int_equal(pl_xlsx_text_width("短\n长一些的行\n中等"), 10);
}

static void test_wrapped_text_takes_enough_lines(void **state)
{
    (void)state;
    assert_int_equal(pl_xlsx_lines("", 10), 1);
    assert_int_equal(pl_xlsx_lines("县财政局", 10), 1);         /* 8 in 9 */
    assert_int_equal(pl_xlsx_lines("县财政局县财政局", 10), 2); /* 16 in 9 */
    assert_int_equal(pl_xlsx_lines("一\n二\n三", 10), 3);
    assert_int_equal(pl_xlsx_lines("a\n\nb", 10), 3);
    assert_true(pl_xlsx_lines_height(1) >= 13.5);
    assert_true(pl_xlsx_lines_height(1000) <= 409);
}

static void test_source_date_epoch_is_seconds_or_nothing(void **state)
{
    (void)state;
    long long t;
    assert_int_equal(pl_xlsx_source_date(NULL, &t), PL_OK);
    assert_int_equal(t, -1);
    assert_int_equal(pl_xlsx_source_date("", &t), PL_OK);
    assert_int_equal(t, -1);
    assert_int_equal(pl_xlsx_source_date("1688083200", &t), PL_OK);
    assert_int_equal(t, 1688083200);
    assert_int_equal(pl_xlsx_source_date("-1", &t), PL_ERR_USAGE);
    assert_int_equal(pl_xlsx_source_date("12abc", &t), PL_ERR_USAGE);
    assert_int_equal(pl_xlsx_source_date("99999999999999999999", &t), PL_ERR_USAGE);
}

static void test_text_that_looks_like_a_formula_stays_a_string(void **state)
{
    (void)state;
    char path[256];
    snprintf(path, sizeof path, "%s/safe.xlsx", dir);
    static const char *const texts[] = {
        "=1+1", "+86 138", "-2", "@SUM(A1)", "=HYPERLINK(\"http://x\")", "=cmd|'/c calc'!A0"};
    for (int cm = 0; cm < 2; cm++) {
        struct pl_xlsx *x = open_book(path, cm);
        struct pl_xlsx_sheet *s = pl_xlsx_add_sheet(x, "总表");
        for (unsigned i = 0; i < 6; i++)
            pl_xlsx_text(s, i, 0, texts[i], PL_XS_TEXT);
        pl_xlsx_merge_text(s, 6, 0, 3, "=SUM(A1:A2)", PL_XS_TITLE);
        assert_int_equal(pl_xlsx_close(x), PL_OK);
        char *xml = read_part(path, "xl/worksheets/sheet1.xml");
        assert_null(strstr(xml, "<f>"));
        assert_null(strstr(xml, "<f "));
        char *strings = cm ? xml : read_part(path, "xl/sharedStrings.xml");
        assert_non_null(strstr(strings, "=1+1"));
        assert_non_null(strstr(strings, "@SUM(A1)"));
        assert_non_null(strstr(strings, "=SUM(A1:A2)"));
        if (!cm)
            free(strings);
        free(xml);
    }
}

static void test_an_error_is_sticky_and_leaves_no_file(void **state)
{
    (void)state;
    char path[256];
    snprintf(path, sizeof path, "%s/never.xlsx", dir);
    int before = entries();
    struct pl_xlsx *x = open_book(path, true);
    struct pl_xlsx_sheet *s = pl_xlsx_add_sheet(x, "a");
    pl_xlsx_text(s, 5, 0, "row 6", PL_XS_TEXT);
    pl_xlsx_text(s, 1, 0, "row 2, too late in constant-memory mode", PL_XS_TEXT);
    assert_int_not_equal(pl_xlsx_status(x), PL_OK);
    pl_xlsx_text(s, 9, 0, "ignored", PL_XS_TEXT);
    assert_int_not_equal(pl_xlsx_close(x), PL_OK);
    assert_int_equal(access(path, F_OK), -1);
    assert_int_equal(entries(), before); /* no temporary file left */
}

static void test_a_workbook_appears_whole_and_twice_the_same(void **state)
{
    (void)state;
    char a[256], b[256];
    snprintf(a, sizeof a, "%s/a.xlsx", dir);
    snprintf(b, sizeof b, "%s/b.xlsx", dir);
    const char *paths[] = {a, b};
    for (int i = 0; i < 2; i++) {
        struct pl_xlsx *x = open_book(paths[i], false);
        struct pl_xlsx_sheet *s = pl_xlsx_add_sheet(x, "统计");
        pl_xlsx_text(s, 0, 0, "蓝", PL_XS_BLUE);
        pl_xlsx_number(s, 0, 1, 3, PL_XS_INT);
        pl_xlsx_date(s, 1, 0, 2023, 6, 30, PL_XS_DATE);
        pl_xlsx_print_setup(s, true, 0, 0, "A&B");
        pl_xlsx_protect(s);
        assert_int_equal(access(paths[i], F_OK), -1); /* not there before close */
        assert_int_equal(pl_xlsx_close(x), PL_OK);
    }
    char cmd[600];
    snprintf(cmd, sizeof cmd, "cmp -s '%s' '%s'", a, b);
    assert_int_equal(system(cmd), 0);
    char *core = read_part(a, "docProps/core.xml");
    assert_non_null(strstr(core, "2023-06-30T00:00:00Z"));
    assert_non_null(strstr(core, "<dc:creator>县政府督查室</dc:creator>"));
    free(core);
    char *sheet = read_part(a, "xl/worksheets/sheet1.xml");
    assert_non_null(strstr(sheet, "A&amp;&amp;B")); /* & doubled in the footer */
    assert_non_null(strstr(sheet, "<sheetProtection"));
    free(sheet);
}

static void test_a_device_is_written_in_place(void **state)
{
    (void)state;
    struct pl_xlsx *x = open_book("/dev/null", true);
    pl_xlsx_text(pl_xlsx_add_sheet(x, "a"), 0, 0, "x", PL_XS_TEXT);
    assert_int_equal(pl_xlsx_close(x), PL_OK);
    FILE *fp = fopen("/dev/null", "w"); /* still the device, not a renamed file */
    assert_non_null(fp);
    fclose(fp);
}

/* The modification time of folder PATH, in nanoseconds: a file created and removed in it
 * changes it. */
static long long folder_mtime(const char *path)
{
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    return (long long)st.st_mtim.tv_sec * 1000000000LL + st.st_mtim.tv_nsec;
}

/* A workbook's parts are kept in memory while it is written: no temporary file is made in
 * TMPDIR (a constant_memory workbook, which keeps the library's files, shows that the check
 * would see one), and a sheet part of several megabytes comes out whole. */
static void test_a_workbook_s_parts_stay_in_memory(void **state)
{
    (void)state;
    char tmp[256], path[256];
    snprintf(tmp, sizeof tmp, "%s/tmpdir", dir);
    assert_int_equal(mkdir(tmp, 0700), 0);
    char *old = getenv("TMPDIR") ? strdup(getenv("TMPDIR")) : NULL;
    setenv("TMPDIR", tmp, 1);
    for (int constant = 0; constant < 2; constant++) {
        snprintf(path, sizeof path, "%s/big%d.xlsx", dir, constant);
        long long before = folder_mtime(tmp);
        usleep(20000); /* past the file system's clock granularity */
        struct pl_xlsx *x = open_book(path, constant);
        struct pl_xlsx_sheet *s = pl_xlsx_add_sheet(x, "a");
        char cell[64];
        for (unsigned r = 0; r < 20000; r++)
            for (unsigned c = 0; c < 5; c++) {
                snprintf(cell, sizeof cell, "第%u行第%u列", r + 1, c + 1);
                pl_xlsx_text(s, r, c, cell, PL_XS_TEXT);
            }
        assert_int_equal(pl_xlsx_close(x), PL_OK);
        if (constant)
            assert_true(folder_mtime(tmp) != before);
        else
            assert_true(folder_mtime(tmp) == before);
        char *part =
            read_part(path, constant ? "xl/worksheets/sheet1.xml" : "xl/sharedStrings.xml");
        assert_non_null(strstr(part, "第20000行第5列"));
        assert_non_null(strstr(part, "第1行第1列"));
        free(part);
    }
    if (old) {
        setenv("TMPDIR", old, 1);
        free(old);
    } else {
        unsetenv("TMPDIR");
    }
}

/* A workbook of KIND at PATH, with PARTS (may be NULL): 0 a receipt (merged title, numbers,
 * a date, checks, protection, print setup), 1 a sheet with a chart (drawing parts), 2 shared
 * strings of megabytes (more than PL_ZIPPARTS_MAX_PART: minizip compresses them as they come),
 * 3 a receipt for another unit, 4 a receipt with two formats more (another styles.xml, the
 * rest as 0's). */
static enum pl_status write_kind(const char *path, int kind, struct pl_zipparts *parts)
{
    struct pl_xlsx_props props = {.title = "回执",
                                  .author = "县政府督查室",
                                  .subject = kind == 3 ? "县财政局" : "县教育局",
                                  .created = 1688083200,
                                  .parts = parts};
    struct pl_xlsx *x;
    enum pl_status st = pl_xlsx_open(&x, path, &props, NULL);
    if (st != PL_OK)
        return st;
    struct pl_xlsx_sheet *s = pl_xlsx_add_sheet(x, "回执");
    pl_xlsx_column_width(s, 0, 12);
    pl_xlsx_merge_text(s, 0, 0, 4, "2023年上半年重点工作落实情况报送回执", PL_XS_TITLE);
    pl_xlsx_text(s, 1, 0, kind == 3 ? "单位：县财政局" : "单位：县教育局", PL_XS_SUBTITLE);
    pl_xlsx_number(s, 2, 1, 87.5, PL_XS_SCORE);
    pl_xlsx_number(s, 2, 2, 0.1 + 0.2, PL_XS_PERCENT1);
    pl_xlsx_date(s, 2, 3, 2023, 6, 30, PL_XS_DATE);
    pl_xlsx_text(s, 3, 0, "红", PL_XS_RED);
    if (kind == 4) {
        pl_xlsx_text(s, 3, 1, "黄", PL_XS_YELLOW);
        pl_xlsx_number(s, 3, 2, 7, PL_XS_INT);
    }
    static const char *const words[] = {"正常推进", "已完成", NULL};
    int lo[3] = {2023, 1, 1}, hi[3] = {2023, 12, 31};
    pl_xlsx_validate_list(s, 4, 0, 20, words, "选一项", "只能选列出的词");
    pl_xlsx_validate_number(s, 4, 1, 20, 0, 100, NULL, "0到100");
    pl_xlsx_validate_date(s, 4, 2, 20, lo, hi, NULL, NULL);
    if (kind == 1) {
        static const unsigned cols[] = {1, 2};
        static const char *const names[] = {"蓝", "黄"};
        static const unsigned colours[] = {PL_XLSX_BLUE, PL_XLSX_YELLOW};
        pl_xlsx_stacked_bars(s, 6, 0, s, 2, 2, 0, cols, names, colours, 2, "颜色", 480, 200);
    }
    if (kind == 2) {
        char cell[64];
        for (unsigned r = 30; r < 30030; r++) {
            snprintf(cell, sizeof cell, "第%u行的文字", r);
            pl_xlsx_text(s, r, 0, cell, PL_XS_TEXT);
        }
    }
    pl_xlsx_print_setup(s, false, 0, 0, "县政府督查室");
    pl_xlsx_print_one_page(s);
    pl_xlsx_protect(s);
    return pl_xlsx_close(x);
}

/* The zip this module makes (in memory, one write, each part compressed by zipparts, from
 * its cache when seen before) is byte for byte the one libxlsxwriter and minizip write
 * alone, for workbooks of every kind, with a cache or without, first time or tenth. */
static void test_the_zip_is_the_one_libxlsxwriter_writes_alone(void **state)
{
    (void)state;
    struct pl_zipparts *parts;
    assert_int_equal(pl_zipparts_new(&parts, PL_ZIPPARTS_BUDGET), PL_OK);
    char ref[256], path[256], cmd[600];
    for (int kind = 0; kind < 5; kind++) {
        snprintf(ref, sizeof ref, "%s/plain%d.xlsx", dir, kind);
        pl_xlsx_plain_zip(true);
        assert_int_equal(write_kind(ref, kind, NULL), PL_OK);
        pl_xlsx_plain_zip(false);
        for (int round = 0; round < 4; round++) {
            snprintf(path, sizeof path, "%s/zip%d-%d.xlsx", dir, kind, round);
            assert_int_equal(write_kind(path, kind, round ? parts : NULL), PL_OK);
            snprintf(cmd, sizeof cmd, "cmp '%s' '%s'", ref, path);
            assert_int_equal(system(cmd), 0);
        }
    }
    /* The parts did go through the cache: the program's definitions of minizip's functions
     * are the ones libxlsxwriter called. */
    struct pl_zipparts_stats st;
    pl_zipparts_stats(parts, &st);
    assert_true(st.hits >= 20);
    pl_zipparts_free(parts);
}

/* A workbook whose file cannot be written whole fails, and leaves neither the target nor a
 * temporary file: here the file size limit refuses the zip's one write. */
static void test_a_write_failure_fails_the_workbook(void **state)
{
    (void)state;
    struct pl_zipparts *parts;
    assert_int_equal(pl_zipparts_new(&parts, PL_ZIPPARTS_BUDGET), PL_OK);
    char path[256];
    snprintf(path, sizeof path, "%s/cut.xlsx", dir);
    int before = entries();
    struct rlimit old, low;
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
    low = old;
    low.rlim_cur = 3000;
    void (*old_handler)(int) = signal(SIGXFSZ, SIG_IGN);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &low), 0);
    enum pl_status st[2];
    for (int i = 0; i < 2; i++) /* without a cache, then with one */
        st[i] = write_kind(path, 0, i ? parts : NULL);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
    signal(SIGXFSZ, old_handler);
    assert_int_equal(st[0], PL_ERR_IO);
    assert_int_equal(st[1], PL_ERR_IO);
    assert_int_equal(access(path, F_OK), -1);
    assert_int_equal(entries(), before);
    /* The same workbook with room is written. */
    assert_int_equal(write_kind(path, 0, parts), PL_OK);
    pl_zipparts_free(parts);
}

/* The program's lxw_new_attribute_str() and lxw_new_attribute_int() (xlsx.c) give the
 * strings libxlsxwriter's own give: the same key, the same value cut at 2,079 bytes, numbers
 * as "%d" prints them. */
static void test_attributes_read_as_libxlsxwriter_s(void **state)
{
    (void)state;
    struct xml_attribute *(*lib_str)(const char *, const char *);
    struct xml_attribute *(*lib_int)(const char *, uint32_t);
    *(void **)&lib_str = dlsym(RTLD_NEXT, "lxw_new_attribute_str");
    *(void **)&lib_int = dlsym(RTLD_NEXT, "lxw_new_attribute_int");
    assert_non_null(lib_str);
    assert_non_null(lib_int);
    assert_true(lib_str != lxw_new_attribute_str); /* the program's own is another */
    char *long_text = malloc(5000);
    assert_non_null(long_text);
    memset(long_text, 'x', 4999);
    long_text[4999] = '\0';
    const char *texts[] = {"", "r", "B7", "宋体", "a&b<c>\"d\"", long_text};
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        struct xml_attribute *ours = lxw_new_attribute_str(texts[i], texts[i]);
        struct xml_attribute *theirs = lib_str(texts[i], texts[i]);
        assert_string_equal(ours->key, theirs->key);
        assert_string_equal(ours->value, theirs->value);
        free(ours);
        free(theirs);
    }
    free(long_text);
    const uint32_t numbers[] = {0,     1,       9,           10,          99,          100,
                                65535, 1048576, 2147483647u, 2147483648u, 4000000000u, 4294967295u};
    for (size_t i = 0; i < sizeof numbers / sizeof *numbers; i++) {
        struct xml_attribute *ours = lxw_new_attribute_int("s", numbers[i]);
        struct xml_attribute *theirs = lib_int("s", numbers[i]);
        assert_string_equal(ours->key, "s");
        assert_string_equal(ours->value, theirs->value);
        free(ours);
        free(theirs);
    }
}

/* The program's lxw_hash_key_exists() and lxw_insert_hash_element() (xlsx.c) keep a table
 * as libxlsxwriter's own keep theirs: the same elements in the same insertion order, a value
 * replaced for a key met again, the same answers to lookups; only buckets may differ. */
static void test_hash_tables_hold_what_libxlsxwriter_s_hold(void **state)
{
    (void)state;
    lxw_hash_element *(*lib_exists)(lxw_hash_table *, void *, size_t);
    lxw_hash_element *(*lib_insert)(lxw_hash_table *, void *, void *, size_t);
    *(void **)&lib_exists = dlsym(RTLD_NEXT, "lxw_hash_key_exists");
    *(void **)&lib_insert = dlsym(RTLD_NEXT, "lxw_insert_hash_element");
    assert_non_null(lib_exists);
    assert_non_null(lib_insert);
    assert_true(lib_insert != lxw_insert_hash_element);
    enum { N = 300, LEN = 40 };
    static unsigned char keys[N][LEN];
    static int values[N];
    for (int i = 0; i < N; i++) {
        /* Keys mostly zeros, as formats' are, some met twice. */
        snprintf((char *)keys[i], LEN, "k%d", i % 250);
        keys[i][LEN - 1] = (unsigned char)(i % 250 / 7);
        values[i] = i;
    }
    lxw_hash_table *ours = lxw_hash_new(16, 0, 0), *theirs = lxw_hash_new(16, 0, 0);
    assert_non_null(ours);
    assert_non_null(theirs);
    for (int i = 0; i < N; i++) {
        lxw_hash_element *a = lxw_insert_hash_element(ours, keys[i], &values[i], LEN);
        lxw_hash_element *b = lib_insert(theirs, keys[i], &values[i], LEN);
        assert_non_null(a);
        assert_non_null(b);
        assert_memory_equal(a->key, b->key, LEN);
        assert_ptr_equal(a->value, b->value);
    }
    assert_int_equal(ours->unique_count, theirs->unique_count);
    assert_int_equal(ours->unique_count, 250);
    lxw_hash_element *a = STAILQ_FIRST(ours->order_list), *b = STAILQ_FIRST(theirs->order_list);
    for (; a && b;
         a = STAILQ_NEXT(a, lxw_hash_order_pointers), b = STAILQ_NEXT(b, lxw_hash_order_pointers)) {
        assert_ptr_equal(a->key, b->key);
        assert_ptr_equal(a->value, b->value);
    }
    assert_null(a);
    assert_null(b);
    unsigned char absent[LEN] = "absent";
    for (int i = 0; i < N; i++) {
        lxw_hash_element *x = lxw_hash_key_exists(ours, keys[i], LEN);
        lxw_hash_element *y = lib_exists(theirs, keys[i], LEN);
        assert_non_null(x);
        assert_non_null(y);
        assert_ptr_equal(x->value, y->value);
    }
    assert_null(lxw_hash_key_exists(ours, absent, LEN));
    assert_null(lib_exists(theirs, absent, LEN));
    lxw_hash_free(ours);
    lxw_hash_free(theirs);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_cjk_characters_count_two_widths),
        cmocka_unit_test(test_wrapped_text_takes_enough_lines),
        cmocka_unit_test(test_source_date_epoch_is_seconds_or_nothing),
        cmocka_unit_test(test_text_that_looks_like_a_formula_stays_a_string),
        cmocka_unit_test(test_an_error_is_sticky_and_leaves_no_file),
        cmocka_unit_test(test_a_workbook_appears_whole_and_twice_the_same),
        cmocka_unit_test(test_a_device_is_written_in_place),
        cmocka_unit_test(test_a_workbook_s_parts_stay_in_memory),
        cmocka_unit_test(test_the_zip_is_the_one_libxlsxwriter_writes_alone),
        cmocka_unit_test(test_a_write_failure_fails_the_workbook),
        cmocka_unit_test(test_attributes_read_as_libxlsxwriter_s),
        cmocka_unit_test(test_hash_tables_hold_what_libxlsxwriter_s_hold),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
