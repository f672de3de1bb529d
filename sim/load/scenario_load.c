/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * scenario_load.c - YAML scenario -> struct ccs_scenario. Steps: load the
 * tree, apply --set overrides to it (so they are validated like the file),
 * check keys, read values with defaults, check references, build. The first
 * problem is reported with its file, line and column. docs/scenario.md
 * documents every key read here.
 */
#include "ccs/policies.h"
#include "ccs/scenario.h"
#include "ccs/trace_import.h"
#include "ccs/units.h"
#include "core/grow.h"
#include "core/str.h"
#include "fmt/csv.h"
#include "core/timeconst.h"
#include "fmt/ydoc.h"
#include "fmt/yread.h"
#include "load/forecast_load.h"
#include "load/import.h"
#include "load/roster_load.h"
#include "load/trace_load.h"
#include "load/variants.h"
#include "model/layout.h"
#include "model/scenario.h"
#include "model/world.h"
#include "ccs/mem.h"

#include <errno.h>
#include <math.h>
#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Limits that catch typos ("absurdly large") without constraining real use. */
#define MAX_AGENTS 100000LL
#define MAX_REPLICATIONS 1000000LL
#define MAX_HORIZON (3650 * CCS_DAY)
#define MAX_RATE 10000.0 /* contacts per second into one queue */
#define MAX_INTERVALS 200000.0
#define MAX_ITEMS 10000   /* queues, groups, segments, skills */
#define MAX_WAITING 100000000LL
#define MAX_PRIORITY 1000000LL
#define POSITIVE 1e-300 /* "must be positive" as a minimum */

struct loader {
    struct ccs_scenario *sc;
    struct ccs_diag *d;
    const char *dir; /* directory of the scenario file, for relative data paths */
    const struct ccs_policy_ops *const *extra; /* an embedder's policies, or NULL */
    size_t named_trunks; /* trunks listed under 'trunks' (queues' own 'lines' follow) */
    /* A trace read once for many dates: build date k from it (preread), or
       keep what was read for the caller (collect). Both NULL: read and give. */
    struct ccs__trace_set *preread;
    size_t date_k;
    struct ccs__trace_set **collect;
    struct ccs__forecast *fc;   /* the `forecast:` block's file, or NULL */
    const char *cur_queue;      /* the queue being read */
    const struct ccs_step_means *next_steps; /* set by 'mean: forecast' for read_dist */
    double next_mean;
    struct idref *queue_ids;    /* the queues' ids, sorted (find_queue), once all are read */
};

/* An id and its index in its list, for sorting and binary search. */
struct idref {
    const char *id;
    size_t i;
};

static int idref_cmp(const void *a, const void *b)
{
    const struct idref *x = a, *y = b;
    int c = strcmp(x->id, y->id);
    return c != 0 ? c : (x->i > y->i) - (x->i < y->i);
}

/* --- distributions ----------------------------------------------------------- */

static const char *const dist_keys[] = {"dist", "mean", "cv",  "k",    "shape", "scale",
                                        "min",  "mode", "max",  "value", "file", "column", "unit"};

static int read_csv_column(struct loader *ld, const struct ccs_ynode *map, double **vals,
                           size_t *n);

/*
 * A distribution of durations: {dist: NAME, ...}, or the scalar "none" when
 * allow_none (the thing never happens). what names it in messages.
 */
static int read_dist(struct loader *ld, const struct ccs_ynode *n, const char *what,
                     bool allow_none, struct ccs_dist *out)
{
    struct ccs_diag *d = ld->d;
    if (n->kind == CCS_Y_SCALAR && allow_none && strcmp(n->text, "none") == 0) {
        ccs__dist_none(out);
        return 0;
    }
    if (n->kind != CCS_Y_MAP)
        return ccs__yerr(d, CCS_ESCHEMA, n,
                         "'%s' must be a distribution such as {dist: exponential, mean: 3m}%s, "
                         "got %s",
                         what, allow_none ? " or none" : "", ccs__ykind_name(n));
    int rc = ccs__ycheck_keys(n, dist_keys, sizeof dist_keys / sizeof dist_keys[0],
                              "distribution", d);
    if (rc)
        return rc;
    const struct ccs_ynode *dn = ccs__ymap_get(n, "dist");
    if (dn == NULL)
        return ccs__yerr(d, CCS_ESCHEMA, n, "missing required key 'dist' in '%s'", what);
    if (dn->kind != CCS_Y_SCALAR)
        return ccs__yerr(d, CCS_ESCHEMA, dn, "'dist' must be a distribution name, got %s",
                         ccs__ykind_name(dn));
    int kind = ccs__dist_find(dn->text);
    if (kind <= CCS_DIST_NONE) {
        const char *close = ccs__closest(dn->text, ccs__dist_names + 1, CCS_DIST_COUNT_ - 1);
        return ccs__yerr(d, CCS_ESCHEMA, dn,
                         "unknown distribution '%s'%s%s%s (known: exponential, erlang, gamma, "
                         "lognormal, weibull, uniform, triangular, deterministic, empirical)",
                         dn->text, close ? "; did you mean '" : "", close ? close : "",
                         close ? "'?" : "");
    }

    /* Which keys each kind takes; anything else is a mistake worth naming. */
    static const char *const takes[CCS_DIST_COUNT_][5] = {
        [CCS_DIST_EXPONENTIAL] = {"mean"},
        [CCS_DIST_ERLANG] = {"k", "mean"},
        [CCS_DIST_GAMMA] = {"mean", "cv"},
        [CCS_DIST_LOGNORMAL] = {"mean", "cv"},
        [CCS_DIST_WEIBULL] = {"mean", "cv", "shape", "scale"},
        [CCS_DIST_UNIFORM] = {"min", "max"},
        [CCS_DIST_DETERMINISTIC] = {"value", "mean"},
        [CCS_DIST_EMPIRICAL] = {"file", "column", "unit"},
        [CCS_DIST_TRIANGULAR] = {"min", "mode", "max"},
    };
    for (size_t i = 0; i < n->len; i++) {
        const char *k = n->keys[i]->text;
        if (strcmp(k, "dist") == 0)
            continue;
        bool ok = false;
        for (size_t j = 0; j < 5 && takes[kind][j] != NULL; j++)
            ok = ok || strcmp(k, takes[kind][j]) == 0;
        if (!ok)
            return ccs__yerr(d, CCS_ESCHEMA, n->keys[i],
                             "'%s' does not apply to a %s distribution", k,
                             ccs__dist_name((enum ccs_dist_kind)kind));
    }

    double mean = NAN, cv = NAN, k = NAN, a = NAN, b = NAN;
    const double big = MAX_HORIZON;
    /* 'mean: forecast': the caller read the forecast's nominal mean */
    const struct ccs_ynode *mn = ccs__ymap_get(n, "mean");
    bool from_forecast = mn != NULL && mn->kind == CCS_Y_SCALAR && strcmp(mn->text, "forecast") == 0;
    if (from_forecast && isnan(ld->next_mean))
        return ccs__yerr(d, CCS_ESCHEMA, mn,
                         "'mean: forecast' applies to a queue's handle_time and patience, with "
                         "a top-level 'forecast' block");
    if (from_forecast && kind != CCS_DIST_EXPONENTIAL && kind != CCS_DIST_ERLANG &&
        kind != CCS_DIST_GAMMA && kind != CCS_DIST_LOGNORMAL && kind != CCS_DIST_WEIBULL &&
        kind != CCS_DIST_DETERMINISTIC)
        return ccs__yerr(d, CCS_ESCHEMA, mn, "'mean: forecast' needs a distribution given by "
                                             "its mean");
#define READ_MEAN(MIN)                                                                         \
    (from_forecast ? (mean = ld->next_mean, 0)                                                  \
                   : ccs__yread_duration(n, "mean", true, MIN, big, &mean, d))
    const struct ccs_ynode *at = n; /* where to report parameter errors */
    const char *why = NULL;
    struct ccs_dist tmp;
    switch ((enum ccs_dist_kind)kind) {
    case CCS_DIST_EXPONENTIAL:
        if ((rc = READ_MEAN(POSITIVE)))
            return rc;
        at = ccs__ymap_get(n, "mean");
        rc = ccs__dist_exponential(&tmp, mean, &why);
        break;
    case CCS_DIST_ERLANG:
        if ((rc = ccs__yread_number(n, "k", true, -INFINITY, INFINITY, &k, d)) ||
            (rc = READ_MEAN(POSITIVE)))
            return rc;
        at = ccs__ymap_get(n, "k");
        rc = ccs__dist_erlang(&tmp, k, mean, &why);
        break;
    case CCS_DIST_GAMMA:
    case CCS_DIST_LOGNORMAL:
        if ((rc = READ_MEAN(POSITIVE)) ||
            (rc = ccs__yread_number(n, "cv", true, -INFINITY, INFINITY, &cv, d)))
            return rc;
        at = ccs__ymap_get(n, "cv");
        rc = kind == CCS_DIST_GAMMA ? ccs__dist_gamma(&tmp, mean, cv, &why)
                                    : ccs__dist_lognormal(&tmp, mean, cv, &why);
        break;
    case CCS_DIST_WEIBULL:
        if (ccs__ymap_get(n, "shape") != NULL || ccs__ymap_get(n, "scale") != NULL) {
            if (ccs__ymap_get(n, "mean") != NULL || ccs__ymap_get(n, "cv") != NULL)
                return ccs__yerr(d, CCS_ESCHEMA, n,
                                 "give a weibull either 'mean' and 'cv' or 'shape' and 'scale'");
            if ((rc = ccs__yread_number(n, "shape", true, -INFINITY, INFINITY, &a, d)) ||
                (rc = ccs__yread_duration(n, "scale", true, POSITIVE, big, &b, d)))
                return rc;
            at = ccs__ymap_get(n, "shape");
            rc = ccs__dist_weibull_shape_scale(&tmp, a, b, &why);
        } else {
            if ((rc = READ_MEAN(POSITIVE)) ||
                (rc = ccs__yread_number(n, "cv", true, -INFINITY, INFINITY, &cv, d)))
                return rc;
            at = ccs__ymap_get(n, "cv");
            rc = ccs__dist_weibull_mean_cv(&tmp, mean, cv, &why);
        }
        break;
    case CCS_DIST_UNIFORM:
        if ((rc = ccs__yread_duration(n, "min", true, 0, big, &a, d)) ||
            (rc = ccs__yread_duration(n, "max", true, 0, big, &b, d)))
            return rc;
        at = ccs__ymap_get(n, "max");
        rc = ccs__dist_uniform(&tmp, a, b, &why);
        break;
    case CCS_DIST_TRIANGULAR: {
        double mode = NAN;
        if ((rc = ccs__yread_duration(n, "min", true, 0, big, &a, d)) ||
            (rc = ccs__yread_duration(n, "mode", true, 0, big, &mode, d)) ||
            (rc = ccs__yread_duration(n, "max", true, 0, big, &b, d)))
            return rc;
        at = ccs__ymap_get(n, "mode");
        rc = ccs__dist_triangular(&tmp, a, mode, b, &why);
        break;
    }
    case CCS_DIST_DETERMINISTIC: {
        const char *key = ccs__ymap_get(n, "value") != NULL ? "value" : "mean";
        if (from_forecast && strcmp(key, "mean") == 0)
            a = ld->next_mean;
        else if ((rc = ccs__yread_duration(n, key, true, 0, big, &a, d)))
            return rc;
        at = ccs__ymap_get(n, key);
        rc = ccs__dist_deterministic(&tmp, a, &why);
        break;
    }
    case CCS_DIST_EMPIRICAL: {
        double *vals = NULL;
        size_t nv = 0;
        if ((rc = read_csv_column(ld, n, &vals, &nv)))
            return rc;
        rc = ccs__dist_empirical(&tmp, vals, nv, &why);
        if (rc)
            free(vals);
        at = ccs__ymap_get(n, "file");
        break;
    }
    default:
        return ccs__yerr(d, CCS_ESCHEMA, dn, "unsupported distribution '%s'", dn->text);
    }
#undef READ_MEAN
    if (rc)
        return ccs__yerr(d, CCS_ERANGE, at ? at : n, "invalid %s distribution for '%s': %s",
                         ccs__dist_name((enum ccs_dist_kind)kind), what, why);
    *out = tmp;
    return 0;
}

