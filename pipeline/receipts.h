/*
 * receipts — what each unit must mend: the cycle's receipts (回执) and the list for 催报.
 *
 * From the catalog, the cycle's merged (or rated) rows, its records and the rejects files of
 * ducha-read and ducha-check, it works out for every unit asked for a return (a host of a
 * demanded pair in the merged rows) its demanded tasks and what became of each (accepted with
 * its progress and colour, 报送有误, 未报送), each rejected row with where it stands in the
 * unit's file (落实情况!G5 for a workbook, 第5行（完成进度） for a CSV file), the problem and how
 * to mend it (the Chinese message the rejects carry, split at its "：请…"), and the deadline
 * for a corrected return (the cycle's deadline plus the rules' [late] error_after_days).
 *
 * Rejected rows are attributed to units leniently, as ducha-merge attributes them: the raw
 * unit cell resolved through the catalog's names and aliases; failing that, the one unit the
 * other rows of the same file name (records and rejects together); failing that the row is
 * unattributed and listed in index.csv on a row of its own (报送情况 无法确定单位) with its
 * file and line in the notes. A catalog unit that is not demanded (a co-unit) but sent rows that
 * were rejected gets a receipt too: it sent something that must be mended.
 *
 * The writers: one workbook per unit (receipts/<unit>.xlsx, names through safename), the
 * index (index.csv, UTF-8 with BOM, Chinese headers, for phoning and mail-merge), and the 催报
 * list (text or a workbook) of the units that still owe a return or must mend one. The module
 * neither reads rules files nor runs programs: the caller gives the grace days.
 */
#ifndef PL_RECEIPTS_H
#define PL_RECEIPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "catalog.h"
#include "diag.h"
#include "status.h"

/* What became of a demanded task. */
enum pl_receipt_state {
    PL_RECEIPT_ACCEPTED, /* a valid return was taken */
    PL_RECEIPT_RETURNED, /* 报送有误: every row the unit sent for it was rejected */
    PL_RECEIPT_MISSING,  /* 未报送: nothing came */
};

/* A unit's standing, for index.csv's 报送情况. */
enum pl_receipt_standing {
    PL_RECEIPT_PASSED,       /* 全部通过: every demanded task accepted, no row rejected */
    PL_RECEIPT_MEND,         /* 需修改: rows rejected, or tasks still missing beside others sent */
    PL_RECEIPT_NOT_REPORTED, /* 未报送: nothing came from the unit */
};

struct pl_receipt_task {
    char *task_id;  /* canonical (17, M1-2) */
    char *title;    /* the catalog's title, else the start of the task's text */
    enum pl_receipt_state state;
    bool demanded;  /* false for a report on a task demanded from nobody (W_NOT_DEMANDED) */
    char *progress; /* as merged/rated write it; "" when none */
    char *colour;   /* blue, yellow, red; "" when the input has no colours */
    char *reason;   /* rated's reason; "" when none */
};

struct pl_receipt_reject {
    char *source;   /* the file as ducha-read named it */
    unsigned long line;
    char *task_id;  /* as the unit wrote it */
    char *task;     /* canonical, when it names a task of the catalog; else "" */
    char *unit_raw; /* the unit cell as written */
    char *where;    /* 落实情况!G5, 第5行（完成进度） */
    char *problem;  /* the message without its cell prefix and its "请…" */
    char *fix;      /* how to mend it: the message's "请…" part, or a general sentence */
    char *code;     /* E_… */
};

struct pl_receipt {
    const struct pl_unit *unit; /* the catalog's; lives as long as the catalog */
    bool demanded;              /* a host of a demanded pair (else a co-unit with rejects) */
    struct pl_receipt_task *tasks;
    size_t ntasks;
    struct pl_receipt_reject *rejects;
    size_t nrejects;
    size_t accepted, returned, missing; /* demanded tasks by state */
    enum pl_receipt_standing standing;
    char *file; /* the receipt's file name (县财政局.xlsx), set by pl_receipts_write() */
};

struct pl_receipts {
    const struct pl_catalog *catalog; /* borrowed: must outlive this */
    char *cycle, *label;              /* 2023H1, 2023年上半年 */
    long deadline, fix_deadline;      /* days since the epoch; -1 when cycles.csv has none */
    char *office;                     /* document.csv office, else 县政府督查室 */
    struct pl_receipt *units;         /* in units.csv's order */
    size_t count;
    struct pl_receipt_reject *unattributed; /* rejected rows no unit could be found for */
    size_t nunattributed;
};

struct pl_receipts_input {
    const struct pl_catalog *catalog; /* read and indexed; borrowed, must outlive the result */
    const char *cycle;                /* the cycle's id in cycles.csv */
    const char *merged;   /* merged.csv or rated.csv (colour and reason are used when there) */
    const char *records;  /* records.csv of ducha-read, or NULL: only for attribution */
    const char *const *rejects; /* ducha-read's and ducha-check's rejects files */
    size_t nrejects;
    long grace_days; /* rules [late] error_after_days */
};

/* Builds R (caller storage, set up here; release with pl_receipts_fini() also on failure)
 * from IN. Files that cannot be read are reported to DIAG: PL_ERR_OPEN (a missing file),
 * PL_ERR_DATA (no unit or task_id column, or the cycle unknown); PL_ERR_NOMEM. A rejects file
 * may name its columns in ASCII (source, line, task_id, unit, code, column, error) or with the
 * Chinese headers of the return form (任务编号, 承办单位, …). */
enum pl_status pl_receipts_build(struct pl_receipts *r, const struct pl_receipts_input *in,
                                 struct pl_diag *diag);

void pl_receipts_fini(struct pl_receipts *r);

/* Word of a state or standing (已采用, 报送有误, 未报送; 全部通过, 需修改, 未报送): static. */
const char *pl_receipt_state_word(enum pl_receipt_state s);
const char *pl_receipt_standing_word(enum pl_receipt_standing s);

/* Writes DIR/<unit>.xlsx for every receipt and DIR/index.csv (DIR is created when missing),
 * each written whole or not at all. CREATED is the workbooks' date (seconds since the epoch).
 * PL_ERR_CREATE, PL_ERR_IO, PL_ERR_NOMEM, reported to DIAG. */
enum pl_status pl_receipts_write(struct pl_receipts *r, const char *dir, long long created,
                                 struct pl_diag *diag);

/* Writes index.csv to OUT: UTF-8 with a BOM, headers 单位, 联系人, 电话, 报送情况, 需修改条数,
 * 未报送任务数, 邮箱, 回执, 备注; one row per receipt, then one per unattributed rejected row.
 * PL_ERR_IO when a write failed. */
enum pl_status pl_receipts_write_index(const struct pl_receipts *r, FILE *out);

/* The 催报 list for a person: the units that have not reported and those that must mend
 * their returns, with their contacts, what they owe, and the unattributed rows. TODAY (days
 * since the epoch, or -1) gives the days left before the deadline. PL_ERR_IO. */
enum pl_status pl_receipts_print_status(const struct pl_receipts *r, long today, FILE *out);

/* The same list as a workbook at PATH (one sheet, printable). PL_ERR_CREATE, PL_ERR_IO. */
enum pl_status pl_receipts_write_status_xlsx(const struct pl_receipts *r, long today,
                                             const char *path, long long created,
                                             struct pl_diag *diag);

#endif
