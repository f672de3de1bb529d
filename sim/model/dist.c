/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * dist.c - construction, validation and sampling of duration
 * distributions. Mean/cv parameterisations are converted once here.
 */
#include "model/dist.h"

#include "ccs/error.h"
#include "core/rng.h"
#include "ccs/mem.h"
#include "core/timeconst.h"

#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_gamma.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const ccs__dist_names[] = {
    "none",    "exponential", "erlang",        "gamma",     "lognormal",
    "weibull", "uniform",     "deterministic", "empirical", "triangular", NULL,
};

const char *ccs__dist_name(enum ccs_dist_kind k)
{
    return (unsigned)k < CCS_DIST_COUNT_ ? ccs__dist_names[k] : "?";
}

int ccs__dist_find(const char *name)
{
    for (int i = 0; ccs__dist_names[i] != NULL; i++)
        if (strcmp(ccs__dist_names[i], name) == 0)
            return i;
    return -1;
}

static int bad(const char **why, const char *text)
{
    if (why)
        *why = text;
    return CCS_ERANGE;
}

/* Means and cvs beyond these are typos, not contact centers. */
#define MAX_MEAN (365 * CCS_DAY)
#define MAX_CV 50.0

static int check_mean(double mean, const char **why)
{
    if (!(mean > 0))
        return bad(why, "'mean' must be positive");
    if (mean > MAX_MEAN)
        return bad(why, "'mean' is absurdly large (over a year)");
    return 0;
}

static int check_cv(double cv, const char **why)
{
    if (!(cv > 0))
        return bad(why, "'cv' must be positive");
    if (cv > MAX_CV)
        return bad(why, "'cv' is absurdly large (over 50)");
    return 0;
}

static void set(struct ccs_dist *d, enum ccs_dist_kind k, double mean, double cv, double a,
                double b)
{
    memset(d, 0, sizeof *d);
    d->kind = k;
    d->mean = mean;
    d->cv = cv;
    d->a = a;
    d->b = b;
}

void ccs__dist_none(struct ccs_dist *d)
{
    set(d, CCS_DIST_NONE, INFINITY, NAN, 0, 0);
}

int ccs__dist_exponential(struct ccs_dist *d, double mean, const char **why)
{
    if (check_mean(mean, why))
        return CCS_ERANGE;
    set(d, CCS_DIST_EXPONENTIAL, mean, 1.0, 1.0, mean);
    return 0;
}

int ccs__dist_erlang(struct ccs_dist *d, double k, double mean, const char **why)
{
    if (check_mean(mean, why))
        return CCS_ERANGE;
    if (!(k >= 1) || k != floor(k))
        return bad(why, "'k' must be a whole number of phases, at least 1");
    if (k > 10000)
        return bad(why, "'k' is absurdly large (over 10000)");
    set(d, CCS_DIST_ERLANG, mean, 1.0 / sqrt(k), k, mean / k);
    return 0;
}

int ccs__dist_gamma(struct ccs_dist *d, double mean, double cv, const char **why)
{
    if (check_mean(mean, why) || check_cv(cv, why))
        return CCS_ERANGE;
    double shape = 1.0 / (cv * cv);
    set(d, CCS_DIST_GAMMA, mean, cv, shape, mean / shape);
    return 0;
}

int ccs__dist_lognormal(struct ccs_dist *d, double mean, double cv, const char **why)
{
    if (check_mean(mean, why) || check_cv(cv, why))
        return CCS_ERANGE;
    double s2 = log1p(cv * cv);
    set(d, CCS_DIST_LOGNORMAL, mean, cv, log(mean) - s2 / 2.0, sqrt(s2));
    return 0;
}

/* cv of a Weibull with shape k: sqrt(G(1+2/k)/G(1+1/k)^2 - 1), decreasing. */
static double weibull_cv(double k)
{
    double l1 = gsl_sf_lngamma(1.0 + 1.0 / k), l2 = gsl_sf_lngamma(1.0 + 2.0 / k);
    return sqrt(expm1(l2 - 2.0 * l1));
}

