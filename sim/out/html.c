/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * html.c - report.html: one self-contained page (inline CSS and SVG, no
 * scripts, no external resources) with the scenario summary, the charts,
 * the KPI tables of a run or a comparison, and the KPI definitions from
 * the catalogue (kpi.h). Read from the files in the results directory.
 */
#include "ccs/kpi.h"
#include "fmt/csvread.h"
#include "fmt/fileio.h"
#include "ccs/sim.h"
#include "out/plot_impl.h"
#include "out/report_util.h"
#include "ccs/units.h"
#include "ccs/mem.h"
#include "core/grow.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

/* --- output helpers ------------------------------------------------------------------ */


/* A value for people, as in the text table but for the page: 80.93%, 12.04 s, 1195,
   0.500; "&ndash;" when undefined. */
static void fmt_value(char *buf, size_t cap, enum ccs_unit u, double v)
{
    if (isnan(v))
        snprintf(buf, cap, "&ndash;");
    else
        ccs__kpi_text(buf, cap, u, v, CCS_KV_SPACE);
}

/* The CSS class of a comparison verdict: better, worse, or same (no
   significant difference, n/a). */
static const char *verdict_class(const char *verdict)
{
    return strncmp(verdict, "better", 6) == 0  ? "better"
           : strncmp(verdict, "worse", 5) == 0 ? "worse"
                                               : "same";
}

/* A value (or, diff: a difference, signed, fractions in percentage points)
   and "± h", its half-width ("" when undefined), spelled alike (ccs__kv_pair:
   both h:mm:ss when either is an hour or more). */
static void fmt_ci(char *val, size_t vcap, char *buf, size_t cap, enum ccs_unit u, double v,
                   double hw, bool diff)
{
    unsigned like = ccs__kv_pair(u, v, hw), pp = diff ? CCS_KV_PP : 0;
    if (isnan(v))
        snprintf(val, vcap, "&ndash;");
    else
        ccs__kpi_text(val, vcap, u, v, CCS_KV_SPACE | pp | (diff ? CCS_KV_SIGN : 0) | like);
    if (isnan(hw)) {
        buf[0] = '\0';
        return;
    }
    char t[64];
    ccs__kpi_text(t, sizeof t, u, hw, CCS_KV_SPACE | CCS_KV_HALFWIDTH | pp | like);
    snprintf(buf, cap, "&plusmn;&nbsp;%s", t);
}
static const char *const css =
    "body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,'DejaVu Sans',Arial,sans-serif;"
    "margin:0 auto;max-width:1040px;padding:0 20px 40px;color:#1d1d1f;line-height:1.45}"
    "h1{font-size:1.7em;margin:1.2em 0 .2em}h2{margin-top:2em;border-bottom:2px solid #ddd;"
    "padding-bottom:.2em}h3{margin:1.4em 0 .4em}"
    ".sub{color:#555;margin:0 0 1em}nav a{margin-right:1em}"
    "table{border-collapse:collapse;margin:.4em 0 1em;font-size:.92em}"
    "th,td{padding:.28em .7em;border-bottom:1px solid #e4e4e4;text-align:left;"
    "vertical-align:top}th{background:#f4f4f6}td.n{text-align:right;"
    "font-variant-numeric:tabular-nums;white-space:nowrap}"
    "tbody tr:nth-child(even){background:#fafafa}"
    "figure{margin:1.2em 0 2em}figure .chart svg{width:100%;height:auto;max-width:960px;"
    "display:block;border:1px solid #eee}figcaption{color:#444;font-size:.92em;"
    "max-width:960px;margin-top:.4em}"
    ".note{background:#fff6d6;border:1px solid #e8c95a;padding:.6em 1em;border-radius:4px}"
    ".better{color:#0a7a2f;font-weight:600}.worse{color:#b3261e;font-weight:600}"
    ".same{color:#666}code{font-size:.92em}.wide{overflow-x:auto}"
    ".diff{color:#444;font-size:.9em}tr.first td{border-top:2px solid #bbb}"
    "footer{margin-top:3em;color:#777;font-size:.85em;border-top:1px solid #ddd;"
    "padding-top:.6em}"
    "@media print{nav{display:none}figure{break-inside:avoid}}";

static void head(FILE *f, const char *title)
{
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<meta name=\"generator\" content=\"ccsim " CCS_VERSION "\">\n<title>",
          f);
    ccs__html_esc(f, title);
    fprintf(f, "</title>\n<style>%s</style>\n</head>\n<body>\n", css);
}

/* --- charts ----------------------------------------------------------------------------- */

/* A chart's SVG whole; NULL when it is missing, not a regular file or
   larger than any chart gnuplot draws (64 MiB). */
