/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_crn.c - common random numbers work (issue 6 proof). Two variants of
 * the shipped default scenario that differ by one sales agent: the paired
 * difference's 95% CI from `ccs_compare_run` (same seed, replications
 * paired by number) must be at least 3x narrower than the CI of the same
 * difference estimated without pairing, i.e. from independent runs (the
 * variant on another seed; Welch's interval, t quantile from GSL), at the
 * same number of replications. The numbers are printed for docs/compare.md.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ccs/ccs.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>

#define REPS 100

/* Welch's half-width for the difference of the means of two independent samples. */
static double welch(const struct ccs_summary *a, long ka, const struct ccs_summary *b, long kb)
{
    double n1 = ccs_summary_n(a, (size_t)ka), n2 = ccs_summary_n(b, (size_t)kb);
    double v1 = pow(ccs_summary_sd(a, (size_t)ka), 2) / n1;
    double v2 = pow(ccs_summary_sd(b, (size_t)kb), 2) / n2;
    double df = (v1 + v2) * (v1 + v2) / (v1 * v1 / (n1 - 1) + v2 * v2 / (n2 - 1));
    return gsl_cdf_tdist_Pinv(0.975, df) * sqrt(v1 + v2);
}

static void test_paired_is_3x_narrower(void **state)
{
    (void)state;
    struct ccs_diag d;
    struct ccs_scenario *base = NULL, *plus = NULL;
    struct ccs_override ov = {"groups.sales_team.agents", "18", "--set", 1, 26};
    assert_int_equal(ccs_scenario_load(CCS_SOURCE_DIR "/scenarios/default.yaml", NULL, 0, &base, &d),
                     0);
    assert_int_equal(ccs_scenario_derive(base, &ov, 1, &plus, &d), 0);

    /* paired: common random numbers */
    struct ccs_variant v[2] = {{"baseline", base, NULL}, {"plus1", plus, NULL}};
    struct ccs_compare_opts o = ccs_compare_opts_default(base);
    o.replications = REPS;
    struct ccs_compare *c = NULL;
    assert_int_equal(ccs_compare_run(v, 2, &o, &c, &d), 0);

    /* unpaired: the variant on independent streams (another seed), same count */
    struct ccs_run_opts ro = ccs_run_opts_default(plus);
    ro.replications = REPS;
    ro.seed = ccs_scenario_seed(base) + 1;
    struct ccs_summary *indep = NULL;
    assert_int_equal(ccs_run(plus, &ro, &indep, &d), 0);
    const struct ccs_summary *sb = ccs_compare_variant_summary(c, 0);

    static const struct {
        enum ccs_kpi kpi;
        int queue;
        bool checked;
    } rows[] = {
        {CCS_KPI_service_level, -1, true}, {CCS_KPI_asa, -1, true},
        {CCS_KPI_mean_wait, -1, true},     {CCS_KPI_abandon_rate, -1, true},
        {CCS_KPI_occupancy, -1, true},     {CCS_KPI_service_level, 0, false},
        {CCS_KPI_service_level, 1, false},
    };
    printf("one sales agent more, default.yaml, %d replications, 95%% half-widths of the "
           "difference:\n",
           REPS);
    printf("  %-26s %12s %12s %12s %7s\n", "KPI", "difference", "paired", "unpaired", "ratio");
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        enum ccs_scope scope = rows[i].queue < 0 ? CCS_SCOPE_OVERALL : CCS_SCOPE_QUEUE;
        long k = ccs_compare_find(c, scope, rows[i].kpi, rows[i].queue, -1, -1, -1);
        long kb = ccs_layout_find(ccs_summary_layout(sb), scope, rows[i].kpi, rows[i].queue, -1,
                                  -1, -1);
        assert_true(k >= 0 && kb >= 0);
        struct ccs_compare_stat s;
        ccs_compare_get(c, 1, (size_t)k, &s);
        double unpaired = welch(sb, kb, indep, kb);
        double ratio = unpaired / s.diff_halfwidth;
        char label[64];
        snprintf(label, sizeof label, "%s%s%s", ccs_kpi_info(rows[i].kpi)->id,
                 rows[i].queue < 0 ? "" : " queue ",
                 rows[i].queue < 0 ? "" : ccs_scenario_queue_id(base, (size_t)rows[i].queue));
        printf("  %-26s %12.6f %12.6f %12.6f %6.1fx%s\n", label, s.diff, s.diff_halfwidth,
               unpaired, ratio, rows[i].checked ? "" : "  (not checked)");
        if (rows[i].checked)
            assert_true(ratio >= 3.0);
    }
    ccs_summary_free(indep);
    ccs_compare_free(c);
    ccs_scenario_free(plus);
    ccs_scenario_free(base);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_paired_is_3x_narrower)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
