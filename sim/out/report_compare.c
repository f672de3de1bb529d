/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * report_compare.c - a comparison as a readable table (per scope and KPI:
 * each variant's mean ± CI, the paired difference ± CI and the verdict;
 * then when in the day it happens), JSON, and compare.csv (one row per
 * variant x key). Fixed number formats: the same comparison gives the same
 * bytes. docs/compare.md describes every format.
 */
#include "ccs/compare.h"
#include "ccs/plot.h"

#include "ccs/report.h"
#include "fmt/textout.h"
#include "out/report_util.h"
#include "exp/channels.h"
#include "ccs/units.h"
#include "model/scenario.h"
#include "ccs/mem.h"
#include "out/outdir_impl.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* --- shared helpers ----------------------------------------------------------------------- */

static const struct ccs_scenario *base_sc(const struct ccs_compare *c)
{
    return ccs_compare_variant_scenario(c, 0);
}

static const char *method_name(enum ccs_compare_method m)
{
    return m == CCS_CMP_BATCH_MEANS ? "batch-means" : "replications";
}

/* Print a formatted line without its trailing blanks (padding of empty columns). */
#if defined(__GNUC__)
__attribute__((format(printf, 2, 3)))
#endif
static void line(FILE *f, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    size_t n = strlen(buf);
    while (n > 0 && buf[n - 1] == ' ')
        n--;
    fprintf(f, "%.*s\n", (int)n, buf);
}

/* --- the table ------------------------------------------------------------------------------- */

/* A half-width for the precision lines: 4 significant digits. */
static void fmt_precise(char *buf, size_t cap, enum ccs_unit u, double v)
{
    if (isnan(v))
        snprintf(buf, cap, "undefined");
    else if (u == CCS_UNIT_FRACTION)
        snprintf(buf, cap, "%.4g%%", 100 * v);
    else if (u == CCS_UNIT_SECONDS)
        snprintf(buf, cap, "%.4gs", v);
    else
        snprintf(buf, cap, "%.4g", v);
}

/* Does any variant use the mechanism behind optional KPI k of queue q? */
static bool relevant(const struct ccs_compare *c, enum ccs_kpi k, int q)
{
    const struct ccs_scenario *base = base_sc(c);
    for (size_t v = 0; v < ccs_compare_variant_count(c); v++) {
        const struct ccs_scenario *sc = ccs_compare_variant_scenario(c, v);
        int vq = -1;
        if (q >= 0)
            for (size_t i = 0; i < sc->n_queues; i++)
                if (strcmp(sc->queues[i].id, base->queues[q].id) == 0)
                    vq = (int)i;
        if ((q < 0 || vq >= 0) && ccs__report_relevant(sc, k, vq))
            return true;
    }
    return false;
}

static int name_width(const struct ccs_compare *c)
{
    size_t w = 8;
    for (size_t v = 0; v < ccs_compare_variant_count(c); v++)
        if (strlen(ccs_compare_variant_name(c, v)) > w)
            w = strlen(ccs_compare_variant_name(c, v));
    return (int)w;
}

/* The title of a block and its column heads. */
static void block_head(FILE *f, const struct ccs_compare *c, const char *title)
{
    fprintf(f, "\n%s\n", title);
    line(f, "  %-24s %-*s %22s  %24s  %s", "KPI", name_width(c), "variant", "mean ± CI",
         "diff vs baseline ± CI", "verdict");
}

/* One KPI's lines, one per variant that has it: compare key k, or channel
   row k when `channel`. */
static void kpi_lines(FILE *f, const struct ccs_compare *c, const struct ccs_kpi_info *info,
                      size_t k, bool channel)
{
    int w = name_width(c);
    bool first = true;
    for (size_t v = 0; v < ccs_compare_variant_count(c); v++) {
        struct ccs_compare_stat s;
        if (channel)
            ccs_compare_channel_get(c, v, k, &s);
        else
            ccs_compare_get(c, v, k, &s);
        if (!s.present)
            continue;
        char mean[112], diff[112];
        ccs__kpi_ci(mean, sizeof mean, info->unit, s.mean, s.halfwidth, 0);
        if (v == 0 || (channel && isnan(s.diff)))
            diff[0] = '\0';
        else
            ccs__kpi_ci(diff, sizeof diff, info->unit, s.diff, s.diff_halfwidth, CCS_KV_SIGN);
        const char *verdict = v == 0 ? "" : ccs_verdict_name(s.verdict);
        line(f, "  %-24s %-*s %22s  %24s  %s", first ? info->label : "", w,
             ccs_compare_variant_name(c, v), mean, diff, verdict);
        first = false;
    }
}

