/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * analytic.h - exact steady-state formulas for the classic single-queue
 * models (Erlang B, Erlang C, Erlang A, M/M/c/K and M/M/c/K+M) and staffing
 * by them. Used by `ccsim erlang`, `ccsim staff`, and the validation tests.
 *
 * Units: any consistent time unit (rates per that unit, t in that unit).
 */
#ifndef CCS_ANALYTIC_H
#define CCS_ANALYTIC_H

#include "ccs/sldef.h"

/* M/M/c/K+M: the most general model here; the others are special cases. */
struct ccs_erlang_model {
    double lambda;   /* arrival rate, > 0 */
    double mu;       /* service rate = 1 / mean handle time, > 0 */
    int servers;     /* c >= 1 */
    double theta;    /* abandonment rate = 1 / mean patience; 0 = patient */
    long queue_max;  /* waiting places: -1 unlimited, 0 pure loss (Erlang B) */
    double t;        /* service-level threshold, >= 0 */
};

/*
 * Results, per offered contact unless stated. Field names follow the
 * simulator's KPI ids where one exists (docs/kpis.md).
 */
struct ccs_erlang_result {
    double block_rate;          /* P(blocked: no waiting place) */
    double p_wait;              /* P(admitted and had to wait) */
    double abandon_rate;        /* P(abandoned) */
    double p_ab_within;         /* P(abandoned after waiting <= t) */
    double mean_wait;           /* mean wait of admitted contacts, abandoners included */
    double asa;                 /* mean wait of answered contacts */
    double mean_wait_abandoned; /* mean wait of abandoners (NaN if theta = 0) */
    double sl_offered;          /* answered within t / offered */
    double sl_answered;         /* answered within t / answered */
    double sl_no_short_ab;      /* answered within t / (offered - abandoned within t) */
    double sl_handled;          /* answered within t / (answered + abandoned after t) */
    double sl_all;              /* P(min(wait, patience) <= t | admitted) */
    double p_virtual_le_t;      /* P(virtual wait <= t) for an admitted arrival */
    double queue_length;        /* Lq: mean number waiting */
    double in_system;           /* L: mean number in system */
    double occupancy;           /* mean fraction of agents busy */
};

/*
 * Solve the model exactly. Returns 0, or CCS_EINVAL for invalid parameters
 * (non-positive or non-finite rates, c < 1, negative theta or t,
 * queue_max < -1, NULL pointers) and CCS_ERANGE for an unstable system
 * (theta = 0, unlimited room and lambda >= c mu; M/M/c/K is always stable)
 * or one so overloaded with so little abandonment that the states carrying
 * the probability mass number more than 5e7. On any error every field of *r
 * is NaN. queue_max >= 2^53 counts as unlimited.
 *
 * Accuracy: about 1e-12 relative for c up to 10000 (states whose total mass
 * is below 1e-20 are dropped); p_ab_within is a difference and has absolute
 * accuracy ~1e-15. Cost: O(states carrying the mass), e.g. about sqrt(a)
 * states for Erlang B/A in the usual regimes; Erlang C is O(c).
 *
 * Conventions: mean_wait_abandoned is NaN when nobody abandons (theta = 0
 * or no waiting room). "Answered within t" includes contacts served at once.
 */
int ccs_erlang_solve(const struct ccs_erlang_model *m, struct ccs_erlang_result *r);

/*
 * The model's family name: "ErlangB" (queue_max 0), "ErlangC" (theta 0,
 * unlimited room), "ErlangA" (theta > 0, unlimited), "MMcK" (theta 0,
 * finite room) or "MMcK+M". A static string; "unknown" for NULL.
 */
const char *ccs_erlang_model_name(const struct ccs_erlang_model *m);

/*
 * Erlang B blocking probability for offered load a (Erlangs) and c lines,
 * by the stable recursion (O(c)). NaN for a < 0, non-finite a or c < 0.
 */
double ccs_erlang_b(double a, int c);

/* Erlang C probability of waiting; 1 when a >= c. NaN as for ccs_erlang_b. */
double ccs_erlang_c(double a, int c);

/*
 * Fewest agents such that the model with `servers` replaced meets the
 * service-level target sl_target (answered within t / offered, or the
 * answered-based definition when answered_based is nonzero) and whose
 * occupancy does not exceed max_occupancy (1 = no cap). theta = 0 staffs by
 * Erlang C, theta > 0 by Erlang A (unlimited room). Returns 0 with *agents
 * set, CCS_EINVAL on bad parameters (sl_target outside [0, 1], max_occupancy
 * outside (0, 1], ...), CCS_ERANGE if no c <= 100000 meets the target.
 *
 * Assumes both goals are monotone in c (true of the offered-based service
 * level and of occupancy), and searches by galloping up from a lower bound
 * then bisecting: O(log c) solves. A 1e-12 slack absorbs rounding at a
 * target met exactly.
 */
int ccs_staff_erlang(double lambda, double mu, double theta, double t, double sl_target,
                     double max_occupancy, int answered_based, int *agents);

/* The same for any service-level definition (docs/kpis.md). */
int ccs_staff_erlang_def(double lambda, double mu, double theta, double t, double sl_target,
                         double max_occupancy, enum ccs_sl_def def, int *agents);

/* The service level of a solved model under a definition. */
double ccs_erlang_sl(const struct ccs_erlang_result *r, enum ccs_sl_def def);

#endif
