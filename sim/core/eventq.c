/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * eventq.c - storage management for the event heap (see eventq.h): growth,
 * the pending-events limit, and renumbering when sequence numbers run out.
 * The push/pop fast paths are inline in the header.
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
    q->n = q->n_far = q->cap = 0;
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
    /* the far tier moves to the new end */
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
    q->split = INFINITY;
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

/* The earliest and latest times of x[0..n). */
static void time_range(const struct ccs_evq_node *x, size_t n, double *lo, double *hi)
{
    *lo = INFINITY;
    *hi = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        *lo = x[i].t < *lo ? x[i].t : *lo;
        *hi = x[i].t > *hi ? x[i].t : *hi;
    }
}

/*
 * Split the queue at about span after lo (lo < hi, the times of x[0..n)):
 * the events of x before the split first (their order, and the far
 * block's, is free: a heap's pops do not depend on its layout), and how
 * many they are, >= 1 (the one at lo).
 */
static size_t split_window(struct ccs_eventq *q, struct ccs_evq_node *x, size_t n, double lo,
                           double hi)
{
    if (!(q->span > 0))
        q->span = (hi - lo) * (double)q->batch / (double)n;
    double split = lo + q->span;
    q->split = split > lo ? split : nextafter(lo, INFINITY);
    q->tier_on = SIZE_MAX;
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (x[i].t < q->split) {
            struct ccs_evq_node e = x[i];
            x[i] = x[m];
            x[m++] = e;
        }
    }
    return m;
}

void ccs__eventq_refill(struct ccs_eventq *q)
{
    struct ccs_evq_node *a = q->a + CCS_EVQ_OFF;
    size_t nf = q->n_far;
    struct ccs_evq_node *far = a + q->cap - nf;
    double lo, hi;
    time_range(far, nf, &lo, &hi);
    if (nf <= 2 * q->batch || !(lo < hi)) {
        /* few left, or all at one time: one tier again */
        memmove(a, far, nf * sizeof *a);
        q->n = nf;
        q->n_far = 0;
        q->split = INFINITY;
        q->tier_on = q->tier_at;
        heapify(a, q->n);
        return;
    }
    /* the window to the front of the far block, then to a[0..] */
    size_t m = split_window(q, far, nf, lo, hi);
    memmove(a, far, m * sizeof *a);
    q->n = m;
    q->n_far = nf - m;
    heapify(a, m);
    /* aim the next window at batch events: twice as wide at most, half at least */
    double f = (double)q->batch / (double)m;
    q->span *= f > 2 ? 2 : f < 0.5 ? 0.5 : f;
}

void ccs__eventq_tier(struct ccs_eventq *q)
{
    struct ccs_evq_node *a = q->a + CCS_EVQ_OFF;
    size_t n = q->n;
    double lo, hi;
    time_range(a, n, &lo, &hi);
    if (!(lo < hi)) {
        q->tier_on = 2 * n; /* all at one time: nothing to split off yet */
        return;
    }
    size_t m = split_window(q, a, n, lo, hi);
    /* a[m..n) joins the far block, just below it (n + n_far <= cap) */
    size_t moved = n - m;
    memmove(a + q->cap - q->n_far - moved, a + m, moved * sizeof *a);
    q->n_far += moved;
    q->n = m;
    heapify(a, m);
}
