/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * eventq.h - the future event list: a 4-ary min-heap of 16-byte nodes ordered by
 * (time, priority, sequence). Priority is the event kind, so simultaneous
 * events fire in a fixed kind order and, within a kind, in the order they
 * were scheduled: ties never depend on addresses or hashing. The payload
 * (obj, gen) waits in a side array, so sifting moves 16 bytes, not 24.
 * Push and pop are inline because they are the engine's innermost loop.
 */
#ifndef CCS_CORE_EVENTQ_H
#define CCS_CORE_EVENTQ_H

#include "ccs/error.h"

#include <assert.h>
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/*
 * A node's key, high bits to low: priority (4 bits), sequence (30 bits),
 * payload slot (30 bits). Comparing keys as integers compares priority, then
 * sequence; sequence numbers are unique among pending events, so the slot
 * bits never decide an order.
 *
 * Limits, and why neither can misorder silently:
 * - priority < 16 (the engine has 9 kinds);
 * - at most CCS_EVQ_MAX_PENDING (2^30, about 1.07e9) pending events: one more
 *   push fails with CCS_ERANGE. 2^30 events take 24 GiB, more than the
 *   machines this runs on, so memory runs out first in practice;
 * - sequence numbers: 2^30 per run are not enough for long runs, so when
 *   they run out the queue renumbers the pending events 0..n-1 in firing
 *   order (sorting the heap, which leaves a valid heap) and goes on from n.
 *   Only the relative order of sequence numbers matters, and renumbering
 *   keeps it; it costs O(n log n) once per ~2^30 pushes.
 */
#define CCS_EVQ_PRIO_BITS 4
#define CCS_EVQ_SEQ_BITS 30
#define CCS_EVQ_SLOT_BITS 30
#define CCS_EVQ_MAX_PRIO ((1u << CCS_EVQ_PRIO_BITS) - 1u)
#define CCS_EVQ_MAX_PENDING ((size_t)1 << CCS_EVQ_SLOT_BITS)
#define CCS_EVQ_SEQ_LIMIT ((uint64_t)1 << CCS_EVQ_SEQ_BITS)
#define CCS_EVQ_SLOT_MASK (((uint64_t)1 << CCS_EVQ_SLOT_BITS) - 1u)
#define CCS_EVQ_NO_SLOT UINT32_MAX

/* What the heap moves: 16 bytes, four to a 64-byte cache line. */
struct ccs_evq_node {
    uint64_t tk;  /* when: the time's bits mapped to an integer of the same order (ccs__evq_tkey) */
    uint64_t key; /* priority | sequence | slot, see above */
};

/*
 * A time as an integer of the same order, so that the heap compares two
 * integers (a compare and a subtract with borrow) instead of two doubles
 * for < and == (a flag for "unordered" besides): positive times get the
 * sign bit set, negative ones all bits flipped, which orders every double
 * but NaN (never a time) as its value. -0.0 becomes +0.0 first, so that
 * the two are equal here as they are as doubles; ccs__evq_time gives the
 * time back, +0.0 for -0.0.
 */
static inline uint64_t ccs__evq_tkey(double t)
{
    t += 0.0; /* -0.0 + 0.0 is +0.0; any other time is itself */
    uint64_t u;
    memcpy(&u, &t, sizeof u);
    return u ^ ((uint64_t)((int64_t)u >> 63) | ((uint64_t)1 << 63));
}

/* A node's time, in seconds. */
static inline double ccs__evq_time(const struct ccs_evq_node *e)
{
    uint64_t u = e->tk;
    u ^= (uint64_t)((int64_t)~u >> 63) | ((uint64_t)1 << 63);
    double t;
    memcpy(&t, &u, sizeof t);
    return t;
}

/* A payload slot; a free one links to the next through obj. */
struct ccs_evq_payload {
    uint32_t obj;
    uint32_t gen;
};

/* An event as popped. */
struct ccs_event {
    double t;      /* when, in seconds */
    unsigned prio; /* kind */
    uint32_t obj;  /* payload: a contact, agent or queue index */
    uint32_t gen;  /* payload: generation for lazy cancellation, or a value */
};

