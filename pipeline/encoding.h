/*
 * encoding — what a file's bytes are, and its text as UTF-8 lines.
 *
 * Detection follows the design's order: a byte order mark (UTF-8, UTF-16LE/BE — Excel's
 * 'Unicode text' exports, which are tab-separated); else strict UTF-8; else strict GB18030
 * (a superset of GBK and GB2312, what Excel on Chinese Windows writes); anything else is
 * refused, with uchardet's guess used only to word the message. Nothing is ever decoded with
 * replacement characters: a line whose bytes do not decode is handed on with those bytes
 * shown as \xNN and marked bad, with the column of the first bad byte, so that the caller can
 * reject that row and keep the others. A file that is mostly one encoding with a few lines of
 * another is read in the majority encoding and the odd lines are marked bad.
 *
 * Files are read twice (once to detect, once to decode), so a pipe or FIFO is first copied to
 * a temporary file; memory stays independent of the file's size (a block of 128 KB and the
 * line being decoded). GB18030's two-byte characters are decoded by a table that iconv itself
 * fills, a lead byte's row when a file first uses it; four-byte characters and bytes that do
 * not decode go through iconv as before, so that the text is iconv's to the byte.
 */
#ifndef PL_ENCODING_H
#define PL_ENCODING_H

#include <stddef.h>

#include "buf.h"
#include "diag.h"

enum pl_encoding {
    PL_ENC_AUTO = 0,
    PL_ENC_UTF8,
    PL_ENC_GB18030,
    PL_ENC_UTF16LE,
    PL_ENC_UTF16BE,
};

/* Why a line was marked bad. */
enum pl_bad_reason {
    PL_BAD_NONE = 0,
    PL_BAD_BYTES, /* bytes that are not valid in the file's encoding */
    PL_BAD_NUL,   /* a NUL byte, which no text cell holds */
    PL_BAD_MIXED, /* a line in another encoding than the rest of the file */
};

/* The encoding's usual name ("UTF-8", "GB18030", "UTF-16LE", ...). */
const char *pl_encoding_name(enum pl_encoding enc);

/* Parses a name given with -e: utf-8/utf8, gbk/gb2312/gb18030/cp936, utf-16/utf-16le,
 * utf-16be (case-insensitive). PL_ERR_USAGE for anything else. */
enum pl_status pl_encoding_parse(const char *name, enum pl_encoding *out);

struct pl_text_source;

/* Opens PATH ("-" for standard input) and works out its encoding (or takes FORCED unless it
 * is PL_ENC_AUTO). A file that cannot be used at all is reported to DIAG with its code and
 * the call fails: E_UNREADABLE and E_NOT_A_FILE (PL_ERR_OPEN), E_EMPTY_FILE, E_BINARY_FILE
 * and E_ENCODING_UNKNOWN (PL_ERR_DATA). DISPLAY is the name used in messages (the path as
 * given). On success *OUT is a source to read with pl_text_source_next_line() and to free
 * with pl_text_source_free(). */
enum pl_status pl_text_source_open(const char *path, const char *display,
                                   enum pl_encoding forced, struct pl_diag *diag,
                                   struct pl_text_source **out);

/* The next physical line as UTF-8 in *TEXT[0..*LEN), line break included (LF, or CR LF as
 * written), or *TEXT = NULL at the end. *BAD_COLUMN is 0, or the character column of the first
 * byte that did not decode (shown as \xNN in the text) with *BAD_REASON saying why. The line
 * is valid until the next call. PL_ERR_IO on a read error, PL_ERR_NOMEM. */
enum pl_status pl_text_source_next_line(struct pl_text_source *src, const char **text,
                                        size_t *len, unsigned long *bad_column,
                                        enum pl_bad_reason *bad_reason);

struct pl_csv_reader;

/* Feeds every line of SRC to the CSV reader CSV, numbered from 1 and with their bad columns,
 * and finishes it; *LINES (if not NULL) gets the number of lines read. Returns what the
 * reader or its callback returned, or PL_ERR_IO on a read error. */
enum pl_status pl_text_source_feed_csv(struct pl_text_source *src, struct pl_csv_reader *csv,
                                       unsigned long *lines);

enum pl_encoding pl_text_source_encoding(const struct pl_text_source *src);
/* True when the file began with a byte order mark. */
int pl_text_source_had_bom(const struct pl_text_source *src);
/* The cell delimiter the file's kind implies: a tab for UTF-16 exports, else a comma. */
char pl_text_source_delimiter(const struct pl_text_source *src);

void pl_text_source_free(struct pl_text_source *src);

/* Reads a whole (small) text file as UTF-8 into OUT, for documents rather than returns: any
 * byte that does not decode is an error (E_UNDECODABLE, reported with line and column) and
 * the call returns PL_ERR_ENCODING. *ENC (if not NULL) gets the encoding found. */
enum pl_status pl_text_load(const char *path, enum pl_encoding forced, struct pl_diag *diag,
                            struct pl_buf *out, enum pl_encoding *enc);

#endif
