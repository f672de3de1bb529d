/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cmd_sweep.c - `ccsim sweep`: a sweep file, or a scenario with --grid and
 * --point; every point checked before any work, then (point, replication)
 * tasks on local threads (-j) or MPI ranks, a journal to resume from, the
 * progress on stderr, sweep.csv and sweep.json in the output directory and
 * a table (or JSON) on stdout. The work is the library's (include/ccs/sweep.h).
 */
#include "app/cli.h"
#include "app/sweep_mpi.h"
#include "cmd.h"

#include "ccs/ccs.h"
#include "ccs/mem.h"
#include "core/timeconst.h"

#include <errno.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char help[] =
    "usage: ccsim sweep SWEEP.yaml [options]\n"
    "       ccsim sweep SCENARIO --grid KEY.PATH=V1,V2,... [--grid ...] [--point ...] [options]\n"
    "\n"
    "Run many points of one scenario: the cartesian product of a grid and/or listed\n"
    "override sets, each for a number of replications or until a precision target\n"
    "is met, optionally each paired against a baseline point. Tasks run on all\n"
    "cores (-j) or across machines (mpirun); the results are byte-identical whatever\n"
    "the number of threads or ranks. A journal in the output directory lets an\n"
    "interrupted sweep resume: rerun the same command. docs/sweep.md has the format\n"
    "of sweep files and outputs.\n"
    "\n"
    "Points:\n"
    "  --grid KEY.PATH=V1,V2,...  one grid dimension (values read as YAML; commas\n"
    "                         inside brackets or quotes belong to a value); repeatable:\n"
    "                         the points are every combination, first key slowest\n"
    "  --point NAME:KEY.PATH=VALUE[,KEY.PATH=VALUE...]\n"
    "                         one listed point (NAME alone: the scenario as written)\n"
    "  --set KEY.PATH=VALUE   override a value of the base scenario (every point)\n"
    "  --baseline NAME|INDEX  pair every point with this one: differences with CIs\n"
    "                         and verdicts (grid points are named g0, g1, ...)\n"
    "  --streams common|independent\n"
    "                         common: every point runs on the seed's streams (common\n"
    "                         random numbers; the default with --baseline);\n"
    "                         independent: each point's seed hashes its overrides\n"
    "\n"
    "Replications:\n"
    "  --seed N               the sweep's seed (default: the file's, else the scenario's)\n"
    "  --replications R, -r R per point (default: the file's, else the scenario's);\n"
    "                         with --precision, the number to start from (default 10)\n"
    "  --precision [SCOPE:]KPI=HALFWIDTH\n"
    "                         replicate each point until the KPI's 95% CI half-width\n"
    "                         (of the difference to the baseline, with one) is at most\n"
    "                         HALFWIDTH; repeatable. SCOPE: overall (default), queue:ID,\n"
    "                         segment:QUEUE/SEGMENT, group:ID\n"
    "  --max-replications N   cap for --precision (default 1000)\n"
    "\n"
    "Raw data (opt-in: they grow with replications and intervals; docs/sweep.md):\n"
    "  --per-replication      also write replications.csv: one row per point x\n"
    "                         replication, every whole-run KPI of that replication\n"
    "  --per-interval         also write intervals.csv: one row per point x interval,\n"
    "                         each per-interval KPI's mean and CI half-width\n"
    "\n"
    "Running:\n"
    "  --jobs N, -j N         simulation threads (default: all cores; under MPI: 1 per\n"
    "                         rank)\n"
    "  --out DIR              where the output files and the journal go (default:\n"
    "                         NAME-sweep, NAME the file's name without extension)\n"
    "  --json                 print sweep.json instead of the table\n"
    "  --quiet, -q            no progress on stderr\n"
    "  --mpi                  run on MPI ranks even if no launcher was detected (mpirun,\n"
    "                         mpiexec and srun are detected)\n"
    "\n"
    "Exit status: 0 ok, 1 run-time failure (e.g. cannot write DIR), 2 bad usage or\n"
    "bad input (message: FILE:LINE:COL: error: ... or --grid:1:COL: error: ...),\n"
    "reported before any work starts.\n"
    "\n"
    "Examples:\n"
    "  ccsim sweep scenarios/default.yaml --grid groups.sales_team.agents=15,16,17,18 \\\n"
    "      --grid groups.support_team.agents=24,25,26 -r 20 --out staffing/\n"
    "  ccsim sweep scenarios/sweeps/staffing.yaml -j 8\n"
    "  mpirun -np 64 ccsim sweep big.yaml --out big/\n";

