/*
 * review — the catalog as the office checks it after an import: review.xlsx.
 *
 * ducha-import reads the year's targets document into the catalog, and some of what it reads
 * is a guess (a task number the text left out, a leader carried down a merged cell, two
 * spellings taken for one unit). Before the first forms go out, the office checks the catalog
 * against the document. The review workbook puts on paper what to check: every message of the
 * import and of the catalog's own checks (where, what, its code), every task with its leaders,
 * hosts, co-units, indicators and due date, every unit with its kind (which decides its
 * ranking group), and the year's cycles. Headers are Chinese; each sheet prints on A4, one
 * page wide, its header row repeated.
 *
 * The module writes the workbook only; it reads no file and runs no program (ducha-cycle
 * --start does that), and it knows the catalog only through struct pl_catalog.
 */
#ifndef PL_REVIEW_H
#define PL_REVIEW_H

#include "buf.h"
#include "catalog.h"
#include "diag.h"
#include "status.h"

/* One diagnostic line ("PROGRAM: FILE:LINE:COL: message [CODE]", DESIGN.md) taken apart.
 * The strings are owned by the note; pl_review_note_fini() frees them. */
struct pl_review_note {
    char *where;   /* FILE:LINE[:COL], or "" when the line names no place */
    char *message; /* the message without its code */
    char *code;    /* W_…, E_…, or "" */
};

/* Parses LINE (without its newline) into NOTE: the program's name before the first ": " is
 * dropped, a place is taken when the next part ends in :LINE or :LINE:COL, and a trailing
 * " [CODE]" is the code. A line in no such form is kept whole as the message. PL_ERR_NOMEM. */
enum pl_status pl_review_parse_note(const char *line, struct pl_review_note *note);
void pl_review_note_fini(struct pl_review_note *note);

/* Writes the review workbook of catalog C to PATH (through pl_xlsx: a temporary file renamed
 * into place). NOTES is text of diagnostic lines, one a line (may be NULL or empty: then the
 * first sheet says there was nothing to note). YEAR names the year in the titles; CREATED is
 * the workbook's created date in seconds (SOURCE_DATE_EPOCH's). Problems are reported to
 * DIAG; returns PL_OK, PL_ERR_NOMEM, PL_ERR_CREATE or PL_ERR_IO. */
enum pl_status pl_review_write(const struct pl_catalog *c, const char *notes, const char *year,
                               const char *path, long long created, struct pl_diag *diag);

#endif