/*
 * A queue's handle_time or patience (node n) whose 'mean' may be
 * 'forecast': the distribution is built with the forecast's nominal mean
 * and *steps gets the per-interval factors.
 */
static int read_dist_steps(struct loader *ld, const struct ccs_ynode *n, const char *what,
                           bool allow_none, enum ccs__fc_what fw, struct ccs_dist *out,
                           struct ccs_step_means *steps)
{
    const struct ccs_ynode *mn = n->kind == CCS_Y_MAP ? ccs__ymap_get(n, "mean") : NULL;
    ld->next_mean = NAN;
    if (mn != NULL && mn->kind == CCS_Y_SCALAR && strcmp(mn->text, "forecast") == 0) {
        if (ld->fc == NULL)
            return ccs__yerr(ld->d, CCS_ESCHEMA, mn,
                             "'mean: forecast' needs a top-level 'forecast' block");
        int rc = ccs__forecast_means(ld->fc, ld->cur_queue, fw, &ld->next_mean, steps, mn,
                                     ld->d, ld->sc);
        if (rc)
            return rc;
    }
    int rc = read_dist(ld, n, what, allow_none, out);
    ld->next_mean = NAN;
    return rc;
}

/* Path of a data file named in the scenario: relative to the scenario's folder. */
static void data_path(const struct loader *ld, const char *name, char *buf, size_t cap)
{
    if (name[0] == '/' || ld->dir == NULL)
        snprintf(buf, cap, "%s", name);
    else
        snprintf(buf, cap, "%s/%s", ld->dir, name);
}

/*
 * Empirical values: {file: data/x.csv, column: NAME-or-INDEX, unit: s}. The
 * CSV has a header line; fields are comma-separated; values are numbers in
 * `unit` (default seconds). Bad rows are errors located at FILE:LINE:COL.
 */
static int read_csv_column(struct loader *ld, const struct ccs_ynode *map, double **vals,
                           size_t *n)
{
    struct ccs_diag *d = ld->d;
    const char *file = NULL, *column = "0";
    double unit = 1.0;
    int rc;
    if ((rc = ccs__yread_string(map, "file", true, &file, d)) ||
        (rc = ccs__yread_string(map, "column", false, &column, d)))
        return rc;
    const struct ccs_ynode *un = ccs__ymap_get(map, "unit");
    if (un != NULL) {
        char one[64];
        if (un->kind != CCS_Y_SCALAR || strlen(un->text) > 40)
            return ccs__yerr(d, CCS_ESCHEMA, un, "'unit' must be a time unit such as s or min");
        snprintf(one, sizeof one, "1%s", un->text);
        if (ccs_parse_duration(one, &unit, NULL) != 0)
            return ccs__yerr(d, CCS_ESCHEMA, un, "unknown time unit '%s' (use s, min, h)",
                             un->text);
    }
    char path[4096];
    data_path(ld, file, path, sizeof path);
    /* The streaming CSV reader: whole rows of any length up to its limit
       (never split), regular files only, size and row limits, errors that
       quote one field cut short. */
    struct ccs__csv_dialect dl;
    ccs__csv_dialect_init(&dl);
    struct ccs__csvr *r = NULL;
    struct ccs_diag od = {0};
    rc = ccs__csvr_new(path, &dl, &r, &od);
    if (rc == CCS_EIO) {
        /* say it where the scenario names the file; the reader's message
           already names the path and the cause */
        const char *why = strstr(od.msg, "error: ");
        return ccs__yerr(d, CCS_EIO, ccs__ymap_get(map, "file"), "'%s': %s", path,
                         why ? why + 7 : od.msg);
    }
    if (rc != 0) {
        if (d != NULL && d->code == 0)
            *d = od;
        return rc;
    }
    size_t col = 0;
    char *end;
    long idx = strtol(column, &end, 10);
    if (*end == '\0' && end != column && idx >= 0) {
        col = (size_t)idx;
    } else {
        int c = ccs__csvr_find(r, column);
        if (c < 0) {
            ccs__csvr_free(r);
            return ccs__yerr(d, CCS_ESCHEMA, ccs__ymap_get(map, "column"),
                             "no column '%s' in the header of '%s'", column, path);
        }
        col = (size_t)c;
    }
    size_t cap = 0, cnt = 0;
    double *v = NULL;
    rc = 0;
    while (rc == 0 && ccs__csvr_next(r, d)) {
        double x;
        if (col >= ccs__csvr_nfields(r) || ccs__csvr_len(r, col) == 0) {
            rc = ccs__csvr_bad(r, col, d, CCS_EPARSE, "value", "empty: expected a non-negative "
                                                               "number");
            break;
        }
        if ((rc = ccs__csvr_number(r, col, &x, d)) != 0)
            break;
        if (x < 0) {
            rc = ccs__csvr_bad(r, col, d, CCS_EPARSE, "value", "expected a non-negative number");
            break;
        }
        if (CCS_GROW(v, cap, cnt + 1) != 0) {
            rc = ccs_diag_at(d, CCS_ENOMEM, path, 0, 0, "out of memory");
            break;
        }
        v[cnt++] = x * unit;
    }
    if (rc == 0)
        rc = ccs__csvr_status(r);
    ccs__csvr_free(r);
    if (rc == 0 && cnt == 0)
        rc = ccs__yerr(d, CCS_ESCHEMA, ccs__ymap_get(map, "file"), "no values in '%s'", path);
    if (rc) {
        free(v);
        return rc;
    }
    *vals = v;
    *n = cnt;
    return 0;
}

/* --- queues ---------------------------------------------------------------------- */

static const char *const channel_names[] = {"voice", "chat", "email", "callback", "outbound",
                                            NULL};

/* sla: {target, within[, asa]}; asa (a queue's, not a segment's: asa NULL) is
   an average-speed-of-answer promise, drawn as a target line on charts. */
static int read_sla(struct loader *ld, const struct ccs_ynode *q, double *target,
                    double *within, double *asa)
{
    static const char *const keys[] = {"target", "within", "asa"};
    const struct ccs_ynode *n = ccs__ymap_get(q, "sla");
    if (n == NULL)
        return 0;
    int rc;
    if ((rc = ccs__ywant_map(n, "'sla'", ld->d)) ||
        (rc = ccs__ycheck_keys(n, keys, asa != NULL ? 3 : 2, "sla", ld->d)) ||
        (rc = ccs__yread_fraction(n, "target", false, target, ld->d)) ||
        (rc = ccs__yread_duration(n, "within", false, 0, MAX_HORIZON, within, ld->d)) ||
        (asa != NULL && (rc = ccs__yread_duration(n, "asa", false, 0, MAX_HORIZON, asa, ld->d))))
        return rc;
    return 0;
}

static const char *const weekdays[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun", NULL};

/* weekly: {mon: 100%, ..., sun: 40%}: rate multipliers, unnamed days 100%. */
static int read_weekly(struct loader *ld, const struct ccs_ynode *n, struct ccs_arrivals *a)
{
    int rc = ccs__ywant_map(n, "'weekly'", ld->d);
    if (rc || (rc = ccs__ycheck_keys(n, weekdays, 7, "weekly", ld->d)))
        return rc;
    for (int d = 0; d < 7; d++) {
        a->weekly[d] = 1.0;
        const struct ccs_ynode *v = ccs__ymap_get(n, weekdays[d]);
        if (v == NULL)
            continue;
        const char *why;
        /* a percentage (may exceed 100%: a busy Monday) or a plain factor */
        double x;
        if (v->kind != CCS_Y_SCALAR)
            return ccs__yerr(ld->d, CCS_ESCHEMA, v, "'%s' must be a percentage such as 80%%",
                             weekdays[d]);
        size_t len = strlen(v->text);
        if (len > 0 && v->text[len - 1] == '%') {
            char buf[64];
            snprintf(buf, sizeof buf, "%.*s", (int)(len - 1), v->text);
            if (ccs_parse_number(buf, &x, &why) != 0)
                return ccs__yerr(ld->d, CCS_ESCHEMA, v, "'%s': bad percentage '%s'", weekdays[d],
                                 v->text);
            x /= 100;
        } else if ((rc = ccs__yval_number(v, weekdays[d], 0, 100, &x, ld->d))) {
            return rc;
        }
        if (!(x >= 0) || x > 100)
            return ccs__yerr(ld->d, CCS_ERANGE, v, "'%s' must lie between 0%% and 10000%%",
                             weekdays[d]);
        a->weekly[d] = x;
    }
    a->has_weekly = true;
    return 0;
}

/*
 * A list of values per step (a queue's 'volumes', a group's 'staffing') over
 * a run longer than the list must cover exactly a day (it repeats every day)
 * or a week (every week): repeating by its own length would put a morning
 * peak at night on the second day. *repeat gets CCS_REPEAT_*.
 */
static int check_repeat(struct loader *ld, const struct ccs_ynode *list, size_t n, double per,
                        const char *what, uint8_t *repeat)
{
    double span = (double)n * per, horizon = ld->sc->horizon;
    *repeat = CCS_REPEAT_NONE;
    if (span >= horizon * (1 - 1e-12))
        return 0;
    if (fabs(span - CCS_DAY) < 1e-6) {
        *repeat = CCS_REPEAT_DAY;
        return 0;
    }
    if (fabs(span - CCS_WEEK) < 1e-6) {
        *repeat = CCS_REPEAT_WEEK;
        return 0;
    }
    char s[32], h[32], p[32];
    ccs_format_duration(span, s, sizeof s);
    ccs_format_duration(horizon, h, sizeof h);
    ccs_format_duration(per, p, sizeof p);
    return ccs__yerr(ld->d, CCS_ESCHEMA, list,
                     "'%s' covers %s (%zu x %s) but the run lasts %s: a list repeats only when "
                     "it covers one day (%.0f values of %s, zeros when closed) or one week "
                     "(%.0f values)",
                     what, s, n, p, h, CCS_DAY / per, p, CCS_WEEK / per);
}

static int read_arrivals(struct loader *ld, const struct ccs_ynode *q, struct ccs_arrivals *a)
{
    static const char *const keys[] = {"rate",  "volumes", "per",   "amplitude",
                                       "period", "phase",  "exact", "weekly"};
    struct ccs_diag *d = ld->d;
    const struct ccs_ynode *n = ccs__ymap_get(q, "arrivals");
    a->kind = CCS_ARR_NONE;
    for (int i = 0; i < 7; i++)
        a->weekly[i] = 1.0;
    if (n == NULL) {
        /* an outbound queue works its list; any other queue says 'arrivals: none' */
        const struct ccs_ynode *ch = ccs__ymap_get(q, "channel");
        if (ch != NULL && ch->kind == CCS_Y_SCALAR && strcmp(ch->text, "outbound") == 0)
            return 0;
        return ccs__yerr(d, CCS_ESCHEMA, q,
                         "missing required key 'arrivals' (write 'arrivals: none' for a queue "
                         "fed only by transfers or repeat contacts)");
    }
    if (n->kind == CCS_Y_SCALAR && strcmp(n->text, "none") == 0)
        return 0;
    if (n->kind == CCS_Y_SCALAR && strcmp(n->text, "trace") == 0) {
        a->kind = CCS_ARR_TRACE;
        return 0;
    }
    if (n->kind == CCS_Y_SCALAR && strcmp(n->text, "forecast") == 0) {
        if (ld->fc == NULL)
            return ccs__yerr(d, CCS_ESCHEMA, n,
                             "'arrivals: forecast' needs a top-level 'forecast' block");
        return ccs__forecast_arrivals(ld->fc, ld->cur_queue, a, n, d, ld->sc);
    }
    int rc;
    if ((rc = ccs__ywant_map(n, "'arrivals'", d)) ||
        (rc = ccs__ycheck_keys(n, keys, sizeof keys / sizeof keys[0], "arrivals", d)))
        return rc;
    const struct ccs_ynode *rate = ccs__ymap_get(n, "rate"), *vol = ccs__ymap_get(n, "volumes");
    const struct ccs_ynode *wk = ccs__ymap_get(n, "weekly");
    if (wk != NULL && (rc = read_weekly(ld, wk, a)))
        return rc;
    if ((rate != NULL) == (vol != NULL))
        return ccs__yerr(d, CCS_ESCHEMA, n,
                         "'arrivals' needs exactly one of 'rate' (e.g. 95/min) or 'volumes' "
                         "(contacts per interval)");
    if (rate != NULL) {
        static const char *const vol_only[] = {"per", "exact"};
        for (size_t i = 0; i < 2; i++)
            if (ccs__ymap_get(n, vol_only[i]) != NULL)
                return ccs__yerr(d, CCS_ESCHEMA, ccs__ymap_get(n, vol_only[i]),
                                 "'%s' applies to 'volumes', not to 'rate'", vol_only[i]);
        a->kind = CCS_ARR_POISSON;
        if ((rc = ccs__yread_rate(n, "rate", true, MAX_RATE, &a->rate, d)))
            return rc;
        const struct ccs_ynode *amp = ccs__ymap_get(n, "amplitude");
        if (amp == NULL) {
            if (ccs__ymap_get(n, "period") || ccs__ymap_get(n, "phase"))
                return ccs__yerr(d, CCS_ESCHEMA, n,
                                 "'period' and 'phase' describe an 'amplitude'; give one");
            return 0;
        }
        double phase_deg = 0;
        a->kind = CCS_ARR_SINUSOID;
        if ((rc = ccs__yread_rate(n, "amplitude", true, MAX_RATE, &a->amplitude, d)) ||
            (rc = ccs__yread_duration(n, "period", true, POSITIVE, MAX_HORIZON, &a->period, d)) ||
            (rc = ccs__yread_number(n, "phase", false, -360, 360, &phase_deg, d)))
            return rc;
        if (a->amplitude > a->rate)
            return ccs__yerr(d, CCS_ERANGE, amp,
                             "'amplitude' exceeds 'rate': the rate would turn negative");
        a->phase = phase_deg * M_PI / 180.0;
        return 0;
    }
    static const char *const rate_only[] = {"amplitude", "period", "phase"};
    for (size_t i = 0; i < 3; i++)
        if (ccs__ymap_get(n, rate_only[i]) != NULL)
            return ccs__yerr(d, CCS_ESCHEMA, ccs__ymap_get(n, rate_only[i]),
                             "'%s' applies to 'rate', not to 'volumes'", rate_only[i]);
    if ((rc = ccs__ywant_seq(vol, "'volumes'", d)))
        return rc;
    if (vol->len == 0)
        return ccs__yerr(d, CCS_ESCHEMA, vol, "'volumes' must list at least one interval");
    if (vol->len > (size_t)MAX_INTERVALS)
        return ccs__yerr(d, CCS_ERANGE, vol, "'volumes' has too many entries (at most %g)",
                         MAX_INTERVALS);
    double per = ld->sc->interval;
    if ((rc = ccs__yread_duration(n, "per", false, 1e-3, MAX_HORIZON, &per, d)) ||
        (rc = ccs__yread_bool(n, "exact", false, &a->exact_counts, d)))
        return rc;
    a->kind = CCS_ARR_PROFILE;
    a->step = per;
    a->n_rates = vol->len;
    a->rates = ccs_calloc(vol->len, sizeof *a->rates);
    if (a->rates == NULL)
        return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; i < vol->len; i++) {
        double v;
        if ((rc = ccs__yval_number(vol->items[i], "volumes", 0, MAX_RATE * per, &v, d)))
            return rc;
        a->rates[i] = v / per;
    }
    return check_repeat(ld, vol, vol->len, per, "volumes", &a->repeat);
}

