/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * variants.h - internal hooks between the scenario loader and the variants
 * of a comparison: the loader checks the structure of a scenario's
 * `variants:` block, and variants are built from a loader's document.
 */
#ifndef CCS_LOAD_VARIANTS_H
#define CCS_LOAD_VARIANTS_H

#include "ccs/error.h"
#include "ccs/sim.h"
#include "fmt/ydoc.h"

struct ccs_scenario;

/* Most variants one scenario file may list. */
#define CCS_MAX_FILE_VARIANTS 100

/*
 * Check a scenario's `variants:` node (NULL: absent, fine): a list of
 * mappings {name, description, set}, names valid and unique, `set` a mapping
 * of KEY.PATH: VALUE. The override paths and values themselves are checked
 * when a variant is derived. Returns 0 or CCS_ESCHEMA with a located error.
 */
int ccs__variants_check(const struct ccs_ynode *variants, struct ccs_diag *d);

/*
 * Build a scenario from a document (scenario_load.c): takes ownership of
 * doc; origin is the file it came from, extra the embedder's policies (or
 * NULL). As ccs_scenario_load_opts after parsing.
 */
int ccs__scenario_from_doc(struct ccs_ydoc *doc, const char *origin,
                           const struct ccs_policy_ops *const *extra, struct ccs_scenario **out,
                           struct ccs_diag *d);

/*
 * Apply one override written in a file (key: its dotted path, value: any
 * node) to doc, exactly as --set applies one (scenario_load.c): errors are
 * located at the key or, later, at the copied value.
 */
int ccs__scenario_set_node(struct ccs_ydoc *doc, const struct ccs_ynode *key,
                           const struct ccs_ynode *value, struct ccs_diag *d);

/* The same for an override given as text (--set, a sweep's --grid). */
int ccs__scenario_set_override(struct ccs_ydoc *doc, const struct ccs_override *ov,
                               struct ccs_diag *d);

#endif
