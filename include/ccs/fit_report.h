/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fit_report.h - what the reports say about a log fit and its backtest
 * (fit.h): the model's error on real days beside a comparison's verdicts,
 * and the fit's charts in report.html (`ccsim fit --plots`).
 */
#ifndef CCS_FIT_REPORT_H
#define CCS_FIT_REPORT_H

#include "ccs/compare.h"
#include "ccs/error.h"
#include "ccs/fit.h"
#include "ccs/plot.h"
#include "ccs/report.h"

#include <stdio.h>

/*
 * Beside a comparison's verdicts, the model's own error on real days: for
 * abandonment, ASA, service level and mean wait (overall), the backtest's
 * mean absolute error over its dates (simulated day minus observed day),
 * and for each variant whether its difference to the baseline is larger
 * than that error, or smaller ("within the model's error on real days":
 * the model, as backtested, cannot vouch for a difference that small).
 * source names the backtest in the text (e.g. its path). Returns 0, or
 * CCS_EIO when writing fails.
 */
int ccs_report_compare_backtest(FILE *f, const struct ccs_compare *c,
                                const struct ccs_backtest *b, const char *source);

/*
 * The fit's charts, drawn by gnuplot (plots/fit_lines.gp, fit_hist.gp) into
 * the open transaction o as charts/NAME.{svg,png} beside the data each is
 * drawn from (charts/NAME.csv), and a self-contained report.html (the fit's
 * account, the charts inline): arrivals per interval with their 95%
 * interval; per queue the handle-time histogram with the fitted densities
 * and the Kaplan-Meier patience curve with its band and the censored fits;
 * agents staffed per interval by the availability rule. Without gnuplot
 * (or with po->charts false) the report and the data are written, and a
 * note says why there are no charts. Returns 0, or CCS_EIO / CCS_ENOMEM
 * with d (the caller then aborts o).
 */
int ccs_fit_plot(struct ccs_outdir *o, const struct ccs_fitlog *f, const struct ccs_plot_opts *po,
                 struct ccs_diag *d);

/*
 * The files of `ccsim fit --out DIR` (ccs_fitlog_write's), and with plots
 * (NULL: none) the charts and report.html (ccs_fit_plot), into dir all or
 * nothing. Returns 0 or a CCS_E* code with d.
 */
int ccs_fitlog_write_dir(const char *dir, const struct ccs_fitlog *f,
                         const struct ccs_plot_opts *plots, struct ccs_diag *d);

/*
 * A backtest's charts, as ccs_fit_plot draws a fit's (plots/fit_lines.gp),
 * and a report.html with its table: per interval, abandonment, ASA and
 * service level observed against simulated with the replications' 95%
 * range (one chart per date with up to 3 dates, else the dates pooled: the
 * mean of each over the dates), and every date's error on the whole day
 * (simulated - observed) with its range. The second mode (fitted) has
 * whole days only: the errors chart. Returns 0, or CCS_EIO / CCS_ENOMEM
 * with d (the caller then aborts o).
 */
int ccs_backtest_plot(struct ccs_outdir *o, const struct ccs_backtest *b,
                      const struct ccs_plot_opts *po, struct ccs_diag *d);

/*
 * The files of `ccsim backtest --out DIR`: backtest.csv, and with plots
 * (NULL: none) the charts and report.html (ccs_backtest_plot), into dir
 * all or nothing. Returns 0 or a CCS_E* code with d.
 */
int ccs_backtest_write_dir(const char *dir, const struct ccs_backtest *b,
                           const struct ccs_plot_opts *plots, struct ccs_diag *d);

#endif
