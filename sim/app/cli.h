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
    const char **set;  /* the raw "KEY.PATH=VALUE" arguments */
    double max_memory; /* bytes a run may need (--max-memory), CCS_CLI_MAX_MEMORY */
};

/* The default memory budget of a run: 4 GiB (--max-memory raises it). */
#define CCS_CLI_MAX_MEMORY (4.0 * 1024 * 1024 * 1024)

void ccs_cli_common_init(struct ccs_cli_common *cc);
void ccs_cli_common_release(struct ccs_cli_common *cc);

/* Handle option 's' (--seed), 'r' (--replications), 'S' (--set) or
   CCS_CLI_OPT_MAX_MEMORY (--max-memory SIZE: bytes, or with K, M, G, T, KiB.. suffixes). On a
   bad value prints a usage error and returns CCS_EXIT_USAGE; else 0. */
int ccs_cli_common_option(struct ccs_cli_common *cc, const char *cmd, int opt,
                          const char *arg);

/* Report an unknown option or a missing argument from getopt_long. */
void ccs_cli_bad_option(const char *cmd, char **argv, int c);

/* Load path with the --set overrides; prints the error and returns 2 on
   failure, also when running it would need more memory than the budget
   (ccs_run_memory_estimate, sims at once). */
int ccs_cli_load(const struct ccs_cli_common *cc, const char *path, struct ccs_scenario **out);

/* Is need (bytes) within the budget? If not, prints "WHERE: error: ..."
   naming the product that makes it (what) and how to make it smaller
   (hint), and returns false. */
bool ccs_cli_memory_ok(const struct ccs_cli_common *cc, const char *where, double need,
                       const char *what, const char *hint);

/* The --max-memory option for getopt_long tables (a value no short option has). */
#define CCS_CLI_OPT_MAX_MEMORY 0x14d
#define CCS_CLI_MAX_MEMORY_OPTION {"max-memory", required_argument, NULL, CCS_CLI_OPT_MAX_MEMORY}

/* Run options: the scenario's, overridden by --seed/--replications. */
struct ccs_run_opts ccs_cli_run_opts(const struct ccs_cli_common *cc,
                                     const struct ccs_scenario *sc);

#endif
