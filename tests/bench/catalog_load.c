/* catalog_load — how long loading a catalog takes, without a program's other work. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "catalog.h"
#include "table.h"

static const char usage[] =
    "usage: catalog_load [-t] CATALOG [N]\n"
    "\n"
    "Loads the catalog in CATALOG N times (default 5) as ducha-check and ducha-merge do\n"
    "(pl_catalog_read), or with -t as ducha-xlsx, ducha-pdf and ducha-forms do (tasks.csv and\n"
    "units.csv as tables), and prints the least CPU time of one load and the peak RSS:\n"
    "  load_s=T maxrss_kb=K\n"
    "\n"
    "example: catalog_load input/2023/catalog 100\n";

static double cpu_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
    int a = 1;
    int tables = argc > 1 && strcmp(argv[1], "-t") == 0;
    a += tables;
    if (argc - a < 1 || argc - a > 2 || strcmp(argv[a], "-h") == 0) {
        fputs(usage, argc - a == 1 ? stdout : stderr);
        return argc - a == 1 ? 0 : 64;
    }
    long n = argc - a == 2 ? strtol(argv[a + 1], NULL, 10) : 5;
    double best = -1;
    for (long i = 0; i < (n > 0 ? n : 1); i++) {
        double t0 = cpu_now();
        enum pl_status st;
        if (tables) {
            struct pl_table t, u;
            st = pl_catalog_read_table(argv[a], "tasks.csv", &t, NULL);
            if (st == PL_OK) {
                st = pl_catalog_read_table(argv[a], "units.csv", &u, NULL);
                pl_table_free(&u);
            }
            pl_table_free(&t);
        } else {
            struct pl_catalog c;
            pl_catalog_init(&c);
            st = pl_catalog_read(&c, argv[a], NULL);
            pl_catalog_fini(&c);
        }
        double t = cpu_now() - t0;
        if (st != PL_OK) {
            fprintf(stderr, "catalog_load: %s: %s\n", argv[a], pl_strerror(st));
            return 65;
        }
        if (best < 0 || t < best)
            best = t;
    }
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    printf("load_s=%.4f maxrss_kb=%ld\n", best, ru.ru_maxrss);
    return 0;
}
