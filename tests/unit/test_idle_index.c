/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_idle_index.c - the engine's longest-idle index at 150 groups per
 * queue: with the invariant checker on, after every event each queue's heap
 * must hold exactly its groups with an available agent, in heap order, its
 * top the agent a scan of all groups finds (across breaks, logouts, chat
 * capacity and groups shared by two queues), and the results are the same
 * bits with the checks off. With many skills per group, routing walks the
 * list of all available agents (giving way to the scan when agents of
 * other groups lead it) and ACD looks at the queues with waiting contacts:
 * after every event they answer what the scans answer.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ccs/ccs.h"
#include "ccs/policies.h"
#include "support.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { GROUPS = 160 };

/* Load the scenario text y (freed here); on failure show it. */
static struct ccs_scenario *load_text(char *y)
{
    struct ccs_scenario *sc = load_yaml_string(y);
    if (sc == NULL)
        fprintf(stderr, "%s", y);
    free(y);
    assert_non_null(sc);
    return sc;
}

/* A simulation of sc with the invariant checker on. */
static struct ccs_sim *checked_sim(const struct ccs_scenario *sc, uint64_t seed)
{
    struct ccs_sim *sim;
    struct ccs_diag d;
    ccs_diag_clear(&d);
    assert_int_equal(ccs_sim_new(sc, seed, 0, &sim, &d), 0);
    ccs_sim_set_checks(sim, true);
    return sim;
}

/* Append n voice queues q0.. to y (room cap, used *len): priority q % prio,
   arrivals at rate + q % spread an hour, 10-minute handle times, 4-minute
   patience. */
static void append_queues(char *y, size_t cap, size_t *len, int n, int prio, int rate, int spread)
{
    for (int q = 0; q < n; q++)
        *len += (size_t)snprintf(y + *len, cap - *len,
                                 "  - id: q%d\n    priority: %d\n"
                                 "    arrivals: {rate: %d/h}\n"
                                 "    handle_time: {dist: exponential, mean: 10m}\n"
                                 "    patience: {dist: exponential, mean: 4m}\n",
                                 q, q % prio, rate + q % spread);
}

/* Two voice queues and a chat queue; groups 0..149 serve `a`, every third
   also `b`, the last ten serve chat, two at a time. Half the groups work a shift
   with a break, so heads change by logins, breaks and logouts too. */
static struct ccs_scenario *big_scenario(const char *policy)
{
    size_t cap = 64 * 1024, len = 0;
    char *y = malloc(cap);
    assert_non_null(y);
    len += (size_t)snprintf(y + len, cap - len,
                            "horizon: 6h\ninterval: 1h\nseed: 7\nreplications: 1\n"
                            "routing: {policy: %s}\n"
                            "queues:\n"
                            "  - id: a\n"
                            "    arrivals: {rate: 330/h}\n"
                            "    handle_time: {dist: exponential, mean: 20m}\n"
                            "    patience: {dist: exponential, mean: 2m}\n"
                            "  - id: b\n"
                            "    arrivals: {rate: 150/h}\n"
                            "    handle_time: {dist: exponential, mean: 15m}\n"
                            "    patience: {dist: exponential, mean: 3m}\n"
                            "  - id: c\n"
                            "    channel: chat\n"
                            "    arrivals: {rate: 60/h}\n"
                            "    handle_time: {dist: exponential, mean: 10m}\n"
                            "    patience: {dist: exponential, mean: 5m}\n"
                            "groups:\n",
                            policy);
    for (int g = 0; g < GROUPS; g++) {
        const char *skills = g >= 150 ? "[c]" : g % 3 == 0 ? "[a, b]" : "[a]";
        len += (size_t)snprintf(y + len, cap - len, "  - id: g%d\n    skills: %s\n", g, skills);
        if (g >= 150)
            len += (size_t)snprintf(y + len, cap - len, "    concurrency: 2\n");
        if (g % 2 == 0)
            len += (size_t)snprintf(y + len, cap - len, "    agents: %d\n", 1 + g % 3);
        else
            len += (size_t)snprintf(y + len, cap - len,
                                    "    shifts:\n"
                                    "      - {start: 00:%02d, length: 5h, agents: 2,\n"
                                    "         breaks: [{after: 2h, length: 15m}]}\n",
                                    g % 60);
        assert_true(len < cap);
    }
    return load_text(y);
}

