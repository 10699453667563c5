/*
 * cycle — one reporting cycle, whole: the chain of ducha programs from the returns to the
 * circular, run so that cron can be trusted with it.
 *
 * For ROOT/input/YEAR/ (the document, catalog/, rules.ini if any, returns/CYCLE/) it runs
 * ducha-import (only when the catalog is missing: an edited catalog is never overwritten),
 * ducha-read, ducha-check, ducha-merge, ducha-rate, ducha-rank, ducha-xlsx (with the leaders'
 * workbooks), ducha-pdf, and ducha-forms for the next cycle, each as its own process.
 *
 * Everything is written into a staging folder beside ROOT/output/YEAR/CYCLE and put in place
 * only when every stage succeeded, by one atomic exchange of the two folders: a crash, a kill
 * or a full disk leaves the previous outputs whole. Every file and folder of the staging
 * folder is flushed to disk (fsync) before the exchange, the parent folder after it, and the
 * old outputs are removed only then, so a power cut leaves the old outputs or the new ones,
 * whole. Where the file system has no exchange (NFS, CIFS) the folders change places by a
 * rename-aside under a marker that the next run completes or rolls back (ducha-cycle(1)).
 * A missing or empty returns folder stops a publishing run (E_NO_RETURNS, 66) unless
 * `allow_empty` is set. A lock (flock on a file beside the
 * folder) keeps a second run from interleaving: it waits, or gives up with a clear message.
 * The folder holds run.log (each stage, its counts, timings and messages) and
 * MANIFEST.sha256 over every input and output but run.log. Dates inside workbooks and the
 * circular come from SOURCE_DATE_EPOCH or, when it is unset, from the cycle's deadline, so
 * two runs on the same inputs give the same outputs and the same manifest.
 *
 * Each unit asked for a return gets a receipt (ducha-receipts: receipts/<unit>.xlsx and
 * receipts/index.csv). The circular's number is the caller's, else cycles.csv `number`, else
 * the year's serial 第N期, kept in ROOT/output/YEAR/.serial (one "CYCLE N" line per cycle
 * numbered so far): a cycle gets the next number the first time it is run and keeps it on
 * every rerun. cycles.csv `issued`, when given, is the circular's date.
 *
 * After the year's last cycle (the latest-ending cycle of cycles.csv that covers every task:
 * its optional `tasks` column blank; of two ending together, the longer) is published, the
 * year's assessment is written as a folder of its own, ROOT/output/YEAR/annual/ (ducha-annual
 * over the year's cycles of that cycle's kind that cover every task, in date order), staged, locked (.annual.lock), with its own run.log and
 * MANIFEST.sha256, and published the same way; the cycle's run.log says so. Rerunning an
 * earlier cycle that the assessment counts, once the last is published, writes the folder
 * again from the cycles as they now stand. When it cannot be written the cycle stays
 * published and the run fails with the annual stage's code.
 *
 * A catalog is new when this run imported it, or when the run waited on the year's catalog
 * lock (input/YEAR/.catalog.lock, taken only when the catalog is missing) for another run that
 * imported it: two cycles started together import it once. The import keeps its messages in
 * catalog/import.log and writes catalog/review.xlsx (the review module) for the office to
 * check. A run with a new catalog publishes no circular: it makes its cycle's forms in
 * ROOT/output/YEAR/forms/CYCLE/ and returns 78 (E_CATALOG_NEW). With `start` set the run is
 * the year's start: the catalog imported when missing, the review written (again), the forms
 * of `cycle` (NULL: the cycle with the earliest deadline) made there, and nothing else.
 *
 * Each publishing run compares its manifest with the published one and logs what changed
 * (returns, catalog, outputs); when nothing did, the published folder is kept as it is and only
 * its run.log is replaced.
 *
 * With `status` set the run publishes nothing: it reads what has arrived so far (ducha-read,
 * ducha-check, ducha-merge) in a private temporary folder, writes the 催报 list of the units
 * that have not reported or must mend their returns to `status_out` (and a workbook when
 * `status_xlsx` is given), and removes the folder. It takes no lock and never touches
 * ROOT/output.
 */
#ifndef PL_CYCLE_H
#define PL_CYCLE_H

#include <stdbool.h>
#include <stdio.h>

#include "diag.h"

struct pl_cycle_options {
    const char *root;  /* the data root holding input/ and output/ */
    const char *year;  /* 2023 */
    const char *cycle; /* 2023H1 */
    bool wait;         /* wait for a running cycle instead of giving up */
    FILE *progress;    /* a line per stage goes here (a terminal), or NULL */
    const char *number; /* the circular's number (嘉政督〔2023〕5号, 第5期), or NULL */
    bool status;        /* only list who still owes a return (催报); publish nothing */
    FILE *status_out;   /* where the 催报 list goes */
    const char *status_xlsx; /* also write it as this workbook, or NULL */
    long today;         /* the date of the 催报 list, days since the epoch, or -1 */
    bool allow_empty;   /* publish even when the cycle's returns folder is missing or empty */
    FILE *log_out;      /* with `status`, a failed stage's log goes here, or NULL */
    bool start;         /* the year's start: import, review.xlsx, the first forms; `cycle` may
                           then be NULL (the cycle with the earliest deadline) */
};

struct pl_cycle_summary {
    unsigned long files, refused_files, rows, records, read_rejected, valid, rejected;
    unsigned long pairs, missing, returned, late, blue, yellow, red; /* returned: 报送有误 */
    unsigned long not_demanded; /* reports on tasks demanded from nobody: in no other count */
    char out_dir[4096];
    char annual_dir[4096]; /* after the year's last cycle: the year's assessment, else "" */
    bool annual_again;     /* annual_dir was remade by an earlier cycle's rerun */
    /* The catalog: 0 checked (there before the run), 1 imported by this run, 2 imported by a
     * run this one waited for; the review's counts; the forms made for `forms_cycle`. */
    int catalog_new;
    unsigned long tasks, units, notes, forms;
    char forms_cycle[256];
    char document[1024];
    bool unchanged; /* nothing changed since the last run: the outputs in place were kept */
};

/* Runs the cycle. Returns the exit code for ducha-cycle: 0 when the outputs were produced
 * (rejected rows are the units' problem, and are in the outputs), else the code of the
 * failure, with a one-line reason reported to DIAG (E_… codes of ducha-cycle(1)). */
int pl_cycle_run(const struct pl_cycle_options *opt, struct pl_diag *diag,
                 struct pl_cycle_summary *summary);

#endif
