/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fit_write.c - what a log fit writes: the fitted scenario with a comment on
 * every estimate, its forecast and patience files, fit.csv, availability.csv,
 * the short account on the terminal, and the per-date replay overrides.
 */
#include "exp/fit_impl.h"

#include "core/memstream.h"
#include "core/str.h"
#include "core/timeconst.h"
#include "fmt/textout.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

static const char *const wd_name[7] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

static const char *qid(const struct ccs_fitlog *f, size_t q)
{
    return f->scs[0]->queues[q].id;
}

/* Group g's id: "agents_" and the queues it serves, joined by '_'. */
void ccs__fit_group_id(const struct ccs_fitlog *f, size_t g, char *buf, size_t cap)
{
    size_t len = (size_t)snprintf(buf, cap, "agents");
    for (size_t q = 0; q < f->nq && len < cap; q++)
        if (f->group_mask[g] & ((uint64_t)1 << q))
            len += (size_t)snprintf(buf + len, cap - len, "_%s", qid(f, q));
}

/* Group g's queues in order of preference: most served first (ties: queue order). */
static size_t group_skills(const struct ccs_fitlog *f, size_t g, size_t *order)
{
    size_t n = 0;
    for (size_t q = 0; q < f->nq; q++)
        if (f->group_mask[g] & ((uint64_t)1 << q))
            order[n++] = q;
    const size_t *sv = f->group_served + g * f->nq;
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && sv[order[j]] > sv[order[j - 1]]; j--) {
            size_t t = order[j];
            order[j] = order[j - 1];
            order[j - 1] = t;
        }
    return n;
}

static void write_skills(const struct ccs_fitlog *f, size_t g, FILE *o)
{
    size_t order[64];
    size_t n = group_skills(f, g, order);
    fputc('[', o);
    for (size_t i = 0; i < n; i++)
        fprintf(o, "%s%s", i ? ", " : "", qid(f, order[i]));
    fputc(']', o);
}

/* A fitted law as a scenario distribution; mean_text replaces the mean
   (e.g. "forecast") when not NULL. */
static void write_dist(const struct ccs_fit *fit, const char *mean_text, FILE *o)
{
    char m[64];
    if (mean_text)
        snprintf(m, sizeof m, "%s", mean_text);
    else
        snprintf(m, sizeof m, "%.6gs", fit->mean.value);
    if (fit->family == CCS_FIT_EXPONENTIAL)
        fprintf(o, "{dist: exponential, mean: %s}", m);
    else
        fprintf(o, "{dist: %s, mean: %s, cv: %.6g}", ccs_fit_family_name(fit->family), m,
                fit->cv.value);
}

/* "08:30", or "08:30:05" when the time is not on a whole minute. */
static void clock_text(double secs, char *buf, size_t cap)
{
    bool whole_minute = lround(secs) % 60 == 0;
    ccs__clock(buf, cap, secs, whole_minute ? 0 : CCS_CLK_HMS);
}

/* The 97.5% quantile for a mean over n dates: Student's t with n - 1
   degrees of freedom (the sd is estimated from the dates themselves: with
   5 dates, 1.96 would cover 88%, not 95%); 1.96 with one date, where the
   sd is Poisson's sqrt(mean). */
double ccs__fit_tq(size_t n)
{
    return n > 1 ? gsl_cdf_tdist_Pinv(0.975, (double)(n - 1)) : 1.96;
}

double ccs__fit_mean_volume(const struct ccs_fitlog *f, int wd, size_t q, size_t i, double *sd)
{
    double s = 0, s2 = 0;
    size_t n = 0;
    for (size_t k = 0; k < f->n_days; k++)
        if (f->scs[k]->start_day == wd) {
            double c = f->counts[(k * f->nq + q) * f->ni + i];
            s += c;
            s2 += c * c;
            n++;
        }
    if (n == 0) {
        *sd = NAN;
        return NAN;
    }
    double m = s / (double)n;
    *sd = n > 1 ? sqrt(fmax(0, (s2 - n * m * m) / (double)(n - 1))) : sqrt(m);
    return m;
}

