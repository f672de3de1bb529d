/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * trace_load.c - a client's call log replayed as it was exported: the
 * scenario's `trace:` block says how the file is written (dialect, date and
 * time formats, zone) and maps its columns by header name (time, queue,
 * outcome, wait, talk, hold, after-call work, agent, customer, segment,
 * transfer) and its values (queues, outcomes, segments). Rows stream through
 * sim/fmt/csv.c; the records of the selected dates are kept per date and
 * queue. The Anonymous Bank log is a preset of the same mapping. Bad rows
 * are FILE:LINE:COL errors, or skipped and counted (on_error: skip).
 * docs/arrivals.md describes the keys.
 */
#include "load/trace_load.h"

#include "ccs/units.h"
#include "core/str.h"
#include "core/timeconst.h"
#include "fmt/yread.h"
#include "load/import.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_RECORDS 50000000
#define MAX_ALT 4     /* columns tried in turn for the arrival time */
#define MAX_DATES 100000
#define MAX_PLACES 4  /* windows of selected dates that may hold one contact */
#define WS_CACHE 8    /* window starts remembered */

enum col {
    C_DATE, C_TIME, C_DATETIME, C_QUEUE, C_OUTCOME, C_WAIT, C_HANDLE, C_TALK, C_HOLD, C_WRAP,
    C_AGENT, C_CUSTOMER, C_SEGMENT, C_TRANSFER, N_COLS
};
static const char *const col_keys[N_COLS] = {
    "date", "time",  "datetime", "queue", "outcome",  "wait",    "handle",
    "talk", "hold",  "wrap_up",  "agent", "customer", "segment", "transfer"};

enum { OUT_NONE, OUT_SERVED, OUT_ABANDONED, OUT_IGNORE };
static const char *const outcome_kinds[] = {"served", "abandoned", "ignore", NULL};

enum { SEL_FIRST, SEL_LIST, SEL_ALL };

struct vmap {          /* a value of the file mapped to something of the scenario */
    const char *value;
    size_t len;
    int target;        /* outcome kind, queue index */
    const char *name;  /* segment id */
};

/* What the `trace:` block says, preset included. */
struct cfg {
    const struct ccs_ynode *blk;
    const char *file;
    char path[4096];
    bool bank;                          /* the anonymous-bank preset */
    struct ccs__imp_fmt f;
    bool strict_width;
    const char *cols[N_COLS][MAX_ALT];
    size_t ncols[N_COLS];
    const struct ccs_ynode *col_node[N_COLS];
    struct vmap *outcomes;
    size_t n_outcomes;
    bool quiet_ignored;                 /* the preset's PHANTOM rows go unmentioned */
    struct vmap *queues;                /* NULL: values are queue ids */
    size_t n_queues;
    struct vmap *segments;
    size_t n_segments;
    bool skip_bad;
    double start;                       /* clock time of t = 0 */
    int sel;
    int64_t *lo, *hi;                   /* SEL_LIST: ranges of days */
    size_t n_ranges;
    const struct ccs_ynode *sel_node;
    bool multi;                         /* the selection may hold several dates */
    bool fixed_day;                     /* no date column: every row is of day lo[0] */
    const char *ivr_label;
};

/* One replayed date: its records per queue. */
struct window {
    int32_t day;
    struct ccs_trace_rec **recs;
    size_t *n, *cap;
    size_t total;
    bool given;
};

struct ccs__trace_set {
    char *file;                  /* as the scenario wrote it */
    bool dated, bank, quiet_ignored;
    const char *ivr_label;
    size_t nq;
    struct window *w;
    size_t n_w, cap_w;
    char **agents;
    size_t n_agents;
    size_t unmapped, outside, other_dates, ivr, ignored, skipped, replayed;
    char first_skip[600];
};

struct reader {
    struct cfg *c;
    const struct ccs_scenario *sc;
    struct ccs_diag *d;
    struct ccs__csvr *r;
    struct ccs__trace_set *ts;
    int idx[N_COLS][MAX_ALT];
    /* caches: the last date text, the last window looked up, window starts */
    char date_text[32];
    size_t date_len;
    int64_t date_day;
    size_t last_w;
    int64_t ws_day[WS_CACHE];
    double ws_utc[WS_CACHE];
    unsigned ws_next;
    int64_t first_day;
    bool have_first;
    int64_t min_day, max_day;
    bool any_day;
    /* agents by name: open addressing over ts->agents */
    uint32_t *ahash;
    size_t hcap;
};

/* --- the block --------------------------------------------------------------------- */

static void cfg_release(struct cfg *c)
{
    ccs__imp_fmt_release(&c->f);
    free(c->outcomes);
    free(c->queues);
    free(c->segments);
    free(c->lo);
    free(c->hi);
}

static bool eq_nocase(const char *a, size_t na, const char *b, size_t nb)
{
    if (na != nb)
        return false;
    for (size_t i = 0; i < na; i++) {
        unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
        if (x >= 'A' && x <= 'Z')
            x = (unsigned char)(x + 32);
        if (y >= 'A' && y <= 'Z')
            y = (unsigned char)(y + 32);
        if (x != y)
            return false;
    }
    return true;
}

static int add_outcome(struct cfg *c, const char *value, int kind, const struct ccs_ynode *at,
                       struct ccs_diag *d)
{
    size_t len = strlen(value);
    for (size_t i = 0; i < c->n_outcomes; i++)
        if (eq_nocase(c->outcomes[i].value, c->outcomes[i].len, value, len)) {
            if (at != NULL && c->outcomes[i].name == NULL)
                return ccs__yerr(d, CCS_ESCHEMA, at,
                                 "outcome '%.40s' is mapped twice (outcomes are compared "
                                 "without regard to case)",
                                 value);
            c->outcomes[i].target = kind; /* the scenario overrides the preset */
            c->outcomes[i].name = NULL;
            return 0;
        }
    struct vmap *p = ccs_realloc(c->outcomes, (c->n_outcomes + 1) * sizeof *p);
    if (p == NULL)
        return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    c->outcomes = p;
    /* name marks a preset entry (non-NULL) the scenario may override */
    p[c->n_outcomes++] = (struct vmap){value, len, kind, at == NULL ? "preset" : NULL};
    return 0;
}

static int set_col(struct cfg *c, enum col k, const struct ccs_ynode *v, struct ccs_diag *d)
{
    c->col_node[k] = v;
    c->ncols[k] = 0;
    bool list_ok = k == C_TIME || k == C_DATETIME;
    if (v->kind == CCS_Y_SCALAR) {
        c->cols[k][c->ncols[k]++] = v->text;
        return 0;
    }
    if (v->kind != CCS_Y_SEQ || !list_ok || v->len == 0 || v->len > MAX_ALT)
        return ccs__yerr(d, CCS_ESCHEMA, v,
                         list_ok ? "'%s' must name a column, or list 1 to 4 columns tried in "
                                   "turn (the first recorded is the arrival)"
                                 : "'%s' must name a column of the header",
                         col_keys[k]);
    for (size_t i = 0; i < v->len; i++) {
        if (v->items[i]->kind != CCS_Y_SCALAR)
            return ccs__yerr(d, CCS_ESCHEMA, v->items[i], "'%s' must list column names",
                             col_keys[k]);
        c->cols[k][c->ncols[k]++] = v->items[i]->text;
    }
    return 0;
}

