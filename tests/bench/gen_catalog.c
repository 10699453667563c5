/* gen_catalog — a province's catalog for the benchmarks: a county catalog replicated COUNTIES
 * times with distinct unit names, every task demanded from each county's copy of its hosts. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "buf.h"
#include "catalog.h"
#include "diag.h"

static const char usage[] =
    "usage: gen_catalog [-V] [-n COUNTIES] [-s SEED] SRC DIR\n"
    "\n"
    "Reads the catalog in SRC and writes into DIR (created if missing) a catalog of COUNTIES\n"
    "(default 1000) copies of it: copy K's units are named \"K县\" + the unit's name (aliases\n"
    "and members likewise), each task's hosts and co-units are every copy's hosts and\n"
    "co-units, copy by copy; tasks, indicators, cycles and facts are kept as they are.\n"
    "The output depends on SRC and COUNTIES only (SEED is accepted for the bench's stamp).\n"
    "\n"
    "  -V   print the generator's output version (changes when the bytes would)\n"
    "\n"
    "example: gen_catalog -n 1000 input/2023/catalog build/bench-data/catalog-1000\n";

#define GEN_VERSION 1

static char *prefixed(unsigned long k, const char *name)
{
    struct pl_buf b;
    pl_buf_init(&b);
    if (pl_buf_printf(&b, "%lu县%s", k, name) != PL_OK) {
        pl_buf_fini(&b);
        return NULL;
    }
    return b.data;
}

static char *dup_or_null(const char *s)
{
    return s ? strdup(s) : NULL;
}

/* Appends to DST every name of SRC prefixed for copy K. */
static int push_prefixed(struct pl_strv *dst, const struct pl_strv *src, unsigned long k)
{
    for (size_t i = 0; i < src->n; i++) {
        char *p = prefixed(k, src->v[i]);
        if (!p || pl_strv_push_str(dst, p) != PL_OK) {
            free(p);
            return -1;
        }
        free(p);
    }
    return 0;
}

static int replicate(const struct pl_catalog *src, struct pl_catalog *dst, unsigned long n)
{
    for (unsigned long k = 1; k <= n; k++) {
        for (size_t i = 0; i < src->nunits; i++) {
            const struct pl_unit *s = &src->units[i];
            struct pl_unit *u = pl_catalog_add_unit(dst);
            if (!u || !(u->name = prefixed(k, s->name)))
                return -1;
            u->kind = s->kind;
            if (s->short_name && *s->short_name && !(u->short_name = prefixed(k, s->short_name)))
                return -1;
            u->contact = dup_or_null(s->contact);
            u->phone = dup_or_null(s->phone);
            u->email = dup_or_null(s->email);
            if (push_prefixed(&u->aliases, &s->aliases, k) || push_prefixed(&u->members, &s->members, k))
                return -1;
        }
    }
    for (size_t i = 0; i < src->ntasks; i++) {
        const struct pl_task *s = &src->tasks[i];
        struct pl_task *t = pl_catalog_add_task(dst);
        if (!t || !(t->id = strdup(s->id)) || !(t->title = strdup(s->title)) ||
            !(t->text = strdup(s->text)) || pl_strv_copy(&t->leaders, &s->leaders) != PL_OK)
            return -1;
        t->kind = s->kind;
        t->due = dup_or_null(s->due);
        for (unsigned long k = 1; k <= n; k++)
            if (push_prefixed(&t->hosts, &s->hosts, k) || push_prefixed(&t->cohosts, &s->cohosts, k))
                return -1;
    }
    for (size_t i = 0; i < src->nindicators; i++) {
        const struct pl_indicator *s = &src->indicators[i];
        struct pl_indicator *x = pl_catalog_add_indicator(dst);
        if (!x || !(x->task_id = strdup(s->task_id)) || !(x->metric = strdup(s->metric)) ||
            !(x->comparator = strdup(s->comparator)) || !(x->value = strdup(s->value)) ||
            !(x->unit = strdup(s->unit)) || !(x->source = strdup(s->source)))
            return -1;
    }
    for (size_t i = 0; i < src->ncycles; i++) {
        const struct pl_cycle *s = &src->cycles[i];
        struct pl_cycle *y = pl_catalog_add_cycle(dst);
        if (!y || !(y->id = strdup(s->id)) || !(y->label = dup_or_null(s->label)) ||
            !(y->start = dup_or_null(s->start)) || !(y->end = dup_or_null(s->end)) ||
            !(y->deadline = dup_or_null(s->deadline)) || !(y->expected = dup_or_null(s->expected)))
            return -1;
    }
    for (size_t i = 0; i < src->nfacts; i++)
        if (pl_catalog_set_fact(dst, src->facts[i].key, src->facts[i].value) != PL_OK)
            return -1;
    return 0;
}

int main(int argc, char **argv)
{
    unsigned long n = 1000;
    int opt;
    while ((opt = getopt(argc, argv, "hn:s:V")) != -1) {
        switch (opt) {
        case 'n':
            n = strtoul(optarg, NULL, 10);
            break;
        case 's':
            break;
        case 'V':
            printf("%d\n", GEN_VERSION);
            return 0;
        case 'h':
            fputs(usage, stdout);
            return 0;
        default:
            fputs(usage, stderr);
            return 64;
        }
    }
    if (argc - optind != 2 || n == 0) {
        fputs(usage, stderr);
        return 64;
    }
    struct pl_diag diag;
    pl_diag_init(&diag, NULL, NULL);
    struct pl_catalog src, dst;
    pl_catalog_init(&src);
    pl_catalog_init(&dst);
    int status = 0;
    if (pl_catalog_read(&src, argv[optind], &diag) != PL_OK) {
        fprintf(stderr, "gen_catalog: %s: cannot read the catalog\n", argv[optind]);
        status = 66;
    } else if (mkdir(argv[optind + 1], 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "gen_catalog: %s: %s\n", argv[optind + 1], strerror(errno));
        status = 73;
    } else if (replicate(&src, &dst, n) != 0) {
        fputs("gen_catalog: out of memory\n", stderr);
        status = 70;
    } else if (pl_catalog_write(&dst, argv[optind + 1]) != PL_OK) {
        fprintf(stderr, "gen_catalog: %s: cannot write the catalog\n", argv[optind + 1]);
        status = 73;
    }
    pl_catalog_fini(&src);
    pl_catalog_fini(&dst);
    return status;
}
