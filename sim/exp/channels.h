/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * channels.h (internal) - a channel's own service level from one
 * replication's whole-run values: contacts answered within their own
 * queue's (segment's) threshold / contacts offered, summed over the
 * channel's queues (docs/kpis.md "Service level per channel"). Run's
 * summaries and the sweep's points both take it from here, so they agree.
 */
#ifndef CCS_EXP_CHANNELS_H
#define CCS_EXP_CHANNELS_H

#include "ccs/policy.h"

#include <stdbool.h>
#include <stddef.h>

struct ccs_scenario;
struct ccs_summary;

/* The channels of sc that have queues, in the order of their first queue,
   into ch (room for CCS_CH_COUNT_), with how many queues each has
   (n_queues may be NULL). Returns how many. */
size_t ccs__channels_of(const struct ccs_scenario *sc, enum ccs_channel *ch, size_t *n_queues);

/* One replication of channel ch: *offered, the contacts offered to its
   queues, and *sl, those answered within their own threshold / *offered
   (NaN when none was offered). v: the replication's whole-run values in
   sc's layout. */
void ccs__channel_rep(const struct ccs_scenario *sc, const double *v, enum ccs_channel ch,
                      double *offered, double *sl);

/* One replication's ASA of channel ch: the mean wait of the contacts its
   queues answered (each queue's ASA weighted by its answered count); NaN
   when none was answered. */
double ccs__channel_asa(const struct ccs_scenario *sc, const double *v, enum ccs_channel ch);

/*
 * Batch means' view of channel ch in interval i of one run (v: its values
 * in sc's layout): out[0] the contacts offered to its queues, out[1] its
 * service level (answered within their own queue's threshold / offered, as
 * ccs__channel_rep), out[2] its ASA (as ccs__channel_asa); NaN where
 * undefined. An interval has each queue's service level under sc's
 * definition, not 'offered', so the count answered within the threshold is
 * recovered from it: exactly under 'offered' (times offered) and 'answered'
 * (times answered); the other definitions' denominators are not kept per
 * interval, and then false is returned (out untouched).
 */
bool ccs__channel_interval(const struct ccs_scenario *sc, const double *v, enum ccs_channel ch,
                           int i, double out[3]);

/* Replication r's whole-run values in s (layout n_whole of them). */
const double *ccs__summary_row(const struct ccs_summary *s, unsigned r);

#endif
