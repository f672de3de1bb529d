/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_stats.c - streaming statistics: Welford's running variance agrees
 * with the two-pass formula, Student-t half-widths match tables, and the
 * log-linear histogram gives quantiles within its stated resolution, counts
 * zeros apart, merges and clamps.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ccs/mem.h"
#include "core/rng.h"
#include "core/stats.h"

#include <math.h>
#include <stdlib.h>

static void test_welford_vs_two_pass(void **state)
{
    (void)state;
    gsl_rng *r = ccs__rng_new(1, 0, 0);
    enum { N = 100000 };
    double *x = malloc(N * sizeof *x);
    /* a large offset makes the naive sum-of-squares formula lose ~all its
       digits; Welford and two-pass must still agree */
    for (int i = 0; i < N; i++)
        x[i] = 1e9 + 100.0 * ccs__rng_u01(r) + ccs__rng_exp(r, 3.0);
    struct ccs_welford w = {0};
    for (int i = 0; i < N; i++)
        ccs__welford_add(&w, x[i]);
    /* two-pass reference; x - 1e9 is exact (Sterbenz), so summing the
       offsets keeps the reference mean accurate to ~1e-16 relative */
    double off = 0;
    for (int i = 0; i < N; i++)
        off += x[i] - 1e9;
    double mean = 1e9 + off / N;
    double ss = 0;
    for (int i = 0; i < N; i++)
        ss += (x[i] - mean) * (x[i] - mean);
    double var = ss / (N - 1);
    assert_true(w.n == N);
    /* ulp(1e9) is 1.2e-7, and each of Welford's N updates of the running
       mean rounds by up to half of it: update k's error survives with
       weight k/N, a random walk of sd ulp/sqrt(12) * sqrt(N/3) = 6.3e-6
       (measured over seeds: 1e-7 to 1.4e-5). Allow 5 sd, 3e-5: still
       3e-14 relative, where the naive formula loses all its digits */
    assert_true(fabs(w.mean - mean) < 3e-5);
    /* var ~ 100^2/12 + 9 = 842; agreement to 1e-6 relative */
    assert_true(var > 800 && var < 900);
    assert_true(fabs(ccs__welford_var(&w) - var) < 1e-6 * var);
    free(x);
    gsl_rng_free(r);
}

static void test_halfwidth(void **state)
{
    (void)state;
    /* 1..10: mean 5.5, s^2 = 55/6 */
    struct ccs_welford w = {0};
    for (int i = 1; i <= 10; i++)
        ccs__welford_add(&w, (double)i);
    assert_true(fabs(w.mean - 5.5) < 1e-12);
    assert_true(fabs(ccs__welford_var(&w) - 55.0 / 6.0) < 1e-12);
    /* t_{0.975, 9} = 2.262157 (tables, 7 digits) */
    double want = 2.262157 * sqrt(55.0 / 6.0) / sqrt(10.0);
    assert_true(fabs(ccs__welford_halfwidth(&w, 0.95) - want) < 1e-6 * want);
    assert_true(fabs(ccs__t_quantile(0.975, 9) - 2.262157) < 5e-7);
    /* 99%: t_{0.995, 9} = 3.249836 */
    want = 3.249836 * sqrt(55.0 / 6.0) / sqrt(10.0);
    assert_true(fabs(ccs__welford_halfwidth(&w, 0.99) - want) < 1e-6 * want);

    /* undefined below two observations */
    struct ccs_welford e = {0};
    assert_true(isnan(ccs__welford_var(&e)));
    assert_true(isnan(ccs__welford_halfwidth(&e, 0.95)));
    ccs__welford_add(&e, 3.0);
    assert_true(e.mean == 3.0);
    assert_true(isnan(ccs__welford_var(&e)));
    assert_true(isnan(ccs__welford_halfwidth(&e, 0.95)));
    /* constant data: zero width, not NaN */
    ccs__welford_add(&e, 3.0);
    assert_true(ccs__welford_var(&e) == 0.0);
    assert_true(ccs__welford_halfwidth(&e, 0.95) == 0.0);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Exact nearest-rank quantile of sorted data: the ceil(q n)-th smallest. */
static double exact_q(const double *sorted, size_t n, double q)
{
    size_t rank = (size_t)ceil(q * (double)n);
    if (rank < 1)
        rank = 1;
    return sorted[rank - 1];
}

static void test_hist_quantiles(void **state)
{
    (void)state;
    gsl_rng *r = ccs__rng_new(3, 0, 0);
    enum { N = 200000 };
    double *x = malloc(N * sizeof *x);
    struct ccs_hist *h = calloc(1, sizeof *h);
    ccs__hist_clear(h);
    assert_true(isnan(ccs__hist_quantile(h, 0.5)));
    for (int i = 0; i < N; i++) {
        x[i] = ccs__rng_exp(r, 30.0);
        ccs__hist_add(h, x[i]);
    }
    qsort(x, N, sizeof *x, cmp_double);
    assert_int_equal(h->total, N);
    assert_int_equal(h->zeros, 0);
    /*
     * A bucket spans a factor 1 + 1/128 and the quantile is its midpoint,
     * so the answer is within 1/256 = 0.39% of every value in that bucket,
     * the exact quantile included: 0.5% relative is the stated resolution
     * plus margin, with no sampling error (same data on both sides).
     */
    const double qs[] = {0.001, 0.01, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.999, 1.0};
    for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++) {
        double got = ccs__hist_quantile(h, qs[i]), want = exact_q(x, N, qs[i]);
        if (fabs(got - want) > 0.005 * want)
            fail_msg("q%g: histogram %g, exact %g", qs[i], got, want);
    }
    /* q = 0 is rank 1, the smallest value (here below 2^-10 s, so in the
       clamped first bucket) */
    assert_true(ccs__hist_quantile(h, 0.0) == ccs__hist_quantile(h, 1.0 / N));
    assert_true(ccs__hist_quantile(h, 0.0) < 0x1p-9);
    /* q outside [0, 1] is clamped */
    assert_true(ccs__hist_quantile(h, 1.5) == ccs__hist_quantile(h, 1.0));
    assert_true(ccs__hist_quantile(h, -1) == ccs__hist_quantile(h, 0.0));
    free(x);
    ccs__hist_free(h);
    free(h);
    gsl_rng_free(r);
}

