/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * results.c - from streamed statistics to KPIs. One walker visits every
 * metric of a scenario in report order; run without a simulation it builds
 * the layout (the keys), run with one it computes the values. Sharing the
 * walk keeps keys and values in step by construction.
 */
#include "model/engine.h"

#include "ccs/error.h"
#include "ccs/results.h"
#include "ccs/mem.h"
#include "core/timeconst.h"

#include <math.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* Contact-side totals for any set of (line, interval) cells. */
struct csum {
    struct ccs_acc_line c;
    struct ccs_acc_time t;
    double area;  /* integral of waiting contacts */
    struct ccs_acc_line_run x; /* lifecycle totals (whole run only) */
    bool whole;   /* x is meaningful */
};

static void csum_add(struct csum *s, const struct ccs_acc_line *a)
{
    s->c.offered += a->offered;
    s->c.answered += a->answered;
    s->c.abandoned += a->abandoned;
    s->c.blocked += a->blocked;
    s->c.ans_within += a->ans_within;
    s->c.ab_within += a->ab_within;
    s->c.handled += a->handled;
    s->c.messages += a->messages;
    s->c.msg_within += a->msg_within;
    s->c.disconnected += a->disconnected;
}

static void tsum_add(struct csum *s, const struct ccs_acc_time *a)
{
    s->t.wait_ans += a->wait_ans;
    s->t.talk += a->talk;
    s->t.wrap += a->wrap;
}

static double ratio(double num, double den)
{
    return den > 0 ? num / den : NAN;
}

/*
 * A message is neither answered nor abandoned: every definition keeps it in
 * its denominator except 'answered' (which counts answered contacts only);
 * 'handled' counts it like a late abandonment (the caller gave up on being
 * answered), 'all' like an abandonment, by its wait. A caller disconnected
 * at closing (at_close) is in the denominator of the same definitions and
 * never in a numerator ('handled' counts it like a message; for 'all' the
 * center cut it off, whatever its wait). With neither these are exactly the
 * formulas of the definitions' names.
 */
static double sl_value(enum ccs_sl_def def, const struct ccs_acc_line *c)
{
    double aw = (double)c->ans_within;
    switch (def) {
    case CCS_SL_ANSWERED:
        return ratio(aw, (double)c->answered);
    case CCS_SL_NO_SHORT_AB:
        return ratio(aw, (double)(c->offered - c->ab_within));
    case CCS_SL_HANDLED:
        return ratio(aw, (double)(c->answered + c->abandoned - c->ab_within + c->messages +
                                  c->disconnected));
    case CCS_SL_ALL:
        return ratio(aw + (double)(c->ab_within + c->msg_within),
                     (double)(c->offered - c->blocked));
    case CCS_SL_OFFERED:
    default:
        return ratio(aw, (double)c->offered);
    }
}

static void run_add(struct ccs_acc_line_run *s, const struct ccs_acc_line_run *a)
{
    s->waited += a->waited;
    s->predicted += a->predicted;
    s->wait_ab += a->wait_ab;
    if (a->max_wait > s->max_wait)
        s->max_wait = a->max_wait;
    s->pred_abs_err += a->pred_abs_err;
    s->pred_err += a->pred_err;
    s->customers += a->customers;
    s->redials += a->redials;
    s->repeats += a->repeats;
    s->transfers += a->transfers;
    s->skipped += a->skipped;
    s->ended += a->ended;
    s->first_ended += a->first_ended;
    s->first_resolved += a->first_resolved;
    s->resolved += a->resolved;
    s->unresolved += a->unresolved;
    s->cb_offered += a->cb_offered;
    s->cb_accepted += a->cb_accepted;
    s->cb_completed += a->cb_completed;
    s->dials += a->dials;
    s->connects += a->connects;
    s->right_party += a->right_party;
    s->failed += a->failed;
    s->cb_time += a->cb_time;
    s->agent_time += a->agent_time;
    s->line_time += a->line_time;
    s->line_cost += a->line_cost;
    s->dial_cost += a->dial_cost;
}

