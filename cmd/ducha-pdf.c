/* ducha-pdf — the circular (通报) of a cycle, or a one-off bulletin on a subset, as a PDF. */
#include <getopt.h>
#include <stdlib.h>

#include "bulletin.h"
#include "cli.h"

static const char usage[] =
    "Usage: ducha-pdf -c CATALOG --rated FILE --ranks FILE -o OUT.pdf [-t TEMPLATE]\n"
    "                 [--cycle ID] [--leader NAME] [--unit NAME] [--colour C] [--tasks LIST]\n"
    "                 [--title T] [--number N] [--date YYYY-MM-DD] [--fonts FILE]\n"
    "                 [--markup FILE]\n"
    "\n"
    "Writes the circular of a cycle as an official document (GB/T 9704-2012): red header,\n"
    "title, body on the 22 x 28 grid, signature, 附件1 一览表, 附件2 单位排名表, 版记.\n"
    "With a subset option it is a one-off bulletin: counts and tables cover the subset only.\n"
    "\n"
    "  -c, --catalog DIR    the catalog (tasks.csv, units.csv, cycles.csv, document.csv)\n"
    "      --rated FILE     the rated rows (ducha-rate)\n"
    "      --ranks FILE     the unit ranks (ducha-rank)\n"
    "  -o, --output FILE    the PDF to write (- for standard output, never a terminal)\n"
    "  -t, --template T     circular.tpl (default), briefing.tpl (督查专报), or a path\n"
    "      --cycle ID       the cycle (default: the one most returns' dates fall in)\n"
    "      --leader NAME    only tasks this leader leads (牵头领导; 同志 may follow)\n"
    "      --unit NAME      only rows of this host unit (name, short name or alias)\n"
    "      --colour C       only rows of these colours: blue, yellow, red (or 蓝, 黄, 红)\n"
    "      --tasks LIST     only these task ids (1,4,M3)\n"
    "      --title T        the title instead of the template's (| breaks a line)\n"
    "      --number N       the document number, e.g. 嘉政督〔2023〕5号 or 第5期\n"
    "                       (default: cycles.csv number; a bare 5 is 第5期)\n"
    "      --date DATE      the document's date (default: cycles.csv issued, else the later\n"
    "                       of the deadline and the latest return counted; never the clock)\n"
    "      --fonts FILE     the font table (default: fonts.conf beside the template)\n"
    "      --markup FILE    also write the filled-in template (the page markup) to FILE\n"
    "  -h, --help           show this help and exit\n"
    "  -V, --version        show the version and exit\n"
    "\n"
    "Exit status: 0 written; 64 usage (an unknown leader, unit or task id: the known ones\n"
    "are listed); 65 unusable data or empty subset; 66 an input could\n"
    "not be read; 73 the output could not be created; 74 output error; 78 bad template,\n"
    "font table or catalog.\n"
    "\n"
    "Example: ducha-pdf -c catalog --rated rated.csv --ranks ranks.csv --leader 朱亚峰\n"
    "         --colour red --number 嘉政督〔2023〕6号 -o zhu-red.pdf\n";

int main(int argc, char **argv)
{
    struct pl_diag *diag = pl_cli_init("ducha-pdf");
    enum {
        O_RATED = 256,
        O_RANKS,
        O_CYCLE,
        O_LEADER,
        O_UNIT,
        O_COLOUR,
        O_TASKS,
        O_TITLE,
        O_NUMBER,
        O_DATE,
        O_FONTS,
        O_MARKUP
    };
    static const struct option longopts[] = {
        {"catalog", required_argument, NULL, 'c'},
        {"rated", required_argument, NULL, O_RATED},
        {"ranks", required_argument, NULL, O_RANKS},
        {"output", required_argument, NULL, 'o'},
        {"template", required_argument, NULL, 't'},
        {"cycle", required_argument, NULL, O_CYCLE},
        {"leader", required_argument, NULL, O_LEADER},
        {"unit", required_argument, NULL, O_UNIT},
        {"colour", required_argument, NULL, O_COLOUR},
        {"color", required_argument, NULL, O_COLOUR},
        {"tasks", required_argument, NULL, O_TASKS},
        {"title", required_argument, NULL, O_TITLE},
        {"number", required_argument, NULL, O_NUMBER},
        {"date", required_argument, NULL, O_DATE},
        {"fonts", required_argument, NULL, O_FONTS},
        {"markup", required_argument, NULL, O_MARKUP},
        {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    struct pl_bulletin_options o = {.program = argv[0], .epoch = -1};
    const char **slot[] = {[O_RATED - O_RATED] = &o.rated,
                           &o.ranks,
                           &o.cycle,
                           &o.leader,
                           &o.unit,
                           &o.colour,
                           &o.tasks,
                           &o.title,
                           &o.number,
                           &o.date,
                           &o.fonts,
                           &o.markup};
    int c;
    while ((c = getopt_long(argc, argv, "c:o:t:hV", longopts, NULL)) != -1) {
        if (c >= O_RATED && c <= O_MARKUP) {
            *slot[c - O_RATED] = optarg;
            continue;
        }
        switch (c) {
        case 'c':
            o.catalog = optarg;
            break;
        case 'o':
            o.output = optarg;
            break;
        case 't':
            o.template_name = optarg;
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
        return pl_cli_usage_error("unexpected argument '%s'", argv[optind]);
    if (!o.catalog || !o.rated || !o.ranks || !o.output)
        return pl_cli_usage_error("-c CATALOG, --rated, --ranks and -o are required");
    const char *epoch = getenv("SOURCE_DATE_EPOCH");
    if (epoch && *epoch) {
        char *end;
        o.epoch = strtoll(epoch, &end, 10);
        if (*end || o.epoch < 0)
            return pl_cli_usage_error("SOURCE_DATE_EPOCH '%s' is not a Unix time", epoch);
    }
    return pl_status_exit_code(pl_bulletin_run(&o, diag));
}
