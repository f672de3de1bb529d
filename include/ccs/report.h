/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * report.h - presenting results: the readable table, JSON, tidy CSV, and an
 * output directory whose files appear all at once or not at all.
 * docs/outputs.md describes every format.
 */
#ifndef CCS_REPORT_H
#define CCS_REPORT_H

#include "ccs/error.h"
#include "ccs/results.h"
#include "ccs/run.h"

#include <stdio.h>

/* The readable report: per overall, queue, segment and group, each KPI with
   its confidence interval. Returns 0 or CCS_EIO. */
int ccs_report_table(FILE *f, const struct ccs_summary *s);

/* The contact balance over all replications (docs/kpis.md), for --verbose. */
int ccs_report_balance(FILE *f, const struct ccs_summary *s);

/* The per-interval table (--by interval): per queue offered, answered,
   abandoned, service level, ASA, backlog; per group agents and occupancy;
   intervals labelled by clock time. Returns 0 or CCS_EIO. */
int ccs_report_intervals_table(FILE *f, const struct ccs_summary *s);

/* The same as JSON (docs/outputs.md). Returns 0 or CCS_EIO. */
int ccs_report_json(FILE *f, const struct ccs_summary *s);

/* summary.csv, intervals.csv and replications.csv contents. */
int ccs_report_summary_csv(FILE *f, const struct ccs_summary *s);
int ccs_report_intervals_csv(FILE *f, const struct ccs_summary *s);
int ccs_report_replications_csv(FILE *f, const struct ccs_summary *s);
/* timeseries.csv (only when the run sampled) and waits.csv (pooled CDFs). */
int ccs_report_timeseries_csv(FILE *f, const struct ccs_summary *s);
int ccs_report_waits_csv(FILE *f, const struct ccs_summary *s);

/*
 * An output directory transaction: files are written under temporary names
 * and renamed into place by commit, after all were written and synced; abort
 * (or any failure) removes the temporaries. Nothing half-written is left.
 */
struct ccs_outdir;

/* Write all standard outputs of a run into dir (created if missing). */
int ccs_report_write_dir(const char *dir, const struct ccs_summary *s, struct ccs_diag *d);
/* The same files, added to an open transaction (not committed). Returns 0 or
   CCS_EIO with d; the caller then aborts. */
int ccs_report_write_files(struct ccs_outdir *o, const struct ccs_summary *s, struct ccs_diag *d);

/*
 * Create dir (and parents) if needed and check it is writable; remove the
 * temporaries that dead ccsim processes left in it and beside it. Commit
 * switches the whole directory at once (docs/outputs.md): the files written
 * are replaced, every other entry is kept.
 */
int ccs_outdir_open(const char *dir, struct ccs_outdir **out, struct ccs_diag *d);
/* The same for a few files in a directory the user owns (--trace FILE's):
   each file is renamed into place on its own; the directory is never switched. */
int ccs_outdir_open_single(const char *dir, struct ccs_outdir **out, struct ccs_diag *d);
/* A new file to write, named name inside dir; NULL on failure (d filled). */
FILE *ccs_outdir_file(struct ccs_outdir *o, const char *name, struct ccs_diag *d);
/* The directory path. */
const char *ccs_outdir_path(const struct ccs_outdir *o);
/* Finish: flush, fsync, rename all. Frees o. Returns 0 or CCS_EIO with d. */
int ccs_outdir_commit(struct ccs_outdir *o, struct ccs_diag *d);
/* Give up: remove the temporaries, and the folders open created if they are
   still empty (a failed command leaves the tree as it found it). Frees o.
   NULL allowed. A failed commit does the same. */
void ccs_outdir_abort(struct ccs_outdir *o);
/*
 * A private work directory inside the output directory (created on first
 * call: DIR/.ccsim-work-XXXXXX), for files that other programs produce.
 * It and everything left in it are removed by commit or abort. NULL on
 * failure (d filled). The path stays valid until commit or abort.
 */
const char *ccs_outdir_workdir(struct ccs_outdir *o, struct ccs_diag *d);
/*
 * Make work-directory entry rel (a finished file, or a directory of files)
 * part of the transaction: commit syncs it and renames it to DIR/name. A
 * directory replaces an existing one of that name as a whole. Returns 0,
 * CCS_ESTATE (no work directory), CCS_EIO or CCS_ENOMEM with d.
 */
