/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * summary.c - replications folded into means and confidence intervals
 * (Welford per key, Student-t half-widths), plus what plots need: a time
 * series of the system's state and the wait distribution pooled over
 * replications. Also the replication loop itself.
 */
#include "exp/channels.h"
#include "ccs/run.h"
#include "ccs/results.h"
#include "ccs/sim.h"
#include "core/grow.h"
#include "core/stats.h"
#include "exp/reps.h"
#include "model/engine.h"
#include "model/scenario.h"
#include "ccs/mem.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SERIES_POINTS 100000

struct ccs_summary {
    const struct ccs_scenario *sc;
    uint64_t seed; /* of the replications folded in: what a rerun needs */
    double level;
    uint32_t n_reps;
    struct ccs_welford *w;  /* one per key held */
    size_t n_held;          /* keys with statistics: layout n, or n_whole (whole run only) */
    double *whole;          /* n_reps x n_whole values */
    size_t whole_cap;  /* replications whole holds room for */

    /* time series: n_points x n_cols running statistics */
    double dt;
    size_t n_points, n_cols;
    struct ccs_series_col *cols;
    struct ccs_welford *series;

    const char *trace_note; /* the trace's account that reports print */

    /* waits of answered contacts, pooled: one per queue, then all queues */
    struct ccs_hist *hist;
    struct ccs_sim_balance bal;
};

static int setup_series(struct ccs_summary *s, double dt)
{
    const struct ccs_scenario *sc = s->sc;
    double n = floor(sc->horizon / dt + 1e-9) + 1;
    if (!(dt > 0) || n > MAX_SERIES_POINTS)
        return -1;
    s->dt = dt;
    s->n_points = (size_t)n;
    s->n_cols = sc->n_queues + 3 * sc->n_groups;
    s->cols = ccs_calloc(s->n_cols, sizeof *s->cols);
    s->series = ccs_calloc(s->n_points * s->n_cols, sizeof *s->series);
    if (s->cols == NULL || s->series == NULL)
        return -1;
    size_t j = 0;
    for (size_t q = 0; q < sc->n_queues; q++)
        s->cols[j++] = (struct ccs_series_col){CCS_SCOPE_QUEUE, (int32_t)q, -1, "waiting"};
    static const char *const gm[] = {"busy", "idle", "staffed"};
    for (size_t g = 0; g < sc->n_groups; g++)
        for (size_t m = 0; m < 3; m++)
            s->cols[j++] = (struct ccs_series_col){CCS_SCOPE_GROUP, -1, (int32_t)g, gm[m]};
    return 0;
}

static struct ccs_summary *summary_new(const struct ccs_scenario *sc, double level,
                                       double sample_every, bool whole_only)
{
    struct ccs_summary *s = ccs_calloc(1, sizeof *s);
    if (s == NULL)
        return NULL;
    s->sc = sc;
    s->seed = sc->seed;
    s->level = level;
    s->trace_note = sc->trace_note;
    s->n_held = whole_only ? sc->layout->n_whole : sc->layout->n;
    s->w = ccs_calloc(s->n_held ? s->n_held : 1, sizeof *s->w);
    s->hist = ccs_calloc(sc->n_queues + 1, sizeof *s->hist);
    if (s->w == NULL || s->hist == NULL || (sample_every > 0 && setup_series(s, sample_every))) {
        ccs_summary_free(s);
        return NULL;
    }
    return s;
}

struct ccs_summary *ccs_summary_new(const struct ccs_scenario *sc, double level,
                                    double sample_every)
{
    return summary_new(sc, level, sample_every, false);
}

bool ccs_summary_has_intervals(const struct ccs_summary *s)
{
    return s->n_held == s->sc->layout->n;
}

int ccs_summary_add(struct ccs_summary *s, const double *values)
{
    const struct ccs_layout *l = s->sc->layout;
    size_t row = (l->n_whole ? l->n_whole : 1) * sizeof *s->whole; /* one replication's */
    if (ccs__grow(&s->whole, &s->whole_cap, (size_t)s->n_reps + 1, row) != 0)
        return CCS_ENOMEM;
    memcpy(&s->whole[(size_t)s->n_reps * l->n_whole], values, l->n_whole * sizeof *values);
    for (size_t k = 0; k < s->n_held; k++)
        if (!isnan(values[k]))
            ccs__welford_add(&s->w[k], values[k]);
    s->n_reps++;
    return 0;
}

