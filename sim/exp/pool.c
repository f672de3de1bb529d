/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * pool.c - the experiments' thread pool (pool.h) on pthreads: one mutex
 * guards the scheduler, one condition variable wakes workers waiting for a
 * task, another wakes the owner waiting for news. Workers share no mutable
 * state but the scheduler; what a task computes is the scheduler's business.
 */
#include "exp/pool.h"
#include "ccs/mem.h"

#include <gsl/gsl_errno.h>
#include <math.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

struct ccs__pool {
    const struct ccs__pool_ops *ops;
    void *ctx;
    pthread_mutex_t mu;
    pthread_cond_t work; /* workers: a task may be available, or the end */
    pthread_cond_t news; /* the owner: a result came in, or the end */
    pthread_t *threads;
    unsigned n_threads;
    bool failed;
    struct ccs_diag err; /* the first failure */
};

/* Under the lock: stop everything with d's error (the first one wins). */
static void fail_locked(struct ccs__pool *p, const struct ccs_diag *d)
{
    if (!p->failed) {
        p->failed = true;
        p->err = *d;
        if (p->err.code == 0)
            ccs_diag_at(&p->err, CCS_EINVAL, NULL, 0, 0, "a task failed");
    }
    pthread_cond_broadcast(&p->work);
    pthread_cond_broadcast(&p->news);
}

/* Under the lock, after a done that asked for it: flush with the lock released. */
static void flush_unlocked(struct ccs__pool *p)
{
    pthread_mutex_unlock(&p->mu);
    struct ccs_diag d;
    ccs_diag_clear(&d);
    int rc = p->ops->flush(p->ctx, &d);
    pthread_mutex_lock(&p->mu);
    if (rc < 0)
        fail_locked(p, &d);
}

/* Under the lock: a result in, successful (rc 0) or not; returns rc, or done's. */
static int take_locked(struct ccs__pool *p, int rc, const void *task, const void *scratch,
                       struct ccs_diag *d)
{
    if (rc == 0 && !p->failed)
        rc = p->ops->done(p->ctx, task, scratch, d);
    if (rc < 0)
        fail_locked(p, d);
    pthread_cond_broadcast(&p->work);
    pthread_cond_signal(&p->news);
    if (rc == CCS__POOL_FLUSH) {
        flush_unlocked(p);
        rc = 0;
    }
    return rc;
}

void ccs__pool_work(struct ccs__pool *p)
{
    const struct ccs__pool_ops *ops = p->ops;
    struct ccs_diag d;
    ccs_diag_clear(&d);
    void *task = ccs_malloc(ops->task_size ? ops->task_size : 1);
    void *scratch = ccs_malloc(ops->scratch_size ? ops->scratch_size : 1);
    pthread_mutex_lock(&p->mu);
    if (task == NULL || scratch == NULL) {
        ccs_diag_at(&d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
        fail_locked(p, &d);
    }
    while (!p->failed) {
        int r = ops->next(p->ctx, task);
        if (r == CCS__POOL_DONE)
            break;
        if (r == CCS__POOL_WAIT) {
            pthread_cond_wait(&p->work, &p->mu);
            continue;
        }
        pthread_mutex_unlock(&p->mu);
        ccs_diag_clear(&d);
        int rc = ops->run(p->ctx, task, scratch, &d);
        pthread_mutex_lock(&p->mu);
        take_locked(p, rc, task, scratch, &d);
    }
    /* the others may wait for a task that this one's end makes impossible */
    pthread_cond_broadcast(&p->work);
    pthread_cond_signal(&p->news);
    pthread_mutex_unlock(&p->mu);
    free(task);
    free(scratch);
}

static void *worker(void *arg)
{
    ccs__pool_work(arg);
    return NULL;
}

int ccs__pool_start(const struct ccs__pool_ops *ops, void *ctx, unsigned threads,
                    struct ccs__pool **out, struct ccs_diag *d)
{
    *out = NULL;
    /* GSL's error handler is process-wide: set it before any thread runs GSL code */
    gsl_set_error_handler_off();
    struct ccs__pool *p = ccs_calloc(1, sizeof *p);
    if (p == NULL || (threads > 0 && (p->threads = ccs_calloc(threads, sizeof *p->threads)) == NULL)) {
        free(p);
        return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    }
    p->ops = ops;
    p->ctx = ctx;
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
            ccs__pool_fail(p, &e);
            break;
        }
        p->n_threads++;
    }
    *out = p;
    return 0;
}

int ccs__pool_next(struct ccs__pool *p, void *task)
{
    pthread_mutex_lock(&p->mu);
    int r = p->failed ? CCS__POOL_DONE : p->ops->next(p->ctx, task);
    pthread_mutex_unlock(&p->mu);
    return r;
}

int ccs__pool_done(struct ccs__pool *p, const void *task, const void *scratch,
                   struct ccs_diag *d)
{
    pthread_mutex_lock(&p->mu);
    int rc = take_locked(p, 0, task, scratch, d);
    pthread_mutex_unlock(&p->mu);
    return rc;
}

void ccs__pool_fail(struct ccs__pool *p, const struct ccs_diag *d)
{
    pthread_mutex_lock(&p->mu);
    fail_locked(p, d);
    pthread_mutex_unlock(&p->mu);
}

static bool over_locked(struct ccs__pool *p)
{
    return p->failed || (p->ops->finished != NULL && p->ops->finished(p->ctx));
}

bool ccs__pool_over(struct ccs__pool *p)
{
    pthread_mutex_lock(&p->mu);
    bool over = over_locked(p);
    pthread_mutex_unlock(&p->mu);
    return over;
}

void ccs__pool_wait(struct ccs__pool *p, double seconds)
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

void ccs__pool_lock(struct ccs__pool *p) { pthread_mutex_lock(&p->mu); }
void ccs__pool_unlock(struct ccs__pool *p) { pthread_mutex_unlock(&p->mu); }

int ccs__pool_finish(struct ccs__pool *p, const char *stopped, struct ccs_diag *d)
{
    if (p == NULL)
        return 0;
    pthread_mutex_lock(&p->mu);
    if (!over_locked(p)) {
        /* stopped early by the owner: let the workers go */
        struct ccs_diag e;
        ccs_diag_clear(&e);
        ccs_diag_at(&e, CCS_EINTERRUPTED, NULL, 0, 0, "%s",
                    stopped != NULL ? stopped : "the work was stopped");
        fail_locked(p, &e);
    }
    pthread_mutex_unlock(&p->mu);
    for (unsigned i = 0; i < p->n_threads; i++)
        pthread_join(p->threads[i], NULL);
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

unsigned ccs__pool_threads(unsigned jobs)
{
    if (jobs > 0)
        return jobs;
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (unsigned)n : 1;
}