int ccs_outdir_adopt(struct ccs_outdir *o, const char *rel, const char *name, struct ccs_diag *d);

/* Write a file atomically (temp + fsync + rename) with the given contents
   producer. Returns 0 or CCS_EIO with d filled. */
int ccs_write_atomic(const char *path, int (*produce)(FILE *f, const void *arg),
                     const void *arg, struct ccs_diag *d);

/* --- A call log replayed date by date (ccs_run_dates) ---------------------------- */

/*
 * The pooled report of all dates (ccs_report_table of total), then one line
 * per date: its overall offered, abandon %, service level, ASA and
 * occupancy with their intervals. per[k] are the n per-date summaries.
 * Returns 0 or CCS_EIO.
 */
int ccs_report_dates_table(FILE *f, struct ccs_summary *const *per, size_t n,
                           const struct ccs_summary *total);

/* JSON ("format": "ccsim-dates-1"): {"dates": [{"date", "summary"}...], "total"}, each
   summary as ccs_report_json writes it. */
int ccs_report_dates_json(FILE *f, struct ccs_summary *const *per, size_t n,
                          const struct ccs_summary *total);

/* dates.csv: summary.csv's rows with a first column 'date' (yyyy-mm-dd, or
   'all' for the pool). */
int ccs_report_dates_csv(FILE *f, struct ccs_summary *const *per, size_t n,
                         const struct ccs_summary *total);

/* Into an open transaction: the pool's standard files (ccs_report_write_files)
   and dates.csv. Returns 0 or CCS_EIO with d. */
int ccs_report_dates_files(struct ccs_outdir *o, struct ccs_summary *const *per, size_t n,
                           const struct ccs_summary *total, struct ccs_diag *d);

/* The same into dir, all at once. */
int ccs_report_dates_write_dir(const char *dir, struct ccs_summary *const *per, size_t n,
                               const struct ccs_summary *total, struct ccs_diag *d);

/* --- Comparisons --------------------------------------------------------------- */

struct ccs_compare;

/* docs/compare.md */
/* The readable table: per scope and KPI each variant's mean ± CI, the
   difference ± CI and the verdict; then the interval view. 0 or CCS_EIO. */
int ccs_report_compare_table(FILE *f, const struct ccs_compare *c);
/* JSON ("format": "ccsim-compare-1"). */
int ccs_report_compare_json(FILE *f, const struct ccs_compare *c);
/* compare.csv: one row per variant x key. */
int ccs_report_compare_csv(FILE *f, const struct ccs_compare *c);
/*
 * Into dir: each variant's standard outputs in dir/NAME/, then compare.csv
 * and compare.json (each file atomic; compare.csv is renamed into place
 * last); with plots (NULL: none), also the charts and report.html of
 * ccs_plot_compare. Returns 0 or CCS_EIO with d.
 */
struct ccs_plot_opts;
int ccs_report_compare_write_dir(const char *dir, const struct ccs_compare *c,
                                 const struct ccs_plot_opts *plots, struct ccs_diag *d);

/* --- Staffing plans (docs/staff-command.md) -------------------------------------- */

struct ccs_staffing;

/* The readable report: Erlang numbers per interval and queue, the plan per
   group and interval with the simulated service level, the cost. */
int ccs_staff_write_table(FILE *f, const struct ccs_staffing *st);

/*
 * The plan as a YAML fragment to paste over the scenario's 'groups:': every
 * group as the scenario wrote it, its 'agents'/'shifts'/'staffing' replaced
 * by `staffing: [...]` (the plan, per reporting interval). Returns 0 or
 * CCS_EIO (or CCS_ENOMEM).
 */
int ccs_staff_write_yaml(FILE *f, const struct ccs_staffing *st);

/* Tidy CSV: one row per interval x queue or group x method. */
int ccs_staff_write_csv(FILE *f, const struct ccs_staffing *st);

/* All of it as JSON. */
int ccs_staff_write_json(FILE *f, const struct ccs_staffing *st);

/* staffing.yaml and staffing.csv into dir, all or nothing (as
   ccs_outdir_write_files). The files of `ccsim staff --out`. */
