/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * live.c - changes to a simulation while it runs (ccs/live.h): a group's
 * agents, the routing policy, a queue's arrival rate. Each runs the engine
 * up to the change's time and applies it between two events through the
 * engine's own transitions (log in, log out, recheck, offer), so the
 * invariants and the contact balance hold as in any run.
 */
#include "ccs/live.h"

#include "model/engine.h"
#include "ccs/mem.h"
#include "core/lines.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct ccs__live {
    bool *held;          /* per group: staffing held by ccs_live_set_agents */
    uint32_t agents_cap; /* slots allocated behind sim->agents */
};

void ccs__live_free(struct ccs__live *live)
{
    if (live == NULL)
        return;
    free(live->held);
    free(live);
}

bool ccs__live_holds(const struct ccs_sim *sim, uint32_t g)
{
    return sim->live != NULL && sim->live->held[g];
}

static int live_state(struct ccs_sim *sim)
{
    if (sim->live != NULL)
        return 0;
    struct ccs__live *l = ccs_calloc(1, sizeof *l);
    if (l == NULL)
        return CCS_ENOMEM;
    l->held = ccs_calloc(sim->view.n_groups + 1, sizeof *l->held);
    if (l->held == NULL) {
        free(l);
        return CCS_ENOMEM;
    }
    l->agents_cap = sim->view.n_agents;
    sim->live = l;
    return 0;
}

/* Run sim to t and stand its clock there; 0 if a change may be made now. */
static int advance(struct ccs_sim *sim, double t)
{
    if (sim->status != 0)
        return CCS_ESTATE;
    if (!(t >= sim->now)) /* NaN too */
        return CCS_EINVAL;
    /* a change at 0 comes after the run's start (the first logins) */
    int rc = ccs_sim_run_until(sim, t > 0 ? t : nextafter(0.0, 1.0));
    if (rc < 0)
        return rc;
    if (rc == 0 || sim->finalized)
        return CCS_ESTATE;
    if (t > sim->now)
        sim->now = sim->view.now = t;
    return 0;
}

/* --- agents ------------------------------------------------------------------------ */

/* The scenario's agents, then those added live (past base), in group g's order. */
static uint32_t base_agents(const struct ccs_sim *sim)
{
    uint32_t ng = sim->view.n_groups;
    return ng > 0 ? sim->groups[ng - 1].first_agent + sim->groups[ng - 1].n_agents : 0;
}

/* The group's agents in its order, into out (at most cap); returns how many. */
static uint32_t group_agents(const struct ccs_sim *sim, uint32_t g, uint32_t *out, uint32_t cap)
{
    const struct ccs_group *G = &sim->groups[g];
    uint32_t n = 0;
    for (uint32_t i = 0; i < G->n_agents && n < cap; i++)
        out[n++] = G->first_agent + i;
    for (uint32_t a = base_agents(sim); a < sim->view.n_agents && n < cap; a++)
        if (sim->agents[a].group == g)
            out[n++] = a;
    return n;
}

static bool logged_in(const struct ccs_agent *ag)
{
    return ag->state != CCS_A_ABSENT && !(ag->pending & CCS_AP_LOGOUT);
}

uint32_t ccs_live_agents(const struct ccs_sim *sim, uint32_t g)
{
    if (g >= sim->view.n_groups)
        return 0;
    const struct ccs_group *G = &sim->groups[g];
    uint32_t n = 0;
    for (uint32_t i = 0; i < G->n_agents; i++)
        n += logged_in(&sim->agents[G->first_agent + i]);
    for (uint32_t a = base_agents(sim); a < sim->view.n_agents; a++)
        n += sim->agents[a].group == g && logged_in(&sim->agents[a]);
    return n;
}

