/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * kpi.h - the catalogue of KPIs ccsim reports: stable ids, units, which
 * direction is better, and where each applies. docs/kpis.md defines each
 * one precisely; this table is what reports, comparisons and sweeps read.
 */
#ifndef CCS_KPI_H
#define CCS_KPI_H

#include "ccs/error.h"
#include "ccs/sldef.h"

#include <stdbool.h>
#include <stddef.h>

/* Where a metric is measured. */
enum ccs_scope {
    CCS_SCOPE_OVERALL,     /* the whole center */
    CCS_SCOPE_QUEUE,       /* one queue (contact type) */
    CCS_SCOPE_SEGMENT,     /* one customer segment of one queue */
    CCS_SCOPE_GROUP,       /* one agent group */
    CCS_SCOPE_GROUP_QUEUE, /* one group's work on one queue */
    CCS_SCOPE_COUNT_
};

/* Unit of a metric's value. */
enum ccs_unit {
    CCS_UNIT_COUNT,    /* contacts, agents */
    CCS_UNIT_FRACTION, /* 0..1, shown as % */
    CCS_UNIT_SECONDS,  /* a duration */
    CCS_UNIT_MONEY,    /* currency units of the scenario */
    CCS_UNIT_NUMBER,   /* a plain number */
};

/* Flags: which scopes a metric applies to, and how it is shown. */
#define CCS_KPI_CONTACT 0x01u  /* overall, queue, segment */
#define CCS_KPI_GROUP 0x02u    /* overall, group */
#define CCS_KPI_GQ 0x04u       /* group x queue */
#define CCS_KPI_INTERVAL 0x08u /* also reported per interval */
#define CCS_KPI_TABLE 0x10u    /* shown in the default table */
#define CCS_KPI_OPTIONAL 0x20u /* shown in the table only when the scenario uses its mechanism */
#define CCS_KPI_IONLY 0x40u    /* reported per interval only (a snapshot) */
#define CCS_KPI_OVERALL 0x80u  /* overall scope only */

/*
 * X(id, label, unit, better, flags, definition)
 * better: +1 higher is better, -1 lower is better, 0 neither (volumes).
 * Order is the order of reports; append new metrics anywhere sensible,
 * ids are what outputs use, never the enum values.
 */
