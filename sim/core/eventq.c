/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * eventq.c - storage management for the event heap (see eventq.h): growth,
 * the pending-events limit, renumbering when sequence numbers run out, and
 * the moves between the heap and the mid and top tiers. The push/pop fast
 * paths are inline in the header.
 */
#include "core/eventq.h"

#include "ccs/error.h"
#include "ccs/mem.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Bytes for cap nodes at a[OFF..] with a on a 64-byte boundary. */
static size_t node_bytes(size_t cap)
{
    return (cap + CCS_EVQ_OFF) * sizeof(struct ccs_evq_node) + 64;
}

static struct ccs_evq_node *aligned(void *raw)
{
    return (struct ccs_evq_node *)(((uintptr_t)raw + 63) & ~(uintptr_t)63);
}

int ccs__eventq_init(struct ccs_eventq *q, size_t cap)
{
    if (cap < 16)
        cap = 16;
    if (cap > CCS_EVQ_MAX_PENDING)
        cap = CCS_EVQ_MAX_PENDING;
    q->raw = ccs_malloc(node_bytes(cap));
    q->pl = ccs_malloc(cap * sizeof *q->pl);
    if (q->raw == NULL || q->pl == NULL) {
        free(q->raw);
        free(q->pl);
        q->a = NULL;
        q->raw = NULL;
        q->pl = NULL;
        return CCS_ENOMEM;
    }
    q->a = aligned(q->raw);
    q->cap = cap;
    q->seq_limit = CCS_EVQ_SEQ_LIMIT;
    q->max_pending = CCS_EVQ_MAX_PENDING;
    q->tier_at = CCS_EVQ_TIER_AT;
    q->batch = CCS_EVQ_BATCH;
    q->mid_windows = CCS_EVQ_MID_WINDOWS;
    ccs__eventq_clear(q);
    return 0;
}

void ccs__eventq_release(struct ccs_eventq *q)
{
    free(q->raw);
    free(q->pl);
    q->a = NULL;
    q->raw = NULL;
    q->pl = NULL;
    q->n = q->n_far = q->n_top = q->cap = 0;
}

static int grow(struct ccs_eventq *q)
{
    size_t max = q->max_pending < CCS_EVQ_MAX_PENDING ? q->max_pending : CCS_EVQ_MAX_PENDING;
    if (q->cap >= max)
        return CCS_ERANGE;
    size_t cap = q->cap * 2 < max ? q->cap * 2 : max;
    size_t off = (size_t)((char *)q->a - (char *)q->raw);
    void *raw = ccs_realloc(q->raw, node_bytes(cap));
    if (raw == NULL)
        return CCS_ENOMEM;
    /* realloc keeps the bytes, not their alignment: slide them back onto
       a 64-byte boundary if the new block moved them off it */
    struct ccs_evq_node *a = aligned(raw);
    if ((char *)a != (char *)raw + off)
        memmove(a, (char *)raw + off, (q->cap + CCS_EVQ_OFF) * sizeof *a);
    q->raw = raw;
    q->a = a; /* larger, still valid with the old cap if the next step fails */
    struct ccs_evq_payload *pl = ccs_realloc(q->pl, cap * sizeof *pl);
    if (pl == NULL)
        return CCS_ENOMEM;
    q->pl = pl;
    /* the mid and top tiers move to the new end, the top still last */
    a += CCS_EVQ_OFF;
    memmove(a + cap - q->n_far, a + q->cap - q->n_far, q->n_far * sizeof *a);
    q->cap = cap;
    return 0;
}

static int node_cmp(const void *x, const void *y)
{
    const struct ccs_evq_node *a = x, *b = y;
    return ccs__evq_before(a, b) ? -1 : ccs__evq_before(b, a) ? 1 : 0;
}

/*
 * Sequence numbers ran out: give the pending events 0..n-1 in firing order.
 * A sorted array is a valid heap, and the new numbers keep every pending
 * pair in its order, so nothing fires differently.
 */
