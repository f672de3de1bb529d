/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * forecast_load.c - a forecast file as a WFM system exports it: one row per
 * date (or weekday, or none: every day alike), interval start and queue,
 * with the expected volume and, optionally, the mean handle time and mean
 * patience of that interval. Rows are placed on a grid of steps counted
 * from t = 0 (start_time on the first date, or on start_day); a queue takes
 * its arrivals from the volumes and its handle-time or patience mean from
 * the interval while the distribution's shape (family, cv) stays its own.
 * Every bad row is a FILE:LINE:COL error, or skipped and counted.
 */
#include "load/forecast_load.h"

#include "ccs/units.h"
#include "core/str.h"
#include "core/timeconst.h"
#include "fmt/yread.h"
#include "load/import.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_STEPS 200000
#define MAX_QUEUES 10000

enum fcol { F_DATE, F_WEEKDAY, F_INTERVAL, F_DATETIME, F_QUEUE, F_VOLUME, F_AHT, F_PATIENCE, NF };
static const char *const fcol_keys[NF] = {"date",     "weekday", "interval", "datetime",
                                          "queue",    "volume",  "aht",      "patience"};

/* One queue value's rows, per step (NaN: no row there). */
struct fq {
    char *id;
    double *v[3];   /* CCS__FC_VOLUME, _AHT, _PATIENCE */
    uint32_t *line; /* the row of each step, 0: none */
};

/* A row as read, before the grid is known. */
struct frow {
    int64_t day;    /* date (dated), weekday 0-6 (by weekday), 0 */
    double clock;   /* interval start, seconds after midnight */
    size_t q;
    double v[3];
    uint32_t line;
};

struct ccs__forecast {
    char *file;
    char path[4096];
    double step;
    size_t n_steps;
    int kind;        /* 0 every day alike, 1 by weekday, 2 dated */
    int64_t d0;      /* dated: the first day */
    bool has[3];
    struct fq *q;
    size_t nq;
    const struct ccs_ynode *qmap; /* value -> queue id, in the scenario's doc */
    const struct ccs_ynode *blk;
    size_t rows, outside, skipped, other_queues;
    char first_skip[600];
};

static void fq_free(struct fq *q)
{
    free(q->id);
    for (int w = 0; w < 3; w++)
        free(q->v[w]);
    free(q->line);
}

void ccs__forecast_free(struct ccs__forecast *fc)
{
    if (fc == NULL)
        return;
    for (size_t i = 0; i < fc->nq; i++)
        fq_free(&fc->q[i]);
    free(fc->q);
    free(fc->file);
    free(fc);
}

static const struct fq *find(const struct ccs__forecast *fc, const char *id)
{
    for (size_t i = 0; i < fc->nq; i++)
        if (strcmp(fc->q[i].id, id) == 0)
            return &fc->q[i];
    return NULL;
}

bool ccs__forecast_has(const struct ccs__forecast *fc, const char *id, enum ccs__fc_what what)
{
    return fc != NULL && fc->has[what] && find(fc, id) != NULL;
}

/* --- reading -------------------------------------------------------------------------- */

/* Monday 0 ... Sunday 6 from "mon", "Monday", "1" (ISO: 1 is Monday) ...; -1 if none. */
static int weekday_of(const char *s, size_t n)
{
    static const char *const names[] = {"monday", "tuesday",  "wednesday", "thursday",
                                        "friday", "saturday", "sunday"};
    while (n > 0 && (*s == ' ' || *s == '\t')) {
        s++;
        n--;
    }
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (n == 1 && s[0] >= '1' && s[0] <= '7')
        return s[0] - '1';
    if (n < 3)
        return -1;
    for (int d = 0; d < 7; d++) {
        size_t len = strlen(names[d]);
        if (n != 3 && n != len)
            continue;
        bool ok = true;
        for (size_t i = 0; i < n && ok; i++) {
            char c = s[i];
            if (c >= 'A' && c <= 'Z')
                c = (char)(c + 32);
            ok = c == names[d][i];
        }
        if (ok)
            return d;
    }
    return -1;
}

