/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_forecast.c - forecasts from files: a constant forecast reproduces the
 * plain scenario bit for bit (the draws are scaled, streams used alike);
 * each contact's handle time follows its arrival interval's AHT; rows by
 * weekday and by date land on the right steps of the run; ccsim staff reads
 * the interval's AHT and patience, and ccsim compare's variants follow it;
 * mistakes are located.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ccs/ccs.h"
#include "model/scenario.h"
#include "support.h"

#include <math.h>

static char dir[64];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/ccs-forecast-XXXXXX");
    return mkdtemp(dir) == NULL ? -1 : 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void put(const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* Load YAML text as name.yaml in the scratch folder; NULL and msg (folder stripped) on error. */
static struct ccs_scenario *load(const char *name, const char *yaml, char *msg, size_t cap)
{
    char file[64], path[256];
    snprintf(file, sizeof file, "%s.yaml", name);
    put(file, yaml);
    snprintf(path, sizeof path, "%s/%s", dir, file);
    struct ccs_scenario *sc = NULL;
    struct ccs_diag d;
    ccs_diag_clear(&d);
    if (ccs_scenario_load(path, NULL, 0, &sc, &d) != 0) {
        const char *p = strstr(d.msg, dir);
        if (msg != NULL)
            snprintf(msg, cap, "%.500s", p == d.msg ? d.msg + strlen(dir) + 1 : d.msg);
        else
            fprintf(stderr, "%s\n", d.msg);
        return NULL;
    }
    return sc;
}

static const double vols[8] = {10, 30, 60, 45, 0, 25, 50, 15};

/* A forecast of 8 hours from 08:00 in 1-hour steps, ';' and decimal comma. */
static void write_forecast(const char *name, bool constant)
{
    char text[2048];
    size_t n = (size_t)snprintf(text, sizeof text, "Intervall;Skill;Anrufe;AHT;Geduld\n");
    for (int i = 0; i < 8; i++)
        n += (size_t)snprintf(text + n, sizeof text - n, "%02d:00;Sales;%g;%s;%s\n", 8 + i,
                              vols[i], constant ? "180" : (const char *[]){"120", "150", "180",
                                                                           "0:03:30", "", "240",
                                                                           "200,5", "90"}[i],
                              constant ? "120" : i < 4 ? "60" : "180");
    put(name, text);
}

static const char *const plain =
    "seed: 11\nhorizon: 8h\nstart_time: '08:00'\ninterval: 1h\ndrain: true\n"
    "queues:\n"
    "  - id: sales\n"
    "    arrivals: {volumes: [10, 30, 60, 45, 0, 25, 50, 15]}\n"
    "    handle_time: {dist: lognormal, mean: 3m, cv: 1.4}\n"
    "    patience: {dist: weibull, mean: 2m, cv: 0.8}\n"
    "groups:\n  - {id: team, agents: 4, skills: [sales]}\n";

static const char *const from_file =
    "seed: 11\nhorizon: 8h\nstart_time: '08:00'\ninterval: 1h\ndrain: true\n"
    "forecast:\n"
    "  file: %s\n"
    "  separator: ';'\n"
    "  decimal: ','\n"
    "  columns: {interval: Intervall, queue: Skill, volume: Anrufe, aht: AHT, patience: Geduld}\n"
    "  queues: {Sales: sales}\n"
    "queues:\n"
    "  - id: sales\n"
    "    arrivals: forecast\n"
    "    handle_time: {dist: %s, mean: forecast, cv: 1.4}\n"
    "    patience: {dist: weibull, mean: forecast, cv: 0.8}\n"
    "groups:\n  - {id: team, agents: 4, skills: [sales]}\n";

/* Every replication's results, bit for bit, of two scenarios. */
static void same_results(const struct ccs_scenario *a, const struct ccs_scenario *b)
{
    size_t n = ccs_scenario_layout(a)->n;
    assert_int_equal(n, ccs_scenario_layout(b)->n);
    double *x = malloc(n * sizeof *x), *y = malloc(n * sizeof *y);
    for (uint32_t rep = 0; rep < 4; rep++) {
        struct ccs_sim *s, *t;
        struct ccs_diag d;
        assert_int_equal(ccs_sim_new(a, 11, rep, &s, &d), 0);
        assert_int_equal(ccs_sim_new(b, 11, rep, &t, &d), 0);
        assert_int_equal(ccs_sim_run(s), 0);
        assert_int_equal(ccs_sim_run(t), 0);
        ccs_sim_results(s, x);
        ccs_sim_results(t, y);
        assert_memory_equal(x, y, n * sizeof *x);
        ccs_sim_free(s);
        ccs_sim_free(t);
    }
    free(x);
    free(y);
}

static void test_constant_is_identical(void **state)
{
    (void)state;
    write_forecast("const.csv", true);
    char yaml[2048];
    snprintf(yaml, sizeof yaml, from_file, "const.csv", "lognormal");
    struct ccs_scenario *a = load("plain", plain, NULL, 0), *b = load("const", yaml, NULL, 0);
    assert_non_null(a);
    assert_non_null(b);
    assert_true(b->queues[0].handle.mean == 180);
    assert_true(b->queues[0].patience.mean == 120);
    assert_string_equal(ccs_scenario_forecast_note(b),
                        "forecast const.csv: 8 rows, 24 intervals of 1h for sales");
    same_results(a, b);
    ccs_scenario_free(a);
    ccs_scenario_free(b);
}

struct talks {
    double arrived[512], talk[512];
};

static void on_event(void *ctx, const struct ccs_trace_event *e)
{
    struct talks *t = ctx;
    if (e->contact >= 512)
        return;
    if (e->kind == CCS_TR_ARRIVE)
        t->arrived[e->contact] = e->t;
    if (e->kind == CCS_TR_START)
        t->talk[e->contact] = -e->t;
    if (e->kind == CCS_TR_TALK_END)
        t->talk[e->contact] += e->t;
}

/* Deterministic handle times: each contact talks exactly its interval's AHT. */
static void test_handle_time_follows_interval(void **state)
{
    (void)state;
    write_forecast("varying.csv", false);
    char yaml[2048];
    snprintf(yaml, sizeof yaml, from_file, "varying.csv", "deterministic");
    /* deterministic takes no cv */
    char *cv = strstr(yaml, "mean: forecast, cv: 1.4");
    memmove(cv + 14, cv + 23, strlen(cv + 23) + 1);
    struct ccs_scenario *sc = load("varying", yaml, NULL, 0);
    assert_non_null(sc);
    /* nominal mean: the AHT weighted by volume (the empty one counts as the nominal) */
    const double aht[8] = {120, 150, 180, 210, NAN, 240, 200.5, 90};
    double sw = 0, swx = 0;
    for (int i = 0; i < 8; i++)
        if (!isnan(aht[i])) {
            sw += vols[i];
            swx += vols[i] * aht[i];
        }
    assert_true(fabs(sc->queues[0].handle.mean - swx / sw) < 1e-9);
    struct ccs_sim *sim;
    struct ccs_diag d;
    assert_int_equal(ccs_sim_new(sc, 3, 0, &sim, &d), 0);
    struct talks *t = calloc(1, sizeof *t);
    ccs_sim_set_trace(sim, on_event, t);
    assert_int_equal(ccs_sim_run(sim), 0);
    int seen = 0;
    for (int c = 1; c < 512; c++) {
        if (!(t->talk[c] > 0))
            continue;
        int i = (int)floor(t->arrived[c] / 3600);
        double want = isnan(aht[i]) ? sc->queues[0].handle.mean : aht[i];
        assert_true(fabs(t->talk[c] - want) < 1e-6);
        seen++;
    }
    assert_true(seen > 150);
    free(t);
    ccs_sim_free(sim);

    /* ccsim staff's Erlang side reads the interval's AHT and patience */
    struct ccs_staff_opts o = ccs_staff_opts_default(sc);
    o.refine = false;
    struct ccs_staffing *st;
    assert_int_equal(ccs_staff(sc, &o, &st, &d), 0);
    for (int i = 0; i < 8; i++) {
        if (isnan(aht[i]))
            continue;
        assert_true(fabs(st->need[i].aht - aht[i]) < 1e-9);
        assert_true(fabs(st->need[i].patience - (i < 4 ? 60 : 180)) < 1e-9);
    }
    ccs_staffing_free(st);
    ccs_scenario_free(sc);
}

/*
 * ccsim compare: a variant derived with overrides reads the forecast again
 * (its contacts talk their interval's AHT too), and the comparison's
 * baseline is the run's, bit for bit.
 */
static void test_compare_follows_interval(void **state)
{
    (void)state;
    write_forecast("cmp.csv", false);
    char yaml[2048];
    snprintf(yaml, sizeof yaml, from_file, "cmp.csv", "deterministic");
    char *cv = strstr(yaml, "mean: forecast, cv: 1.4");
    memmove(cv + 14, cv + 23, strlen(cv + 23) + 1);
    struct ccs_scenario *sc = load("cmp", yaml, NULL, 0);
    assert_non_null(sc);
    struct ccs_diag d;
    ccs_diag_clear(&d);
    char buf[64];
    struct ccs_override ov;
    assert_int_equal(ccs_override_parse("groups.team.agents=6", "--set", buf, sizeof buf, &ov, &d),
                     0);
    struct ccs_scenario *more = NULL;
    assert_int_equal(ccs_scenario_derive(sc, &ov, 1, &more, &d), 0);
    const struct ccs_step_means *a = &sc->queues[0].handle_steps, *b = &more->queues[0].handle_steps;
    assert_non_null(b->factor);
    assert_int_equal(a->n, b->n);
    assert_memory_equal(a->factor, b->factor, a->n * sizeof *a->factor);
    assert_true(more->queues[0].handle.mean == sc->queues[0].handle.mean);

    /* the variant's contacts talk their interval's AHT */
    const double aht[8] = {120, 150, 180, 210, NAN, 240, 200.5, 90};
    struct ccs_sim *sim;
    assert_int_equal(ccs_sim_new(more, 5, 1, &sim, &d), 0);
    struct talks *t = calloc(1, sizeof *t);
    ccs_sim_set_trace(sim, on_event, t);
    assert_int_equal(ccs_sim_run(sim), 0);
    int seen = 0;
    for (int c = 1; c < 512; c++) {
        if (!(t->talk[c] > 0))
            continue;
        int i = (int)floor(t->arrived[c] / 3600);
        double want = isnan(aht[i]) ? sc->queues[0].handle.mean : aht[i];
        assert_true(fabs(t->talk[c] - want) < 1e-6);
        seen++;
    }
    assert_true(seen > 150);
    free(t);
    ccs_sim_free(sim);

    /* the comparison's baseline: the run's numbers */
    struct ccs_variant v[2] = {{"baseline", sc, NULL}, {"more", more, NULL}};
    struct ccs_compare_opts co = ccs_compare_opts_default(sc);
    co.method = CCS_CMP_REPLICATIONS;
    co.replications = 4;
    struct ccs_compare *c;
    assert_int_equal(ccs_compare_run(v, 2, &co, &c, &d), 0);
    struct ccs_run_opts ro = ccs_run_opts_default(sc);
    ro.seed = co.seed;
    ro.replications = 4;
    struct ccs_summary *sum;
    assert_int_equal(ccs_run(sc, &ro, &sum, &d), 0);
    const struct ccs_summary *cs = ccs_compare_variant_summary(c, 0);
    /* whole-run keys replication by replication, per-interval keys by mean */
    const struct ccs_layout *l = ccs_scenario_layout(sc);
    for (size_t k = 0; k < l->n; k++) {
        double x = ccs_summary_mean(cs, k), y = ccs_summary_mean(sum, k);
        assert_true(memcmp(&x, &y, sizeof x) == 0);
        for (uint32_t r = 0; k < l->n_whole && r < 4; r++) {
            x = ccs_summary_value(cs, r, k), y = ccs_summary_value(sum, r, k);
            assert_true(memcmp(&x, &y, sizeof x) == 0);
        }
    }
    ccs_summary_free(sum);
    ccs_compare_free(c);
    ccs_scenario_free(more);
    ccs_scenario_free(sc);
}

/* Rows by weekday from start_day; by date from the first date; early hours of a day list. */
static void test_calendar(void **state)
{
    (void)state;
    put("week.csv", "day,start,calls\n"
                    "Tue,09:00,7\n"
                    "wednesday,10:00,8\n"
                    "1,09:00,9\n"
                    "mon,06:00,5\n");
    struct ccs_scenario *sc =
        load("week",
             "horizon: 7d\nstart_day: tue\nstart_time: '08:00'\n"
             "forecast: {file: week.csv, interval: 1h, columns: {weekday: day, interval: start, "
             "volume: calls}}\n"
             "queues:\n  - {id: q, arrivals: forecast, handle_time: {dist: exponential, mean: 1m}}\n"
             "groups:\n  - {id: g, agents: 1, skills: [q]}\n",
             NULL, 0);
    assert_non_null(sc);
    const struct ccs_arrivals *a = &sc->queues[0].arrivals;
    assert_int_equal(a->n_rates, 168);
    assert_true(a->rates[1] == 7.0 / 3600);             /* Tue 09:00 */
    assert_true(a->rates[24 + 2] == 8.0 / 3600);        /* Wed 10:00 */
    assert_true(a->rates[6 * 24 + 1] == 9.0 / 3600);    /* Mon 09:00 */
    assert_true(a->rates[6 * 24 - 2] == 5.0 / 3600);    /* Mon 06:00: before Tue 08:00 */
    assert_false(sc->dated);
    ccs_scenario_free(sc);

    put("dated.csv", "date;start;calls\n"
                     "05.03.2024;08:00;4\n"
                     "06.03.2024;09:30;6\n"
                     "05.03.2024;07:00;3\n");
    sc = load("dated",
              "horizon: 2d\nstart_time: '08:00'\ninterval: 30m\n"
              "forecast: {file: dated.csv, separator: ';', date_format: dd.mm.yyyy,\n"
              "           columns: {date: date, interval: start, volume: calls}}\n"
              "queues:\n  - {id: q, arrivals: forecast, handle_time: {dist: exponential, mean: 1m}}\n"
              "groups:\n  - {id: g, agents: 1, skills: [q]}\n",
              NULL, 0);
    assert_non_null(sc);
    assert_string_equal(ccs_scenario_date(sc), "2024-03-05");
    assert_int_equal(sc->start_day, 1);
    a = &sc->queues[0].arrivals;
    assert_int_equal(a->n_rates, 96);
    assert_true(a->rates[0] == 4.0 / 1800);
    assert_true(a->rates[48 + 3] == 6.0 / 1800);
    assert_non_null(strstr(ccs_scenario_forecast_note(sc), "1 outside its span"));
    ccs_scenario_free(sc);
}

static void test_mistakes(void **state)
{
    (void)state;
    char msg[512];
    const char *q = "queues:\n  - {id: q, arrivals: forecast, handle_time: {dist: exponential, "
                    "mean: 1m}}\ngroups:\n  - {id: g, agents: 1, skills: [q]}\n";
    char yaml[1024];
    /* with on_error: skip, bad rows are counted, the first named, the rest read */
    put("skip.csv", "start,calls\n08:00,1\n08:30,-2\n09:00,x\n09:30,4\n");
    snprintf(yaml, sizeof yaml,
             "horizon: 2h\nstart_time: '08:00'\nforecast: {file: skip.csv, interval: 30m, "
             "on_error: skip, columns: {interval: start, volume: calls}}\n%s",
             q);
    struct ccs_scenario *sk = load("skip", yaml, NULL, 0);
    assert_non_null(sk);
    const char *note = ccs_scenario_forecast_note(sk);
    assert_non_null(note);
    assert_non_null(strstr(note, "4 rows, 48 intervals of 30m"));
    assert_non_null(strstr(note, "; 2 bad rows skipped (first: "));
    assert_non_null(strstr(note, "skip.csv:3:7: bad volume '-2' in column 'calls'"));
    const struct ccs_arrivals *ar = &sk->queues[0].arrivals;
    assert_int_equal(ar->n_rates, 48);
    assert_true(ar->rates[0] == 1 / 1800.0 && ar->rates[1] == 0 && ar->rates[2] == 0 &&
                ar->rates[3] == 4 / 1800.0);
    ccs_scenario_free(sk);
    put("grid.csv", "start,calls\n08:00,1\n08:10,2\n");
    snprintf(yaml, sizeof yaml,
             "start_time: '08:00'\nforecast: {file: grid.csv, interval: 30m, columns: "
             "{interval: start, volume: calls}}\n%s",
             q);
    assert_null(load("grid", yaml, msg, sizeof msg));
    assert_string_equal(msg, "grid.csv:3:1: error: interval start 08:10:00 is not on the 30m "
                             "grid that starts at 08:00 (start_time)");
    put("twice.csv", "start,calls\n08:00,1\n08:00,2\n");
    snprintf(yaml, sizeof yaml,
             "forecast: {file: twice.csv, columns: {interval: start, volume: calls}}\n%s", q);
    assert_null(load("twice", yaml, msg, sizeof msg));
    assert_string_equal(msg, "twice.csv:3:1: error: a second row for queue '' in the same "
                             "interval (the first is line 2)");
    put("bad.csv", "start,calls\n08:00,-1\n");
    snprintf(yaml, sizeof yaml,
             "forecast: {file: bad.csv, columns: {interval: start, volume: calls}}\n%s", q);
    assert_null(load("bad", yaml, msg, sizeof msg));
    assert_string_equal(msg, "bad.csv:2:7: error: bad volume '-1' in column 'calls': a volume "
                             "must not be negative");
    assert_null(load("nofc",
                     "queues:\n  - {id: q, arrivals: {rate: 1/min}, handle_time: {dist: "
                     "exponential, mean: forecast}}\ngroups:\n  - {id: g, agents: 1, skills: "
                     "[q]}\n",
                     msg, sizeof msg));
    assert_string_equal(msg, "nofc.yaml:2:77: error: 'mean: forecast' needs a top-level "
                             "'forecast' block");
    put("noaht.csv", "start,calls\n08:00,1\n");
    snprintf(yaml, sizeof yaml,
             "forecast: {file: noaht.csv, columns: {interval: start, volume: calls}}\n"
             "queues:\n  - {id: q, arrivals: forecast, handle_time: {dist: exponential, "
             "mean: forecast}}\ngroups:\n  - {id: g, agents: 1, skills: [q]}\n");
    assert_null(load("noaht", yaml, msg, sizeof msg));
    assert_string_equal(msg, "noaht.yaml:3:72: error: the forecast 'noaht.csv' has no 'aht' "
                             "column");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_constant_is_identical),
        cmocka_unit_test(test_handle_time_follows_interval),
        cmocka_unit_test(test_compare_follows_interval),
        cmocka_unit_test(test_calendar),
        cmocka_unit_test(test_mistakes),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
