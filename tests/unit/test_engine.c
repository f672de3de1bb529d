/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_engine.c - the engine through the public API: every contact is
 * accounted for, runs are reproducible and share no state, memory stays
 * bounded over millions of contacts, a hand-checkable case gives exact
 * KPIs, loss systems never queue, warm-up and per-interval accounting are
 * consistent, and the results layout can be searched.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ccs/ccs.h"
#include "model/engine.h"
#include "support.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- helpers ------------------------------------------------------------------ */

/* Value of a key that must exist in the layout. */
static double get(const struct ccs_scenario *sc, const double *v, enum ccs_scope scope,
                  enum ccs_kpi kpi, int q, int s, int g, int interval)
{
    long k = ccs_layout_find(ccs_scenario_layout(sc), scope, kpi, q, s, g, interval);
    if (k < 0)
        fail_msg("no key scope=%s kpi=%s q=%d s=%d g=%d i=%d", ccs_scope_name(scope),
                 ccs_kpi_info(kpi)->id, q, s, g, interval);
    return v[k];
}

static double overall(const struct ccs_scenario *sc, const double *v, enum ccs_kpi kpi)
{
    return get(sc, v, CCS_SCOPE_OVERALL, kpi, -1, -1, -1, -1);
}

static double *alloc_values(const struct ccs_scenario *sc)
{
    double *v = malloc(ccs_scenario_layout(sc)->n * sizeof *v);
    assert_non_null(v);
    return v;
}

static struct ccs_sim *new_sim(const struct ccs_scenario *sc, uint64_t seed, uint32_t rep)
{
    struct ccs_sim *sim = NULL;
    struct ccs_diag d;
    ccs_diag_clear(&d);
    int rc = ccs_sim_new(sc, seed, rep, &sim, &d);
    if (rc != 0)
        fail_msg("ccs_sim_new: %s", d.msg);
    return sim;
}

/* Run one replication to the end; returns its values (malloc'd). */
static double *run_one(const struct ccs_scenario *sc, uint64_t seed, uint32_t rep)
{
    struct ccs_sim *sim = new_sim(sc, seed, rep);
    int rc = ccs_sim_run(sim);
    if (rc != 0)
        fail_msg("ccs_sim_run: %d %s", rc, ccs_sim_fault(sim) ? ccs_sim_fault(sim) : "");
    double *v = alloc_values(sc);
    ccs_sim_results(sim, v);
    ccs_sim_free(sim);
    return v;
}

/* One queue with 3-minute calls; the rest is filled in by one_queue(). */
#define ONE_QUEUE                                                   \
    "name: one\n"                                                   \
    "seed: 7\n"                                                     \
    "horizon: %s\n"                                                 \
    "interval: 1h\n"                                                \
    "%s"                                                            \
    "queues:\n"                                                     \
    "  - id: q\n"                                                   \
    "    arrivals: {rate: %s}\n"                                    \
    "    handle_time: {dist: exponential, mean: 3m}\n"              \
    "    patience: %s\n"                                            \
    "%s"                                                            \
    "groups:\n"                                                     \
    "  - id: g\n"                                                   \
    "    agents: %d\n"                                              \
    "    skills: [q]\n"

#define PATIENT "{dist: exponential, mean: 1m}"

static struct ccs_scenario *one_queue(const char *horizon, const char *extra_top,
                                      const char *rate, const char *patience,
                                      const char *extra_queue, int agents)
{
    char yaml[2048];
    snprintf(yaml, sizeof yaml, ONE_QUEUE, horizon, extra_top, rate, patience, extra_queue,
             agents);
    struct ccs_scenario *sc = load_yaml_string(yaml);
    assert_non_null(sc);
    return sc;
}

/* Three queues (one with two segments, one with no patience), two groups
   with overlapping skills and a proficiency, a finite waiting room,
   wrap-up, a queue priority. */
#define MULTI                                                                  \
    "name: multi\n"                                                            \
    "seed: 99\n"                                                               \
    "horizon: 8h\n"                                                            \
    "interval: 30m\n"                                                          \
    "drain: %s\n"                                                              \
    "queues:\n"                                                                \
    "  - id: sales\n"                                                          \
    "    arrivals: {rate: 6/min}\n"                                            \
    "    handle_time: {dist: lognormal, mean: 3m, cv: 0.8}\n"                  \
    "    patience: {dist: exponential, mean: 90s}\n"                           \
    "    max_waiting: 6\n"                                                     \
    "    segments:\n"                                                          \
    "      - {id: gold, share: 30%%, priority: 1}\n"                           \
    "      - {id: std, share: 70%%, credit: 10s}\n"                            \
    "  - id: support\n"                                                        \
    "    priority: 1\n"                                                        \
    "    arrivals: {rate: 4/min}\n"                                            \
    "    handle_time: {dist: gamma, mean: 4m, cv: 0.5}\n"                      \
    "    patience: {dist: weibull, mean: 2m, cv: 0.7}\n"                       \
    "    wrap_up: {dist: deterministic, value: 20s}\n"                         \
    "  - id: vip\n"                                                            \
    "    arrivals: {rate: 1/min}\n"                                            \
    "    handle_time: {dist: erlang, k: 2, mean: 5m}\n"                        \
    "groups:\n"                                                                \
    "  - id: generalists\n"                                                    \
    "    agents: 20\n"                                                         \
    "    skills: [sales, support, vip]\n"                                      \
    "  - id: specialists\n"                                                    \
    "    agents: 14\n"                                                         \
    "    skills: [support, {queue: sales, level: 1.25}]\n"

