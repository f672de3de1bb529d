/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_reps.c - replications on threads (sim/exp/reps.h, pool.h): folds in
 * replication order whatever the number of threads and the order tasks end
 * in (random delays shuffle it); a stopping rule sees exactly the
 * sequential replications; a failure is the sequential loop's (lowest
 * replication, then lowest part), and none beyond the stopping point counts.
 * Then the public entry points with jobs 1 and several: ccs_run (values,
 * time series, waits, balance), ccs_compare_run with a precision target
 * (same stopping count), ccs_staff (same plan). Small: runs under ASan/TSan.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ccs/ccs.h"
#include "exp/reps.h"
#include "support.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* --- the ordered runner on its own ------------------------------------------------------- */

#define PARTS 3
#define MAX_REPS 400

struct probe {
    uint32_t window;
    uint64_t *slots;         /* window x PARTS: what run wrote */
    uint32_t folded[MAX_REPS];
    uint32_t n_folded;
    uint32_t stop_after;     /* fold returns 1 at this replication; UINT32_MAX: never */
    uint32_t fail_rep[3], fail_part[3]; /* run fails here (UINT32_MAX: unused) */
    uint32_t fold_fail;      /* fold fails at this replication; UINT32_MAX: never */
    bool bad_order;
};

static uint64_t mix(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdULL;
    x ^= x >> 33;
    return x;
}

static int probe_run(void *ctx, uint32_t rep, uint32_t part, struct ccs_diag *d)
{
    struct probe *p = ctx;
    /* up to 0.2 ms, so that tasks end out of order */
    struct timespec ts = {0, (long)(mix(rep * 7919u + part) % 200000)};
    nanosleep(&ts, NULL);
    for (int i = 0; i < 3; i++)
        if (p->fail_rep[i] == rep && p->fail_part[i] == part)
            return ccs_diag_at(d, CCS_EINVAL, NULL, 0, 0, "failed at %u.%u", rep, part);
    p->slots[(size_t)(rep % p->window) * PARTS + part] = mix(((uint64_t)rep << 8) | part);
    return 0;
}

static int probe_fold(void *ctx, uint32_t rep, struct ccs_diag *d)
{
    struct probe *p = ctx;
    if (rep != p->n_folded)
        p->bad_order = true;
    for (uint32_t part = 0; part < PARTS; part++)
        if (p->slots[(size_t)(rep % p->window) * PARTS + part] !=
            mix(((uint64_t)rep << 8) | part))
            p->bad_order = true; /* a slot overwritten before its fold */
    p->folded[p->n_folded++] = rep;
    if (rep == p->fold_fail)
        return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "fold failed at %u", rep);
    return rep == p->stop_after ? 1 : 0;
}

/* Run max replications on jobs threads with p's rules; returns rc, *used set. */
static int probe_go(struct probe *p, uint32_t max, unsigned jobs, uint32_t *used,
                    struct ccs_diag *d)
{
    struct ccs__reps r = {max, PARTS, jobs, p, probe_run, probe_fold};
    p->window = ccs__reps_window(&r);
    p->slots = calloc((size_t)p->window * PARTS, sizeof *p->slots);
    assert_non_null(p->slots);
    p->n_folded = 0;
    p->bad_order = false;
    ccs_diag_clear(d);
    int rc = ccs__reps_run(&r, used, d);
    free(p->slots);
    p->slots = NULL;
    return rc;
}

static void probe_init(struct probe *p)
{
    memset(p, 0, sizeof *p);
    p->stop_after = p->fold_fail = UINT32_MAX;
    for (int i = 0; i < 3; i++)
        p->fail_rep[i] = p->fail_part[i] = UINT32_MAX;
}

static const unsigned jobs_list[] = {1, 2, 3, 5};

static void test_fold_order(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof jobs_list / sizeof *jobs_list; k++) {
        struct probe p;
        probe_init(&p);
        struct ccs_diag d;
        uint32_t used;
        assert_int_equal(probe_go(&p, 60, jobs_list[k], &used, &d), 0);
        assert_int_equal(used, 60);
        assert_int_equal(p.n_folded, 60);
        assert_false(p.bad_order);
    }
}

static void test_window(void **state)
{
    (void)state;
    struct ccs__reps r = {100, 1, 1, NULL, probe_run, probe_fold};
    assert_int_equal(ccs__reps_window(&r), 1); /* one thread: strictly sequential */
    r.jobs = 2;
    assert_true(ccs__reps_window(&r) >= 2);
    r.max = 1;
    assert_int_equal(ccs__reps_window(&r), 1);
}

