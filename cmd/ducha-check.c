/* ducha-check — the record stream checked against the catalog: valid records out, rejected rows
 * with their reasons aside. */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "check.h"
#include "cli.h"
#include "fsutil.h"
#include "rules.h"

static const char usage[] =
    "Usage: ducha-check -c CATALOG --cycle ID [--rules FILE]... [--rejects FILE] [--grace DAYS]\n"
    "                   [--fractions] [-v]\n"
    "\n"
    "Reads the record stream of ducha-read on standard input, checks every row against the\n"
    "catalog and the cycle, and writes the valid rows, normalised, to standard output with\n"
    "role, late and flags columns. Rejected rows keep all their cells and get code, column\n"
    "and error columns (in Chinese, for the unit that must mend its return).\n"
    "\n"
    "  -c, --catalog DIR   the year's catalog (tasks.csv, units.csv, indicators.csv, cycles.csv)\n"
    "  --cycle ID          the reporting cycle, as in cycles.csv (e.g. 2023H1)\n"
    "  -r, --rules FILE    read rules (status words, [late] error_after_days) from FILE\n"
    "                      over the defaults; may be repeated\n"
    "  --rejects FILE      write rejected rows to FILE (UTF-8 CSV with BOM and Chinese\n"
    "                      headers, for Excel)\n"
    "  --grace DAYS        a return dated up to DAYS after the deadline is late, later is\n"
    "                      an error (default: the rules' error_after_days, 60)\n"
    "  --fractions         read a bare progress of at most 1 (0.85) as a fraction (85)\n"
    "  -v, --verbose       say at the end how many rows were read, valid and rejected\n"
    "  -h, --help          show this help and exit\n"
    "  -V, --version       show the version and exit\n"
    "\n"
    "Exit status: 0 all rows valid; 1 some rows rejected; 64 usage; 65 input is not a record\n"
    "stream; 66 catalog not found; 73 rejects file not created; 74 output error; 78 bad\n"
    "catalog or unknown cycle.\n"
    "\n"
    "Example: ducha-read --cycle 2023H1 returns/2023H1/*.csv |\n"
    "           ducha-check -c catalog --cycle 2023H1 --rejects rejects.csv > valid.csv\n";

struct args {
    const char *catalog, *cycle, *rejects;
    const char *rules[16];
    size_t nrules;
    long grace; /* -1: from the rules */
    bool verbose;
};

static int run(const struct args *a, struct pl_check_options *opt, struct pl_diag *diag);

int main(int argc, char **argv)
{
    struct pl_diag *diag = pl_cli_init("ducha-check");
    static const struct option longopts[] = {
        {"catalog", required_argument, NULL, 'c'}, {"cycle", required_argument, NULL, 'y'},
        {"rules", required_argument, NULL, 'r'},   {"rejects", required_argument, NULL, 'j'},
        {"grace", required_argument, NULL, 'g'},
        {"fractions", no_argument, NULL, 'f'},     {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},       {NULL, 0, NULL, 0},
    };
    struct args a = {.grace = -1};
    struct pl_check_options opt = {.grace_days = 60};
    int c;
    char *end;
    while ((c = getopt_long(argc, argv, "c:r:vhV", longopts, NULL)) != -1) {
        switch (c) {
        case 'c': a.catalog = optarg; break;
        case 'y': a.cycle = optarg; break;
        case 'r':
            if (a.nrules == sizeof a.rules / sizeof a.rules[0])
                return pl_cli_usage_error("too many --rules files");
            a.rules[a.nrules++] = optarg;
            break;
        case 'j': a.rejects = optarg; break;
        case 'g':
            a.grace = strtol(optarg, &end, 10);
            if (*end || a.grace < 0)
                return pl_cli_usage_error("--grace takes a number of days, not '%s'", optarg);
            break;
        case 'f': opt.progress_flags = PL_PROGRESS_FRACTIONS; break;
        case 'v': a.verbose = true; break;
        case 'h': return pl_cli_help(usage);
        case 'V': return pl_cli_version();
        default: return pl_cli_usage_error("unknown option");
        }
    }
    if (!a.catalog || !a.cycle)
        return pl_cli_usage_error("-c CATALOG and --cycle ID are required");
    if (optind < argc)
        return pl_cli_usage_error("unexpected argument '%s': records come on standard input",
                                  argv[optind]);
    return run(&a, &opt, diag);
}

static int run(const struct args *a, struct pl_check_options *opt, struct pl_diag *diag)
{
    const char *catalog_dir = a->catalog, *cycle_id = a->cycle, *rejects_path = a->rejects;
    struct pl_catalog catalog;
    struct pl_rules rules;
    pl_catalog_init(&catalog);
    bool have_rules = false;
    struct pl_atomic_file rejects = {0};
    int code;
    enum pl_status st = pl_catalog_read(&catalog, catalog_dir, diag);
    if (st != PL_OK) {
        code = st == PL_ERR_OPEN ? PL_EXIT_NOINPUT : pl_status_exit_code(st);
        goto done;
    }
    opt->catalog = &catalog;
    opt->cycle = pl_catalog_find_cycle(&catalog, cycle_id);
    if (!opt->cycle) {
        pl_diag_report(diag, catalog_dir, 0, 0, "E_CYCLE_UNKNOWN",
                       "报送周期“%s”不在cycles.csv中", cycle_id);
        code = PL_EXIT_CONFIG;
        goto done;
    }
    /* The rules give the status words (the defaults and any a rules file adds) and the grace
     * period after the deadline. */
    have_rules = true;
    st = pl_rules_load(&rules, a->rules, a->nrules, diag);
    if (st != PL_OK) {
        code = st == PL_ERR_OPEN ? PL_EXIT_NOINPUT : pl_status_exit_code(st);
        goto done;
    }
    opt->statuses = &rules.words;
    opt->grace_days = a->grace >= 0 ? a->grace : rules.error_after_days;
    opt->over_limit = rules.over_limit;
    if (rejects_path && pl_atomic_open(&rejects, rejects_path, diag) != PL_OK) {
        code = PL_EXIT_CANTCREATE;
        goto done;
    }
    struct pl_csv_writer out, rej;
    setvbuf(stdout, NULL, _IOFBF, 1 << 18);
    pl_csv_writer_init(&out, stdout, 0);
    pl_csv_writer_init(&rej, rejects.fp, PL_CSV_BOM | PL_CSV_EXCEL_SAFE);
    struct pl_check_stats stats;
    st = pl_check_stream(stdin, "standard input", &out, rejects_path ? &rej : NULL, opt, diag,
                         &stats);
    code = st == PL_OK ? (stats.rejected ? PL_EXIT_REJECTED : PL_EXIT_OK) : pl_status_exit_code(st);
    if (a->verbose)
        fprintf(stderr, "ducha-check: %lu rows: %lu valid (%lu late, %lu from co-units, %lu with "
                        "warnings), %lu rejected\n",
                stats.rows, stats.valid, stats.late, stats.cohost, stats.warnings, stats.rejected);
    if (rejects_path) {
        if (st == PL_OK)
            code = pl_cli_worse_exit(code, pl_status_exit_code(pl_atomic_commit(&rejects, diag)));
        else
            pl_atomic_abort(&rejects);
    }
    code = pl_cli_worse_exit(code, pl_status_exit_code(pl_close_stdout(diag)));
done:
    if (have_rules)
        pl_rules_fini(&rules);
    pl_catalog_fini(&catalog);
    return code;
}
