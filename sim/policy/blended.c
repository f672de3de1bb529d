/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * blended.c - real-time work first, deferred work (e-mail, outbound) in the
 * gaps. Real-time contacts are routed exactly as by the skills policy. An
 * agent pulls deferred work only when no real-time contact its group may
 * serve is waiting and at least 'reserve' other agents of its group stay
 * available for real-time contacts (groups without real-time skills need no
 * reserve); a deferred contact that has waited 'urgent_after' of its
 * promise's threshold skips the reserve. docs/routing.md states the rule and
 * why no periodic recheck is needed.
 */
#include "policy/common.h"
#include "ccs/mem.h"
#include "core/timeconst.h"

#include <stdlib.h>

struct blended {
    enum ccs_agent_rule rule;
    bool random_ties;
    struct ccs_stream *rng;  /* the routing stream (random choices) */
    double aging;
    uint32_t reserve;    /* agents of a group kept available for real-time work */
    double urgent_after; /* fraction of sla.within; < 0: never urgent */
    unsigned char *has_rt; /* per group: has a real-time skill */
    unsigned char *ok;     /* per group scratch: may take the deferred contact at hand */
};

static void blended_destroy(void *state)
{
    struct blended *s = state;
    if (s == NULL)
        return;
    free(s->has_rt);
    free(s->ok);
    free(s);
}

static int blended_init(const struct ccs_params *p, const struct ccs_view *v,
                        struct ccs_stream *rng, void **state, struct ccs_diag *d)
{
    static const char *const keys[] = {"select", "ties", "aging", "reserve", "urgent_after"};
    *state = NULL;
    int rule = CCS_AGENT_LONGEST_IDLE, ties = 0, rc;
    double aging = 0, urgent = -1;
    long long reserve = 1;
    if ((rc = ccs_params_check(p, keys, sizeof keys / sizeof keys[0], d)) ||
        (rc = ccs_params_choice(p, "select", ccs_agent_rule_names, CCS_AGENT_LONGEST_IDLE, &rule,
                                d)) ||
        (rc = ccs_params_choice(p, "ties", ccs__ties_names, 0, &ties, d)) ||
        (rc = ccs_params_duration(p, "aging", 0, 0, 3650 * CCS_DAY, &aging, d)) ||
        (rc = ccs_params_int(p, "reserve", 1, 0, 100000, &reserve, d)) ||
        (rc = ccs_params_fraction(p, "urgent_after", -1, &urgent, d)))
        return rc;
    struct blended *s = ccs_calloc(1, sizeof *s);
    if (s != NULL) {
        s->has_rt = ccs_calloc(v->n_groups + 1, 1);
        s->ok = ccs_calloc(v->n_groups + 1, 1);
    }
    if (s == NULL || s->has_rt == NULL || s->ok == NULL) {
        blended_destroy(s);
        return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    }
    s->rule = (enum ccs_agent_rule)rule;
    s->random_ties = ties == 1;
    s->rng = rng;
    s->aging = aging;
    s->reserve = (uint32_t)reserve;
    s->urgent_after = urgent;
    for (uint32_t g = 0; g < v->n_groups; g++)
        for (uint32_t k = 0; k < v->groups[g].n_skills; k++)
            if (!v->queues[v->groups[g].skills[k].queue].deferred)
                s->has_rt[g] = 1;
    *state = s;
    return 0;
}

/* Is a real-time contact that group g may serve now waiting? (Open at the
   instant itself counts: a recheck then serves it before any deferred work.) */
static bool realtime_waiting(const struct blended *s, const struct ccs_view *v, uint32_t g)
{
    struct ccs__scan scan = {s->aging, CCS__REALTIME, -1};
    return s->has_rt[g] && ccs__skills_pick(v, g, &scan) != CCS_NONE;
}

/* Would group g still keep its reserve if one more of its available agents
   took deferred work? */
static bool reserve_kept(const struct blended *s, const struct ccs_view *v, uint32_t g)
{
    return !s->has_rt[g] || v->groups[g].n_idle > s->reserve;
}

/* Has a deferred contact of line L that arrived at t waited long enough to
   skip the reserve? strict: the checker's view at the instant itself. */
