/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * eventq.c - storage management for the event heap (see eventq.h): growth,
 * the pending-events limit, renumbering when sequence numbers run out, and
 * the moves between the heap, the calendar and the far tier. The push/pop
 * fast paths are inline in the header.
 */
#include "core/eventq.h"

#include "ccs/error.h"
#include "ccs/mem.h"

#include <assert.h>
#include <math.h>
#include <stdbool.h>
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

/* Chunks that hold every pending event of a queue of capacity cap. */
static size_t chunks_for(size_t cap)
{
    return cap / CCS_EVQ_CHUNK + CCS_EVQ_BUCKETS + 1;
}

/* Chunks [from, to) join the free list. */
static void chunks_free_range(struct ccs_eventq *q, size_t from, size_t to)
{
    for (size_t c = to; c-- > from;) {
        q->chunk_next[c] = q->free_chunk;
        q->free_chunk = (uint32_t)c;
    }
}

void ccs__eventq_clear(struct ccs_eventq *q)
{
    q->n = 0;
    q->n_far = 0;
    q->n_cal = 0;
    q->split = INFINITY;
    q->cal_hi = INFINITY;
    q->cal_lo = 0;
    q->cal_inv_w = 1;
    q->cal_w = 0;
    q->cur = q->nb = 0;
    q->tier_on = q->tier_at;
    q->seq = 0;
    q->free_slot = CCS_EVQ_NO_SLOT;
    q->used_slots = 0;
    q->free_chunk = CCS_EVQ_NO_SLOT;
    chunks_free_range(q, 0, q->n_chunks);
    for (size_t i = 0; i < CCS_EVQ_BUCKETS; i++)
        q->bucket[i].n = 0;
}

int ccs__eventq_init(struct ccs_eventq *q, size_t cap)
{
    if (cap < 16)
        cap = 16;
    if (cap > CCS_EVQ_MAX_PENDING)
        cap = CCS_EVQ_MAX_PENDING;
    size_t nc = chunks_for(cap);
    q->raw = ccs_malloc(node_bytes(cap));
    q->pl = ccs_malloc(cap * sizeof *q->pl);
    q->pool = ccs_malloc(nc * CCS_EVQ_CHUNK * sizeof *q->pool);
    q->chunk_next = ccs_malloc(nc * sizeof *q->chunk_next);
    if (q->raw == NULL || q->pl == NULL || q->pool == NULL || q->chunk_next == NULL) {
        free(q->raw);
        free(q->pl);
        free(q->pool);
        free(q->chunk_next);
        q->a = NULL;
        q->raw = NULL;
        q->pl = NULL;
        q->pool = NULL;
        q->chunk_next = NULL;
        return CCS_ENOMEM;
    }
    q->a = aligned(q->raw);
    q->cap = cap;
    q->n_chunks = nc;
    q->seq_limit = CCS_EVQ_SEQ_LIMIT;
    q->max_pending = CCS_EVQ_MAX_PENDING;
    q->tier_at = CCS_EVQ_TIER_AT;
    q->batch = CCS_EVQ_BATCH;
    q->buckets = CCS_EVQ_BUCKETS;
    ccs__eventq_clear(q);
    return 0;
}

void ccs__eventq_release(struct ccs_eventq *q)
{
    free(q->raw);
    free(q->pl);
    free(q->pool);
    free(q->chunk_next);
    q->a = NULL;
    q->raw = NULL;
    q->pl = NULL;
    q->pool = NULL;
    q->chunk_next = NULL;
    q->n = q->n_far = q->n_cal = q->cap = q->n_chunks = 0;
    q->cur = q->nb = 0;
}

void ccs__eventq_chunk_add(struct ccs_eventq *q, struct ccs_evq_bucket *b)
{
    uint32_t c = q->free_chunk;
    assert(c != CCS_EVQ_NO_SLOT); /* chunks_for: never runs out */
    q->free_chunk = q->chunk_next[c];
    if (b->n == 0)
        b->head = c;
    else
        q->chunk_next[b->tail] = c;
    b->tail = c;
}

/* Copy bucket b's events to x[0 .. b->n), free its chunks, empty it. */
static void bucket_take(struct ccs_eventq *q, struct ccs_evq_bucket *b, struct ccs_evq_node *x)
{
    uint32_t c = b->head;
    for (size_t done = 0; done < b->n;) {
        size_t k = b->n - done < CCS_EVQ_CHUNK ? b->n - done : CCS_EVQ_CHUNK;
        memcpy(x + done, q->pool + (size_t)c * CCS_EVQ_CHUNK, k * sizeof *x);
        done += k;
        uint32_t next = q->chunk_next[c];
        q->chunk_next[c] = q->free_chunk;
        q->free_chunk = c;
        c = next;
    }
    q->n_cal -= b->n;
    b->n = 0;
}