/* The index of queue value s[0..n) (mapped by 'queues'), added if new; -1 ENOMEM. */
static long queue_index(struct ccs__forecast *fc, const char *s, size_t n)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%.*s", (int)(n < 255 ? n : 255), s);
    const char *id = buf;
    if (fc->qmap != NULL) {
        const struct ccs_ynode *v = ccs__ymap_get(fc->qmap, buf);
        if (v == NULL)
            return -2; /* a queue the scenario does not map */
        id = v->text;
    }
    for (size_t i = 0; i < fc->nq; i++)
        if (strcmp(fc->q[i].id, id) == 0)
            return (long)i;
    if (fc->nq == MAX_QUEUES)
        return -1;
    struct fq *p = ccs_realloc(fc->q, (fc->nq + 1) * sizeof *p);
    if (p == NULL)
        return -1;
    fc->q = p;
    memset(&p[fc->nq], 0, sizeof *p);
    if ((p[fc->nq].id = ccs__strdup(id)) == NULL)
        return -1;
    return (long)fc->nq++;
}

struct rd {
    struct ccs__forecast *fc;
    struct ccs__imp_fmt f;
    const struct ccs_ynode *col_node[NF];
    const char *cols[NF];
    int idx[NF];
    bool skip_bad;
    struct frow *rows;
    size_t n, cap;
    size_t other_queues;
};

static bool missing(const struct rd *R, const struct ccs__csvr *r, enum fcol k)
{
    return R->idx[k] < 0 || ccs__imp_missing(&R->f, r, (size_t)R->idx[k]);
}

