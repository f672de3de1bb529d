/*
 * engine.c - the discrete-event engine: contacts arrive, the routing policy
 * decides, the engine applies the decision (after checking it is legal),
 * services end, waiting contacts abandon. Statistics are streamed to acc.c.
 * See docs/engine.md for the event order and the run semantics.
 */
#include "model/engine.h"

#include "ccs/error.h"
#include "core/rng.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- faults: a policy made an illegal decision, or memory ran out ----------- */

static void fault(struct ccs_sim *sim, int code, const char *fmt, ...)
{
    if (sim->status != 0)
        return;
    sim->status = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(sim->fault, sizeof sim->fault, fmt, ap);
    va_end(ap);
}

static void push(struct ccs_sim *sim, double t, enum ccs_ev_kind k, uint32_t obj, uint32_t gen)
{
    if (ccs__eventq_push(&sim->evq, t, (unsigned)k, obj, gen) != 0)
        fault(sim, CCS_ENOMEM, "out of memory (event list)");
}

/* --- tracing ------------------------------------------------------------------ */

static void trace_emit(struct ccs_sim *sim, enum ccs_trace_kind k, const struct ccs_contact *c,
                       uint32_t agent, double wait, const char *reason)
{
    struct ccs_trace_event e;
    e.t = sim->now;
    e.kind = k;
    e.contact = c != NULL ? c->serial : 0;
    e.queue = c != NULL ? (int32_t)c->queue : -1;
    e.segment = c != NULL ? (int32_t)c->segment : -1;
    e.agent = agent != CCS_NONE ? (int32_t)agent : -1;
    e.group = agent != CCS_NONE ? (int32_t)sim->agents[agent].group : -1;
    e.wait = wait;
    e.reason = reason;
    sim->trace(sim->trace_ctx, &e);
}

/* Tracing costs one branch when off. */
#define TRACE(sim, ...)                      \
    do {                                     \
        if ((sim)->trace != NULL)            \
            trace_emit((sim), __VA_ARGS__);  \
    } while (0)

const char *ccs_trace_kind_name(enum ccs_trace_kind k)
{
    static const char *const names[] = {"arrive",   "assign",   "queue",    "block", "start",
                                        "abandon",  "talk_end", "wrap_end", "agent"};
    return (unsigned)k < CCS_TR_COUNT_ ? names[k] : "?";
}

void ccs_sim_set_trace(struct ccs_sim *sim,
                       void (*fn)(void *ctx, const struct ccs_trace_event *e), void *ctx)
{
    sim->trace = fn;
    sim->trace_ctx = ctx;
}

/* --- the wait predictor --------------------------------------------------------- */

/*
 * Queue q's contacts are served as eligible agents free up. Each busy slot of
 * an eligible group frees after the group's recent mean holding time (talk +
 * wrap-up, an exponentially weighted mean over its last ~50 contacts), so the
 * service rate is the sum over eligible groups of busy_slots / mean_hold.
 * Agents of multi-skilled groups also serve other queues, so in a multi-skill
 * center this is optimistic for the queues lower in their preferences.
 */
#define CCS_PRED_ALPHA 0.02

double ccs_view_answer_rate(const struct ccs_view *v, uint32_t q)
{
    const struct ccs_sim *sim = v->engine;
    const struct ccs_queue *Q = &sim->queues[q];
    double r = 0;
    for (uint32_t i = 0; i < Q->n_groups; i++) {
        uint32_t g = Q->groups[i];
        r += sim->groups[g].busy_slots / sim->mean_hold[g];
    }
    return r;
}

double ccs_view_predict_wait(const struct ccs_view *v, uint32_t q, uint32_t ahead)
{
    double r = ccs_view_answer_rate(v, q);
    return r > 0 ? (ahead + 1.0) / r : INFINITY;
}

static void note_hold(struct ccs_sim *sim, uint32_t g, double hold)
{
    sim->mean_hold[g] += CCS_PRED_ALPHA * (hold - sim->mean_hold[g]);
}

/* --- the contact pool -------------------------------------------------------- */

static void link_free_slots(struct ccs_sim *sim, uint32_t from, uint32_t to)
{
    for (uint32_t i = from; i < to; i++) {
        struct ccs_contact *c = &sim->contacts[i];
        memset(c, 0, sizeof *c);
        c->id = i;
        c->state = CCS_C_FREE;
        c->next = i + 1 < to ? i + 1 : sim->free_contact;
    }
    sim->free_contact = from;
}

