/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * session.c - the day `ccsim serve` plays: two simulations of the same
 * scenario and seed run in lockstep on one thread, driven by a clock at
 * the chosen speed; only the first receives the live changes
 * (ccs/live.h), so with common random numbers the gap between the two is
 * the effect of the changes and not the luck of the day. Each frame the
 * thread writes the state as JSON; HTTP threads only copy frames, under
 * their own lock. Commands take the simulation lock between two ticks.
 */
#include "serve/serve.h"

#include "fmt/textout.h"
#include "ccs/mem.h"
#include "core/grow.h"
#include "core/timeconst.h"
#include "core/memstream.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define SPEED_MAX 1e6
#define MAX_MARKS 200
#define MAX_AGES 60     /* waiting contacts drawn per queue */
#define MAX_TILES 400   /* agents drawn per group */
#define POINTS 720      /* queue-length samples in a day, at most (one a minute at least) */

struct side {
    struct ccs_sim *sim;
    struct ccs_wallboard *wb;
};

struct mark {
    double t;
    char text[160];
};

/* A queue's counts at the start of the interval being drawn. */
struct cum {
    uint64_t answered, ans_within, abandoned, ab_within, messages, msg_within, blocked, failed;
    uint64_t disconnected;
};

struct ccs__session {
    const struct ccs__catalog *cat;
    struct ccs__session_opts opts;
    pthread_mutex_t mu;  /* the simulation: the thread's ticks and the commands */
    pthread_mutex_t fmu; /* the frames */
    pthread_cond_t fcv;
    pthread_t thread;
    bool started, stop;  /* stop: under fmu */

    /* under mu */
    struct ccs_scenario *sc;
    char name[256];
    uint64_t seed;
    struct side side[2]; /* 0: with the changes; 1: the same day without */
    uint32_t nq;
    double clock, speed, last_real;
    bool paused, ended, reset;
    int error;
    char fault[300];
    double pt_step, next_pt, iv_step, next_iv;
    double *pts;         /* rows of 1 + 4 nq: t, waiting, base waiting, SL so far, base SL */
    size_t n_pts, cap_pts, pub_pts;
    double *ivs;         /* rows of 1 + 2 nq: interval end, SL in it, base SL in it */
    size_t n_ivs, cap_ivs, pub_ivs;
    struct cum *cum[2];
    struct mark marks[MAX_MARKS];
    size_t n_marks;
    uint64_t epoch;

    /* under fmu */
    char *full, *delta;
    size_t full_len, delta_len;
    uint64_t seq;
};

static double real_now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* --- the two days -------------------------------------------------------------------- */

static void sides_free(struct ccs__session *s)
{
    for (int i = 0; i < 2; i++) {
        ccs_wb_free(s->side[i].wb);
        ccs_sim_free(s->side[i].sim);
        s->side[i].wb = NULL;
        s->side[i].sim = NULL;
        free(s->cum[i]);
        s->cum[i] = NULL;
    }
}

/* Play sc (owned from now on; it may be the one playing) from the start;
   the old day is dropped. On failure sc is freed, unless it is playing. */
