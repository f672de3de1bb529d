/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * staffing_plan.c - the Erlang side of `ccsim staff`: each reporting
 * interval's mean load per queue (the arrival rate integrated over the
 * interval, calendar included), the agents Erlang C and Erlang A need for the
 * queue's promise under an occupancy cap, and the initial per-group plan
 * that splits those needs among the groups that take each queue first.
 * docs/staff-command.md states the rules.
 */
#include "exp/staffing_plan.h"

#include "ccs/analytic.h"
#include "ccs/error.h"
#include "core/timeconst.h"
#include "model/scenario.h"
#include "ccs/mem.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif


struct ccs_staff_opts ccs_staff_opts_default(const struct ccs_scenario *sc)
{
    struct ccs_staff_opts o;
    memset(&o, 0, sizeof o);
    o.shrinkage = -1;
    o.max_occupancy = 0.85;
    o.refine = true;
    o.seed = sc->seed;
    o.replications = sc->replications;
    o.max_rounds = 40;
    o.margin = 0.05;
    return o;
}

const char *ccs_staff_bound_name(enum ccs_staff_bound b)
{
    switch (b) {
    case CCS_STAFF_BOUND_SL:
        return "SL";
    case CCS_STAFF_BOUND_OCCUPANCY:
        return "occupancy";
    case CCS_STAFF_BOUND_PATIENCE:
        return "patience";
    case CCS_STAFF_BOUND_NONE:
        break;
    }
    return "-";
}

const char *ccs_staff_status_name(enum ccs_staff_status s)
{
    switch (s) {
    case CCS_STAFF_ERLANG:
        return "erlang";
    case CCS_STAFF_CONVERGED:
        return "converged";
    case CCS_STAFF_UNTRIMMED:
        return "untrimmed";
    case CCS_STAFF_SHORT:
        return "short";
    }
    return "unknown";
}

/* --- the load of an interval ------------------------------------------------------- */

/* Integral of the base rate (no calendar) over [t0, t1). */
static double base_integral(const struct ccs_arrivals *a, double t0, double t1)
{
    switch (a->kind) {
    case CCS_ARR_POISSON:
        return a->rate * (t1 - t0);
    case CCS_ARR_SINUSOID: {
        double w = 2.0 * M_PI / a->period;
        return a->rate * (t1 - t0) -
               a->amplitude / w * (cos(w * t1 + a->phase) - cos(w * t0 + a->phase));
    }
    case CCS_ARR_PROFILE: {
        double sum = 0;
        for (double k = floor(t0 / a->step); k * a->step < t1; k += 1.0) {
            double s0 = fmax(t0, k * a->step), s1 = fmin(t1, (k + 1.0) * a->step);
            if (s1 > s0)
                sum += a->rates[(size_t)fmod(k, (double)a->n_rates)] * (s1 - s0);
        }
        return sum;
    }
    default:
        return 0;
    }
}

/*
 * Expected arrivals of queue q in [t0, t1): the base rate times the weekday
 * factor, split at midnights; busyness has mean 1. A trace counts its records.
 */
static double expected_arrivals(const struct ccs_scenario *sc, size_t q, double t0, double t1)
{
    const struct ccs_arrivals *a = &sc->queues[q].arrivals;
    if (a->kind == CCS_ARR_TRACE) {
        double n = 0;
        for (size_t r = 0; r < a->n_trace; r++)
            n += a->trace[r].t >= t0 && a->trace[r].t < t1;
        return n;
    }
    double sum = 0;
    while (t0 < t1) {
        double day = floor((t0 + sc->start_time) / CCS_DAY);
        double end = fmin(t1, (day + 1.0) * CCS_DAY - sc->start_time);
        double f = a->has_weekly ? a->weekly[(size_t)fmod(day + sc->start_day, 7.0)] : 1.0;
        if (f > 0)
            sum += f * base_integral(a, t0, end);
        t0 = end;
    }
    return sum;
}

/*
 * The mean of dist over the contacts of queue q arriving in [t0, t1) when
 * its mean follows the interval (m, a forecast's): the factors weighted by
 * expected arrivals (by time where none are expected).
 */
