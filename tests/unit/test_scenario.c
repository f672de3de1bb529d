/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_scenario.c - loading scenarios: the shipped examples load, defaults
 * and units are applied, overrides work, and every kind of bad input gets
 * its exact located message (never a crash).
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
#include <sys/stat.h>

#define BASE                                                 \
    "name: t\n"                                              \
    "horizon: 1h\n"                                          \
    "queues:\n"                                              \
    "  - id: sales\n"                                        \
    "    arrivals: {rate: 10/min}\n"                         \
    "    handle_time: {dist: exponential, mean: 3m}\n"       \
    "    patience: {dist: exponential, mean: 2m}\n"          \
    "groups:\n"                                              \
    "  - id: team\n"                                         \
    "    agents: 40\n"                                       \
    "    skills: [sales]\n"

static void test_examples_load(void **state)
{
    (void)state;
    const char *files[] = {"erlang-a.yaml", "multiskill.yaml"};
    for (size_t i = 0; i < 2; i++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/scenarios/%s", CCS_SOURCE_DIR, files[i]);
        struct ccs_scenario *sc;
        struct ccs_diag d;
        ccs_diag_clear(&d);
        int rc = ccs_scenario_load(path, NULL, 0, &sc, &d);
        if (rc)
            fprintf(stderr, "%s\n", d.msg);
        assert_int_equal(rc, 0);
        assert_int_equal(sc->seed, 12345);
        assert_true(fabs(sc->horizon - 73 * 86400.0) < 1e-6);
        assert_true(fabs(sc->interval - 3600.0) < 1e-9);
        assert_true(fabs(sc->queues[0].arrivals.rate - (i == 0 ? 95.0 : 9.5) / 60.0) < 1e-12);
        assert_true(fabs(sc->queues[0].handle.mean - 60.0) < 1e-12);
        assert_true(fabs(sc->queues[0].patience.mean - 120.0) < 1e-12);
        assert_true(fabs(sc->queues[0].sla_within - 20.0) < 1e-12);
        assert_true(fabs(sc->queues[0].sla_target - 0.8) < 1e-12);
        assert_string_equal(ccs_scenario_policy(sc), "acd");
        ccs_scenario_free(sc);
    }
}

/* The brute-force search ccs_layout_find replaced: the first key that matches. */
static long find_slow(const struct ccs_layout *l, int scope, int kpi, int q, int s, int g, int i)
{
    for (size_t k = 0; k < l->n; k++) {
        struct ccs_key key = ccs_layout_key(l, k);
        if (key.scope == scope && key.kpi == kpi && key.queue == q && key.segment == s &&
            key.group == g && key.interval == i)
            return (long)k;
    }
    return -1;
}

/* ccs_layout_find (indexed by scope instance) finds every key of the shipped
   scenarios (segments, multi-skill groups, several intervals), and answers
   -1 exactly where a search of every key does. */
static void test_layout_find(void **state)
{
    (void)state;
    const char *files[] = {"multiskill.yaml", "vip-surge.yaml", "omnichannel.yaml",
                           "experts.yaml", "default.yaml"};
    for (size_t f = 0; f < sizeof files / sizeof files[0]; f++) {
        char path[1024];
        snprintf(path, sizeof path, "%s/scenarios/%s", CCS_SOURCE_DIR, files[f]);
        struct ccs_scenario *sc;
        struct ccs_diag d;
        ccs_diag_clear(&d);
        struct ccs_override ov[2];
        char b0[64], b1[64];
        assert_int_equal(ccs_override_parse("horizon=3h", "--set", b0, 64, &ov[0], &d), 0);
        assert_int_equal(ccs_override_parse("interval=1h", "--set", b1, 64, &ov[1], &d), 0);
        int rc = ccs_scenario_load(path, ov, 2, &sc, &d);
        if (rc)
            fprintf(stderr, "%s: %s\n", files[f], d.msg);
        assert_int_equal(rc, 0);
        const struct ccs_layout *l = ccs_scenario_layout(sc);
        for (size_t k = 0; k < l->n; k++) {
            struct ccs_key key = ccs_layout_key(l, k);
            assert_int_equal(ccs_layout_find(l, (enum ccs_scope)key.scope, (enum ccs_kpi)key.kpi,
                                             key.queue, key.segment, key.group, key.interval),
                             (long)k);
        }
        int nq = (int)sc->n_queues, ng = (int)sc->n_groups;
        for (int scope = 0; scope < CCS_SCOPE_COUNT_; scope++)
            for (int q = -1; q <= nq; q++)
                for (int g = -1; g <= ng; g++)
                    for (int s = -1; s <= 2; s++)
                        for (int i = -1; i <= 3; i++) {
                            int kpi = (q + g + s + i + 8) % CCS_KPI_COUNT_;
                            assert_int_equal(ccs_layout_find(l, (enum ccs_scope)scope,
                                                             (enum ccs_kpi)kpi, q, s, g, i),
                                             find_slow(l, scope, kpi, q, s, g, i));
                        }
        ccs_scenario_free(sc);
    }
}

