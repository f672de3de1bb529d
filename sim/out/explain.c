/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * explain.c - the narrative of `ccsim run --explain N` (trace.h): the first
 * N things that happen in a run (or from a chosen time), one sentence each, following customers by
 * number and quoting the routing policy's reasons. An arrival and the
 * routing decision made at the same instant read as one sentence, and
 * agents of one group changing state together (the morning login) as one.
 */
#include "ccs/trace.h"
#include "ccs/mem.h"

#include "core/timeconst.h"
#include "fmt/textout.h"

#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#define CB_MEMORY 64 /* callbacks remembered, to say "calls back" */

enum pending { P_NONE, P_ARRIVE, P_AGENTS };

struct ccs_explain {
    FILE *f;
    const struct ccs_scenario *sc;
    const struct ccs_sim *sim;
    double offset; /* clock time of t = 0 */
    double from;   /* narrate events at or after this time */
    bool started;  /* the state at `from` has been told */
    uint64_t max, lines;
    /* a sentence held back until the next event says how it ends */
    enum pending pending;
    double pt;
    uint64_t pcontact;
    char ptext[256];
    const char *assign_reason; /* routing reason of an ASSIGN awaiting its START */
    uint64_t assign_contact;
    bool has_assign;
    /* P_AGENTS: n agents of group pgroup did the same thing (preason) */
    int32_t pgroup, pagent;
    const char *preason;
    uint32_t pn;
    uint64_t cb[CB_MEMORY];
    size_t n_cb;
};

void ccs_explain_clock(double t, double offset, char *buf, size_t cap)
{
    double x = t + offset;
    if (!isfinite(x)) /* +inf too: the clock of a time that cannot be shown is 0 */
        x = 0;
    ccs__clock(buf, cap, x, CCS_CLK_TENTHS | CCS_CLK_HOURS);
}

/* A duration for people: "8.1 s", "2 min 05 s", "1 h 02 min". */
static void duration(double d, char *buf, size_t cap)
{
    if (!(d >= 0))
        d = 0;
    if (d < 59.95) {
        ccs__fixed(buf, cap, d, 1, 0);
        size_t n = strlen(buf);
        snprintf(buf + n, cap - n, " s");
        return;
    }
    const long long min = (long long)CCS_MINUTE, hour = (long long)CCS_HOUR;
    long long s = llround(d);
    if (s < hour)
        snprintf(buf, cap, "%lld min %02lld s", s / min, s % min);
    else
        snprintf(buf, cap, "%lld h %02lld min", s / hour, s / min % 60);
}

int ccs_explain_new(FILE *f, const struct ccs_scenario *sc, uint64_t max_lines,
                    struct ccs_explain **out)
{
    *out = NULL;
    if (max_lines == 0)
        return CCS_EINVAL;
    struct ccs_explain *x = ccs_calloc(1, sizeof *x);
    if (x == NULL)
        return CCS_ENOMEM;
    x->f = f;
    x->sc = sc;
    x->max = max_lines;
    x->offset = ccs_scenario_start_time(sc);
    *out = x;
    return 0;
}

int ccs_explain_from(struct ccs_explain *x, double t)
{
    if (!isfinite(t) || t < 0)
        return CCS_EINVAL;
    x->from = t;
    return 0;
}

void ccs_explain_begin(struct ccs_explain *x, const struct ccs_sim *sim)
{
    x->sim = sim;
    x->started = !(x->from > 0);
}

