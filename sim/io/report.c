/*
 * report.c - a run's summary as a readable table, JSON, and tidy CSV
 * (one row per scope x metric; see docs/outputs.md). Numbers are printed
 * with fixed formats so the same results give byte-identical files.
 */
#include "ccs/report.h"

#include "ccs/sim.h"
#include "io/units.h"
#include "model/scenario.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* --- shared helpers ---------------------------------------------------------------- */

static const char *queue_name(const struct ccs_scenario *sc, int q)
{
    return q >= 0 ? sc->queues[q].id : "";
}

static const char *segment_name(const struct ccs_scenario *sc, int q, int s)
{
    return q >= 0 && s >= 0 && sc->queues[q].segments[s].id ? sc->queues[q].segments[s].id : "";
}

static const char *group_name(const struct ccs_scenario *sc, int g)
{
    return g >= 0 ? sc->groups[g].id : "";
}

/* A number for CSV/JSON: 10 significant digits, "" / null when undefined. */
static void num(FILE *f, double v, const char *undefined)
{
    if (isnan(v) || isinf(v))
        fputs(undefined, f);
    else
        fprintf(f, "%.10g", v == 0 ? 0.0 : v); /* no "-0" */
}

static void json_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}

static int finish(FILE *f)
{
    return ferror(f) ? CCS_EIO : 0;
}

/* --- the table ----------------------------------------------------------------------- */

/* Format a value of the given unit for people. */
static void fmt_value(char *buf, size_t cap, enum ccs_unit u, double v)
{
    if (isnan(v)) {
        snprintf(buf, cap, "-");
        return;
    }
    switch (u) {
    case CCS_UNIT_FRACTION:
        snprintf(buf, cap, "%.2f%%", 100 * v);
        break;
    case CCS_UNIT_SECONDS:
        snprintf(buf, cap, "%.2fs", v);
        break;
    case CCS_UNIT_COUNT:
        if (fabs(v - round(v)) < 1e-9)
            snprintf(buf, cap, "%.0f", v);
        else
            snprintf(buf, cap, "%.1f", v);
        break;
    case CCS_UNIT_MONEY:
        snprintf(buf, cap, "%.2f", v);
        break;
    case CCS_UNIT_NUMBER:
    default:
        snprintf(buf, cap, "%.3f", v);
        break;
    }
}

static void fmt_halfwidth(char *buf, size_t cap, enum ccs_unit u, double hw)
{
    if (isnan(hw)) {
        buf[0] = '\0';
        return;
    }
    char v[40];
    if (u == CCS_UNIT_COUNT)
        snprintf(v, sizeof v, "%.1f", hw);
    else
        fmt_value(v, sizeof v, u, hw);
    snprintf(buf, cap, "± %s", v);
}

/* Print the whole-run rows of one scope instance. */
static void table_block(FILE *f, const struct ccs_summary *s, const char *title, int scope,
                        int q, int seg, int g)
{
    const struct ccs_layout *l = ccs_summary_layout(s);
    bool any = false;
    for (size_t k = 0; k < l->n_whole; k++) {
        const struct ccs_key *key = &l->keys[k];
        if (key->scope != scope || key->queue != q || key->segment != seg || key->group != g)
            continue;
        const struct ccs_kpi_info *info = ccs_kpi_info((enum ccs_kpi)key->kpi);
        if (!(info->flags & CCS_KPI_TABLE) && scope != CCS_SCOPE_GROUP_QUEUE)
            continue;
        if (!any) {
            fprintf(f, "\n%s\n", title);
            any = true;
        }
        char v[48], hw[48];
        const char *label = info->label;
        char gq[96];
        if (scope == CCS_SCOPE_GROUP_QUEUE) {
            snprintf(gq, sizeof gq, "%s on %s", info->label, queue_name(ccs_summary_scenario(s), q));
            label = gq;
        }
        fmt_value(v, sizeof v, info->unit, ccs_summary_mean(s, k));
        fmt_halfwidth(hw, sizeof hw, info->unit, ccs_summary_halfwidth(s, k));
        fprintf(f, "  %-24s %14s  %s\n", label, v, hw);
    }
}

