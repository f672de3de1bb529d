/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * arrivals.c - when the next contact of a queue arrives. Every process is a
 * base rate (constant, per-step volumes, or a sinusoid) times a day factor
 * (the weekday profile x the replication's busyness for that day), or a
 * replayed trace. Non-homogeneous Poisson processes are generated exactly:
 * piecewise-constant rates by inverting the cumulative rate across step and
 * day boundaries (one unit-exponential draw per arrival), the sinusoid by
 * thinning. docs/arrivals.md states the rules.
 */
#include "model/engine.h"

#include "ccs/error.h"
#include "core/grow.h"
#include "core/rng.h"
#include "ccs/mem.h"
#include "core/timeconst.h"

#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdlib.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif


/* Index of the calendar day of time t (day 0 holds t = 0). */
static double day_of(const struct ccs_sim *sim, double t)
{
    return floor((t + sim->sc->start_time) / CCS_DAY);
}

/* Start of the calendar day after the one holding t. */
static double next_day_start(const struct ccs_sim *sim, double t)
{
    return (day_of(sim, t) + 1.0) * CCS_DAY - sim->sc->start_time;
}

/* The day factor of queue q at time t: weekday profile x busyness. */
static double day_factor(const struct ccs_sim *sim, uint32_t q, double t)
{
    const struct ccs_arrivals *a = &sim->sc->queues[q].arrivals;
    double day = day_of(sim, t), f = sim->arr[q].scale;
    if (a->has_weekly)
        f *= a->weekly[(size_t)fmod(day + sim->sc->start_day, 7.0)];
    if (sim->busy_factor != NULL) {
        size_t i = (size_t)day;
        f *= sim->busy_factor[i < sim->n_days ? i : sim->n_days - 1];
    }
    return f;
}

static bool has_day_factor(const struct ccs_sim *sim, uint32_t q)
{
    return sim->sc->queues[q].arrivals.has_weekly || sim->busy_factor != NULL ||
           sim->arr[q].scale != 1.0;
}

/* Base rate of a piecewise-constant process at step k. */
static double step_rate(const struct ccs_arrivals *a, double k)
{
    if (a->kind == CCS_ARR_POISSON)
        return a->rate;
    return a->rates[(size_t)fmod(k, (double)a->n_rates)];
}

bool ccs__closed(const struct ccs_sim *sim, uint32_t q, double t)
{
    const struct ccs_queue_def *qd = &sim->sc->queues[q];
    return qd->has_closes_at && t + sim->sc->start_time - day_of(sim, t) * CCS_DAY >= qd->closes_at;
}

double ccs__next_close(const struct ccs_sim *sim, uint32_t q, double t)
{
    const struct ccs_queue_def *qd = &sim->sc->queues[q];
    const struct ccs_arrivals *a = &qd->arrivals;
    double horizon = sim->sc->horizon;
    double at = INFINITY;
    if (qd->has_closes_at) {
        /* its own clock time each day, whatever its volumes */
        at = day_of(sim, t) * CCS_DAY - sim->sc->start_time + qd->closes_at;
        if (at <= t)
            at += CCS_DAY;
    } else if (a->kind == CCS_ARR_PROFILE && a->n_rates > 1) {
        /* the rates repeat every n_rates steps: one period holds every kind
           of boundary, so the first drop after t is within it or never is */
        double k = floor(t / a->step) + 1.0;
        for (size_t i = 0; i < a->n_rates; i++, k += 1.0) {
            if (k * a->step <= t)
                continue;
            if (step_rate(a, k - 1.0) > 0 && step_rate(a, k) <= 0) {
                at = k * a->step;
                break;
            }
        }
    }
    if (at < horizon)
        return at;
    /* the drained run goes on past the horizon with no arrivals: it closes there */
    return sim->sc->drain && t < horizon ? horizon : INFINITY;
}

/*
 * Inversion: spend one unit exponential over segments of constant rate
 * (bounded by step ends and day starts) until it is used up.
 */
static double invert(struct ccs_sim *sim, uint32_t q, double t)
{
    const struct ccs_arrivals *a = &sim->sc->queues[q].arrivals;
    double horizon = sim->sc->horizon;
    double e = ccs__rng_exp1(ccs__qrng(sim, q, CCS_QS_ARRIVALS));
    double step = a->kind == CCS_ARR_PROFILE ? a->step : INFINITY;
    double k = a->kind == CCS_ARR_PROFILE ? floor(t / step) : 0;
    while (t < horizon) {
        double end = a->kind == CCS_ARR_PROFILE ? (k + 1.0) * step : INFINITY;
        double day_end = next_day_start(sim, t);
        bool step_done = end <= day_end;
        if (!step_done)
            end = day_end;
        double rate = step_rate(a, k) * day_factor(sim, q, t);
        double h = rate * (end - t);
        if (rate > 0 && e <= h)
            return t + e / rate;
        e -= h;
        t = end;
        if (step_done)
            k += 1.0;
    }
    return INFINITY;
}

/* Thinning for the sinusoid, restarted at each day start (the factor changes). */
static double thin(struct ccs_sim *sim, uint32_t q, double t)
{
    const struct ccs_arrivals *a = &sim->sc->queues[q].arrivals;
    gsl_rng *r = ccs__qrng(sim, q, CCS_QS_ARRIVALS);
    double horizon = sim->sc->horizon, w = 2.0 * M_PI / a->period;
    while (t < horizon) {
        double f = day_factor(sim, q, t), lmax = (a->rate + a->amplitude) * f;
        double day_end = next_day_start(sim, t);
        if (!(lmax > 0)) {
            t = day_end;
            continue;
        }
        double cand = t + ccs__rng_exp1(r) / lmax;
        if (cand >= day_end) {
            t = day_end;
            continue;
        }
        t = cand;
        double lam = (a->rate + a->amplitude * sin(w * t + a->phase)) * f;
        if (ccs__rng_u01(r) * lmax < lam)
            return t;
    }
    return INFINITY;
}

static int cmp_double(const void *x, const void *y)
{
    double p = *(const double *)x, s = *(const double *)y;
    return (p > s) - (p < s);
}

/* Exact counts: fill the buffer with step k's arrival times, sorted. */
static int fill_step(struct ccs_sim *sim, uint32_t q, double k)
{
    const struct ccs_arrivals *a = &sim->sc->queues[q].arrivals;
    struct ccs_arrival_state *st = &sim->arr[q];
    double t0 = k * a->step, t1 = t0 + a->step;
    if (t1 > sim->sc->horizon)
        t1 = sim->sc->horizon;
    double expected = step_rate(a, k) * a->step * day_factor(sim, q, t0);
    size_t n = (size_t)floor(expected + 0.5);
    if (n > st->cap && CCS_GROW(st->buf, st->cap, n) != 0)
        return CCS_ENOMEM;
    for (size_t i = 0; i < n; i++)
        st->buf[i] = t0 + ccs__rng_u01(ccs__qrng(sim, q, CCS_QS_ARRIVALS)) * a->step;
    if (n > 0) /* buf may still be NULL */
        qsort(st->buf, n, sizeof *st->buf, cmp_double);
    /* arrivals past the horizon (a partial last step) are dropped */
    while (n > 0 && st->buf[n - 1] >= t1)
        n--;
    st->n = n;
    st->pos = 0;
    st->step_k = k;
    return 0;
}

static double exact_next(struct ccs_sim *sim, uint32_t q, double t)
{
    const struct ccs_arrivals *a = &sim->sc->queues[q].arrivals;
    struct ccs_arrival_state *st = &sim->arr[q];
    while (st->pos >= st->n) {
        double k = st->step_k + 1.0;
        if (k * a->step >= sim->sc->horizon)
            return INFINITY;
        if (fill_step(sim, q, k) != 0) {
            ccs__fault(sim, CCS_ENOMEM, "out of memory (arrivals)");
            return INFINITY;
        }
    }
    double next = st->buf[st->pos++];
    return next > t ? next : t;
}

double ccs__next_arrival(struct ccs_sim *sim, uint32_t q, double t)
{
    const struct ccs_arrivals *a = &sim->sc->queues[q].arrivals;
    switch (a->kind) {
    case CCS_ARR_POISSON:
        if (!has_day_factor(sim, q))
            return t + ccs__rng_exp1(ccs__qrng(sim, q, CCS_QS_ARRIVALS)) / a->rate;
        return invert(sim, q, t);
    case CCS_ARR_PROFILE:
        return a->exact_counts ? exact_next(sim, q, t) : invert(sim, q, t);
    case CCS_ARR_SINUSOID:
        return thin(sim, q, t);
    case CCS_ARR_TRACE: {
        struct ccs_arrival_state *st = &sim->arr[q];
        return st->pos < a->n_trace ? a->trace[st->pos].t : INFINITY;
    }
    case CCS_ARR_NONE:
    default:
        return INFINITY;
    }
}

const struct ccs_trace_rec *ccs__trace_take(struct ccs_sim *sim, uint32_t q)
{
    const struct ccs_arrivals *a = &sim->sc->queues[q].arrivals;
    struct ccs_arrival_state *st = &sim->arr[q];
    if (a->kind != CCS_ARR_TRACE || st->pos >= a->n_trace)
        return NULL;
    return &a->trace[st->pos++];
}

/*
 * Patience of a replayed contact: known when it abandoned; when it was served
 * after waiting w, only known to exceed w, so drawn from the queue's patience
 * distribution conditioned on exceeding w (rejection, with the conditional
 * mean of an exponential tail as a fallback); when nothing is known, drawn.
 */
double ccs__trace_patience(struct ccs_sim *sim, uint32_t q, const struct ccs_trace_rec *rec)
{
    const struct ccs_queue_def *qd = &sim->sc->queues[q];
    const struct ccs_dist *pd = &qd->patience;
    if (!isnan(rec->patience))
        return rec->patience;
    if (pd->kind == CCS_DIST_NONE)
        return INFINITY;
    gsl_rng *r = ccs__qrng(sim, q, CCS_QS_PATIENCE);
    double w = isnan(rec->waited) ? 0 : rec->waited;
    double f = ccs__step_factor(&qd->patience_steps, sim->now);
    for (int i = 0; i < 1000; i++) {
        double p = ccs__dist_sample(pd, r) * f;
        if (p > w)
            return p;
    }
    return w + pd->mean * f;
}

void ccs__arrivals_hot(struct ccs_sim *sim, uint32_t q)
{
    const struct ccs_arrivals *a = &sim->sc->queues[q].arrivals;
    struct ccs_queue_hot *h = &sim->qhot[q];
    bool plain = a->kind == CCS_ARR_POISSON && !has_day_factor(sim, q);
    h->rate = plain ? a->rate : NAN;
    h->fast = (uint8_t)((h->fast & ~(CCS_QH_POISSON | CCS_QH_TRACE)) |
                        (plain ? CCS_QH_POISSON : 0) |
                        (a->kind == CCS_ARR_TRACE ? CCS_QH_TRACE : 0));
}

int ccs__arrivals_init(struct ccs_sim *sim)
{
    const struct ccs_scenario *sc = sim->sc;
    sim->arr = ccs_calloc(sc->n_queues + 1, sizeof *sim->arr);
    if (sim->arr == NULL)
        return CCS_ENOMEM;
    for (uint32_t q = 0; q < sc->n_queues; q++) {
        sim->arr[q].step_k = -1.0;
        sim->arr[q].scale = 1.0;
    }
    if (sc->busyness_cv > 0) {
        sim->n_days = (size_t)(day_of(sim, sc->horizon) + 1.0);
        sim->busy_factor = ccs_malloc(sim->n_days * sizeof *sim->busy_factor);
        gsl_rng *r = ccs__rng_new(sim->seed, sim->rep, ccs__stream_id("busyness", ""));
        if (sim->busy_factor == NULL || r == NULL) {
            if (r != NULL)
                gsl_rng_free(r);
            return CCS_ENOMEM;
        }
        double cv2 = sc->busyness_cv * sc->busyness_cv;
        for (size_t d = 0; d < sim->n_days; d++)
            sim->busy_factor[d] = gsl_ran_gamma(r, 1.0 / cv2, cv2);
        gsl_rng_free(r);
    }
    for (uint32_t q = 0; q < sc->n_queues; q++)
        ccs__arrivals_hot(sim, q);
    return 0;
}

void ccs__arrivals_release(struct ccs_sim *sim)
{
    if (sim->arr != NULL)
        for (uint32_t q = 0; q < sim->sc->n_queues; q++)
            free(sim->arr[q].buf);
    free(sim->arr);
    free(sim->busy_factor);
}
