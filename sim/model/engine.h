/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * engine.h - the simulation state (struct ccs_sim) shared by the engine's
 * files: engine.c (pools, lines, routing, service, the run loop), lifecycle.c
 * (lines of trunks, callbacks, campaigns, redials, transfers, resolution,
 * the contact balance), checks.c (invariants), acc.c (streamed statistics)
 * and results.c (KPIs from the statistics). Not part of the public API.
 */
#ifndef CCS_MODEL_ENGINE_H
#define CCS_MODEL_ENGINE_H

#include "ccs/policy.h"
#include "ccs/sim.h"
#include "core/eventq.h"
#include "core/rng.h"
#include "core/stats.h"
#include "model/layout.h"
#include "model/scenario.h"

#include <gsl/gsl_rng.h>

/* Event kinds, in the order they fire at equal times (docs/engine.md). */
enum ccs_ev_kind {
    CCS_EV_STAFF,    /* staffing change (agents log in/out, breaks); obj = what */
    CCS_EV_TALK_END, /* obj = contact, gen */
    CCS_EV_WRAP_END, /* obj = contact, gen */
    CCS_EV_ABANDON,  /* obj = contact, gen */
    CCS_EV_ARRIVAL,  /* obj = queue */
    CCS_EV_RETURN,   /* obj = contact, gen: a held contact (re)joins its queue */
    CCS_EV_RECHECK,  /* obj = contact, gen: the policy asked to reconsider */
    CCS_EV_CB_OFFER, /* obj = contact, gen: offer a callback if still waiting */
    CCS_EV_INTERVAL, /* obj = interval index starting now */
    CCS_EV_CLOSE,    /* obj = queue: it closes now (at_close: disconnect), after all else */
};

/* CCS_EV_STAFF obj: the run starts (first event at time 0): log in, open campaigns. */
#define CCS_STAFF_START 0xffffffffu

/* Times of contacts, per (line, interval) always: the whole-run sums add
   them in (line, interval) order, and floating-point sums depend on it. */
struct ccs_acc_time {
    double wait_ans, talk, wrap;
};

/* Counters of contacts, per (line, interval): attributed to arrival interval.
   Only what per-interval KPIs need; the rest is whole-run (ccs_acc_line_run).
   A simulation of whole-run results only keeps one cell per line: integer
   sums do not depend on their order. Two cache lines a cell, on 64-byte
   boundaries, what most calls update in the first (issue 16). */
struct ccs_acc_line {
    uint64_t offered, answered, ans_within, handled;
    struct ccs_acc_time t;         /* the cell's times; in acc.time instead when
                                      there is one cell per line (ccs__acc_time_at) */
    uint64_t abandoned, ab_within, blocked;
    uint64_t messages, msg_within; /* left a message (after waiting at most T) */
    uint64_t disconnected;         /* still waiting when the queue closed (at_close) */
    char pad_[24];
};

_Static_assert(sizeof(struct ccs_acc_line) == 128, "two cache lines");

/* Time integrals per (group, interval), in agent-seconds. */
struct ccs_acc_group {
    double busy;     /* occupied capacity slots / capacity */
    double present;  /* logged in, not on break */
    double paid;     /* logged in or on break (overtime included) */
    double overtime; /* busy past the end of their shift */
};

/* A group's integrals of the current interval, not yet flushed, and when
   they were last brought up to date: one cache line a group, since both
   change on every service start and end (issue 16). */
struct ccs_acc_group_cur {
    struct ccs_acc_group sum;
    double last;   /* time of the last integral update */
    double pad_[3];
};

/* Per-line whole-run extras: the wait histogram and the contact lifecycle.
   64-byte aligned, 13 cache lines a line (acc.line_run_raw). */
