/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * layout.h - building the metric layout of a scenario (results.c): the keys
 * every replication reports. Loaders call it once a scenario is built; the
 * engine only reads the result (sc->layout).
 */
#ifndef CCS_MODEL_LAYOUT_H
#define CCS_MODEL_LAYOUT_H

#include "ccs/results.h"

struct ccs_scenario;

/* Build sc->layout from sc's queues, segments, groups and intervals.
   Returns 0 or CCS_ENOMEM. */
int ccs__layout_build(struct ccs_scenario *sc);
void ccs__layout_free(struct ccs_layout *l);

#endif