static uint32_t contact_alloc(struct ccs_sim *sim)
{
    if (sim->free_contact == CCS_NONE) {
        uint32_t old = sim->n_contacts_cap;
        if (old >= UINT32_MAX / 4) {
            fault(sim, CCS_ENOMEM, "too many contacts in the system");
            return CCS_NONE;
        }
        uint32_t cap = old * 2;
        struct ccs_contact *p = realloc(sim->contacts, (size_t)cap * sizeof *p);
        if (p == NULL) {
            fault(sim, CCS_ENOMEM, "out of memory (contacts)");
            return CCS_NONE;
        }
        sim->contacts = p;
        sim->view.contacts = p;
        sim->n_contacts_cap = cap;
        link_free_slots(sim, old, cap);
    }
    uint32_t id = sim->free_contact;
    struct ccs_contact *c = &sim->contacts[id];
    sim->free_contact = c->next;
    sim->live_contacts++;
    return id;
}

static void contact_free(struct ccs_sim *sim, struct ccs_contact *c)
{
    c->state = CCS_C_FREE;
    c->gen++;
    c->agent = CCS_NONE;
    c->prev = CCS_NONE;
    c->next = sim->free_contact;
    sim->free_contact = c->id;
    sim->live_contacts--;
}

/* --- waiting lines --------------------------------------------------------------- */

static void line_push(struct ccs_sim *sim, struct ccs_contact *c)
{
    struct ccs_line *l = &sim->lines[c->line];
    ccs__acc_line_advance(sim, c->line);
    c->state = CCS_C_WAITING;
    c->next = CCS_NONE;
    c->prev = l->tail;
    if (l->tail != CCS_NONE)
        sim->contacts[l->tail].next = c->id;
    else
        l->head = c->id;
    l->tail = c->id;
    l->count++;
    sim->queues[c->queue].waiting++;
}

static void line_remove(struct ccs_sim *sim, struct ccs_contact *c)
{
    struct ccs_line *l = &sim->lines[c->line];
    ccs__acc_line_advance(sim, c->line);
    if (c->prev != CCS_NONE)
        sim->contacts[c->prev].next = c->next;
    else
        l->head = c->next;
    if (c->next != CCS_NONE)
        sim->contacts[c->next].prev = c->prev;
    else
        l->tail = c->prev;
    c->prev = c->next = CCS_NONE;
    l->count--;
    sim->queues[c->queue].waiting--;
}

/* --- available agents, per group, longest available first --------------------- */

static void avail_push(struct ccs_sim *sim, uint32_t a)
{
    struct ccs_agent *ag = &sim->agents[a];
    struct ccs_group *g = &sim->groups[ag->group];
    ag->available = true;
    ag->idle_since = sim->now;
    ag->next = CCS_NONE;
    ag->prev = g->idle_tail;
    if (g->idle_tail != CCS_NONE)
        sim->agents[g->idle_tail].next = a;
    else
        g->idle_head = a;
    g->idle_tail = a;
    g->n_idle++;
}

static void avail_remove(struct ccs_sim *sim, uint32_t a)
{
    struct ccs_agent *ag = &sim->agents[a];
    struct ccs_group *g = &sim->groups[ag->group];
    if (ag->prev != CCS_NONE)
        sim->agents[ag->prev].next = ag->next;
    else
        g->idle_head = ag->next;
    if (ag->next != CCS_NONE)
        sim->agents[ag->next].prev = ag->prev;
    else
        g->idle_tail = ag->prev;
    ag->prev = ag->next = CCS_NONE;
    ag->available = false;
    g->n_idle--;
}

/* --- service ----------------------------------------------------------------- */

/* Is serving contact c by agent a legal now? NULL if so, else why not. */
static const char *illegal(const struct ccs_sim *sim, const struct ccs_contact *c, uint32_t a)
{
    if (a >= sim->view.n_agents)
        return "no such agent";
    const struct ccs_agent *ag = &sim->agents[a];
    if (ag->state == CCS_A_ABSENT || ag->state == CCS_A_BREAK)
        return "the agent is not logged in and available";
    if (!ag->available || ag->load >= sim->groups[ag->group].capacity)
        return "the agent has no free capacity";
    if (sim->skill_of[(size_t)ag->group * sim->view.n_queues + c->queue] < 0)
        return "the agent's group lacks the contact's skill";
    return NULL;
}

static void start_service(struct ccs_sim *sim, struct ccs_contact *c, uint32_t a)
{
    struct ccs_agent *ag = &sim->agents[a];
    uint32_t gi = ag->group;
    struct ccs_group *g = &sim->groups[gi];
    const struct ccs_line *l = &sim->lines[c->line];
    double now = sim->now, wait = now - c->arrived;

    bool queued = c->state == CCS_C_WAITING;
    struct ccs_acc_line *acc = ccs__acc_line_at(sim, c->line, c->arrived);
    if (acc != NULL) {
        acc->answered++;
        acc->wait_ans += wait;
        if (wait <= l->sla_within)
            acc->ans_within++;
        if (wait > acc->max_wait)
            acc->max_wait = wait;
        ccs__hist_add(&sim->acc.line_run[c->line].wait_hist, wait);
        if (queued && c->predicted < INFINITY) {
            acc->predicted++;
            acc->pred_abs_err += fabs(c->predicted - wait);
            acc->pred_err += c->predicted - wait;
        }
    }

    ccs__acc_group_advance(sim, gi);
    if (ag->load == 0) {
        g->n_busy++;
        ag->state = CCS_A_BUSY;
    }
    ag->load++;
    g->busy_slots++;
    if (ag->load >= g->capacity)
        avail_remove(sim, a);

    c->state = CCS_C_TALK;
    c->agent = a;
    c->gen++;
    c->started = now;
    int32_t s = sim->skill_of[(size_t)gi * sim->view.n_queues + c->queue];
    double talk = c->work / g->skills[s].level;
    push(sim, now + talk, CCS_EV_TALK_END, c->id, c->gen);
    TRACE(sim, CCS_TR_START, c, a, wait, NULL);
}

