/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * report_sweep.c - a sweep's results: sweep.csv (tidy, one row per point x
 * scope x KPI with the point's swept values as columns), sweep.json, and a
 * one-line-per-point table of headline KPIs. Numbers use the shared
 * spellings (textout.h), so the same sweep gives byte-identical files.
 * docs/sweep.md describes every format.
 */
#include "ccs/report.h"
#include "ccs/sweep.h"

#include "fmt/textout.h"
#include "out/report_util.h"
#include "model/scenario.h"
#include "ccs/mem.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *streams_name(enum ccs_sweep_streams s)
{
    return s == CCS_STREAMS_COMMON ? "common" : "independent";
}

/* --- CSV ------------------------------------------------------------------------------------ */

static const char *const fixed_columns[] = {
    "point",   "name",      "scope",   "queue",          "segment",     "group",
    "metric",  "unit",      "replications", "n",         "mean",        "halfwidth",
    "ci_low",  "ci_high",   "diff_n",  "diff",           "diff_halfwidth", "diff_ci_low",
    "diff_ci_high", "verdict"};

/* A swept path as a column name: "set." in front when it would clash with ours. */
static void column_name(FILE *f, const char *path)
{
    for (size_t i = 0; i < sizeof fixed_columns / sizeof fixed_columns[0]; i++)
        if (strcmp(path, fixed_columns[i]) == 0) {
            fputs("set.", f);
            break;
        }
    ccs__csv_field(f, path);
}

static void csv_num(FILE *f, double v)
{
    fputc(',', f);
    ccs__out_num(f, v, "");
}

/* ,n,mean,...[,diff_n,...,verdict] and the end of the line. */
static void csv_stats(FILE *f, const struct ccs_sweep_row *r, bool pair)
{
    csv_num(f, r->n);
    csv_num(f, r->mean);
    csv_num(f, r->halfwidth);
    csv_num(f, r->mean - r->halfwidth);
    csv_num(f, r->mean + r->halfwidth);
    if (pair) {
        csv_num(f, r->diff_n);
        csv_num(f, r->diff);
        csv_num(f, r->diff_halfwidth);
        csv_num(f, r->diff - r->diff_halfwidth);
        csv_num(f, r->diff + r->diff_halfwidth);
        fputc(',', f);
        ccs__csv_field(f, ccs_verdict_name(r->verdict));
    }
    fputc('\n', f);
}

/*
 * Point p's channel row i as a row of the writers: its statistics, the
 * channel in key.queue and the metric in key.kpi (scope left overall: the
 * writers spell "channel" themselves). Returns the unit's name.
 */
static const char *channel_row(const struct ccs_sweep *s, size_t p, size_t i,
                               struct ccs_sweep_row *r)
{
    struct ccs_sweep_channel_row c;
    ccs_sweep_point_channel_row(s, p, i, &c);
    memset(r, 0, sizeof *r);
    r->key.queue = (int32_t)c.channel;
    r->key.kpi = (uint16_t)c.kpi;
    r->key.segment = r->key.group = r->key.interval = -1;
    r->n = c.n;
    r->mean = c.mean;
    r->halfwidth = c.halfwidth;
    r->diff_n = c.diff_n;
    r->diff = c.diff;
    r->diff_halfwidth = c.diff_halfwidth;
    r->verdict = c.verdict;
    return ccs__unit_name(ccs_kpi_info(c.kpi)->unit);
}

