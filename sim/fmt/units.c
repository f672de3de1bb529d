/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * units.c - numbers with units (see units.h). Kept free of libyaml so the
 * command line and the analytic calculator can use it too.
 */
#include "ccs/units.h"

#include "ccs/error.h"
#include "core/timeconst.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int fail(const char **why, const char *text)
{
    if (why != NULL)
        *why = text;
    return CCS_EPARSE;
}

/* Length of the leading decimal number in s (0 if none). */
static size_t number_span(const char *s)
{
    size_t i = 0, digits = 0;
    if (s[i] == '+' || s[i] == '-')
        i++;
    while (isdigit((unsigned char)s[i])) {
        i++;
        digits++;
    }
    if (s[i] == '.') {
        i++;
        while (isdigit((unsigned char)s[i])) {
            i++;
            digits++;
        }
    }
    if (digits == 0)
        return 0;
    if (s[i] == 'e' || s[i] == 'E') {
        size_t j = i + 1;
        if (s[j] == '+' || s[j] == '-')
            j++;
        if (isdigit((unsigned char)s[j])) {
            while (isdigit((unsigned char)s[j]))
                j++;
            i = j;
        }
    }
    return i;
}

/* Parse the number occupying exactly s[0..len). */
static int number_prefix(const char *s, size_t len, double *out, const char **why)
{
    char buf[64];
    if (len == 0)
        return fail(why, "expected a number");
    if (len >= sizeof buf)
        return fail(why, "number too long");
    memcpy(buf, s, len);
    buf[len] = '\0';
    errno = 0;
    double v = strtod(buf, NULL);
    if (errno == ERANGE || !isfinite(v))
        return fail(why, "number out of range");
    *out = v;
    return 0;
}

static const char *skip_space(const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    return s;
}

static bool only_space(const char *s)
{
    return *skip_space(s) == '\0';
}

int ccs_parse_number(const char *s, double *out, const char **why)
{
    s = skip_space(s);
    size_t n = number_span(s);
    if (n == 0)
        return fail(why, "expected a number");
    if (!only_space(s + n))
        return fail(why, "unexpected characters after the number");
    return number_prefix(s, n, out, why);
}

int ccs_parse_int(const char *s, long long *out, const char **why)
{
    s = skip_space(s);
    size_t i = 0;
    if (s[i] == '+' || s[i] == '-')
        i++;
    if (!isdigit((unsigned char)s[i]))
        return fail(why, "expected a whole number");
    while (isdigit((unsigned char)s[i]))
        i++;
    if (!only_space(s + i))
        return fail(why, "expected a whole number");
    errno = 0;
    long long v = strtoll(s, NULL, 10);
    if (errno == ERANGE)
        return fail(why, "number out of range");
    *out = v;
    return 0;
}

int ccs_parse_u64(const char *s, uint64_t *out, const char **why)
{
    s = skip_space(s);
    size_t i = 0;
    if (s[i] == '+')
        i++;
    if (!isdigit((unsigned char)s[i]))
        return fail(why, "expected a whole number from 0 to 2^64-1");
    while (isdigit((unsigned char)s[i]))
        i++;
    if (!only_space(s + i))
        return fail(why, "expected a whole number from 0 to 2^64-1");
    errno = 0;
    unsigned long long v = strtoull(s, NULL, 10);
    if (errno == ERANGE)
        return fail(why, "number out of range (at most 2^64-1)");
    *out = (uint64_t)v;
    return 0;
}

int ccs_parse_bool(const char *s, bool *out, const char **why)
{
    static const char *const yes[] = {"true", "yes", "on"};
    static const char *const no[] = {"false", "no", "off"};
    for (size_t i = 0; i < 3; i++) {
        if (strcasecmp(s, yes[i]) == 0) {
            *out = true;
            return 0;
        }
        if (strcasecmp(s, no[i]) == 0) {
            *out = false;
            return 0;
        }
    }
    return fail(why, "expected true or false");
}

struct unit {
    const char *name;
    double seconds;
};

static const struct unit time_units[] = {
    {"ms", 1e-3},     {"msec", 1e-3},      {"s", 1},          {"sec", 1},
    {"secs", 1},
    {"second", 1},
    {"seconds", 1},
    {"m", CCS_MINUTE},
    {"min", CCS_MINUTE},
    {"mins", CCS_MINUTE},
    {"minute", CCS_MINUTE},
    {"minutes", CCS_MINUTE},
    {"h", CCS_HOUR},
    {"hr", CCS_HOUR},
    {"hrs", CCS_HOUR},
    {"hour", CCS_HOUR},
    {"hours", CCS_HOUR},
    {"d", CCS_DAY},
    {"day", CCS_DAY},
    {"days", CCS_DAY},
    {"w", CCS_WEEK},
    {"week", CCS_WEEK},
    {"weeks", CCS_WEEK},
};

static int lookup_unit(const char *u, double *seconds)
{
    size_t len = strlen(u);
    while (len > 0 && (u[len - 1] == ' ' || u[len - 1] == '\t'))
        len--;
    for (size_t i = 0; i < sizeof time_units / sizeof time_units[0]; i++) {
        if (strlen(time_units[i].name) == len && strncasecmp(u, time_units[i].name, len) == 0) {
            *seconds = time_units[i].seconds;
            return 0;
        }
    }
    return -1;
}

