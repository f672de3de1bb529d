/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cmd_staff.c - `ccsim staff`: the agents a scenario needs per interval, by
 * Erlang C and Erlang A per queue, then a per-group plan refined by
 * simulation; prints it, or writes staffing.yaml and staffing.csv.
 */
#include "app/cli.h"
#include "cmd.h"

#include "ccs/ccs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CMD "staff"
/* Exit status when the refinement ends with an interval still short of target. */
#define EXIT_SHORT 3

static const char help[] =
    "usage: ccsim staff SCENARIO [options]\n"
    "\n"
    "How many agents SCENARIO needs in each reporting interval. Per queue: the\n"
    "agents on the phones that Erlang C and Erlang A need to meet the queue's\n"
    "service-level target at the interval's mean arrival rate (AHT = mean handle\n"
    "time + mean wrap-up; Erlang A takes patience as exponential with the queue's\n"
    "mean), with occupancy at most --max-occupancy, grossed up by shrinkage.\n"
    "Per group: a plan that splits the Erlang A needs among the groups taking\n"
    "each queue first, then refined by simulation (the same seed every round):\n"
    "an agent is added where an interval's simulated service level falls short\n"
    "(to the group that best serves the queue) and removed where every queue a\n"
    "group serves beats its target by --margin, until nothing changes.\n"
    "\n"
    "Options:\n"
    "  --seed N               seed of the refinement's simulations (default: the\n"
    "                         scenario's 'seed')\n"
    "  --replications R, -r R replications per refinement round (default: the\n"
    "                         scenario's 'replications')\n"
    "  --set KEY.PATH=VALUE   override any scenario value before validation\n"
    "  --max-memory SIZE      the memory a run may need (default 4G); a bigger run is\n"
    "                         refused before it starts\n"
    "  --shrinkage P          share of paid agents not on the phones, e.g. 30%, for\n"
    "                         every group (default: each group's 'absenteeism')\n"
    "  --max-occupancy P      Erlang occupancy cap (default 85%); removals never\n"
    "                         push a group's simulated occupancy above it\n"
    "  --margin P             remove an agent only where every queue the group serves\n"
    "                         beats its target by P (default 5%)\n"
    "  --max-rounds N         refinement rounds at most (default 40)\n"
    "  --no-refine            the Erlang plan only, no simulation\n"
    "  --out DIR              write staffing.yaml (the plan as a 'groups:' fragment to\n"
    "                         paste into the scenario) and staffing.csv (tidy) into DIR\n"
    "  --json                 print JSON instead of the table\n"
    "  --verbose, -v          report each refinement round on stderr\n"
    "  --jobs N, -j N         threads running each round's replications (default: all\n"
    "                         cores); the plan is byte-identical whatever N\n"
    "\n"
    "Exit status: 0 a plan meeting every interval's target (or --no-refine);\n"
    "1 run-time failure (e.g. cannot write DIR); 2 bad usage or bad scenario\n"
    "(FILE:LINE:COL: error: ...); 3 the refinement stopped with intervals still\n"
    "below target (a warning; the plan of its last round is printed and written).\n"
    "\n"
    "Example:\n"
    "  ccsim staff scenarios/staffing-day.yaml --shrinkage 25% --out plan/\n";

static void progress(void *ctx, uint32_t round, uint32_t n_short, uint32_t added,
                     uint32_t removed)
{
    (void)ctx;
    ccs_app_say(CMD, "round %u: %u interval-queue cell%s short of target; %u agent%s added, %u "
                     "removed",
                round, n_short, n_short == 1 ? "" : "s", added, added == 1 ? "" : "s", removed);
}

