/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cmd_schedule.c - `ccsim schedule`: a least-cost roster of the scenario's
 * shift templates covering the Erlang A requirement, optionally checked and
 * raised by simulation; prints the summary, or writes roster.yaml,
 * roster.csv, coverage.csv and service_level.csv (and with --plots the
 * coverage chart and report.html). The work is ccs_schedule.
 */
#include "app/cli.h"
#include "cmd.h"
#include "core/timeconst.h"

#include "ccs/ccs.h"
#include "ccs/plot.h"
#include "ccs/schedule.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CMD "schedule"
/* Exit status when there is no roster, or intervals stay below target. */
#define EXIT_SHORT 3

static const char help[] =
    "usage: ccsim schedule SCENARIO [options]\n"
    "\n"
    "A roster for SCENARIO: the shifts (start, length, breaks and, over a week,\n"
    "days off) of each group's 'rostering' templates that cover the agents each\n"
    "interval needs on the phones at least cost, as an integer program (breaks\n"
    "placed implicitly): a first roster with GLPK, then CBC's branch and cut when\n"
    "ccsim was built with it. The requirement is Erlang A per interval and queue\n"
    "as `ccsim staff` computes it (occupancy at most --max-occupancy), split\n"
    "among the groups and grossed up by shrinkage.\n"
    "With --simulate, the roster is simulated; where an interval misses its\n"
    "service-level target its requirement is raised by one (or, with --cuts\n"
    "subgradient, a cut from finite differences is added) and the roster solved\n"
    "again, until every interval meets its target or cannot; the last roster is\n"
    "then simulated with fresh seeds and each interval tested (one-sided, Holm).\n"
    "\n"
    "Options:\n"
    "  --seed N               seed of the simulations (default: the scenario's 'seed');\n"
    "                         the validation uses N + 1\n"
    "  --replications R, -r R replications per simulation (default: the scenario's\n"
    "                         'replications', at least 2)\n"
    "  --set KEY.PATH=VALUE   override any scenario value before validation\n"
    "  --shrinkage P          share of paid agents not on the phones, e.g. 10%, for\n"
    "                         every group (default: each group's 'absenteeism')\n"
    "  --max-occupancy P      Erlang occupancy cap of the requirement (default 85%)\n"
    "  --solver NAME          the branch and bound after GLPK's first roster: 'cbc'\n"
    "                         (COIN-OR CBC; the default when ccsim was built with it)\n"
    "                         or 'glpk' (GLPK's own; the default otherwise)\n"
    "  --time-limit D         solver time at most (wall clock), e.g. 30s (default 60s);\n"
    "                         a roster stopped by it reports its optimality gap\n"
    "  --nodes N              branch-and-bound nodes per group at most (default 2000;\n"
    "                         0: no limit); unlike the time, the same roster every run\n"
    "  --gap P                stop when within P of the optimum (default 1%)\n"
    "  --simulate             raise the requirement by simulation, then validate\n"
    "  --max-rounds N         simulate-and-solve rounds at most (default 20)\n"
    "  --cuts RULE            what a short interval adds: 'raise' (default; the\n"
    "                         interval's requirement of its best group, by one) or\n"
    "                         'subgradient' (the cut of Atlason, Epelman and Henderson,\n"
    "                         its slopes by one more simulation per group and interval;\n"
    "                         groups sharing a short queue become one program)\n"
    "  --alpha P              family-wise level of the validation (default 5%)\n"
    "  --out DIR              write roster.yaml (the shifts to paste into the\n"
    "                         scenario), roster.csv, coverage.csv and\n"
    "                         service_level.csv into DIR\n"
    "  --plots                with --out, also draw the coverage chart (DIR/charts/,\n"
    "                         with gnuplot) and write DIR/report.html (the chart, cost\n"
    "                         and paid hours against the head-count plan, the summary)\n"
    "  --verbose, -v          report each round on stderr\n"
    "\n"
    "Exit status: 0 a roster (meeting every interval's target, with --simulate);\n"
    "1 run-time failure (e.g. cannot write DIR); 2 bad usage or bad scenario\n"
    "(FILE:LINE:COL: error: ...); 3 no roster (infeasible, or the time limit came\n"
    "first), or intervals still below target after --simulate.\n"
    "\n"
    "Example:\n"
    "  ccsim schedule scenarios/roster-day.yaml --simulate --out roster/\n";