/* The anonymous-bank log's layout. CCS_ENOMEM (with d) when its list of
   missing-value markers cannot be kept: without it the log reads otherwise. */
static int preset_bank(struct cfg *c, struct ccs_diag *d)
{
    static const char *const missing[] = {"0:00:00", "NO_SERVER"};
    c->bank = true;
    c->f.dl.sep = CCS__CSV_SEP_WHITESPACE;
    c->f.has_date_fmt = true;
    c->f.date_fmt = CCS__DATE_YYMMDD;
    c->f.time_fmt = CCS__TIME_HMS;
    c->strict_width = true;
    c->f.missing = ccs_malloc(sizeof missing);
    if (c->f.missing == NULL)
        return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    memcpy(c->f.missing, missing, sizeof missing);
    c->f.n_missing = 2;
    static const struct {
        enum col k;
        const char *name;
    } cols[] = {{C_DATE, "date"},       {C_QUEUE, "type"},        {C_OUTCOME, "outcome"},
                {C_WAIT, "q_time"},     {C_HANDLE, "ser_time"},   {C_AGENT, "server"},
                {C_CUSTOMER, "customer_id"}, {C_SEGMENT, "priority"}};
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++) {
        c->cols[cols[i].k][0] = cols[i].name;
        c->ncols[cols[i].k] = 1;
    }
    /* arrival: joining the queue; a call served without queueing, from the menu */
    c->cols[C_TIME][0] = "q_start";
    c->cols[C_TIME][1] = "vru_exit";
    c->ncols[C_TIME] = 2;
    c->quiet_ignored = true;
    c->ivr_label = "left in the voice menu";
    return 0;
}

/* A date selection item: a date, or a range "A..B". */
static int read_range(struct cfg *c, const struct ccs_ynode *n, struct ccs_diag *d)
{
    if (n->kind != CCS_Y_SCALAR)
        return ccs__yerr(d, CCS_ESCHEMA, n,
                         "'dates' must be all, first, a date, a range such as "
                         "2024-03-01..2024-03-31, or a list of them");
    int64_t a, b;
    const char *dots = strstr(n->text, "..");
    int rc;
    if (dots != NULL) {
        struct ccs_ynode part = *n;
        char lo[64], hi[64];
        snprintf(lo, sizeof lo, "%.*s", (int)(dots - n->text), n->text);
        snprintf(hi, sizeof hi, "%s", dots + 2);
        part.text = lo;
        if ((rc = ccs__imp_yaml_date(&c->f, &part, "dates", &a, d)))
            return rc;
        part.text = hi;
        if ((rc = ccs__imp_yaml_date(&c->f, &part, "dates", &b, d)))
            return rc;
        if (b < a)
            return ccs__yerr(d, CCS_ESCHEMA, n, "the range '%.60s' ends before it starts",
                             n->text);
    } else {
        if ((rc = ccs__imp_yaml_date(&c->f, n, "dates", &a, d)))
            return rc;
        b = a;
    }
    int64_t *lo = ccs_realloc(c->lo, (c->n_ranges + 1) * sizeof *lo);
    if (lo != NULL)
        c->lo = lo;
    int64_t *hi = ccs_realloc(c->hi, (c->n_ranges + 1) * sizeof *hi);
    if (hi != NULL)
        c->hi = hi;
    if (lo == NULL || hi == NULL)
        return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    c->lo[c->n_ranges] = a;
    c->hi[c->n_ranges++] = b;
    return 0;
}

static int read_selection(struct cfg *c, struct ccs_diag *d)
{
    const struct ccs_ynode *one = ccs__ymap_get(c->blk, "date"),
                           *many = ccs__ymap_get(c->blk, "dates");
    if (one != NULL && many != NULL)
        return ccs__yerr(d, CCS_ESCHEMA, many, "give either 'date' or 'dates', not both");
    const struct ccs_ynode *n = many != NULL ? many : one;
    c->sel_node = n;
    c->sel = SEL_FIRST;
    if (n == NULL)
        return 0;
    if (n->kind == CCS_Y_SCALAR && strcmp(n->text, "all") == 0 && n == many) {
        c->sel = SEL_ALL;
        return 0;
    }
    if (n->kind == CCS_Y_SCALAR && strcmp(n->text, "first") == 0 && n == many)
        return 0;
    c->sel = SEL_LIST;
    if (n->kind == CCS_Y_SEQ && n == many) {
        if (n->len == 0)
            return ccs__yerr(d, CCS_ESCHEMA, n, "'dates' must list at least one date");
        for (size_t i = 0; i < n->len; i++) {
            int rc = read_range(c, n->items[i], d);
            if (rc)
                return rc;
        }
        return 0;
    }
    if (n == one && n->kind == CCS_Y_SCALAR && strstr(n->text, "..") != NULL)
        return ccs__yerr(d, CCS_ESCHEMA, n, "'date' names one date; a range goes in 'dates'");
    return read_range(c, n, d);
}

