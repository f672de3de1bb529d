/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * reps.h (internal) - replications 0, 1, 2, ... of an experiment on the
 * thread pool (pool.h), folded in replication order, so that the answer is
 * the sequential one whatever the number of threads: run, compare and staff
 * use it, and so can any later command that runs replications. Also one
 * replication simulated apart from the summary it goes into (summary.c).
 */
#ifndef CCS_EXP_REPS_H
#define CCS_EXP_REPS_H

#include "ccs/error.h"
#include "ccs/run.h"
#include "ccs/sim.h"

#include <stdint.h>

/*
 * An experiment's replications. Each replication is `parts` tasks (e.g. one
 * per variant), run on any thread, concurrently; fold sees the replications
 * one at a time in order 0, 1, 2, ..., each after all its parts ran, and
 * may stop the run after any of them (a sequential stopping rule): the
 * replications folded, and what fold saw, are exactly those of a loop
 * running them one by one. Replications beyond the stopping point may have
 * been run speculatively; they are never folded.
 *
 * Storage: at any time the replications run but not yet folded lie in
 * [folded, folded + window) (ccs__reps_window), so run may write
 * replication rep's results into slot rep % window of storage the owner
 * keeps, and fold read them from there.
 */
struct ccs__reps {
    uint32_t max;   /* replications 0..max-1 at most */
    uint32_t parts; /* tasks per replication, >= 1 */
    unsigned jobs;  /* threads (the caller's included); 0 = one per online processor */
    void *ctx;
    /* Part `part` of replication rep: writes only what belongs to (rep, part).
       0, or negative with d: then fold is not called for rep, and if rep is
       reached in order, the run fails with the error of its lowest failing part. */
    int (*run)(void *ctx, uint32_t rep, uint32_t part, struct ccs_diag *d);
    /* Replication rep, in order, one call at a time: 0 to go on, 1 to stop
       after it, or negative with d to fail. */
    int (*fold)(void *ctx, uint32_t rep, struct ccs_diag *d);
};

/* Slots the owner keeps for r: 1 with one thread. */
uint32_t ccs__reps_window(const struct ccs__reps *r);

/*
 * Run r's replications on up to r->jobs threads (the calling thread is one
 * of them; fewer when there are fewer tasks). *used receives how many were folded (the stopping count,
 * or max). Returns 0 or the first error in replication order (d).
 */
int ccs__reps_run(const struct ccs__reps *r, uint32_t *used, struct ccs_diag *d);

/* --- one replication apart from its summary (summary.c) ----------------------------- */

/* A replication's results, computed on any thread and folded later. */
struct ccs__rep {
    struct ccs_sim *sim; /* the finished run, kept for its wait histograms until folded */
    double *values;      /* its metrics in layout order (layout n) */
    double *samples;     /* its time series: n_points x n_cols, or NULL without one */
};

/*
 * Simulate replication rep of sc (s's scenario, or one of its layout) with
 * seed into out, allocating its buffers on first use (out zeroed to start).
 * Reads only what of s does not change after ccs_summary_new (its sampling),
 * so threads may call it while another folds into s. o may be NULL;
 * o->prepare, if any, is called on the fresh simulation. Returns 0 or
 * negative with d.
 */
int ccs__rep_run(const struct ccs_summary *s, const struct ccs_scenario *sc, uint64_t seed,
                 uint32_t rep, const struct ccs_run_opts *o, struct ccs__rep *out,
                 struct ccs_diag *d);

/* Fold a replication run for s (with seed) into s, and free its simulation.
   0, or CCS_ENOMEM with d. */
int ccs__rep_fold(struct ccs_summary *s, uint64_t seed, struct ccs__rep *r, struct ccs_diag *d);

/* Free a replication's simulation and buffers. */
void ccs__rep_release(struct ccs__rep *r);

#endif
