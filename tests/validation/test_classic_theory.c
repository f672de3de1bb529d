/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_classic_theory.c - the rules of the classic models (issue 21)
 * against exact queueing theory, judged by 99% Student-t confidence
 * intervals over independent replications plus a small stated allowance for
 * the initial transient (as test_erlang_sim.c). Seeds are fixed.
 *
 * 1. Messages: M/M/c where a caller who has waited T leaves a message (and
 *    nobody abandons otherwise) is M/M/c+D. Its offered wait V has an atom
 *    at 0 and the density f(t) = lam p(c-1) e^{-(c mu - lam) t} on (0, T],
 *    f(T) e^{-c mu (t - T)} after (level crossing: above T nobody joins),
 *    with p(k) proportional to a^k / k! below c. P(message) = P(V > T).
 * 2. Random choice: in a pool of identical agents split in two groups, the
 *    choice of a free agent does not change the queue, so random choice and
 *    longest idle both give Erlang C, and random choice splits the work
 *    between the groups in proportion to their sizes.
 * 3. Redials that keep their patience: half the callers never abandon, half
 *    hang up at once when nobody is free (patience 0 or "forever", drawn
 *    with equal odds), and an abandoner calls again after an exp(2 min)
 *    delay with probability p. With the patience kept, a redial hangs up at
 *    once again when nobody is free, so (calls in system, callers about to
 *    call again) is a small Markov chain, solved here; with a fresh patience
 *    half the redials would wait instead, and the abandon rate differs.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ccs/analytic.h"
#include "ccs/ccs.h"
#include "support.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define REPS 10
#define T99_9 3.2498 /* Student t, 9 degrees of freedom, 99% two-sided */
#define ALLOW_PROB 0.002

struct est {
    double mean, hw;
};

/* Mean and 99% half-width over REPS replications of KPI (scope, k, q, g). */
static void estimate(const struct ccs_scenario *sc, const enum ccs_kpi *ks, const int *scope,
                     const int *gs, size_t nk, struct est *out)
{
    double sum[8] = {0}, sq[8] = {0};
    const struct ccs_layout *l = ccs_scenario_layout(sc);
    double *v = calloc(l->n, sizeof *v);
    assert_non_null(v);
    for (uint32_t r = 0; r < REPS; r++) {
        struct ccs_sim *sim = NULL;
        struct ccs_diag d;
        ccs_diag_clear(&d);
        assert_int_equal(ccs_sim_new(sc, ccs_scenario_seed(sc), r, &sim, &d), 0);
        assert_int_equal(ccs_sim_run(sim), 0);
        ccs_sim_results(sim, v);
        ccs_sim_free(sim);
        for (size_t i = 0; i < nk; i++) {
            long k = ccs_layout_find(l, (enum ccs_scope)scope[i], ks[i],
                                     scope[i] == CCS_SCOPE_GROUP_QUEUE ? 0 : -1, -1, gs[i], -1);
            assert_true(k >= 0);
            sum[i] += v[k];
            sq[i] += v[k] * v[k];
        }
    }
    for (size_t i = 0; i < nk; i++) {
        double m = sum[i] / REPS, var = (sq[i] - REPS * m * m) / (REPS - 1);
        out[i].mean = m;
        out[i].hw = T99_9 * sqrt(var > 0 ? var / REPS : 0);
    }
    free(v);
}

static void check(const char *what, struct est e, double exact, double allow)
{
    printf("  %-34s sim %.5f +- %.5f  exact %.5f\n", what, e.mean, e.hw, exact);
    if (!(fabs(e.mean - exact) <= e.hw + allow))
        fail_msg("%s: simulated %.6f +- %.6f, exact %.6f (allowance %g)", what, e.mean, e.hw,
                 exact, allow);
}

/* --- 1. M/M/c with a message after T --------------------------------------------------- */

static void mmc_message(double lam, double mu, int c, double T, double *p_wait, double *p_msg)
{
    double a = lam / mu, q = 1, z = 0;
    for (int k = 0; k < c; k++) {
        if (k > 0)
            q *= a / k;
        z += q; /* q = a^k / k! */
    }
    double f0 = lam * q, d = c * mu - lam;
    double below = fabs(d) > 1e-12 ? f0 * (1 - exp(-d * T)) / d : f0 * T;
    double above = f0 * exp(-d * T) / (c * mu);
    z += below + above;
    *p_wait = (below + above) / z;
    *p_msg = above / z;
}

