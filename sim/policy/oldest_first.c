/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * oldest_first.c - the worked example of docs/routing.md (shown there in
 * full; a test keeps the two identical). Global first-come-first-served: an
 * arriving contact goes to the longest-idle eligible agent, and a freed
 * agent serves, across all its skills, the contact that has waited longest,
 * ignoring priorities. Uses only the public interface, ccs/policy.h.
 */
#include "ccs/policy.h"

#include <math.h>

/* No parameters, so no state; init still rejects unknown keys. */
static int of_init(const struct ccs_params *p, const struct ccs_view *v,
                   struct ccs_stream *rng, void **state, struct ccs_diag *d)
{
    (void)v;
    *state = NULL;
    return ccs_params_check(p, NULL, 0, d);
}

/* Each group lists its available agents longest-idle first: compare heads. */
static struct ccs_route of_route(void *state, const struct ccs_view *v, uint32_t contact)
{
    (void)state;
    const struct ccs_queue *q = &v->queues[v->contacts[contact].queue];
    struct ccs_route r = {CCS_ROUTE_QUEUE, CCS_NONE, INFINITY, "no eligible agent idle"};
    for (uint32_t i = 0; i < q->n_groups; i++) {
        uint32_t a = v->groups[q->groups[i]].idle_head;
        if (a == CCS_NONE)
            continue;
        if (r.agent == CCS_NONE || v->agents[a].idle_since < v->agents[r.agent].idle_since ||
            (v->agents[a].idle_since == v->agents[r.agent].idle_since && a < r.agent)) {
            r.action = CCS_ROUTE_ASSIGN;
            r.agent = a;
            r.reason = "longest-idle eligible agent";
        }
    }
    return r;
}

/* Lines are FIFO, so the oldest contact is the oldest line head. */
static struct ccs_pick of_select(void *state, const struct ccs_view *v, uint32_t agent)
{
    (void)state;
    const struct ccs_group *g = &v->groups[v->agents[agent].group];
    struct ccs_pick p = {CCS_NONE, "no waiting contact for its skills"};
    for (uint32_t k = 0; k < g->n_skills; k++) {
        const struct ccs_queue *q = &v->queues[g->skills[k].queue];
        for (uint32_t l = q->first_line; l < q->first_line + q->n_lines; l++) {
            uint32_t c = v->lines[l].head;
            if (c != CCS_NONE &&
                (p.contact == CCS_NONE || v->contacts[c].arrived < v->contacts[p.contact].arrived)) {
                p.contact = c;
                p.reason = "oldest waiting contact across its skills";
            }
        }
    }
    return p;
}

/* It serves any waiting contact of its skills: say so, for the checker. */
static bool of_may_serve(void *state, const struct ccs_view *v, uint32_t contact, uint32_t agent)
{
    (void)state;
    return ccs_view_skill(v, v->agents[agent].group, v->contacts[contact].queue) != NULL;
}

const struct ccs_policy_ops ccs_policy_oldest_first = {
    .name = "oldest-first",
    .summary = "global first-come-first-served across skills, ignoring priorities",
    .params_help = "(none)\n",
    .flags = CCS_POLICY_WORK_CONSERVING,
    .init = of_init,
    .route_contact = of_route,
    .select_contact = of_select,
    .may_serve = of_may_serve,
};
