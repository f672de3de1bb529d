/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * staffing_plan.h - internals shared by the Erlang side of `ccsim staff`
 * (staffing_plan.c) and its simulation-based refinement (model/refine.c).
 */
#ifndef CCS_EXP_STAFFING_PLAN_H
#define CCS_EXP_STAFFING_PLAN_H

#include "ccs/staff.h"

#include <stdint.h>

/*
 * How well group g serves queue q, as a sort key (smaller is better), or
 * false when g lacks the skill: no overflow delay first, then the skill's
 * rank among g's skills (0 = g takes q before anything else), then higher
 * proficiency, then lower cost_per_hour. Ties go to the caller.
 */
bool ccs__staff_rank(const struct ccs_staffing *st, size_t g, size_t q, double key[4]);

/* The group that best serves q (ties: fewer net agents in interval i, then
   lower index; i < 0 ignores agents), or -1 when no group has the skill. */
int ccs__staff_best_group(const struct ccs_staffing *st, size_t q, long i);

/* Whether queue q's service level is a staffing goal (not outbound). */
bool ccs__staff_counts(const struct ccs_staffing *st, size_t q);

/* plan = net grossed up by shrinkage; agent-hours and cost of the plan. */
void ccs__staff_gross(struct ccs_staffing *st);

/* Length of interval i (the last may be cut by the horizon), seconds. */
double ccs__staff_interval_len(const struct ccs_staffing *st, uint32_t i);

#endif
