/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_compare.c - comparisons (include/ccs/compare.h): a variant identical
 * to the baseline differs by exactly zero everywhere; keys are matched by
 * ids when layouts differ; the sequential rule stops at the first
 * replication count whose paired half-width meets the target (recomputed
 * here independently) and respects its cap; batch means lengthen one run
 * whose prefix stays identical, with channel rows from each batch's queue
 * values; the verdict rule; compare.csv's shape;
 * and the exact located errors of --variant, --precision and `variants:`.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ccs/ccs.h"
#include "support.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <string.h>

#define DEFAULT_YAML CCS_SOURCE_DIR "/scenarios/default.yaml"

static struct ccs_scenario *load(const char *path, const char *set)
{
    struct ccs_scenario *sc = NULL;
    struct ccs_diag d;
    struct ccs_override ov;
    char buf[256];
    ccs_diag_clear(&d);
    if (set != NULL)
        assert_int_equal(ccs_override_parse(set, "--set", buf, sizeof buf, &ov, &d), 0);
    if (ccs_scenario_load(path, set ? &ov : NULL, set ? 1 : 0, &sc, &d) != 0)
        fprintf(stderr, "%s\n", d.msg);
    assert_non_null(sc);
    return sc;
}

static struct ccs_scenario *derive(const struct ccs_scenario *base, const char *set)
{
    struct ccs_scenario *sc = NULL;
    struct ccs_diag d;
    struct ccs_override ov;
    char buf[256];
    ccs_diag_clear(&d);
    if (set != NULL)
        assert_int_equal(ccs_override_parse(set, "--set", buf, sizeof buf, &ov, &d), 0);
    if (ccs_scenario_derive(base, set ? &ov : NULL, set ? 1 : 0, &sc, &d) != 0)
        fprintf(stderr, "%s\n", d.msg);
    assert_non_null(sc);
    return sc;
}

static struct ccs_compare *run2(const struct ccs_scenario *a, const struct ccs_scenario *b,
                                const struct ccs_compare_opts *o)
{
    struct ccs_variant v[2] = {{"baseline", a, NULL}, {"other", b, NULL}};
    struct ccs_compare *c = NULL;
    struct ccs_diag d;
    ccs_diag_clear(&d);
    if (ccs_compare_run(v, 2, o, &c, &d) != 0)
        fprintf(stderr, "%s\n", d.msg);
    assert_non_null(c);
    return c;
}

/* --- identical variants ------------------------------------------------------------------- */

static void check_all_zero(const struct ccs_compare *c, size_t min_defined)
{
    size_t defined = 0;
    for (size_t k = 0; k < ccs_compare_key_count(c); k++) {
        struct ccs_compare_stat b, s;
        ccs_compare_get(c, 0, k, &b);
        ccs_compare_get(c, 1, k, &s);
        assert_true(s.present);
        /* the same numbers, bit for bit */
        assert_memory_equal(&b.mean, &s.mean, sizeof b.mean);
        assert_memory_equal(&b.halfwidth, &s.halfwidth, sizeof b.halfwidth);
        assert_true(b.n == s.n && s.diff_n == s.n);
        if (s.diff_n == 0) {
            assert_true(isnan(s.mean) && isnan(s.diff));
            continue;
        }
        defined++;
        assert_true(s.diff == 0.0);
        assert_true(s.diff_n < 2 || s.diff_halfwidth == 0.0);
        assert_true(s.verdict == CCS_VERDICT_NONE || s.verdict == CCS_VERDICT_NA);
    }
    assert_true(defined >= min_defined);
}

static void test_identical_is_exactly_zero(void **state)
{
    (void)state;
    struct ccs_scenario *base = load(DEFAULT_YAML, NULL);
    struct ccs_scenario *same = derive(base, NULL);
    /* a variant that sets a value to what it already is */
    struct ccs_scenario *noop = derive(base, "groups.sales_team.agents=17");
    struct ccs_compare_opts o = ccs_compare_opts_default(base);
    o.replications = 6;
    struct ccs_compare *c = run2(base, same, &o);
    assert_int_equal(ccs_compare_count(c), 6);
    check_all_zero(c, 500);
    ccs_compare_free(c);
    c = run2(base, noop, &o);
    check_all_zero(c, 500);
    ccs_compare_free(c);
    /* also in batch-means mode */
    struct ccs_scenario *ss = load(DEFAULT_YAML, "warmup=1h");
    struct ccs_scenario *ss2 = derive(ss, NULL);
    o = ccs_compare_opts_default(ss);
    c = run2(ss, ss2, &o);
    assert_int_equal(ccs_compare_method(c), CCS_CMP_BATCH_MEANS);
    assert_int_equal(ccs_compare_count(c), 13); /* 8h: 2 warm-up intervals, 1 dropped */
    check_all_zero(c, 30);
    ccs_compare_free(c);
    ccs_scenario_free(ss2);
    ccs_scenario_free(ss);
    ccs_scenario_free(noop);
    ccs_scenario_free(same);
    ccs_scenario_free(base);
}

/* --- a real difference, and keys matched by ids ---------------------------------------------- */

