/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * trace.h - what happened in a run, event by event: as a CSV file
 * (`ccsim run --trace FILE`) and as a short narrative for a classroom
 * (`ccsim run --explain N`). Both are sinks for the engine's trace hook
 * (ccs_sim_set_trace in sim.h); docs/teaching.md defines the columns and the
 * event kinds. Attaching either changes nothing in the results.
 *
 *   struct ccs_trace_csv *t;
 *   ccs_trace_csv_new(f, sc, &t);             writes the header line
 *   ccs_trace_csv_begin(t, sim, rep);         before ccs_sim_run(sim)
 *   ccs_sim_set_trace(sim, ccs_trace_csv_event, t);
 *   ...
 *   ccs_trace_csv_free(t);
 */
#ifndef CCS_TRACE_H
#define CCS_TRACE_H

#include "ccs/sim.h"

#include <stdint.h>
#include <stdio.h>

/* The CSV header line, without the newline. */
#define CCS_TRACE_CSV_HEADER "replication,t_s,event,contact,queue,segment,agent,group,wait_s,reason"

/* --- CSV ------------------------------------------------------------------------ */

struct ccs_trace_csv;

/*
 * A CSV sink writing to f (borrowed; the caller opens, checks and closes it)
 * for simulations of sc (which must outlive it). Writes the header line.
 * Returns 0 or CCS_ENOMEM.
 */
int ccs_trace_csv_new(FILE *f, const struct ccs_scenario *sc, struct ccs_trace_csv **out);

/* The following events come from sim (of sc), replication rep (0-based). */
void ccs_trace_csv_begin(struct ccs_trace_csv *t, const struct ccs_sim *sim, uint32_t rep);

/* The trace hook: ctx is the struct ccs_trace_csv. One line per event. */
void ccs_trace_csv_event(void *ctx, const struct ccs_trace_event *e);

/* Lines written so far (header excluded). */
uint64_t ccs_trace_csv_lines(const struct ccs_trace_csv *t);

void ccs_trace_csv_free(struct ccs_trace_csv *t);

/* --- Narrative --------------------------------------------------------------------- */

struct ccs_explain;

/*
 * A narrative sink writing at most max_lines lines to f (borrowed) for a
 * simulation of sc. Customers are followed by their contact number; agents
 * are named GROUP/N (N from 1 within the group); each routing decision
 * carries the policy's reason. Returns 0, CCS_EINVAL (max_lines 0) or
 * CCS_ENOMEM.
 */
int ccs_explain_new(FILE *f, const struct ccs_scenario *sc, uint64_t max_lines,
                    struct ccs_explain **out);

/*
 * Narrate only what happens at or after t seconds from the run's start
 * (--explain-from): the first sentence is the state of the queues and
 * groups at that moment, then up to max_lines events as usual. Call before
 * the run. Returns 0, or CCS_EINVAL when t is negative or not finite.
 */
int ccs_explain_from(struct ccs_explain *x, double t);

/* The following events come from sim (of sc). */
void ccs_explain_begin(struct ccs_explain *x, const struct ccs_sim *sim);

/* The trace hook: ctx is the struct ccs_explain. */
void ccs_explain_event(void *ctx, const struct ccs_trace_event *e);

/* Write what is still held back (a line waiting to be completed by the next
   event). Call once after the run. Returns the number of lines written. */
uint64_t ccs_explain_finish(struct ccs_explain *x);

void ccs_explain_free(struct ccs_explain *x);

/*
 * t seconds as a clock "hh:mm:ss.s" (tenths, rounded; hours go past 24 on
 * later days), plus offset (e.g. the scenario's start_time). buf needs 24
 * bytes.
 */
void ccs_explain_clock(double t, double offset, char *buf, size_t cap);

#endif
