/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * schedule_impl.h - what schedule.c shares with the writers of `ccsim
 * schedule`'s files (sim/out/schedule_out.c).
 */
#ifndef CCS_EXP_SCHEDULE_IMPL_H
#define CCS_EXP_SCHEDULE_IMPL_H

#include "ccs/schedule.h"

#include "model/scenario.h"

#include <stdio.h>

/*
 * One roster shift as a scenario shift in YAML flow style: {start: "HH:MM",
 * length: D, agents: N, days: [ddd] (multi-day grids), breaks: [{at:
 * "HH:MM", length: D}, ...]}. Returns 0 or CCS_EIO.
 */
int ccs__schedule_shift_yaml(const struct ccs_schedule *s, const struct ccs_roster_shift *sh,
                             FILE *f);

/* The clock time of a roster shift's start, seconds after midnight, and its
   calendar day (0-based from the scenario's day 0). */
double ccs__schedule_shift_clock(const struct ccs_schedule *s, const struct ccs_roster_shift *sh,
                                 uint32_t *day);

/* The scenario's template of roster template index tmpl (they are added
   group by group, in order), or NULL. */
const struct ccs_rtemplate_def *ccs__schedule_template(const struct ccs_schedule *s,
                                                       uint32_t tmpl);

#endif
