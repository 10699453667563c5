/*
 * inbox — every file a returns folder holds, and what becomes of each.
 *
 * Units' returns arrive as files in a folder, in subfolders (补报/), in zips made on Windows,
 * beside an editor's lock files and an OS's litter. This module lists every one of them, so
 * that nothing in the folder goes unmentioned: files to read (a zip's members too), files
 * ignored (lock files ~$*, .~lock*#; Thumbs.db, .DS_Store, desktop.ini, __MACOSX/ and ._*;
 * other hidden files), and files refused (a symlink leading out of the folder, a device or
 * FIFO, a zip that is damaged, encrypted or nested in another), each with its reason. Names
 * are shown as UTF-8: a GBK name left by unzipping a Windows archive is converted from
 * GB18030, anything else is escaped as \xNN, and neither ever stops a run.
 *
 * It does not read returns (see returns) and does not write the register (ducha-read does).
 */
#ifndef PL_INBOX_H
#define PL_INBOX_H

#include <stdbool.h>
#include <stddef.h>

#include "buf.h"
#include "diag.h"
#include "status.h"

enum pl_inbox_status {
    PL_INBOX_READ,    /* to be read as a return */
    PL_INBOX_ARCHIVE, /* a zip of returns: its members follow it in the list */
    PL_INBOX_IGNORED, /* not a return, named and left alone */
    PL_INBOX_REFUSED, /* not read, for a reason the office must know */
};

struct pl_inbox_entry {
    char *path;   /* the file on disk, as the file system spells it; for a member, its zip */
    char *member; /* a zip member's name as stored, or NULL */
    size_t member_index;
    char *shown;  /* UTF-8: the path as given on the command line plus the names below it */
    char *rel;    /* the path relative to the folder given (raw bytes), or the path itself */
    enum pl_inbox_status status;
    const char *code; /* for IGNORED and REFUSED: a stable code (W_IGNORED_FILE …) */
    char *why;        /* for IGNORED, REFUSED and ARCHIVE: the reason, in Chinese */
};

struct pl_inbox {
    struct pl_inbox_entry *entries;
    size_t count, cap;
};

void pl_inbox_init(struct pl_inbox *in);
void pl_inbox_fini(struct pl_inbox *in);

/* Adds ARG as a command line names it: a folder is walked (subfolders included, names in
 * byte order), a zip that is not a workbook is opened and its members listed after it, any
 * other path is one entry to read (a missing file too: the reader then says it cannot be
 * opened). "-" is standard input. PL_ERR_NOMEM; a folder that cannot be listed is an entry
 * refused, not a failure. */
enum pl_status pl_inbox_add(struct pl_inbox *in, const char *arg);

/* Writes the zip member E to a new temporary file (in $TMPDIR or /tmp) and sets *PATH to its
 * name, which the caller unlinks and frees. A member that cannot be extracted (damaged,
 * encrypted) is reported to DIAG under E->shown and gives PL_ERR_DATA; PL_ERR_CREATE when the
 * temporary file cannot be written; PL_ERR_NOMEM. */
enum pl_status pl_inbox_extract(const struct pl_inbox_entry *e, struct pl_diag *diag,
                                char **path);

/* Appends the UTF-8 form of the file name NAME[0..LEN) to OUT: as it is when it is UTF-8,
 * converted when it is GB18030, else with every byte that does not decode written \xNN. */
enum pl_status pl_inbox_display_name(struct pl_buf *out, const char *name, size_t len);

#endif
