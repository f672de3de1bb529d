/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * report_util.h - helpers the report writers share (report.c,
 * report_compare.c).
 */
#ifndef CCS_OUT_REPORT_UTIL_H
#define CCS_OUT_REPORT_UTIL_H

#include "ccs/kpi.h"

#include <stdbool.h>

struct ccs_scenario;

/*
 * Does queue q of sc (q < 0: any queue) use the mechanism behind an
 * optional KPI (CCS_KPI_OPTIONAL)? Tables leave out rows that could only
 * read zero. Always true for other KPIs.
 */
bool ccs__report_relevant(const struct ccs_scenario *sc, enum ccs_kpi k, int q);

#endif
