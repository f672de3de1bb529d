/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_transient.c - the simulator against an exact time-varying case: the
 * M(t)/M/52+M queue with arrivals 50 + 15 sin(t/2) per minute, starting
 * empty. The exact P(wait)(t) and mean number waiting are integrated from the
 * birth-death forward equations; the simulated curves from replications,
 * sampled every 8*pi/100 minutes over two full cycles, must contain them at
 * every sample time within simultaneous (Bonferroni) confidence bands.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ccs/ccs.h"
#include "core/stats.h"
#include "support.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_odeiv2.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifndef M_PI
#define M_PI 3.14159265358979323846
#endif

/* The model, rates per minute. */
#define AGENTS 52
#define LAMBDA0 50.0
#define AMPLITUDE 15.0
#define OMEGA 0.5 /* sin(t/2): period 4*pi minutes */
#define MU 1.0
#define THETA 1.0

/* Truncation of the chain: at most 200 in the system (mass there < 1e-12). */
#define N_MAX 200
#define TAIL_MAX 1e-12

/* Sample times t_k = k * T / K, k = 0..K, with T two full cycles (8*pi min);
   t_0 = 0 (empty, trivially right) is kept so the grid is whole. */
#define CYCLES_MIN (8.0 * M_PI)
#define K_POINTS 100

/* Replications of the main check (about 3.5 s on one core); -DREPS=... and
   -DSEED=... for a larger study. */
#ifndef REPS
#define REPS 8000
#endif
#ifndef SEED
#define SEED 20260405
#endif

/*
 * Family level: the test fails by chance with probability at most 1% in all.
 * There are 2(K + 1) = 202 comparisons (two curves x 101 times, strongly
 * correlated, which Bonferroni does not need to know), each two-sided at
 * level 1 - 0.01/202: the per-point quantile is t_{1 - 0.01/404, R-1}, about
 * 4.06. The normal approximation behind it is worst where few replications
 * see all agents busy; for the P(wait) curve, whose replication counts are
 * exactly binomial, summing the exact probability of a false alarm over the
 * grid gives 0.0027 at R = 8000, within its Bonferroni share of 0.005.
 */
#define FAMILY_ALPHA 0.01

/* ---------------------------------------------------------------------------
 * Exact curves
 * ------------------------------------------------------------------------- */

struct exact {
    double pwait[K_POINTS + 1], sd_pwait[K_POINTS + 1]; /* P(N >= c) and its sd */
    double lq[K_POINTS + 1], sd_lq[K_POINTS + 1];       /* E[(N - c)+] and sd */
    double tail;                                        /* max p_N over the grid */
};

static double sample_time(int k)
{
    return k * CYCLES_MIN / K_POINTS;
}

static double lambda_at(double t)
{
    return LAMBDA0 + AMPLITUDE * sin(OMEGA * t);
}

/* Death rate of state n: min(n, c) mu + max(n - c, 0) theta. */
static double death(int n)
{
    return (n < AGENTS ? n : AGENTS) * MU + (n > AGENTS ? n - AGENTS : 0) * THETA;
}

/* p_n' = lam p_{n-1} + mu_{n+1} p_{n+1} - (lam + mu_n) p_n; no births out of N_MAX. */
static int forward(double t, const double p[], double dp[], void *params)
{
    (void)params;
    double lam = lambda_at(t);
    for (int n = 0; n <= N_MAX; n++) {
        double out = (n < N_MAX ? lam : 0.0) + death(n);
        double v = -out * p[n];
        if (n > 0)
            v += lam * p[n - 1];
        if (n < N_MAX)
            v += death(n + 1) * p[n + 1];
        dp[n] = v;
    }
    return GSL_SUCCESS;
}

/* Integrate from the empty state with rk8pd at tolerance tol; 0 or a GSL code. */
static int exact_curves(double tol, struct exact *ex)
{
    double p[N_MAX + 1] = {0};
    p[0] = 1.0;
    gsl_odeiv2_system sys = {forward, NULL, N_MAX + 1, NULL};
    gsl_odeiv2_driver *drv = gsl_odeiv2_driver_alloc_y_new(&sys, gsl_odeiv2_step_rk8pd, 1e-3,
                                                           tol, tol);
    if (drv == NULL)
        return GSL_ENOMEM;
    double t = 0;
    ex->tail = 0;
    int rc = GSL_SUCCESS;
    for (int k = 0; k <= K_POINTS && rc == GSL_SUCCESS; k++) {
        if (k > 0)
            rc = gsl_odeiv2_driver_apply(drv, &t, sample_time(k), p);
        double pw = 0, m1 = 0, m2 = 0;
        for (int n = AGENTS; n <= N_MAX; n++) {
            pw += p[n];
            m1 += (n - AGENTS) * p[n];
            m2 += (double)(n - AGENTS) * (n - AGENTS) * p[n];
        }
        ex->pwait[k] = pw;
        ex->sd_pwait[k] = sqrt(fmax(pw * (1.0 - pw), 0.0));
        ex->lq[k] = m1;
        ex->sd_lq[k] = sqrt(fmax(m2 - m1 * m1, 0.0));
        if (fabs(p[N_MAX]) > ex->tail)
            ex->tail = fabs(p[N_MAX]);
    }
    gsl_odeiv2_driver_free(drv);
    return rc;
}