static struct ccs_scenario *multi(bool drain)
{
    char yaml[4096];
    snprintf(yaml, sizeof yaml, MULTI, drain ? "true" : "false");
    struct ccs_scenario *sc = load_yaml_string(yaml);
    assert_non_null(sc);
    return sc;
}

/* --- conservation ------------------------------------------------------------- */

struct counts {
    double offered, answered, abandoned, blocked, unfinished;
};

static struct counts counts_of(const struct ccs_scenario *sc, const double *v,
                               enum ccs_scope scope, int q, int s)
{
    struct counts c;
    c.offered = get(sc, v, scope, CCS_KPI_offered, q, s, -1, -1);
    c.answered = get(sc, v, scope, CCS_KPI_answered, q, s, -1, -1);
    c.abandoned = get(sc, v, scope, CCS_KPI_abandoned, q, s, -1, -1);
    c.blocked = get(sc, v, scope, CCS_KPI_blocked, q, s, -1, -1);
    c.unfinished = get(sc, v, scope, CCS_KPI_unfinished, q, s, -1, -1);
    return c;
}

/*
 * Every count is a whole number in [0, offered] and the parts add up.
 * (unfinished is derived as the remainder, so the non-trivial parts are
 * that it is not negative or wrapped, and that it matches what the engine
 * still holds: see check_conservation.)
 */
static void check_counts(const struct counts *c, const char *what)
{
    const double *x = &c->offered;
    for (int i = 0; i < 5; i++)
        if (!(x[i] >= 0 && x[i] <= c->offered && x[i] == floor(x[i])))
            fail_msg("%s: count %d is %g (offered %g)", what, i, x[i], c->offered);
    if (c->offered != c->answered + c->abandoned + c->blocked + c->unfinished)
        fail_msg("%s: offered %g != answered %g + abandoned %g + blocked %g + unfinished %g",
                 what, c->offered, c->answered, c->abandoned, c->blocked, c->unfinished);
}

static void add(struct counts *sum, const struct counts *c)
{
    sum->offered += c->offered;
    sum->answered += c->answered;
    sum->abandoned += c->abandoned;
    sum->blocked += c->blocked;
    sum->unfinished += c->unfinished;
}

static void expect_equal_counts(const struct counts *a, const struct counts *b, const char *what)
{
    if (memcmp(a, b, sizeof *a) != 0)
        fail_msg("%s: parts do not add up to the whole (offered %g vs %g, answered %g vs %g, "
                 "abandoned %g vs %g, blocked %g vs %g, unfinished %g vs %g)",
                 what, a->offered, b->offered, a->answered, b->answered, a->abandoned,
                 b->abandoned, a->blocked, b->blocked, a->unfinished, b->unfinished);
}

/* Run sc and check conservation everywhere; returns overall counts. */
static struct counts check_conservation(const struct ccs_scenario *sc, uint32_t rep)
{
    struct ccs_sim *sim = new_sim(sc, ccs_scenario_seed(sc), rep);
    assert_int_equal(ccs_sim_run(sim), 0);
    double *v = alloc_values(sc);
    ccs_sim_results(sim, v);
    const struct ccs_view *view = ccs_sim_view(sim);
    size_t nq = ccs_scenario_queue_count(sc);

