/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * schedule_out.c - what `ccsim schedule` prints and writes: the summary
 * (solver status and gap, cost and paid hours against the head-count plan,
 * the shifts, the coverage and the validation by interval), the roster as
 * scenario YAML, roster.csv and coverage.csv. Nothing here depends on the
 * clock, so the same scenario and seed give the same bytes.
 */
#include "ccs/report.h"
#include "ccs/schedule.h"

#include "ccs/units.h"
#include "exp/schedule_impl.h"
#include "out/report_util.h"
#include "fmt/ydoc.h"
#include "fmt/textout.h"
#include "model/scenario.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "08:30" of interval t of the horizon, "d2 08:30" past the first day. */
static void ilabel(const struct ccs_schedule *s, uint32_t t, char *buf, size_t cap)
{
    ccs__clock(buf, cap, s->sc->start_time + t * s->sc->interval, CCS_CLK_DAY);
}

/* "08:30": the time of day, whatever the day. */
static void clock_text(double clock, char *buf, size_t cap)
{
    ccs__clock(buf, cap, clock, 0);
}

static const char *group_id(const struct ccs_schedule *s, uint32_t rg, size_t *g_out)
{
    for (size_t g = 0; g < s->n_groups; g++)
        if (s->group_of[g] == (int32_t)rg) {
            if (g_out != NULL)
                *g_out = g;
            return s->sc->groups[g].id;
        }
    return "?";
}

static const struct ccs_rtemplate_def *tdef(const struct ccs_schedule *s,
                                            const struct ccs_roster_shift *sh)
{
    return ccs__schedule_template(s, sh->tmpl);
}

/* "10:15+15m 12:30+30m(unpaid)" */
static void breaks_text(const struct ccs_schedule *s, const struct ccs_roster_shift *sh,
                        const char *sep, char *buf, size_t cap)
{
    const struct ccs_rtemplate_def *td = tdef(s, sh);
    uint32_t day;
    double start = ccs__schedule_shift_clock(s, sh, &day);
    size_t used = 0;
    buf[0] = '\0';
    for (size_t k = 0; k < td->n_breaks && used < cap; k++) {
        char at[16], len[32];
        clock_text(start + sh->breaks[k] * s->sc->interval, at, sizeof at);
        ccs_format_duration(td->breaks[k].length, len, sizeof len);
        int n = snprintf(buf + used, cap - used, "%s%s+%s%s", k ? sep : "", at, len,
                         td->breaks[k].paid ? "" : " unpaid");
        if (n < 0)
            break;
        used += (size_t)n;
    }
}

static const char *const weekday[] = {"mon", "tue", "wed", "thu", "fri", "sat", "sun"};

static void day_text(const struct ccs_schedule *s, const struct ccs_roster_shift *sh, char *buf,
                     size_t cap)
{
    uint32_t day;
    ccs__schedule_shift_clock(s, sh, &day);
    if (s->grid.days > 1)
        snprintf(buf, cap, "%s", weekday[(day + (uint32_t)s->sc->start_day) % 7]);
    else
        snprintf(buf, cap, "%s", "daily");
}

/* A shift's columns as text, the breaks joined by sep. */
struct shift_text {
    char day[16], start[16], end[16], breaks[512];
};

static void shift_text(const struct ccs_schedule *s, const struct ccs_roster_shift *sh,
                       const char *sep, struct shift_text *t)
{
    uint32_t day;
    double start = ccs__schedule_shift_clock(s, sh, &day);
    clock_text(start, t->start, sizeof t->start);
    clock_text(start + sh->length * s->sc->interval, t->end, sizeof t->end);
    day_text(s, sh, t->day, sizeof t->day);
    breaks_text(s, sh, sep, t->breaks, sizeof t->breaks);
}