/*
 * The heap is 4-ary: position p's children are 4p+1..4p+4, and position p
 * lives at a[p + CCS_EVQ_OFF], so a position's four children fill one
 * 64-byte-aligned cache line. Against a binary heap, half the levels and
 * a line per level.
 *
 * A calendar when many events are pending (issue 16): at 10,000 agents the
 * heap held 10,000 events, 160 KB, and a pop walked seven levels whose
 * lower lines had left the caches since the last pop went that way. Past
 * tier_at events the queue keeps three tiers:
 * - the heap: events at or before `split`, about `batch` of them (4 KB,
 *   first-level cache);
 * - the calendar: buckets [cur, nb) of consecutive time ranges, bucket i
 *   holding the events after the previous bucket's bound (split for the
 *   first) and at or before its own bound `hi`, unordered, in chunks of
 *   CCS_EVQ_CHUNK nodes from a pool;
 * - the far tier: events after the calendar's last bound (cal_hi),
 *   unordered, at the end of the heap's array, a[OFF + cap - n_far ..
 *   OFF + cap).
 * A push goes to the tier its time falls in, to its bucket in the
 * calendar. When the heap runs dry, the next non-empty bucket moves in
 * whole; when the calendar is spent, one pass over the far tier builds
 * the next one, its buckets about batch events wide. So an event is
 * moved about twice between its push and its pop, where a scan of the
 * later events for each window moved it nine times (the eighth pass in
 * docs/benchmark.md). Every heap event is at or before split, every
 * bucket's after the one before's bound and at or before its own, every
 * far event after cal_hi, so the heap's root is always the earliest event
 * and the firing order is exactly that of one heap. The bounds are
 * inclusive so that +INFINITY has a tier: the heap, when there is one
 * tier (split = cal_hi = INFINITY), or the far tier.
 *
 * The pool never runs out: a bucket wastes less than a chunk, so
 * cap / CCS_EVQ_CHUNK + CCS_EVQ_BUCKETS + 1 chunks hold every pending
 * event (there are at most cap), and a refill, which cannot fail,
 * allocates nothing.
 */
#define CCS_EVQ_OFF 3
#define CCS_EVQ_TIER_AT 4096   /* split into tiers past this many in the heap */
#define CCS_EVQ_BATCH 256      /* events a bucket aims to hold */
#define CCS_EVQ_BUCKETS 128    /* buckets of a calendar (at most) */
#define CCS_EVQ_CHUNK 32       /* nodes in a chunk of a bucket (512 bytes) */

/* A bucket of the calendar: its events, n of them, in a list of chunks. */
struct ccs_evq_bucket {
    double hi;           /* its events are at or before hi, after the previous bucket's */
    uint32_t head, tail; /* its first and last chunk (when n > 0) */
    size_t n;
};

struct ccs_eventq {
    struct ccs_evq_node *a;      /* a[OFF .. OFF + n): heap order, 64-byte aligned at a */
    size_t n;                    /* events in the heap */
    double split;                /* heap events at or before it, others after; INFINITY: one tier */
    struct ccs_evq_payload *pl;  /* [cap]: payload by slot */
    uint32_t free_slot;          /* head of the free slots, or CCS_EVQ_NO_SLOT */
    uint32_t used_slots;         /* slots [0, used_slots) have been handed out */
    uint64_t seq;                /* next sequence number */
    size_t n_far;                /* far events, unordered, at the end of a */
    size_t n_cal;                /* events in the calendar's buckets */
    double cal_hi;               /* calendar events at or before it, far ones after; >= split */
    double cal_lo, cal_inv_w;    /* bucket i covers about (cal_lo + i w, cal_lo + (i+1) w],
                                    w = 1 / cal_inv_w (a guess at a push's bucket: the
                                    bounds decide) */
    double cal_w;                /* the next calendar's first guess at w (0: none yet) */
    size_t cur, nb;              /* the calendar's pending buckets: [cur, nb) */
    struct ccs_evq_node *pool;   /* chunks of CCS_EVQ_CHUNK nodes */
    uint32_t *chunk_next;        /* per chunk: the next in its bucket or in the free list */
    uint32_t free_chunk;         /* head of the free chunks, or CCS_EVQ_NO_SLOT */
    size_t n_chunks;
    size_t cap;                  /* room for pending events, all tiers together */
    size_t tier_on;              /* split into tiers when the heap holds more (SIZE_MAX: split) */
    void *raw;                   /* the allocation behind a */
    /* Tunable by tests only (to reach the limits with few events): */
    uint64_t seq_limit;          /* renumber when seq reaches this (<= CCS_EVQ_SEQ_LIMIT) */
    size_t max_pending;          /* push fails past this (<= CCS_EVQ_MAX_PENDING) */
    size_t tier_at, batch;       /* CCS_EVQ_TIER_AT, CCS_EVQ_BATCH */
    size_t buckets;              /* buckets of a calendar (<= CCS_EVQ_BUCKETS) */
    /* last, 3 KB: the fields before are what every push and pop reads */
    struct ccs_evq_bucket bucket[CCS_EVQ_BUCKETS];
};