int ccs_report_table(FILE *f, const struct ccs_summary *s)
{
    const struct ccs_scenario *sc = ccs_summary_scenario(s);
    uint32_t reps = ccs_summary_replications(s);
    char h[32], iv[32];
    ccs__format_duration(sc->horizon, h, sizeof h);
    ccs__format_duration(sc->interval, iv, sizeof iv);
    fprintf(f, "ccsim %s: %s (%s)\n", CCS_VERSION, sc->name, sc->origin);
    fprintf(f, "policy %s, seed %llu, %u replication%s, horizon %s", sc->policy->name,
            (unsigned long long)sc->seed, reps, reps == 1 ? "" : "s", h);
    if (sc->warmup > 0) {
        char w[32];
        ccs__format_duration(sc->warmup, w, sizeof w);
        fprintf(f, " after %s warm-up", w);
    }
    fprintf(f, "%s\n", sc->drain ? ", drained" : "");
    fprintf(f, "service level = %s (definition '%s')\n",
            ccs_kpi_info((enum ccs_kpi)(CCS_KPI_sl_offered + (int)sc->sl_def))->definition,
            ccs_sl_def_name(sc->sl_def));
    if (reps >= 2)
        fprintf(f, "± = half-width of the %.0f%% confidence interval over replications "
                   "(Student t)\n",
                100 * ccs_summary_level(s));
    else
        fprintf(f, "one replication: no confidence intervals (use --replications)\n");

    table_block(f, s, "Overall", CCS_SCOPE_OVERALL, -1, -1, -1);
    for (size_t q = 0; q < sc->n_queues; q++) {
        char title[160], w[32];
        ccs__format_duration(sc->queues[q].sla_within, w, sizeof w);
        snprintf(title, sizeof title, "Queue %s (%s, target %.0f%% within %s)", sc->queues[q].id,
                 (const char *[]){"voice", "chat", "email", "callback",
                                  "outbound"}[sc->queues[q].channel],
                 100 * sc->queues[q].sla_target, w);
        table_block(f, s, title, CCS_SCOPE_QUEUE, (int)q, -1, -1);
        if (sc->queues[q].n_segments > 1)
            for (size_t g = 0; g < sc->queues[q].n_segments; g++) {
                const struct ccs_segment_def *sd = &sc->queues[q].segments[g];
                ccs__format_duration(sd->sla_within, w, sizeof w);
                snprintf(title, sizeof title, "Segment %s/%s (%.0f%% of arrivals, target %.0f%% within %s)",
                         sc->queues[q].id, sd->id, 100 * sd->share, 100 * sd->sla_target, w);
                table_block(f, s, title, CCS_SCOPE_SEGMENT, (int)q, (int)g, -1);
            }
    }
    for (size_t g = 0; g < sc->n_groups; g++) {
        char title[160];
        snprintf(title, sizeof title, "Group %s (%u agents)", sc->groups[g].id,
                 sc->groups[g].agents);
        table_block(f, s, title, CCS_SCOPE_GROUP, -1, -1, (int)g);
        if (sc->groups[g].n_skills > 1)
            for (size_t k = 0; k < sc->groups[g].n_skills; k++)
                table_block(f, s, "", CCS_SCOPE_GROUP_QUEUE,
                            (int)sc->groups[g].skills[k].queue, -1, (int)g);
    }
    return finish(f);
}

/* --- JSON ---------------------------------------------------------------------------- */

static void json_stat(FILE *f, const struct ccs_summary *s, size_t k)
{
    double m = ccs_summary_mean(s, k), hw = ccs_summary_halfwidth(s, k);
    fputs("{\"mean\": ", f);
    num(f, m, "null");
    fputs(", \"halfwidth\": ", f);
    num(f, hw, "null");
    fputs(", \"ci_low\": ", f);
    num(f, m - hw, "null");
    fputs(", \"ci_high\": ", f);
    num(f, m + hw, "null");
    fputs(", \"sd\": ", f);
    num(f, ccs_summary_sd(s, k), "null");
    fprintf(f, ", \"n\": %.0f}", ccs_summary_n(s, k));
}

/* {"kpi": {...}, ...} for the whole-run keys of one scope instance. */
static void json_kpis(FILE *f, const struct ccs_summary *s, int scope, int q, int seg, int g,
                      const char *indent)
{
    const struct ccs_layout *l = ccs_summary_layout(s);
    bool first = true;
    fputs("{", f);
    for (size_t k = 0; k < l->n_whole; k++) {
        const struct ccs_key *key = &l->keys[k];
        if (key->scope != scope || key->queue != q || key->segment != seg || key->group != g)
            continue;
        fprintf(f, "%s\n%s  \"%s\": ", first ? "" : ",", indent,
                ccs_kpi_info((enum ccs_kpi)key->kpi)->id);
        json_stat(f, s, k);
        first = false;
    }
    fprintf(f, "\n%s}", indent);
}

