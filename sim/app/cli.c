/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cli.c - the commands' option parser (cli.h): the common options, a
 * command's own table, getopt_long underneath, values through the public
 * unit parsers, one form for every usage error.
 */
#include "app/cli.h"
#include "cmd.h"

#include "ccs/ccs.h"
#include "ccs/mem.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_OPTS 64

/* "4G", "512MiB", "1.5T", "1000000": bytes, at least 1 MiB. */
static int parse_size(void *dest, const char *s, char *why, size_t cap)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    int bad = end == s || errno != 0 || !(v > 0) || v > 1e18;
    static const char *const units[] = {"", "K", "M", "G", "T"};
    double mul = 0;
    for (int i = 0; i < 5 && mul == 0 && !bad; i++) {
        char a[8], b[8], c[8];
        snprintf(a, sizeof a, "%s", units[i]);
        snprintf(b, sizeof b, "%siB", units[i]);
        snprintf(c, sizeof c, "%sB", units[i]);
        if (strcmp(end, a) == 0 || (i > 0 && (strcmp(end, b) == 0 || strcmp(end, c) == 0)) ||
            (i == 0 && strcmp(end, "B") == 0))
            mul = 1;
        for (int k = 0; k < i && mul != 0; k++)
            mul *= 1024;
    }
    if (bad || mul == 0 || v * mul < 1024 * 1024) {
        snprintf(why, cap, "expected a size such as 8G or 512M (at least 1M)");
        return -1;
    }
    *(double *)dest = v * mul;
    return 0;
}

static void fmt_bytes(char *buf, size_t cap, double b)
{
    if (b >= 1024.0 * 1024 * 1024)
        snprintf(buf, cap, "%.1f GiB", b / (1024.0 * 1024 * 1024));
    else
        snprintf(buf, cap, "%.0f MiB", ceil(b / (1024.0 * 1024)));
}

bool ccs_cli_out_ok(const char *dir)
{
    struct ccs_outdir *probe = NULL;
    struct ccs_diag d;
    ccs_diag_clear(&d);
    if (dir != NULL && ccs_outdir_open(dir, &probe, &d) != 0) {
        fprintf(stderr, "%s\n", d.msg);
        return false;
    }
    ccs_outdir_abort(probe);
    return true;
}

bool ccs_cli_memory_ok(const struct ccs_cli *cli, const char *where, double need, const char *what,
                       const char *hint)
{
    if (need <= cli->max_memory)
        return true;
    char n[32], m[32];
    fmt_bytes(n, sizeof n, need);
    fmt_bytes(m, sizeof m, cli->max_memory);
    fprintf(stderr,
            "%s: error: this needs about %s of memory (%s), more than the budget of %s; %s, "
            "or raise the budget with --max-memory SIZE\n",
            where, n, what, m, hint);
    return false;
}

/* The common options, as table entries pointing into cli. */
static size_t common_opts(struct ccs_cli *cli, unsigned mask, struct ccs_cli_opt *o)
{
    size_t n = 0;
    if (mask & CCS_CLI_SEED)
        o[n++] = (struct ccs_cli_opt){.name = "seed", .type = CCS_CLI_U64, .dest = &cli->seed,
                                      .seen = &cli->has_seed,
                                      .want = "a whole number from 0 to 2^64-1"};
    if (mask & CCS_CLI_REPS)
        o[n++] = (struct ccs_cli_opt){.name = "replications", .letter = 'r', .type = CCS_CLI_INT,
                                      .dest = &cli->reps, .seen = &cli->has_reps, .min = 1,
                                      .max = 1000000};
    if (mask & CCS_CLI_SET)
        o[n++] = (struct ccs_cli_opt){.name = "set", .type = CCS_CLI_LIST, .dest = &cli->set};
    if (mask & CCS_CLI_OUT)
        o[n++] = (struct ccs_cli_opt){.name = "out", .type = CCS_CLI_STRING, .dest = &cli->out};
    if (mask & CCS_CLI_JSON)
        o[n++] = (struct ccs_cli_opt){.name = "json", .type = CCS_CLI_FLAG, .dest = &cli->json};
    if (mask & CCS_CLI_PLOTS)
        o[n++] = (struct ccs_cli_opt){.name = "plots", .type = CCS_CLI_FLAG, .dest = &cli->plots};
    if (mask & CCS_CLI_VERBOSE)
        o[n++] = (struct ccs_cli_opt){.name = "verbose", .letter = 'v', .type = CCS_CLI_FLAG,
                                      .dest = &cli->verbose};
    if (mask & CCS_CLI_JOBS)
        o[n++] = (struct ccs_cli_opt){.name = "jobs", .letter = 'j', .type = CCS_CLI_INT,
                                      .dest = &cli->jobs, .seen = &cli->has_jobs, .min = 1,
                                      .max = 4096};
    if (mask & CCS_CLI_MEMORY)
        o[n++] = (struct ccs_cli_opt){.name = "max-memory", .type = CCS_CLI_CUSTOM,
                                      .dest = &cli->max_memory, .parse = parse_size};
    return n;
}

