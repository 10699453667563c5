/*
 * tasktable — a task table (任务分解表) read into key tasks: a workbook's sheet, a CSV file or a
 * Word table, as rows of cells.
 *
 * The caller collects the rows (pl_taskgrid_add); this module finds the header row among the
 * first rows (the ones above it are the title) and reads the rows below it into key tasks of
 * the catalog. Columns are recognised by their headers, spaces and a trailing note in
 * parentheses aside (完成时限（月）):
 *   序号/编号; 类别/领域; 任务/工作任务/任务内容/重点工作/重点任务/目标任务;
 *   牵头领导/责任领导/分管领导/牵头县领导/责任县领导; 牵头单位/承办单位/主办单位/主要责任单位;
 *   责任单位; 配合单位/协办单位/参与单位/其他责任单位; 完成时限/时间节点/完成时间.
 * A header row has a task column and a unit or leader column; a header split over two rows
 * (责任单位 over 牵头单位 | 配合单位) is read as one. Any other header is reported
 * (W_TABLE_COLUMN) and its column left out, never guessed.
 * Rules, by column:
 *  - hosts: the 牵头 column (牵头单位 and synonyms); without one, the 责任单位 column: its units
 *    marked （牵头） if any, else all of them when a co-unit column exists, else its first unit
 *    (the others are co-units); the mark （牵头） is removed from names wherever it is;
 *  - co-units: the co-unit column, after the 责任单位 units not taken as hosts;
 *  - a merged cell: a Word table's vertical merges and a workbook's merged ranges (.xlsx
 *    <mergeCells>, .xls MERGEDCELLS) mark the cells they cover below their first row, and those
 *    inherit the cell above in every column; a CSV file cannot say what was merged, and leaves
 *    the cells empty, so there an empty cell inherits the one above in the columns a merge
 *    usually spans — 类别, leaders and hosts (across a change of 类别 with W_CELL_INHERITED) —
 *    and means "none" in the others (co-units, time: inheriting there would invent a duty or a
 *    deadline); an empty cell of a workbook that no range covers is read the same way;
 *  - 类别 (or a row whose only filled cell is a heading, 一、经济发展) is the task's section;
 *  - the task's id is its place in the table (1, 2, …); a 序号 that differs is reported
 *    (W_TASK_NUMBER_ORDER, W_TASK_NUMBER_MISSING);
 *  - the time column gives the task's due date (pl_doc_due_cell(); W_DUE_NO_YEAR when a cell
 *    needs the year and the document gives none);
 *  - a row without task text is left out (E_TABLE_ROW); a row repeating the header (a table
 *    continued on another page) is skipped; a task without a host is E_TASK_NO_HOST, without a
 *    leader (in a table with a leader column) E_TASK_NO_LEADER.
 */
#ifndef PL_TASKTABLE_H
#define PL_TASKTABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "catalog.h"
#include "diag.h"
#include "unitnames.h"

struct pl_taskgrid_row {
    char **cells; /* NUL-terminated UTF-8, trimmed */
    unsigned char *merged; /* 1 where the cell continues a vertical merge (Word tables) */
    size_t n;
    unsigned long line; /* the row's number in messages: a sheet's row, a CSV line */
};

struct pl_taskgrid {
    struct pl_taskgrid_row *rows;
    size_t n, cap;
};

void pl_taskgrid_init(struct pl_taskgrid *g);
void pl_taskgrid_fini(struct pl_taskgrid *g);

/* Appends a copy of the row CELLS[0..N) (MERGED may be NULL: nothing merged) numbered LINE.
 * PL_ERR_NOMEM. */
enum pl_status pl_taskgrid_add(struct pl_taskgrid *g, const char *const *cells, size_t n,
                               const unsigned char *merged, unsigned long line);

/* The index of the header row among the grid's first rows, or -1 when there is none. */
long pl_taskgrid_header(const struct pl_taskgrid *g);

/* True when some row among the first ones names two columns of a task table, one of them a
 * unit or leader column, although no header row was found: the task column is missing. */
bool pl_taskgrid_near_miss(const struct pl_taskgrid *g);

/* The table's title: the text of the first non-empty row above the header (its cells joined),
 * appended to OUT; nothing when there is none. */
enum pl_status pl_taskgrid_title(const struct pl_taskgrid *g, size_t header, struct pl_buf *out);

/* Reads the rows of G below its header row HEADER into key tasks of CAT, noting unit names in
 * REG; YEAR (0 when unknown) dates the time column's cells. Problems go to DIAG against FILE.
 * PL_ERR_DATA when no task was read (E_NO_TASKS), PL_ERR_NOMEM. */
enum pl_status pl_tasktable_parse(const struct pl_taskgrid *g, size_t header, const char *file,
                                  int year, struct pl_catalog *cat, struct pl_unitreg *reg,
                                  struct pl_diag *diag);

#endif
