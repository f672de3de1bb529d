/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * scenario.h - the validated description of a contact center that the
 * engine simulates: queues (contact types), agent groups, routing, run
 * settings. Built by sim/load from YAML (parse -> defaults -> validate ->
 * build); immutable afterwards, so many simulations can share one.
 * All times in seconds, rates per second.
 */
#ifndef CCS_MODEL_SCENARIO_H
#define CCS_MODEL_SCENARIO_H

#include "ccs/kpi.h"
#include "ccs/policy.h"
#include "model/dist.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ccs_ydoc;
struct ccs_override;

enum ccs_arrival_kind {
    CCS_ARR_NONE,     /* no arrivals of its own (fed by other mechanisms) */
    CCS_ARR_POISSON,  /* constant rate */
    CCS_ARR_PROFILE,  /* piecewise-constant rate per step: a non-homogeneous Poisson process */
    CCS_ARR_SINUSOID, /* rate + amplitude sin(2 pi t / period + phase) */
    CCS_ARR_TRACE,    /* replay of recorded contacts */
};

/* One recorded contact of a trace, for replay. */
struct ccs_trace_rec {
    double t;          /* arrival, seconds since the run start */
    double work;       /* its handle time (talk + hold), or NaN to draw one */
    double wrap;       /* its after-call work, or NaN to draw one */
    double patience;   /* known patience (it abandoned after this), or NaN */
    double waited;     /* it was served after waiting this long: patience exceeds it */
    uint64_t customer; /* the log's customer id (the number, or a hash of the text); 0: none */
    int32_t day;       /* the log's date, days since 1970-01-01; CCS_NO_DAY: none */
    uint32_t agent;    /* who served it: index into the scenario's trace_agents, or CCS_NO_AGENT */
    uint32_t segment;
    uint32_t line;     /* line number in the trace file, for messages */
    bool transfer;     /* the log flags it as transferred */
};

#define CCS_NO_DAY INT32_MIN
#define CCS_NO_AGENT UINT32_MAX

/* How a list of values per step continues past its end (volumes, plans). */
enum { CCS_REPEAT_NONE, CCS_REPEAT_DAY, CCS_REPEAT_WEEK };

/*
 * A mean that follows the clock (a forecast's handle time or patience per
 * interval): in step k (of length step, counted from t = 0) every draw of
 * the queue's distribution is multiplied by factor[k], so the shape (family,
 * cv) stays and the mean becomes factor[k] x the distribution's mean. The
 * list covers the run, or one day or week and repeats (repeat); past the
 * end of a list that covers the run, the last factor holds. factor NULL:
 * the distribution as it is.
 */
struct ccs_step_means {
    double *factor; /* owned */
    size_t n;
    double step;
    uint8_t repeat; /* CCS_REPEAT_* */
};

/* The factor of the step holding time t (1 when m has none). */
double ccs__step_factor(const struct ccs_step_means *m, double t);

struct ccs_arrivals {
    enum ccs_arrival_kind kind;
    bool has_weekly;   /* weekly[] applies (next to kind: every arrival reads both) */
    bool exact_counts; /* PROFILE: exactly round(volume) arrivals per step, at uniform times */
    uint8_t repeat;    /* PROFILE: CCS_REPEAT_* (the list covers a day or a week) */
    double rate;       /* POISSON, SINUSOID: mean rate per second */
    double amplitude;  /* SINUSOID: per second */
    double period, phase;
    double *rates;     /* PROFILE: per second, one per step; repeats after the last */
    size_t n_rates;
    double step;       /* PROFILE: length of one step */
    double weekly[7];  /* rate multiplier per weekday, Monday first */
    struct ccs_trace_rec *trace; /* TRACE: this queue's records, by time (owned) */
    size_t n_trace;
};

struct ccs_segment_def {
    const char *id;   /* NULL for the implicit single segment */
    double share;     /* fraction of the queue's arrivals */
    double weight;    /* value weight for routing (predictive-sla) */
    int priority;     /* added to the queue priority for static-priority routing */
    double credit;    /* head start (s) in waiting-time order */
    double sla_within, sla_target; /* the segment's promise (defaults: the queue's) */
};

/* Virtual hold: waiting callers are offered a call back (docs/channels.md). */
struct ccs_callback_def {
    bool on;
    double offer_after;        /* offer to callers still waiting after this; INFINITY: never */
    double offer_if_predicted; /* offer at arrival if the predicted wait exceeds this; INFINITY: never */
    double accept;             /* probability a caller accepts */
    double schedule_after;     /* < 0: keep the place in line; else rejoin the line after this */
    double reach;              /* probability a dial reaches the customer */
    uint32_t retries;          /* further dials after a failed one */
    double retry_delay;
    double dial_time;          /* agent time of a dial that does not reach */
    double cost;               /* per dial */
};

/* Outbound campaign: a dialling list worked by agents (channel outbound). */
struct ccs_campaign_def {
    bool on;
    uint32_t records;          /* list size, available at the start */
    double connect;            /* probability a dial is answered */
    double right_party;        /* probability an answered dial is the right person */
    double dial_time;          /* agent time of a dial that is not answered */
    double wrong_party_time;   /* agent time with a wrong party */
    uint32_t retries;          /* further dials of a record not reached */
    double retry_delay;
    double cost;               /* per dial */
};

