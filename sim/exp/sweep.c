/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * sweep.c - the sweep's scheduler and statistics. Tasks are (point,
 * replication); results may come back in any order from any thread or rank,
 * and are stored by replication number. A point is decided only from its
 * replications 0..n-1 (and the baseline's), so what it reports never
 * depends on the order of arrival: with a fixed count it is finished when
 * all are in; with precision targets, counts n = start, start+1, ... are
 * checked in order and the first that meets every target is its stopping
 * count (compare's sequential rule), however many replications were run
 * ahead speculatively. Statistics come from ccs_compare_from_values.
 */
#include "ccs/sweep.h"
#include "core/grow.h"

#include "core/stats.h"
#include "exp/channels.h"
#include "exp/sweep.h"
#include "fmt/ydoc.h"
#include "model/scenario.h"
#include "ccs/mem.h"

#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* --- order and state ---------------------------------------------------------------- */

size_t ccs__sweep_order(const struct ccs_sweep *s, size_t i)
{
    if (s->dz->baseline < 0)
        return i;
    if (i == 0)
        return (size_t)s->dz->baseline;
    return i <= (size_t)s->dz->baseline ? i - 1 : i;
}

static bool paired(const struct ccs_sweep *s) { return s->dz->baseline >= 0; }

static struct ccs__sweep_point *base_point(struct ccs_sweep *s)
{
    return paired(s) ? &s->points[s->dz->baseline] : NULL;
}

/* Points other than the baseline still to decide. */
static size_t others_open(const struct ccs_sweep *s)
{
    size_t open = s->dz->n_points - s->n_recorded;
    if (paired(s) && !s->points[s->dz->baseline].recorded)
        open--;
    return open;
}

/* Does the baseline still have replications to run (its own or for pairing)? */
static bool baseline_active(const struct ccs_sweep *s)
{
    return paired(s) && (!s->points[s->dz->baseline].recorded || others_open(s) > 0);
}

/* Point p as designed. */
static const struct ccs_design_point *def(const struct ccs_sweep *s, size_t p)
{
    return &s->dz->points[p];
}

static size_t n_whole(const struct ccs_sweep *s, size_t p) { return def(s, p)->sc->layout->n_whole; }

/* The baseline needs every replication any open point needs, and its own. */
static void baseline_need(struct ccs_sweep *s)
{
    struct ccs__sweep_point *b = base_point(s);
    if (b == NULL)
        return;
    uint32_t need = s->dz->replications;
    for (size_t p = 0; p < s->dz->n_points; p++) {
        const struct ccs__sweep_point *pt = &s->points[p];
        if ((long)p == s->dz->baseline)
            continue;
        uint32_t n = pt->recorded ? (b->recorded ? 0 : pt->final) : pt->need;
        if (n > need)
            need = n;
    }
    if (need > b->need)
        b->need = need;
}

/* Advance lo past recorded points (the baseline is handled apart). */
static void advance_lo(struct ccs_sweep *s)
{
    while (s->lo < s->dz->n_points) {
        size_t p = ccs__sweep_order(s, s->lo);
        if ((long)p != s->dz->baseline && !s->points[p].recorded)
            break;
        s->lo++;
    }
}

void ccs__sweep_point_drop(struct ccs__sweep_point *pt)
{
    free(pt->rows);
    free(pt->rep_vals);
    free(pt->int_stats);
    pt->rows = NULL;
    pt->rep_vals = pt->int_stats = NULL;
}

void ccs__sweep_point_reset(struct ccs__sweep_point *pt)
{
    free(pt->got);
    free(pt->vals);
    free(pt->ivals);
    ccs__sweep_point_drop(pt);
    pt->got = NULL;
    pt->vals = pt->ivals = NULL;
    pt->n_rows = pt->n_ch_rows = 0;
    pt->rows_cap = 0;
    pt->at = -1;
    pt->recorded = pt->resumed = false;
}

size_t ccs__sweep_interval_width(const struct ccs_sweep *s, size_t p)
{
    const struct ccs_layout *l = def(s, p)->sc->layout;
    return (s->outputs & CCS_SWEEP_OUT_INTERVALS) ? l->n - l->n_whole : 0;
}

/*
 * What a point's derived scenario holds: its YAML copy (measured: the
 * clone's bytes), its trace records, its result keys (the layout: one per
 * whole-run value and one per value of an interval), its queue and group
 * definitions, and the rest, calibrated on the shipped scenarios (2,000
 * points each) and two large centers (peak RSS of the prepared sweep;
 * docs/sweep.md): 16 KiB, 64 bytes per skill, 2 per interval. Nothing
 * grows with queues x groups: a center of 1,000 of each holds about 5 MiB
 * a point.
 */
static double scenario_bytes(const struct ccs_scenario *sc)
{
    double b = sc->doc != NULL ? (double)ccs__ydoc_bytes(sc->doc) : 64.0 * 1024;
    double skills = 0;
    for (size_t q = 0; q < sc->n_queues; q++)
        b += (double)sc->queues[q].arrivals.n_trace * sizeof(struct ccs_trace_rec);
    for (size_t g = 0; g < sc->n_groups; g++)
        skills += (double)sc->groups[g].n_skills;
    const struct ccs_layout *l = sc->layout;
    double keys = l != NULL ? (double)(l->n_whole + l->n_block) : 0;
    return b + 16.0 * 1024 + 64.0 * skills + keys * sizeof(struct ccs_key) +
           (double)sc->n_queues * sizeof(struct ccs_queue_def) +
           (double)sc->n_groups * sizeof(struct ccs_group_def) + 2.0 * sc->n_intervals;
}

double ccs_sweep_memory_estimate(const struct ccs_design *dz, unsigned threads, bool journal,
                                 unsigned outputs)
{
    const double per_point = sizeof(struct ccs__sweep_point) + 16;
    double total = 0, run = 0, flight = 0;
    uint32_t reps = dz->max_replications > dz->replications ? dz->max_replications
                                                             : dz->replications;
    for (size_t p = 0; p < dz->n_points; p++) {
        const struct ccs_scenario *sc = dz->points[p].sc;
        const struct ccs_layout *l = sc->layout;
        double nw = (double)l->n_whole, ni = (double)(l->n - l->n_whole);
        bool ints = (outputs & CCS_SWEEP_OUT_INTERVALS) != 0;
        /* one point's replication values while it runs */
        double vals = (double)reps * (nw + (ints ? ni : 0)) * sizeof(double);
        /* its result: rows, and the outputs asked for */
        double result = nw * sizeof(struct ccs__sweep_rec_row) + (ints ? 2 * ni * 8 : 0) +
                        ((outputs & CCS_SWEEP_OUT_REPLICATIONS) ? (double)reps * nw * 8 : 0);
        total += scenario_bytes(sc) + per_point + dz->n_targets * 8.0;
        if (!journal)
            total += vals + result;
        else if (vals + result > flight)
            flight = vals + result;
        double r = ccs_run_memory_estimate(sc, 1, false);
        if (r > run)
            run = r;
    }
    /* with a journal: the points in flight (about 2 per thread) and the baseline */
    unsigned th = threads ? threads : 1;
    if (journal)
        total += (2.0 * th + 2) * flight;
    return total + th * run;
}

double ccs_sweep_output_estimate(const struct ccs_design *dz, unsigned outputs)
{
    /* bytes, measured on default.yaml: a KPI row of sweep.csv and sweep.json
       together, a value of the raw files (10 digits or fewer, and a comma) */
    const double kpi_row = 300, value = 10;
    double total = 0;
    uint32_t reps = dz->max_replications > dz->replications ? dz->max_replications
                                                             : dz->replications;
    for (size_t p = 0; p < dz->n_points; p++) {
        const struct ccs_layout *l = dz->points[p].sc->layout;
        double nw = (double)l->n_whole, cols = (double)dz->n_columns * 8;
        total += nw * (kpi_row + 2 * cols);
        if (outputs & CCS_SWEEP_OUT_REPLICATIONS)
            total += (double)reps * (nw * value + cols + 16);
        if (outputs & CCS_SWEEP_OUT_INTERVALS)
            total += (double)(l->n - l->n_whole) * 2 * value + l->n_intervals * (cols + 32);
    }
    return total;
}

int ccs_sweep_new(const struct ccs_design *dz, struct ccs_sweep **out, struct ccs_diag *d)
{
    *out = NULL;
    struct ccs_sweep *s = ccs_calloc(1, sizeof *s);
    if (s == NULL)
        return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    s->dz = dz;
    s->points = ccs_calloc(dz->n_points ? dz->n_points : 1, sizeof *s->points);
    if (s->points == NULL) {
        free(s);
        return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    }
    s->cache = ccs_calloc(1, sizeof *s->cache);
    if (s->cache == NULL || (dz->n_targets > 0 &&
                             (s->cache->achieved = ccs_malloc(dz->n_targets * sizeof(double))) ==
                                 NULL)) {
        ccs_sweep_free(s);
        return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    }
    s->cache->point = -1;
    for (size_t p = 0; p < dz->n_points; p++)
        s->points[p].at = -1;
    for (size_t p = 0; p < dz->n_points; p++) {
        struct ccs__sweep_point *pt = &s->points[p];
        pt->need = dz->replications;
        if (dz->n_targets > 0 &&
            (pt->achieved = ccs_malloc(dz->n_targets * sizeof *pt->achieved)) == NULL) {
            ccs_sweep_free(s);
            return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
        }
        if (dz->points[p].sc->layout->n > s->run_size)
            s->run_size = dz->points[p].sc->layout->n;
    }
    baseline_need(s);
    advance_lo(s);
    *out = s;
    return 0;
}

void ccs_sweep_free(struct ccs_sweep *s)
{
    if (s == NULL)
        return;
    if (s->journal != NULL)
        fclose(s->journal);
    free(s->journal_path);
    for (size_t p = 0; p < s->dz->n_points; p++) {
        ccs__sweep_point_reset(&s->points[p]);
        free(s->points[p].achieved);
    }
    free(s->points);
    if (s->cache != NULL) {
        free(s->cache->rows);
        free(s->cache->rep_vals);
        free(s->cache->int_stats);
        free(s->cache->achieved);
        if (s->cache->rd != NULL)
            fclose(s->cache->rd);
        free(s->cache);
    }
    free(s->scratch_a);
    free(s->scratch_b);
    free(s);
}

void ccs__sweep_after_resume(struct ccs_sweep *s)
{
    baseline_need(s);
    advance_lo(s);
}

/* --- scheduler -------------------------------------------------------------------------- */

bool ccs_sweep_finished(const struct ccs_sweep *s) { return s->n_recorded == s->dz->n_points; }

int ccs_sweep_next(struct ccs_sweep *s, struct ccs_sweep_task *t)
{
    if (ccs_sweep_finished(s))
        return CCS_SWEEP_DONE;
    struct ccs__sweep_point *b = base_point(s);
    if (b != NULL && baseline_active(s) && b->issued < b->need) {
        t->point = (uint32_t)s->dz->baseline;
        t->rep = b->issued++;
        return CCS_SWEEP_TASK;
    }
    for (size_t i = s->lo; i < s->dz->n_points; i++) {
        size_t p = ccs__sweep_order(s, i);
        struct ccs__sweep_point *pt = &s->points[p];
        if ((long)p == s->dz->baseline || pt->recorded || pt->issued >= pt->need)
            continue;
        t->point = (uint32_t)p;
        t->rep = pt->issued++;
        return CCS_SWEEP_TASK;
    }
    return CCS_SWEEP_WAIT;
}

static int ensure_rows(struct ccs__sweep_point *pt, size_t n_whole_keys, size_t n_int,
                       uint32_t rows)
{
    if (rows <= pt->rows_cap)
        return 0;
    /* two (three) arrays of rows_cap rows each: all grow to the same doubling */
    size_t nw = n_whole_keys ? n_whole_keys : 1;
    size_t cg = pt->rows_cap, cv = pt->rows_cap, ci = pt->rows_cap;
    if (ccs__grow(&pt->got, &cg, rows, sizeof *pt->got) != 0)
        return CCS_ENOMEM;
    memset(pt->got + pt->rows_cap, 0, cg - pt->rows_cap);
    if (ccs__grow(&pt->vals, &cv, rows, nw * sizeof *pt->vals) != 0)
        return CCS_ENOMEM; /* got keeps its extra room, zeroed: harmless */
    if (n_int > 0 && ccs__grow(&pt->ivals, &ci, rows, n_int * sizeof *pt->ivals) != 0)
        return CCS_ENOMEM;
    if (n_int == 0)
        ci = cv;
    pt->rows_cap = cg < cv ? cg : cv;
    if (ci < pt->rows_cap)
        pt->rows_cap = ci;
    return 0;
}

static int scratch(struct ccs_sweep *s, size_t n)
{
    if (n <= s->scratch_cap)
        return 0;
    size_t ca = s->scratch_cap, cb = s->scratch_cap;
    if (CCS_GROW(s->scratch_a, ca, n) != 0 || CCS_GROW(s->scratch_b, cb, n) != 0)
        return CCS_ENOMEM;
    s->scratch_cap = ca < cb ? ca : cb;
    return 0;
}

/* Student-t half-width of x[0..n) (as compare's); NaN with fewer than 2. */
static double halfwidth(const double *x, size_t n, double level)
{
    if (n < 2)
        return NAN;
    double mean = gsl_stats_mean(x, 1, n);
    double var = gsl_stats_variance_m(x, 1, n, mean);
    return var > 0 ? ccs__t_quantile(0.5 + level / 2.0, (double)(n - 1)) * sqrt(var / (double)n)
                   : 0.0;
}

/* The half-width target t reaches at count n: of p's mean, or of its paired difference. */
static double achieved(struct ccs_sweep *s, size_t p, size_t t, uint32_t n)
{
    const struct ccs__sweep_point *pt = &s->points[p], *b = base_point(s);
    size_t m = 0, nw = n_whole(s, p), k = (size_t)def(s, p)->target_keys[t];
    size_t bw = b != NULL ? n_whole(s, (size_t)s->dz->baseline) : 0;
    size_t bk = b != NULL ? (size_t)def(s, (size_t)s->dz->baseline)->target_keys[t] : 0;
    for (uint32_t r = 0; r < n; r++) {
        double x = pt->vals[(size_t)r * nw + k];
        if (b != NULL) {
            double y = b->vals[(size_t)r * bw + bk];
            x = isnan(x) || isnan(y) ? NAN : x - y;
        }
        if (!isnan(x))
            s->scratch_a[m++] = x;
    }
    return halfwidth(s->scratch_a, m, s->dz->level);
}

/* Are all targets met at count n? Fills p's achieved half-widths. */
static bool targets_met(struct ccs_sweep *s, size_t p, uint32_t n)
{
    struct ccs__sweep_point *pt = &s->points[p];
    bool all = true;
    for (size_t t = 0; t < s->dz->n_targets; t++) {
        pt->achieved[t] = achieved(s, p, t, n);
        all = all && pt->achieved[t] <= s->dz->targets[t].halfwidth; /* NaN: not met */
    }
    return all;
}

/* Free a point's replication values. */
static void free_values(struct ccs__sweep_point *pt)
{
    free(pt->vals);
    free(pt->ivals);
    free(pt->got);
    pt->vals = pt->ivals = NULL;
    pt->got = NULL;
    pt->rows_cap = 0;
}

/* The optional outputs of point p from its first `final` replications. */
static int keep_outputs(struct ccs_sweep *s, size_t p)
{
    struct ccs__sweep_point *pt = &s->points[p];
    size_t nw = n_whole(s, p), ni = ccs__sweep_interval_width(s, p);
    if (s->outputs & CCS_SWEEP_OUT_REPLICATIONS) {
        free(pt->rep_vals);
        if ((pt->rep_vals = ccs_malloc(((size_t)pt->final * nw + 1) * sizeof(double))) == NULL)
            return CCS_ENOMEM;
        memcpy(pt->rep_vals, pt->vals, (size_t)pt->final * nw * sizeof(double));
    }
    if (ni > 0) {
        free(pt->int_stats);
        if ((pt->int_stats = ccs_malloc(2 * ni * sizeof(double))) == NULL ||
            scratch(s, pt->final) != 0)
            return CCS_ENOMEM;
        for (size_t j = 0; j < ni; j++) {
            size_t m = 0;
            for (uint32_t r = 0; r < pt->final; r++) {
                double x = pt->ivals[(size_t)r * ni + j];
                if (!isnan(x))
                    s->scratch_a[m++] = x;
            }
            pt->int_stats[2 * j] = m > 0 ? gsl_stats_mean(s->scratch_a, 1, m) : NAN;
            pt->int_stats[2 * j + 1] = halfwidth(s->scratch_a, m, s->dz->level);
        }
    }
    return 0;
}

static int record(struct ccs_sweep *s, size_t p, uint32_t final, bool met, struct ccs_diag *d)
{
    struct ccs__sweep_point *pt = &s->points[p];
    pt->final = final;
    pt->met = met;
    int rc = ccs__sweep_finish_point(s, p, d);
    if (rc == 0 && keep_outputs(s, p) != 0)
        rc = ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    if (rc != 0)
        return rc;
    pt->recorded = true;
    s->n_recorded++;
    if (s->journal != NULL) {
        /* the record is on disk: keep only what the summary needs in memory */
        if ((rc = ccs__sweep_journal_append(s, p, d)) != 0)
            return rc;
        ccs__sweep_point_drop(pt);
    }
    /* its values are no longer needed (the baseline's while others pair with it) */
    if ((long)p != s->dz->baseline)
        free_values(pt);
    struct ccs__sweep_point *b = base_point(s);
    if (b != NULL && !baseline_active(s))
        free_values(b);
    advance_lo(s);
    return 0;
}

/* Decide point p (not the baseline) as far as its replications in allow. */
static int check_point(struct ccs_sweep *s, size_t p, struct ccs_diag *d)
{
    struct ccs__sweep_point *pt = &s->points[p], *b = base_point(s);
    if (pt->recorded)
        return 0;
    uint32_t avail = pt->contig;
    if (b != NULL && b->contig < avail)
        avail = b->contig;
    if (s->dz->n_targets == 0)
        return avail >= pt->need ? record(s, p, pt->need, true, d) : 0;
    if (scratch(s, avail) != 0)
        return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    while (pt->checked < avail) {
        uint32_t n = ++pt->checked;
        if (n < s->dz->replications)
            continue;
        if (targets_met(s, p, n))
            return record(s, p, n, true, d);
        if (n >= s->dz->max_replications)
            return record(s, p, n, false, d);
    }
    if (pt->checked < pt->need)
        return 0;
    /* not met yet: ask for more, by the squared half-width ratio (n ~ 1/hw^2) */
    double ratio = 0;
    for (size_t t = 0; t < s->dz->n_targets; t++) {
        double r = pt->achieved[t] / s->dz->targets[t].halfwidth;
        ratio = fmax(ratio, isnan(r) ? 2.0 : r);
    }
    double want = ceil((double)pt->need * fmin(ratio * ratio, 4.0) * 1.1);
    want = fmax(want, (double)pt->need + 1.0);
    pt->need = want > (double)s->dz->max_replications ? s->dz->max_replications : (uint32_t)want;
    baseline_need(s);
    return 0;
}

/* Decide the baseline's own record when it can be. */
static int check_baseline(struct ccs_sweep *s, struct ccs_diag *d)
{
    struct ccs__sweep_point *b = base_point(s);
    if (b == NULL || b->recorded)
        return 0;
    if (s->dz->n_targets > 0 && others_open(s) > 0)
        return 0; /* it reports over the most replications any point used */
    uint32_t final = s->dz->replications;
    for (size_t p = 0; s->dz->n_targets > 0 && p < s->dz->n_points; p++)
        if ((long)p != s->dz->baseline && s->points[p].final > final)
            final = s->points[p].final;
    if (b->contig < final)
        return 0;
    if (s->dz->n_targets > 0)
        for (size_t t = 0; t < s->dz->n_targets; t++)
            b->achieved[t] = NAN; /* its difference to itself is 0 */
    return record(s, (size_t)s->dz->baseline, final, true, d);
}

int ccs_sweep_done(struct ccs_sweep *s, const struct ccs_sweep_task *t, const double *values,
                   struct ccs_diag *d)
{
    if (t->point >= s->dz->n_points)
        return ccs_diag_at(d, CCS_EINVAL, NULL, 0, 0, "no point %u", t->point);
    struct ccs__sweep_point *pt = &s->points[t->point];
    bool is_base = (long)t->point == s->dz->baseline;
    s->reps_done++;
    if (is_base ? !baseline_active(s) : pt->recorded)
        return 0; /* run ahead of a stopping count: not needed */
    size_t nw = n_whole(s, t->point), ni = ccs__sweep_interval_width(s, t->point);
    if (ensure_rows(pt, nw, ni, t->rep + 1) != 0)
        return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    if (!pt->got[t->rep]) {
        memcpy(&pt->vals[(size_t)t->rep * nw], values, nw * sizeof *values);
        if (ni > 0)
            memcpy(&pt->ivals[(size_t)t->rep * ni], values + nw, ni * sizeof *values);
        pt->got[t->rep] = 1;
    }
    while (pt->contig < pt->rows_cap && pt->got[pt->contig])
        pt->contig++;
    int rc = 0;
    if (!is_base) {
        rc = check_point(s, t->point, d);
    } else {
        /* points waiting for the baseline's replications */
        for (size_t i = s->lo; rc == 0 && i < s->dz->n_points; i++) {
            size_t p = ccs__sweep_order(s, i);
            if ((long)p != s->dz->baseline && !s->points[p].recorded)
                rc = check_point(s, p, d);
        }
    }
    if (rc == 0)
        rc = check_baseline(s, d);
    return rc;
}

/* --- results ------------------------------------------------------------------------------- */

/* Mean and Student-t half-width at level of x[0..n) (NaN when undefined), as compare's. */
static void mean_hw(const double *x, size_t n, double level, double *mean, double *hw)
{
    *mean = n > 0 ? gsl_stats_mean(x, 1, n) : NAN;
    *hw = halfwidth(x, n, level);
}

/*
 * Point p's channel rows, after its keyed ones: per channel of its scenario
 * (order of first queue), offered and the channel's service level
 * (exp/channels.h) over its replications, and with a baseline the paired
 * difference against the baseline's same channel, as compare pairs keys.
 */
static void channel_rows(struct ccs_sweep *s, size_t p)
{
    struct ccs__sweep_point *pt = &s->points[p], *b = base_point(s);
    bool pair = b != NULL && (long)p != s->dz->baseline;
    const struct ccs_scenario *sc = def(s, p)->sc, *bsc = pair ? def(s, (size_t)s->dz->baseline)->sc : NULL;
    size_t nw = n_whole(s, p), bnw = pair ? n_whole(s, (size_t)s->dz->baseline) : 0;
    size_t K = ccs_sweep_row_scenario(s, p)->layout->n_whole;
    enum ccs_channel ch[CCS_CH_COUNT_], bch[CCS_CH_COUNT_];
    size_t n = ccs__channels_of(sc, ch, NULL), bn = pair ? ccs__channels_of(bsc, bch, NULL) : 0;
    double *x = s->scratch_a, *dx = s->scratch_b; /* room for final values (scratch()) */
    for (size_t c = 0; c < n; c++) {
        bool in_base = false;
        for (size_t i = 0; i < bn; i++)
            in_base = in_base || bch[i] == ch[c];
        for (int j = 0; j < (int)CCS__SWEEP_CH_PER; j++) {
            enum ccs_kpi kpi = j == 0 ? CCS_KPI_offered : j == 1 ? CCS_KPI_service_level : CCS_KPI_asa;
            size_t m = 0, md = 0;
            for (uint32_t r = 0; r < pt->final; r++) {
                double o, sl, bo, bsl;
                const double *pv = &pt->vals[(size_t)r * nw];
                ccs__channel_rep(sc, pv, ch[c], &o, &sl);
                double v = j == 0 ? o : j == 1 ? sl : ccs__channel_asa(sc, pv, ch[c]);
                if (isnan(v))
                    continue;
                x[m++] = v;
                if (!pair || !in_base)
                    continue;
                const double *bv = &b->vals[(size_t)r * bnw];
                ccs__channel_rep(bsc, bv, ch[c], &bo, &bsl);
                double w = j == 0 ? bo : j == 1 ? bsl : ccs__channel_asa(bsc, bv, ch[c]);
                if (!isnan(w))
                    dx[md++] = v - w;
            }
            struct ccs__sweep_rec_row *row = &pt->rows[pt->n_rows + pt->n_ch_rows++];
            row->key = (uint32_t)(K + CCS__SWEEP_CH_KEY(ch[c], j));
            row->n = (double)m;
            mean_hw(x, m, s->dz->level, &row->mean, &row->halfwidth);
            if (pair) {
                row->diff_n = (double)md;
                mean_hw(dx, md, s->dz->level, &row->diff, &row->diff_halfwidth);
                row->verdict = (uint8_t)ccs_verdict_of(ccs_kpi_info(kpi)->better, row->diff,
                                                       row->diff_halfwidth);
            } else if (b != NULL) {
                row->diff_n = row->n; /* the baseline against itself */
                row->diff = row->diff_halfwidth = 0.0;
                row->verdict = (uint8_t)CCS_VERDICT_BASELINE;
            } else {
                row->diff_n = row->diff = row->diff_halfwidth = NAN;
                row->verdict = (uint8_t)CCS_VERDICT_NA;
            }
        }
    }
}

int ccs__sweep_finish_point(struct ccs_sweep *s, size_t p, struct ccs_diag *d)
{
    struct ccs__sweep_point *pt = &s->points[p], *b = base_point(s);
    bool pair = b != NULL && (long)p != s->dz->baseline;
    struct ccs_variant v[2];
    const double *rows[2];
    size_t nv = 0, me;
    if (pair) {
        v[nv] = (struct ccs_variant){"baseline", def(s, (size_t)s->dz->baseline)->sc, NULL};
        rows[nv++] = b->vals;
    }
    me = nv;
    v[nv] = (struct ccs_variant){"point", def(s, p)->sc, NULL};
    rows[nv++] = pt->vals;
    struct ccs_compare_opts o = ccs_compare_opts_default(def(s, p)->sc);
    o.seed = def(s, p)->seed;
    o.level = s->dz->level;
    o.method = CCS_CMP_REPLICATIONS;
    struct ccs_compare *c;
    int rc = ccs_compare_from_values(v, nv, rows, pt->final, &o, &c, d);
    if (rc != 0)
        return rc;
    size_t K = ccs_compare_key_count(c);
    free(pt->rows);
    pt->n_rows = 0;
    pt->n_ch_rows = 0;
    pt->rows = ccs_malloc((K + CCS__SWEEP_CH_KEYS) * sizeof *pt->rows);
    if (pt->rows == NULL) {
        ccs_compare_free(c);
        return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    }
    for (size_t k = 0; k < K; k++) {
        struct ccs_compare_stat st;
        ccs_compare_get(c, me, k, &st);
        if (!st.present)
            continue;
        struct ccs__sweep_rec_row *r = &pt->rows[pt->n_rows++];
        r->key = (uint32_t)k;
        r->n = st.n;
        r->mean = st.mean;
        r->halfwidth = st.halfwidth;
        if (b != NULL) {
            r->diff_n = st.diff_n;
            r->diff = st.diff;
            r->diff_halfwidth = st.diff_halfwidth;
            r->verdict = (uint8_t)st.verdict;
        } else {
            r->diff_n = r->diff = r->diff_halfwidth = NAN;
            r->verdict = (uint8_t)CCS_VERDICT_NA;
        }
    }
    ccs_compare_free(c);
    if (scratch(s, pt->final) != 0)
        return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    channel_rows(s, p);
    return 0;
}

/* --- running one task ------------------------------------------------------------------------ */

size_t ccs_sweep_run_size(const struct ccs_sweep *s) { return s->run_size ? s->run_size : 1; }

size_t ccs_sweep_result_size(const struct ccs_sweep *s, size_t p)
{
    return n_whole(s, p) + ccs__sweep_interval_width(s, p);
}

int ccs_sweep_set_outputs(struct ccs_sweep *s, unsigned outputs)
{
    if (s->journal != NULL || s->reps_done > 0 || s->n_recorded > 0)
        return CCS_ESTATE;
    s->outputs = outputs & (CCS_SWEEP_OUT_REPLICATIONS | CCS_SWEEP_OUT_INTERVALS);
    return 0;
}

unsigned ccs_sweep_outputs(const struct ccs_sweep *s) { return s->outputs; }

int ccs_sweep_task_run(const struct ccs_sweep *s, const struct ccs_sweep_task *t, double *values,
                       struct ccs_diag *d)
{
    if (t->point >= s->dz->n_points)
        return ccs_diag_at(d, CCS_EINVAL, NULL, 0, 0, "no point %u", t->point);
    const struct ccs_design_point *pt = def(s, t->point);
    struct ccs_sim *sim;
    int rc = ccs_sim_new(pt->sc, pt->seed, t->rep, &sim, d);
    if (rc != 0)
        return rc;
    rc = ccs_sim_run(sim);
    if (rc != 0)
        ccs_diag_at(d, rc, pt->sc->origin, 0, 0, "point '%s', replication %u: %s", pt->name,
                    t->rep, ccs_sim_fault(sim) ? ccs_sim_fault(sim) : ccs_strerror(rc));
    else if (ccs_sim_results(sim, values) != 0)
        rc = ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    ccs_sim_free(sim);
    return rc;
}

void ccs_sweep_get_progress(const struct ccs_sweep *s, struct ccs_sweep_progress *p)
{
    memset(p, 0, sizeof *p);
    p->points = s->dz->n_points;
    p->points_done = s->n_recorded;
    p->points_resumed = s->n_resumed;
    p->reps_done = s->reps_done;
    for (size_t i = 0; i < s->dz->n_points; i++) {
        const struct ccs__sweep_point *pt = &s->points[i];
        bool active = (long)i == s->dz->baseline ? baseline_active(s) : !pt->recorded;
        if (active && pt->need > pt->contig)
            p->reps_left += pt->need - pt->contig;
    }
}

/* --- accessors ------------------------------------------------------------------------------ */

const struct ccs_design *ccs_sweep_design(const struct ccs_sweep *s) { return s->dz; }
size_t ccs_sweep_point_count(const struct ccs_sweep *s) { return s->dz->n_points; }
const char *ccs_sweep_point_name(const struct ccs_sweep *s, size_t p) { return def(s, p)->name; }

const struct ccs_scenario *ccs_sweep_point_scenario(const struct ccs_sweep *s, size_t p)
{
    return def(s, p)->sc;
}

uint64_t ccs_sweep_point_seed(const struct ccs_sweep *s, size_t p) { return def(s, p)->seed; }
const char *ccs_sweep_point_key(const struct ccs_sweep *s, size_t p) { return def(s, p)->key; }
size_t ccs_sweep_column_count(const struct ccs_sweep *s) { return s->dz->n_columns; }
const char *ccs_sweep_column(const struct ccs_sweep *s, size_t i) { return s->dz->columns[i]; }

const char *ccs_sweep_point_value(const struct ccs_sweep *s, size_t p, size_t i)
{
    return def(s, p)->values[i];
}

const struct ccs_scenario *ccs_sweep_base(const struct ccs_sweep *s) { return s->dz->base; }
const char *ccs_sweep_file(const struct ccs_sweep *s) { return s->dz->file; }
const char *ccs_sweep_name(const struct ccs_sweep *s) { return s->dz->name; }
uint64_t ccs_sweep_seed(const struct ccs_sweep *s) { return s->dz->seed; }
enum ccs_sweep_streams ccs_sweep_streams(const struct ccs_sweep *s) { return s->dz->streams; }
long ccs_sweep_baseline(const struct ccs_sweep *s) { return s->dz->baseline; }
double ccs_sweep_level(const struct ccs_sweep *s) { return s->dz->level; }
uint32_t ccs_sweep_replications(const struct ccs_sweep *s) { return s->dz->replications; }
size_t ccs_sweep_target_count(const struct ccs_sweep *s) { return s->dz->n_targets; }

const struct ccs_precision *ccs_sweep_target(const struct ccs_sweep *s, size_t i)
{
    return &s->dz->targets[i];
}

uint32_t ccs_sweep_max_replications(const struct ccs_sweep *s) { return s->dz->max_replications; }
const char *ccs_sweep_identity(const struct ccs_sweep *s) { return s->dz->identity; }

uint32_t ccs_sweep_point_replications(const struct ccs_sweep *s, size_t p)
{
    return s->points[p].final;
}

size_t ccs_sweep_point_rows(const struct ccs_sweep *s, size_t p) { return s->points[p].n_rows; }

const struct ccs_scenario *ccs_sweep_row_scenario(const struct ccs_sweep *s, size_t p)
{
    return paired(s) ? def(s, (size_t)s->dz->baseline)->sc : def(s, p)->sc;
}

void ccs_sweep_point_row(const struct ccs_sweep *s, size_t p, size_t i, struct ccs_sweep_row *out)
{
    struct ccs__sweep_result res;
    if (!ccs__sweep_result(s, p, &res) || i >= s->points[p].n_rows || i >= res.n_rows) {
        memset(out, 0, sizeof *out);
        out->n = out->mean = out->halfwidth = NAN;
        out->diff_n = out->diff = out->diff_halfwidth = NAN;
        out->verdict = CCS_VERDICT_NA;
        out->key = ccs_layout_key(ccs_sweep_row_scenario(s, p)->layout, 0);
        return;
    }
    const struct ccs__sweep_rec_row *r = &res.rows[i];
    out->key = ccs_layout_key(ccs_sweep_row_scenario(s, p)->layout, r->key);
    out->n = r->n;
    out->mean = r->mean;
    out->halfwidth = r->halfwidth;
    out->diff_n = r->diff_n;
    out->diff = r->diff;
    out->diff_halfwidth = r->diff_halfwidth;
    out->verdict = (enum ccs_verdict)r->verdict;
}

size_t ccs_sweep_point_channel_rows(const struct ccs_sweep *s, size_t p)
{
    return s->points[p].n_ch_rows;
}

void ccs_sweep_point_channel_row(const struct ccs_sweep *s, size_t p, size_t i,
                                 struct ccs_sweep_channel_row *out)
{
    struct ccs__sweep_result res;
    const struct ccs__sweep_point *pt = &s->points[p];
    size_t at = pt->n_rows + i, K = ccs_sweep_row_scenario(s, p)->layout->n_whole;
    memset(out, 0, sizeof *out);
    if (i >= pt->n_ch_rows || !ccs__sweep_result(s, p, &res) || at >= res.n_rows ||
        res.rows[at].key < K) {
        out->kpi = CCS_KPI_service_level;
        out->n = out->mean = out->halfwidth = NAN;
        out->diff_n = out->diff = out->diff_halfwidth = NAN;
        out->verdict = CCS_VERDICT_NA;
        return;
    }
    const struct ccs__sweep_rec_row *r = &res.rows[at];
    unsigned k = r->key - (unsigned)K;
    out->channel = (enum ccs_channel)(k / CCS__SWEEP_CH_PER);
    out->kpi = k % CCS__SWEEP_CH_PER == 0   ? CCS_KPI_offered
               : k % CCS__SWEEP_CH_PER == 1 ? CCS_KPI_service_level
                                            : CCS_KPI_asa;
    out->n = r->n;
    out->mean = r->mean;
    out->halfwidth = r->halfwidth;
    out->diff_n = r->diff_n;
    out->diff = r->diff;
    out->diff_halfwidth = r->diff_halfwidth;
    out->verdict = (enum ccs_verdict)r->verdict;
}

bool ccs_sweep_point_met(const struct ccs_sweep *s, size_t p) { return s->points[p].met; }

double ccs_sweep_point_achieved(const struct ccs_sweep *s, size_t p, size_t target)
{
    return s->points[p].achieved[target];
}

double ccs_sweep_point_rep_value(const struct ccs_sweep *s, size_t p, uint32_t r, size_t k)
{
    struct ccs__sweep_result res;
    if (r >= s->points[p].final || k >= n_whole(s, p) || !ccs__sweep_result(s, p, &res) ||
        res.rep_vals == NULL)
        return NAN;
    return res.rep_vals[(size_t)r * n_whole(s, p) + k];
}

void ccs_sweep_point_interval(const struct ccs_sweep *s, size_t p, size_t k, double *mean,
                              double *hw)
{
    struct ccs__sweep_result res;
    size_t nw = n_whole(s, p);
    *mean = *hw = NAN;
    if (k < nw || k - nw >= ccs__sweep_interval_width(s, p) || !ccs__sweep_result(s, p, &res) ||
        res.int_stats == NULL)
        return;
    *mean = res.int_stats[2 * (k - nw)];
    *hw = res.int_stats[2 * (k - nw) + 1];
}
