/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * sldef.h - the service-level definitions (docs/kpis.md). Shared vocabulary
 * of the queueing formulas (analytic.h) and the simulated world (kpi.h), so
 * it lives in the bottom layer: a name table, nothing else.
 */
#ifndef CCS_SLDEF_H
#define CCS_SLDEF_H

/* Service-level definitions (docs/kpis.md). */
enum ccs_sl_def {
    CCS_SL_OFFERED,      /* answered within T / offered (default) */
    CCS_SL_ANSWERED,     /* answered within T / answered */
    CCS_SL_NO_SHORT_AB,  /* answered within T / (offered - abandoned within T) */
    CCS_SL_HANDLED,      /* answered within T / (answered + abandoned after T) */
    CCS_SL_ALL,          /* P(wait <= T) over non-blocked contacts */
    CCS_SL_COUNT_
};

/* Name used in scenarios and reports, e.g. "offered"; and the reverse (-1). */
const char *ccs_sl_def_name(enum ccs_sl_def d);
int ccs_sl_def_find(const char *name);

#endif
