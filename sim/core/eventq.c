/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * eventq.c - storage management for the event heap (see eventq.h): growth,
 * the pending-events limit, and renumbering when sequence numbers run out.
 * The push/pop fast paths are inline in the header.
 */
#include "core/eventq.h"

#include "ccs/error.h"
#include "ccs/mem.h"

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
    q->n = q->cap = 0;
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
        memmove(a, (char *)raw + off, (q->n + CCS_EVQ_OFF) * sizeof *a);
    q->raw = raw;
    q->a = a; /* larger, still valid with the old cap if the next step fails */
    struct ccs_evq_payload *pl = ccs_realloc(q->pl, cap * sizeof *pl);
    if (pl == NULL)
        return CCS_ENOMEM;
    q->pl = pl;
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
    const uint64_t seq_field = (CCS_EVQ_SEQ_LIMIT - 1u) << CCS_EVQ_SLOT_BITS;
    qsort(a, q->n, sizeof *a, node_cmp);
    for (size_t i = 0; i < q->n; i++)
        a[i].key = (a[i].key & ~seq_field) | ((uint64_t)i << CCS_EVQ_SLOT_BITS);
    q->seq = q->n;
}

int ccs__eventq_make_room(struct ccs_eventq *q)
{
    if (q->n == q->cap) {
        int rc = grow(q);
        if (rc != 0)
            return rc;
    }
    if (q->seq >= q->seq_limit || q->seq >= CCS_EVQ_SEQ_LIMIT)
        renumber(q);
    return 0;
}