void ccs_summary_free(struct ccs_summary *s)
{
    if (s == NULL)
        return;
    free(s->w);
    free(s->whole);
    free(s->cols);
    free(s->series);
    if (s->hist != NULL)
        for (size_t q = 0; q <= s->sc->n_queues; q++)
            ccs__hist_free(&s->hist[q]);
    free(s->hist);
    free(s);
}

const struct ccs_scenario *ccs_summary_scenario(const struct ccs_summary *s) { return s->sc; }
const char *ccs_summary_trace_note(const struct ccs_summary *s) { return s->trace_note; }
uint64_t ccs_summary_seed(const struct ccs_summary *s) { return s->seed; }
void ccs_summary_set_seed(struct ccs_summary *s, uint64_t seed) { s->seed = seed; }
const struct ccs_layout *ccs_summary_layout(const struct ccs_summary *s) { return s->sc->layout; }
uint32_t ccs_summary_replications(const struct ccs_summary *s) { return s->n_reps; }
double ccs_summary_level(const struct ccs_summary *s) { return s->level; }
double ccs_summary_n(const struct ccs_summary *s, size_t k)
{
    return k < s->n_held ? s->w[k].n : 0;
}

double ccs_summary_mean(const struct ccs_summary *s, size_t k)
{
    return k < s->n_held && s->w[k].n > 0 ? s->w[k].mean : NAN;
}

double ccs_summary_sd(const struct ccs_summary *s, size_t k)
{
    return k < s->n_held ? sqrt(ccs__welford_var(&s->w[k])) : NAN;
}

double ccs_summary_halfwidth(const struct ccs_summary *s, size_t k)
{
    return k < s->n_held ? ccs__welford_halfwidth(&s->w[k], s->level) : NAN;
}

const double *ccs__summary_row(const struct ccs_summary *s, unsigned r)
{
    return &s->whole[(size_t)r * s->sc->layout->n_whole];
}

double ccs_summary_value(const struct ccs_summary *s, uint32_t r, size_t k)
{
    if (r >= s->n_reps || k >= s->sc->layout->n_whole)
        return NAN; /* per-interval keys are kept as statistics only */
    return s->whole[(size_t)r * s->sc->layout->n_whole + k];
}

void ccs_summary_balance(const struct ccs_summary *s, struct ccs_sim_balance *out)
{
    *out = s->bal;
}

static void balance_add(struct ccs_sim_balance *t, const struct ccs_sim_balance *b)
{
    t->arrivals += b->arrivals;
    t->redials += b->redials;
    t->repeats += b->repeats;
    t->transfers += b->transfers;
    t->records += b->records;
    t->answered += b->answered;
    t->abandoned += b->abandoned;
    t->blocked += b->blocked;
    t->failed += b->failed;
    t->pending += b->pending;
    t->messages += b->messages;
    t->disconnected += b->disconnected;
}

/* --- time series ---------------------------------------------------------------- */

size_t ccs_summary_series_points(const struct ccs_summary *s) { return s->n_points; }
double ccs_summary_series_dt(const struct ccs_summary *s) { return s->dt; }
size_t ccs_summary_series_cols(const struct ccs_summary *s) { return s->n_cols; }
struct ccs_series_col ccs_summary_series_col(const struct ccs_summary *s, size_t j)
{
    return s->cols[j];
}

double ccs_summary_series_mean(const struct ccs_summary *s, size_t i, size_t j)
{
    const struct ccs_welford *w = &s->series[i * s->n_cols + j];
    return w->n > 0 ? w->mean : NAN;
}

double ccs_summary_series_halfwidth(const struct ccs_summary *s, size_t i, size_t j)
{
    return ccs__welford_halfwidth(&s->series[i * s->n_cols + j], s->level);
}

