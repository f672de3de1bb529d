/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * roster.c - a roster problem as data (grid, groups, templates, part-time
 * rules, cuts), checked as it is added; the break windows and days-off rules
 * the integer program shares; ccs_roster_verify, which checks a roster
 * against the definition without going through the program.
 */
#include "exp/roster_impl.h"
#include "ccs/mem.h"
#include "core/grow.h"

#include "core/timeconst.h"
#include "fmt/textout.h"
#include "ccs/units.h"

/* The grid counts in whole minutes (struct ccs_roster_grid). */
#define MINUTES_PER_DAY ((uint32_t)(CCS_DAY / CCS_MINUTE))

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- small helpers --------------------------------------------------------------- */

static char *dup_str(const char *s)
{
    size_t n = strlen(s) + 1;
    char *c = ccs_malloc(n);
    if (c != NULL)
        memcpy(c, s, n);
    return c;
}

/* "4h", "30m", "7h30m" for a number of intervals of the grid. */
static const char *dur(const struct ccs_roster_problem *p, uint32_t n, char *buf, size_t size)
{
    double m = n * p->grid.minutes;
    long h = (long)floor(m / 60.0);
    double rest = m - 60.0 * (double)h;
    if (h > 0 && rest < 1e-9)
        snprintf(buf, size, "%ldh", h);
    else if (h > 0)
        snprintf(buf, size, "%ldh%gm", h, rest);
    else
        snprintf(buf, size, "%gm", rest);
    return buf;
}

const char *ccs_roster_interval_label(const struct ccs_roster_problem *p, uint32_t t, char *buf,
                                      size_t size)
{
    uint32_t day = t / p->grid.per_day;
    double m = p->grid.day_start + (t % p->grid.per_day) * p->grid.minutes;
    char hm[16]; /* "hh:mm" */
    ccs__clock(hm, sizeof hm, m * CCS_MINUTE, 0); /* past midnight: the time of day */
    if (p->grid.days > 1)
        snprintf(buf, size, "day %u %s", (unsigned)day + 1, hm);
    else
        snprintf(buf, size, "%s", hm);
    return buf;
}

struct ccs_roster_template ccs_roster_template_default(void)
{
    struct ccs_roster_template t;
    memset(&t, 0, sizeof t);
    t.start_step = 1;
    t.max_agents = CCS_ROSTER_UNLIMITED;
    return t;
}

struct ccs_roster_opts ccs_roster_opts_default(void)
{
    struct ccs_roster_opts o;
    memset(&o, 0, sizeof o);
    o.time_limit = 60;
    o.mip_gap = 0.01;
    o.node_limit = 2000;
    o.mip = CCS_ROSTER_MIP_AUTO;
    return o;
}

bool ccs_roster_have_cbc(void)
{
    return ccs__roster_cbc_available();
}

const char *ccs_roster_cbc_error(void)
{
    return ccs__roster_cbc_why();
}

const char *ccs_roster_mip_name(enum ccs_roster_mip m)
{
    switch (m) {
    case CCS_ROSTER_MIP_AUTO:
        return "auto";
    case CCS_ROSTER_MIP_GLPK:
        return "glpk";
    case CCS_ROSTER_MIP_CBC:
        return "cbc";
    }
    return "unknown";
}

const char *ccs_roster_stop_name(enum ccs_roster_stop s)
{
    switch (s) {
    case CCS_ROSTER_STOP_DONE:
        return "done";
    case CCS_ROSTER_STOP_GAP:
        return "gap";
    case CCS_ROSTER_STOP_NODES:
        return "nodes";
    case CCS_ROSTER_STOP_TIME:
        return "time";
    }
    return "unknown";
}

const char *ccs_roster_stop_text(const struct ccs_roster *r, char *buf, size_t size)
{
    char lim[64], nodes[64];
    unsigned long long n = (unsigned long long)r->nodes;
    snprintf(nodes, sizeof nodes, "%llu branch-and-bound node%s", n, n == 1 ? "" : "s");
    switch (r->stop) {
    case CCS_ROSTER_STOP_DONE:
        snprintf(buf, size, "the search finished after %s%s", nodes,
                 r->status == CCS_ROSTER_OPTIMAL ? ": the roster is optimal" : "");
        break;
    case CCS_ROSTER_STOP_GAP:
        snprintf(buf, size, "stopped within the gap target of %g%% after %s",
                 100 * r->mip_gap, nodes);
        break;
    case CCS_ROSTER_STOP_NODES:
        if (r->node_limit > 0)
            snprintf(buf, size, "stopped by the node limit of %llu per group after %s",
                     (unsigned long long)r->node_limit, nodes);
        else
            snprintf(buf, size, "stopped by the first roster's node budget after %s", nodes);
        break;
    case CCS_ROSTER_STOP_TIME:
        ccs_format_duration(r->time_limit, lim, sizeof lim);
        snprintf(buf, size,
                 "stopped by the time limit of %s after %s: another run may give another "
                 "roster",
                 lim, nodes);
        break;
    }
    return buf;
}

