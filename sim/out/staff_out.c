/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * staff_out.c - what `ccsim staff` shows and writes: the readable report,
 * the plan as a YAML fragment to paste over a scenario's 'groups:' (the
 * groups as the scenario wrote them, with a 'staffing:' list in place of
 * their head count), tidy CSV and JSON. docs/staff-command.md has the formats.
 */
#include "ccs/report.h"
#include "fmt/textout.h"
#include "out/report_util.h"
#include "exp/staffing_plan.h"

#include "ccs/error.h"
#include "ccs/units.h"
#include "fmt/ydoc.h"
#include "model/scenario.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A service level in a compact column: "80.4%", "-" when undefined. */
static void pct(char *buf, size_t cap, double v)
{
    ccs__fixed(buf, cap, 100 * v, 1, 0);
    if (!isnan(v) && strlen(buf) + 1 < cap)
        strcat(buf, "%");
}

static void agents_str(char *buf, size_t cap, int n)
{
    if (n < 0)
        snprintf(buf, cap, "n/a");
    else
        snprintf(buf, cap, "%d", n);
}

static size_t name_width(const char *s, size_t min)
{
    size_t n = strlen(s);
    return n > min ? n : min;
}

/* --- the table -------------------------------------------------------------------------- */

/* Does queue q's mean handle time (or patience) change from interval to interval? */
static bool varies(const struct ccs_staffing *st, size_t q, bool patience)
{
    const struct ccs_staff_need *n0 = &st->need[q];
    for (uint32_t i = 1; i < st->n_intervals; i++) {
        const struct ccs_staff_need *nd = &st->need[i * st->n_queues + q];
        double a = patience ? n0->patience : n0->aht, b = patience ? nd->patience : nd->aht;
        if (nd->applies && a != b && !(isinf(a) && isinf(b)))
            return true;
    }
    return false;
}

static void needs_table(FILE *f, const struct ccs_staffing *st)
{
    const struct ccs_scenario *sc = st->sc;
    char label[48], w[32], a[32], b[32], c[32], e[32], x[32];
    for (size_t q = 0; q < st->n_queues; q++) {
        const struct ccs_queue_def *qd = &sc->queues[q];
        const struct ccs_staff_need *n0 = &st->need[q];
        bool aht_varies = varies(st, q, false), pat_varies = varies(st, q, true);
        ccs_format_duration(qd->sla_within, w, sizeof w);
        ccs_format_duration(n0->aht, a, sizeof a);
        if (aht_varies)
            snprintf(a, sizeof a, "per interval");
        if (pat_varies)
            snprintf(b, sizeof b, "per interval");
        else if (isfinite(n0->patience))
            ccs_format_duration(n0->patience, b, sizeof b);
        else
            snprintf(b, sizeof b, "none");
        fprintf(f, "\nQueue %s (target %.0f%% within %s; AHT %s, patience %s", qd->id,
                100 * qd->sla_target, w, a, b);
        if (st->primary[q] >= 0)
            fprintf(f, "; best group %s, shrinkage %.0f%%", sc->groups[st->primary[q]].id,
                    100 * st->shrinkage[st->primary[q]]);
        fprintf(f, ")\n");
        if (!n0->applies) {
            fprintf(f, "  not staffed by Erlang: %s\n",
                    qd->channel == CCS_CH_OUTBOUND ? "an outbound campaign has no arrivals"
                                                   : "no arrivals of its own (arrivals: none)");
            continue;
        }
        fprintf(f, "  %-17s %8s", "interval", "volume");
        if (aht_varies)
            fprintf(f, " %8s", "AHT");
        if (pat_varies)
            fprintf(f, " %8s", "patience");
        fprintf(f, "  %8s %8s %8s  %8s %8s %8s  %s\n", "Erlang C", "staffed", "SL", "Erlang A",
                "staffed", "SL", "bound by");
        for (uint32_t i = 0; i < st->n_intervals; i++) {
            const struct ccs_staff_need *nd = &st->need[i * st->n_queues + q];
            ccs__interval_label(sc, i, true, label, sizeof label);
            agents_str(a, sizeof a, nd->erlang_c);
            agents_str(b, sizeof b, nd->staffed_c);
            pct(c, sizeof c, nd->sl_c);
            agents_str(e, sizeof e, nd->erlang_a);
            agents_str(x, sizeof x, nd->staffed_a);
            pct(w, sizeof w, nd->sl_a);
            char vol[40];
            ccs__fixed(vol, sizeof vol, nd->volume, 1, 0);
            fprintf(f, "  %-17s %8s", label, vol);
            if (aht_varies)
                fprintf(f, " %7.1fs", nd->aht);
            if (pat_varies)
                fprintf(f, " %7.1fs", nd->patience);
            fprintf(f, "  %8s %8s %8s  %8s %8s %8s  %s\n", a, b, c, e, x, w,
                    ccs_staff_bound_name(nd->bound));
        }
    }
}