bool ccs_cli_list_push(struct ccs_cli_list *l, const char *s)
{
    const char **p = ccs_realloc(l->v, (l->n + 1) * sizeof *p);
    if (p == NULL)
        return false;
    l->v = p;
    l->v[l->n++] = s;
    return true;
}

void ccs_cli_list_release(struct ccs_cli_list *l)
{
    free(l->v);
    l->v = NULL;
    l->n = 0;
}

void ccs_cli_release(struct ccs_cli *cli)
{
    ccs_cli_list_release(&cli->set);
}

int ccs_cli_usage(const struct ccs_cli *cli, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return ccs_app_usage_error(cli->cmd, "%s", msg);
}

static bool in_range(const struct ccs_cli_opt *o, double v)
{
    if (!(o->min < o->max))
        return true;
    bool lo = o->flags & CCS_CLI_ABOVE_MIN ? v > o->min : v >= o->min;
    bool hi = o->flags & CCS_CLI_BELOW_MAX ? v < o->max : v <= o->max;
    return lo && hi;
}

/* "expected ..." for a value that is not what the option takes. */
static void expected(const struct ccs_cli_opt *o, char *buf, size_t cap)
{
    if (o->want != NULL) {
        snprintf(buf, cap, "expected %s", o->want);
    } else if (o->type == CCS_CLI_CHOICE) {
        /* expected 'a', 'b' or 'c' */
        size_t n = (size_t)snprintf(buf, cap, "expected");
        for (size_t i = 0; o->choices[i] != NULL && n < cap; i++) {
            const char *sep = i == 0 ? " " : o->choices[i + 1] != NULL ? ", " : " or ";
            n += (size_t)snprintf(buf + n, cap - n, "%s'%s'", sep, o->choices[i]);
        }
    } else if (o->type == CCS_CLI_INT && o->min < o->max) {
        snprintf(buf, cap, "expected a whole number from %.0f to %.0f", o->min, o->max);
    } else if (o->type == CCS_CLI_INT) {
        snprintf(buf, cap, "expected a whole number");
    } else {
        snprintf(buf, cap, "out of range");
    }
}

/* Parse and store one value; 0 or CCS_EXIT_USAGE (printed). */
static int take(const struct ccs_cli *cli, const struct ccs_cli_opt *o, const char *arg)
{
    const char *why = NULL;
    char text[512] = "";
    double v = 0;
    long long i = 0;
    uint64_t u = 0;
    int rc = 0;
    bool unit = false; /* a unit parser explains its own failures */
    switch (o->type) {
    case CCS_CLI_FLAG:
        *(bool *)o->dest = true;
        break;
    case CCS_CLI_STRING:
        *(const char **)o->dest = arg;
        break;
    case CCS_CLI_LIST:
        if (!ccs_cli_list_push(o->dest, arg)) {
            ccs_app_fail(cli->cmd, "out of memory");
            return CCS_EXIT_FAIL;
        }
        break;
    case CCS_CLI_INT:
        rc = ccs_parse_int(arg, &i, &why) != 0 || !in_range(o, (double)i);
        if (rc == 0)
            *(long long *)o->dest = i;
        break;
    case CCS_CLI_U64:
        rc = ccs_parse_u64(arg, &u, &why) != 0;
        if (rc == 0)
            *(uint64_t *)o->dest = u;
        break;
    case CCS_CLI_NUMBER:
    case CCS_CLI_DURATION:
    case CCS_CLI_RATE:
    case CCS_CLI_FRACTION:
        unit = o->type != CCS_CLI_NUMBER;
        rc = o->type == CCS_CLI_NUMBER     ? ccs_parse_number(arg, &v, &why)
             : o->type == CCS_CLI_DURATION ? ccs_parse_duration(arg, &v, &why)
             : o->type == CCS_CLI_RATE     ? ccs_parse_rate(arg, &v, &why)
                                           : ccs_parse_fraction(arg, &v, &why);
        if (rc == 0 && !in_range(o, v))
            rc = 1, why = NULL;
        if (rc == 0)
            *(double *)o->dest = v;
        break;
    case CCS_CLI_CHOICE:
        rc = 1;
        for (int k = 0; o->choices[k] != NULL; k++)
            if (strcmp(arg, o->choices[k]) == 0) {
                *(int *)o->dest = k;
                rc = 0;
            }
        break;
    case CCS_CLI_CUSTOM:
        rc = o->parse(o->dest, arg, text, sizeof text);
        if (rc != 0 && text[0] == '\0') /* it printed its own error */
            return rc == CCS_EXIT_FAIL ? CCS_EXIT_FAIL : CCS_EXIT_USAGE;
        break;
    }
    if (rc != 0) {
        if (o->type != CCS_CLI_CUSTOM && unit && why != NULL)
            snprintf(text, sizeof text, "%s", why);
        else if (o->type != CCS_CLI_CUSTOM)
            expected(o, text, sizeof text);
        return ccs_cli_usage(cli, "invalid --%s '%s': %s", o->name, arg, text);
    }
    if (o->seen != NULL)
        *o->seen = true;
    return 0;
}

