/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * sldef.c - names of the service-level definitions (include/ccs/sldef.h).
 */
#include "ccs/sldef.h"

#include <string.h>

static const char *const sl_names[] = {"offered", "answered", "no_short_abandons", "handled",
                                       "all"};

const char *ccs_sl_def_name(enum ccs_sl_def d)
{
    return (unsigned)d < CCS_SL_COUNT_ ? sl_names[d] : "?";
}

int ccs_sl_def_find(const char *name)
{
    for (int i = 0; i < CCS_SL_COUNT_; i++)
        if (strcmp(sl_names[i], name) == 0)
            return i;
    return -1;
}