static int read_cfg(const struct ccs_scenario *sc, const struct ccs_ynode *tn, const char *dir,
                    struct cfg *c, struct ccs_diag *d)
{
    static const char *const own[] = {"file",     "format",   "columns",          "queues",
                                      "start",    "on_error", "date",             "dates",
                                      "outcomes", "segments", "priority_segment", "strict_width"};
    enum { N_OWN = sizeof own / sizeof own[0] };
    const char *keys[N_OWN + CCS__IMP_FMT_NKEYS];
    memcpy(keys, own, sizeof own);
    memcpy(keys + N_OWN, ccs__imp_fmt_keys, CCS__IMP_FMT_NKEYS * sizeof *keys);
    static const char *const formats[] = {"csv", "anonymous-bank", NULL};
    static const char *const on_error[] = {"fail", "skip", NULL};
    int rc = ccs__ywant_map(tn, "'trace'", d);
    if (rc || (rc = ccs__ycheck_keys(tn, keys, N_OWN + CCS__IMP_FMT_NKEYS, "trace", d)))
        return rc;
    c->blk = tn;
    c->start = sc->start_time;
    c->strict_width = true; /* a shifted column is worse than a refused row */
    c->ivr_label = "left before queueing";
    int format = 0, skip = 0;
    const char *prio = "priority";
    if ((rc = ccs__yread_string(tn, "file", true, &c->file, d)) ||
        (rc = ccs__yread_choice(tn, "format", false, formats, &format, d)) ||
        (rc = ccs__yread_choice(tn, "on_error", false, on_error, &skip, d)) ||
        (rc = ccs__yread_duration(tn, "start", false, 0, CCS_DAY, &c->start, d)) ||
        (rc = ccs__yread_string(tn, "priority_segment", false, &prio, d)))
        return rc;
    c->skip_bad = skip == 1;
    ccs__imp_path(dir, c->file, c->path, sizeof c->path);
    if (format == 1) {
        if ((rc = preset_bank(c, d)) ||
            (rc = add_outcome(c, "AGENT", OUT_SERVED, NULL, d)) ||
            (rc = add_outcome(c, "HANG", OUT_ABANDONED, NULL, d)) ||
            (rc = add_outcome(c, "PHANTOM", OUT_IGNORE, NULL, d)))
            return rc;
        struct vmap *p = ccs_malloc(sizeof *p);
        if (p == NULL)
            return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
        *p = (struct vmap){"2", 1, 0, prio};
        c->segments = p;
        c->n_segments = 1;
    } else {
        if (ccs__ymap_get(tn, "priority_segment") != NULL)
            return ccs__yerr(d, CCS_ESCHEMA, ccs__ymap_get(tn, "priority_segment"),
                             "'priority_segment' belongs to the anonymous-bank format; map a "
                             "csv's values with 'segments'");
        /* what 'outcome' values meant before they could be mapped */
        static const char *const served[] = {"served", "answered", "agent", "handled"};
        static const char *const ab[] = {"abandoned", "abandon", "hang"};
        for (size_t i = 0; i < 4; i++)
            if ((rc = add_outcome(c, served[i], OUT_SERVED, NULL, d)))
                return rc;
        for (size_t i = 0; i < 3; i++)
            if ((rc = add_outcome(c, ab[i], OUT_ABANDONED, NULL, d)))
                return rc;
    }
    if ((rc = ccs__imp_fmt_read(tn, &c->f, d)) ||
        (rc = ccs__yread_bool(tn, "strict_width", false, &c->strict_width, d)))
        return rc;

    const struct ccs_ynode *cols = ccs__ymap_get(tn, "columns");
    if (cols != NULL) {
        if ((rc = ccs__ywant_map(cols, "'columns'", d)) ||
            (rc = ccs__ycheck_keys(cols, col_keys, N_COLS, "columns", d)))
            return rc;
        for (size_t i = 0; i < cols->len; i++) {
            enum col k = C_DATE;
            while (strcmp(col_keys[k], cols->keys[i]->text) != 0)
                k++;
            if ((rc = set_col(c, k, cols->items[i], d)))
                return rc;
            /* one datetime replaces a preset's date and time, and the reverse */
            if (k == C_DATETIME && ccs__ymap_get(cols, "date") == NULL)
                c->ncols[C_DATE] = 0;
            if (k == C_DATETIME && ccs__ymap_get(cols, "time") == NULL)
                c->ncols[C_TIME] = 0;
            if (k == C_TALK && ccs__ymap_get(cols, "handle") == NULL)
                c->ncols[C_HANDLE] = 0;
        }
    } else if (!c->bank) {
        return ccs__yerr(d, CCS_ESCHEMA, tn,
                         "a csv trace needs 'columns' (at least 'time' or 'datetime')");
    }
    const struct ccs_ynode *at = cols != NULL ? cols : tn;
    if (c->ncols[C_TIME] == 0 && c->ncols[C_DATETIME] == 0)
        return ccs__yerr(d, CCS_ESCHEMA, at, "'columns' needs 'time' or 'datetime' (the arrival)");
    if (c->ncols[C_DATETIME] > 0 && (c->ncols[C_TIME] > 0 || c->ncols[C_DATE] > 0))
        return ccs__yerr(d, CCS_ESCHEMA, c->col_node[C_DATETIME],
                         "give either 'datetime' or 'date' and 'time', not both");
    if (c->ncols[C_HANDLE] > 0 && (c->ncols[C_TALK] > 0 || c->ncols[C_HOLD] > 0))
        return ccs__yerr(d, CCS_ESCHEMA, c->col_node[C_HANDLE],
                         "give either 'handle' or 'talk' (and 'hold'), not both: talk + hold is "
                         "the handle time");
    if (c->ncols[C_HOLD] > 0 && c->ncols[C_TALK] == 0)
        return ccs__yerr(d, CCS_ESCHEMA, c->col_node[C_HOLD],
                         "'hold' adds to 'talk': name the talk column too");
    if (c->ncols[C_DATE] > 0 && !c->f.has_date_fmt)
        return ccs__yerr(d, CCS_ESCHEMA, c->col_node[C_DATE],
                         "a 'date' column needs 'date_format' (one of %s): dates are never "
                         "guessed",
                         ccs__date_fmt_names());

    const struct ccs_ynode *om = ccs__ymap_get(tn, "outcomes");
    if (om != NULL) {
        if ((rc = ccs__ywant_map(om, "'outcomes'", d)))
            return rc;
        for (size_t i = 0; i < om->len; i++) {
            const struct ccs_ynode *v = om->items[i];
            int kind = -1;
            for (int k = 0; v->kind == CCS_Y_SCALAR && outcome_kinds[k] != NULL; k++)
                if (strcmp(v->text, outcome_kinds[k]) == 0)
                    kind = k + 1;
            if (kind < 0)
                return ccs__yerr(d, CCS_ESCHEMA, v,
                                 "outcome '%.40s' must map to served, abandoned or ignore",
                                 om->keys[i]->text);
            if ((rc = add_outcome(c, om->keys[i]->text, kind, om->keys[i], d)))
                return rc;
        }
        c->quiet_ignored = false;
    }

