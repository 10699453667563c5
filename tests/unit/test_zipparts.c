/* Unit tests for zipparts: a part compressed as minizip compresses it, from memory only when
 * the very same part was compressed before, memory bounded. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "zipparts.h"

static const struct pl_zipparts_settings minizip = {Z_DEFAULT_COMPRESSION, -MAX_WBITS, 8,
                                                    Z_DEFAULT_STRATEGY};

/* What minizip writes for DATA (zip.c): a new deflate stream, the bytes 16 KB at a time
 * (libxlsxwriter's pieces) with Z_NO_FLUSH into a 64 KB buffer emptied when full, then
 * Z_FINISH; the CRC-32 and zlib's judgement of text. */
struct reference {
    unsigned char *data;
    size_t len;
    uLong crc;
    int data_type;
};

static struct reference minizip_deflate(const unsigned char *in, size_t n)
{
    enum { PIECE = 16384, BUFFER = 65536 };
    struct reference r = {malloc(n + n / 2 + 1024), 0, crc32(0L, Z_NULL, 0), 0};
    assert_non_null(r.data);
    z_stream z = {0};
    assert_int_equal(
        deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY),
        Z_OK);
    unsigned char buffer[BUFFER];
    z.next_out = buffer;
    z.avail_out = BUFFER;
    for (size_t pos = 0; pos < n; pos += PIECE) {
        size_t len = n - pos < PIECE ? n - pos : PIECE;
        r.crc = crc32(r.crc, in + pos, (uInt)len);
        z.next_in = (Bytef *)in + pos;
        z.avail_in = (uInt)len;
        while (z.avail_in > 0) {
            if (z.avail_out == 0) {
                memcpy(r.data + r.len, buffer, BUFFER);
                r.len += BUFFER;
                z.next_out = buffer;
                z.avail_out = BUFFER;
            }
            assert_int_equal(deflate(&z, Z_NO_FLUSH), Z_OK);
        }
    }
    int err;
    do {
        if (z.avail_out == 0) {
            memcpy(r.data + r.len, buffer, BUFFER);
            r.len += BUFFER;
            z.next_out = buffer;
            z.avail_out = BUFFER;
        }
        err = deflate(&z, Z_FINISH);
    } while (err == Z_OK);
    assert_int_equal(err, Z_STREAM_END);
    memcpy(r.data + r.len, buffer, BUFFER - z.avail_out);
    r.len += BUFFER - z.avail_out;
    r.data_type = z.data_type;
    deflateEnd(&z);
    return r;
}

static void assert_as_minizip(const struct pl_zippart *p, const void *in, size_t n)
{
    struct reference r = minizip_deflate(in, n);
    assert_int_equal(p->len, r.len);
    assert_memory_equal(p->data, r.data, r.len);
    assert_int_equal(p->crc, r.crc);
    assert_int_equal(p->text, r.data_type == Z_TEXT);
    free(r.data);
}

/* An XML part of about N bytes, its text varied by SEED. */
static char *xml(size_t n, unsigned seed)
{
    char *s = malloc(n + 128);
    assert_non_null(s);
    size_t len = (size_t)sprintf(s, "<?xml version=\"1.0\"?><sst>");
    for (unsigned i = 0; len < n; i++)
        len += (size_t)sprintf(s + len, "<si><t>第%u行 %u</t></si>", i, (i * 2654435761u) ^ seed);
    return s;
}

static void test_a_part_is_compressed_as_minizip_compresses_it(void **state)
{
    (void)state;
    struct pl_zipparts *c;
    assert_int_equal(pl_zipparts_new(&c, PL_ZIPPARTS_BUDGET), PL_OK);
    /* Small, several of minizip's pieces, larger than its buffer, and empty. */
    size_t sizes[] = {700, 50000, 200000, 0};
    for (size_t i = 0; i < sizeof sizes / sizeof *sizes; i++) {
        char *s = xml(sizes[i], (unsigned)i);
        size_t n = sizes[i] ? strlen(s) : 0;
        struct pl_zippart p;
        assert_int_equal(pl_zipparts_deflate(c, "xl/sharedStrings.xml", s, n, &minizip, &p), PL_OK);
        assert_false(p.cached);
        assert_as_minizip(&p, s, n);
        if (n)
            assert_true(p.text);
        free(s);
    }
    /* Bytes zlib does not take for text are marked so. */
    unsigned char bin[4096];
    for (size_t i = 0; i < sizeof bin; i++)
        bin[i] = (unsigned char)(i * 7 % 251);
    struct pl_zippart p;
    assert_int_equal(pl_zipparts_deflate(c, "xl/media/image1.png", bin, sizeof bin, &minizip, &p),
                     PL_OK);
    assert_false(p.text);
    assert_as_minizip(&p, bin, sizeof bin);
    pl_zipparts_free(c);
}