int ccs_report_sweep_csv(FILE *f, const struct ccs_sweep *s)
{
    bool pair = ccs_sweep_baseline(s) >= 0;
    size_t nc = ccs_sweep_column_count(s);
    fputs("point,name", f);
    for (size_t c = 0; c < nc; c++) {
        fputc(',', f);
        column_name(f, ccs_sweep_column(s, c));
    }
    fputs(",scope,queue,segment,group,metric,unit,replications,n,mean,halfwidth,ci_low,ci_high", f);
    if (pair)
        fputs(",diff_n,diff,diff_halfwidth,diff_ci_low,diff_ci_high,verdict", f);
    fputc('\n', f);
    for (size_t p = 0; p < ccs_sweep_point_count(s); p++) {
        const struct ccs_scenario *sc = ccs_sweep_row_scenario(s, p);
        for (size_t i = 0; i < ccs_sweep_point_rows(s, p); i++) {
            struct ccs_sweep_row r;
            ccs_sweep_point_row(s, p, i, &r);
            const struct ccs_kpi_info *info = ccs_kpi_info((enum ccs_kpi)r.key.kpi);
            fprintf(f, "%zu,", p);
            ccs__csv_field(f, ccs_sweep_point_name(s, p));
            for (size_t c = 0; c < nc; c++) {
                fputc(',', f);
                ccs__csv_field(f, ccs_sweep_point_value(s, p, c));
            }
            fputc(',', f);
            ccs__csv_field(f, ccs_scope_name((enum ccs_scope)r.key.scope));
            fputc(',', f);
            ccs__csv_field(f, ccs__report_queue_name(sc, r.key.queue));
            fputc(',', f);
            ccs__csv_field(f, ccs__report_segment_name(sc, r.key.queue, r.key.segment));
            fputc(',', f);
            ccs__csv_field(f, ccs__report_group_name(sc, r.key.group));
            fputc(',', f);
            ccs__csv_field(f, info->id);
            fputc(',', f);
            ccs__csv_field(f, ccs__unit_name(info->unit));
            fprintf(f, ",%u", ccs_sweep_point_replications(s, p));
            csv_stats(f, &r, pair);
        }
        for (size_t i = 0; i < ccs_sweep_point_channel_rows(s, p); i++) {
            struct ccs_sweep_row r;
            const char *unit = channel_row(s, p, i, &r);
            fprintf(f, "%zu,", p);
            ccs__csv_field(f, ccs_sweep_point_name(s, p));
            for (size_t c = 0; c < nc; c++) {
                fputc(',', f);
                ccs__csv_field(f, ccs_sweep_point_value(s, p, c));
            }
            /* scope "channel", the channel's name in the queue column, as summary.csv */
            fprintf(f, ",channel,%s,,,%s,%s,%u", ccs__channel_name((enum ccs_channel)r.key.queue),
                    ccs_kpi_info((enum ccs_kpi)r.key.kpi)->id, unit,
                    ccs_sweep_point_replications(s, p));
            csv_stats(f, &r, pair);
        }
    }
    return ccs__out_status(f);
}

/* --- wide files: replications.csv, intervals.csv ------------------------------------------- */

/*
 * One column per KPI key, named by ccs__report_key_column, in order of
 * first appearance over the points (points may differ in queues or
 * segments: a point lacking a column leaves it empty). Mapping a point's
 * keys to columns is done again only when its keys or ids differ from the
 * previous point's.
 */
struct cols {
    char **name;
    size_t n, cap;
    size_t *map;                    /* column of each key of `last` */
    size_t n_keys, map_cap;
    const struct ccs_scenario *last;
    double *row;                    /* n values (or 2n: mean, half-width) */
};

static void cols_release(struct cols *c)
{
    for (size_t i = 0; i < c->n; i++)
        free(c->name[i]);
    free(c->name);
    free(c->map);
    free(c->row);
}

/* The keys a wide file has of sc: whole-run ones, or one interval's block. */
static const struct ccs_key *keys_of(const struct ccs_scenario *sc, bool block, size_t *n)
{
    *n = block ? sc->layout->n_block : sc->layout->n_whole;
    return block ? sc->layout->block : sc->layout->keys;
}

static bool same_ids(const struct ccs_scenario *a, const struct ccs_scenario *b)
{
    if (a->n_queues != b->n_queues || a->n_groups != b->n_groups)
        return false;
    for (size_t q = 0; q < a->n_queues; q++) {
        if (strcmp(a->queues[q].id, b->queues[q].id) != 0 ||
            a->queues[q].n_segments != b->queues[q].n_segments)
            return false;
        for (size_t g = 0; g < a->queues[q].n_segments; g++)
            if (strcmp(ccs__report_segment_name(a, (int)q, (int)g),
                       ccs__report_segment_name(b, (int)q, (int)g)) != 0)
                return false;
    }
    for (size_t g = 0; g < a->n_groups; g++)
        if (strcmp(a->groups[g].id, b->groups[g].id) != 0)
            return false;
    return true;
}

