/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * sim.h - the simulated world: a scenario (built by a loader, ccs/scenario.h)
 * and one simulation of it, event by event. Many replications with
 * confidence intervals are ccs/run.h; see README "As a library".
 */
#ifndef CCS_SIM_H
#define CCS_SIM_H

#include "ccs/error.h"
#include "ccs/kpi.h"
#include "ccs/policy.h"
#include "ccs/results.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ccs_scenario;
struct ccs_sim;

/* --- Scenarios ------------------------------------------------------------ */

/*
 * An override "key.path=value" as given to --set. origin names it in
 * messages ("--set"); path_col/value_col are 1-based columns of the path and
 * value within the origin text (for located errors).
 */
struct ccs_override {
    const char *path;
    const char *value;
    const char *origin;
    int path_col, value_col;
};

/*
 * Split "key.path=value" into an override pointing into text (which must
 * outlive it; the '=' is not modified: path is returned via a copy in buf).
 * Returns 0 or CCS_EINVAL with d filled ("expected KEY.PATH=VALUE").
 */
int ccs_override_parse(const char *text, const char *origin, char *buf, size_t cap,
                       struct ccs_override *out, struct ccs_diag *d);

/*
 * A copy of sc with more overrides applied (for variants and sweeps), built
 * by the loader that built sc. Errors as for loading (ccs/scenario.h).
 */
int ccs_scenario_derive(const struct ccs_scenario *sc, const struct ccs_override *ov,
                        size_t n_ov, struct ccs_scenario **out, struct ccs_diag *d);

void ccs_scenario_free(struct ccs_scenario *sc);

const char *ccs_scenario_name(const struct ccs_scenario *sc);
const char *ccs_scenario_origin(const struct ccs_scenario *sc);
/* Provenance: the SHA-256 of the scenario file as read (64 hex digits, what
   `sha256sum FILE` prints; "" for a scenario not read from text), and the
   overrides applied since, oldest first, as "path=value" (--set, a
   variant's or a sweep point's keys). */
const char *ccs_scenario_sha256(const struct ccs_scenario *sc);
size_t ccs_scenario_override_count(const struct ccs_scenario *sc);
const char *ccs_scenario_override(const struct ccs_scenario *sc, size_t i);
uint64_t ccs_scenario_seed(const struct ccs_scenario *sc);
uint32_t ccs_scenario_replications(const struct ccs_scenario *sc);
double ccs_scenario_horizon(const struct ccs_scenario *sc);
double ccs_scenario_interval(const struct ccs_scenario *sc);
uint32_t ccs_scenario_interval_count(const struct ccs_scenario *sc);
size_t ccs_scenario_queue_count(const struct ccs_scenario *sc);
const char *ccs_scenario_queue_id(const struct ccs_scenario *sc, size_t q);
size_t ccs_scenario_segment_count(const struct ccs_scenario *sc, size_t q);
/* NULL for a queue's implicit single segment. */
const char *ccs_scenario_segment_id(const struct ccs_scenario *sc, size_t q, size_t s);
size_t ccs_scenario_group_count(const struct ccs_scenario *sc);
const char *ccs_scenario_group_id(const struct ccs_scenario *sc, size_t g);
const char *ccs_scenario_policy(const struct ccs_scenario *sc);
/* The scenario's clock time of t = 0, seconds after midnight. */
double ccs_scenario_start_time(const struct ccs_scenario *sc);
/* A one-line account of a trace import (contacts replayed, rows skipped), or NULL. */
const char *ccs_scenario_note(const struct ccs_scenario *sc);
/* A one-line account of a forecast import (queues, intervals, rows skipped), or NULL. */
const char *ccs_scenario_forecast_note(const struct ccs_scenario *sc);
/*
 * The calendar date of t = 0 as "yyyy-mm-dd" when the scenario is dated (it
 * replays a dated trace, or follows a forecast by date), else NULL. A dated
 * scenario's weekday is its date's. The string lives as long as sc.
 */
const char *ccs_scenario_date(const struct ccs_scenario *sc);
/*
 * The backtest of this model that the scenario names (`backtest: FILE`, a
 * backtest.csv as `ccsim backtest --out` writes it), resolved against the
 * scenario's folder, or NULL. The simulator ignores it; `ccsim compare`
 * states its error beside the verdicts. The string lives as long as sc.
 */
const char *ccs_scenario_backtest(const struct ccs_scenario *sc);
enum ccs_sl_def ccs_scenario_sl_def(const struct ccs_scenario *sc);
/* The queue's service-level promise: answer target fraction within seconds. */
void ccs_scenario_queue_sla(const struct ccs_scenario *sc, size_t q, double *target,
                            double *within);

/* --- One simulation (one replication) -------------------------------------- */

/*
 * A fresh simulation of sc (which must outlive it): replication `rep` of
 * `seed`. Returns 0 or a negative code (CCS_ENOMEM; policy init errors in d).
 */
