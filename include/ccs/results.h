/*
 * results.h - what a run measures. A layout lists every metric a scenario
 * reports, as keys (scope, queue/segment/group, interval, KPI); each
 * replication yields one value per key, in layout order. A summary folds
 * replications into means and Student-t confidence intervals.
 */
#ifndef CCS_RESULTS_H
#define CCS_RESULTS_H

#include "ccs/kpi.h"

#include <stddef.h>
#include <stdint.h>

struct ccs_scenario;

struct ccs_key {
    uint8_t scope;     /* enum ccs_scope */
    uint16_t kpi;      /* enum ccs_kpi */
    int32_t queue;     /* queue index, or -1 */
    int32_t segment;   /* segment index within the queue, or -1 */
    int32_t group;     /* group index, or -1 */
    int32_t interval;  /* interval index, or -1 for the whole run */
};

/*
 * Keys 0..n_whole-1 are whole-run metrics, stored in keys[]. The rest are
 * per interval: n_intervals blocks of n_block keys that differ only in their
 * interval, so the pattern is stored once (block[], interval 0). Memory is
 * thus O(whole + block), whatever the number of intervals.
 */
struct ccs_layout {
    size_t n;          /* number of keys in all: n_whole + n_block * n_intervals */
    size_t n_whole;
    size_t n_block;
    uint32_t n_intervals;
    struct ccs_key *keys;  /* the n_whole whole-run keys */
    struct ccs_key *block; /* the n_block keys of interval 0 */
};

const struct ccs_layout *ccs_scenario_layout(const struct ccs_scenario *sc);

/* Key k (< l->n), whole-run or per interval. */
static inline struct ccs_key ccs_layout_key(const struct ccs_layout *l, size_t k)
{
    if (k < l->n_whole)
        return l->keys[k];
    size_t j = k - l->n_whole;
    struct ccs_key key = l->block[j % l->n_block];
    key.interval = (int32_t)(j / l->n_block);
    return key;
}

/* Index of a key, or -1. */
long ccs_layout_find(const struct ccs_layout *l, enum ccs_scope scope, enum ccs_kpi kpi,
                     int queue, int segment, int group, int interval);

struct ccs_summary;

/*
 * A summary for this scenario's layout, with no replications yet, at the
 * given confidence level. sample_every > 0 also records a time series of the
 * system's state every sample_every seconds over [0, horizon] (at most
 * 100000 points; see ccs_summary_series_*). NULL on ENOMEM or bad sampling.
 */
struct ccs_summary *ccs_summary_new(const struct ccs_scenario *sc, double level,
                                    double sample_every);
/* Add one replication's values (layout order). Returns 0 or CCS_ENOMEM. */
int ccs_summary_add(struct ccs_summary *s, const double *values);
void ccs_summary_free(struct ccs_summary *s);

const struct ccs_scenario *ccs_summary_scenario(const struct ccs_summary *s);
const struct ccs_layout *ccs_summary_layout(const struct ccs_summary *s);
uint32_t ccs_summary_replications(const struct ccs_summary *s);
double ccs_summary_level(const struct ccs_summary *s);
/* Per key: replications where the value was defined, mean, sd, CI half-width. */
double ccs_summary_n(const struct ccs_summary *s, size_t k);
double ccs_summary_mean(const struct ccs_summary *s, size_t k);
double ccs_summary_sd(const struct ccs_summary *s, size_t k);
double ccs_summary_halfwidth(const struct ccs_summary *s, size_t k);
/* Value of whole-run key k (< n_whole) in replication r. */
double ccs_summary_value(const struct ccs_summary *s, uint32_t r, size_t k);

/* The engine's contact balance summed over the replications so far. */
struct ccs_sim_balance;
void ccs_summary_balance(const struct ccs_summary *s, struct ccs_sim_balance *out);

/* --- Time series (when sampling was asked for) -------------------------------- */

/* One column of the time series: a state variable of a queue or group. */
struct ccs_series_col {
    uint8_t scope;      /* CCS_SCOPE_QUEUE or CCS_SCOPE_GROUP */
    int32_t queue, group;
    const char *metric; /* "waiting", "busy", "idle", "staffed" */
};

size_t ccs_summary_series_points(const struct ccs_summary *s); /* 0: none */
double ccs_summary_series_dt(const struct ccs_summary *s);
size_t ccs_summary_series_cols(const struct ccs_summary *s);
struct ccs_series_col ccs_summary_series_col(const struct ccs_summary *s, size_t j);
/* Mean over replications, and CI half-width, of column j at point i (t = i * dt). */
double ccs_summary_series_mean(const struct ccs_summary *s, size_t i, size_t j);
double ccs_summary_series_halfwidth(const struct ccs_summary *s, size_t i, size_t j);

/* --- Wait distribution, pooled over all replications --------------------------- */

/* Fraction of answered contacts of queue q (-1: all queues) that waited <= x
   seconds; NaN when none was answered. */
double ccs_summary_wait_cdf(const struct ccs_summary *s, int q, double x);
/* The p-quantile of those waits (nearest rank, 0.4% resolution). */
double ccs_summary_wait_quantile(const struct ccs_summary *s, int q, double p);
/*
 * Points where the pooled CDF of queue q changes, thinned to at most 16 per
 * doubling of the wait: fills x[] (seconds) and cdf[] up to cap entries and
 * returns how many. The first point is (0, fraction answered at once).
 */
size_t ccs_summary_wait_curve(const struct ccs_summary *s, int q, double *x, double *cdf,
                              size_t cap);

#endif
