/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cmd_plot.c - `ccsim plot DIR`: charts and report.html for results that
 * are already written (by `ccsim run --out DIR` or `ccsim compare --out DIR`).
 * Also the notice printer that run (and compare) use with --plots.
 */
#include "app/cli.h"
#include "cmd.h"

#include "ccs/ccs.h"

#include <getopt.h>
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
    (void)ctx;
    fprintf(stderr, "ccsim: %s\n", msg);
}

static int cmd_main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"interval", required_argument, NULL, 'i'},
        {"no-charts", no_argument, NULL, 'n'},
        {NULL, 0, NULL, 0},
    };
    struct ccs_plot_opts po = ccs_plot_opts_default();
    po.note = ccs_app_plot_note;
    int c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":", opts, NULL)) != -1) {
        switch (c) {
        case 'i': {
            const char *why;
            if (ccs_parse_duration(optarg, &po.interval_s, &why) != 0 || !(po.interval_s > 0))
                return ccs_app_usage_error("plot",
                                           "--interval needs a positive duration such as 30m, "
                                           "got '%s'",
                                           optarg);
            break;
        }
        case 'n':
            po.charts = false;
            break;
        default:
            ccs_cli_bad_option("plot", argv, c);
            return CCS_EXIT_USAGE;
        }
    }
    if (optind != argc - 1)
        return ccs_app_usage_error("plot", optind >= argc ? "missing DIR" : "too many arguments");
    struct ccs_diag d;
    ccs_diag_clear(&d);
    int rc = ccs_plot_dir(argv[optind], &po, &d);
    if (rc == 0)
        return CCS_EXIT_OK;
    fprintf(stderr, "%s\n", d.msg);
    return rc == CCS_ENOTFOUND ? CCS_EXIT_USAGE : CCS_EXIT_FAIL;
}

const struct ccs_command ccs_cmd_plot = {"plot", "draw charts and report.html for results in a directory",
                                         help, cmd_main};
