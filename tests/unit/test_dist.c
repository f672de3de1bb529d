/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_dist.c - duration distributions: each samples with the mean and
 * coefficient of variation it was built with; bad parameters are refused
 * with CCS_ERANGE and the documented explanation; scale, copy, names and
 * the "none" distribution behave as dist.h promises.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ccs/ccs.h"
#include "core/rng.h"
#include "model/dist.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { N = 200000 };

struct moments {
    double mean, cv, min;
};

static struct moments sample(const struct ccs_dist *d, uint64_t stream)
{
    gsl_rng *r = ccs__rng_new(31337, 0, stream);
    assert_non_null(r);
    double s = 0, s2 = 0, lo = INFINITY;
    /* shifted sums for numerical stability: subtract the nominal mean */
    for (int i = 0; i < N; i++) {
        double x = ccs__dist_sample(d, r);
        assert_true(x >= 0 && isfinite(x));
        lo = x < lo ? x : lo;
        double y = x - d->mean;
        s += y;
        s2 += y * y;
    }
    gsl_rng_free(r);
    double m = s / N;
    struct moments mo = {d->mean + m, sqrt((s2 / N - m * m) * N / (N - 1.0)) / (d->mean + m),
                         lo};
    return mo;
}

/*
 * Check the sample mean and cv of N draws against the given values. The
 * standard error of the mean is sd/sqrt(N) = mean*cv/sqrt(N). The relative
 * standard error of the sample sd is sqrt((kurt - 1) / (4N)), kurt being the
 * distribution's (non-excess) kurtosis, given per case; that of the mean is
 * cv/sqrt(N). For the ratio cv = sd/mean we add the two variances, which
 * ignores their (positive, for right-skewed laws) covariance and so errs on
 * the generous side. Tolerance: 5 standard errors each, so a correct sampler
 * fails with probability ~1e-6 per check, while a wrong parameterisation
 * (shape and scale swapped, rate for mean, variance for sd) is off by far
 * more than that at N = 200000.
 */
static void check_sample(const struct ccs_dist *d, double mean, double cv, double kurt,
                         uint64_t stream)
{
    struct moments m = sample(d, stream);
    double se_mean = mean * cv / sqrt(N);
    double se_cv = cv * sqrt((kurt - 1.0) / (4.0 * N) + cv * cv / N);
    if (fabs(m.mean - mean) > 5 * se_mean || fabs(m.cv - cv) > 5 * se_cv)
        fail_msg("%s: sample mean %g (want %g +- %g), cv %g (want %g +- %g)",
                 ccs__dist_name(d->kind), m.mean, mean, 5 * se_mean, m.cv, cv, 5 * se_cv);
}

/* The parameters the distribution reports, then its samples. */
static void check(const struct ccs_dist *d, double mean, double cv, double kurt, uint64_t stream)
{
    assert_true(fabs(d->mean - mean) <= 1e-9 * mean);
    assert_true(fabs(d->cv - cv) <= 1e-6 * cv);
    check_sample(d, mean, cv, kurt, stream);
}

/* Kurtosis (non-excess) of the families, from their shape parameters. */
static double kurt_gamma(double shape)
{
    return 3.0 + 6.0 / shape;
}

static double kurt_lognormal(double cv)
{
    double w = 1.0 + cv * cv; /* exp(sigma^2) */
    return w * w * w * w + 2 * w * w * w + 3 * w * w - 3.0;
}

static double kurt_weibull(double k)
{
    double g1 = tgamma(1 + 1 / k), g2 = tgamma(1 + 2 / k), g3 = tgamma(1 + 3 / k),
           g4 = tgamma(1 + 4 / k);
    double var = g2 - g1 * g1;
    double m4 = g4 - 4 * g3 * g1 + 6 * g2 * g1 * g1 - 3 * g1 * g1 * g1 * g1;
    return m4 / (var * var);
}

static void test_exponential(void **state)
{
    (void)state;
    struct ccs_dist d;
    const char *why = NULL;
    assert_int_equal(ccs__dist_exponential(&d, 180.0, &why), 0);
    assert_int_equal(d.kind, CCS_DIST_EXPONENTIAL);
    check(&d, 180.0, 1.0, 9.0, 1);
}