/* --- progress on stderr ------------------------------------------------------------------ */

struct progress {
    bool tty, quiet;
    double t0, last_line;
    size_t last_tenth;  /* tenths of the points done when the last plain line was printed */
    bool drew;          /* a bar is on screen */
    bool targets;
};

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

static void clock_text(char *buf, size_t cap, double s)
{
    if (!isfinite(s) || s < 0) {
        snprintf(buf, cap, "?");
        return;
    }
    const long min = (long)CCS_MINUTE, hour = (long)CCS_HOUR;
    long t = (long)(s + 0.5);
    if (t >= hour)
        snprintf(buf, cap, "%ld:%02ld:%02ld", t / hour, t / min % 60, t % min);
    else
        snprintf(buf, cap, "%ld:%02ld", t / min, t % min);
}

/* Rate and remaining time from what this process has done so far. */
static void estimate(const struct progress *pg, const struct ccs_sweep_progress *p, double el,
                     double *rate, double *left)
{
    *rate = el > 0 ? (double)p->reps_done / el : 0;
    *left = NAN;
    size_t fresh = p->points_done - p->points_resumed;
    if (pg->targets) {
        /* replications per point are not known in advance: go by points */
        if (fresh > 0)
            *left = el / (double)fresh * (double)(p->points - p->points_done);
    } else if (*rate > 0) {
        *left = (double)p->reps_left / *rate;
    }
    if (p->points_done == p->points)
        *left = 0;
}

static void show_progress(void *ctx, const struct ccs_sweep_progress *p)
{
    struct progress *pg = ctx;
    if (pg->quiet)
        return;
    double t = now(), el = t - pg->t0, rate, left;
    estimate(pg, p, el, &rate, &left);
    char e[32], l[32];
    clock_text(e, sizeof e, el);
    clock_text(l, sizeof l, left);
    if (pg->tty) {
        enum { BAR = 24 };
        int full = p->points ? (int)(BAR * p->points_done / p->points) : BAR;
        char bar[BAR + 1];
        for (int i = 0; i < BAR; i++)
            bar[i] = i < full ? '#' : '.';
        bar[BAR] = '\0';
        fprintf(stderr, "\r[%s] %zu/%zu points  %.0f rep/s  %s elapsed  %s left\033[K", bar,
                p->points_done, p->points, rate, e, l);
        fflush(stderr);
        pg->drew = true;
        return;
    }
    /* plain lines: every tenth of the points, or every 10 s while something runs */
    size_t tenth = p->points ? 10 * p->points_done / p->points : 10;
    if (tenth == pg->last_tenth && t - pg->last_line < 10)
        return;
    if (p->points_done == p->points)
        return; /* the summary line follows */
    pg->last_tenth = tenth;
    pg->last_line = t;
    ccs_app_say("sweep", "%zu/%zu points, %.0f rep/s, elapsed %s, about %s left", p->points_done,
                p->points, rate, e, l);
}

static void final_progress(struct progress *pg, const struct ccs_sweep_progress *p,
                           unsigned jobs, int ranks, unsigned long long remote)
{
    if (pg->quiet)
        return;
    if (pg->drew)
        fputc('\n', stderr);
    double el = now() - pg->t0;
    fprintf(stderr, "ccsim sweep: %zu/%zu points", p->points_done, p->points);
    if (p->points_resumed > 0)
        fprintf(stderr, " (%zu from the journal)", p->points_resumed);
    fprintf(stderr, ", %llu replications in %.1f s (%.0f rep/s) on ",
            (unsigned long long)p->reps_done, el, el > 0 ? (double)p->reps_done / el : 0.0);
    if (ranks > 1)
        fprintf(stderr, "%d MPI ranks x %u thread%s (%llu of them on rank%s 1%s%.0d)\n", ranks,
                jobs, jobs == 1 ? "" : "s", remote, ranks > 2 ? "s" : "", ranks > 2 ? "-" : "",
                ranks > 2 ? ranks - 1 : 0);
    else
        fprintf(stderr, "%u thread%s\n", jobs, jobs == 1 ? "" : "s");
}

