/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * main.c - the ccsim command: dispatch to subcommands, --help, --version.
 * Everything a command does is a library call; this file only routes.
 */
#include "cmd.h"

#include "ccs/ccs.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef CCS_HAVE_SERVE
/* Built without libmicrohttpd: `ccsim serve` says why it is missing. */
static int serve_missing(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    fprintf(stderr, "ccsim serve: error: this ccsim was built without libmicrohttpd; "
                    "install libmicrohttpd-dev and rebuild (scripts/bootstrap.sh)\n");
    return CCS_EXIT_FAIL;
}

static const struct ccs_command ccs_cmd_serve = {
    "serve", "a live playground in the browser (not built: needs libmicrohttpd)",
    "ccsim serve: not built (needs libmicrohttpd-dev; see docs/serve.md)\n", serve_missing};
#endif

const struct ccs_command *const ccs_commands[] = {
    &ccs_cmd_run,
    &ccs_cmd_compare,
    &ccs_cmd_watch,
    &ccs_cmd_serve,
    &ccs_cmd_erlang,
    &ccs_cmd_plot,
    &ccs_cmd_staff,
    &ccs_cmd_schedule,
    &ccs_cmd_policies,
    &ccs_cmd_sweep,
    &ccs_cmd_fit,
    &ccs_cmd_backtest,
    NULL,
};

static void vsay(const char *cmd, const char *kind, const char *fmt, va_list ap)
{
    fprintf(stderr, "ccsim%s%s: %s", cmd ? " " : "", cmd ? cmd : "", kind);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
}

int ccs_app_usage_error(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsay(cmd, "error: ", fmt, ap);
    va_end(ap);
    if (cmd)
        fprintf(stderr, "Try 'ccsim help %s'.\n", cmd);
    else
        fprintf(stderr, "Try 'ccsim --help'.\n");
    return CCS_EXIT_USAGE;
}

int ccs_app_fail(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsay(cmd, "error: ", fmt, ap);
    va_end(ap);
    return CCS_EXIT_FAIL;
}

void ccs_app_say(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsay(cmd, "", fmt, ap);
    va_end(ap);
}

static const struct ccs_command *find_command(const char *name)
{
    for (size_t i = 0; ccs_commands[i] != NULL; i++)
        if (strcmp(ccs_commands[i]->name, name) == 0)
            return ccs_commands[i];
    return NULL;
}

static void print_usage(FILE *f)
{
    fprintf(f, "usage: ccsim COMMAND [ARGS...]\n\n"
               "A discrete-event contact-center simulator.\n\nCommands:\n");
    for (size_t i = 0; ccs_commands[i] != NULL; i++)
        fprintf(f, "  %-10s %s\n", ccs_commands[i]->name, ccs_commands[i]->summary);
    fprintf(f, "\nGeneral options:\n"
               "  --help, -h     show this help\n"
               "  --version      show the version\n\n"
               "'ccsim help COMMAND' shows the options of one command.\n");
}

/* The out-of-memory test's hooks (tests/cli/oom.sh): CCS_FAIL_ALLOC=N
   fails the command's N-th allocation; CCS_COUNT_ALLOC=1 prints at exit
   "ccsim: N allocations" to standard error. */
static void print_count(void)
{
    fprintf(stderr, "ccsim: %llu allocations\n", (unsigned long long)ccs_mem_allocations());
}

static void arm_injection(void)
{
    const char *fail = getenv("CCS_FAIL_ALLOC");
    uint64_t n;
    if (fail != NULL && ccs_parse_u64(fail, &n, NULL) == 0 && n > 0) {
        ccs_mem_fail_at(n);
    } else if (getenv("CCS_COUNT_ALLOC") != NULL) {
        ccs_mem_count(1);
        atexit(print_count);
    }
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        print_usage(stderr);
        return CCS_EXIT_USAGE;
    }
    const char *a = argv[1];
    if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
        print_usage(stdout);
        return CCS_EXIT_OK;
    }
    if (strcmp(a, "--version") == 0) {
        printf("ccsim %s\n", CCS_VERSION);
        return CCS_EXIT_OK;
    }
    if (strcmp(a, "help") == 0) {
        if (argc == 2) {
            print_usage(stdout);
            return CCS_EXIT_OK;
        }
        const struct ccs_command *c = find_command(argv[2]);
        if (c == NULL)
            return ccs_app_usage_error(NULL, "unknown command '%s'", argv[2]);
        fputs(c->help, stdout);
        return CCS_EXIT_OK;
    }
    const struct ccs_command *c = find_command(a);
    if (c == NULL)
        return ccs_app_usage_error(NULL, "unknown command '%s'", a);
    /* Per-command --help before anything else. */
    for (int i = 2; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            break;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            fputs(c->help, stdout);
            return CCS_EXIT_OK;
        }
    }
    arm_injection();
    return c->main(argc - 1, argv + 1);
}