static double aht_of(const struct ccs__fq *fq, size_t i)
{
    if (fq->aht_n[i] >= 10)
        return fq->aht_sum[i] / (double)fq->aht_n[i];
    return fq->has_handle ? fq->handle[fq->handle_best].mean.value : NAN;
}

struct ccs_est ccs__fit_per_interval(const struct ccs_fitlog *f, bool staff, int wd, size_t k,
                                     size_t i)
{
    double sd, n = (double)f->wd_days[wd];
    struct ccs_est e;
    e.value = staff ? ccs__fit_mean_staff(f, wd, k, i, &sd) : ccs__fit_mean_volume(f, wd, k, i, &sd);
    e.se = sd / sqrt(n);
    double hw = ccs__fit_tq(f->wd_days[wd]) * e.se;
    e.lo = isnan(hw) ? NAN : fmax(0, e.value - hw); /* fmax would turn NaN into 0 */
    e.hi = e.value + hw;
    return e;
}

/* (fit_impl.h) */
double ccs__fit_mean_staff(const struct ccs_fitlog *f, int wd, size_t g, size_t i, double *sd)
{
    double s = 0, s2 = 0;
    size_t n = 0;
    double step = f->o.avail_step;
    for (size_t k = 0; k < f->n_days; k++) {
        if (f->scs[k]->start_day != wd)
            continue;
        n++;
        double a = (double)i * f->interval, b = a + f->interval, day = 0;
        for (size_t st = (size_t)(a / step); st < f->n_steps && (double)st * step < b; st++) {
            double x = fmax(a, (double)st * step), y = fmin(b, (double)(st + 1) * step);
            if (y > x)
                day += ccs__fit_staff(f, k, g, st) * (y - x);
        }
        day /= f->interval;
        s += day;
        s2 += day * day;
    }
    if (n == 0) {
        if (sd != NULL)
            *sd = NAN;
        return NAN;
    }
    double m = s / (double)n;
    if (sd != NULL)
        *sd = n > 1 ? sqrt(fmax(0, (s2 - (double)n * m * m) / (double)(n - 1))) : NAN;
    return m;
}

static void csv_row(FILE *o, const char *quantity, const char *queue, const char *key,
                    double value, double se, double lo, double hi, double n, const char *source)
{
    fprintf(o, "%s,%s,%s,%.6g,%.6g,%.6g,%.6g,%.0f,%s\n", quantity, queue, key, value, se, lo, hi,
            n, source);
}

static void csv_est(FILE *o, const char *quantity, const char *queue, const char *key,
                    struct ccs_est e, double n, const char *source)
{
    csv_row(o, quantity, queue, key, e.value, e.se, e.lo, e.hi, n, source);
}

/* A fitted family's rows: "FAMILY mean" and "FAMILY cv" of quantity. */
static void csv_family(FILE *o, const char *quantity, const char *queue, const struct ccs_fit *h,
                       const char *source)
{
    char key[96];
    snprintf(key, sizeof key, "%s mean", ccs_fit_family_name(h->family));
    csv_est(o, quantity, queue, key, h->mean, (double)h->n, source);
    snprintf(key, sizeof key, "%s cv", ccs_fit_family_name(h->family));
    csv_est(o, quantity, queue, key, h->cv, (double)h->n, source);
}

