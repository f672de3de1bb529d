/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * roster_load.c - a group's 'rostering' key (shift templates, breaks, days
 * off, part-time rule) -> struct ccs_rostering_def, every time checked
 * against the roster grid (whole reporting intervals) with a located error.
 * docs/scenario.md documents the keys; sim/exp/schedule.c uses them.
 */
#include "load/roster_load.h"

#include "ccs/units.h"
#include "core/timeconst.h"
#include "fmt/yread.h"
#include "ccs/mem.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_TEMPLATES 1000
#define MAX_AGENTS 100000LL

struct rgrid {
    const struct ccs_scenario *sc;
    uint32_t days, per_day; /* per_day 0: no grid (the horizon does not fit) */
    bool cyclic;
    char **grid_error;      /* the group's rostering->grid_error */
};

/* Keep the first misfit with the horizon for `schedule` (see scenario.h). */
static void misfit(const struct rgrid *g, const struct ccs_ynode *n, const char *fmt,
                   const char *a, const char *b)
{
    if (*g->grid_error != NULL)
        return;
    struct ccs_diag d;
    ccs_diag_clear(&d);
    ccs__yerr(&d, CCS_ESCHEMA, n, fmt, a, b);
    size_t len = strlen(d.msg) + 1;
    *g->grid_error = ccs_malloc(len);
    if (*g->grid_error != NULL)
        memcpy(*g->grid_error, d.msg, len);
}

/* A duration that must be a whole number of reporting intervals. */
static int whole(const struct rgrid *g, const struct ccs_ynode *n, const char *key, double min,
                 double max, double *out, struct ccs_diag *d)
{
    int rc = ccs__yval_duration(n, key, min, max, out, d);
    if (rc)
        return rc;
    double k = *out / g->sc->interval;
    char iv[32];
    ccs_format_duration(g->sc->interval, iv, sizeof iv);
    if (fabs(k - floor(k + 0.5)) > 1e-6)
        return ccs__yerr(d, CCS_ERANGE, n,
                         "'%s' must be a whole number of reporting intervals (%s), got '%s'",
                         key, iv, n->text);
    return 0;
}

static int whole_key(const struct rgrid *g, const struct ccs_ynode *map, const char *key,
                     double min, double max, double *out, struct ccs_diag *d)
{
    const struct ccs_ynode *n = ccs__ymap_get(map, key);
    return n == NULL ? 0 : whole(g, n, key, min, max, out, d);
}

/* A clock time at which a shift may start: on the grid, inside the day. */
static int start_time(const struct rgrid *g, const struct ccs_ynode *n, const char *key,
                      double *out, struct ccs_diag *d)
{
    int rc = ccs__yval_duration(n, key, 0, CCS_DAY - 1e-9, out, d);
    if (rc)
        return rc;
    double off = *out - g->sc->start_time;
    if (g->cyclic)
        off = fmod(off + CCS_DAY, CCS_DAY);
    double k = off / g->sc->interval;
    char iv[32];
    ccs_format_duration(g->sc->interval, iv, sizeof iv);
    if (fabs(k - floor(k + 0.5)) > 1e-6)
        return ccs__yerr(d, CCS_ERANGE, n,
                         "'%s' must fall on a reporting interval's start (every %s from "
                         "'start_time'), got '%s'",
                         key, iv, n->text);
    if (g->per_day > 0 && (off < -1e-6 || floor(k + 0.5) >= g->per_day))
        misfit(g, n, "'%s' is '%s', outside the scenario's day (its horizon from 'start_time')",
               key, n->text);
    return 0;
}

