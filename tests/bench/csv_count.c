/* csv_count — the bare libcsv parse the benchmarks compare against: counts fields and rows. */
#include <csv.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] = "usage: csv_count [FILE]\n"
                            "\n"
                            "Parses FILE (standard input when none or '-') with libcsv at its\n"
                            "defaults and prints \"FIELDS ROWS\": nothing else is done with a\n"
                            "cell, so its time is the floor any reader on libcsv can reach.\n"
                            "\n"
                            "example: csv_count returns.csv\n";

struct counts {
    unsigned long long fields, rows;
};

static void on_field(void *s, size_t len, void *data)
{
    (void)s;
    (void)len;
    ((struct counts *)data)->fields++;
}

static void on_row(int c, void *data)
{
    (void)c;
    ((struct counts *)data)->rows++;
}

int main(int argc, char **argv)
{
    if (argc > 2 || (argc == 2 && (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0))) {
        fputs(usage, argc == 2 ? stdout : stderr);
        return argc == 2 ? 0 : 64;
    }
    const char *name = argc == 2 && strcmp(argv[1], "-") != 0 ? argv[1] : NULL;
    FILE *fp = name ? fopen(name, "rb") : stdin;
    if (!fp) {
        fprintf(stderr, "csv_count: %s: %s\n", name, strerror(errno));
        return 66;
    }
    if (!name)
        name = "standard input";

    /* Large chunks read straight into our buffer: stdio adds no copy of its own. */
    enum { CHUNK = 1 << 20 };
    char *buf = malloc(CHUNK);
    struct csv_parser p;
    struct counts n = {0, 0};
    int status = 0;
    if (!buf || csv_init(&p, 0) != 0) {
        fprintf(stderr, "csv_count: out of memory\n");
        free(buf);
        return 70;
    }
    size_t got;
    while ((got = fread(buf, 1, CHUNK, fp)) > 0) {
        if (csv_parse(&p, buf, got, on_field, on_row, &n) != got) {
            fprintf(stderr, "csv_count: %s: %s\n", name, csv_strerror(csv_error(&p)));
            status = 65;
            break;
        }
    }
    if (ferror(fp)) {
        fprintf(stderr, "csv_count: %s: read error: %s\n", name, strerror(errno));
        status = 74;
    }
    if (status == 0 && csv_fini(&p, on_field, on_row, &n) != 0) {
        fprintf(stderr, "csv_count: %s: %s\n", name, csv_strerror(csv_error(&p)));
        status = 65;
    }
    csv_free(&p);
    free(buf);
    if (fp != stdin)
        fclose(fp);
    if (status == 0 && (printf("%llu %llu\n", n.fields, n.rows) < 0 || fclose(stdout) != 0)) {
        fprintf(stderr, "csv_count: standard output: %s\n", strerror(errno));
        status = 74;
    }
    return status;
}
