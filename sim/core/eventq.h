/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * eventq.h - the future event list: a binary min-heap of small events
 * ordered by (time, priority, sequence). Priority is the event kind, so
 * simultaneous events fire in a fixed kind order and, within a kind, in the
 * order they were scheduled: ties never depend on addresses or hashing.
 * Push and pop are inline because they are the engine's innermost loop.
 */
#ifndef CCS_CORE_EVENTQ_H
#define CCS_CORE_EVENTQ_H

#include <stddef.h>
#include <stdint.h>

#define CCS_EVQ_PRIO_BITS 8
#define CCS_EVQ_SEQ_BITS (64 - CCS_EVQ_PRIO_BITS)

struct ccs_event {
    double t;      /* when, in seconds */
    uint64_t key;  /* priority in the top 8 bits, then the sequence number */
    uint32_t obj;  /* payload: a contact, agent or queue index */
    uint32_t gen;  /* payload: generation for lazy cancellation, or a value */
};

struct ccs_eventq {
    struct ccs_event *a; /* a[1..n]: heap order; a[0] unused */
    size_t n, cap;
    uint64_t seq;        /* next sequence number */
};

/* Initialise with room for cap events. Returns 0 or CCS_ENOMEM. */
int ccs__eventq_init(struct ccs_eventq *q, size_t cap);

/* Free the storage; q may be reused after init. */
void ccs__eventq_release(struct ccs_eventq *q);

/* Forget all events but keep the storage. */
static inline void ccs__eventq_clear(struct ccs_eventq *q)
{
    q->n = 0;
    q->seq = 0;
}

/* Double the capacity. Returns 0 or CCS_ENOMEM. */
int ccs__eventq_grow(struct ccs_eventq *q);

static inline unsigned ccs__event_prio(const struct ccs_event *e)
{
    return (unsigned)(e->key >> CCS_EVQ_SEQ_BITS);
}

static inline int ccs__event_before(const struct ccs_event *x, const struct ccs_event *y)
{
    return x->t < y->t || (x->t == y->t && x->key < y->key);
}

/*
 * Schedule an event. prio < 256; lower fires first at equal times.
 * Returns 0 or CCS_ENOMEM (the queue is unchanged then).
 */
static inline int ccs__eventq_push(struct ccs_eventq *q, double t, unsigned prio, uint32_t obj,
                                   uint32_t gen)
{
    if (q->n == q->cap && ccs__eventq_grow(q) != 0)
        return -1; /* CCS_ENOMEM, spelled here to keep this header light */
    struct ccs_event e;
    e.t = t;
    e.key = ((uint64_t)prio << CCS_EVQ_SEQ_BITS) | q->seq++;
    e.obj = obj;
    e.gen = gen;
    struct ccs_event *a = q->a;
    size_t i = ++q->n;
    while (i > 1 && ccs__event_before(&e, &a[i >> 1])) {
        a[i] = a[i >> 1];
        i >>= 1;
    }
    a[i] = e;
    return 0;
}

/* The earliest event, or NULL when empty. Valid until the next push/pop. */
static inline const struct ccs_event *ccs__eventq_peek(const struct ccs_eventq *q)
{
    return q->n ? &q->a[1] : NULL;
}

/*
 * Remove the earliest event into *out. The queue must not be empty.
 * Bottom-up (Floyd): the hole at the root sinks to a leaf along the smaller
 * children, one comparison per level, then the last event rises from there;
 * it belongs near the bottom, so this halves the comparisons of a classic
 * sift-down.
 */
static inline void ccs__eventq_pop(struct ccs_eventq *q, struct ccs_event *out)
{
    struct ccs_event *a = q->a;
    *out = a[1];
    struct ccs_event last = a[q->n--];
    size_t n = q->n, i = 1, c;
    while ((c = i << 1) < n) {
        c += ccs__event_before(&a[c + 1], &a[c]);
        a[i] = a[c];
        i = c;
    }
    if (c == n) {
        a[i] = a[c];
        i = c;
    }
    while (i > 1 && ccs__event_before(&last, &a[i >> 1])) {
        a[i] = a[i >> 1];
        i >>= 1;
    }
    a[i] = last;
}

#endif
