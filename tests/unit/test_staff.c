/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_staff.c - `ccsim staff` as a library: the Erlang C / A numbers per
 * interval agree with the analytic functions and with a textbook value; an
 * interval's load integrates the rate exactly (volumes per step, sinusoid,
 * weekday profile across midnight, a cut last interval, a trace's counts);
 * shrinkage and the split among groups; overrides that replace a group's
 * head count; the YAML fragment pasted back gives the plan; a small
 * refinement reports the numbers of the plan it simulated.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ccs/ccs.h"
#include "support.h"

#include <math.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

/* The Erlang plan of a scenario, with the cap given. */
static struct ccs_staffing *erlang_plan(struct ccs_scenario *sc, double cap)
{
    struct ccs_staff_opts o = ccs_staff_opts_default(sc);
    o.refine = false;
    o.max_occupancy = cap;
    struct ccs_staffing *st = NULL;
    struct ccs_diag d;
    ccs_diag_clear(&d);
    int rc = ccs_staff(sc, &o, &st, &d);
    if (rc != 0)
        fprintf(stderr, "%s\n", d.msg);
    assert_int_equal(rc, 0);
    assert_non_null(st);
    assert_int_equal(st->status, CCS_STAFF_ERLANG);
    return st;
}

static const struct ccs_staff_need *need(const struct ccs_staffing *st, uint32_t i, size_t q)
{
    assert_true(i < st->n_intervals && q < st->n_queues);
    return &st->need[i * st->n_queues + q];
}

/* 100 calls in 30 minutes, AHT 3 minutes, 80% within 20 s: 14 agents (a = 10 Erlangs). */
static void test_textbook_value(void **state)
{
    (void)state;
    struct ccs_scenario *sc =
        load_yaml_string("horizon: 30m\ninterval: 30m\n"
                         "queues:\n"
                         "  - id: q\n    sla: {target: 80%, within: 20s}\n"
                         "    arrivals: {volumes: [100]}\n"
                         "    handle_time: {dist: exponential, mean: 3m}\n"
                         "groups:\n  - {id: g, agents: 1, skills: [q]}\n");
    assert_non_null(sc);
    for (int k = 0; k < 2; k++) {
        struct ccs_staffing *st = erlang_plan(sc, k == 0 ? 1.0 : 0.85);
        const struct ccs_staff_need *n = need(st, 0, 0);
        assert_true(n->applies);
        assert_true(fabs(n->volume - 100) < 1e-9);
        assert_true(fabs(n->aht - 180) < 1e-9);
        assert_int_equal(n->erlang_c, 14);
        assert_int_equal(n->erlang_a, 14); /* no patience: Erlang A is Erlang C */
        assert_int_equal(n->staffed_c, 14);
        assert_true(fabs(n->sl_c - 0.888350) < 5e-7); /* ccsim erlang, 14 agents */
        assert_true(fabs(n->occ_c - 10.0 / 14.0) < 1e-12);
        assert_int_equal(st->initial[0], 14);
        assert_int_equal(st->plan[0], 14);
        ccs_staffing_free(st);
    }
    /* a cap of 70% (10 / 14 = 71%) needs 15 */
    struct ccs_staffing *st = erlang_plan(sc, 0.70);
    assert_int_equal(need(st, 0, 0)->erlang_c, 15);
    ccs_staffing_free(st);
    ccs_scenario_free(sc);
}

