/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * engine.c - the discrete-event engine: contacts arrive, the routing policy
 * decides, the engine applies the decision (after checking it is legal),
 * services end, waiting contacts abandon. What happens around a conversation
 * (lines, callbacks, campaigns, redials, transfers, repeats) is lifecycle.c;
 * statistics are streamed to acc.c. docs/engine.md states the rules.
 */
#include "model/engine.h"
#include "model/world.h"

#include "ccs/error.h"
#include "core/lines.h"
#include "core/rng.h"
#include "ccs/mem.h"

#include <assert.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- faults: a policy made an illegal decision, or memory ran out ----------- */

void ccs__fault(struct ccs_sim *sim, int code, const char *fmt, ...)
{
    if (sim->status != 0)
        return;
    sim->status = code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(sim->fault, sizeof sim->fault, fmt, ap);
    va_end(ap);
}

_Static_assert(CCS_EV_CLOSE <= CCS_EVQ_MAX_PRIO, "event kinds must fit the queue's priority bits");

void ccs__push(struct ccs_sim *sim, double t, enum ccs_ev_kind k, uint32_t obj, uint32_t gen)
{
    int rc = ccs__eventq_push(&sim->evq, t, (unsigned)k, obj, gen);
    if (rc == CCS_ERANGE)
        ccs__fault(sim, rc, "more than %zu events pending at once", sim->evq.max_pending);
    else if (rc != 0)
        ccs__fault(sim, CCS_ENOMEM, "out of memory (event list)");
}

/* --- tracing ------------------------------------------------------------------ */

void ccs__trace(struct ccs_sim *sim, enum ccs_trace_kind k, const struct ccs_contact *c,
                uint32_t agent, double wait, const char *reason)
{
    struct ccs_trace_event e;
    e.t = sim->now;
    e.kind = k;
    e.contact = c != NULL ? ccs__cx(sim, c)->serial : 0;
    e.queue = c != NULL ? (int32_t)c->queue : -1;
    e.segment = c != NULL ? (int32_t)c->segment : -1;
    e.agent = agent != CCS_NONE ? (int32_t)agent : -1;
    e.group = agent != CCS_NONE ? (int32_t)sim->agents[agent].group : -1;
    e.wait = wait;
    e.reason = reason;
    sim->trace(sim->trace_ctx, &e);
}

const char *ccs_trace_kind_name(enum ccs_trace_kind k)
{
    static const char *const names[] = {
        "arrive",   "assign",   "queue",    "block",    "start",    "abandon",
        "talk_end", "wrap_end", "agent",    "callback", "dial_fail", "transfer",
        "return",   "give_up",  "redial",   "repeat",   "message",  "disconnect",
    };
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
    const struct ccs_queue *Q = &v->queues[q];
    double r = 0;
    for (uint32_t i = 0; i < Q->n_groups; i++) {
        uint32_t g = Q->groups[i];
        r += v->groups[g].busy_slots / v->mean_hold[g];
    }
    return r;
}

double ccs_view_predict_wait(const struct ccs_view *v, uint32_t q, uint32_t ahead)
{
    double r = ccs_view_answer_rate(v, q);
    return r > 0 ? (ahead + 1.0) / r : INFINITY;
}

/* A policy's routing stream is the simulation's routing gsl_rng. */
double ccs_stream_uniform(struct ccs_stream *s)
{
    return ccs__rng_u01((gsl_rng *)s);
}

/* --- the contact pool -------------------------------------------------------- */

static void link_free_slots(struct ccs_sim *sim, uint32_t from, uint32_t to)
{
    for (uint32_t i = from; i < to; i++) {
        struct ccs_contact *c = &sim->contacts[i];
        memset(c, 0, sizeof *c);
        memset(&sim->cx[i], 0, sizeof sim->cx[i]);
        c->id = i;
        c->state = CCS_C_FREE;
        c->next = i + 1 < to ? i + 1 : sim->free_contact;
    }
    sim->free_contact = from;
}

/* Room for cap contacts' private state, on 64-byte boundaries (realloc
   keeps neither), the first n_contacts_cap copied over. */
static int cx_alloc(struct ccs_sim *sim, uint32_t cap)
{
    struct ccs__contact_x *x = ccs__grow_lines(sim->cx, &sim->cx_raw,
                                               sim->cx != NULL ? sim->n_contacts_cap : 0, cap,
                                               sizeof *x);
    if (x == NULL)
        return CCS_ENOMEM;
    sim->cx = x;
    return 0;
}

uint32_t ccs__contact_new(struct ccs_sim *sim)
{
    if (sim->free_contact == CCS_NONE) {
        uint32_t old = sim->n_contacts_cap;
        if (old >= UINT32_MAX / 4) {
            ccs__fault(sim, CCS_ENOMEM, "too many contacts in the system");
            return CCS_NONE;
        }
        uint32_t cap = old * 2;
        struct ccs_contact *p =
            ccs__grow_lines(sim->contacts, &sim->contacts_raw, old, cap, sizeof *p);
        if (p != NULL)
            sim->contacts = p;
        if (p == NULL || cx_alloc(sim, cap) != 0) {
            sim->view.contacts = sim->contacts; /* it may have moved even if cx did not */
            ccs__fault(sim, CCS_ENOMEM, "out of memory (contacts)");
            return CCS_NONE;
        }
        sim->view.contacts = sim->contacts;
        sim->view.n_contacts = cap;
        sim->n_contacts_cap = cap;
        link_free_slots(sim, old, cap);
    }
    uint32_t id = sim->free_contact;
    struct ccs_contact *c = &sim->contacts[id];
    sim->free_contact = c->next;
    sim->live_contacts++;
    /* every field a new contact relies on is set here or by its creator */
    struct ccs__contact_x *x = &sim->cx[id];
    c->flags = 0;
    x->redials = x->repeats = x->dials = 0;
    x->predicted = 0;
    x->serial = ++sim->serial;
    x->customer = x->serial;
    c->agent = c->prev = c->next = x->holder = CCS_NONE;
    x->trunk = -1;
    c->started = NAN;
    x->deadline = INFINITY;
    x->u_accept = x->u_transfer = x->u_resolve = 1.0;
    return id;
}

void ccs__contact_free(struct ccs_sim *sim, struct ccs_contact *c)
{
    /* the next contact created takes this slot (the free list is a stack),
       and writes the second line of its private state, which its talk did
       not read: ask for it now (issue 16: a miss per call at 10,000
       agents) */
    __builtin_prefetch((const char *)&sim->cx[c->id] + 64, 1);
    c->state = CCS_C_FREE;
    c->gen++;
    c->agent = CCS_NONE;
    c->prev = CCS_NONE;
    c->next = sim->free_contact;
    sim->free_contact = c->id;
    sim->live_contacts--;
}

void ccs__draw_needs(struct ccs_sim *sim, struct ccs_contact *c, gsl_rng *work, gsl_rng *wrap,
                     gsl_rng *patience)
{
    const struct ccs_queue_def *qd = &sim->sc->queues[c->queue];
    /* a mean that follows the interval scales the draw: the same stream
       consumption as a constant mean, so common random numbers stay aligned */
    struct ccs__contact_x *x = ccs__cx(sim, c);
    unsigned f = sim->qflags[c->queue];
    x->work = ccs__dist_sample(&qd->handle, work);
    if ((f & CCS_QF_STEPS) && qd->handle_steps.factor != NULL)
        x->work *= ccs__step_factor(&qd->handle_steps, sim->now);
    x->wrap = (f & CCS_QF_WRAP) ? ccs__dist_sample(&qd->wrap, wrap) : 0.0;
    if (qd->patience.kind == CCS_DIST_NONE) {
        x->deadline = INFINITY;
    } else {
        double p = ccs__dist_sample(&qd->patience, patience);
        if ((f & CCS_QF_STEPS) && qd->patience_steps.factor != NULL)
            p *= ccs__step_factor(&qd->patience_steps, sim->now);
        x->deadline = sim->now + p;
    }
}

/* --- waiting lines --------------------------------------------------------------- */

/* Queue q's waiting count went from 0 to 1 (on) or from 1 to 0. */
static void waiting_flip(struct ccs_sim *sim, uint32_t q, bool on)
{
    uint64_t bit = (uint64_t)1 << (q % 64);
    if (on) {
        sim->waiting_bits[q / 64] |= bit;
        sim->view.n_waiting_queues++;
    } else {
        sim->waiting_bits[q / 64] &= ~bit;
        sim->view.n_waiting_queues--;
    }
}