static char *slurp(const char *path, size_t *len)
{
    char *p;
    return ccs__read_small_file(path, (size_t)64 << 20, &p, len, NULL) == 0 ? p : NULL;
}

static bool at(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/*
 * Copy gnuplot's SVG inline: from "<svg" on (no XML prolog), every id and
 * reference to one prefixed with "pre-", so the charts sharing one page do
 * not resolve each other's markers; the generic <title> becomes the chart's.
 */
bool ccs__html_inline_svg(FILE *f, const char *path, const char *pre, const char *title)
{
    size_t len;
    char *svg = slurp(path, &len);
    const char *s = svg ? strstr(svg, "<svg") : NULL;
    if (s == NULL) {
        free(svg);
        return false;
    }
    fprintf(f, "<svg role=\"img\" aria-label=\"");
    ccs__html_esc(f, title);
    fputs("\"", f);
    s += 4;
    while (*s) {
        static const char *const refs[] = {" id='", " id=\"", "\tid='", "\tid=\"", "\nid='",
                                           "\nid=\"", "href='#", "href=\"#", "url(#"};
        bool done = false;
        for (size_t i = 0; i < sizeof refs / sizeof refs[0] && !done; i++)
            if (at(s, refs[i])) {
                fprintf(f, "%s%s-", refs[i], pre);
                s += strlen(refs[i]);
                done = true;
            }
        if (done)
            continue;
        if (at(s, "<title>Gnuplot</title>")) {
            fputs("<title>", f);
            ccs__html_esc(f, title);
            fputs("</title>", f);
            s += strlen("<title>Gnuplot</title>");
            continue;
        }
        fputc(*s++, f);
    }
    free(svg);
    fputc('\n', f);
    return true;
}

static void charts_section(FILE *f, const struct ccs__plot *p)
{
    fputs("<h2 id=\"charts\">Charts</h2>\n", f);
    if (p->notice[0] != '\0') {
        fputs("<p class=\"note\">", f);
        ccs__html_esc(f, p->notice);
        fputs("</p>\n", f);
    }
    size_t shown = 0;
    for (size_t i = 0; i < p->n_charts; i++) {
        const struct ccs__chart *c = &p->charts[i];
        char path[4096], rel[128];
        snprintf(rel, sizeof rel, "charts/%s.svg", c->name);
        if (!c->drawn || !ccs__path(path, sizeof path, p->work, rel))
            continue;
        fprintf(f, "<figure id=\"chart-%s\">\n<div class=\"chart\">", c->name);
        char pre[32];
        snprintf(pre, sizeof pre, "c%zu", i);
        if (!ccs__html_inline_svg(f, path, pre, c->title))
            fputs("<p class=\"note\">(chart missing)</p>", f);
        fputs("</div>\n<figcaption><b>", f);
        ccs__html_esc(f, c->title);
        fputs(".</b> ", f);
        ccs__html_esc(f, c->caption);
        fprintf(f,
                " <span class=\"same\">Files: <a href=\"charts/%s.png\">charts/%s.png</a>, "
                "<a href=\"charts/%s.svg\">charts/%s.svg</a> (script <code>plots/%s</code>).</span>"
                "</figcaption>\n</figure>\n",
                c->name, c->name, c->name, c->name, c->script);
        shown++;
    }
    if (shown == 0 && p->notice[0] == '\0')
        fputs("<p>No charts for these results.</p>\n", f);
}

/* --- scenario and definitions ------------------------------------------------------------- */

static void kv_row(FILE *f, const char *k, const char *v)
{
    fputs("<tr><th>", f);
    ccs__html_esc(f, k);
    fputs("</th><td>", f);
    ccs__html_esc(f, v && *v ? v : "?");
    fputs("</td></tr>\n", f);
}

static void kv_dur(FILE *f, const char *k, double s)
{
    char b[64];
    if (isnan(s))
        snprintf(b, sizeof b, "?");
    else
        ccs_format_duration(s, b, sizeof b);
    kv_row(f, k, b);
}

static void scenario_section(FILE *f, const struct ccs__meta *m, const char *extra_k,
                             const char *extra_v)
{
    char b[256];
    fputs("<h2 id=\"scenario\">Scenario</h2>\n", f);
    if (!m->known) {
        fputs("<p>The results do not say which scenario they came from.</p>\n", f);
        return;
    }
    fputs("<table class=\"kv\">\n", f);
    kv_row(f, "Scenario", m->name);
    kv_row(f, "File", m->file);
    if (m->sha256 != NULL && m->sha256[0] != '\0')
        kv_row(f, "File SHA-256", m->sha256);
    if (m->overrides != NULL)
        kv_row(f, "Overrides (--set)", m->overrides[0] != '\0' ? m->overrides : "none");
    if (extra_k != NULL)
        kv_row(f, extra_k, extra_v);
    kv_row(f, "Routing policy", m->policy);
    kv_row(f, "Seed", m->seed);
    snprintf(b, sizeof b, "%.0f", m->reps);
    kv_row(f, "Replications", isnan(m->reps) ? NULL : b);
    kv_dur(f, "Horizon", m->horizon);
    if (m->warmup > 0)
        kv_dur(f, "Warm-up", m->warmup);
    kv_dur(f, "Reporting interval", m->interval);
    kv_row(f, "After the horizon",
           m->drain < 0 ? NULL
           : m->drain   ? "contacts in the system are served (drain)"
                        : "the run stops");
    const char *def = NULL;
    for (int i = 0; i < CCS_SL_COUNT_ && m->sl_def; i++)
        if (strcmp(ccs_sl_def_name((enum ccs_sl_def)i), m->sl_def) == 0)
            def = ccs_kpi_info((enum ccs_kpi)(CCS_KPI_sl_offered + i))->definition;
    snprintf(b, sizeof b, "%s: %s", m->sl_def ? m->sl_def : "?", def ? def : "?");
    kv_row(f, "Service-level definition", b);
    snprintf(b, sizeof b, "%.0f%% (Student t, over replications)", 100 * m->level);
    kv_row(f, "Confidence intervals", isnan(m->level) ? NULL : b);
    kv_row(f, "Results written by", m->version ? m->version : NULL);
    fputs("</table>\n", f);
    if (m->nq > 0) {
        fputs("<h3>Queues</h3>\n<table><thead><tr><th>Queue</th><th>Service-level "
              "target</th></tr></thead><tbody>\n",
              f);
        for (size_t i = 0; i < m->nq; i++) {
            char w[32];
            ccs_format_duration(m->q[i].within, w, sizeof w);
            fputs("<tr><td>", f);
            ccs__html_esc(f, m->q[i].id);
            fprintf(f, "</td><td>%.0f%% within %s</td></tr>\n", 100 * m->q[i].target, w);
        }
        fputs("</tbody></table>\n", f);
    }
    if (m->ng > 0) {
        fputs("<h3>Agent groups</h3>\n<table><thead><tr><th>Group</th><th>Agents</th>"
              "<th>Serves (in order of preference)</th></tr></thead><tbody>\n",
              f);
        for (size_t i = 0; i < m->ng; i++) {
            fputs("<tr><td>", f);
            ccs__html_esc(f, m->g[i].id);
            fprintf(f, "</td><td class=\"n\">%.0f</td><td>", m->g[i].agents);
            ccs__html_esc(f, m->g[i].skills);
            fputs("</td></tr>\n", f);
        }
        fputs("</tbody></table>\n", f);
    }
}

static void definitions_section(FILE *f, const struct ccs__meta *m)
{
    static const char *const units[] = {"count", "fraction (shown as %)", "seconds", "money",
                                        "number"};
    fputs("<h2 id=\"definitions\">Definitions</h2>\n<h3>Service level</h3>\n"
          "<p>T is the queue's (or segment's) service-level threshold; a wait of exactly T "
          "counts as within. <code>service_level</code> reports the scenario's definition; "
          "all are in the CSV and JSON files.</p>\n<table><thead><tr><th>Name</th>"
          "<th>Formula</th><th></th></tr></thead><tbody>\n",
          f);
    for (int i = 0; i < CCS_SL_COUNT_; i++) {
        const char *name = ccs_sl_def_name((enum ccs_sl_def)i);
        bool used = m->sl_def != NULL && strcmp(m->sl_def, name) == 0;
        fprintf(f, "<tr><td><code>%s</code></td><td>", name);
        ccs__html_esc(f, ccs_kpi_info((enum ccs_kpi)(CCS_KPI_sl_offered + i))->definition);
        fprintf(f, "</td><td>%s</td></tr>\n", used ? "<b>used here</b>" : "");
    }
    fputs("</tbody></table>\n<h3>KPIs</h3>\n<p>Each KPI is measured once per replication; "
          "tables show the mean over replications and the half-width of its confidence "
          "interval (Student t). Contacts count in the interval in which they arrived.</p>\n"
          "<table><thead><tr><th>Id</th><th>Name</th><th>Unit</th><th>Better</th>"
          "<th>Definition</th></tr></thead><tbody>\n",
          f);
    for (int k = 0; k < CCS_KPI_COUNT_; k++) {
        const struct ccs_kpi_info *info = ccs_kpi_info((enum ccs_kpi)k);
        fprintf(f, "<tr><td><code>%s</code></td><td>", info->id);
        ccs__html_esc(f, info->label);
        fprintf(f, "</td><td>%s</td><td>%s</td><td>", units[info->unit],
                info->better > 0   ? "higher"
                : info->better < 0 ? "lower"
                                   : "&ndash;");
        ccs__html_esc(f, info->definition);
        fputs("</td></tr>\n", f);
    }
    fputs("</tbody></table>\n", f);
}

static int end(FILE *f, const struct ccs__meta *m, struct ccs_diag *d)
{
    fputs("<footer>Written by ccsim " CCS_VERSION, f);
    if (m->seed != NULL) {
        fputs(" &middot; seed ", f);
        ccs__html_esc(f, m->seed);
    }
    fputs(" &middot; charts drawn by gnuplot from the CSV files next to this report "
          "(docs/plots.md tells how to redraw them by hand).</footer>\n</body>\n</html>\n",
          f);
    if (ferror(f))
        return ccs_diag_at(d, CCS_EIO, "report.html", 0, 0, "cannot write");
    return 0;
}

/* --- a run ---------------------------------------------------------------------------------- */

struct krow {
    char scope[16], queue[72], segment[72], group[72], metric[40];
    enum ccs_unit unit;
    double mean, hw, lo, hi;
};

static int read_rows(const char *src, const char *file, struct krow **out, size_t *n,
                     struct ccs_diag *d)
{
    char path[4096];
    struct ccs__csv c;
    *out = NULL;
    *n = 0;
    if (!ccs__path(path, sizeof path, src, file))
        return ccs_diag_at(d, CCS_EIO, src, 0, 0, "path too long");
    int rc = ccs__csv_open(&c, path, d);
    if (rc != 0)
        return rc;
    int cs = ccs__csv_col(&c, "scope"), cq = ccs__csv_col(&c, "queue"),
        cg = ccs__csv_col(&c, "segment"), cr = ccs__csv_col(&c, "group"),
        cm = ccs__csv_col(&c, "metric"), cu = ccs__csv_col(&c, "unit"),
        cmean = ccs__csv_col(&c, "mean"), chw = ccs__csv_col(&c, "halfwidth"),
        clo = ccs__csv_col(&c, "ci_low"), chi = ccs__csv_col(&c, "ci_high");
    size_t cap = 0;
    while (ccs__csv_next(&c)) {
        if (CCS_GROW(*out, cap, *n + 1) != 0) {
            ccs__csv_close(&c);
            return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
        }
        struct krow *r = &(*out)[(*n)++];
        snprintf(r->scope, sizeof r->scope, "%s", ccs__csv_get(&c, cs));
        snprintf(r->queue, sizeof r->queue, "%s", ccs__csv_get(&c, cq));
        snprintf(r->segment, sizeof r->segment, "%s", ccs__csv_get(&c, cg));
        snprintf(r->group, sizeof r->group, "%s", ccs__csv_get(&c, cr));
        snprintf(r->metric, sizeof r->metric, "%s", ccs__csv_get(&c, cm));
        r->unit = ccs__unit_find(ccs__csv_get(&c, cu));
        r->mean = ccs__csv_num(&c, cmean);
        r->hw = ccs__csv_num(&c, chw);
        r->lo = ccs__csv_num(&c, clo);
        r->hi = ccs__csv_num(&c, chi);
    }
    ccs__csv_close(&c);
    return 0;
}

static bool same_block(const struct krow *a, const struct krow *b)
{
    return strcmp(a->scope, b->scope) == 0 && strcmp(a->queue, b->queue) == 0 &&
           strcmp(a->segment, b->segment) == 0 && strcmp(a->group, b->group) == 0;
}

static void block_title(FILE *f, const struct krow *r, const struct ccs__meta *m)
{
    fputs("<h3>", f);
    if (strcmp(r->scope, "overall") == 0) {
        fputs("Overall", f);
    } else if (strcmp(r->scope, "queue") == 0) {
        fputs("Queue ", f);
        ccs__html_esc(f, r->queue);
        for (size_t i = 0; i < m->nq; i++)
            if (strcmp(m->q[i].id, r->queue) == 0) {
                char w[32];
                ccs_format_duration(m->q[i].within, w, sizeof w);
                fprintf(f, " <small>(target %.0f%% within %s)</small>", 100 * m->q[i].target, w);
            }
    } else if (strcmp(r->scope, "channel") == 0) {
        fputs("Channel ", f);
        ccs__html_esc(f, r->queue);
        fputs(" <small>(service level: answered within their own queue&rsquo;s threshold / "
              "offered)</small>", f);
    } else if (strcmp(r->scope, "segment") == 0) {
        fputs("Segment ", f);
        ccs__html_esc(f, r->queue);
        fputs("/", f);
        ccs__html_esc(f, r->segment);
    } else if (strcmp(r->scope, "group") == 0) {
        fputs("Group ", f);
        ccs__html_esc(f, r->group);
        for (size_t i = 0; i < m->ng; i++)
            if (strcmp(m->g[i].id, r->group) == 0)
                fprintf(f, " <small>(%.0f agents)</small>", m->g[i].agents);
    } else {
        ccs__html_esc(f, r->scope);
    }
    fputs("</h3>\n", f);
}

static void kpi_row(FILE *f, const struct krow *r, const char *label)
{
    char v[64], hw[80], lo[64], hi[64];
    fmt_ci(v, sizeof v, hw, sizeof hw, r->unit, r->mean, r->hw, false);
    fmt_value(lo, sizeof lo, r->unit, r->lo);
    fmt_value(hi, sizeof hi, r->unit, r->hi);
    if (ccs__kv_pair(r->unit, r->mean, r->hw) != 0 && !isnan(r->hw)) {
        /* the interval in h:mm:ss like the mean */
        ccs__kpi_text(lo, sizeof lo, r->unit, r->lo, CCS_KV_HMS);
        ccs__kpi_text(hi, sizeof hi, r->unit, r->hi, CCS_KV_HMS);
    }
    fputs("<tr><td>", f);
    ccs__html_esc(f, label);
    fprintf(f, " <code>%s</code></td><td class=\"n\">%s</td><td class=\"n\">%s</td>", r->metric, v,
            hw);
    if (isnan(r->hw))
        fputs("<td></td></tr>\n", f);
    else
        fprintf(f, "<td class=\"n\">%s &ndash; %s</td></tr>\n", lo, hi);
}

/*
 * May this row appear in the tables? The catalogue's table KPIs, as in the
 * text report; an optional KPI (of a mechanism the scenario may not use,
 * e.g. redials) when the scenario uses it (queue: its id, "" for all), as
 * the text report decides, or, without the scenario (ccsim plot DIR), when
 * it is not zero; a metric this ccsim does not know when it is not zero.
 */
static bool shown(const struct ccs__plot *p, const char *metric, const char *queue, double mean)
{
    int k = ccs_kpi_find(metric);
    bool zero = mean == 0 || isnan(mean);
    if (k < 0)
        return !zero;
    unsigned flags = ccs_kpi_info((enum ccs_kpi)k)->flags;
    if (!(flags & CCS_KPI_TABLE))
        return false;
    if (!(flags & CCS_KPI_OPTIONAL))
        return true;
    if (p->sc == NULL)
        return !zero;
    int q = -1;
    for (size_t i = 0; queue[0] != '\0' && i < ccs_scenario_queue_count(p->sc); i++)
        if (strcmp(ccs_scenario_queue_id(p->sc, i), queue) == 0)
            q = (int)i;
    if (queue[0] != '\0' && q < 0) /* a queue the baseline lacks */
        return !zero;
    return ccs__report_relevant(p->sc, (enum ccs_kpi)k, q) || (p->compare && !zero);
}

static const char *label_of(const char *metric)
{
    int k = ccs_kpi_find(metric);
    return k < 0 ? metric : ccs_kpi_info((enum ccs_kpi)k)->label;
}

int ccs__html_run(FILE *f, const struct ccs__plot *p, struct ccs_diag *d)
{
    const struct ccs__meta *m = &p->meta;
    struct krow *rows;
    size_t n;
    int rc = read_rows(p->src, "summary.csv", &rows, &n, d);
    if (rc != 0)
        return rc;
    char title[300];
    snprintf(title, sizeof title, "%s: ccsim report", m->name ? m->name : "results");
    head(f, title);
    fputs("<h1>", f);
    ccs__html_esc(f, m->name ? m->name : "Simulation results");
    fputs("</h1>\n<p class=\"sub\">ccsim report &middot; ", f);
    ccs__html_esc(f, m->file);
    fputs(" &middot; policy ", f);
    ccs__html_esc(f, m->policy);
    fputs(" &middot; seed ", f);
    ccs__html_esc(f, m->seed);
    fprintf(f, " &middot; %.0f replications &middot; ccsim %s</p>\n", m->reps, CCS_VERSION);
    fputs("<nav><a href=\"#charts\">Charts</a><a href=\"#kpis\">KPIs</a>"
          "<a href=\"#scenario\">Scenario</a><a href=\"#definitions\">Definitions</a></nav>\n",
          f);
    charts_section(f, p);

    fprintf(f, "<h2 id=\"kpis\">KPIs</h2>\n<p>Whole run: mean over %.0f replications, "
               "&plusmn; the half-width of the %.0f%% confidence interval, and the interval "
               "itself. Per-interval values are in <code>intervals.csv</code>, every replication "
               "in <code>replications.csv</code>.</p>\n",
            m->reps, isnan(m->level) ? 95.0 : 100 * m->level);
    for (size_t i = 0; i < n; i++) {
        if (strcmp(rows[i].scope, "group_queue") == 0 || (i > 0 && same_block(&rows[i], &rows[i - 1])))
            continue;
        block_title(f, &rows[i], m);
        fputs("<table><thead><tr><th>KPI</th><th>Mean</th><th>&plusmn;</th>"
              "<th>Confidence interval</th></tr></thead><tbody>\n",
              f);
        for (size_t j = i; j < n && same_block(&rows[j], &rows[i]); j++)
            if (shown(p, rows[j].metric, rows[j].queue, rows[j].mean))
                kpi_row(f, &rows[j], label_of(rows[j].metric));
        if (strcmp(rows[i].scope, "group") == 0)
            for (size_t j = 0; j < n; j++)
                if (strcmp(rows[j].scope, "group_queue") == 0 &&
                    strcmp(rows[j].group, rows[i].group) == 0) {
                    char label[160];
                    snprintf(label, sizeof label, "%s on %s", label_of(rows[j].metric),
                             rows[j].queue);
                    kpi_row(f, &rows[j], label);
                }
        fputs("</tbody></table>\n", f);
    }
    free(rows);
    scenario_section(f, m, NULL, NULL);
    definitions_section(f, m);
    return end(f, m, d);
}

/* --- a comparison ----------------------------------------------------------------------------- */

struct crow {
    struct krow k;
    int variant;
    double diff, dhw;
    char verdict[40];
};

#define MAX_VARIANTS 32

/*
 * A block's KPIs with 4 or more variants: one row per KPI x variant
 * (KPI, variant, mean ± CI, difference to the baseline ± CI, verdict), as
 * the text table has them, so the table keeps five columns however many
 * variants there are.
 */
/* The row of variant v with row j's metric in the block that starts at row i
   (NULL: that variant has none). */
static const struct crow *variant_row(const struct crow *rows, size_t n, size_t i, size_t j, int v)
{
    for (size_t t = i; t < n; t++)
        if (rows[t].variant == v && same_block(&rows[t].k, &rows[i].k) &&
            strcmp(rows[t].k.metric, rows[j].k.metric) == 0)
            return &rows[t];
    return NULL;
}

/* Does row j's metric show for any variant of the block at row i? An
   optional KPI shows when any variant has it. */
static bool any_shown(const struct ccs__plot *p, const struct crow *rows, size_t n, size_t i,
                      size_t j)
{
    for (size_t t = i; t < n; t++)
        if (same_block(&rows[t].k, &rows[i].k) &&
            strcmp(rows[t].k.metric, rows[j].k.metric) == 0 &&
            shown(p, rows[t].k.metric, rows[t].k.queue, rows[t].k.mean))
            return true;
    return false;
}

static void compare_rows_transposed(FILE *f, const struct ccs__plot *p, const struct crow *rows,
                                    size_t n, size_t i, char (*variants)[72], int nv)
{
    fputs("<div class=\"wide\"><table><thead><tr><th>KPI</th><th>Variant</th><th>Mean "
          "&plusmn; CI</th><th>&Delta; vs baseline &plusmn; CI</th><th>Verdict</th></tr>"
          "</thead><tbody>\n",
          f);
    for (size_t j = i; j < n; j++) {
        if (!same_block(&rows[j].k, &rows[i].k) || rows[j].variant != 0)
            continue;
        if (!any_shown(p, rows, n, i, j))
            continue;
        for (int v = 0; v < nv; v++) {
            const struct crow *r = variant_row(rows, n, i, j, v);
            fputs(v == 0 ? "<tr class=\"first\"><td>" : "<tr><td>", f);
            if (v == 0) {
                ccs__html_esc(f, label_of(rows[j].k.metric));
                fprintf(f, " <code>%s</code>", rows[j].k.metric);
            }
            fputs("</td><td>", f);
            ccs__html_esc(f, variants[v]);
            fputs(v == 0 && strcmp(variants[0], "baseline") != 0 ? " (baseline)</td>" : "</td>", f);
            if (r == NULL) {
                fputs("<td></td><td></td><td></td></tr>\n", f);
                continue;
            }
            char val[64], hw[80], df[64], dhw[80];
            fmt_ci(val, sizeof val, hw, sizeof hw, r->k.unit, r->k.mean, r->k.hw, false);
            fprintf(f, "<td class=\"n\">%s %s</td>", val, hw);
            if (v == 0) {
                fputs("<td></td><td></td></tr>\n", f);
                continue;
            }
            fmt_ci(df, sizeof df, dhw, sizeof dhw, r->k.unit, r->diff, r->dhw, true);
            const char *cls = verdict_class(r->verdict);
            fprintf(f, "<td class=\"n diff\">%s %s</td><td class=\"%s\">", df, dhw, cls);
            ccs__html_esc(f, r->verdict);
            fputs("</td></tr>\n", f);
        }
    }
    fputs("</tbody></table></div>\n", f);
}

int ccs__html_compare(FILE *f, const struct ccs__plot *p, struct ccs_diag *d)
{
    const struct ccs__meta *m = &p->meta;
    char path[4096];
    struct ccs__csv c;
    if (!ccs__path(path, sizeof path, p->src, "compare.csv"))
        return ccs_diag_at(d, CCS_EIO, p->src, 0, 0, "path too long");
    int rc = ccs__csv_open(&c, path, d);
    if (rc != 0)
        return rc;
    int cv = ccs__csv_col(&c, "variant"), cs = ccs__csv_col(&c, "scope"),
        cq = ccs__csv_col(&c, "queue"), cg = ccs__csv_col(&c, "segment"),
        cr = ccs__csv_col(&c, "group"), ci = ccs__csv_col(&c, "interval"),
        cm = ccs__csv_col(&c, "metric"), cu = ccs__csv_col(&c, "unit"),
        cmean = ccs__csv_col(&c, "mean"), chw = ccs__csv_col(&c, "halfwidth"),
        cdiff = ccs__csv_col(&c, "diff"), cdhw = ccs__csv_col(&c, "diff_halfwidth"),
        cverd = ccs__csv_col(&c, "verdict");
    char variants[MAX_VARIANTS][72];
    int nv = 0;
    struct crow *rows = NULL;
    size_t n = 0, cap = 0;
    while (ccs__csv_next(&c)) {
        if (ccs__csv_get(&c, ci)[0] != '\0' || strcmp(ccs__csv_get(&c, cs), "group_queue") == 0)
            continue;
        const char *v = ccs__csv_get(&c, cv);
        int vi = 0;
        while (vi < nv && strcmp(variants[vi], v) != 0)
            vi++;
        if (vi == nv) {
            if (nv == MAX_VARIANTS)
                continue;
            snprintf(variants[nv++], sizeof variants[0], "%s", v);
        }
        if (CCS_GROW(rows, cap, n + 1) != 0) {
            free(rows);
            ccs__csv_close(&c);
            return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
        }
        struct crow *r = &rows[n++];
        snprintf(r->k.scope, sizeof r->k.scope, "%s", ccs__csv_get(&c, cs));
        snprintf(r->k.queue, sizeof r->k.queue, "%s", ccs__csv_get(&c, cq));
        snprintf(r->k.segment, sizeof r->k.segment, "%s", ccs__csv_get(&c, cg));
        snprintf(r->k.group, sizeof r->k.group, "%s", ccs__csv_get(&c, cr));
        snprintf(r->k.metric, sizeof r->k.metric, "%s", ccs__csv_get(&c, cm));
        r->k.unit = ccs__unit_find(ccs__csv_get(&c, cu));
        r->k.mean = ccs__csv_num(&c, cmean);
        r->k.hw = ccs__csv_num(&c, chw);
        r->variant = vi;
        r->diff = ccs__csv_num(&c, cdiff);
        r->dhw = ccs__csv_num(&c, cdhw);
        snprintf(r->verdict, sizeof r->verdict, "%s", ccs__csv_get(&c, cverd));
    }
    ccs__csv_close(&c);

    char title[300];
    snprintf(title, sizeof title, "%s: ccsim comparison", m->name ? m->name : "variants");
    head(f, title);
    fputs("<h1>Comparison", f);
    if (m->name != NULL) {
        fputs(": ", f);
        ccs__html_esc(f, m->name);
    }
    fputs("</h1>\n<p class=\"sub\">ccsim comparison report &middot; baseline <b>", f);
    ccs__html_esc(f, nv > 0 ? variants[0] : "?");
    fputs("</b>", f);
    for (int i = 1; i < nv; i++) {
        fputs(i == 1 ? " &middot; variants " : ", ", f);
        ccs__html_esc(f, variants[i]);
    }
    if (m->seed != NULL) {
        fputs(" &middot; seed ", f);
        ccs__html_esc(f, m->seed);
    }
    fputs(" &middot; ccsim " CCS_VERSION "</p>\n", f);
    fputs("<nav><a href=\"#charts\">Charts</a><a href=\"#kpis\">KPIs</a>"
          "<a href=\"#scenario\">Scenario</a><a href=\"#definitions\">Definitions</a></nav>\n",
          f);
    charts_section(f, p);

    fputs("<h2 id=\"kpis\">KPIs</h2>\n<p>Each variant's mean &plusmn; the half-width of its 95% "
          "confidence interval; &Delta;: the variant minus the baseline, paired over "
          "replications that share their random numbers, with its own 95% confidence "
          "interval; the verdict says whether the difference is significant and which way is "
          "better. Per-interval differences are in <code>compare.csv</code>.</p>\n",
          f);
    for (size_t i = 0; i < n; i++) {
        bool first = true;
        for (size_t j = 0; j < i && first; j++)
            first = !same_block(&rows[j].k, &rows[i].k);
        if (!first)
            continue;
        block_title(f, &rows[i].k, m);
        if (nv > 3) {
            /* 4 or more variants: one row per KPI x variant (columns would not fit) */
            compare_rows_transposed(f, p, rows, n, i, variants, nv);
            continue;
        }
        /* per variant: its mean, under it the difference to the baseline; the verdict */
        fputs("<div class=\"wide\"><table><thead><tr><th rowspan=\"2\">KPI</th>", f);
        for (int v = 0; v < nv; v++) {
            fprintf(f, "<th%s>", v ? " colspan=\"2\"" : "");
            ccs__html_esc(f, variants[v]);
            fputs(v || strcmp(variants[0], "baseline") == 0 ? "</th>" : " (baseline)</th>", f);
        }
        fputs("</tr><tr><th>Mean</th>", f);
        for (int v = 1; v < nv; v++)
            fputs("<th>Mean<br>&Delta; vs baseline</th><th>Verdict</th>", f);
        fputs("</tr></thead><tbody>\n", f);
        /* one line per metric of this block, in file order */
        for (size_t j = i; j < n; j++) {
            if (!same_block(&rows[j].k, &rows[i].k) || rows[j].variant != 0)
                continue;
            if (!any_shown(p, rows, n, i, j))
                continue;
            fputs("<tr><td>", f);
            ccs__html_esc(f, label_of(rows[j].k.metric));
            fprintf(f, " <code>%s</code></td>", rows[j].k.metric);
            for (int v = 0; v < nv; v++) {
                const struct crow *r = variant_row(rows, n, i, j, v);
                if (r == NULL) {
                    fputs(v ? "<td></td><td></td>" : "<td></td>", f);
                    continue;
                }
                char val[64], hw[80], df[64], dhw[80];
                fmt_ci(val, sizeof val, hw, sizeof hw, r->k.unit, r->k.mean, r->k.hw, false);
                fprintf(f, "<td class=\"n\">%s %s", val, hw);
                if (v == 0) {
                    fputs("</td>", f);
                    continue;
                }
                fmt_ci(df, sizeof df, dhw, sizeof dhw, r->k.unit, r->diff, r->dhw, true);
                const char *cls = verdict_class(r->verdict);
                fprintf(f, "<br><span class=\"diff\">%s %s</span></td><td class=\"%s\">", df,
                        dhw, cls);
                ccs__html_esc(f, r->verdict);
                fputs("</td>", f);
            }
            fputs("</tr>\n", f);
        }
        fputs("</tbody></table></div>\n", f);
    }
    free(rows);
    ccs__html_model_error(f, p->src); /* with a backtest of the model (fit_out.c) */
    struct ccs__sbuf vl = {0};
    for (int i = 0; i < nv; i++)
        ccs__sb_printf(&vl, "%s%s%s", i ? ", " : "", variants[i],
                       i == 0 && strcmp(variants[0], "baseline") != 0 ? " (baseline)" : "");
    scenario_section(f, m, "Variants", vl.p);
    ccs__sb_release(&vl);
    if (m->nv > 0) {
        fputs("<h3>Variants</h3>\n<table><thead><tr><th>Variant</th><th>Change</th>"
              "<th>File</th><th>Routing policy</th></tr></thead><tbody>\n",
              f);
        for (size_t i = 0; i < m->nv; i++) {
            fputs("<tr><td>", f);
            ccs__html_esc(f, m->v[i].name);
            fputs(i == 0 && strcmp(m->v[0].name, "baseline") != 0 ? " (baseline)</td><td>"
                                                                  : "</td><td>",
                  f);
            ccs__html_esc(f, m->v[i].description);
            fputs("</td><td>", f);
            ccs__html_esc(f, m->v[i].file);
            fputs("</td><td>", f);
            ccs__html_esc(f, m->v[i].policy);
            fputs("</td></tr>\n", f);
        }
        fputs("</tbody></table>\n", f);
    }
    if (m->known)
        fputs("<p>The scenario above is the baseline's; each variant changes it as "
              "described.</p>\n",
              f);
    definitions_section(f, m);
    return end(f, m, d);
}
