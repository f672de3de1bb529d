/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * report.c - a run's summary as a readable table, JSON, and tidy CSV
 * (one row per scope x metric; see docs/outputs.md). Numbers are printed
 * with fixed formats so the same results give byte-identical files.
 */
#include "ccs/run.h"
#include "ccs/report.h"

#include "ccs/sim.h"
#include "out/report_util.h"
#include "fmt/textout.h"
#include "ccs/units.h"
#include "model/scenario.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* --- shared helpers ---------------------------------------------------------------- */

/* --- the table ----------------------------------------------------------------------- */

/* A value and "± 0.20%", its half-width ("" when undefined), spelled alike
   (ccs__kv_pair: both h:mm:ss when either is an hour or more). */
static void fmt_mean_hw(char *val, size_t vcap, char *buf, size_t cap, enum ccs_unit u,
                        double mean, double hw)
{
    unsigned like = ccs__kv_pair(u, mean, hw);
    ccs__kpi_text(val, vcap, u, mean, like);
    if (isnan(hw)) {
        buf[0] = '\0';
        return;
    }
    char v[40];
    ccs__kpi_text(v, sizeof v, u, hw, CCS_KV_HALFWIDTH | like);
    snprintf(buf, cap, "± %s", v);
}

/*
 * Does queue q (or, for q < 0, any queue) use the mechanism behind an
 * optional KPI? The table leaves out rows that could only read zero.
 */
static bool relevant(const struct ccs_scenario *sc, enum ccs_kpi k, int q)
{
    bool redial = false, transfer = false, resolution = false, callback = false,
         campaign = false, cost = false, repeats_in = false, transfers_in = false,
         message = false, closing = false, skip = false;
    for (size_t i = 0; i < sc->n_queues; i++) {
        const struct ccs_queue_def *qd = &sc->queues[i];
        for (size_t t = 0; t < qd->n_transfers; t++) {
            bool to_q = q < 0 || qd->transfers[t].to == (uint32_t)q;
            transfers_in = transfers_in || to_q;
            skip = skip || (to_q && qd->transfers[t].skip_if_busy);
        }
        repeats_in = repeats_in ||
                     (qd->resolution.probability < 1 && (q < 0 || qd->resolution.queue == (uint32_t)q));
        cost = cost || qd->callback.cost > 0 || qd->campaign.cost > 0;
        if (q >= 0 && (size_t)q != i)
            continue;
        redial = redial || qd->redial.probability > 0;
        message = message || qd->message_after > 0;
        closing = closing || qd->close_disconnect;
        transfer = transfer || qd->n_transfers > 0;
        resolution = resolution || qd->resolution.probability < 1;
        callback = callback || qd->callback.on;
        campaign = campaign || qd->campaign.on;
    }
    bool shifts = false, absence = false;
    for (size_t g = 0; g < sc->n_groups; g++) {
        cost = cost || sc->groups[g].cost_per_hour > 0;
        shifts = shifts || sc->groups[g].n_shifts > 0 || sc->groups[g].plan != NULL;
        absence = absence || sc->groups[g].absenteeism > 0;
    }
    for (size_t t = 0; t < sc->n_trunks; t++)
        cost = cost || sc->trunks[t].cost_per_minute > 0;
    switch (k) {
    case CCS_KPI_customers:
        return redial || repeats_in || transfers_in || campaign;
    case CCS_KPI_redials:
        return redial;
    case CCS_KPI_transfers:
    case CCS_KPI_transfer_rate:
        return transfer;
    case CCS_KPI_fcr:
    case CCS_KPI_repeat_rate:
        return resolution;
    case CCS_KPI_repeats:
        return repeats_in;
    case CCS_KPI_callbacks_offered:
    case CCS_KPI_callbacks_accepted:
    case CCS_KPI_callbacks_completed:
    case CCS_KPI_time_to_callback:
        return callback;
    case CCS_KPI_dials:
    case CCS_KPI_failed:
        return callback || campaign;
    case CCS_KPI_connects:
    case CCS_KPI_right_party:
    case CCS_KPI_agent_time:
        return campaign;
    case CCS_KPI_cost:
    case CCS_KPI_cost_per_contact:
    case CCS_KPI_cost_per_resolved:
        return cost;
    case CCS_KPI_overtime:
        return shifts;
    case CCS_KPI_messages:
    case CCS_KPI_message_rate:
        return message;
    case CCS_KPI_disconnected:
        return closing;
    case CCS_KPI_skipped:
        return skip;
    case CCS_KPI_absences:
        return absence;
    default:
        return true;
    }
}

bool ccs__report_relevant(const struct ccs_scenario *sc, enum ccs_kpi k, int q)
{
    return relevant(sc, k, q);
}

/*
 * Where the whole-run keys of one scope instance are: results.c emits each
 * instance's keys together, and the reports visit a scope's instances in
 * layout order, so the search starts where that scope's last one ended
 * (hint[scope]) and wraps around once at most. Scanning every key for every
 * instance made the report quadratic: 80% of a 200-queue, 200-group run.
 * Returns the first key and sets *end (first == *end: none).
 */
struct key_hint {
    size_t at[CCS_SCOPE_COUNT_];
};

static bool key_is(const struct ccs_key *key, int scope, int q, int seg, int g)
{
    return key->scope == scope && key->queue == q && key->segment == seg && key->group == g;
}