    const struct ccs_ynode *qm = ccs__ymap_get(tn, "queues");
    if (qm != NULL) {
        if ((rc = ccs__ywant_map(qm, "'queues'", d)))
            return rc;
        c->queues = ccs_calloc(qm->len ? qm->len : 1, sizeof *c->queues);
        if (c->queues == NULL)
            return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
        const char *ids[4096];
        size_t nids = sc->n_queues < 4096 ? sc->n_queues : 4096;
        for (size_t q = 0; q < nids; q++)
            ids[q] = sc->queues[q].id;
        for (size_t i = 0; i < qm->len; i++) {
            const struct ccs_ynode *v = qm->items[i];
            if (v->kind != CCS_Y_SCALAR)
                return ccs__yerr(d, CCS_ESCHEMA, v, "'queues' maps a value to a queue id");
            int q = -1;
            for (size_t k = 0; k < sc->n_queues; k++)
                if (strcmp(sc->queues[k].id, v->text) == 0)
                    q = (int)k;
            if (q < 0) {
                const char *close = ccs__closest(v->text, ids, nids);
                return ccs__yerr(d, CCS_ESCHEMA, v, "no queue '%.60s'%s%s%s", v->text,
                                 close ? "; did you mean '" : "", close ? close : "",
                                 close ? "'?" : "");
            }
            c->queues[i] = (struct vmap){qm->keys[i]->text, strlen(qm->keys[i]->text), q, NULL};
        }
        c->n_queues = qm->len;
    }
    const struct ccs_ynode *sm = ccs__ymap_get(tn, "segments");
    if (sm != NULL) {
        if ((rc = ccs__ywant_map(sm, "'segments'", d)))
            return rc;
        free(c->segments);
        c->segments = ccs_calloc(sm->len ? sm->len : 1, sizeof *c->segments);
        if (c->segments == NULL)
            return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
        for (size_t i = 0; i < sm->len; i++) {
            const struct ccs_ynode *v = sm->items[i];
            if (v->kind != CCS_Y_SCALAR)
                return ccs__yerr(d, CCS_ESCHEMA, v, "'segments' maps a value to a segment id");
            c->segments[i] =
                (struct vmap){sm->keys[i]->text, strlen(sm->keys[i]->text), 0, v->text};
        }
        c->n_segments = sm->len;
    }
    if ((rc = read_selection(c, d)))
        return rc;
    c->multi = c->sel == SEL_ALL ||
               (c->sel == SEL_LIST && (c->n_ranges > 1 || c->lo[0] != c->hi[0]));
    if (c->multi && sc->horizon > 25 * 3600) {
        char h[32];
        ccs_format_duration(sc->horizon, h, sizeof h);
        return ccs__yerr(d, CCS_ESCHEMA, c->sel_node,
                         "several dates replay a day each, but the horizon is %s: at most 25h "
                         "(a day when clocks go back)",
                         h);
    }
    bool dated_file = c->ncols[C_DATE] > 0 || c->ncols[C_DATETIME] > 0;
    if (!dated_file && c->sel == SEL_LIST) {
        if (c->n_ranges != 1 || c->lo[0] != c->hi[0])
            return ccs__yerr(d, CCS_ESCHEMA, c->sel_node,
                             "several dates need a 'date' or 'datetime' column to tell them "
                             "apart");
        c->fixed_day = true;
    }
    if (!dated_file && c->sel == SEL_ALL)
        return ccs__yerr(d, CCS_ESCHEMA, c->sel_node,
                         "'dates: all' needs a 'date' or 'datetime' column");
    if (!dated_file && !c->fixed_day && c->f.tz != NULL)
        return ccs__yerr(d, CCS_ESCHEMA, c->f.tz_node,
                         "a 'time_zone' needs dates: a 'date' or 'datetime' column, or the "
                         "'date' the file holds");
    return 0;
}

/* --- the set --------------------------------------------------------------------- */

static void window_free(struct window *w, size_t nq)
{
    for (size_t q = 0; q < nq && w->recs != NULL; q++)
        free(w->recs[q]);
    free(w->recs);
    free(w->n);
    free(w->cap);
}

void ccs__trace_set_free(struct ccs__trace_set *ts)
{
    if (ts == NULL)
        return;
    for (size_t k = 0; k < ts->n_w; k++)
        window_free(&ts->w[k], ts->nq);
    free(ts->w);
    for (size_t i = 0; i < ts->n_agents; i++)
        free(ts->agents[i]);
    free(ts->agents);
    free(ts->file);
    free(ts);
}

size_t ccs__trace_set_count(const struct ccs__trace_set *ts)
{
    return ts->n_w;
}

int32_t ccs__trace_set_day(const struct ccs__trace_set *ts, size_t k)
{
    return ts->w[k].day;
}

/* The window of day `day` (CCS_NO_DAY: the undated one), created if need be. */
static struct window *window_of(struct reader *R, int64_t day)
{
    struct ccs__trace_set *ts = R->ts;
    if (R->last_w < ts->n_w && ts->w[R->last_w].day == day)
        return &ts->w[R->last_w];
    for (size_t k = 0; k < ts->n_w; k++)
        if (ts->w[k].day == day) {
            R->last_w = k;
            return &ts->w[k];
        }
    if (ts->n_w == MAX_DATES)
        return NULL;
    if (ts->n_w == ts->cap_w) {
        size_t cap = ts->cap_w ? 2 * ts->cap_w : 8;
        struct window *p = ccs_realloc(ts->w, cap * sizeof *p);
        if (p == NULL)
            return NULL;
        ts->w = p;
        ts->cap_w = cap;
    }
    struct window *w = &ts->w[ts->n_w];
    memset(w, 0, sizeof *w);
    w->day = (int32_t)day;
    w->recs = ccs_calloc(ts->nq, sizeof *w->recs);
    w->n = ccs_calloc(ts->nq, sizeof *w->n);
    w->cap = ccs_calloc(ts->nq, sizeof *w->cap);
    if (w->recs == NULL || w->n == NULL || w->cap == NULL) {
        window_free(w, ts->nq);
        return NULL;
    }
    R->last_w = ts->n_w++;
    return w;
}

static int push(struct reader *R, struct window *w, size_t q, const struct ccs_trace_rec *rec)
{
    if (w->n[q] == w->cap[q]) {
        size_t cap = w->cap[q] ? w->cap[q] * 2 : 256;
        struct ccs_trace_rec *p =
            R->ts->replayed >= MAX_RECORDS ? NULL : ccs_realloc(w->recs[q], cap * sizeof *p);
        if (p == NULL)
            return ccs_diag_at(R->d, CCS_ENOMEM, R->c->path, 0, 0,
                               "trace too large: out of memory or over %d records",
                               MAX_RECORDS);
        w->recs[q] = p;
        w->cap[q] = cap;
    }
    w->recs[q][w->n[q]++] = *rec;
    w->total++;
    R->ts->replayed++;
    return 0;
}

/* --- one row ----------------------------------------------------------------------- */

static bool selected(const struct reader *R, int64_t day)
{
    switch (R->c->sel) {
    case SEL_ALL:
        return true;
    case SEL_FIRST:
        return R->have_first && day == R->first_day;
    default:
        for (size_t i = 0; i < R->c->n_ranges; i++)
            if (day >= R->c->lo[i] && day <= R->c->hi[i])
                return true;
        return false;
    }
}

/* The UTC instant of day's window start (start clock time on that date). */
static double window_start(struct reader *R, int64_t day)
{
    for (unsigned i = 0; i < WS_CACHE; i++)
        if (R->ws_day[i] == day)
            return R->ws_utc[i];
    unsigned i = R->ws_next++ % WS_CACHE;
    R->ws_day[i] = day;
    /* not through ccs__imp_utc's one-day cache, which the rows use */
    const struct ccs__tz *tz = R->c->f.tz;
    double local = (double)day * CCS_DAY + R->c->start, whole = floor(local);
    R->ws_utc[i] =
        tz == NULL ? local : (double)ccs__tz_to_utc(tz, (int64_t)whole, 0, NULL) + (local - whole);
    return R->ws_utc[i];
}

static uint64_t fnv(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 1099511628211ULL;
    }
    return h;
}