static void test_defaults(void **state)
{
    (void)state;
    struct ccs_scenario *sc = load_yaml_string(BASE);
    assert_non_null(sc);
    assert_int_equal(sc->seed, 1);
    assert_int_equal(sc->replications, 10);
    assert_true(sc->interval == 1800);
    assert_int_equal(sc->n_intervals, 2);
    assert_int_equal(sc->queues[0].channel, CCS_CH_VOICE);
    assert_int_equal(sc->queues[0].capacity, -1);
    assert_int_equal(sc->queues[0].wrap.kind, CCS_DIST_NONE);
    assert_int_equal(sc->groups[0].capacity, 1);
    assert_int_equal(sc->sl_def, CCS_SL_OFFERED);
    ccs_scenario_free(sc);
}

static void test_override(void **state)
{
    (void)state;
    char *path = write_temp(BASE, ".yaml");
    struct ccs_override ov[3];
    char b0[64], b1[64], b2[64];
    struct ccs_diag d;
    ccs_diag_clear(&d);
    assert_int_equal(ccs_override_parse("groups.team.agents=98", "--set", b0, 64, &ov[0], &d), 0);
    assert_int_equal(ccs_override_parse("queues.0.sla.within=30s", "--set", b1, 64, &ov[1], &d), 0);
    assert_int_equal(ccs_override_parse("routing.policy=acd", "--set", b2, 64, &ov[2], &d), 0);
    struct ccs_scenario *sc;
    assert_int_equal(ccs_scenario_load(path, ov, 3, &sc, &d), 0);
    assert_int_equal(sc->groups[0].agents, 98);
    assert_true(sc->queues[0].sla_within == 30);

    /* derive applies more overrides on a copy */
    struct ccs_scenario *v;
    char b3[64];
    assert_int_equal(ccs_override_parse("groups.team.agents=41", "--set", b3, 64, &ov[0], &d), 0);
    assert_int_equal(ccs_scenario_derive(sc, ov, 1, &v, &d), 0);
    assert_int_equal(v->groups[0].agents, 41);
    assert_int_equal(sc->groups[0].agents, 98);
    ccs_scenario_free(v);

    /* a bad override is validated like the file, located in the argument */
    assert_int_equal(ccs_override_parse("groups.team.agents=-3", "--set", b3, 64, &ov[0], &d), 0);
    assert_int_not_equal(ccs_scenario_derive(sc, ov, 1, &v, &d), 0);
    assert_string_equal(d.msg, "--set:1:20: error: 'agents' must be a positive whole number, got '-3'");
    ccs_scenario_free(sc);
    unlink(path);
    free(path);
}

/* Every bad input: the exact message (the temp file's path is stripped). */
struct bad {
    const char *yaml;
    const char *msg;
};

