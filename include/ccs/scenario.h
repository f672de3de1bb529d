/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * scenario.h - loading a scenario from its YAML file: parse, apply
 * overrides, fill defaults, validate, build. Every problem is reported as
 * "FILE:LINE:COL: error: ..." (docs/scenario.md has every key).
 */
#ifndef CCS_SCENARIO_H
#define CCS_SCENARIO_H

#include "ccs/error.h"
#include "ccs/policy.h"
#include "ccs/sim.h"

#include <stddef.h>
#include <stdio.h>

/* How to load. Zero-initialised means: no overrides, built-in policies only. */
struct ccs_load_opts {
    const struct ccs_override *ov; /* applied in order, as --set does */
    size_t n_ov;
    /*
     * More routing policies scenarios may name, NULL-terminated, or NULL: an
     * embedder's own policies, found before the built-in ones. The tables
     * must outlive every scenario loaded or derived with them.
     */
    const struct ccs_policy_ops *const *policies;
    /*
     * Which dates of the trace to replay, as the trace's `dates:` key takes
     * them ("all", "1999-10-12", "1999-10-01..1999-10-31"), replacing its
     * `date`/`dates`; NULL: as the file says. dates_origin names it in
     * messages (e.g. "--dates"); NULL: "dates". A scenario without a trace
     * is then an error.
     */
    const char *dates;
    const char *dates_origin;
};

/*
 * Load, override and validate a scenario. Returns 0, or a negative CCS_E*
 * code with d filled and *out NULL. The scenario is immutable afterwards and
 * may be shared by threads; free it with ccs_scenario_free.
 */
int ccs_scenario_load(const char *path, const struct ccs_override *ov, size_t n_ov,
                      struct ccs_scenario **out, struct ccs_diag *d);

/* The same with options (o may be NULL). */
int ccs_scenario_load_opts(const char *path, const struct ccs_load_opts *o,
                           struct ccs_scenario **out, struct ccs_diag *d);

/*
 * The same from len bytes of YAML text in memory (no NUL needed), e.g. a
 * scenario written inline by a front end. origin names the text in
 * messages ("ORIGIN:LINE:COL: error: ..."; NULL: "<string>") and in
 * reports; data files the text names (CSV, traces) are found relative to
 * origin's folder when it has one, else to the working directory. o may be
 * NULL. Returns and errors as ccs_scenario_load.
 */
int ccs_scenario_load_text(const char *origin, const char *text, size_t len,
                           const struct ccs_load_opts *o, struct ccs_scenario **out,
                           struct ccs_diag *d);

/*
 * A writer of a scenario's files: creates scenario.yaml and the files it
 * reads, each through open(open_ctx, NAME, d), leaving them open; returns 0
 * or a CCS_E* code with d. (ccs_fitlog_write, fit.h, is one, given its
 * ccs_fitlog as ctx through a two-line wrapper.)
 */
typedef int ccs_scenario_writer(const void *ctx,
                                FILE *(*open)(void *open_ctx, const char *name,
                                              struct ccs_diag *d),
                                void *open_ctx, struct ccs_diag *d);

/*
 * Load the scenario write(ctx, ...) makes: its files go into a private
 * temporary folder ($TMPDIR, else /tmp), closed here, and the folder is
 * removed once scenario.yaml is loaded (no override). Returns 0, or the
 * writer's error, CCS_EIO (cannot make or write the folder), CCS_ENOMEM
 * or a load error, with d. Free *out with ccs_scenario_free.
 */
int ccs_scenario_load_written(ccs_scenario_writer *write, const void *ctx,
                              struct ccs_scenario **out, struct ccs_diag *d);

#endif