/* Every calendar event to x[0 ..), in bucket order; returns how many. The
   calendar is empty after. */
static size_t calendar_take(struct ccs_eventq *q, struct ccs_evq_node *x)
{
    size_t m = 0;
    for (size_t i = q->cur; i < q->nb; i++) {
        size_t k = q->bucket[i].n;
        bucket_take(q, &q->bucket[i], x + m);
        m += k;
    }
    q->cur = q->nb = 0;
    return m;
}

static int grow(struct ccs_eventq *q)
{
    size_t max = q->max_pending < CCS_EVQ_MAX_PENDING ? q->max_pending : CCS_EVQ_MAX_PENDING;
    if (q->cap >= max)
        return CCS_ERANGE;
    size_t cap = q->cap * 2 < max ? q->cap * 2 : max;
    /* the pool first: more chunks than the old cap needs are harmless */
    size_t nc = chunks_for(cap);
    struct ccs_evq_node *pool = ccs_realloc(q->pool, nc * CCS_EVQ_CHUNK * sizeof *pool);
    if (pool == NULL)
        return CCS_ENOMEM;
    q->pool = pool;
    uint32_t *next = ccs_realloc(q->chunk_next, nc * sizeof *next);
    if (next == NULL)
        return CCS_ENOMEM;
    q->chunk_next = next;
    chunks_free_range(q, q->n_chunks, nc);
    q->n_chunks = nc;
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

/* Every pending event into the heap's part of the array, a[0 .. n), in no
   order: one tier again. */
static void gather(struct ccs_eventq *q)
{
    struct ccs_evq_node *a = q->a + CCS_EVQ_OFF;
    size_t far = q->n_far;
    /* the far events first, to just above the heap, then the calendar's
       after them (the heap and both fit in cap) */
    memmove(a + q->n, a + q->cap - far, far * sizeof *a);
    q->n += far;
    q->n_far = 0;
    q->n += calendar_take(q, a + q->n);
    q->split = INFINITY;
    q->cal_hi = INFINITY;
    q->tier_on = q->tier_at;
}

/*
 * Sequence numbers ran out: give the pending events 0..n-1 in firing order.
 * A sorted array is a valid heap, and the new numbers keep every pending
 * pair in its order, so nothing fires differently.
 */
static void renumber(struct ccs_eventq *q)
{
    struct ccs_evq_node *a = q->a + CCS_EVQ_OFF;
    gather(q); /* one tier again (the next pops split it anew) */
    const uint64_t seq_field = (CCS_EVQ_SEQ_LIMIT - 1u) << CCS_EVQ_SLOT_BITS;
    qsort(a, q->n, sizeof *a, node_cmp);
    for (size_t i = 0; i < q->n; i++)
        a[i].key = (a[i].key & ~seq_field) | ((uint64_t)i << CCS_EVQ_SLOT_BITS);
    q->seq = q->n;
}

int ccs__eventq_make_room(struct ccs_eventq *q)
{
    if (ccs__eventq_size(q) == q->cap) {
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

/*
 * Move the events of x[0..n) at or before `bound` to its front (in any
 * order: neither a heap's pops nor an unordered tier depend on it); returns
 * how many. By blocks, as BlockQuicksort: which events move is as good as
 * random, so rather than branch on each, note the ones that move in a
 * block without a branch, then swap just those to the front.
 */
static size_t partition(struct ccs_evq_node *x, size_t n, double bound)
{
    /* in the time keys' order, which is the times' (ccs__evq_tkey) */
    size_t m = 0;
    uint64_t kb = ccs__evq_tkey(bound);
    uint8_t at[256]; /* a block's events that move, by offset */
    for (size_t b = 0; b < n; b += sizeof at) {
        size_t end = n - b < sizeof at ? n - b : sizeof at, c = 0;
        for (size_t j = 0; j < end; j++) {
            at[c] = (uint8_t)j;
            c += x[b + j].tk <= kb;
        }
        /* x[m] is the first event that stays, or the one moving itself */
        for (size_t k = 0; k < c; k++) {
            struct ccs_evq_node e = x[b + at[k]];
            x[b + at[k]] = x[m];
            x[m++] = e;
        }
    }
    return m;
}

/* The earliest time of x[0..n), the latest short of INFINITY, and how many
   are short of it. */
static size_t time_range(const struct ccs_evq_node *x, size_t n, double *lo, double *hi)
{
    size_t finite = 0;
    *lo = INFINITY;
    *hi = -INFINITY;
    for (size_t i = 0; i < n; i++) {
        double t = ccs__evq_time(&x[i]);
        *lo = t < *lo ? t : *lo;
        *hi = t > *hi && t < INFINITY ? t : *hi;
        finite += t < INFINITY;
    }
    return finite;
}

/* The far events after cal_hi stay at the end of the array, the others go
   to their buckets. */
static void far_sort(struct ccs_eventq *q)
{
    struct ccs_evq_node *a = q->a + CCS_EVQ_OFF;
    size_t end = q->cap, k = end;
    for (size_t j = end; j-- > end - q->n_far;) {
        struct ccs_evq_node e = a[j];
        double t = ccs__evq_time(&e);
        if (t > q->cal_hi)
            a[--k] = e;
        else
            ccs__eventq_cal_put(q, e, t);
    }
    q->n_far = end - k;
}

/* The calendar's events back to the far tier (the heap is empty). */
static void calendar_to_far(struct ccs_eventq *q)
{
    struct ccs_evq_node *a = q->a + CCS_EVQ_OFF;
    assert(q->n == 0 && q->n_cal + q->n_far <= q->cap);
    q->n_far += calendar_take(q, a + q->cap - q->n_far - q->n_cal);
    assert(q->n_cal == 0);
}

/*
 * The heap and the calendar are empty: build the next calendar from the
 * far tier (every far event is after split). Its buckets are w wide, w
 * the last calendar's adapted to how many its first bucket took (batch is
 * the aim), or for the first, such that the finite far events, spread
 * evenly, would put batch in each; if the first bucket gets more than four
 * batches (events bunch up near the start, as a simulation's do), again
 * narrower, a few times at most. Returns false if every far event is
 * +INFINITY: they are the heap now, one tier.
 */
static bool calendar_build(struct ccs_eventq *q)
{
    struct ccs_evq_node *a = q->a + CCS_EVQ_OFF;
    double lo, hi;
    size_t finite = time_range(a + q->cap - q->n_far, q->n_far, &lo, &hi);
    if (finite == 0) {
        gather(q);
        heapify(a, q->n);
        return false;
    }
    double w = (hi - lo) * (double)q->batch / (double)finite;
    if (q->cal_w > 0 && q->cal_w < w)
        w = q->cal_w;
    for (int tries = 0;; tries++) {
        size_t nb = q->buckets;
        if (!(w > 0 && w < INFINITY)) {
            /* all at one time (or a width beyond doubles): one bucket */
            nb = 1;
            q->bucket[0].hi = hi;
            q->cal_inv_w = 1;
        } else {
            for (size_t i = 0; i < nb; i++)
                q->bucket[i].hi = lo + (double)(i + 1) * w;
            q->cal_inv_w = 1 / w;
        }
        q->cal_lo = lo;
        q->cur = 0;
        q->nb = nb;
        q->cal_hi = q->bucket[nb - 1].hi;
        far_sort(q);
        size_t first = q->bucket[0].n;
        double f = first > 0 ? (double)q->batch / (double)first : 2.0;
        if (nb == 1 || first <= 4 * q->batch || tries == 3) {
            /* the next calendar's first guess: this w, toward batch a bucket */
            q->cal_w = nb == 1 ? 0 : w * (f > 2 ? 2 : f < 0.5 ? 0.5 : f);
            return true;
        }
        calendar_to_far(q);
        w *= f;
    }
}

void ccs__eventq_refill(struct ccs_eventq *q)
{
    struct ccs_evq_node *a = q->a + CCS_EVQ_OFF;
    for (;;) {
        if (q->n_cal + q->n_far <= 2 * q->batch) {
            /* few left: one tier again */
            gather(q);
            heapify(a, q->n);
            return;
        }
        /* empty buckets are passed, the split moving past them */
        while (q->cur < q->nb && q->bucket[q->cur].n == 0)
            q->split = q->bucket[q->cur++].hi;
        if (q->cur < q->nb) {
            struct ccs_evq_bucket *b = &q->bucket[q->cur++];
            q->n = b->n;
            q->split = b->hi;
            bucket_take(q, b, a);
            heapify(a, q->n);
            return;
        }
        /* the calendar is spent: split == cal_hi */
        if (!calendar_build(q))
            return;
    }
}

void ccs__eventq_tier(struct ccs_eventq *q)
{
    struct ccs_evq_node *a = q->a + CCS_EVQ_OFF;
    size_t n = q->n;
    assert(q->n_far == 0 && q->n_cal == 0); /* one tier: every event is in the heap */
    double lo, hi;
    time_range(a, n, &lo, &hi);
    if (!(lo < hi)) {
        q->tier_on = 2 * n; /* all at one time (or +INFINITY): nothing to split off yet */
        return;
    }
    /* a heap of about batch events, if they are spread evenly; the rest
       wait in the far tier for the first calendar */
    double span = (hi - lo) * (double)q->batch / (double)n;
    q->split = span > 0 ? lo + span : lo;
    q->cal_hi = q->split;
    q->cur = q->nb = 0;
    q->tier_on = SIZE_MAX;
    size_t m = partition(a, n, q->split);
    memmove(a + q->cap - (n - m), a + m, (n - m) * sizeof *a);
    q->n_far = n - m;
    q->n = m;
    heapify(a, m);
}