/* Redials after abandonment: the same customer tries again. */
struct ccs_redial_def {
    double probability;        /* 0: off */
    struct ccs_dist delay;
    uint32_t max;              /* redials per customer at most */
    bool keep_patience;        /* a redial brings the patience of the attempt it follows */
};

/* After talking, a fraction of contacts continue in another queue. */
struct ccs_transfer_def {
    uint32_t to;
    double probability;
    bool consult;              /* the first agent stays until the next one answers */
    bool conference;           /* consult, and the first agent stays until the leg's talk ends */
    bool skip_if_busy;         /* conference (if_busy: skip): held only if an agent takes the leg
                                  at once; else skipped, and the leg's own transfers follow */
    struct ccs_dist handle;    /* talk time in the target; NONE: the target's handle_time */
};

/* First-contact resolution; unresolved customers come back. */
struct ccs_resolution_def {
    double probability;        /* at proficiency 1; 1 = always resolved */
    struct ccs_dist delay;     /* until the repeat contact */
    uint32_t queue;            /* where the repeat contact arrives */
    uint32_t max_repeats;
};

/* A group of lines shared by voice queues; a call holds a line until its talk ends. */
struct ccs_trunk_def {
    const char *id;
    uint32_t lines;
    double cost_per_minute;
};

struct ccs_queue_def {
    /* The fields every arrival reads come first, side by side (issue 16: at
       1,000 queues a queue's definition is out of the caches by its next
       arrival, and an arrival read a dozen of its 13 cache lines). The
       definitions lie on 64-byte boundaries (ccs_scenario.queues), and the
       first line is this one, each distribution a line of its own (64
       bytes), the arrivals' fields at the start of another. */
    _Alignas(64) const char *id;
    enum ccs_channel channel;
    int32_t trunk;            /* index into scenario trunks, or -1 */
    long capacity;            /* waiting places; -1 unlimited */
    double message_after;     /* a caller still waiting this long leaves a message; 0: off */
    struct ccs_segment_def *segments; /* at least one */
    size_t n_segments;
    struct ccs_transfer_def *transfers;
    size_t n_transfers;
    struct ccs_dist handle;   /* talk time at proficiency 1 */
    struct ccs_dist patience; /* CCS_DIST_NONE: never abandons */
    struct ccs_dist wrap;     /* after-contact work; CCS_DIST_NONE: none */
    struct ccs_step_means handle_steps;   /* handle_time's mean per interval (a forecast) */
    struct ccs_step_means patience_steps; /* patience's mean per interval */
    struct ccs_arrivals arrivals;
    struct ccs_callback_def callback;
    struct ccs_resolution_def resolution;
    bool close_disconnect;    /* at_close: disconnect: callers still waiting when the queue
                                 closes (its rate drops to 0; the drained horizon) are cut off */
    bool has_closes_at;       /* closes_at given: it closes each day at that clock time
                                 (s after midnight), instead of where its rate drops; contacts
                                 entering it from then to midnight are cut off too */
    double closes_at;
    double sla_target, sla_within;
    double asa_target;        /* sla.asa: the ASA promise (s), a target line on charts; 0: none */
    int priority;
    struct ccs_campaign_def campaign;
    struct ccs_redial_def redial;
};

/* with 64-bit pointers (elsewhere the sizes differ: only slower) */
_Static_assert(sizeof(void *) != 8 ||
                   (sizeof(struct ccs_dist) == 64 && offsetof(struct ccs_queue_def, handle) == 64 &&
                    offsetof(struct ccs_queue_def, arrivals) % 64 == 0),
               "what an arrival reads of a queue's definition on lines of its own");

/* A break of a shift: agent k of the shift's n starts it at
   after + (latest - after) (k + 1/2) / n into the shift (staggered; a fixed
   time has latest = after), and it lasts `length`. */
struct ccs_break_def {
    double after, latest, length;
};

/* A shift: `agents` people work [start, start + length) on the days in
   days_mask (bit 0 = Monday), start being a clock time. */
struct ccs_shift_def {
    double start, length;
    uint32_t agents;
    uint8_t days_mask;
    struct ccs_break_def *breaks;
    size_t n_breaks;
};

/*
 * Rostering rules of a group (its 'rostering' key, read by the loader and
 * used by `ccsim schedule`, sim/exp/schedule.c); times in seconds, start
 * times clock times. Names point into the scenario's document.
 */