struct ccs_acc_line_run {
    /* what every answered call updates, in the first cache line (issue 16:
       a call updated three of its lines, now one, and the histogram's first) */
    uint64_t customers, ended, first_ended, resolved, first_resolved;
    double agent_time;
    double max_wait;           /* of answered contacts */
    uint64_t wait_zeros;       /* answered at once: counted here during the run, in
                                  wait_hist's zeros at its end (ccs__acc_finish), which
                                  spares a call answered at once the histogram's line */
    /* then what a call that waits updates */
    uint64_t waited;
    double wait_area;          /* integral of the line length */
    double last_change;        /* when its length last changed */
    uint64_t predicted;        /* predictor: queued, answered */
    double wait_ab, pred_abs_err, pred_err;
    uint64_t redials, repeats, transfers, unresolved;
    uint64_t skipped;          /* conference legs skipped: no agent free at once (if_busy) */
    uint64_t cb_offered, cb_accepted, cb_completed;
    uint64_t dials, connects, right_party, failed;
    double cb_time, dial_cost;
    double line_time, line_cost; /* trunk line held by the queue's calls; priced at that trunk */
    char pad_[8];              /* the histogram on a line of its own */
    struct ccs_hist wait_hist; /* waits of answered contacts (last: sum_lines clears the rest) */
};

_Static_assert(sizeof(void *) != 8 || sizeof(struct ccs_acc_line_run) % 64 == 0,
               "whole cache lines (with 64-bit pointers: the histogram holds one)");
_Static_assert(offsetof(struct ccs_acc_line_run, wait_zeros) < 64 &&
                   (sizeof(void *) != 8 || offsetof(struct ccs_acc_line_run, wait_hist) % 64 == 0),
               "what every answered call updates in the first line, the histogram on its own");

/* A queue's state at the end of an interval. */
struct ccs_snap {
    double backlog, age;
};

struct ccs_acc {
    uint32_t n_intervals;
    struct ccs_acc_line *line;   /* [line * line_ni + interval * line_step], 64-byte aligned */
    void *line_raw;              /* the allocation behind line */
    uint32_t line_ni, line_step; /* n_intervals and 1, or (whole run only) 1 and 0 */
    struct ccs_acc_time *time;   /* whole run only: [line * n_intervals + interval]; else
                                    NULL, the times being in the line cells */
    struct ccs_acc_line_run *line_run; /* on 64-byte boundaries */
    void *line_run_raw;          /* the allocation behind line_run */
    struct ccs_acc_group *group; /* [group * n_intervals + interval] */
    struct ccs_acc_group_cur *group_cur; /* per group, on 64-byte boundaries */
    void *group_cur_raw;         /* the allocation behind group_cur */
    uint32_t group_flushed;      /* intervals whose group integrals are in `group` */
    double *gq_busy;             /* [gq_first[group] + skill]: busy seconds, counted when
                                    the talk ends (work after the horizon included) */
    uint32_t *gq_first;          /* [groups + 1]: where a group's skills start in gq_busy
                                    (one cell per skill, not per queue: 8 MB at 1,000 x 1,000) */
    struct ccs_snap *snap;       /* [queue * n_intervals + interval] */
};

/*
 * The contact balance, counted where things happen and never filtered by
 * the warm-up: every entry into a queue must end exactly once. Checked at
 * the end of every run (docs/kpis.md).
 */
struct ccs_balance {
    uint64_t arrivals, redials, repeats, transfers, records; /* entries */
    uint64_t answered, abandoned, blocked, failed, messages; /* exits */
    uint64_t disconnected;   /* exit: still waiting when its queue closed (at_close) */
    uint64_t pending;        /* entered, not exited at the end */
};

/* Per-queue arrival state: exact-count buffers and trace cursors. */
struct ccs_arrival_state {
    double *buf;    /* exact counts: this step's arrival times, sorted */
    size_t n, pos, cap;
    double step_k;  /* exact counts: the step in buf */
    double scale;   /* live.c: factor on the rate (1 unless changed live) */
};

