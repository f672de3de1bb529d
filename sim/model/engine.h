/*
 * engine.h - the simulation state (struct ccs_sim) shared by the engine's
 * files: engine.c (events and routing), acc.c (streamed statistics) and
 * results.c (KPIs from the statistics). Not part of the public API.
 */
#ifndef CCS_MODEL_ENGINE_H
#define CCS_MODEL_ENGINE_H

#include "ccs/policy.h"
#include "ccs/sim.h"
#include "core/eventq.h"
#include "core/stats.h"
#include "model/scenario.h"

#include <gsl/gsl_rng.h>

/* Event kinds, in the order they fire at equal times (docs/engine.md). */
enum ccs_ev_kind {
    CCS_EV_STAFF,    /* staffing change (agents log in/out, breaks) */
    CCS_EV_TALK_END, /* obj = contact, gen */
    CCS_EV_WRAP_END, /* obj = contact, gen */
    CCS_EV_ABANDON,  /* obj = contact, gen */
    CCS_EV_ARRIVAL,  /* obj = queue */
    CCS_EV_RECHECK,  /* obj = contact, gen: the policy asked to reconsider */
    CCS_EV_INTERVAL, /* obj = interval index starting now */
};

/* Counters of contacts, per (line, interval): attributed to arrival interval. */
struct ccs_acc_line {
    uint64_t offered, answered, abandoned, blocked, waited;
    uint64_t ans_within, ab_within, handled, predicted;
    double wait_ans, wait_ab, talk, wrap, max_wait;
    double pred_abs_err, pred_err; /* of queued, answered contacts */
};

/* Time integrals per (group, interval), in agent-seconds. */
struct ccs_acc_group {
    double busy;    /* occupied capacity slots / capacity */
    double present; /* logged in */
    double paid;    /* logged in, on break, or in overtime */
};

/* Per-line whole-run extras. */
struct ccs_acc_line_run {
    struct ccs_hist wait_hist; /* waits of answered contacts */
    double wait_area;          /* integral of the line length */
    double last_change;        /* when its length last changed */
};

struct ccs_acc {
    uint32_t n_intervals;
    struct ccs_acc_line *line;   /* [line * n_intervals + interval] */
    struct ccs_acc_line_run *line_run;
    struct ccs_acc_group *group; /* [group * n_intervals + interval] */
    double *group_last;          /* per group: time of the last integral update */
    double *gq_busy;             /* [group * n_queues + queue]: busy seconds */
};

struct ccs_queue_rng {
    gsl_rng *arrivals, *segment, *work, *wrap, *patience;
};


struct ccs_sim {
    const struct ccs_scenario *sc;
    uint64_t seed;
    uint32_t rep;
    double now;
    double stat_start;         /* warm-up end */
    int status;                /* 0 while fine; negative code after a fault */
    char fault[256];

    struct ccs_view view;      /* what policies see; points into the arrays below */
    struct ccs_eventq evq;

    struct ccs_contact *contacts;
    uint32_t n_contacts_cap;
    uint32_t free_contact;     /* head of the free list (through .next) */
    uint32_t live_contacts;

    struct ccs_queue *queues;
    struct ccs_line *lines;
    struct ccs_group *groups;
    struct ccs_agent *agents;
    int32_t *skill_of;
    uint32_t *queue_groups;    /* storage behind queues[].groups / group_skill */

    struct ccs_queue_rng *qrng;
    gsl_rng *route_rng;
    double *mean_hold;         /* per group: recent mean slot holding time (predictor) */
    uint64_t serial;           /* contacts arrived so far */

    void (*trace)(void *ctx, const struct ccs_trace_event *e);
    void *trace_ctx;
    bool checks;

    const struct ccs_policy_ops *policy;
    void *pstate;

    struct ccs_acc acc;
    bool finalized;
};

/* acc.c: streamed statistics */
int ccs__acc_init(struct ccs_sim *sim);
void ccs__acc_release(struct ccs_sim *sim);
/* Bring group g's time integrals up to now (before its counts change). */
void ccs__acc_group_advance(struct ccs_sim *sim, uint32_t g);
/* Bring line l's length integral up to now (before its length changes). */
void ccs__acc_line_advance(struct ccs_sim *sim, uint32_t l);
/* Close all integrals at the end of the run. */
void ccs__acc_finish(struct ccs_sim *sim, double t_end);

/* The counters of line l for a contact that arrived at time t, or NULL if
   it arrived during the warm-up (not counted). */
static inline struct ccs_acc_line *ccs__acc_line_at(struct ccs_sim *sim, uint32_t l, double t)
{
    if (t < sim->stat_start)
        return NULL;
    uint32_t i = (uint32_t)(t / sim->sc->interval);
    if (i >= sim->acc.n_intervals)
        i = sim->acc.n_intervals - 1;
    return &sim->acc.line[(size_t)l * sim->acc.n_intervals + i];
}

/* results.c */
int ccs__layout_build(struct ccs_scenario *sc);
void ccs__layout_free(struct ccs_layout *l);

#endif
