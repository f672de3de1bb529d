/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * refine.c - the simulation side of `ccsim staff`: simulate a net staffing
 * plan (the same seed every round, so rounds differ only by the plan), add
 * an agent where an interval's service level falls short, take one away
 * where every queue a group serves beats its target by the margin, undo a
 * removal that made its interval or the next one fall short, and repeat
 * until nothing changes. docs/staff-command.md states the rules.
 */
#include "exp/staffing_plan.h"

#include "exp/derive.h"

#include "ccs/run.h"
#include "ccs/error.h"
#include "ccs/results.h"
#include "ccs/sim.h"
#include "model/scenario.h"
#include "ccs/mem.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int ccs_staff_derive(const struct ccs_staffing *st, bool net, struct ccs_scenario **out,
                     struct ccs_diag *d)
{
    *out = NULL;
    size_t ng = st->n_groups, ni = st->n_intervals;
    const uint32_t *plan = net ? st->net : st->plan;
    size_t n_ov = ng * (net ? 2 : 1);
    char **texts = ccs_calloc(n_ov, sizeof *texts);
    int rc = texts ? 0 : CCS_ENOMEM;
    size_t k = 0;
    for (size_t g = 0; g < ng && rc == 0; g++) {
        /* "groups.G.staffing=[n0, n1, ...]": at most 10 characters per entry */
        size_t cap = 64 + ni * 12;
        char *s = ccs_malloc(cap);
        if (s == NULL) {
            rc = CCS_ENOMEM;
            break;
        }
        texts[k] = s;
        size_t used = (size_t)snprintf(s, cap, "groups.%zu.staffing=[", g);
        for (size_t i = 0; i < ni; i++)
            used += (size_t)snprintf(s + used, cap - used, "%s%u", i ? ", " : "",
                                     plan[g * ni + i]);
        snprintf(s + used, cap - used, "]");
        k++;
        if (net) {
            texts[k] = ccs_malloc(48);
            if (texts[k] == NULL) {
                rc = CCS_ENOMEM;
                break;
            }
            snprintf(texts[k], 48, "groups.%zu.absenteeism=0", g);
            k++;
        }
    }
    if (rc == CCS_ENOMEM)
        ccs_diag_at(d, rc, NULL, 0, 0, "out of memory");
    if (rc == 0)
        rc = ccs__derive_texts(st->sc, texts, k, "ccsim staff", out, d);
    ccs__texts_free(texts, n_ov);
    return rc;
}

/* Simulate the net plan: service level per interval and queue, occupancy per
   group; the replications on jobs threads (ccs_run). */
static int simulate(struct ccs_staffing *st, unsigned jobs, struct ccs_diag *d)
{
    struct ccs_scenario *sc;
    int rc = ccs_staff_derive(st, true, &sc, d);
    if (rc)
        return rc;
    struct ccs_run_opts ro = ccs_run_opts_default(sc);
    ro.seed = st->seed;
    ro.replications = st->replications;
    ro.jobs = jobs;
    struct ccs_summary *sum;
    rc = ccs_run(sc, &ro, &sum, d);
    if (rc == 0) {
        const struct ccs_layout *l = ccs_summary_layout(sum);
        for (uint32_t i = 0; i < st->n_intervals; i++) {
            for (size_t q = 0; q < st->n_queues; q++) {
                long key = ccs_layout_find(l, CCS_SCOPE_QUEUE, CCS_KPI_service_level, (int)q, -1,
                                           -1, (int)i);
                st->sl[i * st->n_queues + q] = key < 0 ? NAN : ccs_summary_mean(sum, (size_t)key);
                st->sl_hw[i * st->n_queues + q] =
                    key < 0 ? NAN : ccs_summary_halfwidth(sum, (size_t)key);
            }
            for (size_t g = 0; g < st->n_groups; g++) {
                long key =
                    ccs_layout_find(l, CCS_SCOPE_GROUP, CCS_KPI_occupancy, -1, -1, (int)g, (int)i);
                st->occ[g * st->n_intervals + i] =
                    key < 0 ? NAN : ccs_summary_mean(sum, (size_t)key);
            }
        }
        st->simulated = true;
        ccs_summary_free(sum);
    }
    ccs_scenario_free(sc);
    return rc;
}