/* A new agent of group g, not logged in, numbered after all others. */
static int add_agent(struct ccs_sim *sim, uint32_t g, uint32_t *out)
{
    struct ccs__live *l = sim->live;
    uint32_t a = sim->view.n_agents;
    if (a == l->agents_cap) {
        if (a >= UINT32_MAX / 2)
            return CCS_ENOMEM;
        uint32_t cap = a < 8 ? 8 : 2 * a; /* both arrays to the same capacity */
        struct ccs_agent *p = ccs__grow_lines(sim->agents, &sim->agents_raw, a, cap, sizeof *p);
        if (p == NULL)
            return CCS_ENOMEM;
        sim->agents = p;
        sim->view.agents = p; /* moved even if the next growth fails */
        struct ccs__agent_x *x = ccs_realloc(sim->ax, (size_t)cap * sizeof *x);
        if (x == NULL)
            return CCS_ENOMEM;
        sim->ax = x;
        if (sim->idle_links != NULL) {
            struct ccs_idle_link *k = ccs_realloc(sim->idle_links, (size_t)cap * sizeof *k);
            if (k == NULL)
                return CCS_ENOMEM;
            sim->idle_links = k;
            sim->view.idle_links = k;
        }
        l->agents_cap = cap;
    }
    struct ccs_agent *ag = &sim->agents[a];
    memset(ag, 0, sizeof *ag);
    memset(&sim->ax[a], 0, sizeof sim->ax[a]);
    ag->id = a;
    ag->group = g;
    ag->prev = ag->next = CCS_NONE;
    ag->state = CCS_A_ABSENT;
    ag->present_since = NAN;
    ag->shift = CCS_NONE;
    ccs__ax(sim, ag)->shift_end = INFINITY;
    sim->view.n_agents = a + 1;
    *out = a;
    return 0;
}

/* Hold group g: its scenario staffing stops; breaks waiting for a contact
   to end are dropped, so those agents take work again. */
static void hold(struct ccs_sim *sim, uint32_t g, const uint32_t *ids, uint32_t n)
{
    sim->live->held[g] = true;
    for (uint32_t i = 0; i < n; i++) {
        struct ccs_agent *ag = &sim->agents[ids[i]];
        if (ag->pending & CCS_AP_BREAK) {
            ag->pending &= (uint8_t)~CCS_AP_BREAK;
            ccs__agent_offer(sim, ids[i]);
        }
    }
}

int ccs_live_set_agents(struct ccs_sim *sim, double t, uint32_t g, uint32_t n)
{
    if (g >= sim->view.n_groups || n > CCS_LIVE_MAX_AGENTS)
        return CCS_EINVAL;
    int rc = advance(sim, t);
    if (rc != 0 || (rc = live_state(sim)) != 0)
        return rc;
    uint32_t cap = sim->groups[g].n_agents + CCS_LIVE_MAX_AGENTS;
    uint32_t *ids = ccs_malloc((size_t)cap * sizeof *ids);
    if (ids == NULL) {
        ccs__fault(sim, CCS_ENOMEM, "out of memory (live change)");
        return CCS_ENOMEM;
    }
    uint32_t k = group_agents(sim, g, ids, cap);
    hold(sim, g, ids, k);
    uint32_t in = ccs_live_agents(sim, g);
    /* up: those leaving stay, the absent log in, in the group's order */
    for (uint32_t i = 0; i < k && in < n && sim->status == 0; i++) {
        struct ccs_agent *ag = &sim->agents[ids[i]];
        if (logged_in(ag))
            continue;
        ccs__staff_login(sim, ids[i]);
        sim->ax[ids[i]].shift_end = INFINITY;
        in++;
    }
    while (in < n && sim->status == 0) {
        uint32_t a;
        if (add_agent(sim, g, &a) != 0) {
            ccs__fault(sim, CCS_ENOMEM, "out of memory (agents)");
            break;
        }
        ccs__staff_login(sim, a);
        in++;
    }
    /* down: the last logged in leave, a busy one when its contacts end */
    for (uint32_t i = k; i-- > 0 && in > n && sim->status == 0;) {
        struct ccs_agent *ag = &sim->agents[ids[i]];
        if (!logged_in(ag))
            continue;
        ccs__ax(sim, ag)->shift_end = sim->now;
        ccs__staff_logout(sim, ids[i]);
        in--;
    }
    free(ids);
    return sim->status;
}

/* --- routing policy ---------------------------------------------------------------- */

const struct ccs_policy_ops *ccs_live_policy(const struct ccs_sim *sim)
{
    return sim->policy;
}

int ccs_live_set_policy(struct ccs_sim *sim, double t, const struct ccs_policy_ops *ops,
                        struct ccs_diag *d)
{
    if (ops == NULL || ops->init == NULL || ops->route_contact == NULL ||
        ops->select_contact == NULL)
        return ccs_diag_at(d, CCS_EINVAL, NULL, 0, 0, "not a routing policy");
    int rc = advance(sim, t);
    if (rc != 0)
        return ccs_diag_at(d, rc, NULL, 0, 0, "%s", ccs_strerror(rc));
    const struct ccs_params *p = ops == sim->sc->policy ? sim->sc->policy_params : NULL;
    void *state = NULL;
    rc = ops->init(p, &sim->view, (struct ccs_stream *)sim->route_rng, &state, d);
    if (rc != 0)
        return rc;
    if (sim->pstate != NULL && sim->policy->destroy != NULL)
        sim->policy->destroy(sim->pstate);
    sim->policy = ops;
    sim->pstate = state;

