/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * estimate.h - statistical estimators on data: maximum-likelihood fits of
 * duration distributions (complete, right-censored, left-truncated), the
 * Kaplan-Meier survival curve, over-dispersion of daily counts and binomial
 * shares. Arrays of doubles in, estimates out; no I/O, nothing specific to
 * contact centers. docs/estimate.md gives every definition and likelihood.
 *
 *   struct ccs_fit f;
 *   const char *why;
 *   if (ccs_fit_complete(CCS_FIT_GAMMA, aht, n, &f, &why) != 0) { puts(why); ... }
 *   printf("mean %g [%g, %g], cv %g\n", f.mean.value, f.mean.lo, f.mean.hi, f.cv.value);
 *
 * Conventions for every function here:
 *   - returns 0, CCS_EINVAL for a programming error (NULL pointer, unknown
 *     family, zero sizes where the contract forbids them), CCS_ERANGE for
 *     data that cannot be estimated from (documented per function),
 *     CCS_EUNSUPPORTED for a combination not offered, or CCS_ENOMEM;
 *   - `why`, when not NULL, receives a static lowercase explanation on
 *     error ("all values are equal"), ready to follow "error: ";
 *   - every interval is a two-sided 95% interval;
 *   - deterministic: the same input (and seed, where one is taken) gives
 *     bit-identical output;
 *   - GSL's error handler must be off (ccsim does it at start); GSL errors
 *     come back as CCS_E* codes.
 */
#ifndef CCS_ESTIMATE_H
#define CCS_ESTIMATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Distribution families, named as in scenarios (sim/model/dist.h). */
enum ccs_fit_family {
    CCS_FIT_EXPONENTIAL, /* par[0] = mean (par[1] unused: NaN) */
    CCS_FIT_GAMMA,       /* par[0] = shape k, par[1] = scale (mean = k scale) */
    CCS_FIT_LOGNORMAL,   /* par[0] = mu, par[1] = sigma: mean and sd of log x */
    CCS_FIT_WEIBULL,     /* par[0] = shape k, par[1] = scale: S(x) = exp(-(x/scale)^k) */
    CCS_FIT_FAMILY_COUNT
};

/* "exponential", "gamma", "lognormal", "weibull"; "?" when out of range. */
const char *ccs_fit_family_name(enum ccs_fit_family f);

/* Name of parameter i (0 or 1) of a family: "mean", "shape", "scale", "mu",
   "sigma"; NULL for a parameter the family does not have. */
const char *ccs_fit_param_name(enum ccs_fit_family f, int i);

/*
 * An estimate with its standard error and 95% confidence interval.
 * Quantities that must be positive (means, cvs, shapes, scales, sigma) get
 * intervals computed on the log scale, value * exp(-+1.96 se(log value)),
 * so they stay positive and are asymmetric like the likelihood; se is then
 * the delta-method standard error on the natural scale (value * se(log)).
 * A quantity fixed by the model (the cv of an exponential) has se 0 and
 * lo = hi = value.
 */
struct ccs_est {
    double value, se, lo, hi;
};

/*
 * A maximum-likelihood fit. Standard errors come from the observed
 * information (the Hessian of minus the log-likelihood at the maximum) in
 * the working parameters (log of each positive parameter; mu of the
 * lognormal as is), carried to other quantities by the delta method.
 */
struct ccs_fit {
    enum ccs_fit_family family;
    int n_par;         /* free parameters: 1 (exponential) or 2; AIC uses it */
    size_t n;          /* observations in the likelihood */
    size_t n_events;   /* of which observed exactly (not censored); = n for complete data */
    struct ccs_est par[2]; /* native parameters, see enum ccs_fit_family */
    struct ccs_est mean;   /* mean of the fitted law, in the data's unit */
    struct ccs_est cv;     /* coefficient of variation of the fitted law */
    double cov[2][2];  /* covariance matrix of the working parameters (NaN unused) */
    double loglik;     /* maximised log-likelihood (densities in the data's unit) */
    double aic;        /* -2 loglik + 2 n_par; NaN when the fit failed */
    /* Left truncation (censored fits with t0 > 0; zeros otherwise). */
    double t0;             /* the threshold: the fit is of patience given > t0 */
    size_t n_below;        /* observations with time <= t0, left out of the fit */
    size_t n_below_events; /* of which events (e.g. abandonments within t0) */
    double p_below;        /* Kaplan-Meier estimate of P(T <= t0) from all data */
};