/* Map sc's keys to columns (adding missing ones when add). 0 or CCS_ENOMEM. */
static int cols_map(struct cols *c, const struct ccs_scenario *sc, bool block, bool add)
{
    size_t nk, lk;
    const struct ccs_key *k = keys_of(sc, block, &nk);
    if (c->last != NULL) {
        const struct ccs_key *l = keys_of(c->last, block, &lk);
        if (c->last == sc || (lk == nk && memcmp(l, k, nk * sizeof *k) == 0 && same_ids(sc, c->last)))
            return 0;
    }
    c->last = NULL;
    if (nk > c->map_cap) {
        size_t *m = ccs_realloc(c->map, nk * sizeof *m);
        if (m == NULL)
            return CCS_ENOMEM;
        c->map = m;
        c->map_cap = nk;
    }
    char name[512];
    for (size_t i = 0; i < nk; i++) {
        ccs__report_key_column(name, sizeof name, sc, &k[i]);
        size_t j = 0;
        while (j < c->n && strcmp(c->name[j], name) != 0)
            j++;
        if (j == c->n) {
            if (!add)
                return CCS_ESTATE; /* cannot happen: the columns come from every point */
            if (c->n == c->cap) {
                size_t cap = c->cap ? 2 * c->cap : 64;
                char **nn = ccs_realloc(c->name, cap * sizeof *nn);
                if (nn == NULL)
                    return CCS_ENOMEM;
                c->name = nn;
                c->cap = cap;
            }
            if ((c->name[c->n] = ccs_strdup(name)) == NULL)
                return CCS_ENOMEM;
            c->n++;
        }
        c->map[i] = j;
    }
    c->n_keys = nk;
    c->last = sc;
    return 0;
}

/* Every point's columns, and room for a row of them. */
static int cols_build(struct cols *c, const struct ccs_sweep *s, bool block)
{
    memset(c, 0, sizeof *c);
    for (size_t p = 0; p < ccs_sweep_point_count(s); p++)
        if (cols_map(c, ccs_sweep_point_scenario(s, p), block, true) != 0)
            return CCS_ENOMEM;
    c->last = NULL;
    c->row = ccs_malloc((2 * c->n + 1) * sizeof *c->row);
    return c->row != NULL ? 0 : CCS_ENOMEM;
}

/* point,name,the swept values, */
static void point_head(FILE *f, const struct ccs_sweep *s, size_t p)
{
    fprintf(f, "%zu,", p);
    ccs__csv_field(f, ccs_sweep_point_name(s, p));
    for (size_t c = 0; c < ccs_sweep_column_count(s); c++) {
        fputc(',', f);
        ccs__csv_field(f, ccs_sweep_point_value(s, p, c));
    }
}

static void swept_header(FILE *f, const struct ccs_sweep *s)
{
    fputs("point,name", f);
    for (size_t c = 0; c < ccs_sweep_column_count(s); c++) {
        fputc(',', f);
        column_name(f, ccs_sweep_column(s, c));
    }
}

int ccs_report_sweep_replications_csv(FILE *f, const struct ccs_sweep *s)
{
    if (!(ccs_sweep_outputs(s) & CCS_SWEEP_OUT_REPLICATIONS))
        return CCS_ESTATE;
    struct cols c;
    if (cols_build(&c, s, false) != 0) {
        cols_release(&c);
        return CCS_ENOMEM;
    }
    swept_header(f, s);
    fputs(",replication", f);
    for (size_t j = 0; j < c.n; j++) {
        fputc(',', f);
        ccs__csv_field(f, c.name[j]);
    }
    fputc('\n', f);
    int rc = 0;
    for (size_t p = 0; rc == 0 && p < ccs_sweep_point_count(s); p++) {
        if ((rc = cols_map(&c, ccs_sweep_point_scenario(s, p), false, false)) != 0)
            break;
        for (uint32_t r = 0; r < ccs_sweep_point_replications(s, p); r++) {
            for (size_t j = 0; j < c.n; j++)
                c.row[j] = NAN;
            for (size_t k = 0; k < c.n_keys; k++)
                c.row[c.map[k]] = ccs_sweep_point_rep_value(s, p, r, k);
            point_head(f, s, p);
            fprintf(f, ",%u", r);
            for (size_t j = 0; j < c.n; j++)
                csv_num(f, c.row[j]);
            fputc('\n', f);
        }
    }
    cols_release(&c);
    return rc != 0 ? rc : ccs__out_status(f);
}

