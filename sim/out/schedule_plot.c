/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * schedule_plot.c - the pictures of a roster (`ccsim schedule --plots`):
 * the coverage chart drawn by gnuplot from plots/coverage.gp (required,
 * scheduled and on the phones per group and interval, and the simulated
 * service level against target), and report.html with it, the cost and
 * paid hours of the roster against the head-count plan per group, and the
 * summary `ccsim schedule` prints.
 */
#include "ccs/mem.h"
#include "ccs/plot.h"
#include "ccs/schedule.h"

#include "model/scenario.h"
#include "out/plot_impl.h"
#include "out/report_util.h"
#include "core/memstream.h"
#include "out/plot_scripts.h"
#include "out/proc.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CHART "coverage"
#define SCRIPT "coverage.gp"



static void note(const struct ccs_plot_opts *po, const char *msg)
{
    if (po->note != NULL)
        po->note(po->note_ctx, msg);
}

/* work/rel written by w(f, s); false on failure. */
static bool write_work(const char *work, const char *rel, int (*w)(FILE *, const void *),
                       const void *arg)
{
    char path[4096];
    if (!ccs__path(path, sizeof path, work, rel))
        return false;
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return false;
    int rc = w(f, arg);
    return (fclose(f) == 0) & (rc == 0);
}

static int w_coverage(FILE *f, const void *s) { return ccs_schedule_write_coverage(f, s); }
static int w_sl(FILE *f, const void *s) { return ccs_schedule_write_sl(f, s); }

static int w_script(FILE *f, const void *arg)
{
    (void)arg;
    for (const struct ccs__plot_script *s = ccs__plot_scripts; s->name != NULL; s++)
        if (strcmp(s->name, SCRIPT) == 0)
            return fwrite(s->text, 1, s->len, f) == s->len ? 0 : CCS_EIO;
    return CCS_ENOTFOUND;
}

/* The chart's data and script in work, then SVG and PNG; false with a note
   (and why in *why) when it failed. */
static bool draw(const char *work, const struct ccs_schedule *s, const char *gnuplot,
                 const struct ccs_plot_opts *po)
{
    if (!write_work(work, "charts/" CHART ".csv", w_coverage, s) ||
        !write_work(work, "charts/service_level.csv", w_sl, s) ||
        !write_work(work, SCRIPT, w_script, NULL)) {
        note(po, "warning: cannot prepare the coverage chart's files");
        return false;
    }
    char err[4096], path[4096], title[300];
    if (!ccs__path(err, sizeof err, work, "charts/" CHART ".err"))
        return false;
    snprintf(title, sizeof title, "Roster coverage: %s", s->sc->name);
    bool ok = true;
    static const char *const ext[2] = {"svg", "png"};
    for (int k = 0; k < 2 && ok; k++) {
        struct ccs__sbuf e = {0};
        char out[64];
        snprintf(out, sizeof out, "charts/" CHART ".%s", ext[k]);
        ccs__gp_var(&e, "in", "charts/" CHART ".csv");
        ccs__gp_var(&e, "sl", "charts/service_level.csv");
        ccs__gp_var(&e, "title", title);
        ccs__gp_var(&e, "out", out);
        /* -d: default settings, so a personal ~/.gnuplot cannot change the chart */
        char *argv[] = {(char *)"gnuplot", (char *)"-d", (char *)"-e", e.p, (char *)SCRIPT,
                        NULL};
        int st = e.oom ? -1 : ccs__run_program(gnuplot, argv, work, err, po->timeout_s);
        ccs__sb_release(&e);
        struct stat sb;
        ok = st == 0 && ccs__path(path, sizeof path, work, out) && stat(path, &sb) == 0 &&
             sb.st_size > 0;
    }
    if (!ok)
        note(po, "warning: chart '" CHART "' not drawn (gnuplot: see charts/" CHART ".err)");
    else
        unlink(err);
    return ok;
}

/* Per group (and the total, g == n_groups): people, paid hours and cost of
   the roster; hours and cost of the Erlang plan and of the requirement the
   roster covers (raised by the simulation loop). */
struct costs {
    double people, hours, cost;
    double plan_hours, plan_cost, req_hours;
};

static void tally(const struct ccs_schedule *s, size_t g, struct costs *c)
{
    const struct ccs_scenario *sc = s->sc;
    const struct ccs_roster *r = s->roster;
    memset(c, 0, sizeof *c);
    int32_t rg = s->group_of[g];
    if (rg < 0)
        return;
    c->people = r->headcount[rg];
    for (size_t i = 0; i < r->n_shifts; i++)
        if (r->shifts[i].group == (uint32_t)rg) {
            c->hours += r->shifts[i].count * r->shifts[i].paid_hours;
            c->cost += r->shifts[i].count * r->shifts[i].cost;
        }
    double h = sc->interval / 3600;
    for (uint32_t t = 0; t < s->n_intervals; t++) {
        size_t k = g * s->n_intervals + t;
        c->plan_hours += s->staff->plan[k] * h;
        c->plan_cost += s->staff->plan[k] * h * sc->groups[g].cost_per_hour;
        c->req_hours += s->required[k] * h;
    }
}