static double interval_mean(const struct ccs_scenario *sc, size_t q, const struct ccs_dist *dist,
                            const struct ccs_step_means *m, double t0, double t1)
{
    if (m->factor == NULL)
        return dist->mean;
    double sw = 0, swf = 0, st = 0, stf = 0;
    for (double a = t0; a < t1;) {
        double b = fmin(t1, (floor(a / m->step) + 1.0) * m->step);
        double f = ccs__step_factor(m, a), w = expected_arrivals(sc, q, a, b);
        sw += w;
        swf += w * f;
        st += b - a;
        stf += (b - a) * f;
        a = b;
    }
    return dist->mean * (sw > 0 ? swf / sw : st > 0 ? stf / st : 1.0);
}

/*
 * A replayed log's handle time varies over the day as the center's did: the
 * mean of interval i is its own records' talk (and after-call work, the
 * records' wrap-up) shrunk towards the whole log's mean with the weight of
 * TRACE_PRIOR records, (sum_i + K mean) / (n_i + K), so that an interval
 * of a handful of calls does not set a plan on their luck. Without records
 * giving a time, the queue's distributions' means. aht gets n_intervals
 * values; sums is scratch of 4 n_intervals.
 */
#define TRACE_PRIOR 10.0

static void trace_aht(const struct ccs_scenario *sc, const struct ccs_queue_def *qd, double *aht,
                      double *sums)
{
    size_t ni = sc->n_intervals;
    double *work = sums, *n_work = sums + ni, *wrap = sums + 2 * ni, *n_wrap = sums + 3 * ni;
    for (size_t k = 0; k < 4 * ni; k++)
        sums[k] = 0;
    double all_work = 0, all_wrap = 0, all_n = 0, all_nw = 0;
    for (size_t r = 0; r < qd->arrivals.n_trace; r++) {
        const struct ccs_trace_rec *rec = &qd->arrivals.trace[r];
        double fi = floor(rec->t / sc->interval);
        size_t i = fi >= 0 && fi < (double)ni ? (size_t)fi : ni;
        if (!isnan(rec->work)) {
            all_work += rec->work;
            all_n++;
            if (i < ni) {
                work[i] += rec->work;
                n_work[i]++;
            }
        }
        if (!isnan(rec->wrap)) {
            all_wrap += rec->wrap;
            all_nw++;
            if (i < ni) {
                wrap[i] += rec->wrap;
                n_wrap[i]++;
            }
        }
    }
    double talk = all_n > 0 ? all_work / all_n : qd->handle.mean;
    double wu = all_nw > 0 ? all_wrap / all_nw
                           : (qd->wrap.kind == CCS_DIST_NONE ? 0.0 : qd->wrap.mean);
    for (size_t i = 0; i < ni; i++)
        aht[i] = (work[i] + TRACE_PRIOR * talk) / (n_work[i] + TRACE_PRIOR) +
                 (wrap[i] + TRACE_PRIOR * wu) / (n_wrap[i] + TRACE_PRIOR);
}

/*
 * Agents on the phones for rate lambda (per s), mean handle aht, abandonment
 * rate theta (0: Erlang C) under the queue's promise; sets *sl and *occ at
 * that many. -1 when no count suffices (ccs_staff_erlang_def). No load: 0 agents.
 */
static int erlang_need(const struct ccs_scenario *sc, size_t q, double lambda, double aht,
                       double theta, double cap, double *sl, double *occ)
{
    const struct ccs_queue_def *qd = &sc->queues[q];
    *sl = NAN;
    *occ = NAN;
    if (!(lambda > 0))
        return 0;
    struct ccs_erlang_model m = {lambda, 1.0 / aht, 1, theta, -1, qd->sla_within};
    enum ccs_sl_def def = theta > 0 ? sc->sl_def : CCS_SL_OFFERED; /* all agree without abandons */
    int c = -1;
    int rc = ccs_staff_erlang_def(lambda, 1.0 / aht, theta, qd->sla_within, qd->sla_target, cap,
                                  def, &c);
    if (rc != 0)
        return -1;
    struct ccs_erlang_result r;
    m.servers = c;
    if (ccs_erlang_solve(&m, &r) == 0) {
        *sl = ccs_erlang_sl(&r, def);
        *occ = r.occupancy;
    }
    return c;
}

