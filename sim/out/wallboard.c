/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * wallboard.c - the live monitor of `ccsim watch`: counts the day's
 * outcomes from the engine's trace, reads waiting contacts and agent states
 * from the view, samples queue lengths once a simulated minute, and renders
 * it all as text. No terminal code here: see sim/app/cmd_watch.c.
 */
#include "ccs/wallboard.h"

#include "ccs/kpi.h"
#include "ccs/live.h"
#include "core/grow.h"
#include "core/timeconst.h"
#include "fmt/textout.h"
#include "model/scenario.h"
#include "ccs/mem.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- counting ------------------------------------------------------------------ */

static void count_event(struct ccs_wb_queue *q, const struct ccs_trace_event *e,
                        double within);

static void on_trace(void *ctx, const struct ccs_trace_event *e)
{
    struct ccs_wallboard *wb = ctx;
    if (wb->logging) {
        if (wb->n_log < CCS_WB_LOG)
            wb->log[wb->n_log++] = *e; /* reason is static text: safe to keep */
        wb->n_logged++;
    }
    if (e->queue < 0 || (uint32_t)e->queue >= wb->n_queues)
        return;
    const struct ccs_view *v = wb->view;
    double within = v->lines[v->queues[e->queue].first_line + (uint32_t)e->segment].sla_within;
    count_event(&wb->queues[e->queue], e, within);
    uint32_t f = wb->seg_first[e->queue];
    if (f != UINT32_MAX && e->segment >= 0)
        count_event(&wb->segs[f + (uint32_t)e->segment], e, within);
}

/* Count one outcome in a row; within is the contact's own threshold T. */
static void count_event(struct ccs_wb_queue *q, const struct ccs_trace_event *e, double within)
{
    switch (e->kind) {
    case CCS_TR_ARRIVE:
    case CCS_TR_TRANSFER: /* the new leg enters its queue */
        q->offered++;
        break;
    case CCS_TR_START:
        if (isnan(e->wait))
            break; /* a dial that will not connect: not an answer */
        q->answered++;
        q->ans_within += e->wait <= within;
        q->wait_answered += e->wait;
        break;
    case CCS_TR_ABANDON:
        q->abandoned++;
        q->ab_within += e->wait <= within;
        break;
    case CCS_TR_MESSAGE:
        q->messages++;
        q->msg_within += e->wait <= within;
        break;
    case CCS_TR_DISCONNECT:
        q->disconnected++;
        break;
    case CCS_TR_BLOCK:
        q->blocked++;
        break;
    case CCS_TR_GIVE_UP:
        q->failed++;
        break;
    default:
        break;
    }
}

double ccs_wb_sl(const struct ccs_wallboard *wb, uint32_t q)
{
    return ccs_wb_row_sl(wb, &wb->queues[q]);
}

double ccs_wb_row_sl(const struct ccs_wallboard *wb, const struct ccs_wb_queue *x)
{
    /* the contacts whose outcome is known stand for "offered": at the end
       of a drained day they are all of them, and the value is the KPI's */
    double decided =
        (double)(x->answered + x->abandoned + x->messages + x->disconnected + x->blocked +
                 x->failed);
    double num = (double)x->ans_within, den;
    switch (wb->sl_def) {
    case CCS_SL_ANSWERED:
        den = (double)x->answered;
        break;
    case CCS_SL_NO_SHORT_AB:
        den = decided - (double)x->ab_within;
        break;
    case CCS_SL_HANDLED:
        den = (double)(x->answered + x->abandoned - x->ab_within + x->messages +
                       x->disconnected);
        break;
    case CCS_SL_ALL: /* a message, like an abandon, meets T if it left within T */
        num += (double)(x->ab_within + x->msg_within);
        den = decided - (double)x->blocked;
        break;
    case CCS_SL_OFFERED:
    default:
        den = decided;
        break;
    }
    return den > 0 ? num / den : NAN;
}

double ccs_wb_asa(const struct ccs_wallboard *wb, uint32_t q)
{
    const struct ccs_wb_queue *x = &wb->queues[q];
    return x->answered > 0 ? x->wait_answered / (double)x->answered : NAN;
}

/* --- reading the view ------------------------------------------------------------ */

