/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fit_out.c - what the reports say about a log fit and its backtest
 * (fit_report.h): the model's error on real days beside a comparison's
 * verdicts (`ccsim compare --backtest`), and the fit's charts and
 * report.html (`ccsim fit --plots`), drawn by gnuplot from plots/fit_*.gp.
 */
#include "ccs/fit_report.h"
#include "ccs/mem.h"

#include "exp/fit_impl.h"
#include "out/plot_impl.h"
#include "out/plot_scripts.h"
#include "out/proc.h"
#include "out/report_util.h"

#include "ccs/units.h"
#include "core/memstream.h"
#include "core/timeconst.h"
#include "fmt/csvread.h"
#include "fmt/textout.h"

#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The backtest's KPIs as the comparison names them, and how they print. */
static const struct {
    enum ccs_bt_kpi bt;
    enum ccs_kpi kpi;
    const char *label;
    double scale; /* fractions in points */
    const char *unit;
} bt_kpis[] = {
    {CCS_BT_ABANDON, CCS_KPI_abandon_rate, "abandon %", 100, " points"},
    {CCS_BT_ASA, CCS_KPI_asa, "ASA", 1, " s"},
    {CCS_BT_SL, CCS_KPI_service_level, "service level", 100, " points"},
    {CCS_BT_WAIT, CCS_KPI_mean_wait, "mean wait", 1, " s"},
};

/* What a difference is against the model's error: its code in compare.json
   and model_error.csv, and its words in the table and report.html. */
enum judgement { J_LARGER, J_WITHIN, J_UNDEFINED, J_NO_MODEL_ERROR };

static enum judgement judge(double diff, double mae)
{
    if (isnan(diff))
        return J_UNDEFINED;
    if (isnan(mae))
        return J_NO_MODEL_ERROR;
    return fabs(diff) > mae ? J_LARGER : J_WITHIN;
}

static const char *const judgement_code[] = {"larger", "within", "undefined", "no_model_error"};
static const char *const judgement_text[] = {
    "larger than the model's error", "within the model's error: not shown on real days",
    "(undefined)", "(no model error)"};

/* The key of bt_kpis[i] overall in c, or -1 (not compared). */
static long bt_key(const struct ccs_compare *c, size_t i)
{
    return ccs_compare_find(c, CCS_SCOPE_OVERALL, bt_kpis[i].kpi, -1, -1, -1, -1);
}

static const char *const bt_caveat =
    "a difference within the model's error may still be real: the backtest measures the "
    "error of a level on one day, and paired variants share much of it (docs/compare.md)";

int ccs_report_compare_backtest(FILE *f, const struct ccs_compare *c,
                                const struct ccs_backtest *b, const char *source)
{
    size_t nv = ccs_compare_variant_count(c);
    fprintf(f,
            "\nthe model's error on real days (backtest %s, %zu date%s): mean absolute error of "
            "a simulated day against the observed one\n",
            source ? source : "", ccs_backtest_dates(b), ccs_backtest_dates(b) == 1 ? "" : "s");
    fprintf(f, "  %-14s %13s  %-16s %12s  %s\n", "kpi", "model error", "variant", "difference",
            "against the model's error");
    for (size_t i = 0; i < sizeof bt_kpis / sizeof bt_kpis[0]; i++) {
        struct ccs_bt_error e = ccs_backtest_error(b, bt_kpis[i].bt);
        long k = bt_key(c, i);
        double m = bt_kpis[i].scale;
        char err[48];
        if (isnan(e.mae))
            snprintf(err, sizeof err, "-");
        else
            snprintf(err, sizeof err, "%.2f%s", m * e.mae, bt_kpis[i].unit);
        if (k < 0 || nv < 2) {
            fprintf(f, "  %-14s %13s  %-16s %12s  %s\n", bt_kpis[i].label, err, "-", "-",
                    "(not compared)");
            continue;
        }
        for (size_t v = 1; v < nv; v++) {
            struct ccs_compare_stat st;
            ccs_compare_get(c, v, (size_t)k, &st);
            double diff = st.present ? st.diff : NAN;
            char ds[48];
            if (isnan(diff))
                snprintf(ds, sizeof ds, "-");
            else
                snprintf(ds, sizeof ds, "%+.2f", m * diff);
            fprintf(f, "  %-14s %13s  %-16s %12s  %s\n", v == 1 ? bt_kpis[i].label : "",
                    v == 1 ? err : "", ccs_compare_variant_name(c, v), ds,
                    judgement_text[judge(diff, e.mae)]);
        }
    }
    fprintf(f, "(%s)\n", bt_caveat);
    return ferror(f) ? CCS_EIO : 0;
}

void ccs__report_compare_model_error_json(FILE *f, const struct ccs_compare *c)
{
    const char *source = NULL;
    const struct ccs_backtest *b = ccs_compare_backtest(c, &source);
    if (b == NULL)
        return;
    size_t nv = ccs_compare_variant_count(c);
    fputs(",\n  \"model_error\": {\"backtest\": ", f);
    ccs__out_json_str(f, source ? source : "");
    fprintf(f, ", \"dates\": %zu, \"kpis\": [", ccs_backtest_dates(b));
    for (size_t i = 0; i < sizeof bt_kpis / sizeof bt_kpis[0]; i++) {
        struct ccs_bt_error e = ccs_backtest_error(b, bt_kpis[i].bt);
        long k = bt_key(c, i);
        fprintf(f, "%s\n    {\"metric\": ", i ? "," : "");
        ccs__out_json_str(f, ccs_kpi_info(bt_kpis[i].kpi)->id);
        fputs(", \"mae\": ", f);
        ccs__out_json_num(f, e.mae);
        fputs(", \"bias\": ", f);
        ccs__out_json_num(f, e.bias);
        fputs(", \"inside\": ", f);
        ccs__out_json_num(f, e.inside);
        fputs(", \"variants\": [", f);
        for (size_t v = 1; k >= 0 && v < nv; v++) {
            struct ccs_compare_stat st;
            ccs_compare_get(c, v, (size_t)k, &st);
            double diff = st.present ? st.diff : NAN;
            fputs(v > 1 ? ", {\"variant\": " : "{\"variant\": ", f);
            ccs__out_json_str(f, ccs_compare_variant_name(c, v));
            fputs(", \"diff\": ", f);
            ccs__out_json_num(f, diff);
            fputs(", \"against_model_error\": ", f);
            ccs__out_json_str(f, judgement_code[judge(diff, e.mae)]);
            fputc('}', f);
        }
        fputs("]}", f);
    }
    fputs("\n  ]}", f);
}

