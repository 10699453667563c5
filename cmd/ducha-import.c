/* ducha-import — the year's targets document → the catalog (tasks, units, indicators, cycles). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sysexits.h>

#include "catalog.h"
#include "diag.h"
#include "docparse.h"

static const char usage[] =
    "usage: ducha-import [-q] [-e ENCODING] -o DIR DOCUMENT\n"
    "       ducha-import -h | --help\n"
    "       ducha-import -V | --version\n"
    "\n"
    "Reads the year's targets document (a Word .docx, or plain text in UTF-8 or GBK/GB18030),\n"
    "or a task table (.xlsx, .xls, .csv, or a table in a .docx) whose headers name the task\n"
    "and its leaders or units, and writes the catalog into DIR: tasks.csv, units.csv,\n"
    "indicators.csv, cycles.csv, document.csv. A .doc, .wps or PDF file is refused: save it\n"
    "as .docx first.\n"
    "\n"
    "  -o, --output DIR        write the catalog into DIR (created if missing)\n"
    "  -e, --encoding ENC      read DOCUMENT as utf-8 or gbk instead of detecting it\n"
    "  -q, --quiet             report errors only, not warnings\n"
    "  -h, --help              show this help and exit\n"
    "  -V, --version           show the version and exit\n"
    "\n"
    "Exit status: 0 catalog complete; 1 catalog written but incomplete (see the messages);\n"
    "64 usage; 65 not a targets document (or a .doc/.wps/PDF); 66 cannot open DOCUMENT;\n"
    "73 cannot create DIR; 74 I/O error.\n"
    "\n"
    "Example:\n"
    "  ducha-import -o input/2023/catalog input/2023/document.txt\n";

static const struct option options[] = {
    {"output", required_argument, NULL, 'o'}, {"encoding", required_argument, NULL, 'e'},
    {"quiet", no_argument, NULL, 'q'},        {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},      {NULL, 0, NULL, 0},
};

static void emit_errors_only(void *ctx, const struct pl_diagnostic *d);
static int make_dir(const char *dir);

int main(int argc, char **argv)
{
    const char *dir = NULL;
    enum pl_encoding enc = PL_ENC_AUTO;
    bool quiet = false;
    int c;
    while ((c = getopt_long(argc, argv, "o:e:qhV", options, NULL)) != -1) {
        switch (c) {
        case 'o':
            dir = optarg;
            break;
        case 'e':
            if (pl_encoding_parse(optarg, &enc) != PL_OK) {
                fprintf(stderr, "ducha-import: 不认识的编码“%s”（可用 utf-8、gbk）\n", optarg);
                return EX_USAGE;
            }
            break;
        case 'q':
            quiet = true;
            break;
        case 'h':
            fputs(usage, stdout);
            return fclose(stdout) == 0 ? 0 : EX_IOERR;
        case 'V':
            printf("ducha-import %s\n", DUCHA_VERSION);
            return fclose(stdout) == 0 ? 0 : EX_IOERR;
        default:
            fputs(usage, stderr);
            return EX_USAGE;
        }
    }
    if (!dir || optind != argc - 1) {
        fputs(usage, stderr);
        return EX_USAGE;
    }
    const char *doc = argv[optind];
    pl_diag_program = "ducha-import";
    struct pl_diag diag;
    pl_diag_init(&diag, quiet ? emit_errors_only : pl_diag_emit_stream, stderr);
    struct pl_catalog cat;
    pl_catalog_init(&cat);
    enum pl_status st = pl_doc_import_path(doc, enc, &cat, &diag);
    int code = pl_status_exit_code(st);
    if (st == PL_OK && (code = make_dir(dir)) == 0) {
        st = pl_catalog_write(&cat, dir);
        if (st != PL_OK) {
            fprintf(stderr, "ducha-import: %s: 无法写入目录：%s\n", dir, strerror(errno));
            code = pl_status_exit_code(st);
        } else {
            code = diag.errors > 0 ? 1 : 0;
        }
    } else if (st != PL_OK && st != PL_ERR_DATA && st != PL_ERR_ENCODING && st != PL_ERR_OPEN) {
        fprintf(stderr, "ducha-import: %s: %s\n", doc, pl_strerror(st));
    }
    pl_catalog_fini(&cat);
    if (fclose(stdout) != 0 && code == 0)
        code = EX_IOERR;
    return code;
}

static void emit_errors_only(void *ctx, const struct pl_diagnostic *d)
{
    if (d->severity == PL_SEV_ERROR)
        pl_diag_emit_stream(ctx, d);
}

/* Creates DIR when it does not exist; EX_CANTCREAT with a message when that fails. */
static int make_dir(const char *dir)
{
    struct stat sb;
    if (stat(dir, &sb) == 0 && S_ISDIR(sb.st_mode))
        return 0;
    if (mkdir(dir, 0777) == 0)
        return 0;
    fprintf(stderr, "ducha-import: %s: 无法创建目录：%s\n", dir, strerror(errno));
    return EX_CANTCREAT;
}
