/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_fit_recovery.c - parameter recovery of `ccsim fit`: call logs that
 * ccsim itself generates from a known scenario (time-varying arrivals,
 * lognormal handle times, Weibull patience, agents on shifts with breaks, so
 * away part of the day) are written as an export, read back through a
 * `trace:` block and fitted (ccs_fitlog_new); each parameter's 95% interval
 * must cover the true value in at least 17 of 20 seeds. Also the arrivals
 * (mean volume per interval, against the scenario's volumes) and the agents'
 * availability (mean agents staffed per interval, against the agents the
 * simulation had logged in), judged over all intervals: see avail_check.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ccs/ccs.h"
#include "exp/fit_impl.h"
#include "support.h"

#include <math.h>
#include <sys/stat.h>

#define SEEDS 20
#define DAYS 5

/* The truth. */
#define HANDLE_MEAN 240.0
#define HANDLE_CV 0.8
#define PAT_SHAPE 0.8
#define PAT_SCALE 200.0
#define NI 16
static const double volumes[NI] = {40, 60, 80, 100, 100, 90, 80, 70, 70, 80, 90, 80, 60, 50, 40, 30};

static const char truth_yaml[] =
    "name: truth\n"
    "seed: %u\n"
    "start_time: \"08:00\"\n"
    "horizon: 8h\n"
    "interval: 30m\n"
    "drain: true\n"
    "queues:\n"
    "  - id: q\n"
    "    arrivals: {volumes: [40, 60, 80, 100, 100, 90, 80, 70, 70, 80, 90, 80, 60, 50, 40, 30]}\n"
    "    handle_time: {dist: lognormal, mean: 240s, cv: 0.8}\n"
    "    patience: {dist: weibull, shape: 0.8, scale: 200s}\n"
    "groups:\n"
    "  - id: g\n"
    "    skills: [q]\n"
    "    shifts:\n"
    "      - {start: \"08:00\", length: 8h, agents: 12,\n"
    "         breaks: [{after: 2h, length: 30m}, {after: 5h, length: 30m}]}\n";

static const char fit_yaml[] =
    "name: log\n"
    "start_time: \"08:00\"\n"
    "horizon: 8h\n"
    "interval: 30m\n"
    "drain: true\n"
    "trace:\n"
    "  file: t.csv\n"
    "  dates: all\n"
    "  date_format: yyyy-mm-dd\n"
    "  columns: {date: date, time: time, outcome: outcome, wait: wait, handle: handle, "
    "agent: agent}\n"
    "queues:\n"
    "  - id: q\n"
    "    arrivals: trace\n"
    "    handle_time: {dist: exponential, mean: 4m}\n"
    "    patience: {dist: exponential, mean: 5m}\n"
    "groups:\n"
    "  - {id: g, skills: [q], agents: 12}\n";

/* One contact, as the hook sees it. */
struct rec {
    double arrive, wait, start, end;
    int agent;
    int outcome; /* 0 waiting, 1 served, 2 abandoned */
};

struct log {
    struct rec *r;
    size_t cap;
};

static void hook(void *ctx, const struct ccs_trace_event *e)
{
    struct log *l = ctx;
    if (e->contact == 0)
        return;
    if (e->contact >= l->cap) {
        size_t cap = l->cap ? 2 * l->cap : 1024;
        while (cap <= e->contact)
            cap *= 2;
        l->r = realloc(l->r, cap * sizeof *l->r);
        memset(l->r + l->cap, 0, (cap - l->cap) * sizeof *l->r);
        l->cap = cap;
    }
    struct rec *r = &l->r[e->contact];
    switch (e->kind) {
    case CCS_TR_ARRIVE:
        r->arrive = e->t;
        break;
    case CCS_TR_START:
        r->outcome = 1;
        r->wait = e->wait;
        r->start = e->t;
        r->agent = e->agent;
        break;
    case CCS_TR_ABANDON:
        r->outcome = 2;
        r->wait = e->wait;
        break;
    case CCS_TR_TALK_END:
        r->end = e->t;
        break;
    default:
        break;
    }
}

/* Simulate DAYS days of seed s into dir/t.csv (one date a week, Mondays). */
static void generate(unsigned s, const char *dir)
{
    char yaml[2048];
    snprintf(yaml, sizeof yaml, truth_yaml, s);
    struct ccs_scenario *sc = load_yaml_string(yaml);
    assert_non_null(sc);
    char path[256];
    snprintf(path, sizeof path, "%s/t.csv", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs("date,time,outcome,wait,handle,agent\n", f);
    for (uint32_t day = 0; day < DAYS; day++) {
        struct log l = {0};
        struct ccs_sim *sim;
        struct ccs_diag d;
        ccs_diag_clear(&d);
        assert_int_equal(ccs_sim_new(sc, s, day, &sim, &d), 0);
        ccs_sim_set_trace(sim, hook, &l);
        assert_int_equal(ccs_sim_run(sim), 0);
        ccs_sim_free(sim);
        for (size_t c = 1; c < l.cap; c++) {
            const struct rec *r = &l.r[c];
            if (r->outcome == 0)
                continue;
            fprintf(f, "2024-01-%02u,%.3f,%s,%.3f,", 1 + 7 * day, 28800 + r->arrive,
                    r->outcome == 1 ? "served" : "abandoned", r->wait);
            if (r->outcome == 1)
                fprintf(f, "%.3f,A%d\n", r->end - r->start, r->agent);
            else
                fputs(",\n", f);
        }
        free(l.r);
    }
    fclose(f);
    ccs_scenario_free(sc);
}

/* The agents the truth had logged in per interval (the same every day: shifts
   and breaks are fixed), from the group's per-interval 'agents' metric. */
static void truth_staffing(double *agents)
{
    char yaml[2048];
    snprintf(yaml, sizeof yaml, truth_yaml, 1u);
    struct ccs_scenario *sc = load_yaml_string(yaml);
    assert_non_null(sc);
    const struct ccs_layout *l = ccs_scenario_layout(sc);
    struct ccs_summary *s = ccs_summary_new(sc, 0.95, 0);
    double *v = malloc(l->n * sizeof *v);
    assert_non_null(s);
    assert_non_null(v);
    struct ccs_diag d;
    ccs_diag_clear(&d);
    assert_int_equal(ccs_run_one(sc, 1, 0, s, v, &d), 0);
    for (int i = 0; i < NI; i++) {
        long k = ccs_layout_find(l, CCS_SCOPE_GROUP, CCS_KPI_agents, -1, -1, 0, i);
        assert_true(k >= 0);
        agents[i] = v[k];
    }
    free(v);
    ccs_summary_free(s);
    ccs_scenario_free(sc);
}

static bool covers(struct ccs_est e, double truth)
{
    return e.lo <= truth && truth <= e.hi;
}

static void test_recovery(void **state)
{
    (void)state;
    int hit[4] = {0, 0, 0, 0};
    int vol_hit[NI] = {0}, staff_hit[NI] = {0};
    double staff_err[NI] = {0}, truth_agents[NI];
    double avail = 0;
    truth_staffing(truth_agents);
    for (unsigned s = 1; s <= SEEDS; s++) {
        char dir[] = "/tmp/ccs-fitrec-XXXXXX";
        assert_non_null(mkdtemp(dir));
        generate(s, dir);
        char path[256];
        snprintf(path, sizeof path, "%s/s.yaml", dir);
        FILE *f = fopen(path, "w");
        assert_non_null(f);
        fputs(fit_yaml, f);
        fclose(f);
        struct ccs_scenario **scs;
        size_t n;
        struct ccs_diag d;
        ccs_diag_clear(&d);
        if (ccs_scenario_load_dates(path, NULL, &scs, &n, &d) != 0)
            fail_msg("%s", d.msg);
        assert_int_equal(n, DAYS);
        struct ccs_fitlog_opts o = ccs_fitlog_opts_default();
        o.n_boot = 0;
        struct ccs_fitlog *fl;
        if (ccs_fitlog_new(scs, n, &o, &fl, &d) != 0)
            fail_msg("%s", d.msg);
        const struct ccs__fq *q = &fl->q[0];
        const struct ccs_fit *h = &q->handle[CCS_FIT_LOGNORMAL];
        const struct ccs_fit *p = &q->pat[CCS_FIT_WEIBULL];
        hit[0] += covers(h->mean, HANDLE_MEAN);
        hit[1] += covers(h->cv, HANDLE_CV);
        hit[2] += covers(p->par[0], PAT_SHAPE);
        hit[3] += covers(p->par[1], PAT_SCALE);
        avail += ccs_fitlog_available_share(fl);
        /* arrivals and availability per interval, with fit.csv's intervals
           (Monday: every date of the log is one) */
        for (int i = 0; i < NI; i++) {
            struct ccs_est v = ccs__fit_per_interval(fl, false, 0, 0, (size_t)i);
            struct ccs_est st = ccs__fit_per_interval(fl, true, 0, 0, (size_t)i);
            vol_hit[i] += covers(v, volumes[i]);
            staff_hit[i] += covers(st, truth_agents[i]);
            staff_err[i] += (st.value - truth_agents[i]) / SEEDS;
            if (s == 1)
                print_message("seed 1, interval %2d: volume %.1f [%.1f, %.1f] (truth %.0f); "
                              "staffed %.2f [%.2f, %.2f] (truth %.2f)\n",
                              i, v.value, v.lo, v.hi, volumes[i], st.value, st.lo, st.hi,
                              truth_agents[i]);
        }
        ccs_fitlog_free(fl);
        ccs_scenario_list_free(scs, n);
        remove_scratch(dir);
    }
    print_message("coverage of 20 seeds: handle mean %d, handle cv %d, patience shape %d, "
                  "patience scale %d; mean available share %.3f\n",
                  hit[0], hit[1], hit[2], hit[3], avail / SEEDS);
    for (int i = 0; i < 4; i++)
        assert_true(hit[i] >= 17);
    int vol_all = 0, staff_all = 0; /* staff_all: printed only (see below) */
    for (int i = 0; i < NI; i++) {
        print_message("interval %2d: volume covered %2d/20; staffed covered %2d/20, mean error "
                      "%+.2f agents (truth %.2f)\n",
                      i, vol_hit[i], staff_hit[i], staff_err[i], truth_agents[i]);
        vol_all += vol_hit[i];
        staff_all += staff_hit[i];
    }
    print_message("volume: %d of %d covered; staffing: %d of %d\n", vol_all, NI * SEEDS,
                  staff_all, NI * SEEDS);
    /* arrivals: 16 parameters at once, so the check is on all of them:
       fit.csv's 95% intervals (Student's t over the 5 dates) cover the
       scenario's volumes in at least 90% of the 320 interval x seed cells
       (expected 304, sd 3.9; measured 299), and no interval falls below
       15 of 20 (P(X <= 14) = 0.0003 for one interval at 95%, 0.5% for any of
       16; 17 of 20, the single parameters' rule, fails one of 16 intervals
       by chance about a quarter of the time; measured: 16 at the least) */
    for (int i = 0; i < NI; i++)
        assert_true(vol_hit[i] >= 15);
    assert_true(vol_all >= 0.9 * NI * SEEDS);
    /* availability: the rule reads presence from the first to the last
       contact of a working block, so it cannot see an agent logged in before
       its first contact or after its last (interval 0 and the last: staffing
       under the truth, the blind spot docs/fit.md states); inside the day its
       error is a bias, not sampling noise (the day-to-day spread of the
       inferred staffing is often 0: fit.csv's interval there is the spread of
       the days, not a confidence interval for the truth), so the check is the
       mean error over the seeds: within 1 agent of the truth in every
       interval between (measured: at most 0.52, around the second break). */
    assert_true(staff_err[0] < 0 && staff_err[NI - 1] < 0);
    for (int i = 1; i < NI - 1; i++)
        assert_true(fabs(staff_err[i]) <= 1.0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_recovery),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
