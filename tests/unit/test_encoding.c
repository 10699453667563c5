/* Unit tests for the encoding module: detection order, decoding line by line, refusals. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "encoding.h"

static char *write_temp(const void *data, size_t len)
{
    char *path = strdup("/tmp/ducha-test-enc.XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, data, len), (ssize_t)len);
    close(fd);
    return path;
}

struct decoded {
    enum pl_status open_status;
    enum pl_encoding enc;
    struct pl_buf text;   /* all lines */
    struct pl_buf bad;    /* "line:col:reason " for each bad line */
    struct pl_buf diags;
};

static void decode(const void *data, size_t len, enum pl_encoding forced, struct decoded *d)
{
    char *path = write_temp(data, len);
    pl_buf_init(&d->text);
    pl_buf_init(&d->bad);
    pl_buf_init(&d->diags);
    struct pl_diag diag;
    pl_diag_init(&diag, pl_diag_emit_buf, &d->diags);
    struct pl_text_source *src;
    d->open_status = pl_text_source_open(path, "f.csv", forced, &diag, &src);
    if (d->open_status == PL_OK) {
        d->enc = pl_text_source_encoding(src);
        unsigned long line = 0;
        for (;;) {
            const char *t;
            size_t n;
            unsigned long bad;
            enum pl_bad_reason why;
            assert_int_equal(pl_text_source_next_line(src, &t, &n, &bad, &why), PL_OK);
            if (!t)
                break;
            line++;
            pl_buf_append(&d->text, t, n);
            if (bad)
                pl_buf_printf(&d->bad, "%lu:%lu:%d ", line, bad, (int)why);
        }
        pl_text_source_free(src);
    }
    unlink(path);
    free(path);
}

static void done(struct decoded *d)
{
    pl_buf_fini(&d->text);
    pl_buf_fini(&d->bad);
    pl_buf_fini(&d->diags);
}

static void test_plain_utf8_is_read_as_is(void **state)
{
    (void)state;
    struct decoded d;
    const char *s = "任务编号,承办单位\r\n1,县财政局\r\n";
    decode(s, strlen(s), PL_ENC_AUTO, &d);
    assert_int_equal(d.open_status, PL_OK);
    assert_int_equal(d.enc, PL_ENC_UTF8);
    assert_string_equal(d.text.data, s);
    assert_string_equal(d.bad.data, "");
    done(&d);
}

static void test_utf8_bom_is_recognised_and_skipped(void **state)
{
    (void)state;
    struct decoded d;
    decode("\xEF\xBB\xBF" "a,b\n", 7, PL_ENC_AUTO, &d);
    assert_int_equal(d.enc, PL_ENC_UTF8);
    assert_string_equal(d.text.data, "a,b\n");
    done(&d);
}

static void test_gbk_without_bom_is_read_as_gb18030(void **state)
{
    (void)state;
    struct decoded d;
    /* 县财政局 in GBK, then a rare character outside GB2312 (喆, GBK 86B4). */
    const char *s = "1,\xCF\xD8\xB2\xC6\xD5\xFE\xBE\xD6\r\n2,\x86\xB4\r\n";
    decode(s, strlen(s), PL_ENC_AUTO, &d);
    assert_int_equal(d.enc, PL_ENC_GB18030);
    assert_string_equal(d.text.data, "1,县财政局\r\n2,喆\r\n");
    done(&d);
}

static void test_utf16le_with_bom_is_decoded(void **state)
{
    (void)state;
    struct decoded d;
    const char s[] = "\xFF\xFE" "a\0\t\0\xBF\x53\r\0\n\0";
    decode(s, sizeof s - 1, PL_ENC_AUTO, &d);
    assert_int_equal(d.enc, PL_ENC_UTF16LE);
    assert_string_equal(d.text.data, "a\t县\r\n");
    done(&d);
}

static void test_utf16be_with_bom_is_decoded(void **state)
{
    (void)state;
    struct decoded d;
    const char s[] = "\xFE\xFF" "\0a\0\n";
    decode(s, sizeof s - 1, PL_ENC_AUTO, &d);
    assert_int_equal(d.enc, PL_ENC_UTF16BE);
    assert_string_equal(d.text.data, "a\n");
    done(&d);
}

