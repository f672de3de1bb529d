/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * roster.h - rosters from head counts: choose daily shifts, the placement of
 * their breaks and (over several days) each agent's days off, so that every
 * interval has at least the required agents on the phones, at least cost.
 * An integer program solved with GLPK; docs/schedule.md writes it out.
 *
 *   struct ccs_roster_grid grid = {.days = 7, .per_day = 96, .minutes = 15, .cyclic = true};
 *   struct ccs_roster_problem *p;
 *   ccs_roster_problem_new(&grid, &p, &d);
 *   ccs_roster_add_group(p, "sales", CCS_ROSTER_UNLIMITED, &g, &d);
 *   ccs_roster_set_required(p, g, need, &d);          need[t], t < 7 * 96
 *   struct ccs_roster_template t = ccs_roster_template_default();
 *   ... t.group = g; t.start_first = 28; ...  ccs_roster_add_template(p, &t, NULL, &d);
 *   struct ccs_roster_opts o = ccs_roster_opts_default();
 *   struct ccs_roster *r;
 *   ccs_roster_solve(p, &o, &r, &d);                  r->status, r->shifts, r->tours ...
 *   ccs_roster_free(r); ccs_roster_problem_free(p);
 *
 * Times are whole intervals of the planning grid: a shift starts at an
 * interval of its day and lasts a whole number of intervals, a break starts a
 * whole number of intervals after its shift's start. An agent serves one
 * group; one problem may hold several groups. Groups that no cut ties
 * together are solved as separate integer programs and the result adds them
 * up; groups tied by a cut with terms of several groups (the simulation
 * loop's cuts on a queue several groups serve: Cezik and L'Ecuyer 2008)
 * are solved in one program.
 */
#ifndef CCS_ROSTER_H
#define CCS_ROSTER_H

#include "ccs/error.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CCS_ROSTER_MAX_DAYS 7     /* a week at most */
#define CCS_ROSTER_MAX_LENGTHS 16 /* shift lengths per template */
#define CCS_ROSTER_MAX_BREAKS 8   /* breaks per shift */
#define CCS_ROSTER_UNLIMITED UINT32_MAX /* no limit on agents */
#define CCS_ROSTER_NONE UINT32_MAX      /* "no shift" in a tour, "none" in a result */

/*
 * The planning grid: `days` days of `per_day` intervals of `minutes` each;
 * interval t (0 <= t < days * per_day) is interval t % per_day of day
 * t / per_day. When the intervals of a day make 24 hours, a shift may run
 * past midnight into the next day; with `cyclic` the horizon repeats (a
 * weekly roster worked every week, or a 24-hour day worked every day), so a
 * shift running past the last interval goes on at interval 0, and days off
 * may wrap from the last day to the first. Otherwise a shift must end by the
 * end of its day (grids shorter than 24 hours) or of the horizon.
 */
struct ccs_roster_grid {
    uint32_t days;      /* 1 ... CCS_ROSTER_MAX_DAYS */
    uint32_t per_day;   /* intervals per day, >= 1 (96 for 15 minutes over 24 h) */
    double minutes;     /* length of an interval, minutes, > 0: costs and labels */
    uint32_t day_start; /* clock time of interval 0 of each day, minutes after midnight: labels */
    bool cyclic;        /* the horizon repeats (see above) */
};

/* A break of a shift: its length, whether it is paid, and when it may start. */
struct ccs_roster_break {
    uint32_t length;   /* intervals, >= 1 */
    uint32_t earliest; /* earliest start, intervals after the shift's start */
    uint32_t latest;   /* latest start, >= earliest */
    bool paid;         /* paid breaks cost like work; unpaid ones cost nothing */
};

/*
 * Days-off rule of a template over a multi-day grid. Each agent of the
 * template works one shift on each of his working days; the days form his
 * pattern. Without a rule (work == 0) each day's shifts are staffed
 * independently (the same people may work every day).
 */
struct ccs_roster_days {
    uint32_t work;        /* 0: no rule; else days worked of the grid's days */
    bool at_most;         /* work at most `work` days (and at least one), not exactly */
    bool consecutive_off; /* the days off form one block (wrapping when the grid is cyclic) */
};

/*
 * A shift template of a group: every start in start_first, start_first +
 * start_step, ... <= start_last, with every length in lengths[], is a shift
 * the roster may use on every day; every such shift takes the breaks listed,
 * in this order, each inside its window and with the minimum work before the
 * first, between two and after the last. A shift's start may differ from day
 * to day for the same agent; no rest time between two days is imposed.
 */
