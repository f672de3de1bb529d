/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * trace_load.c - recorded contacts for replay: the scenario's `trace:` block
 * names a file and how to read it (a CSV with configurable columns, or the
 * Anonymous Bank call log), and which trace types feed which queues. Each
 * queue with `arrivals: trace` gets its records sorted by time. Bad rows are
 * reported as FILE:LINE:COL and are fatal or skipped-and-counted
 * (on_error). docs/arrivals.md describes the formats.
 */
#include "fmt/yread.h"
#include "core/grow.h"
#include "core/timeconst.h"
#include "load/trace_load.h"
#include "ccs/units.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_FIELDS 64
#define MAX_RECORDS 50000000

enum { FMT_CSV, FMT_BANK };
enum { OUT_UNKNOWN, OUT_SERVED, OUT_ABANDONED };

struct reader {
    struct ccs_scenario *sc;
    struct ccs_diag *d;
    const char *path;     /* as it will be printed */
    int format;
    bool skip_bad;
    double start;         /* clock time of t = 0 in the trace */
    const struct ccs_ynode *queue_map; /* type -> queue id, or NULL (identity) */
    const char *priority_segment;      /* bank: segment of priority customers */
    char date[16];        /* bank: the day to replay ("" = the first in the file) */
    /* columns (csv) */
    int col_time, col_queue, col_handle, col_wait, col_outcome, col_segment;
    /* results */
    struct ccs_trace_rec **recs; /* per queue */
    size_t *n, *cap;
    size_t replayed, skipped_rows, unmapped, outside, ivr;
    char first_skip[512];
};

/* --- small parsing helpers ------------------------------------------------------- */

/* Split line in place into fields; returns the count. Columns are 1-based. */
static int split(char *line, bool whitespace, char **f, int *col)
{
    int n = 0;
    char *p = line;
    if (whitespace) {
        while (*p && n < MAX_FIELDS) {
            while (*p == ' ' || *p == '\t')
                p++;
            if (*p == '\0')
                break;
            f[n] = p;
            col[n++] = (int)(p - line) + 1;
            while (*p && *p != ' ' && *p != '\t')
                p++;
            if (*p)
                *p++ = '\0';
        }
        return n;
    }
    for (;;) {
        if (n == MAX_FIELDS)
            return n;
        f[n] = p;
        col[n++] = (int)(p - line) + 1;
        char *c = strchr(p, ',');
        if (c == NULL)
            return n;
        *c = '\0';
        p = c + 1;
    }
}

/* "h:mm:ss" or seconds -> seconds; -1 on error. */
static double clock_or_seconds(const char *s)
{
    double v;
    if (strchr(s, ':') != NULL)
        return ccs_parse_duration(s, &v, NULL) == 0 ? v : -1;
    return ccs_parse_number(s, &v, NULL) == 0 && v >= 0 ? v : -1;
}

static int outcome_of(const char *s)
{
    static const char *const served[] = {"served", "answered", "agent", "handled", "AGENT"};
    static const char *const ab[] = {"abandoned", "hang", "HANG", "abandon"};
    for (size_t i = 0; i < sizeof served / sizeof served[0]; i++)
        if (strcmp(s, served[i]) == 0)
            return OUT_SERVED;
    for (size_t i = 0; i < sizeof ab / sizeof ab[0]; i++)
        if (strcmp(s, ab[i]) == 0)
            return OUT_ABANDONED;
    return OUT_UNKNOWN;
}

/* A bad row: fatal, or counted (and the first one remembered). */
static int bad_row(struct reader *r, int line, int col, const char *fmt, const char *what)
{
    char msg[256];
    snprintf(msg, sizeof msg, fmt, what);
    if (!r->skip_bad)
        return ccs_diag_at(r->d, CCS_EPARSE, r->path, line, col, "%s", msg);
    if (r->skipped_rows++ == 0)
        snprintf(r->first_skip, sizeof r->first_skip, "%s:%d:%d: %s", r->path, line, col, msg);
    return 0;
}

static int queue_for(struct reader *r, const char *type)
{
    const char *id = type;
    if (r->queue_map != NULL) {
        const struct ccs_ynode *v = ccs__ymap_get(r->queue_map, type);
        if (v == NULL || v->kind != CCS_Y_SCALAR)
            return -1;
        id = v->text;
    }
    for (size_t q = 0; q < r->sc->n_queues; q++)
        if (strcmp(r->sc->queues[q].id, id) == 0)
            return (int)q;
    return -1;
}

