/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * tz.c - time zones (tz.h): a table of UTC transitions read from a TZif
 * file (RFC 8536), followed by the POSIX TZ rule of its footer; fixed
 * offsets as a table with no transitions. Local-to-UTC conversion looks at
 * every offset in force within a day around the wall-clock time, so gaps,
 * folds and odd historical changes all follow one rule.
 */
#include "fmt/tz.h"

#include "ccs/error.h"
#include "ccs/mem.h"
#include "core/timeconst.h"

#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_TZIF ((size_t)1 << 20)     /* the largest tzdata file is about 5 KB */
/* The calendar units as whole seconds: instants here are integers. */
#define DAY_S ((int64_t)CCS_DAY)
#define HOUR_S ((int64_t)CCS_HOUR)
#define MINUTE_S ((int64_t)CCS_MINUTE)

#define MAX_OFFSET (26 * HOUR_S)        /* |UTC offset| accepted from files */
#define WINDOW (27 * HOUR_S)            /* local - UTC is always within this */
#define MAX_YEAR 999999
#define MAX_SECONDS ((int64_t)1 << 44) /* instants are clamped to +-557,000 years */

/* A date rule of a POSIX TZ string: Jn, n or Mm.w.d, then a time of day. */
struct rdate {
    char kind;    /* 'J' (1-365, no Feb 29), 'N' (0-365), 'M' */
    int a, b, c;  /* J/N: day; M: month, week (5 = last), weekday (0 = Sunday) */
    int32_t time; /* seconds after local midnight, -167 h to 167 h */
};

struct rule {
    int32_t std, dst; /* offsets, seconds east of UTC */
    bool has_dst;
    struct rdate start, end; /* DST starts (in standard time), ends (in DST) */
};

struct ccs__tz {
    char *name;
    size_t n;          /* transitions */
    int64_t *at;       /* their UTC instants, strictly ascending */
    int32_t *off;      /* offset from at[i] on */
    int32_t off0;      /* offset before at[0] (and always, without transitions or rule) */
    bool has_rule;     /* after the last transition (always when n == 0) */
    struct rule rule;
};

static int fail(char *why, size_t cap, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

static int fail(char *why, size_t cap, int code, const char *fmt, ...)
{
    if (why != NULL && cap > 0) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(why, cap, fmt, ap);
        va_end(ap);
    }
    return code;
}

static int64_t floor_div(int64_t a, int64_t b)
{
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}

static struct ccs__tz *tz_alloc(const char *name)
{
    struct ccs__tz *tz = ccs_calloc(1, sizeof *tz);
    if (tz == NULL)
        return NULL;
    tz->name = ccs_malloc(strlen(name) + 1);
    if (tz->name == NULL) {
        free(tz);
        return NULL;
    }
    strcpy(tz->name, name);
    return tz;
}

void ccs__tz_free(struct ccs__tz *tz)
{
    if (tz == NULL)
        return;
    free(tz->name);
    free(tz->at);
    free(tz->off);
    free(tz);
}

const char *ccs__tz_name(const struct ccs__tz *tz)
{
    return tz->name;
}

/* --- POSIX TZ rules ------------------------------------------------------------------- */

/* A zone abbreviation: 3+ letters, or <...> of letters, digits, '+' and '-'. */
static bool posix_name(const char **p)
{
    const char *s = *p;
    size_t k = 0;
    if (*s == '<') {
        s++;
        while ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
               (*s >= '0' && *s <= '9') || *s == '+' || *s == '-') {
            s++;
            k++;
        }
        if (*s != '>' || k < 3)
            return false;
        *p = s + 1;
        return true;
    }
    while ((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z')) {
        s++;
        k++;
    }
    if (k < 3)
        return false;
    *p = s;
    return true;
}

