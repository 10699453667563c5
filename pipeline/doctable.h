/*
 * doctable — 附件2 of the targets document: the livelihood projects' table, flattened.
 *
 * Word's "save as text" flattens the table: every cell is a line starting with a tab, a cell's
 * further lines follow without a tab (a multi-line cell: a list of units, one per line, blank
 * lines allowed inside), and a blank line followed by a tab line starts the next row. The first
 * row is the header (序号, 项目名称, 项目内容…, 分管领导, 主办单位, 协办单位, in any order and with
 * the usual synonyms). Read by rule:
 *  - an empty cell is a merged cell and inherits the value of the row above (序号 and 项目名称
 *    within a project; leaders and units too, reported as W_CELL_INHERITED when the row above
 *    belongs to another project);
 *  - a project's rows are its items: "（1）…" numbers them (M1-1, M1-2 …); a project with one
 *    item is M<project>; the （k） label is not part of the item's text;
 *  - —— (or —, 无) means none;
 *  - a row whose cell count differs from the header's is reported (E_TABLE_CELLS; at the end
 *    of the file E_TABLE_TRUNCATED) and left out, as is a row that cannot be placed
 *    (E_TABLE_ROW); a missing or unknown header is E_TABLE_HEADER;
 *  - a row starting with 抄送： ends the table: it is the document's distribution list (fact cc).
 * The towns and streets an item enumerates (托育: 嘉祥街道169个，金屯镇51个…) are collected: they
 * are the members of 各镇街.
 */
#ifndef PL_DOCTABLE_H
#define PL_DOCTABLE_H

#include <stddef.h>

#include "catalog.h"
#include "diag.h"
#include "docline.h"
#include "strv.h"
#include "unitnames.h"

/* Reads LINES[FROM..TO) (the lines after the 附件2 heading) into livelihood tasks of CAT,
 * noting unit names in REG, appending enumerated towns to TOWNS and setting facts
 * annex2_title and cc. Problems go to DIAG against FILE. PL_ERR_DATA when there is no table at
 * all, PL_ERR_NOMEM. */
enum pl_status pl_doctable_parse(const struct pl_doc_lines *lines, size_t from, size_t to,
                                 const char *file, struct pl_catalog *cat, struct pl_unitreg *reg,
                                 struct pl_strv *towns, struct pl_diag *diag);

#endif
