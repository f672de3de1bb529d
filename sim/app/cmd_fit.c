/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cmd_fit.c - `ccsim fit SCENARIO`: a scenario estimated from the call log
 * its `trace:` block reads (ccs_fitlog_* in ccs/fit.h; docs/fit.md), and
 * the options fit and backtest share.
 */
#include "app/cli.h"
#include "app/fit_cli.h"
#include "cmd.h"

#include "ccs/ccs.h"
#include "ccs/fit.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CMD "fit"

static const char help[] =
    "usage: ccsim fit SCENARIO [--out DIR] [options]\n"
    "\n"
    "Estimate a scenario from the call log that SCENARIO's 'trace:' block reads\n"
    "(every date of it unless --dates says otherwise): arrivals per weekday x\n"
    "interval and busyness_cv with a Poisson test, handle and wrap-up times by\n"
    "maximum likelihood and AIC with goodness of fit, patience from censored\n"
    "waits (Kaplan-Meier and censored MLE), segment shares, redials, transfers,\n"
    "and the agents' availability from the agent column. docs/fit.md states\n"
    "every rule.\n"
    "\n"
    "Options:\n"
    "  --out DIR            write scenario.yaml (each estimate commented),\n"
    "                       forecast.csv, patience-QUEUE.csv, fit.csv,\n"
    "                       availability.csv and timeline.csv into DIR\n"
    "  --dates SEL          dates of the log to fit: all (default), a date,\n"
    "                       a range yyyy-mm-dd..yyyy-mm-dd, or a list\n"
    "  --rule RULE          availability rule: gap (default) or waiting\n"
    "  --short-abandon D    hang-ups within D are reported apart (default 5s)\n"
    "  --bootstrap N        bootstrap samples of the goodness-of-fit p-values\n"
    "                       (default 99; 0: none)\n"
    "  --pseudonymize       agent ids by stable hashes in every output\n"
    "  --plots              with --out, also draw charts (DIR/charts/, with gnuplot)\n"
    "                       and write DIR/report.html: arrivals per interval, handle\n"
    "                       times with the fitted densities, Kaplan-Meier patience\n"
    "                       with the fitted laws, agents available per interval\n"
    "  --set KEY.PATH=VALUE override a scenario value (repeatable)\n"
    "\n"
    "Exit status: 0 ok, 1 an output could not be written, 2 bad usage or bad\n"
    "input (FILE:LINE:COL: error: ...).\n";

const char *const ccs_fit_cli_rules[] = {"waiting", "gap", NULL};

int ccs_fit_cli_load(struct ccs_fit_cli *fc, const struct ccs_cli *cc, const char *path)
{
    if (cc->plots && cc->out == NULL)
        return ccs_cli_usage(cc, "--plots needs --out DIR (the charts and report.html go there)");
    fc->o.rule = fc->rule == 0 ? CCS_AVAIL_WAITING : CCS_AVAIL_GAP;
    if (fc->has_boot)
        fc->o.n_boot = (unsigned)fc->boot;
    /* Every date by default: the file's own selection is its first date. An
       undated log (one day, times only) is read as it is. */
    int rc = ccs_cli_load_dates(cc, path, fc->dates, "--dates", &fc->scs, &fc->n);
    if (rc != 0)
        return rc;
    if (fc->dates == NULL && fc->n == 1 && ccs_scenario_date(fc->scs[0]) != NULL) {
        ccs_scenario_list_free(fc->scs, fc->n);
        fc->scs = NULL;
        fc->n = 0;
        if ((rc = ccs_cli_load_dates(cc, path, "all", fc->cmd, &fc->scs, &fc->n)) != 0)
            return rc;
    }
    struct ccs_diag d;
    ccs_diag_clear(&d);
    if (ccs_fitlog_new(fc->scs, fc->n, &fc->o, &fc->fit, &d) != 0) {
        fprintf(stderr, "%s\n", d.msg);
        return d.code == CCS_ENOMEM ? CCS_EXIT_FAIL : CCS_EXIT_USAGE;
    }
    return 0;
}

void ccs_fit_cli_release(struct ccs_fit_cli *fc)
{
    ccs_fitlog_free(fc->fit);
    ccs_scenario_list_free(fc->scs, fc->n);
}

static int cmd_main(int argc, char **argv)
{
    struct ccs_fit_cli fc = {.o = ccs_fitlog_opts_default(), .cmd = "ccsim fit"};
    fc.rule = fc.o.rule == CCS_AVAIL_WAITING ? 0 : 1;
    const struct ccs_cli_opt opts[] = {
        CCS_FIT_CLI_OPTIONS(fc),
        {.name = NULL},
    };
    const struct ccs_cli_spec spec = {CCS_CLI_SET | CCS_CLI_OUT | CCS_CLI_PLOTS, opts, "SCENARIO",
                                      1, 1};
    struct ccs_cli cli;
    int rc = ccs_cli_parse(&cli, CMD, &spec, argc, argv);
    if (rc != 0)
        goto done;
    if ((rc = ccs_fit_cli_load(&fc, &cli, cli.operands[0])) != 0)
        goto done;
    ccs_fitlog_print(fc.fit, stdout);
    if (cli.out != NULL) {
        struct ccs_diag d;
        ccs_diag_clear(&d);
        struct ccs_plot_opts po = ccs_plot_opts_default();
        po.note = ccs_app_plot_note;
        po.note_ctx = (void *)CMD;
        if (ccs_fitlog_write_dir(cli.out, fc.fit, cli.plots ? &po : NULL, &d) != 0) {
            fprintf(stderr, "%s\n", d.msg);
            rc = CCS_EXIT_FAIL;
            goto done;
        }
        printf("wrote %s/scenario.yaml, forecast.csv, fit.csv, availability.csv, timeline.csv%s\n",
               cli.out, cli.plots ? ", report.html, charts/" : "");
    }
    rc = CCS_EXIT_OK;
done:
    ccs_fit_cli_release(&fc);
    ccs_cli_release(&cli);
    return rc;
}

const struct ccs_command ccs_cmd_fit = {
    CMD, "estimate a scenario from a call log: arrivals, handle times, patience, availability",
    help, cmd_main};
