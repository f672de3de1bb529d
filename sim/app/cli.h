/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * cli.h - the one option parser of the ccsim commands: each command gives
 * a table of its own options and names the common ones it takes (--seed,
 * --replications, --set, --out, --json, --plots, --verbose, --jobs); values
 * are read with the public unit parsers (ccs/units.h) and checked against
 * their range, and every usage error has one form and exit status 2:
 *
 *   ccsim CMD: error: invalid --OPTION 'VALUE': what a good value is
 *   Try 'ccsim help CMD'.
 *
 * Also loading a scenario with the --set overrides, and run options from
 * --seed/--replications.
 */
#ifndef CCS_APP_CLI_H
#define CCS_APP_CLI_H

#include "ccs/ccs.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The common options; a command ORs those it takes into ccs_cli_spec.common. */
enum {
    CCS_CLI_SEED = 1u << 0,    /* --seed N: 0 .. 2^64-1 */
    CCS_CLI_REPS = 1u << 1,    /* --replications R, -r R: 1 .. 1000000 */
    CCS_CLI_SET = 1u << 2,     /* --set KEY.PATH=VALUE, repeatable, in order */
    CCS_CLI_OUT = 1u << 3,     /* --out DIR */
    CCS_CLI_JSON = 1u << 4,    /* --json */
    CCS_CLI_PLOTS = 1u << 5,   /* --plots */
    CCS_CLI_VERBOSE = 1u << 6, /* --verbose, -v */
    CCS_CLI_JOBS = 1u << 7,    /* --jobs N, -j N: 1 .. 4096 */
    CCS_CLI_MEMORY = 1u << 8,  /* --max-memory SIZE: 8G, 512M, 1.5T, bytes; at least 1M */
};

/* The default memory budget of a run: 4 GiB (--max-memory raises it). */
#define CCS_CLI_MAX_MEMORY (4.0 * 1024 * 1024 * 1024)

/* What an option's value is: the type of *dest, and the parser used. */
enum ccs_cli_type {
    CCS_CLI_FLAG,     /* no value; bool: set true */
    CCS_CLI_STRING,   /* const char *: the argument itself (the last one wins) */
    CCS_CLI_LIST,     /* struct ccs_cli_list: every argument, in order */
    CCS_CLI_INT,      /* long long: ccs_parse_int */
    CCS_CLI_U64,      /* uint64_t: ccs_parse_u64 */
    CCS_CLI_NUMBER,   /* double: ccs_parse_number */
    CCS_CLI_DURATION, /* double, seconds: ccs_parse_duration */
    CCS_CLI_RATE,     /* double, per second: ccs_parse_rate */
    CCS_CLI_FRACTION, /* double: ccs_parse_fraction ("80%" or 0.8) */
    CCS_CLI_CHOICE,   /* int: the index of the argument in choices[] */
    CCS_CLI_CUSTOM,   /* whatever parse() makes of it */
};

/* Flags of an option. */
enum {
    CCS_CLI_ABOVE_MIN = 1u << 0, /* the value must exceed min (else: at least min) */
    CCS_CLI_BELOW_MAX = 1u << 1, /* the value must be below max (else: at most max) */
    /* The value may be left out (--explain, --explain=N, or --explain N when the
       next argument starts with a digit); *seen tells it was given at all. */
    CCS_CLI_OPTIONAL = 1u << 2,
};

struct ccs_cli_list {
    const char **v;
    size_t n;
};

/*
 * One option. Numbers are checked against [min, max] when min < max (open
 * ends by flags). want says what a good value is ("a positive duration such
 * as 5m"); the message for a value out of range, or not a number at all for
 * INT, U64, NUMBER and CHOICE, is "expected WANT" (made up from the range or
 * the choices when want is NULL); a unit that does not parse gets the unit
 * parser's own explanation. CUSTOM: parse(dest, arg, why, cap) returns 0, or
 * non-zero with why filled (printed as for the others), or with why left
 * empty when it printed its error itself: a located one (--precision:1:5:
 * error: ...), or a run-time failure when it returns CCS_EXIT_FAIL.
 */