static void test_hist_zeros(void **state)
{
    (void)state;
    struct ccs_hist *h = calloc(1, sizeof *h);
    ccs__hist_clear(h);
    /* 70 zeros (and negatives, which are zeros too), 30 positive */
    for (int i = 0; i < 65; i++)
        ccs__hist_add(h, 0.0);
    for (int i = 0; i < 5; i++)
        ccs__hist_add(h, -1e-9);
    for (int i = 1; i <= 30; i++)
        ccs__hist_add(h, 10.0 * i);
    assert_int_equal(h->zeros, 70);
    assert_int_equal(h->total, 100);
    uint64_t in_buckets = 0;
    for (size_t i = 0; i < CCS_HIST_BUCKETS; i++)
        in_buckets += ccs__hist_count(h, i);
    assert_int_equal(in_buckets, 30);
    /* the median and p70 are exactly 0; p71 is the first positive value */
    assert_true(ccs__hist_quantile(h, 0.5) == 0.0);
    assert_true(ccs__hist_quantile(h, 0.7) == 0.0);
    /* nearest rank rounds up: q n = 70.5 -> the 71st value, not the 70th */
    assert_true(fabs(ccs__hist_quantile(h, 0.705) - 10.0) < 0.005 * 10.0);
    assert_true(fabs(ccs__hist_quantile(h, 0.71) - 10.0) < 0.005 * 10.0);
    assert_true(fabs(ccs__hist_quantile(h, 1.0) - 300.0) < 0.005 * 300.0);
    ccs__hist_free(h);
    free(h);
}

static void test_hist_cdf(void **state)
{
    (void)state;
    struct ccs_hist *h = calloc(1, sizeof *h);
    ccs__hist_clear(h);
    assert_true(isnan(ccs__hist_cdf(h, 1.0)));
    /* 10 zeros, then 10 values each just above 1, 2, 4 and 8 (in the
       buckets right above those edges, so an off-by-one bucket shows) */
    for (int i = 0; i < 10; i++) {
        ccs__hist_add(h, 0.0);
        ccs__hist_add(h, 1.001);
        ccs__hist_add(h, 2.001);
        ccs__hist_add(h, 4.001);
        ccs__hist_add(h, 8.001);
    }
    assert_true(ccs__hist_cdf(h, -1.0) == 0.0);
    assert_true(ccs__hist_cdf(h, 0.0) == 0.2);
    /* x on bucket edges: exact */
    assert_true(ccs__hist_cdf(h, 1.0) == 0.2);
    assert_true(ccs__hist_cdf(h, 2.0) == 0.4);
    assert_true(ccs__hist_cdf(h, 4.0) == 0.6);
    assert_true(ccs__hist_cdf(h, 8.0) == 0.8);
    assert_true(ccs__hist_cdf(h, 9.0) == 1.0);
    assert_true(ccs__hist_cdf(h, 1e9) == 1.0);
    /* edges at 20 s (a common SLA threshold): 20 = 16 * (1 + 32/128) */
    assert_true(ccs__hist_edge((size_t)(4 - CCS_HIST_MIN_EXP) * 128 + 32) == 20.0);
    /* monotone in x */
    double last = 0;
    for (double x = 0.5; x < 20; x *= 1.01) {
        double c = ccs__hist_cdf(h, x);
        assert_true(c >= last);
        last = c;
    }
    ccs__hist_free(h);
    free(h);
}

