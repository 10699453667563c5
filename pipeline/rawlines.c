/* rawlines — lines cut from large blocks; clean UTF-8 checked a block at a time. */
#define _GNU_SOURCE /* memrchr(3) */
#include "rawlines.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "text.h"

#if defined(__x86_64__) && defined(__GNUC__)
#include <tmmintrin.h>
#endif

/* The block read at a time: large enough that reading is a few thousand calls for the
 * largest return set, small next to the memory limit. */
enum { BLOCK_SIZE = 1 << 17 };

void pl_rawlines_init(struct pl_rawlines *r, FILE *fp)
{
    memset(r, 0, sizeof *r);
    r->fp = fp;
}

void pl_rawlines_fini(struct pl_rawlines *r)
{
    free(r->block);
    r->block = NULL;
    r->cap = 0;
}

void pl_rawlines_forget(struct pl_rawlines *r)
{
    r->pos = r->end = r->scanned = r->checked = 0;
    r->eof = false;
}

enum pl_status pl_rawlines_next(struct pl_rawlines *r, const char **line, size_t *len)
{
    for (;;) {
        char *nl = r->scanned < r->end ? memchr(r->block + r->scanned, '\n', r->end - r->scanned)
                                       : NULL;
        if (nl || (r->eof && r->pos < r->end)) {
            size_t end = nl ? (size_t)(nl - r->block) + 1 : r->end;
            *line = r->block + r->pos;
            *len = end - r->pos;
            r->pos = r->scanned = end;
            return PL_OK;
        }
        r->scanned = r->end;
        if (r->eof) {
            *line = NULL;
            *len = 0;
            return PL_OK;
        }
        /* Keep the unfinished line: move it to the front, or grow the block it fills. */
        if (r->pos) {
            size_t keep = r->end - r->pos;
            memmove(r->block, r->block + r->pos, keep);
            r->checked = r->checked > r->pos ? r->checked - r->pos : 0;
            r->scanned -= r->pos;
            r->pos = 0;
            r->end = keep;
        }
        if (r->end == r->cap) {
            size_t cap = r->cap ? r->cap * 2 : BLOCK_SIZE;
            if (cap < r->cap)
                return PL_ERR_NOMEM;
            char *b = realloc(r->block, cap);
            if (!b)
                return PL_ERR_NOMEM;
            r->block = b;
            r->cap = cap;
        }
        size_t got = fread(r->block + r->end, 1, r->cap - r->end, r->fp);
        if (got == 0) {
            if (ferror(r->fp))
                return PL_ERR_IO;
            r->eof = true;
        }
        r->end += got;
    }
}

#if defined(__x86_64__) && defined(__GNUC__)
#define HAVE_UTF8_SSSE3 1

/* Whether S[0..LEN) is valid UTF-8, by the lookup method of Keiser and Lemire ("Validating
 * UTF-8 in less than one instruction per byte", 2021): each byte is classified with its
 * predecessor by three 16-entry tables (the high nibble of the previous byte, its low nibble,
 * the high nibble of this byte), whose entries are bit sets of the errors the pair could be;
 * an error is a bit present in all three. A continuation byte must follow a lead byte two or
 * three bytes back exactly when two continuations meet. Only its "valid" is trusted without
 * question: callers look at anything it rejects byte by byte, so that it can only ever make
 * reading slower, never give another answer (a unit test compares it with pl_utf8_valid()
 * on every sequence of up to three bytes at every offset). */