static double *run(const struct ccs_scenario *sc, bool checks, uint64_t *answered)
{
    struct ccs_sim *sim;
    struct ccs_diag d;
    ccs_diag_clear(&d);
    assert_int_equal(ccs_sim_new(sc, 7, 0, &sim, &d), 0);
    /* the index is on for every queue with this many groups */
    const struct ccs_view *v = ccs_sim_view(sim);
    for (uint32_t q = 0; q < v->n_queues; q++) {
        assert_true(v->queues[q].n_groups >= 10);
        assert_non_null(v->queues[q].idle_heap);
    }
    ccs_sim_set_checks(sim, checks);
    int rc = ccs_sim_run(sim);
    if (rc != 0)
        fprintf(stderr, "%s\n", ccs_sim_fault(sim));
    assert_int_equal(rc, 0);
    struct ccs_sim_balance b;
    ccs_sim_balance(sim, &b);
    *answered = b.answered;
    size_t n = ccs_scenario_layout(sc)->n;
    double *r = malloc(n * sizeof *r);
    assert_non_null(r);
    ccs_sim_results(sim, r);
    ccs_sim_free(sim);
    return r;
}

static void check_policy(const char *policy)
{
    struct ccs_scenario *sc = big_scenario(policy);
    uint64_t n1, n2;
    double *with = run(sc, true, &n1);
    double *without = run(sc, false, &n2);
    assert_true(n1 > 2000); /* enough traffic that heads change often */
    assert_int_equal(n1, n2);
    assert_memory_equal(with, without, ccs_scenario_layout(sc)->n * sizeof *with);
    free(with);
    free(without);
    ccs_scenario_free(sc);
}

static void test_acd(void **state)
{
    (void)state;
    check_policy("acd");
}

static void test_predictive_sla(void **state)
{
    (void)state;
    check_policy("predictive-sla");
}

/* The scans the indexes replace: longest-idle head over queue q's groups,
   and ACD's pick of a freed agent (highest priority, then the skill listed
   first, its oldest contact). */
static uint32_t scan_longest(const struct ccs_view *v, uint32_t q)
{
    const struct ccs_queue *Q = &v->queues[q];
    uint32_t best = CCS_NONE;
    for (uint32_t i = 0; i < Q->n_groups; i++) {
        uint32_t a = v->groups[Q->groups[i]].idle_head;
        if (a != CCS_NONE && (best == CCS_NONE || ccs_idle_before(v, a, best)))
            best = a;
    }
    return best;
}

static uint32_t scan_select(const struct ccs_view *v, uint32_t agent)
{
    const struct ccs_group *g = &v->groups[v->agents[agent].group];
    uint32_t best = CCS_NONE;
    int prio = 0;
    for (uint32_t s = 0; s < g->n_skills; s++) {
        const struct ccs_queue *Q = &v->queues[g->skills[s].queue];
        if (Q->waiting > 0 && (best == CCS_NONE || Q->priority > prio)) {
            best = ccs_oldest_in_queue(v, g->skills[s].queue);
            prio = Q->priority;
        }
    }
    return best;
}

/* 12 queues of three priorities, 16 groups of 2 agents with 9 skills each,
   every queue served by 12 groups: too many skills per group for per-queue
   heaps, so routing walks the heap of all idle groups, and a freed agent
   looks only at the queues with waiting contacts while they are few. After
   every event both give what the scans give, and the index is checked. */