struct ccs_roster_template {
    const char *name;     /* copied; names the template in messages and results */
    uint32_t group;       /* from ccs_roster_add_group */
    uint32_t start_first; /* interval of the day, < per_day */
    uint32_t start_last;  /* interval of the day, >= start_first, < per_day */
    uint32_t start_step;  /* intervals, >= 1 */
    uint32_t n_lengths;   /* 1 ... CCS_ROSTER_MAX_LENGTHS */
    uint32_t lengths[CCS_ROSTER_MAX_LENGTHS]; /* intervals, distinct, >= 1 */
    double cost_per_hour; /* per paid hour (the shift less its unpaid breaks), >= 0 */
    uint32_t max_agents;  /* people on this template, or CCS_ROSTER_UNLIMITED */
    uint32_t n_breaks;    /* 0 ... CCS_ROSTER_MAX_BREAKS */
    struct ccs_roster_break breaks[CCS_ROSTER_MAX_BREAKS]; /* in the order taken */
    uint32_t min_work_before;  /* intervals of work before the first break */
    uint32_t min_work_between; /* between the end of a break and the next */
    uint32_t min_work_after;   /* after the end of the last break */
    struct ccs_roster_days days;
};

/* Zero breaks, step 1, unlimited agents, no days-off rule; the rest 0/NULL. */
struct ccs_roster_template ccs_roster_template_default(void);

/*
 * A part-time rule of a group: shifts shorter than `shorter_than` intervals
 * make at most `max_share` of its shifts (agent-days), or of its paid hours.
 */
struct ccs_roster_limit {
    uint32_t group;
    uint32_t shorter_than; /* intervals */
    double max_share;      /* in [0, 1] */
    bool by_hours;         /* share of paid hours instead of shifts */
};

struct ccs_roster_problem;

/*
 * A new empty problem on this grid (copied). Returns 0, CCS_EINVAL with d
 * for a bad grid, or CCS_ENOMEM.
 */
int ccs_roster_problem_new(const struct ccs_roster_grid *grid, struct ccs_roster_problem **out,
                           struct ccs_diag *d);

/* NULL-safe. */
void ccs_roster_problem_free(struct ccs_roster_problem *p);

/*
 * Add a group (name copied; unique) whose roster may count at most
 * max_agents people (or CCS_ROSTER_UNLIMITED), with a zero requirement; its
 * index goes to *id (may be NULL). Returns 0, CCS_EINVAL with d, CCS_ENOMEM.
 */
int ccs_roster_add_group(struct ccs_roster_problem *p, const char *name, uint32_t max_agents,
                         uint32_t *id, struct ccs_diag *d);

/*
 * The agents a group needs on the phones (working, not on break) in each
 * interval: required[t] for t < days * per_day (copied). May be called again
 * to change it between solves. Returns 0 or CCS_EINVAL with d.
 */
int ccs_roster_set_required(struct ccs_roster_problem *p, uint32_t group,
                            const uint32_t *required, struct ccs_diag *d);

/*
 * Add a shift template (copied; name unique within its group), index in
 * *id (may be NULL). Checks it against the grid, including that every
 * length can hold its breaks with their minimum work. Returns 0,
 * CCS_EINVAL with d ("template 'x': ..."), CCS_ENOMEM.
 */
int ccs_roster_add_template(struct ccs_roster_problem *p, const struct ccs_roster_template *t,
                            uint32_t *id, struct ccs_diag *d);

/* Add a part-time rule. Returns 0, CCS_EINVAL with d, CCS_ENOMEM. */
int ccs_roster_add_limit(struct ccs_roster_problem *p, const struct ccs_roster_limit *l,
                         struct ccs_diag *d);

/*
 * Add a linear constraint on a group's agents on the phones: with N[t] the
 * agents on the phones in interval t, sum over i < n of coef[i] * N[t[i]] >=
 * rhs. The simulation loop's cuts (Atlason, Epelman and Henderson 2004) are
 * of this form. Returns 0, CCS_EINVAL with d, CCS_ENOMEM.
 */
int ccs_roster_add_cut(struct ccs_roster_problem *p, uint32_t group, size_t n,
                       const uint32_t *t, const double *coef, double rhs, struct ccs_diag *d);

/* A term of a cut: coef times group's agents on the phones in interval t. */
struct ccs_roster_term {
    uint32_t group;
    uint32_t t;
    double coef;
};

/*
 * Add a linear constraint on the agents on the phones of one or several
 * groups: sum over i < n of terms[i].coef * N[terms[i].group][terms[i].t] >=
 * rhs. A cut naming several groups ties them: they are then solved in one
 * integer program (docs/schedule.md, "Overlapping skills"). Returns 0,
 * CCS_EINVAL with d, CCS_ENOMEM.
 */