static uint32_t segment_for(const struct ccs_queue_def *qd, const char *name)
{
    for (size_t s = 0; name != NULL && s < qd->n_segments; s++)
        if (qd->segments[s].id != NULL && strcmp(qd->segments[s].id, name) == 0)
            return (uint32_t)s;
    return 0;
}

static int add(struct reader *r, int q, struct ccs_trace_rec rec)
{
    if (rec.t < 0 || rec.t >= r->sc->horizon) {
        r->outside++;
        return 0;
    }
    if (r->sc->queues[q].arrivals.kind != CCS_ARR_TRACE)
        return ccs_diag_at(r->d, CCS_ESCHEMA, r->path, (int)rec.line, 1,
                           "this row feeds queue '%s', whose arrivals are not 'trace'",
                           r->sc->queues[q].id);
    if (r->n[q] >= MAX_RECORDS || CCS_GROW(r->recs[q], r->cap[q], r->n[q] + 1) != 0)
        return ccs_diag_at(r->d, CCS_ENOMEM, r->path, 0, 0, "trace too large");
    r->recs[q][r->n[q]++] = rec;
    r->replayed++;
    return 0;
}

/* --- one row ----------------------------------------------------------------------- */

static int csv_row(struct reader *r, char **f, const int *col, int nf, int line)
{
    int need[] = {r->col_time, r->col_queue, r->col_handle, r->col_wait, r->col_outcome,
                  r->col_segment};
    for (size_t i = 0; i < sizeof need / sizeof need[0]; i++)
        if (need[i] >= nf)
            return bad_row(r, line, 1, "missing column %s", "(the row is too short)");
    double t = clock_or_seconds(f[r->col_time]);
    if (t < 0)
        return bad_row(r, line, col[r->col_time], "bad time '%s' (seconds or hh:mm:ss)",
                       f[r->col_time]);
    int q = r->col_queue >= 0 ? queue_for(r, f[r->col_queue])
                              : (r->sc->n_queues == 1 ? 0 : -1);
    if (q < 0) {
        r->unmapped++;
        return 0;
    }
    struct ccs_trace_rec rec = {t - r->start, NAN, NAN, NAN, 0, (uint32_t)line};
    if (r->col_handle >= 0 && f[r->col_handle][0] != '\0') {
        double h;
        if (ccs_parse_number(f[r->col_handle], &h, NULL) != 0 || h < 0)
            return bad_row(r, line, col[r->col_handle], "bad handle time '%s' (seconds)",
                           f[r->col_handle]);
        if (h > 0)
            rec.work = h;
    }
    double wait = NAN;
    if (r->col_wait >= 0 && f[r->col_wait][0] != '\0') {
        if (ccs_parse_number(f[r->col_wait], &wait, NULL) != 0 || wait < 0)
            return bad_row(r, line, col[r->col_wait], "bad wait '%s' (seconds)", f[r->col_wait]);
    }
    if (r->col_outcome >= 0 && f[r->col_outcome][0] != '\0') {
        int o = outcome_of(f[r->col_outcome]);
        if (o == OUT_UNKNOWN)
            return bad_row(r, line, col[r->col_outcome],
                           "unknown outcome '%s' (served or abandoned)", f[r->col_outcome]);
        if (o == OUT_ABANDONED && !isnan(wait))
            rec.patience = wait;
        else if (o == OUT_SERVED)
            rec.waited = isnan(wait) ? 0 : wait;
    }
    if (r->col_segment >= 0)
        rec.segment = segment_for(&r->sc->queues[q], f[r->col_segment]);
    return add(r, q, rec);
}

/*
 * Anonymous Bank: vru+line call_id customer_id priority type date vru_entry
 * vru_exit vru_time q_start q_exit q_time outcome ser_start ser_exit ser_time
 * server. PHANTOM rows are not calls; a HANG with q_start 0:00:00 left in the
 * voice menu and never queued; a call that never queued but was served
 * arrived at vru_exit and waited 0.
 */
