/* ducha-merge — valid records to one row per (task, host) the catalog demands, missing ones
 * included. */
#include <errno.h>
#include <getopt.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "cli.h"
#include "fsutil.h"
#include "merge.h"

static const char usage[] =
    "Usage: ducha-merge -c CATALOG --cycle ID [--rejects FILE]... [--superseded FILE] [-v]\n"
    "\n"
    "Reads the valid records of ducha-check on standard input and writes, in catalog order,\n"
    "one row per task and host unit that the catalog demands, with status 未报送 and\n"
    "missing=1 where no valid return came, or 报送有误 and missing=2 where the unit's rows for\n"
    "the task were all rejected. A later return replaces an earlier one (by reported_on, then\n"
    "order of arrival); co-units' reports become the task's notes.\n"
    "\n"
    "  -c, --catalog DIR    the year's catalog\n"
    "  --cycle ID           the reporting cycle (e.g. 2023H1)\n"
    "  --rejects FILE       the rejected rows of ducha-read or ducha-check (repeatable)\n"
    "  --superseded FILE    write the rows that later returns replaced to FILE (UTF-8 CSV\n"
    "                       with BOM, for Excel)\n"
    "  -v, --verbose        say at the end how many rows and pairs there were\n"
    "  -h, --help           show this help and exit\n"
    "  -V, --version        show the version and exit\n"
    "\n"
    "Exit status: 0 merged; 64 usage; 65 input is not a valid-record stream or a rejects file\n"
    "is not one; 66 catalog or rejects file not found; 73 superseded file not created; 74\n"
    "output error; 78 bad catalog or unknown cycle.\n"
    "\n"
    "Example: ducha-check -c catalog --cycle 2023H1 --rejects rejects.csv < records.csv |\n"
    "           ducha-merge -c catalog --cycle 2023H1 --rejects read-rejects.csv \\\n"
    "           --rejects rejects.csv --superseded superseded.csv > merged.csv\n";

struct args {
    const char *catalog, *cycle, *superseded;
    const char **rejects;
    size_t nrejects;
    bool verbose;
};

/* Reads every --rejects file into R; an exit code, 0 on success. */
static int read_rejects(const struct args *a, struct pl_merge_rejects *r, struct pl_diag *diag)
{
    for (size_t i = 0; i < a->nrejects; i++) {
        FILE *fp = fopen(a->rejects[i], "rb");
        if (!fp) {
            pl_diag_report(diag, a->rejects[i], 0, 0, "E_UNREADABLE", "无法打开：%s",
                           strerror(errno));
            return PL_EXIT_NOINPUT;
        }
        enum pl_status st = pl_merge_rejects_read(r, fp, a->rejects[i], diag);
        fclose(fp);
        if (st != PL_OK)
            return pl_status_exit_code(st);
    }
    return 0;
}

static int run(const struct args *a, struct pl_diag *diag)
{
    const char *catalog_dir = a->catalog, *cycle_id = a->cycle, *superseded_path = a->superseded;
    struct pl_catalog catalog;
    pl_catalog_init(&catalog);
    struct pl_atomic_file side = {0};
    struct pl_merge_rejects *rejects = pl_merge_rejects_new();
    int code;
    if (!rejects) {
        code = pl_status_exit_code(PL_ERR_NOMEM);
        goto done;
    }
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
    if ((code = read_rejects(a, rejects, diag)) != 0)
        goto done;
    if (superseded_path && pl_atomic_open(&side, superseded_path, diag) != PL_OK) {
        code = PL_EXIT_CANTCREATE;
        goto done;
    }
    struct pl_csv_writer out, sup;
    pl_csv_writer_init(&out, stdout, 0);
    pl_csv_writer_init(&sup, side.fp, PL_CSV_BOM | PL_CSV_EXCEL_SAFE);
    struct pl_merge_stats stats;
    st = pl_merge_stream_cycle(stdin, "standard input", &catalog,
                               pl_catalog_find_cycle(&catalog, cycle_id), rejects, &out,
                               superseded_path ? &sup : NULL, diag, &stats);
    code = pl_status_exit_code(st);
    if (a->verbose && st == PL_OK)
        fprintf(stderr, "ducha-merge: %lu valid rows: %lu task-unit pairs, %lu reported, %lu "
                        "missing, %lu returned with errors, %lu not demanded; %lu rows "
                        "superseded, %lu co-unit notes\n",
                stats.rows, stats.pairs, stats.reported, stats.missing, stats.returned,
                stats.not_demanded, stats.superseded, stats.notes);
    if (superseded_path) {
        if (st == PL_OK)
            code = pl_cli_worse_exit(code, pl_status_exit_code(pl_atomic_commit(&side, diag)));
        else
            pl_atomic_abort(&side);
    }
    code = pl_cli_worse_exit(code, pl_status_exit_code(pl_close_stdout(diag)));
done:
    pl_merge_rejects_free(rejects);
    pl_catalog_fini(&catalog);
    return code;
}

int main(int argc, char **argv)
{
    struct pl_diag *diag = pl_cli_init("ducha-merge");
    static const struct option longopts[] = {
        {"catalog", required_argument, NULL, 'c'}, {"cycle", required_argument, NULL, 'y'},
        {"superseded", required_argument, NULL, 's'}, {"verbose", no_argument, NULL, 'v'},
        {"rejects", required_argument, NULL, 'j'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},        {NULL, 0, NULL, 0},
    };
    struct args a = {0};
    const char *rejects[argc > 0 ? argc : 1];
    a.rejects = rejects;
    int c;
    while ((c = getopt_long(argc, argv, "c:vhV", longopts, NULL)) != -1) {
        switch (c) {
        case 'c': a.catalog = optarg; break;
        case 'y': a.cycle = optarg; break;
        case 's': a.superseded = optarg; break;
        case 'j': a.rejects[a.nrejects++] = optarg; break;
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
    return run(&a, diag);
}