void ccs__line_push(struct ccs_sim *sim, struct ccs_contact *c)
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
    if (sim->queues[c->queue].waiting++ == 0)
        waiting_flip(sim, c->queue, true);
}

void ccs__line_remove(struct ccs_sim *sim, struct ccs_contact *c)
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
    if (--sim->queues[c->queue].waiting == 0)
        waiting_flip(sim, c->queue, false);
}

/* --- the longest-idle index of queues with many groups ------------------------ */

/*
 * A queue served by many groups keeps a binary heap of the groups that have an
 * available agent, ordered by their list heads (the group's longest-idle
 * agent), so that routing finds the longest-idle eligible agent in O(1) and a
 * head change costs O(log groups) per queue of the group, instead of a scan
 * of all groups per arriving contact (30% of the CPU at 150 groups per
 * queue). ccs_idle_before is a strict total order on agents, so the heap's
 * top is the scan's answer, bit for bit. Few groups: the scan is cheaper.
 */
#ifndef IDLE_INDEX_MIN_GROUPS
#define IDLE_INDEX_MIN_GROUPS 8
#endif

/* Has agent x idled longer than y? ccs_idle_before of ccs/policies.h, which
   ccs_longest_idle_for reads the index with: earlier idle_since, then lower
   index. */
static bool idled_longer(const struct ccs_sim *sim, uint32_t x, uint32_t y)
{
    double tx = sim->agents[x].idle_since, ty = sim->agents[y].idle_since;
    return tx < ty || (tx == ty && x < y);
}

/* idled_longer of the heads of groups g and h, from their idle keys. */
static bool key_before(const struct ccs_sim *sim, uint32_t g, uint32_t h)
{
    return ccs_idle_key_before(&sim->idle_key[g], &sim->idle_key[h]);
}

static bool slot_before(const struct ccs_sim *sim, const struct ccs_queue *Q, uint32_t i,
                        uint32_t j)
{
    return key_before(sim, Q->groups[i], Q->groups[j]);
}

static void heap_place(uint32_t *h, uint32_t *pos, uint32_t k, uint32_t slot)
{
    h[k] = slot;
    pos[slot] = k;
}

/* Restore the heap order around place k of queue q's heap (its key moved
   either way). */
static void idle_fix(struct ccs_sim *sim, uint32_t q, uint32_t k)
{
    struct ccs_queue *Q = &sim->queues[q];
    size_t off = (size_t)(Q->groups - sim->queue_groups);
    uint32_t *h = sim->idle_heap + off, *pos = sim->idle_pos + off, n = Q->n_idle_heap;
    uint32_t slot = h[k];
    while (k > 0 && slot_before(sim, Q, slot, h[(k - 1) / 2])) {
        heap_place(h, pos, k, h[(k - 1) / 2]);
        k = (k - 1) / 2;
    }
    for (;;) {
        uint32_t c = 2 * k + 1;
        if (c >= n)
            break;
        c += c + 1 < n && slot_before(sim, Q, h[c + 1], h[c]);
        if (!slot_before(sim, Q, h[c], slot))
            break;
        heap_place(h, pos, k, h[c]);
        k = c;
    }
    heap_place(h, pos, k, slot);
}

/* Group g's list head changed from `had` (CCS_NONE: empty) to its current
   one: update its key and the heaps of the queues that index g. */
static void idle_head_changed(struct ccs_sim *sim, uint32_t g, uint32_t had)
{
    uint32_t now = sim->groups[g].idle_head;
    sim->idle_key[g].head = now;
    if (now != CCS_NONE)
        sim->idle_key[g].since = sim->agents[now].idle_since;
    for (uint32_t m = sim->idle_member_first[g]; m < sim->idle_member_first[g + 1]; m++) {
        uint32_t q = sim->idle_member[2 * m], slot = sim->idle_member[2 * m + 1];
        struct ccs_queue *Q = &sim->queues[q];
        size_t off = (size_t)(Q->groups - sim->queue_groups);
        uint32_t *h = sim->idle_heap + off, *pos = sim->idle_pos + off;
        if (had == CCS_NONE) {
            assert(pos[slot] == CCS_NONE);
            heap_place(h, pos, Q->n_idle_heap++, slot);
            idle_fix(sim, q, Q->n_idle_heap - 1);
        } else if (now == CCS_NONE) {
            uint32_t k = pos[slot], last = h[--Q->n_idle_heap];
            pos[slot] = CCS_NONE;
            if (k < Q->n_idle_heap) {
                heap_place(h, pos, k, last);
                idle_fix(sim, q, k);
            }
        } else {
            idle_fix(sim, q, pos[slot]);
        }
    }
}

/*
 * Index queue q? A head change of group g re-sorts one heap per indexed
 * queue of g (about 2 log2 n comparisons each), and a contact takes a head
 * at least once; the scan costs n comparisons per arrival. So index a queue
 * of n >= IDLE_INDEX_MIN_GROUPS groups whose groups have k skills on average
 * when 2 k log2 n <= n: 150 groups of 5 skills, yes (-15% instructions);
 * 150 groups of 150 skills, no (the index cost +12%).
 */
static bool want_index(const struct ccs_sim *sim, const struct ccs_queue *Q)
{
    if (Q->n_groups < IDLE_INDEX_MIN_GROUPS)
        return false;
    double skills = 0;
    for (uint32_t i = 0; i < Q->n_groups; i++)
        skills += sim->groups[Q->groups[i]].n_skills;
    return 2 * skills / Q->n_groups * log2(Q->n_groups) <= Q->n_groups;
}

static int idle_queues_build(struct ccs_sim *sim);

/* Build the index of the queues want_index picks, the heap of all groups
   if a queue walks it, and the set of queues with waiting contacts. */
static int idle_index_build(struct ccs_sim *sim)
{
    uint32_t nq = sim->view.n_queues, ng = sim->view.n_groups;
    sim->waiting_bits = ccs_calloc((size_t)nq / 64 + 1, sizeof *sim->waiting_bits);
    if (sim->waiting_bits == NULL)
        return CCS_ENOMEM;
    sim->view.waiting_queues = sim->waiting_bits;
    sim->view.n_waiting_queues = 0;
    sim->idle_key = ccs_malloc(((size_t)ng + 1) * sizeof *sim->idle_key);
    if (sim->idle_key == NULL)
        return CCS_ENOMEM;
    for (uint32_t g = 0; g < ng; g++)
        sim->idle_key[g] = (struct ccs_idle_key){0, CCS_NONE};
    sim->view.idle_key = sim->idle_key;
    int rc = idle_queues_build(sim);
    if (rc != 0)
        return rc;
    /* the list of all available agents: for queues that ccs_view_idle_walk
       would send to it */
    static const struct ccs_idle_link any;
    struct ccs_view probe = sim->view;
    probe.idle_links = &any; /* "if there were one" */
    bool walk = false;
    for (uint32_t q = 0; q < nq && !walk; q++)
        walk = ccs_view_idle_walk(&probe, &sim->queues[q]);
    if (!walk)
        return 0;
    sim->idle_links = ccs_malloc(((size_t)sim->view.n_agents + 1) * sizeof *sim->idle_links);
    if (sim->idle_links == NULL)
        return CCS_ENOMEM;
    sim->view.idle_links = sim->idle_links;
    sim->view.idle_first = sim->idle_last = CCS_NONE;
    return 0;
}

