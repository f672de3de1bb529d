/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * world.c - the static structure of a simulated center, built from a
 * scenario: queues with their lines and groups, groups with their agents
 * (all absent at first), each group's skills in queue order and the wait
 * predictor's starting holding times, wired into the view policies read.
 * The engine builds its simulation on it; loaders use it to let a policy
 * validate its parameters without building a whole simulation.
 */
#include "model/world.h"

#include "core/lines.h"
#include "core/rng.h"
#include "ccs/mem.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int ref_cmp(const void *x, const void *y)
{
    uint32_t a = ((const struct ccs_skill_ref *)x)->queue, b = ((const struct ccs_skill_ref *)y)->queue;
    return (a > b) - (a < b);
}

/* Each group's mean holding time starts at the mean over its skills. */
static void init_predictor(const struct ccs_scenario *sc, double *mean_hold)
{
    for (uint32_t g = 0; g < sc->n_groups; g++) {
        const struct ccs_group_def *gd = &sc->groups[g];
        double sum = 0;
        for (size_t k = 0; k < gd->n_skills; k++) {
            const struct ccs_queue_def *qd = &sc->queues[gd->skills[k].queue];
            double wrap = qd->wrap.kind == CCS_DIST_NONE ? 0 : qd->wrap.mean;
            sum += qd->handle.mean / gd->skills[k].level + wrap;
        }
        mean_hold[g] = sum / (double)gd->n_skills;
    }
}

