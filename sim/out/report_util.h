/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * report_util.h - what the report writers share (report.c,
 * report_compare.c, report_sweep.c, staff_out.c, html.c): the names of
 * units, KPI values spelled for people, interval labels, and which
 * optional KPIs a scenario can show.
 */
#ifndef CCS_OUT_REPORT_UTIL_H
#define CCS_OUT_REPORT_UTIL_H

#include <stdio.h>

#include "ccs/kpi.h"
#include "ccs/policy.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ccs_scenario;
struct ccs_ynode;

/*
 * Write group node gn of a scenario document to f as one item of a YAML
 * list (`  - id: ...`), for the plans `staff` and `schedule` write; with
 * drop_staffing, its head count keys (agents, staffing, shifts) removed
 * first, for the plan to give its own. 0, CCS_ENOMEM or CCS_EINVAL.
 */
int ccs__report_group_item(FILE *f, struct ccs_ynode *gn, bool drop_staffing);

/*
 * Does queue q of sc (q < 0: any queue) use the mechanism behind an
 * optional KPI (CCS_KPI_OPTIONAL)? Tables leave out rows that could only
 * read zero. Always true for other KPIs.
 */
bool ccs__report_relevant(const struct ccs_scenario *sc, enum ccs_kpi k, int q);

/* The ids of a row's queue (q < 0: none), segment (q or s < 0, or an
   unnamed segment: none) and group (g < 0: none) in sc, "" for none: the
   CSV writers' id columns. */
const char *ccs__report_queue_name(const struct ccs_scenario *sc, int q);
const char *ccs__report_segment_name(const struct ccs_scenario *sc, int q, int s);
const char *ccs__report_group_name(const struct ccs_scenario *sc, int g);

struct ccs_key;

/* A key's scope inside a JSON object, as every JSON writer spells it:
   `"scope": "queue", "queue": "sales", "segment": null, "group": null`
   (null: not applicable, or an unnamed segment). */
void ccs__report_json_scope(FILE *f, const struct ccs_scenario *sc, const struct ccs_key *k);

/* A precision target's fields inside a JSON object: `"scope": ..., "queue":
   ..., "segment": ..., "group": ..., "metric": ..., "halfwidth": N`. */
void ccs__report_json_target(FILE *f, const struct ccs_precision *t);

/* A mean and its confidence interval inside a JSON object, as every JSON
   report spells them: `"mean": M, "halfwidth": HW, "ci_low": M-HW,
   "ci_high": M+HW` (mean_key "mean", prefix ""), or for a difference
   `"diff": ..., "diff_halfwidth": ..., "diff_ci_low": ..., "diff_ci_high": ...`
   (mean_key "diff", prefix "diff_"). */
void ccs__report_json_ci(FILE *f, const char *mean_key, const char *prefix, double m, double hw);

/* A whole-run key as one column name of a wide CSV file:
   SCOPE[.QUEUE][.SEGMENT][.GROUP].METRIC, the ids that apply
   ("overall.service_level", "queue.sales.asa", "group_queue.sales.sales_team.answered"). */
void ccs__report_key_column(char *buf, size_t cap, const struct ccs_scenario *sc,
                            const struct ccs_key *k);

/* The opening of a JSON report: `{\n  "format": FORMAT,\n  "ccsim_version":
   V,\n` and, when sc is given, `  "scenario": {"name": ..., "file": ...`
   with its provenance (the caller adds its own fields and closes it). */
void ccs__report_json_head(FILE *f, const char *format, const struct ccs_scenario *sc);

/* Provenance fields of a scenario inside a JSON object:
   `, "sha256": "...", "overrides": ["path=value", ...]` (docs/outputs.md). */
void ccs__report_json_provenance(FILE *f, const struct ccs_scenario *sc);

/* s (NULL: nothing) to f with & < > " escaped for HTML text and attributes. */
void ccs__html_esc(FILE *f, const char *s);

/* "count", "fraction", "seconds", "money", "number" (the unit column of
   the CSV files); "?" for anything else. */
const char *ccs__unit_name(enum ccs_unit u);

/* The unit named name, as ccs__unit_name spells it; CCS_UNIT_NUMBER when
   unknown. */
enum ccs_unit ccs__unit_find(const char *name);

