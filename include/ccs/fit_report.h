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

#endif