static void test_difference_and_verdicts(void **state)
{
    (void)state;
    struct ccs_scenario *base = load(DEFAULT_YAML, NULL);
    struct ccs_scenario *plus = derive(base, "groups.sales_team.agents=19");
    struct ccs_compare_opts o = ccs_compare_opts_default(base);
    struct ccs_compare *c = run2(base, plus, &o);
    assert_int_equal(ccs_compare_count(c), 20); /* the scenario's replications */
    long k = ccs_compare_find(c, CCS_SCOPE_QUEUE, CCS_KPI_service_level, 0, -1, -1, -1);
    assert_true(k >= 0);
    struct ccs_compare_stat s, b;
    ccs_compare_get(c, 0, (size_t)k, &b);
    ccs_compare_get(c, 1, (size_t)k, &s);
    assert_int_equal(b.verdict, CCS_VERDICT_BASELINE);
    assert_true(s.diff > 0 && s.diff_halfwidth > 0 && s.diff_halfwidth < s.diff);
    assert_int_equal(s.verdict, CCS_VERDICT_BETTER);
    /* the paired mean difference is the difference of the means */
    assert_true(fabs(s.diff - (s.mean - b.mean)) < 1e-12);
    /* the variant's mean equals what `ccsim run` reports for it */
    const struct ccs_summary *sum = ccs_compare_variant_summary(c, 1);
    long kr = ccs_layout_find(ccs_summary_layout(sum), CCS_SCOPE_QUEUE, CCS_KPI_service_level, 0,
                              -1, -1, -1);
    assert_true(fabs(ccs_summary_mean(sum, (size_t)kr) - s.mean) < 1e-12);
    k = ccs_compare_find(c, CCS_SCOPE_OVERALL, CCS_KPI_asa, -1, -1, -1, -1);
    ccs_compare_get(c, 1, (size_t)k, &s);
    assert_int_equal(s.verdict, CCS_VERDICT_BETTER); /* lower is better */
    k = ccs_compare_find(c, CCS_SCOPE_OVERALL, CCS_KPI_offered, -1, -1, -1, -1);
    ccs_compare_get(c, 1, (size_t)k, &s);
    assert_int_equal(s.verdict, CCS_VERDICT_NA); /* a volume: no good direction */
    assert_true(s.diff == 0.0);                  /* same arrivals */
    k = ccs_compare_find(c, CCS_SCOPE_OVERALL, CCS_KPI_service_level, -1, -1, -1, 3);
    assert_true(k >= 0); /* the interval view */
    ccs_compare_get(c, 1, (size_t)k, &s);
    assert_true(s.present && !isnan(s.diff));
    ccs_compare_free(c);
    ccs_scenario_free(plus);
    ccs_scenario_free(base);
}

#define TWO_QUEUES                                                                              \
    "name: t\nseed: 5\nreplications: 4\nhorizon: 2h\ninterval: 30m\n"                         \
    "queues:\n"                                                                                 \
    "  - {id: a, arrivals: {rate: 2/min}, handle_time: {dist: exponential, mean: 3m},"          \
    " patience: {dist: exponential, mean: 2m}}\n"                                               \
    "  - {id: b, arrivals: {rate: 1/min}, handle_time: {dist: exponential, mean: 3m}}\n"       \
    "groups:\n"                                                                                 \
    "  - {id: g1, agents: 7, skills: [a, b]}\n"                                                 \
    "  - {id: g2, agents: 3, skills: [b]}\n"

/* queue a alone, listed second-to-none, and a group renamed: only shared keys compare */
#define ONE_QUEUE                                                                               \
    "name: t\nseed: 5\nreplications: 4\nhorizon: 3h\ninterval: 30m\n"                         \
    "queues:\n"                                                                                 \
    "  - {id: a, arrivals: {rate: 2/min}, handle_time: {dist: exponential, mean: 3m},"          \
    " patience: {dist: exponential, mean: 2m}}\n"                                               \
    "groups:\n"                                                                                 \
    "  - {id: g3, agents: 2, skills: [a]}\n"                                                    \
    "  - {id: g1, agents: 7, skills: [a]}\n"

static void test_keys_matched_by_ids(void **state)
{
    (void)state;
    struct ccs_scenario *a = load_yaml_string(TWO_QUEUES), *b = load_yaml_string(ONE_QUEUE);
    assert_non_null(a);
    assert_non_null(b);
    struct ccs_compare_opts o = ccs_compare_opts_default(a);
    struct ccs_compare *c = run2(a, b, &o);
    /* the baseline's keys are the ones reported */
    assert_int_equal(ccs_compare_key_count(c), ccs_scenario_layout(a)->n);
    const struct ccs_summary *sb = ccs_compare_variant_summary(c, 1);
    const struct ccs_layout *lb = ccs_summary_layout(sb);
    size_t shared = 0, missing = 0;
    for (size_t k = 0; k < ccs_compare_key_count(c); k++) {
        struct ccs_key key = ccs_compare_key(c, k);
        struct ccs_compare_stat s;
        ccs_compare_get(c, 1, k, &s);
        /* in b: queue a is 0, queue b absent; group g1 is 1, g2 absent; 6 intervals */
        int q = key.queue == 1 ? -2 : key.queue;
        int g = key.group == 0 ? 1 : key.group == 1 ? -2 : key.group;
        bool exists = q != -2 && g != -2;
        long kb = exists ? ccs_layout_find(lb, (enum ccs_scope)key.scope, (enum ccs_kpi)key.kpi,
                                           q, key.segment, g, key.interval)
                         : -1;
        assert_int_equal(s.present, kb >= 0);
        if (kb < 0) {
            missing++;
            continue;
        }
        shared++;
        double want = ccs_summary_mean(sb, (size_t)kb);
        assert_true((isnan(want) && isnan(s.mean)) ||
                    fabs(want - s.mean) <= 1e-12 * fmax(1.0, fabs(want)));
    }
    assert_true(shared > 50 && missing > 20);
    ccs_compare_free(c);
    ccs_scenario_free(a);
    ccs_scenario_free(b);
}

#define SEGMENTS(order)                                                                         \
    "name: s\nseed: 9\nreplications: 5\nhorizon: 2h\n"                                          \
    "queues:\n"                                                                                 \
    "  - id: q\n"                                                                               \
    "    arrivals: {rate: 3/min}\n"                                                             \
    "    handle_time: {dist: exponential, mean: 3m}\n"                                          \
    "    patience: {dist: exponential, mean: 2m}\n"                                             \
    "    segments: " order "\n"                                                                 \
    "groups:\n"                                                                                 \
    "  - {id: g, agents: 10, skills: [q]}\n"

