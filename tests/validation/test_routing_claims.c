/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_routing_claims.c - the claims docs/routing.md makes about the shipped
 * scenarios, checked with paired confidence intervals (variants of one
 * scenario with the same seed see the same callers, so replication r of
 * each variant is a pair):
 *
 *   vip-surge.yaml: predictive-sla keeps the worst segment closer to its
 *   promise than the static VIP priority of acd, at equal staffing.
 *   blended-email.yaml: blended fills the team's idle time with e-mail while
 *   the voice promise holds and the e-mail promise is met; acd breaks the
 *   voice promise; blended with reserve 0 is exactly acd.
 *   experts.yaml: skills with select most_skilled loads the experts more than
 *   the generalists; least_occupied evens their occupancy out.
 *
 * It prints the tables and differences docs/routing.md quotes, and fails if
 * the page does not quote them exactly (run build/tests/test_routing_claims
 * and copy its output after an intended change of results).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ccs/ccs.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- running variants ------------------------------------------------------------------ */

struct variant {
    const char *label;
    const char *set[3]; /* --set overrides, NULL-terminated */
};

struct runs {
    const struct ccs_scenario *sc;
    uint32_t reps;
    size_t n;      /* values per replication */
    double *v;     /* [rep * n + k] */
};

static struct ccs_scenario *load(const char *file, const struct variant *var)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/scenarios/%s", CCS_SOURCE_DIR, file);
    struct ccs_override ov[3];
    char bufs[3][256];
    size_t n = 0;
    struct ccs_diag d;
    ccs_diag_clear(&d);
    for (; var->set[n] != NULL; n++)
        assert_int_equal(ccs_override_parse(var->set[n], "--set", bufs[n], sizeof bufs[n], &ov[n], &d), 0);
    struct ccs_scenario *sc = NULL;
    if (ccs_scenario_load(path, ov, n, &sc, &d) != 0)
        fprintf(stderr, "%s\n", d.msg);
    assert_non_null(sc);
    return sc;
}

static struct runs run_all(const struct ccs_scenario *sc)
{
    struct runs r = {sc, ccs_scenario_replications(sc), ccs_scenario_layout(sc)->n_whole, NULL};
    size_t all = ccs_scenario_layout(sc)->n;
    double *tmp = malloc(all * sizeof *tmp);
    r.v = malloc(r.reps * r.n * sizeof *r.v);
    assert_true(tmp != NULL && r.v != NULL);
    for (uint32_t i = 0; i < r.reps; i++) {
        struct ccs_sim *sim;
        struct ccs_diag d;
        ccs_diag_clear(&d);
        assert_int_equal(ccs_sim_new(sc, ccs_scenario_seed(sc), i, &sim, &d), 0);
        assert_int_equal(ccs_sim_run(sim), 0);
        ccs_sim_results(sim, tmp);
        memcpy(&r.v[i * r.n], tmp, r.n * sizeof *tmp);
        ccs_sim_free(sim);
    }
    free(tmp);
    return r;
}

static double get(const struct runs *r, uint32_t rep, enum ccs_scope scope, enum ccs_kpi k, int q,
                  int s, int g)
{
    long i = ccs_layout_find(ccs_scenario_layout(r->sc), scope, k, q, s, g, -1);
    assert_true(i >= 0 && (size_t)i < r->n);
    return r->v[rep * r->n + (size_t)i];
}

/* Mean and 95% half-width (Student t) of x[0..n). */
struct ci {
    double mean, hw;
};

static struct ci ci_of(const double *x, uint32_t n)
{
    double m = 0, ss = 0;
    for (uint32_t i = 0; i < n; i++)
        m += x[i];
    m /= n;
    for (uint32_t i = 0; i < n; i++)
        ss += (x[i] - m) * (x[i] - m);
    double sd = sqrt(ss / (n - 1));
    struct ci c = {m, gsl_cdf_tdist_Pinv(0.975, n - 1) * sd / sqrt((double)n)};
    return c;
}

#define PCT(c) 100 * (c).mean, 100 * (c).hw

/*
 * Print a line of the tables docs/routing.md quotes, and check the page
 * quotes it exactly: the numbers are deterministic for the scenarios' seeds,
 * so a change in results must show up in the docs (refresh them from this
 * program's output).
 */
