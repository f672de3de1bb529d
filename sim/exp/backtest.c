/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * backtest.c - the model against the days it describes (`ccsim backtest`):
 * each date of a log replayed with its own contacts and its inferred
 * availability, and its KPIs compared with the log's, per date and interval.
 */
#include "exp/fit_impl.h"
#include "exp/pool.h"
#include "exp/reps.h"

#include "ccs/results.h"
#include "ccs/run.h"
#include "ccs/mem.h"
#include "core/timeconst.h"
#include "fmt/textout.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *ccs_bt_kpi_name(enum ccs_bt_kpi k)
{
    static const char *const names[] = {"abandon_rate", "asa", "service_level", "mean_wait"};
    return k < CCS_BT_KPI_COUNT ? names[k] : "?";
}

static double *slot(const struct ccs_backtest *b, size_t i, int interval, enum ccs_bt_kpi k)
{
    return b->d[i].v + (((size_t)(interval + 1) * CCS_BT_KPI_COUNT) + k) * 4;
}

/* Observed KPIs of date k's records into slots (interval -1: whole day). */
static void observe(const struct ccs_scenario *sc, struct ccs_backtest *b, size_t k)
{
    size_t ni = b->ni;
    double *acc = ccs_calloc((ni + 1) * 6, sizeof *acc); /* off, ab, ans, waitans, within, waitall */
    if (acc == NULL)
        return;
    for (size_t q = 0; q < sc->n_queues; q++) {
        const struct ccs_arrivals *a = &sc->queues[q].arrivals;
        for (size_t r = 0; r < a->n_trace; r++) {
            const struct ccs_trace_rec *t = &a->trace[r];
            size_t i = (size_t)(t->t / sc->interval);
            for (int pass = 0; pass < 2; pass++) {
                size_t s = pass == 0 ? 0 : 1 + i;
                if (pass == 1 && i >= ni)
                    break;
                double *x = acc + s * 6;
                x[0] += 1;
                if (!isnan(t->patience)) {
                    x[1] += 1;
                    x[5] += t->patience;
                } else if (!isnan(t->waited)) {
                    x[2] += 1;
                    x[3] += t->waited;
                    x[5] += t->waited;
                    if (t->waited <= sc->queues[q].sla_within)
                        x[4] += 1;
                }
            }
        }
    }
    b->d[k].offered = (size_t)acc[0];
    for (size_t s = 0; s <= ni; s++) {
        double *x = acc + s * 6;
        int iv = (int)s - 1;
        slot(b, k, iv, CCS_BT_ABANDON)[0] = x[0] > 0 ? x[1] / x[0] : NAN;
        slot(b, k, iv, CCS_BT_ASA)[0] = x[2] > 0 ? x[3] / x[2] : NAN;
        slot(b, k, iv, CCS_BT_SL)[0] = x[0] > 0 ? x[4] / x[0] : NAN;
        slot(b, k, iv, CCS_BT_WAIT)[0] = x[1] + x[2] > 0 ? x[5] / (x[1] + x[2]) : NAN;
    }
    free(acc);
}

/* Type-7 quantile of sorted v[0..n). */
static double quantile(const double *v, size_t n, double p)
{
    if (n == 0)
        return NAN;
    double h = (double)(n - 1) * p;
    size_t lo = (size_t)floor(h);
    size_t hi = lo + 1 < n ? lo + 1 : lo;
    return v[lo] + (h - (double)lo) * (v[hi] - v[lo]);
}

