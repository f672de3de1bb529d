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

#include <getopt.h>
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
    "                       forecast.csv, patience-QUEUE.csv, fit.csv and\n"
    "                       availability.csv into DIR\n"
    "  --dates SEL          dates of the log to fit: all (default), a date,\n"
    "                       a range yyyy-mm-dd..yyyy-mm-dd, or a list\n"
    "  --rule RULE          availability rule: waiting (default) or gap\n"
    "  --short-abandon D    hang-ups within D are reported apart (default 5s)\n"
    "  --bootstrap N        bootstrap samples of the goodness-of-fit p-values\n"
    "                       (default 99; 0: none)\n"
    "  --pseudonymize       agent ids by stable hashes in every output\n"
    "  --set KEY.PATH=VALUE override a scenario value (repeatable)\n"
    "\n"
    "Exit status: 0 ok, 1 an output could not be written, 2 bad usage or bad\n"
    "input (FILE:LINE:COL: error: ...).\n";

int ccs_fit_cli_option(struct ccs_fit_cli *fc, const char *cmd, int c, const char *arg)
{
    const char *why;
    switch (c) {
    case 'D':
        fc->dates = arg;
        return 0;
    case 'u':
        if (strcmp(arg, "waiting") == 0)
            fc->o.rule = CCS_AVAIL_WAITING;
        else if (strcmp(arg, "gap") == 0)
            fc->o.rule = CCS_AVAIL_GAP;
        else
            return ccs_app_usage_error(cmd, "--rule is 'waiting' or 'gap', got '%s'", arg);
        return 0;
    case 'a': {
        double v;
        if (ccs_parse_duration(arg, &v, &why) != 0 || !(v > 0) || v > 3600)
            return ccs_app_usage_error(cmd, "--short-abandon needs a duration from 1s to 1h, "
                                            "such as 5s, got '%s'", arg);
        fc->o.short_abandon = v;
        return 0;
    }
    case 'b': {
        char *end;
        long v = strtol(arg, &end, 10);
        if (*arg == '\0' || *end != '\0' || v < 0 || v > 100000)
            return ccs_app_usage_error(cmd, "--bootstrap takes a whole number from 0 to 100000, "
                                            "got '%s'", arg);
        fc->o.n_boot = (unsigned)v;
        return 0;
    }
    case 'p':
        fc->o.pseudonymize = true;
        return 0;
    default:
        return -1;
    }
}

int ccs_fit_cli_load(struct ccs_fit_cli *fc, const struct ccs_cli_common *cc, const char *path)
{
    /* Every date by default: the file's own selection is its first date. An
       undated log (one day, times only) is read as it is. */
    if (ccs_cli_load_dates(cc, path, fc->dates, "--dates", &fc->scs, &fc->n) != 0)
        return CCS_EXIT_USAGE;
    if (fc->dates == NULL && fc->n == 1 && ccs_scenario_date(fc->scs[0]) != NULL) {
        ccs_scenario_list_free(fc->scs, fc->n);
        fc->scs = NULL;
        fc->n = 0;
        if (ccs_cli_load_dates(cc, path, "all", fc->cmd, &fc->scs, &fc->n) != 0)
            return CCS_EXIT_USAGE;
    }
    struct ccs_diag d;
    ccs_diag_clear(&d);
    if (ccs_fitlog_new(fc->scs, fc->n, &fc->o, &fc->fit, &d) != 0) {
        fprintf(stderr, "%s\n", d.msg);
        return CCS_EXIT_USAGE;
    }
    return 0;
}

void ccs_fit_cli_release(struct ccs_fit_cli *fc)
{
    ccs_fitlog_free(fc->fit);
    ccs_scenario_list_free(fc->scs, fc->n);
}

static FILE *open_out(void *ctx, const char *name, struct ccs_diag *d)
{
    return ccs_outdir_file(ctx, name, d);
}

static int cmd_main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"set", required_argument, NULL, 'S'},
        {"out", required_argument, NULL, 'o'},
        CCS_FIT_CLI_OPTIONS,
        {NULL, 0, NULL, 0},
    };
    struct ccs_cli_common cc;
    ccs_cli_common_init(&cc);
    struct ccs_fit_cli fc = {.o = ccs_fitlog_opts_default(), .cmd = "ccsim fit"};
    const char *out_dir = NULL;
    int rc = CCS_EXIT_USAGE, c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
        if (c == 'o') {
            out_dir = optarg;
            continue;
        }
        if (c == 'S') {
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
    ccs_fitlog_print(fc.fit, stdout);
    if (out_dir != NULL) {
        struct ccs_diag d;
        struct ccs_outdir *o;
        ccs_diag_clear(&d);
        if (ccs_outdir_open(out_dir, &o, &d) != 0 ||
            (ccs_fitlog_write(fc.fit, open_out, o, &d) != 0 && (ccs_outdir_abort(o), 1)) ||
            ccs_outdir_commit(o, &d) != 0) {
            fprintf(stderr, "ccsim fit: error: %s\n", d.msg);
            rc = CCS_EXIT_FAIL;
            goto done;
        }
        printf("wrote %s/scenario.yaml, forecast.csv, fit.csv, availability.csv\n", out_dir);
    }
    rc = CCS_EXIT_OK;
done:
    ccs_fit_cli_release(&fc);
    ccs_cli_common_release(&cc);
    return rc;
}

const struct ccs_command ccs_cmd_fit = {
    CMD, "estimate a scenario from a call log: arrivals, handle times, patience, availability",
    help, cmd_main};
