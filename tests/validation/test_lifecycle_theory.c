/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_lifecycle_theory.c - the lifecycle mechanisms against theory: trunk
 * blocking is Erlang B (any talk-time distribution), an M/M/c+M queue whose
 * abandoners redial matches the exact stationary law of its 2-D birth-death
 * chain (solved here), transfers feed their targets at p x the source's
 * throughput, and first-contact resolution, callback acceptance and reach
 * are the binomial outcomes they are declared to be. Seeds are fixed, so the
 * outcome is deterministic; every check prints its numbers.
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

/*
 * Steady-state estimates from finite runs carry an initial transient and
 * end effects that shrink with run length but never vanish: on top of the
 * 99% Student-t interval over replications we allow 0.002 absolute on
 * probabilities and rates per attempt, and 1% relative (plus 0.002) on
 * means such as the queue length (as tests/validation/test_erlang_sim.c).
 * Binomial counts pooled over replications are exact, not steady-state
 * estimates: they get the 99.9% normal interval and no allowance.
 */
#define ALLOW_PROB 0.002
#define ALLOW_REL 0.01
#define Z999 3.2905

static int failures;

static void check(const char *what, double exact, double mean, double hw, double allow)
{
    double err = fabs(mean - exact);
    bool ok = err <= hw + allow;
    printf("  %-40s exact %-12.6g sim %-12.6g +- %-10.3g allow %-8.3g %s\n", what, exact, mean,
           hw, allow, ok ? "ok" : "FAIL");
    if (!ok)
        failures++;
}

/* Pooled successes x of n trials against probability p (99.9%). */
static void check_binomial(const char *what, double p, double x, double n)
{
    double hw = Z999 * sqrt(p * (1 - p) / n);
    char label[96];
    snprintf(label, sizeof label, "%s (n=%.0f)", what, n);
    check(label, p, x / n, hw, 0);
}

static struct ccs_summary *run_all(const char *yaml, uint32_t reps)
{
    struct ccs_scenario *sc = load_yaml_string(yaml);
    assert_non_null(sc);
    struct ccs_run_opts o = ccs_run_opts_default(sc);
    o.level = 0.99;
    o.replications = reps;
    struct ccs_summary *s;
    struct ccs_diag d;
    ccs_diag_clear(&d);
    if (ccs_run(sc, &o, &s, &d) != 0)
        fail_msg("%s", d.msg);
    /* the engine's own balance held in every replication (it faults otherwise) */
    struct ccs_sim_balance b;
    ccs_summary_balance(s, &b);
    assert_true(b.arrivals + b.redials + b.repeats + b.transfers + b.records ==
                b.answered + b.abandoned + b.blocked + b.failed + b.pending);
    return s;
}

/* Free a summary of run_all and the scenario it borrowed. */
static void done(struct ccs_summary *s)
{
    struct ccs_scenario *sc = (struct ccs_scenario *)ccs_summary_scenario(s);
    ccs_summary_free(s);
    ccs_scenario_free(sc);
}

static long key(const struct ccs_summary *s, enum ccs_scope scope, enum ccs_kpi k, int q)
{
    long i = ccs_layout_find(ccs_summary_layout(s), scope, k, q, -1, -1, -1);
    assert_true(i >= 0);
    return i;
}

static double mean_of(const struct ccs_summary *s, enum ccs_kpi k, int q)
{
    return ccs_summary_mean(s, key(s, q < 0 ? CCS_SCOPE_OVERALL : CCS_SCOPE_QUEUE, k, q));
}

static double hw_of(const struct ccs_summary *s, enum ccs_kpi k, int q)
{
    return ccs_summary_halfwidth(s, key(s, q < 0 ? CCS_SCOPE_OVERALL : CCS_SCOPE_QUEUE, k, q));
}

/* Sum over replications of a count KPI of queue q. */
static double total(const struct ccs_summary *s, enum ccs_kpi k, int q)
{
    long i = key(s, CCS_SCOPE_QUEUE, k, q);
    double sum = 0;
    for (uint32_t r = 0; r < ccs_summary_replications(s); r++)
        sum += ccs_summary_value(s, r, (size_t)i);
    return sum;
}

/* Sum over replications of a ratio KPI times a count KPI (recovers a count). */
static double total_product(const struct ccs_summary *s, enum ccs_kpi ratio, enum ccs_kpi count,
                            int q)
{
    long i = key(s, CCS_SCOPE_QUEUE, ratio, q), j = key(s, CCS_SCOPE_QUEUE, count, q);
    double sum = 0;
    for (uint32_t r = 0; r < ccs_summary_replications(s); r++)
        sum += round(ccs_summary_value(s, r, (size_t)i) * ccs_summary_value(s, r, (size_t)j));
    return sum;
}

