/* ducha-read — units' return files, in any accepted encoding, to one record stream. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <unistd.h>

#include "check.h"
#include "cli.h"
#include "csv.h"
#include "fsutil.h"
#include "inbox.h"
#include "record.h"
#include "returns.h"

static const char usage[] =
    "Usage: ducha-read [--cycle ID] [-e ENCODING] [--rejects FILE] [--files FILE] [-v] FILE...\n"
    "\n"
    "Reads units' return files (CSV from Excel or WPS: UTF-8 with or without BOM, GBK/GB18030,\n"
    "UTF-16 'Unicode text'; workbooks: .xlsx, .xlsm, .xls) and writes one record stream, UTF-8\n"
    "CSV, to standard output: cycle,source,line,task_id,unit,owner,phone,progress,status,value,\n"
    "metric,narrative,problems,next_steps,reported_on,columns,sheet. A FILE that is a folder is\n"
    "read whole, subfolders included; a zip is opened and its files read. With no FILE, or\n"
    "FILE -, reads standard input (as text).\n"
    "\n"
    "  --cycle ID          write ID into every record's cycle column (e.g. 2023H1)\n"
    "  -e, --encoding ENC  read every text file as ENC (utf-8, gbk, gb18030, utf-16le, utf-16be)\n"
    "  --rejects FILE      write rows that cannot be read to FILE (UTF-8 CSV with BOM)\n"
    "  --files FILE        write the register of every file found and what became of it to FILE\n"
    "  -v, --verbose       say, for each file, its encoding and how many rows it held\n"
    "  -h, --help          show this help and exit\n"
    "  -V, --version       show the version and exit\n"
    "\n"
    "Exit status: 0 all read; 1 rows rejected or files refused; 64 usage; 66 a file could not\n"
    "be opened; 73 the rejects file could not be created; 74 output error.\n"
    "\n"
    "Example: ducha-read --cycle 2023H1 --rejects rejects.csv --files files.csv returns/2023H1 > records.csv\n";

struct output {
    struct pl_csv_writer records;
    struct pl_csv_writer rejects;
    struct pl_csv_writer files;
    bool have_rejects, have_files;
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
    pl_csv_write_str(&out->records, row->sheet ? row->sheet : "");
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
    pl_csv_write_str(&out->rejects, row->columns ? row->columns : "");
    pl_csv_write_str(&out->rejects, row->sheet ? row->sheet : "");
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
    pl_csv_write_row(&out->records, (const char *const[]){"columns", "sheet"}, 2);
    if (out->have_files)
        pl_csv_write_row(&out->files,
                         (const char *const[]){"file", "unit", "format", "encoding", "sheet", "rows",
                                               "records", "rejected", "status", "why"},
                         10);
    if (!out->have_rejects)
        return;
    /* The rejects file is for people: Chinese headers, the same as ducha-check's. */
    static const char *const tail[] = {"columns", "sheet", "extra", "code", "column", "error"};
    for (int f = 0; f < PL_F_COUNT; f++)
        pl_csv_write_str(&out->rejects, pl_check_reject_header(pl_record_columns[f]));
    for (size_t i = 0; i < sizeof tail / sizeof tail[0]; i++)
        pl_csv_write_str(&out->rejects, pl_check_reject_header(tail[i]));
    pl_csv_end_row(&out->rejects);
}

/* ", N unfilled form rows", for the stats line. */
static const char *unfilled(unsigned long n)
{
    static char text[64];
    snprintf(text, sizeof text, ", %lu unfilled form rows", n);
    return text;
}

static void say_stats(const char *file, const struct pl_return_stats *s,
                      const struct pl_return_info *info)
{
    const char *kind = s->encoding != PL_ENC_AUTO ? pl_encoding_name(s->encoding) : info->format;
    fprintf(stderr,
            "%s: %s: %s%s%s%s, %lu rows: %lu records, %lu rejected; %lu title rows, %lu signature "
            "rows, %lu blank rows%s\n",
            pl_diag_program, file, kind, info->sheet.len ? " sheet " : "", info->sheet.data,
            info->other_sheets.len ? " (other sheets not read)" : "", s->rows, s->records,
            s->rejected, s->title_rows, s->signature_rows, s->blank_rows,
            s->unfilled_rows ? unfilled(s->unfilled_rows) : "");
    if (info->other_sheets.len)
        fprintf(stderr, "%s: %s: 未读取的其他工作表：%s\n", pl_diag_program, file,
                info->other_sheets.data);
}

