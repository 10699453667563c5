/* text — UTF-8 primitives. */
#include "text.h"

#include <stdlib.h>
#include <string.h>
#include <utf8proc.h>

size_t pl_utf8_decode(const char *str, size_t len, uint32_t *cp)
{
    const unsigned char *s = (const unsigned char *)str;
    if (len == 0)
        return 0;
    unsigned char c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t n;
    uint32_t v, min;
    if (c >= 0xC2 && c <= 0xDF) {
        n = 2;
        v = c & 0x1F;
        min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        n = 3;
        v = c & 0x0F;
        min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        n = 4;
        v = c & 0x07;
        min = 0x10000;
    } else {
        return 0;
    }
    if (len < n)
        return 0;
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = (v << 6) | (s[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return n;
}

enum pl_status pl_utf8_append(struct pl_buf *out, uint32_t cp)
{
    char tmp[4];
    size_t n;
    if (cp < 0x80) {
        tmp[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        tmp[0] = (char)(0xC0 | (cp >> 6));
        tmp[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else if (cp < 0x10000) {
        tmp[0] = (char)(0xE0 | (cp >> 12));
        tmp[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        tmp[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    } else {
        tmp[0] = (char)(0xF0 | (cp >> 18));
        tmp[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        tmp[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        tmp[3] = (char)(0x80 | (cp & 0x3F));
        n = 4;
    }
    return pl_buf_append(out, tmp, n);
}

static bool is_cont(unsigned char c)
{
    return (c & 0xC0) == 0x80;
}

/* The length of the valid character at P (at most AVAIL bytes), or 0. The same rules as
 * pl_utf8_decode() without computing the code point: this runs over every byte of every
 * return, so it is written for speed. */
static size_t valid_char_length(const unsigned char *p, size_t avail)
{
    unsigned char c = p[0];
    if (c >= 0xC2 && c <= 0xDF)
        return avail >= 2 && is_cont(p[1]) ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        if (avail < 3 || !is_cont(p[1]) || !is_cont(p[2]))
            return 0;
        if ((c == 0xE0 && p[1] < 0xA0) || (c == 0xED && p[1] > 0x9F))
            return 0; /* overlong, or a surrogate */
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (avail < 4 || !is_cont(p[1]) || !is_cont(p[2]) || !is_cont(p[3]))
            return 0;
        if ((c == 0xF0 && p[1] < 0x90) || (c == 0xF4 && p[1] > 0x8F))
            return 0;
        return 4;
    }
    return 0;
}

size_t pl_utf8_valid_prefix(const char *s, size_t len, size_t *chars, size_t *multibyte)
{
    const unsigned char *p = (const unsigned char *)s, *end = p + len;
    size_t nchars = 0, nmulti = 0;
    while (p < end) {
        /* ASCII runs: eight bytes at a time. */
        while (end - p >= 8) {
            uint64_t w;
            memcpy(&w, p, 8);
            if (w & UINT64_C(0x8080808080808080))
                break;
            p += 8;
            nchars += 8;
        }
        if (p == end)
            break;
        if (*p < 0x80) {
            p++;
            nchars++;
            continue;
        }
        /* Runs of common CJK (leads E1..EC, no overlong or surrogate cases to check). */
        while (end - p >= 3 && p[0] >= 0xE1 && p[0] <= 0xEC && is_cont(p[1]) && is_cont(p[2])) {
            p += 3;
            nchars++;
            nmulti++;
        }
        if (p == end || *p < 0x80)
            continue;
        size_t n = valid_char_length(p, (size_t)(end - p));
        if (n == 0)
            break;
        p += n;
        nchars++;
        nmulti++;
    }
    if (chars)
        *chars = nchars;
    if (multibyte)
        *multibyte = nmulti;
    return (size_t)(p - (const unsigned char *)s);
}

bool pl_utf8_valid(const char *s, size_t len)
{
    return pl_utf8_valid_prefix(s, len, NULL, NULL) == len;
}

bool pl_text_is_space(uint32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == '\r' || cp == '\n' || cp == 0xA0 || cp == 0x3000 ||
           cp == 0x200B || cp == 0xFEFF;
}

void pl_text_trim(const char *s, size_t len, size_t *start, size_t *end)
{
    size_t a = 0, b = len;
    /* Most cells start and end with a character that cannot be white space: nothing to trim.
     * Every space character starts with a byte up to ' ' or with C2, E2, E3 or EF (U+00A0,
     * U+200B, U+3000, U+FEFF), and ends with a byte up to ' ' or with A0, 8B, 80 or BF. */
    if (len) {
        unsigned char first = (unsigned char)s[0], last = (unsigned char)s[len - 1];
        if (first > ' ' && first != 0xC2 && first != 0xE2 && first != 0xE3 && first != 0xEF &&
            last > ' ' && last != 0xA0 && last != 0x8B && last != 0x80 && last != 0xBF) {
            *start = 0;
            *end = len;
            return;
        }
    }
    while (a < b) {
        uint32_t cp;
        size_t n = pl_utf8_decode(s + a, b - a, &cp);
        if (n == 0 || !pl_text_is_space(cp))
            break;
        a += n;
    }
    while (b > a) {
        /* Step back to the start of the last character. */
        size_t k = b - 1;
        while (k > a && ((unsigned char)s[k] & 0xC0) == 0x80 && b - k < 4)
            k--;
        uint32_t cp;
        size_t n = pl_utf8_decode(s + k, b - k, &cp);
        if (n != b - k || !pl_text_is_space(cp))
            break;
        b = k;
    }
    *start = a;
    *end = b;
}

bool pl_text_is_blank(const char *s, size_t len)
{
    size_t a, b;
    pl_text_trim(s, len, &a, &b);
    return a == b;
}

enum pl_status pl_text_fold_width(struct pl_buf *out, const char *s, size_t len)
{
    size_t a, b;
    pl_text_trim(s, len, &a, &b);
    /* Folding never lengthens text (three bytes of U+FF10 become one), so one reservation
     * covers it. */
    if (pl_buf_reserve(out, b - a) != PL_OK)
        return PL_ERR_NOMEM;
    char *w = out->data + out->len;
    for (size_t i = a; i < b;) {
        unsigned char c = (unsigned char)s[i];
        uint32_t cp;
        size_t n = c < 0x80 ? (cp = c, 1) : pl_utf8_decode(s + i, b - i, &cp);
        if (n == 0) {
            *w++ = s[i++];
            continue;
        }
        if (cp >= 0xFF01 && cp <= 0xFF5E)
            *w++ = (char)(cp - 0xFF01 + 0x21);
        else if (cp == 0x3000)
            *w++ = ' ';
        else {
            memcpy(w, s + i, n);
            w += n;
        }
        i += n;
    }
    out->len = (size_t)(w - out->data);
    out->data[out->len] = '\0';
    return PL_OK;
}

/* The characters whose match key is easy to know, as utf8proc would make it: printable ASCII
 * and ASCII white space; the CJK Unified Ideographs U+4E00..U+9FEF; the punctuation names are
 * written with (‘’“”、。《》【】), which NFKC and case folding leave as they are; and the
 * full-width forms U+FF01..U+FF5E, which NFKC makes ASCII (（县） is (县)). None composes with
 * another, none is ignorable, and case folding touches only A-Z. Returns the character's
 * length at P[0..AVAIL) and sets *KIND (0: kept as it is, 1: white space, 2: full-width), or 0
 * for anything else. */
static size_t easy_char(const unsigned char *p, size_t avail, int *kind)
{
    unsigned char c = p[0];
    *kind = 0;
    if (c < 0x80) {
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n') {
            *kind = 1;
            return 1;
        }
        return c >= 0x21 && c <= 0x7E ? 1 : 0;
    }
    if (avail < 3 || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80)
        return 0;
    uint32_t cp = ((uint32_t)(c & 0x0F) << 12) | ((uint32_t)(p[1] & 0x3F) << 6) | (p[2] & 0x3F);
    if (c >= 0xE4 && c <= 0xE9)
        return cp >= 0x4E00 && cp <= 0x9FEF ? 3 : 0;
    if (c == 0xE2)
        return cp == 0x2018 || cp == 0x2019 || cp == 0x201C || cp == 0x201D ? 3 : 0;
    if (c == 0xE3)
        return cp == 0x3001 || cp == 0x3002 || cp == 0x300A || cp == 0x300B || cp == 0x3010 ||
                       cp == 0x3011
                   ? 3
                   : 0;
    if (c == 0xEF && cp >= 0xFF01 && cp <= 0xFF5E) {
        *kind = 2;
        return 3;
    }
    return 0;
}

/* The length of the longest prefix of P[0..LEN) made of the characters met most (printable
 * ASCII but A-Z, CJK U+4E00..U+9FEF), which a match key keeps as they are: a tight loop for
 * the half million names of a province's lists; easy_char() sees to the rest. */
static size_t plain_prefix(const unsigned char *p, size_t len)
{
    size_t i = 0;
    while (i < len) {
        unsigned char c = p[i];
        if (c < 0x80) {
            if (c < 0x21 || c > 0x7E || (c >= 'A' && c <= 'Z'))
                break;
            i++;
            continue;
        }
        if (c < 0xE4 || c > 0xE9 || len - i < 3 || (p[i + 1] & 0xC0) != 0x80 ||
            (p[i + 2] & 0xC0) != 0x80)
            break;
        /* U+4E00 is E4 B8 80, U+9FEF is E9 BF AF. */
        if ((c == 0xE4 && p[i + 1] < 0xB8) || (c == 0xE9 && p[i + 1] == 0xBF && p[i + 2] > 0xAF))
            break;
        i += 3;
    }
    return i;
}

/* The key of a name made only of easy characters (nearly every unit name): the name with white
 * space dropped, full-width forms made ASCII and A-Z lowered. Returns false, with OUT
 * unchanged, for anything else: utf8proc decides that. */
static bool match_key_fast(struct pl_buf *out, const char *s, size_t len, enum pl_status *st)
{
    const unsigned char *p = (const unsigned char *)s;
    int kind;
    for (size_t i = plain_prefix(p, len), n; i < len; i += n)
        if (!(n = easy_char(p + i, len - i, &kind)))
            return false;
    *st = pl_buf_reserve(out, len);
    if (*st != PL_OK)
        return true;
    char *w = out->data + out->len;
    for (size_t i = 0, n; i < len; i += n) {
        n = easy_char(p + i, len - i, &kind);
        if (kind == 1)
            continue;
        if (n > 1 && kind == 0) {
            memcpy(w, p + i, n);
            w += n;
            continue;
        }
        /* ASCII, or a full-width form: U+FF01..U+FF5E is ASCII 0x21..0x7E. */
        uint32_t c = n == 1 ? p[i] : ((uint32_t)(p[i + 1] & 0x3F) << 6 | (p[i + 2] & 0x3F)) + 0xF000 - 0xFEE0;
        *w++ = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    out->len = (size_t)(w - out->data);
    out->data[out->len] = '\0';
    return true;
}

bool pl_text_match_key_is_same(const char *s, size_t len)
{
    /* Easy characters that match_key_fast() keeps as they are. */
    const unsigned char *p = (const unsigned char *)s;
    int kind;
    for (size_t i = plain_prefix(p, len), n; i < len; i += n) {
        n = easy_char(p + i, len - i, &kind);
        if (!n || kind != 0 || (p[i] >= 'A' && p[i] <= 'Z'))
            return false;
    }
    return true;
}

enum pl_status pl_text_match_key(struct pl_buf *out, const char *s, size_t len)
{
    enum pl_status fast;
    if (match_key_fast(out, s, len, &fast))
        return fast;
    if (!pl_utf8_valid(s, len))
        return PL_ERR_DATA;
    utf8proc_uint8_t *folded = NULL;
    utf8proc_ssize_t n = utf8proc_map((const utf8proc_uint8_t *)s, (utf8proc_ssize_t)len,
                                      &folded,
                                      UTF8PROC_STABLE | UTF8PROC_COMPOSE | UTF8PROC_COMPAT |
                                          UTF8PROC_CASEFOLD | UTF8PROC_IGNORE);
    if (n < 0)
        return n == UTF8PROC_ERROR_NOMEM ? PL_ERR_NOMEM : PL_ERR_DATA;
    enum pl_status st = PL_OK;
    for (utf8proc_ssize_t i = 0; i < n && st == PL_OK;) {
        uint32_t cp;
        size_t k = pl_utf8_decode((const char *)folded + i, (size_t)(n - i), &cp);
        if (k == 0) {
            st = PL_ERR_DATA;
            break;
        }
        if (!pl_text_is_space(cp))
            st = pl_buf_append(out, folded + i, k);
        i += (utf8proc_ssize_t)k;
    }
    free(folded);
    return st;
}

enum pl_status pl_text_escape_invalid(struct pl_buf *out, const char *s, size_t len)
{
    static const char hex[] = "0123456789ABCDEF";
    bool in_bad_run = false;
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        size_t n = pl_utf8_decode(s + i, len - i, &cp);
        /* Inside a run of bad bytes, a short valid-looking sequence (two bytes of GBK often
         * read as a Greek or Cyrillic letter) is more of the same: escape it too. Only ASCII
         * or a full three-byte character ends the run. */
        if (n > 0 && cp != 0 && (!in_bad_run || n == 1 || n >= 3)) {
            if (pl_buf_append(out, s + i, n) != PL_OK)
                return PL_ERR_NOMEM;
            in_bad_run = false;
            i += n;
            continue;
        }
        size_t bad = n > 0 ? n : 1;
        for (size_t k = 0; k < bad; k++) {
            unsigned char c = (unsigned char)s[i + k];
            char esc[4] = {'\\', 'x', hex[c >> 4], hex[c & 15]};
            if (pl_buf_append(out, esc, 4) != PL_OK)
                return PL_ERR_NOMEM;
        }
        in_bad_run = true;
        i += bad;
    }
    return PL_OK;
}