/* The per-queue heaps of the queues want_index picks. */
static int idle_queues_build(struct ccs_sim *sim)
{
    uint32_t nq = sim->view.n_queues, ng = sim->view.n_groups;
    size_t cells = 1, members = 0;
    for (uint32_t q = 0; q < nq; q++) {
        const struct ccs_queue *Q = &sim->queues[q];
        size_t end = (size_t)(Q->group_skill - sim->queue_groups);
        if (end + 1 > cells)
            cells = end + 1;
        if (want_index(sim, Q))
            members += Q->n_groups;
    }
    sim->idle_member_first = ccs_calloc((size_t)ng + 1, sizeof *sim->idle_member_first);
    if (sim->idle_member_first == NULL)
        return CCS_ENOMEM;
    if (members == 0)
        return 0;
    sim->idle_heap = ccs_malloc(cells * sizeof *sim->idle_heap);
    sim->idle_pos = ccs_malloc(cells * sizeof *sim->idle_pos);
    sim->idle_member = ccs_malloc(2 * members * sizeof *sim->idle_member);
    if (!sim->idle_heap || !sim->idle_pos || !sim->idle_member)
        return CCS_ENOMEM;
    for (size_t i = 0; i < cells; i++)
        sim->idle_pos[i] = CCS_NONE;
    /* count per group, then fill in queue order (counting sort) */
    for (uint32_t q = 0; q < nq; q++) {
        const struct ccs_queue *Q = &sim->queues[q];
        if (want_index(sim, Q))
            for (uint32_t i = 0; i < Q->n_groups; i++)
                sim->idle_member_first[Q->groups[i] + 1]++;
    }
    for (uint32_t g = 0; g < ng; g++)
        sim->idle_member_first[g + 1] += sim->idle_member_first[g];
    uint32_t *fill = ccs_calloc((size_t)ng + 1, sizeof *fill);
    if (fill == NULL)
        return CCS_ENOMEM;
    for (uint32_t q = 0; q < nq; q++) {
        struct ccs_queue *Q = &sim->queues[q];
        if (!want_index(sim, Q))
            continue;
        Q->idle_heap = sim->idle_heap + (Q->groups - sim->queue_groups);
        Q->n_idle_heap = 0;
        for (uint32_t i = 0; i < Q->n_groups; i++) {
            uint32_t g = Q->groups[i], m = sim->idle_member_first[g] + fill[g]++;
            sim->idle_member[2 * m] = q;
            sim->idle_member[2 * m + 1] = i;
        }
    }
    free(fill);
    return 0;
}

/* Is every queue's index a heap of exactly its groups with an available
   agent, its top the scan's answer? (checks.c, after every event) */
bool ccs__idle_index_ok(const struct ccs_sim *sim, uint32_t q)
{
    const struct ccs_queue *Q = &sim->queues[q];
    if (Q->idle_heap == NULL)
        return true;
    size_t off = (size_t)(Q->groups - sim->queue_groups);
    const uint32_t *h = sim->idle_heap + off, *pos = sim->idle_pos + off;
    uint32_t with_idle = 0, best = CCS_NONE;
    for (uint32_t i = 0; i < Q->n_groups; i++) {
        uint32_t a = sim->groups[Q->groups[i]].idle_head;
        if (a == CCS_NONE) {
            if (pos[i] != CCS_NONE)
                return false;
            continue;
        }
        with_idle++;
        if (pos[i] >= Q->n_idle_heap || h[pos[i]] != i)
            return false;
        if (best == CCS_NONE || idled_longer(sim, a, best))
            best = a;
    }
    if (with_idle != Q->n_idle_heap)
        return false;
    for (uint32_t k = 1; k < Q->n_idle_heap; k++)
        if (slot_before(sim, Q, h[k], h[(k - 1) / 2]))
            return false;
    return Q->n_idle_heap == 0 || sim->groups[Q->groups[h[0]]].idle_head == best;
}

bool ccs__idle_lists_ok(const struct ccs_sim *sim)
{
    uint32_t available = 0;
    for (uint32_t g = 0; g < sim->view.n_groups; g++) {
        uint32_t a = sim->groups[g].idle_head;
        if (sim->idle_key[g].head != a ||
            (a != CCS_NONE && sim->idle_key[g].since != sim->agents[a].idle_since))
            return false; /* the heaps' keys must be the lists' heads */
        for (; a != CCS_NONE; a = sim->agents[a].next) {
            uint32_t nx = sim->agents[a].next;
            if (nx != CCS_NONE && !idled_longer(sim, a, nx))
                return false;
        }
        available += sim->groups[g].n_idle;
    }
    if (sim->idle_links == NULL)
        return sim->view.idle_links == NULL;
    const struct ccs_idle_link *L = sim->idle_links;
    uint32_t n = 0, prev = CCS_NONE;
    for (uint32_t a = sim->view.idle_first; a != CCS_NONE; prev = a, a = L[a].next) {
        if (a >= sim->view.n_agents || ++n > available || !sim->agents[a].available ||
            L[a].prev != prev || L[a].group != sim->agents[a].group ||
            (prev != CCS_NONE && !idled_longer(sim, prev, a)))
            return false;
    }
    return n == available && sim->idle_last == prev;
}

/* --- available agents, per group, longest available first --------------------- */

/* Does agent p, available, rank after agent a, becoming available now
   (ccs_idle_before: both since now, p with the higher index)? Then a goes
   before p in a list where p is last: rare (logins at once, talks ending
   at one instant); a list in order of idle_since alone would rank them by
   when, within one event, they were freed. */
static bool ties_after(const struct ccs_sim *sim, uint32_t a, uint32_t p)
{
    return p != CCS_NONE && p > a && sim->agents[p].idle_since == sim->now;
}

/* The list of all available agents: a joins it (in order), a leaves it. */
#if defined(__GNUC__)
__attribute__((noinline))
#endif
static void links_insert(struct ccs_sim *sim, uint32_t a, uint32_t group)
{
    struct ccs_idle_link *L = sim->idle_links;
    uint32_t p = sim->idle_last;
    while (ties_after(sim, a, p))
        p = L[p].prev;
    uint32_t nx = p != CCS_NONE ? L[p].next : sim->view.idle_first;
    L[a] = (struct ccs_idle_link){p, nx, group, 0};
    if (p != CCS_NONE)
        L[p].next = a;
    else
        sim->view.idle_first = a;
    if (nx != CCS_NONE)
        L[nx].prev = a;
    else
        sim->idle_last = a;
}

#if defined(__GNUC__)
__attribute__((noinline))
#endif
static void links_remove(struct ccs_sim *sim, uint32_t a)
{
    struct ccs_idle_link *L = sim->idle_links;
    uint32_t p = L[a].prev, nx = L[a].next;
    if (p != CCS_NONE)
        L[p].next = nx;
    else
        sim->view.idle_first = nx;
    if (nx != CCS_NONE)
        L[nx].prev = p;
    else
        sim->idle_last = p;
}

/* avail_push where a ranks before the last of its group's list
   (ties_after): into the list's middle. */
#if defined(__GNUC__)
__attribute__((noinline, cold))
#endif
static void avail_insert_tied(struct ccs_sim *sim, uint32_t a)
{
    struct ccs_agent *ag = &sim->agents[a];
    struct ccs_group *g = &sim->groups[ag->group];
    uint32_t p = g->idle_tail;
    while (ties_after(sim, a, p))
        p = sim->agents[p].prev;
    uint32_t nx = p != CCS_NONE ? sim->agents[p].next : g->idle_head;
    ag->prev = p;
    ag->next = nx;
    if (p != CCS_NONE)
        sim->agents[p].next = a;
    else
        g->idle_head = a;
    sim->agents[nx].prev = a; /* not CCS_NONE: a ranks before the last */
    g->n_idle++;
    if (sim->idle_links != NULL)
        links_insert(sim, a, ag->group);
    if (p == CCS_NONE)
        idle_head_changed(sim, ag->group, nx);
}

/* Agent a joins its group's available list (ccs__agent_offer: its only
   caller, into which it is inlined on the path of every call). */
static inline void avail_push(struct ccs_sim *sim, uint32_t a)
{
    struct ccs_agent *ag = &sim->agents[a];
    struct ccs_group *g = &sim->groups[ag->group];
    assert(!ag->available);
    ag->available = true;
    ag->idle_since = sim->now;
    if (ties_after(sim, a, g->idle_tail)) {
        avail_insert_tied(sim, a);
        return;
    }
    ag->next = CCS_NONE;
    ag->prev = g->idle_tail;
    if (g->idle_tail != CCS_NONE)
        sim->agents[g->idle_tail].next = a;
    else
        g->idle_head = a;
    g->idle_tail = a;
    g->n_idle++;
    if (sim->idle_links != NULL)
        links_insert(sim, a, ag->group);
    if (g->idle_head == a)
        idle_head_changed(sim, ag->group, CCS_NONE);
}

void ccs__avail_remove(struct ccs_sim *sim, uint32_t a)
{
    struct ccs_agent *ag = &sim->agents[a];
    struct ccs_group *g = &sim->groups[ag->group];
    assert(ag->available && g->n_idle > 0);
    bool was_head = ag->prev == CCS_NONE;
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
    if (sim->idle_links != NULL)
        links_remove(sim, a);
    if (was_head)
        idle_head_changed(sim, ag->group, a);
}

