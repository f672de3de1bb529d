/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * schedule.h - rosters for a scenario (the library side of `ccsim
 * schedule`): the agents each interval needs by Erlang A (as `ccsim staff`
 * computes them), a least-cost roster of the groups' shift templates (the
 * scenario's 'rostering' keys) covering them (roster.h), and optionally
 * the roster simulated, the requirement raised where an interval misses its
 * service-level target and the roster solved again (Atlason, Epelman and
 * Henderson 2004), then checked with fresh seeds. docs/schedule.md.
 *
 *   struct ccs_schedule_opts o = ccs_schedule_opts_default(sc);
 *   struct ccs_schedule *s;
 *   if (ccs_schedule(sc, &o, &s, &d) != 0) { puts(d.msg); ... }
 *   ccs_schedule_write_yaml(stdout, s);      writers: report.h
 *   ccs_schedule_free(s);
 */
#ifndef CCS_SCHEDULE_H
#define CCS_SCHEDULE_H

#include "ccs/error.h"
#include "ccs/roster.h"
#include "ccs/staff.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct ccs_scenario;

/* What the simulation loop adds where an interval misses its target
   (docs/schedule.md, "Simulation loop"). */
enum ccs_schedule_cuts {
    /* the interval's requirement of the queue's best group raised by one */
    CCS_SCHED_CUTS_RAISE,
    /* Atlason, Epelman and Henderson's cut: SL(N-bar) + sum q (N - N-bar) >=
       target, q by finite differences (one more agent of a group serving the
       queue, in the interval or the one before, common random numbers); a
       cell whose q are all <= 0 falls back to the raise. Cuts on a queue
       several groups serve tie them into one program (Cezik and L'Ecuyer) */
    CCS_SCHED_CUTS_SUBGRADIENT,
};

/* "subgradient", "raise" (the names `ccsim schedule --cuts` takes). */
const char *ccs_schedule_cuts_name(enum ccs_schedule_cuts c);

struct ccs_schedule_opts {
    struct ccs_staff_opts staff;  /* the Erlang requirement (refine is ignored) */
    struct ccs_roster_opts roster; /* the integer program */
    bool simulate;          /* raise the requirement by simulation, then validate */
    uint32_t max_rounds;    /* simulate-and-solve rounds at most, >= 1 */
    enum ccs_schedule_cuts cuts; /* what a short interval adds (default raise) */
    uint64_t seed;          /* seed of the rounds; the validation uses seed + 1 */
    uint32_t replications;  /* per simulation, >= 2 */
    double alpha;           /* the validation's family-wise level (Holm), (0, 1) */
    /* Called after each round if not NULL: round (1-based), cells short of
       target, intervals raised (subgradient: cuts added), the roster's cost. */
    void (*progress)(void *ctx, uint32_t round, uint32_t n_short, uint32_t raised,
                     double cost);
    void *progress_ctx;
};

/*
 * The scenario's seed and replications, staffing and roster defaults, no
 * simulation, 20 rounds, raise cuts, alpha 5%.
 */
struct ccs_schedule_opts ccs_schedule_opts_default(const struct ccs_scenario *sc);

/* Where the simulation loop left an interval of a queue. */
enum ccs_schedule_cell {
    CCS_SCHED_NA,     /* no target or no contacts to judge */
    CCS_SCHED_MET,    /* the simulated service level meets the target */
    CCS_SCHED_SHORT,  /* below target when the round cap came */
    CCS_SCHED_CANNOT, /* below target, and no roster covers a higher requirement */
};

struct ccs_schedule {
    const struct ccs_scenario *sc; /* borrowed: must outlive this */
    struct ccs_roster_grid grid;
    uint32_t n_intervals;    /* = grid.days * grid.per_day = the scenario's intervals */
    size_t n_groups, n_queues;
    int32_t *group_of;       /* per scenario group: its index in the roster, or -1 */
    struct ccs_staffing *staff;    /* the Erlang requirement */
    uint32_t *required;      /* [g * n_intervals + t] agents on the phones asked of the roster
                                at the end (the Erlang plan, raised by the loop) */
    struct ccs_roster *roster;     /* the final roster (status, cost, gap, shifts ...) */
    double plan_cost, plan_hours;  /* the head-count plan (st->plan) over the horizon */
    bool simulated;
    enum ccs_schedule_cuts cuts; /* the loop's rule */
    uint32_t rounds;         /* simulate-and-solve rounds of the loop */
    uint32_t simulations;    /* simulations of the loop: rounds and finite differences */
    size_t n_cuts;           /* subgradient: cuts in the last program */
    size_t n_fallback;       /* subgradient: cells whose q were all <= 0, raised instead */
    uint32_t replications;
    uint64_t seed;
    double alpha;
    double *sl, *sl_se;      /* [t * n_queues + q] validation: mean SL, standard error; NaN */
    double *p_value;         /* [t * n_queues + q] one-sided p of "below target"; NaN */
    bool *below;             /* [t * n_queues + q] significantly below after Holm */
    enum ccs_schedule_cell *cell; /* [t * n_queues + q] the loop's verdict */
    size_t n_below;          /* cells significantly below target (Holm) */
    size_t n_short;          /* cells CCS_SCHED_SHORT or CCS_SCHED_CANNOT */
};

/*
 * Schedule sc, whose groups with a 'rostering' key get rosters (the others
 * are left out; at least one needs it). Returns 0 with *out whatever the
 * roster's status (see out->roster->status), or CCS_EINVAL with d (no group
 * has rostering, bad options, a template refused, located at the template),
 * CCS_ENOMEM, or a simulation's error.
 */
int ccs_schedule(const struct ccs_scenario *sc, const struct ccs_schedule_opts *o,
                 struct ccs_schedule **out, struct ccs_diag *d);

/* NULL-safe. */
void ccs_schedule_free(struct ccs_schedule *s);

/*
 * The scenario with the roster as its rostered groups' shifts (the
 * scenario the loop simulates). Returns 0 or a negative code with d.
 */
int ccs_schedule_derive(const struct ccs_schedule *s, struct ccs_scenario **out,
                        struct ccs_diag *d);

#endif
