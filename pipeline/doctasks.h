/*
 * doctasks — 附件1 of the targets document: the numbered key tasks and their labels.
 *
 * Each task is a paragraph "N、text" followed by label lines 牵头领导：… 承办单位：… 协办单位：…
 * (synonyms: 牵头县领导/分管领导/责任领导/责任县领导, 主办单位/牵头单位/主要责任单位, 配合单位/
 * 参与单位/其他责任单位; the colon full-width or ASCII). What documents do and how it is read,
 * by rule:
 *  - tasks are numbered "1、", "1." / "1．", "（1）" / "(1)" or "一是"; the first numbered line
 *    fixes the style, and a line numbered in another style is text (sub-points of a task);
 *  - a heading "一、…" or "（一）…" (Chinese numerals) between tasks ends the task before it
 *    and files the tasks after it under its text, without its number (section 主要预期目标);
 *  - 责任单位 names the hosts when the task has no 牵头单位/承办单位/主办单位/主要责任单位, and
 *    co-units (before the 配合单位 ones) when it has; in a 责任单位 list standing for the hosts,
 *    units marked （牵头） are the hosts and the others co-units; the mark is removed anywhere;
 *  - leaders are optional for a document that names none: E_TASK_NO_LEADER is reported only
 *    when some task of the part has a leader label;
 *  - label lines may start with spaces and one line may hold two labels (split at the second);
 *  - a paragraph without its number ("2、" missing) that is directly followed by labels is a
 *    task; its number is the previous one plus one when the next numbered task confirms it
 *    (W_TASK_NUMBER_MISSING), else it is an error (E_TASK_NUMBER_MISSING) and the task is
 *    left out;
 *  - a paragraph that is neither a task's text nor followed by labels is reported
 *    (E_UNPLACED_TEXT); so is a label the parser does not know (E_UNKNOWN_LABEL), a label
 *    outside any task (E_LABEL_OUTSIDE) or given twice (E_LABEL_DUPLICATE), a number out of
 *    sequence (E_TASK_NUMBER_ORDER) and a task without text, 牵头领导 or 承办单位
 *    (E_TASK_NO_TEXT, E_TASK_NO_LEADER, E_TASK_NO_HOST; the task is kept, incomplete).
 * Names are cut by unitnames and noted in the registry; canonical names come later (docparse).
 */
#ifndef PL_DOCTASKS_H
#define PL_DOCTASKS_H

#include <stdbool.h>
#include <stddef.h>

#include "catalog.h"
#include "diag.h"
#include "docline.h"
#include "unitnames.h"

enum pl_label {
    PL_LABEL_NONE,
    PL_LABEL_LEADERS,
    PL_LABEL_HOSTS,
    PL_LABEL_COHOSTS,
    PL_LABEL_RESPONSIBLE, /* 责任单位: hosts alone, co-units beside 牵头单位 */
    PL_LABEL_UNKNOWN, /* looks like a label (…领导：, …单位：) but is none of the above */
};

/* Recognises a label at the start of S[0..LEN) (leading white space allowed): returns its kind
 * and sets *VALUE to the offset just after its colon. PL_LABEL_NONE for ordinary text. */
enum pl_label pl_doc_label(const char *s, size_t len, size_t *value);

/* The offset in S[0..LEN) where a second known label starts (so that "牵头领导：甲 承办单位：乙"
 * is two labels), or LEN when there is none. */
size_t pl_doc_label_next(const char *s, size_t len);

/* The ways tasks are numbered. */
enum pl_numbering {
    PL_NUM_DIGITS = 1, /* 12、 12． 12. */
    PL_NUM_PAREN,      /* （12） (12) */
    PL_NUM_SHI,        /* 十二是 */
};

/* Recognises a task number "12、" (or "12．", "12." not followed by a digit, "（12）", "(12)",
 * "十二是") at the start of S[0..LEN) after white space: sets *NUM and *TEXT (offset of the
 * text after it), and *STYLE when STYLE is not NULL. */
bool pl_doc_task_number_style(const char *s, size_t len, unsigned long *num, size_t *text,
                              enum pl_numbering *style);
bool pl_doc_task_number(const char *s, size_t len, unsigned long *num, size_t *text);

/* Recognises a section heading "一、主要预期目标" or "（一）…" (Chinese numerals 一 to 九十九):
 * sets *TEXT to the offset of the heading's text after its number. */
bool pl_doc_section_heading(const char *s, size_t len, size_t *text);

/* The title of a task: its text up to the first ，。；：(the whole text when there is none).
 * Appended to OUT. */
enum pl_status pl_doc_task_title(const char *text, size_t len, struct pl_buf *out);

/* Reads LINES[FROM..TO) (the lines after the 附件1 heading) into key tasks of CAT, noting unit
 * names in REG and the attachment's title as fact annex1_title. Problems go to DIAG against
 * FILE. PL_ERR_DATA when no task at all was found, PL_ERR_NOMEM. */
enum pl_status pl_doctasks_parse(const struct pl_doc_lines *lines, size_t from, size_t to,
                                 const char *file, struct pl_catalog *cat, struct pl_unitreg *reg,
                                 struct pl_diag *diag);

/* A task's own deadline read from its TEXT (issue 14 point 9), as an ISO date appended to OUT,
 * in the document's YEAR; OUT is left untouched when the text names none. Only clear phrases
 * count: "N月底前" / "N月末前" / "N月底完成" (the month's last day), "N月(份)(全面)完成|建成|竣工"
 * (the month's last day), "N月M日前", "(YYYY年)年底前" / "年末前" (12-31), "上半年(前)完成"
 * (06-30), "秋季开学前" (08-31). A phrase naming another year (在2022年底的基础上) or no limit
 * (年内) is not a deadline. Several deadlines in one text give the latest (the task is done when
 * its last part is). */
enum pl_status pl_doc_due(const char *text, size_t len, int year, struct pl_buf *out);

/* The deadline a task table's time column (完成时限, 时间节点, 完成时间) gives in its cell
 * TEXT[0..LEN), as an ISO date appended to OUT; OUT is left untouched when the cell names no
 * date (长期坚持, 持续推进, empty). The cell is the deadline itself, so more forms count than in
 * a task's text: a date (2024-08-31, 2024/8/31, 2024年8月31日(前)), a month (8月, 8月底(前),
 * 2024年8月份 → its last day), 年底(前) / 2024年底 / 全年 / 下半年 (12-31), 上半年 (06-30), a
 * quarter (一季度, 第2季度 → its last day); anything else is read as pl_doc_due() reads a text.
 * YEAR is the document's year, used where the cell names none (0: unknown, such a cell gives
 * nothing and sets *NEED_YEAR when NEED_YEAR is not NULL). */
enum pl_status pl_doc_due_cell(const char *text, size_t len, int year, struct pl_buf *out,
                               bool *need_year);

#endif