/* Record the state of sim as point i of a replication's samples (n_cols a point). */
static void sample(const struct ccs_summary *s, const struct ccs_sim *sim, size_t i, double *out)
{
    double *row = &out[i * s->n_cols];
    size_t j = 0;
    for (size_t q = 0; q < s->sc->n_queues; q++)
        row[j++] = sim->queues[q].waiting;
    for (size_t g = 0; g < s->sc->n_groups; g++) {
        const struct ccs_group *G = &sim->groups[g];
        row[j++] = G->n_busy;
        row[j++] = (double)(G->n_present - G->n_busy);
        row[j++] = G->n_present;
    }
}

/* --- wait distribution ------------------------------------------------------------- */

static const struct ccs_hist *hist_of(const struct ccs_summary *s, int q)
{
    return &s->hist[q < 0 ? s->sc->n_queues : (size_t)q];
}

double ccs_summary_wait_cdf(const struct ccs_summary *s, int q, double x)
{
    return ccs__hist_cdf(hist_of(s, q), x);
}

double ccs_summary_wait_quantile(const struct ccs_summary *s, int q, double p)
{
    return ccs__hist_quantile(hist_of(s, q), p);
}

size_t ccs_summary_wait_curve(const struct ccs_summary *s, int q, double *x, double *cdf,
                              size_t cap)
{
    const struct ccs_hist *h = hist_of(s, q);
    if (h->total == 0 || cap == 0)
        return 0;
    size_t n = 0;
    uint64_t below = h->zeros;
    x[n] = 0;
    cdf[n++] = (double)below / (double)h->total;
    const size_t step = 8; /* 128 buckets per doubling / 8 = 16 points */
    for (size_t i = 0; i < CCS_HIST_BUCKETS && n < cap && below < h->total; i += step) {
        uint64_t add = 0;
        for (size_t j = i; j < i + step && j < CCS_HIST_BUCKETS; j++)
            add += ccs__hist_count(h, j);
        if (add == 0)
            continue;
        below += add;
        x[n] = ccs__hist_edge(i + step);
        cdf[n++] = (double)below / (double)h->total;
    }
    return n;
}

/* --- the replication loop ---------------------------------------------------------- */

struct ccs_run_opts ccs_run_opts_default(const struct ccs_scenario *sc)
{
    struct ccs_run_opts o = {sc->seed, sc->replications, 0.95, 0.0, NULL, NULL, 0, false};
    return o;
}

int ccs__rep_run(const struct ccs_summary *s, const struct ccs_scenario *sc, uint64_t seed,
                 uint32_t rep, const struct ccs_run_opts *o, struct ccs__rep *out,
                 struct ccs_diag *d)
{
    size_t n = s->n_held ? s->n_held : 1;
    if ((out->values == NULL && (out->values = ccs_malloc(n * sizeof *out->values)) == NULL) ||
        (s->n_points > 0 && out->samples == NULL &&
         (out->samples = ccs_malloc(s->n_points * s->n_cols * sizeof *out->samples)) == NULL))
        return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    ccs_sim_free(out->sim);
    out->sim = NULL;
    struct ccs_sim *sim;
    int rc = ccs__sim_new(sc, seed, rep, !ccs_summary_has_intervals(s), &sim, d);
    if (rc != 0)
        return rc;
    if (o != NULL && o->prepare != NULL)
        o->prepare(o->prepare_ctx, rep, sim);
    for (size_t i = 0; i < s->n_points && rc >= 0; i++) {
        rc = ccs_sim_run_until(sim, (double)i * s->dt);
        if (rc >= 0)
            sample(s, sim, i, out->samples);
    }
    if (rc >= 0)
        rc = ccs_sim_run(sim);
    if (rc != 0) {
        ccs_diag_at(d, rc, sc->origin, 0, 0, "replication %u: %s", rep,
                    ccs_sim_fault(sim) ? ccs_sim_fault(sim) : ccs_strerror(rc));
        ccs_sim_free(sim);
        return rc;
    }
    if (ccs_sim_results(sim, out->values) != 0) {
        ccs_sim_free(sim);
        return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    }
    out->sim = sim;
    return 0;
}