/* --- service ----------------------------------------------------------------- */

/* Why agent a may not take contact c now, or NULL: then *skill is the
   index of the skill by which it takes it (start_service needs it: one
   lookup, not two). */
static const char *illegal(const struct ccs_sim *sim, const struct ccs_contact *c, uint32_t a,
                           int32_t *skill)
{
    if (a >= sim->view.n_agents)
        return "no such agent";
    const struct ccs_agent *ag = &sim->agents[a];
    if (ag->state == CCS_A_ABSENT || ag->state == CCS_A_BREAK)
        return "the agent is not logged in and available";
    if (!ag->available || ag->load >= sim->groups[ag->group].capacity)
        return "the agent has no free capacity";
    *skill = ccs_view_skill_index(&sim->view, ag->group, c->queue);
    if (*skill < 0)
        return "the agent's group lacks the contact's skill";
    return NULL;
}

/* Agent a takes one slot for contact c. */
static void take_slot(struct ccs_sim *sim, struct ccs_contact *c, uint32_t a)
{
    struct ccs_agent *ag = &sim->agents[a];
    struct ccs_group *g = &sim->groups[ag->group];
    ccs__acc_group_advance(sim, ag->group);
    if (ag->load == 0) {
        g->n_busy++;
        ag->state = CCS_A_BUSY;
    }
    ag->load++;
    g->busy_slots++;
    if (ag->load >= g->capacity)
        ccs__avail_remove(sim, a);
    c->state = CCS_C_TALK;
    c->agent = a;
    c->gen++;
    c->started = sim->now;
}

/* A conversation begins: c is answered. */
static void answer(struct ccs_sim *sim, struct ccs_contact *c, bool queued)
{
    double wait = sim->now - c->arrived;
    struct ccs_acc_line *acc = ccs__acc_line_of(sim, c);
    sim->bal.answered++;
    if (acc != NULL) {
        struct ccs_acc_line_run *run = &sim->acc.line_run[c->line];
        /* from the hot block, which a call answered as it arrives has
           just read, for the queue's first line (issue 16) */
        const struct ccs_queue_hot *h = &sim->qhot[c->queue];
        double within = c->line == h->first_line ? h->sla_within : sim->lines[c->line].sla_within;
        acc->answered++;
        ccs__acc_time_of(sim, c)->wait_ans += wait;
        if (wait <= within)
            acc->ans_within++;
        if (wait > run->max_wait)
            run->max_wait = wait;
        if (wait <= 0.0)
            run->wait_zeros++; /* what ccs__hist_add would count, in the line already read */
        else if (ccs__hist_add(&run->wait_hist, wait) != 0)
            ccs__fault(sim, CCS_ENOMEM, "out of memory (wait histogram)");
        if (queued && ccs__cx(sim, c)->predicted < INFINITY) {
            run->predicted++;
            run->pred_abs_err += fabs(ccs__cx(sim, c)->predicted - wait);
            run->pred_err += ccs__cx(sim, c)->predicted - wait;
        }
    }
    /* a consult ends when the leg is answered; a conference when its talk ends */
    if (ccs__cx(sim, c)->holder != CCS_NONE && !(c->flags & CCS_CF_CONFERENCE))
        ccs__lc_left_line(sim, c);
}

/* Agent a starts serving contact c by its group's skill s. */
static void start_service(struct ccs_sim *sim, struct ccs_contact *c, uint32_t a, int32_t s)
{
    bool queued = c->state == CCS_C_WAITING;
    take_slot(sim, c, a);
    if (c->flags & (CCS_CF_CALLBACK | CCS_CF_OUTBOUND)) {
        double busy;
        if (!ccs__lc_dial(sim, c, &busy)) {
            ccs__push(sim, sim->now + busy, CCS_EV_TALK_END, c->id, c->gen);
            CCS_TRACE(sim, CCS_TR_START, c, a, NAN, "dial");
            return;
        }
    }
    answer(sim, c, queued);
    const struct ccs_agent *ag = &sim->agents[a];
    const struct ccs_group *g = &sim->groups[ag->group];
    ccs__cx(sim, c)->gq = sim->acc.gq_first[ag->group] + (uint32_t)s;
    ccs__cx(sim, c)->group = ag->group;
    /* work / 1 is work exactly; skipping the read spares a cache miss per
       call at 10,000 agents (a group's skills are 150 x 32 bytes at 200
       queues) */
    double talk = ccs__cx(sim, c)->work;
    if (!sim->unit_levels)
        talk /= g->skills[s].level;
    if (ag->load > 1)
        talk *= 1.0 + sim->sc->groups[ag->group].slowdown * (ag->load - 1);
    ccs__push(sim, sim->now + talk, CCS_EV_TALK_END, c->id, c->gen);
    CCS_TRACE(sim, CCS_TR_START, c, a, sim->now - c->arrived, NULL);
}

/* Agent a has room: let the policy pick waiting contacts until it is full or
   declines; then it waits in its group's available list. */
void ccs__agent_offer(struct ccs_sim *sim, uint32_t a)
{
    struct ccs_agent *ag = &sim->agents[a];
    const struct ccs_group *g = &sim->groups[ag->group];
    if (ag->state == CCS_A_ABSENT || ag->state == CCS_A_BREAK || ag->pending != 0)
        return;
    if (!ag->available && ag->load < g->capacity)
        avail_push(sim, a);
    while (ag->load < g->capacity && sim->status == 0) {
        struct ccs_pick p = sim->policy->select_contact(sim->pstate, &sim->view, a);
        if (p.contact == CCS_NONE)
            break;
        if (p.contact >= sim->n_contacts_cap ||
            sim->contacts[p.contact].state != CCS_C_WAITING) {
            ccs__fault(sim, CCS_ESTATE, "policy '%s' picked contact %u, which is not waiting",
                       sim->policy->name, p.contact);
            return;
        }
        struct ccs_contact *c = &sim->contacts[p.contact];
        int32_t skill;
        const char *why = illegal(sim, c, a, &skill);
        if (why != NULL) {
            ccs__fault(sim, CCS_ESTATE, "policy '%s' gave contact %u to agent %u: %s",
                       sim->policy->name, c->id, a, why);
            return;
        }
        CCS_TRACE(sim, CCS_TR_ASSIGN, c, a, NAN, p.reason);
        ccs__line_remove(sim, c);
        start_service(sim, c, a, skill);
    }
}

void ccs__release(struct ccs_sim *sim, struct ccs_contact *c, bool keep)
{
    uint32_t a = c->agent;
    struct ccs_agent *ag = &sim->agents[a];
    struct ccs_group *g = &sim->groups[ag->group];
    sim->mean_hold[ag->group] += CCS_PRED_ALPHA * (sim->now - c->started - sim->mean_hold[ag->group]);
    ag->busy_time += sim->now - c->started; /* policies balance load on it (least_occupied) */
    ccs__acc_group_advance(sim, ag->group);
    ag->load--;
    g->busy_slots--;
    if (ag->load == 0) {
        g->n_busy--;
        ag->state = CCS_A_IDLE;
    }
    c->agent = CCS_NONE;
    if (!keep)
        ccs__contact_free(sim, c);
    if (ag->pending != 0 && ccs__staff_freed(sim, a))
        return;
    ccs__agent_offer(sim, a);
}

/* --- routing an entering (or reconsidered) contact ----------------------------- */

static void block(struct ccs_sim *sim, struct ccs_contact *c, const char *reason)
{
    CCS_TRACE(sim, CCS_TR_BLOCK, c, CCS_NONE, NAN, reason);
    struct ccs_acc_line *acc = ccs__acc_line_of(sim, c);
    if (acc != NULL)
        acc->blocked++;
    sim->bal.blocked++;
    ccs__lc_hang_up(sim, c);
    ccs__contact_free(sim, c);
}

/* Apply an ASSIGN decision: the skill it takes c by, or -1 (and a fault)
   if it is illegal. */
