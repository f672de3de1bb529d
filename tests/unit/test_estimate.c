/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_estimate.c - the estimators of include/ccs/estimate.h: each fit
 * recovers known parameters within its own reported standard errors and
 * satisfies its likelihood equations; the censored fits reduce to the
 * complete ones and to events / exposure; Kaplan-Meier, Greenwood, the
 * band, quantiles and restricted mean equal a hand-worked example (and R's
 * survival 3.5); KS/AD equal hand and scipy values; the dispersion test and
 * busyness_cv, Wilson's interval, and every documented error.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ccs/error.h"
#include "ccs/estimate.h"
#include "core/rng.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sf_psi.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { N = 5000 };

/* |got - want| <= tol * max(1, |want|) */
static void near(double got, double want, double tol, const char *what)
{
    if (!(fabs(got - want) <= tol * fmax(1.0, fabs(want))))
        fail_msg("%s: got %.17g, want %.17g (tol %g)", what, got, want, tol);
}

/*
 * The estimate is within 4 of its own standard errors of the truth: a
 * correct estimator misses with probability 6e-5 (and the seeds are fixed,
 * so the test is deterministic), while a wrong likelihood, a parameter
 * swap or a standard error off by a factor of 2 fails.
 */
static void within_se(const struct ccs_est *e, double truth, const char *what)
{
    if (!(e->se > 0) || !(fabs(e->value - truth) <= 4.0 * e->se))
        fail_msg("%s: %g +- %g does not cover %g", what, e->value, e->se, truth);
    assert_true(e->lo < e->value && e->value < e->hi);
}

static gsl_rng *rng(uint64_t seed)
{
    gsl_rng *r = ccs__rng_new(seed, 0, 77);
    assert_non_null(r);
    return r;
}

/* A fit has failed cleanly: NaN estimates, NaN AIC. */
static void assert_failed(const struct ccs_fit *f)
{
    assert_true(isnan(f->aic) && isnan(f->loglik) && isnan(f->mean.value));
    assert_true(isnan(f->par[0].value) && isnan(f->cv.hi));
}

/* ---- Complete data ------------------------------------------------------ */

static void test_names(void **state)
{
    (void)state;
    assert_string_equal(ccs_fit_family_name(CCS_FIT_EXPONENTIAL), "exponential");
    assert_string_equal(ccs_fit_family_name(CCS_FIT_WEIBULL), "weibull");
    assert_string_equal(ccs_fit_family_name(CCS_FIT_FAMILY_COUNT), "?");
    assert_string_equal(ccs_fit_param_name(CCS_FIT_LOGNORMAL, 1), "sigma");
    assert_string_equal(ccs_fit_param_name(CCS_FIT_GAMMA, 0), "shape");
    assert_null(ccs_fit_param_name(CCS_FIT_EXPONENTIAL, 1));
    assert_null(ccs_fit_param_name(CCS_FIT_GAMMA, 2));
}

static void test_exponential(void **state)
{
    (void)state;
    static double x[N];
    gsl_rng *r = rng(1);
    double sum = 0;
    for (int i = 0; i < N; i++) {
        x[i] = gsl_ran_exponential(r, 120.0);
        sum += x[i];
    }
    gsl_rng_free(r);
    struct ccs_fit f;
    assert_int_equal(ccs_fit_complete(CCS_FIT_EXPONENTIAL, x, N, &f, NULL), 0);
    double m = sum / N;
    near(f.mean.value, m, 1e-14, "mean = sample mean");
    near(f.mean.se, m / sqrt(N), 1e-12, "se = mean / sqrt(n)");
    near(f.mean.lo, m * exp(-1.959963984540054 / sqrt(N)), 1e-12, "log-scale lower limit");
    within_se(&f.mean, 120.0, "exponential mean");
    assert_true(f.cv.value == 1 && f.cv.se == 0 && f.cv.lo == 1 && f.cv.hi == 1);
    near(f.loglik, -N * log(m) - N, 1e-13, "loglik");
    near(f.aic, -2 * f.loglik + 2, 1e-15, "aic with k = 1");
    assert_int_equal(f.n_par, 1);
    assert_int_equal(f.n, N);
    assert_true(isnan(f.par[1].value));
}

static void test_gamma(void **state)
{
    (void)state;
    static double x[N];
    gsl_rng *r = rng(2);
    double sum = 0, sl = 0;
    for (int i = 0; i < N; i++) {
        x[i] = gsl_ran_gamma(r, 2.5, 40.0);
        sum += x[i];
        sl += log(x[i]);
    }
    gsl_rng_free(r);
    struct ccs_fit f;
    assert_int_equal(ccs_fit_complete(CCS_FIT_GAMMA, x, N, &f, NULL), 0);
    double k = f.par[0].value, scale = f.par[1].value;
    within_se(&f.par[0], 2.5, "gamma shape");
    within_se(&f.par[1], 40.0, "gamma scale");
    within_se(&f.mean, 100.0, "gamma mean");
    within_se(&f.cv, 1.0 / sqrt(2.5), "gamma cv");
    /* likelihood equations: mean = sample mean, log k - psi(k) = s */
    near(k * scale, sum / N, 1e-12, "gamma mean = sample mean");
    near(log(k) - gsl_sf_psi(k), log(sum / N) - sl / N, 1e-12, "gamma shape equation");
    near(f.cv.value, 1 / sqrt(k), 1e-14, "gamma cv");
    /* standard errors from the information n [[psi'(k), 1/s], [1/s, k/s^2]] */
    double tg = gsl_sf_psi_1(k), det = N * N * (tg * k / (scale * scale) - 1 / (scale * scale));
    near(f.par[0].se, sqrt(N * k / (scale * scale) / det), 1e-9, "gamma se(shape)");
    near(f.par[1].se, sqrt(N * tg / det), 1e-9, "gamma se(scale)");
    double ll = 0;
    for (int i = 0; i < N; i++)
        ll += log(gsl_ran_gamma_pdf(x[i], k, scale));
    near(f.loglik, ll, 1e-10, "gamma loglik");
}

static void test_lognormal_by_hand(void **state)
{
    (void)state;
    /* logs 1, 2, 3: mu = 2, sigma^2 = 2/3 (divisor n) */
    double x[3] = {M_E, M_E * M_E, M_E * M_E * M_E};
    struct ccs_fit f;
    assert_int_equal(ccs_fit_complete(CCS_FIT_LOGNORMAL, x, 3, &f, NULL), 0);
    double s = sqrt(2.0 / 3.0);
    near(f.par[0].value, 2.0, 1e-14, "mu");
    near(f.par[1].value, s, 1e-14, "sigma");
    near(f.par[0].se, s / sqrt(3.0), 1e-14, "se(mu) = sigma / sqrt(n)");
    near(f.par[1].se, s / sqrt(6.0), 1e-14, "se(sigma) = sigma / sqrt(2n)");
    near(f.par[0].lo, 2.0 - 1.959963984540054 * s / sqrt(3.0), 1e-14, "mu interval is linear");
    near(f.mean.value, exp(2.0 + 1.0 / 3.0), 1e-14, "mean = exp(mu + sigma^2/2)");
    near(f.cv.value, sqrt(expm1(2.0 / 3.0)), 1e-14, "cv");
    /* loglik = -sum log x - n log sigma - n log sqrt(2 pi) - n / 2 */
    near(f.loglik, -6.0 - 3 * log(s) - 1.5 * log(2 * M_PI) - 1.5, 1e-13, "loglik");
    /* delta method: se(log mean)^2 = s^2/n + s^4 / (2n) */
    near(f.mean.se, f.mean.value * sqrt(2.0 / 9.0 + (4.0 / 9.0) / 6.0), 1e-13, "se(mean)");
}

