/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * compare.h - "is B better than A, by how much, and are we sure?" Variants
 * of a scenario run on common random numbers (same seed, same replication
 * numbers, so the same contacts with the same needs); each KPI gets every
 * variant's mean with a confidence interval, the paired difference to the
 * baseline with its own interval, and a verdict. docs/compare.md states the
 * statistics; the sweep command reuses this machinery.
 *
 *   struct ccs_variant v[2] = {{"baseline", base, NULL}, {"plus1", plus1, NULL}};
 *   struct ccs_compare_opts o = ccs_compare_opts_default(base);
 *   struct ccs_compare *c;
 *   if (ccs_compare_run(v, 2, &o, &c, &d) == 0) {
 *       ccs_report_compare_table(stdout, c);     (ccs/report.h)
 *       ccs_compare_free(c);
 *   }
 */
#ifndef CCS_COMPARE_H
#define CCS_COMPARE_H

#include "ccs/error.h"
#include "ccs/kpi.h"
#include "ccs/results.h"
#include "ccs/run.h"
#include "ccs/sim.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* --- Variants ---------------------------------------------------------------- */

/* One variant: a name and a scenario (borrowed: must outlive the comparison).
   ccs/variants.h reads them from the command line or a scenario's variants:. */
struct ccs_variant {
    const char *name;        /* letters, digits, '_' and '-', at most CCS_ID_MAX */
    const struct ccs_scenario *sc;
    const char *description; /* shown in reports (e.g. its overrides); may be NULL */
};

/* --- Running a comparison --------------------------------------------------------- */

enum ccs_compare_method {
    CCS_CMP_AUTO,         /* batch means if the baseline has a warm-up, else replications */
    CCS_CMP_REPLICATIONS, /* independent replications 0..R-1, paired by number */
    CCS_CMP_BATCH_MEANS,  /* one long run per variant; batches = intervals after warm-up */
};

struct ccs_compare_opts {
    uint64_t seed;          /* every variant runs with this seed */
    double level;           /* confidence level, e.g. 0.95 */
    enum ccs_compare_method method;
    /*
     * Replications: the fixed count (0: the baseline's `replications`); with
     * targets, the count to start from (0: 10). Batch means: the number of
     * batches (0: as many as the baseline's horizon holds); with targets,
     * the number to start from (0: 10).
     */
    uint32_t replications;
    const struct ccs_precision *targets; /* precision targets (n_targets may be 0) */
    size_t n_targets;
    uint32_t max_replications; /* cap on replications (or batches) with targets (0: 1000) */
    /*
     * Threads, the caller's included: 0 = one per online processor, 1 = the
     * calling thread only. The results do not depend on it (byte-identical
     * whatever jobs): replication r of every variant has its own streams,
     * replications are folded in order, and with targets the stopping rule
     * is the sequential one (replications run ahead of it are discarded).
     * Not recorded in reports.
     */
    unsigned jobs;
};

/* The baseline's seed, default counts (0), level 0.95, AUTO, no targets, cap
   1000, every processor (jobs 0). */
struct ccs_compare_opts ccs_compare_opts_default(const struct ccs_scenario *baseline);

struct ccs_compare;

/*
 * Run variants v[0..n) (v[0] is the baseline; n >= 1) on common random
 * numbers and compute every statistic. Keys are matched across variants by
 * scope, ids, KPI and interval; the baseline's keys are reported and a
 * variant lacking one (a removed queue) has no value for it. Errors (d):
 * CCS_EINVAL for bad options (a duplicate or invalid name, a target naming
 * no key of the baseline, targets with fewer than 2 variants, batch means
 * on variants with different intervals or warm-ups, too short a horizon),
 * or the first failing simulation's error. Returns 0 or negative.
 */
int ccs_compare_run(const struct ccs_variant *v, size_t n, const struct ccs_compare_opts *o,
                    struct ccs_compare **out, struct ccs_diag *d);

/*
 * The same statistics for replications run elsewhere (a sweep's worker
 * threads or MPI ranks): rows[v] holds `count` replications of variant v,
 * replication r's whole-run values (its layout's n_whole, layout order) at
 * rows[v][r * n_whole]. Pairing is by row, so the rows must come from common
 * random numbers for the differences to be sharp. Only whole-run keys are
 * compared (ccs_compare_key_count is the baseline's n_whole); o->seed and
 * o->level are used, the method is REPLICATIONS. Each variant's summary
 * holds the rows (per-interval values undefined). Errors: CCS_EINVAL (names,
 * level, count < 1, targets or batch means given), CCS_ENOMEM.
 */
int ccs_compare_from_values(const struct ccs_variant *v, size_t n, const double *const *rows,
                            uint32_t count, const struct ccs_compare_opts *o,
                            struct ccs_compare **out, struct ccs_diag *d);

void ccs_compare_free(struct ccs_compare *c);

struct ccs_backtest; /* fit.h */

/*
 * The model's backtest on real days (fit.h; borrowed: it must outlive c),
 * named by source in the reports (copied; e.g. its path): with one, every
 * report of c (the table's note, compare.json's "model_error", report.html,
 * model_error.csv: fit_report.h) states the backtest's error beside each
 * difference. NULL detaches it. Returns 0 or CCS_ENOMEM.
 */
