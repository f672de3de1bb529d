/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_policy_skills.c - the skills policy's decisions on hand-built views:
 * overflow delays (queue and recheck when the next group opens, then
 * assign), the three agent-selection rules, the order a freed agent serves
 * in (effective priority with aging, skill preference, oldest, line), the
 * checker's may_serve, located parameter errors, and the view's skill
 * lookup (a scan of few skills, a search of many). docs/routing.md states
 * the rule these check.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>

#include "support.h"
#include "fake_view.h"

static struct fake F;

/* --- route_contact: overflow delays -------------------------------------------------- */

static void test_route_overflow(void **state)
{
    (void)state;
    /* q0: primary g0 (no delay), overflow g1 after 30 s, g2 after 90 s */
    const uint32_t lines[] = {1};
    const struct fv_skill sk[][FV_MAXS + 1] = {
        {FV_SK(0), FV_END}, {{0, 1, -1, 30}, FV_END}, {{0, 1, -1, 90}, FV_END}};
    fv_init(&F, 1, lines, 3, sk);
    uint32_t a0 = fv_agent(&F, 0), b0 = fv_agent(&F, 1), c0 = fv_agent(&F, 2);
    (void)a0;
    fv_idle(&F, c0, 100); /* longest idle, but behind the longest delay */
    fv_idle(&F, b0, 500);
    void *ps;
    const struct ccs_policy_ops *ops = fv_policy("skills", &ps, &F);
    assert_true(ops->flags & CCS_POLICY_WORK_CONSERVING);

    /* arrives now: only g0 is open and it is busy -> wait, recheck at 1030 */
    uint32_t x = fv_arriving(&F, 0);
    struct ccs_route r = ops->route_contact(ps, &F.v, x);
    assert_int_equal(r.action, CCS_ROUTE_QUEUE);
    assert_true(r.recheck == 1030);
    assert_non_null(r.reason);

    /* the engine puts it in line and asks again at 1030: g1 is open */
    fv_enqueue(&F, x);
    F.v.now = 1029.999;
    r = ops->route_contact(ps, &F.v, x);
    assert_int_equal(r.action, CCS_ROUTE_QUEUE);
    assert_true(r.recheck == 1030);
    F.v.now = 1030;
    r = ops->route_contact(ps, &F.v, x);
    assert_int_equal(r.action, CCS_ROUTE_ASSIGN);
    assert_int_equal(r.agent, b0);

    /* g1 busy after all: wait for g2, which opens at 1090 */
    fv_init(&F, 1, lines, 3, sk);
    fv_agent(&F, 0);
    fv_agent(&F, 1);
    c0 = fv_agent(&F, 2);
    fv_idle(&F, c0, 100);
    x = fv_arriving_to(&F, 0, 1000);
    F.v.now = 1030;
    r = ops->route_contact(ps, &F.v, x);
    assert_int_equal(r.action, CCS_ROUTE_QUEUE);
    assert_true(r.recheck == 1090);
    F.v.now = 1090;
    r = ops->route_contact(ps, &F.v, x);
    assert_int_equal(r.action, CCS_ROUTE_ASSIGN);
    assert_int_equal(r.agent, c0);
    /* every group open and busy: no more rechecks */
    fv_init(&F, 1, lines, 3, sk);
    fv_agent(&F, 0);
    fv_agent(&F, 1);
    fv_agent(&F, 2);
    x = fv_arriving_to(&F, 0, 1000);
    F.v.now = 2000;
    r = ops->route_contact(ps, &F.v, x);
    assert_int_equal(r.action, CCS_ROUTE_QUEUE);
    assert_true(isinf(r.recheck));
    fv_done(ops, ps);
}

/* --- route_contact: the select rules --------------------------------------------------- */

