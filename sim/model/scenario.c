/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * scenario.c - the scenario as the rest of the library sees it: accessors,
 * freeing, overrides and deriving variants. A scenario is built by a loader
 * (sim/load), which leaves in it a hook to derive variants from its source,
 * so that experiments (sim/exp) derive scenarios without depending on the
 * loader.
 */
#include "ccs/error.h"
#include "ccs/sim.h"
#include "core/lines.h"
#include "core/timeconst.h"
#include "fmt/ydoc.h"
#include "model/layout.h"
#include "model/scenario.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void free_defs(struct ccs_scenario *sc)
{
    for (size_t q = 0; q < sc->n_queues; q++) {
        struct ccs_queue_def *qd = &sc->queues[q];
        ccs__dist_release(&qd->handle);
        ccs__dist_release(&qd->patience);
        ccs__dist_release(&qd->wrap);
        free(qd->arrivals.rates);
        free(qd->arrivals.trace);
        free(qd->handle_steps.factor);
        free(qd->patience_steps.factor);
        free(qd->segments);
        ccs__dist_release(&qd->redial.delay);
        ccs__dist_release(&qd->resolution.delay);
        for (size_t t = 0; t < qd->n_transfers; t++)
            ccs__dist_release(&qd->transfers[t].handle);
        free(qd->transfers);
    }
    free(sc->trunks);
    for (size_t g = 0; g < sc->n_groups; g++) {
        struct ccs_group_def *gd = &sc->groups[g];
        free(gd->skills);
        free(gd->plan);
        for (size_t i = 0; i < gd->n_shifts; i++)
            free(gd->shifts[i].breaks);
        free(gd->shifts);
        if (gd->rostering != NULL) {
            free(gd->rostering->templates);
            free(gd->rostering->grid_error);
        }
        free(gd->rostering);
    }
    free(sc->queues_raw);
    sc->queues = NULL;
    free(sc->groups);
}

int ccs__scenario_alloc_queues(struct ccs_scenario *sc, size_t n)
{
    sc->queues = ccs__calloc_lines(n, sizeof *sc->queues, &sc->queues_raw);
    return sc->queues != NULL ? 0 : CCS_ENOMEM;
}

void ccs_scenario_free(struct ccs_scenario *sc)
{
    if (sc == NULL)
        return;
    free_defs(sc);
    ccs__layout_free(sc->layout);
    ccs__ydoc_free(sc->doc);
    free(sc->trace_note);
    free(sc->trace_pool_note);
    free(sc->forecast_note);
    free(sc->backtest);
    for (size_t i = 0; i < sc->n_trace_agents; i++)
        free(sc->trace_agents[i]);
    free(sc->trace_agents);
    free(sc->origin);
    free(sc);
}

int ccs_scenario_derive(const struct ccs_scenario *sc, const struct ccs_override *ov,
                        size_t n_ov, struct ccs_scenario **out, struct ccs_diag *d)
{
    *out = NULL;
    if (sc->derive == NULL)
        return ccs_diag_at(d, CCS_EINVAL, sc->origin, 0, 0,
                           "this scenario was not built by a loader: it cannot be derived");
    return sc->derive(sc, ov, n_ov, out, d);
}

int ccs_override_parse(const char *text, const char *origin, char *buf, size_t cap,
                       struct ccs_override *out, struct ccs_diag *d)
{
    const char *eq = strchr(text, '=');
    if (eq == NULL || eq == text)
        return ccs_diag_at(d, CCS_EINVAL, origin, 1, 1,
                           "expected KEY.PATH=VALUE (e.g. groups.team.agents=98), got '%s'", text);
    size_t n = (size_t)(eq - text);
    if (n + 1 > cap)
        return ccs_diag_at(d, CCS_EINVAL, origin, 1, 1, "key path too long");
    memcpy(buf, text, n);
    buf[n] = '\0';
    out->path = buf;
    out->value = eq + 1;
    out->origin = origin;
    out->path_col = 1;
    out->value_col = (int)n + 2;
    return 0;
}

/* --- accessors ------------------------------------------------------------------- */

const char *ccs_scenario_name(const struct ccs_scenario *sc) { return sc->name; }
const char *ccs_scenario_origin(const struct ccs_scenario *sc) { return sc->origin; }

const char *ccs_scenario_sha256(const struct ccs_scenario *sc)
{
    return sc->doc != NULL ? ccs__ydoc_sha256(sc->doc) : "";
}

