/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * checks.c - the engine's invariants, checked after every event in debug
 * mode (ccs_sim_set_checks): lines and counts agree, available lists hold
 * only free agents, each queue's longest-idle index agrees with them, and
 * a work-conserving policy leaves no agent idle that may serve a waiting
 * contact.
 */
#include "model/engine.h"

#include "ccs/error.h"

/* Default "may serve": the group has the skill and any overflow delay has
   strictly passed (at the instant itself the policy's recheck may not have
   fired yet, as events at equal times fire one after another). */
static bool may_serve(const struct ccs_sim *sim, const struct ccs_contact *c, uint32_t a)
{
    if (sim->policy->may_serve != NULL)
        return sim->policy->may_serve(sim->pstate, &sim->view, c->id, a);
    const struct ccs_skill *sk = ccs_view_skill(&sim->view, sim->agents[a].group, c->queue);
    return sk != NULL && sim->now - c->arrived > sk->delay;
}

static bool check_lines(struct ccs_sim *sim)
{
    const struct ccs_view *v = &sim->view;
    for (uint32_t q = 0; q < v->n_queues; q++) {
        const struct ccs_queue *Q = &sim->queues[q];
        uint32_t sum = 0;
        for (uint32_t l = Q->first_line; l < Q->first_line + Q->n_lines; l++) {
            uint32_t n = 0, prev = CCS_NONE;
            for (uint32_t id = sim->lines[l].head; id != CCS_NONE; id = sim->contacts[id].next) {
                const struct ccs_contact *c = &sim->contacts[id];
                if (c->state != CCS_C_WAITING || c->line != l || c->prev != prev ||
                    ++n > sim->n_contacts_cap) {
                    ccs__fault(sim, CCS_ESTATE, "invariant: line %u is corrupt at contact %u", l,
                               id);
                    return false;
                }
                prev = id;
            }
            if (n != sim->lines[l].count || prev != sim->lines[l].tail) {
                ccs__fault(sim, CCS_ESTATE, "invariant: line %u counts %u but holds %u", l,
                           sim->lines[l].count, n);
                return false;
            }
            sum += n;
        }
        if (sum != Q->waiting) {
            ccs__fault(sim, CCS_ESTATE, "invariant: queue '%s' waiting %u != %u in its lines",
                       Q->id, Q->waiting, sum);
            return false;
        }
    }
    return true;
}

/* A group's agents are its range, then any added live (live.c) after the
   scenario's agents (from base on), which are told by their group. */
static uint32_t extra_from(const struct ccs_sim *sim, uint32_t g, uint32_t a)
{
    while (a < sim->view.n_agents && sim->agents[a].group != g)
        a++;
    return a;
}

static uint32_t next_of_group(const struct ccs_sim *sim, uint32_t g, uint32_t a, uint32_t base)
{
    const struct ccs_group *G = &sim->groups[g];
    if (a + 1 == G->first_agent + G->n_agents)
        return extra_from(sim, g, base);
    return a >= base ? extra_from(sim, g, a + 1) : a + 1;
}