/* Agent a has room: let the policy pick waiting contacts until it is full or
   declines; then it waits in its group's available list. */
static void agent_offer(struct ccs_sim *sim, uint32_t a)
{
    struct ccs_agent *ag = &sim->agents[a];
    const struct ccs_group *g = &sim->groups[ag->group];
    if (ag->state == CCS_A_ABSENT || ag->state == CCS_A_BREAK)
        return;
    if (!ag->available && ag->load < g->capacity)
        avail_push(sim, a);
    while (ag->load < g->capacity && sim->status == 0) {
        struct ccs_pick p = sim->policy->select_contact(sim->pstate, &sim->view, a);
        if (p.contact == CCS_NONE)
            break;
        if (p.contact >= sim->n_contacts_cap ||
            sim->contacts[p.contact].state != CCS_C_WAITING) {
            fault(sim, CCS_ESTATE, "policy '%s' picked contact %u, which is not waiting",
                  sim->policy->name, p.contact);
            return;
        }
        struct ccs_contact *c = &sim->contacts[p.contact];
        const char *why = illegal(sim, c, a);
        if (why != NULL) {
            fault(sim, CCS_ESTATE, "policy '%s' gave contact %u to agent %u: %s",
                  sim->policy->name, c->id, a, why);
            return;
        }
        TRACE(sim, CCS_TR_ASSIGN, c, a, NAN, p.reason);
        line_remove(sim, c);
        start_service(sim, c, a);
    }
}

static void release_slot(struct ccs_sim *sim, struct ccs_contact *c)
{
    uint32_t a = c->agent;
    struct ccs_agent *ag = &sim->agents[a];
    struct ccs_group *g = &sim->groups[ag->group];
    note_hold(sim, ag->group, sim->now - c->started);
    ccs__acc_group_advance(sim, ag->group);
    ag->load--;
    g->busy_slots--;
    if (ag->load == 0) {
        g->n_busy--;
        ag->state = CCS_A_IDLE;
    }
    contact_free(sim, c);
    agent_offer(sim, a);
}

/* --- routing an arriving (or reconsidered) contact ----------------------------- */

static void block(struct ccs_sim *sim, struct ccs_contact *c, const char *reason)
{
    TRACE(sim, CCS_TR_BLOCK, c, CCS_NONE, NAN, reason);
    struct ccs_acc_line *acc = ccs__acc_line_at(sim, c->line, c->arrived);
    if (acc != NULL)
        acc->blocked++;
    contact_free(sim, c);
}

static void route(struct ccs_sim *sim, struct ccs_contact *c, bool fresh)
{
    struct ccs_route r = sim->policy->route_contact(sim->pstate, &sim->view, c->id);
    switch (r.action) {
    case CCS_ROUTE_ASSIGN: {
        const char *why = illegal(sim, c, r.agent);
        if (why != NULL) {
            fault(sim, CCS_ESTATE, "policy '%s' gave contact %u to agent %u: %s",
                  sim->policy->name, c->id, r.agent, why);
            return;
        }
        TRACE(sim, CCS_TR_ASSIGN, c, r.agent, NAN, r.reason);
        if (!fresh)
            line_remove(sim, c);
        else
            c->predicted = 0;
        start_service(sim, c, r.agent);
        return;
    }
    case CCS_ROUTE_QUEUE:
        if (fresh) {
            const struct ccs_queue_def *qd = &sim->sc->queues[c->queue];
            if (qd->capacity >= 0 && sim->queues[c->queue].waiting >= (uint32_t)qd->capacity) {
                block(sim, c, "no waiting place left (max_waiting)");
                return;
            }
            c->predicted = ccs_view_predict_wait(&sim->view, c->queue, sim->queues[c->queue].waiting);
            TRACE(sim, CCS_TR_QUEUE, c, CCS_NONE, NAN, r.reason);
            line_push(sim, c);
            struct ccs_acc_line *acc = ccs__acc_line_at(sim, c->line, c->arrived);
            if (acc != NULL)
                acc->waited++;
            if (c->deadline < INFINITY)
                push(sim, c->deadline, CCS_EV_ABANDON, c->id, c->gen);
        }
        if (r.recheck < INFINITY) {
            if (!(r.recheck > sim->now)) {
                fault(sim, CCS_ESTATE, "policy '%s' asked to recheck contact %u at %g, not later than now",
                      sim->policy->name, c->id, r.recheck);
                return;
            }
            push(sim, r.recheck, CCS_EV_RECHECK, c->id, c->gen);
        }
        return;
    case CCS_ROUTE_REJECT:
        if (!fresh) {
            fault(sim, CCS_ESTATE, "policy '%s' rejected contact %u, which was already waiting",
                  sim->policy->name, c->id);
            return;
        }
        block(sim, c, r.reason);
        return;
    }
    fault(sim, CCS_ESTATE, "policy '%s' returned an unknown action", sim->policy->name);
}

