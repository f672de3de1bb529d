/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * special.c - the counting law behind Erlang waiting times (Poisson /
 * negative binomial) with Loader's saddle-point log-pmf, its tails summed
 * from the small side, and harmonic sums by Euler-Maclaurin (see special.h).
 */
#include "analytic/special.h"

#include <gsl/gsl_sf_log.h>
#include <math.h>

#define LN_2PI 1.837877066409345483560659472811 /* log(2 pi) */
#define LN_SQRT_2PI 0.918938533204672741780329736406

/* Relative size below which a remaining tail is dropped from a sum. */
#define TAIL_EPS 1e-18

void ccs__count_law_init(struct ccs__count_law *law, double A, double theta, double t, int shift)
{
    double a = A + shift * theta;
    /*
     * Below theta t ~ 1e-200 the negative binomial equals the Poisson law
     * to far below double precision, and q would lose precision.
     */
    if (theta == 0.0 || theta * t < 1e-200) {
        law->poisson = 1;
        law->m1 = a * t;
        law->q = 0.0;
        law->x0 = 1.0;
        law->size = INFINITY;
        law->lx0 = 0.0;
        return;
    }
    law->poisson = 0;
    law->size = a / theta;
    law->q = -expm1(-theta * t);
    law->x0 = exp(-theta * t);
    law->lx0 = -theta * t;
    law->m1 = a * (law->q / theta);
}

double ccs__stirlerr(double n)
{
    static const double S0 = 1.0 / 12, S1 = 1.0 / 360, S2 = 1.0 / 1260, S3 = 1.0 / 1680,
                        S4 = 1.0 / 1188;
    if (n <= 15.0)
        return lgamma(n + 1.0) - (n + 0.5) * log(n) + n - LN_SQRT_2PI;
    double nn = n * n;
    if (n > 500)
        return (S0 - S1 / nn) / n;
    if (n > 80)
        return (S0 - (S1 - S2 / nn) / nn) / n;
    if (n > 35)
        return (S0 - (S1 - (S2 - S3 / nn) / nn) / nn) / n;
    return (S0 - (S1 - (S2 - (S3 - S4 / nn) / nn) / nn) / nn) / n;
}

/*
 * Loader's deviance term x log(x / np) + np - x, given d = x - np computed
 * accurately by the caller (it is a small difference of large numbers when
 * theta -> 0) and lnp = log(np) (np itself may underflow when theta t is
 * large). Series in v = d / (x + np) when the two are close.
 */
static double bd0(double x, double np, double d, double lnp)
{
    if (fabs(d) < 0.1 * (x + np)) {
        double v = d / (x + np);
        double s = d * v;
        double ej = 2.0 * x * v;
        double v2 = v * v;
        for (int j = 1; j < 1000; j++) {
            ej *= v2;
            double s1 = s + ej / (2 * j + 1);
            if (s1 == s)
                return s1;
            s = s1;
        }
        return s;
    }
    return x * (log(x) - lnp) - d;
}

double ccs__count_logpmf(const struct ccs__count_law *law, long i)
{
    if (i < 0)
        return -INFINITY;
    if (law->poisson) {
        double m = law->m1;
        if (i == 0)
            return -m;
        double x = (double)i;
        return -ccs__stirlerr(x) - bd0(x, m, x - m, log(m)) - 0.5 * (LN_2PI + log(x));
    }
    double s = law->size, x = (double)i;
    if (i == 0)
        return s * law->lx0; /* = -A t */
    /* R's dnbinom: (s / (s + i)) * dbinom_raw(s, s + i, x0, q). */
    double n = s + x;
    double d1 = law->m1 - x * law->x0; /* s - n x0, without cancellation */
    double nq = law->m1 + x * law->q;
    double lc = ccs__stirlerr(n) - ccs__stirlerr(s) - ccs__stirlerr(x) -
                bd0(s, n * law->x0, d1, log(n) + law->lx0) - bd0(x, nq, -d1, log(nq));
    double l1p = log1p(x / s);
    double lf = LN_2PI + log(x) - l1p;
    return -l1p + lc - 0.5 * lf;
}

double ccs__count_ratio(const struct ccs__count_law *law, long i)
{
    return (law->m1 + law->q * (double)i) / ((double)i + 1.0);
}

double ccs__count_mode(const struct ccs__count_law *law)
{
    if (law->poisson)
        return floor(law->m1);
    if (law->size <= 1.0)
        return 0.0;
    if (law->x0 <= 0.0)
        return 1e300;
    double md = floor((law->m1 - law->q) / law->x0);
    return md > 0 ? md : 0.0;
}

/*
 * Long walks by ratios drift by an ulp per step: every 4096 steps the term
 * is recomputed from the log-pmf.
 */
#define REANCHOR_MASK 4095L

/* Kahan-compensated sum: these tails may add up millions of terms. */
struct ksum {
    double s, c;
};

static void ksum_add(struct ksum *k, double x)
{
    double y = x - k->c;
    double t = k->s + y;
    k->c = (t - k->s) - y;
    k->s = t;
}