static void test_route_select_rules(void **state)
{
    (void)state;
    const uint32_t lines[] = {1};
    /* g0 nominal, g1 experts (level 2), g2 experts too (level 2) */
    const struct fv_skill sk[][FV_MAXS + 1] = {
        {FV_SK(0), FV_END}, {{0, 2, -1, 0}, FV_END}, {{0, 2, -1, 0}, FV_END}};
    fv_init(&F, 1, lines, 3, sk);
    uint32_t a0 = fv_agent(&F, 0), a1 = fv_agent(&F, 0);
    uint32_t b0 = fv_agent(&F, 1), c0 = fv_agent(&F, 2);
    fv_idle(&F, a0, 100); /* longest idle of all */
    fv_idle(&F, a1, 200);
    fv_idle(&F, c0, 300); /* longest idle expert */
    fv_idle(&F, b0, 400);
    F.a[a0].busy_time = 5000;
    F.a[a1].busy_time = 900; /* least occupied */
    F.a[b0].busy_time = 1000;
    F.a[c0].busy_time = 3000;
    uint32_t x = fv_arriving(&F, 0);

    void *ps;
    const struct ccs_policy_ops *ops = fv_policy("skills", &ps, &F);
    assert_int_equal(ops->route_contact(ps, &F.v, x).agent, a0); /* default: longest idle */
    fv_done(ops, ps);

    struct ccs_scenario *keep;
    ops = fv_policy_p("skills", fv_params("skills", "select: most_skilled", &keep), &ps, &F);
    struct ccs_route r = ops->route_contact(ps, &F.v, x);
    assert_int_equal(r.action, CCS_ROUTE_ASSIGN);
    assert_int_equal(r.agent, c0); /* level 2, and idle longer than b0 */
    fv_done(ops, ps);
    ccs_scenario_free(keep);

    ops = fv_policy_p("skills", fv_params("skills", "select: least_occupied", &keep), &ps, &F);
    assert_int_equal(ops->route_contact(ps, &F.v, x).agent, a1);
    /* capacity divides: b0's group takes 2 contacts at once, so 1000 / 2 < 900 */
    F.g[1].capacity = 2;
    assert_int_equal(ops->route_contact(ps, &F.v, x).agent, b0);
    F.g[1].capacity = 1;
    /* a tie goes to the longest idle, not the first group */
    F.a[c0].busy_time = 900;
    assert_int_equal(ops->route_contact(ps, &F.v, x).agent, a1);
    F.a[a1].busy_time = 901;
    assert_int_equal(ops->route_contact(ps, &F.v, x).agent, c0);
    /* occupancy, not busy time: c0 worked 900 s of the 1000 s it has been
       present; a0 worked 5000 s, but it has been present since 0 plus 9000 s
       of earlier shifts (0.5) */
    F.a[c0].present_since = 100;
    F.a[a1].busy_time = 950;
    F.a[b0].busy_time = 990;
    F.a[a0].login_time = 9000;
    assert_true(fabs(ccs_view_agent_occupancy(&F.v, a0) - 0.5) < 1e-12);
    assert_true(fabs(ccs_view_agent_occupancy(&F.v, c0) - 1.0) < 1e-12);
    assert_int_equal(ops->route_contact(ps, &F.v, x).agent, a0);
    /* on a break (not present now) the time before it still counts */
    F.a[a0].present_since = NAN;
    assert_true(fabs(ccs_view_agent_occupancy(&F.v, a0) - 5000.0 / 9000) < 1e-12);
    fv_done(ops, ps);
    ccs_scenario_free(keep);
}

/* --- select_contact ----------------------------------------------------------------------- */

static void test_select_order(void **state)
{
    (void)state;
    /* g0 serves q0 (2 segment lines) and q1; q1 is its preferred skill */
    const uint32_t lines[] = {2, 1};
    const struct fv_skill sk[][FV_MAXS + 1] = {{{0, 1, 5, 0}, {1, 1, 1, 0}, FV_END}};
    fv_init(&F, 2, lines, 1, sk);
    uint32_t a = fv_agent(&F, 0);
    fv_idle(&F, a, 1000);
    uint32_t l0 = fv_waiting(&F, 0, 900);  /* q0/regular, waited 100 s */
    uint32_t l1 = fv_waiting(&F, 1, 960);  /* q0/vip, waited 40 s */
    uint32_t l2 = fv_waiting(&F, 2, 990);  /* q1, waited 10 s */
    void *ps;
    const struct ccs_policy_ops *ops = fv_policy("skills", &ps, &F);

    /* equal priorities: the preferred skill (q1, skill priority 1 < 5) */
    struct ccs_pick p = ops->select_contact(ps, &F.v, a);
    assert_int_equal(p.contact, l2);
    assert_non_null(p.reason);
    /* a higher line priority beats the preference */
    F.l[1].priority = 1;
    assert_int_equal(ops->select_contact(ps, &F.v, a).contact, l1);
    /* within the same skill and priority: the oldest; credit counts */
    F.l[1].priority = 0;
    F.sk[0][1].priority = 9;
    assert_int_equal(ops->select_contact(ps, &F.v, a).contact, l0);
    F.c[l1].credit = 61; /* ranks as arrived at 899 */
    assert_int_equal(ops->select_contact(ps, &F.v, a).contact, l1);
    F.c[l1].credit = 60; /* a tie with l0 (900): the lower line */
    assert_int_equal(ops->select_contact(ps, &F.v, a).contact, l0);
    F.c[l1].credit = 0;
    fv_done(ops, ps);

    /* aging 30 s: q0/regular (priority 0, waited 100 s -> 0 + 3) overtakes
       q0/vip (priority 2, waited 40 s -> 2 + 1) though it started lower */
    struct ccs_scenario *keep;
    ops = fv_policy_p("skills", fv_params("skills", "aging: 30s", &keep), &ps, &F);
    F.l[1].priority = 2;
    assert_int_equal(ops->select_contact(ps, &F.v, a).contact, l0);
    /* 10 s later vip reaches 2 + floor(50/30) = 3 too: equal, then the
       skill preference (both q0), then the oldest: still regular */
    F.v.now = 1010;
    assert_int_equal(ops->select_contact(ps, &F.v, a).contact, l0);
    /* without the head start of aging, the priority decides */
    F.v.now = 1000;
    F.l[0].priority = -5;
    assert_int_equal(ops->select_contact(ps, &F.v, a).contact, l1);
    fv_done(ops, ps);
    ccs_scenario_free(keep);
}

