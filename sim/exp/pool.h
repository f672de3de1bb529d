/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * pool.h (internal) - the one thread pool of the experiments. Workers take
 * tasks from a scheduler the owner supplies (next, under the pool's lock),
 * run them without the lock, and hand the results back (done, under the
 * lock). The sweep (sweep_pool.c) and ordered replications (reps.h: run,
 * compare, staff) are its two schedulers.
 */
#ifndef CCS_EXP_POOL_H
#define CCS_EXP_POOL_H

#include "ccs/error.h"

#include <stdbool.h>
#include <stddef.h>

/* What a scheduler's next returns. */
enum {
    CCS__POOL_WAIT = 0, /* nothing to hand out now: wait for results in flight */
    CCS__POOL_TASK = 1, /* *task is a task */
    CCS__POOL_DONE = 2, /* nothing more will ever be handed out */
};

/* What done may return besides 0 and a negative code: call flush without the lock. */
#define CCS__POOL_FLUSH 1

/*
 * A scheduler. ctx is the owner's; next, done and finished run under the
 * pool's lock (one at a time), run and flush without it.
 */
struct ccs__pool_ops {
    size_t task_size;    /* bytes of a task, as next fills and run and done read */
    size_t scratch_size; /* bytes of each worker's scratch (run writes, done reads); may be 0 */
    /* The next task into task: CCS__POOL_WAIT, TASK or DONE. */
    int (*next)(void *ctx, void *task);
    /* Run a task: any number of workers at once. 0, or negative with d (stops the pool). */
    int (*run)(void *ctx, const void *task, void *scratch, struct ccs_diag *d);
    /* Take a task's result: 0, CCS__POOL_FLUSH, or negative with d (stops the pool). */
    int (*done)(void *ctx, const void *task, const void *scratch, struct ccs_diag *d);
    /* After a done that asked for it; NULL if none does. 0, or negative with d (stops). */
    int (*flush)(void *ctx, struct ccs_diag *d);
    /* Is all the work in? (for ccs__pool_over and ccs__pool_wait) */
    bool (*finished)(void *ctx);
};

struct ccs__pool;

/*
 * Start threads workers (0: the caller does every task itself, with
 * ccs__pool_work or ccs__pool_next/done). ops and ctx must outlive the pool.
 * gsl_set_error_handler_off() is called before any thread starts (GSL's
 * handler is process-wide). A thread that cannot start stops the pool with
 * CCS_ENOMEM (reported by ccs__pool_finish). Returns 0, or CCS_ENOMEM with d.
 */
int ccs__pool_start(const struct ccs__pool_ops *ops, void *ctx, unsigned threads,
                    struct ccs__pool **out, struct ccs_diag *d);

/* The calling thread works like a worker until nothing is left to hand out. */
void ccs__pool_work(struct ccs__pool *p);

/* For work done elsewhere (MPI ranks): next and done under the lock. next
   gives CCS__POOL_DONE once the pool stopped; done returns 0 or done's
   negative code (with d), which also stops the pool. */
int ccs__pool_next(struct ccs__pool *p, void *task);
int ccs__pool_done(struct ccs__pool *p, const void *task, const void *scratch,
                   struct ccs_diag *d);

/* Stop with d's error (the first failure wins); workers finish what they run. */
void ccs__pool_fail(struct ccs__pool *p, const struct ccs_diag *d);
/* Finished, or stopped by a failure? */
bool ccs__pool_over(struct ccs__pool *p);
/* Sleep until a result comes in, the work is over, or `seconds` pass. */
void ccs__pool_wait(struct ccs__pool *p, double seconds);
/* Hold the lock, e.g. to read the scheduler's progress. */
void ccs__pool_lock(struct ccs__pool *p);
void ccs__pool_unlock(struct ccs__pool *p);

/*
 * Join the workers and free the pool (NULL is fine). Work not over by then
 * is stopped with CCS_EINTERRUPTED and the message `stopped` (NULL: "the
 * work was stopped"). Returns 0 or the first failure (into d unless d
 * already holds an error).
 */
int ccs__pool_finish(struct ccs__pool *p, const char *stopped, struct ccs_diag *d);

/* Threads for `jobs`: jobs itself, or with 0 the online processors (at least 1). */
unsigned ccs__pool_threads(unsigned jobs);

#endif