static int read_segments(struct loader *ld, const struct ccs_ynode *q, struct ccs_queue_def *qd)
{
    static const char *const keys[] = {"id", "share", "weight", "priority", "credit", "sla"};
    struct ccs_diag *d = ld->d;
    const struct ccs_ynode *n = ccs__ymap_get(q, "segments");
    size_t ns = n == NULL ? 1 : n->len;
    int rc;
    if (n != NULL) {
        if ((rc = ccs__ywant_seq(n, "'segments'", d)))
            return rc;
        if (n->len == 0 || n->len > MAX_ITEMS)
            return ccs__yerr(d, CCS_ESCHEMA, n, "'segments' must list 1 to %d segments",
                             MAX_ITEMS);
    }
    qd->segments = ccs_calloc(ns, sizeof *qd->segments);
    if (qd->segments == NULL)
        return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    qd->n_segments = ns;
    double total = 0;
    for (size_t s = 0; s < ns; s++) {
        struct ccs_segment_def *sd = &qd->segments[s];
        sd->share = 1.0;
        sd->weight = 1.0;
        sd->sla_target = qd->sla_target;
        sd->sla_within = qd->sla_within;
        if (n == NULL)
            break;
        const struct ccs_ynode *m = n->items[s];
        long long prio = 0;
        if ((rc = ccs__ywant_map(m, "a segment", d)) ||
            (rc = ccs__ycheck_keys(m, keys, sizeof keys / sizeof keys[0], "segment", d)) ||
            (rc = ccs__yread_id(m, "id", true, &sd->id, d)) ||
            (rc = ccs__yread_fraction(m, "share", true, &sd->share, d)) ||
            (rc = ccs__yread_number(m, "weight", false, 0, 1e6, &sd->weight, d)) ||
            (rc = ccs__yread_int(m, "priority", false, -MAX_PRIORITY, MAX_PRIORITY, &prio, d)) ||
            (rc = ccs__yread_duration(m, "credit", false, 0, MAX_HORIZON, &sd->credit, d)) ||
            (rc = read_sla(ld, m, &sd->sla_target, &sd->sla_within, NULL)))
            return rc;
        sd->priority = (int)prio;
        for (size_t t = 0; t < s; t++)
            if (strcmp(qd->segments[t].id, sd->id) == 0)
                return ccs__yerr(d, CCS_ESCHEMA, ccs__ymap_get(m, "id"),
                                 "duplicate segment id '%s' in queue '%s'", sd->id, qd->id);
        total += sd->share;
    }
    if (n != NULL && fabs(total - 1.0) > 1e-6)
        return ccs__yerr(d, CCS_ESCHEMA, n, "segment shares of queue '%s' add up to %g%%, not 100%%",
                         qd->id, total * 100);
    return 0;
}

/* A map-valued optional key: NULL when absent, error when not a map. */
static int sub_map(struct loader *ld, const struct ccs_ynode *parent, const char *key,
                   const char *const *keys, size_t n_keys, const struct ccs_ynode **out)
{
    *out = ccs__ymap_get(parent, key);
    if (*out == NULL)
        return 0;
    char what[64];
    snprintf(what, sizeof what, "'%s'", key);
    int rc = ccs__ywant_map(*out, what, ld->d);
    return rc ? rc : ccs__ycheck_keys(*out, keys, n_keys, key, ld->d);
}

static int read_callback(struct loader *ld, const struct ccs_ynode *q, struct ccs_queue_def *qd)
{
    static const char *const keys[] = {"offer_after", "offer_if_predicted", "accept",
                                       "schedule_after", "reach", "retries",
                                       "retry_delay", "dial_time", "cost"};
    struct ccs_callback_def *cb = &qd->callback;
    const struct ccs_ynode *n;
    int rc = sub_map(ld, q, "callback", keys, sizeof keys / sizeof keys[0], &n);
    if (rc || n == NULL)
        return rc;
    struct ccs_diag *d = ld->d;
    long long retries = 0;
    cb->on = true;
    cb->offer_after = cb->offer_if_predicted = INFINITY;
    cb->accept = 1.0;
    cb->schedule_after = -1;
    cb->reach = 1.0;
    cb->retry_delay = 600;
    cb->dial_time = 30;
    if ((rc = ccs__yread_duration(n, "offer_after", false, 0, MAX_HORIZON, &cb->offer_after, d)) ||
        (rc = ccs__yread_duration(n, "offer_if_predicted", false, 0, MAX_HORIZON,
                                  &cb->offer_if_predicted, d)) ||
        (rc = ccs__yread_fraction(n, "accept", false, &cb->accept, d)) ||
        (rc = ccs__yread_duration(n, "schedule_after", false, 0, MAX_HORIZON, &cb->schedule_after,
                                  d)) ||
        (rc = ccs__yread_fraction(n, "reach", false, &cb->reach, d)) ||
        (rc = ccs__yread_int(n, "retries", false, 0, 100, &retries, d)) ||
        (rc = ccs__yread_duration(n, "retry_delay", false, 0, MAX_HORIZON, &cb->retry_delay, d)) ||
        (rc = ccs__yread_duration(n, "dial_time", false, 0, CCS_DAY, &cb->dial_time, d)) ||
        (rc = ccs__yread_number(n, "cost", false, 0, 1e6, &cb->cost, d)))
        return rc;
    cb->retries = (uint32_t)retries;
    if (cb->offer_after == INFINITY && cb->offer_if_predicted == INFINITY)
        return ccs__yerr(d, CCS_ESCHEMA, n,
                         "'callback' needs 'offer_after' or 'offer_if_predicted' (when to offer)");
    if (qd->channel != CCS_CH_VOICE)
        return ccs__yerr(d, CCS_ESCHEMA, n, "'callback' applies to voice queues only");
    return 0;
}

static int read_campaign(struct loader *ld, const struct ccs_ynode *q, struct ccs_queue_def *qd)
{
    static const char *const keys[] = {"records", "connect", "right_party", "dial_time",
                                       "wrong_party_time", "retries", "retry_delay", "cost"};
    struct ccs_campaign_def *cp = &qd->campaign;
    const struct ccs_ynode *n;
    int rc = sub_map(ld, q, "campaign", keys, sizeof keys / sizeof keys[0], &n);
    if (rc)
        return rc;
    struct ccs_diag *d = ld->d;
    if (n == NULL) {
        if (qd->channel == CCS_CH_OUTBOUND)
            return ccs__yerr(d, CCS_ESCHEMA, q,
                             "outbound queue '%s' needs a 'campaign' (its dialling list)", qd->id);
        return 0;
    }
    if (qd->channel != CCS_CH_OUTBOUND)
        return ccs__yerr(d, CCS_ESCHEMA, n, "'campaign' applies to outbound queues only");
    long long records = 0, retries = 0;
    cp->on = true;
    cp->connect = 1.0;
    cp->right_party = 1.0;
    cp->dial_time = 25;
    cp->wrong_party_time = 30;
    cp->retry_delay = CCS_HOUR;
    if ((rc = ccs__yread_int(n, "records", true, 0, 1000000, &records, d)) ||
        (rc = ccs__yread_fraction(n, "connect", false, &cp->connect, d)) ||
        (rc = ccs__yread_fraction(n, "right_party", false, &cp->right_party, d)) ||
        (rc = ccs__yread_duration(n, "dial_time", false, 0, CCS_DAY, &cp->dial_time, d)) ||
        (rc = ccs__yread_duration(n, "wrong_party_time", false, 0, CCS_DAY, &cp->wrong_party_time,
                                  d)) ||
        (rc = ccs__yread_int(n, "retries", false, 0, 100, &retries, d)) ||
        (rc = ccs__yread_duration(n, "retry_delay", false, 0, MAX_HORIZON, &cp->retry_delay, d)) ||
        (rc = ccs__yread_number(n, "cost", false, 0, 1e6, &cp->cost, d)))
        return rc;
    cp->records = (uint32_t)records;
    cp->retries = (uint32_t)retries;
    return 0;
}

static int read_redial(struct loader *ld, const struct ccs_ynode *q, struct ccs_queue_def *qd)
{
    static const char *const keys[] = {"probability", "delay", "max", "keep_patience"};
    struct ccs_redial_def *r = &qd->redial;
    const struct ccs_ynode *n;
    ccs__dist_none(&r->delay);
    int rc = sub_map(ld, q, "redial", keys, 4, &n);
    if (rc || n == NULL)
        return rc;
    long long max = 10;
    if ((rc = ccs__yread_fraction(n, "probability", true, &r->probability, ld->d)) ||
        (rc = ccs__yread_int(n, "max", false, 0, 1000, &max, ld->d)) ||
        (rc = ccs__yread_bool(n, "keep_patience", false, &r->keep_patience, ld->d)))
        return rc;
    r->max = (uint32_t)max;
    const struct ccs_ynode *dl = ccs__ymap_get(n, "delay");
    if (dl == NULL)
        return ccs__yerr(ld->d, CCS_ESCHEMA, n, "missing required key 'delay' in 'redial'");
    return read_dist(ld, dl, "delay", false, &r->delay);
}