/* The index of agent name s[0..n), added if new; CCS_NO_AGENT on ENOMEM. */
static uint32_t agent_of(struct reader *R, const char *s, size_t n)
{
    struct ccs__trace_set *ts = R->ts;
    if (2 * (ts->n_agents + 1) > R->hcap) {
        size_t cap = R->hcap ? 2 * R->hcap : 64;
        uint32_t *h = ccs_malloc(cap * sizeof *h);
        if (h == NULL)
            return CCS_NO_AGENT;
        for (size_t i = 0; i < cap; i++)
            h[i] = CCS_NO_AGENT;
        for (size_t a = 0; a < ts->n_agents; a++) {
            size_t j = fnv(ts->agents[a], strlen(ts->agents[a])) & (cap - 1);
            while (h[j] != CCS_NO_AGENT)
                j = (j + 1) & (cap - 1);
            h[j] = (uint32_t)a;
        }
        free(R->ahash);
        R->ahash = h;
        R->hcap = cap;
    }
    size_t j = fnv(s, n) & (R->hcap - 1);
    while (R->ahash[j] != CCS_NO_AGENT) {
        const char *name = ts->agents[R->ahash[j]];
        if (strncmp(name, s, n) == 0 && name[n] == '\0')
            return R->ahash[j];
        j = (j + 1) & (R->hcap - 1);
    }
    if ((ts->n_agents & (ts->n_agents - 1)) == 0) { /* grow at powers of two */
        char **p = ccs_realloc(ts->agents, (ts->n_agents ? 2 * ts->n_agents : 1) * sizeof *p);
        if (p == NULL)
            return CCS_NO_AGENT;
        ts->agents = p;
    }
    char *name = ccs_malloc(n + 1);
    if (name == NULL)
        return CCS_NO_AGENT;
    memcpy(name, s, n);
    name[n] = '\0';
    ts->agents[ts->n_agents] = name;
    R->ahash[j] = (uint32_t)ts->n_agents;
    return (uint32_t)ts->n_agents++;
}

/* A customer id: the number when it is one (0 means none), else a hash of the text. */
static uint64_t customer_of(const char *s, size_t n)
{
    while (n > 0 && (*s == ' ' || *s == '\t')) {
        s++;
        n--;
    }
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    if (n > 0 && n <= 19) {
        uint64_t v = 0;
        size_t i = 0;
        while (i < n && s[i] >= '0' && s[i] <= '9')
            v = v * 10 + (uint64_t)(s[i++] - '0');
        if (i == n)
            return v;
    }
    uint64_t h = fnv(s, n);
    return h == 0 ? 1 : h;
}

static int flag_of(const char *s, size_t n)
{
    static const char *const yes[] = {"1", "true", "yes", "y", "t", "x"};
    static const char *const no[] = {"0", "false", "no", "n", "f"};
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        if (eq_nocase(s, n, yes[i], strlen(yes[i])))
            return 1;
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        if (eq_nocase(s, n, no[i], strlen(no[i])))
            return 0;
    return -1;
}

static uint32_t segment_for(const struct ccs_queue_def *qd, const char *name, size_t n)
{
    for (size_t s = 0; name != NULL && s < qd->n_segments; s++)
        if (qd->segments[s].id != NULL && strncmp(qd->segments[s].id, name, n) == 0 &&
            qd->segments[s].id[n] == '\0')
            return (uint32_t)s;
    return 0;
}

/* The value of column k's first (only) column, or NULL when not recorded. */
static const char *field(const struct reader *R, enum col k, size_t *n)
{
    int i = R->idx[k][0];
    if (i < 0 || ccs__imp_missing(&R->c->f, R->r, (size_t)i))
        return NULL;
    *n = ccs__csvr_len(R->r, (size_t)i);
    return ccs__csvr_get(R->r, (size_t)i);
}

/* A duration column, NaN when absent or not recorded. */
static int duration(const struct reader *R, enum col k, const char *what, double *out)
{
    *out = NAN;
    int i = R->idx[k][0];
    if (i < 0 || ccs__imp_missing(&R->c->f, R->r, (size_t)i))
        return 0;
    return ccs__imp_duration(&R->c->f, R->r, (size_t)i, what, out, R->d);
}

/* The row's log date: from the date column (cached by its text) or the datetime. */
static int row_date(struct reader *R, int64_t *day)
{
    const struct ccs__csvr *r = R->r;
    size_t i = (size_t)R->idx[C_DATE][0];
    const char *s = ccs__csvr_get(r, i);
    size_t n = ccs__csvr_len(r, i);
    if (n == R->date_len && n > 0 && memcmp(s, R->date_text, n) == 0) {
        *day = R->date_day;
        return 0;
    }
    if (ccs__imp_missing(&R->c->f, r, i))
        return ccs__csvr_bad(r, i, R->d, CCS_EPARSE, "date", "the date is not recorded");
    int rc = ccs__imp_date(&R->c->f, r, i, day, R->d);
    if (rc == 0 && n < sizeof R->date_text) {
        memcpy(R->date_text, s, n);
        R->date_len = n;
        R->date_day = *day;
    }
    return rc;
}

