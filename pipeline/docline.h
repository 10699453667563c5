/*
 * docline — a document's text as numbered lines, and the small string tests its parsers share.
 *
 * The targets document arrives as one UTF-8 text (see encoding's pl_text_load). This module cuts
 * it into physical lines, numbered from 1 as an editor shows them, without their line breaks
 * (LF or CR LF), and offers the byte-range helpers every section parser needs: trimming,
 * prefix and suffix tests, removing the spaces people type inside names. It does not interpret
 * anything: which line is a task, a label or a table cell is doctasks' and doctable's business.
 * Lines point into the caller's text, which must outlive them.
 */
#ifndef PL_DOCLINE_H
#define PL_DOCLINE_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "status.h"

struct pl_doc_line {
    const char *s; /* not NUL-terminated; points into the text */
    size_t len;
    unsigned long no; /* 1-based */
};

struct pl_doc_lines {
    struct pl_doc_line *v;
    size_t n;
};

/* Cuts TEXT[0..LEN) into lines (a final line without a break counts; an empty text has none).
 * PL_ERR_NOMEM on failure. Free with pl_doc_lines_fini(). */
enum pl_status pl_doc_lines_split(const char *text, size_t len, struct pl_doc_lines *out);
void pl_doc_lines_fini(struct pl_doc_lines *lines);

/* Narrows S[0..LEN) to its part without surrounding white space (pl_text_is_space). */
void pl_doc_trim(const char **s, size_t *len);
/* True when the line holds only white space. */
bool pl_doc_blank(const char *s, size_t len);
/* Byte-wise prefix and suffix tests of S[0..LEN) against a NUL-terminated WORD. */
bool pl_doc_starts(const char *s, size_t len, const char *word);
bool pl_doc_ends(const char *s, size_t len, const char *word);
/* The first occurrence of WORD in S[0..LEN), or NULL. */
const char *pl_doc_find(const char *s, size_t len, const char *word);
/* Appends S[0..LEN) to OUT with every white space character removed (张  雷 → 张雷). */
enum pl_status pl_doc_squeeze(struct pl_buf *out, const char *s, size_t len);
/* The number of characters (code points) in valid UTF-8 S[0..LEN). */
size_t pl_doc_chars(const char *s, size_t len);
/* True for the ten ASCII digits and their full-width forms; *D gets the digit's value. */
bool pl_doc_digit(unsigned cp, int *d);

#endif
