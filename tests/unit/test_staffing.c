/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_staffing.c - who is logged in when: plans give exact head counts per
 * interval, shifts and breaks take agents away for exactly their length, a
 * break or a shift end that finds the agent busy waits for the contact (the
 * break slides, the extra time is overtime), absences follow their
 * probability and are the same in every variant.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ccs/ccs.h"
#include "support.h"

#include <math.h>

static double kpi(const struct ccs_scenario *sc, const double *v, enum ccs_scope scope,
                  enum ccs_kpi k, int g, int interval)
{
    long key = ccs_layout_find(ccs_scenario_layout(sc), scope, k, -1, -1, g, interval);
    assert_true(key >= 0);
    return v[key];
}

static double *run_once(struct ccs_scenario *sc, struct ccs_sim **keep)
{
    struct ccs_sim *sim;
    struct ccs_diag d;
    assert_int_equal(ccs_sim_new(sc, 1, 0, &sim, &d), 0);
    ccs_sim_set_checks(sim, true);
    int rc = ccs_sim_run(sim);
    if (rc != 0)
        fprintf(stderr, "%s\n", ccs_sim_fault(sim));
    assert_int_equal(rc, 0);
    double *v = malloc(ccs_scenario_layout(sc)->n * sizeof *v);
    ccs_sim_results(sim, v);
    if (keep != NULL)
        *keep = sim;
    else
        ccs_sim_free(sim);
    return v;
}

#define NO_CALLS                                                                          \
    "queues:\n  - {id: q, arrivals: none, handle_time: {dist: exponential, mean: 1m}}\n"

static void test_plan(void **state)
{
    (void)state;
    struct ccs_scenario *sc = load_yaml_string("horizon: 3h\ninterval: 1h\n" NO_CALLS
                                               "groups:\n"
                                               "  - {id: g, skills: [q], staffing: [2, 4, 0]}\n");
    assert_non_null(sc);
    double *v = run_once(sc, NULL);
    assert_true(kpi(sc, v, CCS_SCOPE_GROUP, CCS_KPI_agents, 0, 0) == 2);
    assert_true(kpi(sc, v, CCS_SCOPE_GROUP, CCS_KPI_agents, 0, 1) == 4);
    assert_true(kpi(sc, v, CCS_SCOPE_GROUP, CCS_KPI_agents, 0, 2) == 0);
    assert_true(fabs(kpi(sc, v, CCS_SCOPE_GROUP, CCS_KPI_agents, 0, -1) - 2.0) < 1e-12);
    free(v);
    ccs_scenario_free(sc);
}

static void test_shift_and_breaks(void **state)
{
    (void)state;
    /* one agent 08:00-12:00, a 15-minute break one hour in; t = 0 is 08:00 */
    struct ccs_scenario *sc =
        load_yaml_string("horizon: 4h\ninterval: 1h\nstart_time: 08:00\n" NO_CALLS
                         "groups:\n"
                         "  - id: g\n    skills: [q]\n    cost_per_hour: 20\n"
                         "    shifts: [{start: 08:00, length: 4h, agents: 1,\n"
                         "              breaks: [{after: 1h, length: 15m}]}]\n");
    assert_non_null(sc);
    double *v = run_once(sc, NULL);
    assert_true(kpi(sc, v, CCS_SCOPE_GROUP, CCS_KPI_agents, 0, 0) == 1);
    assert_true(fabs(kpi(sc, v, CCS_SCOPE_GROUP, CCS_KPI_agents, 0, 1) - 0.75) < 1e-12);
    assert_true(kpi(sc, v, CCS_SCOPE_GROUP, CCS_KPI_agents, 0, 2) == 1);
    /* paid time includes the break: 4 h x 20 */
    assert_true(fabs(kpi(sc, v, CCS_SCOPE_GROUP, CCS_KPI_cost, 0, -1) - 80.0) < 1e-9);
    free(v);
    ccs_scenario_free(sc);

    /* a shift that started before t = 0 is joined at 0; one that ends after
       the horizon stays; a shift on other days is not worked */
    sc = load_yaml_string("horizon: 2h\ninterval: 1h\nstart_time: 09:00\nstart_day: sat\n" NO_CALLS
                          "groups:\n  - id: g\n    skills: [q]\n    shifts:\n"
                          "      - {start: 08:00, length: 2h, agents: 3}\n"
                          "      - {start: 09:30, length: 8h, agents: 2}\n"
                          "      - {start: 09:00, length: 8h, agents: 5, days: [mon, tue]}\n");
    assert_non_null(sc);
    v = run_once(sc, NULL);
    assert_true(fabs(kpi(sc, v, CCS_SCOPE_GROUP, CCS_KPI_agents, 0, 0) - 4.0) < 1e-12);
    assert_true(fabs(kpi(sc, v, CCS_SCOPE_GROUP, CCS_KPI_agents, 0, 1) - 2.0) < 1e-12);
    free(v);
    ccs_scenario_free(sc);
}