/* ---------------------------------------------------------------------------
 * Simulated curves
 * ------------------------------------------------------------------------- */

struct simulated {
    struct ccs_welford busy[K_POINTS + 1]; /* indicator: all agents busy */
    struct ccs_welford waiting[K_POINTS + 1];
};

static struct ccs_scenario *scenario(int agents, double patience_min, double phase_deg)
{
    char yaml[1024];
    /* The horizon runs a minute past the last sample so that sampling at
       8*pi min is an ordinary step, not the end of the run. */
    snprintf(yaml, sizeof yaml,
             "name: transient M(t)/M/%d+M\n"
             "seed: %d\n"
             "horizon: %.17gm\n"
             "queues:\n"
             "  - id: q\n"
             "    arrivals: {rate: %.17g/min, amplitude: %.17g/min, period: %.17gm, phase: %.17g}\n"
             "    handle_time: {dist: exponential, mean: %.17gm}\n"
             "    patience: {dist: exponential, mean: %.17gm}\n"
             "groups:\n"
             "  - id: g\n"
             "    agents: %d\n"
             "    skills: [q]\n",
             agents, SEED, CYCLES_MIN + 1.0, LAMBDA0, AMPLITUDE, 2.0 * M_PI / OMEGA, phase_deg,
             1.0 / MU, patience_min, agents);
    return load_yaml_string(yaml);
}

/* R replications, each stepped to every sample time and read from the view. */
static void simulate(const struct ccs_scenario *sc, int agents, int reps, struct simulated *out)
{
    memset(out, 0, sizeof *out);
    for (int r = 0; r < reps; r++) {
        struct ccs_sim *sim;
        struct ccs_diag d;
        ccs_diag_clear(&d);
        assert_int_equal(ccs_sim_new(sc, SEED, (uint32_t)r, &sim, &d), 0);
        const struct ccs_view *v = ccs_sim_view(sim);
        for (int k = 0; k <= K_POINTS; k++) {
            /* events before t_k: the state at t_k (nothing happens exactly then a.s.) */
            assert_int_equal(ccs_sim_run_until(sim, sample_time(k) * 60.0), 1);
            ccs__welford_add(&out->busy[k], v->groups[0].n_busy == (uint32_t)agents);
            ccs__welford_add(&out->waiting[k], (double)v->queues[0].waiting);
        }
        ccs_sim_free(sim);
    }
}

/* ---------------------------------------------------------------------------
 * The comparison
 * ------------------------------------------------------------------------- */

struct verdict {
    int outside;  /* points outside their band */
    double max_z; /* largest |standardized deviation| */
    double max_z_t;
    const char *max_z_curve;
};

/*
 * The band at a point is the Student-t interval of the replication mean,
 * mean +- q * s / sqrt(R), except that s is never taken below the exact
 * standard deviation sigma of the sampled quantity. That is the one stated
 * allowance: early on (the system starts empty) P(wait) is positive but only
 * a few or none of R replications see all agents busy, and the sample sd of
 * a handful of ones (zero when there are none) makes the Student-t band
 * collapse onto a value that is right. Elsewhere s ~ sigma and it changes
 * nothing. z = (mean - exact) / (max(s, sigma) / sqrt(R)); a point is inside
 * when |z| <= q.
 */
static double check_point(double exact, double sigma, const struct ccs_welford *w, double q,
                          double *hw)
{
    double s = sqrt(ccs__welford_var(w));
    double se = fmax(s, sigma) / sqrt(w->n);
    *hw = q * se;
    if (se == 0)
        return w->mean == exact ? 0.0 : INFINITY;
    return (w->mean - exact) / se;
}

static void compare(const struct exact *ex, const struct simulated *sm, int reps, bool print,
                    struct verdict *vd)
{
    int n_tests = 2 * (K_POINTS + 1);
    double q = gsl_cdf_tdist_Pinv(1.0 - FAMILY_ALPHA / (2.0 * n_tests), reps - 1.0);
    vd->outside = 0;
    vd->max_z = 0;
    vd->max_z_t = 0;
    vd->max_z_curve = "";
    if (print) {
        printf("R = %d, %d sample times, per-point quantile %.3f (family level %.0f%%)\n", reps,
               K_POINTS + 1, q, 100.0 * (1.0 - FAMILY_ALPHA));
        printf("%7s | %9s %9s %8s %6s | %8s %8s %7s %6s\n", "t (min)", "P(wait)", "sim",
               "+-", "z", "Lq", "sim", "+-", "z");
    }
    for (int k = 0; k <= K_POINTS; k++) {
        double hw1, hw2;
        double z1 = check_point(ex->pwait[k], ex->sd_pwait[k], &sm->busy[k], q, &hw1);
        double z2 = check_point(ex->lq[k], ex->sd_lq[k], &sm->waiting[k], q, &hw2);
        bool bad1 = !(fabs(z1) <= q), bad2 = !(fabs(z2) <= q);
        vd->outside += bad1 + bad2;
        if (fabs(z1) > vd->max_z) {
            vd->max_z = fabs(z1);
            vd->max_z_t = sample_time(k);
            vd->max_z_curve = "P(wait)";
        }
        if (fabs(z2) > vd->max_z) {
            vd->max_z = fabs(z2);
            vd->max_z_t = sample_time(k);
            vd->max_z_curve = "Lq";
        }
        if (print && (k % 4 == 0 || bad1 || bad2))
            printf("%7.3f | %9.6f %9.6f %8.2g %6.2f | %8.4f %8.4f %7.2g %6.2f%s\n",
                   sample_time(k), ex->pwait[k], sm->busy[k].mean, hw1, z1, ex->lq[k],
                   sm->waiting[k].mean, hw2, z2, bad1 || bad2 ? "  OUTSIDE" : "");
    }
    if (print)
        printf("max |z| = %.3f (%s at t = %.3f min); %d of %d points outside\n", vd->max_z,
               vd->max_z_curve, vd->max_z_t, vd->outside, n_tests);
}

