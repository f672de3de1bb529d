/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * policy.h - the routing-policy plug-in interface. A policy is a const table
 * of functions; it reads the simulation through a read-only view and returns
 * decisions. It never schedules events or changes the model: the engine
 * applies each decision and asserts that it is legal (agent present, skilled,
 * with free capacity), so invariants live in one place and a policy can be
 * unit-tested against a hand-built view. docs/routing.md has a worked example.
 */
#ifndef CCS_POLICY_H
#define CCS_POLICY_H

#include "ccs/error.h"
#include "ccs/params.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CCS_NONE UINT32_MAX

/* Channels. Deferred channels (e-mail, outbound) have no abandonment. */
enum ccs_channel {
    CCS_CH_VOICE,
    CCS_CH_CHAT,
    CCS_CH_EMAIL,
    CCS_CH_CALLBACK,
    CCS_CH_OUTBOUND,
    CCS_CH_COUNT_
};

enum ccs_contact_state {
    CCS_C_FREE,    /* pool slot not in use */
    CCS_C_WAITING, /* in a line */
    CCS_C_TALK,    /* being served */
    CCS_C_WRAP,    /* served; agent doing after-contact work */
    CCS_C_HELD,    /* out of lines, waiting on a timer (e.g. a callback retry) */
};

enum ccs_agent_state {
    CCS_A_ABSENT,  /* not logged in (off shift, absent) */
    CCS_A_IDLE,    /* logged in, no contact */
    CCS_A_BUSY,    /* serving at least one contact (talk or wrap) */
    CCS_A_BREAK,   /* logged in, on break */
};

/* Contact flags (struct ccs_contact.flags). */
#define CCS_CF_CALLBACK 0x01u  /* accepted a callback: waits without abandoning */
#define CCS_CF_OUTBOUND 0x02u  /* a campaign record */
#define CCS_CF_REDIAL 0x04u    /* a redial after abandonment */
#define CCS_CF_REPEAT 0x08u    /* a repeat contact of an unresolved issue */
#define CCS_CF_TRANSFER 0x10u  /* a transferred leg */
#define CCS_CF_NOREACH 0x20u   /* engine: this service is a dial that does not connect */
#define CCS_CF_HOLDING 0x40u   /* engine: talk over, agent held for a consult transfer */
#define CCS_CF_ENTRY 0x80u     /* engine: held contact that becomes a new entry on return */
#define CCS_CF_WRONG 0x100u    /* engine: the last dial reached a wrong party */
#define CCS_CF_MESSAGE 0x200u  /* it leaves a message when its wait runs out (on_abandon then
                                  means a message was left, not that patience ran out) */
#define CCS_CF_KEEP 0x400u     /* engine: held redial that keeps its remaining patience */
#define CCS_CF_CONFERENCE 0x800u /* a conference leg: its holder stays until its talk ends */
#define CCS_CF_CLOSED 0x1000u  /* disconnected because its queue closed (at_close; on_abandon
                                  then means that, not that patience ran out) */
#define CCS_CF_SKIP 0x2000u    /* engine: a conference leg skipped unless an agent takes it at
                                  once (if_busy: skip) */

/* A contact in the system, as far as a policy may see it: the customer's
   patience, drawn handle times and decisions, and the engine's bookkeeping
   stay in the engine. Durations in seconds, times since run start. */
struct ccs_contact {
    double arrived;    /* time it joined its current queue */
    double credit;     /* head start in seconds for priority ordering (segment credit) */
    double started;    /* when service began (NaN before) */
    uint32_t id;       /* index in view->contacts */
    uint32_t gen;      /* bumps whenever the contact changes state (a cache key) */
    uint32_t queue;    /* contact type */
    uint32_t segment;  /* customer segment within the queue */
    uint32_t line;     /* waiting line = (queue, segment) */
    uint32_t agent;    /* serving agent, or CCS_NONE */
    uint32_t prev, next; /* neighbours in its line (CCS_NONE at the ends) */
    uint8_t state;     /* enum ccs_contact_state */
    uint8_t channel;   /* enum ccs_channel */
    uint16_t flags;    /* CCS_CF_* */
};

/* One (queue, segment) FIFO of waiting contacts, oldest at head. */
struct ccs_line {
    uint32_t head, tail, count;
    uint32_t queue, segment;
    int priority;      /* static priority: queue priority + segment priority */
    double weight;     /* value weight of the segment (default 1) */
    double credit;     /* priority head start of the segment, seconds */
    double sla_within; /* service-level threshold T of this line, seconds */
    double sla_target; /* fraction to answer within T */
    const char *name;  /* "queue" or "queue/segment" */
};