/* Which lifecycle mechanisms a queue uses, so the engine skips the rest. */
#define CCS_QF_TRUNK 0x01u
#define CCS_QF_CALLBACK 0x02u
#define CCS_QF_AFTER 0x04u  /* transfers or resolution */
#define CCS_QF_REDIAL 0x08u
#define CCS_QF_CLOSES 0x10u /* closes_at: contacts entering it while it is closed are cut off */
/* ... and which parts of its definition an arrival reads (each flag spares
   one cache line of the definition per arrival when clear) */
#define CCS_QF_STEPS 0x20u    /* handle_time or patience means per interval */
#define CCS_QF_WRAP 0x40u     /* wrap-up time is drawn */
#define CCS_QF_SEGMENTS 0x80u /* more than one segment */

/* A queue's random streams, by purpose: the order of their cells, those
   every arrival draws from first. */
enum ccs_qstream {
    CCS_QS_ARRIVALS, CCS_QS_WORK, CCS_QS_PATIENCE, /* fresh arrivals */
    CCS_QS_WRAP, CCS_QS_SEGMENT,
    CCS_QS_CALLBACK, CCS_QS_TRANSFER, CCS_QS_RESOLUTION, /* decisions drawn at arrival */
    CCS_QS_SECONDARY, /* everything created during the run: redials, repeats, legs, dials */
    CCS_QUEUE_STREAMS
};

/* The streams whose states live in the queue's hot block: those of a fresh
   arrival's draws (the first in the order above). */
#define CCS_QS_HOT 4

/* A queue's streams: every stream's GSL handle (what gsl_ran_* and the
   rare paths take), and the states of those not in the hot block. */
struct ccs_queue_rng {
    _Alignas(64) gsl_rng r[CCS_QUEUE_STREAMS];
    struct ccs__xoshiro_state st[CCS_QUEUE_STREAMS - CCS_QS_HOT];
};

/* What the fast paths of a fresh arrival may take from the hot block
   instead of the definition (ccs_queue_hot.fast). */
#define CCS_QH_POISSON 0x01u /* arrivals: Poisson at a constant rate, no day factor */
#define CCS_QH_DRAWS 0x02u   /* exponential handle time, no means per interval,
                                wrap-up and patience exponential or none */
#define CCS_QH_PATIENT 0x04u /* no patience: never abandons */
#define CCS_QH_TRACE 0x08u   /* arrivals replay a trace */

/*
 * What an arrival reads of its queue, in three cache lines a queue
 * (sim->qhot, 64-byte aligned): the parameters of its draws when they take
 * a fast path (CCS_QH_*), copied from the definition, which never changes
 * during a run; the queue's flags and generation; and the states of its
 * four streams. Issue 16: an arrival read nine lines (the queue's arrival
 * state and view, three lines of the definition, three of streams, its
 * line); at 1,000 queues each was a cache miss.
 */
struct ccs_queue_hot {
    _Alignas(64) double rate;           /* CCS_QH_POISSON: the arrival rate */
    double handle_b, wrap_b, patience_b; /* CCS_QH_DRAWS: the exponentials' means
                                            (wrap_b 0 when none is drawn) */
    double credit, sla_within;          /* of the queue's first line (lines[first_line]) */
    uint32_t gen;                       /* an ARRIVAL event with another gen is stale (live.c) */
    uint32_t first_line;
    uint8_t flags;                      /* CCS_QF_*, as sim->qflags */
    uint8_t fast;                       /* CCS_QH_* */
    uint8_t channel;
    _Alignas(64) struct ccs__xoshiro_state st[CCS_QS_HOT]; /* in enum ccs_qstream order */
};

_Static_assert(sizeof(struct ccs_queue_hot) == 192, "three cache lines");

struct ccs__live;

/*
 * Engine-private state of a contact, what no policy may read (the customer's
 * drawn future, the engine's bookkeeping): an array parallel to
 * sim->contacts, same index, grown with it. Reach it with ccs__cx().
 */
