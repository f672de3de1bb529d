/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * lifecycle.c - what happens around a conversation: trunk lines, callback
 * offers and dials, outbound campaign records, redials after abandonment,
 * transfers, first-contact resolution and repeat contacts, and the balance
 * that proves no contact is lost or counted twice. docs/channels.md states
 * the rules; engine.c calls in at the points named in engine.h.
 *
 * Randomness: decisions about a fresh arrival (accept a callback, transfer,
 * resolve) are drawn at arrival from streams of their own, so variants see
 * the same decisions; everything created during the run (redials, repeats,
 * transfer legs, dial outcomes) draws from the queue's "secondary" stream and
 * cannot disturb the fresh arrivals' streams.
 */
#include "model/engine.h"

#include "ccs/error.h"
#include "core/rng.h"
#include "core/timeconst.h"

#include <math.h>
#include <string.h>

static const struct ccs_queue_def *qdef(const struct ccs_sim *sim, const struct ccs_contact *c)
{
    return &sim->sc->queues[c->queue];
}

void ccs__lc_arrival_draws(struct ccs_sim *sim, struct ccs_contact *c)
{
    const struct ccs_queue_def *qd = qdef(sim, c);
    uint32_t q = c->queue;
    if (qd->callback.on)
        ccs__cx(sim, c)->u_accept = ccs__rng_u01(ccs__qrng(sim, q, CCS_QS_CALLBACK));
    if (qd->n_transfers > 0)
        ccs__cx(sim, c)->u_transfer = ccs__rng_u01(ccs__qrng(sim, q, CCS_QS_TRANSFER));
    if (qd->resolution.probability < 1)
        ccs__cx(sim, c)->u_resolve = ccs__rng_u01(ccs__qrng(sim, q, CCS_QS_RESOLUTION));
}

/* Decisions of a contact created during the run. */
static void secondary_draws(struct ccs_sim *sim, struct ccs_contact *c)
{
    const struct ccs_queue_def *qd = qdef(sim, c);
    gsl_rng *r = ccs__qrng(sim, c->queue, CCS_QS_SECONDARY);
    ccs__draw_needs(sim, c, r, r, r);
    ccs__cx(sim, c)->u_accept = qd->callback.on ? ccs__rng_u01(r) : 1.0;
    ccs__cx(sim, c)->u_transfer = qd->n_transfers > 0 ? ccs__rng_u01(r) : 1.0;
    ccs__cx(sim, c)->u_resolve = qd->resolution.probability < 1 ? ccs__rng_u01(r) : 1.0;
}

/* --- trunk lines ---------------------------------------------------------------- */

bool ccs__lc_take_line(struct ccs_sim *sim, struct ccs_contact *c)
{
    int32_t t = qdef(sim, c)->trunk;
    /* a transferred call is already inside the center: it keeps the line it
       came on, if any, and never takes a second one */
    if (t < 0 || ccs__cx(sim, c)->trunk >= 0 || c->channel != CCS_CH_VOICE ||
        (c->flags & CCS_CF_TRANSFER))
        return true;
    if (sim->trunk_busy[t] >= sim->sc->trunks[t].lines)
        return false;
    sim->trunk_busy[t]++;
    ccs__cx(sim, c)->trunk = t;
    ccs__cx(sim, c)->line_since = sim->now;
    return true;
}

/* Charge c's queue for the line c holds, since line_since, at the price of
   the trunk the line belongs to (after a transfer, not necessarily the
   trunk of c's queue). */
static void line_account(struct ccs_sim *sim, struct ccs_contact *c)
{
    struct ccs_acc_line_run *run = ccs__acc_run_at(sim, c->line, c->arrived);
    double held = sim->now - ccs__cx(sim, c)->line_since;
    if (run != NULL) {
        run->line_time += held;
        run->line_cost +=
            held / CCS_MINUTE * sim->sc->trunks[ccs__cx(sim, c)->trunk].cost_per_minute;
    }
    ccs__cx(sim, c)->line_since = sim->now;
}