/* A skill of a group: which queue, how well, in which order. */
struct ccs_skill {
    uint32_t queue;
    double level;    /* proficiency: handle time is divided by it (1 = nominal) */
    int priority;    /* order of preference; lower serves first (list order by default) */
    double delay;    /* overflow: serve this queue only after its contact waited this long */
};

/* A group's skill for a queue: groups[g].skills[skill] serves `queue`. */
struct ccs_skill_ref {
    uint32_t queue, skill;
};

struct ccs_queue {
    const char *id;
    uint8_t channel;       /* enum ccs_channel */
    bool deferred;         /* backlog work: e-mail, outbound (no abandonment) */
    int priority;          /* static priority of the queue (higher first) */
    double sla_target, sla_within;
    uint32_t first_line, n_lines; /* lines[first_line .. +n_lines): one per segment */
    uint32_t waiting;      /* contacts waiting in all its lines */
    uint32_t n_groups;     /* groups having this skill */
    const uint32_t *groups;      /* their indices, in scenario order */
    const uint32_t *group_skill; /* for each, the index of the skill in that group */
    /* The engine's index of this queue's groups that have an available agent,
       ordered by their longest-idle agent (ccs_idle_before): a binary heap of
       positions in groups[], idle_heap[0] the group whose head has idled
       longest, n_idle_heap entries. NULL when the queue has few groups (or
       the view is built by hand): then scan the groups. */
    const uint32_t *idle_heap;
    uint32_t n_idle_heap;
};

struct ccs_group {
    const char *id;
    const struct ccs_skill *skills; /* in the order the scenario lists them */
    uint32_t n_skills;
    uint32_t first_agent, n_agents; /* agents[first_agent .. +n_agents) */
    uint32_t capacity;     /* simultaneous contacts per agent (chat > 1) */
    uint32_t idle_head, idle_tail, n_idle; /* available agents, longest available first */
    uint32_t n_present;    /* logged in and not on break (idle or busy) */
    uint32_t n_break;      /* on break */
    uint32_t n_overtime;   /* still busy past the end of their shift */
    uint32_t n_busy;       /* agents serving at least one contact */
    uint32_t busy_slots;   /* contacts in hand over all its agents */
};

struct ccs_agent {
    double idle_since;   /* when it last became available */
    double busy_time;    /* slot-seconds held so far this run (talk, wrap-up, dials), counted
                            as each contact releases the agent; / capacity = busy seconds */
    double login_time;   /* seconds present (logged in, not on break) before present_since */
    double present_since; /* when it last became present; NaN while absent or on break */
    uint32_t id, group;
    uint32_t load;       /* contacts in hand (talk or wrap) */
    uint32_t prev, next; /* neighbours in its group's available list */
    uint8_t state;       /* enum ccs_agent_state */
    bool available;      /* in its group's available list */
    uint8_t pending;     /* CCS_AP_*: leaves once its contacts end */
    uint32_t shift;      /* its shift in the group, or CCS_NONE */
};

/* Agent pending flags (struct ccs_agent.pending). */
#define CCS_AP_BREAK 0x1u   /* a break starts when its contacts end */
#define CCS_AP_LOGOUT 0x2u  /* it logs out when its contacts end */

/* Group g's longest-idle agent as the engine keeps it (ccs_view.idle_key[g]):
   its available list's head and that agent's idle_since, side by side. */
struct ccs_idle_key {
    double since;  /* agents[head].idle_since (unread while head is CCS_NONE) */
    uint32_t head; /* groups[g].idle_head */
};

/* An available agent's place in the engine's list of all available agents
   (ccs_view.idle_links), longest idle first (ccs_idle_before). */
struct ccs_idle_link {
    uint32_t prev, next; /* neighbours in the list, CCS_NONE at its ends */
    uint32_t group;      /* the agent's group, without reading the agent */
    uint32_t reserved_;  /* 16 bytes: four links to a cache line */
};

/* Does key x's agent rank before key y's as longest idle (ccs_idle_before:
   earlier idle_since, then lower index)? Without branches (& and |): which
   of two groups idled longer is a coin toss to a branch predictor. */
static inline bool ccs_idle_key_before(const struct ccs_idle_key *x, const struct ccs_idle_key *y)
{
    return (x->since < y->since) | ((x->since == y->since) & (x->head < y->head));
}

