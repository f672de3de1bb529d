/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * sweep.h - running a sweep: batch scenarios for researchers. A sweep is
 * a design (ccs/design.h: one base scenario and many points, usually from a
 * sweep file or the command line, ccs/sweep_plan.h), each point run for a
 * number of replications or until a precision target is met, optionally
 * paired against a baseline point (compare.h's statistics). The work is (point, replication) tasks that threads or MPI
 * ranks may run in any order: results are byte-identical whatever the order,
 * because every task's random streams depend only on (seed, point,
 * replication) and statistics are folded in replication order.
 * docs/sweep.md is the spec.
 *
 *   struct ccs_sweep_plan *p = ccs_sweep_plan_new();
 *   ccs_sweep_plan_set_scenario(p, "scenarios/default.yaml", &d);
 *   ccs_sweep_plan_add_grid(p, "groups.sales_team.agents=16,17,18", "--grid", &d);
 *   struct ccs_sweep *s;
 *   if (ccs_sweep_plan_prepare(p, &d) == 0 &&
 *       ccs_sweep_new(ccs_sweep_plan_design(p), &s, &d) == 0) {
 *       struct ccs_sweep_exec x = {4, NULL, NULL, 0};
 *       if (ccs_sweep_run(s, &x, &d) == 0)
 *           ccs_report_sweep_csv(stdout, s);        (ccs/report.h)
 *       ccs_sweep_free(s);
 *   }
 *   ccs_sweep_plan_free(p);
 */
#ifndef CCS_SWEEP_H
#define CCS_SWEEP_H

#include "ccs/compare.h"
#include "ccs/design.h"
#include "ccs/policy.h"
#include "ccs/error.h"
#include "ccs/results.h"
#include "ccs/run.h"
#include "ccs/sim.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct ccs_sweep;

/* --- A sweep ready to run ------------------------------------------------------------ */

/* Optional outputs a sweep keeps of every point (ccs_sweep_set_outputs). */
enum {
    CCS_SWEEP_OUT_REPLICATIONS = 1u << 0, /* every replication's whole-run values */
    CCS_SWEEP_OUT_INTERVALS = 1u << 1,    /* per-interval means and CI half-widths */
};

/*
 * The memory a sweep of dz needs, in bytes, estimated before running: per
 * point its scenario (its YAML copy, trace records and a calibrated rest:
 * about 36 KiB for a small one, docs/sweep.md); the values of
 * up to max_replications replications of the points in flight (with a
 * journal, about 2 per thread plus the baseline; without one, every point's
 * values are held until it finishes and its result rows, with the outputs
 * asked for, to the end); plus one simulation per thread
 * (ccs_run_memory_estimate). outputs: CCS_SWEEP_OUT_* as the sweep will run.
 */
double ccs_sweep_memory_estimate(const struct ccs_design *dz, unsigned threads, bool journal,
                                 unsigned outputs);

/*
 * The size in bytes of what ccs_report_sweep_write_dir will write for dz with
 * these outputs, estimated before running (about 20 bytes a number), so a
 * caller can refuse a sweep that would fill the disk.
 */
double ccs_sweep_output_estimate(const struct ccs_design *dz, unsigned outputs);

/*
 * A sweep of the design dz (which must outlive it; ccs_sweep_plan_design
 * gives one), with every point still to do. Returns 0, or CCS_ENOMEM with d.
 */
int ccs_sweep_new(const struct ccs_design *dz, struct ccs_sweep **out, struct ccs_diag *d);
void ccs_sweep_free(struct ccs_sweep *s);

const struct ccs_design *ccs_sweep_design(const struct ccs_sweep *s);

/*
 * Keep the outputs (CCS_SWEEP_OUT_*) of every point: each replication's
 * values (replications.csv) and the per-interval statistics (intervals.csv).
 * Call before the journal is opened and anything runs (a journal records
 * which outputs it holds). Returns 0, or CCS_ESTATE when too late.
 */
int ccs_sweep_set_outputs(struct ccs_sweep *s, unsigned outputs);
unsigned ccs_sweep_outputs(const struct ccs_sweep *s);

/* The design's fields, for reports (as ccs_sweep_design(s)->...). */

size_t ccs_sweep_point_count(const struct ccs_sweep *s);
const char *ccs_sweep_point_name(const struct ccs_sweep *s, size_t p);
const struct ccs_scenario *ccs_sweep_point_scenario(const struct ccs_sweep *s, size_t p);
/* The seed point p's replications run with (docs/sweep.md). */
uint64_t ccs_sweep_point_seed(const struct ccs_sweep *s, size_t p);
/* The canonical text of p's overrides, "path=value" lines sorted by path. */
const char *ccs_sweep_point_key(const struct ccs_sweep *s, size_t p);

/* The swept paths: every path a grid dimension or a listed point sets. */
size_t ccs_sweep_column_count(const struct ccs_sweep *s);
const char *ccs_sweep_column(const struct ccs_sweep *s, size_t i);
/* Point p's value at swept path i as its scenario has it (canonical text),
   or NULL when the scenario leaves it out (a default applies). */
