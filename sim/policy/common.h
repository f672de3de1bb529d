/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * common.h - the priority scan of the skills family (skills, blended),
 * shared by the built-in policies. The building blocks any policy author
 * may use are public (ccs/policies.h). docs/routing.md states the rules.
 */
#ifndef CCS_POLICY_COMMON_H
#define CCS_POLICY_COMMON_H

#include "ccs/policies.h"

/* Values of the 'ties' parameter (skills, blended): 0 longest_idle, 1 random. */
extern const char *const ccs__ties_names[];

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
