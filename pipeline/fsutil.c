/* fsutil — atomic output files; checked close of stdout. */
#define _GNU_SOURCE /* syncfs(2) */
#include "fsutil.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "buf.h"

enum pl_status pl_atomic_open(struct pl_atomic_file *f, const char *path, struct pl_diag *diag)
{
    f->fp = NULL;
    f->path = strdup(path);
    struct pl_buf tmp;
    pl_buf_init(&tmp);
    if (!f->path || pl_buf_printf(&tmp, "%s.tmp.XXXXXX", path) != PL_OK) {
        free(f->path);
        f->path = NULL;
        pl_buf_fini(&tmp);
        return PL_ERR_NOMEM;
    }
    f->tmp_path = pl_buf_take(&tmp);
    int fd = f->tmp_path ? mkstemp(f->tmp_path) : -1;
    if (fd < 0 || !(f->fp = fdopen(fd, "w"))) {
        pl_diag_report(diag, path, 0, 0, "E_CANNOT_CREATE", "无法创建输出文件：%s",
                       strerror(errno));
        if (fd >= 0) {
            close(fd);
            unlink(f->tmp_path);
        }
        free(f->path);
        free(f->tmp_path);
        f->path = f->tmp_path = NULL;
        return PL_ERR_CREATE;
    }
    /* mkstemp makes the file private; an output gets the mode any new file would get. The
     * umask is read once a process (ducha never sets it; reading it means setting it twice):
     * two system calls fewer for each of a province's 60,000 receipts. */
    static mode_t mask;
    static bool mask_read;
    if (!mask_read) {
        mask = umask(0);
        umask(mask);
        mask_read = true;
    }
    fchmod(fd, 0666 & ~mask);
    return PL_OK;
}

/* ducha-cycle runs its stages with DUCHA_STAGING naming the folder it stages the run's
 * outputs in. It flushes that folder whole, every file and folder in it, before it publishes
 * it, and never publishes it otherwise (cycle.c, sync_tree): a stage's own fsync of a file
 * below it would be a second sync of the same bytes, one program and one file at a time
 * (issue 17: nine stages, 150 files). A path outside the folder, or with a ".." in it, is
 * flushed here as always. */
bool pl_sync_deferred(const char *path)
{
    const char *dir = getenv("DUCHA_STAGING");
    size_t n = dir ? strlen(dir) : 0;
    if (!n || strncmp(path, dir, n) != 0 || (path[n] != '/' && path[n] != '\0'))
        return false;
    for (const char *p = path + n; (p = strstr(p, "/..")); p += 3)
        if (p[3] == '/' || p[3] == '\0')
            return false;
    return true;
}

/* Flushes the folder holding PATH; a folder that cannot be opened for it (some file systems
 * refuse) is left as it is: the file itself is already on the disk. */
static void sync_parent(const char *path)
{
    const char *slash = strrchr(path, '/');
    char *dir = slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : strdup(".");
    int fd = dir ? open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC) : -1;
    if (fd >= 0) {
        fsync(fd);
        close(fd);
    }
    free(dir);
}

static void release(struct pl_atomic_file *f)
{
    free(f->path);
    free(f->tmp_path);
    f->path = f->tmp_path = NULL;
    f->fp = NULL;
}

static enum pl_status commit(struct pl_atomic_file *f, bool sync, struct pl_diag *diag)
{
    if (!f->fp)
        return PL_ERR_INTERNAL;
    if (sync && pl_sync_deferred(f->path))
        sync = false;
    int failed = ferror(f->fp) || fflush(f->fp) != 0 || (sync && fsync(fileno(f->fp)) != 0);
    int err = errno;
    if (fclose(f->fp) != 0 && !failed) {
        failed = 1;
        err = errno;
    }
    f->fp = NULL;
    if (failed) {
        pl_diag_report(diag, f->path, 0, 0, "E_WRITE", "写入失败：%s", strerror(err));
        unlink(f->tmp_path);
        release(f);
        return PL_ERR_IO;
    }
    if (rename(f->tmp_path, f->path) != 0) {
        pl_diag_report(diag, f->path, 0, 0, "E_CANNOT_CREATE", "无法放置输出文件：%s",
                       strerror(errno));
        unlink(f->tmp_path);
        release(f);
        return PL_ERR_CREATE;
    }
    /* The rename is durable once the folder holding the name is flushed too. */
    if (sync)
        sync_parent(f->path);
    release(f);
    return PL_OK;
}

enum pl_status pl_atomic_commit(struct pl_atomic_file *f, struct pl_diag *diag)
{
    return commit(f, true, diag);
}

enum pl_status pl_atomic_commit_unsynced(struct pl_atomic_file *f, struct pl_diag *diag)
{
    return commit(f, false, diag);
}

enum pl_status pl_sync_folder(const char *dir, struct pl_diag *diag)
{
    if (pl_sync_deferred(dir))
        return PL_OK;
    int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0 || syncfs(fd) != 0) {
        pl_diag_report(diag, dir, 0, 0, "E_WRITE", "写入磁盘失败：%s", strerror(errno));
        if (fd >= 0)
            close(fd);
        return PL_ERR_IO;
    }
    close(fd);
    return PL_OK;
}

void pl_atomic_abort(struct pl_atomic_file *f)
{
    if (f->fp) {
        fclose(f->fp);
        unlink(f->tmp_path);
    }
    release(f);
}

enum pl_status pl_close_stdout(struct pl_diag *diag)
{
    int failed = ferror(stdout) || fflush(stdout) != 0;
    int err = errno;
    if (fclose(stdout) != 0 && !failed) {
        failed = 1;
        err = errno;
    }
    if (!failed)
        return PL_OK;
    pl_diag_report(diag, "standard output", 0, 0, "E_WRITE", "写入失败：%s", strerror(err));
    return PL_ERR_IO;
}