static void write_fit_csv(const struct ccs_fitlog *f, FILE *o)
{
    char key[96], src[160];
    fputs("quantity,queue,key,value,se,lo,hi,n,source\n", o);
    for (size_t q = 0; q < f->nq; q++) {
        if (f->scs[0]->queues[q].arrivals.kind != CCS_ARR_TRACE)
            continue;
        for (int wd = 0; wd < 7; wd++) {
            if (f->wd_days[wd] == 0)
                continue;
            for (size_t i = 0; i < f->ni; i++) {
                struct ccs_est e = ccs__fit_per_interval(f, false, wd, q, i);
                char clk[48];
                clock_text(f->scs[0]->start_time + (double)i * f->interval, clk, sizeof clk);
                snprintf(key, sizeof key, "%s %s", wd_name[wd], clk);
                csv_row(o, "volume", qid(f, q), key, e.value, e.se, e.lo, e.hi,
                        (double)f->wd_days[wd], "mean count over the weekday's dates");
            }
        }
    }
    if (f->disp_ok) {
        snprintf(src, sizeof src, "day totals per weekday; Poisson test chi2 %.1f df %.0f p %.3g",
                 f->disp.chi2, f->disp.df, f->disp.p);
        csv_est(o, "busyness_cv", "", "", f->disp.cv, (double)f->disp.n_days, src);
        csv_row(o, "poisson_test_p", "", "", f->disp.p, NAN, NAN, NAN, (double)f->disp.n_days,
                "index of dispersion per weekday x interval cell");
    }
    for (size_t q = 0; q < f->nq; q++) {
        const struct ccs__fq *fq = &f->q[q];
        const char *id = qid(f, q);
        if (fq->n == 0)
            continue;
        for (int fam = 0; fam < CCS_FIT_FAMILY_COUNT && fq->has_handle; fam++) {
            const struct ccs_fit *h = &fq->handle[fam];
            if (isnan(h->aic))
                continue;
            snprintf(src, sizeof src, "MLE on talk + hold; AIC %.2f%s", h->aic,
                     (int)fq->handle_best == fam ? " (chosen)" : "");
            csv_family(o, "handle_time", id, h, src);
        }
        if (fq->has_gof) {
            csv_row(o, "handle_time_gof", id, "ks_d", fq->handle_gof.ks_d, NAN, NAN, NAN,
                    (double)fq->n_work, "Kolmogorov-Smirnov of the chosen family");
            csv_row(o, "handle_time_gof", id, "ks_p", fq->handle_gof.ks_p, NAN, NAN, NAN,
                    (double)fq->handle_gof.n_boot, "parametric bootstrap p-value");
            csv_row(o, "handle_time_gof", id, "ad_a2", fq->handle_gof.ad_a2, NAN, NAN, NAN,
                    (double)fq->n_work, "Anderson-Darling of the chosen family");
            csv_row(o, "handle_time_gof", id, "ad_p", fq->handle_gof.ad_p, NAN, NAN, NAN,
                    (double)fq->handle_gof.n_boot, "parametric bootstrap p-value");
        }
        for (size_t i = 0; i < f->ni; i++) {
            if (fq->aht_n[i] == 0)
                continue;
            char clk[48];
            clock_text(f->scs[0]->start_time + (double)i * f->interval, clk, sizeof clk);
            csv_row(o, "aht", id, clk, fq->aht_sum[i] / (double)fq->aht_n[i], NAN, NAN, NAN,
                    (double)fq->aht_n[i], "mean handle time of the interval's contacts");
        }
        for (int fam = 0; fam < CCS_FIT_FAMILY_COUNT && fq->has_wrap; fam++) {
            const struct ccs_fit *h = &fq->wrap[fam];
            if (isnan(h->aic))
                continue;
            snprintf(src, sizeof src, "MLE on after-call work; AIC %.2f%s", h->aic,
                     (int)fq->wrap_best == fam ? " (chosen)" : "");
            csv_family(o, "wrap_up", id, h, src);
        }
        if (fq->km) {
            struct ccs_est med;
            if (ccs_km_quantile(fq->km, 0.5, &med, NULL) == 0)
                csv_est(o, "patience_km", id, "median", med, (double)fq->km->n,
                        "Kaplan-Meier, served callers censored at their wait");
            csv_row(o, "patience_km", id, "tail_mean", fq->km->tail.mean, NAN, NAN, NAN,
                    (double)fq->km->tail.window_events,
                    "exponential tail beyond the last abandonment");
        }
        for (int fam = 0; fam < CCS_FIT_FAMILY_COUNT && fq->has_pat; fam++) {
            const struct ccs_fit *p = &fq->pat[fam];
            if (isnan(p->aic))
                continue;
            snprintf(src, sizeof src, "censored MLE above %gs; %zu events; AIC %.2f%s",
                     f->o.short_abandon, p->n_events, p->aic,
                     (int)fq->pat_best == fam ? " (chosen)" : "");
            csv_family(o, "patience", id, p, src);
            for (int j = 0; j < p->n_par; j++) {
                snprintf(key, sizeof key, "%s %s", ccs_fit_family_name(p->family),
                         ccs_fit_param_name(p->family, j));
                csv_est(o, "patience", id, key, p->par[j], (double)p->n, src);
            }
        }
        struct ccs_est e;
        if (ccs_wilson((double)fq->n_short, (double)fq->n, &e, NULL) == 0)
            csv_est(o, "short_abandon_share", id, "", e, (double)fq->n,
                    "hang-ups within the short-abandon threshold / contacts");
        if (ccs_wilson((double)fq->n_aband, (double)fq->n, &e, NULL) == 0)
            csv_est(o, "abandon_share", id, "", e, (double)fq->n, "abandoned / contacts");
        const struct ccs_queue_def *qd = &f->scs[0]->queues[q];
        for (size_t s = 0; s < qd->n_segments && qd->segments[0].id; s++)
            if (ccs_wilson((double)fq->seg_n[s], (double)fq->n, &e, NULL) == 0)
                csv_est(o, "segment_share", id, qd->segments[s].id, e, (double)fq->n,
                        "records of the segment / contacts");
        if (ccs_wilson((double)fq->redials, (double)fq->ab_with_id, &e, NULL) == 0) {
            csv_est(o, "redial_probability", id, "", e, (double)fq->ab_with_id,
                    "abandoned contacts whose customer called again the same date");
            if (fq->redials)
                csv_row(o, "redial_delay_mean", id, "", fq->redial_delay / (double)fq->redials,
                        NAN, NAN, NAN, (double)fq->redials, "mean time to the next contact");
        }
        if (ccs_wilson((double)fq->repeats, (double)fq->sv_with_id, &e, NULL) == 0)
            csv_est(o, "repeat_contact_rate", id, "", e, (double)fq->sv_with_id,
                    "served contacts whose customer called again the same date");
        if (ccs_wilson((double)fq->n_transfer, (double)fq->n, &e, NULL) == 0)
            csv_est(o, "transfer_rate", id, "", e, (double)fq->n, "records flagged transferred");
    }
    for (size_t g = 0; g < f->n_groups; g++) {
        char gid[256];
        ccs__fit_group_id(f, g, gid, sizeof gid);
        double p = 0, away = 0;
        for (size_t k = 0; k < f->n_days; k++)
            for (size_t a = 0; a < f->n_agents; a++)
                if (f->agent_group[a] == g) {
                    p += f->avail[k * f->n_agents + a].present;
                    away += f->avail[k * f->n_agents + a].away;
                }
        snprintf(src, sizeof src, "rule '%s': staffed share of present time",
                 ccs_avail_rule_name(f->o.rule));
        csv_row(o, "available_share", gid, "", p > 0 ? (p - away) / p : NAN, NAN, NAN, NAN,
                (double)f->group_agents[g], src);
        for (int wd = 0; wd < 7; wd++) {
            if (f->wd_days[wd] == 0)
                continue;
            for (size_t i = 0; i < f->ni; i++) {
                char clk[48];
                clock_text(f->scs[0]->start_time + (double)i * f->interval, clk, sizeof clk);
                snprintf(key, sizeof key, "%s %s", wd_name[wd], clk);
                struct ccs_est e = ccs__fit_per_interval(f, true, wd, g, i);
                csv_row(o, "staffing", gid, key, e.value, e.se, e.lo, e.hi,
                        (double)f->wd_days[wd], "mean agents staffed (inferred availability)");
            }
        }
    }
}

