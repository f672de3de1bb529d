/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * kpi.c - metadata of the KPI catalogue (include/ccs/kpi.h).
 */
#include "ccs/kpi.h"

#include <string.h>

static const struct ccs_kpi_info kpis[] = {
#define CCS_X_(id, label, unit, better, flags, def) {#id, label, unit, better, flags, def},
    CCS_KPI_MAP(CCS_X_)
#undef CCS_X_
};

const struct ccs_kpi_info *ccs_kpi_info(enum ccs_kpi k)
{
    return &kpis[k];
}

int ccs_kpi_find(const char *id)
{
    for (int k = 0; k < CCS_KPI_COUNT_; k++)
        if (strcmp(kpis[k].id, id) == 0)
            return k;
    return -1;
}

const char *ccs_scope_name(enum ccs_scope s)
{
    static const char *const names[] = {"overall", "queue", "segment", "group", "group_queue"};
    return (unsigned)s < CCS_SCOPE_COUNT_ ? names[s] : "?";
}