enum {
    U8_TOO_SHORT = 1 << 0,  /* a lead byte or ASCII, then a lead byte or ASCII where a
                               continuation was due */
    U8_TOO_LONG = 1 << 1,   /* ASCII, then a continuation */
    U8_OVERLONG_3 = 1 << 2, /* E0, then 80..9F */
    U8_TOO_LARGE = 1 << 3,  /* F4 then 90..BF, or F5..FF */
    U8_SURROGATE = 1 << 4,  /* ED, then A0..BF */
    U8_OVERLONG_2 = 1 << 5, /* C0 or C1, then a continuation */
    U8_TOO_LARGE_1000 = 1 << 6, /* F5..FF, then 80..8F */
    U8_OVERLONG_4 = 1 << 6, /* F0, then 80..8F */
    U8_TWO_CONTS = 1 << 7,  /* a continuation, then a continuation */
};
#define U8_CARRY (U8_TOO_SHORT | U8_TOO_LONG | U8_TWO_CONTS)

__attribute__((target("ssse3"))) static __m128i utf8_errors(__m128i input, __m128i prev_input)
{
    const __m128i first_high = _mm_setr_epi8(
        U8_TOO_LONG, U8_TOO_LONG, U8_TOO_LONG, U8_TOO_LONG, U8_TOO_LONG, U8_TOO_LONG,
        U8_TOO_LONG, U8_TOO_LONG, (char)U8_TWO_CONTS, (char)U8_TWO_CONTS, (char)U8_TWO_CONTS,
        (char)U8_TWO_CONTS, U8_TOO_SHORT | U8_OVERLONG_2, U8_TOO_SHORT,
        U8_TOO_SHORT | U8_OVERLONG_3 | U8_SURROGATE,
        U8_TOO_SHORT | U8_TOO_LARGE | U8_TOO_LARGE_1000 | U8_OVERLONG_4);
    const __m128i first_low = _mm_setr_epi8(
        (char)(U8_CARRY | U8_OVERLONG_3 | U8_OVERLONG_2 | U8_OVERLONG_4),
        (char)(U8_CARRY | U8_OVERLONG_2), (char)U8_CARRY, (char)U8_CARRY,
        (char)(U8_CARRY | U8_TOO_LARGE), (char)(U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000),
        (char)(U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000),
        (char)(U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000),
        (char)(U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000),
        (char)(U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000),
        (char)(U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000),
        (char)(U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000),
        (char)(U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000),
        (char)(U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000 | U8_SURROGATE),
        (char)(U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000),
        (char)(U8_CARRY | U8_TOO_LARGE | U8_TOO_LARGE_1000));
    const __m128i second_high = _mm_setr_epi8(
        U8_TOO_SHORT, U8_TOO_SHORT, U8_TOO_SHORT, U8_TOO_SHORT, U8_TOO_SHORT, U8_TOO_SHORT,
        U8_TOO_SHORT, U8_TOO_SHORT,
        (char)(U8_TOO_LONG | U8_OVERLONG_2 | U8_TWO_CONTS | U8_OVERLONG_3 | U8_TOO_LARGE_1000 |
               U8_OVERLONG_4),
        (char)(U8_TOO_LONG | U8_OVERLONG_2 | U8_TWO_CONTS | U8_OVERLONG_3 | U8_TOO_LARGE),
        (char)(U8_TOO_LONG | U8_OVERLONG_2 | U8_TWO_CONTS | U8_SURROGATE | U8_TOO_LARGE),
        (char)(U8_TOO_LONG | U8_OVERLONG_2 | U8_TWO_CONTS | U8_SURROGATE | U8_TOO_LARGE),
        U8_TOO_SHORT, U8_TOO_SHORT, U8_TOO_SHORT, U8_TOO_SHORT);
    const __m128i nibble = _mm_set1_epi8(0x0F);
    __m128i prev1 = _mm_alignr_epi8(input, prev_input, 15);
    __m128i e1 = _mm_shuffle_epi8(first_high, _mm_and_si128(_mm_srli_epi16(prev1, 4), nibble));
    __m128i e2 = _mm_shuffle_epi8(first_low, _mm_and_si128(prev1, nibble));
    __m128i e3 = _mm_shuffle_epi8(second_high, _mm_and_si128(_mm_srli_epi16(input, 4), nibble));
    __m128i special = _mm_and_si128(_mm_and_si128(e1, e2), e3);
    /* Bit 7: a lead byte of three or four bytes two or three bytes back. */
    __m128i prev2 = _mm_alignr_epi8(input, prev_input, 14);
    __m128i prev3 = _mm_alignr_epi8(input, prev_input, 13);
    __m128i third = _mm_subs_epu8(prev2, _mm_set1_epi8((char)(0xE0 - 0x80)));
    __m128i fourth = _mm_subs_epu8(prev3, _mm_set1_epi8((char)(0xF0 - 0x80)));
    __m128i must = _mm_and_si128(_mm_or_si128(third, fourth), _mm_set1_epi8((char)0x80));
    return _mm_xor_si128(must, special);
}