static int play(struct ccs__session *s, struct ccs_scenario *sc, const char *name, uint64_t seed,
                struct ccs_diag *d)
{
    struct side nw[2] = {{0}};
    uint32_t nq = (uint32_t)ccs_scenario_queue_count(sc);
    struct cum *cum[2] = {ccs_calloc(nq + 1, sizeof(struct cum)), ccs_calloc(nq + 1, sizeof(struct cum))};
    int rc = cum[0] && cum[1] ? 0 : CCS_ENOMEM;
    for (int i = 0; i < 2 && rc == 0; i++) {
        rc = ccs_sim_new(sc, seed, 0, &nw[i].sim, d);
        if (rc == 0)
            rc = ccs_wb_new(nw[i].sim, sc, &nw[i].wb);
    }
    double horizon = ccs_scenario_horizon(sc), interval = ccs_scenario_interval(sc);
    size_t cap_pts = POINTS + 64, cap_ivs = ccs_scenario_interval_count(sc) + 2;
    double *pts = NULL, *ivs = NULL;
    if (rc == 0) {
        pts = ccs_malloc(cap_pts * (1 + 4 * (size_t)nq) * sizeof *pts);
        ivs = ccs_malloc(cap_ivs * (1 + 2 * (size_t)nq) * sizeof *ivs);
        if (pts == NULL || ivs == NULL)
            rc = CCS_ENOMEM;
    }
    if (rc != 0) {
        for (int i = 0; i < 2; i++) {
            ccs_wb_free(nw[i].wb);
            ccs_sim_free(nw[i].sim);
            free(cum[i]);
        }
        free(pts);
        free(ivs);
        if (sc != s->sc)
            ccs_scenario_free(sc);
        if (rc == CCS_ENOMEM)
            ccs_diag_at(d, rc, NULL, 0, 0, "out of memory");
        return rc;
    }
    sides_free(s);
    if (sc != s->sc)
        ccs_scenario_free(s->sc);
    free(s->pts);
    free(s->ivs);
    s->sc = sc;
    snprintf(s->name, sizeof s->name, "%s", name);
    s->seed = seed;
    s->side[0] = nw[0];
    s->side[1] = nw[1];
    s->cum[0] = cum[0];
    s->cum[1] = cum[1];
    s->nq = nq;
    s->clock = 0;
    s->ended = false;
    s->error = 0;
    s->fault[0] = '\0';
    s->pts = pts;
    s->cap_pts = cap_pts;
    s->n_pts = s->pub_pts = 0;
    s->ivs = ivs;
    s->cap_ivs = cap_ivs;
    s->n_ivs = s->pub_ivs = 0;
    s->pt_step = fmax(CCS_MINUTE, ceil(horizon / POINTS / CCS_MINUTE) * CCS_MINUTE);
    s->next_pt = 0;
    /* intervals are merged so that a long run draws at most ~100 bars */
    uint32_t n_iv = ccs_scenario_interval_count(sc);
    s->iv_step = interval * ceil(n_iv / 100.0 > 1 ? n_iv / 100.0 : 1);
    s->next_iv = s->iv_step;
    s->n_marks = 0;
    s->epoch++;
    s->reset = true;
    s->last_real = real_now();
    /* the day's start (the first logins) is shown before it runs */
    for (int i = 0; i < 2; i++)
        ccs_wb_advance(s->side[i].wb, nextafter(0.0, 1.0));
    return 0;
}

static const struct ccs_wb_queue *row_q(const struct ccs__session *s, int i, uint32_t q)
{
    return &s->side[i].wb->queues[q];
}

static bool over(const struct ccs__session *s)
{
    return s->side[0].wb->status <= 0 && s->side[1].wb->status <= 0;
}

/* Room for row n of stride doubles; out of memory leaves it full (the
   caller checks). */
static void grow(double **p, size_t *cap, size_t n, size_t stride)
{
    (void)ccs__grow(p, cap, n + 1, stride * sizeof **p);
}

static void record_point(struct ccs__session *s, double t)
{
    size_t stride = 1 + 4 * (size_t)s->nq;
    grow(&s->pts, &s->cap_pts, s->n_pts, stride);
    if (s->n_pts >= s->cap_pts)
        return;
    double *r = &s->pts[s->n_pts++ * stride];
    r[0] = t;
    for (uint32_t q = 0; q < s->nq; q++) {
        r[1 + q] = row_q(s, 0, q)->waiting;
        r[1 + s->nq + q] = row_q(s, 1, q)->waiting;
        r[1 + 2 * s->nq + q] = ccs_wb_sl(s->side[0].wb, q);
        r[1 + 3 * s->nq + q] = ccs_wb_sl(s->side[1].wb, q);
    }
}

/* The service level of the contacts whose outcome came in the interval. */
static double interval_sl(struct ccs__session *s, int i, uint32_t q)
{
    const struct ccs_wb_queue *x = row_q(s, i, q);
    struct cum *c = &s->cum[i][q];
    struct ccs_wb_queue y = *x;
    y.answered = x->answered - c->answered;
    y.ans_within = x->ans_within - c->ans_within;
    y.abandoned = x->abandoned - c->abandoned;
    y.ab_within = x->ab_within - c->ab_within;
    y.messages = x->messages - c->messages;
    y.msg_within = x->msg_within - c->msg_within;
    y.disconnected = x->disconnected - c->disconnected;
    y.blocked = x->blocked - c->blocked;
    y.failed = x->failed - c->failed;
    c->answered = x->answered;
    c->ans_within = x->ans_within;
    c->abandoned = x->abandoned;
    c->ab_within = x->ab_within;
    c->messages = x->messages;
    c->msg_within = x->msg_within;
    c->disconnected = x->disconnected;
    c->blocked = x->blocked;
    c->failed = x->failed;
    return ccs_wb_row_sl(s->side[i].wb, &y);
}