static void write_forecast(const struct ccs_fitlog *f, FILE *o)
{
    fputs("weekday,interval,queue,volume,aht\n", o);
    for (int wd = 0; wd < 7; wd++) {
        if (f->wd_days[wd] == 0)
            continue;
        for (size_t i = 0; i < f->ni; i++) {
            double t = f->scs[0]->start_time + (double)i * f->interval;
            int day = (wd + (int)floor(t / CCS_DAY)) % 7;
            char clk[48];
            clock_text(t, clk, sizeof clk);
            for (size_t q = 0; q < f->nq; q++) {
                if (f->scs[0]->queues[q].arrivals.kind != CCS_ARR_TRACE)
                    continue;
                double sd, m = ccs__fit_mean_volume(f, wd, q, i, &sd);
                double aht = aht_of(&f->q[q], i);
                fprintf(o, "%s,%s,%s,%.6g,%.6g\n", wd_name[day], clk, qid(f, q), m,
                        isnan(aht) ? 1.0 : aht);
            }
        }
    }
}

static void write_scenario(const struct ccs_fitlog *f, FILE *o)
{
    const struct ccs_scenario *s0 = f->scs[0];
    char clk[48];
    fprintf(o, "# Fitted by `ccsim fit` from %s: %zu dates (%s to %s), %zu contacts.\n",
            s0->origin ? s0->origin : "?", f->n_days,
            s0->dated ? s0->date_text : "undated", f->scs[f->n_days - 1]->dated
                                                       ? f->scs[f->n_days - 1]->date_text
                                                       : "undated",
            f->total);
    fputs("# Each estimate: value [95% interval], sample size, source. fit.csv lists them\n"
          "# all; docs/fit.md states the rules. One run is one week from Monday, with\n"
          "# each weekday's mean volumes and staffing (weekdays absent from the log: none).\n",
          o);
    fprintf(o, "name: \"%s (fitted)\"\n", s0->name ? s0->name : "fitted");
    fprintf(o,
            "# The model's error on real days: `ccsim backtest %s --out DIR`, DIR being this\n"
            "# scenario's folder, writes backtest.csv here; `ccsim compare` on this scenario\n"
            "# then states that error beside its verdicts (docs/compare.md).\n"
            "backtest: backtest.csv\n",
            s0->origin ? s0->origin : "LOG.yaml");
    fprintf(o, "seed: %llu\nreplications: 20\n", (unsigned long long)s0->seed);
    clock_text(s0->start_time, clk, sizeof clk);
    fprintf(o, "start_time: \"%s\"\nstart_day: mon\nhorizon: 7d\ninterval: %.6gs\ndrain: true\n",
            clk, f->interval);
    if (f->disp_ok)
        fprintf(o,
                "busyness_cv: %.4f   # [%.4f, %.4f], %zu dates in %zu weekday x interval cells; "
                "Poisson test chi2 %.1f on %.0f df, p = %.3g\n",
                f->disp.cv.value, f->disp.cv.lo, f->disp.cv.hi, f->disp.n_days, f->disp.n_cells,
                f->disp.chi2, f->disp.df, f->disp.p);
    else
        fprintf(o, "busyness_cv: 0   # not estimated: %s\n", f->disp_why);
    fputs("forecast:   # mean volume per weekday x interval; AHT per interval (>= 10 contacts,\n"
          "            # else the queue's mean)\n"
          "  file: forecast.csv\n"
          "  columns: {weekday: weekday, interval: interval, queue: queue, volume: volume, "
          "aht: aht}\n",
          o);
    fputs("queues:\n", o);
    for (size_t q = 0; q < f->nq; q++) {
        const struct ccs_queue_def *qd = &s0->queues[q];
        const struct ccs__fq *fq = &f->q[q];
        fprintf(o, "  - id: %s\n", qd->id);
        fprintf(o, "    arrivals: forecast   # %zu contacts on %zu dates\n", fq->n, f->n_days);
        if (fq->has_handle) {
            const struct ccs_fit *h = &fq->handle[fq->handle_best];
            fputs("    handle_time: ", o);
            write_dist(h, "forecast", o);
            fprintf(o,
                    "\n    # handle time: %s by AIC of 4 families, n = %zu; mean %.1fs [%.1f, %.1f], "
                    "cv %.3f [%.3f, %.3f]",
                    ccs_fit_family_name(h->family), h->n, h->mean.value, h->mean.lo, h->mean.hi,
                    h->cv.value, h->cv.lo, h->cv.hi);
            if (fq->has_gof)
                fprintf(o, "; KS D %.4f p %.3g, AD A2 %.3f p %.3g (%u bootstrap samples)",
                        fq->handle_gof.ks_d, fq->handle_gof.ks_p, fq->handle_gof.ad_a2,
                        fq->handle_gof.ad_p, fq->handle_gof.n_boot);
            fputc('\n', o);
        } else {
            fputs("    handle_time: {dist: exponential, mean: 3m}   # not estimated: no handle "
                  "times in the log\n",
                  o);
        }
        if (fq->has_wrap) {
            const struct ccs_fit *w = &fq->wrap[fq->wrap_best];
            fputs("    wrap_up: ", o);
            write_dist(w, NULL, o);
            fprintf(o, "   # %s by AIC, n = %zu; mean [%.1f, %.1f]s\n",
                    ccs_fit_family_name(w->family), w->n, w->mean.lo, w->mean.hi);
        }
        if (fq->has_km) {
            fprintf(o, "    patience: {dist: empirical, file: patience-%s.csv, column: patience_s}\n",
                    qd->id);
            fprintf(o,
                    "    # patience: Kaplan-Meier of %zu waits (%zu abandonments; served callers "
                    "censored), exponential tail of mean %.0fs beyond %.0fs;",
                    fq->km->n, fq->km->n_events, fq->km->tail.mean, fq->km->tail.start);
            if (fq->has_pat) {
                const struct ccs_fit *p = &fq->pat[fq->pat_best];
                fprintf(o, " censored MLE above %gs: %s (AIC) mean %.0fs [%.0f, %.0f], cv %.2f",
                        f->o.short_abandon, ccs_fit_family_name(p->family), p->mean.value,
                        p->mean.lo, p->mean.hi, p->cv.value);
            }
            fprintf(o, "; %zu hang-ups within %gs\n", fq->n_short, f->o.short_abandon);
        } else {
            fputs("    # patience: none (no abandonment in the log)\n", o);
        }
        fprintf(o, "    sla: {target: %.6g%%, within: %.6gs}\n", 100 * qd->sla_target,
                qd->sla_within);
        if (qd->n_segments > 1 || qd->segments[0].id) {
            fputs("    segments:\n", o);
            for (size_t s = 0; s < qd->n_segments; s++) {
                struct ccs_est e = {0, 0, 0, 0};
                ccs_wilson((double)fq->seg_n[s], (double)(fq->n ? fq->n : 1), &e, NULL);
                fprintf(o, "      - {id: %s, share: %.4f%%", qd->segments[s].id, 100 * e.value);
                if (qd->segments[s].credit > 0)
                    fprintf(o, ", credit: %.6gs", qd->segments[s].credit);
                if (qd->segments[s].priority)
                    fprintf(o, ", priority: %d", qd->segments[s].priority);
                fprintf(o, "}   # [%.2f%%, %.2f%%] of %zu\n", 100 * e.lo, 100 * e.hi, fq->n);
            }
        }
        if (fq->ab_with_id > 0)
            fprintf(o,
                    "    # not modelled (the volumes include them): %zu of %zu abandoned "
                    "callers called again the same date (mean delay %.0fs)\n",
                    fq->redials, fq->ab_with_id,
                    fq->redials ? fq->redial_delay / (double)fq->redials : 0.0);
        if (fq->n_transfer > 0)
            fprintf(o, "    # %zu of %zu contacts flagged transferred (not modelled)\n",
                    fq->n_transfer, fq->n);
    }
    fputs("groups:   # one per skill set the agent column shows; staffing = mean agents\n"
          "          # staffed per weekday x interval by the availability rule\n",
          o);
    size_t ndi = (size_t)lround(CCS_DAY / f->interval);
    for (size_t g = 0; g < f->n_groups; g++) {
        char gid[256];
        ccs__fit_group_id(f, g, gid, sizeof gid);
        fprintf(o, "  - id: %s   # %zu agents; availability rule '%s'\n", gid, f->group_agents[g],
                ccs_avail_rule_name(f->o.rule));
        fputs("    skills: ", o);
        write_skills(f, g, o);
        fprintf(o, "\n    staffing:\n      per: %.6gs\n      agents: [", f->interval);
        for (size_t j = 0; j < 7 * ndi; j++) {
            int wd = (int)(j / ndi);
            size_t i = j % ndi;
            double v = 0;
            if (i < f->ni && f->wd_days[wd] > 0)
                v = floor(ccs__fit_mean_staff(f, wd, g, i, NULL) + 0.5);
            fprintf(o, "%s%s%.0f", j ? "," : "", j % ndi == 0 && j ? "\n               " : "",
                    v);
        }
        fputs("]\n", o);
    }
    fprintf(o, "routing: {policy: %s}\n", s0->policy ? s0->policy->name : "acd");
}

