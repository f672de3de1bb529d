/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * precision.c - precision targets "[SCOPE:]KPI=HALFWIDTH" (ccs/kpi.h): what
 * --precision and a sweep file's `precision:` ask of a KPI's interval; and
 * the rule for names of variants and points.
 */
#include "ccs/kpi.h"
#include "ccs/units.h"
#include "fmt/ydoc.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

/* --- names -------------------------------------------------------------------------- */

bool ccs_variant_name_ok(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > CCS_ID_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)name[i];
        if (!isalnum(c) && c != '_' && c != '-')
            return false;
    }
    return true;
}

/* --- --precision [SCOPE:]KPI=HALFWIDTH ------------------------------------------------ */

static int copy_id(char *dst, const char *s, size_t n, const char *what, const char *origin,
                   int col, struct ccs_diag *d)
{
    if (n == 0 || n > CCS_ID_MAX)
        return ccs_diag_at(d, CCS_EINVAL, origin, 1, col, "missing or too long %s id", what);
    memcpy(dst, s, n);
    dst[n] = '\0';
    return 0;
}

static bool kpi_fits(enum ccs_scope scope, enum ccs_kpi k)
{
    unsigned f = ccs_kpi_info(k)->flags;
    if (f & CCS_KPI_IONLY)
        return false;
    switch (scope) {
    case CCS_SCOPE_OVERALL:
        return (f & (CCS_KPI_CONTACT | CCS_KPI_GROUP | CCS_KPI_OVERALL)) != 0;
    case CCS_SCOPE_QUEUE:
    case CCS_SCOPE_SEGMENT:
        return (f & CCS_KPI_CONTACT) != 0;
    case CCS_SCOPE_GROUP:
        return (f & CCS_KPI_GROUP) != 0;
    default:
        return false;
    }
}

