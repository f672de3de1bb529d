/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * sweep_mpi.c - `ccsim sweep` on MPI ranks (sweep_mpi.h), built as the
 * module ccsim-mpi.so that the command opens (sweep_mpi_load.c): the one
 * file that includes mpi.h and the one binary that links MPI. Rank 0 runs the
 * scheduler (ccs_sweep_pool, with its own simulation threads) and gives
 * tasks to the other ranks as they have room (each keeps jobs + 2 in hand,
 * so its threads rarely wait for a round trip); results come back tagged with
 * their (point, replication) and are folded in by number, so the output is
 * the single-machine output byte for byte. Only the main thread of a rank
 * calls MPI (MPI_THREAD_FUNNELED); waits poll with short sleeps rather than
 * blocking in MPI, whose blocking calls spin and would steal a core from
 * the simulations. Sends are non-blocking for the same reason: a blocking
 * send of a result spun for up to a millisecond while rank 0 slept (measured:
 * 40% of a core on rank 1). The sleeps grow while nothing happens and
 * shrink when work comes.
 */
#include "app/sweep_mpi.h"
#include "ccs/mem.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <mpi.h>
#include <pthread.h>
#include <time.h>

enum { TAG_READY = 1, TAG_TASK, TAG_RESULT, TAG_FAIL, TAG_STOP, TAG_BYE };

static int mpi_init(int *argc, char ***argv, int *rank, int *size)
{
    int provided = 0;
    if (MPI_Init_thread(argc, argv, MPI_THREAD_FUNNELED, &provided) != MPI_SUCCESS) {
        fprintf(stderr, "ccsim sweep: error: MPI could not start\n");
        return -1;
    }
    MPI_Comm_rank(MPI_COMM_WORLD, rank);
    MPI_Comm_size(MPI_COMM_WORLD, size);
    if (provided < MPI_THREAD_FUNNELED) {
        if (*rank == 0)
            fprintf(stderr, "ccsim sweep: error: this MPI library does not support threads "
                            "(MPI_THREAD_FUNNELED)\n");
        MPI_Finalize();
        return -1;
    }
    return 0;
}

static void mpi_finalize(void) { MPI_Finalize(); }

static int mpi_agree(int status)
{
    int worst = status;
    MPI_Allreduce(&status, &worst, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    return worst;
}

static int mpi_root(int status)
{
    MPI_Bcast(&status, 1, MPI_INT, 0, MPI_COMM_WORLD);
    return status;
}

static int mpi_same(const struct ccs_sweep *s)
{
    char mine[17], root[17];
    snprintf(mine, sizeof mine, "%s", ccs_sweep_identity(s));
    memcpy(root, mine, sizeof root);
    MPI_Bcast(root, (int)sizeof root, MPI_CHAR, 0, MPI_COMM_WORLD);
    int differ = strcmp(mine, root) != 0, total = 0;
    MPI_Allreduce(&differ, &total, 1, MPI_INT, MPI_SUM, MPI_COMM_WORLD);
    return total;
}

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static void nap(void)
{
    struct timespec t = {0, 500000}; /* 0.5 ms */
    nanosleep(&t, NULL);
}

/* The next idle sleep: doubling from 50 us up to `most`, back to 50 us when busy. */
static double backoff(double idle, bool busy, double most)
{
    return busy ? 50e-6 : idle * 2 > most ? most : idle * 2;
}

/* Messages on their way (MPI_Isend), each with the malloc'd buffer it sends. */
struct outq {
    MPI_Request *req;
    void **buf;
    size_t n, cap;
};

/* Free what has been sent. */
static void outq_reap(struct outq *q)
{
    for (size_t i = 0; i < q->n;) {
        int done = 0;
        MPI_Test(&q->req[i], &done, MPI_STATUS_IGNORE);
        if (!done) {
            i++;
            continue;
        }
        free(q->buf[i]);
        q->req[i] = q->req[--q->n];
        q->buf[i] = q->buf[q->n];
    }
}

/* Send buf (malloc'd; freed once sent) without waiting. Falls back to a
   blocking send when out of memory. */
static void outq_send(struct outq *q, void *buf, int count, MPI_Datatype type, int dest, int tag)
{
    outq_reap(q);
    if (q->n == q->cap) {
        size_t cap = q->cap ? 2 * q->cap : 16;
        MPI_Request *r = ccs_realloc(q->req, cap * sizeof *r);
        if (r != NULL)
            q->req = r;
        void **b = r != NULL ? ccs_realloc(q->buf, cap * sizeof *b) : NULL;
        if (b != NULL) {
            q->buf = b;
            q->cap = cap;
        }
        if (r == NULL || b == NULL) {
            MPI_Send(buf, count, type, dest, tag, MPI_COMM_WORLD);
            free(buf);
            return;
        }
    }
    MPI_Isend(buf, count, type, dest, tag, MPI_COMM_WORLD, &q->req[q->n]);
    q->buf[q->n++] = buf;
}

/* Wait until everything was sent, then free the queue. */
static void outq_finish(struct outq *q)
{
    for (outq_reap(q); q->n > 0; outq_reap(q))
        nap();
    free(q->req);
    free(q->buf);
}

static struct timespec deadline(double seconds)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    t.tv_nsec += (long)(seconds * 1e9);
    while (t.tv_nsec >= 1000000000L) {
        t.tv_sec++;
        t.tv_nsec -= 1000000000L;
    }
    return t;
}