static void test_lognormal_recovery(void **state)
{
    (void)state;
    static double x[N];
    gsl_rng *r = rng(3);
    for (int i = 0; i < N; i++)
        x[i] = gsl_ran_lognormal(r, 5.0, 0.8);
    gsl_rng_free(r);
    struct ccs_fit f;
    assert_int_equal(ccs_fit_complete(CCS_FIT_LOGNORMAL, x, N, &f, NULL), 0);
    within_se(&f.par[0], 5.0, "lognormal mu");
    within_se(&f.par[1], 0.8, "lognormal sigma");
    within_se(&f.mean, exp(5.0 + 0.32), "lognormal mean");
    within_se(&f.cv, sqrt(expm1(0.64)), "lognormal cv");
}

static void test_weibull(void **state)
{
    (void)state;
    static double x[N];
    gsl_rng *r = rng(4);
    for (int i = 0; i < N; i++)
        x[i] = gsl_ran_weibull(r, 300.0, 1.7); /* scale, shape */
    gsl_rng_free(r);
    struct ccs_fit f;
    assert_int_equal(ccs_fit_complete(CCS_FIT_WEIBULL, x, N, &f, NULL), 0);
    double k = f.par[0].value, scale = f.par[1].value;
    within_se(&f.par[0], 1.7, "weibull shape");
    within_se(&f.par[1], 300.0, "weibull scale");
    within_se(&f.mean, 300.0 * exp(gsl_sf_lngamma(1 + 1 / 1.7)), "weibull mean");
    /* likelihood equations: sum x^k log x / sum x^k - 1/k = mean log x,
       scale^k = mean x^k */
    double sk = 0, skl = 0, sl = 0;
    for (int i = 0; i < N; i++) {
        double xk = pow(x[i] / 300.0, k);
        sk += xk;
        skl += xk * log(x[i]);
        sl += log(x[i]);
    }
    near(skl / sk - 1 / k, sl / N, 1e-9, "weibull shape equation");
    near(300.0 * pow(sk / N, 1 / k), scale, 1e-9, "weibull scale equation");
    double ll = 0;
    for (int i = 0; i < N; i++)
        ll += log(gsl_ran_weibull_pdf(x[i], scale, k));
    near(f.loglik, ll, 1e-10, "weibull loglik");
    near(f.mean.value, scale * exp(gsl_sf_lngamma(1 + 1 / k)), 1e-13, "weibull mean");
    near(f.cv.value,
         sqrt(exp(gsl_sf_lngamma(1 + 2 / k) - 2 * gsl_sf_lngamma(1 + 1 / k)) - 1), 1e-12,
         "weibull cv");
}

/* x drawn from family `truth`: AIC picks it over the others. */
static void test_best_family(void **state)
{
    (void)state;
    static double x[N];
    struct ccs_fit fits[CCS_FIT_FAMILY_COUNT];
    enum ccs_fit_family best;
    for (int truth = CCS_FIT_GAMMA; truth <= CCS_FIT_WEIBULL; truth++) {
        gsl_rng *r = rng(10 + (uint64_t)truth);
        for (int i = 0; i < N; i++)
            x[i] = truth == CCS_FIT_GAMMA       ? gsl_ran_gamma(r, 4.0, 50.0)
                   : truth == CCS_FIT_LOGNORMAL ? gsl_ran_lognormal(r, 5.0, 0.7)
                                                : gsl_ran_weibull(r, 200.0, 0.8);
        gsl_rng_free(r);
        assert_int_equal(ccs_fit_best(x, N, fits, &best, NULL), 0);
        assert_int_equal(best, truth);
        for (int f = 0; f < CCS_FIT_FAMILY_COUNT; f++)
            assert_true(isfinite(fits[f].aic) && fits[f].family == (enum ccs_fit_family)f);
    }
    /*
     * Exponential data: gamma and Weibull contain it (shape 1), so their
     * likelihood is never lower; AIC prefers the exponential unless the
     * likelihood ratio exceeds 2, which happens by chance 16% of the time.
     * Check it is not significantly beaten (ratio below 7.9, p = 0.005).
     */
    gsl_rng *r = rng(13);
    for (int i = 0; i < N; i++)
        x[i] = gsl_ran_exponential(r, 60.0);
    gsl_rng_free(r);
    assert_int_equal(ccs_fit_best(x, N, fits, &best, NULL), 0);
    assert_true(fits[CCS_FIT_EXPONENTIAL].aic - fits[best].aic < 7.9 - 2);
    assert_true(fits[CCS_FIT_GAMMA].loglik >= fits[CCS_FIT_EXPONENTIAL].loglik - 1e-9);
    assert_true(fits[CCS_FIT_WEIBULL].loglik >= fits[CCS_FIT_EXPONENTIAL].loglik - 1e-9);
}

static void test_complete_errors(void **state)
{
    (void)state;
    struct ccs_fit f;
    const char *why = NULL;
    double one[1] = {5}, same[4] = {3, 3, 3, 3}, neg[3] = {1, -2, 3}, nan3[3] = {1, NAN, 3};
    double zero[3] = {1, 0, 3}, inf3[3] = {1, INFINITY, 3};
    for (int fam = 0; fam < CCS_FIT_FAMILY_COUNT; fam++) {
        assert_int_equal(ccs_fit_complete(fam, one, 1, &f, &why), CCS_ERANGE);
        assert_string_equal(why, "fewer than 2 observations");
        assert_failed(&f);
        assert_int_equal(ccs_fit_complete(fam, neg, 3, &f, &why), CCS_ERANGE);
        assert_string_equal(why, "values must be positive and finite");
        assert_int_equal(ccs_fit_complete(fam, nan3, 3, &f, &why), CCS_ERANGE);
        assert_int_equal(ccs_fit_complete(fam, zero, 3, &f, &why), CCS_ERANGE);
        assert_int_equal(ccs_fit_complete(fam, inf3, 3, &f, &why), CCS_ERANGE);
        assert_string_equal(why, "values must be positive and finite");
        assert_int_equal(ccs_fit_complete(fam, NULL, 3, &f, &why), CCS_EINVAL);
        int rc = ccs_fit_complete(fam, same, 4, &f, &why);
        if (fam == CCS_FIT_EXPONENTIAL) {
            assert_int_equal(rc, 0); /* well defined: mean 3 */
            near(f.mean.value, 3, 1e-15, "mean of equal values");
        } else {
            assert_int_equal(rc, CCS_ERANGE);
            assert_string_equal(why, "all values are equal");
            assert_failed(&f);
        }
    }
    /* sigma = 460: the mean exp(mu + sigma^2/2) overflows */
    double wide[2] = {1e-200, 1e200};
    assert_int_equal(ccs_fit_complete(CCS_FIT_LOGNORMAL, wide, 2, &f, &why), CCS_ERANGE);
    assert_string_equal(why, "the fitted law is degenerate: its mean or cv is not finite");
    assert_failed(&f);
    assert_int_equal(ccs_fit_complete(CCS_FIT_FAMILY_COUNT, same, 4, &f, &why), CCS_EINVAL);
    assert_int_equal(ccs_fit_complete(CCS_FIT_GAMMA, same, 4, NULL, &why), CCS_EINVAL);
    struct ccs_fit fits[CCS_FIT_FAMILY_COUNT];
    enum ccs_fit_family best;
    assert_int_equal(ccs_fit_best(one, 1, fits, &best, &why), CCS_ERANGE);
    assert_string_equal(why, "fewer than 2 observations");
    /* all equal: only the exponential fits */
    assert_int_equal(ccs_fit_best(same, 4, fits, &best, &why), 0);
    assert_int_equal(best, CCS_FIT_EXPONENTIAL);
    assert_true(isnan(fits[CCS_FIT_GAMMA].aic));
}

