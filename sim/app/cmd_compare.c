/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cmd_compare.c - `ccsim compare`: variants of a scenario (--variant, or the
 * file's `variants:`), or several scenario files, on common random numbers;
 * each KPI's means, paired differences and verdicts as a table or JSON, and
 * compare.csv with --out. The work is ccs_compare_run (include/ccs/compare.h).
 */
#include "app/cli.h"
#include "cmd.h"

#include "ccs/ccs.h"
#include "ccs/mem.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char help[] =
    "usage: ccsim compare SCENARIO [--variant NAME:KEY.PATH=VALUE[,...]]... [options]\n"
    "       ccsim compare BASELINE.yaml OTHER.yaml [MORE.yaml...] [options]\n"
    "\n"
    "Run variants of a scenario on common random numbers (the same seed and\n"
    "replication numbers, so the same contacts with the same needs and patience)\n"
    "and print, per KPI (overall, per queue, segment and group), each variant's\n"
    "mean with its 95% confidence interval, the paired difference to the baseline\n"
    "with its own 95% interval, and a verdict: better, worse, no significant\n"
    "difference, or n/a (a KPI with no good direction). Then the overall service\n"
    "level interval by interval: when in the day a variant helps or hurts.\n"
    "\n"
    "Variants (the first one is the baseline):\n"
    "  --variant NAME:KEY.PATH=VALUE[,KEY.PATH=VALUE...]\n"
    "                         a variant: the scenario with these overrides (as --set);\n"
    "                         repeatable. The unmodified scenario is the baseline, named\n"
    "                         'baseline', unless one --variant is named 'baseline'\n"
    "                         (it then comes first). Without --variant, the scenario's\n"
    "                         'variants:' list is used (docs/scenario.md).\n"
    "  BASELINE.yaml OTHER.yaml ...\n"
    "                         compare whole scenario files, named by file name; the\n"
    "                         first is the baseline and sets the seed and counts\n"
    "\n"
    "Options:\n"
    "  --seed N               seed of every variant (default: the baseline's 'seed')\n"
    "  --replications R, -r R replications per variant (default: the baseline's); with\n"
    "                         --precision, the number to start from (default 10); in\n"
    "                         batch-means mode, the number of batches\n"
    "  --set KEY.PATH=VALUE   override a value in every variant (a variant's own\n"
    "                         overrides win)\n"
    "  --max-memory SIZE      the memory a run may need (default 4G); a bigger run is\n"
    "                         refused before it starts\n"
    "  --precision [SCOPE:]KPI=HALFWIDTH\n"
    "                         add replications (or batches) until the paired\n"
    "                         difference's CI half-width of KPI is at most HALFWIDTH for\n"
    "                         every variant; repeatable. SCOPE: overall (default),\n"
    "                         queue:ID, segment:QUEUE/SEGMENT or group:ID; e.g.\n"
    "                         --precision service_level=1% --precision queue:sales:asa=2s\n"
    "  --max-replications N   cap for --precision (default 1000; batches in batch means)\n"
    "  --method M             auto (default: batch-means if the baseline has a warmup,\n"
    "                         else replications), replications, or batch-means\n"
    "  --out DIR              also write compare.csv, compare.json and each variant's\n"
    "                         standard outputs in DIR/NAME/\n"
    "  --json                 print JSON instead of the table\n"
    "  --plots                with --out, also draw charts (DIR/charts/, with gnuplot)\n"
    "                         and write DIR/report.html (docs/plots.md)\n"
    "  --jobs N, -j N         threads running replications (default: all cores); the\n"
    "                         results are byte-identical whatever N, --precision's\n"
    "                         stopping count included\n"
    "  --backtest PATH        the model's backtest (backtest.csv or its folder;\n"
    "                         default: the baseline's 'backtest:'): its error on real\n"
    "                         days beside each difference, in every report\n"
    "\n"
    "Exit status: 0 ok, 1 run-time failure (e.g. cannot write DIR), 2 bad usage,\n"
    "bad scenario or bad variant (message: FILE:LINE:COL: error: ..., or\n"
    "--variant:1:COL: error: ...).\n"
    "\n"
    "Examples:\n"
    "  ccsim compare scenarios/default.yaml --variant plus1:groups.sales_team.agents=18\n"
    "  ccsim compare scenarios/default.yaml --variant a:groups.sales_team.agents=16 \\\n"
    "      --variant b:groups.sales_team.agents=18 --precision service_level=0.5%\n"
    "  ccsim compare today.yaml proposal.yaml --replications 40 --out results/\n";

/* Everything the command owns, released in one place. */
struct job {
    struct ccs_cli cli;
    struct ccs_cli_list variant_args; /* --variant, in order */
    struct ccs_precision *targets;
    size_t n_targets;
    struct ccs_scenario **owned; /* every scenario loaded or derived */
    size_t n_owned;
    struct ccs_variant *vars;
    size_t n_vars;
    char **texts; /* names and descriptions we made */
    size_t n_texts;
};

static void job_release(struct job *j)
{
    for (size_t i = 0; i < j->n_owned; i++)
        ccs_scenario_free(j->owned[i]);
    for (size_t i = 0; i < j->n_texts; i++)
        free(j->texts[i]);
    free(j->owned);
    free(j->texts);
    free(j->vars);
    ccs_cli_list_release(&j->variant_args);
    free(j->targets);
    ccs_cli_release(&j->cli);
}

static bool grow(void **p, size_t n, size_t size)
{
    void *q = ccs_realloc(*p, (n + 1) * size);
    if (q == NULL)
        return false;
    *p = q;
    return true;
}

static char *keep_text(struct job *j, const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = ccs_malloc(n);
    if (p == NULL || !grow((void **)&j->texts, j->n_texts, sizeof *j->texts)) {
        free(p);
        return NULL;
    }
    memcpy(p, s, n);
    j->texts[j->n_texts++] = p;
    return p;
}

/* Take ownership of sc and add it as a variant (baseline: first). */
static int add_variant(struct job *j, const char *name, const char *desc, struct ccs_scenario *sc,
                       bool first)
{
    if (!grow((void **)&j->owned, j->n_owned, sizeof *j->owned)) {
        ccs_scenario_free(sc);
        return -1;
    }
    j->owned[j->n_owned++] = sc;
    if (!grow((void **)&j->vars, j->n_vars, sizeof *j->vars))
        return -1;
    struct ccs_variant v = {name, sc, desc};
    if (first) {
        memmove(&j->vars[1], &j->vars[0], j->n_vars * sizeof *j->vars);
        j->vars[0] = v;
    } else {
        j->vars[j->n_vars] = v;
    }
    j->n_vars++;
    return 0;
}

static bool has_name(const struct job *j, const char *name)
{
    for (size_t i = 0; i < j->n_vars; i++)
        if (strcmp(j->vars[i].name, name) == 0)
            return true;
    return false;
}

/* SCENARIO with --variant arguments or its own `variants:`. */
static int variants_of_one(struct job *j, const char *path)
{
    struct ccs_scenario *base = NULL;
    struct ccs_diag d;
    ccs_diag_clear(&d);
    int rc = ccs_cli_load(&j->cli, path, &base);
    if (rc != 0)
        return rc;
    size_t n_file = ccs_scenario_variant_count(base);
    if (j->variant_args.n == 0 && n_file == 0) {
        ccs_scenario_free(base);
        return ccs_cli_usage(&j->cli, "nothing to compare: give --variant NAME:KEY.PATH=VALUE, a "
                                      "second scenario file, or list 'variants:' in the scenario");
    }
    bool explicit_baseline = false;
    if (j->variant_args.n > 0) {
        for (size_t i = 0; i < j->variant_args.n && rc == 0; i++) {
            struct ccs_variant_spec spec;
            struct ccs_scenario *sc = NULL;
            if (ccs_variant_spec_parse(j->variant_args.v[i], "--variant", &spec, &d) != 0 ||
                ccs_scenario_derive(base, spec.ov, spec.n_ov, &sc, &d) != 0) {
                fprintf(stderr, "%s\n", d.msg);
                ccs_variant_spec_release(&spec);
                rc = d.code == CCS_ENOMEM ? CCS_EXIT_FAIL : CCS_EXIT_USAGE;
                break;
            }
            bool is_base = strcmp(spec.name, "baseline") == 0;
            char *name = keep_text(j, spec.name), *desc = keep_text(j, spec.text);
            ccs_variant_spec_release(&spec);
            if (name == NULL || desc == NULL) {
                ccs_scenario_free(sc);
                rc = ccs_app_fail("compare", "out of memory");
            } else if (has_name(j, name)) {
                ccs_scenario_free(sc);
                rc = ccs_cli_usage(&j->cli, "two variants are named '%s'", name);
            } else if (add_variant(j, name, desc[0] ? desc : NULL, sc, is_base) != 0) {
                rc = ccs_app_fail("compare", "out of memory");
            }
            explicit_baseline = explicit_baseline || is_base;
        }
    } else {
        for (size_t i = 0; i < n_file && rc == 0; i++) {
            struct ccs_scenario *sc = NULL;
            if (ccs_scenario_variant_derive(base, i, &sc, &d) != 0) {
                fprintf(stderr, "%s\n", d.msg);
                rc = d.code == CCS_ENOMEM ? CCS_EXIT_FAIL : CCS_EXIT_USAGE;
                break;
            }
            /* copies: base is freed below when one of its variants is the baseline */
            const char *desc = ccs_scenario_variant_description(base, i);
            char summary[512];
            ccs_scenario_variant_summary(base, i, summary, sizeof summary);
            char *name = keep_text(j, ccs_scenario_variant_name(base, i));
            char *shown = desc != NULL ? keep_text(j, desc) : keep_text(j, summary);
            bool is_base = name != NULL && strcmp(name, "baseline") == 0;
            if (name == NULL || shown == NULL) {
                ccs_scenario_free(sc);
                rc = ccs_app_fail("compare", "out of memory");
            } else if (add_variant(j, name, shown[0] ? shown : NULL, sc, is_base) != 0) {
                rc = ccs_app_fail("compare", "out of memory");
            }
            explicit_baseline = explicit_baseline || is_base;
        }
    }
    if (rc == 0 && !explicit_baseline) {
        if (add_variant(j, "baseline", NULL, base, true) != 0)
            rc = ccs_app_fail("compare", "out of memory");
        base = NULL; /* owned now */
    }
    if (base != NULL && (rc != 0 || explicit_baseline)) {
        /* the variants were derived from it and keep no pointer into it */
        ccs_scenario_free(base);
    }
    return rc;
}

/* A variant name from a file name: its stem, other characters as '_'. */
static void stem_name(const char *path, char *out, size_t cap)
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strcspn(base, ".");
    if (n == 0)
        n = strlen(base);
    if (n > 52) /* room for "-N" after it */
        n = 52;
    for (size_t i = 0; i < n; i++) {
        char ch = base[i];
        out[i] = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
                         ch == '-' || ch == '_'
                     ? ch
                     : '_';
    }
    out[n] = '\0';
    if (n == 0)
        snprintf(out, cap, "variant");
}