static int one_row(struct rd *R, const struct ccs__csvr *r, struct ccs_diag *d)
{
    struct frow row = {0, 0, 0, {NAN, NAN, NAN}, (uint32_t)ccs__csvr_line(r)};
    int rc;
    size_t i;
    if (R->idx[F_DATETIME] >= 0) {
        i = (size_t)R->idx[F_DATETIME];
        struct ccs__datetime dt;
        if (missing(R, r, F_DATETIME))
            return ccs__csvr_bad(r, i, d, CCS_EPARSE, "interval start", "not recorded");
        if ((rc = ccs__imp_datetime(&R->f, r, i, &dt, d)))
            return rc;
        if (dt.has_offset)
            return ccs__csvr_bad(r, i, d, CCS_EPARSE, "interval start",
                                 "a forecast is in wall-clock time: drop the UTC offset");
        row.day = dt.day;
        row.clock = dt.sec;
    } else {
        i = (size_t)R->idx[F_INTERVAL];
        if (missing(R, r, F_INTERVAL))
            return ccs__csvr_bad(r, i, d, CCS_EPARSE, "interval start", "not recorded");
        if ((rc = ccs__imp_time(&R->f, r, i, true, &row.clock, d)))
            return rc;
        /* a clock time (seconds are read as such): 24 hours or more named
           no interval of a day, and a huge value broke the grid message */
        if (!(row.clock < CCS_DAY))
            return ccs__csvr_bad(r, i, d, CCS_EPARSE, "interval start",
                                 "a time of day is before 24:00:00 (86400 seconds)");
        if (R->idx[F_DATE] >= 0) {
            if (missing(R, r, F_DATE))
                return ccs__csvr_bad(r, (size_t)R->idx[F_DATE], d, CCS_EPARSE, "date",
                                     "not recorded");
            if ((rc = ccs__imp_date(&R->f, r, (size_t)R->idx[F_DATE], &row.day, d)))
                return rc;
        } else if (R->idx[F_WEEKDAY] >= 0) {
            i = (size_t)R->idx[F_WEEKDAY];
            int wd = weekday_of(ccs__csvr_get(r, i), ccs__csvr_len(r, i));
            if (wd < 0)
                return ccs__csvr_bad(r, i, d, CCS_EPARSE, "weekday",
                                     "expected mon..sun, monday..sunday or 1..7 (1 is Monday)");
            row.day = wd;
        }
    }
    if (R->idx[F_QUEUE] >= 0) {
        i = (size_t)R->idx[F_QUEUE];
        long q = queue_index(R->fc, ccs__csvr_get(r, i), ccs__csvr_len(r, i));
        if (q == -1)
            return ccs_diag_at(d, CCS_ENOMEM, R->fc->path, 0, 0, "out of memory");
        if (q == -2) {
            R->other_queues++;
            return 0;
        }
        row.q = (size_t)q;
    } else {
        long q = queue_index(R->fc, "", 0);
        if (q < 0)
            return ccs_diag_at(d, CCS_ENOMEM, R->fc->path, 0, 0, "out of memory");
        row.q = (size_t)q;
    }
    if (!missing(R, r, F_VOLUME)) {
        i = (size_t)R->idx[F_VOLUME];
        const char *why = NULL;
        if (ccs__csv_parse_number(ccs__csvr_get(r, i), ccs__csvr_len(r, i), R->f.dl.decimal,
                                  R->f.dl.thousands, &row.v[CCS__FC_VOLUME], &why) != 0)
            return ccs__csvr_bad(r, i, d, CCS_EPARSE, "volume", why);
        if (row.v[CCS__FC_VOLUME] < 0)
            return ccs__csvr_bad(r, i, d, CCS_EPARSE, "volume", "a volume must not be negative");
    }
    static const enum fcol means[2] = {F_AHT, F_PATIENCE};
    static const char *const what[2] = {"aht", "patience"};
    for (int m = 0; m < 2; m++) {
        if (missing(R, r, means[m]))
            continue;
        i = (size_t)R->idx[means[m]];
        double v;
        if ((rc = ccs__imp_duration(&R->f, r, i, what[m], &v, d)))
            return rc;
        bool busy = row.v[CCS__FC_VOLUME] > 0;
        if (v == 0 && busy)
            return ccs__csvr_bad(r, i, d, CCS_EPARSE, what[m],
                                 "a mean of 0 in an interval with contacts");
        if (v > 0)
            row.v[1 + m] = v;
    }
    if (R->n == R->cap) {
        size_t cap = R->cap ? 2 * R->cap : 1024;
        struct frow *p = R->n >= (size_t)50000000 ? NULL : ccs_realloc(R->rows, cap * sizeof *p);
        if (p == NULL)
            return ccs_diag_at(d, CCS_ENOMEM, R->fc->path, 0, 0, "forecast too large");
        R->rows = p;
        R->cap = cap;
    }
    R->rows[R->n++] = row;
    return 0;
}