void ccs__lc_gone_waiting(struct ccs_sim *sim, struct ccs_contact *c)
{
    if (sim->policy->on_abandon != NULL)
        sim->policy->on_abandon(sim->pstate, &sim->view, c->id);
    ccs__lc_hang_up(sim, c);
}

void ccs__lc_hang_up(struct ccs_sim *sim, struct ccs_contact *c)
{
    ccs__lc_drop_line(sim, c);
    ccs__lc_left_line(sim, c);
}

void ccs__lc_drop_line(struct ccs_sim *sim, struct ccs_contact *c)
{
    if (ccs__cx(sim, c)->trunk < 0)
        return;
    line_account(sim, c);
    sim->trunk_busy[ccs__cx(sim, c)->trunk]--;
    ccs__cx(sim, c)->trunk = -1;
}

/* --- callbacks ------------------------------------------------------------------- */

void ccs__lc_enqueued(struct ccs_sim *sim, struct ccs_contact *c)
{
    const struct ccs_callback_def *cb = &qdef(sim, c)->callback;
    if (!cb->on || (c->flags & CCS_CF_CALLBACK))
        return;
    if (ccs__cx(sim, c)->predicted > cb->offer_if_predicted) {
        ccs__lc_callback_offer(sim, c);
        return;
    }
    double t = c->arrived + cb->offer_after;
    if (t < ccs__cx(sim, c)->deadline && t < INFINITY)
        ccs__push(sim, t > sim->now ? t : sim->now, CCS_EV_CB_OFFER, c->id, c->gen);
}

void ccs__lc_callback_offer(struct ccs_sim *sim, struct ccs_contact *c)
{
    const struct ccs_callback_def *cb = &qdef(sim, c)->callback;
    struct ccs_acc_line_run *run = ccs__acc_run_at(sim, c->line, c->arrived);
    if (run != NULL)
        run->cb_offered++;
    if (!(ccs__cx(sim, c)->u_accept < cb->accept))
        return;
    if (run != NULL)
        run->cb_accepted++;
    c->flags |= CCS_CF_CALLBACK;
    ccs__cx(sim, c)->accepted_at = sim->now;
    ccs__cx(sim, c)->deadline = INFINITY;
    ccs__lc_hang_up(sim, c); /* a consulting first agent stops holding */
    CCS_TRACE(sim, CCS_TR_CALLBACK, c, CCS_NONE, NAN,
              cb->schedule_after < 0 ? "keeps its place" : "scheduled");
    if (cb->schedule_after >= 0) {
        ccs__line_remove(sim, c);
        c->state = CCS_C_HELD;
        c->gen++;
        ccs__push(sim, sim->now + cb->schedule_after, CCS_EV_RETURN, c->id, c->gen);
    }
}

/* --- dials: callbacks and campaign records -------------------------------------- */

bool ccs__lc_dial(struct ccs_sim *sim, struct ccs_contact *c, double *busy)
{
    const struct ccs_queue_def *qd = qdef(sim, c);
    gsl_rng *r = ccs__qrng(sim, c->queue, CCS_QS_SECONDARY);
    struct ccs_acc_line_run *run = ccs__acc_run_at(sim, c->line, c->arrived);
    ccs__cx(sim, c)->dials++;
    c->flags &= (uint16_t)~CCS_CF_WRONG;
    if (c->flags & CCS_CF_CALLBACK) {
        if (run != NULL) {
            run->dials++;
            run->dial_cost += qd->callback.cost;
        }
        if (ccs__rng_u01(r) < qd->callback.reach) {
            if (run != NULL) {
                run->cb_completed++;
                run->cb_time += sim->now - ccs__cx(sim, c)->accepted_at;
            }
            return true;
        }
        *busy = qd->callback.dial_time;
    } else {
        const struct ccs_campaign_def *cp = &qd->campaign;
        if (run != NULL) {
            run->dials++;
            run->dial_cost += cp->cost;
        }
        if (!(ccs__rng_u01(r) < cp->connect)) {
            *busy = cp->dial_time;
        } else {
            if (run != NULL)
                run->connects++;
            if (ccs__rng_u01(r) < cp->right_party) {
                if (run != NULL)
                    run->right_party++;
                return true;
            }
            c->flags |= CCS_CF_WRONG;
            *busy = cp->wrong_party_time;
        }
    }
    c->flags |= CCS_CF_NOREACH;
    return false;
}