static int cmd_main(int argc, char **argv)
{
    bool no_refine = false, has_shrink = false, has_occ = false, has_margin = false,
         has_rounds = false;
    double shrink = 0, occ = 0, margin = 0;
    long long rounds = 0;
    const struct ccs_cli_opt opts[] = {
        {.name = "shrinkage", .type = CCS_CLI_FRACTION, .dest = &shrink, .seen = &has_shrink,
         .max = 1, .flags = CCS_CLI_BELOW_MAX, .want = "a percentage below 100%"},
        {.name = "max-occupancy", .type = CCS_CLI_FRACTION, .dest = &occ, .seen = &has_occ,
         .max = 1, .flags = CCS_CLI_ABOVE_MIN, .want = "a percentage above 0%"},
        {.name = "margin", .type = CCS_CLI_FRACTION, .dest = &margin, .seen = &has_margin},
        {.name = "max-rounds", .type = CCS_CLI_INT, .dest = &rounds, .seen = &has_rounds,
         .min = 1, .max = 100000},
        {.name = "no-refine", .type = CCS_CLI_FLAG, .dest = &no_refine},
        {.name = NULL},
    };
    const struct ccs_cli_spec spec = {CCS_CLI_SEED | CCS_CLI_REPS | CCS_CLI_SET | CCS_CLI_OUT |
                                          CCS_CLI_JSON | CCS_CLI_VERBOSE | CCS_CLI_JOBS | CCS_CLI_MEMORY,
                                      opts, "SCENARIO", 1, 1};
    struct ccs_cli cli;
    int rc = ccs_cli_parse(&cli, CMD, &spec, argc, argv);
    if (rc != 0)
        goto done;
    const char *out_dir = cli.out;
    bool json = cli.json, verbose = cli.verbose;

    struct ccs_scenario *sc = NULL;
    if ((rc = ccs_cli_load(&cli, cli.operands[0], &sc)) != 0)
        goto done;
    struct ccs_run_opts ro = ccs_cli_run_opts(&cli, sc);
    struct ccs_staff_opts so = ccs_staff_opts_default(sc);
    so.seed = ro.seed;
    so.replications = ro.replications;
    so.jobs = ro.jobs;
    so.refine = !no_refine;
    if (has_shrink)
        so.shrinkage = shrink;
    if (has_occ)
        so.max_occupancy = occ;
    if (has_margin)
        so.margin = margin;
    if (has_rounds)
        so.max_rounds = (uint32_t)rounds;
    if (verbose)
        so.progress = progress;
    struct ccs_diag d;
    ccs_diag_clear(&d);
    if (!ccs_cli_out_ok(out_dir)) {
        rc = CCS_EXIT_FAIL;
        ccs_scenario_free(sc);
        goto done;
    }
    struct ccs_staffing *st = NULL;
    int src = ccs_staff_erlang_plan(sc, &so, &st, &d);
    if (src == 0 && so.refine)
        src = ccs_staff_refine(st, &so, &d);
    if (src != 0) {
        fprintf(stderr, "%s\n", d.code ? d.msg : ccs_strerror(src));
        rc = src == CCS_EINVAL ? CCS_EXIT_USAGE : CCS_EXIT_FAIL;
    } else {
        rc = st->status == CCS_STAFF_SHORT ? EXIT_SHORT : CCS_EXIT_OK;
        if (out_dir != NULL && ccs_staff_write_dir(out_dir, st, &d) != 0) {
            fprintf(stderr, "%s\n", d.msg);
            rc = CCS_EXIT_FAIL;
        }
        if (rc != CCS_EXIT_FAIL) {
            if (json ? ccs_staff_write_json(stdout, st) : ccs_staff_write_table(stdout, st))
                rc = CCS_EXIT_FAIL;
            if (fflush(stdout) != 0)
                rc = CCS_EXIT_FAIL;
        }
        if (st->status == CCS_STAFF_SHORT)
            ccs_app_say(CMD,
                        "warning: the refinement did not converge after %u round%s: some "
                        "intervals stay below target (try --max-rounds, or check that the groups "
                        "can serve the queues)",
                        st->rounds, st->rounds == 1 ? "" : "s");
    }
    ccs_staffing_free(st);
    ccs_scenario_free(sc);
done:
    ccs_cli_release(&cli);
    return rc;
}

const struct ccs_command ccs_cmd_staff = {
    CMD, "agents needed per interval: Erlang C/A, then a plan refined by simulation", help,
    cmd_main};