static void test_cdf(void **state)
{
    (void)state;
    double x[4] = {1, 2, 4, 9};
    for (int fam = 0; fam < CCS_FIT_FAMILY_COUNT; fam++) {
        struct ccs_fit f;
        assert_int_equal(ccs_fit_complete(fam, x, 4, &f, NULL), 0);
        for (double v = 0.5; v < 20; v *= 1.7) {
            double p = ccs_fit_cdf(&f, v), q = ccs_fit_sf(&f, v);
            assert_true(p > 0 && p < 1);
            near(p + q, 1.0, 1e-14, "cdf + sf");
        }
        assert_true(ccs_fit_cdf(&f, 0) == 0 && ccs_fit_sf(&f, -1) == 1);
    }
    struct ccs_fit bad;
    assert_int_not_equal(ccs_fit_complete(CCS_FIT_GAMMA, x, 1, &bad, NULL), 0);
    assert_true(isnan(ccs_fit_cdf(&bad, 1.0)) && isnan(ccs_fit_sf(NULL, 1.0)));
    struct ccs_fit e;
    assert_int_equal(ccs_fit_complete(CCS_FIT_EXPONENTIAL, x, 4, &e, NULL), 0);
    near(ccs_fit_sf(&e, 4.0), exp(-1.0), 1e-15, "exponential sf at its mean");
}

/* Mean and cv of a family from its working parameters (log of positive
   parameters, the lognormal's mu as is), as documented. */
static void law_moments(int fam, const double th[2], double *mean, double *cv)
{
    double a = exp(th[0]), b = exp(th[1]);
    switch (fam) {
    case CCS_FIT_GAMMA:
        *mean = a * b;
        *cv = 1 / sqrt(a);
        break;
    case CCS_FIT_LOGNORMAL:
        *mean = exp(th[0] + b * b / 2);
        *cv = sqrt(exp(b * b) - 1);
        break;
    default: /* Weibull */
        *mean = b * tgamma(1 + 1 / a);
        *cv = sqrt(tgamma(1 + 2 / a) / (tgamma(1 + 1 / a) * tgamma(1 + 1 / a)) - 1);
        break;
    }
}

/* The delta method by numerical differentiation against the reported
   standard errors of mean and cv, through the reported covariance. */
static void test_delta_method(void **state)
{
    (void)state;
    double x[300];
    gsl_rng *r = rng(5);
    for (int i = 0; i < 300; i++)
        x[i] = gsl_ran_gamma(r, 1.8, 30.0);
    gsl_rng_free(r);
    for (int fam = CCS_FIT_GAMMA; fam <= CCS_FIT_WEIBULL; fam++) {
        struct ccs_fit f;
        assert_int_equal(ccs_fit_complete(fam, x, 300, &f, NULL), 0);
        double th[2] = {fam == CCS_FIT_LOGNORMAL ? f.par[0].value : log(f.par[0].value),
                        log(f.par[1].value)};
        double m0, c0, gm[2], gc[2];
        law_moments(fam, th, &m0, &c0);
        near(m0, f.mean.value, 1e-12, "mean from the parameters");
        near(c0, f.cv.value, 1e-12, "cv from the parameters");
        for (int j = 0; j < 2; j++) {
            double tp[2] = {th[0], th[1]}, tm[2] = {th[0], th[1]}, mp, cp, mm, cm;
            tp[j] += 1e-6;
            tm[j] -= 1e-6;
            law_moments(fam, tp, &mp, &cp);
            law_moments(fam, tm, &mm, &cm);
            gm[j] = (mp - mm) / 2e-6;
            gc[j] = (cp - cm) / 2e-6;
        }
        double vm = 0, vc = 0;
        for (int i = 0; i < 2; i++)
            for (int j = 0; j < 2; j++) {
                vm += gm[i] * f.cov[i][j] * gm[j];
                vc += gc[i] * f.cov[i][j] * gc[j];
            }
        near(f.mean.se, sqrt(vm), 1e-6, "se(mean) by the delta method");
        near(f.cv.se, sqrt(vc), 1e-6, "se(cv) by the delta method");
        near(f.par[1].se, f.par[1].value * sqrt(f.cov[1][1]), 1e-14, "se(par 1)");
        near(f.cv.hi, f.cv.value * exp(1.959963984540054 * sqrt(vc) / f.cv.value), 1e-6,
             "cv interval on the log scale");
    }
}

/* ---- Censored data ------------------------------------------------------ */

/* Patience ~ Weibull or lognormal, censored by an independent exponential
   wait: t = min(patience, wait), event = patience <= wait. */
static void censored_sample(uint64_t seed, int family, double *t, bool *ev, int n)
{
    gsl_rng *r = rng(seed);
    for (int i = 0; i < n; i++) {
        double p = family == CCS_FIT_WEIBULL ? gsl_ran_weibull(r, 200.0, 1.3)
                                             : gsl_ran_lognormal(r, 5.0, 0.9);
        double w = gsl_ran_exponential(r, 150.0);
        t[i] = p <= w ? p : w;
        ev[i] = p <= w;
    }
    gsl_rng_free(r);
}

static void test_censored_exponential_exact(void **state)
{
    (void)state;
    static double t[N];
    static bool ev[N];
    censored_sample(20, CCS_FIT_WEIBULL, t, ev, N);
    double total = 0, above = 0;
    size_t d = 0, d_above = 0, n_above = 0, below_ev = 0;
    for (int i = 0; i < N; i++) {
        total += t[i];
        d += ev[i];
        if (t[i] > 30.0) {
            above += t[i] - 30.0;
            d_above += ev[i];
            n_above++;
        } else {
            below_ev += ev[i];
        }
    }
    struct ccs_fit f;
    assert_int_equal(ccs_fit_censored(CCS_FIT_EXPONENTIAL, t, ev, N, 0.0, &f, NULL), 0);
    /* the MLE of the rate is events / total time at risk, exactly */
    assert_true(f.par[0].value == total / (double)d);
    assert_true(f.mean.value == total / (double)d);
    near(f.mean.se, f.mean.value / sqrt((double)d), 1e-12, "se = mean / sqrt(events)");
    near(f.loglik, -(double)d * log(total / (double)d) - (double)d, 1e-13, "loglik");
    assert_int_equal(f.n, N);
    assert_int_equal(f.n_events, d);
    /* truncated at 30 s: time at risk above 30 s per event above it */
    assert_int_equal(ccs_fit_censored(CCS_FIT_EXPONENTIAL, t, ev, N, 30.0, &f, NULL), 0);
    assert_true(f.mean.value == above / (double)d_above);
    assert_int_equal(f.n, n_above);
    assert_int_equal(f.n_events, d_above);
    assert_int_equal(f.n_below, N - n_above);
    assert_int_equal(f.n_below_events, below_ev);
    assert_true(f.t0 == 30.0);
    /* P(T <= 30) of the true Weibull(200, 1.3): 0.0833; KM within 4 se */
    double p30 = -expm1(-pow(30.0 / 200.0, 1.3));
    assert_true(fabs(f.p_below - p30) < 4 * sqrt(p30 * (1 - p30) / N) * 1.2);
}

