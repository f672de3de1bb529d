/*
 * test_api_example.c - the library example of README.md, compiled and run,
 * so the documented API cannot silently drift.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ccs/ccs.h>
#include <stdio.h>

static int readme_example(void)
{
    /* --- README.md "As a library" begins --- */
    struct ccs_diag d;
    struct ccs_scenario *sc;
    if (ccs_scenario_load(CCS_SOURCE_DIR "/scenarios/default.yaml", NULL, 0, &sc, &d) != 0) {
        fprintf(stderr, "%s\n", d.msg);
        return 2;
    }
    struct ccs_run_opts o = ccs_run_opts_default(sc);
    struct ccs_summary *sum;
    ccs_run(sc, &o, &sum, &d);
    long k = ccs_layout_find(ccs_summary_layout(sum), CCS_SCOPE_QUEUE, CCS_KPI_service_level,
                             0, -1, -1, -1);
    printf("SL %.3f ± %.3f\n", ccs_summary_mean(sum, k), ccs_summary_halfwidth(sum, k));
    /* --- ends --- */
    int ok = k >= 0 && ccs_summary_mean(sum, k) > 0.5 && ccs_summary_halfwidth(sum, k) > 0;
    ccs_summary_free(sum);
    ccs_scenario_free(sc);
    return ok ? 0 : 1;
}

static void test_readme(void **state)
{
    (void)state;
    assert_int_equal(readme_example(), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_readme)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