/* --- arrivals -------------------------------------------------------------------- */

/*
 * Time of the next arrival after t, or INFINITY. A profile is a
 * non-homogeneous Poisson process generated exactly by inverting its
 * cumulative rate: one unit-exponential draw per arrival, which also keeps
 * arrivals aligned across variants that scale the rates.
 */
static double next_arrival(struct ccs_sim *sim, uint32_t q, double t)
{
    const struct ccs_arrivals *a = &sim->sc->queues[q].arrivals;
    gsl_rng *r = sim->qrng[q].arrivals;
    switch (a->kind) {
    case CCS_ARR_POISSON:
        return t + ccs__rng_exp(r, 1.0 / a->rate);
    case CCS_ARR_PROFILE: {
        double e = ccs__rng_exp(r, 1.0), horizon = sim->sc->horizon;
        double k = floor(t / a->step);
        while (t < horizon) {
            double end = (k + 1.0) * a->step;
            double rate = a->rates[(size_t)fmod(k, (double)a->n_rates)];
            double h = rate * (end - t);
            if (rate > 0 && e <= h)
                return t + e / rate;
            e -= h;
            t = end;
            k += 1.0;
        }
        return INFINITY;
    }
    case CCS_ARR_NONE:
    default:
        return INFINITY;
    }
}

static void handle_arrival(struct ccs_sim *sim, uint32_t q)
{
    const struct ccs_queue_def *qd = &sim->sc->queues[q];
    struct ccs_queue_rng *qr = &sim->qrng[q];
    double now = sim->now;

    double next = next_arrival(sim, q, now);
    if (next < sim->sc->horizon)
        push(sim, next, CCS_EV_ARRIVAL, q, 0);

    uint32_t id = contact_alloc(sim);
    if (id == CCS_NONE)
        return;
    struct ccs_contact *c = &sim->contacts[id];
    uint32_t seg = 0;
    if (qd->n_segments > 1) {
        double u = ccs__rng_u01(qr->segment), cum = 0;
        for (seg = 0; seg + 1 < qd->n_segments; seg++) {
            cum += qd->segments[seg].share;
            if (u < cum)
                break;
        }
    }
    c->serial = ++sim->serial;
    c->queue = q;
    c->segment = seg;
    c->line = sim->queues[q].first_line + seg;
    c->channel = (uint8_t)qd->channel;
    c->arrived = now;
    c->started = NAN;
    c->credit = qd->segments[seg].credit;
    c->agent = CCS_NONE;
    c->prev = c->next = CCS_NONE;
    c->work = ccs__dist_sample(&qd->handle, qr->work);
    c->wrap = qd->wrap.kind == CCS_DIST_NONE ? 0.0 : ccs__dist_sample(&qd->wrap, qr->wrap);
    c->deadline = qd->patience.kind == CCS_DIST_NONE
                      ? INFINITY
                      : now + ccs__dist_sample(&qd->patience, qr->patience);

    struct ccs_acc_line *acc = ccs__acc_line_at(sim, c->line, now);
    if (acc != NULL)
        acc->offered++;
    TRACE(sim, CCS_TR_ARRIVE, c, CCS_NONE, NAN, NULL);
    route(sim, c, true);
}

/* --- other events -------------------------------------------------------------- */

static void handle_abandon(struct ccs_sim *sim, uint32_t id, uint32_t gen)
{
    struct ccs_contact *c = &sim->contacts[id];
    if (c->gen != gen || c->state != CCS_C_WAITING)
        return; /* served or gone: the timer was cancelled lazily */
    line_remove(sim, c);
    double wait = sim->now - c->arrived;
    struct ccs_acc_line *acc = ccs__acc_line_at(sim, c->line, c->arrived);
    if (acc != NULL) {
        acc->abandoned++;
        acc->wait_ab += wait;
        if (wait <= sim->lines[c->line].sla_within)
            acc->ab_within++;
        if (wait > acc->max_wait)
            acc->max_wait = wait;
    }
    TRACE(sim, CCS_TR_ABANDON, c, CCS_NONE, wait, NULL);
    if (sim->policy->on_abandon != NULL)
        sim->policy->on_abandon(sim->pstate, &sim->view, id);
    contact_free(sim, c);
}