int ccs_staff_write_dir(const char *dir, const struct ccs_staffing *st, struct ccs_diag *d);

/* --- Sweeps (docs/sweep.md) ------------------------------------------------------ */

struct ccs_sweep;

/* sweep.csv: one row per point x scope x KPI. 0 or CCS_EIO. */
int ccs_report_sweep_csv(FILE *f, const struct ccs_sweep *s);
/* sweep.json ("format": "ccsim-sweep-1"). */
int ccs_report_sweep_json(FILE *f, const struct ccs_sweep *s);
/* The readable table: one line per point with headline overall KPIs. */
int ccs_report_sweep_table(FILE *f, const struct ccs_sweep *s);
/* replications.csv (with CCS_SWEEP_OUT_REPLICATIONS, else CCS_ESTATE): one
   row per point x replication, one column per whole-run KPI key
   (docs/sweep.md). 0, CCS_EIO or CCS_ENOMEM. */
int ccs_report_sweep_replications_csv(FILE *f, const struct ccs_sweep *s);
/* intervals.csv (with CCS_SWEEP_OUT_INTERVALS, else CCS_ESTATE): one row per
   point x interval, each per-interval KPI's mean and CI half-width. */
int ccs_report_sweep_intervals_csv(FILE *f, const struct ccs_sweep *s);
/* The optional files the sweep keeps, sweep.json, then sweep.csv into dir,
   atomically (sweep.csv renamed last). A finished point that cannot be read
   back from the journal fails it (ccs_sweep_read_status). */
int ccs_report_sweep_write_dir(const char *dir, const struct ccs_sweep *s, struct ccs_diag *d);

/* --- `ccsim schedule` (schedule.h) --------------------------------------------------- */

struct ccs_schedule;

/*
 * The summary `ccsim schedule` prints: solver status and optimality gap,
 * people, paid hours and cost against the head-count plan, the shifts, the
 * coverage by interval and, after simulation, the service level by interval
 * and the verdicts. Nothing in it depends on the clock. Returns 0 or CCS_EIO.
 */
int ccs_schedule_write_table(FILE *f, const struct ccs_schedule *s);

/*
 * The roster as a 'groups:' fragment of scenario YAML (each rostered
 * group's 'shifts' with 'days' and breaks 'at' clock times), to paste into
 * the scenario. Returns 0 or CCS_EIO.
 */
int ccs_schedule_write_yaml(FILE *f, const struct ccs_schedule *s);

/*
 * roster.csv, tidy: group, template, day, start, end, breaks ("10:15+15m;
 * 12:30+30m unpaid"), count, paid_hours, cost. Returns 0 or CCS_EIO.
 */
int ccs_schedule_write_csv(FILE *f, const struct ccs_schedule *s);

/*
 * coverage.csv, tidy: group, interval, time, required, scheduled,
 * on_phone. Returns 0 or CCS_EIO.
 */
int ccs_schedule_write_coverage(FILE *f, const struct ccs_schedule *s);

/*
 * service_level.csv, tidy: queue, interval, time, service_level, std_error,
 * target, p_value, below (the validation; empty cells when not simulated).
 * Returns 0 or CCS_EIO.
 */
int ccs_schedule_write_sl(FILE *f, const struct ccs_schedule *s);

/* roster.yaml, roster.csv, coverage.csv and service_level.csv into dir, all
   or nothing (as ccs_outdir_write_files). The files of `ccsim schedule --out`. */
int ccs_schedule_write_dir(const char *dir, const struct ccs_schedule *s, struct ccs_diag *d);

/* --- A command's files ---------------------------------------------------------------- */

/* One file of a command's output folder: its name and the writer that fills
   it from the command's result (0 or an error). */
struct ccs_out_file {
    const char *name;
    int (*write)(FILE *f, const void *result);
};

/*
 * Write files[0..n) from result into dir, all or nothing (ccs_outdir: the
 * folder is replaced whole on success, left as it was on failure), for
 * every front end alike (the ccsim commands, the Python module). Returns 0
 * or a CCS_E* code with d ("cannot write DIR/NAME" when a writer fails).
 */
int ccs_outdir_write_files(const char *dir, const struct ccs_out_file *files, size_t n,
                           const void *result, struct ccs_diag *d);

#endif