static void say(struct ccs_explain *x, double t, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
static void say(struct ccs_explain *x, double t, const char *fmt, ...)
{
    if (x->lines >= x->max)
        return;
    char clock[32];
    ccs_explain_clock(t, x->offset, clock, sizeof clock);
    fprintf(x->f, "%s  ", clock);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(x->f, fmt, ap);
    va_end(ap);
    fputc('\n', x->f);
    x->lines++;
}

/* "customer #3" or "customer #3 (vip)" when the queue has segments. */
static void who(const struct ccs_explain *x, const struct ccs_trace_event *e, char *buf,
                size_t cap)
{
    const char *seg = e->queue >= 0 && e->segment >= 0
                          ? ccs_scenario_segment_id(x->sc, (size_t)e->queue, (size_t)e->segment)
                          : NULL;
    if (seg != NULL)
        snprintf(buf, cap, "customer #%llu (%s)", (unsigned long long)e->contact, seg);
    else
        snprintf(buf, cap, "customer #%llu", (unsigned long long)e->contact);
}

static void agent_name(const struct ccs_explain *x, const struct ccs_trace_event *e, char *buf,
                       size_t cap)
{
    const struct ccs_view *v = ccs_sim_view(x->sim);
    snprintf(buf, cap, "%s/%u", ccs_scenario_group_id(x->sc, (size_t)e->group),
             (unsigned)e->agent - v->groups[e->group].first_agent + 1);
}

static const char *queue_name(const struct ccs_explain *x, const struct ccs_trace_event *e)
{
    return ccs_scenario_queue_id(x->sc, (size_t)e->queue);
}

static enum ccs_channel channel_of(const struct ccs_explain *x, int32_t q)
{
    return (enum ccs_channel)ccs_sim_view(x->sim)->queues[q].channel;
}

/* What an agent-state reason means, for one agent and for several. */
static void agent_verb(const char *reason, const char **one, const char **many)
{
    static const struct {
        const char *reason, *one, *many;
    } verbs[] = {
        {"login", "logs in", "log in"},
        {"logout", "logs out", "log out"},
        {"break", "goes on break", "go on break"},
        {"back from break", "is back from break", "are back from break"},
        {"absent today", "is absent today", "are absent today"},
        {"logout waits for its contact (overtime)",
         "stays past the end of its shift to finish its contact",
         "stay past the end of their shift to finish their contacts"},
        {"break slides until its contact ends", "will take its break when its contact ends",
         "will take their breaks when their contacts end"},
    };
    for (size_t i = 0; i < sizeof verbs / sizeof verbs[0]; i++)
        if (reason != NULL && strcmp(reason, verbs[i].reason) == 0) {
            *one = verbs[i].one;
            *many = verbs[i].many;
            return;
        }
    *one = "changes state";
    *many = "change state";
}

static void flush(struct ccs_explain *x)
{
    if (x->pending == P_ARRIVE) {
        say(x, x->pt, "%s.", x->ptext);
    } else if (x->pending == P_AGENTS) {
        const char *one, *many;
        agent_verb(x->preason, &one, &many);
        const char *g = ccs_scenario_group_id(x->sc, (size_t)x->pgroup);
        if (x->pn == 1)
            say(x, x->pt, "agent %s/%d %s.", g, x->pagent, one);
        else
            say(x, x->pt, "%u agents of %s %s.", x->pn, g, many);
    }
    x->pending = P_NONE;
}

static bool called_back(const struct ccs_explain *x, uint64_t contact)
{
    for (size_t i = 0; i < x->n_cb && i < CB_MEMORY; i++)
        if (x->cb[i] == contact)
            return true;
    return false;
}

static void on_arrive(struct ccs_explain *x, const struct ccs_trace_event *e)
{
    char c[96];
    who(x, e, c, sizeof c);
    const char *q = queue_name(x, e);
    uint32_t ahead = ccs_sim_view(x->sim)->queues[e->queue].waiting;
    char queue_note[48];
    if (ahead == 0)
        snprintf(queue_note, sizeof queue_note, "nobody waiting");
    else
        snprintf(queue_note, sizeof queue_note, "%u waiting ahead", ahead);
    const char *verb;
    switch (channel_of(x, e->queue)) {
    case CCS_CH_CHAT:
        verb = "opens a chat in";
        break;
    case CCS_CH_EMAIL:
        verb = "e-mails";
        break;
    case CCS_CH_CALLBACK:
        verb = "asks for a callback from";
        break;
    case CCS_CH_OUTBOUND:
        verb = "is due a call from";
        break;
    default:
        verb = "calls";
        break;
    }
    const char *again = "";
    if (e->reason != NULL && strcmp(e->reason, "redial") == 0)
        again = " again";
    else if (e->reason != NULL)
        again = " again, the issue unresolved";
    snprintf(x->ptext, sizeof x->ptext, "%s %s %s%s (%s)", c, verb, q, again, queue_note);
    x->pending = P_ARRIVE;
    x->pt = e->t;
    x->pcontact = e->contact;
}

static void on_start(struct ccs_explain *x, const struct ccs_trace_event *e)
{
    char a[96], c[96], w[32];
    agent_name(x, e, a, sizeof a);
    who(x, e, c, sizeof c);
    const char *why = x->has_assign && x->assign_contact == e->contact ? x->assign_reason : NULL;
    x->has_assign = false;
    if (x->pending == P_ARRIVE && x->pcontact == e->contact) {
        say(x, x->pt, "%s; agent %s answers at once (%s).", x->ptext, a,
            why != NULL ? why : "routing");
        x->pending = P_NONE;
        return;
    }
    flush(x);
    if (e->reason != NULL && strcmp(e->reason, "dial") == 0) {
        say(x, e->t, "agent %s dials %s: no answer this time.", a, c);
        return;
    }
    duration(e->wait, w, sizeof w);
    if (called_back(x, e->contact))
        say(x, e->t, "agent %s calls %s back, %s after the call came in (%s).", a, c, w,
            why != NULL ? why : "routing");
    else if (e->wait > 0)
        say(x, e->t, "agent %s answers %s after %s waiting (%s).", a, c, w,
            why != NULL ? why : "routing");
    else
        say(x, e->t, "agent %s answers %s at once (%s).", a, c, why != NULL ? why : "routing");
}

/* Where the story picks up: "sales 7 waiting; team 10 of 10 busy". One
   line however many queues and groups (long, but one sentence to read). */
static void tell_state(struct ccs_explain *x)
{
    const struct ccs_view *v = ccs_sim_view(x->sim);
    char clock[32];
    ccs_explain_clock(x->from, x->offset, clock, sizeof clock);
    fprintf(x->f, "%s  the story picks up:", clock);
    for (uint32_t q = 0; q < v->n_queues; q++)
        fprintf(x->f, "%s %s %u waiting", q == 0 ? "" : ",", v->queues[q].id,
                (unsigned)v->queues[q].waiting);
    for (uint32_t g = 0; g < v->n_groups; g++)
        fprintf(x->f, "%s %s %u of %u busy", g == 0 ? ";" : ",", v->groups[g].id,
                (unsigned)v->groups[g].n_busy, (unsigned)v->groups[g].n_present);
    fputs(".\n", x->f);
}

void ccs_explain_event(void *ctx, const struct ccs_trace_event *e)
{
    struct ccs_explain *x = ctx;
    if (x->lines >= x->max)
        return;
    if (!x->started) {
        if (e->t < x->from)
            return;
        x->started = true;
        tell_state(x);
    }
    char a[96], c[96], w[32];
    /* sentences that complete a held one */
    if (x->pending == P_ARRIVE && e->contact == x->pcontact) {
        if (e->kind == CCS_TR_QUEUE) {
            say(x, x->pt, "%s; waits: %s.", x->ptext, e->reason != NULL ? e->reason : "routing");
            x->pending = P_NONE;
            return;
        }
        if (e->kind == CCS_TR_BLOCK) {
            say(x, x->pt, "%s; cannot get in: %s.", x->ptext,
                e->reason != NULL ? e->reason : "refused");
            x->pending = P_NONE;
            return;
        }
    }
    if (e->kind == CCS_TR_ASSIGN) {
        /* said with the START that follows it at once */
        x->has_assign = true;
        x->assign_contact = e->contact;
        x->assign_reason = e->reason;
        return;
    }
    if (e->kind == CCS_TR_START) {
        on_start(x, e);
        return;
    }
    if (e->kind == CCS_TR_AGENT) {
        if (x->pending == P_AGENTS && x->pt == e->t && x->pgroup == e->group &&
            ((x->preason == NULL) == (e->reason == NULL)) &&
            (e->reason == NULL || strcmp(x->preason, e->reason) == 0)) {
            x->pn++;
            return;
        }
        flush(x);
        const struct ccs_view *v = ccs_sim_view(x->sim);
        x->pending = P_AGENTS;
        x->pt = e->t;
        x->pgroup = e->group;
        x->pagent = (int32_t)((uint32_t)e->agent - v->groups[e->group].first_agent + 1);
        x->preason = e->reason;
        x->pn = 1;
        return;
    }
    flush(x);
    switch (e->kind) {
    case CCS_TR_ARRIVE:
        on_arrive(x, e);
        return;
    case CCS_TR_QUEUE:
        who(x, e, c, sizeof c);
        say(x, e->t, "%s waits in %s: %s.", c, queue_name(x, e),
            e->reason != NULL ? e->reason : "routing");
        return;
    case CCS_TR_BLOCK:
        who(x, e, c, sizeof c);
        say(x, e->t, "%s cannot get into %s: %s.", c, queue_name(x, e),
            e->reason != NULL ? e->reason : "refused");
        return;
    case CCS_TR_ABANDON:
        who(x, e, c, sizeof c);
        duration(e->wait, w, sizeof w);
        say(x, e->t, "%s %s after %s waiting.", c,
            channel_of(x, e->queue) == CCS_CH_CHAT ? "leaves the chat" : "hangs up", w);
        return;
    case CCS_TR_MESSAGE:
        who(x, e, c, sizeof c);
        duration(e->wait, w, sizeof w);
        say(x, e->t, "%s leaves a message after %s waiting.", c, w);
        return;
    case CCS_TR_DISCONNECT:
        who(x, e, c, sizeof c);
        if (e->reason != NULL) { /* it entered a queue already closed (closes_at) */
            say(x, e->t, "%s is disconnected: %s is closed.", c, queue_name(x, e));
            return;
        }
        duration(e->wait, w, sizeof w);
        say(x, e->t, "%s queue closes: %s is disconnected after %s waiting.", queue_name(x, e),
            c, w);
        return;
    case CCS_TR_TALK_END:
        agent_name(x, e, a, sizeof a);
        who(x, e, c, sizeof c);
        say(x, e->t, "agent %s finishes with %s.", a, c);
        return;
    case CCS_TR_WRAP_END:
        agent_name(x, e, a, sizeof a);
        who(x, e, c, sizeof c);
        say(x, e->t, "agent %s has done the after-call work for %s.", a, c);
        return;
    case CCS_TR_CALLBACK:
        who(x, e, c, sizeof c);
        if (x->n_cb < CB_MEMORY)
            x->cb[x->n_cb++] = e->contact;
        say(x, e->t, "%s accepts a callback and hangs up (%s).", c,
            e->reason != NULL && strcmp(e->reason, "scheduled") == 0 ? "called back later"
                                                                      : "keeps its place in line");
        return;
    case CCS_TR_DIAL_FAIL:
        agent_name(x, e, a, sizeof a);
        who(x, e, c, sizeof c);
        say(x, e->t, "agent %s's dial did not reach %s.", a, c);
        return;
    case CCS_TR_TRANSFER:
        who(x, e, c, sizeof c);
        say(x, e->t, "the conversation moves to %s as %s (%s transfer).", queue_name(x, e), c,
            e->reason != NULL ? e->reason : "cold");
        return;
    case CCS_TR_RETURN:
        who(x, e, c, sizeof c);
        say(x, e->t, "%s is back in the line of %s.", c, queue_name(x, e));
        return;
    case CCS_TR_GIVE_UP:
        who(x, e, c, sizeof c);
        say(x, e->t, "%s is given up after the last dial.", c);
        return;
    case CCS_TR_REDIAL:
        who(x, e, c, sizeof c);
        duration(e->wait, w, sizeof w);
        say(x, e->t, "%s will call %s again in %s.", c, queue_name(x, e), w);
        return;
    case CCS_TR_REPEAT:
        who(x, e, c, sizeof c);
        duration(e->wait, w, sizeof w);
        say(x, e->t, "%s's issue is not resolved: will contact %s again in %s.", c,
            queue_name(x, e), w);
        return;
    default:
        say(x, e->t, "%s.", ccs_trace_kind_name(e->kind));
        return;
    }
}

uint64_t ccs_explain_finish(struct ccs_explain *x)
{
    flush(x);
    return x->lines;
}

void ccs_explain_free(struct ccs_explain *x)
{
    free(x);
}
