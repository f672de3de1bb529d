/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_policy_example.c - unit test of the worked example of docs/routing.md
 * (oldest-first), shown there in full: decisions on a view built by hand.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fake_view.h"

static struct fake F;

static void test_oldest_first(void **state)
{
    (void)state;
    /* two queues; group 0 serves both, group 1 only q1 */
    const uint32_t lines[] = {1, 1};
    const struct fv_skill skills[][FV_MAXS + 1] = {{FV_SK(0), FV_SK(1), FV_END},
                                                 {FV_SK(1), FV_END}};
    fv_init(&F, 2, lines, 2, skills);
    uint32_t a = fv_agent(&F, 0), b = fv_agent(&F, 1);
    fv_idle(&F, b, 900);
    F.q[0].priority = 5;                  /* ignored by oldest-first */
    uint32_t young = fv_waiting(&F, 0, 990);
    uint32_t old = fv_waiting(&F, 1, 950);
    void *ps;
    const struct ccs_policy_ops *ops = fv_policy("oldest-first", &ps, &F);

    /* a q1 contact arrives: b is the only available agent with the skill */
    struct ccs_route r = ops->route_contact(ps, &F.v, fv_arriving(&F, 1));
    assert_int_equal(r.action, CCS_ROUTE_ASSIGN);
    assert_int_equal(r.agent, b);
    /* a q0 contact waits: nobody available has q0 */
    r = ops->route_contact(ps, &F.v, fv_arriving(&F, 0));
    assert_int_equal(r.action, CCS_ROUTE_QUEUE);

    /* agent a frees: the oldest contact across its skills, priority or not */
    fv_idle(&F, a, 1000);
    assert_int_equal(ops->select_contact(ps, &F.v, a).contact, old);
    fv_leave(&F, old);
    assert_int_equal(ops->select_contact(ps, &F.v, a).contact, young);
    assert_true(ops->may_serve(ps, &F.v, young, a));
    assert_false(ops->may_serve(ps, &F.v, young, b));
    fv_done(ops, ps);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_oldest_first)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
