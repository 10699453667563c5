/*
 * header — which column of a unit's return holds which field, and which rows are not data.
 *
 * A return's header names its columns in Chinese (任务编号, 承办单位, …) or in the ASCII names
 * of the record stream (task_id, unit, …); units add stray spaces, full-width parentheses,
 * a unit of measure in brackets (完成进度（%）), a required-field star, and Excel adds a BOM.
 * This module maps such names to record fields, decides whether a row is the header, and
 * recognises the rows around the data that are not data: blank rows and the signature rows
 * below the table (填报人：…, 审核人：…). It does not read files: see returns.
 */
#ifndef PL_HEADER_H
#define PL_HEADER_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "record.h"

struct pl_header_map {
    int column[PL_F_COUNT]; /* cell index of each field, -1 when the return lacks it */
    size_t width;           /* cells in the header row */
    size_t recognised;      /* how many of its cells name a field */
};

/* The field a column name stands for, or PL_F_COUNT. *RANK (if not NULL) gets the name's
 * preference: 0 for the form's own name, higher for looser synonyms (序号 is a weaker task id
 * than 任务编号), so that the better of two candidate columns wins. */
enum pl_field pl_header_field(const char *name, size_t len, int *rank);

/* True for the columns a pre-filled form carries for the unit's reference (工作任务, 牵头领导,
 * 目标值, 协办单位, 完成时限, 序号): they repeat the catalog, so they are not read and not worth
 * a warning. */
bool pl_header_is_reference(const char *name, size_t len);

/* Maps the cells of a candidate header row. Returns true when the row is a header: it names
 * at least the task id and the unit. MAP is filled either way (for the message that lists
 * what a header-less file holds). */
bool pl_header_map_row(const char *const *cells, const size_t *lens, size_t count,
                       struct pl_header_map *map);

/* True when every cell is blank (white space only). */
bool pl_header_row_is_blank(const char *const *cells, const size_t *lens, size_t count);

/* True when a row below the header is a signature or footer line rather than data: its first
 * non-blank cell starts with a Chinese character and holds a signature label (填报人, 审核人,
 * 负责人, 联系电话, 填报日期, 签字, 盖章 …), which no task id or unit name does. */
bool pl_header_row_is_signature(const char *const *cells, const size_t *lens, size_t count);

/* Appends the row's non-blank cells to OUT joined by "、", each cut to 20 characters: the
 * words of a message that says what a file holds instead of a header. */
enum pl_status pl_header_describe_row(struct pl_buf *out, const char *const *cells,
                                      const size_t *lens, size_t count);

#endif