/* Segments are matched by id, not by their position in the list. */
static void test_segments_matched_by_id(void **state)
{
    (void)state;
    struct ccs_scenario *a = load_yaml_string(
        SEGMENTS("[{id: regular, share: 80%}, {id: vip, share: 20%, priority: 1}]"));
    struct ccs_scenario *b = load_yaml_string(
        SEGMENTS("[{id: vip, share: 20%, priority: 1}, {id: regular, share: 80%}]"));
    assert_non_null(a);
    assert_non_null(b);
    struct ccs_precision p;
    struct ccs_diag d;
    assert_int_equal(ccs_precision_parse("segment:q/vip:service_level=50%", "--precision", &p, &d),
                     0);
    struct ccs_compare_opts o = ccs_compare_opts_default(a);
    o.targets = &p;
    o.n_targets = 1;
    struct ccs_compare *c = run2(a, b, &o);
    const struct ccs_summary *sb = ccs_compare_variant_summary(c, 1);
    for (int seg = 0; seg < 2; seg++) {
        /* segment `seg` of a is segment 1 - seg of b */
        long k = ccs_compare_find(c, CCS_SCOPE_SEGMENT, CCS_KPI_offered, 0, seg, -1, -1);
        long kb = ccs_layout_find(ccs_summary_layout(sb), CCS_SCOPE_SEGMENT, CCS_KPI_offered, 0,
                                  1 - seg, -1, -1);
        assert_true(k >= 0 && kb >= 0);
        struct ccs_compare_stat s;
        ccs_compare_get(c, 1, (size_t)k, &s);
        assert_true(s.present);
        assert_true(fabs(s.mean - ccs_summary_mean(sb, (size_t)kb)) < 1e-9);
    }
    /* vip is about a fifth of the contacts in both */
    long k = ccs_compare_find(c, CCS_SCOPE_SEGMENT, CCS_KPI_offered, 0, 1, -1, -1);
    struct ccs_compare_stat s0, s1;
    ccs_compare_get(c, 0, (size_t)k, &s0);
    ccs_compare_get(c, 1, (size_t)k, &s1);
    assert_true(s0.mean < 0.3 * 360 && s1.mean < 0.3 * 360);
    ccs_compare_free(c);
    ccs_scenario_free(a);
    ccs_scenario_free(b);
}

/* --- the sequential rule --------------------------------------------------------------------- */

/* Paired half-width of overall service level after n replications, computed here. */
static void reference_hw(const struct ccs_scenario *a, const struct ccs_scenario *b, size_t n_max,
                         double *hw)
{
    const struct ccs_layout *la = ccs_scenario_layout(a), *lb = ccs_scenario_layout(b);
    long ka = ccs_layout_find(la, CCS_SCOPE_OVERALL, CCS_KPI_service_level, -1, -1, -1, -1);
    long kb = ccs_layout_find(lb, CCS_SCOPE_OVERALL, CCS_KPI_service_level, -1, -1, -1, -1);
    double *va = malloc(la->n * sizeof *va), *vb = malloc(lb->n * sizeof *vb);
    double *diff = malloc(n_max * sizeof *diff);
    struct ccs_summary *sa = ccs_summary_new(a, 0.95, 0), *sb = ccs_summary_new(b, 0.95, 0);
    struct ccs_diag d;
    for (size_t r = 0; r < n_max; r++) {
        assert_int_equal(ccs_run_one(a, ccs_scenario_seed(a), (uint32_t)r, sa, va, &d), 0);
        assert_int_equal(ccs_run_one(b, ccs_scenario_seed(a), (uint32_t)r, sb, vb, &d), 0);
        diff[r] = vb[kb] - va[ka];
        size_t n = r + 1;
        hw[r] = NAN;
        if (n >= 2) {
            double sd = gsl_stats_sd(diff, 1, n);
            hw[r] = gsl_cdf_tdist_Pinv(0.975, (double)(n - 1)) * sd / sqrt((double)n);
        }
    }
    ccs_summary_free(sa);
    ccs_summary_free(sb);
    free(va);
    free(vb);
    free(diff);
}

static void test_sequential_rule(void **state)
{
    (void)state;
    struct ccs_scenario *base = load(DEFAULT_YAML, "horizon=4h");
    struct ccs_scenario *plus = derive(base, "groups.sales_team.agents=18");
    enum { N = 60 };
    double hw[N];
    reference_hw(base, plus, N, hw);
    /* a target first met somewhere between 20 and 60 replications */
    double target = hw[39] * 1.0001;
    size_t want = 0;
    for (size_t n = 10; n <= N && want == 0; n++)
        if (hw[n - 1] <= target)
            want = n;
    assert_true(want > 10 && want <= 40);

    struct ccs_precision p;
    struct ccs_diag d;
    assert_int_equal(ccs_precision_parse("service_level=1%", "--precision", &p, &d), 0);
    p.halfwidth = target;
    struct ccs_compare_opts o = ccs_compare_opts_default(base);
    o.targets = &p;
    o.n_targets = 1;
    struct ccs_compare *c = run2(base, plus, &o);
    assert_int_equal(ccs_compare_count(c), want);
    assert_true(ccs_compare_targets_met(c));
    double got = ccs_compare_target_achieved(c, 0);
    assert_true(got <= target);
    assert_true(fabs(got - hw[want - 1]) < 1e-12);
    assert_true(hw[want - 2] > target); /* it did not stop later than needed */
    long k = ccs_compare_find(c, CCS_SCOPE_OVERALL, CCS_KPI_service_level, -1, -1, -1, -1);
    struct ccs_compare_stat s;
    ccs_compare_get(c, 1, (size_t)k, &s);
    assert_true(s.diff_halfwidth == got); /* the reported half-width is the achieved one */
    ccs_compare_free(c);

    /* an unreachable target stops at the cap, saying so */
    p.halfwidth = 1e-6;
    o.max_replications = 25;
    c = run2(base, plus, &o);
    assert_int_equal(ccs_compare_count(c), 25);
    assert_false(ccs_compare_targets_met(c));
    assert_true(fabs(ccs_compare_target_achieved(c, 0) - hw[24]) < 1e-12);
    ccs_compare_free(c);

    /* a loose target is met at the starting count */
    p.halfwidth = 0.5;
    o.replications = 7;
    c = run2(base, plus, &o);
    assert_int_equal(ccs_compare_count(c), 7);
    assert_true(ccs_compare_targets_met(c));
    ccs_compare_free(c);
    ccs_scenario_free(plus);
    ccs_scenario_free(base);
}