static void handle_talk_end(struct ccs_sim *sim, uint32_t id, uint32_t gen)
{
    struct ccs_contact *c = &sim->contacts[id];
    if (c->gen != gen || c->state != CCS_C_TALK)
        return;
    double talk = sim->now - c->started;
    struct ccs_acc_line *acc = ccs__acc_line_at(sim, c->line, c->arrived);
    if (acc != NULL) {
        acc->handled++;
        acc->talk += talk;
        acc->wrap += c->wrap;
        uint32_t g = sim->agents[c->agent].group;
        sim->acc.gq_busy[(size_t)g * sim->view.n_queues + c->queue] += talk + c->wrap;
    }
    TRACE(sim, CCS_TR_TALK_END, c, c->agent, NAN, NULL);
    if (sim->policy->on_service_end != NULL)
        sim->policy->on_service_end(sim->pstate, &sim->view, id, c->agent);
    if (c->wrap > 0) {
        c->state = CCS_C_WRAP;
        c->gen++;
        push(sim, sim->now + c->wrap, CCS_EV_WRAP_END, id, c->gen);
        return;
    }
    release_slot(sim, c);
}

static void handle_wrap_end(struct ccs_sim *sim, uint32_t id, uint32_t gen)
{
    struct ccs_contact *c = &sim->contacts[id];
    if (c->gen != gen || c->state != CCS_C_WRAP)
        return;
    TRACE(sim, CCS_TR_WRAP_END, c, c->agent, NAN, NULL);
    release_slot(sim, c);
}

static void handle_recheck(struct ccs_sim *sim, uint32_t id, uint32_t gen)
{
    struct ccs_contact *c = &sim->contacts[id];
    if (c->gen != gen || c->state != CCS_C_WAITING)
        return;
    route(sim, c, false);
}

static void handle_interval(struct ccs_sim *sim, uint32_t i)
{
    if (sim->policy->on_interval != NULL)
        sim->policy->on_interval(sim->pstate, &sim->view, i);
    double next = (i + 1.0) * sim->sc->interval;
    if (i + 1 < sim->sc->n_intervals && next < sim->sc->horizon)
        push(sim, next, CCS_EV_INTERVAL, i + 1, 0);
}

static void dispatch(struct ccs_sim *sim, const struct ccs_event *e)
{
    switch ((enum ccs_ev_kind)ccs__event_prio(e)) {
    case CCS_EV_TALK_END:
        handle_talk_end(sim, e->obj, e->gen);
        break;
    case CCS_EV_WRAP_END:
        handle_wrap_end(sim, e->obj, e->gen);
        break;
    case CCS_EV_ABANDON:
        handle_abandon(sim, e->obj, e->gen);
        break;
    case CCS_EV_ARRIVAL:
        handle_arrival(sim, e->obj);
        break;
    case CCS_EV_RECHECK:
        handle_recheck(sim, e->obj, e->gen);
        break;
    case CCS_EV_INTERVAL:
        handle_interval(sim, e->obj);
        break;
    case CCS_EV_STAFF:
        break;
    }
}

/* --- invariants (debug mode) ------------------------------------------------------ */

/* Default "may serve": the group has the skill and any overflow delay has
   strictly passed (at the instant itself the policy's recheck may not have
   fired yet, as events at equal times fire one after another). */
static bool may_serve(const struct ccs_sim *sim, const struct ccs_contact *c, uint32_t a)
{
    if (sim->policy->may_serve != NULL)
        return sim->policy->may_serve(sim->pstate, &sim->view, c->id, a);
    const struct ccs_skill *sk = ccs_view_skill(&sim->view, sim->agents[a].group, c->queue);
    return sk != NULL && sim->now - c->arrived > sk->delay;
}