/* How engaged an agent is with one contact in hand; the board shows the
   most engaged of its contacts (a chat agent talking on one and wrapping up
   another is talking). */
static enum ccs_wb_agent contact_activity(const struct ccs_contact *c)
{
    if (c->state == CCS_C_WRAP)
        return CCS_WB_WRAP;
    if (c->flags & CCS_CF_HOLDING)
        return CCS_WB_HOLD;
    if (c->flags & (CCS_CF_NOREACH | CCS_CF_OUTBOUND | CCS_CF_CALLBACK))
        return CCS_WB_OUT;
    return CCS_WB_TALK;
}

static void count_agents(struct ccs_wallboard *wb)
{
    const struct ccs_view *v = wb->view;
    if (v->n_agents > wb->rank_cap) {
        /* agents added while running (ccs/live.h) */
        size_t cap = wb->rank_cap;
        if (CCS_GROW(wb->rank, cap, v->n_agents) != 0) {
            wb->status = CCS_ENOMEM;
            return;
        }
        wb->rank_cap = cap > UINT32_MAX ? UINT32_MAX : (uint32_t)cap;
    }
    /* rank[a]: the most engaged activity found so far (CCS_WB_COUNT_: none) */
    memset(wb->rank, CCS_WB_COUNT_, v->n_agents);
    for (uint32_t i = 0; i < v->n_contacts; i++) {
        const struct ccs_contact *c = &v->contacts[i];
        if ((c->state != CCS_C_TALK && c->state != CCS_C_WRAP) || c->agent >= v->n_agents)
            continue;
        enum ccs_wb_agent s = contact_activity(c);
        if ((uint8_t)s < wb->rank[c->agent])
            wb->rank[c->agent] = (uint8_t)s;
    }
    for (uint32_t g = 0; g < wb->n_groups; g++)
        memset(wb->groups[g].count, 0, sizeof wb->groups[g].count);
    for (uint32_t a = 0; a < v->n_agents; a++) {
        const struct ccs_agent *ag = &v->agents[a];
        enum ccs_wb_agent s;
        switch (ag->state) {
        case CCS_A_ABSENT:
            s = CCS_WB_OFF;
            break;
        case CCS_A_BREAK:
            s = CCS_WB_BREAK;
            break;
        case CCS_A_BUSY:
            s = wb->rank[a] < CCS_WB_COUNT_ ? (enum ccs_wb_agent)wb->rank[a] : CCS_WB_TALK;
            break;
        case CCS_A_IDLE:
        default:
            s = CCS_WB_IDLE;
            break;
        }
        wb->groups[ag->group].count[s]++;
    }
    for (uint32_t g = 0; g < wb->n_groups; g++) {
        wb->groups[g].agents = 0;
        for (int s = 0; s < CCS_WB_COUNT_; s++)
            wb->groups[g].agents += wb->groups[g].count[s];
    }
}

/* Row i: the queues' rows, then the segments'. */
static struct ccs_wb_queue *row(struct ccs_wallboard *wb, uint32_t i)
{
    return i < wb->n_queues ? &wb->queues[i] : &wb->segs[i - wb->n_queues];
}

/* Contacts waiting now in a row's lines. */
static uint32_t row_waiting(const struct ccs_wallboard *wb, const struct ccs_wb_queue *x)
{
    uint32_t n = 0;
    for (uint32_t l = x->first_line; l < x->first_line + x->n_lines; l++)
        n += wb->view->lines[l].count;
    return n;
}

static void read_queues(struct ccs_wallboard *wb)
{
    const struct ccs_view *v = wb->view;
    for (uint32_t i = 0; i < wb->n_queues + wb->n_segs; i++) {
        struct ccs_wb_queue *x = row(wb, i);
        double first = INFINITY;
        for (uint32_t l = x->first_line; l < x->first_line + x->n_lines; l++)
            if (v->lines[l].head != CCS_NONE && v->contacts[v->lines[l].head].arrived < first)
                first = v->contacts[v->lines[l].head].arrived;
        x->waiting = row_waiting(wb, x);
        x->oldest = first < INFINITY && wb->now > first ? wb->now - first : 0;
    }
}

/* Bring the snapshot up to date with the view at the board's clock. */
static void refresh(struct ccs_wallboard *wb)
{
    read_queues(wb);
    count_agents(wb);
}

