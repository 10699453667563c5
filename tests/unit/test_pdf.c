/* Unit tests for the pdf module: the font table, coverage and fallback, widths, saving.
 * They load the Debian fonts named in templates/fonts.conf (run from the checkout's top). */
#define _GNU_SOURCE /* RTLD_NEXT: libharu's own byte utilities, to compare ours with */
#include <dlfcn.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pdf.h"
#include "pdf_haru.h"

#include <hpdf_utils.h>

struct fixture {
    struct pl_pdf *pdf;
    struct pl_buf diags;
    struct pl_diag diag;
};

static int setup(void **state)
{
    struct fixture *f = calloc(1, sizeof *f);
    pl_buf_init(&f->diags);
    pl_diag_init(&f->diag, pl_diag_emit_buf, &f->diags);
    if (pl_pdf_new(&f->pdf, &f->diag) != PL_OK ||
        pl_pdf_load_fonts(f->pdf, "templates/fonts.conf") != PL_OK)
        return -1;
    *state = f;
    return 0;
}

static int teardown(void **state)
{
    struct fixture *f = *state;
    pl_pdf_free(f->pdf);
    pl_buf_fini(&f->diags);
    free(f);
    return 0;
}

static void test_every_role_has_a_font_from_the_table(void **state)
{
    struct fixture *f = *state;
    for (int r = 0; r < PL_FONT_ROLES; r++)
        assert_true(strlen(pl_pdf_font_file(f->pdf, (enum pl_font_role)r)) > 0);
    assert_non_null(strstr(pl_pdf_font_file(f->pdf, PL_FONT_HEI), "wqy-zenhei.ttc face 0"));
    assert_non_null(strstr(pl_pdf_font_file(f->pdf, PL_FONT_KAI), "ukai.ttc"));
    assert_string_equal(pl_font_role_name(PL_FONT_TITLE), "小标宋");
    /* The licensed fonts listed first are not installed: silently skipped. */
    assert_string_equal(f->diags.data, "");
}

static void test_chinese_is_one_em_and_digits_are_measured(void **state)
{
    struct fixture *f = *state;
    assert_float_equal(pl_pdf_char_width(f->pdf, PL_FONT_BODY, 0x5B57, 16), 16.0, 0.01);
    double digit = pl_pdf_char_width(f->pdf, PL_FONT_BODY, '2', 16);
    assert_true(digit > 4 && digit < 12);
}

static void test_coverage_knows_what_no_font_has(void **state)
{
    struct fixture *f = *state;
    assert_true(pl_pdf_covers(f->pdf, 0x5609)); /* 嘉 */
    assert_true(pl_pdf_covers(f->pdf, ' '));
    assert_false(pl_pdf_covers(f->pdf, 0x20000)); /* 𠀀, beyond the BMP */
    assert_false(pl_pdf_covers(f->pdf, 0xE000));  /* private use */
}

static void test_missing_characters_are_drawn_as_a_box_and_reported_once(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(pl_pdf_add_page(f->pdf), PL_OK);
    struct pl_text_style st = {PL_FONT_BODY, 16, 0, 0, {0, 0, 0}, 0};
    const char *s = "嘉\xee\x80\x80祥\xee\x80\x80";
    double adv = 0;
    assert_int_equal(pl_pdf_text(f->pdf, &st, 100, 700, s, strlen(s), &adv), PL_OK);
    assert_float_equal(adv, 16 * 2 + 2 * pl_pdf_char_width(f->pdf, PL_FONT_BODY, 0xE000, 16), 0.01);
    assert_string_equal(f->diags.data, "字符“\xee\x80\x80”（U+E000）没有一个已载入的字体能显示，"
                                       "以□代替 [W_MISSING_GLYPH]\n");
    /* Invalid UTF-8 is refused. */
    assert_int_equal(pl_pdf_text(f->pdf, &st, 100, 600, "\xff", 1, NULL), PL_ERR_DATA);
}

static void test_a_reported_character_is_not_reported_again(void **state)
{
    struct fixture *f = *state;
    pl_pdf_missing_reported(f->pdf, 0xE001);
    pl_pdf_missing_reported(f->pdf, 0x20000);
    assert_int_equal(pl_pdf_add_page(f->pdf), PL_OK);
    struct pl_text_style st = {PL_FONT_BODY, 16, 0, 0, {0, 0, 0}, 0};
    const char *s = "\xee\x80\x81\xf0\xa0\x80\x80\xf0\xa0\x80\x81\xf0\xa0\x80\x81";
    assert_int_equal(pl_pdf_text(f->pdf, &st, 100, 700, s, strlen(s), NULL), PL_OK);
    /* Only U+20001, which nobody reported yet, and only once. */
    assert_string_equal(f->diags.data, "字符“\xf0\xa0\x80\x81”（U+20001）没有一个已载入的字体能"
                                       "显示，以□代替 [W_MISSING_GLYPH]\n");
}

