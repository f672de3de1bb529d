/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * survival.c - the Kaplan-Meier estimate of a survival function from
 * right-censored times (estimate.h): Greenwood variance, log-log band,
 * quantiles with Brookmeyer-Crowley intervals, restricted mean, and the
 * curve completed by an exponential tail as values for simulation.
 */
#include "analytic/estimate_impl.h"
#include "ccs/error.h"
#include "ccs/mem.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static int set_why(const char **why, const char *text, int code)
{
    if (why)
        *why = text;
    return code;
}

struct obs {
    double t;
    bool ev;
};

/* By time; at equal times events first, so a censoring at t was at risk at t. */
static int cmp_obs(const void *a, const void *b)
{
    const struct obs *x = a, *y = b;
    if (x->t != y->t)
        return (x->t > y->t) - (x->t < y->t);
    return (int)y->ev - (int)x->ev;
}

/* Relative slack for "S(t) <= level": products of (1 - d/n) that equal a
   fraction exactly in arithmetic may land a few ulps above it in floating
   point. */
static bool at_or_below(double s, double level)
{
    return s <= level * (1.0 + 1e-9);
}

/* The pointwise band: S^exp(+-z sqrt(gw) / |log S|), i.e. log(-log S) +- z se. */
static void band(struct ccs_km_row *r)
{
    if (!(r->surv > 0)) {
        r->var = 0;
        r->lo = r->hi = NAN;
        return;
    }
    r->var = r->surv * r->surv * r->gw;
    double w = CCS__Z95 * sqrt(r->gw) / fabs(log(r->surv));
    r->lo = pow(r->surv, exp(w));
    r->hi = pow(r->surv, exp(-w));
}

/*
 * The exponential tail (see struct ccs_km_tail): window at the largest
 * event time with at least max(10, ceil(d / 10)) events after it, mean =
 * exposure beyond the window / events beyond it (the censored exponential
 * MLE given survival to the window).
 */
static void fit_tail(struct ccs_km *km, const struct obs *o, size_t n)
{
    struct ccs_km_tail *tl = &km->tail;
    size_t d = km->n_events, need = d / 10 + (d % 10 != 0);
    if (need < 10)
        need = 10;
    tl->window = 0;
    size_t after = 0;
    for (size_t j = km->n_rows; j-- > 0;) {
        if (after >= need) {
            tl->window = km->row[j].t;
            break;
        }
        after += km->row[j].n_event;
    }
    tl->window_events = 0;
    tl->window_exposure = 0;
    for (size_t i = 0; i < n; i++)
        if (o[i].t > tl->window) {
            tl->window_exposure += o[i].t - tl->window;
            tl->window_events += o[i].ev;
        }
    const struct ccs_km_row *last = &km->row[km->n_rows - 1];
    tl->start = last->t;
    tl->mass = last->surv;
    tl->mean = tl->window_events > 0 && tl->window_exposure > 0
                   ? tl->window_exposure / (double)tl->window_events
                   : NAN;
}

int ccs_km_new(const double *t, const bool *event, size_t n, struct ccs_km **out,
               const char **why)
{
    if (out == NULL)
        return set_why(why, "invalid argument", CCS_EINVAL);
    *out = NULL;
    if (t == NULL || event == NULL)
        return set_why(why, "invalid argument", CCS_EINVAL);
    if (n == 0)
        return set_why(why, "no observations", CCS_ERANGE);
    for (size_t i = 0; i < n; i++)
        if (!(t[i] >= 0) || !isfinite(t[i]))
            return set_why(why, "times must be non-negative and finite", CCS_ERANGE);
    struct obs *o = ccs_malloc(n * sizeof *o);
    struct ccs_km *km = ccs_calloc(1, sizeof *km);
    if (o == NULL || km == NULL) {
        free(o);
        free(km);
        return set_why(why, "out of memory", CCS_ENOMEM);
    }
    size_t distinct = 0;
    for (size_t i = 0; i < n; i++) {
        o[i].t = t[i];
        o[i].ev = event[i];
        km->n_events += event[i];
    }
    qsort(o, n, sizeof *o, cmp_obs);
    for (size_t i = 0; i < n; i++)
        distinct += o[i].ev && (i == 0 || !o[i - 1].ev || o[i - 1].t != o[i].t);
    km->n = n;
    km->t_max = o[n - 1].t;
    km->row = ccs_malloc((distinct ? distinct : 1) * sizeof *km->row);
    if (km->row == NULL) {
        free(o);
        free(km);
        return set_why(why, "out of memory", CCS_ENOMEM);
    }
    size_t at_risk = n;
    double surv = 1.0, gw = 0.0;
    for (size_t i = 0; i < n;) {
        size_t d = 0, c = 0, j = i;
        for (; j < n && o[j].t == o[i].t; j++) {
            d += o[j].ev;
            c += !o[j].ev;
        }
        if (d > 0) {
            struct ccs_km_row *r = &km->row[km->n_rows++];
            r->t = o[i].t;
            r->n_risk = at_risk;
            r->n_event = d;
            r->n_censor = c;
            surv *= (double)(at_risk - d) / (double)at_risk;
            gw = at_risk > d ? gw + (double)d / ((double)at_risk * (double)(at_risk - d))
                             : INFINITY;
            r->surv = surv;
            r->gw = gw;
            band(r);
        } else if (km->n_rows > 0) {
            km->row[km->n_rows - 1].n_censor += c;
        }
        at_risk -= d + c;
        i = j;
    }
    if (km->n_rows > 0) {
        fit_tail(km, o, n);
    } else {
        km->tail.start = km->tail.mass = km->tail.mean = km->tail.window = NAN;
        km->tail.window_exposure = NAN;
    }
    free(o);
    *out = km;
    return 0;
}