/* --- batch means ------------------------------------------------------------------------------- */

static void test_batch_means(void **state)
{
    (void)state;
    struct ccs_scenario *base = load(CCS_SOURCE_DIR "/scenarios/erlang-a.yaml", "horizon=6h");
    struct ccs_scenario *a = derive(base, "warmup=1h");
    struct ccs_scenario *b = derive(a, "groups.team.agents=101");
    struct ccs_precision p;
    struct ccs_diag d;
    assert_int_equal(ccs_precision_parse("asa=0.04s", "--precision", &p, &d), 0);
    struct ccs_compare_opts o = ccs_compare_opts_default(a);
    o.targets = &p;
    o.n_targets = 1;
    struct ccs_compare *c = run2(a, b, &o);
    assert_int_equal(ccs_compare_method(c), CCS_CMP_BATCH_MEANS);
    assert_int_equal(ccs_compare_first_batch(c), 1);
    uint32_t n = ccs_compare_count(c);
    double got = ccs_compare_target_achieved(c, 0);
    assert_true(ccs_compare_targets_met(c) && got <= 0.04);
    assert_true(n > 10); /* it had to grow from 10 batches */
    /* the run that was used: warm-up, n batches, one dropped interval */
    const struct ccs_scenario *ran = ccs_compare_variant_scenario(c, 0);
    assert_true(fabs(ccs_scenario_horizon(ran) - (n + 2) * 3600.0) < 1e-6);
    /* the same numbers from a fixed run of that many batches */
    struct ccs_compare_opts fixed = ccs_compare_opts_default(a);
    fixed.replications = n;
    struct ccs_compare *f = run2(a, b, &fixed);
    assert_int_equal(ccs_compare_count(f), n);
    long k = ccs_compare_find(f, CCS_SCOPE_OVERALL, CCS_KPI_asa, -1, -1, -1, -1);
    struct ccs_compare_stat s;
    ccs_compare_get(f, 1, (size_t)k, &s);
    assert_true(s.diff_halfwidth == got);
    assert_true(!isnan(s.diff_lag1) && fabs(s.diff_lag1) < 1);
    ccs_compare_free(f);
    ccs_compare_free(c);

    /* a cap below what is needed */
    p.halfwidth = 1e-4;
    o.max_replications = 30;
    c = run2(a, b, &o);
    assert_int_equal(ccs_compare_count(c), 30);
    assert_false(ccs_compare_targets_met(c));
    ccs_compare_free(c);

    /* only per-interval KPIs can be batch-means targets */
    assert_int_equal(ccs_precision_parse("wait_p90=1s", "--precision", &p, &d), 0);
    struct ccs_variant v[2] = {{"baseline", a, NULL}, {"b", b, NULL}};
    ccs_diag_clear(&d);
    assert_int_equal(ccs_compare_run(v, 2, &o, &c, &d), CCS_EINVAL);
    assert_string_equal(d.msg, "--precision: error: 'wait_p90': batch means can only target KPIs "
                               "measured per interval, at overall, queue or group scope "
                               "(docs/compare.md)");
    ccs_scenario_free(b);
    ccs_scenario_free(a);
    ccs_scenario_free(base);
}

/* Batch means' channel rows: a batch's values are its interval's, so a
   channel of one queue has exactly the queue's rows; under a definition
   that keeps no count per interval there are none, and the API says so. */
static void test_batch_channels(void **state)
{
    (void)state;
    struct ccs_scenario *a = load(CCS_SOURCE_DIR "/scenarios/blended-email.yaml", "warmup=2h");
    struct ccs_scenario *b = derive(a, "routing.reserve=2");
    struct ccs_compare_opts o = ccs_compare_opts_default(a);
    struct ccs_compare *c = run2(a, b, &o);
    assert_int_equal(ccs_compare_method(c), CCS_CMP_BATCH_MEANS);
    assert_false(ccs_compare_channels_dropped(c));
    assert_int_equal(ccs_compare_channel_rows(c), 6); /* voice, email x 3 */
    for (size_t i = 0; i < ccs_compare_channel_rows(c); i++) {
        enum ccs_channel ch;
        enum ccs_kpi kpi;
        ccs_compare_channel_row(c, i, &ch, &kpi);
        int q = ch == CCS_CH_VOICE ? 0 : 1; /* queue 0 is voice, 1 email */
        assert_true(ch == (i < 3 ? CCS_CH_VOICE : CCS_CH_EMAIL));
        long k = ccs_compare_find(c, CCS_SCOPE_QUEUE, kpi, q, -1, -1, -1);
        assert_true(k >= 0);
        for (size_t v = 0; v < 2; v++) {
            struct ccs_compare_stat x, y;
            ccs_compare_channel_get(c, v, i, &x);
            ccs_compare_get(c, v, (size_t)k, &y);
            assert_true(x.present && x.n == y.n && x.n >= 10);
            assert_true(fabs(x.mean - y.mean) <= 1e-9 * fmax(1, fabs(y.mean)));
            assert_true(fabs(x.diff - y.diff) <= 1e-9 * fmax(1, fabs(y.diff)));
            assert_int_equal(x.verdict, y.verdict);
            if (v == 1 && y.diff_halfwidth > 0)
                assert_true(fabs(x.diff_lag1 - y.diff_lag1) < 1e-9);
        }
    }
    ccs_compare_free(c);
    ccs_scenario_free(b);
    ccs_scenario_free(a);

    a = load(CCS_SOURCE_DIR "/scenarios/blended-email.yaml", "warmup=2h");
    struct ccs_scenario *h = derive(a, "service_level_definition=handled");
    b = derive(h, "routing.reserve=2");
    o = ccs_compare_opts_default(h);
    c = run2(h, b, &o);
    assert_true(ccs_compare_channels_dropped(c));
    assert_int_equal(ccs_compare_channel_rows(c), 0);
    ccs_compare_free(c);
    /* replications have them under every definition */
    o.method = CCS_CMP_REPLICATIONS;
    o.replications = 3;
    c = run2(h, b, &o);
    assert_false(ccs_compare_channels_dropped(c));
    assert_int_equal(ccs_compare_channel_rows(c), 6);
    ccs_compare_free(c);
    ccs_scenario_free(b);
    ccs_scenario_free(h);
    ccs_scenario_free(a);
}

