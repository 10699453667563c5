/*
 * diag — the diagnostics sink through which the library reports problems.
 *
 * The library never prints. Every problem it finds in data (a ragged row, an undecodable
 * byte, a missing header) is reported here with where it happened and a stable code; the
 * program decides where it goes (stderr, a log, a test's buffer). Codes starting with "E_"
 * are errors (something was rejected or skipped), "W_" warnings (nothing was lost).
 */
#ifndef PL_DIAG_H
#define PL_DIAG_H

#include <stdio.h>

#include "buf.h"

enum pl_severity { PL_SEV_WARNING, PL_SEV_ERROR };

/* One problem. FILE may be NULL (no file), LINE and COLUMN 0 (unknown). All strings are
 * borrowed for the duration of the emit call. */
struct pl_diagnostic {
    enum pl_severity severity;
    const char *file;
    unsigned long line;
    unsigned long column;
    const char *code;
    const char *message;
};

struct pl_diag {
    void (*emit)(void *ctx, const struct pl_diagnostic *d);
    void *ctx;
    unsigned long errors;
    unsigned long warnings;
};

/* Sets up a sink calling EMIT with CTX for every report; EMIT may be NULL (count only). */
void pl_diag_init(struct pl_diag *d, void (*emit)(void *ctx, const struct pl_diagnostic *),
                  void *ctx);

/* Reports one problem; the severity follows from CODE's prefix ("W_" warns, else error).
 * D may be NULL (the report is dropped). When the message cannot be formatted for lack of
 * memory, CODE alone is reported. */
void pl_diag_report(struct pl_diag *d, const char *file, unsigned long line,
                    unsigned long column, const char *code, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* Formats D as "PROGRAM: FILE:LINE:COL: message [CODE]" (parts that are unknown left out)
 * and appends it, with a newline, to OUT. Control characters in FILE and the message are
 * escaped as pl_diag_escape() does, so one report is always one line. */
enum pl_status pl_diag_format(struct pl_buf *out, const char *program,
                              const struct pl_diagnostic *d);

/* Appends S to OUT with every control character (C0 and DEL) escaped: LF, CR and TAB as
 * \n, \r and \t, the others as \xNN (ESC is \x1b); a backslash itself is left as it is.
 * PL_ERR_NOMEM. */
enum pl_status pl_diag_escape(struct pl_buf *out, const char *s);

/* An emit function that writes pl_diag_format()'s line to the FILE * given as CTX, with the
 * program name kept in pl_diag_program. */
void pl_diag_emit_stream(void *ctx, const struct pl_diagnostic *d);
extern const char *pl_diag_program;

/* An emit function that appends the formatted line to the struct pl_buf * given as CTX
 * (program name left out): for tests. */
void pl_diag_emit_buf(void *ctx, const struct pl_diagnostic *d);

#endif