/* A table row written as it comes, its trailing blanks cut: blanks are held
   back until something follows them (no buffer, so nothing to run out of). */
struct row {
    FILE *f;
    size_t blanks;
};

static void row_text(struct row *r, const char *s)
{
    for (; *s; s++) {
        if (*s == ' ') {
            r->blanks++;
            continue;
        }
        for (; r->blanks > 0; r->blanks--)
            fputc(' ', r->f);
        fputc(*s, r->f);
    }
}

/* `sep` blanks, then s right-aligned in width bytes (as " %*s" with sep 1) */
static void row_right(struct row *r, size_t sep, int width, const char *s)
{
    size_t n = strlen(s);
    r->blanks += sep + (width > 0 && (size_t)width > n ? (size_t)width - n : 0);
    row_text(r, s);
}

static void plan_table(FILE *f, const struct ccs_staffing *st)
{
    const struct ccs_scenario *sc = st->sc;
    char label[48], cell[96];
    bool any_short = false;
    fprintf(f, "\nPlan per group: agents staffed (on the phones)%s\n",
            st->simulated ? "; simulated service level per queue with its 95% half-width" : "");
    fprintf(f, "  %-17s", "interval");
    for (size_t g = 0; g < st->n_groups; g++)
        fprintf(f, " %*s", (int)name_width(sc->groups[g].id, 9), sc->groups[g].id);
    if (st->simulated)
        for (size_t q = 0; q < st->n_queues; q++)
            if (ccs__staff_counts(st, q))
                fprintf(f, "  %*s", (int)name_width(sc->queues[q].id, 14), sc->queues[q].id);
    fputc('\n', f);
    for (uint32_t i = 0; i < st->n_intervals; i++) {
        struct row r = {f, 2};
        ccs__interval_label(sc, i, true, label, sizeof label);
        row_text(&r, label); /* "  %-17s" */
        r.blanks += strlen(label) < 17 ? 17 - strlen(label) : 0;
        for (size_t g = 0; g < st->n_groups; g++) {
            size_t k = g * st->n_intervals + i;
            snprintf(cell, sizeof cell, "%u (%u)", st->plan[k], st->net[k]);
            row_right(&r, 1, (int)name_width(sc->groups[g].id, 9), cell);
        }
        for (size_t q = 0; st->simulated && q < st->n_queues; q++) {
            if (!ccs__staff_counts(st, q))
                continue;
            double sl = st->sl[i * st->n_queues + q], hw = st->sl_hw[i * st->n_queues + q];
            bool sh = !isnan(sl) && sl < sc->queues[q].sla_target;
            any_short = any_short || sh;
            char slp[40], hwp[40];
            pct(slp, sizeof slp, sl);
            ccs__fixed(hwp, sizeof hwp, 100 * hw, 1, 0);
            if (isnan(sl))
                snprintf(cell, sizeof cell, "-");
            else if (isnan(hw))
                snprintf(cell, sizeof cell, "%s%s", slp, sh ? "*" : " ");
            else
                snprintf(cell, sizeof cell, "%s ± %s%s", slp, hwp, sh ? "*" : " ");
            /* "±" is two bytes wide in UTF-8 but one column on screen */
            int width = (int)name_width(sc->queues[q].id, 14) + (strstr(cell, "±") ? 1 : 0);
            row_right(&r, 2, width, cell);
        }
        fputc('\n', f); /* the blanks held back are dropped */
    }
    if (any_short)
        fprintf(f, "  * below target\n");
}