/* All contact KPIs from totals; hist may be NULL (per-interval cells). */
static void contact_kpis(double *v, const struct csum *s, const struct ccs_hist *h,
                         double span, enum ccs_sl_def def)
{
    const struct ccs_acc_line *c = &s->c;
    const struct ccs_acc_line_run *x = &s->x;
    double o = (double)c->offered, a = (double)c->answered, ab = (double)c->abandoned;
    v[CCS_KPI_offered] = o;
    v[CCS_KPI_answered] = a;
    v[CCS_KPI_abandoned] = ab;
    v[CCS_KPI_blocked] = (double)c->blocked;
    v[CCS_KPI_unfinished] =
        (double)(c->offered - c->answered - c->abandoned - c->messages - c->disconnected -
                 c->blocked - x->failed);
    v[CCS_KPI_messages] = (double)c->messages;
    v[CCS_KPI_disconnected] = (double)c->disconnected;
    v[CCS_KPI_message_rate] = ratio((double)c->messages, o);
    v[CCS_KPI_customers] = (double)x->customers;
    v[CCS_KPI_redials] = (double)x->redials;
    v[CCS_KPI_transfers] = (double)x->transfers;
    v[CCS_KPI_transfer_rate] = ratio((double)x->transfers, (double)x->ended);
    v[CCS_KPI_skipped] = (double)x->skipped;
    v[CCS_KPI_fcr] = ratio((double)x->first_resolved, (double)x->first_ended);
    v[CCS_KPI_repeats] = (double)x->repeats;
    v[CCS_KPI_repeat_rate] = ratio((double)x->unresolved, (double)x->ended);
    v[CCS_KPI_callbacks_offered] = (double)x->cb_offered;
    v[CCS_KPI_callbacks_accepted] = (double)x->cb_accepted;
    v[CCS_KPI_callbacks_completed] = (double)x->cb_completed;
    v[CCS_KPI_time_to_callback] = ratio(x->cb_time, (double)x->cb_completed);
    v[CCS_KPI_dials] = (double)x->dials;
    v[CCS_KPI_connects] = (double)x->connects;
    v[CCS_KPI_right_party] = (double)x->right_party;
    v[CCS_KPI_failed] = (double)x->failed;
    v[CCS_KPI_agent_time] = x->agent_time;
    v[CCS_KPI_abandon_rate] = ratio(ab, o);
    v[CCS_KPI_block_rate] = ratio((double)c->blocked, o);
    v[CCS_KPI_p_wait] = ratio((double)x->waited, o);
    v[CCS_KPI_service_level] = sl_value(def, c);
    v[CCS_KPI_sl_offered] = sl_value(CCS_SL_OFFERED, c);
    v[CCS_KPI_sl_answered] = sl_value(CCS_SL_ANSWERED, c);
    v[CCS_KPI_sl_no_short_ab] = sl_value(CCS_SL_NO_SHORT_AB, c);
    v[CCS_KPI_sl_handled] = sl_value(CCS_SL_HANDLED, c);
    v[CCS_KPI_sl_all] = sl_value(CCS_SL_ALL, c);
    v[CCS_KPI_asa] = ratio(s->t.wait_ans, a);
    v[CCS_KPI_mean_wait] = ratio(s->t.wait_ans + x->wait_ab, a + ab);
    v[CCS_KPI_mean_wait_abandoned] = ratio(x->wait_ab, ab);
    v[CCS_KPI_wait_p50] = h ? ccs__hist_quantile(h, 0.50) : NAN;
    v[CCS_KPI_wait_p90] = h ? ccs__hist_quantile(h, 0.90) : NAN;
    v[CCS_KPI_wait_p99] = h ? ccs__hist_quantile(h, 0.99) : NAN;
    v[CCS_KPI_wait_max] = a + ab > 0 ? x->max_wait : NAN;
    v[CCS_KPI_wait_pred_mae] = ratio(x->pred_abs_err, (double)x->predicted);
    v[CCS_KPI_wait_pred_bias] = ratio(x->pred_err, (double)x->predicted);
    v[CCS_KPI_queue_length] = ratio(s->area, span);
    v[CCS_KPI_aht] = ratio(s->t.talk + s->t.wrap, (double)c->handled);
    v[CCS_KPI_talk_time] = ratio(s->t.talk, (double)c->handled);
    v[CCS_KPI_wrap_time] = ratio(s->t.wrap, (double)c->handled);
}