/* --- groups ---------------------------------------------------------------------------- */

bool ccs__staff_rank(const struct ccs_staffing *st, size_t g, size_t q, double key[4])
{
    const struct ccs_group_def *gd = &st->sc->groups[g];
    const struct ccs_skill *sk = NULL;
    for (size_t k = 0; k < gd->n_skills; k++)
        if (gd->skills[k].queue == q)
            sk = &gd->skills[k];
    if (sk == NULL)
        return false;
    double rank = 0;
    for (size_t k = 0; k < gd->n_skills; k++)
        rank += gd->skills[k].priority < sk->priority;
    key[0] = sk->delay > 0;
    key[1] = rank;
    key[2] = -sk->level;
    key[3] = gd->cost_per_hour;
    return true;
}

static int key_cmp(const double a[4], const double b[4])
{
    for (int k = 0; k < 4; k++)
        if (a[k] != b[k])
            return a[k] < b[k] ? -1 : 1;
    return 0;
}

int ccs__staff_best_group(const struct ccs_staffing *st, size_t q, long i)
{
    int best = -1;
    double bk[4] = {0, 0, 0, 0};
    for (size_t g = 0; g < st->n_groups; g++) {
        double k[4];
        if (!ccs__staff_rank(st, g, q, k))
            continue;
        int c = best < 0 ? -1 : key_cmp(k, bk);
        if (c == 0 && i >= 0)
            c = st->net[g * st->n_intervals + (size_t)i] <
                        st->net[(size_t)best * st->n_intervals + (size_t)i]
                    ? -1
                    : 1;
        if (c < 0) {
            best = (int)g;
            memcpy(bk, k, sizeof bk);
        }
    }
    return best;
}

bool ccs__staff_counts(const struct ccs_staffing *st, size_t q)
{
    return st->sc->queues[q].channel != CCS_CH_OUTBOUND;
}

double ccs__staff_interval_len(const struct ccs_staffing *st, uint32_t i)
{
    const struct ccs_scenario *sc = st->sc;
    return fmin(sc->interval, sc->horizon - i * sc->interval);
}

static uint32_t gross(uint32_t net, double shrinkage)
{
    if (net == 0)
        return 0;
    return (uint32_t)ceil((double)net / (1.0 - shrinkage) - 1e-9);
}

void ccs__staff_gross(struct ccs_staffing *st)
{
    st->agent_hours = 0;
    st->cost = 0;
    st->has_cost = false;
    for (size_t g = 0; g < st->n_groups; g++) {
        double hours = 0;
        for (uint32_t i = 0; i < st->n_intervals; i++) {
            size_t k = g * st->n_intervals + i;
            st->plan[k] = gross(st->net[k], st->shrinkage[g]);
            hours += st->plan[k] * ccs__staff_interval_len(st, i) / CCS_HOUR;
        }
        st->agent_hours += hours;
        st->cost += hours * st->sc->groups[g].cost_per_hour;
        st->has_cost = st->has_cost || st->sc->groups[g].cost_per_hour > 0;
    }
}

/* --- the Erlang plan ------------------------------------------------------------------- */

void ccs_staffing_free(struct ccs_staffing *st)
{
    if (st == NULL)
        return;
    free(st->need);
    free(st->primary);
    free(st->shrinkage);
    free(st->initial);
    free(st->net);
    free(st->plan);
    free(st->sl);
    free(st->sl_hw);
    free(st->occ);
    free(st);
}

static int check_opts(const struct ccs_scenario *sc, const struct ccs_staff_opts *o,
                      struct ccs_diag *d)
{
    if (!(o->shrinkage < 1) || isnan(o->shrinkage))
        return ccs_diag_at(d, CCS_EINVAL, NULL, 0, 0,
                           "shrinkage must lie in [0%%, 100%%), got %g%%", 100 * o->shrinkage);
    if (!(o->max_occupancy > 0 && o->max_occupancy <= 1))
        return ccs_diag_at(d, CCS_EINVAL, NULL, 0, 0,
                           "the occupancy cap must lie in (0%%, 100%%], got %g%%",
                           100 * o->max_occupancy);
    if (o->replications < 1 || o->max_rounds < 1 || !(o->margin >= 0 && o->margin <= 1))
        return ccs_diag_at(d, CCS_EINVAL, NULL, 0, 0,
                           "refinement needs replications >= 1, rounds >= 1 and a margin in "
                           "[0%%, 100%%]");
    for (size_t g = 0; o->shrinkage < 0 && g < sc->n_groups; g++)
        if (!(sc->groups[g].absenteeism < 1))
            return ccs_diag_at(d, CCS_EINVAL, sc->origin, 0, 0,
                               "group '%s': absenteeism 100%% leaves nobody to staff with; give "
                               "--shrinkage",
                               sc->groups[g].id);
    return 0;
}

