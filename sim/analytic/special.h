/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * special.h - numerical building blocks of the exact queueing formulas:
 * the counting law behind the waiting-time distribution (Poisson or
 * negative binomial) with an accurate log-pmf, and harmonic-type sums.
 * Internal to the library (ccs__ names); exposed here for the unit tests.
 */
#ifndef CCS_ANALYTIC_SPECIAL_H
#define CCS_ANALYTIC_SPECIAL_H

/*
 * The number N(t) of events by time t of a pure-birth process with rates
 * A, A + theta, A + 2 theta, ... started at 0. For theta = 0 it is Poisson
 * with mean A t; for theta > 0 it is negative binomial with size A / theta
 * and success probability x0 = exp(-theta t). Parametrised so that theta ->
 * 0 is continuous: P(N = i + 1) / P(N = i) = (m1 + q i) / (i + 1).
 */
struct ccs__count_law {
    double m1;   /* size * q; A t when theta = 0 */
    double q;    /* 1 - exp(-theta t); 0 when theta = 0 */
    double x0;   /* exp(-theta t); 1 when theta = 0 */
    double lx0;  /* -theta t = log(x0), kept as x0 may underflow */
    double size; /* A / theta; ignored for the Poisson case */
    int poisson; /* nonzero when theta = 0 */
};

/*
 * The law for rates A + k theta, k = shift, shift + 1, ... observed over
 * [0, t]. Requires A > 0, theta >= 0, t > 0, shift >= 0.
 */
void ccs__count_law_init(struct ccs__count_law *law, double A, double theta, double t, int shift);

/* log P(N = i) for i >= 0, accurate to a few ulps of the pmf (Loader 2000). */
double ccs__count_logpmf(const struct ccs__count_law *law, long i);

/* P(N = i + 1) / P(N = i). */
double ccs__count_ratio(const struct ccs__count_law *law, long i);

/* The (smallest) mode of N; a large value (> 1e18) if N is astronomically spread. */
double ccs__count_mode(const struct ccs__count_law *law);

/*
 * P(N > m) for m >= 0, by summing positive pmf terms from the smaller side,
 * so the result has full relative accuracy except in degenerate heavy-tail
 * cases, where it still has absolute accuracy ~1e-16.
 */
double ccs__count_upper_tail(const struct ccs__count_law *law, long m);

/* Loader's Stirling-series remainder: lgamma(n + 1) - (n + 1/2) log n + n - log sqrt(2 pi). */
double ccs__stirlerr(double n);

/* sum_{k=1..m} 1 / (A + k theta), A > 0, theta >= 0, m >= 0; O(1) for large m. */
double ccs__harmonic(double A, double theta, long m);

/* sum_{k=1..m} k theta / (A + k theta), without cancellation; O(1) for large m. */
double ccs__harmonic_g(double A, double theta, long m);

#endif