int ccs__world_build(const struct ccs_scenario *sc, struct ccs__world *w)
{
    memset(w, 0, sizeof *w);
    size_t nq = sc->n_queues, ng = sc->n_groups, nl = 0, na = 0, nsk = 0;
    for (size_t q = 0; q < nq; q++)
        nl += sc->queues[q].n_segments;
    for (size_t g = 0; g < ng; g++) {
        na += sc->groups[g].agents;
        nsk += sc->groups[g].n_skills;
    }
    w->queues = ccs_calloc(nq, sizeof *w->queues);
    w->lines = ccs__calloc_lines(nl, sizeof *w->lines, &w->lines_raw);
    w->groups = ccs__calloc_lines(ng, sizeof *w->groups, &w->groups_raw);
    w->agents = ccs__calloc_lines(na ? na : 1, sizeof *w->agents, &w->agents_raw);
    w->skill_first = ccs_malloc((ng + 1) * sizeof *w->skill_first);
    w->skill_refs = ccs_malloc((nsk ? nsk : 1) * sizeof *w->skill_refs);
    w->queue_groups = ccs_malloc((2 * nsk + 1) * sizeof *w->queue_groups);
    w->mean_hold = ccs_calloc(ng + 1, sizeof *w->mean_hold);
    if (!w->queues || !w->lines || !w->groups || !w->agents || !w->skill_first ||
        !w->skill_refs || !w->queue_groups || !w->mean_hold) {
        ccs__world_release(w);
        return CCS_ENOMEM;
    }

    /* each group's skills by queue (the loader refuses a queue listed twice) */
    uint32_t first = 0;
    for (size_t g = 0; g < ng; g++) {
        const struct ccs_group_def *gd = &sc->groups[g];
        struct ccs_skill_ref *r = w->skill_refs + first;
        w->skill_first[g] = first;
        for (size_t s = 0; s < gd->n_skills; s++)
            r[s] = (struct ccs_skill_ref){gd->skills[s].queue, (uint32_t)s};
        qsort(r, gd->n_skills, sizeof *r, ref_cmp); /* the queues are distinct */
        first += (uint32_t)gd->n_skills;
    }
    w->skill_first[ng] = first;
    /* a small center also gets the table: one load instead of a scan (2%
       of a call's instructions with W2's 2-3 skills a group) */
    if (ng * nq <= CCS_SKILL_TABLE_MAX && nq <= INT16_MAX) {
        w->skill_table = ccs_malloc((ng * nq > 0 ? ng * nq : 1) * sizeof *w->skill_table);
        if (w->skill_table == NULL) {
            ccs__world_release(w);
            return CCS_ENOMEM;
        }
        for (size_t i = 0; i < ng * nq; i++)
            w->skill_table[i] = -1;
        for (size_t g = 0; g < ng; g++)
            for (size_t s = 0; s < sc->groups[g].n_skills; s++)
                w->skill_table[g * nq + sc->groups[g].skills[s].queue] = (int16_t)s;
    }

    /* where each queue's groups start in queue_groups (its groups, then their
       skill numbers): counted from the groups' skills, since reading a
       (group, queue) table by column (one cache line per cell) made this the
       most expensive part of a 1,000 x 1,000 center's setup (issue 16) */
    uint32_t *at = ccs_calloc(nq + 1, sizeof *at), *fill = ccs_calloc(nq + 1, sizeof *fill);
    if (at == NULL || fill == NULL) {
        free(at);
        free(fill);
        ccs__world_release(w);
        return CCS_ENOMEM;
    }
    for (size_t g = 0; g < ng; g++)
        for (size_t s = 0; s < sc->groups[g].n_skills; s++)
            at[sc->groups[g].skills[s].queue + 1] += 2;
    for (size_t q = 0; q < nq; q++)
        at[q + 1] += at[q];
    for (size_t g = 0; g < ng; g++) /* in scenario order */
        for (size_t s = 0; s < sc->groups[g].n_skills; s++) {
            uint32_t q = sc->groups[g].skills[s].queue;
            uint32_t n = (at[q + 1] - at[q]) / 2; /* q's groups */
            w->queue_groups[at[q] + fill[q]] = (uint32_t)g;
            w->queue_groups[at[q] + n + fill[q]] = (uint32_t)s;
            fill[q]++;
        }
    uint32_t line = 0;
    for (size_t q = 0; q < nq; q++) {
        const struct ccs_queue_def *qd = &sc->queues[q];
        struct ccs_queue *Q = &w->queues[q];
        Q->id = qd->id;
        Q->channel = (uint8_t)qd->channel;
        Q->deferred = qd->channel == CCS_CH_EMAIL || qd->channel == CCS_CH_OUTBOUND;
        Q->priority = qd->priority;
        Q->sla_target = qd->sla_target;
        Q->sla_within = qd->sla_within;
        Q->first_line = line;
        Q->n_lines = (uint32_t)qd->n_segments;
        for (size_t s = 0; s < qd->n_segments; s++, line++) {
            const struct ccs_segment_def *sd = &qd->segments[s];
            struct ccs_line *L = &w->lines[line];
            L->head = L->tail = CCS_NONE;
            L->queue = (uint32_t)q;
            L->segment = (uint32_t)s;
            L->weight = sd->weight;
            L->priority = qd->priority + sd->priority;
            L->credit = sd->credit;
            L->sla_within = sd->sla_within;
            L->sla_target = sd->sla_target;
            L->name = sd->id != NULL ? sd->id : qd->id;
        }
        /* groups with this skill, in scenario order */
        uint32_t *qg = w->queue_groups + at[q];
        Q->groups = qg;
        Q->n_groups = fill[q];
        Q->group_skill = qg + fill[q];
    }
    free(at);
    free(fill);

    uint32_t a = 0;
    for (size_t g = 0; g < ng; g++) {
        const struct ccs_group_def *gd = &sc->groups[g];
        struct ccs_group *G = &w->groups[g];
        G->id = gd->id;
        G->n_skills = (uint32_t)gd->n_skills;
        G->skills = gd->skills;
        G->first_agent = a;
        G->n_agents = gd->agents;
        G->capacity = gd->capacity;
        G->idle_head = G->idle_tail = CCS_NONE;
        for (uint32_t j = 0; j < gd->agents; j++, a++) {
            struct ccs_agent *ag = &w->agents[a];
            ag->id = a;
            ag->group = (uint32_t)g;
            ag->prev = ag->next = CCS_NONE;
            ag->state = CCS_A_ABSENT;
            ag->present_since = NAN;
            ag->shift = CCS_NONE;
        }
    }

    init_predictor(sc, w->mean_hold);
    struct ccs_view *v = &w->view;
    v->n_queues = (uint32_t)nq;
    v->n_lines = (uint32_t)nl;
    v->n_groups = (uint32_t)ng;
    v->n_agents = (uint32_t)na;
    v->queues = w->queues;
    v->lines = w->lines;
    v->groups = w->groups;
    v->agents = w->agents;
    v->skill_table = w->skill_table;
    v->skill_refs = w->skill_refs;
    v->skill_first = w->skill_first;
    v->mean_hold = w->mean_hold;
    return 0;
}

void ccs__world_release(struct ccs__world *w)
{
    free(w->mean_hold);
    free(w->queue_groups);
    free(w->skill_table);
    free(w->skill_refs);
    free(w->skill_first);
    free(w->agents_raw);
    free(w->groups_raw);
    free(w->lines_raw);
    free(w->queues);
    memset(w, 0, sizeof *w);
}

int ccs__policy_check(const struct ccs_scenario *sc, struct ccs_diag *d)
{
    struct ccs__world w;
    if (ccs__world_build(sc, &w) != 0)
        return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    gsl_rng *rng = ccs__rng_new(sc->seed, 0, ccs__stream_id("routing", ""));
    if (rng == NULL) {
        ccs__world_release(&w);
        return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    }
    void *state = NULL;
    int rc = sc->policy->init(sc->policy_params, &w.view, (struct ccs_stream *)rng, &state, d);
    if (rc == 0 && state != NULL && sc->policy->destroy != NULL)
        sc->policy->destroy(state);
    gsl_rng_free(rng);
    ccs__world_release(&w);
    return rc;
}