/* The whole-run rows of one scope instance, a block of lines per KPI. */
static void table_block(FILE *f, const struct ccs_compare *c, const char *title, int scope, int q,
                        int seg, int g)
{
    bool any = false;
    for (size_t k = 0; k < ccs_compare_key_count(c); k++) {
        struct ccs_key key = ccs_compare_key(c, k);
        if (key.interval >= 0 || key.scope != scope || key.queue != q || key.segment != seg ||
            key.group != g)
            continue;
        const struct ccs_kpi_info *info = ccs_kpi_info((enum ccs_kpi)key.kpi);
        if (!(info->flags & CCS_KPI_TABLE) || (info->flags & CCS_KPI_IONLY))
            continue;
        if ((info->flags & CCS_KPI_OPTIONAL) && !relevant(c, (enum ccs_kpi)key.kpi, key.queue))
            continue;
        if (!any)
            block_head(f, c, title);
        any = true;
        kpi_lines(f, c, info, k, false);
    }
}

/*
 * Batch means without channel rows, when they would have been shown (two
 * channels or more in a variant): say why rather than leave them out
 * silently. A batch keeps each queue's service level under the variant's
 * definition, and only 'offered' and 'answered' give back the count
 * answered within the threshold that a channel's service level sums.
 */
static void dropped_note(FILE *f, const struct ccs_compare *c)
{
    size_t most = 0;
    const char *def = NULL;
    for (size_t v = 0; v < ccs_compare_variant_count(c); v++) {
        const struct ccs_scenario *sc = ccs_compare_variant_scenario(c, v);
        enum ccs_channel ch[CCS_CH_COUNT_];
        size_t n = ccs__channels_of(sc, ch, NULL);
        most = n > most ? n : most;
        if (def == NULL && sc->sl_def != CCS_SL_OFFERED && sc->sl_def != CCS_SL_ANSWERED)
            def = ccs_sl_def_name(sc->sl_def);
    }
    if (most < 2 || def == NULL)
        return;
    fprintf(f,
            "\nChannels: no service level or ASA per channel in batch-means mode under the '%s'\n"
            "service-level definition: a batch keeps each queue's service level by that\n"
            "definition, from which the contacts answered within the threshold cannot be\n"
            "counted (use --method replications, or the 'offered' or 'answered' definition)\n",
            def);
}

/*
 * With queues on two channels or more (in any variant), a block per
 * channel: its offered contacts, its own service level (each contact
 * judged by its own queue's threshold) and ASA, as compare.csv's channel
 * rows; one line per variant, so it reads the same with 2 or 8 variants.
 */
static void channel_blocks(FILE *f, const struct ccs_compare *c)
{
    if (ccs_compare_channels_dropped(c)) {
        dropped_note(f, c);
        return;
    }
    size_t rows = ccs_compare_channel_rows(c), channels = 0;
    enum ccs_channel ch;
    enum ccs_kpi kpi;
    for (size_t i = 0; i < rows; i++) {
        ccs_compare_channel_row(c, i, &ch, &kpi);
        channels += kpi == CCS_KPI_offered;
    }
    if (channels < 2)
        return;
    const struct ccs_scenario *sc = base_sc(c);
    for (size_t i = 0; i < rows; i++) {
        ccs_compare_channel_row(c, i, &ch, &kpi);
        if (kpi == CCS_KPI_offered) {
            char title[256], ids[160] = "";
            size_t used = 0;
            for (size_t q = 0; q < sc->n_queues && used < sizeof ids; q++)
                if ((enum ccs_channel)sc->queues[q].channel == ch)
                    used += (size_t)snprintf(ids + used, sizeof ids - used, "%s%s",
                                             used ? ", " : "", sc->queues[q].id);
            if (used == 0)
                snprintf(title, sizeof title, "Channel %s (no queue in the baseline)",
                         ccs__channel_name(ch));
            else
                snprintf(title, sizeof title,
                         "Channel %s (queue%s %s; service level within each queue's own "
                         "threshold)",
                         ccs__channel_name(ch), strchr(ids, ',') ? "s" : "", ids);
            block_head(f, c, title);
        }
        kpi_lines(f, c, ccs_kpi_info(kpi), i, true);
    }
}

