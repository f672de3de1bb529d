/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * live.h - changing a simulation while it runs, for teaching and workshops
 * (ccsim serve, the keys of ccsim watch): the agents of a group, the routing
 * policy, the arrival rate of a queue. Each change takes effect at a given
 * simulated time and is deterministic: the same changes at the same times on
 * the same scenario and seed give the same day, event for event. A
 * simulation that receives no change is exactly the one ccs_sim_run plays.
 * docs/serve.md states the rules.
 */
#ifndef CCS_LIVE_H
#define CCS_LIVE_H

#include "ccs/error.h"
#include "ccs/policy.h"
#include "ccs/sim.h"

#include <stdint.h>

#define CCS_LIVE_MAX_AGENTS 10000u /* agents a group may be given */
#define CCS_LIVE_MAX_SCALE 100.0   /* largest arrival factor */

/*
 * Every change first runs sim up to simulated time t (the events before t,
 * as ccs_sim_run_until), moves its clock to t, then applies the change, so
 * that the events at t and later see it. Each returns 0, or:
 *   CCS_EINVAL   t is before the simulation's clock, or NaN; an argument is
 *                out of range (nothing is changed);
 *   CCS_ESTATE   the run is over (nothing left to change), or it had failed;
 *   CCS_ENOMEM   (the simulation is then failed, as for any engine error);
 *   the engine's error if running up to t failed.
 */

/*
 * From time t on, group g has exactly n agents logged in (on a break counts
 * as logged in), whatever the scenario's head count, plan or shifts said:
 * the group's staffing is held at n (its later plan steps, shift logins,
 * logouts and breaks not yet begun no longer apply; a break in progress ends
 * as planned, and a break waiting for a contact to end is dropped). To reach
 * n, agents leaving (busy past a logout) stay, absent agents log in, in the
 * group's order, and when all of the scenario's agents are in, new agents
 * are added to the group (numbered after every other agent). To go down to
 * n, the last logged-in agents in that order log out; one that is busy logs
 * out when its contacts end, like a shift end (the time past t is overtime).
 * n is at most CCS_LIVE_MAX_AGENTS.
 */
int ccs_live_set_agents(struct ccs_sim *sim, double t, uint32_t g, uint32_t n);

/* Agents of group g logged in now and not leaving (what set_agents sets). */
uint32_t ccs_live_agents(const struct ccs_sim *sim, uint32_t g);

/*
 * From time t on, route with policy ops (a built-in from ccs/policies.h, or
 * a policy of your own). The new policy is built on the current view with
 * the scenario's routing parameters if it is the scenario's own policy, or
 * with its defaults (no parameters) otherwise; then the old policy's state
 * is destroyed. If the new policy cannot be built, the old one stays and
 * the error is returned (in d). Both draw from the same routing stream.
 *
 * Contacts waiting at t keep their place in their lines, their arrival
 * time, their patience and any callback; the engine asks the new policy
 * about each of them, as on a recheck (in line order, oldest first within a
 * line): it may serve one now (assign), or leave it waiting and ask to be
 * asked again later; rejecting a contact that already waits is an illegal
 * decision (CCS_ESTATE, as in a recheck). Then every available agent is
 * offered work, group by group, longest available first. Rechecks the old
 * policy asked for still happen, answered by the new one.
 */
int ccs_live_set_policy(struct ccs_sim *sim, double t, const struct ccs_policy_ops *ops,
                        struct ccs_diag *d);

/* The routing policy in force (the scenario's until a switch). */
const struct ccs_policy_ops *ccs_live_policy(const struct ccs_sim *sim);

/*
 * From time t on, queue q's arrival rate is the scenario's times factor
 * (CCS_NONE: every queue). The factor replaces any earlier one (1 restores
 * the scenario's rate); it is in [0, CCS_LIVE_MAX_SCALE]. A Poisson process
 * (constant, per-step or sinusoid) is redrawn from t at the new rate, which
 * is exact by the lack of memory of its arrivals; a profile with exact
 * counts takes the factor from its next step on. Queues that replay a trace
 * cannot be scaled (CCS_EUNSUPPORTED; with CCS_NONE they are skipped), nor
 * outbound campaigns, which have no arrivals (skipped).
 */
int ccs_live_scale_arrivals(struct ccs_sim *sim, double t, uint32_t q, double factor);

/* Queue q's arrival factor in force (1 unless scaled). */
double ccs_live_arrival_scale(const struct ccs_sim *sim, uint32_t q);

#endif