static int cmp_d(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

/* Mean and 95% range over the replications of vals (reps x n, layout order)
   of key, or of num / den (key < 0), into out[1..3]. False when out of memory. */
static bool simulated(const double *vals, size_t n, uint32_t reps, long key, long num, long den,
                      double *out)
{
    double *v = ccs_malloc(reps * sizeof *v);
    if (v == NULL)
        return false;
    size_t m = 0;
    double sum = 0, sn = 0, sd = 0;
    for (uint32_t r = 0; r < reps; r++) {
        const double *x = vals + (size_t)r * n;
        double y;
        if (key >= 0) {
            y = x[key];
        } else {
            sn += x[num];
            sd += x[den];
            y = x[den] > 0 ? x[num] / x[den] : NAN;
        }
        if (!isnan(y)) {
            v[m++] = y;
            sum += y;
        }
    }
    qsort(v, m, sizeof *v, cmp_d);
    out[1] = key >= 0 ? (m ? sum / (double)m : NAN) : (sd > 0 ? sn / sd : NAN);
    out[2] = quantile(v, m, 0.025);
    out[3] = quantile(v, m, 0.975);
    free(v);
    return true;
}

/*
 * Replications 0..reps-1 of each of the n scenarios scs[k] (with seeds[k])
 * on the thread pool (reps.h: every replication of every scenario is a
 * task, each writes only its own row), keeping every metric of each (the
 * summary keeps per-replication values of whole-run metrics only):
 * vals[k] is reps x layout n of scs[k] (nv[k]), malloc'd. Each
 * replication's streams depend on its number alone, so the values are the
 * same whatever jobs is.
 */
struct run_all {
    const struct ccs_scenario *const *scs;
    const uint64_t *seeds;
    struct ccs_summary **sums; /* for ccs__rep_run's sampling (none) */
    double **vals;
    const size_t *nv;
};

static int run_task(void *ctx, uint32_t rep, uint32_t part, struct ccs_diag *d)
{
    struct run_all *j = ctx;
    struct ccs__rep r = {NULL, NULL, NULL};
    int rc = ccs__rep_run(j->sums[part], j->scs[part], j->seeds[part], rep, NULL, &r, d);
    if (rc == 0)
        memcpy(j->vals[part] + (size_t)rep * j->nv[part], r.values,
               j->nv[part] * sizeof *r.values);
    ccs__rep_release(&r);
    return rc;
}

static int fold_nothing(void *ctx, uint32_t rep, struct ccs_diag *d)
{
    (void)ctx;
    (void)rep;
    (void)d;
    return 0;
}

static int run_values(const struct ccs_scenario *const *scs, const uint64_t *seeds, size_t n,
                      uint32_t reps, unsigned jobs, double **vals, size_t *nv, struct ccs_diag *d)
{
    struct ccs_summary **sums = ccs_calloc(n ? n : 1, sizeof *sums);
    bool oom = sums == NULL || n > UINT32_MAX;
    for (size_t k = 0; k < n && !oom; k++) {
        nv[k] = ccs_scenario_layout(scs[k])->n;
        vals[k] = ccs_malloc((size_t)reps * nv[k] * sizeof **vals);
        sums[k] = ccs_summary_new(scs[k], 0.95, 0);
        oom = vals[k] == NULL || sums[k] == NULL;
    }
    int rc = 0;
    if (oom) {
        rc = ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    } else if (n > 0) {
        struct run_all j = {scs, seeds, sums, vals, nv};
        struct ccs__reps r = {reps, (uint32_t)n, jobs, &j, run_task, fold_nothing};
        uint32_t used;
        rc = ccs__reps_run(&r, &used, d);
    }
    for (size_t k = 0; sums != NULL && k < n; k++) {
        ccs_summary_free(sums[k]);
        if (rc) {
            free(vals[k]);
            vals[k] = NULL;
        }
    }
    free(sums);
    return rc;
}

/* Mean and 95% range of date k's replicated KPIs, per interval (-1: day).
   false when out of memory. */
static bool simulated_day(struct ccs_backtest *b, size_t k, const struct ccs_scenario *ds,
                          const double *vals, size_t nv)
{
    const struct ccs_layout *l = ccs_scenario_layout(ds);
    bool ok = true;
    for (int iv = -1; ok && iv < (int)b->ni; iv++) {
        long off = ccs_layout_find(l, CCS_SCOPE_OVERALL, CCS_KPI_offered, -1, -1, -1, iv);
        long ab = ccs_layout_find(l, CCS_SCOPE_OVERALL, CCS_KPI_abandoned, -1, -1, -1, iv);
        long asa = ccs_layout_find(l, CCS_SCOPE_OVERALL, CCS_KPI_asa, -1, -1, -1, iv);
        long sl = ccs_layout_find(l, CCS_SCOPE_OVERALL, CCS_KPI_service_level, -1, -1, -1, iv);
        long mw = ccs_layout_find(l, CCS_SCOPE_OVERALL, CCS_KPI_mean_wait, -1, -1, -1, iv);
        if (off >= 0 && ab >= 0)
            ok = ok && simulated(vals, nv, b->reps, -1, ab, off, slot(b, k, iv, CCS_BT_ABANDON));
        if (asa >= 0)
            ok = ok && simulated(vals, nv, b->reps, asa, -1, -1, slot(b, k, iv, CCS_BT_ASA));
        if (sl >= 0)
            ok = ok && simulated(vals, nv, b->reps, sl, -1, -1, slot(b, k, iv, CCS_BT_SL));
        if (mw >= 0)
            ok = ok && simulated(vals, nv, b->reps, mw, -1, -1, slot(b, k, iv, CCS_BT_WAIT));
    }
    return ok;
}

/* Date k's scenario with its inferred availability (and SL over offered). */
static int derive_day(struct ccs_fitlog *f, size_t k, struct ccs_scenario **ds,
                      struct ccs_diag *d)
{
    const struct ccs_override *ov0;
    size_t n_ov0;
    int rc = ccs_fitlog_day_overrides(f, k, &ov0, &n_ov0);
    if (rc)
        return ccs_diag_at(d, rc, NULL, 0, 0, "%s", ccs_strerror(rc));
    struct ccs_override *ov = ccs_calloc(n_ov0 + 1, sizeof *ov);
    if (ov == NULL)
        return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    memcpy(ov, ov0, n_ov0 * sizeof *ov);
    ov[n_ov0] = (struct ccs_override){"service_level_definition", "offered", "backtest", 1, 1};
    rc = ccs_scenario_derive(f->scs[k], ov, n_ov0 + 1, ds, d);
    free(ov);
    return rc;
}

int ccs_backtest_new(struct ccs_fitlog *f, const struct ccs_backtest_opts *o,
                     struct ccs_backtest **out, struct ccs_diag *d)
{
    if (f == NULL || out == NULL)
        return ccs_diag_at(d, CCS_EINVAL, NULL, 0, 0, "invalid argument");
    *out = NULL;
    struct ccs_backtest *b = ccs_calloc(1, sizeof *b);
    if (b == NULL)
        return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    b->n = f->n_days;
    b->ni = f->ni;
    b->rule = f->o.rule;
    b->interval = f->interval;
    b->start_time = f->scs[0]->start_time;
    b->reps = o && o->replications ? o->replications : 20;
    b->d = ccs_calloc(b->n, sizeof *b->d);
    if (b->d == NULL) {
        free(b);
        return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    }
    /* every date's scenario first, then all their replications on the pool */
    struct ccs_scenario **ds = ccs_calloc(b->n ? b->n : 1, sizeof *ds);
    uint64_t *seeds = ccs_calloc(b->n ? b->n : 1, sizeof *seeds);
    double **vals = ccs_calloc(b->n ? b->n : 1, sizeof *vals);
    size_t *nv = ccs_calloc(b->n ? b->n : 1, sizeof *nv);
    int rc = ds == NULL || seeds == NULL || vals == NULL || nv == NULL
                 ? ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory")
                 : 0;
    for (size_t k = 0; k < b->n && rc == 0; k++) {
        const struct ccs_scenario *sc = f->scs[k];
        struct ccs__bt_day *day = &b->d[k];
        snprintf(day->date, sizeof day->date, "%s", sc->dated ? sc->date_text : "undated");
        day->weekday = sc->start_day;
        day->v = ccs_malloc((b->ni + 1) * CCS_BT_KPI_COUNT * 4 * sizeof *day->v);
        if (day->v == NULL) {
            rc = ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
            break;
        }
        for (size_t i = 0; i < (b->ni + 1) * CCS_BT_KPI_COUNT * 4; i++)
            day->v[i] = NAN;
        observe(sc, b, k);
        if ((rc = derive_day(f, k, &ds[k], d)) != 0)
            break;
        seeds[k] = o && o->seed ? o->seed : ccs_scenario_seed(ds[k]);
    }
    if (rc == 0)
        rc = run_values((const struct ccs_scenario *const *)ds, seeds, b->n, b->reps,
                        o ? o->jobs : 0, vals, nv, d);
    for (size_t k = 0; rc == 0 && k < b->n; k++)
        if (!simulated_day(b, k, ds[k], vals[k], nv[k]))
            rc = ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t k = 0; ds != NULL && k < b->n; k++) {
        ccs_scenario_free(ds[k]);
        if (vals != NULL)
            free(vals[k]);
    }
    free(ds);
    free(seeds);
    free(vals);
    free(nv);
    if (rc) {
        ccs_backtest_free(b);
        return rc;
    }
    *out = b;
    return 0;
}

