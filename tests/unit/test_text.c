/* Unit tests for the text module: strict UTF-8, width folding, trimming, match keys. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

#include "text.h"

static void test_decode_accepts_one_to_four_byte_characters(void **state)
{
    (void)state;
    uint32_t cp;
    assert_int_equal(pl_utf8_decode("a", 1, &cp), 1);
    assert_int_equal(cp, 'a');
    assert_int_equal(pl_utf8_decode("é", 2, &cp), 2);
    assert_int_equal(cp, 0xE9);
    assert_int_equal(pl_utf8_decode("县", 3, &cp), 3);
    assert_int_equal(cp, 0x53BF);
    assert_int_equal(pl_utf8_decode("\xF0\xA0\x80\x80", 4, &cp), 4);
    assert_int_equal(cp, 0x20000);
}

static void test_decode_refuses_overlong_surrogate_and_cut_sequences(void **state)
{
    (void)state;
    uint32_t cp;
    assert_int_equal(pl_utf8_decode("\xC0\xAF", 2, &cp), 0);
    assert_int_equal(pl_utf8_decode("\xED\xA0\x80", 3, &cp), 0);
    assert_int_equal(pl_utf8_decode("\xE5\x8E", 2, &cp), 0);
    assert_int_equal(pl_utf8_decode("\xF4\x90\x80\x80", 4, &cp), 0);
    assert_int_equal(pl_utf8_decode("\xFF", 1, &cp), 0);
}

static void test_valid_prefix_counts_characters_and_multibyte(void **state)
{
    (void)state;
    size_t chars, multi;
    const char *s = "ab县城\xFFx";
    assert_int_equal(pl_utf8_valid_prefix(s, strlen(s), &chars, &multi), 8);
    assert_int_equal(chars, 4);
    assert_int_equal(multi, 2);
    assert_true(pl_utf8_valid("县", 3));
    assert_false(pl_utf8_valid("\xB8\xDF", 2));
}

static void fold(const char *in, const char *expected)
{
    struct pl_buf out;
    pl_buf_init(&out);
    assert_int_equal(pl_text_fold_width(&out, in, strlen(in)), PL_OK);
    assert_string_equal(out.data, expected);
    pl_buf_fini(&out);
}

static void test_fold_width_turns_fullwidth_digits_percent_and_ideographic_space(void **state)
{
    (void)state;
    fold("８５％", "85%");
    fold("\u3000１７\u3000", "17");
    fold("２０２３年６月２８日", "2023年6月28日");
    fold("民生实事１（２）", "民生实事1(2)");
    fold(" 1.2万 ", "1.2万");
}

static void test_trim_removes_ascii_and_cjk_space_only_at_the_ends(void **state)
{
    (void)state;
    const char *s = "\u3000 县 财政局\xC2\xA0 ";
    size_t a, b;
    pl_text_trim(s, strlen(s), &a, &b);
    assert_int_equal(b - a, strlen("县 财政局"));
    assert_memory_equal(s + a, "县 财政局", b - a);
    assert_true(pl_text_is_blank(" \u3000\t", strlen(" \u3000\t")));
    assert_false(pl_text_is_blank(" x ", 3));
}

static void key(const char *in, const char *expected)
{
    struct pl_buf out;
    pl_buf_init(&out);
    assert_int_equal(pl_text_match_key(&out, in, strlen(in)), PL_OK);
    assert_string_equal(out.data, expected);
    pl_buf_fini(&out);
}

static void test_match_key_folds_width_case_and_removes_spaces(void **state)
{
    (void)state;
    key("张  雷", "张雷");
    key("县发展和改革局（县粮食和物资储备局）", "县发展和改革局(县粮食和物资储备局)");
    key("ＡＢＣ Bank", "abcbank");
    struct pl_buf out;
    pl_buf_init(&out);
    assert_int_equal(pl_text_match_key(&out, "\xFF", 1), PL_ERR_DATA);
    pl_buf_fini(&out);
}

/* The key utf8proc gives, spaces dropped: what pl_text_match_key() must give on any path. */
static char *reference_key(const char *in)
{
    utf8proc_uint8_t *folded = NULL;
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)in, (utf8proc_ssize_t)strlen(in),
                                      &folded,
                                      UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT |
                                          UTF8PROC_CASEFOLD | UTF8PROC_IGNORE);
    assert_true(n >= 0);
    char *out = malloc((size_t)n + 1);
    assert_non_null(out);
    size_t k = 0;
    for (utf8proc_ssize_t i = 0; i < n;) {
        uint32_t cp;
        size_t len = pl_utf8_decode((const char *)folded + i, (size_t)(n - i), &cp);
        assert_true(len > 0);
        if (!pl_text_is_space(cp)) {
            memcpy(out + k, folded + i, len);
            k += len;
        }
        i += (utf8proc_ssize_t)len;
    }
    out[k] = '\0';
    free(folded);
    return out;
}

/* The short cut for ASCII and CJK names agrees with NFKC + case folding on every character
 * it takes (each between two others, so that composition with a neighbour would show) and
 * on the characters just outside its ranges. */