/* A longer run with the same seed repeats a shorter one's intervals exactly. */
static void test_longer_run_prefix(void **state)
{
    (void)state;
    struct ccs_scenario *s1 = load(CCS_SOURCE_DIR "/scenarios/erlang-a.yaml", "horizon=5h");
    struct ccs_scenario *s2 = derive(s1, "horizon=9h");
    const struct ccs_layout *l1 = ccs_scenario_layout(s1), *l2 = ccs_scenario_layout(s2);
    double *v1 = malloc(l1->n * sizeof *v1), *v2 = malloc(l2->n * sizeof *v2);
    struct ccs_summary *a = ccs_summary_new(s1, 0.95, 0), *b = ccs_summary_new(s2, 0.95, 0);
    struct ccs_diag d;
    assert_int_equal(ccs_run_one(s1, 3, 0, a, v1, &d), 0);
    assert_int_equal(ccs_run_one(s2, 3, 0, b, v2, &d), 0);
    assert_int_equal(l1->n_block, l2->n_block);
    for (size_t i = 0; i + 1 < l1->n_intervals; i++) /* all but the last, cut short */
        for (size_t j = 0; j < l1->n_block; j++) {
            double x = v1[l1->n_whole + i * l1->n_block + j];
            double y = v2[l2->n_whole + i * l2->n_block + j];
            assert_memory_equal(&x, &y, sizeof x);
        }
    ccs_summary_free(a);
    ccs_summary_free(b);
    free(v1);
    free(v2);
    ccs_scenario_free(s2);
    ccs_scenario_free(s1);
}

/* --- the verdict rule ------------------------------------------------------------------------- */

static void test_verdict_rule(void **state)
{
    (void)state;
    assert_int_equal(ccs_verdict_of(+1, 0.02, 0.01), CCS_VERDICT_BETTER);
    assert_int_equal(ccs_verdict_of(+1, -0.02, 0.01), CCS_VERDICT_WORSE);
    assert_int_equal(ccs_verdict_of(-1, -2.0, 1.0), CCS_VERDICT_BETTER);
    assert_int_equal(ccs_verdict_of(-1, 2.0, 1.0), CCS_VERDICT_WORSE);
    assert_int_equal(ccs_verdict_of(+1, 0.01, 0.01), CCS_VERDICT_NONE); /* 0 on the edge */
    assert_int_equal(ccs_verdict_of(+1, 0.0, 0.0), CCS_VERDICT_NONE);
    assert_int_equal(ccs_verdict_of(+1, 0.5, 0.0), CCS_VERDICT_BETTER); /* always +0.5 */
    assert_int_equal(ccs_verdict_of(0, 5.0, 1.0), CCS_VERDICT_NA);
    assert_int_equal(ccs_verdict_of(+1, 5.0, NAN), CCS_VERDICT_NA);
    assert_string_equal(ccs_verdict_name(CCS_VERDICT_NONE), "no significant difference");
    assert_string_equal(ccs_verdict_name(CCS_VERDICT_NA), "n/a");
    assert_string_equal(ccs_verdict_name(CCS_VERDICT_BASELINE), "baseline");
}

/* --- compare.csv -------------------------------------------------------------------------------- */

static void test_csv(void **state)
{
    (void)state;
    struct ccs_scenario *base = load(DEFAULT_YAML, "horizon=2h");
    struct ccs_scenario *plus = derive(base, "groups.sales_team.agents=18");
    struct ccs_compare_opts o = ccs_compare_opts_default(base);
    o.replications = 3;
    struct ccs_compare *c = run2(base, plus, &o);
    char *text = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&text, &len);
    assert_int_equal(ccs_report_compare_csv(f, c), 0);
    fclose(f);
    const char *hdr = "variant,scope,queue,segment,group,interval,metric,unit,n,mean,halfwidth,"
                      "ci_low,ci_high,diff,diff_halfwidth,diff_ci_low,diff_ci_high,verdict,day,"
                      "clock\n";
    assert_memory_equal(text, hdr, strlen(hdr));
    size_t rows = 0;
    for (char *p = text; *p; p++)
        rows += *p == '\n';
    /* a row per variant and key, then per variant and channel row (voice:
       offered, service_level, asa) */
    assert_int_equal(ccs_compare_channel_rows(c), 3);
    assert_int_equal(rows, 1 + 2 * (ccs_compare_key_count(c) + ccs_compare_channel_rows(c)));
    assert_non_null(strstr(text, "\nother,channel,voice,,,,service_level,fraction,3,"));
    assert_non_null(strstr(text, "\nbaseline,channel,voice,,,,asa,seconds,3,"));
    assert_non_null(strstr(text, "\nbaseline,overall,,,,,offered,count,3,"));
    assert_non_null(strstr(text, ",0,0,0,0,baseline,,\n"));
    assert_non_null(strstr(text, "\nother,queue,sales,,,,service_level,fraction,3,"));
    assert_non_null(strstr(text, "\nother,group,,,sales_team,2,occupancy,fraction,3,"));
    assert_non_null(strstr(text, ",1,01:00:00\n")); /* interval 2 of 30 min: day 1, 01:00 */
    free(text);
    ccs_compare_free(c);
    ccs_scenario_free(plus);
    ccs_scenario_free(base);
}