const char *ccs_roster_status_name(enum ccs_roster_status s)
{
    switch (s) {
    case CCS_ROSTER_OPTIMAL:
        return "optimal";
    case CCS_ROSTER_GAP:
        return "gap";
    case CCS_ROSTER_LIMIT:
        return "limit";
    case CCS_ROSTER_NO_ROSTER:
        return "no-roster";
    case CCS_ROSTER_INFEASIBLE:
        return "infeasible";
    }
    return "unknown";
}

/* --- rules shared with the integer program ----------------------------------------- */

bool ccs__roster_windows(const struct ccs_roster_template *t, uint32_t length, uint32_t *lo,
                         uint32_t *hi)
{
    uint32_t nb = t->n_breaks;
    if (nb == 0)
        return true;
    /* forward: the earliest start of each break given those before it */
    int64_t e = t->min_work_before;
    for (uint32_t b = 0; b < nb; b++) {
        const struct ccs_roster_break *br = &t->breaks[b];
        if (e < br->earliest)
            e = br->earliest;
        lo[b] = (uint32_t)e;
        e += (int64_t)br->length + t->min_work_between;
    }
    /* backward: the latest start given those after it and the work after the last */
    int64_t l = (int64_t)length - t->min_work_after;
    bool ok = true;
    for (uint32_t b = nb; b-- > 0;) {
        const struct ccs_roster_break *br = &t->breaks[b];
        l -= br->length;
        if (l > br->latest)
            l = br->latest;
        if (l < lo[b])
            ok = false;
        hi[b] = l < 0 ? 0 : (uint32_t)l;
        l -= t->min_work_between;
    }
    return ok;
}

uint32_t ccs__roster_slot(const struct ccs_roster_problem *p, uint32_t day, uint32_t start,
                          uint32_t off)
{
    uint64_t in_day = (uint64_t)start + off;
    if (!p->full_day && in_day >= p->grid.per_day)
        return CCS_ROSTER_NONE;
    uint64_t t = (uint64_t)day * p->grid.per_day + in_day;
    if (t >= p->n_intervals) {
        if (!p->grid.cyclic)
            return CCS_ROSTER_NONE;
        t %= p->n_intervals;
    }
    return (uint32_t)t;
}

bool ccs__roster_pattern_ok(const struct ccs_roster_problem *p, const struct ccs_roster_days *r,
                            uint32_t mask)
{
    uint32_t nd = p->grid.days;
    uint32_t all = (1u << nd) - 1;
    if (mask == 0 || (mask & ~all) != 0)
        return false;
    if (r->work == 0)
        return true;
    uint32_t w = 0;
    for (uint32_t d = 0; d < nd; d++)
        w += (mask >> d) & 1u;
    if (r->at_most ? w > r->work : w != r->work)
        return false;
    if (!r->consecutive_off || w == nd)
        return true;
    /* count the blocks of days off: a day off whose previous day is worked
       starts one (on a cyclic grid the day before day 0 is the last day) */
    uint32_t blocks = 0;
    for (uint32_t d = 0; d < nd; d++) {
        bool off = !((mask >> d) & 1u);
        bool prev_off;
        if (d > 0)
            prev_off = !((mask >> (d - 1)) & 1u);
        else
            prev_off = p->grid.cyclic && !((mask >> (nd - 1)) & 1u);
        if (off && !prev_off)
            blocks++;
    }
    /* on a cyclic grid with every day off in one wrapping block, the count is 1 */
    return blocks == 1;
}

uint32_t ccs__roster_paid(const struct ccs_roster_template *t, uint32_t length)
{
    uint32_t paid = length;
    for (uint32_t b = 0; b < t->n_breaks; b++)
        if (!t->breaks[b].paid)
            paid -= t->breaks[b].length;
    return paid;
}

double ccs__roster_shift_cost(const struct ccs_roster_problem *p,
                              const struct ccs_roster_template *t, uint32_t length)
{
    return t->cost_per_hour * ccs__roster_paid(t, length) * p->grid.minutes / 60.0;
}

/* --- the problem -------------------------------------------------------------------- */

