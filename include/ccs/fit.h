/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fit.h - a scenario estimated from a center's own call log (`ccsim fit`),
 * and the model replayed against the days it describes (`ccsim backtest`).
 * Input: the scenarios of a log's dates as ccs_scenario_load_dates gives
 * them (trace_import.h); docs/fit.md states every rule and estimator.
 *
 *   struct ccs_fitlog *f;
 *   struct ccs_fitlog_opts o = ccs_fitlog_opts_default();
 *   if (ccs_fitlog_new(scs, n, &o, &f, &d) != 0) ... d.msg ...
 *   ccs_fitlog_write(f, open_file, ctx, &d);   scenario.yaml, forecast.csv, fit.csv, ...
 *   ccs_fitlog_free(f);
 */
#ifndef CCS_FIT_H
#define CCS_FIT_H

#include "ccs/error.h"
#include "ccs/sim.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * How an agent's time between two contacts of one working block is read
 * (docs/fit.md). Under a work-conserving ACD an agent who is available
 * while a contact it could serve waits takes it at once, so:
 *   WAITING: only the part of the gap during which such a contact waited is
 *            away; the rest of the gap is available (idle);
 *   GAP:     a gap during which such a contact waited at all is away whole.
 * Outside working blocks (before the first contact, after the last, and in
 * gaps longer than block_gap) the agent is absent under both rules.
 */
enum ccs_avail_rule { CCS_AVAIL_WAITING, CCS_AVAIL_GAP };

/* "waiting", "gap"; "?" out of range. */
const char *ccs_avail_rule_name(enum ccs_avail_rule r);

struct ccs_fitlog_opts {
    double short_abandon;     /* s: hang-ups within this are reported apart, and the
                                 censored MLE fits patience above it (default 5) */
    enum ccs_avail_rule rule; /* default CCS_AVAIL_WAITING */
    double block_gap;         /* s: a longer gap ends a working block (default 1800) */
    double avail_step;        /* s: step of the replayed staffing (default 60) */
    unsigned n_boot;          /* bootstrap samples of the GoF p-values (default 99; 0: none) */
    uint64_t seed;            /* of the bootstrap (default 1) */
    bool pseudonymize;        /* agent and customer ids by stable hashes in every output */
};

struct ccs_fitlog_opts ccs_fitlog_opts_default(void);

struct ccs_fitlog;

/*
 * Estimate everything from the n dates scs[0..n) (one scenario per date of
 * one trace, as ccs_scenario_load_dates loads them: same queues, horizon,
 * interval; borrowed, they must outlive *out). Returns 0, or CCS_ERANGE
 * with d when the log holds nothing to fit (no dates, no contacts), CCS_EINVAL
 * for NULL, CCS_ENOMEM. Deterministic.
 */
int ccs_fitlog_new(struct ccs_scenario *const *scs, size_t n, const struct ccs_fitlog_opts *o,
                   struct ccs_fitlog **out, struct ccs_diag *d);

void ccs_fitlog_free(struct ccs_fitlog *f);

/*
 * Write, each through open(ctx, NAME, d) (files are not closed here):
 * scenario.yaml (the fitted scenario, each estimate commented),
 * forecast.csv (volumes per weekday x interval and AHT per interval, which
 * scenario.yaml reads), patience-QUEUE.csv (the Kaplan-Meier patience as
 * values for an empirical distribution), fit.csv (every estimate: quantity,
 * queue, key, value, se, lo, hi, n, source), availability.csv (per date x
 * agent: present, busy, away, available seconds) and timeline.csv (each
 * agent's working blocks and times away, as clock times). Returns 0 or CCS_EIO when
 * open fails.
 */
int ccs_fitlog_write(const struct ccs_fitlog *f, FILE *(*open)(void *ctx, const char *name, struct ccs_diag *d),
                     void *ctx,
                     struct ccs_diag *d);

/* A short account of the fit on f (what was estimated from how much). */
void ccs_fitlog_print(const struct ccs_fitlog *f, FILE *out);

/*
 * The overrides that make scs[k] (the k-th date given to ccs_fitlog_new)
 * replay with that date's inferred availability (groups by skill set,
 * staffing per avail_step) and the fitted patience for callers whose
 * patience the log does not give: n_ov overrides into *ov, their texts
 * owned by f (valid until ccs_fitlog_free; the array too). Returns 0,
 * CCS_EINVAL (k out of range) or CCS_ENOMEM.
 */
int ccs_fitlog_day_overrides(struct ccs_fitlog *f, size_t k, const struct ccs_override **ov,
                             size_t *n_ov);

/* Fraction of present agent time that the rule counts as available
   (staffed), over all dates and agents; NaN when nobody was present. */
double ccs_fitlog_available_share(const struct ccs_fitlog *f);

/* ---- Backtest ----------------------------------------------------------- */

/* KPIs compared: overall, over the contacts of the day (or interval). */
enum ccs_bt_kpi { CCS_BT_ABANDON, CCS_BT_ASA, CCS_BT_SL, CCS_BT_WAIT, CCS_BT_KPI_COUNT };

/* "abandon_rate", "asa", "service_level", "mean_wait". */
const char *ccs_bt_kpi_name(enum ccs_bt_kpi k);