static int variants_of_files(struct job *j, char **paths, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        struct ccs_scenario *sc = NULL;
        int rc = ccs_cli_load(&j->cli, paths[i], &sc);
        if (rc != 0)
            return rc;
        char name[CCS_ID_MAX + 1], unique[CCS_ID_MAX + 1];
        stem_name(paths[i], name, sizeof name);
        snprintf(unique, sizeof unique, "%s", name);
        for (int k = 2; has_name(j, unique); k++)
            snprintf(unique, sizeof unique, "%.52s-%d", name, k);
        char *kept = keep_text(j, unique);
        if (kept == NULL || add_variant(j, kept, paths[i], sc, false) != 0)
            return ccs_app_fail("compare", "out of memory");
    }
    return 0;
}

/* --precision [SCOPE:]KPI=HALFWIDTH, appended to the job's targets. */
static int parse_precision(void *dest, const char *arg, char *why, size_t cap)
{
    struct job *j = dest;
    struct ccs_precision *t = ccs_realloc(j->targets, (j->n_targets + 1) * sizeof *t);
    (void)why;
    (void)cap;
    if (t == NULL)
        return ccs_app_fail("compare", "out of memory");
    j->targets = t;
    struct ccs_diag d;
    ccs_diag_clear(&d);
    if (ccs_precision_parse(arg, "--precision", &t[j->n_targets], &d) != 0) {
        fprintf(stderr, "%s\n", d.msg); /* located: --precision:1:COL: error: ... */
        return CCS_EXIT_USAGE;
    }
    j->n_targets++;
    return 0;
}

