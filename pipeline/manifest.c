/* manifest — SHA-256 over the files of a cycle. */
#include "manifest.h"

#include <dirent.h>
#include <nettle/sha2.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fsutil.h"

enum pl_status pl_sha256_file(const char *path, struct pl_buf *hex)
{
    FILE *fp = fopen(path, "rb");
    if (!fp)
        return PL_ERR_OPEN;
    struct sha256_ctx ctx;
    sha256_init(&ctx);
    unsigned char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
        sha256_update(&ctx, n, buf);
    bool failed = ferror(fp);
    fclose(fp);
    if (failed)
        return PL_ERR_IO;
    unsigned char digest[SHA256_DIGEST_SIZE];
    sha256_digest(&ctx, sizeof digest, digest);
    for (size_t i = 0; i < sizeof digest; i++)
        if (pl_buf_printf(hex, "%02x", digest[i]) != PL_OK)
            return PL_ERR_NOMEM;
    return PL_OK;
}

void pl_manifest_init(struct pl_manifest *m)
{
    m->lines = NULL;
    m->n = m->cap = 0;
}

void pl_manifest_fini(struct pl_manifest *m)
{
    for (size_t i = 0; i < m->n; i++)
        free(m->lines[i]);
    free(m->lines);
    pl_manifest_init(m);
}

enum pl_status pl_manifest_add(struct pl_manifest *m, const char *file, const char *shown)
{
    struct pl_buf line;
    pl_buf_init(&line);
    enum pl_status st = pl_sha256_file(file, &line);
    if (st == PL_OK)
        st = pl_buf_printf(&line, "  %s", shown);
    if (st == PL_OK && m->n == m->cap) {
        size_t cap = m->cap ? m->cap * 2 : 64;
        char **lines = realloc(m->lines, cap * sizeof *lines);
        if (!lines)
            st = PL_ERR_NOMEM;
        else {
            m->lines = lines;
            m->cap = cap;
        }
    }
    if (st == PL_OK) {
        char *s = pl_buf_take(&line);
        if (!s)
            st = PL_ERR_NOMEM;
        else
            m->lines[m->n++] = s;
    }
    pl_buf_fini(&line);
    return st;
}

static bool skipped(const char *rel, const char *const *skip)
{
    for (; skip && *skip; skip++)
        if (strcmp(rel, *skip) == 0)
            return true;
    return false;
}

static enum pl_status add_tree(struct pl_manifest *m, const char *dir, const char *rel,
                               const char *prefix, const char *const *skip)
{
    DIR *d = opendir(dir);
    if (!d)
        return PL_ERR_OPEN;
    enum pl_status st = PL_OK;
    struct dirent *e;
    while (st == PL_OK && (e = readdir(d))) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        struct pl_buf path, sub, shown;
        pl_buf_init(&path);
        pl_buf_init(&sub);
        pl_buf_init(&shown);
        pl_buf_printf(&path, "%s/%s", dir, e->d_name);
        pl_buf_printf(&sub, "%s%s%s", rel, *rel ? "/" : "", e->d_name);
        pl_buf_printf(&shown, "%s%s", prefix, sub.data);
        struct stat sb;
        /* A link (catalog/units.csv kept elsewhere) stands for its file's content; a link to a
         * folder is not followed, so that no loop of links is walked. */
        bool link = false;
        if (skipped(sub.data, skip) || lstat(path.data, &sb) != 0)
            ;
        else if (S_ISLNK(sb.st_mode) && (link = true) && stat(path.data, &sb) != 0)
            ;
        else if (S_ISDIR(sb.st_mode) && link)
            ;
        else if (S_ISDIR(sb.st_mode))
            st = add_tree(m, path.data, sub.data, prefix, skip);
        else if (S_ISREG(sb.st_mode))
            st = pl_manifest_add(m, path.data, shown.data);
        pl_buf_fini(&path);
        pl_buf_fini(&sub);
        pl_buf_fini(&shown);
    }
    closedir(d);
    return st;
}

enum pl_status pl_manifest_add_tree(struct pl_manifest *m, const char *dir, const char *prefix,
                                    const char *const *skip)
{
    return add_tree(m, dir, "", prefix, skip);
}

static int by_path(const void *a, const void *b)
{
    /* Lines are "HEX  PATH": the path starts after the 64 digits and two spaces. */
    return strcmp(*(char *const *)a + 66, *(char *const *)b + 66);
}

