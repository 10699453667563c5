/* ducha-rate — the merged rows of a cycle rated: expected progress, gap, colour, reason and the
 * arrow against the last cycle; task and leader roll-ups aside. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "cli.h"
#include "fsutil.h"
#include "rate.h"
#include "rollup.h"
#include "rules.h"
#include "table.h"

static const char usage[] =
    "Usage: ducha-rate -c CATALOG --cycle ID [--rules FILE]... [--previous RATED]\n"
    "                  [--previous-year] [--tasks FILE] [--leaders FILE] [--rejects FILE]\n"
    "       ducha-rate [--rules FILE]... --print-rules\n"
    "\n"
    "Reads the merged stream of ducha-merge on standard input and writes it to standard output\n"
    "with expected,gap,colour,reason,prev_progress,arrow added to every row.\n"
    "\n"
    "  -c, --catalog DIR   the year's catalog (tasks.csv, units.csv, cycles.csv)\n"
    "  --cycle ID          the reporting cycle, as in cycles.csv (e.g. 2023H1)\n"
    "  -r, --rules FILE    read rules from FILE over the defaults (may be repeated)\n"
    "  --previous RATED    the last cycle's rated rows, for prev_progress and arrow\n"
    "  --previous-year     RATED is last year's: a task is compared with the row of its\n"
    "                      tasks.csv previous_id, and one without is new\n"
    "  --tasks FILE        write the task roll-up (a task takes its worst host's colour)\n"
    "  --leaders FILE      write each leader's task counts by colour\n"
    "  --rejects FILE      write rows that cannot be rated, with code, column and error\n"
    "  --print-rules       print the rules in effect and exit\n"
    "  -h, --help          show this help and exit\n"
    "  -V, --version       show the version and exit\n"
    "\n"
    "Exit status: 0 all rows rated; 1 some rows rejected; 64 usage; 65 input is not a merged\n"
    "stream, or RATED is not a rated file; 66 catalog, rules or RATED not found; 73 an output\n"
    "file not created; 74 output error; 78 bad rules, bad catalog or unknown cycle.\n"
    "\n"
    "Example: ducha-rate -c input/2023/catalog --cycle 2023H2 --previous H1/rated.csv \\\n"
    "             --tasks tasks.csv --leaders leaders.csv < merged.csv > rated.csv\n";

struct args {
    const char *catalog, *cycle, *previous, *tasks, *leaders, *rejects;
    const char *rules[16];
    size_t nrules;
    bool print_rules, previous_year;
};

static int run(const struct args *a, struct pl_diag *diag);

int main(int argc, char **argv)
{
    struct pl_diag *diag = pl_cli_init("ducha-rate");
    static const struct option longopts[] = {
        {"catalog", required_argument, NULL, 'c'},
        {"cycle", required_argument, NULL, 'y'},
        {"rules", required_argument, NULL, 'r'},
        {"previous", required_argument, NULL, 'p'},
        {"tasks", required_argument, NULL, 't'},
        {"leaders", required_argument, NULL, 'l'},
        {"rejects", required_argument, NULL, 'j'},
        {"print-rules", no_argument, NULL, 'P'},
        {"previous-year", no_argument, NULL, 'Y'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    struct args a = {0};
    int c;
    while ((c = getopt_long(argc, argv, "c:r:hV", longopts, NULL)) != -1) {
        switch (c) {
        case 'c':
            a.catalog = optarg;
            break;
        case 'y':
            a.cycle = optarg;
            break;
        case 'r':
            if (a.nrules == sizeof a.rules / sizeof a.rules[0])
                return pl_cli_usage_error("too many --rules files");
            a.rules[a.nrules++] = optarg;
            break;
        case 'p':
            a.previous = optarg;
            break;
        case 't':
            a.tasks = optarg;
            break;
        case 'l':
            a.leaders = optarg;
            break;
        case 'j':
            a.rejects = optarg;
            break;
        case 'P':
            a.print_rules = true;
            break;
        case 'Y':
            a.previous_year = true;
            break;
        case 'h':
            return pl_cli_help(usage);
        case 'V':
            return pl_cli_version();
        default:
            return pl_cli_usage_error("unknown option");
        }
    }
    if (optind < argc)
        return pl_cli_usage_error("unexpected argument '%s': merged rows come on standard input",
                                  argv[optind]);
    if (!a.print_rules && (!a.catalog || !a.cycle))
        return pl_cli_usage_error("-c CATALOG and --cycle ID are required");
    return run(&a, diag);
}

static int print_rules(const struct pl_rules *rules, const struct args *a, struct pl_diag *diag)
{
    enum pl_status st = pl_rules_print_from(rules, a->rules, a->nrules, stdout);
    int code = pl_status_exit_code(st);
    return pl_cli_worse_exit(code, pl_status_exit_code(pl_close_stdout(diag)));
}

/* Opens the side outputs that were asked for. */
static bool open_outputs(const struct args *a, struct pl_atomic_file files[3], struct pl_diag *diag)
{
    const char *paths[3] = {a->tasks, a->leaders, a->rejects};
    for (int i = 0; i < 3; i++)
        if (paths[i] && pl_atomic_open(&files[i], paths[i], diag) != PL_OK)
            return false;
    return true;
}