static int read_block(struct ccs_scenario *sc, const struct ccs_ynode *fn, const char *dir,
                      struct rd *R, struct ccs_diag *d)
{
    static const char *const own[] = {"file", "columns", "queues", "interval", "date",
                                      "on_error"};
    enum { N_OWN = sizeof own / sizeof own[0] };
    const char *keys[N_OWN + CCS__IMP_FMT_NKEYS];
    memcpy(keys, own, sizeof own);
    memcpy(keys + N_OWN, ccs__imp_fmt_keys, CCS__IMP_FMT_NKEYS * sizeof *keys);
    static const char *const on_error[] = {"fail", "skip", NULL};
    struct ccs__forecast *fc = R->fc;
    int rc = ccs__ywant_map(fn, "'forecast'", d), skip = 0;
    const char *file;
    if (rc || (rc = ccs__ycheck_keys(fn, keys, N_OWN + CCS__IMP_FMT_NKEYS, "forecast", d)) ||
        (rc = ccs__yread_string(fn, "file", true, &file, d)) ||
        (rc = ccs__yread_choice(fn, "on_error", false, on_error, &skip, d)) ||
        (rc = ccs__imp_fmt_read(fn, &R->f, d)))
        return rc;
    R->skip_bad = skip == 1;
    if (R->f.tz != NULL)
        return ccs__yerr(d, CCS_ESCHEMA, R->f.tz_node,
                         "a forecast is in wall-clock time, every day of 24 hours: "
                         "'time_zone' does not apply");
    fc->blk = fn;
    if ((fc->file = ccs__strdup(file)) == NULL)
        return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    ccs__imp_path(dir, file, fc->path, sizeof fc->path);
    fc->step = sc->interval;
    if ((rc = ccs__yread_duration(fn, "interval", false, 60, CCS_DAY, &fc->step, d)))
        return rc;
    if (fabs(CCS_DAY / fc->step - round(CCS_DAY / fc->step)) > 1e-9)
        return ccs__yerr(d, CCS_ESCHEMA, ccs__ymap_get(fn, "interval") ? ccs__ymap_get(fn, "interval") : fn,
                         "the forecast's intervals must divide a day (15m, 30m, 1h...)");
    const struct ccs_ynode *cols = ccs__ymap_get(fn, "columns");
    if (cols == NULL)
        return ccs__yerr(d, CCS_ESCHEMA, fn,
                         "missing required key 'columns' in 'forecast' (at least 'interval' and "
                         "'volume', 'aht' or 'patience')");
    if ((rc = ccs__ywant_map(cols, "'columns'", d)) ||
        (rc = ccs__ycheck_keys(cols, fcol_keys, NF, "columns", d)))
        return rc;
    for (int k = 0; k < NF; k++) {
        const struct ccs_ynode *v = ccs__ymap_get(cols, fcol_keys[k]);
        R->col_node[k] = v;
        if (v != NULL && v->kind != CCS_Y_SCALAR)
            return ccs__yerr(d, CCS_ESCHEMA, v, "'%s' must name a column of the header",
                             fcol_keys[k]);
        R->cols[k] = v != NULL ? v->text : NULL;
    }
    if ((R->cols[F_INTERVAL] == NULL) == (R->cols[F_DATETIME] == NULL))
        return ccs__yerr(d, CCS_ESCHEMA, cols,
                         "'columns' needs either 'interval' (the interval's start, with "
                         "'date' or 'weekday') or 'datetime'");
    if (R->cols[F_DATETIME] != NULL && (R->cols[F_DATE] || R->cols[F_WEEKDAY]))
        return ccs__yerr(d, CCS_ESCHEMA, R->col_node[F_DATETIME],
                         "give either 'datetime' or 'date'/'weekday' and 'interval'");
    if (R->cols[F_DATE] != NULL && R->cols[F_WEEKDAY] != NULL)
        return ccs__yerr(d, CCS_ESCHEMA, R->col_node[F_WEEKDAY],
                         "give either 'date' or 'weekday', not both");
    if (R->cols[F_DATE] != NULL && !R->f.has_date_fmt)
        return ccs__yerr(d, CCS_ESCHEMA, R->col_node[F_DATE],
                         "a 'date' column needs 'date_format' (one of %s): dates are never "
                         "guessed",
                         ccs__date_fmt_names());
    if (!R->cols[F_VOLUME] && !R->cols[F_AHT] && !R->cols[F_PATIENCE])
        return ccs__yerr(d, CCS_ESCHEMA, cols, "'columns' needs 'volume', 'aht' or 'patience'");
    fc->has[CCS__FC_VOLUME] = R->cols[F_VOLUME] != NULL;
    fc->has[CCS__FC_AHT] = R->cols[F_AHT] != NULL;
    fc->has[CCS__FC_PATIENCE] = R->cols[F_PATIENCE] != NULL;
    fc->kind = R->cols[F_DATE] || R->cols[F_DATETIME] ? 2 : R->cols[F_WEEKDAY] ? 1 : 0;
    fc->qmap = ccs__ymap_get(fn, "queues");
    if (fc->qmap != NULL && R->cols[F_QUEUE] == NULL)
        /* without a queue column the file is every queue's: a map would be ignored */
        return ccs__yerr(d, CCS_ESCHEMA, fc->qmap,
                         "'queues' maps the values of the queue column, but 'columns' names "
                         "no 'queue'");
    if (fc->qmap != NULL) {
        if ((rc = ccs__ywant_map(fc->qmap, "'queues'", d)))
            return rc;
        for (size_t i = 0; i < fc->qmap->len; i++)
            if (fc->qmap->items[i]->kind != CCS_Y_SCALAR)
                return ccs__yerr(d, CCS_ESCHEMA, fc->qmap->items[i],
                                 "'queues' maps a value to a queue id");
    }
    return 0;
}