/* With no censoring the numerical engine must reproduce the closed forms. */
static void test_censored_reduces_to_complete(void **state)
{
    (void)state;
    static double x[N];
    static bool all[N];
    gsl_rng *r = rng(21);
    for (int i = 0; i < N; i++) {
        x[i] = gsl_ran_lognormal(r, 4.0, 1.2);
        all[i] = true;
    }
    gsl_rng_free(r);
    for (int fam = 0; fam < CCS_FIT_FAMILY_COUNT; fam++) {
        if (fam == CCS_FIT_GAMMA)
            continue;
        struct ccs_fit c, u;
        assert_int_equal(ccs_fit_complete(fam, x, N, &c, NULL), 0);
        assert_int_equal(ccs_fit_censored(fam, x, all, N, 0.0, &u, NULL), 0);
        for (int i = 0; i < c.n_par; i++) {
            near(u.par[i].value, c.par[i].value, 1e-8, "parameter");
            near(u.par[i].se, c.par[i].se, 1e-5, "standard error");
        }
        near(u.mean.value, c.mean.value, 1e-8, "mean");
        near(u.cv.se, c.cv.se, 1e-5, "se(cv)");
        near(u.loglik, c.loglik, 1e-11, "loglik");
    }
}

static void test_censored_recovery(void **state)
{
    (void)state;
    static double t[N];
    static bool ev[N];
    struct ccs_fit f;
    censored_sample(22, CCS_FIT_WEIBULL, t, ev, N);
    assert_int_equal(ccs_fit_censored(CCS_FIT_WEIBULL, t, ev, N, 0.0, &f, NULL), 0);
    assert_true(f.n_events > N / 4 && f.n_events < 3 * N / 4); /* really censored */
    within_se(&f.par[0], 1.3, "censored weibull shape");
    within_se(&f.par[1], 200.0, "censored weibull scale");
    within_se(&f.mean, 200.0 * exp(gsl_sf_lngamma(1 + 1 / 1.3)), "censored weibull mean");
    /* the same above 20 s: truncation changes nothing to the parameters */
    struct ccs_fit g;
    assert_int_equal(ccs_fit_censored(CCS_FIT_WEIBULL, t, ev, N, 20.0, &g, NULL), 0);
    within_se(&g.par[0], 1.3, "truncated weibull shape");
    within_se(&g.par[1], 200.0, "truncated weibull scale");
    assert_true(g.par[0].se > f.par[0].se); /* less data, less precision */
    assert_true(g.n + g.n_below == N);

    censored_sample(23, CCS_FIT_LOGNORMAL, t, ev, N);
    assert_int_equal(ccs_fit_censored(CCS_FIT_LOGNORMAL, t, ev, N, 0.0, &f, NULL), 0);
    within_se(&f.par[0], 5.0, "censored lognormal mu");
    within_se(&f.par[1], 0.9, "censored lognormal sigma");
    within_se(&f.cv, sqrt(expm1(0.81)), "censored lognormal cv");
    assert_int_equal(ccs_fit_censored(CCS_FIT_LOGNORMAL, t, ev, N, 20.0, &g, NULL), 0);
    within_se(&g.par[0], 5.0, "truncated lognormal mu");
    within_se(&g.par[1], 0.9, "truncated lognormal sigma");

    /* AIC on censored data picks the law that made it */
    struct ccs_fit fits[CCS_FIT_FAMILY_COUNT];
    enum ccs_fit_family best;
    assert_int_equal(ccs_fit_censored_best(t, ev, N, 0.0, fits, &best, NULL), 0);
    assert_int_equal(best, CCS_FIT_LOGNORMAL);
    assert_true(isnan(fits[CCS_FIT_GAMMA].aic));
    censored_sample(24, CCS_FIT_WEIBULL, t, ev, N);
    assert_int_equal(ccs_fit_censored_best(t, ev, N, 0.0, fits, &best, NULL), 0);
    assert_int_equal(best, CCS_FIT_WEIBULL);
}

/* The truncated likelihood by hand at the fitted parameters. */
static void test_truncated_loglik(void **state)
{
    (void)state;
    double t[8] = {3, 12, 25, 40, 41, 70, 90, 150};
    bool ev[8] = {true, true, false, true, true, false, true, false};
    struct ccs_fit f;
    assert_int_equal(ccs_fit_censored(CCS_FIT_WEIBULL, t, ev, 8, 10.0, &f, NULL), 0);
    double k = f.par[0].value, s = f.par[1].value, ll = 0, s0 = exp(-pow(10.0 / s, k));
    for (int i = 1; i < 8; i++)
        ll += (ev[i] ? log(gsl_ran_weibull_pdf(t[i], s, k)) : -pow(t[i] / s, k)) - log(s0);
    near(f.loglik, ll, 1e-12, "truncated weibull loglik");
    assert_int_equal(f.n_below, 1);
    assert_int_equal(f.n_below_events, 1);
    near(f.p_below, 0.125, 1e-15, "KM P(T <= 10): one event among 8");
    assert_int_equal(ccs_fit_censored(CCS_FIT_LOGNORMAL, t, ev, 8, 10.0, &f, NULL), 0);
    double mu = f.par[0].value, sg = f.par[1].value;
    double q0 = gsl_cdf_lognormal_Q(10.0, mu, sg);
    ll = 0;
    for (int i = 1; i < 8; i++)
        ll += (ev[i] ? log(gsl_ran_lognormal_pdf(t[i], mu, sg))
                     : log(gsl_cdf_lognormal_Q(t[i], mu, sg))) - log(q0);
    near(f.loglik, ll, 1e-12, "truncated lognormal loglik");
}

static void test_censored_errors(void **state)
{
    (void)state;
    struct ccs_fit f;
    const char *why = NULL;
    double t[4] = {5, 8, 9, 12};
    bool none[4] = {false, false, false, false}, some[4] = {true, false, true, false};
    bool one_time[4] = {true, false, false, true};
    double tie[4] = {5, 8, 9, 5};
    assert_int_equal(ccs_fit_censored(CCS_FIT_WEIBULL, t, none, 4, 0, &f, &why), CCS_ERANGE);
    assert_string_equal(why, "no events above t0: every observation is censored");
    assert_failed(&f);
    assert_int_equal(f.n, 4); /* counts survive the failure */
    assert_int_equal(ccs_fit_censored(CCS_FIT_EXPONENTIAL, t, none, 4, 0, &f, &why), CCS_ERANGE);
    assert_int_equal(ccs_fit_censored(CCS_FIT_WEIBULL, t, some, 4, 10, &f, &why), CCS_ERANGE);
    assert_string_equal(why, "fewer than 2 observations above t0");
    assert_int_equal(f.n_below, 3);
    assert_int_equal(ccs_fit_censored(CCS_FIT_LOGNORMAL, tie, one_time, 4, 0, &f, &why),
                     CCS_ERANGE);
    assert_string_equal(why, "fewer than 2 distinct event times above t0");
    assert_int_equal(ccs_fit_censored(CCS_FIT_EXPONENTIAL, tie, one_time, 4, 0, &f, &why), 0);
    assert_int_equal(ccs_fit_censored(CCS_FIT_GAMMA, t, some, 4, 0, &f, &why),
                     CCS_EUNSUPPORTED);
    assert_string_equal(why, "gamma is not fitted to censored data");
    double zero[4] = {0, 8, 9, 12}, negt[4] = {5, -8, 9, 12};
    assert_int_equal(ccs_fit_censored(CCS_FIT_WEIBULL, zero, some, 4, 0, &f, &why), CCS_ERANGE);
    assert_string_equal(why, "a time of 0: fit above a threshold t0 > 0");
    /* ... which a threshold leaves out */
    assert_int_equal(ccs_fit_censored(CCS_FIT_EXPONENTIAL, zero, some, 4, 1, &f, &why), 0);
    assert_int_equal(f.n_below, 1);
    assert_int_equal(ccs_fit_censored(CCS_FIT_WEIBULL, negt, some, 4, 0, &f, &why), CCS_ERANGE);
    assert_string_equal(why, "times must be non-negative and finite");
    assert_int_equal(ccs_fit_censored(CCS_FIT_WEIBULL, t, some, 4, -1, &f, &why), CCS_EINVAL);
    assert_int_equal(ccs_fit_censored(CCS_FIT_WEIBULL, t, some, 4, NAN, &f, &why), CCS_EINVAL);
    assert_int_equal(ccs_fit_censored(CCS_FIT_WEIBULL, t, NULL, 4, 0, &f, &why), CCS_EINVAL);
    struct ccs_fit fits[CCS_FIT_FAMILY_COUNT];
    enum ccs_fit_family best;
    assert_int_equal(ccs_fit_censored_best(t, none, 4, 0, fits, &best, &why), CCS_ERANGE);
    assert_string_equal(why, "no events above t0: every observation is censored");
}

