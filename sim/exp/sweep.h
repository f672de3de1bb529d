/*
 * sweep.h (internal) - the insides of a sweep, shared by its loader
 * (load/sweep_load.c), scheduler (exp/sweep.c), thread pool
 * (exp/sweep_pool.c), journal (exp/sweep_journal.c) and reports
 * (out/report_sweep.c). The definition part is immutable once prepared (worker
 * threads read it); the run part is changed only under the pool's lock.
 */
#ifndef CCS_EXP_SWEEP_H
#define CCS_EXP_SWEEP_H

#include "ccs/sweep.h"

#include <stdio.h>

struct ccs_ydoc;
struct ccs_ynode;

/*
 * One override. From a file: key and value are nodes of a document the sweep
 * owns (errors point into the file). From the command line: ov locates the
 * path and value in the argument. canon is the value's canonical text.
 */
struct ccs__sweep_ov {
    const char *path;               /* the dotted path (file: key->text; else owned copy) */
    const struct ccs_ynode *key, *value; /* file overrides; NULL otherwise */
    struct ccs_override ov;         /* command-line overrides (ov.path NULL for file ones) */
    char *canon;                    /* owned */
    char *own_path, *own_value;     /* command line: owned copies ov points to */
};

/* A grid dimension: one path, several values. */
struct ccs__sweep_dim {
    const char *path;
    struct ccs__sweep_ov *vals;     /* n_vals overrides of the same path */
    size_t n_vals;
    const char *origin;             /* for messages */
    int line, col;
};

/* A listed point before expansion. */
struct ccs__sweep_listed {
    char *name;
    struct ccs__sweep_ov *ov;
    size_t n_ov;
    const char *origin;
    int line, col;
};

/* A stored row of a finished point (what the journal keeps). */
struct ccs__sweep_rec_row {
    uint32_t key;                   /* index among the row scenario's whole-run keys */
    double n, mean, halfwidth, diff_n, diff, diff_halfwidth;
    uint8_t verdict;
};

struct ccs__sweep_point {
    /* definition */
    char *name;                     /* owned */
    const struct ccs__sweep_ov **ov; /* borrowed from dims / listed points */
    size_t n_ov;
    char *key;                      /* canonical overrides text (owned) */
    struct ccs_scenario *sc;        /* derived, owned */
    uint64_t seed;
    char **values;                  /* per column: canonical text in sc, or NULL (owned) */
    long *tkey;                     /* per target: index among sc's whole-run keys */

    /* run state (under the lock) */
    bool recorded;                  /* its result is final */
    bool resumed;                   /* ... and came from the journal */
    uint32_t need;                  /* replications asked for so far */
    uint32_t issued;                /* replications handed out: 0..issued-1 */
    uint32_t contig;                /* replications 0..contig-1 are all in */
    uint32_t checked;               /* precision: counts evaluated so far */
    uint8_t *got;                   /* per replication: in? (rows_cap entries) */
    double *vals;                   /* rows_cap x n_whole values */
    uint32_t rows_cap;

    /* the result */
    uint32_t final;                 /* replications used */
    bool met;
    double *achieved;               /* per target */
    struct ccs__sweep_rec_row *rows;
    size_t n_rows;
};

struct ccs_sweep {
    /* what was given */
    char *file;                     /* sweep file, or NULL */
    char *name;
    char *scenario_path;
    const struct ccs_ynode *scenario_node; /* the file's scenario:, for messages */
    struct ccs_ydoc *doc;           /* the sweep file */
    struct ccs_ydoc **vdocs;        /* parsed command-line values */
    size_t n_vdocs;
    struct ccs__sweep_ov *set;      /* the file's set:, then --set */
    size_t n_set;
    struct ccs__sweep_dim *dims;
    size_t n_dims;
    struct ccs__sweep_listed *listed;
    size_t n_listed;
    bool has_seed, has_reps, cli_reps, cli_seed;
    uint64_t seed;
    uint32_t reps, cap;
    enum ccs_sweep_streams streams;
    char *baseline_text;            /* name or index, or NULL */
    const struct ccs_ynode *baseline_node; /* where the file gave it, for messages */
    struct ccs_precision *targets;
    size_t n_targets;
    bool cli_targets;
    const struct ccs_ynode *targets_node;
    double level;

    /* prepared */
    bool prepared;
    struct ccs_scenario *base;
    struct ccs__sweep_point *points;
    size_t n_points;
    char **columns;                 /* swept paths */
    size_t n_columns;
    long baseline;                  /* point index or -1 */
    uint32_t start;                 /* replications to start from */
    char identity[17];
    size_t run_size;                /* largest layout n */

    /* run state (under the lock) */
    size_t lo;                      /* first point (in task order) not yet recorded */
    size_t n_recorded, n_resumed;
    uint64_t reps_done;
    double *scratch_a, *scratch_b;  /* precision checks */
    size_t scratch_cap;

    /* journal */
    FILE *journal;
    char *journal_path;
    bool defer_sync;                /* a pool fsyncs appended records outside its lock */
    bool unsynced;                  /* records written since the last fsync */
};

/* Set up the run state of a prepared sweep (every point still to do). 0 or CCS_ENOMEM. */
int ccs__sweep_run_init(struct ccs_sweep *s);

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

#endif