static void test_utf16_lone_surrogate_marks_its_line(void **state)
{
    (void)state;
    struct decoded d;
    const char s[] = "\xFF\xFE" "a\0\n\0b\0\x00\xD8\n\0";
    decode(s, sizeof s - 1, PL_ENC_AUTO, &d);
    assert_string_equal(d.bad.data, "2:2:1 ");
    assert_string_equal(d.text.data, "a\nb\\x00\\xD8\n");
    done(&d);
}

static void test_a_few_bad_lines_in_utf8_are_marked_not_guessed(void **state)
{
    (void)state;
    struct decoded d;
    const char *s = "县财政局县财政局\n好\xB8\xDF\n县财政局县财政局\n";
    decode(s, strlen(s), PL_ENC_AUTO, &d);
    assert_int_equal(d.enc, PL_ENC_UTF8);
    assert_string_equal(d.bad.data, "2:2:1 ");
    done(&d);
}

static void test_short_utf8_lines_with_one_gbk_line_stay_utf8(void **state)
{
    (void)state;
    struct decoded d;
    /* Lines of fewer than six Chinese characters: UTF-8 all the same, the GBK line rejected. */
    const char *s = "1,县财政局\n2,县财政局\n3,\xCF\xD8\xB2\xC6\n4,县财政局\n";
    decode(s, strlen(s), PL_ENC_AUTO, &d);
    assert_int_equal(d.enc, PL_ENC_UTF8);
    assert_string_equal(d.bad.data, "3:3:1 ");
    done(&d);
}

static void test_a_utf8_line_in_a_gbk_file_is_marked_mixed(void **state)
{
    (void)state;
    struct decoded d;
    const char *s = "\xCF\xD8\xB2\xC6\n\xCF\xD8\xB2\xC6\n县财政局县财政局\n";
    decode(s, strlen(s), PL_ENC_AUTO, &d);
    assert_int_equal(d.enc, PL_ENC_GB18030);
    assert_string_equal(d.bad.data, "3:1:3 ");
    done(&d);
}

static void test_a_nul_byte_marks_its_line(void **state)
{
    (void)state;
    struct decoded d;
    /* One NUL among plenty of text: a damaged row, not a binary file. */
    const char s[] = "ok, a line of ordinary text\nab\0c\n";
    decode(s, sizeof s - 1, PL_ENC_AUTO, &d);
    assert_int_equal(d.open_status, PL_OK);
    assert_string_equal(d.bad.data, "2:3:2 ");
    assert_string_equal(d.text.data, "ok, a line of ordinary text\nab\\x00c\n");
    done(&d);
}

static void test_undecodable_file_is_refused_with_its_first_bad_place(void **state)
{
    (void)state;
    struct decoded d;
    const char *s = "ab\x80\xFF\ncd\x80\n";
    decode(s, strlen(s), PL_ENC_AUTO, &d);
    assert_int_equal(d.open_status, PL_ERR_ENCODING);
    assert_non_null(strstr(d.diags.data, "f.csv:1:3:"));
    assert_non_null(strstr(d.diags.data, "[E_ENCODING_UNKNOWN]"));
    done(&d);
}

static void test_empty_binary_and_xlsx_files_are_refused(void **state)
{
    (void)state;
    struct decoded d;
    decode("", 0, PL_ENC_AUTO, &d);
    assert_int_equal(d.open_status, PL_ERR_DATA);
    assert_non_null(strstr(d.diags.data, "[E_EMPTY_FILE]"));
    done(&d);
    decode("PK\x03\x04zzzz", 8, PL_ENC_AUTO, &d);
    assert_int_equal(d.open_status, PL_ERR_DATA);
    assert_non_null(strstr(d.diags.data, ".xlsx"));
    done(&d);
    char bin[64] = {0};
    decode(bin, sizeof bin, PL_ENC_AUTO, &d);
    assert_non_null(strstr(d.diags.data, "[E_BINARY_FILE]"));
    done(&d);
}