/* --- history --------------------------------------------------------------------- */

static void push_column(struct ccs_wallboard *wb, const uint32_t *waiting)
{
    for (uint32_t q = 0; q < wb->n_queues + wb->n_segs; q++) {
        struct ccs_wb_queue *x = row(wb, q);
        if (x->n_hist == CCS_WB_HIST) {
            memmove(x->hist, x->hist + 1, (CCS_WB_HIST - 1) * sizeof x->hist[0]);
            x->n_hist--;
        }
        x->hist[x->n_hist++] = waiting[q];
    }
    wb->next_sample += CCS_WB_HIST_STEP;
}

/* The waiting counts right now, into wb->scratch. */
static const uint32_t *waiting_now(struct ccs_wallboard *wb)
{
    for (uint32_t i = 0; i < wb->n_queues + wb->n_segs; i++)
        wb->scratch[i] = row_waiting(wb, row(wb, i));
    return wb->scratch;
}

/* --- driving ---------------------------------------------------------------------- */

static void day_over(struct ccs_wallboard *wb)
{
    wb->sim_done = true;
    /* without drain the day ends at the horizon; with it, once the last
       contact is served (never before the horizon) */
    double last = ccs_sim_now(wb->sim);
    wb->end = wb->sc->drain && last > wb->horizon ? last : wb->horizon;
}

/* Engine to t (events before t), clock to t but not past the end. */
static int run_to(struct ccs_wallboard *wb, double t)
{
    if (!wb->sim_done) {
        int rc = ccs_sim_run_until(wb->sim, t);
        if (rc < 0)
            return wb->status = rc;
        if (rc == 0)
            day_over(wb);
    }
    if (t > wb->now)
        wb->now = t;
    if (wb->sim_done && wb->now >= wb->end) {
        wb->now = wb->end;
        wb->status = 0;
    }
    return wb->status;
}

int ccs_wb_advance(struct ccs_wallboard *wb, double t)
{
    wb->n_log = wb->n_logged = 0;
    while (wb->status > 0 && wb->next_sample <= t) {
        double b = wb->next_sample;
        if (run_to(wb, b) < 0)
            return wb->status;
        if (wb->now < b)
            break; /* the day ended before b */
        push_column(wb, waiting_now(wb));
    }
    if (wb->status > 0)
        run_to(wb, t);
    refresh(wb);
    return wb->status;
}

int ccs_wb_step(struct ccs_wallboard *wb)
{
    if (wb->status <= 0)
        return wb->status;
    if (wb->sim_done)
        return ccs_wb_advance(wb, wb->end);
    /* the columns between now and the event show the state before it */
    const uint32_t *before = waiting_now(wb);
    wb->n_log = wb->n_logged = 0;
    wb->logging = true;
    int rc = ccs_sim_step(wb->sim);
    wb->logging = false;
    wb->steps++;
    if (rc < 0)
        return wb->status = rc;
    double t;
    if (rc == 0) {
        day_over(wb);
        t = wb->end;
    } else {
        t = ccs_sim_now(wb->sim);
    }
    while (wb->next_sample <= t)
        push_column(wb, before);
    if (t > wb->now)
        wb->now = t;
    if (wb->sim_done && wb->now >= wb->end)
        wb->status = 0;
    refresh(wb);
    return wb->status;
}

