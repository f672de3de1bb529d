/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_forecast_erlang.c - a forecast file with a handle time and a
 * patience per interval gives, interval by interval, what Erlang A says for
 * that interval's rate, AHT, patience and agents. Three 6-hour intervals of
 * a day (30-minute forecast rows) with exponential handle times and patience
 * whose means follow the forecast, staffed per interval. Each interval's
 * service level, abandonment, ASA, AHT and occupancy over 400 replications
 * must contain the exact value in its 99% interval widened by a stated
 * allowance for the transient at each change of interval (a few minutes of
 * six hours). A single AHT for the day would miss by far more: the test
 * also checks that.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ccs/ccs.h"
#include "support.h"

#include <math.h>

#define REPS 400
#define N_INT 3

/* per interval: calls per minute, AHT (s), patience (s), agents */
static const double rate_min[N_INT] = {3.0, 4.0, 2.0};
static const double aht_s[N_INT] = {120, 150, 240};
static const double pat_s[N_INT] = {180, 120, 240};
static const int agents[N_INT] = {7, 11, 9};

/* Allowances on top of the 99% interval: the system carries its state across
   each change of interval, which Erlang A (steady state) does not see. */
#define ALLOW_PROB 0.012
#define ALLOW_ASA_REL 0.08
#define ALLOW_ASA_ABS 0.5
#define ALLOW_AHT_REL 0.01

struct stat {
    double n, mean, m2;
};

static void add(struct stat *s, double x)
{
    if (isnan(x))
        return;
    s->n++;
    double d = x - s->mean;
    s->mean += d / s->n;
    s->m2 += d * (x - s->mean);
}

static double halfwidth99(const struct stat *s)
{
    return 2.59 * sqrt(s->m2 / (s->n - 1) / s->n); /* t(0.995, 399) */
}

static void check(const char *what, int i, const struct stat *s, double exact, double allow)
{
    double hw = halfwidth99(s);
    printf("  interval %d %-12s sim %.4f ± %.4f  Erlang A %.4f\n", i, what, s->mean, hw, exact);
    if (fabs(s->mean - exact) > hw + allow)
        fail_msg("interval %d %s: simulated %.5f ± %.5f, Erlang A %.5f (allowance %.5f)", i,
                 what, s->mean, hw, exact, allow);
}