/* A value exactly on a bucket edge must count as <= that edge. */
static void test_hist_cdf_value_on_edge(void **state)
{
    (void)state;
    struct ccs_hist *h = calloc(1, sizeof *h);
    ccs__hist_clear(h);
    for (int i = 0; i < 4; i++)
        ccs__hist_add(h, 20.0); /* e.g. waits of exactly the SLA threshold */
    ccs__hist_add(h, 20.05);    /* just above it, in the next bucket */
    ccs__hist_add(h, 25.0);
    assert_true(ccs__hist_cdf(h, 20.0) == 4.0 / 6.0);
    assert_true(ccs__hist_cdf(h, 1.0) == 0.0);
    ccs__hist_free(h);
    free(h);
}

/* a and b hold the same counts in every bucket (their chunks may be in
   different orders in memory) */
static void assert_same_counts(const struct ccs_hist *a, const struct ccs_hist *b)
{
    assert_int_equal(a->total, b->total);
    assert_int_equal(a->zeros, b->zeros);
    for (size_t i = 0; i < CCS_HIST_BUCKETS; i++)
        if (ccs__hist_count(a, i) != ccs__hist_count(b, i))
            fail_msg("bucket %zu: %llu vs %llu", i, (unsigned long long)ccs__hist_count(a, i),
                     (unsigned long long)ccs__hist_count(b, i));
}

static void test_hist_merge(void **state)
{
    (void)state;
    gsl_rng *r = ccs__rng_new(4, 0, 0);
    struct ccs_hist *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b),
                    *all = calloc(1, sizeof *all);
    for (int i = 0; i < 10000; i++) {
        double v = i % 5 == 0 ? 0.0 : ccs__rng_exp(r, 10.0);
        ccs__hist_add(i % 3 ? a : b, v);
        ccs__hist_add(all, v);
    }
    assert_int_equal(ccs__hist_merge(a, b), 0);
    assert_int_equal(a->total, 10000);
    assert_int_equal(a->zeros, all->zeros);
    assert_same_counts(a, all);
    /* b is unchanged by being merged from */
    assert_true(b->total > 3000 && b->total < 3500);
    /* merging an empty histogram changes nothing */
    ccs__hist_clear(b);
    assert_int_equal(ccs__hist_merge(a, b), 0);
    assert_same_counts(a, all);
    ccs__hist_free(a);
    ccs__hist_free(b);
    ccs__hist_free(all);
    free(a);
    free(b);
    free(all);
    gsl_rng_free(r);
}

/* The nearest-rank q-quantile as a dense array of every bucket gives it
   (the histogram before buckets were held in chunks): the midpoint of the
   bucket of the rank-th smallest value, found by sorting the sample. */
static double dense_quantile(const double *sorted, size_t n, double q)
{
    if (n == 0)
        return NAN;
    q = q < 0 ? 0 : q > 1 ? 1 : q;
    uint64_t rank = (uint64_t)ceil(q * (double)n);
    if (rank < 1)
        rank = 1;
    double v = sorted[rank - 1];
    if (v <= 0)
        return 0.0;
    size_t i = ccs__hist_bucket(v);
    return 0.5 * (ccs__hist_edge(i) + ccs__hist_edge(i + 1));
}

/*
 * Chunks allocated on first use must not change a quantile: against a
 * brute-force sort of the same sample, every quantile is the same double,
 * for a sample whose values arrive out of bucket order (so chunks sit in
 * the pool in another order than the buckets) and span a few ranges with
 * gaps between them, and the histogram holds only the chunks it needs.
 */
