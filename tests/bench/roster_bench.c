/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * roster_bench.c - the weekly roster benchmark (not a test): 7 days of 96
 * quarter-hours, two groups with a realistic requirement curve, 206 start x
 * length shift templates each (full-time 5 days of 7 with two days off
 * together, part-time 4 days of 7, nights), breaks placed implicitly.
 * Prints the program's size, solve time, LP bound, cost and gap; the target
 * is a 1% gap within 60 s. `cmake --build build --target roster_bench`.
 *
 *   roster_bench [--time-limit S] [--nodes N] [--gap G] [--groups 1|2] [--glpk] [--verbose]
 *
 * --glpk: GLPK's branch and bound even when ccsim was built with CBC.
 *
 * The machine is shared: the figures to compare are the process's CPU time
 * (run it under `/usr/bin/time -f "%U s"`), not the wall-clock time it prints.
 */
#include "ccs/roster.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DAYS 7
#define PER_DAY 96

/* Agents needed on the phones per quarter-hour: a 24/7 center with a morning
   and an afternoon peak, busier on Monday, quieter at the weekend. */
static void requirement(double peak, uint32_t *need)
{
    static const double day_factor[DAYS] = {1.12, 1.0, 0.97, 0.98, 0.94, 0.62, 0.45};
    for (int d = 0; d < DAYS; d++)
        for (int q = 0; q < PER_DAY; q++) {
            double h = q / 4.0;
            double morning = exp(-0.5 * pow((h - 10.5) / 1.8, 2));
            double afternoon = 0.85 * exp(-0.5 * pow((h - 14.75) / 2.2, 2));
            double evening = 0.35 * exp(-0.5 * pow((h - 19.0) / 1.5, 2));
            double shape = morning > afternoon ? morning : afternoon;
            shape = shape > evening ? shape : evening;
            double night = 0.06;
            double v = peak * day_factor[d] * (shape > night ? shape : night);
            need[d * PER_DAY + q] = (uint32_t)ceil(v);
        }
}

static int add(struct ccs_roster_problem *p, const struct ccs_roster_template *t)
{
    struct ccs_diag d;
    ccs_diag_clear(&d);
    if (ccs_roster_add_template(p, t, NULL, &d) != 0) {
        fprintf(stderr, "%s\n", d.msg);
        return -1;
    }
    return 0;
}

/* The group's templates: 66 full-time, 135 part-time, 5 night. */
static int no_breaks, no_tours, n_days = DAYS;

static int templates(struct ccs_roster_problem *p, uint32_t g)
{
    struct ccs_roster_template ft = ccs_roster_template_default();
    ft.name = "full-time";
    ft.group = g;
    ft.start_first = 6 * 4; /* 06:00 */
    ft.start_last = 14 * 4; /* 14:00 */
    ft.n_lengths = 2;
    ft.lengths[0] = 8 * 4;
    ft.lengths[1] = 9 * 4;
    ft.cost_per_hour = 20;
    ft.n_breaks = 3;
    ft.breaks[0] = (struct ccs_roster_break){1, 6, 12, true};   /* 15 min, 1h30-3h */
    ft.breaks[1] = (struct ccs_roster_break){2, 14, 20, false}; /* lunch 30 min, 3h30-5h */
    ft.breaks[2] = (struct ccs_roster_break){1, 22, 28, true};  /* 15 min, 5h30-7h */
    ft.min_work_before = 4;
    ft.min_work_between = 4;
    ft.min_work_after = 4;
    ft.days = (struct ccs_roster_days){5, false, true};

    struct ccs_roster_template pt = ccs_roster_template_default();
    pt.name = "part-time";
    pt.group = g;
    pt.start_first = 7 * 4;
    pt.start_last = 18 * 4;
    pt.n_lengths = 3;
    pt.lengths[0] = 4 * 4;
    pt.lengths[1] = 5 * 4;
    pt.lengths[2] = 6 * 4;
    pt.cost_per_hour = 22;
    pt.n_breaks = 1;
    pt.breaks[0] = (struct ccs_roster_break){1, 6, 12, true};
    pt.min_work_after = 4;
    pt.days = (struct ccs_roster_days){4, false, false};

    struct ccs_roster_template nt = ccs_roster_template_default();
    nt.name = "night";
    nt.group = g;
    nt.start_first = 22 * 4;
    nt.start_last = 23 * 4;
    nt.n_lengths = 1;
    nt.lengths[0] = 8 * 4;
    nt.cost_per_hour = 26;
    nt.n_breaks = 1;
    nt.breaks[0] = (struct ccs_roster_break){2, 12, 20, false};
    nt.days = (struct ccs_roster_days){5, false, true};
    if (no_breaks) ft.n_breaks = pt.n_breaks = nt.n_breaks = 0;
    if (no_tours || n_days != DAYS) ft.days.work = pt.days.work = nt.days.work = 0;
    return add(p, &ft) || add(p, &pt) || add(p, &nt) ? -1 : 0;
}

