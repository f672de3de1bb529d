/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * plot.h - pictures of results: charts drawn by the external gnuplot (PNG
 * and SVG, from the scripts in plots/) and one self-contained report.html
 * (charts inline, KPI tables, scenario summary, KPI definitions), for a run
 * or a comparison. docs/plots.md lists the charts.
 *
 * Charts are rendered in the output transaction's work directory and
 * committed with the other files (DIR/charts/, DIR/report.html). Without
 * gnuplot the report is still written, without charts, and a note says so.
 */
#ifndef CCS_PLOT_H
#define CCS_PLOT_H

#include "ccs/error.h"
#include "ccs/report.h"
#include "ccs/results.h"
#include "ccs/run.h"

#include <stdbool.h>
#include <stdio.h>

struct ccs_scenario;

struct ccs_plot_opts {
    const char *gnuplot; /* the program: a path, or a name looked up in PATH */
    bool charts;         /* false: report.html only, gnuplot is not run */
    double timeout_s;    /* longest one chart may take */
    /* Compare: the interval length in seconds, for time axes (0: read it from
       the scenario or the results, else count intervals). */
    double interval_s;
    /* One line per notice or warning (no newline), e.g. "gnuplot not found;
       charts skipped (...)". NULL: silent. */
    void (*note)(void *ctx, const char *msg);
    void *note_ctx;
};

/* gnuplot from PATH, charts on, 120 s per chart, no notes. */
struct ccs_plot_opts ccs_plot_opts_default(void);

/*
 * A good time-series resolution for the charts of sc: about 240 points over
 * the horizon, rounded to a readable step (1 s, 2 s, 5 s, ... 1 min, 2 min,
 * 5 min, ... 1 h, 2 h, ... 1 d ...). For ccs_run_opts.sample_every.
 */
double ccs_plot_sample_step(const struct ccs_scenario *sc);

/*
 * Add the charts and report.html of run s to the open transaction o (which
 * should also hold the run's CSV/JSON files, ccs_report_write_files). The
 * time-series charts need s sampled (ccs_run_opts.sample_every > 0).
 * Returns 0 (also when gnuplot is missing or a chart failed: po->note says
 * so), or a negative code with d when report.html cannot be written; the
 * caller then aborts o.
 */
int ccs_plot_run(struct ccs_outdir *o, const struct ccs_summary *s,
                 const struct ccs_plot_opts *po, struct ccs_diag *d);

/*
 * The same for a comparison: produce(f, arg) writes compare.csv's contents
 * (the same producer that wrote compare.csv into o). base, the baseline's
 * summary (ccs_compare_variant_summary(c, 0)), gives the report its scenario,
 * time axis, and the seed and replications the comparison ran with; NULL
 * allowed. Returns as ccs_plot_run.
 */
int ccs_plot_compare(struct ccs_outdir *o, const struct ccs_summary *base,
                     int (*produce)(FILE *f, const void *arg), const void *arg,
                     const struct ccs_plot_opts *po, struct ccs_diag *d);

struct ccs_schedule;

/*
 * The same for a roster (`ccsim schedule --plots`): the coverage chart
 * (plots/coverage.gp: required, scheduled and on the phones per group and
 * interval; the simulated service level against target when s was
 * simulated) in DIR/charts/, and report.html with it, the cost and paid
 * hours against the head-count plan per group, and the summary. Returns as
 * ccs_plot_run.
 */
int ccs_schedule_plot(struct ccs_outdir *o, const struct ccs_schedule *s,
                      const struct ccs_plot_opts *po, struct ccs_diag *d);

/*
 * ccs_schedule_write_dir's files and, with plots not NULL, ccs_schedule_plot's,
 * all or nothing. Returns 0 or a negative code with d.
 */
int ccs_schedule_write_dir_plots(const char *dir, const struct ccs_schedule *s,
                                 const struct ccs_plot_opts *plots, struct ccs_diag *d);

/*
 * Charts and report.html for results already in dir: a comparison when dir
 * holds compare.csv, else a run (summary.csv and summary.json needed).
 * Written atomically into dir. Returns 0, CCS_ENOTFOUND (not a results
 * directory), CCS_EIO or CCS_ENOMEM, with d.
 */
int ccs_plot_dir(const char *dir, const struct ccs_plot_opts *po, struct ccs_diag *d);

#endif
