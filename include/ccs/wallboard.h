/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * wallboard.h - a supervisor's real-time monitor of one simulation, as
 * `ccsim watch` shows it (docs/watch.md): per queue the contacts waiting,
 * the oldest wait, the day's counts and service level so far; per group the
 * agents by state; the queue length over the last simulated minutes. The
 * board drives its simulation, so that its history is sampled at fixed
 * simulated times whatever the speed, and renders itself as text lines that
 * the command prints (plain mode) or draws on the terminal (curses mode).
 */
#ifndef CCS_WALLBOARD_H
#define CCS_WALLBOARD_H

#include "ccs/sim.h"

#include <stddef.h>

#include <stdbool.h>
#include <stdint.h>

#define CCS_WB_HIST 30          /* history columns */
#define CCS_WB_HIST_STEP 60.0   /* simulated seconds per column */
#define CCS_WB_LOG 4            /* trace events of a step shown */

/* What an agent is doing, as the board counts it. */
enum ccs_wb_agent {
    CCS_WB_IDLE,  /* logged in, no contact */
    CCS_WB_TALK,  /* in an inbound conversation */
    CCS_WB_OUT,   /* dialling, or talking on a callback or campaign record */
    CCS_WB_HOLD,  /* holding a caller during a consult transfer */
    CCS_WB_WRAP,  /* after-contact work */
    CCS_WB_BREAK, /* on break */
    CCS_WB_OFF,   /* not logged in */
    CCS_WB_COUNT_
};

/* A row of the queue table: a queue, or one segment of a queue that has
   several (e.g. vip and regular callers), shown under its queue. */
struct ccs_wb_queue {
    const char *id;            /* the queue's id, or the segment's */
    bool segment;              /* a segment's row (shown indented under its queue) */
    uint32_t first_line, n_lines; /* the waiting lines it covers (view->lines) */
    bool campaign;             /* an outbound campaign: no service level shown */
    bool closing;              /* at_close: disconnect (callers waiting at closing are cut off) */
    double sla_target;         /* fraction */
    double sla_within;         /* T, seconds */
    uint32_t waiting;          /* contacts waiting now (all segments) */
    double oldest;             /* how long the oldest of them has waited; 0 if none */
    /* so far today (since t = 0; warm-up included), counted as events happen */
    uint64_t offered;          /* arrivals, redials, repeat contacts, transfers in */
    uint64_t answered, ans_within;
    uint64_t abandoned, ab_within;
    uint64_t messages, msg_within; /* left a message (message_after), and of them within T */
    uint64_t disconnected;     /* cut off when the queue closed (at_close: disconnect) */
    uint64_t blocked;
    uint64_t failed;           /* callbacks given up after their last dial */
    double wait_answered;      /* sum of the waits of answered contacts, seconds */
    /* contacts waiting at the end of each of the last n_hist simulated
       minutes, oldest first (hist[n_hist - 1] is the latest) */
    uint32_t hist[CCS_WB_HIST];
    uint32_t n_hist;
};

struct ccs_wb_group {
    const char *id;
    uint32_t agents;                /* agents of the group */
    uint32_t count[CCS_WB_COUNT_];  /* agents in each state now */
};

struct ccs_wallboard {
    struct ccs_sim *sim;            /* borrowed; driven only through the board */
    const struct ccs_scenario *sc;  /* borrowed */
    const struct ccs_view *view;
    double now;          /* the board's clock, simulated seconds since t = 0 */
    double start_time;   /* clock time of t = 0, seconds after midnight */
    double horizon;
    int status;          /* 1 running, 0 the day is over, < 0 engine error (CCS_E*) */
    bool sim_done;       /* the engine has no more events (the clock may still run on) */
    double end;          /* when sim_done: the time the day ends */
    uint64_t steps;      /* single steps taken */
    enum ccs_sl_def sl_def;
    bool messages;       /* some queue lets its callers leave a message (message_after) */
    uint32_t n_queues, n_groups;
    struct ccs_wb_queue *queues;
    /* rows of the segments of queues with more than one; queue q's are
       segs[seg_first[q] ..] (one per line), seg_first[q] UINT32_MAX if none */
    uint32_t n_segs;
    struct ccs_wb_queue *segs;
    uint32_t *seg_first;
    struct ccs_wb_group *groups;
    double next_sample;  /* time of the next history column */
    /* what the last single step did, for teaching: its first trace events
       (empty after ccs_wb_advance) */
    struct ccs_trace_event log[CCS_WB_LOG];
    uint32_t n_log, n_logged; /* kept, and traced in all during the step */
    bool logging;
    uint8_t *rank;       /* scratch: per agent, its state while counting */
    uint32_t rank_cap;   /* agents rank has room for (more may be added live) */
    uint32_t *scratch;   /* scratch: per row (queues, then segments), waiting before a step */
};

/*
 * A board over sim, a fresh simulation of sc that has not run yet. It sets
 * sim's trace callback (replacing any other) and takes over running it:
 * use only ccs_wb_advance and ccs_wb_step from now on. Returns 0 or
 * CCS_ENOMEM.
 */
int ccs_wb_new(struct ccs_sim *sim, const struct ccs_scenario *sc, struct ccs_wallboard **out);
void ccs_wb_free(struct ccs_wallboard *wb);

/*
 * Run the simulation up to simulated time t (events before t) and move the
 * board's clock there (not past the end of the day). Returns wb->status.
 */
int ccs_wb_advance(struct ccs_wallboard *wb, double t);

/*
 * Process exactly one event and move the clock to its time (at the end of
 * the day: to the end). Returns wb->status.
 */
int ccs_wb_step(struct ccs_wallboard *wb);

/* Service level so far of queue q under the scenario's definition, over
   the contacts whose outcome is known (docs/watch.md); NaN if none yet. */
double ccs_wb_sl(const struct ccs_wallboard *wb, uint32_t q);

/* The same for any row (a queue's or a segment's). */
double ccs_wb_row_sl(const struct ccs_wallboard *wb, const struct ccs_wb_queue *x);

/* Mean wait of the contacts of queue q answered so far; NaN if none. */
double ccs_wb_asa(const struct ccs_wallboard *wb, uint32_t q);

/* --- Rendering ---------------------------------------------------------- */

enum ccs_wb_line {
    CCS_WB_L_TITLE,  /* the title and the clock */
    CCS_WB_L_HEAD,   /* a table header */
    CCS_WB_L_TEXT,   /* an ordinary line */
    CCS_WB_L_ALERT,  /* a queue below its service-level target */
    CCS_WB_L_HINT,   /* key help */
};

/* How the board is being run, for its status line. */
struct ccs_wb_status {
    double speed;  /* simulated seconds per real second; 0 = as fast as possible */
    bool paused;
    bool live;     /* on a terminal: show the keys */
    uint64_t seed; /* shown in the title */
    uint32_t group; /* live: the group the agent keys change (marked on its row) */
    const char *note; /* live: what the last change did, or NULL */
};

/*
 * Render the board as lines of at most `width` characters (plain ASCII, no
 * trailing newline), calling emit for each in order. The text depends only
 * on the board and st, so plain snapshots are deterministic.
 */
void ccs_wb_render(const struct ccs_wallboard *wb, const struct ccs_wb_status *st, int width,
                    void (*emit)(void *ctx, enum ccs_wb_line kind, const char *text), void *ctx);

/* The clock time of simulated time t as "hh:mm:ss", with " day N" after
   the first day (N from 1); buf needs 24 bytes. */
void ccs_wb_clock(const struct ccs_wallboard *wb, double t, char *buf, size_t cap);

#endif