static void quoted(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;
static void quoted(const char *fmt, ...)
{
    static char *doc;
    if (doc == NULL) {
        FILE *f = fopen(CCS_SOURCE_DIR "/docs/routing.md", "rb");
        assert_non_null(f);
        doc = calloc(1, 1 << 20);
        assert_non_null(doc);
        size_t n = fread(doc, 1, (1 << 20) - 1, f);
        doc[n] = '\0';
        fclose(f);
    }
    char line[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    printf("%s\n", line);
    if (strstr(doc, line) == NULL) {
        fprintf(stderr, "docs/routing.md does not quote: %s\n", line);
        fail();
    }
}

/* --- vip-surge ----------------------------------------------------------------------------- */

/* Per replication: SL of each segment, the worst segment's SL, and the
   worst shortfall against the promise (min over segments of SL - target). */
struct vip_rep {
    double reg, vip, worst, gap, ab_reg, ab_vip;
};

static void vip_values(const struct runs *r, struct vip_rep *out)
{
    for (uint32_t i = 0; i < r->reps; i++) {
        struct vip_rep *x = &out[i];
        x->reg = get(r, i, CCS_SCOPE_SEGMENT, CCS_KPI_service_level, 0, 0, -1);
        x->vip = get(r, i, CCS_SCOPE_SEGMENT, CCS_KPI_service_level, 0, 1, -1);
        x->ab_reg = get(r, i, CCS_SCOPE_SEGMENT, CCS_KPI_abandon_rate, 0, 0, -1);
        x->ab_vip = get(r, i, CCS_SCOPE_SEGMENT, CCS_KPI_abandon_rate, 0, 1, -1);
        x->worst = fmin(x->reg, x->vip);
        x->gap = fmin(x->reg - 0.80, x->vip - 0.90);
    }
}

static struct ci field_ci(const struct vip_rep *x, uint32_t n, size_t off, const struct vip_rep *base)
{
    double *d = calloc(n, sizeof *d);
    for (uint32_t i = 0; i < n; i++) {
        d[i] = *(const double *)((const char *)&x[i] + off);
        if (base != NULL)
            d[i] -= *(const double *)((const char *)&base[i] + off);
    }
    struct ci c = ci_of(d, n);
    free(d);
    return c;
}

static void test_vip_surge(void **state)
{
    (void)state;
    const struct variant vars[] = {
        {"acd (static VIP priority)", {NULL}},
        {"predictive-sla", {"routing.policy=predictive-sla", NULL}},
        {"skills, aging 30s", {"routing.policy=skills", "routing.aging=30s", NULL}},
        {"oldest-first (no priority)", {"routing.policy=oldest-first", NULL}},
    };
    enum { NV = sizeof vars / sizeof vars[0] };
    struct vip_rep *x[NV];
    uint32_t reps = 0;
    printf("\nvip-surge.yaml: service level by segment, mean ± 95%% half-width over the "
           "replications\n\n");
    printf("| policy | regular (80%% in 30 s) | VIP (90%% in 20 s) | worst segment vs its target "
           "| abandoned regular | abandoned VIP |\n|---|---|---|---|---|---|\n");
    for (int v = 0; v < NV; v++) {
        struct ccs_scenario *sc = load("vip-surge.yaml", &vars[v]);
        struct runs r = run_all(sc);
        reps = r.reps;
        x[v] = malloc(reps * sizeof *x[v]);
        vip_values(&r, x[v]);
        struct ci reg = field_ci(x[v], reps, offsetof(struct vip_rep, reg), NULL);
        struct ci vip = field_ci(x[v], reps, offsetof(struct vip_rep, vip), NULL);
        struct ci gap = field_ci(x[v], reps, offsetof(struct vip_rep, gap), NULL);
        struct ci ar = field_ci(x[v], reps, offsetof(struct vip_rep, ab_reg), NULL);
        struct ci av = field_ci(x[v], reps, offsetof(struct vip_rep, ab_vip), NULL);
        quoted("| %s | %.1f%% ± %.1f | %.1f%% ± %.1f | %+.1f pts ± %.1f | %.1f%% ± %.1f | %.1f%% ± "
               "%.1f |",
               vars[v].label, PCT(reg), PCT(vip), PCT(gap), PCT(ar), PCT(av));
        free(r.v);
        ccs_scenario_free(sc);
    }
    assert_true(reps >= 30);
    /* paired: predictive-sla minus acd, replication by replication */
    struct ci d_gap = field_ci(x[1], reps, offsetof(struct vip_rep, gap), x[0]);
    struct ci d_worst = field_ci(x[1], reps, offsetof(struct vip_rep, worst), x[0]);
    struct ci d_reg = field_ci(x[1], reps, offsetof(struct vip_rep, reg), x[0]);
    struct ci d_vip = field_ci(x[1], reps, offsetof(struct vip_rep, vip), x[0]);
    printf("\npaired differences, predictive-sla minus acd (%u replications, same callers):\n",
           reps);
    quoted("  worst segment vs target: %+.2f pts ± %.2f", PCT(d_gap));
    quoted("  worst segment SL: %+.2f pts ± %.2f", PCT(d_worst));
    quoted("  regular SL: %+.2f pts ± %.2f", PCT(d_reg));
    quoted("  VIP SL: %+.2f pts ± %.2f", PCT(d_vip));
    /* the claim: the whole 95% interval of the improvement is above zero */
    assert_true(d_gap.mean - d_gap.hw > 0);
    assert_true(d_worst.mean - d_worst.hw > 0);
    for (int v = 0; v < NV; v++)
        free(x[v]);
}

/* --- blended-email ------------------------------------------------------------------------ */

static void test_blended_email(void **state)
{
    (void)state;
    const struct variant vars[] = {
        {"voice only (no e-mail)", {"queues.email.arrivals=none", "routing={policy: acd}", NULL}},
        {"acd (e-mail as a second skill)", {"routing={policy: acd}", NULL}},
        {"blended, reserve 0", {"routing.reserve=0", NULL}},
        {"blended, reserve 2", {"routing.reserve=2", NULL}},
        {"blended, reserve 3 (the file)", {NULL}},
        {"blended, reserve 4", {"routing.reserve=4", NULL}},
    };
    enum { NV = sizeof vars / sizeof vars[0], VOICE_ONLY = 0, ACD = 1, R0 = 2, FILE_ = 4 };
    double *voice[NV], *mail[NV], *occ[NV], *left[NV];
    struct runs keep[NV];
    uint32_t reps = 0;
    printf("\nblended-email.yaml: mean ± 95%% half-width over the replications\n\n"
           "| routing | voice SL (80%% in 20 s) | voice abandoned | e-mail SL (90%% in 4 h) | "
           "e-mails left at close | occupancy |\n|---|---|---|---|---|---|\n");
    for (int v = 0; v < NV; v++) {
        struct ccs_scenario *sc = load("blended-email.yaml", &vars[v]);
        keep[v] = run_all(sc);
        struct runs *r = &keep[v];
        reps = r->reps;
        voice[v] = malloc(reps * sizeof(double));
        mail[v] = malloc(reps * sizeof(double));
        occ[v] = malloc(reps * sizeof(double));
        left[v] = malloc(reps * sizeof(double));
        double *ab = malloc(reps * sizeof(double));
        for (uint32_t i = 0; i < reps; i++) {
            voice[v][i] = get(r, i, CCS_SCOPE_QUEUE, CCS_KPI_service_level, 0, -1, -1);
            ab[i] = get(r, i, CCS_SCOPE_QUEUE, CCS_KPI_abandon_rate, 0, -1, -1);
            mail[v][i] = get(r, i, CCS_SCOPE_QUEUE, CCS_KPI_service_level, 1, -1, -1);
            left[v][i] = get(r, i, CCS_SCOPE_QUEUE, CCS_KPI_unfinished, 1, -1, -1);
            occ[v][i] = get(r, i, CCS_SCOPE_GROUP, CCS_KPI_occupancy, -1, -1, 0);
        }
        struct ci cv = ci_of(voice[v], reps), ca = ci_of(ab, reps), co = ci_of(occ[v], reps);
        free(ab);
        if (v == VOICE_ONLY) {
            quoted("| %s | %.1f%% ± %.1f | %.1f%% ± %.1f | - | - | %.1f%% ± %.1f |",
                   vars[v].label, PCT(cv), PCT(ca), PCT(co));
        } else {
            struct ci cm = ci_of(mail[v], reps), cl = ci_of(left[v], reps);
            quoted("| %s | %.1f%% ± %.1f | %.1f%% ± %.1f | %.1f%% ± %.1f | %.1f ± %.1f | %.1f%% ± "
                   "%.1f |",
                   vars[v].label, PCT(cv), PCT(ca), PCT(cm), cl.mean, cl.hw, PCT(co));
        }
    }
    assert_true(reps >= 30);
    double *d = calloc(reps, sizeof *d);
    /* blended keeps the voice promise; acd breaks it */
    struct ci bv = ci_of(voice[FILE_], reps), av = ci_of(voice[ACD], reps);
    assert_true(bv.mean - bv.hw > 0.80);
    assert_true(av.mean + av.hw < 0.80);
    for (uint32_t i = 0; i < reps; i++)
        d[i] = voice[FILE_][i] - voice[ACD][i];
    struct ci dv = ci_of(d, reps);
    assert_true(dv.mean - dv.hw > 0);
    /* the e-mail promise is met */
    struct ci bm = ci_of(mail[FILE_], reps);
    assert_true(bm.mean - bm.hw > 0.90);
    /* the idle time is filled: occupancy up by more than 15 points */
    for (uint32_t i = 0; i < reps; i++)
        d[i] = occ[FILE_][i] - occ[VOICE_ONLY][i];
    struct ci dof = ci_of(d, reps);
    assert_true(dof.mean - dof.hw > 0.15);
    printf("\npaired differences (%u replications, same callers and e-mails):\n", reps);
    quoted("  voice SL, blended minus acd: %+.2f pts ± %.2f", PCT(dv));
    quoted("  occupancy, blended minus voice only: %+.2f pts ± %.2f", PCT(dof));
    /* with no reserve, blended takes e-mail exactly when acd does: same numbers */
    assert_memory_equal(keep[R0].v, keep[ACD].v, reps * keep[ACD].n * sizeof(double));
    free(d);
    for (int v = 0; v < NV; v++) {
        free(voice[v]);
        free(mail[v]);
        free(occ[v]);
        free(left[v]);
        free(keep[v].v);
        ccs_scenario_free((struct ccs_scenario *)keep[v].sc);
    }
}

/* --- experts.yaml ---------------------------------------------------------------------------- */

static void test_experts(void **state)
{
    (void)state;
    const struct variant vars[] = {
        {"longest_idle", {NULL}},
        {"most_skilled", {"routing.select=most_skilled", NULL}},
        {"least_occupied", {"routing.select=least_occupied", NULL}},
    };
    enum { NV = sizeof vars / sizeof vars[0] };
    struct ci gap[NV];
    printf("\nexperts.yaml (skills policy): mean ± 95%% half-width over the replications\n\n"
           "| select | service level | experts' occupancy | generalists' occupancy | experts' "
           "share of tech work |\n|---|---|---|---|---|\n");
    for (int v = 0; v < NV; v++) {
        struct ccs_scenario *sc = load("experts.yaml", &vars[v]);
        struct runs r = run_all(sc);
        double *sl = calloc(r.reps, sizeof *sl), *oe = calloc(r.reps, sizeof *oe);
        double *og = calloc(r.reps, sizeof *og), *d = calloc(r.reps, sizeof *d);
        double *sh = calloc(r.reps, sizeof *sh);
        for (uint32_t i = 0; i < r.reps; i++) {
            sl[i] = get(&r, i, CCS_SCOPE_OVERALL, CCS_KPI_service_level, -1, -1, -1);
            oe[i] = get(&r, i, CCS_SCOPE_GROUP, CCS_KPI_occupancy, -1, -1, 0);
            og[i] = get(&r, i, CCS_SCOPE_GROUP, CCS_KPI_occupancy, -1, -1, 1);
            sh[i] = get(&r, i, CCS_SCOPE_GROUP_QUEUE, CCS_KPI_queue_share, 0, -1, 0);
            d[i] = oe[i] - og[i];
        }
        struct ci a = ci_of(sl, r.reps), b = ci_of(oe, r.reps), c = ci_of(og, r.reps);
        struct ci e = ci_of(sh, r.reps);
        gap[v] = ci_of(d, r.reps);
        quoted("| %s | %.1f%% ± %.1f | %.1f%% ± %.1f | %.1f%% ± %.1f | %.1f%% ± %.1f |",
               vars[v].label, PCT(a), PCT(b), PCT(c), PCT(e));
        free(sl);
        free(oe);
        free(og);
        free(d);
        free(sh);
        free(r.v);
        ccs_scenario_free(sc);
    }
    /* most_skilled loads the experts more than the generalists ... */
    assert_true(gap[1].mean - gap[1].hw > 0.05);
    /* ... least_occupied evens the groups out */
    assert_true(fabs(gap[2].mean) + gap[2].hw < 0.03);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_vip_surge),
        cmocka_unit_test(test_blended_email),
        cmocka_unit_test(test_experts),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