int ccs__dist_weibull_shape_scale(struct ccs_dist *d, double shape, double scale,
                                  const char **why)
{
    if (!(shape >= 0.05 && shape <= 100))
        return bad(why, "'shape' must lie between 0.05 and 100");
    if (!(scale > 0) || scale > MAX_MEAN)
        return bad(why, "'scale' must be positive and below a year");
    double mean = scale * exp(gsl_sf_lngamma(1.0 + 1.0 / shape));
    set(d, CCS_DIST_WEIBULL, mean, weibull_cv(shape), shape, scale);
    return 0;
}

int ccs__dist_weibull_mean_cv(struct ccs_dist *d, double mean, double cv, const char **why)
{
    if (check_mean(mean, why) || check_cv(cv, why))
        return CCS_ERANGE;
    /* Solve weibull_cv(k) = cv by bisection on log k over [0.05, 100]. */
    double lo = log(0.05), hi = log(100.0);
    if (cv > weibull_cv(0.05) || cv < weibull_cv(100.0))
        return bad(why, "'cv' is outside what a Weibull can have (shape 0.05..100)");
    for (int i = 0; i < 200; i++) {
        double mid = 0.5 * (lo + hi);
        if (weibull_cv(exp(mid)) > cv)
            lo = mid;
        else
            hi = mid;
    }
    double k = exp(0.5 * (lo + hi));
    double scale = mean / exp(gsl_sf_lngamma(1.0 + 1.0 / k));
    set(d, CCS_DIST_WEIBULL, mean, cv, k, scale);
    return 0;
}

int ccs__dist_uniform(struct ccs_dist *d, double lo, double hi, const char **why)
{
    if (!(lo >= 0))
        return bad(why, "'min' must not be negative");
    if (!(hi > lo))
        return bad(why, "'max' must be greater than 'min'");
    if (hi > MAX_MEAN)
        return bad(why, "'max' is absurdly large (over a year)");
    double mean = 0.5 * (lo + hi);
    set(d, CCS_DIST_UNIFORM, mean, (hi - lo) / sqrt(12.0) / mean, lo, hi);
    return 0;
}

int ccs__dist_triangular(struct ccs_dist *d, double lo, double mode, double hi,
                         const char **why)
{
    if (!(lo >= 0))
        return bad(why, "'min' must not be negative");
    if (!(hi > lo))
        return bad(why, "'max' must be greater than 'min'");
    if (!(mode >= lo && mode <= hi))
        return bad(why, "'mode' must lie between 'min' and 'max'");
    if (hi > MAX_MEAN)
        return bad(why, "'max' is absurdly large (over a year)");
    double mean = (lo + mode + hi) / 3.0;
    double var = (lo * lo + mode * mode + hi * hi - lo * mode - lo * hi - mode * hi) / 18.0;
    set(d, CCS_DIST_TRIANGULAR, mean, sqrt(var) / mean, lo, hi);
    d->c = mode;
    return 0;
}

int ccs__dist_deterministic(struct ccs_dist *d, double value, const char **why)
{
    if (!(value >= 0))
        return bad(why, "'value' must not be negative");
    if (value > MAX_MEAN)
        return bad(why, "'value' is absurdly large (over a year)");
    set(d, CCS_DIST_DETERMINISTIC, value, 0.0, value, 0);
    return 0;
}

static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

int ccs__dist_empirical(struct ccs_dist *d, double *values, size_t n, const char **why)
{
    if (n == 0)
        return bad(why, "no values to sample from");
    double sum = 0, sq = 0;
    for (size_t i = 0; i < n; i++) {
        if (!(values[i] >= 0) || values[i] > MAX_MEAN)
            return bad(why, "values must be durations between 0 and a year");
        sum += values[i];
    }
    double mean = sum / (double)n;
    for (size_t i = 0; i < n; i++)
        sq += (values[i] - mean) * (values[i] - mean);
    if (!(mean > 0))
        return bad(why, "values must not all be zero");
    qsort(values, n, sizeof *values, cmp_double);
    set(d, CCS_DIST_EMPIRICAL, mean, n > 1 ? sqrt(sq / (double)(n - 1)) / mean : 0.0, 0, 0);
    d->values = values;
    d->n_values = n;
    return 0;
}

