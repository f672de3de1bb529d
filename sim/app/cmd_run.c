/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cmd_run.c - `ccsim run`: simulate a scenario's replications and report
 * the KPIs as a table or JSON, optionally writing CSV/JSON files.
 */
#include "app/cli.h"
#include "cmd.h"

#include "ccs/ccs.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char help[] =
    "usage: ccsim run SCENARIO [options]\n"
    "\n"
    "Simulate SCENARIO (a YAML file) and print each KPI per queue, segment, group\n"
    "and overall, with its 95% confidence interval over replications.\n"
    "\n"
    "Options:\n"
    "  --seed N               random seed (default: the scenario's 'seed')\n"
    "  --replications R, -r R number of independent replications (default: the\n"
    "                         scenario's 'replications')\n"
    "  --set KEY.PATH=VALUE   override any scenario value before validation, e.g.\n"
    "                         --set groups.team.agents=98 --set queues.sales.sla.within=30s\n"
    "                         (list items are addressed by their id or 0-based index)\n"
    "  --max-memory SIZE      the memory a run may need (default 4G); a bigger run is\n"
    "                         refused before it starts\n"
    "  --out DIR              also write summary.csv, intervals.csv, replications.csv\n"
    "                         and summary.json into DIR (created if missing)\n"
    "  --json                 print JSON instead of the table\n"
    "  --by interval          print the per-interval table (per queue: offered, answered,\n"
    "                         abandoned, service level, ASA, backlog; per group: agents,\n"
    "                         occupancy) instead of the whole-run table\n"
    "  --verbose, -v          also print the contact balance (every contact entered must\n"
    "                         end once: answered, abandoned, blocked, not reached, waiting)\n"
    "  --sample DURATION      with --out, also write timeseries.csv: waiting contacts\n"
    "                         and busy/idle/staffed agents every DURATION (e.g. 5m)\n"
    "  --plots                with --out, also draw charts (DIR/charts/, PNG and SVG,\n"
    "                         with gnuplot) and write DIR/report.html; samples the time\n"
    "                         series automatically unless --sample is given\n"
    "  --trace FILE           also write every event of replication 0 (arrivals, routing\n"
    "                         decisions with the policy's reason, starts, abandons, ends,\n"
    "                         agent changes, callbacks, transfers) to FILE as CSV\n"
    "                         (docs/teaching.md); tracing changes no result\n"
    "  --trace-all            with --trace, trace every replication, not only the first\n"
    "  --explain [N]          first print the first N events (default 20) of replication 0\n"
    "  --explain-from CLOCK   ... from that clock time on (10:30; 34:30 is 10:30 on day 2),\n"
    "                         after the state of queues and agents at that time\n"
    "                         as sentences, following each customer (not with --json)\n"
    "  --date DATE            replay this date of the scenario's trace (yyyy-mm-dd, or as\n"
    "                         the log writes dates), in place of its 'date'/'dates'\n"
    "  --dates SPEC           replay several dates, each with its own replications:\n"
    "                         all, FIRST..LAST (e.g. 1999-10-01..1999-10-31), or one date;\n"
    "                         the report pools them (means per date) and adds a line per\n"
    "                         date; --out also writes dates.csv\n"
    "  --jobs N, -j N         threads running replications (default: all cores); the\n"
    "                         results are byte-identical whatever N (--trace and\n"
    "                         --explain run them one after another)\n"
    "\n"
    "Exit status: 0 ok, 1 run-time failure (e.g. cannot write DIR), 2 bad usage or\n"
    "bad scenario (message: FILE:LINE:COL: error: ...).\n"
    "\n"
    "Example:\n"
    "  ccsim run scenarios/erlang-a.yaml --set horizon=1d --replications 20\n"
    "  ccsim run scenarios/teaching/pooling.yaml --explain 12 --trace pooling.csv\n"
    "  ccsim run replay.yaml --dates 1999-10-01..1999-10-31 --replications 10\n";

/* --- --trace and --explain: sinks on the engine's trace hook ------------------ */

struct tracing {
    struct ccs_trace_csv *csv;
    struct ccs_explain *explain;
    bool all;               /* --trace-all */
    bool csv_on, explain_on; /* for the replication running */
    uint64_t told;           /* narrative lines written, once it is over */
};

static void tee(void *ctx, const struct ccs_trace_event *e)
{
    struct tracing *t = ctx;
    if (t->csv_on)
        ccs_trace_csv_event(t->csv, e);
    if (t->explain_on)
        ccs_explain_event(t->explain, e);
}