/* What a policy sees. All pointers are read-only and valid during a call. */
struct ccs_view {
    double now;
    uint32_t n_queues, n_lines, n_groups, n_agents;
    const struct ccs_queue *queues;
    const struct ccs_line *lines;
    const struct ccs_group *groups;
    const struct ccs_agent *agents;
    const struct ccs_contact *contacts;
    /* Where ccs_view_skill_index looks (use it rather than these). On a
       small center, skill_table[g * n_queues + q] is its answer (NULL when
       n_groups x n_queues > CCS_SKILL_TABLE_MAX). Otherwise each group's
       skills in queue order: skill_refs[skill_first[g] + i], i <
       groups[g].n_skills, is group g's i-th skill by ascending queue, so
       memory grows with the skills, not with groups x queues (a table was
       4 MB at 1,000 x 1,000). All NULL on a view built by hand: the accessor
       then scans groups[g].skills. */
    const int16_t *skill_table;
    const struct ccs_skill_ref *skill_refs;
    const uint32_t *skill_first; /* n_groups + 1 entries */
    /* mean_hold[g]: group g's recent mean holding time of a slot (talk +
       wrap-up), seconds; the wait predictor's input, so that it is a function
       of the view alone and works on hand-built views */
    const double *mean_hold;
    /* slots in contacts[] (FREE ones included): lets a monitor find every
       contact in the system, e.g. which agents are talking or wrapping up */
    uint32_t n_contacts;
    /* The engine's list of every available agent, for queues served by
       most groups (ccs_view_idle_walk): idle_first is the agent that has
       idled longest (CCS_NONE: none is available), idle_links[a].next the
       one after agent a, in ccs_idle_before order; each group's available
       list is in the same order. Meaningful only for available agents. NULL
       when no queue uses it, or on a view built by hand. */
    const struct ccs_idle_link *idle_links;
    uint32_t idle_first;
    /* Queues with a waiting contact: bit q % 64 of waiting_queues[q / 64]
       (queues[q].waiting > 0); n_waiting_queues of them. NULL on a view
       built by hand. */
    const uint64_t *waiting_queues;
    uint32_t n_waiting_queues;
    /* idle_key[g]: group g's longest-idle agent and since when, 16 bytes a
       group side by side (what ccs_longest_idle_for compares: at 10,000
       agents the groups and agents it would read instead are cache
       misses). NULL on a view built by hand. */
    const struct ccs_idle_key *idle_key;
};

/*
 * Does the longest-idle agent for queue Q come from walking idle_links in
 * order (the first agent whose group has Q's skill) rather than from Q's own
 * index or a scan of Q's groups? When Q has no index of its own and so many
 * groups that the walk, about n_groups / Q->n_groups steps, is much shorter
 * than a scan.
 */
static inline bool ccs_view_idle_walk(const struct ccs_view *v, const struct ccs_queue *Q)
{
    return v->idle_links != NULL && Q->idle_heap == NULL && Q->n_groups >= 8 &&
           4 * (uint64_t)v->n_groups < (uint64_t)Q->n_groups * Q->n_groups;
}

/*
 * The engine's wait-time predictor (docs/engine.md): the expected wait of a
 * contact that joins queue q with `ahead` contacts before it,
 * (ahead + 1) / service rate of q's eligible agents, where that rate is the
 * sum over q's groups of busy slots / the group's recent mean holding time.
 * INFINITY when no eligible agent is busy.
 */
double ccs_view_predict_wait(const struct ccs_view *v, uint32_t q, uint32_t ahead);

/* The predictor's service rate for queue q, per second. */
double ccs_view_answer_rate(const struct ccs_view *v, uint32_t q);

/* Groups with at most this many skills are scanned, not searched. */
#define CCS_SKILL_SCAN 8
/* The most cells of a view's skill_table (128 KB) */
#define CCS_SKILL_TABLE_MAX 65536

/*
 * The index in groups[g].skills of g's skill for queue q, or -1 when g lacks
 * it: one cell of the table on a small center; else a scan of the group's
 * skill_refs when it has few, a binary search of them (in queue order) when
 * it has many; on a view built by hand (no skill_refs), a scan of
 * groups[g].skills.
 */
static inline int32_t ccs_view_skill_index(const struct ccs_view *v, uint32_t g, uint32_t q)
{
    if (v->skill_table != NULL)
        return v->skill_table[(size_t)g * v->n_queues + q];
    if (v->skill_refs == NULL) { /* a view built by hand */
        const struct ccs_group *G = &v->groups[g];
        int32_t found = -1;
        for (uint32_t s = 0; s < G->n_skills; s++)
            found = G->skills[s].queue == q ? (int32_t)s : found;
        return found;
    }
    /* the group's refs only, 8 bytes a skill in one array: not the group
       nor its 32-byte skills, cache misses at 1,000 groups */
    const struct ccs_skill_ref *r = v->skill_refs + v->skill_first[g];
    uint32_t n = v->skill_first[g + 1] - v->skill_first[g];
    if (n <= CCS_SKILL_SCAN) {
        /* without branches on the data (a group's queues are distinct):
           which skill matches is as good as random, and a mispredicted
           branch costs more than the few compares */
        int32_t found = -1;
        for (uint32_t s = 0; s < n; s++)
            found = r[s].queue == q ? (int32_t)r[s].skill : found;
        return found;
    }
    while (n > 1) { /* the last ref with queue <= q, if any, stays in r[0 .. n) */
        uint32_t h = n / 2;
        r = r[h].queue <= q ? r + h : r;
        n -= h;
    }
    return r[0].queue == q ? (int32_t)r[0].skill : -1;
}

