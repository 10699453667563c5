/* ducha-cycle — one reporting cycle, whole: returns to circular, staged and locked for cron. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "buf.h"
#include "cli.h"
#include "cycle.h"
#include "date.h"
#include "fsutil.h"
#include "spawn.h"

static const char usage[] =
    "Usage: ducha-cycle [-C ROOT] [--wait] [--number N] [--allow-empty] [-q] YEAR CYCLE\n"
    "       ducha-cycle [-C ROOT] --status [-o FILE.xlsx] [-q] YEAR CYCLE\n"
    "       ducha-cycle [-C ROOT] --start [-q] YEAR [CYCLE]\n"
    "\n"
    "Runs the whole chain for one reporting cycle: ROOT/input/YEAR/ (document, catalog/,\n"
    "rules.ini, returns/CYCLE/) into ROOT/output/YEAR/CYCLE/ (records, rejects, merged, rated,\n"
    "ranks, receipts/, summary.xlsx, leaders/, circular.pdf, the next cycle's forms/, run.log\n"
    "and MANIFEST.sha256); after the year's last cycle, also ROOT/output/YEAR/annual/ (the\n"
    "year's assessment: ducha-annual). The outputs appear all at once when every stage succeeded;\n"
    "otherwise the previous outputs stay as they were. With --status it publishes nothing and\n"
    "prints the units that have not reported yet and those whose returns must be mended (催报).\n"
    "With --start it begins the year: imports the document in ROOT/input/YEAR/ into catalog/,\n"
    "writes catalog/review.xlsx for the office to check, and makes the first cycle's forms in\n"
    "ROOT/output/YEAR/forms/CYCLE/; it publishes no circular. A cycle run that finds no\n"
    "catalog does the same and stops (78): no circular is made from a catalog nobody checked.\n"
    "\n"
    "  -C, --root ROOT  the data root holding input/ and output/ (default: .)\n"
    "  --wait           wait for another run of the same cycle to end, instead of giving up\n"
    "  --number N       the circular's number (default: cycles.csv number, else 第N期 of the\n"
    "                   year's serial, kept in ROOT/output/YEAR/.serial)\n"
    "  --allow-empty    publish even when the cycle's returns folder is missing or empty\n"
    "                   (every unit then 未报送); without it that is an error (66)\n"
    "  --status         list who still owes a return, from what has arrived so far\n"
    "  -o, --output FILE.xlsx  with --status, also write the list as a workbook\n"
    "  --start          import the year's catalog (when missing), write review.xlsx and\n"
    "                   the forms of CYCLE (default: the cycle with the earliest deadline)\n"
    "  -q, --quiet      print nothing but errors (and the --status list): no summary\n"
    "  -h, --help       show this help and exit\n"
    "  -V, --version    show the version and exit\n"
    "\n"
    "Exit status: 0 the outputs (or the list) were produced, rejected rows included; 64 usage;\n"
    "66 no input or no returns; 73 cannot create the outputs; 74 cannot write them to disk;\n"
    "75 another run is in progress; 78 bad catalog or unknown cycle, or a catalog imported\n"
    "just now (check review.xlsx, then run again); a stage's own exit code when it failed.\n"
    "\n"
    "Example: ducha-cycle -C /srv/ducha 2023 2023H1\n";

static long today(void);
static void print_start(const char *year, const char *root, const struct pl_cycle_summary *s);
static bool plain_name(const char *s);

int main(int argc, char **argv)
{
    struct pl_diag *diag = pl_cli_init("ducha-cycle");
    pl_spawn_init(argv[0]);
    static const struct option longopts[] = {
        {"root", required_argument, NULL, 'C'},   {"wait", no_argument, NULL, 'w'},
        {"number", required_argument, NULL, 'n'}, {"status", no_argument, NULL, 's'},
        {"output", required_argument, NULL, 'o'}, {"quiet", no_argument, NULL, 'q'},
        {"help", no_argument, NULL, 'h'},         {"version", no_argument, NULL, 'V'},
        {"allow-empty", no_argument, NULL, 'e'}, {"start", no_argument, NULL, 'S'},
        {NULL, 0, NULL, 0},
    };
    struct pl_cycle_options opt = {.root = ".", .today = -1, .status_out = stdout};
    struct pl_buf xlsx;
    pl_buf_init(&xlsx);
    bool quiet = false;
    int c;
    while ((c = getopt_long(argc, argv, "C:o:qhV", longopts, NULL)) != -1) {
        switch (c) {
        case 'C': opt.root = optarg; break;
        case 'w': opt.wait = true; break;
        case 'n': opt.number = optarg; break;
        case 's': opt.status = true; break;
        case 'e': opt.allow_empty = true; break;
        case 'S': opt.start = true; break;
        /* The chain runs in the root: a relative FILE is the caller's, made absolute here. */
        case 'o':
            pl_buf_clear(&xlsx);
            if (optarg[0] != '/') {
                char *cwd = getcwd(NULL, 0);
                pl_buf_printf(&xlsx, "%s/", cwd ? cwd : ".");
                free(cwd);
            }
            pl_buf_append_str(&xlsx, optarg);
            opt.status_xlsx = xlsx.data;
            break;
        case 'q': quiet = true; break;
        case 'h': return pl_cli_help(usage);
        case 'V': return pl_cli_version();
        default: return pl_cli_usage_error("unknown option");
        }
    }
    if (opt.start && (opt.status || opt.number || opt.wait || opt.allow_empty))
        return pl_cli_usage_error("--start publishes no circular: --status, --number, --wait and "
                                  "--allow-empty do not apply");
    if (opt.start ? argc - optind < 1 || argc - optind > 2 : argc - optind != 2)
        return pl_cli_usage_error(opt.start ? "--start takes YEAR and at most a CYCLE (e.g. 2024)"
                                            : "YEAR and CYCLE are required (e.g. 2023 2023H1)");
    if (opt.status_xlsx && !opt.status)
        return pl_cli_usage_error("-o FILE.xlsx goes with --status");
    if (opt.status && (opt.number || opt.wait))
        return pl_cli_usage_error("--status publishes nothing: --number and --wait do not apply");
    opt.year = argv[optind];
    opt.cycle = optind + 1 < argc ? argv[optind + 1] : NULL;
    if (!plain_name(opt.year) || (opt.cycle && !plain_name(opt.cycle)))
        return pl_cli_usage_error("YEAR and CYCLE are names, not paths (no '/', no leading '.')");
    if (!quiet && isatty(STDERR_FILENO))
        opt.progress = stderr;
    opt.today = today();
    opt.log_out = stderr;
    /* The chain runs in the root, so that every path in the outputs is relative to it. */
    if (chdir(opt.root) != 0) {
        pl_diag_report(diag, opt.root, 0, 0, "E_NO_INPUT", "无法进入数据目录：%s", strerror(errno));
        return PL_EXIT_NOINPUT;
    }
    const char *root_shown = opt.root;
    opt.root = ".";
    struct pl_cycle_summary s;
    int code = pl_cycle_run(&opt, diag, &s);
    char refused[96] = "", nd[96] = "";
    if (s.refused_files)
        snprintf(refused, sizeof refused, " (%lu refused, see files.csv)", s.refused_files);
    if (s.not_demanded)
        snprintf(nd, sizeof nd, " (and %lu reports on tasks demanded from nobody)", s.not_demanded);
    if (code == 0 && !quiet && opt.start)
        print_start(opt.year, root_shown, &s);
    if (code == 0 && !quiet && !opt.status && !opt.start)
        printf("%s %s: %lu files%s, %lu rows: %lu valid, %lu rejected (see rejects.csv)\n"
               "%s %s: %lu task-unit pairs%s: %lu blue, %lu yellow, %lu red; %lu missing, %lu returned "
               "with errors, %lu late\n"
               "%s %s: outputs in %s/%s%s\n",
               opt.year, opt.cycle, s.files, refused, s.rows, s.valid, s.rejected + s.read_rejected,
               opt.year, opt.cycle, s.pairs, nd, s.blue, s.yellow, s.red, s.missing, s.returned, s.late,
               opt.year, opt.cycle, root_shown, s.out_dir,
               s.unchanged ? " (nothing changed since the last run: left as they were)" : "");
    if (code == 0 && !quiet && !opt.status && s.annual_dir[0])
        printf("%s %s: %s: the year's assessment in %s/%s\n", opt.year, opt.cycle,
               s.annual_again ? "run after the year's last cycle" : "the year's last cycle",
               root_shown, s.annual_dir);
    pl_buf_fini(&xlsx);
    return pl_cli_worse_exit(code, pl_status_exit_code(pl_close_stdout(diag)));
}

