/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * stats.h - streaming statistics: running mean/variance (Welford), Student-t
 * confidence intervals, and a log-linear histogram for quantiles of waits.
 * Memory never depends on the number of observations.
 */
#ifndef CCS_CORE_STATS_H
#define CCS_CORE_STATS_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* Running mean and variance; all zero is an empty accumulator. */
struct ccs_welford {
    double n, mean, m2;
};

static inline void ccs__welford_add(struct ccs_welford *w, double x)
{
    w->n += 1.0;
    double d = x - w->mean;
    w->mean += d / w->n;
    w->m2 += d * (x - w->mean);
}

/* Sample variance (n - 1 denominator); NaN when n < 2. */
double ccs__welford_var(const struct ccs_welford *w);

/*
 * Half-width of the two-sided Student-t confidence interval for the mean at
 * the given level (e.g. 0.95): t_{(1+level)/2, n-1} * s / sqrt(n).
 * NaN when n < 2.
 */
double ccs__welford_halfwidth(const struct ccs_welford *w, double level);

/* Student-t quantile t_{p, df} (GSL). */
double ccs__t_quantile(double p, double df);

/*
 * Log-linear histogram of non-negative values (seconds): exact zeros are
 * counted apart; positive values fall into 128 buckets per power of two
 * between 2^-10 and 2^24, i.e. within 0.4% of their true value. Buckets are
 * closed above, (edge(i), edge(i+1)], so a value equal to an edge (20 s is
 * one) counts as "<= that edge", as service levels define it. Values
 * outside the range are clamped into the first/last bucket.
 */
#define CCS_HIST_SUB_BITS 7
#define CCS_HIST_MIN_EXP (-10)
#define CCS_HIST_MAX_EXP 24
#define CCS_HIST_BUCKETS ((CCS_HIST_MAX_EXP - CCS_HIST_MIN_EXP) << CCS_HIST_SUB_BITS)

/*
 * The buckets are held sparsely, in chunks of CCS_HIST_CHUNK allocated on
 * first use (a queue line sees a few ranges of waits; a dense array was
 * 35 KB a line, 35 MB at 1,000 queues). Counts are the same as a dense
 * array's, so quantiles and merges are exact. All zero bytes is an empty
 * histogram; release it with ccs__hist_free.
 */
#define CCS_HIST_CHUNK_BITS 4
#define CCS_HIST_CHUNK (1u << CCS_HIST_CHUNK_BITS) /* 16 buckets, 128 bytes */
#define CCS_HIST_CHUNKS (CCS_HIST_BUCKETS >> CCS_HIST_CHUNK_BITS)

struct ccs_hist {
    uint64_t zeros;
    uint64_t total;               /* zeros included */
    uint64_t *pool;               /* chunks in the order first used */
    uint16_t n_used, cap;         /* chunks in pool: in use, room for */
    uint16_t at[CCS_HIST_CHUNKS]; /* chunk c is pool chunk at[c] - 1; 0: all zero */
};

_Static_assert(CCS_HIST_BUCKETS % CCS_HIST_CHUNK == 0, "whole chunks");
_Static_assert(CCS_HIST_CHUNKS < UINT16_MAX, "chunk numbers fit at[]");

/* Empty h, keeping its memory for reuse. */
static inline void ccs__hist_clear(struct ccs_hist *h)
{
    h->zeros = h->total = 0;
    h->n_used = 0;
    memset(h->at, 0, sizeof h->at);
}

/* Release h's chunks; h is then empty. */
void ccs__hist_free(struct ccs_hist *h);

/* Bucket of a positive value (clamped): the i with edge(i) < v <= edge(i+1). */
static inline size_t ccs__hist_bucket(double v)
{
    uint64_t bits;
    memcpy(&bits, &v, sizeof bits);
    /* For positive doubles the bit pattern is monotone, so bits - 1 is the
       next double below v: an edge then falls into the bucket beneath it. */
    int64_t key = (int64_t)((bits - 1) >> (52 - CCS_HIST_SUB_BITS));
    const int64_t lo = (int64_t)(CCS_HIST_MIN_EXP + 1023) << CCS_HIST_SUB_BITS;
    int64_t i = key - lo;
    if (i < 0)
        return 0;
    if (i >= CCS_HIST_BUCKETS)
        return CCS_HIST_BUCKETS - 1;
    return (size_t)i;
}

/* Allocate chunk c (zeroed) and return its counts, or NULL out of memory. */
uint64_t *ccs__hist_chunk_new(struct ccs_hist *h, size_t c);

/* Count of bucket i. */
static inline uint64_t ccs__hist_count(const struct ccs_hist *h, size_t i)
{
    unsigned k = h->at[i >> CCS_HIST_CHUNK_BITS];
    return k ? h->pool[(size_t)(k - 1) * CCS_HIST_CHUNK + (i & (CCS_HIST_CHUNK - 1))] : 0;
}

/* Add v; -1 (h unchanged) if a chunk could not be allocated. */
static inline int ccs__hist_add(struct ccs_hist *h, double v)
{
    if (v <= 0.0) {
        h->zeros++;
    } else {
        size_t i = ccs__hist_bucket(v), c = i >> CCS_HIST_CHUNK_BITS;
        unsigned k = h->at[c];
        uint64_t *b = k ? h->pool + (size_t)(k - 1) * CCS_HIST_CHUNK : ccs__hist_chunk_new(h, c);
        if (b == NULL)
            return -1;
        b[i & (CCS_HIST_CHUNK - 1)]++;
    }
    h->total++;
    return 0;
}

/* Lower edge of bucket i (its upper edge is the next one's lower edge). */
double ccs__hist_edge(size_t i);

/*
 * The q-quantile (0 <= q <= 1) by the nearest-rank rule, returned as the
 * midpoint of the bucket holding that rank (0 for the zeros). NaN when
 * empty.
 */
double ccs__hist_quantile(const struct ccs_hist *h, double q);

/* Fraction of values <= x (x on a bucket edge is exact). NaN when empty. */
double ccs__hist_cdf(const struct ccs_hist *h, double x);

/* Add all counts of src into dst; -1 out of memory (dst then holds part of
   src's counts). */
int ccs__hist_merge(struct ccs_hist *dst, const struct ccs_hist *src);

#endif
