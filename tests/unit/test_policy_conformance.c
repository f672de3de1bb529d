/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_policy_conformance.c - every registered routing policy (and each
 * parameter set listed below) runs through the same scenarios with the
 * engine's invariant checker on: no decision may give a contact to a busy,
 * absent or unskilled agent (the engine stops the run if one does), a
 * work-conserving policy may never leave an agent idle while a contact its
 * may_serve allows waits (checked after every event, across logins, breaks
 * and logouts), every contact ends
 * exactly once (the engine's balance), and a seed gives the same results,
 * bit for bit, with or without the checks. Mutant policies prove the checks
 * bite. A new policy in the registry is picked up with no edit here.
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
#include <string.h>

/* --- the cases ---------------------------------------------------------------------- */

struct scase {
    const char *name;
    const char *yaml; /* everything but the routing block */
};

static const struct scase cases[] = {
    {"one queue, overloaded at times",
     "horizon: 3h\ninterval: 30m\n"
     "queues:\n"
     "  - id: q\n"
     "    arrivals: {volumes: [40, 90, 140, 90, 60, 30]}\n"
     "    handle_time: {dist: exponential, mean: 3m}\n"
     "    patience: {dist: exponential, mean: 1m}\n"
     "groups:\n"
     "  - {id: g, agents: 6, skills: [q]}\n"},

    {"multi-skill: priorities, levels, preferences, overflow delays",
     "horizon: 3h\ninterval: 30m\ndrain: true\n"
     "queues:\n"
     "  - id: sales\n"
     "    priority: 1\n"
     "    arrivals: {rate: 60/h}\n"
     "    handle_time: {dist: gamma, mean: 4m, cv: 0.8}\n"
     "    wrap_up: {dist: deterministic, value: 20s}\n"
     "    patience: {dist: exponential, mean: 2m}\n"
     "  - id: support\n"
     "    arrivals: {volumes: [60, 110, 160, 120, 80, 40]}\n"
     "    handle_time: {dist: lognormal, mean: 5m, cv: 1.0}\n"
     "    patience: {dist: weibull, mean: 3m, cv: 0.7}\n"
     "  - id: tech\n"
     "    sla: {target: 70%, within: 60s}\n"
     "    arrivals: {rate: 25/h}\n"
     "    handle_time: {dist: exponential, mean: 8m}\n"
     "groups:\n"
     "  - id: generalists\n"
     "    agents: 6\n"
     "    skills: [sales, support, {queue: tech, level: 0.5, delay: 45s}]\n"
     "  - id: experts\n"
     "    agents: 4\n"
     "    skills: [{queue: tech, level: 1.5}, {queue: support, level: 1.3, priority: 5, delay: 20s}]\n"
     "  - id: overflow\n"
     "    agents: 3\n"
     "    skills: [{queue: sales, delay: 30s}, {queue: support, delay: 1m, level: 0.8}]\n"},

    {"segments with weights, priorities, credits and promises; a surge",
     "horizon: 4h\ninterval: 30m\n"
     "queues:\n"
     "  - id: q\n"
     "    sla: {target: 80%, within: 30s}\n"
     "    arrivals: {volumes: [50, 60, 150, 170, 90, 60, 50, 40]}\n"
     "    handle_time: {dist: exponential, mean: 4m}\n"
     "    patience: {dist: exponential, mean: 2m}\n"
     "    segments:\n"
     "      - {id: regular, share: 75%}\n"
     "      - {id: vip, share: 20%, weight: 3, priority: 1, sla: {target: 90%, within: 15s}}\n"
     "      - {id: late, share: 5%, credit: 40s, priority: -1}\n"
     "groups:\n"
     "  - {id: g, agents: 12, skills: [q]}\n"},

    {"blend: voice, chat with concurrency, e-mail backlog",
     "horizon: 3h\ninterval: 30m\ndrain: true\n"
     "queues:\n"
     "  - id: voice\n"
     "    arrivals: {volumes: [50, 90, 120, 90, 60, 40]}\n"
     "    handle_time: {dist: exponential, mean: 4m}\n"
     "    patience: {dist: exponential, mean: 3m}\n"
     "  - id: chat\n"
     "    channel: chat\n"
     "    sla: {target: 80%, within: 60s}\n"
     "    arrivals: {rate: 40/h}\n"
     "    handle_time: {dist: exponential, mean: 6m}\n"
     "    patience: {dist: exponential, mean: 4m}\n"
     "  - id: email\n"
     "    channel: email\n"
     "    sla: {target: 90%, within: 1h}\n"
     "    arrivals: {rate: 50/h}\n"
     "    handle_time: {dist: gamma, mean: 5m, cv: 0.5}\n"
     "groups:\n"
     "  - {id: phone, agents: 7, skills: [voice, email]}\n"
     "  - {id: digital, agents: 3, concurrency: 3, slowdown: 0.2, skills: [chat, email]}\n"
     "  - {id: backoffice, agents: 1, skills: [email]}\n"},

    {"lifecycle: trunks, callbacks, redials, transfers, repeats, a campaign",
     "horizon: 3h\ninterval: 30m\ndrain: true\n"
     "trunks:\n"
     "  - {id: main, lines: 25}\n"
     "queues:\n"
     "  - id: voice\n"
     "    trunk: main\n"
     "    arrivals: {volumes: [50, 80, 110, 100, 70, 40]}\n"
     "    handle_time: {dist: lognormal, mean: 4m, cv: 0.8}\n"
     "    wrap_up: {dist: deterministic, value: 20s}\n"
     "    patience: {dist: exponential, mean: 2m}\n"
     "    callback: {offer_after: 60s, accept: 50%, reach: 80%, retries: 1, retry_delay: 5m, schedule_after: 2m}\n"
     "    redial: {probability: 30%, delay: {dist: exponential, mean: 3m}, max: 2}\n"
     "    transfers:\n"
     "      - {to: billing, probability: 10%, mode: consult}\n"
     "    resolution: {probability: 80%, repeat_delay: {dist: exponential, mean: 30m}, repeat_queue: email, max_repeats: 1}\n"
     "  - id: billing\n"
     "    trunk: main\n"
     "    arrivals: {rate: 15/h}\n"
     "    handle_time: {dist: gamma, mean: 5m, cv: 0.7}\n"
     "    patience: {dist: exponential, mean: 3m}\n"
     "    callback: {offer_if_predicted: 2m, accept: 70%}\n"
     "  - id: email\n"
     "    channel: email\n"
     "    sla: {target: 90%, within: 2h}\n"
     "    arrivals: {rate: 20/h}\n"
     "    handle_time: {dist: gamma, mean: 5m, cv: 0.5}\n"
     "  - id: renewals\n"
     "    channel: outbound\n"
     "    sla: {target: 50%, within: 3h}\n"
     "    handle_time: {dist: gamma, mean: 3m, cv: 0.5}\n"
     "    campaign: {records: 120, connect: 50%, right_party: 80%, retries: 2, retry_delay: 20m}\n"
     "groups:\n"
     "  - id: phone\n"
     "    agents: 9\n"
     "    skills: [voice, billing, renewals]\n"
     "  - id: office\n"
     "    agents: 2\n"
     "    skills: [email, {queue: billing, delay: 30s}, {queue: voice, delay: 1m, level: 0.7}]\n"},

    {"staffing: a plan, shifts with breaks, absenteeism, over two days",
     "horizon: 2d\ninterval: 1h\ndrain: true\n"
     "queues:\n"
     "  - id: voice\n"
     "    arrivals: {volumes: [2, 2, 2, 2, 2, 4, 10, 30, 50, 60, 60, 55, 50, 55, 60, 55, 45, 30, 20, 10, 6, 4, 2, 2]}\n"
     "    handle_time: {dist: exponential, mean: 4m}\n"
     "    patience: {dist: exponential, mean: 3m}\n"
     "  - id: email\n"
     "    channel: email\n"
     "    sla: {target: 90%, within: 8h}\n"
     "    arrivals: {rate: 8/h}\n"
     "    handle_time: {dist: gamma, mean: 6m, cv: 0.5}\n"
     "groups:\n"
     "  - id: day\n"
     "    absenteeism: 10%\n"
     "    skills: [voice, email]\n"
     "    shifts:\n"
     "      - {start: 07:00, length: 8h, agents: 4, breaks: [{after: 2h, length: 15m}, {window: [3h30m, 4h30m], length: 30m}]}\n"
     "      - {start: 11:00, length: 8h, agents: 4, breaks: [{window: [3h, 4h], length: 30m}]}\n"
     "  - id: flex\n"
     "    staffing: [0, 0, 0, 0, 0, 0, 0, 1, 2, 3, 3, 3, 2, 2, 3, 3, 2, 1, 0, 0, 0, 0, 0, 0]\n"
     "    skills: [{queue: voice, delay: 20s, level: 0.8}, email]\n"
     "  - id: night\n"
     "    agents: 1\n"
     "    skills: [email, voice]\n"},
};
enum { N_CASES = sizeof cases / sizeof cases[0] };

/* Parameter sets run besides each policy's defaults (policy name, block). */
static const struct {
    const char *policy, *params;
} extra[] = {
    {"skills", "select: most_skilled, aging: 30s"},
    {"skills", "select: least_occupied"},
    {"blended", "reserve: 0"},
    {"blended", "reserve: 2, urgent_after: 50%, select: least_occupied, aging: 1m"},
};
enum { N_EXTRA = sizeof extra / sizeof extra[0] };

enum { REPS = 2 };
static const uint64_t SEED = 20260101;

/* --- running ----------------------------------------------------------------------------- */

static struct ccs_scenario *scenario_with(const struct scase *sc, const char *policy,
                                          const char *params)
{
    char *text = malloc(strlen(sc->yaml) + 512);
    assert_non_null(text);
    sprintf(text, "%sreplications: %d\nrouting: {policy: %s%s%s}\n", sc->yaml, REPS, policy,
            params ? ", " : "", params ? params : "");
    struct ccs_scenario *s = load_yaml_string(text);
    if (s == NULL)
        fprintf(stderr, "case '%s' with %s {%s} does not load\n", sc->name, policy,
                params ? params : "");
    free(text);
    assert_non_null(s);
    return s;
}

/* Run replication rep; returns its results (malloc'd) or fails the test with
   the engine's message. */
static double *run_rep(const struct ccs_scenario *sc, uint64_t seed, uint32_t rep, bool checks,
                       const char *what)
{
    struct ccs_sim *sim;
    struct ccs_diag d;
    ccs_diag_clear(&d);
    assert_int_equal(ccs_sim_new(sc, seed, rep, &sim, &d), 0);
    ccs_sim_set_checks(sim, checks);
    int rc = ccs_sim_run(sim);
    if (rc != 0)
        fprintf(stderr, "%s, replication %u: %s\n", what, rep, ccs_sim_fault(sim));
    assert_int_equal(rc, 0);
    struct ccs_sim_balance b;
    ccs_sim_balance(sim, &b);
    assert_int_equal(b.arrivals + b.redials + b.repeats + b.transfers + b.records,
                     b.answered + b.abandoned + b.blocked + b.failed + b.pending);
    size_t n = ccs_scenario_layout(sc)->n;
    double *v = malloc(n * sizeof *v);
    assert_non_null(v);
    ccs_sim_results(sim, v);
    ccs_sim_free(sim);
    return v;
}

/* Same bits, NaN included. */
static bool same_values(const double *a, const double *b, size_t n)
{
    return memcmp(a, b, n * sizeof *a) == 0;
}

static double overall(const struct ccs_scenario *sc, const double *v, enum ccs_kpi k)
{
    long i = ccs_layout_find(ccs_scenario_layout(sc), CCS_SCOPE_OVERALL, k, -1, -1, -1, -1);
    assert_true(i >= 0);
    return v[i];
}

static unsigned n_runs;

static void conform(const char *policy, const char *params)
{
    for (size_t i = 0; i < N_CASES; i++) {
        char what[256];
        snprintf(what, sizeof what, "policy %s {%s} on '%s'", policy, params ? params : "",
                 cases[i].name);
        struct ccs_scenario *sc = scenario_with(&cases[i], policy, params);
        size_t n = ccs_scenario_layout(sc)->n;
        double answered = 0;
        for (uint32_t r = 0; r < REPS; r++) {
            double *checked = run_rep(sc, SEED, r, true, what);
            double *plain = run_rep(sc, SEED, r, false, what);
            double *again = run_rep(sc, SEED, r, false, what);
            if (!same_values(checked, plain, n) || !same_values(plain, again, n))
                fprintf(stderr, "%s: replication %u is not deterministic\n", what, r);
            assert_true(same_values(checked, plain, n));
            assert_true(same_values(plain, again, n));
            answered += overall(sc, plain, CCS_KPI_answered);
            n_runs += 3;
            free(checked);
            free(plain);
            free(again);
        }
        /* the cases must exercise the policy: contacts get served */
        assert_true(answered > 50);
        /* and the seed matters */
        double *a = run_rep(sc, SEED, 0, false, what), *b = run_rep(sc, SEED + 1, 0, false, what);
        assert_false(same_values(a, b, n));
        free(a);
        free(b);
        ccs_scenario_free(sc);
    }
}

static void test_every_policy(void **state)
{
    (void)state;
    size_t n = 0;
    for (size_t p = 0; ccs_policies[p] != NULL; p++, n++) {
        const struct ccs_policy_ops *ops = ccs_policies[p];
        assert_non_null(ops->name);
        assert_non_null(ops->summary);
        assert_non_null(ops->params_help);
        assert_non_null(ops->init);
        assert_non_null(ops->route_contact);
        assert_non_null(ops->select_contact);
        /* a work-conserving policy must say exactly what it may serve */
        if (ops->flags & CCS_POLICY_WORK_CONSERVING)
            assert_non_null(ops->may_serve);
        assert_ptr_equal(ccs_policy_find(ops->name), ops);
        conform(ops->name, NULL);
    }
    assert_true(n >= 4); /* acd, skills, predictive-sla, blended at least */
    for (size_t e = 0; e < N_EXTRA; e++) {
        assert_non_null(ccs_policy_find(extra[e].policy));
        conform(extra[e].policy, extra[e].params);
    }
    fprintf(stderr, "conformance: %zu policies, %d parameter sets, %d scenarios, %u runs passed\n",
            n, N_EXTRA, N_CASES, n_runs);
}

/* --- the checks bite: mutants of acd ------------------------------------------------------- */

static const struct ccs_policy_ops *acd_ops(void)
{
    return ccs_policy_find("acd");
}

/* Gives an arriving contact that must wait to a busy eligible agent. */
static struct ccs_route busy_route(void *state, const struct ccs_view *v, uint32_t c)
{
    struct ccs_route r = acd_ops()->route_contact(state, v, c);
    if (r.action != CCS_ROUTE_QUEUE)
        return r;
    const struct ccs_queue *Q = &v->queues[v->contacts[c].queue];
    const struct ccs_group *G = &v->groups[Q->groups[0]];
    r.action = CCS_ROUTE_ASSIGN;
    r.agent = G->first_agent;
    return r;
}

/* Gives an arriving contact to an idle agent of a group without its skill. */
static struct ccs_route unskilled_route(void *state, const struct ccs_view *v, uint32_t c)
{
    for (uint32_t g = 0; g < v->n_groups; g++)
        if (ccs_view_skill(v, g, v->contacts[c].queue) == NULL && v->groups[g].idle_head != CCS_NONE)
            return (struct ccs_route){CCS_ROUTE_ASSIGN, v->groups[g].idle_head, INFINITY, "bad"};
    return acd_ops()->route_contact(state, v, c);
}

/* Claims to be work-conserving but now and then lets a freed agent idle. */
static unsigned lazy_calls;
static struct ccs_pick lazy_select(void *state, const struct ccs_view *v, uint32_t a)
{
    if (++lazy_calls % 7 == 0)
        return (struct ccs_pick){CCS_NONE, "lazy"};
    return acd_ops()->select_contact(state, v, a);
}

/* Picks a contact that is not waiting. */
static struct ccs_pick stale_select(void *state, const struct ccs_view *v, uint32_t a)
{
    struct ccs_pick p = acd_ops()->select_contact(state, v, a);
    if (p.contact != CCS_NONE)
        return p;
    for (uint32_t c = 0; c < 256; c++)
        if (v->contacts[c].state == CCS_C_TALK)
            return (struct ccs_pick){c, "stale"};
    return p;
}

/* Run the first replication of case `k` with the mutant; return the fault. */
static const char *mutant_fault(const struct ccs_policy_ops *mutant, size_t k, bool checks)
{
    static char msg[512];
    struct ccs_scenario *sc = scenario_with(&cases[k], "acd", NULL);
    sc->policy = mutant;
    struct ccs_sim *sim;
    struct ccs_diag d;
    ccs_diag_clear(&d);
    assert_int_equal(ccs_sim_new(sc, SEED, 0, &sim, &d), 0);
    ccs_sim_set_checks(sim, checks);
    int rc = ccs_sim_run(sim);
    snprintf(msg, sizeof msg, "%s", rc == 0 ? "" : ccs_sim_fault(sim));
    if (rc != 0)
        assert_int_equal(rc, CCS_ESTATE);
    ccs_sim_free(sim);
    ccs_scenario_free(sc);
    return msg;
}

static void test_checks_bite(void **state)
{
    (void)state;
    struct ccs_policy_ops m = *acd_ops();
    m.name = "mutant";

    m.route_contact = busy_route;
    const char *f = mutant_fault(&m, 0, false); /* legality is checked even without checks */
    assert_non_null(strstr(f, "policy 'mutant' gave contact"));
    assert_non_null(strstr(f, "no free capacity"));

    m.route_contact = unskilled_route;
    f = mutant_fault(&m, 1, false);
    assert_non_null(strstr(f, "lacks the contact's skill"));

    m.route_contact = acd_ops()->route_contact;
    m.select_contact = stale_select;
    f = mutant_fault(&m, 0, false);
    assert_non_null(strstr(f, "which is not waiting"));

    m.select_contact = lazy_select;
    assert_string_equal(mutant_fault(&m, 0, false), ""); /* unnoticed without the checker */
    lazy_calls = 0;
    f = mutant_fault(&m, 0, true);
    assert_non_null(strstr(f, "invariant: policy 'mutant' left agent"));

    /* the same laziness is legal for a policy that does not claim work conservation */
    m.flags = 0;
    lazy_calls = 0;
    assert_string_equal(mutant_fault(&m, 0, true), "");

    /* may_serve must say exactly what the policy serves: skills waits out
       overflow delays, so claiming it may serve any skilled contact (acd's
       rule) is caught where a delay holds a contact back from an idle agent */
    m = *ccs_policy_find("skills");
    m.name = "mutant";
    m.may_serve = acd_ops()->may_serve;
    struct ccs_scenario *sc = scenario_with(&cases[1], "skills", NULL);
    sc->policy = &m;
    struct ccs_sim *sim;
    struct ccs_diag d;
    ccs_diag_clear(&d);
    assert_int_equal(ccs_sim_new(sc, SEED, 0, &sim, &d), 0);
    ccs_sim_set_checks(sim, true);
    assert_int_equal(ccs_sim_run(sim), CCS_ESTATE);
    assert_non_null(strstr(ccs_sim_fault(sim), "left agent"));
    ccs_sim_free(sim);
    ccs_scenario_free(sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_policy),
        cmocka_unit_test(test_checks_bite),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
