/*
 * spawn — run one ducha program as a stage: its arguments as a vector, its standard streams
 * from and to files, its exit status and its time.
 *
 * ducha-cycle runs the chain as separate programs, exactly as a person would at a terminal,
 * so that every intermediate file is what the filter wrote. Programs are started with
 * fork(2) and execv(2) from an argument vector: no shell ever sees a file or unit name, so no
 * name can become a command. A program is looked for beside the running executable first
 * (the programs of one build or one installation belong together), then on PATH.
 */
#ifndef PL_SPAWN_H
#define PL_SPAWN_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

#include "status.h"

struct pl_spawn_result {
    int exit_code;      /* the program's exit status; 128+N when killed by signal N */
    double seconds;     /* wall time */
    double cpu_seconds; /* user + system CPU time of the program (wait4's rusage) */
    long peak_kb;       /* its peak resident set size in KiB (ru_maxrss) */
};

/* Sets the directory of the running executable (from /proc/self/exe, else ARGV0), where
 * sibling programs are looked for first. Call once at start. */
void pl_spawn_init(const char *argv0);

/* Runs PROGRAM (a name such as "ducha-read") with ARGV (ARGV[0] is PROGRAM, NULL-terminated),
 * standard input from IN_PATH (or /dev/null when NULL), standard output to OUT_PATH (created
 * or truncated; /dev/null when NULL) and standard error appended to ERR_PATH (or inherited
 * when NULL); OUT_PATH and ERR_PATH are opened with O_NOFOLLOW, so a symbolic link planted
 * there fails the stage instead of redirecting its output. The caller flushes OUT_PATH to
 * disk (cycle does it for the whole staging folder). PL_ERR_OPEN when a file cannot be opened or the program not started; the
 * program's own failure is in RESULT, not in the status. */
enum pl_status pl_spawn_run(const char *program, char *const argv[], const char *in_path,
                            const char *out_path, const char *err_path,
                            struct pl_spawn_result *result);

/* A program started by pl_spawn_start(), not yet waited for. */
struct pl_spawn_child {
    pid_t pid;
    double start;
};

/* Starts PROGRAM as pl_spawn_run() does, without waiting: CHILD gets what pl_spawn_wait()
 * needs. Every program started here is killed when the calling process dies (a killed cycle
 * leaves no stage running). PL_ERR_OPEN when IN_PATH cannot be read or no process could be made. */
enum pl_status pl_spawn_start(const char *program, char *const argv[], const char *in_path,
                              const char *out_path, const char *err_path,
                              struct pl_spawn_child *child);

/* Waits for the N programs of CHILDREN, started with pl_spawn_start(), in whatever order they
 * end (for N > 1 the caller must have no other child processes running: any that ends is
 * reaped and ignored); RESULTS[i] gets CHILDREN[i]'s exit status, wall and CPU time and peak RSS. Returns PL_ERR_OPEN when one
 * of them could not be executed (exit 127: RESULTS says which), PL_ERR_INTERNAL when waiting
 * failed, PL_ERR_NOMEM, else PL_OK. */
enum pl_status pl_spawn_wait(const struct pl_spawn_child *children, size_t n,
                             struct pl_spawn_result *results);

/* Waits, among the N programs of CHILDREN, for those whose ENDED[i] is false, reaping each as
 * it ends (RESULTS[i] gets its exit status, times and peak RSS, ENDED[i] becomes true), until
 * CHILDREN[WHICH] has ended, or until all have when WHICH is N or more: a stage run in its
 * turn while others started ahead of theirs run beside it, each timed to its own end. The
 * same rule on other children and the same returns as pl_spawn_wait() (which is this with
 * WHICH = N and no child ended yet). */
enum pl_status pl_spawn_wait_until(const struct pl_spawn_child *children, size_t n, size_t which,
                                   struct pl_spawn_result *results, bool *ended);

/* Kills CHILD (SIGKILL) and reaps it: a stage started ahead of its turn whose run has failed
 * before that turn came. */
void pl_spawn_kill(const struct pl_spawn_child *child);

#endif