static void renumber(struct ccs_eventq *q)
{
    struct ccs_evq_node *a = q->a + CCS_EVQ_OFF;
    /* one tier again (the next pops split it anew) */
    memmove(a + q->n, a + q->cap - q->n_far, q->n_far * sizeof *a);
    q->n += q->n_far;
    q->n_far = 0;
    q->n_top = 0;
    q->split = INFINITY;
    q->split2 = INFINITY;
    q->tier_on = q->tier_at;
    const uint64_t seq_field = (CCS_EVQ_SEQ_LIMIT - 1u) << CCS_EVQ_SLOT_BITS;
    qsort(a, q->n, sizeof *a, node_cmp);
    for (size_t i = 0; i < q->n; i++)
        a[i].key = (a[i].key & ~seq_field) | ((uint64_t)i << CCS_EVQ_SLOT_BITS);
    q->seq = q->n;
}

int ccs__eventq_make_room(struct ccs_eventq *q)
{
    if (q->n + q->n_far == q->cap) {
        int rc = grow(q);
        if (rc != 0)
            return rc;
    }
    if (q->seq >= q->seq_limit || q->seq >= CCS_EVQ_SEQ_LIMIT)
        renumber(q);
    return 0;
}

/* Heap order for a[0..n) (Floyd: sift each parent down, the last first). */
static void heapify(struct ccs_evq_node *a, size_t n)
{
    if (n < 2)
        return;
    for (size_t p = (n - 2) / 4 + 1; p-- > 0;) {
        struct ccs_evq_node x = a[p];
        size_t i = p, c;
        while ((c = 4 * i + 1) < n) {
            size_t m = c, end = c + 4 < n ? c + 4 : n;
            for (size_t k = c + 1; k < end; k++)
                if (ccs__evq_before(&a[k], &a[m]))
                    m = k;
            if (!ccs__evq_before(&a[m], &x))
                break;
            a[i] = a[m];
            i = m;
        }
        a[i] = x;
    }
}

/* The earliest time of x[0..n), and the latest short of INFINITY. */
static void time_range(const struct ccs_evq_node *x, size_t n, double *lo, double *hi)
{
    *lo = INFINITY;
    *hi = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        double t = ccs__evq_time(&x[i]);
        *lo = t < *lo ? t : *lo;
        *hi = t > *hi && t < INFINITY ? t : *hi;
    }
}

/*
 * Move the events of x[0..n) at or before `bound` to its front (in any
 * order: neither a heap's pops nor an unordered tier depend on it); returns
 * how many, and sets *lo to the earliest time of all n. By blocks, as
 * BlockQuicksort: which events move is as good as random, so rather than
 * branch on each, note the ones that move in a block without a branch,
 * then swap just those to the front.
 */
static size_t partition(struct ccs_evq_node *x, size_t n, double bound, double *lo)
{
    /* in the time keys' order, which is the times' (ccs__evq_tkey) */
    size_t m = 0;
    uint64_t kb = ccs__evq_tkey(bound), low = UINT64_MAX;
    uint8_t at[256]; /* a block's events that move, by offset */
    for (size_t b = 0; b < n; b += sizeof at) {
        size_t end = n - b < sizeof at ? n - b : sizeof at, c = 0;
        for (size_t j = 0; j < end; j++) {
            uint64_t k = x[b + j].tk;
            low = k < low ? k : low;
            at[c] = (uint8_t)j;
            c += k <= kb;
        }
        /* x[m] is the first event that stays, or the one moving itself */
        for (size_t k = 0; k < c; k++) {
            struct ccs_evq_node e = x[b + at[k]];
            x[b + at[k]] = x[m];
            x[m++] = e;
        }
    }
    struct ccs_evq_node earliest = {low, 0};
    *lo = n > 0 ? ccs__evq_time(&earliest) : INFINITY;
    return m;
}

