/* Unit tests for the rawlines module: lines cut from blocks, and the UTF-8 check. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "rawlines.h"
#include "text.h"

/* Larger than the block the module reads (128 KB), so that lines straddle blocks. */
enum { BIG = 300000 };

/* Text of about BIG bytes: lines of every length from 0 to 997 bytes of mixed ASCII and
 * three-byte characters, some ending in CR LF, the last without a line break. */
static void make_text(struct pl_buf *b)
{
    for (size_t n = 0; b->len < BIG; n = (n + 37) % 998) {
        for (size_t k = 0; k < n; k++)
            pl_buf_append_str(b, k % 3 ? "x" : "县");
        pl_buf_append_str(b, n % 2 ? "\r\n" : "\n");
    }
    pl_buf_append_str(b, "last");
}

static void read_lines(const char *text, size_t len, struct pl_buf *joined,
                       unsigned long *count, unsigned long *unclean)
{
    FILE *fp = fmemopen((void *)text, len, "r");
    assert_non_null(fp);
    struct pl_rawlines r;
    pl_rawlines_init(&r, fp);
    const char *line;
    size_t n;
    *count = *unclean = 0;
    while (true) {
        assert_int_equal(pl_rawlines_next(&r, &line, &n), PL_OK);
        if (!line)
            break;
        ++*count;
        /* Only the last line may lack its LF, and no line holds one before its end. */
        assert_ptr_equal(memchr(line, '\n', n), n && line[n - 1] == '\n' ? line + n - 1 : NULL);
        bool want = !memchr(line, '\0', n) && pl_utf8_valid(line, n);
        assert_int_equal(pl_rawlines_clean(&r, line, n), want);
        *unclean += !want;
        pl_buf_append(joined, line, n);
    }
    pl_rawlines_fini(&r);
    fclose(fp);
}

static void test_lines_are_cut_whole_across_blocks(void **state)
{
    (void)state;
    struct pl_buf text, joined;
    pl_buf_init(&text);
    pl_buf_init(&joined);
    make_text(&text);
    unsigned long lines, unclean, breaks = 0;
    for (size_t i = 0; i < text.len; i++)
        breaks += text.data[i] == '\n';
    read_lines(text.data, text.len, &joined, &lines, &unclean);
    assert_int_equal(lines, breaks + 1);
    assert_int_equal(unclean, 0);
    assert_int_equal(joined.len, text.len);
    assert_memory_equal(joined.data, text.data, text.len);
    pl_buf_fini(&text);
    pl_buf_fini(&joined);
}

static void test_a_line_longer_than_the_block_is_one_line(void **state)
{
    (void)state;
    size_t n = 3 * BIG;
    char *text = malloc(n + 3);
    assert_non_null(text);
    memset(text, 'y', n);
    memcpy(text + n, "\nz", 2);
    struct pl_buf joined;
    pl_buf_init(&joined);
    unsigned long lines, unclean;
    read_lines(text, n + 2, &joined, &lines, &unclean);
    assert_int_equal(lines, 2);
    assert_int_equal(joined.len, n + 2);
    pl_buf_fini(&joined);
    free(text);
}

static void test_bad_lines_are_found_wherever_they_fall(void **state)
{
    (void)state;
    struct pl_buf text, joined;
    pl_buf_init(&text);
    pl_buf_init(&joined);
    make_text(&text);
    /* A bad byte, a NUL, a character cut short and a surrogate, some near the first block's
     * end (131072), one in the last line; every line is compared with pl_utf8_valid(). */
    size_t at[] = {5, 131000, 131071, 131072, 131075, 200000, text.len - 2};
    const char *bad[] = {"\xFF", "", "\xE5\xBF", "\xED\xA0\x80", "\xC0\xAF", "\x80", "\xF4\x90"};
    for (size_t i = 0; i < sizeof at / sizeof at[0]; i++)
        memcpy(text.data + at[i], bad[i], strlen(bad[i]) ? strlen(bad[i]) : 1);
    unsigned long lines, unclean;
    read_lines(text.data, text.len, &joined, &lines, &unclean);
    assert_true(unclean >= 3); /* some land in one line, or make a valid character */
    assert_memory_equal(joined.data, text.data, text.len);
    pl_buf_fini(&text);
    pl_buf_fini(&joined);
}

