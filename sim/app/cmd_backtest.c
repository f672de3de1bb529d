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
#include "ccs/fit_report.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ccs_fitlog_write as a ccs_scenario_writer: the fitted scenario's files. */
static int write_fitted(const void *fit, FILE *(*open)(void *, const char *, struct ccs_diag *),
                        void *ctx, struct ccs_diag *d)
{
    return ccs_fitlog_write(fit, open, ctx, d);
}

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
    "  --rule RULE          availability rule: gap (default) or waiting\n"
    "  --replications N     per date (default 20)\n"
    "  --seed N             random seed (default: the scenario's)\n"
    "  --jobs N, -j N       threads running the replications (default: all cores);\n"
    "                       the results are the same whatever N\n"
    "  --out DIR            write backtest.csv (per date and interval) to DIR\n"
    "  --plots              with --out, also draw charts (DIR/charts/, with gnuplot:\n"
    "                       observed against simulated per interval, the errors per\n"
    "                       date, a heat map of the errors per date and interval)\n"
    "                       and write DIR/report.html\n"
    "  --fitted             second mode: the fitted scenario's generated arrivals\n"
    "                       (one week per replication) against each date: does\n"
    "                       the real day fall inside the simulated days' spread\n"
    "  --short-abandon D    threshold of the censored patience fit (default 5s)\n"
    "  --bootstrap N        as for ccsim fit (default 0 here)\n"
    "  --pseudonymize       agent ids by stable hashes in every output\n"
    "  --set KEY.PATH=VALUE override a scenario value (repeatable)\n"
    "  --max-memory SIZE    the memory the backtest may need (default 4G): it keeps\n"
    "                       every replication's results of every date; a bigger one\n"
    "                       is refused before it starts\n"
    "\n"
    "Exit status: 0 ok, 1 run-time failure, 2 bad usage or bad input.\n";

static int cmd_main(int argc, char **argv)
{
    struct ccs_fit_cli fc = {.o = ccs_fitlog_opts_default(), .cmd = "ccsim backtest"};
    fc.o.n_boot = 0;
    fc.rule = fc.o.rule == CCS_AVAIL_WAITING ? 0 : 1;
    bool fitted = false;
    struct ccs_backtest *bt = NULL;
    const struct ccs_cli_opt opts[] = {
        {.name = "fitted", .type = CCS_CLI_FLAG, .dest = &fitted},
        CCS_FIT_CLI_OPTIONS(fc),
        {.name = NULL},
    };
    const struct ccs_cli_spec spec = {CCS_CLI_SEED | CCS_CLI_REPS | CCS_CLI_SET | CCS_CLI_OUT |
                                          CCS_CLI_JOBS | CCS_CLI_PLOTS | CCS_CLI_MEMORY,
                                      opts, "SCENARIO", 1, 1};
    struct ccs_cli cli;
    struct ccs_scenario *fsc = NULL;
    int rc = ccs_cli_parse(&cli, CMD, &spec, argc, argv);
    if (rc != 0)
        goto done;
    if ((rc = ccs_fit_cli_load(&fc, &cli, cli.operands[0])) != 0)
        goto done;
    struct ccs_backtest_opts bo = {cli.has_reps ? (uint32_t)cli.reps : 20,
                                   cli.has_seed ? cli.seed : 0,
                                   cli.has_jobs ? (unsigned)cli.jobs : 0};
    struct ccs_diag d;
    ccs_diag_clear(&d);
    struct ccs_backtest_size z;
    if ((fitted && ccs_scenario_load_written(write_fitted, fc.fit, &fsc, &d) != 0) ||
        ccs_backtest_memory_estimate(fc.fit, fsc, &bo, &z, &d) != 0) {
        fprintf(stderr, "%s\n", d.msg);
        rc = d.code == CCS_ENOMEM || d.code == CCS_EIO ? CCS_EXIT_FAIL : CCS_EXIT_USAGE;
        goto done;
    }
    char what[240];
    snprintf(what, sizeof what,
             "%zu %s x %u replications of up to %zu results each, kept for their ranges, "
             "%u simulation%s at once",
             z.dates, fitted ? "fitted scenario" : z.dates == 1 ? "date" : "dates",
             bo.replications, z.results, z.sims, z.sims == 1 ? "" : "s");
    if (!ccs_cli_memory_ok(&cli, cli.operands[0], z.bytes, what,
                           fitted ? "use fewer --replications or --jobs"
                                  : "use fewer --replications, --dates or --jobs")) {
        rc = CCS_EXIT_USAGE;
        goto done;
    }
    if ((fitted ? ccs_backtest_spread(fc.fit, fsc, &bo, &bt, &d)
                : ccs_backtest_new(fc.fit, &bo, &bt, &d)) != 0) {
        fprintf(stderr, "%s\n", d.msg);
        rc = d.code == CCS_ENOMEM || d.code == CCS_EIO ? CCS_EXIT_FAIL : CCS_EXIT_USAGE;
        goto done;
    }
    ccs_backtest_print(bt, stdout);
    if (cli.out != NULL) {
        struct ccs_plot_opts po = ccs_plot_opts_default();
        po.note = ccs_app_plot_note;
        po.note_ctx = (void *)CMD;
        if (ccs_backtest_write_dir(cli.out, bt, cli.plots ? &po : NULL, &d) != 0) {
            fprintf(stderr, "%s\n", d.msg);
            rc = CCS_EXIT_FAIL;
            goto done;
        }
    }
    rc = CCS_EXIT_OK;
done:
    ccs_scenario_free(fsc);
    ccs_backtest_free(bt);
    ccs_fit_cli_release(&fc);
    ccs_cli_release(&cli);
    return rc;
}

const struct ccs_command ccs_cmd_backtest = {
    CMD, "replay each date of a call log with its inferred availability against its own KPIs",
    help, cmd_main};