    struct counts all = counts_of(sc, v, CCS_SCOPE_OVERALL, -1, -1), sum_q = {0};
    check_counts(&all, "overall");
    uint32_t still_waiting = 0;
    for (size_t q = 0; q < nq; q++) {
        struct counts cq = counts_of(sc, v, CCS_SCOPE_QUEUE, (int)q, -1), sum_s = {0};
        char what[64];
        snprintf(what, sizeof what, "queue %s", ccs_scenario_queue_id(sc, q));
        check_counts(&cq, what);
        add(&sum_q, &cq);
        /* The engine's own view: contacts still in the lines at the end are
           exactly the unfinished ones (no warm-up in these scenarios). */
        if (cq.unfinished != (double)view->queues[q].waiting)
            fail_msg("%s: unfinished %g but %u still waiting", what, cq.unfinished,
                     view->queues[q].waiting);
        still_waiting += view->queues[q].waiting;
        size_t ns = ccs_scenario_segment_count(sc, q);
        if (ns < 2)
            continue;
        for (size_t s = 0; s < ns; s++) {
            struct counts cs = counts_of(sc, v, CCS_SCOPE_SEGMENT, (int)q, (int)s);
            snprintf(what, sizeof what, "segment %s/%s", ccs_scenario_queue_id(sc, q),
                     ccs_scenario_segment_id(sc, q, s));
            check_counts(&cs, what);
            add(&sum_s, &cs);
            const struct ccs_line *l = &view->lines[view->queues[q].first_line + s];
            assert_true(cs.unfinished == (double)l->count);
        }
        expect_equal_counts(&sum_s, &cq, "segments of a queue");
    }
    expect_equal_counts(&sum_q, &all, "queues");
    /* per-interval counts add up to the whole run too */
    struct counts sum_i = {0};
    for (uint32_t i = 0; i < ccs_scenario_interval_count(sc); i++) {
        sum_i.offered += get(sc, v, CCS_SCOPE_OVERALL, CCS_KPI_offered, -1, -1, -1, (int)i);
        sum_i.answered += get(sc, v, CCS_SCOPE_OVERALL, CCS_KPI_answered, -1, -1, -1, (int)i);
        sum_i.abandoned += get(sc, v, CCS_SCOPE_OVERALL, CCS_KPI_abandoned, -1, -1, -1, (int)i);
        sum_i.blocked += get(sc, v, CCS_SCOPE_OVERALL, CCS_KPI_blocked, -1, -1, -1, (int)i);
    }
    sum_i.unfinished = all.unfinished;
    expect_equal_counts(&sum_i, &all, "intervals");
    /*
     * Contacts are counted in the interval they arrived in, whenever they
     * are answered or leave. So each interval's outcomes never exceed its
     * arrivals, and when the run drains every interval balances exactly.
     */
    for (int q = -1; q < (int)nq; q++) {
        enum ccs_scope scope = q < 0 ? CCS_SCOPE_OVERALL : CCS_SCOPE_QUEUE;
        for (uint32_t i = 0; i < ccs_scenario_interval_count(sc); i++) {
            double o = get(sc, v, scope, CCS_KPI_offered, q, -1, -1, (int)i);
            double out = get(sc, v, scope, CCS_KPI_answered, q, -1, -1, (int)i) +
                         get(sc, v, scope, CCS_KPI_abandoned, q, -1, -1, (int)i) +
                         get(sc, v, scope, CCS_KPI_blocked, q, -1, -1, (int)i);
            if (sc->drain ? out != o : out > o)
                fail_msg("queue %d interval %u: offered %g, answered+abandoned+blocked %g", q,
                         i, o, out);
        }
    }
    /*
     * Those who waited: every abandoned or unfinished contact waited, and
     * blocked ones never did.
     */
    double waited = overall(sc, v, CCS_KPI_p_wait) * all.offered;
    assert_true(waited >= all.abandoned + all.unfinished - 1e-6);
    assert_true(waited <= all.offered - all.blocked + 1e-6);
    /*
     * The contact pool holds exactly the contacts still in the system:
     * waiting, or in service (talk or wrap-up). Anything else is a slot that
     * was never given back.
     */
    uint32_t in_service = 0;
    for (uint32_t g = 0; g < view->n_groups; g++)
        in_service += view->groups[g].busy_slots;
    assert_int_equal(sim->live_contacts, still_waiting + in_service);

    /* nothing left anywhere when the run drains */
    bool drain = sc->drain;
    if (drain) {
        assert_true(all.unfinished == 0);
        assert_int_equal(still_waiting, 0);
        for (uint32_t g = 0; g < view->n_groups; g++)
            assert_int_equal(view->groups[g].busy_slots, 0);
    }
    assert_true(all.offered > 0);
    free(v);
    ccs_sim_free(sim);
    return all;
}

static void test_conservation(void **state)
{
    (void)state;
    /* abandonment under overload (10 Erlang on 8 agents), no drain */
    struct ccs_scenario *sc = one_queue("6h", "", "200/h", PATIENT, "", 8);
    struct counts c = check_conservation(sc, 0);
    assert_true(c.abandoned > 100 && c.blocked == 0);
    ccs_scenario_free(sc);

    /* the same with drain: abandonment empties the lines after the horizon */
    sc = one_queue("6h", "drain: true\n", "200/h", PATIENT, "", 8);
    c = check_conservation(sc, 0);
    assert_true(c.abandoned > 100 && c.unfinished == 0);
    ccs_scenario_free(sc);

    /* a finite waiting room: blocked contacts */
    sc = one_queue("6h", "", "200/h", PATIENT, "    max_waiting: 2\n", 8);
    c = check_conservation(sc, 1);
    assert_true(c.blocked > 50);
    ccs_scenario_free(sc);

    /* no patience, overloaded, no drain: many still waiting at the end */
    sc = one_queue("4h", "", "200/h", "none", "", 8);
    c = check_conservation(sc, 2);
    assert_true(c.unfinished > 50 && c.abandoned == 0);
    ccs_scenario_free(sc);

    /* several queues, segments and groups, with and without drain */
    for (int drain = 0; drain < 2; drain++) {
        sc = multi(drain);
        for (uint32_t rep = 0; rep < 3; rep++) {
            c = check_conservation(sc, rep);
            assert_true(c.answered > 1000 && c.abandoned > 0 && c.blocked > 0);
        }
        ccs_scenario_free(sc);
    }
}