/* How ccs__kpi_text spells a value: OR these together. */
enum {
    CCS_KV_SIGN = 1u << 0,      /* a difference: "+" before positive values */
    CCS_KV_HALFWIDTH = 1u << 1, /* a half-width: counts keep their decimal */
    CCS_KV_PP = 1u << 2,        /* fractions in percentage points ("1.20 pp") */
    CCS_KV_SPACE = 1u << 3,     /* a space before the unit ("12.04 s") */
    CCS_KV_HMS = 1u << 4        /* seconds as h:mm:ss whatever their size */
};

/* Durations from one hour on are spelled h:mm:ss ("1:18:53"), not "4733.05s". */
#define CCS__HMS_HOUR 3600.0
#define CCS__HMS_FROM CCS__HMS_HOUR

/*
 * A KPI value of unit u rounded for a table (ccs__fixed: never "-0.00"):
 * fractions as percentages with 2 decimals ("80.93%"), seconds with 2
 * ("12.04s") below an hour and as h:mm:ss from one hour on ("1:18:53",
 * "+1:02:00" for a difference; CCS_KV_HMS: always), money with 2, numbers with 3, counts whole when they are
 * ("1195") and else with 1 decimal (as are signed counts and half-widths
 * of counts). NaN is "-". Always NUL-terminates buf.
 */
void ccs__kpi_text(char *buf, size_t cap, enum ccs_unit u, double v, unsigned flags);

/* The flags that spell a value v and its half-width hw alike: CCS_KV_HMS
   when either is a duration of an hour or more ("0:08:17 ± 1:15:01", not
   "497.35s ± 1:15:01" nor "1:18:53 ± 130.00s"), else 0; hw NaN: v alone
   decides. Every table (text, HTML) spells its pairs with it. */
unsigned ccs__kv_pair(enum ccs_unit u, double v, double hw);

/* "80.93% ± 1.43%": v as ccs__kpi_text spells it with flags, then its
   half-width hw (spelled alike: ccs__kv_pair); just the value when either
   is undefined. */
void ccs__kpi_ci(char *buf, size_t cap, enum ccs_unit u, double v, double hw, unsigned flags);

/*
 * The clock label of sc's reporting interval i: "08:30-09:00" (with_end)
 * or "08:30", from the scenario's start time, with "d2 " before it past
 * the first day; the last interval ends at the horizon.
 */
void ccs__interval_label(const struct ccs_scenario *sc, uint32_t i, bool with_end, char *buf,
                         size_t cap);

/*
 * The "day" and "clock" columns of the per-interval CSV files for
 * simulated time t (seconds since t = 0): the wall-clock time
 * "hh:mm:ss" from the scenario's start_time (truncated to the second),
 * and the day it falls on: the date yyyy-mm-dd when the run stands for a
 * date (a dated trace or forecast), else the day of the run counted from
 * 1 ("1", "2", ...). day needs 16 bytes, clock 48.
 */
void ccs__day_clock(const struct ccs_scenario *sc, double t, char *day, size_t dcap, char *clock,
                    size_t ccap);

/* "voice", "chat", "email", "callback", "outbound"; "?" for anything else. */
const char *ccs__channel_name(enum ccs_channel ch);

/*
 * A channel's service level: contacts answered within their own queue's
 * (segment's) threshold / contacts offered, summed over the channel's
 * queues in each replication, then averaged over replications (the
 * 'offered' definition, whatever the scenario's: thresholds of 20 s and 4 h
 * are never averaged, each contact is judged by its own). offered and sl
 * are statistics over replications as the summary's are: mean, sd,
 * half-width at the summary's level, n (replications where defined).
 */
struct ccs__stat {
    double mean, sd, halfwidth, n;
};
struct ccs__channel_sl {
    enum ccs_channel ch;
    size_t n_queues;        /* queues of the channel */
    struct ccs__stat offered, sl, asa; /* asa: exp/channels.h ccs__channel_asa */
};
struct ccs_summary;

/* The channels of s's scenario that have queues, in the order of their
   first queue, into out (room for CCS_CH_COUNT_). Returns how many. */
size_t ccs__channel_sls(const struct ccs_summary *s, struct ccs__channel_sl *out);

struct ccs_compare;

/* compare.json's "model_error" member, its leading comma included, when c
   has a backtest (ccs_compare_set_backtest); nothing without (fit_out.c). */
void ccs__report_compare_model_error_json(FILE *f, const struct ccs_compare *c);

/* model_error.csv: per KPI and variant, the backtest's error beside the
   difference (fit_out.c). Nothing without a backtest. 0 or CCS_EIO. */
int ccs__report_compare_model_error_csv(FILE *f, const struct ccs_compare *c);

#endif