#define CCS_KPI_MAP(X)                                                                       \
    X(offered, "Offered", CCS_UNIT_COUNT, 0, CCS_KPI_CONTACT | CCS_KPI_INTERVAL | CCS_KPI_TABLE, \
      "contacts that arrived (first attempts, redials, callbacks and repeats each count)")     \
    X(answered, "Answered", CCS_UNIT_COUNT, 0, CCS_KPI_CONTACT | CCS_KPI_INTERVAL | CCS_KPI_TABLE, \
      "contacts whose service started")                                                       \
    X(abandoned, "Abandoned", CCS_UNIT_COUNT, -1,                                             \
      CCS_KPI_CONTACT | CCS_KPI_INTERVAL | CCS_KPI_TABLE, "contacts that left while waiting")   \
    X(blocked, "Blocked", CCS_UNIT_COUNT, -1, CCS_KPI_CONTACT | CCS_KPI_INTERVAL | CCS_KPI_TABLE, \
      "contacts refused on arrival: no line or no waiting place")                             \
    X(messages, "Messages left", CCS_UNIT_COUNT, -1,                                          \
      CCS_KPI_CONTACT | CCS_KPI_TABLE | CCS_KPI_OPTIONAL,                                        \
      "contacts that left a message after waiting message_after (neither answered nor "       \
      "abandoned)")                                                                           \
    X(disconnected, "Disconnected at close", CCS_UNIT_COUNT, -1,                              \
      CCS_KPI_CONTACT | CCS_KPI_TABLE | CCS_KPI_OPTIONAL,                                        \
      "contacts still waiting when their queue closed, cut off (at_close: disconnect)")       \
    X(unfinished, "Waiting at end", CCS_UNIT_COUNT, 0, CCS_KPI_CONTACT,                         \
      "contacts still waiting when the run ended")                                            \
    X(abandon_rate, "Abandon %", CCS_UNIT_FRACTION, -1, CCS_KPI_CONTACT | CCS_KPI_TABLE,        \
      "abandoned / offered")                                                                  \
    X(block_rate, "Blocked %", CCS_UNIT_FRACTION, -1, CCS_KPI_CONTACT | CCS_KPI_TABLE,          \
      "blocked / offered")                                                                    \
    X(message_rate, "Message %", CCS_UNIT_FRACTION, -1,                                       \
      CCS_KPI_CONTACT | CCS_KPI_TABLE | CCS_KPI_OPTIONAL, "messages / offered")                 \
    X(p_wait, "Waited %", CCS_UNIT_FRACTION, -1, CCS_KPI_CONTACT | CCS_KPI_TABLE,               \
      "contacts that found no agent and had to wait / offered")                               \
    X(service_level, "Service level", CCS_UNIT_FRACTION, +1,                                  \
      CCS_KPI_CONTACT | CCS_KPI_INTERVAL | CCS_KPI_TABLE,                                       \
      "service level under the scenario's definition (see sl_*)")                             \
    X(sl_offered, "SL ans/offered", CCS_UNIT_FRACTION, +1, CCS_KPI_CONTACT,                   \
      "answered within T / offered")                                                          \
    X(sl_answered, "SL ans/answered", CCS_UNIT_FRACTION, +1, CCS_KPI_CONTACT,                 \
      "answered within T / answered")                                                         \
    X(sl_no_short_ab, "SL excl. short ab.", CCS_UNIT_FRACTION, +1, CCS_KPI_CONTACT,           \
      "answered within T / (offered - abandoned within T)")                                   \
    X(sl_handled, "SL ans/(ans+late ab.)", CCS_UNIT_FRACTION, +1, CCS_KPI_CONTACT,            \
      "answered within T / (answered + abandoned after T)")                                   \
    X(sl_all, "SL all", CCS_UNIT_FRACTION, +1, CCS_KPI_CONTACT,                               \
      "(answered within T + abandoned within T) / (offered - blocked)")                       \
    X(asa, "ASA", CCS_UNIT_SECONDS, -1, CCS_KPI_CONTACT | CCS_KPI_INTERVAL | CCS_KPI_TABLE,     \
      "mean wait of answered contacts")                                                       \
    X(mean_wait, "Mean wait", CCS_UNIT_SECONDS, -1, CCS_KPI_CONTACT | CCS_KPI_TABLE,            \
      "mean wait of answered and abandoned contacts")                                         \
    X(mean_wait_abandoned, "Wait of abandoned", CCS_UNIT_SECONDS, 0,                          \
      CCS_KPI_CONTACT | CCS_KPI_TABLE, "mean wait of abandoned contacts")                       \
    X(wait_p50, "Wait p50", CCS_UNIT_SECONDS, -1, CCS_KPI_CONTACT,                              \
      "median wait of answered contacts")                                                     \
    X(wait_p90, "Wait p90", CCS_UNIT_SECONDS, -1, CCS_KPI_CONTACT | CCS_KPI_TABLE,              \
      "90th percentile wait of answered contacts")                                            \
    X(wait_p99, "Wait p99", CCS_UNIT_SECONDS, -1, CCS_KPI_CONTACT,                              \
      "99th percentile wait of answered contacts")                                            \
    X(wait_max, "Max wait", CCS_UNIT_SECONDS, -1, CCS_KPI_CONTACT | CCS_KPI_TABLE,              \
      "longest wait of an answered or abandoned contact")                                     \
    X(wait_pred_mae, "Wait forecast MAE", CCS_UNIT_SECONDS, -1, CCS_KPI_CONTACT,              \
      "mean absolute error of the wait announced at arrival vs the actual wait (queued, "     \
      "answered contacts)")                                                                   \
    X(wait_pred_bias, "Wait forecast bias", CCS_UNIT_SECONDS, 0, CCS_KPI_CONTACT,             \
      "mean (announced - actual) wait of queued, answered contacts")                          \
    X(queue_length, "Mean queue", CCS_UNIT_NUMBER, -1, CCS_KPI_CONTACT,                         \
      "time-average number of contacts waiting")                                              \
    X(aht, "AHT", CCS_UNIT_SECONDS, 0, CCS_KPI_CONTACT | CCS_KPI_INTERVAL | CCS_KPI_TABLE,      \
      "mean handle time: talk + after-contact work, per handled contact")                     \
    X(talk_time, "Talk time", CCS_UNIT_SECONDS, 0, CCS_KPI_CONTACT,                             \
      "mean talk (handling) time per handled contact")                                        \
    X(wrap_time, "Wrap-up", CCS_UNIT_SECONDS, 0, CCS_KPI_CONTACT,                               \
      "mean after-contact work per handled contact")                                          \
    X(backlog, "Backlog", CCS_UNIT_COUNT, -1, CCS_KPI_CONTACT | CCS_KPI_INTERVAL | CCS_KPI_IONLY,  \
      "contacts waiting at the end of the interval")                                          \
    X(backlog_age, "Backlog age", CCS_UNIT_SECONDS, -1,                                       \
      CCS_KPI_CONTACT | CCS_KPI_INTERVAL | CCS_KPI_IONLY,                                       \
      "how long the oldest waiting contact had waited at the end of the interval")            \
    X(customers, "Customers", CCS_UNIT_COUNT, 0, CCS_KPI_CONTACT | CCS_KPI_TABLE | CCS_KPI_OPTIONAL, \
      "first contacts of customers (arrivals and campaign records; not redials, repeats or "  \
      "transfers)")                                                                           \
    X(redials, "Redials", CCS_UNIT_COUNT, -1, CCS_KPI_CONTACT | CCS_KPI_TABLE | CCS_KPI_OPTIONAL, \
      "contacts that were redials after an abandonment")                                      \
    X(transfers, "Transfers out", CCS_UNIT_COUNT, 0,                                          \
      CCS_KPI_CONTACT | CCS_KPI_TABLE | CCS_KPI_OPTIONAL, "handled contacts that continued in another queue") \
    X(transfer_rate, "Transfer %", CCS_UNIT_FRACTION, -1,                                     \
      CCS_KPI_CONTACT | CCS_KPI_TABLE | CCS_KPI_OPTIONAL, "transfers / conversations ended")     \
    X(skipped, "Conferences skipped", CCS_UNIT_COUNT, 0,                                     \
      CCS_KPI_CONTACT | CCS_KPI_TABLE | CCS_KPI_OPTIONAL,                                        \
      "conference legs (if_busy: skip) that found no agent free at once: not held, the call "  \
      "went on; also counted blocked")                                                        \
    X(fcr, "First-contact res.", CCS_UNIT_FRACTION, +1,                                       \
      CCS_KPI_CONTACT | CCS_KPI_TABLE | CCS_KPI_OPTIONAL,                                        \
      "issues resolved at their first conversation / first conversations ended")              \
    X(repeats, "Repeat contacts", CCS_UNIT_COUNT, -1,                                         \
      CCS_KPI_CONTACT | CCS_KPI_TABLE | CCS_KPI_OPTIONAL, "contacts that were repeats of an unresolved issue") \
    X(repeat_rate, "Repeat %", CCS_UNIT_FRACTION, -1,                                         \
      CCS_KPI_CONTACT | CCS_KPI_TABLE | CCS_KPI_OPTIONAL,                                        \
      "conversations ended unresolved (the customer will come back) / conversations ended")   \
    X(callbacks_offered, "Callbacks offered", CCS_UNIT_COUNT, 0,                              \
      CCS_KPI_CONTACT | CCS_KPI_TABLE | CCS_KPI_OPTIONAL, "waiting callers offered a callback")   \
    X(callbacks_accepted, "Callbacks accepted", CCS_UNIT_COUNT, 0,                            \
      CCS_KPI_CONTACT | CCS_KPI_TABLE | CCS_KPI_OPTIONAL, "callers who accepted")                \
    X(callbacks_completed, "Callbacks reached", CCS_UNIT_COUNT, +1,                           \
      CCS_KPI_CONTACT | CCS_KPI_TABLE | CCS_KPI_OPTIONAL, "callbacks that reached the customer") \
    X(time_to_callback, "Time to callback", CCS_UNIT_SECONDS, -1,                             \
      CCS_KPI_CONTACT | CCS_KPI_TABLE | CCS_KPI_OPTIONAL,                                        \
      "mean time from accepting a callback to the conversation")                              \
    X(dials, "Dials", CCS_UNIT_COUNT, 0, CCS_KPI_CONTACT | CCS_KPI_TABLE | CCS_KPI_OPTIONAL,     \
      "outgoing dial attempts (callbacks and campaign records)")                              \
    X(connects, "Connects", CCS_UNIT_COUNT, +1, CCS_KPI_CONTACT | CCS_KPI_TABLE | CCS_KPI_OPTIONAL, \
      "campaign dials that were answered")                                                    \
    X(right_party, "Right-party contacts", CCS_UNIT_COUNT, +1,                                \
      CCS_KPI_CONTACT | CCS_KPI_TABLE | CCS_KPI_OPTIONAL, "campaign dials that reached the right person") \
    X(failed, "Not reached", CCS_UNIT_COUNT, -1, CCS_KPI_CONTACT | CCS_KPI_TABLE | CCS_KPI_OPTIONAL, \
      "callbacks and campaign records given up after their last dial")                        \
    X(agent_time, "Agent time", CCS_UNIT_SECONDS, 0, CCS_KPI_CONTACT | CCS_KPI_TABLE | CCS_KPI_OPTIONAL, \
      "agent time spent on the queue's contacts: talk, wrap-up, dials, consult holds")        \
    X(cost, "Cost", CCS_UNIT_MONEY, -1, CCS_KPI_GROUP | CCS_KPI_TABLE | CCS_KPI_OPTIONAL,       \
      "agents' paid time x cost_per_hour (group); overall adds lines and dials")              \
    X(cost_per_contact, "Cost per contact", CCS_UNIT_MONEY, -1,                               \
      CCS_KPI_OVERALL | CCS_KPI_TABLE | CCS_KPI_OPTIONAL, "total cost / conversations ended")   \
    X(cost_per_resolved, "Cost per resolved issue", CCS_UNIT_MONEY, -1,                       \
      CCS_KPI_OVERALL | CCS_KPI_TABLE | CCS_KPI_OPTIONAL, "total cost / issues resolved")       \
    X(occupancy, "Occupancy", CCS_UNIT_FRACTION, 0,                                           \
      CCS_KPI_GROUP | CCS_KPI_INTERVAL | CCS_KPI_TABLE,                                         \
      "busy time / (busy + available time) of logged-in agents")                              \
    X(work_occupancy, "Occupancy (work)", CCS_UNIT_FRACTION, 0, CCS_KPI_GROUP,                 \
      "work of the contacts served (talk, wrap-up, holds, / concurrency; also work finished " \
      "after closing or the horizon) / staffed time (present, overtime excluded)")            \
    X(utilisation, "Utilisation", CCS_UNIT_FRACTION, 0, CCS_KPI_GROUP | CCS_KPI_TABLE,          \
      "busy time / paid time (logged in, on break or in overtime)")                           \
    X(overtime, "Overtime", CCS_UNIT_SECONDS, -1, CCS_KPI_GROUP | CCS_KPI_TABLE | CCS_KPI_OPTIONAL, \
      "agent time spent finishing contacts after the end of a shift or a planned logout")     \
    X(absences, "Absences", CCS_UNIT_COUNT, 0, CCS_KPI_GROUP | CCS_KPI_TABLE | CCS_KPI_OPTIONAL, \
      "agent-days missed (absenteeism)")                                                      \
    X(agents, "Agents", CCS_UNIT_NUMBER, 0, CCS_KPI_GROUP | CCS_KPI_INTERVAL | CCS_KPI_TABLE,    \
      "time-average number of agents logged in")                                              \
    X(time_share, "Time share", CCS_UNIT_FRACTION, 0, CCS_KPI_GQ,                             \
      "share of the group's busy time spent on the queue")                                    \
    X(queue_share, "Work share", CCS_UNIT_FRACTION, 0, CCS_KPI_GQ,                            \
      "share of the queue's agent time that this group gave it")