int ccs_wb_new(struct ccs_sim *sim, const struct ccs_scenario *sc, struct ccs_wallboard **out)
{
    *out = NULL;
    struct ccs_wallboard *wb = ccs_calloc(1, sizeof *wb);
    if (wb == NULL)
        return CCS_ENOMEM;
    wb->sim = sim;
    wb->sc = sc;
    wb->view = ccs_sim_view(sim);
    wb->start_time = sc->start_time;
    wb->horizon = sc->horizon;
    wb->sl_def = sc->sl_def;
    for (size_t q = 0; q < sc->n_queues; q++)
        wb->messages |= sc->queues[q].message_after > 0;
    wb->status = 1;
    wb->now = 0;
    wb->next_sample = CCS_WB_HIST_STEP;
    wb->n_queues = wb->view->n_queues;
    wb->n_groups = wb->view->n_groups;
    wb->n_segs = 0;
    for (uint32_t q = 0; q < wb->n_queues; q++)
        if (wb->view->queues[q].n_lines > 1)
            wb->n_segs += wb->view->queues[q].n_lines;
    wb->queues = ccs_calloc(wb->n_queues, sizeof *wb->queues);
    wb->segs = ccs_calloc(wb->n_segs ? wb->n_segs : 1, sizeof *wb->segs);
    wb->seg_first = ccs_calloc(wb->n_queues ? wb->n_queues : 1, sizeof *wb->seg_first);
    wb->groups = ccs_calloc(wb->n_groups, sizeof *wb->groups);
    wb->rank = ccs_malloc(wb->view->n_agents + 1);
    wb->rank_cap = wb->view->n_agents + 1;
    wb->scratch = ccs_calloc(wb->n_queues + wb->n_segs + 1, sizeof *wb->scratch);
    if (wb->queues == NULL || wb->segs == NULL || wb->seg_first == NULL || wb->groups == NULL ||
        wb->rank == NULL || wb->scratch == NULL) {
        ccs_wb_free(wb);
        return CCS_ENOMEM;
    }
    for (uint32_t q = 0; q < wb->n_queues; q++) {
        struct ccs_wb_queue *x = &wb->queues[q];
        x->id = wb->view->queues[q].id;
        x->campaign = sc->queues[q].campaign.on;
        x->closing = sc->queues[q].close_disconnect;
        /* a campaign's list enters its queue whole when the day starts,
           untraced: its records are offered from the start */
        if (x->campaign)
            x->offered = sc->queues[q].campaign.records;
        x->sla_target = wb->view->queues[q].sla_target;
        x->sla_within = wb->view->queues[q].sla_within;
        x->first_line = wb->view->queues[q].first_line;
        x->n_lines = wb->view->queues[q].n_lines;
    }
    for (uint32_t q = 0, k = 0; q < wb->n_queues; q++) {
        const struct ccs_queue *vq = &wb->view->queues[q];
        wb->seg_first[q] = vq->n_lines > 1 ? k : UINT32_MAX;
        for (uint32_t l = vq->first_line; vq->n_lines > 1 && l < vq->first_line + vq->n_lines;
             l++, k++) {
            struct ccs_wb_queue *x = &wb->segs[k];
            const struct ccs_line *line = &wb->view->lines[l];
            x->id = ccs_scenario_segment_id(sc, q, l - vq->first_line);
            x->segment = true;
            x->campaign = wb->queues[q].campaign;
            x->sla_target = line->sla_target;
            x->sla_within = line->sla_within;
            x->first_line = l;
            x->n_lines = 1;
        }
    }
    for (uint32_t g = 0; g < wb->n_groups; g++) {
        wb->groups[g].id = wb->view->groups[g].id;
        wb->groups[g].agents = wb->view->groups[g].n_agents;
    }
    ccs_sim_set_trace(sim, on_trace, wb);
    refresh(wb);
    *out = wb;
    return 0;
}

void ccs_wb_free(struct ccs_wallboard *wb)
{
    if (wb == NULL)
        return;
    if (wb->sim != NULL)
        ccs_sim_set_trace(wb->sim, NULL, NULL);
    free(wb->queues);
    free(wb->segs);
    free(wb->seg_first);
    free(wb->groups);
    free(wb->rank);
    free(wb->scratch);
    free(wb);
}

/* --- rendering ----------------------------------------------------------------------- */

struct out {
    void (*emit)(void *ctx, enum ccs_wb_line kind, const char *text);
    void *ctx;
    int width;
};

#if defined(__GNUC__)
__attribute__((format(printf, 3, 4)))
#endif
static void line(const struct out *o, enum ccs_wb_line kind, const char *fmt, ...);

static void line(const struct out *o, enum ccs_wb_line kind, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    size_t w = o->width > 0 && (size_t)o->width < sizeof buf ? (size_t)o->width : sizeof buf - 1;
    if (strlen(buf) > w)
        buf[w] = '\0';
    /* no trailing blanks: plain snapshots diff cleanly */
    size_t n = strlen(buf);
    while (n > 0 && buf[n - 1] == ' ')
        buf[--n] = '\0';
    o->emit(o->ctx, kind, buf);
}