int ccs_report_sweep_intervals_csv(FILE *f, const struct ccs_sweep *s)
{
    if (!(ccs_sweep_outputs(s) & CCS_SWEEP_OUT_INTERVALS))
        return CCS_ESTATE;
    struct cols c;
    if (cols_build(&c, s, true) != 0) {
        cols_release(&c);
        return CCS_ENOMEM;
    }
    swept_header(f, s);
    fputs(",interval,start_s,end_s", f);
    for (size_t j = 0; j < c.n; j++) {
        fputc(',', f);
        ccs__csv_field(f, c.name[j]);
        char hw[600]; /* the CI half-width of the column before */
        snprintf(hw, sizeof hw, "%s.halfwidth", c.name[j]);
        fputc(',', f);
        ccs__csv_field(f, hw);
    }
    /* day and clock last, as run's intervals.csv has them */
    fputs(",day,clock\n", f);
    int rc = 0;
    for (size_t p = 0; rc == 0 && p < ccs_sweep_point_count(s); p++) {
        const struct ccs_scenario *sc = ccs_sweep_point_scenario(s, p);
        const struct ccs_layout *l = sc->layout;
        if ((rc = cols_map(&c, sc, true, false)) != 0)
            break;
        for (uint32_t i = 0; i < l->n_intervals; i++) {
            for (size_t j = 0; j < 2 * c.n; j++)
                c.row[j] = NAN;
            for (size_t k = 0; k < c.n_keys; k++)
                ccs_sweep_point_interval(s, p, l->n_whole + (size_t)i * l->n_block + k,
                                         &c.row[2 * c.map[k]], &c.row[2 * c.map[k] + 1]);
            double t0 = i * sc->interval, t1 = t0 + sc->interval;
            if (t1 > sc->horizon)
                t1 = sc->horizon;
            point_head(f, s, p);
            fprintf(f, ",%u", i);
            csv_num(f, t0);
            csv_num(f, t1);
            for (size_t j = 0; j < 2 * c.n; j++)
                csv_num(f, c.row[j]);
            char day[16], clock[48]; /* the point's own start: start_time may be swept */
            ccs__day_clock(sc, t0, day, sizeof day, clock, sizeof clock);
            fprintf(f, ",%s,%s\n", day, clock);
        }
    }
    cols_release(&c);
    return rc != 0 ? rc : ccs__out_status(f);
}

/* --- JSON ----------------------------------------------------------------------------------- */

static void json_num(FILE *f, const char *name, double v)
{
    ccs__out_json_str(f, name);
    fputs(": ", f);
    ccs__out_json_num(f, v);
}

/* A swept value as JSON: a number when it reads as one, else a string; null when unset. */
static void json_value(FILE *f, const char *v)
{
    char *end;
    double x = v != NULL && v[0] != '\0' ? strtod(v, &end) : NAN;
    bool number = v != NULL && v[0] != '\0' && *end == '\0' && isfinite(x) &&
                  strspn(v, "0123456789+-.eE") == strlen(v);
    if (number)
        ccs__out_json_num(f, x);
    else
        ccs__out_json_str(f, v);
}

/* , "metric": ..., "unit": ..., the statistics}: the rest of a row of sweep.json */
static void json_row(FILE *f, const struct ccs_sweep_row *r, const char *metric,
                     const char *unit, bool pair)
{
    fputs(", \"metric\": ", f);
    ccs__out_json_str(f, metric);
    fputs(", \"unit\": ", f);
    ccs__out_json_str(f, unit);
    const double v[] = {r->n, r->mean, r->halfwidth, r->mean - r->halfwidth,
                        r->mean + r->halfwidth, r->diff_n, r->diff, r->diff_halfwidth,
                        r->diff - r->diff_halfwidth, r->diff + r->diff_halfwidth};
    static const char *const names[] = {"n", "mean", "halfwidth", "ci_low", "ci_high",
                                        "diff_n", "diff", "diff_halfwidth", "diff_ci_low",
                                        "diff_ci_high"};
    for (size_t k = 0; k < (pair ? 10u : 5u); k++) {
        fputs(", ", f);
        json_num(f, names[k], v[k]);
    }
    if (pair) {
        fputs(", \"verdict\": ", f);
        ccs__out_json_str(f, ccs_verdict_name(r->verdict));
    }
    fputc('}', f);
}

