/* peak — run a command and report its wall time, CPU time and peak resident set size. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static const char usage[] =
    "usage: peak [-r REPORT] [--] COMMAND [ARG...]\n"
    "\n"
    "Runs COMMAND (searched in PATH), waits for it, and writes one line to REPORT (default\n"
    "standard error):\n"
    "  wall_s=W user_s=U sys_s=S maxrss_kb=K status=X\n"
    "wall time from the monotonic clock, CPU times and the peak RSS of the largest single\n"
    "process among COMMAND and the descendants it waited for (for 'sh -c \"a | b\"' that is\n"
    "the largest stage, not the sum). status is the exit status, or 128+N after signal N.\n"
    "peak exits with that status too; 70 when COMMAND could not be run at all.\n"
    "\n"
    "example: peak -r read.txt ducha-read returns.csv > /dev/null\n";

static double seconds(const struct timeval *tv)
{
    return (double)tv->tv_sec + (double)tv->tv_usec / 1e6;
}

int main(int argc, char **argv)
{
    const char *report = NULL;
    int c;
    /* '+' stops at the first operand, so COMMAND's own options are left alone. */
    while ((c = getopt(argc, argv, "+hr:")) != -1) {
        switch (c) {
        case 'r':
            report = optarg;
            break;
        case 'h':
            if (fputs(usage, stdout) == EOF || fclose(stdout) != 0)
                return 74;
            return 0;
        default:
            fputs(usage, stderr);
            return 64;
        }
    }
    if (optind >= argc) {
        fputs(usage, stderr);
        return 64;
    }

    /* Open the report first: a report that cannot be written makes the run worthless. */
    FILE *out = report ? fopen(report, "w") : stderr;
    if (!out) {
        fprintf(stderr, "peak: %s: %s\n", report, strerror(errno));
        return 73;
    }

    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    pid_t pid = fork();
    if (pid < 0) {
        fprintf(stderr, "peak: fork: %s\n", strerror(errno));
        return 70;
    }
    if (pid == 0) {
        if (out != stderr)
            fclose(out);
        execvp(argv[optind], argv + optind);
        fprintf(stderr, "peak: %s: %s\n", argv[optind], strerror(errno));
        _exit(127);
    }
    int ws;
    while (waitpid(pid, &ws, 0) < 0) {
        if (errno != EINTR) {
            fprintf(stderr, "peak: waitpid: %s\n", strerror(errno));
            return 70;
        }
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    struct rusage ru;
    if (getrusage(RUSAGE_CHILDREN, &ru) != 0) {
        fprintf(stderr, "peak: getrusage: %s\n", strerror(errno));
        return 70;
    }
    int status = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
    double wall = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
    int bad = fprintf(out, "wall_s=%.3f user_s=%.3f sys_s=%.3f maxrss_kb=%ld status=%d\n", wall,
                      seconds(&ru.ru_utime), seconds(&ru.ru_stime), ru.ru_maxrss, status) < 0;
    if (out != stderr)
        bad |= fclose(out) != 0;
    if (bad) {
        fprintf(stderr, "peak: %s: %s\n", report ? report : "standard error", strerror(errno));
        return 74;
    }
    return status;
}