int ccs_roster_problem_new(const struct ccs_roster_grid *grid, struct ccs_roster_problem **out,
                           struct ccs_diag *d)
{
    if (out == NULL || grid == NULL)
        return ccs_diag_at(d, CCS_EINVAL, NULL, 0, 0, "roster: no grid");
    *out = NULL;
    if (grid->days < 1 || grid->days > CCS_ROSTER_MAX_DAYS)
        return ccs_diag_at(d, CCS_EINVAL, NULL, 0, 0,
                           "roster grid: days must be 1 to %d, not %u", CCS_ROSTER_MAX_DAYS,
                           (unsigned)grid->days);
    if (grid->per_day < 1 || grid->per_day > MINUTES_PER_DAY)
        return ccs_diag_at(d, CCS_EINVAL, NULL, 0, 0,
                           "roster grid: intervals per day must be 1 to 1440, not %u",
                           (unsigned)grid->per_day);
    if (!(grid->minutes > 0) || !isfinite(grid->minutes) ||
        grid->minutes * grid->per_day > MINUTES_PER_DAY + 1e-9)
        return ccs_diag_at(d, CCS_EINVAL, NULL, 0, 0,
                           "roster grid: %u intervals of %g minutes do not fit in a day",
                           (unsigned)grid->per_day, grid->minutes);
    if (grid->day_start >= MINUTES_PER_DAY)
        return ccs_diag_at(d, CCS_EINVAL, NULL, 0, 0,
                           "roster grid: day start %u is not a time of day (minutes < 1440)",
                           (unsigned)grid->day_start);
    struct ccs_roster_problem *p = ccs_calloc(1, sizeof *p);
    if (p == NULL)
        return CCS_ENOMEM;
    p->grid = *grid;
    p->n_intervals = grid->days * grid->per_day;
    p->full_day = fabs(grid->minutes * grid->per_day - MINUTES_PER_DAY) < 1e-9;
    *out = p;
    return 0;
}

void ccs_roster_problem_free(struct ccs_roster_problem *p)
{
    if (p == NULL)
        return;
    for (size_t g = 0; g < p->n_groups; g++) {
        free(p->groups[g].name);
        free(p->groups[g].required);
    }
    free(p->groups);
    for (size_t j = 0; j < p->n_templates; j++)
        free(p->templates[j].name);
    free(p->templates);
    free(p->limits);
    free(p->cuts);
    free(p->term_g);
    free(p->term_t);
    free(p->term_coef);
    free(p);
}

int ccs_roster_add_group(struct ccs_roster_problem *p, const char *name, uint32_t max_agents,
                         uint32_t *id, struct ccs_diag *d)
{
    if (p == NULL || name == NULL || name[0] == '\0')
        return ccs_diag_at(d, CCS_EINVAL, NULL, 0, 0, "roster: a group needs a name");
    for (size_t g = 0; g < p->n_groups; g++)
        if (strcmp(p->groups[g].name, name) == 0)
            return ccs_diag_at(d, CCS_EINVAL, NULL, 0, 0, "roster: group '%s' added twice",
                               name);
    if (CCS_GROW(p->groups, p->cap_groups, p->n_groups + 1) != 0)
        return CCS_ENOMEM;
    struct ccs__roster_group *gr = &p->groups[p->n_groups];
    gr->name = dup_str(name);
    gr->required = ccs_calloc(p->n_intervals, sizeof *gr->required);
    if (gr->name == NULL || gr->required == NULL) {
        free(gr->name);
        free(gr->required);
        return CCS_ENOMEM;
    }
    gr->max_agents = max_agents;
    if (id != NULL)
        *id = (uint32_t)p->n_groups;
    p->n_groups++;
    return 0;
}

int ccs_roster_set_required(struct ccs_roster_problem *p, uint32_t group,
                            const uint32_t *required, struct ccs_diag *d)
{
    if (p == NULL || required == NULL || group >= p->n_groups)
        return ccs_diag_at(d, CCS_EINVAL, NULL, 0, 0, "roster: no group %u",
                           (unsigned)group);
    memcpy(p->groups[group].required, required,
           p->n_intervals * sizeof *p->groups[group].required);
    return 0;
}