int ccs__rep_fold(struct ccs_summary *s, uint64_t seed, struct ccs__rep *r, struct ccs_diag *d)
{
    const struct ccs_scenario *sc = s->sc;
    const struct ccs_sim *sim = r->sim;
    s->seed = seed;
    for (uint32_t q = 0; q < sc->n_queues; q++) {
        const struct ccs_queue *Q = &sim->queues[q];
        for (uint32_t l = Q->first_line; l < Q->first_line + Q->n_lines; l++) {
            if (ccs__hist_merge(&s->hist[q], &sim->acc.line_run[l].wait_hist) != 0 ||
                ccs__hist_merge(&s->hist[sc->n_queues], &sim->acc.line_run[l].wait_hist) != 0)
                return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
        }
    }
    struct ccs_sim_balance b;
    ccs_sim_balance(sim, &b);
    balance_add(&s->bal, &b);
    for (size_t i = 0; i < s->n_points * s->n_cols; i++)
        ccs__welford_add(&s->series[i], r->samples[i]);
    ccs_sim_free(r->sim);
    r->sim = NULL;
    if (ccs_summary_add(s, r->values) != 0)
        return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    return 0;
}

void ccs__rep_release(struct ccs__rep *r)
{
    ccs_sim_free(r->sim);
    free(r->values);
    free(r->samples);
    memset(r, 0, sizeof *r);
}

int ccs_run_one(const struct ccs_scenario *sc, uint64_t seed, uint32_t rep,
                struct ccs_summary *s, double *values, struct ccs_diag *d)
{
    struct ccs__rep r = {NULL, NULL, NULL};
    int rc = ccs__rep_run(s, sc, seed, rep, NULL, &r, d);
    if (rc == 0 && values != NULL) {
        memcpy(values, r.values, s->n_held * sizeof *values);
        for (size_t k = s->n_held; k < s->sc->layout->n; k++)
            values[k] = NAN;
    }
    if (rc == 0)
        rc = ccs__rep_fold(s, seed, &r, d);
    ccs__rep_release(&r);
    return rc;
}

/* ccs_run's replications: slot rep % window holds replication rep until folded. */
struct run_job {
    struct ccs_summary *s;
    const struct ccs_run_opts *o;
    struct ccs__rep *slots;
    uint32_t window;
};

static int run_rep(void *ctx, uint32_t rep, uint32_t part, struct ccs_diag *d)
{
    struct run_job *j = ctx;
    (void)part;
    return ccs__rep_run(j->s, j->s->sc, j->o->seed, rep, j->o, &j->slots[rep % j->window], d);
}

static int fold_rep(void *ctx, uint32_t rep, struct ccs_diag *d)
{
    struct run_job *j = ctx;
    return ccs__rep_fold(j->s, j->o->seed, &j->slots[rep % j->window], d);
}

unsigned ccs_run_sims_at_once(unsigned jobs, uint32_t replications)
{
    struct ccs__reps r = {replications, 1, jobs, NULL, NULL, NULL};
    uint32_t w = ccs__reps_window(&r);
    return w > 0 ? w : 1;
}

int ccs_run(const struct ccs_scenario *sc, const struct ccs_run_opts *o,
            struct ccs_summary **out, struct ccs_diag *d)
{
    *out = NULL;
    struct ccs_summary *s = summary_new(sc, o->level, o->sample_every, o->whole_run_only);
    if (s == NULL)
        return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0,
                           o->sample_every > 0 ? "cannot sample every %gs: too many points or "
                                                 "out of memory"
                                               : "out of memory",
                           o->sample_every);
    s->seed = o->seed; /* also with no replication at all */
    struct run_job j = {s, o, NULL, 0};
    /* a prepare hook sees the replications one by one, in order (a trace file needs it) */
    struct ccs__reps r = {o->replications, 1, o->prepare != NULL ? 1 : o->jobs, &j, run_rep,
                          fold_rep};
    j.window = ccs__reps_window(&r);
    j.slots = ccs_calloc(j.window, sizeof *j.slots);
    uint32_t used;
    int rc = j.slots != NULL ? ccs__reps_run(&r, &used, d)
                             : ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    for (uint32_t i = 0; j.slots != NULL && i < j.window; i++)
        ccs__rep_release(&j.slots[i]);
    free(j.slots);
    if (rc != 0) {
        ccs_summary_free(s);
        return rc;
    }
    *out = s;
    return 0;
}

