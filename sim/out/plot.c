/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * plot.c - charts and report.html for a run or a comparison (plot.h):
 * decide which charts the results support, run gnuplot once per chart in
 * the output transaction's work directory (the scripts are compiled in,
 * from plots/), then write report.html and adopt the charts directory.
 */
#include "ccs/run.h"
#include "ccs/plot.h"

#include "ccs/kpi.h"
#include "ccs/sim.h"
#include "core/timeconst.h"
#include "fmt/csvread.h"
#include "fmt/textout.h"
#include "out/plot_impl.h"
#include "out/plot_scripts.h"
#include "out/proc.h"
#include "ccs/units.h"
#include "core/grow.h"
#include "model/scenario.h"
#include "ccs/mem.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_CHARTS 64
#define MAX_QUEUE_LINES 8 /* more queues: the waiting chart shows their total */
#define MAX_GROUP_LINES 4 /* more groups: the agents chart shows their totals */

/* --- small helpers ------------------------------------------------------------------ */

void ccs__sb_printf(struct ccs__sbuf *b, const char *fmt, ...)
{
    if (b->oom)
        return;
    for (;;) {
        va_list ap;
        va_start(ap, fmt);
        size_t room = b->cap - b->n;
        int k = vsnprintf(b->p ? b->p + b->n : NULL, b->p ? room : 0, fmt, ap);
        va_end(ap);
        if (k < 0) {
            b->oom = true;
            return;
        }
        if (b->p != NULL && (size_t)k < room) {
            b->n += (size_t)k;
            return;
        }
        bool empty = b->p == NULL;
        if (ccs__grow(&b->p, &b->cap, b->n + (size_t)k + 1, 1) != 0) {
            b->oom = true;
            return;
        }
        if (empty)
            b->p[0] = '\0';
    }
}

void ccs__sb_release(struct ccs__sbuf *b)
{
    free(b->p);
    memset(b, 0, sizeof *b);
}

bool ccs__path(char *buf, size_t cap, const char *dir, const char *name)
{
    int k = snprintf(buf, cap, "%s/%s", dir, name);
    return k > 0 && (size_t)k < cap;
}

static void note(const struct ccs_plot_opts *po, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
static void note(const struct ccs_plot_opts *po, const char *fmt, ...)
{
    if (po->note == NULL)
        return;
    char msg[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    po->note(po->note_ctx, msg);
}

/*
 * Append s as a gnuplot single-quoted string: inside, only a doubled quote
 * is special, so no user text can end the string and inject commands.
 * Control characters (which could end the command) become spaces.
 */
static void gp_quote(struct ccs__sbuf *b, const char *s)
{
    ccs__sb_printf(b, "'");
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '\'')
            ccs__sb_printf(b, "''");
        else
            ccs__sb_printf(b, "%c", c < 0x20 || c == 0x7f ? ' ' : (char)c);
    }
    ccs__sb_printf(b, "'");
}

/* Add item to a gnuplot word list (words separated by spaces; an item with
   blanks is double-quoted, as word() understands). Items with a double quote
   cannot be listed; false then. */
static bool gp_word(struct ccs__sbuf *list, const char *item)
{
    if (strchr(item, '"') != NULL || *item == '\0')
        return false;
    bool blank = strpbrk(item, " \t") != NULL;
    ccs__sb_printf(list, "%s%s%s%s", list->n ? " " : "", blank ? "\"" : "", item,
                   blank ? "\"" : "");
    return true;
}

/* "name=<quoted value>; " */
void ccs__gp_var(struct ccs__sbuf *b, const char *name, const char *value)
{
    ccs__sb_printf(b, "%s=", name);
    gp_quote(b, value);
    ccs__sb_printf(b, "; ");
}

/* v as gnuplot reads it: spelled as in the CSV files, NaN as gnuplot's own. */
static const char *gp_numstr(char num[32], double v)
{
    ccs__num_str(num, 32, v, "NaN");
    return num;
}

/* "name=<number>; " */
static void gp_num(struct ccs__sbuf *b, const char *name, double v)
{
    char num[32];
    ccs__sb_printf(b, "%s=%s; ", name, gp_numstr(num, v));
}

static bool file_exists(const char *dir, const char *name)
{
    char path[4096];
    struct stat st;
    return ccs__path(path, sizeof path, dir, name) && stat(path, &st) == 0 &&
           S_ISREG(st.st_mode);
}

/* --- chart planning ------------------------------------------------------------------ */

static bool in_list(const char *list, const char *s)
{
    if (list == NULL)
        return true;
    size_t n = strlen(s);
    for (const char *w = list; *w;) {
        const char *e = strchr(w, ' ');
        size_t len = e ? (size_t)(e - w) : strlen(w);
        if (len == n && strncmp(w, s, n) == 0)
            return true;
        if (e == NULL)
            break;
        w = e + 1;
    }
    return false;
}

static void csv_out(FILE *f, const char *s, bool last)
{
    ccs__csv_field(f, s);
    fputc(last ? '\n' : ',', f);
}

/*
 * Say why chart name is skipped when its data file is there but cannot be
 * read whole (not a regular file, an unclosed quote, a row past the limit):
 * the reader's located error. A file that is simply absent is not an error
 * (timeseries.csv exists only with --sample). Returns -1 for the caller.
 */
static long skipped(const struct ccs__plot *p, const char *name, const char *file,
                    const struct ccs__csv *c)
{
    char path[4096];
    struct stat st;
    if (c->diag.code != 0 && ccs__path(path, sizeof path, p->src, file) && stat(path, &st) == 0)
        note(p->po, "warning: chart '%s' skipped: %s", name, c->diag.msg);
    return -1;
}

/*
 * Copy the rows of src/file that a chart draws (scope and metric in the
 * space-separated lists, NULL: any; whole 1: whole-run rows only, 2:
 * per-interval rows only, 0: both) to work/data/name.csv, same columns, so
 * gnuplot reads a small file. Returns the number of rows copied, or -1.
 */