static void test_erlang(void **state)
{
    (void)state;
    struct ccs_dist d;
    assert_int_equal(ccs__dist_erlang(&d, 3, 240.0, NULL), 0);
    check(&d, 240.0, 1.0 / sqrt(3.0), kurt_gamma(3), 2);
}

static void test_gamma(void **state)
{
    (void)state;
    struct ccs_dist d;
    assert_int_equal(ccs__dist_gamma(&d, 300.0, 0.5, NULL), 0);
    check(&d, 300.0, 0.5, kurt_gamma(4), 3);
    /* cv 2: shape 1/4, very skewed (kurtosis 27); the mean and cv estimates
       are noisier, and the tolerance follows */
    assert_int_equal(ccs__dist_gamma(&d, 300.0, 2.0, NULL), 0);
    check(&d, 300.0, 2.0, kurt_gamma(0.25), 4);
}

static void test_lognormal(void **state)
{
    (void)state;
    struct ccs_dist d;
    assert_int_equal(ccs__dist_lognormal(&d, 200.0, 0.8, NULL), 0);
    check(&d, 200.0, 0.8, kurt_lognormal(0.8), 5);
}

static void test_weibull(void **state)
{
    (void)state;
    struct ccs_dist d;
    const char *why = NULL;
    /* by mean and cv (shape found by bisection) */
    assert_int_equal(ccs__dist_weibull_mean_cv(&d, 120.0, 0.6, &why), 0);
    assert_true(d.a > 1.5 && d.a < 2.0); /* cv 0.6 <-> shape ~1.72 */
    check(&d, 120.0, 0.6, kurt_weibull(d.a), 6);
    /* shape 1 is the exponential: cv 1 */
    assert_int_equal(ccs__dist_weibull_mean_cv(&d, 60.0, 1.0, &why), 0);
    assert_true(fabs(d.a - 1.0) < 1e-9);
    assert_true(fabs(d.b - 60.0) < 1e-6);
    /* by shape and scale: mean = scale * Gamma(1 + 1/k) */
    assert_int_equal(ccs__dist_weibull_shape_scale(&d, 2.0, 100.0, &why), 0);
    double mean = 100.0 * tgamma(1.5);
    double cv = sqrt(tgamma(2.0) / (tgamma(1.5) * tgamma(1.5)) - 1.0);
    check(&d, mean, cv, kurt_weibull(2.0), 7);
    assert_int_equal(ccs__dist_weibull_shape_scale(&d, 0.7, 50.0, &why), 0);
    double g1 = tgamma(1 + 1 / 0.7), g2 = tgamma(1 + 2 / 0.7);
    check(&d, 50.0 * g1, sqrt(g2 / (g1 * g1) - 1), kurt_weibull(0.7), 8);
}

static void test_uniform(void **state)
{
    (void)state;
    struct ccs_dist d;
    assert_int_equal(ccs__dist_uniform(&d, 60.0, 180.0, NULL), 0);
    /* mean 120, sd 120/sqrt(12); kurtosis 9/5 */
    check(&d, 120.0, 120.0 / sqrt(12.0) / 120.0, 1.8, 9);
    struct moments m = sample(&d, 10);
    assert_true(m.min >= 60.0 && m.min < 60.1);
}

static void test_deterministic(void **state)
{
    (void)state;
    struct ccs_dist d;
    assert_int_equal(ccs__dist_deterministic(&d, 45.5, NULL), 0);
    gsl_rng *r = ccs__rng_new(1, 0, 0);
    for (int i = 0; i < 1000; i++)
        assert_true(ccs__dist_sample(&d, r) == 45.5);
    assert_true(d.mean == 45.5 && d.cv == 0.0);
    /* zero is a legal duration (e.g. no wrap-up) */
    assert_int_equal(ccs__dist_deterministic(&d, 0.0, NULL), 0);
    assert_true(ccs__dist_sample(&d, r) == 0.0);
    gsl_rng_free(r);
}

