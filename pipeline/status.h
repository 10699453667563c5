/*
 * status — the library's one error enumeration and its exit-code mapping.
 *
 * Every library call that can fail returns an enum pl_status. pl_strerror() words each value
 * for a person; pl_status_exit_code() maps it to the sysexits code a program ends with. The
 * module knows nothing of files or messages: diagnostics go through the diag module.
 */
#ifndef PL_STATUS_H
#define PL_STATUS_H

enum pl_status {
    PL_OK = 0,
    PL_ERR_NOMEM,    /* an allocation failed */
    PL_ERR_USAGE,    /* the caller's arguments are wrong */
    PL_ERR_OPEN,     /* an input could not be opened or read at all */
    PL_ERR_IO,       /* a read or write failed part-way */
    PL_ERR_CREATE,   /* an output could not be created */
    PL_ERR_DATA,     /* the input is not usable data */
    PL_ERR_ENCODING, /* the input's bytes do not decode in any accepted encoding */
    PL_ERR_CONFIG,   /* a configuration file (rules, template, catalog) is wrong */
    PL_ERR_INTERNAL, /* a bug: a state the code should never reach */
    PL_STATUS_COUNT
};

/* A short English description of STATUS; a static string, never NULL (also for values out of
 * range, which read as "unknown status"). */
const char *pl_strerror(enum pl_status status);

/* The <sysexits.h> code a program exits with when a call failed with STATUS (0 for PL_OK). */
int pl_status_exit_code(enum pl_status status);

#endif
