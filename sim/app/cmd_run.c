/*
 * cmd_run.c - `ccsim run`: simulate a scenario's replications and report
 * the KPIs as a table or JSON, optionally writing CSV/JSON files.
 */
#include "app/cli.h"
#include "cmd.h"

#include "ccs/plot.h"
#include "ccs/report.h"
#include "ccs/results.h"
#include "ccs/sim.h"
#include "io/units.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
    "usage: ccsim run SCENARIO [options]\n"
    "\n"
    "Simulate SCENARIO (a YAML file) and print each KPI per queue, segment, group\n"
    "and overall, with its 95% confidence interval over replications.\n"
    "\n"
    "Options:\n"
    "  --seed N               random seed (default: the scenario's 'seed')\n"
    "  --replications R, -r R number of independent replications (default: the\n"
    "                         scenario's 'replications')\n"
    "  --set KEY.PATH=VALUE   override any scenario value before validation, e.g.\n"
    "                         --set groups.team.agents=98 --set queues.sales.sla.within=30s\n"
    "                         (list items are addressed by their id or 0-based index)\n"
    "  --out DIR              also write summary.csv, intervals.csv, replications.csv\n"
    "                         and summary.json into DIR (created if missing)\n"
    "  --json                 print JSON instead of the table\n"
    "  --by interval          print the per-interval table (per queue: offered, answered,\n"
    "                         abandoned, service level, ASA, backlog; per group: agents,\n"
    "                         occupancy) instead of the whole-run table\n"
    "  --verbose, -v          also print the contact balance (every contact entered must\n"
    "                         end once: answered, abandoned, blocked, not reached, waiting)\n"
    "  --sample DURATION      with --out, also write timeseries.csv: waiting contacts\n"
    "                         and busy/idle/staffed agents every DURATION (e.g. 5m)\n"
    "  --plots                with --out, also draw charts (DIR/charts/, PNG and SVG,\n"
    "                         with gnuplot) and write DIR/report.html; samples the time\n"
    "                         series automatically unless --sample is given\n"
    "\n"
    "Exit status: 0 ok, 1 run-time failure (e.g. cannot write DIR), 2 bad usage or\n"
    "bad scenario (message: FILE:LINE:COL: error: ...).\n"
    "\n"
    "Example:\n"
    "  ccsim run scenarios/erlang-a.yaml --set horizon=1d --replications 20\n";

/* All files of --out in one transaction: the CSV/JSON outputs and, with
   --plots, the charts and report.html. */
static int write_outputs(const char *dir, const struct ccs_summary *sum, bool plots,
                         struct ccs_diag *d)
{
    if (!plots)
        return ccs_report_write_dir(dir, sum, d);
    struct ccs_outdir *o;
    int rc = ccs_outdir_open(dir, &o, d);
    if (rc != 0)
        return rc;
    struct ccs_plot_opts po = ccs_plot_opts_default();
    po.note = ccs_app_plot_note;
    if ((rc = ccs_report_write_files(o, sum, d)) != 0 || (rc = ccs_plot_run(o, sum, &po, d)) != 0) {
        ccs_outdir_abort(o);
        return rc;
    }
    return ccs_outdir_commit(o, d);
}

static int cmd_main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"seed", required_argument, NULL, 's'},
        {"replications", required_argument, NULL, 'r'},
        {"set", required_argument, NULL, 'S'},
        {"plots", no_argument, NULL, 'P'},
        {"out", required_argument, NULL, 'o'},
        {"json", no_argument, NULL, 'j'},
        {"sample", required_argument, NULL, 'T'},
        {"verbose", no_argument, NULL, 'v'},
        {"by", required_argument, NULL, 'b'},
        {NULL, 0, NULL, 0},
    };
    struct ccs_cli_common cc;
    ccs_cli_common_init(&cc);
    const char *out_dir = NULL;
    bool json = false, verbose = false, by_interval = false;
    double sample = 0;
    bool plots = false;
    int rc = CCS_EXIT_USAGE, c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":r:v", opts, NULL)) != -1) {
        switch (c) {
        case 's':
        case 'r':
        case 'S':
            if (ccs_cli_common_option(&cc, "run", c, optarg) != 0)
                goto done;
            break;
        case 'P':
            plots = true;
            break;
        case 'o':
            out_dir = optarg;
            break;
        case 'j':
            json = true;
            break;
        case 'v':
            verbose = true;
            break;
        case 'b':
            if (strcmp(optarg, "interval") != 0) {
                ccs_app_usage_error("run", "--by takes 'interval', got '%s'", optarg);
                goto done;
            }
            by_interval = true;
            break;
        case 'T': {
            const char *why;
            if (ccs__parse_duration(optarg, &sample, &why) != 0 || !(sample > 0)) {
                ccs_app_usage_error("run", "--sample needs a positive duration such as 5m, got '%s'",
                                    optarg);
                goto done;
            }
            break;
        }
        default:
            ccs_cli_bad_option("run", argv, c);
            goto done;
        }
    }
    if (optind != argc - 1) {
        ccs_app_usage_error("run", optind >= argc ? "missing SCENARIO" : "too many arguments");
        goto done;
    }

    if (plots && out_dir == NULL) {
        ccs_app_usage_error("run", "--plots needs --out DIR (the charts and report.html go there)");
        goto done;
    }

    struct ccs_scenario *sc = NULL;
    if (ccs_cli_load(&cc, argv[optind], &sc) != 0)
        goto done;
    struct ccs_run_opts ro = ccs_cli_run_opts(&cc, sc);
    ro.sample_every = sample > 0 || !plots ? sample : ccs_plot_sample_step(sc);
    struct ccs_diag d;
    ccs_diag_clear(&d);
    struct ccs_summary *sum = NULL;
    struct ccs_outdir *probe = NULL;
    if (out_dir != NULL && ccs_outdir_open(out_dir, &probe, &d) != 0) {
        fprintf(stderr, "%s\n", d.msg);
        rc = CCS_EXIT_FAIL;
        ccs_scenario_free(sc);
        goto done;
    }
    ccs_outdir_abort(probe);
    if (ccs_run(sc, &ro, &sum, &d) != 0) {
        fprintf(stderr, "%s\n", d.msg);
        rc = CCS_EXIT_FAIL;
    } else {
        rc = CCS_EXIT_OK;
        if (out_dir != NULL && write_outputs(out_dir, sum, plots, &d) != 0) {
            fprintf(stderr, "%s\n", d.msg);
            rc = CCS_EXIT_FAIL;
        }
        if (rc == CCS_EXIT_OK) {
            if (json ? ccs_report_json(stdout, sum)
                     : by_interval ? ccs_report_intervals_table(stdout, sum)
                                   : ccs_report_table(stdout, sum))
                rc = CCS_EXIT_FAIL;
            if (verbose)
                ccs_report_balance(stderr, sum);
            if (fflush(stdout) != 0)
                rc = CCS_EXIT_FAIL;
        }
    }
    ccs_summary_free(sum);
    ccs_scenario_free(sc);
done:
    ccs_cli_common_release(&cc);
    return rc;
}

const struct ccs_command ccs_cmd_run = {"run", "simulate a scenario and report its KPIs", help,
                                        cmd_main};