int ccs_compare_set_backtest(struct ccs_compare *c, const struct ccs_backtest *b,
                             const char *source);
/* The backtest set on c, or NULL; *source (if not NULL) its name. */
const struct ccs_backtest *ccs_compare_backtest(const struct ccs_compare *c, const char **source);

/* --- Results ------------------------------------------------------------------------ */

enum ccs_verdict {
    CCS_VERDICT_BASELINE, /* the row of the baseline itself */
    CCS_VERDICT_BETTER,   /* the difference's CI excludes 0, in the KPI's good direction */
    CCS_VERDICT_WORSE,    /* ... in the bad direction */
    CCS_VERDICT_NONE,     /* the CI contains 0: no significant difference */
    CCS_VERDICT_NA,       /* the KPI has no good direction, or the CI is undefined */
};

/* "baseline", "better", "worse", "no significant difference", "n/a". */
const char *ccs_verdict_name(enum ccs_verdict v);

/*
 * The verdict rule: better (+1 higher is better, -1 lower, 0 neither) and
 * the paired difference with its CI half-width. Significant when
 * |diff| > halfwidth, i.e. the interval excludes 0.
 */
enum ccs_verdict ccs_verdict_of(int better, double diff, double halfwidth);

/* One variant's statistics for one key. */
struct ccs_compare_stat {
    bool present;          /* the variant has this key */
    double n;              /* replications (batches) in which the value was defined */
    double mean, halfwidth;
    double diff_n;         /* pairs in which both values were defined */
    double diff, diff_halfwidth; /* variant - baseline; 0 for the baseline */
    double diff_lag1;      /* batch means: lag-1 autocorrelation of the differences; else NaN */
    enum ccs_verdict verdict;
};

size_t ccs_compare_variant_count(const struct ccs_compare *c);
const char *ccs_compare_variant_name(const struct ccs_compare *c, size_t v);
const char *ccs_compare_variant_description(const struct ccs_compare *c, size_t v);
/* The scenario variant v ran (in batch-means mode, lengthened to the run used). */
const struct ccs_scenario *ccs_compare_variant_scenario(const struct ccs_compare *c, size_t v);
/* Variant v's replications folded as `ccsim run` would (batch means: its one run). */
const struct ccs_summary *ccs_compare_variant_summary(const struct ccs_compare *c, size_t v);

enum ccs_compare_method ccs_compare_method(const struct ccs_compare *c); /* never AUTO */
uint64_t ccs_compare_seed(const struct ccs_compare *c);
double ccs_compare_level(const struct ccs_compare *c);
/* Replications (or batches) used: the n of the statistics. */
uint32_t ccs_compare_count(const struct ccs_compare *c);
/* Batch means: index of the first batch's interval (after the warm-up). */
uint32_t ccs_compare_first_batch(const struct ccs_compare *c);

/* Keys: the baseline's, in its layout order (batch means: its per-interval
   KPIs with interval -1). Indices refer to the baseline's scenario. */
size_t ccs_compare_key_count(const struct ccs_compare *c);
struct ccs_key ccs_compare_key(const struct ccs_compare *c, size_t k);
/* The index of a key, or -1. */
long ccs_compare_find(const struct ccs_compare *c, enum ccs_scope scope, enum ccs_kpi kpi,
                      int queue, int segment, int group, int interval);
void ccs_compare_get(const struct ccs_compare *c, size_t v, size_t k,
                     struct ccs_compare_stat *out);

/*
 * Service level per channel, as run's summary and sweep's points have it
 * (docs/kpis.md "Service level per channel"): for each channel with queues
 * in any variant (the baseline's first, in the order of their first
 * queue), three rows: CCS_KPI_offered (contacts), CCS_KPI_service_level
 * (answered within their own queue's threshold / offered, per
 * replication) and CCS_KPI_asa (the mean wait of the contacts its queues
 * answered). ccs_compare_channel_get gives variant v's statistics of row
 * i, paired with the baseline's same channel (present false where v has no
 * queue on it; diff NaN and CCS_VERDICT_NA where the baseline has none).
 * In batch-means mode a batch's values are those of its interval: each
 * queue's offered, answered, service level and ASA in it, which give the
 * channel's count answered within the threshold only under the 'offered'
 * and 'answered' service-level definitions; with a variant under another,
 * there are no channel rows (0) and ccs_compare_channels_dropped is true.
 */
size_t ccs_compare_channel_rows(const struct ccs_compare *c);
void ccs_compare_channel_row(const struct ccs_compare *c, size_t i, enum ccs_channel *channel,
                             enum ccs_kpi *kpi);
void ccs_compare_channel_get(const struct ccs_compare *c, size_t v, size_t i,
                             struct ccs_compare_stat *out);
bool ccs_compare_channels_dropped(const struct ccs_compare *c);

/* Precision targets: the largest achieved half-width over the variants. */
size_t ccs_compare_target_count(const struct ccs_compare *c);
const struct ccs_precision *ccs_compare_target(const struct ccs_compare *c, size_t i);
double ccs_compare_target_achieved(const struct ccs_compare *c, size_t i);
/* With targets: were all met (false: the cap stopped the run)? */
bool ccs_compare_targets_met(const struct ccs_compare *c);
uint32_t ccs_compare_max_replications(const struct ccs_compare *c);

#endif