static void group_kpis(double *v, const struct ccs_acc_group *g, double span, double cost,
                       double absences, double work)
{
    v[CCS_KPI_occupancy] = ratio(g->busy, g->present);
    v[CCS_KPI_work_occupancy] = ratio(work, g->present - g->overtime);
    v[CCS_KPI_utilisation] = ratio(g->busy, g->paid);
    v[CCS_KPI_agents] = ratio(g->present, span);
    v[CCS_KPI_overtime] = g->overtime;
    v[CCS_KPI_absences] = absences;
    v[CCS_KPI_cost] = cost;
}

/* Work done by groups [g0, g1) on contacts counted after the warm-up. */
/* Group g's busy seconds on its i-th skill in queue order. Sums go over
   the skills in queue order, as when a cell was kept for every queue: the
   zeros of other queues added nothing, so the sums are the same bits. */
static double gq_sorted(const struct ccs_sim *sim, uint32_t g, uint32_t i)
{
    return sim->acc.gq_busy[sim->acc.gq_first[g] + sim->skill_refs[sim->skill_first[g] + i].skill];
}

static double work_of(const struct ccs_sim *sim, uint32_t g0, uint32_t g1)
{
    double w = 0;
    for (uint32_t g = g0; g < g1; g++)
        for (uint32_t i = 0; i < sim->groups[g].n_skills; i++)
            w += gq_sorted(sim, g, i) / sim->groups[g].capacity;
    return w;
}

static double absences_of(const struct ccs_sim *sim, uint32_t g0, uint32_t g1)
{
    double n = 0;
    for (uint32_t g = g0; g < g1; g++)
        n += (double)sim->absences[g];
    return n;
}

/* Agent cost of groups [g0, g1) over the measured time. */
static double agent_cost(const struct ccs_sim *sim, uint32_t g0, uint32_t g1)
{
    double cost = 0;
    uint32_t n = sim->acc.n_intervals;
    for (uint32_t g = g0; g < g1; g++) {
        double paid = 0;
        for (uint32_t i = 0; i < n; i++)
            paid += sim->acc.group[(size_t)g * n + i].paid;
        cost += paid / CCS_HOUR * sim->sc->groups[g].cost_per_hour;
    }
    return cost;
}

/* Overall cost: agents, lines, dials. */
static double total_cost(const struct ccs_sim *sim)
{
    const struct ccs_scenario *sc = sim->sc;
    double cost = agent_cost(sim, 0, (uint32_t)sc->n_groups);
    for (uint32_t l = 0; l < sim->view.n_lines; l++) {
        const struct ccs_acc_line_run *r = &sim->acc.line_run[l];
        cost += r->dial_cost + r->line_cost;
    }
    return cost;
}

/* Backlog snapshots at the end of interval i for queues [q0, q1). */
static void snap_kpis(double *v, const struct ccs_sim *sim, uint32_t q0, uint32_t q1, int i)
{
    double backlog = 0, age = 0;
    if (i >= 0)
        for (uint32_t q = q0; q < q1; q++) {
            const struct ccs_snap *s = &sim->acc.snap[(size_t)q * sim->acc.n_intervals + i];
            backlog += s->backlog;
            if (s->age > age)
                age = s->age;
        }
    v[CCS_KPI_backlog] = i >= 0 ? backlog : NAN;
    v[CCS_KPI_backlog_age] = i >= 0 ? age : NAN;
}

/* --- the walker ------------------------------------------------------------------ */

/*
 * Where each scope instance's keys start, so that ccs_layout_find looks at
 * one instance's keys instead of every key (a report asking for each
 * queue's figures was quadratic in the queues: 44% of a 1,000-queue run).
 * Whole-run keys: absolute indices; interval keys: indices in the block.
 * CCS_AT_NONE: the instance has no keys.
 */
#define CCS_AT_NONE SIZE_MAX

struct ccs__layout_at {
    size_t nq, ng;
    size_t *q, *seg, *g, *gq; /* whole run: queue, its first segment, group, first group-queue */
    size_t *iq, *ig;          /* interval block: queue, group */
};

struct walker {
    struct ccs_sim *sim;       /* NULL: build the layout */
    struct ccs_layout *layout; /* build mode: keys appended here */
    double *out;               /* fill mode: values written here */
    size_t pos;
    double v[CCS_KPI_COUNT_];  /* fill mode: the current scope's KPIs */
    int failed;
};