/* Agents of a shift take a break given as a rule one after another. */
static void test_staggered_breaks(void **state)
{
    (void)state;
    static const struct {
        const char *brk;
        double present[2]; /* agents present, intervals 0 and 1 */
    } cases[] = {
        /* over 1 h centred on 1 h: starts at 37.5, 52.5, 67.5, 82.5 min */
        {"{after: 1h, length: 15m}", {4 - 22.5 / 60, 4 - 37.5 / 60}},
        /* stagger 0: the old rule, all four at once */
        {"{after: 1h, stagger: 0, length: 15m}", {4, 3}},
        /* a roster's fixed clock time: all four at 09:15 */
        {"{at: '09:15', length: 15m}", {4, 3}},
        /* a window: 67.5, 82.5, 97.5, 112.5 min */
        {"{window: [1h, 2h], length: 15m}", {4, 4 - 52.5 / 60}},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char yaml[512];
        snprintf(yaml, sizeof yaml,
                 "horizon: 4h\ninterval: 1h\nstart_time: 08:00\n" NO_CALLS "groups:\n"
                 "  - {id: g, skills: [q], shifts: [{start: 08:00, length: 4h, agents: 4, "
                 "breaks: [%s]}]}\n",
                 cases[i].brk);
        struct ccs_scenario *sc = load_yaml_string(yaml);
        assert_non_null(sc);
        double *v = run_once(sc, NULL);
        for (int k = 0; k < 2; k++) {
            double got = kpi(sc, v, CCS_SCOPE_GROUP, CCS_KPI_agents, 0, k);
            if (fabs(got - cases[i].present[k]) > 1e-9)
                fprintf(stderr, "case %zu interval %d: %.6f agents, want %.6f\n", i, k, got,
                        cases[i].present[k]);
            assert_true(fabs(got - cases[i].present[k]) < 1e-9);
        }
        free(v);
        ccs_scenario_free(sc);
    }
}

struct agent_log {
    double t[64];
    char what[64][64];
    int n;
};

static void on_trace(void *ctx, const struct ccs_trace_event *e)
{
    struct agent_log *l = ctx;
    if (e->kind == CCS_TR_AGENT && l->n < 64) {
        l->t[l->n] = e->t;
        snprintf(l->what[l->n], sizeof l->what[0], "%s", e->reason);
        l->n++;
    }
}

static int find(const struct agent_log *l, const char *what, double t)
{
    for (int i = 0; i < l->n; i++)
        if (strcmp(l->what[i], what) == 0 && fabs(l->t[i] - t) < 1e-9)
            return 1;
    return 0;
}