/* Place rows on the grid: the kind of forecast decides t = 0 and the span. */
static int place(struct ccs_scenario *sc, struct rd *R, struct ccs_diag *d)
{
    struct ccs__forecast *fc = R->fc;
    double span = fc->kind == 1 ? CCS_WEEK : CCS_DAY;
    if (fc->kind == 2) {
        int64_t lo = INT64_MAX, hi = INT64_MIN;
        for (size_t i = 0; i < R->n; i++) {
            lo = R->rows[i].day < lo ? R->rows[i].day : lo;
            hi = R->rows[i].day > hi ? R->rows[i].day : hi;
        }
        const struct ccs_ynode *dn = ccs__ymap_get(fc->blk, "date");
        int rc;
        if (dn != NULL && (rc = ccs__imp_yaml_date(&R->f, dn, "date", &lo, d)))
            return rc;
        if (R->n == 0 && dn == NULL)
            return ccs_diag_at(d, CCS_EPARSE, fc->path, 0, 0, "the forecast has no rows");
        if (hi < lo)
            hi = lo;
        fc->d0 = lo;
        span = (double)(hi - lo + 1) * CCS_DAY;
        sc->dated = true;
        sc->date = (int32_t)lo;
        sc->start_day = ccs__weekday(lo);
        ccs__imp_day_text(lo, sc->date_text, sizeof sc->date_text);
    } else if (ccs__ymap_get(fc->blk, "date") != NULL) {
        return ccs__yerr(d, CCS_ESCHEMA, ccs__ymap_get(fc->blk, "date"),
                         "'date' places a dated forecast: the file has no 'date' column");
    }
    double n = round(span / fc->step);
    if (n > MAX_STEPS)
        return ccs__yerr(d, CCS_ERANGE, fc->blk,
                         "the forecast spans %.0f intervals (at most %d): use longer intervals",
                         n, MAX_STEPS);
    fc->n_steps = (size_t)n;
    for (size_t i = 0; i < fc->nq; i++) {
        struct fq *q = &fc->q[i];
        for (int w = 0; w < 3; w++) {
            q->v[w] = ccs_malloc(fc->n_steps * sizeof *q->v[w]);
            if (q->v[w] == NULL)
                return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
            for (size_t k = 0; k < fc->n_steps; k++)
                q->v[w][k] = NAN;
        }
        if ((q->line = ccs_calloc(fc->n_steps, sizeof *q->line)) == NULL)
            return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    }
    for (size_t i = 0; i < R->n; i++) {
        const struct frow *row = &R->rows[i];
        double day_off = fc->kind == 2   ? (double)(row->day - fc->d0)
                         : fc->kind == 1 ? (double)((row->day - sc->start_day + 7) % 7)
                                         : 0;
        double t = day_off * CCS_DAY + row->clock - sc->start_time;
        if (fc->kind != 2) /* a week or a day repeats: early hours belong to its end */
            t = fmod(fmod(t, span) + span, span);
        double k = t / fc->step;
        if (fabs(k - round(k)) > 1e-6) {
            char c[32], st[32], s0[32];
            ccs_format_duration(fc->step, st, sizeof st);
            snprintf(c, sizeof c, "%02d:%02d:%02d", (int)(row->clock / 3600),
                     (int)fmod(row->clock / 60, 60), (int)fmod(row->clock, 60));
            snprintf(s0, sizeof s0, "%02d:%02d", (int)(sc->start_time / 3600),
                     (int)fmod(sc->start_time / 60, 60));
            return ccs_diag_at(d, CCS_EPARSE, fc->path, (int)row->line, 1,
                               "interval start %s is not on the %s grid that starts at %s "
                               "(start_time)",
                               c, st, s0);
        }
        k = round(k);
        if (k < 0 || k >= (double)fc->n_steps) {
            fc->outside++;
            continue;
        }
        struct fq *q = &fc->q[row->q];
        size_t ki = (size_t)k;
        if (q->line[ki] != 0)
            return ccs_diag_at(d, CCS_EPARSE, fc->path, (int)row->line, 1,
                               "a second row for queue '%.60s' in the same interval (the "
                               "first is line %u)",
                               q->id, q->line[ki]);
        q->line[ki] = row->line;
        for (int w = 0; w < 3; w++)
            q->v[w][ki] = row->v[w];
    }
    return 0;
}