int ccs_report_sweep_json(FILE *f, const struct ccs_sweep *s)
{
    bool pair = ccs_sweep_baseline(s) >= 0;
    size_t nc = ccs_sweep_column_count(s), nt = ccs_sweep_target_count(s);
    fputs("{\n  \"format\": \"ccsim-sweep-1\",\n  \"ccsim_version\": ", f);
    ccs__out_json_str(f, CCS_VERSION);
    fputs(",\n", f);
    fputs("  \"sweep\": {\"name\": ", f);
    ccs__out_json_str(f, ccs_sweep_name(s));
    fputs(", \"file\": ", f);
    ccs__out_json_str(f, ccs_sweep_file(s));
    fputs(", \"scenario\": ", f);
    ccs__out_json_str(f, ccs_scenario_origin(ccs_sweep_base(s)));
    fputs(",\n            \"scenario_sha256\": ", f);
    ccs__out_json_str(f, ccs_scenario_sha256(ccs_sweep_base(s)));
    fputs(", \"overrides\": [", f);
    for (size_t i = 0; i < ccs_scenario_override_count(ccs_sweep_base(s)); i++) {
        fputs(i ? ", " : "", f);
        ccs__out_json_str(f, ccs_scenario_override(ccs_sweep_base(s), i));
    }
    fputc(']', f);
    fputs(", \"identity\": ", f);
    ccs__out_json_str(f, ccs_sweep_identity(s));
    fprintf(f, ",\n            \"seed\": %llu, \"streams\": ", (unsigned long long)ccs_sweep_seed(s));
    ccs__out_json_str(f, streams_name(ccs_sweep_streams(s)));
    fputs(", ", f);
    json_num(f, "confidence_level", ccs_sweep_level(s));
    fprintf(f, ", \"replications\": %u,\n            \"precision\": ", ccs_sweep_replications(s));
    if (nt == 0) {
        fputs("null", f);
    } else {
        fprintf(f, "{\"max_replications\": %u, \"targets\": [", ccs_sweep_max_replications(s));
        for (size_t t = 0; t < nt; t++) {
            fputs(t ? ", " : "", f);
            fputc('{', f);
            ccs__report_json_target(f, ccs_sweep_target(s, t));
            fputc('}', f);
        }
        fputs("]}", f);
    }
    fputs(",\n            \"baseline\": ", f);
    ccs__out_json_str(f, pair ? ccs_sweep_point_name(s, (size_t)ccs_sweep_baseline(s)) : NULL);
    fputs(", \"columns\": [", f);
    for (size_t c = 0; c < nc; c++) {
        fputs(c ? ", " : "", f);
        ccs__out_json_str(f, ccs_sweep_column(s, c));
    }
    fputs("]},\n  \"points\": [", f);
    for (size_t p = 0; p < ccs_sweep_point_count(s); p++) {
        const struct ccs_scenario *sc = ccs_sweep_row_scenario(s, p);
        fprintf(f, "%s\n    {\"index\": %zu, \"name\": ", p ? "," : "", p);
        ccs__out_json_str(f, ccs_sweep_point_name(s, p));
        fputs(", \"values\": {", f);
        for (size_t c = 0; c < nc; c++) {
            fputs(c ? ", " : "", f);
            ccs__out_json_str(f, ccs_sweep_column(s, c));
            fputs(": ", f);
            json_value(f, ccs_sweep_point_value(s, p, c));
        }
        fprintf(f, "},\n     \"seed\": \"%llu\", \"replications\": %u, \"precision\": ",
                (unsigned long long)ccs_sweep_point_seed(s, p),
                ccs_sweep_point_replications(s, p));
        if (nt == 0 || (long)p == ccs_sweep_baseline(s)) {
            fputs("null", f);
        } else {
            fprintf(f, "{\"met\": %s, \"achieved\": [",
                    ccs_sweep_point_met(s, p) ? "true" : "false");
            for (size_t t = 0; t < nt; t++) {
                fputs(t ? ", " : "", f);
                ccs__out_json_num(f, ccs_sweep_point_achieved(s, p, t));
            }
            fputs("]}", f);
        }
        fputs(",\n     \"kpis\": [", f);
        for (size_t i = 0; i < ccs_sweep_point_rows(s, p); i++) {
            struct ccs_sweep_row r;
            ccs_sweep_point_row(s, p, i, &r);
            const struct ccs_kpi_info *info = ccs_kpi_info((enum ccs_kpi)r.key.kpi);
            fprintf(f, "%s\n       {", i ? "," : "");
            ccs__report_json_scope(f, sc, &r.key);
            json_row(f, &r, info->id, ccs__unit_name(info->unit), pair);
        }
        for (size_t i = 0; i < ccs_sweep_point_channel_rows(s, p); i++) {
            struct ccs_sweep_row r;
            const char *unit = channel_row(s, p, i, &r);
            fprintf(f, "%s\n       {", i + ccs_sweep_point_rows(s, p) ? "," : "");
            /* as sweep.csv: scope "channel", the channel's name as the queue */
            fputs("\"scope\": \"channel\", \"queue\": ", f);
            ccs__out_json_str(f, ccs__channel_name((enum ccs_channel)r.key.queue));
            fputs(", \"segment\": null, \"group\": null", f);
            json_row(f, &r, ccs_kpi_info((enum ccs_kpi)r.key.kpi)->id, unit, pair);
        }
        fputs("]}", f);
    }
    fputs("\n  ]\n}\n", f);
    return ccs__out_status(f);
}

/* --- the table -------------------------------------------------------------------------------- */

