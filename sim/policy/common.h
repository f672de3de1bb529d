/*
 * common.h - small building blocks shared by the built-in policies: finding
 * the longest-idle eligible agent, the oldest contact of a queue, and
 * decision constructors. Policies that need other rules write their own.
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

#endif