static int32_t assign(struct ccs_sim *sim, struct ccs_contact *c, const struct ccs_route *r)
{
    int32_t skill;
    const char *why = illegal(sim, c, r->agent, &skill);
    if (why != NULL) {
        ccs__fault(sim, CCS_ESTATE, "policy '%s' gave contact %u to agent %u: %s",
                   sim->policy->name, c->id, r->agent, why);
        return -1;
    }
    CCS_TRACE(sim, CCS_TR_ASSIGN, c, r->agent, NAN, r->reason);
    return skill;
}

static void ask_recheck(struct ccs_sim *sim, struct ccs_contact *c, const struct ccs_route *r)
{
    if (r->recheck == INFINITY)
        return;
    if (!(r->recheck > sim->now)) {
        ccs__fault(sim, CCS_ESTATE,
                   "policy '%s' asked to recheck contact %u at %g, not later than now",
                   sim->policy->name, c->id, r->recheck);
        return;
    }
    ccs__push(sim, r->recheck, CCS_EV_RECHECK, c->id, c->gen);
}

void ccs__route_entry(struct ccs_sim *sim, struct ccs_contact *c)
{
    if ((sim->qflags[c->queue] & CCS_QF_CLOSES) && ccs__closed(sim, c->queue, sim->now)) {
        ccs__lc_closed_entry(sim, c);
        return;
    }
    if ((sim->qflags[c->queue] & CCS_QF_TRUNK) && !ccs__lc_take_line(sim, c)) {
        block(sim, c, "all lines busy");
        return;
    }
    struct ccs_route r = sim->policy->route_contact(sim->pstate, &sim->view, c->id);
    switch (r.action) {
    case CCS_ROUTE_ASSIGN: {
        int32_t skill = assign(sim, c, &r);
        if (skill >= 0) {
            ccs__cx(sim, c)->predicted = 0;
            start_service(sim, c, r.agent, skill);
        }
        return;
    }
    case CCS_ROUTE_QUEUE: {
        if (c->flags & CCS_CF_SKIP) { /* a conference that happens only at once */
            ccs__lc_skipped(sim, c);
            return;
        }
        const struct ccs_queue_def *qd = &sim->sc->queues[c->queue];
        if (qd->capacity >= 0 && sim->queues[c->queue].waiting >= (uint32_t)qd->capacity) {
            block(sim, c, "no waiting place left (max_waiting)");
            return;
        }
        ccs__cx(sim, c)->predicted =
            ccs_view_predict_wait(&sim->view, c->queue, sim->queues[c->queue].waiting);
        CCS_TRACE(sim, CCS_TR_QUEUE, c, CCS_NONE, NAN, r.reason);
        ccs__line_push(sim, c);
        struct ccs_acc_line_run *run = ccs__acc_run_at(sim, c->line, c->arrived);
        if (run != NULL)
            run->waited++;
        if (qd->message_after > 0 && c->arrived + qd->message_after < ccs__cx(sim, c)->deadline &&
            !(c->flags & CCS_CF_CALLBACK)) {
            /* it leaves a message before its patience runs out: the abandonment
               timer becomes the message timer (handle_abandon tells them apart) */
            ccs__cx(sim, c)->deadline = c->arrived + qd->message_after;
            c->flags |= CCS_CF_MESSAGE;
        }
        if (ccs__cx(sim, c)->deadline < INFINITY)
            ccs__push(sim, ccs__cx(sim, c)->deadline, CCS_EV_ABANDON, c->id, c->gen);
        if (sim->qflags[c->queue] & CCS_QF_CALLBACK)
            ccs__lc_enqueued(sim, c);
        ask_recheck(sim, c, &r);
        return;
    }
    case CCS_ROUTE_REJECT:
        if (c->flags & CCS_CF_SKIP)
            ccs__lc_skipped(sim, c);
        else
            block(sim, c, r.reason);
        return;
    }
    ccs__fault(sim, CCS_ESTATE, "policy '%s' returned an unknown action", sim->policy->name);
}

void ccs__rejoin(struct ccs_sim *sim, struct ccs_contact *c)
{
    struct ccs_route r = sim->policy->route_contact(sim->pstate, &sim->view, c->id);
    if (r.action == CCS_ROUTE_ASSIGN) {
        int32_t skill = assign(sim, c, &r);
        if (skill >= 0)
            start_service(sim, c, r.agent, skill);
        return;
    }
    ccs__line_push(sim, c);
    ask_recheck(sim, c, &r);
}

/* A waiting contact the policy asked to reconsider. */
static void handle_recheck(struct ccs_sim *sim, uint32_t id, uint32_t gen)
{
    struct ccs_contact *c = &sim->contacts[id];
    if (c->gen != gen || c->state != CCS_C_WAITING)
        return;
    ccs__reconsider(sim, c);
}

void ccs__reconsider(struct ccs_sim *sim, struct ccs_contact *c)
{
    struct ccs_route r = sim->policy->route_contact(sim->pstate, &sim->view, c->id);
    switch (r.action) {
    case CCS_ROUTE_ASSIGN: {
        int32_t skill = assign(sim, c, &r);
        if (skill >= 0) {
            ccs__line_remove(sim, c);
            start_service(sim, c, r.agent, skill);
        }
        return;
    }
    case CCS_ROUTE_QUEUE:
        ask_recheck(sim, c, &r);
        return;
    case CCS_ROUTE_REJECT:
        ccs__fault(sim, CCS_ESTATE, "policy '%s' rejected contact %u, which was already waiting",
                   sim->policy->name, c->id);
        return;
    }
}

/* --- arrivals -------------------------------------------------------------------- */

/* A fresh arrival's draws where they take the fast path (CCS_QH_DRAWS):
   the numbers ccs__draw_needs would draw from the queue's streams, from the
   hot block alone. */
static void draw_fresh(struct ccs_sim *sim, struct ccs_contact *c, struct ccs_queue_hot *h)
{
    struct ccs__contact_x *x = ccs__cx(sim, c);
    uint32_t q = c->queue;
    x->work = h->handle_b * ccs__rng_exp1_at(h->st[CCS_QS_WORK].s, ccs__qrng(sim, q, CCS_QS_WORK));
    x->wrap = (h->flags & CCS_QF_WRAP)
                  ? h->wrap_b * ccs__rng_exp1_at(h->st[CCS_QS_WRAP].s, ccs__qrng(sim, q, CCS_QS_WRAP))
                  : 0.0;
    x->deadline = (h->fast & CCS_QH_PATIENT)
                      ? INFINITY
                      : sim->now + h->patience_b * ccs__rng_exp1_at(h->st[CCS_QS_PATIENCE].s,
                                                                    ccs__qrng(sim, q, CCS_QS_PATIENCE));
}

static void handle_arrival(struct ccs_sim *sim, uint32_t q, uint32_t gen)
{
    struct ccs_queue_hot *h = &sim->qhot[q];
    double now = sim->now;

    if (gen != h->gen)
        return; /* redrawn by a live change of the rate (live.c) */
    const struct ccs_trace_rec *rec = (h->fast & CCS_QH_TRACE) ? ccs__trace_take(sim, q) : NULL;
    double next = (h->fast & CCS_QH_POISSON)
                      ? now + ccs__rng_exp1_at(h->st[CCS_QS_ARRIVALS].s,
                                               ccs__qrng(sim, q, CCS_QS_ARRIVALS)) / h->rate
                      : ccs__next_arrival(sim, q, now);
    if (next < sim->sc->horizon)
        ccs__push(sim, next, CCS_EV_ARRIVAL, q, gen);

    uint32_t id = ccs__contact_new(sim);
    if (id == CCS_NONE)
        return;
    struct ccs_contact *c = &sim->contacts[id];
    uint32_t seg = 0;
    if (rec != NULL) {
        seg = rec->segment;
    } else if (h->flags & CCS_QF_SEGMENTS) {
        const struct ccs_queue_def *qd = &sim->sc->queues[q];
        double u = ccs__rng_u01(ccs__qrng(sim, q, CCS_QS_SEGMENT)), cum = 0;
        for (seg = 0; seg + 1 < qd->n_segments; seg++) {
            cum += qd->segments[seg].share;
            if (u < cum)
                break;
        }
    }
    /* from the hot block, which the arrival reads anyway, not from the
       definition, the queue's view and its line (issue 16) */
    c->queue = q;
    c->segment = seg;
    c->line = h->first_line + seg;
    c->channel = h->channel;
    ccs__acc_entered(sim, c); /* now == sim->now */
    c->credit = seg == 0 ? h->credit : sim->lines[c->line].credit;
    if (h->fast & CCS_QH_DRAWS)
        draw_fresh(sim, c, h);
    else
        ccs__draw_needs(sim, c, ccs__qrng(sim, q, CCS_QS_WORK), ccs__qrng(sim, q, CCS_QS_WRAP),
                        ccs__qrng(sim, q, CCS_QS_PATIENCE));
    if (rec != NULL) {
        /* a replayed contact brings its own handle time and (censored) patience */
        if (!isnan(rec->work))
            ccs__cx(sim, c)->work = rec->work;
        if (!isnan(rec->wrap))
            ccs__cx(sim, c)->wrap = rec->wrap;
        ccs__cx(sim, c)->deadline = now + ccs__trace_patience(sim, q, rec);
    }
    if (h->flags & (CCS_QF_CALLBACK | CCS_QF_AFTER)) /* else nothing to draw */
        ccs__lc_arrival_draws(sim, c);

    sim->bal.arrivals++;
    struct ccs_acc_line *acc = ccs__acc_line_of(sim, c);
    if (acc != NULL) {
        acc->offered++;
        sim->acc.line_run[c->line].customers++;
    }
    CCS_TRACE(sim, CCS_TR_ARRIVE, c, CCS_NONE, NAN, NULL);
    ccs__route_entry(sim, c);
}

