/*
 * cli — what every ducha program does the same way: its name in messages, diagnostics to
 * stderr, --help and --version, usage errors, and the exit-code table.
 *
 * Exit codes (every man page repeats this table): 0 success; 1 finished, but some rows or
 * files were rejected or skipped; 64 usage; 65 unusable data; 66 cannot open input;
 * 70 internal error; 73 cannot create output; 74 I/O error (closing stdout included);
 * 78 bad configuration (rules, template, catalog).
 */
#ifndef PL_CLI_H
#define PL_CLI_H

#include <stdio.h>

#include "diag.h"
#include "status.h"

enum {
    PL_EXIT_OK = 0,
    PL_EXIT_REJECTED = 1,
    PL_EXIT_USAGE = 64,
    PL_EXIT_DATA = 65,
    PL_EXIT_NOINPUT = 66,
    PL_EXIT_INTERNAL = 70,
    PL_EXIT_CANTCREATE = 73,
    PL_EXIT_IO = 74,
    PL_EXIT_CONFIG = 78,
};

/* Sets the program's name for messages and returns a diagnostics sink writing to stderr.
 * The sink lives as long as the program. */
struct pl_diag *pl_cli_init(const char *program);

/* Writes USAGE to stdout and returns 0 (for --help). */
int pl_cli_help(const char *usage);

/* Writes "PROGRAM (ducha) VERSION" to stdout and returns 0 (for --version). */
int pl_cli_version(void);

/* Writes "PROGRAM: MESSAGE" and a pointer to --help to stderr; returns PL_EXIT_USAGE. */
int pl_cli_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The exit code for a failure to read an input: 66 when it could not be opened, 74 for a read
 * error, 70 for lack of memory or a bug, else CODE_IF_BAD (65 for data, 78 for
 * configuration). */
int pl_cli_input_exit(enum pl_status st, int code_if_bad);

/* The worse of two exit codes: anything above 1 beats 1, which beats 0; of two codes above
 * 1 the first stays. */
int pl_cli_worse_exit(int a, int b);

#endif