static void test_drawing_needs_a_page(void **state)
{
    struct fixture *f = *state;
    struct pl_text_style st = {PL_FONT_BODY, 16, 0, 0, {0, 0, 0}, 0};
    assert_int_equal(pl_pdf_text(f->pdf, &st, 0, 0, "a", 1, NULL), PL_ERR_USAGE);
    assert_int_equal(pl_pdf_line(f->pdf, 0, 0, 1, 1, 1, (struct pl_rgb){0, 0, 0}), PL_ERR_USAGE);
}

static void test_saving_writes_a_pdf(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(pl_pdf_add_page(f->pdf), PL_OK);
    struct pl_text_style st = {PL_FONT_HEI, 16, 0, 0, {0, 0, 0}, 0};
    assert_int_equal(
        pl_pdf_text(f->pdf, &st, 100, 700, "一、总体情况", strlen("一、总体情况"), NULL), PL_OK);
    assert_int_equal(pl_pdf_fill_rect(f->pdf, 100, 100, 50, 20, (struct pl_rgb){1, 0, 0}), PL_OK);
    assert_int_equal(pl_pdf_set_info(f->pdf, "标题", "作者", "主题", 1688083200), PL_OK);
    char *data = NULL;
    size_t size = 0;
    FILE *fp = open_memstream(&data, &size);
    assert_int_equal(pl_pdf_save(f->pdf, fp, "mem"), PL_OK);
    fclose(fp);
    assert_true(size > 1000);
    assert_memory_equal(data, "%PDF-1.", 7);
    free(data);
    assert_int_equal(pl_pdf_page_count(f->pdf), 1);
}

/* A stream that cannot be written is E_WRITE, not libharu's failure. */
static void test_a_stream_that_cannot_be_written_is_a_write_error(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(pl_pdf_add_page(f->pdf), PL_OK);
    struct pl_text_style st = {PL_FONT_BODY, 16, 0, 0, {0, 0, 0}, 0};
    assert_int_equal(pl_pdf_text(f->pdf, &st, 100, 700, "通报", strlen("通报"), NULL), PL_OK);
    FILE *fp = fopen("/dev/full", "w");
    assert_non_null(fp);
    setvbuf(fp, NULL, _IONBF, 0);
    assert_int_equal(pl_pdf_save(f->pdf, fp, "full"), PL_ERR_IO);
    fclose(fp);
    assert_non_null(strstr(f->diags.data, "full: 写入失败 [E_WRITE]"));
}

static void test_a_bad_font_table_is_a_config_error_with_its_line(void **state)
{
    (void)state;
    struct pl_buf diags;
    pl_buf_init(&diags);
    struct pl_diag d;
    pl_diag_init(&d, pl_diag_emit_buf, &diags);
    char path[] = "/tmp/test_pdf_fonts_XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *fp = fdopen(fd, "w");
    fputs("[仿宋]\nfont = /usr/share/fonts/truetype/arphic/uming.ttc face=0\nsize = 3\n", fp);
    fclose(fp);
    struct pl_pdf *p;
    assert_int_equal(pl_pdf_new(&p, &d), PL_OK);
    assert_int_equal(pl_pdf_load_fonts(p, path), PL_ERR_CONFIG);
    assert_non_null(strstr(diags.data, ":3: 未知的键（应为 font） [E_FONT_TABLE]"));
    pl_pdf_free(p);
    remove(path);
    pl_buf_fini(&diags);
}

/* The glyph cache: the one-segment cmap pl_haru_direct_cmap installs must answer, for every
 * BMP code point of each Debian font the table names, the glyph libharu's own segment walk
 * answered before, and must keep answering it after a font object is made from it. */
