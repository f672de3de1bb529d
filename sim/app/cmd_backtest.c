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

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The fitted scenario's files, written to a private temporary folder. */
struct tmpfit {
    char dir[64];
    char *names[64];
    FILE *files[64];
    size_t n;
};

static FILE *open_tmp(void *ctx, const char *name, struct ccs_diag *d)
{
    struct tmpfit *t = ctx;
    char path[512];
    snprintf(path, sizeof path, "%s/%s", t->dir, name);
    FILE *f = t->n < 64 ? fopen(path, "w") : NULL;
    if (f == NULL) {
        ccs_diag_at(d, CCS_EIO, path, 0, 0, "cannot write");
        return NULL;
    }
    t->files[t->n] = f;
    t->names[t->n++] = ccs_strdup(path);
    return f;
}

/* Close the files (ccs_fitlog_write leaves them open); false if one failed. */
static bool tmp_close(struct tmpfit *t)
{
    bool ok = true;
    for (size_t i = 0; i < t->n; i++) {
        if (t->files[i] != NULL && fclose(t->files[i]) != 0)
            ok = false;
        t->files[i] = NULL;
    }
    return ok;
}

static void tmp_remove(struct tmpfit *t)
{
    tmp_close(t);
    for (size_t i = 0; i < t->n; i++) {
        if (t->names[i])
            unlink(t->names[i]);
        free(t->names[i]);
    }
    if (t->dir[0])
        rmdir(t->dir);
}

/* Write the fit into a temporary folder, load its scenario.yaml and compare. */
static int spread(struct ccs_fit_cli *fc, const struct ccs_backtest_opts *bo,
                  struct ccs_backtest **bt, struct ccs_diag *d)
{
    struct tmpfit t = {.dir = "/tmp/ccsim-fit-XXXXXX"};
    if (mkdtemp(t.dir) == NULL) {
        t.dir[0] = '\0';
        return ccs_diag_at(d, CCS_EIO, NULL, 0, 0, "cannot make a temporary folder");
    }
    int rc = ccs_fitlog_write(fc->fit, open_tmp, &t, d);
    struct ccs_scenario *sc = NULL;
    if (!tmp_close(&t) && rc == 0)
        rc = ccs_diag_at(d, CCS_EIO, t.dir, 0, 0, "cannot write the fitted scenario");
    if (rc == 0) {
        char path[512];
        snprintf(path, sizeof path, "%s/scenario.yaml", t.dir);
        rc = ccs_scenario_load(path, NULL, 0, &sc, d);
    }
    if (rc == 0)
        rc = ccs_backtest_spread(fc->fit, sc, bo, bt, d);
    ccs_scenario_free(sc);
    tmp_remove(&t);
    return rc;
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
    "  --rule RULE          availability rule: waiting (default) or gap\n"
    "  --replications N     per date (default 20)\n"
    "  --seed N             random seed (default: the scenario's)\n"
    "  --jobs N, -j N       threads running the replications (default: all cores);\n"
    "                       the results are the same whatever N\n"
    "  --out DIR            write backtest.csv (per date and interval) to DIR\n"
    "  --fitted             second mode: the fitted scenario's generated arrivals\n"
    "                       (one week per replication) against each date: does\n"
    "                       the real day fall inside the simulated days' spread\n"
    "  --short-abandon D    threshold of the censored patience fit (default 5s)\n"
    "  --bootstrap N        as for ccsim fit (default 0 here)\n"
    "  --pseudonymize       agent ids by stable hashes in every output\n"
    "  --set KEY.PATH=VALUE override a scenario value (repeatable)\n"
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
                                          CCS_CLI_JOBS,
                                      opts, "SCENARIO", 1, 1};
    struct ccs_cli cli;
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
    if ((fitted ? spread(&fc, &bo, &bt, &d) : ccs_backtest_new(fc.fit, &bo, &bt, &d)) != 0) {
        fprintf(stderr, "%s\n", d.msg);
        rc = d.code == CCS_ENOMEM || d.code == CCS_EIO ? CCS_EXIT_FAIL : CCS_EXIT_USAGE;
        goto done;
    }
    ccs_backtest_print(bt, stdout);
    if (cli.out != NULL) {
        struct ccs_outdir *o;
        FILE *f;
        if (ccs_outdir_open(cli.out, &o, &d) != 0) {
            fprintf(stderr, "%s\n", d.msg);
            rc = CCS_EXIT_FAIL;
            goto done;
        }
        if ((f = ccs_outdir_file(o, "backtest.csv", &d)) == NULL ||
            ccs_backtest_write_csv(bt, f) != 0) {
            ccs_outdir_abort(o);
            rc = ccs_app_fail(CMD, "%s", d.msg[0] ? d.msg : "cannot write backtest.csv");
            goto done;
        }
        if (ccs_outdir_commit(o, &d) != 0) {
            fprintf(stderr, "%s\n", d.msg);
            rc = CCS_EXIT_FAIL;
            goto done;
        }
    }
    rc = CCS_EXIT_OK;
done:
    ccs_backtest_free(bt);
    ccs_fit_cli_release(&fc);
    ccs_cli_release(&cli);
    return rc;
}

const struct ccs_command ccs_cmd_backtest = {
    CMD, "replay each date of a call log with its inferred availability against its own KPIs",
    help, cmd_main};