/* The stopping rule sees exactly replications 0..k, whatever ran ahead of it. */
static void test_stop_exact(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof jobs_list / sizeof *jobs_list; k++) {
        for (uint32_t stop = 0; stop < 40; stop += 13) {
            struct probe p;
            probe_init(&p);
            p.stop_after = stop;
            /* a failure just past the stopping point never counts */
            p.fail_rep[0] = stop + 1;
            p.fail_part[0] = 0;
            struct ccs_diag d;
            uint32_t used;
            assert_int_equal(probe_go(&p, MAX_REPS, jobs_list[k], &used, &d), 0);
            assert_int_equal(used, stop + 1);
            assert_int_equal(p.n_folded, stop + 1);
            assert_false(p.bad_order);
        }
    }
}

/* The error reported is the one a loop over replications, then parts, meets first. */
static void test_failure_in_order(void **state)
{
    (void)state;
    for (size_t k = 0; k < sizeof jobs_list / sizeof *jobs_list; k++) {
        struct probe p;
        probe_init(&p);
        p.fail_rep[0] = 31; /* ends first: no delay difference matters */
        p.fail_part[0] = 0;
        p.fail_rep[1] = 17;
        p.fail_part[1] = 2;
        p.fail_rep[2] = 17;
        p.fail_part[2] = 1;
        struct ccs_diag d;
        uint32_t used;
        assert_int_equal(probe_go(&p, 100, jobs_list[k], &used, &d), CCS_EINVAL);
        assert_string_equal(d.msg, "<input>: error: failed at 17.1");
        assert_int_equal(used, 17);
        assert_int_equal(p.n_folded, 17);
        assert_false(p.bad_order);

        probe_init(&p);
        p.fold_fail = 9;
        assert_int_equal(probe_go(&p, 100, jobs_list[k], &used, &d), CCS_ENOMEM);
        assert_string_equal(d.msg, "<input>: error: fold failed at 9");
        assert_int_equal(p.n_folded, 10);
    }
}

/* --- the public entry points ---------------------------------------------------------------- */

static const char day[] = "name: day\n"
                          "seed: 11\n"
                          "replications: 7\n"
                          "horizon: 3h\n"
                          "interval: 30m\n"
                          "queues:\n"
                          "  - id: sales\n"
                          "    sla: {target: 80%, within: 20s}\n"
                          "    arrivals: {rate: 50/h}\n"
                          "    handle_time: {dist: exponential, mean: 4m}\n"
                          "    patience: {dist: exponential, mean: 3m}\n"
                          "  - id: support\n"
                          "    sla: {target: 80%, within: 30s}\n"
                          "    arrivals: {rate: 40/h}\n"
                          "    handle_time: {dist: lognormal, mean: 5m, cv: 1}\n"
                          "groups:\n"
                          "  - id: a\n"
                          "    agents: 4\n"
                          "    skills: [sales, support]\n"
                          "  - id: b\n"
                          "    agents: 3\n"
                          "    skills: [support]\n";

static struct ccs_scenario *load(const char *text)
{
    struct ccs_scenario *sc = load_yaml_string(text);
    assert_non_null(sc);
    return sc;
}

/* Bitwise equality, NaN equal to NaN. */
static void same(double a, double b)
{
    assert_memory_equal(&a, &b, sizeof a);
}

