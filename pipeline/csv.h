/*
 * csv — a streaming CSV reader on libcsv, and a CSV writer.
 *
 * The reader is fed decoded UTF-8 text one physical line at a time (the caller numbers the
 * lines and says where a line could not be decoded) and calls back with each complete row:
 * its cells, the line where it starts and any problem that makes it unusable (an unterminated
 * quote at end of input, an undecodable byte). Quoted cells may hold commas, quotes and line
 * breaks; CRLF and LF both end rows; a final row without a newline is delivered by
 * pl_csv_reader_finish(). Cells are kept exactly as written (libcsv's trimming is off). Blank
 * lines are not rows. There is no limit on a cell's size but memory. The reader knows nothing
 * of headers or encodings: see header and encoding.
 *
 * pl_csv_read_stream() reads a stream through rawlines: lines cut from large blocks, checked as
 * UTF-8 a block at a time.
 *
 * The writer quotes what RFC 4180 requires, and on request writes a UTF-8 BOM and neutralises
 * cells that Excel would take for formulas. It hands the stream a row at a time: see struct
 * pl_csv_writer.
 */
#ifndef PL_CSV_H
#define PL_CSV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "status.h"

enum pl_csv_row_problem {
    PL_CSV_ROW_OK = 0,
    PL_CSV_ROW_UNTERMINATED, /* the input ended inside a quoted cell */
    PL_CSV_ROW_UNDECODABLE,  /* a line of the row held bytes that did not decode */
};

/* A row as the reader delivers it; everything in it is owned by the reader and valid until
 * the callback returns. cells[i] is NUL-terminated, lens[i] its length in bytes. */
struct pl_csv_row {
    size_t count;
    char **cells;
    size_t *lens;
    unsigned long line;     /* the line where the row starts (1-based) */
    unsigned long end_line; /* the line where it ends */
    enum pl_csv_row_problem problem;
    unsigned long problem_line;   /* for UNTERMINATED: where the open cell began; for
                                     UNDECODABLE: the line of the first bad byte */
    unsigned long problem_column; /* for UNDECODABLE: character column of that byte */
    int problem_reason;           /* for UNDECODABLE: the reason the feeder gave */
};

/* Called for each complete row; a status other than PL_OK stops the reader and is returned by
 * the feed or finish call that delivered the row. */
typedef enum pl_status (*pl_csv_row_fn)(void *ctx, const struct pl_csv_row *row);

struct pl_csv_reader;

/* A reader splitting cells on DELIMITER (',' or '\t'), calling ON_ROW with CTX. NULL when out
 * of memory. Free it with pl_csv_reader_free(). */
struct pl_csv_reader *pl_csv_reader_new(char delimiter, pl_csv_row_fn on_row, void *ctx);
void pl_csv_reader_free(struct pl_csv_reader *r);

/* Feeds physical line LINE_NO: TEXT[0..LEN), with its line break if it has one. BAD_COLUMN is
 * 0 when the line decoded cleanly, else the column of the first byte that did not (the row
 * holding the line is then delivered as PL_CSV_ROW_UNDECODABLE, with BAD_REASON passed
 * through as problem_reason). Returns PL_ERR_NOMEM, or what the callback returned. */
enum pl_status pl_csv_reader_feed_line(struct pl_csv_reader *r, const char *text, size_t len,
                                       unsigned long line_no, unsigned long bad_column,
                                       int bad_reason);

/* Ends the input: delivers a final row without a line break, or an unterminated one. */
enum pl_status pl_csv_reader_finish(struct pl_csv_reader *r);

/* Reads FP to its end (UTF-8 text, no decoding) and feeds it line by line; a convenience for
 * the pipeline's own streams. A line that is not valid UTF-8 makes its row UNDECODABLE.
 * Returns PL_ERR_IO on a read error. */
enum pl_status pl_csv_read_stream(FILE *fp, char delimiter, pl_csv_row_fn on_row, void *ctx);

/* Writer flags. */
enum {
    PL_CSV_BOM = 1,        /* start with a UTF-8 byte order mark, so that Excel reads UTF-8 */
    PL_CSV_EXCEL_SAFE = 2, /* a cell starting with = + - @ (and not a number) is written with a
                              leading apostrophe so that Excel shows it as text */
};

/* The writer gathers a row in PENDING and hands it to the stream when the row ends (or when
 * PENDING is full), in one fwrite: a record stream of a million rows is seventeen million
 * cells, and a stdio call per cell and per comma cost more than the rest of the writing. So
 * nothing of a row reaches OUT before pl_csv_end_row(), and nothing else may be written to
 * OUT between a row's first cell and its end. */
enum { PL_CSV_WRITER_PENDING = 4096 };

struct pl_csv_writer {
    FILE *out;
    unsigned flags;
    size_t column;
    bool started;
    enum pl_status status; /* sticky: the first write error */
    size_t pending_len;
    char pending[PL_CSV_WRITER_PENDING];
};

void pl_csv_writer_init(struct pl_csv_writer *w, FILE *out, unsigned flags);

/* Writes one cell of the current row (quoted if it holds a comma, quote, CR or LF, or starts
 * or ends with a space). Errors are sticky: see pl_csv_writer_status(); a write error shows
 * there once the row has ended. */
void pl_csv_write_cell(struct pl_csv_writer *w, const char *s, size_t len);
void pl_csv_write_str(struct pl_csv_writer *w, const char *s);
void pl_csv_write_ulong(struct pl_csv_writer *w, unsigned long v);
/* Ends the row with "\n" and writes it to the stream. */
void pl_csv_end_row(struct pl_csv_writer *w);
/* Writes N NUL-terminated cells (NULL is written empty) and ends the row. */
void pl_csv_write_row(struct pl_csv_writer *w, const char *const *cells, size_t n);

/* PL_OK, or PL_ERR_IO when any write of the rows ended so far failed. */
enum pl_status pl_csv_writer_status(const struct pl_csv_writer *w);

/* True when Excel would take a cell starting with S[0..LEN) for a formula. */
bool pl_csv_looks_like_formula(const char *s, size_t len);

#endif