/* "H:MM" or "H:MM:SS" -> seconds since midnight; -1 if not a clock time. */
static int parse_clock(const char *s, double *out, const char **why)
{
    int h = 0, m = 0, sec = 0, n = 0;
    const char *p = s;
    if (!isdigit((unsigned char)*p))
        return -1;
    while (isdigit((unsigned char)*p) && n < 3) {
        h = h * 10 + (*p++ - '0');
        n++;
    }
    if (*p != ':')
        return -1;
    p++;
    if (!isdigit((unsigned char)p[0]) || !isdigit((unsigned char)p[1]))
        return fail(why, "clock time must look like 08:30 or 08:30:15");
    m = (p[0] - '0') * 10 + (p[1] - '0');
    p += 2;
    if (*p == ':') {
        p++;
        if (!isdigit((unsigned char)p[0]) || !isdigit((unsigned char)p[1]))
            return fail(why, "clock time must look like 08:30 or 08:30:15");
        sec = (p[0] - '0') * 10 + (p[1] - '0');
        p += 2;
    }
    if (!only_space(p))
        return fail(why, "clock time must look like 08:30 or 08:30:15");
    if (m > 59 || sec > 59)
        return fail(why, "minutes and seconds of a clock time must be below 60");
    *out = h * CCS_HOUR + m * CCS_MINUTE + sec;
    return 0;
}

int ccs_parse_duration(const char *s, double *seconds, const char **why)
{
    s = skip_space(s);
    int rc = parse_clock(s, seconds, why);
    if (rc != -1)
        return rc;
    /* an optional sign, then one or more NUMBER UNIT parts: 20s, 1.5h, 1h30m, 2d 4h */
    double total = 0, sign = 1;
    int parts = 0;
    if (*s == '-' || *s == '+') {
        sign = *s == '-' ? -1 : 1;
        s = skip_space(s + 1);
    }
    while (*s != '\0') {
        if (*s == '-' || *s == '+')
            return fail(why, "only a whole duration may have a sign");
        size_t n = number_span(s);
        if (n == 0)
            return fail(why, parts == 0 ? "expected a duration such as 20s, 4m, 1.5h or 2d"
                                        : "unexpected characters after the duration");
        double v;
        if (number_prefix(s, n, &v, why) != 0)
            return CCS_EPARSE;
        const char *u = skip_space(s + n), *e = u;
        while (isalpha((unsigned char)*e))
            e++;
        if (e == u) {
            if (*skip_space(u) == '\0' && parts == 0 && v == 0) {
                *seconds = 0;
                return 0;
            }
            return fail(why, "missing unit: write e.g. 20s, 4m, 1.5h or 2d");
        }
        char unit[16];
        if ((size_t)(e - u) >= sizeof unit)
            return fail(why, "unknown time unit (use ms, s, m, h, d or w)");
        memcpy(unit, u, (size_t)(e - u));
        unit[e - u] = '\0';
        double mult;
        if (lookup_unit(unit, &mult) != 0)
            return fail(why, "unknown time unit (use ms, s, m, h, d or w)");
        total += v * mult;
        parts++;
        s = skip_space(e);
    }
    if (parts == 0)
        return fail(why, "expected a duration such as 20s, 4m, 1.5h or 2d");
    if (!isfinite(total))
        return fail(why, "number out of range");
    *seconds = sign * total;
    return 0;
}

int ccs_parse_rate(const char *s, double *per_second, const char **why)
{
    s = skip_space(s);
    size_t n = number_span(s);
    if (n == 0)
        return fail(why, "expected a rate such as 95/min or 5700/h");
    double v;
    if (number_prefix(s, n, &v, why) != 0)
        return CCS_EPARSE;
    const char *p = skip_space(s + n);
    if (*p != '/') {
        if (*p == '\0')
            return fail(why, "missing unit: write e.g. 95/min or 5700/h");
        return fail(why, "expected a rate such as 95/min or 5700/h");
    }
    p = skip_space(p + 1);
    /* an optional count of units: 100/30min is 100 per 30 minutes */
    double count = 1.0;
    size_t cn = number_span(p);
    if (cn > 0) {
        if (number_prefix(p, cn, &count, why) != 0)
            return CCS_EPARSE;
        if (!(count > 0))
            return fail(why, "the period after '/' must be positive");
        p = skip_space(p + cn);
    }
    double mult;
    if (lookup_unit(p, &mult) != 0 || mult < 1)
        return fail(why, "unknown rate unit (use /s, /min, /h or /d)");
    *per_second = v / (mult * count);
    return 0;
}

int ccs_parse_fraction(const char *s, double *out, const char **why)
{
    s = skip_space(s);
    size_t n = number_span(s);
    if (n == 0)
        return fail(why, "expected a percentage such as 80% or a fraction such as 0.8");
    double v;
    if (number_prefix(s, n, &v, why) != 0)
        return CCS_EPARSE;
    const char *p = skip_space(s + n);
    if (*p == '%') {
        if (!only_space(p + 1))
            return fail(why, "unexpected characters after '%'");
        v /= 100.0;
    } else if (*p != '\0') {
        return fail(why, "expected a percentage such as 80% or a fraction such as 0.8");
    }
    if (!(v >= 0.0 && v <= 1.0))
        return fail(why, "must lie between 0% and 100%");
    *out = v;
    return 0;
}

void ccs_format_duration(double sec, char *buf, size_t cap)
{
    static const struct {
        const char *unit;
        double size;
    } steps[] = {{"d", CCS_DAY}, {"h", CCS_HOUR}, {"m", CCS_MINUTE}, {"s", 1}};
    if (cap == 0)
        return;
    if (isnan(sec)) {
        snprintf(buf, cap, "nan");
        return;
    }
    if (!isfinite(sec)) {
        snprintf(buf, cap, "%s", sec > 0 ? "inf" : "-inf");
        return;
    }
    double a = fabs(sec);
    for (size_t i = 0; i < 4; i++) {
        if (a >= steps[i].size || i == 3) {
            double v = sec / steps[i].size;
            snprintf(buf, cap, "%.6g%s", v, steps[i].unit);
            return;
        }
    }
}