static void record_interval(struct ccs__session *s, double t)
{
    size_t stride = 1 + 2 * (size_t)s->nq;
    grow(&s->ivs, &s->cap_ivs, s->n_ivs, stride);
    if (s->n_ivs >= s->cap_ivs)
        return;
    double *r = &s->ivs[s->n_ivs++ * stride];
    r[0] = t;
    for (uint32_t q = 0; q < s->nq; q++) {
        r[1 + q] = interval_sl(s, 0, q);
        r[1 + s->nq + q] = interval_sl(s, 1, q);
    }
}

static void check_faults(struct ccs__session *s)
{
    for (int i = 0; i < 2; i++)
        if (s->side[i].wb->status < 0 && s->error == 0) {
            s->error = s->side[i].wb->status;
            const char *f = ccs_sim_fault(s->side[i].sim);
            snprintf(s->fault, sizeof s->fault, "%s", f ? f : ccs_strerror(s->error));
        }
}

/* Both days to simulated time T, sampling on the way. */
static void advance(struct ccs__session *s, double T)
{
    while (s->error == 0 && !s->ended) {
        double t = fmin(T, fmin(s->next_pt, s->next_iv));
        for (int i = 0; i < 2; i++)
            if (s->side[i].wb->status > 0)
                ccs_wb_advance(s->side[i].wb, t);
        check_faults(s);
        if (t > s->clock)
            s->clock = t;
        if (over(s)) {
            /* the last samples, at the end of the longer day */
            double end = fmax(s->side[0].wb->now, s->side[1].wb->now);
            s->clock = end;
            record_point(s, end);
            record_interval(s, end);
            s->ended = true;
            break;
        }
        if (t == s->next_pt) {
            record_point(s, t);
            s->next_pt += s->pt_step;
        }
        if (t == s->next_iv) {
            record_interval(s, t);
            s->next_iv += s->iv_step;
        }
        if (t >= T)
            break;
    }
}

/* --- frames -------------------------------------------------------------------------- */

static void num(FILE *f, double v)
{
    ccs__out_json_num(f, v);
}

static int cmp_desc(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x < y) - (x > y);
}

static void write_ages(FILE *f, const struct ccs__session *s, uint32_t q)
{
    const struct ccs_view *v = ccs_sim_view(s->side[0].sim);
    const struct ccs_queue *Q = &v->queues[q];
    double ages[4 * MAX_AGES];
    size_t n = 0;
    /* the oldest of each line are at its head */
    for (uint32_t l = Q->first_line; l < Q->first_line + Q->n_lines; l++) {
        size_t k = 0;
        for (uint32_t id = v->lines[l].head; id != CCS_NONE && k < MAX_AGES && n < 4 * MAX_AGES;
             id = v->contacts[id].next, k++)
            ages[n++] = s->side[0].wb->now - v->contacts[id].arrived;
    }
    qsort(ages, n, sizeof *ages, cmp_desc);
    fputs("[", f);
    for (size_t i = 0; i < n && i < MAX_AGES; i++)
        fprintf(f, "%s%.0f", i ? "," : "", fmax(0, ages[i]));
    fputs("]", f);
}

static void write_counts(FILE *f, const struct ccs_wb_group *g)
{
    fputs("[", f);
    for (int k = 0; k < CCS_WB_COUNT_; k++)
        fprintf(f, "%s%u", k ? "," : "", g->count[k]);
    fputs("]", f);
}

/* One letter per agent of group g, in the group's order: i idle, t talk,
   o outbound, h hold, w wrap-up, b break, x off. */
static void write_tiles(FILE *f, const struct ccs__session *s, uint32_t g)
{
    const struct ccs_wallboard *wb = s->side[0].wb;
    const struct ccs_view *v = ccs_sim_view(s->side[0].sim);
    fputc('"', f);
    size_t n = 0;
    for (uint32_t a = 0; a < v->n_agents && n < MAX_TILES; a++) {
        const struct ccs_agent *ag = &v->agents[a];
        if (ag->group != g)
            continue;
        char c = 'i';
        if (ag->state == CCS_A_ABSENT)
            c = 'x';
        else if (ag->state == CCS_A_BREAK)
            c = 'b';
        else if (ag->state == CCS_A_BUSY) {
            uint8_t r = a < wb->rank_cap ? wb->rank[a] : CCS_WB_COUNT_;
            c = r == CCS_WB_OUT ? 'o' : r == CCS_WB_HOLD ? 'h' : r == CCS_WB_WRAP ? 'w' : 't';
        }
        fputc(c, f);
        n++;
    }
    fputc('"', f);
}