/* --- the command ------------------------------------------------------------------------------ */

/* Ctrl-C or kill: say how to go on, then die of the signal as before. Only
   async-signal-safe calls; the journal already holds every finished point. */
static void on_signal(int sig)
{
    static const char msg[] = "\nccsim sweep: interrupted: the finished points are in the "
                              "journal; rerun the same command to resume\n";
    ssize_t w = write(STDERR_FILENO, msg, sizeof msg - 1);
    (void)w;
    signal(sig, SIG_DFL);
    raise(sig);
}

/* Catch SIGINT and SIGTERM unless they are ignored (nohup, background jobs). */
static void catch_signals(void)
{
    static const int sigs[] = {SIGINT, SIGTERM};
    for (size_t i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
        struct sigaction old, sa;
        memset(&sa, 0, sizeof sa);
        sa.sa_handler = on_signal;
        sigemptyset(&sa.sa_mask);
        if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
            sigaction(sigs[i], &sa, NULL);
    }
}

/* NAME-sweep from a path's file name without its extension. */
static void default_out(const char *path, char *buf, size_t cap)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strcspn(base, ".");
    if (n == 0)
        n = strlen(base);
    snprintf(buf, cap, "%.*s-sweep", (int)n, base);
}

struct args {
    struct ccs_cli cli; /* --seed, --replications, --set, --out, --json, --jobs; the path */
    const char *path, *baseline;
    struct ccs_cli_list grid, point;
    struct ccs_precision *targets;
    size_t n_targets;
    bool quiet, force_mpi, has_cap, per_rep, per_interval;
    long long cap;
    int streams; /* index in stream_names[], or -1 */
};

static const char *const stream_names[] = {"common", "independent", NULL};

static void args_release(struct args *a)
{
    ccs_cli_release(&a->cli);
    ccs_cli_list_release(&a->grid);
    ccs_cli_list_release(&a->point);
    free(a->targets);
}

/* --precision [SCOPE:]KPI=HALFWIDTH, appended to the targets (a custom parser). */
static int parse_precision(void *dest, const char *arg, char *why, size_t cap)
{
    struct args *a = dest;
    (void)why;
    (void)cap;
    struct ccs_precision *t = ccs_realloc(a->targets, (a->n_targets + 1) * sizeof *t);
    if (t == NULL)
        return ccs_app_fail("sweep", "out of memory");
    a->targets = t;
    struct ccs_diag d;
    ccs_diag_clear(&d);
    if (ccs_precision_parse(arg, "--precision", &t[a->n_targets], &d) != 0) {
        fprintf(stderr, "%s\n", d.msg); /* located: --precision:1:COL: error: ... */
        return CCS_EXIT_USAGE;
    }
    a->n_targets++;
    return 0;
}

