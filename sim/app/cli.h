/*
 * cli.h - options shared by the commands that run scenarios (--seed,
 * --replications, --set) and loading a scenario with its overrides,
 * printing located errors.
 */
#ifndef CCS_APP_CLI_H
#define CCS_APP_CLI_H

#include "ccs/ccs.h"

#include <stdbool.h>
#include <stdint.h>

struct ccs_cli_common {
    bool has_seed, has_reps;
    uint64_t seed;
    uint32_t reps;
    size_t n_set;
    const char **set; /* the raw "KEY.PATH=VALUE" arguments */
};

void ccs_cli_common_init(struct ccs_cli_common *cc);
void ccs_cli_common_release(struct ccs_cli_common *cc);

/* Handle option 's' (--seed), 'r' (--replications) or 'S' (--set). On a
   bad value prints a usage error and returns CCS_EXIT_USAGE; else 0. */
int ccs_cli_common_option(struct ccs_cli_common *cc, const char *cmd, int opt,
                          const char *arg);

/* Report an unknown option or a missing argument from getopt_long. */
void ccs_cli_bad_option(const char *cmd, char **argv, int c);

/* Load path with the --set overrides; prints the error and returns 2 on failure. */
int ccs_cli_load(const struct ccs_cli_common *cc, const char *path, struct ccs_scenario **out);

/* The same as one scenario per replayed date (ccs_scenario_load_dates), with
   dates (NULL: the file's) choosing them; dates_origin names the option. */
int ccs_cli_load_dates(const struct ccs_cli_common *cc, const char *path, const char *dates,
                       const char *dates_origin, struct ccs_scenario ***out, size_t *n);

/* Run options: the scenario's, overridden by --seed/--replications. */
struct ccs_run_opts ccs_cli_run_opts(const struct ccs_cli_common *cc,
                                     const struct ccs_scenario *sc);

#endif
