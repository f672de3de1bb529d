/*
 * test_api_example.c - the library example of README.md, compiled and run,
 * so the documented API cannot silently drift: the README shows the lines
 * between the markers below (scripts/doc_excerpts.py checks that), and this
 * test holds them to what they print.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <ccs/ccs.h>
#include <stdio.h>
#include <unistd.h>

/* The README's example, as a function; its printf goes into printed[]. */
static int readme_example(char *printed, size_t cap)
{
    /* the example's path is relative to the source tree, as for a reader there */
    if (chdir(CCS_SOURCE_DIR) != 0)
        return 3;
#define printf(...) snprintf(printed, cap, __VA_ARGS__)
    /* --- README.md "As a library" begins --- */
    struct ccs_diag d;
    struct ccs_scenario *sc;
    if (ccs_scenario_load("scenarios/default.yaml", NULL, 0, &sc, &d) != 0) {
        fprintf(stderr, "%s\n", d.msg);
        return 2;
    }
    struct ccs_run_opts o = ccs_run_opts_default(sc);
    struct ccs_summary *sum;
    ccs_run(sc, &o, &sum, &d);
    long k = ccs_layout_find(ccs_summary_layout(sum), CCS_SCOPE_QUEUE, CCS_KPI_service_level,
                             0, -1, -1, -1);
    printf("SL %.3f ± %.3f\n", ccs_summary_mean(sum, k), ccs_summary_halfwidth(sum, k));
    ccs_summary_free(sum);
    ccs_scenario_free(sc);
    /* --- ends --- */
#undef printf
    return 0;
}

static void test_readme(void **state)
{
    (void)state;
    char printed[128] = "";
    assert_int_equal(readme_example(printed, sizeof printed), 0);
    /* the first queue's (sales') service level over the default day, as
       `ccsim run scenarios/default.yaml` shows it: about 81% ± 1.4% */
    double sl = -1, hw = -1;
    assert_int_equal(sscanf(printed, "SL %lf ± %lf", &sl, &hw), 2);
    assert_true(sl > 0.75 && sl < 0.87);
    assert_true(hw > 0 && hw < 0.03);
}

int main(void)
{
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_readme)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
