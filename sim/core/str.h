/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * str.h - the two string copies the loaders and writers need (C11 has no
 * strdup), through ccs_malloc (ccs/mem.h). Both return NULL when out of
 * memory; ccs__strdup(NULL) is NULL.
 */
#ifndef CCS_CORE_STR_H
#define CCS_CORE_STR_H

#include "ccs/mem.h"

#include <stdlib.h>
#include <string.h>

/* A malloc'd copy of the first n bytes of s, NUL-terminated. */
static inline char *ccs__strndup(const char *s, size_t n)
{
    char *p = ccs_malloc(n + 1);
    if (p != NULL) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

/* A malloc'd copy of s, or NULL for s NULL. */
static inline char *ccs__strdup(const char *s)
{
    return ccs_strdup(s);
}

#endif