void ccs_wb_clock(const struct ccs_wallboard *wb, double t, char *buf, size_t cap)
{
    /* a ticking clock: the second that has begun */
    ccs__clock(buf, cap, wb->start_time + t, CCS_CLK_HMS | CCS_CLK_FLOOR | CCS_CLK_DAY_AFTER);
}

/* A wait: "0:42", "12:05", "1:02:10" (the seconds waited so far). */
static void fmt_wait(double s, char *buf, size_t cap)
{
    ccs__clock(buf, cap, s, CCS_CLK_SPAN | CCS_CLK_FLOOR);
}

/* A threshold: "20s", "2m", "1m30s", "4h". */
static void fmt_dur(double s, char *buf, size_t cap)
{
    const long long min = (long long)CCS_MINUTE, hour = (long long)CCS_HOUR;
    long long x = (long long)llround(s);
    if (x % hour == 0 && x > 0)
        snprintf(buf, cap, "%lldh", x / hour);
    else if (x % min == 0 && x > 0)
        snprintf(buf, cap, "%lldm", x / min);
    else if (x > min)
        snprintf(buf, cap, "%lldm%llds", x / min, x % min);
    else
        snprintf(buf, cap, "%llds", x);
}

/* The definition's formula as docs/kpis.md gives it, with messages where
   the scenario lets callers leave one. */
static const char *sl_formula(enum ccs_sl_def d, bool messages)
{
    if (messages && d == CCS_SL_HANDLED)
        return "answered within T / (answered + abandoned after T + messages)";
    if (messages && d == CCS_SL_ALL)
        return "(answered + abandoned within T + messages within T) / (offered - blocked)";
    switch (d) {
    case CCS_SL_ANSWERED:
        return "answered within T / answered";
    case CCS_SL_NO_SHORT_AB:
        return "answered within T / (offered - abandoned within T)";
    case CCS_SL_HANDLED:
        return "answered within T / (answered + abandoned after T)";
    case CCS_SL_ALL:
        return "(answered + abandoned within T) / (offered - blocked)";
    case CCS_SL_OFFERED:
    default:
        return "answered within T / offered";
    }
}

/* One character per history column: blank for 0, then 9 steps up to the
   window's maximum. ASCII, so any terminal and any pipe shows it. */
static void sparkline(const struct ccs_wb_queue *x, uint32_t max, char *buf)
{
    static const char ramp[] = " .:-=+*#%@";
    size_t pad = CCS_WB_HIST - x->n_hist;
    memset(buf, ' ', CCS_WB_HIST);
    for (uint32_t i = 0; i < x->n_hist; i++) {
        uint32_t v = x->hist[i];
        int level = v == 0 || max == 0 ? 0 : (int)((v * 9ull + max - 1) / max);
        buf[pad + i] = ramp[level > 9 ? 9 : level];
    }
    buf[CCS_WB_HIST] = '\0';
}

static void status_words(const struct ccs_wallboard *wb, const struct ccs_wb_status *st,
                         char *buf, size_t cap)
{
    if (wb->status < 0)
        snprintf(buf, cap, "STOPPED: engine error");
    else if (wb->status == 0)
        snprintf(buf, cap, "END OF DAY");
    else if (st->paused && wb->steps > 0)
        snprintf(buf, cap, "PAUSED, %llu step%s", (unsigned long long)wb->steps,
                 wb->steps == 1 ? "" : "s");
    else if (st->paused)
        snprintf(buf, cap, "PAUSED");
    else if (wb->now >= wb->horizon)
        snprintf(buf, cap, "closed, serving the last contacts");
    else
        snprintf(buf, cap, "running");
}