/*
 * Second mode: the fitted scenario (generated arrivals, one week per
 * replication from Monday) against each observed date: the date's KPIs
 * against the spread of the simulated days of its weekday.
 */
int ccs_backtest_spread(struct ccs_fitlog *f, const struct ccs_scenario *fitted,
                        const struct ccs_backtest_opts *o, struct ccs_backtest **out,
                        struct ccs_diag *d)
{
    if (f == NULL || fitted == NULL || out == NULL)
        return ccs_diag_at(d, CCS_EINVAL, NULL, 0, 0, "invalid argument");
    *out = NULL;
    size_t ndi = (size_t)lround(CCS_DAY / fitted->interval);
    if (fitted->n_intervals < 7 * ndi || fitted->start_day != 0)
        return ccs_diag_at(d, CCS_EINVAL, fitted->origin, 0, 0,
                           "the fitted scenario must run a week from Monday");
    struct ccs_backtest *b = ccs_calloc(1, sizeof *b);
    if (b == NULL)
        return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    b->n = f->n_days;
    b->ni = 0;
    b->fitted = true;
    b->rule = f->o.rule;
    b->interval = f->interval;
    b->start_time = f->scs[0]->start_time;
    b->reps = o && o->replications ? o->replications : 20;
    b->d = ccs_calloc(b->n, sizeof *b->d);
    double *days = ccs_calloc((size_t)b->reps * 7 * 3, sizeof *days); /* rep x weekday x kpi */
    if (b->d == NULL || days == NULL) {
        free(days);
        ccs_backtest_free(b);
        return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    }
    uint64_t seed = o && o->seed ? o->seed : ccs_scenario_seed(fitted);
    double *vals = NULL;
    size_t nv = 0;
    int rc = run_values(&fitted, &seed, 1, b->reps, o ? o->jobs : 0, &vals, &nv, d);
    if (rc) {
        free(days);
        ccs_backtest_free(b);
        return rc;
    }
    const struct ccs_layout *l = ccs_scenario_layout(fitted);
    for (uint32_t r = 0; r < b->reps; r++)
        for (int wd = 0; wd < 7; wd++) {
            const double *x0 = vals + (size_t)r * nv;
            double off = 0, ab = 0, ans = 0, asa = 0, sl = 0;
            for (size_t i = (size_t)wd * ndi; i < (size_t)(wd + 1) * ndi; i++) {
                long ko = ccs_layout_find(l, CCS_SCOPE_OVERALL, CCS_KPI_offered, -1, -1, -1, (int)i);
                long ka = ccs_layout_find(l, CCS_SCOPE_OVERALL, CCS_KPI_abandoned, -1, -1, -1, (int)i);
                long kn = ccs_layout_find(l, CCS_SCOPE_OVERALL, CCS_KPI_answered, -1, -1, -1, (int)i);
                long kq = ccs_layout_find(l, CCS_SCOPE_OVERALL, CCS_KPI_asa, -1, -1, -1, (int)i);
                long ks = ccs_layout_find(l, CCS_SCOPE_OVERALL, CCS_KPI_service_level, -1, -1, -1, (int)i);
                if (ko < 0 || ka < 0 || kn < 0 || kq < 0 || ks < 0)
                    continue;
                double vo = x0[ko], vn = x0[kn];
                off += vo;
                ab += x0[ka];
                ans += vn;
                if (vn > 0 && !isnan(x0[kq]))
                    asa += vn * x0[kq];
                if (vo > 0 && !isnan(x0[ks]))
                    sl += vo * x0[ks];
            }
            double *x = days + ((size_t)r * 7 + (size_t)wd) * 3;
            x[0] = off > 0 ? ab / off : NAN;
            x[1] = ans > 0 ? asa / ans : NAN;
            x[2] = off > 0 ? sl / off : NAN;
        }
    free(vals);
    static const enum ccs_bt_kpi kk[3] = {CCS_BT_ABANDON, CCS_BT_ASA, CCS_BT_SL};
    double *v = ccs_malloc(b->reps * sizeof *v);
    for (size_t k = 0; k < b->n && v != NULL; k++) {
        const struct ccs_scenario *sc = f->scs[k];
        struct ccs__bt_day *day = &b->d[k];
        snprintf(day->date, sizeof day->date, "%s", sc->dated ? sc->date_text : "undated");
        day->weekday = sc->start_day;
        day->v = ccs_malloc(CCS_BT_KPI_COUNT * 4 * sizeof *day->v);
        if (day->v == NULL)
            break;
        for (size_t i = 0; i < CCS_BT_KPI_COUNT * 4; i++)
            day->v[i] = NAN;
        /* observed whole-day values: the replay mode's observe() needs b->ni slots */
        size_t ni = b->ni;
        b->ni = f->ni;
        double *keep = day->v;
        day->v = ccs_malloc((f->ni + 1) * CCS_BT_KPI_COUNT * 4 * sizeof *day->v);
        if (day->v == NULL) {
            day->v = keep;
            b->ni = ni;
            break;
        }
        observe(sc, b, k);
        for (int j = 0; j < CCS_BT_KPI_COUNT; j++)
            keep[j * 4] = day->v[j * 4];
        free(day->v);
        day->v = keep;
        b->ni = ni;
        for (int j = 0; j < 3; j++) {
            size_t m = 0;
            double sum = 0;
            for (uint32_t r = 0; r < b->reps; r++) {
                double x = days[((size_t)r * 7 + (size_t)day->weekday) * 3 + (size_t)j];
                if (!isnan(x)) {
                    v[m++] = x;
                    sum += x;
                }
            }
            qsort(v, m, sizeof *v, cmp_d);
            double *sl = day->v + kk[j] * 4;
            sl[1] = m ? sum / (double)m : NAN;
            sl[2] = quantile(v, m, 0.025);
            sl[3] = quantile(v, m, 0.975);
        }
    }
    bool oom = v == NULL;
    for (size_t k = 0; k < b->n && !oom; k++)
        oom = b->d[k].v == NULL;
    free(v);
    free(days);
    if (oom) {
        ccs_backtest_free(b);
        return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    }
    *out = b;
    return 0;
}