static void check_invariants(struct ccs_sim *sim)
{
    const struct ccs_view *v = &sim->view;
    for (uint32_t q = 0; q < v->n_queues; q++) {
        const struct ccs_queue *Q = &sim->queues[q];
        uint32_t sum = 0;
        for (uint32_t l = Q->first_line; l < Q->first_line + Q->n_lines; l++) {
            uint32_t n = 0, prev = CCS_NONE;
            for (uint32_t id = sim->lines[l].head; id != CCS_NONE; id = sim->contacts[id].next) {
                const struct ccs_contact *c = &sim->contacts[id];
                if (c->state != CCS_C_WAITING || c->line != l || c->prev != prev || ++n > sim->n_contacts_cap) {
                    fault(sim, CCS_ESTATE, "invariant: line %u is corrupt at contact %u", l, id);
                    return;
                }
                prev = id;
            }
            if (n != sim->lines[l].count || prev != sim->lines[l].tail) {
                fault(sim, CCS_ESTATE, "invariant: line %u counts %u but holds %u", l,
                      sim->lines[l].count, n);
                return;
            }
            sum += n;
        }
        if (sum != Q->waiting) {
            fault(sim, CCS_ESTATE, "invariant: queue '%s' waiting %u != %u in its lines", Q->id,
                  Q->waiting, sum);
            return;
        }
    }
    for (uint32_t g = 0; g < v->n_groups; g++) {
        const struct ccs_group *G = &sim->groups[g];
        uint32_t idle = 0, slots = 0, busy = 0, present = 0;
        for (uint32_t a = G->idle_head; a != CCS_NONE; a = sim->agents[a].next) {
            const struct ccs_agent *ag = &sim->agents[a];
            if (!ag->available || ag->load >= G->capacity || ag->state == CCS_A_ABSENT ||
                ag->state == CCS_A_BREAK || ++idle > G->n_agents) {
                fault(sim, CCS_ESTATE, "invariant: group '%s' lists agent %u as available", G->id, a);
                return;
            }
        }
        for (uint32_t a = G->first_agent; a < G->first_agent + G->n_agents; a++) {
            const struct ccs_agent *ag = &sim->agents[a];
            slots += ag->load;
            busy += ag->load > 0;
            present += ag->state != CCS_A_ABSENT;
        }
        if (idle != G->n_idle || slots != G->busy_slots || busy != G->n_busy ||
            present != G->n_present) {
            fault(sim, CCS_ESTATE, "invariant: group '%s' counts disagree with its agents", G->id);
            return;
        }
    }
    if (!(sim->policy->flags & CCS_POLICY_WORK_CONSERVING))
        return;
    for (uint32_t l = 0; l < v->n_lines; l++)
        for (uint32_t id = sim->lines[l].head; id != CCS_NONE; id = sim->contacts[id].next) {
            const struct ccs_contact *c = &sim->contacts[id];
            const struct ccs_queue *Q = &sim->queues[c->queue];
            for (uint32_t i = 0; i < Q->n_groups; i++)
                for (uint32_t a = sim->groups[Q->groups[i]].idle_head; a != CCS_NONE;
                     a = sim->agents[a].next)
                    if (may_serve(sim, c, a)) {
                        fault(sim, CCS_ESTATE,
                              "invariant: policy '%s' left agent %u of group '%s' available "
                              "while contact %llu of queue '%s' waits",
                              sim->policy->name, a, sim->groups[Q->groups[i]].id,
                              (unsigned long long)c->serial, Q->id);
                        return;
                    }
        }
}

void ccs_sim_set_checks(struct ccs_sim *sim, bool on)
{
    sim->checks = on;
}

/* --- the run loop -------------------------------------------------------------- */

static void finish(struct ccs_sim *sim)
{
    if (sim->finalized)
        return;
    sim->finalized = true;
    ccs__acc_finish(sim, sim->sc->horizon);
}

/* Is the next event past the end of the run? */
static bool over(const struct ccs_sim *sim, const struct ccs_event *e)
{
    return e == NULL || (!sim->sc->drain && e->t >= sim->sc->horizon);
}

int ccs_sim_step(struct ccs_sim *sim)
{
    if (sim->status != 0)
        return sim->status;
    const struct ccs_event *top = ccs__eventq_peek(&sim->evq);
    if (over(sim, top)) {
        finish(sim);
        return 0;
    }
    struct ccs_event e;
    ccs__eventq_pop(&sim->evq, &e);
    sim->now = sim->view.now = e.t;
    dispatch(sim, &e);
    if (sim->checks)
        check_invariants(sim);
    return sim->status != 0 ? sim->status : 1;
}

int ccs_sim_run_until(struct ccs_sim *sim, double t)
{
    for (;;) {
        if (sim->status != 0)
            return sim->status;
        const struct ccs_event *top = ccs__eventq_peek(&sim->evq);
        if (over(sim, top)) {
            finish(sim);
            return 0;
        }
        if (top->t >= t)
            return 1;
        struct ccs_event e;
        ccs__eventq_pop(&sim->evq, &e);
        sim->now = sim->view.now = e.t;
        dispatch(sim, &e);
        if (sim->checks)
            check_invariants(sim);
    }
}

int ccs_sim_run(struct ccs_sim *sim)
{
    int rc = ccs_sim_run_until(sim, INFINITY);
    return rc > 0 ? 0 : rc;
}

double ccs_sim_now(const struct ccs_sim *sim)
{
    return sim->now;
}

const struct ccs_view *ccs_sim_view(const struct ccs_sim *sim)
{
    return &sim->view;
}

const char *ccs_sim_fault(const struct ccs_sim *sim)
{
    return sim->status != 0 ? sim->fault : NULL;
}

double ccs_view_uniform(const struct ccs_view *v)
{
    const struct ccs_sim *sim = v->engine;
    return ccs__rng_u01(sim->route_rng);
}

/* --- construction -------------------------------------------------------------- */