struct ccs__contact_x {
    /* what a call's events read, in the first of its two cache lines
       (issue 16: the end of a talk read both) */
    double deadline;   /* abandons if still waiting at this time (INFINITY: never) */
    double work;       /* handle time drawn at arrival, at proficiency 1 */
    double wrap;       /* after-contact work drawn at arrival */
    uint64_t serial;   /* contact number in this run: 1, 2, ... (for traces) */
    uint32_t interval; /* reporting interval of `arrived`, CCS_NONE in the warm-up */
    uint32_t gq;       /* in conversation: its cell of acc.gq_busy (start_service), so
                          the talk's end finds it without the skill matrix */
    uint32_t holder;   /* consult transfer: the contact whose agent still holds, or CCS_NONE */
    int32_t trunk;     /* trunk whose line it holds, or -1 */
    uint32_t dials;    /* dials made (callbacks, outbound records) */
    uint32_t redials, repeats; /* earlier redials / repeat contacts of this customer */
    uint32_t group;    /* in conversation or wrap-up: its agent's group (start_service), so
                          the run loop prefetches the group's lines with the agent's */
    /* then what waiting, callbacks, transfers and trunks read */
    double predicted;  /* wait the predictor announced at arrival (0 if served at once) */
    double accepted_at; /* when it accepted a callback */
    double u_accept, u_transfer, u_resolve; /* decisions drawn at arrival */
    double line_since; /* when it took its trunk line */
    double hold_since; /* when its agent started holding for a consult transfer */
    uint64_t customer; /* serial of the customer's first contact */
};

_Static_assert(sizeof(struct ccs__contact_x) == 128, "two cache lines");

/* What a policy reads of a contact, an agent, a group and a line, a cache
   line each on the engine's aligned arrays (issue 16: 80, 72, 72 and 72
   bytes, most of them straddled two lines). */
_Static_assert(sizeof(void *) != 8 ||
                   (sizeof(struct ccs_contact) == 64 && sizeof(struct ccs_agent) == 64 &&
                    sizeof(struct ccs_group) == 64 && sizeof(struct ccs_line) == 64),
               "a contact, an agent, a group and a line in one cache line each");

/* Engine-private state of an agent, parallel to sim->agents (ccs__ax()). */
struct ccs__agent_x {
    double shift_day;     /* calendar day of its next shift */
    double shift_end;     /* when its current shift ends (overtime after) */
    double pending_break; /* length of the break waiting for its contacts to end */
    uint32_t staff_gen;   /* bumps on each staffing change (stale events die) */
};

struct ccs_sim {
    const struct ccs_scenario *sc;
    uint64_t seed;
    uint32_t rep;
    double now;
    double stat_start;         /* warm-up end */
    int status;                /* 0 while fine; negative code after a fault */
    char fault[256];

    struct ccs_view view;      /* what policies see; points into the arrays below */
    struct ccs_eventq evq;

    struct ccs_contact *contacts; /* 64-byte aligned */
    void *contacts_raw;        /* the allocation behind contacts */
    struct ccs__contact_x *cx; /* parallel to contacts: engine-private state, 64-byte aligned */
    void *cx_raw;              /* the allocation behind cx */
    uint32_t n_contacts_cap;
    uint32_t free_contact;     /* head of the free list (through .next) */
    uint32_t live_contacts;