/* Parse the options; 0 or an exit status (message printed). */
static int parse_args(int argc, char **argv, struct args *a)
{
    a->streams = -1;
    const struct ccs_cli_opt opts[] = {
        {.name = "grid", .type = CCS_CLI_LIST, .dest = &a->grid},
        {.name = "point", .type = CCS_CLI_LIST, .dest = &a->point},
        {.name = "baseline", .type = CCS_CLI_STRING, .dest = &a->baseline},
        {.name = "streams", .type = CCS_CLI_CHOICE, .dest = &a->streams, .choices = stream_names},
        {.name = "precision", .type = CCS_CLI_CUSTOM, .dest = a, .parse = parse_precision},
        {.name = "max-replications", .type = CCS_CLI_INT, .dest = &a->cap, .seen = &a->has_cap,
         .min = 2, .max = 1000000},
        {.name = "quiet", .letter = 'q', .type = CCS_CLI_FLAG, .dest = &a->quiet},
        {.name = "mpi", .type = CCS_CLI_FLAG, .dest = &a->force_mpi},
        {.name = "per-replication", .type = CCS_CLI_FLAG, .dest = &a->per_rep},
        {.name = "per-interval", .type = CCS_CLI_FLAG, .dest = &a->per_interval},
        {.name = NULL},
    };
    const struct ccs_cli_spec spec = {CCS_CLI_SEED | CCS_CLI_REPS | CCS_CLI_SET | CCS_CLI_OUT |
                                          CCS_CLI_JSON | CCS_CLI_JOBS | CCS_CLI_MEMORY,
                                      opts, "SWEEP.yaml or SCENARIO", 1, 1};
    int rc = ccs_cli_parse(&a->cli, "sweep", &spec, argc, argv);
    if (rc != 0)
        return rc;
    a->path = a->cli.operands[0];
    if (a->has_cap && a->n_targets == 0)
        return ccs_cli_usage(&a->cli, "--max-replications applies to --precision");
    return 0;
}

/* Build and prepare the sweep plan from the arguments; 0 or an exit status (d filled). */
static int define(const struct args *a, struct ccs_sweep_plan *s, struct ccs_diag *d)
{
    int rc = ccs_sweep_file_probe(a->path) ? ccs_sweep_plan_load_file(s, a->path, d)
                                           : ccs_sweep_plan_set_scenario(s, a->path, d);
    for (size_t i = 0; rc == 0 && i < a->cli.set.n; i++)
        rc = ccs_sweep_plan_add_set(s, a->cli.set.v[i], "--set", d);
    for (size_t i = 0; rc == 0 && i < a->grid.n; i++)
        rc = ccs_sweep_plan_add_grid(s, a->grid.v[i], "--grid", d);
    for (size_t i = 0; rc == 0 && i < a->point.n; i++)
        rc = ccs_sweep_plan_add_point(s, a->point.v[i], "--point", d);
    for (size_t i = 0; rc == 0 && i < a->n_targets; i++)
        rc = ccs_sweep_plan_add_target(s, &a->targets[i], d);
    if (rc == 0 && a->baseline != NULL)
        rc = ccs_sweep_plan_set_baseline(s, a->baseline, d);
    if (rc == 0) {
        if (a->cli.has_seed)
            ccs_sweep_plan_set_seed(s, a->cli.seed);
        if (a->cli.has_reps)
            ccs_sweep_plan_set_replications(s, (uint32_t)a->cli.reps);
        if (a->has_cap)
            ccs_sweep_plan_set_max_replications(s, (uint32_t)a->cap);
        if (a->streams >= 0)
            ccs_sweep_plan_set_streams(s, a->streams == 0 ? CCS_STREAMS_COMMON
                                                          : CCS_STREAMS_INDEPENDENT);
        rc = ccs_sweep_plan_prepare(s, d);
    }
    if (rc == 0)
        return 0;
    return rc == CCS_ENOMEM ? CCS_EXIT_FAIL : CCS_EXIT_USAGE;
}