static void check_direct_cmap(const char *path, unsigned face)
{
    HPDF_Doc doc = HPDF_New(NULL, NULL);
    assert_non_null(doc);
    assert_int_equal(HPDF_UseUTFEncodings(doc), HPDF_OK);
    const char *name = HPDF_LoadTTFontFromFile2(doc, path, face, HPDF_TRUE);
    assert_non_null(name);
    void *def = pl_haru_fontdef(doc, name);
    assert_non_null(def);
    uint16_t *walked = malloc(65536 * sizeof *walked), *gids = malloc(65536 * sizeof *gids);
    assert_non_null(walked);
    assert_non_null(gids);
    size_t mapped = 0;
    for (uint32_t cp = 0; cp < 65536; cp++) {
        walked[cp] = (uint16_t)pl_haru_glyph(def, cp);
        mapped += walked[cp] != 0;
    }
    assert_true(mapped > 10000); /* a CJK font: the test compares something */
    assert_int_equal(pl_haru_direct_cmap(def, gids), HPDF_OK);
    assert_memory_equal(gids, walked, 65536 * sizeof *gids);
    HPDF_Font font = pl_haru_get_font(doc, def, name);
    assert_non_null(font);
    for (uint32_t cp = 0; cp < 65536; cp++)
        if (pl_haru_glyph(def, cp) != walked[cp])
            fail_msg("%s: U+%04X: glyph %u, libharu walked to %u", path, (unsigned)cp,
                     pl_haru_glyph(def, cp), (unsigned)walked[cp]);
    assert_int_equal(pl_haru_glyph(def, 0x10000), 0);
    /* libharu measures with the same glyphs: 字 is one em in each of these fonts. */
    assert_int_equal(HPDF_Font_TextWidth(font, (const HPDF_BYTE *)"字字", 6).width, 2000);
    free(walked);
    free(gids);
    HPDF_Free(doc);
}

static void test_the_glyph_cache_answers_what_libharu_walked_to(void **state)
{
    (void)state;
    check_direct_cmap("/usr/share/fonts/truetype/arphic/uming.ttc", 0);
    check_direct_cmap("/usr/share/fonts/truetype/arphic/ukai.ttc", 0);
    check_direct_cmap("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc", 0);
}

static void test_the_byte_utilities_do_what_libharus_do(void **state)
{
    (void)state;
    /* libharu's own definitions, found past ours (POSIX allows the copy to a function
     * pointer). */
    void *(*memset0)(void *, HPDF_BYTE, HPDF_UINT);
    HPDF_BYTE *(*memcpy0)(HPDF_BYTE *, const HPDF_BYTE *, HPDF_UINT);
    HPDF_UINT (*strlen0)(const char *, HPDF_INT);
    void *sym[3] = {dlsym(RTLD_NEXT, "HPDF_MemSet"), dlsym(RTLD_NEXT, "HPDF_MemCpy"),
                    dlsym(RTLD_NEXT, "HPDF_StrLen")};
    assert_non_null(sym[0]);
    assert_non_null(sym[1]);
    assert_non_null(sym[2]);
    memcpy(&memset0, &sym[0], sizeof memset0);
    memcpy(&memcpy0, &sym[1], sizeof memcpy0);
    memcpy(&strlen0, &sym[2], sizeof strlen0);
    /* Ours are the program's: libharu calls them in its place. */
    assert_true(memset0 != HPDF_MemSet);
    HPDF_BYTE a[64], b[64];
    for (HPDF_UINT n = 0; n <= 40; n += 8) {
        memset(a, 'x', sizeof a);
        memset(b, 'x', sizeof b);
        assert_ptr_equal((HPDF_BYTE *)HPDF_MemSet(a + 3, 7, n) - a,
                         (HPDF_BYTE *)memset0(b + 3, 7, n) - b);
        assert_memory_equal(a, b, sizeof a);
        for (size_t i = 0; i < sizeof a; i++)
            a[i] = b[i] = (HPDF_BYTE)i;
        /* Apart, and overlapping either way (libharu's forward byte copy). */
        assert_ptr_equal(HPDF_MemCpy(a + 40, a, n / 2) - a, memcpy0(b + 40, b, n / 2) - b);
        assert_ptr_equal(HPDF_MemCpy(a + 5, a, n) - a, memcpy0(b + 5, b, n) - b);
        assert_ptr_equal(HPDF_MemCpy(a, a + 5, n) - a, memcpy0(b, b + 5, n) - b);
        assert_memory_equal(a, b, sizeof a);
    }
    const char *words[] = {"", "a", "0 0 0 rg\n", "嘉祥县"};
    for (size_t i = 0; i < 4; i++)
        for (HPDF_INT max = -1; max < 12; max++)
            assert_int_equal(HPDF_StrLen(words[i], max), strlen0(words[i], max));
    assert_int_equal(HPDF_StrLen(NULL, -1), strlen0(NULL, -1));
}