int ccs_staff_write_table(FILE *f, const struct ccs_staffing *st)
{
    const struct ccs_scenario *sc = st->sc;
    char iv[32];
    ccs_format_duration(sc->interval, iv, sizeof iv);
    fprintf(f, "Staffing for '%s': %zu queue%s, %zu group%s, %u interval%s of %s\n", sc->name,
            st->n_queues, st->n_queues == 1 ? "" : "s", st->n_groups, st->n_groups == 1 ? "" : "s",
            st->n_intervals, st->n_intervals == 1 ? "" : "s", iv);
    fprintf(f, "Erlang C and Erlang A per interval and queue: agents on the phones meeting the\n"
               "target (SL: %s) with occupancy at most %.0f%% (--max-occupancy), then staffed =\n"
               "on the phones / (1 - shrinkage), rounded up. Erlang A takes patience as\n"
               "exponential with the queue's mean; both take the interval's mean arrival rate\n"
               "as steady. 'bound by' names what set the Erlang A agents: SL (the target),\n"
               "occupancy (the cap: the target alone needs fewer), patience (fewer agents than\n"
               "the offered load: the target is met because callers abandon).\n",
            ccs_sl_def_name(sc->sl_def), 100 * st->max_occupancy);
    needs_table(f, st);
    plan_table(f, st);
    fputc('\n', f);
    switch (st->status) {
    case CCS_STAFF_ERLANG:
        fprintf(f, "Not refined: the Erlang A needs split among the groups that take each queue "
                   "first.\n");
        break;
    case CCS_STAFF_CONVERGED:
        fprintf(f, "Refinement converged after %u round%s of %u replication%s (seed %llu): every "
                   "interval meets its target.\n",
                st->rounds, st->rounds == 1 ? "" : "s", st->replications,
                st->replications == 1 ? "" : "s", (unsigned long long)st->seed);
        break;
    case CCS_STAFF_UNTRIMMED:
        fprintf(f, "Refinement stopped at its cap of %u round%s (%u replication%s each, seed "
                   "%llu): every interval meets its target, but some might take fewer agents.\n",
                st->rounds, st->rounds == 1 ? "" : "s", st->replications,
                st->replications == 1 ? "" : "s", (unsigned long long)st->seed);
        break;
    case CCS_STAFF_SHORT:
        fprintf(f, "WARNING: the refinement did not converge after %u round%s (%u replication%s "
                   "each, seed %llu): intervals marked * stay below target.\n",
                st->rounds, st->rounds == 1 ? "" : "s", st->replications,
                st->replications == 1 ? "" : "s", (unsigned long long)st->seed);
        break;
    }
    char hours[40], cost[40];
    ccs__fixed(hours, sizeof hours, st->agent_hours, 1, 0);
    ccs__fixed(cost, sizeof cost, st->cost, 2, 0);
    if (st->has_cost)
        fprintf(f, "Plan: %s agent-hours, cost %s (agent-hours x cost_per_hour)\n", hours, cost);
    else
        fprintf(f, "Plan: %s agent-hours (no group has a cost_per_hour)\n", hours);
    return ccs__out_status(f);
}

/* --- the YAML fragment ------------------------------------------------------------------ */

