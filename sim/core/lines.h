/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * lines.h - zeroed arrays on 64-byte (cache-line) boundaries, for the
 * engine's state that is laid out in whole lines (issue 16). malloc gives
 * 16 bytes; C11's aligned_alloc would bypass ccs_calloc's out-of-memory
 * injection. Free the raw pointer, not the array.
 */
#ifndef CCS_CORE_LINES_H
#define CCS_CORE_LINES_H

#include "ccs/mem.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* n zeroed elements of size bytes starting on a 64-byte boundary, or NULL
   (out of memory or overflow); *raw gets what to free (NULL on failure). */
static inline void *ccs__calloc_lines(size_t n, size_t size, void **raw)
{
    *raw = NULL;
    if (size != 0 && n > (SIZE_MAX - 63) / size)
        return NULL;
    *raw = ccs_calloc(1, n * size + 63);
    if (*raw == NULL)
        return NULL;
    return (void *)(((uintptr_t)*raw + 63) & ~(uintptr_t)63);
}

/* Array arr (from ccs__calloc_lines, *raw behind it) grown to cap
   elements of size bytes, the first n kept, the rest zeroed: a new aligned
   block (realloc keeps no alignment), *raw updated and the old block
   freed. NULL when out of memory, arr and *raw then untouched. */
static inline void *ccs__grow_lines(const void *arr, void **raw, size_t n, size_t cap, size_t size)
{
    void *nraw, *x = ccs__calloc_lines(cap, size, &nraw);
    if (x == NULL)
        return NULL;
    if (n > 0)
        memcpy(x, arr, n * size);
    free(*raw);
    *raw = nraw;
    return x;
}

#endif
