/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * eventq.c - storage management for the event heap (see eventq.h): growth,
 * the pending-events limit, and renumbering when sequence numbers run out.
 * The push/pop fast paths are inline in the header.
 */
#include "core/eventq.h"

#include "ccs/error.h"
#include "ccs/mem.h"

#include <stdlib.h>

int ccs__eventq_init(struct ccs_eventq *q, size_t cap)
{
    if (cap < 16)
        cap = 16;
    if (cap > CCS_EVQ_MAX_PENDING)
        cap = CCS_EVQ_MAX_PENDING;
    q->a = ccs_malloc((cap + 1) * sizeof *q->a);
    q->pl = ccs_malloc(cap * sizeof *q->pl);
    if (q->a == NULL || q->pl == NULL) {
        free(q->a);
        free(q->pl);
        q->a = NULL;
        q->pl = NULL;
        return CCS_ENOMEM;
    }
    q->cap = cap;
    q->seq_limit = CCS_EVQ_SEQ_LIMIT;
    q->max_pending = CCS_EVQ_MAX_PENDING;
    ccs__eventq_clear(q);
    return 0;
}

void ccs__eventq_release(struct ccs_eventq *q)
{
    free(q->a);
    free(q->pl);
    q->a = NULL;
    q->pl = NULL;
    q->n = q->cap = 0;
}

static int grow(struct ccs_eventq *q)
{
    size_t max = q->max_pending < CCS_EVQ_MAX_PENDING ? q->max_pending : CCS_EVQ_MAX_PENDING;
    if (q->cap >= max)
        return CCS_ERANGE;
    size_t cap = q->cap * 2 < max ? q->cap * 2 : max;
    struct ccs_evq_node *a = ccs_realloc(q->a, (cap + 1) * sizeof *a);
    if (a == NULL)
        return CCS_ENOMEM;
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
    struct ccs_evq_node *a = q->a + 1;
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