int ccs__forecast_read(struct ccs_scenario *sc, const struct ccs_ynode *fn, const char *dir,
                       struct ccs__forecast **out, struct ccs_diag *d)
{
    *out = NULL;
    struct ccs__forecast *fc = ccs_calloc(1, sizeof *fc);
    if (fc == NULL)
        return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    struct rd R;
    memset(&R, 0, sizeof R);
    R.fc = fc;
    ccs__imp_fmt_init(&R.f);
    R.f.dl.strict_width = false;
    struct ccs__csvr *r = NULL;
    int rc = read_block(sc, fn, dir, &R, d);
    if (rc == 0)
        rc = ccs__imp_open(fc->path, &R.f.dl, ccs__ymap_get(fn, "file"), &r, d);
    for (int k = 0; k < NF; k++) {
        size_t i;
        R.idx[k] = -1;
        if (rc == 0 && R.cols[k] != NULL && (rc = ccs__csvr_need(r, R.cols[k], &i, d)) == 0)
            R.idx[k] = (int)i;
    }
    while (rc == 0 && ccs__csvr_next(r, d)) {
        fc->rows++;
        if (!R.skip_bad) {
            rc = one_row(&R, r, d);
            continue;
        }
        struct ccs_diag own;
        ccs_diag_clear(&own);
        int bad = one_row(&R, r, &own);
        if (bad == CCS_ENOMEM) {
            rc = ccs_diag_at(d, bad, NULL, 0, 0, "out of memory");
        } else if (bad != 0 && fc->skipped++ == 0) {
            char *e = strstr(own.msg, ": error: ");
            if (e != NULL)
                memmove(e + 2, e + 9, strlen(e + 9) + 1);
            own.msg[sizeof fc->first_skip - 1] = '\0';
            memcpy(fc->first_skip, own.msg, sizeof fc->first_skip);
        }
    }
    if (rc == 0 && r != NULL)
        rc = ccs__csvr_status(r);
    ccs__csvr_free(r);
    if (rc == 0)
        rc = place(sc, &R, d);
    fc->other_queues = R.other_queues;
    ccs__imp_fmt_release(&R.f);
    free(R.rows);
    if (rc != 0) {
        ccs__forecast_free(fc);
        return rc;
    }
    *out = fc;
    return 0;
}

/* --- what queues take ----------------------------------------------------------------- */