/* Initialise with room for cap events. Returns 0 or CCS_ENOMEM. */
int ccs__eventq_init(struct ccs_eventq *q, size_t cap);

/* Free the storage; q may be reused after init. */
void ccs__eventq_release(struct ccs_eventq *q);

/* Forget all events but keep the storage. */
void ccs__eventq_clear(struct ccs_eventq *q);

/*
 * The slow part of a push, when the heap is full or sequence numbers ran
 * out: grow (up to max_pending) and/or renumber. Returns 0, CCS_ENOMEM or
 * CCS_ERANGE (max_pending events pending); the queue is unchanged on error.
 */
int ccs__eventq_make_room(struct ccs_eventq *q);

/* The heap ran dry while calendar or far events wait: move the next bucket in. */
void ccs__eventq_refill(struct ccs_eventq *q);

/* The heap passed tier_on events: keep the earliest, move the rest to the far tier. */
void ccs__eventq_tier(struct ccs_eventq *q);

/* A bucket's last chunk is full (or it has none): give it a new one. */
void ccs__eventq_chunk_add(struct ccs_eventq *q, struct ccs_evq_bucket *b);

/* Events pending. */
static inline size_t ccs__eventq_size(const struct ccs_eventq *q)
{
    return q->n + q->n_cal + q->n_far;
}

/* Put e, at time t (split < t <= cal_hi), in its bucket. */
static inline void ccs__eventq_cal_put(struct ccs_eventq *q, struct ccs_evq_node e, double t)
{
    size_t i = q->cur, last = q->nb - 1;
    double g = (t - q->cal_lo) * q->cal_inv_w;
    if (g > (double)i)
        i = g < (double)last ? (size_t)g : last;
    while (i > q->cur && t <= q->bucket[i - 1].hi)
        i--;
    while (t > q->bucket[i].hi)
        i++;
    struct ccs_evq_bucket *b = &q->bucket[i];
    if (b->n % CCS_EVQ_CHUNK == 0)
        ccs__eventq_chunk_add(q, b);
    q->pool[(size_t)b->tail * CCS_EVQ_CHUNK + b->n % CCS_EVQ_CHUNK] = e;
    b->n++;
    q->n_cal++;
}

/* The kind of a popped event. */
static inline unsigned ccs__event_prio(const struct ccs_event *e)
{
    return e->prio;
}

#ifdef __SIZEOF_INT128__
/* (time key, key) as one 128-bit integer: the compare is a compare and a
   subtract with borrow (GCC and Clang on 64-bit targets) */
__extension__ typedef unsigned __int128 ccs__evq_u128;
#endif

static inline int ccs__evq_before(const struct ccs_evq_node *x, const struct ccs_evq_node *y)
{
    /* & and |, not && and ||: no branch to mispredict, the heap's loops
       pick a child with a conditional move */
#ifdef __SIZEOF_INT128__
    return ((ccs__evq_u128)x->tk << 64 | x->key) < ((ccs__evq_u128)y->tk << 64 | y->key);
#else
    return (x->tk < y->tk) | ((x->tk == y->tk) & (x->key < y->key));
#endif
}

/*
 * Schedule an event at time t (seconds; not NaN). Lower prio fires first at
 * equal times, then earlier pushes. Returns 0, CCS_EINVAL (prio above
 * CCS_EVQ_MAX_PRIO), CCS_ENOMEM or CCS_ERANGE (too many pending events);
 * the queue is unchanged on error.
 */
static inline int ccs__eventq_push(struct ccs_eventq *q, double t, unsigned prio, uint32_t obj,
                                   uint32_t gen)
{
    assert(t == t); /* a NaN time would break the heap order (checked in Debug builds) */
    if (prio > CCS_EVQ_MAX_PRIO)
        return CCS_EINVAL;
    if (q->n + q->n_cal + q->n_far == q->cap || q->seq >= q->seq_limit) {
        int rc = ccs__eventq_make_room(q);
        if (rc != 0)
            return rc;
    }
    uint32_t slot = q->free_slot;
    if (slot != CCS_EVQ_NO_SLOT)
        q->free_slot = q->pl[slot].obj;
    else
        slot = q->used_slots++;
    q->pl[slot].obj = obj;
    q->pl[slot].gen = gen;
    struct ccs_evq_node e;
    e.tk = ccs__evq_tkey(t);
    e.key = ((uint64_t)prio << (CCS_EVQ_SEQ_BITS + CCS_EVQ_SLOT_BITS)) |
            (q->seq++ << CCS_EVQ_SLOT_BITS) | slot;
    if (t > q->split) {
        if (t <= q->cal_hi)
            ccs__eventq_cal_put(q, e, t);
        else
            q->a[CCS_EVQ_OFF + q->cap - ++q->n_far] = e;
        return 0;
    }
    struct ccs_evq_node *a = q->a + CCS_EVQ_OFF;
    size_t i = q->n++;
    while (i > 0) {
        size_t p = (i - 1) >> 2;
        if (!ccs__evq_before(&e, &a[p]))
            break;
        a[i] = a[p];
        i = p;
    }
    a[i] = e;
    return 0;
}

