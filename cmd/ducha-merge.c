/* ducha-merge — valid records to one row per (task, host) the catalog demands, missing ones
 * included. */
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "catalog.h"
#include "cli.h"
#include "fsutil.h"
#include "merge.h"

static const char usage[] =
    "Usage: ducha-merge -c CATALOG --cycle ID [--superseded FILE] [-v]\n"
    "\n"
    "Reads the valid records of ducha-check on standard input and writes, in catalog order,\n"
    "one row per task and host unit that the catalog demands, with status 未报送 and\n"
    "missing=1 where no valid return came. A later return replaces an earlier one (by\n"
    "reported_on, then order of arrival); co-units' reports become the task's notes.\n"
    "\n"
    "  -c, --catalog DIR    the year's catalog\n"
    "  --cycle ID           the reporting cycle (e.g. 2023H1)\n"
    "  --superseded FILE    write the rows that later returns replaced to FILE (UTF-8 CSV\n"
    "                       with BOM, for Excel)\n"
    "  -v, --verbose        say at the end how many rows and pairs there were\n"
    "  -h, --help           show this help and exit\n"
    "  -V, --version        show the version and exit\n"
    "\n"
    "Exit status: 0 merged; 64 usage; 65 input is not a valid-record stream; 66 catalog not\n"
    "found; 73 superseded file not created; 74 output error; 78 bad catalog or unknown cycle.\n"
    "\n"
    "Example: ducha-check -c catalog --cycle 2023H1 < records.csv |\n"
    "           ducha-merge -c catalog --cycle 2023H1 --superseded superseded.csv > merged.csv\n";

static int run(const char *catalog_dir, const char *cycle_id, const char *superseded_path,
               bool verbose, struct pl_diag *diag)
{
    struct pl_catalog catalog;
    pl_catalog_init(&catalog);
    struct pl_atomic_file side = {0};
    int code;
    enum pl_status st = pl_catalog_read(&catalog, catalog_dir, diag);
    if (st != PL_OK) {
        code = st == PL_ERR_OPEN ? PL_EXIT_NOINPUT : pl_status_exit_code(st);
        goto done;
    }
    if (!pl_catalog_find_cycle(&catalog, cycle_id)) {
        pl_diag_report(diag, catalog_dir, 0, 0, "E_CYCLE_UNKNOWN", "报送周期“%s”不在cycles.csv中",
                       cycle_id);
        code = PL_EXIT_CONFIG;
        goto done;
    }
    if (superseded_path && pl_atomic_open(&side, superseded_path, diag) != PL_OK) {
        code = PL_EXIT_CANTCREATE;
        goto done;
    }
    struct pl_csv_writer out, sup;
    pl_csv_writer_init(&out, stdout, 0);
    pl_csv_writer_init(&sup, side.fp, PL_CSV_BOM | PL_CSV_EXCEL_SAFE);
    struct pl_merge_stats stats;
    st = pl_merge_stream(stdin, "standard input", &catalog, &out, superseded_path ? &sup : NULL,
                         diag, &stats);
    code = pl_status_exit_code(st);
    if (verbose && st == PL_OK)
        fprintf(stderr, "ducha-merge: %lu valid rows: %lu task-unit pairs, %lu reported, %lu "
                        "missing; %lu rows superseded, %lu co-unit notes\n",
                stats.rows, stats.pairs, stats.reported, stats.missing, stats.superseded,
                stats.notes);
    if (superseded_path) {
        if (st == PL_OK)
            code = pl_cli_worse_exit(code, pl_status_exit_code(pl_atomic_commit(&side, diag)));
        else
            pl_atomic_abort(&side);
    }
    code = pl_cli_worse_exit(code, pl_status_exit_code(pl_close_stdout(diag)));
done:
    pl_catalog_fini(&catalog);
    return code;
}

int main(int argc, char **argv)
{
    struct pl_diag *diag = pl_cli_init("ducha-merge");
    static const struct option longopts[] = {
        {"catalog", required_argument, NULL, 'c'}, {"cycle", required_argument, NULL, 'y'},
        {"superseded", required_argument, NULL, 's'}, {"verbose", no_argument, NULL, 'v'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},        {NULL, 0, NULL, 0},
    };
    const char *catalog = NULL, *cycle = NULL, *superseded = NULL;
    bool verbose = false;
    int c;
    while ((c = getopt_long(argc, argv, "c:vhV", longopts, NULL)) != -1) {
        switch (c) {
        case 'c': catalog = optarg; break;
        case 'y': cycle = optarg; break;
        case 's': superseded = optarg; break;
        case 'v': verbose = true; break;
        case 'h': return pl_cli_help(usage);
        case 'V': return pl_cli_version();
        default: return pl_cli_usage_error("unknown option");
        }
    }
    if (!catalog || !cycle)
        return pl_cli_usage_error("-c CATALOG and --cycle ID are required");
    if (optind < argc)
        return pl_cli_usage_error("unexpected argument '%s': records come on standard input",
                                  argv[optind]);
    return run(catalog, cycle, superseded, verbose, diag);
}
