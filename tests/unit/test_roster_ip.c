/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_roster_ip.c - the roster integer program against brute force: on
 * small random instances (shifts of a few hours, one or two breaks with
 * windows and minimum work, agent limits, part-time rules, days off) the
 * solver's cost equals the cheapest set of explicit tours found by
 * enumeration; every roster passes ccs_roster_verify and this file's own
 * checks of break windows and days off; infeasible instances name the
 * interval; bad templates are refused with their message.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ccs/roster.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- a tiny deterministic generator ------------------------------------------------- */

static uint64_t rng_next(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

static uint32_t rng_int(uint64_t *s, uint32_t lo, uint32_t hi) /* [lo, hi] */
{
    return lo + (uint32_t)(rng_next(s) % (hi - lo + 1));
}

/* --- brute force over explicit tours ------------------------------------------------- */

/*
 * A column of the brute force: one agent's whole roster (a days pattern and
 * an explicit shift with explicit break starts on each working day), the
 * agents it puts on the phones per interval, its cost, and what the side
 * rules count.
 */
struct col {
    uint32_t tmpl;
    uint8_t *on; /* [T] 0/1 */
    double cost;
    uint32_t n_short[8];     /* shifts shorter than limit l's length */
    double h_short[8], h_all;
    uint32_t n_shifts;
};

struct bf {
    const struct ccs_roster_grid *grid;
    uint32_t T;
    const struct ccs_roster_template *tp;
    size_t n_tp;
    uint32_t gmax;
    const uint32_t *need;
    const struct ccs_roster_limit *lim;
    size_t n_lim;
    struct col *cols;
    size_t n_cols, cap;
    /* search */
    int32_t *cov;
    uint32_t *per_tmpl;
    double best;
    uint64_t nodes, node_cap;
};

/* Daily options of a template: (start, length, break starts) that fit. */
struct opt {
    uint32_t start, length, brk[CCS_ROSTER_MAX_BREAKS];
};

static bool full_day(const struct ccs_roster_grid *g)
{
    return fabs(g->per_day * g->minutes - 1440) < 1e-9;
}

static void opts_breaks(const struct ccs_roster_template *t, struct opt *cur, uint32_t b,
                        struct opt *out, size_t *n)
{
    if (b == t->n_breaks) {
        out[(*n)++] = *cur;
        return;
    }
    const struct ccs_roster_break *br = &t->breaks[b];
    for (uint32_t k = br->earliest; k <= br->latest; k++) {
        if (b == 0 && k < t->min_work_before)
            continue;
        if (b > 0 && k < cur->brk[b - 1] + t->breaks[b - 1].length + t->min_work_between)
            continue;
        if (b + 1 == t->n_breaks && k + br->length + t->min_work_after > cur->length)
            continue;
        if (k + br->length > cur->length)
            continue;
        cur->brk[b] = k;
        opts_breaks(t, cur, b + 1, out, n);
    }
}

static size_t day_options(const struct ccs_roster_grid *g, const struct ccs_roster_template *t,
                          uint32_t day, struct opt *out)
{
    size_t n = 0;
    uint32_t T = g->days * g->per_day;
    for (uint32_t s = t->start_first; s <= t->start_last; s += t->start_step)
        for (uint32_t i = 0; i < t->n_lengths; i++) {
            uint32_t L = t->lengths[i];
            if (!full_day(g) && s + L > g->per_day)
                continue;
            if (full_day(g) && !g->cyclic && day * g->per_day + s + L > T)
                continue;
            struct opt cur = {s, L, {0}};
            opts_breaks(t, &cur, 0, out, &n);
        }
    return n;
}

static bool pattern_ok(const struct ccs_roster_grid *g, const struct ccs_roster_days *r,
                       uint32_t mask)
{
    uint32_t D = g->days;
    if (r->work == 0)
        return mask == (1u << D) - 1; /* brute force: no rule only on one day */
    uint32_t w = (uint32_t)__builtin_popcount(mask);
    if (r->at_most ? (w > r->work || w == 0) : w != r->work)
        return false;
    if (!r->consecutive_off || w == D)
        return true;
    /* days off consecutive: some rotation/shift of a block */
    for (uint32_t first = 0; first < D; first++) {
        uint32_t off = 0;
        for (uint32_t k = 0; k < D - w; k++) {
            uint32_t d = first + k;
            if (d >= D) {
                if (!g->cyclic)
                    goto next;
                d -= D;
            }
            off |= 1u << d;
        }
        if ((off | mask) == (1u << D) - 1 && (off & mask) == 0)
            return true;
    next:;
    }
    return false;
}

static void add_tours(struct bf *bf, uint32_t j, uint32_t mask, uint32_t day,
                      struct opt (*opts)[256], const size_t *n_opts, const struct opt **pick)
{
    const struct ccs_roster_grid *g = bf->grid;
    const struct ccs_roster_template *t = &bf->tp[j];
    if (day == g->days) {
        if (bf->n_cols == bf->cap) {
            bf->cap = bf->cap ? bf->cap * 2 : 256;
            bf->cols = realloc(bf->cols, bf->cap * sizeof *bf->cols);
        }
        struct col *c = &bf->cols[bf->n_cols++];
        memset(c, 0, sizeof *c);
        c->tmpl = j;
        c->on = calloc(bf->T, 1);
        for (uint32_t d = 0; d < g->days; d++) {
            if (!(mask & (1u << d)))
                continue;
            const struct opt *o = pick[d];
            uint32_t unpaid = 0;
            for (uint32_t b = 0; b < t->n_breaks; b++)
                if (!t->breaks[b].paid)
                    unpaid += t->breaks[b].length;
            double h = (o->length - unpaid) * g->minutes / 60.0;
            c->cost += h * t->cost_per_hour;
            c->h_all += h;
            c->n_shifts++;
            for (size_t l = 0; l < bf->n_lim; l++)
                if (o->length < bf->lim[l].shorter_than) {
                    c->n_short[l]++;
                    c->h_short[l] += h;
                }
            for (uint32_t k = 0; k < o->length; k++) {
                bool br = false;
                for (uint32_t b = 0; b < t->n_breaks; b++)
                    br = br || (k >= o->brk[b] && k < o->brk[b] + t->breaks[b].length);
                if (!br)
                    c->on[(d * g->per_day + o->start + k) % bf->T] = 1;
            }
        }
        return;
    }
    if (!(mask & (1u << day))) {
        pick[day] = NULL;
        add_tours(bf, j, mask, day + 1, opts, n_opts, pick);
        return;
    }
    for (size_t i = 0; i < n_opts[day]; i++) {
        pick[day] = &opts[day][i];
        add_tours(bf, j, mask, day + 1, opts, n_opts, pick);
    }
}

static void bf_columns(struct bf *bf)
{
    const struct ccs_roster_grid *g = bf->grid;
    static struct opt opts[CCS_ROSTER_MAX_DAYS][256];
    size_t n_opts[CCS_ROSTER_MAX_DAYS];
    for (size_t j = 0; j < bf->n_tp; j++) {
        for (uint32_t d = 0; d < g->days; d++) {
            n_opts[d] = day_options(g, &bf->tp[j], d, opts[d]);
            assert_true(n_opts[d] < 256);
        }
        for (uint32_t mask = 1; mask < (1u << g->days); mask++) {
            if (!pattern_ok(g, &bf->tp[j].days, mask))
                continue;
            const struct opt *pick[CCS_ROSTER_MAX_DAYS];
            add_tours(bf, (uint32_t)j, mask, 0, opts, n_opts, pick);
        }
    }
}

static bool side_rules_ok(const struct bf *bf, const uint32_t *cnt)
{
    for (size_t l = 0; l < bf->n_lim; l++) {
        double part = 0, all = 0;
        for (size_t i = 0; i < bf->n_cols; i++) {
            if (cnt[i] == 0)
                continue;
            const struct col *c = &bf->cols[i];
            part += cnt[i] * (bf->lim[l].by_hours ? c->h_short[l] : c->n_short[l]);
            all += cnt[i] * (bf->lim[l].by_hours ? c->h_all : c->n_shifts);
        }
        if (part > bf->lim[l].max_share * all + 1e-9)
            return false;
    }
    return true;
}

/*
 * Depth-first set multicovering: take the first interval still short and
 * branch on which column covering it to add, the k-th branch excluding the
 * columns of the branches before it (so each multiset of columns is met
 * once). Covered but breaking a part-time rule: branch on any column.
 * Pruned by cost: an interval short by n needs n more columns covering it.
 */
static void bf_search(struct bf *bf, double cost, uint32_t head, uint32_t *cnt, bool *excl)
{
    if (++bf->nodes > bf->node_cap || cost >= bf->best - 1e-9)
        return;
    uint32_t t0 = UINT32_MAX;
    for (uint32_t t = 0; t < bf->T; t++) {
        int32_t short_by = (int32_t)bf->need[t] - bf->cov[t];
        if (short_by <= 0)
            continue;
        if (t0 == UINT32_MAX)
            t0 = t;
        double mc = HUGE_VAL;
        for (size_t i = 0; i < bf->n_cols; i++)
            if (!excl[i] && bf->cols[i].on[t] && bf->cols[i].cost < mc)
                mc = bf->cols[i].cost;
        if (mc == HUGE_VAL || cost + short_by * mc >= bf->best - 1e-9)
            return;
    }
    if (t0 == UINT32_MAX && side_rules_ok(bf, cnt)) {
        bf->best = cost;
        return;
    }
    size_t *undo = malloc((bf->n_cols + 1) * sizeof *undo), n_undo = 0;
    for (size_t i = 0; i < bf->n_cols; i++) {
        const struct col *c = &bf->cols[i];
        if (excl[i] || (t0 != UINT32_MAX && !c->on[t0]))
            continue;
        if (head < bf->gmax && bf->per_tmpl[c->tmpl] < bf->tp[c->tmpl].max_agents) {
            cnt[i]++;
            bf->per_tmpl[c->tmpl]++;
            for (uint32_t t = 0; t < bf->T; t++)
                bf->cov[t] += c->on[t];
            bf_search(bf, cost + c->cost, head + 1, cnt, excl);
            for (uint32_t t = 0; t < bf->T; t++)
                bf->cov[t] -= c->on[t];
            bf->per_tmpl[c->tmpl]--;
            cnt[i]--;
        }
        excl[i] = true;
        undo[n_undo++] = i;
    }
    while (n_undo > 0)
        excl[undo[--n_undo]] = false;
    free(undo);
}

/*
 * Cheapest cost of explicit tours covering need, below `bound` (the
 * solver's cost plus a hair, so that the search stays short and proves there
 * is nothing cheaper), HUGE_VAL when there is none, NaN when the search
 * gave up. The templates' agent limits (at most 6 here) bound its depth
 * when nothing bounds the cost.
 */
static double brute_force(const struct ccs_roster_grid *grid, const struct ccs_roster_template *tp,
                          size_t n_tp, uint32_t gmax, const uint32_t *need,
                          const struct ccs_roster_limit *lim, size_t n_lim, double bound)
{
    struct bf bf;
    memset(&bf, 0, sizeof bf);
    bf.grid = grid;
    bf.T = grid->days * grid->per_day;
    bf.tp = tp;
    bf.n_tp = n_tp;
    bf.gmax = gmax;
    bf.need = need;
    bf.lim = lim;
    bf.n_lim = n_lim;
    for (size_t j = 0; j < n_tp; j++)
        assert_true(tp[j].max_agents <= 6);
    bf_columns(&bf);
    bf.cov = calloc(bf.T, sizeof *bf.cov);
    bf.per_tmpl = calloc(n_tp, sizeof *bf.per_tmpl);
    uint32_t *cnt = calloc(bf.n_cols + 1, sizeof *cnt);
    bool *excl = calloc(bf.n_cols + 1, sizeof *excl);
    bf.best = bound;
    bf.node_cap = 2000000;
    bf_search(&bf, 0, 0, cnt, excl);
    free(excl);
    double best = bf.best < bound ? bf.best : HUGE_VAL;
    if (bf.nodes > bf.node_cap)
        best = NAN; /* gave up: too big to enumerate */
    for (size_t i = 0; i < bf.n_cols; i++)
        free(bf.cols[i].on);
    free(bf.cols);
    free(bf.cov);
    free(bf.per_tmpl);
    free(cnt);
    return best;
}

/* --- this file's own checks of a roster ---------------------------------------------- */

static void own_checks(const struct ccs_roster_grid *grid, const struct ccs_roster_template *tp,
                       const struct ccs_roster *r)
{
    for (size_t i = 0; i < r->n_shifts; i++) {
        const struct ccs_roster_shift *s = &r->shifts[i];
        const struct ccs_roster_template *t = &tp[s->tmpl];
        uint32_t prev_end = 0;
        for (uint32_t b = 0; b < t->n_breaks; b++) {
            uint32_t k = s->breaks[b];
            assert_true(k >= t->breaks[b].earliest && k <= t->breaks[b].latest);
            if (b == 0)
                assert_true(k >= t->min_work_before);
            else
                assert_true(k >= prev_end + t->min_work_between);
            prev_end = k + t->breaks[b].length;
        }
        if (t->n_breaks > 0)
            assert_true(prev_end + t->min_work_after <= s->length);
    }
    for (size_t i = 0; i < r->n_tours; i++) {
        const struct ccs_roster_tour *u = &r->tours[i];
        const struct ccs_roster_days *rule = &tp[u->tmpl].days;
        if (rule->work > 0)
            assert_true(pattern_ok(grid, rule, u->days));
    }
}

/* --- helpers ------------------------------------------------------------------------- */

static struct ccs_roster_problem *make(const struct ccs_roster_grid *grid, uint32_t gmax,
                                       const uint32_t *need, const struct ccs_roster_template *tp,
                                       size_t n_tp, const struct ccs_roster_limit *lim,
                                       size_t n_lim)
{
    struct ccs_roster_problem *p;
    struct ccs_diag d;
    ccs_diag_clear(&d);
    assert_int_equal(ccs_roster_problem_new(grid, &p, &d), 0);
    uint32_t g;
    assert_int_equal(ccs_roster_add_group(p, "g", gmax, &g, &d), 0);
    assert_int_equal(ccs_roster_set_required(p, g, need, &d), 0);
    for (size_t j = 0; j < n_tp; j++) {
        int rc = ccs_roster_add_template(p, &tp[j], NULL, &d);
        if (rc != 0)
            fprintf(stderr, "%s\n", d.msg);
        assert_int_equal(rc, 0);
    }
    for (size_t l = 0; l < n_lim; l++)
        assert_int_equal(ccs_roster_add_limit(p, &lim[l], &d), 0);
    return p;
}

static struct ccs_roster *solve_with(const struct ccs_roster_problem *p,
                                     enum ccs_roster_breaks breaks, enum ccs_roster_mip mip)
{
    struct ccs_roster_opts o = ccs_roster_opts_default();
    o.mip_gap = 0;
    o.time_limit = 0;
    o.breaks = breaks;
    o.mip = mip;
    struct ccs_roster *r;
    struct ccs_diag d;
    ccs_diag_clear(&d);
    int rc = ccs_roster_solve(p, &o, &r, &d);
    if (rc != 0)
        fprintf(stderr, "%s\n", d.msg);
    assert_int_equal(rc, 0);
    ccs_diag_clear(&d);
    if (r->status != CCS_ROSTER_INFEASIBLE) {
        rc = ccs_roster_verify(p, r, &d);
        if (rc != 0)
            fprintf(stderr, "%s\n", d.msg);
        assert_int_equal(rc, 0);
    }
    return r;
}

/*
 * Solved with implicit breaks (by CBC's branch and bound when built with
 * it), again with GLPK's, and with breaks per shift (GLPK): the programs
 * and the solvers must agree on the status and the optimal cost.
 */
static struct ccs_roster *solve_exact(const struct ccs_roster_problem *p)
{
    struct ccs_roster *r = solve_with(p, CCS_ROSTER_BREAKS_IMPLICIT, CCS_ROSTER_MIP_AUTO);
    struct ccs_roster *a = solve_with(p, CCS_ROSTER_BREAKS_PER_SHIFT, CCS_ROSTER_MIP_GLPK);
    struct ccs_roster *b = solve_with(p, CCS_ROSTER_BREAKS_IMPLICIT, CCS_ROSTER_MIP_GLPK);
    assert_int_equal(a->status, r->status);
    assert_int_equal(b->status, r->status);
    if (r->status != CCS_ROSTER_INFEASIBLE) {
        assert_true(fabs(a->cost - r->cost) < 1e-6);
        assert_true(fabs(b->cost - r->cost) < 1e-6);
    }
    ccs_roster_free(a);
    ccs_roster_free(b);
    return r;
}

/* A random template on a one-day grid of per_day intervals. */
static struct ccs_roster_template random_template(uint64_t *s, uint32_t per_day, int k)
{
    static char names[4][8] = {"t0", "t1", "t2", "t3"};
    struct ccs_roster_template t = ccs_roster_template_default();
    t.name = names[k];
    t.group = 0;
    t.start_first = 0;
    t.start_step = rng_int(s, 1, 3);
    t.n_lengths = rng_int(s, 1, 2);
    t.lengths[0] = rng_int(s, 5, 8);
    t.lengths[1] = t.lengths[0] + rng_int(s, 1, 3);
    t.start_last = per_day - t.lengths[0]; /* a late start covers the end of the day */
    t.cost_per_hour = 20 + rng_int(s, 0, 6);
    t.max_agents = rng_int(s, 4, 6);
    t.n_breaks = rng_int(s, 0, 2);
    for (uint32_t b = 0; b < t.n_breaks; b++) {
        t.breaks[b].length = rng_int(s, 1, 2);
        t.breaks[b].earliest = rng_int(s, 1, 2) + 2 * b;
        t.breaks[b].latest = t.breaks[b].earliest + rng_int(s, 0, 3);
        t.breaks[b].paid = rng_int(s, 0, 1);
    }
    t.min_work_before = rng_int(s, 0, 2);
    t.min_work_between = rng_int(s, 0, 2);
    t.min_work_after = rng_int(s, 0, 1);
    return t;
}

/* --- tests -------------------------------------------------------------------------- */

/* Random one-day instances: the solver's optimum is the brute-force optimum. */
static void test_bruteforce_day(void **state)
{
    (void)state;
    struct ccs_roster_grid grid = {1, 16, 15, 8 * 60, false}; /* 08:00-12:00 */
    uint64_t seed = 0x9e3779b97f4a7c15ull;
    int solved = 0, infeasible = 0;
    for (int inst = 0; inst < 40; inst++) {
        struct ccs_roster_template tp[3];
        size_t n_tp = rng_int(&seed, 1, 3);
        for (size_t j = 0; j < n_tp; j++) {
            /* draw until the template's breaks fit its lengths */
            for (;;) {
                tp[j] = random_template(&seed, grid.per_day, (int)j);
                struct ccs_roster_problem *probe;
                struct ccs_diag d;
                ccs_diag_clear(&d);
                ccs_roster_problem_new(&grid, &probe, &d);
                ccs_roster_add_group(probe, "g", CCS_ROSTER_UNLIMITED, NULL, &d);
                int rc = ccs_roster_add_template(probe, &tp[j], NULL, &d);
                ccs_roster_problem_free(probe);
                if (rc == 0)
                    break;
            }
        }
        uint32_t need[16];
        for (int t = 0; t < 16; t++)
            need[t] = rng_int(&seed, 0, 2);
        uint32_t gmax = rng_int(&seed, 0, 1) ? CCS_ROSTER_UNLIMITED : rng_int(&seed, 5, 9);
        struct ccs_roster_limit lim[1] = {{0, 7, 0.5, false}};
        size_t n_lim = rng_int(&seed, 0, 3) == 0 ? 1 : 0;
        lim[0].by_hours = rng_int(&seed, 0, 1);
        struct ccs_roster_problem *p = make(&grid, gmax, need, tp, n_tp, lim, n_lim);
        struct ccs_roster *r = solve_exact(p);
        if (r->status == CCS_ROSTER_INFEASIBLE) {
            /* nothing may be found however much it costs (NaN: too many
               combinations to try them all) */
            double bf = brute_force(&grid, tp, n_tp, gmax, need, lim, n_lim, HUGE_VAL);
            assert_true(bf == HUGE_VAL || isnan(bf));
            infeasible += bf == HUGE_VAL;
            assert_true(r->short_group == 0);
            assert_non_null(strstr(r->reason, "group 'g': "));
        } else {
            assert_int_equal(r->status, CCS_ROSTER_OPTIMAL);
            own_checks(&grid, tp, r);
            double bf = brute_force(&grid, tp, n_tp, gmax, need, lim, n_lim, r->cost + 1e-6);
            if (fabs(bf - r->cost) > 1e-6)
                fprintf(stderr, "instance %d: solver %g, brute force %g\n", inst, r->cost, bf);
            assert_true(fabs(bf - r->cost) < 1e-6);
            assert_true(r->lp_bound <= r->cost + 1e-6);
            assert_true(fabs(r->gap) < 1e-12);
            solved++;
        }
        ccs_roster_free(r);
        ccs_roster_problem_free(p);
    }
    /* the draw must exercise both outcomes (infeasible: proven by enumeration) */
    assert_true(solved >= 20);
    assert_true(infeasible >= 10);
}

/* Two breaks with overlapping windows: the ordering rows keep the minimum
   work between them, and the optimum still matches brute force. */
static void test_overlapping_windows(void **state)
{
    (void)state;
    struct ccs_roster_grid grid = {1, 16, 15, 8 * 60, false};
    struct ccs_roster_template t = ccs_roster_template_default();
    t.name = "two";
    t.start_first = 0;
    t.start_last = 6;
    t.n_lengths = 1;
    t.lengths[0] = 10;
    t.cost_per_hour = 20;
    t.max_agents = 6;
    t.n_breaks = 2;
    t.breaks[0] = (struct ccs_roster_break){1, 2, 6, true};
    t.breaks[1] = (struct ccs_roster_break){2, 2, 7, false};
    t.min_work_between = 2;
    t.min_work_before = 1;
    t.min_work_after = 1;
    uint64_t seed = 42;
    for (int inst = 0; inst < 10; inst++) {
        uint32_t need[16];
        for (int k = 0; k < 16; k++)
            need[k] = rng_int(&seed, 0, 3);
        struct ccs_roster_problem *p = make(&grid, CCS_ROSTER_UNLIMITED, need, &t, 1, NULL, 0);
        struct ccs_roster *r = solve_exact(p);
        if (r->status != CCS_ROSTER_INFEASIBLE) {
            own_checks(&grid, &t, r);
            double bf = brute_force(&grid, &t, 1, CCS_ROSTER_UNLIMITED, need, NULL, 0,
                                    r->cost + 1e-6);
            assert_true(fabs(bf - r->cost) < 1e-6);
        }
        ccs_roster_free(r);
        ccs_roster_problem_free(p);
    }
}

/* A four-day grid, two working days with the days off together: tours
   against brute force over explicit tours, and the rule in every tour. */
static void test_days_off(void **state)
{
    (void)state;
    for (int cyclic = 0; cyclic < 2; cyclic++) {
        struct ccs_roster_grid grid = {4, 8, 30, 9 * 60, cyclic == 1};
        struct ccs_roster_template t = ccs_roster_template_default();
        t.name = "tour";
        t.start_first = 0;
        t.start_last = 3;
        t.start_step = 3;
        t.n_lengths = 1;
        t.lengths[0] = 5;
        t.cost_per_hour = 18;
        t.max_agents = 6;
        t.n_breaks = 1;
        t.breaks[0] = (struct ccs_roster_break){1, 2, 3, false};
        t.days = (struct ccs_roster_days){2, false, true};
        /* and day workers: one short shift on one day of the four */
        struct ccs_roster_template tp[2] = {t, ccs_roster_template_default()};
        tp[1].name = "day";
        tp[1].start_last = 5;
        tp[1].n_lengths = 1;
        tp[1].lengths[0] = 3;
        tp[1].cost_per_hour = 26;
        tp[1].max_agents = 3;
        tp[1].days = (struct ccs_roster_days){1, true, false};
        uint64_t seed = 7 + (uint64_t)cyclic;
        for (int inst = 0; inst < 4; inst++) {
            uint32_t need[32];
            for (int k = 0; k < 32; k++)
                need[k] = rng_int(&seed, 0, 2) == 0; /* one in three */
            struct ccs_roster_problem *p = make(&grid, CCS_ROSTER_UNLIMITED, need, tp, 2, NULL, 0);
            struct ccs_roster *r = solve_exact(p);
            assert_int_equal(r->status, CCS_ROSTER_OPTIMAL);
            own_checks(&grid, tp, r);
            uint32_t agents = 0;
            for (size_t i = 0; i < r->n_tours; i++) {
                assert_int_equal(__builtin_popcount(r->tours[i].days),
                                 r->tours[i].tmpl == 0 ? 2 : 1);
                agents += r->tours[i].count;
            }
            assert_int_equal(agents, r->headcount[0]);
            double bf = brute_force(&grid, tp, 2, CCS_ROSTER_UNLIMITED, need, NULL, 0,
                                    r->cost + 1e-6);
            assert_true(fabs(bf - r->cost) < 1e-6);
            ccs_roster_free(r);
            ccs_roster_problem_free(p);
        }
    }
}

/* A week of 24-hour days: five working days of seven, days off together
   (Sunday-Monday counts), shifts crossing midnight wrap into the next day. */
static void test_week(void **state)
{
    (void)state;
    struct ccs_roster_grid grid = {7, 24, 60, 0, true};
    struct ccs_roster_template t = ccs_roster_template_default();
    t.name = "ft";
    t.start_first = 0;
    t.start_last = 23;
    t.n_lengths = 2;
    t.lengths[0] = 8;
    t.lengths[1] = 9;
    t.cost_per_hour = 25;
    t.n_breaks = 1;
    t.breaks[0] = (struct ccs_roster_break){1, 3, 5, false};
    t.days = (struct ccs_roster_days){5, false, true};
    uint32_t need[7 * 24];
    for (int d = 0; d < 7; d++)
        for (int h = 0; h < 24; h++)
            need[d * 24 + h] = (uint32_t)(h >= 8 && h < 20 ? 6 + (d < 5 ? 3 : 0) : 2);
    struct ccs_roster_problem *p = make(&grid, CCS_ROSTER_UNLIMITED, need, &t, 1, NULL, 0);
    struct ccs_roster *r = solve_exact(p);
    assert_int_equal(r->status, CCS_ROSTER_OPTIMAL);
    own_checks(&grid, &t, r);
    for (size_t i = 0; i < r->n_tours; i++) {
        uint32_t m = r->tours[i].days;
        assert_int_equal(__builtin_popcount(m), 5);
        uint32_t off = ~m & 0x7f;
        /* the two days off are neighbours, Sunday (6) and Monday (0) included */
        bool together = false;
        for (int dd = 0; dd < 7; dd++)
            together = together || off == ((1u << dd) | (1u << ((dd + 1) % 7)));
        assert_true(together);
    }
    /* an agent works at most one shift a day, and the night is covered */
    for (int h = 0; h < 24 * 7; h++)
        assert_true(r->on_phone[h] >= need[h]);
    ccs_roster_free(r);
    ccs_roster_problem_free(p);
}

/*
 * The first roster (relax and fix) alone, with the branch and bound after it
 * cut to one node: a valid roster, the same twice, and not marked as cut
 * short by the time; a time limit too short for anything is marked.
 */
static void test_first_roster_reproducible(void **state)
{
    (void)state;
    struct ccs_roster_grid grid = {7, 24, 60, 0, true};
    struct ccs_roster_template t[2] = {ccs_roster_template_default(),
                                       ccs_roster_template_default()};
    t[0].name = "ft";
    t[0].start_last = 23;
    t[0].n_lengths = 2;
    t[0].lengths[0] = 8;
    t[0].lengths[1] = 9;
    t[0].cost_per_hour = 25;
    t[0].n_breaks = 1;
    t[0].breaks[0] = (struct ccs_roster_break){1, 3, 5, false};
    t[0].days = (struct ccs_roster_days){5, false, true};
    t[1].name = "pt";
    t[1].start_first = 7;
    t[1].start_last = 16;
    t[1].n_lengths = 1;
    t[1].lengths[0] = 4;
    t[1].cost_per_hour = 27;
    t[1].days = (struct ccs_roster_days){3, false, false};
    uint32_t need[7 * 24];
    for (int d = 0; d < 7; d++)
        for (int h = 0; h < 24; h++)
            need[d * 24 + h] =
                (uint32_t)(h >= 8 && h < 20 ? 5 + (h % 5) + (d < 5 ? 3 : 0) : 1 + (d == 0));
    struct ccs_roster_problem *p = make(&grid, CCS_ROSTER_UNLIMITED, need, t, 2, NULL, 0);
    struct ccs_roster_opts o = ccs_roster_opts_default();
    o.time_limit = 0;
    o.node_limit = 1;
    struct ccs_roster *r[2];
    struct ccs_diag d;
    for (int k = 0; k < 2; k++) {
        ccs_diag_clear(&d);
        assert_int_equal(ccs_roster_solve(p, &o, &r[k], &d), 0);
        assert_true(r[k]->status != CCS_ROSTER_NO_ROSTER &&
                    r[k]->status != CCS_ROSTER_INFEASIBLE);
        assert_false(r[k]->time_limited);
        assert_int_equal(ccs_roster_verify(p, r[k], &d), 0);
        assert_true(r[k]->cost >= r[k]->lp_bound - 1e-6);
    }
    assert_true(r[0]->cost == r[1]->cost);
    assert_int_equal(r[0]->n_shifts, r[1]->n_shifts);
    assert_memory_equal(r[0]->shifts, r[1]->shifts, r[0]->n_shifts * sizeof *r[0]->shifts);
    ccs_roster_free(r[0]);
    ccs_roster_free(r[1]);
    o.node_limit = 0;
    o.time_limit = 1e-9; /* over before the relaxation is solved */
    ccs_diag_clear(&d);
    assert_int_equal(ccs_roster_solve(p, &o, &r[0], &d), 0);
    assert_int_equal(r[0]->status, CCS_ROSTER_NO_ROSTER);
    assert_true(r[0]->time_limited);
    assert_int_equal(r[0]->stop, CCS_ROSTER_STOP_TIME);
    assert_string_equal(r[0]->reason, "the time limit of 1e-09s came before any roster was found");
    ccs_roster_free(r[0]);
    ccs_roster_problem_free(p);
}

/* Why the search stopped, in words: each reason with its limit. */
static void test_stop_text(void **state)
{
    (void)state;
    struct ccs_roster r;
    memset(&r, 0, sizeof r);
    char buf[256];
    r.status = CCS_ROSTER_OPTIMAL;
    r.stop = CCS_ROSTER_STOP_DONE;
    r.nodes = 1;
    assert_string_equal(ccs_roster_stop_text(&r, buf, sizeof buf),
                        "the search finished after 1 branch-and-bound node: the roster is "
                        "optimal");
    r.status = CCS_ROSTER_GAP;
    r.stop = CCS_ROSTER_STOP_GAP;
    r.mip_gap = 0.005;
    r.nodes = 12;
    assert_string_equal(ccs_roster_stop_text(&r, buf, sizeof buf),
                        "stopped within the gap target of 0.5% after 12 branch-and-bound nodes");
    r.status = CCS_ROSTER_LIMIT;
    r.stop = CCS_ROSTER_STOP_NODES;
    r.node_limit = 100;
    assert_string_equal(ccs_roster_stop_text(&r, buf, sizeof buf),
                        "stopped by the node limit of 100 per group after 12 branch-and-bound "
                        "nodes");
    r.stop = CCS_ROSTER_STOP_TIME;
    r.time_limit = 30;
    assert_string_equal(ccs_roster_stop_text(&r, buf, sizeof buf),
                        "stopped by the time limit of 30s after 12 branch-and-bound nodes: "
                        "another run may give another roster");
    assert_string_equal(ccs_roster_stop_name(CCS_ROSTER_STOP_NODES), "nodes");
    assert_string_equal(ccs_roster_mip_name(CCS_ROSTER_MIP_CBC), "cbc");
}

/* Infeasible: the message names the group and the interval. */
static void test_infeasible(void **state)
{
    (void)state;
    struct ccs_roster_grid grid = {1, 16, 15, 8 * 60, false};
    struct ccs_roster_template t = ccs_roster_template_default();
    t.name = "early";
    t.start_first = 0;
    t.start_last = 2;
    t.n_lengths = 1;
    t.lengths[0] = 8;
    t.cost_per_hour = 20;
    t.max_agents = 3;
    t.n_breaks = 1;
    t.breaks[0] = (struct ccs_roster_break){1, 4, 4, true};
    uint32_t need[16] = {0};

    /* nobody works at 11:00 (interval 12) */
    need[12] = 1;
    struct ccs_roster_problem *p = make(&grid, CCS_ROSTER_UNLIMITED, need, &t, 1, NULL, 0);
    struct ccs_roster *r = solve_exact(p);
    assert_int_equal(r->status, CCS_ROSTER_INFEASIBLE);
    assert_int_equal(r->short_interval, 12);
    assert_string_equal(r->reason, "group 'g': 1 agents required at 11:00, but no shift of its "
                                   "templates can have an agent on the phones then");
    assert_int_equal(r->n_shifts, 0);
    ccs_roster_free(r);
    ccs_roster_problem_free(p);

    /* more than the template's three agents at 09:15 */
    need[12] = 0;
    need[5] = 4;
    p = make(&grid, CCS_ROSTER_UNLIMITED, need, &t, 1, NULL, 0);
    r = solve_exact(p);
    assert_int_equal(r->status, CCS_ROSTER_INFEASIBLE);
    assert_int_equal(r->short_interval, 5);
    assert_string_equal(r->reason, "group 'g': 4 agents required at 09:15, but at most 3 can be "
                                   "there (the agent limits of its templates and group)");
    ccs_roster_free(r);
    ccs_roster_problem_free(p);

    /* each interval alone can be covered, not both: 3 agents at 08:00 must
       all start then, and then all take their break at 09:00, when 3 more
       are needed; which of the two falls short is the solver's choice */
    memset(need, 0, sizeof need);
    need[0] = 3;
    need[4] = 3;
    p = make(&grid, CCS_ROSTER_UNLIMITED, need, &t, 1, NULL, 0);
    r = solve_exact(p);
    assert_int_equal(r->status, CCS_ROSTER_INFEASIBLE);
    assert_true(r->short_interval == 0 || r->short_interval == 4);
    const char *pre = "group 'g': no roster covers the requirement within the agent, days-off "
                      "and part-time limits; the closest falls short by ";
    assert_memory_equal(r->reason, pre, strlen(pre));
    ccs_roster_free(r);
    ccs_roster_problem_free(p);
}

/* Part-time rule and a cut; the same answer twice (deterministic). */
static void test_limits_cuts_determinism(void **state)
{
    (void)state;
    struct ccs_roster_grid grid = {1, 16, 15, 8 * 60, false};
    struct ccs_roster_template tp[2];
    tp[0] = ccs_roster_template_default();
    tp[0].name = "short";
    tp[0].start_first = 0;
    tp[0].start_last = 10;
    tp[0].n_lengths = 1;
    tp[0].lengths[0] = 6;
    tp[0].cost_per_hour = 15;
    tp[0].max_agents = 6;
    tp[1] = ccs_roster_template_default();
    tp[1].name = "long";
    tp[1].start_first = 0;
    tp[1].start_last = 4;
    tp[1].n_lengths = 2;
    tp[1].lengths[0] = 10;
    tp[1].lengths[1] = 12;
    tp[1].cost_per_hour = 25;
    tp[1].max_agents = 6;
    tp[1].n_breaks = 1;
    tp[1].breaks[0] = (struct ccs_roster_break){2, 4, 6, false};
    uint32_t need[16] = {1, 2, 2, 3, 3, 3, 2, 2, 2, 3, 3, 3, 2, 2, 1, 1};
    struct ccs_roster_limit lim = {0, 8, 0.4, false};
    struct ccs_roster_problem *p = make(&grid, CCS_ROSTER_UNLIMITED, need, tp, 2, &lim, 1);
    struct ccs_roster *r = solve_exact(p);
    assert_int_equal(r->status, CCS_ROSTER_OPTIMAL);
    double bf = brute_force(&grid, tp, 2, CCS_ROSTER_UNLIMITED, need, &lim, 1, r->cost + 1e-6);
    assert_true(fabs(bf - r->cost) < 1e-6);
    uint32_t part = 0, all = 0;
    for (size_t i = 0; i < r->n_shifts; i++) {
        all += r->shifts[i].count;
        part += r->shifts[i].length < 8 ? r->shifts[i].count : 0;
    }
    assert_true(part <= 0.4 * all + 1e-9);

    /* the same problem again: the same roster, line for line */
    struct ccs_roster *r2 = solve_exact(p);
    assert_int_equal(r2->n_shifts, r->n_shifts);
    assert_memory_equal(r2->shifts, r->shifts, r->n_shifts * sizeof *r->shifts);
    assert_int_equal(r2->n_tours, r->n_tours);
    assert_memory_equal(r2->tours, r->tours, r->n_tours * sizeof *r->tours);
    ccs_roster_free(r2);

    /* a cut: 2 N[3] + N[13] >= 12 */
    uint32_t ct[2] = {3, 13};
    double cc[2] = {2, 1};
    struct ccs_diag d;
    ccs_diag_clear(&d);
    assert_int_equal(ccs_roster_add_cut(p, 0, 2, ct, cc, 12, &d), 0);
    r2 = solve_exact(p); /* verify checks the cut */
    assert_true(2.0 * r2->on_phone[3] + r2->on_phone[13] >= 12);
    assert_true(r2->cost >= r->cost);
    ccs_roster_free(r2);
    ccs_roster_clear_cuts(p);
    r2 = solve_exact(p);
    assert_true(fabs(r2->cost - r->cost) < 1e-9);
    ccs_roster_free(r2);
    ccs_roster_free(r);
    ccs_roster_problem_free(p);
}

/* Two groups in one problem: the sum of the two solved apart. */
static void test_two_groups(void **state)
{
    (void)state;
    struct ccs_roster_grid grid = {1, 16, 15, 8 * 60, false};
    struct ccs_roster_template t = ccs_roster_template_default();
    t.name = "t";
    t.start_first = 0;
    t.start_last = 8;
    t.n_lengths = 1;
    t.lengths[0] = 8;
    t.cost_per_hour = 20;
    t.n_breaks = 1;
    t.breaks[0] = (struct ccs_roster_break){1, 3, 5, true};
    uint32_t a[16] = {1, 1, 2, 2, 3, 3, 3, 2, 2, 2, 1, 1, 1, 1, 0, 0};
    uint32_t b[16] = {0, 0, 1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 2, 2, 1, 1};
    struct ccs_roster_problem *pa = make(&grid, CCS_ROSTER_UNLIMITED, a, &t, 1, NULL, 0);
    struct ccs_roster_problem *pb = make(&grid, CCS_ROSTER_UNLIMITED, b, &t, 1, NULL, 0);
    struct ccs_roster *ra = solve_exact(pa), *rb = solve_exact(pb);
    struct ccs_diag d;
    ccs_diag_clear(&d);
    uint32_t g2;
    assert_int_equal(ccs_roster_add_group(pa, "h", CCS_ROSTER_UNLIMITED, &g2, &d), 0);
    assert_int_equal(ccs_roster_set_required(pa, g2, b, &d), 0);
    t.group = g2;
    assert_int_equal(ccs_roster_add_template(pa, &t, NULL, &d), 0);
    struct ccs_roster *r = solve_exact(pa);
    assert_true(fabs(r->cost - (ra->cost + rb->cost)) < 1e-9);
    assert_int_equal(r->stop, CCS_ROSTER_STOP_DONE);
    for (int k = 0; k < 16; k++)
        assert_int_equal(r->on_phone[16 + k], rb->on_phone[k]);
    ccs_roster_free(r);
    ccs_roster_free(ra);
    ccs_roster_free(rb);
    ccs_roster_problem_free(pa);
    ccs_roster_problem_free(pb);
}

/*
 * Two groups tied by cuts with terms of both (a queue both serve: Cezik
 * and L'Ecuyer 2008) are one program: its optimum equals the cheapest
 * pair of rosters found by enumerating every count of every shift of both
 * groups, by CBC and by GLPK; without the tying cuts they are two programs.
 */
static void test_coupled_groups(void **state)
{
    (void)state;
    struct ccs_roster_grid grid = {1, 8, 60, 8 * 60, false};
    struct ccs_diag d;
    ccs_diag_clear(&d);
    struct ccs_roster_problem *p;
    assert_int_equal(ccs_roster_problem_new(&grid, &p, &d), 0);
    uint32_t ga, gb;
    assert_int_equal(ccs_roster_add_group(p, "a", 8, &ga, &d), 0);
    assert_int_equal(ccs_roster_add_group(p, "b", 6, &gb, &d), 0);
    const uint32_t need_a[8] = {1, 1, 1, 1, 1, 1, 1, 1}, need_b[8] = {0, 1, 1, 1, 1, 0, 0, 0};
    assert_int_equal(ccs_roster_set_required(p, ga, need_a, &d), 0);
    assert_int_equal(ccs_roster_set_required(p, gb, need_b, &d), 0);
    struct ccs_roster_template t = ccs_roster_template_default();
    t.name = "a4";
    t.group = ga;
    t.start_first = 0;
    t.start_last = 4;
    t.start_step = 2; /* starts 0, 2, 4 */
    t.n_lengths = 1;
    t.lengths[0] = 4;
    t.cost_per_hour = 20;
    assert_int_equal(ccs_roster_add_template(p, &t, NULL, &d), 0);
    t.name = "b4";
    t.group = gb;
    t.start_step = 1; /* starts 0 ... 4 */
    t.cost_per_hour = 25;
    assert_int_equal(ccs_roster_add_template(p, &t, NULL, &d), 0);
    /* apart (a cut of one group each): two programs */
    uint32_t tt[1] = {3};
    double one[1] = {1};
    assert_int_equal(ccs_roster_add_cut(p, ga, 1, tt, one, 2, &d), 0);
    struct ccs_roster *r = solve_exact(p);
    assert_int_equal(r->n_programs, 2);
    ccs_roster_free(r);
    ccs_roster_clear_cuts(p);
    /* tied */
    const struct ccs_roster_term c1[] = {{ga, 3, 2}, {gb, 3, 1}, {gb, 2, 1}};
    const struct ccs_roster_term c2[] = {{ga, 6, 1}, {gb, 6, 1}};
    const struct ccs_roster_term c3[] = {{ga, 1, 0.5}, {gb, 1, 0.7}};
    assert_int_equal(ccs_roster_add_cut_terms(p, 3, c1, 8, &d), 0);
    assert_int_equal(ccs_roster_add_cut_terms(p, 2, c2, 2, &d), 0);
    assert_int_equal(ccs_roster_add_cut_terms(p, 2, c3, 1.6, &d), 0);
    r = solve_exact(p);
    assert_int_equal(r->n_programs, 1);
    assert_int_equal(r->status, CCS_ROSTER_OPTIMAL);
    /* brute force: x[i] agents on a's start 2i, y[j] on b's start j */
    double best = HUGE_VAL;
    uint32_t x[3], y[5];
    for (uint32_t ka = 0; ka < 125; ka++)
        for (uint32_t kb = 0; kb < 1024; kb++) {
            uint32_t na[8] = {0}, nb[8] = {0}, head_b = 0;
            for (uint32_t i = 0, k = ka; i < 3; i++, k /= 5)
                x[i] = k % 5;
            for (uint32_t j = 0, k = kb; j < 5; j++, k /= 4)
                y[j] = k % 4;
            for (uint32_t i = 0; i < 3; i++)
                for (uint32_t o = 0; o < 4; o++)
                    na[2 * i + o] += x[i];
            for (uint32_t j = 0; j < 5; j++) {
                head_b += y[j];
                for (uint32_t o = 0; o < 4; o++)
                    nb[j + o] += y[j];
            }
            bool ok = head_b <= 6 && x[0] + x[1] + x[2] <= 8;
            for (int k = 0; k < 8 && ok; k++)
                ok = na[k] >= need_a[k] && nb[k] >= need_b[k];
            ok = ok && 2.0 * na[3] + nb[3] + nb[2] >= 8 - 1e-9 && na[6] + nb[6] >= 2 &&
                 0.5 * na[1] + 0.7 * nb[1] >= 1.6 - 1e-9;
            if (!ok)
                continue;
            double cost = 0;
            for (uint32_t i = 0; i < 3; i++)
                cost += x[i] * 4 * 20.0;
            for (uint32_t j = 0; j < 5; j++)
                cost += y[j] * 4 * 25.0;
            if (cost < best)
                best = cost;
        }
    assert_true(best < HUGE_VAL);
    if (fabs(r->cost - best) > 1e-6)
        fprintf(stderr, "coupled: solver %g, brute force %g\n", r->cost, best);
    assert_true(fabs(r->cost - best) < 1e-6);
    ccs_roster_free(r);
    /* a tying cut nothing can meet: infeasible, named */
    const struct ccs_roster_term c4[] = {{ga, 0, 1}, {gb, 0, 1}};
    assert_int_equal(ccs_roster_add_cut_terms(p, 2, c4, 40, &d), 0);
    r = solve_exact(p);
    assert_int_equal(r->status, CCS_ROSTER_INFEASIBLE);
    assert_non_null(strstr(r->reason, "cut 4"));
    ccs_roster_free(r);
    /* bad terms */
    const struct ccs_roster_term bad[] = {{ga, 0, 1}, {7, 0, 1}};
    assert_int_equal(ccs_roster_add_cut_terms(p, 2, bad, 1, &d), CCS_EINVAL);
    ccs_roster_problem_free(p);
}

/* Bad definitions are refused with their message. */
static void test_bad_input(void **state)
{
    (void)state;
    struct ccs_roster_grid grid = {1, 16, 15, 8 * 60, false};
    struct ccs_roster_problem *p;
    struct ccs_diag d;
    ccs_diag_clear(&d);
    struct ccs_roster_grid bad = grid;
    bad.days = 8;
    assert_int_equal(ccs_roster_problem_new(&bad, &p, &d), CCS_EINVAL);
    assert_string_equal(d.msg, "<input>: error: roster grid: days must be 1 to 7, not 8");
    ccs_diag_clear(&d);
    assert_int_equal(ccs_roster_problem_new(&grid, &p, &d), 0);
    assert_int_equal(ccs_roster_add_group(p, "g", CCS_ROSTER_UNLIMITED, NULL, &d), 0);
    struct ccs_roster_template t = ccs_roster_template_default();
    t.name = "lunch";
    t.start_first = 4;
    t.start_last = 4;
    t.n_lengths = 2;
    t.lengths[0] = 12;
    t.lengths[1] = 6;
    t.n_breaks = 1;
    t.breaks[0] = (struct ccs_roster_break){2, 6, 8, false};
    assert_int_equal(ccs_roster_add_template(p, &t, NULL, &d), CCS_EINVAL);
    assert_string_equal(d.msg, "<input>: error: template 'lunch': a 1h30m shift cannot hold its "
                               "breaks in their windows with the minimum work before, between "
                               "and after");
    ccs_diag_clear(&d);
    t.lengths[1] = 14;
    assert_int_equal(ccs_roster_add_template(p, &t, NULL, &d), CCS_EINVAL);
    assert_string_equal(d.msg, "<input>: error: template 'lunch': a 3h30m shift starting at "
                               "09:00 or later does not fit in the day");
    ccs_diag_clear(&d);
    t.n_lengths = 1;
    t.days.work = 2;
    assert_int_equal(ccs_roster_add_template(p, &t, NULL, &d), CCS_EINVAL);
    assert_string_equal(d.msg, "<input>: error: template 'lunch': works 2 days of a 1-day grid");
    ccs_diag_clear(&d);
    t.days.work = 0;
    assert_int_equal(ccs_roster_add_template(p, &t, NULL, &d), 0);
    assert_int_equal(ccs_roster_add_template(p, &t, NULL, &d), CCS_EINVAL);
    assert_string_equal(d.msg, "<input>: error: template 'lunch': added twice to group 'g'");
    ccs_diag_clear(&d);
    uint32_t tt = 99;
    double c = 1;
    assert_int_equal(ccs_roster_add_cut(p, 0, 1, &tt, &c, 1, &d), CCS_EINVAL);
    assert_string_equal(d.msg, "<input>: error: group 'g': cut term 1 (interval 99, coefficient "
                               "1) is out of range");
    ccs_diag_clear(&d);
    struct ccs_roster_opts o = ccs_roster_opts_default();
    o.mip_gap = -1;
    struct ccs_roster *r;
    assert_int_equal(ccs_roster_solve(p, &o, &r, &d), CCS_EINVAL);
    assert_string_equal(d.msg, "<input>: error: roster: gap target -1 is not a finite number >= 0");
    ccs_roster_problem_free(p);
}

/* The checker catches a break moved out of its window and a wrong count. */
static void test_verify_catches(void **state)
{
    (void)state;
    struct ccs_roster_grid grid = {1, 16, 15, 8 * 60, false};
    struct ccs_roster_template t = ccs_roster_template_default();
    t.name = "t";
    t.start_first = 0;
    t.start_last = 8;
    t.n_lengths = 1;
    t.lengths[0] = 8;
    t.cost_per_hour = 20;
    t.n_breaks = 1;
    t.breaks[0] = (struct ccs_roster_break){1, 3, 5, true};
    uint32_t need[16] = {1, 1, 2, 2, 3, 3, 3, 2, 2, 2, 1, 1, 1, 1, 0, 0};
    struct ccs_roster_problem *p = make(&grid, CCS_ROSTER_UNLIMITED, need, &t, 1, NULL, 0);
    struct ccs_roster *r = solve_exact(p);
    struct ccs_diag d;
    ccs_diag_clear(&d);
    uint32_t keep = r->shifts[0].breaks[0];
    r->shifts[0].breaks[0] = 6;
    assert_int_equal(ccs_roster_verify(p, r, &d), CCS_ESTATE);
    assert_non_null(strstr(d.msg, "outside its window [3, 5]"));
    r->shifts[0].breaks[0] = keep;
    ccs_diag_clear(&d);
    r->on_phone[4]--;
    assert_int_equal(ccs_roster_verify(p, r, &d), CCS_ESTATE);
    assert_non_null(strstr(d.msg, "counts do not match the shifts"));
    ccs_roster_free(r);
    ccs_roster_problem_free(p);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_bruteforce_day),
        cmocka_unit_test(test_overlapping_windows),
        cmocka_unit_test(test_days_off),
        cmocka_unit_test(test_week),
        cmocka_unit_test(test_first_roster_reproducible),
        cmocka_unit_test(test_stop_text),
        cmocka_unit_test(test_infeasible),
        cmocka_unit_test(test_limits_cuts_determinism),
        cmocka_unit_test(test_two_groups),
        cmocka_unit_test(test_coupled_groups),
        cmocka_unit_test(test_bad_input),
        cmocka_unit_test(test_verify_catches),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