static void write_rows(FILE *f, const double *rows, size_t from, size_t to, size_t stride)
{
    fputs("[", f);
    for (size_t i = from; i < to; i++) {
        fputs(i > from ? ",[" : "[", f);
        for (size_t k = 0; k < stride; k++) {
            if (k)
                fputc(',', f);
            num(f, rows[i * stride + k]);
        }
        fputs("]", f);
    }
    fputs("]", f);
}

static const char *status_of(const struct ccs__session *s)
{
    if (s->error != 0)
        return "error";
    if (over(s))
        return "over";
    return s->paused ? "paused" : "running";
}

static void write_frame(FILE *f, struct ccs__session *s, bool full)
{
    const struct ccs_wallboard *wb = s->side[0].wb, *bb = s->side[1].wb;
    char clock[32];
    ccs_wb_clock(wb, s->clock, clock, sizeof clock);
    fputs("{\"type\":", f);
    ccs__out_json_str(f, full ? "full" : "delta");
    fprintf(f, ",\"epoch\":%llu,\"t\":", (unsigned long long)s->epoch);
    num(f, s->clock);
    fputs(",\"clock\":", f);
    ccs__out_json_str(f, clock);
    fputs(",\"status\":", f);
    ccs__out_json_str(f, status_of(s));
    fputs(",\"error\":", f);
    ccs__out_json_str(f, s->error ? s->fault : NULL);
    fputs(",\"speed\":", f);
    num(f, s->speed);
    fputs(",\"scenario\":{\"entry\":", f);
    ccs__out_json_str(f, s->name);
    fputs(",\"title\":", f);
    ccs__out_json_str(f, ccs_scenario_name(s->sc));
    fprintf(f, ",\"seed\":%llu,\"horizon\":", (unsigned long long)s->seed);
    num(f, ccs_scenario_horizon(s->sc));
    fputs(",\"interval\":", f);
    num(f, s->iv_step);
    fputs(",\"start\":", f);
    num(f, ccs_scenario_start_time(s->sc));
    fputs(",\"policy\":", f);
    ccs__out_json_str(f, ccs_live_policy(s->side[0].sim)->name);
    fputs(",\"base_policy\":", f);
    ccs__out_json_str(f, ccs_live_policy(s->side[1].sim)->name);
    fputs(",\"policies\":[", f);
    for (size_t i = 0; ccs_policies[i] != NULL; i++) {
        fputs(i ? "," : "", f);
        ccs__out_json_str(f, ccs_policies[i]->name);
    }
    fputs("]},\"queues\":[", f);
    for (uint32_t q = 0; q < s->nq; q++) {
        const struct ccs_wb_queue *x = &wb->queues[q], *y = &bb->queues[q];
        fputs(q ? ",{\"id\":" : "{\"id\":", f);
        ccs__out_json_str(f, x->id);
        fprintf(f, ",\"campaign\":%s,\"closing\":%s,\"target\":", x->campaign ? "true" : "false",
                x->closing ? "true" : "false");
        num(f, x->sla_target);
        fputs(",\"within\":", f);
        num(f, x->sla_within);
        fprintf(f, ",\"waiting\":%u,\"oldest\":", x->waiting);
        num(f, x->oldest);
        fputs(",\"ages\":", f);
        write_ages(f, s, q);
        fprintf(f,
                ",\"offered\":%llu,\"answered\":%llu,\"abandoned\":%llu,\"messages\":%llu,"
                "\"disconnected\":%llu,\"sl\":",
                (unsigned long long)x->offered, (unsigned long long)x->answered,
                (unsigned long long)x->abandoned, (unsigned long long)x->messages,
                (unsigned long long)x->disconnected);
        num(f, ccs_wb_sl(wb, q));
        fputs(",\"asa\":", f);
        num(f, ccs_wb_asa(wb, q));
        fputs(",\"scale\":", f);
        num(f, ccs_live_arrival_scale(s->side[0].sim, q));
        fprintf(f, ",\"base\":{\"waiting\":%u,\"offered\":%llu,\"answered\":%llu,"
                   "\"abandoned\":%llu,\"messages\":%llu,\"disconnected\":%llu,\"sl\":",
                y->waiting, (unsigned long long)y->offered, (unsigned long long)y->answered,
                (unsigned long long)y->abandoned, (unsigned long long)y->messages,
                (unsigned long long)y->disconnected);
        num(f, ccs_wb_sl(bb, q));
        fputs(",\"asa\":", f);
        num(f, ccs_wb_asa(bb, q));
        fputs("}}", f);
    }
    fputs("],\"groups\":[", f);
    for (uint32_t g = 0; g < wb->n_groups; g++) {
        fputs(g ? ",{\"id\":" : "{\"id\":", f);
        ccs__out_json_str(f, wb->groups[g].id);
        fprintf(f, ",\"agents\":%u,\"counts\":", ccs_live_agents(s->side[0].sim, g));
        write_counts(f, &wb->groups[g]);
        fputs(",\"tiles\":", f);
        write_tiles(f, s, g);
        fprintf(f, ",\"base\":{\"agents\":%u,\"counts\":", ccs_live_agents(s->side[1].sim, g));
        write_counts(f, &bb->groups[g]);
        fputs("}}", f);
    }
    fputs("],\"marks\":[", f);
    for (size_t i = 0; i < s->n_marks; i++) {
        fputs(i ? ",{\"t\":" : "{\"t\":", f);
        num(f, s->marks[i].t);
        fputs(",\"text\":", f);
        ccs__out_json_str(f, s->marks[i].text);
        fputs("}", f);
    }
    size_t pf = full ? 0 : s->pub_pts, vf = full ? 0 : s->pub_ivs;
    fprintf(f, "],\"pt_from\":%zu,\"pts\":", pf);
    write_rows(f, s->pts, pf, s->n_pts, 1 + 4 * (size_t)s->nq);
    fprintf(f, ",\"iv_from\":%zu,\"ivs\":", vf);
    write_rows(f, s->ivs, vf, s->n_ivs, 1 + 2 * (size_t)s->nq);
    fputs("}", f);
}

