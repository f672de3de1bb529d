/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_fit_recovery.c - parameter recovery of `ccsim fit`: call logs that
 * ccsim itself generates from a known scenario (time-varying arrivals,
 * lognormal handle times, Weibull patience, agents on shifts with breaks, so
 * away part of the day) are written as an export, read back through a
 * `trace:` block and fitted (ccs_fitlog_new); each parameter's 95% interval
 * must cover the true value in at least 17 of 20 seeds.
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

static bool covers(struct ccs_est e, double truth)
{
    return e.lo <= truth && truth <= e.hi;
}

static void test_recovery(void **state)
{
    (void)state;
    int hit[4] = {0, 0, 0, 0};
    double avail = 0;
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
        if (s == 1)
            print_message("seed 1: handle mean %.1f [%.1f, %.1f] cv %.3f [%.3f, %.3f]; patience "
                          "shape %.3f [%.3f, %.3f] scale %.1f [%.1f, %.1f] (%zu events)\n",
                          h->mean.value, h->mean.lo, h->mean.hi, h->cv.value, h->cv.lo, h->cv.hi,
                          p->par[0].value, p->par[0].lo, p->par[0].hi, p->par[1].value,
                          p->par[1].lo, p->par[1].hi, p->n_events);
        ccs_fitlog_free(fl);
        ccs_scenario_list_free(scs, n);
        remove_scratch(dir);
    }
    print_message("coverage of 20 seeds: handle mean %d, handle cv %d, patience shape %d, "
                  "patience scale %d; mean available share %.3f\n",
                  hit[0], hit[1], hit[2], hit[3], avail / SEEDS);
    for (int i = 0; i < 4; i++)
        assert_true(hit[i] >= 17);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_recovery),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