/* --- rank 0 --------------------------------------------------------------------------- */

/* The largest result message: (point, rep) then the values. */
static size_t max_result(const struct ccs_sweep *s)
{
    size_t m = 0;
    for (size_t p = 0; p < ccs_sweep_point_count(s); p++)
        if (ccs_sweep_result_size(s, p) > m)
            m = ccs_sweep_result_size(s, p);
    return m + 2;
}

/* Take every message waiting; returns whether there was one. */
static bool coordinator_receive(struct ccs_sweep_pool *pool, double *buf, size_t cap, int *credit,
                                int *byes, bool stopping, unsigned long long *remote)
{
    bool any = false;
    for (;;) {
        int flag = 0;
        MPI_Status st;
        MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st);
        if (!flag)
            return any;
        any = true;
        int src = st.MPI_SOURCE, n = 0;
        switch (st.MPI_TAG) {
        case TAG_READY:
            MPI_Recv(&n, 1, MPI_INT, src, TAG_READY, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            credit[src] += n;
            break;
        case TAG_RESULT: {
            MPI_Recv(buf, (int)cap, MPI_DOUBLE, src, TAG_RESULT, MPI_COMM_WORLD, &st);
            credit[src]++;
            struct ccs_sweep_task t = {(uint32_t)buf[0], (uint32_t)buf[1]};
            struct ccs_diag d;
            ccs_diag_clear(&d);
            if (!stopping) {
                ccs_sweep_pool_done(pool, &t, buf + 2, &d);
                (*remote)++;
            }
            break;
        }
        case TAG_FAIL: {
            struct ccs_diag d;
            ccs_diag_clear(&d);
            MPI_Recv(d.msg, (int)sizeof d.msg, MPI_CHAR, src, TAG_FAIL, MPI_COMM_WORLD,
                     MPI_STATUS_IGNORE);
            d.msg[sizeof d.msg - 1] = '\0';
            d.code = CCS_EINVAL;
            if (!stopping)
                ccs_sweep_pool_fail(pool, &d);
            break;
        }
        case TAG_BYE:
            MPI_Recv(NULL, 0, MPI_BYTE, src, TAG_BYE, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            (*byes)++;
            break;
        default: /* unknown: take it off the queue */
            MPI_Recv(buf, (int)cap, MPI_BYTE, src, st.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            break;
        }
    }
}

static int coordinator(struct ccs_sweep *s, int size, unsigned jobs,
                       void (*progress)(void *, const struct ccs_sweep_progress *), void *ctx,
                       double every, unsigned long long *remote, struct ccs_diag *d)
{
    struct ccs_sweep_pool *pool;
    int rc = ccs_sweep_pool_start(s, jobs, &pool, d);
    size_t cap = max_result(s);
    double *buf = ccs_malloc(cap * sizeof *buf);
    int *credit = ccs_calloc((size_t)size, sizeof *credit), byes = 0;
    if (rc == 0 && (buf == NULL || credit == NULL)) {
        struct ccs_diag e;
        ccs_diag_clear(&e);
        ccs_diag_at(&e, CCS_ENOMEM, NULL, 0, 0, "out of memory");
        ccs_sweep_pool_fail(pool, &e);
    }
    double last = now(), idle = 50e-6;
    struct outq q = {NULL, NULL, 0, 0};
    struct ccs_sweep_progress pr;
    while (rc == 0 && !ccs_sweep_pool_over(pool)) {
        bool busy = coordinator_receive(pool, buf, cap, credit, &byes, false, remote);
        for (int r = 1; r < size; r++) {
            while (credit[r] > 0) {
                struct ccs_sweep_task t;
                if (ccs_sweep_pool_next(pool, &t) != CCS_SWEEP_TASK)
                    break;
                unsigned *msg = ccs_malloc(2 * sizeof *msg);
                if (msg == NULL) {
                    unsigned now_msg[2] = {t.point, t.rep};
                    MPI_Send(now_msg, 2, MPI_UNSIGNED, r, TAG_TASK, MPI_COMM_WORLD);
                } else {
                    msg[0] = t.point;
                    msg[1] = t.rep;
                    outq_send(&q, msg, 2, MPI_UNSIGNED, r, TAG_TASK);
                }
                credit[r]--;
                busy = true;
            }
        }
        if (progress != NULL && now() - last >= every) {
            last = now();
            ccs_sweep_pool_progress(pool, &pr);
            progress(ctx, &pr);
        }
        outq_reap(&q);
        idle = backoff(idle, busy, 0.5e-3);
        if (!busy)
            ccs_sweep_pool_wait(pool, idle);
    }
    /* stop the workers and drain what they still send until each says goodbye */
    outq_finish(&q);
    for (int r = 1; r < size; r++)
        MPI_Send(NULL, 0, MPI_BYTE, r, TAG_STOP, MPI_COMM_WORLD);
    while (byes < size - 1)
        if (!coordinator_receive(pool, buf, cap, credit, &byes, true, remote))
            nap();
    if (rc == 0)
        rc = ccs_sweep_pool_finish(pool, d);
    if (progress != NULL) {
        ccs_sweep_get_progress(s, &pr);
        progress(ctx, &pr);
    }
    free(buf);
    free(credit);
    return rc;
}

/* --- ranks 1.. ---------------------------------------------------------------------------- */

/* A finished task on its way to rank 0: buf = (point, rep, values...), or a failure. */
struct outcome {
    double *buf;
    size_t n;
    struct ccs_diag d;
    bool failed;
};

struct worker_rank {
    const struct ccs_sweep *s;
    pthread_mutex_t mu;
    pthread_cond_t cv_in;  /* threads: a task came in, or stop */
    pthread_cond_t cv_out; /* main: an outcome is ready */
    struct ccs_sweep_task *inbox;
    size_t n_in, cap_in;
    struct outcome *outbox;
    size_t n_out, cap_out;
    bool stop;
};

static void *rank_thread(void *arg)
{
    struct worker_rank *w = arg;
    double *values = ccs_malloc(ccs_sweep_run_size(w->s) * sizeof *values);
    pthread_mutex_lock(&w->mu);
    for (;;) {
        while (w->n_in == 0 && !w->stop)
            pthread_cond_wait(&w->cv_in, &w->mu);
        if (w->stop)
            break;
        struct ccs_sweep_task t = w->inbox[0];
        memmove(w->inbox, w->inbox + 1, --w->n_in * sizeof *w->inbox);
        pthread_mutex_unlock(&w->mu);
        struct outcome o;
        memset(&o, 0, sizeof o);
        int rc = values != NULL ? ccs_sweep_task_run(w->s, &t, values, &o.d)
                                : ccs_diag_at(&o.d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
        if (rc == 0) {
            o.n = ccs_sweep_result_size(w->s, t.point) + 2;
            if ((o.buf = ccs_malloc(o.n * sizeof *o.buf)) == NULL) {
                ccs_diag_at(&o.d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
                rc = CCS_ENOMEM;
            } else {
                o.buf[0] = t.point;
                o.buf[1] = t.rep;
                memcpy(o.buf + 2, values, (o.n - 2) * sizeof *values);
            }
        }
        o.failed = rc != 0;
        pthread_mutex_lock(&w->mu);
        /* the outbox holds at most jobs + 2 outcomes: its room was made at the start */
        w->outbox[w->n_out++] = o;
        pthread_cond_signal(&w->cv_out);
    }
    pthread_mutex_unlock(&w->mu);
    free(values);
    return NULL;
}

static int worker(const struct ccs_sweep *s, int rank, unsigned jobs)
{
    struct worker_rank w;
    memset(&w, 0, sizeof w);
    w.s = s;
    int room = (int)jobs + 2; /* in hand: one running per thread, two waiting */
    w.cap_in = w.cap_out = (size_t)room;
    w.inbox = ccs_calloc(w.cap_in, sizeof *w.inbox);
    w.outbox = ccs_calloc(w.cap_out, sizeof *w.outbox);
    pthread_t *th = ccs_calloc(jobs, sizeof *th);
    pthread_condattr_t ca;
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_mutex_init(&w.mu, NULL);
    pthread_cond_init(&w.cv_in, NULL);
    pthread_cond_init(&w.cv_out, &ca);
    pthread_condattr_destroy(&ca);
    unsigned started = 0;
    if (w.inbox == NULL || w.outbox == NULL || th == NULL)
        room = 0;
    for (unsigned i = 0; room > 0 && i < jobs; i++)
        if (pthread_create(&th[i], NULL, rank_thread, &w) == 0)
            started++;
    if (started == 0) {
        room = 0;
        char msg[1024];
        snprintf(msg, sizeof msg, "ccsim sweep: error: rank %d cannot start its threads", rank);
        MPI_Send(msg, (int)sizeof msg, MPI_CHAR, 0, TAG_FAIL, MPI_COMM_WORLD);
    }
    MPI_Send(&room, 1, MPI_INT, 0, TAG_READY, MPI_COMM_WORLD);
    bool stop = false;
    double idle = 50e-6;
    struct outq q = {NULL, NULL, 0, 0};
    while (!stop) {
        bool busy = false;
        /* send what is done; each result gives rank 0 one more place to fill */
        pthread_mutex_lock(&w.mu);
        size_t n = w.n_out;
        struct outcome out[64];
        if (n > 64)
            n = 64;
        memcpy(out, w.outbox, n * sizeof *out);
        memmove(w.outbox, w.outbox + n, (w.n_out - n) * sizeof *w.outbox);
        w.n_out -= n;
        pthread_mutex_unlock(&w.mu);
        for (size_t i = 0; i < n; i++) {
            busy = true;
            if (out[i].failed) {
                char msg[sizeof out[i].d.msg];
                snprintf(msg, sizeof msg, "%s", out[i].d.msg);
                MPI_Send(msg, (int)sizeof msg, MPI_CHAR, 0, TAG_FAIL, MPI_COMM_WORLD);
                free(out[i].buf);
            } else {
                outq_send(&q, out[i].buf, (int)out[i].n, MPI_DOUBLE, 0, TAG_RESULT);
            }
        }
        for (;;) {
            int flag = 0;
            MPI_Status st;
            MPI_Iprobe(0, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &st);
            if (!flag)
                break;
            busy = true;
            if (st.MPI_TAG == TAG_TASK) {
                unsigned msg[2];
                MPI_Recv(msg, 2, MPI_UNSIGNED, 0, TAG_TASK, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
                pthread_mutex_lock(&w.mu);
                if (w.n_in < w.cap_in) {
                    w.inbox[w.n_in].point = msg[0];
                    w.inbox[w.n_in].rep = msg[1];
                    w.n_in++;
                }
                pthread_cond_signal(&w.cv_in);
                pthread_mutex_unlock(&w.mu);
            } else {
                MPI_Recv(NULL, 0, MPI_BYTE, 0, st.MPI_TAG, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
                stop = stop || st.MPI_TAG == TAG_STOP;
            }
        }
        outq_reap(&q);
        idle = backoff(idle, busy, 2e-3);
        if (!busy) {
            struct timespec until = deadline(idle);
            pthread_mutex_lock(&w.mu);
            if (w.n_out == 0)
                pthread_cond_timedwait(&w.cv_out, &w.mu, &until);
            pthread_mutex_unlock(&w.mu);
        }
    }
    pthread_mutex_lock(&w.mu);
    w.stop = true;
    pthread_cond_broadcast(&w.cv_in);
    pthread_mutex_unlock(&w.mu);
    for (unsigned i = 0; i < started; i++)
        pthread_join(th[i], NULL);
    for (size_t i = 0; i < w.n_out; i++)
        free(w.outbox[i].buf);
    outq_finish(&q);
    MPI_Send(NULL, 0, MPI_BYTE, 0, TAG_BYE, MPI_COMM_WORLD);
    pthread_cond_destroy(&w.cv_in);
    pthread_cond_destroy(&w.cv_out);
    pthread_mutex_destroy(&w.mu);
    free(w.inbox);
    free(w.outbox);
    free(th);
    return 0;
}

static int mpi_run(struct ccs_sweep *s, unsigned jobs,
                   void (*progress)(void *ctx, const struct ccs_sweep_progress *p), void *ctx,
                   double every, unsigned long long *remote, struct ccs_diag *d)
{
    int rank = 0, size = 1;
    *remote = 0;
    MPI_Comm_rank(MPI_COMM_WORLD, &rank);
    MPI_Comm_size(MPI_COMM_WORLD, &size);
    if (jobs < 1)
        jobs = 1;
    int rc = rank == 0 ? coordinator(s, size, jobs, progress, ctx, every, remote, d)
                       : worker(s, rank, jobs);
    /* everyone learns whether it worked */
    return mpi_agree(rc != 0 ? 1 : 0) != 0 && rc == 0 ? CCS_EINTERRUPTED : rc;
}

/* the module's one exported symbol (sweep_mpi.h) */
__attribute__((visibility("default"))) const struct ccs_app_mpi_ops ccs_app_mpi_ops = {
    mpi_init, mpi_finalize, mpi_agree, mpi_root, mpi_same, mpi_run};