static void test_a_saved_font_holds_only_the_glyphs_drawn(void **state)
{
    struct fixture *f = *state;
    assert_int_equal(pl_pdf_add_page(f->pdf), PL_OK);
    struct pl_text_style st = {PL_FONT_HEI, 16, 0, 0, {0, 0, 0}, 0};
    assert_int_equal(
        pl_pdf_text(f->pdf, &st, 100, 700, "一、总体情况", strlen("一、总体情况"), NULL), PL_OK);
    char *data = NULL;
    size_t size = 0;
    FILE *fp = open_memstream(&data, &size);
    assert_int_equal(pl_pdf_save(f->pdf, fp, "mem"), PL_OK);
    fclose(fp);
    /* wqy-zenhei whole, as libharu embedded it, made a PDF of about 300 KB. */
    assert_true(size < 20000);
    assert_non_null(memmem(data, size, "/FontFile2", 10));
    assert_non_null(memmem(data, size, "/CIDToGIDMap", 12));
    free(data);
}

/* libharu's memory, counted: every block it allocates carries its size in front. */
static size_t haru_live;

static void *counting_alloc(HPDF_UINT size)
{
    size_t *b = malloc(sizeof(max_align_t) + size);
    if (!b)
        return NULL;
    *b = size;
    haru_live += size;
    return (char *)b + sizeof(max_align_t);
}

static void counting_free(void *p)
{
    if (!p)
        return;
    size_t *b = (size_t *)((char *)p - sizeof(max_align_t));
    haru_live -= *b;
    free(b);
}

/* A document of NPAGES pages drawn with libharu alone, each page's content well over one of
 * libharu's 4,096-byte stream buffers and different from the others; some pages leave a text
 * object open, or a path, or a saved graphics state, for libharu to close when it saves, and
 * one page is empty. Each page is passed to pl_haru_finish_page when FINISH. */
static HPDF_Doc draw_document(int npages, bool finish)
{
    HPDF_Doc doc = HPDF_NewEx(NULL, counting_alloc, counting_free, 0, NULL);
    assert_non_null(doc);
    assert_int_equal(HPDF_SetCompressionMode(doc, HPDF_COMP_ALL), HPDF_OK);
    HPDF_Font font = HPDF_GetFont(doc, "Helvetica", NULL);
    assert_non_null(font);
    struct pl_haru_deflater *d = pl_haru_deflater_new();
    assert_non_null(d);
    for (int n = 0; n < npages; n++) {
        HPDF_Page page = HPDF_AddPage(doc);
        assert_non_null(page);
        if (n == 3) {
            if (finish)
                assert_int_equal(pl_haru_finish_page(page, d), HPDF_OK);
            continue;
        }
        if (n % 5 == 4)
            assert_int_equal(HPDF_Page_GSave(page), HPDF_OK);
        assert_int_equal(HPDF_Page_SetLineWidth(page, 0.5f + (float)n / 10), HPDF_OK);
        for (int i = 0; i < 40; i++) {
            assert_int_equal(HPDF_Page_MoveTo(page, 20, 20 + (float)i * 19), HPDF_OK);
            assert_int_equal(HPDF_Page_LineTo(page, 500, 30 + (float)(i * n % 700)), HPDF_OK);
            assert_int_equal(HPDF_Page_Stroke(page), HPDF_OK);
        }
        assert_int_equal(HPDF_Page_BeginText(page), HPDF_OK);
        assert_int_equal(HPDF_Page_SetFontAndSize(page, font, 9), HPDF_OK);
        char line[64];
        for (int i = 0; i < 400; i++) {
            snprintf(line, sizeof line, "page %d line %d: %d", n, i,
                     (i * 7919 + n * 104729) % 9973);
            assert_int_equal(HPDF_Page_TextOut(page, 30, 800 - (float)i * 6, line), HPDF_OK);
        }
        if (n % 5 != 1)
            assert_int_equal(HPDF_Page_EndText(page), HPDF_OK);
        if (n % 5 == 2)
            assert_int_equal(HPDF_Page_MoveTo(page, 10, 10), HPDF_OK);
        if (finish)
            assert_int_equal(pl_haru_finish_page(page, d), HPDF_OK);
    }
    pl_haru_deflater_free(d);
    return doc;
}

/* The document as libharu itself saves it (into its memory stream, read back). */
static void save_by_libharu(HPDF_Doc doc, char **data, size_t *size)
{
    FILE *fp = open_memstream(data, size);
    assert_non_null(fp);
    assert_int_equal(HPDF_SaveToStream(doc), HPDF_OK);
    HPDF_BYTE buf[4096];
    for (;;) {
        HPDF_UINT32 n = sizeof buf;
        HPDF_STATUS rs = HPDF_ReadFromStream(doc, buf, &n);
        assert_int_equal(fwrite(buf, 1, n, fp), n);
        if (rs == HPDF_STREAM_EOF)
            break;
        assert_int_equal(rs, HPDF_OK);
    }
    assert_int_equal(fclose(fp), 0);
}