static int build_model(struct ccs_sim *sim)
{
    const struct ccs_scenario *sc = sim->sc;
    size_t nq = sc->n_queues, ng = sc->n_groups, nl = 0, na = 0, nsk = 0;
    for (size_t q = 0; q < nq; q++)
        nl += sc->queues[q].n_segments;
    for (size_t g = 0; g < ng; g++) {
        na += sc->groups[g].agents;
        nsk += sc->groups[g].n_skills;
    }
    sim->queues = calloc(nq, sizeof *sim->queues);
    sim->lines = calloc(nl, sizeof *sim->lines);
    sim->groups = calloc(ng, sizeof *sim->groups);
    sim->agents = calloc(na ? na : 1, sizeof *sim->agents);
    sim->skill_of = malloc(ng * nq * sizeof *sim->skill_of);
    sim->queue_groups = malloc((2 * nsk + 1) * sizeof *sim->queue_groups);
    sim->qrng = calloc(nq, sizeof *sim->qrng);
    if (!sim->queues || !sim->lines || !sim->groups || !sim->agents || !sim->skill_of ||
        !sim->queue_groups || !sim->qrng)
        return CCS_ENOMEM;

    for (size_t i = 0; i < ng * nq; i++)
        sim->skill_of[i] = -1;
    for (size_t g = 0; g < ng; g++)
        for (size_t s = 0; s < sc->groups[g].n_skills; s++)
            sim->skill_of[g * nq + sc->groups[g].skills[s].queue] = (int32_t)s;

    uint32_t line = 0, *qg = sim->queue_groups;
    for (size_t q = 0; q < nq; q++) {
        const struct ccs_queue_def *qd = &sc->queues[q];
        struct ccs_queue *Q = &sim->queues[q];
        Q->id = qd->id;
        Q->channel = (uint8_t)qd->channel;
        Q->deferred = qd->channel == CCS_CH_EMAIL || qd->channel == CCS_CH_OUTBOUND;
        Q->priority = qd->priority;
        Q->sla_target = qd->sla_target;
        Q->sla_within = qd->sla_within;
        Q->first_line = line;
        Q->n_lines = (uint32_t)qd->n_segments;
        for (size_t s = 0; s < qd->n_segments; s++, line++) {
            const struct ccs_segment_def *sd = &qd->segments[s];
            struct ccs_line *L = &sim->lines[line];
            L->head = L->tail = CCS_NONE;
            L->queue = (uint32_t)q;
            L->segment = (uint32_t)s;
            L->weight = sd->weight;
            L->priority = qd->priority + sd->priority;
            L->credit = sd->credit;
            L->sla_within = sd->sla_within;
            L->sla_target = sd->sla_target;
            L->name = sd->id != NULL ? sd->id : qd->id;
        }
        /* groups with this skill, in scenario order */
        Q->groups = qg;
        for (size_t g = 0; g < ng; g++)
            if (sim->skill_of[g * nq + q] >= 0)
                *qg++ = (uint32_t)g;
        Q->n_groups = (uint32_t)(qg - Q->groups);
        Q->group_skill = qg;
        for (uint32_t i = 0; i < Q->n_groups; i++)
            *qg++ = (uint32_t)sim->skill_of[Q->groups[i] * nq + q];
    }

    uint32_t a = 0;
    for (size_t g = 0; g < ng; g++) {
        const struct ccs_group_def *gd = &sc->groups[g];
        struct ccs_group *G = &sim->groups[g];
        G->id = gd->id;
        G->n_skills = (uint32_t)gd->n_skills;
        G->skills = gd->skills;
        G->first_agent = a;
        G->n_agents = gd->agents;
        G->capacity = gd->capacity;
        G->idle_head = G->idle_tail = CCS_NONE;
        for (uint32_t j = 0; j < gd->agents; j++, a++) {
            struct ccs_agent *ag = &sim->agents[a];
            ag->id = a;
            ag->group = (uint32_t)g;
            ag->prev = ag->next = CCS_NONE;
            ag->state = CCS_A_ABSENT;
        }
    }

    struct ccs_view *v = &sim->view;
    v->n_queues = (uint32_t)nq;
    v->n_lines = (uint32_t)nl;
    v->n_groups = (uint32_t)ng;
    v->n_agents = (uint32_t)na;
    v->queues = sim->queues;
    v->lines = sim->lines;
    v->groups = sim->groups;
    v->agents = sim->agents;
    v->contacts = sim->contacts;
    v->skill_of = sim->skill_of;
    v->engine = sim;
    return 0;
}

static int make_streams(struct ccs_sim *sim)
{
    const struct ccs_scenario *sc = sim->sc;
    for (size_t q = 0; q < sc->n_queues; q++) {
        const char *id = sc->queues[q].id;
        struct ccs_queue_rng *r = &sim->qrng[q];
        r->arrivals = ccs__rng_new(sim->seed, sim->rep, ccs__stream_id("arrivals", id));
        r->segment = ccs__rng_new(sim->seed, sim->rep, ccs__stream_id("segment", id));
        r->work = ccs__rng_new(sim->seed, sim->rep, ccs__stream_id("work", id));
        r->wrap = ccs__rng_new(sim->seed, sim->rep, ccs__stream_id("wrap", id));
        r->patience = ccs__rng_new(sim->seed, sim->rep, ccs__stream_id("patience", id));
        if (!r->arrivals || !r->segment || !r->work || !r->wrap || !r->patience)
            return CCS_ENOMEM;
    }
    sim->route_rng = ccs__rng_new(sim->seed, sim->rep, ccs__stream_id("routing", ""));
    return sim->route_rng ? 0 : CCS_ENOMEM;
}

