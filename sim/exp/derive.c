/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * derive.c - a scenario derived from override texts: the parse-then-derive
 * step shared by the staff refinement (refine.c) and the schedule loop
 * (schedule.c).
 */
#include "exp/derive.h"

#include "ccs/mem.h"
#include "ccs/sim.h"

#include <stdlib.h>
#include <string.h>

int ccs__derive_texts(const struct ccs_scenario *sc, char *const *texts, size_t n,
                      const char *origin, struct ccs_scenario **out, struct ccs_diag *d)
{
    *out = NULL;
    /* ccs_override_parse needs a buffer for the path; the text keeps the value */
    struct ccs_override *ov = ccs_calloc(n + 1, sizeof *ov);
    char **paths = ccs_calloc(n + 1, sizeof *paths);
    int rc = ov && paths ? 0 : CCS_ENOMEM;
    for (size_t j = 0; j < n && rc == 0; j++) {
        size_t len = strlen(texts[j]) + 1;
        if ((paths[j] = ccs_malloc(len)) == NULL)
            rc = CCS_ENOMEM;
        else
            rc = ccs_override_parse(texts[j], origin, paths[j], len, &ov[j], d);
    }
    if (rc == CCS_ENOMEM)
        ccs_diag_at(d, rc, NULL, 0, 0, "out of memory");
    if (rc == 0)
        rc = ccs_scenario_derive(sc, ov, n, out, d);
    ccs__texts_free(paths, n);
    free(ov);
    return rc;
}

void ccs__texts_free(char **texts, size_t n)
{
    if (texts == NULL)
        return;
    for (size_t j = 0; j < n; j++)
        free(texts[j]);
    free(texts);
}