/* The first key of a scope instance is at pos (build mode, second walk). */
static void note_at(struct ccs_layout *l, enum ccs_scope scope, int q, int s, int g,
                    int interval, size_t pos)
{
    struct ccs__layout_at *at = l->at;
    size_t *slot = NULL;
    if (interval < 0) {
        switch (scope) {
        case CCS_SCOPE_QUEUE:
            slot = &at->q[q];
            break;
        case CCS_SCOPE_SEGMENT:
            slot = &at->seg[q];
            break;
        case CCS_SCOPE_GROUP:
            slot = &at->g[g];
            break;
        case CCS_SCOPE_GROUP_QUEUE:
            slot = &at->gq[g];
            break;
        default:
            break;
        }
    } else {
        pos -= l->n_whole;
        if (scope == CCS_SCOPE_QUEUE)
            slot = &at->iq[q];
        else if (scope == CCS_SCOPE_GROUP)
            slot = &at->ig[g];
    }
    (void)s;
    if (slot != NULL && *slot == CCS_AT_NONE)
        *slot = pos;
}

static void emit_scope(struct walker *w, enum ccs_scope scope, unsigned need, int q, int s,
                       int g, int interval)
{
    for (int k = 0; k < CCS_KPI_COUNT_; k++) {
        unsigned f = ccs_kpi_info((enum ccs_kpi)k)->flags;
        if (!(f & need))
            continue;
        if (interval >= 0 && !(f & CCS_KPI_INTERVAL))
            continue;
        if (interval < 0 && (f & CCS_KPI_IONLY))
            continue;
        if (w->sim == NULL) {
            struct ccs_layout *l = w->layout;
            struct ccs_key *key = NULL;
            if (l->at != NULL && (interval < 0 || interval == 0))
                note_at(l, scope, q, s, g, interval, w->pos);
            if (interval < 0 && l->keys != NULL)
                key = &l->keys[w->pos];
            else if (interval == 0 && l->block != NULL)
                key = &l->block[w->pos - l->n_whole];
            if (key != NULL) {
                key->scope = (uint8_t)scope;
                key->kpi = (uint16_t)k;
                key->queue = q;
                key->segment = s;
                key->group = g;
                key->interval = interval;
            }
        } else {
            w->out[w->pos] = w->v[k];
        }
        w->pos++;
    }
}

/*
 * Sum of line cells for lines [l0, l1) over intervals [i0, i1). With
 * inbound_only, campaign (outbound) lines add their lifecycle counters but
 * not their waits and counts: a record's "wait" is time since the list
 * opened, which would swamp the center's service figures.
 */
static void sum_lines(const struct ccs_sim *sim, struct csum *s, uint32_t l0, uint32_t l1,
                      uint32_t i0, uint32_t i1, bool inbound_only)
{
    uint32_t n = sim->acc.n_intervals;
    /* x.wait_hist is never summed here (the CDF reads each line's own); it is
       most of x's size, and clearing it for every interval cell cost more
       than the sums themselves on long runs */
    _Static_assert(offsetof(struct ccs_acc_line_run, wait_hist) + sizeof(struct ccs_hist) ==
                       sizeof(struct ccs_acc_line_run),
                   "wait_hist last");
    memset(&s->c, 0, sizeof s->c);
    memset(&s->t, 0, sizeof s->t);
    s->area = 0;
    memset(&s->x, 0, offsetof(struct ccs_acc_line_run, wait_hist));
    s->whole = i0 == 0 && i1 == n;
    for (uint32_t l = l0; l < l1; l++) {
        const struct ccs_acc_line_run *run = &sim->acc.line_run[l];
        bool counts = !inbound_only || sim->queues[sim->lines[l].queue].channel != CCS_CH_OUTBOUND;
        if (s->whole)
            run_add(&s->x, run);
        if (!counts)
            continue;
        /* a simulation of whole-run results only has one cell of counts
           per line (their sum over intervals: integers, exact) */
        const struct ccs_acc_line *cnt = &sim->acc.line[(size_t)l * sim->acc.line_ni];
        if (sim->acc.line_step == 0)
            csum_add(s, cnt);
        else
            for (uint32_t i = i0; i < i1; i++)
                csum_add(s, &cnt[i]);
        for (uint32_t i = i0; i < i1; i++)
            tsum_add(s, ccs__acc_time_at(&sim->acc, l, i));
        if (s->whole) {
            s->area += run->wait_area;
        }
    }
    if (inbound_only && s->whole) {
        /* take the wait-based extras, customers and give-ups of inbound lines
           only: failed is one of the exits that must add up to offered */
        s->x.waited = s->x.predicted = s->x.customers = s->x.failed = 0;
        s->x.wait_ab = s->x.max_wait = s->x.pred_abs_err = s->x.pred_err = 0;
        for (uint32_t l = l0; l < l1; l++) {
            const struct ccs_acc_line_run *run = &sim->acc.line_run[l];
            if (sim->queues[sim->lines[l].queue].channel == CCS_CH_OUTBOUND)
                continue;
            s->x.waited += run->waited;
            s->x.customers += run->customers;
            s->x.failed += run->failed;
            s->x.predicted += run->predicted;
            s->x.wait_ab += run->wait_ab;
            if (run->max_wait > s->x.max_wait)
                s->x.max_wait = run->max_wait;
            s->x.pred_abs_err += run->pred_abs_err;
            s->x.pred_err += run->pred_err;
        }
    }
}