/* Each group's mean holding time starts at the mean over its skills. */
static int init_predictor(struct ccs_sim *sim)
{
    const struct ccs_scenario *sc = sim->sc;
    sim->mean_hold = calloc(sc->n_groups + 1, sizeof *sim->mean_hold);
    if (sim->mean_hold == NULL)
        return CCS_ENOMEM;
    for (uint32_t g = 0; g < sc->n_groups; g++) {
        const struct ccs_group_def *gd = &sc->groups[g];
        double sum = 0;
        for (size_t k = 0; k < gd->n_skills; k++) {
            const struct ccs_queue_def *qd = &sc->queues[gd->skills[k].queue];
            double wrap = qd->wrap.kind == CCS_DIST_NONE ? 0 : qd->wrap.mean;
            sum += qd->handle.mean / gd->skills[k].level + wrap;
        }
        sim->mean_hold[g] = sum / (double)gd->n_skills;
    }
    return 0;
}

static void log_in_all(struct ccs_sim *sim)
{
    for (uint32_t a = 0; a < sim->view.n_agents; a++) {
        struct ccs_agent *ag = &sim->agents[a];
        struct ccs_group *g = &sim->groups[ag->group];
        ccs__acc_group_advance(sim, ag->group);
        ag->state = CCS_A_IDLE;
        g->n_present++;
        avail_push(sim, a);
        TRACE(sim, CCS_TR_AGENT, NULL, a, NAN, "login");
    }
}

int ccs_sim_new(const struct ccs_scenario *sc, uint64_t seed, uint32_t rep,
                struct ccs_sim **out, struct ccs_diag *d)
{
    *out = NULL;
    struct ccs_sim *sim = calloc(1, sizeof *sim);
    if (sim == NULL)
        return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    sim->sc = sc;
    sim->seed = seed;
    sim->rep = rep;
    sim->stat_start = sc->warmup;
    sim->policy = sc->policy;
    sim->free_contact = CCS_NONE;
    sim->n_contacts_cap = 256;
    sim->contacts = malloc(sim->n_contacts_cap * sizeof *sim->contacts);
    int rc = CCS_ENOMEM;
    if (sim->contacts == NULL || ccs__eventq_init(&sim->evq, 1024) != 0)
        goto fail;
    link_free_slots(sim, 0, sim->n_contacts_cap);
    if ((rc = build_model(sim)) != 0 || (rc = make_streams(sim)) != 0 ||
        (rc = ccs__acc_init(sim)) != 0 || (rc = init_predictor(sim)) != 0)
        goto fail;
    rc = sim->policy->init(sc->policy_params, &sim->view, &sim->pstate, d);
    if (rc != 0) {
        sim->pstate = NULL;
        ccs_sim_free(sim);
        return rc;
    }
    log_in_all(sim);
    for (uint32_t q = 0; q < sc->n_queues; q++) {
        double t = next_arrival(sim, q, 0.0);
        if (t < sc->horizon)
            push(sim, t, CCS_EV_ARRIVAL, q, 0);
    }
    if (sim->policy->on_interval != NULL)
        push(sim, 0.0, CCS_EV_INTERVAL, 0, 0);
    if (sim->status != 0) {
        rc = sim->status;
        goto fail;
    }
    *out = sim;
    return 0;
fail:
    ccs_sim_free(sim);
    return ccs_diag_at(d, rc, NULL, 0, 0, "%s", ccs_strerror(rc));
}

void ccs_sim_free(struct ccs_sim *sim)
{
    if (sim == NULL)
        return;
    if (sim->pstate != NULL && sim->policy->destroy != NULL)
        sim->policy->destroy(sim->pstate);
    if (sim->qrng != NULL) {
        for (size_t q = 0; q < sim->sc->n_queues; q++) {
            struct ccs_queue_rng *r = &sim->qrng[q];
            gsl_rng *all[] = {r->arrivals, r->segment, r->work, r->wrap, r->patience};
            for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
                if (all[i] != NULL)
                    gsl_rng_free(all[i]);
        }
    }
    if (sim->route_rng != NULL)
        gsl_rng_free(sim->route_rng);
    ccs__acc_release(sim);
    ccs__eventq_release(&sim->evq);
    free(sim->qrng);
    free(sim->mean_hold);
    free(sim->queue_groups);
    free(sim->skill_of);
    free(sim->agents);
    free(sim->groups);
    free(sim->lines);
    free(sim->queues);
    free(sim->contacts);
    free(sim);
}