/* Variant v's cell of interval key k: its paired difference ± CI and a verdict mark. */
static void interval_cell(const struct ccs_compare *c, size_t v, long k, enum ccs_unit u,
                          char *cell, size_t cap)
{
    struct ccs_compare_stat s;
    char d[112];
    ccs_compare_get(c, v, (size_t)k, &s);
    if (!s.present) {
        snprintf(cell, cap, "-");
        return;
    }
    ccs__kpi_ci(d, sizeof d, u, s.diff, s.diff_halfwidth, CCS_KV_SIGN);
    const char *mark = s.verdict == CCS_VERDICT_BETTER  ? " better"
                       : s.verdict == CCS_VERDICT_WORSE ? " worse"
                                                        : "";
    snprintf(cell, cap, "%s%s", d, mark);
}

/* Display width of UTF-8 text (± is two bytes, one column). */
static int text_width(const char *s)
{
    int w = 0;
    for (; *s; s++)
        w += ((unsigned char)*s & 0xc0) != 0x80;
    return w;
}

/* At most this many variants side by side in the interval view; more wrap
   into further panels of the same intervals, so lines stay under ~100
   columns with 4, 6 or 8 variants. */
enum { PANEL_VARIANTS = 3 };

/* When in the day: one KPI per interval, each variant's difference to the baseline. */
static void interval_view(FILE *f, const struct ccs_compare *c, enum ccs_kpi kpi)
{
    const struct ccs_scenario *sc = base_sc(c);
    size_t nv = ccs_compare_variant_count(c);
    if (sc->n_intervals < 2 || nv < 2 || ccs_compare_find(c, CCS_SCOPE_OVERALL, kpi, -1, -1, -1, 0) < 0)
        return;
    const struct ccs_kpi_info *info = ccs_kpi_info(kpi);
    fprintf(f, "\n%s by interval (overall): baseline mean, each variant's paired difference\n",
            info->label);
    /* up to 3 variants (2 differences): the layout of old, byte for byte */
    bool wrap = nv > 3;
    if (wrap && nv - 1 > PANEL_VARIANTS)
        fprintf(f, "(%zu variants besides the baseline, in panels of %d)\n", nv - 1,
                PANEL_VARIANTS);
    char row[1024];
    for (size_t v0 = 1; v0 < nv; v0 += wrap ? PANEL_VARIANTS : nv) {
        size_t v1 = wrap && v0 + PANEL_VARIANTS < nv ? v0 + PANEL_VARIANTS : nv;
        /* width of a variant's column: 30 as ever; when wrapping, as its widest cell */
        int cw = 30;
        if (wrap) {
            char cell[128];
            cw = 0;
            for (size_t v = v0; v < v1; v++) {
                int w = text_width(ccs_compare_variant_name(c, v));
                cw = w > cw ? w : cw;
                for (uint32_t i = 0; i < sc->n_intervals; i++) {
                    long k = ccs_compare_find(c, CCS_SCOPE_OVERALL, kpi, -1, -1, -1, (int)i);
                    if (k < 0)
                        continue;
                    interval_cell(c, v, k, info->unit, cell, sizeof cell);
                    w = text_width(cell);
                    cw = w > cw ? w : cw;
                }
            }
        }
        if (v0 > 1)
            fputc('\n', f);
        size_t used = (size_t)snprintf(row, sizeof row, "  %-17s %10s", "interval",
                                       ccs_compare_variant_name(c, 0));
        for (size_t v = v0; v < v1 && used < sizeof row; v++)
            used += (size_t)snprintf(row + used, sizeof row - used, "  %-*s", cw,
                                     ccs_compare_variant_name(c, v));
        line(f, "%s", row);
        for (uint32_t i = 0; i < sc->n_intervals; i++) {
            long k = ccs_compare_find(c, CCS_SCOPE_OVERALL, kpi, -1, -1, -1, (int)i);
            if (k < 0)
                continue;
            char label[48], cell[128];
            struct ccs_compare_stat s;
            ccs__interval_label(sc, i, true, label, sizeof label);
            ccs_compare_get(c, 0, (size_t)k, &s);
            ccs__kpi_text(cell, sizeof cell, info->unit, s.mean, 0);
            used = (size_t)snprintf(row, sizeof row, "  %-17s %10s", label, cell);
            for (size_t v = v0; v < v1 && used < sizeof row; v++) {
                interval_cell(c, v, k, info->unit, cell, sizeof cell);
                /* pad by display width: "±" is two bytes */
                int pad = cw - text_width(cell);
                used += (size_t)snprintf(row + used, sizeof row - used, "  %s%*s", cell,
                                         pad > 0 ? pad : 0, "");
            }
            line(f, "%s", row);
        }
    }
}