int ccs_fitlog_write(const struct ccs_fitlog *f, FILE *(*open)(void *ctx, const char *name, struct ccs_diag *d),
                     void *ctx,
                     struct ccs_diag *d)
{
    FILE *o;
    if ((o = open(ctx, "scenario.yaml", d)) == NULL)
        return CCS_EIO;
    write_scenario(f, o);
    if ((o = open(ctx, "forecast.csv", d)) == NULL)
        return CCS_EIO;
    write_forecast(f, o);
    for (size_t q = 0; q < f->nq; q++) {
        if (!f->q[q].has_km)
            continue;
        char name[300];
        snprintf(name, sizeof name, "patience-%s.csv", qid(f, q));
        if ((o = open(ctx, name, d)) == NULL)
            return CCS_EIO;
        fputs("patience_s\n", o);
        for (size_t i = 0; i < 200; i++)
            fprintf(o, "%.6g\n", f->q[q].km_values[i]);
    }
    if ((o = open(ctx, "fit.csv", d)) == NULL)
        return CCS_EIO;
    write_fit_csv(f, o);
    if ((o = open(ctx, "availability.csv", d)) == NULL)
        return CCS_EIO;
    fputs("date,agent,group,present_s,busy_s,away_s,available_s\n", o);
    for (size_t k = 0; k < f->n_days; k++)
        for (size_t a = 0; a < f->n_agents; a++) {
            const struct ccs__avail_row *r = &f->avail[k * f->n_agents + a];
            if (r->present <= 0 || f->agent_group[a] == SIZE_MAX)
                continue;
            char nb[64], gid[256];
            ccs__fit_group_id(f, f->agent_group[a], gid, sizeof gid);
            fprintf(o, "%s,%s,%s,%.0f,%.0f,%.0f,%.0f\n",
                    f->scs[k]->dated ? f->scs[k]->date_text : "",
                    ccs__fit_agent_name(f, a, nb, sizeof nb), gid, r->present, r->busy, r->away,
                    r->present - r->busy - r->away);
        }
    if ((o = open(ctx, "timeline.csv", d)) == NULL)
        return CCS_EIO;
    fputs("date,agent,from,to,state\n", o);
    for (size_t i = 0; i < f->n_tl; i++) {
        const struct ccs__tl *t = &f->tl[i];
        char nb[64], c1[48], c2[48];
        clock_text(f->scs[t->day]->start_time + t->a, c1, sizeof c1);
        clock_text(f->scs[t->day]->start_time + t->b, c2, sizeof c2);
        fprintf(o, "%s,%s,%s,%s,%s\n",
                f->scs[t->day]->dated ? f->scs[t->day]->date_text : "",
                ccs__fit_agent_name(f, t->agent, nb, sizeof nb), c1, c2,
                t->away ? "away" : "present");
    }
    return 0;
}