static long filter_rows(const struct ccs__plot *p, const char *name, const char *file,
                        const char *scopes, const char *metrics, int whole)
{
    char in[4096], out[4096], rel[128];
    struct ccs__csv c;
    snprintf(rel, sizeof rel, "data/%s.csv", name);
    if (!ccs__path(in, sizeof in, p->src, file) || !ccs__path(out, sizeof out, p->work, "data"))
        return -1;
    mkdir(out, 0777);
    if (!ccs__path(out, sizeof out, p->work, rel))
        return -1;
    if (ccs__csv_open(&c, in, NULL) != 0)
        return skipped(p, name, file, &c);
    FILE *f = fopen(out, "w");
    if (f == NULL) {
        ccs__csv_close(&c);
        return -1;
    }
    size_t ncols = ccs__csv_ncols(&c);
    for (size_t i = 0; i < ncols; i++)
        csv_out(f, ccs__csv_colname(&c, i), i + 1 == ncols);
    int cs = ccs__csv_col(&c, "scope"), cm = ccs__csv_col(&c, "metric"),
        ci = ccs__csv_col(&c, "interval");
    long rows = 0;
    while (ccs__csv_next(&c)) {
        bool w = ccs__csv_get(&c, ci)[0] == '\0';
        if (!in_list(scopes, ccs__csv_get(&c, cs)) || !in_list(metrics, ccs__csv_get(&c, cm)) ||
            (whole == 1 && !w) || (whole == 2 && w))
            continue;
        for (size_t i = 0; i < ncols; i++)
            csv_out(f, ccs__csv_get(&c, (int)i), i + 1 == ncols);
        rows++;
    }
    ccs__csv_close(&c);
    if (fclose(f) != 0)
        return -1;
    if (c.diag.code != 0)
        return skipped(p, name, file, &c);
    return rows;
}

/*
 * Like filter_rows for timeseries.csv, but summing the means of all queues
 * (scope "queue") or all groups ("group") at each time into one series
 * named label: for centers with too many queues or groups to draw one line
 * each. The sums have no confidence interval (those columns stay empty).
 */
static long total_rows(const struct ccs__plot *p, const char *name, const char *scope,
                       const char *label)
{
    char in[4096], out[4096], rel[128];
    struct ccs__csv c;
    snprintf(rel, sizeof rel, "data/%s.csv", name);
    if (!ccs__path(in, sizeof in, p->src, "timeseries.csv") ||
        !ccs__path(out, sizeof out, p->work, "data"))
        return -1;
    mkdir(out, 0777);
    if (!ccs__path(out, sizeof out, p->work, rel))
        return -1;
    if (ccs__csv_open(&c, in, NULL) != 0)
        return skipped(p, name, "timeseries.csv", &c);
    FILE *f = fopen(out, "w");
    if (f == NULL) {
        ccs__csv_close(&c);
        return -1;
    }
    int ct = ccs__csv_col(&c, "t_s"), cs = ccs__csv_col(&c, "scope"),
        cm = ccs__csv_col(&c, "metric"), cmean = ccs__csv_col(&c, "mean");
    bool queue = strcmp(scope, "queue") == 0;
    enum { NM = 8 };
    char metric[NM][24], t[32] = "";
    double sum[NM];
    size_t nm = 0;
    long rows = 0;
    fputs("t_s,scope,queue,group,metric,mean,halfwidth,ci_low,ci_high\n", f);
    for (bool more = true; more;) {
        more = ccs__csv_next(&c);
        const char *tt = more ? ccs__csv_get(&c, ct) : "";
        if (!more || strcmp(tt, t) != 0) { /* a new time: write the last one's sums */
            for (size_t i = 0; i < nm; i++, rows++) {
                const char *cols[] = {t, scope, queue ? label : "", queue ? "" : label, metric[i]};
                for (size_t k = 0; k < sizeof cols / sizeof cols[0]; k++) {
                    ccs__csv_field(f, cols[k]);
                    fputc(',', f);
                }
                ccs__out_num(f, sum[i], "");
                fputs(",,,\n", f);
            }
            nm = 0;
            snprintf(t, sizeof t, "%s", tt);
        }
        if (!more || strcmp(ccs__csv_get(&c, cs), scope) != 0)
            continue;
        const char *m = ccs__csv_get(&c, cm);
        size_t i = 0;
        while (i < nm && strcmp(metric[i], m) != 0)
            i++;
        if (i == nm && nm < NM) {
            snprintf(metric[nm], sizeof metric[nm], "%s", m);
            sum[nm++] = 0;
        }
        double v = ccs__csv_num(&c, cmean);
        if (i < nm && !isnan(v))
            sum[i] += v;
    }
    ccs__csv_close(&c);
    if (fclose(f) != 0)
        return -1;
    if (c.diag.code != 0)
        return skipped(p, name, "timeseries.csv", &c);
    return rows;
}

/*
 * A new chart drawing the rows of src/file selected as for filter_rows (or,
 * with total set, summed by total_rows under that label), or NULL when
 * there are none (nothing to draw) or the list is full.
 */
static struct ccs__chart *new_chart(struct ccs__plot *p, const char *name, const char *script,
                                    const char *file, const char *scopes, const char *metrics,
                                    int whole, const char *total)
{
    if (p->n_charts == MAX_CHARTS)
        return NULL;
    long rows = total ? total_rows(p, name, scopes, total)
                      : filter_rows(p, name, file, scopes, metrics, whole);
    if (rows <= 0)
        return NULL;
    struct ccs__chart *c = &p->charts[p->n_charts++];
    memset(c, 0, sizeof *c);
    snprintf(c->name, sizeof c->name, "%s", name);
    c->script = script;
    char in[128];
    snprintf(in, sizeof in, "data/%s.csv", name);
    ccs__gp_var(&c->vars, "in", in);
    return c;
}

/*
 * The time axis. When the scenario's clock is known: gnuplot's time axis
 * (seconds since 1970-01-01) from t0, the clock of t = 0 on its date (a
 * dated run) or on a day of the first week of 1970 with the scenario's
 * start weekday (1970-01-05 was a Monday), so the labels read "08:30",
 * "Tue 08:00" or "Tue 13 Oct 08:00"; ticks on round clock times, at most
 * about a dozen. Without it (results of an older ccsim): time since the
 * start in minutes for short runs, hours for days, days beyond.
 */
static void time_axis(struct ccs__sbuf *b, const struct ccs__meta *m)
{
    double horizon = m->horizon;
    if (!isnan(m->start_time) && horizon > 0) {
        static const double steps[] = {
            5 * CCS_MINUTE, 10 * CCS_MINUTE, 15 * CCS_MINUTE, 30 * CCS_MINUTE, CCS_HOUR,
            2 * CCS_HOUR,   3 * CCS_HOUR,    6 * CCS_HOUR,    12 * CCS_HOUR,   CCS_DAY,
            2 * CCS_DAY,    CCS_WEEK,        2 * CCS_WEEK,    4 * CCS_WEEK};
        bool days = m->start_time + horizon > CCS_DAY; /* the run passes midnight */
        double most = days ? 7 : 12; /* "Wed 06:00" is wider than "06:00" */
        size_t n = sizeof steps / sizeof steps[0], i = 0;
        while (i + 1 < n && horizon / steps[i] > most)
            i++;
        double step = steps[i];
        while (horizon / step > most) /* beyond 4 weeks: whole weeks */
            step += CCS_WEEK;
        double day = m->dated ? (double)m->date : 4 + (m->start_day >= 0 ? m->start_day : 0);
        double t0 = day * CCS_DAY + m->start_time;
        /* weeks from a Monday, shorter steps from midnight */
        double origin = step >= CCS_WEEK ? 4 * CCS_DAY : 0;
        double first = origin + ceil((t0 - origin) / step - 1e-9) * step;
        const char *fmt = step >= CCS_DAY ? (m->dated ? "%a %d %b" : "%a")
                          : days          ? (m->dated ? "%a %d %b\\n%H:%M" : "%a %H:%M")
                                          : "%H:%M";
        gp_num(b, "t0", t0);
        gp_num(b, "tstep", step);
        gp_num(b, "tfirst", first);
        gp_num(b, "tmax", t0 + horizon);
        ccs__sb_printf(b, "tfmt=\"%s\"; ", fmt);
        ccs__gp_var(b, "tname", days ? (m->dated ? "Date and time" : "Day and time") : "Time of day");
        return;
    }
    double unit = CCS_HOUR;
    const char *name = "h";
    if (horizon <= 3 * CCS_HOUR) {
        unit = CCS_MINUTE;
        name = "min";
    } else if (horizon > 3 * CCS_DAY) {
        unit = CCS_DAY;
        name = "d";
    }
    gp_num(b, "tunit", unit);
    ccs__sb_printf(b, "tname='%s'; ", name);
    if (horizon > 0)
        gp_num(b, "tmax", horizon / unit);
}

