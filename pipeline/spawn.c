/* spawn — fork and exec one stage. */
#include "spawn.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static char self_dir[PATH_MAX];

void pl_spawn_init(const char *argv0)
{
    char path[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", path, sizeof path - 1);
    if (n > 0) {
        path[n] = '\0';
    } else if (argv0 && strchr(argv0, '/') && strlen(argv0) < sizeof path) {
        strcpy(path, argv0);
    } else {
        self_dir[0] = '\0';
        return;
    }
    char *slash = strrchr(path, '/');
    if (slash)
        *slash = '\0';
    snprintf(self_dir, sizeof self_dir, "%s", path);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* In the child: puts PATH on FD (opened with FLAGS), or exits 127. */
static void redirect(const char *path, int flags, int fd)
{
    int f = open(path, flags, 0666);
    if (f < 0 || dup2(f, fd) < 0)
        _exit(127);
    if (f != fd)
        close(f);
}

enum pl_status pl_spawn_start(const char *program, char *const argv[], const char *in_path,
                              const char *out_path, const char *err_path,
                              struct pl_spawn_child *child)
{
    char sibling[PATH_MAX + 64];
    int have_sibling = self_dir[0] &&
                       snprintf(sibling, sizeof sibling, "%s/%s", self_dir, program) <
                           (int)sizeof sibling &&
                       access(sibling, X_OK) == 0;
    /* Check the files here, so that a bad path is this program's error, not a child's 127. */
    if (in_path && access(in_path, R_OK) != 0)
        return PL_ERR_OPEN;
    child->start = now();
    fflush(NULL);
    pid_t parent = getpid();
    pid_t pid = fork();
    if (pid < 0)
        return PL_ERR_OPEN;
    if (pid == 0) {
        /* A stage dies with the run that started it: stages run side by side must not go on
         * writing into a staging folder that the next run is clearing. */
        if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent)
            _exit(127);
        redirect(in_path ? in_path : "/dev/null", O_RDONLY, 0);
        /* Outputs are created where the caller said, never through a link planted there. */
        redirect(out_path ? out_path : "/dev/null",
                 O_WRONLY | O_CREAT | O_TRUNC | (out_path ? O_NOFOLLOW : 0), 1);
        if (err_path)
            redirect(err_path, O_WRONLY | O_CREAT | O_APPEND | O_NOFOLLOW, 2);
        if (have_sibling)
            execv(sibling, argv);
        else
            execvp(program, argv);
        _exit(127);
    }
    child->pid = pid;
    return PL_OK;
}

enum pl_status pl_spawn_wait_until(const struct pl_spawn_child *children, size_t n, size_t which,
                                   struct pl_spawn_result *results, bool *ended)
{
    enum pl_status st = PL_OK;
    size_t left = 0;
    for (size_t i = 0; i < n; i++)
        left += !ended[i];
    while (left > 0 && (which >= n || !ended[which])) {
        int status;
        /* One child left: wait for it alone. Several: whichever ends first (the caller has
         * no other children meanwhile: spawn.h). */
        pid_t only = -1;
        for (size_t i = 0; left == 1 && i < n; i++)
            if (!ended[i])
                only = children[i].pid;
        /* wait4, not waitpid: the stage's own CPU time and peak RSS come with its status,
         * so run.log can say what each stage cost, not only how long it took. */
        struct rusage use;
        pid_t pid = wait4(only, &status, 0, &use);
        if (pid < 0) {
            if (errno == EINTR)
                continue;
            return PL_ERR_INTERNAL;
        }
        /* Each child's time ends when it does, not when its turn to be reported comes. */
        double end = now();
        for (size_t i = 0; i < n; i++) {
            if (ended[i] || children[i].pid != pid)
                continue;
            results[i].seconds = end - children[i].start;
            results[i].cpu_seconds = (double)use.ru_utime.tv_sec + use.ru_utime.tv_usec / 1e6 +
                                     (double)use.ru_stime.tv_sec + use.ru_stime.tv_usec / 1e6;
            results[i].peak_kb = use.ru_maxrss;
            results[i].exit_code =
                WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
            if (results[i].exit_code == 127)
                st = PL_ERR_OPEN;
            ended[i] = true;
            left--;
            break;
        }
    }
    return st;
}

enum pl_status pl_spawn_wait(const struct pl_spawn_child *children, size_t n,
                             struct pl_spawn_result *results)
{
    bool *ended = calloc(n ? n : 1, sizeof *ended);
    if (!ended)
        return PL_ERR_NOMEM;
    enum pl_status st = pl_spawn_wait_until(children, n, n, results, ended);
    free(ended);
    return st;
}

void pl_spawn_kill(const struct pl_spawn_child *child)
{
    kill(child->pid, SIGKILL);
    while (waitpid(child->pid, NULL, 0) < 0 && errno == EINTR)
        ;
}

enum pl_status pl_spawn_run(const char *program, char *const argv[], const char *in_path,
                            const char *out_path, const char *err_path,
                            struct pl_spawn_result *result)
{
    struct pl_spawn_child child;
    enum pl_status st = pl_spawn_start(program, argv, in_path, out_path, err_path, &child);
    return st == PL_OK ? pl_spawn_wait(&child, 1, result) : st;
}