int ccs_schedule_write_table(FILE *f, const struct ccs_schedule *s)
{
    const struct ccs_scenario *sc = s->sc;
    const struct ccs_roster *r = s->roster;
    char iv[32];
    ccs_format_duration(sc->interval, iv, sizeof iv);
    fprintf(f, "Roster for '%s': %u day%s of %u intervals of %s%s\n", sc->name, s->grid.days,
            s->grid.days == 1 ? "" : "s", s->grid.per_day, iv,
            s->grid.cyclic ? " (repeating)" : "");
    fprintf(f, "Requirement: agents on the phones by Erlang A per interval (occupancy at most "
               "%.0f%%),\nsplit among the groups, / (1 - shrinkage)%s.\n",
            100 * s->staff->max_occupancy,
            !s->simulated ? ""
            : s->cuts == CCS_SCHED_CUTS_RAISE
                ? ", raised where the simulated roster missed its target"
                : ", with subgradient cuts where the simulated roster missed its target");
    char why[256];
    ccs_roster_stop_text(r, why, sizeof why);
    fprintf(f, "Solver (%s): %s", r->solver ? r->solver : "GLPK",
            ccs_roster_status_name(r->status));
    if (r->status == CCS_ROSTER_INFEASIBLE) {
        fprintf(f, ": %s\n", r->reason);
        return ccs__out_status(f);
    }
    if (r->status == CCS_ROSTER_NO_ROSTER) {
        fprintf(f, ": %s\n", r->reason);
        return ccs__out_status(f);
    }
    fprintf(f, "; %zu variables (%zu integer), %zu rows; LP bound %.2f, best bound %.2f, "
               "optimality gap %.2f%%\nSearch: %s%s\n",
            r->n_vars, r->n_int_vars, r->n_rows, r->lp_bound, r->bound, 100 * r->gap, why,
            r->stop == CCS_ROSTER_STOP_TIME ? " (--time-limit)" : "");
    fprintf(f, "\n%-16s %8s %12s %12s\n", "", "people", "paid hours", "cost");
    fprintf(f, "%-16s %8s %12.1f %12.2f\n", "head-count plan", "-", s->plan_hours, s->plan_cost);
    uint32_t people = 0;
    for (uint32_t g = 0; g < r->n_groups; g++)
        people += r->headcount[g];
    fprintf(f, "%-16s %8u %12.1f %12.2f", "roster", people, r->paid_hours, r->cost);
    if (s->plan_cost > 0)
        fprintf(f, "   (%+.1f%% cost)", 100 * (r->cost / s->plan_cost - 1));
    fputc('\n', f);
    fprintf(f, "(the plan pays exactly the agents each interval needs, as if any shift were "
               "allowed;\nthe roster pays whole shifts with their breaks)\n");

    fprintf(f, "\nShifts:\n  %-14s %-14s %-5s %-11s %5s  %s\n", "group", "template", "day",
            "hours", "count", "breaks");
    for (size_t i = 0; i < r->n_shifts; i++) {
        const struct ccs_roster_shift *sh = &r->shifts[i];
        if (sh->count == 0)
            continue;
        struct shift_text t;
        shift_text(s, sh, ", ", &t);
        fprintf(f, "  %-14s %-14s %-5s %s-%s %5u  %s\n", group_id(s, sh->group, NULL),
                tdef(s, sh)->name, t.day, t.start, t.end, sh->count, t.breaks);
    }

    fprintf(f, "\nCoverage (agents: required / scheduled / on the phones)");
    if (s->simulated)
        fprintf(f, " and simulated service level\n(%u replications, seed %llu, fresh); * "
                   "significantly below target (one-sided, Holm, alpha %g)",
                s->replications, (unsigned long long)(s->seed + 1), s->alpha);
    fputs(":\n  interval", f);
    for (size_t g = 0; g < s->n_groups; g++)
        if (s->group_of[g] >= 0)
            fprintf(f, "  %16s", sc->groups[g].id);
    if (s->simulated)
        for (size_t q = 0; q < s->n_queues; q++)
            fprintf(f, "  %14s", sc->queues[q].id);
    fputc('\n', f);
    for (uint32_t t = 0; t < s->n_intervals; t++) {
        char lab[32];
        ilabel(s, t, lab, sizeof lab);
        fprintf(f, "  %-8s", lab);
        for (size_t g = 0; g < s->n_groups; g++) {
            if (s->group_of[g] < 0)
                continue;
            size_t k = (size_t)s->group_of[g] * s->n_intervals + t;
            char cell[48];
            snprintf(cell, sizeof cell, "%u / %u / %u", s->required[g * s->n_intervals + t],
                     r->scheduled[k], r->on_phone[k]);
            fprintf(f, "  %16s", cell);
        }
        /* the service levels, a '*' after a cell below target; no trailing blank */
        char row[1024];
        size_t used = 0;
        row[0] = '\0';
        for (size_t q = 0; s->simulated && q < s->n_queues && used < sizeof row; q++) {
            size_t c = t * s->n_queues + q;
            char cell[48];
            if (isnan(s->sl[c]))
                snprintf(cell, sizeof cell, "-");
            else
                snprintf(cell, sizeof cell, "%.1f%%", 100 * s->sl[c]);
            int n = snprintf(row + used, sizeof row - used, "  %14s%s", cell,
                             s->below[c] ? "*" : " ");
            used += n > 0 ? (size_t)n : 0;
        }
        while (used > 0 && used < sizeof row && row[used - 1] == ' ')
            row[--used] = '\0';
        fprintf(f, "%s\n", row);
    }
    if (s->simulated) {
        fprintf(f, "\nSimulation loop: %u round%s of %u replications (seed %llu)", s->rounds,
                s->rounds == 1 ? "" : "s", s->replications, (unsigned long long)s->seed);
        if (s->cuts == CCS_SCHED_CUTS_SUBGRADIENT)
            fprintf(f, "; %zu subgradient cut%s (%zu raised instead: no slope), %u simulations; "
                       "the last roster %u integer program%s for %u groups",
                    s->n_cuts, s->n_cuts == 1 ? "" : "s", s->n_fallback, s->simulations,
                    s->roster->n_programs, s->roster->n_programs == 1 ? "" : "s",
                    s->roster->n_groups);
        fputs(". ", f);
        size_t cannot = 0;
        for (size_t c = 0; c < (size_t)s->n_intervals * s->n_queues; c++)
            cannot += s->cell[c] == CCS_SCHED_CANNOT;
        if (s->n_short == 0)
            fprintf(f, "Every interval met its target.\n");
        else
            fprintf(f, "%zu interval-queue cell%s still below target (%zu cannot be raised: no "
                       "roster covers more).\n",
                    s->n_short, s->n_short == 1 ? "" : "s", cannot);
        for (size_t c = 0; c < (size_t)s->n_intervals * s->n_queues; c++)
            if (s->cell[c] == CCS_SCHED_SHORT || s->cell[c] == CCS_SCHED_CANNOT) {
                char lab[32];
                ilabel(s, (uint32_t)(c / s->n_queues), lab, sizeof lab);
                fprintf(f, "  %s %s: %s\n", lab, sc->queues[c % s->n_queues].id,
                        s->cell[c] == CCS_SCHED_CANNOT ? "cannot be raised" : "short at the cap");
            }
        fprintf(f, "Validation with fresh seeds: %zu cell%s significantly below target.\n",
                s->n_below, s->n_below == 1 ? "" : "s");
    }
    return ccs__out_status(f);
}