static void give_up(struct ccs_sim *sim, struct ccs_contact *c)
{
    struct ccs_acc_line_run *run = ccs__acc_run_at(sim, c->line, c->arrived);
    if (run != NULL)
        run->failed++;
    sim->bal.failed++;
    CCS_TRACE(sim, CCS_TR_GIVE_UP, c, CCS_NONE, NAN, NULL);
    ccs__contact_free(sim, c);
}

void ccs__lc_dial_failed(struct ccs_sim *sim, struct ccs_contact *c)
{
    const struct ccs_queue_def *qd = qdef(sim, c);
    uint32_t retries = (c->flags & CCS_CF_CALLBACK) ? qd->callback.retries : qd->campaign.retries;
    double delay = (c->flags & CCS_CF_CALLBACK) ? qd->callback.retry_delay
                                                : qd->campaign.retry_delay;
    if ((c->flags & CCS_CF_WRONG) || ccs__cx(sim, c)->dials > retries) {
        give_up(sim, c);
        return;
    }
    c->state = CCS_C_HELD;
    c->gen++;
    ccs__push(sim, sim->now + delay, CCS_EV_RETURN, c->id, c->gen);
}

/* --- after a conversation: transfer, resolution, repeat ------------------------ */

/*
 * A new contact for queue q (a transfer leg, redial or repeat). The pool may
 * grow, so callers re-fetch pointers to other contacts afterwards.
 */
static struct ccs_contact *follow_up(struct ccs_sim *sim, uint32_t q, uint16_t flags)
{
    uint32_t id = ccs__contact_new(sim);
    if (id == CCS_NONE)
        return NULL;
    struct ccs_contact *n = &sim->contacts[id];
    const struct ccs_queue_def *qd = &sim->sc->queues[q];
    n->queue = q;
    n->segment = 0;
    n->line = sim->queues[q].first_line;
    n->channel = (uint8_t)qd->channel;
    n->credit = qd->segments[0].credit;
    n->flags = flags;
    return n;
}

/* Keep the customer's segment in the new queue when it has one of that name. */
static void same_segment(struct ccs_sim *sim, struct ccs_contact *n, const char *seg_id)
{
    const struct ccs_queue_def *qd = &sim->sc->queues[n->queue];
    if (seg_id == NULL)
        return;
    for (size_t s = 0; s < qd->n_segments; s++)
        if (qd->segments[s].id != NULL && strcmp(qd->segments[s].id, seg_id) == 0) {
            n->segment = (uint32_t)s;
            n->line = sim->queues[n->queue].first_line + (uint32_t)s;
            n->credit = qd->segments[s].credit;
        }
}

/* c's conversation continues in td's queue. skipped: c is a skipped
   conference leg, which had no conversation (not counted in its queue's
   transfers out) and no agent (a consult transfer goes on cold). Returns
   whether c's agent holds. */