int ccs__dist_copy(struct ccs_dist *dst, const struct ccs_dist *src)
{
    *dst = *src;
    if (src->kind == CCS_DIST_EMPIRICAL && src->n_values > 0) {
        dst->values = ccs_malloc(src->n_values * sizeof *dst->values);
        if (dst->values == NULL)
            return CCS_ENOMEM;
        memcpy(dst->values, src->values, src->n_values * sizeof *dst->values);
    }
    return 0;
}

void ccs__dist_scale(struct ccs_dist *d, double f)
{
    d->mean *= f;
    switch (d->kind) {
    case CCS_DIST_EXPONENTIAL:
    case CCS_DIST_ERLANG:
    case CCS_DIST_GAMMA:
    case CCS_DIST_WEIBULL:
        d->b *= f;
        break;
    case CCS_DIST_LOGNORMAL:
        d->a += log(f);
        break;
    case CCS_DIST_UNIFORM:
    case CCS_DIST_DETERMINISTIC:
    case CCS_DIST_TRIANGULAR:
        d->a *= f;
        d->b *= f;
        d->c *= f;
        break;
    case CCS_DIST_EMPIRICAL:
        for (size_t i = 0; i < d->n_values; i++)
            d->values[i] *= f;
        break;
    default:
        break;
    }
}

void ccs__dist_release(struct ccs_dist *d)
{
    free(d->values);
    d->values = NULL;
    d->n_values = 0;
}

double ccs__dist_sample(const struct ccs_dist *d, gsl_rng *r)
{
    switch (d->kind) {
    case CCS_DIST_EXPONENTIAL:
        return ccs__rng_exp(r, d->b);
    case CCS_DIST_ERLANG:
    case CCS_DIST_GAMMA:
        return gsl_ran_gamma(r, d->a, d->b);
    case CCS_DIST_LOGNORMAL:
        return gsl_ran_lognormal(r, d->a, d->b);
    case CCS_DIST_WEIBULL: /* scale * E^(1/shape), E a unit exponential (the fast ziggurat) */
        return d->b * pow(ccs__rng_exp1(r), 1.0 / d->a);
    case CCS_DIST_UNIFORM:
        return gsl_ran_flat(r, d->a, d->b);
    case CCS_DIST_DETERMINISTIC:
        return d->a;
    case CCS_DIST_TRIANGULAR: {
        /* inversion: one uniform per draw */
        double u = ccs__rng_u01(r), w = d->b - d->a;
        if (u * w < d->c - d->a)
            return d->a + sqrt(u * w * (d->c - d->a));
        return d->b - sqrt((1.0 - u) * w * (d->b - d->c));
    }
    case CCS_DIST_EMPIRICAL: {
        size_t i = (size_t)(ccs__rng_u01(r) * (double)d->n_values);
        return d->values[i < d->n_values ? i : d->n_values - 1];
    }
    case CCS_DIST_NONE:
    default:
        return INFINITY;
    }
}

void ccs__dist_describe(const struct ccs_dist *d, char *buf, size_t cap)
{
    switch (d->kind) {
    case CCS_DIST_NONE:
        snprintf(buf, cap, "none");
        break;
    case CCS_DIST_EXPONENTIAL:
        snprintf(buf, cap, "exponential(mean=%gs)", d->mean);
        break;
    case CCS_DIST_ERLANG:
        snprintf(buf, cap, "erlang(k=%g, mean=%gs)", d->a, d->mean);
        break;
    case CCS_DIST_UNIFORM:
        snprintf(buf, cap, "uniform(min=%gs, max=%gs)", d->a, d->b);
        break;
    case CCS_DIST_TRIANGULAR:
        snprintf(buf, cap, "triangular(min=%gs, mode=%gs, max=%gs)", d->a, d->c, d->b);
        break;
    case CCS_DIST_DETERMINISTIC:
        snprintf(buf, cap, "deterministic(%gs)", d->a);
        break;
    case CCS_DIST_EMPIRICAL:
        snprintf(buf, cap, "empirical(n=%zu, mean=%gs, cv=%.3g)", d->n_values, d->mean, d->cv);
        break;
    default:
        snprintf(buf, cap, "%s(mean=%gs, cv=%.3g)", ccs__dist_name(d->kind), d->mean, d->cv);
        break;
    }
}