/* The earliest event's node (its time: ccs__evq_time), or NULL when empty. Valid until
   the next push/pop. */
static inline const struct ccs_evq_node *ccs__eventq_peek(struct ccs_eventq *q)
{
    if (q->n == 0) {
        if (q->n_cal + q->n_far == 0)
            return NULL;
        ccs__eventq_refill(q);
    }
    return &q->a[CCS_EVQ_OFF];
}

/*
 * The next two events, asked before they fire so that the memory they
 * read is on its way while the current one runs (issue 16: at 10,000
 * agents a call's contact, agent and queue are cache misses): the
 * earliest's kind and payload object, and the kind and object of the
 * root's earliest child, which fires next unless an earlier event is
 * scheduled meanwhile (*kind2 = CCS_EVQ_MAX_PRIO + 1 when there is none).
 * Returns 0 when the queue is empty.
 */
static inline int ccs__eventq_ahead(const struct ccs_eventq *q, unsigned *kind, uint32_t *obj,
                                    unsigned *kind2, uint32_t *obj2)
{
    size_t n = q->n;
    if (n == 0)
        return 0;
    const struct ccs_evq_node *a = q->a + CCS_EVQ_OFF;
    *kind2 = CCS_EVQ_MAX_PRIO + 1u;
    if (n > 1) {
        size_t m = 1, end = n < 5 ? n : 5;
        for (size_t k = 2; k < end; k++)
            m = ccs__evq_before(&a[k], &a[m]) ? k : m;
        *kind2 = (unsigned)(a[m].key >> (CCS_EVQ_SEQ_BITS + CCS_EVQ_SLOT_BITS));
        *obj2 = q->pl[a[m].key & CCS_EVQ_SLOT_MASK].obj;
    }
    *kind = (unsigned)(a[0].key >> (CCS_EVQ_SEQ_BITS + CCS_EVQ_SLOT_BITS));
    *obj = q->pl[a[0].key & CCS_EVQ_SLOT_MASK].obj;
    return 1;
}

/*
 * Remove the earliest event into *out. The queue must not be empty.
 * Bottom-up (Floyd): the hole at the root sinks to a leaf along the smallest
 * children (a tournament of the four, one cache line), then the last event
 * rises from there; it belongs near the bottom, so this saves most of the
 * comparisons of a classic sift-down.
 */
static inline void ccs__eventq_pop(struct ccs_eventq *q, struct ccs_event *out)
{
    assert(ccs__eventq_size(q) > 0); /* the contract: never pop an empty queue (Debug builds check) */
    if (q->n == 0)
        ccs__eventq_refill(q);
    struct ccs_evq_node *a = q->a + CCS_EVQ_OFF;
    uint32_t slot = (uint32_t)(a[0].key & CCS_EVQ_SLOT_MASK);
    out->t = ccs__evq_time(&a[0]);
    out->prio = (unsigned)(a[0].key >> (CCS_EVQ_SEQ_BITS + CCS_EVQ_SLOT_BITS));
    out->obj = q->pl[slot].obj;
    out->gen = q->pl[slot].gen;
    q->pl[slot].obj = q->free_slot;
    q->free_slot = slot;
    size_t n = --q->n, i = 0, c;
    struct ccs_evq_node last = a[n];
    while ((c = 4 * i + 1) < n) {
        size_t m;
        if (c + 3 < n) {
            size_t x = c + ccs__evq_before(&a[c + 1], &a[c]);
            size_t y = c + 2 + ccs__evq_before(&a[c + 3], &a[c + 2]);
            m = ccs__evq_before(&a[y], &a[x]) ? y : x;
        } else {
            m = c;
            for (size_t k = c + 1; k < n; k++)
                if (ccs__evq_before(&a[k], &a[m]))
                    m = k;
        }
        a[i] = a[m];
        i = m;
    }
    while (i > 0) {
        size_t p = (i - 1) >> 2;
        if (!ccs__evq_before(&last, &a[p]))
            break;
        a[i] = a[p];
        i = p;
    }
    a[i] = last;
    if (n > q->tier_on)
        ccs__eventq_tier(q);
}

#endif