static void test_busy_agent_waits(void **state)
{
    (void)state;
    /* one contact at 59 min for 10 min: the break due at 60 min slides to
       69-84 min; a second at 115 min for 10 min: the shift end at 120 min
       waits until 125 min, 5 minutes of overtime */
    char dir[] = "/tmp/ccs-staff-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[128];
    snprintf(path, sizeof path, "%s/t.csv", dir);
    FILE *f = fopen(path, "w");
    fputs("t,handle\n3540,600\n6900,600\n", f);
    fclose(f);
    snprintf(path, sizeof path, "%s/s.yaml", dir);
    f = fopen(path, "w");
    fputs("horizon: 3h\ninterval: 1h\ndrain: true\n"
          "trace: {file: t.csv, columns: {time: t, handle: handle}}\n"
          "queues:\n  - {id: q, arrivals: trace, handle_time: {dist: exponential, mean: 1m}}\n"
          "groups:\n  - id: g\n    skills: [q]\n"
          "    shifts: [{start: 00:00, length: 2h, agents: 1, breaks: [{after: 1h, length: 15m}]}]\n",
          f);
    fclose(f);
    struct ccs_scenario *sc;
    struct ccs_diag d;
    int rc = ccs_scenario_load(path, NULL, 0, &sc, &d);
    remove_scratch(dir);
    assert_int_equal(rc, 0);
    struct ccs_sim *sim;
    assert_int_equal(ccs_sim_new(sc, 1, 0, &sim, &d), 0);
    struct agent_log l = {0};
    ccs_sim_set_trace(sim, on_trace, &l);
    ccs_sim_set_checks(sim, true);
    assert_int_equal(ccs_sim_run(sim), 0);
    assert_true(find(&l, "break slides until its contact ends", 3600));
    assert_true(find(&l, "break", 4140));
    assert_true(find(&l, "back from break", 5040));
    assert_true(find(&l, "logout waits for its contact (overtime)", 7200));
    assert_true(find(&l, "logout", 7500));
    double *v = malloc(ccs_scenario_layout(sc)->n * sizeof *v);
    ccs_sim_results(sim, v);
    /* the overtime ended before the horizon, so all 300 s are measured */
    assert_true(fabs(kpi(sc, v, CCS_SCOPE_GROUP, CCS_KPI_overtime, 0, -1) - 300.0) < 1e-9);
    free(v);
    ccs_sim_free(sim);
    ccs_scenario_free(sc);
}

static void test_absenteeism(void **state)
{
    (void)state;
    /* 200 agents x 10 days at 30%: absences ~ Binomial(2000, 0.3), sd 20.5 */
    struct ccs_scenario *sc = load_yaml_string(
        "horizon: 10d\ninterval: 1d\n" NO_CALLS
        "groups:\n  - {id: g, skills: [q], absenteeism: 30%,\n"
        "     shifts: [{start: 09:00, length: 8h, agents: 200}]}\n");
    assert_non_null(sc);
    double *v = run_once(sc, NULL);
    double n = kpi(sc, v, CCS_SCOPE_GROUP, CCS_KPI_absences, 0, -1);
    assert_true(fabs(n - 600) < 5 * 20.5);
    /* staffed agents follow: 8 h of each day with 70% attendance */
    double agents = kpi(sc, v, CCS_SCOPE_GROUP, CCS_KPI_agents, 0, -1);
    assert_true(fabs(agents - (2000 - n) / 10.0 * 8.0 / 24.0) < 1e-6);
    free(v);
    ccs_scenario_free(sc);

    /* everyone absent, or nobody */
    sc = load_yaml_string("horizon: 2d\ninterval: 1d\n" NO_CALLS
                          "groups:\n  - {id: g, skills: [q], absenteeism: 100%, agents: 7}\n");
    v = run_once(sc, NULL);
    assert_true(kpi(sc, v, CCS_SCOPE_GROUP, CCS_KPI_absences, 0, -1) == 14);
    assert_true(kpi(sc, v, CCS_SCOPE_GROUP, CCS_KPI_agents, 0, -1) == 0);
    free(v);
    ccs_scenario_free(sc);
}

