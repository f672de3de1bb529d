/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * mem.h - the one allocator of the library and of the ccsim command, with
 * out-of-memory injection for tests (a countdown, as SQLite's): every
 * allocation ccsim makes itself goes through these, so a test can fail
 * each one in turn and check that the failure is reported, not a crash.
 */
#ifndef CCS_MEM_H
#define CCS_MEM_H

#include <stddef.h>
#include <stdint.h>

/* malloc, calloc, realloc and a copy of a string (NULL for s NULL), or NULL
   when out of memory or when the injection fails this allocation (errno is
   then ENOMEM). Release with free(); ccs_realloc keeps p on failure. A zero
   size is a 1-byte allocation, so NULL always means out of memory. */
void *ccs_malloc(size_t size);
void *ccs_calloc(size_t n, size_t size);
void *ccs_realloc(void *p, size_t size);
char *ccs_strdup(const char *s);

/*
 * Out-of-memory injection (for tests; process-wide). ccs_mem_fail_at(n),
 * n >= 1, makes the n-th allocation from now fail, once (the ones after it
 * succeed again, as a transient shortage would); n = 0 disarms it and stops
 * counting. ccs_mem_count(true) starts counting without failing anything.
 * ccs_mem_allocations() is the number of allocations since either was
 * called. Allocations are counted only while armed, so the normal cost is
 * one relaxed atomic load per allocation. Call these before starting
 * threads: with several threads the order of allocations is not fixed.
 */
void ccs_mem_fail_at(uint64_t n);
void ccs_mem_count(int on);
uint64_t ccs_mem_allocations(void);

#endif