/* Display width of UTF-8 text (± is two bytes, one column). */
static int width(const char *s)
{
    int w = 0;
    for (; *s; s++)
        w += ((unsigned char)*s & 0xc0) != 0x80;
    return w;
}

static void cell(FILE *f, const char *s, int w, bool right)
{
    int pad = w - width(s);
    if (right)
        for (int i = 0; i < pad; i++)
            fputc(' ', f);
    fputs(s, f);
    if (!right)
        for (int i = 0; i < pad; i++)
            fputc(' ', f);
}

enum { HEAD_KPIS = 4, CELL = 128 };
static const enum ccs_kpi head_kpis[HEAD_KPIS] = {CCS_KPI_service_level, CCS_KPI_asa,
                                                  CCS_KPI_abandon_rate, CCS_KPI_occupancy};

/* Row index of overall KPI k in point p's rows, or -1. */
static long overall_row(const struct ccs_sweep *s, size_t p, enum ccs_kpi k)
{
    for (size_t i = 0; i < ccs_sweep_point_rows(s, p); i++) {
        struct ccs_sweep_row r;
        ccs_sweep_point_row(s, p, i, &r);
        if (r.key.scope == CCS_SCOPE_OVERALL && r.key.kpi == k)
            return (long)i;
    }
    return -1;
}

/* Point p's channels when it has two or more (its service-level channel
   rows), else 0: one channel's service level is the overall one. */
static size_t table_channels(const struct ccs_sweep *s, size_t p)
{
    size_t n = 0;
    for (size_t i = 0; i < ccs_sweep_point_channel_rows(s, p); i++) {
        struct ccs_sweep_channel_row c;
        ccs_sweep_point_channel_row(s, p, i, &c);
        n += c.kpi == CCS_KPI_service_level;
    }
    return n >= 2 ? n : 0;
}

/*
 * The cells of a channel's line under point p's: the channel's name, its
 * own service level and ASA in their columns and, with a baseline, the
 * service level's difference to the baseline's same channel; the other
 * cells empty.
 */
static void channel_line(const struct ccs_sweep *s, size_t p, size_t ch, char *cells)
{
    size_t nc = ccs_sweep_column_count(s), col = 0;
    bool pair = ccs_sweep_baseline(s) >= 0, targets = ccs_sweep_target_count(s) > 0;
    struct ccs_sweep_channel_row r = {0}, a = {0};
    bool has_asa = false;
    size_t seen = 0;
    for (size_t i = 0; i < ccs_sweep_point_channel_rows(s, p); i++) {
        struct ccs_sweep_channel_row c;
        ccs_sweep_point_channel_row(s, p, i, &c);
        if (c.kpi == CCS_KPI_service_level && seen++ == ch)
            r = c;
    }
    for (size_t i = 0; i < ccs_sweep_point_channel_rows(s, p); i++) {
        struct ccs_sweep_channel_row c;
        ccs_sweep_point_channel_row(s, p, i, &c);
        if (c.kpi == CCS_KPI_asa && c.channel == r.channel) {
            a = c;
            has_asa = true;
        }
    }
#define CELLP(c) (cells + (size_t)(c) * CELL)
    snprintf(CELLP(col++), CELL, "  %s", ccs__channel_name(r.channel));
    col += nc + (targets ? 1 : 0);
    for (size_t k = 0; k < HEAD_KPIS; k++, col++)
        if (head_kpis[k] == CCS_KPI_service_level)
            ccs__kpi_ci(CELLP(col), CELL, CCS_UNIT_FRACTION, r.mean, r.halfwidth, 0);
        else if (head_kpis[k] == CCS_KPI_asa && has_asa)
            ccs__kpi_ci(CELLP(col), CELL, CCS_UNIT_SECONDS, a.mean, a.halfwidth, 0);
    if (pair) {
        if (r.verdict == CCS_VERDICT_BASELINE)
            snprintf(CELLP(col), CELL, "-");
        else if (!isnan(r.diff))
            ccs__kpi_ci(CELLP(col), CELL, CCS_UNIT_FRACTION, r.diff, r.diff_halfwidth,
                        CCS_KV_SIGN);
        col++;
        snprintf(CELLP(col++), CELL, "%s", ccs_verdict_name(r.verdict));
    }
#undef CELLP
}

