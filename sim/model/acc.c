/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * acc.c - streamed statistics of one simulation: counters per (line,
 * interval), time integrals per (group, interval) and per line, and a wait
 * histogram per line. Memory depends on the model's size and the number of
 * intervals, never on the number of contacts simulated (a histogram's chunks
 * on the range of waits seen, at most 35 KB a line).
 */
#include "model/engine.h"

#include "ccs/error.h"
#include "ccs/mem.h"
#include "core/lines.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>

int ccs__acc_init(struct ccs_sim *sim)
{
    struct ccs_acc *acc = &sim->acc;
    size_t nl = sim->view.n_lines, ng = sim->view.n_groups, nq = sim->view.n_queues;
    acc->n_intervals = sim->sc->n_intervals;
    acc->line_ni = sim->whole_only ? 1 : acc->n_intervals;
    acc->line_step = sim->whole_only ? 0 : 1;
    acc->line = ccs__calloc_lines(nl * acc->line_ni, sizeof *acc->line, &acc->line_raw);
    /* one cell of counts per line: the times per interval on their own */
    acc->time = sim->whole_only ? ccs_calloc(nl * acc->n_intervals + 1, sizeof *acc->time) : NULL;
    acc->line_run = ccs__calloc_lines(nl, sizeof *acc->line_run, &acc->line_run_raw);
    acc->group = ccs_calloc(ng * acc->n_intervals + 1, sizeof *acc->group);
    acc->group_cur = ccs__calloc_lines(ng + 1, sizeof *acc->group_cur, &acc->group_cur_raw);
    acc->gq_first = ccs_calloc(ng + 1, sizeof *acc->gq_first);
    if (acc->gq_first == NULL)
        return CCS_ENOMEM;
    for (size_t g = 0; g < ng; g++)
        acc->gq_first[g + 1] = acc->gq_first[g] + sim->groups[g].n_skills;
    acc->gq_busy = ccs_calloc((size_t)acc->gq_first[ng] + 1, sizeof *acc->gq_busy);
    /* backlog snapshots feed interval keys only */
    acc->snap = sim->whole_only ? NULL : ccs_calloc(nq * acc->n_intervals, sizeof *acc->snap);
    if (!acc->line || (!acc->time && sim->whole_only) || !acc->line_run || !acc->group ||
        !acc->gq_busy || (!acc->snap && !sim->whole_only) || !acc->group_cur)
        return CCS_ENOMEM;
    return 0;
}

void ccs__acc_release(struct ccs_sim *sim)
{
    struct ccs_acc *acc = &sim->acc;
    free(acc->line_raw);
    acc->line = NULL;
    free(acc->time);
    acc->time = NULL;
    if (acc->line_run != NULL)
        for (uint32_t l = 0; l < sim->view.n_lines; l++)
            ccs__hist_free(&acc->line_run[l].wait_hist);
    free(acc->line_run_raw);
    acc->line_run = NULL;
    free(acc->group);
    free(acc->group_cur_raw);
    free(acc->gq_busy);
    free(acc->gq_first);
    free(acc->snap);
}

void ccs__acc_snapshot(struct ccs_sim *sim, uint32_t upto)
{
    struct ccs_acc *acc = &sim->acc;
    if (upto > acc->n_intervals)
        upto = acc->n_intervals;
    for (uint32_t i = sim->snapped; acc->snap != NULL && i < upto; i++)
        for (uint32_t q = 0; q < sim->view.n_queues; q++) {
            const struct ccs_queue *Q = &sim->queues[q];
            double oldest = sim->now;
            for (uint32_t l = Q->first_line; l < Q->first_line + Q->n_lines; l++)
                for (uint32_t id = sim->lines[l].head; id != CCS_NONE;
                     id = sim->contacts[id].next)
                    if (sim->contacts[id].arrived < oldest)
                        oldest = sim->contacts[id].arrived;
            struct ccs_snap *s = &acc->snap[(size_t)q * acc->n_intervals + i];
            s->backlog = Q->waiting;
            s->age = sim->now - oldest;
        }
    if (upto > sim->snapped)
        sim->snapped = upto;
}

/*
 * Group integrals accumulate into the current interval's cell and are moved
 * into their interval when it ends (interval events fire at every boundary),
 * so the per-event update is a few multiply-adds: no division, no splitting.
 */
void ccs__acc_group_advance(struct ccs_sim *sim, uint32_t g)
{
    double t1 = sim->now < sim->sc->horizon ? sim->now : sim->sc->horizon;
    struct ccs_acc_group_cur *cur = &sim->acc.group_cur[g];
    double t0 = cur->last;
    if (!(t1 > t0))
        return;
    cur->last = t1;
    if (t0 < sim->stat_start) {
        t0 = sim->stat_start;
        if (!(t1 > t0))
            return;
    }
    const struct ccs_group *G = &sim->groups[g];
    struct ccs_acc_group *c = &cur->sum;
    double dt = t1 - t0;
    c->busy += (double)G->busy_slots / G->capacity * dt;
    c->present += G->n_present * dt;
    c->paid += (G->n_present + G->n_break) * dt;
    c->overtime += G->n_overtime * dt;
}

void ccs__acc_groups_flush(struct ccs_sim *sim, uint32_t upto)
{
    struct ccs_acc *acc = &sim->acc;
    if (upto > acc->n_intervals)
        upto = acc->n_intervals;
    if (acc->group_flushed >= upto)
        return;
    uint32_t i = upto - 1; /* the interval that just ended */
    for (uint32_t g = 0; g < sim->view.n_groups; g++) {
        ccs__acc_group_advance(sim, g);
        struct ccs_acc_group *row = &acc->group[(size_t)g * acc->n_intervals + i];
        struct ccs_acc_group *c = &acc->group_cur[g].sum;
        row->busy += c->busy;
        row->present += c->present;
        row->paid += c->paid;
        row->overtime += c->overtime;
        *c = (struct ccs_acc_group){0, 0, 0, 0};
    }
    acc->group_flushed = upto;
}

void ccs__acc_line_advance(struct ccs_sim *sim, uint32_t l)
{
    struct ccs_acc_line_run *r = &sim->acc.line_run[l];
    double t1 = sim->now < sim->sc->horizon ? sim->now : sim->sc->horizon;
    double t0 = r->last_change > sim->stat_start ? r->last_change : sim->stat_start;
    if (t1 > t0)
        r->wait_area += sim->lines[l].count * (t1 - t0);
    if (t1 > r->last_change)
        r->last_change = t1;
}

void ccs__acc_finish(struct ccs_sim *sim, double t_end)
{
    double saved = sim->now;
    sim->now = t_end;
    ccs__acc_groups_flush(sim, sim->acc.n_intervals);
    for (uint32_t l = 0; l < sim->view.n_lines; l++) {
        ccs__acc_line_advance(sim, l);
        /* the waits of calls answered at once join the histogram */
        struct ccs_acc_line_run *run = &sim->acc.line_run[l];
        run->wait_hist.zeros += run->wait_zeros;
        run->wait_hist.total += run->wait_zeros;
        run->wait_zeros = 0;
    }
    sim->now = saved;
}
