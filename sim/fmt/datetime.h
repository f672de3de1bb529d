/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * datetime.h - calendar dates and wall-clock times as exports write them:
 * the proleptic Gregorian calendar as days since 1970-01-01, date and time
 * formats declared by the user (never guessed), ISO 8601 date-times. Pure
 * functions: deterministic and thread-safe. Time zones are in tz.h.
 */
#ifndef CCS_FMT_DATETIME_H
#define CCS_FMT_DATETIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* --- the calendar ----------------------------------------------------------------- */

/* true for leap years of the proleptic Gregorian calendar (1900 no, 2000 yes). */
bool ccs__leap_year(int y);

/* Days in month m (1-12) of year y; 0 for a month out of range. */
int ccs__days_in_month(int y, int m);

/* true when y-m-d is a real date (month 1-12, day within the month). */
bool ccs__date_valid(int y, int m, int d);

/*
 * Days from 1970-01-01 to y-m-d (negative before), for any valid date of
 * years -999999..999999. Exact integer arithmetic; no time zone involved.
 */
int64_t ccs__days_from_civil(int y, int m, int d);

/* The inverse: the date of a day number. */
void ccs__civil_from_days(int64_t days, int *y, int *m, int *d);

/* Day of the week of a day number: 0 = Monday ... 6 = Sunday (as start_day). */
int ccs__weekday(int64_t days);

/* The date of a day number as yyyy-mm-dd in buf (11 bytes hold it). */
void ccs__date_text(int64_t days, char *buf, size_t cap);

/* --- formats ------------------------------------------------------------------------- */

/*
 * Date formats, named as users write them. yymmdd puts two-digit years
 * 69-99 in 1969-1999 and 00-68 in 2000-2068 (the POSIX strptime %y rule):
 * 991001 is 1999-10-01. In the formats with separators, day and month may
 * have one digit (1.3.2024); years always have four.
 */
enum ccs__date_fmt {
    CCS__DATE_YMD,      /* yyyy-mm-dd */
    CCS__DATE_DMY_DOT,  /* dd.mm.yyyy */
    CCS__DATE_DMY_SLASH,/* dd/mm/yyyy */
    CCS__DATE_MDY_SLASH,/* mm/dd/yyyy */
    CCS__DATE_YYMMDD,   /* yymmdd */
    CCS__DATE_YYYYMMDD  /* yyyymmdd */
};

/* Time-of-day formats. */
enum ccs__time_fmt {
    CCS__TIME_HMS,    /* hh:mm:ss, one-digit hours allowed (7:15:55), optional .fraction */
    CCS__TIME_HM,     /* hh:mm */
    CCS__TIME_SECONDS /* seconds as a number (decimal point), 0 or more */
};

/*
 * Look up a format by name ("yyyy-mm-dd", ..., "hh:mm:ss", "hh:mm",
 * "seconds"). Returns 0 and *out, or CCS_ENOTFOUND when the name is
 * unknown; ccs__date_fmt_names / ccs__time_fmt_names list the valid ones
 * for the message.
 */
int ccs__date_fmt_parse(const char *name, enum ccs__date_fmt *out);
int ccs__time_fmt_parse(const char *name, enum ccs__time_fmt *out);
const char *ccs__date_fmt_name(enum ccs__date_fmt f);
const char *ccs__time_fmt_name(enum ccs__time_fmt f);
const char *ccs__date_fmt_names(void); /* "yyyy-mm-dd, dd.mm.yyyy, ..." */
const char *ccs__time_fmt_names(void);

/*
 * Parsers. Each reads exactly s[0..n) (blanks around it allowed), returns 0
 * and the value, or CCS_EPARSE with *why (static, lowercase, e.g. "day out
 * of range for the month"), for "bad date '2024-02-30': <why>".
 */

/* A date in format f, as days since 1970-01-01. */
int ccs__date_parse(enum ccs__date_fmt f, const char *s, size_t n, int64_t *days,
                    const char **why);

/*
 * A time of day in format f, as seconds since midnight on the wall clock:
 * hours 0-23 (24:00 or 24:00:00 is accepted as the end of the day, 86400),
 * minutes and seconds 0-59 with two digits. For seconds: any finite number
 * >= 0 (not bounded by a day: some exports count from a shift start).
 */
int ccs__time_parse(enum ccs__time_fmt f, const char *s, size_t n, double *seconds,
                    const char **why);

/*
 * A duration written h:mm:ss (hours unbounded: 0:02:05, 27:00:00) or
 * h:mm:ss.fff, in seconds. Minutes and seconds below 60 with two digits.
 */
int ccs__hms_duration_parse(const char *s, size_t n, double *seconds, const char **why);

/* A date and a wall-clock time, with the UTC offset when one was written. */
struct ccs__datetime {
    int64_t day;      /* days since 1970-01-01 of the date as written */
    double sec;       /* seconds since that date's midnight, wall clock, [0, 86400] */
    bool has_offset;  /* the text carried an offset ('Z' or +hh:mm) */
    int32_t offset;   /* that offset, seconds east of UTC (+02:00 -> 7200) */
};

/*
 * ISO 8601 extended: yyyy-mm-ddThh:mm[:ss[.fff]] with 'T' or one space
 * between date and time, then optionally 'Z', +hh:mm, +hhmm or +hh (or '-').
 * Without an offset the time is a wall-clock time in a zone the caller
 * declares (tz.h).
 */
int ccs__iso_datetime_parse(const char *s, size_t n, struct ccs__datetime *out,
                            const char **why);

/*
 * A "DATE TIME" column: a date in format df, one or more blanks, a time in
 * format tf (hh:mm:ss or hh:mm; seconds is refused here).
 */
int ccs__datetime_parse(enum ccs__date_fmt df, enum ccs__time_fmt tf, const char *s, size_t n,
                        struct ccs__datetime *out, const char **why);

#endif
