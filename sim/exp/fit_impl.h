/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fit_impl.h - the state of a log fit (fit.c), shared with its writers
 * (fit_write.c) and the backtest (backtest.c).
 */
#ifndef CCS_EXP_FIT_IMPL_H
#define CCS_EXP_FIT_IMPL_H

#include "ccs/estimate.h"
#include "ccs/fit.h"
#include "model/scenario.h"

/* Per queue. */
struct ccs__fq {
    size_t n, n_served, n_aband, n_short, n_transfer;
    size_t n_work, n_wrap, n_pat;
    double *work_v; /* the n_work handle times fitted (for the charts), in log order */
    struct ccs_fit handle[CCS_FIT_FAMILY_COUNT];
    enum ccs_fit_family handle_best;
    bool has_handle, has_gof;
    struct ccs_gof handle_gof;
    struct ccs_fit wrap[CCS_FIT_FAMILY_COUNT];
    enum ccs_fit_family wrap_best;
    bool has_wrap;
    double *aht_sum; /* per interval of the day */
    size_t *aht_n;
    struct ccs_km *km;
    double km_values[200];
    bool has_km;
    struct ccs_fit pat[CCS_FIT_FAMILY_COUNT];
    enum ccs_fit_family pat_best;
    bool has_pat;
    const char *pat_why;
    size_t *seg_n;
    size_t ab_with_id, redials, sv_with_id, repeats;
    double redial_delay; /* sum */
};

/* One agent on one date (seconds). */
struct ccs__avail_row {
    double present, busy, away;
};

/* A span of an agent's timeline: a working block (present) or a time away within one. */
struct ccs__tl {
    uint32_t day, agent;
    double a, b; /* seconds from the date's t = 0 */
    bool away;
};

struct ccs_fitlog {
    struct ccs_fitlog_opts o;
    struct ccs_scenario *const *scs; /* borrowed, one per date */
    size_t n_days, nq, ni, total;
    double interval, horizon;
    double *counts; /* n_days x nq x ni */
    size_t wd_days[7];
    struct ccs_dispersion disp;
    bool disp_ok;
    const char *disp_why;
    struct ccs__fq *q;
    /* agents, by name (borrowed from scs[k]->trace_agents) */
    const char **agents;
    size_t n_agents;
    uint64_t *agent_mask;    /* queues served */
    size_t *agent_served;    /* n_agents x nq */
    size_t *agent_group;     /* group index, SIZE_MAX: served nothing */
    uint64_t *group_mask;
    size_t *group_served;    /* n_groups x nq */
    size_t *group_agents;
    size_t n_groups;
    size_t n_steps;          /* availability steps per date */
    double *staff;           /* n_days x n_groups x n_steps: staffed seconds */
    struct ccs__avail_row *avail; /* n_days x n_agents */
    struct ccs__tl *tl;           /* the timelines, by date and agent, in time order */
    size_t n_tl, cap_tl;
    /* overrides handed out by ccs_fitlog_day_overrides */
    char **ov_text;
    size_t n_ov_text;
    struct ccs_override *ov;
};

uint64_t ccs__fit_hash(const char *s);
const char *ccs__fit_agent_name(const struct ccs_fitlog *f, size_t a, char *buf, size_t cap);
double ccs__fit_staff(const struct ccs_fitlog *f, size_t k, size_t g, size_t s);
/* Group g's id in the fitted scenario: "agents_Q1_Q2..." (its queues). */
void ccs__fit_group_id(const struct ccs_fitlog *f, size_t g, char *buf, size_t cap);
/* The two-sided 95% quantile of a mean over n dates (Student's t, n - 1 df;
   1.96 for n <= 1). */
double ccs__fit_tq(size_t n);
/* Mean volume of queue q in reporting interval i over the dates of weekday
   wd, and the day-to-day sd (sqrt(mean) with one date); NaN without dates. */
double ccs__fit_mean_volume(const struct ccs_fitlog *f, int wd, size_t q, size_t i, double *sd);
/* Mean agents of group g staffed (inferred availability) in interval i over
   the dates of weekday wd, and the day-to-day sd (NaN with one date; sd may
   be NULL); NaN without dates. */
double ccs__fit_mean_staff(const struct ccs_fitlog *f, int wd, size_t g, size_t i, double *sd);
/* The mean over weekday wd's dates in interval i, of queue k's volume (staff
   false) or group k's agents staffed (staff true), with its standard error
   and 95% interval (Student's t; lo at least 0; NaN where undefined), as
   fit.csv gives them. */
struct ccs_est ccs__fit_per_interval(const struct ccs_fitlog *f, bool staff, int wd, size_t k,
                                     size_t i);

/* A backtest (fit.h): obs / sim / lo / hi of each KPI for the whole day
   (slot 0) and each interval (1 + i); the fitted mode has whole days only. */
struct ccs__bt_day {
    char date[16];
    int weekday;
    size_t offered;
    double *v; /* (1 + ni) x K x 4 */
};

struct ccs_backtest {
    size_t n, ni;
    uint32_t reps;
    bool fitted; /* second mode: the fitted scenario's spread, whole days only */
    enum ccs_avail_rule rule;
    double interval, start_time;
    struct ccs__bt_day *d;
};

#endif
