/* cycle — the whole chain for one reporting cycle, staged, locked, logged. */
#define _GNU_SOURCE /* renameat2(RENAME_EXCHANGE): the atomic swap of two folders */
#include "cycle.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "catalog.h"
#include "cli.h"
#include "catalog.h"
#include "csv.h"
#include "date.h"
#include "fields.h"
#include "inbox.h"
#include "manifest.h"
#include "review.h"
#include "spawn.h"
#include "table.h"
#include "xlsx.h"

struct run {
    const struct pl_cycle_options *opt;
    struct pl_diag *diag;
    struct pl_cycle_summary *sum;
    struct pl_buf in, catalog, out_year, out, staging, log, err_path, document, rules;
    struct pl_buf prev_rated, prev_ranks, next_cycle, prev_shown, number, issued;
    struct pl_buf prev_id;     /* the previous cycle's id, for run.log */
    bool prev_last_year;       /* the previous cycle is last year's: ducha-rate --previous-year */
    bool subset;               /* the cycle demands some tasks only (cycles.csv tasks) */
    struct pl_buf returns_dir; /* empty when the cycle has no returns folder */
    struct pl_inbox inbox;     /* every file under it */
    unsigned stage_no;
    /* The year's catalog: its lock (input/YEAR/.catalog.lock), held from the moment a run
     * finds the catalog missing to the run's end, or -1; whether the catalog is new (see
     * ensure_catalog); ducha-import's messages when this run imported it. */
    int catalog_lock;
    enum { CATALOG_CHECKED, CATALOG_IMPORTED, CATALOG_IMPORTED_BY_OTHER } catalog_new;
    struct pl_buf import_notes;
    /* This run's outputs as write_manifest() hashed them, "HEX  PATH" below the staging
     * folder: what the published folder is compared with (same_tree), not hashed again. */
    struct pl_manifest outputs;
    /* The stages that follow ducha-rank (run_chain), some started ahead of their turn: each
     * stage run in its turn meanwhile also reaps those that end beside it. */
    struct side_stage *side;
    size_t nside;
};

/* The stages after ducha-rank that may run beside others: receipts, workbooks, circular,
 * forms (run_chain). */
enum { SIDE_MAX = 4 };

/* A stage that reads files only and writes its own outputs: it may run beside others. */
struct side_stage {
    const char *program;
    char **argv;
    unsigned no;                /* its number in run.log */
    struct pl_buf err;          /* its messages file */
    enum pl_status st;          /* PL_OK once started */
    bool started, ended;
    struct pl_spawn_child child;
    struct pl_spawn_result res;
};

static void logf_(struct run *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void logf_(struct run *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pl_buf_vprintf(&r->log, fmt, ap);
    va_end(ap);
}

static bool is_dir(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISDIR(sb.st_mode);
}

static bool is_file(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

static mode_t current_umask(void)
{
    mode_t mask = umask(0);
    umask(mask);
    return mask;
}

static int remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)flag;
    (void)ftw;
    return remove(path);
}

static void remove_tree(const char *path)
{
    nftw(path, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

/* Flushes PATH (a file or a folder, opened without following a link) to disk. */
static int sync_path(const char *path)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    int err = errno;
    close(fd);
    errno = err;
    return rc;
}

/* The files and folders below a folder, as nftw(3) gives them with FTW_DEPTH: each folder
 * after what it holds. */
struct tree_list {
    char **path;
    bool *is_dir;
    size_t n, cap;
};

static struct tree_list *tree_walk; /* nftw has no context pointer */

static int list_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb;
    (void)ftw;
    if (flag != FTW_F && flag != FTW_DP)
        return 0;
    struct tree_list *t = tree_walk;
    if (t->n == t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 256;
        char **p = realloc(t->path, cap * sizeof *p);
        if (p)
            t->path = p;
        bool *d = p ? realloc(t->is_dir, cap * sizeof *d) : NULL;
        if (!d)
            return -1;
        t->is_dir = d;
        t->cap = cap;
    }
    if (!(t->path[t->n] = strdup(path)))
        return -1;
    t->is_dir[t->n++] = flag == FTW_DP;
    return 0;
}

/* Flushes every file and folder below DIR, and DIR itself: what a rename then publishes is
 * on the disk before the rename is. The stages did not flush what they wrote there
 * (DUCHA_STAGING, fsutil.h).
 *
 * One syncfs(2) of DIR's file system does it: every dirty file, folder and block of the file
 * system is written and the disk's cache flushed, in one pass. An fsync per file costs a
 * flush of the disk's cache each (18,000 files of a 150-county cycle: 1.0-2.3 s against
 * 0.2 s for the one syncfs). syncfs reports a write error of any file of the file system
 * that no one has seen yet (Linux 5.8 and later). When it fails, or cannot be made, the
 * files are flushed one by one as before, so that the message names the one that failed:
 * first every file's writeback is started at once (sync_file_range), then every file, and
 * every folder after its entries, is fsync'ed. 0, or -1 with errno set and *FAILED (when
 * not NULL) naming what could not be flushed (the caller frees it). */