/* --- other events -------------------------------------------------------------- */

/* Waiting contact c (out of its line) leaves a message: its own outcome,
   neither answered nor abandoned; it never redials. */
static void leave_message(struct ccs_sim *sim, struct ccs_contact *c, double wait,
                          struct ccs_acc_line *acc)
{
    sim->bal.messages++;
    if (acc != NULL) {
        struct ccs_acc_line_run *run = &sim->acc.line_run[c->line];
        acc->messages++;
        if (wait <= sim->lines[c->line].sla_within)
            acc->msg_within++;
        if (wait > run->max_wait)
            run->max_wait = wait;
    }
    CCS_TRACE(sim, CCS_TR_MESSAGE, c, CCS_NONE, wait, NULL);
    ccs__lc_gone_waiting(sim, c);
    ccs__contact_free(sim, c);
}

static void handle_abandon(struct ccs_sim *sim, uint32_t id, uint32_t gen)
{
    struct ccs_contact *c = &sim->contacts[id];
    if (c->gen != gen || c->state != CCS_C_WAITING || (c->flags & CCS_CF_CALLBACK))
        return; /* served, gone, or waiting for a callback: the timer was cancelled lazily */
    ccs__line_remove(sim, c);
    double wait = sim->now - c->arrived;
    struct ccs_acc_line *acc = ccs__acc_line_of(sim, c);
    if (c->flags & CCS_CF_MESSAGE) {
        leave_message(sim, c, wait, acc);
        return;
    }
    sim->bal.abandoned++;
    if (acc != NULL) {
        struct ccs_acc_line_run *run = &sim->acc.line_run[c->line];
        acc->abandoned++;
        run->wait_ab += wait;
        if (wait <= sim->lines[c->line].sla_within)
            acc->ab_within++;
        if (wait > run->max_wait)
            run->max_wait = wait;
    }
    CCS_TRACE(sim, CCS_TR_ABANDON, c, CCS_NONE, wait, NULL);
    ccs__lc_gone_waiting(sim, c);
    if (sim->qflags[c->queue] & CCS_QF_REDIAL) {
        ccs__lc_abandoned(sim, c);
        c = &sim->contacts[id]; /* a redial may have grown (moved) the pool */
    }
    ccs__contact_free(sim, c);
}

/* The talk part of a service is over and nothing keeps the agent: wrap up. */
void ccs__after_talk(struct ccs_sim *sim, struct ccs_contact *c)
{
    if (ccs__cx(sim, c)->wrap > 0) {
        c->state = CCS_C_WRAP;
        c->gen++;
        ccs__push(sim, sim->now + ccs__cx(sim, c)->wrap, CCS_EV_WRAP_END, c->id, c->gen);
        return;
    }
    ccs__release(sim, c, false);
}

static void handle_talk_end(struct ccs_sim *sim, uint32_t id, uint32_t gen)
{
    struct ccs_contact *c = &sim->contacts[id];
    if (c->gen != gen || c->state != CCS_C_TALK)
        return;
    uint32_t a = c->agent, g = sim->agents[a].group;
    double talk = sim->now - c->started;
    struct ccs_acc_line_run *run = ccs__acc_run_at(sim, c->line, c->arrived);
    if (c->flags & CCS_CF_NOREACH) {
        /* a dial that did not connect: the agent is free, the contact decides */
        CCS_TRACE(sim, CCS_TR_DIAL_FAIL, c, a, NAN, NULL);
        if (run != NULL) {
            run->agent_time += talk;
            *ccs__acc_gq(sim, g, c->queue) += talk;
        }
        c->flags &= (uint16_t)~CCS_CF_NOREACH;
        ccs__release(sim, c, true);
        ccs__lc_dial_failed(sim, c);
        return;
    }
    struct ccs_acc_line *acc = ccs__acc_line_of(sim, c);
    if (acc != NULL) {
        struct ccs_acc_time *t = ccs__acc_time_of(sim, c);
        acc->handled++;
        t->talk += talk;
        t->wrap += ccs__cx(sim, c)->wrap;
        run->agent_time += talk + ccs__cx(sim, c)->wrap;
        assert(&sim->acc.gq_busy[ccs__cx(sim, c)->gq] == ccs__acc_gq(sim, g, c->queue));
        sim->acc.gq_busy[ccs__cx(sim, c)->gq] += talk + ccs__cx(sim, c)->wrap;
    }
    CCS_TRACE(sim, CCS_TR_TALK_END, c, a, NAN, NULL);
    if (ccs__cx(sim, c)->holder != CCS_NONE) /* a conference leg: the first agent stops holding */
        ccs__lc_left_line(sim, c);
    if (sim->policy->on_service_end != NULL)
        sim->policy->on_service_end(sim->pstate, &sim->view, id, a);
    if (sim->qflags[c->queue] & CCS_QF_AFTER) {
        if (ccs__lc_conversation_end(sim, c, a))
            return; /* the agent holds for a consult transfer */
        c = &sim->contacts[id]; /* a transfer leg or repeat may have grown (moved) the pool */
    } else if (run != NULL) {
        run->ended++;
        run->resolved++;
        run->first_ended += ccs__cx(sim, c)->repeats == 0;
        run->first_resolved += ccs__cx(sim, c)->repeats == 0;
    }
    ccs__lc_drop_line(sim, c);
    ccs__after_talk(sim, c);
}

static void handle_wrap_end(struct ccs_sim *sim, uint32_t id, uint32_t gen)
{
    struct ccs_contact *c = &sim->contacts[id];
    if (c->gen != gen || c->state != CCS_C_WRAP)
        return;
    CCS_TRACE(sim, CCS_TR_WRAP_END, c, c->agent, NAN, NULL);
    ccs__release(sim, c, false);
}

static void handle_return(struct ccs_sim *sim, uint32_t id, uint32_t gen)
{
    struct ccs_contact *c = &sim->contacts[id];
    if (c->gen != gen || c->state != CCS_C_HELD)
        return;
    ccs__lc_return(sim, c);
}

static void handle_cb_offer(struct ccs_sim *sim, uint32_t id, uint32_t gen)
{
    struct ccs_contact *c = &sim->contacts[id];
    if (c->gen != gen || c->state != CCS_C_WAITING || (c->flags & CCS_CF_CALLBACK))
        return;
    ccs__lc_callback_offer(sim, c);
}

