/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * run.h - replications of a scenario and their summary: means and
 * Student-t confidence intervals per metric, time series and the pooled
 * wait distribution. The library API researchers embed:
 *
 *   struct ccs_diag d;
 *   struct ccs_scenario *sc;
 *   if (ccs_scenario_load("x.yaml", NULL, 0, &sc, &d) != 0) { puts(d.msg); ... }
 *   struct ccs_summary *sum;
 *   struct ccs_run_opts o = ccs_run_opts_default(sc);
 *   ccs_run(sc, &o, &sum, &d);
 *   ... ccs_summary_mean(sum, k) ...
 *   ccs_summary_free(sum); ccs_scenario_free(sc);
 */
#ifndef CCS_RUN_H
#define CCS_RUN_H

#include "ccs/error.h"
#include "ccs/results.h"
#include "ccs/sim.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ccs_summary;

/* --- Many replications ----------------------------------------------------- */

struct ccs_run_opts {
    uint64_t seed;
    uint32_t replications;
    double level;        /* confidence level, e.g. 0.95 */
    double sample_every; /* seconds between time-series samples; 0 = none */
    /* Called with each replication's simulation before it runs, e.g. to
       attach a trace (ccs_sim_set_trace); NULL = none. Tracing changes
       nothing in the results. With a hook the replications run one after
       another on the calling thread, in order, whatever jobs says. */
    void (*prepare)(void *ctx, uint32_t rep, struct ccs_sim *sim);
    void *prepare_ctx;
    /* Threads running replications, the caller's included: 0 = one per
       online processor, 1 = the calling thread only. The results do not
       depend on it: every replication has its own random streams (by its
       number) and they are folded in replication order, so the summary is
       byte-identical whatever jobs is. How a result was computed, not what
       it is: reports do not record it. */
    unsigned jobs;
    /* true: keep whole-run results only. Per-interval results (a block of
       keys per reporting interval: about 6 KB an interval for a ten-queue
       center, 159 MiB for a year at 15-minute intervals) are then neither
       computed nor held; the summary's interval keys read as no
       replications (ccs_summary_n 0, mean NaN: ccs_summary_has_intervals
       false), and every whole-run value is the same bits as with them.
       For callers that report no interval: `ccsim run` sets it unless
       --out, --by interval or --dates asks for intervals. Default false. */
    bool whole_run_only;
};

/* Seed and replications from the scenario, level 0.95, no time series,
   no prepare hook, every processor (jobs 0). */
struct ccs_run_opts ccs_run_opts_default(const struct ccs_scenario *sc);

/*
 * How many simulations ccs_run holds at once with jobs threads (0: every
 * processor) over replications: 1 on one thread, else the ordered fold's
 * window (about two per thread, at most replications). The sims argument
 * of ccs_run_memory_estimate for a budget check before running.
 */
unsigned ccs_run_sims_at_once(unsigned jobs, uint32_t replications);

/* Run replications 0..R-1 on o->jobs threads and summarise. Returns 0, or
   negative with d: the first failing replication's error (lowest number). */
int ccs_run(const struct ccs_scenario *sc, const struct ccs_run_opts *o,
            struct ccs_summary **out, struct ccs_diag *d);

/*
 * A call log replayed date by date (trace_import.h): run each of the n
 * scenarios scs (one per date, loaded together by ccs_scenario_load_dates)
 * with o's seed, replications and hook, into per_date[k] (an array of n the
 * caller provides; free each with ccs_summary_free), and pool all n x R
 * replications into *total: its means are per date (the mean day: 'Offered'
 * is contacts per date), its intervals count each date's replications as
 * draws of the same population, so they include the spread between dates.
 * *total reports as scs[0]. Returns 0, or a negative code with d (nothing
 * to free then).
 */
int ccs_run_dates(struct ccs_scenario *const *scs, size_t n, const struct ccs_run_opts *o,
                  struct ccs_summary **per_date, struct ccs_summary **total, struct ccs_diag *d);

/*
 * Run replication rep of seed and fold it into s (values, time series, wait
 * distribution). If values is not NULL it also receives the replication's
 * metrics in layout order (ccs_layout's n entries), e.g. for paired
 * comparisons. Returns 0 or negative with d.
 */
int ccs_run_one(const struct ccs_scenario *sc, uint64_t seed, uint32_t rep,
                struct ccs_summary *s, double *values, struct ccs_diag *d);

/*
 * A summary for this scenario's layout, with no replications yet, at the
 * given confidence level. sample_every > 0 also records a time series of the
 * system's state every sample_every seconds over [0, horizon] (at most
 * 100000 points; see ccs_summary_series_*). NULL on ENOMEM or bad sampling.
 */
struct ccs_summary *ccs_summary_new(const struct ccs_scenario *sc, double level,
                                    double sample_every);
/* Whether s holds per-interval results (false: ccs_run with whole_run_only;
   its interval keys then read as no replications). */
bool ccs_summary_has_intervals(const struct ccs_summary *s);
/* Add one replication's values (layout order; with no intervals held, only
   the whole-run keys are read). Returns 0 or CCS_ENOMEM. */
int ccs_summary_add(struct ccs_summary *s, const double *values);
void ccs_summary_free(struct ccs_summary *s);

const struct ccs_scenario *ccs_summary_scenario(const struct ccs_summary *s);
/* The trace's one-line account for this summary: its scenario's, or, for the
   pool of ccs_run_dates, that of all its dates. NULL without a trace. */
const char *ccs_summary_trace_note(const struct ccs_summary *s);
/*
 * The seed the summary's replications ran with: o->seed of ccs_run, the seed
 * given to ccs_run_one, else (a new summary, or values only added) the
 * scenario's. Reports print this one, not the scenario's: a rerun with it
 * gives the same numbers. ccs_summary_set_seed records it for values folded
 * in with ccs_summary_add.
 */
uint64_t ccs_summary_seed(const struct ccs_summary *s);
void ccs_summary_set_seed(struct ccs_summary *s, uint64_t seed);
const struct ccs_layout *ccs_summary_layout(const struct ccs_summary *s);
uint32_t ccs_summary_replications(const struct ccs_summary *s);
double ccs_summary_level(const struct ccs_summary *s);
/* Per key: replications where the value was defined, mean, sd, CI half-width. */
double ccs_summary_n(const struct ccs_summary *s, size_t k);
double ccs_summary_mean(const struct ccs_summary *s, size_t k);
double ccs_summary_sd(const struct ccs_summary *s, size_t k);
double ccs_summary_halfwidth(const struct ccs_summary *s, size_t k);
/* Value of whole-run key k (< n_whole) in replication r; NaN for any other
   k or r (per-interval values are kept as statistics only). */
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
