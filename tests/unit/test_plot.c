/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_plot.c - the parts behind charts and report.html: the CSV reader,
 * output transactions with a work directory and adopted files, finding and
 * running external programs (exit codes, working directory, time limit),
 * the default time-series step, and the report without gnuplot.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ccs/ccs.h"
#include "fmt/csvread.h"
#include "out/proc.h"
#include "support.h"

#include <dirent.h>
#include <math.h>
#include <sys/stat.h>
#include <time.h>

/* --- helpers -------------------------------------------------------------------------- */

static void rm_tree(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return;
    if (S_ISDIR(st.st_mode)) {
        DIR *d = opendir(path);
        struct dirent *e;
        while (d != NULL && (e = readdir(d)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            char sub[4096];
            snprintf(sub, sizeof sub, "%s/%s", path, e->d_name);
            rm_tree(sub);
        }
        if (d != NULL)
            closedir(d);
        rmdir(path);
    } else {
        unlink(path);
    }
}

/* A new empty directory; the caller frees the path (rm_tree, then free). */
static char *temp_dir(void)
{
    char *buf = malloc(32);
    assert_non_null(buf);
    snprintf(buf, 32, "/tmp/ccs-plot-XXXXXX");
    assert_non_null(mkdtemp(buf));
    return buf;
}

static void put(const char *dir, const char *name, const char *text)
{
    char path[8192];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

static bool exists(const char *dir, const char *name)
{
    char path[8192];
    struct stat st;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return lstat(path, &st) == 0;
}

/* Number of entries in dir (without . and ..), and whether one starts with '.'. */
static int entries(const char *dir, bool *hidden)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;
    *hidden = false;
    while (d != NULL && (e = readdir(d)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        n++;
        *hidden = *hidden || e->d_name[0] == '.';
    }
    if (d != NULL)
        closedir(d);
    return n;
}

/* --- CSV ------------------------------------------------------------------------------ */

static void test_csv_reads_quotes_blanks_and_short_rows(void **state)
{
    (void)state;
    char *dir = temp_dir();
    put(dir, "t.csv",
        "variant,scope,mean\r\n"
        "a,overall,1.5\n"
        "\n"
        "\"b, the second\",\"say \"\"hi\"\"\",\n"
        "\"multi\nline\",queue,2e3\n"
        "short\n");
    char path[4096];
    snprintf(path, sizeof path, "%s/t.csv", dir);
    struct ccs__csv c;
    struct ccs_diag d;
    assert_int_equal(ccs__csv_open(&c, path, &d), 0);
    int v = ccs__csv_col(&c, "variant"), s = ccs__csv_col(&c, "scope"),
        m = ccs__csv_col(&c, "mean");
    assert_int_equal(v, 0);
    assert_int_equal(m, 2); /* \r\n ends the header cleanly */
    assert_int_equal(ccs__csv_col(&c, "nope"), -1);

    assert_true(ccs__csv_next(&c));
    assert_string_equal(ccs__csv_get(&c, v), "a");
    assert_true(ccs__csv_num(&c, m) == 1.5);
    assert_true(ccs__csv_next(&c)); /* the blank line is skipped */
    assert_string_equal(ccs__csv_get(&c, v), "b, the second");
    assert_string_equal(ccs__csv_get(&c, s), "say \"hi\"");
    assert_true(isnan(ccs__csv_num(&c, m)));
    assert_true(ccs__csv_next(&c));
    assert_string_equal(ccs__csv_get(&c, v), "multi\nline");
    assert_true(ccs__csv_num(&c, m) == 2000);
    assert_true(ccs__csv_next(&c));
    assert_string_equal(ccs__csv_get(&c, v), "short");
    assert_string_equal(ccs__csv_get(&c, s), "");
    assert_string_equal(ccs__csv_get(&c, -1), "");
    assert_false(ccs__csv_next(&c));
    ccs__csv_close(&c);

    put(dir, "empty.csv", "");
    snprintf(path, sizeof path, "%s/empty.csv", dir);
    assert_int_equal(ccs__csv_open(&c, path, &d), CCS_EPARSE);
    snprintf(path, sizeof path, "%s/missing.csv", dir);
    assert_int_equal(ccs__csv_open(&c, path, &d), CCS_EIO);
    rm_tree(dir);
    free(dir);
}

/* --- output transactions with a work directory ------------------------------------------------ */

static void test_outdir_adopts_and_replaces_a_directory(void **state)
{
    (void)state;
    char *dir = temp_dir();
    struct ccs_diag d;
    for (int round = 0; round < 2; round++) {
        struct ccs_outdir *o;
        assert_int_equal(ccs_outdir_open(dir, &o, &d), 0);
        FILE *f = ccs_outdir_file(o, "report.html", &d);
        assert_non_null(f);
        fprintf(f, "round %d\n", round);
        const char *w = ccs_outdir_workdir(o, &d);
        assert_non_null(w);
        assert_ptr_equal(ccs_outdir_workdir(o, &d), w); /* created once */
        char charts[1024];
        snprintf(charts, sizeof charts, "%s/charts", w);
        assert_int_equal(mkdir(charts, 0777), 0);
        put(charts, round == 0 ? "a.png" : "b.png", "png");
        put(w, "scratch.csv", "x\n");
        assert_int_equal(ccs_outdir_adopt(o, "charts", "charts", &d), 0);
        assert_int_equal(ccs_outdir_commit(o, &d), 0);
    }
    char charts[1024];
    snprintf(charts, sizeof charts, "%s/charts", dir);
    assert_true(exists(charts, "b.png"));
    assert_false(exists(charts, "a.png")); /* replaced as a whole */
    bool hidden;
    assert_int_equal(entries(dir, &hidden), 2); /* report.html, charts */
    assert_false(hidden);                       /* no work directory, no temporaries */
    rm_tree(dir);
    free(dir);
}

static void test_outdir_abort_and_blocked_commit_leave_nothing(void **state)
{
    (void)state;
    char *dir = temp_dir();
    struct ccs_diag d;
    struct ccs_outdir *o;
    put(dir, "summary.csv", "old\n");

    /* abort: temporaries and the work directory go */
    assert_int_equal(ccs_outdir_open(dir, &o, &d), 0);
    assert_non_null(ccs_outdir_file(o, "summary.csv", &d));
    const char *w = ccs_outdir_workdir(o, &d);
    assert_non_null(w);
    put(w, "x.svg", "<svg/>");
    assert_int_equal(ccs_outdir_adopt(o, "x.svg", "x.svg", &d), 0);
    ccs_outdir_abort(o);
    bool hidden;
    assert_int_equal(entries(dir, &hidden), 1);
    assert_false(hidden);

    /* a file where the charts directory goes: fails before replacing anything */
    put(dir, "charts", "a file\n");
    assert_int_equal(ccs_outdir_open(dir, &o, &d), 0);
    FILE *f = ccs_outdir_file(o, "summary.csv", &d);
    fputs("new\n", f);
    w = ccs_outdir_workdir(o, &d);
    char charts[1024];
    snprintf(charts, sizeof charts, "%s/charts", w);
    assert_int_equal(mkdir(charts, 0777), 0);
    assert_int_equal(ccs_outdir_adopt(o, "charts", "charts", &d), 0);
    ccs_diag_clear(&d);
    assert_int_equal(ccs_outdir_commit(o, &d), CCS_EIO);
    assert_non_null(strstr(d.msg, "charts: error: cannot replace: exists and is not a directory"));
    char path[4096], buf[16] = "";
    snprintf(path, sizeof path, "%s/summary.csv", dir);
    FILE *g = fopen(path, "r");
    assert_non_null(g);
    assert_non_null(fgets(buf, sizeof buf, g));
    fclose(g);
    assert_string_equal(buf, "old\n");
    assert_int_equal(entries(dir, &hidden), 2);
    assert_false(hidden);

    /* adopting without a work directory is a bug of the caller */
    assert_int_equal(ccs_outdir_open(dir, &o, &d), 0);
    assert_int_equal(ccs_outdir_adopt(o, "x", "x", &d), CCS_ESTATE);
    ccs_outdir_abort(o);
    rm_tree(dir);
    free(dir);
}

/* --- external programs --------------------------------------------------------------------------- */

static void test_find_and_run_programs(void **state)
{
    (void)state;
    char *sh = ccs__find_program("sh");
    assert_non_null(sh);
    assert_non_null(strchr(sh, '/'));
    free(sh);
    assert_null(ccs__find_program("ccsim-no-such-program"));
    assert_null(ccs__find_program("/nonexistent/gnuplot"));
    assert_null(ccs__find_program("/tmp")); /* a directory is not a program */
    assert_null(ccs__find_program(""));

    char *t = ccs__find_program("true"), *f = ccs__find_program("false"),
         *touch = ccs__find_program("touch"), *sleep = ccs__find_program("sleep");
    assert_non_null(t);
    assert_non_null(f);
    assert_non_null(touch);
    assert_non_null(sleep);
    char *targv[] = {(char *)"true", NULL}, *fargv[] = {(char *)"false", NULL};
    assert_int_equal(ccs__run_program(t, targv, NULL, NULL, 10), 0);
    assert_int_equal(ccs__run_program(f, fargv, NULL, NULL, 10), 1);
    assert_int_equal(ccs__run_program("/nonexistent/x", targv, NULL, NULL, 10), -1);

    /* runs in the given directory; a relative name lands there */
    char *dir = temp_dir();
    char *touch_argv[] = {(char *)"touch", (char *)"made-here", NULL};
    assert_int_equal(ccs__run_program(touch, touch_argv, dir, NULL, 10), 0);
    assert_true(exists(dir, "made-here"));

    /* stderr goes to the file */
    char errp[4096];
    snprintf(errp, sizeof errp, "%s/err", dir);
    char *bad_argv[] = {(char *)"touch", (char *)"/nonexistent/dir/x", NULL};
    assert_int_equal(ccs__run_program(touch, bad_argv, dir, errp, 10), 1);
    struct stat st;
    assert_int_equal(stat(errp, &st), 0);
    assert_true(st.st_size > 0);

    /* the time limit kills it */
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    char *sleep_argv[] = {(char *)"sleep", (char *)"10", NULL};
    assert_int_equal(ccs__run_program(sleep, sleep_argv, NULL, NULL, 0.2), -2);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    assert_true((double)(t1.tv_sec - t0.tv_sec) < 5);

    free(t);
    free(f);
    free(touch);
    free(sleep);
    rm_tree(dir);
    free(dir);
}

/* --- plots ----------------------------------------------------------------------------------- */

#define SCENARIO(horizon)                                      \
    "name: t\n"                                                \
    "horizon: " horizon "\n"                                   \
    "interval: 30m\n"                                          \
    "replications: 2\n"                                        \
    "seed: 2026\n"                                             \
    "queues:\n"                                                \
    "  - id: sales\n"                                          \
    "    arrivals: {rate: 2/min}\n"                            \
    "    handle_time: {dist: exponential, mean: 3m}\n"         \
    "    patience: {dist: exponential, mean: 2m}\n"            \
    "groups:\n"                                                \
    "  - id: team\n"                                           \
    "    agents: 8\n"                                          \
    "    skills: [sales]\n"

static void test_sample_step_is_readable(void **state)
{
    (void)state;
    struct {
        const char *yaml;
        double step;
    } cases[] = {
        {SCENARIO("8h"), 120},     /* 28800 / 240 = 120 s */
        {SCENARIO("1h"), 15},      /* 15 s */
        {SCENARIO("1d"), 600},     /* 360 s -> 10 min */
        {SCENARIO("73d"), 43200},  /* 26280 s -> 12 h */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct ccs_scenario *sc = load_yaml_string(cases[i].yaml);
        assert_non_null(sc);
        assert_true(ccs_plot_sample_step(sc) == cases[i].step);
        ccs_scenario_free(sc);
    }
}

struct notes {
    int n;
    char last[600];
};

static void collect(void *ctx, const char *msg)
{
    struct notes *n = ctx;
    n->n++;
    snprintf(n->last, sizeof n->last, "%s", msg);
}

static void test_report_without_gnuplot(void **state)
{
    (void)state;
    struct ccs_scenario *sc = load_yaml_string(SCENARIO("2h"));
    assert_non_null(sc);
    struct ccs_run_opts ro = ccs_run_opts_default(sc);
    ro.sample_every = ccs_plot_sample_step(sc);
    struct ccs_summary *sum;
    struct ccs_diag d;
    assert_int_equal(ccs_run(sc, &ro, &sum, &d), 0);

    char *dir = temp_dir();
    struct notes notes = {0};
    struct ccs_plot_opts po = ccs_plot_opts_default();
    po.gnuplot = "/nonexistent/gnuplot";
    po.note = collect;
    po.note_ctx = &notes;
    struct ccs_outdir *o;
    assert_int_equal(ccs_outdir_open(dir, &o, &d), 0);
    assert_int_equal(ccs_report_write_files(o, sum, &d), 0);
    assert_int_equal(ccs_plot_run(o, sum, &po, &d), 0);
    assert_int_equal(ccs_outdir_commit(o, &d), 0);
    assert_int_equal(notes.n, 1);
    assert_string_equal(notes.last, "note: /nonexistent/gnuplot not found; charts skipped "
                                    "(install: apt-get install gnuplot-nox)");
    assert_true(exists(dir, "report.html"));
    assert_true(exists(dir, "timeseries.csv"));
    assert_false(exists(dir, "charts"));

    /* charts off: no gnuplot is looked for, no note */
    notes.n = 0;
    po.charts = false;
    assert_int_equal(ccs_plot_dir(dir, &po, &d), 0);
    assert_int_equal(notes.n, 0);
    bool hidden;
    assert_int_equal(entries(dir, &hidden), 7);
    assert_false(hidden);

    /* not a results directory */
    char *empty = temp_dir();
    ccs_diag_clear(&d);
    assert_int_equal(ccs_plot_dir(empty, &po, &d), CCS_ENOTFOUND);
    assert_non_null(strstr(d.msg, "not a ccsim results directory"));
    rm_tree(empty);
    free(empty);
    rm_tree(dir);
    free(dir);
    ccs_summary_free(sum);
    ccs_scenario_free(sc);
}

static int produce_compare(FILE *f, const void *arg)
{
    (void)arg;
    fputs("variant,scope,queue,segment,group,interval,metric,unit,n,mean,halfwidth,ci_low,"
          "ci_high,diff,diff_halfwidth,diff_ci_low,diff_ci_high,verdict\n"
          "a,overall,,,,,asa,seconds,5,10,1,9,11,0,0,0,0,baseline\n"
          "b,overall,,,,,asa,seconds,5,8,1,7,9,-2,0.5,-2.5,-1.5,better\n"
          "a,overall,,,,0,asa,seconds,5,10,1,9,11,0,0,0,0,baseline\n"
          "b,overall,,,,0,asa,seconds,5,8,1,7,9,-2,0.5,-2.5,-1.5,better\n"
          "a,overall,,,,1,asa,seconds,5,12,1,11,13,0,0,0,0,baseline\n"
          "b,overall,,,,1,asa,seconds,5,11,1,10,12,-1,0.5,-1.5,-0.5,better\n",
          f);
    return ferror(f) ? CCS_EIO : 0;
}

static void test_compare_report(void **state)
{
    (void)state;
    struct ccs_scenario *sc = load_yaml_string(SCENARIO("1h"));
    assert_non_null(sc);
    char *dir = temp_dir();
    struct ccs_diag d;
    struct notes notes = {0};
    struct ccs_plot_opts po = ccs_plot_opts_default();
    po.note = collect;
    po.note_ctx = &notes;
    char *gnuplot = ccs__find_program("gnuplot");
    po.charts = gnuplot != NULL;
    struct ccs_outdir *o;
    assert_int_equal(ccs_outdir_open(dir, &o, &d), 0);
    /* the baseline's summary: a comparison run with seed 99, not the scenario's */
    struct ccs_summary *base = ccs_summary_new(sc, 0.95, 0);
    assert_non_null(base);
    ccs_summary_set_seed(base, 99);
    assert_int_equal(ccs_plot_compare(o, base, produce_compare, NULL, &po, &d), 0);
    assert_int_equal(ccs_outdir_commit(o, &d), 0);
    assert_int_equal(notes.n, 0);
    char path[4096];
    snprintf(path, sizeof path, "%s/report.html", dir);
    size_t len = 0;
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    static char html[1 << 20];
    len = fread(html, 1, sizeof html - 1, f);
    html[len] = '\0';
    fclose(f);
    assert_non_null(strstr(html, "baseline <b>a</b>"));
    assert_non_null(strstr(html, "<td class=\"better\">better</td>"));
    assert_non_null(strstr(html, "-2.00 s &plusmn;&nbsp;0.50 s"));
    /* the seed the comparison ran with, not the scenario's 2026 */
    assert_non_null(strstr(html, "<tr><th>Seed</th><td>99</td></tr>"));
    assert_non_null(strstr(html, " &middot; seed 99 &middot; "));
    if (gnuplot != NULL) {
        snprintf(path, sizeof path, "%s/charts", dir);
        assert_true(exists(path, "compare_asa.png"));
        assert_true(exists(path, "compare_intervals_asa.svg"));
        assert_non_null(strstr(html, "<figure id=\"chart-compare_asa\">"));
    }
    free(gnuplot);
    rm_tree(dir);
    free(dir);
    ccs_summary_free(base);
    ccs_scenario_free(sc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_csv_reads_quotes_blanks_and_short_rows),
        cmocka_unit_test(test_outdir_adopts_and_replaces_a_directory),
        cmocka_unit_test(test_outdir_abort_and_blocked_commit_leave_nothing),
        cmocka_unit_test(test_find_and_run_programs),
        cmocka_unit_test(test_sample_step_is_readable),
        cmocka_unit_test(test_report_without_gnuplot),
        cmocka_unit_test(test_compare_report),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
