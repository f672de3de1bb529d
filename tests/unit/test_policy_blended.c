/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_policy_blended.c - the blended policy's decisions on hand-built
 * views: real-time contacts first (routed as by skills); deferred work only
 * while no real-time contact the group may serve waits and `reserve` other
 * agents of the group stay available; groups without real-time skills pull
 * freely; urgent deferred work skips the reserve, with a recheck at the
 * moment it becomes urgent; may_serve says exactly that.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "support.h"
#include "fake_view.h"

static struct fake F;

/* voice (q0, real-time) and email (q1, deferred, 90% within 1 h); g0 phone
   agents take both, g1 is a back office with e-mail only. */
static void setup(uint32_t phone_agents, uint32_t office_agents)
{
    const uint32_t lines[] = {1, 1};
    const struct fv_skill sk[][FV_MAXS + 1] = {{FV_SK(0), FV_SK(1), FV_END}, {FV_SK(1), FV_END}};
    fv_init(&F, 2, lines, 2, sk);
    F.q[1].deferred = true;
    F.q[1].channel = CCS_CH_EMAIL;
    F.l[1].sla_target = 0.9;
    F.l[1].sla_within = 3600;
    for (uint32_t i = 0; i < phone_agents; i++)
        fv_agent(&F, 0);
    for (uint32_t i = 0; i < office_agents; i++)
        fv_agent(&F, 1);
}

static const struct ccs_policy_ops *start(const char *block, void **ps,
                                          struct ccs_scenario **keep)
{
    *keep = NULL;
    if (block == NULL)
        return fv_policy("blended", ps, &F);
    return fv_policy_p("blended", fv_params("blended", block, keep), ps, &F);
}

static void stop(const struct ccs_policy_ops *ops, void *ps, struct ccs_scenario *keep)
{
    fv_done(ops, ps);
    ccs_scenario_free(keep);
}

static void test_select(void **state)
{
    (void)state;
    setup(3, 1);
    uint32_t a0 = 0, a1 = 1, o = 3;
    fv_idle(&F, a0, 1000); /* just freed; the only available phone agent */
    uint32_t mail = fv_waiting(&F, 1, 100);
    struct ccs_scenario *keep;
    void *ps;
    const struct ccs_policy_ops *ops = start(NULL, &ps, &keep);
    assert_true(ops->flags & CCS_POLICY_WORK_CONSERVING);

    /* reserve 1: the last available phone agent keeps itself for voice */
    struct ccs_pick p = ops->select_contact(ps, &F.v, a0);
    assert_int_equal(p.contact, CCS_NONE);
    assert_non_null(p.reason);
    assert_false(ops->may_serve(ps, &F.v, mail, a0));
    /* a second one free: one may take e-mail, the other stays in reserve */
    fv_idle(&F, a1, 1000);
    assert_int_equal(ops->select_contact(ps, &F.v, a1).contact, mail);
    assert_true(ops->may_serve(ps, &F.v, mail, a0));
    /* a voice call waiting comes first, whatever the reserve */
    uint32_t call = fv_waiting(&F, 0, 990);
    assert_int_equal(ops->select_contact(ps, &F.v, a1).contact, call);
    assert_false(ops->may_serve(ps, &F.v, mail, a0)); /* voice first: no e-mail */
    assert_true(ops->may_serve(ps, &F.v, call, a0));
    /* the back office has no real-time skill: no reserve, and voice is not its business */
    fv_idle(&F, o, 1000);
    assert_int_equal(ops->select_contact(ps, &F.v, o).contact, mail);
    assert_true(ops->may_serve(ps, &F.v, mail, o));
    assert_false(ops->may_serve(ps, &F.v, call, o));
    stop(ops, ps, keep);

    /* reserve 0: the last phone agent takes e-mail too; reserve 2 needs three free */
    ops = start("reserve: 0", &ps, &keep);
    fv_leave(&F, call);
    assert_int_equal(ops->select_contact(ps, &F.v, a0).contact, mail);
    stop(ops, ps, keep);
    ops = start("reserve: 2", &ps, &keep);
    assert_int_equal(ops->select_contact(ps, &F.v, a0).contact, CCS_NONE);
    fv_idle(&F, 2, 1000);
    assert_int_equal(ops->select_contact(ps, &F.v, a0).contact, mail);
    stop(ops, ps, keep);
}