int ccs_staff_write_yaml(FILE *f, const struct ccs_staffing *st)
{
    const struct ccs_scenario *sc = st->sc;
    struct ccs_ydoc *doc;
    if (ccs__ydoc_clone(sc->doc, &doc) != 0)
        return CCS_ENOMEM;
    struct ccs_ynode *gs = ccs__ymap_get(ccs__ydoc_root(doc), "groups");
    char iv[32], from[32];
    ccs_format_duration(sc->interval, iv, sizeof iv);
    ccs__interval_label(sc, 0, false, from, sizeof from);
    fprintf(f, "# ccsim staff: the staffing plan of '%s', agents per %s interval from %s\n",
            sc->name, iv, from);
    char hours[40], cost[40];
    ccs__fixed(hours, sizeof hours, st->agent_hours, 1, 0);
    ccs__fixed(cost, sizeof cost, st->cost, 2, 0);
    fprintf(f, "# (agents on the phones / (1 - shrinkage), rounded up); %s; %s agent-hours",
            st->status == CCS_STAFF_ERLANG      ? "Erlang A, not refined"
            : st->status == CCS_STAFF_SHORT     ? "NOT MEETING TARGET in every interval"
                                                : "meets every interval's target in simulation",
            hours);
    if (st->has_cost)
        fprintf(f, ", cost %s", cost);
    fprintf(f, ".\n# Paste over the scenario's 'groups:'.\ngroups:\n");
    int rc = 0;
    for (size_t g = 0; g < st->n_groups && rc == 0; g++) {
        if (gs == NULL || gs->kind != CCS_Y_SEQ || g >= gs->len ||
            gs->items[g]->kind != CCS_Y_MAP) {
            rc = CCS_EINVAL; /* cannot happen: the scenario was built from this tree */
            break;
        }
        if ((rc = ccs__report_group_item(f, gs->items[g], true)) != 0)
            break;
        /* a flow list wrapped every 16 entries, aligned after the bracket */
        fputs("    staffing: [", f);
        for (uint32_t i = 0; i < st->n_intervals; i++) {
            if (i > 0)
                fputs(i % 16 == 0 ? ",\n               " : ", ", f);
            fprintf(f, "%u", st->plan[g * st->n_intervals + i]);
        }
        fputs("]\n", f);
    }
    ccs__ydoc_free(doc);
    return rc ? rc : ccs__out_status(f);
}

/* --- CSV ------------------------------------------------------------------------------- */

static void count(FILE *f, long v)
{
    if (v >= 0)
        fprintf(f, "%ld", v);
}

/* One row: interval,start,scope,id,method,agents,staffed,volume,aht_s,service_level,
   sl_halfwidth,target,occupancy (empty fields do not apply). */
static void csv_row(FILE *f, uint32_t i, const char *start, const char *scope, const char *id,
                    const char *method, long agents, long staffed, double volume, double aht,
                    double sl, double hw, double target, double occ)
{
    fprintf(f, "%u,", i);
    const char *texts[] = {start, scope, id, method};
    for (size_t k = 0; k < sizeof texts / sizeof texts[0]; k++) {
        ccs__csv_field(f, texts[k]);
        fputc(',', f);
    }
    count(f, agents);
    fputc(',', f);
    count(f, staffed);
    fputc(',', f);
    ccs__out_num(f, volume, "");
    fputc(',', f);
    ccs__out_num(f, aht, "");
    fputc(',', f);
    ccs__out_num(f, sl, "");
    fputc(',', f);
    ccs__out_num(f, hw, "");
    fputc(',', f);
    ccs__out_num(f, target, "");
    fputc(',', f);
    ccs__out_num(f, occ, "");
    fputc('\n', f);
}

int ccs_staff_write_csv(FILE *f, const struct ccs_staffing *st)
{
    const struct ccs_scenario *sc = st->sc;
    char start[32];
    fprintf(f, "interval,start,scope,id,method,agents,staffed,volume,aht_s,service_level,"
               "sl_halfwidth,target,occupancy\n");
    for (uint32_t i = 0; i < st->n_intervals; i++) {
        ccs__interval_label(sc, i, false, start, sizeof start);
        for (size_t q = 0; q < st->n_queues; q++) {
            const struct ccs_staff_need *nd = &st->need[i * st->n_queues + q];
            const char *id = sc->queues[q].id;
            double target = sc->queues[q].sla_target;
            if (nd->applies) {
                csv_row(f, i, start, "queue", id, "erlang_c", nd->erlang_c, nd->staffed_c,
                        nd->volume, nd->aht, nd->sl_c, NAN, target, nd->occ_c);
                csv_row(f, i, start, "queue", id, "erlang_a", nd->erlang_a, nd->staffed_a,
                        nd->volume, nd->aht, nd->sl_a, NAN, target, nd->occ_a);
            }
            if (st->simulated && ccs__staff_counts(st, q))
                csv_row(f, i, start, "queue", id, "simulated", -1, -1, NAN, NAN,
                        st->sl[i * st->n_queues + q], st->sl_hw[i * st->n_queues + q], target,
                        NAN);
        }
        for (size_t g = 0; g < st->n_groups; g++) {
            size_t k = g * st->n_intervals + i;
            double s = st->shrinkage[g];
            long init = st->initial[k];
            long init_staffed = init == 0 ? 0 : (long)ceil((double)init / (1.0 - s) - 1e-9);
            csv_row(f, i, start, "group", sc->groups[g].id, "initial", init, init_staffed, NAN,
                    NAN, NAN, NAN, NAN, NAN);
            csv_row(f, i, start, "group", sc->groups[g].id, "plan", st->net[k], st->plan[k], NAN,
                    NAN, NAN, NAN, NAN, st->occ[k]);
        }
    }
    return ccs__out_status(f);
}