/* The skill g has for queue q, or NULL. */
static inline const struct ccs_skill *ccs_view_skill(const struct ccs_view *v, uint32_t g,
                                                     uint32_t q)
{
    int32_t s = ccs_view_skill_index(v, g, q);
    return s < 0 ? NULL : &v->groups[g].skills[s];
}

/*
 * Agent a's occupancy so far this run: its busy time (busy_time / capacity)
 * over the seconds it has been present (logged in, not on break); 0 before
 * it has been present at all. The least_occupied rule ranks agents by it.
 */
static inline double ccs_view_agent_occupancy(const struct ccs_view *v, uint32_t a)
{
    const struct ccs_agent *ag = &v->agents[a];
    double present = ag->login_time;
    if (ag->present_since >= 0) /* false for NaN: not present now */
        present += v->now - ag->present_since;
    return present > 0 ? ag->busy_time / v->groups[ag->group].capacity / present : 0;
}

/* Has agent a room for one more contact right now? */
static inline bool ccs_view_agent_free(const struct ccs_view *v, uint32_t a)
{
    const struct ccs_agent *ag = &v->agents[a];
    return ag->available;
}

/* --- Decisions ---------------------------------------------------------- */

enum ccs_route_action {
    CCS_ROUTE_QUEUE,  /* wait in its line */
    CCS_ROUTE_ASSIGN, /* serve now by .agent */
    CCS_ROUTE_REJECT, /* refuse (counted as blocked) */
};

struct ccs_route {
    enum ccs_route_action action;
    uint32_t agent;     /* for ASSIGN */
    double recheck;     /* for QUEUE: ask route_contact again at this time (INFINITY: never) */
    const char *reason; /* static text for traces, e.g. "longest-idle eligible agent" */
};

struct ccs_pick {
    uint32_t contact;   /* contact to serve next, or CCS_NONE to stay idle */
    const char *reason; /* static text for traces */
};

/* A policy's own YAML block (routing: {...}); read with ccs/params.h. */
struct ccs_params;

/*
 * The routing stream: the random numbers a policy may use (tie-breaks,
 * random agent choice). The engine hands each policy its own stream at init,
 * seeded from (scenario seed, replication), so draws are reproducible and
 * independent of every other source of randomness: common random numbers
 * stay aligned. A policy keeps the pointer in its state; it never draws
 * through the read-only view.
 */
struct ccs_stream;

/* A uniform number in [0, 1) from the stream. */
double ccs_stream_uniform(struct ccs_stream *s);

/* Flags */
#define CCS_POLICY_WORK_CONSERVING 0x1u /* never idles an agent a contact may use */

struct ccs_policy_ops {
    const char *name;        /* used in scenarios: routing: {policy: NAME} */
    const char *summary;     /* one line */
    const char *params_help; /* one line per parameter: "name: type, default; meaning\n" */
    unsigned flags;

    /*
     * Parse and validate the policy's parameters, and build its state for
     * one simulation. Errors go to d, located in the scenario file, and
     * return a negative CCS_E* code. The view shows the empty initial state;
     * rng is the policy's routing stream (valid until destroy).
     */
    int (*init)(const struct ccs_params *p, const struct ccs_view *v, struct ccs_stream *rng,
                void **state, struct ccs_diag *d);

    /* A contact arrived (or asked to be reconsidered): where does it go? */
    struct ccs_route (*route_contact)(void *state, const struct ccs_view *v, uint32_t contact);

    /* Agent a has room for another contact: which waiting contact, if any? */
    struct ccs_pick (*select_contact)(void *state, const struct ccs_view *v, uint32_t agent);

    /*
     * May agent a serve waiting contact c now? Used by the conformance
     * checker to verify work conservation; NULL means "a's group has c's
     * skill and any overflow delay has passed".
     */
    bool (*may_serve)(void *state, const struct ccs_view *v, uint32_t contact, uint32_t agent);

    /* Optional hooks; NULL = nothing to do. on_abandon: contact leaves its
       line unserved, by abandoning, by leaving a message (CCS_CF_MESSAGE
       set on it) or cut off when its queue closed (CCS_CF_CLOSED). */
    void (*on_abandon)(void *state, const struct ccs_view *v, uint32_t contact);
    void (*on_service_end)(void *state, const struct ccs_view *v, uint32_t contact,
                           uint32_t agent);
    void (*on_interval)(void *state, const struct ccs_view *v, uint32_t interval);

    void (*destroy)(void *state);
};

#endif