/* --- located errors ------------------------------------------------------------------------------ */

static const char *spec_error(const char *text)
{
    static char msg[1024];
    struct ccs_variant_spec s;
    struct ccs_diag d;
    ccs_diag_clear(&d);
    if (ccs_variant_spec_parse(text, "--variant", &s, &d) == 0) {
        ccs_variant_spec_release(&s);
        return "(parsed)";
    }
    snprintf(msg, sizeof msg, "%s", d.msg);
    return msg;
}

static void test_variant_spec(void **state)
{
    (void)state;
    struct ccs_variant_spec s;
    struct ccs_diag d;
    assert_int_equal(ccs_variant_spec_parse("p1:groups.a.agents=3,groups.a.skills=[x, y],"
                                            "routing.policy=acd",
                                            "--variant", &s, &d),
                     0);
    assert_string_equal(s.name, "p1");
    assert_int_equal(s.n_ov, 3);
    assert_string_equal(s.ov[0].path, "groups.a.agents");
    assert_string_equal(s.ov[0].value, "3");
    assert_int_equal(s.ov[0].path_col, 4);
    assert_int_equal(s.ov[0].value_col, 20);
    assert_string_equal(s.ov[1].value, "[x, y]");
    assert_string_equal(s.ov[2].path, "routing.policy");
    assert_int_equal(s.ov[2].path_col, 45);
    ccs_variant_spec_release(&s);
    assert_int_equal(ccs_variant_spec_parse("same", "--variant", &s, &d), 0);
    assert_int_equal(s.n_ov, 0);
    ccs_variant_spec_release(&s);

    assert_string_equal(spec_error("groups.a.agents=3"),
                        "--variant:1:1: error: expected NAME:KEY.PATH=VALUE[,KEY.PATH=VALUE...] "
                        "(e.g. plus1:groups.team.agents=18), got 'groups.a.agents=3'");
    assert_string_equal(spec_error("a b:x=1"), "--variant:1:1: error: variant name must use only "
                                               "letters, digits, '_' and '-', got 'a b'");
    assert_string_equal(spec_error(":x=1"), "--variant:1:1: error: missing variant name before "
                                            "':' (expected NAME:KEY.PATH=VALUE,...)");
    assert_string_equal(spec_error("v:x=1,,y=2"), "--variant:1:7: error: empty override "
                                                  "(expected KEY.PATH=VALUE between commas)");
    assert_string_equal(spec_error("v:x=1,y"), "--variant:1:7: error: expected KEY.PATH=VALUE "
                                               "(e.g. groups.team.agents=18), got 'y'");

    /* errors in the values are located in the argument by the loader */
    struct ccs_scenario *base = load(DEFAULT_YAML, NULL), *out = NULL;
    assert_int_equal(ccs_variant_spec_parse("plus1:groups.sales_team.agents=-3", "--variant", &s,
                                            &d),
                     0);
    ccs_diag_clear(&d);
    assert_true(ccs_scenario_derive(base, s.ov, s.n_ov, &out, &d) != 0);
    assert_string_equal(d.msg,
                        "--variant:1:32: error: 'agents' must be a positive whole number, got '-3'");
    ccs_variant_spec_release(&s);
    ccs_scenario_free(base);
}

static const char *precision_error(const char *text)
{
    static char msg[1024];
    struct ccs_precision p;
    struct ccs_diag d;
    ccs_diag_clear(&d);
    if (ccs_precision_parse(text, "--precision", &p, &d) == 0)
        return "(parsed)";
    snprintf(msg, sizeof msg, "%s", d.msg);
    return msg;
}

static void test_precision_parse(void **state)
{
    (void)state;
    struct ccs_precision p;
    struct ccs_diag d;
    char name[128];
    assert_int_equal(ccs_precision_parse("service_level=1%", "--precision", &p, &d), 0);
    assert_int_equal(p.scope, CCS_SCOPE_OVERALL);
    assert_int_equal(p.kpi, CCS_KPI_service_level);
    assert_true(fabs(p.halfwidth - 0.01) < 1e-15);
    assert_int_equal(ccs_precision_parse("queue:sales:asa=2s", "--precision", &p, &d), 0);
    assert_int_equal(p.scope, CCS_SCOPE_QUEUE);
    assert_string_equal(p.queue, "sales");
    assert_true(p.halfwidth == 2.0);
    ccs_precision_name(&p, name, sizeof name);
    assert_string_equal(name, "queue:sales:asa");
    assert_int_equal(ccs_precision_parse("segment:service/vip:service_level=0.02", "--precision",
                                         &p, &d),
                     0);
    assert_string_equal(p.queue, "service");
    assert_string_equal(p.segment, "vip");
    assert_int_equal(ccs_precision_parse("group:team:occupancy=0.5%", "--precision", &p, &d), 0);
    assert_string_equal(p.group, "team");
    assert_int_equal(ccs_precision_parse("overall:abandoned=3", "--precision", &p, &d), 0);
    assert_true(p.halfwidth == 3.0);

    assert_string_equal(precision_error("service_level"),
                        "--precision:1:1: error: expected [SCOPE:]KPI=HALFWIDTH (e.g. "
                        "service_level=1% or queue:sales:asa=2s), got 'service_level'");
    assert_string_equal(precision_error("servce_level=1%"),
                        "--precision:1:1: error: unknown KPI 'servce_level'; did you mean "
                        "'service_level'? (docs/kpis.md)");
    assert_string_equal(precision_error("queue:sales:occupancy=1%"),
                        "--precision:1:13: error: KPI 'occupancy' is not measured per queue or "
                        "segment");
    assert_string_equal(precision_error("team:x:asa=1s"),
                        "--precision:1:1: error: unknown scope 'team' (use overall:KPI, "
                        "queue:ID:KPI, segment:QUEUE/SEGMENT:KPI or group:ID:KPI)");
    assert_string_equal(precision_error("segment:vip:asa=1s"),
                        "--precision:1:9: error: a segment is written QUEUE/SEGMENT, got 'vip'");
    assert_string_equal(precision_error("asa=0s"),
                        "--precision:1:5: error: the half-width must be positive, got '0s'");
    assert_string_equal(precision_error("asa=2"),
                        "--precision:1:5: error: bad half-width '2' for asa: missing unit: "
                        "write e.g. 20s, 4m, 1.5h or 2d");
}

