/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cmd_backtest.c - `ccsim backtest SCENARIO`: each date of the log replayed
 * with its own contacts and inferred availability, against the log's own
 * KPIs (ccs_backtest_* in ccs/fit.h; docs/fit.md).
 */
#include "app/cli.h"
#include "app/fit_cli.h"
#include "cmd.h"

#include "ccs/ccs.h"
#include "ccs/fit.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

#define CMD "backtest"

static const char help[] =
    "usage: ccsim backtest SCENARIO [options]\n"
    "\n"
    "Replay each date of the call log that SCENARIO's 'trace:' block reads with\n"
    "that date's own contacts (times, handle times, and patience where the log\n"
    "gives it), the agents' availability inferred from the agent column, and\n"
    "the fitted patience for callers who were served, and compare abandonment,\n"
    "ASA, service level (answered within T / offered) and mean wait with the\n"
    "log's, per date and per interval: bias, mean absolute error, share of\n"
    "dates inside the replications' 95% range. docs/fit.md explains.\n"
    "\n"
    "Options:\n"
    "  --dates SEL          dates to replay: all (default), a date, a range\n"
    "  --rule RULE          availability rule: waiting (default) or gap\n"
    "  --replications N     per date (default 20)\n"
    "  --seed N             random seed (default: the scenario's)\n"
    "  --out DIR            write backtest.csv (per date and interval) to DIR\n"
    "  --short-abandon D    threshold of the censored patience fit (default 5s)\n"
    "  --bootstrap N        as for ccsim fit (default 0 here)\n"
    "  --pseudonymize       agent ids by stable hashes in every output\n"
    "  --set KEY.PATH=VALUE override a scenario value (repeatable)\n"
    "\n"
    "Exit status: 0 ok, 1 run-time failure, 2 bad usage or bad input.\n";

static int cmd_main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"seed", required_argument, NULL, 's'},
        {"replications", required_argument, NULL, 'r'},
        {"set", required_argument, NULL, 'S'},
        {"out", required_argument, NULL, 'o'},
        CCS_FIT_CLI_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    struct ccs_cli_common cc;
    ccs_cli_common_init(&cc);
    struct ccs_fit_cli fc = {.o = ccs_fitlog_opts_default(), .cmd = "ccsim backtest"};
    fc.o.n_boot = 0;
    const char *out_dir = NULL;
    struct ccs_backtest *bt = NULL;
    int rc = CCS_EXIT_USAGE, c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
        if (c == 'o') {
            out_dir = optarg;
            continue;
        }
        if (c == 'S' || c == 's' || c == 'r') {
            if (ccs_cli_common_option(&cc, CMD, c, optarg) != 0)
                goto done;
            continue;
        }
        int r = ccs_fit_cli_option(&fc, CMD, c, optarg);
        if (r > 0)
            goto done;
        if (r < 0) {
            ccs_cli_bad_option(CMD, argv, c);
            goto done;
        }
    }
    if (optind != argc - 1) {
        ccs_app_usage_error(CMD, optind >= argc ? "missing SCENARIO" : "too many arguments");
        goto done;
    }
    if ((rc = ccs_fit_cli_load(&fc, &cc, argv[optind])) != 0)
        goto done;
    struct ccs_backtest_opts bo = {cc.has_reps ? cc.reps : 20, cc.has_seed ? cc.seed : 0, false};
    struct ccs_diag d;
    ccs_diag_clear(&d);
    if (ccs_backtest_new(fc.fit, &bo, &bt, &d) != 0) {
        fprintf(stderr, "%s\n", d.msg);
        rc = d.code == CCS_ENOMEM || d.code == CCS_EIO ? CCS_EXIT_FAIL : CCS_EXIT_USAGE;
        goto done;
    }
    ccs_backtest_print(bt, stdout);
    if (out_dir != NULL) {
        struct ccs_outdir *o;
        FILE *f;
        if (ccs_outdir_open(out_dir, &o, &d) != 0) {
            fprintf(stderr, "ccsim backtest: error: %s\n", d.msg);
            rc = CCS_EXIT_FAIL;
            goto done;
        }
        if ((f = ccs_outdir_file(o, "backtest.csv", &d)) == NULL ||
            ccs_backtest_write_csv(bt, f) != 0) {
            ccs_outdir_abort(o);
            fprintf(stderr, "ccsim backtest: error: %s\n", d.msg[0] ? d.msg : "write failed");
            rc = CCS_EXIT_FAIL;
            goto done;
        }
        if (ccs_outdir_commit(o, &d) != 0) {
            fprintf(stderr, "ccsim backtest: error: %s\n", d.msg);
            rc = CCS_EXIT_FAIL;
            goto done;
        }
    }
    rc = CCS_EXIT_OK;
done:
    ccs_backtest_free(bt);
    ccs_fit_cli_release(&fc);
    ccs_cli_common_release(&cc);
    return rc;
}

const struct ccs_command ccs_cmd_backtest = {
    CMD, "replay each date of a call log with its inferred availability against its own KPIs",
    help, cmd_main};