/* --- a trace replayed date by date ---------------------------------------------------- */

/* Chan et al.: the accumulator of a's and b's observations together. */
static void welford_merge(struct ccs_welford *a, const struct ccs_welford *b)
{
    if (b->n == 0)
        return;
    if (a->n == 0) {
        *a = *b;
        return;
    }
    double n = a->n + b->n, delta = b->mean - a->mean;
    a->m2 += b->m2 + delta * delta * a->n * b->n / n;
    a->mean += delta * b->n / n;
    a->n = n;
}

/* Add all replications of s into total (same layout and sampling). */
static int summary_pool(struct ccs_summary *total, const struct ccs_summary *s)
{
    const struct ccs_layout *l = total->sc->layout;
    for (uint32_t r = 0; r < s->n_reps; r++) {
        if (total->n_reps == total->whole_cap) {
            uint32_t cap = total->whole_cap ? total->whole_cap * 2 : 16;
            double *p =
                ccs_realloc(total->whole, (size_t)cap * (l->n_whole ? l->n_whole : 1) * sizeof *p);
            if (p == NULL)
                return CCS_ENOMEM;
            total->whole = p;
            total->whole_cap = cap;
        }
        memcpy(&total->whole[(size_t)total->n_reps * l->n_whole],
               &s->whole[(size_t)r * l->n_whole], l->n_whole * sizeof *s->whole);
        total->n_reps++;
    }
    for (size_t k = 0; k < total->n_held; k++)
        welford_merge(&total->w[k], &s->w[k]);
    for (size_t k = 0; k < total->n_points * total->n_cols; k++)
        welford_merge(&total->series[k], &s->series[k]);
    for (size_t q = 0; q <= total->sc->n_queues; q++)
        if (ccs__hist_merge(&total->hist[q], &s->hist[q]) != 0)
            return CCS_ENOMEM;
    balance_add(&total->bal, &s->bal);
    return 0;
}

static bool same_layout(const struct ccs_scenario *a, const struct ccs_scenario *b)
{
    const struct ccs_layout *x = a->layout, *y = b->layout;
    return x->n == y->n && x->n_whole == y->n_whole && x->n_block == y->n_block &&
           a->n_queues == b->n_queues && a->n_groups == b->n_groups &&
           a->horizon == b->horizon &&
           memcmp(x->keys, y->keys, x->n_whole * sizeof *x->keys) == 0 &&
           memcmp(x->block, y->block, x->n_block * sizeof *x->block) == 0;
}

int ccs_run_dates(struct ccs_scenario *const *scs, size_t n, const struct ccs_run_opts *o,
                  struct ccs_summary **per_date, struct ccs_summary **total, struct ccs_diag *d)
{
    *total = NULL;
    for (size_t k = 0; k < n; k++)
        per_date[k] = NULL;
    if (n == 0)
        return ccs_diag_at(d, CCS_EINVAL, NULL, 0, 0, "no dates to run");
    for (size_t k = 1; k < n; k++)
        if (!same_layout(scs[0], scs[k]))
            return ccs_diag_at(d, CCS_EINVAL, scs[k]->origin, 0, 0,
                               "the dates' scenarios report different metrics: they must be "
                               "loaded together (ccs_scenario_load_dates)");
    struct ccs_summary *t = summary_new(scs[0], o->level, o->sample_every, o->whole_run_only);
    int rc = t == NULL ? ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory") : 0;
    if (t != NULL)
        t->seed = o->seed; /* every date runs with it: the pool reports it */
    if (t != NULL && scs[0]->trace_pool_note != NULL)
        t->trace_note = scs[0]->trace_pool_note;
    for (size_t k = 0; k < n && rc == 0; k++) {
        rc = ccs_run(scs[k], o, &per_date[k], d);
        if (rc == 0 && summary_pool(t, per_date[k]) != 0)
            rc = ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    }
    if (rc != 0) {
        for (size_t k = 0; k < n; k++) {
            ccs_summary_free(per_date[k]);
            per_date[k] = NULL;
        }
        ccs_summary_free(t);
        return rc;
    }
    *total = t;
    return 0;
}
