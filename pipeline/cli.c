/* cli — shared program plumbing. */
#include "cli.h"

#include <stdarg.h>

#ifndef DUCHA_VERSION
#define DUCHA_VERSION "unknown"
#endif

static struct pl_diag stderr_diag;

struct pl_diag *pl_cli_init(const char *program)
{
    pl_diag_program = program;
    /* A run can report a message per row, a million of them: one write per message would
     * cost more than the work. Messages are flushed at exit, and stdout is never mixed in. */
    setvbuf(stderr, NULL, _IOFBF, 1 << 16);
    pl_diag_init(&stderr_diag, pl_diag_emit_stream, stderr);
    return &stderr_diag;
}

int pl_cli_help(const char *usage)
{
    fputs(usage, stdout);
    return PL_EXIT_OK;
}

int pl_cli_version(void)
{
    printf("%s (ducha) %s\n", pl_diag_program, DUCHA_VERSION);
    return PL_EXIT_OK;
}

int pl_cli_usage_error(const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "%s: ", pl_diag_program);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\nTry '%s --help' for more information.\n", pl_diag_program);
    return PL_EXIT_USAGE;
}

int pl_cli_worse_exit(int a, int b)
{
    if (a > 1)
        return a;
    if (b > 1)
        return b;
    return a > b ? a : b;
}

int pl_cli_input_exit(enum pl_status st, int code_if_bad)
{
    if (st == PL_ERR_OPEN)
        return PL_EXIT_NOINPUT;
    if (st == PL_ERR_NOMEM || st == PL_ERR_INTERNAL)
        return pl_status_exit_code(st);
    return st == PL_ERR_IO ? PL_EXIT_IO : code_if_bad;
}
