/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * datetime.c - the proleptic Gregorian calendar as day numbers (Howard
 * Hinnant's days_from_civil / civil_from_days, exact in integers), and the
 * declared date, time and ISO 8601 formats of datetime.h. No libc time
 * functions: nothing here reads TZ or shares state.
 */
#include "fmt/datetime.h"

#include "ccs/error.h"
#include "core/timeconst.h"
#include "fmt/csv.h"

#include <string.h>
#include <stdio.h>

/* --- the calendar ------------------------------------------------------------------------ */

bool ccs__leap_year(int y)
{
    return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

int ccs__days_in_month(int y, int m)
{
    static const int len[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (m < 1 || m > 12)
        return 0;
    return m == 2 && ccs__leap_year(y) ? 29 : len[m - 1];
}

bool ccs__date_valid(int y, int m, int d)
{
    return y >= -999999 && y <= 999999 && d >= 1 && d <= ccs__days_in_month(y, m);
}

/* Floor division for the era computations (the dividend may be negative). */
static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

int64_t ccs__days_from_civil(int y, int m, int d)
{
    int64_t yy = (int64_t)y - (m <= 2);
    int64_t era = floor_div(yy, 400);
    int64_t yoe = yy - era * 400;                                        /* [0, 399] */
    int64_t doy = (153 * (int64_t)(m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1; /* [0, 365] */
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;                  /* [0, 146096] */
    return era * 146097 + doe - 719468;
}

void ccs__civil_from_days(int64_t days, int *y, int *m, int *d)
{
    int64_t z = days + 719468;
    int64_t era = floor_div(z, 146097);
    int64_t doe = z - era * 146097;                                      /* [0, 146096] */
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365; /* [0, 399] */
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);               /* [0, 365] */
    int64_t mp = (5 * doy + 2) / 153;                                    /* [0, 11] */
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = (int)(yoe + era * 400 + (*m <= 2));
}

int ccs__weekday(int64_t days)
{
    /* 1970-01-01 was a Thursday (3 when Monday is 0) */
    int64_t w = (days + 3) % 7;
    return (int)(w < 0 ? w + 7 : w);
}

void ccs__date_text(int64_t days, char *buf, size_t cap)
{
    int y, m, d;
    ccs__civil_from_days(days, &y, &m, &d);
    snprintf(buf, cap, "%04d-%02d-%02d", y, m, d);
}

/* --- format names ------------------------------------------------------------------------- */

static const char *const date_names[] = {"yyyy-mm-dd", "dd.mm.yyyy", "dd/mm/yyyy",
                                         "mm/dd/yyyy", "yymmdd",     "yyyymmdd"};
static const char *const time_names[] = {"hh:mm:ss", "hh:mm", "seconds"};

int ccs__date_fmt_parse(const char *name, enum ccs__date_fmt *out)
{
    for (size_t i = 0; name != NULL && i < sizeof date_names / sizeof date_names[0]; i++)
        if (strcmp(name, date_names[i]) == 0) {
            *out = (enum ccs__date_fmt)i;
            return 0;
        }
    return CCS_ENOTFOUND;
}

int ccs__time_fmt_parse(const char *name, enum ccs__time_fmt *out)
{
    for (size_t i = 0; name != NULL && i < sizeof time_names / sizeof time_names[0]; i++)
        if (strcmp(name, time_names[i]) == 0) {
            *out = (enum ccs__time_fmt)i;
            return 0;
        }
    return CCS_ENOTFOUND;
}

const char *ccs__date_fmt_name(enum ccs__date_fmt f)
{
    return (size_t)f < sizeof date_names / sizeof date_names[0] ? date_names[f] : "?";
}

const char *ccs__time_fmt_name(enum ccs__time_fmt f)
{
    return (size_t)f < sizeof time_names / sizeof time_names[0] ? time_names[f] : "?";
}

const char *ccs__date_fmt_names(void)
{
    return "yyyy-mm-dd, dd.mm.yyyy, dd/mm/yyyy, mm/dd/yyyy, yymmdd, yyyymmdd";
}

const char *ccs__time_fmt_names(void)
{
    return "hh:mm:ss, hh:mm, seconds";
}

/* --- scanning helpers ---------------------------------------------------------------------- */

static int fail(const char **why, const char *text)
{
    if (why != NULL)
        *why = text;
    return CCS_EPARSE;
}

static bool digit(char c)
{
    return c >= '0' && c <= '9';
}

static void trim(const char **s, size_t *n)
{
    while (*n > 0 && (**s == ' ' || **s == '\t')) {
        (*s)++;
        (*n)--;
    }
    while (*n > 0 && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
        (*n)--;
}

/*
 * Read between min and max digits at s[*i]; returns false when fewer than
 * min are there. Digits beyond max are left for the caller to refuse.
 */
static bool num(const char *s, size_t n, size_t *i, int min, int max, int *out)
{
    int v = 0, k = 0;
    while (*i < n && k < max && digit(s[*i])) {
        v = v * 10 + (s[*i] - '0');
        (*i)++;
        k++;
    }
    *out = v;
    return k >= min;
}

/* --- dates ---------------------------------------------------------------------------- */

static const char *const date_shape[] = {
    "expected a date as yyyy-mm-dd (e.g. 2024-03-31)",
    "expected a date as dd.mm.yyyy (e.g. 31.03.2024)",
    "expected a date as dd/mm/yyyy (e.g. 31/03/2024)",
    "expected a date as mm/dd/yyyy (e.g. 03/31/2024)",
    "expected a date as yymmdd (e.g. 991001)",
    "expected a date as yyyymmdd (e.g. 20240331)",
};

/* Parse a date at s[*i], leaving *i after it (the caller checks what follows). */
static int date_at(enum ccs__date_fmt f, const char *s, size_t n, size_t *i, int64_t *days,
                   const char **why)
{
    int y = 0, m = 0, d = 0;
    bool ok;
    size_t j = *i;
    switch (f) {
    case CCS__DATE_YMD:
        ok = num(s, n, &j, 4, 4, &y) && j < n && s[j++] == '-' && num(s, n, &j, 1, 2, &m) &&
             j < n && s[j++] == '-' && num(s, n, &j, 1, 2, &d);
        break;
    case CCS__DATE_DMY_DOT:
    case CCS__DATE_DMY_SLASH: {
        char sep = f == CCS__DATE_DMY_DOT ? '.' : '/';
        ok = num(s, n, &j, 1, 2, &d) && j < n && s[j++] == sep && num(s, n, &j, 1, 2, &m) &&
             j < n && s[j++] == sep && num(s, n, &j, 4, 4, &y);
        break;
    }
    case CCS__DATE_MDY_SLASH:
        ok = num(s, n, &j, 1, 2, &m) && j < n && s[j++] == '/' && num(s, n, &j, 1, 2, &d) &&
             j < n && s[j++] == '/' && num(s, n, &j, 4, 4, &y);
        break;
    case CCS__DATE_YYMMDD:
        ok = num(s, n, &j, 2, 2, &y) && num(s, n, &j, 2, 2, &m) && num(s, n, &j, 2, 2, &d);
        y += y >= 69 ? 1900 : 2000;
        break;
    case CCS__DATE_YYYYMMDD:
        ok = num(s, n, &j, 4, 4, &y) && num(s, n, &j, 2, 2, &m) && num(s, n, &j, 2, 2, &d);
        break;
    default:
        return fail(why, "unknown date format");
    }
    if (!ok || (j < n && digit(s[j])))
        return fail(why, date_shape[f]);
    if (m < 1 || m > 12)
        return fail(why, "month out of range (1-12)");
    if (d < 1 || d > ccs__days_in_month(y, m))
        return fail(why, m == 2 && d == 29 ? "february 29 in a year that is not a leap year"
                                          : "day out of range for the month");
    *days = ccs__days_from_civil(y, m, d);
    *i = j;
    return 0;
}

int ccs__date_parse(enum ccs__date_fmt f, const char *s, size_t n, int64_t *days,
                    const char **why)
{
    trim(&s, &n);
    size_t i = 0;
    int64_t v;
    int rc = date_at(f, s, n, &i, &v, why);
    if (rc != 0)
        return rc;
    if (i != n)
        return fail(why, (size_t)f < 6 ? date_shape[f] : "unexpected characters after the date");
    *days = v;
    return 0;
}

/* --- times ---------------------------------------------------------------------------- */

/* A fraction of a second ".fff" or ",fff" at s[*i], if any. */
static double fraction_at(const char *s, size_t n, size_t *i, bool *bad)
{
    *bad = false;
    if (*i >= n || (s[*i] != '.' && s[*i] != ','))
        return 0;
    size_t j = *i + 1;
    double f = 0, scale = 0.1;
    if (j >= n || !digit(s[j])) {
        *bad = true;
        return 0;
    }
    while (j < n && digit(s[j])) {
        f += (s[j] - '0') * scale;
        scale /= 10;
        j++;
    }
    *i = j;
    return f;
}

/*
 * h:mm or h:mm:ss at s[*i] (hours 1 or 2 digits, or up to 7 when duration),
 * with_sec: whether the seconds are required. Leaves *i after it.
 */
static int clock_at(const char *s, size_t n, size_t *i, bool with_sec, bool duration,
                    double *out, const char **why)
{
    int h, m, sec = 0;
    size_t j = *i;
    const char *shape = duration ? "expected a duration as h:mm:ss (e.g. 0:02:05)"
                        : with_sec ? "expected a time as hh:mm:ss (e.g. 07:15:55 or 7:15:55)"
                                   : "expected a time as hh:mm (e.g. 07:15)";
    if (!num(s, n, &j, 1, duration ? 7 : 2, &h) || j >= n || s[j++] != ':' ||
        !num(s, n, &j, 2, 2, &m))
        return fail(why, shape);
    if (with_sec && (j >= n || s[j++] != ':' || !num(s, n, &j, 2, 2, &sec)))
        return fail(why, shape);
    if (j < n && (digit(s[j]) || s[j] == ':'))
        return fail(why, shape);
    bool bad = false;
    double frac = with_sec ? fraction_at(s, n, &j, &bad) : 0;
    if (bad)
        return fail(why, "expected digits after the decimal point of the seconds");
    if (m > 59 || sec > 59)
        return fail(why, "minutes and seconds must be below 60");
    if (!duration && (h > 24 || (h == 24 && (m > 0 || sec > 0 || frac > 0))))
        return fail(why, "hour out of range (0-23, or 24:00 for the end of the day)");
    *out = h * CCS_HOUR + m * CCS_MINUTE + sec + frac;
    *i = j;
    return 0;
}

int ccs__time_parse(enum ccs__time_fmt f, const char *s, size_t n, double *seconds,
                    const char **why)
{
    trim(&s, &n);
    if (f == CCS__TIME_SECONDS) {
        double v;
        int rc = ccs__csv_parse_number(s, n, '.', 0, &v, why);
        if (rc != 0)
            return rc;
        if (v < 0 || s[0] == '-')
            return fail(why, "seconds must not be negative");
        *seconds = v;
        return 0;
    }
    if (f != CCS__TIME_HMS && f != CCS__TIME_HM)
        return fail(why, "unknown time format");
    size_t i = 0;
    double v;
    int rc = clock_at(s, n, &i, f == CCS__TIME_HMS, false, &v, why);
    if (rc != 0)
        return rc;
    if (i != n)
        return fail(why, "unexpected characters after the time");
    *seconds = v;
    return 0;
}

int ccs__hms_duration_parse(const char *s, size_t n, double *seconds, const char **why)
{
    trim(&s, &n);
    size_t i = 0;
    double v;
    int rc = clock_at(s, n, &i, true, true, &v, why);
    if (rc != 0)
        return rc;
    if (i != n)
        return fail(why, "unexpected characters after the duration");
    *seconds = v;
    return 0;
}

/* --- date-times ------------------------------------------------------------------------ */

/* An ISO offset at s[*i]: Z, +hh:mm, +hhmm, +hh (or -). */
static int offset_at(const char *s, size_t n, size_t *i, struct ccs__datetime *out,
                     const char **why)
{
    size_t j = *i;
    if (j >= n)
        return 0;
    if (s[j] == 'Z' || s[j] == 'z') {
        out->has_offset = true;
        out->offset = 0;
        *i = j + 1;
        return 0;
    }
    if (s[j] != '+' && s[j] != '-')
        return 0;
    int sign = s[j] == '-' ? -1 : 1, h, m = 0;
    j++;
    if (!num(s, n, &j, 2, 2, &h))
        return fail(why, "expected a UTC offset as Z, +hh:mm, +hhmm or +hh");
    if (j < n && s[j] == ':') {
        j++;
        if (!num(s, n, &j, 2, 2, &m))
            return fail(why, "expected a UTC offset as Z, +hh:mm, +hhmm or +hh");
    } else if (j < n && digit(s[j]) && !num(s, n, &j, 2, 2, &m)) {
        return fail(why, "expected a UTC offset as Z, +hh:mm, +hhmm or +hh");
    }
    if (h > 23 || m > 59)
        return fail(why, "UTC offset out of range");
    out->has_offset = true;
    out->offset = (int32_t)(sign * (h * CCS_HOUR + m * CCS_MINUTE));
    *i = j;
    return 0;
}

int ccs__iso_datetime_parse(const char *s, size_t n, struct ccs__datetime *out,
                            const char **why)
{
    trim(&s, &n);
    struct ccs__datetime v = {0, 0, false, 0};
    size_t i = 0;
    const char *w = NULL;
    int rc = date_at(CCS__DATE_YMD, s, n, &i, &v.day, &w);
    if (rc != 0)
        return fail(why, w == date_shape[CCS__DATE_YMD]
                             ? "expected an ISO 8601 date-time (e.g. 2024-03-31T02:30:00)"
                             : w);
    if (i >= n)
        return fail(why, "expected a time after the date (e.g. 2024-03-31T02:30:00)");
    if (s[i] != 'T' && s[i] != 't' && s[i] != ' ')
        return fail(why, "expected 'T' between the date and the time");
    i++;
    /* hh:mm or hh:mm:ss: seconds when a second colon follows the minutes */
    size_t j = i;
    while (j < n && digit(s[j]))
        j++;
    bool with_sec = j + 3 < n && s[j] == ':' && s[j + 3] == ':';
    rc = clock_at(s, n, &i, with_sec, false, &v.sec, why);
    if (rc != 0)
        return rc;
    rc = offset_at(s, n, &i, &v, why);
    if (rc != 0)
        return rc;
    if (i != n)
        return fail(why, "unexpected characters after the date-time");
    *out = v;
    return 0;
}

int ccs__datetime_parse(enum ccs__date_fmt df, enum ccs__time_fmt tf, const char *s, size_t n,
                        struct ccs__datetime *out, const char **why)
{
    trim(&s, &n);
    if (tf != CCS__TIME_HMS && tf != CCS__TIME_HM)
        return fail(why, "a date-time column needs the time as hh:mm:ss or hh:mm");
    struct ccs__datetime v = {0, 0, false, 0};
    size_t i = 0;
    int rc = date_at(df, s, n, &i, &v.day, why);
    if (rc != 0)
        return rc;
    if (i >= n || (s[i] != ' ' && s[i] != '\t'))
        return fail(why, i >= n ? "expected a time after the date"
                                : "expected a blank between the date and the time");
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    rc = clock_at(s, n, &i, tf == CCS__TIME_HMS, false, &v.sec, why);
    if (rc != 0)
        return rc;
    if (i != n)
        return fail(why, "unexpected characters after the time");
    *out = v;
    return 0;
}