static void table_header(FILE *f, const struct ccs_compare *c)
{
    const struct ccs_scenario *sc = base_sc(c);
    size_t nv = ccs_compare_variant_count(c);
    uint32_t n = ccs_compare_count(c);
    int w = name_width(c);
    fprintf(f, "ccsim %s compare: %s (%s)\n", CCS_VERSION, sc->name, sc->origin);
    fprintf(f, "%zu variant%s, the first is the baseline:\n", nv, nv == 1 ? "" : "s");
    for (size_t v = 0; v < nv; v++) {
        const char *desc = ccs_compare_variant_description(c, v);
        fprintf(f, "  %-*s  %s (policy %s)\n", w, ccs_compare_variant_name(c, v),
                desc != NULL && desc[0] ? desc : "the scenario as written",
                ccs_compare_variant_scenario(c, v)->policy->name);
    }
    if (ccs_compare_method(c) == CCS_CMP_BATCH_MEANS) {
        char iv[32], wu[32], h[32];
        ccs_format_duration(sc->interval, iv, sizeof iv);
        ccs_format_duration(sc->warmup, wu, sizeof wu);
        ccs_format_duration(sc->horizon, h, sizeof h);
        fprintf(f,
                "common random numbers, batch means: one run of %s per variant (seed %llu);\n"
                "%u batches of %s after the %s warm-up (the last interval dropped), paired "
                "batch by batch\n",
                h, (unsigned long long)ccs_compare_seed(c), n, iv, wu);
    } else {
        fprintf(f,
                "common random numbers: seed %llu, replications 0..%u paired by number (%u per "
                "variant)\n",
                (unsigned long long)ccs_compare_seed(c), n ? n - 1 : 0, n);
    }
    fprintf(f,
            "mean ± half-width of the %.0f%% confidence interval (Student t); diff = variant - "
            "baseline,\n"
            "paired, ± its own %.0f%% half-width (percentages: percentage points); better/worse "
            "when\n"
            "that interval excludes 0, in the KPI's good direction; n/a: no good direction\n",
            100 * ccs_compare_level(c), 100 * ccs_compare_level(c));
    if (n < 2)
        fprintf(f, "one %s: no confidence intervals and no verdicts\n",
                ccs_compare_method(c) == CCS_CMP_BATCH_MEANS ? "batch" : "replication");
    const char *unit = ccs_compare_method(c) == CCS_CMP_BATCH_MEANS
                           ? (n == 1 ? "batch" : "batches")
                           : (n == 1 ? "replication" : "replications");
    for (size_t t = 0; t < ccs_compare_target_count(c); t++) {
        const struct ccs_precision *p = ccs_compare_target(c, t);
        const struct ccs_kpi_info *info = ccs_kpi_info(p->kpi);
        char name[256], want[48], got[48];
        ccs_precision_name(p, name, sizeof name);
        fmt_precise(want, sizeof want, info->unit, p->halfwidth);
        fmt_precise(got, sizeof got, info->unit, ccs_compare_target_achieved(c, t));
        bool met = ccs_compare_target_achieved(c, t) <= p->halfwidth;
        fprintf(f, "precision %s: paired half-width %s %s target %s after %u %s%s\n", name, got,
                met ? "<=" : ">", want, n, unit, met ? "" : " (cap reached: target not met)");
    }
    if (ccs_compare_method(c) == CCS_CMP_BATCH_MEANS && nv > 1) {
        long k = ccs_compare_find(c, CCS_SCOPE_OVERALL,
                                  ccs_compare_target_count(c) ? ccs_compare_target(c, 0)->kpi
                                                              : CCS_KPI_service_level,
                                  -1, -1, -1, -1);
        for (size_t v = 1; k >= 0 && v < nv; v++) {
            struct ccs_compare_stat s;
            ccs_compare_get(c, v, (size_t)k, &s);
            if (s.diff_lag1 > 0.2)
                fprintf(f,
                        "warning: batches of '%s' look correlated (lag-1 autocorrelation %.2f "
                        "of the differences): the intervals may be too short for batch "
                        "means\n",
                        ccs_compare_variant_name(c, v), s.diff_lag1);
        }
    }
}

