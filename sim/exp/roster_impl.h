/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * roster_impl.h - the inside of a roster problem, shared by roster.c (the
 * definition, its checks and ccs_roster_verify) and roster_ip.c (the
 * integer program and its solution).
 */
#ifndef CCS_EXP_ROSTER_IMPL_H
#define CCS_EXP_ROSTER_IMPL_H

#include "ccs/roster.h"

struct ccs__roster_group {
    char *name;
    uint32_t max_agents;
    uint32_t *required; /* [n_intervals] */
};

struct ccs__roster_tmpl {
    struct ccs_roster_template t; /* t.name points at name */
    char *name;
};

struct ccs__roster_cut {
    uint32_t group;
    size_t first, n; /* terms [first, first + n) of term_t / term_coef */
    double rhs;
};

struct ccs_roster_problem {
    struct ccs_roster_grid grid;
    uint32_t n_intervals;  /* days * per_day */
    bool full_day;         /* per_day intervals make 24 hours: shifts may cross midnight */
    size_t n_groups, cap_groups;
    struct ccs__roster_group *groups;
    size_t n_templates, cap_templates;
    struct ccs__roster_tmpl *templates;
    size_t n_limits, cap_limits;
    struct ccs_roster_limit *limits;
    size_t n_cuts, cap_cuts;
    struct ccs__roster_cut *cuts;
    size_t n_terms, cap_terms;
    uint32_t *term_t;
    double *term_coef;
};

/*
 * The break windows of a shift of `length` intervals of template t, narrowed
 * by the minimum work rules so that every start left in [lo[b], hi[b]] is
 * part of some valid placement of all breaks (the rules are a chain of
 * difference constraints, so forward and backward passes make the windows
 * exact). Returns false when no placement exists.
 */
bool ccs__roster_windows(const struct ccs_roster_template *t, uint32_t length, uint32_t *lo,
                         uint32_t *hi);

/* Interval of the grid that offset `off` of a shift (day, start) falls in,
   or CCS_ROSTER_NONE when it lies past the horizon and the grid is not
   cyclic, or past the day on a grid shorter than 24 hours. */
uint32_t ccs__roster_slot(const struct ccs_roster_problem *p, uint32_t day, uint32_t start,
                          uint32_t off);

/* Whether the days of `mask` (bit d: works day d) follow rule r. */
bool ccs__roster_pattern_ok(const struct ccs_roster_problem *p, const struct ccs_roster_days *r,
                            uint32_t mask);

/* Paid intervals of a shift of `length` with template t's breaks. */
uint32_t ccs__roster_paid(const struct ccs_roster_template *t, uint32_t length);

/* Cost of one agent on such a shift. */
double ccs__roster_shift_cost(const struct ccs_roster_problem *p,
                              const struct ccs_roster_template *t, uint32_t length);

#endif
