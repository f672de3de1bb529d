/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * trace_load.h - reading recorded contacts for replay (trace_load.c): a
 * client's call log as it was exported, mapped by the scenario's `trace:`
 * block, into records per replayed date and queue.
 */
#ifndef CCS_LOAD_TRACE_LOAD_H
#define CCS_LOAD_TRACE_LOAD_H

#include "fmt/ydoc.h"
#include "model/scenario.h"

/* The records of every replayed date of a trace, read once. */
struct ccs__trace_set;

/*
 * Read the scenario's `trace:` block tn against sc (its queues, horizon and
 * start time must be set): every row of the file is checked and mapped;
 * the records of the selected dates are kept, per date and queue, and
 * nothing else (memory follows the records replayed, not the file). dir is
 * the scenario's folder (relative file names resolve there). Returns 0 and
 * *out, or a negative code with d ("FILE:LINE:COL: error: ...").
 */
int ccs__trace_read(const struct ccs_scenario *sc, const struct ccs_ynode *tn, const char *dir,
                    struct ccs__trace_set **out, struct ccs_diag *d);

/* Dates replayed (0 for a trace with no rows of the selection; 1 for an undated trace). */
size_t ccs__trace_set_count(const struct ccs__trace_set *ts);

/* Date k as days since 1970-01-01, or CCS_NO_DAY for an undated trace. */
int32_t ccs__trace_set_day(const struct ccs__trace_set *ts, size_t k);

/*
 * Give sc date k's records (moved out of ts: give each date once), the
 * agents' names, the one-line note, and, for a dated trace, its date and
 * weekday. Returns 0 or CCS_ENOMEM with d.
 */
int ccs__trace_give(struct ccs_scenario *sc, struct ccs__trace_set *ts, size_t k,
                    struct ccs_diag *d);

void ccs__trace_set_free(struct ccs__trace_set *ts);

/*
 * Give sc the one date of ts (none: an empty replay with its note), or fail
 * when ts holds several: the scenario replays one date (error at tn's
 * 'dates').
 */
int ccs__trace_give_one(struct ccs_scenario *sc, struct ccs__trace_set *ts,
                        const struct ccs_ynode *tn, struct ccs_diag *d);

/*
 * Read tn and give sc its records, for a scenario that replays one date:
 * an error when the selection holds several (located at 'dates').
 */
int ccs__trace_load(struct ccs_scenario *sc, const struct ccs_ynode *tn, const char *dir,
                    struct ccs_diag *d);

#endif