/* Queue ids, targets and thresholds of the metadata as gnuplot word lists. */
static void queue_lists(const struct ccs__meta *m, struct ccs__sbuf *ids,
                        struct ccs__sbuf *targets, struct ccs__sbuf *within)
{
    for (size_t i = 0; i < m->nq; i++) {
        if (!gp_word(ids, m->q[i].id))
            continue;
        char num[32];
        ccs__sb_printf(targets, "%s%s", targets->n ? " " : "", gp_numstr(num, m->q[i].target));
        ccs__sb_printf(within, "%s%s", within->n ? " " : "", gp_numstr(num, m->q[i].within));
    }
}

static void fmt_dur(char *buf, size_t cap, double s)
{
    if (isnan(s))
        snprintf(buf, cap, "?");
    else
        ccs_format_duration(s, buf, cap);
}

/* What the run's files support beyond their rows. */
struct run_scan {
    bool multi_share;
    double xmax; /* wait axis: where every queue's CDF passed 99% */
    double step; /* time-series step */
};

static void scan_run(const struct ccs__plot *p, struct run_scan *r)
{
    char path[4096];
    struct ccs__csv c;
    memset(r, 0, sizeof *r);
    if (ccs__path(path, sizeof path, p->src, "summary.csv") &&
        ccs__csv_open(&c, path, NULL) == 0) {
        int scope = ccs__csv_col(&c, "scope"), metric = ccs__csv_col(&c, "metric"),
            group = ccs__csv_col(&c, "group");
        char last[128] = "";
        int run = 0;
        while (ccs__csv_next(&c)) {
            if (strcmp(ccs__csv_get(&c, scope), "group_queue") != 0 ||
                strcmp(ccs__csv_get(&c, metric), "time_share") != 0)
                continue;
            const char *g = ccs__csv_get(&c, group);
            run = strcmp(g, last) == 0 ? run + 1 : 1;
            snprintf(last, sizeof last, "%s", g);
            r->multi_share = r->multi_share || run >= 2;
        }
        ccs__csv_close(&c);
    }
    if (ccs__path(path, sizeof path, p->src, "waits.csv") && ccs__csv_open(&c, path, NULL) == 0) {
        int q = ccs__csv_col(&c, "queue"), w = ccs__csv_col(&c, "wait_s"),
            f = ccs__csv_col(&c, "cdf");
        char cur[128] = "";
        bool passed = false;
        while (ccs__csv_next(&c)) {
            const char *id = ccs__csv_get(&c, q);
            if (strcmp(id, cur) != 0) {
                snprintf(cur, sizeof cur, "%s", id);
                passed = false;
            }
            double x = ccs__csv_num(&c, w), y = ccs__csv_num(&c, f);
            if (!passed && y >= 0.99 && x > r->xmax && id[0] != '\0')
                r->xmax = x;
            passed = passed || y >= 0.99;
        }
        ccs__csv_close(&c);
    }
    if (ccs__path(path, sizeof path, p->src, "timeseries.csv") &&
        ccs__csv_open(&c, path, NULL) == 0) {
        int t = ccs__csv_col(&c, "t_s");
        double t0 = NAN;
        while (ccs__csv_next(&c)) {
            double x = ccs__csv_num(&c, t);
            if (isnan(t0))
                t0 = x;
            else if (x > t0) {
                r->step = x - t0;
                break;
            }
        }
        ccs__csv_close(&c);
    }
}

/* Where the waits of the queues of channel ch (NULL: all queues) pass 99%
   in waits.csv, in seconds (0: unknown). */
static double wait_xmax(const struct ccs__plot *p, const char *ch)
{
    char path[4096];
    struct ccs__csv c;
    double xmax = 0;
    if (!ccs__path(path, sizeof path, p->src, "waits.csv") || ccs__csv_open(&c, path, NULL) != 0)
        return 0;
    int q = ccs__csv_col(&c, "queue"), w = ccs__csv_col(&c, "wait_s"), f = ccs__csv_col(&c, "cdf");
    char cur[128] = "";
    bool passed = false, mine = false;
    while (ccs__csv_next(&c)) {
        const char *id = ccs__csv_get(&c, q);
        if (strcmp(id, cur) != 0) {
            snprintf(cur, sizeof cur, "%s", id);
            passed = false;
            mine = id[0] != '\0' && ch == NULL;
            for (size_t i = 0; ch != NULL && i < p->meta.nq; i++)
                mine = mine || (strcmp(p->meta.q[i].id, id) == 0 &&
                                strcmp(p->meta.q[i].channel, ch) == 0);
        }
        double x = ccs__csv_num(&c, w), y = ccs__csv_num(&c, f);
        if (mine && !passed && y >= 0.99 && x > xmax)
            xmax = x;
        passed = passed || y >= 0.99;
    }
    ccs__csv_close(&c);
    return xmax;
}

/* The chart of the waits of answered contacts of channel ch's queues (NULL:
   every queue), on a wait axis in the unit that fits its thresholds. */