/* Interval i begins now (i = n_intervals: the horizon). */
static void handle_interval(struct ccs_sim *sim, uint32_t i)
{
    const struct ccs_scenario *sc = sim->sc;
    ccs__acc_snapshot(sim, i);
    ccs__acc_groups_flush(sim, i);
    if (i >= sc->n_intervals)
        return;
    if (sim->policy->on_interval != NULL)
        sim->policy->on_interval(sim->pstate, &sim->view, i);
    double next = (i + 1.0) * sc->interval;
    if (next < sc->horizon)
        ccs__push(sim, next, CCS_EV_INTERVAL, i + 1, 0);
    else
        ccs__push(sim, sc->horizon, CCS_EV_INTERVAL, sc->n_intervals, 0);
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
        handle_arrival(sim, e->obj, e->gen);
        break;
    case CCS_EV_RETURN:
        handle_return(sim, e->obj, e->gen);
        break;
    case CCS_EV_RECHECK:
        handle_recheck(sim, e->obj, e->gen);
        break;
    case CCS_EV_CB_OFFER:
        handle_cb_offer(sim, e->obj, e->gen);
        break;
    case CCS_EV_INTERVAL:
        handle_interval(sim, e->obj);
        break;
    case CCS_EV_CLOSE:
        ccs__lc_close(sim, e->obj);
        break;
    case CCS_EV_STAFF:
        if (e->obj == CCS_STAFF_START) {
            /* the start of the run: logins, plans and shifts, campaign records */
            ccs__staff_start(sim);
            ccs__lc_start(sim);
        } else {
            ccs__staff_event(sim, e->obj, e->gen);
        }
        break;
    }
}

/* --- the run loop -------------------------------------------------------------- */

static void finish(struct ccs_sim *sim)
{
    if (sim->finalized)
        return;
    sim->finalized = true;
    double saved = sim->now;
    if (sim->now < sim->sc->horizon)
        sim->now = sim->sc->horizon;
    ccs__acc_snapshot(sim, sim->sc->n_intervals);
    sim->now = saved;
    ccs__acc_finish(sim, sim->sc->horizon);
    ccs__lc_finish(sim);
}

/* Is the next event past the end of the run? */
/* Agents from which the run loop prefetches for the next events. */
#define CCS_LOOKAHEAD_AGENTS 2000

static bool over(const struct ccs_sim *sim, const struct ccs_evq_node *e)
{
    return e == NULL || (!sim->sc->drain && ccs__evq_time(e) >= sim->sc->horizon);
}

int ccs_sim_step(struct ccs_sim *sim)
{
    if (sim->status != 0)
        return sim->status;
    const struct ccs_evq_node *top = ccs__eventq_peek(&sim->evq);
    if (over(sim, top)) {
        finish(sim);
        return sim->status != 0 ? sim->status : 0;
    }
    struct ccs_event e;
    ccs__eventq_pop(&sim->evq, &e);
    sim->now = sim->view.now = e.t;
    dispatch(sim, &e);
    if (sim->checks)
        ccs__check_invariants(sim);
    return sim->status != 0 ? sim->status : 1;
}