/* Check a template against the grid; "template 'x': ..." on failure. */
static int check_template(const struct ccs_roster_problem *p, const struct ccs_roster_template *t,
                          struct ccs_diag *d)
{
    char b1[48], b2[48];
    if (t->name == NULL || t->name[0] == '\0')
        return ccs_diag_at(d, CCS_EINVAL, NULL, 0, 0, "roster: a template needs a name");
    const char *nm = t->name;
    if (t->group >= p->n_groups)
        return ccs_diag_at(d, CCS_EINVAL, NULL, 0, 0, "template '%s': no group %u", nm,
                           (unsigned)t->group);
    for (size_t j = 0; j < p->n_templates; j++)
        if (p->templates[j].t.group == t->group && strcmp(p->templates[j].name, nm) == 0)
            return ccs_diag_at(d, CCS_EINVAL, NULL, 0, 0,
                               "template '%s': added twice to group '%s'", nm,
                               p->groups[t->group].name);
    if (t->start_step < 1)
        return ccs_diag_at(d, CCS_EINVAL, NULL, 0, 0, "template '%s': start step must be >= 1",
                           nm);
    if (t->start_first > t->start_last || t->start_last >= p->grid.per_day)
        return ccs_diag_at(d, CCS_EINVAL, NULL, 0, 0,
                           "template '%s': starts %u to %u are not intervals of a day of %u",
                           nm, (unsigned)t->start_first, (unsigned)t->start_last,
                           (unsigned)p->grid.per_day);
    if (t->n_lengths < 1 || t->n_lengths > CCS_ROSTER_MAX_LENGTHS)
        return ccs_diag_at(d, CCS_EINVAL, NULL, 0, 0,
                           "template '%s': needs 1 to %d shift lengths, not %u", nm,
                           CCS_ROSTER_MAX_LENGTHS, (unsigned)t->n_lengths);
    if (!(t->cost_per_hour >= 0) || !isfinite(t->cost_per_hour))
        return ccs_diag_at(d, CCS_EINVAL, NULL, 0, 0,
                           "template '%s': cost per hour %g is not a finite number >= 0", nm,
                           t->cost_per_hour);
    if (t->n_breaks > CCS_ROSTER_MAX_BREAKS)
        return ccs_diag_at(d, CCS_EINVAL, NULL, 0, 0,
                           "template '%s': %u breaks, more than the %d supported", nm,
                           (unsigned)t->n_breaks, CCS_ROSTER_MAX_BREAKS);
    for (uint32_t b = 0; b < t->n_breaks; b++) {
        const struct ccs_roster_break *br = &t->breaks[b];
        if (br->length < 1 || br->length > p->n_intervals)
            return ccs_diag_at(d, CCS_EINVAL, NULL, 0, 0,
                               "template '%s': break %u has length %u intervals", nm,
                               (unsigned)b + 1, (unsigned)br->length);
        if (br->earliest > br->latest || br->latest > p->n_intervals)
            return ccs_diag_at(d, CCS_EINVAL, NULL, 0, 0,
                               "template '%s': break %u window [%u, %u] is empty or too late",
                               nm, (unsigned)b + 1, (unsigned)br->earliest,
                               (unsigned)br->latest);
    }
    if (t->min_work_before > p->n_intervals || t->min_work_between > p->n_intervals ||
        t->min_work_after > p->n_intervals)
        return ccs_diag_at(d, CCS_EINVAL, NULL, 0, 0,
                           "template '%s': minimum work longer than the horizon", nm);
    for (uint32_t i = 0; i < t->n_lengths; i++) {
        uint32_t len = t->lengths[i];
        if (len < 1 || len > p->n_intervals)
            return ccs_diag_at(d, CCS_EINVAL, NULL, 0, 0,
                               "template '%s': shift length %u intervals is not 1 to %u", nm,
                               (unsigned)len, (unsigned)p->n_intervals);
        for (uint32_t k = 0; k < i; k++)
            if (t->lengths[k] == len)
                return ccs_diag_at(d, CCS_EINVAL, NULL, 0, 0,
                                   "template '%s': shift length %s listed twice", nm,
                                   dur(p, len, b1, sizeof b1));
        uint32_t lo[CCS_ROSTER_MAX_BREAKS], hi[CCS_ROSTER_MAX_BREAKS];
        if (!ccs__roster_windows(t, len, lo, hi))
            return ccs_diag_at(d, CCS_EINVAL, NULL, 0, 0,
                               "template '%s': a %s shift cannot hold its breaks in their "
                               "windows with the minimum work before, between and after",
                               nm, dur(p, len, b1, sizeof b1));
        /* a length no start can hold is a mistake, not a silent no-op */
        bool fits = false;
        for (uint32_t s = t->start_first; s <= t->start_last && !fits; s += t->start_step)
            fits = ccs__roster_slot(p, 0, s, len - 1) != CCS_ROSTER_NONE;
        if (!fits)
            return ccs_diag_at(d, CCS_EINVAL, NULL, 0, 0,
                               "template '%s': a %s shift starting at %s or later does not "
                               "fit in the %s",
                               nm, dur(p, len, b1, sizeof b1),
                               ccs_roster_interval_label(p, t->start_first, b2, sizeof b2),
                               p->full_day ? "horizon" : "day");
    }
    const struct ccs_roster_days *r = &t->days;
    if (r->work > p->grid.days)
        return ccs_diag_at(d, CCS_EINVAL, NULL, 0, 0,
                           "template '%s': works %u days of a %u-day grid", nm,
                           (unsigned)r->work, (unsigned)p->grid.days);
    if (r->work > 0) {
        bool any = false;
        for (uint32_t m = 1; m < (1u << p->grid.days) && !any; m++)
            any = ccs__roster_pattern_ok(p, r, m);
        if (!any)
            return ccs_diag_at(d, CCS_EINVAL, NULL, 0, 0,
                               "template '%s': no days-off pattern follows its rule", nm);
    }
    return 0;
}