static int read_transfers(struct loader *ld, const struct ccs_ynode *q, struct ccs_queue_def *qd)
{
    static const char *const keys[] = {"to", "probability", "mode", "handle_time", "if_busy"};
    static const char *const modes[] = {"cold", "consult", "conference", NULL};
    static const char *const if_busy[] = {"wait", "skip", NULL};
    const struct ccs_ynode *n = ccs__ymap_get(q, "transfers");
    if (n == NULL)
        return 0;
    struct ccs_diag *d = ld->d;
    int rc = ccs__ywant_seq(n, "'transfers'", d);
    if (rc)
        return rc;
    if (n->len > 100)
        return ccs__yerr(d, CCS_ESCHEMA, n, "'transfers' lists too many targets (at most 100)");
    qd->transfers = ccs_calloc(n->len ? n->len : 1, sizeof *qd->transfers);
    if (qd->transfers == NULL)
        return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    qd->n_transfers = n->len;
    double total = 0;
    for (size_t i = 0; i < n->len; i++) {
        const struct ccs_ynode *t = n->items[i];
        struct ccs_transfer_def *td = &qd->transfers[i];
        int mode = 0, busy = 0;
        ccs__dist_none(&td->handle);
        if ((rc = ccs__ywant_map(t, "a transfer", d)) ||
            (rc = ccs__ycheck_keys(t, keys, 5, "transfer", d)) ||
            (rc = ccs__yread_fraction(t, "probability", true, &td->probability, d)) ||
            (rc = ccs__yread_choice(t, "mode", false, modes, &mode, d)) ||
            (rc = ccs__yread_choice(t, "if_busy", false, if_busy, &busy, d)))
            return rc;
        if (ccs__ymap_get(t, "if_busy") != NULL && mode != 2)
            return ccs__yerr(d, CCS_ESCHEMA, ccs__ymap_get(t, "if_busy"),
                             "'if_busy' applies to a conference only (mode: conference): "
                             "other transfers wait in their queue");
        td->skip_if_busy = busy == 1;
        const struct ccs_ynode *to = ccs__ymap_get(t, "to");
        if (to == NULL)
            return ccs__yerr(d, CCS_ESCHEMA, t, "missing required key 'to' in transfer");
        td->consult = mode >= 1;
        td->conference = mode == 2;
        const struct ccs_ynode *h = ccs__ymap_get(t, "handle_time");
        if (h != NULL && (rc = read_dist(ld, h, "handle_time", false, &td->handle)))
            return rc;
        total += td->probability;
    }
    if (total > 1 + 1e-9)
        return ccs__yerr(d, CCS_ERANGE, n, "transfer probabilities of queue '%s' add up to %g%%, "
                                           "more than 100%%",
                         qd->id, total * 100);
    return 0;
}

static int read_resolution(struct loader *ld, const struct ccs_ynode *q, struct ccs_queue_def *qd)
{
    static const char *const keys[] = {"probability", "repeat_delay", "repeat_queue",
                                       "max_repeats"};
    struct ccs_resolution_def *r = &qd->resolution;
    const struct ccs_ynode *n;
    r->probability = 1.0;
    ccs__dist_none(&r->delay);
    int rc = sub_map(ld, q, "resolution", keys, 4, &n);
    if (rc || n == NULL)
        return rc;
    long long max = 10;
    if ((rc = ccs__yread_fraction(n, "probability", true, &r->probability, ld->d)) ||
        (rc = ccs__yread_int(n, "max_repeats", false, 0, 1000, &max, ld->d)))
        return rc;
    r->max_repeats = (uint32_t)max;
    const struct ccs_ynode *dl = ccs__ymap_get(n, "repeat_delay");
    if (dl == NULL)
        return ccs__yerr(ld->d, CCS_ESCHEMA, n,
                         "missing required key 'repeat_delay' in 'resolution'");
    return read_dist(ld, dl, "repeat_delay", false, &r->delay);
}

/* Queue id's index, or -1: a binary search of the sorted ids (a scan per
   skill made loading 200 groups of 150 skills take 3 million strcmp). */
static int find_queue(const struct loader *ld, const char *id)
{
    const struct ccs_scenario *sc = ld->sc;
    if (ld->queue_ids == NULL) {
        for (size_t q = 0; q < sc->n_queues; q++)
            if (strcmp(sc->queues[q].id, id) == 0)
                return (int)q;
        return -1;
    }
    size_t lo = 0, hi = sc->n_queues;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(ld->queue_ids[mid].id, id);
        if (c == 0)
            return (int)ld->queue_ids[mid].i;
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return -1;
}

/* A trunk listed under 'trunks' (a queue's own 'lines' cannot be named). */
static int find_trunk(const struct loader *ld, const char *id)
{
    const struct ccs_scenario *sc = ld->sc;
    for (size_t t = 0; t < ld->named_trunks && t < sc->n_trunks; t++)
        if (strcmp(sc->trunks[t].id, id) == 0)
            return (int)t;
    return -1;
}

/* at_close: what happens to the callers still waiting when the queue closes. */
static const char *const at_close_names[] = {"wait", "disconnect", NULL};

/* message_after: a positive duration below the horizon limit. */
static int read_message_after(const struct ccs_ynode *n, double *out, struct ccs_diag *d)
{
    return ccs__yval_duration(n, "message_after", POSITIVE, MAX_HORIZON, out, d);
}

static int read_queue(struct loader *ld, const struct ccs_ynode *q, struct ccs_queue_def *qd)
{
    static const char *const keys[] = {
        "id",          "channel",  "arrivals", "handle_time", "patience",  "wrap_up",
        "max_waiting", "sla",      "priority", "segments",    "lines",     "trunk",
        "callback",    "campaign", "redial",   "transfers",   "resolution", "message_after",
        "at_close",    "closes_at"};
    struct ccs_diag *d = ld->d;
    int rc, ch = CCS_CH_VOICE;
    long long prio = 0, cap = -1;
    qd->sla_target = 0.8;
    qd->sla_within = 20.0;
    ccs__dist_none(&qd->patience);
    ccs__dist_none(&qd->wrap);
    ccs__dist_none(&qd->handle);
    if ((rc = ccs__ywant_map(q, "a queue", d)) ||
        (rc = ccs__ycheck_keys(q, keys, sizeof keys / sizeof keys[0], "queue", d)) ||
        (rc = ccs__yread_id(q, "id", true, &qd->id, d)) ||
        (rc = ccs__yread_choice(q, "channel", false, channel_names, &ch, d)) ||
        (rc = read_sla(ld, q, &qd->sla_target, &qd->sla_within, &qd->asa_target)) ||
        ((ld->cur_queue = qd->id), (rc = read_arrivals(ld, q, &qd->arrivals))) ||
        (rc = ccs__yread_int(q, "priority", false, -MAX_PRIORITY, MAX_PRIORITY, &prio, d)))
        return rc;
    const struct ccs_ynode *mw = ccs__ymap_get(q, "max_waiting");
    if (mw != NULL && !(mw->kind == CCS_Y_SCALAR && strcmp(mw->text, "unlimited") == 0) &&
        (rc = ccs__yread_int(q, "max_waiting", false, 0, MAX_WAITING, &cap, d)))
        return rc;
    qd->channel = (enum ccs_channel)ch;
    qd->priority = (int)prio;
    qd->capacity = (long)cap;
    const struct ccs_ynode *n = ccs__ymap_get(q, "handle_time");
    if (n == NULL)
        return ccs__yerr(d, CCS_ESCHEMA, q, "missing required key 'handle_time' in queue '%s'",
                         qd->id);
    if ((rc = read_dist_steps(ld, n, "handle_time", false, CCS__FC_AHT, &qd->handle,
                              &qd->handle_steps)))
        return rc;
    if ((n = ccs__ymap_get(q, "patience")) != NULL &&
        (rc = read_dist_steps(ld, n, "patience", true, CCS__FC_PATIENCE, &qd->patience,
                              &qd->patience_steps)))
        return rc;
    if ((n = ccs__ymap_get(q, "wrap_up")) != NULL &&
        (rc = read_dist(ld, n, "wrap_up", true, &qd->wrap)))
        return rc;
    bool deferred = qd->channel == CCS_CH_EMAIL || qd->channel == CCS_CH_OUTBOUND;
    if ((n = ccs__ymap_get(q, "message_after")) != NULL) {
        if (deferred)
            return ccs__yerr(d, CCS_ESCHEMA, n,
                             "'message_after' does not apply to %s contacts: they wait until "
                             "served",
                             channel_names[qd->channel]);
        if ((rc = read_message_after(n, &qd->message_after, d)))
            return rc;
    }
    int at_close = 0;
    if ((rc = ccs__yread_choice(q, "at_close", false, at_close_names, &at_close, d)))
        return rc;
    if (at_close != 0 && deferred)
        return ccs__yerr(d, CCS_ESCHEMA, ccs__ymap_get(q, "at_close"),
                         "'at_close' does not apply to %s contacts: they wait until served",
                         channel_names[qd->channel]);
    qd->close_disconnect = at_close != 0;
    if ((n = ccs__ymap_get(q, "closes_at")) != NULL) {
        qd->has_closes_at = true;
        if (!qd->close_disconnect)
            return ccs__yerr(d, CCS_ESCHEMA, n,
                             "'closes_at' needs 'at_close: disconnect' in queue '%s': it says "
                             "when the queue's callers are cut off",
                             qd->id);
        if ((rc = ccs__yval_duration(n, "closes_at", 0, CCS_DAY - 1e-9, &qd->closes_at, d)))
            return rc;
    }
    if (deferred && qd->patience.kind != CCS_DIST_NONE)
        return ccs__yerr(d, CCS_ESCHEMA, ccs__ymap_get(q, "patience"),
                         "'patience' does not apply to %s contacts: they wait until served",
                         channel_names[qd->channel]);
    if (qd->channel == CCS_CH_OUTBOUND && qd->arrivals.kind != CCS_ARR_NONE)
        return ccs__yerr(d, CCS_ESCHEMA, ccs__ymap_get(q, "arrivals"),
                         "an outbound queue has no arrivals: its 'campaign' lists the records");

    /* lines: a private trunk; trunk: a shared one */
    qd->trunk = -1;
    const struct ccs_ynode *ln = ccs__ymap_get(q, "lines"), *tn = ccs__ymap_get(q, "trunk");
    if (ln != NULL && tn != NULL)
        return ccs__yerr(d, CCS_ESCHEMA, tn, "give either 'lines' or 'trunk', not both");
    if ((ln != NULL || tn != NULL) && qd->channel != CCS_CH_VOICE)
        return ccs__yerr(d, CCS_ESCHEMA, ln ? ln : tn, "lines apply to voice queues only");
    if (tn != NULL) {
        const char *tid;
        if ((rc = ccs__yval_id(tn, "trunk", &tid, d)))
            return rc;
        int t = find_trunk(ld, tid);
        if (t < 0)
            return ccs__yerr(d, CCS_ESCHEMA, tn, "no trunk '%s' (define it under 'trunks')", tid);
        qd->trunk = t;
    } else if (ln != NULL) {
        long long lines;
        if ((rc = ccs__yread_int(q, "lines", false, 1, 1000000, &lines, d)))
            return rc;
        struct ccs_scenario *sc = ld->sc;
        size_t have = sc->n_trunks; /* a few, appended one by one: no capacity kept */
        if (CCS_GROW(sc->trunks, have, sc->n_trunks + 1) != 0)
            return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
        sc->trunks[sc->n_trunks] = (struct ccs_trunk_def){qd->id, (uint32_t)lines, 0.0};
        qd->trunk = (int32_t)sc->n_trunks++;
    }
    if ((rc = read_callback(ld, q, qd)) || (rc = read_campaign(ld, q, qd)) ||
        (rc = read_redial(ld, q, qd)) || (rc = read_transfers(ld, q, qd)) ||
        (rc = read_resolution(ld, q, qd)))
        return rc;
    if (qd->redial.probability > 0 && qd->patience.kind == CCS_DIST_NONE)
        return ccs__yerr(d, CCS_ESCHEMA, ccs__ymap_get(q, "redial"),
                         "'redial' needs a 'patience': callers who never abandon never redial");
    return read_segments(ld, q, qd);
}