static int run(const struct args *a, struct pl_diag *diag)
{
    struct pl_rules rules;
    struct pl_catalog catalog;
    struct pl_table previous = {0};
    struct pl_atomic_file files[3] = {{0}};
    struct pl_rollup *rollup = NULL;
    pl_catalog_init(&catalog);
    int code;
    enum pl_status st = pl_rules_load(&rules, a->rules, a->nrules, diag);
    if (st != PL_OK) {
        code = pl_cli_input_exit(st, PL_EXIT_CONFIG);
        goto done;
    }
    if (a->print_rules) {
        code = print_rules(&rules, a, diag);
        goto done;
    }
    if ((st = pl_catalog_read(&catalog, a->catalog, diag)) != PL_OK) {
        code = pl_cli_input_exit(st, PL_EXIT_CONFIG);
        goto done;
    }
    struct pl_rate_cycle cycle;
    if ((st = pl_rate_cycle_setup(&cycle, &catalog, a->catalog, a->cycle, &rules, diag)) != PL_OK) {
        code = pl_cli_input_exit(st, PL_EXIT_CONFIG);
        goto done;
    }
    if (a->previous && ((st = pl_table_read(a->previous, &previous, diag)) != PL_OK ||
                        (st = pl_rate_check_previous(&previous, diag)) != PL_OK)) {
        code = pl_cli_input_exit(st, PL_EXIT_DATA);
        goto done;
    }
    if (!(rollup = pl_rollup_new(&catalog))) {
        code = PL_EXIT_INTERNAL;
        goto done;
    }
    if (!open_outputs(a, files, diag)) {
        code = PL_EXIT_CANTCREATE;
        goto done;
    }
    struct pl_csv_writer out, tasks, leaders, rejects;
    pl_csv_writer_init(&out, stdout, 0);
    pl_csv_writer_init(&tasks, files[0].fp, 0);
    pl_csv_writer_init(&leaders, files[1].fp, 0);
    pl_csv_writer_init(&rejects, files[2].fp, PL_CSV_BOM | PL_CSV_EXCEL_SAFE);
    struct pl_rate_options opt = {
        .rules = &rules,
        .catalog = &catalog,
        .cycle = &cycle,
        .previous = a->previous ? &previous : NULL,
        .previous_year = a->previous_year,
        .tasks = NULL, /* due dates come from the catalog */
        .on_rated = pl_rollup_on_rated,
        .ctx = rollup,
    };
    struct pl_rate_stats stats;
    st = pl_rate_stream(stdin, "standard input", &out, a->rejects ? &rejects : NULL, &opt, diag,
                        &stats);
    if (st == PL_OK && a->tasks)
        st = pl_rollup_write_tasks(rollup, &tasks);
    if (st == PL_OK && a->leaders)
        st = pl_rollup_write_leaders(rollup, &leaders);
    code = st == PL_OK ? (stats.rejected ? PL_EXIT_REJECTED : PL_EXIT_OK) : pl_status_exit_code(st);
    /* Standard output first: the side files appear only when the rated rows did too. */
    code = pl_cli_worse_exit(code, pl_status_exit_code(pl_close_stdout(diag)));
    for (int i = 0; i < 3; i++)
        if (files[i].fp && code <= PL_EXIT_REJECTED)
            code = pl_cli_worse_exit(code, pl_status_exit_code(pl_atomic_commit(&files[i], diag)));
done:
    for (int i = 0; i < 3; i++)
        pl_atomic_abort(&files[i]);
    pl_rollup_free(rollup);
    pl_table_free(&previous);
    pl_catalog_fini(&catalog);
    pl_rules_fini(&rules);
    return code;
}