static size_t instance_keys(const struct ccs_layout *l, struct key_hint *h, int scope, int q,
                            int seg, int g, size_t *end)
{
    size_t n = l->n_whole, from = h->at[scope] < n ? h->at[scope] : 0;
    for (size_t i = 0; i < n; i++) {
        size_t k = from + i < n ? from + i : from + i - n;
        if (!key_is(&l->keys[k], scope, q, seg, g))
            continue;
        size_t e = k + 1;
        while (e < n && key_is(&l->keys[e], scope, q, seg, g))
            e++;
        h->at[scope] = *end = e;
        return k;
    }
    *end = 0;
    return 0;
}

/* Print the whole-run rows of one scope instance. */
static void table_block(FILE *f, const struct ccs_summary *s, struct key_hint *h,
                        const char *title, int scope, int q, int seg, int g)
{
    const struct ccs_layout *l = ccs_summary_layout(s);
    bool any = false;
    size_t end, k0 = instance_keys(l, h, scope, q, seg, g, &end);
    for (size_t k = k0; k < end; k++) {
        const struct ccs_key *key = &l->keys[k];
        const struct ccs_kpi_info *info = ccs_kpi_info((enum ccs_kpi)key->kpi);
        if (!(info->flags & CCS_KPI_TABLE) && scope != CCS_SCOPE_GROUP_QUEUE)
            continue;
        if ((info->flags & CCS_KPI_OPTIONAL) &&
            !relevant(ccs_summary_scenario(s), (enum ccs_kpi)key->kpi, key->queue))
            continue;
        if (!any && title[0] != '\0')
            fprintf(f, "\n%s\n", title);
        any = true;
        char v[48], hw[48];
        const char *label = info->label;
        char gq[96];
        if (scope == CCS_SCOPE_GROUP_QUEUE) {
            snprintf(gq, sizeof gq, "%s on %s", info->label,
                     ccs__report_queue_name(ccs_summary_scenario(s), q));
            label = gq;
        }
        fmt_mean_hw(v, sizeof v, hw, sizeof hw, info->unit, ccs_summary_mean(s, k),
                    ccs_summary_halfwidth(s, k));
        fprintf(f, "  %-24s %14s  %s\n", label, v, hw);
    }
}

/* "LEAD every EVERY: a, b" for the n ids, if any. */
static void repeat_line(FILE *f, const char *lead, const char *every, const char *const *ids,
                        size_t n)
{
    if (n == 0)
        return;
    fprintf(f, "%s every %s: %s", lead, every, ids[0]);
    for (size_t i = 1; i < n; i++)
        fprintf(f, ", %s", ids[i]);
    fputc('\n', f);
}

/* Lists of volumes or staffing that repeat over the run, and how often:
   "volumes repeat every day: sales, support". */
static void repeats_note(FILE *f, const struct ccs_scenario *sc)
{
    static const char *const every[] = {"", "day", "week"};
    const char *ids[64];
    for (int r = CCS_REPEAT_DAY; r <= CCS_REPEAT_WEEK; r++) {
        size_t n = 0;
        for (size_t q = 0; q < sc->n_queues && n < 64; q++)
            if (sc->queues[q].arrivals.kind == CCS_ARR_PROFILE && sc->queues[q].arrivals.repeat == r)
                ids[n++] = sc->queues[q].id;
        repeat_line(f, "volumes repeat", every[r], ids, n);
        n = 0;
        for (size_t g = 0; g < sc->n_groups && n < 64; g++)
            if (sc->groups[g].plan != NULL && sc->groups[g].plan_repeat == r)
                ids[n++] = sc->groups[g].id;
        repeat_line(f, "staffing repeats", every[r], ids, n);
    }
}

/*
 * With queues on several channels, each channel's own service level and
 * ASA: the overall ones mix promises of seconds and hours (docs/kpis.md).
 */
static void channels_block(FILE *f, const struct ccs_summary *s)
{
    struct ccs__channel_sl ch[CCS_CH_COUNT_];
    size_t n = ccs__channel_sls(s, ch);
    if (n < 2)
        return;
    static const char *const heads[] = {
        "Service level by channel (answered within their queue's threshold / offered)",
        "ASA by channel (mean wait of the contacts its queues answered)"};
    for (int m = 0; m < 2; m++) {
        fprintf(f, "\n%s\n", heads[m]);
        for (size_t c = 0; c < n; c++) {
            char label[64], v[48], hw[48];
            const struct ccs__stat *st = m == 0 ? &ch[c].sl : &ch[c].asa;
            snprintf(label, sizeof label, "%s (%zu queue%s)", ccs__channel_name(ch[c].ch),
                     ch[c].n_queues, ch[c].n_queues == 1 ? "" : "s");
            fmt_mean_hw(v, sizeof v, hw, sizeof hw, m == 0 ? CCS_UNIT_FRACTION : CCS_UNIT_SECONDS,
                        st->mean, st->halfwidth);
            fprintf(f, "  %-24s %14s  %s\n", label, v, hw);
        }
    }
}

