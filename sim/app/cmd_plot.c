/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cmd_plot.c - `ccsim plot DIR`: charts and report.html for results that
 * are already written (by `ccsim run --out DIR` or `ccsim compare --out DIR`).
 * Also the notice printer that run (and compare) use with --plots.
 */
#include "app/cli.h"
#include "cmd.h"

#include "ccs/ccs.h"

#include <math.h>
#include <stdio.h>

static const char help[] =
    "usage: ccsim plot DIR [options]\n"
    "\n"
    "Draw the charts (DIR/charts/*.png and *.svg, with gnuplot) and write\n"
    "DIR/report.html for results already in DIR: a comparison when DIR holds\n"
    "compare.csv, else a run (summary.csv, summary.json; the waiting and busy/idle\n"
    "charts need timeseries.csv, from 'ccsim run --sample' or '--plots').\n"
    "The same as --plots on 'ccsim run', later. Charts and report replace earlier\n"
    "ones together; without gnuplot the report is written without charts.\n"
    "\n"
    "Options:\n"
    "  --interval DURATION    comparison: the interval length, for the time axis of\n"
    "                         the per-interval charts (default: from DIR, else the\n"
    "                         axis counts intervals)\n"
    "  --no-charts            only report.html; do not run gnuplot\n"
    "\n"
    "Exit status: 0 ok (also when gnuplot is missing: a note says so), 1 cannot\n"
    "write DIR, 2 bad usage or DIR holds no results.\n"
    "\n"
    "Example:\n"
    "  ccsim run scenarios/default.yaml --out results && ccsim plot results\n";

void ccs_app_plot_note(void *ctx, const char *msg)
{
    ccs_app_say(ctx, "%s", msg);
}

static int cmd_main(int argc, char **argv)
{
    struct ccs_plot_opts po = ccs_plot_opts_default();
    po.note = ccs_app_plot_note;
    po.note_ctx = (void *)"plot";
    bool no_charts = false;
    const struct ccs_cli_opt opts[] = {
        {.name = "interval", .type = CCS_CLI_DURATION, .dest = &po.interval_s, .max = INFINITY,
         .flags = CCS_CLI_ABOVE_MIN, .want = "a positive duration such as 30m"},
        {.name = "no-charts", .type = CCS_CLI_FLAG, .dest = &no_charts},
        {.name = NULL},
    };
    const struct ccs_cli_spec spec = {0, opts, "DIR", 1, 1};
    struct ccs_cli cli;
    int rc = ccs_cli_parse(&cli, "plot", &spec, argc, argv);
    const char *dir = rc == 0 ? cli.operands[0] : NULL;
    ccs_cli_release(&cli);
    if (rc != 0)
        return rc;
    if (no_charts)
        po.charts = false;
    struct ccs_diag d;
    ccs_diag_clear(&d);
    rc = ccs_plot_dir(dir, &po, &d);
    if (rc == 0)
        return CCS_EXIT_OK;
    fprintf(stderr, "%s\n", d.msg);
    return rc == CCS_ENOTFOUND ? CCS_EXIT_USAGE : CCS_EXIT_FAIL;
}

const struct ccs_command ccs_cmd_plot = {"plot", "draw charts and report.html for results in a directory",
                                         help, cmd_main};