static int row(struct reader *R)
{
    struct cfg *c = R->c;
    const struct ccs__csvr *r = R->r;
    struct ccs_diag *d = R->d;
    struct ccs__trace_set *ts = R->ts;
    int rc;
    if (c->strict_width && ccs__csvr_nfields(r) != ccs__csvr_ncols(r)) {
        size_t nf = ccs__csvr_nfields(r), nc = ccs__csvr_ncols(r);
        long line, col;
        ccs__csvr_where(r, nf > nc ? nc : nf, &line, &col);
        return ccs_diag_at(d, CCS_EPARSE, c->path, (int)line, (int)col,
                           "row has %zu fields, the header %zu%s", nf, nc,
                           nf > nc ? " (an unquoted separator inside a value?)" : "");
    }

    /* the arrival: the first recorded of the time (or datetime) columns */
    enum col tk = c->ncols[C_DATETIME] > 0 ? C_DATETIME : C_TIME;
    size_t alt = 0;
    while (alt < c->ncols[tk] && ccs__imp_missing(&c->f, r, (size_t)R->idx[tk][alt]))
        alt++;
    bool dated = c->ncols[C_DATE] > 0 || c->ncols[C_DATETIME] > 0 || c->fixed_day;
    int64_t day = CCS_NO_DAY;
    struct ccs__datetime dt = {0, 0, false, 0};
    if (alt == c->ncols[tk])
        return ccs__csvr_bad(r, (size_t)R->idx[tk][0], d, CCS_EPARSE,
                             tk == C_DATETIME ? "date and time" : "time",
                             c->ncols[tk] > 1 ? "no arrival time is recorded in any of its "
                                                "columns"
                                              : "the arrival time is not recorded");
    if (tk == C_DATETIME) {
        if ((rc = ccs__imp_datetime(&c->f, r, (size_t)R->idx[tk][alt], &dt, d)))
            return rc;
        if (dt.has_offset && c->f.tz == NULL)
            return ccs__csvr_bad(r, (size_t)R->idx[tk][alt], d, CCS_EPARSE, "date and time",
                                 "it carries a UTC offset: declare the center's 'time_zone'");
        day = dt.day;
    } else if (c->ncols[C_DATE] > 0) {
        if ((rc = row_date(R, &day)))
            return rc;
    } else if (c->fixed_day) {
        day = c->lo[0];
    }
    if (dated) {
        if (!R->have_first) {
            R->have_first = true;
            R->first_day = day;
        }
        if (!R->any_day || day < R->min_day)
            R->min_day = day;
        if (!R->any_day || day > R->max_day)
            R->max_day = day;
        R->any_day = true;
        /* cheap rejection of other dates, before the rest of the row is read */
        if (c->sel != SEL_ALL && !selected(R, day)) {
            int64_t span = (int64_t)ceil((c->start + R->sc->horizon) / CCS_DAY) + 1;
            bool near = false;
            for (int64_t w = day - span; w <= day + 1 && !near; w++)
                near = selected(R, w);
            if (!near) {
                ts->other_dates++;
                return 0;
            }
        } else if (window_of(R, day) == NULL) {
            return ccs_diag_at(d, CCS_ENOMEM, c->path, 0, 0,
                               "out of memory, or more than %d dates", MAX_DATES);
        }
    }

    /* the arrival time, and the replayed dates whose window holds it */
    double since;
    if (tk == C_DATETIME) {
        since = dt.sec;
    } else if ((rc = ccs__imp_time(&c->f, r, (size_t)R->idx[tk][alt], dated, &since, d))) {
        return rc;
    }
    double horizon = R->sc->horizon, wt[MAX_PLACES];
    int64_t wday[MAX_PLACES];
    size_t nw = 0;
    if (!dated) {
        wt[0] = since - c->start;
        wday[0] = CCS_NO_DAY;
        nw = wt[0] >= 0 && wt[0] < horizon;
    } else {
        double local = (double)day * CCS_DAY + since;
        double utc = dt.has_offset ? local - dt.offset : ccs__imp_utc(&c->f, local);
        /* the windows that may hold it: local and UTC differ by the day's offset,
           which changes by at most a couple of hours */
        double first = floor((local - c->start - horizon - 7200) / CCS_DAY),
               last = floor((local - c->start + 7200) / CCS_DAY);
        for (double wd = first; wd <= last && nw < MAX_PLACES; wd++) {
            if (!selected(R, (int64_t)wd))
                continue;
            double ws = window_start(R, (int64_t)wd), t = utc - ws;
            if (t < 0 || t >= horizon)
                continue;
            /* several dates: each ends where the next begins (a 23-hour day) */
            double len = c->multi ? fmin(horizon, window_start(R, (int64_t)wd + 1) - ws) : horizon;
            if (t < len) {
                wt[nw] = t;
                wday[nw++] = (int64_t)wd;
            }
        }
        if (nw == 0 && !selected(R, day)) { /* a neighbour's row that stays there */
            ts->other_dates++;
            return 0;
        }
    }

    /* the outcome */
    int outcome = OUT_NONE;
    size_t n;
    const char *s = c->ncols[C_OUTCOME] > 0 ? field(R, C_OUTCOME, &n) : NULL;
    if (s != NULL) {
        for (size_t k = 0; k < c->n_outcomes && outcome == OUT_NONE; k++)
            if (eq_nocase(c->outcomes[k].value, c->outcomes[k].len, s, n))
                outcome = c->outcomes[k].target;
        if (outcome == OUT_NONE) {
            char known[300];
            size_t used = 0;
            known[0] = '\0';
            for (size_t k = 0; k < c->n_outcomes && used + 60 < sizeof known; k++)
                used += (size_t)snprintf(known + used, sizeof known - used, "%s'%.40s'",
                                         k ? ", " : "", c->outcomes[k].value);
            char why[400];
            snprintf(why, sizeof why, "not mapped by 'outcomes' (mapped: %s)", known);
            return ccs__csvr_bad(r, (size_t)R->idx[C_OUTCOME][0], d, CCS_EPARSE, "outcome",
                                 why);
        }
        if (outcome == OUT_IGNORE) {
            ts->ignored++;
            return 0;
        }
    }
    if (alt > 0 && outcome == OUT_ABANDONED) { /* gave up before the queue */
        ts->ivr++;
        return 0;
    }

    /* the queue */
    int q = -1;
    s = c->ncols[C_QUEUE] > 0 ? field(R, C_QUEUE, &n) : NULL;
    if (c->ncols[C_QUEUE] == 0) {
        q = R->sc->n_queues == 1 ? 0 : -1;
    } else if (s != NULL && c->queues != NULL) {
        for (size_t k = 0; k < c->n_queues && q < 0; k++)
            if (c->queues[k].len == n && memcmp(c->queues[k].value, s, n) == 0)
                q = c->queues[k].target;
    } else if (s != NULL) {
        for (size_t k = 0; k < R->sc->n_queues && q < 0; k++)
            if (strncmp(R->sc->queues[k].id, s, n) == 0 && R->sc->queues[k].id[n] == '\0')
                q = (int)k;
    }
    if (q < 0) {
        ts->unmapped++;
        return 0;
    }

    /* durations */
    struct ccs_trace_rec rec = {0, NAN, NAN, NAN, NAN, 0, (int32_t)CCS_NO_DAY, CCS_NO_AGENT,
                                0, (uint32_t)ccs__csvr_line(r), false};
    double wait, handle, talk, hold;
    if ((rc = duration(R, C_WAIT, "wait", &wait)) ||
        (rc = duration(R, C_HANDLE, "handle time", &handle)) ||
        (rc = duration(R, C_TALK, "talk time", &talk)) ||
        (rc = duration(R, C_HOLD, "hold time", &hold)) ||
        (rc = duration(R, C_WRAP, "after-call work", &rec.wrap)))
        return rc;
    if (nw == 0) {
        ts->outside++;
        return 0;
    }
    if (R->sc->queues[q].arrivals.kind != CCS_ARR_TRACE)
        return ccs_diag_at(d, CCS_ESCHEMA, c->path, (int)rec.line, 1,
                           "this row feeds queue '%s', whose arrivals are not 'trace'",
                           R->sc->queues[q].id);
    if (c->ncols[C_TALK] > 0 && !(isnan(talk) && isnan(hold)))
        handle = (isnan(talk) ? 0 : talk) + (isnan(hold) ? 0 : hold);
    if (handle > 0)
        rec.work = handle;
    if (alt > 0)
        wait = 0; /* reached an agent without queueing */
    if (outcome == OUT_ABANDONED && !isnan(wait))
        rec.patience = wait;
    else if (outcome == OUT_SERVED)
        rec.waited = isnan(wait) ? 0 : wait;
    if (c->ncols[C_SEGMENT] > 0 && (s = field(R, C_SEGMENT, &n)) != NULL) {
        const char *name = s;
        size_t len = n;
        for (size_t k = 0; k < c->n_segments; k++)
            if (c->segments[k].len == n && memcmp(c->segments[k].value, s, n) == 0) {
                name = c->segments[k].name;
                len = strlen(name);
                break;
            }
        rec.segment = segment_for(&R->sc->queues[q], name, len);
    }
    if (c->ncols[C_AGENT] > 0 && (s = field(R, C_AGENT, &n)) != NULL &&
        (rec.agent = agent_of(R, s, n)) == CCS_NO_AGENT)
        return ccs_diag_at(d, CCS_ENOMEM, c->path, 0, 0, "out of memory");
    if (c->ncols[C_CUSTOMER] > 0 && (s = field(R, C_CUSTOMER, &n)) != NULL)
        rec.customer = customer_of(s, n);
    if (c->ncols[C_TRANSFER] > 0 && (s = field(R, C_TRANSFER, &n)) != NULL) {
        int fl = flag_of(s, n);
        if (fl < 0)
            return ccs__csvr_bad(r, (size_t)R->idx[C_TRANSFER][0], d, CCS_EPARSE,
                                 "transfer flag", "expected yes/no, true/false or 1/0");
        rec.transfer = fl == 1;
    }
    rec.day = dated ? (int32_t)day : (int32_t)CCS_NO_DAY;
    for (size_t k = 0; k < nw; k++) {
        struct window *w = window_of(R, wday[k]);
        if (w == NULL)
            return ccs_diag_at(d, CCS_ENOMEM, c->path, 0, 0, "out of memory");
        rec.t = wt[k];
        if ((rc = push(R, w, (size_t)q, &rec)))
            return rc;
    }
    return 0;
}

