/* ducha-rank — rated rows to one row per host unit: counts, score, rank in its group, move. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fsutil.h"
#include "rank.h"
#include "rules.h"
#include "table.h"

static const char usage[] =
    "Usage: ducha-rank [--rules FILE]... [--previous RANKS]\n"
    "       ducha-rank [--rules FILE]... --print-rules\n"
    "\n"
    "Reads the rated rows of ducha-rate on standard input and writes one row per host unit\n"
    "to standard output: unit,group,tasks,blue,yellow,red,missing,late,score,rank,prev_rank,\n"
    "move. Ranks are within each group, dense (1, 2, 2, 3) unless the rules say otherwise.\n"
    "\n"
    "  -r, --rules FILE    read rules from FILE over the defaults (may be repeated)\n"
    "  --previous RANKS    the last cycle's ranks, for prev_rank and move\n"
    "  --print-rules       print the rules in effect and exit\n"
    "  -h, --help          show this help and exit\n"
    "  -V, --version       show the version and exit\n"
    "\n"
    "Exit status: 0 ranked; 1 some rows left out; 64 usage; 65 input is not a rated stream,\n"
    "or RANKS is not a ranks file; 66 rules or RANKS not found; 74 output error; 78 bad\n"
    "rules.\n"
    "\n"
    "Example: ducha-rank --previous H1/ranks.csv < rated.csv > ranks.csv\n";

struct args {
    const char *previous;
    const char *rules[16];
    size_t nrules;
    bool print_rules;
};

static int run(const struct args *a, struct pl_diag *diag);

int main(int argc, char **argv)
{
    struct pl_diag *diag = pl_cli_init("ducha-rank");
    static const struct option longopts[] = {
        {"rules", required_argument, NULL, 'r'}, {"previous", required_argument, NULL, 'p'},
        {"print-rules", no_argument, NULL, 'P'}, {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},     {NULL, 0, NULL, 0},
    };
    struct args a = {0};
    int c;
    while ((c = getopt_long(argc, argv, "r:hV", longopts, NULL)) != -1) {
        switch (c) {
        case 'r':
            if (a.nrules == sizeof a.rules / sizeof a.rules[0])
                return pl_cli_usage_error("too many --rules files");
            a.rules[a.nrules++] = optarg;
            break;
        case 'p':
            a.previous = optarg;
            break;
        case 'P':
            a.print_rules = true;
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
        return pl_cli_usage_error("unexpected argument '%s': rated rows come on standard input",
                                  argv[optind]);
    return run(&a, diag);
}

static int print_rules(const struct pl_rules *rules, const struct args *a, struct pl_diag *diag)
{
    enum pl_status st = pl_rules_print_from(rules, a->rules, a->nrules, stdout);
    return pl_cli_worse_exit(pl_status_exit_code(st), pl_status_exit_code(pl_close_stdout(diag)));
}

static int run(const struct args *a, struct pl_diag *diag)
{
    struct pl_rules rules;
    struct pl_table previous = {0};
    struct pl_ranking ranking;
    pl_ranking_init(&ranking);
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
    if (a->previous && ((st = pl_table_read(a->previous, &previous, diag)) != PL_OK ||
                        (st = pl_rank_check_previous(&previous, diag)) != PL_OK)) {
        code = pl_cli_input_exit(st, PL_EXIT_DATA);
        goto done;
    }
    struct pl_rank_stats stats;
    if ((st = pl_rank_read(stdin, "standard input", &ranking, diag, &stats)) != PL_OK ||
        (st = pl_rank_assign(&ranking, &rules)) != PL_OK) {
        code = pl_cli_input_exit(st, PL_EXIT_DATA);
        goto done;
    }
    if (a->previous && (st = pl_rank_apply_previous(&ranking, &previous)) != PL_OK) {
        code = pl_status_exit_code(st);
        goto done;
    }
    struct pl_csv_writer out;
    pl_csv_writer_init(&out, stdout, 0);
    st = pl_rank_write(&ranking, &out);
    code = st == PL_OK ? (stats.rejected ? PL_EXIT_REJECTED : PL_EXIT_OK) : pl_status_exit_code(st);
    code = pl_cli_worse_exit(code, pl_status_exit_code(pl_close_stdout(diag)));
done:
    pl_ranking_fini(&ranking);
    pl_table_free(&previous);
    pl_rules_fini(&rules);
    return code;
}