static void test_forget_reads_on_from_where_the_stream_stands(void **state)
{
    (void)state;
    FILE *fp = fmemopen("one\ntwo\n", 8, "r");
    assert_non_null(fp);
    struct pl_rawlines r;
    pl_rawlines_init(&r, fp);
    const char *line;
    size_t n;
    assert_int_equal(pl_rawlines_next(&r, &line, &n), PL_OK);
    assert_int_equal(n, 4);
    assert_int_equal(fseek(fp, 0, SEEK_SET), 0);
    pl_rawlines_forget(&r);
    assert_int_equal(pl_rawlines_next(&r, &line, &n), PL_OK);
    assert_memory_equal(line, "one\n", 4);
    assert_int_equal(pl_rawlines_next(&r, &line, &n), PL_OK);
    assert_memory_equal(line, "two\n", 4);
    assert_int_equal(pl_rawlines_next(&r, &line, &n), PL_OK);
    assert_null(line);
    pl_rawlines_fini(&r);
    fclose(fp);
}

/* The fast check may only ever agree with pl_utf8_valid(): every pair of bytes followed by
 * each byte that matters to the rules, at offsets around the sixteen-byte steps. */
static void test_utf8_check_agrees_with_pl_utf8_valid(void **state)
{
    (void)state;
    static const unsigned char third[] = {0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0,
                                          0xBF, 0xC0, 0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0,
                                          0xF4, 0xF5, 0xFF};
    static const size_t offsets[] = {0, 1, 13, 14, 15, 16, 29, 31, 45};
    char buf[64];
    unsigned long mismatches = 0;
    for (size_t o = 0; o < sizeof offsets / sizeof offsets[0]; o++) {
        size_t off = offsets[o];
        for (unsigned a = 0; a < 256; a++) {
            for (unsigned b = 0; b < 256; b++) {
                for (size_t c = 0; c < sizeof third; c++) {
                    memset(buf, 'x', sizeof buf);
                    buf[off] = (char)a;
                    buf[off + 1] = (char)b;
                    buf[off + 2] = (char)third[c];
                    for (size_t len = off + 1; len <= off + 4; len += 3) {
                        bool want = !memchr(buf, '\0', len) && pl_utf8_valid(buf, len);
                        mismatches += pl_rawlines_utf8_clean(buf, len) != want;
                    }
                }
            }
        }
    }
    /* And four-byte characters, valid and not, after a three-byte one. */
    for (unsigned a = 0xF0; a <= 0xF5; a++)
        for (unsigned b = 0x80; b <= 0xC0; b++) {
            char s[32] = "abcdefghijk\xE5\xBF\xBD";
            s[14] = (char)a;
            s[15] = (char)b;
            s[16] = (char)0x80;
            s[17] = (char)0xBF;
            for (size_t len = 15; len <= 20; len++) {
                bool want = !memchr(s, '\0', len) && pl_utf8_valid(s, len);
                mismatches += pl_rawlines_utf8_clean(s, len) != want;
            }
        }
    assert_int_equal(mismatches, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lines_are_cut_whole_across_blocks),
        cmocka_unit_test(test_a_line_longer_than_the_block_is_one_line),
        cmocka_unit_test(test_bad_lines_are_found_wherever_they_fall),
        cmocka_unit_test(test_forget_reads_on_from_where_the_stream_stands),
        cmocka_unit_test(test_utf8_check_agrees_with_pl_utf8_valid),
    };
    return cmocka_run_group_tests_name("rawlines", tests, NULL, NULL);
}