#define WITH_VARIANTS(v)                                                                        \
    "name: t\nhorizon: 1h\n"                                                                    \
    "queues:\n"                                                                                 \
    "  - {id: q, arrivals: {rate: 1/min}, handle_time: {dist: exponential, mean: 1m}}\n"       \
    "groups:\n"                                                                                 \
    "  - {id: g, agents: 2, skills: [q]}\n" v

static void test_variants_block(void **state)
{
    (void)state;
    assert_string_equal(load_error(WITH_VARIANTS("variants: {a: 1}\n")),
                        "7:11: error: 'variants' must be a list of {name: NAME, set: {KEY.PATH: "
                        "VALUE}} entries, got a mapping");
    assert_string_equal(load_error(WITH_VARIANTS("variants: [plus1]\n")),
                        "7:12: error: a variant must be a mapping {name: NAME, set: {KEY.PATH: "
                        "VALUE}}, got a scalar");
    assert_string_equal(load_error(WITH_VARIANTS("variants:\n  - {nme: a}\n")),
                        "8:6: error: unknown key 'nme' in variant; did you mean 'name'?");
    assert_string_equal(load_error(WITH_VARIANTS("variants:\n  - {set: {g: 1}}\n")),
                        "8:5: error: missing required key 'name'");
    assert_string_equal(load_error(WITH_VARIANTS("variants:\n  - {name: a}\n  - {name: a}\n")),
                        "9:12: error: duplicate variant name 'a' (first defined at line 8)");
    assert_string_equal(load_error(WITH_VARIANTS("variants:\n  - {name: a, set: [x]}\n")),
                        "8:20: error: 'set' must be a mapping (key: value pairs), got a list");
    assert_string_equal(load_error(WITH_VARIANTS("variants:\n  - {name: a, set: {g..x: 1}}\n")),
                        "8:21: error: empty segment in path 'g..x'");

    /* a valid block: the simulator ignores it; compare derives its variants */
    struct ccs_scenario *sc = load_yaml_string(WITH_VARIANTS(
        "variants:\n"
        "  - name: more\n"
        "    description: two more agents\n"
        "    set: {groups.g.agents: 4, horizon: 2h}\n"
        "  - name: fewer\n"
        "    set:\n"
        "      groups.g.agents: 1\n"
        "      groups.g.skills: [q]\n"
        "  - {name: same}\n"
        "  - {name: plan, set: {groups.g.staffing: [1, 2]}}\n"));
    assert_non_null(sc);
    assert_int_equal(ccs_scenario_variant_count(sc), 4);
    assert_string_equal(ccs_scenario_variant_name(sc, 0), "more");
    assert_string_equal(ccs_scenario_variant_description(sc, 0), "two more agents");
    assert_null(ccs_scenario_variant_description(sc, 1));
    char buf[200];
    ccs_scenario_variant_summary(sc, 1, buf, sizeof buf);
    assert_string_equal(buf, "groups.g.agents=1, groups.g.skills=[...]");
    struct ccs_scenario *v = NULL;
    struct ccs_diag d;
    assert_int_equal(ccs_scenario_variant_derive(sc, 0, &v, &d), 0);
    assert_true(ccs_scenario_horizon(v) == 7200.0);
    ccs_scenario_free(v);
    assert_int_equal(ccs_scenario_variant_derive(sc, 2, &v, &d), 0);
    ccs_scenario_free(v);
    /* a plan replaces the group's 'agents', as with --set */
    assert_int_equal(ccs_scenario_variant_derive(sc, 3, &v, &d), 0);
    ccs_scenario_free(v);
    ccs_scenario_free(sc);

    /* bad overrides are found when derived, located in the file */
    char *path = write_temp(WITH_VARIANTS("variants:\n"
                                          "  - name: bad\n"
                                          "    set:\n"
                                          "      groups.g.agents: -1\n"
                                          "  - name: typo\n"
                                          "    set: {groups.h.agents: 3}\n"),
                            ".yaml");
    assert_int_equal(ccs_scenario_load(path, NULL, 0, &sc, &d), 0);
    char want[1200];
    ccs_diag_clear(&d);
    assert_true(ccs_scenario_variant_derive(sc, 0, &v, &d) != 0);
    snprintf(want, sizeof want, "%s:10:24: error: 'agents' must be a positive whole number, got '-1'",
             path);
    assert_string_equal(d.msg, want);
    ccs_diag_clear(&d);
    assert_true(ccs_scenario_variant_derive(sc, 1, &v, &d) != 0);
    snprintf(want, sizeof want,
             "%s:12:18: error: no item with id 'h' in 'groups' (ids: g); did you mean 'g'?", path);
    assert_string_equal(d.msg, want);
    ccs_scenario_free(sc);
    unlink(path);
    free(path);
}

