/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * proc.h - running external programs (gnuplot) safely: found on PATH by
 * the library, started with fork/exec (no shell, so no quoting of paths),
 * in a given directory, with a time limit; several may run at once.
 */
#ifndef CCS_OUT_PROC_H
#define CCS_OUT_PROC_H

#include <sys/types.h>
#include <time.h>

/*
 * The executable file for name: name itself when it contains a '/', else
 * the first PATH entry (default "/usr/bin:/bin") holding an executable
 * regular file of that name. Returns a malloc'd path, or NULL when there is
 * none (or out of memory).
 */
char *ccs__find_program(const char *name);

/* A started child process. */
struct ccs__proc {
    pid_t pid;
    struct timespec t0; /* when it started */
};

/*
 * Start the program at path with argv (argv[0] included, NULL-terminated)
 * in directory cwd, stdin from /dev/null, stdout discarded, stderr appended
 * to err_path (discarded when NULL). Returns 0, or -1 when it could not be
 * started.
 */
int ccs__proc_start(struct ccs__proc *p, const char *path, char *const argv[], const char *cwd,
                    const char *err_path);

/*
 * Has it finished? Returns 1 while it runs (killing it once it has run
 * longer than timeout_s, and then reporting it), else 0 with *status: its
 * exit status (0-255), -1 when the program could not be executed, -2 when
 * it died of a signal or was killed for taking too long.
 */
int ccs__proc_poll(struct ccs__proc *p, double timeout_s, int *status);

/* Start and wait: the status as ccs__proc_poll gives it, or -1. */
int ccs__run_program(const char *path, char *const argv[], const char *cwd,
                     const char *err_path, double timeout_s);

#endif