static char *render(struct ccs__session *s, bool full, size_t *len)
{
    char *buf = NULL;
    FILE *f = ccs__memstream(&buf, len);
    if (f == NULL)
        return NULL;
    write_frame(f, s, full);
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

/* Build this tick's frames (under mu) and publish them (under fmu). */
static void publish(struct ccs__session *s)
{
    size_t fl = 0, dl = 0;
    char *full = render(s, true, &fl);
    /* after a new day the changes are the whole state */
    char *delta = s->reset ? NULL : render(s, false, &dl);
    s->reset = false;
    s->pub_pts = s->n_pts;
    s->pub_ivs = s->n_ivs;
    if (full == NULL)
        return;
    pthread_mutex_lock(&s->fmu);
    free(s->full);
    free(s->delta);
    s->full = full;
    s->full_len = fl;
    s->delta = delta;
    s->delta_len = dl;
    s->seq++;
    pthread_cond_broadcast(&s->fcv);
    pthread_mutex_unlock(&s->fmu);
}

static void *run(void *arg)
{
    struct ccs__session *s = arg;
    double next = real_now();
    for (;;) {
        pthread_mutex_lock(&s->fmu);
        bool stop = s->stop;
        pthread_mutex_unlock(&s->fmu);
        if (stop)
            break;
        pthread_mutex_lock(&s->mu);
        double r = real_now();
        if (!s->paused && s->error == 0 && !s->ended)
            advance(s, s->clock + (r - s->last_real) * s->speed);
        s->last_real = r;
        publish(s);
        pthread_mutex_unlock(&s->mu);
        next += s->opts.frame_s;
        double wait = next - real_now();
        if (wait <= 0) {
            next = real_now(); /* behind: do not try to catch up */
            continue;
        }
        /* sleep on the frame condition so that stopping is immediate */
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        double w = ts.tv_nsec * 1e-9 + wait;
        ts.tv_sec += (time_t)floor(w);
        ts.tv_nsec = (long)((w - floor(w)) * 1e9);
        pthread_mutex_lock(&s->fmu);
        while (!s->stop) {
            if (pthread_cond_timedwait(&s->fcv, &s->fmu, &ts) == ETIMEDOUT)
                break;
        }
        pthread_mutex_unlock(&s->fmu);
    }
    return NULL;
}

/* --- the session --------------------------------------------------------------------- */

int ccs__session_new(const struct ccs__catalog *cat, size_t first,
                     const struct ccs__session_opts *o, struct ccs__session **out,
                     struct ccs_diag *d)
{
    *out = NULL;
    struct ccs__session *s = ccs_calloc(1, sizeof *s);
    if (s == NULL)
        return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    s->cat = cat;
    s->opts = *o;
    s->speed = o->speed;
    pthread_mutex_init(&s->mu, NULL);
    pthread_mutex_init(&s->fmu, NULL);
    pthread_cond_init(&s->fcv, NULL);
    struct ccs_scenario *sc = NULL;
    int rc = ccs__catalog_load(cat, first, &sc, d);
    if (rc == 0)
        rc = play(s, sc, ccs__catalog_name(cat, first),
                  o->has_seed ? o->seed : ccs_scenario_seed(sc), d);
    if (rc == 0) {
        publish(s);
        if (pthread_create(&s->thread, NULL, run, s) != 0)
            rc = ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "cannot start the simulation thread");
        else
            s->started = true;
    }
    if (rc != 0) {
        ccs__session_free(s);
        return rc;
    }
    *out = s;
    return 0;
}