static int sync_tree_named(const char *dir, char **failed)
{
    const char *no_syncfs = getenv("DUCHA_TEST_NO_SYNCFS");
    int dfd = no_syncfs && *no_syncfs ? -1 : open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    if (dfd >= 0) {
        int rc = syncfs(dfd);
        close(dfd);
        if (rc == 0) {
            if (failed)
                *failed = NULL;
            return 0;
        }
    }
    struct tree_list t = {NULL, NULL, 0, 0};
    tree_walk = &t;
    int rc = nftw(dir, list_entry, 16, FTW_DEPTH | FTW_PHYS) == 0 ? 0 : -1;
    int err = errno;
    tree_walk = NULL;
    for (size_t i = 0; rc == 0 && i < t.n; i++) {
        if (t.is_dir[i])
            continue;
        int fd = open(t.path[i], O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
        if (fd >= 0) {
            /* Only a start: errors surface at the fsync below. */
            sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
            close(fd);
        }
    }
    size_t i = 0;
    for (; rc == 0 && i < t.n; i++)
        if (sync_path(t.path[i]) != 0) {
            rc = -1;
            err = errno;
            break;
        }
    if (failed)
        *failed = rc == 0 ? NULL : strdup(i < t.n ? t.path[i] : dir);
    for (size_t k = 0; k < t.n; k++)
        free(t.path[k]);
    free(t.path);
    free(t.is_dir);
    errno = err;
    return rc;
}

static int sync_tree(const char *dir)
{
    return sync_tree_named(dir, NULL);
}

/* Flushes the staging folder DIR whole (sync_tree) or reports the file or folder that could
 * not be flushed (E_SYNC). */
static int sync_staged(struct run *r, const char *dir);

static int by_bytes(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The regular files of DIR whose names do not start with '.', sorted by name. */
static enum pl_status list_files(const char *dir, char ***out, size_t *count)
{
    *out = NULL;
    *count = 0;
    DIR *d = opendir(dir);
    if (!d)
        return errno == ENOENT ? PL_OK : PL_ERR_OPEN;
    size_t cap = 0;
    struct dirent *e;
    enum pl_status st = PL_OK;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        struct pl_buf path;
        pl_buf_init(&path);
        pl_buf_printf(&path, "%s/%s", dir, e->d_name);
        bool regular = is_file(path.data);
        if (regular && *count == cap) {
            cap = cap ? cap * 2 : 64;
            char **v = realloc(*out, cap * sizeof *v);
            if (!v) {
                pl_buf_fini(&path);
                st = PL_ERR_NOMEM;
                break;
            }
            *out = v;
        }
        if (regular)
            (*out)[(*count)++] = pl_buf_take(&path);
        pl_buf_fini(&path);
    }
    closedir(d);
    if (*count)
        qsort(*out, *count, sizeof **out, by_bytes);
    return st;
}

static void free_list(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

/* Writes stage NO's command line, exit, times and peak memory to the log, then its messages
 * (ERR, removed after), and reports a failure. Shared by stages run one by one and stages run together. */
static int stage_report(struct run *r, unsigned no, const char *program, char *const argv[],
                        enum pl_status st, const struct pl_spawn_result *res, const char *err,
                        int worst_ok)
{
    logf_(r, "\n== %u. %s", no, program);
    /* Files in the staging folder are named as they will stand once in place. */
    for (size_t i = 1; argv[i]; i++) {
        if (r->staging.len && strncmp(argv[i], r->staging.data, r->staging.len) == 0)
            logf_(r, " %s%s", r->out.data, argv[i] + r->staging.len);
        else
            logf_(r, " %s", argv[i]);
    }
    /* CPU time and peak memory beside the wall time: stages after ducha-rank run side by
     * side, so only these say what one stage itself cost. */
    logf_(r, "\n   exit %d, %.3f s (CPU %.3f s, peak RSS %.1f MB)\n",
          st == PL_OK ? res->exit_code : 127, res->seconds, res->cpu_seconds,
          (double)res->peak_kb / 1024.0);
    int err_fd = open(err, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    FILE *fp = err_fd >= 0 ? fdopen(err_fd, "r") : NULL;
    if (!fp && err_fd >= 0)
        close(err_fd);
    if (fp) {
        char *line = NULL;
        size_t cap = 0;
        while (getline(&line, &cap, fp) > 0)
            logf_(r, "   %s", line);
        free(line);
        fclose(fp);
        unlink(err);
    }
    if (st != PL_OK) {
        pl_diag_report(r->diag, NULL, 0, 0, "E_STAGE_MISSING",
                       "无法运行%s：程序不在%s旁边，也不在PATH中", program, "ducha-cycle");
        return PL_EXIT_INTERNAL;
    }
    if (res->exit_code > worst_ok && r->opt->status) {
        /* The log's lines are the stages' own diagnostics, each escaped already. */
        pl_diag_report(r->diag, NULL, 0, 0, "E_STAGE_FAILED", "第%u步%s失败（退出码%d）：", no,
                       program, res->exit_code);
        if (r->opt->log_out)
            fputs(r->log.data, r->opt->log_out);
        return res->exit_code;
    }
    if (res->exit_code > worst_ok) {
        pl_diag_report(r->diag, NULL, 0, 0, "E_STAGE_FAILED",
                       "第%u步%s失败（退出码%d），%s未更新；详情见%s.failed.log", no, program,
                       res->exit_code,
                       strcmp(r->opt->cycle, "annual") == 0 ? "年度考核" : "本周期的输出",
                       r->out.data);
        return res->exit_code;
    }
    return 0;
}

/* What a stage writes below the run's staging folder it leaves unflushed: the whole folder is
 * flushed at once before it is published (sync_tree; DUCHA_STAGING in fsutil.h). Stages run
 * before a staging folder exists (the catalog's import) flush their own files. */
static void defer_syncs(const struct run *r)
{
    if (r->staging.len)
        setenv("DUCHA_STAGING", r->staging.data, 1);
    else
        unsetenv("DUCHA_STAGING");
}

/* Runs one stage; its messages go to the staging folder's stage log, appended to run.log. */
static int stage(struct run *r, const char *program, char *const argv[], const char *in,
                 const char *out, int worst_ok)
{
    r->stage_no++;
    if (r->opt->progress)
        fprintf(r->opt->progress, "ducha-cycle: [%u] %s …\n", r->stage_no, program);
    unlink(r->err_path.data);
    defer_syncs(r);
    struct pl_spawn_result res = {0, 0, 0, 0};
    /* Side stages started ahead run beside this one: waited for together, each reaped (and
     * timed) as it ends, this one waited for to its end. */
    struct pl_spawn_child child[SIDE_MAX + 1];
    struct pl_spawn_result got[SIDE_MAX + 1];
    bool ended[SIDE_MAX + 1];
    size_t k = 0, at[SIDE_MAX];
    for (size_t i = 0; i < r->nside; i++) /* nside <= SIDE_MAX */
        if (r->side[i].started && !r->side[i].ended) {
            at[k] = i;
            child[k] = r->side[i].child;
            ended[k++] = false;
        }
    enum pl_status st = pl_spawn_start(program, argv, in, out, r->err_path.data, &child[k]);
    if (st == PL_OK) {
        ended[k] = false;
        st = pl_spawn_wait_until(child, k + 1, k, got, ended);
        for (size_t i = 0; i < k; i++)
            if (ended[i]) {
                r->side[at[i]].ended = true;
                r->side[at[i]].res = got[i];
            }
        res = got[k];
        /* Only this stage's own 127 makes it missing. */
        st = st == PL_ERR_INTERNAL || st == PL_ERR_NOMEM ? st
             : res.exit_code == 127                     ? PL_ERR_OPEN
                                                        : PL_OK;
    }
    return stage_report(r, r->stage_no, program, argv, st, &res, r->err_path.data, worst_ok);
}

/* Starts side stage S ahead of its turn (or in it), with its own messages file. Its progress
 * line is printed in its turn (stages_together). */
static void side_start(struct run *r, struct side_stage *s)
{
    if (s->started || s->st != PL_OK)
        return;
    pl_buf_clear(&s->err);
    pl_buf_printf(&s->err, "%s.%u", r->err_path.data, s->no);
    unlink(s->err.data);
    defer_syncs(r);
    s->st = pl_spawn_start(s->program, s->argv, NULL, NULL, s->err.data, &s->child);
    s->started = s->st == PL_OK;
}

/* A run that fails before the side stages' turn: those started ahead are stopped, their
 * messages dropped (run.log never names a stage the run did not reach). */
static void side_stop(struct run *r)
{
    for (size_t i = 0; i < r->nside; i++) {
        struct side_stage *s = &r->side[i];
        if (s->started && !s->ended)
            pl_spawn_kill(&s->child);
        if (s->err.len)
            unlink(s->err.data);
        s->started = false;
        s->ended = true;
    }
}

/* Runs the side stages (issue 17: after ducha-rank, receipts, workbooks, circular and forms
 * read the same finished files and write separate ones) together, those not started ahead
 * now, each with its own messages file, then logs them in their fixed order, so run.log reads
 * as if they ran one by one. The first failure in that order is returned; the others have run
 * and are logged too. */
static int stages_together(struct run *r)
{
    size_t n = r->nside;
    struct side_stage *v = r->side;
    for (size_t i = 0; i < n; i++) {
        if (r->opt->progress)
            fprintf(r->opt->progress, "ducha-cycle: [%u] %s …\n", v[i].no, v[i].program);
        side_start(r, &v[i]);
    }
    struct pl_spawn_child *child = calloc(n + 1, sizeof *child);
    struct pl_spawn_result *got = calloc(n + 1, sizeof *got);
    bool *ended = calloc(n + 1, sizeof *ended);
    size_t *at = calloc(n + 1, sizeof *at);
    enum pl_status wait_st = child && got && ended && at ? PL_OK : PL_ERR_NOMEM;
    /* Those started and still running are waited for, packed at the front. */
    size_t k = 0;
    for (size_t i = 0; wait_st == PL_OK && i < n; i++)
        if (v[i].started && !v[i].ended) {
            at[k] = i;
            child[k++] = v[i].child;
        }
    if (wait_st == PL_OK)
        wait_st = pl_spawn_wait_until(child, k, k, got, ended);
    for (size_t j = 0; wait_st == PL_OK && j < k; j++) {
        v[at[j]].res = got[j];
        v[at[j]].ended = true;
    }
    free(child);
    free(got);
    free(ended);
    free(at);
    int code = wait_st == PL_ERR_INTERNAL || wait_st == PL_ERR_NOMEM ? PL_EXIT_INTERNAL : 0;
    for (size_t i = 0; i < n; i++) {
        enum pl_status st = v[i].st;
        if (st == PL_OK && v[i].res.exit_code == 127)
            st = PL_ERR_OPEN;
        int c = stage_report(r, v[i].no, v[i].program, v[i].argv, st, &v[i].res, v[i].err.data,
                             0);
        if (!code)
            code = c;
    }
    r->stage_no += (unsigned)n;
    return code;
}

/* Counts the data rows of a CSV file (0 when it is absent): every row but the header. */
static enum pl_status count_row(void *ctx, const struct pl_csv_row *row)
{
    (void)row;
    ++*(unsigned long *)ctx;
    return PL_OK;
}

static unsigned long count_rows(const char *path)
{
    FILE *fp = fopen(path, "r");
    if (!fp)
        return 0;
    unsigned long rows = 0;
    pl_csv_read_stream(fp, ',', count_row, &rows);
    fclose(fp);
    return rows ? rows - 1 : 0;
}

/* Counts, in the rated file, the missing rows (未报送, and 报送有误 apart), the late rows and
 * the rows of each colour; a report on a task demanded from nobody (W_NOT_DEMANDED) is counted
 * apart and in nothing else, as the circular counts. */
struct tally {
    int col[4];
    unsigned long missing, returned, late, blue, yellow, red, not_demanded;
    bool header_seen;
};

static enum pl_status tally_row(void *ctx, const struct pl_csv_row *row)
{
    struct tally *t = ctx;
    static const char *const names[4] = {"missing", "late", "colour", "flags"};
    if (!t->header_seen) {
        t->header_seen = true;
        for (int k = 0; k < 4; k++) {
            t->col[k] = -1;
            for (size_t i = 0; i < row->count; i++)
                if (strcmp(row->cells[i], names[k]) == 0)
                    t->col[k] = (int)i;
        }
        return PL_OK;
    }
#define CELL(k) (t->col[k] >= 0 && (size_t)t->col[k] < row->count ? row->cells[t->col[k]] : "")
    if (strstr(CELL(3), "W_NOT_DEMANDED")) {
        t->not_demanded++;
        return PL_OK;
    }
    t->missing += strcmp(CELL(0), "1") == 0;
    t->returned += strcmp(CELL(0), "2") == 0;
    t->late += strcmp(CELL(1), "1") == 0;
    t->blue += strcmp(CELL(2), "blue") == 0;
    t->yellow += strcmp(CELL(2), "yellow") == 0;
    t->red += strcmp(CELL(2), "red") == 0;
#undef CELL
    return PL_OK;
}

static void tally_rated(const char *path, struct pl_cycle_summary *s)
{
    FILE *fp = fopen(path, "r");
    if (!fp)
        return;
    struct tally t = {{-1, -1, -1, -1}, 0, 0, 0, 0, 0, 0, 0, false};
    pl_csv_read_stream(fp, ',', tally_row, &t);
    fclose(fp);
    s->missing = t.missing;
    s->returned = t.returned;
    s->not_demanded = t.not_demanded;
    s->pairs = s->pairs > t.not_demanded ? s->pairs - t.not_demanded : 0;
    s->late = t.late;
    s->blue = t.blue;
    s->yellow = t.yellow;
    s->red = t.red;
}

/* Counts, in the files register, the files that were returns (read or refused) and those
 * refused; zips and ignored files are named there but are not returns. */
struct file_tally {
    int status_col;
    unsigned long files, refused;
};

static enum pl_status file_tally_row(void *ctx, const struct pl_csv_row *row)
{
    struct file_tally *t = ctx;
    if (t->status_col < 0) {
        for (size_t i = 0; i < row->count; i++)
            if (strcmp(row->cells[i], "status") == 0)
                t->status_col = (int)i;
        if (t->status_col < 0)
            t->status_col = (int)row->count; /* no such column: nothing counts */
        return PL_OK;
    }
    if ((size_t)t->status_col >= row->count)
        return PL_OK;
    const char *status = row->cells[t->status_col];
    bool archive = row->count > 2 && strcmp(row->cells[2], "zip") == 0;
    t->files += !archive && strcmp(status, "ignored") != 0;
    t->refused += strcmp(status, "refused") == 0;
    return PL_OK;
}

static void tally_files(const char *path, struct pl_cycle_summary *s)
{
    FILE *fp = fopen(path, "r");
    if (!fp)
        return;
    struct file_tally t = {-1, 0, 0};
    pl_csv_read_stream(fp, ',', file_tally_row, &t);
    fclose(fp);
    s->files = t.files;
    s->refused_files = t.refused;
}

/* The document to import: input/YEAR/document.txt (.docx, or a task table: .xlsx, .xls,
 * .csv), else the one file of those kinds there (the targets document as Word saves it, its
 * "save as text", or its 任务分解表 as the office received it: ducha-import(1)). */
static bool has_suffix(const char *name, const char *suffix)
{
    size_t len = strlen(name), n = strlen(suffix);
    return len > n && strcasecmp(name + len - n, suffix) == 0;
}

static bool find_document(struct run *r)
{
    static const char *const kinds[] = {".txt", ".docx", ".xlsx", ".xls", ".csv"};
    enum { NKINDS = sizeof kinds / sizeof *kinds };
    for (size_t i = 0; i < NKINDS; i++) {
        pl_buf_clear(&r->document);
        pl_buf_printf(&r->document, "%s/document%s", r->in.data, kinds[i]);
        if (is_file(r->document.data))
            return true;
    }
    char **files;
    size_t n;
    if (list_files(r->in.data, &files, &n) != PL_OK)
        return false;
    size_t found = 0;
    for (size_t i = 0; i < n; i++) {
        for (size_t k = 0; k < NKINDS; k++) {
            if (has_suffix(files[i], kinds[k])) {
                pl_buf_clear(&r->document);
                pl_buf_append_str(&r->document, files[i]);
                found++;
                break;
            }
        }
    }
    free_list(files, n);
    return found == 1;
}

/* Removes the .catalog.import.* folders of killed runs. A running import holds an flock on
 * its folder (two cycles of a year may import at once, under different locks): only a folder
 * nobody holds is stale. */
static void remove_stale_imports(struct run *r)
{
    DIR *d = opendir(r->in.data);
    if (!d)
        return;
    static const char prefix[] = ".catalog.import.";
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strncmp(e->d_name, prefix, sizeof prefix - 1) != 0)
            continue;
        struct pl_buf path;
        pl_buf_init(&path);
        pl_buf_printf(&path, "%s/%s", r->in.data, e->d_name);
        int fd = open(path.data, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0) {
            logf_(r, "removed %s, left by a killed run\n", path.data);
            remove_tree(path.data);
        }
        if (fd >= 0)
            close(fd);
        pl_buf_fini(&path);
    }
    closedir(d);
}

static int write_import_log(struct run *r, const char *dir);
static int write_review(struct run *r);

/* A test hook (ducha-cycle(1), ENVIRONMENT): with DUCHA_TEST_<NAME>=PATH set, creates PATH
 * and, when PAUSE, waits until it is removed (at most a minute), so that a test can start a
 * second run at a known moment of the first. */
static void test_point(const char *name, bool pause)
{
    const char *path = getenv(name);
    if (!path || !*path)
        return;
    int fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0666);
    if (fd >= 0)
        close(fd);
    for (int i = 0; pause && i < 6000 && access(path, F_OK) == 0; i++) {
        struct timespec ts = {0, 10 * 1000 * 1000};
        nanosleep(&ts, NULL);
    }
}

/* Takes the year's catalog lock (an flock on input/YEAR/.catalog.lock), waiting for a run
 * that holds it: two cycles of a year started together with no catalog import it once. Held
 * until the run ends; taking it again does nothing. */
static int lock_catalog(struct run *r)
{
    if (r->catalog_lock >= 0)
        return 0;
    struct pl_buf path;
    pl_buf_init(&path);
    pl_buf_printf(&path, "%s/.catalog.lock", r->in.data);
    int fd = open(path.data, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd < 0)
        fd = open(path.data, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    int err = errno;
    pl_buf_fini(&path);
    if (fd < 0) {
        pl_diag_report(r->diag, r->in.data, 0, 0, "E_CANNOT_CREATE",
                       "无法在输入目录中创建目录锁文件：%s", strerror(err));
        return PL_EXIT_CANTCREATE;
    }
    if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
        logf_(r, "waiting for another run, which is importing %s\n", r->catalog.data);
        if (r->opt->progress)
            fprintf(r->opt->progress, "ducha-cycle: 等待另一个ducha-cycle导入目录 …\n");
        test_point("DUCHA_TEST_CATALOG_WAITING", false);
        while (flock(fd, LOCK_EX) != 0 && errno == EINTR)
            ;
    }
    r->catalog_lock = fd;
    return 0;
}

/* ducha-import's messages: the lines its stage added to the log since FROM (each indented by
 * three spaces after the stage's "exit" line), without the indent. */
static void keep_import_notes(struct run *r, size_t from)
{
    const char *p = r->log.data + from;
    const char *exit_line = strstr(p, "\n   exit ");
    if (!exit_line)
        return;
    p = strchr(exit_line + 1, '\n');
    while (p && p[1] == ' ' && p[2] == ' ' && p[3] == ' ') {
        const char *start = p + 4, *end = strchr(start, '\n');
        size_t len = end ? (size_t)(end - start) : strlen(start);
        pl_buf_append(&r->import_notes, start, len);
        pl_buf_append_char(&r->import_notes, '\n');
        p = end;
    }
}

/* Imports the catalog when it is missing, into a temporary folder renamed into place, under
 * the year's catalog lock. A catalog imported by this run, or by a run this one waited for,
 * is new (r->catalog_new): nobody has checked it yet, so no circular is made from it (see
 * stop_at_new_catalog). The import's messages are kept in catalog/import.log, and the office's
 * checklist catalog/review.xlsx is written beside them (write_review). */