/* ---- Kaplan-Meier -------------------------------------------------------- */

/*
 * The hand-worked example (+ = censored): 1 2 2 2+ 3 4+ 5 5 6+ 8.
 *   t  n_risk  d  S                      Greenwood sum
 *   1   10     1  9/10      = 0.9        1/90
 *   2    9     2  0.9 * 7/9 = 0.7        + 2/63
 *   3    6     1  0.7 * 5/6 = 7/12       + 1/30   (= 8/105)
 *   5    4     2  7/12 * 2/4 = 7/24      + 1/4
 *   8    1     1  0                      inf
 * The censoring at 2 is at risk at 2 (events first). Var S(3) = (7/12)^2 *
 * 8/105 = 7/270. Band values are R's survfit(conf.type = "log-log").
 */
static const double KM_T[10] = {1, 2, 2, 2, 3, 4, 5, 5, 6, 8};
static const bool KM_E[10] = {1, 1, 1, 0, 1, 0, 1, 1, 0, 1};

static void test_km_by_hand(void **state)
{
    (void)state;
    /* shuffled, to show that the order of the input does not matter */
    int perm[10] = {7, 2, 9, 0, 4, 3, 8, 1, 6, 5};
    double t[10];
    bool e[10];
    for (int i = 0; i < 10; i++) {
        t[i] = KM_T[perm[i]];
        e[i] = KM_E[perm[i]];
    }
    struct ccs_km *km;
    assert_int_equal(ccs_km_new(t, e, 10, &km, NULL), 0);
    assert_int_equal(km->n, 10);
    assert_int_equal(km->n_events, 7);
    assert_true(km->t_max == 8);
    assert_int_equal(km->n_rows, 5);
    const double rt[5] = {1, 2, 3, 5, 8};
    const size_t risk[5] = {10, 9, 6, 4, 1}, dd[5] = {1, 2, 1, 2, 1}, cens[5] = {0, 1, 1, 1, 0};
    const double surv[5] = {0.9, 0.7, 7.0 / 12, 7.0 / 24, 0};
    const double gw[5] = {1.0 / 90, 1.0 / 90 + 2.0 / 63, 8.0 / 105, 8.0 / 105 + 0.25, INFINITY};
    const double lo[5] = {0.4730092713621, 0.3287165932797, 0.2297865189240, 0.0470550142951};
    const double hi[5] = {0.985281393367, 0.891949041225, 0.820739497172, 0.608526483247};
    const double se[5] = {0.0948683298051, 0.1449137674619, 0.1610152971799, 0.1665798384937};
    for (int j = 0; j < 5; j++) {
        const struct ccs_km_row *r = &km->row[j];
        assert_true(r->t == rt[j]);
        assert_int_equal(r->n_risk, risk[j]);
        assert_int_equal(r->n_event, dd[j]);
        assert_int_equal(r->n_censor, cens[j]);
        near(r->surv, surv[j], 1e-15, "S");
        if (j < 4) {
            near(r->gw, gw[j], 1e-15, "Greenwood sum");
            near(r->var, surv[j] * surv[j] * gw[j], 1e-15, "Greenwood variance");
            near(sqrt(r->var), se[j], 1e-12, "R's std.err");
            near(r->lo, lo[j], 1e-12, "lower band (R)");
            near(r->hi, hi[j], 1e-12, "upper band (R)");
            if (j + 1 < 5) /* risk set bookkeeping */
                assert_int_equal(risk[j + 1], r->n_risk - r->n_event - r->n_censor);
        }
    }
    near(km->row[2].var, 7.0 / 270, 1e-15, "Var S(3) = 7/270");
    assert_true(isinf(km->row[4].gw) && km->row[4].var == 0);
    assert_true(isnan(km->row[4].lo) && isnan(km->row[4].hi));

    assert_true(ccs_km_surv(km, 0.5) == 1.0);
    assert_true(ccs_km_surv(km, 1.0) == 0.9);
    near(ccs_km_surv(km, 4.99), 7.0 / 12, 1e-15, "S(4.99)");
    assert_true(ccs_km_surv(km, 8.0) == 0 && ccs_km_surv(km, 100.0) == 0);
    assert_true(isnan(ccs_km_surv(km, NAN)));

    /* quantiles, with R's quantile(survfit) limits */
    struct ccs_est q;
    assert_int_equal(ccs_km_quantile(km, 0.25, &q, NULL), 0);
    assert_true(q.value == 2 && q.lo == 1 && q.hi == 5);
    assert_int_equal(ccs_km_quantile(km, 0.5, &q, NULL), 0);
    assert_true(q.value == 5 && q.lo == 1 && isinf(q.hi));
    assert_int_equal(ccs_km_quantile(km, 0.75, &q, NULL), 0);
    assert_true(q.value == 8 && q.lo == 3 && isinf(q.hi));
    /* S(2) = 0.7 exactly: the 30% quantile is 2, despite rounding */
    assert_int_equal(ccs_km_quantile(km, 0.3, &q, NULL), 0);
    assert_true(q.value == 2);

    /* restricted mean to 8: 1 + 0.9 + 0.7 + 2 * 7/12 + 3 * 7/24 = 4.641666... */
    struct ccs_est m;
    assert_int_equal(ccs_km_rmean(km, 0, &m, NULL), 0);
    near(m.value, 1 + 0.9 + 0.7 + 14.0 / 12 + 21.0 / 24, 1e-14, "restricted mean");
    near(m.se, 0.846364091822, 1e-11, "se(rmean), R's print(survfit, rmean = 8)");
    near(m.lo, m.value - 1.959963984540054 * m.se, 1e-14, "normal interval");
    assert_int_equal(ccs_km_rmean(km, 2.5, &m, NULL), 0);
    near(m.value, 1 + 0.9 + 0.35, 1e-14, "restricted mean to 2.5");
    /* A_1 = 1.25, A_2 = 0.35: 1.25^2 / 90 + 0.35^2 * 2/63 */
    near(m.se, sqrt(1.5625 / 90 + 0.1225 * 2 / 63), 1e-14, "se(rmean to 2.5)");
    assert_int_equal(ccs_km_rmean(km, 20.0, &m, NULL), 0); /* S reached 0: fine */
    near(m.value, 1 + 0.9 + 0.7 + 14.0 / 12 + 21.0 / 24, 1e-14, "beyond a curve at 0");

    /* the curve ends in an event: no tail */
    assert_true(km->tail.mass == 0 && km->tail.start == 8);
    double v[5];
    assert_int_equal(ccs_km_values(km, 5, v, NULL), 0);
    /* p = 0.1 0.3 0.5 0.7 0.9 against F = 0.1 0.3 5/12 17/24 1 */
    const double want[5] = {1, 2, 5, 5, 8};
    for (int i = 0; i < 5; i++)
        assert_true(v[i] == want[i]);
    ccs_km_free(km);
}