/* How a list of n steps covers the run: the run, or one day or week repeated. */
static int coverage(const struct ccs__forecast *fc, const struct ccs_scenario *sc,
                    const struct ccs_ynode *at, uint8_t *repeat, struct ccs_diag *d)
{
    double span = (double)fc->n_steps * fc->step;
    *repeat = CCS_REPEAT_NONE;
    if (span >= sc->horizon * (1 - 1e-12))
        return 0;
    if (fabs(span - CCS_DAY) < 1e-6) {
        *repeat = CCS_REPEAT_DAY;
        return 0;
    }
    if (fabs(span - CCS_WEEK) < 1e-6) {
        *repeat = CCS_REPEAT_WEEK;
        return 0;
    }
    char a[32], h[32];
    ccs_format_duration(span, a, sizeof a);
    ccs_format_duration(sc->horizon, h, sizeof h);
    return ccs__yerr(d, CCS_ESCHEMA, at,
                     "the forecast '%s' covers %s from its first date but the run lasts %s: "
                     "a dated forecast must cover the run",
                     fc->file, a, h);
}

static const struct fq *need_queue(const struct ccs__forecast *fc, const char *id,
                                   enum ccs__fc_what what, const struct ccs_ynode *at,
                                   struct ccs_diag *d, int *rc)
{
    static const char *const col[] = {"volume", "aht", "patience"};
    *rc = 0;
    if (!fc->has[what]) {
        *rc = ccs__yerr(d, CCS_ESCHEMA, at, "the forecast '%s' has no '%s' column", fc->file,
                        col[what]);
        return NULL;
    }
    const struct fq *q = find(fc, id);
    if (q == NULL && fc->nq == 1 && fc->q[0].id[0] == '\0')
        q = &fc->q[0]; /* no queue column: the file is this queue's */
    if (q == NULL)
        *rc = ccs__yerr(d, CCS_ESCHEMA, at, "the forecast '%s' has no rows for queue '%s'%s",
                        fc->file, id,
                        fc->qmap != NULL ? " (map its values to it with 'queues')" : "");
    return q;
}

int ccs__forecast_arrivals(const struct ccs__forecast *fc, const char *id,
                           struct ccs_arrivals *a, const struct ccs_ynode *at,
                           struct ccs_diag *d, const struct ccs_scenario *sc)
{
    int rc;
    const struct fq *q = need_queue(fc, id, CCS__FC_VOLUME, at, d, &rc);
    if (q == NULL)
        return rc;
    uint8_t repeat;
    if ((rc = coverage(fc, sc, at, &repeat, d)))
        return rc;
    a->kind = CCS_ARR_PROFILE;
    a->step = fc->step;
    a->n_rates = fc->n_steps;
    a->repeat = repeat;
    a->rates = ccs_malloc(fc->n_steps * sizeof *a->rates);
    if (a->rates == NULL)
        return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t k = 0; k < fc->n_steps; k++) {
        double v = q->v[CCS__FC_VOLUME][k];
        a->rates[k] = isnan(v) ? 0.0 : v / fc->step;
    }
    return 0;
}

int ccs__forecast_means(const struct ccs__forecast *fc, const char *id, enum ccs__fc_what what,
                        double *nominal, struct ccs_step_means *m, const struct ccs_ynode *at,
                        struct ccs_diag *d, const struct ccs_scenario *sc)
{
    int rc;
    const struct fq *q = need_queue(fc, id, what, at, d, &rc);
    if (q == NULL)
        return rc;
    uint8_t repeat;
    if ((rc = coverage(fc, sc, at, &repeat, d)))
        return rc;
    /* the nominal mean: over the forecast's contacts (its rows when it has none) */
    const double *mean = q->v[what], *vol = q->v[CCS__FC_VOLUME];
    double sw = 0, swx = 0, lo = INFINITY, hi = -INFINITY;
    size_t cnt = 0;
    for (size_t k = 0; k < fc->n_steps; k++) {
        if (isnan(mean[k]))
            continue;
        double w = fc->has[CCS__FC_VOLUME] && !isnan(vol[k]) ? vol[k] : 0;
        sw += w;
        swx += w * mean[k];
        cnt++;
        lo = fmin(lo, mean[k]);
        hi = fmax(hi, mean[k]);
    }
    if (cnt == 0)
        return ccs__yerr(d, CCS_ESCHEMA, at, "the forecast '%s' gives no %s for queue '%s'",
                         fc->file, what == CCS__FC_AHT ? "aht" : "patience", id);
    if (lo == hi) {
        *nominal = lo; /* exact: a constant mean changes nothing, bit for bit */
    } else if (sw > 0) {
        *nominal = swx / sw;
    } else {
        double s = 0;
        for (size_t k = 0; k < fc->n_steps; k++)
            if (!isnan(mean[k]))
                s += mean[k];
        *nominal = s / (double)cnt;
    }
    m->factor = ccs_malloc(fc->n_steps * sizeof *m->factor);
    if (m->factor == NULL)
        return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t k = 0; k < fc->n_steps; k++)
        m->factor[k] = isnan(mean[k]) ? 1.0 : mean[k] / *nominal;
    m->n = fc->n_steps;
    m->step = fc->step;
    m->repeat = repeat;
    return 0;
}

