/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * sweep_pool.c - a sweep's tasks on local threads (pthreads). The scenarios
 * are immutable and shared; each task builds its own simulation, so workers
 * share no mutable state but the scheduler, which one mutex guards. Results
 * are folded in by replication number (sweep.c), so the output does not
 * depend on the number of threads or on which finishes first. A finished
 * point's journal record is written under the lock but fsynced outside it,
 * so a slow disk (NFS) does not hold up the other workers.
 */
#include "ccs/sweep.h"

#include "exp/sweep.h"

#include <gsl/gsl_errno.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct ccs_sweep_pool {
    struct ccs_sweep *s;
    pthread_mutex_t mu;
    pthread_cond_t work; /* workers: a task may be available, or the end */
    pthread_cond_t news; /* the caller: a result came in, or the end */
    pthread_t *threads;
    unsigned n_threads;
    bool failed;
    struct ccs_diag err; /* the first failure */
};

/* Under the lock: stop everything with d's error (the first one wins). */
static void fail_locked(struct ccs_sweep_pool *p, const struct ccs_diag *d)
{
    if (!p->failed) {
        p->failed = true;
        p->err = *d;
        if (p->err.code == 0)
            ccs_diag_at(&p->err, CCS_EINVAL, NULL, 0, 0, "a sweep task failed");
    }
    pthread_cond_broadcast(&p->work);
    pthread_cond_broadcast(&p->news);
}

/*
 * Under the lock, after ccs_sweep_done: fsync what the journal received, the
 * lock released meanwhile. A failure stops the pool.
 */
static void sync_unlocked(struct ccs_sweep_pool *p)
{
    if (!p->s->unsynced)
        return;
    p->s->unsynced = false;
    pthread_mutex_unlock(&p->mu);
    struct ccs_diag d;
    ccs_diag_clear(&d);
    int rc = ccs__sweep_journal_sync(p->s, &d);
    pthread_mutex_lock(&p->mu);
    if (rc != 0)
        fail_locked(p, &d);
}