static void test_forced_encoding_wins_over_detection(void **state)
{
    (void)state;
    struct decoded d;
    const char *s = "\xCF\xD8\n";
    decode(s, strlen(s), PL_ENC_UTF8, &d);
    assert_int_equal(d.enc, PL_ENC_UTF8);
    assert_string_equal(d.bad.data, "1:1:1 ");
    done(&d);
    decode(s, strlen(s), PL_ENC_GB18030, &d);
    assert_string_equal(d.text.data, "县\n");
    done(&d);
}

static void test_missing_file_and_directory_are_open_errors(void **state)
{
    (void)state;
    struct pl_buf diags;
    pl_buf_init(&diags);
    struct pl_diag diag;
    pl_diag_init(&diag, pl_diag_emit_buf, &diags);
    struct pl_text_source *src;
    assert_int_equal(pl_text_source_open("/nonexistent/x.csv", NULL, PL_ENC_AUTO, &diag, &src),
                     PL_ERR_OPEN);
    assert_int_equal(pl_text_source_open("/tmp", NULL, PL_ENC_AUTO, &diag, &src), PL_ERR_OPEN);
    assert_non_null(strstr(diags.data, "[E_UNREADABLE]"));
    assert_non_null(strstr(diags.data, "[E_NOT_A_FILE]"));
    pl_buf_fini(&diags);
}

static void test_encoding_names_parse(void **state)
{
    (void)state;
    enum pl_encoding e;
    assert_int_equal(pl_encoding_parse("GBK", &e), PL_OK);
    assert_int_equal(e, PL_ENC_GB18030);
    assert_int_equal(pl_encoding_parse("utf-16", &e), PL_OK);
    assert_int_equal(e, PL_ENC_UTF16LE);
    assert_int_equal(pl_encoding_parse("latin1", &e), PL_ERR_USAGE);
    assert_string_equal(pl_encoding_name(PL_ENC_GB18030), "GB18030");
}

static void test_load_reads_a_whole_gbk_document_and_refuses_bad_bytes(void **state)
{
    (void)state;
    char *path = write_temp("\xCF\xD8\n", 3);
    struct pl_buf out;
    pl_buf_init(&out);
    enum pl_encoding enc;
    assert_int_equal(pl_text_load(path, PL_ENC_AUTO, NULL, &out, &enc), PL_OK);
    assert_string_equal(out.data, "县\n");
    assert_int_equal(enc, PL_ENC_GB18030);
    unlink(path);
    free(path);
    pl_buf_fini(&out);
    path = write_temp("ok\n\xFF\n", 4);
    assert_int_equal(pl_text_load(path, PL_ENC_UTF8, NULL, &out, NULL), PL_ERR_ENCODING);
    unlink(path);
    free(path);
    pl_buf_fini(&out);
}

/* Every two-byte GB18030 code iconv converts, a lead byte's codes a line, four times over at
 * different byte alignments (so that characters straddle the 128 KB blocks the file is read
 * in), with four-byte codes among them: decoded exactly as iconv decodes the whole file. */
static void test_gb18030_decodes_every_code_as_iconv_does(void **state)
{
    (void)state;
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    assert_true(cd != (iconv_t)-1);
    struct pl_buf gb, want;
    pl_buf_init(&gb);
    pl_buf_init(&want);
    for (int round = 0; round < 4; round++) {
        for (unsigned lead = 0x81; lead <= 0xFE; lead++) {
            for (int k = 0; k < round; k++)
                pl_buf_append_char(&gb, 'a');
            for (unsigned t = 0x40; t <= 0xFE; t++) {
                char code[2] = {(char)lead, (char)t}, out[8];
                char *in = code, *o = out;
                size_t inleft = 2, outleft = sizeof out;
                iconv(cd, NULL, NULL, NULL, NULL);
                if (iconv(cd, &in, &inleft, &o, &outleft) == (size_t)-1 || inleft)
                    continue;
                pl_buf_append(&gb, code, 2);
            }
            /* U+20000, four bytes in GB18030 and in UTF-8. */
            pl_buf_append_str(&gb, lead % 2 ? "\x95\x32\x82\x36\n" : "\r\n");
        }
    }
    assert_true(gb.len > 131072 + 50000);
    char *in = gb.data;
    size_t inleft = gb.len;
    assert_int_equal(pl_buf_reserve(&want, gb.len * 2), PL_OK);
    char *o = want.data;
    size_t outleft = want.cap - 1;
    iconv(cd, NULL, NULL, NULL, NULL);
    assert_true(iconv(cd, &in, &inleft, &o, &outleft) != (size_t)-1);
    want.len = (size_t)(o - want.data);
    want.data[want.len] = '\0';
    iconv_close(cd);
    struct decoded d;
    decode(gb.data, gb.len, PL_ENC_AUTO, &d);
    assert_int_equal(d.enc, PL_ENC_GB18030);
    assert_string_equal(d.bad.data, "");
    assert_int_equal(d.text.len, want.len);
    assert_memory_equal(d.text.data, want.data, want.len);
    done(&d);
    pl_buf_fini(&gb);
    pl_buf_fini(&want);
}