static bool transfer(struct ccs_sim *sim, struct ccs_contact *c, const struct ccs_transfer_def *td,
                     bool skipped)
{
    uint32_t cid = c->id;
    uint64_t customer = ccs__cx(sim, c)->customer;
    uint32_t redials = ccs__cx(sim, c)->redials, repeats = ccs__cx(sim, c)->repeats;
    const char *seg_id = qdef(sim, c)->segments[c->segment].id;
    struct ccs_contact *n = follow_up(sim, td->to, CCS_CF_TRANSFER);
    c = &sim->contacts[cid]; /* follow_up may have grown the pool */
    if (n == NULL)
        return false;
    struct ccs_acc_line_run *run = ccs__acc_run_at(sim, c->line, c->arrived);
    if (run != NULL && !skipped)
        run->transfers++;
    same_segment(sim, n, seg_id);
    ccs__cx(sim, n)->customer = customer;
    ccs__cx(sim, n)->redials = redials;
    ccs__cx(sim, n)->repeats = repeats;
    ccs__acc_entered(sim, n);
    secondary_draws(sim, n);
    if (td->handle.kind != CCS_DIST_NONE)
        ccs__cx(sim, n)->work = ccs__dist_sample(&td->handle, ccs__qrng(sim, td->to, CCS_QS_SECONDARY));
    /* A call continuing by voice keeps its line: the source queue pays for
       its part, the leg for the rest. On another channel the caller hangs up. */
    if (ccs__cx(sim, c)->trunk >= 0 && n->channel == CCS_CH_VOICE) {
        line_account(sim, c);
        ccs__cx(sim, n)->trunk = ccs__cx(sim, c)->trunk;
        ccs__cx(sim, n)->line_since = ccs__cx(sim, c)->line_since;
        ccs__cx(sim, c)->trunk = -1;
    } else {
        ccs__lc_drop_line(sim, c);
    }
    sim->bal.transfers++;
    struct ccs_acc_line *acc = ccs__acc_line_of(sim, n);
    if (acc != NULL)
        acc->offered++;
    bool hold = td->consult && !skipped;
    CCS_TRACE(sim, CCS_TR_TRANSFER, n, CCS_NONE, NAN,
              !hold ? "cold" : td->conference ? "conference" : "consult");
    if (hold) {
        c->flags |= CCS_CF_HOLDING;
        ccs__cx(sim, c)->hold_since = sim->now;
        ccs__cx(sim, n)->holder = cid;
        if (td->conference)
            n->flags |= CCS_CF_CONFERENCE;
        if (td->skip_if_busy)
            n->flags |= CCS_CF_SKIP;
    }
    ccs__route_entry(sim, n);
    return hold;
}

/* The transfer that c's conversation takes at its end (by c's draw), or NULL. */
static const struct ccs_transfer_def *next_transfer(struct ccs_sim *sim, struct ccs_contact *c)
{
    const struct ccs_queue_def *qd = qdef(sim, c);
    double cum = 0;
    for (size_t i = 0; i < qd->n_transfers; i++) {
        cum += qd->transfers[i].probability;
        if (ccs__cx(sim, c)->u_transfer < cum)
            return &qd->transfers[i];
    }
    return NULL;
}

