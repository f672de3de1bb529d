/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * schedule.c - rosters for a scenario: the Erlang A requirement per group
 * and interval (ccs_staff_erlang_plan), the scenario's 'rostering' keys as
 * a roster problem, the least-cost roster; then, if asked, the roster
 * simulated, the requirement of every interval short of target raised by
 * one (or a subgradient cut added: loop_cuts) and the roster solved again
 * until every interval meets its target or cannot (Atlason, Epelman and
 * Henderson 2004; Cezik and L'Ecuyer 2008), and a last simulation with
 * fresh seeds judged by one-sided tests with Holm's correction.
 */
#include "ccs/schedule.h"

#include "ccs/results.h"
#include "ccs/run.h"
#include "ccs/sim.h"
#include "ccs/mem.h"
#include "exp/derive.h"
#include "core/grow.h"
#include "core/timeconst.h"
#include "core/memstream.h"
#include "fmt/textout.h"
#include "exp/schedule_impl.h"
#include "exp/staffing_plan.h"
#include "model/scenario.h"
#include "ccs/mem.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ccs_schedule_opts ccs_schedule_opts_default(const struct ccs_scenario *sc)
{
    struct ccs_schedule_opts o;
    memset(&o, 0, sizeof o);
    o.staff = ccs_staff_opts_default(sc);
    o.staff.refine = false;
    o.roster = ccs_roster_opts_default();
    o.simulate = false;
    o.max_rounds = 20;
    o.cuts = CCS_SCHED_CUTS_RAISE; /* about as cheap on the shipped scenarios, in fewer
                                      simulations (docs/schedule.md, "Simulation loop") */
    o.seed = sc->seed;
    o.replications = sc->replications < 2 ? 2 : sc->replications;
    o.alpha = 0.05;
    return o;
}

void ccs_schedule_free(struct ccs_schedule *s)
{
    if (s == NULL)
        return;
    free(s->group_of);
    ccs_staffing_free(s->staff);
    free(s->required);
    ccs_roster_free(s->roster);
    free(s->sl);
    free(s->sl_se);
    free(s->p_value);
    free(s->below);
    free(s->cell);
    free(s);
}

/* Interval of the day of a clock time (seconds after midnight). */
static uint32_t day_interval(const struct ccs_scenario *sc, const struct ccs_roster_grid *g,
                             double clock)
{
    double off = clock - sc->start_time;
    if (g->cyclic)
        off = fmod(off + CCS_DAY, CCS_DAY);
    return (uint32_t)floor(off / sc->interval + 0.5);
}

static uint32_t ivals(const struct ccs_scenario *sc, double seconds)
{
    return (uint32_t)floor(seconds / sc->interval + 0.5);
}

/* A refused template, located where the scenario writes it. */
static int relocate(const struct ccs_rtemplate_def *t, struct ccs_diag *inner, struct ccs_diag *d)
{
    const char *msg = inner->msg, *p = strstr(msg, "error: ");
    if (p != NULL)
        msg = p + 7;
    return ccs_diag_at(d, inner->code, t->origin, t->line, t->col, "%s", msg);
}

static int build_problem(const struct ccs_scenario *sc, struct ccs_schedule *s,
                         struct ccs_roster_problem **out, struct ccs_diag *d)
{
    struct ccs_roster_problem *p;
    int rc = ccs_roster_problem_new(&s->grid, &p, d);
    if (rc)
        return rc;
    uint32_t ng = 0;
    for (size_t g = 0; g < sc->n_groups && rc == 0; g++) {
        const struct ccs_group_def *gd = &sc->groups[g];
        const struct ccs_rostering_def *r = gd->rostering;
        s->group_of[g] = -1;
        if (r == NULL)
            continue;
        uint32_t id;
        rc = ccs_roster_add_group(p, gd->id, r->max_agents, &id, d);
        s->group_of[g] = (int32_t)id;
        ng++;
        for (size_t k = 0; k < r->n_templates && rc == 0; k++) {
            const struct ccs_rtemplate_def *td = &r->templates[k];
            struct ccs_roster_template t = ccs_roster_template_default();
            t.name = td->name;
            t.group = id;
            t.start_first = day_interval(sc, &s->grid, td->start_from);
            t.start_last = day_interval(sc, &s->grid, td->start_to);
            t.start_step = ivals(sc, td->start_every);
            t.n_lengths = (uint32_t)td->n_lengths;
            for (size_t l = 0; l < td->n_lengths; l++)
                t.lengths[l] = ivals(sc, td->lengths[l]);
            t.cost_per_hour = td->cost_per_hour < 0 ? gd->cost_per_hour : td->cost_per_hour;
            t.max_agents = td->max_agents;
            t.n_breaks = (uint32_t)td->n_breaks;
            for (size_t b = 0; b < td->n_breaks; b++) {
                t.breaks[b].length = ivals(sc, td->breaks[b].length);
                t.breaks[b].earliest = ivals(sc, td->breaks[b].earliest);
                t.breaks[b].latest = ivals(sc, td->breaks[b].latest);
                t.breaks[b].paid = td->breaks[b].paid;
            }
            t.min_work_before = ivals(sc, td->min_before);
            t.min_work_between = ivals(sc, td->min_between);
            t.min_work_after = ivals(sc, td->min_after);
            t.days.work = td->work_days;
            t.days.at_most = td->at_most;
            t.days.consecutive_off = td->consecutive_off;
            struct ccs_diag inner;
            ccs_diag_clear(&inner);
            rc = ccs_roster_add_template(p, &t, NULL, &inner);
            if (rc)
                relocate(td, &inner, d);
        }
        if (rc == 0 && r->has_part_time) {
            struct ccs_roster_limit l = {id, ivals(sc, r->part_shorter_than), r->part_max_share,
                                         r->part_by_hours};
            rc = ccs_roster_add_limit(p, &l, d);
        }
    }
    if (rc == 0 && ng == 0)
        rc = ccs_diag_at(d, CCS_EINVAL, sc->origin, 0, 0,
                         "no group has a 'rostering' key: nothing to schedule "
                         "(docs/scenario.md, Rostering)");
    if (rc) {
        ccs_roster_problem_free(p);
        return rc;
    }
    *out = p;
    return 0;
}

static int set_required(struct ccs_roster_problem *p, const struct ccs_schedule *s,
                        struct ccs_diag *d)
{
    int rc = 0;
    for (size_t g = 0; g < s->n_groups && rc == 0; g++)
        if (s->group_of[g] >= 0)
            rc = ccs_roster_set_required(p, (uint32_t)s->group_of[g],
                                         s->required + g * s->n_intervals, d);
    return rc;
}

/* --- the roster as scenario shifts ------------------------------------------------------ */

/* "08:30": the time of day of a clock time (seconds after the first midnight). */
static void clock_text(double clock, char *buf, size_t size)
{
    ccs__clock(buf, size, clock, 0);
}

static void dur_text(double sec, char *buf, size_t size)
{
    long m = (long)floor(sec / 60 + 0.5);
    if (m % 60 == 0)
        snprintf(buf, size, "%ldh", m / 60);
    else if (m > 60)
        snprintf(buf, size, "%ldh%ldm", m / 60, m % 60);
    else
        snprintf(buf, size, "%ldm", m);
}

const struct ccs_rtemplate_def *ccs__schedule_template(const struct ccs_schedule *s,
                                                       uint32_t tmpl)
{
    size_t k = tmpl;
    for (size_t g = 0; g < s->sc->n_groups; g++) {
        const struct ccs_rostering_def *r = s->sc->groups[g].rostering;
        if (r == NULL)
            continue;
        if (k < r->n_templates)
            return &r->templates[k];
        k -= r->n_templates;
    }
    return NULL;
}

double ccs__schedule_shift_clock(const struct ccs_schedule *s, const struct ccs_roster_shift *sh,
                                 uint32_t *day)
{
    double start = s->sc->start_time + sh->start * s->sc->interval;
    *day = sh->day + (uint32_t)floor(start / CCS_DAY);
    return fmod(start, CCS_DAY);
}

static const char *const weekday[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

int ccs__schedule_shift_yaml(const struct ccs_schedule *s, const struct ccs_roster_shift *sh,
                             FILE *f)
{
    const struct ccs_scenario *sc = s->sc;
    uint32_t day;
    double start = ccs__schedule_shift_clock(s, sh, &day);
    char a[48], b[48];
    clock_text(start, a, sizeof a);
    dur_text(sh->length * sc->interval, b, sizeof b);
    fprintf(f, "{start: \"%s\", length: %s, agents: %u", a, b, sh->count);
    if (s->grid.days > 1)
        fprintf(f, ", days: [%s]", weekday[(day + (uint32_t)sc->start_day) % 7]);
    const struct ccs_rtemplate_def *td = ccs__schedule_template(s, sh->tmpl);
    if (td != NULL && td->n_breaks > 0) {
        fputs(", breaks: [", f);
        for (size_t k = 0; k < td->n_breaks; k++) {
            clock_text(start + sh->breaks[k] * sc->interval, a, sizeof a);
            dur_text(td->breaks[k].length, b, sizeof b);
            fprintf(f, "%s{at: \"%s\", length: %s}", k ? ", " : "", a, b);
        }
        fputc(']', f);
    }
    fputc('}', f);
    return ferror(f) ? CCS_EIO : 0;
}

/* The scenario with the roster as shifts, and, when xg < n_groups, one agent
   more in scenario group xg for interval xt alone (a finite difference). */
static int derive(const struct ccs_schedule *s, size_t xg, uint32_t xt, struct ccs_scenario **out,
                  struct ccs_diag *d)
{
    *out = NULL;
    size_t ng = s->n_groups;
    char **texts = ccs_calloc(ng, sizeof *texts);
    int rc = texts ? 0 : CCS_ENOMEM;
    size_t k = 0;
    for (size_t g = 0; g < ng && rc == 0; g++) {
        if (s->group_of[g] < 0)
            continue;
        size_t len = 0;
        FILE *m = ccs__memstream(&texts[k], &len);
        if (m == NULL) {
            rc = CCS_ENOMEM;
            break;
        }
        fprintf(m, "groups.%zu.", g);
        size_t n = 0;
        for (size_t i = 0; i < s->roster->n_shifts; i++) {
            const struct ccs_roster_shift *sh = &s->roster->shifts[i];
            if (sh->group != (uint32_t)s->group_of[g] || sh->count == 0)
                continue;
            fputs(n == 0 ? "shifts=[" : ", ", m);
            ccs__schedule_shift_yaml(s, sh, m);
            n++;
        }
        if (g == xg) { /* one agent, one interval, no break */
            struct ccs_roster_shift one;
            memset(&one, 0, sizeof one);
            one.tmpl = UINT32_MAX;
            one.day = xt / s->grid.per_day;
            one.start = xt % s->grid.per_day;
            one.length = 1;
            one.count = 1;
            fputs(n == 0 ? "shifts=[" : ", ", m);
            ccs__schedule_shift_yaml(s, &one, m);
            n++;
        }
        /* no shift at all: nobody works (a shift of zero agents) */
        if (n == 0)
            fputs("shifts=[{start: \"00:00\", length: 1h, agents: 0}", m);
        fputc(']', m);
        if (fclose(m) != 0 || texts[k] == NULL) {
            rc = CCS_ENOMEM;
            break;
        }
        k++;
    }
    if (rc == CCS_ENOMEM)
        ccs_diag_at(d, rc, NULL, 0, 0, "out of memory");
    if (rc == 0)
        rc = ccs__derive_texts(s->sc, texts, k, "ccsim schedule", out, d);
    ccs__texts_free(texts, ng);
    return rc;
}

int ccs_schedule_derive(const struct ccs_schedule *s, struct ccs_scenario **out,
                        struct ccs_diag *d)
{
    return derive(s, SIZE_MAX, 0, out, d);
}

/* --- simulation ------------------------------------------------------------------------ */

/* Simulate the roster (with one agent more in scenario group xg for
   interval xt when xg < n_groups): SL mean and standard error per interval
   and queue. */
static int simulate_x(const struct ccs_schedule *s, size_t xg, uint32_t xt, uint64_t seed,
                      double *sl, double *se, struct ccs_diag *d)
{
    struct ccs_scenario *sc;
    int rc = derive(s, xg, xt, &sc, d);
    if (rc)
        return rc;
    struct ccs_run_opts ro = ccs_run_opts_default(sc);
    ro.seed = seed;
    ro.replications = s->replications;
    struct ccs_summary *sum;
    rc = ccs_run(sc, &ro, &sum, d);
    if (rc == 0) {
        const struct ccs_layout *l = ccs_summary_layout(sum);
        for (uint32_t i = 0; i < s->n_intervals; i++)
            for (size_t q = 0; q < s->n_queues; q++) {
                long key = ccs_layout_find(l, CCS_SCOPE_QUEUE, CCS_KPI_service_level, (int)q, -1,
                                           -1, (int)i);
                size_t c = i * s->n_queues + q;
                double n = key < 0 ? 0 : ccs_summary_n(sum, (size_t)key);
                sl[c] = key < 0 || n < 1 ? NAN : ccs_summary_mean(sum, (size_t)key);
                se[c] = key < 0 || n < 2 ? NAN : ccs_summary_sd(sum, (size_t)key) / sqrt(n);
            }
        ccs_summary_free(sum);
    }
    ccs_scenario_free(sc);
    return rc;
}

static int simulate(const struct ccs_schedule *s, uint64_t seed, double *sl, double *se,
                    struct ccs_diag *d)
{
    return simulate_x(s, SIZE_MAX, 0, seed, sl, se, d);
}

/* Whether cell c has a service-level target to judge. */
static bool judged(const struct ccs_schedule *s, size_t c)
{
    size_t q = c % s->n_queues;
    return s->staff->need[c].applies && s->sc->queues[q].sla_target > 0 &&
           s->staff->primary[q] >= 0 && s->group_of[s->staff->primary[q]] >= 0;
}

/* A round's verdict per cell from its simulated service levels sl: short
   (mean below the queue's target) or met; cells not judged or that cannot
   meet their target stay so. Returns the number short. */
static uint32_t mark_short(struct ccs_schedule *s, const double *sl)
{
    uint32_t n_short = 0;
    size_t n = (size_t)s->n_intervals * s->n_queues;
    for (size_t c = 0; c < n; c++) {
        if (s->cell[c] == CCS_SCHED_NA || s->cell[c] == CCS_SCHED_CANNOT)
            continue;
        bool sh = !isnan(sl[c]) && sl[c] < s->sc->queues[c % s->n_queues].sla_target;
        s->cell[c] = sh ? CCS_SCHED_SHORT : CCS_SCHED_MET;
        n_short += sh;
    }
    return n_short;
}

/*
 * The validation: one-sided p-values of H0 "SL >= target" per cell (normal
 * approximation of the replications' mean; a cell whose replications all
 * agree has p 1 when at or above target, 0 below), then Holm's step-down
 * over the judged cells at family-wise level alpha.
 */
static void holm(struct ccs_schedule *s)
{
    size_t n = (size_t)s->n_intervals * s->n_queues, m = 0;
    size_t *idx = ccs_malloc((n + 1) * sizeof *idx);
    s->n_below = 0;
    for (size_t c = 0; c < n; c++) {
        s->below[c] = false;
        s->p_value[c] = NAN;
        if (!judged(s, c) || isnan(s->sl[c]))
            continue;
        double target = s->sc->queues[c % s->n_queues].sla_target;
        double z = isnan(s->sl_se[c]) || s->sl_se[c] <= 0
                       ? (s->sl[c] >= target ? INFINITY : -INFINITY)
                       : (s->sl[c] - target) / s->sl_se[c];
        s->p_value[c] = gsl_cdf_ugaussian_P(z);
        if (idx != NULL)
            idx[m++] = c;
    }
    if (idx == NULL)
        return;
    /* insertion sort by p, then cell: deterministic */
    for (size_t i = 1; i < m; i++) {
        size_t v = idx[i], j = i;
        while (j > 0 && s->p_value[idx[j - 1]] > s->p_value[v]) {
            idx[j] = idx[j - 1];
            j--;
        }
        idx[j] = v;
    }
    for (size_t k = 0; k < m; k++) {
        if (s->p_value[idx[k]] > s->alpha / (double)(m - k))
            break;
        s->below[idx[k]] = true;
        s->n_below++;
    }
    free(idx);
}

static int solve(struct ccs_roster_problem *p, struct ccs_schedule *s,
                 const struct ccs_schedule_opts *o, struct ccs_roster **r, struct ccs_diag *d)
{
    int rc = set_required(p, s, d);
    if (rc == 0)
        rc = ccs_roster_solve(p, &o->roster, r, d);
    return rc;
}

static bool has_roster(const struct ccs_roster *r)
{
    return r->status != CCS_ROSTER_INFEASIBLE && r->status != CCS_ROSTER_NO_ROSTER;
}

/*
 * The loop: simulate; every judged cell whose mean SL is below target and
 * not given up raises its primary group's requirement in that interval by
 * one; solve again. A raise that leaves no roster is undone and the cell
 * marked "cannot". Ends when no cell is short, or at max_rounds.
 */
static int loop(struct ccs_roster_problem *p, struct ccs_schedule *s,
                const struct ccs_schedule_opts *o, struct ccs_diag *d)
{
    size_t n = (size_t)s->n_intervals * s->n_queues;
    uint32_t T = s->n_intervals;
    double *sl = ccs_malloc(n * sizeof *sl), *se = ccs_malloc(n * sizeof *se);
    uint32_t *saved = ccs_malloc(s->n_groups * T * sizeof *saved);
    int rc = sl && se && saved ? 0 : CCS_ENOMEM;
    if (rc)
        ccs_diag_at(d, rc, NULL, 0, 0, "out of memory");
    for (size_t c = 0; c < n; c++)
        s->cell[c] = judged(s, c) ? CCS_SCHED_MET : CCS_SCHED_NA;
    for (uint32_t round = 1; rc == 0 && round <= o->max_rounds; round++) {
        rc = simulate(s, o->seed, sl, se, d);
        if (rc)
            break;
        s->rounds = round;
        s->simulations++;
        memcpy(saved, s->required, s->n_groups * T * sizeof *saved);
        uint32_t n_short = mark_short(s, sl), raised = 0;
        for (size_t c = 0; c < n; c++) {
            if (s->cell[c] != CCS_SCHED_SHORT)
                continue;
            size_t g = (size_t)s->staff->primary[c % s->n_queues];
            uint32_t *req = &s->required[g * T + c / s->n_queues];
            if (*req == saved[g * T + c / s->n_queues]) { /* once per group and interval */
                (*req)++;
                raised++;
            }
        }
        if (o->progress != NULL)
            o->progress(o->progress_ctx, round, n_short, raised, s->roster->cost);
        if (raised == 0 || round == o->max_rounds) {
            if (raised > 0) /* the cap: keep the roster simulated */
                memcpy(s->required, saved, s->n_groups * T * sizeof *saved);
            break;
        }
        struct ccs_roster *r = NULL;
        rc = solve(p, s, o, &r, d);
        if (rc)
            break;
        if (!has_roster(r)) {
            /* some raise cannot be covered: undo them one interval at a time */
            ccs_roster_free(r);
            r = NULL;
            memcpy(s->required, saved, s->n_groups * T * sizeof *saved);
            uint32_t kept = 0;
            for (size_t c = 0; c < n && rc == 0; c++) {
                if (s->cell[c] != CCS_SCHED_SHORT)
                    continue;
                size_t g = (size_t)s->staff->primary[c % s->n_queues];
                uint32_t *req = &s->required[g * T + c / s->n_queues];
                if (*req != saved[g * T + c / s->n_queues])
                    continue;
                (*req)++;
                struct ccs_roster *r2 = NULL;
                rc = solve(p, s, o, &r2, d);
                if (rc == 0 && has_roster(r2)) {
                    ccs_roster_free(r);
                    r = r2;
                    kept++;
                } else {
                    ccs_roster_free(r2);
                    (*req)--;
                    s->cell[c] = CCS_SCHED_CANNOT;
                }
            }
            if (rc == 0 && kept == 0)
                break; /* nothing can be raised: the last roster stands */
        }
        if (rc == 0 && r != NULL) {
            ccs_roster_free(s->roster);
            s->roster = r;
        } else {
            ccs_roster_free(r);
        }
    }
    free(sl);
    free(se);
    free(saved);
    return rc;
}

/* --- the subgradient loop --------------------------------------------------------------- */

/* Cuts as the loop keeps them, to put back into the problem after a round
   whose cuts left no roster. */
struct cutbuf {
    struct ccs_roster_term *terms;
    size_t n_terms, cap_terms;
    size_t *first, *n, *cell;
    double *rhs;
    size_t n_cuts, cap_first, cap_n, cap_cell, cap_rhs;
};

static void cutbuf_free(struct cutbuf *b)
{
    free(b->terms);
    free(b->first);
    free(b->n);
    free(b->cell);
    free(b->rhs);
    memset(b, 0, sizeof *b);
}

static int cutbuf_add(struct cutbuf *b, const struct ccs_roster_term *t, size_t n, double rhs,
                      size_t cell)
{
    if (CCS_GROW(b->terms, b->cap_terms, b->n_terms + n) ||
        CCS_GROW(b->first, b->cap_first, b->n_cuts + 1) ||
        CCS_GROW(b->n, b->cap_n, b->n_cuts + 1) ||
        CCS_GROW(b->cell, b->cap_cell, b->n_cuts + 1) ||
        CCS_GROW(b->rhs, b->cap_rhs, b->n_cuts + 1))
        return CCS_ENOMEM;
    memcpy(b->terms + b->n_terms, t, n * sizeof *t);
    b->first[b->n_cuts] = b->n_terms;
    b->n[b->n_cuts] = n;
    b->cell[b->n_cuts] = cell;
    b->rhs[b->n_cuts++] = rhs;
    b->n_terms += n;
    return 0;
}

/* Cut i of b into the problem. */
static int cutbuf_put(const struct cutbuf *b, size_t i, struct ccs_roster_problem *p,
                      struct ccs_diag *d)
{
    return ccs_roster_add_cut_terms(p, b->n[i], b->terms + b->first[i], b->rhs[i], d);
}

/* The problem's cuts: those of b. */
static int cutbuf_set(const struct cutbuf *b, struct ccs_roster_problem *p, struct ccs_diag *d)
{
    ccs_roster_clear_cuts(p);
    int rc = 0;
    for (size_t i = 0; i < b->n_cuts && rc == 0; i++)
        rc = cutbuf_put(b, i, p, d);
    return rc;
}

/* Whether scenario group g takes queue q. */
static bool serves(const struct ccs_scenario *sc, size_t g, size_t q)
{
    for (size_t i = 0; i < sc->groups[g].n_skills; i++)
        if (sc->groups[g].skills[i].queue == q)
            return true;
    return false;
}

/*
 * The loop of Atlason, Epelman and Henderson (2004), for several groups as
 * Cezik and L'Ecuyer (2008): simulate the roster (N-bar: agents on the
 * phones per group and interval); for every judged cell (queue k, interval
 * t) whose mean SL is below target, estimate q[g][u] = SL_{k,t}(N-bar + one
 * agent of group g in u) - SL_{k,t}(N-bar), by one more simulation per
 * (g, u) with the same seed and replications (common random numbers),
 * shared by all cells, for the rostered groups g taking k and u in {t,
 * t - 1} (a queue carries over from the interval before; further back the
 * differences are mostly noise); add the cut
 *   SL_{k,t}(N-bar) + sum q[g][u] (N[g][u] - N-bar[g][u]) >= target_k
 * with the negative q taken as 0 (one agent more does not lower a service
 * level but by noise); a cell whose q are all 0 gets the raise cut
 * N[g][t] >= N-bar[g][t] + 1 of its best group instead (n_fallback). Solve
 * again (a cut with terms of several groups ties them into one program).
 * A round whose cuts leave no roster is undone and its cuts added one at a
 * time, those that leave none dropped and their cells marked "cannot".
 * Ends when no cell is short, or at max_rounds.
 */
static int loop_cuts(struct ccs_roster_problem *p, struct ccs_schedule *s,
                     const struct ccs_schedule_opts *o, struct ccs_diag *d)
{
    const struct ccs_scenario *sc = s->sc;
    size_t Q = s->n_queues, G = s->n_groups, n = (size_t)s->n_intervals * Q;
    uint32_t T = s->n_intervals;
    double *sl = ccs_malloc(n * sizeof *sl), *se = ccs_malloc(n * sizeof *se);
    double *sl2 = ccs_malloc(n * sizeof *sl2), *se2 = ccs_malloc(n * sizeof *se2);
    double *q = ccs_malloc(n * G * 2 * sizeof *q); /* [(c * G + g) * 2 + (t - u)] */
    bool *want = ccs_malloc(G * T * sizeof *want);  /* [g * T + u] */
    struct ccs_roster_term *terms = ccs_malloc((2 * G + 1) * sizeof *terms);
    struct cutbuf kept, fresh;
    memset(&kept, 0, sizeof kept);
    memset(&fresh, 0, sizeof fresh);
    int rc = sl && se && sl2 && se2 && q && want && terms ? 0 : CCS_ENOMEM;
    for (size_t c = 0; c < n; c++)
        s->cell[c] = judged(s, c) ? CCS_SCHED_MET : CCS_SCHED_NA;
    ccs_roster_clear_cuts(p);
    for (uint32_t round = 1; rc == 0 && round <= o->max_rounds; round++) {
        rc = simulate(s, o->seed, sl, se, d);
        if (rc)
            break;
        s->rounds = round;
        s->simulations++;
        uint32_t n_short = mark_short(s, sl);
        if (n_short == 0 || round == o->max_rounds) {
            if (o->progress != NULL)
                o->progress(o->progress_ctx, round, n_short, 0, s->roster->cost);
            break;
        }
        /* the finite differences, one simulation per (group, interval) */
        memset(want, 0, G * T * sizeof *want);
        for (size_t c = 0; c < n; c++) {
            if (s->cell[c] != CCS_SCHED_SHORT)
                continue;
            uint32_t t = (uint32_t)(c / Q);
            for (size_t g = 0; g < G; g++)
                if (s->group_of[g] >= 0 && serves(sc, g, c % Q)) {
                    want[g * T + t] = true;
                    if (t > 0)
                        want[g * T + t - 1] = true;
                }
        }
        for (size_t i = 0; i < n * G * 2; i++)
            q[i] = 0;
        for (size_t g = 0; g < G && rc == 0; g++)
            for (uint32_t u = 0; u < T && rc == 0; u++) {
                if (!want[g * T + u])
                    continue;
                rc = simulate_x(s, g, u, o->seed, sl2, se2, d);
                s->simulations++;
                for (uint32_t t = u; rc == 0 && t <= u + 1 && t < T; t++)
                    for (size_t k = 0; k < Q; k++) {
                        size_t c = (size_t)t * Q + k;
                        if (s->cell[c] == CCS_SCHED_SHORT && serves(sc, g, k) && !isnan(sl2[c]))
                            q[(c * G + g) * 2 + (t - u)] = sl2[c] - sl[c];
                    }
            }
        if (rc)
            break;
        /* the cuts */
        fresh.n_cuts = fresh.n_terms = 0;
        for (size_t c = 0; c < n && rc == 0; c++) {
            if (s->cell[c] != CCS_SCHED_SHORT)
                continue;
            uint32_t t = (uint32_t)(c / Q);
            size_t nt = 0;
            double rhs = sc->queues[c % Q].sla_target - sl[c];
            for (size_t g = 0; g < G; g++)
                for (uint32_t j = 0; j < 2 && j <= t; j++) {
                    double v = q[(c * G + g) * 2 + j];
                    if (!(v > 0) || s->group_of[g] < 0)
                        continue;
                    uint32_t rg = (uint32_t)s->group_of[g];
                    terms[nt++] = (struct ccs_roster_term){rg, t - j, v};
                    rhs += v * s->roster->on_phone[(size_t)rg * T + t - j];
                }
            if (nt == 0) { /* SL not increasing here (not concave, or noise): raise */
                uint32_t rg = (uint32_t)s->group_of[s->staff->primary[c % Q]];
                terms[nt++] = (struct ccs_roster_term){rg, t, 1};
                rhs = s->roster->on_phone[(size_t)rg * T + t] + 1.0;
                s->n_fallback++;
            }
            rc = cutbuf_add(&fresh, terms, nt, rhs, c);
        }
        for (size_t i = 0; i < fresh.n_cuts && rc == 0; i++)
            rc = cutbuf_put(&fresh, i, p, d);
        struct ccs_roster *r = NULL;
        if (rc == 0)
            rc = ccs_roster_solve(p, &o->roster, &r, d);
        if (rc)
            break;
        uint32_t added = (uint32_t)fresh.n_cuts;
        if (has_roster(r)) {
            for (size_t i = 0; i < fresh.n_cuts && rc == 0; i++)
                rc = cutbuf_add(&kept, fresh.terms + fresh.first[i], fresh.n[i], fresh.rhs[i],
                                fresh.cell[i]);
        } else {
            /* some cut cannot be met: undo the round, add its cuts one at a time */
            ccs_roster_free(r);
            r = NULL;
            added = 0;
            rc = cutbuf_set(&kept, p, d);
            for (size_t i = 0; i < fresh.n_cuts && rc == 0; i++) {
                struct ccs_roster *r2 = NULL;
                rc = cutbuf_put(&fresh, i, p, d);
                if (rc == 0)
                    rc = ccs_roster_solve(p, &o->roster, &r2, d);
                if (rc == 0 && has_roster(r2)) {
                    ccs_roster_free(r);
                    r = r2;
                    added++;
                    rc = cutbuf_add(&kept, fresh.terms + fresh.first[i], fresh.n[i],
                                    fresh.rhs[i], fresh.cell[i]);
                } else {
                    ccs_roster_free(r2);
                    s->cell[fresh.cell[i]] = CCS_SCHED_CANNOT;
                    if (rc == 0)
                        rc = cutbuf_set(&kept, p, d);
                }
            }
        }
        if (o->progress != NULL)
            o->progress(o->progress_ctx, round, n_short, added,
                        r != NULL ? r->cost : s->roster->cost);
        if (rc == 0 && r != NULL) {
            ccs_roster_free(s->roster);
            s->roster = r;
        } else {
            ccs_roster_free(r);
        }
        if (rc == 0 && added == 0)
            break; /* nothing can be added: the last roster stands */
    }
    if (rc == CCS_ENOMEM && d != NULL && d->code == 0)
        ccs_diag_at(d, rc, NULL, 0, 0, "out of memory");
    s->n_cuts = kept.n_cuts;
    cutbuf_free(&kept);
    cutbuf_free(&fresh);
    free(sl);
    free(se);
    free(sl2);
    free(se2);
    free(q);
    free(want);
    free(terms);
    return rc;
}

const char *ccs_schedule_cuts_name(enum ccs_schedule_cuts c)
{
    return c == CCS_SCHED_CUTS_RAISE ? "raise" : "subgradient";
}

int ccs_schedule(const struct ccs_scenario *sc, const struct ccs_schedule_opts *o,
                 struct ccs_schedule **out, struct ccs_diag *d)
{
    *out = NULL;
    if (o->max_rounds < 1 || o->replications < 2 || !(o->alpha > 0 && o->alpha < 1) ||
        (o->cuts != CCS_SCHED_CUTS_SUBGRADIENT && o->cuts != CCS_SCHED_CUTS_RAISE))
        return ccs_diag_at(d, CCS_EINVAL, NULL, 0, 0,
                           "schedule: rounds >= 1, replications >= 2, alpha in (0, 1) and "
                           "cuts subgradient or raise");
    struct ccs_schedule *s = ccs_calloc(1, sizeof *s);
    if (s == NULL)
        return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    s->sc = sc;
    s->n_groups = sc->n_groups;
    s->n_queues = sc->n_queues;
    s->seed = o->seed;
    s->replications = o->replications;
    s->alpha = o->alpha;
    s->cuts = o->cuts;
    const char *why = NULL;
    uint32_t days, per_day;
    bool cyclic;
    struct ccs_roster_problem *p = NULL;
    int rc = 0;
    /* a time that does not fit the horizon, found (and located) by the loader */
    for (size_t g = 0; g < sc->n_groups; g++) {
        const struct ccs_rostering_def *r = sc->groups[g].rostering;
        if (r != NULL && r->grid_error != NULL && d != NULL && d->code == 0) {
            d->code = rc = CCS_EINVAL;
            snprintf(d->msg, sizeof d->msg, "%s", r->grid_error); /* "FILE:L:C: error: ..." */
            goto done;
        }
    }
    if (!ccs__roster_grid_of(sc, &days, &per_day, &cyclic, &why)) {
        rc = ccs_diag_at(d, CCS_EINVAL, sc->origin, 0, 0, "%s", why);
        goto done;
    }
    s->grid.days = days;
    s->grid.per_day = per_day;
    s->grid.minutes = sc->interval / 60;
    s->grid.day_start = (uint32_t)floor(sc->start_time / 60 + 0.5);
    s->grid.cyclic = cyclic;
    s->n_intervals = days * per_day;
    size_t n = (size_t)s->n_intervals * s->n_queues;
    s->group_of = ccs_calloc(sc->n_groups, sizeof *s->group_of);
    s->required = ccs_calloc(sc->n_groups * (size_t)s->n_intervals, sizeof *s->required);
    s->sl = ccs_malloc(n * sizeof *s->sl);
    s->sl_se = ccs_malloc(n * sizeof *s->sl_se);
    s->p_value = ccs_malloc(n * sizeof *s->p_value);
    s->below = ccs_calloc(n, sizeof *s->below);
    s->cell = ccs_calloc(n, sizeof *s->cell);
    if (!s->group_of || !s->required || !s->sl || !s->sl_se || !s->p_value || !s->below ||
        !s->cell) {
        rc = ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
        goto done;
    }
    for (size_t c = 0; c < n; c++)
        s->sl[c] = s->sl_se[c] = s->p_value[c] = NAN;
    if ((rc = build_problem(sc, s, &p, d)) != 0)
        goto done;
    if ((rc = ccs_staff_erlang_plan(sc, &o->staff, &s->staff, d)) != 0)
        goto done;
    if (s->staff->n_intervals != s->n_intervals) {
        rc = ccs_diag_at(d, CCS_EINVAL, sc->origin, 0, 0,
                         "the roster grid has %u intervals but the scenario reports %u",
                         s->n_intervals, s->staff->n_intervals);
        goto done;
    }
    for (size_t g = 0; g < sc->n_groups; g++)
        for (uint32_t t = 0; t < s->n_intervals; t++) {
            size_t k = g * s->n_intervals + t;
            s->required[k] = s->group_of[g] >= 0 ? s->staff->plan[k] : 0;
            if (s->group_of[g] >= 0) {
                s->plan_hours += s->staff->plan[k] * sc->interval / 3600;
                s->plan_cost += s->staff->plan[k] * sc->interval / 3600 * sc->groups[g].cost_per_hour;
            }
        }
    if ((rc = solve(p, s, o, &s->roster, d)) != 0)
        goto done;
    for (size_t c = 0; c < n; c++)
        s->cell[c] = judged(s, c) ? CCS_SCHED_MET : CCS_SCHED_NA;
    if (o->simulate && has_roster(s->roster)) {
        rc = o->cuts == CCS_SCHED_CUTS_RAISE ? loop(p, s, o, d) : loop_cuts(p, s, o, d);
        if (rc != 0)
            goto done;
        if ((rc = simulate(s, o->seed + 1, s->sl, s->sl_se, d)) != 0)
            goto done;
        s->simulated = true;
        holm(s);
        s->n_short = 0;
        for (size_t c = 0; c < n; c++)
            if (s->cell[c] == CCS_SCHED_SHORT || s->cell[c] == CCS_SCHED_CANNOT)
                s->n_short++;
    }
done:
    ccs_roster_problem_free(p);
    if (rc) {
        ccs_schedule_free(s);
        return rc;
    }
    *out = s;
    return 0;
}