static void test_message_mmc(void **st)
{
    (void)st;
    /* lam 4.5/min, mu 1/min, c 5, T 15 s (= 0.25 min): P(message) about 0.19 */
    struct ccs_scenario *sc = load_yaml_string(
        "seed: 2101\nhorizon: 100h\nwarmup: 2h\ninterval: 1h\n"
        "queues:\n"
        "  - id: q\n"
        "    arrivals: {rate: 4.5/min}\n"
        "    handle_time: {dist: exponential, mean: 1m}\n"
        "    message_after: 15s\n"
        "groups:\n  - {id: g, agents: 5, skills: [q]}\n"
        "routing: {policy: acd}\n");
    assert_non_null(sc);
    double p_wait, p_msg;
    mmc_message(4.5, 1.0, 5, 0.25, &p_wait, &p_msg);
    enum ccs_kpi ks[] = {CCS_KPI_message_rate, CCS_KPI_p_wait, CCS_KPI_abandon_rate};
    int scope[] = {CCS_SCOPE_OVERALL, CCS_SCOPE_OVERALL, CCS_SCOPE_OVERALL};
    int gs[] = {-1, -1, -1};
    struct est e[3];
    estimate(sc, ks, scope, gs, 3, e);
    check("P(message) M/M/5+D(15s)", e[0], p_msg, ALLOW_PROB);
    check("P(wait > 0) M/M/5+D(15s)", e[1], p_wait, ALLOW_PROB);
    check("P(abandon)", e[2], 0, 0);
    ccs_scenario_free(sc);
}

/* --- 2. random choice against longest idle in a symmetric pool ------------------------- */

static void symmetric_pool(const char *select)
{
    char yaml[1024];
    snprintf(yaml, sizeof yaml,
             "seed: 2102\nhorizon: 100h\nwarmup: 2h\ninterval: 1h\n"
             "queues:\n"
             "  - id: q\n"
             "    arrivals: {rate: 5/min}\n"
             "    handle_time: {dist: exponential, mean: 1m}\n"
             "groups:\n"
             "  - {id: small, agents: 2, skills: [q]}\n"
             "  - {id: large, agents: 4, skills: [q]}\n"
             "routing: {policy: skills, select: %s}\n",
             select);
    struct ccs_scenario *sc = load_yaml_string(yaml);
    assert_non_null(sc);
    double c6 = ccs_erlang_c(5.0, 6); /* lam / mu = 5 Erlangs on 6 agents */
    double ew = c6 / (6.0 - 5.0) * 60; /* mean wait, seconds */
    enum ccs_kpi ks[] = {CCS_KPI_p_wait, CCS_KPI_mean_wait, CCS_KPI_queue_share};
    int scope[] = {CCS_SCOPE_OVERALL, CCS_SCOPE_OVERALL, CCS_SCOPE_GROUP_QUEUE};
    int gs[] = {-1, -1, 0};
    struct est e[3];
    printf(" select: %s\n", select);
    estimate(sc, ks, scope, gs, 3, e);
    check("P(wait > 0) (Erlang C)", e[0], c6, ALLOW_PROB);
    check("mean wait, s (Erlang C)", e[1], ew, 0.01 * ew + 0.2);
    if (strcmp(select, "random") == 0) {
        /* every agent equally likely when several are free, and a freed agent
           takes the next waiting call: each agent does 1/6 of the work */
        check("work share of the 2-agent group", e[2], 2.0 / 6, 0.005);
    }
    ccs_scenario_free(sc);
}

static void test_random_vs_longest_idle(void **st)
{
    (void)st;
    symmetric_pool("random");
    symmetric_pool("longest_idle");
}

/* --- 3. redials that keep their patience ------------------------------------------------- */

/*
 * States (k, m): k calls in the system (talking + waiting, the waiting all
 * patient), m callers who will call again. c agents, service rate mu, fresh
 * calls lam, patient with probability 1 - q, redial rate delta each, redial
 * probability p after each hang-up. Gauss-Seidel on the truncated chain;
 * returns hang-ups / calls offered (fresh + redials).
 */
enum { RK = 40, RM = 60, RS = (RK + 1) * (RM + 1) };

struct rtr {
    int from, to;
    double rate;
};