    struct ccs_queue *queues;
    struct ccs_line *lines;    /* 64-byte aligned, as groups */
    struct ccs_group *groups;
    void *lines_raw, *groups_raw; /* the allocations behind them */
    struct ccs_agent *agents;  /* 64-byte aligned */
    void *agents_raw;          /* the allocation behind agents */
    struct ccs__agent_x *ax;   /* parallel to agents: engine-private state */
    int16_t *skill_table;      /* behind view.skill_table, skill_refs, skill_first */
    struct ccs_skill_ref *skill_refs;
    uint32_t *skill_first;
    uint32_t *queue_groups;    /* storage behind queues[].groups / group_skill */
    /* The longest-idle index of queues with many groups (queues[].idle_heap):
       heap and position of queue q's slot i live at the offset of q's groups
       in queue_groups; a group lists the (queue, slot) pairs it is indexed in. */
    uint32_t *idle_heap;       /* [2 * skills + 1]: heaps of slots */
    uint32_t *idle_pos;        /* same offsets: a slot's place in its heap, or CCS_NONE */
    uint32_t *idle_member_first; /* [groups + 1]: a group's range in idle_member */
    uint32_t *idle_member;     /* pairs: queue, slot */
    /* The list of all available agents (view.idle_links, view.idle_first),
       when a queue walks it; idle_last: its last agent, or CCS_NONE. */
    struct ccs_idle_link *idle_links;
    uint32_t idle_last;
    /* Per group: its available list's head and that agent's idle_since, as
       of the last head change, which is when they can change: what the
       heaps above compare, 16 bytes a group side by side instead of a
       group and an agent scattered over 10,000 (issue 16). */
    struct ccs_idle_key *idle_key;  /* view.idle_key */
    uint64_t *waiting_bits;    /* view.waiting_queues */
    uint32_t *trunk_busy;      /* lines in use per trunk */
    uint8_t *qflags;           /* per queue: CCS_QF_* (1 KB at 1,000 queues: stays in the
                                  caches, where a queue's hot block may not by the end
                                  of a talk) */

    struct ccs_queue_hot *qhot; /* per queue, 64-byte aligned */
    void *qhot_raw;             /* the allocation behind qhot */
    struct ccs_queue_rng *qrng; /* per queue, 64-byte aligned (ccs__qrng) */
    void *qrng_raw;             /* the allocation behind qrng */
    gsl_rng *route_rng;
    struct ccs_arrival_state *arr;
    double *busy_factor;       /* per calendar day: the replication's busyness, or NULL */
    size_t n_days;
    double *mean_hold;         /* per group: recent mean slot holding time (predictor) */
    uint64_t serial;           /* contacts created so far */
    double *plan_day;          /* per group: the day its plan last applied (absences) */
    uint64_t *absences;        /* per group: agent-days missed (after warm-up) */
    struct ccs_balance bal;

    void (*trace)(void *ctx, const struct ccs_trace_event *e);
    void *trace_ctx;
    bool checks;
    bool lookahead;  /* prefetch for the next events: a center too large for the caches */
    bool unit_levels; /* every skill's level is 1: a talk's length is its work, unread */

    const struct ccs_policy_ops *policy;
    void *pstate;

    struct ccs__live *live;    /* live.c: changes made while running, or NULL */

    struct ccs_acc acc;
    uint32_t snapped;          /* intervals whose end state is recorded */
    bool finalized;
    bool whole_only; /* whole-run results only: no snapshots, no interval keys */
};

/* Queue q's stream for purpose s. */
static inline gsl_rng *ccs__qrng(struct ccs_sim *sim, uint32_t q, enum ccs_qstream s)
{
    return &sim->qrng[q].r[s];
}


/* The engine-private state of contact c / agent ag. */
static inline struct ccs__contact_x *ccs__cx(struct ccs_sim *sim,
                                             const struct ccs_contact *c)
{
    return &sim->cx[c->id];
}

static inline struct ccs__agent_x *ccs__ax(struct ccs_sim *sim, const struct ccs_agent *ag)
{
    return &sim->ax[ag->id];
}

/* --- engine.c: shared with lifecycle.c and checks.c --------------------------- */

void ccs__fault(struct ccs_sim *sim, int code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 3, 4)))
#endif
    ;
void ccs__push(struct ccs_sim *sim, double t, enum ccs_ev_kind k, uint32_t obj, uint32_t gen);
void ccs__trace(struct ccs_sim *sim, enum ccs_trace_kind k, const struct ccs_contact *c,
                uint32_t agent, double wait, const char *reason);
#define CCS_TRACE(sim, ...)                   \
    do {                                      \
        if ((sim)->trace != NULL)             \
            ccs__trace((sim), __VA_ARGS__);   \
    } while (0)