static int read_breaks(const struct rgrid *g, const struct ccs_ynode *n,
                       struct ccs_rtemplate_def *t, struct ccs_diag *d)
{
    static const char *const keys[] = {"name", "length", "window", "paid"};
    int rc = ccs__ywant_seq(n, "'breaks'", d);
    if (rc)
        return rc;
    if (n->len > CCS_RDEF_MAX_BREAKS)
        return ccs__yerr(d, CCS_ESCHEMA, n, "a template takes at most %d breaks, got %zu",
                         CCS_RDEF_MAX_BREAKS, (size_t)n->len);
    t->n_breaks = n->len;
    for (size_t i = 0; i < n->len; i++) {
        const struct ccs_ynode *b = n->items[i];
        struct ccs_rbreak_def *bd = &t->breaks[i];
        bd->paid = true;
        if ((rc = ccs__ywant_map(b, "a break", d)) ||
            (rc = ccs__ycheck_keys(b, keys, 4, "break", d)) ||
            (rc = ccs__yread_id(b, "name", false, &bd->name, d)) ||
            (rc = ccs__yread_bool(b, "paid", false, &bd->paid, d)))
            return rc;
        const struct ccs_ynode *len = ccs__ymap_get(b, "length"), *win = ccs__ymap_get(b, "window");
        if (len == NULL)
            return ccs__yerr(d, CCS_ESCHEMA, b, "missing required key 'length' in break");
        if (win == NULL)
            return ccs__yerr(d, CCS_ESCHEMA, b,
                             "missing required key 'window' in break ([earliest, latest] start "
                             "after the shift's start)");
        if ((rc = whole(g, len, "length", 1e-9, CCS_DAY, &bd->length, d)) ||
            (rc = ccs__ywant_seq(win, "'window'", d)))
            return rc;
        if (win->len != 2)
            return ccs__yerr(d, CCS_ESCHEMA, win,
                             "'window' is [earliest, latest], two durations after the shift's "
                             "start");
        if ((rc = whole(g, win->items[0], "window", 0, CCS_DAY, &bd->earliest, d)) ||
            (rc = whole(g, win->items[1], "window", 0, CCS_DAY, &bd->latest, d)))
            return rc;
        if (bd->latest < bd->earliest)
            return ccs__yerr(d, CCS_ERANGE, win, "'window' ends before it starts");
    }
    return 0;
}

static int read_days_off(const struct rgrid *g, const struct ccs_ynode *n,
                         struct ccs_rtemplate_def *t, struct ccs_diag *d)
{
    static const char *const keys[] = {"work", "at_most", "consecutive_off"};
    long long work = 0;
    int rc;
    if ((rc = ccs__ywant_map(n, "'days'", d)) ||
        (rc = ccs__ycheck_keys(n, keys, 3, "'days'", d)))
        return rc;
    if ((rc = ccs__yread_int(n, "work", true, 1, 7, &work, d)) ||
        (rc = ccs__yread_bool(n, "at_most", false, &t->at_most, d)) ||
        (rc = ccs__yread_bool(n, "consecutive_off", false, &t->consecutive_off, d)))
        return rc;
    t->work_days = (uint32_t)work;
    if (g->per_day > 0 && g->days < 2)
        misfit(g, n, "%s%s", "a days-off rule needs a horizon of several days (a week), but this ",
               "scenario plans one day");
    else if (g->per_day > 0 && t->work_days > g->days)
        misfit(g, ccs__ymap_get(n, "work"), "%s%s", "'work' is more days than the horizon's ",
               "days");
    return 0;
}