static int cmd_main(int argc, char **argv)
{
    struct job j;
    memset(&j, 0, sizeof j);
    long long cap = 0;
    int method = 0; /* index in methods[] */
    const char *bt_path = NULL;
    struct ccs_backtest *bt = NULL;
    static const char *const methods[] = {"auto", "replications", "batch-means", NULL};
    static const enum ccs_compare_method method_of[] = {CCS_CMP_AUTO, CCS_CMP_REPLICATIONS,
                                                        CCS_CMP_BATCH_MEANS};
    const struct ccs_cli_opt opts[] = {
        {.name = "variant", .type = CCS_CLI_LIST, .dest = &j.variant_args},
        {.name = "precision", .type = CCS_CLI_CUSTOM, .dest = &j, .parse = parse_precision},
        {.name = "max-replications", .type = CCS_CLI_INT, .dest = &cap, .min = 2, .max = 1000000},
        {.name = "method", .type = CCS_CLI_CHOICE, .dest = &method, .choices = methods},
        {.name = "backtest", .type = CCS_CLI_STRING, .dest = &bt_path},
        {.name = NULL},
    };
    const struct ccs_cli_spec spec = {CCS_CLI_SEED | CCS_CLI_REPS | CCS_CLI_SET | CCS_CLI_OUT |
                                          CCS_CLI_JSON | CCS_CLI_PLOTS | CCS_CLI_JOBS | CCS_CLI_MEMORY,
                                      opts, "SCENARIO", 1, SIZE_MAX};
    struct ccs_diag d;
    ccs_diag_clear(&d);
    int rc = ccs_cli_parse(&j.cli, "compare", &spec, argc, argv);
    if (rc != 0)
        goto done;
    rc = CCS_EXIT_USAGE;
    const char *out_dir = j.cli.out;
    bool json = j.cli.json, plots = j.cli.plots;
    size_t n_files = j.cli.n_operands;
    if (cap > 0 && j.n_targets == 0) {
        ccs_cli_usage(&j.cli, "--max-replications applies to --precision");
        goto done;
    }
    if (bt_path != NULL && ccs_backtest_load(bt_path, &bt, &d) != 0) {
        fprintf(stderr, "%s\n", d.msg);
        rc = d.code == CCS_ENOMEM ? CCS_EXIT_FAIL : CCS_EXIT_USAGE;
        goto done;
    }
    if (n_files > 1 && j.variant_args.n > 0) {
        ccs_cli_usage(&j.cli, "--variant applies to one SCENARIO, not to a list of scenario "
                              "files");
        goto done;
    }
    if ((rc = n_files == 1 ? variants_of_one(&j, j.cli.operands[0])
                           : variants_of_files(&j, j.cli.operands, n_files)) != 0)
        goto done;
    rc = CCS_EXIT_USAGE;
    /* a fitted scenario names its backtest: the model's error comes with it */
    const char *named = ccs_scenario_backtest(j.vars[0].sc);
    if (bt == NULL && named != NULL) {
        if (access(named, F_OK) != 0) {
            fprintf(stderr,
                    "compare: note: %s names the backtest %s, which is not there yet: the "
                    "verdicts come without the model's error on real days (write it with "
                    "'ccsim backtest LOG.yaml --out DIR', LOG.yaml being the scenario the fit "
                    "read)\n",
                    j.vars[0].sc != NULL ? ccs_scenario_origin(j.vars[0].sc) : "the scenario",
                    named);
        } else if (ccs_backtest_load(named, &bt, &d) != 0) {
            fprintf(stderr, "%s\n", d.msg);
            rc = d.code == CCS_ENOMEM ? CCS_EXIT_FAIL : CCS_EXIT_USAGE;
            goto done;
        } else {
            bt_path = named;
        }
    }

    struct ccs_compare_opts o = ccs_compare_opts_default(j.vars[0].sc);
    if (j.cli.has_seed)
        o.seed = j.cli.seed;
    if (j.cli.has_reps)
        o.replications = (uint32_t)j.cli.reps;
    if (j.cli.has_jobs)
        o.jobs = (unsigned)j.cli.jobs;
    o.method = method_of[method];
    o.targets = j.targets;
    o.n_targets = j.n_targets;
    if (cap > 0)
        o.max_replications = (uint32_t)cap;
    else if (j.cli.has_reps && o.replications > o.max_replications)
        o.max_replications = o.replications;
    if (j.n_targets > 0 && o.replications > o.max_replications) {
        ccs_cli_usage(&j.cli, "--replications (the count to start from) is above "
                              "--max-replications");
        goto done;
    }

    if (plots && out_dir == NULL) {
        ccs_cli_usage(&j.cli, "--plots needs --out DIR (the charts and report.html go there)");
        goto done;
    }
    struct ccs_plot_opts po = ccs_plot_opts_default();
    po.note = ccs_app_plot_note;
    po.note_ctx = (void *)"compare";

    if (!ccs_cli_out_ok(out_dir)) {
        rc = CCS_EXIT_FAIL;
        goto done;
    }

    struct ccs_compare *cmp = NULL;
    int err = ccs_compare_run(j.vars, j.n_vars, &o, &cmp, &d);
    if (err != 0) {
        fprintf(stderr, "%s\n", d.msg);
        rc = err == CCS_EINVAL ? CCS_EXIT_USAGE : CCS_EXIT_FAIL;
        goto done;
    }
    rc = CCS_EXIT_OK;
    if (bt != NULL && ccs_compare_set_backtest(cmp, bt, bt_path) != 0) {
        ccs_compare_free(cmp);
        rc = ccs_app_fail("compare", "out of memory");
        goto done;
    }
    if (out_dir != NULL &&
        ccs_report_compare_write_dir(out_dir, cmp, plots ? &po : NULL, &d) != 0) {
        fprintf(stderr, "%s\n", d.msg);
        rc = CCS_EXIT_FAIL;
    }
    if (rc == CCS_EXIT_OK) {
        if (json ? ccs_report_compare_json(stdout, cmp) : ccs_report_compare_table(stdout, cmp))
            rc = CCS_EXIT_FAIL;
        if (bt != NULL && !json && ccs_report_compare_backtest(stdout, cmp, bt, bt_path) != 0)
            rc = CCS_EXIT_FAIL;
        if (fflush(stdout) != 0)
            rc = CCS_EXIT_FAIL;
    }
    ccs_compare_free(cmp);
done:
    ccs_backtest_free(bt);
    job_release(&j);
    return rc;
}

const struct ccs_command ccs_cmd_compare = {
    "compare", "compare variants on common random numbers: differences with CIs and verdicts",
    help, cmd_main};