struct ccs_cli_opt {
    const char *name; /* long name without "--"; NULL ends a table */
    char letter;      /* short option, or 0 */
    enum ccs_cli_type type;
    void *dest;
    bool *seen; /* set true when the option is given; may be NULL */
    double min, max;
    unsigned flags;
    const char *want;
    const char *const *choices; /* CHOICE: NULL-terminated */
    int (*parse)(void *dest, const char *arg, char *why, size_t cap);
};

/* A command's options and operands. */
struct ccs_cli_spec {
    unsigned common;                /* CCS_CLI_SEED | ... */
    const struct ccs_cli_opt *opts; /* its own options, ended by {NULL}; may be NULL */
    const char *operand;            /* what an operand is, for "missing SCENARIO" */
    size_t min_operands, max_operands;
};

/* The parsed command line: the common options' values and the operands. */
struct ccs_cli {
    const char *cmd; /* the command's name, for messages */
    unsigned common; /* the spec's common options (CCS_CLI_*) */
    bool has_seed, has_reps, has_jobs, json, plots, verbose;
    uint64_t seed;
    long long reps, jobs;
    struct ccs_cli_list set; /* --set arguments, in order */
    const char *out;         /* --out DIR, or NULL */
    double max_memory;       /* bytes a run may need: --max-memory, else CCS_CLI_MAX_MEMORY */
    bool whole_run_only;     /* the command will run with ccs_run_opts.whole_run_only: the
                                load's memory check counts whole-run results only (set by
                                the command before loading; ccs_cli_parse sets false) */
    char **operands;         /* into argv */
    size_t n_operands;
};

/*
 * Parse argv (argv[0] is the command's name, cmd) by spec: options and
 * operands may come in any order, "--" ends the options, a long option may
 * be abbreviated while unambiguous. Fills cli and the tables' dests. Returns
 * 0, or CCS_EXIT_USAGE after printing the usage error (or CCS_EXIT_FAIL when
 * out of memory). Release cli with ccs_cli_release in both cases.
 */
int ccs_cli_parse(struct ccs_cli *cli, const char *cmd, const struct ccs_cli_spec *spec, int argc,
                  char **argv);
void ccs_cli_release(struct ccs_cli *cli);

/* Append s to a list; false when out of memory. */
bool ccs_cli_list_push(struct ccs_cli_list *l, const char *s);
void ccs_cli_list_release(struct ccs_cli_list *l);

/* Print "ccsim CMD: error: ..." and "Try 'ccsim help CMD'."; returns CCS_EXIT_USAGE. */
int ccs_cli_usage(const struct ccs_cli *cli, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* The routing policies' names, "acd, skills, ...", for "known: ..." messages. */
void ccs_cli_policy_names(char *buf, size_t cap);

/* Load path with the --set overrides; prints the error and returns
   CCS_EXIT_USAGE (bad scenario, or running it would need more memory than
   the budget: ccs_run_memory_estimate) or CCS_EXIT_FAIL (out of memory),
   else 0. */
int ccs_cli_load(const struct ccs_cli *cli, const char *path, struct ccs_scenario **out);

/* Is need (bytes) within the budget? If not, prints "WHERE: error: ..."
   naming the product that makes it (what) and how to make it smaller
   (hint), and returns false. */
bool ccs_cli_memory_ok(const struct ccs_cli *cli, const char *where, double need, const char *what,
                       const char *hint);

/* The same as one scenario per replayed date (ccs_scenario_load_dates), with
   dates (NULL: the file's) choosing them; dates_origin names the option. */
int ccs_cli_load_dates(const struct ccs_cli *cli, const char *path, const char *dates,
                       const char *dates_origin, struct ccs_scenario ***out, size_t *n);

/* Before a long run: can the output folder dir be written (NULL: none
   asked for)? Opens it and lets it go, so that a bad --out fails at once
   rather than after the run; prints the located message and returns false
   when it cannot. */
bool ccs_cli_out_ok(const char *dir);

/* Run options: the scenario's, overridden by --seed/--replications; --jobs
   (else 0: every processor). */
struct ccs_run_opts ccs_cli_run_opts(const struct ccs_cli *cli, const struct ccs_scenario *sc);

#endif
