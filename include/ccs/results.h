/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * results.h - what a run measures. A layout lists every metric a scenario
 * reports, as keys (scope, queue/segment/group, interval, KPI); each
 * replication yields one value per key, in layout order (ccs_sim_results).
 * Summaries over replications are ccs/run.h.
 */
#ifndef CCS_RESULTS_H
#define CCS_RESULTS_H

#include "ccs/kpi.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ccs_scenario;

struct ccs_key {
    uint8_t scope;     /* enum ccs_scope */
    uint16_t kpi;      /* enum ccs_kpi */
    int32_t queue;     /* queue index, or -1 */
    int32_t segment;   /* segment index within the queue, or -1 */
    int32_t group;     /* group index, or -1 */
    int32_t interval;  /* interval index, or -1 for the whole run */
};

/*
 * Keys 0..n_whole-1 are whole-run metrics, stored in keys[]. The rest are
 * per interval: n_intervals blocks of n_block keys that differ only in their
 * interval, so the pattern is stored once (block[], interval 0). Memory is
 * thus O(whole + block), whatever the number of intervals.
 */
struct ccs_layout {
    size_t n;          /* number of keys in all: n_whole + n_block * n_intervals */
    size_t n_whole;
    size_t n_block;
    uint32_t n_intervals;
    struct ccs_key *keys;  /* the n_whole whole-run keys */
    struct ccs_key *block; /* the n_block keys of interval 0 */
    struct ccs__layout_at *at; /* private: where each scope instance's keys start */
};

const struct ccs_layout *ccs_scenario_layout(const struct ccs_scenario *sc);

/* Key k (< l->n), whole-run or per interval. */
static inline struct ccs_key ccs_layout_key(const struct ccs_layout *l, size_t k)
{
    if (k < l->n_whole)
        return l->keys[k];
    size_t j = k - l->n_whole;
    struct ccs_key key = l->block[j % l->n_block];
    key.interval = (int32_t)(j / l->n_block);
    return key;
}

/* Index of a key, or -1. */
long ccs_layout_find(const struct ccs_layout *l, enum ccs_scope scope, enum ccs_kpi kpi,
                     int queue, int segment, int group, int interval);

/*
 * The memory a run of sc needs, in bytes, estimated before running from its
 * size: the layout's values (one mean and variance each in the summary, one
 * value in each simulation) and each simulation's per-interval accumulators
 * (per line, group and queue). sims: simulations held at once (1 for
 * ccs_run). What grows with the contacts in the system (at most a few MB in
 * any realistic center) is not counted. Writing the per-interval results
 * roughly doubles it while the files are formatted. whole_run_only: as
 * ccs_run_opts.whole_run_only will be; then only the whole-run values and
 * the accumulators a run still keeps per interval (time and group) are
 * counted, a fraction of the full estimate for a many-queue center.
 */
double ccs_run_memory_estimate(const struct ccs_scenario *sc, unsigned sims, bool whole_run_only);

#endif
