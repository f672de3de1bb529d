/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_rng.c - random streams: reproducible from (seed, replication,
 * stream), distinct when any of the three differs, independent of each
 * other; the xoshiro256+ GSL type draws uniforms on [0, 1) with the right
 * moments and works with GSL's own samplers; the ziggurat exponential has
 * sound tables, pinned values, the exponential law (chi-square, KS, moments,
 * tail) and takes one 64-bit output for most draws.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/rng.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { SEQ = 64 };

static void draw(gsl_rng *r, double *out, size_t n)
{
    for (size_t i = 0; i < n; i++)
        out[i] = ccs__rng_u01(r);
}

static void seq_of(uint64_t seed, uint64_t rep, uint64_t stream, double *out)
{
    gsl_rng *r = ccs__rng_new(seed, rep, stream);
    assert_non_null(r);
    draw(r, out, SEQ);
    gsl_rng_free(r);
}

/* Number of positions where two sequences agree exactly. For independent
   53-bit uniforms a single coincidence has probability ~2^-53. */
static int agreements(const double *a, const double *b)
{
    int n = 0;
    for (size_t i = 0; i < SEQ; i++)
        n += a[i] == b[i];
    return n;
}

static void test_reproducible(void **state)
{
    (void)state;
    double a[SEQ], b[SEQ];
    seq_of(12345, 3, 77, a);
    seq_of(12345, 3, 77, b);
    assert_memory_equal(a, b, sizeof a);
    /* xoshiro256+ seeded by splitmix64: the first draws, pinned from an
       independent implementation (53-bit values, so exact in a double) */
    assert_true(a[0] == 0x15d93ff0f823d0p-53);
    assert_true(a[1] == 0x878e6a4f748f5p-53);
    assert_true(a[2] == 0x12245702840616p-53);
    /* not a constant sequence */
    int distinct = 0;
    for (size_t i = 1; i < SEQ; i++)
        distinct += a[i] != a[i - 1];
    assert_int_equal(distinct, SEQ - 1);
    /* the GSL name is ours */
    gsl_rng *r = ccs__rng_new(1, 0, 0);
    assert_string_equal(gsl_rng_name(r), "ccs-xoshiro256+");
    assert_ptr_equal(r->type, ccs__rng_xoshiro256p);
    gsl_rng_free(r);
}

static void test_distinct(void **state)
{
    (void)state;
    double base[SEQ], other[SEQ];
    seq_of(12345, 3, 77, base);
    /* any one coordinate changed, including by one and including zero */
    const uint64_t variants[][3] = {
        {12346, 3, 77}, {0, 3, 77}, {12345, 4, 77}, {12345, 0, 77}, {12345, 3, 78},
        {12345, 3, 0},  {3, 12345, 77}, /* seed and rep swapped */
        {12345, 77, 3},                 /* rep and stream swapped */
    };
    for (size_t v = 0; v < sizeof variants / sizeof variants[0]; v++) {
        seq_of(variants[v][0], variants[v][1], variants[v][2], other);
        assert_int_equal(agreements(base, other), 0);
    }
    /* the seeds themselves differ too */
    assert_true(ccs__stream_seed(1, 0, 0) != ccs__stream_seed(0, 1, 0));
    assert_true(ccs__stream_seed(1, 0, 0) != ccs__stream_seed(0, 0, 1));
    assert_true(ccs__stream_seed(0, 1, 0) != ccs__stream_seed(0, 0, 1));
    /* a sweep's worth of (rep, stream) pairs: no 64-bit seed collisions */
    enum { R = 64, S = 64 };
    static uint64_t seeds[R * S];
    for (uint64_t r = 0; r < R; r++)
        for (uint64_t s = 0; s < S; s++)
            seeds[r * S + s] = ccs__stream_seed(42, r, s);
    for (size_t i = 0; i < R * S; i++)
        for (size_t j = i + 1; j < R * S; j++)
            assert_true(seeds[i] != seeds[j]);
}