static void test_run_jobs(void **state)
{
    (void)state;
    struct ccs_scenario *sc = load(day);
    struct ccs_summary *sum[4];
    unsigned jobs[4] = {1, 2, 3, 0};
    struct ccs_diag d;
    for (int i = 0; i < 4; i++) {
        struct ccs_run_opts o = ccs_run_opts_default(sc);
        o.sample_every = 600;
        o.jobs = jobs[i];
        assert_int_equal(ccs_run(sc, &o, &sum[i], &d), 0);
    }
    const struct ccs_layout *l = ccs_summary_layout(sum[0]);
    for (int i = 1; i < 4; i++) {
        assert_int_equal(ccs_summary_replications(sum[i]), 7);
        for (size_t k = 0; k < l->n; k++) {
            same(ccs_summary_mean(sum[0], k), ccs_summary_mean(sum[i], k));
            same(ccs_summary_halfwidth(sum[0], k), ccs_summary_halfwidth(sum[i], k));
        }
        for (uint32_t r = 0; r < 7; r++)
            for (size_t k = 0; k < l->n_whole; k++)
                same(ccs_summary_value(sum[0], r, k), ccs_summary_value(sum[i], r, k));
        assert_int_equal(ccs_summary_series_points(sum[i]), ccs_summary_series_points(sum[0]));
        for (size_t p = 0; p < ccs_summary_series_points(sum[0]); p++)
            for (size_t c = 0; c < ccs_summary_series_cols(sum[0]); c++) {
                same(ccs_summary_series_mean(sum[0], p, c), ccs_summary_series_mean(sum[i], p, c));
                same(ccs_summary_series_halfwidth(sum[0], p, c),
                     ccs_summary_series_halfwidth(sum[i], p, c));
            }
        for (int q = -1; q < 2; q++)
            for (double x = 0; x < 300; x += 7.5)
                same(ccs_summary_wait_cdf(sum[0], q, x), ccs_summary_wait_cdf(sum[i], q, x));
        struct ccs_sim_balance b0, bi;
        ccs_summary_balance(sum[0], &b0);
        ccs_summary_balance(sum[i], &bi);
        assert_memory_equal(&b0, &bi, sizeof b0);
    }
    for (int i = 0; i < 4; i++)
        ccs_summary_free(sum[i]);
    ccs_scenario_free(sc);
}

/* ccs_run_opts.whole_run_only: the same whole-run results to the bit (means,
   half-widths, each replication's values, waits), with one thread or two;
   interval keys read as no replications. */
static void test_whole_run_only(void **state)
{
    (void)state;
    struct ccs_scenario *sc = load(day);
    struct ccs_diag d;
    struct ccs_run_opts o = ccs_run_opts_default(sc);
    struct ccs_summary *all, *whole[2];
    assert_int_equal(ccs_run(sc, &o, &all, &d), 0);
    assert_true(ccs_summary_has_intervals(all));
    for (int i = 0; i < 2; i++) {
        o.whole_run_only = true;
        o.jobs = (unsigned)i + 1;
        assert_int_equal(ccs_run(sc, &o, &whole[i], &d), 0);
        assert_false(ccs_summary_has_intervals(whole[i]));
    }
    const struct ccs_layout *l = ccs_summary_layout(all);
    assert_true(l->n > l->n_whole);
    for (int i = 0; i < 2; i++) {
        struct ccs_summary *w = whole[i];
        assert_int_equal(ccs_summary_replications(w), 7);
        for (size_t k = 0; k < l->n_whole; k++) {
            same(ccs_summary_n(all, k), ccs_summary_n(w, k));
            same(ccs_summary_mean(all, k), ccs_summary_mean(w, k));
            same(ccs_summary_sd(all, k), ccs_summary_sd(w, k));
            same(ccs_summary_halfwidth(all, k), ccs_summary_halfwidth(w, k));
            for (uint32_t r = 0; r < 7; r++)
                same(ccs_summary_value(all, r, k), ccs_summary_value(w, r, k));
        }
        for (size_t k = l->n_whole; k < l->n; k++) {
            assert_true(ccs_summary_n(w, k) == 0);
            assert_true(isnan(ccs_summary_mean(w, k)) && isnan(ccs_summary_halfwidth(w, k)));
        }
        for (int q = -1; q < 2; q++)
            for (double p = 0; p <= 1; p += 0.05)
                same(ccs_summary_wait_quantile(all, q, p), ccs_summary_wait_quantile(w, q, p));
    }
    /* ccs_run_one into a summary without intervals: NaN past the whole run */
    double *v = malloc(l->n * sizeof *v);
    assert_non_null(v);
    assert_int_equal(ccs_run_one(sc, 11, 7, whole[0], v, &d), 0);
    assert_true(isnan(v[l->n - 1]) && !isnan(v[0]));
    assert_int_equal(ccs_summary_replications(whole[0]), 8);
    free(v);
    /* the memory estimate of each mode: whole-run only holds the whole-run
       keys only (summary and simulation: at least two doubles a key fewer) */
    double full = ccs_run_memory_estimate(sc, 1, false), wo = ccs_run_memory_estimate(sc, 1, true);
    assert_true(wo > 0 && wo < full);
    assert_true(full - wo >= (double)(l->n - l->n_whole) * 2 * sizeof(double));
    assert_true(ccs_run_memory_estimate(sc, 2, true) > wo);
    assert_true(ccs_run_memory_estimate(sc, 2, true) < ccs_run_memory_estimate(sc, 2, false));
    ccs_summary_free(all);
    ccs_summary_free(whole[0]);
    ccs_summary_free(whole[1]);
    ccs_scenario_free(sc);
}

