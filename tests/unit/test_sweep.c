/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_sweep.c - sweeps (include/ccs/sweep.h): the grid's expansion and
 * columns; seeds that depend only on (seed, the point's overrides) and not
 * on how they were written; results independent of the order tasks finish
 * in and of the number of threads (fixed counts, precision targets, a
 * baseline); the journal (resume, torn last line, another sweep's journal);
 * compare's statistics from values equal to compare's own; located errors;
 * CSV quoting. Tiny scenarios: these run under AddressSanitizer in CI.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ccs/ccs.h"
#include "support.h"

#include <math.h>
#include <string.h>
#include <sys/stat.h>

static const char tiny[] = "name: tiny\n"
                           "seed: 7\n"
                           "replications: 4\n"
                           "horizon: 2h\n"
                           "interval: 1h\n"
                           "queues:\n"
                           "  - id: q\n"
                           "    sla: {target: 80%, within: 20s}\n"
                           "    arrivals: {rate: 120/h}\n"
                           "    handle_time: {dist: exponential, mean: 3m}\n"
                           "    patience: {dist: exponential, mean: 2m}\n"
                           "groups:\n"
                           "  - id: team\n"
                           "    agents: 5\n"
                           "    skills: [q]\n"
                           "  - id: other\n"
                           "    agents: 2\n"
                           "    skills: [q]\n"
                           "routing: {policy: acd}\n";

/* The scenario file every test uses, written once. */
static char *scenario_path;

static int setup(void **state)
{
    (void)state;
    scenario_path = write_temp(tiny, ".yaml");
    return scenario_path == NULL;
}

static int teardown(void **state)
{
    (void)state;
    unlink(scenario_path);
    free(scenario_path);
    return 0;
}

/* A sweep plan of the tiny scenario with these grids and points (NULL-terminated lists). */
static struct ccs_sweep_plan *make(const char *const *grids, const char *const *points,
                                   struct ccs_diag *d)
{
    struct ccs_sweep_plan *s = ccs_sweep_plan_new();
    assert_non_null(s);
    ccs_diag_clear(d);
    assert_int_equal(ccs_sweep_plan_set_scenario(s, scenario_path, d), 0);
    for (size_t i = 0; grids != NULL && grids[i] != NULL; i++)
        assert_int_equal(ccs_sweep_plan_add_grid(s, grids[i], "--grid", d), 0);
    for (size_t i = 0; points != NULL && points[i] != NULL; i++)
        assert_int_equal(ccs_sweep_plan_add_point(s, points[i], "--point", d), 0);
    return s;
}

/* The plans behind the sweeps prepare_ok made, freed with them (done). */
static struct {
    struct ccs_sweep *s;
    struct ccs_sweep_plan *plan;
} made[8];

/* Prepare the plan and start a sweep of it. */
static struct ccs_sweep *prepare_ok(struct ccs_sweep_plan *plan)
{
    struct ccs_diag d;
    ccs_diag_clear(&d);
    int rc = ccs_sweep_plan_prepare(plan, &d);
    if (rc != 0)
        fprintf(stderr, "%s\n", d.msg);
    assert_int_equal(rc, 0);
    struct ccs_sweep *s;
    assert_int_equal(ccs_sweep_new(ccs_sweep_plan_design(plan), &s, &d), 0);
    size_t i = 0;
    while (made[i].s != NULL)
        i++;
    assert_true(i < sizeof made / sizeof made[0]);
    made[i].s = s;
    made[i].plan = plan;
    return s;
}

/* Free a sweep and its plan. */
static void done(struct ccs_sweep *s)
{
    for (size_t i = 0; i < sizeof made / sizeof made[0]; i++)
        if (made[i].s == s) {
            ccs_sweep_free(s);
            ccs_sweep_plan_free(made[i].plan);
            made[i].s = NULL;
            return;
        }
    fail_msg("not a sweep of prepare_ok");
}

static const char *const grid2[] = {"groups.team.agents=4,5", "groups.other.agents=1,2,3", NULL};

static void test_grid_expansion(void **state)
{
    (void)state;
    struct ccs_diag d;
    static const char *const pts[] = {"x:groups.team.agents=7", "plain", NULL};
    struct ccs_sweep *s = prepare_ok(make(grid2, pts, &d));
    assert_int_equal(ccs_sweep_point_count(s), 8);
    assert_int_equal(ccs_sweep_column_count(s), 2);
    assert_string_equal(ccs_sweep_column(s, 0), "groups.team.agents");
    assert_string_equal(ccs_sweep_column(s, 1), "groups.other.agents");
    /* the first path varies slowest */
    static const char *const team[] = {"4", "4", "4", "5", "5", "5", "7", "5"};
    static const char *const other[] = {"1", "2", "3", "1", "2", "3", "2", "2"};
    for (size_t p = 0; p < 8; p++) {
        assert_string_equal(ccs_sweep_point_value(s, p, 0), team[p]);
        assert_string_equal(ccs_sweep_point_value(s, p, 1), other[p]);
    }
    assert_string_equal(ccs_sweep_point_name(s, 0), "g0");
    assert_string_equal(ccs_sweep_point_name(s, 5), "g5");
    assert_string_equal(ccs_sweep_point_name(s, 6), "x");
    assert_string_equal(ccs_sweep_point_key(s, 4), "groups.other.agents=2\ngroups.team.agents=5\n");
    assert_string_equal(ccs_sweep_point_key(s, 7), "");
    assert_int_equal(ccs_sweep_replications(s), 4);
    assert_int_equal(ccs_sweep_streams(s), CCS_STREAMS_INDEPENDENT);
    done(s);
}

static void test_seeds(void **state)
{
    (void)state;
    struct ccs_diag d;
    /* the same overrides in another order, and as a grid point: one key, one seed */
    static const char *const pts[] = {"a:groups.team.agents=4,groups.other.agents=1",
                                      "b:groups.other.agents=1,groups.team.agents=4", NULL};
    struct ccs_sweep *s = prepare_ok(make(grid2, pts, &d));
    assert_string_equal(ccs_sweep_point_key(s, 6), ccs_sweep_point_key(s, 7));
    assert_true(ccs_sweep_point_seed(s, 6) == ccs_sweep_point_seed(s, 7));
    assert_true(ccs_sweep_point_seed(s, 0) == ccs_sweep_point_seed(s, 6));
    for (size_t p = 1; p < 6; p++)
        for (size_t q = 0; q < p; q++)
            assert_true(ccs_sweep_point_seed(s, p) != ccs_sweep_point_seed(s, q));
    uint64_t g3 = ccs_sweep_point_seed(s, 3);
    done(s);

    /* a sweep file saying the same gives the same seeds and the same identity */
    struct ccs_sweep *cli = prepare_ok(make(grid2, NULL, &d));
    char text[512];
    snprintf(text, sizeof text,
             "scenario: %s\ngrid:\n  groups.team.agents: [4, 5]\n"
             "  groups.other.agents: [1, 2, 3]\n",
             scenario_path);
    char *file = write_temp(text, ".yaml");
    assert_true(ccs_sweep_file_probe(file));
    assert_false(ccs_sweep_file_probe(scenario_path));
    struct ccs_sweep_plan *fplan = ccs_sweep_plan_new();
    assert_int_equal(ccs_sweep_plan_load_file(fplan, file, &d), 0);
    struct ccs_sweep *fs = prepare_ok(fplan);
    assert_int_equal(ccs_sweep_point_count(fs), 6);
    for (size_t p = 0; p < 6; p++)
        assert_true(ccs_sweep_point_seed(fs, p) == ccs_sweep_point_seed(cli, p));
    assert_true(ccs_sweep_point_seed(fs, 3) == g3);
    assert_string_equal(ccs_sweep_identity(fs), ccs_sweep_identity(cli));
    unlink(file);
    free(file);
    done(fs);

    /* another seed: other streams; common streams: the seed itself */
    done(cli);
    struct ccs_sweep_plan *plan = make(grid2, NULL, &d);
    ccs_sweep_plan_set_seed(plan, 8);
    cli = prepare_ok(plan);
    assert_true(ccs_sweep_point_seed(cli, 3) != g3);
    done(cli);
    plan = make(grid2, NULL, &d);
    ccs_sweep_plan_set_streams(plan, CCS_STREAMS_COMMON);
    cli = prepare_ok(plan);
    for (size_t p = 0; p < 6; p++)
        assert_true(ccs_sweep_point_seed(cli, p) == 7);
    done(cli);
}

/* Every statistic of two finished sweeps is the same, bit for bit. */
static void assert_same_results(const struct ccs_sweep *a, const struct ccs_sweep *b)
{
    assert_true(ccs_sweep_finished(a));
    assert_true(ccs_sweep_finished(b));
    assert_int_equal(ccs_sweep_point_count(a), ccs_sweep_point_count(b));
    for (size_t p = 0; p < ccs_sweep_point_count(a); p++) {
        assert_int_equal(ccs_sweep_point_replications(a, p), ccs_sweep_point_replications(b, p));
        assert_int_equal(ccs_sweep_point_rows(a, p), ccs_sweep_point_rows(b, p));
        assert_int_equal(ccs_sweep_point_met(a, p), ccs_sweep_point_met(b, p));
        for (size_t i = 0; i < ccs_sweep_point_rows(a, p); i++) {
            struct ccs_sweep_row x, y;
            ccs_sweep_point_row(a, p, i, &x);
            ccs_sweep_point_row(b, p, i, &y);
            assert_int_equal(x.key.scope, y.key.scope);
            assert_int_equal(x.key.kpi, y.key.kpi);
            assert_int_equal(x.key.queue, y.key.queue);
            assert_int_equal(x.key.segment, y.key.segment);
            assert_int_equal(x.key.group, y.key.group);
            double xs[] = {x.n, x.mean, x.halfwidth, x.diff_n, x.diff, x.diff_halfwidth};
            double ys[] = {y.n, y.mean, y.halfwidth, y.diff_n, y.diff, y.diff_halfwidth};
            for (size_t k = 0; k < 6; k++)
                assert_true((isnan(xs[k]) && isnan(ys[k])) ||
                            memcmp(&xs[k], &ys[k], sizeof xs[k]) == 0);
            assert_int_equal(x.verdict, y.verdict);
        }
    }
}

/* Run every task on this thread, in task order. */
static void run_in_order(struct ccs_sweep *s)
{
    struct ccs_diag d;
    ccs_diag_clear(&d);
    double *v = malloc(ccs_sweep_run_size(s) * sizeof *v);
    struct ccs_sweep_task t;
    int r;
    while ((r = ccs_sweep_next(s, &t)) != CCS_SWEEP_DONE) {
        assert_int_equal(r, CCS_SWEEP_TASK);
        assert_int_equal(ccs_sweep_task_run(s, &t, v, &d), 0);
        assert_int_equal(ccs_sweep_done(s, &t, v, &d), 0);
    }
    free(v);
}

/* Take every task available, run them, and hand the results back last first. */
static void run_scrambled(struct ccs_sweep *s)
{
    struct ccs_diag d;
    ccs_diag_clear(&d);
    size_t n = ccs_sweep_run_size(s), cap = 0, k;
    double *vals = NULL;
    struct ccs_sweep_task *tasks = NULL;
    for (;;) {
        struct ccs_sweep_task t;
        k = 0;
        int r;
        while ((r = ccs_sweep_next(s, &t)) == CCS_SWEEP_TASK) {
            if (k == cap) {
                cap = cap ? 2 * cap : 16;
                tasks = realloc(tasks, cap * sizeof *tasks);
                vals = realloc(vals, cap * n * sizeof *vals);
            }
            tasks[k] = t;
            assert_int_equal(ccs_sweep_task_run(s, &t, &vals[k * n], &d), 0);
            k++;
        }
        if (r == CCS_SWEEP_DONE)
            break;
        assert_true(k > 0); /* WAIT with nothing in flight would be a deadlock */
        while (k-- > 0)
            assert_int_equal(ccs_sweep_done(s, &tasks[k], &vals[k * n], &d), 0);
    }
    free(tasks);
    free(vals);
}

static struct ccs_sweep *variant_sweep(int kind)
{
    struct ccs_diag d;
    static const char *const pts[] = {"base", NULL};
    struct ccs_sweep_plan *s = make(grid2, kind >= 2 ? pts : NULL, &d);
    if (kind >= 1) {
        struct ccs_precision p;
        assert_int_equal(ccs_precision_parse("service_level=4%", "--precision", &p, &d), 0);
        assert_int_equal(ccs_sweep_plan_add_target(s, &p, &d), 0);
        ccs_sweep_plan_set_max_replications(s, 40);
    }
    if (kind >= 2)
        assert_int_equal(ccs_sweep_plan_set_baseline(s, "base", &d), 0);
    return prepare_ok(s);
}

static void test_order_independence(void **state)
{
    (void)state;
    for (int kind = 0; kind < 3; kind++) { /* fixed count; targets; targets and a baseline */
        struct ccs_sweep *a = variant_sweep(kind), *b = variant_sweep(kind);
        run_in_order(a);
        run_scrambled(b);
        assert_same_results(a, b);
        if (kind == 2) {
            /* paired: the baseline row says so, the others have differences */
            struct ccs_sweep_row r;
            ccs_sweep_point_row(a, 6, 0, &r);
            assert_int_equal(r.verdict, CCS_VERDICT_BASELINE);
            assert_true(r.diff == 0);
            ccs_sweep_point_row(a, 0, 0, &r);
            assert_false(isnan(r.diff));
        }
        if (kind >= 1) {
            /* the sequential rule: the count is the first one that meets the target */
            for (size_t p = 0; p < 6; p++) {
                uint32_t n = ccs_sweep_point_replications(a, p);
                assert_true(n >= 10 && n <= 40);
                if (ccs_sweep_point_met(a, p))
                    assert_true(ccs_sweep_point_achieved(a, p, 0) <= 0.04);
            }
        }
        done(a);
        done(b);
    }
}

static void test_threads(void **state)
{
    (void)state;
    struct ccs_sweep *a = variant_sweep(2), *b = variant_sweep(2);
    struct ccs_diag d;
    ccs_diag_clear(&d);
    struct ccs_sweep_exec one = {1, NULL, NULL, 0}, three = {3, NULL, NULL, 0};
    assert_int_equal(ccs_sweep_run(a, &one, &d), 0);
    assert_int_equal(ccs_sweep_run(b, &three, &d), 0);
    assert_same_results(a, b);
    done(a);
    done(b);
}

static void test_journal(void **state)
{
    (void)state;
    char dir[] = "/tmp/ccs-sweep-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[64];
    snprintf(path, sizeof path, "%s/sweep.partial", dir);
    struct ccs_diag d;
    ccs_diag_clear(&d);
    size_t resumed;
    bool replaced;

    struct ccs_sweep *full = variant_sweep(2), *ref = variant_sweep(2);
    run_in_order(ref);
    assert_int_equal(ccs_sweep_journal_open(full, path, &resumed, &replaced, &d), 0);
    assert_int_equal(resumed, 0);
    assert_false(replaced);
    run_in_order(full);
    assert_same_results(full, ref);

    /* a second sweep cannot write it while the first holds it */
    struct ccs_sweep *again = variant_sweep(2);
    assert_int_equal(ccs_sweep_journal_open(again, path, &resumed, &replaced, &d), CCS_ESTATE);
    done(full);

    /* everything read back: the same numbers, nothing left to run */
    ccs_diag_clear(&d);
    assert_int_equal(ccs_sweep_journal_open(again, path, &resumed, &replaced, &d), 0);
    assert_int_equal(resumed, 7);
    assert_true(ccs_sweep_finished(again));
    struct ccs_sweep_task t;
    assert_int_equal(ccs_sweep_next(again, &t), CCS_SWEEP_DONE);
    assert_same_results(ref, again);
    done(again);

    /* a torn last line is cut off; the rest resumes and finishes the same */
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(truncate(path, st.st_size - 7), 0);
    again = variant_sweep(2);
    assert_int_equal(ccs_sweep_journal_open(again, path, &resumed, &replaced, &d), 0);
    assert_int_equal(resumed, 6);
    assert_false(ccs_sweep_finished(again));
    run_scrambled(again);
    assert_same_results(ref, again);
    assert_int_equal(ccs_sweep_journal_remove(again, &d), 0);
    assert_int_not_equal(stat(path, &st), 0);
    done(again);

    /* another sweep's journal is never resumed from */
    struct ccs_sweep *other = variant_sweep(1);
    assert_int_equal(ccs_sweep_journal_open(other, path, &resumed, &replaced, &d), 0);
    run_in_order(other);
    done(other);
    again = variant_sweep(2);
    assert_int_equal(ccs_sweep_journal_open(again, path, &resumed, &replaced, &d), 0);
    assert_int_equal(resumed, 0);
    assert_true(replaced);
    assert_int_equal(ccs_sweep_journal_remove(again, &d), 0);
    done(again);
    done(ref);
    rmdir(dir);
}

/* ccs_compare_from_values on values run by hand = ccs_compare_run, bit for bit. */
/* The raw outputs of two finished sweeps are the same, bit for bit. */
static void assert_same_outputs(const struct ccs_sweep *a, const struct ccs_sweep *b)
{
    for (size_t p = 0; p < ccs_sweep_point_count(a); p++) {
        const struct ccs_layout *l = ccs_scenario_layout(ccs_sweep_point_scenario(a, p));
        for (uint32_t r = 0; r < ccs_sweep_point_replications(a, p); r++)
            for (size_t k = 0; k < l->n_whole; k++) {
                double x = ccs_sweep_point_rep_value(a, p, r, k);
                double y = ccs_sweep_point_rep_value(b, p, r, k);
                assert_true((isnan(x) && isnan(y)) || memcmp(&x, &y, sizeof x) == 0);
            }
        assert_true(isnan(ccs_sweep_point_rep_value(a, p, ccs_sweep_point_replications(a, p), 0)));
        for (size_t k = l->n_whole; k < l->n; k++) {
            double xm, xh, ym, yh;
            ccs_sweep_point_interval(a, p, k, &xm, &xh);
            ccs_sweep_point_interval(b, p, k, &ym, &yh);
            assert_true((isnan(xm) && isnan(ym)) || memcmp(&xm, &ym, sizeof xm) == 0);
            assert_true((isnan(xh) && isnan(yh)) || memcmp(&xh, &yh, sizeof xh) == 0);
        }
    }
}

/* With a journal, finished points are read back from it: the same numbers as
   a sweep holding them in memory, still after the journal is removed; a
   record that cannot be read back is an error, never a silent empty row. */
static void test_streamed(void **state)
{
    (void)state;
    char dir[] = "/tmp/ccs-sweep-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[64];
    snprintf(path, sizeof path, "%s/sweep.partial", dir);
    struct ccs_diag d;
    ccs_diag_clear(&d);
    size_t resumed;
    bool replaced;
    const unsigned outs = CCS_SWEEP_OUT_REPLICATIONS | CCS_SWEEP_OUT_INTERVALS;

    struct ccs_sweep *ref = variant_sweep(2), *full = variant_sweep(2);
    assert_int_equal(ccs_sweep_set_outputs(ref, outs), 0);
    assert_int_equal(ccs_sweep_set_outputs(full, outs), 0);
    assert_int_equal(ccs_sweep_outputs(full), outs);
    run_scrambled(ref);
    assert_int_equal(ccs_sweep_set_outputs(ref, 0), CCS_ESTATE); /* too late */
    assert_int_equal(ccs_sweep_journal_open(full, path, &resumed, &replaced, &d), 0);
    run_in_order(full);
    assert_same_results(full, ref);
    assert_same_outputs(full, ref);
    assert_int_equal(ccs_sweep_journal_remove(full, &d), 0);
    assert_same_results(full, ref);
    assert_same_outputs(ref, full);
    assert_int_equal(ccs_sweep_read_status(full, &d), 0);
    done(full);

    /* resumed from a journal kept with the outputs: the same outputs */
    full = variant_sweep(2);
    assert_int_equal(ccs_sweep_set_outputs(full, outs), 0);
    assert_int_equal(ccs_sweep_journal_open(full, path, &resumed, &replaced, &d), 0);
    run_in_order(full);
    done(full); /* the journal stays: a sweep not told to remove it */
    full = variant_sweep(2);
    assert_int_equal(ccs_sweep_set_outputs(full, outs), 0);
    assert_int_equal(ccs_sweep_journal_open(full, path, &resumed, &replaced, &d), 0);
    assert_int_equal(resumed, 7);
    assert_same_outputs(full, ref);
    done(full);

    /* ... but one kept without them is not resumed from */
    full = variant_sweep(2);
    assert_int_equal(ccs_sweep_journal_open(full, path, &resumed, &replaced, &d), 0);
    assert_int_equal(resumed, 0);
    assert_true(replaced);
    run_in_order(full);

    /* the journal changed under the sweep: reading back fails, and says so */
    FILE *f = fopen(path, "r+");
    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    long size = ftell(f);
    for (long i = 200; i < size - 1; i += 50) {
        fseek(f, i, SEEK_SET);
        fputc('9', f);
    }
    fclose(f);
    struct ccs_sweep_row r;
    ccs_sweep_point_row(full, 1, 0, &r);
    assert_true(isnan(r.mean));
    ccs_diag_clear(&d);
    assert_int_equal(ccs_sweep_read_status(full, &d), CCS_EIO);
    assert_non_null(strstr(d.msg, "sweep.partial: error: cannot read the journal back: a record "
                                  "changed since it was written"));
    assert_int_equal(ccs_sweep_journal_remove(full, &d), 0);
    done(full);
    done(ref);
    unlink(path);
    rmdir(dir);
}

static void test_compare_from_values(void **state)
{
    (void)state;
    struct ccs_diag d;
    ccs_diag_clear(&d);
    struct ccs_scenario *a, *b;
    struct ccs_override ov;
    char buf[64];
    assert_int_equal(ccs_scenario_load(scenario_path, NULL, 0, &a, &d), 0);
    assert_int_equal(ccs_override_parse("groups.team.agents=6", "--set", buf, sizeof buf, &ov, &d),
                     0);
    assert_int_equal(ccs_scenario_derive(a, &ov, 1, &b, &d), 0);
    struct ccs_variant v[2] = {{"baseline", a, NULL}, {"more", b, NULL}};
    struct ccs_compare_opts o = ccs_compare_opts_default(a);
    o.replications = 5;
    struct ccs_compare *ran, *given;
    assert_int_equal(ccs_compare_run(v, 2, &o, &ran, &d), 0);
    const struct ccs_scenario *sc[2] = {a, b};
    double *rows[2];
    for (int i = 0; i < 2; i++) {
        const struct ccs_layout *l = ccs_scenario_layout(sc[i]);
        double *one = malloc(l->n * sizeof *one);
        rows[i] = malloc(5 * l->n_whole * sizeof *rows[i]);
        struct ccs_summary *sum = ccs_summary_new(sc[i], 0.95, 0);
        for (uint32_t r = 0; r < 5; r++) {
            assert_int_equal(ccs_run_one(sc[i], o.seed, r, sum, one, &d), 0);
            memcpy(&rows[i][r * l->n_whole], one, l->n_whole * sizeof *one);
        }
        ccs_summary_free(sum);
        free(one);
    }
    const double *const crows[2] = {rows[0], rows[1]};
    assert_int_equal(ccs_compare_from_values(v, 2, crows, 5, &o, &given, &d), 0);
    size_t nw = ccs_scenario_layout(a)->n_whole;
    assert_int_equal(ccs_compare_key_count(given), nw);
    for (size_t k = 0; k < nw; k++) {
        struct ccs_compare_stat x, y;
        ccs_compare_get(ran, 1, k, &x);
        ccs_compare_get(given, 1, k, &y);
        assert_int_equal(x.present, y.present);
        assert_int_equal(x.verdict, y.verdict);
        assert_true((isnan(x.diff) && isnan(y.diff)) || x.diff == y.diff);
        assert_true((isnan(x.diff_halfwidth) && isnan(y.diff_halfwidth)) ||
                    x.diff_halfwidth == y.diff_halfwidth);
        assert_true((isnan(x.mean) && isnan(y.mean)) || x.mean == y.mean);
    }
    /* what it refuses */
    struct ccs_compare *bad;
    assert_int_equal(ccs_compare_from_values(v, 2, crows, 0, &o, &bad, &d), CCS_EINVAL);
    ccs_compare_free(ran);
    ccs_compare_free(given);
    free(rows[0]);
    free(rows[1]);
    ccs_scenario_free(b);
    ccs_scenario_free(a);
}

/* The message of a failing prepare, the temporary path cut to "F". */
static const char *prepare_error(struct ccs_sweep_plan *s, const char *file)
{
    static char msg[1024];
    struct ccs_diag d;
    ccs_diag_clear(&d);
    assert_int_not_equal(ccs_sweep_plan_prepare(s, &d), 0);
    const char *m = d.msg;
    if (file != NULL && strncmp(m, file, strlen(file)) == 0)
        snprintf(msg, sizeof msg, "F%s", m + strlen(file));
    else
        snprintf(msg, sizeof msg, "%s", m);
    return msg;
}

static void test_errors(void **state)
{
    (void)state;
    struct ccs_diag d;
    /* bad values in a grid, from the command line: located by column */
    static const char *const bad[] = {"groups.team.agents=4,-1", NULL};
    struct ccs_sweep_plan *s = make(bad, NULL, &d);
    assert_string_equal(prepare_error(s, NULL),
                        "--grid:1:22: error: 'agents' must be a positive whole number, got '-1'");
    ccs_sweep_plan_free(s);
    s = ccs_sweep_plan_new();
    ccs_diag_clear(&d);
    assert_int_equal(ccs_sweep_plan_add_grid(s, "groups.team.agents=4,,5", "--grid", &d),
                     CCS_EINVAL);
    assert_string_equal(d.msg,
                        "--grid:1:22: error: empty value (expected V1,V2,... separated by commas)");
    ccs_sweep_plan_free(s);

    /* in a sweep file: at the line and column of the key or value */
    char text[512];
    snprintf(text, sizeof text,
             "scenario: %s\n"
             "grid:\n"
             "  groups.team.agnets: [4, 5]\n",
             scenario_path);
    char *file = write_temp(text, ".yaml");
    s = ccs_sweep_plan_new();
    assert_int_equal(ccs_sweep_plan_load_file(s, file, &d), 0);
    assert_string_equal(prepare_error(s, file),
                        "F:3:15: error: unknown key 'agnets' in group; did you mean 'agents'?");
    ccs_sweep_plan_free(s);
    unlink(file);
    free(file);
    snprintf(text, sizeof text,
             "scenario: %s\n"
             "points:\n"
             "  - {name: a}\n"
             "  - {name: a, set: {groups.team.agents: 3}}\n"
             "baseline: a\n",
             scenario_path);
    file = write_temp(text, ".yaml");
    s = ccs_sweep_plan_new();
    assert_int_equal(ccs_sweep_plan_load_file(s, file, &d), 0);
    assert_string_equal(prepare_error(s, file), "F:4:12: error: duplicate point name 'a'");
    ccs_sweep_plan_free(s);
    unlink(file);
    free(file);
    snprintf(text, sizeof text, "scenario: %s\npoints: [{name: a}]\nstreams: some\n",
             scenario_path);
    file = write_temp(text, ".yaml");
    s = ccs_sweep_plan_new();
    ccs_diag_clear(&d);
    assert_int_not_equal(ccs_sweep_plan_load_file(s, file, &d), 0);
    assert_non_null(strstr(d.msg, ":3:10: error: "));
    ccs_sweep_plan_free(s);
    unlink(file);
    free(file);

    /* a target no point measures; a baseline that is no point */
    s = make(grid2, NULL, &d);
    struct ccs_precision p;
    assert_int_equal(ccs_precision_parse("queue:nope:asa=2s", "--precision", &p, &d), 0);
    assert_int_equal(ccs_sweep_plan_add_target(s, &p, &d), 0);
    assert_string_equal(prepare_error(s, NULL),
                        "--precision: error: 'queue:nope:asa': point 'g0' has no such queue");
    ccs_sweep_plan_free(s);
    s = make(grid2, NULL, &d);
    assert_int_equal(ccs_sweep_plan_set_baseline(s, "g6", &d), 0);
    assert_string_equal(prepare_error(s, NULL),
                        "--baseline: error: no point named 'g6' for the baseline (give a point "
                        "name, or an index from 0 to 5)");
    ccs_sweep_plan_free(s);
}

static void test_csv(void **state)
{
    (void)state;
    struct ccs_diag d;
    /* a swept path named like one of our columns, and a value with a comma */
    static const char *const pts[] = {"a:name=\"x, y\"", NULL};
    struct ccs_sweep_plan *plan = make(NULL, pts, &d);
    ccs_sweep_plan_set_replications(plan, 2);
    struct ccs_sweep *s = prepare_ok(plan);
    run_in_order(s);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    assert_int_equal(ccs_report_sweep_csv(f, s), 0);
    fclose(f);
    assert_int_equal(strncmp(buf, "point,name,set.name,scope,", 26), 0);
    assert_non_null(strstr(buf, "\n0,a,\"x, y\",overall,,,,offered,count,2,2,"));
    free(buf);
    done(s);
}

/* The base scenario given as text gives the same sweep, byte for byte, as
   the file it came from; its errors are located in the origin named. */
static void test_scenario_text(void **state)
{
    (void)state;
    struct ccs_diag d;
    char *csv[2] = {NULL, NULL};
    for (int k = 0; k < 2; k++) {
        struct ccs_sweep_plan *plan = k == 0 ? make(grid2, NULL, &d) : ccs_sweep_plan_new();
        if (k == 1) {
            assert_int_equal(ccs_sweep_plan_set_scenario_text(plan, NULL, tiny, strlen(tiny), &d),
                             0);
            for (size_t i = 0; grid2[i] != NULL; i++)
                assert_int_equal(ccs_sweep_plan_add_grid(plan, grid2[i], "--grid", &d), 0);
        }
        ccs_sweep_plan_set_replications(plan, 2);
        struct ccs_sweep *s = prepare_ok(plan);
        run_in_order(s);
        size_t len = 0;
        FILE *f = open_memstream(&csv[k], &len);
        assert_int_equal(ccs_report_sweep_csv(f, s), 0);
        fclose(f);
        if (k == 1)
            assert_string_equal(ccs_scenario_origin(ccs_sweep_base(s)), "<string>");
        done(s);
    }
    assert_string_equal(csv[0], csv[1]);
    free(csv[0]);
    free(csv[1]);

    struct ccs_sweep_plan *plan = ccs_sweep_plan_new();
    static const char bad[] = "horizon: 1h\nqueues: [\n";
    ccs_diag_clear(&d);
    assert_int_equal(ccs_sweep_plan_set_scenario_text(plan, "mine", bad, strlen(bad), &d), 0);
    assert_int_equal(ccs_sweep_plan_add_grid(plan, "groups.team.agents=4,5", "--grid", &d), 0);
    assert_int_equal(ccs_sweep_plan_prepare(plan, &d), CCS_EPARSE);
    assert_int_equal(strncmp(d.msg, "mine:", 5), 0);
    ccs_sweep_plan_free(plan);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scenario_text),
        cmocka_unit_test(test_grid_expansion),
        cmocka_unit_test(test_seeds),
        cmocka_unit_test(test_order_independence),
        cmocka_unit_test(test_threads),
        cmocka_unit_test(test_journal),
        cmocka_unit_test(test_streamed),
        cmocka_unit_test(test_compare_from_values),
        cmocka_unit_test(test_errors),
        cmocka_unit_test(test_csv),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
