/*
 * text — UTF-8 primitives: strict decoding, width folding, trimming, match keys.
 *
 * What people wrote is passed through as written; these functions make the narrow, named
 * changes the design allows: width folding (full-width ASCII and U+3000 to ASCII) for numeric,
 * date and id fields, trimming of surrounding space, and NFKC match keys for comparing names
 * (never for rewriting them). Everything works on byte ranges, not NUL-terminated strings.
 */
#ifndef PL_TEXT_H
#define PL_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "buf.h"

/* Decodes one strict UTF-8 character (no overlong forms, no surrogates, at most U+10FFFF)
 * from S[0..LEN). Returns its length in bytes (1..4) and sets *CP, or 0 when the bytes at S
 * are not a valid character (or are cut short by LEN). */
size_t pl_utf8_decode(const char *s, size_t len, uint32_t *cp);

/* Appends the UTF-8 encoding of CP to OUT. */
enum pl_status pl_utf8_append(struct pl_buf *out, uint32_t cp);

/* Length of the longest valid UTF-8 prefix of S[0..LEN); *CHARS (if not NULL) gets the number
 * of characters in it and *MULTIBYTE the number of those longer than one byte. */
size_t pl_utf8_valid_prefix(const char *s, size_t len, size_t *chars, size_t *multibyte);

/* True when S[0..LEN) is entirely valid UTF-8. */
bool pl_utf8_valid(const char *s, size_t len);

/* True for the white space trimmed around cells: ASCII space, tab, CR, LF, U+00A0, U+3000,
 * U+200B and U+FEFF. */
bool pl_text_is_space(uint32_t cp);

/* Narrows S[0..LEN) to its part without surrounding white space: sets *START and *END as
 * byte offsets. */
void pl_text_trim(const char *s, size_t len, size_t *start, size_t *end);

/* True when S[0..LEN) holds nothing but white space. */
bool pl_text_is_blank(const char *s, size_t len);

/* Appends S[0..LEN) to OUT trimmed, with full-width ASCII (U+FF01..U+FF5E) turned into
 * ASCII and U+3000 into a space: for numeric, date and id fields only. Invalid UTF-8 bytes
 * are copied unchanged. */
enum pl_status pl_text_fold_width(struct pl_buf *out, const char *s, size_t len);

/* Appends to OUT the key under which a name is compared: NFKC, case-folded, with all white
 * space removed and full-width parentheses folded (by NFKC). PL_ERR_DATA for invalid UTF-8. */
enum pl_status pl_text_match_key(struct pl_buf *out, const char *s, size_t len);

/* True when S[0..LEN) is its own match key (what pl_text_match_key() would append is S
 * itself): printable ASCII other than A-Z, the CJK Unified Ideographs U+4E00..U+9FEF and the
 * punctuation ‘’“”、。《》【】, no white space. Most unit names are; a lookup by such a name
 * needs no key built. False does not say the key differs. */
bool pl_text_match_key_is_same(const char *s, size_t len);

/* Appends S[0..LEN) with every byte that is not part of valid UTF-8 written as the four
 * characters \xNN, so that undecodable input can be shown and kept without guessing. */
enum pl_status pl_text_escape_invalid(struct pl_buf *out, const char *s, size_t len);

#endif
