/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * stats.c - Welford variance, Student-t intervals, histogram quantiles.
 */
#include "core/stats.h"

#include "ccs/mem.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>

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
    for (size_t c = 0; c < CCS_HIST_CHUNKS; c++) {
        if (h->at[c] == 0)
            continue; /* all zero */
        const uint64_t *b = h->pool + (size_t)(h->at[c] - 1) * CCS_HIST_CHUNK;
        for (size_t j = 0; j < CCS_HIST_CHUNK; j++) {
            seen += b[j];
            if (seen >= rank) {
                size_t i = c * CCS_HIST_CHUNK + j;
                return 0.5 * (ccs__hist_edge(i) + ccs__hist_edge(i + 1));
            }
        }
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
        below += ccs__hist_count(h, i);
    return (double)below / (double)h->total;
}

void ccs__hist_free(struct ccs_hist *h)
{
    free(h->pool);
    memset(h, 0, sizeof *h);
}

uint64_t *ccs__hist_chunk_new(struct ccs_hist *h, size_t c)
{
    if (h->n_used == h->cap) {
        /* doubling: a line seeing every range of waits ends at the dense
           array's size after a few copies */
        size_t cap = h->cap ? 2u * h->cap : 4u;
        if (cap > CCS_HIST_CHUNKS)
            cap = CCS_HIST_CHUNKS;
        uint64_t *p = ccs_realloc(h->pool, cap * CCS_HIST_CHUNK * sizeof *p);
        if (p == NULL)
            return NULL;
        h->pool = p;
        h->cap = (uint16_t)cap;
    }
    uint64_t *b = h->pool + (size_t)h->n_used * CCS_HIST_CHUNK;
    memset(b, 0, CCS_HIST_CHUNK * sizeof *b);
    h->at[c] = ++h->n_used;
    return b;
}

int ccs__hist_merge(struct ccs_hist *dst, const struct ccs_hist *src)
{
    /* only the chunks src has: dst holds memory only for the ranges of
       waits seen */
    for (size_t c = 0; c < CCS_HIST_CHUNKS; c++) {
        if (src->at[c] == 0)
            continue;
        const uint64_t *s = src->pool + (size_t)(src->at[c] - 1) * CCS_HIST_CHUNK;
        uint64_t *d = dst->at[c] ? dst->pool + (size_t)(dst->at[c] - 1) * CCS_HIST_CHUNK
                                 : ccs__hist_chunk_new(dst, c);
        if (d == NULL)
            return -1;
        for (size_t j = 0; j < CCS_HIST_CHUNK; j++)
            d[j] += s[j];
    }
    dst->zeros += src->zeros;
    dst->total += src->total;
    return 0;
}