static void test_stream_id(void **state)
{
    (void)state;
    /* stable: same strings, same id, also from different buffers */
    char p[] = "arrivals", n[] = "sales";
    assert_true(ccs__stream_id("arrivals", "sales") == ccs__stream_id(p, n));
    /* stable across builds and machines: values pinned from an independent
       (Python) implementation of FNV-1a + splitmix64, so a change that would
       silently alter every published fixed-seed result fails here */
    assert_true(ccs__hash_str("") == ccs__mix64(0xcbf29ce484222325ULL));
    assert_true(ccs__stream_id("arrivals", "sales") == 0x4e3455098e847fb2ULL);
    assert_true(ccs__stream_seed(12345, 3, 77) == 0x7fcb6c4f24eed493ULL);
    /* different purposes, names, and swapped roles differ */
    const char *const purposes[] = {"arrivals", "segment", "work", "wrap", "patience", "routing"};
    const char *const names[] = {"sales", "support", "q0", "q1", "", "salesx"};
    uint64_t ids[36];
    for (size_t i = 0; i < 6; i++)
        for (size_t j = 0; j < 6; j++)
            ids[i * 6 + j] = ccs__stream_id(purposes[i], names[j]);
    for (size_t i = 0; i < 36; i++)
        for (size_t j = i + 1; j < 36; j++)
            assert_true(ids[i] != ids[j]);
    assert_true(ccs__stream_id("a", "b") != ccs__stream_id("b", "a"));
    assert_true(ccs__stream_id("ab", "") != ccs__stream_id("a", "b"));
}

static void test_u01_range_and_moments(void **state)
{
    (void)state;
    gsl_rng *r = ccs__rng_new(7, 0, 1);
    enum { N = 1000000 };
    double sum = 0, sum2 = 0, lo = 1, hi = 0;
    for (int i = 0; i < N; i++) {
        double u = ccs__rng_u01(r);
        assert_true(u >= 0.0 && u < 1.0);
        sum += u;
        sum2 += u * u;
        lo = u < lo ? u : lo;
        hi = u > hi ? u : hi;
    }
    double mean = sum / N, var = sum2 / N - mean * mean;
    /*
     * U(0,1): mean 1/2 with sd sqrt(1/12/N) = 2.9e-4; variance 1/12 with sd
     * sqrt((1/80 - 1/144)/N) = 7.5e-5. Tolerances are 5 standard errors.
     */
    assert_true(fabs(mean - 0.5) < 5 * sqrt(1.0 / 12.0 / N));
    assert_true(fabs(var - 1.0 / 12.0) < 5 * sqrt((1.0 / 80 - 1.0 / 144) / N));
    /* the extremes of 1e6 uniforms are within ~1e-5 of the ends */
    assert_true(lo < 1e-4 && hi > 1 - 1e-4);
    /* the generic GSL path (gsl_rng_uniform) gives the same stream */
    gsl_rng *a = ccs__rng_new(9, 1, 2), *b = ccs__rng_new(9, 1, 2);
    for (int i = 0; i < 1000; i++)
        assert_true(ccs__rng_u01(a) == gsl_rng_uniform(b));
    /* gsl_rng_get: 32-bit integers within the declared range */
    assert_true(gsl_rng_max(a) == 0xffffffffUL && gsl_rng_min(a) == 0);
    unsigned long top = 0;
    for (int i = 0; i < 10000; i++) {
        unsigned long x = gsl_rng_get(a);
        assert_true(x <= 0xffffffffUL);
        top = x > top ? x : top;
    }
    assert_true(top > 0xff000000UL); /* the high bits are used */
    gsl_rng_free(a);
    gsl_rng_free(b);
    gsl_rng_free(r);
}

