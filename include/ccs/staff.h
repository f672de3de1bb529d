/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * staff.h - how many agents a scenario needs, interval by interval (the
 * library side of `ccsim staff`): per queue, Erlang C and Erlang A staffing
 * of each reporting interval's mean load; per group, a plan built from them
 * and refined by simulation until every interval's simulated service level
 * meets its target. docs/staff-command.md states the method and formulas.
 *
 *   struct ccs_staff_opts o = ccs_staff_opts_default(sc);
 *   struct ccs_staffing *st;
 *   if (ccs_staff(sc, &o, &st, &d) != 0) { puts(d.msg); ... }
 *   ... st->plan[g * st->n_intervals + i] ...
 *   ccs_staff_write_yaml(stdout, st);
 *   ccs_staffing_free(st);
 */
#ifndef CCS_STAFF_H
#define CCS_STAFF_H

#include "ccs/error.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct ccs_scenario;

struct ccs_staff_opts {
    double shrinkage;      /* < 0: each group's 'absenteeism'; else in [0, 1) for every group */
    double max_occupancy;  /* (0, 1]: Erlang staffing keeps occupancy at or below this
                              (--max-occupancy; 1: no cap) */
    bool refine;           /* refine the plan by simulation (else: the Erlang plan alone) */
    uint64_t seed;         /* seed of every refinement round (the same each round) */
    uint32_t replications; /* replications per round, >= 1 */
    uint32_t max_rounds;   /* simulate-and-adjust rounds at most, >= 1 */
    double margin;         /* remove an agent only where its queues beat target by this */
    /* Called after each round if not NULL: round (1-based), cells short of
       target, agents added, agents removed. */
    void (*progress)(void *ctx, uint32_t round, uint32_t n_short, uint32_t added,
                     uint32_t removed);
    void *progress_ctx;
    /* Threads running each round's replications, the caller's included: 0 =
       one per online processor, 1 = the calling thread only. The plan and
       every number do not depend on it (replications are folded in order,
       as ccs_run does); not recorded in the outputs. */
    unsigned jobs;
};

/*
 * Defaults: shrinkage from absenteeism, occupancy cap 85%, refine on, the
 * scenario's seed and replications, at most 40 rounds, margin 5 points,
 * every processor (jobs 0).
 */
struct ccs_staff_opts ccs_staff_opts_default(const struct ccs_scenario *sc);

/*
 * Which constraint set the Erlang A agents of an interval: the service-level
 * target; the occupancy cap (more agents than the target alone needs); or
 * patience (fewer agents than the offered load lambda x AHT: the target is
 * met only because callers abandon, the queue is overloaded).
 */
enum ccs_staff_bound {
    CCS_STAFF_BOUND_NONE,      /* no Erlang need (no arrivals, or none suffices) */
    CCS_STAFF_BOUND_SL,
    CCS_STAFF_BOUND_OCCUPANCY,
    CCS_STAFF_BOUND_PATIENCE,
};

/* "-", "SL", "occupancy", "patience". */
const char *ccs_staff_bound_name(enum ccs_staff_bound b);

/* Erlang staffing of one queue in one reporting interval. */
struct ccs_staff_need {
    bool applies;        /* false: no arrivals of its own (arrivals: none) or outbound */
    double volume;       /* expected contacts in the interval */
    double rate;         /* mean arrival rate over the interval, per second */
    double aht;          /* mean handle time + mean wrap-up, seconds (proficiency 1) */
    double patience;     /* mean patience, seconds; INFINITY: never abandons */
    int erlang_c;        /* agents on the phones by Erlang C; -1: none suffices */
    int erlang_a;        /* the same by Erlang A (= Erlang C without patience) */
    int staffed_c;       /* erlang_c grossed up by the primary group's shrinkage */
    int staffed_a;
    double sl_c, sl_a;   /* Erlang service level with those agents (NaN if none) */
    double occ_c, occ_a; /* Erlang occupancy with those agents */
    int erlang_a_uncapped; /* Erlang A agents without the occupancy cap; -1: none */
    enum ccs_staff_bound bound; /* what set erlang_a */
};

