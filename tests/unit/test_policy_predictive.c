/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_policy_predictive.c - the predictive-sla policy's decisions on
 * hand-built views, against the documented formulas (docs/routing.md):
 * score = weight / (1 - target) x risk, risk = 1 - mu/(mu+theta) (1 -
 * exp(-(mu+theta) slack)), mu from the wait predictor, theta the observed
 * abandonment rate; contacts past their threshold come last, most valuable
 * then oldest.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "support.h"
#include "fake_view.h"

static struct fake F;

/* The documented score, written out independently of the policy. */
static double score(double weight, double target, double within, double waited, double mu,
                    double theta)
{
    double slack = within - waited, lam = mu + theta;
    double risk = lam > 0 ? 1 - mu / lam * (1 - exp(-lam * slack)) : 1;
    return weight / (1 - target) * risk;
}

/* One queue, lines regular (weight 1, 80% in 30 s) and vip (weight 3, 90% in
   15 s); one group of 3 agents, 2 busy (mean hold 100 s: mu = 0.02/s), the
   third just freed. */
static uint32_t setup(void)
{
    const uint32_t lines[] = {2};
    const struct fv_skill sk[][FV_MAXS + 1] = {{FV_SK(0), FV_END}};
    fv_init(&F, 1, lines, 1, sk);
    F.l[0].sla_within = 30;
    F.l[1].weight = 3;
    F.l[1].sla_target = 0.9;
    F.l[1].sla_within = 15;
    fv_agent(&F, 0);
    fv_agent(&F, 0);
    uint32_t a = fv_agent(&F, 0);
    fv_idle(&F, a, 1000);
    return a;
}

static void test_most_at_risk(void **state)
{
    (void)state;
    uint32_t a = setup();
    assert_true(fabs(ccs_view_predict_wait(&F.v, 0, 0) - 50) < 1e-12); /* 1 / mu */
    uint32_t reg = fv_waiting(&F, 0, 975); /* slack 5 s: score 5 e^-0.1 = 4.52 */
    uint32_t vip = fv_waiting(&F, 1, 995); /* slack 10 s: score 30 e^-0.2 = 24.6 */
    assert_true(score(3, 0.9, 15, 5, 0.02, 0) > score(1, 0.8, 30, 25, 0.02, 0));
    void *ps;
    const struct ccs_policy_ops *ops = fv_policy("predictive-sla", &ps, &F);
    assert_true(ops->flags & CCS_POLICY_WORK_CONSERVING);
    struct ccs_pick p = ops->select_contact(ps, &F.v, a);
    assert_int_equal(p.contact, vip);
    assert_non_null(p.reason);

    /* a VIP worth half a regular caller per miss: the regular one, closer to
       its threshold, is now more at risk (5 e^-0.1 = 4.52 > 5 e^-0.2 = 4.09) */
    F.l[1].weight = 0.5;
    assert_int_equal(ops->select_contact(ps, &F.v, a).contact, reg);
    /* the target counts: at 95% the miss costs 0.5 / 0.05 = 10 */
    F.l[1].sla_target = 0.95;
    assert_int_equal(ops->select_contact(ps, &F.v, a).contact, vip);
    fv_done(ops, ps);
}

static void test_late_last(void **state)
{
    (void)state;
    uint32_t a = setup();
    uint32_t late = fv_waiting(&F, 0, 960);  /* waited 40 s > 30: its promise is gone */
    uint32_t reg = fv_waiting(&F, 0, 990);   /* behind it, still savable */
    void *ps;
    const struct ccs_policy_ops *ops = fv_policy("predictive-sla", &ps, &F);
    /* the savable contact goes first, though the late one is at the head */
    assert_int_equal(ops->select_contact(ps, &F.v, a).contact, reg);
    /* once it is late too (t = 1021), the head: every promise here is gone,
       so the most valuable line (one line) then the oldest */
    F.v.now = 1021;
    assert_int_equal(ops->select_contact(ps, &F.v, a).contact, late);
    /* a late VIP (cost 30) before a late regular (cost 5), though younger */
    uint32_t lvip = fv_waiting(&F, 1, 1000); /* waited 21 s > 15 */
    assert_int_equal(ops->select_contact(ps, &F.v, a).contact, lvip);
    /* but any savable contact, however cheap, before any late one */
    F.l[0].weight = 0.01;
    uint32_t fresh = fv_waiting(&F, 0, 1020);
    assert_int_equal(ops->select_contact(ps, &F.v, a).contact, fresh);
    /* equal value: the oldest late contact */
    fv_leave(&F, fresh);
    F.l[0].weight = 1;
    F.l[1].weight = 1;
    F.l[1].sla_target = 0.8;
    assert_int_equal(ops->select_contact(ps, &F.v, a).contact, late);
    fv_done(ops, ps);
}

