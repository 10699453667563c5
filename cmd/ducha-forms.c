/* ducha-forms — one blank return per host unit, pre-filled with the unit's tasks. */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "cli.h"
#include "forms.h"
#include "xlsx.h"

static const char usage[] =
    "Usage: ducha-forms -c CATALOG --cycle ID -o DIR [--format csv|xlsx]\n"
    "                   [--encoding utf-8|gbk]\n"
    "\n"
    "Writes, for every unit that hosts a task (collectives such as 各镇街 excepted), a blank\n"
    "return named after the unit into DIR: one row per task the unit hosts and one per\n"
    "indicator, pre-filled with 任务编号, 工作任务, 牵头领导, 指标, 目标值 and 承办单位, and the\n"
    "columns the unit fills (责任人 … 填报日期). A filled form, CSV or XLSX, is returned and\n"
    "read by ducha-read as it is. XLSX forms lock all but the input cells, spare rows and the\n"
    "signature row (no password; rows may be inserted) and check 状态, 完成进度 and 填报日期.\n"
    "\n"
    "  -c, --catalog DIR     the catalog (tasks.csv, cycles.csv; units.csv, indicators.csv,\n"
    "                        document.csv)\n"
    "      --cycle ID        the cycle the forms are for, as in cycles.csv (e.g. 2023H1)\n"
    "  -o, --output DIR      where to write the forms (created if missing)\n"
    "  -f, --format FORMAT   csv (the default) or xlsx\n"
    "  -e, --encoding ENC    for CSV: utf-8 (with a BOM, the default) or gbk\n"
    "  -h, --help            show this help and exit\n"
    "  -V, --version         show the version and exit\n"
    "\n"
    "Exit status: 0 written; 64 usage; 65 some forms could not be written in GBK (the others\n"
    "were); 66 a catalog file could not be opened; 73 an output could not be created;\n"
    "74 write error; 78 bad catalog or unknown cycle.\n"
    "\n"
    "Example: ducha-forms -c input/2023/catalog --cycle 2023H1 -o forms --format xlsx\n";

int main(int argc, char **argv)
{
    struct pl_diag *diag = pl_cli_init("ducha-forms");
    static const struct option longopts[] = {
        {"catalog", required_argument, NULL, 'c'},  {"cycle", required_argument, NULL, 'y'},
        {"output", required_argument, NULL, 'o'},   {"format", required_argument, NULL, 'f'},
        {"encoding", required_argument, NULL, 'e'}, {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},        {NULL, 0, NULL, 0},
    };
    struct pl_forms_options opt = {.format = PL_FORMS_CSV};
    bool encoding_given = false;
    int c;
    opterr = 0; /* the message below names the option, with the program's own name */
    while ((c = getopt_long(argc, argv, "c:o:f:e:hV", longopts, NULL)) != -1) {
        switch (c) {
        case 'c':
            opt.catalog = optarg;
            break;
        case 'y':
            opt.cycle = optarg;
            break;
        case 'o':
            opt.outdir = optarg;
            break;
        case 'f':
            if (strcmp(optarg, "csv") && strcmp(optarg, "xlsx"))
                return pl_cli_usage_error("unknown format '%s' (csv or xlsx)", optarg);
            opt.format = strcmp(optarg, "xlsx") ? PL_FORMS_CSV : PL_FORMS_XLSX;
            break;
        case 'e':
            if (strcasecmp(optarg, "utf-8") && strcasecmp(optarg, "utf8") &&
                strcasecmp(optarg, "gbk"))
                return pl_cli_usage_error("unknown encoding '%s' (utf-8 or gbk)", optarg);
            opt.gbk = strcasecmp(optarg, "gbk") == 0;
            encoding_given = true;
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
    if (!opt.catalog || !opt.cycle || !opt.outdir)
        return pl_cli_usage_error("-c CATALOG, --cycle ID and -o DIR are required");
    if (encoding_given && opt.format == PL_FORMS_XLSX)
        return pl_cli_usage_error("--encoding is for CSV forms only");
    if (pl_xlsx_source_date(getenv("SOURCE_DATE_EPOCH"), &opt.created) != PL_OK)
        return pl_cli_usage_error("SOURCE_DATE_EPOCH is not a number of seconds");
    return pl_status_exit_code(pl_forms_write(&opt, NULL, diag));
}
