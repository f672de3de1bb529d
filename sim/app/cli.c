/*
 * cli.c - shared option handling for scenario-running commands.
 */
#include "app/cli.h"
#include "cmd.h"

#include "ccs/ccs.h"

#include <errno.h>
#include <math.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ccs_cli_common_init(struct ccs_cli_common *cc)
{
    memset(cc, 0, sizeof *cc);
    cc->max_memory = CCS_CLI_MAX_MEMORY;
}

/* "4G", "512MiB", "1.5T", "1000000": bytes, at least 1 MiB. */
static bool parse_size(const char *s, double *out)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (end == s || errno != 0 || !(v > 0) || v > 1e18)
        return false;
    static const char *const units[] = {"", "K", "M", "G", "T"};
    double mul = 0;
    for (int i = 0; i < 5 && mul == 0; i++) {
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
    if (mul == 0 || v * mul < 1024 * 1024)
        return false;
    *out = v * mul;
    return true;
}

static void fmt_bytes(char *buf, size_t cap, double b)
{
    if (b >= 1024.0 * 1024 * 1024)
        snprintf(buf, cap, "%.1f GiB", b / (1024.0 * 1024 * 1024));
    else
        snprintf(buf, cap, "%.0f MiB", ceil(b / (1024.0 * 1024)));
}

bool ccs_cli_memory_ok(const struct ccs_cli_common *cc, const char *where, double need,
                       const char *what, const char *hint)
{
    if (need <= cc->max_memory)
        return true;
    char n[32], m[32];
    fmt_bytes(n, sizeof n, need);
    fmt_bytes(m, sizeof m, cc->max_memory);
    fprintf(stderr,
            "%s: error: this needs about %s of memory (%s), more than the budget of %s; %s, "
            "or raise the budget with --max-memory SIZE\n",
            where, n, what, m, hint);
    return false;
}

void ccs_cli_common_release(struct ccs_cli_common *cc)
{
    free(cc->set);
    cc->set = NULL;
}

int ccs_cli_common_option(struct ccs_cli_common *cc, const char *cmd, int opt, const char *arg)
{
    long long v;
    switch (opt) {
    case 's': {
        char *end;
        errno = 0;
        unsigned long long s = strtoull(arg, &end, 10);
        if (*arg == '\0' || *arg == '-' || *end != '\0' || errno == ERANGE)
            return ccs_app_usage_error(cmd, "--seed must be a whole number from 0 to 2^64-1, got '%s'",
                                       arg);
        cc->seed = s;
        cc->has_seed = true;
        return 0;
    }
    case 'r':
        if (ccs_parse_int(arg, &v, NULL) != 0 || v < 1 || v > 1000000)
            return ccs_app_usage_error(cmd, "--replications must be a whole number from 1 to "
                                            "1000000, got '%s'",
                                       arg);
        cc->reps = (uint32_t)v;
        cc->has_reps = true;
        return 0;
    case 'S': {
        const char **p = realloc(cc->set, (cc->n_set + 1) * sizeof *p);
        if (p == NULL)
            return ccs_app_usage_error(cmd, "out of memory");
        cc->set = p;
        cc->set[cc->n_set++] = arg;
        return 0;
    }
    case CCS_CLI_OPT_MAX_MEMORY:
        if (!parse_size(arg, &cc->max_memory))
            return ccs_app_usage_error(cmd, "--max-memory must be a size such as 8G or 512M "
                                            "(at least 1M), got '%s'",
                                       arg);
        return 0;
    default:
        return ccs_app_usage_error(cmd, "internal: unexpected option");
    }
}

void ccs_cli_bad_option(const char *cmd, char **argv, int c)
{
    if (c == ':')
        ccs_app_usage_error(cmd, "option '%s' needs a value", argv[optind - 1]);
    else
        ccs_app_usage_error(cmd, "unknown option '%s'", argv[optind - 1]);
}

int ccs_cli_load(const struct ccs_cli_common *cc, const char *path, struct ccs_scenario **out)
{
    struct ccs_diag d;
    ccs_diag_clear(&d);
    struct ccs_override *ov = calloc(cc->n_set + 1, sizeof *ov);
    char **bufs = calloc(cc->n_set + 1, sizeof *bufs);
    int rc = ov && bufs ? 0 : CCS_ENOMEM;
    for (size_t i = 0; i < cc->n_set && rc == 0; i++) {
        size_t n = strlen(cc->set[i]) + 1;
        bufs[i] = malloc(n);
        if (bufs[i] == NULL)
            rc = CCS_ENOMEM;
        else
            rc = ccs_override_parse(cc->set[i], "--set", bufs[i], n, &ov[i], &d);
    }
    if (rc == 0)
        rc = ccs_scenario_load(path, ov, cc->n_set, out, &d);
    if (rc != 0)
        fprintf(stderr, "%s\n", d.code ? d.msg : "ccsim: error: out of memory");
    for (size_t i = 0; bufs && i < cc->n_set; i++)
        free(bufs[i]);
    free(bufs);
    free(ov);
    if (rc == 0) {
        const struct ccs_layout *l = ccs_scenario_layout(*out);
        size_t nq = ccs_scenario_queue_count(*out), ng = ccs_scenario_group_count(*out);
        char what[200];
        snprintf(what, sizeof what,
                 "%zu queue%s and %zu group%s over %u intervals: %zu results per replication",
                 nq, nq == 1 ? "" : "s", ng, ng == 1 ? "" : "s", l->n_intervals, l->n);
        if (!ccs_cli_memory_ok(cc, path, ccs_run_memory_estimate(*out, 1), what,
                               "use a longer 'interval' or a shorter 'horizon'")) {
            ccs_scenario_free(*out);
            *out = NULL;
            rc = CCS_ERANGE;
        }
    }
    return rc != 0 ? CCS_EXIT_USAGE : 0;
}

struct ccs_run_opts ccs_cli_run_opts(const struct ccs_cli_common *cc,
                                     const struct ccs_scenario *sc)
{
    struct ccs_run_opts o = ccs_run_opts_default(sc);
    if (cc->has_seed)
        o.seed = cc->seed;
    if (cc->has_reps)
        o.replications = cc->reps;
    return o;
}