int ccs_report_json(FILE *f, const struct ccs_summary *s)
{
    const struct ccs_scenario *sc = ccs_summary_scenario(s);
    fprintf(f, "{\n  \"format\": \"ccsim-summary-1\",\n  \"ccsim_version\": \"%s\",\n", CCS_VERSION);
    fputs("  \"scenario\": {\"name\": ", f);
    json_str(f, sc->name);
    fputs(", \"file\": ", f);
    json_str(f, sc->origin);
    fprintf(f,
            ", \"policy\": \"%s\", \"seed\": %llu, \"replications\": %u, \"horizon_s\": %.10g, "
            "\"warmup_s\": %.10g, \"interval_s\": %.10g, \"drain\": %s, "
            "\"service_level_definition\": \"%s\", \"confidence_level\": %.10g},\n",
            sc->policy->name, (unsigned long long)sc->seed, ccs_summary_replications(s),
            sc->horizon, sc->warmup, sc->interval, sc->drain ? "true" : "false",
            ccs_sl_def_name(sc->sl_def), ccs_summary_level(s));
    fputs("  \"overall\": ", f);
    json_kpis(f, s, CCS_SCOPE_OVERALL, -1, -1, -1, "  ");
    fputs(",\n  \"queues\": [", f);
    for (size_t q = 0; q < sc->n_queues; q++) {
        const struct ccs_queue_def *qd = &sc->queues[q];
        fprintf(f, "%s\n    {\"id\": ", q ? "," : "");
        json_str(f, qd->id);
        fprintf(f, ", \"sla\": {\"target\": %.10g, \"within_s\": %.10g},\n     \"kpis\": ",
                qd->sla_target, qd->sla_within);
        json_kpis(f, s, CCS_SCOPE_QUEUE, (int)q, -1, -1, "     ");
        fputs(",\n     \"segments\": [", f);
        if (qd->n_segments > 1)
            for (size_t g = 0; g < qd->n_segments; g++) {
                fprintf(f, "%s\n       {\"id\": ", g ? "," : "");
                json_str(f, qd->segments[g].id);
                fputs(", \"kpis\": ", f);
                json_kpis(f, s, CCS_SCOPE_SEGMENT, (int)q, (int)g, -1, "       ");
                fputs("}", f);
            }
        fputs("]}", f);
    }
    fputs("\n  ],\n  \"groups\": [", f);
    for (size_t g = 0; g < sc->n_groups; g++) {
        const struct ccs_group_def *gd = &sc->groups[g];
        fprintf(f, "%s\n    {\"id\": ", g ? "," : "");
        json_str(f, gd->id);
        fprintf(f, ", \"agents\": %u,\n     \"kpis\": ", gd->agents);
        json_kpis(f, s, CCS_SCOPE_GROUP, -1, -1, (int)g, "     ");
        fputs(",\n     \"queues\": {", f);
        for (size_t k = 0; k < gd->n_skills; k++) {
            fprintf(f, "%s\n       ", k ? "," : "");
            json_str(f, sc->queues[gd->skills[k].queue].id);
            fputs(": ", f);
            json_kpis(f, s, CCS_SCOPE_GROUP_QUEUE, (int)gd->skills[k].queue, -1, (int)g,
                      "       ");
        }
        fputs("}}", f);
    }
    fputs("\n  ]\n}\n", f);
    return finish(f);
}

/* --- CSV ----------------------------------------------------------------------------- */

static void csv_stats(FILE *f, const struct ccs_summary *s, size_t k)
{
    double m = ccs_summary_mean(s, k), hw = ccs_summary_halfwidth(s, k);
    fprintf(f, "%.0f,", ccs_summary_n(s, k));
    num(f, m, "");
    fputc(',', f);
    num(f, ccs_summary_sd(s, k), "");
    fputc(',', f);
    num(f, hw, "");
    fputc(',', f);
    num(f, m - hw, "");
    fputc(',', f);
    num(f, m + hw, "");
    fputc('\n', f);
}

static const char *unit_name(enum ccs_unit u)
{
    static const char *const names[] = {"count", "fraction", "seconds", "money", "number"};
    return names[u];
}

static void csv_key(FILE *f, const struct ccs_scenario *sc, const struct ccs_key *key)
{
    const struct ccs_kpi_info *info = ccs_kpi_info((enum ccs_kpi)key->kpi);
    fprintf(f, "%s,%s,%s,%s,%s,%s,", ccs_scope_name((enum ccs_scope)key->scope),
            queue_name(sc, key->queue), segment_name(sc, key->queue, key->segment),
            group_name(sc, key->group), info->id, unit_name(info->unit));
}

int ccs_report_summary_csv(FILE *f, const struct ccs_summary *s)
{
    const struct ccs_scenario *sc = ccs_summary_scenario(s);
    const struct ccs_layout *l = ccs_summary_layout(s);
    fputs("scope,queue,segment,group,metric,unit,n,mean,sd,halfwidth,ci_low,ci_high\n", f);
    for (size_t k = 0; k < l->n_whole; k++) {
        csv_key(f, sc, &l->keys[k]);
        csv_stats(f, s, k);
    }
    return finish(f);
}

