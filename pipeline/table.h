/*
 * table — a small CSV file with a header, held in memory and read by column name.
 *
 * For the files the pipeline keeps whole: the catalog, the rated rows of a cycle, the ranks,
 * the rules' tables. (The record stream, which can hold a million rows, is read row by row
 * with csv instead.) pl_table_read() reads the file through the same reader as returns
 * (encoding): UTF-8 with or without a BOM (a catalog saved back from Excel has one), GBK or
 * GB18030 (Excel and WPS on Chinese Windows), UTF-16 with a BOM, LF or CRLF; column numbers in
 * its messages are spreadsheet columns (A = 1). pl_table_read_stream() takes UTF-8 only (the
 * pipeline's own streams). Every row must have as many cells as the header: a ragged row
 * is reported with its line (E_RAGGED_ROW) and the read fails, since these files are made by
 * programs or edited by staff who must fix them.
 */
#ifndef PL_TABLE_H
#define PL_TABLE_H

#include <stddef.h>
#include <stdio.h>

#include "diag.h"

struct pl_table {
    size_t ncols;
    char **names;          /* the header's cells */
    size_t nrows;
    char ***rows;          /* rows[i][j]: NUL-terminated, never NULL; read them with
                            * pl_table_get, which knows the columns left out (slot) */
    int *slot;             /* pl_table_read_columns: each column's index in a row, -1 when
                            * its cells were not kept; NULL: every column is kept */
    unsigned long *lines;  /* the line where each row starts */
    char *source;          /* the name used in messages */
};

/* Reads the CSV file at PATH into T (which the caller then frees with pl_table_free). Fails
 * with PL_ERR_OPEN (E_UNREADABLE, E_NOT_A_FILE) or PL_ERR_DATA (E_EMPTY_FILE, E_BINARY_FILE,
 * E_ENCODING_UNKNOWN, E_UNDECODABLE for a line in another encoding than the rest,
 * E_RAGGED_ROW, E_UNTERMINATED_QUOTE), each reported to DIAG. */
enum pl_status pl_table_read(const char *path, struct pl_table *t, struct pl_diag *diag);

/* pl_table_read keeping the cells of the NKEEP columns named in KEEP only: every other cell
 * reads as "" through pl_table_get (the header keeps all its names, and the file is checked
 * as a whole as before; a row holds pointers for the kept columns only). For a large file of which a program shows a few columns: a province's rated
 * file is 55 MB, a third of it narratives the circular never prints. */
enum pl_status pl_table_read_columns(const char *path, const char *const *keep, size_t nkeep,
                                     struct pl_table *t, struct pl_diag *diag);

/* The same from an open stream; SOURCE names it in messages. */
enum pl_status pl_table_read_stream(FILE *fp, const char *source, struct pl_table *t,
                                    struct pl_diag *diag);

/* The index of the column named NAME, or -1. */
int pl_table_column(const struct pl_table *t, const char *name);

/* Checks that every one of the N columns in NAMES exists; reports each that does not
 * (E_MISSING_COLUMN, naming the columns the file has) and returns PL_ERR_DATA. */
enum pl_status pl_table_require(const struct pl_table *t, const char *const *names, size_t n,
                                struct pl_diag *diag);

/* The cell of ROW in column COL; "" when COL is -1. ROW must be below nrows. */
const char *pl_table_get(const struct pl_table *t, size_t row, int col);

/* Frees what T holds; T may be zeroed or already freed. */
void pl_table_free(struct pl_table *t);

#endif
