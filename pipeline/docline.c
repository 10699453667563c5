/* docline — a document as numbered lines, and shared string tests. */
#include "docline.h"

#include <stdlib.h>
#include <string.h>

#include "text.h"

enum pl_status pl_doc_lines_split(const char *text, size_t len, struct pl_doc_lines *out)
{
    size_t count = 0;
    for (size_t i = 0; i < len; i++)
        if (text[i] == '\n')
            count++;
    if (len > 0 && text[len - 1] != '\n')
        count++;
    out->v = NULL;
    out->n = 0;
    if (count == 0)
        return PL_OK;
    out->v = calloc(count, sizeof *out->v);
    if (!out->v)
        return PL_ERR_NOMEM;
    size_t start = 0;
    for (size_t i = 0; i <= len && out->n < count; i++) {
        if (i < len && text[i] != '\n')
            continue;
        size_t end = i;
        if (end > start && text[end - 1] == '\r')
            end--;
        out->v[out->n].s = text + start;
        out->v[out->n].len = end - start;
        out->v[out->n].no = (unsigned long)out->n + 1;
        out->n++;
        start = i + 1;
    }
    return PL_OK;
}

void pl_doc_lines_fini(struct pl_doc_lines *lines)
{
    free(lines->v);
    lines->v = NULL;
    lines->n = 0;
}

void pl_doc_trim(const char **s, size_t *len)
{
    size_t a, b;
    pl_text_trim(*s, *len, &a, &b);
    *s += a;
    *len = b - a;
}

bool pl_doc_blank(const char *s, size_t len)
{
    return pl_text_is_blank(s, len);
}

bool pl_doc_starts(const char *s, size_t len, const char *word)
{
    size_t n = strlen(word);
    return n <= len && memcmp(s, word, n) == 0;
}

bool pl_doc_ends(const char *s, size_t len, const char *word)
{
    size_t n = strlen(word);
    return n <= len && memcmp(s + len - n, word, n) == 0;
}

const char *pl_doc_find(const char *s, size_t len, const char *word)
{
    size_t n = strlen(word);
    if (n == 0)
        return s;
    for (size_t i = 0; i + n <= len; i++)
        if (s[i] == word[0] && memcmp(s + i, word, n) == 0)
            return s + i;
    return NULL;
}

enum pl_status pl_doc_squeeze(struct pl_buf *out, const char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        uint32_t cp;
        size_t n = pl_utf8_decode(s + i, len - i, &cp);
        if (n == 0) {
            n = 1; /* not UTF-8: copy the byte as it is */
        } else if (pl_text_is_space(cp)) {
            i += n;
            continue;
        }
        enum pl_status st = pl_buf_append(out, s + i, n);
        if (st != PL_OK)
            return st;
        i += n;
    }
    return PL_OK;
}

size_t pl_doc_chars(const char *s, size_t len)
{
    size_t chars = 0;
    pl_utf8_valid_prefix(s, len, &chars, NULL);
    return chars;
}

bool pl_doc_digit(unsigned cp, int *d)
{
    if (cp >= '0' && cp <= '9') {
        *d = (int)(cp - '0');
        return true;
    }
    if (cp >= 0xFF10 && cp <= 0xFF19) {
        *d = (int)(cp - 0xFF10);
        return true;
    }
    return false;
}