struct ccs_backtest_opts {
    uint32_t replications; /* per date (default 20) */
    uint64_t seed;         /* default: the scenario's */
    /* Threads running the replications (every date's at once), the caller's
       included: 0 = one per online processor, 1 = the calling thread only.
       The results do not depend on it (each replication has its own
       streams, by its number); not recorded in the outputs. */
    unsigned jobs;
};

struct ccs_backtest;

/*
 * Replay each date k of f (ccs_fitlog_new's scs[k] derived with
 * ccs_fitlog_day_overrides) with o's replications and compare abandonment
 * (abandoned / offered), ASA (mean wait of answered), service level
 * (answered within the queue's sla.within / offered) and mean wait
 * (answered and abandoned) with the log's, per date and per interval.
 * The replications of all dates run on o->jobs threads; the result is
 * byte-identical whatever o->jobs is. Errors from loading or running are
 * returned with d (the lowest failing replication's).
 */
int ccs_backtest_new(struct ccs_fitlog *f, const struct ccs_backtest_opts *o,
                     struct ccs_backtest **out, struct ccs_diag *d);

/*
 * The second mode: the fitted scenario (generated arrivals; as
 * ccs_fitlog_write wrote it and the caller loaded it: one week from Monday
 * per replication) run with o's replications, and each date of f compared
 * with the simulated days of its weekday: abandonment, ASA and service
 * level of the whole day (mean wait and intervals are NaN). `inside` then
 * says how often a real day falls inside the simulated day-to-day spread.
 * Errors as ccs_backtest_new; CCS_EINVAL when fitted does not run a week
 * from Monday.
 */
int ccs_backtest_spread(struct ccs_fitlog *f, const struct ccs_scenario *fitted,
                        const struct ccs_backtest_opts *o, struct ccs_backtest **out,
                        struct ccs_diag *d);

void ccs_backtest_free(struct ccs_backtest *b);

/* What a backtest holds at once (ccs_backtest_memory_estimate). */
struct ccs_backtest_size {
    double bytes;   /* estimated */
    size_t dates;   /* scenarios run: the dates replayed, or 1 (the fitted scenario) */
    size_t results; /* values per replication, the largest of them */
    unsigned sims;  /* simulations held at once (one per running thread) */
};

/*
 * The memory a backtest of f with o needs, estimated before running, as
 * ccs_run_memory_estimate does for a run: a backtest keeps every
 * replication's values of every date (for the replications' 95% ranges),
 * a summary per date, and one simulation per running thread (o->jobs; all
 * dates' replications share the pool). fitted: the second mode's scenario
 * (ccs_backtest_spread; loaded with ccs_scenario_load_written from
 * ccs_fitlog_write's files), NULL for the replay (each date's scenario is
 * derived to size it). Returns 0 with *z, or a derivation error with d.
 */
int ccs_backtest_memory_estimate(struct ccs_fitlog *f, const struct ccs_scenario *fitted,
                                 const struct ccs_backtest_opts *o, struct ccs_backtest_size *z,
                                 struct ccs_diag *d);

/* Error of one KPI over the dates: simulated mean minus observed. */
struct ccs_bt_error {
    double bias;   /* mean of (simulated - observed) */
    double mae;    /* mean absolute error */
    double inside; /* share of dates whose observed value lies inside the
                      simulated replications' 95% range (2.5%-97.5% quantiles) */
    double within; /* share of dates with |error| <= the target band
                      (2 points abandonment, 10 s ASA, 5 points SL, 10 s wait) */
};

struct ccs_bt_error ccs_backtest_error(const struct ccs_backtest *b, enum ccs_bt_kpi k);

size_t ccs_backtest_dates(const struct ccs_backtest *b);

/*
 * Observed and simulated (mean over replications, 95% range lo..hi) KPI k
 * of date i; interval -1 is the whole day, else that reporting interval
 * (NaN where it had no contacts). Returns false when i is out of range.
 */
bool ccs_backtest_value(const struct ccs_backtest *b, size_t i, int interval, enum ccs_bt_kpi k,
                        double *obs, double *sim, double *lo, double *hi);

/* The table per date and the errors (as docs/fit.md shows). */
void ccs_backtest_print(const struct ccs_backtest *b, FILE *out);

/* backtest.csv: date, interval (or "day"), kpi, observed, simulated, lo, hi.
   Returns 0 or CCS_EIO. */
int ccs_backtest_write_csv(const struct ccs_backtest *b, FILE *out);

/*
 * A backtest read back from the backtest.csv ccs_backtest_write_csv wrote
 * (path is the file, or the folder `ccsim backtest --out` wrote it into):
 * its whole-day rows, so ccs_backtest_dates, _value (interval -1 only) and
 * _error work on it as on the backtest that wrote it (weekdays, offered
 * counts and replications are not in the file). Returns 0, or CCS_EIO
 * (cannot read), CCS_EPARSE (not a backtest.csv: FILE:LINE:COL), CCS_ERANGE
 * (no 'day' rows) or CCS_ENOMEM, with d.
 */
int ccs_backtest_load(const char *path, struct ccs_backtest **out, struct ccs_diag *d);

#endif