int ccs_roster_add_template(struct ccs_roster_problem *p, const struct ccs_roster_template *t,
                            uint32_t *id, struct ccs_diag *d)
{
    if (p == NULL || t == NULL)
        return ccs_diag_at(d, CCS_EINVAL, NULL, 0, 0, "roster: no template");
    int rc = check_template(p, t, d);
    if (rc != 0)
        return rc;
    if (CCS_GROW(p->templates, p->cap_templates, p->n_templates + 1) != 0)
        return CCS_ENOMEM;
    struct ccs__roster_tmpl *c = &p->templates[p->n_templates];
    c->name = dup_str(t->name);
    if (c->name == NULL)
        return CCS_ENOMEM;
    c->t = *t;
    c->t.name = c->name;
    if (id != NULL)
        *id = (uint32_t)p->n_templates;
    p->n_templates++;
    return 0;
}

int ccs_roster_add_limit(struct ccs_roster_problem *p, const struct ccs_roster_limit *l,
                         struct ccs_diag *d)
{
    if (p == NULL || l == NULL || l->group >= p->n_groups)
        return ccs_diag_at(d, CCS_EINVAL, NULL, 0, 0, "roster: part-time rule without a group");
    if (!(l->max_share >= 0 && l->max_share <= 1))
        return ccs_diag_at(d, CCS_EINVAL, NULL, 0, 0,
                           "group '%s': part-time share %g is not in [0, 1]",
                           p->groups[l->group].name, l->max_share);
    if (l->shorter_than < 1)
        return ccs_diag_at(d, CCS_EINVAL, NULL, 0, 0,
                           "group '%s': part-time rule needs a length (shorter than)",
                           p->groups[l->group].name);
    if (CCS_GROW(p->limits, p->cap_limits, p->n_limits + 1) != 0)
        return CCS_ENOMEM;
    p->limits[p->n_limits++] = *l;
    return 0;
}

int ccs_roster_add_cut_terms(struct ccs_roster_problem *p, size_t n,
                             const struct ccs_roster_term *terms, double rhs,
                             struct ccs_diag *d)
{
    if (p == NULL || n == 0 || terms == NULL)
        return ccs_diag_at(d, CCS_EINVAL, NULL, 0, 0, "roster: a cut needs terms");
    for (size_t i = 0; i < n; i++)
        if (terms[i].group >= p->n_groups)
            return ccs_diag_at(d, CCS_EINVAL, NULL, 0, 0,
                               "roster: cut term %zu names group %u of %zu", i + 1,
                               (unsigned)terms[i].group, p->n_groups);
    const char *gname = p->groups[terms[0].group].name;
    if (!isfinite(rhs))
        return ccs_diag_at(d, CCS_EINVAL, NULL, 0, 0,
                           "group '%s': a cut needs terms and a finite right-hand side", gname);
    for (size_t i = 0; i < n; i++)
        if (terms[i].t >= p->n_intervals || !isfinite(terms[i].coef))
            return ccs_diag_at(d, CCS_EINVAL, NULL, 0, 0,
                               "group '%s': cut term %zu (interval %u, coefficient %g) is "
                               "out of range",
                               p->groups[terms[i].group].name, i + 1, (unsigned)terms[i].t,
                               terms[i].coef);
    if (CCS_GROW(p->cuts, p->cap_cuts, p->n_cuts + 1) != 0)
        return CCS_ENOMEM;
    if (p->n_terms + n > p->cap_terms) {
        size_t nc = p->cap_terms * 2 + n + 16;
        uint32_t *tg = ccs_realloc(p->term_g, nc * sizeof *tg);
        if (tg == NULL)
            return CCS_ENOMEM;
        p->term_g = tg;
        uint32_t *tt = ccs_realloc(p->term_t, nc * sizeof *tt);
        if (tt == NULL)
            return CCS_ENOMEM;
        p->term_t = tt;
        double *cc = ccs_realloc(p->term_coef, nc * sizeof *cc);
        if (cc == NULL)
            return CCS_ENOMEM;
        p->term_coef = cc;
        p->cap_terms = nc;
    }
    for (size_t i = 0; i < n; i++) {
        p->term_g[p->n_terms + i] = terms[i].group;
        p->term_t[p->n_terms + i] = terms[i].t;
        p->term_coef[p->n_terms + i] = terms[i].coef;
    }
    p->cuts[p->n_cuts++] = (struct ccs__roster_cut){terms[0].group, p->n_terms, n, rhs};
    p->n_terms += n;
    return 0;
}

int ccs_roster_add_cut(struct ccs_roster_problem *p, uint32_t group, size_t n,
                       const uint32_t *t, const double *coef, double rhs, struct ccs_diag *d)
{
    if (p == NULL || group >= p->n_groups)
        return ccs_diag_at(d, CCS_EINVAL, NULL, 0, 0, "roster: cut without a group");
    if (n == 0 || t == NULL || coef == NULL || !isfinite(rhs))
        return ccs_diag_at(d, CCS_EINVAL, NULL, 0, 0,
                           "group '%s': a cut needs terms and a finite right-hand side",
                           p->groups[group].name);
    struct ccs_roster_term *terms = ccs_malloc(n * sizeof *terms);
    if (terms == NULL)
        return CCS_ENOMEM;
    for (size_t i = 0; i < n; i++)
        terms[i] = (struct ccs_roster_term){group, t[i], coef[i]};
    int rc = ccs_roster_add_cut_terms(p, n, terms, rhs, d);
    free(terms);
    return rc;
}