#define CCS_RDEF_MAX_LENGTHS 16
#define CCS_RDEF_MAX_BREAKS 8
struct ccs_rbreak_def {
    const char *name;       /* or NULL */
    double length, earliest, latest; /* start window, after the shift's start */
    bool paid;
};
struct ccs_rtemplate_def {
    const char *name;
    const char *origin;     /* where the template is written, for messages */
    int line, col;
    double start_from, start_to, start_every; /* clock times; step */
    double lengths[CCS_RDEF_MAX_LENGTHS];
    size_t n_lengths;
    double cost_per_hour;   /* < 0: the group's */
    uint32_t max_agents;    /* UINT32_MAX: no limit */
    struct ccs_rbreak_def breaks[CCS_RDEF_MAX_BREAKS];
    size_t n_breaks;
    double min_before, min_between, min_after; /* work around breaks */
    uint32_t work_days;     /* 0: no days-off rule (weekly horizons only) */
    bool at_most;           /* work at most work_days days */
    bool consecutive_off;   /* the days off in one block */
};
struct ccs_rostering_def {
    struct ccs_rtemplate_def *templates;
    size_t n_templates;
    uint32_t max_agents;    /* people on the group's roster, UINT32_MAX: no limit */
    bool has_part_time;
    double part_shorter_than, part_max_share;
    bool part_by_hours;
    /* The first time that does not fit the scenario's horizon (a start
       outside its day, a horizon rosters cannot plan), as a located message
       (malloc'd), or NULL. Not a loading error: `run` ignores rostering,
       and a shortened horizon (--set horizon=2h) must still run; `schedule`
       refuses it. */
    char *grid_error;
};

/*
 * The planning grid rosters use for sc: days, intervals per day (the
 * reporting interval), and whether the horizon repeats (whole 24-hour days).
 * A horizon of one day or less is one day; whole days up to a week are that
 * many days. Returns true, or false with why set to the reason.
 */
struct ccs_scenario;
bool ccs__roster_grid_of(const struct ccs_scenario *sc, uint32_t *days, uint32_t *per_day,
                         bool *cyclic, const char **why);

struct ccs_group_def {
    const char *id;
    uint32_t agents;          /* head count: the pool of individual agents */
    struct ccs_skill *skills;
    size_t n_skills;
    uint32_t capacity;        /* contacts at once per agent */
    double slowdown;          /* talk time x (1 + slowdown (n - 1)) with n contacts in hand */
    double cost_per_hour;
    double *plan;             /* staffing plan: agents per step (repeats), or NULL */
    size_t n_plan;
    uint8_t plan_repeat;      /* CCS_REPEAT_* */
    double plan_step;
    struct ccs_shift_def *shifts; /* or shifts (each agent belongs to one), or neither */
    size_t n_shifts;
    double absenteeism;       /* probability an agent misses a day */
    struct ccs_rostering_def *rostering; /* or NULL */
};

struct ccs_scenario {
    const char *name;         /* points into doc or origin */
    char *origin;             /* path it was loaded from */
    uint64_t seed;
    uint32_t replications;
    double horizon;           /* arrivals in [0, horizon) */
    double warmup;            /* statistics ignore contacts arriving before this */
    double interval;          /* reporting interval length */
    uint32_t n_intervals;     /* ceil(horizon / interval) */
    bool drain;               /* after the horizon, finish the contacts in the system */
    int start_day;            /* weekday of day 0: 0 = Monday */
    double start_time;        /* clock time of t = 0, seconds after midnight */
    double busyness_cv;       /* day-level gamma factor on all arrival rates; 0 = off */
    char *trace_note;         /* what the trace import did, or NULL (owned) */
    char *trace_pool_note;    /* the same for all the dates replayed with it, or NULL */
    size_t trace_skipped;     /* bad trace rows skipped (on_error: skip) */
    char **trace_agents;      /* agent ids of the trace records (owned), by index */
    size_t n_trace_agents;
    bool dated;               /* t = 0 is start_time on a calendar date (a dated trace
                                 or forecast); start_day is that date's weekday */
    int32_t date;             /* that date, days since 1970-01-01 */
    char date_text[12];       /* and as yyyy-mm-dd */
    char *forecast_note;      /* what the forecast import did, or NULL (owned) */
    char *backtest;           /* `backtest:` file, resolved beside the scenario, or NULL
                                 (owned; ccsim compare reads it, the simulator does not) */
    enum ccs_sl_def sl_def;
    struct ccs_queue_def *queues; /* 64-byte aligned (ccs__scenario_alloc_queues) */
    void *queues_raw;         /* the allocation behind queues */
    size_t n_queues;
    struct ccs_group_def *groups;
    size_t n_groups;
    struct ccs_trunk_def *trunks;
    size_t n_trunks;
    const struct ccs_policy_ops *policy;
    const struct ccs_params *policy_params; /* points into doc */
    struct ccs_ydoc *doc;     /* the source, with overrides applied */
    struct ccs_layout *layout; /* the metrics every replication reports */
    /* More policies the scenario may name, NULL-terminated (borrowed), or NULL */
    const struct ccs_policy_ops *const *extra_policies;
    /* Set by the loader that built it: a copy with more overrides applied
       (ccs_scenario_derive), so experiments need not know the loader. */
    int (*derive)(const struct ccs_scenario *sc, const struct ccs_override *ov, size_t n_ov,
                  struct ccs_scenario **out, struct ccs_diag *d);
};

/* Room for n zeroed queue definitions in sc->queues, on 64-byte boundaries
   (freed with the scenario). Returns 0 or CCS_ENOMEM. */
int ccs__scenario_alloc_queues(struct ccs_scenario *sc, size_t n);

#endif