/*
 * Reference formulas, computed here (include/ccs/analytic.h declares them
 * but this branch has no implementation to link).
 */

/* Erlang B by the stable recursion B(0) = 1, B(k) = a B(k-1) / (k + a B(k-1)). */
static double erlang_b(double a, int c)
{
    double b = 1;
    for (int k = 1; k <= c; k++)
        b = a * b / (k + a * b);
    return b;
}

/* M/M/c+M (Erlang A) by its birth-death chain: mean queue and P(abandon). */
static void erlang_a(double lam, double mu, int c, double theta, double *lq, double *p_ab)
{
    double p = 1, sum = 1, q = 0;
    for (int n = 1; n < 100000; n++) {
        p *= lam / ((n < c ? n : c) * mu + (n > c ? n - c : 0) * theta);
        sum += p;
        q += p * (n > c ? n - c : 0);
        if (n > c && p < 1e-300)
            break;
    }
    *lq = q / sum;
    *p_ab = theta * *lq / lam;
}

/* --- (a) trunk blocking is Erlang B ----------------------------------------------- */

/*
 * With at least as many agents as lines nobody waits: a call holds a line
 * exactly for its talk, so the trunk is an M/G/c/c loss system and blocking
 * is Erlang B(c, lambda E[talk]) whatever the talk-time distribution.
 */
static void test_trunk_erlang_b(void **state)
{
    (void)state;
    static const struct {
        const char *handle;
        int lines, agents;
    } cases[] = {
        {"{dist: exponential, mean: 1m}", 10, 12},
        {"{dist: lognormal, mean: 1m, cv: 1.5}", 10, 10},
        {"{dist: deterministic, value: 1m}", 6, 8},
    };
    failures = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        double lam = cases[i].lines == 6 ? 5.0 : 8.0; /* per minute; E[talk] = 1 min */
        char yaml[1024];
        snprintf(yaml, sizeof yaml,
                 "name: erlang-b\n"
                 "seed: 4401\n"
                 "horizon: 10000m\n"
                 "warmup: 30m\n"
                 "interval: 10000m\n"
                 "queues:\n"
                 "  - id: v\n"
                 "    arrivals: {rate: %g/min}\n"
                 "    handle_time: %s\n"
                 "    lines: %d\n"
                 "groups:\n"
                 "  - {id: g, agents: %d, skills: [v]}\n",
                 lam, cases[i].handle, cases[i].lines, cases[i].agents);
        struct ccs_summary *s = run_all(yaml, 30);
        printf("trunk of %d lines, %d agents, load %g Erl, talk %s\n", cases[i].lines,
               cases[i].agents, lam, cases[i].handle);
        check("block_rate", erlang_b(lam, cases[i].lines), mean_of(s, CCS_KPI_block_rate, 0),
              hw_of(s, CCS_KPI_block_rate, 0), ALLOW_PROB);
        check("p_wait", 0, mean_of(s, CCS_KPI_p_wait, 0), 0, 0);
        done(s);
    }
    assert_int_equal(failures, 0);
}

/* --- (b) M/M/c+M with redials: the 2-D birth-death chain ------------------------------ */

/*
 * State (n, m): n callers in the system (c agents, n - c waiting), m
 * abandoners who will redial ("in orbit"). Rates: fresh arrival lambda;
 * redial m nu (each waits an exponential delay of mean 1/nu); service
 * min(n, c) mu; abandonment (n - c)+ theta, after which the caller redials
 * with probability p (no limit: ccsim's max is set far beyond reach).
 * Truncated at n <= N, m <= M and solved by Gauss-Seidel on pi Q = 0.
 */
struct retrial {
    double lam, mu, theta, nu, p;
    int c, N, M;
};

struct retrial_law {
    double lq, orbit, redial_share, abandon_per_attempt, edge_mass;
};