/* --- the memory a backtest needs ----------------------------- */

/*
 * Bytes of n scenarios' backtest with reps replications each on jobs
 * threads: per scenario its summary and every replication's values (the
 * backtest keeps them all, for the 95% ranges), and the simulations held at
 * once: one per running task, as many as threads (at most the reps window
 * times n).
 */
static void need_of(const struct ccs_scenario *const *scs, size_t n, uint32_t reps,
                    unsigned jobs, struct ccs_backtest_size *z)
{
    struct ccs__reps r = {reps, n > UINT32_MAX ? UINT32_MAX : (uint32_t)n, jobs, NULL, NULL, NULL};
    uint64_t tasks = (uint64_t)ccs__reps_window(&r) * (n ? n : 1);
    unsigned threads = ccs__pool_threads(jobs);
    z->sims = tasks < threads ? (unsigned)tasks : threads;
    if (z->sims == 0)
        z->sims = 1;
    double per_max = 0, total = 0;
    z->dates = n;
    z->results = 0;
    for (size_t k = 0; k < n; k++) {
        double one = ccs_run_memory_estimate(scs[k], 1, false),
               two = ccs_run_memory_estimate(scs[k], 2, false);
        double per = two - one, nv = (double)ccs_scenario_layout(scs[k])->n;
        total += (one - per) + (double)reps * nv * sizeof(double);
        per_max = per > per_max ? per : per_max;
        if (ccs_scenario_layout(scs[k])->n > z->results)
            z->results = ccs_scenario_layout(scs[k])->n;
    }
    z->bytes = total + z->sims * per_max;
}