int ccs_report_table(FILE *f, const struct ccs_summary *s)
{
    const struct ccs_scenario *sc = ccs_summary_scenario(s);
    uint32_t reps = ccs_summary_replications(s);
    char h[32], iv[32];
    ccs_format_duration(sc->horizon, h, sizeof h);
    ccs_format_duration(sc->interval, iv, sizeof iv);
    fprintf(f, "ccsim %s: %s (%s)\n", CCS_VERSION, sc->name, sc->origin);
    fprintf(f, "policy %s, seed %llu, %u replication%s, horizon %s", sc->policy->name,
            (unsigned long long)ccs_summary_seed(s), reps, reps == 1 ? "" : "s", h);
    if (sc->warmup > 0) {
        char w[32];
        ccs_format_duration(sc->warmup, w, sizeof w);
        fprintf(f, " after %s warm-up", w);
    }
    fprintf(f, "%s\n", sc->drain ? ", drained" : "");
    repeats_note(f, sc);
    if (ccs_summary_trace_note(s) != NULL)
        fprintf(f, "%s\n", ccs_summary_trace_note(s));
    if (sc->forecast_note != NULL)
        fprintf(f, "%s\n", sc->forecast_note);
    fprintf(f, "service level = %s (definition '%s')\n",
            ccs_kpi_info((enum ccs_kpi)(CCS_KPI_sl_offered + (int)sc->sl_def))->definition,
            ccs_sl_def_name(sc->sl_def));
    if (reps >= 2)
        fprintf(f, "± = half-width of the %.0f%% confidence interval over replications "
                   "(Student t)\n",
                100 * ccs_summary_level(s));
    else
        fprintf(f, "one replication: no confidence intervals (use --replications)\n");

    struct key_hint kh = {{0}};
    table_block(f, s, &kh, "Overall", CCS_SCOPE_OVERALL, -1, -1, -1);
    channels_block(f, s);
    for (size_t q = 0; q < sc->n_queues; q++) {
        char title[160], w[32];
        ccs_format_duration(sc->queues[q].sla_within, w, sizeof w);
        snprintf(title, sizeof title, "Queue %s (%s, target %.0f%% within %s)", sc->queues[q].id,
                 ccs__channel_name(sc->queues[q].channel), 100 * sc->queues[q].sla_target, w);
        table_block(f, s, &kh, title, CCS_SCOPE_QUEUE, (int)q, -1, -1);
        if (sc->queues[q].n_segments > 1)
            for (size_t g = 0; g < sc->queues[q].n_segments; g++) {
                const struct ccs_segment_def *sd = &sc->queues[q].segments[g];
                ccs_format_duration(sd->sla_within, w, sizeof w);
                snprintf(title, sizeof title, "Segment %s/%s (%.0f%% of arrivals, target %.0f%% within %s)",
                         sc->queues[q].id, sd->id, 100 * sd->share, 100 * sd->sla_target, w);
                table_block(f, s, &kh, title, CCS_SCOPE_SEGMENT, (int)q, (int)g, -1);
            }
    }
    for (size_t g = 0; g < sc->n_groups; g++) {
        char title[160];
        snprintf(title, sizeof title, "Group %s (%u agents)", sc->groups[g].id,
                 sc->groups[g].agents);
        table_block(f, s, &kh, title, CCS_SCOPE_GROUP, -1, -1, (int)g);
        if (sc->groups[g].n_skills > 1)
            for (size_t k = 0; k < sc->groups[g].n_skills; k++)
                table_block(f, s, &kh, "", CCS_SCOPE_GROUP_QUEUE,
                            (int)sc->groups[g].skills[k].queue, -1, (int)g);
    }
    return ccs__out_status(f);
}

int ccs_report_balance(FILE *f, const struct ccs_summary *s)
{
    struct ccs_sim_balance b;
    ccs_summary_balance(s, &b);
    unsigned long long in = b.arrivals + b.redials + b.repeats + b.transfers + b.records;
    unsigned long long out = b.answered + b.abandoned + b.messages + b.disconnected + b.blocked +
                             b.failed + b.pending;
    /* only scenarios where callers leave messages (are cut off at closing) name them */
    char msg[96] = "";
    int n = 0;
    if (b.messages > 0)
        n = snprintf(msg, sizeof msg, " + messages %llu", (unsigned long long)b.messages);
    if (b.disconnected > 0)
        snprintf(msg + n, sizeof msg - (size_t)n, " + disconnected at closing %llu",
                 (unsigned long long)b.disconnected);
    fprintf(f,
            "contact balance over %u replication%s (every contact, warm-up included):\n"
            "  entered %llu = arrivals %llu + redials %llu + repeat contacts %llu + transfers %llu "
            "+ campaign records %llu\n"
            "  ended   %llu = answered %llu + abandoned %llu%s + blocked %llu + not reached %llu + "
            "still waiting at the end %llu\n"
            "  %s\n",
            ccs_summary_replications(s), ccs_summary_replications(s) == 1 ? "" : "s", in,
            (unsigned long long)b.arrivals, (unsigned long long)b.redials,
            (unsigned long long)b.repeats, (unsigned long long)b.transfers,
            (unsigned long long)b.records, out, (unsigned long long)b.answered,
            (unsigned long long)b.abandoned, msg, (unsigned long long)b.blocked,
            (unsigned long long)b.failed, (unsigned long long)b.pending,
            in == out ? "balanced: every contact ended exactly once" : "NOT BALANCED");
    return ccs__out_status(f);
}

static double imean(const struct ccs_summary *s, int scope, enum ccs_kpi k, int q, int g, int i)
{
    long key = ccs_layout_find(ccs_summary_layout(s), (enum ccs_scope)scope, k, q, -1, g, i);
    return key < 0 ? NAN : ccs_summary_mean(s, (size_t)key);
}

static double ihw(const struct ccs_summary *s, int scope, enum ccs_kpi k, int q, int g, int i)
{
    long key = ccs_layout_find(ccs_summary_layout(s), (enum ccs_scope)scope, k, q, -1, g, i);
    return key < 0 ? NAN : ccs_summary_halfwidth(s, (size_t)key);
}