static void test_empirical(void **state)
{
    (void)state;
    /* values 10, 20, ..., 100, given unsorted */
    double *v = malloc(10 * sizeof *v);
    for (int i = 0; i < 10; i++)
        v[i] = 10.0 * ((i * 7) % 10 + 1);
    struct ccs_dist d;
    assert_int_equal(ccs__dist_empirical(&d, v, 10, NULL), 0);
    assert_ptr_equal(d.values, v); /* ownership taken */
    for (int i = 1; i < 10; i++)
        assert_true(d.values[i - 1] < d.values[i]); /* sorted */
    /* The reported cv uses the sample sd (n - 1) of the values: 30.28/55. */
    assert_true(fabs(d.mean - 55.0) < 1e-12);
    assert_true(fabs(d.cv - sqrt(8250.0 / 9.0) / 55.0) < 1e-12);
    /* Resampling draws from the discrete uniform law on the 10 values:
       population sd sqrt(825), kurtosis 3 - 6(n^2+1)/(5(n^2-1)) = 1.776. */
    check_sample(&d, 55.0, sqrt(825.0) / 55.0, 3.0 - 6.0 * 101.0 / (5.0 * 99.0), 11);
    /* every value is reachable and nothing else is drawn */
    gsl_rng *r = ccs__rng_new(5, 0, 0);
    int hit[10] = {0};
    for (int i = 0; i < 10000; i++) {
        double x = ccs__dist_sample(&d, r);
        double k = x / 10.0 - 1.0;
        assert_true(k == floor(k) && k >= 0 && k <= 9);
        hit[(int)k]++;
    }
    for (int i = 0; i < 10; i++)
        assert_true(hit[i] > 800); /* expected 1000, sd 30 */
    gsl_rng_free(r);
    ccs__dist_release(&d);
    assert_null(d.values);
}

/* --- validation ------------------------------------------------------------ */

struct bad_case {
    const char *name;
    int rc;
    const char *why;
};

static void expect_bad(int rc, const char *why, const char *want, const struct ccs_dist *d)
{
    assert_int_equal(rc, CCS_ERANGE);
    assert_non_null(why);
    assert_string_equal(why, want);
    /* "d untouched" */
    assert_int_equal(d->kind, CCS_DIST_COUNT_);
    assert_true(d->mean == -12345.0);
}

static void poison(struct ccs_dist *d)
{
    memset(d, 0, sizeof *d);
    d->kind = CCS_DIST_COUNT_;
    d->mean = -12345.0;
}