static void test_select_delays(void **state)
{
    (void)state;
    /* g1 reaches q0 only after 60 s */
    const uint32_t lines[] = {1, 1};
    const struct fv_skill sk[][FV_MAXS + 1] = {{FV_SK(0), FV_END},
                                             {{0, 1, -1, 60}, FV_SK(1), FV_END}};
    fv_init(&F, 2, lines, 2, sk);
    fv_agent(&F, 0);
    uint32_t b = fv_agent(&F, 1);
    fv_idle(&F, b, 1000);
    uint32_t young = fv_waiting(&F, 0, 950); /* waited 50 s */
    void *ps;
    const struct ccs_policy_ops *ops = fv_policy("skills", &ps, &F);
    assert_int_equal(ops->select_contact(ps, &F.v, b).contact, CCS_NONE);
    assert_false(ops->may_serve(ps, &F.v, young, b));

    /* a callback rejoined the tail keeping its first arrival: it is open */
    uint32_t old = fv_waiting(&F, 0, 700);
    assert_int_equal(ops->select_contact(ps, &F.v, b).contact, old);
    assert_true(ops->may_serve(ps, &F.v, old, b));
    assert_false(ops->may_serve(ps, &F.v, young, b));

    /* the checker's view is strict at the instant the delay ends, the
       policy's is not (its recheck fires at that very instant) */
    F.v.now = 1010;
    assert_false(ops->may_serve(ps, &F.v, young, b));
    assert_int_equal(ops->select_contact(ps, &F.v, b).contact, young);
    F.v.now = 1010.001;
    assert_true(ops->may_serve(ps, &F.v, young, b));

    /* no skill, no service; a zero delay is open at once */
    uint32_t other = fv_waiting(&F, 1, F.v.now);
    assert_true(ops->may_serve(ps, &F.v, other, b));
    assert_false(ops->may_serve(ps, &F.v, other, 0));
    fv_done(ops, ps);
}

/* A decision must not change the view. */
static void test_read_only(void **state)
{
    (void)state;
    const uint32_t lines[] = {2};
    const struct fv_skill sk[][FV_MAXS + 1] = {{FV_SK(0), FV_END}, {{0, 2, -1, 10}, FV_END}};
    fv_init(&F, 1, lines, 2, sk);
    uint32_t a = fv_agent(&F, 0), b = fv_agent(&F, 1);
    fv_idle(&F, a, 10);
    fv_idle(&F, b, 20);
    fv_waiting(&F, 0, 900);
    fv_waiting(&F, 1, 950);
    uint32_t x = fv_arriving(&F, 0);
    static struct fake before;
    memcpy(&before, &F, sizeof F);
    const char *const blocks[] = {"select: most_skilled, aging: 20s", "select: least_occupied"};
    for (int i = 0; i < 2; i++) {
        struct ccs_scenario *keep;
        void *ps;
        const struct ccs_policy_ops *ops =
            fv_policy_p("skills", fv_params("skills", blocks[i], &keep), &ps, &F);
        ops->route_contact(ps, &F.v, x);
        ops->select_contact(ps, &F.v, a);
        ops->select_contact(ps, &F.v, b);
        ops->may_serve(ps, &F.v, F.l[0].head, b);
        assert_memory_equal(&F, &before, sizeof F);
        fv_done(ops, ps);
        ccs_scenario_free(keep);
    }
}