static void test_interval_by_interval(void **state)
{
    (void)state;
    char dir[] = "/tmp/ccs-fcval-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[128], text[8192];
    size_t n = (size_t)snprintf(text, sizeof text, "Start;Queue;Volume;AHT;Patience\n");
    for (int h = 0; h < 36; h++) { /* 06:00 to 24:00, every 30 minutes */
        int i = h / 12;
        n += (size_t)snprintf(text + n, sizeof text - n, "%02d:%02d;Hotline;%g;0:%02d:%02d;%g\n",
                              6 + h / 2, 30 * (h % 2), rate_min[i] * 30, (int)aht_s[i] / 60,
                              (int)aht_s[i] % 60, pat_s[i] / 60);
    }
    snprintf(path, sizeof path, "%s/forecast.csv", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    snprintf(text, sizeof text,
             "seed: 2024\nstart_time: '06:00'\nhorizon: 18h\ninterval: 6h\ndrain: true\n"
             "forecast:\n"
             "  file: forecast.csv\n  separator: ';'\n  duration_unit: min\n  interval: 30m\n"
             "  columns: {interval: Start, queue: Queue, volume: Volume, aht: AHT, "
             "patience: Patience}\n"
             "  queues: {Hotline: hotline}\n"
             "queues:\n"
             "  - id: hotline\n"
             "    arrivals: forecast\n"
             "    handle_time: {dist: exponential, mean: forecast}\n"
             "    patience: {dist: exponential, mean: forecast}\n"
             "    sla: {target: 80%%, within: 20s}\n"
             "groups:\n  - {id: team, skills: [hotline], staffing: [%d, %d, %d]}\n",
             agents[0], agents[1], agents[2]);
    snprintf(path, sizeof path, "%s/s.yaml", dir);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    struct ccs_scenario *sc;
    struct ccs_diag d;
    ccs_diag_clear(&d);
    if (ccs_scenario_load(path, NULL, 0, &sc, &d) != 0)
        fail_msg("%s", d.msg);
    char cmd[160];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    assert_int_equal(system(cmd), 0);

    const struct ccs_layout *l = ccs_scenario_layout(sc);
    long k_off[N_INT], k_ab[N_INT], k_sl[N_INT], k_asa[N_INT], k_aht[N_INT], k_occ[N_INT];
    for (int i = 0; i < N_INT; i++) {
        k_off[i] = ccs_layout_find(l, CCS_SCOPE_QUEUE, CCS_KPI_offered, 0, -1, -1, i);
        k_ab[i] = ccs_layout_find(l, CCS_SCOPE_QUEUE, CCS_KPI_abandoned, 0, -1, -1, i);
        k_sl[i] = ccs_layout_find(l, CCS_SCOPE_QUEUE, CCS_KPI_service_level, 0, -1, -1, i);
        k_asa[i] = ccs_layout_find(l, CCS_SCOPE_QUEUE, CCS_KPI_asa, 0, -1, -1, i);
        k_aht[i] = ccs_layout_find(l, CCS_SCOPE_QUEUE, CCS_KPI_aht, 0, -1, -1, i);
        k_occ[i] = ccs_layout_find(l, CCS_SCOPE_GROUP, CCS_KPI_occupancy, -1, -1, 0, i);
        assert_true(k_off[i] >= 0 && k_ab[i] >= 0 && k_sl[i] >= 0 && k_asa[i] >= 0 &&
                    k_aht[i] >= 0 && k_occ[i] >= 0);
    }
    struct stat ab[N_INT] = {{0}}, sl[N_INT] = {{0}}, asa[N_INT] = {{0}}, aht[N_INT] = {{0}},
                occ[N_INT] = {{0}};
    double *v = malloc(l->n * sizeof *v);
    for (uint32_t rep = 0; rep < REPS; rep++) {
        struct ccs_sim *sim;
        assert_int_equal(ccs_sim_new(sc, 2024, rep, &sim, &d), 0);
        assert_int_equal(ccs_sim_run(sim), 0);
        ccs_sim_results(sim, v);
        ccs_sim_free(sim);
        for (int i = 0; i < N_INT; i++) {
            add(&ab[i], v[k_ab[i]] / v[k_off[i]]);
            add(&sl[i], v[k_sl[i]]);
            add(&asa[i], v[k_asa[i]]);
            add(&aht[i], v[k_aht[i]]);
            add(&occ[i], v[k_occ[i]]);
        }
    }
    free(v);
    ccs_scenario_free(sc);

    bool constant_would_pass = true;
    for (int i = 0; i < N_INT; i++) {
        struct ccs_erlang_model m = {rate_min[i] / 60, 1 / aht_s[i], agents[i], 1 / pat_s[i],
                                     -1, 20};
        struct ccs_erlang_result r;
        assert_int_equal(ccs_erlang_solve(&m, &r), 0);
        check("abandon %", i, &ab[i], r.abandon_rate, ALLOW_PROB);
        check("service lvl", i, &sl[i], r.sl_offered, ALLOW_PROB);
        check("ASA (s)", i, &asa[i], r.asa, ALLOW_ASA_REL * r.asa + ALLOW_ASA_ABS);
        check("AHT (s)", i, &aht[i], aht_s[i], ALLOW_AHT_REL * aht_s[i]);
        check("occupancy", i, &occ[i], r.occupancy, ALLOW_PROB);
        /* the day's single mean AHT instead of the interval's */
        double day = 0, calls = 0;
        for (int j = 0; j < N_INT; j++) {
            day += rate_min[j] * aht_s[j];
            calls += rate_min[j];
        }
        struct ccs_erlang_model c = m;
        c.mu = calls / day;
        struct ccs_erlang_result rc;
        assert_int_equal(ccs_erlang_solve(&c, &rc), 0);
        if (fabs(sl[i].mean - rc.sl_offered) > halfwidth99(&sl[i]) + ALLOW_PROB)
            constant_would_pass = false;
    }
    assert_false(constant_would_pass);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_interval_by_interval),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