void ccs_roster_clear_cuts(struct ccs_roster_problem *p)
{
    if (p == NULL)
        return;
    p->n_cuts = 0;
    p->n_terms = 0;
}

void ccs_roster_free(struct ccs_roster *r)
{
    if (r == NULL)
        return;
    free(r->shifts);
    free(r->tours);
    free(r->required);
    free(r->scheduled);
    free(r->on_phone);
    free(r->headcount);
    free(r);
}

/* --- verification -------------------------------------------------------------------- */

static bool near(double a, double b)
{
    return fabs(a - b) <= 1e-9 * (1 + fabs(a) + fabs(b));
}

/* Check one shift line against its template, straight from the definition. */
static int verify_shift(const struct ccs_roster_problem *p, const struct ccs_roster *r, size_t i,
                        struct ccs_diag *d)
{
    const struct ccs_roster_shift *s = &r->shifts[i];
    if (s->group >= p->n_groups || s->tmpl >= p->n_templates ||
        p->templates[s->tmpl].t.group != s->group || s->day >= p->grid.days || s->count == 0)
        return ccs_diag_at(d, CCS_ESTATE, NULL, 0, 0,
                           "roster shift %zu: bad group, template, day or count", i);
    const struct ccs_roster_template *t = &p->templates[s->tmpl].t;
    const char *nm = t->name;
    if (s->start < t->start_first || s->start > t->start_last ||
        (s->start - t->start_first) % t->start_step != 0)
        return ccs_diag_at(d, CCS_ESTATE, NULL, 0, 0,
                           "roster shift %zu (template '%s'): start %u is not one of its "
                           "starts",
                           i, nm, (unsigned)s->start);
    bool len_ok = false;
    for (uint32_t k = 0; k < t->n_lengths; k++)
        len_ok = len_ok || t->lengths[k] == s->length;
    if (!len_ok)
        return ccs_diag_at(d, CCS_ESTATE, NULL, 0, 0,
                           "roster shift %zu (template '%s'): length %u is not one of its "
                           "lengths",
                           i, nm, (unsigned)s->length);
    /* the whole shift on the grid */
    uint64_t end = (uint64_t)s->day * p->grid.per_day + s->start + s->length;
    if (p->full_day ? (!p->grid.cyclic && end > p->n_intervals)
                    : s->start + s->length > p->grid.per_day)
        return ccs_diag_at(d, CCS_ESTATE, NULL, 0, 0,
                           "roster shift %zu (template '%s'): runs past the %s", i, nm,
                           p->full_day ? "horizon" : "day");
    uint64_t free_from = t->min_work_before; /* earliest start allowed for the next break */
    uint32_t unpaid = 0;
    for (uint32_t b = 0; b < t->n_breaks; b++) {
        const struct ccs_roster_break *br = &t->breaks[b];
        uint32_t k = s->breaks[b];
        if (k < br->earliest || k > br->latest)
            return ccs_diag_at(d, CCS_ESTATE, NULL, 0, 0,
                               "roster shift %zu (template '%s'): break %u at %u, outside "
                               "its window [%u, %u]",
                               i, nm, (unsigned)b + 1, (unsigned)k, (unsigned)br->earliest,
                               (unsigned)br->latest);
        if (k < free_from)
            return ccs_diag_at(d, CCS_ESTATE, NULL, 0, 0,
                               "roster shift %zu (template '%s'): break %u at %u, too little "
                               "work before it",
                               i, nm, (unsigned)b + 1, (unsigned)k);
        free_from = (uint64_t)k + br->length + t->min_work_between;
        if (!br->paid)
            unpaid += br->length;
        if (b + 1 == t->n_breaks && (uint64_t)k + br->length + t->min_work_after > s->length)
            return ccs_diag_at(d, CCS_ESTATE, NULL, 0, 0,
                               "roster shift %zu (template '%s'): too little work after the "
                               "last break",
                               i, nm);
    }
    for (uint32_t b = t->n_breaks; b < CCS_ROSTER_MAX_BREAKS; b++)
        if (s->breaks[b] != CCS_ROSTER_NONE)
            return ccs_diag_at(d, CCS_ESTATE, NULL, 0, 0,
                               "roster shift %zu: a break %u its template does not have", i,
                               (unsigned)b + 1);
    double hours = (s->length - unpaid) * p->grid.minutes / 60.0;
    if (!near(hours, s->paid_hours) || !near(hours * t->cost_per_hour, s->cost))
        return ccs_diag_at(d, CCS_ESTATE, NULL, 0, 0,
                           "roster shift %zu: paid hours or cost do not match its template", i);
    return 0;
}

