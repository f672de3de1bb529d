/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * textout.c - the shared spellings of outputs (textout.h): numbers, JSON
 * strings, CSV fields, clock labels.
 */
#include "fmt/textout.h"

#include "ccs/error.h"
#include "ccs/units.h"
#include "core/timeconst.h"

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* --- numbers --------------------------------------------------------------------------- */

/*
 * The digits of v when it is a whole number that %.10g prints in full
 * (|v| < 10^CCS_NUM_DIGITS: no exponent, no rounding, no point), written
 * backwards from end; NULL otherwise. Counts, zeros and whole seconds are
 * most numbers of a report (a 10,000-agent run writes half a million), and
 * printf's floating-point path costs ten times this.
 */
static char *whole_digits(double v, char *end)
{
    if (!(v > -1e10 && v < 1e10) || v != (double)(long long)v)
        return NULL;
    long long n = (long long)v; /* -0.0 becomes 0: no "-0" */
    unsigned long long u = n < 0 ? 0ull - (unsigned long long)n : (unsigned long long)n;
    char *p = end;
    do {
        *--p = (char)('0' + u % 10);
        u /= 10;
    } while (u != 0);
    if (n < 0)
        *--p = '-';
    return p;
}

/* The n bytes at p into buf as snprintf "%s" would put them (truncated,
   terminated); returns n. */
static int put_str(char *buf, size_t cap, const char *p, size_t n)
{
    if (cap > 0) {
        size_t k = n < cap - 1 ? n : cap - 1;
        memcpy(buf, p, k);
        buf[k] = '\0';
    }
    return (int)n;
}

int ccs__num_str(char *buf, size_t cap, double v, const char *undefined)
{
    if (!isfinite(v))
        return put_str(buf, cap, undefined, strlen(undefined));
    char digits[24], *p = whole_digits(v, digits + sizeof digits);
    if (p != NULL)
        return put_str(buf, cap, p, (size_t)(digits + sizeof digits - p));
    return snprintf(buf, cap, "%.*g", CCS_NUM_DIGITS, v == 0 ? 0.0 : v); /* no "-0" */
}

void ccs__out_num(FILE *f, double v, const char *undefined)
{
    if (!isfinite(v)) {
        fputs(undefined, f);
        return;
    }
    char digits[24], *p = whole_digits(v, digits + sizeof digits);
    if (p != NULL)
        fwrite(p, 1, (size_t)(digits + sizeof digits - p), f);
    else
        fprintf(f, "%.*g", CCS_NUM_DIGITS, v == 0 ? 0.0 : v);
}

void ccs_format_number(double v, char *buf, size_t cap)
{
    if (cap > 0)
        ccs__num_str(buf, cap, v, "");
}

void ccs__fixed(char *buf, size_t cap, double v, int decimals, unsigned flags)
{
    if (cap == 0)
        return;
    if (isnan(v)) {
        snprintf(buf, cap, "-");
        return;
    }
    if (isinf(v)) {
        snprintf(buf, cap, "%s", v > 0 ? "inf" : "-inf");
        return;
    }
    /* the magnitude first: whether it shows a non-zero digit decides the sign */
    char digits[400]; /* DBL_MAX has 309 digits */
    int d = decimals < 0 ? 0 : decimals > 20 ? 20 : decimals;
    snprintf(digits, sizeof digits, "%.*f", d, fabs(v));
    bool zero = strpbrk(digits, "123456789") == NULL;
    char sign = zero ? '\0' : v < 0 ? '-' : (flags & CCS_FIX_SIGN) ? '+' : '\0';
    /* sign and digits, truncated as snprintf would (tables call this a lot) */
    char *w = buf;
    size_t room = cap - 1, n = strlen(digits);
    if (sign != '\0' && room > 0) {
        *w++ = sign;
        room--;
    }
    if (n > room)
        n = room;
    memcpy(w, digits, n);
    w[n] = '\0';
}

/* --- JSON ------------------------------------------------------------------------------ */

/*
 * Length of the valid UTF-8 sequence at s (1-4) and its code point, or 0
 * when the byte there does not start one (RFC 3629: no overlongs, no
 * surrogates, nothing beyond U+10FFFF).
 */