int ccs_backtest_memory_estimate(struct ccs_fitlog *f, const struct ccs_scenario *fitted,
                                 const struct ccs_backtest_opts *o, struct ccs_backtest_size *z,
                                 struct ccs_diag *d)
{
    if (f == NULL || z == NULL)
        return ccs_diag_at(d, CCS_EINVAL, NULL, 0, 0, "invalid argument");
    memset(z, 0, sizeof *z);
    uint32_t reps = o && o->replications ? o->replications : 20;
    unsigned jobs = o ? o->jobs : 0;
    if (fitted != NULL) {
        need_of(&fitted, 1, reps, jobs, z);
        return 0;
    }
    int rc = 0;
    struct ccs_scenario **ds = ccs_calloc(f->n_days ? f->n_days : 1, sizeof *ds);
    if (ds == NULL)
        return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t k = 0; k < f->n_days && rc == 0; k++)
        rc = derive_day(f, k, &ds[k], d);
    if (rc == 0)
        need_of((const struct ccs_scenario *const *)ds, f->n_days, reps, jobs, z);
    for (size_t k = 0; k < f->n_days; k++)
        ccs_scenario_free(ds[k]);
    free(ds);
    return rc;
}

void ccs_backtest_free(struct ccs_backtest *b)
{
    if (b == NULL)
        return;
    for (size_t k = 0; k < b->n; k++)
        free(b->d[k].v);
    free(b->d);
    free(b);
}