int ccs_roster_add_cut_terms(struct ccs_roster_problem *p, size_t n,
                             const struct ccs_roster_term *terms, double rhs,
                             struct ccs_diag *d);

/* Remove every cut (the requirement, templates and limits stay). */
void ccs_roster_clear_cuts(struct ccs_roster_problem *p);

/* "day 2 07:45" (or "07:45" on a one-day grid) for interval t; returns buf. */
const char *ccs_roster_interval_label(const struct ccs_roster_problem *p, uint32_t t, char *buf,
                                      size_t size);

/* How the integer program places breaks (docs/schedule.md). */
enum ccs_roster_breaks {
    /* break counts per template, day, break and time, shared by all starts,
       with forward and backward rows (Bechtold and Jacobs 1990): small */
    CCS_ROSTER_BREAKS_IMPLICIT,
    /* break counts per shift, break and time (Aykin 1996): larger, the
       same optimum; kept to check the other */
    CCS_ROSTER_BREAKS_PER_SHIFT,
};

/* The branch and bound after the first roster (docs/schedule.md, "Solving it"). */
enum ccs_roster_mip {
    CCS_ROSTER_MIP_AUTO, /* CBC when it can be used (ccs_roster_have_cbc), else GLPK */
    CCS_ROSTER_MIP_GLPK, /* GLPK's (its bound is the LP bound plus little) */
    CCS_ROSTER_MIP_CBC,  /* CBC's cuts and heuristics; CCS_EUNSUPPORTED without CBC */
};

struct ccs_roster_opts {
    double time_limit; /* seconds of solver time at most over all groups; <= 0: none */
    double mip_gap;    /* stop when (cost - bound) / cost <= this, >= 0 */
    uint64_t node_limit; /* branch-and-bound nodes per group at most, 0: none; a stop by
                            nodes, unlike one by time, gives the same roster every run */
    enum ccs_roster_breaks breaks;
    enum ccs_roster_mip mip;
    bool verbose;      /* the solvers' progress on stdout */
};

/* Whether CBC can be used (CCS_ROSTER_MIP_CBC works): this build has it and
   its library (libCbcSolver.so.3, Debian coinor-libcbc3) loads. The library
   is opened on the first call, not linked; thread-safe. */
bool ccs_roster_have_cbc(void);

/* NULL when CBC can be used, else why not (built without it, or the
   library cannot be loaded: the dynamic linker's message). */
const char *ccs_roster_cbc_error(void);

/* "auto", "glpk", "cbc" (the names `ccsim schedule --solver` takes). */
const char *ccs_roster_mip_name(enum ccs_roster_mip m);

/* 60 s, 1% gap, 2000 nodes, implicit breaks, CBC if built with it, quiet. */
struct ccs_roster_opts ccs_roster_opts_default(void);

enum ccs_roster_status {
    CCS_ROSTER_OPTIMAL,    /* proven optimal */
    CCS_ROSTER_GAP,        /* within the mip_gap target of optimal */
    CCS_ROSTER_LIMIT,      /* the time or node limit stopped the search: a roster, its gap */
    CCS_ROSTER_NO_ROSTER,  /* the limit came before any roster was found */
    CCS_ROSTER_INFEASIBLE, /* no roster covers the requirement: see reason */
};

/* "optimal", "gap", "limit", "no-roster", "infeasible". */
const char *ccs_roster_status_name(enum ccs_roster_status s);

/*
 * Why the search stopped: of all groups, the last in this order (a group
 * stopped by the clock makes the whole roster "stopped by the time limit").
 */
enum ccs_roster_stop {
    CCS_ROSTER_STOP_DONE,  /* the search finished: optimal, or proven infeasible */
    CCS_ROSTER_STOP_GAP,   /* the roster is within the gap target of the bound */
    CCS_ROSTER_STOP_NODES, /* the node limit (the same roster every run) */
    CCS_ROSTER_STOP_TIME,  /* the time limit (another run may give another roster) */
};

/* "done", "gap", "nodes", "time". */
const char *ccs_roster_stop_name(enum ccs_roster_stop s);

struct ccs_roster;

/*
 * Why r's search stopped, in words, with its limits and nodes: "stopped by
 * the time limit of 30s after 12 branch-and-bound nodes: another run may give
 * another roster". Writes at most size bytes to buf; returns buf.
 */
const char *ccs_roster_stop_text(const struct ccs_roster *r, char *buf, size_t size);

