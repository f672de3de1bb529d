/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fake_view.h - hand-built policy views for unit tests of routing decisions
 * (no engine): queues with segment lines, groups with skills, agents that
 * are busy or available, waiting and arriving contacts, exactly as
 * include/ccs/policy.h lays them out. Header-only; include after cmocka.h.
 */
#ifndef CCS_TESTS_FAKE_VIEW_H
#define CCS_TESTS_FAKE_VIEW_H

#include "ccs/ccs.h"

#include <math.h>
#include <string.h>

enum { FV_MAXQ = 4, FV_MAXL = 8, FV_MAXG = 4, FV_MAXA = 16, FV_MAXC = 64, FV_MAXS = 4 };

struct fake {
    struct ccs_queue q[FV_MAXQ];
    struct ccs_line l[FV_MAXL];
    struct ccs_group g[FV_MAXG];
    struct ccs_agent a[FV_MAXA];
    struct ccs_contact c[FV_MAXC];
    struct ccs_skill sk[FV_MAXG][FV_MAXS];
    uint32_t qgroups[FV_MAXQ][FV_MAXG], qgskill[FV_MAXQ][FV_MAXG];
    double mean_hold[FV_MAXG];
    uint32_t n_contacts;
    struct ccs_view v;
};

/* A skill in a group's list: queue, level, priority (list position if -1), delay. */
struct fv_skill {
    int queue; /* -1 ends the list */
    double level;
    int priority;
    double delay;
};
#define FV_END {-1, 0, 0, 0}
#define FV_SK(q) {(q), 1, -1, 0}

/*
 * nq queues with lines_per_queue[q] lines (segments) each, and ng groups
 * with the given skills (each list ends with FV_END). Lines get weight 1
 * and the default promise 80% within 20 s; queues are real-time. Time is
 * 1000 s; every group's mean holding time 100 s.
 */
static inline void fv_init(struct fake *f, uint32_t nq, const uint32_t *lines_per_queue,
                           uint32_t ng, const struct fv_skill skills[][FV_MAXS + 1])
{
    memset(f, 0, sizeof *f);
    uint32_t line = 0;
    for (uint32_t q = 0; q < nq; q++) {
        struct ccs_queue *Q = &f->q[q];
        Q->id = "q";
        Q->first_line = line;
        Q->n_lines = lines_per_queue[q];
        Q->groups = f->qgroups[q];
        Q->group_skill = f->qgskill[q];
        Q->sla_target = 0.8;
        Q->sla_within = 20;
        for (uint32_t s = 0; s < Q->n_lines; s++, line++) {
            struct ccs_line *L = &f->l[line];
            L->head = L->tail = CCS_NONE;
            L->queue = q;
            L->segment = s;
            L->weight = 1;
            L->sla_target = 0.8;
            L->sla_within = 20;
            L->name = "line";
        }
    }
    for (uint32_t g = 0; g < ng; g++) {
        struct ccs_group *G = &f->g[g];
        G->id = "g";
        G->skills = f->sk[g];
        G->capacity = 1;
        G->idle_head = G->idle_tail = CCS_NONE;
        f->mean_hold[g] = 100;
        for (uint32_t s = 0; skills[g][s].queue >= 0; s++) {
            uint32_t q = (uint32_t)skills[g][s].queue;
            f->sk[g][s].queue = q;
            f->sk[g][s].level = skills[g][s].level;
            f->sk[g][s].priority = skills[g][s].priority < 0 ? (int)s : skills[g][s].priority;
            f->sk[g][s].delay = skills[g][s].delay;
            f->qgroups[q][f->q[q].n_groups] = g;
            f->qgskill[q][f->q[q].n_groups] = s;
            f->q[q].n_groups++;
            G->n_skills++;
        }
    }
    f->v.now = 1000;
    f->v.n_queues = nq;
    f->v.n_lines = line;
    f->v.n_groups = ng;
    f->v.queues = f->q;
    f->v.lines = f->l;
    f->v.groups = f->g;
    f->v.agents = f->a;
    f->v.contacts = f->c;
    f->v.mean_hold = f->mean_hold;
}

/* Agents are numbered in the order added; each group's agents are contiguous.
   A new agent is busy with one contact. */
static inline uint32_t fv_agent(struct fake *f, uint32_t g)
{
    uint32_t id = f->v.n_agents++;
    struct ccs_agent *A = &f->a[id];
    A->id = id;
    A->group = g;
    A->prev = A->next = CCS_NONE;
    A->state = CCS_A_BUSY;
    A->load = 1;
    if (f->g[g].n_agents == 0)
        f->g[g].first_agent = id;
    f->g[g].n_agents++;
    f->g[g].n_present++;
    f->g[g].n_busy++;
    f->g[g].busy_slots++;
    return id;
}

