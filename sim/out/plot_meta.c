/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * plot_meta.c - what results say about the scenario they came from, for
 * the report and the charts' axes and target lines: a run's summary.json, a
 * comparison's compare.json and its baseline's own outputs, or the baseline's
 * summary in memory (plot_impl.h).
 */
#include "ccs/kpi.h"
#include "ccs/run.h"
#include "ccs/sim.h"
#include "core/str.h"
#include "fmt/csvread.h"
#include "out/plot_impl.h"
#include "out/report_util.h"
#include "fmt/datetime.h"
#include "fmt/ydoc.h"
#include "model/scenario.h"
#include "ccs/mem.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void ccs__meta_release(struct ccs__meta *m)
{
    free(m->name);
    free(m->file);
    free(m->policy);
    free(m->sl_def);
    free(m->version);
    free(m->seed);
    free(m->sha256);
    free(m->overrides);
    for (size_t i = 0; i < m->nq; i++)
        free(m->q[i].id);
    for (size_t i = 0; i < m->ng; i++) {
        free(m->g[i].id);
        free(m->g[i].skills);
    }
    for (size_t i = 0; i < m->nv; i++) {
        free(m->v[i].name);
        free(m->v[i].description);
        free(m->v[i].file);
        free(m->v[i].policy);
    }
    free(m->q);
    free(m->g);
    free(m->v);
    memset(m, 0, sizeof *m);
}

void ccs__meta_init(struct ccs__meta *m)
{
    memset(m, 0, sizeof *m);
    m->reps = m->horizon = m->warmup = m->interval = m->level = m->start_time = NAN;
    m->drain = -1;
    m->start_day = -1;
}

static const char *jtext(const struct ccs_ynode *map, const char *key)
{
    const struct ccs_ynode *n = ccs__ymap_get(map, key);
    if (n == NULL || n->kind != CCS_Y_SCALAR || (n->plain && strcmp(n->text, "null") == 0))
        return NULL;
    return n->text;
}

static double jnum(const struct ccs_ynode *map, const char *key)
{
    const char *t = jtext(map, key);
    char *end;
    if (t == NULL)
        return NAN;
    double v = strtod(t, &end);
    return *end == '\0' && end != t ? v : NAN;
}