/* Every interval's numbers are ccs_staff_erlang's for that interval's rate. */
static void test_against_analytic(void **state)
{
    (void)state;
    static const char *const defs[] = {"offered", "answered"};
    static const double vols[] = {3, 10, 50, 100, 250, 500, 1000, 4000};
    for (int dd = 0; dd < 2; dd++) {
        char yaml[1024];
        snprintf(yaml, sizeof yaml,
                 "horizon: 4h\ninterval: 30m\nservice_level_definition: %s\n"
                 "queues:\n"
                 "  - id: q\n    sla: {target: 85%%, within: 15s}\n"
                 "    arrivals: {volumes: [3, 10, 50, 100, 250, 500, 1000, 4000]}\n"
                 "    handle_time: {dist: gamma, mean: 4m, cv: 0.5}\n"
                 "    wrap_up: {dist: deterministic, value: 30s}\n"
                 "    patience: {dist: exponential, mean: 2m}\n"
                 "groups:\n  - {id: g, agents: 1, skills: [q]}\n",
                 defs[dd]);
        struct ccs_scenario *sc = load_yaml_string(yaml);
        assert_non_null(sc);
        struct ccs_staffing *st = erlang_plan(sc, 0.9);
        for (uint32_t i = 0; i < 8; i++) {
            const struct ccs_staff_need *n = need(st, i, 0);
            double lambda = vols[i] / 1800.0, mu = 1.0 / 270.0;
            int c = 0, a = 0;
            assert_int_equal(ccs_staff_erlang(lambda, mu, 0, 15, 0.85, 0.9, 0, &c), 0);
            assert_int_equal(ccs_staff_erlang(lambda, mu, 1.0 / 120, 15, 0.85, 0.9, dd, &a), 0);
            assert_true(fabs(n->rate - lambda) < 1e-15);
            assert_int_equal(n->erlang_c, c);
            assert_int_equal(n->erlang_a, a);
            assert_true(n->erlang_a <= n->erlang_c);
            /* the SL shown is the model's at that count */
            struct ccs_erlang_model m = {lambda, mu, a, 1.0 / 120, -1, 15};
            struct ccs_erlang_result r;
            assert_int_equal(ccs_erlang_solve(&m, &r), 0);
            assert_true(fabs(n->sl_a - (dd ? r.sl_answered : r.sl_offered)) < 1e-12);
            assert_true(n->sl_a >= 0.85 - 1e-12 && n->occ_a <= 0.9 + 1e-12);
            assert_int_equal(st->initial[i], (uint32_t)a);
        }
        ccs_staffing_free(st);
        ccs_scenario_free(sc);
    }
}

/* The other definitions: the fewest agents found by a plain scan. */
static void test_other_definitions(void **state)
{
    (void)state;
    static const char *const defs[] = {"no_short_abandons", "handled", "all"};
    for (int dd = 0; dd < 3; dd++) {
        char yaml[1024];
        snprintf(yaml, sizeof yaml,
                 "horizon: 1h\ninterval: 30m\nservice_level_definition: %s\n"
                 "queues:\n"
                 "  - id: q\n    sla: {target: 90%%, within: 30s}\n"
                 "    arrivals: {volumes: [120, 900]}\n"
                 "    handle_time: {dist: exponential, mean: 5m}\n"
                 "    patience: {dist: exponential, mean: 1m}\n"
                 "groups:\n  - {id: g, agents: 1, skills: [q]}\n",
                 defs[dd]);
        struct ccs_scenario *sc = load_yaml_string(yaml);
        assert_non_null(sc);
        struct ccs_staffing *st = erlang_plan(sc, 0.95);
        for (uint32_t i = 0; i < 2; i++) {
            double lambda = (i == 0 ? 120 : 900) / 1800.0;
            int want = -1;
            for (int c = 1; c < 10000 && want < 0; c++) {
                struct ccs_erlang_model m = {lambda, 1.0 / 300, c, 1.0 / 60, -1, 30};
                struct ccs_erlang_result r;
                assert_int_equal(ccs_erlang_solve(&m, &r), 0);
                double sl = dd == 0 ? r.sl_no_short_ab : dd == 1 ? r.sl_handled : r.sl_all;
                if (sl >= 0.9 && r.occupancy <= 0.95)
                    want = c;
            }
            assert_int_equal(need(st, i, 0)->erlang_a, want);
        }
        ccs_staffing_free(st);
        ccs_scenario_free(sc);
    }
}