static const struct bad bad_inputs[] = {
    /* unknown key with did-you-mean */
    {"name: t\nhorizon: 1h\nqueus: []\n",
     "3:1: error: unknown key 'queus' in scenario; did you mean 'queues'?"},
    /* missing required */
    {"name: t\n", "1:1: error: missing required key 'queues'"},
    /* wrong type */
    {"queues: 5\ngroups: []\n", "1:9: error: 'queues' must be a list, got a scalar"},
    {"queues:\n  - id: q\n    arrivals: {rate: 1/min}\n    handle_time: {dist: exponential, "
     "mean: 1m}\ngroups:\n  - id: g\n    agents: [1]\n    skills: [q]\n",
     "7:13: error: 'agents' must be a whole number, got a list"},
    /* negative or zero where positive is required */
    {"queues:\n  - id: q\n    arrivals: {rate: 1/min}\n    handle_time: {dist: exponential, "
     "mean: 1m}\ngroups:\n  - id: g\n    agents: -3\n    skills: [q]\n",
     "7:13: error: 'agents' must be a positive whole number, got '-3'"},
    {"horizon: 0s\nqueues: []\ngroups: []\n", "1:10: error: 'horizon' must be positive, got '0s'"},
    {"queues:\n  - id: q\n    arrivals: {rate: 1/min}\n    handle_time: {dist: exponential, "
     "mean: 0s}\ngroups:\n  - id: g\n    agents: 1\n    skills: [q]\n",
     "4:44: error: 'mean' must be positive, got '0s'"},
    /* bad unit */
    {"horizon: 3x\n", "1:10: error: 'horizon': bad duration '3x': unknown time unit (use ms, s, m, "
                      "h, d or w)"},
    {"horizon: 30\n", "1:10: error: 'horizon': bad duration '30': missing unit: write e.g. 20s, "
                      "4m, 1.5h or 2d"},
    {"queues:\n  - id: q\n    arrivals: {rate: 10/fortnight}\n    handle_time: {dist: "
     "exponential, mean: 1m}\ngroups:\n  - id: g\n    agents: 1\n    skills: [q]\n",
     "3:22: error: 'rate': bad rate '10/fortnight': unknown rate unit (use /s, /min, /h or /d)"},
    /* unknown distribution */
    {"queues:\n  - id: q\n    arrivals: {rate: 1/min}\n    handle_time: {dist: expo, mean: "
     "1m}\ngroups:\n  - id: g\n    agents: 1\n    skills: [q]\n",
     "4:25: error: unknown distribution 'expo' (known: exponential, erlang, gamma, lognormal, "
     "weibull, uniform, triangular, deterministic, empirical)"},
    {"queues:\n  - id: q\n    arrivals: {rate: 1/min}\n    handle_time: {dist: lognormla, mean: "
     "1m, cv: 1}\ngroups:\n  - id: g\n    agents: 1\n    skills: [q]\n",
     "4:25: error: unknown distribution 'lognormla'; did you mean 'lognormal'? (known: "
     "exponential, erlang, gamma, lognormal, weibull, uniform, triangular, deterministic, "
     "empirical)"},
    /* invalid distribution parameters */
    {"queues:\n  - id: q\n    arrivals: {rate: 1/min}\n    handle_time: {dist: gamma, mean: "
     "1m, cv: 0}\ngroups:\n  - id: g\n    agents: 1\n    skills: [q]\n",
     "4:46: error: invalid gamma distribution for 'handle_time': 'cv' must be positive"},
    {"queues:\n  - id: q\n    arrivals: {rate: 1/min}\n    handle_time: {dist: erlang, k: 2.5, "
     "mean: 1m}\ngroups:\n  - id: g\n    agents: 1\n    skills: [q]\n",
     "4:36: error: invalid erlang distribution for 'handle_time': 'k' must be a whole number of "
     "phases, at least 1"},
    {"queues:\n  - id: q\n    arrivals: {rate: 1/min}\n    handle_time: {dist: uniform, min: "
     "2m, max: 1m}\ngroups:\n  - id: g\n    agents: 1\n    skills: [q]\n",
     "4:48: error: invalid uniform distribution for 'handle_time': 'max' must be greater than "
     "'min'"},
    {"queues:\n  - id: q\n    arrivals: {rate: 1/min}\n    handle_time: {dist: exponential, "
     "mean: 1m, cv: 2}\ngroups:\n  - id: g\n    agents: 1\n    skills: [q]\n",
     "4:48: error: 'cv' does not apply to a exponential distribution"},
    /* a group skill naming a missing queue */
    {"queues:\n  - id: sales\n    arrivals: {rate: 1/min}\n    handle_time: {dist: exponential, "
     "mean: 1m}\ngroups:\n  - id: g\n    agents: 1\n    skills: [salse]\n",
     "8:14: error: group 'g' has skill 'salse', which is not a queue; did you mean 'sales'?"},
    /* duplicate ids */
    {"queues:\n  - id: q\n    arrivals: {rate: 1/min}\n    handle_time: {dist: exponential, "
     "mean: 1m}\n  - id: q\n    arrivals: {rate: 1/min}\n    handle_time: {dist: exponential, "
     "mean: 1m}\ngroups:\n  - id: g\n    agents: 1\n    skills: [q]\n",
     "5:9: error: duplicate queue id 'q' (first defined at line 2)"},
    /* the first repeat in list order is named, against its first: a, b, b, a, b */
    {"queues:\n  - {id: a, arrivals: {rate: 1/min}, handle_time: {dist: exponential, mean: 1m}}\n"
     "  - {id: b, arrivals: {rate: 1/min}, handle_time: {dist: exponential, mean: 1m}}\n"
     "  - {id: b, arrivals: {rate: 1/min}, handle_time: {dist: exponential, mean: 1m}}\n"
     "  - {id: a, arrivals: {rate: 1/min}, handle_time: {dist: exponential, mean: 1m}}\n"
     "  - {id: b, arrivals: {rate: 1/min}, handle_time: {dist: exponential, mean: 1m}}\n"
     "groups:\n  - id: g\n    agents: 1\n    skills: [a]\n",
     "4:10: error: duplicate queue id 'b' (first defined at line 3)"},
    /* absurdly large numbers */
    {"queues:\n  - id: q\n    arrivals: {rate: 1/min}\n    handle_time: {dist: exponential, "
     "mean: 1m}\ngroups:\n  - id: g\n    agents: 1e12\n    skills: [q]\n",
     "7:13: error: 'agents' is absurdly large (at most 100000), got '1e12'"},
    {"horizon: 99999d\n", "1:10: error: 'horizon' is absurdly large (at most 3650d), got '99999d'"},
    {"replications: 99999999999999999999999\n",
     "1:15: error: 'replications' is absurdly large (at most 1000000), got '99999999999999999999999'"},
    {"queues:\n  - id: q\n    arrivals: {rate: 1e9/s}\n    handle_time: {dist: exponential, "
     "mean: 1m}\ngroups:\n  - id: g\n    agents: 1\n    skills: [q]\n",
     "3:22: error: 'rate' is absurdly large (at most 10000/s), got '1e9/s'"},
    /* other mistakes a user makes */
    {BASE "routing: {policy: fifo}\n",
     "12:19: error: unknown routing policy 'fifo' (known: acd, skills, predictive-sla, blended, oldest-first)"},
    {BASE "routing: {policy: acd, bogus: 1}\n",
     "12:24: error: unknown key 'bogus' in routing"},
    {"seed: -1\n", "1:7: error: 'seed' must be a whole number from 0 to 18446744073709551615, got '-1'"},
    {"warmup: 2h\nhorizon: 1h\nqueues: []\ngroups: []\n",
     "1:9: error: 'warmup' must be shorter than 'horizon'"},
    {"interval: 1s\nhorizon: 3650d\n",
     "1:11: error: 'horizon' / 'interval' gives 315360000 reporting intervals (at most 200000); "
     "use a longer interval"},
    {"- just\n- a list\n",
     "1:1: error: a scenario must be a mapping with 'queues' and 'groups', got a list"},
    {"queues:\n  - id: q\n    arrivals: {rate: 1/min}\n    handle_time: {dist: exponential, "
     "mean: 1m}\n    sla: {target: 180%}\ngroups:\n  - id: g\n    agents: 1\n    skills: [q]\n",
     "5:19: error: 'target': bad percentage '180%': must lie between 0% and 100%"},
    /* mechanisms that contradict each other */
    {"queues:\n  - {id: v, arrivals: {rate: 1/min}, handle_time: {dist: exponential, mean: 1m}}\n"
     "groups:\n  - {id: g, agents: 2, concurrency: 3, skills: [v]}\n",
     "4:37: error: group 'g' has concurrency 3 but serves voice queue 'v': only chat and e-mail "
     "can be handled several at once"},
    {"warmup: 1h\nqueues:\n  - {id: o, channel: outbound, handle_time: {dist: exponential, "
     "mean: 1m}, campaign: {records: 10}}\ngroups:\n  - {id: g, agents: 2, skills: [o]}\n",
     "1:9: error: queue 'o' runs a campaign, whose records are all there at the start, which a "
     "warm-up would discard: a campaign belongs in a terminating run (drop 'warmup')"},
    {"queues:\n  - id: \"a b\"\ngroups:\n  - {id: g, agents: 1, skills: [x]}\n", "2:9: error: 'id' must use only letters, digits, '_' and '-', got 'a b'"},
    /* a list shorter than the run repeats only by the day or the week */
    {"horizon: 2d\ninterval: 30m\nqueues:\n  - {id: q, arrivals: {volumes: [1, 2, 3]}, "
     "handle_time: {dist: exponential, mean: 1m}}\ngroups:\n  - {id: g, agents: 1, skills: [q]}\n",
     "4:33: error: 'volumes' covers 1.5h (3 x 30m) but the run lasts 2d: a list repeats only "
     "when it covers one day (48 values of 30m, zeros when closed) or one week (336 values)"},
    {"horizon: 2d\ninterval: 1h\nqueues:\n  - {id: q, arrivals: {rate: 1/min}, "
     "handle_time: {dist: exponential, mean: 1m}}\ngroups:\n  - {id: g, skills: [q], "
     "staffing: {agents: [1, 2], per: 6h}}\n",
     "6:45: error: 'staffing' covers 12h (2 x 6h) but the run lasts 2d: a list repeats only "
     "when it covers one day (4 values of 6h, zeros when closed) or one week (28 values)"},
};

