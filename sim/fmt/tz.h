/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * tz.h - time zones for wall-clock times in exports: a declared IANA zone
 * read from the system's TZif files (/usr/share/zoneinfo, Debian package
 * tzdata), a POSIX TZ rule, a fixed offset or UTC. Converts local wall-clock
 * times to UTC with stated rules for the skipped and the repeated hour, and
 * tells the UTC start and length (23, 24 or 25 h) of each local date. No
 * global TZ, no libc time functions: a zone is immutable once made, so
 * threads may share it.
 */
#ifndef CCS_FMT_TZ_H
#define CCS_FMT_TZ_H

#include "fmt/datetime.h"

#include <stddef.h>
#include <stdint.h>

struct ccs__tz;

/* How a local wall-clock time met the zone's clock. */
enum ccs__tz_fit {
    CCS__TZ_UNIQUE,    /* it happened once */
    CCS__TZ_AMBIGUOUS, /* twice (the repeated hour when clocks go back) */
    CCS__TZ_SKIPPED    /* never (the hour skipped when clocks go forward) */
};

/* Where the tzdata files are when the caller passes NULL. */
#define CCS__TZ_DIR "/usr/share/zoneinfo"

/*
 * Make a zone from what a user writes: "UTC"; a fixed offset "+02:00",
 * "-0530", "+02"; or an IANA name ("Europe/Berlin") read from dir/NAME (dir
 * NULL: CCS__TZ_DIR), a TZif file of version 1 to 4 whose POSIX TZ footer
 * carries it beyond its table. Returns 0 and *out (free with ccs__tz_free),
 * or CCS_EINVAL (not a zone), CCS_ENOTFOUND (no such zone, or no tzdata),
 * CCS_EPARSE (a bad TZif file), CCS_EUNSUPPORTED (leap-second "right/"
 * zones), CCS_ENOMEM; why (cap bytes) then says what went wrong, lowercase,
 * for the caller to place (e.g. at the scenario key).
 */
int ccs__tz_new(const char *spec, const char *dir, struct ccs__tz **out, char *why, size_t cap);

/* A zone from the bytes of a TZif file (name is kept for ccs__tz_name). */
int ccs__tz_from_tzif(const char *name, const void *data, size_t len, struct ccs__tz **out,
                      char *why, size_t cap);

/*
 * A zone from a POSIX TZ string as in TZif footers and RFC 8536, e.g.
 * "CET-1CEST,M3.5.0,M10.5.0/3" (offsets are west-positive there).
 */
int ccs__tz_from_posix(const char *tzstring, struct ccs__tz **out, char *why, size_t cap);

/* NULL-safe. */
void ccs__tz_free(struct ccs__tz *tz);

/* The spec or name the zone was made from. */
const char *ccs__tz_name(const struct ccs__tz *tz);

/* The offset from UTC (seconds east: +3600 in Berlin in winter) in force at
   instant utc (seconds since 1970-01-01 00:00 UTC, leap seconds not counted).
   Here and below, instants beyond +-2^44 s (557,000 years) are clamped. */
int32_t ccs__tz_offset(const struct ccs__tz *tz, int64_t utc);

/*
 * The UTC instant of a local wall-clock time, local = day * 86400 + seconds
 * since midnight on the wall clock (days since 1970-01-01). A time that
 * happened twice is taken at its first occurrence (fold 0) or its second
 * (fold 1); a time that never happened is moved forward by the length of
 * the gap (02:30 on a day that jumps from 02:00 to 03:00 is 03:30), as
 * RFC 5545 and most libraries do. *fit (may be NULL) tells which case it was.
 */
int64_t ccs__tz_to_utc(const struct ccs__tz *tz, int64_t local, int fold,
                       enum ccs__tz_fit *fit);

/*
 * The local date day (days since 1970-01-01): *start, the UTC instant of its
 * first moment (its midnight, or the end of a gap that swallowed midnight),
 * and *length, seconds to the next date's start: 86400, or 82800 / 90000 on
 * the days clocks move by an hour.
 */
void ccs__tz_day(const struct ccs__tz *tz, int64_t day, int64_t *start, int64_t *length);

/*
 * Where a date-time from a file falls in this zone: the local date *day it
 * belongs to and *since, seconds elapsed since that date's start (real
 * seconds: on a 23-hour day they run from 0 to 82800). A date-time with an
 * explicit offset is that instant; one without is a wall-clock time in the
 * zone, resolved as ccs__tz_to_utc does with fold. *fit may be NULL.
 */
void ccs__tz_place(const struct ccs__tz *tz, const struct ccs__datetime *dt, int fold,
                   int64_t *day, double *since, enum ccs__tz_fit *fit);

#endif
