/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_live.c - changes to a running simulation (ccs/live.h): no change
 * plays exactly the plain run; agents added mid-day raise the service level
 * against the same day without them (common random numbers) and keep the
 * contact balance; removing agents, switching the policy and scaling the
 * arrivals keep the engine's invariants (checks on); the same changes at
 * the same times give the same day; bad arguments change nothing.
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

#define HOUR 3600.0

/* A shipped scenario, its horizon cut to `horizon` if not NULL. */
static struct ccs_scenario *load_file_cut(const char *rel, const char *horizon)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", CCS_SOURCE_DIR, rel);
    struct ccs_scenario *sc = NULL;
    struct ccs_diag d;
    ccs_diag_clear(&d);
    struct ccs_override ov = {"horizon", horizon, "test", 1, 1};
    if (ccs_scenario_load(path, horizon ? &ov : NULL, horizon ? 1 : 0, &sc, &d) != 0)
        fail_msg("%s", d.msg);
    return sc;
}

static struct ccs_scenario *load_file(const char *rel)
{
    return load_file_cut(rel, NULL);
}

static struct ccs_sim *new_sim(const struct ccs_scenario *sc, uint64_t seed)
{
    struct ccs_sim *sim = NULL;
    struct ccs_diag d;
    ccs_diag_clear(&d);
    if (ccs_sim_new(sc, seed, 0, &sim, &d) != 0)
        fail_msg("%s", d.msg);
    ccs_sim_set_checks(sim, true);
    return sim;
}

static void assert_balanced(const struct ccs_sim *sim)
{
    struct ccs_sim_balance b;
    ccs_sim_balance(sim, &b);
    assert_true(b.arrivals > 0);
    assert_int_equal(b.arrivals + b.redials + b.repeats + b.transfers + b.records,
                     b.answered + b.abandoned + b.blocked + b.failed + b.pending);
}

static void finish(struct ccs_sim *sim)
{
    int rc = ccs_sim_run(sim);
    if (rc != 0)
        fail_msg("run failed: %s", ccs_sim_fault(sim) ? ccs_sim_fault(sim) : ccs_strerror(rc));
    assert_balanced(sim);
}

/* The run's metrics (malloc'd, layout order). */
static double *results(const struct ccs_scenario *sc, struct ccs_sim *sim, size_t *n)
{
    *n = ccs_scenario_layout(sc)->n;
    double *v = malloc(*n * sizeof *v);
    assert_non_null(v);
    ccs_sim_results(sim, v);
    return v;
}

/* Bit for bit, NaN equal to NaN. */
static void assert_same_results(const double *a, const double *b, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (memcmp(&a[i], &b[i], sizeof a[i]) != 0 && !(isnan(a[i]) && isnan(b[i])))
            fail_msg("metric %zu differs: %.17g vs %.17g", i, a[i], b[i]);
}

static double kpi(const struct ccs_scenario *sc, const double *v, enum ccs_kpi k, int queue)
{
    long i = ccs_layout_find(ccs_scenario_layout(sc), queue < 0 ? CCS_SCOPE_OVERALL
                                                                : CCS_SCOPE_QUEUE,
                             k, queue, -1, -1, -1);
    assert_true(i >= 0);
    return v[i];
}

static uint32_t group_index(const struct ccs_scenario *sc, const char *id)
{
    for (size_t g = 0; g < ccs_scenario_group_count(sc); g++)
        if (strcmp(ccs_scenario_group_id(sc, g), id) == 0)
            return (uint32_t)g;
    fail_msg("no group %s", id);
    return 0;
}

/* A run driven in small steps and looked at between them, with a change that
   changes nothing (the head count it already has), is the plain run. */
static void test_no_change_is_the_plain_run(void **state)
{
    (void)state;
    struct ccs_scenario *sc = load_file("scenarios/default.yaml");
    struct ccs_sim *plain = new_sim(sc, 2026), *live = new_sim(sc, 2026);
    finish(plain);
    uint32_t g = group_index(sc, "sales_team");
    for (double t = 0; ccs_sim_run_until(live, t) > 0; t += 37.0) {
        assert_true(ccs_live_agents(live, g) <= 17);
        if (t == 37.0 * 100)
            assert_int_equal(ccs_live_set_agents(live, t, g, 17), 0);
    }
    finish(live);
    size_t n;
    double *a = results(sc, plain, &n), *b = results(sc, live, &n);
    assert_same_results(a, b, n);
    assert_string_equal(ccs_live_policy(live)->name, "acd");
    assert_true(ccs_live_arrival_scale(live, 0) == 1.0);
    free(a);
    free(b);
    ccs_sim_free(plain);
    ccs_sim_free(live);
    ccs_scenario_free(sc);
}

