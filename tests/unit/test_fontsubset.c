/* Unit tests for the fontsubset module: what a subset keeps, checked against the whole font
 * with HarfBuzz itself (advances and outline extents glyph by glyph). They use the Debian
 * fonts the project depends on (fonts-arphic-uming, fonts-wqy-zenhei). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <hb.h>

#include "fontsubset.h"

#define UMING "/usr/share/fonts/truetype/arphic/uming.ttc"
#define ZENHEI "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"

static hb_font_t *open_font(const char *path, unsigned face)
{
    hb_blob_t *blob = hb_blob_create_from_file_or_fail(path);
    assert_non_null(blob);
    hb_face_t *f = hb_face_create(blob, face);
    hb_blob_destroy(blob);
    hb_font_t *font = hb_font_create(f);
    hb_face_destroy(f);
    return font;
}

static hb_font_t *open_data(const uint8_t *data, size_t len)
{
    hb_blob_t *blob = hb_blob_create((const char *)data, (unsigned)len, HB_MEMORY_MODE_READONLY,
                                     NULL, NULL);
    hb_face_t *f = hb_face_create(blob, 0);
    hb_blob_destroy(blob);
    hb_font_t *font = hb_font_create(f);
    hb_face_destroy(f);
    return font;
}

/* Glyph OLD of WHOLE and glyph NEW of PART have the same advance and outline extents. */
static void assert_same_glyph(hb_font_t *whole, unsigned old, hb_font_t *part, unsigned new)
{
    assert_int_equal(hb_font_get_glyph_h_advance(whole, old),
                     hb_font_get_glyph_h_advance(part, new));
    hb_glyph_extents_t a, b;
    assert_true(hb_font_get_glyph_extents(whole, old, &a));
    assert_true(hb_font_get_glyph_extents(part, new, &b));
    assert_memory_equal(&a, &b, sizeof a);
}

static void test_a_subset_holds_the_glyphs_drawn_with_their_metrics_and_outlines(void **state)
{
    (void)state;
    hb_font_t *whole = open_font(UMING, 0);
    const uint16_t cps[] = {'1', 'A', 0x4E2D, 0x56FD, 0x3002}; /* 1 A 中 国 。 */
    uint16_t gids[5], got[5];
    for (size_t i = 0; i < 5; i++) {
        hb_codepoint_t g;
        assert_true(hb_font_get_nominal_glyph(whole, cps[i], &g));
        gids[i] = (uint16_t)g;
    }
    uint8_t *data = NULL;
    size_t len = 0;
    assert_int_equal(pl_fontsubset_make(UMING, 0, cps, gids, 5, &data, &len, got), PL_OK);
    assert_true(len > 100 && len < 60000); /* the whole face is 20 MB */
    hb_font_t *part = open_data(data, len);
    hb_face_t *pf = hb_font_get_face(part);
    /* Glyph 0 and the five (plus any component glyphs), numbered in the old ids' order. */
    assert_true(hb_face_get_glyph_count(pf) >= 6 && hb_face_get_glyph_count(pf) < 20);
    for (size_t i = 0; i < 5; i++) {
        assert_true(got[i] > 0);
        for (size_t j = 0; j < 5; j++)
            assert_true((gids[i] < gids[j]) == (got[i] < got[j]));
        assert_same_glyph(whole, gids[i], part, got[i]);
    }
    assert_same_glyph(whole, 0, part, 0);
    /* Its cmap maps the characters to the new ids. */
    for (size_t i = 0; i < 5; i++) {
        hb_codepoint_t g = 0;
        assert_true(hb_font_get_nominal_glyph(part, cps[i], &g));
        assert_int_equal(g, got[i]);
    }
    hb_font_destroy(part);
    hb_font_destroy(whole);
    free(data);
}

static void test_a_subset_holds_only_the_tables_libharu_embeds(void **state)
{
    (void)state;
    const uint16_t cps[] = {0x4E00};
    hb_font_t *whole = open_font(UMING, 0);
    hb_codepoint_t g;
    assert_true(hb_font_get_nominal_glyph(whole, cps[0], &g));
    uint16_t gids[] = {(uint16_t)g}, got[1];
    uint8_t *data = NULL;
    size_t len = 0;
    assert_int_equal(pl_fontsubset_make(UMING, 0, cps, gids, 1, &data, &len, got), PL_OK);
    hb_font_t *part = open_data(data, len);
    hb_tag_t tags[64];
    unsigned n = 64;
    hb_face_get_table_tags(hb_font_get_face(part), 0, &n, tags);
    const char *allowed = "OS/2 cmap cvt  fpgm glyf head hhea hmtx loca maxp name post prep ";
    size_t musts = 0;
    for (unsigned i = 0; i < n; i++) {
        char tag[6] = {0};
        hb_tag_to_string(tags[i], tag);
        tag[4] = ' ';
        assert_non_null(strstr(allowed, tag));
        musts += strstr("glyf head hhea hmtx loca maxp ", tag) != NULL;
    }
    assert_int_equal(musts, 6);
    hb_font_destroy(part);
    hb_font_destroy(whole);
    free(data);
}