/* Working state of one refinement. */
struct refine {
    struct ccs_staffing *st;
    uint32_t *floor;        /* [g, i]: never remove below (a removal was undone, or an add) */
    unsigned char *removed; /* [g, i]: removed in the last round (tentative) */
    unsigned char *shortc;  /* [i, q]: simulated SL below target */
    unsigned char *fixed;   /* [i, q]: shortfall answered by an undo this round */
    unsigned char *touched; /* per queue: a group serving it lost an agent in this interval */
    unsigned char *over;    /* [g, i]: simulated occupancy above the cap */
    uint32_t *sim_net;      /* the plan the last simulation ran */
};

static bool serves(const struct ccs_staffing *st, size_t g, size_t q)
{
    double k[4];
    return ccs__staff_rank(st, g, q, k);
}

static bool interval_short(const struct refine *r, long i)
{
    const struct ccs_staffing *st = r->st;
    if (i < 0 || i >= (long)st->n_intervals)
        return false;
    for (size_t q = 0; q < st->n_queues; q++)
        if (r->shortc[(size_t)i * st->n_queues + q])
            return true;
    return false;
}

/* Mark the cells short of target; returns how many. */
static uint32_t find_short(struct refine *r)
{
    struct ccs_staffing *st = r->st;
    uint32_t n = 0;
    for (uint32_t i = 0; i < st->n_intervals; i++)
        for (size_t q = 0; q < st->n_queues; q++) {
            size_t k = i * st->n_queues + q;
            double sl = st->sl[k];
            r->shortc[k] = ccs__staff_counts(st, q) && !isnan(sl) &&
                           sl < st->sc->queues[q].sla_target;
            n += r->shortc[k];
        }
    return n;
}

/* Mark the groups working above the occupancy cap; returns how many cells. */
static uint32_t find_over(struct refine *r)
{
    struct ccs_staffing *st = r->st;
    uint32_t n = 0;
    for (size_t k = 0; k < st->n_groups * st->n_intervals; k++) {
        r->over[k] = st->occ[k] > st->max_occupancy + 1e-9;
        n += r->over[k];
    }
    return n;
}

/*
 * Undo last round's removals whose interval (or the next, which inherits its
 * backlog) now falls short on a queue the group serves, or whose group now
 * works above the occupancy cap; the undone count becomes a floor. A
 * shortfall elsewhere (work the group no longer takes overflowed to groups
 * that serve other queues first) gets an agent where it falls short instead,
 * so work may move to groups that pool it better. Returns the agents put back.
 */
static uint32_t undo_removals(struct refine *r)
{
    struct ccs_staffing *st = r->st;
    size_t ni = st->n_intervals, nq = st->n_queues;
    uint32_t n = 0;
    memset(r->fixed, 0, ni * nq);
    for (size_t g = 0; g < st->n_groups; g++)
        for (size_t i = 0; i < ni; i++) {
            size_t k = g * ni + i;
            if (!r->removed[k])
                continue;
            r->removed[k] = 0;
            bool hurt = false;
            for (size_t j = i; j <= i + 1 && j < ni; j++)
                for (size_t q = 0; q < nq; q++)
                    if (r->shortc[j * nq + q] && serves(st, g, q)) {
                        hurt = true;
                        r->fixed[j * nq + q] = 1;
                    }
            if (r->over[k]) {
                hurt = true;
                r->over[k] = 0; /* answered by the undo */
            }
            if (hurt) {
                st->net[k]++;
                r->floor[k] = st->net[k];
                n++;
            }
        }
    return n;
}

/*
 * One agent more for every short cell not answered by an undo, to the group
 * that best serves the queue; and one more for every group above the
 * occupancy cap that got none.
 */
static uint32_t add_agents(struct refine *r)
{
    struct ccs_staffing *st = r->st;
    size_t ni = st->n_intervals, nq = st->n_queues;
    uint32_t n = 0;
    for (size_t k = 0; k < st->n_groups * ni; k++)
        if (r->over[k]) {
            st->net[k]++;
            r->floor[k] = st->net[k];
            n++;
        }
    for (size_t i = 0; i < ni; i++)
        for (size_t q = 0; q < nq; q++) {
            if (!r->shortc[i * nq + q] || r->fixed[i * nq + q])
                continue;
            int g = ccs__staff_best_group(st, q, (long)i);
            if (g < 0)
                continue; /* no group has the skill: nothing can help */
            size_t k = (size_t)g * ni + i;
            st->net[k]++;
            r->floor[k] = st->net[k];
            n++;
        }
    return n;
}

/*
 * Slack of group g in interval i: the least (SL - target - margin) over the
 * queues it serves that had contacts; INFINITY when none had. Negative: not
 * comfortable.
 */
