/*
 * rawlines — a stream's physical lines, cut from large blocks, and whether they are clean
 * UTF-8.
 *
 * The readers of return files and of the pipeline's own CSV streams take their input a line
 * at a time (a line's number is where a diagnostic points). Lines are cut from blocks read
 * with fread, without a copy: getline read through stdio's small buffer and copied every line
 * once more, and a million-row return is a quarter of a gigabyte. A line longer than the block
 * grows it: there is no limit on a line but memory. Whether a line is valid UTF-8 without a
 * NUL is answered for all the complete lines a block holds at once, sixteen bytes at a time
 * where the processor allows, so that a line costs no check of its own.
 *
 * Nothing here knows CSV or encodings other than UTF-8: see csv and encoding.
 */
#ifndef PL_RAWLINES_H
#define PL_RAWLINES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "status.h"

/* Caller-owned: pl_rawlines_init() before use, pl_rawlines_fini() after. A zeroed struct may
 * be given to pl_rawlines_fini(). */
struct pl_rawlines {
    FILE *fp;
    /* BLOCK[POS..END) is what is left of what was read; SCANNED is where the search for the
     * next line break goes on from; [POS..CHECKED) is known to be valid UTF-8 without NUL. */
    char *block;
    size_t cap, pos, end, scanned, checked;
    bool eof;
};

/* Reads FP (borrowed; it must outlive R) from where it stands. */
void pl_rawlines_init(struct pl_rawlines *r, FILE *fp);
void pl_rawlines_fini(struct pl_rawlines *r);

/* The next physical line, its LF included, in *LINE[0..*LEN), valid until the next call; or
 * *LINE = NULL at the end. The last line may lack its LF. PL_ERR_IO on a read error,
 * PL_ERR_NOMEM. */
enum pl_status pl_rawlines_next(struct pl_rawlines *r, const char **line, size_t *len);

/* True when LINE[0..LEN), the line pl_rawlines_next() just gave, is valid UTF-8 (as
 * pl_utf8_valid() has it) without a NUL. */
bool pl_rawlines_clean(struct pl_rawlines *r, const char *line, size_t len);

/* Forgets what was read, for a caller that moved the stream (fseek): reading goes on from
 * where the stream stands. */
void pl_rawlines_forget(struct pl_rawlines *r);

/* True when S[0..LEN) is valid UTF-8 (as pl_utf8_valid() has it) without a NUL. */
bool pl_rawlines_utf8_clean(const char *s, size_t len);

#endif
