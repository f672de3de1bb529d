/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fuzz_common.h - shared by the libFuzzer harnesses (tests/fuzz/README.md):
 * a private scratch directory per process, fuzzed bytes written to a file
 * in it (the loaders read files by name), and the base scenario that the
 * sweep, trace and argument harnesses build on.
 */
#ifndef CCS_FUZZ_COMMON_H
#define CCS_FUZZ_COMMON_H

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* A small scenario the other harnesses start from (one queue, one group). */
static const char fuzz_base_scenario[] =
    "name: fuzz base\n"
    "horizon: 1h\n"
    "interval: 30m\n"
    "replications: 2\n"
    "queues:\n"
    "  - {id: sales, arrivals: {rate: 2/min}, handle_time: {dist: exponential, mean: 3m},\n"
    "     patience: {dist: exponential, mean: 2m}, sla: {target: 80%, within: 20s}}\n"
    "  - {id: support, arrivals: {rate: 1/min}, handle_time: {dist: exponential, mean: 5m}}\n"
    "groups:\n"
    "  - {id: team, agents: 8, skills: [sales, support]}\n";

static void fuzz_cleanup(void);

/* The scratch directory, made on first use: /tmp/ccs-fuzz-PID (removed at exit). */
static const char *fuzz_dir(void)
{
    static char dir[64];
    if (dir[0] == '\0') {
        snprintf(dir, sizeof dir, "/tmp/ccs-fuzz-%ld", (long)getpid());
        if (mkdir(dir, 0700) != 0 && errno != EEXIST)
            abort();
        atexit(fuzz_cleanup);
    }
    return dir;
}

static void fuzz_cleanup(void)
{
    char cmd[96];
    snprintf(cmd, sizeof cmd, "rm -rf %s", fuzz_dir());
    if (system(cmd) != 0)
        fputs("fuzz: could not remove the scratch directory\n", stderr);
}

/* Write n bytes to the file name in the scratch directory; its path in buf. */
static const char *fuzz_write(const char *name, const void *data, size_t n, char *buf, size_t cap)
{
    snprintf(buf, cap, "%s/%s", fuzz_dir(), name);
    FILE *f = fopen(buf, "wb");
    if (f == NULL || fwrite(data, 1, n, f) != n || fclose(f) != 0)
        abort();
    return buf;
}

#endif