static void solve_retrial(const struct retrial *m, struct retrial_law *law)
{
    int N = m->N, M = m->M;
    size_t ns = (size_t)(N + 1) * (size_t)(M + 1);
    double *pi = calloc(ns, sizeof *pi);
    assert_non_null(pi);
#define IDX(n, k) ((size_t)(n) * (size_t)(M + 1) + (size_t)(k))
    for (size_t i = 0; i < ns; i++)
        pi[i] = 1.0 / (double)ns; /* not a point mass: Gauss-Seidel would zero it */
    for (int iter = 0; iter < 200000; iter++) {
        double change = 0;
        for (int n = 0; n <= N; n++)
            for (int k = 0; k <= M; k++) {
                /* out-rate of (n, k) and in-flow from its neighbours */
                double srv = (n < m->c ? n : m->c) * m->mu;
                double ab = (n > m->c ? n - m->c : 0) * m->theta;
                double out = srv + ab + (n < N ? m->lam + k * m->nu : 0);
                double in = 0;
                if (n > 0) {
                    in += pi[IDX(n - 1, k)] * m->lam;                         /* arrival */
                    if (k < M)
                        in += pi[IDX(n - 1, k + 1)] * (k + 1) * m->nu;        /* redial */
                }
                if (n < N) {
                    int n1 = n + 1;
                    double srv1 = (n1 < m->c ? n1 : m->c) * m->mu;
                    double ab1 = (n1 > m->c ? n1 - m->c : 0) * m->theta;
                    in += pi[IDX(n1, k)] * (srv1 + ab1 * (k == M ? 1 : 1 - m->p));
                    if (k > 0)
                        in += pi[IDX(n1, k - 1)] * ab1 * m->p; /* abandon, will redial */
                }
                if (out <= 0)
                    continue;
                double v = in / out;
                change += fabs(v - pi[IDX(n, k)]);
                pi[IDX(n, k)] = v;
            }
        double sum = 0;
        for (size_t i = 0; i < ns; i++)
            sum += pi[i];
        for (size_t i = 0; i < ns; i++)
            pi[i] /= sum;
        if (change / sum < 1e-14 && iter > 10)
            break;
    }
    double lq = 0, orbit = 0, edge = 0;
    for (int n = 0; n <= N; n++)
        for (int k = 0; k <= M; k++) {
            double p = pi[IDX(n, k)];
            lq += p * (n > m->c ? n - m->c : 0);
            orbit += p * k;
            if (n == N || k == M)
                edge += p;
        }
#undef IDX
    free(pi);
    double attempts = m->lam + m->nu * orbit;
    law->lq = lq;
    law->orbit = orbit;
    law->redial_share = m->nu * orbit / attempts;
    law->abandon_per_attempt = m->theta * lq / attempts;
    law->edge_mass = edge;
}

static void test_redial_retrial_chain(void **state)
{
    (void)state;
    /* per minute: 4 agents, 3-minute calls, 1.5 calls/min (112% load),
       patience 2 min, half of the abandoners redial after 5 min on average */
    const struct retrial m = {1.5, 1.0 / 3, 0.5, 0.2, 0.5, 4, 60, 80};
    struct retrial_law law;
    solve_retrial(&m, &law);
    printf("M/M/%d+M with redials: exact Lq %.6f, orbit %.6f, truncation mass %.3g\n", m.c,
           law.lq, law.orbit, law.edge_mass);
    assert_true(law.edge_mass < 1e-12);
    /* The chain is solved right if it balances its own flows: every
       abandoner who redials comes back (p theta Lq = nu orbit). */
    assert_true(fabs(m.p * m.theta * law.lq - m.nu * law.orbit) < 1e-9);

    char yaml[1024];
    snprintf(yaml, sizeof yaml,
             "name: retrials\n"
             "seed: 4402\n"
             "horizon: 20000m\n"
             "warmup: 100m\n"
             "interval: 20000m\n"
             "queues:\n"
             "  - id: v\n"
             "    arrivals: {rate: %g/min}\n"
             "    handle_time: {dist: exponential, mean: %gm}\n"
             "    patience: {dist: exponential, mean: %gm}\n"
             "    redial: {probability: %g%%, delay: {dist: exponential, mean: %gm}, max: 1000}\n"
             "groups:\n"
             "  - {id: g, agents: %d, skills: [v]}\n",
             m.lam, 1 / m.mu, 1 / m.theta, 100 * m.p, 1 / m.nu, m.c);
    struct ccs_summary *s = run_all(yaml, 40);
    failures = 0;
    /* redial share per replication: redials / offered */
    long kr = key(s, CCS_SCOPE_QUEUE, CCS_KPI_redials, 0);
    long ko = key(s, CCS_SCOPE_QUEUE, CCS_KPI_offered, 0);
    uint32_t R = ccs_summary_replications(s);
    double sum = 0, sum2 = 0;
    for (uint32_t r = 0; r < R; r++) {
        double x = ccs_summary_value(s, r, (size_t)kr) / ccs_summary_value(s, r, (size_t)ko);
        sum += x;
        sum2 += x * x;
    }
    double mean = sum / R, sd = sqrt((sum2 - R * mean * mean) / (R - 1));
    double t99 = 2.708; /* Student t(0.995, 39) */
    check("redial share of attempts", law.redial_share, mean, t99 * sd / sqrt(R), ALLOW_PROB);
    check("abandon_rate (per attempt)", law.abandon_per_attempt,
          mean_of(s, CCS_KPI_abandon_rate, 0), hw_of(s, CCS_KPI_abandon_rate, 0), ALLOW_PROB);
    check("queue_length", law.lq, mean_of(s, CCS_KPI_queue_length, 0),
          hw_of(s, CCS_KPI_queue_length, 0), ALLOW_REL * law.lq + 0.002);
    /* the same queue without redials would be plain Erlang A: the retrials matter */
    double lq_a, ab_a;
    erlang_a(m.lam, m.mu, m.c, m.theta, &lq_a, &ab_a);
    printf("  (Erlang A without redials: Lq %.4f, abandon %.4f)\n", lq_a, ab_a);
    assert_true(law.lq > lq_a + 0.3);
    done(s);
    assert_int_equal(failures, 0);
}