/* Lists covering a day repeat every day, a week every week; the run says so. */
static void test_repeating_lists(void **state)
{
    (void)state;
    struct ccs_scenario *sc = load_yaml_string(
        "horizon: 8d\ninterval: 6h\nqueues:\n"
        "  - {id: d, arrivals: {volumes: [0, 60, 120, 0]}, handle_time: {dist: exponential, "
        "mean: 1m}}\n"
        "  - {id: w, arrivals: {volumes: [1, 1, 1, 1, 1, 1, 1], per: 1d}, handle_time: "
        "{dist: exponential, mean: 1m}}\n"
        "  - {id: all, arrivals: {volumes: [10], per: 8d}, handle_time: "
        "{dist: exponential, mean: 1m}}\n"
        "groups:\n  - {id: g, skills: [d, w, all], staffing: [1, 5, 5, 2]}\n");
    assert_non_null(sc);
    assert_int_equal(sc->queues[0].arrivals.repeat, CCS_REPEAT_DAY);
    assert_int_equal(sc->queues[1].arrivals.repeat, CCS_REPEAT_WEEK);
    assert_int_equal(sc->queues[2].arrivals.repeat, CCS_REPEAT_NONE);
    assert_int_equal(sc->groups[0].plan_repeat, CCS_REPEAT_DAY);
    /* the run's header names them */
    struct ccs_run_opts o = ccs_run_opts_default(sc);
    o.replications = 1;
    struct ccs_summary *sum;
    struct ccs_diag d;
    assert_int_equal(ccs_run(sc, &o, &sum, &d), 0);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_int_equal(ccs_report_table(f, sum), 0);
    fclose(f);
    assert_non_null(strstr(buf, "\nvolumes repeat every day: d\n"));
    assert_non_null(strstr(buf, "\nstaffing repeats every day: g\n"));
    assert_non_null(strstr(buf, "\nvolumes repeat every week: w\n"));
    /* and the second day's arrivals follow the first day's clock: none at night */
    long k = ccs_layout_find(ccs_scenario_layout(sc), CCS_SCOPE_QUEUE, CCS_KPI_offered, 0, -1, -1,
                             4);
    assert_true(k >= 0);
    assert_true(ccs_summary_mean(sum, (size_t)k) == 0);
    free(buf);
    ccs_summary_free(sum);
    ccs_scenario_free(sc);
}

