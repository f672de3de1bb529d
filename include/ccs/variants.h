/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * variants.h - the variants of a comparison as users give them: on the
 * command line ("NAME:KEY=VALUE,...") or listed in a scenario file under
 * `variants:` (docs/scenario.md). Each becomes a derived scenario; running
 * the comparison is ccs/compare.h.
 */
#ifndef CCS_VARIANTS_H
#define CCS_VARIANTS_H

#include "ccs/error.h"
#include "ccs/kpi.h"
#include "ccs/sim.h"

#include <stdbool.h>
#include <stddef.h>

/*
 * A variant given on the command line: "NAME:KEY=VALUE[,KEY=VALUE...]", or
 * "NAME" / "NAME:" for the scenario unchanged. Commas inside brackets,
 * braces or quotes belong to the value ("t:groups.a.skills=[x, y]").
 */
struct ccs_variant_spec {
    char name[CCS_ID_MAX + 1];
    struct ccs_override *ov; /* n_ov overrides located in the argument's columns */
    size_t n_ov;
    char *buf;               /* owns the override texts */
    const char *text;        /* what followed "NAME:" (points into the argument) */
};

/*
 * Parse text (which must outlive the spec) into out. Errors are located at
 * (origin, 1, column within text), e.g. "--variant:1:7: error: ...", and
 * return CCS_EINVAL (bad syntax or name) or CCS_ENOMEM; out then owns
 * nothing. Release with ccs_variant_spec_release.
 */
int ccs_variant_spec_parse(const char *text, const char *origin, struct ccs_variant_spec *out,
                           struct ccs_diag *d);
void ccs_variant_spec_release(struct ccs_variant_spec *s);

/*
 * Variants listed in a scenario file under `variants:` (docs/scenario.md).
 * The loader checks their structure; their overrides are checked when a
 * variant is derived, with errors located in the file.
 */
size_t ccs_scenario_variant_count(const struct ccs_scenario *sc);
const char *ccs_scenario_variant_name(const struct ccs_scenario *sc, size_t i);
/* Its `description`, or NULL. */
const char *ccs_scenario_variant_description(const struct ccs_scenario *sc, size_t i);
/* "key=value, key=value" of its `set:` (lists and maps shown as [...] / {...}). */
void ccs_scenario_variant_summary(const struct ccs_scenario *sc, size_t i, char *buf,
                                  size_t cap);
/* sc with variant i's `set:` applied. Returns 0 or a negative code with d. */
int ccs_scenario_variant_derive(const struct ccs_scenario *sc, size_t i,
                                struct ccs_scenario **out, struct ccs_diag *d);

#endif