int ccs_report_intervals_table(FILE *f, const struct ccs_summary *s)
{
    const struct ccs_scenario *sc = ccs_summary_scenario(s);
    char label[48], v[96];
    fprintf(f, "per interval: means over %u replication%s; SL with its %.0f%% half-width\n",
            ccs_summary_replications(s), ccs_summary_replications(s) == 1 ? "" : "s",
            100 * ccs_summary_level(s));
    for (size_t q = 0; q < sc->n_queues; q++) {
        char w[32];
        ccs_format_duration(sc->queues[q].sla_within, w, sizeof w);
        fprintf(f, "\nQueue %s (target %.0f%% within %s)\n", sc->queues[q].id,
                100 * sc->queues[q].sla_target, w);
        fprintf(f, "  %-17s %9s %9s %9s %17s %9s %9s\n", "interval", "offered", "answered",
                "abandoned", "service level", "ASA", "backlog");
        for (uint32_t i = 0; i < sc->n_intervals; i++) {
            int qi = (int)q, ii = (int)i;
            ccs__interval_label(sc, i, true, label, sizeof label);
            /* a compact table: one decimal everywhere */
            double sl = imean(s, CCS_SCOPE_QUEUE, CCS_KPI_service_level, qi, -1, ii);
            double hw = ihw(s, CCS_SCOPE_QUEUE, CCS_KPI_service_level, qi, -1, ii);
            char a[40], b[40];
            ccs__fixed(a, sizeof a, 100 * sl, 1, 0);
            ccs__fixed(b, sizeof b, 100 * hw, 1, 0);
            if (isnan(sl))
                snprintf(v, sizeof v, "-");
            else if (isnan(hw))
                snprintf(v, sizeof v, "%s%%", a);
            else
                snprintf(v, sizeof v, "%s%% ± %s", a, b);
            double asa = imean(s, CCS_SCOPE_QUEUE, CCS_KPI_asa, qi, -1, ii);
            char asa_s[48];
            ccs__fixed(a, sizeof a, asa, 1, 0);
            snprintf(asa_s, sizeof asa_s, "%s%s", a, isnan(asa) ? "" : "s");
            const enum ccs_kpi cols[] = {CCS_KPI_offered, CCS_KPI_answered, CCS_KPI_abandoned,
                                         CCS_KPI_backlog};
            char c[4][40];
            for (size_t k = 0; k < 4; k++)
                ccs__fixed(c[k], sizeof c[k], imean(s, CCS_SCOPE_QUEUE, cols[k], qi, -1, ii), 1, 0);
            fprintf(f, "  %-17s %9s %9s %9s %17s %9s %9s\n", label, c[0], c[1], c[2], v, asa_s,
                    c[3]);
        }
    }
    for (size_t g = 0; g < sc->n_groups; g++) {
        fprintf(f, "\nGroup %s\n  %-17s %9s %10s\n", sc->groups[g].id, "interval", "agents",
                "occupancy");
        for (uint32_t i = 0; i < sc->n_intervals; i++) {
            char agents[40], occ_s[40];
            ccs__interval_label(sc, i, true, label, sizeof label);
            double occ = imean(s, CCS_SCOPE_GROUP, CCS_KPI_occupancy, -1, (int)g, (int)i);
            ccs__fixed(agents, sizeof agents,
                       imean(s, CCS_SCOPE_GROUP, CCS_KPI_agents, -1, (int)g, (int)i), 2, 0);
            ccs__fixed(occ_s, sizeof occ_s, isnan(occ) ? 0.0 : 100 * occ, 1, 0);
            fprintf(f, "  %-17s %9s %9s%%\n", label, agents, occ_s);
        }
    }
    return ccs__out_status(f);
}

/* --- JSON ---------------------------------------------------------------------------- */

/* A statistic's JSON object is put together in a buffer and written at
   once: a 10,000-agent report has a hundred thousand of them, and a stdio
   call per piece was most of the report's cost (issue 16). The bytes are
   those of ccs__report_json_ci and ccs__out_json_num. */
struct jbuf {
    char b[320];
    size_t n;
};

static void jb_lit(struct jbuf *j, const char *lit)
{
    size_t n = strlen(lit);
    memcpy(j->b + j->n, lit, n);
    j->n += n;
}

static void jb_num(struct jbuf *j, double v)
{
    char num[32];
    int n = ccs__num_str(num, sizeof num, v, "null");
    memcpy(j->b + j->n, num, (size_t)n); /* < 32: "32 bytes hold any number" */
    j->n += (size_t)n;
}

/* Does s go into a JSON string as it is (ccs__out_json_str would escape
   nothing), and is it short? */
static bool plain_key(const char *s)
{
    size_t n = 0;
    for (; s[n] != '\0'; n++)
        if (n >= 64 || (unsigned char)s[n] < 0x20 || (unsigned char)s[n] >= 0x7f || s[n] == '"' ||
            s[n] == '\\')
            return false;
    return true;
}

/* [lead "key": ]{statistic k}: lead and key NULL, or lead short and key plain. */
static void json_stat_keyed(FILE *f, const struct ccs_summary *s, size_t k, const char *lead,
                            const char *key)
{
    struct jbuf j = {.n = 0};
    if (key != NULL) {
        jb_lit(&j, lead);
        jb_lit(&j, "\"");
        jb_lit(&j, key);
        jb_lit(&j, "\": ");
    }
    double m = ccs_summary_mean(s, k), hw = ccs_summary_halfwidth(s, k);
    jb_lit(&j, "{\"mean\": ");
    jb_num(&j, m);
    jb_lit(&j, ", \"halfwidth\": ");
    jb_num(&j, hw);
    jb_lit(&j, ", \"ci_low\": ");
    jb_num(&j, m - hw);
    jb_lit(&j, ", \"ci_high\": ");
    jb_num(&j, m + hw);
    jb_lit(&j, ", \"sd\": ");
    jb_num(&j, ccs_summary_sd(s, k));
    jb_lit(&j, ", \"n\": ");
    jb_num(&j, ccs_summary_n(s, k));
    jb_lit(&j, "}");
    fwrite(j.b, 1, j.n, f);
}