int ccs_schedule_write_yaml(FILE *f, const struct ccs_schedule *s)
{
    const struct ccs_scenario *sc = s->sc;
    const struct ccs_roster *r = s->roster;
    struct ccs_ydoc *doc;
    if (ccs__ydoc_clone(sc->doc, &doc) != 0)
        return CCS_ENOMEM;
    struct ccs_ynode *gs = ccs__ymap_get(ccs__ydoc_root(doc), "groups");
    fprintf(f, "# ccsim schedule: the roster of '%s' (%s, cost %.2f, %.1f paid hours).\n",
            sc->name, ccs_roster_status_name(r->status), r->cost, r->paid_hours);
    fprintf(f, "# Paste over the scenario's 'groups:'; each rostered group's 'shifts' replace "
               "its head count.\ngroups:\n");
    int rc = 0;
    for (size_t g = 0; g < s->n_groups && rc == 0; g++) {
        if (gs == NULL || gs->kind != CCS_Y_SEQ || g >= gs->len ||
            gs->items[g]->kind != CCS_Y_MAP) {
            rc = CCS_EINVAL; /* cannot happen: the scenario was built from this tree */
            break;
        }
        bool rostered = s->group_of[g] >= 0;
        if ((rc = ccs__report_group_item(f, gs->items[g], rostered)) != 0 || !rostered)
            continue;
        fprintf(f, "    shifts:\n");
        size_t n = 0;
        for (size_t i = 0; i < r->n_shifts && rc == 0; i++) {
            const struct ccs_roster_shift *sh = &r->shifts[i];
            if (sh->group != (uint32_t)s->group_of[g] || sh->count == 0)
                continue;
            fprintf(f, "      - ");
            rc = ccs__schedule_shift_yaml(s, sh, f);
            fprintf(f, "   # %s\n", tdef(s, sh)->name);
            n++;
        }
        if (n == 0)
            fprintf(f, "      - {start: \"00:00\", length: 1h, agents: 0}   # nobody\n");
    }
    ccs__ydoc_free(doc);
    return rc ? rc : ccs__out_status(f);
}