/* An understaffed support team gets 8 more agents at 2h: the day's service
   level of support rises against the same day without them (the same
   callers, common random numbers), the balance holds, the new agents exist. */
static void test_adding_agents_raises_the_service_level(void **state)
{
    (void)state;
    static const char yaml[] =
        "name: short\nseed: 5\nhorizon: 6h\ndrain: true\n"
        "queues:\n"
        "  - id: support\n"
        "    sla: {target: 80%, within: 30s}\n"
        "    arrivals: {rate: 220/h}\n"
        "    handle_time: {dist: exponential, mean: 6m}\n"
        "    patience: {dist: exponential, mean: 5m}\n"
        "groups:\n"
        "  - {id: support_team, agents: 20, skills: [support]}\n";
    struct ccs_scenario *sc = load_yaml_string(yaml);
    assert_non_null(sc);
    for (uint64_t seed = 1; seed <= 3; seed++) {
        struct ccs_sim *base = new_sim(sc, seed), *more = new_sim(sc, seed);
        assert_int_equal(ccs_live_set_agents(more, 2 * HOUR, 0, 28), 0);
        assert_true(ccs_sim_now(more) == 2 * HOUR);
        assert_int_equal(ccs_live_agents(more, 0), 28);
        assert_int_equal(ccs_sim_view(more)->n_agents, 28);
        assert_int_equal(ccs_sim_view(more)->groups[0].n_present, 28);
        finish(base);
        finish(more);
        size_t n;
        double *a = results(sc, base, &n), *b = results(sc, more, &n);
        double sl_a = kpi(sc, a, CCS_KPI_service_level, 0);
        double sl_b = kpi(sc, b, CCS_KPI_service_level, 0);
        if (!(sl_b > sl_a + 0.1))
            fail_msg("seed %llu: service level %.3f with 8 more agents, %.3f without",
                     (unsigned long long)seed, sl_b, sl_a);
        /* the same callers: common random numbers */
        assert_true(kpi(sc, a, CCS_KPI_offered, 0) == kpi(sc, b, CCS_KPI_offered, 0));
        free(a);
        free(b);
        ccs_sim_free(base);
        ccs_sim_free(more);
    }
    ccs_scenario_free(sc);
}

/* Agents go down (the busy ones finish their calls first) and up again,
   repeatedly, under checks; the same sequence twice is the same day. */
static void run_changes(const struct ccs_scenario *sc, double **out, size_t *n)
{
    struct ccs_sim *sim = new_sim(sc, 99);
    uint32_t g = group_index(sc, "support_team");
    assert_int_equal(ccs_live_set_agents(sim, 1 * HOUR, g, 10), 0);
    assert_int_equal(ccs_live_agents(sim, g), 10);
    const struct ccs_group *G = &ccs_sim_view(sim)->groups[g];
    assert_true(G->n_present + G->n_break >= 10); /* busy ones are still there */
    assert_int_equal(ccs_live_set_agents(sim, 2 * HOUR, g, 40), 0);
    assert_int_equal(ccs_live_set_agents(sim, 2.5 * HOUR, g, 0), 0);
    assert_int_equal(ccs_live_set_agents(sim, 3 * HOUR, g, 31), 0);
    assert_int_equal(ccs_live_agents(sim, g), 31);
    finish(sim);
    *out = results(sc, sim, n);
    ccs_sim_free(sim);
}

static void test_removing_and_adding_is_deterministic(void **state)
{
    (void)state;
    struct ccs_scenario *sc = load_file("scenarios/default.yaml");
    double *a, *b;
    size_t n;
    run_changes(sc, &a, &n);
    run_changes(sc, &b, &n);
    assert_same_results(a, b, n);
    free(a);
    free(b);
    ccs_scenario_free(sc);
}

