/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * estimate.c - the estimators around the fits (estimate.h): interval
 * helpers, choice of family by AIC, goodness of fit with parametric
 * bootstrap p-values, over-dispersion of daily counts (busyness_cv) and
 * the Wilson interval. The fits are in fitdist.c, Kaplan-Meier in survival.c.
 */
#include "analytic/estimate_impl.h"
#include "ccs/error.h"
#include "core/rng.h"
#include "ccs/mem.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

void ccs__est_log(struct ccs_est *e, double value, double se_log)
{
    e->value = value;
    e->se = value * se_log;
    e->lo = value * exp(-CCS__Z95 * se_log);
    e->hi = value * exp(CCS__Z95 * se_log);
}

void ccs__est_lin(struct ccs_est *e, double value, double se)
{
    e->value = value;
    e->se = se;
    e->lo = value - CCS__Z95 * se;
    e->hi = value + CCS__Z95 * se;
}

void ccs__est_fixed(struct ccs_est *e, double value)
{
    e->value = e->lo = e->hi = value;
    e->se = 0;
}

void ccs__est_nan(struct ccs_est *e)
{
    e->value = e->se = e->lo = e->hi = NAN;
}

static int set_why(const char **why, const char *text, int code)
{
    if (why)
        *why = text;
    return code;
}

/* ---- Choice of family ---------------------------------------------------- */

static int pick_best(struct ccs_fit fits[CCS_FIT_FAMILY_COUNT], enum ccs_fit_family *best)
{
    int b = -1;
    for (int f = 0; f < CCS_FIT_FAMILY_COUNT; f++)
        if (isfinite(fits[f].aic) && (b < 0 || fits[f].aic < fits[b].aic))
            b = f;
    if (b < 0)
        return CCS_ERANGE;
    *best = (enum ccs_fit_family)b;
    return 0;
}

int ccs_fit_best(const double *x, size_t n, struct ccs_fit fits[CCS_FIT_FAMILY_COUNT],
                 enum ccs_fit_family *best, const char **why)
{
    if (x == NULL || fits == NULL || best == NULL)
        return set_why(why, "invalid argument", CCS_EINVAL);
    const char *first = NULL;
    for (int f = 0; f < CCS_FIT_FAMILY_COUNT; f++) {
        const char *w = NULL;
        int rc = ccs_fit_complete((enum ccs_fit_family)f, x, n, &fits[f], &w);
        if (rc == CCS_ENOMEM)
            return set_why(why, w, rc);
        if (rc != 0 && first == NULL)
            first = w;
    }
    if (pick_best(fits, best) != 0)
        return set_why(why, first, CCS_ERANGE);
    return 0;
}

int ccs_fit_censored_best(const double *t, const bool *event, size_t n, double t0,
                          struct ccs_fit fits[CCS_FIT_FAMILY_COUNT],
                          enum ccs_fit_family *best, const char **why)
{
    if (t == NULL || event == NULL || fits == NULL || best == NULL)
        return set_why(why, "invalid argument", CCS_EINVAL);
    const char *first = NULL;
    for (int f = 0; f < CCS_FIT_FAMILY_COUNT; f++) {
        const char *w = NULL;
        int rc = ccs_fit_censored((enum ccs_fit_family)f, t, event, n, t0, &fits[f], &w);
        if (rc == CCS_ENOMEM || rc == CCS_EINVAL)
            return set_why(why, w, rc);
        if (rc != 0 && rc != CCS_EUNSUPPORTED && first == NULL)
            first = w;
    }
    if (pick_best(fits, best) != 0)
        return set_why(why, first, CCS_ERANGE);
    return 0;
}

/* ---- Goodness of fit ----------------------------------------------------- */

/*
 * D and A^2 from p[i] = F(x_(i)) and q[i] = 1 - F(x_(i)) of sorted data,
 * q computed apart so that log(1 - F) keeps its accuracy in the upper tail.
 */