static void test_validation(void **state)
{
    (void)state;
    struct ccs_dist d;
    const char *why;
#define BAD(call, want)                        \
    do {                                       \
        poison(&d);                            \
        why = NULL;                            \
        int rc_ = (call);                      \
        expect_bad(rc_, why, want, &d);        \
    } while (0)

    const char *mean_pos = "'mean' must be positive";
    const char *cv_pos = "'cv' must be positive";
    const char *cv_big = "'cv' is absurdly large (over 50)";
    BAD(ccs__dist_exponential(&d, 0.0, &why), mean_pos);
    BAD(ccs__dist_exponential(&d, -5.0, &why), mean_pos);
    BAD(ccs__dist_exponential(&d, NAN, &why), mean_pos);
    BAD(ccs__dist_exponential(&d, 366.0 * 86400, &why), "'mean' is absurdly large (over a year)");
    BAD(ccs__dist_gamma(&d, 0.0, 1.0, &why), mean_pos);
    BAD(ccs__dist_gamma(&d, 60.0, 0.0, &why), cv_pos);
    BAD(ccs__dist_gamma(&d, 60.0, -1.0, &why), cv_pos);
    BAD(ccs__dist_gamma(&d, 60.0, 50.5, &why), cv_big);
    BAD(ccs__dist_lognormal(&d, -1.0, 1.0, &why), mean_pos);
    BAD(ccs__dist_lognormal(&d, 60.0, 0.0, &why), cv_pos);
    BAD(ccs__dist_lognormal(&d, 60.0, 51.0, &why), cv_big);
    BAD(ccs__dist_weibull_mean_cv(&d, 0.0, 1.0, &why), mean_pos);
    BAD(ccs__dist_weibull_mean_cv(&d, 60.0, 0.0, &why), cv_pos);
    BAD(ccs__dist_weibull_mean_cv(&d, 60.0, 60.0, &why), cv_big);
    /* cv 0.001 needs a shape far above 100 */
    BAD(ccs__dist_weibull_mean_cv(&d, 60.0, 0.001, &why),
        "'cv' is outside what a Weibull can have (shape 0.05..100)");

    const char *k_bad = "'k' must be a whole number of phases, at least 1";
    BAD(ccs__dist_erlang(&d, 2.5, 60.0, &why), k_bad);
    BAD(ccs__dist_erlang(&d, 0.0, 60.0, &why), k_bad);
    BAD(ccs__dist_erlang(&d, -3.0, 60.0, &why), k_bad);
    BAD(ccs__dist_erlang(&d, NAN, 60.0, &why), k_bad);
    BAD(ccs__dist_erlang(&d, 3.0, 0.0, &why), mean_pos);

    BAD(ccs__dist_uniform(&d, 60.0, 60.0, &why), "'max' must be greater than 'min'");
    BAD(ccs__dist_uniform(&d, 60.0, 30.0, &why), "'max' must be greater than 'min'");
    BAD(ccs__dist_uniform(&d, -1.0, 30.0, &why), "'min' must not be negative");

    const char *shape = "'shape' must lie between 0.05 and 100";
    BAD(ccs__dist_weibull_shape_scale(&d, 0.04, 10.0, &why), shape);
    BAD(ccs__dist_weibull_shape_scale(&d, 101.0, 10.0, &why), shape);
    BAD(ccs__dist_weibull_shape_scale(&d, NAN, 10.0, &why), shape);
    BAD(ccs__dist_weibull_shape_scale(&d, 2.0, 0.0, &why),
        "'scale' must be positive and below a year");

    BAD(ccs__dist_deterministic(&d, -1.0, &why), "'value' must not be negative");

    double *none = malloc(sizeof *none);
    BAD(ccs__dist_empirical(&d, none, 0, &why), "no values to sample from");
    double *neg = malloc(3 * sizeof *neg);
    neg[0] = 10;
    neg[1] = -1;
    neg[2] = 5;
    BAD(ccs__dist_empirical(&d, neg, 3, &why), "values must be durations between 0 and a year");
    neg[1] = NAN;
    BAD(ccs__dist_empirical(&d, neg, 3, &why), "values must be durations between 0 and a year");
    neg[0] = neg[1] = neg[2] = 0;
    BAD(ccs__dist_empirical(&d, neg, 3, &why), "values must not all be zero");
    /* on failure ownership stays with the caller */
    free(none);
    free(neg);
#undef BAD

    /* edges that are legal */
    assert_int_equal(ccs__dist_gamma(&d, 60.0, 50.0, NULL), 0);
    assert_int_equal(ccs__dist_erlang(&d, 1.0, 60.0, NULL), 0);
    assert_int_equal(ccs__dist_weibull_shape_scale(&d, 0.05, 10.0, NULL), 0);
    assert_int_equal(ccs__dist_weibull_shape_scale(&d, 100.0, 10.0, NULL), 0);
    /* why may be NULL */
    assert_int_equal(ccs__dist_exponential(&d, -1.0, NULL), CCS_ERANGE);
}

static void test_scale(void **state)
{
    (void)state;
    struct ccs_dist d[8];
    double *v = malloc(4 * sizeof *v);
    v[0] = 10;
    v[1] = 20;
    v[2] = 30;
    v[3] = 60;
    assert_int_equal(ccs__dist_exponential(&d[0], 100.0, NULL), 0);
    assert_int_equal(ccs__dist_erlang(&d[1], 4, 100.0, NULL), 0);
    assert_int_equal(ccs__dist_gamma(&d[2], 100.0, 1.5, NULL), 0);
    assert_int_equal(ccs__dist_lognormal(&d[3], 100.0, 0.8, NULL), 0);
    assert_int_equal(ccs__dist_weibull_mean_cv(&d[4], 100.0, 0.6, NULL), 0);
    assert_int_equal(ccs__dist_uniform(&d[5], 50.0, 150.0, NULL), 0);
    assert_int_equal(ccs__dist_deterministic(&d[6], 100.0, NULL), 0);
    assert_int_equal(ccs__dist_empirical(&d[7], v, 4, NULL), 0);
    /* kurtosis of each law for the tolerance (see check_sample) */
    const double kurt[8] = {9.0, kurt_gamma(4), kurt_gamma(1 / 2.25), kurt_lognormal(0.8),
                            kurt_weibull(d[4].a), 1.8, 0, 0};
    for (int i = 0; i < 8; i++) {
        double mean0 = d[i].mean, cv0 = d[i].cv;
        ccs__dist_scale(&d[i], 0.5);
        assert_true(fabs(d[i].mean - 0.5 * mean0) < 1e-9 * mean0);
        assert_true(d[i].cv == cv0); /* scaling keeps the shape */
        if (i < 6) /* the samples follow: mean halves, cv unchanged */
            check_sample(&d[i], 0.5 * mean0, cv0, kurt[i], 100 + (uint64_t)i);
    }
    gsl_rng *r = ccs__rng_new(1, 0, 0);
    assert_true(ccs__dist_sample(&d[6], r) == 50.0);
    gsl_rng_free(r);
    /* the empirical values themselves were scaled */
    assert_true(d[7].values[0] == 5 && d[7].values[3] == 30);
    /* uniform bounds scale */
    assert_true(d[5].a == 25.0 && d[5].b == 75.0);
    ccs__dist_release(&d[7]);
}

