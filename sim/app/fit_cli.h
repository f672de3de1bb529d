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
    struct ccs_scenario **scs;
    size_t n;
    struct ccs_fitlog *fit;
};

#define CCS_FIT_CLI_OPTIONS                                                                        \
    {"dates", required_argument, NULL, 'D'}, {"rule", required_argument, NULL, 'u'},              \
        {"short-abandon", required_argument, NULL, 'a'},                                          \
        {"bootstrap", required_argument, NULL, 'b'}, {"pseudonymize", no_argument, NULL, 'p'}

/* Handle one shared option: 0 taken, > 0 a usage error was printed (exit 2),
   < 0 not one of them. */
int ccs_fit_cli_option(struct ccs_fit_cli *fc, const char *cmd, int c, const char *arg);

/* Load the dates and fit them; prints errors, returns 0 or CCS_EXIT_USAGE. */
int ccs_fit_cli_load(struct ccs_fit_cli *fc, const struct ccs_cli_common *cc, const char *path);

void ccs_fit_cli_release(struct ccs_fit_cli *fc);

#endif