static int ensure_catalog(struct run *r)
{
    if (is_dir(r->catalog.data))
        return 0;
    int code = lock_catalog(r);
    if (code)
        return code;
    if (is_dir(r->catalog.data)) {
        logf_(r, "%s was imported by another run while this one waited\n", r->catalog.data);
        r->catalog_new = CATALOG_IMPORTED_BY_OTHER;
        return 0;
    }
    if (!find_document(r)) {
        pl_diag_report(r->diag, r->in.data, 0, 0, "E_NO_CATALOG",
                       "没有catalog/目录，也找不到唯一的年度责任目标文件（document.txt或.docx）可供导入");
        return PL_EXIT_NOINPUT;
    }
    remove_stale_imports(r);
    struct pl_buf tmp;
    pl_buf_init(&tmp);
    int held = -1;
    for (int tries = 0; held < 0 && tries < 3; tries++) {
        pl_buf_clear(&tmp);
        pl_buf_printf(&tmp, "%s/.catalog.import.XXXXXX", r->in.data);
        if (!mkdtemp(tmp.data)) {
            pl_diag_report(r->diag, r->in.data, 0, 0, "E_CANNOT_CREATE", "无法创建目录：%s",
                           strerror(errno));
            pl_buf_fini(&tmp);
            return PL_EXIT_CANTCREATE;
        }
        /* Held until the folder is renamed or removed; another run's clean-up may have taken
         * it in the moment before the lock: then it is gone (no links left), and made anew. */
        held = open(tmp.data, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        struct stat sb;
        if (held >= 0 && (flock(held, LOCK_EX) != 0 || fstat(held, &sb) != 0 || sb.st_nlink == 0)) {
            close(held);
            held = -1;
        }
    }
    test_point("DUCHA_TEST_IMPORT_PAUSE", true);
    char *argv[] = {"ducha-import", "-o", tmp.data, r->document.data, NULL};
    size_t log_from = r->log.len;
    code = stage(r, "ducha-import", argv, NULL, NULL, 1);
    if (code == 0) {
        keep_import_notes(r, log_from);
        code = write_import_log(r, tmp.data);
    }
    if (code == 0 && sync_tree(tmp.data) != 0) {
        pl_diag_report(r->diag, tmp.data, 0, 0, "E_WRITE", "无法写入磁盘：%s", strerror(errno));
        code = PL_EXIT_IO;
    }
    if (code == 0 && rename(tmp.data, r->catalog.data) != 0) {
        pl_diag_report(r->diag, r->catalog.data, 0, 0, "E_CANNOT_CREATE", "无法放置目录：%s",
                       strerror(errno));
        code = PL_EXIT_CANTCREATE;
    }
    if (code == 0) {
        sync_path(r->in.data);
        r->catalog_new = CATALOG_IMPORTED;
        code = write_review(r);
    }
    if (code)
        remove_tree(tmp.data);
    if (held >= 0)
        close(held);
    pl_buf_fini(&tmp);
    return code;
}

/* Works out the previous cycle's outputs (for the arrows) and the next cycle (for the
 * forms), and the cycle's deadline for SOURCE_DATE_EPOCH. */
static int read_cycles(struct run *r)
{
    /* The catalog's reader first, with its messages (a row cut short named cell by cell, an
     * id that cannot be a folder): what it refuses, every stage would. */
    struct pl_catalog cal, last;
    pl_catalog_init(&cal);
    pl_catalog_init(&last);
    enum pl_status read = pl_catalog_read_cycles(&cal, r->catalog.data, r->diag);
    if (read != PL_OK) {
        pl_catalog_fini(&cal);
        return read == PL_ERR_NOMEM ? pl_status_exit_code(read) : PL_EXIT_CONFIG;
    }
    struct pl_buf path;
    pl_buf_init(&path);
    pl_buf_printf(&path, "%s/cycles.csv", r->catalog.data);
    struct pl_table t;
    enum pl_status st = pl_table_read(path.data, &t, r->diag);
    pl_buf_fini(&path);
    if (st != PL_OK) {
        pl_table_free(&t);
        pl_catalog_fini(&cal);
        return PL_EXIT_CONFIG;
    }
    int id = pl_table_column(&t, "id"), deadline = pl_table_column(&t, "deadline");
    long at = -1;
    for (size_t i = 0; i < t.nrows; i++)
        if (strcmp(pl_table_get(&t, i, id), r->opt->cycle) == 0)
            at = (long)i;
    if (at < 0) {
        pl_diag_report(r->diag, r->catalog.data, 0, 0, "E_CYCLE_UNKNOWN",
                       "报送周期“%s”不在cycles.csv中", r->opt->cycle);
        pl_table_free(&t);
        pl_catalog_fini(&cal);
        return PL_EXIT_CONFIG;
    }
    /* The circular's number (文号 or 第N期): the caller's, else the office's in cycles.csv;
     * else the year's serial (assign_serial). Its date, when the office fixed it. */
    pl_buf_append_str(&r->number, r->opt->number ? r->opt->number
                                                 : pl_table_get(&t, (size_t)at,
                                                                pl_table_column(&t, "number")));
    pl_buf_append_str(&r->issued, pl_table_get(&t, (size_t)at, pl_table_column(&t, "issued")));
    /* The previous and next cycles of the cycle's kind, by their dates, wherever their rows
     * stand (issue 16); the first of a year looks in the year before's cycles.csv. */
    const struct pl_cycle *self = NULL, *prev = NULL, *next = NULL;
    if ((self = pl_catalog_find_cycle(&cal, r->opt->cycle))) {
        prev = pl_catalog_previous_cycle(&cal, self);
        next = pl_catalog_next_cycle(&cal, self);
        r->subset = self->tasks && *self->tasks;
    }
    if (next)
        pl_buf_append_str(&r->next_cycle, next->id);
    if (prev) {
        pl_buf_append_str(&r->prev_id, prev->id);
        pl_buf_printf(&r->prev_rated, "%s/%s/rated.csv", r->out_year.data, prev->id);
        pl_buf_printf(&r->prev_ranks, "%s/%s/ranks.csv", r->out_year.data, prev->id);
        pl_buf_printf(&r->prev_shown, "../%s/", prev->id);
    } else if (self) {
        long year = strtol(r->opt->year, NULL, 10);
        struct pl_buf last_dir;
        pl_buf_init(&last_dir);
        /* The same paths as the year's own, under the root: input/…, output/… */
        const char *up = r->in.data, *slash = strrchr(up, '/');
        int root_len = slash ? (int)(slash - up) - (int)strlen("input") : 0;
        pl_buf_printf(&last_dir, "%.*sinput/%ld/catalog", root_len, up, year - 1);
        if (is_dir(last_dir.data) && pl_catalog_read_cycles(&last, last_dir.data, NULL) == PL_OK &&
            (prev = pl_catalog_previous_cycle(&last, self))) {
            pl_buf_append_str(&r->prev_id, prev->id);
            pl_buf_printf(&r->prev_rated, "%.*soutput/%ld/%s/rated.csv", root_len, up, year - 1,
                          prev->id);
            pl_buf_printf(&r->prev_ranks, "%.*soutput/%ld/%s/ranks.csv", root_len, up, year - 1,
                          prev->id);
            pl_buf_printf(&r->prev_shown, "../../%ld/%s/", year - 1, prev->id);
            r->prev_last_year = true;
        }
        pl_buf_fini(&last_dir);
    }
    pl_catalog_fini(&cal);
    pl_catalog_fini(&last);
    if (r->prev_rated.len && (!is_file(r->prev_rated.data) || !is_file(r->prev_ranks.data))) {
        pl_buf_clear(&r->prev_rated);
        pl_buf_clear(&r->prev_ranks);
        pl_buf_clear(&r->prev_shown);
        r->prev_last_year = false;
    }
    if (!getenv("SOURCE_DATE_EPOCH")) {
        const char *d = pl_table_get(&t, (size_t)at, deadline);
        long days;
        if (pl_date_parse(d, strlen(d), &days, NULL) == PL_OK) {
            char epoch[32];
            snprintf(epoch, sizeof epoch, "%ld", days * 86400L);
            setenv("SOURCE_DATE_EPOCH", epoch, 1);
        }
    }
    pl_table_free(&t);
    return 0;
}

static char *staged(struct run *r, const char *name)
{
    struct pl_buf p;
    pl_buf_init(&p);
    pl_buf_printf(&p, "%s/%s", r->staging.data, name);
    return pl_buf_take(&p);
}

/* The chain, stage by stage, into the staging folder. */
static int run_chain(struct run *r)
{
    const char *cat = r->catalog.data, *cyc = r->opt->cycle;
    char *records = staged(r, "records.csv"), *read_rej = staged(r, "read-rejects.csv");
    char *valid = staged(r, "valid.csv"), *rejects = staged(r, "rejects.csv");
    char *merged = staged(r, "merged.csv"), *superseded = staged(r, "superseded.csv");
    char *rated = staged(r, "rated.csv"), *ranks = staged(r, "ranks.csv");
    char *rated_tasks = staged(r, "rated-tasks.csv"), *rated_leaders = staged(r, "rated-leaders.csv");
    char *xlsx = staged(r, "summary.xlsx"), *leaders = staged(r, "leaders");
    char *pdf = staged(r, "circular.pdf"), *forms = staged(r, "forms");
    char *files = staged(r, "files.csv"), *receipts = staged(r, "receipts");
    int code = 0;
    bool rules = r->rules.len > 0, prev = r->prev_rated.len > 0;

    /* Each unit's receipt: what was accepted, what to mend, by when. */
    char *receipt[18] = {"ducha-receipts", "-c", (char *)cat, "--cycle", (char *)cyc,
                         "--merged", rated, "--records", records, "--rejects", read_rej,
                         "--rejects", rejects, "-o", receipts};
    if (rules) {
        receipt[15] = "--rules";
        receipt[16] = r->rules.data;
    }
    char *sheet[] = {"ducha-xlsx", "-c", (char *)cat, "--cycle", (char *)cyc, "--rated", rated,
                     "--ranks", ranks, "-o", xlsx, "--leaders", leaders, NULL};
    char *circular[16] = {"ducha-pdf", "-c", (char *)cat, "--cycle", (char *)cyc, "--rated", rated,
                          "--ranks", ranks, "-o", pdf};
    size_t a = 11;
    if (r->number.len) {
        circular[a++] = "--number";
        circular[a++] = r->number.data;
    }
    /* Without `issued`, ducha-pdf dates the circular itself (the later of the deadline and the
     * latest return it counts). */
    if (r->issued.len) {
        circular[a++] = "--date";
        circular[a++] = r->issued.data;
    }
    /* A cycle on some tasks (a weekly 专题调度) publishes the short 调度通报 that says so. */
    if (r->subset) {
        circular[a++] = "-t";
        circular[a++] = "dispatch.tpl";
    }
    char *form[] = {"ducha-forms", "-c", (char *)cat, "--cycle", r->next_cycle.data,
                    "-o", forms, NULL};
    /* What follows ducha-rank reads finished files and writes its own: it runs together, on
     * the cores there are; the log keeps this order (stages_together). */
    struct side_stage side[SIDE_MAX] = {{.program = "ducha-receipts", .argv = receipt},
                                 {.program = "ducha-xlsx", .argv = sheet},
                                 {.program = "ducha-pdf", .argv = circular},
                                 {.program = "ducha-forms", .argv = form}};
    r->side = side;
    r->nside = r->next_cycle.len ? SIDE_MAX : SIDE_MAX - 1; /* forms last */
    for (size_t i = 0; i < SIDE_MAX; i++) {
        side[i].no = r->stage_no + 6 + (unsigned)i; /* after read, check, merge, rate, rank */
        pl_buf_init(&side[i].err);
    }
    /* The forms need the catalog only: they start now, on the core the chain leaves idle. A
     * folder that cannot be made fails the run where it always did, after ducha-rank. */
    bool forms_made = r->next_cycle.len && mkdir(forms, 0777) == 0;
    if (forms_made)
        side_start(r, &side[3]);

    /* ducha-read: the cycle's returns folder, whole; its register of every file in it. */
    bool any = r->inbox.count > 0;
    char *argv[] = {"ducha-read", "-v", "--cycle", (char *)cyc, "--rejects", read_rej,
                    "--files", files, any ? r->returns_dir.data : NULL, NULL};
    if (!any)
        logf_(r, "\n本周期没有收到任何报表文件：所有任务都记为未报送。\n");
    code = stage(r, "ducha-read", argv, any ? NULL : "/dev/null", records, 1);
    if (code)
        goto done;

    char *check[12] = {"ducha-check", "-v", "-c", (char *)cat, "--cycle", (char *)cyc, "--rejects", rejects};
    if (rules) {
        check[8] = "--rules";
        check[9] = r->rules.data;
    }
    if ((code = stage(r, "ducha-check", check, records, valid, 1)))
        goto done;
    /* The rejects make a pair whose rows were all sent back 报送有误, not 未报送. */
    char *merge[] = {"ducha-merge", "-v", "-c", (char *)cat, "--cycle", (char *)cyc,
                     "--rejects", read_rej, "--rejects", rejects, "--superseded", superseded, NULL};
    if ((code = stage(r, "ducha-merge", merge, valid, merged, 0)))
        goto done;

    char *rate[16] = {"ducha-rate", "-c", (char *)cat, "--cycle", (char *)cyc,
                      "--tasks", rated_tasks, "--leaders", rated_leaders};
    a = 9;
    if (rules) {
        rate[a++] = "--rules";
        rate[a++] = r->rules.data;
    }
    if (prev) {
        rate[a++] = "--previous";
        rate[a++] = r->prev_rated.data;
        if (r->prev_last_year)
            rate[a++] = "--previous-year";
    }
    if ((code = stage(r, "ducha-rate", rate, merged, rated, 0)))
        goto done;
    side_start(r, &side[0]); /* the receipts read rated.csv, not the ranks */
    char *rank[8] = {"ducha-rank"};
    a = 1;
    if (rules) {
        rank[a++] = "--rules";
        rank[a++] = r->rules.data;
    }
    if (prev) {
        rank[a++] = "--previous";
        rank[a++] = r->prev_ranks.data;
    }
    if ((code = stage(r, "ducha-rank", rank, rated, ranks, 0)))
        goto done;
    /* Each unit's receipt (after ducha-rate), the workbooks and the circular (after
     * ducha-rank), and the next cycle's forms (needing the catalog only) read finished files
     * and write their own: they run beside the rest, each started as soon as what it reads is
     * there; the log keeps their order after ducha-rank. */
    if (mkdir(leaders, 0777) != 0 ||
        (r->next_cycle.len && !forms_made && mkdir(forms, 0777) != 0)) {
        code = PL_EXIT_CANTCREATE;
        goto done;
    }
    if ((code = stages_together(r)))
        goto done;
    if (!r->next_cycle.len)
        logf_(r, "\ncycles.csv中%s之后没有下一个报送周期：不生成空白报表。\n", cyc);

    struct pl_cycle_summary *s = r->sum;
    tally_files(files, s);
    s->records = count_rows(records);
    s->read_rejected = count_rows(read_rej);
    s->rows = s->records + s->read_rejected;
    s->valid = count_rows(valid);
    s->rejected = count_rows(rejects);
    s->pairs = count_rows(merged);
    tally_rated(rated, s);
done:
    if (code)
        side_stop(r);
    for (size_t i = 0; i < 4; i++)
        pl_buf_fini(&side[i].err);
    r->side = NULL;
    r->nside = 0;
    free(files);
    free(receipts);
    free(records);
    free(read_rej);
    free(valid);
    free(rejects);
    free(merged);
    free(superseded);
    free(rated);
    free(ranks);
    free(rated_tasks);
    free(rated_leaders);
    free(xlsx);
    free(leaders);
    free(pdf);
    free(forms);
    return code;
}

/* The year's serial (督查通报 第N期) for a cycle with no number of its own. ROOT/output/YEAR/
 * .serial holds one "CYCLE N" line per cycle numbered so far: the cycle keeps the number it
 * got first, so that reruns give the same circular and manifest; a new cycle gets the highest
 * number plus one. Two cycles of a year may run at once, so the file has its own lock; it is
 * replaced whole (written, synced, renamed). */
static int assign_serial(struct run *r)
{
    struct pl_buf path, tmp, text;
    pl_buf_init(&path);
    pl_buf_init(&tmp);
    pl_buf_init(&text);
    pl_buf_printf(&path, "%s/.serial", r->out_year.data);
    pl_buf_printf(&tmp, "%s/.serial.lock", r->out_year.data);
    int code = 0, lock = open(tmp.data, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (lock < 0 || flock(lock, LOCK_EX) != 0) {
        code = PL_EXIT_CANTCREATE;
        goto done;
    }
    long found = 0, max = 0;
    FILE *fp = fopen(path.data, "r");
    if (fp) {
        char *line = NULL;
        size_t cap = 0;
        while (getline(&line, &cap, fp) > 0) {
            pl_buf_append_str(&text, line);
            char *sp = strchr(line, ' ');
            if (!sp)
                continue;
            *sp = '\0';
            long n = strtol(sp + 1, NULL, 10);
            if (n > max)
                max = n;
            if (strcmp(line, r->opt->cycle) == 0)
                found = n;
        }
        free(line);
        fclose(fp);
    }
    if (!found) {
        found = max + 1;
        if (text.len && text.data[text.len - 1] != '\n')
            pl_buf_append_char(&text, '\n');
        pl_buf_printf(&text, "%s %ld\n", r->opt->cycle, found);
        pl_buf_clear(&tmp);
        pl_buf_printf(&tmp, "%s/.serial.XXXXXX", r->out_year.data);
        int fd = mkstemp(tmp.data);
        bool ok = fd >= 0 && write(fd, text.data, text.len) == (ssize_t)text.len &&
                  fsync(fd) == 0;
        if (fd >= 0 && close(fd) != 0)
            ok = false;
        if (!ok || chmod(tmp.data, 0666 & ~current_umask()) != 0 ||
            rename(tmp.data, path.data) != 0) {
            if (fd >= 0)
                unlink(tmp.data);
            pl_diag_report(r->diag, path.data, 0, 0, "E_CANNOT_CREATE",
                           "无法记录通报期号：%s", strerror(errno));
            code = PL_EXIT_CANTCREATE;
            goto done;
        }
        sync_path(r->out_year.data);
        logf_(r, "circular number: 第%ld期, newly assigned in %s\n", found, path.data);
    } else {
        logf_(r, "circular number: 第%ld期, as assigned before in %s\n", found, path.data);
    }
    pl_buf_printf(&r->number, "第%ld期", found);
done:
    if (lock >= 0)
        close(lock);
    pl_buf_fini(&path);
    pl_buf_fini(&tmp);
    pl_buf_fini(&text);
    return code;
}

/* MANIFEST.sha256: inputs through paths relative to the output folder, then the outputs. */
static int write_manifest(struct run *r)
{
    struct pl_manifest m;
    pl_manifest_init(&m);
    enum pl_status st = PL_OK;
    struct pl_buf shown;
    pl_buf_init(&shown);
    /* The output folder is ROOT/output/YEAR/CYCLE: three levels below ROOT. */
    const char *up = "../../../";
    pl_buf_printf(&shown, "%sinput/%s/catalog/", up, r->opt->year);
    st = pl_manifest_add_tree(&m, r->catalog.data, shown.data, NULL);
    /* Every file read (a zip once, not its members), by its path below the folder. */
    for (size_t i = 0; st == PL_OK && i < r->inbox.count; i++) {
        const struct pl_inbox_entry *e = &r->inbox.entries[i];
        if (e->member || (e->status != PL_INBOX_READ && e->status != PL_INBOX_ARCHIVE))
            continue;
        pl_buf_clear(&shown);
        pl_buf_printf(&shown, "%sinput/%s/returns/%s/%s", up, r->opt->year, r->opt->cycle,
                      e->rel);
        st = pl_manifest_add(&m, e->path, shown.data);
    }
    if (st == PL_OK && r->rules.len) {
        pl_buf_clear(&shown);
        pl_buf_printf(&shown, "%sinput/%s/rules.ini", up, r->opt->year);
        st = pl_manifest_add(&m, r->rules.data, shown.data);
    }
    if (st == PL_OK && r->prev_rated.len) {
        pl_buf_clear(&shown);
        pl_buf_printf(&shown, "%srated.csv", r->prev_shown.data);
        st = pl_manifest_add(&m, r->prev_rated.data, shown.data);
        pl_buf_clear(&shown);
        pl_buf_printf(&shown, "%sranks.csv", r->prev_shown.data);
        if (st == PL_OK)
            st = pl_manifest_add(&m, r->prev_ranks.data, shown.data);
    }
    const char *const skip[] = {"run.log", "MANIFEST.sha256", NULL};
    size_t first_output = m.n;
    if (st == PL_OK)
        st = pl_manifest_add_tree(&m, r->staging.data, "", skip);
    pl_manifest_fini(&r->outputs);
    for (size_t i = first_output; st == PL_OK && i < m.n; i++) {
        char *line = strdup(m.lines[i]);
        char **lines = line ? realloc(r->outputs.lines, (r->outputs.n + 1) * sizeof *lines)
                            : NULL;
        if (!lines) {
            free(line);
            st = PL_ERR_NOMEM;
            break;
        }
        r->outputs.lines = lines;
        r->outputs.lines[r->outputs.n++] = line;
        r->outputs.cap = r->outputs.n;
    }
    struct pl_buf path;
    pl_buf_init(&path);
    pl_buf_printf(&path, "%s/MANIFEST.sha256", r->staging.data);
    if (st == PL_OK)
        st = pl_manifest_write(&m, path.data);
    pl_buf_fini(&path);
    pl_buf_fini(&shown);
    pl_manifest_fini(&m);
    if (st != PL_OK) {
        pl_diag_report(r->diag, r->staging.data, 0, 0, "E_MANIFEST", "无法写出MANIFEST.sha256：%s",
                       pl_strerror(st));
        return pl_status_exit_code(st);
    }
    return 0;
}

/* Writes the log to PATH, never through a link planted there, and flushes it to disk. */
static int write_log(struct run *r, const char *path)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0666);
    FILE *fp = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!fp) {
        if (fd >= 0)
            close(fd);
        return PL_EXIT_IO;
    }
    bool ok = fputs(r->log.data, fp) != EOF && fflush(fp) == 0 && fsync(fd) == 0;
    return fclose(fp) == 0 && ok ? 0 : PL_EXIT_IO;
}

