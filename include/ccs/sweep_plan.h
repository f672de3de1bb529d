/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * sweep_plan.h - defining a sweep (docs/sweep.md): a sweep file, or the
 * command-line forms (--set, --grid, --point), prepared into a design
 * (ccs/design.h) that ccs/sweep.h runs. Every mistake is found while
 * preparing, before any work, located in the file or argument that made it.
 */
#ifndef CCS_SWEEP_PLAN_H
#define CCS_SWEEP_PLAN_H

#include "ccs/design.h"
#include "ccs/error.h"
#include "ccs/kpi.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ccs_sweep_plan;

/* An empty plan, or NULL when out of memory. Free with ccs_sweep_plan_free. */
struct ccs_sweep_plan *ccs_sweep_plan_new(void);
void ccs_sweep_plan_free(struct ccs_sweep_plan *s);

/*
 * Read a sweep file (docs/sweep.md): its scenario, set, grid, points,
 * baseline, streams, seed, replications, precision, max_replications.
 * Structural errors are located ("FILE:LINE:COL: error: ...", CCS_EIO,
 * CCS_EPARSE or CCS_ESCHEMA); overrides are checked by ccs_sweep_plan_prepare.
 */
int ccs_sweep_plan_load_file(struct ccs_sweep_plan *s, const char *path, struct ccs_diag *d);

/* Is path a sweep file (a YAML mapping with a 'scenario' key) rather than a
   scenario? False when it cannot be read: loading it then says why. */
bool ccs_sweep_file_probe(const char *path);

/* The base scenario file (the SCENARIO form; a sweep file names its own). */
int ccs_sweep_plan_set_scenario(struct ccs_sweep_plan *s, const char *path, struct ccs_diag *d);

/*
 * The base scenario as len bytes of YAML text (copied), named origin in
 * messages (NULL: "<string>"), data files relative to origin's folder or
 * the working directory (as ccs_scenario_load_text). Replaces a scenario
 * set before. Returns 0 or CCS_ENOMEM.
 */
int ccs_sweep_plan_set_scenario_text(struct ccs_sweep_plan *s, const char *origin, const char *text,
                                     size_t len, struct ccs_diag *d);

/*
 * Command-line additions, located at (origin, 1, column) in their text:
 *   set:   "KEY.PATH=VALUE", applied to the base scenario after the file's set
 *   grid:  "KEY.PATH=V1,V2,..." one more grid dimension (commas inside
 *          brackets, braces or quotes belong to the value)
 *   point: "NAME:KEY.PATH=VALUE[,KEY.PATH=VALUE...]" one more listed point
 *          (the syntax of compare's --variant)
 * The text must outlive the sweep. Returns 0, CCS_EINVAL or CCS_ENOMEM.
 */
int ccs_sweep_plan_add_set(struct ccs_sweep_plan *s, const char *text, const char *origin,
                      struct ccs_diag *d);
int ccs_sweep_plan_add_grid(struct ccs_sweep_plan *s, const char *text, const char *origin,
                       struct ccs_diag *d);
int ccs_sweep_plan_add_point(struct ccs_sweep_plan *s, const char *text, const char *origin,
                        struct ccs_diag *d);

/* Settings given on the command line win over the file's. */
void ccs_sweep_plan_set_seed(struct ccs_sweep_plan *s, uint64_t seed);
void ccs_sweep_plan_set_replications(struct ccs_sweep_plan *s, uint32_t replications);
void ccs_sweep_plan_set_max_replications(struct ccs_sweep_plan *s, uint32_t cap);
void ccs_sweep_plan_set_streams(struct ccs_sweep_plan *s, enum ccs_sweep_streams streams);
/* A point name or 0-based index (checked by ccs_sweep_plan_prepare). */
int ccs_sweep_plan_set_baseline(struct ccs_sweep_plan *s, const char *name_or_index, struct ccs_diag *d);
/* The first target given here replaces the file's targets. */
int ccs_sweep_plan_add_target(struct ccs_sweep_plan *s, const struct ccs_precision *p, struct ccs_diag *d);

/*
 * Make the sweep runnable: load the base scenario with its overrides, expand
 * the grid, derive and validate every point's scenario, resolve the baseline
 * and the targets for every point, derive the points' seeds and the sweep's
 * identity. Every mistake is found here, before any work: a bad override is
 * located in the sweep file or the argument that gave it. Returns 0 or a
 * negative code with d (CCS_EINVAL / CCS_ESCHEMA / CCS_EPARSE / CCS_ENOTFOUND
 * for bad input, CCS_EIO for an unreadable file, CCS_ENOMEM).
 */
int ccs_sweep_plan_prepare(struct ccs_sweep_plan *s, struct ccs_diag *d);

/* The prepared plan as a design (owned by the plan), or NULL before
   ccs_sweep_plan_prepare succeeded. */
const struct ccs_design *ccs_sweep_plan_design(const struct ccs_sweep_plan *s);

#endif