static void wait_chart(struct ccs__plot *p, const struct run_scan *r, const char *ch)
{
    const struct ccs__meta *m = &p->meta;
    char name[80];
    snprintf(name, sizeof name, ch ? "wait_cdf_%s" : "wait_cdf", ch);
    struct ccs__chart *c = new_chart(p, name, "wait_cdf.gp", "waits.csv", NULL, NULL, 0, NULL);
    if (c == NULL)
        return;
    struct ccs__sbuf ids = {0}, within = {0}, labels = {0};
    double xmax = ch ? wait_xmax(p, ch) : r->xmax;
    for (size_t i = 0; i < m->nq; i++) {
        if ((ch != NULL && strcmp(m->q[i].channel, ch) != 0) || !gp_word(&ids, m->q[i].id))
            continue;
        char num[32], w[32];
        ccs__sb_printf(&within, "%s%s", within.n ? " " : "", gp_numstr(num, m->q[i].within));
        fmt_dur(w, sizeof w, m->q[i].within);
        ccs__sb_printf(&labels, "%s%s", labels.n ? " " : "", w);
        if (1.5 * m->q[i].within > xmax)
            xmax = 1.5 * m->q[i].within;
    }
    if (ids.n) {
        ccs__gp_var(&c->vars, "queues", ids.p);
        ccs__gp_var(&c->vars, "within", within.p);
        ccs__gp_var(&c->vars, "wlabels", labels.p);
    }
    if (xmax > 0)
        gp_num(&c->vars, "xmax", ceil(xmax * 1.05));
    /* seconds for call-center waits, minutes, hours for back-office promises */
    if (xmax > 3 * CCS_HOUR)
        ccs__sb_printf(&c->vars, "xunit=3600; xname='h'; ");
    else if (xmax > 10 * CCS_MINUTE)
        ccs__sb_printf(&c->vars, "xunit=60; xname='min'; ");
    if (ch == NULL && m->nq > 1)
        ccs__sb_printf(&c->vars, "all=1; ");
    if (ch != NULL) {
        snprintf(c->title, sizeof c->title, "Waiting time of answered contacts: %s", ch);
        ccs__gp_var(&c->vars, "title", c->title);
    } else {
        snprintf(c->title, sizeof c->title, "Waiting time of answered contacts");
    }
    snprintf(c->caption, sizeof c->caption,
             "Share of answered contacts%s%s%s that waited at most the time on the x axis, pooled "
             "over all replications; the dashed vertical line marks each queue's "
             "service-level threshold. Where a queue's curve crosses its line is the share "
             "of answered contacts served in time (abandoned and blocked contacts are not in "
             "this curve, unlike the default service level).%s",
             ch ? " of the " : "", ch ? ch : "", ch ? " channel" : "",
             ch ? " Each channel has its own chart: their promises differ too much to share an "
                  "axis."
                : "");
    ccs__sb_release(&ids);
    ccs__sb_release(&within);
    ccs__sb_release(&labels);
}

static void plan_run(struct ccs__plot *p)
{
    const struct ccs__meta *m = &p->meta;
    struct run_scan r;
    scan_run(p, &r);
    struct ccs__sbuf ids = {0}, targets = {0}, within = {0};
    queue_lists(m, &ids, &targets, &within);
    char iv[32], step[32];
    fmt_dur(iv, sizeof iv, m->interval);
    fmt_dur(step, sizeof step, r.step);
    unsigned reps = isnan(m->reps) ? 0 : (unsigned)m->reps;
    struct ccs__chart *c;

    if ((c = new_chart(p, "service_level", "service_level.gp", "intervals.csv", "queue",
                       "service_level", 0, NULL)) != NULL) {
        if (ids.n) {
            ccs__gp_var(&c->vars, "queues", ids.p);
            ccs__gp_var(&c->vars, "targets", targets.p);
        }
        time_axis(&c->vars, m);
        char yl[120];
        snprintf(yl, sizeof yl, "Service level (%%%s%s)", m->sl_def ? ", definition " : "",
                 m->sl_def ? m->sl_def : "");
        ccs__gp_var(&c->vars, "ylabel", yl);
        snprintf(c->title, sizeof c->title, "Service level by interval");
        snprintf(c->caption, sizeof c->caption,
                 "Service level of each queue in each %s interval, against the queue's target "
                 "(dashed). Contacts count in the interval in which they arrived. Whiskers: "
                 "95%% confidence interval over %u replications.",
                 iv, reps);
    }
    /* one line per queue or group while that stays readable (and quick for
       gnuplot, which reads the data once per line); beyond, the totals */
    bool qsum = m->nq > MAX_QUEUE_LINES, gsum = m->ng > MAX_GROUP_LINES;
    /* waits and queues: one chart per channel when the queues' channels differ
       (a 20 s promise and a 4 h one on one axis hide each other) */
    const char *chans[8];
    size_t nch = 0;
    for (size_t i = 0; i < m->nq; i++) {
        size_t k = 0;
        while (k < nch && strcmp(chans[k], m->q[i].channel) != 0)
            k++;
        if (k == nch && nch < 8)
            chans[nch++] = m->q[i].channel;
    }
    if (nch < 2 || chans[0][0] == '\0')
        nch = 0; /* one chart of every queue */
    for (size_t k = 0; k < nch && !qsum; k++) {
        struct ccs__sbuf cq = {0};
        for (size_t i = 0; i < m->nq; i++)
            if (strcmp(m->q[i].channel, chans[k]) == 0)
                gp_word(&cq, m->q[i].id);
        char name[80];
        snprintf(name, sizeof name, "waiting_%s", chans[k]);
        if (cq.n && (c = new_chart(p, name, "waiting.gp", "timeseries.csv", "queue", "waiting", 0,
                                   NULL)) != NULL) {
            ccs__gp_var(&c->vars, "queues", cq.p);
            time_axis(&c->vars, m);
            snprintf(c->title, sizeof c->title, "Contacts waiting over the day: %s", chans[k]);
            ccs__gp_var(&c->vars, "title", c->title);
            snprintf(c->caption, sizeof c->caption,
                     "Contacts waiting in each %s queue, observed every %s and averaged over %u "
                     "replications (timeseries.csv). Band: 95%% confidence interval. Each "
                     "channel has its own chart and scale.",
                     chans[k], step, reps);
        }
        ccs__sb_release(&cq);
    }
    if ((nch == 0 || qsum) &&
        (c = new_chart(p, "waiting", "waiting.gp", "timeseries.csv", "queue", "waiting", 0,
                       qsum ? "all queues" : NULL)) != NULL) {
        if (qsum)
            ccs__gp_var(&c->vars, "queues", "\"all queues\"");
        else if (ids.n)
            ccs__gp_var(&c->vars, "queues", ids.p);
        time_axis(&c->vars, m);
        snprintf(c->title, sizeof c->title, "Contacts waiting over the day");
        if (qsum)
            snprintf(c->caption, sizeof c->caption,
                     "Contacts waiting in all %zu queues together, observed every %s and "
                     "averaged over %u replications (timeseries.csv has each queue).",
                     m->nq, step, reps);
        else
            snprintf(c->caption, sizeof c->caption,
                     "Contacts waiting in each queue, observed every %s and averaged over %u "
                     "replications (timeseries.csv). Band: 95%% confidence interval.",
                     step, reps);
    }
    if ((c = new_chart(p, "agents", "agents.gp", "timeseries.csv", "group", NULL, 0,
                       gsum ? "all groups" : NULL)) != NULL) {
        struct ccs__sbuf g = {0};
        for (size_t i = 0; i < m->ng && !gsum; i++)
            gp_word(&g, m->g[i].id);
        if (gsum)
            ccs__gp_var(&c->vars, "groups", "\"all groups\"");
        else if (g.n)
            ccs__gp_var(&c->vars, "groups", g.p);
        ccs__sb_release(&g);
        time_axis(&c->vars, m);
        snprintf(c->title, sizeof c->title, "Agents busy and idle over the day");
        snprintf(c->caption, sizeof c->caption,
                 "Agents %s handling contacts (busy, solid), logged in and free (idle, dashed) "
                 "and logged in (dotted), observed every %s and averaged over %u replications.",
                 gsum ? "of all groups together" : "of each group", step, reps);
    }
    for (size_t k = 0; k < (nch ? nch : 1); k++)
        wait_chart(p, &r, nch ? chans[k] : NULL);
    if ((c = new_chart(p, "occupancy", "occupancy.gp", "intervals.csv", "group", "occupancy",
                       0, NULL)) != NULL) {
        time_axis(&c->vars, m);
        snprintf(c->title, sizeof c->title, "Occupancy by interval");
        snprintf(c->caption, sizeof c->caption,
                 "Occupancy of each agent group in each %s interval: time handling contacts / "
                 "logged-in time. Whiskers: 95%% confidence interval over %u replications.",
                 iv, reps);
    }
    if (r.multi_share && (c = new_chart(p, "time_share", "time_share.gp", "summary.csv",
                                        "group_queue", "time_share", 0, NULL)) != NULL) {
        snprintf(c->title, sizeof c->title, "Share of each group's time per queue");
        snprintf(c->caption, sizeof c->caption,
                 "How each agent group divides its handling time between the queues it serves, "
                 "over the whole run. Whiskers: 95%% confidence interval over %u replications.",
                 reps);
    }
    ccs__sb_release(&ids);
    ccs__sb_release(&targets);
    ccs__sb_release(&within);
}