/* Shifts with breaks, a plan and absences: holding such groups mid-day
   (breaks waiting for a contact dropped, breaks in progress ending) keeps
   every invariant. */
static void test_holding_shifts_and_plans(void **state)
{
    (void)state;
    static const char yaml[] =
        "name: shifts\nseed: 3\nhorizon: 10h\ndrain: true\n"
        "queues:\n"
        "  - id: voice\n"
        "    sla: {target: 80%, within: 20s}\n"
        "    arrivals: {rate: 120/h}\n"
        "    handle_time: {dist: exponential, mean: 5m}\n"
        "    wrap_up: {dist: deterministic, value: 30s}\n"
        "    patience: {dist: exponential, mean: 2m}\n"
        "  - id: chat\n"
        "    channel: chat\n"
        "    sla: {target: 80%, within: 1m}\n"
        "    arrivals: {rate: 60/h}\n"
        "    handle_time: {dist: exponential, mean: 8m}\n"
        "groups:\n"
        "  - id: early\n"
        "    skills: [voice]\n"
        "    absenteeism: 10%\n"
        "    shifts:\n"
        "      - start: 00:00\n"
        "        length: 6h\n"
        "        agents: 8\n"
        "        breaks: [{window: [1h, 3h], length: 15m}]\n"
        "  - id: planned\n"
        "    skills: [chat]\n"
        "    concurrency: 2\n"
        "    staffing: {agents: [2, 4, 6, 6, 4, 2, 2, 4, 6, 6], per: 1h}\n";
    struct ccs_scenario *sc = load_yaml_string(yaml);
    assert_non_null(sc);
    for (double t = 0.5 * HOUR; t < 10 * HOUR; t += 1.75 * HOUR) {
        struct ccs_sim *sim = new_sim(sc, 17);
        assert_int_equal(ccs_live_set_agents(sim, t, 0, 3), 0);
        assert_int_equal(ccs_live_set_agents(sim, t + 600, 1, 9), 0);
        assert_int_equal(ccs_live_agents(sim, 1), 9);
        assert_int_equal(ccs_live_set_agents(sim, t + 1200, 0, 12), 0);
        assert_int_equal(ccs_live_agents(sim, 0), 12);
        finish(sim);
        ccs_sim_free(sim);
    }
    /* at 0: after the run's start */
    struct ccs_sim *sim = new_sim(sc, 17);
    assert_int_equal(ccs_live_set_agents(sim, 0, 1, 1), 0);
    assert_int_equal(ccs_live_agents(sim, 1), 1);
    finish(sim);
    ccs_sim_free(sim);
    ccs_scenario_free(sc);
}

/* Policies switched mid-day, under checks (work conservation included),
   on a multi-skill center with overflow delays. */
static void test_policy_switch(void **state)
{
    (void)state;
    struct ccs_scenario *sc = load_file_cut("scenarios/multiskill.yaml", "5h");
    const char *order[] = {"skills", "oldest-first", "predictive-sla", "blended", "acd"};
    double *first = NULL;
    for (int rep = 0; rep < 2; rep++) {
        struct ccs_sim *sim = new_sim(sc, 7);
        struct ccs_diag d;
        ccs_diag_clear(&d);
        double t = 0.7 * HOUR;
        for (size_t i = 0; i < sizeof order / sizeof order[0]; i++, t += 0.9 * HOUR) {
            const struct ccs_policy_ops *ops = ccs_policy_find(order[i]);
            assert_non_null(ops);
            if (ccs_live_set_policy(sim, t, ops, &d) != 0)
                fail_msg("switch to %s: %s", order[i], d.msg);
            assert_ptr_equal(ccs_live_policy(sim), ops);
        }
        finish(sim);
        size_t n;
        double *v = results(sc, sim, &n);
        if (first == NULL)
            first = v;
        else {
            assert_same_results(first, v, n);
            free(v);
        }
        ccs_sim_free(sim);
    }
    free(first);
    ccs_scenario_free(sc);
}

