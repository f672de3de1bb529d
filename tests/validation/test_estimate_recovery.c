/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_estimate_recovery.c - the 95% intervals of the estimators cover the
 * truth as often as they claim. For 20 fixed seeds each: the Weibull fit
 * of patience censored by an independent wait (plain and left-truncated),
 * the lognormal fit of complete handle times, the Kaplan-Meier band, median
 * and restricted mean, and the busyness_cv interval; the dispersion test
 * keeps its size on Poisson counts.
 *
 * Criterion: at least 17 of 20 intervals cover. A correct 95% interval
 * fails it with probability 1.6% (binomial), one whose true coverage is
 * 80% passes with probability 41% and one at 70% with 11%, so a clearly
 * miscalibrated interval (a standard error off by a factor 1.5 gives ~80%)
 * is likely caught; the seeds are fixed, so the outcome is deterministic.
 * docs/estimate.md gives coverage measured over 2000 seeds.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ccs/estimate.h"
#include "core/rng.h"

#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_gamma.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>

enum { SEEDS = 20, NEED = 17 };

/* Patience Weibull(shape 1.3, scale 200 s); waits until answer exponential
   with mean 60 s, so most callers are served (censored). */
#define SHAPE 1.3
#define SCALE 200.0
#define WAIT_MEAN 60.0

static bool covers(const struct ccs_est *e, double truth)
{
    return e->lo <= truth && truth <= e->hi;
}

static void check(const char *what, int hits)
{
    printf("  %-44s %2d / %d\n", what, hits, SEEDS);
    if (hits < NEED)
        fail_msg("%s: the 95%% interval covered the truth in %d of %d seeds (need %d)", what,
                 hits, SEEDS, NEED);
}

static void patience(uint64_t seed, double *t, bool *ev, int n)
{
    gsl_rng *r = ccs__rng_new(seed, 0, 501);
    assert_non_null(r);
    for (int i = 0; i < n; i++) {
        double p = gsl_ran_weibull(r, SCALE, SHAPE), w = gsl_ran_exponential(r, WAIT_MEAN);
        t[i] = p <= w ? p : w;
        ev[i] = p <= w;
    }
    gsl_rng_free(r);
}

static double weibull_sf(double t)
{
    return exp(-pow(t / SCALE, SHAPE));
}

static void test_weibull_censored(void **state)
{
    (void)state;
    enum { N = 2000 };
    static double t[N];
    static bool ev[N];
    double mean = SCALE * exp(gsl_sf_lngamma(1 + 1 / SHAPE));
    int shape = 0, scale = 0, mn = 0, tshape = 0, tscale = 0;
    size_t events = 0;
    for (uint64_t s = 0; s < SEEDS; s++) {
        patience(1000 + s, t, ev, N);
        struct ccs_fit f;
        assert_int_equal(ccs_fit_censored(CCS_FIT_WEIBULL, t, ev, N, 0.0, &f, NULL), 0);
        shape += covers(&f.par[0], SHAPE);
        scale += covers(&f.par[1], SCALE);
        mn += covers(&f.mean, mean);
        events += f.n_events;
        /* conditioned on patience > 5 s: the same law above it */
        assert_int_equal(ccs_fit_censored(CCS_FIT_WEIBULL, t, ev, N, 5.0, &f, NULL), 0);
        tshape += covers(&f.par[0], SHAPE);
        tscale += covers(&f.par[1], SCALE);
    }
    printf("  (%.0f%% of callers abandoned)\n", 100.0 * (double)events / (SEEDS * N));
    check("censored weibull shape", shape);
    check("censored weibull scale", scale);
    check("censored weibull mean", mn);
    check("censored weibull shape, truncated at 5 s", tshape);
    check("censored weibull scale, truncated at 5 s", tscale);
}