static void test_a_hit_gives_the_bytes_a_fresh_compression_gives(void **state)
{
    (void)state;
    struct pl_zipparts *c;
    assert_int_equal(pl_zipparts_new(&c, PL_ZIPPARTS_BUDGET), PL_OK);
    char *theme = xml(7000, 1);
    size_t n = strlen(theme);
    struct pl_zippart p;
    for (int i = 0; i < 4; i++) {
        assert_int_equal(pl_zipparts_deflate(c, "xl/theme/theme1.xml", theme, n, &minizip, &p),
                         PL_OK);
        /* Remembered at its second sighting, handed back from the third on. */
        assert_int_equal(p.cached, i >= 2);
        assert_as_minizip(&p, theme, n);
    }
    struct pl_zipparts_stats st;
    pl_zipparts_stats(c, &st);
    assert_int_equal(st.hits, 2);
    assert_int_equal(st.compressed, 2);
    assert_int_equal(st.remembered, 1);
    free(theme);
    pl_zipparts_free(c);
}

static void test_different_content_never_hits(void **state)
{
    (void)state;
    struct pl_zipparts *c;
    assert_int_equal(pl_zipparts_new(&c, PL_ZIPPARTS_BUDGET), PL_OK);
    char *a = xml(3000, 5);
    size_t n = strlen(a);
    struct pl_zippart p;
    for (int i = 0; i < 3; i++)
        assert_int_equal(pl_zipparts_deflate(c, "xl/styles.xml", a, n, &minizip, &p), PL_OK);
    assert_true(p.cached);
    /* One byte changed, the same length; the same bytes under another name; a prefix; other
     * settings: each compressed afresh, each as minizip would. */
    char *b = strdup(a);
    b[n / 2] ^= 1;
    struct pl_zipparts_settings fast = minizip;
    fast.level = 1;
    struct {
        const char *name;
        const char *data;
        size_t n;
        const struct pl_zipparts_settings *set;
    } other[] = {{"xl/styles.xml", b, n, &minizip},
                 {"xl/workbook.xml", a, n, &minizip},
                 {"xl/styles.xml", a, n - 1, &minizip},
                 {"xl/styles.xml", a, n, &fast}};
    for (size_t i = 0; i < sizeof other / sizeof *other; i++) {
        for (int twice = 0; twice < 2; twice++) {
            assert_int_equal(
                pl_zipparts_deflate(c, other[i].name, other[i].data, other[i].n, other[i].set, &p),
                PL_OK);
            assert_false(p.cached);
            if (other[i].set == &minizip)
                assert_as_minizip(&p, other[i].data, other[i].n);
        }
    }
    /* The first part is still there, unchanged. */
    assert_int_equal(pl_zipparts_deflate(c, "xl/styles.xml", a, n, &minizip, &p), PL_OK);
    assert_true(p.cached);
    assert_as_minizip(&p, a, n);
    free(a);
    free(b);
    pl_zipparts_free(c);
}