static void save_by_us(HPDF_Doc doc, char **data, size_t *size)
{
    FILE *fp = open_memstream(data, size);
    assert_non_null(fp);
    bool io_failed = true;
    assert_int_equal(pl_haru_save(doc, fp, &io_failed), HPDF_OK);
    assert_false(io_failed);
    assert_int_equal(fclose(fp), 0);
}

/* Pages compressed as they are finished, and the file written straight out, make the very
 * bytes libharu makes when it compresses everything at save time; saving twice, too. */
static void test_pages_finished_early_save_the_bytes_libharu_would(void **state)
{
    (void)state;
    char *want = NULL, *got = NULL, *again = NULL, *plain = NULL;
    size_t nwant = 0, ngot = 0, nagain = 0, nplain = 0;
    HPDF_Doc doc = draw_document(12, false);
    save_by_libharu(doc, &want, &nwant);
    HPDF_Free(doc);
    doc = draw_document(12, false);
    save_by_us(doc, &plain, &nplain);
    HPDF_Free(doc);
    doc = draw_document(12, true);
    save_by_us(doc, &got, &ngot);
    save_by_us(doc, &again, &nagain);
    HPDF_Free(doc);
    assert_true(nwant > 10000);
    assert_int_equal(nplain, nwant);
    assert_memory_equal(plain, want, nwant);
    assert_int_equal(ngot, nwant);
    assert_memory_equal(got, want, nwant);
    assert_int_equal(nagain, nwant);
    assert_memory_equal(again, want, nwant);
    free(want);
    free(got);
    free(again);
    free(plain);
}

/* libharu's memory grows with the compressed pages, not with what was drawn: 300 pages of
 * about 20 KB of operators each keep a small part of that once finished. */
static void test_finished_pages_keep_only_their_compressed_bytes(void **state)
{
    (void)state;
    haru_live = 0;
    HPDF_Doc doc = draw_document(300, false);
    size_t unfinished = haru_live;
    /* Saved, its pages' open graphics states are restored (HPDF_Free frees only the last). */
    FILE *null = fopen("/dev/null", "w");
    bool io_failed;
    assert_non_null(null);
    assert_int_equal(pl_haru_save(doc, null, &io_failed), HPDF_OK);
    fclose(null);
    HPDF_Free(doc);
    haru_live = 0;
    doc = draw_document(300, true);
    size_t finished = haru_live;
    HPDF_Free(doc);
    assert_true(unfinished > 300 * 10000);
    assert_true(finished < unfinished / 3);
}

/* A file that cannot be written is reported as such, not as libharu's failure. */
static void test_a_failed_write_is_told_apart(void **state)
{
    (void)state;
    HPDF_Doc doc = draw_document(2, true);
    FILE *fp = fopen("/dev/full", "w");
    assert_non_null(fp);
    setvbuf(fp, NULL, _IONBF, 0);
    bool io_failed = false;
    assert_int_not_equal(pl_haru_save(doc, fp, &io_failed), HPDF_OK);
    assert_true(io_failed);
    fclose(fp);
    HPDF_Free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_every_role_has_a_font_from_the_table, setup, teardown),
        cmocka_unit_test_setup_teardown(test_chinese_is_one_em_and_digits_are_measured, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_coverage_knows_what_no_font_has, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_missing_characters_are_drawn_as_a_box_and_reported_once, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_reported_character_is_not_reported_again, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_drawing_needs_a_page, setup, teardown),
        cmocka_unit_test_setup_teardown(test_saving_writes_a_pdf, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_a_stream_that_cannot_be_written_is_a_write_error,
                                        setup, teardown),
        cmocka_unit_test(test_a_bad_font_table_is_a_config_error_with_its_line),
        cmocka_unit_test(test_the_glyph_cache_answers_what_libharu_walked_to),
        cmocka_unit_test(test_the_byte_utilities_do_what_libharus_do),
        cmocka_unit_test_setup_teardown(test_a_saved_font_holds_only_the_glyphs_drawn, setup,
                                        teardown),
        cmocka_unit_test(test_pages_finished_early_save_the_bytes_libharu_would),
        cmocka_unit_test(test_finished_pages_keep_only_their_compressed_bytes),
        cmocka_unit_test(test_a_failed_write_is_told_apart),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