/* A row, or a bad row counted (on_error: skip) with the first one remembered. */
static int row_or_skip(struct reader *R)
{
    struct ccs_diag own, *keep = R->d;
    if (!R->c->skip_bad)
        return row(R);
    ccs_diag_clear(&own);
    R->d = &own;
    int rc = row(R);
    R->d = keep;
    if (rc == 0)
        return 0;
    if (rc == CCS_ENOMEM || rc == CCS_ESCHEMA) { /* not the row's fault */
        snprintf(keep->msg, sizeof keep->msg, "%s", own.msg);
        keep->code = rc;
        return rc;
    }
    if (R->ts->skipped++ == 0) {
        /* "FILE:L:C: error: what" -> "FILE:L:C: what" */
        char *e = strstr(own.msg, ": error: ");
        if (e != NULL)
            memmove(e + 2, e + 9, strlen(e + 9) + 1);
        own.msg[sizeof R->ts->first_skip - 1] = '\0';
        memcpy(R->ts->first_skip, own.msg, sizeof R->ts->first_skip);
    }
    return 0;
}

/* --- the file ----------------------------------------------------------------------- */

static int cmp_rec(const void *x, const void *y)
{
    const struct ccs_trace_rec *a = x, *b = y;
    if (a->t != b->t)
        return a->t < b->t ? -1 : 1;
    return (a->line > b->line) - (a->line < b->line);
}

static int cmp_window(const void *x, const void *y)
{
    const struct window *a = x, *b = y;
    return (a->day > b->day) - (a->day < b->day);
}

/* Records by time (a log in time order is already sorted: checked, not sorted again). */
static void sort_records(struct ccs_trace_rec *v, size_t n)
{
    for (size_t i = 1; i < n; i++)
        if (cmp_rec(&v[i - 1], &v[i]) > 0) {
            qsort(v, n, sizeof *v, cmp_rec);
            return;
        }
}

static void day_list(const struct cfg *c, char *buf, size_t cap)
{
    char a[16], b[16];
    ccs__imp_day_text(c->lo[0], a, sizeof a);
    ccs__imp_day_text(c->hi[c->n_ranges - 1], b, sizeof b);
    if (c->n_ranges == 1 && c->lo[0] == c->hi[0])
        snprintf(buf, cap, "%s", a);
    else
        snprintf(buf, cap, "%s to %s", a, b);
}

int ccs__trace_read(const struct ccs_scenario *sc, const struct ccs_ynode *tn, const char *dir,
                    struct ccs__trace_set **out, struct ccs_diag *d)
{
    *out = NULL;
    struct cfg c;
    memset(&c, 0, sizeof c);
    ccs__imp_fmt_init(&c.f);
    struct reader R;
    memset(&R, 0, sizeof R);
    for (unsigned i = 0; i < WS_CACHE; i++)
        R.ws_day[i] = INT64_MIN;
    int rc = read_cfg(sc, tn, dir, &c, d);
    struct ccs__trace_set *ts = rc ? NULL : ccs_calloc(1, sizeof *ts);
    if (rc == 0 && (ts == NULL || (ts->file = ccs__strdup(c.file)) == NULL))
        rc = ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    if (rc == 0) {
        ts->nq = sc->n_queues;
        ts->bank = c.bank;
        ts->quiet_ignored = c.quiet_ignored;
        ts->ivr_label = c.ivr_label;
        ts->dated = c.ncols[C_DATE] > 0 || c.ncols[C_DATETIME] > 0 || c.fixed_day;
        R = (struct reader){.c = &c, .sc = sc, .d = d, .ts = ts};
        for (unsigned i = 0; i < WS_CACHE; i++)
            R.ws_day[i] = INT64_MIN;
        rc = ccs__imp_open(c.path, &c.f.dl, ccs__ymap_get(tn, "file"), &R.r, d);
    }
    for (int k = 0; rc == 0 && k < N_COLS; k++)
        for (size_t a = 0; a < MAX_ALT; a++) {
            R.idx[k][a] = -1;
            size_t i;
            if (a < c.ncols[k]) {
                if ((rc = ccs__csvr_need(R.r, c.cols[k][a], &i, d)) != 0)
                    break;
                R.idx[k][a] = (int)i;
            }
        }
    if (rc == 0 && c.ncols[C_QUEUE] == 0 && sc->n_queues != 1)
        rc = ccs__yerr(d, CCS_ESCHEMA, c.col_node[C_TIME] ? c.col_node[C_TIME] : tn,
                       "with several queues the trace needs a 'queue' column");
    while (rc == 0 && ccs__csvr_next(R.r, d))
        rc = row_or_skip(&R);
    if (rc == 0 && R.r != NULL)
        rc = ccs__csvr_status(R.r);
    ccs__csvr_free(R.r);
    free(R.ahash);
    if (rc == 0 && c.sel == SEL_LIST && !c.fixed_day && ts->n_w == 0) {
        char want[64], have[80] = "it has no rows";
        day_list(&c, want, sizeof want);
        if (R.any_day) {
            char a[16], b[16];
            ccs__imp_day_text(R.min_day, a, sizeof a);
            ccs__imp_day_text(R.max_day, b, sizeof b);
            if (R.min_day == R.max_day)
                snprintf(have, sizeof have, "all its rows are of %s", a);
            else
                snprintf(have, sizeof have, "its dates run from %s to %s", a, b);
        }
        rc = ccs__yerr(d, CCS_ESCHEMA, c.sel_node, "no row of '%s' has the date %s (%s)",
                       c.file, want, have);
    }
    if (rc == 0 && !ts->dated && ts->n_w == 0 && window_of(&R, CCS_NO_DAY) == NULL)
        rc = ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    cfg_release(&c);
    if (rc != 0) {
        ccs__trace_set_free(ts);
        return rc;
    }
    if (ts->n_w > 1) /* qsort(NULL, 0) is undefined behaviour */
        qsort(ts->w, ts->n_w, sizeof *ts->w, cmp_window);
    for (size_t k = 0; k < ts->n_w; k++)
        for (size_t q = 0; q < ts->nq; q++)
            sort_records(ts->w[k].recs[q], ts->w[k].n[q]);
    *out = ts;
    return 0;
}