static void *worker(void *arg)
{
    struct ccs_sweep_pool *p = arg;
    struct ccs_diag d;
    ccs_diag_clear(&d);
    double *values = malloc(ccs_sweep_run_size(p->s) * sizeof *values);
    pthread_mutex_lock(&p->mu);
    if (values == NULL) {
        ccs_diag_at(&d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
        fail_locked(p, &d);
    }
    while (!p->failed) {
        struct ccs_sweep_task t;
        int r = ccs_sweep_next(p->s, &t);
        if (r == CCS_SWEEP_DONE)
            break;
        if (r == CCS_SWEEP_WAIT) {
            pthread_cond_wait(&p->work, &p->mu);
            continue;
        }
        pthread_mutex_unlock(&p->mu);
        ccs_diag_clear(&d);
        int rc = ccs_sweep_task_run(p->s, &t, values, &d);
        pthread_mutex_lock(&p->mu);
        if (rc == 0 && !p->failed)
            rc = ccs_sweep_done(p->s, &t, values, &d);
        if (rc != 0)
            fail_locked(p, &d);
        pthread_cond_broadcast(&p->work);
        pthread_cond_signal(&p->news);
        sync_unlocked(p);
    }
    pthread_cond_broadcast(&p->work);
    pthread_cond_signal(&p->news);
    pthread_mutex_unlock(&p->mu);
    free(values);
    return NULL;
}

int ccs_sweep_pool_start(struct ccs_sweep *s, unsigned threads, struct ccs_sweep_pool **out,
                         struct ccs_diag *d)
{
    *out = NULL;
    /* GSL's error handler is process-wide: set it before any thread runs GSL code */
    gsl_set_error_handler_off();
    struct ccs_sweep_pool *p = calloc(1, sizeof *p);
    if (p == NULL || (threads > 0 && (p->threads = calloc(threads, sizeof *p->threads)) == NULL)) {
        free(p);
        return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    }
    p->s = s;
    s->defer_sync = true;
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_mutex_init(&p->mu, NULL);
    pthread_cond_init(&p->work, NULL);
    pthread_cond_init(&p->news, &ca);
    pthread_condattr_destroy(&ca);
    for (unsigned i = 0; i < threads; i++) {
        if (pthread_create(&p->threads[i], NULL, worker, p) != 0) {
            struct ccs_diag e;
            ccs_diag_clear(&e);
            ccs_diag_at(&e, CCS_ENOMEM, NULL, 0, 0, "cannot start worker thread %u of %u", i + 1,
                        threads);
            pthread_mutex_lock(&p->mu);
            fail_locked(p, &e);
            pthread_mutex_unlock(&p->mu);
            break;
        }
        p->n_threads++;
    }
    *out = p;
    return 0;
}

int ccs_sweep_pool_next(struct ccs_sweep_pool *p, struct ccs_sweep_task *t)
{
    pthread_mutex_lock(&p->mu);
    int r = p->failed ? CCS_SWEEP_DONE : ccs_sweep_next(p->s, t);
    pthread_mutex_unlock(&p->mu);
    return r;
}

int ccs_sweep_pool_done(struct ccs_sweep_pool *p, const struct ccs_sweep_task *t,
                        const double *values, struct ccs_diag *d)
{
    pthread_mutex_lock(&p->mu);
    int rc = 0;
    if (!p->failed && (rc = ccs_sweep_done(p->s, t, values, d)) != 0)
        fail_locked(p, d);
    pthread_cond_broadcast(&p->work);
    pthread_cond_signal(&p->news);
    sync_unlocked(p);
    pthread_mutex_unlock(&p->mu);
    return rc;
}

void ccs_sweep_pool_fail(struct ccs_sweep_pool *p, const struct ccs_diag *d)
{
    pthread_mutex_lock(&p->mu);
    fail_locked(p, d);
    pthread_mutex_unlock(&p->mu);
}

static bool over_locked(struct ccs_sweep_pool *p)
{
    return p->failed || ccs_sweep_finished(p->s);
}

void ccs_sweep_pool_wait(struct ccs_sweep_pool *p, double seconds)
{
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    double whole = floor(seconds);
    until.tv_sec += (time_t)whole;
    until.tv_nsec += (long)((seconds - whole) * 1e9);
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&p->mu);
    if (!over_locked(p))
        pthread_cond_timedwait(&p->news, &p->mu, &until);
    pthread_mutex_unlock(&p->mu);
}

bool ccs_sweep_pool_over(struct ccs_sweep_pool *p)
{
    pthread_mutex_lock(&p->mu);
    bool over = over_locked(p);
    pthread_mutex_unlock(&p->mu);
    return over;
}

void ccs_sweep_pool_progress(struct ccs_sweep_pool *p, struct ccs_sweep_progress *out)
{
    pthread_mutex_lock(&p->mu);
    ccs_sweep_get_progress(p->s, out);
    pthread_mutex_unlock(&p->mu);
}

int ccs_sweep_pool_finish(struct ccs_sweep_pool *p, struct ccs_diag *d)
{
    if (p == NULL)
        return 0;
    pthread_mutex_lock(&p->mu);
    if (!over_locked(p)) {
        /* stopped early by the caller: let the workers go */
        struct ccs_diag e;
        ccs_diag_clear(&e);
        ccs_diag_at(&e, CCS_EINTERRUPTED, NULL, 0, 0, "the sweep was stopped");
        fail_locked(p, &e);
    }
    pthread_mutex_unlock(&p->mu);
    for (unsigned i = 0; i < p->n_threads; i++)
        pthread_join(p->threads[i], NULL);
    struct ccs_diag e;
    ccs_diag_clear(&e);
    if (p->s->unsynced && ccs__sweep_journal_sync(p->s, &e) != 0 && !p->failed) {
        p->failed = true;
        p->err = e;
    }
    p->s->unsynced = false;
    p->s->defer_sync = false;
    int rc = 0;
    if (p->failed) {
        rc = p->err.code ? p->err.code : CCS_EINVAL;
        if (d != NULL && d->code == 0)
            *d = p->err;
    }
    pthread_cond_destroy(&p->work);
    pthread_cond_destroy(&p->news);
    pthread_mutex_destroy(&p->mu);
    free(p->threads);
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