/* What the last step did, one line per trace event. */
static void render_step(const struct ccs_wallboard *wb, const struct out *o)
{
    line(o, CCS_WB_L_TEXT, "%s", "");
    if (wb->n_log == 0) {
        line(o, CCS_WB_L_HEAD, "Last step: %s", wb->status > 0 ? "an internal event (no contact "
                                                               "or agent changed)" : "the end");
        return;
    }
    char clock[32];
    ccs_wb_clock(wb, wb->log[0].t, clock, sizeof clock);
    line(o, CCS_WB_L_HEAD, "Last step, at %s:", clock);
    for (uint32_t i = 0; i < wb->n_log; i++) {
        const struct ccs_trace_event *e = &wb->log[i];
        char who[96] = "", agent[96] = "", wait[64] = "";
        if (e->contact > 0)
            snprintf(who, sizeof who, " contact %llu", (unsigned long long)e->contact);
        if (e->queue >= 0 && (uint32_t)e->queue < wb->n_queues)
            snprintf(who + strlen(who), sizeof who - strlen(who), " (%s)", wb->queues[e->queue].id);
        if (e->agent >= 0 && e->group >= 0 && (uint32_t)e->group < wb->n_groups)
            snprintf(agent, sizeof agent, " agent %d of %s", (int)e->agent,
                     wb->groups[e->group].id);
        if (!isnan(e->wait)) {
            char w[48];
            fmt_wait(e->wait, w, sizeof w);
            snprintf(wait, sizeof wait, " after %s", w);
        }
        line(o, CCS_WB_L_TEXT, "  %-9s%s%s%s%s%s", ccs_trace_kind_name(e->kind), who, agent, wait,
             e->reason ? ": " : "", e->reason ? e->reason : "");
    }
    if (wb->n_logged > wb->n_log)
        line(o, CCS_WB_L_TEXT, "  ... and %u more", wb->n_logged - wb->n_log);
}

/* Segment rows of queue q (0 for a queue with a single segment). */
static uint32_t segments(const struct ccs_wallboard *wb, uint32_t q)
{
    return wb->seg_first[q] == UINT32_MAX ? 0 : wb->view->queues[q].n_lines;
}

/* A row's name: a queue's id, or its segment's indented under it. */
static const char *row_name(const struct ccs_wb_queue *x, char *buf, size_t cap)
{
    if (!x->segment)
        return x->id;
    snprintf(buf, cap, "  %s", x->id);
    return buf;
}

static void render_queue(const struct ccs_wallboard *wb, const struct out *o,
                         const struct ccs_wb_queue *x)
{
    char oldest[48], sl[16], target[96], within[48], name[64];
    fmt_wait(x->oldest, oldest, sizeof oldest);
    double v = ccs_wb_row_sl(wb, x);
    bool show = !x->campaign && !isnan(v);
    if (show) {
        ccs__fixed(sl, sizeof sl - 1, 100 * v, 1, 0); /* room for the '%' */
        strcat(sl, "%");
    } else {
        snprintf(sl, sizeof sl, "-");
    }
    fmt_dur(x->sla_within, within, sizeof within);
    if (x->campaign)
        snprintf(target, sizeof target, "-");
    else
        snprintf(target, sizeof target, "%g%% in %s", 100 * x->sla_target, within);
    bool low = show && v < x->sla_target;
    line(o, low ? CCS_WB_L_ALERT : CCS_WB_L_TEXT, "%-14.14s %7u %7s %7llu %8llu %9llu %9s %s%s",
         row_name(x, name, sizeof name), x->waiting, oldest, (unsigned long long)x->offered,
         (unsigned long long)x->answered, (unsigned long long)x->abandoned, sl, target,
         low ? " !" : "");
}

/* Queues that cut off their waiting callers when they close (at_close:
   disconnect): how many so far, on one line under the table (the serve
   page's "disconnected"; a column would pass 80 characters). */
static void render_cut_off(const struct ccs_wallboard *wb, const struct out *o)
{
    char text[256];
    size_t len = 0;
    for (uint32_t q = 0; q < wb->n_queues && len < sizeof text; q++) {
        const struct ccs_wb_queue *x = &wb->queues[q];
        if (x->closing)
            len += (size_t)snprintf(text + len, sizeof text - len, "%s %s %llu",
                                    len ? "," : "Cut off at closing:", x->id,
                                    (unsigned long long)x->disconnected);
    }
    if (len > 0)
        line(o, CCS_WB_L_TEXT, "%s", text);
}

static void render_history(const struct out *o, const struct ccs_wb_queue *x)
{
    uint32_t max = 0;
    for (uint32_t i = 0; i < x->n_hist; i++)
        if (x->hist[i] > max)
            max = x->hist[i];
    char spark[CCS_WB_HIST + 1], name[64];
    sparkline(x, max, spark);
    line(o, CCS_WB_L_TEXT, "%-14.14s |%s|  max %u", row_name(x, name, sizeof name), spark, max);
}