int ccs_precision_parse(const char *text, const char *origin, struct ccs_precision *out,
                        struct ccs_diag *d)
{
    static const char usage[] = "expected [SCOPE:]KPI=HALFWIDTH (e.g. service_level=1%% or "
                                "queue:sales:asa=2s), got '%s'";
    memset(out, 0, sizeof *out);
    const char *eq = strchr(text, '=');
    if (eq == NULL || eq == text)
        return ccs_diag_at(d, CCS_EINVAL, origin, 1, 1, usage, text);
    /* split the part before '=' at its colons */
    const char *part[4];
    size_t plen[4], np = 0;
    for (const char *s = text; np < 4;) {
        const char *c = memchr(s, ':', (size_t)(eq - s));
        part[np] = s;
        plen[np++] = c != NULL ? (size_t)(c - s) : (size_t)(eq - s);
        if (c == NULL)
            break;
        s = c + 1;
    }
    const char *kpi = part[np - 1];
    size_t klen = plen[np - 1];
    int col0 = (int)(part[0] - text) + 1;
    int rc = 0;
    out->scope = CCS_SCOPE_OVERALL;
    if (np == 2 && plen[0] == 7 && strncmp(part[0], "overall", 7) == 0) {
        /* overall:KPI */
    } else if (np == 3 && plen[0] == 5 && strncmp(part[0], "queue", 5) == 0) {
        out->scope = CCS_SCOPE_QUEUE;
        rc = copy_id(out->queue, part[1], plen[1], "queue", origin, (int)(part[1] - text) + 1, d);
    } else if (np == 3 && plen[0] == 5 && strncmp(part[0], "group", 5) == 0) {
        out->scope = CCS_SCOPE_GROUP;
        rc = copy_id(out->group, part[1], plen[1], "group", origin, (int)(part[1] - text) + 1, d);
    } else if (np == 3 && plen[0] == 7 && strncmp(part[0], "segment", 7) == 0) {
        out->scope = CCS_SCOPE_SEGMENT;
        const char *slash = memchr(part[1], '/', plen[1]);
        int col = (int)(part[1] - text) + 1;
        if (slash == NULL)
            return ccs_diag_at(d, CCS_EINVAL, origin, 1, col,
                               "a segment is written QUEUE/SEGMENT, got '%.*s'", (int)plen[1],
                               part[1]);
        rc = copy_id(out->queue, part[1], (size_t)(slash - part[1]), "queue", origin, col, d);
        if (rc == 0)
            rc = copy_id(out->segment, slash + 1, plen[1] - (size_t)(slash - part[1]) - 1,
                         "segment", origin, col + (int)(slash - part[1]) + 1, d);
    } else if (np != 1) {
        return ccs_diag_at(d, CCS_EINVAL, origin, 1, col0,
                           "unknown scope '%.*s' (use overall:KPI, queue:ID:KPI, "
                           "segment:QUEUE/SEGMENT:KPI or group:ID:KPI)",
                           (int)plen[0], part[0]);
    }
    if (rc != 0)
        return rc;
    int kcol = (int)(kpi - text) + 1;
    char kname[CCS_ID_MAX + 1];
    if (klen == 0 || klen > CCS_ID_MAX)
        return ccs_diag_at(d, CCS_EINVAL, origin, 1, kcol, usage, text);
    memcpy(kname, kpi, klen);
    kname[klen] = '\0';
    int k = ccs_kpi_find(kname);
    if (k < 0) {
        const char *ids[CCS_KPI_COUNT_];
        for (int i = 0; i < CCS_KPI_COUNT_; i++)
            ids[i] = ccs_kpi_info((enum ccs_kpi)i)->id;
        const char *near = ccs__closest(kname, ids, CCS_KPI_COUNT_);
        return ccs_diag_at(d, CCS_EINVAL, origin, 1, kcol, "unknown KPI '%s'%s%s%s (docs/kpis.md)",
                           kname, near ? "; did you mean '" : "", near ? near : "",
                           near ? "'?" : "");
    }
    out->kpi = (enum ccs_kpi)k;
    if (!kpi_fits(out->scope, out->kpi))
        return ccs_diag_at(d, CCS_EINVAL, origin, 1, kcol, "KPI '%s' is not measured %s", kname,
                           out->scope == CCS_SCOPE_OVERALL ? "over the whole run"
                           : out->scope == CCS_SCOPE_GROUP ? "per group"
                                                           : "per queue or segment");
    const char *val = eq + 1, *why = NULL;
    int vcol = (int)(val - text) + 1;
    double hw = 0;
    switch (ccs_kpi_info(out->kpi)->unit) {
    case CCS_UNIT_FRACTION:
        rc = ccs_parse_fraction(val, &hw, &why);
        break;
    case CCS_UNIT_SECONDS:
        rc = ccs_parse_duration(val, &hw, &why);
        break;
    default:
        rc = ccs_parse_number(val, &hw, &why);
        break;
    }
    if (rc != 0)
        return ccs_diag_at(d, CCS_EINVAL, origin, 1, vcol, "bad half-width '%s' for %s: %s", val,
                           kname, why ? why : "not a number");
    if (!(hw > 0))
        return ccs_diag_at(d, CCS_EINVAL, origin, 1, vcol, "the half-width must be positive, got '%s'",
                           val);
    out->halfwidth = hw;
    return 0;
}

void ccs_precision_name(const struct ccs_precision *p, char *buf, size_t cap)
{
    const char *k = ccs_kpi_info(p->kpi)->id;
    switch (p->scope) {
    case CCS_SCOPE_QUEUE:
        snprintf(buf, cap, "queue:%s:%s", p->queue, k);
        break;
    case CCS_SCOPE_SEGMENT:
        snprintf(buf, cap, "segment:%s/%s:%s", p->queue, p->segment, k);
        break;
    case CCS_SCOPE_GROUP:
        snprintf(buf, cap, "group:%s:%s", p->group, k);
        break;
    default:
        snprintf(buf, cap, "%s", k);
        break;
    }
}
