/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * roster_load.h - reading a group's 'rostering' key (roster_load.c).
 */
#ifndef CCS_LOAD_ROSTER_LOAD_H
#define CCS_LOAD_ROSTER_LOAD_H

#include "fmt/ydoc.h"
#include "model/scenario.h"

/*
 * Read n (the value of a group's 'rostering') into gd->rostering (allocated,
 * freed with the scenario), checked against sc's grid: sc's horizon,
 * interval and start_time must be read already. Returns 0, or a negative
 * code with a located error in d.
 */
int ccs__read_rostering(const struct ccs_ynode *n, const struct ccs_scenario *sc,
                        struct ccs_group_def *gd, struct ccs_diag *d);

#endif
