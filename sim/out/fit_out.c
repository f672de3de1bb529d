/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fit_out.c - what the reports say about a log fit and its backtest
 * (fit_report.h): the model's error on real days beside a comparison's
 * verdicts (`ccsim compare --backtest`).
 */
#include "ccs/fit_report.h"

#include <math.h>
#include <stdbool.h>
#include <stdio.h>

/* The backtest's KPIs as the comparison names them, and how they print. */
static const struct {
    enum ccs_bt_kpi bt;
    enum ccs_kpi kpi;
    const char *label;
    double scale; /* fractions in points */
    const char *unit;
} bt_kpis[] = {
    {CCS_BT_ABANDON, CCS_KPI_abandon_rate, "abandon %", 100, " points"},
    {CCS_BT_ASA, CCS_KPI_asa, "ASA", 1, " s"},
    {CCS_BT_SL, CCS_KPI_service_level, "service level", 100, " points"},
    {CCS_BT_WAIT, CCS_KPI_mean_wait, "mean wait", 1, " s"},
};

int ccs_report_compare_backtest(FILE *f, const struct ccs_compare *c,
                                const struct ccs_backtest *b, const char *source)
{
    size_t nv = ccs_compare_variant_count(c);
    fprintf(f,
            "\nthe model's error on real days (backtest %s, %zu date%s): mean absolute error of "
            "a simulated day against the observed one\n",
            source ? source : "", ccs_backtest_dates(b), ccs_backtest_dates(b) == 1 ? "" : "s");
    fprintf(f, "  %-14s %13s  %-16s %12s  %s\n", "kpi", "model error", "variant", "difference",
            "against the model's error");
    for (size_t i = 0; i < sizeof bt_kpis / sizeof bt_kpis[0]; i++) {
        struct ccs_bt_error e = ccs_backtest_error(b, bt_kpis[i].bt);
        long k = ccs_compare_find(c, CCS_SCOPE_OVERALL, bt_kpis[i].kpi, -1, -1, -1, -1);
        double m = bt_kpis[i].scale;
        char err[48];
        if (isnan(e.mae))
            snprintf(err, sizeof err, "-");
        else
            snprintf(err, sizeof err, "%.2f%s", m * e.mae, bt_kpis[i].unit);
        if (k < 0 || nv < 2) {
            fprintf(f, "  %-14s %13s  %-16s %12s  %s\n", bt_kpis[i].label, err, "-", "-",
                    "(not compared)");
            continue;
        }
        for (size_t v = 1; v < nv; v++) {
            struct ccs_compare_stat st;
            ccs_compare_get(c, v, (size_t)k, &st);
            char diff[48];
            const char *say;
            if (!st.present || isnan(st.diff)) {
                snprintf(diff, sizeof diff, "-");
                say = "(undefined)";
            } else {
                snprintf(diff, sizeof diff, "%+.2f", m * st.diff);
                say = isnan(e.mae)              ? "(no model error)"
                      : fabs(st.diff) > e.mae ? "larger than the model's error"
                                              : "within the model's error: not shown on real days";
            }
            fprintf(f, "  %-14s %13s  %-16s %12s  %s\n", v == 1 ? bt_kpis[i].label : "",
                    v == 1 ? err : "", ccs_compare_variant_name(c, v), diff, say);
        }
    }
    fputs("(a difference within the model's error may still be real: the backtest measures the\n"
          " error of a level on one day, and paired variants share much of it; docs/fit.md)\n",
          f);
    return ferror(f) ? CCS_EIO : 0;
}