/* ---------------------------------------------------------------------------
 * Tests
 * ------------------------------------------------------------------------- */

static struct exact exact_ref;

static int setup(void **state)
{
    (void)state;
    gsl_set_error_handler_off();
    struct exact finer;
    if (exact_curves(1e-12, &exact_ref) != GSL_SUCCESS ||
        exact_curves(5e-13, &finer) != GSL_SUCCESS) {
        fprintf(stderr, "exact curves: the ODE integration failed\n");
        return -1;
    }
    /* halving the tolerance must not move the curves */
    double moved = 0;
    for (int k = 0; k <= K_POINTS; k++) {
        moved = fmax(moved, fabs(exact_ref.pwait[k] - finer.pwait[k]));
        moved = fmax(moved, fabs(exact_ref.lq[k] - finer.lq[k]));
    }
    printf("exact curves: tolerance halved moves them by %.2g; mass at N = %d at most %.2g\n",
           moved, N_MAX, exact_ref.tail);
    if (!(moved < 1e-9) || !(exact_ref.tail < TAIL_MAX))
        return -1;
    return 0;
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + 1e-9 * (double)(t1.tv_nsec - t0->tv_nsec);
}

static void test_exact_curves_are_sane(void **state)
{
    (void)state;
    /* starting empty: nobody waits at t = 0 */
    assert_true(exact_ref.pwait[0] == 0 && exact_ref.lq[0] == 0);
    for (int k = 0; k <= K_POINTS; k++) {
        assert_true(exact_ref.pwait[k] >= -1e-12 && exact_ref.pwait[k] <= 1 + 1e-12);
        assert_true(exact_ref.lq[k] >= -1e-12);
    }
}

static void test_simulation_matches_exact(void **state)
{
    (void)state;
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    struct ccs_scenario *sc = scenario(AGENTS, 1.0 / THETA, 0);
    assert_non_null(sc);
    struct simulated *sm = malloc(sizeof *sm);
    assert_non_null(sm);
    simulate(sc, AGENTS, REPS, sm);
    struct verdict vd;
    compare(&exact_ref, sm, REPS, true, &vd);
    printf("%d replications in %.2f s\n", REPS, seconds_since(&t0));
    free(sm);
    ccs_scenario_free(sc);
    assert_int_equal(vd.outside, 0);
}

/*
 * Negative controls: the same comparison against a simulation of a wrong
 * model must fail, with few replications. Measured max |z| against the
 * quantile of about 4.06: patience 2 min 12.2, 51 agents 5.9 (the subtlest,
 * hence more replications), phase 180 deg (the sinusoid mirrored) 73.
 */
struct control {
    const char *what;
    int agents;
    double patience_min, phase_deg;
    int reps;
};

static const struct control controls[] = {
    {"patience mean 2 min", AGENTS, 2.0 / THETA, 0, 200},
    {"51 agents", AGENTS - 1, 1.0 / THETA, 0, 1500},
    {"sinusoid phase 180 deg", AGENTS, 1.0 / THETA, 180, 200},
};

static void test_negative_controls_fail(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof controls / sizeof controls[0]; i++) {
        const struct control *c = &controls[i];
        struct ccs_scenario *sc = scenario(c->agents, c->patience_min, c->phase_deg);
        assert_non_null(sc);
        struct simulated *sm = malloc(sizeof *sm);
        assert_non_null(sm);
        simulate(sc, c->agents, c->reps, sm);
        struct verdict vd;
        compare(&exact_ref, sm, c->reps, false, &vd);
        printf("negative control, %s (R = %d): %d of %d points outside, max |z| = %.1f "
               "(%s at t = %.2f min)\n",
               c->what, c->reps, vd.outside, 2 * (K_POINTS + 1), vd.max_z, vd.max_z_curve,
               vd.max_z_t);
        free(sm);
        ccs_scenario_free(sc);
        assert_true(vd.outside > 0);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_exact_curves_are_sane),
        cmocka_unit_test(test_simulation_matches_exact),
        cmocka_unit_test(test_negative_controls_fail),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