int ccs__report_compare_model_error_csv(FILE *f, const struct ccs_compare *c)
{
    const char *source = NULL;
    const struct ccs_backtest *b = ccs_compare_backtest(c, &source);
    if (b == NULL)
        return 0;
    size_t nv = ccs_compare_variant_count(c);
    fputs("metric,unit,model_error,bias,inside,dates,variant,diff,against_model_error,backtest\n",
          f);
    for (size_t i = 0; i < sizeof bt_kpis / sizeof bt_kpis[0]; i++) {
        struct ccs_bt_error e = ccs_backtest_error(b, bt_kpis[i].bt);
        const struct ccs_kpi_info *info = ccs_kpi_info(bt_kpis[i].kpi);
        long k = bt_key(c, i);
        for (size_t v = 1; v < (k >= 0 && nv > 1 ? nv : 2); v++) {
            double diff = NAN;
            if (k >= 0 && nv > 1) {
                struct ccs_compare_stat st;
                ccs_compare_get(c, v, (size_t)k, &st);
                diff = st.present ? st.diff : NAN;
            }
            fprintf(f, "%s,%s,%.6g,%.6g,%.6g,%zu,", info->id, ccs__unit_name(info->unit), e.mae,
                    e.bias, e.inside, ccs_backtest_dates(b));
            ccs__csv_field(f, k >= 0 && nv > 1 ? ccs_compare_variant_name(c, v) : "");
            fprintf(f, ",%.6g,%s,", diff,
                    k >= 0 && nv > 1 ? judgement_code[judge(diff, e.mae)] : "not_compared");
            ccs__csv_field(f, source ? source : "");
            fputc('\n', f);
        }
    }
    return ferror(f) ? CCS_EIO : 0;
}

/* Words for model_error.csv's judgement code. */
static const char *judgement_words(const char *code)
{
    for (size_t j = 0; j < sizeof judgement_code / sizeof judgement_code[0]; j++)
        if (strcmp(code, judgement_code[j]) == 0)
            return judgement_text[j];
    return strcmp(code, "not_compared") == 0 ? "(not compared)" : code;
}


void ccs__html_model_error(FILE *f, const char *src)
{
    char path[4096];
    struct ccs__csv c;
    struct ccs_diag d;
    ccs_diag_clear(&d);
    if (!ccs__path(path, sizeof path, src, "model_error.csv") || access(path, R_OK) != 0 ||
        ccs__csv_open(&c, path, &d) != 0)
        return;
    int cm = ccs__csv_col(&c, "metric"), ce = ccs__csv_col(&c, "model_error"),
        cd = ccs__csv_col(&c, "dates"), cv = ccs__csv_col(&c, "variant"),
        cf = ccs__csv_col(&c, "diff"), cj = ccs__csv_col(&c, "against_model_error"),
        cb = ccs__csv_col(&c, "backtest");
    bool first = true;
    char prev[64] = "";
    while (ccs__csv_next(&c)) {
        const char *metric = ccs__csv_get(&c, cm);
        size_t i = 0;
        while (i < sizeof bt_kpis / sizeof bt_kpis[0] &&
               strcmp(ccs_kpi_info(bt_kpis[i].kpi)->id, metric) != 0)
            i++;
        if (i == sizeof bt_kpis / sizeof bt_kpis[0])
            continue;
        if (first) {
            fputs("<h2 id=\"model-error\">Against the model's error on real days</h2>\n<p>The "
                  "model's own error, from its backtest <code>",
                  f);
            ccs__html_esc(f, ccs__csv_get(&c, cb));
            fprintf(f,
                    "</code> (%s dates): the mean absolute error of a simulated day against the "
                    "observed one, beside each variant's difference to the baseline. A "
                    "difference within that error is not shown by the model on real days; ",
                    ccs__csv_get(&c, cd));
            ccs__html_esc(f, bt_caveat);
            fputs(".</p>\n<div class=\"wide\"><table><thead><tr><th>KPI</th><th>Model "
                  "error</th><th>Variant</th><th>&Delta; vs baseline</th><th>Against the "
                  "model's error</th></tr></thead><tbody>\n",
                  f);
            first = false;
        }
        double m = bt_kpis[i].scale, e = ccs__csv_num(&c, ce), df = ccs__csv_num(&c, cf);
        bool again = strcmp(prev, metric) == 0;
        snprintf(prev, sizeof prev, "%s", metric);
        fputs("<tr><td>", f);
        if (!again)
            ccs__html_esc(f, bt_kpis[i].label);
        fputs("</td><td>", f);
        if (!again && !isnan(e))
            fprintf(f, "%.2f%s", m * e, bt_kpis[i].unit);
        fputs("</td><td>", f);
        ccs__html_esc(f, ccs__csv_get(&c, cv));
        fputs("</td><td>", f);
        if (!isnan(df))
            fprintf(f, "%+.2f%s", m * df, bt_kpis[i].unit);
        fputs("</td><td>", f);
        ccs__html_esc(f, judgement_words(ccs__csv_get(&c, cj)));
        fputs("</td></tr>\n", f);
    }
    ccs__csv_close(&c);
    if (!first)
        fputs("</tbody></table></div>\n", f);
}

/* --- the fit's charts (ccsim fit --plots) ---------------------------------------------- */

enum { MAX_FIT_CHARTS = 64 };

struct fchart {
    char name[80];
    const char *script;
    struct ccs__sbuf vars; /* gnuplot -e text, without out= */
    char title[200];
    char caption[700];
    bool drawn;
};

