/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * import.c - the keys and field conversions that the trace and forecast
 * loaders share: how a client's export is written (dialect, date and time
 * formats, time zone, units, "not recorded" values), and its fields read as
 * durations, times of day, dates and date-times with located messages.
 */
#include "load/import.h"

#include "ccs/units.h"
#include "core/timeconst.h"
#include "fmt/yread.h"
#include "ccs/mem.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DAY_S ((int64_t)CCS_DAY) /* whole seconds: the day numbers are integers */

const char *const ccs__imp_fmt_keys[] = {
    "separator",   "quote",     "decimal",       "thousands", "skip_lines", "trim",
    "date_format", "time_format", "time_zone", "duration_unit", "missing",
};

void ccs__imp_fmt_init(struct ccs__imp_fmt *f)
{
    memset(f, 0, sizeof *f);
    ccs__csv_dialect_init(&f->dl);
    f->utc_day = INT64_MIN;
    f->time_fmt = CCS__IMP_TIME_AUTO;
    f->unit = 1.0;
}

void ccs__imp_fmt_release(struct ccs__imp_fmt *f)
{
    ccs__tz_free(f->tz);
    f->tz = NULL;
    free(f->missing);
    free(f->missing_len);
    f->missing = NULL;
    f->missing_len = NULL;
    f->n_missing = 0;
}

/* A one-character choice such as decimal: '.' or ','. */
static int read_char(const struct ccs_ynode *blk, const char *key, const char *const *names,
                     const char *chars, const char *list, char *out, struct ccs_diag *d)
{
    const struct ccs_ynode *n = ccs__ymap_get(blk, key);
    if (n == NULL)
        return 0;
    if (n->kind == CCS_Y_SCALAR)
        for (size_t i = 0; names[i] != NULL; i++)
            if (strcmp(n->text, names[i]) == 0) {
                *out = chars[i];
                return 0;
            }
    return ccs__yerr(d, CCS_ESCHEMA, n, "'%s' must be %s", key, list);
}