/*
 * Fit a family to complete (uncensored) positive data x[0..n) by maximum
 * likelihood: exponential (mean = sample mean), gamma (shape by Newton on
 * log k - digamma(k) = log mean(x) - mean(log x), Minka's start),
 * lognormal (closed form, sigma with divisor n), Weibull (gsl_multimin BFGS
 * on log shape and log scale from a moment start, then Newton steps).
 *
 * Errors (out is then filled with NaN, family set, aic NaN):
 *   CCS_EINVAL  x or out NULL, unknown family;
 *   CCS_ERANGE  n < 2 ("fewer than 2 observations"); a value not finite or
 *               <= 0 ("values must be positive and finite"); for the
 *               two-parameter families, all values equal ("all values are
 *               equal": the shape would be infinite); the maximisation did
 *               not converge ("the maximum-likelihood fit did not converge",
 *               e.g. when the maximum lies at an infinite shape); the law
 *               that maximises the likelihood has a mean or cv beyond
 *               double range ("the fitted law is degenerate: its mean or
 *               cv is not finite", e.g. a lognormal sigma of 30).
 *   CCS_ENOMEM.
 */
int ccs_fit_complete(enum ccs_fit_family family, const double *x, size_t n,
                     struct ccs_fit *out, const char **why);

/*
 * Fit a family to right-censored, optionally left-truncated data: t[i] >= 0
 * is a time, event[i] true when it is the value itself (an abandoner after
 * waiting t: patience = t), false when the value is only known to exceed it
 * (served after waiting t: patience > t).
 *
 * With t0 > 0 the fit conditions on T > t0: observations with t <= t0
 * (events or censorings) are left out and counted in n_below (and
 * n_below_events); each remaining one contributes f(t)/S(t0) (event) or
 * S(t)/S(t0) (censored). p_below is the Kaplan-Meier estimate of
 * P(T <= t0) from all n observations. par, mean and cv are those of the
 * fitted (untruncated) law, which describes patience above t0. t0 = 0 is
 * the plain censored likelihood: prod f(t_i)^event_i S(t_i)^(1-event_i).
 *
 * Families: exponential (closed form: mean = sum(t - t0) / events, the
 * total time at risk above t0 per event), Weibull and lognormal (BFGS from
 * the exponential fit, then Newton steps). Gamma: CCS_EUNSUPPORTED.
 *
 * Errors (out filled with NaN as for ccs_fit_complete):
 *   CCS_EINVAL       t, event or out NULL, unknown family, t0 < 0 or not finite;
 *   CCS_EUNSUPPORTED gamma;
 *   CCS_ERANGE       a time negative or not finite ("times must be
 *                    non-negative and finite"); with t0 = 0 a time of 0 ("a
 *                    time of 0: fit above a threshold t0 > 0"); fewer than 2
 *                    observations above t0; no event above t0 ("no events
 *                    above t0: every observation is censored"); for Weibull
 *                    and lognormal fewer than 2 distinct event times above
 *                    t0 ("fewer than 2 distinct event times above t0"); no
 *                    convergence or a degenerate law (as ccs_fit_complete);
 *   CCS_ENOMEM.
 */
int ccs_fit_censored(enum ccs_fit_family family, const double *t, const bool *event, size_t n,
                     double t0, struct ccs_fit *out, const char **why);

/*
 * Fit every family (complete data) into fits[0..CCS_FIT_FAMILY_COUNT) and
 * set *best to the one with the lowest AIC (the first on a tie). A family
 * whose fit fails has aic NaN and is skipped. Returns CCS_ERANGE (why from
 * the exponential fit) when no family could be fitted; CCS_EINVAL for NULL.
 */
int ccs_fit_best(const double *x, size_t n, struct ccs_fit fits[CCS_FIT_FAMILY_COUNT],
                 enum ccs_fit_family *best, const char **why);

/* The same for censored data (ccs_fit_censored arguments); gamma is never
   fitted (its entry has aic NaN). */
int ccs_fit_censored_best(const double *t, const bool *event, size_t n, double t0,
                          struct ccs_fit fits[CCS_FIT_FAMILY_COUNT],
                          enum ccs_fit_family *best, const char **why);

/* The fitted law's cdf P(X <= x) and survival P(X > x), computed apart so
   that both keep full relative accuracy in their tails. NaN for a failed
   fit or NULL. */