/* Add name to a list of names ("\nA\nB\n"); true when it was new. */
static bool add_name(struct ccs__sbuf *list, const char *name)
{
    if (list->p == NULL)
        ccs__sb_printf(list, "\n");
    struct ccs__sbuf probe = {0};
    ccs__sb_printf(&probe, "\n%s\n", name);
    bool found = probe.p != NULL && strstr(list->p ? list->p : "", probe.p) != NULL;
    ccs__sb_release(&probe);
    if (!found)
        ccs__sb_printf(list, "%s\n", name);
    return !found;
}

/* One metric of compare.csv, as seen while scanning. */
struct cmp_metric {
    int kpi;           /* catalogue index */
    bool whole, interval_overall;
    bool interval_differs; /* some variant's per-interval difference is not zero */
    bool differs;      /* some variant's whole-run mean differs from another's */
    double first;      /* a whole-run mean seen, to detect differences */
    double max;        /* the largest whole-run mean (0 if none): the axis unit */
    char first_key[160];
};

/* A comparison chart of one KPI's whole-run means per variant and scope. */
static void kpi_chart(struct ccs__plot *p, const struct ccs_kpi_info *info, double max)
{
    char name[80], yl[160];
    snprintf(name, sizeof name, "compare_%s", info->id);
    struct ccs__chart *ch = new_chart(p, name, "compare_kpi.gp", "compare.csv",
                                      "overall queue segment group", info->id, 1, NULL);
    if (ch == NULL)
        return;
    size_t len = strlen(info->label);
    bool pct = len > 0 && info->label[len - 1] == '%';
    /* durations in the unit that fits: hours of agent time, not 1395502 s */
    const char *sec = " (s)";
    if (info->unit == CCS_UNIT_SECONDS && max > 3 * CCS_HOUR) {
        sec = " (h)";
        ccs__sb_printf(&ch->vars, "scale=1.0/3600; ");
    } else if (info->unit == CCS_UNIT_SECONDS && max > 10 * CCS_MINUTE) {
        sec = " (min)";
        ccs__sb_printf(&ch->vars, "scale=1.0/60; ");
    }
    snprintf(yl, sizeof yl, "%s%s", info->label,
             info->unit == CCS_UNIT_FRACTION && !pct ? " (%)"
             : info->unit == CCS_UNIT_SECONDS        ? sec
             : info->unit == CCS_UNIT_COUNT          ? " (contacts)"
                                                     : "");
    /* the target of each queue that declares one (service level: sla.target;
       ASA: sla.asa), and of the center when all queues share it: a dashed
       line across the bars it judges */
    const struct ccs__meta *m = &p->meta;
    enum ccs_kpi kpi = ccs_kpi_find(info->id);
    if ((kpi == CCS_KPI_service_level || kpi == CCS_KPI_asa) && m->nq > 0) {
        struct ccs__sbuf ts = {0}, tv = {0};
        bool same = true;
        char num[32];
        double t0 = kpi == CCS_KPI_asa ? m->q[0].asa : m->q[0].target;
        for (size_t i = 0; i < m->nq; i++) {
            double t = kpi == CCS_KPI_asa ? m->q[i].asa : m->q[i].target;
            if (isnan(t) || (kpi == CCS_KPI_asa && t <= 0)) {
                same = false;
                continue;
            }
            same = same && t == t0;
            if (gp_word(&ts, m->q[i].id))
                ccs__sb_printf(&tv, "%s%s", tv.n ? " " : "", gp_numstr(num, t));
        }
        if (same && tv.n) {
            gp_word(&ts, "overall");
            ccs__sb_printf(&tv, "%s%s", tv.n ? " " : "", gp_numstr(num, t0));
        }
        if (ts.n) {
            ccs__gp_var(&ch->vars, "tscopes", ts.p);
            ccs__gp_var(&ch->vars, "tvalues", tv.p);
        }
        ccs__sb_release(&ts);
        ccs__sb_release(&tv);
    }
    ccs__gp_var(&ch->vars, "kpi", info->id);
    ccs__gp_var(&ch->vars, "ylabel", yl);
    snprintf(ch->title, sizeof ch->title, "%s by variant", info->label);
    ccs__gp_var(&ch->vars, "title", ch->title);
    snprintf(ch->caption, sizeof ch->caption,
             "%s (%s) of each variant, for the whole center and each %s. Whiskers: 95%% "
             "confidence interval over replications.%s",
             info->label, info->definition, info->flags & CCS_KPI_GROUP ? "agent group" : "queue",
             info->better > 0   ? " Higher is better."
             : info->better < 0 ? " Lower is better."
                                : "");
}