/* Does every conversation in queue q end with a transfer (probabilities adding
   up to 100%, within rounding)? */
static bool always_transfers(const struct ccs_queue_def *qd)
{
    double total = 0;
    for (size_t i = 0; i < qd->n_transfers; i++)
        total += qd->transfers[i].probability;
    return total >= 1 - 1e-9;
}

/*
 * Transfer chains must end. Each leg draws afresh, so a chain ends with
 * probability 1 exactly when, from every queue, some path of transfers of
 * positive probability reaches a queue whose conversations can end without a
 * transfer. A set of queues that always transfer among themselves would loop
 * forever (with drain: true the run would never stop), so it is refused here,
 * naming the loop. Abandonment is not counted as a way out: with enough agents
 * nobody waits.
 */
static int check_transfer_loops(struct loader *ld, const struct ccs_ynode *qs)
{
    struct ccs_scenario *sc = ld->sc;
    size_t n = sc->n_queues;
    bool *ends = ccs_calloc(n ? n : 1, sizeof *ends);
    if (ends == NULL)
        return ccs_diag_at(ld->d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t q = 0; q < n; q++)
        ends[q] = !always_transfers(&sc->queues[q]);
    for (bool grew = true; grew;) { /* at most n rounds */
        grew = false;
        for (size_t q = 0; q < n; q++) {
            const struct ccs_queue_def *qd = &sc->queues[q];
            for (size_t i = 0; i < qd->n_transfers && !ends[q]; i++)
                if (qd->transfers[i].probability > 0 && ends[qd->transfers[i].to]) {
                    ends[q] = true;
                    grew = true;
                }
        }
    }
    size_t bad = n;
    for (size_t q = 0; q < n && bad == n; q++)
        if (!ends[q])
            bad = q;
    free(ends);
    if (bad == n)
        return 0;
    /* Name the loop: follow the first transfer of positive probability from
       the queue until a queue repeats (every queue on the way never ends). */
    char path[512];
    size_t len = 0, q = bad;
    uint32_t *seen = ccs_calloc(n, sizeof *seen);
    if (seen == NULL)
        return ccs_diag_at(ld->d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    path[0] = '\0';
    for (uint32_t step = 1; seen[q] == 0; step++) {
        seen[q] = step;
        const struct ccs_queue_def *qd = &sc->queues[q];
        size_t next = q;
        for (size_t i = 0; i < qd->n_transfers && next == q; i++)
            if (qd->transfers[i].probability > 0)
                next = qd->transfers[i].to;
        q = next;
    }
    /* q is the first queue met twice: print the loop from it */
    size_t start = q;
    do {
        int w = snprintf(path + len, sizeof path - len, "'%s' -> ", sc->queues[q].id);
        len = w < 0 || (size_t)w >= sizeof path - len ? sizeof path - 1 : len + (size_t)w;
        const struct ccs_queue_def *qd = &sc->queues[q];
        for (size_t i = 0; i < qd->n_transfers; i++)
            if (qd->transfers[i].probability > 0) {
                q = qd->transfers[i].to;
                break;
            }
    } while (q != start && len < sizeof path - 1);
    if (len < sizeof path - 1)
        snprintf(path + len, sizeof path - len, "'%s'", sc->queues[start].id);
    free(seen);
    const struct ccs_ynode *tr = ccs__ymap_get(qs->items[bad], "transfers");
    return ccs__yerr(ld->d, CCS_ESCHEMA, tr,
                     "transfers of queue '%s' never end: every conversation is transferred "
                     "again (%s); give one of these queues a transfer probability below 100%%",
                     sc->queues[bad].id, path);
}

/* Second pass: queue ids named inside queues (transfers, repeat contacts). */
static int resolve_queue_refs(struct loader *ld, const struct ccs_ynode *qs)
{
    struct ccs_scenario *sc = ld->sc;
    for (size_t q = 0; q < sc->n_queues; q++) {
        struct ccs_queue_def *qd = &sc->queues[q];
        const struct ccs_ynode *tr = ccs__ymap_get(qs->items[q], "transfers");
        for (size_t i = 0; i < qd->n_transfers; i++) {
            const struct ccs_ynode *to = ccs__ymap_get(tr->items[i], "to");
            const char *id;
            int rc = ccs__yval_id(to, "to", &id, ld->d);
            if (rc)
                return rc;
            int t = find_queue(ld, id);
            if (t < 0)
                return ccs__yerr(ld->d, CCS_ESCHEMA, to, "transfer to '%s', which is not a queue",
                                 id);
            if ((size_t)t == q)
                return ccs__yerr(ld->d, CCS_ESCHEMA, to, "queue '%s' transfers to itself", id);
            if (sc->queues[t].channel == CCS_CH_OUTBOUND)
                return ccs__yerr(ld->d, CCS_ESCHEMA, to,
                                 "transfers cannot go to an outbound queue");
            qd->transfers[i].to = (uint32_t)t;
        }
        qd->resolution.queue = (uint32_t)q;
        const struct ccs_ynode *res = ccs__ymap_get(qs->items[q], "resolution");
        const struct ccs_ynode *rq = res ? ccs__ymap_get(res, "repeat_queue") : NULL;
        if (rq != NULL) {
            const char *id;
            int rc = ccs__yval_id(rq, "repeat_queue", &id, ld->d);
            if (rc)
                return rc;
            int t = find_queue(ld, id);
            if (t < 0)
                return ccs__yerr(ld->d, CCS_ESCHEMA, rq, "repeat contacts go to '%s', which is not "
                                                         "a queue",
                                 id);
            if (sc->queues[t].channel == CCS_CH_OUTBOUND)
                return ccs__yerr(ld->d, CCS_ESCHEMA, rq,
                                 "repeat contacts cannot go to an outbound queue");
            qd->resolution.queue = (uint32_t)t;
        }
    }
    return 0;
}

static int read_trunks(struct loader *ld, const struct ccs_ynode *root)
{
    static const char *const keys[] = {"id", "lines", "cost_per_minute"};
    const struct ccs_ynode *n = ccs__ymap_get(root, "trunks");
    if (n == NULL)
        return 0;
    struct ccs_diag *d = ld->d;
    struct ccs_scenario *sc = ld->sc;
    int rc = ccs__ywant_seq(n, "'trunks'", d);
    if (rc)
        return rc;
    if (n->len > MAX_ITEMS)
        return ccs__yerr(d, CCS_ESCHEMA, n, "too many trunks");
    sc->trunks = ccs_calloc(n->len ? n->len : 1, sizeof *sc->trunks);
    if (sc->trunks == NULL)
        return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; i < n->len; i++) {
        const struct ccs_ynode *t = n->items[i];
        struct ccs_trunk_def *td = &sc->trunks[i];
        long long lines = 0;
        if ((rc = ccs__ywant_map(t, "a trunk", d)) || (rc = ccs__ycheck_keys(t, keys, 3, "trunk", d)) ||
            (rc = ccs__yread_id(t, "id", true, &td->id, d)) ||
            (rc = ccs__yread_int(t, "lines", true, 1, 1000000, &lines, d)) ||
            (rc = ccs__yread_number(t, "cost_per_minute", false, 0, 1e6, &td->cost_per_minute, d)))
            return rc;
        td->lines = (uint32_t)lines;
        sc->n_trunks = ld->named_trunks = i + 1;
        int first = find_trunk(ld, td->id);
        if (first != (int)i)
            return ccs__yerr(d, CCS_ESCHEMA, ccs__ymap_get(t, "id"),
                             "duplicate trunk id '%s' (first defined at line %d)", td->id,
                             ccs__ymap_get(n->items[first], "id")->line);
    }
    return 0;
}

/* --- groups ---------------------------------------------------------------------- */

static int unknown_queue(struct loader *ld, const struct ccs_ynode *at, const char *group,
                         const char *name)
{
    const struct ccs_scenario *sc = ld->sc;
    const char **ids = ccs_malloc(sc->n_queues * sizeof *ids);
    const char *close = NULL;
    if (ids != NULL) {
        for (size_t q = 0; q < sc->n_queues; q++)
            ids[q] = sc->queues[q].id;
        close = ccs__closest(name, ids, sc->n_queues);
    }
    int rc = close != NULL
                 ? ccs__yerr(ld->d, CCS_ESCHEMA, at,
                             "group '%s' has skill '%s', which is not a queue; did you mean '%s'?",
                             group, name, close)
                 : ccs__yerr(ld->d, CCS_ESCHEMA, at,
                             "group '%s' has skill '%s', which is not a queue", group, name);
    free(ids);
    return rc;
}

static int read_skill(struct loader *ld, const struct ccs_ynode *n, struct ccs_group_def *gd,
                      size_t index)
{
    static const char *const keys[] = {"queue", "level", "priority", "delay"};
    struct ccs_diag *d = ld->d;
    struct ccs_skill *sk = &gd->skills[index];
    const char *qname;
    const struct ccs_ynode *qnode = n;
    int rc;
    long long prio = (long long)index;
    sk->level = 1.0;
    sk->delay = 0.0;
    if (n->kind == CCS_Y_MAP) {
        if ((rc = ccs__ycheck_keys(n, keys, 4, "skill", d)) ||
            (rc = ccs__yread_id(n, "queue", true, &qname, d)) ||
            (rc = ccs__yread_number(n, "level", false, 0.01, 100, &sk->level, d)) ||
            (rc = ccs__yread_int(n, "priority", false, -MAX_PRIORITY, MAX_PRIORITY, &prio, d)) ||
            (rc = ccs__yread_duration(n, "delay", false, 0, MAX_HORIZON, &sk->delay, d)))
            return rc;
        qnode = ccs__ymap_get(n, "queue");
    } else if ((rc = ccs__yval_id(n, "skills", &qname, d))) {
        return rc;
    }
    int q = find_queue(ld, qname);
    if (q < 0)
        return unknown_queue(ld, qnode, gd->id, qname);
    for (size_t j = 0; j < index; j++)
        if (gd->skills[j].queue == (uint32_t)q)
            return ccs__yerr(d, CCS_ESCHEMA, qnode, "group '%s' lists skill '%s' twice", gd->id,
                             qname);
    sk->queue = (uint32_t)q;
    sk->priority = (int)prio;
    return 0;
}

/* staffing: [n0, n1, ...] per interval, or {agents: [...], per: 15m}. */
static int read_plan(struct loader *ld, const struct ccs_ynode *n, struct ccs_group_def *gd)
{
    static const char *const keys[] = {"agents", "per"};
    struct ccs_diag *d = ld->d;
    const struct ccs_ynode *list = n;
    double per = ld->sc->interval;
    int rc;
    if (n->kind == CCS_Y_MAP) {
        if ((rc = ccs__ycheck_keys(n, keys, 2, "staffing", d)) ||
            (rc = ccs__yread_duration(n, "per", false, 1, MAX_HORIZON, &per, d)))
            return rc;
        list = ccs__ymap_get(n, "agents");
        if (list == NULL)
            return ccs__yerr(d, CCS_ESCHEMA, n, "missing required key 'agents' in 'staffing'");
    }
    if ((rc = ccs__ywant_seq(list, "'staffing'", d)))
        return rc;
    if (list->len == 0 || list->len > (size_t)MAX_INTERVALS)
        return ccs__yerr(d, CCS_ESCHEMA, list, "'staffing' must list agents for 1 to %g steps",
                         MAX_INTERVALS);
    gd->plan = ccs_calloc(list->len, sizeof *gd->plan);
    if (gd->plan == NULL)
        return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    gd->n_plan = list->len;
    gd->plan_step = per;
    double max = 0;
    for (size_t i = 0; i < list->len; i++) {
        double v;
        if ((rc = ccs__yval_number(list->items[i], "staffing", 0, MAX_AGENTS, &v, d)))
            return rc;
        if (v != floor(v))
            return ccs__yerr(d, CCS_ESCHEMA, list->items[i],
                             "'staffing' lists whole numbers of agents, got '%s'",
                             list->items[i]->text);
        gd->plan[i] = v;
        if (v > max)
            max = v;
    }
    gd->agents = (uint32_t)max;
    return check_repeat(ld, list, list->len, per, "staffing", &gd->plan_repeat);
}