double ccs_fit_cdf(const struct ccs_fit *fit, double x);
double ccs_fit_sf(const struct ccs_fit *fit, double x);

/* Goodness of fit of a complete-data fit. */
struct ccs_gof {
    double ks_d;     /* Kolmogorov-Smirnov D = sup |F_n(x) - F(x)| */
    double ks_p;     /* its p-value (parametric bootstrap, see ccs_fit_gof) */
    double ad_a2;    /* Anderson-Darling A^2 */
    double ad_p;     /* its p-value */
    unsigned n_boot; /* bootstrap samples behind the p-values */
};

/*
 * D and A^2 of the data x[0..n) against the fitted law, with p-values by
 * parametric bootstrap: the parameters were estimated from the same data,
 * which makes the classical Kolmogorov and Anderson-Darling tables far too
 * lenient (D is smaller than it would be against a fixed law), so instead
 * n_boot samples of size n are drawn from the fitted law, the same family
 * is refitted to each by ccs_fit_complete, and
 *     p = (1 + #{bootstrap statistic >= observed}) / (n_boot + 1),
 * which is exact in the limit n_boot -> infinity (Stute, Gonzalez Manteiga
 * and Presedo Quindimil 1993). A bootstrap sample whose refit fails counts
 * as exceeding (conservative). Draws come from ccsim's xoshiro256+ stream
 * seeded by `seed`. Cost: n_boot refits (n = 5000, n_boot = 199: about
 * 0.2 s for the exponential and lognormal, 0.4 s Weibull, 0.7 s gamma).
 * n_boot = 0 gives the statistics with p-values NaN.
 *
 * fit must come from ccs_fit_complete on these same x (the call refits
 * with fit->family). Errors: CCS_EINVAL (NULL, failed fit), CCS_ERANGE for
 * x as ccs_fit_complete, CCS_ENOMEM.
 */
int ccs_fit_gof(const struct ccs_fit *fit, const double *x, size_t n, unsigned n_boot,
                uint64_t seed, struct ccs_gof *out, const char **why);

/*
 * The bare statistics from u[i] = F(x_i) (any order, each in [0, 1]), for a
 * law fixed in advance or checks by hand:
 *     D   = max_i max(i/n - u_(i), u_(i) - (i-1)/n),
 *     A^2 = -n - (1/n) sum_i (2i - 1) [log u_(i) + log(1 - u_(n+1-i))],
 * u_(1) <= ... <= u_(n); u is clamped to [1e-300, 1 - 2^-53] in A^2 so a
 * value of exactly 0 or 1 gives a large finite A^2. Errors: CCS_EINVAL
 * (NULL, n = 0), CCS_ERANGE (a u outside [0, 1] or NaN), CCS_ENOMEM.
 */
int ccs_gof_stats(const double *u, size_t n, double *ks_d, double *ad_a2, const char **why);

/* ---- Kaplan-Meier -------------------------------------------------------- */

/* One distinct event time of a Kaplan-Meier curve. */
struct ccs_km_row {
    double t;        /* event time */
    size_t n_risk;   /* at risk just before t: times >= t (censorings at t included) */
    size_t n_event;  /* events at t */
    size_t n_censor; /* censorings in [t, next event time): they leave after t */
    double surv;     /* S(t) = prod over event times s <= t of (1 - d_s / n_s) */
    double gw;       /* Greenwood sum: sum over s <= t of d_s / (n_s (n_s - d_s)); inf once S = 0 */
    double var;      /* Greenwood variance of S(t): surv^2 gw (0 where S = 0) */
    double lo, hi;   /* pointwise 95% band, log-log transform; NaN where S = 0 */
};

/*
 * The tail beyond the last event time, for simulation: patience is known
 * up to the last abandonment, and beyond it the curve only says "more
 * than". The mass left there, S(last event), is given an exponential tail
 * whose mean is the censored exponential MLE over a window at the end of
 * the data (total time at risk beyond `window` per event beyond it),
 * because a constant hazard is what the last stretch of observations can
 * support, and it neither drops nor piles that mass at one point (both of
 * which would make every simulated caller who waits longer abandon at
 * once, or never). The window starts at the largest event time with at
 * least max(10, ceil(d / 10)) events strictly after it (d events in all),
 * or at 0 when there are fewer events than that.
 */