static void cost_row(FILE *f, const char *name, const struct costs *c, bool total)
{
    const char *b0 = total ? "<b>" : "", *b1 = total ? "</b>" : "";
    fputs("<tr><td>", f);
    fputs(b0, f);
    ccs__html_esc(f, name);
    fputs(b1, f);
    fprintf(f, "</td><td>%s%.1f%s</td><td>%s%.2f%s</td><td>%s%.1f%s</td>", b0, c->plan_hours,
            b1, b0, c->plan_cost, b1, b0, c->req_hours, b1);
    fprintf(f, "<td>%s%.0f%s</td><td>%s%.1f%s</td><td>%s%.2f%s</td>", b0, c->people, b1, b0,
            c->hours, b1, b0, c->cost, b1);
    if (c->plan_hours > 0)
        fprintf(f, "<td>%s%+.1f%%%s</td>", b0, 100 * (c->hours / c->plan_hours - 1), b1);
    else
        fputs("<td>-</td>", f);
    if (c->plan_cost > 0)
        fprintf(f, "<td>%s%+.1f%%%s</td>", b0, 100 * (c->cost / c->plan_cost - 1), b1);
    else
        fputs("<td>-</td>", f);
    fputs("</tr>\n", f);
}

static void cost_table(FILE *f, const struct ccs_schedule *s)
{
    const struct ccs_roster *r = s->roster;
    fputs("<h2 id=\"cost\">Cost and paid hours against the head-count plan</h2>\n"
          "<p>The head-count plan pays exactly the agents each interval needs (the Erlang A "
          "requirement grossed up by shrinkage, at the group's <code>cost_per_hour</code>), as "
          "if a shift of any length could start at any time; the roster pays whole shifts with "
          "their paid breaks, at its templates' costs. The requirement column is the agent-hours "
          "the roster had to cover",
          f);
    fputs(!s->simulated ? " (the plan's).</p>\n"
          : s->cuts == CCS_SCHED_CUTS_RAISE
              ? ", raised where the simulated roster missed its target.</p>\n"
              : " (the plan's; the subgradient cuts asked for more where the simulated roster "
                "missed its target).</p>\n",
          f);
    fputs("<table>\n<thead><tr><th>group</th><th>plan: paid hours</th><th>plan: cost</th>"
          "<th>required hours</th><th>roster: people</th><th>roster: paid hours</th>"
          "<th>roster: cost</th><th>hours vs plan</th><th>cost vs plan</th></tr></thead>\n"
          "<tbody>\n",
          f);
    struct costs sum, c;
    memset(&sum, 0, sizeof sum);
    size_t shown = 0;
    for (size_t g = 0; g < s->n_groups; g++) {
        if (s->group_of[g] < 0)
            continue;
        tally(s, g, &c);
        cost_row(f, s->sc->groups[g].id, &c, false);
        sum.people += c.people;
        sum.hours += c.hours;
        sum.cost += c.cost;
        sum.plan_hours += c.plan_hours;
        sum.plan_cost += c.plan_cost;
        sum.req_hours += c.req_hours;
        shown++;
    }
    if (shown > 1)
        cost_row(f, "all groups", &sum, true);
    fputs("</tbody>\n</table>\n", f);
    char why[256];
    ccs_roster_stop_text(r, why, sizeof why);
    fprintf(f,
            "<p>Solver (%s): %s; LP bound %.2f, best bound proven %.2f: the roster is within "
            "%.2f%% of the least cost any roster of these templates can have. The search %s."
            "</p>\n",
            r->solver ? r->solver : "GLPK", ccs_roster_status_name(r->status), r->lp_bound,
            r->bound, 100 * r->gap, why);
}