enum ccs_staff_status {
    CCS_STAFF_ERLANG,    /* not refined: the Erlang plan */
    CCS_STAFF_CONVERGED, /* every interval met target; nothing left to trim */
    CCS_STAFF_UNTRIMMED, /* every interval met target; the round cap came before trimming ended */
    CCS_STAFF_SHORT,     /* the round cap came (or no change could help) with intervals short */
};

/* "erlang", "converged", "untrimmed", "short". */
const char *ccs_staff_status_name(enum ccs_staff_status s);

/*
 * The result. Arrays indexed [i * n_queues + q] are per interval and queue,
 * [g * n_intervals + i] per group and interval. "On the phones" (net)
 * counts agents logged in and working; the plan grosses them up by the
 * group's shrinkage: plan = ceil(net / (1 - shrinkage)).
 */
struct ccs_staffing {
    const struct ccs_scenario *sc; /* borrowed: must outlive this */
    uint32_t n_intervals;
    size_t n_queues, n_groups;
    double max_occupancy;
    struct ccs_staff_need *need;   /* [i * n_queues + q] */
    int32_t *primary;              /* per queue: the group that best serves it, or -1 */
    double *shrinkage;             /* per group */
    uint32_t *initial;             /* [g * n_intervals + i] net agents from the Erlang A split */
    uint32_t *net;                 /* [g * n_intervals + i] net agents after refinement */
    uint32_t *plan;                /* [g * n_intervals + i] the staffing plan: net + shrinkage */
    double *sl, *sl_hw;            /* [i * n_queues + q] simulated SL of net, CI half-width; NaN */
    double *occ;                   /* [g * n_intervals + i] simulated occupancy; NaN */
    bool simulated;                /* sl, sl_hw, occ hold a simulation of net */
    enum ccs_staff_status status;
    uint32_t rounds;               /* simulations run */
    uint32_t replications;         /* per round */
    uint64_t seed;
    double agent_hours;            /* of the plan over the horizon */
    double cost;                   /* agent-hours x cost_per_hour, summed over groups */
    bool has_cost;                 /* some group has a cost_per_hour */
};

/*
 * Erlang needs and the initial plan, without simulation (status
 * CCS_STAFF_ERLANG, net = initial). Returns 0, CCS_EINVAL for bad options
 * (message in d), CCS_ENOMEM.
 */
int ccs_staff_erlang_plan(const struct ccs_scenario *sc, const struct ccs_staff_opts *o,
                          struct ccs_staffing **out, struct ccs_diag *d);

/*
 * Refine st->net by simulation (docs/staff-command.md): rounds of simulating
 * the net plan with the same seed, adding an agent where an interval's
 * service level falls short, removing one where every queue of a group beats
 * target by the margin, until nothing changes or max_rounds. Updates net,
 * plan, sl, sl_hw, occ, status, rounds, cost. Returns 0 (also when not
 * converged: see status) or a negative code with d (simulation failures).
 */
int ccs_staff_refine(struct ccs_staffing *st, const struct ccs_staff_opts *o,
                     struct ccs_diag *d);

/* Both: ccs_staff_erlang_plan, then ccs_staff_refine when o->refine. */
int ccs_staff(const struct ccs_scenario *sc, const struct ccs_staff_opts *o,
              struct ccs_staffing **out, struct ccs_diag *d);

void ccs_staffing_free(struct ccs_staffing *st);

/*
 * The scenario with a plan in place of every group's head count: per group
 * 'staffing' = plan (per interval), and, when net is true, the net plan
 * with 'absenteeism' 0 (what the refinement simulates). Returns 0 or a
 * negative code with d.
 */
int ccs_staff_derive(const struct ccs_staffing *st, bool net, struct ccs_scenario **out,
                     struct ccs_diag *d);

#endif
