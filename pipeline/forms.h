/*
 * forms — the blank returns sent to the host units before a cycle, one per unit.
 *
 * For every unit that hosts a task and is not a collective (县政府各部门, 各镇街 … are not
 * demanded from, DESIGN.md), a form named after the unit (see safename) holding one row per
 * task the unit hosts, and one more per indicator of the task (indicators.csv), pre-filled
 * with 任务编号, 工作任务, 牵头领导, 指标, 目标值 and 承办单位, and the columns the unit fills:
 * 责任人, 联系电话, 完成进度, 状态, 完成值, 进展情况, 存在问题, 下步措施, 填报日期. The header
 * names are the return's own (DESIGN.md), so a filled form is read back by ducha-read as it
 * is; 工作任务, 牵头领导 and 目标值 are there for the unit's eyes only.
 *
 * CSV forms have a title row with the unit's name and the cycle, an instructions row with the
 * deadline, the header, the rows, and a signature row (填报人：…), all of which ducha-read
 * skips; they are UTF-8 with a BOM (so that Excel opens them as UTF-8) or GBK on request.
 * XLSX forms have the same rows with the input cells unlocked and the rest protected without
 * a password (rows may be inserted), three open spare rows below the pre-filled ones, an open
 * signature row, a drop-down list for 状态, 0–100 for 完成进度 and a date check on 填报日期.
 * Both say how to return them (the file itself, as it is) and give the cycle's deadline as
 * the example date, which the date check accepts.
 *
 * The module reads the catalog and writes files; it prints nothing.
 */
#ifndef PL_FORMS_H
#define PL_FORMS_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "status.h"

enum pl_forms_format { PL_FORMS_CSV, PL_FORMS_XLSX };

struct pl_forms_options {
    const char *catalog; /* the catalog directory */
    const char *cycle;   /* the cycle's id, as in cycles.csv */
    const char *outdir;  /* created if missing */
    enum pl_forms_format format;
    bool gbk;          /* CSV in GBK rather than UTF-8 with a BOM */
    long long created; /* XLSX created date, or -1 for the cycle's start */
};

/* The status drop-down's values, NULL-terminated: 已完成, 序时推进, 滞后, 未启动. */
extern const char *const pl_forms_status_values[];

/* Writes every unit's form into OPT->outdir. *WRITTEN (if not NULL) gets how many. Fails
 * with PL_ERR_OPEN (a catalog file is missing), PL_ERR_CONFIG (the catalog is malformed or
 * lacks the cycle), PL_ERR_CREATE or PL_ERR_IO (an output), PL_ERR_NOMEM. A form that cannot
 * be written in GBK (a character GBK lacks) is reported (E_UNENCODABLE) and left out, the
 * others are written, and PL_ERR_DATA is returned. */
enum pl_status pl_forms_write(const struct pl_forms_options *opt, size_t *written,
                              struct pl_diag *diag);

#endif