/* A new contact (state FREE, fields zeroed but id/gen), or CCS_NONE (fault set). */
uint32_t ccs__contact_new(struct ccs_sim *sim);
void ccs__contact_free(struct ccs_sim *sim, struct ccs_contact *c);
void ccs__line_push(struct ccs_sim *sim, struct ccs_contact *c);
void ccs__line_remove(struct ccs_sim *sim, struct ccs_contact *c);
/* Route a contact that is entering its queue now (an entry was counted). */
void ccs__route_entry(struct ccs_sim *sim, struct ccs_contact *c);
/* Ask the policy again about waiting contact c (a recheck; a policy switch). */
void ccs__reconsider(struct ccs_sim *sim, struct ccs_contact *c);
/* A held contact rejoins its line (callback or record retry): no capacity check. */
void ccs__rejoin(struct ccs_sim *sim, struct ccs_contact *c);
/* The agent serving c frees the slot c held; c is freed unless keep. */
void ccs__release(struct ccs_sim *sim, struct ccs_contact *c, bool keep);
/* The talk part of c's service is over and nothing holds the agent: wrap up. */
void ccs__after_talk(struct ccs_sim *sim, struct ccs_contact *c);
/* Draw c's work, wrap-up and patience from stream r, as of now. */
void ccs__draw_needs(struct ccs_sim *sim, struct ccs_contact *c, gsl_rng *work, gsl_rng *wrap,
                     gsl_rng *patience);

/* Group g's busy seconds on queue q (g has q's skill). */
static inline double *ccs__acc_gq(struct ccs_sim *sim, uint32_t g, uint32_t q)
{
    return &sim->acc.gq_busy[sim->acc.gq_first[g] + (uint32_t)ccs_view_skill_index(&sim->view, g, q)];
}

/* The warm-up filter for whole-run extras of line l. */
static inline struct ccs_acc_line_run *ccs__acc_run_at(struct ccs_sim *sim, uint32_t l,
                                                       double arrived)
{
    return arrived < sim->stat_start ? NULL : &sim->acc.line_run[l];
}

/* --- lifecycle.c ----------------------------------------------------------------- */

/* Draw the per-contact decisions of a fresh arrival (from their own streams). */
void ccs__lc_arrival_draws(struct ccs_sim *sim, struct ccs_contact *c);
/* A voice call takes a line of its trunk; false if all are busy (then blocked). */
bool ccs__lc_take_line(struct ccs_sim *sim, struct ccs_contact *c);
/* c leaves the line: its trunk freed (drop_line) and the agent holding
   for it, if any, stops holding (left_line). */
void ccs__lc_hang_up(struct ccs_sim *sim, struct ccs_contact *c);
void ccs__lc_drop_line(struct ccs_sim *sim, struct ccs_contact *c);
/* Waiting contact c (out of its line, counted) leaves unserved: the policy
   hears of it as an abandonment, its voice line is freed, and a conference
   holder stops holding. The caller frees c (after a redial, if any). */
void ccs__lc_gone_waiting(struct ccs_sim *sim, struct ccs_contact *c);
/* A contact just joined its line: callback offers. */
void ccs__lc_enqueued(struct ccs_sim *sim, struct ccs_contact *c);
void ccs__lc_callback_offer(struct ccs_sim *sim, struct ccs_contact *c);
/* Service starts for a callback or record: is this a dial that connects to the
   right person (then it is a conversation)? Sets CCS_CF_NOREACH and returns
   the agent time of a failed dial otherwise. */
bool ccs__lc_dial(struct ccs_sim *sim, struct ccs_contact *c, double *busy);
/* A dial that did not connect ended: retry later or give up. */
void ccs__lc_dial_failed(struct ccs_sim *sim, struct ccs_contact *c);
/* A conversation ended: transfer, resolution, repeat contact. Returns true if
   the agent must keep holding (consult transfer). Creates contacts, so the
   pool may move: callers re-fetch c (and any contact pointer) afterwards. */
