/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * ccs.h - the ccsim library: include this one header. By layer, bottom up
 * (docs/internals.md):
 *
 *   error.h       error codes, located diagnostics                      core
 *   mem.h         the allocator, with out-of-memory injection for tests core
 *   sldef.h       service-level definitions                             core
 *   units.h       durations, rates, fractions as scenarios write them   fmt
 *   params.h      a block of named parameters with located errors       fmt
 *   analytic.h    Erlang B / C / A and staffing by them                 analytic
 *   kpi.h         the KPI catalogue, precision targets                  model
 *   results.h     metric layouts: the keys a replication reports        model
 *   policy.h      the routing-policy plug-in interface and its view     model
 *   sim.h         scenarios and one simulation, event by event          model
 *   design.h      an experiment's design: named scenarios and seeds     model
 *   live.h        changing a simulation while it runs (agents, policy)  model
 *   policies.h    the built-in policies; building blocks for new ones   policy
 *   scenario.h    loading a scenario file                               load
 *   variants.h    variants from the command line or a scenario file     load
 *   sweep_plan.h  defining a sweep from a file or the command line      load
 *   trace_import.h  a call log replayed date by date                    load
 *   run.h         replications and their summary                        exp
 *   compare.h     variants on common random numbers: paired differences exp
 *   sweep.h       running a sweep on threads or MPI ranks, resumable    exp
 *   staff.h       staffing plans per interval (ccsim staff)             exp
 *   roster.h      rosters: shifts, breaks, days off at least cost (GLPK) exp
 *   schedule.h    rosters for a scenario, checked by simulation          exp
 *   report.h      tables, JSON, CSV, atomic output directories          out
 *   plot.h        charts (gnuplot) and a self-contained report.html     out
 *   fit_report.h  a log fit's charts; the backtest error beside verdicts out
 *   trace.h       event traces as CSV and as a narrative                out
 *   wallboard.h   the live wallboard's state (ccsim watch)              out
 */
#ifndef CCS_CCS_H
#define CCS_CCS_H

#include "ccs/analytic.h"
#include "ccs/compare.h"
#include "ccs/design.h"
#include "ccs/error.h"
#include "ccs/estimate.h"
#include "ccs/fit.h"
#include "ccs/fit_report.h"
#include "ccs/kpi.h"
#include "ccs/live.h"
#include "ccs/mem.h"
#include "ccs/params.h"
#include "ccs/plot.h"
#include "ccs/policies.h"
#include "ccs/policy.h"
#include "ccs/report.h"
#include "ccs/results.h"
#include "ccs/roster.h"
#include "ccs/run.h"
#include "ccs/scenario.h"
#include "ccs/schedule.h"
#include "ccs/sim.h"
#include "ccs/sldef.h"
#include "ccs/staff.h"
#include "ccs/sweep.h"
#include "ccs/sweep_plan.h"
#include "ccs/trace.h"
#include "ccs/trace_import.h"
#include "ccs/units.h"
#include "ccs/variants.h"
#include "ccs/wallboard.h"

#endif