int ccs_sim_run_until(struct ccs_sim *sim, double t)
{
    for (;;) {
        if (sim->status != 0)
            return sim->status;
        const struct ccs_evq_node *top = ccs__eventq_peek(&sim->evq);
        if (over(sim, top)) {
            finish(sim);
            return sim->status != 0 ? sim->status : 0;
        }
        if (ccs__evq_time(top) >= t)
            return 1;
        struct ccs_event e;
        ccs__eventq_pop(&sim->evq, &e);
        sim->now = sim->view.now = e.t;
        /* Start loading what the next two events read while this one runs
           (issue 16: at 10,000 agents these are cache misses): the contact
           of the one after next; the agent of the next, whose contact was
           asked for one event ago, or the queue of an arrival. Only hints,
           written here in the loop because GCC drops a function that only
           prefetches; the next events may yet change, and nothing here
           changes what the run computes. */
        unsigned kind, kind2;
        uint32_t obj, obj2 = 0;
        if (sim->lookahead && ccs__eventq_ahead(&sim->evq, &kind, &obj, &kind2, &obj2)) {
            /* the event after next: what its object is (a contact and the
               first line of its private state, or a queue's hot block and
               view), which the next pass reads to prefetch the rest */
            if (kind2 >= CCS_EV_TALK_END && kind2 <= CCS_EV_ABANDON) {
                __builtin_prefetch(&sim->contacts[obj2]);
                __builtin_prefetch(&sim->cx[obj2]);
            } else if (kind2 == CCS_EV_ARRIVAL) {
                const char *h = (const char *)&sim->qhot[obj2];
                __builtin_prefetch(h);
                __builtin_prefetch(h + 64);
                __builtin_prefetch(h + 128);
                __builtin_prefetch(&sim->queues[obj2]);
            }
            /* the next event: what it reaches through its object, loaded
               one event ago */
            switch ((enum ccs_ev_kind)kind) {
            case CCS_EV_TALK_END: {
                const struct ccs_contact *c = &sim->contacts[obj];
                const struct ccs__contact_x *x = &sim->cx[obj];
                if (c->agent < sim->view.n_agents) {
                    __builtin_prefetch(&sim->agents[c->agent]);
                    __builtin_prefetch(&sim->acc.group_cur[x->group]);
                    __builtin_prefetch(&sim->groups[x->group]);
                    __builtin_prefetch(&sim->acc.gq_busy[x->gq]);
                }
                if (x->interval != CCS_NONE) {
                    __builtin_prefetch(&sim->acc.line[(size_t)c->line * sim->acc.line_ni +
                                                      x->interval * sim->acc.line_step]);
                    __builtin_prefetch(&sim->acc.line_run[c->line]);
                }
                break;
            }
            case CCS_EV_WRAP_END: {
                const struct ccs_contact *c = &sim->contacts[obj];
                if (c->agent < sim->view.n_agents) {
                    __builtin_prefetch(&sim->agents[c->agent]);
                    __builtin_prefetch(&sim->acc.group_cur[sim->cx[obj].group]);
                }
                break;
            }
            case CCS_EV_ARRIVAL: {
                const struct ccs_queue_hot *h = &sim->qhot[obj];
                uint32_t i = ccs__acc_interval(sim, sim->now);
                if (i != CCS_NONE) {
                    __builtin_prefetch(&sim->acc.line[(size_t)h->first_line * sim->acc.line_ni +
                                                      i * sim->acc.line_step]);
                    __builtin_prefetch(&sim->acc.line_run[h->first_line]);
                }
                const struct ccs_queue *Q = &sim->queues[obj];
                __builtin_prefetch(Q->groups);
                break;
            }
            default:
                break;
            }
        }
        dispatch(sim, &e);
        if (sim->checks)
            ccs__check_invariants(sim);
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

void ccs_sim_set_checks(struct ccs_sim *sim, bool on)
{
    sim->checks = on;
}

void ccs_sim_balance(const struct ccs_sim *sim, struct ccs_sim_balance *out)
{
    const struct ccs_balance *b = &sim->bal;
    out->arrivals = b->arrivals;
    out->redials = b->redials;
    out->repeats = b->repeats;
    out->transfers = b->transfers;
    out->records = b->records;
    out->answered = b->answered;
    out->abandoned = b->abandoned;
    out->blocked = b->blocked;
    out->failed = b->failed;
    out->pending = b->pending;
    out->messages = b->messages;
    out->disconnected = b->disconnected;
}

/* --- construction -------------------------------------------------------------- */

/* A draw the hot block can take without the definition: exponential (its
   mean in *b) or, where allowed, none (*b = 0). */
static bool fast_dist(const struct ccs_dist *d, bool none_ok, double *b)
{
    *b = 0;
    if (d->kind == CCS_DIST_NONE)
        return none_ok;
    if (d->kind != CCS_DIST_EXPONENTIAL)
        return false;
    *b = d->b;
    return true;
}

/* Queue q's hot block, all but its streams and arrivals (make_streams,
   ccs__arrivals_hot). */
static void queue_hot_fill(struct ccs_sim *sim, uint32_t q)
{
    const struct ccs_queue_def *qd = &sim->sc->queues[q];
    struct ccs_queue_hot *h = &sim->qhot[q];
    h->flags = (uint8_t)((qd->trunk >= 0 ? CCS_QF_TRUNK : 0) |
                         (qd->callback.on ? CCS_QF_CALLBACK : 0) |
                         (qd->n_transfers > 0 || qd->resolution.probability < 1 ? CCS_QF_AFTER
                                                                                 : 0) |
                         (qd->redial.probability > 0 ? CCS_QF_REDIAL : 0) |
                         (qd->has_closes_at ? CCS_QF_CLOSES : 0) |
                         (qd->handle_steps.factor != NULL || qd->patience_steps.factor != NULL
                              ? CCS_QF_STEPS
                              : 0) |
                         (qd->wrap.kind != CCS_DIST_NONE ? CCS_QF_WRAP : 0) |
                         (qd->n_segments > 1 ? CCS_QF_SEGMENTS : 0));
    sim->qflags[q] = h->flags;
    h->first_line = sim->queues[q].first_line;
    h->channel = sim->queues[q].channel;
    h->credit = sim->lines[h->first_line].credit;
    h->sla_within = sim->lines[h->first_line].sla_within;
    bool draws = !(h->flags & CCS_QF_STEPS) && fast_dist(&qd->handle, false, &h->handle_b) &&
                 fast_dist(&qd->wrap, true, &h->wrap_b) &&
                 fast_dist(&qd->patience, true, &h->patience_b);
    h->fast = (uint8_t)((draws ? CCS_QH_DRAWS : 0) |
                        (qd->patience.kind == CCS_DIST_NONE ? CCS_QH_PATIENT : 0));
}

static int build_model(struct ccs_sim *sim)
{
    const struct ccs_scenario *sc = sim->sc;
    struct ccs__world w;
    if (ccs__world_build(sc, &w) != 0)
        return CCS_ENOMEM;
    /* the simulation owns the world's arrays from here on (ccs_sim_free) */
    sim->queues = w.queues;
    sim->lines = w.lines;
    sim->groups = w.groups;
    sim->lines_raw = w.lines_raw;
    sim->groups_raw = w.groups_raw;
    sim->agents = w.agents;
    sim->agents_raw = w.agents_raw;
    sim->skill_table = w.skill_table;
    sim->skill_refs = w.skill_refs;
    sim->skill_first = w.skill_first;
    sim->queue_groups = w.queue_groups;
    sim->mean_hold = w.mean_hold;
    sim->view = w.view;
    sim->view.contacts = sim->contacts;
    sim->view.n_contacts = sim->n_contacts_cap;
    /* W1's 100 agents fit in the caches, and there the prefetching costs
       13% (a switch on a kind that alternates unpredictably) */
    sim->lookahead = w.view.n_agents >= CCS_LOOKAHEAD_AGENTS;
    sim->unit_levels = true;
    for (uint32_t g = 0; g < w.view.n_groups; g++)
        for (uint32_t k = 0; k < w.groups[g].n_skills; k++)
            sim->unit_levels &= w.groups[g].skills[k].level == 1.0;
    sim->ax = ccs_calloc(w.view.n_agents ? w.view.n_agents : 1, sizeof *sim->ax);
    if (sim->ax == NULL || idle_index_build(sim) != 0)
        return CCS_ENOMEM;
    size_t nq = sc->n_queues;
    sim->qhot = ccs__calloc_lines(nq, sizeof *sim->qhot, &sim->qhot_raw);
    sim->qrng = ccs__calloc_lines(nq, sizeof *sim->qrng, &sim->qrng_raw);
    sim->trunk_busy = ccs_calloc(sc->n_trunks + 1, sizeof *sim->trunk_busy);
    sim->qflags = ccs_calloc(nq, sizeof *sim->qflags);
    if (!sim->qhot || !sim->qrng || !sim->trunk_busy || !sim->qflags)
        return CCS_ENOMEM;
    for (size_t q = 0; q < nq; q++)
        queue_hot_fill(sim, (uint32_t)q);
    return 0;
}

static int make_streams(struct ccs_sim *sim)
{
    /* in the order of the cells: what every arrival draws from first */
    static const char *const purposes[CCS_QUEUE_STREAMS] = {
        [CCS_QS_ARRIVALS] = "arrivals", [CCS_QS_WORK] = "work",
        [CCS_QS_PATIENCE] = "patience", [CCS_QS_WRAP] = "wrap",
        [CCS_QS_SEGMENT] = "segment",   [CCS_QS_CALLBACK] = "callback",
        [CCS_QS_TRANSFER] = "transfer", [CCS_QS_RESOLUTION] = "resolution",
        [CCS_QS_SECONDARY] = "secondary"};
    const struct ccs_scenario *sc = sim->sc;
    for (size_t q = 0; q < sc->n_queues; q++) {
        const char *id = sc->queues[q].id;
        for (size_t i = 0; i < CCS_QUEUE_STREAMS; i++)
            ccs__rng_init_at(&sim->qrng[q].r[i],
                             i < CCS_QS_HOT ? &sim->qhot[q].st[i]
                                            : &sim->qrng[q].st[i - CCS_QS_HOT],
                             sim->seed, sim->rep, ccs__stream_id(purposes[i], id));
    }
    sim->route_rng = ccs__rng_new(sim->seed, sim->rep, ccs__stream_id("routing", ""));
    return sim->route_rng ? 0 : CCS_ENOMEM;
}

static void free_streams(struct ccs_sim *sim)
{
    /* the queues' streams live in sim->qrng */
    if (sim->route_rng != NULL)
        gsl_rng_free(sim->route_rng);
}

int ccs_sim_new(const struct ccs_scenario *sc, uint64_t seed, uint32_t rep,
                struct ccs_sim **out, struct ccs_diag *d)
{
    return ccs__sim_new(sc, seed, rep, false, out, d);
}

int ccs__sim_new(const struct ccs_scenario *sc, uint64_t seed, uint32_t rep, bool whole_only,
                 struct ccs_sim **out, struct ccs_diag *d)
{
    *out = NULL;
    struct ccs_sim *sim = ccs_calloc(1, sizeof *sim);
    if (sim == NULL)
        return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    sim->sc = sc;
    sim->seed = seed;
    sim->rep = rep;
    sim->whole_only = whole_only;
    sim->stat_start = sc->warmup;
    sim->policy = sc->policy;
    sim->free_contact = CCS_NONE;
    sim->n_contacts_cap = 256;
    sim->contacts = ccs__calloc_lines(sim->n_contacts_cap, sizeof *sim->contacts,
                                      &sim->contacts_raw);
    int rc = CCS_ENOMEM;
    if (sim->contacts == NULL || cx_alloc(sim, sim->n_contacts_cap) != 0 ||
        ccs__eventq_init(&sim->evq, 1024) != 0)
        goto fail;
    link_free_slots(sim, 0, sim->n_contacts_cap);
    if ((rc = build_model(sim)) != 0 || (rc = make_streams(sim)) != 0 ||
        (rc = ccs__acc_init(sim)) != 0 ||
        (rc = ccs__arrivals_init(sim)) != 0)
        goto fail;
    rc = sim->policy->init(sc->policy_params, &sim->view, (struct ccs_stream *)sim->route_rng,
                           &sim->pstate, d);
    if (rc != 0) {
        sim->pstate = NULL;
        ccs_sim_free(sim);
        return rc;
    }
    if ((rc = ccs__staff_init(sim)) != 0)
        goto fail;
    /* the run starts with an event, so a trace set after ccs_sim_new sees it */
    ccs__push(sim, 0.0, CCS_EV_STAFF, CCS_STAFF_START, 0);
    for (uint32_t q = 0; q < sc->n_queues; q++) {
        double t = ccs__next_arrival(sim, q, 0.0);
        if (t < sc->horizon)
            ccs__push(sim, t, CCS_EV_ARRIVAL, q, 0);
    }
    ccs__push(sim, 0.0, CCS_EV_INTERVAL, 0, 0);
    for (uint32_t q = 0; q < sc->n_queues; q++) {
        double t = sc->queues[q].close_disconnect ? ccs__next_close(sim, q, 0.0) : INFINITY;
        if (t < INFINITY)
            ccs__push(sim, t, CCS_EV_CLOSE, q, 0);
    }
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
    ccs__live_free(sim->live);
    free_streams(sim);
    ccs__arrivals_release(sim);
    ccs__staff_release(sim);
    ccs__acc_release(sim);
    ccs__eventq_release(&sim->evq);
    free(sim->qhot_raw);
    free(sim->qrng_raw);
    free(sim->mean_hold);
    free(sim->trunk_busy);
    free(sim->qflags);
    free(sim->queue_groups);
    free(sim->idle_heap);
    free(sim->idle_pos);
    free(sim->idle_member_first);
    free(sim->idle_member);
    free(sim->idle_links);
    free(sim->idle_key);
    free(sim->waiting_bits);
    free(sim->skill_table);
    free(sim->skill_refs);
    free(sim->skill_first);
    free(sim->agents_raw);
    free(sim->ax);
    free(sim->groups_raw);
    free(sim->lines_raw);
    free(sim->queues);
    free(sim->contacts_raw);
    free(sim->cx_raw);
    free(sim);
}