size_t ccs_backtest_dates(const struct ccs_backtest *b)
{
    return b ? b->n : 0;
}

bool ccs_backtest_value(const struct ccs_backtest *b, size_t i, int interval, enum ccs_bt_kpi k,
                        double *obs, double *sim, double *lo, double *hi)
{
    if (b == NULL || i >= b->n || interval < -1 || interval >= (int)b->ni || k >= CCS_BT_KPI_COUNT)
        return false;
    const double *v = slot(b, i, interval, k);
    if (obs)
        *obs = v[0];
    if (sim)
        *sim = v[1];
    if (lo)
        *lo = v[2];
    if (hi)
        *hi = v[3];
    return true;
}

static const double target_band[CCS_BT_KPI_COUNT] = {0.02, 10, 0.05, 10};

struct ccs_bt_error ccs_backtest_error(const struct ccs_backtest *b, enum ccs_bt_kpi k)
{
    struct ccs_bt_error e = {NAN, NAN, NAN, NAN};
    if (b == NULL || k >= CCS_BT_KPI_COUNT)
        return e;
    double bias = 0, mae = 0, in = 0, within = 0;
    size_t n = 0;
    for (size_t i = 0; i < b->n; i++) {
        const double *v = slot(b, i, -1, k);
        if (isnan(v[0]) || isnan(v[1]))
            continue;
        double err = v[1] - v[0];
        bias += err;
        mae += fabs(err);
        in += v[0] >= v[2] && v[0] <= v[3];
        within += fabs(err) <= target_band[k] + 1e-12;
        n++;
    }
    if (n == 0)
        return e;
    e.bias = bias / (double)n;
    e.mae = mae / (double)n;
    e.inside = in / (double)n;
    e.within = within / (double)n;
    return e;
}