static void test_memory_is_bounded(void **state)
{
    (void)state;
    /* No budget: nothing remembered, every part compressed. */
    struct pl_zipparts *c;
    assert_int_equal(pl_zipparts_new(&c, 0), PL_OK);
    char *s = xml(2000, 9);
    struct pl_zippart p;
    for (int i = 0; i < 5; i++) {
        assert_int_equal(pl_zipparts_deflate(c, "a.xml", s, strlen(s), &minizip, &p), PL_OK);
        assert_false(p.cached);
        assert_as_minizip(&p, s, strlen(s));
    }
    struct pl_zipparts_stats st;
    pl_zipparts_stats(c, &st);
    assert_int_equal(st.remembered, 0);
    pl_zipparts_free(c);
    free(s);
    /* A budget of 20 KB: parts of 4 KB stop being remembered when it is spent; a part over
     * PL_ZIPPARTS_MAX_PART never is. */
    assert_int_equal(pl_zipparts_new(&c, 20000), PL_OK);
    for (unsigned k = 0; k < 10; k++) {
        s = xml(4000, k);
        for (int i = 0; i < 2; i++)
            assert_int_equal(pl_zipparts_deflate(c, "b.xml", s, strlen(s), &minizip, &p), PL_OK);
        free(s);
    }
    pl_zipparts_stats(c, &st);
    assert_true(st.remembered >= 2 && st.remembered < 10);
    assert_true(st.bytes <= 20000);
    pl_zipparts_free(c);
    assert_int_equal(pl_zipparts_new(&c, (size_t)64 << 20), PL_OK);
    s = xml(PL_ZIPPARTS_MAX_PART + 10, 3);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(pl_zipparts_deflate(c, "big.xml", s, strlen(s), &minizip, &p), PL_OK);
        assert_false(p.cached);
    }
    assert_as_minizip(&p, s, strlen(s));
    pl_zipparts_stats(c, &st);
    assert_int_equal(st.remembered, 0);
    free(s);
    pl_zipparts_free(c);
}

static void test_settings_zlib_refuses_fail_and_the_cache_goes_on(void **state)
{
    (void)state;
    struct pl_zipparts *c;
    assert_int_equal(pl_zipparts_new(&c, PL_ZIPPARTS_BUDGET), PL_OK);
    struct pl_zipparts_settings bad = minizip;
    bad.mem_level = 99;
    struct pl_zippart p;
    assert_int_equal(pl_zipparts_deflate(c, "a.xml", "<a/>", 4, &bad, &p), PL_ERR_INTERNAL);
    assert_int_equal(pl_zipparts_deflate(c, "a.xml", "<a/>", 4, &minizip, &p), PL_OK);
    assert_as_minizip(&p, "<a/>", 4);
    pl_zipparts_free(c);
    pl_zipparts_free(NULL);
}

static void test_other_bytes_are_recalled_by_their_whole_key(void **state)
{
    (void)state;
    struct pl_zipparts *c;
    assert_int_equal(pl_zipparts_new(&c, PL_ZIPPARTS_BUDGET), PL_OK);
    const char key[] = "formats 1 2 3", other[] = "formats 1 2 4";
    const void *v;
    size_t n;
    assert_false(pl_zipparts_recall(c, "styles", key, sizeof key, &v, &n));
    pl_zipparts_remember(c, "styles", key, sizeof key, "<xml/>", 6); /* seen once */
    assert_false(pl_zipparts_recall(c, "styles", key, sizeof key, &v, &n));
    pl_zipparts_remember(c, "styles", key, sizeof key, "<xml/>", 6);
    assert_true(pl_zipparts_recall(c, "styles", key, sizeof key, &v, &n));
    assert_int_equal(n, 6);
    assert_memory_equal(v, "<xml/>", 6);
    /* Another key of the same length, another name, a prefix: nothing. */
    assert_false(pl_zipparts_recall(c, "styles", other, sizeof other, &v, &n));
    assert_false(pl_zipparts_recall(c, "theme", key, sizeof key, &v, &n));
    assert_false(pl_zipparts_recall(c, "styles", key, sizeof key - 1, &v, &n));
    /* A part named and made of the same bytes is not taken for it, nor it for the part. */
    struct pl_zippart p;
    for (int i = 0; i < 3; i++) {
        assert_int_equal(pl_zipparts_deflate(c, "styles", key, sizeof key, &minizip, &p), PL_OK);
        assert_as_minizip(&p, key, sizeof key);
    }
    assert_true(p.cached);
    assert_true(pl_zipparts_recall(c, "styles", key, sizeof key, &v, &n));
    assert_memory_equal(v, "<xml/>", 6);
    pl_zipparts_free(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_part_is_compressed_as_minizip_compresses_it),
        cmocka_unit_test(test_a_hit_gives_the_bytes_a_fresh_compression_gives),
        cmocka_unit_test(test_different_content_never_hits),
        cmocka_unit_test(test_memory_is_bounded),
        cmocka_unit_test(test_settings_zlib_refuses_fail_and_the_cache_goes_on),
        cmocka_unit_test(test_other_bytes_are_recalled_by_their_whole_key),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
