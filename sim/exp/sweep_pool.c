/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * sweep_pool.c - a sweep's tasks on local threads: the sweep's scheduler
 * (sweep.c) on the experiments' thread pool (pool.h). The scenarios are
 * immutable and shared; each task builds its own simulation, so workers
 * share no mutable state but the scheduler, which the pool's lock guards.
 * Results are folded in by replication number (sweep.c), so the output does
 * not depend on the number of threads or on which finishes first. A
 * finished point's journal record is written under the lock but fsynced
 * outside it, so a slow disk (NFS) does not hold up the other workers.
 */
#include "ccs/sweep.h"

#include "exp/pool.h"
#include "exp/sweep.h"
#include "ccs/mem.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct ccs_sweep_pool {
    struct ccs_sweep *s;
    struct ccs__pool_ops ops;
    struct ccs__pool *pool;
};

/* --- the sweep's scheduler as the pool's ops --------------------------------------- */

static int sched_next(void *ctx, void *task)
{
    switch (ccs_sweep_next(ctx, task)) {
    case CCS_SWEEP_TASK:
        return CCS__POOL_TASK;
    case CCS_SWEEP_WAIT:
        return CCS__POOL_WAIT;
    default:
        return CCS__POOL_DONE;
    }
}

static int sched_run(void *ctx, const void *task, void *scratch, struct ccs_diag *d)
{
    return ccs_sweep_task_run(ctx, task, scratch, d);
}

/* Fold a result in; a journal record written asks the pool to fsync it unlocked. */
static int sched_done(void *ctx, const void *task, const void *scratch, struct ccs_diag *d)
{
    struct ccs_sweep *s = ctx;
    int rc = ccs_sweep_done(s, task, scratch, d);
    if (rc == 0 && s->unsynced) {
        s->unsynced = false;
        return CCS__POOL_FLUSH;
    }
    return rc;
}

static int sched_flush(void *ctx, struct ccs_diag *d)
{
    return ccs__sweep_journal_sync(ctx, d);
}

static bool sched_finished(void *ctx)
{
    return ccs_sweep_finished(ctx);
}

/* --- the public pool ------------------------------------------------------------------ */

int ccs_sweep_pool_start(struct ccs_sweep *s, unsigned threads, struct ccs_sweep_pool **out,
                         struct ccs_diag *d)
{
    *out = NULL;
    struct ccs_sweep_pool *p = ccs_calloc(1, sizeof *p);
    if (p == NULL)
        return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    p->s = s;
    p->ops = (struct ccs__pool_ops){sizeof(struct ccs_sweep_task),
                                    ccs_sweep_run_size(s) * sizeof(double),
                                    sched_next,
                                    sched_run,
                                    sched_done,
                                    sched_flush,
                                    sched_finished};
    s->defer_sync = true;
    int rc = ccs__pool_start(&p->ops, s, threads, &p->pool, d);
    if (rc != 0) {
        s->defer_sync = false;
        free(p);
        return rc;
    }
    *out = p;
    return 0;
}

int ccs_sweep_pool_next(struct ccs_sweep_pool *p, struct ccs_sweep_task *t)
{
    switch (ccs__pool_next(p->pool, t)) {
    case CCS__POOL_TASK:
        return CCS_SWEEP_TASK;
    case CCS__POOL_WAIT:
        return CCS_SWEEP_WAIT;
    default:
        return CCS_SWEEP_DONE;
    }
}

int ccs_sweep_pool_done(struct ccs_sweep_pool *p, const struct ccs_sweep_task *t,
                        const double *values, struct ccs_diag *d)
{
    return ccs__pool_done(p->pool, t, values, d);
}

void ccs_sweep_pool_fail(struct ccs_sweep_pool *p, const struct ccs_diag *d)
{
    ccs__pool_fail(p->pool, d);
}

void ccs_sweep_pool_wait(struct ccs_sweep_pool *p, double seconds)
{
    ccs__pool_wait(p->pool, seconds);
}

bool ccs_sweep_pool_over(struct ccs_sweep_pool *p)
{
    return ccs__pool_over(p->pool);
}

void ccs_sweep_pool_progress(struct ccs_sweep_pool *p, struct ccs_sweep_progress *out)
{
    ccs__pool_lock(p->pool);
    ccs_sweep_get_progress(p->s, out);
    ccs__pool_unlock(p->pool);
}

int ccs_sweep_pool_finish(struct ccs_sweep_pool *p, struct ccs_diag *d)
{
    if (p == NULL)
        return 0;
    struct ccs_diag e;
    ccs_diag_clear(&e);
    /* stopped early by the caller: the workers go, and say so */
    int rc = ccs__pool_finish(p->pool, "the sweep was stopped", &e);
    struct ccs_sweep *s = p->s;
    if (s->unsynced) {
        struct ccs_diag f;
        ccs_diag_clear(&f);
        int src = ccs__sweep_journal_sync(s, &f);
        if (src != 0 && rc == 0) {
            rc = src;
            e = f;
        }
    }
    s->unsynced = false;
    s->defer_sync = false;
    if (rc != 0 && d != NULL && d->code == 0)
        *d = e;
    free(p);
    return rc;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

int ccs_sweep_run(struct ccs_sweep *s, const struct ccs_sweep_exec *x, struct ccs_diag *d)
{
    struct ccs_sweep_pool *p;
    unsigned jobs = x->jobs > 0 ? x->jobs : 1;
    int rc = ccs_sweep_pool_start(s, jobs, &p, d);
    if (rc != 0)
        return rc;
    double every = x->every > 0 ? x->every : 0.5, last = now();
    struct ccs_sweep_progress pr;
    while (!ccs_sweep_pool_over(p)) {
        ccs_sweep_pool_wait(p, every);
        if (x->progress != NULL && now() - last >= every) {
            last = now();
            ccs_sweep_pool_progress(p, &pr);
            x->progress(x->ctx, &pr);
        }
    }
    rc = ccs_sweep_pool_finish(p, d);
    if (x->progress != NULL) {
        ccs_sweep_get_progress(s, &pr);
        x->progress(x->ctx, &pr);
    }
    return rc;
}