void ccs_fitlog_print(const struct ccs_fitlog *f, FILE *out)
{
    fprintf(out, "fit: %zu contacts on %zu dates; %zu agents in %zu skill groups; availability "
                 "rule '%s': %.1f%% of present time staffed\n",
            f->total, f->n_days, f->n_agents, f->n_groups, ccs_avail_rule_name(f->o.rule),
            100 * ccs_fitlog_available_share(f));
    if (f->disp_ok)
        fprintf(out, "arrivals: busyness_cv %.3f [%.3f, %.3f]; Poisson test p = %.3g\n",
                f->disp.cv.value, f->disp.cv.lo, f->disp.cv.hi, f->disp.p);
    else
        fprintf(out, "arrivals: busyness_cv not estimated (%s)\n", f->disp_why);
    for (size_t q = 0; q < f->nq; q++) {
        const struct ccs__fq *fq = &f->q[q];
        if (fq->n == 0)
            continue;
        fprintf(out, "%s: %zu contacts, %zu abandoned (%zu within %gs)", qid(f, q), fq->n,
                fq->n_aband, fq->n_short, f->o.short_abandon);
        if (fq->has_handle) {
            const struct ccs_fit *h = &fq->handle[fq->handle_best];
            fprintf(out, "; handle %s mean %.1fs cv %.2f", ccs_fit_family_name(h->family),
                    h->mean.value, h->cv.value);
            if (fq->has_gof)
                fprintf(out, " (KS p %.3g)", fq->handle_gof.ks_p);
        }
        if (fq->has_pat) {
            const struct ccs_fit *p = &fq->pat[fq->pat_best];
            fprintf(out, "; patience %s mean %.0fs [%.0f, %.0f]", ccs_fit_family_name(p->family),
                    p->mean.value, p->mean.lo, p->mean.hi);
        }
        fputc('\n', out);
    }
}