/* Expected contacts per interval: the rate's integral over the interval. */
static void test_interval_load(void **state)
{
    (void)state;
    /* volumes per 15 minutes, reported per 30 */
    struct ccs_scenario *sc =
        load_yaml_string("horizon: 1h\ninterval: 30m\n"
                         "queues:\n"
                         "  - {id: q, arrivals: {volumes: [10, 20, 30, 40], per: 15m},\n"
                         "     handle_time: {dist: exponential, mean: 1m}}\n"
                         "groups:\n  - {id: g, agents: 1, skills: [q]}\n");
    assert_non_null(sc);
    struct ccs_staffing *st = erlang_plan(sc, 1);
    assert_true(fabs(need(st, 0, 0)->volume - 30) < 1e-9);
    assert_true(fabs(need(st, 1, 0)->volume - 70) < 1e-9);
    ccs_staffing_free(st);
    ccs_scenario_free(sc);

    /* 50 + 15 sin(t / 2) per minute (t in minutes): against Simpson's rule */
    sc = load_yaml_string("horizon: 2h\ninterval: 15m\n"
                          "queues:\n"
                          "  - {id: q, arrivals: {rate: 50/min, amplitude: 15/min,\n"
                          "     period: 754s, phase: 30},\n"
                          "     handle_time: {dist: exponential, mean: 1m}}\n"
                          "groups:\n  - {id: g, agents: 60, skills: [q]}\n");
    assert_non_null(sc);
    st = erlang_plan(sc, 1);
    for (uint32_t i = 0; i < 8; i++) {
        double t0 = i * 900.0, h = 900.0 / 2000, sum = 0;
        for (int k = 0; k <= 2000; k++) {
            double t = t0 + k * h;
            double f = (50 + 15 * sin(2 * M_PI * t / 754 + M_PI / 6)) / 60;
            sum += f * (k == 0 || k == 2000 ? 1 : k % 2 ? 4 : 2);
        }
        sum *= h / 3;
        assert_true(fabs(need(st, i, 0)->volume - sum) < 1e-6);
    }
    ccs_staffing_free(st);
    ccs_scenario_free(sc);

    /* a Saturday at 50%: Friday 23:30 to Saturday 00:30 has 30 + 15 calls */
    sc = load_yaml_string("horizon: 2h\ninterval: 1h\nstart_day: fri\nstart_time: 23:30\n"
                          "queues:\n"
                          "  - {id: q, arrivals: {rate: 60/h, weekly: {sat: 50%}},\n"
                          "     handle_time: {dist: exponential, mean: 1m}}\n"
                          "groups:\n  - {id: g, agents: 1, skills: [q]}\n");
    assert_non_null(sc);
    st = erlang_plan(sc, 1);
    assert_true(fabs(need(st, 0, 0)->volume - 45) < 1e-9);
    assert_true(fabs(need(st, 1, 0)->volume - 30) < 1e-9);
    ccs_staffing_free(st);
    ccs_scenario_free(sc);

    /* a last interval cut by the horizon keeps the rate, not the volume */
    sc = load_yaml_string("horizon: 45m\ninterval: 30m\n"
                          "queues:\n"
                          "  - {id: q, arrivals: {rate: 60/h},\n"
                          "     handle_time: {dist: exponential, mean: 1m}}\n"
                          "groups:\n  - {id: g, agents: 1, skills: [q]}\n");
    assert_non_null(sc);
    st = erlang_plan(sc, 1);
    assert_int_equal(st->n_intervals, 2);
    assert_true(fabs(need(st, 1, 0)->volume - 15) < 1e-9);
    assert_true(fabs(need(st, 1, 0)->rate - need(st, 0, 0)->rate) < 1e-15);
    assert_true(fabs(st->agent_hours - need(st, 0, 0)->erlang_c * 0.75) < 1e-9);
    ccs_staffing_free(st);
    ccs_scenario_free(sc);
}