int ccs_staff_erlang_plan(const struct ccs_scenario *sc, const struct ccs_staff_opts *o,
                          struct ccs_staffing **out, struct ccs_diag *d)
{
    *out = NULL;
    int rc = check_opts(sc, o, d);
    if (rc)
        return rc;
    struct ccs_staffing *st = ccs_calloc(1, sizeof *st);
    if (st == NULL)
        return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    size_t ni = sc->n_intervals, nq = sc->n_queues, ng = sc->n_groups;
    st->sc = sc;
    st->n_intervals = sc->n_intervals;
    st->n_queues = nq;
    st->n_groups = ng;
    st->max_occupancy = o->max_occupancy;
    st->status = CCS_STAFF_ERLANG;
    st->seed = o->seed;
    st->replications = o->replications;
    st->need = ccs_calloc(ni * nq, sizeof *st->need);
    st->primary = ccs_calloc(nq, sizeof *st->primary);
    st->shrinkage = ccs_calloc(ng, sizeof *st->shrinkage);
    st->initial = ccs_calloc(ng * ni, sizeof *st->initial);
    st->net = ccs_calloc(ng * ni, sizeof *st->net);
    st->plan = ccs_calloc(ng * ni, sizeof *st->plan);
    st->sl = ccs_malloc(ni * nq * sizeof *st->sl);
    st->sl_hw = ccs_malloc(ni * nq * sizeof *st->sl_hw);
    st->occ = ccs_malloc(ng * ni * sizeof *st->occ);
    double *load = ccs_calloc(ng * ni, sizeof *load);
    double *aht_i = ccs_malloc(5 * ni * sizeof *aht_i); /* a log's per interval, then scratch */
    if (!st->need || !st->primary || !st->shrinkage || !st->initial || !st->net || !st->plan ||
        !st->sl || !st->sl_hw || !st->occ || !load || !aht_i) {
        free(load);
        free(aht_i);
        ccs_staffing_free(st);
        return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    }
    for (size_t k = 0; k < ni * nq; k++)
        st->sl[k] = st->sl_hw[k] = NAN;
    for (size_t k = 0; k < ng * ni; k++)
        st->occ[k] = NAN;
    for (size_t g = 0; g < ng; g++)
        st->shrinkage[g] = o->shrinkage >= 0 ? o->shrinkage : sc->groups[g].absenteeism;