static void test_patience_and_predictor(void **state)
{
    (void)state;
    uint32_t a = setup();
    /* regular with no slack left vs a VIP with 100 s of slack (a long
       threshold), mu = 0.02: without abandonment the regular (5 x 1 > 30 e^-2) */
    F.l[1].sla_within = 200;
    uint32_t reg = fv_waiting(&F, 0, 970.1); /* slack 0.1 s */
    uint32_t vip = fv_waiting(&F, 1, 900);   /* slack 100 s */
    assert_true(score(1, 0.8, 30, 29.9, 0.02, 0) > score(3, 0.9, 200, 100, 0.02, 0));
    void *ps;
    const struct ccs_policy_ops *ops = fv_policy("predictive-sla", &ps, &F);
    assert_non_null(ops->on_abandon);
    assert_int_equal(ops->select_contact(ps, &F.v, a).contact, reg);
    fv_done(ops, ps);

    /* callers abandon: one abandon after 50 s of waiting, theta = 1/50 = 0.02;
       the VIP may now hang up before an agent frees: 30 x 0.509 > 5 x 1 */
    assert_true(score(3, 0.9, 200, 100, 0.02, 0.02) > score(1, 0.8, 30, 29.9, 0.02, 0.02));
    ops = fv_policy("predictive-sla", &ps, &F);
    uint32_t gone = fv_arriving_to(&F, 0, 950);
    ops->on_abandon(ps, &F.v, gone);
    assert_int_equal(ops->select_contact(ps, &F.v, a).contact, vip);
    fv_done(ops, ps);

    /* a caller who left a message after 50 s (message_after) did not run out
       of patience: no abandonment seen, theta stays 0, the regular first */
    ops = fv_policy("predictive-sla", &ps, &F);
    gone = fv_arriving_to(&F, 0, 950);
    F.c[gone].flags |= CCS_CF_MESSAGE;
    ops->on_abandon(ps, &F.v, gone);
    assert_int_equal(ops->select_contact(ps, &F.v, a).contact, reg);
    fv_done(ops, ps);

    /* the predictor: with nobody busy (mu = 0) every savable contact is
       certain to miss if skipped: the highest value wins (vip, 30) ... */
    ops = fv_policy("predictive-sla", &ps, &F);
    F.g[0].busy_slots = 0;
    assert_true(isinf(ccs_view_predict_wait(&F.v, 0, 0)));
    assert_int_equal(ops->select_contact(ps, &F.v, a).contact, vip);
    /* ... and a faster group (mean hold 10 s, mu = 0.2) makes the slack count
       more: 5 x 0.98 > 30 e^-20 */
    F.g[0].busy_slots = 2;
    F.mean_hold[0] = 10;
    assert_int_equal(ops->select_contact(ps, &F.v, a).contact, reg);
    fv_done(ops, ps);
}

static void test_route_and_skills(void **state)
{
    (void)state;
    /* two queues; g0 serves both, g1 only q1 */
    const uint32_t lines[] = {1, 1};
    const struct fv_skill sk[][FV_MAXS + 1] = {{FV_SK(0), FV_SK(1), FV_END},
                                             {FV_SK(1), FV_END}};
    fv_init(&F, 2, lines, 2, sk);
    uint32_t a = fv_agent(&F, 0), b0 = fv_agent(&F, 1), b1 = fv_agent(&F, 1);
    fv_idle(&F, b1, 10);
    void *ps;
    const struct ccs_policy_ops *ops = fv_policy("predictive-sla", &ps, &F);
    /* arrivals: longest-idle eligible agent, or wait without recheck */
    struct ccs_route r = ops->route_contact(ps, &F.v, fv_arriving(&F, 1));
    assert_int_equal(r.action, CCS_ROUTE_ASSIGN);
    assert_int_equal(r.agent, b1);
    r = ops->route_contact(ps, &F.v, fv_arriving(&F, 0));
    assert_int_equal(r.action, CCS_ROUTE_QUEUE);
    assert_true(isinf(r.recheck));
    /* a freed agent looks at its skills only */
    uint32_t q1 = fv_waiting(&F, 1, 999);
    assert_int_equal(ops->select_contact(ps, &F.v, b0).contact, q1);
    assert_true(ops->may_serve(ps, &F.v, q1, b0));
    uint32_t q0 = fv_waiting(&F, 0, 999);
    assert_false(ops->may_serve(ps, &F.v, q0, b0));
    assert_true(ops->may_serve(ps, &F.v, q0, a));
    fv_leave(&F, q1);
    assert_int_equal(ops->select_contact(ps, &F.v, b0).contact, CCS_NONE);
    /* per queue answer rates: q0 is served by g0 only (1 busy), q1 by both */
    assert_true(fabs(ccs_view_answer_rate(&F.v, 0) - 0.01) < 1e-12);
    assert_true(fabs(ccs_view_answer_rate(&F.v, 1) - 0.02) < 1e-12);
    fv_done(ops, ps);
    assert_string_equal(load_error("queues:\n  - {id: q, arrivals: {rate: 1/min}, handle_time: "
                                   "{dist: exponential, mean: 1m}}\ngroups:\n  - {id: g, agents: "
                                   "1, skills: [q]}\nrouting: {policy: predictive-sla, weight: 2}\n"),
                        "5:35: error: unknown key 'weight' in routing");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_most_at_risk),
        cmocka_unit_test(test_late_last),
        cmocka_unit_test(test_patience_and_predictor),
        cmocka_unit_test(test_route_and_skills),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