/* P(N <= m): sum from m down, stopping once the rest is provably negligible. */
static double lower_sum(const struct ccs__count_law *law, long m)
{
    double ls = ccs__count_logpmf(law, m);
    if (!isfinite(ls))
        return 0.0;
    int log_concave = law->poisson || law->size >= 1.0;
    double term = 1.0;
    struct ksum sum = {1.0, 0.0};
    for (long i = m; i > 0; i--) {
        double down = 1.0 / ccs__count_ratio(law, i - 1); /* pmf(i-1) / pmf(i) */
        if (log_concave && down < 1.0 && term * down / (1.0 - down) <= TAIL_EPS * sum.s)
            break;
        term *= down;
        if (((i - 1) & REANCHOR_MASK) == 0)
            term = exp(ccs__count_logpmf(law, i - 1) - ls);
        ksum_add(&sum, term);
        if (term > 1e200) {
            term *= 1e-200;
            sum.s *= 1e-200;
            sum.c *= 1e-200;
            ls += 200.0 * M_LN10;
        }
    }
    return exp(ls + log(sum.s));
}

double ccs__count_upper_tail(const struct ccs__count_law *law, long m)
{
    if (ccs__count_mode(law) > (double)m) {
        double f = lower_sum(law, m);
        return f < 1.0 ? 1.0 - f : 0.0;
    }
    /*
     * Past the mode the terms fall; every later ratio is <= max(ratio, q).
     * With q near 1 the fall is too slow to sum: take the complement.
     */
    if (law->q > 1.0 - 1e-4) {
        double f = lower_sum(law, m);
        return f < 1.0 ? 1.0 - f : 0.0;
    }
    double ls = ccs__count_logpmf(law, m + 1);
    if (!isfinite(ls))
        return 0.0;
    double term = 1.0;
    struct ksum sum = {1.0, 0.0};
    long cap = 10000000L + 4 * m;
    for (long k = m + 1, steps = 0; steps < cap; k++, steps++) {
        double r = ccs__count_ratio(law, k);
        double bound = r > law->q ? r : law->q;
        if (bound < 1.0 && term * bound / (1.0 - bound) <= TAIL_EPS * sum.s)
            return exp(ls + log(sum.s));
        term *= r;
        if (((k + 1) & REANCHOR_MASK) == 0)
            term = exp(ccs__count_logpmf(law, k + 1) - ls);
        ksum_add(&sum, term);
    }
    /* Heavy tail (theta t large with A < theta): complement, absolute accuracy. */
    double f = lower_sum(law, m);
    return f < 1.0 ? 1.0 - f : 0.0;
}

/* Direct sums below this many terms; Euler-Maclaurin above. */
#define HARM_DIRECT 1000

/* Bernoulli numbers B2, B4, B6, B8 divided by their index 2p. */
static const double bern_over_2p[4] = {1.0 / 12, -1.0 / 120, 1.0 / 252, -1.0 / 240};

/*
 * Euler-Maclaurin corrections for f(x) = 1 / (A + theta x) on [a, b]:
 * sum_p B_2p / (2p)! (f^(2p-1)(b) - f^(2p-1)(a)). With theta / (A + theta a)
 * < 1e-3 the fourth term is ~1e-25 relative, so the series stops there.
 */
static double em_corrections(double theta, double Da, double Db)
{
    double c = 0.0, tp = theta; /* theta^(2p-1) */
    double ia2 = 1.0 / (Da * Da), ib2 = 1.0 / (Db * Db), ia = ia2, ib = ib2;
    for (int p = 0; p < 4; p++) {
        c -= bern_over_2p[p] * tp * (ib - ia);
        tp *= theta * theta;
        ia *= ia2;
        ib *= ib2;
    }
    return c;
}

double ccs__harmonic(double A, double theta, long m)
{
    if (theta == 0.0 || m <= 0)
        return m > 0 ? (double)m / A : 0.0;
    long direct = m <= 2 * HARM_DIRECT ? m : HARM_DIRECT;
    double s = 0.0;
    for (long k = direct; k >= 1; k--)
        s += 1.0 / (A + k * theta);
    if (direct == m)
        return s;
    double a = (double)(direct + 1), b = (double)m;
    double Da = A + theta * a, Db = A + theta * b;
    s += log1p(theta * (b - a) / Da) / theta + 0.5 * (1.0 / Da + 1.0 / Db) +
         em_corrections(theta, Da, Db);
    return s;
}

double ccs__harmonic_g(double A, double theta, long m)
{
    if (theta == 0.0 || m <= 0)
        return 0.0;
    long direct = m <= 2 * HARM_DIRECT ? m : HARM_DIRECT;
    double s = 0.0;
    for (long k = direct; k >= 1; k--)
        s += k * theta / (A + k * theta);
    if (direct == m)
        return s;
    /* g(x) = theta x / (A + theta x) = 1 - A f(x). */
    double a = (double)(direct + 1), b = (double)m;
    double Da = A + theta * a, Db = A + theta * b;
    double y = theta * (b - a) / Da;
    double integral = a * y - (A / theta) * gsl_sf_log_1plusx_mx(y);
    s += integral + 0.5 * (theta * a / Da + theta * b / Db) - A * em_corrections(theta, Da, Db);
    return s;
}