static int sync_failed(struct run *r, const char *path)
{
    pl_diag_report(r->diag, path, 0, 0, "E_SYNC", "无法将输出写入磁盘（fsync）：%s",
                   strerror(errno));
    return PL_EXIT_IO;
}

static int sync_staged(struct run *r, const char *dir)
{
    char *failed = NULL;
    if (sync_tree_named(dir, &failed) == 0)
        return 0;
    int code = sync_failed(r, failed ? failed : dir);
    free(failed);
    return code;
}

/* A test hook (ducha-cycle(1), ENVIRONMENT): DUCHA_TEST_CRASH_AT=STEP ends the run at once,
 * as a power cut would, after that step of the rename-aside. */
static void crash_point(const char *step)
{
    const char *at = getenv("DUCHA_TEST_CRASH_AT");
    if (at && strcmp(at, step) == 0)
        _exit(137);
}

static void swap_names(struct run *r, struct pl_buf *marker, struct pl_buf *aside)
{
    pl_buf_printf(marker, "%s/.%s.swap", r->out_year.data, r->opt->cycle);
    pl_buf_printf(aside, "%s/.%s.aside", r->out_year.data, r->opt->cycle);
}

/* Where the file system refuses RENAME_EXCHANGE (NFS, CIFS: EINVAL), the folders change
 * places in three renames, each made durable before the next: a marker naming the staging
 * folder, then the old outputs renamed aside, then the staging folder renamed in; the marker
 * goes last. A run that dies on the way leaves the marker, and the next run (recover_swap)
 * completes the move or rolls it back before anything else. */