int ccs_cli_parse(struct ccs_cli *cli, const char *cmd, const struct ccs_cli_spec *spec, int argc,
                  char **argv)
{
    memset(cli, 0, sizeof *cli);
    cli->max_memory = CCS_CLI_MAX_MEMORY;
    cli->cmd = cmd;
    cli->common = spec->common;
    struct ccs_cli_opt all[MAX_OPTS + 1];
    size_t n = common_opts(cli, spec->common, all);
    for (size_t k = 0; spec->opts != NULL && spec->opts[k].name != NULL; k++) {
        if (n == MAX_OPTS)
            return ccs_app_fail(cmd, "internal error: too many options");
        all[n++] = spec->opts[k];
    }
    /* getopt_long's tables: val is the index in all[] plus 256, or the letter */
    struct option lo[MAX_OPTS + 1];
    char shorts[2 * MAX_OPTS + 2] = ":";
    size_t ns = 1;
    for (size_t k = 0; k < n; k++) {
        bool has_value = all[k].type != CCS_CLI_FLAG;
        bool optional = all[k].flags & CCS_CLI_OPTIONAL;
        lo[k] = (struct option){all[k].name,
                                !has_value ? no_argument
                                : optional ? optional_argument
                                           : required_argument,
                                NULL, all[k].letter ? all[k].letter : (int)(256 + k)};
        if (all[k].letter) {
            shorts[ns++] = all[k].letter;
            if (has_value && !optional)
                shorts[ns++] = ':';
        }
    }
    lo[n] = (struct option){NULL, 0, NULL, 0};
    shorts[ns] = '\0';

    opterr = 0;
    optind = 1;
    int c;
    while ((c = getopt_long(argc, argv, shorts, lo, NULL)) != -1) {
        if (c == ':')
            return ccs_cli_usage(cli, "option '%s' needs a value", argv[optind - 1]);
        if (c == '?') {
            /* an unknown letter is in optopt (its argument may hold more letters);
               else a long option was unknown, or given a value it does not take */
            bool letter = optopt > 0 && optopt < 256 && strchr(shorts + 1, optopt) == NULL;
            if (letter)
                return ccs_cli_usage(cli, "unknown option '-%c'", optopt);
            return ccs_cli_usage(cli, "unknown option '%s'", argv[optind - 1]);
        }
        size_t k = 0;
        if (c >= 256)
            k = (size_t)(c - 256);
        else
            while (k < n && all[k].letter != c)
                k++;
        const struct ccs_cli_opt *o = &all[k];
        const char *arg = optarg;
        if (o->flags & CCS_CLI_OPTIONAL) {
            /* --opt N: a next argument that starts with a digit is the value */
            if (arg == NULL && optind < argc && isdigit((unsigned char)argv[optind][0]))
                arg = argv[optind++];
            if (arg == NULL) {
                if (o->seen != NULL)
                    *o->seen = true;
                continue;
            }
        }
        int rc = take(cli, o, arg);
        if (rc != 0)
            return rc;
    }
    cli->operands = argv + optind;
    cli->n_operands = (size_t)(argc - optind);
    if (cli->n_operands < spec->min_operands)
        return ccs_cli_usage(cli, "missing %s", spec->operand ? spec->operand : "argument");
    if (cli->n_operands > spec->max_operands)
        return ccs_cli_usage(cli, "unexpected argument '%s'", cli->operands[spec->max_operands]);
    return 0;
}

void ccs_cli_policy_names(char *buf, size_t cap)
{
    size_t n = 0;
    buf[0] = '\0';
    for (size_t i = 0; ccs_policies[i] != NULL && n < cap; i++)
        n += (size_t)snprintf(buf + n, cap - n, "%s%s", i ? ", " : "", ccs_policies[i]->name);
}