int main(int argc, char **argv)
{
    struct ccs_roster_opts o = ccs_roster_opts_default();
    int groups = 2, days = DAYS;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--time-limit") == 0 && i + 1 < argc)
            o.time_limit = atof(argv[++i]);
        else if (strcmp(argv[i], "--nodes") == 0 && i + 1 < argc)
            o.node_limit = (uint64_t)atoll(argv[++i]);
        else if (strcmp(argv[i], "--gap") == 0 && i + 1 < argc)
            o.mip_gap = atof(argv[++i]);
        else if (strcmp(argv[i], "--groups") == 0 && i + 1 < argc)
            groups = atoi(argv[++i]);
        else if (strcmp(argv[i], "--no-breaks") == 0)
            no_breaks = 1;
        else if (strcmp(argv[i], "--no-tours") == 0)
            no_tours = 1;
        else if (strcmp(argv[i], "--days") == 0 && i + 1 < argc)
            n_days = days = atoi(argv[++i]);
        else if (strcmp(argv[i], "--verbose") == 0)
            o.verbose = true;
        else if (strcmp(argv[i], "--glpk") == 0)
            o.mip = CCS_ROSTER_MIP_GLPK;
        else {
            fprintf(stderr, "usage: %s [--time-limit S] [--nodes N] [--gap G] [--groups 1|2] [--glpk] [--verbose]\n",
                    argv[0]);
            return 2;
        }
    }
    struct ccs_roster_grid grid = {(uint32_t)days, PER_DAY, 15, 0, true};
    struct ccs_roster_problem *p;
    struct ccs_diag d;
    ccs_diag_clear(&d);
    if (ccs_roster_problem_new(&grid, &p, &d) != 0) {
        fprintf(stderr, "%s\n", d.msg);
        return 1;
    }
    static const char *names[2] = {"support", "sales"};
    static const double peaks[2] = {48, 21};
    uint32_t need[DAYS * PER_DAY];
    for (int g = 0; g < groups && g < 2; g++) {
        uint32_t id;
        if (ccs_roster_add_group(p, names[g], CCS_ROSTER_UNLIMITED, &id, &d) != 0 ||
            templates(p, id) != 0) {
            fprintf(stderr, "%s\n", d.msg);
            return 1;
        }
        requirement(peaks[g], need);
        if (days == 1) for (int q = 0; q < PER_DAY; q++) need[q] = need[q];
        ccs_roster_set_required(p, id, need, &d);
        /* part-time shifts (under 7 h) at most 30% of the paid hours */
        struct ccs_roster_limit lim = {id, 7 * 4, 0.30, true};
        ccs_roster_add_limit(p, &lim, &d);
    }
    struct ccs_roster *r;
    if (ccs_roster_solve(p, &o, &r, &d) != 0) {
        fprintf(stderr, "%s\n", d.msg);
        return 1;
    }
    printf("groups %d, shift templates (start x length) %d per group\n", groups,
           33 * 2 + 45 * 3 + 5);
    printf("program: %zu variables (%zu integer), %zu rows\n", r->n_vars, r->n_int_vars,
           r->n_rows);
    printf("solver %s, status %s%s%s\n", r->solver, ccs_roster_status_name(r->status), r->reason[0] ? ": " : "",
           r->reason);
    printf("time %.2f s (CPU %.2f s), nodes %llu\n", r->seconds,
           (double)clock() / CLOCKS_PER_SEC, (unsigned long long)r->nodes);
    printf("LP bound %.2f, best bound %.2f, cost %.2f, gap %.3f%%\n", r->lp_bound, r->bound,
           r->cost, 100 * r->gap);
    if (r->status != CCS_ROSTER_INFEASIBLE && r->status != CCS_ROSTER_NO_ROSTER) {
        uint64_t over = 0, need_sum = 0;
        for (size_t k = 0; k < (size_t)r->n_groups * r->n_intervals; k++) {
            over += r->on_phone[k] - r->required[k];
            need_sum += r->required[k];
        }
        printf("paid hours %.1f, agents %u + %u, shifts %zu lines, tours %zu lines, "
               "over-coverage %.1f%%\n",
               r->paid_hours, r->headcount[0], groups > 1 ? r->headcount[1] : 0, r->n_shifts,
               r->n_tours, 100.0 * (double)over / (double)need_sum);
        ccs_diag_clear(&d);
        if (ccs_roster_verify(p, r, &d) != 0) {
            fprintf(stderr, "verify: %s\n", d.msg);
            return 1;
        }
        printf("verified\n");
    }
    ccs_roster_free(r);
    ccs_roster_problem_free(p);
    return 0;
}