/* Agent i is absent on the same days whatever the variant changes. */
static void test_absences_common_random_numbers(void **state)
{
    (void)state;
    const char *fmt = "horizon: 5d\ninterval: 1d\n" NO_CALLS
                      "groups:\n  - {id: g, skills: [q], absenteeism: 40%%, agents: %d}\n";
    char y1[512], y2[512];
    snprintf(y1, sizeof y1, fmt, 10);
    snprintf(y2, sizeof y2, fmt, 11);
    struct ccs_scenario *a = load_yaml_string(y1), *b = load_yaml_string(y2);
    assert_non_null(a);
    assert_non_null(b);
    struct ccs_sim *sa, *sb;
    free(run_once(a, &sa));
    free(run_once(b, &sb));
    /* the first 10 agents are logged in identically at the end */
    const struct ccs_view *va = ccs_sim_view(sa), *vb = ccs_sim_view(sb);
    for (uint32_t i = 0; i < 10; i++)
        assert_int_equal(va->agents[i].state, vb->agents[i].state);
    ccs_sim_free(sa);
    ccs_sim_free(sb);
    ccs_scenario_free(a);
    ccs_scenario_free(b);
}

static void test_bad_staffing(void **state)
{
    (void)state;
    static const struct {
        const char *groups, *msg;
    } cases[] = {
        {"  - {id: g, skills: [q]}\n",
         "5:5: error: group 'g' needs exactly one of 'agents' (a constant head count), "
         "'staffing' (agents per interval) or 'shifts'"},
        {"  - {id: g, skills: [q], agents: 3, staffing: [1]}\n",
         "5:5: error: group 'g' needs exactly one of 'agents' (a constant head count), "
         "'staffing' (agents per interval) or 'shifts'"},
        {"  - {id: g, skills: [q], staffing: [1, 2.5]}\n",
         "5:40: error: 'staffing' lists whole numbers of agents, got '2.5'"},
        {"  - {id: g, skills: [q], shifts: [{start: 08:00, length: 2h, agents: 1, breaks: "
         "[{after: 1h50m, length: 15m}]}]}\n",
         "5:82: error: the break ends after its shift does"},
        {"  - {id: g, skills: [q], shifts: [{start: 08:00, length: 2h, agents: 1, breaks: "
         "[{length: 15m}]}]}\n",
         "5:82: error: a break needs one of 'after' (offset into the shift, staggered across "
         "its agents), 'window' ([earliest, latest] start) or 'at' (a clock time)"},
        {"  - {id: g, skills: [q], shifts: [{start: 08:00, length: 2h, agents: 1, breaks: "
         "[{window: [10m, 20m], stagger: 5m, length: 15m}]}]}\n",
         "5:112: error: 'stagger' applies to a break given by 'after'"},
        {"  - {id: g, skills: [q], shifts: [{start: 08:00, length: 2h, agents: 1, breaks: "
         "[{at: '07:30', length: 15m}]}]}\n",
         "5:87: error: a break at '07:30' is not inside its shift (or ends after it)"},
        {"  - {id: g, skills: [q], shifts: [{start: 08:00, length: 2h, agents: 1, days: "
         "[mon, funday]}]}\n",
         "5:85: error: 'days' lists weekdays: mon, tue, wed, thu, fri, sat, sun"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char yaml[1024];
        snprintf(yaml, sizeof yaml, "horizon: 1d\n" NO_CALLS "groups:\n%s", cases[i].groups);
        const char *got = load_error(yaml);
        if (strcmp(got, cases[i].msg) != 0)
            fprintf(stderr, "case %zu\n  want: %s\n  got:  %s\n", i, cases[i].msg, got);
        assert_string_equal(got, cases[i].msg);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_plan),
        cmocka_unit_test(test_shift_and_breaks),
        cmocka_unit_test(test_staggered_breaks),
        cmocka_unit_test(test_busy_agent_waits),
        cmocka_unit_test(test_absenteeism),
        cmocka_unit_test(test_absences_common_random_numbers),
        cmocka_unit_test(test_bad_staffing),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
