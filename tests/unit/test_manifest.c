/* Unit tests for the manifest module: sha256sum's line format and escapes, links by content. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "manifest.h"

static const char hex[] = "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb";

static void test_a_plain_name_is_written_as_sha256sum_writes_it(void **state)
{
    (void)state;
    struct pl_buf out;
    pl_buf_init(&out);
    assert_int_equal(pl_manifest_line(&out, hex, "receipts/县财政局.xlsx"), PL_OK);
    assert_string_equal(out.data, "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb"
                                  "  receipts/县财政局.xlsx\n");
    pl_buf_fini(&out);
}

static void test_a_name_with_newline_or_backslash_is_escaped_with_a_leading_backslash(void **state)
{
    (void)state;
    struct pl_buf out;
    pl_buf_init(&out);
    assert_int_equal(pl_manifest_line(&out, hex, "a\nb\\c\rd.csv"), PL_OK);
    assert_string_equal(out.data, "\\ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb"
                                  "  a\\nb\\\\c\\rd.csv\n");
    pl_buf_fini(&out);
}

static void put(const char *path, const char *text)
{
    FILE *fp = fopen(path, "w");
    assert_non_null(fp);
    fputs(text, fp);
    assert_int_equal(fclose(fp), 0);
}

static void test_a_linked_file_is_listed_with_its_content_and_a_linked_folder_is_not_walked(void **state)
{
    (void)state;
    char dir[] = "/tmp/test_manifest.XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256], target[256], link[256], loop[256], out[256];
    snprintf(path, sizeof path, "%s/tree", dir);
    assert_int_equal(mkdir(path, 0777), 0);
    snprintf(target, sizeof target, "%s/elsewhere.csv", dir);
    put(target, "a");
    snprintf(link, sizeof link, "%s/tree/units.csv", dir);
    assert_int_equal(symlink(target, link), 0);
    snprintf(loop, sizeof loop, "%s/tree/loop", dir);
    assert_int_equal(symlink("..", loop), 0);
    snprintf(path, sizeof path, "%s/tree/x\ny.csv", dir);
    put(path, "a");
    struct pl_manifest m;
    pl_manifest_init(&m);
    snprintf(path, sizeof path, "%s/tree", dir);
    assert_int_equal(pl_manifest_add_tree(&m, path, "in/", NULL), PL_OK);
    snprintf(out, sizeof out, "%s/MANIFEST.sha256", dir);
    assert_int_equal(pl_manifest_write(&m, out), PL_OK);
    pl_manifest_fini(&m);
    FILE *fp = fopen(out, "r");
    assert_non_null(fp);
    char text[1024] = "";
    size_t n = fread(text, 1, sizeof text - 1, fp);
    fclose(fp);
    text[n] = '\0';
    assert_string_equal(text, "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb"
                              "  in/units.csv\n"
                              "\\ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb"
                              "  in/x\\ny.csv\n");
    char cmd[512];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);
}

struct seen {
    char text[512];
};

static void record_change(void *ctx, enum pl_manifest_change what, const char *path)
{
    struct seen *s = ctx;
    static const char *const words[] = {"new", "changed", "removed"};
    size_t len = strlen(s->text);
    snprintf(s->text + len, sizeof s->text - len, "%s %s;", words[what], path);
}

static void test_two_manifests_compare_file_by_file_and_the_same_ones_show_nothing(void **state)
{
    (void)state;
    char dir[] = "/tmp/ducha-test-manifest-cmp.XXXXXX";
    assert_non_null(mkdtemp(dir));
    char old[96], new[96];
    snprintf(old, sizeof old, "%s/old", dir);
    snprintf(new, sizeof new, "%s/new", dir);
    /* Written in another order: the comparison is by path. */
    put(old, "aa  ../../../input/2023/returns/2023H1/县财政局.csv\n"
             "bb  circular.pdf\n"
             "cc  rated.csv\n"
             "dd  ../../../input/2023/returns/2023H1/县商务局.csv\n");
    put(new, "bb  circular.pdf\n"
             "ee  rated.csv\n"
             "aa  ../../../input/2023/returns/2023H1/县财政局.csv\n"
             "ff  ../../../input/2023/returns/2023H1/补报/县统计局.xlsx\n");
    struct seen seen = {""};
    size_t n = 99;
    assert_int_equal(pl_manifest_compare(old, new, record_change, &seen, &n), PL_OK);
    assert_int_equal(n, 3);
    assert_string_equal(seen.text, "removed ../../../input/2023/returns/2023H1/县商务局.csv;"
                                   "new ../../../input/2023/returns/2023H1/补报/县统计局.xlsx;"
                                   "changed rated.csv;");
    seen.text[0] = '\0';
    assert_int_equal(pl_manifest_compare(new, new, record_change, &seen, &n), PL_OK);
    assert_int_equal(n, 0);
    assert_string_equal(seen.text, "");
    unlink(old);
    assert_int_equal(pl_manifest_compare(old, new, NULL, NULL, &n), PL_ERR_OPEN);
    unlink(new);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_plain_name_is_written_as_sha256sum_writes_it),
        cmocka_unit_test(test_two_manifests_compare_file_by_file_and_the_same_ones_show_nothing),
        cmocka_unit_test(test_a_name_with_newline_or_backslash_is_escaped_with_a_leading_backslash),
        cmocka_unit_test(test_a_linked_file_is_listed_with_its_content_and_a_linked_folder_is_not_walked),
    };
    return cmocka_run_group_tests_name("manifest", tests, NULL, NULL);
}