static void test_lognormal_complete(void **state)
{
    (void)state;
    enum { N = 500 };
    static double x[N];
    const double mu = 5.0, sigma = 0.8;
    int cm = 0, cs = 0, cmean = 0, ccv = 0;
    for (uint64_t s = 0; s < SEEDS; s++) {
        gsl_rng *r = ccs__rng_new(2000 + s, 0, 502);
        for (int i = 0; i < N; i++)
            x[i] = gsl_ran_lognormal(r, mu, sigma);
        gsl_rng_free(r);
        struct ccs_fit f;
        assert_int_equal(ccs_fit_complete(CCS_FIT_LOGNORMAL, x, N, &f, NULL), 0);
        cm += covers(&f.par[0], mu);
        cs += covers(&f.par[1], sigma);
        cmean += covers(&f.mean, exp(mu + sigma * sigma / 2));
        ccv += covers(&f.cv, sqrt(expm1(sigma * sigma)));
    }
    check("lognormal mu", cm);
    check("lognormal sigma", cs);
    check("lognormal mean", cmean);
    check("lognormal cv", ccv);
}

static void test_kaplan_meier(void **state)
{
    (void)state;
    enum { N = 2000 };
    static double t[N];
    static bool ev[N];
    /* restricted mean to 200 s of the true law, by Simpson's rule */
    const double tau = 200.0;
    double rmean = 0;
    for (int i = 0; i <= 2000; i++) {
        double w = (i == 0 || i == 2000) ? 1 : (i % 2 ? 4 : 2);
        rmean += w * weibull_sf(tau * i / 2000.0);
    }
    rmean *= tau / 2000.0 / 3.0;
    double median = SCALE * pow(M_LN2, 1 / SHAPE);
    int band = 0, med = 0, rm = 0;
    for (uint64_t s = 0; s < SEEDS; s++) {
        patience(3000 + s, t, ev, N);
        struct ccs_km *km;
        assert_int_equal(ccs_km_new(t, ev, N, &km, NULL), 0);
        size_t j = 0; /* the row in force at 100 s */
        while (j + 1 < km->n_rows && km->row[j + 1].t <= 100.0)
            j++;
        band += km->row[j].lo <= weibull_sf(100.0) && weibull_sf(100.0) <= km->row[j].hi;
        struct ccs_est e;
        assert_int_equal(ccs_km_quantile(km, 0.5, &e, NULL), 0);
        med += covers(&e, median);
        assert_int_equal(ccs_km_rmean(km, tau, &e, NULL), 0);
        rm += covers(&e, rmean);
        ccs_km_free(km);
    }
    check("kaplan-meier band at 100 s", band);
    check("kaplan-meier median", med);
    check("kaplan-meier restricted mean to 200 s", rm);
}

/* days x cells Poisson counts with a gamma day factor of cv c (none at 0). */
static void daily_counts(uint64_t seed, double c, int days, int cells, double per_day,
                         double *x)
{
    gsl_rng *r = ccs__rng_new(seed, 0, 503);
    for (int d = 0; d < days; d++) {
        double g = c > 0 ? gsl_ran_gamma(r, 1 / (c * c), c * c) : 1.0;
        for (int k = 0; k < cells; k++) {
            double profile = (1.0 + sin(M_PI * k / cells)) / (cells * 1.6366);
            x[d * cells + k] = gsl_ran_poisson(r, g * per_day * profile);
        }
    }
    gsl_rng_free(r);
}

static void test_busyness(void **state)
{
    (void)state;
    enum { D = 40, C = 24 };
    static double x[D * C];
    int cover = 0, quiet = 0;
    for (uint64_t s = 0; s < SEEDS; s++) {
        struct ccs_dispersion o;
        daily_counts(4000 + s, 0.15, D, C, 1500, x);
        assert_int_equal(ccs_dispersion(x, D, C, NULL, &o, NULL), 0);
        cover += covers(&o.cv, 0.15);
        daily_counts(5000 + s, 0.0, D, C, 1500, x);
        assert_int_equal(ccs_dispersion(x, D, C, NULL, &o, NULL), 0);
        quiet += o.p > 0.05;
    }
    check("busyness_cv 0.15, 40 days x 24 cells", cover);
    check("poisson counts not rejected at 5%", quiet);
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_weibull_censored),
        cmocka_unit_test(test_lognormal_complete),
        cmocka_unit_test(test_kaplan_meier),
        cmocka_unit_test(test_busyness),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