static size_t utf8_seq(const unsigned char *s, uint32_t *cp)
{
    unsigned char c = s[0];
    size_t n;
    uint32_t v, min;
    if (c < 0x80) {
        *cp = c;
        return 1;
    } else if (c >= 0xc2 && c <= 0xdf) {
        n = 2, v = c & 0x1f, min = 0x80;
    } else if (c >= 0xe0 && c <= 0xef) {
        n = 3, v = c & 0x0f, min = 0x800;
    } else if (c >= 0xf0 && c <= 0xf4) {
        n = 4, v = c & 0x07, min = 0x10000;
    } else {
        return 0;
    }
    for (size_t i = 1; i < n; i++) {
        if ((s[i] & 0xc0) != 0x80) /* also stops at the terminating NUL */
            return 0;
        v = v << 6 | (s[i] & 0x3f);
    }
    if (v < min || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
        return 0;
    *cp = v;
    return n;
}

void ccs__out_json_str(FILE *f, const char *s)
{
    if (s == NULL) {
        fputs("null", f);
        return;
    }
    fputc('"', f);
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        /* a run of printable ASCII that needs no escape goes out at once */
        const unsigned char *q = p;
        while (*q >= 0x20 && *q < 0x7f && *q != '"' && *q != '\\')
            q++;
        if (q != p) {
            fwrite(p, 1, (size_t)(q - p), f);
            p = q;
            continue;
        }
        uint32_t cp;
        size_t n = utf8_seq(p, &cp);
        if (n == 0) {
            fputs("\\ufffd", f);
            p++;
        } else if (cp == '"' || cp == '\\') {
            fputc('\\', f);
            fputc((int)cp, f);
            p++;
        } else if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x2028 || cp == 0x2029) {
            fprintf(f, "\\u%04x", (unsigned)cp);
            p += n;
        } else {
            fwrite(p, 1, n, f);
            p += n;
        }
    }
    fputc('"', f);
}

void ccs__out_json_num(FILE *f, double v)
{
    ccs__out_num(f, v, "null");
}

/* --- CSV ------------------------------------------------------------------------------- */

void ccs__csv_field(FILE *f, const char *s)
{
    if (s == NULL || *s == '\0')
        return;
    size_t n = strlen(s);
    bool edge = s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' || s[n - 1] == '\t';
    if (!edge && strpbrk(s, ",\"\r\n") == NULL) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

/* --- clock labels ---------------------------------------------------------------------- */

#define MAX_CLOCK_S 1e15 /* about 31.7 million years: every count below fits */

void ccs__clock(char *buf, size_t cap, double t, unsigned how)
{
    if (cap == 0)
        return;
    double x = t > 0 ? (t < MAX_CLOCK_S ? t : MAX_CLOCK_S) : 0; /* NaN too */
    bool tenths = how & CCS_CLK_TENTHS, secs = tenths || (how & (CCS_CLK_HMS | CCS_CLK_SPAN));
    /* whole units of the last place shown, rounded as asked */
    double u = tenths ? x * 10 : secs ? x : x / CCS_MINUTE;
    long long n;
    if (how & CCS_CLK_FLOOR) {
        n = (long long)floor(u + 1e-9);
    } else {
        n = (long long)floor(u);
        if (u - (double)n >= 0.5) /* exact, unlike floor(u + 0.5) */
            n++;
    }
    long long frac = 0;
    if (tenths) {
        frac = n % 10;
        n /= 10;
    }
    /* n: whole seconds (secs) or minutes */
    const long long per_min = secs ? (long long)CCS_MINUTE : 1;
    const long long per_day = (long long)CCS_DAY / ((long long)CCS_MINUTE / per_min);
    long long day = 0;
    if (!(how & (CCS_CLK_HOURS | CCS_CLK_SPAN))) {
        day = n / per_day;
        n %= per_day;
    }
    long long h = n / (per_min * 60), m = n / per_min % 60, s = n % 60;
    char hms[48];
    if (how & CCS_CLK_SPAN) {
        if (h > 0)
            snprintf(hms, sizeof hms, "%lld:%02lld:%02lld", h, m, s);
        else
            snprintf(hms, sizeof hms, "%lld:%02lld", m, s);
    } else if (tenths) {
        snprintf(hms, sizeof hms, "%02lld:%02lld:%02lld.%lld", h, m, s, frac);
    } else if (secs) {
        snprintf(hms, sizeof hms, "%02lld:%02lld:%02lld", h, m, s);
    } else {
        snprintf(hms, sizeof hms, "%02lld:%02lld", h, m);
    }
    if (day > 0 && (how & CCS_CLK_DAY))
        snprintf(buf, cap, "d%lld %s", day + 1, hms);
    else if (day > 0 && (how & CCS_CLK_DAY_AFTER))
        snprintf(buf, cap, "%s day %lld", hms, day + 1);
    else
        snprintf(buf, cap, "%s", hms);
}

void ccs__clock_range(char *buf, size_t cap, double t0, double t1, unsigned how)
{
    char a[48], b[48];
    ccs__clock(a, sizeof a, t0, how);
    ccs__clock(b, sizeof b, t1, how & ~(unsigned)(CCS_CLK_DAY | CCS_CLK_DAY_AFTER));
    if (cap > 0)
        snprintf(buf, cap, "%s-%s", a, b);
}

int ccs__out_status(FILE *f)
{
    return ferror(f) ? CCS_EIO : 0;
}
