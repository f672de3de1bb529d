/*
 * common.h - small building blocks shared by the built-in policies: finding
 * the longest-idle eligible agent, the oldest contact of a queue, overflow
 * delays, the agent-selection rules and the priority scan of the skills
 * family (skills, blended), and decision constructors. docs/routing.md
 * states the rules these implement; policies that need others write their own.
 */
#ifndef CCS_POLICY_COMMON_H
#define CCS_POLICY_COMMON_H

#include "ccs/policy.h"

#include <math.h>

static inline struct ccs_route ccs__route_assign(uint32_t agent, const char *reason)
{
    struct ccs_route r = {CCS_ROUTE_ASSIGN, agent, INFINITY, reason};
    return r;
}

static inline struct ccs_route ccs__route_queue(const char *reason)
{
    struct ccs_route r = {CCS_ROUTE_QUEUE, CCS_NONE, INFINITY, reason};
    return r;
}

/* Does agent x rank before agent y as "longest idle"? (ties: lower id) */
static inline int ccs__idle_before(const struct ccs_view *v, uint32_t x, uint32_t y)
{
    double tx = v->agents[x].idle_since, ty = v->agents[y].idle_since;
    return tx < ty || (tx == ty && x < y);
}

/* The longest-idle available agent among the groups with queue q's skill. */
uint32_t ccs__longest_idle_for(const struct ccs_view *v, uint32_t q);

/*
 * The oldest waiting contact of queue q across its lines: highest line
 * priority first, then earliest (arrival - credit), then lowest line.
 * CCS_NONE when nobody waits.
 */
uint32_t ccs__oldest_in_queue(const struct ccs_view *v, uint32_t q);

/* May agent a's group serve contact c at all (has the skill)? */
static inline bool ccs__has_skill(const struct ccs_view *v, uint32_t c, uint32_t a)
{
    return v->skill_of[(size_t)v->agents[a].group * v->n_queues + v->contacts[c].queue] >= 0;
}

/* --- overflow delays ------------------------------------------------------------ */

/*
 * Is a skill with overflow `delay` open to a contact that arrived at
 * `arrived`? A zero delay is always open. Otherwise open from the instant
 * arrived + delay on (the time a recheck is asked for, computed the same way
 * so that the recheck finds it open), or, when strict, only after it: the
 * checker's view, since events at one instant fire one after another and the
 * recheck may still be pending.
 */
static inline bool ccs__overflow_open(double now, double arrived, double delay, bool strict)
{
    if (delay <= 0)
        return true;
    return strict ? now > arrived + delay : now >= arrived + delay;
}

/* The first time after now at which another of its queue's groups opens to
   contact c (c's arrival + a skill delay), or INFINITY: when to recheck. */
double ccs__next_overflow(const struct ccs_view *v, uint32_t c);

/* --- choosing an agent --------------------------------------------------------------- */

enum ccs__agent_rule {
    CCS__LONGEST_IDLE,   /* available the longest */
    CCS__MOST_SKILLED,   /* highest skill level for the queue, then longest idle */
    CCS__LEAST_OCCUPIED, /* lowest occupancy so far (ccs_view_agent_occupancy), then longest idle */
};

/* Names of the rules as the 'select' parameter spells them, NULL-terminated. */
extern const char *const ccs__agent_rule_names[];

/*
 * The available agent that serves contact c by `rule`, among the groups with
 * its skill whose overflow delay has passed for c and, if group_ok is not
 * NULL, for which group_ok[g] is set. Ties: longest idle, then lowest id.
 * CCS_NONE if there is none.
 */
uint32_t ccs__pick_agent(const struct ccs_view *v, uint32_t c, enum ccs__agent_rule rule,
                         const unsigned char *group_ok);

/* --- the priority scan of the skills family ------------------------------------------- */

enum ccs__kind { CCS__ANY, CCS__REALTIME, CCS__DEFERRED };

struct ccs__scan {
    double aging;  /* a contact's priority rises by 1 per `aging` seconds waited; 0: never */
    int kind;      /* enum ccs__kind: which of the group's queues to look at */
    double urgent; /* >= 0: only line heads that waited at least urgent x their line's
                      sla_within; < 0: no such condition */
};

/*
 * The waiting contact a freed agent of group g serves next under the skills
 * rule. Each line of g's skills (filtered by s) offers its first contact in
 * line order whose overflow delay for g has passed (and that is urgent, if
 * asked); among those, the highest effective priority (line priority +
 * floor(waited incl. credit / aging)), then the lowest skill priority, then
 * the earliest (arrival - credit), then the lowest line. CCS_NONE if none.
 */
uint32_t ccs__skills_pick(const struct ccs_view *v, uint32_t g, const struct ccs__scan *s);

/*
 * The checker's view of the same rule: may group g serve contact c now (g
 * has the skill and c waited strictly longer than the skill's delay)?
 */
bool ccs__skills_may_serve(const struct ccs_view *v, uint32_t c, uint32_t g);

#endif