int ccs_sim_new(const struct ccs_scenario *sc, uint64_t seed, uint32_t rep,
                struct ccs_sim **out, struct ccs_diag *d);

/* Run to the end. Returns 0, CCS_ENOMEM, or CCS_ESTATE if a policy made an
   illegal decision (the message is in ccs_sim_fault). */
int ccs_sim_run(struct ccs_sim *sim);

/* Process events with time < t (or all, in drain mode past the horizon).
   Returns 1 while events remain, 0 when the run is over, < 0 on error. */
int ccs_sim_run_until(struct ccs_sim *sim, double t);

/* Process exactly one event. Same returns as ccs_sim_run_until. */
int ccs_sim_step(struct ccs_sim *sim);

double ccs_sim_now(const struct ccs_sim *sim);
const struct ccs_view *ccs_sim_view(const struct ccs_sim *sim);
const char *ccs_sim_fault(const struct ccs_sim *sim);

/* --- Watching a simulation ------------------------------------------------ */

/* What happened, for traces and teaching (docs/outputs.md, trace CSV). */
enum ccs_trace_kind {
    CCS_TR_ARRIVE,   /* a contact arrived */
    CCS_TR_ASSIGN,   /* routing: the policy gave it to an agent (reason) */
    CCS_TR_QUEUE,    /* routing: it waits (reason) */
    CCS_TR_BLOCK,    /* refused: no line, no waiting place, or rejected (reason) */
    CCS_TR_START,    /* service started (wait) */
    CCS_TR_ABANDON,  /* it left while waiting (wait) */
    CCS_TR_TALK_END, /* talk ended */
    CCS_TR_WRAP_END, /* after-contact work ended, the agent is free */
    CCS_TR_AGENT,    /* an agent's state changed (reason: login, logout, break...) */
    CCS_TR_CALLBACK, /* a waiting caller accepted a callback */
    CCS_TR_DIAL_FAIL, /* a dial (callback, campaign record) did not reach the customer */
    CCS_TR_TRANSFER, /* the conversation continues in another queue (reason: cold/consult) */
    CCS_TR_RETURN,   /* a held contact rejoins its queue (callback, dial retry) */
    CCS_TR_GIVE_UP,  /* a callback or record is given up after its last dial */
    CCS_TR_REDIAL,   /* an abandoned caller will call again (wait: the delay) */
    CCS_TR_REPEAT,   /* an unresolved customer will come back (wait: the delay) */
    CCS_TR_MESSAGE,  /* it left a message after waiting message_after (wait) */
    CCS_TR_DISCONNECT, /* still waiting when its queue closed: cut off (at_close; wait) */
    CCS_TR_COUNT_
};

struct ccs_trace_event {
    double t;
    enum ccs_trace_kind kind;
    uint64_t contact;   /* serial number of the contact (1, 2, ...), 0 if none */
    int32_t queue, segment, agent, group; /* -1 when not applicable */
    double wait;        /* START, ABANDON: time waited; else NaN */
    const char *reason; /* static text, or NULL */
};

/* Name of a trace kind ("arrive", "assign", ...). */
const char *ccs_trace_kind_name(enum ccs_trace_kind k);

/*
 * Call fn for every event of the run (fn must not call back into sim).
 * NULL turns tracing off. Tracing changes nothing in the results.
 */
void ccs_sim_set_trace(struct ccs_sim *sim,
                       void (*fn)(void *ctx, const struct ccs_trace_event *e), void *ctx);

/*
 * Check the engine's invariants after every event (slow; for tests and
 * debugging): counts agree with lists, and, for work-conserving policies, no
 * available agent that may serve a waiting contact is left idle. A violation
 * stops the run with CCS_ESTATE and a message (ccs_sim_fault).
 */
void ccs_sim_set_checks(struct ccs_sim *sim, bool on);

/*
 * The contact balance of a run (never filtered by the warm-up): entries into
 * queues, and how they ended. At the end of every run the engine checks
 *   arrivals + redials + repeats + transfers + records
 *     = answered + abandoned + messages + disconnected + blocked + failed + pending
 * and stops with CCS_ESTATE if it does not hold.
 */
struct ccs_sim_balance {
    uint64_t arrivals, redials, repeats, transfers, records;
    uint64_t answered, abandoned, blocked, failed, pending;
    uint64_t messages; /* left a message after waiting (an exit, like abandoned) */
    uint64_t disconnected; /* still waiting when its queue closed (at_close: disconnect) */
};
void ccs_sim_balance(const struct ccs_sim *sim, struct ccs_sim_balance *out);

/*
 * The run's metrics in layout order (ccs_layout_size values, NaN where a
 * metric is undefined, e.g. ASA with nobody answered). Call after the run.
 * Returns 0, or CCS_ENOMEM with every value NaN.
 */
int ccs_sim_results(struct ccs_sim *sim, double *values);

void ccs_sim_free(struct ccs_sim *sim);

#endif
