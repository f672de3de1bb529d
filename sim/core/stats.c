/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * stats.c - Welford variance, Student-t intervals, histogram quantiles.
 */
#include "core/stats.h"

#include <gsl/gsl_cdf.h>
#include <math.h>

double ccs__welford_var(const struct ccs_welford *w)
{
    if (w->n < 2)
        return NAN;
    return w->m2 / (w->n - 1.0);
}

double ccs__t_quantile(double p, double df)
{
    return gsl_cdf_tdist_Pinv(p, df);
}

double ccs__welford_halfwidth(const struct ccs_welford *w, double level)
{
    if (w->n < 2)
        return NAN;
    double var = ccs__welford_var(w);
    if (var <= 0)
        return 0.0;
    return ccs__t_quantile(0.5 + level / 2.0, w->n - 1.0) * sqrt(var / w->n);
}

double ccs__hist_edge(size_t i)
{
    int e = (int)(i >> CCS_HIST_SUB_BITS) + CCS_HIST_MIN_EXP;
    double frac = (double)(i & ((1u << CCS_HIST_SUB_BITS) - 1)) / (1u << CCS_HIST_SUB_BITS);
    return ldexp(1.0 + frac, e);
}

double ccs__hist_quantile(const struct ccs_hist *h, double q)
{
    if (h->total == 0)
        return NAN;
    if (q < 0)
        q = 0;
    if (q > 1)
        q = 1;
    /* nearest rank: the ceil(q n)-th smallest value, at least the first */
    uint64_t rank = (uint64_t)ceil(q * (double)h->total);
    if (rank < 1)
        rank = 1;
    if (rank <= h->zeros)
        return 0.0;
    uint64_t seen = h->zeros;
    for (size_t i = 0; i < CCS_HIST_BUCKETS; i++) {
        seen += h->b[i];
        if (seen >= rank)
            return 0.5 * (ccs__hist_edge(i) + ccs__hist_edge(i + 1));
    }
    return ccs__hist_edge(CCS_HIST_BUCKETS);
}

double ccs__hist_cdf(const struct ccs_hist *h, double x)
{
    if (h->total == 0)
        return NAN;
    if (x < 0)
        return 0.0;
    uint64_t below = h->zeros;
    for (size_t i = 0; i < CCS_HIST_BUCKETS && ccs__hist_edge(i + 1) <= x; i++)
        below += h->b[i];
    return (double)below / (double)h->total;
}

void ccs__hist_merge(struct ccs_hist *dst, const struct ccs_hist *src)
{
    dst->zeros += src->zeros;
    dst->total += src->total;
    /* only the buckets src has: dst's other pages are never written, so a
       histogram in fresh zeroed memory (the summary's, one per queue) costs
       resident memory only for the range of waits seen (35 KB a queue
       otherwise: 35 MB at 1,000 queues) */
    for (size_t i = 0; i < CCS_HIST_BUCKETS; i++)
        if (src->b[i] != 0)
            dst->b[i] += src->b[i];
}