static void test_bad_inputs(void **state)
{
    (void)state;
    int failed = 0;
    for (size_t i = 0; i < sizeof bad_inputs / sizeof bad_inputs[0]; i++) {
        const char *got = load_error(bad_inputs[i].yaml);
        if (strcmp(got, bad_inputs[i].msg) != 0) {
            fprintf(stderr, "case %zu:\n  want: %s\n  got:  %s\n", i, bad_inputs[i].msg, got);
            failed++;
        }
    }
    assert_int_equal(failed, 0);
}

static void test_file_errors(void **state)
{
    (void)state;
    struct ccs_scenario *sc;
    struct ccs_diag d;
    ccs_diag_clear(&d);
    assert_int_not_equal(ccs_scenario_load("/nonexistent/x.yaml", NULL, 0, &sc, &d), 0);
    assert_null(sc);
    assert_non_null(strstr(d.msg, "/nonexistent/x.yaml:"));
    assert_non_null(strstr(d.msg, "error: "));
    assert_non_null(strstr(d.msg, "No such file or directory"));

    ccs_diag_clear(&d);
    assert_int_not_equal(ccs_scenario_load("/tmp", NULL, 0, &sc, &d), 0);
    assert_non_null(strstr(d.msg, "/tmp:"));
    assert_non_null(strstr(d.msg, "is a directory"));

    assert_non_null(strstr(load_error(""), "empty file"));
    assert_non_null(strstr(load_error("# only a comment\n"), "empty file"));
    const char *syn = load_error("queues: [\n  - id: q\n");
    assert_true(strncmp(syn, "3:1: error: ", 12) == 0 || strstr(syn, "error: ") != NULL);
}