/* --- determinism and independence --------------------------------------------- */

static void test_determinism(void **state)
{
    (void)state;
    struct ccs_scenario *sc = multi(false);
    size_t n = ccs_scenario_layout(sc)->n;
    double *a = run_one(sc, 5, 3), *b = run_one(sc, 5, 3);
    /* bitwise, NaNs included */
    assert_memory_equal(a, b, n * sizeof *a);
    double *c = run_one(sc, 5, 4), *d = run_one(sc, 6, 3);
    assert_true(memcmp(a, c, n * sizeof *a) != 0);
    assert_true(memcmp(a, d, n * sizeof *a) != 0);
    /* and not just somewhere: the volumes themselves differ */
    assert_true(overall(sc, a, CCS_KPI_offered) != overall(sc, c, CCS_KPI_offered));
    assert_true(overall(sc, a, CCS_KPI_offered) != overall(sc, d, CCS_KPI_offered));
    free(a);
    free(b);
    free(c);
    free(d);
    ccs_scenario_free(sc);
}

static void test_no_global_state(void **state)
{
    (void)state;
    struct ccs_scenario *s1 = multi(true);
    struct ccs_scenario *s2 = one_queue("6h", "", "200/h", PATIENT, "    max_waiting: 3\n", 8);
    double *alone1 = run_one(s1, 11, 0), *alone2 = run_one(s2, 22, 1);

    /* interleaved one event at a time, created in the opposite order */
    struct ccs_sim *b = new_sim(s2, 22, 1), *a = new_sim(s1, 11, 0);
    int ra = 1, rb = 1;
    long steps = 0;
    while (ra > 0 || rb > 0) {
        if (ra > 0)
            ra = ccs_sim_step(a);
        if (rb > 0)
            rb = ccs_sim_step(b);
        steps++;
    }
    assert_int_equal(ra, 0);
    assert_int_equal(rb, 0);
    assert_true(steps > 1000);
    double *v1 = alloc_values(s1), *v2 = alloc_values(s2);
    ccs_sim_results(a, v1);
    ccs_sim_results(b, v2);
    assert_memory_equal(v1, alone1, ccs_scenario_layout(s1)->n * sizeof *v1);
    assert_memory_equal(v2, alone2, ccs_scenario_layout(s2)->n * sizeof *v2);
    ccs_sim_free(a);
    ccs_sim_free(b);

    /* stepping one event at a time gives the same as running through */
    struct ccs_sim *c = new_sim(s1, 11, 0);
    while (ccs_sim_step(c) > 0)
        ;
    ccs_sim_results(c, v1);
    assert_memory_equal(v1, alone1, ccs_scenario_layout(s1)->n * sizeof *v1);
    ccs_sim_free(c);

    free(v1);
    free(v2);
    free(alone1);
    free(alone2);
    ccs_scenario_free(s1);
    ccs_scenario_free(s2);
}

/* --- bounded memory over a long run -------------------------------------------- */