int ccs_report_intervals_csv(FILE *f, const struct ccs_summary *s)
{
    const struct ccs_scenario *sc = ccs_summary_scenario(s);
    const struct ccs_layout *l = ccs_summary_layout(s);
    fputs("interval,start_s,end_s,scope,queue,segment,group,metric,unit,n,mean,sd,halfwidth,"
          "ci_low,ci_high\n",
          f);
    for (size_t k = l->n_whole; k < l->n; k++) {
        struct ccs_key key = ccs_layout_key(l, k);
        double t0 = key.interval * sc->interval, t1 = t0 + sc->interval;
        if (t1 > sc->horizon)
            t1 = sc->horizon;
        fprintf(f, "%d,%.10g,%.10g,", key.interval, t0, t1);
        csv_key(f, sc, &key);
        csv_stats(f, s, k);
    }
    return finish(f);
}

int ccs_report_replications_csv(FILE *f, const struct ccs_summary *s)
{
    const struct ccs_scenario *sc = ccs_summary_scenario(s);
    const struct ccs_layout *l = ccs_summary_layout(s);
    fputs("replication,scope,queue,segment,group,metric,unit,value\n", f);
    for (uint32_t r = 0; r < ccs_summary_replications(s); r++)
        for (size_t k = 0; k < l->n_whole; k++) {
            fprintf(f, "%u,", r);
            csv_key(f, sc, &l->keys[k]);
            num(f, ccs_summary_value(s, r, k), "");
            fputc('\n', f);
        }
    return finish(f);
}

int ccs_report_timeseries_csv(FILE *f, const struct ccs_summary *s)
{
    const struct ccs_scenario *sc = ccs_summary_scenario(s);
    fputs("t_s,scope,queue,group,metric,mean,halfwidth,ci_low,ci_high\n", f);
    size_t np = ccs_summary_series_points(s), nc = ccs_summary_series_cols(s);
    for (size_t i = 0; i < np; i++)
        for (size_t j = 0; j < nc; j++) {
            struct ccs_series_col c = ccs_summary_series_col(s, j);
            double m = ccs_summary_series_mean(s, i, j), hw = ccs_summary_series_halfwidth(s, i, j);
            fprintf(f, "%.10g,%s,%s,%s,%s,", (double)i * ccs_summary_series_dt(s),
                    ccs_scope_name((enum ccs_scope)c.scope), queue_name(sc, c.queue),
                    group_name(sc, c.group), c.metric);
            num(f, m, "");
            fputc(',', f);
            num(f, hw, "");
            fputc(',', f);
            num(f, m - hw, "");
            fputc(',', f);
            num(f, m + hw, "");
            fputc('\n', f);
        }
    return finish(f);
}

int ccs_report_waits_csv(FILE *f, const struct ccs_summary *s)
{
    const struct ccs_scenario *sc = ccs_summary_scenario(s);
    enum { CAP = 1024 };
    double x[CAP], cdf[CAP];
    fputs("queue,wait_s,cdf\n", f);
    for (int q = -1; q < (int)sc->n_queues; q++) {
        size_t n = ccs_summary_wait_curve(s, q, x, cdf, CAP);
        for (size_t i = 0; i < n; i++) {
            fprintf(f, "%s,", q < 0 ? "" : sc->queues[q].id);
            num(f, x[i], "");
            fputc(',', f);
            num(f, cdf[i], "");
            fputc('\n', f);
        }
    }
    return finish(f);
}

int ccs_report_write_files(struct ccs_outdir *o, const struct ccs_summary *s, struct ccs_diag *d)
{
    static const struct {
        const char *name;
        int (*write)(FILE *, const struct ccs_summary *);
    } files[] = {
        {"summary.csv", ccs_report_summary_csv},
        {"intervals.csv", ccs_report_intervals_csv},
        {"replications.csv", ccs_report_replications_csv},
        {"waits.csv", ccs_report_waits_csv},
        {"timeseries.csv", ccs_report_timeseries_csv},
        {"summary.json", ccs_report_json},
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        if (files[i].write == ccs_report_timeseries_csv && ccs_summary_series_points(s) == 0)
            continue;
        FILE *f = ccs_outdir_file(o, files[i].name, d);
        if (f == NULL || files[i].write(f, s) != 0) {
            if (f != NULL)
                ccs_diag_at(d, CCS_EIO, files[i].name, 0, 0, "cannot write");
            return CCS_EIO;
        }
    }
    return 0;
}

int ccs_report_write_dir(const char *dir, const struct ccs_summary *s, struct ccs_diag *d)
{
    struct ccs_outdir *o;
    int rc = ccs_outdir_open(dir, &o, d);
    if (rc)
        return rc;
    if ((rc = ccs_report_write_files(o, s, d)) != 0) {
        ccs_outdir_abort(o);
        return rc;
    }
    return ccs_outdir_commit(o, d);
}