static int read_days(struct loader *ld, const struct ccs_ynode *n, uint8_t *mask)
{
    int rc = ccs__ywant_seq(n, "'days'", ld->d);
    if (rc)
        return rc;
    *mask = 0;
    for (size_t i = 0; i < n->len; i++) {
        const struct ccs_ynode *v = n->items[i];
        int day = -1;
        for (int k = 0; v->kind == CCS_Y_SCALAR && k < 7; k++)
            if (strcmp(v->text, weekdays[k]) == 0)
                day = k;
        if (day < 0)
            return ccs__yerr(ld->d, CCS_ESCHEMA, v, "'days' lists weekdays: mon, tue, wed, thu, "
                                                    "fri, sat, sun");
        *mask |= (uint8_t)(1u << day);
    }
    return 0;
}

/* Default spread of a break given as 'after': starts staggered over this window. */
#define BREAK_STAGGER CCS_HOUR

/*
 * Where a break of shift sh starts, as [after, latest] into the shift: the
 * agents of the shift are spread evenly over that window (staffing.c), so a
 * rule never sends a whole shift on break at once. 'after: T' spreads them
 * over 'stagger' (default 1 h) centred on T, kept inside the shift;
 * 'window: [a, b]' over the window; 'at: HH:MM' (a clock time, as a roster
 * gives it) puts every agent of the shift there.
 */
static int read_break_place(struct loader *ld, const struct ccs_ynode *b,
                            const struct ccs_shift_def *sh, struct ccs_break_def *bd)
{
    struct ccs_diag *d = ld->d;
    const struct ccs_ynode *after = ccs__ymap_get(b, "after"), *win = ccs__ymap_get(b, "window"),
                           *at = ccs__ymap_get(b, "at"), *stagger = ccs__ymap_get(b, "stagger");
    int given = (after != NULL) + (win != NULL) + (at != NULL), rc;
    if (given != 1)
        return ccs__yerr(d, CCS_ESCHEMA, b,
                         "a break needs one of 'after' (offset into the shift, staggered across "
                         "its agents), 'window' ([earliest, latest] start) or 'at' (a clock time)");
    if (stagger != NULL && after == NULL)
        return ccs__yerr(d, CCS_ESCHEMA, stagger, "'stagger' applies to a break given by 'after'");
    double last = sh->length - bd->length; /* the latest start inside the shift */
    if (after != NULL) {
        double t, w = BREAK_STAGGER;
        if ((rc = ccs__yval_duration(after, "after", 0, CCS_DAY, &t, d)) ||
            (rc = ccs__yread_duration(b, "stagger", false, 0, CCS_DAY, &w, d)))
            return rc;
        if (t > last)
            return ccs__yerr(d, CCS_ERANGE, b, "the break ends after its shift does");
        bd->after = fmax(0.0, t - w / 2);
        bd->latest = fmin(last, t + w / 2);
        return 0;
    }
    if (at != NULL) {
        double clock;
        if ((rc = ccs__yval_duration(at, "at", 0, CCS_DAY - 1e-9, &clock, d)))
            return rc;
        double off = fmod(clock - sh->start + CCS_DAY, CCS_DAY);
        if (off > last)
            return ccs__yerr(d, CCS_ERANGE, at,
                             "a break at '%s' is not inside its shift (or ends after it)",
                             at->text);
        bd->after = bd->latest = off;
        return 0;
    }
    if ((rc = ccs__ywant_seq(win, "'window'", d)))
        return rc;
    if (win->len != 2)
        return ccs__yerr(d, CCS_ESCHEMA, win,
                         "'window' is [earliest, latest], two durations into the shift");
    if ((rc = ccs__yval_duration(win->items[0], "window", 0, CCS_DAY, &bd->after, d)) ||
        (rc = ccs__yval_duration(win->items[1], "window", 0, CCS_DAY, &bd->latest, d)))
        return rc;
    if (bd->latest < bd->after)
        return ccs__yerr(d, CCS_ERANGE, win, "'window' ends before it starts");
    if (bd->latest > last)
        return ccs__yerr(d, CCS_ERANGE, b, "the break ends after its shift does");
    return 0;
}

static int read_shifts(struct loader *ld, const struct ccs_ynode *n, struct ccs_group_def *gd)
{
    static const char *const keys[] = {"start", "length", "agents", "breaks", "days"};
    static const char *const bkeys[] = {"after", "window", "at", "length", "stagger"};
    struct ccs_diag *d = ld->d;
    int rc = ccs__ywant_seq(n, "'shifts'", d);
    if (rc)
        return rc;
    if (n->len == 0 || n->len > MAX_ITEMS)
        return ccs__yerr(d, CCS_ESCHEMA, n, "'shifts' must list 1 to %d shifts", MAX_ITEMS);
    gd->shifts = ccs_calloc(n->len, sizeof *gd->shifts);
    if (gd->shifts == NULL)
        return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    gd->n_shifts = n->len;
    double total = 0;
    for (size_t i = 0; i < n->len; i++) {
        const struct ccs_ynode *m = n->items[i];
        struct ccs_shift_def *sh = &gd->shifts[i];
        long long agents = 0;
        sh->days_mask = 0x7f;
        if ((rc = ccs__ywant_map(m, "a shift", d)) ||
            (rc = ccs__ycheck_keys(m, keys, 5, "shift", d)) ||
            (rc = ccs__yread_duration(m, "start", true, 0, CCS_DAY - 1e-9, &sh->start, d)) ||
            (rc = ccs__yread_duration(m, "length", true, POSITIVE, CCS_DAY, &sh->length, d)) ||
            (rc = ccs__yread_int(m, "agents", true, 0, MAX_AGENTS, &agents, d)))
            return rc;
        sh->agents = (uint32_t)agents;
        total += (double)agents;
        const struct ccs_ynode *days = ccs__ymap_get(m, "days");
        if (days != NULL && (rc = read_days(ld, days, &sh->days_mask)))
            return rc;
        const struct ccs_ynode *br = ccs__ymap_get(m, "breaks");
        if (br == NULL)
            continue;
        if ((rc = ccs__ywant_seq(br, "'breaks'", d)))
            return rc;
        if (br->len > 100)
            return ccs__yerr(d, CCS_ESCHEMA, br, "too many breaks in one shift (at most 100)");
        sh->breaks = ccs_calloc(br->len ? br->len : 1, sizeof *sh->breaks);
        if (sh->breaks == NULL)
            return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
        sh->n_breaks = br->len;
        for (size_t j = 0; j < br->len; j++) {
            const struct ccs_ynode *b = br->items[j];
            struct ccs_break_def *bd = &sh->breaks[j];
            if ((rc = ccs__ywant_map(b, "a break", d)) ||
                (rc = ccs__ycheck_keys(b, bkeys, 5, "break", d)) ||
                (rc = ccs__yread_duration(b, "length", true, POSITIVE, CCS_DAY, &bd->length, d)))
                return rc;
            if ((rc = read_break_place(ld, b, sh, bd)))
                return rc;
            if (bd->latest + bd->length > sh->length)
                return ccs__yerr(d, CCS_ERANGE, b, "the break ends after its shift does");
        }
    }
    if (total > (double)MAX_AGENTS)
        return ccs__yerr(d, CCS_ERANGE, n, "%.0f agents in the shifts is absurdly large", total);
    gd->agents = (uint32_t)total;
    return 0;
}

static int read_group(struct loader *ld, const struct ccs_ynode *g, struct ccs_group_def *gd)
{
    static const char *const keys[] = {"id",          "agents",   "skills",  "concurrency",
                                       "slowdown",    "cost_per_hour", "staffing", "shifts",
                                       "absenteeism", "rostering"};
    struct ccs_diag *d = ld->d;
    long long agents = 0, conc = 1;
    int rc;
    gd->capacity = 1;
    if ((rc = ccs__ywant_map(g, "a group", d)) ||
        (rc = ccs__ycheck_keys(g, keys, sizeof keys / sizeof keys[0], "group", d)) ||
        (rc = ccs__yread_id(g, "id", true, &gd->id, d)))
        return rc;
    const struct ccs_ynode *an = ccs__ymap_get(g, "agents"), *pn = ccs__ymap_get(g, "staffing"),
                           *sn = ccs__ymap_get(g, "shifts");
    if ((an != NULL) + (pn != NULL) + (sn != NULL) != 1)
        return ccs__yerr(d, CCS_ESCHEMA, g,
                         "group '%s' needs exactly one of 'agents' (a constant head count), "
                         "'staffing' (agents per interval) or 'shifts'",
                         gd->id);
    if ((an != NULL && (rc = ccs__yread_int(g, "agents", true, 1, MAX_AGENTS, &agents, d))) ||
        (pn != NULL && (rc = read_plan(ld, pn, gd))) ||
        (sn != NULL && (rc = read_shifts(ld, sn, gd))) ||
        (rc = ccs__yread_fraction(g, "absenteeism", false, &gd->absenteeism, d)) ||
        (rc = ccs__yread_int(g, "concurrency", false, 1, 100, &conc, d)) ||
        (rc = ccs__yread_number(g, "slowdown", false, 0, 10, &gd->slowdown, d)) ||
        (rc = ccs__yread_number(g, "cost_per_hour", false, 0, 1e6, &gd->cost_per_hour, d)))
        return rc;
    const struct ccs_ynode *rn = ccs__ymap_get(g, "rostering");
    if (rn != NULL && (rc = ccs__read_rostering(rn, ld->sc, gd, d)))
        return rc;
    if (an != NULL)
        gd->agents = (uint32_t)agents;
    gd->capacity = (uint32_t)conc;
    const struct ccs_ynode *sk = ccs__ymap_get(g, "skills");
    if (sk == NULL)
        return ccs__yerr(d, CCS_ESCHEMA, g, "missing required key 'skills' in group '%s'", gd->id);
    if ((rc = ccs__ywant_seq(sk, "'skills'", d)))
        return rc;
    if (sk->len == 0 || sk->len > MAX_ITEMS)
        return ccs__yerr(d, CCS_ESCHEMA, sk, "group '%s' must have at least one skill", gd->id);
    gd->skills = ccs_calloc(sk->len, sizeof *gd->skills);
    if (gd->skills == NULL)
        return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    gd->n_skills = sk->len;
    for (size_t i = 0; i < sk->len; i++)
        if ((rc = read_skill(ld, sk->items[i], gd, i)))
            return rc;
    return 0;
}

/* --- the whole scenario ---------------------------------------------------------- */

/* Are the n ids unique? The first repeat in list order is the error (the
   earliest i equal to some j < i, against the first such j), found by
   sorting (id, index) pairs. On success *sorted (if not NULL) takes them. */
static int check_unique(struct loader *ld, const struct ccs_ynode *list, const char *what,
                        const char *const *ids, size_t n, struct idref **sorted)
{
    struct idref *r = ccs_malloc((n ? n : 1) * sizeof *r);
    if (r == NULL)
        return ccs_diag_at(ld->d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; i < n; i++)
        r[i] = (struct idref){ids[i], i};
    qsort(r, n, sizeof *r, idref_cmp);
    size_t bi = SIZE_MAX, bj = 0;
    for (size_t k = 1; k < n; k++)
        if (strcmp(r[k].id, r[k - 1].id) == 0 && (k < 2 || strcmp(r[k - 1].id, r[k - 2].id) != 0) &&
            r[k].i < bi) {
            bi = r[k].i; /* the second of a run of equal ids, against the first */
            bj = r[k - 1].i;
        }
    if (bi != SIZE_MAX) {
        free(r);
        const struct ccs_ynode *at = ccs__ymap_get(list->items[bi], "id");
        const struct ccs_ynode *first = ccs__ymap_get(list->items[bj], "id");
        return ccs__yerr(ld->d, CCS_ESCHEMA, at, "duplicate %s id '%s' (first defined at line %d)",
                         what, ids[bi], first->line);
    }
    if (sorted != NULL)
        *sorted = r;
    else
        free(r);
    return 0;
}