struct fplot {
    const struct ccs_fitlog *f;   /* a fit's charts, or */
    const struct ccs_backtest *b; /* a backtest's */
    const char *work;
    struct fchart c[MAX_FIT_CHARTS];
    size_t n;
};

static const char *const wd_name[7] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

/* An id as a word of a gnuplot list and a file name: [A-Za-z0-9_.-] kept,
   anything else '_'. */
static void word_of(const char *s, char *buf, size_t cap)
{
    size_t i = 0;
    for (; s != NULL && *s && i + 1 < cap; s++)
        buf[i++] = (char)((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
                                  (*s >= '0' && *s <= '9') || *s == '_' || *s == '.' || *s == '-'
                              ? *s
                              : '_');
    buf[i] = '\0';
}


/* A new chart with its data file charts/NAME.csv opened for writing (header
   written); NULL when there is no room or the file cannot be made. */
static FILE *chart_new(struct fplot *p, const char *name, const char *script, const char *header,
                       struct fchart **out)
{
    if (p->n == MAX_FIT_CHARTS)
        return NULL;
    struct fchart *c = &p->c[p->n];
    memset(c, 0, sizeof *c);
    snprintf(c->name, sizeof c->name, "%s", name);
    c->script = script;
    char rel[128], path[4096];
    snprintf(rel, sizeof rel, "charts/%s.csv", c->name);
    if (!ccs__path(path, sizeof path, p->work, rel))
        return NULL;
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return NULL;
    fprintf(f, "%s\n", header);
    snprintf(rel, sizeof rel, "charts/%s.csv", c->name);
    ccs__gp_var(&c->vars, "in", rel);
    p->n++;
    *out = c;
    return f;
}

static void num(FILE *f, double v)
{
    if (isnan(v) || isinf(v))
        fputs("NaN", f);
    else
        fprintf(f, "%.6g", v);
}

/* x,series,y,lo,hi */
static void line_row(FILE *f, double x, const char *series, double y, double lo, double hi)
{
    num(f, x);
    fprintf(f, ",%s,", series);
    num(f, y);
    fputc(',', f);
    num(f, lo);
    fputc(',', f);
    num(f, hi);
    fputc('\n', f);
}

/* Seconds since midnight of the middle of interval i of a day starting at
   start (seconds since midnight) in steps of interval seconds. */
static double mid_clock(double start, double interval, size_t i)
{
    return fmod(start + ((double)i + 0.5) * interval, CCS_DAY);
}

/* ... of reporting interval i of the log's fit. */
static double clock_mid(const struct ccs_fitlog *f, size_t i)
{
    return mid_clock(f->scs[0]->start_time, f->interval, i);
}

/* Arrivals (staff false: mean volume per interval, per weekday and queue)
   or agent availability (staff true: mean agents staffed by the rule, per
   weekday and group), with fit.csv's 95% interval as a band. */
static void chart_per_interval(struct fplot *p, bool staff)
{
    const struct ccs_fitlog *f = p->f;
    size_t nk = staff ? f->n_groups : f->nq, shown = 0;
    for (size_t k = 0; k < nk; k++)
        shown += staff || f->scs[0]->queues[k].arrivals.kind == CCS_ARR_TRACE;
    if (shown == 0)
        return;
    struct fchart *c;
    FILE *o = chart_new(p, staff ? "fit_staffing" : "fit_volume", "fit_lines.gp",
                        "x,series,y,lo,hi", &c);
    if (o == NULL)
        return;
    struct ccs__sbuf series = {0}, bands = {0};
    for (size_t k = 0; k < nk; k++) {
        if (!staff && f->scs[0]->queues[k].arrivals.kind != CCS_ARR_TRACE)
            continue;
        char id[256], word[64], name[96];
        if (staff)
            ccs__fit_group_id(f, k, id, sizeof id);
        else
            snprintf(id, sizeof id, "%s", f->scs[0]->queues[k].id);
        word_of(id, word, sizeof word);
        for (int wd = 0; wd < 7; wd++) {
            if (f->wd_days[wd] == 0)
                continue;
            if (shown > 1)
                snprintf(name, sizeof name, "%s/%s", wd_name[wd], word);
            else
                snprintf(name, sizeof name, "%s", wd_name[wd]);
            ccs__sb_printf(&series, "%s%s", series.n ? " " : "", name);
            ccs__sb_printf(&bands, "%s%d", bands.n ? " " : "", !staff || f->wd_days[wd] > 1);
            for (size_t i = 0; i < f->ni; i++) {
                struct ccs_est e = ccs__fit_per_interval(f, staff, wd, k, i);
                line_row(o, clock_mid(f, i), name, e.value, e.lo, e.hi);
            }
        }
    }
    fclose(o);
    ccs__gp_var(&c->vars, "series", series.p ? series.p : "");
    ccs__gp_var(&c->vars, "bands", bands.p ? bands.p : "");
    ccs__sb_printf(&c->vars, "clock=1; ");
    ccs__gp_var(&c->vars, "xlabel", "Time of day (middle of the interval)");
    if (staff) {
        ccs__gp_var(&c->vars, "title", "Agents available per interval");
        ccs__gp_var(&c->vars, "ylabel", "Agents staffed (inferred)");
        snprintf(c->title, sizeof c->title, "Agent availability per interval");
        snprintf(c->caption, sizeof c->caption,
                 "Mean agents staffed per interval as the availability rule '%s' reads the "
                 "agent column (docs/fit.md), per weekday%s; shaded where the log has several "
                 "dates of the weekday: the 95%% interval of that mean over the dates (the "
                 "day-to-day spread; the rule's own blind spots, such as an agent idle before "
                 "its first contact, are not in it).",
                 ccs_avail_rule_name(f->o.rule),
                 shown > 1 ? " and skill group (as scenario.yaml names them)" : "");
    } else {
        ccs__gp_var(&c->vars, "title", "Arrivals per interval");
        ccs__gp_var(&c->vars, "ylabel", "Contacts per interval");
        snprintf(c->title, sizeof c->title, "Arrivals per interval");
        snprintf(c->caption, sizeof c->caption,
                 "Mean contacts offered per %.0f-minute interval over the log's dates of each "
                 "weekday%s, shaded: its 95%% interval (Student's t over the dates, Poisson's "
                 "sqrt(mean) with a single date). These are the volumes forecast.csv gives "
                 "the fitted scenario.",
                 f->interval / 60, shown > 1 ? " and queue" : "");
    }
    ccs__sb_release(&series);
    ccs__sb_release(&bands);
}

/* Handle time of queue q: histogram (density) and the fitted families. */
static void chart_handle(struct fplot *p, size_t q)
{
    const struct ccs_fitlog *f = p->f;
    const struct ccs__fq *fq = &f->q[q];
    if (!fq->has_handle || fq->work_v == NULL || fq->n_work < 2)
        return;
    double *v = ccs_malloc(fq->n_work * sizeof *v);
    if (v == NULL)
        return;
    memcpy(v, fq->work_v, fq->n_work * sizeof *v);
    size_t n = fq->n_work;
    /* bins over [0, 99th percentile]: the long tail would flatten the rest */
    double top = 0;
    for (size_t i = 0; i < n; i++)
        top = fmax(top, v[i]);
    size_t above = 0;
    double lo = 0, hi = top;
    for (int it = 0; it < 60; it++) { /* bisection for the 99% point */
        double mid = (lo + hi) / 2;
        above = 0;
        for (size_t i = 0; i < n; i++)
            above += v[i] > mid;
        if ((double)above > 0.01 * (double)n)
            lo = mid;
        else
            hi = mid;
    }
    top = hi > 0 ? hi : top;
    size_t nb = n < 200 ? 10 : n < 2000 ? 25 : 40;
    double w = top / (double)nb;
    if (!(w > 0)) {
        free(v);
        return;
    }
    size_t *cnt = ccs_calloc(nb, sizeof *cnt);
    if (cnt == NULL) {
        free(v);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        size_t b = (size_t)(v[i] / w);
        if (b < nb)
            cnt[b]++;
    }
    free(v);
    char qid[64], name[96];
    word_of(f->scs[0]->queues[q].id, qid, sizeof qid);
    snprintf(name, sizeof name, "fit_handle_%s", qid);
    struct fchart *c;
    FILE *o = chart_new(p, name, "fit_hist.gp", "lo,hi,series,density", &c);
    if (o == NULL) {
        free(cnt);
        return;
    }
    for (size_t b = 0; b < nb; b++) {
        fprintf(o, "%.6g,%.6g,observed,", (double)b * w, (double)(b + 1) * w);
        num(o, (double)cnt[b] / (double)n / w);
        fputc('\n', o);
    }
    struct ccs__sbuf fams = {0};
    for (int k = 0; k < CCS_FIT_FAMILY_COUNT; k++) {
        const struct ccs_fit *ft = &fq->handle[k];
        if (isnan(ft->aic))
            continue;
        const char *fam = ccs_fit_family_name((enum ccs_fit_family)k);
        ccs__sb_printf(&fams, "%s%s", fams.n ? " " : "", fam);
        /* the density on a finer grid: the mean density over each small step */
        size_t ns = nb * 4;
        double sw = top / (double)ns;
        for (size_t s = 0; s < ns; s++) {
            double a = (double)s * sw, e = a + sw;
            fprintf(o, "%.6g,%.6g,%s,", a, e, fam);
            num(o, (ccs_fit_cdf(ft, e) - ccs_fit_cdf(ft, a)) / sw);
            fputc('\n', o);
        }
    }
    free(cnt);
    fclose(o);
    char title[160];
    snprintf(title, sizeof title, "Handle time, queue %s", f->scs[0]->queues[q].id);
    ccs__gp_var(&c->vars, "families", fams.p ? fams.p : "");
    ccs__gp_var(&c->vars, "best", ccs_fit_family_name(fq->handle_best));
    ccs__gp_var(&c->vars, "title", title);
    ccs__gp_var(&c->vars, "xlabel", "Handle time (s)");
    snprintf(c->title, sizeof c->title, "%s", title);
    snprintf(c->caption, sizeof c->caption,
             "The %zu handle times of answered contacts as a histogram (density, up to their "
             "99th percentile), with the density of each family fitted by maximum likelihood; "
             "the thick line is the family chosen by AIC (%s), which the fitted scenario uses.",
             n, ccs_fit_family_name(fq->handle_best));
    ccs__sb_release(&fams);
}

/* Patience of queue q: Kaplan-Meier with its band, and the censored fits. */
static void chart_patience(struct fplot *p, size_t q)
{
    const struct ccs_fitlog *f = p->f;
    const struct ccs__fq *fq = &f->q[q];
    const struct ccs_km *km = fq->km;
    if (km == NULL || km->n_events == 0 || km->n_rows == 0)
        return;
    char qid[64], name[96];
    word_of(f->scs[0]->queues[q].id, qid, sizeof qid);
    snprintf(name, sizeof name, "fit_patience_%s", qid);
    struct fchart *c;
    FILE *o = chart_new(p, name, "fit_lines.gp", "x,series,y,lo,hi", &c);
    if (o == NULL)
        return;
    /* the step function: each event time twice, before and after its drop */
    double prev = 1, plo = 1, phi = 1;
    line_row(o, 0, "Kaplan-Meier", 1, 1, 1);
    for (size_t r = 0; r < km->n_rows; r++) {
        const struct ccs_km_row *row = &km->row[r];
        line_row(o, row->t, "Kaplan-Meier", prev, plo, phi);
        line_row(o, row->t, "Kaplan-Meier", row->surv, row->lo, row->hi);
        prev = row->surv;
        plo = row->lo;
        phi = row->hi;
    }
    double tmax = km->t_max;
    line_row(o, tmax, "Kaplan-Meier", prev, plo, phi);
    struct ccs__sbuf series = {0}, bands = {0};
    ccs__sb_printf(&series, "Kaplan-Meier");
    ccs__sb_printf(&bands, "1");
    if (fq->has_pat)
        for (int k = 0; k < CCS_FIT_FAMILY_COUNT; k++) {
            const struct ccs_fit *ft = &fq->pat[k];
            if (isnan(ft->aic))
                continue;
            const char *fam = ccs_fit_family_name((enum ccs_fit_family)k);
            ccs__sb_printf(&series, " %s", fam);
            ccs__sb_printf(&bands, " 0");
            /* a fit above t0 is of patience given > t0: put back on the whole curve */
            double s0 = ft->t0 > 0 ? ccs_fit_sf(ft, ft->t0) : 1;
            double keep = ft->t0 > 0 ? 1 - ft->p_below : 1;
            for (int s = 0; s <= 200; s++) {
                double t = ft->t0 + (tmax - ft->t0) * s / 200.0;
                line_row(o, t, fam, keep * ccs_fit_sf(ft, t) / s0, NAN, NAN);
            }
        }
    fclose(o);
    char title[160];
    snprintf(title, sizeof title, "Patience, queue %s", f->scs[0]->queues[q].id);
    ccs__gp_var(&c->vars, "series", series.p ? series.p : "");
    ccs__gp_var(&c->vars, "bands", bands.p ? bands.p : "");
    ccs__sb_printf(&c->vars, "ymax=1; ");
    ccs__gp_var(&c->vars, "title", title);
    ccs__gp_var(&c->vars, "xlabel", "Wait (s)");
    ccs__gp_var(&c->vars, "ylabel", "Share still willing to wait");
    snprintf(c->title, sizeof c->title, "%s", title);
    char best[64] = "";
    if (fq->has_pat)
        snprintf(best, sizeof best, " (best by AIC: %s)", ccs_fit_family_name(fq->pat_best));
    snprintf(c->caption, sizeof c->caption,
             "Kaplan-Meier estimate of patience from %zu waits (%zu abandonments; a served "
             "caller only tells that patience exceeded the wait), shaded: its pointwise 95%% "
             "band; with the censored maximum-likelihood fits%s, fitted above the short-abandon "
             "threshold of %.0f s and drawn on the whole curve.",
             km->n, km->n_events, best, f->o.short_abandon);
    ccs__sb_release(&series);
    ccs__sb_release(&bands);
}

static int write_script(const char *work, const char *name)
{
    char path[4096];
    for (const struct ccs__plot_script *s = ccs__plot_scripts; s->name != NULL; s++) {
        if (strcmp(s->name, name) != 0)
            continue;
        if (!ccs__path(path, sizeof path, work, name))
            return CCS_EIO;
        FILE *f = fopen(path, "w");
        if (f == NULL)
            return CCS_EIO;
        size_t w = fwrite(s->text, 1, s->len, f);
        return fclose(f) != 0 || w != s->len ? CCS_EIO : 0;
    }
    return CCS_ENOTFOUND;
}

static void say(const struct ccs_plot_opts *po, const char *fmt, const char *a, const char *b)
{
    if (po->note == NULL)
        return;
    char msg[600];
    snprintf(msg, sizeof msg, fmt, a, b);
    po->note(po->note_ctx, msg);
}

/* Draw chart c (SVG, then PNG); false with a note when it failed. */
static bool draw_one(struct fplot *p, struct fchart *c, const char *gnuplot,
                     const struct ccs_plot_opts *po)
{
    char err[4096], rel[128], path[4096];
    snprintf(rel, sizeof rel, "charts/%s.err", c->name);
    if (c->vars.oom || !ccs__path(err, sizeof err, p->work, rel))
        return false;
    bool ok = true;
    static const char *const ext[2] = {"svg", "png"};
    for (int k = 0; k < 2 && ok; k++) {
        struct ccs__sbuf e = {0};
        char out[128];
        snprintf(out, sizeof out, "charts/%s.%s", c->name, ext[k]);
        ccs__sb_printf(&e, "%s", c->vars.p);
        ccs__gp_var(&e, "out", out);
        char *argv[] = {(char *)"gnuplot", (char *)"-d", (char *)"-e", e.p, (char *)c->script,
                        NULL};
        int st = e.oom ? -1 : ccs__run_program(gnuplot, argv, p->work, err, po->timeout_s);
        ccs__sb_release(&e);
        struct stat sb;
        ok = st == 0 && ccs__path(path, sizeof path, p->work, out) && stat(path, &sb) == 0 &&
             sb.st_size > 0;
    }
    if (!ok)
        say(po, "warning: chart '%s' not drawn (gnuplot: see %s)", c->name, rel);
    else
        unlink(err);
    return ok;
}


static int write_html(FILE *h, const struct fplot *p, const char *notice)
{
    bool bt = p->b != NULL;
    fprintf(h,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            "<title>ccsim %s</title>\n<style>body{font-family:Arial,sans-serif;max-width:1000px;"
            "margin:2em auto;color:#222}figure{margin:2em 0}svg{max-width:100%%;height:auto}"
            "figcaption{font-size:.92em;color:#444}pre{background:#f6f6f6;padding:1em;"
            "overflow-x:auto}.note{color:#8a4b00}</style>\n</head>\n<body>\n",
            bt ? "backtest" : "fit");
    if (bt)
        fputs("<h1>The model against the days it describes</h1>\n<p>What <code>ccsim "
              "backtest</code> found, date by date (docs/replay.md, docs/fit.md); "
              "backtest.csv beside this report holds every number, per date and interval.</p>\n"
              "<pre>",
              h);
    else
        fputs("<h1>A scenario fitted from a call log</h1>\n<p>What <code>ccsim fit</code> "
              "estimated, from how much (docs/fit.md states every rule); the files beside this "
              "report hold every number (fit.csv) and the fitted scenario (scenario.yaml).</p>\n"
              "<pre>",
              h);
    char *text = NULL;
    size_t len = 0;
    FILE *m = ccs__memstream(&text, &len);
    if (m != NULL) {
        if (bt)
            ccs_backtest_print(p->b, m);
        else
            ccs_fitlog_print(p->f, m);
        if (fclose(m) == 0 && text != NULL)
            ccs__html_esc(h, text);
    }
    free(text);
    fputs("</pre>\n<h2 id=\"charts\">Charts</h2>\n", h);
    if (notice[0]) {
        fputs("<p class=\"note\">", h);
        ccs__html_esc(h, notice);
        fputs("</p>\n", h);
    }
    for (size_t i = 0; i < p->n; i++) {
        const struct fchart *c = &p->c[i];
        char rel[128], path[4096], pre[32];
        snprintf(rel, sizeof rel, "charts/%s.svg", c->name);
        if (!c->drawn || !ccs__path(path, sizeof path, p->work, rel))
            continue;
        snprintf(pre, sizeof pre, "f%zu", i);
        fprintf(h, "<figure id=\"chart-%s\">\n<div class=\"chart\">", c->name);
        if (!ccs__html_inline_svg(h, path, pre, c->title))
            fputs("<p class=\"note\">(chart missing)</p>", h);
        fputs("</div>\n<figcaption><b>", h);
        ccs__html_esc(h, c->title);
        fputs(".</b> ", h);
        ccs__html_esc(h, c->caption);
        fprintf(h,
                " Files: <a href=\"charts/%s.png\">charts/%s.png</a>, <a "
                "href=\"charts/%s.svg\">charts/%s.svg</a>, data <a "
                "href=\"charts/%s.csv\">charts/%s.csv</a> (script <code>plots/%s</code>)."
                "</figcaption>\n</figure>\n",
                c->name, c->name, c->name, c->name, c->name, c->name, c->script);
    }
    fputs("</body>\n</html>\n", h);
    return ferror(h) ? CCS_EIO : 0;
}

/* Draw p's charts (their data already in p->work/charts/) and write
   report.html into o; 0 or CCS_EIO with d. */
static int finish_plot(struct ccs_outdir *o, struct fplot *p, const struct ccs_plot_opts *po,
                       struct ccs_diag *d)
{
    char notice[400] = "";
    size_t drawn = 0;
    if (po->charts && p->n > 0) {
        const char *prog = po->gnuplot ? po->gnuplot : "gnuplot";
        char *gnuplot = ccs__find_program(prog);
        if (gnuplot == NULL) {
            say(po, "note: %s not found; charts skipped (install: apt-get install %s)", prog,
                "gnuplot-nox");
            snprintf(notice, sizeof notice,
                     "No charts: gnuplot was not found when this report was written (Debian: "
                     "apt-get install gnuplot-nox); the charts' data are in charts/*.csv.");
        } else if (write_script(p->work, "fit_lines.gp") != 0 ||
                   (p->b == NULL && write_script(p->work, "fit_hist.gp") != 0) ||
                   (p->b != NULL && write_script(p->work, "fit_heat.gp") != 0)) {
            snprintf(notice, sizeof notice, "No charts: the plot scripts could not be written.");
        } else {
            for (size_t i = 0; i < p->n; i++) {
                p->c[i].drawn = draw_one(p, &p->c[i], gnuplot, po);
                drawn += p->c[i].drawn;
            }
            if (drawn < p->n)
                snprintf(notice, sizeof notice,
                         "%zu of %zu charts could not be drawn (see the warnings ccsim printed).",
                         p->n - drawn, p->n);
        }
        free(gnuplot);
    }
    FILE *h = ccs_outdir_file(o, "report.html", d);
    int rc = h == NULL ? CCS_EIO : write_html(h, p, notice);
    if (rc != 0 && h != NULL)
        ccs_diag_at(d, rc, NULL, 0, 0, "cannot write report.html");
    if (rc == 0)
        rc = ccs_outdir_adopt(o, "charts", "charts", d);
    return rc;
}

/* A new fplot with o's charts folder made; NULL with d. */
static struct fplot *plot_start(struct ccs_outdir *o, struct ccs_diag *d)
{
    struct fplot *p = ccs_calloc(1, sizeof *p);
    if (p == NULL) {
        ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
        return NULL;
    }
    char charts[4096];
    if ((p->work = ccs_outdir_workdir(o, d)) == NULL) {
        free(p);
        return NULL;
    }
    if (!ccs__path(charts, sizeof charts, p->work, "charts") ||
        (mkdir(charts, 0777) != 0 && errno != EEXIST)) {
        free(p);
        ccs_diag_at(d, CCS_EIO, charts, 0, 0, "cannot make the charts folder");
        return NULL;
    }
    return p;
}

static void plot_free(struct fplot *p)
{
    for (size_t i = 0; p != NULL && i < p->n; i++)
        ccs__sb_release(&p->c[i].vars);
    free(p);
}

int ccs_fit_plot(struct ccs_outdir *o, const struct ccs_fitlog *f, const struct ccs_plot_opts *po,
                 struct ccs_diag *d)
{
    if (o == NULL || f == NULL || po == NULL)
        return ccs_diag_at(d, CCS_EINVAL, NULL, 0, 0, "invalid argument");
    struct fplot *p = plot_start(o, d);
    if (p == NULL)
        return d->code ? d->code : CCS_EIO;
    p->f = f;
    chart_per_interval(p, false);
    for (size_t q = 0; q < f->nq; q++)
        chart_handle(p, q);
    for (size_t q = 0; q < f->nq; q++)
        chart_patience(p, q);
    chart_per_interval(p, true);
    int rc = finish_plot(o, p, po, d);
    plot_free(p);
    return rc;
}

/* --- the backtest's charts (ccsim backtest --plots) ------------------------------------ */

static const struct {
    enum ccs_bt_kpi k;
    const char *word, *label, *unit;
    double scale;
} bt_shown[] = {
    {CCS_BT_ABANDON, "abandon", "Abandonment", "% of offered", 100},
    {CCS_BT_ASA, "asa", "ASA", "s", 1},
    {CCS_BT_SL, "service_level", "Service level", "% of offered within the SLA", 100},
};

/* Is s a date YYYY-MM-DD (gnuplot's timefmt reads it)? */
static bool is_date(const char *s)
{
    for (int i = 0; i < 10; i++)
        if (i == 4 || i == 7 ? s[i] != '-' : !(s[i] >= '0' && s[i] <= '9'))
            return false;
    return s[10] == '\0';
}

/* KPI j per interval, observed against simulated: of date i, or (i < 0)
   pooled: the mean over the dates of each. */
static void chart_bt_intervals(struct fplot *p, size_t j, long i)
{
    const struct ccs_backtest *b = p->b;
    char name[96], word[32];
    if (i >= 0) {
        word_of(b->d[i].date, word, sizeof word);
        snprintf(name, sizeof name, "backtest_%s_%s", bt_shown[j].word, word);
    } else {
        snprintf(name, sizeof name, "backtest_%s", bt_shown[j].word);
    }
    struct fchart *c;
    FILE *o = chart_new(p, name, "fit_lines.gp", "x,series,y,lo,hi", &c);
    if (o == NULL)
        return;
    double m = bt_shown[j].scale;
    for (int pass = 0; pass < 2; pass++)
        for (size_t iv = 0; iv < b->ni; iv++) {
            double x = mid_clock(b->start_time, b->interval, iv);
            double s[4] = {0, 0, 0, 0};
            size_t cnt[4] = {0, 0, 0, 0};
            for (size_t k = 0; k < b->n; k++) {
                if (i >= 0 && k != (size_t)i)
                    continue;
                double v[4];
                ccs_backtest_value(b, k, (int)iv, bt_shown[j].k, &v[0], &v[1], &v[2], &v[3]);
                for (int t = 0; t < 4; t++)
                    if (!isnan(v[t])) {
                        s[t] += v[t];
                        cnt[t]++;
                    }
            }
            for (int t = 0; t < 4; t++)
                s[t] = cnt[t] ? m * s[t] / (double)cnt[t] : NAN;
            if (pass == 0)
                line_row(o, x, "observed", s[0], NAN, NAN);
            else
                line_row(o, x, "simulated", s[1], s[2], s[3]);
        }
    fclose(o);
    char title[160], ylabel[96];
    if (i >= 0)
        snprintf(title, sizeof title, "%s per interval, %s", bt_shown[j].label, b->d[i].date);
    else
        snprintf(title, sizeof title, "%s per interval, %zu dates pooled", bt_shown[j].label,
                 b->n);
    snprintf(ylabel, sizeof ylabel, "%s (%s)", bt_shown[j].label, bt_shown[j].unit);
    ccs__gp_var(&c->vars, "series", "observed simulated");
    ccs__gp_var(&c->vars, "bands", "0 1");
    ccs__sb_printf(&c->vars, "clock=1; ");
    ccs__gp_var(&c->vars, "title", title);
    ccs__gp_var(&c->vars, "xlabel", "Time of day (middle of the interval)");
    ccs__gp_var(&c->vars, "ylabel", ylabel);
    snprintf(c->title, sizeof c->title, "%s", title);
    if (i >= 0)
        snprintf(c->caption, sizeof c->caption,
                 "The log's %s in each %.0f-minute interval of %s against the replay's (the "
                 "date's own contacts, its inferred availability; mean of %u replications), "
                 "shaded: the replications' 95%% range. Intervals without contacts are left out.",
                 bt_shown[j].label, b->interval / 60, b->d[i].date, b->reps);
    else
        snprintf(c->caption, sizeof c->caption,
                 "The log's %s in each %.0f-minute interval, averaged over the %zu dates "
                 "replayed, against the replays' average (each date with its own contacts and "
                 "inferred availability, %u replications each); shaded: the average of the "
                 "dates' 95%% replication ranges. backtest.csv has every date's intervals.",
                 bt_shown[j].label, b->interval / 60, b->n, b->reps);
}

/* Per date, each KPI's error (simulated - observed), with the replications'
   95% range less the observed value as its band: the date lies inside the
   range where the band crosses 0. */
static void chart_bt_errors(struct fplot *p)
{
    const struct ccs_backtest *b = p->b;
    bool dated = true;
    for (size_t k = 0; k < b->n; k++)
        dated = dated && b->n > 1 && is_date(b->d[k].date);
    struct fchart *c;
    FILE *o = chart_new(p, "backtest_errors", "fit_lines.gp", "x,series,y,lo,hi", &c);
    if (o == NULL)
        return;
    static const char *const series[] = {"abandon_points", "ASA_s", "service_level_points"};
    for (size_t j = 0; j < 3; j++)
        for (size_t k = 0; k < b->n; k++) {
            double v[4], m = bt_shown[j].scale;
            ccs_backtest_value(b, k, -1, bt_shown[j].k, &v[0], &v[1], &v[2], &v[3]);
            if (dated)
                fprintf(o, "%s,", b->d[k].date);
            else
                fprintf(o, "%zu,", k + 1);
            fprintf(o, "%s,", series[j]);
            num(o, m * (v[1] - v[0]));
            fputc(',', o);
            num(o, m * (v[2] - v[0]));
            fputc(',', o);
            num(o, m * (v[3] - v[0]));
            fputc('\n', o);
        }
    fclose(o);
    ccs__gp_var(&c->vars, "series", "abandon_points ASA_s service_level_points");
    ccs__gp_var(&c->vars, "bands", "1 1 1");
    /* about 10 labels at most, whole days apart */
    size_t step = b->n / 10 + 1;
    if (dated)
        ccs__sb_printf(&c->vars, "dates=1; xstep=%zu; ", step * (size_t)CCS_DAY);
    else
        ccs__sb_printf(&c->vars, "xstep=%zu; ", step);
    ccs__sb_printf(&c->vars, "signed=1; points=1; ");
    ccs__gp_var(&c->vars, "title", "Error per date, simulated - observed");
    ccs__gp_var(&c->vars, "xlabel", dated ? "Date" : "Date (in the log's order)");
    ccs__gp_var(&c->vars, "ylabel", "Error (points; seconds for ASA)");
    snprintf(c->title, sizeof c->title, "Error per date");
    snprintf(c->caption, sizeof c->caption,
             "Each date's error on the whole day, simulated minus observed: abandonment and "
             "service level in points, ASA in seconds; shaded: the %s's 95%% range less the "
             "observed value, so the date lies inside that range where the band crosses 0. "
             "The issue's target bands: 2 points of abandonment, 10 s of ASA, 5 points of "
             "service level.",
             b->fitted ? "simulated days of the date's weekday" : "replications");
}

/*
 * KPI j's error per date and interval as a heat map: one cell per date (a
 * row, in the log's order) and reporting interval, simulated (the
 * replications' mean) - observed, in points or seconds; grey where the
 * interval had no contacts. Data: row,date,interval,x,error,observed,simulated
 * (interval: its start, as in backtest.csv; x: its middle, seconds since
 * midnight).
 */
static void chart_bt_heat(struct fplot *p, size_t j)
{
    const struct ccs_backtest *b = p->b;
    char name[96];
    snprintf(name, sizeof name, "backtest_heat_%s", bt_shown[j].word);
    struct fchart *c;
    FILE *o = chart_new(p, name, "fit_heat.gp", "row,date,interval,x,error,observed,simulated", &c);
    if (o == NULL)
        return;
    double m = bt_shown[j].scale, big = 0;
    for (size_t k = 0; k < b->n; k++)
        for (size_t iv = 0; iv < b->ni; iv++) {
            double v[4];
            char clock[48];
            ccs_backtest_value(b, k, (int)iv, bt_shown[j].k, &v[0], &v[1], &v[2], &v[3]);
            double e = m * (v[1] - v[0]);
            if (!isnan(e) && fabs(e) > big)
                big = fabs(e);
            ccs__clock(clock, sizeof clock, b->start_time + (double)iv * b->interval, CCS_CLK_FLOOR);
            fprintf(o, "%zu,", k + 1);
            ccs__csv_field(o, b->d[k].date);
            fprintf(o, ",%s,", clock);
            num(o, mid_clock(b->start_time, b->interval, iv));
            fputc(',', o);
            num(o, e);
            fputc(',', o);
            num(o, m * v[0]);
            fputc(',', o);
            num(o, m * v[1]);
            fputc('\n', o);
        }
    fclose(o);
    /* the dates on the axis, about 25 at most */
    struct ccs__sbuf yt = {0};
    size_t step = b->n / 25 + 1;
    for (size_t k = 0; k < b->n; k += step) {
        char word[64];
        word_of(b->d[k].date, word, sizeof word);
        ccs__sb_printf(&yt, "%s\"%s\" %zu", yt.n ? ", " : "", word, k + 1);
    }
    char title[160], cbl[96];
    snprintf(title, sizeof title, "%s error per date and interval, simulated - observed",
             bt_shown[j].label);
    snprintf(cbl, sizeof cbl, "Error (%s)", m == 100 ? "points" : bt_shown[j].unit);
    ccs__sb_printf(&c->vars, "rows=%zu; half=%.6g; ", b->n, b->interval / 2);
    if (big > 0)
        ccs__sb_printf(&c->vars, "cbmax=%.6g; ", big);
    if (yt.n)
        ccs__gp_var(&c->vars, "ytics", yt.p);
    ccs__sb_release(&yt);
    ccs__gp_var(&c->vars, "title", title);
    ccs__gp_var(&c->vars, "cblabel", cbl);
    snprintf(c->title, sizeof c->title, "%s", title);
    snprintf(c->caption, sizeof c->caption,
             "One cell per date (a row, in the log's order) and %.0f-minute interval: the "
             "replay's %s (mean of %u replications) minus the log's, %s; red: the model above "
             "the log, blue: below, white: agreement; grey: no contacts in that interval. The "
             "colour scale is symmetric around 0, up to the largest error.",
             b->interval / 60, bt_shown[j].label, b->reps,
             m == 100 ? "in percentage points" : "in seconds");
}

int ccs_backtest_plot(struct ccs_outdir *o, const struct ccs_backtest *b,
                      const struct ccs_plot_opts *po, struct ccs_diag *d)
{
    if (o == NULL || b == NULL || po == NULL)
        return ccs_diag_at(d, CCS_EINVAL, NULL, 0, 0, "invalid argument");
    struct fplot *p = plot_start(o, d);
    if (p == NULL)
        return d->code ? d->code : CCS_EIO;
    p->b = b;
    if (!b->fitted && b->ni > 0) {
        for (size_t j = 0; j < sizeof bt_shown / sizeof bt_shown[0]; j++) {
            if (b->n > 3)
                chart_bt_intervals(p, j, -1);
            else
                for (size_t k = 0; k < b->n; k++)
                    chart_bt_intervals(p, j, (long)k);
        }
        for (size_t j = 0; j < sizeof bt_shown / sizeof bt_shown[0]; j++)
            chart_bt_heat(p, j);
    }
    chart_bt_errors(p);
    int rc = finish_plot(o, p, po, d);
    plot_free(p);
    return rc;
}

int ccs_backtest_write_dir(const char *dir, const struct ccs_backtest *b,
                           const struct ccs_plot_opts *plots, struct ccs_diag *d)
{
    struct ccs_outdir *o;
    int rc = ccs_outdir_open(dir, &o, d);
    if (rc)
        return rc;
    FILE *f = ccs_outdir_file(o, "backtest.csv", d);
    if (f == NULL || ccs_backtest_write_csv(b, f) != 0) {
        if (f != NULL)
            ccs_diag_at(d, CCS_EIO, NULL, 0, 0, "cannot write backtest.csv");
        ccs_outdir_abort(o);
        return CCS_EIO;
    }
    if (plots != NULL && (rc = ccs_backtest_plot(o, b, plots, d)) != 0) {
        ccs_outdir_abort(o);
        return rc;
    }
    return ccs_outdir_commit(o, d);
}

static FILE *open_in(void *ctx, const char *name, struct ccs_diag *d)
{
    return ccs_outdir_file(ctx, name, d);
}

int ccs_fitlog_write_dir(const char *dir, const struct ccs_fitlog *f,
                         const struct ccs_plot_opts *plots, struct ccs_diag *d)
{
    struct ccs_outdir *o;
    int rc = ccs_outdir_open(dir, &o, d);
    if (rc)
        return rc;
    if ((rc = ccs_fitlog_write(f, open_in, o, d)) != 0 ||
        (plots != NULL && (rc = ccs_fit_plot(o, f, plots, d)) != 0)) {
        ccs_outdir_abort(o);
        return rc;
    }
    return ccs_outdir_commit(o, d);
}
