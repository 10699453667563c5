/* ducha-read — units' return files, in any accepted encoding, to one record stream. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "csv.h"
#include "fsutil.h"
#include "record.h"
#include "returns.h"

static const char usage[] =
    "Usage: ducha-read [--cycle ID] [-e ENCODING] [--rejects FILE] [-v] FILE...\n"
    "\n"
    "Reads units' return files (CSV from Excel or WPS: UTF-8 with or without BOM, GBK/GB18030,\n"
    "UTF-16 'Unicode text') and writes one record stream, UTF-8 CSV, to standard output:\n"
    "cycle,source,line,task_id,unit,owner,phone,progress,status,value,metric,narrative,\n"
    "problems,next_steps,reported_on,columns. With no FILE, or FILE -, reads standard input.\n"
    "\n"
    "  --cycle ID          write ID into every record's cycle column (e.g. 2023H1)\n"
    "  -e, --encoding ENC  read every file as ENC (utf-8, gbk, gb18030, utf-16le, utf-16be)\n"
    "  --rejects FILE      write rows that cannot be read to FILE (UTF-8 CSV with BOM)\n"
    "  -v, --verbose       say, for each file, its encoding and how many rows it held\n"
    "  -h, --help          show this help and exit\n"
    "  -V, --version       show the version and exit\n"
    "\n"
    "Exit status: 0 all read; 1 rows rejected or files skipped; 64 usage; 66 a file could not\n"
    "be opened; 73 the rejects file could not be created; 74 output error.\n"
    "\n"
    "Example: ducha-read --cycle 2023H1 --rejects rejects.csv returns/2023H1/*.csv > records.csv\n";

struct output {
    struct pl_csv_writer records;
    struct pl_csv_writer rejects;
    bool have_rejects;
};

static void write_fields(struct pl_csv_writer *w, const struct pl_return_row *row)
{
    for (int f = 0; f < PL_F_COUNT; f++)
        pl_csv_write_cell(w, row->value[f], row->len[f]);
}

static enum pl_status put_record(void *ctx, const struct pl_return_row *row)
{
    struct output *out = ctx;
    write_fields(&out->records, row);
    pl_csv_write_str(&out->records, row->columns);
    pl_csv_end_row(&out->records);
    return pl_csv_writer_status(&out->records);
}

static enum pl_status put_reject(void *ctx, const struct pl_return_row *row, const char *code,
                                 const char *column, const char *error)
{
    struct output *out = ctx;
    if (!out->have_rejects)
        return PL_OK;
    write_fields(&out->rejects, row);
    pl_csv_write_cell(&out->rejects, row->extra ? row->extra : "", row->extra_len);
    pl_csv_write_str(&out->rejects, code);
    pl_csv_write_str(&out->rejects, column);
    pl_csv_write_str(&out->rejects, error);
    pl_csv_end_row(&out->rejects);
    return pl_csv_writer_status(&out->rejects);
}

static void write_headers(struct output *out)
{
    for (int f = 0; f < PL_F_COUNT; f++)
        pl_csv_write_str(&out->records, pl_record_columns[f]);
    pl_csv_write_row(&out->records, (const char *const[]){"columns"}, 1);
    if (!out->have_rejects)
        return;
    for (int f = 0; f < PL_F_COUNT; f++)
        pl_csv_write_str(&out->rejects, pl_record_columns[f]);
    pl_csv_write_row(&out->rejects, (const char *const[]){"extra", "code", "column", "error"}, 4);
}

/* ", N unfilled form rows", for the stats line. */
static const char *unfilled(unsigned long n)
{
    static char text[64];
    snprintf(text, sizeof text, ", %lu unfilled form rows", n);
    return text;
}

static void say_stats(const char *file, const struct pl_return_stats *s)
{
    fprintf(stderr,
            "%s: %s: %s, %lu rows: %lu records, %lu rejected; %lu title rows, %lu signature "
            "rows, %lu blank rows%s\n",
            pl_diag_program, file, pl_encoding_name(s->encoding), s->rows, s->records,
            s->rejected, s->title_rows, s->signature_rows, s->blank_rows,
            s->unfilled_rows ? unfilled(s->unfilled_rows) : "");
}

/* Reads every file; returns the exit code. A bad file never stops the others. */
static int read_all(char **files, int count, const struct pl_returns_options *opt,
                    struct output *out, bool verbose, struct pl_diag *diag)
{
    struct pl_returns_sink sink = {put_record, put_reject, out};
    int code = PL_EXIT_OK;
    for (int i = 0; i < count; i++) {
        struct pl_return_stats stats;
        enum pl_status st = pl_returns_read(files[i], files[i], opt, &sink, diag, &stats);
        if (verbose && (st == PL_OK || stats.rows))
            say_stats(files[i], &stats);
        if (st == PL_ERR_OPEN)
            code = pl_cli_worse_exit(code, PL_EXIT_NOINPUT);
        else if (st == PL_ERR_DATA || st == PL_ERR_ENCODING || stats.rejected)
            code = pl_cli_worse_exit(code, PL_EXIT_REJECTED);
        else if (st != PL_OK)
            return pl_status_exit_code(st);
    }
    return code;
}

int main(int argc, char **argv)
{
    struct pl_diag *diag = pl_cli_init("ducha-read");
    static const struct option longopts[] = {
        {"cycle", required_argument, NULL, 'c'},   {"encoding", required_argument, NULL, 'e'},
        {"rejects", required_argument, NULL, 'r'}, {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},          {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    struct pl_returns_options opt = {NULL, PL_ENC_AUTO};
    const char *rejects_path = NULL;
    bool verbose = false;
    int c;
    while ((c = getopt_long(argc, argv, "e:vhV", longopts, NULL)) != -1) {
        switch (c) {
        case 'c': opt.cycle = optarg; break;
        case 'e':
            if (pl_encoding_parse(optarg, &opt.encoding) != PL_OK)
                return pl_cli_usage_error("unknown encoding '%s'", optarg);
            break;
        case 'r': rejects_path = optarg; break;
        case 'v': verbose = true; break;
        case 'h': return pl_cli_help(usage);
        case 'V': return pl_cli_version();
        default: return pl_cli_usage_error("unknown option");
        }
    }
    struct output out = {.have_rejects = rejects_path != NULL};
    struct pl_atomic_file rejects = {0};
    if (rejects_path && pl_atomic_open(&rejects, rejects_path, diag) != PL_OK)
        return PL_EXIT_CANTCREATE;
    /* Records are written in large blocks: a return set can hold a million rows. */
    setvbuf(stdout, NULL, _IOFBF, 1 << 18);
    pl_csv_writer_init(&out.records, stdout, 0);
    pl_csv_writer_init(&out.rejects, rejects.fp, PL_CSV_BOM | PL_CSV_EXCEL_SAFE);
    write_headers(&out);
    char *stdin_only[] = {"-"};
    int code = optind < argc ? read_all(argv + optind, argc - optind, &opt, &out, verbose, diag)
                             : read_all(stdin_only, 1, &opt, &out, verbose, diag);
    if (rejects_path) {
        enum pl_status st = code <= PL_EXIT_REJECTED || code == PL_EXIT_NOINPUT
                                ? pl_atomic_commit(&rejects, diag)
                                : (pl_atomic_abort(&rejects), PL_OK);
        code = pl_cli_worse_exit(code, pl_status_exit_code(st));
    }
    return pl_cli_worse_exit(code, pl_status_exit_code(pl_close_stdout(diag)));
}