static void test_walk_and_waiting_set(void **state)
{
    (void)state;
    enum { NQ = 12, NG = 16, PER_Q = 12 };
    size_t cap = 16 * 1024, len = 0;
    char *y = malloc(cap);
    assert_non_null(y);
    len += (size_t)snprintf(y + len, cap - len,
                            "horizon: 4h\ninterval: 1h\nseed: 3\nrouting: {policy: acd}\n"
                            "queues:\n");
    append_queues(y, cap, &len, NQ, 3, 14, 5);
    len += (size_t)snprintf(y + len, cap - len, "groups:\n");
    for (int g = 0; g < NG; g++) {
        len += (size_t)snprintf(y + len, cap - len, "  - id: g%d\n    agents: 2\n    skills: [",
                                g);
        /* group g serves the queues whose PER_Q groups (spread from q) include g */
        int n = 0;
        for (int jj = 0; jj < NQ; jj++) /* listed in another order than the queues' */
            for (int k = 0, j = (jj * 5 + g) % NQ; k < PER_Q; k++)
                if ((j * NG / NQ + k * NG / PER_Q) % NG == g) {
                    len += (size_t)snprintf(y + len, cap - len, "%sq%d", n++ ? ", " : "", j);
                    break;
                }
        len += (size_t)snprintf(y + len, cap - len, "]\n");
        assert_true(len < cap);
    }
    struct ccs_scenario *sc = load_text(y);
    struct ccs_sim *sim = checked_sim(sc, 3);
    const struct ccs_view *v = ccs_sim_view(sim);
    assert_non_null(v->idle_links);
    const struct ccs_policy_ops *acd = ccs_policy_find("acd");
    size_t walked = 0, few_waiting = 0, events = 0, picked = 0;
    int rc;
    while ((rc = ccs_sim_step(sim)) == 1) {
        events++;
        for (uint32_t q = 0; q < v->n_queues; q++) {
            assert_true(ccs_view_idle_walk(v, &v->queues[q]));
            uint32_t a = ccs_longest_idle_for(v, q);
            assert_int_equal(a, scan_longest(v, q));
            walked += a != CCS_NONE;
        }
        if (v->n_waiting_queues > 0 && 2 * v->n_waiting_queues < 9)
            few_waiting++;
        /* what a freed agent of each group would pick now (select reads only
           the agent's group) */
        for (uint32_t g = 0; g < v->n_groups; g++) {
            uint32_t a = v->groups[g].first_agent, c = scan_select(v, a);
            assert_int_equal(acd->select_contact(NULL, v, a).contact, c);
            picked += c != CCS_NONE;
        }
    }
    if (rc != 0)
        fprintf(stderr, "%s\n", ccs_sim_fault(sim));
    assert_int_equal(rc, 0);
    assert_true(events > 1000 && walked > 1000 && few_waiting > 100 && picked > 1000);
    ccs_sim_free(sim);
    ccs_scenario_free(sc);
}

/*
 * The walk's way out: 40 agents of a group without queue q's skill (it
 * serves only r, which has no calls) idle longest, by index, ahead of the
 * eight groups that serve q; each walk meets 32 of them and scans q's
 * groups instead. After every event ccs_longest_idle_for must still answer
 * the scan's agent, and q's first call goes to agent 40, the first agent of
 * a group with the skill.
 */
static void test_walk_gives_way(void **state)
{
    (void)state;
    size_t cap = 4096, len = 0;
    char *y = malloc(cap);
    assert_non_null(y);
    len += (size_t)snprintf(y + len, cap - len,
                            "horizon: 2h\ninterval: 1h\nseed: 5\nrouting: {policy: acd}\n"
                            "queues:\n"
                            "  - {id: q, arrivals: {rate: 40/h}, handle_time: {dist: exponential, mean: 5m}}\n"
                            "  - {id: r, arrivals: {volumes: [0, 0]}, handle_time: {dist: exponential, mean: 5m}}\n"
                            "groups:\n  - {id: idle, agents: 40, skills: [r]}\n");
    for (int g = 1; g <= 8; g++)
        len += (size_t)snprintf(y + len, cap - len, "  - {id: g%d, agents: 1, skills: [q, r]}\n", g);
    assert_true(len < cap);
    struct ccs_scenario *sc = load_text(y);
    struct ccs_sim *sim = checked_sim(sc, 5);
    const struct ccs_view *v = ccs_sim_view(sim);
    assert_non_null(v->idle_links);
    assert_true(ccs_view_idle_walk(v, &v->queues[0]));
    size_t events = 0, answers = 0;
    int rc;
    while ((rc = ccs_sim_step(sim)) == 1) {
        events++;
        for (uint32_t q = 0; q < v->n_queues; q++) {
            uint32_t a = ccs_longest_idle_for(v, q);
            assert_int_equal(a, scan_longest(v, q));
            answers += a != CCS_NONE;
        }
        if (events == 1) /* the logins at 0: the idle group's agents lead the list */
            assert_int_equal(ccs_longest_idle_for(v, 0), 40);
    }
    if (rc != 0)
        fprintf(stderr, "%s\n", ccs_sim_fault(sim));
    assert_int_equal(rc, 0);
    assert_true(events > 100 && answers > 100);
    ccs_sim_free(sim);
    ccs_scenario_free(sc);
}