static int write_html(FILE *h, const struct ccs_schedule *s, bool drawn, const char *svg,
                      const char *notice)
{
    fputs("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<title>ccsim schedule: ",
          h);
    ccs__html_esc(h, s->sc->name);
    fputs("</title>\n<style>body{font-family:Arial,sans-serif;max-width:1000px;"
          "margin:2em auto;color:#222}figure{margin:2em 0}svg{max-width:100%;height:auto}"
          "figcaption{font-size:.92em;color:#444}pre{background:#f6f6f6;padding:1em;"
          "overflow-x:auto}table{border-collapse:collapse;font-size:.92em}"
          "th,td{border:1px solid #ccc;padding:.3em .6em;text-align:right}"
          "th:first-child,td:first-child{text-align:left}.note{color:#8a4b00}</style>\n"
          "</head>\n<body>\n<h1>Roster: ",
          h);
    ccs__html_esc(h, s->sc->name);
    fputs("</h1>\n<p>What <code>ccsim schedule</code> built (docs/schedule.md states the "
          "program and the loop); the files beside this report hold the roster "
          "(roster.yaml to paste over the scenario's groups, roster.csv), the coverage "
          "(coverage.csv) and the simulated service level (service_level.csv).</p>\n"
          "<h2 id=\"coverage\">Coverage</h2>\n",
          h);
    if (notice[0]) {
        fputs("<p class=\"note\">", h);
        ccs__html_esc(h, notice);
        fputs("</p>\n", h);
    }
    if (drawn) {
        char title[300];
        snprintf(title, sizeof title, "Roster coverage: %s", s->sc->name);
        fprintf(h, "<figure id=\"chart-" CHART "\">\n<div class=\"chart\">");
        if (!ccs__html_inline_svg(h, svg, "c0", title))
            fputs("<p class=\"note\">(chart missing)</p>", h);
        fputs("</div>\n<figcaption><b>Coverage by interval.</b> Per group: the agents required "
              "on the phones (black steps), scheduled on a shift (dashed) and on the phones "
              "after breaks (solid), by clock time.",
              h);
        if (s->simulated)
            fprintf(h,
                    " Below: the service level of each queue by interval in the validation "
                    "simulation of the final roster (%u replications, fresh seed %llu), "
                    "against its target (dotted).",
                    s->replications, (unsigned long long)(s->seed + 1));
        else
            fputs(" (Run with --simulate for the simulated service level by interval.)", h);
        fputs(" Files: <a href=\"charts/" CHART ".png\">charts/" CHART ".png</a>, <a "
              "href=\"charts/" CHART ".svg\">charts/" CHART ".svg</a>, data <a "
              "href=\"charts/" CHART ".csv\">charts/" CHART ".csv</a> and <a "
              "href=\"charts/service_level.csv\">charts/service_level.csv</a> (script "
              "<code>plots/" SCRIPT "</code>).</figcaption>\n</figure>\n",
              h);
    }
    cost_table(h, s);
    fputs("<h2 id=\"summary\">Summary</h2>\n<pre>", h);
    char *text = NULL;
    size_t len = 0;
    FILE *m = ccs__memstream(&text, &len);
    if (m != NULL) {
        int rc = ccs_schedule_write_table(m, s);
        if (fclose(m) == 0 && rc == 0 && text != NULL)
            ccs__html_esc(h, text);
    }
    free(text);
    fputs("</pre>\n</body>\n</html>\n", h);
    return ferror(h) ? CCS_EIO : 0;
}

int ccs_schedule_plot(struct ccs_outdir *o, const struct ccs_schedule *s,
                      const struct ccs_plot_opts *po, struct ccs_diag *d)
{
    if (o == NULL || s == NULL || po == NULL)
        return ccs_diag_at(d, CCS_EINVAL, NULL, 0, 0, "invalid argument");
    const char *work = ccs_outdir_workdir(o, d);
    char charts[4096], svg[4096], notice[400] = "";
    if (work == NULL)
        return CCS_EIO;
    if (!ccs__path(charts, sizeof charts, work, "charts") ||
        !ccs__path(svg, sizeof svg, work, "charts/" CHART ".svg") ||
        (mkdir(charts, 0777) != 0 && errno != EEXIST))
        return ccs_diag_at(d, CCS_EIO, charts, 0, 0, "cannot make the charts folder");
    bool drawn = false;
    if (po->charts) {
        const char *prog = po->gnuplot ? po->gnuplot : "gnuplot";
        char *gnuplot = ccs__find_program(prog);
        if (gnuplot == NULL) {
            char msg[300];
            snprintf(msg, sizeof msg,
                     "note: %s not found; charts skipped (install: apt-get install gnuplot-nox)",
                     prog);
            note(po, msg);
            snprintf(notice, sizeof notice,
                     "No chart: gnuplot was not found when this report was written (Debian: "
                     "apt-get install gnuplot-nox); coverage.csv and service_level.csv hold "
                     "its data (plots/coverage.gp draws it).");
        } else {
            drawn = draw(work, s, gnuplot, po);
            if (!drawn)
                snprintf(notice, sizeof notice,
                         "The coverage chart could not be drawn (see the warning ccsim "
                         "printed).");
        }
        free(gnuplot);
    }
    FILE *h = ccs_outdir_file(o, "report.html", d);
    int rc = h == NULL ? CCS_EIO : write_html(h, s, drawn, svg, notice);
    if (rc != 0 && h != NULL)
        ccs_diag_at(d, rc, NULL, 0, 0, "cannot write report.html");
    if (rc == 0 && drawn)
        rc = ccs_outdir_adopt(o, "charts", "charts", d);
    return rc;
}