static void sum_groups(const struct ccs_sim *sim, struct ccs_acc_group *s, uint32_t g0,
                       uint32_t g1, uint32_t i0, uint32_t i1)
{
    uint32_t n = sim->acc.n_intervals;
    memset(s, 0, sizeof *s);
    for (uint32_t g = g0; g < g1; g++)
        for (uint32_t i = i0; i < i1; i++) {
            const struct ccs_acc_group *c = &sim->acc.group[(size_t)g * n + i];
            s->busy += c->busy;
            s->present += c->present;
            s->paid += c->paid;
            s->overtime += c->overtime;
        }
}

/* Measured length of interval i (or of the whole run if i < 0). */
static double span_of(const struct ccs_scenario *sc, int i)
{
    double t0 = i < 0 ? 0 : i * sc->interval;
    double t1 = i < 0 ? sc->horizon : (i + 1) * sc->interval;
    if (t1 > sc->horizon)
        t1 = sc->horizon;
    if (t0 < sc->warmup)
        t0 = sc->warmup;
    return t1 > t0 ? t1 - t0 : 0;
}

static void walk(struct walker *w, const struct ccs_scenario *sc)
{
    struct ccs_sim *sim = w->sim;
    uint32_t nq = (uint32_t)sc->n_queues, ng = (uint32_t)sc->n_groups;
    uint32_t n_int = sc->n_intervals;
    struct ccs_hist *hist = NULL;
    struct csum cs;
    struct ccs_acc_group gs;
    double span = span_of(sc, -1);
    uint32_t n_lines = 0;
    for (uint32_t q = 0; q < nq; q++)
        n_lines += (uint32_t)sc->queues[q].n_segments;

    if (sim != NULL) {
        hist = ccs_calloc(1, sizeof *hist);
        if (hist == NULL) {
            w->failed = 1;
            return;
        }
    }

    /* overall: inbound work (see sum_lines) */
    if (sim != NULL) {
        sum_lines(sim, &cs, 0, n_lines, 0, n_int, true);
        ccs__hist_clear(hist);
        for (uint32_t l = 0; l < n_lines; l++)
            if (sim->queues[sim->lines[l].queue].channel != CCS_CH_OUTBOUND &&
                ccs__hist_merge(hist, &sim->acc.line_run[l].wait_hist) != 0)
                w->failed = 1;
        contact_kpis(w->v, &cs, hist, span, sc->sl_def);
        sum_groups(sim, &gs, 0, ng, 0, n_int);
        double cost = total_cost(sim);
        group_kpis(w->v, &gs, span, cost, absences_of(sim, 0, ng), work_of(sim, 0, ng));
        w->v[CCS_KPI_cost_per_contact] = ratio(cost, (double)cs.x.ended);
        w->v[CCS_KPI_cost_per_resolved] = ratio(cost, (double)cs.x.resolved);
    }
    emit_scope(w, CCS_SCOPE_OVERALL, CCS_KPI_CONTACT | CCS_KPI_GROUP | CCS_KPI_OVERALL, -1, -1,
               -1, -1);

    /* queues */
    for (uint32_t q = 0; q < nq; q++) {
        if (sim != NULL) {
            const struct ccs_queue *Q = &sim->queues[q];
            sum_lines(sim, &cs, Q->first_line, Q->first_line + Q->n_lines, 0, n_int, false);
            ccs__hist_clear(hist);
            for (uint32_t l = Q->first_line; l < Q->first_line + Q->n_lines; l++)
                if (ccs__hist_merge(hist, &sim->acc.line_run[l].wait_hist) != 0)
                    w->failed = 1;
            contact_kpis(w->v, &cs, hist, span, sc->sl_def);
        }
        emit_scope(w, CCS_SCOPE_QUEUE, CCS_KPI_CONTACT, (int)q, -1, -1, -1);
    }

    /* segments of queues that have several */
    for (uint32_t q = 0, line = 0; q < nq; line += (uint32_t)sc->queues[q].n_segments, q++) {
        if (sc->queues[q].n_segments < 2)
            continue;
        for (uint32_t s = 0; s < sc->queues[q].n_segments; s++) {
            if (sim != NULL) {
                sum_lines(sim, &cs, line + s, line + s + 1, 0, n_int, false);
                contact_kpis(w->v, &cs, &sim->acc.line_run[line + s].wait_hist, span,
                             sc->sl_def);
            }
            emit_scope(w, CCS_SCOPE_SEGMENT, CCS_KPI_CONTACT, (int)q, (int)s, -1, -1);
        }
    }

    /* groups */
    for (uint32_t g = 0; g < ng; g++) {
        if (sim != NULL) {
            sum_groups(sim, &gs, g, g + 1, 0, n_int);
            group_kpis(w->v, &gs, span, agent_cost(sim, g, g + 1), absences_of(sim, g, g + 1),
                       work_of(sim, g, g + 1));
        }
        emit_scope(w, CCS_SCOPE_GROUP, CCS_KPI_GROUP, -1, -1, (int)g, -1);
    }

    /* group x queue; all[q]: every group's time on q, summed in group order
       once (it was summed again for each group with the skill) */
    double *all = NULL;
    if (sim != NULL) {
        all = ccs_calloc(nq + 1, sizeof *all);
        if (all == NULL) {
            ccs__hist_free(hist);
            free(hist);
            w->failed = 1;
            return;
        }
        /* by each group's skills, not the whole skill matrix (1,000 x
           1,000 cells for 5,000 skills); each all[q] still adds in group
           order */
        for (uint32_t h = 0; h < ng; h++)
            for (size_t k = 0; k < sc->groups[h].n_skills; k++)
                all[sc->groups[h].skills[k].queue] += sim->acc.gq_busy[sim->acc.gq_first[h] + k];
    }
    for (uint32_t g = 0; g < ng; g++) {
        const struct ccs_group_def *gd = &sc->groups[g];
        double total = 0;
        if (sim != NULL) {
            /* in queue order (a floating-point sum depends on it) */
            for (uint32_t i = 0; i < gd->n_skills; i++)
                total += gq_sorted(sim, g, i);
        }
        for (size_t k = 0; k < gd->n_skills; k++) {
            uint32_t q = gd->skills[k].queue;
            if (sim != NULL) {
                double done = sim->acc.gq_busy[sim->acc.gq_first[g] + k];
                w->v[CCS_KPI_time_share] = ratio(done, total);
                w->v[CCS_KPI_queue_share] = ratio(done, all[q]);
            }
            emit_scope(w, CCS_SCOPE_GROUP_QUEUE, CCS_KPI_GQ, (int)q, -1, (int)g, -1);
        }
    }

    if (w->sim == NULL && w->layout != NULL)
        w->layout->n_whole = w->pos;
    if (sim != NULL && sim->whole_only) {
        ccs__hist_free(hist);
        free(hist);
        free(all);
        return;
    }

    /* per interval; building the layout needs only interval 0, the pattern
       every interval repeats (walking them all made loading a scenario of
       200,000 intervals take seconds) */
    uint32_t n_walk = sim == NULL && n_int > 0 ? 1 : n_int;
    for (uint32_t i = 0; i < n_walk; i++) {
        double ispan = span_of(sc, (int)i);
        if (sim != NULL) {
            sum_lines(sim, &cs, 0, n_lines, i, i + 1, true);
            contact_kpis(w->v, &cs, NULL, ispan, sc->sl_def);
            snap_kpis(w->v, sim, 0, nq, (int)i);
            sum_groups(sim, &gs, 0, ng, i, i + 1);
            group_kpis(w->v, &gs, ispan, NAN, NAN, NAN);
        }
        emit_scope(w, CCS_SCOPE_OVERALL, CCS_KPI_CONTACT | CCS_KPI_GROUP, -1, -1, -1, (int)i);
        for (uint32_t q = 0; q < nq; q++) {
            if (sim != NULL) {
                const struct ccs_queue *Q = &sim->queues[q];
                sum_lines(sim, &cs, Q->first_line, Q->first_line + Q->n_lines, i, i + 1, false);
                contact_kpis(w->v, &cs, NULL, ispan, sc->sl_def);
                snap_kpis(w->v, sim, q, q + 1, (int)i);
            }
            emit_scope(w, CCS_SCOPE_QUEUE, CCS_KPI_CONTACT, (int)q, -1, -1, (int)i);
        }
        for (uint32_t g = 0; g < ng; g++) {
            if (sim != NULL) {
                sum_groups(sim, &gs, g, g + 1, i, i + 1);
                group_kpis(w->v, &gs, ispan, NAN, NAN, NAN);
            }
            emit_scope(w, CCS_SCOPE_GROUP, CCS_KPI_GROUP, -1, -1, (int)g, (int)i);
        }
    }
    if (hist != NULL)
        ccs__hist_free(hist);
    free(hist);
    free(all);
}