__attribute__((target("ssse3"))) static bool utf8_valid_ssse3(const char *s, size_t len)
{
    __m128i prev = _mm_setzero_si128(), error = _mm_setzero_si128();
    size_t i = 0;
    for (; i + 16 <= len; i += 16) {
        __m128i input = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
        /* ASCII after ASCII needs no tables. */
        if (_mm_movemask_epi8(_mm_or_si128(input, prev)) == 0) {
            prev = input;
            continue;
        }
        error = _mm_or_si128(error, utf8_errors(input, prev));
        prev = input;
        if (_mm_movemask_epi8(_mm_cmpeq_epi8(error, _mm_setzero_si128())) != 0xFFFF)
            return false;
    }
    /* The rest, followed by NULs: a character cut short by the end shows as too short. */
    char tail[32] = {0};
    memcpy(tail, s + i, len - i);
    for (size_t k = 0; k < 32; k += 16) {
        __m128i input = _mm_loadu_si128((const __m128i *)(const void *)(tail + k));
        error = _mm_or_si128(error, utf8_errors(input, prev));
        prev = input;
    }
    return _mm_movemask_epi8(_mm_cmpeq_epi8(error, _mm_setzero_si128())) == 0xFFFF;
}
#endif

bool pl_rawlines_utf8_clean(const char *s, size_t len)
{
    if (memchr(s, '\0', len))
        return false;
#ifdef HAVE_UTF8_SSSE3
    if (__builtin_cpu_supports("ssse3"))
        return utf8_valid_ssse3(s, len) || pl_utf8_valid(s, len);
#endif
    return pl_utf8_valid(s, len);
}

/* The check runs over all the complete lines the block holds from LINE on, at once: when they
 * are all clean, so is each of them (a line break is never part of a UTF-8 sequence), and
 * they are known clean up to the last line break; when not, up to the last line break before
 * the first bad byte, and the line that holds that byte is looked at alone. Every byte is so
 * checked about once, whatever the mix of good and bad lines. */
bool pl_rawlines_clean(struct pl_rawlines *r, const char *raw, size_t n)
{
    size_t start = (size_t)(raw - r->block), end = start + n;
    if (end <= r->checked)
        return true;
    if (start >= r->checked) {
        /* The block's complete lines from this one on: up to its last line break. */
        const char *last = memrchr(raw, '\n', r->end - start);
        size_t span = last ? (size_t)(last - raw) + 1 : n;
        if (span < n)
            span = n;
        size_t ok = span;
        if (!pl_rawlines_utf8_clean(raw, span)) {
            ok = pl_utf8_valid_prefix(raw, span, NULL, NULL);
            const char *nul = memchr(raw, '\0', ok);
            if (nul)
                ok = (size_t)(nul - raw);
        }
        if (ok < span) {
            /* Clean up to the line break before the first bad byte. */
            const char *brk = ok ? memrchr(raw, '\n', ok) : NULL;
            ok = brk ? (size_t)(brk - raw) + 1 : 0;
        }
        r->checked = start + ok;
        if (end <= r->checked)
            return true;
    }
    return pl_rawlines_utf8_clean(raw, n);
}
