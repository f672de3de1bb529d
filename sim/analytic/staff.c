/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * staff.c - staffing by the exact Erlang C / Erlang A formulas: the fewest
 * agents meeting a service-level target and an occupancy cap, found by a
 * galloping then binary search over c (a few dozen solves at most).
 */
#include "ccs/analytic.h"

#include "ccs/error.h"

#include <math.h>
#include <stddef.h>

#define STAFF_MAX 100000
/* Slack for targets met exactly on paper but missed by rounding. */
#define STAFF_SLACK 1e-12

struct staff_query {
    struct ccs_erlang_model m;
    double target, max_occ;
    enum ccs_sl_def def;
};

double ccs_erlang_sl(const struct ccs_erlang_result *r, enum ccs_sl_def def)
{
    switch (def) {
    case CCS_SL_ANSWERED:
        return r->sl_answered;
    case CCS_SL_NO_SHORT_AB:
        return r->sl_no_short_ab;
    case CCS_SL_HANDLED:
        return r->sl_handled;
    case CCS_SL_ALL:
        return r->sl_all;
    case CCS_SL_OFFERED:
    default:
        return r->sl_offered;
    }
}

/* 1 if c agents meet both goals, 0 if not (or not computable), < 0 on error. */
static int feasible(struct staff_query *q, int c)
{
    struct ccs_erlang_result r;
    q->m.servers = c;
    int rc = ccs_erlang_solve(&q->m, &r);
    if (rc == CCS_ERANGE)
        return 0; /* unstable, or so overloaded the state space is unbounded */
    if (rc != 0)
        return rc;
    return ccs_erlang_sl(&r, q->def) + STAFF_SLACK >= q->target &&
           r.occupancy <= q->max_occ + STAFF_SLACK;
}

int ccs_staff_erlang_def(double lambda, double mu, double theta, double t, double sl_target,
                         double max_occupancy, enum ccs_sl_def def, int *agents)
{
    if (agents == NULL || !(isfinite(lambda) && lambda > 0) || !(isfinite(mu) && mu > 0) ||
        !(isfinite(theta) && theta >= 0) || !(isfinite(t) && t >= 0) ||
        !(sl_target >= 0 && sl_target <= 1) || !(max_occupancy > 0 && max_occupancy <= 1) ||
        (unsigned)def >= CCS_SL_COUNT_)
        return CCS_EINVAL;
    struct staff_query q = {{lambda, mu, 1, theta, -1, t}, sl_target, max_occupancy, def};
    double a = lambda / mu;
    /*
     * Lower bounds: Erlang C needs c > a and occupancy a / c <= cap. With
     * abandonment, answered / offered <= c / a (throughput <= c mu), so the
     * offered-based target needs c >= target * a.
     */
    double lo_d = 1.0;
    if (theta == 0.0)
        lo_d = fmax(floor(a) + 1.0, ceil(a / max_occupancy * (1.0 - STAFF_SLACK)));
    else if (def == CCS_SL_OFFERED)
        lo_d = fmax(1.0, ceil(sl_target * a * (1.0 - STAFF_SLACK)));
    if (lo_d > STAFF_MAX)
        return CCS_ERANGE;
    int lo = (int)lo_d;
    int ok = feasible(&q, lo);
    if (ok < 0)
        return ok;
    if (ok) {
        *agents = lo;
        return 0;
    }
    /* Gallop up from lo (known to fail) to a c that passes, then bisect. */
    int bad = lo, good = 0;
    for (long step = 1;; step *= 2) {
        long c = bad + step;
        if (c > STAFF_MAX)
            c = STAFF_MAX;
        ok = feasible(&q, (int)c);
        if (ok < 0)
            return ok;
        if (ok) {
            good = (int)c;
            break;
        }
        if (c == STAFF_MAX)
            return CCS_ERANGE;
        bad = (int)c;
    }
    while (good - bad > 1) {
        int mid = bad + (good - bad) / 2;
        ok = feasible(&q, mid);
        if (ok < 0)
            return ok;
        if (ok)
            good = mid;
        else
            bad = mid;
    }
    *agents = good;
    return 0;
}

int ccs_staff_erlang(double lambda, double mu, double theta, double t, double sl_target,
                     double max_occupancy, int answered_based, int *agents)
{
    return ccs_staff_erlang_def(lambda, mu, theta, t, sl_target, max_occupancy,
                                answered_based ? CCS_SL_ANSWERED : CCS_SL_OFFERED, agents);
}