/* --- JSON ------------------------------------------------------------------------------- */

static void json_count(FILE *f, long v)
{
    if (v >= 0)
        fprintf(f, "%ld", v);
    else
        fputs("null", f);
}

static void json_u32s(FILE *f, const uint32_t *v, size_t n)
{
    fputc('[', f);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%s%u", i ? ", " : "", v[i]);
    fputc(']', f);
}

static void json_nums(FILE *f, const double *v, size_t n, size_t stride)
{
    fputc('[', f);
    for (size_t i = 0; i < n; i++) {
        if (i)
            fputs(", ", f);
        ccs__out_json_num(f, v[i * stride]);
    }
    fputc(']', f);
}

/* What a column of st->need holds, for json_need. */
enum need_kind { NEED_NUM, NEED_COUNT, NEED_BOUND };

/*
 * One field of queue q's needs, every interval, as a JSON array: the field
 * at byte offset `field` of struct ccs_staff_need, a double (NEED_NUM), an
 * int with -1 as null (NEED_COUNT) or an enum ccs_staff_bound (its name).
 * The needs are one struct per interval and queue, [i * n_queues + q].
 */
static void json_need(FILE *f, const struct ccs_staffing *st, size_t q, size_t field,
                      enum need_kind kind)
{
    fputc('[', f);
    for (size_t i = 0; i < st->n_intervals; i++) {
        const char *p = (const char *)&st->need[i * st->n_queues + q] + field;
        fputs(i ? ", " : "", f);
        if (kind == NEED_NUM) {
            double v;
            memcpy(&v, p, sizeof v);
            ccs__out_json_num(f, v);
        } else if (kind == NEED_COUNT) {
            int v;
            memcpy(&v, p, sizeof v);
            json_count(f, v);
        } else {
            enum ccs_staff_bound v;
            memcpy(&v, p, sizeof v);
            ccs__out_json_str(f, ccs_staff_bound_name(v));
        }
    }
    fputc(']', f);
}

#define NEED(field) offsetof(struct ccs_staff_need, field)

/* The need columns every queue lists, in order, with what comes before each. */
static const struct {
    const char *key;
    size_t field;
    enum need_kind kind;
} need_cols[] = {
    {",\n   \"volume\": ", NEED(volume), NEED_NUM},
    {",\n   \"erlang_c\": ", NEED(erlang_c), NEED_COUNT},
    {", \"staffed_c\": ", NEED(staffed_c), NEED_COUNT},
    {",\n   \"sl_c\": ", NEED(sl_c), NEED_NUM},
    {",\n   \"erlang_a\": ", NEED(erlang_a), NEED_COUNT},
    {", \"staffed_a\": ", NEED(staffed_a), NEED_COUNT},
    {",\n   \"sl_a\": ", NEED(sl_a), NEED_NUM},
    {",\n   \"bound\": ", NEED(bound), NEED_BOUND},
};

