/* Unit tests for the fsutil module: outputs appear whole or not at all. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fsutil.h"

static char dir[] = "/tmp/ducha-test-fsutil.XXXXXX";

static int setup(void **state)
{
    (void)state;
    return mkdtemp(dir) ? 0 : -1;
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

static void test_commit_puts_the_whole_file_in_place(void **state)
{
    (void)state;
    char path[256];
    snprintf(path, sizeof path, "%s/out.csv", dir);
    struct pl_atomic_file f;
    assert_int_equal(pl_atomic_open(&f, path, NULL), PL_OK);
    fputs("a,b\n", f.fp);
    assert_int_equal(access(path, F_OK), -1); /* not there until committed */
    assert_int_equal(pl_atomic_commit(&f, NULL), PL_OK);
    FILE *fp = fopen(path, "r");
    char line[16];
    assert_non_null(fgets(line, sizeof line, fp));
    assert_string_equal(line, "a,b\n");
    fclose(fp);
    unlink(path);
    assert_int_equal(entries(), 0);
}

static void test_abort_leaves_the_previous_file_untouched(void **state)
{
    (void)state;
    char path[256];
    snprintf(path, sizeof path, "%s/keep.csv", dir);
    FILE *fp = fopen(path, "w");
    fputs("old\n", fp);
    fclose(fp);
    struct pl_atomic_file f;
    assert_int_equal(pl_atomic_open(&f, path, NULL), PL_OK);
    fputs("new, half-written", f.fp);
    pl_atomic_abort(&f);
    fp = fopen(path, "r");
    char line[16];
    assert_non_null(fgets(line, sizeof line, fp));
    assert_string_equal(line, "old\n");
    fclose(fp);
    unlink(path);
    assert_int_equal(entries(), 0);
}

static void test_an_uncreatable_output_is_reported(void **state)
{
    (void)state;
    struct pl_buf out;
    pl_buf_init(&out);
    struct pl_diag d;
    pl_diag_init(&d, pl_diag_emit_buf, &out);
    struct pl_atomic_file f;
    assert_int_equal(pl_atomic_open(&f, "/nonexistent/dir/x.csv", &d), PL_ERR_CREATE);
    assert_non_null(strstr(out.data, "[E_CANNOT_CREATE]"));
    pl_atomic_abort(&f); /* harmless on a file that was never opened */
    pl_buf_fini(&out);
}

static void test_only_paths_below_the_staging_folder_defer_their_sync(void **state)
{
    (void)state;
    unsetenv("DUCHA_STAGING");
    assert_false(pl_sync_deferred("out/2023/.2023H1.staging.abc/rated.csv"));
    setenv("DUCHA_STAGING", "", 1);
    assert_false(pl_sync_deferred("out/2023/.2023H1.staging.abc/rated.csv"));
    setenv("DUCHA_STAGING", "out/2023/.2023H1.staging.abc", 1);
    assert_true(pl_sync_deferred("out/2023/.2023H1.staging.abc/rated.csv"));
    assert_true(pl_sync_deferred("out/2023/.2023H1.staging.abc/forms/县财政局.csv"));
    assert_true(pl_sync_deferred("out/2023/.2023H1.staging.abc"));
    assert_true(pl_sync_deferred("out/2023/.2023H1.staging.abc/a..b.csv"));
    /* A sibling whose name only begins the same, or a way out by "..": synced as always. */
    assert_false(pl_sync_deferred("out/2023/.2023H1.staging.abcd/rated.csv"));
    assert_false(pl_sync_deferred("out/2023/.2023H1.staging.abc/../2023H1/rated.csv"));
    assert_false(pl_sync_deferred("out/2023/.2023H1.staging.abc/.."));
    assert_false(pl_sync_deferred("out/2023/2023H1/rated.csv"));
    assert_false(pl_sync_deferred("rated.csv"));
    unsetenv("DUCHA_STAGING");
}

static void test_a_deferred_commit_still_puts_the_whole_file_in_place(void **state)
{
    (void)state;
    char path[256];
    snprintf(path, sizeof path, "%s/out.csv", dir);
    setenv("DUCHA_STAGING", dir, 1);
    struct pl_atomic_file f;
    assert_int_equal(pl_atomic_open(&f, path, NULL), PL_OK);
    fputs("a,b\n", f.fp);
    assert_int_equal(access(path, F_OK), -1);
    assert_int_equal(pl_atomic_commit(&f, NULL), PL_OK);
    assert_int_equal(pl_sync_folder(dir, NULL), PL_OK);
    unsetenv("DUCHA_STAGING");
    FILE *fp = fopen(path, "r");
    char line[16];
    assert_non_null(fgets(line, sizeof line, fp));
    assert_string_equal(line, "a,b\n");
    fclose(fp);
    unlink(path);
    assert_int_equal(entries(), 0);
}

static int teardown(void **state)
{
    (void)state;
    return rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_commit_puts_the_whole_file_in_place),
        cmocka_unit_test(test_abort_leaves_the_previous_file_untouched),
        cmocka_unit_test(test_an_uncreatable_output_is_reported),
        cmocka_unit_test(test_only_paths_below_the_staging_folder_defer_their_sync),
        cmocka_unit_test(test_a_deferred_commit_still_puts_the_whole_file_in_place),
    };
    return cmocka_run_group_tests_name("fsutil", tests, setup, teardown);
}