bool ccs__lc_conversation_end(struct ccs_sim *sim, struct ccs_contact *c, uint32_t agent);
/* The contact left its line (served, abandoned, blocked) or its caller hung
   up for a callback: end a consult hold on it. */
void ccs__lc_left_line(struct ccs_sim *sim, struct ccs_contact *c);
/* It abandoned: maybe redial later. May move the pool, like the above. */
void ccs__lc_abandoned(struct ccs_sim *sim, struct ccs_contact *c);
/* EV_RETURN */
void ccs__lc_return(struct ccs_sim *sim, struct ccs_contact *c);
/* Campaign records at the start. */
void ccs__lc_start(struct ccs_sim *sim);
/* The balance at the end: counts pending contacts, faults if it does not add up. */
void ccs__lc_finish(struct ccs_sim *sim);
/* Queue q closes now: its waiting callers are disconnected (at_close). */
void ccs__lc_close(struct ccs_sim *sim, uint32_t q);
/* Entering contact c (not yet in its line) finds its queue closed (closes_at):
   it is disconnected at once. Frees c. */
void ccs__lc_closed_entry(struct ccs_sim *sim, struct ccs_contact *c);
/* Conference leg c (if_busy: skip) found no agent free at once: the
   conference is skipped (counted blocked and skipped in c's queue), the
   holder goes on to its wrap-up and the leg's own transfers follow as if it
   had ended. Frees c; may move the pool. */
void ccs__lc_skipped(struct ccs_sim *sim, struct ccs_contact *c);

/* Agents: available lists, and asking the policy for work. */
void ccs__avail_remove(struct ccs_sim *sim, uint32_t a);
void ccs__agent_offer(struct ccs_sim *sim, uint32_t a);

/* --- staffing.c ------------------------------------------------------------------ */

/* Allocate staffing state (in ccs_sim_new); log in and schedule shifts and
   plans (in the run's first event, CCS_STAFF_START). */
int ccs__staff_init(struct ccs_sim *sim);
void ccs__staff_start(struct ccs_sim *sim);
void ccs__staff_release(struct ccs_sim *sim);
void ccs__staff_event(struct ccs_sim *sim, uint32_t obj, uint32_t gen);
/* Agent a just released a contact: start its pending break or logout.
   Returns true if it must not take new work now. */
bool ccs__staff_freed(struct ccs_sim *sim, uint32_t a);

/* Log agent a in or out now, as a shift does (for live.c). */
void ccs__staff_login(struct ccs_sim *sim, uint32_t a);
void ccs__staff_logout(struct ccs_sim *sim, uint32_t a);

/* --- live.c ---------------------------------------------------------------------- */

/* Is group g's staffing held by a live change (its scenario staffing off)? */
bool ccs__live_holds(const struct ccs_sim *sim, uint32_t g);
void ccs__live_free(struct ccs__live *live);

/* --- arrivals.c ------------------------------------------------------------------ */

int ccs__arrivals_init(struct ccs_sim *sim);
/* Queue q's arrivals in its hot block (rate, CCS_QH_POISSON, CCS_QH_TRACE),
   again after a live change of its rate. */
void ccs__arrivals_hot(struct ccs_sim *sim, uint32_t q);
void ccs__arrivals_release(struct ccs_sim *sim);
/* Time of queue q's next arrival after t (INFINITY: none before the horizon). */
double ccs__next_arrival(struct ccs_sim *sim, uint32_t q, double t);
/* When queue q (at_close: disconnect) next closes after t: a step boundary
   where its volumes go from positive to 0, else the horizon when drained;
   INFINITY: never. No random numbers. */
double ccs__next_close(const struct ccs_sim *sim, uint32_t q, double t);
/* Is queue q (closes_at) closed at t: from its closing time to midnight? */
bool ccs__closed(const struct ccs_sim *sim, uint32_t q, double t);
/* A trace queue's record arriving now (and advance), or NULL. */
const struct ccs_trace_rec *ccs__trace_take(struct ccs_sim *sim, uint32_t q);
double ccs__trace_patience(struct ccs_sim *sim, uint32_t q, const struct ccs_trace_rec *rec);

