/*
 * manifest — SHA-256 of files, and the MANIFEST.sha256 of a cycle's output folder.
 *
 * The manifest records exactly which inputs made which outputs: one line per file, in the
 * format of sha256sum(1) ("HEX  PATH"), sorted by path, paths relative to the output folder
 * (inputs too, through ../), so that `sha256sum -c MANIFEST.sha256` run in the folder checks
 * everything, and two runs on the same inputs give the same manifest. The hashing is
 * nettle's (Debian's nettle-dev): no hand-written digest.
 */
#ifndef PL_MANIFEST_H
#define PL_MANIFEST_H

#include <stddef.h>

#include "buf.h"
#include "status.h"

/* Appends the 64 hexadecimal digits of PATH's SHA-256 to HEX. PL_ERR_OPEN, PL_ERR_IO. */
enum pl_status pl_sha256_file(const char *path, struct pl_buf *hex);

struct pl_manifest {
    char **lines; /* "HEX  PATH" */
    size_t n, cap;
};

void pl_manifest_init(struct pl_manifest *m);
void pl_manifest_fini(struct pl_manifest *m);

/* Hashes FILE (through a symbolic link: its content) and records it under the name SHOWN
 * (relative to the output folder). */
enum pl_status pl_manifest_add(struct pl_manifest *m, const char *file, const char *shown);

/* Hashes every regular file below DIR (recursively), recording each as PREFIX + its path
 * below DIR, skipping names listed in SKIP (NULL-terminated; compared with the path below
 * DIR). A symbolic link to a regular file is recorded under its own name with its target's
 * content; a link to a folder is not followed. */
enum pl_status pl_manifest_add_tree(struct pl_manifest *m, const char *dir, const char *prefix,
                                    const char *const *skip);

/* Appends one manifest line for the 64 hexadecimal digits HEX and the file NAME to OUT, as
 * sha256sum(1) writes it: "HEX  NAME\n", or, when NAME holds a backslash, a newline or a
 * carriage return, "\HEX  " and NAME with those written \\, \n and \r. PL_ERR_NOMEM. */
enum pl_status pl_manifest_line(struct pl_buf *out, const char *hex, const char *name);

/* Writes the sorted lines to PATH (through a temporary file, flushed to disk), each as
 * pl_manifest_line() writes it, so that `sha256sum -c` verifies any name. */
enum pl_status pl_manifest_write(struct pl_manifest *m, const char *path);

/* What became of one file between two manifests. */
enum pl_manifest_change {
    PL_MANIFEST_NEW,     /* only in the new manifest */
    PL_MANIFEST_CHANGED, /* in both, with another hash */
    PL_MANIFEST_REMOVED, /* only in the old manifest */
};

/* Called for each file that differs, in the order of the paths; PATH is as the manifest line
 * writes it (escaped where sha256sum(1) escapes) and lives until the call returns. */
typedef void (*pl_manifest_change_fn)(void *ctx, enum pl_manifest_change change,
                                      const char *path);

/* Compares the manifest files OLD_PATH and NEW_PATH (as pl_manifest_write() writes them; a
 * line that is not "HEX  PATH" is ignored), calling ON_CHANGE with CTX for every file new,
 * changed or removed, and sets *CHANGES to their number (0: the two list the same files with
 * the same content). ON_CHANGE may be NULL. PL_ERR_OPEN when either file cannot be opened,
 * PL_ERR_IO, PL_ERR_NOMEM. */
enum pl_status pl_manifest_compare(const char *old_path, const char *new_path,
                                   pl_manifest_change_fn on_change, void *ctx, size_t *changes);

#endif