bool ccs__lc_conversation_end(struct ccs_sim *sim, struct ccs_contact *c, uint32_t agent)
{
    const struct ccs_queue_def *qd = qdef(sim, c);
    struct ccs_acc_line_run *run = ccs__acc_run_at(sim, c->line, c->arrived);
    if (run != NULL)
        run->ended++;

    const struct ccs_transfer_def *td = next_transfer(sim, c);
    if (td != NULL)
        return transfer(sim, c, td, false);

    const struct ccs_resolution_def *rd = &qd->resolution;
    bool resolved = true;
    if (rd->probability < 1) {
        const struct ccs_skill *sk = ccs_view_skill(&sim->view, sim->agents[agent].group, c->queue);
        double p = 1.0 - pow(1.0 - rd->probability, sk->level);
        resolved = ccs__cx(sim, c)->u_resolve < p;
    }
    if (run != NULL) {
        if (resolved)
            run->resolved++;
        else
            run->unresolved++;
        if (ccs__cx(sim, c)->repeats == 0) {
            run->first_ended++;
            run->first_resolved += resolved;
        }
    }
    if (!resolved && ccs__cx(sim, c)->repeats < rd->max_repeats) {
        uint64_t customer = ccs__cx(sim, c)->customer;
        uint32_t repeats = ccs__cx(sim, c)->repeats;
        const char *seg_id = qd->segments[c->segment].id;
        struct ccs_contact *n = follow_up(sim, rd->queue, CCS_CF_REPEAT | CCS_CF_ENTRY);
        if (n != NULL) {
            same_segment(sim, n, seg_id);
            ccs__cx(sim, n)->customer = customer;
            ccs__cx(sim, n)->repeats = repeats + 1;
            n->state = CCS_C_HELD;
            double delay = ccs__dist_sample(&rd->delay, ccs__qrng(sim, rd->queue, CCS_QS_SECONDARY));
            ccs__push(sim, sim->now + delay, CCS_EV_RETURN, n->id, n->gen);
            CCS_TRACE(sim, CCS_TR_REPEAT, n, CCS_NONE, delay, NULL);
        }
    }
    return false;
}

void ccs__lc_skipped(struct ccs_sim *sim, struct ccs_contact *c)
{
    uint32_t id = c->id;
    CCS_TRACE(sim, CCS_TR_BLOCK, c, CCS_NONE, NAN, "conference skipped: no agent free at once");
    struct ccs_acc_line *acc = ccs__acc_line_of(sim, c);
    if (acc != NULL)
        acc->blocked++;
    struct ccs_acc_line_run *run = ccs__acc_run_at(sim, c->line, c->arrived);
    if (run != NULL)
        run->skipped++;
    sim->bal.blocked++;
    /* the holder is done with this call (zero hold): its wrap-up starts */
    ccs__lc_left_line(sim, c);
    c = &sim->contacts[id];
    /* the call goes on as after the conference: the leg's own transfers,
       with nobody to hold for a consult (the leg had no agent); no
       resolution draw, as no conversation took place */
    const struct ccs_transfer_def *td = next_transfer(sim, c);
    if (td != NULL) {
        transfer(sim, c, td, true);
        c = &sim->contacts[id]; /* the new leg may have grown (moved) the pool */
    }
    ccs__lc_drop_line(sim, c);
    ccs__contact_free(sim, c);
}

void ccs__lc_closed_entry(struct ccs_sim *sim, struct ccs_contact *c)
{
    sim->bal.disconnected++;
    struct ccs_acc_line *acc = ccs__acc_line_of(sim, c);
    if (acc != NULL)
        acc->disconnected++;
    c->flags |= CCS_CF_CLOSED;
    CCS_TRACE(sim, CCS_TR_DISCONNECT, c, CCS_NONE, 0.0, "queue closed");
    ccs__lc_hang_up(sim, c);
    ccs__contact_free(sim, c);
}

void ccs__lc_left_line(struct ccs_sim *sim, struct ccs_contact *c)
{
    if (ccs__cx(sim, c)->holder == CCS_NONE)
        return;
    struct ccs_contact *h = &sim->contacts[ccs__cx(sim, c)->holder];
    ccs__cx(sim, c)->holder = CCS_NONE;
    if (!(h->flags & CCS_CF_HOLDING))
        return;
    h->flags &= (uint16_t)~CCS_CF_HOLDING;
    double held = sim->now - ccs__cx(sim, h)->hold_since;
    struct ccs_acc_line_run *run = ccs__acc_run_at(sim, h->line, h->arrived);
    if (run != NULL) {
        run->agent_time += held;
        uint32_t g = sim->agents[h->agent].group;
        *ccs__acc_gq(sim, g, h->queue) += held;
    }
    ccs__after_talk(sim, h);
}

/* --- redials ------------------------------------------------------------------------ */