/* --- checks.c -------------------------------------------------------------------- */

void ccs__check_invariants(struct ccs_sim *sim);
/* Does queue q's longest-idle index agree with its groups' lists? */
bool ccs__idle_index_ok(const struct ccs_sim *sim, uint32_t q);
/* Are the groups' idle keys their lists' heads, every available list in
   ccs_idle_before order, and the list of all available agents (if any)
   exactly those agents, in that order? */
bool ccs__idle_lists_ok(const struct ccs_sim *sim);

/* --- acc.c ----------------------------------------------------------------------- */

int ccs__acc_init(struct ccs_sim *sim);
void ccs__acc_release(struct ccs_sim *sim);
/* Bring group g's time integrals up to now (before its counts change). */
void ccs__acc_group_advance(struct ccs_sim *sim, uint32_t g);
/* Bring line l's length integral up to now (before its length changes). */
void ccs__acc_line_advance(struct ccs_sim *sim, uint32_t l);
/* Interval `upto` begins (now is its start, or the horizon): move the group
   integrals of the interval that just ended into their per-interval cells. */
void ccs__acc_groups_flush(struct ccs_sim *sim, uint32_t upto);
/* Record each queue's backlog at the end of intervals [sim->snapped, upto). */
void ccs__acc_snapshot(struct ccs_sim *sim, uint32_t upto);
/* Close all integrals at the end of the run. */
void ccs__acc_finish(struct ccs_sim *sim, double t_end);

/* The reporting interval of time t, or CCS_NONE in the warm-up (not
   counted). Computed once per entry into a queue (ccs__acc_entered), so the
   per-event path never divides. */
static inline uint32_t ccs__acc_interval(const struct ccs_sim *sim, double t)
{
    if (t < sim->stat_start)
        return CCS_NONE;
    uint32_t i = (uint32_t)(t / sim->sc->interval);
    return i < sim->acc.n_intervals ? i : sim->acc.n_intervals - 1;
}

/*
 * ccs_sim_new, or with whole_only a simulation that computes whole-run
 * results only (ccs_run_opts.whole_run_only): ccs_sim_results then writes
 * the layout's n_whole values, the same bits as a full simulation's.
 */
int ccs__sim_new(const struct ccs_scenario *sc, uint64_t seed, uint32_t rep, bool whole_only,
                 struct ccs_sim **out, struct ccs_diag *d);

/* Contact c (re)joins a queue now: it arrived now. */
static inline void ccs__acc_entered(struct ccs_sim *sim, struct ccs_contact *c)
{
    c->arrived = sim->now;
    ccs__cx(sim, c)->interval = ccs__acc_interval(sim, sim->now);
}

/* The counters of contact c's line for the interval it arrived in, or NULL
   if it arrived during the warm-up (not counted). */
static inline struct ccs_acc_line *ccs__acc_line_of(struct ccs_sim *sim,
                                                    const struct ccs_contact *c)
{
    if (ccs__cx(sim, c)->interval == CCS_NONE)
        return NULL;
    return &sim->acc.line[(size_t)c->line * sim->acc.line_ni +
                          ccs__cx(sim, c)->interval * sim->acc.line_step];
}

/* The times of line l in interval i. */
static inline struct ccs_acc_time *ccs__acc_time_at(const struct ccs_acc *acc, uint32_t l,
                                                    uint32_t i)
{
    size_t k = (size_t)l * acc->n_intervals + i;
    return acc->time != NULL ? &acc->time[k] : &acc->line[k].t;
}

/* The times of contact c's line for the interval it arrived in; only when
   ccs__acc_line_of is not NULL. */
static inline struct ccs_acc_time *ccs__acc_time_of(struct ccs_sim *sim,
                                                    const struct ccs_contact *c)
{
    return ccs__acc_time_at(&sim->acc, c->line, ccs__cx(sim, c)->interval);
}

#endif