/* Days-off rule, counted directly: the working days, and the blocks of days off. */
static bool days_ok(const struct ccs_roster_problem *p, const struct ccs_roster_days *r,
                    uint32_t mask)
{
    uint32_t nd = p->grid.days;
    if (mask == 0 || mask >= (1u << nd))
        return false;
    if (r->work == 0)
        return true;
    uint32_t worked = 0, starts = 0;
    for (uint32_t d = 0; d < nd; d++) {
        bool w = mask & (1u << d);
        worked += w;
        /* the day before d, or nothing before day 0 on a non-cyclic grid */
        bool before_worked = d == 0 ? (!p->grid.cyclic || (mask & (1u << (nd - 1))))
                                    : (mask & (1u << (d - 1)));
        if (!w && before_worked)
            starts++;
    }
    if (r->at_most ? worked > r->work : worked != r->work)
        return false;
    /* with some day off and some worked, each block of days off has one start */
    return !r->consecutive_off || worked == nd || starts == 1;
}

int ccs_roster_verify(const struct ccs_roster_problem *p, const struct ccs_roster *r,
                      struct ccs_diag *d)
{
    if (p == NULL || r == NULL)
        return ccs_diag_at(d, CCS_EINVAL, NULL, 0, 0, "roster verify: nothing to check");
    if (r->n_groups != p->n_groups || r->n_intervals != p->n_intervals)
        return ccs_diag_at(d, CCS_ESTATE, NULL, 0, 0,
                           "roster: %u groups x %u intervals, the problem has %zu x %u",
                           (unsigned)r->n_groups, (unsigned)r->n_intervals, p->n_groups,
                           (unsigned)p->n_intervals);
    if (r->status == CCS_ROSTER_INFEASIBLE || r->status == CCS_ROSTER_NO_ROSTER) {
        if (r->n_shifts != 0 || r->n_tours != 0)
            return ccs_diag_at(d, CCS_ESTATE, NULL, 0, 0,
                               "roster: shifts without a roster (status %s)",
                               ccs_roster_status_name(r->status));
        return 0;
    }
    size_t T = p->n_intervals, G = p->n_groups;
    int rc = 0;
    uint64_t *sched = ccs_calloc(G * T, sizeof *sched);
    uint64_t *onph = ccs_calloc(G * T, sizeof *onph);
    uint64_t *used = ccs_calloc(r->n_shifts + 1, sizeof *used);
    uint64_t *head = ccs_calloc(p->n_templates + 1, sizeof *head);
    if (sched == NULL || onph == NULL || used == NULL || head == NULL) {
        rc = CCS_ENOMEM;
        goto done;
    }
    double cost = 0, hours = 0;
    for (size_t i = 0; i < r->n_shifts && rc == 0; i++) {
        rc = verify_shift(p, r, i, d);
        if (rc != 0)
            break;
        const struct ccs_roster_shift *s = &r->shifts[i];
        const struct ccs_roster_template *t = &p->templates[s->tmpl].t;
        cost += s->count * s->cost;
        hours += s->count * s->paid_hours;
        for (uint32_t o = 0; o < s->length; o++) {
            size_t abs_t = (size_t)s->day * p->grid.per_day + s->start + o;
            size_t k = s->group * T + abs_t % T;
            sched[k] += s->count;
            bool on_break = false;
            for (uint32_t b = 0; b < t->n_breaks; b++)
                on_break = on_break ||
                           (o >= s->breaks[b] && o < s->breaks[b] + t->breaks[b].length);
            if (!on_break)
                onph[k] += s->count;
        }
    }
    for (size_t i = 0; i < r->n_tours && rc == 0; i++) {
        const struct ccs_roster_tour *u = &r->tours[i];
        if (u->tmpl >= p->n_templates || p->templates[u->tmpl].t.group != u->group ||
            u->count == 0) {
            rc = ccs_diag_at(d, CCS_ESTATE, NULL, 0, 0, "roster tour %zu: bad template", i);
            break;
        }
        const struct ccs_roster_template *t = &p->templates[u->tmpl].t;
        if (!days_ok(p, &t->days, u->days)) {
            rc = ccs_diag_at(d, CCS_ESTATE, NULL, 0, 0,
                             "roster tour %zu (template '%s'): days 0x%x break its days-off "
                             "rule",
                             i, t->name, (unsigned)u->days);
            break;
        }
        head[u->tmpl] += u->count;
        for (uint32_t day = 0; day < CCS_ROSTER_MAX_DAYS && rc == 0; day++) {
            uint32_t si = u->shift[day];
            bool works = day < p->grid.days && (u->days & (1u << day));
            if (!works) {
                if (si != CCS_ROSTER_NONE)
                    rc = ccs_diag_at(d, CCS_ESTATE, NULL, 0, 0,
                                     "roster tour %zu: a shift on day %u off", i,
                                     (unsigned)day + 1);
                continue;
            }
            if (si >= r->n_shifts || r->shifts[si].tmpl != u->tmpl ||
                r->shifts[si].day != day)
                rc = ccs_diag_at(d, CCS_ESTATE, NULL, 0, 0,
                                 "roster tour %zu: day %u's shift is not its template's on "
                                 "that day",
                                 i, (unsigned)day + 1);
            else
                used[si] += u->count;
        }
    }
    for (size_t i = 0; i < r->n_shifts && rc == 0; i++)
        if (used[i] != r->shifts[i].count)
            rc = ccs_diag_at(d, CCS_ESTATE, NULL, 0, 0,
                             "roster shift %zu: %u agents, but tours give it %llu", i,
                             (unsigned)r->shifts[i].count, (unsigned long long)used[i]);
    for (size_t g = 0; g < G && rc == 0; g++) {
        uint64_t hg = 0;
        for (size_t j = 0; j < p->n_templates && rc == 0; j++) {
            const struct ccs_roster_template *t = &p->templates[j].t;
            if (t->group != g)
                continue;
            hg += head[j];
            if (t->max_agents != CCS_ROSTER_UNLIMITED && head[j] > t->max_agents)
                rc = ccs_diag_at(d, CCS_ESTATE, NULL, 0, 0,
                                 "template '%s': %llu agents, more than its %u", t->name,
                                 (unsigned long long)head[j], (unsigned)t->max_agents);
        }
        if (rc != 0)
            break;
        if (hg != r->headcount[g] ||
            (p->groups[g].max_agents != CCS_ROSTER_UNLIMITED && hg > p->groups[g].max_agents))
            rc = ccs_diag_at(d, CCS_ESTATE, NULL, 0, 0,
                             "group '%s': %llu agents on the roster (recorded %u, at most %u)",
                             p->groups[g].name, (unsigned long long)hg,
                             (unsigned)r->headcount[g], (unsigned)p->groups[g].max_agents);
        for (size_t t = 0; t < T && rc == 0; t++) {
            size_t k = g * T + t;
            char lab[32];
            if (sched[k] != r->scheduled[k] || onph[k] != r->on_phone[k])
                rc = ccs_diag_at(d, CCS_ESTATE, NULL, 0, 0,
                                 "group '%s' at %s: counts do not match the shifts",
                                 p->groups[g].name,
                                 ccs_roster_interval_label(p, (uint32_t)t, lab, sizeof lab));
            else if (onph[k] < p->groups[g].required[t] ||
                     r->required[k] != p->groups[g].required[t])
                rc = ccs_diag_at(d, CCS_ESTATE, NULL, 0, 0,
                                 "group '%s' at %s: %llu agents on the phones, %u required",
                                 p->groups[g].name,
                                 ccs_roster_interval_label(p, (uint32_t)t, lab, sizeof lab),
                                 (unsigned long long)onph[k],
                                 (unsigned)p->groups[g].required[t]);
        }
    }
    for (size_t l = 0; l < p->n_limits && rc == 0; l++) {
        const struct ccs_roster_limit *lim = &p->limits[l];
        double part = 0, all = 0;
        for (size_t i = 0; i < r->n_shifts; i++) {
            const struct ccs_roster_shift *s = &r->shifts[i];
            if (s->group != lim->group)
                continue;
            double a = s->count * (lim->by_hours ? s->paid_hours : 1.0);
            all += a;
            if (s->length < lim->shorter_than)
                part += a;
        }
        if (part > lim->max_share * all + 1e-6 * (1 + all))
            rc = ccs_diag_at(d, CCS_ESTATE, NULL, 0, 0,
                             "group '%s': part-time share %g above its limit %g",
                             p->groups[lim->group].name, all > 0 ? part / all : 0,
                             lim->max_share);
    }
    for (size_t c = 0; c < p->n_cuts && rc == 0; c++) {
        const struct ccs__roster_cut *cut = &p->cuts[c];
        double lhs = 0;
        for (size_t i = 0; i < cut->n; i++)
            lhs += p->term_coef[cut->first + i] *
                   (double)onph[p->term_g[cut->first + i] * T + p->term_t[cut->first + i]];
        if (lhs < cut->rhs - 1e-6 * (1 + fabs(cut->rhs)))
            rc = ccs_diag_at(d, CCS_ESTATE, NULL, 0, 0, "cut %zu: %g < %g", c + 1, lhs,
                             cut->rhs);
    }
    if (rc == 0 && (!near(cost, r->cost) || !near(hours, r->paid_hours)))
        rc = ccs_diag_at(d, CCS_ESTATE, NULL, 0, 0,
                         "roster: cost %g and paid hours %g, recorded %g and %g", cost, hours,
                         r->cost, r->paid_hours);
done:
    free(sched);
    free(onph);
    free(used);
    free(head);
    return rc;
}