static void test_gb18030_bad_bytes_are_marked_after_the_first_block(void **state)
{
    (void)state;
    struct pl_buf gb;
    pl_buf_init(&gb);
    while (gb.len < 140000)
        pl_buf_append_str(&gb, "1,\xCF\xD8\xB2\xC6\xD5\xFE\xBE\xD6\n"); /* 县财政局 */
    size_t lines = gb.len / 11;
    /* A byte no code starts with, a lead byte before a line break, a lead byte before a
     * comma, and a four-byte code cut short. */
    pl_buf_append_str(&gb, "x\xFFy\n\xCF\xD8\x81\n\x81,z\nq\x95\x32\x82\n");
    struct decoded d;
    decode(gb.data, gb.len, PL_ENC_AUTO, &d);
    assert_int_equal(d.enc, PL_ENC_GB18030);
    struct pl_buf want;
    pl_buf_init(&want);
    pl_buf_printf(&want, "%zu:2:1 %zu:2:1 %zu:1:1 %zu:2:1 ", lines + 1, lines + 2, lines + 3,
                  lines + 4);
    assert_string_equal(d.bad.data, want.data);
    const char *tail = "1,县财政局\nx\\xFFy\n县\\x81\n\\x81,z\nq\\x95" "2\\x82\n";
    assert_string_equal(d.text.data + d.text.len - strlen(tail), tail);
    pl_buf_fini(&want);
    done(&d);
    pl_buf_fini(&gb);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plain_utf8_is_read_as_is),
        cmocka_unit_test(test_utf8_bom_is_recognised_and_skipped),
        cmocka_unit_test(test_gbk_without_bom_is_read_as_gb18030),
        cmocka_unit_test(test_utf16le_with_bom_is_decoded),
        cmocka_unit_test(test_utf16be_with_bom_is_decoded),
        cmocka_unit_test(test_utf16_lone_surrogate_marks_its_line),
        cmocka_unit_test(test_a_few_bad_lines_in_utf8_are_marked_not_guessed),
        cmocka_unit_test(test_short_utf8_lines_with_one_gbk_line_stay_utf8),
        cmocka_unit_test(test_a_utf8_line_in_a_gbk_file_is_marked_mixed),
        cmocka_unit_test(test_a_nul_byte_marks_its_line),
        cmocka_unit_test(test_undecodable_file_is_refused_with_its_first_bad_place),
        cmocka_unit_test(test_empty_binary_and_xlsx_files_are_refused),
        cmocka_unit_test(test_forced_encoding_wins_over_detection),
        cmocka_unit_test(test_missing_file_and_directory_are_open_errors),
        cmocka_unit_test(test_encoding_names_parse),
        cmocka_unit_test(test_load_reads_a_whole_gbk_document_and_refuses_bad_bytes),
        cmocka_unit_test(test_gb18030_decodes_every_code_as_iconv_does),
        cmocka_unit_test(test_gb18030_bad_bytes_are_marked_after_the_first_block),
    };
    return cmocka_run_group_tests_name("encoding", tests, NULL, NULL);
}