int ccs_report_compare_table(FILE *f, const struct ccs_compare *c)
{
    const struct ccs_scenario *sc = base_sc(c);
    table_header(f, c);
    table_block(f, c, "Overall", CCS_SCOPE_OVERALL, -1, -1, -1);
    channel_blocks(f, c);
    for (size_t q = 0; q < sc->n_queues; q++) {
        char title[200], w[32];
        ccs_format_duration(sc->queues[q].sla_within, w, sizeof w);
        snprintf(title, sizeof title, "Queue %s (target %.0f%% within %s)", sc->queues[q].id,
                 100 * sc->queues[q].sla_target, w);
        table_block(f, c, title, CCS_SCOPE_QUEUE, (int)q, -1, -1);
        if (sc->queues[q].n_segments > 1)
            for (size_t s = 0; s < sc->queues[q].n_segments; s++) {
                const struct ccs_segment_def *sd = &sc->queues[q].segments[s];
                ccs_format_duration(sd->sla_within, w, sizeof w);
                snprintf(title, sizeof title, "Segment %s/%s (target %.0f%% within %s)",
                         sc->queues[q].id, sd->id, 100 * sd->sla_target, w);
                table_block(f, c, title, CCS_SCOPE_SEGMENT, (int)q, (int)s, -1);
            }
    }
    for (size_t g = 0; g < sc->n_groups; g++) {
        char title[120];
        snprintf(title, sizeof title, "Group %s", sc->groups[g].id);
        table_block(f, c, title, CCS_SCOPE_GROUP, -1, -1, (int)g);
    }
    if (ccs_compare_method(c) == CCS_CMP_REPLICATIONS)
        interval_view(f, c, CCS_KPI_service_level);
    return ccs__out_status(f);
}

/* --- JSON -------------------------------------------------------------------------------------- */

static void json_stat(FILE *f, const struct ccs_compare_stat *s, const char *name)
{
    fputs("{\"variant\": ", f);
    ccs__out_json_str(f, name);
    fputs(", \"n\": ", f);
    ccs__out_json_num(f, s->n);
    fputs(", ", f);
    ccs__report_json_ci(f, "mean", "", s->mean, s->halfwidth);
    fputs(", \"diff_n\": ", f);
    ccs__out_json_num(f, s->diff_n);
    fputs(", ", f);
    ccs__report_json_ci(f, "diff", "diff_", s->diff, s->diff_halfwidth);
    if (!isnan(s->diff_lag1)) {
        fputs(", \"diff_lag1\": ", f);
        ccs__out_json_num(f, s->diff_lag1);
    }
    fputs(", \"verdict\": ", f);
    ccs__out_json_str(f, ccs_verdict_name(s->verdict));
    fputc('}', f);
}

/* A key's `"metric": ..., "unit": ..., "better": N, "variants": [...]}`:
   each variant's statistic of key i (channel: of channel row i). */
static void json_metric_variants(FILE *f, const struct ccs_compare *c,
                                 const struct ccs_kpi_info *info, size_t i, bool channel)
{
    fputs("\"metric\": ", f);
    ccs__out_json_str(f, info->id);
    fputs(", \"unit\": ", f);
    ccs__out_json_str(f, ccs__unit_name(info->unit));
    fprintf(f, ", \"better\": %d,\n     \"variants\": [", info->better);
    bool first = true;
    for (size_t v = 0; v < ccs_compare_variant_count(c); v++) {
        struct ccs_compare_stat s;
        if (channel)
            ccs_compare_channel_get(c, v, i, &s);
        else
            ccs_compare_get(c, v, i, &s);
        if (!s.present)
            continue;
        fputs(first ? "\n      " : ",\n      ", f);
        json_stat(f, &s, ccs_compare_variant_name(c, v));
        first = false;
    }
    fputs("]}", f);
}