/* [+-]h[h[h]][:mm[:ss]] with hours up to maxh, as seconds. */
static bool posix_hms(const char **p, int maxh, int32_t *out)
{
    const char *s = *p;
    int sign = 1;
    if (*s == '+' || *s == '-')
        sign = *s++ == '-' ? -1 : 1;
    int h = 0, m = 0, sec = 0, k = 0;
    while (*s >= '0' && *s <= '9' && k < 3) {
        h = h * 10 + (*s++ - '0');
        k++;
    }
    if (k == 0 || h > maxh)
        return false;
    if (*s == ':') {
        s++;
        if (!(s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9'))
            return false;
        m = (s[0] - '0') * 10 + (s[1] - '0');
        s += 2;
        if (*s == ':') {
            s++;
            if (!(s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9'))
                return false;
            sec = (s[0] - '0') * 10 + (s[1] - '0');
            s += 2;
        }
    }
    if (m > 59 || sec > 59)
        return false;
    *out = (int32_t)(sign * (h * HOUR_S + m * MINUTE_S + sec));
    *p = s;
    return true;
}

static bool posix_int(const char **p, int lo, int hi, int *out)
{
    const char *s = *p;
    int v = 0, k = 0;
    while (*s >= '0' && *s <= '9' && k < 4) {
        v = v * 10 + (*s++ - '0');
        k++;
    }
    if (k == 0 || v < lo || v > hi)
        return false;
    *out = v;
    *p = s;
    return true;
}

static bool posix_date(const char **p, struct rdate *r)
{
    const char *s = *p;
    bool ok;
    if (*s == 'J') {
        s++;
        r->kind = 'J';
        ok = posix_int(&s, 1, 365, &r->a);
    } else if (*s == 'M') {
        s++;
        r->kind = 'M';
        ok = posix_int(&s, 1, 12, &r->a) && *s++ == '.' && posix_int(&s, 1, 5, &r->b) &&
             *s++ == '.' && posix_int(&s, 0, 6, &r->c);
    } else {
        r->kind = 'N';
        ok = posix_int(&s, 0, 365, &r->a);
    }
    if (!ok)
        return false;
    r->time = 7200; /* 02:00 unless given */
    if (*s == '/') {
        s++;
        if (!posix_hms(&s, 167, &r->time))
            return false;
    }
    *p = s;
    return true;
}

/* Parse s into r. Returns NULL, or what is wrong. */
static const char *posix_parse(const char *s, struct rule *r)
{
    memset(r, 0, sizeof *r);
    int32_t v;
    if (!posix_name(&s))
        return "expected a zone abbreviation of 3 or more letters";
    if (!posix_hms(&s, 24, &v))
        return "expected the standard offset after the abbreviation (e.g. CET-1)";
    r->std = -v;
    if (*s == '\0')
        return NULL;
    if (!posix_name(&s))
        return "expected a daylight-saving abbreviation after the offset";
    r->has_dst = true;
    r->dst = r->std + (int32_t)HOUR_S;
    if (*s != ',' && *s != '\0') {
        if (!posix_hms(&s, 24, &v))
            return "bad daylight-saving offset";
        r->dst = -v;
    }
    if (*s != ',')
        return "a daylight-saving zone needs its rule (e.g. ,M3.5.0,M10.5.0/3)";
    s++;
    if (!posix_date(&s, &r->start) || *s++ != ',' || !posix_date(&s, &r->end))
        return "bad daylight-saving rule (expected Jn, n or Mm.w.d, with an optional /time)";
    if (*s != '\0')
        return "unexpected characters after the rule";
    return NULL;
}

/* Day number of a rule date in year y. */
static int64_t rdate_day(const struct rdate *r, int y)
{
    int64_t jan1 = ccs__days_from_civil(y, 1, 1);
    if (r->kind == 'J') /* February 29 is never counted */
        return jan1 + r->a - 1 + (ccs__leap_year(y) && r->a >= 60);
    if (r->kind == 'N')
        return jan1 + r->a;
    int64_t first = ccs__days_from_civil(y, r->a, 1);
    int wd_first = (ccs__weekday(first) + 1) % 7; /* 0 = Sunday */
    int64_t day = first + (r->c - wd_first + 7) % 7 + 7 * (r->b - 1);
    while (day >= first + ccs__days_in_month(y, r->a))
        day -= 7; /* week 5 means the last */
    return day;
}

struct ev {
    int64_t t;
    int32_t off;
    int dst; /* at equal instants the change to standard time sorts first */
};

static int cmp_ev(const void *x, const void *y)
{
    const struct ev *a = x, *b = y;
    if (a->t != b->t)
        return a->t < b->t ? -1 : 1;
    return a->dst - b->dst;
}

static int clamp_year(int64_t y)
{
    return y < -MAX_YEAR ? -MAX_YEAR : y > MAX_YEAR ? MAX_YEAR : (int)y;
}

/*
 * The changes of offset of a rule in the years around instant u, sorted,
 * each a real change. Returns the count; *before is the offset before the
 * first.
 */
static size_t rule_events(const struct rule *r, int64_t u, struct ev *e, int32_t *before)
{
    int64_t days = floor_div(u + r->std, DAY_S);
    const int64_t lim = (int64_t)MAX_YEAR * 365;
    int yy, mm, dd;
    ccs__civil_from_days(days < -lim ? -lim : days > lim ? lim : days, &yy, &mm, &dd);
    size_t n = 0;
    for (int k = -1; k <= 2; k++) {
        int y = clamp_year((int64_t)yy + k);
        e[n++] = (struct ev){rdate_day(&r->start, y) * DAY_S + r->start.time - r->std, r->dst, 1};
        e[n++] = (struct ev){rdate_day(&r->end, y) * DAY_S + r->end.time - r->dst, r->std, 0};
    }
    qsort(e, n, sizeof *e, cmp_ev);
    /* at one instant only the last change counts; drop those that change nothing */
    *before = e[0].dst ? r->std : r->dst;
    size_t m = 0;
    int32_t cur = *before;
    for (size_t i = 0; i < n; i++) {
        if (i + 1 < n && e[i + 1].t == e[i].t)
            continue;
        if (e[i].off == cur)
            continue;
        cur = e[i].off;
        e[m++] = e[i];
    }
    return m;
}

static int32_t rule_offset(const struct rule *r, int64_t u)
{
    if (!r->has_dst)
        return r->std;
    struct ev e[8];
    int32_t off;
    size_t n = rule_events(r, u, e, &off);
    for (size_t i = 0; i < n && e[i].t <= u; i++)
        off = e[i].off;
    return off;
}

static bool rule_next(const struct rule *r, int64_t u, int64_t *t, int32_t *off)
{
    if (!r->has_dst)
        return false;
    struct ev e[8];
    int32_t before;
    size_t n = rule_events(r, u, e, &before);
    for (size_t i = 0; i < n; i++)
        if (e[i].t > u) {
            *t = e[i].t;
            *off = e[i].off;
            return true;
        }
    return false;
}

int ccs__tz_from_posix(const char *tzstring, struct ccs__tz **out, char *why, size_t cap)
{
    *out = NULL;
    struct rule r;
    const char *bad = posix_parse(tzstring, &r);
    if (bad != NULL)
        return fail(why, cap, CCS_EINVAL, "bad POSIX TZ string: %s", bad);
    struct ccs__tz *tz = tz_alloc(tzstring);
    if (tz == NULL)
        return fail(why, cap, CCS_ENOMEM, "out of memory");
    tz->off0 = r.std;
    tz->has_rule = true;
    tz->rule = r;
    *out = tz;
    return 0;
}

/* --- offsets and changes -------------------------------------------------------------- */

/* Index of the last transition at or before u, or -1. */
static ptrdiff_t last_at_or_before(const struct ccs__tz *tz, int64_t u)
{
    size_t lo = 0, hi = tz->n; /* first index with at > u is in [lo, hi] */
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (tz->at[mid] <= u)
            lo = mid + 1;
        else
            hi = mid;
    }
    return (ptrdiff_t)lo - 1;
}

/* Keep instants where day and year arithmetic cannot overflow. */
static int64_t clamp_s(int64_t t)
{
    return t < -MAX_SECONDS ? -MAX_SECONDS : t > MAX_SECONDS ? MAX_SECONDS : t;
}

int32_t ccs__tz_offset(const struct ccs__tz *tz, int64_t utc)
{
    utc = clamp_s(utc);
    if (tz->n == 0)
        return tz->has_rule ? rule_offset(&tz->rule, utc) : tz->off0;
    if (utc >= tz->at[tz->n - 1] && tz->has_rule)
        return rule_offset(&tz->rule, utc);
    ptrdiff_t i = last_at_or_before(tz, utc);
    return i < 0 ? tz->off0 : tz->off[i];
}

/* The first change of offset strictly after u: its instant and the offset after it. */
static bool next_change(const struct ccs__tz *tz, int64_t u, int64_t *t, int32_t *off)
{
    if (tz->n > 0 && u < tz->at[tz->n - 1]) {
        size_t i = (size_t)(last_at_or_before(tz, u) + 1);
        *t = tz->at[i];
        *off = (i == tz->n - 1 && tz->has_rule) ? rule_offset(&tz->rule, *t) : tz->off[i];
        return true;
    }
    return tz->has_rule && rule_next(&tz->rule, u, t, off);
}

int64_t ccs__tz_to_utc(const struct ccs__tz *tz, int64_t local, int fold,
                       enum ccs__tz_fit *fit)
{
    /*
     * Walk the offsets in force over [local - WINDOW, local + WINDOW]: each
     * offset o whose interval holds local - o gives one solution. None: the
     * time fell in a gap, and takes the offset before it.
     */
    local = clamp_s(local);
    int64_t seg = local - WINDOW, best = 0, gap = 0;
    int32_t o = ccs__tz_offset(tz, seg);
    int found = 0;
    bool in_gap = false;
    for (;;) {
        int64_t t = INT64_MAX;
        int32_t o2 = o;
        bool more = next_change(tz, seg, &t, &o2);
        int64_t u = local - o;
        if (u >= seg && (!more || u < t)) {
            if (found == 0 || (fold ? u > best : u < best))
                best = u;
            found++;
        }
        if (!more || t > local + WINDOW)
            break;
        if (o2 > o && local >= t + o && local < t + o2) {
            in_gap = true;
            gap = local - o;
        }
        seg = t;
        o = o2;
    }
    enum ccs__tz_fit f = CCS__TZ_UNIQUE;
    if (found > 1)
        f = CCS__TZ_AMBIGUOUS;
    else if (found == 0 && in_gap)
        f = CCS__TZ_SKIPPED;
    if (fit != NULL)
        *fit = f;
    if (found > 0)
        return best;
    if (in_gap)
        return gap;
    return local - ccs__tz_offset(tz, local); /* unreachable with a consistent zone */
}

void ccs__tz_day(const struct ccs__tz *tz, int64_t day, int64_t *start, int64_t *length)
{
    if (day > MAX_SECONDS / DAY_S)
        day = MAX_SECONDS / DAY_S;
    if (day < -MAX_SECONDS / DAY_S)
        day = -MAX_SECONDS / DAY_S;
    int64_t s0 = ccs__tz_to_utc(tz, day * DAY_S, 0, NULL);
    int64_t s1 = ccs__tz_to_utc(tz, (day + 1) * DAY_S, 0, NULL);
    *start = s0;
    *length = s1 - s0;
}

void ccs__tz_place(const struct ccs__tz *tz, const struct ccs__datetime *dt, int fold,
                   int64_t *day, double *since, enum ccs__tz_fit *fit)
{
    double whole = floor(dt->sec);
    int64_t d0 = dt->day, lim = MAX_SECONDS / DAY_S;
    int64_t local = (d0 < -lim ? -lim : d0 > lim ? lim : d0) * DAY_S +
                    (int64_t)(whole < 0 ? 0 : whole > DAY_S ? DAY_S : whole);
    int64_t u;
    if (dt->has_offset) {
        u = local - dt->offset;
        if (fit != NULL)
            *fit = CCS__TZ_UNIQUE;
    } else {
        u = ccs__tz_to_utc(tz, local, fold, fit);
    }
    /* the date whose [start, next start) holds u */
    int64_t dd = floor_div(u + ccs__tz_offset(tz, u), DAY_S), start, len;
    ccs__tz_day(tz, dd, &start, &len);
    if (u < start) {
        dd--;
        ccs__tz_day(tz, dd, &start, &len);
    } else if (u >= start + len) {
        dd++;
        ccs__tz_day(tz, dd, &start, &len);
    }
    *day = dd;
    *since = (double)(u - start) + (dt->sec - whole);
}

/* --- TZif files ------------------------------------------------------------------------ */

static uint32_t be32(const unsigned char *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int64_t be64(const unsigned char *p)
{
    return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4));
}

struct counts {
    uint32_t isut, isstd, leap, time, type, chars;
};

static bool header(const unsigned char *p, size_t len, char *version, struct counts *c)
{
    if (len < 44 || memcmp(p, "TZif", 4) != 0)
        return false;
    *version = (char)p[4];
    c->isut = be32(p + 20);
    c->isstd = be32(p + 24);
    c->leap = be32(p + 28);
    c->time = be32(p + 32);
    c->type = be32(p + 36);
    c->chars = be32(p + 40);
    return true;
}

/* Bytes of a data block with tsize-byte times (4 in v1, 8 after); 0 if absurd. */
static uint64_t block_size(const struct counts *c, unsigned tsize)
{
    return (uint64_t)c->time * tsize + c->time + (uint64_t)c->type * 6 + c->chars +
           (uint64_t)c->leap * (tsize + 4) + c->isstd + c->isut;
}

int ccs__tz_from_tzif(const char *name, const void *data, size_t len, struct ccs__tz **out,
                      char *why, size_t cap)
{
    *out = NULL;
    const unsigned char *p = data;
    char version;
    struct counts c;
    if (!header(p, len, &version, &c))
        return fail(why, cap, CCS_EPARSE, "%s is not a TZif time zone file", name);
    if (version != 0 && version != '2' && version != '3' && version != '4')
        return fail(why, cap, CCS_EPARSE, "%s: unknown TZif version", name);
    uint64_t v1 = block_size(&c, 4);
    if (v1 > len - 44)
        return fail(why, cap, CCS_EPARSE, "%s: truncated TZif file", name);
    size_t off = 44;
    unsigned tsize = 4;
    if (version != 0) { /* skip the 32-bit data for the 64-bit block */
        off = 44 + (size_t)v1;
        if (!header(p + off, len - off, &version, &c))
            return fail(why, cap, CCS_EPARSE, "%s: bad second TZif header", name);
        off += 44;
        tsize = 8;
        if (block_size(&c, 8) > len - off)
            return fail(why, cap, CCS_EPARSE, "%s: truncated TZif file", name);
    }
    if (c.leap != 0)
        return fail(why, cap, CCS_EUNSUPPORTED,
                    "%s counts leap seconds (a \"right/\" zone): use the zone without right/",
                    name);
    if (c.type == 0 || c.type > 256 || c.chars == 0 || (c.isstd != 0 && c.isstd != c.type) ||
        (c.isut != 0 && c.isut != c.type))
        return fail(why, cap, CCS_EPARSE, "%s: inconsistent TZif counts", name);
    const unsigned char *times = p + off;
    const unsigned char *idx = times + (size_t)c.time * tsize;
    const unsigned char *types = idx + c.time;
    int32_t toff[256];
    for (uint32_t i = 0; i < c.type; i++) {
        int64_t o = (int32_t)be32(types + 6 * i);
        if (o < -MAX_OFFSET || o > MAX_OFFSET || types[6 * i + 5] >= c.chars)
            return fail(why, cap, CCS_EPARSE, "%s: bad local time type", name);
        toff[i] = (int32_t)o;
    }
    struct ccs__tz *tz = tz_alloc(name);
    if (tz == NULL)
        return fail(why, cap, CCS_ENOMEM, "out of memory");
    tz->off0 = toff[0];
    if (c.time > 0) {
        tz->at = ccs_malloc(c.time * sizeof *tz->at);
        tz->off = ccs_malloc(c.time * sizeof *tz->off);
        if (tz->at == NULL || tz->off == NULL) {
            ccs__tz_free(tz);
            return fail(why, cap, CCS_ENOMEM, "out of memory");
        }
    }
    for (uint32_t i = 0; i < c.time; i++) {
        int64_t t = tsize == 8 ? be64(times + 8 * i) : (int32_t)be32(times + 4 * i);
        if (idx[i] >= c.type || (i > 0 && t <= tz->at[i - 1])) {
            ccs__tz_free(tz);
            return fail(why, cap, CCS_EPARSE, "%s: bad transition table", name);
        }
        tz->at[i] = t;
        tz->off[i] = toff[idx[i]];
    }
    tz->n = c.time;
    if (version != 0) { /* the footer: "\n" TZ string "\n" */
        size_t f = off + (size_t)block_size(&c, 8);
        if (f >= len || p[f] != '\n') {
            ccs__tz_free(tz);
            return fail(why, cap, CCS_EPARSE, "%s: missing TZif footer", name);
        }
        const unsigned char *e = memchr(p + f + 1, '\n', len - f - 1);
        if (e == NULL || (size_t)(e - (p + f + 1)) > 255) {
            ccs__tz_free(tz);
            return fail(why, cap, CCS_EPARSE, "%s: bad TZif footer", name);
        }
        size_t flen = (size_t)(e - (p + f + 1));
        if (flen > 0) {
            char s[256];
            memcpy(s, p + f + 1, flen);
            s[flen] = '\0';
            const char *bad = posix_parse(s, &tz->rule);
            if (bad != NULL) {
                ccs__tz_free(tz);
                return fail(why, cap, CCS_EPARSE, "%s: bad TZ string '%s' in the footer: %s",
                            name, s, bad);
            }
            tz->has_rule = true;
            if (tz->n == 0)
                tz->off0 = tz->rule.std;
        }
    }
    *out = tz;
    return 0;
}

/* --- what users write ------------------------------------------------------------------ */

/* "+02:00", "-0530", "+02": seconds east, or false. */
static bool fixed_offset(const char *s, int32_t *out)
{
    if (*s != '+' && *s != '-')
        return false;
    int sign = *s == '-' ? -1 : 1, h, m = 0;
    s++;
    if (!(s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9'))
        return false;
    h = (s[0] - '0') * 10 + (s[1] - '0');
    s += 2;
    if (*s == ':')
        s++;
    if (*s != '\0') {
        if (!(s[0] >= '0' && s[0] <= '9' && s[1] >= '0' && s[1] <= '9') || s[2] != '\0')
            return false;
        m = (s[0] - '0') * 10 + (s[1] - '0');
    }
    if (h > 23 || m > 59)
        return false;
    *out = (int32_t)(sign * (h * HOUR_S + m * MINUTE_S));
    return true;
}

/* An IANA name that stays inside the zoneinfo directory. */
static bool zone_name_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 255 || s[0] == '/' || s[n - 1] == '/')
        return false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                  c == '_' || c == '-' || c == '+' || c == '/' || c == '.';
        if (!ok)
            return false;
        /* no "." or ".." component, no empty one */
        bool at_start = i == 0 || s[i - 1] == '/';
        if (at_start && (c == '/' || c == '.'))
            return false;
    }
    return true;
}

int ccs__tz_new(const char *spec, const char *dir, struct ccs__tz **out, char *why, size_t cap)
{
    *out = NULL;
    if (dir == NULL)
        dir = CCS__TZ_DIR;
    int32_t o = 0;
    if (strcmp(spec, "UTC") == 0 || strcmp(spec, "utc") == 0 || fixed_offset(spec, &o)) {
        struct ccs__tz *tz = tz_alloc(spec);
        if (tz == NULL)
            return fail(why, cap, CCS_ENOMEM, "out of memory");
        tz->off0 = o;
        *out = tz;
        return 0;
    }
    if (spec[0] == '+' || spec[0] == '-')
        return fail(why, cap, CCS_EINVAL,
                    "bad UTC offset (write +hh:mm, e.g. +02:00 or -05:00, within 23:59)");
    if (!zone_name_ok(spec))
        return fail(why, cap, CCS_EINVAL,
                    "not a time zone: write an IANA name such as Europe/Berlin, UTC, or an "
                    "offset such as +02:00");
    char path[4096];
    int w = snprintf(path, sizeof path, "%s/%s", dir, spec);
    if (w < 0 || (size_t)w >= sizeof path)
        return fail(why, cap, CCS_EINVAL, "time zone directory path too long");
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0) {
        int e = errno;
        struct stat ds;
        if (stat(dir, &ds) != 0 || !S_ISDIR(ds.st_mode))
            return fail(why, cap, CCS_ENOTFOUND,
                        "no time zone database in %s (install the Debian package tzdata)", dir);
        if (e == ENOENT || e == ENOTDIR)
            return fail(why, cap, CCS_ENOTFOUND,
                        "unknown time zone (no file %s; names are like Europe/Berlin or "
                        "America/New_York, case matters)",
                        path);
        return fail(why, cap, CCS_EIO, "cannot open %s: %s", path, strerror(e));
    }
    struct stat st;
    int rc = 0;
    unsigned char *buf = NULL;
    if (fstat(fd, &st) != 0)
        rc = fail(why, cap, CCS_EIO, "cannot read %s: %s", path, strerror(errno));
    else if (!S_ISREG(st.st_mode))
        rc = fail(why, cap, CCS_EINVAL, "%s is not a time zone file (not a regular file)", path);
    else if ((uint64_t)st.st_size > MAX_TZIF)
        rc = fail(why, cap, CCS_EPARSE, "%s is not a time zone file (too large)", path);
    size_t len = 0;
    if (rc == 0) {
        buf = ccs_malloc((size_t)st.st_size + 1);
        if (buf == NULL)
            rc = fail(why, cap, CCS_ENOMEM, "out of memory");
    }
    while (rc == 0 && len < (size_t)st.st_size) {
        ssize_t n = read(fd, buf + len, (size_t)st.st_size - len);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            rc = fail(why, cap, CCS_EIO, "cannot read %s: %s", path, strerror(errno));
        else if (n == 0)
            break;
        else
            len += (size_t)n;
    }
    close(fd);
    if (rc == 0) {
        rc = ccs__tz_from_tzif(path, buf, len, out, why, cap);
        if (rc == 0) {
            char *name = ccs_malloc(strlen(spec) + 1);
            if (name == NULL) {
                ccs__tz_free(*out);
                *out = NULL;
                rc = fail(why, cap, CCS_ENOMEM, "out of memory");
            } else {
                strcpy(name, spec);
                free((*out)->name);
                (*out)->name = name;
            }
        }
    }
    free(buf);
    return rc;
}