const char *ccs_sweep_point_value(const struct ccs_sweep *s, size_t p, size_t i);

const struct ccs_scenario *ccs_sweep_base(const struct ccs_sweep *s);
const char *ccs_sweep_file(const struct ccs_sweep *s);   /* NULL for the SCENARIO form */
const char *ccs_sweep_name(const struct ccs_sweep *s);   /* the file's name:, or NULL */
uint64_t ccs_sweep_seed(const struct ccs_sweep *s);
enum ccs_sweep_streams ccs_sweep_streams(const struct ccs_sweep *s); /* never AUTO */
long ccs_sweep_baseline(const struct ccs_sweep *s);      /* point index, or -1 */
double ccs_sweep_level(const struct ccs_sweep *s);
/* Replications per point; with targets, the count to start from. */
uint32_t ccs_sweep_replications(const struct ccs_sweep *s);
size_t ccs_sweep_target_count(const struct ccs_sweep *s);
const struct ccs_precision *ccs_sweep_target(const struct ccs_sweep *s, size_t i);
uint32_t ccs_sweep_max_replications(const struct ccs_sweep *s);
/* 16 hex digits hashing the sweep's canonical definition (journal header). */
const char *ccs_sweep_identity(const struct ccs_sweep *s);

/* --- Running: tasks ------------------------------------------------------------------ */

/* One replication of one point. */
struct ccs_sweep_task {
    uint32_t point, rep;
};

enum {
    CCS_SWEEP_WAIT = 0, /* nothing to hand out now: wait for results in flight */
    CCS_SWEEP_TASK = 1, /* *t is a task */
    CCS_SWEEP_DONE = 2, /* every point is finished */
};

/*
 * The scheduler. next and done change the sweep: callers serialise them
 * (ccs_sweep_pool does). Tasks come baseline first, then point by point in
 * replication order; done folds a task's result in and, when a point is
 * finished (its replications, or its precision rule, decided), computes its
 * statistics and appends it to the journal. done ignores results no longer
 * needed (replications beyond a point's stopping count). Returns of done: 0,
 * CCS_EIO (journal), CCS_ENOMEM.
 */
int ccs_sweep_next(struct ccs_sweep *s, struct ccs_sweep_task *t);
int ccs_sweep_done(struct ccs_sweep *s, const struct ccs_sweep_task *t, const double *values,
                   struct ccs_diag *d);

/* Doubles task_run writes (the largest layout of any point). */
size_t ccs_sweep_run_size(const struct ccs_sweep *s);
/* Whole-run values of point p's replications (what done reads and MPI sends). */
size_t ccs_sweep_result_size(const struct ccs_sweep *s, size_t p);

/*
 * Run one task into values (ccs_sweep_run_size doubles; the first
 * ccs_sweep_result_size are what done needs). Reads only immutable data:
 * any number of threads may call it at once. Returns 0 or negative with d.
 */
int ccs_sweep_task_run(const struct ccs_sweep *s, const struct ccs_sweep_task *t, double *values,
                       struct ccs_diag *d);

struct ccs_sweep_progress {
    size_t points, points_done;   /* all points; finished ones (resumed included) */
    size_t points_resumed;        /* taken from the journal at the start */
    uint64_t reps_done;           /* replications run by this process so far */
    uint64_t reps_left;           /* an estimate of those still to run */
};
void ccs_sweep_get_progress(const struct ccs_sweep *s, struct ccs_sweep_progress *p);
bool ccs_sweep_finished(const struct ccs_sweep *s);

/* --- Running: threads -------------------------------------------------------------- */

/*
 * A pool of worker threads running tasks from the scheduler, which it
 * guards with one mutex. The caller may feed results computed elsewhere (MPI
 * ranks) through ccs_sweep_pool_done and take tasks for them with
 * ccs_sweep_pool_next. threads may be 0 (the caller computes nothing
 * locally). gsl_set_error_handler_off() is called before threads start.
 */
struct ccs_sweep_pool;
int ccs_sweep_pool_start(struct ccs_sweep *s, unsigned threads, struct ccs_sweep_pool **out,
                         struct ccs_diag *d);
int ccs_sweep_pool_next(struct ccs_sweep_pool *p, struct ccs_sweep_task *t);
int ccs_sweep_pool_done(struct ccs_sweep_pool *p, const struct ccs_sweep_task *t,
                        const double *values, struct ccs_diag *d);
/* Record a failure from elsewhere (an MPI rank): the pool stops handing out tasks. */
void ccs_sweep_pool_fail(struct ccs_sweep_pool *p, const struct ccs_diag *d);
/* Sleep until a result comes in, the sweep ends, or `seconds` pass. */
void ccs_sweep_pool_wait(struct ccs_sweep_pool *p, double seconds);
/* Finished, or stopped by a failure? */
bool ccs_sweep_pool_over(struct ccs_sweep_pool *p);
void ccs_sweep_pool_progress(struct ccs_sweep_pool *p, struct ccs_sweep_progress *out);
/* Join the threads and free the pool. Returns 0 or the first failure (d). */
int ccs_sweep_pool_finish(struct ccs_sweep_pool *p, struct ccs_diag *d);