int ccs__forecast_finish(const struct ccs__forecast *fc, struct ccs_scenario *sc,
                         struct ccs_diag *d)
{
    size_t used = 0, unused_rows = 0;
    char ids[300] = "";
    size_t n_ids = 0;
    for (size_t i = 0; i < fc->nq; i++) {
        const struct fq *q = &fc->q[i];
        bool known = false;
        for (size_t k = 0; k < sc->n_queues && !known; k++)
            known = strcmp(sc->queues[k].id, q->id) == 0;
        if (!known && fc->qmap != NULL) {
            /* a map to a queue that is not there is a mistake, not data to skip */
            for (size_t j = 0; j < fc->qmap->len; j++)
                if (strcmp(fc->qmap->items[j]->text, q->id) == 0)
                    return ccs__yerr(d, CCS_ESCHEMA, fc->qmap->items[j],
                                     "no queue '%.60s' in the scenario", q->id);
        }
        size_t rows = 0;
        for (size_t k = 0; k < fc->n_steps; k++)
            rows += q->line[k] != 0;
        if (known || (fc->nq == 1 && q->id[0] == '\0')) {
            used++;
            if (n_ids++ < 4)
                snprintf(ids + strlen(ids), sizeof ids - strlen(ids), "%s%s",
                         n_ids > 1 ? ", " : "", q->id[0] ? q->id : "every queue");
        } else {
            unused_rows += rows;
        }
    }
    char step[32], buf[1200];
    ccs_format_duration(fc->step, step, sizeof step);
    int n = snprintf(buf, sizeof buf, "forecast %s: %zu rows, %zu intervals of %s", fc->file,
                     fc->rows, fc->n_steps, step);
    if (fc->kind == 2 && n > 0 && (size_t)n < sizeof buf)
        n += snprintf(buf + n, sizeof buf - (size_t)n, " from %s", sc->date_text);
    if (fc->kind == 1 && n > 0 && (size_t)n < sizeof buf)
        n += snprintf(buf + n, sizeof buf - (size_t)n, " (a week)");
    if (n > 0 && (size_t)n < sizeof buf)
        n += snprintf(buf + n, sizeof buf - (size_t)n, " for %s%s", ids, n_ids > 4 ? ", ..." : "");
    if (unused_rows + fc->other_queues > 0 && n > 0 && (size_t)n < sizeof buf)
        n += snprintf(buf + n, sizeof buf - (size_t)n, "; %zu rows of other queues",
                      unused_rows + fc->other_queues);
    if (fc->outside > 0 && n > 0 && (size_t)n < sizeof buf)
        n += snprintf(buf + n, sizeof buf - (size_t)n, ", %zu outside its span", fc->outside);
    if (fc->skipped > 0 && n > 0 && (size_t)n < sizeof buf)
        snprintf(buf + n, sizeof buf - (size_t)n, "; %zu bad rows skipped (first: %s)",
                 fc->skipped, fc->first_skip);
    (void)used;
    free(sc->forecast_note);
    sc->forecast_note = ccs__strdup(buf);
    return sc->forecast_note == NULL ? ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory")
                                     : 0;
}