static void test_copy(void **state)
{
    (void)state;
    double *v = malloc(3 * sizeof *v);
    v[0] = 3;
    v[1] = 1;
    v[2] = 2;
    struct ccs_dist a, b;
    assert_int_equal(ccs__dist_empirical(&a, v, 3, NULL), 0);
    assert_int_equal(ccs__dist_copy(&b, &a), 0);
    assert_non_null(b.values);
    assert_ptr_not_equal(b.values, a.values);
    assert_int_equal(b.n_values, 3);
    assert_memory_equal(b.values, a.values, 3 * sizeof *v);
    /* changing one leaves the other alone */
    ccs__dist_scale(&b, 10.0);
    assert_true(a.values[0] == 1 && a.values[2] == 3);
    assert_true(b.values[0] == 10 && b.values[2] == 30);
    ccs__dist_release(&a);
    /* b survives a's release (ASan would flag a shared buffer) */
    assert_true(b.values[1] == 20);
    ccs__dist_release(&b);

    /* non-empirical: a plain copy with no buffer */
    assert_int_equal(ccs__dist_gamma(&a, 60, 0.5, NULL), 0);
    assert_int_equal(ccs__dist_copy(&b, &a), 0);
    assert_null(b.values);
    assert_true(b.a == a.a && b.b == a.b && b.mean == a.mean);
}

static void test_none(void **state)
{
    (void)state;
    struct ccs_dist d;
    ccs__dist_none(&d);
    assert_int_equal(d.kind, CCS_DIST_NONE);
    assert_true(isinf(d.mean) && d.mean > 0);
    assert_true(isnan(d.cv));
    gsl_rng *r = ccs__rng_new(1, 0, 0);
    for (int i = 0; i < 10; i++) {
        double x = ccs__dist_sample(&d, r);
        assert_true(isinf(x) && x > 0);
    }
    gsl_rng_free(r);
    ccs__dist_release(&d); /* nothing owned: must be harmless */
}

static void test_names(void **state)
{
    (void)state;
    int n = 0;
    for (int k = 0; k < CCS_DIST_COUNT_; k++) {
        const char *name = ccs__dist_name((enum ccs_dist_kind)k);
        assert_non_null(name);
        assert_int_equal(ccs__dist_find(name), k);
        assert_string_equal(ccs__dist_names[k], name);
        n++;
    }
    assert_null(ccs__dist_names[n]); /* NULL-terminated, one per kind */
    assert_string_equal(ccs__dist_name(CCS_DIST_EXPONENTIAL), "exponential");
    assert_string_equal(ccs__dist_name(CCS_DIST_EMPIRICAL), "empirical");
    assert_string_equal(ccs__dist_name(CCS_DIST_COUNT_), "?");
    assert_int_equal(ccs__dist_find("Exponential"), -1); /* case matters */
    assert_int_equal(ccs__dist_find("expo"), -1);
    assert_int_equal(ccs__dist_find(""), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exponential), cmocka_unit_test(test_erlang),
        cmocka_unit_test(test_gamma),       cmocka_unit_test(test_lognormal),
        cmocka_unit_test(test_weibull),     cmocka_unit_test(test_uniform),
        cmocka_unit_test(test_deterministic), cmocka_unit_test(test_empirical),
        cmocka_unit_test(test_validation),  cmocka_unit_test(test_scale),
        cmocka_unit_test(test_copy),        cmocka_unit_test(test_none),
        cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
