/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * trace_load.h - reading recorded contacts for replay (trace_load.c).
 */
#ifndef CCS_LOAD_TRACE_LOAD_H
#define CCS_LOAD_TRACE_LOAD_H

#include "fmt/ydoc.h"
#include "model/scenario.h"

/*
 * Read the scenario's `trace:` block tn and give each queue with
 * `arrivals: trace` its records, sorted by time. dir is the scenario's folder
 * (relative file names resolve there). Sets sc->trace_note to a one-line
 * account (replayed, unmapped, skipped). Returns 0 or a negative code with d.
 */
int ccs__trace_load(struct ccs_scenario *sc, const struct ccs_ynode *tn, const char *dir,
                    struct ccs_diag *d);

#endif