/* A scenario given as text (front ends: the Python module): the same model
   as from a file, errors located in the named origin, data files relative
   to the origin's folder, overrides applied. */
static void test_load_text(void **state)
{
    (void)state;
    struct ccs_scenario *sc = NULL, *from_file = load_yaml_string(BASE);
    struct ccs_diag d;
    ccs_diag_clear(&d);
    assert_int_equal(ccs_scenario_load_text(NULL, BASE, strlen(BASE), NULL, &sc, &d), 0);
    assert_string_equal(ccs_scenario_origin(sc), "<string>");
    assert_int_equal(ccs_scenario_layout(sc)->n, ccs_scenario_layout(from_file)->n);
    assert_true(sc->queues[0].arrivals.rate == from_file->queues[0].arrivals.rate);
    ccs_scenario_free(sc);
    ccs_scenario_free(from_file);

    /* not NUL-terminated: only len bytes are read */
    char buf[sizeof BASE + 8];
    memcpy(buf, BASE, strlen(BASE));
    memcpy(buf + strlen(BASE), "bad: [", 6);
    assert_int_equal(ccs_scenario_load_text("t", buf, strlen(BASE), NULL, &sc, &d), 0);
    ccs_scenario_free(sc);

    const char *bad = BASE "    agnets: 3\n";
    assert_int_equal(ccs_scenario_load_text("inline", bad, strlen(bad), NULL, &sc, &d),
                     CCS_ESCHEMA);
    assert_null(sc);
    assert_string_equal(d.msg, "inline:12:5: error: unknown key 'agnets' in group; did you mean "
                               "'agents'?");

    struct ccs_override ov = {"groups.team.agents", "41", "overrides", 1, 20};
    struct ccs_load_opts o = {.ov = &ov, .n_ov = 1};
    ccs_diag_clear(&d);
    assert_int_equal(ccs_scenario_load_text(NULL, BASE, strlen(BASE), &o, &sc, &d), 0);
    assert_int_equal(sc->groups[0].agents, 41);
    ccs_scenario_free(sc);

    /* a data file next to the origin */
    char dir[] = "/tmp/ccs-text-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char csv[256], origin[256];
    snprintf(csv, sizeof csv, "%s/t.csv", dir);
    FILE *f = fopen(csv, "w");
    assert_non_null(f);
    fputs("s\n60\n120\n", f);
    fclose(f);
    snprintf(origin, sizeof origin, "%s/s.yaml", dir);
    const char *emp = "horizon: 1h\nqueues:\n  - id: q\n    arrivals: {rate: 1/min}\n"
                      "    handle_time: {dist: empirical, file: t.csv}\n"
                      "groups:\n  - {id: g, agents: 2, skills: [q]}\n";
    ccs_diag_clear(&d);
    int rc = ccs_scenario_load_text(origin, emp, strlen(emp), NULL, &sc, &d);
    if (rc)
        fprintf(stderr, "%s\n", d.msg);
    assert_int_equal(rc, 0);
    ccs_scenario_free(sc);
    ccs_diag_clear(&d);
    assert_int_equal(ccs_scenario_load_text("s.yaml", emp, strlen(emp), NULL, &sc, &d), CCS_EIO);
    assert_non_null(strstr(d.msg, "t.csv"));
    remove_scratch(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_examples_load), cmocka_unit_test(test_defaults),
        cmocka_unit_test(test_override),      cmocka_unit_test(test_bad_inputs),
        cmocka_unit_test(test_file_errors),     cmocka_unit_test(test_repeating_lists),
        cmocka_unit_test(test_load_text),     cmocka_unit_test(test_layout_find),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