static void progress(void *ctx, uint32_t round, uint32_t n_short, uint32_t raised, double cost)
{
    ccs_app_say(CMD, "round %u: roster cost %.2f; %u interval-queue cell%s short of target; %u "
                     "%s",
                round, cost, n_short, n_short == 1 ? "" : "s", raised,
                *(const bool *)ctx ? (raised == 1 ? "requirement raised" : "requirements raised")
                                   : (raised == 1 ? "cut added" : "cuts added"));
}

static int cmd_main(int argc, char **argv)
{
    bool simulate = false, has_shrink = false, has_occ = false, has_rounds = false,
         has_tl = false, has_gap = false, has_alpha = false;
    double shrink = 0, occ = 0, tl = 0, gap = 0, alpha = 0;
    long long rounds = 0;
    bool has_solver = false, has_nodes = false, has_cuts = false;
    int solver = 0, cuts = 0;
    static const char *const cut_rules[] = {"subgradient", "raise", NULL};
    long long nodes = 0;
    static const char *const solvers[] = {"glpk", "cbc", NULL};
    const struct ccs_cli_opt opts[] = {
        {.name = "shrinkage", .type = CCS_CLI_FRACTION, .dest = &shrink, .seen = &has_shrink,
         .max = 1, .flags = CCS_CLI_BELOW_MAX, .want = "a percentage below 100%"},
        {.name = "max-occupancy", .type = CCS_CLI_FRACTION, .dest = &occ, .seen = &has_occ,
         .max = 1, .flags = CCS_CLI_ABOVE_MIN, .want = "a percentage above 0%"},
        {.name = "time-limit", .type = CCS_CLI_DURATION, .dest = &tl, .seen = &has_tl,
         .min = 0, .max = CCS_DAY, .flags = CCS_CLI_ABOVE_MIN, .want = "a positive duration"},
        {.name = "solver", .type = CCS_CLI_CHOICE, .dest = &solver, .seen = &has_solver,
         .choices = solvers},
        {.name = "nodes", .type = CCS_CLI_INT, .dest = &nodes, .seen = &has_nodes, .min = 0,
         .max = 1e9, .want = "a whole number of nodes from 0 (no limit) to 1000000000"},
        {.name = "gap", .type = CCS_CLI_FRACTION, .dest = &gap, .seen = &has_gap, .max = 1,
         .flags = CCS_CLI_BELOW_MAX, .want = "a percentage below 100%"},
        {.name = "simulate", .type = CCS_CLI_FLAG, .dest = &simulate},
        {.name = "max-rounds", .type = CCS_CLI_INT, .dest = &rounds, .seen = &has_rounds,
         .min = 1, .max = 10000},
        {.name = "cuts", .type = CCS_CLI_CHOICE, .dest = &cuts, .seen = &has_cuts,
         .choices = cut_rules},
        {.name = "alpha", .type = CCS_CLI_FRACTION, .dest = &alpha, .seen = &has_alpha,
         .max = 1, .flags = CCS_CLI_ABOVE_MIN | CCS_CLI_BELOW_MAX,
         .want = "a percentage between 0% and 100%"},
        {.name = NULL},
    };
    const struct ccs_cli_spec spec = {CCS_CLI_SEED | CCS_CLI_REPS | CCS_CLI_SET | CCS_CLI_OUT |
                                          CCS_CLI_PLOTS | CCS_CLI_VERBOSE,
                                      opts, "SCENARIO", 1, 1};
    struct ccs_cli cli;
    int rc = ccs_cli_parse(&cli, CMD, &spec, argc, argv);
    if (rc != 0)
        goto done;
    struct ccs_scenario *sc = NULL;
    if (cli.plots && cli.out == NULL) {
        rc = ccs_cli_usage(&cli, "--plots needs --out DIR (the chart and report.html go there)");
        goto done;
    }
    if (has_solver && solver == 1 && !ccs_roster_have_cbc()) {
        rc = ccs_cli_usage(&cli, "--solver cbc: %s; use --solver glpk", ccs_roster_cbc_error());
        goto done;
    }
    if ((rc = ccs_cli_load(&cli, cli.operands[0], &sc)) != 0)
        goto done;
    struct ccs_run_opts ro = ccs_cli_run_opts(&cli, sc);
    struct ccs_schedule_opts so = ccs_schedule_opts_default(sc);
    so.seed = ro.seed;
    so.replications = ro.replications < 2 ? 2 : ro.replications;
    so.simulate = simulate;
    if (has_shrink)
        so.staff.shrinkage = shrink;
    if (has_occ)
        so.staff.max_occupancy = occ;
    if (has_tl)
        so.roster.time_limit = tl;
    if (has_gap)
        so.roster.mip_gap = gap;
    if (has_solver)
        so.roster.mip = solver == 1 ? CCS_ROSTER_MIP_CBC : CCS_ROSTER_MIP_GLPK;
    if (has_nodes)
        so.roster.node_limit = (uint64_t)nodes;
    if (has_rounds)
        so.max_rounds = (uint32_t)rounds;
    if (has_alpha)
        so.alpha = alpha;
    if (has_cuts)
        so.cuts = cuts == 1 ? CCS_SCHED_CUTS_RAISE : CCS_SCHED_CUTS_SUBGRADIENT;
    bool raising = so.cuts == CCS_SCHED_CUTS_RAISE;
    if (cli.verbose) {
        so.progress = progress;
        so.progress_ctx = &raising;
    }
    struct ccs_diag d;
    ccs_diag_clear(&d);
    if (!ccs_cli_out_ok(cli.out)) {
        rc = CCS_EXIT_FAIL;
        ccs_scenario_free(sc);
        goto done;
    }
    struct ccs_schedule *s = NULL;
    int src = ccs_schedule(sc, &so, &s, &d);
    if (src != 0) {
        fprintf(stderr, "%s\n", d.code ? d.msg : ccs_strerror(src));
        rc = src == CCS_EINVAL ? CCS_EXIT_USAGE : CCS_EXIT_FAIL;
    } else {
        enum ccs_roster_status st = s->roster->status;
        bool none = st == CCS_ROSTER_INFEASIBLE || st == CCS_ROSTER_NO_ROSTER;
        rc = none || s->n_short > 0 || s->n_below > 0 ? EXIT_SHORT : CCS_EXIT_OK;
        struct ccs_plot_opts po = ccs_plot_opts_default();
        po.note = ccs_app_plot_note;
        po.note_ctx = (void *)CMD;
        if (!none && cli.out != NULL &&
            ccs_schedule_write_dir_plots(cli.out, s, cli.plots ? &po : NULL, &d) != 0) {
            fprintf(stderr, "%s\n", d.msg);
            rc = CCS_EXIT_FAIL;
        }
        if (rc != CCS_EXIT_FAIL && (ccs_schedule_write_table(stdout, s) || fflush(stdout)))
            rc = CCS_EXIT_FAIL;
        if (none)
            ccs_app_say(CMD, "warning: no roster: %s%s", s->roster->reason,
                        s->roster->stop == CCS_ROSTER_STOP_TIME ? " (try --time-limit)" : "");
        else if (s->n_short > 0 || s->n_below > 0)
            ccs_app_say(CMD, "warning: %zu interval-queue cell%s below target after the loop, "
                             "%zu significantly below in validation",
                        s->n_short, s->n_short == 1 ? "" : "s", s->n_below);
    }
    ccs_schedule_free(s);
    ccs_scenario_free(sc);
done:
    ccs_cli_release(&cli);
    return rc;
}

const struct ccs_command ccs_cmd_schedule = {
    CMD, "a least-cost roster of shifts and breaks, checked by simulation", help, cmd_main};