/* The same data with the last time censored (9+): an open tail. */
static void test_km_tail(void **state)
{
    (void)state;
    double t[10];
    bool e[10];
    memcpy(t, KM_T, sizeof t);
    memcpy(e, KM_E, sizeof e);
    t[9] = 9;
    e[9] = false;
    struct ccs_km *km;
    const char *why;
    assert_int_equal(ccs_km_new(t, e, 10, &km, NULL), 0);
    assert_int_equal(km->n_rows, 4);
    assert_int_equal(km->row[3].n_censor, 2); /* 6+ and 9+ */
    near(ccs_km_surv(km, 9.0), 7.0 / 24, 1e-15, "S(t_max)");
    assert_true(isnan(ccs_km_surv(km, 9.5)));
    struct ccs_est q, m;
    assert_int_equal(ccs_km_quantile(km, 0.75, &q, &why), CCS_ERANGE);
    assert_string_equal(why, "the curve does not fall to 1 - p: the quantile lies beyond the data");
    assert_true(isnan(q.value));
    assert_int_equal(ccs_km_quantile(km, 0.6, &q, NULL), 0);
    assert_true(q.value == 5 && q.lo == 2 && isinf(q.hi)); /* R: 5 [2, NA] */
    assert_int_equal(ccs_km_rmean(km, 0, &m, NULL), 0);
    near(m.value, 4.93333333333, 1e-11, "rmean to 9 (R)");
    near(m.se, 0.99285409767, 1e-10, "se(rmean) (R)");
    assert_int_equal(ccs_km_rmean(km, 9.5, &m, &why), CCS_ERANGE);
    assert_string_equal(why, "tau lies beyond the data");
    /*
     * Tail: 6 events, fewer than 10, so the window is the whole data:
     * mean = total time / events = 39 / 6 = 6.5, from the last event (5)
     * on, carrying S(5) = 7/24.
     */
    assert_true(km->tail.window == 0);
    assert_int_equal(km->tail.window_events, 6);
    near(km->tail.window_exposure, 39, 1e-15, "exposure");
    near(km->tail.mean, 6.5, 1e-15, "tail mean");
    assert_true(km->tail.start == 5);
    near(km->tail.mass, 7.0 / 24, 1e-15, "tail mass");
    double v[4];
    assert_int_equal(ccs_km_values(km, 4, v, NULL), 0);
    /* p = 0.125 0.375 0.625 -> 2 3 5; p = 0.875 > 1 - 7/24: 5 + 6.5 log((7/24) / 0.125) */
    assert_true(v[0] == 2 && v[1] == 3 && v[2] == 5);
    near(v[3], 5 + 6.5 * log((7.0 / 24) / 0.125), 1e-14, "tail value");
    ccs_km_free(km);
}

/* The tail window on a longer sample: the last 10% of events. */
static void test_km_tail_window(void **state)
{
    (void)state;
    enum { M = 400 };
    double t[M];
    bool e[M];
    for (int i = 0; i < M; i++) {
        t[i] = i + 1;
        e[i] = i % 2 == 0; /* events at 1, 3, ..., 399; censored at the evens */
    }
    struct ccs_km *km;
    assert_int_equal(ccs_km_new(t, e, M, &km, NULL), 0);
    /* 200 events: the window leaves 20 after it: at 399 - 2*20 = 359 */
    assert_true(km->tail.window == 359);
    assert_int_equal(km->tail.window_events, 20);
    double expo = 0;
    for (int i = 359; i < M; i++)
        expo += t[i] - 359;
    near(km->tail.window_exposure, expo, 1e-15, "window exposure");
    near(km->tail.mean, expo / 20, 1e-15, "window mean");
    assert_true(km->tail.start == 399);
    near(km->tail.mass, km->row[km->n_rows - 1].surv, 0, "mass = S(last event)");
    /* the values sample the completed law: monotone, tail beyond 399 */
    double v[1000];
    assert_int_equal(ccs_km_values(km, 1000, v, NULL), 0);
    for (int i = 1; i < 1000; i++)
        assert_true(v[i] >= v[i - 1]);
    assert_true(v[999] > 399);
    ccs_km_free(km);
}

static void test_km_errors(void **state)
{
    (void)state;
    struct ccs_km *km = (struct ccs_km *)1;
    const char *why;
    double t[3] = {1, 2, 3}, bad[3] = {1, -2, 3};
    bool none[3] = {0, 0, 0}, e[3] = {1, 1, 1};
    assert_int_equal(ccs_km_new(t, e, 0, &km, &why), CCS_ERANGE);
    assert_string_equal(why, "no observations");
    assert_null(km);
    assert_int_equal(ccs_km_new(bad, e, 3, &km, &why), CCS_ERANGE);
    assert_string_equal(why, "times must be non-negative and finite");
    assert_int_equal(ccs_km_new(NULL, e, 3, &km, &why), CCS_EINVAL);
    /* all censored: a flat curve, no quantile, no values */
    assert_int_equal(ccs_km_new(t, none, 3, &km, NULL), 0);
    assert_int_equal(km->n_rows, 0);
    assert_true(ccs_km_surv(km, 2.0) == 1.0 && isnan(ccs_km_surv(km, 4.0)));
    assert_true(isnan(km->tail.mean));
    struct ccs_est q;
    assert_int_equal(ccs_km_quantile(km, 0.5, &q, &why), CCS_ERANGE);
    assert_int_equal(ccs_km_rmean(km, 0, &q, NULL), 0);
    near(q.value, 3, 0, "rmean of a flat curve");
    double v[2];
    assert_int_equal(ccs_km_values(km, 2, v, &why), CCS_ERANGE);
    assert_string_equal(why, "no events: every observation is censored");
    assert_int_equal(ccs_km_quantile(km, 1.0, &q, &why), CCS_EINVAL);
    assert_int_equal(ccs_km_values(km, 0, v, &why), CCS_EINVAL);
    ccs_km_free(km);
    ccs_km_free(NULL);
}

/* ---- Goodness of fit ----------------------------------------------------- */

static void test_gof_by_hand(void **state)
{
    (void)state;
    /*
     * u = 0.1 0.4 0.7 (given unsorted): D+ = max(1/3 - .1, 2/3 - .4, 1 - .7)
     * = 0.3, D- = max(.1, .4 - 1/3, .7 - 2/3) = 0.1; A^2 = -3 - (1/3)
     * [1 (ln .1 + ln .3) + 3 (ln .4 + ln .6) + 5 (ln .7 + ln .9)].
     */
    double u[3] = {0.7, 0.1, 0.4}, d, a2;
    assert_int_equal(ccs_gof_stats(u, 3, &d, &a2, NULL), 0);
    near(d, 0.3, 1e-15, "D");
    double want = -3 - (log(0.1) + log(0.3) + 3 * (log(0.4) + log(0.6)) +
                        5 * (log(0.7) + log(0.9))) / 3;
    near(a2, want, 1e-14, "A^2 by hand");
    near(a2, 0.36602808740773707, 1e-14, "A^2 (python)");
    /*
     * Against a fixed exponential of mean 2, by scipy 1.10:
     * kstest(x, 'expon', args=(0, 2)).statistic = 0.19404130975839112,
     * goodness_of_fit(expon, x, known_params={loc: 0, scale: 2},
     * statistic='ad').statistic = 0.3220242570776364.
     */
    double x[6] = {0.3, 1.1, 2.5, 0.05, 4.0, 1.7}, v[6];
    for (int i = 0; i < 6; i++)
        v[i] = -expm1(-x[i] / 2);
    assert_int_equal(ccs_gof_stats(v, 6, &d, &a2, NULL), 0);
    near(d, 0.19404130975839112, 1e-14, "D (scipy)");
    near(a2, 0.3220242570776364, 1e-13, "A^2 (scipy)");
    /* errors, and the clamp that keeps A^2 finite at u = 0 or 1 */
    const char *why;
    double badu[2] = {0.5, 1.5}, edge[2] = {0.0, 1.0};
    assert_int_equal(ccs_gof_stats(badu, 2, &d, &a2, &why), CCS_ERANGE);
    assert_string_equal(why, "cdf values must lie in [0, 1]");
    assert_int_equal(ccs_gof_stats(edge, 2, &d, &a2, &why), 0);
    assert_true(isfinite(a2) && a2 > 10);
    assert_int_equal(ccs_gof_stats(u, 0, &d, &a2, &why), CCS_EINVAL);
}