/* The date of a --status list: SOURCE_DATE_EPOCH's when set (tests), else today's here. */
static long today(void)
{
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    if (sde && *sde)
        return strtol(sde, NULL, 10) / 86400;
    time_t now = time(NULL);
    struct tm tm;
    if (!localtime_r(&now, &tm))
        return -1;
    return pl_date_from_civil(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

/* A YEAR or CYCLE is one plain name: not empty, no '/', not "." or ".." or any hidden name
 * (the run's own files beside the folder start with '.'), no control character. */
static bool plain_name(const char *s)
{
    if (!*s || *s == '.')
        return false;
    for (; *s; s++)
        if (*s == '/' || (unsigned char)*s < 0x20 || *s == 0x7f)
            return false;
    return true;
}

/* What --start did, in two lines: the catalog and its review, then the forms. */
static void print_start(const char *year, const char *root, const struct pl_cycle_summary *s)
{
    if (s->catalog_new)
        printf("%s: catalog imported from %s/%s: %lu tasks, %lu units, %lu messages\n", year, root,
               s->document, s->tasks, s->units, s->notes);
    else
        printf("%s: catalog kept as it is (not imported again): %lu tasks, %lu units, %lu "
               "messages\n",
               year, s->tasks, s->units, s->notes);
    printf("%s: check %s/input/%s/catalog/review.xlsx\n", year, root, year);
    printf("%s %s: forms for %lu units in %s/%s\n", year, s->forms_cycle, s->forms, root,
           s->out_dir);
}
