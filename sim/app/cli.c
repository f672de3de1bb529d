/*
 * cli.c - shared option handling for scenario-running commands.
 */
#include "app/cli.h"
#include "cmd.h"

#include "ccs/ccs.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ccs_cli_common_init(struct ccs_cli_common *cc)
{
    memset(cc, 0, sizeof *cc);
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
    return rc != 0 ? CCS_EXIT_USAGE : 0;
}

int ccs_cli_load_dates(const struct ccs_cli_common *cc, const char *path, const char *dates,
                       const char *dates_origin, struct ccs_scenario ***out, size_t *n)
{
    struct ccs_diag d;
    ccs_diag_clear(&d);
    struct ccs_override *ov = calloc(cc->n_set + 1, sizeof *ov);
    char **bufs = calloc(cc->n_set + 1, sizeof *bufs);
    int rc = ov && bufs ? 0 : CCS_ENOMEM;
    for (size_t i = 0; i < cc->n_set && rc == 0; i++) {
        size_t len = strlen(cc->set[i]) + 1;
        bufs[i] = malloc(len);
        if (bufs[i] == NULL)
            rc = CCS_ENOMEM;
        else
            rc = ccs_override_parse(cc->set[i], "--set", bufs[i], len, &ov[i], &d);
    }
    struct ccs_load_opts o = {ov, cc->n_set, NULL, dates, dates_origin};
    if (rc == 0)
        rc = ccs_scenario_load_dates(path, &o, out, n, &d);
    if (rc != 0)
        fprintf(stderr, "%s\n", d.code ? d.msg : "ccsim: error: out of memory");
    for (size_t i = 0; bufs && i < cc->n_set; i++)
        free(bufs[i]);
    free(bufs);
    free(ov);
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