static int bank_row(struct reader *r, char **f, const int *col, int nf, int line)
{
    if (nf != 17)
        return bad_row(r, line, 1, "expected 17 fields, got %s",
                       nf < 17 ? "fewer" : "more");
    if (r->date[0] == '\0')
        snprintf(r->date, sizeof r->date, "%s", f[5]);
    if (strcmp(f[5], r->date) != 0)
        return 0;
    if (strcmp(f[12], "PHANTOM") == 0)
        return 0;
    int o = outcome_of(f[12]);
    if (o == OUT_UNKNOWN)
        return bad_row(r, line, col[12], "unknown outcome '%s' (AGENT, HANG or PHANTOM)", f[12]);
    bool queued = strcmp(f[9], "0:00:00") != 0;
    if (!queued && o == OUT_ABANDONED) {
        r->ivr++;
        return 0;
    }
    double t = clock_or_seconds(queued ? f[9] : f[7]);
    if (t < 0)
        return bad_row(r, line, col[queued ? 9 : 7], "bad time '%s'", queued ? f[9] : f[7]);
    double qtime, ser;
    if (ccs_parse_number(f[11], &qtime, NULL) != 0 || qtime < 0)
        return bad_row(r, line, col[11], "bad q_time '%s'", f[11]);
    if (ccs_parse_number(f[15], &ser, NULL) != 0 || ser < 0)
        return bad_row(r, line, col[15], "bad ser_time '%s'", f[15]);
    int q = queue_for(r, f[4]);
    if (q < 0) {
        r->unmapped++;
        return 0;
    }
    struct ccs_trace_rec rec = {t - r->start, ser > 0 ? ser : NAN, NAN, NAN, 0, (uint32_t)line};
    if (o == OUT_ABANDONED)
        rec.patience = qtime;
    else
        rec.waited = queued ? qtime : 0;
    if (strcmp(f[3], "2") == 0)
        rec.segment = segment_for(&r->sc->queues[q], r->priority_segment);
    return add(r, q, rec);
}

/* --- the file ---------------------------------------------------------------------- */

static int column_index(struct reader *r, const struct ccs_ynode *cols, const char *key,
                        bool required, char **hdr, int nh, int *out)
{
    *out = -1;
    const struct ccs_ynode *v = cols ? ccs__ymap_get(cols, key) : NULL;
    if (v == NULL) {
        if (required)
            return ccs__yerr(r->d, CCS_ESCHEMA, cols, "missing required column '%s'", key);
        return 0;
    }
    if (v->kind != CCS_Y_SCALAR)
        return ccs__yerr(r->d, CCS_ESCHEMA, v, "'%s' must name a column", key);
    for (int i = 0; i < nh; i++)
        if (strcmp(hdr[i], v->text) == 0) {
            *out = i;
            return 0;
        }
    return ccs__yerr(r->d, CCS_ESCHEMA, v, "no column '%s' in the header of '%s'", v->text,
                     r->path);
}

static int cmp_rec(const void *x, const void *y)
{
    const struct ccs_trace_rec *a = x, *b = y;
    if (a->t != b->t)
        return a->t < b->t ? -1 : 1;
    return (a->line > b->line) - (a->line < b->line);
}

int ccs__trace_load(struct ccs_scenario *sc, const struct ccs_ynode *tn, const char *dir,
                    struct ccs_diag *d)
{
    static const char *const keys[] = {"file",    "format",  "columns", "queues", "start",
                                       "on_error", "date",   "priority_segment"};
    static const char *const formats[] = {"csv", "anonymous-bank", NULL};
    static const char *const on_error[] = {"fail", "skip", NULL};
    static const char *const col_keys[] = {"time", "queue", "handle", "wait", "outcome",
                                           "segment"};
    int rc = ccs__ywant_map(tn, "'trace'", d);
    if (rc || (rc = ccs__ycheck_keys(tn, keys, sizeof keys / sizeof keys[0], "trace", d)))
        return rc;
    struct reader r;
    memset(&r, 0, sizeof r);
    r.sc = sc;
    r.d = d;
    r.start = sc->start_time;
    r.priority_segment = "priority";
    int skip = 0;
    const char *file, *date = NULL;
    if ((rc = ccs__yread_string(tn, "file", true, &file, d)) ||
        (rc = ccs__yread_choice(tn, "format", false, formats, &r.format, d)) ||
        (rc = ccs__yread_choice(tn, "on_error", false, on_error, &skip, d)) ||
        (rc = ccs__yread_duration(tn, "start", false, 0, CCS_DAY, &r.start, d)) ||
        (rc = ccs__yread_string(tn, "date", false, &date, d)) ||
        (rc = ccs__yread_string(tn, "priority_segment", false, &r.priority_segment, d)))
        return rc;
    r.skip_bad = skip == 1;
    if (date != NULL)
        snprintf(r.date, sizeof r.date, "%.15s", date);
    r.queue_map = ccs__ymap_get(tn, "queues");
    if (r.queue_map != NULL && (rc = ccs__ywant_map(r.queue_map, "'queues'", d)))
        return rc;
    const struct ccs_ynode *cols = ccs__ymap_get(tn, "columns");
    if (cols != NULL) {
        if (r.format == FMT_BANK)
            return ccs__yerr(d, CCS_ESCHEMA, cols, "the anonymous-bank format has fixed columns");
        if ((rc = ccs__ywant_map(cols, "'columns'", d)) ||
            (rc = ccs__ycheck_keys(cols, col_keys, 6, "columns", d)))
            return rc;
    } else if (r.format == FMT_CSV) {
        return ccs__yerr(d, CCS_ESCHEMA, tn, "a csv trace needs 'columns' (at least 'time')");
    }