/* An embedder's policy of that name first, then a built-in one; NULL if none. */
static const struct ccs_policy_ops *find_policy(const struct loader *ld, const char *name)
{
    for (size_t i = 0; ld->extra != NULL && ld->extra[i] != NULL; i++)
        if (strcmp(ld->extra[i]->name, name) == 0)
            return ld->extra[i];
    return ccs_policy_find(name);
}

static int read_routing(struct loader *ld, const struct ccs_ynode *root)
{
    struct ccs_scenario *sc = ld->sc;
    struct ccs_diag *d = ld->d;
    const struct ccs_ynode *r = ccs__ymap_get(root, "routing");
    sc->policy = ccs_policy_find("acd");
    sc->policy_params = NULL;
    if (r == NULL)
        return 0;
    int rc = ccs__ywant_map(r, "'routing'", d);
    if (rc)
        return rc;
    sc->policy_params = (const struct ccs_params *)r;
    const struct ccs_ynode *p = ccs__ymap_get(r, "policy");
    if (p == NULL)
        return 0;
    if (p->kind != CCS_Y_SCALAR)
        return ccs__yerr(d, CCS_ESCHEMA, p, "'policy' must be a policy name, got %s",
                         ccs__ykind_name(p));
    sc->policy = find_policy(ld, p->text);
    if (sc->policy != NULL)
        return 0;
    const char *names[64];
    char list[512] = "";
    size_t n = 0, used = 0;
    for (size_t pass = 0; pass < 2; pass++) {
        const struct ccs_policy_ops *const *reg = pass == 0 ? ld->extra : ccs_policies;
        for (size_t i = 0; reg != NULL && reg[i] != NULL && n < 64; i++, n++) {
            names[n] = reg[i]->name;
            if (used < sizeof list)
                used += (size_t)snprintf(list + used, sizeof list - used, "%s%s",
                                         n ? ", " : "", names[n]);
        }
    }
    const char *close = ccs__closest(p->text, names, n);
    if (close != NULL)
        return ccs__yerr(d, CCS_ESCHEMA, p,
                         "unknown routing policy '%s'; did you mean '%s'? (known: %s)", p->text,
                         close, list);
    return ccs__yerr(d, CCS_ESCHEMA, p, "unknown routing policy '%s' (known: %s)", p->text, list);
}

static const char *const top_keys[] = {
    "name",     "description", "seed",  "replications", "horizon", "warmup",
    "interval", "drain",       "service_level_definition", "queues", "groups", "routing",
    "trunks",   "start_day",   "start_time", "busyness_cv", "trace",  "forecast",
    "variants", /* for ccsim compare; the simulator ignores it (load/variants.c) */
    "backtest", /* for ccsim compare: the model's error on real days; not read here */
};

static int build(struct loader *ld, const struct ccs_ynode *root)
{
    struct ccs_scenario *sc = ld->sc;
    struct ccs_diag *d = ld->d;
    int rc;
    long long reps = 10;
    if (root->kind != CCS_Y_MAP)
        return ccs__yerr(d, CCS_ESCHEMA, root,
                         "a scenario must be a mapping with 'queues' and 'groups', got %s",
                         ccs__ykind_name(root));
    sc->seed = 1;
    sc->horizon = CCS_DAY;
    sc->interval = 30 * CCS_MINUTE;
    sc->warmup = 0;
    sc->drain = false;
    int sldef = CCS_SL_OFFERED, start_day = 0;
    static const char *const sl_names[] = {"offered", "answered", "no_short_abandons", "handled",
                                           "all", NULL};
    if ((rc = ccs__ycheck_keys(root, top_keys, sizeof top_keys / sizeof top_keys[0],
                               "scenario", d)) ||
        (rc = ccs__variants_check(ccs__ymap_get(root, "variants"), d)) ||
        (rc = ccs__yread_string(root, "name", false, &sc->name, d)) ||
        (rc = ccs__yread_u64(root, "seed", false, &sc->seed, d)) ||
        (rc = ccs__yread_int(root, "replications", false, 1, MAX_REPLICATIONS, &reps, d)) ||
        (rc = ccs__yread_duration(root, "horizon", false, POSITIVE, MAX_HORIZON, &sc->horizon, d)) ||
        (rc = ccs__yread_duration(root, "warmup", false, 0, MAX_HORIZON, &sc->warmup, d)) ||
        (rc = ccs__yread_duration(root, "interval", false, 1, MAX_HORIZON, &sc->interval, d)) ||
        (rc = ccs__yread_bool(root, "drain", false, &sc->drain, d)) ||
        (rc = ccs__yread_choice(root, "service_level_definition", false, sl_names, &sldef, d)) ||
        (rc = ccs__yread_choice(root, "start_day", false, weekdays, &start_day, d)) ||
        (rc = ccs__yread_duration(root, "start_time", false, 0, CCS_DAY - 1e-9, &sc->start_time,
                                  d)) ||
        (rc = ccs__yread_fraction(root, "busyness_cv", false, &sc->busyness_cv, d)))
        return rc;
    const char *bt = NULL;
    if ((rc = ccs__yread_string(root, "backtest", false, &bt, d)) != 0)
        return rc;
    if (bt != NULL) {
        if (bt[0] == '\0')
            return ccs__yerr(d, CCS_ESCHEMA, ccs__ymap_get(root, "backtest"),
                             "'backtest' must name a file (backtest.csv, as ccsim backtest "
                             "--out writes it)");
        char path[4096];
        data_path(ld, bt, path, sizeof path);
        if ((sc->backtest = ccs_strdup(path)) == NULL)
            return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    }
    sc->start_day = start_day;
    sc->replications = (uint32_t)reps;
    sc->sl_def = (enum ccs_sl_def)sldef;
    if (sc->warmup >= sc->horizon)
        return ccs__yerr(d, CCS_ERANGE, ccs__ymap_get(root, "warmup"),
                         "'warmup' must be shorter than 'horizon'");
    double ni = ceil(sc->horizon / sc->interval - 1e-9);
    if (ni > MAX_INTERVALS)
        return ccs__yerr(d, CCS_ERANGE, ccs__ymap_get(root, "interval"),
                         "'horizon' / 'interval' gives %.0f reporting intervals (at most %.0f); "
                         "use a longer interval",
                         ni, MAX_INTERVALS);
    sc->n_intervals = ni < 1 ? 1 : (uint32_t)ni;

    const struct ccs_ynode *qs = ccs__ymap_get(root, "queues");
    const struct ccs_ynode *gs = ccs__ymap_get(root, "groups");
    if (qs == NULL)
        return ccs__yerr(d, CCS_ESCHEMA, root, "missing required key 'queues'");
    if (gs == NULL)
        return ccs__yerr(d, CCS_ESCHEMA, root, "missing required key 'groups'");
    if ((rc = ccs__ywant_seq(qs, "'queues'", d)) || (rc = ccs__ywant_seq(gs, "'groups'", d)))
        return rc;
    if (qs->len == 0 || qs->len > MAX_ITEMS)
        return ccs__yerr(d, CCS_ESCHEMA, qs, "'queues' must list 1 to %d queues", MAX_ITEMS);
    if (gs->len == 0 || gs->len > MAX_ITEMS)
        return ccs__yerr(d, CCS_ESCHEMA, gs, "'groups' must list 1 to %d groups", MAX_ITEMS);

    if ((rc = read_trunks(ld, root)))
        return rc;
    const struct ccs_ynode *fn = ccs__ymap_get(root, "forecast");
    if (fn != NULL && (rc = ccs__forecast_read(sc, fn, ld->dir, &ld->fc, d)))
        return rc;
    int qrc = ccs__scenario_alloc_queues(sc, qs->len);
    sc->groups = ccs_calloc(gs->len, sizeof *sc->groups);
    const char **ids = ccs_malloc((qs->len > gs->len ? qs->len : gs->len) * sizeof *ids);
    if (qrc != 0 || sc->groups == NULL || ids == NULL) {
        free(ids);
        return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    }
    rc = 0;
    for (size_t q = 0; q < qs->len && rc == 0; q++) {
        sc->n_queues = q + 1;
        rc = read_queue(ld, qs->items[q], &sc->queues[q]);
        ids[q] = sc->queues[q].id;
    }
    if (rc == 0)
        rc = check_unique(ld, qs, "queue", ids, qs->len, &ld->queue_ids);
    if (rc == 0)
        rc = resolve_queue_refs(ld, qs);
    if (rc == 0 && ld->fc != NULL)
        rc = ccs__forecast_finish(ld->fc, sc, d);
    if (rc == 0)
        rc = check_transfer_loops(ld, qs);
    for (size_t g = 0; g < gs->len && rc == 0; g++) {
        sc->n_groups = g + 1;
        rc = read_group(ld, gs->items[g], &sc->groups[g]);
        ids[g] = sc->groups[g].id;
    }
    if (rc == 0)
        rc = check_unique(ld, gs, "group", ids, gs->len, NULL);
    free(ids);
    if (rc)
        return rc;

    for (size_t g = 0; g < sc->n_groups; g++) {
        const struct ccs_group_def *gd = &sc->groups[g];
        for (size_t k = 0; gd->capacity > 1 && k < gd->n_skills; k++) {
            const struct ccs_queue_def *qd = &sc->queues[gd->skills[k].queue];
            if (qd->channel != CCS_CH_CHAT && qd->channel != CCS_CH_EMAIL)
                return ccs__yerr(d, CCS_ESCHEMA, ccs__ymap_get(gs->items[g], "concurrency"),
                                 "group '%s' has concurrency %u but serves %s queue '%s': only "
                                 "chat and e-mail can be handled several at once",
                                 gd->id, gd->capacity, channel_names[qd->channel], qd->id);
        }
    }
    for (size_t q = 0; q < sc->n_queues; q++)
        if (sc->queues[q].campaign.on && sc->warmup > 0)
            return ccs__yerr(d, CCS_ESCHEMA, ccs__ymap_get(root, "warmup"),
                             "queue '%s' runs a campaign, whose records are all there at the "
                             "start, which a warm-up would discard: a campaign belongs in a "
                             "terminating run (drop 'warmup')",
                             sc->queues[q].id);

    const struct ccs_ynode *tn = ccs__ymap_get(root, "trace");
    bool fc_dated = sc->dated; /* by a forecast */
    int32_t fc_date = sc->date;
    bool wants_trace = false;
    for (size_t q = 0; q < sc->n_queues; q++)
        wants_trace = wants_trace || sc->queues[q].arrivals.kind == CCS_ARR_TRACE;
    if (tn != NULL && ld->preread != NULL) {
        /* the block is checked again, the file is not read again */
        rc = ccs__trace_give(sc, ld->preread, ld->date_k, d);
    } else if (tn != NULL && ld->collect != NULL) {
        rc = ccs__trace_read(sc, tn, ld->dir, ld->collect, d);
        if (rc == 0 && ccs__trace_set_count(*ld->collect) <= 1)
            rc = ccs__trace_give_one(sc, *ld->collect, tn, d);
    } else if (tn != NULL) {
        rc = ccs__trace_load(sc, tn, ld->dir, d);
    }
    if (rc)
        return rc;
    if (fc_dated && sc->date != fc_date) {
        char a[16];
        ccs__imp_day_text(fc_date, a, sizeof a);
        return ccs__yerr(d, CCS_ESCHEMA, tn,
                         "the forecast starts on %s but the trace replays %s: one date places "
                         "the run",
                         a, sc->date_text);
    }
    if (tn == NULL && wants_trace)
        return ccs__yerr(d, CCS_ESCHEMA, root,
                         "a queue has 'arrivals: trace' but the scenario has no 'trace' block");

    double total_agents = 0;
    for (size_t g = 0; g < sc->n_groups; g++)
        total_agents += sc->groups[g].agents;
    if (total_agents > (double)MAX_AGENTS)
        return ccs__yerr(d, CCS_ERANGE, gs, "%.0f agents in all is absurdly large (at most %lld)",
                         total_agents, MAX_AGENTS);
    return read_routing(ld, root);
}

/* Build a scenario from a (possibly overridden) tree; takes ownership of doc. */
static int derive(const struct ccs_scenario *sc, const struct ccs_override *ov, size_t n_ov,
                  struct ccs_scenario **out, struct ccs_diag *d);