struct ccs_sweep_exec {
    unsigned jobs; /* worker threads (>= 1) */
    /* Called from the calling thread about every `every` seconds and once at the end. */
    void (*progress)(void *ctx, const struct ccs_sweep_progress *p);
    void *ctx;
    double every;
};

/* Run every task on x->jobs threads. Returns 0 or the first failure (d). */
int ccs_sweep_run(struct ccs_sweep *s, const struct ccs_sweep_exec *x, struct ccs_diag *d);

/* --- Resuming ------------------------------------------------------------------------- */

/*
 * Keep a journal at path: every finished point is appended as one line,
 * flushed and fsynced. If path already holds a journal of this sweep (same
 * identity), its points are taken as finished (*resumed says how many) and
 * a torn last line is cut off; a journal of another sweep is replaced
 * (*replaced set). The journal is locked against a second sweep writing it.
 * Returns 0, CCS_EIO (with d), CCS_ESTATE (locked by another process).
 */
int ccs_sweep_journal_open(struct ccs_sweep *s, const char *path, size_t *resumed, bool *replaced,
                           struct ccs_diag *d);
/* Close and delete the journal (after the final files are in place). */
int ccs_sweep_journal_remove(struct ccs_sweep *s, struct ccs_diag *d);

/* --- Results ------------------------------------------------------------------------------ */

/* One KPI of one finished point. */
struct ccs_sweep_row {
    struct ccs_key key;      /* indices into ccs_sweep_row_scenario(s, p) */
    double n;                /* replications in which the value was defined */
    double mean, halfwidth;
    double diff_n, diff, diff_halfwidth; /* against the baseline; NaN without one */
    enum ccs_verdict verdict;            /* NA without a baseline */
};

/* Replications point p used (its stopping count with targets). */
uint32_t ccs_sweep_point_replications(const struct ccs_sweep *s, size_t p);
size_t ccs_sweep_point_rows(const struct ccs_sweep *s, size_t p);
void ccs_sweep_point_row(const struct ccs_sweep *s, size_t p, size_t i, struct ccs_sweep_row *out);
/* The scenario row keys index: the baseline's with a baseline, else p's. */
const struct ccs_scenario *ccs_sweep_row_scenario(const struct ccs_sweep *s, size_t p);
/*
 * Point p's service level per channel, as run's summary has it
 * (docs/kpis.md): for each channel with queues in p's scenario, in the
 * order of its first queue, three rows: kpi CCS_KPI_offered (contacts),
 * CCS_KPI_service_level (answered within their own queue's threshold /
 * offered, per replication) and CCS_KPI_asa (the mean wait of the
 * contacts its queues answered), with the paired difference against the
 * baseline's same channel (NaN and CCS_VERDICT_NA when it has none).
 */
struct ccs_sweep_channel_row {
    enum ccs_channel channel;
    enum ccs_kpi kpi;        /* CCS_KPI_offered, CCS_KPI_service_level or CCS_KPI_asa */
    double n, mean, halfwidth;
    double diff_n, diff, diff_halfwidth;
    enum ccs_verdict verdict;
};
size_t ccs_sweep_point_channel_rows(const struct ccs_sweep *s, size_t p);
void ccs_sweep_point_channel_row(const struct ccs_sweep *s, size_t p, size_t i,
                                 struct ccs_sweep_channel_row *out);

/* With targets: were they met at p's stopping count, and the half-width achieved. */
bool ccs_sweep_point_met(const struct ccs_sweep *s, size_t p);
double ccs_sweep_point_achieved(const struct ccs_sweep *s, size_t p, size_t target);

/*
 * With a journal, a finished point's rows and outputs are not held in
 * memory: the accessors below and ccs_sweep_point_row read them back from
 * the journal, one point at a time (so they are not thread-safe; reports call
 * them from one thread, point by point). A failed read gives empty rows and
 * NaN values; this returns 0 or that failure (CCS_EIO or CCS_ENOMEM, with d).
 */
int ccs_sweep_read_status(const struct ccs_sweep *s, struct ccs_diag *d);

/* With CCS_SWEEP_OUT_REPLICATIONS: point p's value of whole-run key k (of
   its own scenario's layout, k < n_whole) in replication r (< its
   replications); NaN when undefined or not kept. */
double ccs_sweep_point_rep_value(const struct ccs_sweep *s, size_t p, uint32_t r, size_t k);

/* With CCS_SWEEP_OUT_INTERVALS: the mean over point p's replications of its
   per-interval key k (its own layout, n_whole <= k < n) and the CI
   half-width; NaN when undefined or not kept. */
void ccs_sweep_point_interval(const struct ccs_sweep *s, size_t p, size_t k, double *mean,
                              double *halfwidth);

#endif
