/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * derive.h - a scenario derived from override texts built by an experiment
 * ("groups.0.staffing=[...]", "groups.1.shifts=[...]"): what `ccsim staff`'s
 * refinement and `ccsim schedule`'s simulation loop both do to simulate a plan.
 */
#ifndef CCS_EXP_DERIVE_H
#define CCS_EXP_DERIVE_H

#include "ccs/error.h"

#include <stddef.h>

struct ccs_scenario;

/*
 * Parse texts[0 .. n) as overrides "path=value" (origin names the command in
 * messages) and derive sc with all of them into *out. The texts stay the
 * caller's (NULL entries are not allowed). Returns 0, or a negative code
 * with d: a text that does not parse, the derived scenario refused by its
 * loader, or CCS_ENOMEM ("out of memory").
 */
int ccs__derive_texts(const struct ccs_scenario *sc, char *const *texts, size_t n,
                      const char *origin, struct ccs_scenario **out, struct ccs_diag *d);

/* Free texts[0 .. n) (entries may be NULL) and the array; NULL-safe. */
void ccs__texts_free(char **texts, size_t n);

#endif