size_t ccs_scenario_override_count(const struct ccs_scenario *sc)
{
    return sc->doc != NULL ? ccs__ydoc_applied_count(sc->doc) : 0;
}

const char *ccs_scenario_override(const struct ccs_scenario *sc, size_t i)
{
    return sc->doc != NULL ? ccs__ydoc_applied(sc->doc, i) : NULL;
}
uint64_t ccs_scenario_seed(const struct ccs_scenario *sc) { return sc->seed; }
uint32_t ccs_scenario_replications(const struct ccs_scenario *sc) { return sc->replications; }
double ccs_scenario_horizon(const struct ccs_scenario *sc) { return sc->horizon; }
double ccs_scenario_interval(const struct ccs_scenario *sc) { return sc->interval; }
uint32_t ccs_scenario_interval_count(const struct ccs_scenario *sc) { return sc->n_intervals; }
size_t ccs_scenario_queue_count(const struct ccs_scenario *sc) { return sc->n_queues; }
const char *ccs_scenario_queue_id(const struct ccs_scenario *sc, size_t q)
{
    return sc->queues[q].id;
}
size_t ccs_scenario_segment_count(const struct ccs_scenario *sc, size_t q)
{
    return sc->queues[q].n_segments;
}
const char *ccs_scenario_segment_id(const struct ccs_scenario *sc, size_t q, size_t s)
{
    return sc->queues[q].segments[s].id;
}
size_t ccs_scenario_group_count(const struct ccs_scenario *sc) { return sc->n_groups; }
const char *ccs_scenario_group_id(const struct ccs_scenario *sc, size_t g)
{
    return sc->groups[g].id;
}
const char *ccs_scenario_policy(const struct ccs_scenario *sc) { return sc->policy->name; }
const char *ccs_scenario_note(const struct ccs_scenario *sc) { return sc->trace_note; }
const char *ccs_scenario_forecast_note(const struct ccs_scenario *sc)
{
    return sc->forecast_note;
}
const char *ccs_scenario_backtest(const struct ccs_scenario *sc)
{
    return sc->backtest;
}
const char *ccs_scenario_date(const struct ccs_scenario *sc)
{
    return sc->dated ? sc->date_text : NULL;
}
enum ccs_sl_def ccs_scenario_sl_def(const struct ccs_scenario *sc) { return sc->sl_def; }
void ccs_scenario_queue_sla(const struct ccs_scenario *sc, size_t q, double *target,
                            double *within)
{
    *target = sc->queues[q].sla_target;
    *within = sc->queues[q].sla_within;
}
double ccs_scenario_start_time(const struct ccs_scenario *sc) { return sc->start_time; }

/* --- means that follow the clock -------------------------------------------------- */

double ccs__step_factor(const struct ccs_step_means *m, double t)
{
    if (m->factor == NULL || !(t >= 0))
        return 1.0;
    double k = floor(t / m->step);
    if (m->repeat != CCS_REPEAT_NONE)
        k = fmod(k, (double)m->n);
    else if (k >= (double)m->n)
        k = (double)m->n - 1;
    return m->factor[(size_t)k];
}

bool ccs__roster_grid_of(const struct ccs_scenario *sc, uint32_t *days, uint32_t *per_day,
                         bool *cyclic, const char **why)
{
    double iv = sc->interval, h = sc->horizon;
    double ni = h / iv;
    if (fabs(ni - floor(ni + 0.5)) > 1e-6) {
        *why = "rosters need a horizon of whole reporting intervals";
        return false;
    }
    if (h <= CCS_DAY + 1e-6) {
        *days = 1;
        *per_day = (uint32_t)floor(ni + 0.5);
        *cyclic = fabs(h - CCS_DAY) < 1e-6;
        return true;
    }
    double nd = h / CCS_DAY, pd = CCS_DAY / iv;
    if (fabs(nd - floor(nd + 0.5)) > 1e-6 || nd > 7 + 1e-6 ||
        fabs(pd - floor(pd + 0.5)) > 1e-6) {
        *why = "rosters need a horizon of one day or less, or of whole days up to a week "
               "with a reporting interval that divides a day";
        return false;
    }
    *days = (uint32_t)floor(nd + 0.5);
    *per_day = (uint32_t)floor(pd + 0.5);
    *cyclic = true;
    return true;
}