static void test_bad_runs(void **state)
{
    (void)state;
    struct ccs_scenario *base = load(DEFAULT_YAML, "horizon=1h");
    struct ccs_compare *c = NULL;
    struct ccs_diag d;
    struct ccs_compare_opts o = ccs_compare_opts_default(base);
    struct ccs_variant dup[2] = {{"x", base, NULL}, {"x", base, NULL}};
    ccs_diag_clear(&d);
    assert_int_equal(ccs_compare_run(dup, 2, &o, &c, &d), CCS_EINVAL);
    assert_string_equal(d.msg, "<input>: error: duplicate variant name 'x'");
    struct ccs_precision p;
    assert_int_equal(ccs_precision_parse("queue:sale:asa=1s", "--precision", &p, &d), 0);
    o.targets = &p;
    o.n_targets = 1;
    struct ccs_variant two[2] = {{"baseline", base, NULL}, {"b", base, NULL}};
    ccs_diag_clear(&d);
    assert_int_equal(ccs_compare_run(two, 1, &o, &c, &d), CCS_EINVAL);
    assert_string_equal(d.msg, "--precision: error: a precision target needs a variant to compare "
                               "with the baseline");
    ccs_diag_clear(&d);
    assert_int_equal(ccs_compare_run(two, 2, &o, &c, &d), CCS_EINVAL);
    assert_string_equal(d.msg, "--precision: error: 'queue:sale:asa': the baseline has no queue "
                               "'sale'");
    /* batch means on variants with different intervals cannot pair them */
    struct ccs_scenario *w = derive(base, "warmup=30m"), *w2 = derive(w, "interval=15m");
    struct ccs_variant bm[2] = {{"baseline", w, NULL}, {"b", w2, NULL}};
    o = ccs_compare_opts_default(w);
    ccs_diag_clear(&d);
    assert_int_equal(ccs_compare_run(bm, 2, &o, &c, &d), CCS_EINVAL);
    assert_string_equal(d.msg, "<input>: error: batch means pairs the variants interval by "
                               "interval: variant 'b' must have the baseline's interval and "
                               "warmup");
    ccs_scenario_free(w2);
    ccs_scenario_free(w);
    ccs_scenario_free(base);
}

/*
 * The example of docs/compare.md "As a library", compiled and run, and held
 * to what it says: it finds the overall service level, and prints hire's
 * paired difference to the baseline, its 95% half-width (in points) and the
 * verdict. Recomputed here from the two variants' own replications (plain
 * ccs_run with the same seed, the paired t interval by GSL): one more sales
 * agent must show as "better", with the same numbers as printed.
 */
static void test_doc_example(void **state)
{
    (void)state;
    struct ccs_diag d;
    ccs_diag_clear(&d);
    struct ccs_scenario *base = load(DEFAULT_YAML, "horizon=2h");
    struct ccs_scenario *hire = derive(base, "groups.sales_team.agents=18");
    char printed[128] = "";
    /* the example's one printf, into printed[], so that its text stays the doc's */
#define printf(...) snprintf(printed, sizeof printed, __VA_ARGS__)
    /* --- docs/compare.md "As a library" begins --- */
    struct ccs_variant v[2] = {{"baseline", base, NULL}, {"hire", hire, "one more agent"}};
    struct ccs_compare_opts o = ccs_compare_opts_default(base);
    o.replications = 40;
    struct ccs_compare *c;
    if (ccs_compare_run(v, 2, &o, &c, &d) == 0) {
        long k = ccs_compare_find(c, CCS_SCOPE_OVERALL, CCS_KPI_service_level, -1, -1, -1, -1);
        struct ccs_compare_stat s;
        ccs_compare_get(c, 1, (size_t)k, &s);
        printf("%+.2f ± %.2f points: %s\n", 100 * s.diff, 100 * s.diff_halfwidth,
               ccs_verdict_name(s.verdict));
        ccs_compare_free(c);
    }
    /* --- ends --- */
#undef printf
    if (printed[0] == '\0')
        fail_msg("the example printed nothing: %s", d.msg);

    /* the same 40 replications of each, run on their own */
    struct ccs_run_opts ro = ccs_run_opts_default(base);
    ro.replications = 40;
    struct ccs_summary *sb = NULL, *sh = NULL;
    assert_int_equal(ccs_run(base, &ro, &sb, &d), 0);
    assert_int_equal(ccs_run(hire, &ro, &sh, &d), 0);
    long kb = ccs_layout_find(ccs_summary_layout(sb), CCS_SCOPE_OVERALL, CCS_KPI_service_level,
                              -1, -1, -1, -1);
    long kh = ccs_layout_find(ccs_summary_layout(sh), CCS_SCOPE_OVERALL, CCS_KPI_service_level,
                              -1, -1, -1, -1);
    assert_true(kb >= 0 && kh >= 0);
    double diff[40];
    for (uint32_t r = 0; r < 40; r++)
        diff[r] = ccs_summary_value(sh, r, (size_t)kh) - ccs_summary_value(sb, r, (size_t)kb);
    double mean = gsl_stats_mean(diff, 1, 40);
    double hw = gsl_cdf_tdist_Pinv(0.975, 39) * gsl_stats_sd(diff, 1, 40) / sqrt(40.0);
    assert_true(mean - hw > 0); /* significant, in the good direction: "better" */

    double got_diff, got_hw;
    char verdict[64];
    assert_int_equal(sscanf(printed, "%lf ± %lf points: %63[^\n]", &got_diff, &got_hw, verdict),
                     3);
    assert_string_equal(verdict, "better");
    /* printed to 2 decimals of a point */
    assert_true(fabs(got_diff - 100 * mean) <= 0.005 + 1e-9);
    assert_true(fabs(got_hw - 100 * hw) <= 0.005 + 1e-9);
    assert_true(got_diff > 0.5); /* a visible gain, not a rounding artefact */
    ccs_summary_free(sh);
    ccs_summary_free(sb);
    ccs_scenario_free(hire);
    ccs_scenario_free(base);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_identical_is_exactly_zero),
        cmocka_unit_test(test_difference_and_verdicts),
        cmocka_unit_test(test_keys_matched_by_ids),
        cmocka_unit_test(test_segments_matched_by_id),
        cmocka_unit_test(test_sequential_rule),
        cmocka_unit_test(test_batch_means),
        cmocka_unit_test(test_batch_channels),
        cmocka_unit_test(test_longer_run_prefix),
        cmocka_unit_test(test_verdict_rule),
        cmocka_unit_test(test_csv),
        cmocka_unit_test(test_variant_spec),
        cmocka_unit_test(test_precision_parse),
        cmocka_unit_test(test_variants_block),
        cmocka_unit_test(test_bad_runs),
        cmocka_unit_test(test_doc_example),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