static void prepare(void *ctx, uint32_t rep, struct ccs_sim *sim)
{
    struct tracing *t = ctx;
    if (t->explain_on) /* the narrative's replication is over */
        t->told = ccs_explain_finish(t->explain);
    t->csv_on = t->csv != NULL && (rep == 0 || t->all);
    t->explain_on = t->explain != NULL && rep == 0;
    if (t->csv_on)
        ccs_trace_csv_begin(t->csv, sim, rep);
    if (t->explain_on)
        ccs_explain_begin(t->explain, sim);
    if (t->csv_on || t->explain_on)
        ccs_sim_set_trace(sim, tee, t);
}

/* The trace file as a one-file transaction in its directory: written under a
   temporary name and renamed into place only after a successful run. */
static int open_trace(const char *path, struct ccs_outdir **o, FILE **f, struct ccs_diag *d)
{
    struct stat st;
    *o = NULL;
    *f = NULL;
    size_t n = strlen(path);
    if (n == 0 || path[n - 1] == '/' || (stat(path, &st) == 0 && S_ISDIR(st.st_mode)))
        return ccs_diag_at(d, CCS_EIO, path, 0, 0, "cannot write the trace: is a directory");
    char dir[4096];
    const char *slash = strrchr(path, '/');
    snprintf(dir, sizeof dir, "%.*s", slash ? (int)(slash - path) : 1, slash ? path : ".");
    if (slash == path)
        snprintf(dir, sizeof dir, "/");
    /* unlike --out DIR, the folder must exist: a typo should not create one */
    if (stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
        return ccs_diag_at(d, CCS_EIO, path, 0, 0, "cannot write the trace: %s",
                           stat(dir, &st) != 0 ? strerror(errno) : "not in a directory");
    int rc = ccs_outdir_open_single(dir, o, d);
    if (rc != 0)
        return rc;
    if ((*f = ccs_outdir_file(*o, slash ? slash + 1 : path, d)) == NULL) {
        ccs_outdir_abort(*o);
        *o = NULL;
        return CCS_EIO;
    }
    return 0;
}

/* All files of --out in one transaction: the CSV/JSON outputs (per date
   too, when dates were replayed) and, with --plots, the charts and
   report.html of the pool. */
static int write_outputs(const char *dir, const struct ccs_summary *sum,
                         struct ccs_summary *const *per, size_t n_dates, bool plots,
                         struct ccs_diag *d)
{
    struct ccs_outdir *o;
    int rc = ccs_outdir_open(dir, &o, d);
    if (rc != 0)
        return rc;
    struct ccs_plot_opts po = ccs_plot_opts_default();
    po.note = ccs_app_plot_note;
    po.note_ctx = (void *)"run";
    if ((rc = n_dates > 1 ? ccs_report_dates_files(o, per, n_dates, sum, d)
                          : ccs_report_write_files(o, sum, d)) != 0 ||
        (plots && (rc = ccs_plot_run(o, sum, &po, d)) != 0)) {
        ccs_outdir_abort(o);
        return rc;
    }
    return ccs_outdir_commit(o, d);
}

/* --explain-from: a clock time "H:MM[:SS]" (hours past 24 for later days),
   as the narrative prints it; seconds since midnight of the first day. */
static int parse_clock(void *dest, const char *arg, char *why, size_t cap)
{
    const char *unused = NULL;
    if (strchr(arg, ':') == NULL || ccs_parse_duration(arg, dest, &unused) != 0) {
        snprintf(why, cap, "expected a clock time such as 10:30 (34:30 is 10:30 on day 2)");
        return CCS_EXIT_USAGE;
    }
    return 0;
}

static int cmd_main(int argc, char **argv)
{
    double sample = 0;
    const char *trace_path = NULL;
    bool trace_all = false;
    const char *date = NULL, *dates = NULL;
    long long explain = 20;
    bool explain_on = false, from_on = false;
    double explain_from = 0; /* clock time, as the narrative prints it */
    int by = -1;
    static const char *const by_choices[] = {"interval", NULL};
    const struct ccs_cli_opt opts[] = {
        {.name = "sample", .type = CCS_CLI_DURATION, .dest = &sample, .max = INFINITY,
         .flags = CCS_CLI_ABOVE_MIN, .want = "a positive duration such as 5m"},
        {.name = "by", .type = CCS_CLI_CHOICE, .dest = &by, .choices = by_choices},
        {.name = "trace", .type = CCS_CLI_STRING, .dest = &trace_path},
        {.name = "trace-all", .type = CCS_CLI_FLAG, .dest = &trace_all},
        {.name = "explain", .type = CCS_CLI_INT, .dest = &explain, .seen = &explain_on, .min = 1,
         .max = 100000, .flags = CCS_CLI_OPTIONAL, .want = "a number of events from 1 to 100000"},
        {.name = "explain-from", .type = CCS_CLI_CUSTOM, .dest = &explain_from,
         .seen = &from_on, .parse = parse_clock},
        {.name = "date", .type = CCS_CLI_STRING, .dest = &date},
        {.name = "dates", .type = CCS_CLI_STRING, .dest = &dates},
        {.name = NULL},
    };
    const struct ccs_cli_spec spec = {CCS_CLI_SEED | CCS_CLI_REPS | CCS_CLI_SET | CCS_CLI_OUT |
                                          CCS_CLI_JSON | CCS_CLI_PLOTS | CCS_CLI_VERBOSE |
                                          CCS_CLI_JOBS | CCS_CLI_MEMORY,
                                      opts, "SCENARIO", 1, 1};
    struct ccs_cli cli;
    int rc = ccs_cli_parse(&cli, "run", &spec, argc, argv);
    if (rc != 0)
        goto done;
    rc = CCS_EXIT_USAGE;
    const char *out_dir = cli.out;
    bool json = cli.json, verbose = cli.verbose, plots = cli.plots, by_interval = by == 0;
    if (!explain_on && !from_on)
        explain = 0;

    if (trace_all && trace_path == NULL) {
        ccs_cli_usage(&cli, "--trace-all needs --trace FILE");
        goto done;
    }
    if (explain > 0 && json) {
        ccs_cli_usage(&cli, "--explain prints sentences before the table; it cannot be "
                            "combined with --json");
        goto done;
    }
    if (plots && out_dir == NULL) {
        ccs_cli_usage(&cli, "--plots needs --out DIR (the charts and report.html go there)");
        goto done;
    }
    if (date != NULL && dates != NULL) {
        ccs_cli_usage(&cli, "give --date or --dates, not both");
        goto done;
    }
    if (date != NULL &&
        (strstr(date, "..") != NULL || strcmp(date, "all") == 0 || strcmp(date, "first") == 0)) {
        ccs_cli_usage(&cli, "--date takes one date, got '%s' (several: --dates)", date);
        goto done;
    }

    struct ccs_scenario **scs = NULL, *sc;
    size_t n_dates = 0;
    /* the memory check counts what the run will keep (ro.whole_run_only
       below; with --dates, however many dates it names, intervals are
       counted: a safe over-estimate for one date) */
    cli.whole_run_only = out_dir == NULL && !by_interval && dates == NULL;
    if ((rc = ccs_cli_load_dates(&cli, cli.operands[0], date != NULL ? date : dates,
                                 date != NULL ? "--date" : dates != NULL ? "--dates" : NULL, &scs,
                                 &n_dates)) != 0)
        goto done;
    rc = CCS_EXIT_USAGE;
    sc = scs[0];
    if (n_dates > 1 && (trace_path != NULL || explain > 0)) {
        ccs_cli_usage(&cli, "%s follows one replication of one date, but %zu dates are "
                            "replayed: choose one with --date",
                      trace_path != NULL ? "--trace" : "--explain", n_dates);
        ccs_scenario_list_free(scs, n_dates);
        goto done;
    }
    struct ccs_summary **per = NULL;
    if (n_dates > 1 && (per = ccs_calloc(n_dates, sizeof *per)) == NULL) {
        rc = ccs_app_fail("run", "out of memory");
        ccs_scenario_list_free(scs, n_dates);
        goto done;
    }
    /* --explain-from: a clock time as the narrative prints it (hours past 24
       on later days), so before the scenario's start_time is no time at all */
    double from = explain_from - ccs_scenario_start_time(sc);
    if (from_on && (from < 0 || from >= ccs_scenario_horizon(sc))) {
        char a[32], b[32];
        ccs_explain_clock(0, ccs_scenario_start_time(sc), a, sizeof a);
        ccs_explain_clock(ccs_scenario_horizon(sc), ccs_scenario_start_time(sc), b, sizeof b);
        a[strlen(a) - 2] = b[strlen(b) - 2] = '\0'; /* whole seconds */
        rc = ccs_cli_usage(&cli, "--explain-from must be a clock time within the run, from %s "
                                 "to before %s",
                           a, b);
        free(per);
        ccs_scenario_list_free(scs, n_dates);
        goto done;
    }
    struct ccs_run_opts ro = ccs_cli_run_opts(&cli, sc);
    ro.sample_every = sample > 0 || !plots ? sample : ccs_plot_sample_step(sc);
    /* the whole-run table and JSON read no interval: keep per-interval
       results only for the outputs that print them (docs/cli.md) */
    ro.whole_run_only = out_dir == NULL && !by_interval && n_dates <= 1;
    struct ccs_diag d;
    ccs_diag_clear(&d);
    struct ccs_summary *sum = NULL;
    if (!ccs_cli_out_ok(out_dir)) {
        rc = CCS_EXIT_FAIL;
        free(per);
        ccs_scenario_list_free(scs, n_dates);
        goto done;
    }
    struct tracing tr = {NULL, NULL, trace_all, false, false, 0};
    struct ccs_outdir *trace_dir = NULL;
    FILE *trace_file = NULL;
    if (trace_path != NULL && open_trace(trace_path, &trace_dir, &trace_file, &d) != 0) {
        fprintf(stderr, "%s\n", d.msg);
        rc = CCS_EXIT_FAIL;
        free(per);
        ccs_scenario_list_free(scs, n_dates);
        goto done;
    }
    if ((trace_file != NULL && ccs_trace_csv_new(trace_file, sc, &tr.csv) != 0) ||
        (explain > 0 && (ccs_explain_new(stdout, sc, (uint64_t)explain, &tr.explain) != 0 ||
                         ccs_explain_from(tr.explain, from_on ? from : 0) != 0))) {
        rc = ccs_app_fail("run", "out of memory");
        goto release;
    }
    if (tr.csv != NULL || tr.explain != NULL) {
        ro.prepare = prepare;
        ro.prepare_ctx = &tr;
    }
    if (tr.explain != NULL && from_on) {
        char c[32];
        ccs_explain_clock(from, ccs_scenario_start_time(sc), c, sizeof c);
        c[strlen(c) - 2] = '\0';
        printf("The first %llu events from %s of replication 0 (seed %llu):\n\n",
               (unsigned long long)explain, c, (unsigned long long)ro.seed);
    } else if (tr.explain != NULL) {
        printf("The first %llu events of replication 0 (seed %llu):\n\n",
               (unsigned long long)explain, (unsigned long long)ro.seed);
    }
    int run_rc = n_dates > 1 ? ccs_run_dates(scs, n_dates, &ro, per, &sum, &d)
                             : ccs_run(sc, &ro, &sum, &d);
    if (tr.explain != NULL) {
        if (tr.explain_on)
            tr.told = ccs_explain_finish(tr.explain);
        /* The heading promised "the first N": say so when there were fewer. */
        if (run_rc == 0 && tr.told < (uint64_t)explain)
            printf("(That is all: replication 0 gave %llu lines.)\n", (unsigned long long)tr.told);
        printf("\n");
    }
    if (run_rc != 0) {
        fprintf(stderr, "%s\n", d.msg);
        rc = CCS_EXIT_FAIL;
    } else {
        rc = CCS_EXIT_OK;
        /* --out first: it allocates while writing and switching, and a
           failure there must not leave the new trace in place; the trace's
           commit only syncs and renames */
        if (out_dir != NULL && write_outputs(out_dir, sum, per, n_dates, plots, &d) != 0) {
            fprintf(stderr, "%s\n", d.msg);
            rc = CCS_EXIT_FAIL;
        }
        if (rc == CCS_EXIT_OK && trace_dir != NULL) {
            struct ccs_outdir *t = trace_dir;
            trace_dir = NULL;
            if (ccs_outdir_commit(t, &d) != 0) {
                fprintf(stderr, "%s\n", d.msg);
                rc = CCS_EXIT_FAIL;
            }
        }
        if (rc == CCS_EXIT_OK) {
            bool many = n_dates > 1;
            if (json ? (many ? ccs_report_dates_json(stdout, per, n_dates, sum)
                             : ccs_report_json(stdout, sum))
                     : by_interval ? ccs_report_intervals_table(stdout, sum)
                                   : (many ? ccs_report_dates_table(stdout, per, n_dates, sum)
                                           : ccs_report_table(stdout, sum)))
                rc = CCS_EXIT_FAIL;
            if (verbose)
                ccs_report_balance(stderr, sum);
            if (fflush(stdout) != 0)
                rc = CCS_EXIT_FAIL;
        }
    }
release:
    ccs_outdir_abort(trace_dir); /* a failed run leaves no trace file, not half of one */
    ccs_trace_csv_free(tr.csv);
    ccs_explain_free(tr.explain);
    ccs_summary_free(sum);
    for (size_t k = 0; per != NULL && k < n_dates; k++)
        ccs_summary_free(per[k]);
    free(per);
    ccs_scenario_list_free(scs, n_dates);
done:
    ccs_cli_release(&cli);
    return rc;
}

const struct ccs_command ccs_cmd_run = {"run", "simulate a scenario and report its KPIs", help,
                                        cmd_main};