static int cmd_main(int argc, char **argv)
{
    struct args a;
    memset(&a, 0, sizeof a);
    int rc = parse_args(argc, argv, &a);
    if (rc != 0) {
        args_release(&a);
        return rc;
    }
    /* MPI: under a launcher with more than one process, or when asked */
    int launched = ccs_app_mpi_launched(), rank = 0, ranks = 1;
    bool mpi = a.force_mpi || launched > 1 || (launched < 0 && ccs_app_mpi_built());
    if (mpi && !ccs_app_mpi_built()) {
        rc = ccs_cli_usage(&a.cli, "started by an MPI launcher, but this ccsim was built without "
                                   "MPI: each process would run the whole sweep (install "
                                   "libopenmpi-dev and rebuild; docs/sweep.md)");
        args_release(&a);
        return rc;
    }
    if (mpi && ccs_app_mpi_init(&argc, &argv, &rank, &ranks) != 0) {
        args_release(&a);
        return CCS_EXIT_FAIL;
    }

    /* srun started several tasks that do not form one MPI job (no PMI, or no MPI
       in this ccsim): each would run the whole sweep */
    const char *step = getenv("SLURM_STEP_NUM_TASKS");
    if (ranks == 1 && step != NULL && atoi(step) > 1 && getenv("OMPI_COMM_WORLD_SIZE") == NULL) {
        if (mpi)
            ccs_app_mpi_finalize();
        rc = ccs_cli_usage(&a.cli, "srun started %d tasks, but they are not one MPI job: each "
                                   "would run the whole sweep (start them with srun --mpi=pmix or "
                                   "pmi2, with an MPI build of ccsim; or use one task with -j; "
                                   "docs/sweep.md)",
                           atoi(step));
        args_release(&a);
        return rc;
    }

    struct ccs_sweep_plan *plan = ccs_sweep_plan_new();
    struct ccs_sweep *s = NULL;
    struct ccs_diag d;
    ccs_diag_clear(&d);
    if (plan == NULL) {
        rc = ccs_app_fail("sweep", "out of memory");
    } else if ((rc = define(&a, plan, &d)) == 0 &&
               ccs_sweep_new(ccs_sweep_plan_design(plan), &s, &d) != 0) {
        rc = CCS_EXIT_FAIL;
    }
    unsigned outputs = (a.per_rep ? CCS_SWEEP_OUT_REPLICATIONS : 0u) |
                       (a.per_interval ? CCS_SWEEP_OUT_INTERVALS : 0u);
    if (rc == 0 && s != NULL)
        ccs_sweep_set_outputs(s, outputs); /* every rank: it sizes the results sent */
    if (rc != 0 && plan != NULL && !mpi)
        fprintf(stderr, "%s\n", d.msg);
    if (mpi) {
        /* one message: rank 0's, or that of a rank failing where rank 0 did not */
        int root = ccs_app_mpi_root(rc);
        if (rc != 0 && plan != NULL && rank == 0)
            fprintf(stderr, "%s\n", d.msg);
        else if (rc != 0 && plan != NULL && root == 0)
            ccs_app_say("sweep", "rank %d: %s", rank, d.msg);
        /* every rank must hold the same sweep: one that cannot read a file stops all */
        int worst = ccs_app_mpi_agree(rc);
        if (worst != 0) {
            rc = worst;
        } else if (ccs_app_mpi_same(s) != 0) {
            if (rank == 0)
                ccs_app_say("sweep", "error: some MPI ranks read a different sweep (are the "
                                     "files the same on every machine?)");
            rc = CCS_EXIT_USAGE;
        }
    }
    if (rc == 0) {
        /* finished points go to the journal, not memory; what stays is each
           point's scenario and the points in flight: refuse before anything
           runs or is written what would not fit the budget */
        const struct ccs_design *dz = ccs_sweep_plan_design(plan);
        long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
        unsigned th = a.cli.has_jobs ? (unsigned)a.cli.jobs : mpi || ncpu < 1 ? 1 : (unsigned)ncpu;
        double need = ccs_sweep_memory_estimate(dz, th, true, outputs);
        if (need > a.cli.max_memory) {
            char what[160];
            snprintf(what, sizeof what, "%zu points, up to %u replications each, %u thread%s",
                     dz->n_points,
                     dz->max_replications > dz->replications ? dz->max_replications
                                                             : dz->replications,
                     th, th == 1 ? "" : "s");
            if (rank == 0)
                ccs_cli_memory_ok(&a.cli, a.path, need, what, "sweep fewer points");
            rc = CCS_EXIT_USAGE;
        }
    }
    char out[4096];
    if (rc == 0) {
        if (a.cli.out != NULL)
            snprintf(out, sizeof out, "%s", a.cli.out);
        else
            default_out(a.path, out, sizeof out);
    }

    /* rank 0: the output directory and the journal */
    bool replaced = false;
    size_t resumed = 0;
    if (rc == 0 && rank == 0) {
        struct ccs_outdir *probe = NULL;
        char journal[4200];
        snprintf(journal, sizeof journal, "%s/sweep.partial", out);
        if (ccs_outdir_open(out, &probe, &d) != 0 ||
            ccs_sweep_journal_open(s, journal, &resumed, &replaced, &d) != 0) {
            fprintf(stderr, "%s\n", d.msg);
            rc = CCS_EXIT_FAIL;
        }
        ccs_outdir_abort(probe);
    }
    if (mpi)
        rc = ccs_app_mpi_agree(rc);

    unsigned jobs = 1;
    if (a.cli.has_jobs)
        jobs = (unsigned)a.cli.jobs;
    else if (!mpi) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        jobs = n > 0 ? (unsigned)n : 1;
    }
    struct progress pg;
    memset(&pg, 0, sizeof pg);
    pg.quiet = a.quiet || rank != 0;
    pg.tty = isatty(STDERR_FILENO) != 0;
    pg.targets = rc == 0 && ccs_sweep_target_count(s) > 0;
    pg.t0 = pg.last_line = now();
    if (rc == 0 && rank == 0 && !pg.quiet) {
        double bytes = ccs_sweep_output_estimate(ccs_sweep_plan_design(plan), outputs);
        if (bytes >= 1e9)
            ccs_app_say("sweep", "note: the output files will take about %.1f GB in %s", bytes / 1e9,
                        out);
        if (replaced)
            ccs_app_say("sweep", "%s/sweep.partial was another sweep's journal: starting over",
                        out);
        if (resumed > 0)
            ccs_app_say("sweep", "resuming: %zu of %zu points done before (%s/sweep.partial)",
                        resumed, ccs_sweep_point_count(s), out);
    }
    unsigned long long remote = 0;
    if (rc == 0 && rank == 0)
        catch_signals();
    if (rc == 0) {
        int err = mpi ? ccs_app_mpi_run(s, jobs, show_progress, &pg, pg.tty ? 0.2 : 1.0, &remote,
                                        &d)
                      : ccs_sweep_run(s, &(struct ccs_sweep_exec){jobs, show_progress, &pg,
                                                                  pg.tty ? 0.2 : 1.0},
                                      &d);
        if (err != 0) {
            if (rank == 0) {
                if (pg.drew && !pg.quiet)
                    fputc('\n', stderr);
                fprintf(stderr, "%s\n", d.msg);
                ccs_app_say("sweep", "note: finished points are kept in %s/sweep.partial: rerun "
                                     "the same command to resume",
                            out);
            }
            rc = CCS_EXIT_FAIL;
        } else if (rank == 0) {
            struct ccs_sweep_progress pr;
            ccs_sweep_get_progress(s, &pr);
            final_progress(&pg, &pr, jobs, ranks, remote);
        }
    }
    if (rc == 0 && rank == 0) {
        /* the table first: it allocates, and a failure must leave the
           folder as it was (the journal still there to resume from) */
        int prc = a.cli.json ? ccs_report_sweep_json(stdout, s) : ccs_report_sweep_table(stdout, s);
        if (prc != 0 || fflush(stdout) != 0) {
            if (prc == CCS_ENOMEM)
                ccs_app_fail("sweep", "out of memory");
            rc = CCS_EXIT_FAIL;
        } else if (ccs_report_sweep_write_dir(out, s, &d) != 0 ||
                   ccs_sweep_journal_remove(s, &d) != 0) {
            fprintf(stderr, "%s\n", d.msg);
            rc = CCS_EXIT_FAIL;
        }
        if (rc == 0 && ccs_sweep_read_status(s, &d) != 0) {
            fprintf(stderr, "%s\n", d.msg);
            rc = CCS_EXIT_FAIL;
        }
        if (rc == 0 && !a.quiet)
            ccs_app_say("sweep", "wrote %s/sweep.csv and %s/sweep.json%s%s", out, out,
                        a.per_rep ? ", replications.csv" : "",
                        a.per_interval ? ", intervals.csv" : "");
    }
    ccs_sweep_free(s);
    ccs_sweep_plan_free(plan);
    args_release(&a);
    if (mpi)
        ccs_app_mpi_finalize();
    return rc;
}

const struct ccs_command ccs_cmd_sweep = {
    "sweep", "run many points of a scenario (grids, lists) on all cores or MPI ranks", help,
    cmd_main};