/* The first glyph of FONT made of other glyphs (a composite: numberOfContours < 0), or 0. */
static unsigned first_composite(hb_font_t *font)
{
    hb_face_t *face = hb_font_get_face(font);
    hb_blob_t *glyf = hb_face_reference_table(face, HB_TAG('g', 'l', 'y', 'f'));
    hb_blob_t *loca = hb_face_reference_table(face, HB_TAG('l', 'o', 'c', 'a'));
    hb_blob_t *head = hb_face_reference_table(face, HB_TAG('h', 'e', 'a', 'd'));
    unsigned gl, ll, hl;
    const uint8_t *g = (const uint8_t *)hb_blob_get_data(glyf, &gl);
    const uint8_t *l = (const uint8_t *)hb_blob_get_data(loca, &ll);
    const uint8_t *h = (const uint8_t *)hb_blob_get_data(head, &hl);
    assert_true(hl >= 54);
    bool wide = h[51] == 1; /* indexToLocFormat */
    unsigned found = 0, count = hb_face_get_glyph_count(face);
    for (unsigned i = 1; i < count && !found; i++) {
        size_t off = wide ? (size_t)l[4 * i] << 24 | (size_t)l[4 * i + 1] << 16 |
                                (size_t)l[4 * i + 2] << 8 | l[4 * i + 3]
                          : ((size_t)l[2 * i] << 8 | l[2 * i + 1]) * 2;
        size_t next = wide ? (size_t)l[4 * i + 4] << 24 | (size_t)l[4 * i + 5] << 16 |
                                 (size_t)l[4 * i + 6] << 8 | l[4 * i + 7]
                           : ((size_t)l[2 * i + 2] << 8 | l[2 * i + 3]) * 2;
        if (next > off && off + 2 <= gl && (g[off] & 0x80))
            found = i;
    }
    hb_blob_destroy(glyf);
    hb_blob_destroy(loca);
    hb_blob_destroy(head);
    return found;
}

static void test_a_glyph_made_of_others_brings_them_along(void **state)
{
    (void)state;
    hb_font_t *whole = open_font(ZENHEI, 0);
    unsigned composite = first_composite(whole);
    assert_true(composite > 0);
    const uint16_t cps[] = {0xFFFF}; /* no character: the glyph alone */
    uint16_t gids[] = {(uint16_t)composite}, got[1];
    uint8_t *data = NULL;
    size_t len = 0;
    assert_int_equal(pl_fontsubset_make(ZENHEI, 0, cps, gids, 1, &data, &len, got), PL_OK);
    hb_font_t *part = open_data(data, len);
    /* Glyph 0, the composite and at least one component. */
    assert_true(hb_face_get_glyph_count(hb_font_get_face(part)) >= 3);
    assert_same_glyph(whole, composite, part, got[0]);
    hb_font_destroy(part);
    hb_font_destroy(whole);
    free(data);
}

static void test_what_is_not_a_font_is_an_open_error(void **state)
{
    (void)state;
    const uint16_t cps[] = {'A'};
    const uint16_t gids[] = {36};
    uint16_t got[1];
    uint8_t *data = (uint8_t *)"x";
    size_t len = 1;
    assert_int_equal(pl_fontsubset_make("/nonexistent/font.ttf", 0, cps, gids, 1, &data, &len, got),
                     PL_ERR_OPEN);
    assert_null(data);
    assert_int_equal(len, 0);
    assert_int_equal(pl_fontsubset_make(UMING, 99, cps, gids, 1, &data, &len, got), PL_ERR_OPEN);
    assert_int_equal(pl_fontsubset_make("Makefile", 0, cps, gids, 1, &data, &len, got),
                     PL_ERR_OPEN);
    assert_null(data);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_subset_holds_the_glyphs_drawn_with_their_metrics_and_outlines),
        cmocka_unit_test(test_a_subset_holds_only_the_tables_libharu_embeds),
        cmocka_unit_test(test_a_glyph_made_of_others_brings_them_along),
        cmocka_unit_test(test_what_is_not_a_font_is_an_open_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