void ccs_km_free(struct ccs_km *km)
{
    if (km == NULL)
        return;
    free(km->row);
    free(km);
}

/* Number of rows with t <= x (rows are by increasing t). */
static size_t rows_upto(const struct ccs_km *km, double x)
{
    size_t lo = 0, hi = km->n_rows;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (km->row[mid].t <= x)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

double ccs_km_surv(const struct ccs_km *km, double t)
{
    if (km == NULL || isnan(t))
        return NAN;
    size_t k = rows_upto(km, t);
    double s = k == 0 ? 1.0 : km->row[k - 1].surv;
    if (t > km->t_max && s > 0)
        return NAN;
    return s;
}

int ccs_km_quantile(const struct ccs_km *km, double p, struct ccs_est *q, const char **why)
{
    if (km == NULL || q == NULL || !(p > 0 && p < 1))
        return set_why(why, "invalid argument", CCS_EINVAL);
    double level = 1.0 - p;
    q->value = q->lo = q->hi = INFINITY;
    q->se = NAN;
    for (size_t j = 0; j < km->n_rows; j++) {
        /* The lower band crosses the level first: that is the lower limit.
           Where S = 0 the band is NaN and sets no limit (as in R). */
        const struct ccs_km_row *r = &km->row[j];
        if (q->value == INFINITY && at_or_below(r->surv, level))
            q->value = r->t;
        if (q->lo == INFINITY && at_or_below(r->lo, level))
            q->lo = r->t;
        if (q->hi == INFINITY && at_or_below(r->hi, level))
            q->hi = r->t;
    }
    if (q->value == INFINITY) {
        q->value = q->lo = q->hi = NAN;
        return set_why(why, "the curve does not fall to 1 - p: the quantile lies beyond the data",
                       CCS_ERANGE);
    }
    return 0;
}

int ccs_km_rmean(const struct ccs_km *km, double tau, struct ccs_est *m, const char **why)
{
    if (km == NULL || m == NULL || isnan(tau))
        return set_why(why, "invalid argument", CCS_EINVAL);
    ccs__est_nan(m);
    if (!(tau > 0))
        tau = km->t_max;
    double s_end = km->n_rows ? km->row[km->n_rows - 1].surv : 1.0;
    if (tau > km->t_max && s_end > 0)
        return set_why(why, "tau lies beyond the data", CCS_ERANGE);
    /* area[j] = integral of S from 0 to t_j, for the rows with t_j <= tau */
    size_t k = rows_upto(km, tau);
    double area = 0, prev = 0, s = 1.0;
    for (size_t j = 0; j < k; j++) {
        area += s * (km->row[j].t - prev);
        prev = km->row[j].t;
        s = km->row[j].surv;
    }
    double total = area + s * (tau - prev);
    /* A_j = integral from t_j to tau: walk back from tau. */
    double var = 0, after = 0;
    prev = tau;
    for (size_t j = k; j-- > 0;) {
        const struct ccs_km_row *r = &km->row[j];
        after += r->surv * (prev - r->t);
        prev = r->t;
        if (r->n_risk > r->n_event)
            var += after * after * (double)r->n_event /
                   ((double)r->n_risk * (double)(r->n_risk - r->n_event));
    }
    ccs__est_lin(m, total, sqrt(var));
    return 0;
}

int ccs_km_values(const struct ccs_km *km, size_t m, double *values, const char **why)
{
    if (km == NULL || values == NULL || m == 0)
        return set_why(why, "invalid argument", CCS_EINVAL);
    if (km->n_rows == 0)
        return set_why(why, "no events: every observation is censored", CCS_ERANGE);
    const struct ccs_km_tail *tl = &km->tail;
    if (tl->mass > 0 && !(tl->mean > 0))
        return set_why(why, "no events to estimate the tail from", CCS_ERANGE);
    size_t j = 0;
    for (size_t i = 0; i < m; i++) {
        double p = ((double)i + 0.5) / (double)m, level = 1.0 - p;
        /* p increases with i, so the row pointer only moves forward */
        while (j < km->n_rows && !at_or_below(km->row[j].surv, level))
            j++;
        if (j < km->n_rows)
            values[i] = km->row[j].t;
        else
            values[i] = tl->start + tl->mean * log(tl->mass / level);
    }
    return 0;
}