static bool check_groups(struct ccs_sim *sim)
{
    const struct ccs_view *v = &sim->view;
    uint32_t base = 0;
    if (v->n_groups > 0)
        base = sim->groups[v->n_groups - 1].first_agent + sim->groups[v->n_groups - 1].n_agents;
    for (uint32_t g = 0; g < v->n_groups; g++) {
        const struct ccs_group *G = &sim->groups[g];
        uint32_t idle = 0, slots = 0, busy = 0, present = 0, on_break = 0;
        for (uint32_t a = G->idle_head; a != CCS_NONE; a = sim->agents[a].next) {
            const struct ccs_agent *ag = &sim->agents[a];
            if (!ag->available || ag->load >= G->capacity || ag->state == CCS_A_ABSENT ||
                ag->state == CCS_A_BREAK || ag->pending != 0 || ++idle > v->n_agents) {
                ccs__fault(sim, CCS_ESTATE, "invariant: group '%s' lists agent %u as available",
                           G->id, a);
                return false;
            }
        }
        uint32_t a0 = G->n_agents > 0 ? G->first_agent : extra_from(sim, g, base);
        for (uint32_t a = a0; a < v->n_agents; a = next_of_group(sim, g, a, base)) {
            const struct ccs_agent *ag = &sim->agents[a];
            slots += ag->load;
            busy += ag->load > 0;
            present += ag->state == CCS_A_IDLE || ag->state == CCS_A_BUSY;
            on_break += ag->state == CCS_A_BREAK;
            if ((ag->state == CCS_A_BREAK || ag->state == CCS_A_ABSENT) && ag->load > 0) {
                ccs__fault(sim, CCS_ESTATE, "invariant: agent %u holds contacts while %s", a,
                           ag->state == CCS_A_BREAK ? "on break" : "logged out");
                return false;
            }
        }
        if (idle != G->n_idle || slots != G->busy_slots || busy != G->n_busy ||
            present != G->n_present || on_break != G->n_break) {
            ccs__fault(sim, CCS_ESTATE, "invariant: group '%s' counts disagree with its agents",
                       G->id);
            return false;
        }
    }
    return true;
}

static void check_work_conservation(struct ccs_sim *sim)
{
    const struct ccs_view *v = &sim->view;
    for (uint32_t l = 0; l < v->n_lines; l++)
        for (uint32_t id = sim->lines[l].head; id != CCS_NONE; id = sim->contacts[id].next) {
            const struct ccs_contact *c = &sim->contacts[id];
            const struct ccs_queue *Q = &sim->queues[c->queue];
            for (uint32_t i = 0; i < Q->n_groups; i++)
                for (uint32_t a = sim->groups[Q->groups[i]].idle_head; a != CCS_NONE;
                     a = sim->agents[a].next)
                    if (may_serve(sim, c, a)) {
                        ccs__fault(sim, CCS_ESTATE,
                                   "invariant: policy '%s' left agent %u of group '%s' "
                                   "available while contact %llu of queue '%s' waits",
                                   sim->policy->name, a, sim->groups[Q->groups[i]].id,
                                   (unsigned long long)ccs__cx(sim, c)->serial, Q->id);
                        return;
                    }
        }
}

/* The longest-idle index of every queue agrees with its groups' lists, as
   do the list of all available agents and the set of queues with waiting
   contacts. */
static bool check_idle_index(struct ccs_sim *sim)
{
    for (uint32_t q = 0; q < sim->view.n_queues; q++)
        if (!ccs__idle_index_ok(sim, q)) {
            ccs__fault(sim, CCS_ESTATE, "invariant: queue '%s' longest-idle index is corrupt",
                       sim->queues[q].id);
            return false;
        }
    if (!ccs__idle_lists_ok(sim)) {
        ccs__fault(sim, CCS_ESTATE, "invariant: the lists of available agents are corrupt");
        return false;
    }
    uint32_t n = 0;
    for (uint32_t q = 0; q < sim->view.n_queues; q++) {
        bool bit = (sim->waiting_bits[q / 64] >> (q % 64)) & 1;
        n += bit;
        if (bit != (sim->queues[q].waiting > 0)) {
            ccs__fault(sim, CCS_ESTATE, "invariant: queue '%s' waiting bit is wrong",
                       sim->queues[q].id);
            return false;
        }
    }
    if (n != sim->view.n_waiting_queues) {
        ccs__fault(sim, CCS_ESTATE, "invariant: %u queues have waiting contacts, not %u", n,
                   sim->view.n_waiting_queues);
        return false;
    }
    return true;
}

void ccs__check_invariants(struct ccs_sim *sim)
{
    if (!check_lines(sim) || !check_groups(sim) || !check_idle_index(sim))
        return;
    if (sim->policy->flags & CCS_POLICY_WORK_CONSERVING)
        check_work_conservation(sim);
}
