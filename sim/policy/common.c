/*
 * common.c - shared building blocks of the built-in policies (common.h).
 */
#include "policy/common.h"

uint32_t ccs__longest_idle_for(const struct ccs_view *v, uint32_t q)
{
    const struct ccs_queue *Q = &v->queues[q];
    uint32_t best = CCS_NONE;
    for (uint32_t i = 0; i < Q->n_groups; i++) {
        uint32_t a = v->groups[Q->groups[i]].idle_head;
        if (a != CCS_NONE && (best == CCS_NONE || ccs__idle_before(v, a, best)))
            best = a;
    }
    return best;
}

uint32_t ccs__oldest_in_queue(const struct ccs_view *v, uint32_t q)
{
    const struct ccs_queue *Q = &v->queues[q];
    if (Q->n_lines == 1)
        return v->lines[Q->first_line].head;
    uint32_t best = CCS_NONE;
    int best_prio = 0;
    double best_t = 0;
    for (uint32_t l = Q->first_line; l < Q->first_line + Q->n_lines; l++) {
        const struct ccs_line *L = &v->lines[l];
        if (L->head == CCS_NONE)
            continue;
        const struct ccs_contact *c = &v->contacts[L->head];
        double t = c->arrived - c->credit;
        if (best == CCS_NONE || L->priority > best_prio ||
            (L->priority == best_prio && t < best_t)) {
            best = L->head;
            best_prio = L->priority;
            best_t = t;
        }
    }
    return best;
}
