/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * sweep.h (internal) - the insides of a running sweep, shared by its
 * scheduler (sweep.c), thread pool (sweep_pool.c) and journal
 * (sweep_journal.c). The design is immutable (worker threads read it); the
 * run state is changed only under the pool's lock.
 */
#ifndef CCS_EXP_SWEEP_H
#define CCS_EXP_SWEEP_H

#include "ccs/policy.h"
#include "ccs/sweep.h"

#include <stdio.h>

/* A stored row of a finished point (what the journal keeps). */
struct ccs__sweep_rec_row {
    uint32_t key;                   /* index among the row scenario's whole-run keys (K of
                                       them); a channel row: K + CCS__SWEEP_CH_KEY(ch, j) */
    double n, mean, halfwidth, diff_n, diff, diff_halfwidth;
    uint8_t verdict;
};

/* A channel row's key past the K keyed ones: j 0 offered, 1 service level, 2 ASA. */
#define CCS__SWEEP_CH_PER 3u
#define CCS__SWEEP_CH_KEY(ch, j) (CCS__SWEEP_CH_PER * (unsigned)(ch) + (unsigned)(j))
#define CCS__SWEEP_CH_KEYS (CCS__SWEEP_CH_PER * (unsigned)CCS_CH_COUNT_)

/* A point's run state (under the lock) and result. */
struct ccs__sweep_point {
    bool recorded;                  /* its result is final */
    bool resumed;                   /* ... and came from the journal */
    uint32_t need;                  /* replications asked for so far */
    uint32_t issued;                /* replications handed out: 0..issued-1 */
    uint32_t contig;                /* replications 0..contig-1 are all in */
    uint32_t checked;               /* precision: counts evaluated so far */
    uint8_t *got;                   /* per replication: in? (rows_cap entries) */
    double *vals;                   /* rows_cap x n_whole values */
    double *ivals;                  /* per-interval outputs: rows_cap x (n - n_whole) values */
    size_t rows_cap;

    /* the result */
    uint32_t final;                 /* replications used */
    bool met;
    double *achieved;               /* per target */
    struct ccs__sweep_rec_row *rows; /* NULL once in the journal (read back on demand) */
    size_t n_rows;                  /* keyed rows, then... */
    size_t n_ch_rows;               /* ... channel rows (offered, service level, ASA per channel) */
    double *rep_vals;               /* CCS_SWEEP_OUT_REPLICATIONS: final x n_whole values */
    double *int_stats;              /* CCS_SWEEP_OUT_INTERVALS: (n - n_whole) x (mean, hw) */
    int64_t at;                     /* offset of its journal record, or -1 */
};

/* A finished point read back from the journal (the last one asked for). */
struct ccs__sweep_cache {
    long point;                     /* which, or -1 */
    struct ccs__sweep_rec_row *rows;
    size_t n_rows;
    double *rep_vals, *int_stats;
    double *achieved;               /* scratch for the parser */
    FILE *rd;                       /* the journal, opened for reading */
    int err;                        /* the first failure, sticky (0: none) */
    char msg[512];                  /* ... and its message */
};

struct ccs_sweep {
    const struct ccs_design *dz;    /* what to run (borrowed) */
    struct ccs__sweep_point *points; /* dz->n_points */
    size_t run_size;                /* largest layout n */

    /* run state (under the lock) */
    size_t lo;                      /* first point (in task order) not yet recorded */
    size_t n_recorded, n_resumed;
    uint64_t reps_done;
    double *scratch_a, *scratch_b;  /* precision checks */
    size_t scratch_cap;

    unsigned outputs;               /* CCS_SWEEP_OUT_* */

    /* journal: with one, finished points live there, not in memory */
    FILE *journal;
    struct ccs__sweep_cache *cache;
    char *journal_path;
    bool defer_sync;                /* a pool fsyncs appended records outside its lock */
    bool unsynced;                  /* records written since the last fsync */
};

/* After the journal marked points recorded: the baseline's needs, lo. */
void ccs__sweep_after_resume(struct ccs_sweep *s);

/* Task order: the baseline first, then the others in index order. */
size_t ccs__sweep_order(const struct ccs_sweep *s, size_t i);

/* Fill point p's result from its stored values (p.final set). Returns 0 or CCS_ENOMEM. */
int ccs__sweep_finish_point(struct ccs_sweep *s, size_t p, struct ccs_diag *d);

/* Journal: append point p's record, flushed, and fsynced unless defer_sync
   (then unsynced is set and ccs__sweep_journal_sync must follow). 0 or CCS_EIO. */
int ccs__sweep_journal_append(struct ccs_sweep *s, size_t p, struct ccs_diag *d);

/* fsync the journal (the pool calls it without its lock). 0 or CCS_EIO. */
int ccs__sweep_journal_sync(struct ccs_sweep *s, struct ccs_diag *d);

/* Free point p's result and run state (used by the journal loader on bad records). */
void ccs__sweep_point_reset(struct ccs__sweep_point *pt);

/* After point p's record is in the journal: drop what it holds (rows, outputs). */
void ccs__sweep_point_drop(struct ccs__sweep_point *pt);

/* Point p's finished result: in memory, or read back from the journal into
   s->cache (NULL on failure: s->cache->err and msg say why). */
struct ccs__sweep_result {
    const struct ccs__sweep_rec_row *rows;
    size_t n_rows;                  /* all of them: keyed, then channel rows */
    const double *rep_vals, *int_stats;
};
bool ccs__sweep_result(const struct ccs_sweep *s, size_t p, struct ccs__sweep_result *out);

/* Values per replication in point p's per-interval outputs (n - n_whole; 0 when off). */
size_t ccs__sweep_interval_width(const struct ccs_sweep *s, size_t p);

#endif