int ccs__imp_fmt_read(const struct ccs_ynode *n, struct ccs__imp_fmt *f, struct ccs_diag *d)
{
    const struct ccs_ynode *v;
    int rc;
    if ((v = ccs__ymap_get(n, "separator")) != NULL) {
        const char *why = NULL;
        if (v->kind != CCS_Y_SCALAR || ccs__csv_sep_parse(v->text, &f->dl.sep, &why) != 0)
            return ccs__yerr(d, CCS_ESCHEMA, v,
                             "'separator' must be ',', ';', tab, '|', whitespace or auto");
    }
    static const char *const quote_names[] = {"\"", "'", "none", NULL};
    static const char *const dec_names[] = {".", ",", NULL};
    static const char *const th_names[] = {"none", ",", ".", "'", " ", "space", NULL};
    if ((rc = read_char(n, "quote", quote_names, "\"'\0", "'\"', \"'\" or none", &f->dl.quote,
                        d)) ||
        (rc = read_char(n, "decimal", dec_names, ".,", "'.' or ','", &f->dl.decimal, d)) ||
        (rc = read_char(n, "thousands", th_names, "\0,.'  ", "none, ',', '.', \"'\" or space",
                        &f->dl.thousands, d)))
        return rc;
    if (f->dl.thousands != 0 && f->dl.thousands == f->dl.decimal)
        return ccs__yerr(d, CCS_ESCHEMA, ccs__ymap_get(n, "thousands"),
                         "'thousands' and 'decimal' must differ");
    if (f->dl.quote != 0 && f->dl.quote == f->dl.sep)
        return ccs__yerr(d, CCS_ESCHEMA, ccs__ymap_get(n, "quote"),
                         "'quote' and 'separator' must differ");
    long long skip = (long long)f->dl.skip_lines;
    if ((rc = ccs__yread_int(n, "skip_lines", false, 0, 1000000, &skip, d)) ||
        (rc = ccs__yread_bool(n, "trim", false, &f->dl.trim, d)))
        return rc;
    f->dl.skip_lines = (size_t)skip;

    if ((v = ccs__ymap_get(n, "date_format")) != NULL) {
        if (v->kind != CCS_Y_SCALAR || ccs__date_fmt_parse(v->text, &f->date_fmt) != 0)
            return ccs__yerr(d, CCS_ESCHEMA, v, "'date_format' must be one of %s",
                             ccs__date_fmt_names());
        f->has_date_fmt = true;
        f->date_fmt_node = v;
    }
    if ((v = ccs__ymap_get(n, "time_format")) != NULL) {
        enum ccs__time_fmt tf;
        if (v->kind != CCS_Y_SCALAR || ccs__time_fmt_parse(v->text, &tf) != 0)
            return ccs__yerr(d, CCS_ESCHEMA, v, "'time_format' must be one of %s",
                             ccs__time_fmt_names());
        f->time_fmt = (int)tf;
    }
    if ((v = ccs__ymap_get(n, "time_zone")) != NULL) {
        char why[200];
        if (v->kind != CCS_Y_SCALAR)
            return ccs__yerr(d, CCS_ESCHEMA, v,
                             "'time_zone' must be UTC, an offset such as +02:00, or a zone "
                             "such as Europe/Berlin");
        struct ccs__tz *tz;
        if ((rc = ccs__tz_new(v->text, NULL, &tz, why, sizeof why)) != 0)
            return ccs__yerr(d, rc == CCS_ENOMEM ? CCS_ENOMEM : CCS_ESCHEMA, v,
                             "bad time zone '%.60s': %s", v->text, why);
        ccs__tz_free(f->tz);
        f->tz = tz;
        f->tz_node = v;
    }
    static const char *const units[] = {"s", "min", "h", NULL};
    static const double unit_s[] = {1, 60, 3600};
    int u = -1;
    if ((rc = ccs__yread_choice(n, "duration_unit", false, units, &u, d)))
        return rc;
    if (u >= 0)
        f->unit = unit_s[u];
    if ((v = ccs__ymap_get(n, "missing")) != NULL) {
        size_t cnt = v->kind == CCS_Y_SEQ ? v->len : 1;
        const char **m = ccs_calloc(cnt ? cnt : 1, sizeof *m);
        if (m == NULL)
            return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
        for (size_t i = 0; i < cnt; i++) {
            const struct ccs_ynode *it = v->kind == CCS_Y_SEQ ? v->items[i] : v;
            if (it->kind != CCS_Y_SCALAR) {
                free(m);
                return ccs__yerr(d, CCS_ESCHEMA, it,
                                 "'missing' lists the values that mean \"not recorded\", "
                                 "such as [\"-\", \"0:00:00\"]");
            }
            m[i] = it->text;
        }
        free(f->missing);
        f->missing = m;
        f->n_missing = cnt;
    }
    return ccs__imp_fmt_lengths(f, d);
}

int ccs__imp_fmt_lengths(struct ccs__imp_fmt *f, struct ccs_diag *d)
{
    free(f->missing_len);
    f->missing_len = ccs_calloc(f->n_missing ? f->n_missing : 1, sizeof *f->missing_len);
    if (f->missing_len == NULL)
        return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t k = 0; k < f->n_missing; k++)
        f->missing_len[k] = strlen(f->missing[k]);
    return 0;
}

void ccs__imp_path(const char *dir, const char *name, char *buf, size_t cap)
{
    if (name[0] == '/' || dir == NULL)
        snprintf(buf, cap, "%s", name);
    else
        snprintf(buf, cap, "%s/%s", dir, name);
}

bool ccs__imp_missing(const struct ccs__imp_fmt *f, const struct ccs__csvr *r, size_t i)
{
    size_t n = ccs__csvr_len(r, i);
    if (n == 0)
        return true;
    const char *s = ccs__csvr_get(r, i);
    for (size_t k = 0; k < f->n_missing; k++)
        if (f->missing_len[k] == n && memcmp(f->missing[k], s, n) == 0)
            return true;
    return false;
}

static bool has_colon(const char *s, size_t n)
{
    return memchr(s, ':', n) != NULL;
}