struct ccs_km_tail {
    double start;  /* last event time: the exponential takes over here */
    double mass;   /* S(start): probability of the tail (0 when the last time is an event) */
    double mean;   /* mean of the exponential excess beyond start */
    double window; /* start of the window the mean was estimated on */
    size_t window_events; /* events after the window start */
    double window_exposure; /* sum over all times of max(0, t - window) */
};

struct ccs_km {
    size_t n;        /* observations */
    size_t n_events; /* events among them */
    double t_max;    /* largest time, event or censored */
    size_t n_rows;   /* distinct event times */
    struct ccs_km_row *row; /* owned, by increasing t */
    struct ccs_km_tail tail; /* NaN fields when there is no event */
};

/*
 * Kaplan-Meier estimate from times t[i] >= 0 with event flags (as for
 * ccs_fit_censored). Ties: at equal times events come before censorings,
 * i.e. a caller censored at t was at risk of an event at t. The band is
 * S^exp(+-1.96 sqrt(gw) / log S) (Kalbfleisch and Prentice's log-log
 * transform, as R's survival with conf.type = "log-log"); [1, 1] is not
 * reported: rows exist only at event times, where S < 1.
 *
 * All censored is allowed (no rows, S = 1 up to t_max, tail NaN).
 * Errors: CCS_EINVAL (NULL), CCS_ERANGE for n = 0 ("no observations") or a
 * time negative or not finite, CCS_ENOMEM. Free with ccs_km_free.
 */
int ccs_km_new(const double *t, const bool *event, size_t n, struct ccs_km **out,
               const char **why);

/* NULL-safe. */
void ccs_km_free(struct ccs_km *km);

/*
 * S(t): 1 before the first event time, then the step function
 * (right-continuous). Beyond t_max: 0 if the curve reached 0, else NaN
 * (nothing is known there). NaN for NULL or NaN t.
 */
double ccs_km_surv(const struct ccs_km *km, double t);

/*
 * The p-quantile, 0 < p < 1: the smallest event time with S(t) <= 1 - p
 * (comparisons with a relative slack of 1e-9, so that a curve reaching
 * exactly 1 - p through rounded products counts; R's survival instead
 * takes the midpoint to the next event time when S equals 1 - p on a flat
 * stretch). CI (Brookmeyer and Crowley): the times where the pointwise
 * log-log band crosses 1 - p, lo = smallest event time with lower band
 * <= 1 - p, hi = smallest with upper band <= 1 - p, INFINITY when the band
 * never gets there (the band is undefined where S = 0, so a curve that
 * only reaches 1 - p by dropping to 0 leaves hi infinite: R's survival
 * says NA). se is NaN (there is none for this interval). Errors: CCS_EINVAL (NULL,
 * p outside (0, 1)), CCS_ERANGE when S never falls to 1 - p ("the curve
 * does not fall to 1 - p: the quantile lies beyond the data").
 */
int ccs_km_quantile(const struct ccs_km *km, double p, struct ccs_est *q, const char **why);

/*
 * Restricted mean: integral of S from 0 to tau (tau <= 0 means t_max),
 * with the variance sum_j A_j^2 d_j / (n_j (n_j - d_j)) over event times
 * t_j <= tau, A_j = integral of S from t_j to tau (Klein and Moeschberger
 * 4.5), and a normal 95% interval. Errors: CCS_EINVAL (NULL), CCS_ERANGE
 * for tau > t_max when S(t_max) > 0 ("tau lies beyond the data").
 */
int ccs_km_rmean(const struct ccs_km *km, double tau, struct ccs_est *m, const char **why);

/*
 * The Kaplan-Meier law completed by its tail (struct ccs_km_tail), as m
 * equally likely values for an empirical distribution: values[i] =
 * Q((i + 0.5) / m), Q the quantile function (the smallest event time with
 * 1 - S >= p below 1 - tail.mass; start + mean log(mass / (1 - p)) above).
 * Resampling them uniformly reproduces the law to within 1/m in
 * probability. Errors: CCS_EINVAL (NULL, m = 0), CCS_ERANGE without events.
 */
int ccs_km_values(const struct ccs_km *km, size_t m, double *values, const char **why);

/* ---- Counts -------------------------------------------------------------- */