void ccs__lc_abandoned(struct ccs_sim *sim, struct ccs_contact *c)
{
    const struct ccs_redial_def *rd = &qdef(sim, c)->redial;
    if (!(rd->probability > 0) || ccs__cx(sim, c)->redials >= rd->max)
        return;
    gsl_rng *r = ccs__qrng(sim, c->queue, CCS_QS_SECONDARY);
    if (!(ccs__rng_u01(r) < rd->probability))
        return;
    uint32_t cid = c->id;
    struct ccs_contact *n = follow_up(sim, c->queue, CCS_CF_REDIAL | CCS_CF_ENTRY);
    c = &sim->contacts[cid];
    if (n == NULL)
        return;
    n->segment = c->segment;
    n->line = c->line;
    n->credit = c->credit;
    ccs__cx(sim, n)->customer = ccs__cx(sim, c)->customer;
    ccs__cx(sim, n)->redials = ccs__cx(sim, c)->redials + 1;
    ccs__cx(sim, n)->repeats = ccs__cx(sim, c)->repeats;
    n->state = CCS_C_HELD;
    if (rd->keep_patience) {
        /* while held the deadline is unused: it carries the patience to the return */
        ccs__cx(sim, n)->deadline = ccs__cx(sim, c)->deadline - c->arrived;
        n->flags |= CCS_CF_KEEP;
    }
    double delay = ccs__dist_sample(&rd->delay, r);
    ccs__push(sim, sim->now + delay, CCS_EV_RETURN, n->id, n->gen);
    CCS_TRACE(sim, CCS_TR_REDIAL, n, CCS_NONE, delay, NULL);
}

/* --- returns ---------------------------------------------------------------------- */

void ccs__lc_return(struct ccs_sim *sim, struct ccs_contact *c)
{
    if (!(c->flags & CCS_CF_ENTRY)) {
        /* a callback or record coming back for its next dial: same entry */
        CCS_TRACE(sim, CCS_TR_RETURN, c, CCS_NONE, NAN, NULL);
        ccs__rejoin(sim, c);
        return;
    }
    /* a redial or repeat contact: a new entry into its queue */
    c->flags &= (uint16_t)~CCS_CF_ENTRY;
    double kept = ccs__cx(sim, c)->deadline;
    ccs__acc_entered(sim, c);
    secondary_draws(sim, c); /* a fresh patience is drawn even when kept: streams stay aligned */
    if (c->flags & CCS_CF_KEEP) {
        c->flags &= (uint16_t)~CCS_CF_KEEP;
        ccs__cx(sim, c)->deadline = sim->now + kept;
    }
    bool redial = (c->flags & CCS_CF_REDIAL) != 0;
    if (redial)
        sim->bal.redials++;
    else
        sim->bal.repeats++;
    struct ccs_acc_line *acc = ccs__acc_line_of(sim, c);
    if (acc != NULL) {
        acc->offered++;
        if (redial)
            sim->acc.line_run[c->line].redials++;
        else
            sim->acc.line_run[c->line].repeats++;
    }
    CCS_TRACE(sim, CCS_TR_ARRIVE, c, CCS_NONE, NAN, redial ? "redial" : "repeat contact");
    ccs__route_entry(sim, c);
}

/* --- the start and the end of a run ----------------------------------------------- */

void ccs__lc_start(struct ccs_sim *sim)
{
    const struct ccs_scenario *sc = sim->sc;
    for (uint32_t q = 0; q < sc->n_queues && sim->status == 0; q++) {
        const struct ccs_queue_def *qd = &sc->queues[q];
        if (!qd->campaign.on)
            continue;
        for (uint32_t i = 0; i < qd->campaign.records && sim->status == 0; i++) {
            uint32_t id = ccs__contact_new(sim);
            if (id == CCS_NONE)
                return;
            struct ccs_contact *c = &sim->contacts[id];
            c->queue = q;
            c->line = sim->queues[q].first_line;
            c->channel = (uint8_t)qd->channel;
            c->flags = CCS_CF_OUTBOUND;
            ccs__acc_entered(sim, c);
            ccs__draw_needs(sim, c, ccs__qrng(sim, q, CCS_QS_WORK), ccs__qrng(sim, q, CCS_QS_WRAP),
                            ccs__qrng(sim, q, CCS_QS_PATIENCE));
            ccs__lc_arrival_draws(sim, c);
            sim->bal.records++;
            struct ccs_acc_line *acc = ccs__acc_line_of(sim, c);
            if (acc != NULL) {
                acc->offered++;
                sim->acc.line_run[c->line].customers++;
            }
            ccs__route_entry(sim, c);
        }
    }
}