static int read_template(const struct rgrid *g, const struct ccs_ynode *n,
                         struct ccs_rtemplate_def *t, struct ccs_diag *d)
{
    static const char *const keys[] = {"name",       "start",  "lengths", "length",
                                       "cost_per_hour", "max_agents", "breaks", "min_work",
                                       "days"};
    static const char *const skeys[] = {"from", "to", "every"};
    static const char *const wkeys[] = {"before", "between", "after"};
    int rc;
    t->origin = n->origin;
    t->line = n->line;
    t->col = n->col;
    t->cost_per_hour = -1;
    t->max_agents = UINT32_MAX;
    if ((rc = ccs__ywant_map(n, "a shift template", d)) ||
        (rc = ccs__ycheck_keys(n, keys, sizeof keys / sizeof keys[0], "template", d)) ||
        (rc = ccs__yread_id(n, "name", true, &t->name, d)) ||
        (rc = ccs__yread_number(n, "cost_per_hour", false, 0, 1e6, &t->cost_per_hour, d)))
        return rc;
    long long ma = -1;
    if ((rc = ccs__yread_int(n, "max_agents", false, 0, MAX_AGENTS, &ma, d)))
        return rc;
    if (ma >= 0)
        t->max_agents = (uint32_t)ma;
    /* starts */
    const struct ccs_ynode *st = ccs__ymap_get(n, "start");
    if (st == NULL)
        return ccs__yerr(d, CCS_ESCHEMA, n,
                         "missing required key 'start' in template '%s' (a clock time, or "
                         "{from: HH:MM, to: HH:MM, every: D})",
                         t->name);
    if (st->kind == CCS_Y_SCALAR) {
        if ((rc = start_time(g, st, "start", &t->start_from, d)))
            return rc;
        t->start_to = t->start_from;
        t->start_every = g->sc->interval;
    } else {
        if ((rc = ccs__ywant_map(st, "'start'", d)) ||
            (rc = ccs__ycheck_keys(st, skeys, 3, "'start'", d)))
            return rc;
        const struct ccs_ynode *from = ccs__ymap_get(st, "from"), *to = ccs__ymap_get(st, "to");
        if (from == NULL)
            return ccs__yerr(d, CCS_ESCHEMA, st, "missing required key 'from' in 'start'");
        if ((rc = start_time(g, from, "from", &t->start_from, d)))
            return rc;
        t->start_to = t->start_from;
        t->start_every = g->sc->interval;
        if ((to != NULL && (rc = start_time(g, to, "to", &t->start_to, d))) ||
            (rc = whole_key(g, st, "every", 1e-9, CCS_DAY, &t->start_every, d)))
            return rc;
        double a = fmod(t->start_from - g->sc->start_time + CCS_DAY, CCS_DAY);
        double b = fmod(t->start_to - g->sc->start_time + CCS_DAY, CCS_DAY);
        if (b < a)
            return ccs__yerr(d, CCS_ERANGE, to, "'to' (%s) comes before 'from' (%s) in the day",
                             to->text, from->text);
    }
    /* lengths */
    const struct ccs_ynode *ls = ccs__ymap_get(n, "lengths"), *l1 = ccs__ymap_get(n, "length");
    if ((ls != NULL) == (l1 != NULL))
        return ccs__yerr(d, CCS_ESCHEMA, n,
                         "template '%s' needs one of 'length' (a duration) or 'lengths' (a list)",
                         t->name);
    if (l1 != NULL) {
        if ((rc = whole(g, l1, "length", 1e-9, CCS_DAY, &t->lengths[0], d)))
            return rc;
        t->n_lengths = 1;
    } else {
        if ((rc = ccs__ywant_seq(ls, "'lengths'", d)))
            return rc;
        if (ls->len == 0 || ls->len > CCS_RDEF_MAX_LENGTHS)
            return ccs__yerr(d, CCS_ESCHEMA, ls, "'lengths' lists 1 to %d durations",
                             CCS_RDEF_MAX_LENGTHS);
        for (size_t i = 0; i < ls->len; i++) {
            if ((rc = whole(g, ls->items[i], "lengths", 1e-9, CCS_DAY, &t->lengths[i], d)))
                return rc;
            for (size_t j = 0; j < i; j++)
                if (fabs(t->lengths[j] - t->lengths[i]) < 1e-6)
                    return ccs__yerr(d, CCS_ESCHEMA, ls->items[i],
                                     "'lengths' lists '%s' twice", ls->items[i]->text);
        }
        t->n_lengths = ls->len;
    }
    const struct ccs_ynode *br = ccs__ymap_get(n, "breaks"), *mw = ccs__ymap_get(n, "min_work"),
                           *dy = ccs__ymap_get(n, "days");
    if (br != NULL && (rc = read_breaks(g, br, t, d)))
        return rc;
    if (mw != NULL &&
        ((rc = ccs__ywant_map(mw, "'min_work'", d)) ||
         (rc = ccs__ycheck_keys(mw, wkeys, 3, "'min_work'", d)) ||
         (rc = whole_key(g, mw, "before", 0, CCS_DAY, &t->min_before, d)) ||
         (rc = whole_key(g, mw, "between", 0, CCS_DAY, &t->min_between, d)) ||
         (rc = whole_key(g, mw, "after", 0, CCS_DAY, &t->min_after, d))))
        return rc;
    if (dy != NULL && (rc = read_days_off(g, dy, t, d)))
        return rc;
    return 0;
}

