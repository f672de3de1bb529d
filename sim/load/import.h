/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * import.h - what the trace and forecast loaders share when they read a
 * client's export: the CSV dialect and date/time keys of a scenario block,
 * dates written in the scenario, durations and times of day in fields, and
 * "not recorded" values. Both loaders are in sim/load (trace_load.c,
 * forecast_load.c); the format layer below does the reading.
 */
#ifndef CCS_LOAD_IMPORT_H
#define CCS_LOAD_IMPORT_H

#include "fmt/csv.h"
#include "fmt/datetime.h"
#include "fmt/tz.h"
#include "fmt/ydoc.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Time-of-day format "as written": seconds, or a clock time when it has ':'. */
#define CCS__IMP_TIME_AUTO (-1)

/* The keys of a block that say how its file is written. */
struct ccs__imp_fmt {
    struct ccs__csv_dialect dl;
    bool has_date_fmt;
    enum ccs__date_fmt date_fmt;
    const struct ccs_ynode *date_fmt_node; /* for messages; NULL if not written */
    int time_fmt;                          /* enum ccs__time_fmt, or CCS__IMP_TIME_AUTO */
    struct ccs__tz *tz;                    /* owned; NULL: wall-clock days of 24 hours */
    const struct ccs_ynode *tz_node;
    double unit;                           /* seconds per unit of a plain duration number */
    const char **missing;                  /* values that mean "not recorded" (borrowed) */
    size_t *missing_len;
    size_t n_missing;
    /* ccs__imp_utc's cache: a local day without a clock change */
    int64_t utc_day;
    int64_t utc_off;                       /* local - utc on that day, seconds */
    bool utc_simple;
};

/*
 * Read the dialect and format keys of block n into f (defaults: f as the
 * caller preset it): separator, quote, decimal, thousands, skip_lines,
 * trim, date_format, time_format, time_zone, duration_unit, missing. Keys
 * absent keep the preset. Returns 0 or a negative code with d located at the
 * key. Release with ccs__imp_fmt_release.
 */
int ccs__imp_fmt_read(const struct ccs_ynode *n, struct ccs__imp_fmt *f, struct ccs_diag *d);

/* Recompute the lengths of f's missing values (after a caller changed them). */
int ccs__imp_fmt_lengths(struct ccs__imp_fmt *f, struct ccs_diag *d);

/* Defaults: a comma-separated file with a header, times as written, seconds. */
void ccs__imp_fmt_init(struct ccs__imp_fmt *f);
void ccs__imp_fmt_release(struct ccs__imp_fmt *f);

/* The keys ccs__imp_fmt_read reads (for a block's list of allowed keys). */
extern const char *const ccs__imp_fmt_keys[];
#define CCS__IMP_FMT_NKEYS 11

/*
 * Open path as ccs__csvr_new does; a file that cannot be opened or read is
 * reported at file_node (the scenario's 'file' key) naming the path.
 */
int ccs__imp_open(const char *path, const struct ccs__csv_dialect *dl,
                  const struct ccs_ynode *file_node, struct ccs__csvr **out, struct ccs_diag *d);

/* Path of a data file named in a scenario: relative to the scenario's folder. */
void ccs__imp_path(const char *dir, const char *name, char *buf, size_t cap);

/* Field i is not recorded: empty, or one of f's missing values. */
bool ccs__imp_missing(const struct ccs__imp_fmt *f, const struct ccs__csvr *r, size_t i);

/*
 * Field i as a duration in seconds: h:mm:ss (hours unbounded), or a plain
 * number in the file's decimal convention times f->unit. Negative values are refused. what names the field in messages
 * ("wait"). Returns 0 or CCS_EPARSE with a located message.
 */
int ccs__imp_duration(const struct ccs__imp_fmt *f, const struct ccs__csvr *r, size_t i,
                      const char *what, double *out, struct ccs_diag *d);

/*
 * Field i as a time of day in f's time format (seconds since midnight; 24:00
 * allowed). dated false: the legacy trace clock, where h:mm:ss hours are not
 * bounded. Returns 0 or CCS_EPARSE located.
 */
int ccs__imp_time(const struct ccs__imp_fmt *f, const struct ccs__csvr *r, size_t i,
                  bool dated, double *out, struct ccs_diag *d);

/* Field i as a date in f's date format (days since 1970-01-01). */
int ccs__imp_date(const struct ccs__imp_fmt *f, const struct ccs__csvr *r, size_t i,
                  int64_t *day, struct ccs_diag *d);

/*
 * Field i as a date and time in one: ISO 8601 when f's date format is
 * yyyy-mm-dd or undeclared, else "DATE TIME" in the declared date format.
 */
int ccs__imp_datetime(const struct ccs__imp_fmt *f, const struct ccs__csvr *r, size_t i,
                      struct ccs__datetime *out, struct ccs_diag *d);

/*
 * A date written in the scenario (scalar node n): yyyy-mm-dd, or the file's
 * declared date format. what names the key in messages.
 */
int ccs__imp_yaml_date(const struct ccs__imp_fmt *f, const struct ccs_ynode *n,
                       const char *what, int64_t *day, struct ccs_diag *d);

/* "yyyy-mm-dd" of a day number into buf (at least 12 bytes). */
void ccs__imp_day_text(int64_t day, char *buf, size_t cap);

/*
 * The UTC instant (seconds since 1970-01-01) of local seconds `local` (day *
 * 86400 + seconds since midnight, fractions kept) in f's zone; local itself
 * when f has no zone (wall-clock days of 24 hours). Days without a clock
 * change are cached in f (one zone look-up per day, not per row).
 */
double ccs__imp_utc(struct ccs__imp_fmt *f, double local);

#endif