/* The file's counts: "0 rows of unmapped types, 2 outside the horizon, ..." */
static void counts(const struct ccs__trace_set *ts, char *buf, size_t cap)
{
    size_t n = 0;
#define ADD(...)                                                                               \
    do {                                                                                       \
        int w_ = snprintf(buf + n, n < cap ? cap - n : 0, __VA_ARGS__);                        \
        if (w_ > 0)                                                                            \
            n += (size_t)w_;                                                                   \
        if (n >= cap)                                                                          \
            n = cap - 1;                                                                       \
    } while (0)
    ADD("%zu rows of unmapped types, %zu outside the horizon", ts->unmapped, ts->outside);
    if (ts->bank || ts->ivr > 0)
        ADD(", %zu %s", ts->ivr, ts->ivr_label);
    if (ts->other_dates > 0)
        ADD(", %zu of other dates", ts->other_dates);
    if (ts->ignored > 0 && !ts->quiet_ignored)
        ADD(", %zu ignored by 'outcomes'", ts->ignored);
    if (ts->skipped > 0)
        ADD("; %zu bad rows skipped (first: %s)", ts->skipped, ts->first_skip);
#undef ADD
}

/*
 * The one-line accounts: of date k, and (several dates) of them all, which
 * the pooled report prints.
 */
static int note(struct ccs_scenario *sc, const struct ccs__trace_set *ts, size_t k)
{
    char rest[1000], buf[1400];
    counts(ts, rest, sizeof rest);
    const struct window *w = &ts->w[k];
    free(sc->trace_note);
    free(sc->trace_pool_note);
    sc->trace_pool_note = NULL;
    if (ts->n_w > 1) {
        char day[16], a[16], b[16];
        ccs__imp_day_text(w->day, day, sizeof day);
        ccs__imp_day_text(ts->w[0].day, a, sizeof a);
        ccs__imp_day_text(ts->w[ts->n_w - 1].day, b, sizeof b);
        snprintf(buf, sizeof buf, "trace %s, %s: %zu contacts replayed, of %zu on %zu dates; %s",
                 ts->file, day, w->total, ts->replayed, ts->n_w, rest);
        sc->trace_note = ccs__strdup(buf);
        snprintf(buf, sizeof buf, "trace %s: %zu contacts replayed on %zu dates (%s to %s); %s",
                 ts->file, ts->replayed, ts->n_w, a, b, rest);
        sc->trace_pool_note = ccs__strdup(buf);
        return sc->trace_note == NULL || sc->trace_pool_note == NULL ? CCS_ENOMEM : 0;
    }
    snprintf(buf, sizeof buf, "trace %s: %zu contacts replayed; %s", ts->file, w->total, rest);
    sc->trace_note = ccs__strdup(buf);
    return sc->trace_note == NULL ? CCS_ENOMEM : 0;
}

int ccs__trace_give(struct ccs_scenario *sc, struct ccs__trace_set *ts, size_t k,
                    struct ccs_diag *d)
{
    if (k >= ts->n_w || ts->w[k].given || ts->nq != sc->n_queues)
        return ccs_diag_at(d, CCS_EINVAL, NULL, 0, 0, "trace date %zu is not available", k);
    struct window *w = &ts->w[k];
    sc->trace_agents = ccs_calloc(ts->n_agents ? ts->n_agents : 1, sizeof *sc->trace_agents);
    if (sc->trace_agents == NULL || note(sc, ts, k) != 0)
        return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t i = 0; i < ts->n_agents; i++) {
        if ((sc->trace_agents[i] = ccs__strdup(ts->agents[i])) == NULL)
            return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
        sc->n_trace_agents = i + 1;
    }
    for (size_t q = 0; q < sc->n_queues; q++) {
        struct ccs_arrivals *a = &sc->queues[q].arrivals;
        if (a->kind != CCS_ARR_TRACE)
            continue;
        /* the exact size: the records stay as long as the scenario */
        struct ccs_trace_rec *p = w->recs[q];
        if (w->n[q] > 0 && w->n[q] < w->cap[q]) {
            struct ccs_trace_rec *s = ccs_realloc(p, w->n[q] * sizeof *p);
            if (s != NULL)
                p = s;
        }
        a->trace = p;
        a->n_trace = w->n[q];
        w->recs[q] = NULL;
    }
    w->given = true;
    sc->trace_skipped = ts->skipped;
    if (w->day != CCS_NO_DAY) {
        sc->dated = true;
        sc->date = w->day;
        sc->start_day = ccs__weekday(w->day);
        ccs__imp_day_text(w->day, sc->date_text, sizeof sc->date_text);
    }
    return 0;
}

int ccs__trace_give_one(struct ccs_scenario *sc, struct ccs__trace_set *ts,
                        const struct ccs_ynode *tn, struct ccs_diag *d)
{
    if (ts->n_w > 1) {
        char a[16], b[16];
        ccs__imp_day_text(ts->w[0].day, a, sizeof a);
        ccs__imp_day_text(ts->w[ts->n_w - 1].day, b, sizeof b);
        const struct ccs_ynode *at = ccs__ymap_get(tn, "dates");
        return ccs__yerr(d, CCS_ESCHEMA, at ? at : tn,
                         "the trace holds %zu dates (%s to %s) but one is replayed here: "
                         "choose it with 'dates' (e.g. dates: %s); 'ccsim run' replays several",
                         ts->n_w, a, b, a);
    }
    if (ts->n_w == 1)
        return ccs__trace_give(sc, ts, 0, d);
    /* a dated trace with no row of the first date: nothing to replay, but say so */
    char buf[600];
    snprintf(buf, sizeof buf,
             "trace %s: 0 contacts replayed; %zu rows of unmapped types, %zu outside the "
             "horizon",
             ts->file, ts->unmapped, ts->outside);
    free(sc->trace_note);
    sc->trace_note = ccs__strdup(buf);
    return sc->trace_note == NULL ? ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory") : 0;
}

int ccs__trace_load(struct ccs_scenario *sc, const struct ccs_ynode *tn, const char *dir,
                    struct ccs_diag *d)
{
    struct ccs__trace_set *ts;
    int rc = ccs__trace_read(sc, tn, dir, &ts, d);
    if (rc != 0)
        return rc;
    rc = ccs__trace_give_one(sc, ts, tn, d);
    ccs__trace_set_free(ts);
    return rc;
}