static void ks_ad(const double *p, const double *q, size_t n, double *d, double *a2)
{
    double dn = (double)n, dmax = 0, s = 0;
    for (size_t i = 0; i < n; i++) {
        double up = (double)(i + 1) / dn - p[i], down = p[i] - (double)i / dn;
        dmax = fmax(dmax, fmax(up, down));
        double lp = log(fmax(p[i], 1e-300));
        double lq = log(fmax(q[n - 1 - i], 1e-300));
        s += (2.0 * (double)i + 1.0) * (lp + lq);
    }
    *d = dmax;
    *a2 = -dn - s / dn;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int ccs_gof_stats(const double *u, size_t n, double *ks_d, double *ad_a2, const char **why)
{
    if (u == NULL || n == 0 || ks_d == NULL || ad_a2 == NULL)
        return set_why(why, "invalid argument", CCS_EINVAL);
    double *p = ccs_malloc(2 * n * sizeof *p);
    if (p == NULL)
        return set_why(why, "out of memory", CCS_ENOMEM);
    double *q = p + n;
    for (size_t i = 0; i < n; i++) {
        if (!(u[i] >= 0 && u[i] <= 1)) {
            free(p);
            return set_why(why, "cdf values must lie in [0, 1]", CCS_ERANGE);
        }
        p[i] = u[i];
    }
    qsort(p, n, sizeof *p, cmp_double);
    for (size_t i = 0; i < n; i++) {
        q[i] = fmax(1.0 - p[i], 0x1p-53);
        p[i] = fmin(p[i], 1.0 - 0x1p-53);
    }
    ks_ad(p, q, n, ks_d, ad_a2);
    free(p);
    return 0;
}

/* Statistics of sorted xs against fit; p and q are scratch of size n. */
static void fit_stats(const struct ccs_fit *fit, const double *xs, size_t n, double *p, double *q,
                      double *d, double *a2)
{
    for (size_t i = 0; i < n; i++) {
        p[i] = ccs_fit_cdf(fit, xs[i]);
        q[i] = ccs_fit_sf(fit, xs[i]);
    }
    ks_ad(p, q, n, d, a2);
}

/* Stream id of the bootstrap draws ("gof"), apart from the simulator's. */
#define GOF_STREAM 0x676f66u

int ccs_fit_gof(const struct ccs_fit *fit, const double *x, size_t n, unsigned n_boot,
                uint64_t seed, struct ccs_gof *out, const char **why)
{
    if (fit == NULL || x == NULL || out == NULL || !isfinite(fit->aic) ||
        (unsigned)fit->family >= CCS_FIT_FAMILY_COUNT)
        return set_why(why, "invalid argument", CCS_EINVAL);
    out->ks_d = out->ks_p = out->ad_a2 = out->ad_p = NAN;
    out->n_boot = n_boot;
    if (n < 2)
        return set_why(why, "fewer than 2 observations", CCS_ERANGE);
    for (size_t i = 0; i < n; i++)
        if (!(x[i] > 0) || !isfinite(x[i]))
            return set_why(why, "values must be positive and finite", CCS_ERANGE);
    double *xs = ccs_malloc(3 * n * sizeof *xs);
    if (xs == NULL)
        return set_why(why, "out of memory", CCS_ENOMEM);
    double *p = xs + n, *q = xs + 2 * n;
    memcpy(xs, x, n * sizeof *xs);
    qsort(xs, n, sizeof *xs, cmp_double);
    fit_stats(fit, xs, n, p, q, &out->ks_d, &out->ad_a2);
    if (n_boot == 0) {
        free(xs);
        return 0;
    }
    gsl_rng *r = ccs__rng_new(seed, 0, GOF_STREAM);
    if (r == NULL) {
        free(xs);
        return set_why(why, "out of memory", CCS_ENOMEM);
    }
    unsigned ge_d = 0, ge_a = 0;
    for (unsigned b = 0; b < n_boot; b++) {
        for (size_t i = 0; i < n; i++)
            xs[i] = ccs__fit_draw(fit, r);
        struct ccs_fit refit;
        int rc = ccs_fit_complete(fit->family, xs, n, &refit, NULL);
        if (rc == CCS_ENOMEM) {
            gsl_rng_free(r);
            free(xs);
            return set_why(why, "out of memory", CCS_ENOMEM);
        }
        if (rc != 0) {
            /* cannot tell: count it against the fit (conservative) */
            ge_d++;
            ge_a++;
            continue;
        }
        qsort(xs, n, sizeof *xs, cmp_double);
        double d, a2;
        fit_stats(&refit, xs, n, p, q, &d, &a2);
        ge_d += d >= out->ks_d;
        ge_a += a2 >= out->ad_a2;
    }
    gsl_rng_free(r);
    free(xs);
    out->ks_p = (1.0 + ge_d) / (1.0 + n_boot);
    out->ad_p = (1.0 + ge_a) / (1.0 + n_boot);
    return 0;
}

/* ---- Counts: over-dispersion and busyness -------------------------------- */

/* Day totals of one group: mean m, variance s2 (divisor D - 1), D days. */
struct group {
    int label;
    size_t days;
    double sum, m, s2;
};

/* The pivot at c^2 and the scaled chi-square a chi2_nu matched to it. */
struct pivot {
    double value, a, nu, slope;
};

/*
 * P(c2) = sum_g (D_g - 1) s_g^2 / sigma_g^2(m_g), sigma^2(m) = m + c2 m^2,
 * with m_g the observed mean standing in for M_g. Each term has mean
 * D_g - 1; its variance, by the delta method in (m_g, s_g^2), is
 *   (D-1)^2 [2 sigma^4/(D-1) + (k4 + b^2 k2 - 2 b k3) / D] / sigma^4,
 * b = d sigma^2 / dM = 1 + 2 c2 M, where k2, k3, k4 are the cumulants of
 * the negative binomial total (Poisson given a gamma factor): its factorial
 * cumulants are the gamma's, (r-1)! M^r c2^(r-1), so
 *   k2 = M + c2 M^2, k3 = M + 3 c2 M^2 + 2 c2^2 M^3,
 *   k4 = M + 7 c2 M^2 + 12 c2^2 M^3 + 6 c2^3 M^4.
 * The k4 term (heavy gamma tails) widens the interval; the k3 term (a
 * high mean comes with a high variance, which the plug-in m_g partly
 * absorbs) narrows it back. For Poisson counts (c2 = 0) the variance is
 * 2 (D-1), the plain chi-square.
 */
static struct pivot pivot_at(const struct group *g, size_t ng, double c2)
{
    struct pivot pv = {0, 0, 0, 0};
    double mean = 0, var = 0;
    for (size_t i = 0; i < ng; i++) {
        double m = g[i].m, days = (double)g[i].days, dm1 = days - 1.0;
        if (!(m > 0))
            continue;
        double m2 = m * m, s2 = m + c2 * m2, b = 1.0 + 2.0 * c2 * m;
        double k3 = m + 3 * c2 * m2 + 2 * c2 * c2 * m2 * m;
        double k4 = m + 7 * c2 * m2 + 12 * c2 * c2 * m2 * m + 6 * c2 * c2 * c2 * m2 * m2;
        pv.value += dm1 * g[i].s2 / s2;
        pv.slope -= dm1 * g[i].s2 * m2 / (s2 * s2);
        mean += dm1;
        var += dm1 * dm1 * (2.0 / dm1 + (k4 + b * b * s2 - 2.0 * b * k3) / (s2 * s2) / days);
    }
    pv.a = var / (2.0 * mean);
    pv.nu = 2.0 * mean * mean / var;
    return pv;
}

/* h(c2) = P(c2) - a chi2_nu quantile(prob): the bound solves h = 0. */
static double bound_gap(const struct group *g, size_t ng, double c2, double prob)
{
    struct pivot pv = pivot_at(g, ng, c2);
    return pv.value - pv.a * gsl_cdf_chisq_Pinv(prob, pv.nu);
}

/* The c2 where bound_gap changes sign, 0 when it is already <= 0 at 0. */
static double solve_bound(const struct group *g, size_t ng, double prob, double start)
{
    if (!(bound_gap(g, ng, 0.0, prob) > 0))
        return 0.0;
    double lo = 0.0, hi = fmax(start, 1e-6);
    for (int i = 0; i < 200 && bound_gap(g, ng, hi, prob) > 0; i++) {
        lo = hi;
        hi *= 2.0;
    }
    for (int i = 0; i < 200; i++) {
        double mid = 0.5 * (lo + hi);
        if (mid <= lo || mid >= hi)
            break;
        if (bound_gap(g, ng, mid, prob) > 0)
            lo = mid;
        else
            hi = mid;
    }
    return 0.5 * (lo + hi);
}

static int cmp_group(const void *a, const void *b)
{
    int x = ((const struct group *)a)->label, y = ((const struct group *)b)->label;
    return (x > y) - (x < y);
}

static size_t group_of(const struct group *g, size_t ng, int label)
{
    struct group key = {.label = label};
    const struct group *hit = bsearch(&key, g, ng, sizeof *g, cmp_group);
    return (size_t)(hit - g);
}

int ccs_dispersion(const double *counts, size_t n_days, size_t n_cells, const int *day_group,
                   struct ccs_dispersion *out, const char **why)
{
    if (counts == NULL || out == NULL || n_cells == 0)
        return set_why(why, "invalid argument", CCS_EINVAL);
    memset(out, 0, sizeof *out);
    out->chi2 = out->df = out->p = out->c2_raw = NAN;
    ccs__est_nan(&out->c2);
    ccs__est_nan(&out->cv);
    if (day_group != NULL)
        for (size_t d = 0; d < n_days; d++)
            if (day_group[d] < 0)
                return set_why(why, "invalid argument", CCS_EINVAL);
    for (size_t i = 0; i < n_days * n_cells; i++)
        if (!(counts[i] >= 0) || !isfinite(counts[i]) || counts[i] != floor(counts[i]))
            return set_why(why, "counts must be whole numbers >= 0", CCS_ERANGE);
    if (n_days < 2)
        return set_why(why, "fewer than 2 days", CCS_ERANGE);

    /* The groups, by label. */
    struct group *g = ccs_calloc(n_days, sizeof *g);
    if (g == NULL)
        return set_why(why, "out of memory", CCS_ENOMEM);
    size_t ng = 0;
    for (size_t d = 0; d < n_days; d++) {
        g[d].label = day_group ? day_group[d] : 0;
    }
    qsort(g, n_days, sizeof *g, cmp_group);
    for (size_t d = 0; d < n_days; d++)
        if (ng == 0 || g[ng - 1].label != g[d].label)
            g[ng++].label = g[d].label;
    memset(g + ng, 0, (n_days - ng) * sizeof *g);

    double *cell_sum = ccs_calloc(ng * n_cells, sizeof *cell_sum);
    if (cell_sum == NULL) {
        free(g);
        return set_why(why, "out of memory", CCS_ENOMEM);
    }
    double total = 0;
    for (size_t d = 0; d < n_days; d++) {
        size_t k = group_of(g, ng, day_group ? day_group[d] : 0);
        double day = 0;
        for (size_t c = 0; c < n_cells; c++) {
            cell_sum[k * n_cells + c] += counts[d * n_cells + c];
            day += counts[d * n_cells + c];
        }
        g[k].days++;
        g[k].sum += day;
        total += day;
    }
    int rc = 0;
    for (size_t k = 0; k < ng && rc == 0; k++)
        if (g[k].days < 2)
            rc = set_why(why, "fewer than 2 days", CCS_ERANGE);
    if (rc == 0 && !(total > 0))
        rc = set_why(why, "no arrivals", CCS_ERANGE);
    if (rc != 0) {
        free(cell_sum);
        free(g);
        return rc;
    }

    /* Second pass: the index of dispersion per cell, the totals' variance. */
    double chi2 = 0, df = 0;
    size_t used_cells = 0;
    for (size_t k = 0; k < ng; k++) {
        g[k].m = g[k].sum / (double)g[k].days;
        for (size_t c = 0; c < n_cells; c++)
            if (cell_sum[k * n_cells + c] > 0) {
                used_cells++;
                df += (double)g[k].days - 1.0;
            }
    }
    for (size_t d = 0; d < n_days; d++) {
        size_t k = group_of(g, ng, day_group ? day_group[d] : 0);
        double day = 0;
        for (size_t c = 0; c < n_cells; c++) {
            double m = cell_sum[k * n_cells + c] / (double)g[k].days, x = counts[d * n_cells + c];
            if (m > 0)
                chi2 += (x - m) * (x - m) / m;
            day += x;
        }
        g[k].s2 += (day - g[k].m) * (day - g[k].m);
    }
    free(cell_sum);
    double num = 0, den = 0;
    for (size_t k = 0; k < ng; k++) {
        double dm1 = (double)g[k].days - 1.0;
        g[k].s2 /= dm1;
        num += dm1 * (g[k].s2 - g[k].m);
        den += dm1 * (g[k].m * g[k].m - g[k].s2 / (double)g[k].days);
    }
    out->n_days = n_days;
    out->n_cells = used_cells;
    out->chi2 = chi2;
    out->df = df;
    out->p = gsl_cdf_chisq_Q(chi2, df);
    if (!(den > 0)) {
        free(g);
        return set_why(why, "the day totals vary too much for the moments to determine "
                            "busyness_cv",
                       CCS_ERANGE);
    }
    double c2 = fmax(num / den, 0.0);
    out->c2_raw = num / den;
    struct pivot pv = pivot_at(g, ng, c2);
    double se = sqrt(2.0 * pv.a * pv.a * pv.nu) / fabs(pv.slope); /* sd(P) / |dP/dc2| */
    out->c2.value = c2;
    out->c2.se = se;
    out->c2.lo = solve_bound(g, ng, 0.975, c2);
    out->c2.hi = solve_bound(g, ng, 0.025, fmax(c2, out->c2.lo));
    out->cv.value = sqrt(c2);
    out->cv.se = c2 > 0 ? se / (2.0 * sqrt(c2)) : NAN;
    out->cv.lo = sqrt(out->c2.lo);
    out->cv.hi = sqrt(out->c2.hi);
    free(g);
    return 0;
}

/* ---- Proportions --------------------------------------------------------- */

int ccs_wilson(double k, double n, struct ccs_est *out, const char **why)
{
    if (out == NULL)
        return set_why(why, "invalid argument", CCS_EINVAL);
    ccs__est_nan(out);
    if (!(n > 0) || !isfinite(n) || !(k >= 0) || !(k <= n))
        return set_why(why, "need 0 <= k <= n and n > 0", CCS_ERANGE);
    double p = k / n, z2 = CCS__Z95 * CCS__Z95;
    double centre = (p + z2 / (2 * n)) / (1 + z2 / n);
    double half = CCS__Z95 * sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n);
    out->value = p;
    out->se = sqrt(p * (1 - p) / n);
    /* the limits at k = 0 and k = n are 0 and 1 in exact arithmetic */
    out->lo = k == 0 ? 0.0 : fmax(centre - half, 0.0);
    out->hi = k == n ? 1.0 : fmin(centre + half, 1.0);
    return 0;
}