int ccs_report_compare_json(FILE *f, const struct ccs_compare *c)
{
    const struct ccs_scenario *sc = base_sc(c);
    size_t nv = ccs_compare_variant_count(c);
    ccs__report_json_head(f, "ccsim-compare-1", sc);
    fputs(", \"service_level_definition\": ", f);
    ccs__out_json_str(f, ccs_sl_def_name(sc->sl_def));
    fputs("},\n", f);
    fputs("  \"method\": ", f);
    ccs__out_json_str(f, method_name(ccs_compare_method(c)));
    fprintf(f, ", \"seed\": %llu, \"confidence_level\": ", (unsigned long long)ccs_compare_seed(c));
    ccs__out_json_num(f, ccs_compare_level(c));
    fprintf(f, ", \"count\": %u,\n", ccs_compare_count(c));
    if (ccs_compare_method(c) == CCS_CMP_BATCH_MEANS) {
        fprintf(f, "  \"batch_means\": {\"batches\": %u, \"interval_s\": ", ccs_compare_count(c));
        ccs__out_json_num(f, sc->interval);
        fputs(", \"warmup_s\": ", f);
        ccs__out_json_num(f, sc->warmup);
        fprintf(f, ", \"first_interval\": %u, \"horizon_s\": ", ccs_compare_first_batch(c));
        ccs__out_json_num(f, sc->horizon);
        /* false: no channel rows, a variant's definition hides the count */
        fprintf(f, ", \"channel_rows\": %s},\n",
                ccs_compare_channels_dropped(c) ? "false" : "true");
    } else {
        fputs("  \"batch_means\": null,\n", f);
    }
    fputs("  \"precision\": ", f);
    if (ccs_compare_target_count(c) == 0) {
        fputs("null,\n", f);
    } else {
        fprintf(f, "{\"met\": %s, \"max_count\": %u, \"targets\": [",
                ccs_compare_targets_met(c) ? "true" : "false", ccs_compare_max_replications(c));
        for (size_t t = 0; t < ccs_compare_target_count(c); t++) {
            const struct ccs_precision *p = ccs_compare_target(c, t);
            fprintf(f, "%s\n    {", t ? "," : "");
            ccs__report_json_target(f, p);
            fputs(", \"achieved\": ", f);
            ccs__out_json_num(f, ccs_compare_target_achieved(c, t));
            fprintf(f, ", \"met\": %s}",
                    ccs_compare_target_achieved(c, t) <= p->halfwidth ? "true" : "false");
        }
        fputs("]},\n", f);
    }
    fputs("  \"variants\": [", f);
    for (size_t v = 0; v < nv; v++) {
        const struct ccs_scenario *vs = ccs_compare_variant_scenario(c, v);
        fprintf(f, "%s\n    {\"name\": ", v ? "," : "");
        ccs__out_json_str(f, ccs_compare_variant_name(c, v));
        fprintf(f, ", \"baseline\": %s, \"description\": ", v == 0 ? "true" : "false");
        ccs__out_json_str(f, ccs_compare_variant_description(c, v));
        fputs(", \"file\": ", f);
        ccs__out_json_str(f, vs->origin);
        ccs__report_json_provenance(f, vs);
        fputs(", \"policy\": ", f);
        ccs__out_json_str(f, vs->policy->name);
        fputc('}', f);
    }
    fputs("\n  ],\n  \"keys\": [", f);
    for (size_t k = 0; k < ccs_compare_key_count(c); k++) {
        struct ccs_key key = ccs_compare_key(c, k);
        const struct ccs_kpi_info *info = ccs_kpi_info((enum ccs_kpi)key.kpi);
        fprintf(f, "%s\n    {", k ? "," : "");
        ccs__report_json_scope(f, sc, &key);
        fputs(", \"interval\": ", f);
        if (key.interval >= 0)
            fprintf(f, "%d", key.interval);
        else
            fputs("null", f);
        fputs(", ", f);
        json_metric_variants(f, c, info, k, false);
    }
    /* the channel rows last, as sweep.json has them: scope "channel", the
       channel's name as the queue */
    for (size_t i = 0; i < ccs_compare_channel_rows(c); i++) {
        enum ccs_channel ch;
        enum ccs_kpi kpi;
        ccs_compare_channel_row(c, i, &ch, &kpi);
        const struct ccs_kpi_info *info = ccs_kpi_info(kpi);
        fputs(i + ccs_compare_key_count(c) ? ",\n    {" : "\n    {", f);
        fputs("\"scope\": \"channel\", \"queue\": ", f);
        ccs__out_json_str(f, ccs__channel_name(ch));
        fputs(", \"segment\": null, \"group\": null, \"interval\": null, ", f);
        json_metric_variants(f, c, info, i, true);
    }
    fputs("\n  ]", f);
    ccs__report_compare_model_error_json(f, c); /* with a backtest of the model */
    fputs("\n}\n", f);
    return ccs__out_status(f);
}

/* --- compare.csv -------------------------------------------------------------------------------- */

/* n,mean,...,diff_ci_high,verdict of one row of compare.csv (no line end). */
static void csv_stat(FILE *f, const struct ccs_compare_stat *s)
{
    const double cols[] = {s->n,
                           s->mean,
                           s->halfwidth,
                           s->mean - s->halfwidth,
                           s->mean + s->halfwidth,
                           s->diff,
                           s->diff_halfwidth,
                           s->diff - s->diff_halfwidth,
                           s->diff + s->diff_halfwidth};
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++) {
        ccs__out_num(f, cols[i], "");
        fputc(',', f);
    }
    ccs__csv_field(f, ccs_verdict_name(s->verdict));
}