static void json_stat(FILE *f, const struct ccs_summary *s, size_t k)
{
    json_stat_keyed(f, s, k, NULL, NULL);
}

/* {"kpi": {...}, ...} for the whole-run keys of one scope instance. */
static void json_kpis(FILE *f, const struct ccs_summary *s, struct key_hint *h, int scope, int q,
                      int seg, int g, const char *indent)
{
    const struct ccs_layout *l = ccs_summary_layout(s);
    bool first = true;
    fputs("{", f);
    size_t end, k0 = instance_keys(l, h, scope, q, seg, g, &end);
    char lead[2][48]; /* before the first key, before the others */
    bool short_indent = strlen(indent) + 4 < sizeof lead[0];
    if (short_indent) {
        snprintf(lead[0], sizeof lead[0], "\n%s  ", indent);
        snprintf(lead[1], sizeof lead[1], ",\n%s  ", indent);
    }
    for (size_t k = k0; k < end; k++) {
        const struct ccs_key *key = &l->keys[k];
        const char *id = ccs_kpi_info((enum ccs_kpi)key->kpi)->id;
        if (short_indent && plain_key(id)) {
            json_stat_keyed(f, s, k, lead[!first], id);
        } else {
            fputs(first ? "\n" : ",\n", f);
            fputs(indent, f);
            fputs("  ", f);
            ccs__out_json_str(f, id);
            fputs(": ", f);
            json_stat(f, s, k);
        }
        first = false;
    }
    fprintf(f, "\n%s}", indent);
}

static void json_st(FILE *f, const struct ccs__stat *st)
{
    fputc('{', f);
    ccs__report_json_ci(f, "mean", "", st->mean, st->halfwidth);
    fputs(", \"sd\": ", f);
    ccs__out_json_num(f, st->sd);
    fputs(", \"n\": ", f);
    ccs__out_json_num(f, st->n);
    fputc('}', f);
}

/* ,\n  "channels": [{"id": "voice", "queues": [...], "kpis": {"offered": ..,
   "service_level": .., "asa": ..}}, ...]: every channel with queues (docs/kpis.md) */
static void json_channels(FILE *f, const struct ccs_summary *s)
{
    const struct ccs_scenario *sc = ccs_summary_scenario(s);
    struct ccs__channel_sl ch[CCS_CH_COUNT_];
    size_t n = ccs__channel_sls(s, ch);
    fputs(",\n  \"channels\": [", f);
    for (size_t c = 0; c < n; c++) {
        fprintf(f, "%s\n    {\"id\": ", c ? "," : "");
        ccs__out_json_str(f, ccs__channel_name(ch[c].ch));
        fputs(", \"queues\": [", f);
        for (size_t q = 0, k = 0; q < sc->n_queues; q++)
            if (sc->queues[q].channel == ch[c].ch) {
                fputs(k++ ? ", " : "", f);
                ccs__out_json_str(f, sc->queues[q].id);
            }
        fputs("],\n     \"kpis\": {\n       \"offered\": ", f);
        json_st(f, &ch[c].offered);
        fputs(",\n       \"service_level\": ", f);
        json_st(f, &ch[c].sl);
        fputs(",\n       \"asa\": ", f);
        json_st(f, &ch[c].asa);
        fputs("\n     }}", f);
    }
    fputs("\n  ]", f);
}

