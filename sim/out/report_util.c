/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * report_util.c - the spellings the report writers share (report_util.h),
 * on top of the generic ones of fmt/textout.h.
 */
#include "out/report_util.h"
#include "exp/channels.h"

#include "fmt/textout.h"
#include "fmt/ydoc.h"
#include "fmt/datetime.h"
#include "core/timeconst.h"
#include "ccs/sim.h"
#include "ccs/run.h"
#include "core/stats.h"
#include "core/memstream.h"
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

/*
 * A duration as a stopwatch shows it, "1:18:53" (h:mm:ss, hours unbounded,
 * rounded to the second), with "-" before negative values and, for a
 * difference, "+" before positive ones (never a sign on zero).
 */
static void hms(char *buf, size_t cap, double v, bool sign)
{
    char t[48];
    double a = fabs(v);
    ccs__clock(t, sizeof t, a, CCS_CLK_HMS | CCS_CLK_HOURS); /* "01:18:53", "27:00:00" */
    const char *p = t[0] == '0' && t[1] != ':' ? t + 1 : t;  /* h unpadded */
    bool zero = a < 0.5;
    snprintf(buf, cap, "%s%s", zero ? "" : v < 0 ? "-" : sign ? "+" : "", p);
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
        if (fabs(v) >= CCS__HMS_FROM || (flags & CCS_KV_HMS)) {
            hms(buf, cap, v, (flags & CCS_KV_SIGN) != 0);
            return;
        }
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

unsigned ccs__kv_pair(enum ccs_unit u, double v, double hw)
{
    bool long_ = fabs(v) >= CCS__HMS_FROM || (!isnan(hw) && fabs(hw) >= CCS__HMS_FROM);
    return u == CCS_UNIT_SECONDS && long_ ? CCS_KV_HMS : 0;
}

void ccs__kpi_ci(char *buf, size_t cap, enum ccs_unit u, double v, double hw, unsigned flags)
{
    char a[64], b[64];
    if (isnan(v) || isnan(hw)) {
        ccs__kpi_text(a, sizeof a, u, v, flags);
        snprintf(buf, cap, "%s", a);
        return;
    }
    flags |= ccs__kv_pair(u, v, hw);
    ccs__kpi_text(a, sizeof a, u, v, flags);
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

void ccs__report_json_head(FILE *f, const char *format, const struct ccs_scenario *sc)
{
    fputs("{\n  \"format\": ", f);
    ccs__out_json_str(f, format);
    fputs(",\n  \"ccsim_version\": ", f);
    ccs__out_json_str(f, CCS_VERSION);
    fputs(",\n", f);
    if (sc == NULL)
        return;
    fputs("  \"scenario\": {\"name\": ", f);
    ccs__out_json_str(f, sc->name);
    fputs(", \"file\": ", f);
    ccs__out_json_str(f, sc->origin);
    ccs__report_json_provenance(f, sc);
}

void ccs__report_json_ci(FILE *f, const char *mean_key, const char *prefix, double m, double hw)
{
    /* fputs, not fprintf: a big report writes this a hundred thousand times */
    fputc('"', f);
    fputs(mean_key, f);
    fputs("\": ", f);
    ccs__out_json_num(f, m);
    fputs(", \"", f);
    fputs(prefix, f);
    fputs("halfwidth\": ", f);
    ccs__out_json_num(f, hw);
    fputs(", \"", f);
    fputs(prefix, f);
    fputs("ci_low\": ", f);
    ccs__out_json_num(f, m - hw);
    fputs(", \"", f);
    fputs(prefix, f);
    fputs("ci_high\": ", f);
    ccs__out_json_num(f, m + hw);
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

void ccs__day_clock(const struct ccs_scenario *sc, double t, char *day, size_t dcap, char *clock,
                    size_t ccap)
{
    double x = sc->start_time + (t > 0 ? t : 0);
    ccs__clock(clock, ccap, x, CCS_CLK_HMS | CCS_CLK_FLOOR); /* hours modulo 24 */
    /* the day by the same rounding as the clock: 23:59:59.9999999999 is day 1 */
    long long n = (long long)floor((fmin(x, 1e15) + 1e-9) / CCS_DAY);
    if (sc->dated)
        ccs__date_text((int64_t)sc->date + n, day, dcap);
    else
        snprintf(day, dcap, "%lld", n + 1);
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

const char *ccs__channel_name(enum ccs_channel ch)
{
    static const char *const names[] = {"voice", "chat", "email", "callback", "outbound"};
    _Static_assert(sizeof names / sizeof names[0] == CCS_CH_COUNT_, "a name per channel");
    return (unsigned)ch < CCS_CH_COUNT_ ? names[ch] : "?";
}

static struct ccs__stat stat_of(const struct ccs_welford *w, double level)
{
    struct ccs__stat st = {w->n > 0 ? w->mean : NAN, ccs__welford_var(w), NAN, w->n};
    st.sd = isnan(st.sd) ? NAN : sqrt(st.sd);
    st.halfwidth = ccs__welford_halfwidth(w, level);
    return st;
}

size_t ccs__channel_sls(const struct ccs_summary *s, struct ccs__channel_sl *out)
{
    const struct ccs_scenario *sc = ccs_summary_scenario(s);
    enum ccs_channel ch[CCS_CH_COUNT_];
    size_t nq[CCS_CH_COUNT_];
    size_t n = ccs__channels_of(sc, ch, nq);
    for (size_t c = 0; c < n; c++) {
        struct ccs_welford wo = {0, 0, 0}, ws = {0, 0, 0}, wa = {0, 0, 0};
        for (uint32_t r = 0; r < ccs_summary_replications(s); r++) {
            double offered, sl;
            ccs__channel_rep(sc, ccs__summary_row(s, r), ch[c], &offered, &sl);
            ccs__welford_add(&wo, offered);
            if (!isnan(sl))
                ccs__welford_add(&ws, sl);
            double asa = ccs__channel_asa(sc, ccs__summary_row(s, r), ch[c]);
            if (!isnan(asa))
                ccs__welford_add(&wa, asa);
        }
        memset(&out[c], 0, sizeof out[c]);
        out[c].ch = ch[c];
        out[c].n_queues = nq[c];
        out[c].offered = stat_of(&wo, ccs_summary_level(s));
        out[c].sl = stat_of(&ws, ccs_summary_level(s));
        out[c].asa = stat_of(&wa, ccs_summary_level(s));
    }
    return n;
}

int ccs__report_group_item(FILE *f, struct ccs_ynode *gn, bool drop_staffing)
{
    static const char *const heads[] = {"agents", "staffing", "shifts"};
    for (int k = 0; drop_staffing && k < 3; k++)
        ccs__ymap_remove(gn, heads[k]);
    char *buf = NULL;
    size_t len = 0;
    FILE *m = ccs__memstream(&buf, &len);
    if (m == NULL)
        return CCS_ENOMEM;
    int rc = ccs__ydoc_emit(gn, m, 4);
    if (fclose(m) != 0 && rc == 0)
        rc = CCS_ENOMEM;
    /* emitted at depth 4; the first line's indent becomes the list's dash */
    if (rc == 0 && len >= 4 && strncmp(buf, "    ", 4) == 0) {
        fputs("  - ", f);
        fwrite(buf + 4, 1, len - 4, f);
    } else if (rc == 0) {
        rc = CCS_EINVAL;
    }
    free(buf);
    return rc;
}

void ccs__html_esc(FILE *f, const char *s)
{
    for (; s != NULL && *s; s++) {
        switch (*s) {
        case '&':
            fputs("&amp;", f);
            break;
        case '<':
            fputs("&lt;", f);
            break;
        case '>':
            fputs("&gt;", f);
            break;
        case '"':
            fputs("&quot;", f);
            break;
        default:
            fputc(*s, f);
        }
    }
}