int ccs_report_compare_csv(FILE *f, const struct ccs_compare *c)
{
    const struct ccs_scenario *sc = base_sc(c);
    fputs("variant,scope,queue,segment,group,interval,metric,unit,n,mean,halfwidth,ci_low,"
          "ci_high,diff,diff_halfwidth,diff_ci_low,diff_ci_high,verdict,day,clock\n",
          f);
    for (size_t k = 0; k < ccs_compare_key_count(c); k++) {
        struct ccs_key key = ccs_compare_key(c, k);
        const struct ccs_kpi_info *info = ccs_kpi_info((enum ccs_kpi)key.kpi);
        for (size_t v = 0; v < ccs_compare_variant_count(c); v++) {
            struct ccs_compare_stat s;
            ccs_compare_get(c, v, k, &s);
            if (!s.present)
                continue;
            const char *names[] = {ccs_compare_variant_name(c, v),
                                   ccs_scope_name((enum ccs_scope)key.scope),
                                   ccs__report_queue_name(sc, key.queue),
                                   ccs__report_segment_name(sc, key.queue, key.segment),
                                   ccs__report_group_name(sc, key.group)};
            for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
                ccs__csv_field(f, names[i]);
                fputc(',', f);
            }
            if (key.interval >= 0)
                fprintf(f, "%d", key.interval);
            fputc(',', f);
            ccs__csv_field(f, info->id);
            fputc(',', f);
            ccs__csv_field(f, ccs__unit_name(info->unit));
            fputc(',', f);
            csv_stat(f, &s);
            /* an interval's row: its day and clock time at the start, as
               intervals.csv has them (the baseline's calendar) */
            if (key.interval >= 0) {
                char day[16], clock[48];
                ccs__day_clock(sc, key.interval * sc->interval, day, sizeof day, clock,
                               sizeof clock);
                fprintf(f, ",%s,%s\n", day, clock);
            } else {
                fputs(",,\n", f);
            }
        }
    }
    /* per channel, last: scope "channel", the channel's name in the queue
       column, as summary.csv and sweep.csv */
    for (size_t i = 0; i < ccs_compare_channel_rows(c); i++) {
        enum ccs_channel ch;
        enum ccs_kpi kpi;
        ccs_compare_channel_row(c, i, &ch, &kpi);
        const struct ccs_kpi_info *info = ccs_kpi_info(kpi);
        for (size_t v = 0; v < ccs_compare_variant_count(c); v++) {
            struct ccs_compare_stat s;
            ccs_compare_channel_get(c, v, i, &s);
            if (!s.present)
                continue;
            ccs__csv_field(f, ccs_compare_variant_name(c, v));
            fprintf(f, ",channel,%s,,,,%s,%s,", ccs__channel_name(ch), info->id,
                    ccs__unit_name(info->unit));
            csv_stat(f, &s);
            fputs(",,\n", f);
        }
    }
    return ccs__out_status(f);
}

/* --- the output directory -------------------------------------------------------------------- */

static int produce_compare_csv(FILE *f, const void *arg)
{
    return ccs_report_compare_csv(f, arg);
}

/* Keep what DIR/NAME held that this command does not write (the rule of an
   output directory, docs/outputs.md): each such entry of old linked into
   new. Temporaries of ccsim itself are not kept. */
static int keep_others(const char *old, const char *new, struct ccs_diag *d)
{
    DIR *dp = opendir(old);
    if (dp == NULL)
        return 0; /* no such folder yet: nothing to keep */
    int e = 0;
    for (struct dirent *de; e == 0 && (de = readdir(dp)) != NULL;) {
        const char *n = de->d_name;
        if (strcmp(n, ".") == 0 || strcmp(n, "..") == 0 || strstr(n, ".ccsim-") != NULL)
            continue;
        char src[PATH_MAX], dst[PATH_MAX];
        struct stat st;
        if (snprintf(src, sizeof src, "%s/%s", old, n) >= (int)sizeof src ||
            snprintf(dst, sizeof dst, "%s/%s", new, n) >= (int)sizeof dst)
            e = ENAMETOOLONG;
        else if (lstat(dst, &st) != 0) /* not one of the files written */
            e = ccs__outdir_keep(src, dst);
    }
    closedir(dp);
    if (e == ENOMEM)
        return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    return e == 0 ? 0 : ccs_diag_at(d, CCS_EIO, old, 0, 0, "cannot keep its files: %s", strerror(e));
}