/* A comparison chart of one KPI's per-interval differences to the baseline. */
static void interval_chart(struct ccs__plot *p, const struct ccs_kpi_info *info, double iv)
{
    char name[80], yl[160];
    snprintf(name, sizeof name, "compare_intervals_%s", info->id);
    struct ccs__chart *ch =
        new_chart(p, name, "compare_intervals.gp", "compare.csv", "overall", info->id, 2, NULL);
    if (ch == NULL)
        return;
    ccs__gp_var(&ch->vars, "kpi", info->id);
    if (iv > 0) {
        gp_num(&ch->vars, "interval_s", iv);
        time_axis(&ch->vars, &p->meta);
    }
    gp_num(&ch->vars, "better", info->better);
    snprintf(yl, sizeof yl, "Difference in %s%s", info->label,
             info->unit == CCS_UNIT_FRACTION  ? " (percentage points)"
             : info->unit == CCS_UNIT_SECONDS ? " (s)"
                                              : "");
    ccs__gp_var(&ch->vars, "ylabel", yl);
    snprintf(ch->title, sizeof ch->title, "%s: difference to the baseline by interval",
             info->label);
    ccs__gp_var(&ch->vars, "title", ch->title);
    snprintf(ch->caption, sizeof ch->caption,
             "Each variant's %s minus the baseline's, interval by interval, for the whole "
             "center; paired over replications that share their random numbers. Band: 95%% "
             "confidence interval of the difference: where it excludes zero, the variant "
             "differs significantly in that interval.%s",
             info->label,
             info->better > 0   ? " Above zero is better."
             : info->better < 0 ? " Below zero is better."
                                : "");
}

static void plan_compare(struct ccs__plot *p)
{
    char path[4096];
    struct ccs__csv c;
    if (!ccs__path(path, sizeof path, p->src, "compare.csv") ||
        ccs__csv_open(&c, path, NULL) != 0)
        return;
    int cv = ccs__csv_col(&c, "variant"), cs = ccs__csv_col(&c, "scope"),
        cq = ccs__csv_col(&c, "queue"), cg = ccs__csv_col(&c, "group"),
        cseg = ccs__csv_col(&c, "segment"), ci = ccs__csv_col(&c, "interval"),
        cm = ccs__csv_col(&c, "metric"), cmean = ccs__csv_col(&c, "mean"),
        cdiff = ccs__csv_col(&c, "diff");
    struct cmp_metric ms[CCS_KPI_COUNT_];
    size_t n = 0;
    struct ccs__sbuf variants = {0};
    size_t n_variants = 0;
    while (ccs__csv_next(&c)) {
        if (add_name(&variants, ccs__csv_get(&c, cv)))
            n_variants++;
        int k = ccs_kpi_find(ccs__csv_get(&c, cm));
        if (k < 0)
            continue;
        size_t j = 0;
        while (j < n && ms[j].kpi != k)
            j++;
        if (j == n) {
            memset(&ms[n], 0, sizeof ms[n]);
            ms[n].kpi = k;
            ms[n].first = NAN;
            n++;
        }
        const char *scope = ccs__csv_get(&c, cs);
        bool whole = ccs__csv_get(&c, ci)[0] == '\0';
        if (whole && strcmp(scope, "group_queue") != 0) {
            double x = ccs__csv_num(&c, cmean);
            char key[160];
            snprintf(key, sizeof key, "%s|%s|%s|%s", scope, ccs__csv_get(&c, cq),
                     ccs__csv_get(&c, cseg), ccs__csv_get(&c, cg));
            ms[j].whole = true;
            if (!isnan(x) && fabs(x) > ms[j].max)
                ms[j].max = fabs(x);
            if (isnan(ms[j].first) || strcmp(key, ms[j].first_key) != 0) {
                if (isnan(ms[j].first) && !isnan(x)) {
                    ms[j].first = x;
                    snprintf(ms[j].first_key, sizeof ms[j].first_key, "%s", key);
                }
            } else if (!isnan(x) && fabs(x - ms[j].first) > 1e-12 * (1 + fabs(x))) {
                ms[j].differs = true;
            }
        } else if (!whole && strcmp(scope, "overall") == 0) {
            double df = ccs__csv_num(&c, cdiff);
            ms[j].interval_overall = true;
            ms[j].interval_differs = ms[j].interval_differs || (!isnan(df) && df != 0);
        }
    }
    ccs__csv_close(&c);
    ccs__sb_release(&variants);

    /* what matters first: the headline KPIs, the other rates and times with a
       better direction, when in the day they differ, then the rest (volumes,
       handle times, staffing) */
    static const int headline[] = {CCS_KPI_service_level, CCS_KPI_asa, CCS_KPI_abandon_rate};
    double iv = p->po->interval_s > 0 ? p->po->interval_s : p->meta.interval;
    for (int pass = 0; pass < 4; pass++)
        for (size_t j = 0; j < n; j++) {
            const struct ccs_kpi_info *info = ccs_kpi_info((enum ccs_kpi)ms[j].kpi);
            bool head = false;
            for (size_t h = 0; h < sizeof headline / sizeof headline[0]; h++)
                head = head || ms[j].kpi == headline[h];
            bool rated = info->better != 0 && info->unit != CCS_UNIT_COUNT;
            if (pass == 2 && n_variants >= 2 && ms[j].interval_differs &&
                info->unit != CCS_UNIT_COUNT &&
                (info->better != 0 || ms[j].kpi == CCS_KPI_occupancy))
                interval_chart(p, info, iv);
            if (ms[j].whole && (info->flags & CCS_KPI_TABLE) && ms[j].differs &&
                ((pass == 0 && head) || (pass == 1 && rated && !head) || (pass == 3 && !rated)))
                kpi_chart(p, info, ms[j].max);
        }
}

/* --- drawing --------------------------------------------------------------------------- */

static int write_scripts(const char *work)
{
    char path[4096];
    for (const struct ccs__plot_script *s = ccs__plot_scripts; s->name != NULL; s++) {
        if (!ccs__path(path, sizeof path, work, s->name))
            return CCS_EIO;
        FILE *f = fopen(path, "w");
        if (f == NULL)
            return CCS_EIO;
        size_t w = fwrite(s->text, 1, s->len, f);
        if (fclose(f) != 0 || w != s->len)
            return CCS_EIO;
    }
    return 0;
}

/* The last non-empty line of a file (gnuplot's error), in buf. */
static void last_line(const char *path, char *buf, size_t cap)
{
    buf[0] = '\0';
    FILE *f = fopen(path, "r");
    if (f == NULL)
        return;
    char line[512];
    while (fgets(line, sizeof line, f) != NULL) {
        size_t n = strlen(line);
        while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r' || line[n - 1] == ' '))
            line[--n] = '\0';
        if (n > 0 && strncmp(line, "Warning:", 8) != 0 && strstr(line, "warning:") == NULL)
            snprintf(buf, cap, "%s", line);
    }
    fclose(f);
}

static bool nonempty(const char *dir, const char *name)
{
    char path[4096];
    struct stat st;
    return ccs__path(path, sizeof path, dir, name) && stat(path, &st) == 0 &&
           S_ISREG(st.st_mode) && st.st_size > 0;
}