int ccs__layout_build(struct ccs_scenario *sc)
{
    struct ccs_layout *l = ccs_calloc(1, sizeof *l);
    if (l == NULL)
        return CCS_ENOMEM;
    struct walker w = {.layout = l};
    walk(&w, sc); /* count: the whole-run keys and interval 0's */
    l->n_intervals = sc->n_intervals;
    l->n_block = w.pos - l->n_whole;
    l->n = l->n_whole + l->n_block * sc->n_intervals;
    l->keys = ccs_calloc(l->n_whole ? l->n_whole : 1, sizeof *l->keys);
    l->block = ccs_calloc(l->n_block ? l->n_block : 1, sizeof *l->block);
    size_t nq = sc->n_queues, ng = sc->n_groups;
    l->at = ccs_calloc(1, sizeof *l->at); /* at->q NULL until set: ccs__layout_free */
    size_t *cells = ccs_malloc((3 * nq + 3 * ng + 1) * sizeof *cells);
    if (l->keys == NULL || l->block == NULL || l->at == NULL || cells == NULL) {
        free(cells);
        ccs__layout_free(l);
        return CCS_ENOMEM;
    }
    for (size_t i = 0; i < 3 * nq + 3 * ng + 1; i++)
        cells[i] = CCS_AT_NONE;
    *l->at = (struct ccs__layout_at){nq,          ng,          cells,          cells + nq,
                                     cells + 2 * nq, cells + 2 * nq + ng, cells + 2 * nq + 2 * ng,
                                     cells + 3 * nq + 2 * ng};
    w.pos = 0;
    walk(&w, sc); /* fill */
    sc->layout = l;
    return 0;
}