/* Read summary.json (or any file with its "scenario", "queues", "groups"). */
int ccs__meta_from_json(struct ccs__meta *m, const char *path, struct ccs_diag *d)
{
    struct ccs_ydoc *doc;
    int rc = ccs__ydoc_load_file(path, &doc, d);
    if (rc != 0)
        return rc;
    const struct ccs_ynode *root = ccs__ydoc_root(doc);
    const struct ccs_ynode *sc = ccs__ymap_get(root, "scenario");
    rc = 0;
    m->version = ccs__strdup(jtext(root, "ccsim_version"));
    if (sc != NULL && sc->kind == CCS_Y_MAP) {
        m->known = true;
        m->name = ccs__strdup(jtext(sc, "name"));
        m->file = ccs__strdup(jtext(sc, "file"));
        m->policy = ccs__strdup(jtext(sc, "policy"));
        m->sl_def = ccs__strdup(jtext(sc, "service_level_definition"));
        m->seed = ccs__strdup(jtext(sc, "seed"));
        m->sha256 = ccs__strdup(jtext(sc, "sha256"));
        const struct ccs_ynode *ov = ccs__ymap_get(sc, "overrides");
        if (ov != NULL && ov->kind == CCS_Y_SEQ) {
            struct ccs__sbuf b = {0};
            for (size_t i = 0; i < ov->len; i++)
                if (ov->items[i]->kind == CCS_Y_SCALAR)
                    ccs__sb_printf(&b, "%s%s", i ? ", " : "", ov->items[i]->text);
            m->overrides = b.p != NULL ? b.p : ccs__strdup("");
        }
        m->reps = jnum(sc, "replications");
        m->horizon = jnum(sc, "horizon_s");
        m->warmup = jnum(sc, "warmup_s");
        m->interval = jnum(sc, "interval_s");
        m->level = jnum(sc, "confidence_level");
        const char *dr = jtext(sc, "drain");
        m->drain = dr == NULL ? -1 : strcmp(dr, "true") == 0;
        m->start_time = jnum(sc, "start_time_s");
        static const char *const days[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
        const char *sd = jtext(sc, "start_day");
        for (int i = 0; sd != NULL && i < 7; i++)
            if (strcmp(sd, days[i]) == 0)
                m->start_day = i;
    }
    const char *date = jtext(root, "date");
    int64_t day;
    const char *why;
    if (date != NULL &&
        ccs__date_parse(CCS__DATE_YMD, date, strlen(date), &day, &why) == 0) {
        m->dated = true;
        m->date = (long long)day;
        m->start_day = ccs__weekday(day);
    }
    const struct ccs_ynode *qs = ccs__ymap_get(root, "queues");
    if (qs != NULL && qs->kind == CCS_Y_SEQ && qs->len > 0) {
        m->q = ccs_calloc(qs->len, sizeof *m->q);
        if (m->q == NULL)
            rc = CCS_ENOMEM;
        for (size_t i = 0; rc == 0 && i < qs->len; i++) {
            const char *id = jtext(qs->items[i], "id");
            if (id == NULL)
                continue;
            struct ccs__meta_queue *q = &m->q[m->nq++];
            q->id = ccs__strdup(id);
            const struct ccs_ynode *sla = ccs__ymap_get(qs->items[i], "sla");
            q->target = jnum(sla, "target");
            q->within = jnum(sla, "within_s");
            q->asa = jnum(sla, "asa_s");
            const char *ch = jtext(qs->items[i], "channel");
            snprintf(q->channel, sizeof q->channel, "%s", ch ? ch : "");
        }
    }
    const struct ccs_ynode *gs = ccs__ymap_get(root, "groups");
    if (rc == 0 && gs != NULL && gs->kind == CCS_Y_SEQ && gs->len > 0) {
        m->g = ccs_calloc(gs->len, sizeof *m->g);
        if (m->g == NULL)
            rc = CCS_ENOMEM;
        for (size_t i = 0; rc == 0 && i < gs->len; i++) {
            const char *id = jtext(gs->items[i], "id");
            if (id == NULL)
                continue;
            struct ccs__meta_group *g = &m->g[m->ng++];
            g->id = ccs__strdup(id);
            g->agents = jnum(gs->items[i], "agents");
            const struct ccs_ynode *sk = ccs__ymap_get(gs->items[i], "queues");
            struct ccs__sbuf b = {0};
            for (size_t k = 0; sk != NULL && sk->kind == CCS_Y_MAP && k < sk->len; k++)
                ccs__sb_printf(&b, "%s%s", k ? ", " : "", sk->keys[k]->text);
            g->skills = b.p;
        }
    }
    ccs__ydoc_free(doc);
    if (rc != 0)
        return ccs_diag_at(d, rc, NULL, 0, 0, "out of memory");
    return 0;
}

/* The variants of compare.json ("variants": [{"name", "description", "file",
   "policy"}]); a file without them leaves m as it was. */
int ccs__meta_variants(struct ccs__meta *m, const char *path, struct ccs_diag *d)
{
    struct ccs_ydoc *doc;
    int rc = ccs__ydoc_load_file(path, &doc, d);
    if (rc != 0)
        return rc;
    const struct ccs_ynode *vs = ccs__ymap_get(ccs__ydoc_root(doc), "variants");
    if (vs != NULL && vs->kind == CCS_Y_SEQ && vs->len > 0 &&
        (m->v = ccs_calloc(vs->len, sizeof *m->v)) != NULL)
        for (size_t i = 0; i < vs->len; i++) {
            const char *name = jtext(vs->items[i], "name");
            if (name == NULL)
                continue;
            struct ccs__meta_variant *v = &m->v[m->nv++];
            v->name = ccs__strdup(name);
            v->description = ccs__strdup(jtext(vs->items[i], "description"));
            v->file = ccs__strdup(jtext(vs->items[i], "file"));
            v->policy = ccs__strdup(jtext(vs->items[i], "policy"));
        }
    const struct ccs_ynode *seed = ccs__ymap_get(ccs__ydoc_root(doc), "seed");
    if (m->seed == NULL && seed != NULL && seed->kind == CCS_Y_SCALAR)
        m->seed = ccs__strdup(seed->text);
    ccs__ydoc_free(doc);
    return 0;
}

/* The first variant named in dir/compare.csv (the baseline) when it is a
   plain name, usable as the directory of its own outputs; else "". */
void ccs__baseline_name(const char *dir, char *buf, size_t cap)
{
    char path[4096];
    struct ccs__csv c;
    buf[0] = '\0';
    if (!ccs__path(path, sizeof path, dir, "compare.csv") || ccs__csv_open(&c, path, NULL) != 0)
        return;
    if (ccs__csv_next(&c)) {
        const char *v = ccs__csv_get(&c, ccs__csv_col(&c, "variant"));
        if (strchr(v, '/') == NULL && strcmp(v, ".") != 0 && strcmp(v, "..") != 0)
            snprintf(buf, cap, "%s", v);
    }
    ccs__csv_close(&c);
}

int ccs__meta_from_summary(struct ccs__meta *m, const struct ccs_summary *s)
{
    const struct ccs_scenario *sc = ccs_summary_scenario(s);
    char seed[32];
    snprintf(seed, sizeof seed, "%llu", (unsigned long long)ccs_summary_seed(s));
    m->known = true;
    m->version = ccs__strdup(CCS_VERSION);
    m->name = ccs__strdup(sc->name);
    m->file = ccs__strdup(sc->origin);
    m->policy = ccs__strdup(sc->policy->name);
    m->sl_def = ccs__strdup(ccs_sl_def_name(sc->sl_def));
    m->seed = ccs__strdup(seed);
    m->sha256 = ccs__strdup(ccs_scenario_sha256(sc));
    struct ccs__sbuf ob = {0};
    for (size_t i = 0; i < ccs_scenario_override_count(sc); i++)
        ccs__sb_printf(&ob, "%s%s", i ? ", " : "", ccs_scenario_override(sc, i));
    m->overrides = ob.p != NULL ? ob.p : ccs__strdup("");
    m->reps = ccs_summary_replications(s);
    m->horizon = sc->horizon;
    m->warmup = sc->warmup;
    m->interval = sc->interval;
    m->level = ccs_summary_level(s);
    m->drain = sc->drain;
    m->start_time = sc->start_time;
    m->start_day = sc->start_day;
    m->dated = sc->dated;
    m->date = sc->date;
    m->q = ccs_calloc(sc->n_queues + 1, sizeof *m->q);
    m->g = ccs_calloc(sc->n_groups + 1, sizeof *m->g);
    if (m->q == NULL || m->g == NULL)
        return CCS_ENOMEM;
    for (size_t i = 0; i < sc->n_queues; i++) {
        m->q[m->nq].id = ccs__strdup(sc->queues[i].id);
        m->q[m->nq].target = sc->queues[i].sla_target;
        m->q[m->nq].within = sc->queues[i].sla_within;
        m->q[m->nq].asa = sc->queues[i].asa_target;
        snprintf(m->q[m->nq].channel, sizeof m->q[m->nq].channel, "%s",
                 ccs__channel_name(sc->queues[i].channel));
        m->nq++;
    }
    for (size_t i = 0; i < sc->n_groups; i++) {
        const struct ccs_group_def *gd = &sc->groups[i];
        struct ccs__sbuf b = {0};
        for (size_t k = 0; k < gd->n_skills; k++)
            ccs__sb_printf(&b, "%s%s", k ? ", " : "", sc->queues[gd->skills[k].queue].id);
        m->g[m->ng].id = ccs__strdup(gd->id);
        m->g[m->ng].agents = gd->agents;
        m->g[m->ng].skills = b.p;
        m->ng++;
    }
    return 0;
}