/* Start gnuplot on chart c: one process draws the SVG, then the PNG. */
static int start_chart(const struct ccs__plot *p, const struct ccs__chart *c, const char *gnuplot,
                       struct ccs__proc *proc)
{
    char svg[128], png[128], err[128], errp[4096];
    snprintf(svg, sizeof svg, "charts/%s.svg", c->name);
    snprintf(png, sizeof png, "charts/%s.png", c->name);
    snprintf(err, sizeof err, "data/%s.err", c->name);
    struct ccs__sbuf e1 = {0}, e2 = {0};
    ccs__sb_printf(&e1, "%s", c->vars.p);
    ccs__gp_var(&e1, "out", svg);
    ccs__gp_var(&e2, "out", png);
    /* -d: default settings, so a personal ~/.gnuplot cannot change the charts */
    char *argv[] = {(char *)"gnuplot", (char *)"-d", (char *)"-e", e1.p, (char *)c->script,
                    (char *)"-e", e2.p, (char *)c->script, NULL};
    int rc = -1;
    if (!e1.oom && !e2.oom && !c->vars.oom && ccs__path(errp, sizeof errp, p->work, err))
        rc = ccs__proc_start(proc, gnuplot, argv, p->work, errp);
    ccs__sb_release(&e1);
    ccs__sb_release(&e2);
    return rc;
}

/* Check chart c's images after gnuplot ended with status st; warn and
   clean up when they are not both there. */
static void finish_chart(struct ccs__plot *p, struct ccs__chart *c, int st, const char *gnuplot)
{
    char svg[128], png[128], err[128], path[4096];
    snprintf(svg, sizeof svg, "charts/%s.svg", c->name);
    snprintf(png, sizeof png, "charts/%s.png", c->name);
    snprintf(err, sizeof err, "data/%s.err", c->name);
    c->drawn = st == 0 && nonempty(p->work, svg) && nonempty(p->work, png);
    if (c->drawn)
        return;
    char why[300] = "";
    if (ccs__path(path, sizeof path, p->work, err))
        last_line(path, why, sizeof why);
    if (st == -2)
        snprintf(why, sizeof why, "gnuplot was stopped (killed, or longer than %.0f s)",
                 p->po->timeout_s);
    else if (st == -1)
        snprintf(why, sizeof why, "cannot run %s", gnuplot);
    note(p->po, "warning: chart '%s' not drawn: %s", c->name,
         why[0] ? why : "gnuplot wrote no image");
    if (ccs__path(path, sizeof path, p->work, svg))
        unlink(path);
    if (ccs__path(path, sizeof path, p->work, png))
        unlink(path);
}

/* Draw every planned chart, a few gnuplots at once (one per processor, at
   most 4); returns how many were drawn. */
static size_t draw(struct ccs__plot *p, const char *gnuplot)
{
    char charts[4096];
    if (write_scripts(p->work) != 0 || !ccs__path(charts, sizeof charts, p->work, "charts") ||
        mkdir(charts, 0777) != 0) {
        note(p->po, "warning: cannot prepare the charts in %s: %s", p->work, strerror(errno));
        return 0;
    }
    enum { MAX_JOBS = 4 };
    long cpus = sysconf(_SC_NPROCESSORS_ONLN);
    size_t jobs = cpus < 1 ? 1 : cpus > MAX_JOBS ? MAX_JOBS : (size_t)cpus;
    struct ccs__proc proc[MAX_JOBS];
    size_t chart_of[MAX_JOBS], running = 0, next = 0, drawn = 0;
    struct timespec tick = {0, 2 * 1000 * 1000}; /* poll every 2 ms */
    while (next < p->n_charts || running > 0) {
        while (running < jobs && next < p->n_charts) {
            size_t i = next++;
            if (start_chart(p, &p->charts[i], gnuplot, &proc[running]) != 0) {
                finish_chart(p, &p->charts[i], -1, gnuplot);
                continue;
            }
            chart_of[running++] = i;
        }
        bool ended = false;
        for (size_t j = 0; j < running;) {
            int st;
            if (ccs__proc_poll(&proc[j], p->po->timeout_s, &st)) {
                j++;
                continue;
            }
            finish_chart(p, &p->charts[chart_of[j]], st, gnuplot);
            drawn += p->charts[chart_of[j]].drawn;
            proc[j] = proc[running - 1];
            chart_of[j] = chart_of[running - 1];
            running--;
            ended = true;
        }
        if (!ended && running > 0)
            nanosleep(&tick, NULL);
    }
    return drawn;
}

/* Draw, write report.html, adopt the charts: the part shared by all entry points. */
static int render(struct ccs__plot *p, struct ccs_diag *d)
{
    struct ccs__chart charts[MAX_CHARTS];
    p->charts = charts;
    p->n_charts = 0;
    if (p->compare)
        plan_compare(p);
    else
        plan_run(p);

    size_t drawn = 0;
    if (p->po->charts && p->n_charts > 0) {
        const char *prog = p->po->gnuplot ? p->po->gnuplot : "gnuplot";
        char *gnuplot = ccs__find_program(prog);
        if (gnuplot == NULL) {
            note(p->po, "note: %s not found; charts skipped (install: apt-get install "
                        "gnuplot-nox)",
                 prog);
            snprintf(p->notice, sizeof p->notice,
                     "No charts: gnuplot was not found when this report was written. Install it "
                     "(Debian: apt-get install gnuplot-nox) and run 'ccsim plot DIR' to add "
                     "them.");
        } else {
            drawn = draw(p, gnuplot);
            free(gnuplot);
            if (drawn < p->n_charts)
                snprintf(p->notice, sizeof p->notice,
                         "%zu of %zu charts could not be drawn (see the warnings ccsim printed).",
                         p->n_charts - drawn, p->n_charts);
        }
    }
    int rc = 0;
    FILE *f = ccs_outdir_file(p->o, "report.html", d);
    if (f == NULL)
        rc = CCS_EIO;
    else
        rc = p->compare ? ccs__html_compare(f, p, d) : ccs__html_run(f, p, d);
    if (rc == 0 && drawn > 0)
        rc = ccs_outdir_adopt(p->o, "charts", "charts", d);
    for (size_t i = 0; i < p->n_charts; i++)
        ccs__sb_release(&charts[i].vars);
    p->charts = NULL;
    p->n_charts = 0;
    return rc;
}

/* --- entry points ------------------------------------------------------------------------ */

struct ccs_plot_opts ccs_plot_opts_default(void)
{
    struct ccs_plot_opts o;
    memset(&o, 0, sizeof o);
    o.gnuplot = "gnuplot";
    o.charts = true;
    o.timeout_s = 120;
    return o;
}