int ccs_staff_write_json(FILE *f, const struct ccs_staffing *st)
{
    const struct ccs_scenario *sc = st->sc;
    size_t ni = st->n_intervals, nq = st->n_queues;
    char start[32];
    fputs("{\"scenario\": ", f);
    ccs__out_json_str(f, sc->name);
    fputs(", \"origin\": ", f);
    ccs__out_json_str(f, sc->origin);
    fprintf(f, ", \"interval_s\": ");
    ccs__out_json_num(f, sc->interval);
    fprintf(f, ", \"max_occupancy\": ");
    ccs__out_json_num(f, st->max_occupancy);
    fputs(", \"service_level_definition\": ", f);
    ccs__out_json_str(f, ccs_sl_def_name(sc->sl_def));
    fputs(", \"status\": ", f);
    ccs__out_json_str(f, ccs_staff_status_name(st->status));
    fprintf(f, ", \"rounds\": %u, \"replications\": %u, \"seed\": %llu", st->rounds,
            st->replications, (unsigned long long)st->seed);
    fputs(", \"agent_hours\": ", f);
    ccs__out_json_num(f, st->agent_hours);
    fputs(", \"cost\": ", f);
    ccs__out_json_num(f, st->has_cost ? st->cost : NAN);
    fputs(",\n \"intervals\": [", f);
    for (uint32_t i = 0; i < ni; i++) {
        ccs__interval_label(sc, i, false, start, sizeof start);
        fputs(i ? ", " : "", f);
        ccs__out_json_str(f, start);
    }
    fputs("],\n \"queues\": [", f);
    for (size_t q = 0; q < nq; q++) {
        const struct ccs_queue_def *qd = &sc->queues[q];
        fputs(q ? ",\n  {\"id\": " : "\n  {\"id\": ", f);
        ccs__out_json_str(f, qd->id);
        fputs(", \"target\": ", f);
        ccs__out_json_num(f, qd->sla_target);
        fputs(", \"within_s\": ", f);
        ccs__out_json_num(f, qd->sla_within);
        fputs(", \"aht_s\": ", f);
        ccs__out_json_num(f, st->need[q].aht);
        fputs(", \"patience_s\": ", f);
        ccs__out_json_num(f, st->need[q].patience);
        fputs(", \"best_group\": ", f);
        if (st->primary[q] >= 0)
            ccs__out_json_str(f, sc->groups[st->primary[q]].id);
        else
            fputs("null", f);
        fprintf(f, ", \"erlang\": %s", st->need[q].applies ? "true" : "false");
        if (varies(st, q, false)) {
            fputs(",\n   \"aht_s_by_interval\": ", f);
            json_need(f, st, q, NEED(aht), NEED_NUM);
        }
        if (varies(st, q, true)) {
            fputs(",\n   \"patience_s_by_interval\": ", f);
            json_need(f, st, q, NEED(patience), NEED_NUM);
        }
        for (size_t k = 0; k < sizeof need_cols / sizeof need_cols[0]; k++) {
            fputs(need_cols[k].key, f);
            json_need(f, st, q, need_cols[k].field, need_cols[k].kind);
        }
        fputs(",\n   \"simulated_sl\": ", f);
        json_nums(f, &st->sl[q], st->simulated ? ni : 0, nq);
        fputs(", \"simulated_sl_halfwidth\": ", f);
        json_nums(f, &st->sl_hw[q], st->simulated ? ni : 0, nq);
        fputc('}', f);
    }
    fputs("],\n \"groups\": [", f);
    for (size_t g = 0; g < st->n_groups; g++) {
        fputs(g ? ",\n  {\"id\": " : "\n  {\"id\": ", f);
        ccs__out_json_str(f, sc->groups[g].id);
        fputs(", \"shrinkage\": ", f);
        ccs__out_json_num(f, st->shrinkage[g]);
        fputs(", \"cost_per_hour\": ", f);
        ccs__out_json_num(f, sc->groups[g].cost_per_hour);
        fputs(",\n   \"initial\": ", f);
        json_u32s(f, st->initial + g * ni, ni);
        fputs(",\n   \"net\": ", f);
        json_u32s(f, st->net + g * ni, ni);
        fputs(",\n   \"plan\": ", f);
        json_u32s(f, st->plan + g * ni, ni);
        fputs(",\n   \"simulated_occupancy\": ", f);
        json_nums(f, st->occ + g * ni, st->simulated ? ni : 0, 1);
        fputc('}', f);
    }
    fputs("]}\n", f);
    return ccs__out_status(f);
}