static void test_route(void **state)
{
    (void)state;
    setup(2, 1);
    fv_idle(&F, 0, 500);
    struct ccs_scenario *keep;
    void *ps;
    const struct ccs_policy_ops *ops = start(NULL, &ps, &keep);
    /* an e-mail arrives: the phone group's last agent is its reserve, the
       back office is busy: it waits, with no recheck needed */
    uint32_t m = fv_arriving(&F, 1);
    struct ccs_route r = ops->route_contact(ps, &F.v, m);
    assert_int_equal(r.action, CCS_ROUTE_QUEUE);
    assert_true(isinf(r.recheck));
    /* a voice call takes the reserve at once */
    r = ops->route_contact(ps, &F.v, fv_arriving(&F, 0));
    assert_int_equal(r.action, CCS_ROUTE_ASSIGN);
    assert_int_equal(r.agent, 0);
    /* the back office frees: e-mail goes there */
    fv_idle(&F, 2, 900);
    r = ops->route_contact(ps, &F.v, m);
    assert_int_equal(r.action, CCS_ROUTE_ASSIGN);
    assert_int_equal(r.agent, 2);
    /* two phone agents free (and the office busy again): one may take it */
    setup(2, 1);
    fv_idle(&F, 1, 600);
    fv_idle(&F, 0, 700);
    m = fv_arriving(&F, 1);
    r = ops->route_contact(ps, &F.v, m);
    assert_int_equal(r.action, CCS_ROUTE_ASSIGN);
    assert_int_equal(r.agent, 1); /* longest idle */
    stop(ops, ps, keep);
}

static void test_urgent(void **state)
{
    (void)state;
    setup(2, 0);
    fv_idle(&F, 0, 1000);
    struct ccs_scenario *keep;
    void *ps;
    const struct ccs_policy_ops *ops = start("urgent_after: 50%", &ps, &keep);
    /* a fresh e-mail waits, and asks to be reconsidered when it has waited
       half its 1 h threshold */
    uint32_t m = fv_arriving(&F, 1);
    struct ccs_route r = ops->route_contact(ps, &F.v, m);
    assert_int_equal(r.action, CCS_ROUTE_QUEUE);
    assert_true(r.recheck == 1000 + 1800);
    fv_enqueue(&F, m);
    assert_int_equal(ops->select_contact(ps, &F.v, 0).contact, CCS_NONE);
    /* at that moment the reserve agent takes it */
    F.v.now = 2800;
    assert_false(ops->may_serve(ps, &F.v, m, 0)); /* the checker waits for the recheck */
    r = ops->route_contact(ps, &F.v, m);
    assert_int_equal(r.action, CCS_ROUTE_ASSIGN);
    assert_int_equal(r.agent, 0);
    assert_int_equal(ops->select_contact(ps, &F.v, 0).contact, m);
    F.v.now = 2800.5;
    assert_true(ops->may_serve(ps, &F.v, m, 0));
    /* still real-time first */
    uint32_t call = fv_waiting(&F, 0, 2790);
    assert_int_equal(ops->select_contact(ps, &F.v, 0).contact, call);
    assert_false(ops->may_serve(ps, &F.v, m, 0));
    stop(ops, ps, keep);

    assert_string_equal(load_error("queues:\n  - {id: q, arrivals: {rate: 1/min}, handle_time: "
                                   "{dist: exponential, mean: 1m}}\ngroups:\n  - {id: g, agents: "
                                   "1, skills: [q]}\nrouting: {policy: blended, reserve: 1.5}\n"),
                        "5:37: error: 'reserve' must be a whole number, got '1.5'");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_select),
        cmocka_unit_test(test_route),
        cmocka_unit_test(test_urgent),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