void ccs__layout_free(struct ccs_layout *l)
{
    if (l == NULL)
        return;
    free(l->keys);
    free(l->block);
    if (l->at != NULL)
        free(l->at->q);
    free(l->at);
    free(l);
}

int ccs_sim_results(struct ccs_sim *sim, double *values)
{
    if (!sim->finalized) {
        sim->finalized = true;
        ccs__acc_finish(sim, sim->sc->horizon);
    }
    struct walker w = {.sim = sim, .out = values};
    walk(&w, sim->sc);
    if (!w.failed)
        return 0;
    size_t n = sim->whole_only ? sim->sc->layout->n_whole : sim->sc->layout->n;
    for (size_t k = 0; k < n; k++)
        values[k] = NAN;
    return CCS_ENOMEM;
}

double ccs_run_memory_estimate(const struct ccs_scenario *sc, unsigned sims, bool whole_run_only)
{
    const struct ccs_layout *l = sc->layout;
    double ni = sc->n_intervals, nl = 0, nq = (double)sc->n_queues, ng = (double)sc->n_groups;
    for (size_t q = 0; q < sc->n_queues; q++)
        nl += (double)sc->queues[q].n_segments;
    /* whole-run only: the summary and each simulation hold the whole-run
       keys only, the line accumulators one whole-run slot, no backlog
       snapshots (ccs__acc_init); time and group accumulators stay per
       interval */
    double n = l == NULL ? 0 : whole_run_only ? (double)l->n_whole : (double)l->n;
    double line_ni = whole_run_only ? 1 : ni, snaps = whole_run_only ? 0 : ni * nq;
    /* the summary: a running mean and variance per value, and the values of
       the replication being added */
    double summary = n * (sizeof(struct ccs_welford) + sizeof(double));
    /* the line cells hold the times too, unless there is one per line */
    double times = whole_run_only ? ni * nl * sizeof(struct ccs_acc_time) : 0;
    double per_sim = n * sizeof(double) + line_ni * nl * sizeof(struct ccs_acc_line) + times +
                     ni * ng * sizeof(struct ccs_acc_group) + snaps * sizeof(struct ccs_snap);
    return summary + (sims ? sims : 1) * per_sim;
}