static void test_hist_sparse_quantiles(void **state)
{
    (void)state;
    gsl_rng *r = ccs__rng_new(5, 0, 0);
    enum { N = 3000 };
    double *x = malloc(N * sizeof *x);
    struct ccs_hist *h = calloc(1, sizeof *h);
    for (int i = 0; i < N; i++) {
        switch (i % 4) {
        case 0: x[i] = 0.0; break;                          /* answered at once */
        case 1: x[i] = 300.0 + ccs__rng_exp(r, 5.0); break; /* one narrow range */
        case 2: x[i] = ccs__rng_exp(r, 20.0); break;        /* a wide one */
        default: x[i] = 1e6 * (1 + ccs__rng_u01(r)); break; /* far away */
        }
        assert_int_equal(ccs__hist_add(h, x[i]), 0);
    }
    qsort(x, N, sizeof *x, cmp_double);
    for (int k = 0; k <= 1000; k++) {
        double q = k / 1000.0, got = ccs__hist_quantile(h, q), want = dense_quantile(x, N, q);
        if (got != want)
            fail_msg("q%g: chunked %.17g, dense %.17g", q, got, want);
    }
    /* the CDF at every bucket edge counts exactly the sample's values <= it */
    for (size_t i = 0, j = 0; i <= CCS_HIST_BUCKETS; i += 61) {
        double e = ccs__hist_edge(i);
        while (j < N && x[j] <= e)
            j++;
        if (i > 0 && e >= 0x1p-10 && ccs__hist_cdf(h, e) != (double)j / N)
            fail_msg("cdf(%g): %g, sample %g", e, ccs__hist_cdf(h, e), (double)j / N);
    }
    /* fewer chunks than the dense array's, and only those with counts */
    size_t nonempty = 0;
    for (size_t c = 0; c < CCS_HIST_CHUNKS; c++) {
        uint64_t n = 0;
        for (size_t j = 0; j < CCS_HIST_CHUNK; j++)
            n += ccs__hist_count(h, c * CCS_HIST_CHUNK + j);
        nonempty += n > 0;
    }
    assert_int_equal(h->n_used, nonempty);
    assert_true(h->n_used < CCS_HIST_CHUNKS / 2);
    /* clearing keeps the memory, empties the counts; refilling gives the same */
    ccs__hist_clear(h);
    assert_true(isnan(ccs__hist_quantile(h, 0.5)));
    for (int i = N - 1; i >= 0; i--) /* reverse order: another chunk order */
        ccs__hist_add(h, x[i]);
    for (int k = 0; k <= 100; k++)
        assert_true(ccs__hist_quantile(h, k / 100.0) == dense_quantile(x, N, k / 100.0));
    ccs__hist_free(h);
    free(h);
    free(x);
    gsl_rng_free(r);
}

/*
 * Two replications merged (as the summary pools each queue's waits): the
 * merged histogram's quantiles are those of the pooled sample, exactly,
 * whatever the order of merging, and merging into an empty histogram
 * copies. Chunks the first replication lacks are added by the merge.
 */
static void test_hist_merge_replications(void **state)
{
    (void)state;
    gsl_rng *r = ccs__rng_new(6, 0, 0);
    enum { N1 = 1500, N2 = 900 };
    double *x = malloc((N1 + N2) * sizeof *x);
    struct ccs_hist *rep1 = calloc(1, sizeof *rep1), *rep2 = calloc(1, sizeof *rep2),
                    *sum12 = calloc(1, sizeof *sum12), *sum21 = calloc(1, sizeof *sum21);
    for (int i = 0; i < N1 + N2; i++) {
        /* the second replication waits longer: ranges only it has */
        x[i] = i < N1 ? ccs__rng_exp(r, 15.0) : (i % 7 ? 100 + ccs__rng_exp(r, 200.0) : 0.0);
        ccs__hist_add(i < N1 ? rep1 : rep2, x[i]);
    }
    qsort(x, N1 + N2, sizeof *x, cmp_double);
    assert_int_equal(ccs__hist_merge(sum12, rep1), 0);
    assert_same_counts(sum12, rep1);
    assert_int_equal(ccs__hist_merge(sum12, rep2), 0);
    assert_int_equal(ccs__hist_merge(sum21, rep2), 0);
    assert_int_equal(ccs__hist_merge(sum21, rep1), 0);
    assert_same_counts(sum12, sum21);
    assert_int_equal(sum12->total, N1 + N2);
    for (int k = 0; k <= 1000; k++) {
        double q = k / 1000.0, want = dense_quantile(x, N1 + N2, q);
        if (ccs__hist_quantile(sum12, q) != want || ccs__hist_quantile(sum21, q) != want)
            fail_msg("q%g: %.17g / %.17g, pooled sample %.17g", q,
                     ccs__hist_quantile(sum12, q), ccs__hist_quantile(sum21, q), want);
    }
    struct ccs_hist *hs[] = {rep1, rep2, sum12, sum21};
    for (size_t i = 0; i < 4; i++) {
        ccs__hist_free(hs[i]);
        free(hs[i]);
    }
    free(x);
    gsl_rng_free(r);
}

