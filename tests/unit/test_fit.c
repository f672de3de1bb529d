/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_fit.c - the availability rules of `ccsim fit` on a hand-made log
 * whose answer is known (present, busy, away time and the staffing per
 * step under 'waiting' and 'gap'), the replay overrides they give, and
 * located errors for a log with nothing to fit.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ccs/ccs.h"
#include "exp/fit_impl.h"
#include "support.h"

#include <math.h>

/*
 * Agent A: busy 0-100; a call waits 150-200 and A takes it 200-300; nobody
 * waits 300-400, A serves 400-500; then 2500-2600 after a gap longer than
 * 30 minutes (a new block). Agent B serves one call 0-60.
 * Present: A 500 + 100, B 60. Away: 'waiting' 50 (150-200), 'gap' 100 (100-200).
 */
static const char log_csv[] = "time,outcome,wait,handle,agent\n"
                              "0,served,0,100,A\n"
                              "0,served,0,60,B\n"
                              "150,served,50,100,A\n"
                              "400,served,0,100,A\n"
                              "2500,served,0,100,A\n";

static const char scenario_yaml[] = "horizon: 1h\n"
                                    "interval: 30m\n"
                                    "trace:\n"
                                    "  file: t.csv\n"
                                    "  columns: {time: time, outcome: outcome, wait: wait, "
                                    "handle: handle, agent: agent}\n"
                                    "queues:\n"
                                    "  - {id: q, arrivals: trace, handle_time: {dist: "
                                    "exponential, mean: 1m}}\n"
                                    "groups:\n"
                                    "  - {id: g, agents: 2, skills: [q]}\n";

static struct ccs_fitlog *fit_with(enum ccs_avail_rule rule, struct ccs_scenario ***scs,
                                   size_t *n, char *dir)
{
    char path[256];
    snprintf(path, 256, "%s/t.csv", dir);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(log_csv, f);
    fclose(f);
    snprintf(path, 256, "%s/s.yaml", dir);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs(scenario_yaml, f);
    fclose(f);
    struct ccs_diag d;
    ccs_diag_clear(&d);
    if (ccs_scenario_load_dates(path, NULL, scs, n, &d) != 0)
        fail_msg("%s", d.msg);
    struct ccs_fitlog_opts o = ccs_fitlog_opts_default();
    o.rule = rule;
    o.n_boot = 0;
    struct ccs_fitlog *fl = NULL;
    if (ccs_fitlog_new(*scs, *n, &o, &fl, &d) != 0)
        fail_msg("%s", d.msg);
    return fl;
}

static void check_rule(enum ccs_avail_rule rule, double away, const double *staff_a)
{
    char dir[] = "/tmp/ccs-fit-XXXXXX";
    assert_non_null(mkdtemp(dir));
    struct ccs_scenario **scs;
    size_t n;
    struct ccs_fitlog *fl = fit_with(rule, &scs, &n, dir);
    assert_int_equal(fl->n_agents, 2);
    assert_int_equal(fl->n_groups, 1);
    const struct ccs__avail_row *a = &fl->avail[0], *b = &fl->avail[1];
    assert_float_equal(a->present, 600, 1e-9);
    assert_float_equal(a->busy, 400, 1e-9);
    assert_float_equal(a->away, away, 1e-9);
    assert_float_equal(b->present, 60, 1e-9);
    assert_float_equal(b->away, 0, 1e-9);
    assert_float_equal(ccs_fitlog_available_share(fl), (660 - away) / 660, 1e-12);
    /* staffing per minute: A and B in step 0, then A as the rule says */
    for (size_t s = 0; s < 10; s++)
        assert_float_equal(ccs__fit_staff(fl, 0, 0, s), staff_a[s] + (s == 0 ? 1 : 0), 1e-9);
    assert_float_equal(ccs__fit_staff(fl, 0, 0, 41), 20.0 / 60, 1e-9); /* 2460-2520: 20 s */
    /* the timeline: A's two blocks and B's, and A's time away */
    size_t n_present = 0;
    double away_total = 0;
    for (size_t i = 0; i < fl->n_tl; i++) {
        if (fl->tl[i].away)
            away_total += fl->tl[i].b - fl->tl[i].a;
        else
            n_present++;
    }
    assert_int_equal(n_present, 3);
    assert_float_equal(away_total, away, 1e-9);
    const struct ccs_override *ov;
    size_t nov;
    assert_int_equal(ccs_fitlog_day_overrides(fl, 0, &ov, &nov), 0);
    assert_true(nov >= 1);
    assert_string_equal(ov[0].path, "groups");
    assert_true(strncmp(ov[0].value, "[{id: agents_q, skills: [q], staffing: {per: 60s, agents: [2,", 60) == 0);
    assert_int_equal(ccs_fitlog_day_overrides(fl, 1, &ov, &nov), CCS_EINVAL);
    ccs_fitlog_free(fl);
    ccs_scenario_list_free(scs, n);
    remove_scratch(dir);
}

static void test_rule_waiting(void **state)
{
    (void)state;
    /* A: 0-60 busy; 60-120: busy to 100, idle 100-120 (nobody waits);
       120-180: idle to 150, away 150-180; 180-240: away to 200, busy;
       then busy 240-300, idle 300-400, busy 400-500 (20 s of step 8) */
    static const double a[10] = {1, 1, 0.5, 40.0 / 60, 1, 1, 1, 1, 20.0 / 60, 0};
    check_rule(CCS_AVAIL_WAITING, 50, a);
}

static void test_rule_gap(void **state)
{
    (void)state;
    static const double a[10] = {1, 40.0 / 60, 0, 40.0 / 60, 1, 1, 1, 1, 20.0 / 60, 0};
    check_rule(CCS_AVAIL_GAP, 100, a);
}

static void test_nothing_to_fit(void **state)
{
    (void)state;
    struct ccs_diag d;
    struct ccs_fitlog *fl = (void *)1;
    ccs_diag_clear(&d);
    assert_int_equal(ccs_fitlog_new(NULL, 0, NULL, &fl, &d), CCS_ERANGE);
    assert_null(fl);
    assert_string_equal(d.msg, "<input>: error: the log has no dates to fit");
    struct ccs_scenario *sc = load_yaml_string("horizon: 1h\nqueues:\n  - {id: q, arrivals: "
                                               "{rate: 1/min}, handle_time: {dist: exponential, "
                                               "mean: 1m}}\ngroups:\n  - {id: g, agents: 1, "
                                               "skills: [q]}\n");
    assert_non_null(sc);
    ccs_diag_clear(&d);
    assert_int_equal(ccs_fitlog_new(&sc, 1, NULL, &fl, &d), CCS_ERANGE);
    assert_non_null(strstr(d.msg, "error: the log has no contacts to fit"));
    ccs_scenario_free(sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rule_waiting),
        cmocka_unit_test(test_rule_gap),
        cmocka_unit_test(test_nothing_to_fit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
