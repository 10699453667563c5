/*
 * summary — the cycle's summary workbook, and one workbook per lead leader, from the
 * catalog, the rated rows (ducha-rate) and the ranks (ducha-rank).
 *
 * The summary workbook holds five sheets: 总表 (every (task, host) row in catalog order:
 * 编号, 工作任务, 牵头领导, 承办单位, 责任人, 完成进度, 序时进度, 状态, 颜色, 较上期, 进展情况,
 * 存在问题, 下步措施, 填报日期, 逾期), 民生实事 (the livelihood items), 未报送及逾期 (missing
 * and late returns by unit), 单位排名 (scores, ranks and places moved, by group) and 统计
 * (counts by colour per leader and per kind, with a stacked bar chart). A leader's workbook
 * holds the 总表 rows of the tasks that leader leads, with that leader's counts at the top;
 * the tasks of a collective leader (各位县长) are in every leader's workbook, marked as
 * shared. Every sheet has a title row naming the cycle, a colour legend, a frozen header
 * with an autofilter, and print setup for A4 (see xlsx).
 *
 * Inputs are read whole by column name (table): CATALOG/tasks.csv, units.csv (optional: it
 * orders units), cycles.csv, document.csv (optional: the issuer becomes the workbook's
 * company); the rated and ranks files with the columns of DESIGN.md. The module reads files
 * and writes workbooks; it prints nothing (problems go to the diagnostics sink).
 */
#ifndef PL_SUMMARY_H
#define PL_SUMMARY_H

#include <stddef.h>

#include "diag.h"
#include "status.h"

struct pl_summary_options {
    const char *catalog; /* the catalog directory */
    const char *rated;   /* the rated rows */
    const char *ranks;   /* the ranks */
    const char *cycle;   /* the cycle's id; NULL: the rated rows' cycle column, else the one
                            cycle whose expected progress they carry */
    long long created;   /* the workbooks' created date (seconds since the epoch), or -1 for
                            the cycle's deadline */
};

struct pl_summary;

/* Reads the inputs. Fails with PL_ERR_OPEN (a file could not be read), PL_ERR_DATA (the
 * rated or ranks file lacks a column or is malformed), PL_ERR_CONFIG (the catalog is
 * malformed or lacks the cycle), PL_ERR_USAGE (the cycle cannot be told: give it), or
 * PL_ERR_NOMEM, each reported to DIAG. Values that cannot be shown as meant (an unknown
 * colour, a task the catalog lacks) are warned about and shown as written. */
enum pl_status pl_summary_load(struct pl_summary **out, const struct pl_summary_options *opt,
                               struct pl_diag *diag);

/* Writes the summary workbook to PATH (atomically). The status of the writing: see
 * pl_xlsx_close(). */
enum pl_status pl_summary_write(const struct pl_summary *s, const char *path, struct pl_diag *diag);

/* Writes one workbook per lead leader (collective leaders excepted) into DIR, which is
 * created if missing, each named after its leader (朱亚峰.xlsx; see safename). *WRITTEN (if
 * not NULL) gets how many were written. PL_ERR_CREATE when DIR cannot be made. */
enum pl_status pl_summary_write_leaders(const struct pl_summary *s, const char *dir,
                                        size_t *written, struct pl_diag *diag);

/* How many rated rows were read. */
size_t pl_summary_rows(const struct pl_summary *s);

void pl_summary_free(struct pl_summary *s);

/* True when NAME is a collective leader, whose tasks every leader shares: a name starting
 * with 各位 (各位县长, 各位副县长). */
int pl_summary_leader_is_collective(const char *name);

#endif