void ccs__session_halt(struct ccs__session *s)
{
    pthread_mutex_lock(&s->fmu);
    s->stop = true;
    pthread_cond_broadcast(&s->fcv);
    pthread_mutex_unlock(&s->fmu);
}

void ccs__session_free(struct ccs__session *s)
{
    if (s == NULL)
        return;
    ccs__session_halt(s);
    if (s->started)
        pthread_join(s->thread, NULL);
    sides_free(s);
    ccs_scenario_free(s->sc);
    free(s->pts);
    free(s->ivs);
    free(s->full);
    free(s->delta);
    pthread_mutex_destroy(&s->mu);
    pthread_mutex_destroy(&s->fmu);
    pthread_cond_destroy(&s->fcv);
    free(s);
}

bool ccs__session_stopping(struct ccs__session *s)
{
    pthread_mutex_lock(&s->fmu);
    bool stop = s->stop;
    pthread_mutex_unlock(&s->fmu);
    return stop;
}

char *ccs__session_frame(struct ccs__session *s, uint64_t after, double wait_s, uint64_t *seq,
                         bool *is_full, size_t *len)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    double w = ts.tv_nsec * 1e-9 + wait_s;
    ts.tv_sec += (time_t)floor(w);
    ts.tv_nsec = (long)((w - floor(w)) * 1e9);
    pthread_mutex_lock(&s->fmu);
    while (!s->stop && s->seq <= after)
        if (pthread_cond_timedwait(&s->fcv, &s->fmu, &ts) == ETIMEDOUT)
            break;
    char *out = NULL;
    if (!s->stop && s->seq > after && s->full != NULL) {
        bool delta = after != 0 && after + 1 == s->seq && s->delta != NULL;
        const char *src = delta ? s->delta : s->full;
        size_t n = delta ? s->delta_len : s->full_len;
        out = ccs_malloc(n + 1);
        if (out != NULL) {
            memcpy(out, src, n + 1);
            *len = n;
            *seq = s->seq;
            *is_full = !delta;
        }
    }
    pthread_mutex_unlock(&s->fmu);
    return out;
}