static double slack(const struct refine *r, size_t g, size_t i, double margin)
{
    const struct ccs_staffing *st = r->st;
    double s = INFINITY;
    for (size_t q = 0; q < st->n_queues; q++) {
        double sl = st->sl[i * st->n_queues + q];
        if (!serves(st, g, q) || !ccs__staff_counts(st, q) || isnan(sl))
            continue;
        double x = sl - st->sc->queues[q].sla_target - margin;
        if (x < s)
            s = x;
    }
    return s;
}

/*
 * In intervals with no shortfall nearby (the one before, itself, the one
 * after), remove one agent from each comfortable group above its floor whose
 * occupancy would stay within the cap, most slack first, at most one group
 * per queue and interval. Returns the agents removed.
 */
static uint32_t remove_agents(struct refine *r, double margin)
{
    struct ccs_staffing *st = r->st;
    size_t ni = st->n_intervals, ng = st->n_groups;
    uint32_t n = 0;
    for (size_t i = 0; i < ni; i++) {
        if (interval_short(r, (long)i - 1) || interval_short(r, (long)i) ||
            interval_short(r, (long)i + 1))
            continue;
        memset(r->touched, 0, st->n_queues);
        for (;;) {
            int pick = -1;
            double best = 0;
            for (size_t g = 0; g < ng; g++) {
                size_t k = g * ni + i;
                uint32_t c = st->net[k];
                if (c == 0 || c <= r->floor[k] || r->removed[k])
                    continue;
                double occ = st->occ[k];
                if (!isnan(occ) && occ > 0 && (c == 1 || occ * c / (c - 1.0) > st->max_occupancy))
                    continue;
                bool clash = false;
                for (size_t q = 0; q < st->n_queues && !clash; q++)
                    clash = r->touched[q] && serves(st, g, q);
                double s = slack(r, g, i, margin);
                if (clash || s < 0)
                    continue;
                if (pick < 0 || s > best) {
                    pick = (int)g;
                    best = s;
                }
            }
            if (pick < 0)
                break;
            size_t k = (size_t)pick * ni + i;
            st->net[k]--;
            r->removed[k] = 1;
            for (size_t q = 0; q < st->n_queues; q++)
                if (serves(st, (size_t)pick, q))
                    r->touched[q] = 1;
            n++;
        }
    }
    return n;
}

int ccs_staff_refine(struct ccs_staffing *st, const struct ccs_staff_opts *o,
                     struct ccs_diag *d)
{
    size_t ni = st->n_intervals, nq = st->n_queues, ng = st->n_groups;
    struct refine r = {st,
                       ccs_calloc(ng * ni + 1, sizeof *r.floor),
                       ccs_calloc(ng * ni + 1, 1),
                       ccs_calloc(ni * nq + 1, 1),
                       ccs_calloc(ni * nq + 1, 1),
                       ccs_calloc(nq + 1, 1),
                       ccs_calloc(ng * ni + 1, 1),
                       ccs_malloc((ng * ni + 1) * sizeof *r.sim_net)};
    int rc = 0;
    if (!r.floor || !r.removed || !r.shortc || !r.fixed || !r.touched || !r.over || !r.sim_net)
        rc = ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    st->seed = o->seed;
    st->replications = o->replications;
    st->rounds = 0;
    for (uint32_t round = 1; rc == 0; round++) {
        memcpy(r.sim_net, st->net, ng * ni * sizeof *st->net);
        if ((rc = simulate(st, o->jobs, d)) != 0)
            break;
        st->rounds = round;
        uint32_t n_short = find_short(&r);
        find_over(&r);
        uint32_t undone = undo_removals(&r);
        uint32_t added = add_agents(&r) + undone;
        uint32_t removed = remove_agents(&r, o->margin);
        if (o->progress != NULL)
            o->progress(o->progress_ctx, round, n_short, added, removed);
        bool changed = added + removed > 0;
        if (!changed || round >= o->max_rounds) {
            /* report the plan that was simulated, with its own numbers */
            memcpy(st->net, r.sim_net, ng * ni * sizeof *st->net);
            st->status = n_short > 0      ? CCS_STAFF_SHORT
                         : changed        ? CCS_STAFF_UNTRIMMED
                                          : CCS_STAFF_CONVERGED;
            break;
        }
    }
    free(r.floor);
    free(r.removed);
    free(r.shortc);
    free(r.fixed);
    free(r.touched);
    free(r.over);
    free(r.sim_net);
    if (rc == 0)
        ccs__staff_gross(st);
    return rc;
}