static double retrial_abandon_rate(double lam, double mu, int c, double q, double p, double delta)
{
    struct rtr *t = malloc(sizeof *t * RS * 6);
    double *out = calloc(RS, sizeof *out), *pi = calloc(RS, sizeof *pi);
    int *first = calloc(RS + 1, sizeof *first);
    struct rtr *in = malloc(sizeof *in * RS * 6);
    assert_true(t && out && pi && first && in);
    size_t n = 0;
#define ST(k, m) ((k) * (RM + 1) + (m))
#define ADD(a, b, r)                                                                        \
    do {                                                                                    \
        if ((r) > 0) {                                                                      \
            t[n].from = (a);                                                                \
            t[n].to = (b);                                                                  \
            t[n++].rate = (r);                                                              \
            out[a] += (r);                                                                  \
        }                                                                                   \
    } while (0)
    for (int k = 0; k <= RK; k++)
        for (int m = 0; m <= RM; m++) {
            int s0 = ST(k, m);
            if (k < RK)
                ADD(s0, ST(k + 1, m), lam * (1 - q)); /* a patient fresh call */
            if (k < c) {
                ADD(s0, ST(k + 1, m), lam * q); /* an impatient one finds a free agent */
                if (m > 0)
                    ADD(s0, ST(k + 1, m - 1), m * delta); /* a redial finds one */
            } else {
                if (m < RM)
                    ADD(s0, ST(k, m + 1), lam * q * p); /* hangs up, will call again */
                if (m > 0)
                    ADD(s0, ST(k, m - 1), m * delta * (1 - p)); /* a redial hangs up for good */
            }
            if (k > 0)
                ADD(s0, ST(k - 1, m), (k < c ? k : c) * mu);
        }
    /* incoming lists, for Gauss-Seidel */
    for (size_t i = 0; i < n; i++)
        first[t[i].to + 1]++;
    for (int i = 0; i < RS; i++)
        first[i + 1] += first[i];
    int *fill = calloc(RS, sizeof *fill);
    assert_non_null(fill);
    for (size_t i = 0; i < n; i++)
        in[first[t[i].to] + fill[t[i].to]++] = t[i];
    for (int i = 0; i < RS; i++)
        pi[i] = 1.0 / RS;
    for (int it = 0; it < 20000; it++) {
        double change = 0, sum = 0;
        for (int i = 0; i < RS; i++) {
            double acc = 0;
            for (int j = first[i]; j < first[i + 1]; j++)
                acc += pi[in[j].from] * in[j].rate;
            double v = acc / out[i];
            change += fabs(v - pi[i]);
            pi[i] = v;
        }
        for (int i = 0; i < RS; i++)
            sum += pi[i];
        for (int i = 0; i < RS; i++)
            pi[i] /= sum;
        if (change < 1e-13)
            break;
    }
    double hangups = 0, tail = 0;
    for (int k = 0; k <= RK; k++)
        for (int m = 0; m <= RM; m++) {
            double w = pi[ST(k, m)];
            if (k >= c)
                hangups += w * (lam * q + m * delta);
            if (k == RK || m == RM)
                tail += w;
        }
#undef ADD
#undef ST
    assert_true(tail < 1e-9); /* the truncation does not matter */
    free(t);
    free(in);
    free(out);
    free(pi);
    free(first);
    free(fill);
    return hangups / (lam + p * hangups);
}

static void retrial_center(const char *keep, struct est *e)
{
    char *csv = write_temp("patience\n0\n1000000\n", ".csv");
    assert_non_null(csv);
    char yaml[2048];
    snprintf(yaml, sizeof yaml,
             "seed: 2103\nhorizon: 200h\nwarmup: 2h\ninterval: 1h\n"
             "queues:\n"
             "  - id: q\n"
             "    arrivals: {rate: 2.4/min}\n"
             "    handle_time: {dist: exponential, mean: 1m}\n"
             "    patience: {dist: empirical, file: %s, column: patience}\n"
             "    redial: {probability: 75%%, delay: {dist: exponential, mean: 2m}, max: 1000, "
             "keep_patience: %s}\n"
             "groups:\n  - {id: g, agents: 3, skills: [q]}\n"
             "routing: {policy: acd}\n",
             csv, keep);
    struct ccs_scenario *sc = load_yaml_string(yaml);
    assert_non_null(sc);
    enum ccs_kpi ks[] = {CCS_KPI_abandon_rate};
    int scope[] = {CCS_SCOPE_OVERALL};
    int gs[] = {-1};
    estimate(sc, ks, scope, gs, 1, e);
    ccs_scenario_free(sc);
    unlink(csv);
    free(csv);
}

static void test_redial_kept_patience_chain(void **st)
{
    (void)st;
    double exact = retrial_abandon_rate(2.4, 1.0, 3, 0.5, 0.75, 0.5);
    struct est kept, fresh;
    retrial_center("true", &kept);
    check("hang-ups / offered, kept patience", kept, exact, ALLOW_PROB);
    retrial_center("false", &fresh);
    printf("  %-34s sim %.5f +- %.5f  (the chain does not apply)\n",
           "hang-ups / offered, fresh patience", fresh.mean, fresh.hw);
    /* the rule matters: with fresh draws half the redials wait instead */
    assert_true(fabs(fresh.mean - exact) > fresh.hw + 4 * ALLOW_PROB);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_message_mmc),
        cmocka_unit_test(test_random_vs_longest_idle),
        cmocka_unit_test(test_redial_kept_patience_chain),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
