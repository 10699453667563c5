/*
 * fsutil — outputs that appear whole or not at all.
 *
 * An output file is written under a temporary name in its own directory and renamed over the
 * target only when everything was written and flushed to disk (fsync), and the directory is
 * flushed after the rename, so that a crash, a kill, a power cut or a full disk never leaves
 * half a file in place (DESIGN.md: outputs are written to a temporary file and renamed into
 * place; what is published survives a power cut). A whole folder of outputs is ducha-cycle's
 * business (cycle.h).
 *
 * Files below the folder named by the environment variable DUCHA_STAGING are put in place
 * without these flushes: ducha-cycle sets it, for the stages it runs, to its staging folder,
 * which it flushes whole, every file and folder, before it publishes it (ducha-cycle(1),
 * ENVIRONMENT). Everything else is flushed as said below.
 */
#ifndef PL_FSUTIL_H
#define PL_FSUTIL_H

#include <stdbool.h>
#include <stdio.h>

#include "diag.h"
#include "status.h"

struct pl_atomic_file {
    FILE *fp;        /* write here */
    char *path;      /* the target */
    char *tmp_path;  /* where it is written meanwhile */
};

/* Creates the temporary file beside PATH. On failure reports E_CANNOT_CREATE to DIAG and
 * returns PL_ERR_CREATE. */
enum pl_status pl_atomic_open(struct pl_atomic_file *f, const char *path, struct pl_diag *diag);

/* Flushes, syncs and closes the file, renames it over the target and syncs the directory. On a write error the
 * temporary file is removed, E_WRITE is reported and PL_ERR_IO returned (PL_ERR_CREATE when the
 * rename fails). Either way F's resources are released. */
enum pl_status pl_atomic_commit(struct pl_atomic_file *f, struct pl_diag *diag);

/* Like pl_atomic_commit() (flushed, closed, renamed into place: no reader sees half a file)
 * but without the fsync of the file and its folder: for a program writing thousands of files
 * into one folder, which then calls pl_sync_folder() once. Same errors as pl_atomic_commit(). */
enum pl_status pl_atomic_commit_unsynced(struct pl_atomic_file *f, struct pl_diag *diag);

/* Puts everything written under DIR on the disk, names included: one syncfs(2) of DIR's file
 * system, so 9,000 files cost one sync, not 9,000 (nothing when DIR is below DUCHA_STAGING). On failure reports E_WRITE naming DIR and
 * returns PL_ERR_IO (the files are in place but may not survive a crash). */
enum pl_status pl_sync_folder(const char *dir, struct pl_diag *diag);

/* True when PATH (a file or a folder) is below the folder named by DUCHA_STAGING, or is that
 * folder, and has no ".." component: its flush is left to ducha-cycle, and pl_atomic_commit()
 * and pl_sync_folder() do not flush it. False when DUCHA_STAGING is unset or empty. */
bool pl_sync_deferred(const char *path);

/* Closes and removes the temporary file; the target is left as it was. Accepts a file that was
 * never opened or is already committed. */
void pl_atomic_abort(struct pl_atomic_file *f);

/* Closes standard output, checking that everything was written. PL_ERR_IO (with E_WRITE
 * reported, naming "standard output") when it was not. */
enum pl_status pl_close_stdout(struct pl_diag *diag);

#endif