static void test_bounded_memory(void **state)
{
    (void)state;
    /*
     * 20 contacts/s for 100000 s: about 2 million contacts, 20 Erlang on 25
     * agents (occupancy 0.8), patience 30 s. A leak of one contact slot or
     * event per contact would show as millions; a correct engine holds at
     * most 25 in service plus a short queue (M/M/25+M: P(queue > 150) is
     * astronomically small), and one pending event per contact in the
     * system plus lazily cancelled patience timers (~20/s * 30 s = 600
     * expected, ~1000 at most in practice).
     */
    struct ccs_scenario *sc = load_yaml_string("horizon: 100000s\n"
                                               "interval: 1h\n"
                                               "queues:\n"
                                               "  - id: q\n"
                                               "    arrivals: {rate: 20/s}\n"
                                               "    handle_time: {dist: exponential, mean: 1s}\n"
                                               "    patience: {dist: exponential, mean: 30s}\n"
                                               "groups:\n"
                                               "  - id: g\n"
                                               "    agents: 25\n"
                                               "    skills: [q]\n");
    assert_non_null(sc);
    struct ccs_sim *sim = new_sim(sc, 1, 0);
    const struct ccs_view *v = ccs_sim_view(sim);
    uint32_t max_waiting = 0, max_busy = 0, samples = 0;
    uint64_t busy_sum = 0;
    int rc;
    double t = 0;
    while ((rc = ccs_sim_run_until(sim, t += 50.0)) > 0) {
        /* the view counts contacts in the system */
        uint32_t waiting = v->queues[0].waiting, busy = v->groups[0].busy_slots;
        max_waiting = waiting > max_waiting ? waiting : max_waiting;
        max_busy = busy > max_busy ? busy : max_busy;
        busy_sum += busy;
        samples++;
        /* the line's own count agrees with the queue's */
        assert_int_equal(v->lines[0].count, waiting);
    }
    assert_int_equal(rc, 0);
    assert_true(samples >= 1999);
    double *values = alloc_values(sc);
    ccs_sim_results(sim, values);
    double offered = overall(sc, values, CCS_KPI_offered);
    /* 2e6 expected, sd 1414: 5 sd */
    assert_true(fabs(offered - 2e6) < 5 * sqrt(2e6));
    assert_true(max_busy <= 25 && max_waiting < 150);
    /* the agents were really busy, at about the offered load (so the bound
       on waiting is not vacuous): mean busy ~ 20 * (1 - abandon rate) */
    assert_true((double)busy_sum / samples > 15.0);
    /* the storage behind it: the contact pool and the event heap stayed
       small (engine internals, deliberately checked: "memory grows with the
       number of contacts in the system, not with the number simulated") */
    assert_true(sim->n_contacts_cap <= 1024);
    assert_true(sim->evq.cap <= 4096);
    assert_true(sim->live_contacts <= 25 + 150);
    free(values);
    ccs_sim_free(sim);
    ccs_scenario_free(sc);
}

/* --- a case checkable by hand -------------------------------------------------- */

static void test_hand_checkable(void **state)
{
    (void)state;
    /*
     * One agent, talk exactly 1 s and wrap-up exactly 2 s, about one call an
     * hour for 100 h, no abandonment. A call waits only if it arrives within
     * 3 s of the previous one: probability 3/3600 per call, 0.08 expected
     * over the run, and the seed is fixed; so nobody waits and every KPI is
     * known exactly.
     */
    struct ccs_scenario *sc = load_yaml_string("seed: 3\n"
                                               "horizon: 100h\n"
                                               "interval: 10h\n"
                                               "queues:\n"
                                               "  - id: q\n"
                                               "    arrivals: {rate: 1/h}\n"
                                               "    handle_time: {dist: deterministic, value: 1s}\n"
                                               "    wrap_up: {dist: deterministic, value: 2s}\n"
                                               "    patience: none\n"
                                               "    sla: {target: 80%, within: 20s}\n"
                                               "groups:\n"
                                               "  - id: g\n"
                                               "    agents: 1\n"
                                               "    skills: [q]\n");
    assert_non_null(sc);
    double *v = run_one(sc, ccs_scenario_seed(sc), 0);
    double offered = overall(sc, v, CCS_KPI_offered);
    /* Poisson(100): 5 sd */
    assert_true(offered > 50 && offered < 150);
    assert_true(overall(sc, v, CCS_KPI_answered) == offered);
    assert_true(overall(sc, v, CCS_KPI_abandoned) == 0);
    assert_true(overall(sc, v, CCS_KPI_blocked) == 0);
    assert_true(overall(sc, v, CCS_KPI_p_wait) == 0);
    assert_true(overall(sc, v, CCS_KPI_asa) == 0);
    assert_true(overall(sc, v, CCS_KPI_mean_wait) == 0);
    assert_true(overall(sc, v, CCS_KPI_wait_max) == 0);
    assert_true(overall(sc, v, CCS_KPI_wait_p90) == 0);
    assert_true(overall(sc, v, CCS_KPI_service_level) == 1);
    assert_true(overall(sc, v, CCS_KPI_queue_length) == 0);
    assert_true(isnan(overall(sc, v, CCS_KPI_mean_wait_abandoned)));
    /* talk = (end time) - (start time): exact up to the rounding of event
       times near 3.6e5 s (ulp 6e-11); 1e-9 relative allows for it */
    assert_true(fabs(overall(sc, v, CCS_KPI_talk_time) - 1.0) < 1e-9);
    assert_true(fabs(overall(sc, v, CCS_KPI_wrap_time) - 2.0) < 1e-9);
    assert_true(fabs(overall(sc, v, CCS_KPI_aht) - 3.0) < 1e-9);
    /* occupancy = busy / logged in = offered * 3 s / horizon, except that a
       call in service at the horizon is cut short: at most 3 s less */
    double horizon = ccs_scenario_horizon(sc);
    double occ = overall(sc, v, CCS_KPI_occupancy);
    assert_true(occ * horizon <= offered * 3.0 + 1e-6);
    assert_true(occ * horizon >= offered * 3.0 - 3.0 - 1e-6);
    assert_true(fabs(overall(sc, v, CCS_KPI_agents) - 1.0) < 1e-12);
    assert_true(fabs(get(sc, v, CCS_SCOPE_GROUP, CCS_KPI_occupancy, -1, -1, 0, -1) - occ) < 1e-15);
    /* the group spends all its time on its one queue */
    assert_true(get(sc, v, CCS_SCOPE_GROUP_QUEUE, CCS_KPI_time_share, 0, -1, 0, -1) == 1.0);
    free(v);
    ccs_scenario_free(sc);
}