/* Twice the callers from 2h on: more arrivals, balance kept; back to 1. */
static void test_scale_arrivals(void **state)
{
    (void)state;
    struct ccs_scenario *sc = load_file("scenarios/default.yaml");
    struct ccs_sim *base = new_sim(sc, 1), *surge = new_sim(sc, 1);
    assert_int_equal(ccs_live_scale_arrivals(surge, 2 * HOUR, CCS_NONE, 2.0), 0);
    assert_true(ccs_live_arrival_scale(surge, 1) == 2.0);
    assert_int_equal(ccs_live_scale_arrivals(surge, 5 * HOUR, 0, 1.0), 0);
    assert_true(ccs_live_arrival_scale(surge, 0) == 1.0);
    finish(base);
    finish(surge);
    struct ccs_sim_balance a, b;
    ccs_sim_balance(base, &a);
    ccs_sim_balance(surge, &b);
    /* expected: 2960 without; 2960 + 6h x 220 + 3h x 150 = 4730 with */
    if (!(b.arrivals > a.arrivals + 1300 && b.arrivals < a.arrivals + 2200))
        fail_msg("arrivals %llu with the surge, %llu without", (unsigned long long)b.arrivals,
                 (unsigned long long)a.arrivals);
    ccs_sim_free(base);
    ccs_sim_free(surge);

    /* no callers at all from 1h on */
    struct ccs_sim *none = new_sim(sc, 1);
    assert_int_equal(ccs_live_scale_arrivals(none, 1 * HOUR, CCS_NONE, 0.0), 0);
    finish(none);
    ccs_sim_balance(none, &b);
    if (!(b.arrivals < 450))
        fail_msg("%llu arrivals, want about 370", (unsigned long long)b.arrivals);
    ccs_sim_free(none);
    ccs_scenario_free(sc);
}

static void test_bad_arguments_change_nothing(void **state)
{
    (void)state;
    struct ccs_scenario *sc = load_file("scenarios/default.yaml");
    struct ccs_sim *sim = new_sim(sc, 3);
    struct ccs_diag d;
    ccs_diag_clear(&d);
    assert_int_equal(ccs_live_set_agents(sim, HOUR, 2, 5), CCS_EINVAL);
    assert_int_equal(ccs_live_set_agents(sim, HOUR, 0, CCS_LIVE_MAX_AGENTS + 1), CCS_EINVAL);
    assert_int_equal(ccs_live_scale_arrivals(sim, HOUR, 0, -1), CCS_EINVAL);
    assert_int_equal(ccs_live_scale_arrivals(sim, HOUR, 0, NAN), CCS_EINVAL);
    assert_int_equal(ccs_live_scale_arrivals(sim, HOUR, 0, 101), CCS_EINVAL);
    assert_int_equal(ccs_live_scale_arrivals(sim, HOUR, 9, 2), CCS_EINVAL);
    assert_int_equal(ccs_live_set_policy(sim, HOUR, NULL, &d), CCS_EINVAL);
    assert_true(ccs_sim_now(sim) == 0); /* nothing ran */
    assert_int_equal(ccs_live_set_agents(sim, HOUR, 0, 17), 0);
    assert_int_equal(ccs_live_set_agents(sim, HOUR - 1, 0, 17), CCS_EINVAL);
    assert_int_equal(ccs_live_set_agents(sim, NAN, 0, 17), CCS_EINVAL);
    finish(sim);
    assert_int_equal(ccs_live_set_agents(sim, 30 * HOUR, 0, 17), CCS_ESTATE);
    assert_int_equal(ccs_live_scale_arrivals(sim, 30 * HOUR, 0, 1), CCS_ESTATE);
    ccs_sim_free(sim);
    ccs_scenario_free(sc);

    /* a replayed trace cannot be scaled */
    sc = load_file("scenarios/bank-replay.yaml");
    sim = new_sim(sc, 3);
    assert_int_equal(ccs_live_scale_arrivals(sim, 60, 0, 2), CCS_EUNSUPPORTED);
    ccs_sim_free(sim);
    ccs_scenario_free(sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_change_is_the_plain_run),
        cmocka_unit_test(test_adding_agents_raises_the_service_level),
        cmocka_unit_test(test_removing_and_adding_is_deterministic),
        cmocka_unit_test(test_holding_shifts_and_plans),
        cmocka_unit_test(test_policy_switch),
        cmocka_unit_test(test_scale_arrivals),
        cmocka_unit_test(test_bad_arguments_change_nothing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