enum ccs_kpi {
#define CCS_X_(id, label, unit, better, flags, def) CCS_KPI_##id,
    CCS_KPI_MAP(CCS_X_)
#undef CCS_X_
    CCS_KPI_COUNT_
};

struct ccs_kpi_info {
    const char *id;
    const char *label;
    enum ccs_unit unit;
    int better;
    unsigned flags;
    const char *definition;
};

/* Metadata of a metric; k must be < CCS_KPI_COUNT_. */
const struct ccs_kpi_info *ccs_kpi_info(enum ccs_kpi k);

/* The metric with this id, or -1. */
int ccs_kpi_find(const char *id);

/* Name of a scope kind: "overall", "queue", "segment", "group", "group_queue". */
const char *ccs_scope_name(enum ccs_scope s);

#define CCS_ID_MAX 64 /* longest id (queue, group, segment, variant name) */

/* Is name a valid variant or point name (letters, digits, '_', '-'; 1..CCS_ID_MAX)? */
bool ccs_variant_name_ok(const char *name);

/* --- Precision targets -------------------------------------------------------- */

/*
 * A target for the half-width of the paired difference's confidence
 * interval of one KPI (for every variant against the baseline). Text form:
 * "[SCOPE:]KPI=HALFWIDTH" with SCOPE one of "overall" (the default),
 * "queue:ID", "segment:QUEUE/SEGMENT", "group:ID"; HALFWIDTH in the KPI's
 * unit: "1%" or "0.01" for fractions, "5s" for durations, a number else.
 */
struct ccs_precision {
    enum ccs_scope scope;  /* OVERALL, QUEUE, SEGMENT or GROUP */
    enum ccs_kpi kpi;
    char queue[CCS_ID_MAX + 1], segment[CCS_ID_MAX + 1], group[CCS_ID_MAX + 1]; /* "" if n/a */
    double halfwidth;      /* > 0 */
};

/* Parse text; errors at (origin, 1, column), CCS_EINVAL. */
int ccs_precision_parse(const char *text, const char *origin, struct ccs_precision *out,
                        struct ccs_diag *d);

/* "service_level" or "queue:sales:service_level" (the scope and KPI, no value). */
void ccs_precision_name(const struct ccs_precision *p, char *buf, size_t cap);

#endif