void ccs_backtest_print(const struct ccs_backtest *b, FILE *out)
{
    static const char *const wd[7] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    if (b->fitted)
        fprintf(out,
                "backtest of the fitted scenario: %zu dates against the spread of %u simulated "
                "weeks (generated arrivals; rule '%s')\n",
                b->n, b->reps, ccs_avail_rule_name(b->rule));
    else
        fprintf(out,
                "backtest: %zu dates replayed with their own contacts and inferred availability "
                "(rule '%s'), %u replications each\n",
                b->n, ccs_avail_rule_name(b->rule), b->reps);
    fprintf(out, "%-14s %7s  %-23s  %-23s  %-23s  %-23s\n", "date", "offered",
            "abandon % obs  sim", "ASA s obs  sim", "SL % obs  sim", "mean wait s obs  sim");
    for (size_t i = 0; i < b->n; i++) {
        const struct ccs__bt_day *d = &b->d[i];
        fprintf(out, "%-10s %s %7zu", d->date, wd[d->weekday % 7], d->offered);
        for (int k = 0; k < CCS_BT_KPI_COUNT - (b->fitted ? 1 : 0); k++) {
            const double *v = slot(b, i, -1, (enum ccs_bt_kpi)k);
            double m = (k == CCS_BT_ABANDON || k == CCS_BT_SL) ? 100 : 1;
            fprintf(out, "  %6.1f %6.1f%c%-8s", m * v[0], m * v[1],
                    v[0] >= v[2] && v[0] <= v[3] ? ' ' : '*', "");
        }
        fputc('\n', out);
    }
    fputs(b->fitted ? "(* : the observed day lies outside the 95% range of the simulated days of "
                      "its weekday)\n"
                    : "(* : the observed value lies outside the replications' 95% range)\n",
          out);
    fputs("error, simulated - observed, over the dates:\n", out);
    fprintf(out, "  %-14s %9s %9s %18s %22s\n", "kpi", "bias", "MAE", "inside 95% range",
            "within target band");
    static const char *const label[] = {"abandon %", "ASA s", "SL %", "mean wait s"};
    static const char *const band[] = {"2 points", "10 s", "5 points", "10 s"};
    for (int k = 0; k < CCS_BT_KPI_COUNT - (b->fitted ? 1 : 0); k++) {
        struct ccs_bt_error e = ccs_backtest_error(b, (enum ccs_bt_kpi)k);
        double m = (k == CCS_BT_ABANDON || k == CCS_BT_SL) ? 100 : 1;
        fprintf(out, "  %-14s %+9.2f %9.2f %17.0f%% %12.0f%% (%s)\n", label[k], m * e.bias,
                m * e.mae, 100 * e.inside, 100 * e.within, band[k]);
    }
}

int ccs_backtest_write_csv(const struct ccs_backtest *b, FILE *out)
{
    fputs("date,interval,kpi,observed,simulated,lo,hi\n", out);
    for (size_t i = 0; i < b->n; i++)
        for (int iv = -1; iv < (int)b->ni; iv++)
            for (int k = 0; k < CCS_BT_KPI_COUNT; k++) {
                const double *v = slot(b, i, iv, (enum ccs_bt_kpi)k);
                char ivs[48];
                if (iv < 0) {
                    snprintf(ivs, sizeof ivs, "day");
                } else {
                    ccs__clock(ivs, sizeof ivs, b->start_time + iv * b->interval,
                               CCS_CLK_FLOOR);
                }
                if (iv >= 0 && isnan(v[0]) && isnan(v[1]))
                    continue;
                fprintf(out, "%s,%s,%s,%.6g,%.6g,%.6g,%.6g\n", b->d[i].date, ivs,
                        ccs_bt_kpi_name((enum ccs_bt_kpi)k), v[0], v[1], v[2], v[3]);
            }
    return ferror(out) ? CCS_EIO : 0;
}

/* --- backtest.csv read back ----------------------------------------------------------- */

/* The next comma-separated field of *s (NUL-terminated in place), or NULL. */
static char *field(char **s)
{
    if (*s == NULL)
        return NULL;
    char *f = *s, *c = strchr(f, ',');
    if (c != NULL) {
        *c = '\0';
        *s = c + 1;
    } else {
        f[strcspn(f, "\r\n")] = '\0';
        *s = NULL;
    }
    return f;
}

static bool number(const char *s, double *v)
{
    char *end;
    if (s == NULL || *s == '\0')
        return false;
    *v = strtod(s, &end);
    return *end == '\0';
}