static int swap_aside(struct run *r)
{
    struct pl_buf marker, aside, tmp;
    pl_buf_init(&marker);
    pl_buf_init(&aside);
    pl_buf_init(&tmp);
    swap_names(r, &marker, &aside);
    int code = 0;
    const char *slash = strrchr(r->staging.data, '/');
    const char *name = slash ? slash + 1 : r->staging.data;
    pl_buf_printf(&tmp, "%s.tmp", marker.data);
    unlink(tmp.data);
    int fd = open(tmp.data, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    size_t len = strlen(name);
    bool ok = fd >= 0 && write(fd, name, len) == (ssize_t)len && write(fd, "\n", 1) == 1 &&
              fsync(fd) == 0;
    if (fd >= 0 && close(fd) != 0)
        ok = false;
    if (!ok || rename(tmp.data, marker.data) != 0) {
        unlink(tmp.data);
        code = sync_failed(r, marker.data);
        goto done;
    }
    if (sync_path(r->out_year.data) != 0) {
        code = sync_failed(r, r->out_year.data);
        goto done;
    }
    crash_point("marker");
    bool had_old = rename(r->out.data, aside.data) == 0;
    if (!had_old && errno != ENOENT) {
        pl_diag_report(r->diag, r->out.data, 0, 0, "E_CANNOT_CREATE",
                       "无法移开上次的输出：%s", strerror(errno));
        unlink(marker.data);
        code = PL_EXIT_CANTCREATE;
        goto done;
    }
    if (had_old && sync_path(r->out_year.data) != 0) {
        code = sync_failed(r, r->out_year.data);
        goto done; /* the marker stays: the next run puts a whole folder in place */
    }
    crash_point("aside");
    if (rename(r->staging.data, r->out.data) != 0) {
        pl_diag_report(r->diag, r->out.data, 0, 0, "E_CANNOT_CREATE", "无法放置本周期的输出：%s",
                       strerror(errno));
        if (had_old && rename(aside.data, r->out.data) == 0)
            sync_path(r->out_year.data);
        unlink(marker.data);
        code = PL_EXIT_CANTCREATE;
        goto done;
    }
    pl_buf_clear(&r->staging);
    if (sync_path(r->out_year.data) != 0) {
        code = sync_failed(r, r->out_year.data);
        goto done;
    }
    crash_point("publish");
    unlink(marker.data);
    sync_path(r->out_year.data);
    if (had_old)
        remove_tree(aside.data);
done:
    pl_buf_fini(&marker);
    pl_buf_fini(&aside);
    pl_buf_fini(&tmp);
    return code;
}

/* Puts the staging folder in place of the output folder. Every file and folder of the new
 * outputs is on the disk first; then the two folders change places in one step
 * (renameat2 RENAME_EXCHANGE), the parent folder is flushed so that the exchange itself is
 * on the disk, and only then are the old outputs (now at the staging name) removed. */
static int swap_in(struct run *r)
{
    int code = sync_staged(r, r->staging.data);
    if (code)
        return code;
    const char *no_exchange = getenv("DUCHA_TEST_NO_EXCHANGE");
    if (!(no_exchange && *no_exchange) &&
        renameat2(AT_FDCWD, r->staging.data, AT_FDCWD, r->out.data, RENAME_EXCHANGE) == 0) {
        if (sync_path(r->out_year.data) != 0)
            return sync_failed(r, r->out_year.data);
        /* The previous outputs now stand at the staging name. */
        remove_tree(r->staging.data);
        pl_buf_clear(&r->staging);
        sync_path(r->out_year.data);
        return 0;
    }
    if (!(no_exchange && *no_exchange) && errno != EINVAL && errno != ENOSYS && errno != ENOENT) {
        pl_diag_report(r->diag, r->out.data, 0, 0, "E_CANNOT_CREATE", "无法放置本周期的输出：%s",
                       strerror(errno));
        return PL_EXIT_CANTCREATE;
    }
    return swap_aside(r);
}

/* Finishes a rename-aside that a dead run left half done (its marker is there): the new
 * outputs go in when they stood whole in the staging folder, else the old ones go back.
 * Runs with the lock held, before stale staging folders are removed. */
static int recover_swap(struct run *r)
{
    struct pl_buf marker, aside, staging;
    pl_buf_init(&marker);
    pl_buf_init(&aside);
    pl_buf_init(&staging);
    swap_names(r, &marker, &aside);
    int code = 0;
    int fd = open(marker.data, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0) {
        /* No marker: a move that got as far as removing its marker left at most the old
         * outputs aside, to be removed. */
        remove_tree(aside.data);
        goto done;
    }
    char name[256];
    ssize_t n = read(fd, name, sizeof name - 1);
    close(fd);
    name[n > 0 ? n : 0] = '\0';
    name[strcspn(name, "\n")] = '\0';
    bool named = name[0] == '.' && !strchr(name, '/') && strcmp(name, "..") != 0;
    if (named)
        pl_buf_printf(&staging, "%s/%s", r->out_year.data, name);
    const char *did;
    if (is_dir(r->out.data)) {
        did = is_dir(aside.data) ? "completed (the new outputs were in place)"
                                 : "rolled back (the old outputs were never moved)";
        remove_tree(aside.data);
    } else if (named && is_dir(staging.data) && rename(staging.data, r->out.data) == 0) {
        did = "completed (the new outputs put in place)";
        remove_tree(aside.data);
    } else if (is_dir(aside.data) && rename(aside.data, r->out.data) == 0) {
        did = "rolled back (the old outputs put back)";
    } else {
        did = "found nothing to put in place";
    }
    if (named)
        remove_tree(staging.data); /* what is left of it was never published */
    if (sync_path(r->out_year.data) != 0 || unlink(marker.data) != 0 ||
        sync_path(r->out_year.data) != 0) {
        code = sync_failed(r, marker.data);
        goto done;
    }
    logf_(r, "an interrupted publication of %s was %s\n", r->out.data, did);
    pl_diag_report(r->diag, r->out.data, 0, 0, "W_PUBLICATION_RECOVERED",
                   "上次运行在放置输出时中断（标记%s）：已%s", marker.data,
                   strncmp(did, "completed", 9) == 0 ? "完成放置新的输出" : "恢复原有输出");
done:
    pl_buf_fini(&marker);
    pl_buf_fini(&aside);
    pl_buf_fini(&staging);
    return code;
}

static int mkdirs(const char *path)
{
    struct pl_buf p;
    pl_buf_init(&p);
    pl_buf_append_str(&p, path);
    for (char *s = p.data + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        mkdir(p.data, 0777);
        *s = '/';
    }
    int rc = mkdir(p.data, 0777) == 0 || errno == EEXIST ? 0 : -1;
    pl_buf_fini(&p);
    return rc;
}

/* Removes staging folders that a killed run left behind (the lock is held). */
static void remove_stale(struct run *r)
{
    DIR *d = opendir(r->out_year.data);
    if (!d)
        return;
    struct pl_buf prefix;
    pl_buf_init(&prefix);
    pl_buf_printf(&prefix, ".%s.staging.", r->opt->cycle);
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strncmp(e->d_name, prefix.data, prefix.len) != 0)
            continue;
        struct pl_buf path;
        pl_buf_init(&path);
        pl_buf_printf(&path, "%s/%s", r->out_year.data, e->d_name);
        remove_tree(path.data);
        pl_buf_fini(&path);
    }
    closedir(d);
    pl_buf_fini(&prefix);
}

/* The year's rules file, if any, and every file of the cycle's returns folder. */
static int find_inputs(struct run *r)
{
    pl_buf_printf(&r->rules, "%s/rules.ini", r->in.data);
    if (!is_file(r->rules.data))
        pl_buf_clear(&r->rules);
    pl_buf_printf(&r->returns_dir, "%s/returns/%s", r->in.data, r->opt->cycle);
    if (is_dir(r->returns_dir.data) && pl_inbox_add(&r->inbox, r->returns_dir.data) != PL_OK)
        return PL_EXIT_INTERNAL;
    return 0;
}

/* A publishing run needs returns: a cycle whose folder is missing (a misnamed folder: 2023h1
 * for 2023H1) or holds no return would publish a circular naming every unit 未报送. It
 * stops with E_NO_RETURNS (66) instead, unless the caller allows it (--allow-empty). */