static int from_doc_trace(struct ccs_ydoc *doc, const char *origin,
                          const struct ccs_policy_ops *const *extra, struct ccs__trace_set *pre,
                          size_t k, struct ccs__trace_set **collect, struct ccs_scenario **out,
                          struct ccs_diag *d);

static int from_doc(struct ccs_ydoc *doc, const char *origin,
                    const struct ccs_policy_ops *const *extra, struct ccs_scenario **out,
                    struct ccs_diag *d)
{
    return from_doc_trace(doc, origin, extra, NULL, 0, NULL, out, d);
}

static int from_doc_trace(struct ccs_ydoc *doc, const char *origin,
                          const struct ccs_policy_ops *const *extra, struct ccs__trace_set *pre,
                          size_t k, struct ccs__trace_set **collect, struct ccs_scenario **out,
                          struct ccs_diag *d)
{
    *out = NULL;
    struct ccs_scenario *sc = ccs_calloc(1, sizeof *sc);
    if (sc == NULL) {
        ccs__ydoc_free(doc);
        return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    }
    sc->doc = doc;
    sc->extra_policies = extra;
    sc->derive = derive;
    sc->origin = ccs__strdup(origin);
    char *dir = ccs__strdup(origin);
    if (sc->origin == NULL || dir == NULL) {
        free(dir);
        ccs_scenario_free(sc);
        return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    }
    char *slash = strrchr(dir, '/');
    if (slash != NULL)
        *slash = '\0';
    struct loader ld = {sc,   d,       slash != NULL ? dir : NULL, extra, 0, pre, k, collect,
                        NULL, NULL, NULL, NAN, NULL};
    int rc = build(&ld, ccs__ydoc_root(doc));
    ccs__forecast_free(ld.fc);
    free(ld.queue_ids);
    free(dir);
    if (rc == 0 && sc->name == NULL) {
        const char *base = strrchr(sc->origin, '/');
        sc->name = base ? base + 1 : sc->origin;
    }
    if (rc == 0)
        rc = ccs__layout_build(sc);
    if (rc == 0) /* the policy validates its parameters against the built model */
        rc = ccs__policy_check(sc, d);
    if (rc != 0) {
        if (d != NULL && d->code == 0)
            ccs_diag_at(d, rc, origin, 0, 0, "%s", ccs_strerror(rc));
        ccs_scenario_free(sc);
        return rc;
    }
    *out = sc;
    return 0;
}

int ccs__scenario_from_doc(struct ccs_ydoc *doc, const char *origin,
                           const struct ccs_policy_ops *const *extra, struct ccs_scenario **out,
                           struct ccs_diag *d)
{
    return from_doc(doc, origin, extra, out, d);
}

/*
 * A group's head count is one of 'agents', 'staffing' or 'shifts'. An
 * override "groups.G.KEY" setting one of them replaces whichever the file
 * gave, so `--set groups.G.staffing=[...]` works on a group with 'agents'
 * (as `ccsim staff` and sweeps need). Called after the set succeeded, so
 * the path is known to resolve.
 */
static void drop_rival_headcounts(struct ccs_ydoc *doc, const char *path)
{
    /* trace.date and trace.dates likewise: --date on a file that says 'dates' */
    struct ccs_ynode *tr = ccs__ymap_get(ccs__ydoc_root(doc), "trace");
    if (strcmp(path, "trace.date") == 0)
        ccs__ymap_remove(tr, "dates");
    if (strcmp(path, "trace.dates") == 0)
        ccs__ymap_remove(tr, "date");
    static const char *const heads[] = {"agents", "staffing", "shifts"};
    const char *dot1 = strchr(path, '.'), *dot2 = dot1 ? strchr(dot1 + 1, '.') : NULL;
    if (dot2 == NULL || strchr(dot2 + 1, '.') != NULL || strncmp(path, "groups.", 7) != 0)
        return;
    int which = -1;
    for (int k = 0; k < 3; k++)
        if (strcmp(dot2 + 1, heads[k]) == 0)
            which = k;
    const struct ccs_ynode *gs = ccs__ymap_get(ccs__ydoc_root(doc), "groups");
    if (which < 0 || gs == NULL || gs->kind != CCS_Y_SEQ)
        return;
    const char *seg = dot1 + 1;
    size_t n = (size_t)(dot2 - seg);
    struct ccs_ynode *g = NULL;
    if (strspn(seg, "0123456789") >= n) {
        size_t i = (size_t)strtoull(seg, NULL, 10);
        g = i < gs->len ? gs->items[i] : NULL;
    } else {
        for (size_t i = 0; i < gs->len && g == NULL; i++) {
            const struct ccs_ynode *id = ccs__ymap_get(gs->items[i], "id");
            if (id != NULL && id->kind == CCS_Y_SCALAR && strncmp(id->text, seg, n) == 0 &&
                id->text[n] == '\0')
                g = gs->items[i];
        }
    }
    for (int k = 0; k < 3 && g != NULL; k++)
        if (k != which)
            ccs__ymap_remove(g, heads[k]);
}

int ccs__scenario_set_node(struct ccs_ydoc *doc, const struct ccs_ynode *key,
                           const struct ccs_ynode *value, struct ccs_diag *d)
{
    int rc = ccs__ydoc_set_node(doc, key, value, d);
    if (rc == 0)
        drop_rival_headcounts(doc, key->text);
    return rc;
}

static int apply_overrides(struct ccs_ydoc *doc, const struct ccs_override *ov, size_t n,
                           struct ccs_diag *d)
{
    for (size_t i = 0; i < n; i++) {
        int rc = ccs__ydoc_set(doc, ov[i].path, ov[i].value, ov[i].origin ? ov[i].origin : "--set",
                               ov[i].path_col, ov[i].value_col, d);
        if (rc)
            return rc;
        drop_rival_headcounts(doc, ov[i].path);
    }
    return 0;
}

int ccs__scenario_set_override(struct ccs_ydoc *doc, const struct ccs_override *ov,
                               struct ccs_diag *d)
{
    return apply_overrides(doc, ov, 1, d);
}

/* The load option 'dates': trace.dates, replacing trace.date. */
static int apply_dates(struct ccs_ydoc *doc, const struct ccs_load_opts *o, const char *path,
                       struct ccs_diag *d)
{
    if (o->dates == NULL)
        return 0;
    const char *origin = o->dates_origin != NULL ? o->dates_origin : "dates";
    struct ccs_ynode *tr = ccs__ymap_get(ccs__ydoc_root(doc), "trace");
    if (tr == NULL || tr->kind != CCS_Y_MAP)
        return ccs_diag_at(d, CCS_EINVAL, path, 0, 0,
                           "%s: the scenario has no 'trace' block to choose dates from", origin);
    int rc = ccs__ydoc_set(doc, "trace.dates", o->dates, origin, 1, 1, d);
    if (rc == 0)
        ccs__ymap_remove(tr, "date");
    return rc;
}

int ccs_scenario_load_opts(const char *path, const struct ccs_load_opts *o,
                           struct ccs_scenario **out, struct ccs_diag *d)
{
    static const struct ccs_load_opts none = {0};
    if (o == NULL)
        o = &none;
    struct ccs_ydoc *doc;
    *out = NULL;
    int rc = ccs__ydoc_load_file(path, &doc, d);
    if (rc)
        return rc;
    if ((rc = apply_overrides(doc, o->ov, o->n_ov, d)) || (rc = apply_dates(doc, o, path, d))) {
        ccs__ydoc_free(doc);
        return rc;
    }
    return from_doc(doc, path, o->policies, out, d);
}

int ccs_scenario_load_text(const char *origin, const char *text, size_t len,
                           const struct ccs_load_opts *o, struct ccs_scenario **out,
                           struct ccs_diag *d)
{
    static const struct ccs_load_opts none = {0};
    if (o == NULL)
        o = &none;
    if (origin == NULL)
        origin = "<string>";
    struct ccs_ydoc *doc;
    *out = NULL;
    int rc = ccs__ydoc_load_string(origin, text, len, 1, 1, &doc, d);
    if (rc)
        return rc;
    if ((rc = apply_overrides(doc, o->ov, o->n_ov, d)) || (rc = apply_dates(doc, o, origin, d))) {
        ccs__ydoc_free(doc);
        return rc;
    }
    return from_doc(doc, origin, o->policies, out, d);
}

int ccs_scenario_load(const char *path, const struct ccs_override *ov, size_t n_ov,
                      struct ccs_scenario **out, struct ccs_diag *d)
{
    struct ccs_load_opts o = {ov, n_ov, NULL, NULL, NULL};
    return ccs_scenario_load_opts(path, &o, out, d);
}

/* The derive hook of scenarios this loader builds (struct ccs_scenario). */
static int derive(const struct ccs_scenario *sc, const struct ccs_override *ov, size_t n_ov,
                  struct ccs_scenario **out, struct ccs_diag *d)
{
    struct ccs_ydoc *doc;
    *out = NULL;
    if (ccs__ydoc_clone(sc->doc, &doc) != 0)
        return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    int rc = apply_overrides(doc, ov, n_ov, d);
    if (rc) {
        ccs__ydoc_free(doc);
        return rc;
    }
    return from_doc(doc, sc->origin, sc->extra_policies, out, d);
}


/* --- a trace replayed date by date ---------------------------------------------- */

void ccs_scenario_list_free(struct ccs_scenario **scs, size_t n)
{
    if (scs == NULL)
        return;
    for (size_t i = 0; i < n; i++)
        ccs_scenario_free(scs[i]);
    free(scs);
}

int ccs_scenario_load_dates(const char *path, const struct ccs_load_opts *o,
                            struct ccs_scenario ***out, size_t *n, struct ccs_diag *d)
{
    static const struct ccs_load_opts none = {0};
    if (o == NULL)
        o = &none;
    *out = NULL;
    *n = 0;
    struct ccs_ydoc *doc, *copy;
    int rc = ccs__ydoc_load_file(path, &doc, d);
    if (rc)
        return rc;
    if ((rc = apply_overrides(doc, o->ov, o->n_ov, d)) != 0 ||
        (rc = apply_dates(doc, o, path, d)) != 0 || (rc = ccs__ydoc_clone(doc, &copy)) != 0) {
        if (rc == CCS_ENOMEM)
            ccs_diag_at(d, rc, NULL, 0, 0, "out of memory");
        ccs__ydoc_free(doc);
        return rc;
    }
    /* the whole scenario is checked, and the file read, once */
    struct ccs__trace_set *ts = NULL;
    struct ccs_scenario *base;
    if ((rc = from_doc_trace(copy, path, o->policies, NULL, 0, &ts, &base, d)) != 0) {
        ccs__trace_set_free(ts);
        ccs__ydoc_free(doc);
        return rc;
    }
    size_t count = ts == NULL ? 0 : ccs__trace_set_count(ts);
    struct ccs_scenario **scs = ccs_calloc(count > 1 ? count : 1, sizeof *scs);
    if (scs == NULL) {
        rc = ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    } else if (count <= 1) {
        scs[0] = base; /* the trace (if any) is already in it */
        base = NULL;
        *n = 1;
    }
    /*
     * One scenario per date, each with the records read for it. Its source
     * says `trace.dates: DATE`, so a variant derived from it (compare,
     * staff) reads that date again, and only that.
     */
    for (size_t k = 0; rc == 0 && count > 1 && k < count; k++) {
        char day[16];
        ccs__imp_day_text(ccs__trace_set_day(ts, k), day, sizeof day);
        struct ccs_ydoc *dk;
        if (ccs__ydoc_clone(doc, &dk) != 0) {
            rc = ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
            break;
        }
        if ((rc = ccs__ydoc_set(dk, "trace.dates", day, path, 1, 1, d)) != 0) {
            ccs__ydoc_free(dk);
            break;
        }
        drop_rival_headcounts(dk, "trace.dates");
        if ((rc = from_doc_trace(dk, path, o->policies, ts, k, NULL, &scs[k], d)) != 0)
            break;
        *n = k + 1;
    }
    ccs_scenario_free(base);
    ccs__trace_set_free(ts);
    ccs__ydoc_free(doc);
    if (rc != 0) {
        ccs_scenario_list_free(scs, *n);
        *n = 0;
        return rc;
    }
    *out = scs;
    return 0;
}