static void test_gof_bootstrap(void **state)
{
    (void)state;
    enum { M = 400 };
    double x[M];
    gsl_rng *r = rng(30);
    for (int i = 0; i < M; i++)
        x[i] = gsl_ran_lognormal(r, 4.0, 0.9);
    gsl_rng_free(r);
    struct ccs_fit f;
    struct ccs_gof g, g2;
    assert_int_equal(ccs_fit_complete(CCS_FIT_LOGNORMAL, x, M, &f, NULL), 0);
    assert_int_equal(ccs_fit_gof(&f, x, M, 99, 1, &g, NULL), 0);
    /* the right family: not rejected */
    assert_true(g.ks_p > 0.05 && g.ad_p > 0.05);
    assert_int_equal(g.n_boot, 99);
    /* p-values are multiples of 1/(B+1) and deterministic for a seed */
    near(g.ks_p * 100, round(g.ks_p * 100), 1e-12, "p grid");
    assert_int_equal(ccs_fit_gof(&f, x, M, 99, 1, &g2, NULL), 0);
    assert_true(g.ks_d == g2.ks_d && g.ks_p == g2.ks_p && g.ad_a2 == g2.ad_a2 &&
                g.ad_p == g2.ad_p);
    /* statistic without bootstrap */
    assert_int_equal(ccs_fit_gof(&f, x, M, 0, 1, &g2, NULL), 0);
    assert_true(g2.ks_d == g.ks_d && g2.ad_a2 == g.ad_a2 && isnan(g2.ks_p));
    /* the wrong families: rejected, AD at the smallest possible p */
    assert_int_equal(ccs_fit_complete(CCS_FIT_EXPONENTIAL, x, M, &f, NULL), 0);
    assert_int_equal(ccs_fit_gof(&f, x, M, 99, 1, &g, NULL), 0);
    assert_true(g.ks_p <= 0.01 + 1e-12 && g.ad_p <= 0.01 + 1e-12);
    assert_int_equal(ccs_fit_complete(CCS_FIT_WEIBULL, x, M, &f, NULL), 0);
    assert_int_equal(ccs_fit_gof(&f, x, M, 99, 1, &g, NULL), 0);
    assert_true(g.ad_p < 0.05);
    /* errors */
    const char *why;
    struct ccs_fit bad;
    ccs_fit_complete(CCS_FIT_GAMMA, x, 1, &bad, NULL);
    assert_int_equal(ccs_fit_gof(&bad, x, M, 9, 1, &g, &why), CCS_EINVAL);
    double neg[2] = {1, -1};
    assert_int_equal(ccs_fit_gof(&f, neg, 2, 9, 1, &g, &why), CCS_ERANGE);
    assert_string_equal(why, "values must be positive and finite");
}

/* ---- Counts -------------------------------------------------------------- */

static void test_dispersion_by_hand(void **state)
{
    (void)state;
    /*
     * 3 days x 2 cells: cell 0 = 1 2 3 (mean 2: X = (1 + 0 + 1) / 2 = 1),
     * cell 1 = 3 3 3 (X = 0); df = 2 + 2; p = P(chi2_4 >= 1) = 0.90979...
     * Day totals 4 5 6: mean 5, variance 1 < 5: c^2 = 2(1 - 5) / 2(25 -
     * 1/3) < 0, truncated to 0.
     */
    double c[6] = {1, 3, 2, 3, 3, 3};
    struct ccs_dispersion o;
    assert_int_equal(ccs_dispersion(c, 3, 2, NULL, &o, NULL), 0);
    near(o.chi2, 1.0, 1e-15, "chi2");
    assert_true(o.df == 4);
    near(o.p, 0.90979598956895, 1e-13, "p (R: pchisq(1, 4, lower = FALSE))");
    assert_int_equal(o.n_days, 3);
    assert_int_equal(o.n_cells, 2);
    near(o.c2_raw, -8.0 / (2 * (25 - 1.0 / 3)), 1e-14, "raw moment estimate");
    assert_true(o.c2.value == 0 && o.cv.value == 0 && o.c2.lo == 0);
    assert_true(isnan(o.cv.se));
    assert_true(o.c2.hi >= 0);
    /* a cell that never sees an arrival leaves the test */
    double z[6] = {1, 0, 2, 0, 3, 0};
    assert_int_equal(ccs_dispersion(z, 3, 2, NULL, &o, NULL), 0);
    assert_true(o.df == 2 && o.n_cells == 1);
}

/* days x cells counts: Poisson with cell means prof[c] * G_d, G_d gamma
   (mean 1, cv c; 1 when c = 0), times 1 + 0.5 * group for grouped days. */
static void counts(uint64_t seed, double cv, int days, int cells, double day_total,
                   const int *group, double *x)
{
    gsl_rng *r = rng(seed);
    for (int d = 0; d < days; d++) {
        double g = cv > 0 ? gsl_ran_gamma(r, 1 / (cv * cv), cv * cv) : 1.0;
        g *= 1.0 + 0.5 * (group ? group[d] : 0);
        for (int c = 0; c < cells; c++) {
            double shape = 1.0 + sin(M_PI * c / cells); /* a day profile */
            x[d * cells + c] = gsl_ran_poisson(r, g * day_total * shape / (cells * 1.6366));
        }
    }
    gsl_rng_free(r);
}

static void test_dispersion(void **state)
{
    (void)state;
    enum { D = 30, C = 24 };
    static double x[D * C];
    struct ccs_dispersion o;
    /* Poisson: not rejected, busyness interval from 0 */
    counts(40, 0.0, D, C, 2000, NULL, x);
    assert_int_equal(ccs_dispersion(x, D, C, NULL, &o, NULL), 0);
    assert_true(o.p > 0.05);
    assert_true(o.df == (D - 1) * C);
    assert_true(o.cv.lo == 0 && o.cv.hi < 0.05);
    /* gamma-mixed Poisson, cv 0.2: rejected, interval covers 0.2 */
    counts(41, 0.2, D, C, 2000, NULL, x);
    assert_int_equal(ccs_dispersion(x, D, C, NULL, &o, NULL), 0);
    assert_true(o.p < 1e-6);
    assert_true(o.cv.lo < 0.2 && 0.2 < o.cv.hi);
    assert_true(o.cv.lo > 0.1 && o.cv.hi < 0.35);
    near(o.cv.value, sqrt(o.c2.value), 1e-15, "cv = sqrt(c2)");
    near(o.cv.se, o.c2.se / (2 * o.cv.value), 1e-15, "se(cv)");
    assert_true(o.c2.lo < o.c2.value && o.c2.value < o.c2.hi);
}

/*
 * The interval's limits solve the documented pivot equation: with the day
 * totals' mean m and variance s2 over D days, P(c2) = (D - 1) s2 / (m +
 * c2 m^2) equals a chi2_nu quantile scaled by a, where a nu = D - 1 and
 * 2 a^2 nu = (D - 1)^2 [2 / (D - 1) + (k4 + b^2 k2 - 2 b k3) / (k2^2 D)],
 * b = 1 + 2 c2 m and k2, k3, k4 the negative binomial's cumulants.
 */