int ccs_backtest_load(const char *path, struct ccs_backtest **out, struct ccs_diag *d)
{
    if (path == NULL || out == NULL)
        return ccs_diag_at(d, CCS_EINVAL, NULL, 0, 0, "invalid argument");
    *out = NULL;
    char file[4096];
    FILE *f = fopen(path, "r");
    snprintf(file, sizeof file, "%s", path);
    if (f != NULL) {
        /* a folder opens too: read the backtest.csv inside it */
        char c;
        if (fread(&c, 1, 1, f) == 0 && ferror(f)) {
            fclose(f);
            f = NULL;
            if (snprintf(file, sizeof file, "%s/backtest.csv", path) < (int)sizeof file)
                f = fopen(file, "r");
        } else {
            rewind(f);
        }
    }
    if (f == NULL)
        return ccs_diag_at(d, CCS_EIO, file, 0, 0, "cannot read the backtest: %s",
                           strerror(errno));
    struct ccs_backtest *b = ccs_calloc(1, sizeof *b);
    if (b == NULL) {
        fclose(f);
        return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    }
    b->reps = 0;
    b->interval = NAN;
    char line[1024];
    int rc = 0;
    size_t cap = 0;
    int lineno = 0;
    while (rc == 0 && fgets(line, sizeof line, f) != NULL) {
        lineno++;
        if (lineno == 1) {
            if (strncmp(line, "date,interval,kpi,observed,simulated,lo,hi", 42) != 0)
                rc = ccs_diag_at(d, CCS_EPARSE, file, 1, 1,
                                 "not a backtest.csv: expected the header "
                                 "'date,interval,kpi,observed,simulated,lo,hi'");
            continue;
        }
        char *s = line;
        char *date = field(&s), *iv = field(&s), *kpi = field(&s);
        double v[4];
        bool ok = kpi != NULL;
        for (int i = 0; i < 4 && ok; i++)
            ok = number(field(&s), &v[i]);
        if (!ok || s != NULL) {
            rc = ccs_diag_at(d, CCS_EPARSE, file, lineno, 1,
                             "expected 7 fields: date, interval, kpi and 4 numbers");
            break;
        }
        if (strcmp(iv, "day") != 0)
            continue; /* the intervals' rows: the errors are over whole days */
        int k = 0;
        while (k < CCS_BT_KPI_COUNT && strcmp(kpi, ccs_bt_kpi_name((enum ccs_bt_kpi)k)) != 0)
            k++;
        if (k == CCS_BT_KPI_COUNT) {
            rc = ccs_diag_at(d, CCS_EPARSE, file, lineno, (int)(kpi - line) + 1,
                             "unknown kpi '%s' (known: abandon_rate, asa, service_level, "
                             "mean_wait)",
                             kpi);
            break;
        }
        if (strlen(date) >= sizeof b->d[0].date) {
            rc = ccs_diag_at(d, CCS_EPARSE, file, lineno, 1, "date '%.40s' too long", date);
            break;
        }
        if (b->n == 0 || strcmp(b->d[b->n - 1].date, date) != 0) {
            if (b->n == cap) {
                size_t nc = cap ? 2 * cap : 32;
                struct ccs__bt_day *nd = ccs_realloc(b->d, nc * sizeof *nd);
                if (nd == NULL) {
                    rc = ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
                    break;
                }
                b->d = nd;
                cap = nc;
            }
            struct ccs__bt_day *day = &b->d[b->n];
            memset(day, 0, sizeof *day);
            memcpy(day->date, date, strlen(date) + 1);
            day->weekday = 0;
            day->v = ccs_malloc(CCS_BT_KPI_COUNT * 4 * sizeof *day->v);
            if (day->v == NULL) {
                rc = ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
                break;
            }
            b->n++;
            for (size_t i = 0; i < CCS_BT_KPI_COUNT * 4; i++)
                day->v[i] = NAN;
        }
        memcpy(slot(b, b->n - 1, -1, (enum ccs_bt_kpi)k), v, sizeof v);
    }
    if (rc == 0 && ferror(f))
        rc = ccs_diag_at(d, CCS_EIO, file, 0, 0, "cannot read the backtest");
    fclose(f);
    if (rc == 0 && b->n == 0)
        rc = ccs_diag_at(d, CCS_ERANGE, file, 0, 0, "the backtest has no dates ('day' rows)");
    if (rc) {
        ccs_backtest_free(b);
        return rc;
    }
    *out = b;
    return 0;
}