int ccs_report_json(FILE *f, const struct ccs_summary *s)
{
    const struct ccs_scenario *sc = ccs_summary_scenario(s);
    ccs__report_json_head(f, "ccsim-summary-1", sc);
    fputs(", \"policy\": ", f);
    ccs__out_json_str(f, sc->policy->name);
    fprintf(f, ", \"seed\": %llu, \"replications\": %u, \"horizon_s\": ",
            (unsigned long long)ccs_summary_seed(s), ccs_summary_replications(s));
    ccs__out_json_num(f, sc->horizon);
    fputs(", \"warmup_s\": ", f);
    ccs__out_json_num(f, sc->warmup);
    fputs(", \"interval_s\": ", f);
    ccs__out_json_num(f, sc->interval);
    /* the clock of t = 0, for charts and readers that label time */
    fputs(", \"start_time_s\": ", f);
    ccs__out_json_num(f, sc->start_time);
    fprintf(f, ", \"start_day\": \"%s\"",
            (const char *[]){"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}[sc->start_day % 7]);
    fprintf(f, ", \"drain\": %s, \"service_level_definition\": ", sc->drain ? "true" : "false");
    ccs__out_json_str(f, ccs_sl_def_name(sc->sl_def));
    fputs(", \"confidence_level\": ", f);
    ccs__out_json_num(f, ccs_summary_level(s));
    fputs("},\n", f);
    if (sc->dated) /* a dated trace or forecast: the day the run stands for */
        fprintf(f, "  \"date\": \"%s\",\n", sc->date_text);
    fputs("  \"overall\": ", f);
    struct key_hint kh = {{0}};
    json_kpis(f, s, &kh, CCS_SCOPE_OVERALL, -1, -1, -1, "  ");
    json_channels(f, s);
    fputs(",\n  \"queues\": [", f);
    for (size_t q = 0; q < sc->n_queues; q++) {
        const struct ccs_queue_def *qd = &sc->queues[q];
        fprintf(f, "%s\n    {\"id\": ", q ? "," : "");
        ccs__out_json_str(f, qd->id);
        fputs(", \"channel\": ", f);
        ccs__out_json_str(f, ccs__channel_name(qd->channel));
        fputs(", \"sla\": {\"target\": ", f);
        ccs__out_json_num(f, qd->sla_target);
        fputs(", \"within_s\": ", f);
        ccs__out_json_num(f, qd->sla_within);
        if (qd->asa_target > 0) { /* only when declared: older files stay as they were */
            fputs(", \"asa_s\": ", f);
            ccs__out_json_num(f, qd->asa_target);
        }
        fputs("},\n     \"kpis\": ", f);
        json_kpis(f, s, &kh, CCS_SCOPE_QUEUE, (int)q, -1, -1, "     ");
        fputs(",\n     \"segments\": [", f);
        if (qd->n_segments > 1)
            for (size_t g = 0; g < qd->n_segments; g++) {
                fprintf(f, "%s\n       {\"id\": ", g ? "," : "");
                ccs__out_json_str(f, qd->segments[g].id);
                fputs(", \"kpis\": ", f);
                json_kpis(f, s, &kh, CCS_SCOPE_SEGMENT, (int)q, (int)g, -1, "       ");
                fputs("}", f);
            }
        fputs("]}", f);
    }
    fputs("\n  ],\n  \"groups\": [", f);
    for (size_t g = 0; g < sc->n_groups; g++) {
        const struct ccs_group_def *gd = &sc->groups[g];
        fprintf(f, "%s\n    {\"id\": ", g ? "," : "");
        ccs__out_json_str(f, gd->id);
        fprintf(f, ", \"agents\": %u,\n     \"kpis\": ", gd->agents);
        json_kpis(f, s, &kh, CCS_SCOPE_GROUP, -1, -1, (int)g, "     ");
        fputs(",\n     \"queues\": {", f);
        for (size_t k = 0; k < gd->n_skills; k++) {
            fprintf(f, "%s\n       ", k ? "," : "");
            ccs__out_json_str(f, sc->queues[gd->skills[k].queue].id);
            fputs(": ", f);
            json_kpis(f, s, &kh, CCS_SCOPE_GROUP_QUEUE, (int)gd->skills[k].queue, -1, (int)g,
                      "       ");
        }
        fputs("}}", f);
    }
    fputs("\n  ]\n}\n", f);
    return ccs__out_status(f);
}

/* --- CSV ----------------------------------------------------------------------------- */

/* ",halfwidth,ci_low,ci_high" of a mean m */
static void csv_ci(FILE *f, double m, double hw)
{
    fputc(',', f);
    ccs__out_num(f, hw, "");
    fputc(',', f);
    ccs__out_num(f, m - hw, "");
    fputc(',', f);
    ccs__out_num(f, m + hw, "");
}

static void csv_stats(FILE *f, const struct ccs_summary *s, size_t k)
{
    double m = ccs_summary_mean(s, k), hw = ccs_summary_halfwidth(s, k);
    ccs__out_num(f, ccs_summary_n(s, k), "");
    fputc(',', f);
    ccs__out_num(f, m, "");
    fputc(',', f);
    ccs__out_num(f, ccs_summary_sd(s, k), "");
    csv_ci(f, m, hw);
}

/* scope,queue,segment,group,metric,unit, (every text field quoted as CSV needs) */
static void csv_key(FILE *f, const struct ccs_scenario *sc, const struct ccs_key *key)
{
    const struct ccs_kpi_info *info = ccs_kpi_info((enum ccs_kpi)key->kpi);
    const char *cols[] = {ccs_scope_name((enum ccs_scope)key->scope),
                          ccs__report_queue_name(sc, key->queue),
                          ccs__report_segment_name(sc, key->queue, key->segment),
                          ccs__report_group_name(sc, key->group),
                          info->id,
                          ccs__unit_name(info->unit)};
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++) {
        ccs__csv_field(f, cols[i]);
        fputc(',', f);
    }
}

int ccs_report_summary_csv(FILE *f, const struct ccs_summary *s)
{
    const struct ccs_scenario *sc = ccs_summary_scenario(s);
    const struct ccs_layout *l = ccs_summary_layout(s);
    fputs("scope,queue,segment,group,metric,unit,n,mean,sd,halfwidth,ci_low,ci_high\n", f);
    for (size_t k = 0; k < l->n_whole; k++) {
        csv_key(f, sc, &l->keys[k]);
        csv_stats(f, s, k);
        fputc('\n', f);
    }
    /* per channel, last: scope "channel", the channel's name in the queue column */
    struct ccs__channel_sl ch[CCS_CH_COUNT_];
    size_t n = ccs__channel_sls(s, ch);
    for (size_t c = 0; c < n; c++)
        for (int j = 0; j < 3; j++) {
            static const char *const metric[] = {"offered", "service_level", "asa"},
                                     *const unit[] = {"count", "fraction", "seconds"};
            const struct ccs__stat *st = j == 0 ? &ch[c].offered : j == 1 ? &ch[c].sl : &ch[c].asa;
            fprintf(f, "channel,%s,,,%s,%s,", ccs__channel_name(ch[c].ch), metric[j], unit[j]);
            const double v[] = {st->n, st->mean, st->sd, st->halfwidth, st->mean - st->halfwidth,
                                st->mean + st->halfwidth};
            for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
                if (i)
                    fputc(',', f);
                ccs__out_num(f, v[i], "");
            }
            fputc('\n', f);
        }
    return ccs__out_status(f);
}

