/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_wallboard.c - the state behind `ccsim watch` (out/wallboard.c): its
 * counts and service level agree with the engine's KPIs at the end of a
 * drained day under every service-level definition; waiting, oldest wait
 * and agent states agree with the view at any moment; a step is exactly one
 * event; the queue-length history does not depend on how the day is
 * advanced (the speed); the text rendering is deterministic and fits.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ccs/ccs.h"
#include "support.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* |a - b| <= tol, showing both on failure (NaN never passes). */
#define assert_near(a, b, tol)                                                              \
    do {                                                                                    \
        double a_ = (a), b_ = (b);                                                          \
        if (!(fabs(a_ - b_) <= (tol)))                                                      \
            fail_msg("%s = %.17g, want %.17g (tol %g)", #a, a_, b_, (double)(tol));         \
    } while (0)

/* Two queues, two segments on one of them (a second threshold T), wrap-up,
   impatient callers, messages left on one, a break, a late shift: every
   agent state but outbound and hold. */
static const char *const base_yaml =
    "name: board\n"
    "seed: 11\n"
    "horizon: 2h\n"
    "drain: true\n"
    "start_time: 08:30\n"
    "service_level_definition: %s\n"
    "queues:\n"
    "  - id: sales\n"
    "    sla: {target: 80%%, within: 20s}\n"
    "    arrivals: {rate: 100/h}\n"
    "    handle_time: {dist: exponential, mean: 4m}\n"
    "    wrap_up: {dist: deterministic, value: 30s}\n"
    "    patience: {dist: exponential, mean: 1m}\n"
    "    segments:\n"
    "      - {id: vip, share: 30%%, sla: {target: 90%%, within: 5s}}\n"
    "      - {id: std, share: 70%%}\n"
    "  - id: support\n"
    "    sla: {target: 80%%, within: 30s}\n"
    "    arrivals: {rate: 80/h}\n"
    "    handle_time: {dist: exponential, mean: 5m}\n"
    "    patience: {dist: exponential, mean: 2m}\n"
    "    message_after: 75s\n"
    "groups:\n"
    "  - {id: front, agents: 7, skills: [sales, support]}\n"
    "  - id: back\n"
    "    skills: [support]\n"
    "    shifts:\n"
    "      - {start: 08:30, length: 4h, agents: 3, breaks: [{after: 30m, length: 15m}]}\n"
    "      - {start: 09:00, length: 4h, agents: 1}\n";

static struct ccs_scenario *load_def(const char *def)
{
    char yaml[4096];
    snprintf(yaml, sizeof yaml, base_yaml, def);
    struct ccs_scenario *sc = load_yaml_string(yaml);
    if (sc == NULL)
        fail_msg("scenario did not load");
    return sc;
}

static struct ccs_wallboard *board(const struct ccs_scenario *sc, uint64_t seed,
                                   struct ccs_sim **sim)
{
    struct ccs_diag d;
    ccs_diag_clear(&d);
    assert_int_equal(ccs_sim_new(sc, seed, 0, sim, &d), 0);
    struct ccs_wallboard *wb = NULL;
    assert_int_equal(ccs_wb_new(*sim, sc, &wb), 0);
    return wb;
}

static double kpi(const struct ccs_scenario *sc, const double *v, enum ccs_kpi k, int q)
{
    long i = ccs_layout_find(ccs_scenario_layout(sc), CCS_SCOPE_QUEUE, k, q, -1, -1, -1);
    assert_true(i >= 0);
    return v[i];
}

/* --- the day's counts ---------------------------------------------------------- */

static double seg_kpi(const struct ccs_scenario *sc, const double *v, enum ccs_kpi k, int q,
                      int seg)
{
    long i = ccs_layout_find(ccs_scenario_layout(sc), CCS_SCOPE_SEGMENT, k, q, seg, -1, -1);
    if (i < 0)
        fail_msg("no segment KPI %d for queue %d segment %d", (int)k, q, seg);
    return v[i];
}

static void test_end_of_day_matches_kpis(void **state)
{
    (void)state;
    static const char *const defs[] = {"offered", "answered", "no_short_abandons", "handled",
                                       "all"};
    for (size_t i = 0; i < sizeof defs / sizeof defs[0]; i++) {
        struct ccs_scenario *sc = load_def(defs[i]);
        struct ccs_sim *sim;
        struct ccs_wallboard *wb = board(sc, 5, &sim);
        /* in uneven chunks, as a live board at a varying speed would */
        double t = 0;
        for (int k = 0; wb->status > 0; k++) {
            t += 37.0 * (1 + k % 5);
            assert_true(ccs_wb_advance(wb, t) >= 0);
        }
        assert_int_equal(wb->status, 0);
        assert_true(wb->now >= wb->horizon);
        const struct ccs_layout *l = ccs_scenario_layout(sc);
        double *v = malloc(l->n * sizeof *v);
        assert_non_null(v);
        ccs_sim_results(sim, v);
        for (uint32_t q = 0; q < wb->n_queues; q++) {
            const struct ccs_wb_queue *x = &wb->queues[q];
            assert_true(x->offered > 50);
            assert_true(x->abandoned > 0);
            assert_int_equal(x->waiting, 0);
            assert_near((double)x->offered, kpi(sc, v, CCS_KPI_offered, (int)q), 0);
            assert_near((double)x->answered, kpi(sc, v, CCS_KPI_answered, (int)q), 0);
            assert_near((double)x->abandoned, kpi(sc, v, CCS_KPI_abandoned, (int)q), 0);
            /* support's callers leave a message after 75 s: a third outcome */
            assert_near((double)x->messages, kpi(sc, v, CCS_KPI_messages, (int)q), 0);
            assert_true(q == 1 ? x->messages > 0 : x->messages == 0);
            assert_near(ccs_wb_sl(wb, q), kpi(sc, v, CCS_KPI_service_level, (int)q),
                                1e-12);
            assert_near(ccs_wb_asa(wb, q), kpi(sc, v, CCS_KPI_asa, (int)q), 1e-9);
        }
        /* sales has two segments (vip with its own T): a row each, equal to
           the segment KPIs, adding up to the queue's row */
        assert_int_equal(wb->n_segs, 2);
        assert_int_equal(wb->seg_first[0], 0);
        assert_int_equal(wb->seg_first[1], UINT32_MAX);
        uint64_t offered = 0, answered = 0, abandoned = 0;
        for (uint32_t k = 0; k < wb->n_segs; k++) {
            const struct ccs_wb_queue *x = &wb->segs[k];
            assert_true(x->segment);
            assert_string_equal(x->id, k == 0 ? "vip" : "std");
            assert_near(x->sla_within, k == 0 ? 5.0 : 20.0, 0);
            assert_near((double)x->offered, seg_kpi(sc, v, CCS_KPI_offered, 0, (int)k), 0);
            assert_near((double)x->answered, seg_kpi(sc, v, CCS_KPI_answered, 0, (int)k), 0);
            assert_near((double)x->abandoned, seg_kpi(sc, v, CCS_KPI_abandoned, 0, (int)k), 0);
            assert_near(ccs_wb_row_sl(wb, x), seg_kpi(sc, v, CCS_KPI_service_level, 0, (int)k),
                        1e-12);
            offered += x->offered;
            answered += x->answered;
            abandoned += x->abandoned;
        }
        assert_true(offered == wb->queues[0].offered && answered == wb->queues[0].answered &&
                    abandoned == wb->queues[0].abandoned);
        free(v);
        ccs_wb_free(wb);
        ccs_sim_free(sim);
        ccs_scenario_free(sc);
    }
}

static void test_sl_before_any_outcome_is_undefined(void **state)
{
    (void)state;
    struct ccs_scenario *sc = load_def("offered");
    struct ccs_sim *sim;
    struct ccs_wallboard *wb = board(sc, 5, &sim);
    assert_true(isnan(ccs_wb_sl(wb, 0)));
    assert_true(isnan(ccs_wb_asa(wb, 0)));
    /* hand-set counters: the definitions of docs/kpis.md over known outcomes */
    struct ccs_wb_queue *x = &wb->queues[0];
    x->answered = 8;
    x->ans_within = 6;
    x->abandoned = 4;
    x->ab_within = 1;
    x->blocked = 2;
    wb->sl_def = CCS_SL_OFFERED;
    assert_near(ccs_wb_sl(wb, 0), 6.0 / 14, 1e-15);
    wb->sl_def = CCS_SL_ANSWERED;
    assert_near(ccs_wb_sl(wb, 0), 6.0 / 8, 1e-15);
    wb->sl_def = CCS_SL_NO_SHORT_AB;
    assert_near(ccs_wb_sl(wb, 0), 6.0 / 13, 1e-15);
    wb->sl_def = CCS_SL_HANDLED;
    assert_near(ccs_wb_sl(wb, 0), 6.0 / 11, 1e-15);
    wb->sl_def = CCS_SL_ALL;
    assert_near(ccs_wb_sl(wb, 0), 7.0 / 12, 1e-15);
    ccs_wb_free(wb);
    ccs_sim_free(sim);
    ccs_scenario_free(sc);
}

/* --- the moment's state -------------------------------------------------------- */

/* Waiting, oldest wait and agent states against a direct reading of the view. */
static void check_against_view(const struct ccs_wallboard *wb)
{
    const struct ccs_view *v = wb->view;
    for (uint32_t q = 0; q < v->n_queues; q++) {
        uint32_t n = 0;
        double first = INFINITY;
        for (uint32_t i = 0; i < v->n_contacts; i++) {
            const struct ccs_contact *c = &v->contacts[i];
            if (c->state == CCS_C_WAITING && c->queue == q) {
                n++;
                first = fmin(first, c->arrived);
            }
        }
        assert_int_equal(wb->queues[q].waiting, n);
        assert_near(wb->queues[q].oldest, n ? wb->now - first : 0, 1e-9);
    }
    /* segment rows: the same, counted by each contact's segment */
    for (uint32_t k = 0; k < wb->n_segs; k++) {
        const struct ccs_wb_queue *x = &wb->segs[k];
        const struct ccs_line *line = &v->lines[x->first_line];
        uint32_t n = 0;
        double first = INFINITY;
        for (uint32_t i = 0; i < v->n_contacts; i++) {
            const struct ccs_contact *c = &v->contacts[i];
            if (c->state == CCS_C_WAITING && c->queue == line->queue &&
                c->segment == line->segment) {
                n++;
                first = fmin(first, c->arrived);
            }
        }
        assert_int_equal(x->waiting, n);
        assert_near(x->oldest, n ? wb->now - first : 0, 1e-9);
    }
    for (uint32_t g = 0; g < v->n_groups; g++) {
        const struct ccs_group *vg = &v->groups[g];
        const uint32_t *c = wb->groups[g].count;
        uint32_t sum = 0, busy = 0;
        for (int s = 0; s < CCS_WB_COUNT_; s++)
            sum += c[s];
        busy = c[CCS_WB_TALK] + c[CCS_WB_OUT] + c[CCS_WB_HOLD] + c[CCS_WB_WRAP];
        assert_int_equal(sum, vg->n_agents);
        assert_int_equal(busy, vg->n_busy);
        assert_int_equal(c[CCS_WB_BREAK], vg->n_break);
        assert_int_equal(c[CCS_WB_IDLE] + busy, vg->n_present);
    }
}

static void test_state_agrees_with_view(void **state)
{
    (void)state;
    struct ccs_scenario *sc = load_def("offered");
    struct ccs_sim *sim;
    struct ccs_wallboard *wb = board(sc, 9, &sim);
    uint32_t seen[CCS_WB_COUNT_] = {0};
    bool waited = false;
    for (double t = 13; wb->status > 0; t += 13) {
        ccs_wb_advance(wb, t);
        check_against_view(wb);
        for (uint32_t g = 0; g < wb->n_groups; g++)
            for (int s = 0; s < CCS_WB_COUNT_; s++)
                seen[s] += wb->groups[g].count[s];
        waited |= wb->queues[0].oldest > 0;
    }
    assert_true(seen[CCS_WB_IDLE] > 0 && seen[CCS_WB_TALK] > 0 && seen[CCS_WB_WRAP] > 0 &&
                seen[CCS_WB_BREAK] > 0 && seen[CCS_WB_OFF] > 0);
    assert_true(waited);
    ccs_wb_free(wb);
    ccs_sim_free(sim);
    ccs_scenario_free(sc);
}

/* --- driving -------------------------------------------------------------------- */

static void test_step_is_one_event(void **state)
{
    (void)state;
    struct ccs_scenario *sc = load_def("offered");
    struct ccs_sim *ref, *sim;
    struct ccs_diag d;
    ccs_diag_clear(&d);
    assert_int_equal(ccs_sim_new(sc, 3, 0, &ref, &d), 0);
    struct ccs_wallboard *wb = board(sc, 3, &sim);
    /* some way into the day, then event by event alongside a bare engine */
    ccs_wb_advance(wb, 600);
    assert_int_equal(ccs_sim_run_until(ref, 600), 1);
    for (int i = 0; i < 500; i++) {
        int a = ccs_wb_step(wb), b = ccs_sim_step(ref);
        assert_int_equal(a, b);
        assert_near(wb->now, ccs_sim_now(ref), 0);
        check_against_view(wb);
    }
    assert_int_equal((int)wb->steps, 500);
    /* the clock does not move unless the board is advanced: pausing is
       simply not calling it */
    double t = wb->now;
    check_against_view(wb);
    assert_near(wb->now, t, 0);
    ccs_wb_free(wb);
    ccs_sim_free(sim);
    ccs_sim_free(ref);
    ccs_scenario_free(sc);
}

static void test_history_is_speed_independent(void **state)
{
    (void)state;
    struct ccs_scenario *sc = load_def("offered");
    struct ccs_sim *s1, *s2, *ref;
    struct ccs_wallboard *a = board(sc, 21, &s1), *b = board(sc, 21, &s2);
    struct ccs_diag d;
    ccs_diag_clear(&d);
    assert_int_equal(ccs_sim_new(sc, 21, 0, &ref, &d), 0);
    /* a: one jump; b: small uneven chunks and single steps */
    double t_end = 45 * 60 + 7;
    ccs_wb_advance(a, t_end);
    for (int k = 0; b->now < t_end; k++) {
        if (k % 3 == 0 && b->now < 1200) /* a step may pass t_end: not near it */
            ccs_wb_step(b);
        else
            ccs_wb_advance(b, fmin(t_end, b->now + 11.5));
    }
    ccs_wb_advance(b, t_end);
    assert_near(a->now, t_end, 0);
    assert_near(b->now, t_end, 0);
    /* the reference: waiting at each minute, by the bare engine */
    uint32_t want[45];
    for (int m = 1; m <= 45; m++) {
        assert_int_equal(ccs_sim_run_until(ref, 60.0 * m), 1);
        want[m - 1] = ccs_sim_view(ref)->queues[0].waiting;
    }
    for (uint32_t q = 0; q < a->n_queues; q++) {
        assert_int_equal(a->queues[q].n_hist, CCS_WB_HIST);
        assert_int_equal(b->queues[q].n_hist, CCS_WB_HIST);
        assert_memory_equal(a->queues[q].hist, b->queues[q].hist, sizeof a->queues[q].hist);
        assert_int_equal(a->queues[q].offered, b->queues[q].offered);
        assert_int_equal(a->queues[q].answered, b->queues[q].answered);
    }
    /* the last 30 columns are minutes 16..45 */
    for (int i = 0; i < CCS_WB_HIST; i++)
        assert_int_equal(a->queues[0].hist[i], want[15 + i]);
    ccs_wb_free(a);
    ccs_wb_free(b);
    ccs_sim_free(s1);
    ccs_sim_free(s2);
    ccs_sim_free(ref);
    ccs_scenario_free(sc);
}

static void test_day_without_drain_ends_at_horizon(void **state)
{
    (void)state;
    struct ccs_scenario *sc = load_yaml_string(
        "horizon: 1h\n"
        "queues: [{id: q, arrivals: {rate: 2/min}, handle_time: {dist: exponential, mean: 1m}}]\n"
        "groups: [{id: g, agents: 3, skills: [q]}]\n");
    assert_non_null(sc);
    struct ccs_sim *sim;
    struct ccs_wallboard *wb = board(sc, 1, &sim);
    assert_int_equal(ccs_wb_advance(wb, 1800), 1);
    assert_near(wb->now, 1800, 0);
    assert_int_equal(ccs_wb_advance(wb, 99999), 0);
    assert_near(wb->now, 3600, 0);
    assert_int_equal(wb->queues[0].n_hist, CCS_WB_HIST);
    /* over is over: no more steps, the clock stays */
    assert_int_equal(ccs_wb_step(wb), 0);
    assert_near(wb->now, 3600, 0);
    ccs_wb_free(wb);
    ccs_sim_free(sim);
    ccs_scenario_free(sc);
}

/* --- rendering ------------------------------------------------------------------- */

struct capture {
    char text[16384];
    size_t len;
    int lines, max_width, alerts;
};

static void collect(void *ctx, enum ccs_wb_line kind, const char *text)
{
    struct capture *c = ctx;
    size_t n = strlen(text);
    assert_true(c->len + n + 2 < sizeof c->text);
    memcpy(c->text + c->len, text, n);
    c->len += n;
    c->text[c->len++] = '\n';
    c->text[c->len] = '\0';
    c->lines++;
    if ((int)n > c->max_width)
        c->max_width = (int)n;
    c->alerts += kind == CCS_WB_L_ALERT;
}

static void test_render(void **state)
{
    (void)state;
    struct ccs_scenario *sc = load_def("offered");
    struct ccs_sim *sim;
    struct ccs_wallboard *wb = board(sc, 5, &sim);
    ccs_wb_advance(wb, 3600 + 5 * 60 + 9.5);
    struct ccs_wb_status st = {60, true, true, 5, 0, NULL};
    struct capture a = {0}, b = {0}, narrow = {0};
    ccs_wb_render(wb, &st, 0, collect, &a);
    ccs_wb_render(wb, &st, 0, collect, &b);
    assert_string_equal(a.text, b.text);
    assert_true(a.max_width <= 80);
    static const char *const want[] = {
        "ccsim watch: board   policy acd   seed 5",
        "Clock 09:35:09   speed x60   PAUSED   (closes 10:30:00)",
        "SL so far = answered within T / offered",
        "Queue ", "Waiting", "Oldest", "Offered", "Answered", "Abandoned", "SL so far",
        "\nsales ", "80% in 20s", "\nsupport ", "80% in 30s",
        "Waiting, last 30 min", "\nGroup ", "Staffed", "Idle", "Talk", "Outbound", "Hold",
        "Wrap-up", "Break", "Off", "\nfront ", "\nback ", "keys: space/p pause",
        "change: g next group  a/r add/remove an agent  o next policy", "  < a/r\n",
    };
    for (size_t i = 0; i < sizeof want / sizeof want[0]; i++)
        if (strstr(a.text, want[i]) == NULL)
            fail_msg("render lacks '%s':\n%s", want[i], a.text);
    /* no trailing blanks, lines cut at the width asked for */
    assert_null(strstr(a.text, " \n"));
    ccs_wb_render(wb, &st, 30, collect, &narrow);
    assert_int_equal(narrow.lines, a.lines);
    assert_true(narrow.max_width <= 30);
    /* plain snapshots: no key help, speed "max" */
    struct ccs_wb_status plain = {0, false, false, 5, 0, NULL};
    struct capture p = {0};
    ccs_wb_render(wb, &plain, 0, collect, &p);
    assert_non_null(strstr(p.text, "speed max   running"));
    assert_null(strstr(p.text, "keys:"));
    assert_int_equal(p.lines, a.lines - 3); /* a blank, the changes' keys, the clock's */
    ccs_wb_free(wb);
    ccs_sim_free(sim);
    ccs_scenario_free(sc);
}

static void test_clock(void **state)
{
    (void)state;
    struct ccs_scenario *sc = load_def("offered");
    struct ccs_sim *sim;
    struct ccs_wallboard *wb = board(sc, 5, &sim);
    char buf[32];
    ccs_wb_clock(wb, 0, buf, sizeof buf);
    assert_string_equal(buf, "08:30:00");
    ccs_wb_clock(wb, 59.999, buf, sizeof buf);
    assert_string_equal(buf, "08:30:59");
    ccs_wb_clock(wb, 15.5 * 3600 + 1, buf, sizeof buf);
    assert_string_equal(buf, "00:00:01 day 2");
    ccs_wb_free(wb);
    ccs_sim_free(sim);
    ccs_scenario_free(sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_end_of_day_matches_kpis),
        cmocka_unit_test(test_sl_before_any_outcome_is_undefined),
        cmocka_unit_test(test_state_agrees_with_view),
        cmocka_unit_test(test_step_is_one_event),
        cmocka_unit_test(test_history_is_speed_independent),
        cmocka_unit_test(test_day_without_drain_ends_at_horizon),
        cmocka_unit_test(test_render),
        cmocka_unit_test(test_clock),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
