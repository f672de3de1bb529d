/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * skills.c - skills-based routing. Groups have a proficiency (level) and a
 * preference (priority) per skill, and may reach a queue only after its
 * contact waited the skill's overflow delay. An arriving contact goes to an
 * open group's available agent chosen by the 'select' rule (ties by 'ties'); else it waits
 * and asks to be reconsidered when the next group opens. A freed agent
 * serves the line head of highest effective priority (queue + segment
 * priority, plus one per 'aging' waited), then its preferred skill, then the
 * oldest. docs/routing.md states the rule in full.
 */
#include "policy/common.h"
#include "ccs/mem.h"
#include "core/timeconst.h"

#include <stdlib.h>

struct skills {
    enum ccs_agent_rule rule;
    bool random_ties;        /* ties on the rule's key are broken at random */
    struct ccs_stream *rng;  /* the routing stream (random choices) */
    struct ccs__scan scan;
};

static int skills_init(const struct ccs_params *p, const struct ccs_view *v,
                       struct ccs_stream *rng, void **state, struct ccs_diag *d)
{
    static const char *const keys[] = {"select", "ties", "aging"};
    (void)v;
    *state = NULL;
    int rule = CCS_AGENT_LONGEST_IDLE, ties = 0, rc;
    double aging = 0;
    if ((rc = ccs_params_check(p, keys, sizeof keys / sizeof keys[0], d)) ||
        (rc = ccs_params_choice(p, "select", ccs_agent_rule_names, CCS_AGENT_LONGEST_IDLE, &rule,
                                d)) ||
        (rc = ccs_params_choice(p, "ties", ccs__ties_names, 0, &ties, d)) ||
        (rc = ccs_params_duration(p, "aging", 0, 0, 3650 * CCS_DAY, &aging, d)))
        return rc;
    struct skills *s = ccs_calloc(1, sizeof *s);
    if (s == NULL)
        return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    s->rule = (enum ccs_agent_rule)rule;
    s->random_ties = ties == 1;
    s->rng = rng;
    s->scan.aging = aging;
    s->scan.kind = CCS__ANY;
    s->scan.urgent = -1;
    *state = s;
    return 0;
}

static struct ccs_route skills_route(void *state, const struct ccs_view *v, uint32_t contact)
{
    const struct skills *s = state;
    uint32_t a = ccs_pick_agent_rng(v, contact, s->rule, NULL, s->random_ties, s->rng);
    if (a != CCS_NONE)
        return ccs_route_assign(a, "available agent of an open group, by the select rule");
    struct ccs_route r = ccs_route_queue("no agent available in an open group");
    r.recheck = ccs_next_overflow(v, contact);
    return r;
}

static struct ccs_pick skills_select(void *state, const struct ccs_view *v, uint32_t agent)
{
    const struct skills *s = state;
    uint32_t c = ccs__skills_pick(v, v->agents[agent].group, &s->scan);
    struct ccs_pick p = {c, c != CCS_NONE ? "highest effective priority, preferred skill, oldest"
                                          : "no open line with waiting contacts"};
    return p;
}

static bool skills_may_serve(void *state, const struct ccs_view *v, uint32_t contact,
                             uint32_t agent)
{
    (void)state;
    return ccs__skills_may_serve(v, contact, v->agents[agent].group);
}

const struct ccs_policy_ops ccs_policy_skills = {
    .name = "skills",
    .summary = "skills-based: proficiency, skill preferences, overflow delays, aging priority",
    .params_help =
        "select: longest_idle | most_skilled | least_occupied | random, default longest_idle; "
        "which available agent takes an arriving contact\n"
        "ties: longest_idle | random, default longest_idle; how agents that tie under "
        "select are chosen among\n"
        "aging: duration, default 0 (off); a waiting contact's priority rises by 1 per aging "
        "waited\n",
    .flags = CCS_POLICY_WORK_CONSERVING,
    .init = skills_init,
    .route_contact = skills_route,
    .select_contact = skills_select,
    .may_serve = skills_may_serve,
    .destroy = free,
};