/* --- closing (at_close: disconnect) ------------------------------------------------ */

/*
 * Queue q closes now: every caller still waiting in its lines is cut off,
 * oldest first, its own outcome (neither answered, abandoned nor a message;
 * it does not redial). A contact waiting for a callback or a campaign record
 * is the center's to serve and stays. No random numbers are drawn, so the
 * other streams stay aligned with a run that lets them wait.
 */
void ccs__lc_close(struct ccs_sim *sim, uint32_t q)
{
    const struct ccs_queue *qu = &sim->queues[q];
    for (uint32_t l = qu->first_line; l < qu->first_line + qu->n_lines; l++) {
        uint32_t id = sim->lines[l].head;
        while (id != CCS_NONE) {
            struct ccs_contact *c = &sim->contacts[id];
            id = c->next;
            if (c->flags & (CCS_CF_CALLBACK | CCS_CF_OUTBOUND))
                continue;
            ccs__line_remove(sim, c);
            double wait = sim->now - c->arrived;
            sim->bal.disconnected++;
            struct ccs_acc_line *acc = ccs__acc_line_of(sim, c);
            if (acc != NULL) {
                struct ccs_acc_line_run *run = &sim->acc.line_run[c->line];
                acc->disconnected++;
                if (wait > run->max_wait)
                    run->max_wait = wait;
            }
            c->flags |= CCS_CF_CLOSED;
            CCS_TRACE(sim, CCS_TR_DISCONNECT, c, CCS_NONE, wait, NULL);
            ccs__lc_gone_waiting(sim, c);
            ccs__contact_free(sim, c);
        }
    }
    double next = ccs__next_close(sim, q, sim->now);
    if (next < INFINITY)
        ccs__push(sim, next, CCS_EV_CLOSE, q, 0);
}

void ccs__lc_finish(struct ccs_sim *sim)
{
    struct ccs_balance *b = &sim->bal;
    uint64_t pending = 0;
    for (uint32_t i = 0; i < sim->n_contacts_cap; i++) {
        const struct ccs_contact *c = &sim->contacts[i];
        switch (c->state) {
        case CCS_C_WAITING:
            pending++;
            break;
        case CCS_C_HELD:
            pending += !(c->flags & CCS_CF_ENTRY);
            break;
        case CCS_C_TALK:
            pending += (c->flags & CCS_CF_NOREACH) != 0;
            break;
        default:
            break;
        }
    }
    b->pending = pending;
    uint64_t in = b->arrivals + b->redials + b->repeats + b->transfers + b->records;
    uint64_t out = b->answered + b->abandoned + b->messages + b->disconnected + b->blocked +
                   b->failed + b->pending;
    if (in != out)
        ccs__fault(sim, CCS_ESTATE,
                   "contact balance broken: %llu entered but %llu answered + %llu abandoned, "
                   "messages or disconnected + %llu blocked + %llu not reached + %llu pending "
                   "= %llu",
                   (unsigned long long)in, (unsigned long long)b->answered,
                   (unsigned long long)(b->abandoned + b->messages + b->disconnected),
                   (unsigned long long)b->blocked,
                   (unsigned long long)b->failed, (unsigned long long)b->pending,
                   (unsigned long long)out);
}