int ccs__read_rostering(const struct ccs_ynode *n, const struct ccs_scenario *sc,
                        struct ccs_group_def *gd, struct ccs_diag *d)
{
    static const char *const keys[] = {"templates", "max_agents", "part_time"};
    static const char *const pkeys[] = {"shorter_than", "max_share", "by"};
    static const char *const by_names[] = {"shifts", "hours", NULL};
    const char *why = NULL;
    int rc;
    if ((rc = ccs__ywant_map(n, "'rostering'", d)) ||
        (rc = ccs__ycheck_keys(n, keys, 3, "'rostering'", d)))
        return rc;
    struct ccs_rostering_def *r = ccs_calloc(1, sizeof *r);
    if (r == NULL)
        return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    gd->rostering = r;
    struct rgrid g = {sc, 0, 0, false, &r->grid_error};
    if (!ccs__roster_grid_of(sc, &g.days, &g.per_day, &g.cyclic, &why)) {
        g.per_day = 0;
        misfit(&g, n, "%s%s", why, "");
    }
    r->max_agents = UINT32_MAX;
    long long ma = -1;
    if ((rc = ccs__yread_int(n, "max_agents", false, 0, MAX_AGENTS, &ma, d)))
        return rc;
    if (ma >= 0)
        r->max_agents = (uint32_t)ma;
    const struct ccs_ynode *ts = ccs__ymap_get(n, "templates");
    if (ts == NULL)
        return ccs__yerr(d, CCS_ESCHEMA, n, "missing required key 'templates' in 'rostering'");
    if ((rc = ccs__ywant_seq(ts, "'templates'", d)))
        return rc;
    if (ts->len == 0 || ts->len > MAX_TEMPLATES)
        return ccs__yerr(d, CCS_ESCHEMA, ts, "'templates' lists 1 to %d shift templates",
                         MAX_TEMPLATES);
    r->templates = ccs_calloc(ts->len, sizeof *r->templates);
    if (r->templates == NULL)
        return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; i < ts->len; i++) {
        r->n_templates = i + 1;
        if ((rc = read_template(&g, ts->items[i], &r->templates[i], d)))
            return rc;
        for (size_t j = 0; j < i; j++)
            if (strcmp(r->templates[j].name, r->templates[i].name) == 0)
                return ccs__yerr(d, CCS_ESCHEMA, ccs__ymap_get(ts->items[i], "name"),
                                 "duplicate template name '%s' in group '%s'",
                                 r->templates[i].name, gd->id);
    }
    const struct ccs_ynode *pt = ccs__ymap_get(n, "part_time");
    if (pt != NULL) {
        int by = 0;
        if ((rc = ccs__ywant_map(pt, "'part_time'", d)) ||
            (rc = ccs__ycheck_keys(pt, pkeys, 3, "'part_time'", d)))
            return rc;
        const struct ccs_ynode *sh = ccs__ymap_get(pt, "shorter_than");
        if (sh == NULL)
            return ccs__yerr(d, CCS_ESCHEMA, pt, "missing required key 'shorter_than' in "
                                                 "'part_time'");
        if ((rc = whole(&g, sh, "shorter_than", 1e-9, CCS_DAY, &r->part_shorter_than, d)) ||
            (rc = ccs__yread_fraction(pt, "max_share", true, &r->part_max_share, d)) ||
            (rc = ccs__yread_choice(pt, "by", false, by_names, &by, d)))
            return rc;
        r->has_part_time = true;
        r->part_by_hours = by == 1;
    }
    return 0;
}