    for (size_t q = 0; q < nq; q++) {
        const struct ccs_queue_def *qd = &sc->queues[q];
        st->primary[q] = ccs__staff_best_group(st, q, -1);
        double shrink = st->primary[q] >= 0 ? st->shrinkage[st->primary[q]]
                                            : (o->shrinkage >= 0 ? o->shrinkage : 0);
        /*
         * The queue's need goes to the groups that take it before anything
         * else (rank 0, no overflow delay), in equal shares; if none does,
         * all of it to the group that serves it best.
         */
        size_t n_top = 0;
        for (size_t g = 0; g < ng; g++) {
            double k[4];
            n_top += ccs__staff_rank(st, g, q, k) && k[0] == 0 && k[1] == 0;
        }
        bool applies = qd->arrivals.kind != CCS_ARR_NONE && qd->channel != CCS_CH_OUTBOUND;
        bool replay = qd->arrivals.kind == CCS_ARR_TRACE;
        if (replay)
            trace_aht(sc, qd, aht_i, aht_i + ni);
        for (uint32_t i = 0; i < st->n_intervals; i++) {
            struct ccs_staff_need *nd = &st->need[i * nq + q];
            double t0 = i * sc->interval, len = ccs__staff_interval_len(st, i);
            /* a forecast's interval means, where the queue follows them */
            double aht = replay ? aht_i[i]
                                : interval_mean(sc, q, &qd->handle, &qd->handle_steps, t0,
                                                t0 + len) +
                                      (qd->wrap.kind == CCS_DIST_NONE ? 0.0 : qd->wrap.mean);
            double patience = INFINITY;
            if (qd->patience.kind != CCS_DIST_NONE)
                patience = interval_mean(sc, q, &qd->patience, &qd->patience_steps, t0, t0 + len);
            double theta = isfinite(patience) && patience > 0 ? 1.0 / patience : 0.0;
            nd->applies = applies;
            nd->aht = aht;
            nd->patience = patience;
            nd->sl_c = nd->sl_a = nd->occ_c = nd->occ_a = NAN;
            if (!applies) {
                nd->erlang_c = nd->erlang_a = nd->staffed_c = nd->staffed_a = -1;
                nd->erlang_a_uncapped = -1;
                nd->bound = CCS_STAFF_BOUND_NONE;
                nd->volume = nd->rate = NAN;
                continue;
            }
            nd->volume = expected_arrivals(sc, q, t0, t0 + len);
            nd->rate = nd->volume / len;
            nd->erlang_c = erlang_need(sc, q, nd->rate, aht, 0, o->max_occupancy, &nd->sl_c,
                                       &nd->occ_c);
            nd->erlang_a = theta > 0 ? erlang_need(sc, q, nd->rate, aht, theta, o->max_occupancy,
                                                   &nd->sl_a, &nd->occ_a)
                                     : nd->erlang_c;
            if (theta == 0) {
                nd->sl_a = nd->sl_c;
                nd->occ_a = nd->occ_c;
            }
            /* what bound it: the cap, if the target alone needs fewer */
            double sl_u, occ_u;
            nd->erlang_a_uncapped =
                o->max_occupancy >= 1 ? nd->erlang_a
                                      : erlang_need(sc, q, nd->rate, aht, theta, 1.0, &sl_u, &occ_u);
            if (nd->erlang_a <= 0 || !(nd->rate > 0))
                nd->bound = CCS_STAFF_BOUND_NONE;
            else if (nd->erlang_a_uncapped >= 0 && nd->erlang_a > nd->erlang_a_uncapped)
                nd->bound = CCS_STAFF_BOUND_OCCUPANCY;
            else if (theta > 0 && nd->erlang_a < nd->rate * aht)
                nd->bound = CCS_STAFF_BOUND_PATIENCE;
            else
                nd->bound = CCS_STAFF_BOUND_SL;
            nd->staffed_c = nd->erlang_c < 0 ? -1 : (int)gross((uint32_t)nd->erlang_c, shrink);
            nd->staffed_a = nd->erlang_a < 0 ? -1 : (int)gross((uint32_t)nd->erlang_a, shrink);
            double need = nd->erlang_a < 0 ? 0 : nd->erlang_a;
            for (size_t g = 0; g < ng; g++) {
                double k[4];
                bool top = ccs__staff_rank(st, g, q, k) && k[0] == 0 && k[1] == 0;
                if (n_top > 0 ? top : (int)g == st->primary[q])
                    load[g * ni + i] += need / (double)(n_top > 0 ? n_top : 1);
            }
        }
    }
    for (size_t g = 0; g < ng; g++)
        for (size_t i = 0; i < ni; i++) {
            /* a group handling several contacts at once needs fewer agents */
            double n = ceil(load[g * ni + i] / sc->groups[g].capacity - 1e-9);
            st->initial[g * ni + i] = st->net[g * ni + i] = n > 0 ? (uint32_t)n : 0;
        }
    free(load);
    free(aht_i);
    ccs__staff_gross(st);
    *out = st;
    return 0;
}

int ccs_staff(const struct ccs_scenario *sc, const struct ccs_staff_opts *o,
              struct ccs_staffing **out, struct ccs_diag *d)
{
    int rc = ccs_staff_erlang_plan(sc, o, out, d);
    if (rc == 0 && o->refine && (rc = ccs_staff_refine(*out, o, d)) != 0) {
        ccs_staffing_free(*out);
        *out = NULL;
    }
    return rc;
}
