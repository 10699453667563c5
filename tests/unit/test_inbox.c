/* Unit tests for the inbox module: every file of a returns folder listed, with what becomes
 * of it — read, a zip opened, ignored, refused — and names shown as UTF-8. */
#define _XOPEN_SOURCE 700 /* nftw */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "inbox.h"

static char root[64];

static void put(const char *rel, const char *text)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    FILE *fp = fopen(path, "wb");
    assert_non_null(fp);
    fputs(text, fp);
    assert_int_equal(fclose(fp), 0);
}

/* A zip of returns as Windows makes one: a GBK member name, the Mac's litter, a nested zip. */
static void put_zip(const char *rel)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    int err;
    zip_t *z = zip_open(path, ZIP_CREATE | ZIP_TRUNCATE, &err);
    assert_non_null(z);
    static const char csv[] = "任务编号,承办单位\n1,县财政局\n";
    static const char inner[] = "PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0";
    const struct {
        const char *name;
        const char *data;
        size_t len;
    } members[] = {
        {"\xCF\xD8\xB2\xC6\xD5\xFE\xBE\xD6.csv", csv, sizeof csv - 1}, /* 县财政局.csv in GBK */
        {"__MACOSX/._x.csv", "x", 1},
        {"sub/", NULL, 0},
        {"sub/inner.zip", inner, sizeof inner - 1},
    };
    for (size_t i = 0; i < sizeof members / sizeof members[0]; i++) {
        if (!members[i].data) {
            assert_true(zip_dir_add(z, members[i].name, ZIP_FL_ENC_RAW) >= 0);
            continue;
        }
        zip_source_t *src = zip_source_buffer(z, members[i].data, members[i].len, 0);
        assert_non_null(src);
        assert_true(zip_file_add(z, members[i].name, src, ZIP_FL_ENC_RAW) >= 0);
    }
    assert_int_equal(zip_close(z), 0);
}

