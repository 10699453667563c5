/* ducha-annual — the year's end: the annual assessment, its ranks and history.xlsx. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "annual.h"
#include "cli.h"
#include "fsutil.h"
#include "rules.h"
#include "xlsx.h"

static const char usage[] =
    "Usage: ducha-annual -c CATALOG [--rules FILE]... -o DIR CYCLEDIR...\n"
    "\n"
    "Assesses the year from the output folders of its cycles (each named by its cycle and\n"
    "holding rated.csv and rated-leaders.csv), given in date order, the year's last cycle\n"
    "last: each unit's annual score (rules [annual]: by default the last cycle's score with a\n"
    "deduction for every late or missing return of the year), ranked by group as ducha-rank\n"
    "ranks. Writes DIR/ranks.csv (the annual ranks, with ducha-rank's columns) and\n"
    "DIR/history.xlsx (the annual ranking, every unit's and every task's cycles, a chart per\n"
    "leader). DIR is created if missing.\n"
    "\n"
    "  -c, --catalog DIR   the year's catalog (cycles.csv, tasks.csv, units.csv)\n"
    "  -r, --rules FILE    read rules from FILE over the defaults (may be repeated)\n"
    "  -o, --output DIR    where to write ranks.csv and history.xlsx\n"
    "  -h, --help          show this help and exit\n"
    "  -V, --version       show the version and exit\n"
    "\n"
    "Dates inside the workbook come from SOURCE_DATE_EPOCH, else the last cycle's deadline.\n"
    "\n"
    "Exit status: 0 written; 1 written, some rated rows left out; 64 usage; 65 a rated file\n"
    "is not a rated stream; 66 an input not found; 73 an output could not be created; 74\n"
    "write error; 78 bad catalog or rules.\n"
    "\n"
    "Example: ducha-annual -c input/2023/catalog -o annual output/2023/2023H1 output/2023/2023H2\n";

static int run(const struct pl_annual_options *opt, const char *dir, const char *const *rules,
               size_t nrules, struct pl_diag *diag);

int main(int argc, char **argv)
{
    struct pl_diag *diag = pl_cli_init("ducha-annual");
    static const struct option longopts[] = {
        {"catalog", required_argument, NULL, 'c'}, {"rules", required_argument, NULL, 'r'},
        {"output", required_argument, NULL, 'o'},  {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},       {NULL, 0, NULL, 0},
    };
    struct pl_annual_options opt = {0};
    const char *rules[16], *dir = NULL;
    size_t nrules = 0;
    int c;
    while ((c = getopt_long(argc, argv, "c:r:o:hV", longopts, NULL)) != -1) {
        switch (c) {
        case 'c':
            opt.catalog = optarg;
            break;
        case 'r':
            if (nrules == sizeof rules / sizeof rules[0])
                return pl_cli_usage_error("too many --rules files");
            rules[nrules++] = optarg;
            break;
        case 'o':
            dir = optarg;
            break;
        case 'h':
            return pl_cli_help(usage);
        case 'V':
            return pl_cli_version();
        default:
            return pl_cli_usage_error("unknown option or missing argument: '%s'", argv[optind - 1]);
        }
    }
    if (!opt.catalog || !dir)
        return pl_cli_usage_error("-c CATALOG and -o DIR are required");
    if (optind == argc)
        return pl_cli_usage_error("no cycle folder given");
    if (pl_xlsx_source_date(getenv("SOURCE_DATE_EPOCH"), &opt.created) != PL_OK)
        return pl_cli_usage_error("SOURCE_DATE_EPOCH is not a number of seconds");
    opt.cycle_dirs = (const char *const *)argv + optind;
    opt.ncycles = (size_t)(argc - optind);
    return run(&opt, dir, rules, nrules, diag);
}

static int run(const struct pl_annual_options *opt, const char *dir, const char *const *rules,
               size_t nrules, struct pl_diag *diag)
{
    struct pl_rules r;
    struct pl_annual *a = NULL;
    struct pl_atomic_file f = {0};
    char *path = NULL;
    unsigned long rejected = 0;
    int code;
    enum pl_status st = pl_rules_load(&r, rules, nrules, diag);
    if (st != PL_OK) {
        code = pl_cli_input_exit(st, PL_EXIT_CONFIG);
        goto done;
    }
    struct pl_annual_options o = *opt;
    o.rules = &r;
    if ((st = pl_annual_load(&a, &o, &rejected, diag)) != PL_OK) {
        code = st == PL_ERR_CONFIG  ? PL_EXIT_CONFIG
               : st == PL_ERR_USAGE ? PL_EXIT_USAGE
                                    : pl_cli_input_exit(st, PL_EXIT_DATA);
        goto done;
    }
    if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
        pl_diag_report(diag, dir, 0, 0, "E_CANNOT_CREATE", "无法创建目录：%s", strerror(errno));
        code = PL_EXIT_CANTCREATE;
        goto done;
    }
    size_t len = strlen(dir) + sizeof "/history.xlsx";
    if (!(path = malloc(len))) {
        code = PL_EXIT_INTERNAL;
        goto done;
    }
    snprintf(path, len, "%s/ranks.csv", dir);
    if ((st = pl_atomic_open(&f, path, diag)) == PL_OK) {
        struct pl_csv_writer w;
        pl_csv_writer_init(&w, f.fp, 0);
        st = pl_annual_write_ranks(a, &w);
        if (st == PL_OK)
            st = pl_atomic_commit(&f, diag);
        else
            pl_atomic_abort(&f);
    }
    if (st == PL_OK) {
        snprintf(path, len, "%s/history.xlsx", dir);
        st = pl_annual_write_history(a, path, diag);
    }
    code = st != PL_OK ? pl_status_exit_code(st) : rejected ? PL_EXIT_REJECTED : PL_EXIT_OK;
done:
    free(path);
    pl_annual_free(a);
    pl_rules_fini(&r);
    return code;
}