/* Load path with the --set overrides: one scenario into *one, or (many not
   NULL) one per replayed date chosen by dates into *many and *n. */
static int load(const struct ccs_cli *cli, const char *path, const char *dates,
                const char *dates_origin, struct ccs_scenario **one, struct ccs_scenario ***many,
                size_t *n)
{
    struct ccs_diag d;
    ccs_diag_clear(&d);
    size_t n_set = cli->set.n;
    struct ccs_override *ov = ccs_calloc(n_set + 1, sizeof *ov);
    char **bufs = ccs_calloc(n_set + 1, sizeof *bufs);
    int rc = ov && bufs ? 0 : CCS_ENOMEM;
    for (size_t i = 0; i < n_set && rc == 0; i++) {
        size_t len = strlen(cli->set.v[i]) + 1;
        bufs[i] = ccs_malloc(len);
        if (bufs[i] == NULL)
            rc = CCS_ENOMEM;
        else
            rc = ccs_override_parse(cli->set.v[i], "--set", bufs[i], len, &ov[i], &d);
    }
    struct ccs_load_opts o = {.ov = ov, .n_ov = n_set, .dates = dates,
                              .dates_origin = dates_origin};
    if (rc == 0)
        rc = many != NULL ? ccs_scenario_load_dates(path, &o, many, n, &d)
                          : ccs_scenario_load_opts(path, &o, one, &d);
    if (rc != 0 && d.code)
        fprintf(stderr, "%s\n", d.msg);
    else if (rc != 0)
        ccs_app_fail(cli->cmd, "out of memory");
    for (size_t i = 0; bufs && i < n_set; i++)
        free(bufs[i]);
    free(bufs);
    free(ov);
    size_t count = rc != 0 ? 0 : many != NULL ? *n : 1;
    for (size_t i = 0; i < count; i++) {
        const struct ccs_scenario *sc = many != NULL ? (*many)[i] : *one;
        const struct ccs_layout *l = ccs_scenario_layout(sc);
        size_t nq = ccs_scenario_queue_count(sc), ng = ccs_scenario_group_count(sc);
        /* a command on the thread pool holds several replications at once */
        unsigned sims = 1;
        if (cli->common & CCS_CLI_JOBS)
            sims = ccs_run_sims_at_once(cli->has_jobs ? (unsigned)cli->jobs : 0,
                                        cli->has_reps ? (uint32_t)cli->reps
                                                      : ccs_scenario_replications(sc));
        char what[240];
        int len = snprintf(what, sizeof what,
                           "%zu queue%s and %zu group%s over %u intervals: %zu results per "
                           "replication",
                           nq, nq == 1 ? "" : "s", ng, ng == 1 ? "" : "s", l->n_intervals, l->n);
        if (sims > 1 && len > 0 && (size_t)len < sizeof what)
            snprintf(what + len, sizeof what - (size_t)len, ", %u replications at once", sims);
        double need = ccs_run_memory_estimate(sc, sims, cli->whole_run_only);
        if (!ccs_cli_memory_ok(cli, path, need, what,
                               sims > 1 ? "use fewer --jobs, a longer 'interval' or a shorter "
                                          "'horizon'"
                                        : "use a longer 'interval' or a shorter 'horizon'")) {
            if (many != NULL) {
                ccs_scenario_list_free(*many, *n);
                *many = NULL;
                *n = 0;
            } else {
                ccs_scenario_free(*one);
                *one = NULL;
            }
            return CCS_EXIT_USAGE;
        }
    }
    if (rc == 0)
        return 0;
    return rc == CCS_ENOMEM ? CCS_EXIT_FAIL : CCS_EXIT_USAGE;
}

int ccs_cli_load(const struct ccs_cli *cli, const char *path, struct ccs_scenario **out)
{
    return load(cli, path, NULL, NULL, out, NULL, NULL);
}

int ccs_cli_load_dates(const struct ccs_cli *cli, const char *path, const char *dates,
                       const char *dates_origin, struct ccs_scenario ***out, size_t *n)
{
    return load(cli, path, dates, dates_origin, NULL, out, n);
}

struct ccs_run_opts ccs_cli_run_opts(const struct ccs_cli *cli, const struct ccs_scenario *sc)
{
    struct ccs_run_opts o = ccs_run_opts_default(sc);
    if (cli->has_seed)
        o.seed = cli->seed;
    if (cli->has_reps)
        o.replications = (uint32_t)cli->reps;
    if (cli->has_jobs)
        o.jobs = (unsigned)cli->jobs;
    return o;
}
