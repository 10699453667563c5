/*
 * docx — a Word document (.docx) read as its paragraphs and tables, in document order.
 *
 * Reads word/document.xml of the zip (libzip + expat, streamed; a DOCTYPE is refused, as no
 * OOXML part has one) and gives the body as blocks: a paragraph is its text (runs joined, <w:tab/>
 * a tab, <w:br/> a line break, deleted and moved-away text left out, field codes left out and
 * their results kept); a table is its rows of cells, each cell its paragraphs joined by line
 * breaks, a cell that continues a vertical merge marked as such (its text is empty, as Word
 * shows it), a cell merged across columns given the number of grid columns it covers. A table inside a cell is flattened into that cell's paragraphs. Text boxes and
 * the alternative-content fallbacks Word writes beside them are left out.
 *
 * Word's automatic list numbering is resolved, so that the numbers Word generates and shows are
 * seen as text: numbering.xml's lists (abstract numbering, its levels' start, format and level
 * text, the instances' start overrides) and styles.xml's paragraph styles that carry a
 * numbering (followed through basedOn) give each numbered paragraph its label ("1、",
 * "（一）", "(1)"), counted as Word counts: lists sharing one abstract numbering continue each
 * other unless an instance restarts it, and a level restarts after a shallower level.
 *
 * It does not know what a targets document is: pl_docx_text() writes the blocks in the form of
 * Word's own "save as plain text", which the text importer reads, and the task-table reader
 * takes the tables.
 */
#ifndef PL_DOCX_H
#define PL_DOCX_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "diag.h"
#include "status.h"

struct pl_docx_row {
    char **cells;             /* NUL-terminated UTF-8, paragraphs joined by '\n' */
    unsigned char *continued; /* 1 where the cell continues a vertical merge from above */
    unsigned *span;           /* the grid columns each cell covers (gridSpan), 1 for most */
    size_t ncells;
};

struct pl_docx_block {
    bool is_table;
    char *text; /* a paragraph's text, its list label first; NULL for a table */
    struct pl_docx_row *rows;
    size_t nrows;
};

struct pl_docx {
    struct pl_docx_block *v;
    size_t n;
};

/* What the zip at PATH is: 1 a Word document (it holds word/document.xml), 0 another zip (a
 * workbook, a zip of files), -1 a zip that does not open (cut short, damaged). */
int pl_docx_probe(const char *path);

/* Reads the Word document at PATH (named DISPLAY in messages) into *OUT, freed with
 * pl_docx_free(). A file it cannot read is reported to DIAG as "DISPLAY:0:0: message [CODE]":
 * E_UNREADABLE (PL_ERR_OPEN); E_TRUNCATED_FILE (a zip cut short or damaged), E_ENCRYPTED (a
 * password), E_NOT_A_DOCUMENT (a zip without word/document.xml), E_DOCX_BROKEN (a part that does
 * not parse): PL_ERR_DATA. PL_ERR_NOMEM. */
enum pl_status pl_docx_read(const char *path, const char *display, struct pl_diag *diag,
                            struct pl_docx *out);
void pl_docx_free(struct pl_docx *doc);

/* Appends DOC to OUT as Word saves a document as plain text: a paragraph a line; a table row by
 * row, each cell a line starting with a tab (its further paragraphs on lines of their own), a
 * blank line after each row. PL_ERR_NOMEM. */
enum pl_status pl_docx_text(const struct pl_docx *doc, struct pl_buf *out);

/* Appends N written in Word's number format FMT (numFmt's value: decimal, chineseCounting,
 * upperLetter, decimalEnclosedCircle …; an unknown format writes decimal) to OUT. */
enum pl_status pl_docx_format_number(struct pl_buf *out, const char *fmt, int n);

#endif