/* --- exact durations: patience timers and proficiency --------------------------- */

static void test_exact_durations(void **state)
{
    (void)state;
    /*
     * Patience exactly 60 s under heavy overload (20 Erlang on 12 agents):
     * most callers wait, many abandon, and contact slots are reused all the
     * time. A served caller's patience timer stays in the heap (lazy
     * cancellation); if it fired on the slot's next occupant, that caller
     * would leave before 60 s. So: every abandon waited exactly 60 s, and
     * nobody waited longer.
     */
    struct ccs_scenario *sc = one_queue("8h", "", "400/h",
                                        "{dist: deterministic, value: 60s}", "", 12);
    double *v = run_one(sc, 3, 0);
    assert_true(overall(sc, v, CCS_KPI_abandoned) > 500);
    /* waits are differences of event times near 3e4 s: 1e-9 relative */
    assert_true(fabs(overall(sc, v, CCS_KPI_mean_wait_abandoned) - 60.0) < 60e-9);
    assert_true(overall(sc, v, CCS_KPI_wait_max) <= 60.0 + 60e-9);
    assert_true(overall(sc, v, CCS_KPI_asa) < 60.0);
    free(v);
    ccs_scenario_free(sc);

    /* proficiency: a group at level 2 talks for half the drawn work */
    sc = load_yaml_string("horizon: 10h\n"
                          "queues:\n"
                          "  - id: q\n"
                          "    arrivals: {rate: 20/h}\n"
                          "    handle_time: {dist: deterministic, value: 90s}\n"
                          "groups:\n"
                          "  - id: g\n"
                          "    agents: 3\n"
                          "    skills: [{queue: q, level: 2}]\n");
    assert_non_null(sc);
    v = run_one(sc, 1, 0);
    assert_true(overall(sc, v, CCS_KPI_answered) > 100);
    assert_true(fabs(overall(sc, v, CCS_KPI_talk_time) - 45.0) < 45e-9);
    assert_true(fabs(overall(sc, v, CCS_KPI_aht) - 45.0) < 45e-9);
    free(v);
    ccs_scenario_free(sc);
}

/* --- Erlang B: no waiting room ------------------------------------------------- */

static void test_erlang_b(void **state)
{
    (void)state;
    /* 10 Erlang offered to 5 agents with no waiting places */
    struct ccs_scenario *sc = load_yaml_string("seed: 4\n"
                                               "horizon: 2000m\n"
                                               "interval: 100m\n"
                                               "queues:\n"
                                               "  - id: q\n"
                                               "    arrivals: {rate: 10/min}\n"
                                               "    handle_time: {dist: exponential, mean: 1m}\n"
                                               "    max_waiting: 0\n"
                                               "groups:\n"
                                               "  - id: g\n"
                                               "    agents: 5\n"
                                               "    skills: [q]\n");
    assert_non_null(sc);
    struct ccs_sim *sim = new_sim(sc, 4, 0);
    assert_int_equal(ccs_sim_run(sim), 0);
    double *v = alloc_values(sc);
    ccs_sim_results(sim, v);
    /* some 11000 blocked contacts, yet no more than the 5 in service are
       held: the pool never grew past its initial size */
    assert_true(sim->live_contacts <= 5);
    assert_true(sim->n_contacts_cap <= 256);
    ccs_sim_free(sim);
    double offered = overall(sc, v, CCS_KPI_offered), blocked = overall(sc, v, CCS_KPI_blocked);
    assert_true(overall(sc, v, CCS_KPI_p_wait) == 0);
    assert_true(overall(sc, v, CCS_KPI_asa) == 0);
    assert_true(overall(sc, v, CCS_KPI_abandoned) == 0);
    assert_true(overall(sc, v, CCS_KPI_unfinished) == 0);
    assert_true(overall(sc, v, CCS_KPI_answered) + blocked == offered);
    /*
     * Erlang B(5, 10) = 0.5640. Over ~20000 calls the blocking fraction has
     * a standard error under 0.006 even allowing for the correlation
     * between successive calls; 0.03 is 5 of those. A loss system that
     * queued, or blocked whenever all agents were busy at any instant
     * before routing, would be far off.
     */
    double b = overall(sc, v, CCS_KPI_block_rate);
    assert_true(blocked > 0);
    if (fabs(b - 0.5640) > 0.03)
        fail_msg("blocking %g, Erlang B 0.5640", b);
    free(v);
    ccs_scenario_free(sc);
}

/* --- warm-up -------------------------------------------------------------------- */