static void test_gsl_samplers(void **state)
{
    (void)state;
    gsl_rng *r = ccs__rng_new(2024, 0, 5);
    enum { N = 200000 };
    /* gsl_ran_gaussian(sigma = 2): mean 0 (se 2/sqrt(N)), variance 4 (se
       4*sqrt(2/N)); 5 standard errors */
    double s = 0, s2 = 0;
    for (int i = 0; i < N; i++) {
        double x = gsl_ran_gaussian(r, 2.0);
        s += x;
        s2 += x * x;
    }
    double m = s / N, v = s2 / N - m * m;
    assert_true(fabs(m) < 5 * 2.0 / sqrt(N));
    assert_true(fabs(v - 4.0) < 5 * 4.0 * sqrt(2.0 / N));

    /* gsl_rng_uniform_int(10): every value in range, each cell's count
       within 5 binomial standard errors of N/10 */
    long count[10] = {0};
    for (int i = 0; i < N; i++) {
        unsigned long k = gsl_rng_uniform_int(r, 10);
        assert_true(k < 10);
        count[k]++;
    }
    double sd = sqrt(N * 0.1 * 0.9);
    for (int k = 0; k < 10; k++)
        assert_true(fabs((double)count[k] - N / 10.0) < 5 * sd);
    /* a range that needs the full 32 bits still stays in range */
    for (int i = 0; i < 1000; i++)
        assert_true(gsl_rng_uniform_int(r, 3000000000UL) < 3000000000UL);
    gsl_rng_free(r);
}

static void test_exp_mean(void **state)
{
    (void)state;
    gsl_rng *r = ccs__rng_new(99, 2, 3);
    enum { N = 200000 };
    const double mean = 180.0; /* a MEAN, not a rate */
    double s = 0, s2 = 0;
    for (int i = 0; i < N; i++) {
        double x = ccs__rng_exp(r, mean);
        assert_true(x >= 0 && isfinite(x));
        s += x;
        s2 += x * x;
    }
    double m = s / N, sd = sqrt(s2 / N - m * m);
    /* exponential: sd = mean, so se of the mean is mean/sqrt(N); 5 se.
       A rate/mean mix-up would be off by a factor of 180^2. */
    assert_true(fabs(m - mean) < 5 * mean / sqrt(N));
    /* cv of an exponential is 1. se of the sample sd is
       sqrt(mu4 - sigma^4) / (2 sigma sqrt(N)) = sqrt(9 - 1) mean / (2 sqrt(N))
       = mean sqrt(2/N); 5 se */
    assert_true(fabs(sd / mean - 1.0) < 5 * sqrt(2.0 / N));
    gsl_rng_free(r);
}

/*
 * The ziggurat tables, checked against their definition in long double
 * (independently of scripts/gen-zigexp.py): strips of equal area v, the
 * edges x_i increasing up to r, f = exp(-x) at the edges, fast-accept
 * bounds k[i] = floor(2^53 x_{i-1} / x_i).
 */
static void test_zigexp_tables(void **state)
{
    (void)state;
    const long double two53 = 9007199254740992.0L;
    const long double r = ccs__zigexp_r, v = (r + 1) * expl(-r);
    assert_true(fabsl(r - 7.69711747013104972L) < 1e-15L);
    assert_true(ccs__zigexp_f[0] == 1.0);
    assert_true((long double)ccs__zigexp_w[255] * two53 == r);
    assert_int_equal(ccs__zigexp_k[1], 0); /* the top strip has no inner rectangle */
    long double worst_area = 0, worst_f = 0;
    for (int i = 1; i < 256; i++) {
        long double x = (long double)ccs__zigexp_w[i] * two53;
        long double xprev = i > 1 ? (long double)ccs__zigexp_w[i - 1] * two53 : 0.0L;
        assert_true(x > xprev);
        long double fe = expl(-x);
        long double ferr = fabsl((long double)ccs__zigexp_f[i] - fe) / fe;
        worst_f = ferr > worst_f ? ferr : worst_f;
        /* strip i: [0, x_i] x [f(x_i), f(x_{i-1})] */
        long double area = x * (expl(-xprev) - fe);
        long double aerr = fabsl(area - v) / v;
        worst_area = aerr > worst_area ? aerr : worst_area;
        long double k = floorl(xprev / x * two53);
        assert_true(fabsl((long double)ccs__zigexp_k[i] - k) <= 2.0L);
    }
    /* the base strip: a rectangle of height f(r) and width q = v / f(r)
       stands for [0, r] x [0, f(r)] plus the tail */
    long double q = (long double)ccs__zigexp_w[0] * two53;
    assert_true(fabsl(q * expl(-r) - v) / v < 1e-14L);
    assert_true(fabsl((long double)ccs__zigexp_k[0] - floorl(r / q * two53)) <= 2.0L);
    assert_true(worst_f < 1e-15L);
    assert_true(worst_area < 1e-13L);
}