static void test_match_key_fast_path_agrees_with_utf8proc(void **state)
{
    (void)state;
    struct pl_buf out;
    pl_buf_init(&out);
    uint32_t ranges[][2] = {{0x01, 0x7F},     {0x2010, 0x2020}, {0x3000, 0x3012},
                            {0x4DF0, 0xA000}, {0xF900, 0xF910}, {0xFF00, 0xFF60}};
    for (size_t r = 0; r < sizeof ranges / sizeof ranges[0]; r++) {
        for (uint32_t cp = ranges[r][0]; cp <= ranges[r][1]; cp++) {
            char in[16];
            size_t k = 0;
            in[k++] = 'A';
            k += (size_t)utf8proc_encode_char((utf8proc_int32_t)cp, (utf8proc_uint8_t *)in + k);
            memcpy(in + k, "\xE5\x8E\xBF ", 5); /* 县 and a space */
            in[k + 5] = '\0';
            char *want = reference_key(in);
            pl_buf_clear(&out);
            assert_int_equal(pl_text_match_key(&out, in, strlen(in)), PL_OK);
            assert_string_equal(out.data, want);
            free(want);
            /* A name said to be its own key is: lower case, no space. */
            in[0] = 'a';
            in[k + 3] = '\0';
            if (pl_text_match_key_is_same(in, strlen(in))) {
                pl_buf_clear(&out);
                assert_int_equal(pl_text_match_key(&out, in, strlen(in)), PL_OK);
                assert_string_equal(out.data, in);
            }
        }
    }
    /* Truncated or overlong sequences in the CJK lead range are refused, as before. */
    pl_buf_clear(&out);
    assert_int_equal(pl_text_match_key(&out, "\xE5\x8E", 2), PL_ERR_DATA);
    assert_int_equal(pl_text_match_key(&out, "a\xE5", 2), PL_ERR_DATA);
    pl_buf_fini(&out);
}

/* Trimming agrees with decoding character by character from both ends, whatever the first and
 * last characters are (the short cut looks at one byte each end). */
static void test_trim_agrees_with_decoding_from_both_ends(void **state)
{
    (void)state;
    uint32_t ranges[][2] = {{0x01, 0x100},     {0x2000, 0x2010}, {0x3000, 0x3010},
                            {0xFEF0, 0xFF02}, {0x4E00, 0x4E02}, {0x1F600, 0x1F601}};
    for (size_t r = 0; r < sizeof ranges / sizeof ranges[0]; r++) {
        for (uint32_t cp = ranges[r][0]; cp <= ranges[r][1]; cp++) {
            for (int shape = 0; shape < 3; shape++) {
                char in[32];
                size_t k = 0, n;
                if (shape != 2)
                    k += (size_t)utf8proc_encode_char((utf8proc_int32_t)cp,
                                                      (utf8proc_uint8_t *)in + k);
                memcpy(in + k, "\xE5\x8E\xBF", 3);
                k += 3;
                if (shape != 1)
                    k += (size_t)utf8proc_encode_char((utf8proc_int32_t)cp,
                                                      (utf8proc_uint8_t *)in + k);
                /* The reference: character by character. */
                size_t a = 0, b = k;
                uint32_t c;
                while (a < b && (n = pl_utf8_decode(in + a, b - a, &c)) && pl_text_is_space(c))
                    a += n;
                while (b > a) {
                    size_t j = b - 1;
                    while (j > a && ((unsigned char)in[j] & 0xC0) == 0x80 && b - j < 4)
                        j--;
                    if (pl_utf8_decode(in + j, b - j, &c) != b - j || !pl_text_is_space(c))
                        break;
                    b = j;
                }
                size_t start, end;
                pl_text_trim(in, k, &start, &end);
                assert_int_equal(start, a);
                assert_int_equal(end, b);
            }
        }
    }
}

/* Most unit names are their own key; those with capitals, spaces or full-width forms are not. */
static void test_a_plain_name_is_its_own_match_key(void **state)
{
    (void)state;
    const char *same[] = {"县财政局", "1县县财政局", "县“四大攀登行动”专班", "县委【办公室】",
                          "abc-123", ""};
    const char *not_same[] = {"县 财政局", "县ABC局", "县财政局（本级）", "\xE5\x8E", "café"};
    for (size_t i = 0; i < sizeof same / sizeof same[0]; i++)
        assert_true(pl_text_match_key_is_same(same[i], strlen(same[i])));
    for (size_t i = 0; i < sizeof not_same / sizeof not_same[0]; i++)
        assert_false(pl_text_match_key_is_same(not_same[i], strlen(not_same[i])));
}

static void escape(const char *in, size_t len, const char *expected)
{
    struct pl_buf out;
    pl_buf_init(&out);
    assert_int_equal(pl_text_escape_invalid(&out, in, len), PL_OK);
    assert_string_equal(out.data, expected);
    pl_buf_fini(&out);
}

static void test_escape_shows_bad_bytes_and_keeps_good_text(void **state)
{
    (void)state;
    escape("县\xFF城", strlen("县\xFF城"), "县\\xFF城");
    escape("a\0b", 3, "a\\x00b");
    /* GBK 游客 = D3 CE BF CD: CE BF alone would read as a Greek letter; it is escaped too. */
    escape("x\xD3\xCE\xBF\xCDy", 6, "x\\xD3\\xCE\\xBF\\xCDy");
    escape("ok", 2, "ok");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_decode_accepts_one_to_four_byte_characters),
        cmocka_unit_test(test_decode_refuses_overlong_surrogate_and_cut_sequences),
        cmocka_unit_test(test_valid_prefix_counts_characters_and_multibyte),
        cmocka_unit_test(test_fold_width_turns_fullwidth_digits_percent_and_ideographic_space),
        cmocka_unit_test(test_trim_removes_ascii_and_cjk_space_only_at_the_ends),
        cmocka_unit_test(test_match_key_folds_width_case_and_removes_spaces),
        cmocka_unit_test(test_match_key_fast_path_agrees_with_utf8proc),
        cmocka_unit_test(test_a_plain_name_is_its_own_match_key),
        cmocka_unit_test(test_trim_agrees_with_decoding_from_both_ends),
        cmocka_unit_test(test_escape_shows_bad_bytes_and_keeps_good_text),
    };
    return cmocka_run_group_tests_name("text", tests, NULL, NULL);
}
