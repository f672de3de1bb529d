/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * acd.c - classic ACD routing. An arriving contact goes to the longest-idle
 * agent among the groups that have its skill (ties: lowest agent id), else
 * waits FIFO in its queue. A freed agent serves, among its skills with
 * waiting contacts, the queue of highest static priority (ties: the skill
 * listed first), taking its oldest contact (segment priority first, then
 * arrival time less any segment credit). Skill levels scale handle time (the
 * engine does that); skill priorities and overflow delays are ignored.
 * With 'select: random' the arriving contact goes instead to a uniformly
 * random available eligible agent, drawn from the routing stream.
 */
#include "policy/common.h"
#include "ccs/mem.h"

#include <stdlib.h>

static const char *const acd_select_names[] = {"longest_idle", "random", NULL};

/* The state exists only with select: random (NULL otherwise: longest idle). */
struct acd {
    struct ccs_stream *rng;
};

static int acd_init(const struct ccs_params *p, const struct ccs_view *v,
                    struct ccs_stream *rng, void **state, struct ccs_diag *d)
{
    static const char *const keys[] = {"select"};
    (void)v;
    *state = NULL;
    int sel = 0, rc;
    if ((rc = ccs_params_check(p, keys, 1, d)) ||
        (rc = ccs_params_choice(p, "select", acd_select_names, 0, &sel, d)))
        return rc;
    if (sel == 0)
        return 0;
    struct acd *s = ccs_malloc(sizeof *s);
    if (s == NULL)
        return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    s->rng = rng;
    *state = s;
    return 0;
}

static struct ccs_route acd_route(void *state, const struct ccs_view *v, uint32_t contact)
{
    const struct acd *s = state;
    if (s != NULL) {
        uint32_t a = ccs_pick_agent_rng(v, contact, CCS_AGENT_RANDOM, NULL, false, s->rng);
        if (a != CCS_NONE)
            return ccs_route_assign(a, "random available eligible agent");
        return ccs_route_queue("no eligible agent idle");
    }
    uint32_t a = ccs_longest_idle_for(v, v->contacts[contact].queue);
    if (a != CCS_NONE)
        return ccs_route_assign(a, "longest-idle eligible agent");
    return ccs_route_queue("no eligible agent idle");
}

/* The skill of group g acd_select serves, from the queues with waiting
   contacts: the highest priority, ties the skill listed first (CCS_NONE: none). */
static uint32_t waiting_skill(const struct ccs_view *v, uint32_t g)
{
    uint32_t best = CCS_NONE;
    int best_prio = 0;
    for (uint32_t w = 0; w <= (v->n_queues - 1) / 64; w++)
        for (uint64_t bits = v->waiting_queues[w]; bits != 0; bits &= bits - 1) {
            uint32_t q = w * 64 + (uint32_t)__builtin_ctzll(bits);
            int32_t s = ccs_view_skill_index(v, g, q);
            if (s < 0)
                continue;
            int prio = v->queues[q].priority;
            if (best == CCS_NONE || prio > best_prio || (prio == best_prio && (uint32_t)s < best)) {
                best = (uint32_t)s;
                best_prio = prio;
            }
        }
    return best;
}

static struct ccs_pick acd_select(void *state, const struct ccs_view *v, uint32_t agent)
{
    (void)state;
    uint32_t gi = v->agents[agent].group;
    const struct ccs_group *g = &v->groups[gi];
    uint32_t best = CCS_NONE;
    int best_prio = 0;
    /* A group with many skills: look only at the queues with waiting contacts
       (none, most of the time, in a large center) instead of every skill. */
    if (v->waiting_queues != NULL && g->n_skills > 8 &&
        v->n_queues / 64 + 2 * v->n_waiting_queues < g->n_skills) {
        uint32_t s = v->n_waiting_queues > 0 ? waiting_skill(v, gi) : CCS_NONE;
        if (s != CCS_NONE)
            best = ccs_oldest_in_queue(v, g->skills[s].queue);
        struct ccs_pick p = {best, best != CCS_NONE ? "oldest contact of first non-empty skill"
                                                    : "no waiting contact for its skills"};
        return p;
    }
    /* the set of queues with waiting contacts, when the engine keeps it, is
       a few hot cache lines; the queues themselves (1,000 of them) are not;
       so are the group's refs (8 bytes a skill, in queue order) beside its
       32-byte skills. The highest priority wins, ties the skill listed first. */
    const uint64_t *wq = v->waiting_queues;
    const struct ccs_skill_ref *r = v->skill_refs != NULL ? v->skill_refs + v->skill_first[gi] : NULL;
    uint32_t n = wq != NULL && v->n_waiting_queues == 0 ? 0 : g->n_skills, bs = CCS_NONE, bq = 0;
    for (uint32_t i = 0; i < n; i++) {
        uint32_t qi = r != NULL ? r[i].queue : g->skills[i].queue;
        uint32_t s = r != NULL ? r[i].skill : i;
        if (wq != NULL ? !((wq[qi / 64] >> (qi % 64)) & 1u) : v->queues[qi].waiting == 0)
            continue;
        int prio = v->queues[qi].priority;
        if (bs == CCS_NONE || prio > best_prio || (prio == best_prio && s < bs)) {
            bs = s;
            bq = qi;
            best_prio = prio;
        }
    }
    if (bs != CCS_NONE)
        best = ccs_oldest_in_queue(v, bq);
    struct ccs_pick p = {best, best != CCS_NONE ? "oldest contact of first non-empty skill"
                                                : "no waiting contact for its skills"};
    return p;
}

/* ACD ignores overflow delays: it may serve any contact of its skills. */
static bool acd_may_serve(void *state, const struct ccs_view *v, uint32_t contact,
                          uint32_t agent)
{
    (void)state;
    return ccs_has_skill(v, contact, agent);
}

const struct ccs_policy_ops ccs_policy_acd = {
    .name = "acd",
    .summary = "classic ACD: FIFO per queue, longest-idle agent, static queue priorities",
    .params_help = "select: longest_idle | random, default longest_idle; which available "
                   "eligible agent takes an arriving contact (uses queue 'priority' and the "
                   "order of each group's skills)\n",
    .flags = CCS_POLICY_WORK_CONSERVING,
    .init = acd_init,
    .route_contact = acd_route,
    .select_contact = acd_select,
    .may_serve = acd_may_serve,
    .destroy = free,
};