int ccs_report_intervals_csv(FILE *f, const struct ccs_summary *s)
{
    const struct ccs_scenario *sc = ccs_summary_scenario(s);
    const struct ccs_layout *l = ccs_summary_layout(s);
    /* day and clock last: readers of the older columns by position still work */
    fputs("interval,start_s,end_s,scope,queue,segment,group,metric,unit,n,mean,sd,halfwidth,"
          "ci_low,ci_high,day,clock\n",
          f);
    for (size_t k = l->n_whole; k < l->n; k++) {
        struct ccs_key key = ccs_layout_key(l, k);
        double t0 = key.interval * sc->interval, t1 = t0 + sc->interval;
        if (t1 > sc->horizon)
            t1 = sc->horizon;
        fprintf(f, "%d,", key.interval);
        ccs__out_num(f, t0, "");
        fputc(',', f);
        ccs__out_num(f, t1, "");
        fputc(',', f);
        csv_key(f, sc, &key);
        csv_stats(f, s, k);
        char day[16], clock[48];
        ccs__day_clock(sc, t0, day, sizeof day, clock, sizeof clock);
        fprintf(f, ",%s,%s\n", day, clock);
    }
    return ccs__out_status(f);
}

int ccs_report_replications_csv(FILE *f, const struct ccs_summary *s)
{
    const struct ccs_scenario *sc = ccs_summary_scenario(s);
    const struct ccs_layout *l = ccs_summary_layout(s);
    fputs("replication,scope,queue,segment,group,metric,unit,value\n", f);
    for (uint32_t r = 0; r < ccs_summary_replications(s); r++)
        for (size_t k = 0; k < l->n_whole; k++) {
            fprintf(f, "%u,", r);
            csv_key(f, sc, &l->keys[k]);
            ccs__out_num(f, ccs_summary_value(s, r, k), "");
            fputc('\n', f);
        }
    return ccs__out_status(f);
}

int ccs_report_timeseries_csv(FILE *f, const struct ccs_summary *s)
{
    const struct ccs_scenario *sc = ccs_summary_scenario(s);
    fputs("t_s,scope,queue,group,metric,mean,halfwidth,ci_low,ci_high,day,clock\n", f);
    size_t np = ccs_summary_series_points(s), nc = ccs_summary_series_cols(s);
    for (size_t i = 0; i < np; i++)
        for (size_t j = 0; j < nc; j++) {
            struct ccs_series_col c = ccs_summary_series_col(s, j);
            double m = ccs_summary_series_mean(s, i, j), hw = ccs_summary_series_halfwidth(s, i, j);
            ccs__out_num(f, (double)i * ccs_summary_series_dt(s), "");
            const char *cols[] = {ccs_scope_name((enum ccs_scope)c.scope),
                                  ccs__report_queue_name(sc, c.queue),
                                  ccs__report_group_name(sc, c.group), c.metric};
            for (size_t k = 0; k < sizeof cols / sizeof cols[0]; k++) {
                fputc(',', f);
                ccs__csv_field(f, cols[k]);
            }
            fputc(',', f);
            ccs__out_num(f, m, "");
            csv_ci(f, m, hw);
            char day[16], clock[48];
            ccs__day_clock(sc, (double)i * ccs_summary_series_dt(s), day, sizeof day, clock,
                           sizeof clock);
            fprintf(f, ",%s,%s\n", day, clock);
        }
    return ccs__out_status(f);
}

int ccs_report_waits_csv(FILE *f, const struct ccs_summary *s)
{
    const struct ccs_scenario *sc = ccs_summary_scenario(s);
    enum { CAP = 1024 };
    double x[CAP], cdf[CAP];
    fputs("queue,wait_s,cdf\n", f);
    for (int q = -1; q < (int)sc->n_queues; q++) {
        size_t n = ccs_summary_wait_curve(s, q, x, cdf, CAP);
        for (size_t i = 0; i < n; i++) {
            ccs__csv_field(f, q < 0 ? "" : sc->queues[q].id);
            fputc(',', f);
            ccs__out_num(f, x[i], "");
            fputc(',', f);
            ccs__out_num(f, cdf[i], "");
            fputc('\n', f);
        }
    }
    return ccs__out_status(f);
}

int ccs_report_write_files(struct ccs_outdir *o, const struct ccs_summary *s, struct ccs_diag *d)
{
    static const struct {
        const char *name;
        int (*write)(FILE *, const struct ccs_summary *);
    } files[] = {
        {"summary.csv", ccs_report_summary_csv},
        {"intervals.csv", ccs_report_intervals_csv},
        {"replications.csv", ccs_report_replications_csv},
        {"waits.csv", ccs_report_waits_csv},
        {"timeseries.csv", ccs_report_timeseries_csv},
        {"summary.json", ccs_report_json},
    };
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        if (files[i].write == ccs_report_timeseries_csv && ccs_summary_series_points(s) == 0)
            continue;
        FILE *f = ccs_outdir_file(o, files[i].name, d);
        int wrc = f == NULL ? d->code : files[i].write(f, s);
        if (wrc != 0) {
            if (f != NULL && wrc == CCS_ENOMEM)
                return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
            if (f != NULL)
                ccs_diag_at(d, CCS_EIO, files[i].name, 0, 0, "cannot write");
            return CCS_EIO;
        }
    }
    return 0;
}

