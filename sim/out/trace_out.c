/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * trace_out.c - the trace CSV of `ccsim run --trace FILE` (trace.h): one line
 * per engine event, with queues, segments, groups and agents by name and
 * numbers spelled as in every other output (textout.h).
 */
#include "ccs/trace.h"

#include "fmt/textout.h"
#include "model/scenario.h"
#include "ccs/mem.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct ccs_trace_csv {
    FILE *f;
    const struct ccs_scenario *sc;
    const struct ccs_sim *sim;
    uint32_t rep;
    uint64_t lines;
};

int ccs_trace_csv_new(FILE *f, const struct ccs_scenario *sc, struct ccs_trace_csv **out)
{
    *out = NULL;
    struct ccs_trace_csv *t = ccs_calloc(1, sizeof *t);
    if (t == NULL)
        return CCS_ENOMEM;
    t->f = f;
    t->sc = sc;
    fputs(CCS_TRACE_CSV_HEADER "\n", f);
    *out = t;
    return 0;
}

void ccs_trace_csv_begin(struct ccs_trace_csv *t, const struct ccs_sim *sim, uint32_t rep)
{
    t->sim = sim;
    t->rep = rep;
}

void ccs_trace_csv_event(void *ctx, const struct ccs_trace_event *e)
{
    struct ccs_trace_csv *t = ctx;
    FILE *f = t->f;
    fprintf(f, "%u,", t->rep);
    ccs__out_num(f, e->t, "");
    fputc(',', f);
    ccs__csv_field(f, ccs_trace_kind_name(e->kind));
    fputc(',', f);
    if (e->contact != 0)
        fprintf(f, "%llu", (unsigned long long)e->contact);
    fputc(',', f);
    if (e->queue >= 0) {
        ccs__csv_field(f, ccs_scenario_queue_id(t->sc, (size_t)e->queue));
        fputc(',', f);
        if (e->segment >= 0)
            ccs__csv_field(f, ccs_scenario_segment_id(t->sc, (size_t)e->queue, (size_t)e->segment));
    } else {
        fputc(',', f);
    }
    fputc(',', f);
    if (e->agent >= 0 && e->group >= 0) {
        const struct ccs_view *v = ccs_sim_view(t->sim);
        const char *g = ccs_scenario_group_id(t->sc, (size_t)e->group);
        char agent[128]; /* "group/N", one field (ids are at most 64 bytes) */
        snprintf(agent, sizeof agent, "%s/%u", g,
                 (unsigned)e->agent - v->groups[e->group].first_agent + 1);
        ccs__csv_field(f, agent);
        fputc(',', f);
        ccs__csv_field(f, g);
    } else {
        fputc(',', f);
    }
    fputc(',', f);
    ccs__out_num(f, e->wait, "");
    fputc(',', f);
    ccs__csv_field(f, e->reason);
    fputc('\n', f);
    t->lines++;
}

uint64_t ccs_trace_csv_lines(const struct ccs_trace_csv *t)
{
    return t->lines;
}

void ccs_trace_csv_free(struct ccs_trace_csv *t)
{
    free(t);
}