int ccs__imp_duration(const struct ccs__imp_fmt *f, const struct ccs__csvr *r, size_t i,
                      const char *what, double *out, struct ccs_diag *d)
{
    const char *s = ccs__csvr_get(r, i), *why = NULL;
    size_t n = ccs__csvr_len(r, i);
    double v;
    if (has_colon(s, n)) {
        if (ccs__hms_duration_parse(s, n, &v, &why) != 0)
            return ccs__csvr_bad(r, i, d, CCS_EPARSE, what, why);
    } else {
        if (ccs__csv_parse_number(s, n, f->dl.decimal, f->dl.thousands, &v, &why) != 0)
            return ccs__csvr_bad(r, i, d, CCS_EPARSE, what, why);
        if (v < 0)
            return ccs__csvr_bad(r, i, d, CCS_EPARSE, what, "a duration must not be negative");
        v *= f->unit;
        if (!isfinite(v))
            return ccs__csvr_bad(r, i, d, CCS_EPARSE, what, "number out of range");
    }
    *out = v;
    return 0;
}

int ccs__imp_time(const struct ccs__imp_fmt *f, const struct ccs__csvr *r, size_t i,
                  bool dated, double *out, struct ccs_diag *d)
{
    const char *s = ccs__csvr_get(r, i), *why = NULL;
    size_t n = ccs__csvr_len(r, i);
    int tf = f->time_fmt;
    bool as_written = tf == CCS__IMP_TIME_AUTO;
    if (tf == CCS__IMP_TIME_AUTO) {
        if (!has_colon(s, n)) {
            tf = CCS__TIME_SECONDS;
        } else if (!dated) {
            /* the legacy trace clock: h:mm:ss with any hours, or h:mm */
            if (ccs__hms_duration_parse(s, n, out, &why) == 0)
                return 0;
            if (ccs__time_parse(CCS__TIME_HM, s, n, out, NULL) == 0)
                return 0;
            return ccs__csvr_bad(r, i, d, CCS_EPARSE, "time", why);
        } else {
            const char *c = memchr(s, ':', n);
            tf = memchr(c + 1, ':', n - (size_t)(c + 1 - s)) != NULL ? CCS__TIME_HMS
                                                                       : CCS__TIME_HM;
        }
    }
    if (tf == CCS__TIME_SECONDS) {
        double v;
        if (ccs__csv_parse_number(s, n, f->dl.decimal, f->dl.thousands, &v, &why) != 0)
            return ccs__csvr_bad(r, i, d, CCS_EPARSE, "time",
                                 as_written ? "expected seconds or a clock time such as 7:15:55"
                                            : why);
        if (v < 0)
            return ccs__csvr_bad(r, i, d, CCS_EPARSE, "time", "seconds must not be negative");
        *out = v;
        return 0;
    }
    if (ccs__time_parse((enum ccs__time_fmt)tf, s, n, out, &why) != 0)
        return ccs__csvr_bad(r, i, d, CCS_EPARSE, "time", why);
    return 0;
}

int ccs__imp_date(const struct ccs__imp_fmt *f, const struct ccs__csvr *r, size_t i,
                  int64_t *day, struct ccs_diag *d)
{
    const char *why = NULL;
    if (ccs__date_parse(f->date_fmt, ccs__csvr_get(r, i), ccs__csvr_len(r, i), day, &why) != 0)
        return ccs__csvr_bad(r, i, d, CCS_EPARSE, "date", why);
    return 0;
}

int ccs__imp_datetime(const struct ccs__imp_fmt *f, const struct ccs__csvr *r, size_t i,
                      struct ccs__datetime *out, struct ccs_diag *d)
{
    const char *s = ccs__csvr_get(r, i), *why = NULL;
    size_t n = ccs__csvr_len(r, i);
    int rc;
    if (!f->has_date_fmt || f->date_fmt == CCS__DATE_YMD) {
        rc = ccs__iso_datetime_parse(s, n, out, &why);
    } else {
        /* DATE TIME: the time as written (with or without seconds) */
        const char *c = memchr(s, ':', n);
        enum ccs__time_fmt tf = CCS__TIME_HMS;
        if (f->time_fmt == CCS__TIME_HM ||
            (f->time_fmt == CCS__IMP_TIME_AUTO && c != NULL &&
             memchr(c + 1, ':', n - (size_t)(c + 1 - s)) == NULL))
            tf = CCS__TIME_HM;
        rc = ccs__datetime_parse(f->date_fmt, tf, s, n, out, &why);
    }
    if (rc != 0)
        return ccs__csvr_bad(r, i, d, CCS_EPARSE, "date and time", why);
    return 0;
}

