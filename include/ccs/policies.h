/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * policies.h - the built-in routing policies, and building blocks for
 * writing one: decision constructors, the longest-idle agent, the oldest
 * waiting contact, overflow delays and the agent-selection rules of the
 * built-in policies. All read the view only. docs/routing.md states the
 * rules and shows a complete policy written with ccs/policy.h alone.
 *
 * An embedder's own policy needs no registration here: pass its ops table
 * to the loader (struct ccs_load_opts, ccs/scenario.h) and scenarios may
 * name it.
 */
#ifndef CCS_POLICIES_H
#define CCS_POLICIES_H

#include "ccs/policy.h"

#include <math.h>

/* The built-in policies, NULL-terminated. */
extern const struct ccs_policy_ops *const ccs_policies[];

/* The built-in policy with this name, or NULL. */
const struct ccs_policy_ops *ccs_policy_find(const char *name);

/* --- decisions ------------------------------------------------------------------ */

static inline struct ccs_route ccs_route_assign(uint32_t agent, const char *reason)
{
    struct ccs_route r = {CCS_ROUTE_ASSIGN, agent, INFINITY, reason};
    return r;
}

static inline struct ccs_route ccs_route_queue(const char *reason)
{
    struct ccs_route r = {CCS_ROUTE_QUEUE, CCS_NONE, INFINITY, reason};
    return r;
}

/* --- agents and contacts -------------------------------------------------------- */

/* Does agent x rank before agent y as "longest idle"? (ties: lower id) */
static inline bool ccs_idle_before(const struct ccs_view *v, uint32_t x, uint32_t y)
{
    double tx = v->agents[x].idle_since, ty = v->agents[y].idle_since;
    return tx < ty || (tx == ty && x < y);
}

/* May agent a's group serve contact c at all (has the skill)? */
static inline bool ccs_has_skill(const struct ccs_view *v, uint32_t c, uint32_t a)
{
    return ccs_view_skill_index(v, v->agents[a].group, v->contacts[c].queue) >= 0;
}

/* The longest-idle available agent among the groups with queue q's skill,
   or CCS_NONE. */
uint32_t ccs_longest_idle_for(const struct ccs_view *v, uint32_t q);

/*
 * The oldest waiting contact of queue q across its lines: highest line
 * priority first, then earliest (arrival - credit), then lowest line.
 * CCS_NONE when nobody waits.
 */
uint32_t ccs_oldest_in_queue(const struct ccs_view *v, uint32_t q);

/* --- overflow delays ------------------------------------------------------------ */

/*
 * Is a skill with overflow `delay` open to a contact that arrived at
 * `arrived`? A zero delay is always open. Otherwise open from the instant
 * arrived + delay on (the time a recheck is asked for, computed the same way
 * so that the recheck finds it open), or, when strict, only after it: the
 * checker's view, since events at one instant fire one after another and the
 * recheck may still be pending.
 */
static inline bool ccs_overflow_open(double now, double arrived, double delay, bool strict)
{
    if (delay <= 0)
        return true;
    return strict ? now > arrived + delay : now >= arrived + delay;
}

/* The first time after now at which another of its queue's groups opens to
   contact c (c's arrival + a skill delay), or INFINITY: when to recheck. */
double ccs_next_overflow(const struct ccs_view *v, uint32_t c);

/* --- choosing an agent ------------------------------------------------------------ */

enum ccs_agent_rule {
    CCS_AGENT_LONGEST_IDLE,   /* available the longest */
    CCS_AGENT_MOST_SKILLED,   /* highest skill level for the queue, then longest idle */
    CCS_AGENT_LEAST_OCCUPIED, /* lowest occupancy so far (ccs_view_agent_occupancy), then
                                 longest idle */
    CCS_AGENT_RANDOM,         /* uniformly at random (needs the routing stream) */
};

/* Names of the rules as the 'select' parameter spells them, NULL-terminated. */
extern const char *const ccs_agent_rule_names[];

/*
 * The available agent that serves contact c by `rule`, among the groups with
 * its skill whose overflow delay has passed for c and, if group_ok is not
 * NULL, for which group_ok[g] is set. Ties: longest idle, then lowest id.
 * CCS_NONE if there is none.
 */
uint32_t ccs_pick_agent(const struct ccs_view *v, uint32_t c, enum ccs_agent_rule rule,
                        const unsigned char *group_ok);

/*
 * The same with the policy's routing stream rng (ccs/policy.h). With rule
 * CCS_AGENT_RANDOM every available eligible agent is equally likely; with
 * random_ties, agents that tie on the rule's key (the same skill level for
 * CCS_AGENT_MOST_SKILLED, the same occupancy for CCS_AGENT_LEAST_OCCUPIED)
 * are chosen among uniformly instead of by longest idle. Draws exactly one
 * number from rng when there are at least two candidates, none otherwise;
 * with rng NULL, randomness falls back to longest idle. CCS_NONE if there
 * is no available eligible agent.
 */
uint32_t ccs_pick_agent_rng(const struct ccs_view *v, uint32_t c, enum ccs_agent_rule rule,
                            const unsigned char *group_ok, bool random_ties,
                            struct ccs_stream *rng);

#endif
