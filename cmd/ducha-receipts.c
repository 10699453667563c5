/* ducha-receipts — each unit's receipt (回执): what was accepted, what to mend, by when. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "catalog.h"
#include "cli.h"
#include "date.h"
#include "fsutil.h"
#include "receipts.h"
#include "rules.h"
#include "xlsx.h"

static const char usage[] =
    "Usage: ducha-receipts -c CATALOG --cycle ID --merged FILE [--records FILE]\n"
    "                      [--rejects FILE]... [--rules FILE]... -o DIR\n"
    "       ducha-receipts -c CATALOG --cycle ID --merged FILE [--records FILE]\n"
    "                      [--rejects FILE]... [--rules FILE]... --status [--today DATE]\n"
    "                      [--status-xlsx FILE]\n"
    "\n"
    "Writes a receipt (回执) for every unit asked for a return, DIR/<unit>.xlsx: its demanded\n"
    "tasks and what became of each (accepted with progress and colour, 报送有误, 未报送), each\n"
    "rejected row with its cell, the problem and how to mend it, and the deadline for a\n"
    "corrected return; and DIR/index.csv (单位, 联系人, 电话, 报送情况, 需修改条数, …) for\n"
    "phoning and mail-merge. With --status it prints instead the units that have not reported\n"
    "and those that must mend their returns, with their contacts (催报).\n"
    "\n"
    "  -c, --catalog DIR     the year's catalog\n"
    "  --cycle ID            the reporting cycle (2023H1)\n"
    "  --merged FILE         ducha-merge's or ducha-rate's rows (colours shown when rated)\n"
    "  --records FILE        ducha-read's records, to attribute rejected rows to their files' unit\n"
    "  --rejects FILE        a rejects file of ducha-read or ducha-check (may be repeated)\n"
    "  -r, --rules FILE      rules over the defaults, for [late] error_after_days (repeatable)\n"
    "  -o, --output DIR      write the receipts and index.csv into DIR\n"
    "  --status              print the 催报 list to standard output\n"
    "  --today DATE          the date the list is as of (default: SOURCE_DATE_EPOCH, else none)\n"
    "  --status-xlsx FILE    with --status, also write the list as a workbook\n"
    "  -h, --help            show this help and exit\n"
    "  -V, --version         show the version and exit\n"
    "\n"
    "Exit status: 0 done; 64 usage; 65 an input is not what it should be; 66 an input not\n"
    "found; 73 an output could not be created; 74 write error; 78 bad catalog or rules.\n"
    "\n"
    "Example: ducha-receipts -c input/2023/catalog --cycle 2023H1 --merged rated.csv \\\n"
    "    --records records.csv --rejects read-rejects.csv --rejects rejects.csv -o receipts\n";

struct args {
    const char *catalog, *cycle, *merged, *records, *out, *today, *status_xlsx;
    const char *rejects[16], *rules[16];
    size_t nrejects, nrules;
    bool status;
};

static int run(const struct args *a, struct pl_diag *diag);

int main(int argc, char **argv)
{
    struct pl_diag *diag = pl_cli_init("ducha-receipts");
    static const struct option longopts[] = {
        {"catalog", required_argument, NULL, 'c'}, {"cycle", required_argument, NULL, 'y'},
        {"merged", required_argument, NULL, 'm'},  {"records", required_argument, NULL, 'R'},
        {"rejects", required_argument, NULL, 'j'}, {"rules", required_argument, NULL, 'r'},
        {"output", required_argument, NULL, 'o'},  {"status", no_argument, NULL, 's'},
        {"today", required_argument, NULL, 't'},   {"status-xlsx", required_argument, NULL, 'x'},
        {"help", no_argument, NULL, 'h'},          {"version", no_argument, NULL, 'V'},
        {NULL, 0, NULL, 0},
    };
    struct args a = {0};
    int c;
    while ((c = getopt_long(argc, argv, "c:r:o:hV", longopts, NULL)) != -1) {
        switch (c) {
        case 'c': a.catalog = optarg; break;
        case 'y': a.cycle = optarg; break;
        case 'm': a.merged = optarg; break;
        case 'R': a.records = optarg; break;
        case 'o': a.out = optarg; break;
        case 's': a.status = true; break;
        case 't': a.today = optarg; break;
        case 'x': a.status_xlsx = optarg; break;
        case 'j':
        case 'r': {
            const char **v = c == 'j' ? a.rejects : a.rules;
            size_t *n = c == 'j' ? &a.nrejects : &a.nrules;
            if (*n == 16)
                return pl_cli_usage_error("too many --%s files", c == 'j' ? "rejects" : "rules");
            v[(*n)++] = optarg;
            break;
        }
        case 'h': return pl_cli_help(usage);
        case 'V': return pl_cli_version();
        default: return pl_cli_usage_error("unknown option");
        }
    }
    if (optind < argc)
        return pl_cli_usage_error("unexpected argument '%s'", argv[optind]);
    if (!a.catalog || !a.cycle || !a.merged)
        return pl_cli_usage_error("-c CATALOG, --cycle ID and --merged FILE are required");
    if (!a.out == !a.status)
        return pl_cli_usage_error("give either -o DIR or --status");
    if (a.status_xlsx && !a.status)
        return pl_cli_usage_error("--status-xlsx goes with --status");
    return run(&a, diag);
}

static int run(const struct args *a, struct pl_diag *diag)
{
    struct pl_catalog catalog;
    struct pl_rules rules;
    struct pl_receipts r = {0};
    pl_catalog_init(&catalog);
    bool have_rules = false;
    long long created = -1;
    long today = -1;
    int code = 0;
    if (pl_xlsx_source_date(getenv("SOURCE_DATE_EPOCH"), &created) != PL_OK)
        return pl_cli_usage_error("SOURCE_DATE_EPOCH is not a whole number of seconds");
    if (a->today && pl_date_parse(a->today, strlen(a->today), &today, NULL) != PL_OK)
        return pl_cli_usage_error("--today wants a date such as 2023-06-28");
    if (!a->today && created >= 0)
        today = (long)(created / 86400);
    enum pl_status st = pl_catalog_read(&catalog, a->catalog, diag);
    if (st != PL_OK) {
        code = st == PL_ERR_OPEN ? PL_EXIT_NOINPUT : pl_status_exit_code(st);
        goto done;
    }
    have_rules = true;
    if ((st = pl_rules_load(&rules, a->rules, a->nrules, diag)) != PL_OK) {
        code = st == PL_ERR_OPEN ? PL_EXIT_NOINPUT : pl_status_exit_code(st);
        goto done;
    }
    const struct pl_cycle *cy = pl_catalog_find_cycle(&catalog, a->cycle);
    if (created < 0 && cy && cy->deadline) {
        long days;
        if (pl_date_parse(cy->deadline, strlen(cy->deadline), &days, NULL) == PL_OK)
            created = (long long)days * 86400;
    }
    struct pl_receipts_input in = {&catalog,   a->cycle,   a->merged,           a->records,
                                   a->rejects, a->nrejects, rules.error_after_days};
    st = pl_receipts_build(&r, &in, diag);
    if (st == PL_OK && a->out)
        st = pl_receipts_write(&r, a->out, created < 0 ? 0 : created, diag);
    if (st == PL_OK && a->status) {
        st = pl_receipts_print_status(&r, today, stdout);
        if (st == PL_OK && a->status_xlsx)
            st = pl_receipts_write_status_xlsx(&r, today, a->status_xlsx, created < 0 ? 0 : created,
                                               diag);
    }
    code = st == PL_OK ? 0 : st == PL_ERR_OPEN ? PL_EXIT_NOINPUT : pl_status_exit_code(st);
done:
    pl_receipts_fini(&r);
    if (have_rules)
        pl_rules_fini(&rules);
    pl_catalog_fini(&catalog);
    return pl_cli_worse_exit(code, pl_status_exit_code(pl_close_stdout(diag)));
}