static void test_warmup(void **state)
{
    (void)state;
    struct ccs_scenario *cold = one_queue("6h", "", "200/h", PATIENT, "", 12);
    struct ccs_scenario *warm = one_queue("6h", "warmup: 2h\n", "200/h", PATIENT, "", 12);
    double *a = run_one(cold, 7, 0), *b = run_one(warm, 7, 0);
    double oa = overall(cold, a, CCS_KPI_offered), ob = overall(warm, b, CCS_KPI_offered);
    assert_true(ob < oa);
    /*
     * Arrivals come from their own random stream, so both runs see the same
     * arrivals: the warm run counts exactly those of hours 2..6, which are
     * the cold run's intervals 2..5 (the warm-up ends on an interval edge).
     */
    double late = 0;
    for (int i = 0; i < 6; i++) {
        double ci = get(cold, a, CCS_SCOPE_OVERALL, CCS_KPI_offered, -1, -1, -1, i);
        double wi = get(warm, b, CCS_SCOPE_OVERALL, CCS_KPI_offered, -1, -1, -1, i);
        if (i < 2)
            assert_true(wi == 0);
        else
            assert_true(wi == ci);
        if (i >= 2)
            late += ci;
    }
    assert_true(ob == late);
    assert_true(ob > 0.5 * oa && ob < 0.8 * oa); /* ~2/3 */
    /* time averages are over the measured span only: ~12 agents, not 8 */
    assert_true(fabs(overall(warm, b, CCS_KPI_agents) - 12.0) < 1e-9);
    free(a);
    free(b);
    ccs_scenario_free(cold);
    ccs_scenario_free(warm);
}

/* --- per-interval keys ------------------------------------------------------------ */

static void test_intervals(void **state)
{
    (void)state;
    struct ccs_scenario *sc = multi(false);
    double *v = run_one(sc, 1, 0);
    uint32_t ni = ccs_scenario_interval_count(sc);
    assert_int_equal(ni, 16); /* 8 h in 30 min */
    size_t nq = ccs_scenario_queue_count(sc);
    for (int q = -1; q < (int)nq; q++) {
        enum ccs_scope scope = q < 0 ? CCS_SCOPE_OVERALL : CCS_SCOPE_QUEUE;
        double sum = 0, sum_ans = 0;
        int nonzero = 0;
        for (uint32_t i = 0; i < ni; i++) {
            double o = get(sc, v, scope, CCS_KPI_offered, q, -1, -1, (int)i);
            sum += o;
            sum_ans += get(sc, v, scope, CCS_KPI_answered, q, -1, -1, (int)i);
            nonzero += o > 0;
        }
        assert_true(sum == get(sc, v, scope, CCS_KPI_offered, q, -1, -1, -1));
        assert_true(sum_ans == get(sc, v, scope, CCS_KPI_answered, q, -1, -1, -1));
        assert_int_equal(nonzero, ni); /* arrivals are spread over all intervals */
    }
    /* group agents per interval: all logged in all the time */
    for (uint32_t i = 0; i < ni; i++)
        assert_true(fabs(get(sc, v, CCS_SCOPE_GROUP, CCS_KPI_agents, -1, -1, 0, (int)i) - 20) <
                    1e-9);
    free(v);
    ccs_scenario_free(sc);
}

/* --- the layout ------------------------------------------------------------------ */