    /* the waiting contacts, as a recheck; listed first, as serving one may
       free an agent that takes others (a consult transfer's holder) */
    uint32_t n = 0;
    for (uint32_t q = 0; q < sim->view.n_queues; q++)
        n += sim->queues[q].waiting;
    uint32_t na = sim->view.n_agents;
    uint32_t *ids = ccs_malloc(((size_t)n + na + 1) * sizeof *ids);
    uint32_t *gens = ccs_malloc(((size_t)n + 1) * sizeof *gens);
    if (ids == NULL || gens == NULL) {
        free(ids);
        free(gens);
        ccs__fault(sim, CCS_ENOMEM, "out of memory (live change)");
        return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    }
    uint32_t k = 0;
    for (uint32_t l = 0; l < sim->view.n_lines; l++)
        for (uint32_t id = sim->lines[l].head; id != CCS_NONE && k < n;
             id = sim->contacts[id].next) {
            ids[k] = id;
            gens[k++] = sim->contacts[id].gen;
        }
    for (uint32_t i = 0; i < k && sim->status == 0; i++) {
        struct ccs_contact *c = &sim->contacts[ids[i]];
        if (c->gen == gens[i] && c->state == CCS_C_WAITING)
            ccs__reconsider(sim, c);
    }
    /* then every available agent, as when it frees up */
    k = 0;
    for (uint32_t g = 0; g < sim->view.n_groups; g++)
        for (uint32_t a = sim->groups[g].idle_head; a != CCS_NONE && k < na;
             a = sim->agents[a].next)
            ids[k++] = a;
    for (uint32_t i = 0; i < k && sim->status == 0; i++)
        if (sim->agents[ids[i]].available)
            ccs__agent_offer(sim, ids[i]);
    free(ids);
    free(gens);
    if (sim->status != 0)
        return ccs_diag_at(d, sim->status, NULL, 0, 0, "%s", sim->fault);
    return 0;
}

/* --- arrivals ---------------------------------------------------------------------- */

double ccs_live_arrival_scale(const struct ccs_sim *sim, uint32_t q)
{
    return q < sim->view.n_queues ? sim->arr[q].scale : NAN;
}

static void rescale(struct ccs_sim *sim, uint32_t q, double factor)
{
    const struct ccs_arrivals *a = &sim->sc->queues[q].arrivals;
    struct ccs_arrival_state *st = &sim->arr[q];
    st->scale = factor;
    ccs__arrivals_hot(sim, q);
    if (a->kind == CCS_ARR_PROFILE && a->exact_counts)
        return; /* the step's times are drawn: the next step takes the factor */
    /* the pending arrival is stale; a Poisson process forgets its past, so
       the next one is drawn afresh from now at the new rate */
    uint32_t gen = ++sim->qhot[q].gen;
    double next = ccs__next_arrival(sim, q, sim->now);
    if (next < sim->sc->horizon)
        ccs__push(sim, next, CCS_EV_ARRIVAL, q, gen);
}

static bool scalable(const struct ccs_sim *sim, uint32_t q)
{
    enum ccs_arrival_kind k = sim->sc->queues[q].arrivals.kind;
    return k != CCS_ARR_TRACE && k != CCS_ARR_NONE;
}

int ccs_live_scale_arrivals(struct ccs_sim *sim, double t, uint32_t q, double factor)
{
    if (!(factor >= 0 && factor <= CCS_LIVE_MAX_SCALE))
        return CCS_EINVAL;
    if (q != CCS_NONE && q >= sim->view.n_queues)
        return CCS_EINVAL;
    if (q != CCS_NONE && sim->sc->queues[q].arrivals.kind == CCS_ARR_TRACE)
        return CCS_EUNSUPPORTED;
    int rc = advance(sim, t);
    if (rc != 0)
        return rc;
    for (uint32_t i = 0; i < sim->view.n_queues && sim->status == 0; i++)
        if ((q == CCS_NONE || i == q) && scalable(sim, i))
            rescale(sim, i, factor);
    return sim->status;
}