/* One daily shift with its breaks, and how many agents work it. */
struct ccs_roster_shift {
    uint32_t group, tmpl; /* indices */
    uint32_t day;         /* of the start */
    uint32_t start;       /* interval of the day */
    uint32_t length;      /* intervals */
    uint32_t breaks[CCS_ROSTER_MAX_BREAKS]; /* start of each break, intervals after start */
    uint32_t count;       /* agents */
    double paid_hours;    /* of one agent */
    double cost;          /* of one agent */
};

/*
 * Agents of a template with the same working days and the same shift on
 * each of them. Every template's agents form tours, with or without a
 * days-off rule; the counts of the tours using a shift add up to its count.
 */
struct ccs_roster_tour {
    uint32_t group, tmpl;
    uint32_t days;  /* bit d set: works on day d */
    uint32_t count; /* agents */
    uint32_t shift[CCS_ROSTER_MAX_DAYS]; /* index in shifts[] per day, CCS_ROSTER_NONE when off */
};

/*
 * A solved problem. Per-interval arrays are indexed [g * n_intervals + t].
 * When status is CCS_ROSTER_INFEASIBLE or CCS_ROSTER_NO_ROSTER there are no
 * shifts or tours, the per-interval counts are zero and cost and gap are
 * HUGE_VAL (infeasible: the bounds too).
 */
struct ccs_roster {
    enum ccs_roster_status status;
    char reason[512];       /* infeasible: which group and interval, and why; else "" */
    uint32_t short_group;   /* infeasible: the first group and interval that cannot */
    uint32_t short_interval; /*   be covered (CCS_ROSTER_NONE when a cut is the cause) */
    double cost;            /* of the roster over the horizon */
    double paid_hours;
    double lp_bound;        /* cost of the LP relaxation: a lower bound */
    double bound;           /* best lower bound proven by the search (>= lp_bound) */
    double gap;             /* (cost - bound) / cost, 0 when proven optimal */
    double seconds;         /* wall-clock time of the solve */
    uint64_t nodes;         /* branch-and-bound nodes, all groups */
    const char *solver;     /* "GLPK", or "GLPK and CBC" (CBC's branch and bound); static */
    enum ccs_roster_stop stop; /* why the search stopped */
    double mip_gap;         /* the gap target it was given (ccs_roster_opts.mip_gap) */
    double time_limit;      /* the time limit it was given, seconds; 0: none */
    uint64_t node_limit;    /* the node limit it was given per group; 0: none */
    bool time_limited;      /* the time limit cut the search short: the roster (or its
                               absence) may differ from run to run; otherwise the same
                               problem and options give the same roster */
    size_t n_vars, n_int_vars, n_rows; /* size of the integer programs, all groups */
    uint32_t n_programs;    /* integer programs solved: groups, less those cuts tie together */
    uint32_t n_groups, n_intervals;
    size_t n_shifts;
    struct ccs_roster_shift *shifts; /* by group, template, day, start, length, breaks */
    size_t n_tours;
    struct ccs_roster_tour *tours;   /* by group, template */
    uint32_t *required;    /* copy of the requirement */
    uint32_t *scheduled;   /* agents on a shift (on a break or not) */
    uint32_t *on_phone;    /* agents on a shift and not on a break */
    uint32_t *headcount;   /* per group: people on the roster */
};

/*
 * Solve: the least-cost roster covering every group's requirement and cuts
 * within the templates' and groups' limits. Returns 0 with a result in *out
 * whatever its status (infeasible and out-of-time are statuses), or
 * CCS_EINVAL with d (bad options, a group without templates but with a
 * requirement is infeasible, not an error), CCS_ENOMEM. Same problem and
 * options, same roster, unless the time limit stops the search (then
 * r->time_limited says so): the first roster (relax and fix) works to
 * budgets of re-solves and nodes, not of seconds, and node_limit bounds the
 * branch and bound after it.
 */
int ccs_roster_solve(const struct ccs_roster_problem *p, const struct ccs_roster_opts *o,
                     struct ccs_roster **out, struct ccs_diag *d);

/* NULL-safe. */
void ccs_roster_free(struct ccs_roster *r);

/*
 * Check a roster against the problem from its definition: every shift is a
 * template's start and length on the grid, every break inside its window
 * with the minimum work before, between and after, every tour follows its
 * template's days-off rule and its shifts' counts, the agent limits, the
 * part-time rules, the cuts, the coverage of every interval, and the counts
 * and costs recorded in r. Returns 0, or CCS_ESTATE with the first fault in
 * d (CCS_EINVAL for NULL arguments).
 */
int ccs_roster_verify(const struct ccs_roster_problem *p, const struct ccs_roster *r,
                      struct ccs_diag *d);

#endif