static bool urgent(const struct blended *s, const struct ccs_view *v, const struct ccs_line *L,
                   double t, bool strict)
{
    if (s->urgent_after < 0)
        return false;
    double when = t + s->urgent_after * L->sla_within;
    return strict ? v->now > when : v->now >= when;
}

static struct ccs_route blended_route(void *state, const struct ccs_view *v, uint32_t contact)
{
    struct blended *s = state;
    const struct ccs_contact *c = &v->contacts[contact];
    const struct ccs_queue *Q = &v->queues[c->queue];
    struct ccs_route r;
    if (!Q->deferred) {
        uint32_t a = ccs_pick_agent_rng(v, contact, s->rule, NULL, s->random_ties, s->rng);
        if (a != CCS_NONE)
            return ccs_route_assign(a, "real-time: available agent of an open group");
        r = ccs_route_queue("real-time: no agent available in an open group");
        r.recheck = ccs_next_overflow(v, contact);
        return r;
    }
    bool urg = urgent(s, v, &v->lines[c->line], c->arrived, false);
    for (uint32_t i = 0; i < Q->n_groups; i++) {
        uint32_t g = Q->groups[i];
        s->ok[g] = !realtime_waiting(s, v, g) && (urg || reserve_kept(s, v, g));
    }
    uint32_t a = ccs_pick_agent_rng(v, contact, s->rule, s->ok, s->random_ties, s->rng);
    if (a != CCS_NONE)
        return ccs_route_assign(a, urg ? "urgent deferred work" : "deferred work: reserve kept");
    r = ccs_route_queue("deferred work: real-time demand comes first");
    r.recheck = ccs_next_overflow(v, contact);
    if (s->urgent_after >= 0 && !urg) {
        /* be asked again when it becomes urgent */
        double when = c->arrived + s->urgent_after * v->lines[c->line].sla_within;
        if (when > v->now && when < r.recheck)
            r.recheck = when;
    }
    return r;
}

static struct ccs_pick blended_select(void *state, const struct ccs_view *v, uint32_t agent)
{
    struct blended *s = state;
    uint32_t g = v->agents[agent].group;
    struct ccs__scan scan = {s->aging, CCS__REALTIME, -1};
    struct ccs_pick p = {ccs__skills_pick(v, g, &scan), "real-time first"};
    if (p.contact != CCS_NONE)
        return p;
    scan.kind = CCS__DEFERRED;
    if (reserve_kept(s, v, g)) {
        p.reason = "no real-time waiting and the reserve kept: deferred work";
    } else if (s->urgent_after >= 0) {
        scan.urgent = s->urgent_after;
        p.reason = "urgent deferred work";
    } else {
        p.reason = "keeping the real-time reserve";
        return p;
    }
    p.contact = ccs__skills_pick(v, g, &scan);
    if (p.contact == CCS_NONE)
        p.reason = "nothing it may serve is waiting";
    return p;
}

static bool blended_may_serve(void *state, const struct ccs_view *v, uint32_t contact,
                              uint32_t agent)
{
    const struct blended *s = state;
    uint32_t g = v->agents[agent].group;
    const struct ccs_contact *c = &v->contacts[contact];
    if (!ccs__skills_may_serve(v, contact, g))
        return false;
    if (!v->queues[c->queue].deferred)
        return true;
    return !realtime_waiting(s, v, g) &&
           (reserve_kept(s, v, g) || urgent(s, v, &v->lines[c->line], c->arrived, true));
}

const struct ccs_policy_ops ccs_policy_blended = {
    .name = "blended",
    .summary = "real-time first (as skills); agents pull deferred work (e-mail, outbound) "
               "while a reserve stays available",
    .params_help =
        "reserve: whole number, default 1; agents of a group with real-time skills that must "
        "stay available before one takes deferred work\n"
        "urgent_after: percentage, default none; deferred work that waited this share of its "
        "sla.within skips the reserve\n"
        "select: longest_idle | most_skilled | least_occupied | random, default longest_idle; "
        "as in skills\n"
        "ties: longest_idle | random, default longest_idle; as in skills\n"
        "aging: duration, default 0 (off); as in skills\n",
    .flags = CCS_POLICY_WORK_CONSERVING,
    .init = blended_init,
    .route_contact = blended_route,
    .select_contact = blended_select,
    .may_serve = blended_may_serve,
    .destroy = blended_destroy,
};
