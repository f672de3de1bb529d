/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * forecast_load.h - a forecast file as a WFM system exports it (forecast_load.c):
 * per date or weekday, interval start and queue, the expected volume and,
 * optionally, the mean handle time and mean patience. The scenario's
 * top-level `forecast:` block says how it is written; queues take their
 * arrivals (`arrivals: forecast`) and their means (`mean: forecast`) from it.
 */
#ifndef CCS_LOAD_FORECAST_LOAD_H
#define CCS_LOAD_FORECAST_LOAD_H

#include "fmt/ydoc.h"
#include "model/scenario.h"

struct ccs__forecast;

/* What a queue can take from the forecast. */
enum ccs__fc_what { CCS__FC_VOLUME, CCS__FC_AHT, CCS__FC_PATIENCE };

/*
 * Read the `forecast:` block fn (sc's start_time, start_day, horizon and
 * interval must be set). Every row is checked; rows are kept per queue value
 * (after the block's `queues` map) on a grid of steps from t = 0. A dated
 * forecast dates the scenario (sc->dated, date, start_day). Returns 0 and
 * *out, or a negative code with d.
 */
int ccs__forecast_read(struct ccs_scenario *sc, const struct ccs_ynode *fn, const char *dir,
                       struct ccs__forecast **out, struct ccs_diag *d);

void ccs__forecast_free(struct ccs__forecast *fc);

/* Does the forecast have a column for what, and rows for queue id? */
bool ccs__forecast_has(const struct ccs__forecast *fc, const char *id, enum ccs__fc_what what);

/*
 * Queue id's volumes as a piecewise-constant rate: a->kind PROFILE, rates
 * per step (owned by a), step, repeat (the list covers the run, a day or a
 * week) of sc's run. at locates errors. Returns 0 or a negative code with d.
 */
int ccs__forecast_arrivals(const struct ccs__forecast *fc, const char *id,
                           struct ccs_arrivals *a, const struct ccs_ynode *at,
                           struct ccs_diag *d, const struct ccs_scenario *sc);

/*
 * Queue id's mean handle time or patience per step: *nominal, the mean over
 * the forecast weighted by volume (the distribution is built with it), and
 * m, factor[k] = the step's mean / nominal (1 where the step has none).
 * at locates errors (the 'mean: forecast' node).
 */
int ccs__forecast_means(const struct ccs__forecast *fc, const char *id, enum ccs__fc_what what,
                        double *nominal, struct ccs_step_means *m, const struct ccs_ynode *at,
                        struct ccs_diag *d, const struct ccs_scenario *sc);

/*
 * After the queues are read: the `queues` map must name queues of sc, and
 * sc->forecast_note is set (what was read, what was skipped).
 */
int ccs__forecast_finish(const struct ccs__forecast *fc, struct ccs_scenario *sc,
                         struct ccs_diag *d);

#endif