/* A trace counts its records per interval; its own handle and wrap-up times set the AHT. */
static void test_trace_counts(void **state)
{
    (void)state;
    char dir[] = "/tmp/ccs-staff-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[128];
    snprintf(path, sizeof path, "%s/t.csv", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("t,queue,handle\n10,q,100\n20,q,200\n1900,q,\n2000,q,300\n3000,q,\n", f);
    fclose(f);
    snprintf(path, sizeof path, "%s/s.yaml", dir);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs("horizon: 1h\ninterval: 30m\n"
          "trace: {file: t.csv, columns: {time: t, queue: queue, handle: handle}}\n"
          "queues:\n  - {id: q, arrivals: trace, handle_time: {dist: exponential, mean: 1m},\n"
          "     wrap_up: {dist: deterministic, value: 10s}}\n"
          "groups:\n  - {id: g, agents: 1, skills: [q]}\n",
          f);
    fclose(f);
    struct ccs_scenario *sc;
    struct ccs_diag d;
    ccs_diag_clear(&d);
    int rc = ccs_scenario_load(path, NULL, 0, &sc, &d);
    if (rc != 0)
        fprintf(stderr, "%s\n", d.msg);
    assert_int_equal(rc, 0);
    struct ccs_staffing *st = erlang_plan(sc, 1);
    assert_true(need(st, 0, 0)->volume == 2);
    assert_true(need(st, 1, 0)->volume == 3);
    /* per interval, shrunk towards the log's mean 200 with the weight of 10 records */
    assert_true(fabs(need(st, 0, 0)->aht - ((300 + 10 * 200.0) / 12 + 10)) < 1e-9);
    assert_true(fabs(need(st, 1, 0)->aht - ((300 + 10 * 200.0) / 11 + 10)) < 1e-9);
    ccs_staffing_free(st);
    ccs_scenario_free(sc);

    /* a log's after-call work is the records' wrap-up: its mean replaces the queue's */
    snprintf(path, sizeof path, "%s/t.csv", dir);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs("t,queue,talk,hold,acw\n10,q,90,10,20\n20,q,200,0,\n2000,q,280,20,40\n", f);
    fclose(f);
    snprintf(path, sizeof path, "%s/s.yaml", dir);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs("horizon: 1h\ninterval: 30m\n"
          "trace: {file: t.csv, columns: {time: t, queue: queue, talk: talk, hold: hold, "
          "wrap_up: acw}}\n"
          "queues:\n  - {id: q, arrivals: trace, handle_time: {dist: exponential, mean: 1m},\n"
          "     wrap_up: {dist: deterministic, value: 10s}}\n"
          "groups:\n  - {id: g, agents: 1, skills: [q]}\n",
          f);
    fclose(f);
    rc = ccs_scenario_load(path, NULL, 0, &sc, &d);
    if (rc != 0)
        fprintf(stderr, "%s\n", d.msg);
    assert_int_equal(rc, 0);
    st = erlang_plan(sc, 1);
    /* talk: the log's mean 200; after-call work: its mean 30 */
    assert_true(fabs(need(st, 0, 0)->aht - ((300 + 10 * 200.0) / 12 + (20 + 10 * 30.0) / 11)) <
                1e-9);
    assert_true(fabs(need(st, 1, 0)->aht - ((300 + 10 * 200.0) / 11 + (40 + 10 * 30.0) / 11)) <
                1e-9);
    ccs_staffing_free(st);
    ccs_scenario_free(sc);

    /* a busy log: each interval's own mean, barely shrunk (short calls in the
       morning, long ones after): the plan follows the day's handle times */
    snprintf(path, sizeof path, "%s/t.csv", dir);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs("t,queue,talk,hold,acw\n", f); /* no after-call work: the queue's 10 s */
    for (int k = 0; k < 100; k++)
        fprintf(f, "%d,q,50,10,\n%d,q,300,0,\n", 10 + 17 * k, 1810 + 17 * k);
    fclose(f);
    snprintf(path, sizeof path, "%s/s.yaml", dir);
    rc = ccs_scenario_load(path, NULL, 0, &sc, &d);
    if (rc != 0)
        fprintf(stderr, "%s\n", d.msg);
    assert_int_equal(rc, 0);
    st = erlang_plan(sc, 1);
    assert_true(fabs(need(st, 0, 0)->aht - ((6000 + 10 * 180.0) / 110 + 10)) < 1e-9);
    assert_true(fabs(need(st, 1, 0)->aht - ((30000 + 10 * 180.0) / 110 + 10)) < 1e-9);
    assert_true(need(st, 1, 0)->erlang_a > need(st, 0, 0)->erlang_a);
    ccs_staffing_free(st);
    ccs_scenario_free(sc);
    snprintf(path, sizeof path, "%s/t.csv", dir);
    unlink(path);
    snprintf(path, sizeof path, "%s/s.yaml", dir);
    unlink(path);
    rmdir(dir);
}

/*
 * Needs go to the groups that take the queue first, in equal shares; a
 * group with concurrency 2 needs half; a group that takes no queue first
 * starts empty; shrinkage grosses the plan up.
 */
static void test_split_and_shrinkage(void **state)
{
    (void)state;
    struct ccs_scenario *sc = load_yaml_string(
        "horizon: 30m\ninterval: 30m\n"
        "queues:\n"
        "  - {id: a, arrivals: {volumes: [100]}, handle_time: {dist: exponential, mean: 3m}}\n"
        "  - {id: b, channel: chat, arrivals: {volumes: [100]},\n"
        "     handle_time: {dist: exponential, mean: 3m}}\n"
        "  - {id: c, channel: chat, arrivals: {volumes: [100]},\n"
        "     handle_time: {dist: exponential, mean: 3m}}\n"
        "groups:\n"
        "  - {id: g1, agents: 1, skills: [a, b], absenteeism: 20%, cost_per_hour: 10}\n"
        "  - {id: g2, agents: 1, skills: [a], cost_per_hour: 12}\n"
        "  - {id: g3, agents: 1, skills: [b, c], concurrency: 2}\n"
        "  - {id: g4, agents: 1, skills: [{queue: c, delay: 10s}, a]}\n"
        "  - {id: g5, agents: 1, skills: [{queue: c, level: 2}]}\n");
    assert_non_null(sc);
    struct ccs_staffing *st = erlang_plan(sc, 1);
    for (size_t q = 0; q < 3; q++)
        assert_int_equal(need(st, 0, q)->erlang_c, 14);
    /* a: g1 and g2 take it first, 7 each; b: g3 alone, 14 at 2 at once = 7;
       c: g5 alone (g3 takes b first, g4 only after a delay) */
    assert_int_equal(st->initial[0], 7);
    assert_int_equal(st->initial[1], 7);
    assert_int_equal(st->initial[2], 7);
    assert_int_equal(st->initial[3], 0);
    assert_int_equal(st->initial[4], 14);
    /* best group: g1 for a (as good as g2, and cheaper), g5 for c (g3 takes b
       first, g4 has a delay) */
    assert_int_equal(st->primary[0], 0);
    assert_int_equal(st->primary[1], 2);
    assert_int_equal(st->primary[2], 4);
    /* g1 shrinks by its absenteeism: ceil(7 / 0.8) = 9; queue a's best group is g1 */
    assert_true(fabs(st->shrinkage[0] - 0.2) < 1e-12);
    assert_int_equal(st->plan[0], 9);
    assert_int_equal(need(st, 0, 0)->staffed_c, 18); /* ceil(14 / 0.8) */
    assert_int_equal(need(st, 0, 1)->staffed_c, 14);
    assert_true(st->has_cost);
    assert_true(fabs(st->cost - (9 * 0.5 * 10 + 7 * 0.5 * 12)) < 1e-9);
    assert_true(fabs(st->agent_hours - (9 + 7 + 7 + 0 + 14) * 0.5) < 1e-9);
    ccs_staffing_free(st);

    /* --shrinkage for every group: 7 / (1 - 0.3) is 10 exactly, not 11 */
    struct ccs_staff_opts o = ccs_staff_opts_default(sc);
    o.refine = false;
    o.max_occupancy = 1;
    o.shrinkage = 0.3;
    struct ccs_diag d;
    assert_int_equal(ccs_staff(sc, &o, &st, &d), 0);
    assert_int_equal(st->plan[0], 10); /* ceil(7 / 0.7) */
    assert_int_equal(st->plan[3], 0);
    ccs_staffing_free(st);
    ccs_scenario_free(sc);
}

static void test_bad_options(void **state)
{
    (void)state;
    struct ccs_scenario *sc =
        load_yaml_string("queues:\n  - {id: q, arrivals: {rate: 1/min}, handle_time: "
                         "{dist: exponential, mean: 1m}}\n"
                         "groups:\n  - {id: g, agents: 1, skills: [q], absenteeism: 100%}\n");
    assert_non_null(sc);
    struct ccs_staff_opts o = ccs_staff_opts_default(sc);
    struct ccs_staffing *st = NULL;
    struct ccs_diag d;
    ccs_diag_clear(&d);
    assert_int_equal(ccs_staff(sc, &o, &st, &d), CCS_EINVAL);
    assert_null(st);
    assert_non_null(strstr(d.msg, "error: group 'g': absenteeism 100% leaves nobody"));
    o.shrinkage = 1;
    ccs_diag_clear(&d);
    assert_int_equal(ccs_staff(sc, &o, &st, &d), CCS_EINVAL);
    assert_non_null(strstr(d.msg, "shrinkage must lie in [0%, 100%)"));
    o.shrinkage = 0;
    o.max_occupancy = 0;
    ccs_diag_clear(&d);
    assert_int_equal(ccs_staff(sc, &o, &st, &d), CCS_EINVAL);
    assert_non_null(strstr(d.msg, "occupancy cap"));
    ccs_scenario_free(sc);
}

/* Time-average agents per interval of one replication, for a scenario with no calls. */
static void plan_of(const struct ccs_scenario *sc, size_t g, double *out)
{
    struct ccs_sim *sim;
    struct ccs_diag d;
    assert_int_equal(ccs_sim_new(sc, 1, 0, &sim, &d), 0);
    assert_int_equal(ccs_sim_run(sim), 0);
    const struct ccs_layout *l = ccs_scenario_layout(sc);
    double *v = malloc(l->n * sizeof *v);
    ccs_sim_results(sim, v);
    for (uint32_t i = 0; i < ccs_scenario_interval_count(sc); i++) {
        long k = ccs_layout_find(l, CCS_SCOPE_GROUP, CCS_KPI_agents, -1, -1, (int)g, (int)i);
        assert_true(k >= 0);
        out[i] = v[k];
    }
    free(v);
    ccs_sim_free(sim);
}

/* --set groups.G.staffing replaces 'agents' or 'shifts'; the file may still give only one. */
static void test_override_replaces_headcount(void **state)
{
    (void)state;
    struct ccs_scenario *sc = load_yaml_string(
        "horizon: 3h\ninterval: 1h\n"
        "queues:\n  - {id: q, arrivals: none, handle_time: {dist: exponential, mean: 1m}}\n"
        "groups:\n"
        "  - {id: a, agents: 5, skills: [q]}\n"
        "  - {id: b, skills: [q], shifts: [{start: 0:00, length: 8h, agents: 2}]}\n"
        "  - {id: c, skills: [q], staffing: [1, 2, 3]}\n");
    assert_non_null(sc);
    char b1[64], b2[64], b3[64];
    struct ccs_override ov[3];
    struct ccs_diag d;
    assert_int_equal(ccs_override_parse("groups.a.staffing=[3, 0, 4]", "--set", b1, sizeof b1,
                                        &ov[0], &d), 0);
    assert_int_equal(ccs_override_parse("groups.1.staffing=[1, 1, 2]", "--set", b2, sizeof b2,
                                        &ov[1], &d), 0);
    assert_int_equal(ccs_override_parse("groups.c.agents=4", "--set", b3, sizeof b3, &ov[2], &d),
                     0);
    struct ccs_scenario *v;
    ccs_diag_clear(&d);
    int rc = ccs_scenario_derive(sc, ov, 3, &v, &d);
    if (rc != 0)
        fprintf(stderr, "%s\n", d.msg);
    assert_int_equal(rc, 0);
    double x[3];
    plan_of(v, 0, x);
    assert_true(x[0] == 3 && x[1] == 0 && x[2] == 4);
    plan_of(v, 1, x);
    assert_true(x[0] == 1 && x[1] == 1 && x[2] == 2);
    plan_of(v, 2, x);
    assert_true(x[0] == 4 && x[1] == 4 && x[2] == 4);
    ccs_scenario_free(v);
    ccs_scenario_free(sc);
    assert_string_equal(load_error("queues:\n  - {id: q, arrivals: none, handle_time: "
                                   "{dist: exponential, mean: 1m}}\n"
                                   "groups:\n  - {id: a, agents: 5, staffing: [1], skills: [q]}\n"),
                        "4:5: error: group 'a' needs exactly one of 'agents' (a constant head "
                        "count), 'staffing' (agents per interval) or 'shifts'");
}

#define PASTE_BASE                                                                         \
    "horizon: 2h\ninterval: 30m\nstart_time: 08:00\n"                                      \
    "queues:\n"                                                                            \
    "  - {id: s, arrivals: {volumes: [40, 80, 120, 60]}, handle_time: {dist: exponential, " \
    "mean: 3m}, patience: {dist: exponential, mean: 2m}}\n"                                \
    "  - {id: t, arrivals: {volumes: [200, 10, 0, 90]}, handle_time: {dist: exponential, " \
    "mean: 4m}}\n"

/* The fragment pasted over 'groups:' gives the plan, and keeps the rest of each group. */
static void test_fragment_roundtrip(void **state)
{
    (void)state;
    struct ccs_scenario *sc =
        load_yaml_string(PASTE_BASE
                         "groups:\n"
                         "  - id: sales\n    agents: 3\n    skills: [s, {queue: t, level: 1.5}]\n"
                         "    cost_per_hour: 30   # comment\n"
                         "  - {id: 'yes', skills: [t], shifts: [{start: 8:00, length: 8h, "
                         "agents: 3}], absenteeism: 20%}\n");
    assert_non_null(sc);
    struct ccs_staffing *st = erlang_plan(sc, 0.85);
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_int_equal(ccs_staff_write_yaml(f, st), 0);
    fclose(f);
    /* ids that would read as other types stay quoted */
    assert_non_null(strstr(text, "  - id: 'yes'\n"));
    assert_non_null(strstr(text, "    cost_per_hour: 30\n"));
    assert_null(strstr(text, "agents:"));
    assert_null(strstr(text, "shifts"));
    size_t n = strlen(PASTE_BASE) + len + 1;
    char *yaml = malloc(n);
    snprintf(yaml, n, "%s%s", PASTE_BASE, text);
    struct ccs_scenario *pasted = load_yaml_string(yaml);
    if (pasted == NULL)
        fprintf(stderr, "%s", yaml);
    assert_non_null(pasted);
    /* the same groups; run without calls, each interval has the plan's agents */
    struct ccs_override ov[3];
    char b1[64], b2[64], b3[64];
    struct ccs_diag d;
    assert_int_equal(ccs_override_parse("queues.s.arrivals=none", "t", b1, sizeof b1, &ov[0], &d),
                     0);
    assert_int_equal(ccs_override_parse("queues.t.arrivals=none", "t", b2, sizeof b2, &ov[1], &d),
                     0);
    assert_int_equal(ccs_override_parse("groups.yes.absenteeism=0", "t", b3, sizeof b3, &ov[2], &d),
                     0);
    struct ccs_scenario *quiet;
    assert_int_equal(ccs_scenario_derive(pasted, ov, 3, &quiet, &d), 0);
    bool nonzero = false;
    for (size_t g = 0; g < 2; g++) {
        double x[4];
        plan_of(quiet, g, x);
        for (uint32_t i = 0; i < 4; i++) {
            assert_true(x[i] == st->plan[g * 4 + i]);
            nonzero = nonzero || x[i] > 0;
        }
    }
    assert_true(nonzero);
    /* and ccs_staff_derive (the overrides route) gives the same plan */
    struct ccs_scenario *derived;
    assert_int_equal(ccs_staff_derive(st, false, &derived, &d), 0);
    const char *ids[] = {"sales", "yes"};
    for (size_t g = 0; g < 2; g++)
        assert_string_equal(ccs_scenario_group_id(derived, g), ids[g]);
    ccs_scenario_free(derived);
    ccs_scenario_free(quiet);
    ccs_scenario_free(pasted);
    free(yaml);
    free(text);
    ccs_staffing_free(st);
    ccs_scenario_free(sc);
}

/*
 * A small two-skill refinement: it ends, every interval meets target in its
 * own simulation, and that simulation is of the net plan it reports (a rerun
 * with the same seed gives the same numbers).
 */
static void test_small_refinement(void **state)
{
    (void)state;
    struct ccs_scenario *sc = load_yaml_string(
        "horizon: 2h\ninterval: 30m\ndrain: true\nseed: 5\n"
        "queues:\n"
        "  - {id: s, sla: {target: 80%, within: 20s}, arrivals: {volumes: [40, 80, 120, 60]},\n"
        "     handle_time: {dist: exponential, mean: 3m},\n"
        "     patience: {dist: exponential, mean: 2m}}\n"
        "  - {id: t, sla: {target: 70%, within: 60s}, arrivals: {volumes: [100, 60, 30, 90]},\n"
        "     handle_time: {dist: exponential, mean: 4m},\n"
        "     patience: {dist: exponential, mean: 3m}}\n"
        "groups:\n"
        "  - {id: a, agents: 10, skills: [s, t], cost_per_hour: 30}\n"
        "  - {id: b, agents: 10, skills: [t], cost_per_hour: 20}\n");
    assert_non_null(sc);
    struct ccs_staff_opts o = ccs_staff_opts_default(sc);
    o.replications = 4;
    struct ccs_staffing *st;
    struct ccs_diag d;
    ccs_diag_clear(&d);
    int rc = ccs_staff(sc, &o, &st, &d);
    if (rc != 0)
        fprintf(stderr, "%s\n", d.msg);
    assert_int_equal(rc, 0);
    assert_true(st->simulated);
    assert_int_equal(st->status, CCS_STAFF_CONVERGED);
    assert_true(st->rounds >= 1 && st->rounds <= o.max_rounds);
    for (uint32_t i = 0; i < 4; i++)
        for (size_t q = 0; q < 2; q++) {
            double target, within;
            ccs_scenario_queue_sla(sc, q, &target, &within);
            assert_true(st->sl[i * 2 + q] >= target);
        }
    for (size_t k = 0; k < 8; k++)
        assert_int_equal(st->plan[k], st->net[k]); /* no absenteeism: no shrinkage */
    struct ccs_scenario *v;
    assert_int_equal(ccs_staff_derive(st, true, &v, &d), 0);
    struct ccs_run_opts ro = ccs_run_opts_default(v);
    ro.seed = o.seed;
    ro.replications = 4;
    struct ccs_summary *sum;
    assert_int_equal(ccs_run(v, &ro, &sum, &d), 0);
    for (uint32_t i = 0; i < 4; i++)
        for (size_t q = 0; q < 2; q++) {
            long k = ccs_layout_find(ccs_summary_layout(sum), CCS_SCOPE_QUEUE,
                                     CCS_KPI_service_level, (int)q, -1, -1, (int)i);
            assert_true(ccs_summary_mean(sum, (size_t)k) == st->sl[i * 2 + q]);
        }
    ccs_summary_free(sum);
    ccs_scenario_free(v);
    ccs_staffing_free(st);
    ccs_scenario_free(sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_textbook_value),
        cmocka_unit_test(test_against_analytic),
        cmocka_unit_test(test_other_definitions),
        cmocka_unit_test(test_interval_load),
        cmocka_unit_test(test_trace_counts),
        cmocka_unit_test(test_split_and_shrinkage),
        cmocka_unit_test(test_bad_options),
        cmocka_unit_test(test_override_replaces_headcount),
        cmocka_unit_test(test_fragment_roundtrip),
        cmocka_unit_test(test_small_refinement),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