/* The cells of the table's line row (0: the header; p + 1: point p), CELL bytes each. */
static void table_line(const struct ccs_sweep *s, size_t row, char *cells, bool *right)
{
    size_t nc = ccs_sweep_column_count(s), col = 0;
    bool pair = ccs_sweep_baseline(s) >= 0, targets = ccs_sweep_target_count(s) > 0;
#define CELLP(c) (cells + (size_t)(c) * CELL)
    if (row == 0) {
        snprintf(CELLP(col++), CELL, "point");
        for (size_t c = 0; c < nc; c++)
            snprintf(CELLP(col++), CELL, "%s", ccs_sweep_column(s, c));
        if (targets) {
            right[col] = true;
            snprintf(CELLP(col++), CELL, "reps");
        }
        for (size_t k = 0; k < HEAD_KPIS; k++) {
            right[col] = true;
            snprintf(CELLP(col++), CELL, "%s", ccs_kpi_info(head_kpis[k])->label);
        }
        if (pair) {
            right[col] = true;
            snprintf(CELLP(col++), CELL, "SL vs baseline");
            snprintf(CELLP(col++), CELL, "verdict");
        }
        return;
    }
    size_t p = row - 1;
    snprintf(CELLP(col++), CELL, "%s", ccs_sweep_point_name(s, p));
    for (size_t c = 0; c < nc; c++) {
        const char *v = ccs_sweep_point_value(s, p, c);
        snprintf(CELLP(col++), CELL, "%s", v ? v : "-");
    }
    if (targets)
        snprintf(CELLP(col++), CELL, "%u%s", ccs_sweep_point_replications(s, p),
                 (long)p != ccs_sweep_baseline(s) && !ccs_sweep_point_met(s, p) ? "*" : "");
    struct ccs_sweep_row r;
    for (size_t k = 0; k < HEAD_KPIS; k++) {
        long i = overall_row(s, p, head_kpis[k]);
        if (i < 0) {
            snprintf(CELLP(col++), CELL, "-");
            continue;
        }
        ccs_sweep_point_row(s, p, (size_t)i, &r);
        ccs__kpi_ci(CELLP(col++), CELL, ccs_kpi_info(head_kpis[k])->unit, r.mean, r.halfwidth, 0);
    }
    if (pair) {
        long i = overall_row(s, p, CCS_KPI_service_level);
        if (i < 0) {
            snprintf(CELLP(col++), CELL, "-");
            snprintf(CELLP(col++), CELL, "-");
        } else {
            ccs_sweep_point_row(s, p, (size_t)i, &r);
            if (r.verdict == CCS_VERDICT_BASELINE)
                snprintf(CELLP(col), CELL, "-");
            else
                ccs__kpi_ci(CELLP(col), CELL, CCS_UNIT_FRACTION, r.diff, r.diff_halfwidth,
                            CCS_KV_SIGN);
            col++;
            snprintf(CELLP(col++), CELL, "%s", ccs_verdict_name(r.verdict));
        }
    }
#undef CELLP
}