/* ---- per-date replay overrides ------------------------------------------- */

static int keep_text(struct ccs_fitlog *f, char *t)
{
    char **v = ccs_realloc(f->ov_text, (f->n_ov_text + 1) * sizeof *v);
    if (v == NULL) {
        free(t);
        return CCS_ENOMEM;
    }
    f->ov_text = v;
    f->ov_text[f->n_ov_text++] = t;
    return 0;
}

int ccs_fitlog_day_overrides(struct ccs_fitlog *f, size_t k, const struct ccs_override **ov,
                             size_t *n_ov)
{
    if (f == NULL || ov == NULL || n_ov == NULL || k >= f->n_days)
        return CCS_EINVAL;
    for (size_t i = 0; i < f->n_ov_text; i++)
        free(f->ov_text[i]);
    f->n_ov_text = 0;
    free(f->ov);
    f->ov = ccs_calloc(1 + f->nq, sizeof *f->ov);
    if (f->ov == NULL)
        return CCS_ENOMEM;
    size_t n = 0;
    char *buf = NULL;
    size_t len = 0;
    FILE *m = ccs__memstream(&buf, &len);
    if (m == NULL)
        return CCS_ENOMEM;
    fputc('[', m);
    for (size_t g = 0; g < f->n_groups; g++) {
        char gid[256];
        ccs__fit_group_id(f, g, gid, sizeof gid);
        fprintf(m, "%s{id: %s, skills: ", g ? ", " : "", gid);
        write_skills(f, g, m);
        fprintf(m, ", staffing: {per: %.6gs, agents: [", f->o.avail_step);
        for (size_t s = 0; s < f->n_steps; s++)
            fprintf(m, "%s%.0f", s ? "," : "", floor(ccs__fit_staff(f, k, g, s) + 0.5));
        fputs("]}}", m);
    }
    fputc(']', m);
    if (fclose(m) != 0) {
        free(buf);
        return CCS_ENOMEM;
    }
    int rc = keep_text(f, buf);
    if (rc)
        return rc;
    f->ov[n++] = (struct ccs_override){"groups", buf, "fit", 1, 1};
    for (size_t q = 0; q < f->nq; q++) {
        if (!f->q[q].has_pat)
            continue;
        char *p = NULL, *v = NULL;
        size_t pl = 0, vl = 0;
        FILE *mp = ccs__memstream(&p, &pl);
        if (mp == NULL)
            return CCS_ENOMEM;
        fprintf(mp, "queues.%s.patience", qid(f, q));
        fclose(mp);
        if ((rc = keep_text(f, p)))
            return rc;
        FILE *mv = ccs__memstream(&v, &vl);
        if (mv == NULL)
            return CCS_ENOMEM;
        write_dist(&f->q[q].pat[f->q[q].pat_best], NULL, mv);
        fclose(mv);
        if ((rc = keep_text(f, v)))
            return rc;
        f->ov[n++] = (struct ccs_override){p, v, "fit", 1, 1};
    }
    *ov = f->ov;
    *n_ov = n;
    return 0;
}