int ccs__imp_yaml_date(const struct ccs__imp_fmt *f, const struct ccs_ynode *n,
                       const char *what, int64_t *day, struct ccs_diag *d)
{
    const char *why = NULL, *why_fmt = NULL;
    if (n->kind == CCS_Y_SCALAR) {
        size_t len = strlen(n->text);
        if (ccs__date_parse(CCS__DATE_YMD, n->text, len, day, &why) == 0)
            return 0;
        if (f->has_date_fmt && f->date_fmt != CCS__DATE_YMD &&
            ccs__date_parse(f->date_fmt, n->text, len, day, &why_fmt) == 0)
            return 0;
        /* say why for the format it looks like */
        if (why_fmt != NULL && strchr(n->text, '-') == NULL)
            why = why_fmt;
    }
    char shown[64];
    snprintf(shown, sizeof shown, "%.40s", n->kind == CCS_Y_SCALAR ? n->text : "");
    if (f->has_date_fmt && f->date_fmt != CCS__DATE_YMD)
        return ccs__yerr(d, CCS_ESCHEMA, n, "bad date '%s' in '%s': write yyyy-mm-dd or %s%s%s",
                         shown, what, ccs__date_fmt_name(f->date_fmt), why ? ": " : "",
                         why ? why : "");
    return ccs__yerr(d, CCS_ESCHEMA, n, "bad date '%s' in '%s': write yyyy-mm-dd%s%s", shown,
                     what, why ? ": " : "", why ? why : "");
}

void ccs__imp_day_text(int64_t day, char *buf, size_t cap)
{
    ccs__date_text(day, buf, cap);
}

double ccs__imp_utc(struct ccs__imp_fmt *f, double local)
{
    if (f->tz == NULL)
        return local;
    double whole = floor(local);
    int64_t l = (int64_t)whole, day = l >= 0 ? l / DAY_S : -((-l + DAY_S - 1) / DAY_S);
    if (day != f->utc_day) {
        int64_t start, len;
        ccs__tz_day(f->tz, day, &start, &len);
        f->utc_day = day;
        f->utc_off = day * DAY_S - start;
        /* one offset from midnight to midnight: no clock change that day */
        f->utc_simple = len == DAY_S && ccs__tz_offset(f->tz, start) == f->utc_off &&
                        ccs__tz_offset(f->tz, start + DAY_S - 1) == f->utc_off;
    }
    if (f->utc_simple)
        return (double)(l - f->utc_off) + (local - whole);
    return (double)ccs__tz_to_utc(f->tz, l, 0, NULL) + (local - whole);
}

int ccs__imp_open(const char *path, const struct ccs__csv_dialect *dl,
                  const struct ccs_ynode *file_node, struct ccs__csvr **out, struct ccs_diag *d)
{
    struct ccs_diag own;
    ccs_diag_clear(&own);
    int rc = ccs__csvr_new(path, dl, out, &own);
    if (rc == 0)
        return 0;
    /* "PATH: error: cannot open: why" is better said at the scenario's 'file' */
    const char *e = strstr(own.msg, ": error: cannot ");
    if (rc == CCS_EIO && e != NULL && file_node != NULL &&
        strncmp(own.msg, path, strlen(path)) == 0) {
        const char *what = e + 9, *why = strstr(what, ": ");
        if (why != NULL)
            return ccs__yerr(d, rc, file_node, "%.*s '%s': %s", (int)(why - what), what, path,
                             why + 2);
    }
    if (d != NULL && d->code == 0)
        *d = own;
    return rc;
}