/* --- parameters ------------------------------------------------------------------------------ */

#define ONE_QUEUE                                                                              \
    "queues:\n  - {id: q, arrivals: {rate: 1/min}, handle_time: {dist: exponential, mean: 1m}}\n" \
    "groups:\n  - {id: g, agents: 1, skills: [q]}\n"

static void test_params(void **state)
{
    (void)state;
    assert_string_equal(load_error(ONE_QUEUE "routing: {policy: skills, select: fastest}\n"),
                        "5:35: error: unknown select 'fastest' (one of longest_idle, "
                        "most_skilled, least_occupied, random)");
    assert_string_equal(load_error(ONE_QUEUE "routing: {policy: skills, aging: 30}\n"),
                        "5:34: error: 'aging': bad duration '30': missing unit: write e.g. 20s, "
                        "4m, 1.5h or 2d");
    assert_string_equal(load_error(ONE_QUEUE "routing: {policy: skills, agin: 30s}\n"),
                        "5:27: error: unknown key 'agin' in routing; did you mean 'aging'?");
    struct ccs_scenario *sc =
        load_yaml_string(ONE_QUEUE "routing: {policy: skills, select: most_skilled, aging: 2m}\n");
    assert_non_null(sc);
    assert_string_equal(ccs_scenario_policy(sc), "skills");
    ccs_scenario_free(sc);
}

/* --- ccs_view_skill_index: the scan and the search agree --------------------------- */

static int by_queue(const void *x, const void *y)
{
    uint32_t a = ((const struct ccs_skill_ref *)x)->queue, b = ((const struct ccs_skill_ref *)y)->queue;
    return (a > b) - (a < b);
}

static void test_skill_index(void **state)
{
    (void)state;
    /* one group, its first n of 40 skills (queues in a shuffled order, gaps
       between them) for every n: the binary search over the queue-ordered
       refs and the table find what a scan of the listed skills finds, for
       every queue */
    enum { NS = 40, NQ = 128 };
    struct ccs_skill sk[NS];
    struct ccs_skill_ref refs[NS];
    int16_t table[NQ];
    uint32_t first[2] = {0, 0};
    struct ccs_group G = {0};
    struct ccs_view v = {0};
    for (uint32_t s = 0; s < NS; s++)
        sk[s].queue = (s * 37u + 11u) % NQ; /* 37 is prime to 128: distinct */
    G.skills = sk;
    v.groups = &G;
    v.n_groups = 1;
    v.n_queues = NQ;
    for (uint32_t n = 0; n <= NS; n++) {
        G.n_skills = n;
        for (uint32_t s = 0; s < n; s++)
            refs[s] = (struct ccs_skill_ref){sk[s].queue, s};
        qsort(refs, n, sizeof *refs, by_queue);
        for (uint32_t q = 0; q < NQ; q++)
            table[q] = -1;
        for (uint32_t s = 0; s < n; s++)
            table[sk[s].queue] = (int16_t)s;
        first[1] = n;
        for (uint32_t q = 0; q < NQ; q++) {
            v.skill_refs = NULL;
            v.skill_first = NULL;
            int32_t scan = ccs_view_skill_index(&v, 0, q);
            v.skill_refs = refs;
            v.skill_first = first;
            int32_t search = ccs_view_skill_index(&v, 0, q);
            assert_int_equal(scan, search);
            v.skill_table = table;
            assert_int_equal(ccs_view_skill_index(&v, 0, q), scan);
            v.skill_table = NULL;
            if (scan >= 0) {
                assert_true((uint32_t)scan < n);
                assert_int_equal(sk[scan].queue, q);
                assert_ptr_equal(ccs_view_skill(&v, 0, q), &sk[scan]);
            } else {
                for (uint32_t s = 0; s < n; s++)
                    assert_int_not_equal(sk[s].queue, q);
                assert_null(ccs_view_skill(&v, 0, q));
            }
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_route_overflow), cmocka_unit_test(test_route_select_rules),
        cmocka_unit_test(test_skill_index),
        cmocka_unit_test(test_select_order),   cmocka_unit_test(test_select_delays),
        cmocka_unit_test(test_read_only),      cmocka_unit_test(test_params),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