int ccs_schedule_write_csv(FILE *f, const struct ccs_schedule *s)
{
    const struct ccs_roster *r = s->roster;
    fprintf(f, "group,template,day,start,end,breaks,count,paid_hours,cost\n");
    for (size_t i = 0; i < r->n_shifts; i++) {
        const struct ccs_roster_shift *sh = &r->shifts[i];
        if (sh->count == 0)
            continue;
        struct shift_text t;
        shift_text(s, sh, ";", &t);
        fprintf(f, "%s,%s,%s,%s,%s,%s,%u,%.4g,%.2f\n", group_id(s, sh->group, NULL),
                tdef(s, sh)->name, t.day, t.start, t.end, t.breaks, sh->count, sh->paid_hours,
                sh->cost);
    }
    return ccs__out_status(f);
}

int ccs_schedule_write_coverage(FILE *f, const struct ccs_schedule *s)
{
    const struct ccs_roster *r = s->roster;
    fprintf(f, "group,interval,time,required,scheduled,on_phone\n");
    for (size_t g = 0; g < s->n_groups; g++) {
        if (s->group_of[g] < 0)
            continue;
        for (uint32_t t = 0; t < s->n_intervals; t++) {
            size_t k = (size_t)s->group_of[g] * s->n_intervals + t;
            char lab[32];
            ilabel(s, t, lab, sizeof lab);
            fprintf(f, "%s,%u,%s,%u,%u,%u\n", s->sc->groups[g].id, t, lab,
                    s->required[g * s->n_intervals + t], r->scheduled[k], r->on_phone[k]);
        }
    }
    return ccs__out_status(f);
}

int ccs_schedule_write_sl(FILE *f, const struct ccs_schedule *s)
{
    fprintf(f, "queue,interval,time,service_level,std_error,target,p_value,below\n");
    for (size_t q = 0; q < s->n_queues; q++)
        for (uint32_t t = 0; t < s->n_intervals; t++) {
            size_t c = t * s->n_queues + q;
            char lab[32];
            ilabel(s, t, lab, sizeof lab);
            if (isnan(s->sl[c]))
                fprintf(f, "%s,%u,%s,,,%.4g,,\n", s->sc->queues[q].id, t, lab,
                        s->sc->queues[q].sla_target);
            else
                fprintf(f, "%s,%u,%s,%.6g,%.6g,%.4g,%.6g,%d\n", s->sc->queues[q].id, t, lab,
                        s->sl[c], s->sl_se[c], s->sc->queues[q].sla_target, s->p_value[c],
                        s->below[c] ? 1 : 0);
        }
    return ccs__out_status(f);
}