/*
 * The heap and the mid tier are empty: move into the mid tier the top
 * events up to mid_windows spans past split2 (every top event is after
 * it), or, if that takes none, past the top's earliest; one pass over the
 * top, two when there is such a gap. Sets split2 and returns the earliest
 * pending time.
 */
static double fill_mid(struct ccs_eventq *q)
{
    struct ccs_evq_node *top = q->a + CCS_EVQ_OFF + q->cap - q->n_top;
    double reach = q->span * (double)q->mid_windows, lo = q->split2, split2;
    size_t m;
    do {
        split2 = lo + reach; /* the second time >= the earliest: it moves */
        m = partition(top, q->n_top, split2, &lo);
    } while (m == 0);
    /* the events moved are the front of the top's block, just above the
       (empty) mid tier's: they are the mid tier now */
    q->split2 = split2;
    q->n_top -= m;
    return lo;
}

void ccs__eventq_refill(struct ccs_eventq *q)
{
    struct ccs_evq_node *a = q->a + CCS_EVQ_OFF;
    if (q->n_far <= 2 * q->batch) {
        /* few left: one tier again */
        memmove(a, a + q->cap - q->n_far, q->n_far * sizeof *a);
        q->n = q->n_far;
        q->n_far = 0;
        q->n_top = 0;
        q->split = INFINITY;
        q->split2 = INFINITY;
        q->tier_on = q->tier_at;
        heapify(a, q->n);
        return;
    }
    /* the window starts after split (every mid event is), or at the mid's
       earliest when it has just been filled */
    double lo = q->split, split;
    if (q->n_top == q->n_far)
        lo = fill_mid(q);
    size_t n_mid = q->n_far - q->n_top, m;
    struct ccs_evq_node *mid = a + q->cap - q->n_far;
    do {
        /* if the window takes none (a gap after split), again from the
           mid's earliest, which then moves */
        split = lo + q->span;
        m = partition(mid, n_mid, split, &lo);
    } while (m == 0);
    /* the window to the front of the mid block, then to a[0..]; if it
       took the whole mid tier, the heap reaches up to the top (and a
       window past split2 would break the order) */
    q->split = m < n_mid ? split : q->split2;
    q->tier_on = q->split < INFINITY ? SIZE_MAX : q->tier_at;
    memmove(a, mid, m * sizeof *a);
    q->n = m;
    q->n_far -= m;
    heapify(a, m);
    /* aim the next window at batch events (twice as wide at most, half at
       least), unless this one took the whole mid tier and so says nothing
       of how many a span holds */
    if (m < n_mid) {
        double f = (double)q->batch / (double)m;
        q->span *= f > 2 ? 2 : f < 0.5 ? 0.5 : f;
    }
}

void ccs__eventq_tier(struct ccs_eventq *q)
{
    struct ccs_evq_node *a = q->a + CCS_EVQ_OFF;
    size_t n = q->n;
    assert(q->n_far == 0); /* one tier: every event is in the heap */
    double lo, hi;
    time_range(a, n, &lo, &hi);
    if (!(lo < hi)) {
        q->tier_on = 2 * n; /* all at one time (or +INFINITY): nothing to split off yet */
        return;
    }
    /* a window of about batch events, if they are spread evenly */
    q->span = (hi - lo) * (double)q->batch / (double)n;
    if (!(q->span > 0))
        q->span = hi - lo; /* underflow */
    q->split = lo + q->span;
    q->split2 = q->split + q->span * (double)q->mid_windows;
    q->tier_on = SIZE_MAX;
    /* heap | mid | top in a[0..n), then mid and top to the end of a */
    size_t m2 = partition(a, n, q->split2, &lo);
    size_t m = partition(a, m2, q->split, &lo);
    memmove(a + q->cap - (n - m), a + m, (n - m) * sizeof *a);
    q->n_far = n - m;
    q->n_top = n - m2;
    q->n = m;
    heapify(a, m);
}