/* The register's row for one file. */
static void put_file(struct output *out, const char *file, const char *unit, const char *format,
                     const char *encoding, const char *sheet, const struct pl_return_stats *s,
                     const char *status, const char *why)
{
    if (!out->have_files)
        return;
    struct pl_csv_writer *w = &out->files;
    pl_csv_write_str(w, file);
    pl_csv_write_str(w, unit);
    pl_csv_write_str(w, format);
    pl_csv_write_str(w, encoding);
    pl_csv_write_str(w, sheet);
    char n[3][24];
    snprintf(n[0], sizeof n[0], "%lu", s ? s->rows : 0);
    snprintf(n[1], sizeof n[1], "%lu", s ? s->records : 0);
    snprintf(n[2], sizeof n[2], "%lu", s ? s->rejected : 0);
    for (int i = 0; i < 3; i++)
        pl_csv_write_str(w, s ? n[i] : "");
    pl_csv_write_str(w, status);
    pl_csv_write_str(w, why);
    pl_csv_end_row(w);
}

/* A diagnostics sink that passes every report on and keeps the last error's message: the
 * register's reason for a refused file. */
struct capture {
    struct pl_diag *inner;
    struct pl_buf last_error;
};

static void capture_emit(void *ctx, const struct pl_diagnostic *d)
{
    struct capture *c = ctx;
    if (c->inner->emit)
        c->inner->emit(c->inner->ctx, d);
    if (d->severity == PL_SEV_ERROR) {
        pl_buf_clear(&c->last_error);
        pl_buf_printf(&c->last_error, "%s [%s]", d->message, d->code);
    }
}

/* Reads one file of the inbox (a zip member through a temporary copy); returns the exit
 * code it earns. */
static int read_entry(const struct pl_inbox_entry *e, const struct pl_returns_options *opt,
                      struct output *out, bool verbose, struct capture *cap, struct pl_diag *diag)
{
    struct pl_returns_sink sink = {put_record, put_reject, out};
    struct pl_return_stats stats;
    memset(&stats, 0, sizeof stats);
    char *tmp = NULL;
    pl_buf_clear(&cap->last_error);
    enum pl_status st = e->member ? pl_inbox_extract(e, diag, &tmp) : PL_OK;
    if (st == PL_OK)
        st = pl_returns_read(tmp ? tmp : e->path, e->shown, opt, &sink, diag, &stats);
    if (tmp) {
        unlink(tmp);
        free(tmp);
    }
    const struct pl_return_info *info = opt->info;
    if (verbose && (st == PL_OK || stats.rows))
        say_stats(e->shown, &stats, info);
    const char *encoding = stats.encoding != PL_ENC_AUTO ? pl_encoding_name(stats.encoding) : "";
    bool read = st == PL_OK || stats.rows > 0;
    struct pl_buf others;
    pl_buf_init(&others);
    if (info->other_sheets.len)
        pl_buf_printf(&others, "另有工作表%s未读取", info->other_sheets.data);
    const char *why = st == PL_OK ? others.data : cap->last_error.data;
    /* The register lists files; standard input is none (ducha-cycle feeds an empty one when a
     * cycle has no returns folder). */
    bool is_file = strcmp(e->path, "-") != 0;
    if (is_file && (st == PL_OK || st == PL_ERR_DATA || st == PL_ERR_ENCODING ||
                    st == PL_ERR_OPEN || st == PL_ERR_CREATE))
        put_file(out, e->shown, info->unit.data, info->format, encoding, info->sheet.data, &stats,
                 read ? "read" : "refused", why);
    pl_buf_fini(&others);
    if (st == PL_ERR_OPEN)
        return PL_EXIT_NOINPUT;
    if (st == PL_ERR_DATA || st == PL_ERR_ENCODING || stats.rejected)
        return PL_EXIT_REJECTED;
    if (st == PL_ERR_CREATE)
        return PL_EXIT_CANTCREATE;
    return st == PL_OK ? PL_EXIT_OK : pl_status_exit_code(st);
}

