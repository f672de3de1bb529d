/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * report_util.c - the spellings the report writers share (report_util.h),
 * on top of the generic ones of fmt/textout.h.
 */
#include "out/report_util.h"

#include "fmt/textout.h"
#include "ccs/sim.h"
#include "model/scenario.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

const char *ccs__report_queue_name(const struct ccs_scenario *sc, int q)
{
    return q >= 0 ? sc->queues[q].id : "";
}

const char *ccs__report_segment_name(const struct ccs_scenario *sc, int q, int s)
{
    return q >= 0 && s >= 0 && sc->queues[q].segments[s].id ? sc->queues[q].segments[s].id : "";
}

const char *ccs__report_group_name(const struct ccs_scenario *sc, int g)
{
    return g >= 0 ? sc->groups[g].id : "";
}

static const char *const unit_names[] = {"count", "fraction", "seconds", "money", "number"};

const char *ccs__unit_name(enum ccs_unit u)
{
    return (unsigned)u < sizeof unit_names / sizeof unit_names[0] ? unit_names[u] : "?";
}

enum ccs_unit ccs__unit_find(const char *name)
{
    for (size_t i = 0; i < sizeof unit_names / sizeof unit_names[0]; i++)
        if (strcmp(name, unit_names[i]) == 0)
            return (enum ccs_unit)i;
    return CCS_UNIT_NUMBER;
}

void ccs__kpi_text(char *buf, size_t cap, enum ccs_unit u, double v, unsigned flags)
{
    if (cap == 0)
        return;
    if (isnan(v)) {
        snprintf(buf, cap, "-");
        return;
    }
    unsigned sign = (flags & CCS_KV_SIGN) ? CCS_FIX_SIGN : 0;
    const char *unit = "";
    switch (u) {
    case CCS_UNIT_FRACTION:
        ccs__fixed(buf, cap, 100 * v, 2, sign);
        unit = (flags & CCS_KV_PP) ? " pp" : "%";
        break;
    case CCS_UNIT_SECONDS:
        ccs__fixed(buf, cap, v, 2, sign);
        unit = (flags & CCS_KV_SPACE) ? " s" : "s";
        break;
    case CCS_UNIT_COUNT: {
        bool whole = !(flags & (CCS_KV_SIGN | CCS_KV_HALFWIDTH)) && fabs(v - round(v)) < 1e-9;
        ccs__fixed(buf, cap, v, whole ? 0 : 1, sign);
        break;
    }
    case CCS_UNIT_MONEY:
        ccs__fixed(buf, cap, v, 2, sign);
        break;
    case CCS_UNIT_NUMBER:
    default:
        ccs__fixed(buf, cap, v, 3, sign);
        break;
    }
    size_t n = strlen(buf);
    snprintf(buf + n, cap - n, "%s", unit);
}

void ccs__kpi_ci(char *buf, size_t cap, enum ccs_unit u, double v, double hw, unsigned flags)
{
    char a[64], b[64];
    ccs__kpi_text(a, sizeof a, u, v, flags);
    if (isnan(v) || isnan(hw)) {
        snprintf(buf, cap, "%s", a);
        return;
    }
    ccs__kpi_text(b, sizeof b, u, hw, (flags & ~(unsigned)CCS_KV_SIGN) | CCS_KV_HALFWIDTH);
    snprintf(buf, cap, "%s ± %s", a, b);
}

void ccs__interval_label(const struct ccs_scenario *sc, uint32_t i, bool with_end, char *buf,
                         size_t cap)
{
    double t0 = sc->start_time + i * sc->interval, t1 = t0 + sc->interval;
    double end = sc->start_time + sc->horizon;
    if (t1 > end)
        t1 = end;
    if (with_end)
        ccs__clock_range(buf, cap, t0, t1, CCS_CLK_DAY);
    else
        ccs__clock(buf, cap, t0, CCS_CLK_DAY);
}

/* An id or NULL (JSON null) when not applicable. */
static const char *id_or_null(const char *id) { return id != NULL && id[0] ? id : NULL; }

void ccs__report_json_scope(FILE *f, const struct ccs_scenario *sc, const struct ccs_key *k)
{
    fputs("\"scope\": ", f);
    ccs__out_json_str(f, ccs_scope_name((enum ccs_scope)k->scope));
    fputs(", \"queue\": ", f);
    ccs__out_json_str(f, k->queue >= 0 ? id_or_null(ccs__report_queue_name(sc, k->queue)) : NULL);
    fputs(", \"segment\": ", f);
    ccs__out_json_str(f, k->queue >= 0 && k->segment >= 0
                             ? id_or_null(ccs__report_segment_name(sc, k->queue, k->segment))
                             : NULL);
    fputs(", \"group\": ", f);
    ccs__out_json_str(f, k->group >= 0 ? id_or_null(ccs__report_group_name(sc, k->group)) : NULL);
}

void ccs__report_json_target(FILE *f, const struct ccs_precision *t)
{
    fputs("\"scope\": ", f);
    ccs__out_json_str(f, ccs_scope_name(t->scope));
    fputs(", \"queue\": ", f);
    ccs__out_json_str(f, id_or_null(t->queue));
    fputs(", \"segment\": ", f);
    ccs__out_json_str(f, id_or_null(t->segment));
    fputs(", \"group\": ", f);
    ccs__out_json_str(f, id_or_null(t->group));
    fputs(", \"metric\": ", f);
    ccs__out_json_str(f, ccs_kpi_info(t->kpi)->id);
    fputs(", \"halfwidth\": ", f);
    ccs__out_json_num(f, t->halfwidth);
}

void ccs__report_key_column(char *buf, size_t cap, const struct ccs_scenario *sc,
                            const struct ccs_key *k)
{
    const char *parts[5] = {ccs_scope_name((enum ccs_scope)k->scope),
                            ccs__report_queue_name(sc, k->queue),
                            k->segment >= 0 ? ccs__report_segment_name(sc, k->queue, k->segment)
                                            : "",
                            ccs__report_group_name(sc, k->group),
                            ccs_kpi_info((enum ccs_kpi)k->kpi)->id};
    size_t used = 0;
    if (cap > 0)
        buf[0] = '\0';
    for (size_t i = 0; i < 5 && used < cap; i++)
        if (parts[i][0] != '\0')
            used += (size_t)snprintf(buf + used, cap - used, "%s%s", used ? "." : "", parts[i]);
}

void ccs__report_json_provenance(FILE *f, const struct ccs_scenario *sc)
{
    fputs(", \"sha256\": ", f);
    ccs__out_json_str(f, ccs_scenario_sha256(sc));
    fputs(", \"overrides\": [", f);
    for (size_t i = 0; i < ccs_scenario_override_count(sc); i++) {
        fputs(i ? ", " : "", f);
        ccs__out_json_str(f, ccs_scenario_override(sc, i));
    }
    fputc(']', f);
}