/* Out of memory for a new chunk: the value is not counted, the histogram
   is unchanged and usable; a merge reports it. */
static void test_hist_oom(void **state)
{
    (void)state;
    struct ccs_hist *h = calloc(1, sizeof *h), *g = calloc(1, sizeof *g);
    ccs__hist_add(h, 1.0);
    ccs__hist_add(h, 0.0);
    ccs_mem_fail_at(1);
    assert_int_equal(ccs__hist_add(h, 1.0), 0); /* same chunk: no allocation */
    /* 4 chunks fit the first allocation: fill them, then fail the growth */
    ccs__hist_add(h, 2.0);
    ccs__hist_add(h, 4.0);
    ccs__hist_add(h, 8.0);
    assert_int_equal(ccs__hist_add(h, 1000.0), -1);
    ccs_mem_fail_at(0);
    assert_int_equal(h->total, 6);
    assert_int_equal(h->zeros, 1);
    assert_true(ccs__hist_quantile(h, 1.0) < 9);
    assert_int_equal(ccs__hist_add(h, 1000.0), 0);
    assert_int_equal(h->total, 7);
    ccs_mem_fail_at(1);
    assert_int_equal(ccs__hist_merge(g, h), -1);
    ccs_mem_fail_at(0);
    assert_int_equal(ccs__hist_merge(g, h), 0);
    ccs__hist_free(h);
    ccs__hist_free(g);
    free(h);
    free(g);
}

static void test_hist_clamp(void **state)
{
    (void)state;
    struct ccs_hist *h = calloc(1, sizeof *h);
    ccs__hist_clear(h);
    /* below 2^-10 s: first bucket; 2^24 s and above (and inf): last */
    ccs__hist_add(h, 1e-300);
    ccs__hist_add(h, 4.9e-324); /* the smallest subnormal */
    ccs__hist_add(h, 1e-5);
    ccs__hist_add(h, 1e300);
    ccs__hist_add(h, INFINITY);
    ccs__hist_add(h, 0x1p24);
    assert_int_equal(ccs__hist_count(h, 0), 3);
    assert_int_equal(ccs__hist_count(h, CCS_HIST_BUCKETS - 1), 3);
    assert_int_equal(h->total, 6);
    assert_int_equal(h->zeros, 0);
    assert_int_equal(ccs__hist_bucket(0x1p-10), 0);
    assert_int_equal(ccs__hist_bucket(0x1p24 * (1 - 0x1p-20)), CCS_HIST_BUCKETS - 1);
    /* quantiles stay finite and inside the range */
    double lo = ccs__hist_quantile(h, 0.0), hi = ccs__hist_quantile(h, 1.0);
    assert_true(lo > 0 && lo < 0x1p-9);
    assert_true(isfinite(hi) && hi <= 0x1p24);
    /* bucket edges: 128 per octave, contiguous */
    assert_true(ccs__hist_edge(0) == 0x1p-10);
    assert_true(ccs__hist_edge(128) == 0x1p-9);
    assert_true(ccs__hist_edge(CCS_HIST_BUCKETS) == 0x1p24);
    /* bucket i is (edge(i), edge(i+1)]: closed above, so that a value on
       an edge counts as <= it (test_hist_cdf_value_on_edge) */
    for (size_t i = 1; i < CCS_HIST_BUCKETS; i += 37) {
        assert_int_equal(ccs__hist_bucket(nextafter(ccs__hist_edge(i), INFINITY)), i);
        assert_int_equal(ccs__hist_bucket(ccs__hist_edge(i + 1)), i);
        assert_int_equal(ccs__hist_bucket(ccs__hist_edge(i)), i - 1);
    }
    ccs__hist_free(h);
    free(h);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_welford_vs_two_pass),
        cmocka_unit_test(test_halfwidth),
        cmocka_unit_test(test_hist_quantiles),
        cmocka_unit_test(test_hist_zeros),
        cmocka_unit_test(test_hist_cdf),
        cmocka_unit_test(test_hist_cdf_value_on_edge),
        cmocka_unit_test(test_hist_merge),
        cmocka_unit_test(test_hist_sparse_quantiles),
        cmocka_unit_test(test_hist_merge_replications),
        cmocka_unit_test(test_hist_oom),
        cmocka_unit_test(test_hist_clamp),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
