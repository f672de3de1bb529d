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
    uint32_t group; /* of its first term (messages) */
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
    uint32_t *term_g; /* group of each term */
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

/*
 * A mixed-integer program in compressed sparse columns, 0-based, for the
 * branch and bound of roster_cbc.c (built from GLPK's program by
 * roster_ip.c). Infinite bounds are +-DBL_MAX.
 */
struct ccs__mip {
    int n_cols, n_rows;
    const int *start;  /* [n_cols + 1] */
    const int *index;  /* [nz] row of each entry */
    const double *value;
    const double *collb, *colub, *obj; /* [n_cols] */
    const double *rowlb, *rowub;       /* [n_rows] */
    const char *is_int;                /* [n_cols] */
    const int *all_cols;               /* [n_cols] 0, 1, ... n_cols - 1 */
};

struct ccs__mip_result {
    bool found;        /* x holds a roster (the start, or better) */
    double cost, bound; /* bound: -HUGE_VAL when CBC proved none */
    uint64_t nodes;
    bool optimal, within_gap, node_limited, time_limited, infeasible;
    double *x;         /* [n_cols], the caller's */
};

/* Whether CBC can be used: this build has its header (CCS_HAVE_CBC) and
   its library loads (opened on the first call; thread-safe). */
bool ccs__roster_cbc_available(void);

/* NULL when CBC can be used, else why not, e.g. "this ccsim was built
   without CBC (coinor-libcbc-dev)" or the dynamic linker's message. */
const char *ccs__roster_cbc_why(void);

/*
 * Branch and cut with CBC, single-threaded, from the roster `start` ([n_cols],
 * may be NULL): stops at max_nodes nodes (0: none), `seconds` of elapsed
 * time (HUGE_VAL: none) or the relative gap target. Deterministic unless the
 * time limit stops it. Returns 0 with out, CCS_ENOMEM, or CCS_EUNSUPPORTED
 * when CBC cannot be used.
 */
int ccs__roster_cbc(const struct ccs__mip *mp, const double *start, uint64_t max_nodes,
                    double seconds, double gap, bool verbose, struct ccs__mip_result *out);

#endif