enum pl_status pl_manifest_line(struct pl_buf *out, const char *hex, const char *name)
{
    /* sha256sum(1): a name holding a backslash, a newline or a carriage return is written
     * with those escaped (\\, \n, \r) and the line marked by a leading backslash. */
    bool escaped = strpbrk(name, "\\\n\r") != NULL;
    enum pl_status st = pl_buf_printf(out, "%s%s  ", escaped ? "\\" : "", hex);
    for (const char *c = name; st == PL_OK && *c; c++) {
        if (*c == '\\')
            st = pl_buf_append_str(out, "\\\\");
        else if (*c == '\n')
            st = pl_buf_append_str(out, "\\n");
        else if (*c == '\r')
            st = pl_buf_append_str(out, "\\r");
        else
            st = pl_buf_append_char(out, *c);
    }
    if (st == PL_OK)
        st = pl_buf_append_char(out, '\n');
    return st;
}

enum pl_status pl_manifest_write(struct pl_manifest *m, const char *path)
{
    qsort(m->lines, m->n, sizeof *m->lines, by_path);
    struct pl_atomic_file f;
    enum pl_status st = pl_atomic_open(&f, path, NULL);
    if (st != PL_OK)
        return st;
    struct pl_buf line;
    pl_buf_init(&line);
    for (size_t i = 0; st == PL_OK && i < m->n; i++) {
        char hex[65];
        memcpy(hex, m->lines[i], 64);
        hex[64] = '\0';
        pl_buf_clear(&line);
        st = pl_manifest_line(&line, hex, m->lines[i] + 66);
        if (st == PL_OK && fwrite(line.data, 1, line.len, f.fp) != line.len)
            st = PL_ERR_IO;
    }
    pl_buf_fini(&line);
    if (st != PL_OK) {
        pl_atomic_abort(&f);
        return st;
    }
    return pl_atomic_commit(&f, NULL);
}

/* The lines of a manifest file, each split at the two spaces into hash and path (the hash
 * keeps a leading backslash, which marks an escaped path), sorted by path. */
struct entry {
    char *hash, *path;
};

static int by_entry_path(const void *a, const void *b)
{
    return strcmp(((const struct entry *)a)->path, ((const struct entry *)b)->path);
}

static void free_entries(struct entry *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i].hash); /* the path lives in the same allocation */
    free(v);
}

static enum pl_status read_entries(const char *path, struct entry **out, size_t *count)
{
    *out = NULL;
    *count = 0;
    FILE *fp = fopen(path, "r");
    if (!fp)
        return PL_ERR_OPEN;
    size_t cap = 0;
    char *line = NULL;
    size_t lcap = 0;
    ssize_t len;
    enum pl_status st = PL_OK;
    while ((len = getline(&line, &lcap, fp)) > 0) {
        if (line[len - 1] == '\n')
            line[--len] = '\0';
        char *sep = strstr(line, "  ");
        if (!sep || sep == line)
            continue;
        if (*count == cap) {
            cap = cap ? cap * 2 : 64;
            struct entry *v = realloc(*out, cap * sizeof *v);
            if (!v) {
                st = PL_ERR_NOMEM;
                break;
            }
            *out = v;
        }
        char *copy = strdup(line);
        if (!copy) {
            st = PL_ERR_NOMEM;
            break;
        }
        copy[sep - line] = '\0';
        (*out)[*count].hash = copy;
        (*out)[(*count)++].path = copy + (sep - line) + 2;
    }
    if (st == PL_OK && ferror(fp))
        st = PL_ERR_IO;
    free(line);
    fclose(fp);
    if (st != PL_OK) {
        free_entries(*out, *count);
        *out = NULL;
        *count = 0;
        return st;
    }
    if (*count)
        qsort(*out, *count, sizeof **out, by_entry_path);
    return PL_OK;
}

enum pl_status pl_manifest_compare(const char *old_path, const char *new_path,
                                   pl_manifest_change_fn on_change, void *ctx, size_t *changes)
{
    *changes = 0;
    struct entry *a = NULL, *b = NULL;
    size_t na = 0, nb = 0;
    enum pl_status st = read_entries(old_path, &a, &na);
    if (st == PL_OK)
        st = read_entries(new_path, &b, &nb);
    if (st != PL_OK)
        goto done;
    /* A merge of the two sorted lists. */
    size_t i = 0, j = 0;
    while (i < na || j < nb) {
        int cmp = i == na ? 1 : j == nb ? -1 : strcmp(a[i].path, b[j].path);
        enum pl_manifest_change what;
        const char *path;
        bool differs = true;
        if (cmp < 0) {
            what = PL_MANIFEST_REMOVED;
            path = a[i++].path;
        } else if (cmp > 0) {
            what = PL_MANIFEST_NEW;
            path = b[j++].path;
        } else {
            what = PL_MANIFEST_CHANGED;
            path = b[j].path;
            differs = strcmp(a[i].hash, b[j].hash) != 0;
            i++;
            j++;
        }
        if (!differs)
            continue;
        ++*changes;
        if (on_change)
            on_change(ctx, what, path);
    }
done:
    free_entries(a, na);
    free_entries(b, nb);
    return st;
}