/* A large center, 300 queues x 250 groups (more pairs than a view's skill
   table holds): skill lookups read the groups' sorted refs, ccs_longest_idle_for
   scans the groups' idle keys and ACD's select the refs of the freed agent's
   group. After every event all three answer what the plain scans of
   groups[] and agents[] answer (a view without refs and keys). */
static void test_large_center(void **state)
{
    (void)state;
    enum { NQ = 300, NG = 250 };
    size_t cap = 128 * 1024, len = 0;
    char *y = malloc(cap);
    assert_non_null(y);
    len += (size_t)snprintf(y + len, cap - len,
                            "horizon: 40m\ninterval: 1h\nseed: 5\nrouting: {policy: acd}\n"
                            "queues:\n");
    append_queues(y, cap, &len, NQ, 2, 6, 1);
    len += (size_t)snprintf(y + len, cap - len, "groups:\n");
    for (int g = 0; g < NG; g++) {
        /* six queues, listed out of queue order; every queue has a group */
        len += (size_t)snprintf(y + len, cap - len,
                                "  - id: g%d\n    agents: 1\n    skills: [q%d, q%d, q%d, q%d, q%d, q%d]\n",
                                g, (g * 6 + 5) % NQ, (g * 6 + 1) % NQ, (g * 6 + 3) % NQ,
                                (g * 6) % NQ, (g * 6 + 4) % NQ, (g * 6 + 2) % NQ);
        assert_true(len < cap);
    }
    struct ccs_scenario *sc = load_text(y);
    struct ccs_sim *sim = checked_sim(sc, 5);
    const struct ccs_view *v = ccs_sim_view(sim);
    assert_null(v->skill_table);
    assert_non_null(v->skill_refs);
    assert_non_null(v->idle_key);
    const struct ccs_policy_ops *acd = ccs_policy_find("acd");
    size_t events = 0, found = 0, picked = 0;
    int rc;
    while ((rc = ccs_sim_step(sim)) == 1) {
        events++;
        struct ccs_view plain = *v; /* as built by hand: no refs, no keys */
        plain.skill_refs = NULL;
        plain.skill_first = NULL;
        plain.idle_key = NULL;
        for (uint32_t q = 0; q < v->n_queues; q += 7) {
            uint32_t a = ccs_longest_idle_for(v, q);
            assert_int_equal(a, scan_longest(v, q));
            assert_int_equal(a, ccs_longest_idle_for(&plain, q));
            found += a != CCS_NONE;
        }
        for (uint32_t g = events % 5; g < v->n_groups; g += 5) {
            for (uint32_t q = 0; q < v->n_queues; q += 11)
                assert_int_equal(ccs_view_skill_index(v, g, q), ccs_view_skill_index(&plain, g, q));
            uint32_t a = v->groups[g].first_agent, c = scan_select(v, a);
            assert_int_equal(acd->select_contact(NULL, v, a).contact, c);
            assert_int_equal(acd->select_contact(NULL, &plain, a).contact, c);
            picked += c != CCS_NONE;
        }
    }
    if (rc != 0)
        fprintf(stderr, "%s\n", ccs_sim_fault(sim));
    assert_int_equal(rc, 0);
    assert_true(events > 1000 && found > 1000 && picked > 1000);
    ccs_sim_free(sim);
    ccs_scenario_free(sc);
}

/* A hand-built view has no index: ccs_longest_idle_for scans. */
static void test_hand_built_view(void **state)
{
    (void)state;
    struct ccs_agent agents[3] = {{.idle_since = 5}, {.idle_since = 2}, {.idle_since = 2}};
    struct ccs_group groups[3] = {{.idle_head = 0}, {.idle_head = 2}, {.idle_head = 1}};
    const uint32_t qg[3] = {0, 1, 2};
    struct ccs_queue queue = {.n_groups = 3, .groups = qg};
    struct ccs_view v = {.n_queues = 1, .n_groups = 3, .n_agents = 3, .queues = &queue,
                         .groups = groups, .agents = agents};
    assert_int_equal(ccs_longest_idle_for(&v, 0), 1); /* ties: lower index */
    groups[2].idle_head = CCS_NONE;
    assert_int_equal(ccs_longest_idle_for(&v, 0), 2);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_acd),
        cmocka_unit_test(test_predictive_sla),
        cmocka_unit_test(test_hand_built_view),
        cmocka_unit_test(test_walk_and_waiting_set),
        cmocka_unit_test(test_walk_gives_way),
        cmocka_unit_test(test_large_center),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