int ccs_report_write_dir(const char *dir, const struct ccs_summary *s, struct ccs_diag *d)
{
    struct ccs_outdir *o;
    int rc = ccs_outdir_open(dir, &o, d);
    if (rc)
        return rc;
    if ((rc = ccs_report_write_files(o, s, d)) != 0) {
        ccs_outdir_abort(o);
        return rc;
    }
    return ccs_outdir_commit(o, d);
}

/* --- a trace replayed date by date ----------------------------------------------------- */

static const char *date_of(const struct ccs_summary *s)
{
    const char *t = ccs_scenario_date(ccs_summary_scenario(s));
    return t != NULL ? t : "undated";
}

static const char *weekday_name(const struct ccs_scenario *sc)
{
    static const char *const names[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    return sc->start_day >= 0 && sc->start_day < 7 ? names[sc->start_day] : "";
}

int ccs_report_dates_table(FILE *f, struct ccs_summary *const *per, size_t n,
                           const struct ccs_summary *total)
{
    int rc = ccs_report_table(f, total);
    if (rc != 0)
        return rc;
    static const enum ccs_kpi cols[] = {CCS_KPI_offered, CCS_KPI_abandon_rate,
                                        CCS_KPI_service_level, CCS_KPI_asa, CCS_KPI_occupancy};
    const struct ccs_layout *l = ccs_summary_layout(total);
    long keys[5];
    for (size_t c = 0; c < 5; c++)
        keys[c] = ccs_layout_find(l, CCS_SCOPE_OVERALL, cols[c], -1, -1, -1, -1);
    uint32_t reps = n > 0 ? ccs_summary_replications(per[0]) : 0;
    fprintf(f, "\nPer date (overall; %zu dates, %u replication%s each; the tables above pool "
               "them: means per date)\n",
            n, reps, reps == 1 ? "" : "s");
    fprintf(f, "  %-15s", "date");
    for (size_t c = 0; c < 5; c++)
        fprintf(f, " %22s", ccs_kpi_info(cols[c])->label);
    fputc('\n', f);
    for (size_t k = 0; k < n; k++) {
        fprintf(f, "  %-10s %-4s", date_of(per[k]), weekday_name(ccs_summary_scenario(per[k])));
        for (size_t c = 0; c < 5; c++) {
            char v[48], hw[48], cell[100];
            enum ccs_unit u = ccs_kpi_info(cols[c])->unit;
            if (keys[c] < 0) {
                fprintf(f, " %22s", "-");
                continue;
            }
            fmt_mean_hw(v, sizeof v, hw, sizeof hw, u, ccs_summary_mean(per[k], (size_t)keys[c]),
                        ccs_summary_halfwidth(per[k], (size_t)keys[c]));
            snprintf(cell, sizeof cell, "%s %s", v, hw);
            fprintf(f, " %23s", cell); /* '±' takes two bytes for one column */
        }
        fputc('\n', f);
    }
    return ccs__out_status(f);
}

int ccs_report_dates_json(FILE *f, struct ccs_summary *const *per, size_t n,
                          const struct ccs_summary *total)
{
    fputs("{\"format\": \"ccsim-dates-1\",\n\"dates\": [\n", f);
    for (size_t k = 0; k < n; k++) {
        fprintf(f, "%s{\"date\": \"%s\", \"summary\":\n", k ? ",\n" : "", date_of(per[k]));
        int rc = ccs_report_json(f, per[k]);
        if (rc != 0)
            return rc;
        fputs("}", f);
    }
    fputs("\n],\n\"total\":\n", f);
    int rc = ccs_report_json(f, total);
    if (rc != 0)
        return rc;
    fputs("}\n", f);
    return ccs__out_status(f);
}

int ccs_report_dates_csv(FILE *f, struct ccs_summary *const *per, size_t n,
                         const struct ccs_summary *total)
{
    fputs("date,scope,queue,segment,group,metric,unit,n,mean,sd,halfwidth,ci_low,ci_high\n", f);
    for (size_t k = 0; k <= n; k++) {
        const struct ccs_summary *s = k < n ? per[k] : total;
        const struct ccs_scenario *sc = ccs_summary_scenario(s);
        const struct ccs_layout *l = ccs_summary_layout(s);
        for (size_t j = 0; j < l->n_whole; j++) {
            fprintf(f, "%s,", k < n ? date_of(s) : "all");
            csv_key(f, sc, &l->keys[j]);
            csv_stats(f, s, j);
            fputc('\n', f);
        }
    }
    return ccs__out_status(f);
}

int ccs_report_dates_write_dir(const char *dir, struct ccs_summary *const *per, size_t n,
                               const struct ccs_summary *total, struct ccs_diag *d)
{
    struct ccs_outdir *o;
    int rc = ccs_outdir_open(dir, &o, d);
    if (rc)
        return rc;
    if ((rc = ccs_report_dates_files(o, per, n, total, d)) != 0) {
        ccs_outdir_abort(o);
        return rc;
    }
    return ccs_outdir_commit(o, d);
}

int ccs_report_dates_files(struct ccs_outdir *o, struct ccs_summary *const *per, size_t n,
                           const struct ccs_summary *total, struct ccs_diag *d)
{
    int rc = ccs_report_write_files(o, total, d);
    if (rc != 0)
        return rc;
    FILE *f = ccs_outdir_file(o, "dates.csv", d);
    if (f == NULL)
        return CCS_EIO;
    if (ccs_report_dates_csv(f, per, n, total) != 0)
        return ccs_diag_at(d, CCS_EIO, "dates.csv", 0, 0, "cannot write");
    return 0;
}