int ccs_report_sweep_table(FILE *f, const struct ccs_sweep *s)
{
    size_t np = ccs_sweep_point_count(s), nc = ccs_sweep_column_count(s);
    bool pair = ccs_sweep_baseline(s) >= 0, targets = ccs_sweep_target_count(s) > 0;
    const struct ccs_scenario *base = ccs_sweep_base(s);
    fputs("Sweep", f);
    if (ccs_sweep_name(s) != NULL)
        fprintf(f, " '%s'", ccs_sweep_name(s));
    fprintf(f, " of %s: %zu point%s", ccs_scenario_origin(base), np, np == 1 ? "" : "s");
    if (targets) {
        char name[256], hw[48];
        fprintf(f, ", replications until");
        for (size_t t = 0; t < ccs_sweep_target_count(s); t++) {
            const struct ccs_precision *p = ccs_sweep_target(s, t);
            ccs_precision_name(p, name, sizeof name);
            ccs__kpi_text(hw, sizeof hw, ccs_kpi_info(p->kpi)->unit, p->halfwidth,
                          CCS_KV_HALFWIDTH);
            fprintf(f, "%s %s ± %s", t ? "," : "", name, hw);
        }
        fprintf(f, " (from %u, at most %u)", ccs_sweep_replications(s),
                ccs_sweep_max_replications(s));
    } else {
        fprintf(f, " x %u replications", ccs_sweep_replications(s));
    }
    fprintf(f, "\nseed %llu, %s\n", (unsigned long long)ccs_sweep_seed(s),
            ccs_sweep_streams(s) == CCS_STREAMS_COMMON
                ? "common random numbers (every point runs on the seed's streams)"
                : "independent streams (each point's seed hashes its overrides)");
    if (pair)
        fprintf(f, "baseline %s; differences are paired by replication\n",
                ccs_sweep_point_name(s, (size_t)ccs_sweep_baseline(s)));
    fprintf(f, "\nOverall KPIs, mean ± 95%% CI half-width:\n");

    /* columns: point name, swept values, [replications], headline KPIs, [diff, verdict].
       Two passes over the points, widths then lines, so that only one line's
       cells are in memory (a sweep may have 100,000 points, read back from
       its journal) */
    size_t ncol = 1 + nc + (targets ? 1 : 0) + HEAD_KPIS + (pair ? 2 : 0);
    char *cells = ccs_calloc(ncol, CELL);
    int *w = ccs_calloc(ncol, sizeof *w);
    bool *right = ccs_calloc(ncol, sizeof *right);
    if (cells == NULL || w == NULL || right == NULL) {
        free(cells);
        free(w);
        free(right);
        return CCS_ENOMEM;
    }
    /* with two channels or more, a line per channel under its point's */
    bool channels = false;
    for (int pass = 0; pass < 2; pass++)
        for (size_t row = 0; row <= np; row++)
            for (size_t ch = 0; ch <= (row > 0 ? table_channels(s, row - 1) : 0); ch++) {
                size_t last = ncol - 1; /* the line's last non-empty cell */
                if (ch == 0) {
                    table_line(s, row, cells, right);
                } else {
                    memset(cells, 0, ncol * CELL);
                    channel_line(s, row - 1, ch - 1, cells);
                    channels = true;
                    while (last > 0 && cells[last * CELL] == '\0')
                        last--;
                }
                for (size_t c = 0; c <= last; c++) {
                    char *cl = cells + c * CELL;
                    if (pass == 0) {
                        if (width(cl) > w[c])
                            w[c] = width(cl);
                        continue;
                    }
                    fputs(c == 0 ? "  " : " ", f);
                    /* no trailing blanks: the last column is not padded */
                    cell(f, cl, c < last || right[c] ? w[c] : 0, right[c]);
                    if (c < last)
                        fputs(" ", f);
                }
                if (pass == 1)
                    fputc('\n', f);
            }
    bool capped = false;
    for (size_t p = 0; targets && p < np; p++)
        capped = capped || ((long)p != ccs_sweep_baseline(s) && !ccs_sweep_point_met(s, p));
    if (capped)
        fputs("\n* cap reached: the target was not met\n", f);
    if (channels)
        fputs("\nIndented: each channel's own service level (answered within their own "
              "queue's\nthreshold / offered) and ASA, and the service level's difference to "
              "the\nbaseline's same channel\n",
              f);
    free(cells);
    free(w);
    free(right);
    return ccs__out_status(f);
}

/* --- files ------------------------------------------------------------------------------ */

int ccs_report_sweep_write_dir(const char *dir, const struct ccs_sweep *s, struct ccs_diag *d)
{
    struct ccs_outdir *o;
    int rc = ccs_outdir_open(dir, &o, d);
    if (rc != 0)
        return rc;
    /* sweep.csv last: its presence means the sweep was written whole */
    unsigned outs = ccs_sweep_outputs(s);
    FILE *f = NULL;
    if ((outs & CCS_SWEEP_OUT_REPLICATIONS) &&
        ((f = ccs_outdir_file(o, "replications.csv", d)) == NULL ||
         (rc = ccs_report_sweep_replications_csv(f, s)) != 0))
        goto fail;
    if ((outs & CCS_SWEEP_OUT_INTERVALS) &&
        ((f = ccs_outdir_file(o, "intervals.csv", d)) == NULL ||
         (rc = ccs_report_sweep_intervals_csv(f, s)) != 0))
        goto fail;
    if ((f = ccs_outdir_file(o, "sweep.json", d)) == NULL || (rc = ccs_report_sweep_json(f, s)) != 0 ||
        (f = ccs_outdir_file(o, "sweep.csv", d)) == NULL || (rc = ccs_report_sweep_csv(f, s)) != 0)
        goto fail;
    /* a point that could not be read back from the journal is an error, not an empty row */
    if ((rc = ccs_sweep_read_status(s, d)) != 0) {
        ccs_outdir_abort(o);
        return rc;
    }
    return ccs_outdir_commit(o, d);
fail:
    if (ccs_sweep_read_status(s, d) == 0)
        ccs_diag_at(d, rc == CCS_ENOMEM ? CCS_ENOMEM : CCS_EIO, dir, 0, 0, "%s",
                    rc == CCS_ENOMEM ? "out of memory" : "cannot write the sweep's files");
    ccs_outdir_abort(o);
    return rc == CCS_ENOMEM ? CCS_ENOMEM : CCS_EIO;
}