double ccs_plot_sample_step(const struct ccs_scenario *sc)
{
    static const double steps[] = {
        1, 2, 5, 10, 15, 30,
        CCS_MINUTE, 2 * CCS_MINUTE, 5 * CCS_MINUTE, 10 * CCS_MINUTE, 15 * CCS_MINUTE, 30 * CCS_MINUTE,
        CCS_HOUR, 2 * CCS_HOUR, 3 * CCS_HOUR, 6 * CCS_HOUR, 12 * CCS_HOUR,
        CCS_DAY, 2 * CCS_DAY, CCS_WEEK};
    double want = sc->horizon / 240;
    for (size_t i = 0; i < sizeof steps / sizeof steps[0]; i++)
        if (steps[i] >= want)
            return steps[i];
    return ceil(want / CCS_WEEK) * CCS_WEEK;
}

static int write_input(const char *work, const char *name,
                       int (*fn)(FILE *, const struct ccs_summary *), const struct ccs_summary *s,
                       struct ccs_diag *d)
{
    char path[4096];
    if (!ccs__path(path, sizeof path, work, name))
        return ccs_diag_at(d, CCS_EIO, work, 0, 0, "path too long");
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return ccs_diag_at(d, CCS_EIO, path, 0, 0, "cannot write: %s", strerror(errno));
    int rc = fn(f, s);
    if (fclose(f) != 0 || rc != 0)
        return ccs_diag_at(d, CCS_EIO, path, 0, 0, "cannot write");
    return 0;
}

int ccs_plot_run(struct ccs_outdir *o, const struct ccs_summary *s,
                 const struct ccs_plot_opts *po, struct ccs_diag *d)
{
    struct ccs__plot p;
    memset(&p, 0, sizeof p);
    p.o = o;
    p.po = po;
    p.sc = ccs_summary_scenario(s);
    if ((p.work = ccs_outdir_workdir(o, d)) == NULL)
        return CCS_EIO;
    p.src = p.work;
    /* the charts and the report read the same files the run writes */
    int rc = write_input(p.work, "summary.csv", ccs_report_summary_csv, s, d);
    if (rc == 0)
        rc = write_input(p.work, "intervals.csv", ccs_report_intervals_csv, s, d);
    if (rc == 0)
        rc = write_input(p.work, "waits.csv", ccs_report_waits_csv, s, d);
    if (rc == 0 && ccs_summary_series_points(s) > 0)
        rc = write_input(p.work, "timeseries.csv", ccs_report_timeseries_csv, s, d);
    if (rc == 0)
        rc = write_input(p.work, "summary.json", ccs_report_json, s, d);
    ccs__meta_init(&p.meta);
    if (rc == 0) {
        char path[4096];
        ccs__path(path, sizeof path, p.work, "summary.json");
        rc = ccs__meta_from_json(&p.meta, path, d);
    }
    if (rc == 0)
        rc = render(&p, d);
    ccs__meta_release(&p.meta);
    return rc;
}

int ccs_plot_compare(struct ccs_outdir *o, const struct ccs_summary *base,
                     int (*produce)(FILE *f, const void *arg), const void *arg,
                     const struct ccs_plot_opts *po, struct ccs_diag *d)
{
    const struct ccs_scenario *sc = base != NULL ? ccs_summary_scenario(base) : NULL;
    struct ccs__plot p;
    memset(&p, 0, sizeof p);
    p.o = o;
    p.po = po;
    p.compare = true;
    p.sc = sc;
    if ((p.work = ccs_outdir_workdir(o, d)) == NULL)
        return CCS_EIO;
    p.src = p.work;
    char path[4096];
    if (!ccs__path(path, sizeof path, p.work, "compare.csv"))
        return ccs_diag_at(d, CCS_EIO, p.work, 0, 0, "path too long");
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return ccs_diag_at(d, CCS_EIO, path, 0, 0, "cannot write: %s", strerror(errno));
    int rc = produce(f, arg);
    if (fclose(f) != 0 || rc != 0)
        return ccs_diag_at(d, CCS_EIO, path, 0, 0, "cannot write");
    ccs__meta_init(&p.meta);
    if (base != NULL && ccs__meta_from_summary(&p.meta, base) != 0)
        rc = ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    if (rc == 0)
        rc = render(&p, d);
    ccs__meta_release(&p.meta);
    return rc;
}

int ccs_plot_dir(const char *dir, const struct ccs_plot_opts *po, struct ccs_diag *d)
{
    struct stat st;
    if (stat(dir, &st) != 0)
        return ccs_diag_at(d, CCS_ENOTFOUND, dir, 0, 0, "cannot open results directory: %s",
                           strerror(errno));
    if (!S_ISDIR(st.st_mode))
        return ccs_diag_at(d, CCS_ENOTFOUND, dir, 0, 0, "not a directory");
    bool compare = file_exists(dir, "compare.csv");
    if (!compare && !(file_exists(dir, "summary.csv") && file_exists(dir, "summary.json")))
        return ccs_diag_at(d, CCS_ENOTFOUND, dir, 0, 0,
                           "not a ccsim results directory: no summary.csv and summary.json "
                           "(ccsim run --out) nor compare.csv (ccsim compare --out)");
    struct ccs__plot p;
    memset(&p, 0, sizeof p);
    p.po = po;
    p.compare = compare;
    p.src = dir;
    ccs__meta_init(&p.meta);
    int rc = ccs_outdir_open(dir, &p.o, d);
    if (rc != 0)
        return rc;
    if ((p.work = ccs_outdir_workdir(p.o, d)) == NULL)
        rc = CCS_EIO;
    /*
     * The scenario: a run's summary.json; for a comparison, the baseline's
     * (ccsim compare writes each variant's outputs into DIR/NAME/), else what
     * compare.json says; and the variants from compare.json. A comparison
     * whose JSON cannot be read is still drawn, with less said about it.
     */
    char json[4096] = "summary.json", base[256];
    if (compare) {
        ccs__baseline_name(dir, base, sizeof base);
        snprintf(json, sizeof json, "%s/summary.json", base);
        if (base[0] == '\0' || !file_exists(dir, json))
            snprintf(json, sizeof json, "compare.json");
    }
    char path[8192];
    if (rc == 0 && file_exists(dir, json) && ccs__path(path, sizeof path, dir, json)) {
        rc = ccs__meta_from_json(&p.meta, path, d);
        if (rc == 0 && compare && file_exists(dir, "compare.json") &&
            ccs__path(path, sizeof path, dir, "compare.json"))
            rc = ccs__meta_variants(&p.meta, path, d);
        if (rc != 0 && compare) {
            ccs__meta_release(&p.meta);
            ccs__meta_init(&p.meta);
            ccs_diag_clear(d);
            rc = 0;
        }
    }
    if (rc == 0)
        rc = render(&p, d);
    ccs__meta_release(&p.meta);
    if (rc != 0) {
        ccs_outdir_abort(p.o);
        return rc;
    }
    return ccs_outdir_commit(p.o, d);
}