static int make_tree(void **state)
{
    (void)state;
    snprintf(root, sizeof root, "/tmp/ducha-test-inbox.XXXXXX");
    assert_non_null(mkdtemp(root));
    char path[512];
    put("a.csv", "任务编号,承办单位\n");
    snprintf(path, sizeof path, "%s/补报", root);
    assert_int_equal(mkdir(path, 0777), 0);
    put("补报/b.csv", "任务编号,承办单位\n");
    put("~$a.xlsx", "x");
    put(".~lock.a.xlsx#", "x");
    put("Thumbs.db", "x");
    put(".DS_Store", "x");
    put("\xCF\xD8\xBD\xBB\xCD\xA8\xBE\xD6.csv", "任务编号,承办单位\n"); /* 县交通局.csv, GBK */
    put("\xFF\xFE.csv", "x");                                           /* neither */
    put("broken.zip", "PK\x03\x04 cut short");
    put_zip("returns.zip");
    snprintf(path, sizeof path, "%s/out.csv", root);
    assert_int_equal(symlink("/etc/hostname", path), 0);
    snprintf(path, sizeof path, "%s/in.csv", root);
    assert_int_equal(symlink("a.csv", path), 0);
    snprintf(path, sizeof path, "%s/pipe", root);
    assert_int_equal(mkfifo(path, 0600), 0);
    return 0;
}

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static int remove_tree(void **state)
{
    (void)state;
    return nftw(root, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static const struct pl_inbox_entry *find(const struct pl_inbox *in, const char *rel_shown)
{
    char want[512];
    snprintf(want, sizeof want, "%s/%s", root, rel_shown);
    for (size_t i = 0; i < in->count; i++)
        if (strcmp(in->entries[i].shown, want) == 0)
            return &in->entries[i];
    print_message("not listed: %s\n", want);
    return NULL;
}

static void test_every_file_of_the_folder_is_listed_with_what_becomes_of_it(void **state)
{
    (void)state;
    struct pl_inbox in;
    pl_inbox_init(&in);
    assert_int_equal(pl_inbox_add(&in, root), PL_OK);
    const struct {
        const char *shown;
        enum pl_inbox_status status;
        const char *code;
    } want[] = {
        {"a.csv", PL_INBOX_READ, NULL},
        {"补报/b.csv", PL_INBOX_READ, NULL},
        {"~$a.xlsx", PL_INBOX_IGNORED, "W_IGNORED_FILE"},
        {".~lock.a.xlsx#", PL_INBOX_IGNORED, "W_IGNORED_FILE"},
        {"Thumbs.db", PL_INBOX_IGNORED, "W_IGNORED_FILE"},
        {".DS_Store", PL_INBOX_IGNORED, "W_IGNORED_FILE"},
        {"县交通局.csv", PL_INBOX_READ, NULL},
        {"\\xFF\\xFE.csv", PL_INBOX_READ, NULL},
        {"broken.zip", PL_INBOX_REFUSED, "E_ZIP_BROKEN"},
        {"returns.zip", PL_INBOX_ARCHIVE, NULL},
        {"returns.zip/县财政局.csv", PL_INBOX_READ, NULL},
        {"returns.zip/__MACOSX/._x.csv", PL_INBOX_IGNORED, "W_IGNORED_FILE"},
        {"returns.zip/sub/inner.zip", PL_INBOX_READ, NULL},
        {"out.csv", PL_INBOX_REFUSED, "E_SYMLINK_OUTSIDE"},
        {"in.csv", PL_INBOX_READ, NULL},
        {"pipe", PL_INBOX_REFUSED, "E_NOT_A_FILE"},
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
        const struct pl_inbox_entry *e = find(&in, want[i].shown);
        assert_non_null(e);
        assert_int_equal(e->status, want[i].status);
        if (want[i].code)
            assert_string_equal(e->code, want[i].code);
        if (e->status == PL_INBOX_IGNORED || e->status == PL_INBOX_REFUSED)
            assert_non_null(e->why);
    }
    /* Nothing else, and nothing twice: the zip's folder entry is not a file. */
    assert_int_equal(in.count, sizeof want / sizeof want[0]);
    pl_inbox_fini(&in);
}

static void test_a_zip_member_is_extracted_and_a_nested_zip_refused(void **state)
{
    (void)state;
    struct pl_inbox in;
    pl_inbox_init(&in);
    assert_int_equal(pl_inbox_add(&in, root), PL_OK);
    struct pl_diag diag;
    struct pl_buf msgs;
    pl_buf_init(&msgs);
    pl_diag_init(&diag, pl_diag_emit_buf, &msgs);
    char *tmp = NULL;
    assert_int_equal(pl_inbox_extract(find(&in, "returns.zip/县财政局.csv"), &diag, &tmp), PL_OK);
    FILE *fp = fopen(tmp, "rb");
    assert_non_null(fp);
    char text[128] = "";
    size_t n = fread(text, 1, sizeof text - 1, fp);
    fclose(fp);
    text[n] = '\0';
    assert_string_equal(text, "任务编号,承办单位\n1,县财政局\n");
    unlink(tmp);
    free(tmp);
    assert_int_equal(pl_inbox_extract(find(&in, "returns.zip/sub/inner.zip"), &diag, &tmp),
                     PL_ERR_DATA);
    assert_null(tmp);
    assert_non_null(strstr(msgs.data, "[E_ZIP_NESTED]"));
    pl_buf_fini(&msgs);
    pl_inbox_fini(&in);
}

static void test_a_file_given_by_name_is_one_entry_and_a_missing_one_still_listed(void **state)
{
    (void)state;
    struct pl_inbox in;
    pl_inbox_init(&in);
    char path[512];
    snprintf(path, sizeof path, "%s/a.csv", root);
    assert_int_equal(pl_inbox_add(&in, path), PL_OK);
    assert_int_equal(pl_inbox_add(&in, "/nonexistent/x.csv"), PL_OK);
    assert_int_equal(pl_inbox_add(&in, "-"), PL_OK);
    assert_int_equal(in.count, 3);
    assert_string_equal(in.entries[0].shown, path);
    assert_int_equal(in.entries[1].status, PL_INBOX_READ);
    assert_string_equal(in.entries[2].path, "-");
    pl_inbox_fini(&in);
}

static void test_names_are_shown_as_utf8(void **state)
{
    (void)state;
    struct pl_buf out;
    pl_buf_init(&out);
    assert_int_equal(pl_inbox_display_name(&out, "县财政局.csv", strlen("县财政局.csv")), PL_OK);
    assert_string_equal(out.data, "县财政局.csv");
    pl_buf_clear(&out);
    assert_int_equal(pl_inbox_display_name(&out, "\xCF\xD8.csv", 6), PL_OK);
    assert_string_equal(out.data, "县.csv");
    pl_buf_clear(&out);
    assert_int_equal(pl_inbox_display_name(&out, "\xFF.csv", 5), PL_OK);
    assert_string_equal(out.data, "\\xFF.csv");
    pl_buf_fini(&out);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_file_of_the_folder_is_listed_with_what_becomes_of_it),
        cmocka_unit_test(test_a_zip_member_is_extracted_and_a_nested_zip_refused),
        cmocka_unit_test(test_a_file_given_by_name_is_one_entry_and_a_missing_one_still_listed),
        cmocka_unit_test(test_names_are_shown_as_utf8),
    };
    return cmocka_run_group_tests_name("inbox", tests, make_tree, remove_tree);
}