    char path[4096];
    if (file[0] == '/' || dir == NULL)
        snprintf(path, sizeof path, "%s", file);
    else
        snprintf(path, sizeof path, "%s/%s", dir, file);
    r.path = path;
    FILE *fp = fopen(path, "r");
    if (fp == NULL)
        return ccs__yerr(d, CCS_EIO, ccs__ymap_get(tn, "file"), "cannot open '%s': %s", path,
                         strerror(errno));
    r.recs = calloc(sc->n_queues, sizeof *r.recs);
    r.n = calloc(sc->n_queues, sizeof *r.n);
    r.cap = calloc(sc->n_queues, sizeof *r.cap);
    rc = r.recs && r.n && r.cap ? 0 : ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    char line[8192], *f[MAX_FIELDS];
    int col[MAX_FIELDS], lineno = 0;
    bool header = true;
    while (rc == 0 && fgets(line, sizeof line, fp) != NULL) {
        lineno++;
        size_t len = strcspn(line, "\r\n");
        if (line[len] == '\0' && !feof(fp)) {
            rc = bad_row(&r, lineno, 1, "line longer than %s characters", "8191");
            /* skip the rest of an over-long line */
            int ch;
            while ((ch = fgetc(fp)) != EOF && ch != '\n') {
            }
            continue;
        }
        line[len] = '\0';
        if (len == 0)
            continue;
        int nf = split(line, r.format == FMT_BANK, f, col);
        if (header) {
            header = false;
            if (r.format == FMT_BANK) {
                if (nf < 1 || strcmp(f[0], "vru+line") != 0)
                    rc = ccs_diag_at(d, CCS_EPARSE, path, lineno, 1,
                                     "not an Anonymous Bank log: the header must start with "
                                     "'vru+line'");
                continue;
            }
            if ((rc = column_index(&r, cols, "time", true, f, nf, &r.col_time)) ||
                (rc = column_index(&r, cols, "queue", false, f, nf, &r.col_queue)) ||
                (rc = column_index(&r, cols, "handle", false, f, nf, &r.col_handle)) ||
                (rc = column_index(&r, cols, "wait", false, f, nf, &r.col_wait)) ||
                (rc = column_index(&r, cols, "outcome", false, f, nf, &r.col_outcome)) ||
                (rc = column_index(&r, cols, "segment", false, f, nf, &r.col_segment)))
                break;
            if (r.col_queue < 0 && sc->n_queues != 1)
                rc = ccs__yerr(d, CCS_ESCHEMA, cols,
                               "with several queues the trace needs a 'queue' column");
            continue;
        }
        rc = r.format == FMT_BANK ? bank_row(&r, f, col, nf, lineno)
                                  : csv_row(&r, f, col, nf, lineno);
    }
    fclose(fp);
    if (rc == 0 && header)
        rc = ccs_diag_at(d, CCS_EPARSE, path, 1, 1, "empty trace file");
    for (size_t q = 0; q < sc->n_queues && r.recs != NULL; q++) {
        struct ccs_arrivals *a = &sc->queues[q].arrivals;
        if (rc == 0 && a->kind == CCS_ARR_TRACE) {
            qsort(r.recs[q], r.n[q], sizeof *r.recs[q], cmp_rec);
            a->trace = r.recs[q];
            a->n_trace = r.n[q];
        } else {
            free(r.recs[q]);
        }
    }
    free(r.recs);
    free(r.n);
    free(r.cap);
    if (rc != 0)
        return rc;
    char note[1024];
    int n = snprintf(note, sizeof note,
                     "trace %s: %zu contacts replayed; %zu rows of unmapped types, %zu outside "
                     "the horizon",
                     file, r.replayed, r.unmapped, r.outside);
    if (r.format == FMT_BANK && n > 0 && (size_t)n < sizeof note)
        n += snprintf(note + n, sizeof note - (size_t)n, ", %zu left in the voice menu", r.ivr);
    if (r.skipped_rows > 0 && n > 0 && (size_t)n < sizeof note)
        snprintf(note + n, sizeof note - (size_t)n, "; %zu bad rows skipped (first: %s)",
                 r.skipped_rows, r.first_skip);
    sc->trace_note = malloc(strlen(note) + 1);
    if (sc->trace_note != NULL)
        strcpy(sc->trace_note, note);
    sc->trace_skipped = r.skipped_rows;
    return 0;
}
