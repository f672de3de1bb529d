/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * eventq.c - storage management for the event heap (see eventq.h); the
 * push/pop fast paths are inline in the header.
 */
#include "core/eventq.h"

#include "ccs/error.h"
#include "ccs/mem.h"

#include <stdlib.h>

int ccs__eventq_init(struct ccs_eventq *q, size_t cap)
{
    if (cap < 16)
        cap = 16;
    q->a = ccs_malloc((cap + 1) * sizeof *q->a);
    if (q->a == NULL)
        return CCS_ENOMEM;
    q->n = 0;
    q->cap = cap;
    q->seq = 0;
    return 0;
}

void ccs__eventq_release(struct ccs_eventq *q)
{
    free(q->a);
    q->a = NULL;
    q->n = q->cap = 0;
}

int ccs__eventq_grow(struct ccs_eventq *q)
{
    size_t cap = q->cap * 2;
    struct ccs_event *a = ccs_realloc(q->a, (cap + 1) * sizeof *a);
    if (a == NULL)
        return CCS_ENOMEM;
    q->a = a;
    q->cap = cap;
    return 0;
}
