/* safename — names to safe, unique file names. */
#include "safename.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "text.h"

/* The full-width stand-in for a character a file name cannot hold, or 0. */
static uint32_t stand_in(uint32_t cp)
{
    switch (cp) {
    case '/':
        return 0xFF0F;
    case '\\':
        return 0xFF3C;
    case ':':
        return 0xFF1A;
    case '*':
        return 0xFF0A;
    case '?':
        return 0xFF1F;
    case '"':
        return 0xFF02;
    case '<':
        return 0xFF1C;
    case '>':
        return 0xFF1E;
    case '|':
        return 0xFF5C;
    default:
        return 0;
    }
}

/* The length of S's part before its first dot when that part is one of Windows' device
 * names, which no file may be called, with or without an extension; else 0. */
static size_t device_name(const char *s, size_t len)
{
    static const char *const names[] = {"CON", "PRN", "AUX", "NUL"};
    const char *dot = memchr(s, '.', len);
    size_t n = dot ? (size_t)(dot - s) : len;
    for (size_t i = 0; i < 4; i++)
        if (n == 3 && strncasecmp(s, names[i], 3) == 0)
            return n;
    if (n == 4 && (strncasecmp(s, "COM", 3) == 0 || strncasecmp(s, "LPT", 3) == 0) && s[3] >= '1' &&
        s[3] <= '9')
        return n;
    return 0;
}

enum pl_status pl_safename_stem(struct pl_buf *out, const char *name, size_t len)
{
    size_t start = out->len;
    size_t from, to;
    pl_text_trim(name, len, &from, &to);
    enum pl_status st = PL_OK;
    bool after_dot = false;
    for (size_t i = from; i < to && st == PL_OK;) {
        uint32_t cp;
        size_t n = pl_utf8_decode(name + i, to - i, &cp);
        if (n == 0) { /* not UTF-8 */
            cp = '_';
            n = 1;
        }
        i += n;
        if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0))
            cp = '_';
        else if (stand_in(cp))
            cp = stand_in(cp);
        else if (cp == '.' && (after_dot || out->len == start))
            cp = 0xFF0E; /* no leading dot, no ".." */
        after_dot = cp == '.';
        size_t before = out->len;
        st = pl_utf8_append(out, cp);
        if (st == PL_OK && out->len - start > PL_SAFENAME_MAX_STEM) {
            out->len = before; /* cut at the character boundary */
            out->data[out->len] = '\0';
            break;
        }
    }
    if (st != PL_OK)
        return st;
    /* Windows drops trailing dots and spaces; a name must not end in one. */
    while (out->len > start && (out->data[out->len - 1] == ' ' || out->data[out->len - 1] == '.'))
        out->data[--out->len] = '\0';
    if (out->len == start)
        return pl_buf_append_str(out, "未命名");
    size_t device = device_name(out->data + start, out->len - start);
    if (device) { /* CON.txt → CON_.txt */
        if ((st = pl_buf_append_char(out, '_')) != PL_OK)
            return st;
        char *at = out->data + start + device;
        memmove(at + 1, at, out->len - 1 - (start + device));
        *at = '_';
    }
    return PL_OK;
}

void pl_safename_set_init(struct pl_safename_set *set)
{
    pl_strmap_init(&set->keys);
}

void pl_safename_set_fini(struct pl_safename_set *set)
{
    pl_strmap_fini(&set->keys);
}

static bool taken(const struct pl_safename_set *set, const struct pl_buf *key)
{
    return pl_strmap_get(&set->keys, key->data, key->len) != NULL;
}

enum pl_status pl_safename_unique(struct pl_safename_set *set, const char *name, size_t len,
                                  const char *ext, struct pl_buf *out)
{
    struct pl_buf stem, candidate, key;
    pl_buf_init(&stem);
    pl_buf_init(&candidate);
    pl_buf_init(&key);
    enum pl_status st = pl_safename_stem(&stem, name, len);
    for (unsigned n = 1; st == PL_OK; n++) {
        pl_buf_clear(&candidate);
        pl_buf_clear(&key);
        st = pl_buf_append(&candidate, stem.data, stem.len);
        if (st == PL_OK && n > 1)
            st = pl_buf_printf(&candidate, "（%u）", n);
        if (st == PL_OK)
            st = pl_buf_append_str(&candidate, ext);
        /* The stem is valid UTF-8 by construction, so the key cannot fail on data. */
        if (st == PL_OK)
            st = pl_text_match_key(&key, candidate.data, candidate.len);
        if (st == PL_OK && !taken(set, &key))
            break;
    }
    if (st == PL_OK) {
        size_t *value;
        bool added;
        st = pl_strmap_put(&set->keys, key.data, key.len, 0, &value, &added);
    }
    if (st == PL_OK)
        st = pl_buf_append(out, candidate.data, candidate.len);
    pl_buf_fini(&stem);
    pl_buf_fini(&candidate);
    pl_buf_fini(&key);
    return st;
}
