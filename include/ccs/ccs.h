/*
 * ccs.h - the ccsim library: include this one header.
 *
 *   error.h     error codes, located diagnostics
 *   kpi.h       the KPI catalogue
 *   sim.h       scenarios, simulations, replications
 *   results.h   metric layouts and summaries with confidence intervals
 *   report.h    tables, JSON, CSV, atomic output files
 *   compare.h   variants on common random numbers: paired differences, verdicts
 *   sweep.h     sweeps: grids and lists of points on threads or MPI ranks, resumable
 *   plot.h      charts (gnuplot) and a self-contained report.html
 *   policy.h    the routing-policy plug-in interface
 *   analytic.h  Erlang B / C / A and staffing
 *   staff.h     staffing plans per interval (ccsim staff)
 *   roster.h    rosters: shifts, breaks and days off covering a requirement (GLPK)
 *   trace.h     event traces as CSV and as a narrative (--trace, --explain)
 */
#ifndef CCS_CCS_H
#define CCS_CCS_H

#include "ccs/analytic.h"
#include "ccs/compare.h"
#include "ccs/error.h"
#include "ccs/kpi.h"
#include "ccs/plot.h"
#include "ccs/policy.h"
#include "ccs/report.h"
#include "ccs/results.h"
#include "ccs/roster.h"
#include "ccs/sim.h"
#include "ccs/staff.h"
#include "ccs/sweep.h"
#include "ccs/trace.h"

#endif
