/*
 * cmd_staff.c - `ccsim staff`: the agents a scenario needs per interval, by
 * Erlang C and Erlang A per queue, then a per-group plan refined by
 * simulation; prints it, or writes staffing.yaml and staffing.csv.
 */
#include "app/cli.h"
#include "cmd.h"

#include "ccs/ccs.h"

#include <getopt.h>
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
    fprintf(stderr, "ccsim staff: round %u: %u interval-queue cell%s short of target; %u agent%s "
                    "added, %u removed\n",
            round, n_short, n_short == 1 ? "" : "s", added, added == 1 ? "" : "s", removed);
}

static int write_yaml(FILE *f, const void *st)
{
    return ccs_staff_write_yaml(f, st);
}

static int write_csv(FILE *f, const void *st)
{
    return ccs_staff_write_csv(f, st);
}

static int write_outputs(const char *dir, const struct ccs_staffing *st, struct ccs_diag *d)
{
    struct ccs_outdir *o;
    int rc = ccs_outdir_open(dir, &o, d);
    if (rc)
        return rc;
    static const struct {
        const char *name;
        int (*fn)(FILE *, const void *);
    } files[] = {{"staffing.yaml", write_yaml}, {"staffing.csv", write_csv}};
    for (size_t i = 0; i < 2; i++) {
        FILE *f = ccs_outdir_file(o, files[i].name, d);
        if (f == NULL || files[i].fn(f, st) != 0) {
            if (f != NULL)
                ccs_diag_at(d, CCS_EIO, NULL, 0, 0, "cannot write %s/%s", dir, files[i].name);
            ccs_outdir_abort(o);
            return CCS_EIO;
        }
    }
    return ccs_outdir_commit(o, d);
}

/* A percentage option: "30%" or 0.3, within [lo, hi]. */
static int percent_opt(const char *name, const char *arg, double lo, double hi, bool open_hi,
                       double *out)
{
    const char *why;
    double v;
    if (ccs_parse_fraction(arg, &v, &why) != 0 || v < lo || v > hi || (open_hi && v >= hi))
        return ccs_app_usage_error(CMD, "%s must be a percentage in %s%g%%, %g%%%s, got '%s'", name,
                                   lo > 0 ? "(" : "[", 100 * lo, 100 * hi, open_hi ? ")" : "]",
                                   arg);
    *out = v;
    return 0;
}

static int cmd_main(int argc, char **argv)
{
    static const struct option opts[] = {
        {"seed", required_argument, NULL, 's'},
        {"replications", required_argument, NULL, 'r'},
        {"set", required_argument, NULL, 'S'},
        CCS_CLI_MAX_MEMORY_OPTION,
        {"shrinkage", required_argument, NULL, 'k'},
        {"max-occupancy", required_argument, NULL, 'c'},
        {"margin", required_argument, NULL, 'm'},
        {"max-rounds", required_argument, NULL, 'n'},
        {"no-refine", no_argument, NULL, 'N'},
        {"out", required_argument, NULL, 'o'},
        {"json", no_argument, NULL, 'j'},
        {"verbose", no_argument, NULL, 'v'},
        {NULL, 0, NULL, 0},
    };
    struct ccs_cli_common cc;
    ccs_cli_common_init(&cc);
    const char *out_dir = NULL;
    bool json = false, verbose = false, no_refine = false, has_shrink = false, has_occ = false,
         has_margin = false, has_rounds = false;
    double shrink = 0, occ = 0, margin = 0;
    long long rounds = 0;
    int rc = CCS_EXIT_USAGE, c;
    opterr = 0;
    optind = 1;
    while ((c = getopt_long(argc, argv, ":r:v", opts, NULL)) != -1) {
        switch (c) {
        case 's':
        case 'r':
        case 'S':
        case CCS_CLI_OPT_MAX_MEMORY:
            if (ccs_cli_common_option(&cc, CMD, c, optarg) != 0)
                goto done;
            break;
        case 'k':
            if (percent_opt("--shrinkage", optarg, 0, 1, true, &shrink))
                goto done;
            has_shrink = true;
            break;
        case 'c':
            if (percent_opt("--max-occupancy", optarg, 0, 1, false, &occ))
                goto done;
            if (occ == 0) {
                ccs_app_usage_error(CMD, "--max-occupancy must be above 0%%, got '%s'", optarg);
                goto done;
            }
            has_occ = true;
            break;
        case 'm':
            if (percent_opt("--margin", optarg, 0, 1, false, &margin))
                goto done;
            has_margin = true;
            break;
        case 'n':
            if (ccs_parse_int(optarg, &rounds, NULL) != 0 || rounds < 1 || rounds > 100000) {
                ccs_app_usage_error(CMD, "--max-rounds must be a whole number from 1 to 100000, "
                                         "got '%s'",
                                    optarg);
                goto done;
            }
            has_rounds = true;
            break;
        case 'N':
            no_refine = true;
            break;
        case 'o':
            out_dir = optarg;
            break;
        case 'j':
            json = true;
            break;
        case 'v':
            verbose = true;
            break;
        default:
            ccs_cli_bad_option(CMD, argv, c);
            goto done;
        }
    }
    if (optind != argc - 1) {
        ccs_app_usage_error(CMD, optind >= argc ? "missing SCENARIO" : "too many arguments");
        goto done;
    }

    struct ccs_scenario *sc = NULL;
    if (ccs_cli_load(&cc, argv[optind], &sc) != 0)
        goto done;
    struct ccs_run_opts ro = ccs_cli_run_opts(&cc, sc);
    struct ccs_staff_opts so = ccs_staff_opts_default(sc);
    so.seed = ro.seed;
    so.replications = ro.replications;
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
    struct ccs_outdir *probe = NULL;
    if (out_dir != NULL && ccs_outdir_open(out_dir, &probe, &d) != 0) {
        fprintf(stderr, "%s\n", d.msg);
        rc = CCS_EXIT_FAIL;
        ccs_scenario_free(sc);
        goto done;
    }
    ccs_outdir_abort(probe);
    struct ccs_staffing *st = NULL;
    int src = ccs_staff_erlang_plan(sc, &so, &st, &d);
    if (src == 0 && so.refine)
        src = ccs_staff_refine(st, &so, &d);
    if (src != 0) {
        fprintf(stderr, "%s\n", d.code ? d.msg : ccs_strerror(src));
        rc = src == CCS_EINVAL ? CCS_EXIT_USAGE : CCS_EXIT_FAIL;
    } else {
        rc = st->status == CCS_STAFF_SHORT ? EXIT_SHORT : CCS_EXIT_OK;
        if (out_dir != NULL && write_outputs(out_dir, st, &d) != 0) {
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
            fprintf(stderr,
                    "ccsim staff: warning: the refinement did not converge after %u round%s: "
                    "some intervals stay below target (try --max-rounds, or check that the "
                    "groups can serve the queues)\n",
                    st->rounds, st->rounds == 1 ? "" : "s");
    }
    ccs_staffing_free(st);
    ccs_scenario_free(sc);
done:
    ccs_cli_common_release(&cc);
    return rc;
}

const struct ccs_command ccs_cmd_staff = {
    CMD, "agents needed per interval: Erlang C/A, then a plan refined by simulation", help,
    cmd_main};
