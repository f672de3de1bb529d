/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * reps.c - ordered replications on the thread pool (reps.h). Tasks go out
 * replication by replication, part by part, at most a window of
 * replications ahead of the fold; results come back in any order and are
 * folded strictly in replication order. A failure is kept with its
 * replication and reported only when the fold reaches it, so the error is
 * the one a sequential loop would meet, and none beyond a stopping point.
 */
#include "exp/reps.h"

#include "exp/pool.h"
#include "ccs/mem.h"

#include <stdlib.h>
#include <string.h>

struct task {
    uint32_t rep, part;
};

/* A worker's result of one task. */
struct outcome {
    int rc;
    struct ccs_diag d;
};

/* One replication in flight: its parts in, and its first failure by part. */
struct slot {
    uint32_t in;
    uint32_t err_part; /* lowest failing part, or UINT32_MAX */
    int rc;
    struct ccs_diag err;
};

struct state {
    const struct ccs__reps *r;
    uint32_t window;
    struct slot *slots;
    uint32_t rep, part; /* the next task to hand out */
    uint32_t folded;    /* replications 0..folded-1 are folded */
    bool stopped;       /* by fold, or a failure */
};

uint32_t ccs__reps_window(const struct ccs__reps *r)
{
    unsigned jobs = ccs__pool_threads(r->jobs);
    uint32_t parts = r->parts ? r->parts : 1;
    if (jobs <= 1 || r->max <= 1)
        return 1;
    /* about two tasks per thread in flight: busy threads, and room for a slow one */
    uint64_t w = (2 * (uint64_t)jobs + parts - 1) / parts;
    if (w < 2)
        w = 2;
    return w < r->max ? (uint32_t)w : r->max;
}

static void slot_reset(struct slot *s)
{
    s->in = 0;
    s->err_part = UINT32_MAX;
    s->rc = 0;
}

static int next(void *ctx, void *task)
{
    struct state *st = ctx;
    if (st->stopped || st->rep >= st->r->max)
        return CCS__POOL_DONE;
    if (st->rep >= st->folded + st->window)
        return CCS__POOL_WAIT;
    struct task *t = task;
    t->rep = st->rep;
    t->part = st->part;
    if (++st->part == st->r->parts) {
        st->part = 0;
        st->rep++;
    }
    return CCS__POOL_TASK;
}

static int run(void *ctx, const void *task, void *scratch, struct ccs_diag *d)
{
    const struct state *st = ctx;
    const struct task *t = task;
    struct outcome *o = scratch;
    ccs_diag_clear(&o->d);
    o->rc = st->r->run(st->r->ctx, t->rep, t->part, &o->d);
    (void)d; /* a failure waits for its turn in the fold */
    return 0;
}

static int done(void *ctx, const void *task, const void *scratch, struct ccs_diag *d)
{
    struct state *st = ctx;
    const struct task *t = task;
    const struct outcome *o = scratch;
    if (st->stopped)
        return 0; /* beyond the stopping point: never used */
    struct slot *s = &st->slots[t->rep % st->window];
    if (o->rc != 0 && t->part < s->err_part) {
        s->err_part = t->part;
        s->rc = o->rc;
        s->err = o->d;
    }
    s->in++;
    while (!st->stopped && st->folded < st->r->max) {
        s = &st->slots[st->folded % st->window];
        if (s->in < st->r->parts)
            break;
        int rc = s->rc;
        if (rc != 0)
            *d = s->err;
        else
            rc = st->r->fold(st->r->ctx, st->folded, d);
        slot_reset(s);
        if (rc < 0) {
            st->stopped = true;
            if (d->code == 0)
                ccs_diag_at(d, rc, NULL, 0, 0, "replication %u: %s", st->folded,
                            ccs_strerror(rc));
            return rc;
        }
        st->folded++;
        if (rc > 0)
            st->stopped = true;
    }
    return 0;
}

static bool finished(void *ctx)
{
    const struct state *st = ctx;
    return st->stopped || st->folded >= st->r->max;
}

int ccs__reps_run(const struct ccs__reps *r, uint32_t *used, struct ccs_diag *d)
{
    *used = 0;
    if (r->max == 0 || r->parts == 0)
        return 0;
    struct state st = {r, ccs__reps_window(r), NULL, 0, 0, 0, false};
    st.slots = ccs_malloc(st.window * sizeof *st.slots);
    if (st.slots == NULL)
        return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    for (uint32_t i = 0; i < st.window; i++)
        slot_reset(&st.slots[i]);
    /* no more threads than tasks the window lets out at once */
    uint64_t tasks = (uint64_t)st.window * r->parts;
    unsigned threads = ccs__pool_threads(r->jobs);
    if (threads > tasks)
        threads = (unsigned)tasks;
    static const struct ccs__pool_ops ops = {sizeof(struct task), sizeof(struct outcome), next,
                                             run, done, NULL, finished};
    struct ccs__pool *p;
    int rc = ccs__pool_start(&ops, &st, threads - 1, &p, d);
    if (rc == 0) {
        ccs__pool_work(p);
        /* the last tasks may still run on other threads */
        while (!ccs__pool_over(p))
            ccs__pool_wait(p, 1.0);
        rc = ccs__pool_finish(p, NULL, d);
    }
    *used = st.folded;
    free(st.slots);
    return rc;
}
