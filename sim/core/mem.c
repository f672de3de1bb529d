/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mem.c - ccs_malloc and friends (include/ccs/mem.h): the system allocator
 * behind a countdown that tests arm to fail one chosen allocation.
 */
#include "ccs/mem.h"

#include <errno.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

/* Process-wide by nature, like malloc itself (and SQLite's fault injector):
   the only mutable globals of the library. armed is read on every
   allocation and written only by the test controls, so threads that
   allocate share its cache line read-only. */
static atomic_bool armed;
static atomic_uint_fast64_t count, fail_at;

/* false when this allocation is the one to fail */
static bool may_allocate(void)
{
    if (!atomic_load_explicit(&armed, memory_order_relaxed))
        return true;
    uint64_t n = atomic_fetch_add_explicit(&count, 1, memory_order_relaxed) + 1;
    if (n == atomic_load_explicit(&fail_at, memory_order_relaxed)) {
        errno = ENOMEM;
        return false;
    }
    return true;
}

void *ccs_malloc(size_t size)
{
    return may_allocate() ? malloc(size ? size : 1) : NULL;
}

void *ccs_calloc(size_t n, size_t size)
{
    if (n == 0 || size == 0)
        n = size = 1;
    return may_allocate() ? calloc(n, size) : NULL;
}

void *ccs_realloc(void *p, size_t size)
{
    return may_allocate() ? realloc(p, size ? size : 1) : NULL;
}

char *ccs_strdup(const char *s)
{
    if (s == NULL)
        return NULL;
    size_t n = strlen(s) + 1;
    char *p = ccs_malloc(n);
    if (p != NULL)
        memcpy(p, s, n);
    return p;
}

void ccs_mem_fail_at(uint64_t n)
{
    atomic_store(&count, 0);
    atomic_store(&fail_at, n);
    atomic_store(&armed, n != 0);
}

void ccs_mem_count(int on)
{
    atomic_store(&count, 0);
    atomic_store(&fail_at, 0);
    atomic_store(&armed, on != 0);
}

uint64_t ccs_mem_allocations(void)
{
    return atomic_load(&count);
}
