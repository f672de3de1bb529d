/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fit_cli.h - the options `ccsim fit` and `ccsim backtest` share (--dates,
 * --rule, --short-abandon, --bootstrap, --pseudonymize) and loading a log's
 * dates with its fit (cmd_fit.c).
 */
#ifndef CCS_APP_FIT_CLI_H
#define CCS_APP_FIT_CLI_H

#include "app/cli.h"
#include "ccs/fit.h"

struct ccs_fit_cli {
    struct ccs_fitlog_opts o;
    const char *dates;
    const char *cmd; /* "ccsim fit": names the command in messages */
    int rule;        /* index into ccs_fit_cli_rules */
    long long boot;
    bool has_boot;
    struct ccs_scenario **scs;
    size_t n;
    struct ccs_fitlog *fit;
};

/* The shared options' table entries (the rule's choices follow enum
   ccs_avail_rule), given fc; end the command's table after them. */
#define CCS_FIT_CLI_OPTIONS(fc)                                                                    \
    {.name = "dates", .type = CCS_CLI_STRING, .dest = &(fc).dates},                              \
        {.name = "rule", .type = CCS_CLI_CHOICE, .dest = &(fc).rule,                              \
         .choices = ccs_fit_cli_rules},                                                           \
        {.name = "short-abandon", .type = CCS_CLI_DURATION, .dest = &(fc).o.short_abandon,        \
         .min = 1, .max = 3600, .want = "a duration from 1s to 1h such as 5s"},                   \
        {.name = "bootstrap", .type = CCS_CLI_INT, .dest = &(fc).boot, .seen = &(fc).has_boot,    \
         .min = 0, .max = 100000},                                                                \
        {.name = "pseudonymize", .type = CCS_CLI_FLAG, .dest = &(fc).o.pseudonymize}

extern const char *const ccs_fit_cli_rules[];

/* Check --plots has its --out, take the parsed options into fc->o, load the
   dates and fit them; prints errors, returns 0, CCS_EXIT_USAGE or
   CCS_EXIT_FAIL (out of memory). */
int ccs_fit_cli_load(struct ccs_fit_cli *fc, const struct ccs_cli *cli, const char *path);

void ccs_fit_cli_release(struct ccs_fit_cli *fc);

#endif
