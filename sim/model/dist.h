/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * dist.h - probability distributions of durations (handle time, patience,
 * wrap-up, delays), parameterised by mean and coefficient of variation
 * where that is natural. Built and validated once at load; sampled in the
 * engine from a gsl_rng stream.
 */
#ifndef CCS_MODEL_DIST_H
#define CCS_MODEL_DIST_H

#include <gsl/gsl_rng.h>
#include <stddef.h>

enum ccs_dist_kind {
    CCS_DIST_NONE,        /* never happens: an infinite duration */
    CCS_DIST_EXPONENTIAL, /* mean */
    CCS_DIST_ERLANG,      /* k phases, mean */
    CCS_DIST_GAMMA,       /* mean, cv */
    CCS_DIST_LOGNORMAL,   /* mean, cv */
    CCS_DIST_WEIBULL,     /* mean, cv  or  shape, scale */
    CCS_DIST_UNIFORM,     /* min, max */
    CCS_DIST_DETERMINISTIC, /* value */
    CCS_DIST_EMPIRICAL,   /* resampled from observed values */
    CCS_DIST_TRIANGULAR,  /* min, mode, max */
    CCS_DIST_COUNT_
};

struct ccs_dist {
    enum ccs_dist_kind kind;
    double mean, cv; /* always set (cv 0 for deterministic, NaN for none) */
    double a, b;     /* kind parameters: gamma/erlang shape, scale; lognormal
                        mu, sigma; weibull shape, scale; uniform and triangular
                        min, max */
    double c;        /* triangular: the mode */
    double *values;  /* empirical: owned, sorted ascending */
    size_t n_values;
};

/* Name used in scenarios ("exponential", ...) and the reverse lookup (-1). */
const char *ccs__dist_name(enum ccs_dist_kind k);
int ccs__dist_find(const char *name);
/* NULL-terminated list of names, for "did you mean" and help. */
extern const char *const ccs__dist_names[];

/*
 * Constructors: 0 on success, or CCS_ERANGE with *why set to a static
 * explanation ("'cv' must be positive") and d untouched.
 */
void ccs__dist_none(struct ccs_dist *d);
int ccs__dist_exponential(struct ccs_dist *d, double mean, const char **why);
int ccs__dist_erlang(struct ccs_dist *d, double k, double mean, const char **why);
int ccs__dist_gamma(struct ccs_dist *d, double mean, double cv, const char **why);
int ccs__dist_lognormal(struct ccs_dist *d, double mean, double cv, const char **why);
int ccs__dist_weibull_mean_cv(struct ccs_dist *d, double mean, double cv, const char **why);
int ccs__dist_weibull_shape_scale(struct ccs_dist *d, double shape, double scale,
                                  const char **why);
int ccs__dist_uniform(struct ccs_dist *d, double lo, double hi, const char **why);
int ccs__dist_deterministic(struct ccs_dist *d, double value, const char **why);
/* min <= mode <= max, min < max (the classic models' service times). */
int ccs__dist_triangular(struct ccs_dist *d, double lo, double mode, double hi,
                         const char **why);
/* Takes ownership of values (malloc'd) on success only. */
int ccs__dist_empirical(struct ccs_dist *d, double *values, size_t n, const char **why);

/* Deep copy (empirical values duplicated). Returns 0 or CCS_ENOMEM. */
int ccs__dist_copy(struct ccs_dist *dst, const struct ccs_dist *src);

/* Scale a distribution by factor f > 0 (mean and spread), in place. */
void ccs__dist_scale(struct ccs_dist *d, double f);

void ccs__dist_release(struct ccs_dist *d);

/* One draw; INFINITY for CCS_DIST_NONE. Always >= 0. */
double ccs__dist_sample(const struct ccs_dist *d, gsl_rng *r);

/* "exponential(mean=60s)" style description for reports. */
void ccs__dist_describe(const struct ccs_dist *d, char *buf, size_t cap);

#endif