static int require_returns(struct run *r)
{
    size_t returns = 0;
    for (size_t i = 0; i < r->inbox.count; i++)
        returns += r->inbox.entries[i].status != PL_INBOX_IGNORED;
    if (returns || r->opt->allow_empty)
        return 0;
    if (is_dir(r->returns_dir.data)) {
        pl_diag_report(r->diag, r->returns_dir.data, 0, 0, "E_NO_RETURNS",
                       "报表目录中没有任何报表文件，未生成通报（确需全部记为未报送，加--allow-empty）");
        return PL_EXIT_NOINPUT;
    }
    /* Name the folders that are there: the one meant is usually among them. */
    struct pl_buf parent, names;
    pl_buf_init(&parent);
    pl_buf_init(&names);
    pl_buf_printf(&parent, "%s/returns", r->in.data);
    DIR *d = opendir(parent.data);
    struct dirent *e;
    while (d && (e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        struct pl_buf sub;
        pl_buf_init(&sub);
        pl_buf_printf(&sub, "%s/%s", parent.data, e->d_name);
        if (is_dir(sub.data)) {
            if (names.len)
                pl_buf_append_str(&names, "、");
            pl_buf_append_str(&names, e->d_name);
        }
        pl_buf_fini(&sub);
    }
    if (d)
        closedir(d);
    pl_diag_report(r->diag, r->returns_dir.data, 0, 0, "E_NO_RETURNS",
                   "没有本周期的报表目录（returns/下有：%s），未生成通报（确需全部记为未报送，加--allow-empty）",
                   names.len ? names.data : "无");
    pl_buf_fini(&parent);
    pl_buf_fini(&names);
    return PL_EXIT_NOINPUT;
}

/* Copies the file at PATH to OUT. */
static int copy_out(const char *path, FILE *out)
{
    FILE *fp = fopen(path, "r");
    if (!fp)
        return PL_EXIT_INTERNAL;
    char buf[8192];
    size_t n;
    int code = 0;
    while ((n = fread(buf, 1, sizeof buf, fp)) > 0)
        if (fwrite(buf, 1, n, out) != n)
            code = PL_EXIT_IO;
    fclose(fp);
    return code;
}

/* 催报: what has arrived so far, read, checked and merged in a private temporary folder, and
 * the list of units that still owe a return or must mend one. Nothing under ROOT/output is
 * touched (the catalog is imported into ROOT/input when missing, as a cycle would). */
static int run_status(struct run *r)
{
    const char *tmpdir = getenv("TMPDIR");
    pl_buf_printf(&r->staging, "%s/ducha-status.XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
    if (!mkdtemp(r->staging.data)) {
        pl_diag_report(r->diag, r->staging.data, 0, 0, "E_CANNOT_CREATE",
                       "无法创建临时目录：%s", strerror(errno));
        pl_buf_clear(&r->staging);
        return PL_EXIT_CANTCREATE;
    }
    pl_buf_printf(&r->err_path, "%s/stage.err", r->staging.data);
    int code;
    if ((code = ensure_catalog(r)) || (code = read_cycles(r)) || (code = find_inputs(r)))
        return code;
    const char *cat = r->catalog.data, *cyc = r->opt->cycle;
    char *records = staged(r, "records.csv"), *read_rej = staged(r, "read-rejects.csv");
    char *valid = staged(r, "valid.csv"), *rejects = staged(r, "rejects.csv");
    char *merged = staged(r, "merged.csv"), *files = staged(r, "files.csv");
    char *list = staged(r, "status.txt");
    char today[16] = "";
    if (r->opt->today >= 0) {
        struct pl_buf d;
        pl_buf_init(&d);
        pl_date_format_iso(&d, r->opt->today);
        snprintf(today, sizeof today, "%s", d.data);
        pl_buf_fini(&d);
    }
    bool any = r->inbox.count > 0, rules = r->rules.len > 0;
    char *read[] = {"ducha-read", "--cycle", (char *)cyc, "--rejects", read_rej, "--files", files,
                    any ? r->returns_dir.data : NULL, NULL};
    char *check[12] = {"ducha-check", "-c", (char *)cat, "--cycle", (char *)cyc,
                       "--rejects", rejects};
    char *merge[] = {"ducha-merge", "-c", (char *)cat, "--cycle", (char *)cyc,
                     "--rejects", read_rej, "--rejects", rejects, NULL};
    char *receipt[22] = {"ducha-receipts", "-c", (char *)cat, "--cycle", (char *)cyc,
                         "--merged", merged, "--records", records, "--rejects", read_rej,
                         "--rejects", rejects, "--status"};
    size_t a = 14;
    if (rules) {
        check[7] = receipt[a++] = "--rules";
        check[8] = receipt[a++] = r->rules.data;
    }
    if (*today) {
        receipt[a++] = "--today";
        receipt[a++] = today;
    }
    if (r->opt->status_xlsx) {
        receipt[a++] = "--status-xlsx";
        receipt[a++] = (char *)r->opt->status_xlsx;
    }
    if ((code = stage(r, "ducha-read", read, any ? NULL : "/dev/null", records, 1)) ||
        (code = stage(r, "ducha-check", check, records, valid, 1)) ||
        (code = stage(r, "ducha-merge", merge, valid, merged, 0)) ||
        (code = stage(r, "ducha-receipts", receipt, NULL, list, 0)))
        goto done;
    if (r->opt->status_out)
        code = copy_out(list, r->opt->status_out);
done:
    free(records);
    free(read_rej);
    free(valid);
    free(rejects);
    free(merged);
    free(files);
    free(list);
    return code;
}

/* ---- the year's end (ducha-annual) ---------------------------------------------------- */

/* A cycle of cycles.csv that counts in the year's assessment: one of the kind of the year's
 * last cycle that covers every task (its optional `tasks` column blank), by its end date. */
struct year_cycle {
    const char *id;
    long end;
    size_t row;
};

static int by_end(const void *a, const void *b)
{
    const struct year_cycle *x = a, *y = b;
    if (x->end != y->end)
        return x->end < y->end ? -1 : 1;
    return x->row < y->row ? -1 : x->row > y->row;
}

/* Hashes the annual folder's inputs and outputs into its MANIFEST.sha256, as write_manifest()
 * does for a cycle: the folder is ROOT/output/YEAR/annual, three levels below ROOT. */
static int write_annual_manifest(struct run *a, const struct year_cycle *cy, size_t n)
{
    struct pl_manifest m;
    pl_manifest_init(&m);
    struct pl_buf shown, file;
    pl_buf_init(&shown);
    pl_buf_init(&file);
    pl_buf_printf(&shown, "../../../input/%s/catalog/", a->opt->year);
    enum pl_status st = pl_manifest_add_tree(&m, a->catalog.data, shown.data, NULL);
    if (st == PL_OK && a->rules.len) {
        pl_buf_clear(&shown);
        pl_buf_printf(&shown, "../../../input/%s/rules.ini", a->opt->year);
        st = pl_manifest_add(&m, a->rules.data, shown.data);
    }
    static const char *const read[] = {"rated.csv", "rated-leaders.csv"};
    for (size_t i = 0; st == PL_OK && i < n * 2; i++) {
        pl_buf_clear(&shown);
        pl_buf_clear(&file);
        pl_buf_printf(&shown, "../%s/%s", cy[i / 2].id, read[i % 2]);
        pl_buf_printf(&file, "%s/%s/%s", a->out_year.data, cy[i / 2].id, read[i % 2]);
        st = pl_manifest_add(&m, file.data, shown.data);
    }
    const char *const skip[] = {"run.log", "MANIFEST.sha256", NULL};
    if (st == PL_OK)
        st = pl_manifest_add_tree(&m, a->staging.data, "", skip);
    pl_buf_clear(&file);
    pl_buf_printf(&file, "%s/MANIFEST.sha256", a->staging.data);
    if (st == PL_OK)
        st = pl_manifest_write(&m, file.data);
    pl_buf_fini(&shown);
    pl_buf_fini(&file);
    pl_manifest_fini(&m);
    if (st != PL_OK) {
        pl_diag_report(a->diag, a->staging.data, 0, 0, "E_MANIFEST", "无法写出MANIFEST.sha256：%s",
                       pl_strerror(st));
        return pl_status_exit_code(st);
    }
    return 0;
}

/* After the year's last cycle is published, or an earlier cycle it counts is rerun after it
 * (see below): ROOT/output/YEAR/annual/ (ducha-annual over the
 * year's cycles that cover every task, in date order), staged, locked, logged and published
 * as a cycle's folder is, under the name `annual`. The year's last cycle is the latest-ending
 * one that covers every task; cycles on a subset (cycles.csv `tasks` not blank) do not count.
 * A counted cycle without outputs yet is left out and named (W_ANNUAL_CYCLE_MISSING). What
 * was done goes into R's run.log, already published, appended and flushed. */
static int run_annual(struct run *r)
{
    struct pl_buf path, kind, k2;
    pl_buf_init(&path);
    pl_buf_init(&kind);
    pl_buf_init(&k2);
    struct pl_catalog cal;
    pl_catalog_init(&cal);
    /* read_cycles() read the calendar a moment ago: failing now, there is nothing to add. */
    bool read = pl_catalog_read_cycles(&cal, r->catalog.data, NULL) == PL_OK;
    /* The year's last cycle: of the cycles on every task, the latest-ending; of two ending
     * together (Q4 and H2), the longer. The year is assessed on the cycles of its kind. */
    const struct pl_cycle *last = NULL;
    long last_end = 0, last_start = 0;
    for (size_t i = 0; read && i < cal.ncycles; i++) {
        const struct pl_cycle *y = &cal.cycles[i];
        long end, start;
        if ((y->tasks && *y->tasks) || pl_date_parse(y->end, strlen(y->end), &end, NULL) != PL_OK ||
            pl_date_parse(y->start, strlen(y->start), &start, NULL) != PL_OK)
            continue;
        if (!last || end > last_end || (end == last_end && start < last_start)) {
            last = y;
            last_end = end;
            last_start = start;
        }
    }
    struct year_cycle *cy = calloc(cal.ncycles ? cal.ncycles : 1, sizeof *cy);
    size_t n = 0;
    if (last && pl_cycle_kind(last, &kind) != PL_OK)
        last = NULL;
    for (size_t i = 0; cy && last && i < cal.ncycles; i++) {
        const struct pl_cycle *y = &cal.cycles[i];
        long days;
        pl_buf_clear(&k2);
        if ((y->tasks && *y->tasks) || pl_cycle_kind(y, &k2) != PL_OK ||
            strcmp(k2.data, kind.data) != 0 ||
            pl_date_parse(y->end, strlen(y->end), &days, NULL) != PL_OK)
            continue;
        cy[n++] = (struct year_cycle){y->id, days, i};
    }
    if (n)
        qsort(cy, n, sizeof *cy, by_end);
    int code = 0, lock = -1;
    bool is_last = false;
    struct pl_cycle_options aopt = *r->opt;
    aopt.cycle = "annual";
    struct run a = {.opt = &aopt, .diag = r->diag, .sum = r->sum};
    struct pl_buf *bufs[] = {&a.in,       &a.catalog, &a.out_year, &a.out, &a.staging, &a.log,
                             &a.err_path, &a.rules,   &path,       &kind,  &k2};
    for (size_t i = 0; i + 3 < sizeof bufs / sizeof bufs[0]; i++)
        pl_buf_init(bufs[i]);
    pl_inbox_init(&a.inbox);
    char **argv = calloc(n + 10, sizeof *argv);
    if (!cy || !argv) {
        code = PL_EXIT_INTERNAL;
        goto done;
    }
    if (!last)
        goto done;
    /* The year's last cycle makes the folder; an earlier cycle the year counts remakes it
     * when the last is published already, so that the assessment and its manifest stay true
     * of the cycles as they now stand (a corrected 2023H1 after 2023H2: the annual ranks
     * were counted from the 2023H1 that was replaced). Any other cycle leaves it alone. */
    is_last = strcmp(last->id, r->opt->cycle) == 0;
    if (!is_last) {
        bool counted = false;
        for (size_t i = 0; i < n && !counted; i++)
            counted = strcmp(cy[i].id, r->opt->cycle) == 0;
        pl_buf_clear(&path);
        pl_buf_printf(&path, "%s/%s/rated.csv", r->out_year.data, last->id);
        if (!counted || !is_file(path.data))
            goto done;
    }
    pl_buf_append_str(&a.in, r->in.data);
    pl_buf_append_str(&a.catalog, r->catalog.data);
    pl_buf_append_str(&a.out_year, r->out_year.data);
    pl_buf_append_str(&a.rules, r->rules.data);
    pl_buf_printf(&a.out, "%s/annual", r->out_year.data);
    pl_buf_printf(&a.err_path, "%s/.annual.stage.err", r->out_year.data);
    pl_buf_clear(&path);
    pl_buf_printf(&path, "%s/.annual.lock", r->out_year.data);
    lock = open(path.data, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (lock < 0 || flock(lock, LOCK_EX) != 0) {
        pl_diag_report(r->diag, path.data, 0, 0, "E_CANNOT_CREATE", "无法锁定年度考核目录：%s",
                       strerror(errno));
        code = PL_EXIT_CANTCREATE;
        goto done;
    }
    if ((code = recover_swap(&a)))
        goto done;
    remove_stale(&a);
    pl_buf_printf(&a.staging, "%s/.annual.staging.XXXXXX", r->out_year.data);
    if (!mkdtemp(a.staging.data)) {
        pl_diag_report(r->diag, r->out_year.data, 0, 0, "E_CANNOT_CREATE", "无法创建暂存目录：%s",
                       strerror(errno));
        pl_buf_clear(&a.staging);
        code = PL_EXIT_CANTCREATE;
        goto done;
    }
    chmod(a.staging.data, 0777 & ~current_umask());
    if (is_last)
        logf_(&a, "ducha-cycle %s %s: the year's last cycle; the year's assessment of",
              r->opt->year, r->opt->cycle);
    else
        logf_(&a, "ducha-cycle %s %s: run after the year's last cycle (%s); the year's "
              "assessment again, of", r->opt->year, r->opt->cycle, last->id);
    size_t k = 0, used = 0;
    argv[k++] = "ducha-annual";
    argv[k++] = "-c";
    argv[k++] = r->catalog.data;
    if (r->rules.len) {
        argv[k++] = "--rules";
        argv[k++] = r->rules.data;
    }
    argv[k++] = "-o";
    argv[k++] = a.staging.data;
    for (size_t i = 0; i < n; i++) {
        pl_buf_clear(&path);
        pl_buf_printf(&path, "%s/%s", r->out_year.data, cy[i].id);
        if (!is_dir(path.data) || pl_buf_append_str(&path, "/rated.csv") != PL_OK ||
            !is_file(path.data)) {
            pl_diag_report(r->diag, path.data, 0, 0, "W_ANNUAL_CYCLE_MISSING",
                           "报送周期%s还没有输出，年度考核未计入", cy[i].id);
            logf_(&a, " (%s: no outputs yet, not counted)", cy[i].id);
            continue;
        }
        path.data[path.len - strlen("/rated.csv")] = '\0';
        if (!(argv[k++] = strdup(path.data))) {
            code = PL_EXIT_INTERNAL;
            goto done;
        }
        cy[used++] = cy[i];
        logf_(&a, " %s", cy[i].id);
    }
    logf_(&a, "\n");
    code = stage(&a, "ducha-annual", argv, NULL, NULL, 1);
    if (!code)
        code = write_annual_manifest(&a, cy, used);
    if (!code) {
        pl_buf_clear(&path);
        pl_buf_printf(&path, "%s/run.log", a.staging.data);
        code = write_log(&a, path.data);
    }
    if (!code)
        code = swap_in(&a);
done:
    if (!code && a.out.len) {
        snprintf(r->sum->annual_dir, sizeof r->sum->annual_dir, "%s", a.out.data);
        r->sum->annual_again = !is_last;
    }
    if (a.out.len) {
        /* The cycle's own log, published already: what the year's end did. */
        pl_buf_clear(&path);
        pl_buf_printf(&path, "%s/run.log", r->out.data);
        int fd = open(path.data, O_WRONLY | O_APPEND | O_NOFOLLOW | O_CLOEXEC);
        pl_buf_clear(&r->log);
        logf_(r, "\n%s: the year's assessment %s %s (%s says how)\n",
              is_last ? "the year's last cycle" : "run after the year's last cycle",
              code ? "could NOT be written to" : is_last ? "written to" : "written again to",
              a.out.data,
              code ? "annual.failed.log beside it" : "its run.log");
        if (fd >= 0) {
            if (write(fd, r->log.data, r->log.len) != (ssize_t)r->log.len || fsync(fd) != 0)
                code = code ? code : PL_EXIT_IO;
            close(fd);
        }
        if (code) {
            pl_buf_clear(&path);
            pl_buf_printf(&path, "%s.failed.log", a.out.data);
            unlink(path.data);
            write_log(&a, path.data);
        }
    }
    if (a.staging.len)
        remove_tree(a.staging.data);
    if (lock >= 0)
        close(lock);
    for (size_t i = 5 + (r->rules.len ? 2 : 0); argv && argv[i]; i++)
        free(argv[i]);
    free(argv);
    free(cy);
    pl_inbox_fini(&a.inbox);
    for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++)
        pl_buf_fini(bufs[i]);
    pl_catalog_fini(&cal);
    return code;
}

/* ---- the year's start (ducha-cycle --start) and the new catalog -------------------------- */

/* Writes LEN bytes of DATA to PATH, never through a link planted there, flushed to disk. */
static int write_file(const char *path, const char *data, size_t len)
{
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd < 0)
        return PL_EXIT_CANTCREATE;
    bool ok = true;
    for (size_t done = 0; ok && done < len;) {
        ssize_t n = write(fd, data + done, len - done);
        ok = n > 0;
        done += ok ? (size_t)n : 0;
    }
    ok = ok && fsync(fd) == 0;
    return close(fd) == 0 && ok ? 0 : PL_EXIT_IO;
}

/* catalog/import.log: ducha-import's messages, one a line (empty when it had none). They are
 * kept with the catalog, written into DIR (the import's folder) before it is put in place, so
 * that review.xlsx lists them again when --start is rerun after the office edited the
 * catalog. */
static int write_import_log(struct run *r, const char *dir)
{
    struct pl_buf path;
    pl_buf_init(&path);
    pl_buf_printf(&path, "%s/import.log", dir);
    int code = write_file(path.data, r->import_notes.data, r->import_notes.len);
    if (code)
        pl_diag_report(r->diag, path.data, 0, 0, "E_CANNOT_CREATE", "无法写出导入记录：%s",
                       strerror(errno));
    pl_buf_fini(&path);
    return code;
}

/* catalog/review.xlsx (the review module): the import's messages (catalog/import.log), the
 * catalog's own checks as every program makes them, and every task, unit and cycle, for the
 * office to check against the document. Its created date is SOURCE_DATE_EPOCH's, else the
 * start of the year's first cycle: the same catalog gives the same bytes. */
static int write_review(struct run *r)
{
    struct pl_buf notes, path;
    pl_buf_init(&notes);
    pl_buf_init(&path);
    pl_buf_printf(&path, "%s/import.log", r->catalog.data);
    FILE *fp = fopen(path.data, "r");
    if (fp) {
        char chunk[4096];
        size_t n;
        while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
            pl_buf_append(&notes, chunk, n);
        fclose(fp);
    }
    struct pl_diag d;
    pl_diag_init(&d, pl_diag_emit_buf, &notes);
    struct pl_catalog c;
    pl_catalog_init(&c);
    int code = 0;
    /* A catalog with wrong rows is still shown: the review is where the office finds them. */
    if (pl_catalog_read(&c, r->catalog.data, &d) == PL_ERR_NOMEM) {
        code = PL_EXIT_INTERNAL;
        goto done;
    }
    /* Last year's document put in this year's folder gives last year's cycles. */
    size_t of_year = 0, ylen = strlen(r->opt->year);
    for (size_t i = 0; i < c.ncycles; i++)
        of_year += c.cycles[i].start && strncmp(c.cycles[i].start, r->opt->year, ylen) == 0 &&
                   c.cycles[i].start[ylen] == '-';
    if (c.ncycles && !of_year)
        pl_diag_report(&d, NULL, 0, 0, "W_CATALOG_YEAR",
                       "%s/cycles.csv的报送周期都不在%s年内（从%s开始）：年度文件是否放错了年份目录？",
                       r->catalog.data, r->opt->year, c.cycles[0].start ? c.cycles[0].start : "");
    long long created = -1;
    if (pl_xlsx_source_date(getenv("SOURCE_DATE_EPOCH"), &created) != PL_OK || created < 0) {
        long first = -1;
        for (size_t i = 0; i < c.ncycles; i++) {
            const char *s = c.cycles[i].start ? c.cycles[i].start : "";
            long days;
            if (pl_date_parse(s, strlen(s), &days, NULL) == PL_OK && (first < 0 || days < first))
                first = days;
        }
        created = first > 0 ? first * 86400LL : 0;
    }
    pl_buf_clear(&path);
    pl_buf_printf(&path, "%s/review.xlsx", r->catalog.data);
    enum pl_status st = pl_review_write(&c, notes.data, r->opt->year, path.data, created, r->diag);
    if (st != PL_OK) {
        code = pl_status_exit_code(st);
        goto done;
    }
    unsigned long lines = 0;
    for (const char *p = notes.data; *p; p++)
        lines += *p == '\n';
    r->sum->tasks = c.ntasks;
    r->sum->units = c.nunits;
    r->sum->notes = lines;
    logf_(r, "review: %s (%lu messages of the import and the catalog's checks, %zu tasks, "
             "%zu units, %zu cycles)\n",
          path.data, lines, c.ntasks, c.nunits, c.ncycles);
done:
    pl_catalog_fini(&c);
    pl_buf_fini(&notes);
    pl_buf_fini(&path);
    return code;
}

/* The cycle the year's first forms are for: CYCLE when given (it must be in cycles.csv), else
 * the cycle with the earliest deadline (the first row among equals; the first row when no
 * deadline reads as a date). */
static int first_cycle(struct run *r, const char *cycle, struct pl_buf *out)
{
    /* The catalog's reader first, with its messages, as read_cycles(). */
    struct pl_catalog cal;
    pl_catalog_init(&cal);
    enum pl_status read = pl_catalog_read_cycles(&cal, r->catalog.data, r->diag);
    pl_catalog_fini(&cal);
    if (read != PL_OK)
        return read == PL_ERR_NOMEM ? pl_status_exit_code(read) : PL_EXIT_CONFIG;
    struct pl_buf path;
    pl_buf_init(&path);
    pl_buf_printf(&path, "%s/cycles.csv", r->catalog.data);
    struct pl_table t;
    enum pl_status st = pl_table_read(path.data, &t, r->diag);
    pl_buf_fini(&path);
    if (st != PL_OK) {
        pl_table_free(&t);
        return PL_EXIT_CONFIG;
    }
    int id = pl_table_column(&t, "id"), deadline = pl_table_column(&t, "deadline");
    long best = -1;
    size_t at = t.nrows;
    for (size_t i = 0; i < t.nrows; i++) {
        const char *d = pl_table_get(&t, i, deadline);
        long days;
        if (cycle) {
            if (strcmp(pl_table_get(&t, i, id), cycle) == 0)
                at = i;
        } else if (pl_date_parse(d, strlen(d), &days, NULL) == PL_OK &&
                   (best < 0 || days < best)) {
            best = days;
            at = i;
        }
    }
    if (!cycle && at == t.nrows && t.nrows)
        at = 0;
    if (at == t.nrows) {
        if (cycle)
            pl_diag_report(r->diag, r->catalog.data, 0, 0, "E_CYCLE_UNKNOWN",
                           "报送周期“%s”不在cycles.csv中", cycle);
        else
            /* A task table (任务分解表) carries no reporting calendar: say how to add one. */
            pl_diag_report(r->diag, r->catalog.data, 0, 0, "E_CYCLE_UNKNOWN",
                           "cycles.csv中没有报送周期（任务分解表不含报送时间）：请按"
                           "“id,label,start,end,deadline,expected”逐行填写，如“%sH1,%s年上半年,"
                           "%s-01-01,%s-06-30,%s-06-30,50”，再运行ducha-cycle --start %s",
                           r->opt->year, r->opt->year, r->opt->year, r->opt->year, r->opt->year,
                           r->opt->year);
        pl_table_free(&t);
        return PL_EXIT_CONFIG;
    }
    pl_buf_append_str(out, pl_table_get(&t, at, id));
    pl_table_free(&t);
    return 0;
}

/* Puts the folder STAGED in place of DEST: one exchange where the file system has it (then
 * the old forms are removed), else the old folder removed and the new one renamed in. */
static int put_folder(struct run *r, const char *staged_dir, const char *dest, const char *parent)
{
    int code = sync_staged(r, staged_dir);
    if (code)
        return code;
    if (renameat2(AT_FDCWD, staged_dir, AT_FDCWD, dest, RENAME_EXCHANGE) == 0) {
        if (sync_path(parent) != 0)
            return sync_failed(r, parent);
        remove_tree(staged_dir);
    } else {
        if (errno != ENOENT)
            remove_tree(dest);
        if (rename(staged_dir, dest) != 0) {
            pl_diag_report(r->diag, dest, 0, 0, "E_CANNOT_CREATE", "无法放置空白报表：%s",
                           strerror(errno));
            return PL_EXIT_CANTCREATE;
        }
    }
    return sync_path(parent) == 0 ? 0 : sync_failed(r, parent);
}

/* The blank returns of CYCLE (ducha-forms, as CSV and as XLSX) with the run's log, put whole
 * into ROOT/output/YEAR/forms/CYCLE/: the year's first forms, made before any cycle has
 * outputs of its own (later cycles' forms come with the cycle before them, in its forms/).
 * Runs under the catalog lock, which every maker of these folders holds. */
static int make_forms(struct run *r, const char *cycle)
{
    struct pl_buf dir, dest, keep_out = r->out;
    pl_buf_init(&dir);
    pl_buf_init(&dest);
    pl_buf_init(&r->out);
    int code = 0;
    pl_buf_printf(&dir, "%s/forms", r->out_year.data);
    pl_buf_printf(&dest, "%s/%s", dir.data, cycle);
    pl_buf_append_str(&r->out, dest.data); /* stage() names staged files as they will stand */
    if (mkdirs(dir.data) != 0) {
        pl_diag_report(r->diag, dir.data, 0, 0, "E_CANNOT_CREATE", "无法创建目录：%s",
                       strerror(errno));
        code = PL_EXIT_CANTCREATE;
        goto done;
    }
    /* What a killed run left (the lock is held: nobody else is making forms). */
    DIR *d = opendir(dir.data);
    struct dirent *e;
    size_t clen = strlen(cycle);
    while (d && (e = readdir(d))) {
        if (e->d_name[0] != '.' || strncmp(e->d_name + 1, cycle, clen) != 0 ||
            e->d_name[1 + clen] != '.')
            continue;
        struct pl_buf p;
        pl_buf_init(&p);
        pl_buf_printf(&p, "%s/%s", dir.data, e->d_name);
        remove_tree(p.data);
        pl_buf_fini(&p);
    }
    if (d)
        closedir(d);
    pl_buf_clear(&r->staging);
    pl_buf_printf(&r->staging, "%s/.%s.XXXXXX", dir.data, cycle);
    if (!mkdtemp(r->staging.data)) {
        pl_diag_report(r->diag, dir.data, 0, 0, "E_CANNOT_CREATE", "无法创建暂存目录：%s",
                       strerror(errno));
        pl_buf_clear(&r->staging);
        code = PL_EXIT_CANTCREATE;
        goto done;
    }
    chmod(r->staging.data, 0777 & ~current_umask());
    char *csv[] = {"ducha-forms", "-c", r->catalog.data, "--cycle", (char *)cycle,
                   "-o", r->staging.data, NULL};
    char *xlsx[] = {"ducha-forms", "-c", r->catalog.data, "--cycle", (char *)cycle,
                    "-o", r->staging.data, "--format", "xlsx", NULL};
    if ((code = stage(r, "ducha-forms", csv, NULL, NULL, 0)) ||
        (code = stage(r, "ducha-forms", xlsx, NULL, NULL, 0)))
        goto failed;
    char **files;
    size_t n, units = 0;
    if (list_files(r->staging.data, &files, &n) == PL_OK) {
        for (size_t i = 0; i < n; i++) {
            size_t len = strlen(files[i]);
            units += len > 4 && strcmp(files[i] + len - 4, ".csv") == 0;
        }
        free_list(files, n);
    }
    r->sum->forms = units;
    snprintf(r->sum->forms_cycle, sizeof r->sum->forms_cycle, "%s", cycle);
    snprintf(r->sum->out_dir, sizeof r->sum->out_dir, "%s", dest.data);
    logf_(r, "\nforms of %s for %zu units (CSV and XLSX): %s\n", cycle, units, dest.data);
    struct pl_buf log_path;
    pl_buf_init(&log_path);
    pl_buf_printf(&log_path, "%s/run.log", r->staging.data);
    code = write_log(r, log_path.data);
    pl_buf_fini(&log_path);
    if (code || (code = put_folder(r, r->staging.data, dest.data, dir.data)))
        goto failed;
    pl_buf_clear(&r->staging);
    goto done;
failed:;
    struct pl_buf fl;
    pl_buf_init(&fl);
    pl_buf_printf(&fl, "%s.failed.log", dest.data);
    unlink(fl.data);
    write_log(r, fl.data);
    pl_buf_fini(&fl);
done:
    pl_buf_fini(&r->out);
    r->out = keep_out;
    pl_buf_fini(&dir);
    pl_buf_fini(&dest);
    return code;
}

/* A cycle never publishes a circular from a catalog nobody has checked: one this run imported,
 * or one that a run it waited for imported (two cycles started together). Such a run writes
 * the review and its cycle's forms instead, and stops with E_CATALOG_NEW (78): the office
 * checks review.xlsx, corrects the catalog if need be, and runs the cycle again. */
static int stop_at_new_catalog(struct run *r)
{
    if (r->catalog_new == CATALOG_CHECKED)
        return 0;
    logf_(r, "\n%s is new: no circular is made from a catalog nobody has checked\n",
          r->catalog.data);
    int code = make_forms(r, r->opt->cycle);
    if (code)
        return code;
    r->sum->catalog_new = (int)r->catalog_new;
    pl_diag_report(r->diag, r->catalog.data, 0, 0, "E_CATALOG_NEW",
                   "年度目录（catalog/）%s，尚未核对，本次不生成通报：已写出核对表"
                   "%s/review.xlsx和%s的空白报表%s/；请核对（必要时修改目录）后重新运行",
                   r->catalog_new == CATALOG_IMPORTED ? "是本次刚从年度文件导入的"
                                                      : "刚由同时运行的另一个ducha-cycle导入",
                   r->catalog.data, r->opt->cycle, r->sum->out_dir);
    return PL_EXIT_CONFIG;
}

/* ducha-cycle --start YEAR [CYCLE]: the catalog imported from the year's document (when it is
 * missing; an edited catalog is never overwritten), review.xlsx written (again), and the
 * first cycle's forms made. Nothing else is published: no cycle folder, no circular. */
static int run_start(struct run *r)
{
    if (mkdirs(r->out_year.data) != 0) {
        pl_diag_report(r->diag, r->out_year.data, 0, 0, "E_CANNOT_CREATE",
                       "无法创建输出目录：%s", strerror(errno));
        return PL_EXIT_CANTCREATE;
    }
    pl_buf_printf(&r->err_path, "%s/.start.stage.err", r->out_year.data);
    logf_(r, "ducha-cycle --start %s\n", r->opt->year);
    int code = lock_catalog(r);
    if (code)
        return code;
    if (is_dir(r->catalog.data)) {
        logf_(r, "%s is there already: not imported again (an edited catalog is never "
                 "overwritten)\n", r->catalog.data);
        code = write_review(r);
    } else {
        code = ensure_catalog(r);
        snprintf(r->sum->document, sizeof r->sum->document, "%s", r->document.data);
    }
    r->sum->catalog_new = (int)r->catalog_new;
    struct pl_buf cycle;
    pl_buf_init(&cycle);
    if (!code)
        code = first_cycle(r, r->opt->cycle, &cycle);
    if (!code)
        code = make_forms(r, cycle.data);
    pl_buf_fini(&cycle);
    return code;
}

/* ---- what changed since the last run ----------------------------------------------------- */

struct changes {
    struct run *r;
    struct pl_buf returns, catalog, input;
    unsigned long n_inputs, n_outputs;
};

static void log_change(void *ctx, enum pl_manifest_change what, const char *path)
{
    struct changes *c = ctx;
    static const char *const words[] = {"new", "changed", "removed"};
    const char *kind = "outputs", *shown = path;
    const struct pl_buf *prefixes[] = {&c->returns, &c->catalog, &c->input};
    static const char *const kinds[] = {"returns", "catalog", "input"};
    /* A path sha256sum escapes starts with a backslash: shown as it stands. */
    for (size_t k = 0; k < 3 && kind[0] == 'o'; k++)
        if (strncmp(path, prefixes[k]->data, prefixes[k]->len) == 0) {
            kind = kinds[k];
            shown = path + prefixes[k]->len;
        }
    if (kind[0] == 'o' && strncmp(path, "../", 3) == 0)
        kind = "previous";
    if (kind[0] == 'o')
        c->n_outputs++;
    else
        c->n_inputs++;
    logf_(c->r, "  %-8s %-7s  %s\n", kind, words[what], shown);
}

static int by_line(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* True when the folder DIR holds the same files with the same content (run.log and
 * MANIFEST.sha256 aside) as this run's outputs, whose hashes write_manifest() kept: the
 * outputs in place are what their manifest says, byte for byte. */
static bool same_tree(const char *dir, struct pl_manifest *outputs)
{
    const char *const skip[] = {"run.log", "MANIFEST.sha256", NULL};
    struct pl_manifest m;
    pl_manifest_init(&m);
    bool same = pl_manifest_add_tree(&m, dir, "", skip) == PL_OK && m.n == outputs->n;
    if (same && m.n) {
        qsort(m.lines, m.n, sizeof *m.lines, by_line);
        qsort(outputs->lines, outputs->n, sizeof *outputs->lines, by_line);
    }
    for (size_t i = 0; same && i < m.n; i++)
        same = strcmp(m.lines[i], outputs->lines[i]) == 0;
    pl_manifest_fini(&m);
    return same;
}

/* Writes to the log what changed since the outputs in place were made, from their
 * MANIFEST.sha256 and the new one: each return, catalog file, rules file, previous cycle's
 * file and output that is new, changed or removed. True when nothing did (the outputs in place
 * are then kept as they are: keep_published). */
static bool log_changes(struct run *r)
{
    struct pl_buf old, new;
    pl_buf_init(&old);
    pl_buf_init(&new);
    pl_buf_printf(&old, "%s/MANIFEST.sha256", r->out.data);
    pl_buf_printf(&new, "%s/MANIFEST.sha256", r->staging.data);
    bool same = false;
    if (!is_file(old.data)) {
        logf_(r, "\nchanges since the last run: none to compare with (the cycle's first "
                 "publication)\n");
        goto done;
    }
    struct changes c = {.r = r};
    pl_buf_init(&c.returns);
    pl_buf_init(&c.catalog);
    pl_buf_init(&c.input);
    const char *up = "../../../input/";
    pl_buf_printf(&c.returns, "%s%s/returns/%s/", up, r->opt->year, r->opt->cycle);
    pl_buf_printf(&c.catalog, "%s%s/catalog/", up, r->opt->year);
    pl_buf_printf(&c.input, "%s%s/", up, r->opt->year);
    logf_(r, "\nchanges since the last run (the published MANIFEST.sha256 against this run's):\n");
    size_t n = 0;
    enum pl_status st = pl_manifest_compare(old.data, new.data, log_change, &c, &n);
    if (st != PL_OK)
        logf_(r, "  cannot compare: %s\n", pl_strerror(st));
    else if (n == 0 && !(same = same_tree(r->out.data, &r->outputs)))
        logf_(r, "  nothing changed in the inputs, but the published folder differs from its "
                 "manifest (changed by hand?): published again\n");
    else if (n == 0)
        logf_(r, "  nothing changed: the published outputs are left as they were (only run.log "
                 "is replaced)\n");
    else
        logf_(r, "  in all: %lu inputs, %lu outputs\n", c.n_inputs, c.n_outputs);
    pl_buf_fini(&c.returns);
    pl_buf_fini(&c.catalog);
    pl_buf_fini(&c.input);
done:
    pl_buf_fini(&old);
    pl_buf_fini(&new);
    return same;
}

/* The outputs in place are what this run made, byte for byte: they stay as they are (the same
 * files, dates and all), and only their run.log is replaced, written beside the folder and
 * renamed in. The staging folder goes. */
static int keep_published(struct run *r)
{
    struct pl_buf tmp, dest;
    pl_buf_init(&tmp);
    pl_buf_init(&dest);
    pl_buf_printf(&tmp, "%s/.%s.run.log", r->out_year.data, r->opt->cycle);
    pl_buf_printf(&dest, "%s/run.log", r->out.data);
    unlink(tmp.data);
    int code = write_log(r, tmp.data);
    if (!code && rename(tmp.data, dest.data) != 0) {
        pl_diag_report(r->diag, dest.data, 0, 0, "E_CANNOT_CREATE", "无法写出运行记录：%s",
                       strerror(errno));
        code = PL_EXIT_CANTCREATE;
    }
    if (code)
        unlink(tmp.data);
    else if (sync_path(r->out.data) != 0)
        code = sync_failed(r, r->out.data);
    remove_tree(r->staging.data);
    pl_buf_fini(&tmp);
    pl_buf_fini(&dest);
    return code;
}

int pl_cycle_run(const struct pl_cycle_options *opt, struct pl_diag *diag,
                 struct pl_cycle_summary *summary)
{
    memset(summary, 0, sizeof *summary);
    unsetenv("DUCHA_STAGING"); /* set for each stage (defer_syncs), never inherited */
    /* The stages' allocator (issue 17): libxlsxwriter's zlib takes and frees a deflate state
     * of some 270 KB for every part of every workbook, which glibc serves from mmap and gives
     * back each time: 12,000 page faults for the county's 61 receipts. A mmap threshold of
     * 1 MB and a heap trimmed only past 8 MB keep it in the heap: the same bytes out, about a
     * fifth less time for ducha-receipts. Tunables the caller set are left as they are. */
    setenv("GLIBC_TUNABLES",
           "glibc.malloc.mmap_threshold=1048576:glibc.malloc.trim_threshold=8388608", 0);
    struct run r = {.opt = opt, .diag = diag, .sum = summary, .catalog_lock = -1};
    pl_inbox_init(&r.inbox);
    pl_buf_init(&r.import_notes);
    pl_manifest_init(&r.outputs);
    struct pl_buf *bufs[] = {&r.in,         &r.catalog,    &r.out_year,   &r.out,    &r.staging,
                             &r.log,        &r.err_path,   &r.document,   &r.rules,  &r.prev_rated,
                             &r.prev_ranks, &r.next_cycle, &r.prev_shown, &r.number, &r.returns_dir,
                             &r.prev_id,    &r.issued};
    for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++)
        pl_buf_init(bufs[i]);
    int code = 0, lock = -1;
    /* Paths under the root are written relative when the root is the working directory, so
     * that records name their sources as input/2023/returns/…, wherever the data lives. */
    const char *root = strcmp(opt->root, ".") == 0 ? "" : opt->root;
    const char *sep = *root ? "/" : "";
    pl_buf_printf(&r.in, "%s%sinput/%s", root, sep, opt->year);
    pl_buf_printf(&r.catalog, "%s/catalog", r.in.data);
    pl_buf_printf(&r.out_year, "%s%soutput/%s", root, sep, opt->year);
    pl_buf_printf(&r.out, "%s/%s", r.out_year.data, opt->cycle);
    snprintf(summary->out_dir, sizeof summary->out_dir, "%s", r.out.data);

    if (!is_dir(r.in.data)) {
        pl_diag_report(diag, r.in.data, 0, 0, "E_NO_INPUT", "没有%s年的输入目录", opt->year);
        code = PL_EXIT_NOINPUT;
        goto done;
    }
    if (opt->status) {
        code = run_status(&r);
        goto done;
    }
    if (opt->start) {
        code = run_start(&r);
        goto done;
    }
    if (mkdirs(r.out_year.data) != 0) {
        pl_diag_report(diag, r.out_year.data, 0, 0, "E_CANNOT_CREATE", "无法创建输出目录：%s",
                       strerror(errno));
        code = PL_EXIT_CANTCREATE;
        goto done;
    }
    /* Each stage's messages go here before they are copied into the log (beside the cycle's
     * folder, not in it, so that the import can run before there is a staging folder). */
    pl_buf_printf(&r.err_path, "%s/.%s.stage.err", r.out_year.data, opt->cycle);
    struct pl_buf lock_path;
    pl_buf_init(&lock_path);
    pl_buf_printf(&lock_path, "%s/.%s.lock", r.out_year.data, opt->cycle);
    lock = open(lock_path.data, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0666);
    /* On a read-only disk an existing lock still locks: the run then fails where it must
     * write, with that reason. */
    if (lock < 0)
        lock = open(lock_path.data, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    int lock_errno = errno;
    pl_buf_fini(&lock_path);
    if (lock < 0) {
        pl_diag_report(diag, r.out_year.data, 0, 0, "E_CANNOT_CREATE",
                       "无法在输出目录中创建锁文件：%s", strerror(lock_errno));
        code = PL_EXIT_CANTCREATE;
        goto done;
    }
    if (flock(lock, LOCK_EX | (opt->wait ? 0 : LOCK_NB)) != 0) {
        pl_diag_report(diag, r.out.data, 0, 0, "E_LOCKED",
                       "另一个ducha-cycle正在处理%s，本次未运行（加--wait可等待其结束）",
                       opt->cycle);
        code = 75; /* EX_TEMPFAIL: try again later */
        goto done;
    }
    if ((code = recover_swap(&r)) || (code = ensure_catalog(&r)) || (code = read_cycles(&r)) ||
        (code = stop_at_new_catalog(&r)) || (code = find_inputs(&r)) ||
        (code = require_returns(&r)))
        goto done;

    remove_stale(&r);
    pl_buf_printf(&r.staging, "%s/.%s.staging.XXXXXX", r.out_year.data, opt->cycle);
    if (!mkdtemp(r.staging.data)) {
        pl_diag_report(diag, r.out_year.data, 0, 0, "E_CANNOT_CREATE", "无法创建暂存目录：%s",
                       strerror(errno));
        pl_buf_clear(&r.staging);
        code = PL_EXIT_CANTCREATE;
        goto done;
    }
    /* mkdtemp makes the folder private; the cycle's folder is for the office to read. */
    mode_t mask = umask(0);
    umask(mask);
    chmod(r.staging.data, 0777 & ~mask);

    logf_(&r, "ducha-cycle %s %s: %zu files in %s/returns/%s\n", opt->year, opt->cycle,
          r.inbox.count, r.in.data, opt->cycle);
    if (r.prev_rated.len)
        logf_(&r, "previous cycle: %s, %s%s\n", r.prev_id.data, r.prev_rated.data,
              r.prev_last_year ? " (last year's: tasks compared through tasks.csv previous_id)"
                               : "");
    else if (r.prev_id.len)
        logf_(&r, "previous cycle: %s, not run (no arrows)\n", r.prev_id.data);
    else
        logf_(&r, "previous cycle: none of this cycle's kind\n");
    if (!r.number.len && (code = assign_serial(&r)))
        goto failed;
    if ((code = run_chain(&r)) || (code = write_manifest(&r)))
        goto failed;
    /* A rerun on the same inputs leaves the published files as they are. */
    summary->unchanged = log_changes(&r);
    logf_(&r, "\nsummary: %lu files, %lu rows: %lu records, %lu unreadable; %lu valid, %lu rejected; "
              "%lu task-unit pairs: %lu missing, %lu returned with errors, %lu late; blue %lu, yellow %lu, "
              "red %lu; %lu reports on tasks demanded from nobody\n",
          summary->files, summary->rows, summary->records, summary->read_rejected, summary->valid,
          summary->rejected, summary->pairs, summary->missing, summary->returned, summary->late,
          summary->blue,
          summary->yellow, summary->red, summary->not_demanded);
    struct pl_buf log_path;
    pl_buf_init(&log_path);
    pl_buf_printf(&log_path, "%s/run.log", r.staging.data);
    code = summary->unchanged ? keep_published(&r) : write_log(&r, log_path.data);
    pl_buf_fini(&log_path);
    if (code || (!summary->unchanged && (code = swap_in(&r))))
        goto failed;
    /* A failure log of an earlier run is out of date now. */
    struct pl_buf failed_log;
    pl_buf_init(&failed_log);
    pl_buf_printf(&failed_log, "%s.failed.log", r.out.data);
    unlink(failed_log.data);
    pl_buf_fini(&failed_log);
    pl_buf_clear(&r.staging);
    code = run_annual(&r); /* after the year's last cycle: output/YEAR/annual/ */
    goto done;
failed:;
    struct pl_buf fl;
    pl_buf_init(&fl);
    pl_buf_printf(&fl, "%s.failed.log", r.out.data);
    unlink(fl.data); /* a link planted there is replaced, never followed */
    write_log(&r, fl.data);
    pl_buf_fini(&fl);
done:
    if (r.staging.len)
        remove_tree(r.staging.data);
    unsetenv("DUCHA_STAGING");
    if (lock >= 0)
        close(lock);
    if (r.catalog_lock >= 0)
        close(r.catalog_lock);
    pl_buf_fini(&r.import_notes);
    pl_manifest_fini(&r.outputs);
    pl_inbox_fini(&r.inbox);
    for (size_t i = 0; i < sizeof bufs / sizeof bufs[0]; i++)
        pl_buf_fini(bufs[i]);
    return code;
}
