/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * proc.c - find and run external programs (see proc.h). Between fork and
 * exec the child only makes async-signal-safe calls, so this is safe in a
 * threaded embedding too.
 */
#include "out/proc.h"
#include "ccs/mem.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int executable(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && access(path, X_OK) == 0;
}

char *ccs__find_program(const char *name)
{
    if (name == NULL || *name == '\0')
        return NULL;
    if (strchr(name, '/') != NULL) {
        if (!executable(name))
            return NULL;
        char *p = ccs_malloc(strlen(name) + 1);
        if (p != NULL)
            strcpy(p, name);
        return p;
    }
    const char *path = getenv("PATH");
    if (path == NULL)
        path = "/usr/bin:/bin";
    size_t nlen = strlen(name);
    for (const char *s = path;; s++) {
        const char *e = strchr(s, ':');
        size_t dlen = e ? (size_t)(e - s) : strlen(s);
        if (dlen == 0) { /* an empty entry means the current directory */
            s = ".";
            dlen = 1;
        }
        char *cand = ccs_malloc(dlen + nlen + 2);
        if (cand == NULL)
            return NULL;
        memcpy(cand, s, dlen);
        cand[dlen] = '/';
        memcpy(cand + dlen + 1, name, nlen + 1);
        if (executable(cand))
            return cand;
        free(cand);
        if (e == NULL)
            return NULL;
        s = e;
    }
}

int ccs__proc_start(struct ccs__proc *p, const char *path, char *const argv[], const char *cwd,
                    const char *err_path)
{
    /* open everything the child needs before forking */
    int in = open("/dev/null", O_RDONLY | O_CLOEXEC);
    int out = open("/dev/null", O_WRONLY | O_CLOEXEC);
    int err = err_path ? open(err_path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0666)
                       : open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (in < 0 || out < 0 || err < 0) {
        if (in >= 0)
            close(in);
        if (out >= 0)
            close(out);
        if (err >= 0)
            close(err);
        return -1;
    }
    clock_gettime(CLOCK_MONOTONIC, &p->t0);
    p->pid = fork();
    if (p->pid == 0) {
        if ((cwd != NULL && chdir(cwd) != 0) || dup2(in, 0) < 0 || dup2(out, 1) < 0 ||
            dup2(err, 2) < 0)
            _exit(127);
        execv(path, argv);
        _exit(127);
    }
    close(in);
    close(out);
    close(err);
    return p->pid < 0 ? -1 : 0;
}

int ccs__proc_poll(struct ccs__proc *p, double timeout_s, int *status)
{
    int st;
    pid_t r;
    do
        r = waitpid(p->pid, &st, WNOHANG);
    while (r < 0 && errno == EINTR);
    if (r < 0) {
        *status = -1;
        return 0;
    }
    if (r == 0) {
        struct timespec t;
        clock_gettime(CLOCK_MONOTONIC, &t);
        double ran = (double)(t.tv_sec - p->t0.tv_sec) + 1e-9 * (double)(t.tv_nsec - p->t0.tv_nsec);
        if (ran <= timeout_s)
            return 1;
        kill(p->pid, SIGKILL);
        while (waitpid(p->pid, &st, 0) < 0 && errno == EINTR)
            ;
        *status = -2;
        return 0;
    }
    if (WIFEXITED(st))
        *status = WEXITSTATUS(st) == 127 ? -1 : WEXITSTATUS(st);
    else
        *status = -2;
    return 0;
}

int ccs__run_program(const char *path, char *const argv[], const char *cwd,
                     const char *err_path, double timeout_s)
{
    struct ccs__proc p;
    int status;
    if (ccs__proc_start(&p, path, argv, cwd, err_path) != 0)
        return -1;
    struct timespec tick = {0, 5 * 1000 * 1000}; /* poll every 5 ms */
    while (ccs__proc_poll(&p, timeout_s, &status))
        nanosleep(&tick, NULL);
    return status;
}