const struct ccs_layout *ccs_scenario_layout(const struct ccs_scenario *sc)
{
    return sc->layout;
}

/* Where to start looking for the keys of a scope instance: *from, or false
   if the index has no answer (then every key is searched). In the index's
   range an instance's keys are consecutive (emit_scope); segments and
   group-queue pairs start at their queue's or group's first. */
static bool at_of(const struct ccs_layout *l, enum ccs_scope scope, int q, int s, int g,
                  int interval, size_t *from)
{
    const struct ccs__layout_at *at = l->at;
    if (at == NULL)
        return false;
    bool qok = q >= 0 && (size_t)q < at->nq, gok = g >= 0 && (size_t)g < at->ng;
    size_t k = CCS_AT_NONE;
    if (interval < 0) {
        if (scope == CCS_SCOPE_QUEUE && qok && s < 0 && g < 0)
            k = at->q[q];
        else if (scope == CCS_SCOPE_SEGMENT && qok && s >= 0 && g < 0)
            k = at->seg[q];
        else if (scope == CCS_SCOPE_GROUP && gok && q < 0 && s < 0)
            k = at->g[g];
        else if (scope == CCS_SCOPE_GROUP_QUEUE && gok && qok && s < 0)
            k = at->gq[g];
        else
            return false;
    } else {
        if (scope == CCS_SCOPE_QUEUE && qok && s < 0 && g < 0)
            k = at->iq[q];
        else if (scope == CCS_SCOPE_GROUP && gok && q < 0 && s < 0)
            k = at->ig[g];
        else
            return false;
        if (k != CCS_AT_NONE)
            k += l->n_whole + (size_t)interval * l->n_block;
    }
    *from = k;
    return true;
}

long ccs_layout_find(const struct ccs_layout *l, enum ccs_scope scope, enum ccs_kpi kpi,
                     int queue, int segment, int group, int interval)
{
    size_t from = interval < 0 ? 0 : l->n_whole + (size_t)interval * l->n_block;
    size_t to = interval < 0 ? l->n_whole : from + l->n_block;
    if (interval >= (int)l->n_intervals)
        return -1;
    size_t at;
    if (at_of(l, scope, queue, segment, group, interval, &at)) {
        if (at == CCS_AT_NONE)
            return -1;
        /* the instance's keys, or for segments and group-queue pairs the
           run of that scope for the queue or group */
        for (size_t k = at; k < to; k++) {
            struct ccs_key key = ccs_layout_key(l, k);
            bool by_group = scope == CCS_SCOPE_GROUP || scope == CCS_SCOPE_GROUP_QUEUE;
            if (key.scope != scope || (by_group ? key.group != group : key.queue != queue))
                break;
            if (key.kpi == kpi && key.queue == queue && key.segment == segment &&
                key.group == group)
                return (long)k;
        }
        return -1;
    }
    for (size_t k = from; k < to; k++) {
        struct ccs_key key = ccs_layout_key(l, k);
        if (key.scope == scope && key.kpi == kpi && key.queue == queue &&
            key.segment == segment && key.group == group && key.interval == interval)
            return (long)k;
    }
    return -1;
}
