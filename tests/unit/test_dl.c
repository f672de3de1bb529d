/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_dl.c - optional libraries opened when used (sim/core/dl.h): a missing
 * library and a missing symbol say why; the environment switch makes the
 * load fail as on a machine without the library; and with CBC unloadable
 * (CCS_NO_CBC=1, set before the first use) the roster says so for
 * CCS_ROSTER_MIP_CBC and solves with GLPK alone by default. Its own
 * executable: the library is loaded once per process.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ccs/roster.h"
#include "core/dl.h"

#include <stdlib.h>
#include <string.h>

static void test_open_missing(void **state)
{
    (void)state;
    char why[256];
    assert_null(ccs__dl_open("libccs-no-such-library.so.9", NULL, why, sizeof why));
    assert_non_null(strstr(why, "libccs-no-such-library.so.9"));
    /* the switch, set or not */
    setenv("CCS_TEST_NO_LIBC", "1", 1);
    assert_null(ccs__dl_open("libc.so.6", "CCS_TEST_NO_LIBC", why, sizeof why));
    assert_string_equal(why, "libc.so.6: not loaded, CCS_TEST_NO_LIBC is set");
    setenv("CCS_TEST_NO_LIBC", "0", 1);
    assert_non_null(ccs__dl_open("libc.so.6", "CCS_TEST_NO_LIBC", why, sizeof why));
    unsetenv("CCS_TEST_NO_LIBC");
}

static void test_symbols(void **state)
{
    (void)state;
    char why[256];
    void *lib = ccs__dl_open("libc.so.6", NULL, why, sizeof why);
    assert_non_null(lib);
    size_t (*len)(const char *) = NULL;
    assert_true(ccs__dl_sym(lib, "strlen", &len, sizeof len, why, sizeof why));
    assert_int_equal(len("four"), 4);
    assert_false(ccs__dl_sym(lib, "ccs_no_such_function", &len, sizeof len, why, sizeof why));
    assert_string_equal(why, "symbol ccs_no_such_function not found in the library");
}

static void test_roster_without_cbc(void **state)
{
    (void)state;
    assert_false(ccs_roster_have_cbc());
    const char *why = ccs_roster_cbc_error();
    assert_non_null(why);
    /* built with CBC: the switch is named; built without: the build is */
    assert_true(strstr(why, "CCS_NO_CBC is set") != NULL ||
                strstr(why, "built without CBC") != NULL);

    struct ccs_roster_grid grid = {1, 8, 15, 8 * 60, false};
    struct ccs_roster_problem *p;
    struct ccs_diag d;
    ccs_diag_clear(&d);
    assert_int_equal(ccs_roster_problem_new(&grid, &p, &d), 0);
    uint32_t g;
    assert_int_equal(ccs_roster_add_group(p, "g", CCS_ROSTER_UNLIMITED, &g, &d), 0);
    uint32_t need[8] = {1, 2, 2, 1, 1, 2, 2, 1};
    assert_int_equal(ccs_roster_set_required(p, g, need, &d), 0);
    struct ccs_roster_template t = ccs_roster_template_default();
    t.name = "four";
    t.start_first = 0;
    t.start_last = 4;
    t.n_lengths = 1;
    t.lengths[0] = 4;
    t.cost_per_hour = 20;
    assert_int_equal(ccs_roster_add_template(p, &t, NULL, &d), 0);

    struct ccs_roster_opts o = ccs_roster_opts_default();
    struct ccs_roster *r = NULL;
    o.mip = CCS_ROSTER_MIP_CBC;
    assert_int_equal(ccs_roster_solve(p, &o, &r, &d), CCS_EUNSUPPORTED);
    assert_non_null(strstr(d.msg, "roster: no CBC: "));
    assert_non_null(strstr(d.msg, why));

    ccs_diag_clear(&d);
    o.mip = CCS_ROSTER_MIP_AUTO;
    assert_int_equal(ccs_roster_solve(p, &o, &r, &d), 0);
    assert_string_equal(r->solver, "GLPK");
    assert_true(r->status == CCS_ROSTER_OPTIMAL || r->status == CCS_ROSTER_GAP);
    ccs_roster_free(r);
    ccs_roster_problem_free(p);
}

int main(void)
{
    /* before anything asks for CBC: it is loaded (or not) once */
    setenv("CCS_NO_CBC", "1", 1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_open_missing),
        cmocka_unit_test(test_symbols),
        cmocka_unit_test(test_roster_without_cbc),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