static double pivot_gap(double c2, double m, double s2, int days, double prob)
{
    double k2 = m + c2 * m * m, dm1 = days - 1.0, b = 1 + 2 * c2 * m;
    double k3 = m + 3 * c2 * m * m + 2 * c2 * c2 * m * m * m;
    double k4 = m + 7 * c2 * m * m + 12 * c2 * c2 * m * m * m + 6 * c2 * c2 * c2 * m * m * m * m;
    double var = dm1 * dm1 * (2 / dm1 + (k4 + b * b * k2 - 2 * b * k3) / (k2 * k2 * days));
    double a = var / (2 * dm1), nu = dm1 / a;
    return dm1 * s2 / k2 / (a * gsl_cdf_chisq_Pinv(prob, nu)) - 1;
}

static void test_dispersion_interval(void **state)
{
    (void)state;
    enum { D = 25, C = 10 };
    static double x[D * C];
    counts(43, 0.25, D, C, 400, NULL, x);
    double tot[D], m = 0, s2 = 0;
    for (int d = 0; d < D; d++) {
        tot[d] = 0;
        for (int c = 0; c < C; c++)
            tot[d] += x[d * C + c];
        m += tot[d] / D;
    }
    for (int d = 0; d < D; d++)
        s2 += (tot[d] - m) * (tot[d] - m) / (D - 1);
    struct ccs_dispersion o;
    assert_int_equal(ccs_dispersion(x, D, C, NULL, &o, NULL), 0);
    near(o.c2.value, (s2 - m) / (m * m - s2 / D), 1e-12, "moment estimate");
    assert_true(o.c2.lo > 0);
    near(pivot_gap(o.c2.lo, m, s2, D, 0.975), 0, 1e-9, "lower limit solves the pivot");
    near(pivot_gap(o.c2.hi, m, s2, D, 0.025), 0, 1e-9, "upper limit solves the pivot");
}

/* Weekday-like groups with their own means: without the labels the spread
   between groups passes for busyness. */
static void test_dispersion_groups(void **state)
{
    (void)state;
    enum { D = 42, C = 12 };
    static double x[D * C];
    int group[D];
    for (int d = 0; d < D; d++)
        group[d] = d % 3;
    counts(42, 0.0, D, C, 1500, group, x);
    struct ccs_dispersion o;
    assert_int_equal(ccs_dispersion(x, D, C, group, &o, NULL), 0);
    assert_true(o.p > 0.05 && o.cv.lo == 0);
    assert_true(o.df == (double)C * (D - 3));
    assert_int_equal(ccs_dispersion(x, D, C, NULL, &o, NULL), 0);
    assert_true(o.p < 1e-6 && o.cv.lo > 0.15); /* the groups differ by up to 2x */
}

static void test_dispersion_errors(void **state)
{
    (void)state;
    struct ccs_dispersion o;
    const char *why;
    double c[6] = {1, 3, 2, 3, 3, 3}, frac[6] = {1, 3, 2.5, 3, 3, 3}, zero[6] = {0};
    double neg[6] = {1, 3, -2, 3, 3, 3};
    int lab[3] = {0, 1, 1}, badlab[3] = {0, -1, 0};
    assert_int_equal(ccs_dispersion(c, 1, 2, NULL, &o, &why), CCS_ERANGE);
    assert_string_equal(why, "fewer than 2 days");
    assert_int_equal(ccs_dispersion(c, 3, 2, lab, &o, &why), CCS_ERANGE);
    assert_string_equal(why, "fewer than 2 days"); /* group 0 has one day */
    assert_int_equal(ccs_dispersion(frac, 3, 2, NULL, &o, &why), CCS_ERANGE);
    assert_string_equal(why, "counts must be whole numbers >= 0");
    assert_int_equal(ccs_dispersion(neg, 3, 2, NULL, &o, &why), CCS_ERANGE);
    assert_int_equal(ccs_dispersion(zero, 3, 2, NULL, &o, &why), CCS_ERANGE);
    assert_string_equal(why, "no arrivals");
    assert_true(isnan(o.p) && isnan(o.cv.value));
    assert_int_equal(ccs_dispersion(c, 3, 2, badlab, &o, &why), CCS_EINVAL);
    assert_int_equal(ccs_dispersion(c, 3, 0, NULL, &o, &why), CCS_EINVAL);
    assert_int_equal(ccs_dispersion(NULL, 3, 2, NULL, &o, &why), CCS_EINVAL);
    /* wildly varying totals over 2 days: the moments say nothing */
    double wild[4] = {0, 0, 100, 100};
    assert_int_equal(ccs_dispersion(wild, 2, 2, NULL, &o, &why), CCS_ERANGE);
    assert_string_equal(why,
                        "the day totals vary too much for the moments to determine busyness_cv");
    assert_true(o.p < 1e-10); /* the test itself is still reported */
}

/* ---- Proportions --------------------------------------------------------- */

static void test_wilson(void **state)
{
    (void)state;
    struct ccs_est e;
    const char *why;
    /* R: prop.test(k, n, correct = FALSE)$conf.int */
    assert_int_equal(ccs_wilson(3, 10, &e, NULL), 0);
    near(e.value, 0.3, 1e-15, "share");
    near(e.lo, 0.107791267406301, 1e-13, "wilson lo 3/10");
    near(e.hi, 0.603221852538855, 1e-13, "wilson hi 3/10");
    near(e.se, sqrt(0.3 * 0.7 / 10), 1e-15, "se");
    assert_int_equal(ccs_wilson(0, 10, &e, NULL), 0);
    assert_true(e.lo == 0);
    near(e.hi, 0.277532799862889, 1e-13, "wilson hi 0/10");
    assert_int_equal(ccs_wilson(47, 200, &e, NULL), 0);
    near(e.lo, 0.181574334152326, 1e-13, "wilson lo 47/200");
    near(e.hi, 0.298413688827625, 1e-13, "wilson hi 47/200");
    assert_int_equal(ccs_wilson(10, 10, &e, NULL), 0);
    assert_true(e.hi == 1 && e.lo > 0.69);
    assert_int_equal(ccs_wilson(11, 10, &e, &why), CCS_ERANGE);
    assert_string_equal(why, "need 0 <= k <= n and n > 0");
    assert_true(isnan(e.value));
    assert_int_equal(ccs_wilson(0, 0, &e, &why), CCS_ERANGE);
    assert_int_equal(ccs_wilson(-1, 10, &e, &why), CCS_ERANGE);
    assert_int_equal(ccs_wilson(1, NAN, &e, &why), CCS_ERANGE);
    assert_int_equal(ccs_wilson(1, 10, NULL, &why), CCS_EINVAL);
}

int main(void)
{
    gsl_set_error_handler_off();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_exponential),
        cmocka_unit_test(test_gamma),
        cmocka_unit_test(test_lognormal_by_hand),
        cmocka_unit_test(test_lognormal_recovery),
        cmocka_unit_test(test_weibull),
        cmocka_unit_test(test_delta_method),
        cmocka_unit_test(test_best_family),
        cmocka_unit_test(test_complete_errors),
        cmocka_unit_test(test_cdf),
        cmocka_unit_test(test_censored_exponential_exact),
        cmocka_unit_test(test_censored_reduces_to_complete),
        cmocka_unit_test(test_censored_recovery),
        cmocka_unit_test(test_truncated_loglik),
        cmocka_unit_test(test_censored_errors),
        cmocka_unit_test(test_km_by_hand),
        cmocka_unit_test(test_km_tail),
        cmocka_unit_test(test_km_tail_window),
        cmocka_unit_test(test_km_errors),
        cmocka_unit_test(test_gof_by_hand),
        cmocka_unit_test(test_gof_bootstrap),
        cmocka_unit_test(test_dispersion_by_hand),
        cmocka_unit_test(test_dispersion),
        cmocka_unit_test(test_dispersion_interval),
        cmocka_unit_test(test_dispersion_groups),
        cmocka_unit_test(test_dispersion_errors),
        cmocka_unit_test(test_wilson),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