/* Reads every file; returns the exit code. A bad file never stops the others. */
static int read_all(char **args, int count, struct pl_returns_options *opt, struct output *out,
                    bool verbose, struct pl_diag *diag)
{
    struct pl_inbox inbox;
    pl_inbox_init(&inbox);
    for (int i = 0; i < count; i++) {
        size_t before = inbox.count;
        if (pl_inbox_add(&inbox, args[i]) != PL_OK) {
            pl_inbox_fini(&inbox);
            return PL_EXIT_INTERNAL;
        }
        if (inbox.count == before)
            pl_diag_report(diag, args[i], 0, 0, "W_EMPTY_FOLDER", "文件夹中没有任何文件");
    }
    struct capture cap = {.inner = diag};
    pl_buf_init(&cap.last_error);
    struct pl_diag captured;
    pl_diag_init(&captured, capture_emit, &cap);
    struct pl_return_info info;
    pl_return_info_init(&info);
    opt->info = &info;
    int code = PL_EXIT_OK;
    bool fatal = false;
    for (size_t i = 0; i < inbox.count && !fatal; i++) {
        const struct pl_inbox_entry *e = &inbox.entries[i];
        if (e->status == PL_INBOX_READ) {
            int c = read_entry(e, opt, out, verbose, &cap, &captured);
            fatal = !(c == PL_EXIT_OK || c == PL_EXIT_REJECTED || c == PL_EXIT_NOINPUT);
            code = fatal ? c : pl_cli_worse_exit(code, c);
            continue;
        }
        if (e->status == PL_INBOX_ARCHIVE) {
            put_file(out, e->shown, "", "zip", "", "", NULL, "read", e->why);
            continue;
        }
        bool refused = e->status == PL_INBOX_REFUSED;
        pl_diag_report(&captured, e->shown, 0, 0, e->code, "%s", e->why);
        put_file(out, e->shown, "", "", "", "", NULL, refused ? "refused" : "ignored", e->why);
        if (refused)
            code = pl_cli_worse_exit(code, PL_EXIT_REJECTED);
    }
    diag->errors += captured.errors;
    diag->warnings += captured.warnings;
    opt->info = NULL;
    pl_return_info_fini(&info);
    pl_buf_fini(&cap.last_error);
    pl_inbox_fini(&inbox);
    return code;
}

int main(int argc, char **argv)
{
    struct pl_diag *diag = pl_cli_init("ducha-read");
    static const struct option longopts[] = {
        {"cycle", required_argument, NULL, 'c'},   {"encoding", required_argument, NULL, 'e'},
        {"rejects", required_argument, NULL, 'r'}, {"verbose", no_argument, NULL, 'v'},
        {"files", required_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},          {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    struct pl_returns_options opt = {NULL, PL_ENC_AUTO, NULL};
    const char *rejects_path = NULL, *files_path = NULL;
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
        case 'f': files_path = optarg; break;
        case 'v': verbose = true; break;
        case 'h': return pl_cli_help(usage);
        case 'V': return pl_cli_version();
        default: return pl_cli_usage_error("unknown option");
        }
    }
    struct output out = {.have_rejects = rejects_path != NULL, .have_files = files_path != NULL};
    struct pl_atomic_file rejects = {0}, files = {0};
    if (rejects_path && pl_atomic_open(&rejects, rejects_path, diag) != PL_OK)
        return PL_EXIT_CANTCREATE;
    if (files_path && pl_atomic_open(&files, files_path, diag) != PL_OK) {
        if (rejects_path)
            pl_atomic_abort(&rejects);
        return PL_EXIT_CANTCREATE;
    }
    /* Records are written in large blocks: a return set can hold a million rows. */
    setvbuf(stdout, NULL, _IOFBF, 1 << 18);
    pl_csv_writer_init(&out.records, stdout, 0);
    pl_csv_writer_init(&out.rejects, rejects.fp, PL_CSV_BOM | PL_CSV_EXCEL_SAFE);
    pl_csv_writer_init(&out.files, files.fp, PL_CSV_BOM | PL_CSV_EXCEL_SAFE);
    write_headers(&out);
    char *stdin_only[] = {"-"};
    int code = optind < argc ? read_all(argv + optind, argc - optind, &opt, &out, verbose, diag)
                             : read_all(stdin_only, 1, &opt, &out, verbose, diag);
    bool keep = code <= PL_EXIT_REJECTED || code == PL_EXIT_NOINPUT;
    struct pl_atomic_file *side[] = {rejects_path ? &rejects : NULL, files_path ? &files : NULL};
    for (int i = 0; i < 2; i++) {
        if (!side[i])
            continue;
        enum pl_status st = keep ? pl_atomic_commit(side[i], diag) : (pl_atomic_abort(side[i]), PL_OK);
        code = pl_cli_worse_exit(code, pl_status_exit_code(st));
    }
    return pl_cli_worse_exit(code, pl_status_exit_code(pl_close_stdout(diag)));
}
