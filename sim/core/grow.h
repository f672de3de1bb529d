/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * grow.h - one way to grow an array: capacity doubles, sizes are checked
 * for overflow, and a failure leaves the array as it was. The event heap
 * and the contact pool keep their own growth (hot paths with extra work to
 * do on growth); everything else uses this.
 */
#ifndef CCS_CORE_GROW_H
#define CCS_CORE_GROW_H

#include <stddef.h>

/*
 * Make room for at least `need` elements of `size` bytes in the array whose
 * address is `pp` (a T **, the array NULL when empty) of capacity *cap
 * (elements). When *cap < need, the capacity becomes the smallest of
 * max(8, *cap) doubled that holds need (need itself if doubling would
 * overflow), the array is reallocated and *cap updated. New elements are
 * uninitialised.
 *
 * Returns 0, or CCS_ENOMEM when the size overflows size_t or the memory is
 * not there; the array and *cap are then unchanged (still owned by the
 * caller). size must not be 0.
 */
int ccs__grow(void *pp, size_t *cap, size_t need, size_t size);

/* ccs__grow for an array pointer `a` (any T *) and its size_t capacity. */
#define CCS_GROW(a, cap, need) ccs__grow(&(a), &(cap), (need), sizeof *(a))

#endif