/*
 * Daily counts against the Poisson hypothesis, and the day-level
 * multiplicative factor of ccsim's `busyness_cv` (a gamma factor G with
 * mean 1 and cv c, drawn per day and applied to every rate).
 */
struct ccs_dispersion {
    size_t n_days;   /* days used */
    size_t n_cells;  /* (group, cell) pairs with a positive mean, in the test */
    double chi2;     /* index of dispersion summed over cells */
    double df;       /* its degrees of freedom */
    double p;        /* P(chi2_df >= chi2): small means over-dispersed */
    struct ccs_est c2; /* c^2, method of moments truncated at 0 */
    struct ccs_est cv; /* busyness_cv c = sqrt(c^2); lo/hi = sqrt of c2's */
    double c2_raw;   /* the moment estimate before truncation (may be < 0) */
};

/*
 * counts: a days x cells matrix, row-major (counts[d * n_cells + c] =
 * arrivals of day d in cell c, e.g. cell = interval of the day, or queue x
 * interval), whole numbers >= 0, not rescaled. day_group: NULL when every
 * day is alike, else n_days labels >= 0: days with the same label share
 * their cell means (e.g. the weekday, since ccsim's weekly profile scales
 * each weekday), each group needing at least 2 days.
 *
 * Test: per group g and cell c with mean m_gc > 0 over its D_g days,
 * X_gc = sum_d (N_dgc - m_gc)^2 / m_gc, which is chi-square with D_g - 1
 * degrees of freedom for Poisson counts (the index of dispersion; a fair
 * approximation even for means of a few units); the X_gc are summed over
 * groups and cells (independent under Poisson). One-sided: p is the upper
 * tail.
 *
 * busyness: with one factor per day on every cell, a day's total T over
 * the cells of a group is Poisson given G, so Var T = M + c^2 M^2 with
 * M = E T (negative binomial). The moment estimate pools the groups,
 *     c^2 = sum_g (D_g - 1)(s_g^2 - m_g) / sum_g (D_g - 1)(m_g^2 - s_g^2 / D_g),
 * m_g, s_g^2 the mean and variance (divisor D_g - 1) of the group's day
 * totals: numerator and denominator are unbiased for c^2 M^2 and M^2
 * (weighted). Totals rather than cell by cell, because the shared factor
 * also makes cells covary, and the totals use that: when the Poisson noise
 * dominates they are sqrt(cells) times more precise than per-cell
 * variances. The 95% interval inverts the pivot
 *     P(c^2) = sum_g (D_g - 1) s_g^2 / (m_g + c^2 m_g^2),
 * matched to a scaled chi-square a chi2_nu by its mean and variance, the
 * variance by the delta method in (m_g, s_g^2) with the negative
 * binomial's cumulants at c^2 (heavy gamma tails, and the uncertainty of
 * m_g standing in for M_g); bounds truncated at 0. Coverage measured over
 * 2000 data sets per case: 94-96% for c <= 0.3, conservative (up to 98%)
 * for c = 0.5-0.8 with few days. se of c2 = sd(P) / |dP/dc^2| at the
 * estimate; se of cv = se(c2) / (2 cv), NaN when cv = 0.
 *
 * Errors: CCS_EINVAL (NULL counts or out, n_cells = 0, a negative label);
 * CCS_ERANGE for fewer than 2 days in a group ("fewer than 2 days"), a
 * count negative, fractional or not finite ("counts must be whole numbers
 * >= 0"), no arrivals at all ("no arrivals"), or a denominator <= 0 (the
 * totals vary so much that the moments do not determine c); CCS_ENOMEM.
 */
int ccs_dispersion(const double *counts, size_t n_days, size_t n_cells, const int *day_group,
                   struct ccs_dispersion *out, const char **why);

/* ---- Proportions --------------------------------------------------------- */

/*
 * A binomial share k / n with the Wilson score 95% interval
 *     (p + z^2/2n +- z sqrt(p(1-p)/n + z^2/4n^2)) / (1 + z^2/n),
 * which keeps its coverage near 95% for small n and shares near 0 or 1
 * (Brown, Cai and DasGupta 2001), unlike p +- z se. se = sqrt(p(1-p)/n).
 * Errors: CCS_EINVAL (NULL out), CCS_ERANGE when not 0 <= k <= n, n > 0,
 * both finite ("need 0 <= k <= n and n > 0").
 */
int ccs_wilson(double k, double n, struct ccs_est *out, const char **why);

#endif
