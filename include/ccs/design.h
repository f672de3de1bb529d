/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * design.h - an experiment's design: named scenarios to run, how many times,
 * with which seeds and precision targets. Plain data, the vocabulary between
 * who defines an experiment (a sweep file or the command line, read by
 * ccs/sweep_plan.h) and who runs it (ccs/sweep.h), so neither depends on
 * the other. Everything is borrowed from the definer and must outlive the
 * run.
 */
#ifndef CCS_DESIGN_H
#define CCS_DESIGN_H

#include "ccs/kpi.h"
#include "ccs/sim.h"

#include <stddef.h>
#include <stdint.h>

/* Most points a sweep may have (the grid's product included). */
#define CCS_SWEEP_MAX_POINTS 100000

/* How points get their random streams (docs/sweep.md "Random streams"). */
enum ccs_sweep_streams {
    CCS_STREAMS_AUTO,        /* common with a baseline, else independent */
    CCS_STREAMS_INDEPENDENT, /* each point's seed hashes (seed, the point's overrides) */
    CCS_STREAMS_COMMON,      /* every point uses the seed itself: common random numbers */
};

struct ccs_design_point {
    const char *name;               /* unique within the design */
    const char *key;                /* its overrides, "path=value" lines sorted by path */
    const struct ccs_scenario *sc;  /* its scenario */
    uint64_t seed;                  /* the seed its replications run with */
    const char *const *values;      /* per column: its value (canonical text), or NULL */
    const long *target_keys;        /* per target: index among sc's whole-run keys */
};

struct ccs_design {
    const char *file;               /* the sweep file, or NULL (command line) */
    const char *name;               /* the file's name:, or NULL */
    const struct ccs_scenario *base;
    const struct ccs_design_point *points;
    size_t n_points;
    const char *const *columns;     /* the swept paths */
    size_t n_columns;
    long baseline;                  /* point index, or -1 */
    uint64_t seed;
    enum ccs_sweep_streams streams; /* never AUTO */
    double level;                   /* confidence level */
    uint32_t replications;          /* per point; with targets, the count to start from */
    uint32_t max_replications;      /* with targets, the cap (else = replications) */
    const struct ccs_precision *targets;
    size_t n_targets;
    const char *identity;           /* 16 hex digits hashing all of the above */
};

#endif