/* --- (c) transfer flows ----------------------------------------------------------------- */

/*
 * a is an M/M/c+M queue (Erlang A); each conversation that ends there moves
 * to b with probability 0.3 and to c with 0.15 (cold). b's offered rate is
 * 0.3 x a's throughput = 0.3 lambda (1 - P(abandon)); the split of a's
 * conversations is binomial. Drained and without warm-up, so that each leg
 * and the conversation it came from are both counted (the empty start and
 * the drained end shift the rate by far less than the 1% allowance).
 */
static void test_transfer_flows(void **state)
{
    (void)state;
    const double lam = 2.0, mu = 1.0 / 3, theta = 0.5; /* per minute */
    const int agents = 6;
    char yaml[2048];
    snprintf(yaml, sizeof yaml,
             "name: flows\n"
             "seed: 4403\n"
             "horizon: 10000m\n"
             "interval: 10000m\n"
             "drain: true\n"
             "queues:\n"
             "  - id: a\n"
             "    arrivals: {rate: %g/min}\n"
             "    handle_time: {dist: exponential, mean: %gm}\n"
             "    patience: {dist: exponential, mean: %gm}\n"
             "    transfers:\n"
             "      - {to: b, probability: 30%%}\n"
             "      - {to: c, probability: 15%%, handle_time: {dist: exponential, mean: 2m}}\n"
             "  - {id: b, arrivals: none, handle_time: {dist: exponential, mean: 4m}}\n"
             "  - {id: c, arrivals: none, handle_time: {dist: exponential, mean: 4m}}\n"
             "groups:\n"
             "  - {id: ga, agents: %d, skills: [a]}\n"
             "  - {id: gb, agents: 4, skills: [b, c]}\n",
             lam, 1 / mu, 1 / theta, agents);
    struct ccs_summary *s = run_all(yaml, 20);
    double lq_a, p_ab;
    erlang_a(lam, mu, agents, theta, &lq_a, &p_ab);
    failures = 0;
    double span = 10000; /* no warm-up: every leg is then counted on both sides */
    printf("transfers out of an Erlang A queue (P(abandon) = %.4f)\n", p_ab);
    check("a abandon_rate", p_ab, mean_of(s, CCS_KPI_abandon_rate, 0),
          hw_of(s, CCS_KPI_abandon_rate, 0), ALLOW_PROB);
    static const double p[] = {0.3, 0.15};
    for (int q = 1; q <= 2; q++) {
        char what[64];
        double rate = lam * (1 - p_ab) * p[q - 1];
        snprintf(what, sizeof what, "%s offered per minute", q == 1 ? "b" : "c");
        check(what, rate, mean_of(s, CCS_KPI_offered, q) / span,
              hw_of(s, CCS_KPI_offered, q) / span, ALLOW_REL * rate);
    }
    /* exact: every leg is a transfer out of a */
    double legs = total(s, CCS_KPI_offered, 1) + total(s, CCS_KPI_offered, 2);
    double out = total(s, CCS_KPI_transfers, 0);
    printf("  legs %.0f, transfers out of a %.0f\n", legs, out);
    if (legs != out)
        failures++;
    /* binomial split of a's ended conversations (ended = transfers / transfer_rate) */
    long kt = key(s, CCS_SCOPE_QUEUE, CCS_KPI_transfers, 0);
    long kr = key(s, CCS_SCOPE_QUEUE, CCS_KPI_transfer_rate, 0);
    double ended = 0;
    for (uint32_t r = 0; r < ccs_summary_replications(s); r++)
        ended += round(ccs_summary_value(s, r, (size_t)kt) / ccs_summary_value(s, r, (size_t)kr));
    check_binomial("share of a's conversations to b", 0.3, total(s, CCS_KPI_offered, 1), ended);
    check_binomial("share of a's conversations to c", 0.15, total(s, CCS_KPI_offered, 2), ended);
    done(s);
    assert_int_equal(failures, 0);
}

