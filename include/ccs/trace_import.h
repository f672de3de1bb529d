/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * trace_import.h - a client's call log replayed date by date. A scenario
 * whose `trace:` block selects several dates (`dates: all`, a range
 * `2024-03-01..2024-03-31`, a list) loads as one scenario per date: each
 * replays that date's contacts on the scenario's calendar (t = 0 at
 * start_time on the date, its weekday for weekly profiles and shifts), with
 * its own replications. The file is read once and only the selected dates'
 * records are kept. ccs_run_dates (run.h) runs them and pools the results.
 *
 *   struct ccs_scenario **scs;
 *   size_t n;
 *   if (ccs_scenario_load_dates("replay.yaml", NULL, &scs, &n, &d) != 0) ...
 *   ... ccs_scenario_date(scs[k]) is "1999-10-12" ...
 *   ccs_scenario_list_free(scs, n);
 */
#ifndef CCS_TRACE_IMPORT_H
#define CCS_TRACE_IMPORT_H

#include "ccs/error.h"
#include "ccs/scenario.h"

#include <stddef.h>

/*
 * Load path (with o's overrides; o may be NULL) as one scenario per replayed
 * date, in date order: *out (n of them) is an array the caller frees with
 * ccs_scenario_list_free. A scenario without a trace, or whose trace holds
 * one date (or is undated), gives exactly one scenario, the same as
 * ccs_scenario_load_opts. Each scenario's source names its date
 * (`trace.dates`), so ccs_scenario_derive on it reads that date again.
 * Errors as for ccs_scenario_load (FILE:LINE:COL in d).
 */
int ccs_scenario_load_dates(const char *path, const struct ccs_load_opts *o,
                            struct ccs_scenario ***out, size_t *n, struct ccs_diag *d);

/* Free n scenarios and the array. NULL is a no-op. */
void ccs_scenario_list_free(struct ccs_scenario **scs, size_t n);

#endif
