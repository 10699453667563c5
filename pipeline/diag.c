/* diag — the diagnostics sink. */
#include "diag.h"

#include <stdarg.h>
#include <stdint.h>
#include <string.h>

const char *pl_diag_program = "ducha";

void pl_diag_init(struct pl_diag *d, void (*emit)(void *ctx, const struct pl_diagnostic *),
                  void *ctx)
{
    d->emit = emit;
    d->ctx = ctx;
    d->errors = 0;
    d->warnings = 0;
}

void pl_diag_report(struct pl_diag *d, const char *file, unsigned long line,
                    unsigned long column, const char *code, const char *fmt, ...)
{
    if (!d)
        return;
    struct pl_diagnostic diag = {
        .severity = strncmp(code, "W_", 2) == 0 ? PL_SEV_WARNING : PL_SEV_ERROR,
        .file = file,
        .line = line,
        .column = column,
        .code = code,
        .message = code,
    };
    if (diag.severity == PL_SEV_WARNING)
        d->warnings++;
    else
        d->errors++;
    if (!d->emit)
        return;
    struct pl_buf msg;
    pl_buf_init(&msg);
    va_list ap;
    va_start(ap, fmt);
    /* A message put together by the caller ("%s") is used as it is, not copied twice by
     * vsnprintf: some stages report a line for every row of a large input. */
    if (strcmp(fmt, "%s") == 0) {
        const char *given = va_arg(ap, const char *);
        diag.message = given ? given : "(null)"; /* what glibc's printf writes */
    } else if (pl_buf_vprintf(&msg, fmt, ap) == PL_OK)
        diag.message = msg.data;
    va_end(ap);
    d->emit(d->ctx, &diag);
    pl_buf_fini(&msg);
}

/* The length of the start of S that needs no escape: eight bytes a step while none of them is
 * below 0x20 or 0x7F (the usual bit tricks: a byte below N borrows, a byte equal to 0x7F is a
 * zero byte after the xor), then byte by byte. */
static size_t clean_prefix(const char *s, size_t len)
{
    const uint64_t ones = UINT64_C(0x0101010101010101), highs = UINT64_C(0x8080808080808080);
    size_t i = 0;
    for (; i + 8 <= len; i += 8) {
        uint64_t w, del;
        memcpy(&w, s + i, 8);
        del = w ^ (ones * 0x7F);
        if (((w - ones * 0x20) & ~w & highs) || ((del - ones) & ~del & highs))
            break;
    }
    for (; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f)
            break;
    }
    return i;
}

enum pl_status pl_diag_escape(struct pl_buf *out, const char *s)
{
    static const char hex[] = "0123456789abcdef";
    size_t len = strlen(s), clean = clean_prefix(s, len);
    if (clean == len)
        return pl_buf_append(out, s, len); /* nearly every file name and message */
    enum pl_status st = PL_OK;
    const char *run = s;
    s += clean;
    for (; st == PL_OK && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c >= 0x20 && c != 0x7f)
            continue;
        st = pl_buf_append(out, run, (size_t)(s - run));
        char esc[5] = {'\\', 'x', hex[c >> 4], hex[c & 15], '\0'};
        if (c == '\n' || c == '\r' || c == '\t') {
            esc[1] = c == '\n' ? 'n' : c == '\r' ? 'r' : 't';
            esc[2] = '\0';
        }
        if (st == PL_OK)
            st = pl_buf_append_str(out, esc);
        run = s + 1;
    }
    if (st == PL_OK)
        st = pl_buf_append(out, run, (size_t)(s - run));
    return st;
}

/* Appends ":N" as printf's ":%lu" writes it: a diagnostic per row of a large input (every
 * superseded row of a merge) makes printf the larger part of the line's cost. */
static enum pl_status append_number(struct pl_buf *out, unsigned long n)
{
    enum pl_status st = pl_buf_append_char(out, ':');
    return st == PL_OK ? pl_buf_append_ulong(out, n) : st;
}

enum pl_status pl_diag_format(struct pl_buf *out, const char *program,
                              const struct pl_diagnostic *d)
{
    enum pl_status st = PL_OK;
    /* The file and the message may quote a cell or a file name: a control character in them
     * must neither move a terminal nor start a line that reads as a diagnostic of its own. */
    if (program) {
        st = pl_buf_append_str(out, program);
        if (st == PL_OK)
            st = pl_buf_append(out, ": ", 2);
    }
    if (st == PL_OK && d->file) {
        st = pl_diag_escape(out, d->file);
        if (st == PL_OK && d->line)
            st = append_number(out, d->line);
        if (st == PL_OK && d->line && d->column)
            st = append_number(out, d->column);
        if (st == PL_OK)
            st = pl_buf_append_str(out, ": ");
    }
    if (st == PL_OK)
        st = pl_diag_escape(out, d->message);
    if (st == PL_OK)
        st = pl_buf_append(out, " [", 2);
    if (st == PL_OK)
        st = pl_buf_append_str(out, d->code);
    if (st == PL_OK)
        st = pl_buf_append(out, "]\n", 2);
    return st;
}

void pl_diag_emit_stream(void *ctx, const struct pl_diagnostic *d)
{
    struct pl_buf line;
    pl_buf_init(&line);
    if (pl_diag_format(&line, pl_diag_program, d) == PL_OK)
        fputs(line.data, (FILE *)ctx);
    else
        fprintf((FILE *)ctx, "%s: [%s]\n", pl_diag_program, d->code);
    pl_buf_fini(&line);
}

void pl_diag_emit_buf(void *ctx, const struct pl_diagnostic *d)
{
    pl_diag_format((struct pl_buf *)ctx, NULL, d);
}