/* --- (d) binomial outcomes: resolution, callbacks ---------------------------------------- */

static void test_binomial_outcomes(void **state)
{
    (void)state;
    failures = 0;
    /* FCR: 1 - (1 - p)^level, repeats go to e-mail (so every v conversation is a first) */
    static const struct {
        double level;
    } lv[] = {{1}, {2.5}};
    for (size_t i = 0; i < 2; i++) {
        char yaml[1024];
        snprintf(yaml, sizeof yaml,
                 "name: fcr\n"
                 "seed: 4404\n"
                 "horizon: 10h\n"
                 "interval: 1h\n"
                 "drain: true\n"
                 "queues:\n"
                 "  - id: v\n"
                 "    arrivals: {rate: 4/min}\n"
                 "    handle_time: {dist: exponential, mean: 2m}\n"
                 "    resolution: {probability: 70%%, repeat_delay: {dist: exponential, mean: "
                 "1h}, repeat_queue: e}\n"
                 "  - {id: e, channel: email, arrivals: none, handle_time: {dist: exponential, "
                 "mean: 5m}}\n"
                 "groups:\n"
                 "  - {id: g, agents: 12, skills: [{queue: v, level: %g}]}\n"
                 "  - {id: m, agents: 4, skills: [e]}\n",
                 lv[i].level);
        struct ccs_summary *s = run_all(yaml, 20);
        double p = 1 - pow(0.3, lv[i].level);
        double n = total(s, CCS_KPI_answered, 0);
        double resolved = total_product(s, CCS_KPI_fcr, CCS_KPI_answered, 0);
        char what[64];
        snprintf(what, sizeof what, "fcr at level %g", lv[i].level);
        check_binomial(what, p, resolved, n);
        if (total(s, CCS_KPI_repeats, 1) != n - resolved) {
            printf("  repeats %g != unresolved %g\n", total(s, CCS_KPI_repeats, 1), n - resolved);
            failures++;
        }
        done(s);
    }

    /* callbacks: accepted ~ Bin(offered, accept); a callback is reached within
       its R + 1 dials with probability 1 - (1 - reach)^(R + 1) */
    const double accept = 0.6, reach = 0.5;
    const int retries = 2;
    struct ccs_summary *s = run_all("name: cb\n"
                                    "seed: 4405\n"
                                    "horizon: 10h\n"
                                    "interval: 1h\n"
                                    "drain: true\n"
                                    "queues:\n"
                                    "  - id: v\n"
                                    "    arrivals: {rate: 3/min}\n"
                                    "    handle_time: {dist: exponential, mean: 2m}\n"
                                    "    patience: {dist: exponential, mean: 3m}\n"
                                    "    callback: {offer_after: 20s, accept: 60%, reach: 50%, "
                                    "retries: 2, retry_delay: 10m, dial_time: 20s}\n"
                                    "groups:\n"
                                    "  - {id: g, agents: 6, skills: [v]}\n",
                                    40);
    double offered = total(s, CCS_KPI_callbacks_offered, 0);
    double accepted = total(s, CCS_KPI_callbacks_accepted, 0);
    double completed = total(s, CCS_KPI_callbacks_completed, 0);
    check_binomial("callbacks accepted / offered", accept, accepted, offered);
    check_binomial("callbacks reached / accepted", 1 - pow(1 - reach, retries + 1), completed,
                   accepted);
    /* dials: a reached callback took k dials with prob (1-r)^(k-1) r, a failed one R+1 */
    double dials = total(s, CCS_KPI_dials, 0), expect = 0;
    for (int k = 1; k <= retries + 1; k++)
        expect += k * pow(1 - reach, k - 1) * reach;
    expect += (retries + 1) * pow(1 - reach, retries + 1);
    double var = 0;
    for (int k = 1; k <= retries + 1; k++)
        var += pow(k - expect, 2) * pow(1 - reach, k - 1) * reach;
    var += pow(retries + 1 - expect, 2) * pow(1 - reach, retries + 1);
    check("dials per accepted callback", expect, dials / accepted,
          Z999 * sqrt(var / accepted), 0);
    done(s);
    assert_int_equal(failures, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_trunk_erlang_b),
        cmocka_unit_test(test_redial_retrial_chain),
        cmocka_unit_test(test_transfer_flows),
        cmocka_unit_test(test_binomial_outcomes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