static void test_compare_precision_jobs(void **state)
{
    (void)state;
    struct ccs_scenario *a = load(day);
    struct ccs_override ov = {"groups.a.agents", "5", "test", 1, 1};
    struct ccs_scenario *b;
    struct ccs_diag d;
    assert_int_equal(ccs_scenario_derive(a, &ov, 1, &b, &d), 0);
    struct ccs_variant v[2] = {{"baseline", a, NULL}, {"plus1", b, NULL}};
    struct ccs_precision t;
    assert_int_equal(ccs_precision_parse("service_level=4%", "test", &t, &d), 0);
    struct ccs_compare *c[3];
    unsigned jobs[3] = {1, 4, 3};
    for (int i = 0; i < 3; i++) {
        struct ccs_compare_opts o = ccs_compare_opts_default(a);
        o.targets = &t;
        o.n_targets = 1;
        o.jobs = jobs[i];
        assert_int_equal(ccs_compare_run(v, 2, &o, &c[i], &d), 0);
    }
    /* the rule stops between the start (10) and the cap: a real sequential decision */
    uint32_t n = ccs_compare_count(c[0]);
    assert_true(n > 10 && n < 1000);
    for (int i = 1; i < 3; i++) {
        assert_int_equal(ccs_compare_count(c[i]), n);
        assert_int_equal(ccs_compare_targets_met(c[i]), ccs_compare_targets_met(c[0]));
        same(ccs_compare_target_achieved(c[i], 0), ccs_compare_target_achieved(c[0], 0));
        for (size_t vi = 0; vi < 2; vi++)
            for (size_t k = 0; k < ccs_compare_key_count(c[0]); k++) {
                struct ccs_compare_stat s0, si;
                ccs_compare_get(c[0], vi, k, &s0);
                ccs_compare_get(c[i], vi, k, &si);
                assert_memory_equal(&s0, &si, sizeof s0);
            }
        assert_int_equal(ccs_summary_replications(ccs_compare_variant_summary(c[i], 1)), n);
    }
    for (int i = 0; i < 3; i++)
        ccs_compare_free(c[i]);
    ccs_scenario_free(b);
    ccs_scenario_free(a);
}

static void test_staff_jobs(void **state)
{
    (void)state;
    struct ccs_scenario *sc = load(day);
    struct ccs_staffing *st[2];
    unsigned jobs[2] = {1, 3};
    struct ccs_diag d;
    for (int i = 0; i < 2; i++) {
        struct ccs_staff_opts o = ccs_staff_opts_default(sc);
        o.replications = 5;
        o.max_rounds = 6;
        o.jobs = jobs[i];
        assert_int_equal(ccs_staff(sc, &o, &st[i], &d), 0);
    }
    size_t cells = st[0]->n_groups * st[0]->n_intervals;
    size_t sl = st[0]->n_intervals * st[0]->n_queues;
    assert_int_equal(st[1]->rounds, st[0]->rounds);
    assert_int_equal(st[1]->status, st[0]->status);
    assert_memory_equal(st[1]->plan, st[0]->plan, cells * sizeof *st[0]->plan);
    assert_memory_equal(st[1]->net, st[0]->net, cells * sizeof *st[0]->net);
    assert_memory_equal(st[1]->occ, st[0]->occ, cells * sizeof *st[0]->occ);
    assert_memory_equal(st[1]->sl, st[0]->sl, sl * sizeof *st[0]->sl);
    assert_memory_equal(st[1]->sl_hw, st[0]->sl_hw, sl * sizeof *st[0]->sl_hw);
    for (int i = 0; i < 2; i++)
        ccs_staffing_free(st[i]);
    ccs_scenario_free(sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_fold_order),
        cmocka_unit_test(test_window),
        cmocka_unit_test(test_stop_exact),
        cmocka_unit_test(test_failure_in_order),
        cmocka_unit_test(test_run_jobs),
        cmocka_unit_test(test_whole_run_only),
        cmocka_unit_test(test_compare_precision_jobs),
        cmocka_unit_test(test_staff_jobs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