char *ccs__session_catalog_json(struct ccs__session *s, size_t *len)
{
    char *buf = NULL;
    FILE *f = ccs__memstream(&buf, len);
    if (f == NULL)
        return NULL;
    pthread_mutex_lock(&s->mu);
    fputs("{\"playing\":", f);
    ccs__out_json_str(f, s->name);
    pthread_mutex_unlock(&s->mu);
    fputs(",\"scenarios\":[", f);
    for (size_t i = 0; i < ccs__catalog_count(s->cat); i++) {
        fputs(i ? "," : "", f);
        ccs__out_json_str(f, ccs__catalog_name(s->cat, i));
    }
    fputs("]}", f);
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

/* --- commands ------------------------------------------------------------------------ */

static void mark(struct ccs__session *s, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

static void mark(struct ccs__session *s, const char *fmt, ...)
{
    if (s->n_marks == MAX_MARKS)
        memmove(s->marks, s->marks + 1, (MAX_MARKS - 1) * sizeof *s->marks);
    else
        s->n_marks++;
    struct mark *m = &s->marks[s->n_marks - 1];
    m->t = s->clock;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(m->text, sizeof m->text, fmt, ap);
    va_end(ap);
}

static int bad(struct ccs_diag *d, const char *fmt, const char *arg)
{
    return ccs_diag_at(d, CCS_EINVAL, "ccsim serve", 0, 0, fmt, arg);
}

static int parse_num(const char *v, double lo, double hi, double *out)
{
    if (v == NULL || *v == '\0')
        return CCS_EINVAL;
    char *end;
    errno = 0;
    double x = strtod(v, &end);
    if (*end != '\0' || errno == ERANGE || !isfinite(x) || x < lo || x > hi)
        return CCS_EINVAL;
    *out = x;
    return 0;
}

/* A live change failed: name it, and keep the day running (a refused
   change changes nothing), unless the engine itself failed. */
static int live_failed(struct ccs__session *s, int rc, struct ccs_diag *d, const char *what)
{
    check_faults(s);
    if (rc == CCS_ESTATE && s->error == 0)
        return ccs_diag_at(d, rc, "ccsim serve", 0, 0, "%s: the day is over", what);
    if (d->code != 0)
        return rc;
    return ccs_diag_at(d, rc, "ccsim serve", 0, 0, "%s: %s", what, ccs_strerror(rc));
}

static long find_group(const struct ccs__session *s, const char *id)
{
    for (size_t g = 0; id != NULL && g < ccs_scenario_group_count(s->sc); g++)
        if (strcmp(ccs_scenario_group_id(s->sc, g), id) == 0)
            return (long)g;
    return -1;
}

static long find_queue(const struct ccs__session *s, const char *id)
{
    for (size_t q = 0; id != NULL && q < s->nq; q++)
        if (strcmp(ccs_scenario_queue_id(s->sc, q), id) == 0)
            return (long)q;
    return -1;
}

static int cmd_agents(struct ccs__session *s, const struct ccs__kv *kv, size_t n,
                      struct ccs_diag *d)
{
    const char *gid = ccs__kv_get(kv, n, "group");
    long g = find_group(s, gid);
    if (g < 0)
        return bad(d, "unknown group '%s'", gid ? gid : "");
    uint32_t now = ccs_live_agents(s->side[0].sim, (uint32_t)g);
    double want;
    const char *nv = ccs__kv_get(kv, n, "n"), *dv = ccs__kv_get(kv, n, "delta");
    if (nv != NULL) {
        if (parse_num(nv, 0, CCS_LIVE_MAX_AGENTS, &want) != 0 || want != floor(want))
            return bad(d, "'n' must be a whole number of agents from 0 to 10000, got '%s'", nv);
    } else if (dv != NULL) {
        double delta;
        if (parse_num(dv, -1e6, 1e6, &delta) != 0 || delta != floor(delta))
            return bad(d, "'delta' must be a whole number of agents, got '%s'", dv);
        want = fmin(fmax(now + delta, 0), CCS_LIVE_MAX_AGENTS);
    } else {
        return bad(d, "%s needs 'n' or 'delta'", "agents");
    }
    int rc = ccs_live_set_agents(s->side[0].sim, s->clock, (uint32_t)g, (uint32_t)want);
    if (rc != 0)
        return live_failed(s, rc, d, "agents");
    ccs_wb_advance(s->side[0].wb, s->clock); /* redraw the counts */
    mark(s, "%s: %u -> %u agents", gid, now, (uint32_t)want);
    return 0;
}

static int cmd_policy(struct ccs__session *s, const struct ccs__kv *kv, size_t n,
                      struct ccs_diag *d)
{
    const char *name = ccs__kv_get(kv, n, "name");
    const struct ccs_policy_ops *ops = name ? ccs_policy_find(name) : NULL;
    if (ops == NULL)
        return bad(d, "unknown routing policy '%s' (see ccsim policies)", name ? name : "");
    const char *old = ccs_live_policy(s->side[0].sim)->name;
    int rc = ccs_live_set_policy(s->side[0].sim, s->clock, ops, d);
    if (rc != 0)
        return live_failed(s, rc, d, "policy");
    ccs_wb_advance(s->side[0].wb, s->clock);
    mark(s, "policy %s -> %s", old, ops->name);
    return 0;
}

static int cmd_surge(struct ccs__session *s, const struct ccs__kv *kv, size_t n,
                     struct ccs_diag *d)
{
    const char *qid = ccs__kv_get(kv, n, "queue"), *fv = ccs__kv_get(kv, n, "factor");
    long q = CCS_NONE;
    if (qid != NULL && *qid != '\0' && strcmp(qid, "*") != 0) {
        q = find_queue(s, qid);
        if (q < 0)
            return bad(d, "unknown queue '%s'", qid);
    }
    double factor;
    if (parse_num(fv, 0, CCS_LIVE_MAX_SCALE, &factor) != 0)
        return bad(d, "'factor' must be a number from 0 to 100, got '%s'", fv ? fv : "");
    int rc = ccs_live_scale_arrivals(s->side[0].sim, s->clock, (uint32_t)q, factor);
    if (rc == CCS_EUNSUPPORTED)
        return bad(d, "queue '%s' replays a trace: its arrivals cannot be scaled", qid);
    if (rc != 0)
        return live_failed(s, rc, d, "surge");
    mark(s, "arrivals of %s x%g", q == (long)CCS_NONE ? "all queues" : qid, factor);
    return 0;
}

int ccs__session_command(struct ccs__session *s, const struct ccs__kv *kv, size_t n,
                         struct ccs_diag *d)
{
    const char *op = ccs__kv_get(kv, n, "op");
    if (op == NULL)
        return bad(d, "a command needs an 'op'%s", "");
    int rc = 0;
    pthread_mutex_lock(&s->mu);
    if (strcmp(op, "pause") == 0) {
        s->paused = true;
    } else if (strcmp(op, "resume") == 0) {
        s->paused = false;
        s->last_real = real_now();
    } else if (strcmp(op, "step") == 0) {
        s->paused = true;
        if (s->side[0].wb->status > 0 && s->error == 0) {
            ccs_wb_step(s->side[0].wb);
            double t = s->side[0].wb->now;
            if (t > s->clock)
                advance(s, t);
            check_faults(s);
        }
    } else if (strcmp(op, "speed") == 0) {
        double v;
        if (parse_num(ccs__kv_get(kv, n, "value"), 1.0 / 64, SPEED_MAX, &v) != 0)
            rc = bad(d, "'value' must be simulated seconds per real second, from 1/64 to "
                        "1000000%s", "");
        else
            s->speed = v;
    } else if (strcmp(op, "agents") == 0) {
        rc = cmd_agents(s, kv, n, d);
    } else if (strcmp(op, "policy") == 0) {
        rc = cmd_policy(s, kv, n, d);
    } else if (strcmp(op, "surge") == 0) {
        rc = cmd_surge(s, kv, n, d);
    } else if (strcmp(op, "restart") == 0 || strcmp(op, "seed") == 0) {
        uint64_t seed = s->seed;
        const char *v = ccs__kv_get(kv, n, "value");
        if (strcmp(op, "seed") == 0) {
            char *end;
            errno = 0;
            unsigned long long x = v && *v != '-' ? strtoull(v, &end, 10) : 0;
            if (v == NULL || *v == '\0' || *v == '-' || *end != '\0' || errno == ERANGE)
                rc = bad(d, "'value' must be a seed (a whole number), got '%s'", v ? v : "");
            seed = x;
        }
        if (rc == 0) {
            char name[sizeof s->name];
            memcpy(name, s->name, sizeof name);
            rc = play(s, s->sc, name, seed, d);
        }
    } else if (strcmp(op, "open") == 0) {
        const char *name = ccs__kv_get(kv, n, "name");
        long i = name ? ccs__catalog_find(s->cat, name) : -1;
        struct ccs_scenario *sc = NULL;
        if (i < 0)
            rc = bad(d, "no scenario '%s' here", name ? name : "");
        else if ((rc = ccs__catalog_load(s->cat, (size_t)i, &sc, d)) == 0)
            rc = play(s, sc, name, s->opts.has_seed ? s->opts.seed : ccs_scenario_seed(sc), d);
    } else {
        rc = bad(d, "unknown op '%s' (pause, resume, step, speed, agents, policy, surge, "
                    "restart, seed, open)",
                 op);
    }
    if (rc == 0)
        publish(s); /* viewers see the change at once */
    pthread_mutex_unlock(&s->mu);
    return rc;
}

int ccs__session_load_text(struct ccs__session *s, const char *text, size_t len,
                           struct ccs_diag *d)
{
    struct ccs_scenario *sc = NULL;
    int rc = ccs__scenario_from_text(text, len, &sc, d);
    if (rc != 0)
        return rc;
    pthread_mutex_lock(&s->mu);
    rc = play(s, sc, "edited.yaml", s->opts.has_seed ? s->opts.seed : ccs_scenario_seed(sc), d);
    if (rc == 0)
        publish(s);
    pthread_mutex_unlock(&s->mu);
    return rc;
}