/*
 * Fixed-seed values, pinned from an independent (Python) implementation of
 * xoshiro256+ and the ziggurat over the same tables: a change of method,
 * table or bit use would silently alter every published fixed-seed result.
 * The second stream's first draws include slow-path ones.
 */
static void test_exp_pinned(void **state)
{
    (void)state;
    gsl_rng *r = ccs__rng_new(12345, 3, 77);
    const double a[] = {0x1.d8e4c906bad47p+0, 0x1.873b0d69487e1p-1, 0x1.06f49b3ac07a0p-2,
                        0x1.372d48466d57fp+0, 0x1.455c224227123p+1, 0x1.aa2d66d0027b7p-2};
    for (size_t i = 0; i < sizeof a / sizeof a[0]; i++)
        assert_true(ccs__rng_exp1(r) == a[i]);
    gsl_rng_free(r);
    r = ccs__rng_new(12345, 3, 21);
    const double b[] = {0x1.3c407fdde8d3ap-3, 0x1.6d229e5bcfff5p-4, 0x1.3048a3d6bb166p-2,
                        0x1.b69d8c675b4a4p+0};
    for (size_t i = 0; i < sizeof b / sizeof b[0]; i++)
        assert_true(ccs__rng_exp1(r) == b[i]);
    /* the mean scales the standard variate */
    gsl_rng_free(r);
    r = ccs__rng_new(12345, 3, 77);
    assert_true(ccs__rng_exp(r, 60.0) == 60.0 * a[0]);
    gsl_rng_free(r);
}

static int cmp_double(const void *x, const void *y)
{
    double a = *(const double *)x, b = *(const double *)y;
    return (a > b) - (a < b);
}

/*
 * The law of 1e6 fixed-seed draws: chi-square on 1000 equiprobable cells,
 * Kolmogorov-Smirnov, mean and variance; each bound is one a correct
 * generator fails with probability about 1e-5 or less. And the tail, from
 * 1e7 draws: counts beyond r (where the tail path starts), 10 and 12, and
 * the mean excess beyond 10 (memorylessness of the tail path).
 */
static void test_exp_distribution(void **state)
{
    (void)state;
    enum { N = 1000000, CELLS = 1000 };
    gsl_rng *r = ccs__rng_new(2000, 0, 14);
    double *x = malloc(N * sizeof *x);
    assert_non_null(x);
    static long cell[CELLS];
    memset(cell, 0, sizeof cell);
    double s = 0, s2 = 0;
    for (int i = 0; i < N; i++) {
        x[i] = ccs__rng_exp1(r);
        assert_true(x[i] >= 0 && isfinite(x[i]));
        s += x[i];
        s2 += x[i] * x[i];
        int c = (int)(-expm1(-x[i]) * CELLS); /* F(x) = 1 - exp(-x) */
        cell[c < CELLS ? c : CELLS - 1]++;
    }
    double chi2 = 0, e = (double)N / CELLS;
    for (int c = 0; c < CELLS; c++)
        chi2 += ((double)cell[c] - e) * ((double)cell[c] - e) / e;
    assert_true(chi2 < gsl_cdf_chisq_Qinv(1e-5, CELLS - 1));
    assert_true(chi2 > gsl_cdf_chisq_Pinv(1e-5, CELLS - 1)); /* not too good either */
    qsort(x, N, sizeof *x, cmp_double);
    double d = 0;
    for (int i = 0; i < N; i++) {
        double f = -expm1(-x[i]);
        double lo = f - (double)i / N, hi = (double)(i + 1) / N - f;
        d = lo > d ? lo : d;
        d = hi > d ? hi : d;
    }
    /* KS: P(sqrt(N) D > 2.3) is about 1e-4.6 */
    assert_true(sqrt((double)N) * d < 2.3);
    /* mean 1 (se 1/sqrt(N)); variance 1 (se sqrt((mu4 - 1)/N) = sqrt(8/N)); 5 se */
    double m = s / N, var = s2 / N - m * m;
    assert_true(fabs(m - 1.0) < 5 / sqrt((double)N));
    assert_true(fabs(var - 1.0) < 5 * sqrt(8.0 / N));
    free(x);

    enum { T = 10000000 };
    long beyond_r = 0, beyond10 = 0, beyond12 = 0;
    double excess10 = 0;
    for (int i = 0; i < T; i++) {
        double y = ccs__rng_exp1(r);
        beyond_r += y > ccs__zigexp_r;
        if (y > 10) {
            beyond10++;
            excess10 += y - 10;
        }
        beyond12 += y > 12;
    }
    /* Poisson counts: within 5 sd of T exp(-a) */
    const double a[] = {ccs__zigexp_r, 10, 12};
    const long got[] = {beyond_r, beyond10, beyond12};
    for (int i = 0; i < 3; i++) {
        double mu = T * exp(-a[i]);
        assert_true(fabs((double)got[i] - mu) < 5 * sqrt(mu));
    }
    /* excess beyond 10 is Exp(1): mean 1, se 1/sqrt(454) */
    assert_true(fabs(excess10 / (double)beyond10 - 1.0) < 5 / sqrt((double)beyond10));
    gsl_rng_free(r);
}