static void test_layout(void **state)
{
    (void)state;
    struct ccs_scenario *sc = multi(false);
    const struct ccs_layout *l = ccs_scenario_layout(sc);
    assert_true(l->n == l->n_whole + l->n_block * l->n_intervals);
    assert_int_equal(l->n_intervals, ccs_scenario_interval_count(sc));
    /* every key is found at its own index */
    for (size_t k = 0; k < l->n; k++) {
        struct ccs_key key = ccs_layout_key(l, k);
        long f = ccs_layout_find(l, (enum ccs_scope)key.scope, (enum ccs_kpi)key.kpi, key.queue,
                                 key.segment, key.group, key.interval);
        if (f != (long)k)
            fail_msg("key %zu found at %ld", k, f);
        assert_true((k < l->n_whole) == (key.interval < 0));
    }
    /* unknown keys */
    assert_int_equal(ccs_layout_find(l, CCS_SCOPE_QUEUE, CCS_KPI_offered, 3, -1, -1, -1), -1);
    assert_int_equal(ccs_layout_find(l, CCS_SCOPE_QUEUE, CCS_KPI_offered, 0, -1, -1, 16), -1);
    assert_int_equal(ccs_layout_find(l, CCS_SCOPE_QUEUE, CCS_KPI_offered, 0, -1, -1, 9999), -1);
    /* a contact KPI has no group scope, a group KPI no queue scope */
    assert_int_equal(ccs_layout_find(l, CCS_SCOPE_GROUP, CCS_KPI_offered, -1, -1, 0, -1), -1);
    assert_int_equal(ccs_layout_find(l, CCS_SCOPE_QUEUE, CCS_KPI_occupancy, 0, -1, -1, -1), -1);
    /* unfinished is not reported per interval */
    assert_int_equal(ccs_layout_find(l, CCS_SCOPE_OVERALL, CCS_KPI_unfinished, -1, -1, -1, 0), -1);
    /* segments only for the queue that has several */
    assert_true(ccs_layout_find(l, CCS_SCOPE_SEGMENT, CCS_KPI_offered, 0, 1, -1, -1) >= 0);
    assert_int_equal(ccs_layout_find(l, CCS_SCOPE_SEGMENT, CCS_KPI_offered, 0, 2, -1, -1), -1);
    assert_int_equal(ccs_layout_find(l, CCS_SCOPE_SEGMENT, CCS_KPI_offered, 1, 0, -1, -1), -1);
    /* group x queue only for skills the group has */
    assert_true(ccs_layout_find(l, CCS_SCOPE_GROUP_QUEUE, CCS_KPI_time_share, 0, -1, 1, -1) >= 0);
    assert_int_equal(ccs_layout_find(l, CCS_SCOPE_GROUP_QUEUE, CCS_KPI_time_share, 2, -1, 1, -1),
                     -1);
    /* known keys: overall first, interval keys after the whole-run ones */
    assert_int_equal(ccs_layout_find(l, CCS_SCOPE_OVERALL, CCS_KPI_offered, -1, -1, -1, -1), 0);
    long k5 = ccs_layout_find(l, CCS_SCOPE_QUEUE, CCS_KPI_asa, 1, -1, -1, 5);
    assert_true(k5 >= (long)l->n_whole);
    struct ccs_key key = ccs_layout_key(l, (size_t)k5);
    assert_int_equal(key.scope, CCS_SCOPE_QUEUE);
    assert_int_equal(key.kpi, CCS_KPI_asa);
    assert_int_equal(key.queue, 1);
    assert_int_equal(key.interval, 5);
    ccs_scenario_free(sc);
}

/* --- ccs_run and the summary ---------------------------------------------------- */

static void test_run_summary(void **state)
{
    (void)state;
    struct ccs_scenario *sc = one_queue("4h", "", "150/h", PATIENT, "", 10);
    struct ccs_run_opts o = ccs_run_opts_default(sc);
    assert_true(o.seed == 7 && o.replications == 10 && o.level == 0.95);
    o.replications = 4;
    struct ccs_summary *s;
    struct ccs_diag d;
    ccs_diag_clear(&d);
    assert_int_equal(ccs_run(sc, &o, &s, &d), 0);
    assert_int_equal(ccs_summary_replications(s), 4);
    assert_ptr_equal(ccs_summary_scenario(s), sc);
    assert_ptr_equal(ccs_summary_layout(s), ccs_scenario_layout(sc));
    const struct ccs_layout *l = ccs_scenario_layout(sc);
    double *r[4];
    for (uint32_t i = 0; i < 4; i++)
        r[i] = run_one(sc, 7, i);
    /* replication i of ccs_run is ccs_sim_new(seed, i) */
    for (size_t k = 0; k < l->n_whole; k++)
        for (uint32_t i = 0; i < 4; i++) {
            double x = ccs_summary_value(s, i, k), y = r[i][k];
            assert_true(x == y || (isnan(x) && isnan(y)));
        }
    /* mean, sd and half-width of the offered volume */
    size_t k = (size_t)ccs_layout_find(l, CCS_SCOPE_OVERALL, CCS_KPI_offered, -1, -1, -1, -1);
    double m = 0, ss = 0;
    for (int i = 0; i < 4; i++)
        m += r[i][k] / 4;
    for (int i = 0; i < 4; i++)
        ss += (r[i][k] - m) * (r[i][k] - m);
    double sd = sqrt(ss / 3);
    assert_true(ccs_summary_n(s, k) == 4);
    assert_true(fabs(ccs_summary_mean(s, k) - m) < 1e-9 * m);
    assert_true(fabs(ccs_summary_sd(s, k) - sd) < 1e-9 * sd);
    /* t_{0.975, 3} = 3.182446 */
    assert_true(fabs(ccs_summary_halfwidth(s, k) - 3.182446 * sd / 2.0) < 1e-5 * sd);
    assert_true(ccs_summary_level(s) == 0.95);
    for (int i = 0; i < 4; i++)
        free(r[i]);
    ccs_summary_free(s);
    ccs_scenario_free(sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_conservation),   cmocka_unit_test(test_determinism),
        cmocka_unit_test(test_no_global_state), cmocka_unit_test(test_bounded_memory),
        cmocka_unit_test(test_hand_checkable), cmocka_unit_test(test_exact_durations),
        cmocka_unit_test(test_erlang_b),
        cmocka_unit_test(test_warmup),         cmocka_unit_test(test_intervals),
        cmocka_unit_test(test_layout),         cmocka_unit_test(test_run_summary),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
