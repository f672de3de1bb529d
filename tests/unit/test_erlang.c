/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_erlang.c - the exact Erlang formulas (sim/analytic/): every row and
 * column of tests/data/erlang_cases.csv, spot values, identities, limits,
 * large systems, bad parameters, staffing, and the special functions.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "analytic/special.h"
#include "ccs/ccs.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_randist.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define CSV_PATH CCS_SOURCE_DIR "/tests/data/erlang_cases.csv"
#define CSV_RTOL 1e-6
#define CSV_ATOL 1e-12

static double rel_err(double got, double want)
{
    double d = fabs(got - want);
    return d == 0.0 ? 0.0 : d / fmax(fabs(want), CSV_ATOL / CSV_RTOL);
}

static void assert_close(double got, double want, double rtol, double atol, const char *what)
{
    if (!(fabs(got - want) <= rtol * fabs(want) + atol)) {
        print_error("%s: got %.15g, want %.15g (rtol %g, atol %g)\n", what, got, want, rtol, atol);
        fail();
    }
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

static struct ccs_erlang_result solve_ok(double lam, double mu, int c, double theta, long room,
                                         double t)
{
    struct ccs_erlang_model m = {lam, mu, c, theta, room, t};
    struct ccs_erlang_result r;
    assert_int_equal(ccs_erlang_solve(&m, &r), 0);
    return r;
}

/* ---- the reference table ---------------------------------------------- */

/* Output columns of the CSV and the result fields they check. */
static const struct {
    const char *column;
    size_t offset;
} csv_outputs[] = {
    {"P_block", offsetof(struct ccs_erlang_result, block_rate)},
    {"P_wait", offsetof(struct ccs_erlang_result, p_wait)},
    {"P_ab", offsetof(struct ccs_erlang_result, abandon_rate)},
    {"ASA_all", offsetof(struct ccs_erlang_result, mean_wait)},
    {"ASA_served", offsetof(struct ccs_erlang_result, asa)},
    {"W_ab", offsetof(struct ccs_erlang_result, mean_wait_abandoned)},
    {"SL_ans_offered", offsetof(struct ccs_erlang_result, sl_offered)},
    {"SL_ans_served", offsetof(struct ccs_erlang_result, sl_answered)},
    {"SL_no_short_ab", offsetof(struct ccs_erlang_result, sl_no_short_ab)},
    {"SL_all", offsetof(struct ccs_erlang_result, sl_all)},
    {"P_V_le_t", offsetof(struct ccs_erlang_result, p_virtual_le_t)},
    {"Lq", offsetof(struct ccs_erlang_result, queue_length)},
    {"L", offsetof(struct ccs_erlang_result, in_system)},
    {"occupancy", offsetof(struct ccs_erlang_result, occupancy)},
};
#define N_OUTPUTS (sizeof csv_outputs / sizeof csv_outputs[0])

#define MAX_FIELDS 40

/* Split one CSV line in place (double quotes protect commas). */
static int split_csv(char *line, char **field, int cap)
{
    int n = 0;
    char *p = line;
    line[strcspn(line, "\r\n")] = '\0';
    while (n < cap) {
        if (*p == '"') {
            char *out = ++p;
            field[n++] = out;
            while (*p != '\0') {
                if (p[0] == '"' && p[1] == '"') {
                    *out++ = '"';
                    p += 2;
                } else if (p[0] == '"') {
                    p++;
                    break;
                } else {
                    *out++ = *p++;
                }
            }
            char *end = strchr(p, ',');
            *out = '\0';
            if (end == NULL)
                break;
            p = end + 1;
        } else {
            field[n++] = p;
            char *end = strchr(p, ',');
            if (end == NULL)
                break;
            *end = '\0';
            p = end + 1;
        }
    }
    return n;
}

static int column_of(char **head, int nhead, const char *name)
{
    for (int i = 0; i < nhead; i++)
        if (strcmp(head[i], name) == 0)
            return i;
    print_error("column %s missing from %s\n", name, CSV_PATH);
    fail();
    return -1;
}

static double csv_number(const char *s)
{
    if (strcmp(s, "inf") == 0)
        return INFINITY;
    char *end;
    double v = strtod(s, &end);
    assert_true(end != s && *end == '\0');
    return v;
}

static void test_reference_table(void **state)
{
    (void)state;
    FILE *f = fopen(CSV_PATH, "r");
    assert_non_null(f);
    char hline[4096], line[4096];
    char *head[MAX_FIELDS], *field[MAX_FIELDS];
    assert_non_null(fgets(hline, sizeof hline, f));
    int nhead = split_csv(hline, head, MAX_FIELDS);
    int c_case = column_of(head, nhead, "case"), c_lam = column_of(head, nhead, "lam");
    int c_mu = column_of(head, nhead, "mu"), c_c = column_of(head, nhead, "c");
    int c_th = column_of(head, nhead, "theta"), c_q = column_of(head, nhead, "q_max");
    int c_t = column_of(head, nhead, "t"), c_model = column_of(head, nhead, "model");
    int c_out[N_OUTPUTS];
    for (size_t k = 0; k < N_OUTPUTS; k++)
        c_out[k] = column_of(head, nhead, csv_outputs[k].column);

    int rows = 0, checked = 0, failures = 0;
    double worst = 0.0;
    char worst_where[128] = "";
    while (fgets(line, sizeof line, f) != NULL) {
        if (line[0] == '\n' || line[0] == '\0')
            continue;
        int n = split_csv(line, field, MAX_FIELDS);
        assert_int_equal(n, nhead);
        double q = csv_number(field[c_q]);
        struct ccs_erlang_model m = {csv_number(field[c_lam]), csv_number(field[c_mu]),
                                     (int)csv_number(field[c_c]), csv_number(field[c_th]),
                                     isinf(q) ? -1 : (long)q, csv_number(field[c_t])};
        struct ccs_erlang_result r;
        int rc = ccs_erlang_solve(&m, &r);
        if (rc != 0) {
            print_error("%s: solve returned %d\n", field[c_case], rc);
            failures++;
            continue;
        }
        if (strcmp(ccs_erlang_model_name(&m), field[c_model]) != 0) {
            print_error("%s: model name %s, want %s\n", field[c_case], ccs_erlang_model_name(&m),
                        field[c_model]);
            failures++;
        }
        rows++;
        for (size_t k = 0; k < N_OUTPUTS; k++) {
            const char *cell = field[c_out[k]];
            if (cell[0] == '\0')
                continue; /* not applicable */
            double want = csv_number(cell);
            double got = *(const double *)((const char *)&r + csv_outputs[k].offset);
            double e = rel_err(got, want);
            checked++;
            if (!(e <= CSV_RTOL)) {
                print_error("%s %s: got %.12g, want %.12g (rel err %.3g)\n", field[c_case],
                            csv_outputs[k].column, got, want, e);
                failures++;
            }
            if (e > worst) {
                worst = e;
                snprintf(worst_where, sizeof worst_where, "%s %s", field[c_case],
                         csv_outputs[k].column);
            }
        }
    }
    fclose(f);
    print_message("erlang_cases.csv: %d rows, %d values, worst relative error %.3g (%s)\n", rows,
                  checked, worst, worst_where);
    assert_int_equal(failures, 0);
    assert_true(rows >= 22);
}

/* ---- spot values and special cases ------------------------------------ */

static void test_erlang_b_c_spot(void **state)
{
    (void)state;
    assert_close(ccs_erlang_b(25, 30), 0.05260317223, 1e-9, 0, "B(25,30)");
    assert_close(ccs_erlang_b(180, 200), 0.0103249952, 1e-9, 0, "B(180,200)");
    assert_close(ccs_erlang_b(10, 10), 0.2145823431, 1e-9, 0, "B(10,10)");
    assert_close(ccs_erlang_b(1, 1), 0.5, 1e-15, 0, "B(1,1)");
    assert_close(ccs_erlang_c(20, 25), 0.2091028266, 1e-9, 0, "C(20,25)");
    assert_close(ccs_erlang_c(10, 14), 0.1741319336, 1e-9, 0, "C(10,14)");
    assert_close(ccs_erlang_c(0.9, 1), 0.9, 1e-14, 0, "C(0.9,1)");
    assert_true(ccs_erlang_b(0, 5) == 0.0);
    assert_true(ccs_erlang_b(3, 0) == 1.0);
    assert_true(ccs_erlang_c(30, 25) == 1.0);
    assert_true(ccs_erlang_c(25, 25) == 1.0);
    assert_true(isnan(ccs_erlang_b(-1, 5)));
    assert_true(isnan(ccs_erlang_b(NAN, 5)));
    assert_true(isnan(ccs_erlang_b(2, -1)));
    assert_true(isnan(ccs_erlang_c(INFINITY, 5)));
    /* Large: no overflow or underflow trouble. */
    double b = ccs_erlang_b(9500, 10000);
    assert_true(b > 0 && b < 1e-6);
    assert_true(ccs_erlang_b(1, 100000) == 0.0 || ccs_erlang_b(1, 100000) < 1e-300);
}

static void test_erlang_b_matches_solve(void **state)
{
    (void)state;
    const double loads[] = {0.5, 7.3, 25, 180, 4900};
    const int lines[] = {1, 10, 30, 200, 5000};
    for (size_t i = 0; i < 5; i++) {
        struct ccs_erlang_result r = solve_ok(loads[i] * 0.5, 0.5, lines[i], 0.3, 0, 0.2);
        assert_close(r.block_rate, ccs_erlang_b(loads[i], lines[i]), 1e-11, 1e-300, "B");
        assert_true(r.p_wait == 0 && r.abandon_rate == 0 && r.queue_length == 0);
        assert_close(r.sl_answered, 1, 1e-15, 0, "sl_answered");
        assert_close(r.sl_offered, 1 - r.block_rate, 1e-12, 0, "sl_offered");
        assert_true(isnan(r.mean_wait_abandoned));
    }
}

/* Erlang C closed form and the general M/M/c/K with a huge room agree. */
static void test_erlang_c_vs_large_room(void **state)
{
    (void)state;
    struct {
        double lam, mu;
        int c;
        double t;
    } cs[] = {{20, 1, 25, 1.0 / 3}, {98, 1, 100, 0.1}, {0.9, 1, 1, 1}, {9900, 1, 10000, 0.01}};
    for (size_t i = 0; i < sizeof cs / sizeof cs[0]; i++) {
        struct ccs_erlang_result a = solve_ok(cs[i].lam, cs[i].mu, cs[i].c, 0, -1, cs[i].t);
        struct ccs_erlang_result b = solve_ok(cs[i].lam, cs[i].mu, cs[i].c, 0, 100000000L, cs[i].t);
        assert_close(b.block_rate, 0, 0, 1e-18, "block");
        assert_close(b.p_wait, a.p_wait, 1e-10, 0, "p_wait");
        assert_close(b.mean_wait, a.mean_wait, 1e-10, 0, "mean_wait");
        assert_close(b.sl_offered, a.sl_offered, 1e-10, 0, "sl");
        assert_close(b.p_virtual_le_t, a.p_virtual_le_t, 1e-10, 0, "p_virtual");
        assert_close(b.queue_length, a.queue_length, 1e-10, 0, "Lq");
        assert_close(b.occupancy, a.occupancy, 1e-10, 0, "occupancy");
    }
}

static void test_invalid_parameters(void **state)
{
    (void)state;
    const struct ccs_erlang_model good = {10, 1, 12, 0.5, -1, 0.3};
    struct ccs_erlang_result r;
    assert_int_equal(ccs_erlang_solve(&good, &r), 0);
    assert_int_equal(ccs_erlang_solve(NULL, &r), CCS_EINVAL);
    assert_true(isnan(r.p_wait) && isnan(r.occupancy));
    assert_int_equal(ccs_erlang_solve(&good, NULL), CCS_EINVAL);
    struct ccs_erlang_model bad[] = {
        {0, 1, 12, 0.5, -1, 0.3},   {-1, 1, 12, 0.5, -1, 0.3},       {NAN, 1, 12, 0.5, -1, 0.3},
        {INFINITY, 1, 12, 0, 5, 0}, {10, 0, 12, 0.5, -1, 0.3},       {10, -2, 12, 0.5, -1, 0.3},
        {10, 1, 0, 0.5, -1, 0.3},   {10, 1, -3, 0.5, -1, 0.3},       {10, 1, 12, -0.1, -1, 0.3},
        {10, 1, 12, NAN, -1, 0.3},  {10, 1, 12, INFINITY, -1, 0.3}, {10, 1, 12, 0.5, -2, 0.3},
        {10, 1, 12, 0.5, -1, -1},   {10, 1, 12, 0.5, -1, NAN},       {10, 1, 12, 0.5, -1, INFINITY},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        r.p_wait = 0.5;
        if (ccs_erlang_solve(&bad[i], &r) != CCS_EINVAL) {
            print_error("bad model %zu accepted\n", i);
            fail();
        }
        assert_true(isnan(r.p_wait) && isnan(r.sl_offered) && isnan(r.in_system));
    }
    /* Unstable Erlang C: rho = 1 and rho > 1. */
    struct ccs_erlang_model m = {12, 1, 12, 0, -1, 0.3};
    assert_int_equal(ccs_erlang_solve(&m, &r), CCS_ERANGE);
    assert_true(isnan(r.p_wait));
    m.lambda = 20;
    assert_int_equal(ccs_erlang_solve(&m, &r), CCS_ERANGE);
    /* ...while a finite room or abandonment makes it stable. */
    m.queue_max = 50;
    assert_int_equal(ccs_erlang_solve(&m, &r), 0);
    assert_close(r.occupancy, 1.0, 0, 1e-6, "saturated occupancy");
    m.queue_max = -1;
    m.theta = 0.2;
    assert_int_equal(ccs_erlang_solve(&m, &r), 0);
    /* Overloaded with almost no abandonment: the mass sits ~1e15 states out. */
    m.theta = 1e-14;
    assert_int_equal(ccs_erlang_solve(&m, &r), CCS_ERANGE);
}

static void test_model_names(void **state)
{
    (void)state;
    struct ccs_erlang_model m = {1, 1, 2, 0, -1, 0};
    assert_string_equal(ccs_erlang_model_name(&m), "ErlangC");
    m.theta = 1;
    assert_string_equal(ccs_erlang_model_name(&m), "ErlangA");
    m.queue_max = 0;
    assert_string_equal(ccs_erlang_model_name(&m), "ErlangB");
    m.queue_max = 3;
    assert_string_equal(ccs_erlang_model_name(&m), "MMcK+M");
    m.theta = 0;
    assert_string_equal(ccs_erlang_model_name(&m), "MMcK");
    assert_string_equal(ccs_erlang_model_name(NULL), "unknown");
}

/* ---- identities and limits -------------------------------------------- */

static void check_identities(const struct ccs_erlang_result *r, double lam, double mu, int c,
                             double theta)
{
    double adm = 1 - r->block_rate;
    /* Each abandoner left at rate theta while waiting: P_ab = theta Lq / lambda. */
    assert_close(r->abandon_rate, theta * r->queue_length / lam, 1e-10, 1e-300, "P_ab identity");
    /* Little: Lq = lambda_admitted * mean wait. */
    assert_close(r->queue_length, lam * adm * r->mean_wait, 1e-10, 1e-300, "Little Lq");
    /* Busy agents = served throughput / mu. */
    assert_close(r->occupancy * c, lam * (adm - r->abandon_rate) / mu, 1e-10, 0, "occupancy");
    assert_close(r->in_system, r->queue_length + r->occupancy * c, 1e-12, 0, "L");
    /* Wait of admitted = served share * asa + abandoned share * W_ab. */
    if (theta > 0 && r->abandon_rate > 0)
        assert_close(r->mean_wait * adm,
                     (adm - r->abandon_rate) * r->asa + r->abandon_rate * r->mean_wait_abandoned,
                     1e-10, 1e-300, "wait split");
    double probs[] = {r->block_rate, r->p_wait,        r->abandon_rate,   r->p_ab_within,
                      r->sl_offered, r->sl_answered,   r->sl_no_short_ab, r->sl_handled,
                      r->sl_all,     r->p_virtual_le_t, r->occupancy};
    for (size_t i = 0; i < sizeof probs / sizeof probs[0]; i++)
        assert_true(probs[i] >= 0 && probs[i] <= 1 + 1e-12);
    assert_true(r->p_ab_within <= r->abandon_rate + 1e-15);
    assert_true(r->sl_answered >= r->sl_offered - 1e-15);
    assert_true(r->sl_all * adm >= r->sl_offered - 1e-15);
}

static void test_identities(void **state)
{
    (void)state;
    struct {
        double lam, mu;
        int c;
        double theta;
        long room;
        double t;
    } cs[] = {
        {100, 1, 100, 1, -1, 0.1},
        {120, 1, 100, 0.5, -1, 0.1},
        {10, 1.0 / 3, 28, 0.5, -1, 1.0 / 3},
        {5, 1, 3, 2, 10, 0.5},       {5, 1, 3, 0, 10, 0.5},       {30, 1, 10, 0.05, 200, 1},
        {0.5, 2, 1, 10, -1, 3},      {200, 1, 100, 2, -1, 0.1},   {3, 1, 5, 0.7, 0, 0.2},
        {95, 1, 100, 0.5, -1, 0},    {1, 1, 1, 1000, -1, 2},      {1000, 1, 10, 1e-3, -1, 5},
    };
    for (size_t i = 0; i < sizeof cs / sizeof cs[0]; i++) {
        struct ccs_erlang_result r =
            solve_ok(cs[i].lam, cs[i].mu, cs[i].c, cs[i].theta, cs[i].room, cs[i].t);
        check_identities(&r, cs[i].lam, cs[i].mu, cs[i].c, cs[i].theta);
    }
}

/*
 * KPIs conditional on waiting keep their relative accuracy when waiting is
 * rare: here P(wait) = 1.6e-10. Reference: 40-digit mpmath (incomplete beta).
 */
static void test_rare_waiting_conditionals(void **state)
{
    (void)state;
    struct ccs_erlang_result r = solve_ok(3, 0.25, 40, 0.25, -1, 4);
    assert_close(r.p_wait, 1.5587113102e-10, 1e-9, 0, "p_wait");
    assert_close(r.mean_wait_abandoned, 0.13279822638826105, 1e-12, 0, "W_ab");
    check_identities(&r, 3, 0.25, 40, 0.25);
}

/* theta = mu: the chain is M/M/infinity, N ~ Poisson(lambda / mu). */
static void test_theta_equals_mu_is_poisson(void **state)
{
    (void)state;
    const double a[] = {3.5, 50, 100, 150, 2000};
    const int c[] = {4, 45, 100, 100, 1950};
    for (size_t i = 0; i < 5; i++) {
        double mu = 0.25;
        struct ccs_erlang_result r = solve_ok(a[i] * mu, mu, c[i], mu, -1, 2);
        assert_close(r.in_system, a[i], 1e-11, 0, "L = a");
        assert_close(r.p_wait, gsl_cdf_poisson_Q((unsigned)c[i] - 1, a[i]), 1e-10, 1e-300,
                     "P(N >= c)");
        /* Everyone leaves at rate mu whether served or not. */
        assert_close(r.mean_wait, r.queue_length / (a[i] * mu), 1e-11, 0, "mean wait");
    }
}

/* theta -> 0 converges to Erlang C, with an error of order theta. */
static void test_theta_to_zero_is_erlang_c(void **state)
{
    (void)state;
    struct {
        double lam, mu;
        int c;
        double t;
    } cs[] = {{20, 1, 25, 1.0 / 3}, {98, 1, 100, 0.1}, {3.333333333, 0.3333333333, 11, 1.0 / 3}};
    for (size_t i = 0; i < sizeof cs / sizeof cs[0]; i++) {
        struct ccs_erlang_result c = solve_ok(cs[i].lam, cs[i].mu, cs[i].c, 0, -1, cs[i].t);
        double prev = INFINITY;
        for (double theta = 1e-2; theta >= 1e-10; theta *= 1e-2) {
            struct ccs_erlang_result a = solve_ok(cs[i].lam, cs[i].mu, cs[i].c, theta, -1, cs[i].t);
            double err = fabs(a.sl_offered - c.sl_offered) + fabs(a.p_wait - c.p_wait) +
                         fabs(a.mean_wait - c.mean_wait) / c.mean_wait +
                         fabs(a.p_virtual_le_t - c.p_virtual_le_t) +
                         fabs(a.queue_length - c.queue_length) / c.queue_length;
            assert_true(err < prev);
            prev = err;
        }
        assert_true(prev < 1e-6);
    }
}

/* Hopelessly wide state spaces are refused at once, not after 5e7 steps. */
static void test_too_wide_is_refused_fast(void **state)
{
    (void)state;
    struct ccs_erlang_model wide[] = {
        {100, 1, 100, 1e-12, -1, 0.1},         /* rho = 1: band ~1e8 wide */
        {100, 1, 100, 1e-300, -1, 0.1},        /* theta underflows to nothing */
        {100, 1, 100, 0, 1000000000L, 0.1},    /* M/M/c/K, rho = 1, K = 1e9 */
        {20, 1, 12, 1e-14, -1, 0.3},           /* mode 8e14 states out */
    };
    for (size_t i = 0; i < sizeof wide / sizeof wide[0]; i++) {
        struct ccs_erlang_result r;
        double t0 = now_s();
        assert_int_equal(ccs_erlang_solve(&wide[i], &r), CCS_ERANGE);
        assert_true(now_s() - t0 < 0.05);
        assert_true(isnan(r.sl_offered));
    }
    /* ...while merely wide ones are solved. */
    struct ccs_erlang_result r = solve_ok(100, 1, 100, 1e-9, -1, 0.1);
    check_identities(&r, 100, 1, 100, 1e-9);
    r = solve_ok(100, 1, 100, 0, 1000000L, 0.1);
    assert_close(r.block_rate, 1.0 / 1000001, 1e-3, 0, "uniform queue states");
}

/* ---- large systems ---------------------------------------------------- */

static void test_large_systems(void **state)
{
    (void)state;
    struct {
        double lam;
        int c;
        double theta;
        long room;
    } cs[] = {
        {4900, 5000, 0.01, -1}, {10000, 10000, 0.001, -1}, {9900, 10000, 1e-6, -1},
        {12000, 10000, 0.5, -1}, {9990, 10000, 0, -1},     {9990, 10000, 0, 0},
        {11000, 10000, 0, 5000}, {10000, 10000, 1e-3, 100000},
    };
    for (size_t i = 0; i < sizeof cs / sizeof cs[0]; i++) {
        double t0 = now_s();
        struct ccs_erlang_result r =
            solve_ok(cs[i].lam, 1, cs[i].c, cs[i].theta, cs[i].room, 1.0 / 3);
        double dt = now_s() - t0;
        print_message("lambda %g c %d theta %g room %ld: %.2f ms, p_wait %.6g sl %.6g\n",
                      cs[i].lam, cs[i].c, cs[i].theta, cs[i].room, dt * 1e3, r.p_wait,
                      r.sl_offered);
        assert_true(dt < 0.5);
        assert_true(isfinite(r.mean_wait) && isfinite(r.sl_all) && isfinite(r.in_system));
        check_identities(&r, cs[i].lam, 1, cs[i].c, cs[i].theta);
    }
    /* The headline case, close to Erlang C as theta is small and rho < 1. */
    struct ccs_erlang_result a = solve_ok(4900, 1, 5000, 0.01, -1, 1.0 / 3);
    struct ccs_erlang_result c = solve_ok(4900, 1, 5000, 0, -1, 1.0 / 3);
    assert_true(a.p_wait < c.p_wait && a.p_wait > 0.5 * c.p_wait);
    assert_true(a.sl_offered > 0.9 && a.sl_offered <= 1);
}

/* ---- staffing --------------------------------------------------------- */

static double sl_at(double lam, double mu, int c, double theta, double t, int answered)
{
    struct ccs_erlang_result r = solve_ok(lam, mu, c, theta, -1, t);
    return answered ? r.sl_answered : r.sl_offered;
}

static void test_staffing_minimal(void **state)
{
    (void)state;
    /* 100 calls / 30 min, AHT 3 min, 80% in 20 s: 14 agents (C2: 0.888; 13 give 0.796). */
    int n = 0;
    const double lam = 100.0 / 30, mu = 1.0 / 3, t = 1.0 / 3;
    assert_int_equal(ccs_staff_erlang(lam, mu, 0, t, 0.8, 1, 0, &n), 0);
    assert_true(sl_at(lam, mu, n, 0, t, 0) >= 0.8);
    assert_true(n - 1 <= 10 || sl_at(lam, mu, n - 1, 0, t, 0) < 0.8);
    print_message("a=10 Erlang C 80/20: %d agents\n", n);
    /* An occupancy cap of 70% forces ceil(10 / 0.7) = 15. */
    assert_int_equal(ccs_staff_erlang(lam, mu, 0, t, 0.8, 0.7, 0, &n), 0);
    assert_int_equal(n, 15);
    /* Target 0 and no cap: the smallest stable staffing. */
    assert_int_equal(ccs_staff_erlang(lam, mu, 0, t, 0, 1, 0, &n), 0);
    assert_int_equal(n, 11);
    /* Erlang A, both definitions, minimal in each. */
    for (int ans = 0; ans <= 1; ans++) {
        for (double target = 0.5; target < 0.99; target += 0.1) {
            assert_int_equal(ccs_staff_erlang(lam, mu, 0.2, t, target, 1, ans, &n), 0);
            assert_true(sl_at(lam, mu, n, 0.2, t, ans) >= target);
            assert_true(n == 1 || sl_at(lam, mu, n - 1, 0.2, t, ans) < target);
        }
    }
}

static void test_staffing_monotone(void **state)
{
    (void)state;
    for (int abandon = 0; abandon <= 1; abandon++) {
        double theta = abandon ? 0.5 : 0;
        int prev = 0;
        for (double lam = 1; lam <= 2000; lam *= 1.7) {
            int n = 0;
            assert_int_equal(ccs_staff_erlang(lam, 1, theta, 1.0 / 3, 0.8, 1, 0, &n), 0);
            assert_true(n >= prev);
            prev = n;
        }
        prev = 0;
        for (double target = 0.0; target <= 0.99; target += 0.03) {
            int n = 0;
            assert_int_equal(ccs_staff_erlang(95, 1, theta, 1.0 / 3, target, 1, 0, &n), 0);
            assert_true(n >= prev);
            prev = n;
        }
        prev = 1 << 30;
        for (double t = 0; t <= 2; t += 0.1) {
            int n = 0;
            assert_int_equal(ccs_staff_erlang(95, 1, theta, t, 0.8, 1, 0, &n), 0);
            assert_true(n <= prev);
            prev = n;
        }
    }
}

static void test_staffing_errors_and_speed(void **state)
{
    (void)state;
    int n = -7;
    assert_int_equal(ccs_staff_erlang(0, 1, 0, 1, 0.8, 1, 0, &n), CCS_EINVAL);
    assert_int_equal(ccs_staff_erlang(10, 0, 0, 1, 0.8, 1, 0, &n), CCS_EINVAL);
    assert_int_equal(ccs_staff_erlang(10, 1, -1, 1, 0.8, 1, 0, &n), CCS_EINVAL);
    assert_int_equal(ccs_staff_erlang(10, 1, 0, -1, 0.8, 1, 0, &n), CCS_EINVAL);
    assert_int_equal(ccs_staff_erlang(10, 1, 0, 1, 1.2, 1, 0, &n), CCS_EINVAL);
    assert_int_equal(ccs_staff_erlang(10, 1, 0, 1, 0.8, 0, 0, &n), CCS_EINVAL);
    assert_int_equal(ccs_staff_erlang(10, 1, 0, 1, 0.8, 1.5, 0, &n), CCS_EINVAL);
    assert_int_equal(ccs_staff_erlang(10, 1, 0, 1, 0.8, 1, 0, NULL), CCS_EINVAL);
    assert_int_equal(n, -7);
    /* 100% within t is reached only once 1 - SL rounds away (about 1e-16). */
    assert_int_equal(ccs_staff_erlang(10, 1, 0, 1, 1.0, 1, 0, &n), 0);
    assert_true(n > 20 && sl_at(10, 1, n, 0, 1, 0) >= 1 - 1e-12);
    /* Beyond the 100000-agent ceiling. */
    assert_int_equal(ccs_staff_erlang(2e5, 1, 0, 1, 0.8, 1, 0, &n), CCS_ERANGE);
    double t0 = now_s();
    assert_int_equal(ccs_staff_erlang(9500, 1, 0.01, 1.0 / 3, 0.8, 0.95, 0, &n), 0);
    assert_int_equal(ccs_staff_erlang(9500, 1, 0, 1.0 / 3, 0.8, 0.95, 0, &n), 0);
    double dt = now_s() - t0;
    print_message("staffing a=9500 (Erlang A then C): %.1f ms\n", dt * 1e3);
    assert_true(dt < 0.5);
}

/* ---- special functions ------------------------------------------------ */

static void test_count_law_pmf(void **state)
{
    (void)state;
    /* Poisson: against GSL where GSL's lgamma route is still accurate. */
    struct ccs__count_law law;
    ccs__count_law_init(&law, 7.5, 0, 2, 0);
    for (long i = 0; i < 60; i++)
        assert_close(exp(ccs__count_logpmf(&law, i)), gsl_ran_poisson_pdf((unsigned)i, 15), 1e-12,
                     1e-300, "poisson pmf");
    /* Negative binomial: size A / theta, p = exp(-theta t). */
    const double A[] = {5, 0.3, 100, 2};
    const double th[] = {0.5, 2, 1, 0.01};
    const double t[] = {1, 0.7, 0.05, 30};
    for (size_t k = 0; k < 4; k++) {
        for (int shift = 0; shift <= 1; shift++) {
            ccs__count_law_init(&law, A[k], th[k], t[k], shift);
            double size = (A[k] + shift * th[k]) / th[k];
            for (long i = 0; i < 200; i++)
                assert_close(exp(ccs__count_logpmf(&law, i)),
                             gsl_ran_negative_binomial_pdf((unsigned)i, exp(-th[k] * t[k]), size),
                             1e-10, 1e-300, "nbinom pmf");
        }
    }
    /* Huge sizes (theta -> 0): the pmf must still sum to 1 and match Poisson. */
    const double tiny[] = {1e-3, 1e-6, 1e-9, 1e-12};
    for (size_t k = 0; k < 4; k++) {
        ccs__count_law_init(&law, 10000, tiny[k], 0.3, 0);
        double mode = ccs__count_mode(&law), sum = 0;
        for (long i = (long)mode - 1000; i <= (long)mode + 1000; i++)
            sum += exp(ccs__count_logpmf(&law, i));
        assert_close(sum, 1, 1e-12, 0, "sum of pmf");
    }
    struct ccs__count_law p, nb;
    ccs__count_law_init(&p, 10000, 0, 0.3, 0);
    /* The laws differ by O(theta) (the NB mean is A t + A theta t^2 / 2 + ...). */
    ccs__count_law_init(&nb, 10000, 1e-16, 0.3, 0);
    for (long i = 2800; i < 3200; i += 7)
        assert_close(ccs__count_logpmf(&nb, i), ccs__count_logpmf(&p, i), 1e-13, 0, "limit");
}

static void test_count_law_tail(void **state)
{
    (void)state;
    struct {
        double A, th, t;
    } cs[] = {{10, 0, 1}, {10, 0.5, 1}, {100, 0.01, 0.3}, {0.5, 3, 4}, {1, 1000, 1}, {3, 0.2, 50}};
    for (size_t k = 0; k < sizeof cs / sizeof cs[0]; k++) {
        struct ccs__count_law law;
        ccs__count_law_init(&law, cs[k].A, cs[k].th, cs[k].t, 0);
        for (long m = 0; m < 300; m += 13) {
            /* Direct complement, where it is accurate (the lower part is small) or not. */
            double lower = 0;
            for (long i = 0; i <= m; i++)
                lower += exp(ccs__count_logpmf(&law, i));
            double tail = ccs__count_upper_tail(&law, m);
            assert_close(tail, 1 - lower, 0, 1e-13, "upper tail");
            if (1 - lower < 1e-3 && 1 - lower > 1e-300) {
                double direct = 0;
                for (long i = m + 1; i < m + 20000; i++)
                    direct += exp(ccs__count_logpmf(&law, i));
                if (direct > 1e-290)
                    assert_close(tail, direct, 1e-11, 0, "small upper tail");
            }
        }
    }
}

static void test_harmonic_sums(void **state)
{
    (void)state;
    const double A[] = {1, 100, 1e4, 0.01};
    const double th[] = {1, 0.01, 1e-6, 5};
    const long ms[] = {0, 1, 999, 2000, 2001, 5000, 123456};
    for (size_t k = 0; k < 4; k++) {
        for (size_t j = 0; j < sizeof ms / sizeof ms[0]; j++) {
            long double h = 0, g = 0;
            for (long i = ms[j]; i >= 1; i--) {
                h += 1.0L / (A[k] + (long double)i * th[k]);
                g += (long double)i * th[k] / (A[k] + (long double)i * th[k]);
            }
            assert_close(ccs__harmonic(A[k], th[k], ms[j]), (double)h, 1e-13, 1e-300, "H");
            assert_close(ccs__harmonic_g(A[k], th[k], ms[j]), (double)g, 1e-12, 1e-300, "G");
        }
    }
    assert_close(ccs__harmonic(4, 0, 10), 2.5, 1e-15, 0, "H theta 0");
    assert_true(ccs__harmonic_g(4, 0, 10) == 0);
}

static void test_stirlerr(void **state)
{
    (void)state;
    /* Small n: the definition in long double; large n: the Stirling series. */
    const double n[] = {0.5, 1, 3.7, 15, 15.5, 20, 36, 60, 81, 501, 1e6};
    for (size_t i = 0; i < sizeof n / sizeof n[0]; i++) {
        long double x = n[i], want;
        if (x < 40)
            want = lgammal(x + 1) - (x + 0.5L) * logl(x) + x -
                   0.5L * logl(2 * 3.14159265358979323846264L);
        else
            want = 1 / (12 * x) - 1 / (360 * x * x * x) + 1 / (1260 * powl(x, 5)) -
                   1 / (1680 * powl(x, 7)) + 1 / (1188 * powl(x, 9));
        assert_close(ccs__stirlerr(n[i]), (double)want, 1e-12, 1e-17, "stirlerr");
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reference_table),
        cmocka_unit_test(test_erlang_b_c_spot),
        cmocka_unit_test(test_erlang_b_matches_solve),
        cmocka_unit_test(test_erlang_c_vs_large_room),
        cmocka_unit_test(test_invalid_parameters),
        cmocka_unit_test(test_too_wide_is_refused_fast),
        cmocka_unit_test(test_model_names),
        cmocka_unit_test(test_identities),
        cmocka_unit_test(test_rare_waiting_conditionals),
        cmocka_unit_test(test_theta_equals_mu_is_poisson),
        cmocka_unit_test(test_theta_to_zero_is_erlang_c),
        cmocka_unit_test(test_large_systems),
        cmocka_unit_test(test_staffing_minimal),
        cmocka_unit_test(test_staffing_monotone),
        cmocka_unit_test(test_staffing_errors_and_speed),
        cmocka_unit_test(test_count_law_pmf),
        cmocka_unit_test(test_count_law_tail),
        cmocka_unit_test(test_harmonic_sums),
        cmocka_unit_test(test_stirlerr),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