/*
 * One 64-bit output decides most draws (the fast path): a draw that moved
 * the state by exactly one step took the fast path. Expected share: the
 * mean of k[i] / 2^53 over the strips (97.8%); 5 binomial se.
 */
static void test_exp_one_output(void **state)
{
    (void)state;
    enum { N = 200000 };
    gsl_rng *r = ccs__rng_new(31, 4, 1);
    struct ccs__xoshiro_state *st = r->state;
    long fast = 0;
    for (int i = 0; i < N; i++) {
        struct ccs__xoshiro_state one = *st;
        (void)ccs__xoshiro_next(one.s);
        (void)ccs__rng_exp1(r);
        fast += memcmp(&one, st, sizeof one) == 0;
    }
    double p = 0;
    for (int i = 0; i < 256; i++)
        p += (double)ccs__zigexp_k[i] / 9007199254740992.0 / 256;
    assert_true(p > 0.977 && p < 0.979);
    assert_true(fabs((double)fast / N - p) < 5 * sqrt(p * (1 - p) / N));
    gsl_rng_free(r);
}

static void test_reseed(void **state)
{
    (void)state;
    double a[SEQ], b[SEQ];
    gsl_rng *r = ccs__rng_new(1, 1, 1);
    draw(r, a, 10); /* consume some state first */
    ccs__rng_reseed(r, 555, 6, 7);
    draw(r, a, SEQ);
    seq_of(555, 6, 7, b);
    assert_memory_equal(a, b, sizeof a);
    /* and reseeding back reproduces the original */
    ccs__rng_reseed(r, 1, 1, 1);
    draw(r, a, SEQ);
    seq_of(1, 1, 1, b);
    assert_memory_equal(a, b, sizeof a);
    gsl_rng_free(r);
}

static void test_streams_independent(void **state)
{
    (void)state;
    double ref[SEQ], got[SEQ];
    seq_of(8, 0, 2, ref);
    gsl_rng *x = ccs__rng_new(8, 0, 1), *y = ccs__rng_new(8, 0, 2);
    /* heavy use of x, also through GSL samplers, before and between y's draws */
    for (int i = 0; i < 10000; i++)
        (void)ccs__rng_u01(x);
    for (size_t i = 0; i < SEQ; i++) {
        got[i] = ccs__rng_u01(y);
        (void)gsl_ran_gaussian(x, 1.0);
        (void)gsl_rng_uniform_int(x, 17);
    }
    assert_memory_equal(ref, got, sizeof ref);
    gsl_rng_free(x);
    gsl_rng_free(y);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reproducible),
        cmocka_unit_test(test_distinct),
        cmocka_unit_test(test_stream_id),
        cmocka_unit_test(test_u01_range_and_moments),
        cmocka_unit_test(test_gsl_samplers),
        cmocka_unit_test(test_exp_mean),
        cmocka_unit_test(test_zigexp_tables),
        cmocka_unit_test(test_exp_pinned),
        cmocka_unit_test(test_exp_distribution),
        cmocka_unit_test(test_exp_one_output),
        cmocka_unit_test(test_reseed),
        cmocka_unit_test(test_streams_independent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