/* Make agent a available since time t, appended to its group's list (the
   engine keeps that list in the order agents became available). */
static inline void fv_idle(struct fake *f, uint32_t a, double t)
{
    struct ccs_agent *A = &f->a[a];
    struct ccs_group *G = &f->g[A->group];
    A->state = CCS_A_IDLE;
    A->load = 0;
    A->available = true;
    A->idle_since = t;
    A->next = CCS_NONE;
    A->prev = G->idle_tail;
    if (G->idle_tail != CCS_NONE)
        f->a[G->idle_tail].next = a;
    else
        G->idle_head = a;
    G->idle_tail = a;
    G->n_idle++;
    G->n_busy--;
    G->busy_slots--;
}

/* A contact of line l that arrived at `arrived`, in no line (as route_contact
   sees an arrival). */
static inline uint32_t fv_arriving_to(struct fake *f, uint32_t l, double arrived)
{
    uint32_t id = f->n_contacts++;
    struct ccs_contact *C = &f->c[id];
    C->id = id;
    C->queue = f->l[l].queue;
    C->segment = f->l[l].segment;
    C->line = l;
    C->arrived = arrived;
    C->started = NAN;
    C->agent = CCS_NONE;
    C->prev = C->next = CCS_NONE;
    C->state = CCS_C_HELD;
    return id;
}

static inline uint32_t fv_arriving(struct fake *f, uint32_t q)
{
    return fv_arriving_to(f, f->q[q].first_line, f->v.now);
}

/* Put contact id at the tail of its line, waiting (as the engine queues it). */
static inline void fv_enqueue(struct fake *f, uint32_t id)
{
    struct ccs_contact *C = &f->c[id];
    struct ccs_line *L = &f->l[C->line];
    C->state = CCS_C_WAITING;
    C->prev = L->tail;
    if (L->tail != CCS_NONE)
        f->c[L->tail].next = id;
    else
        L->head = id;
    L->tail = id;
    L->count++;
    f->q[L->queue].waiting++;
}

/* A waiting contact appended at the tail of line l (lines are FIFO). */
static inline uint32_t fv_waiting(struct fake *f, uint32_t l, double arrived)
{
    uint32_t id = fv_arriving_to(f, l, arrived);
    fv_enqueue(f, id);
    return id;
}

/* Remove waiting contact c from its line (served or abandoned). */
static inline void fv_leave(struct fake *f, uint32_t c)
{
    struct ccs_contact *C = &f->c[c];
    struct ccs_line *L = &f->l[C->line];
    if (C->prev != CCS_NONE)
        f->c[C->prev].next = C->next;
    else
        L->head = C->next;
    if (C->next != CCS_NONE)
        f->c[C->next].prev = C->prev;
    else
        L->tail = C->prev;
    C->prev = C->next = CCS_NONE;
    C->state = CCS_C_TALK;
    L->count--;
    f->q[L->queue].waiting--;
}

/* Start a policy with parameters p (NULL: defaults; see fv_params) on view f. */
static inline const struct ccs_policy_ops *fv_policy_p(const char *name, const struct ccs_params *p,
                                                       void **pstate, const struct fake *f)
{
    const struct ccs_policy_ops *ops = ccs_policy_find(name);
    assert_non_null(ops);
    struct ccs_diag d;
    ccs_diag_clear(&d);
    *pstate = (void *)1; /* must be overwritten */
    assert_int_equal(ops->init(p, &f->v, NULL, pstate, &d), 0);
    assert_int_equal(d.code, 0);
    return ops;
}

static inline const struct ccs_policy_ops *fv_policy(const char *name, void **pstate,
                                                     const struct fake *f)
{
    return fv_policy_p(name, NULL, pstate, f);
}

#ifdef CCS_TESTS_SUPPORT_H
#include "model/scenario.h"
/*
 * A routing block to hand to a policy's init: loads a one-queue scenario
 * with `routing: {policy: NAME, BLOCK}` and returns its parameters, valid
 * until *keep is freed with ccs_scenario_free.
 */
static inline const struct ccs_params *fv_params(const char *name, const char *block,
                                                 struct ccs_scenario **keep)
{
    char text[1024];
    snprintf(text, sizeof text,
             "horizon: 1h\nqueues:\n  - {id: q, arrivals: {rate: 1/min}, handle_time: "
             "{dist: exponential, mean: 1m}}\ngroups:\n  - {id: g, agents: 1, skills: [q]}\n"
             "routing: {policy: %s, %s}\n",
             name, block);
    *keep = load_yaml_string(text);
    assert_non_null(*keep);
    return (*keep)->policy_params;
}
#endif

static inline void fv_done(const struct ccs_policy_ops *ops, void *pstate)
{
    if (ops->destroy != NULL)
        ops->destroy(pstate);
}

#endif
