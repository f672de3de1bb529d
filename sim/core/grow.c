/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * grow.c - array growth with overflow checks (grow.h).
 */
#include "core/grow.h"

#include "ccs/error.h"
#include "ccs/mem.h"

#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int ccs__grow(void *pp, size_t *cap, size_t need, size_t size)
{
    assert(pp != NULL && cap != NULL && size > 0);
    if (need <= *cap)
        return 0;
    size_t max = SIZE_MAX / size;
    if (need > max)
        return CCS_ENOMEM;
    size_t n = *cap < 8 ? 8 : *cap;
    while (n < need)
        n = n > max / 2 ? need : 2 * n;
    /* the pointer is read and written through memcpy: pp points to a T *,
       which may not be accessed as a void * */
    void *p;
    memcpy(&p, pp, sizeof p);
    void *q = ccs_realloc(p, n * size);
    if (q == NULL)
        return CCS_ENOMEM;
    memcpy(pp, &q, sizeof q);
    *cap = n;
    return 0;
}