/* Each variant's files, in DIR/NAME/: written in the work folder of o and
   switched in with the rest, so a failure leaves none of them. */
static int write_variants(struct ccs_outdir *o, const char *dir, const struct ccs_compare *c,
                          struct ccs_diag *d)
{
    const char *work = ccs_outdir_workdir(o, d);
    if (work == NULL)
        return d->code ? d->code : CCS_EIO;
    int rc = 0;
    for (size_t v = 0; v < ccs_compare_variant_count(c) && rc == 0; v++) {
        const char *name = ccs_compare_variant_name(c, v);
        char sub[PATH_MAX], old[PATH_MAX];
        if (snprintf(sub, sizeof sub, "%s/%s", work, name) >= (int)sizeof sub ||
            snprintf(old, sizeof old, "%s/%s", dir, name) >= (int)sizeof old) {
            rc = ccs_diag_at(d, CCS_EIO, dir, 0, 0, "variant folder '%s': path too long", name);
            break;
        }
        struct ccs_outdir *vo;
        if ((rc = ccs_outdir_open_single(sub, &vo, d)) != 0)
            break;
        if ((rc = ccs_report_write_files(vo, ccs_compare_variant_summary(c, v), d)) != 0) {
            ccs_outdir_abort(vo);
            break;
        }
        if ((rc = ccs_outdir_commit(vo, d)) != 0 || (rc = keep_others(old, sub, d)) != 0)
            break;
        rc = ccs_outdir_adopt(o, name, name, d);
    }
    return rc;
}

/* dir/name written by the model-error writer (a working copy); 0 or CCS_EIO with d. */
static int write_beside(const char *dir, const char *name, const struct ccs_compare *c,
                             struct ccs_diag *d)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *path = ccs_malloc(n);
    if (path == NULL)
        return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    snprintf(path, n, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    int rc = f == NULL ? CCS_EIO : ccs__report_compare_model_error_csv(f, c);
    if (f != NULL && fclose(f) != 0)
        rc = CCS_EIO;
    if (rc != 0)
        ccs_diag_at(d, CCS_EIO, path, 0, 0, "cannot write");
    free(path);
    return rc;
}

int ccs_report_compare_write_dir(const char *dir, const struct ccs_compare *c,
                                 const struct ccs_plot_opts *plots, struct ccs_diag *d)
{
    struct ccs_outdir *o;
    int rc = ccs_outdir_open(dir, &o, d);
    if (rc)
        return rc;
    rc = write_variants(o, dir, c, d);
    /* the model's error on real days beside the differences, before the
       charts: report.html shows it */
    if (rc == 0 && ccs_compare_backtest(c, NULL) != NULL) {
        FILE *fm = ccs_outdir_file(o, "model_error.csv", d);
        if (fm == NULL)
            rc = CCS_EIO;
        else if (ccs__report_compare_model_error_csv(fm, c) != 0 || fflush(fm) != 0)
            rc = ccs_diag_at(d, CCS_EIO, dir, 0, 0, "cannot write model_error.csv");
        /* and a copy where report.html is made from (the work folder, as compare.csv) */
        const char *work = rc == 0 && plots != NULL ? ccs_outdir_workdir(o, d) : NULL;
        if (rc == 0 && plots != NULL)
            rc = work == NULL ? CCS_EIO : write_beside(work, "model_error.csv", c, d);
    }
    /* charts and report.html (before compare.csv, which stays the last) */
    if (rc == 0 && plots != NULL)
        rc = ccs_plot_compare(o, ccs_compare_variant_summary(c, 0), produce_compare_csv, c, plots,
                              d);
    /* compare.csv last: once it is there, everything is */
    FILE *fj = rc == 0 ? ccs_outdir_file(o, "compare.json", d) : NULL;
    if (rc == 0 && (fj == NULL || ccs_report_compare_json(fj, c) != 0))
        rc = fj == NULL ? CCS_EIO : ccs_diag_at(d, CCS_EIO, dir, 0, 0, "cannot write compare.json");
    FILE *fc = rc == 0 ? ccs_outdir_file(o, "compare.csv", d) : NULL;
    if (rc == 0 && (fc == NULL || ccs_report_compare_csv(fc, c) != 0))
        rc = fc == NULL ? CCS_EIO : ccs_diag_at(d, CCS_EIO, dir, 0, 0, "cannot write compare.csv");
    if (rc != 0) {
        ccs_outdir_abort(o);
        return rc;
    }
    return ccs_outdir_commit(o, d);
}
