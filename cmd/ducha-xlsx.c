/* ducha-xlsx — the cycle's summary workbook, and one workbook per lead leader. */
#include <getopt.h>
#include <stdlib.h>

#include "cli.h"
#include "summary.h"
#include "xlsx.h"

static const char usage[] =
    "Usage: ducha-xlsx -c CATALOG --rated FILE --ranks FILE -o OUT.xlsx [--leaders DIR]\n"
    "                  [--cycle ID]\n"
    "\n"
    "Writes the cycle's summary workbook: 总表 (every task and host unit, coloured blue,\n"
    "yellow or red), 民生实事, 未报送及逾期, 单位排名 and 统计 (counts by leader and kind, with\n"
    "a chart). With --leaders, also one workbook per lead leader in DIR, named after the\n"
    "leader, with that leader's tasks; 各位县长's tasks are in every one, marked shared.\n"
    "Dates inside come from SOURCE_DATE_EPOCH, else the cycle's deadline: the same inputs\n"
    "give the same bytes.\n"
    "\n"
    "  -c, --catalog DIR   the catalog (tasks.csv, cycles.csv; units.csv, document.csv)\n"
    "      --rated FILE    the rated rows (ducha-rate's output)\n"
    "      --ranks FILE    the units' ranks (ducha-rank's output)\n"
    "  -o, --output FILE   the summary workbook to write (required; never standard output)\n"
    "      --leaders DIR   also write one workbook per lead leader into DIR\n"
    "      --cycle ID      the cycle (default: the rated rows' cycle column, else the one\n"
    "                      cycle whose expected progress the rows carry)\n"
    "  -h, --help          show this help and exit\n"
    "  -V, --version       show the version and exit\n"
    "\n"
    "Exit status: 0 written; 64 usage; 65 unusable rated or ranks file; 66 an input could\n"
    "not be opened; 73 an output could not be created; 74 write error; 78 bad catalog.\n"
    "\n"
    "Example: ducha-xlsx -c input/2023/catalog --rated rated.csv --ranks ranks.csv \\\n"
    "             -o summary.xlsx --leaders leaders\n";

int main(int argc, char **argv)
{
    struct pl_diag *diag = pl_cli_init("ducha-xlsx");
    static const struct option longopts[] = {
        {"catalog", required_argument, NULL, 'c'},
        {"rated", required_argument, NULL, 'r'},
        {"ranks", required_argument, NULL, 'k'},
        {"output", required_argument, NULL, 'o'},
        {"leaders", required_argument, NULL, 'l'},
        {"cycle", required_argument, NULL, 'y'},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    struct pl_summary_options opt = {0};
    const char *output = NULL, *leaders = NULL;
    int c;
    opterr = 0; /* the message below names the option, with the program's own name */
    while ((c = getopt_long(argc, argv, "c:o:hV", longopts, NULL)) != -1) {
        switch (c) {
        case 'c':
            opt.catalog = optarg;
            break;
        case 'r':
            opt.rated = optarg;
            break;
        case 'k':
            opt.ranks = optarg;
            break;
        case 'o':
            output = optarg;
            break;
        case 'l':
            leaders = optarg;
            break;
        case 'y':
            opt.cycle = optarg;
            break;
        case 'h':
            return pl_cli_help(usage);
        case 'V':
            return pl_cli_version();
        default:
            return pl_cli_usage_error("unknown option or missing argument: '%s'", argv[optind - 1]);
        }
    }
    if (optind < argc)
        return pl_cli_usage_error("unexpected argument '%s'", argv[optind]);
    if (!opt.catalog || !opt.rated || !opt.ranks || !output)
        return pl_cli_usage_error("-c CATALOG, --rated, --ranks and -o are required");
    if (output[0] == '-' && output[1] == '\0')
        return pl_cli_usage_error("a workbook is never written to standard output: give a file");
    if (pl_xlsx_source_date(getenv("SOURCE_DATE_EPOCH"), &opt.created) != PL_OK)
        return pl_cli_usage_error("SOURCE_DATE_EPOCH is not a number of seconds");
    struct pl_summary *s;
    enum pl_status st = pl_summary_load(&s, &opt, diag);
    if (st != PL_OK)
        return pl_status_exit_code(st);
    st = pl_summary_write(s, output, diag);
    if (st == PL_OK && leaders)
        st = pl_summary_write_leaders(s, leaders, NULL, diag);
    pl_summary_free(s);
    return pl_status_exit_code(st);
}