void ccs_wb_render(const struct ccs_wallboard *wb, const struct ccs_wb_status *st, int width,
                    void (*emit)(void *ctx, enum ccs_wb_line kind, const char *text), void *ctx)
{
    struct out o = {emit, ctx, width};
    char clock[32], close[32], speed[32], state[64];
    ccs_wb_clock(wb, wb->now, clock, sizeof clock);
    ccs_wb_clock(wb, wb->horizon, close, sizeof close);
    if (st->speed > 0)
        snprintf(speed, sizeof speed, "speed x%g", st->speed);
    else
        snprintf(speed, sizeof speed, "speed max");
    status_words(wb, st, state, sizeof state);

    line(&o, CCS_WB_L_TITLE, "ccsim watch: %s   policy %s   seed %llu", ccs_scenario_name(wb->sc),
         ccs_live_policy(wb->sim)->name, (unsigned long long)st->seed);
    line(&o, CCS_WB_L_TITLE, "Clock %s   %s   %s   (closes %s)", clock, speed, state, close);
    line(&o, CCS_WB_L_TEXT, "SL so far = %s, over contacts with an outcome",
         sl_formula(wb->sl_def, wb->messages));
    line(&o, CCS_WB_L_TEXT, "%s", "");

    line(&o, CCS_WB_L_HEAD, "%-14s %7s %7s %7s %8s %9s %9s %s", "Queue", "Waiting", "Oldest",
         "Offered", "Answered", "Abandoned", "SL so far", "Target");
    for (uint32_t q = 0; q < wb->n_queues; q++) {
        render_queue(wb, &o, &wb->queues[q]);
        for (uint32_t k = 0; k < segments(wb, q); k++)
            render_queue(wb, &o, &wb->segs[wb->seg_first[q] + k]);
    }
    render_cut_off(wb, &o);
    line(&o, CCS_WB_L_TEXT, "%s", "");

    line(&o, CCS_WB_L_HEAD, "Waiting, last %d min (a column a minute, scaled to the row's max)",
         (int)(CCS_WB_HIST * CCS_WB_HIST_STEP / CCS_MINUTE));
    for (uint32_t q = 0; q < wb->n_queues; q++) {
        render_history(&o, &wb->queues[q]);
        for (uint32_t k = 0; k < segments(wb, q); k++)
            render_history(&o, &wb->segs[wb->seg_first[q] + k]);
    }
    line(&o, CCS_WB_L_TEXT, "%s", "");

    line(&o, CCS_WB_L_HEAD, "%-14s %7s %5s %5s %8s %5s %7s %5s %5s", "Group", "Staffed", "Idle",
         "Talk", "Outbound", "Hold", "Wrap-up", "Break", "Off");
    for (uint32_t g = 0; g < wb->n_groups; g++) {
        const struct ccs_wb_group *x = &wb->groups[g];
        const uint32_t *n = x->count;
        line(&o, CCS_WB_L_TEXT, "%-14.14s %7u %5u %5u %8u %5u %7u %5u %5u%s", x->id,
             x->agents - n[CCS_WB_OFF], n[CCS_WB_IDLE], n[CCS_WB_TALK], n[CCS_WB_OUT],
             n[CCS_WB_HOLD], n[CCS_WB_WRAP], n[CCS_WB_BREAK], n[CCS_WB_OFF],
             st->live && wb->status > 0 && g == st->group ? "  < a/r" : "");
    }
    if (st->live && wb->steps > 0 && st->paused)
        render_step(wb, &o);
    if (st->live) {
        line(&o, CCS_WB_L_TEXT, "%s", "");
        if (wb->status <= 0)
            line(&o, CCS_WB_L_HINT, "%s", "end of day - press q to quit");
        else {
            /* the live changes (ccs/live.h), then the clock's keys, last */
            line(&o, CCS_WB_L_HINT, "change: g next group  a/r add/remove an agent  o next "
                                    "policy%s%s",
                 st->note ? "   " : "", st->note ? st->note : "");
            line(&o, CCS_WB_L_HINT, "%s",
                 "keys: space/p pause  s/n step (paused)  + ] faster  - [ slower  q quit");
        }
    }
}
