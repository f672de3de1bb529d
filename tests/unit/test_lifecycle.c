/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_lifecycle.c - channels and the contact lifecycle (issue 4), one small
 * deterministic scenario per mechanism with exact or tightly bounded
 * consequences: chat concurrency and slowdown, trunk lines, callbacks,
 * outbound campaigns, redials, transfers, resolution and repeat contacts,
 * e-mail backlog snapshots, costs. Every run goes through run(), which turns
 * on the engine's invariant checks and reconciles three independent
 * accounts of every contact: the trace, the KPIs and the engine's balance.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ccs/ccs.h"
#include "model/engine.h"
#include "support.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAXQ 8

/* --- helpers ------------------------------------------------------------------- */

static struct ccs_scenario *load(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;
static struct ccs_scenario *load(const char *fmt, ...)
{
    char yaml[8192];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(yaml, sizeof yaml, fmt, ap);
    va_end(ap);
    assert_true(n > 0 && (size_t)n < sizeof yaml);
    struct ccs_scenario *sc = load_yaml_string(yaml);
    if (sc == NULL)
        fail_msg("scenario did not load:\n%s", yaml);
    return sc;
}

static double get(const struct ccs_scenario *sc, const double *v, enum ccs_scope scope,
                  enum ccs_kpi kpi, int q, int g, int interval)
{
    long k = ccs_layout_find(ccs_scenario_layout(sc), scope, kpi, q, -1, g, interval);
    if (k < 0)
        fail_msg("no key %s/%s q=%d g=%d i=%d", ccs_scope_name(scope), ccs_kpi_info(kpi)->id, q,
                 g, interval);
    return v[k];
}

/* KPI of queue q, of group g, overall (whole run). */
static double QV(const struct ccs_scenario *sc, const double *v, enum ccs_kpi k, int q)
{
    return get(sc, v, CCS_SCOPE_QUEUE, k, q, -1, -1);
}
static double GV(const struct ccs_scenario *sc, const double *v, enum ccs_kpi k, int g)
{
    return get(sc, v, CCS_SCOPE_GROUP, k, -1, g, -1);
}
static double OV(const struct ccs_scenario *sc, const double *v, enum ccs_kpi k)
{
    return get(sc, v, CCS_SCOPE_OVERALL, k, -1, -1, -1);
}

#define assert_near(a, b, tol)                                                              \
    do {                                                                                    \
        double a_ = (a), b_ = (b), t_ = (tol);                                              \
        if (!(fabs(a_ - b_) <= t_))                                                         \
            fail_msg("%s = %.12g, want %s = %.12g (tolerance %g)", #a, a_, #b, b_, t_);     \
    } while (0)

/* Relative closeness for sums of floating-point durations. */
#define assert_close(a, b) assert_near(a, b, 1e-9 * (fabs((double)(b)) + 1))

typedef void (*trace_fn)(void *ctx, const struct ccs_trace_event *e);

/*
 * Per-queue account of every contact, kept from the trace alone: entries
 * (fresh arrivals, redials, repeats, transfer legs; campaign records are
 * not traced and come from the scenario) and exits (answered = a START that
 * is not a failed dial, abandoned, blocked, given up).
 */
struct tally {
    uint64_t fresh[MAXQ], redial[MAXQ], repeat[MAXQ], xfer_in[MAXQ];
    uint64_t answered[MAXQ], abandoned[MAXQ], blocked[MAXQ], gave_up[MAXQ];
    trace_fn fn; /* the test's own tracer, called after */
    void *ctx;
};

static void tally_trace(void *ctx, const struct ccs_trace_event *e)
{
    struct tally *t = ctx;
    int q = e->queue;
    if (q >= 0 && q < MAXQ) {
        switch (e->kind) {
        case CCS_TR_ARRIVE:
            if (e->reason == NULL)
                t->fresh[q]++;
            else if (strcmp(e->reason, "redial") == 0)
                t->redial[q]++;
            else if (strcmp(e->reason, "repeat contact") == 0)
                t->repeat[q]++;
            else
                fail_msg("arrival with reason '%s'", e->reason);
            break;
        case CCS_TR_TRANSFER:
            t->xfer_in[q]++;
            break;
        case CCS_TR_START:
            if (e->reason == NULL)
                t->answered[q]++;
            break;
        case CCS_TR_ABANDON:
            t->abandoned[q]++;
            break;
        case CCS_TR_BLOCK:
            t->blocked[q]++;
            break;
        case CCS_TR_GIVE_UP:
            t->gave_up[q]++;
            break;
        default:
            break;
        }
    }
    if (t->fn != NULL)
        t->fn(t->ctx, e);
}

/* A count KPI: a whole number, not negative. */
static uint64_t count_of(double x, const char *what, const char *queue)
{
    if (!(x >= 0 && x == floor(x) && x < 1e15))
        fail_msg("%s of %s is %g, not a count", what, queue, x);
    return (uint64_t)x;
}

/*
 * The three accounts agree, for every queue and overall:
 *   offered = answered + abandoned + blocked + failed + unfinished,
 *   offered = customers + redials + repeats + transfers in,
 * each term equals what the trace saw, unfinished is what is still in the
 * system, and the engine's balance is the sum over queues. Needs warmup 0.
 */
static void reconcile(const struct ccs_scenario *sc, const double *v, const struct tally *t,
                      const struct ccs_sim_balance *b)
{
    size_t nq = ccs_scenario_queue_count(sc);
    assert_true(nq <= MAXQ);
    assert_true(sc->warmup == 0);
    struct ccs_sim_balance sum;
    memset(&sum, 0, sizeof sum);
    uint64_t in_off = 0, in_ans = 0, in_ab = 0, in_bl = 0, in_fail = 0, in_unf = 0;
    for (size_t q = 0; q < nq; q++) {
        const char *id = ccs_scenario_queue_id(sc, q);
        const struct ccs_queue_def *qd = &sc->queues[q];
        uint64_t records = qd->campaign.on ? qd->campaign.records : 0;
        uint64_t off = count_of(QV(sc, v, CCS_KPI_offered, (int)q), "offered", id);
        uint64_t ans = count_of(QV(sc, v, CCS_KPI_answered, (int)q), "answered", id);
        uint64_t ab = count_of(QV(sc, v, CCS_KPI_abandoned, (int)q), "abandoned", id);
        uint64_t bl = count_of(QV(sc, v, CCS_KPI_blocked, (int)q), "blocked", id);
        uint64_t fail = count_of(QV(sc, v, CCS_KPI_failed, (int)q), "failed", id);
        uint64_t unf = count_of(QV(sc, v, CCS_KPI_unfinished, (int)q), "unfinished", id);
        uint64_t cust = count_of(QV(sc, v, CCS_KPI_customers, (int)q), "customers", id);
        uint64_t red = count_of(QV(sc, v, CCS_KPI_redials, (int)q), "redials", id);
        uint64_t rep = count_of(QV(sc, v, CCS_KPI_repeats, (int)q), "repeats", id);
        uint64_t entered = t->fresh[q] + t->redial[q] + t->repeat[q] + t->xfer_in[q] + records;
        uint64_t exited = t->answered[q] + t->abandoned[q] + t->blocked[q] + t->gave_up[q];
        if (off != ans + ab + bl + fail + unf)
            fail_msg("queue %s: offered %llu != answered %llu + abandoned %llu + blocked %llu + "
                     "failed %llu + unfinished %llu",
                     id, (unsigned long long)off, (unsigned long long)ans,
                     (unsigned long long)ab, (unsigned long long)bl, (unsigned long long)fail,
                     (unsigned long long)unf);
        if (off != cust + red + rep + t->xfer_in[q])
            fail_msg("queue %s: offered %llu != customers %llu + redials %llu + repeats %llu + "
                     "transfers in %llu",
                     id, (unsigned long long)off, (unsigned long long)cust,
                     (unsigned long long)red, (unsigned long long)rep,
                     (unsigned long long)t->xfer_in[q]);
        if (off != entered || cust != t->fresh[q] + records || red != t->redial[q] ||
            rep != t->repeat[q] || ans != t->answered[q] || ab != t->abandoned[q] ||
            bl != t->blocked[q] || fail != t->gave_up[q] || exited > entered ||
            unf != entered - exited)
            fail_msg("queue %s: KPIs disagree with the trace (offered %llu/%llu answered "
                     "%llu/%llu abandoned %llu/%llu blocked %llu/%llu failed %llu/%llu "
                     "unfinished %llu/%llu)",
                     id, (unsigned long long)off, (unsigned long long)entered,
                     (unsigned long long)ans, (unsigned long long)t->answered[q],
                     (unsigned long long)ab, (unsigned long long)t->abandoned[q],
                     (unsigned long long)bl, (unsigned long long)t->blocked[q],
                     (unsigned long long)fail, (unsigned long long)t->gave_up[q],
                     (unsigned long long)unf, (unsigned long long)(entered - exited));
        sum.arrivals += t->fresh[q];
        sum.redials += red;
        sum.repeats += rep;
        sum.transfers += t->xfer_in[q];
        sum.records += records;
        sum.answered += ans;
        sum.abandoned += ab;
        sum.blocked += bl;
        sum.failed += fail;
        sum.pending += unf;
        if (qd->channel != CCS_CH_OUTBOUND) {
            in_off += off;
            in_ans += ans;
            in_ab += ab;
            in_bl += bl;
            in_fail += fail;
            in_unf += unf;
        }
    }
    if (memcmp(&sum, b, sizeof sum) != 0)
        fail_msg("balance disagrees with the queues: arrivals %llu/%llu redials %llu/%llu "
                 "repeats %llu/%llu transfers %llu/%llu records %llu/%llu answered %llu/%llu "
                 "abandoned %llu/%llu blocked %llu/%llu failed %llu/%llu pending %llu/%llu",
                 (unsigned long long)b->arrivals, (unsigned long long)sum.arrivals,
                 (unsigned long long)b->redials, (unsigned long long)sum.redials,
                 (unsigned long long)b->repeats, (unsigned long long)sum.repeats,
                 (unsigned long long)b->transfers, (unsigned long long)sum.transfers,
                 (unsigned long long)b->records, (unsigned long long)sum.records,
                 (unsigned long long)b->answered, (unsigned long long)sum.answered,
                 (unsigned long long)b->abandoned, (unsigned long long)sum.abandoned,
                 (unsigned long long)b->blocked, (unsigned long long)sum.blocked,
                 (unsigned long long)b->failed, (unsigned long long)sum.failed,
                 (unsigned long long)b->pending, (unsigned long long)sum.pending);
    /* overall covers inbound queues, and its parts add up the same way */
    uint64_t o_off = count_of(OV(sc, v, CCS_KPI_offered), "offered", "overall");
    uint64_t o_ans = count_of(OV(sc, v, CCS_KPI_answered), "answered", "overall");
    uint64_t o_ab = count_of(OV(sc, v, CCS_KPI_abandoned), "abandoned", "overall");
    uint64_t o_bl = count_of(OV(sc, v, CCS_KPI_blocked), "blocked", "overall");
    uint64_t o_fail = count_of(OV(sc, v, CCS_KPI_failed), "failed", "overall");
    uint64_t o_unf = count_of(OV(sc, v, CCS_KPI_unfinished), "unfinished", "overall");
    if (o_off != in_off || o_ans != in_ans || o_ab != in_ab || o_bl != in_bl ||
        o_fail != in_fail || o_unf != in_unf || o_off != o_ans + o_ab + o_bl + o_fail + o_unf)
        fail_msg("overall: offered %llu (inbound queues %llu) answered %llu/%llu abandoned "
                 "%llu/%llu blocked %llu/%llu failed %llu/%llu unfinished %llu/%llu",
                 (unsigned long long)o_off, (unsigned long long)in_off,
                 (unsigned long long)o_ans, (unsigned long long)in_ans, (unsigned long long)o_ab,
                 (unsigned long long)in_ab, (unsigned long long)o_bl, (unsigned long long)in_bl,
                 (unsigned long long)o_fail, (unsigned long long)in_fail,
                 (unsigned long long)o_unf, (unsigned long long)in_unf);
}

struct result {
    double *v;
    struct ccs_sim_balance bal;
    struct tally t;
};

/*
 * Run replication rep of sc with invariant checks on and the trace going
 * to fn (may be NULL); reconcile the accounts. Free r->v afterwards.
 */
static void run(const struct ccs_scenario *sc, uint32_t rep, trace_fn fn, void *ctx,
                struct result *r)
{
    memset(r, 0, sizeof *r);
    r->t.fn = fn;
    r->t.ctx = ctx;
    struct ccs_sim *sim = NULL;
    struct ccs_diag d;
    ccs_diag_clear(&d);
    if (ccs_sim_new(sc, ccs_scenario_seed(sc), rep, &sim, &d) != 0)
        fail_msg("ccs_sim_new: %s", d.msg);
    ccs_sim_set_checks(sim, true);
    ccs_sim_set_trace(sim, tally_trace, &r->t);
    int rc = ccs_sim_run(sim);
    if (rc != 0)
        fail_msg("run failed (%d): %s", rc, ccs_sim_fault(sim) ? ccs_sim_fault(sim) : "");
    r->v = malloc(ccs_scenario_layout(sc)->n * sizeof *r->v);
    assert_non_null(r->v);
    ccs_sim_results(sim, r->v);
    ccs_sim_balance(sim, &r->bal);
    /* drained and nothing left in the system: every line taken was given back */
    if (sc->drain && r->bal.pending == 0)
        for (size_t t = 0; t < sc->n_trunks; t++)
            if (sim->trunk_busy[t] != 0)
                fail_msg("trunk %s: %u lines still busy after the run", sc->trunks[t].id,
                         sim->trunk_busy[t]);
    ccs_sim_free(sim);
    const struct ccs_sim_balance *b = &r->bal;
    assert_true(b->arrivals + b->redials + b->repeats + b->transfers + b->records ==
                b->answered + b->abandoned + b->blocked + b->failed + b->pending);
    reconcile(sc, r->v, &r->t, b);
}

/* A growing array of doubles indexed by contact serial (NAN when unset). */
struct serials {
    double *t;
    size_t n;
};

static double *at(struct serials *s, uint64_t serial)
{
    if (serial >= s->n) {
        size_t n = s->n ? s->n : 256;
        while (n <= serial)
            n *= 2;
        double *p = realloc(s->t, n * sizeof *p);
        assert_non_null(p);
        for (size_t i = s->n; i < n; i++)
            p[i] = NAN;
        s->t = p;
        s->n = n;
    }
    return &s->t[serial];
}

/* --- chat ------------------------------------------------------------------------ */

#define TWO_QUEUES                                                                         \
    "name: cv\n"                                                                           \
    "seed: 11\n"                                                                           \
    "horizon: 4h\n"                                                                        \
    "interval: 30m\n"                                                                      \
    "queues:\n"                                                                            \
    "  - id: q\n"                                                                          \
    "    channel: %s\n"                                                                    \
    "    arrivals: {rate: 40/h}\n"                                                         \
    "    handle_time: {dist: lognormal, mean: 5m, cv: 0.8}\n"                              \
    "    wrap_up: {dist: exponential, mean: 30s}\n"                                        \
    "    patience: {dist: exponential, mean: 2m}\n"                                        \
    "    redial: {probability: 50%%, delay: {dist: exponential, mean: 5m}}\n"              \
    "    transfers: [{to: r, probability: 20%%}]\n"                                        \
    "    resolution: {probability: 70%%, repeat_delay: {dist: exponential, mean: 30m}}\n"  \
    "  - id: r\n"                                                                          \
    "    channel: %s\n"                                                                    \
    "    arrivals: {rate: 10/h}\n"                                                         \
    "    handle_time: {dist: gamma, mean: 4m, cv: 0.5}\n"                                  \
    "    patience: {dist: exponential, mean: 3m}\n"                                        \
    "groups:\n"                                                                            \
    "  - {id: g, agents: 4, skills: [q, r]%s}\n"

/* Chat with one chat at a time is voice: the same seed gives the same bits. */
static void test_chat_concurrency_one_is_voice(void **state)
{
    (void)state;
    struct ccs_scenario *voice = load(TWO_QUEUES, "voice", "voice", "");
    struct ccs_scenario *chat =
        load(TWO_QUEUES, "chat", "chat", ", concurrency: 1, slowdown: 0.5");
    size_t n = ccs_scenario_layout(voice)->n;
    assert_int_equal(n, ccs_scenario_layout(chat)->n);
    for (uint32_t rep = 0; rep < 3; rep++) {
        struct result a, b;
        run(voice, rep, NULL, NULL, &a);
        run(chat, rep, NULL, NULL, &b);
        assert_true(OV(voice, a.v, CCS_KPI_abandoned) > 0);
        assert_true(OV(voice, a.v, CCS_KPI_redials) > 0);
        assert_true(OV(voice, a.v, CCS_KPI_transfers) > 0);
        assert_memory_equal(a.v, b.v, n * sizeof *a.v);
        assert_memory_equal(&a.bal, &b.bal, sizeof a.bal);
        free(a.v);
        free(b.v);
    }
    ccs_scenario_free(voice);
    ccs_scenario_free(chat);
}

/* Follows each agent's load from the trace: predicted talk and busy area. */
struct chat_watch {
    double handle, slowdown, horizon;
    unsigned capacity;
    int load[4], total, max_load;
    unsigned stretched, checked;
    double last, area, talk_sum;
    struct serials start, expect;
};

static void chat_trace(void *ctx, const struct ccs_trace_event *e)
{
    struct chat_watch *w = ctx;
    if (e->kind != CCS_TR_START && e->kind != CCS_TR_TALK_END)
        return;
    assert_true(e->agent >= 0 && e->agent < 4);
    double t0 = w->last < w->horizon ? w->last : w->horizon;
    double t1 = e->t < w->horizon ? e->t : w->horizon;
    w->area += (t1 - t0) * w->total / w->capacity;
    w->last = e->t;
    if (e->kind == CCS_TR_START) {
        int n = ++w->load[e->agent];
        w->total++;
        if (n > w->max_load)
            w->max_load = n;
        w->stretched += n > 1;
        double talk = w->handle * (1 + w->slowdown * (n - 1));
        *at(&w->start, e->contact) = e->t;
        *at(&w->expect, e->contact) = talk;
        w->talk_sum += talk;
    } else {
        w->load[e->agent]--;
        w->total--;
        double took = e->t - *at(&w->start, e->contact);
        double want = *at(&w->expect, e->contact);
        if (!(fabs(took - want) < 1e-6))
            fail_msg("chat %llu talked %.9g s, want %.9g s", (unsigned long long)e->contact,
                     took, want);
        w->checked++;
    }
}

/*
 * An agent holding n chats takes handle x (1 + slowdown (n - 1)) for the one
 * that just started; occupancy counts each held chat as 1/concurrency.
 */
static void test_chat_slowdown_and_occupancy(void **state)
{
    (void)state;
    struct ccs_scenario *sc = load("name: chat\n"
                                   "seed: 3\n"
                                   "horizon: 3h\n"
                                   "interval: 1h\n"
                                   "drain: true\n"
                                   "queues:\n"
                                   "  - id: c\n"
                                   "    channel: chat\n"
                                   "    arrivals: {rate: 50/h}\n"
                                   "    handle_time: {dist: deterministic, value: 4m}\n"
                                   "    patience: {dist: exponential, mean: 10m}\n"
                                   "groups:\n"
                                   "  - {id: d, agents: 2, concurrency: 3, slowdown: 0.5, "
                                   "skills: [c]}\n");
    struct chat_watch w;
    memset(&w, 0, sizeof w);
    w.handle = 240;
    w.slowdown = 0.5;
    w.capacity = 3;
    w.horizon = 3 * 3600;
    struct result r;
    run(sc, 0, chat_trace, &w, &r);
    double answered = QV(sc, r.v, CCS_KPI_answered, 0);
    assert_int_equal(w.max_load, 3);
    assert_true(w.stretched > answered / 4);
    assert_true(w.checked == (unsigned)answered);
    assert_close(QV(sc, r.v, CCS_KPI_talk_time, 0), w.talk_sum / answered);
    assert_close(GV(sc, r.v, CCS_KPI_occupancy, 0), w.area / (2 * w.horizon));
    free(r.v);
    free(w.start.t);
    free(w.expect.t);
    ccs_scenario_free(sc);
}

/* --- trunk lines ------------------------------------------------------------------- */

/*
 * Replays line use from the trace: a call takes a line when it enters a
 * trunked queue and gives it back when its talk ends, it abandons, or it
 * accepts a callback. An arrival is blocked exactly when all lines are busy.
 */
struct line_watch {
    struct serials holding; /* 1 while the contact holds a line */
    unsigned lines, in_use, max_in_use;
    uint64_t last_arrival; /* serial of the arrival being routed, 0: none */
    bool expect_block;
    unsigned blocked, admitted;
};

static void line_trace(void *ctx, const struct ccs_trace_event *e)
{
    struct line_watch *w = ctx;
    switch (e->kind) {
    case CCS_TR_ARRIVE:
        w->last_arrival = e->contact;
        w->expect_block = w->in_use == w->lines;
        break;
    case CCS_TR_BLOCK:
        if (e->contact != w->last_arrival || !w->expect_block)
            fail_msg("contact %llu blocked at %g with %u of %u lines busy",
                     (unsigned long long)e->contact, e->t, w->in_use, w->lines);
        w->blocked++;
        w->last_arrival = 0;
        break;
    case CCS_TR_ASSIGN:
    case CCS_TR_QUEUE:
        if (e->contact == w->last_arrival) {
            if (w->expect_block)
                fail_msg("contact %llu let in at %g with all %u lines busy",
                         (unsigned long long)e->contact, e->t, w->lines);
            w->in_use++;
            w->admitted++;
            *at(&w->holding, e->contact) = 1;
            if (w->in_use > w->max_in_use)
                w->max_in_use = w->in_use;
            w->last_arrival = 0;
        }
        break;
    case CCS_TR_TALK_END:
    case CCS_TR_ABANDON:
    case CCS_TR_CALLBACK:
        if (*at(&w->holding, e->contact) == 1) {
            assert_true(w->in_use > 0);
            w->in_use--;
            *at(&w->holding, e->contact) = 0;
        }
        break;
    default:
        break;
    }
}

/* Fewer lines than agents: nobody ever waits, calls are blocked instead. */
static void test_lines_fewer_than_agents(void **state)
{
    (void)state;
    struct ccs_scenario *sc = load("name: lines\n"
                                   "seed: 17\n"
                                   "horizon: 4h\n"
                                   "interval: 1h\n"
                                   "queues:\n"
                                   "  - id: v\n"
                                   "    arrivals: {rate: 2/min}\n"
                                   "    handle_time: {dist: exponential, mean: 3m}\n"
                                   "    patience: {dist: exponential, mean: 1m}\n"
                                   "    lines: 3\n"
                                   "groups:\n"
                                   "  - {id: g, agents: 5, skills: [v]}\n");
    struct line_watch w = {.lines = 3};
    struct result r;
    run(sc, 0, line_trace, &w, &r);
    assert_true(QV(sc, r.v, CCS_KPI_p_wait, 0) == 0);
    assert_true(QV(sc, r.v, CCS_KPI_abandoned, 0) == 0);
    assert_true(QV(sc, r.v, CCS_KPI_block_rate, 0) > 0.3);
    assert_int_equal(w.max_in_use, 3);
    assert_int_equal(w.blocked, (unsigned)QV(sc, r.v, CCS_KPI_blocked, 0));
    free(w.holding.t);
    free(r.v);
    ccs_scenario_free(sc);
}

/* The line is held during the talk only (not the wrap-up), across two queues
   sharing a trunk, and freed by an abandon or an accepted callback. */
static void test_shared_trunk(void **state)
{
    (void)state;
    struct ccs_scenario *sc =
        load("name: shared\n"
             "seed: 23\n"
             "horizon: 4h\n"
             "interval: 1h\n"
             "drain: true\n"
             "trunks:\n"
             "  - {id: t, lines: 4}\n"
             "queues:\n"
             "  - id: a\n"
             "    arrivals: {rate: 1/min}\n"
             "    handle_time: {dist: exponential, mean: 3m}\n"
             "    wrap_up: {dist: deterministic, value: 2m}\n"
             "    patience: {dist: exponential, mean: 1m}\n"
             "    callback: {offer_after: 20s, accept: 50%%}\n"
             "    trunk: t\n"
             "  - id: b\n"
             "    arrivals: {rate: 1/min}\n"
             "    handle_time: {dist: exponential, mean: 2m}\n"
             "    trunk: t\n"
             "groups:\n"
             "  - {id: g, agents: 5, skills: [a, b]}\n");
    struct line_watch w = {.lines = 4};
    struct result r;
    run(sc, 0, line_trace, &w, &r);
    assert_true(QV(sc, r.v, CCS_KPI_blocked, 0) > 0);
    assert_true(QV(sc, r.v, CCS_KPI_blocked, 1) > 0);
    assert_true(QV(sc, r.v, CCS_KPI_abandoned, 0) > 0);
    assert_true(QV(sc, r.v, CCS_KPI_callbacks_accepted, 0) > 0);
    assert_true(QV(sc, r.v, CCS_KPI_p_wait, 0) > 0); /* agents wrapping: calls wait */
    assert_int_equal(w.blocked, (unsigned)OV(sc, r.v, CCS_KPI_blocked));
    assert_int_equal(w.in_use, 0);
    free(w.holding.t);
    free(r.v);
    ccs_scenario_free(sc);
}

/* --- callbacks ------------------------------------------------------------------------ */

#define CALLBACK_SC                                                   \
    "name: cb\n"                                                      \
    "seed: 5\n"                                                       \
    "horizon: 3h\n"                                                   \
    "interval: 1h\n"                                                  \
    "drain: true\n"                                                   \
    "queues:\n"                                                       \
    "  - id: v\n"                                                     \
    "    arrivals: {rate: 3/min}\n"                                   \
    "    handle_time: {dist: exponential, mean: 2m}\n"                \
    "    patience: {dist: exponential, mean: 2m}\n"                   \
    "    callback: {%s}\n"                                            \
    "groups:\n"                                                       \
    "  - {id: g, agents: 6, skills: [v]}\n"

struct cb_watch {
    struct serials arrived, accepted, first_start;
    double max_abandon_wait, offer_after, min_delay;
    unsigned callbacks, dial_fails, returns, give_ups;
};

static void cb_trace(void *ctx, const struct ccs_trace_event *e)
{
    struct cb_watch *w = ctx;
    switch (e->kind) {
    case CCS_TR_ARRIVE:
        *at(&w->arrived, e->contact) = e->t;
        break;
    case CCS_TR_ABANDON:
        if (e->wait > w->max_abandon_wait)
            w->max_abandon_wait = e->wait;
        break;
    case CCS_TR_CALLBACK: {
        w->callbacks++;
        *at(&w->accepted, e->contact) = e->t;
        double offered_after = e->t - *at(&w->arrived, e->contact);
        if (!(fabs(offered_after - w->offer_after) < 1e-9))
            fail_msg("callback %llu accepted %.9g s after arrival, want %g",
                     (unsigned long long)e->contact, offered_after, w->offer_after);
        break;
    }
    case CCS_TR_START: {
        double acc = *at(&w->accepted, e->contact);
        if (!isnan(acc) && isnan(*at(&w->first_start, e->contact))) {
            *at(&w->first_start, e->contact) = e->t;
            if (e->t - acc < w->min_delay)
                w->min_delay = e->t - acc;
        }
        break;
    }
    case CCS_TR_DIAL_FAIL:
        w->dial_fails++;
        break;
    case CCS_TR_RETURN:
        w->returns++;
        break;
    case CCS_TR_GIVE_UP:
        w->give_ups++;
        break;
    default:
        break;
    }
}

static void cb_release(struct cb_watch *w)
{
    free(w->arrived.t);
    free(w->accepted.t);
    free(w->first_start.t);
}

/* Everyone accepts and is reached: every accepted callback is completed. */
static void test_callback_all_reached(void **state)
{
    (void)state;
    struct ccs_scenario *sc = load(CALLBACK_SC, "offer_after: 30s, accept: 100%, reach: 100%");
    struct cb_watch w;
    memset(&w, 0, sizeof w);
    w.offer_after = 30;
    w.min_delay = INFINITY;
    struct result r;
    run(sc, 0, cb_trace, &w, &r);
    double offered = QV(sc, r.v, CCS_KPI_callbacks_offered, 0);
    double accepted = QV(sc, r.v, CCS_KPI_callbacks_accepted, 0);
    assert_true(offered > 20);
    assert_true(accepted == offered);
    assert_true(QV(sc, r.v, CCS_KPI_callbacks_completed, 0) == accepted);
    assert_true(QV(sc, r.v, CCS_KPI_dials, 0) == accepted);
    assert_true(QV(sc, r.v, CCS_KPI_failed, 0) == 0);
    assert_true(QV(sc, r.v, CCS_KPI_unfinished, 0) == 0);
    assert_true(QV(sc, r.v, CCS_KPI_time_to_callback, 0) > 0);
    assert_int_equal(w.callbacks, (unsigned)accepted);
    /* nobody abandons after the offer: they all took it */
    assert_true(QV(sc, r.v, CCS_KPI_abandoned, 0) > 0);
    assert_true(w.max_abandon_wait <= 30);
    free(r.v);
    cb_release(&w);
    ccs_scenario_free(sc);
}

/* Nobody is ever reached: R + 1 dials per accepted callback, all given up. */
static void test_callback_never_reached(void **state)
{
    (void)state;
    struct ccs_scenario *sc = load(CALLBACK_SC, "offer_after: 30s, accept: 100%, reach: 0%, "
                                                "retries: 2, retry_delay: 5m, dial_time: 20s");
    struct cb_watch w;
    memset(&w, 0, sizeof w);
    w.offer_after = 30;
    w.min_delay = INFINITY;
    struct result r;
    run(sc, 0, cb_trace, &w, &r);
    double accepted = QV(sc, r.v, CCS_KPI_callbacks_accepted, 0);
    double answered = QV(sc, r.v, CCS_KPI_answered, 0);
    assert_true(accepted > 20);
    assert_true(QV(sc, r.v, CCS_KPI_dials, 0) == 3 * accepted);
    assert_true(QV(sc, r.v, CCS_KPI_failed, 0) == accepted);
    assert_true(QV(sc, r.v, CCS_KPI_callbacks_completed, 0) == 0);
    assert_true(isnan(QV(sc, r.v, CCS_KPI_time_to_callback, 0)));
    assert_int_equal(w.dial_fails, 3 * (unsigned)accepted);
    assert_int_equal(w.returns, 2 * (unsigned)accepted);
    assert_int_equal(w.give_ups, (unsigned)accepted);
    /* agent time = conversations + 20 s per failed dial */
    assert_close(QV(sc, r.v, CCS_KPI_agent_time, 0),
                 QV(sc, r.v, CCS_KPI_talk_time, 0) * answered + 20 * 3 * accepted);
    free(r.v);
    cb_release(&w);
    ccs_scenario_free(sc);
}

/* A scheduled callback is not dialled before schedule_after has passed. */
static void test_callback_schedule_after(void **state)
{
    (void)state;
    struct ccs_scenario *sc =
        load(CALLBACK_SC, "offer_after: 30s, accept: 100%, schedule_after: 10m");
    struct cb_watch w;
    memset(&w, 0, sizeof w);
    w.offer_after = 30;
    w.min_delay = INFINITY;
    struct result r;
    run(sc, 0, cb_trace, &w, &r);
    double completed = QV(sc, r.v, CCS_KPI_callbacks_completed, 0);
    assert_true(completed > 20);
    assert_true(completed == QV(sc, r.v, CCS_KPI_callbacks_accepted, 0));
    assert_true(w.min_delay >= 600 - 1e-9);
    assert_true(QV(sc, r.v, CCS_KPI_time_to_callback, 0) >= 600);
    assert_int_equal(w.returns, (unsigned)completed);
    free(r.v);
    cb_release(&w);
    ccs_scenario_free(sc);
}

/* Offered at arrival to everyone predicted to wait: nobody who waits abandons. */
static void test_callback_offer_if_predicted(void **state)
{
    (void)state;
    struct ccs_scenario *sc = load(CALLBACK_SC, "offer_if_predicted: 0s, accept: 100%");
    struct cb_watch w;
    memset(&w, 0, sizeof w);
    w.offer_after = 0; /* accepted at arrival */
    w.min_delay = INFINITY;
    struct result r;
    run(sc, 0, cb_trace, &w, &r);
    double offered = QV(sc, r.v, CCS_KPI_offered, 0);
    double waited = round(QV(sc, r.v, CCS_KPI_p_wait, 0) * offered);
    assert_true(waited > 20);
    assert_true(QV(sc, r.v, CCS_KPI_abandoned, 0) == 0);
    assert_true(QV(sc, r.v, CCS_KPI_callbacks_offered, 0) == waited);
    assert_true(QV(sc, r.v, CCS_KPI_callbacks_completed, 0) == waited);
    free(r.v);
    cb_release(&w);
    ccs_scenario_free(sc);
}

/* --- outbound campaigns ------------------------------------------------------------------ */

#define CAMPAIGN_SC                                                                          \
    "name: out\n"                                                                            \
    "seed: 9\n"                                                                              \
    "horizon: 8h\n"                                                                          \
    "interval: 1h\n"                                                                         \
    "drain: true\n"                                                                          \
    "queues:\n"                                                                              \
    "  - id: o\n"                                                                            \
    "    channel: outbound\n"                                                                \
    "    handle_time: {dist: exponential, mean: 3m}\n"                                       \
    "    campaign: {records: %d, connect: %s, right_party: %s, retries: %d, retry_delay: "   \
    "10m, dial_time: 20s, wrong_party_time: 40s}\n"                                          \
    "groups:\n"                                                                              \
    "  - {id: g, agents: 10, skills: [o]}\n"

static void test_campaign_exact(void **state)
{
    (void)state;
    struct result r;
    /* everyone answers at the first dial */
    struct ccs_scenario *sc = load(CAMPAIGN_SC, 60, "100%", "100%", 2);
    run(sc, 0, NULL, NULL, &r);
    assert_true(QV(sc, r.v, CCS_KPI_offered, 0) == 60);
    assert_true(QV(sc, r.v, CCS_KPI_customers, 0) == 60);
    assert_true(QV(sc, r.v, CCS_KPI_answered, 0) == 60);
    assert_true(QV(sc, r.v, CCS_KPI_dials, 0) == 60);
    assert_true(QV(sc, r.v, CCS_KPI_connects, 0) == 60);
    assert_true(QV(sc, r.v, CCS_KPI_right_party, 0) == 60);
    assert_true(QV(sc, r.v, CCS_KPI_failed, 0) == 0);
    free(r.v);
    ccs_scenario_free(sc);

    /* nobody answers: R + 1 dials of 20 s each, then given up */
    sc = load(CAMPAIGN_SC, 60, "0%", "100%", 3);
    run(sc, 0, NULL, NULL, &r);
    assert_true(QV(sc, r.v, CCS_KPI_dials, 0) == 4 * 60);
    assert_true(QV(sc, r.v, CCS_KPI_failed, 0) == 60);
    assert_true(QV(sc, r.v, CCS_KPI_answered, 0) == 0);
    assert_true(QV(sc, r.v, CCS_KPI_connects, 0) == 0);
    assert_close(QV(sc, r.v, CCS_KPI_agent_time, 0), 4 * 60 * 20.0);
    free(r.v);
    ccs_scenario_free(sc);

    /* always a wrong party: given up at once, 40 s each */
    sc = load(CAMPAIGN_SC, 60, "100%", "0%", 3);
    run(sc, 0, NULL, NULL, &r);
    assert_true(QV(sc, r.v, CCS_KPI_dials, 0) == 60);
    assert_true(QV(sc, r.v, CCS_KPI_connects, 0) == 60);
    assert_true(QV(sc, r.v, CCS_KPI_right_party, 0) == 0);
    assert_true(QV(sc, r.v, CCS_KPI_failed, 0) == 60);
    assert_close(QV(sc, r.v, CCS_KPI_agent_time, 0), 60 * 40.0);
    free(r.v);
    ccs_scenario_free(sc);
}

/*
 * connect 50%, right party 50%, one retry. Per record: reached with
 * probability 1/4 + 1/2 x 1/4 = 3/8; connects (0 or 1) with 1/2 + 1/4 = 3/4;
 * 1 or 2 dials with probability 1/2 each. Within 4.5 standard deviations.
 */
static void test_campaign_binomial(void **state)
{
    (void)state;
    const double n = 4000;
    struct ccs_scenario *sc = load(CAMPAIGN_SC, (int)n, "50%", "50%", 1);
    struct result r;
    run(sc, 0, NULL, NULL, &r);
    double ans = QV(sc, r.v, CCS_KPI_answered, 0);
    assert_near(ans, n * 3 / 8, 4.5 * sqrt(n * 3 / 8 * 5 / 8));
    assert_near(QV(sc, r.v, CCS_KPI_connects, 0), n * 3 / 4, 4.5 * sqrt(n * 3 / 4 / 4));
    assert_near(QV(sc, r.v, CCS_KPI_dials, 0), n * 1.5, 4.5 * sqrt(n / 4));
    assert_true(QV(sc, r.v, CCS_KPI_right_party, 0) == ans);
    assert_true(QV(sc, r.v, CCS_KPI_failed, 0) == n - ans);
    free(r.v);
    ccs_scenario_free(sc);
}

/* --- redials ------------------------------------------------------------------------------- */

struct redial_watch {
    struct serials is_redial; /* 1 if the contact is a redial */
    struct serials due;       /* when a redial will come */
    unsigned first_ab, later_ab, redial_events;
    double delay_sum;
};

static void redial_trace(void *ctx, const struct ccs_trace_event *e)
{
    struct redial_watch *w = ctx;
    if (e->kind == CCS_TR_ARRIVE) {
        *at(&w->is_redial, e->contact) = e->reason != NULL;
        if (e->reason != NULL && !(fabs(e->t - *at(&w->due, e->contact)) < 1e-9))
            fail_msg("redial %llu came at %.9g, due at %.9g", (unsigned long long)e->contact,
                     e->t, *at(&w->due, e->contact));
    } else if (e->kind == CCS_TR_REDIAL) {
        *at(&w->due, e->contact) = e->t + e->wait;
        w->delay_sum += e->wait;
    }
    if (e->kind == CCS_TR_ABANDON) {
        if (*at(&w->is_redial, e->contact) == 1)
            w->later_ab++;
        else
            w->first_ab++;
    } else if (e->kind == CCS_TR_REDIAL)
        w->redial_events++;
}

static void test_redials(void **state)
{
    (void)state;
    const char *yaml = "name: redial\n"
                       "seed: 4\n"
                       "horizon: 4h\n"
                       "interval: 1h\n"
                       "drain: true\n"
                       "queues:\n"
                       "  - id: v\n"
                       "    arrivals: {rate: 2/min}\n"
                       "    handle_time: {dist: exponential, mean: 3m}\n"
                       "    patience: {dist: exponential, mean: 1m}\n"
                       "    redial: {probability: 100%%, delay: {dist: %s, mean: 2m}, max: %d}\n"
                       "groups:\n"
                       "  - {id: g, agents: 5, skills: [v]}\n";
    for (int max = 1; max <= 2; max++) {
        /* once with a fixed delay, once exponential */
        struct ccs_scenario *sc = load(yaml, max == 1 ? "deterministic" : "exponential", max);
        struct redial_watch w;
        memset(&w, 0, sizeof w);
        struct result r;
        run(sc, 0, redial_trace, &w, &r);
        double redials = QV(sc, r.v, CCS_KPI_redials, 0);
        assert_true(w.first_ab > 50 && w.later_ab > 10);
        if (max == 1) {
            /* every first-attempt abandoner redials, and only once */
            assert_true(redials == w.first_ab);
        } else {
            /* every abandoner redials but the second redial's */
            assert_true(redials > w.first_ab && redials < w.first_ab + w.later_ab);
        }
        assert_true(w.redial_events == redials);
        /* each comes back after its drawn delay, of mean 2 min */
        if (max == 1)
            assert_near(w.delay_sum, 120 * redials, 1e-6);
        else
            assert_near(w.delay_sum / redials, 120, 4.5 * 120 / sqrt(redials));
        assert_true(r.bal.redials == redials);
        assert_true(QV(sc, r.v, CCS_KPI_customers, 0) + redials ==
                    QV(sc, r.v, CCS_KPI_offered, 0));
        free(r.v);
        free(w.is_redial.t);
        free(w.due.t);
        ccs_scenario_free(sc);
    }
}

/* --- transfers ------------------------------------------------------------------------------ */

#define TRANSFER_SC                                                                         \
    "name: xfer\n"                                                                          \
    "seed: 21\n"                                                                            \
    "horizon: 4h\n"                                                                         \
    "interval: 1h\n"                                                                        \
    "drain: true\n"                                                                         \
    "queues:\n"                                                                             \
    "  - id: a\n"                                                                           \
    "    arrivals: {rate: 1/min}\n"                                                         \
    "    handle_time: {dist: exponential, mean: 3m}\n"                                      \
    "    patience: {dist: exponential, mean: 2m}\n"                                         \
    "    transfers: [{to: b, probability: 100%%, mode: %s, handle_time: {dist: "           \
    "deterministic, value: 90s}}]\n"                                                        \
    "  - id: b\n"                                                                           \
    "    arrivals: none\n"                                                                  \
    "    handle_time: {dist: exponential, mean: 5m}\n"                                      \
    "%s"                                                                                    \
    "groups:\n"                                                                             \
    "  - {id: ga, agents: 4, skills: [a]}\n"                                                \
    "  - {id: gb, agents: 1, skills: [b]}\n"

/*
 * Busy agents of group ga (the source) from the trace: busy from the start
 * of an a-conversation until its talk ends (cold) or until the leg it
 * transferred is answered (consult); and the total of those consult holds.
 */
struct xfer_watch {
    bool consult;
    unsigned callbacks; /* consult holds ended by the leg accepting a callback */
    double horizon, last, area, holds;
    int busy;
    uint64_t talked; /* serial of the a-contact whose talk just ended */
    struct serials xfer_at;
};

static void xfer_busy(struct xfer_watch *w, double t, int delta)
{
    double t0 = w->last < w->horizon ? w->last : w->horizon;
    double t1 = t < w->horizon ? t : w->horizon;
    w->area += (t1 - t0) * w->busy;
    w->last = t;
    w->busy += delta;
}

static void xfer_trace(void *ctx, const struct ccs_trace_event *e)
{
    struct xfer_watch *w = ctx;
    if (e->kind == CCS_TR_START && e->queue == 0) {
        xfer_busy(w, e->t, +1);
    } else if (e->kind == CCS_TR_TALK_END && e->queue == 0) {
        w->talked = e->contact;
        if (!w->consult)
            xfer_busy(w, e->t, -1);
    } else if (e->kind == CCS_TR_TRANSFER) {
        assert_true(w->talked != 0);
        assert_true(strcmp(e->reason, w->consult ? "consult" : "cold") == 0);
        *at(&w->xfer_at, e->contact) = e->t;
        w->talked = 0;
    } else if ((e->kind == CCS_TR_START || e->kind == CCS_TR_CALLBACK) && e->queue == 1 &&
               w->consult && !isnan(*at(&w->xfer_at, e->contact))) {
        /* answered, or the caller hung up for a callback: the hold ends */
        w->holds += e->t - *at(&w->xfer_at, e->contact);
        *at(&w->xfer_at, e->contact) = NAN;
        w->callbacks += e->kind == CCS_TR_CALLBACK;
        xfer_busy(w, e->t, -1);
    }
}

static void test_transfer_cold(void **state)
{
    (void)state;
    struct ccs_scenario *sc = load(TRANSFER_SC, "cold", "");
    struct xfer_watch w;
    memset(&w, 0, sizeof w);
    w.horizon = 4 * 3600;
    struct result r;
    run(sc, 0, xfer_trace, &w, &r);
    double ended = QV(sc, r.v, CCS_KPI_answered, 0); /* drained: every conversation ended */
    assert_true(ended > 100);
    assert_true(QV(sc, r.v, CCS_KPI_offered, 1) == ended);
    assert_true(QV(sc, r.v, CCS_KPI_transfers, 0) == ended);
    assert_true(QV(sc, r.v, CCS_KPI_transfer_rate, 0) == 1);
    assert_true(QV(sc, r.v, CCS_KPI_customers, 1) == 0);
    assert_true(r.t.xfer_in[1] == ended);
    /* legs talk for the transfer's own handle time */
    assert_close(QV(sc, r.v, CCS_KPI_talk_time, 1), 90);
    /* cold: the first agent is free when the talk ends */
    assert_close(QV(sc, r.v, CCS_KPI_agent_time, 0),
                 QV(sc, r.v, CCS_KPI_talk_time, 0) * ended);
    assert_close(GV(sc, r.v, CCS_KPI_occupancy, 0), w.area / (4 * w.horizon));
    free(r.v);
    free(w.xfer_at.t);
    ccs_scenario_free(sc);
}

/* Consult: the first agent stays busy until the target answers. */
static void test_transfer_consult(void **state)
{
    (void)state;
    struct ccs_scenario *cold = load(TRANSFER_SC, "cold", "");
    struct ccs_scenario *sc = load(TRANSFER_SC, "consult", "");
    struct xfer_watch w;
    memset(&w, 0, sizeof w);
    w.consult = true;
    w.horizon = 4 * 3600;
    struct result r, rc;
    run(sc, 0, xfer_trace, &w, &r);
    run(cold, 0, NULL, NULL, &rc);
    double ended = QV(sc, r.v, CCS_KPI_answered, 0);
    assert_true(QV(sc, r.v, CCS_KPI_offered, 1) == ended);
    assert_true(w.holds > 60 * ended); /* one agent in b: legs wait */
    assert_int_equal(w.busy, 0);
    assert_close(QV(sc, r.v, CCS_KPI_agent_time, 0),
                 QV(sc, r.v, CCS_KPI_talk_time, 0) * ended + w.holds);
    assert_close(GV(sc, r.v, CCS_KPI_occupancy, 0), w.area / (4 * w.horizon));
    assert_true(GV(sc, r.v, CCS_KPI_occupancy, 0) > GV(cold, rc.v, CCS_KPI_occupancy, 0) + 0.1);
    free(r.v);
    free(rc.v);
    free(w.xfer_at.t);
    ccs_scenario_free(sc);
    ccs_scenario_free(cold);
}

/* A leg whose caller takes a callback has hung up: the consult hold ends there. */
static void test_transfer_consult_callback(void **state)
{
    (void)state;
    struct ccs_scenario *sc =
        load(TRANSFER_SC, "consult",
             "    callback: {offer_after: 1m, accept: 50%, schedule_after: 20m}\n");
    struct xfer_watch w;
    memset(&w, 0, sizeof w);
    w.consult = true;
    w.horizon = 4 * 3600;
    struct result r;
    run(sc, 0, xfer_trace, &w, &r);
    double ended = QV(sc, r.v, CCS_KPI_answered, 0);
    assert_true(w.callbacks > 10);
    assert_true(w.callbacks == QV(sc, r.v, CCS_KPI_callbacks_accepted, 1));
    assert_int_equal(w.busy, 0);
    assert_close(QV(sc, r.v, CCS_KPI_agent_time, 0),
                 QV(sc, r.v, CCS_KPI_talk_time, 0) * ended + w.holds);
    assert_close(GV(sc, r.v, CCS_KPI_occupancy, 0), w.area / (4 * w.horizon));
    free(r.v);
    free(w.xfer_at.t);
    ccs_scenario_free(sc);
}

/*
 * One line, a 1-minute talk in a and a 10-minute talk in b after a cold
 * transfer: the line moves with the call, so a call is let in only 11
 * minutes after the previous one (nobody waits, so that is exact), and the
 * line minutes are priced at the trunk the call holds, wherever it is.
 * Transferred to a chat queue, the caller hangs up: the line is free after
 * the first minute.
 */
struct move_watch {
    double hold, last_admit;
    uint64_t last_arrival;
    unsigned admitted, blocked;
};

static void move_trace(void *ctx, const struct ccs_trace_event *e)
{
    struct move_watch *w = ctx;
    if (e->kind == CCS_TR_ARRIVE && e->queue == 0) {
        w->last_arrival = e->contact;
        if (e->t < w->last_admit + w->hold) {
            w->blocked++;
        } else {
            w->admitted++;
            w->last_admit = e->t;
        }
    } else if (e->kind == CCS_TR_BLOCK) {
        if (!(e->contact == w->last_arrival && e->t < w->last_admit + w->hold))
            fail_msg("call %llu blocked at %g, the line was free since %g",
                     (unsigned long long)e->contact, e->t, w->last_admit + w->hold);
    } else if (e->kind == CCS_TR_ASSIGN && e->contact == w->last_arrival) {
        if (e->t != w->last_admit)
            fail_msg("call %llu let in at %g while the line was held until %g",
                     (unsigned long long)e->contact, e->t, w->last_admit + w->hold);
    }
}

static void test_transfer_line_moves(void **state)
{
    (void)state;
    const char *yaml = "name: move\n"
                       "seed: 8\n"
                       "horizon: 6h\n"
                       "interval: 1h\n"
                       "drain: true\n"
                       "trunks:\n"
                       "  - {id: t, lines: 1, cost_per_minute: 1}\n"
                       "queues:\n"
                       "  - id: a\n"
                       "    arrivals: {rate: 12/h}\n"
                       "    handle_time: {dist: deterministic, value: 1m}\n"
                       "    trunk: t\n"
                       "    transfers: [{to: b, probability: 100%%}]\n"
                       "  - id: b\n"
                       "    channel: %s\n"
                       "    arrivals: none\n"
                       "    handle_time: {dist: deterministic, value: 10m}\n"
                       "%s"
                       "groups:\n"
                       "  - {id: ga, agents: 2, skills: [a]}\n"
                       "  - {id: gb, agents: 2, skills: [b]}\n";
    static const struct {
        const char *channel, *trunk;
        double hold;
    } cases[] = {
        {"voice", "    trunk: t\n", 660}, /* both queues on the trunk */
        {"voice", "", 660},                /* b has no lines of its own */
        {"chat", "", 60},                  /* continues in chat: hangs up */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct ccs_scenario *sc = load(yaml, cases[i].channel, cases[i].trunk);
        struct move_watch w = {.hold = cases[i].hold, .last_admit = -INFINITY};
        struct result r;
        run(sc, 0, move_trace, &w, &r);
        double answered = QV(sc, r.v, CCS_KPI_answered, 0);
        assert_true(w.blocked > 10);
        assert_true(answered == w.admitted);
        assert_true(QV(sc, r.v, CCS_KPI_blocked, 0) == w.blocked);
        assert_true(QV(sc, r.v, CCS_KPI_p_wait, 0) == 0);
        assert_close(OV(sc, r.v, CCS_KPI_cost), answered * cases[i].hold / 60);
        free(r.v);
        ccs_scenario_free(sc);
    }
}

/* --- resolution and repeat contacts ------------------------------------------------------ */

#define RESOLUTION_SC                                                                       \
    "name: fcr\n"                                                                           \
    "seed: 31\n"                                                                            \
    "horizon: 8h\n"                                                                         \
    "interval: 1h\n"                                                                        \
    "drain: true\n"                                                                         \
    "queues:\n"                                                                             \
    "  - id: v\n"                                                                           \
    "    arrivals: {rate: 3/min}\n"                                                         \
    "    handle_time: {dist: exponential, mean: 2m}\n"                                      \
    "    resolution: {probability: 60%%, repeat_delay: {dist: exponential, mean: 1h}, "    \
    "repeat_queue: e, max_repeats: 1}\n"                                                    \
    "  - id: e\n"                                                                           \
    "    channel: email\n"                                                                  \
    "    arrivals: none\n"                                                                  \
    "    handle_time: {dist: exponential, mean: 5m}\n"                                      \
    "groups:\n"                                                                             \
    "  - {id: g, agents: 9, skills: [{queue: v, level: %s}]}\n"                             \
    "  - {id: m, agents: 3, skills: [e]}\n"

/*
 * FCR is p at proficiency 1 and 1 - (1 - p)^2 at proficiency 2 (4.5
 * standard deviations); every unresolved customer comes back once, by
 * e-mail.
 */
static void test_resolution(void **state)
{
    (void)state;
    static const struct {
        const char *level;
        double p;
    } cases[] = {{"1", 0.6}, {"2", 1 - 0.4 * 0.4}};
    for (size_t i = 0; i < 2; i++) {
        struct ccs_scenario *sc = load(RESOLUTION_SC, cases[i].level);
        struct result r;
        run(sc, 0, NULL, NULL, &r);
        double n = QV(sc, r.v, CCS_KPI_answered, 0), p = cases[i].p;
        double fcr = QV(sc, r.v, CCS_KPI_fcr, 0);
        assert_true(n > 1200);
        assert_near(fcr, p, 4.5 * sqrt(p * (1 - p) / n));
        double unresolved = round((1 - fcr) * n);
        assert_near(QV(sc, r.v, CCS_KPI_repeat_rate, 0), 1 - fcr, 1e-12);
        assert_true(QV(sc, r.v, CCS_KPI_repeats, 1) == unresolved);
        assert_true(QV(sc, r.v, CCS_KPI_offered, 1) == unresolved);
        assert_true(QV(sc, r.v, CCS_KPI_customers, 1) == 0);
        assert_true(r.t.repeat[0] == 0);
        free(r.v);
        ccs_scenario_free(sc);
    }
}

/* Never resolved: each customer comes back exactly max_repeats times. */
static void test_max_repeats(void **state)
{
    (void)state;
    const char *yaml = "name: rep\n"
                       "seed: 2\n"
                       "horizon: 2h\n"
                       "interval: 1h\n"
                       "drain: true\n"
                       "queues:\n"
                       "  - id: v\n"
                       "    arrivals: {rate: 1/min}\n"
                       "    handle_time: {dist: exponential, mean: 2m}\n"
                       "    resolution: {probability: 0%%, repeat_delay: {dist: exponential, "
                       "mean: 20m}, max_repeats: %d}\n"
                       "groups:\n"
                       "  - {id: g, agents: 6, skills: [v]}\n";
    for (int max = 0; max <= 2; max++) {
        struct ccs_scenario *sc = load(yaml, max);
        struct result r;
        run(sc, 0, NULL, NULL, &r);
        double customers = QV(sc, r.v, CCS_KPI_customers, 0);
        assert_true(customers > 80);
        assert_true(QV(sc, r.v, CCS_KPI_repeats, 0) == max * customers);
        assert_true(QV(sc, r.v, CCS_KPI_fcr, 0) == 0);
        assert_true(QV(sc, r.v, CCS_KPI_repeat_rate, 0) == 1);
        free(r.v);
        ccs_scenario_free(sc);
    }
}

/*
 * Each decision about a fresh arrival has its own stream (lifecycle.c), so a
 * variant that adds a mechanism that never fires sees the same customers
 * making the same decisions: a transfer of probability 0, or callbacks
 * nobody accepts, leave every other figure of the queue unchanged.
 */
static void test_decision_streams(void **state)
{
    (void)state;
    const char *yaml = "name: crn\n"
                       "seed: 41\n"
                       "horizon: 4h\n"
                       "interval: 1h\n"
                       "drain: true\n"
                       "queues:\n"
                       "  - id: v\n"
                       "    arrivals: {rate: 2/min}\n"
                       "    handle_time: {dist: exponential, mean: 3m}\n"
                       "    patience: {dist: exponential, mean: 2m}\n"
                       "    resolution: {probability: 60%%, repeat_delay: {dist: exponential, "
                       "mean: 1h}, repeat_queue: r}\n"
                       "%s"
                       "  - id: r\n"
                       "    arrivals: none\n"
                       "    handle_time: {dist: exponential, mean: 3m}\n"
                       "groups:\n"
                       "  - {id: g, agents: 6, skills: [v]}\n"
                       "  - {id: h, agents: 2, skills: [r]}\n";
    static const char *const variants[] = {
        "    transfers: [{to: r, probability: 0%}]\n",
        "    callback: {offer_after: 30s, accept: 0%}\n",
    };
    struct ccs_scenario *base = load(yaml, "");
    struct result b;
    run(base, 0, NULL, NULL, &b);
    for (size_t i = 0; i < 2; i++) {
        struct ccs_scenario *sc = load(yaml, variants[i]);
        struct result r;
        run(sc, 0, NULL, NULL, &r);
        if (i == 1)
            assert_true(QV(sc, r.v, CCS_KPI_callbacks_offered, 0) > 10);
        for (int k = 0; k < CCS_KPI_COUNT_; k++) {
            if (k == CCS_KPI_callbacks_offered)
                continue;
            long kb = ccs_layout_find(ccs_scenario_layout(base), CCS_SCOPE_QUEUE,
                                      (enum ccs_kpi)k, 0, -1, -1, -1);
            long kv = ccs_layout_find(ccs_scenario_layout(sc), CCS_SCOPE_QUEUE,
                                      (enum ccs_kpi)k, 0, -1, -1, -1);
            assert_true((kb < 0) == (kv < 0));
            if (kb >= 0 && memcmp(&b.v[kb], &r.v[kv], sizeof(double)) != 0)
                fail_msg("variant %zu changed %s of queue v: %.17g -> %.17g", i,
                         ccs_kpi_info((enum ccs_kpi)k)->id, b.v[kb], r.v[kv]);
        }
        free(r.v);
        ccs_scenario_free(sc);
    }
    free(b.v);
    ccs_scenario_free(base);
}

/* --- e-mail backlog ---------------------------------------------------------------------- */

struct backlog_watch {
    double arrivals[4096];
    unsigned n;
};

static void backlog_trace(void *ctx, const struct ccs_trace_event *e)
{
    struct backlog_watch *w = ctx;
    if (e->kind == CCS_TR_ARRIVE && e->queue == 1) {
        assert_true(w->n < 4096);
        w->arrivals[w->n++] = e->t;
    }
}

/* A queue nobody serves holds exactly its arrivals; its age is that of the first. */
static void test_backlog_snapshots(void **state)
{
    (void)state;
    struct ccs_scenario *sc = load("name: backlog\n"
                                   "seed: 13\n"
                                   "horizon: 5h\n"
                                   "interval: 1h\n"
                                   "queues:\n"
                                   "  - id: v\n"
                                   "    arrivals: {rate: 2/min}\n"
                                   "    handle_time: {dist: exponential, mean: 2m}\n"
                                   "  - id: e\n"
                                   "    channel: email\n"
                                   "    arrivals: {rate: 12/h}\n"
                                   "    handle_time: {dist: exponential, mean: 5m}\n"
                                   "groups:\n"
                                   "  - {id: g, agents: 4, skills: [v]}\n");
    static struct backlog_watch w;
    w.n = 0;
    struct result r;
    run(sc, 0, backlog_trace, &w, &r);
    assert_true(w.n > 30);
    for (int i = 0; i < 5; i++) {
        double end = (i + 1) * 3600.0;
        unsigned n = 0;
        while (n < w.n && w.arrivals[n] < end)
            n++;
        double backlog = get(sc, r.v, CCS_SCOPE_QUEUE, CCS_KPI_backlog, 1, -1, i);
        double age = get(sc, r.v, CCS_SCOPE_QUEUE, CCS_KPI_backlog_age, 1, -1, i);
        assert_true(backlog == n);
        assert_close(age, n > 0 ? end - w.arrivals[0] : 0);
        double vb = get(sc, r.v, CCS_SCOPE_QUEUE, CCS_KPI_backlog, 0, -1, i);
        double va = get(sc, r.v, CCS_SCOPE_QUEUE, CCS_KPI_backlog_age, 0, -1, i);
        assert_true(get(sc, r.v, CCS_SCOPE_OVERALL, CCS_KPI_backlog, -1, -1, i) == backlog + vb);
        assert_true(get(sc, r.v, CCS_SCOPE_OVERALL, CCS_KPI_backlog_age, -1, -1, i) ==
                    fmax(age, va));
    }
    assert_true(QV(sc, r.v, CCS_KPI_unfinished, 1) == w.n);
    assert_true(QV(sc, r.v, CCS_KPI_answered, 1) == 0);
    /* per interval only: no whole-run backlog key */
    assert_true(ccs_layout_find(ccs_scenario_layout(sc), CCS_SCOPE_QUEUE, CCS_KPI_backlog, 1, -1,
                                -1, -1) < 0);
    free(r.v);
    ccs_scenario_free(sc);
}

/* --- costs ------------------------------------------------------------------------------------ */

static void test_agent_cost(void **state)
{
    (void)state;
    struct ccs_scenario *sc = load("name: cost\n"
                                   "seed: 1\n"
                                   "horizon: 8h\n"
                                   "interval: 1h\n"
                                   "queues:\n"
                                   "  - id: v\n"
                                   "    arrivals: {rate: 1/min}\n"
                                   "    handle_time: {dist: exponential, mean: 3m}\n"
                                   "groups:\n"
                                   "  - {id: g, agents: 3, skills: [v], cost_per_hour: 25}\n"
                                   "  - {id: h, agents: 2, skills: [v], cost_per_hour: 40}\n");
    struct result r;
    run(sc, 0, NULL, NULL, &r);
    assert_close(GV(sc, r.v, CCS_KPI_cost, 0), 3 * 8 * 25.0);
    assert_close(GV(sc, r.v, CCS_KPI_cost, 1), 2 * 8 * 40.0);
    assert_close(OV(sc, r.v, CCS_KPI_cost), 3 * 8 * 25.0 + 2 * 8 * 40.0);
    free(r.v);
    ccs_scenario_free(sc);
}

/*
 * Overall cost = agent-hours x cost_per_hour + line minutes x cost_per_minute
 * + dials x cost per dial (results.c, total_cost). v's calls never wait, so
 * each holds its line exactly its 2-minute talk (not the wrap-up).
 */
static void test_line_and_dial_costs(void **state)
{
    (void)state;
    struct ccs_scenario *sc =
        load("name: costs\n"
             "seed: 6\n"
             "horizon: 4h\n"
             "interval: 1h\n"
             "drain: true\n"
             "trunks:\n"
             "  - {id: t, lines: 50, cost_per_minute: 0.5}\n"
             "queues:\n"
             "  - id: v\n"
             "    arrivals: {rate: 1/min}\n"
             "    handle_time: {dist: deterministic, value: 2m}\n"
             "    wrap_up: {dist: deterministic, value: 1m}\n"
             "    trunk: t\n"
             "  - id: w\n"
             "    arrivals: {rate: 20/h}\n"
             "    handle_time: {dist: exponential, mean: 3m}\n"
             "    patience: {dist: exponential, mean: 1m}\n"
             "    callback: {offer_after: 10s, accept: 100%%, reach: 0%%, retries: 1, "
             "retry_delay: 5m, dial_time: 15s, cost: 0.2}\n"
             "  - id: o\n"
             "    channel: outbound\n"
             "    handle_time: {dist: exponential, mean: 3m}\n"
             "    campaign: {records: 30, connect: 0%%, retries: 1, retry_delay: 5m, "
             "dial_time: 20s, cost: 0.1}\n"
             "groups:\n"
             "  - {id: g, agents: 30, skills: [v], cost_per_hour: 10}\n"
             "  - {id: h, agents: 1, skills: [w, o], cost_per_hour: 20}\n");
    struct result r;
    run(sc, 0, NULL, NULL, &r);
    assert_true(QV(sc, r.v, CCS_KPI_p_wait, 0) == 0);
    double calls = QV(sc, r.v, CCS_KPI_answered, 0);
    double cb_dials = QV(sc, r.v, CCS_KPI_dials, 1);
    assert_true(cb_dials > 10 && cb_dials == 2 * QV(sc, r.v, CCS_KPI_callbacks_accepted, 1));
    assert_true(QV(sc, r.v, CCS_KPI_dials, 2) == 60);
    double agents = 30 * 4 * 10.0 + 1 * 4 * 20.0;
    double cost = agents + calls * 2 * 0.5 + cb_dials * 0.2 + 60 * 0.1;
    assert_close(OV(sc, r.v, CCS_KPI_cost), cost);
    assert_close(GV(sc, r.v, CCS_KPI_cost, 0), 30 * 4 * 10.0);
    /* per contact: every conversation ended (drained, no transfers), resolved */
    double ended = calls + QV(sc, r.v, CCS_KPI_answered, 1) + QV(sc, r.v, CCS_KPI_answered, 2);
    assert_close(OV(sc, r.v, CCS_KPI_cost_per_contact), cost / ended);
    assert_close(OV(sc, r.v, CCS_KPI_cost_per_resolved), cost / ended);
    free(r.v);
    ccs_scenario_free(sc);
}

/* --- the balance, everywhere ------------------------------------------------------------- */

/* scenarios/omnichannel.yaml with up to two --set overrides (NULL: none). */
static struct ccs_scenario *omnichannel(const char *set1, const char *set2)
{
    struct ccs_scenario *sc = NULL;
    struct ccs_diag d;
    ccs_diag_clear(&d);
    struct ccs_override ov[2];
    char buf[2][128];
    const char *sets[2] = {set1, set2};
    size_t n = 0;
    for (size_t i = 0; i < 2; i++)
        if (sets[i] != NULL) {
            assert_int_equal(
                ccs_override_parse(sets[i], "--set", buf[n], sizeof buf[n], &ov[n], &d), 0);
            n++;
        }
    if (ccs_scenario_load(CCS_SOURCE_DIR "/scenarios/omnichannel.yaml", n ? ov : NULL, n, &sc,
                          &d) != 0)
        fail_msg("%s", d.msg);
    return sc;
}

/* The shipped scenario balances, drained and cut at the horizon. */
static void test_omnichannel_balance(void **state)
{
    (void)state;
    struct ccs_scenario *sc = omnichannel(NULL, NULL);
    struct result r;
    run(sc, 0, NULL, NULL, &r);
    const struct ccs_sim_balance *b = &r.bal;
    assert_true(b->arrivals > 0 && b->redials > 0 && b->repeats > 0 && b->transfers > 0 &&
                b->records == 400 && b->failed > 0 && b->pending == 0);
    free(r.v);
    ccs_scenario_free(sc);

    sc = omnichannel("drain=false", "horizon=4h");
    run(sc, 1, NULL, NULL, &r);
    assert_true(r.bal.pending > 0);
    free(r.v);
    ccs_scenario_free(sc);
}

/* Every mechanism at once, not drained, several replications, checks on. */
static void test_everything_balances(void **state)
{
    (void)state;
    struct ccs_scenario *sc = load(
        "name: all\n"
        "seed: 77\n"
        "horizon: 3h\n"
        "interval: 30m\n"
        "trunks:\n"
        "  - {id: main, lines: 14, cost_per_minute: 0.01}\n"
        "queues:\n"
        "  - id: sales\n"
        "    trunk: main\n"
        "    arrivals: {volumes: [40, 60, 80, 90, 70, 50]}\n"
        "    handle_time: {dist: lognormal, mean: 4m, cv: 0.7}\n"
        "    wrap_up: {dist: exponential, mean: 20s}\n"
        "    patience: {dist: exponential, mean: 90s}\n"
        "    max_waiting: 8\n"
        "    segments:\n"
        "      - {id: gold, share: 30%%, priority: 1}\n"
        "      - {id: std, share: 70%%}\n"
        "    callback: {offer_after: 40s, accept: 50%%, reach: 70%%, retries: 1, "
        "retry_delay: 3m, cost: 0.1}\n"
        "    redial: {probability: 40%%, delay: {dist: exponential, mean: 3m}, max: 2}\n"
        "    transfers:\n"
        "      - {to: support, probability: 15%%, mode: consult}\n"
        "      - {to: web, probability: 5%%}\n"
        "    resolution: {probability: 75%%, repeat_delay: {dist: exponential, mean: 30m}, "
        "repeat_queue: mail, max_repeats: 2}\n"
        "  - id: support\n"
        "    lines: 6\n"
        "    arrivals: {rate: 40/h}\n"
        "    handle_time: {dist: gamma, mean: 5m, cv: 0.5}\n"
        "    patience: {dist: exponential, mean: 2m}\n"
        "    segments:\n"
        "      - {id: gold, share: 50%%}\n"
        "      - {id: std, share: 50%%}\n"
        "    callback: {offer_if_predicted: 1m, accept: 70%%, schedule_after: 5m}\n"
        "    transfers: [{to: sales, probability: 10%%, mode: cold}]\n"
        "    resolution: {probability: 80%%, repeat_delay: {dist: exponential, mean: 20m}}\n"
        "  - id: web\n"
        "    channel: chat\n"
        "    arrivals: {rate: 50/h}\n"
        "    handle_time: {dist: lognormal, mean: 6m, cv: 0.6}\n"
        "    patience: {dist: exponential, mean: 3m}\n"
        "    redial: {probability: 30%%, delay: {dist: exponential, mean: 5m}}\n"
        "    resolution: {probability: 80%%, repeat_delay: {dist: exponential, mean: 20m}, "
        "repeat_queue: sales}\n"
        "  - id: mail\n"
        "    channel: email\n"
        "    arrivals: {rate: 20/h}\n"
        "    handle_time: {dist: gamma, mean: 6m, cv: 0.5}\n"
        "  - id: out\n"
        "    channel: outbound\n"
        "    handle_time: {dist: gamma, mean: 3m, cv: 0.5}\n"
        "    campaign: {records: 150, connect: 50%%, right_party: 80%%, retries: 2, "
        "retry_delay: 20m, cost: 0.05}\n"
        "groups:\n"
        "  - {id: phone, agents: 9, skills: [sales, support, out], cost_per_hour: 25}\n"
        "  - {id: expert, agents: 3, skills: [support, {queue: sales, level: 1.5}]}\n"
        "  - {id: digital, agents: 3, concurrency: 3, slowdown: 0.3, skills: [web, mail]}\n");
    struct ccs_sim_balance total;
    memset(&total, 0, sizeof total);
    for (uint32_t rep = 0; rep < 4; rep++) {
        struct result r;
        run(sc, rep, NULL, NULL, &r);
        total.redials += r.bal.redials;
        total.repeats += r.bal.repeats;
        total.transfers += r.bal.transfers;
        total.blocked += r.bal.blocked;
        total.failed += r.bal.failed;
        total.pending += r.bal.pending;
        free(r.v);
    }
    /* the scenario does exercise every path */
    assert_true(total.redials > 0 && total.repeats > 0 && total.transfers > 0 &&
                total.blocked > 0 && total.failed > 0 && total.pending > 0);
    ccs_scenario_free(sc);
}

/*
 * The contact pool doubles when full. A redial, repeat or transfer leg
 * created at that moment moves every contact: the engine must not keep
 * using a pointer to the contact that caused it. The scenario fills the pool
 * to one short of its capacity with campaign records nobody dials, so the
 * first follow-up contact grows it; the trace proves it did.
 */
struct grow_watch {
    struct ccs_sim *sim;
    uint32_t cap;
    unsigned grew_in_follow_up;
};

static void grow_trace(void *ctx, const struct ccs_trace_event *e)
{
    struct grow_watch *w = ctx;
    uint32_t cap = w->sim->n_contacts_cap;
    if (cap != w->cap && (e->kind == CCS_TR_TRANSFER || e->kind == CCS_TR_REDIAL ||
                          e->kind == CCS_TR_REPEAT))
        w->grew_in_follow_up++;
    w->cap = cap;
}

static void test_pool_grows_in_follow_up(void **state)
{
    (void)state;
    const char *yaml = "name: grow\n"
                       "seed: 12\n"
                       "horizon: 1h\n"
                       "interval: 1h\n"
                       "drain: true\n"
                       "queues:\n"
                       "  - id: v\n"
                       "    arrivals: {rate: 2/h}\n"
                       "    handle_time: {dist: deterministic, value: 1m}\n"
                       "    wrap_up: {dist: deterministic, value: 10s}\n"
                       "    lines: 5\n"
                       "%s"
                       "  - id: b\n"
                       "    arrivals: none\n"
                       "    handle_time: {dist: deterministic, value: 1m}\n"
                       "  - id: idle\n"
                       "    channel: outbound\n"
                       "    handle_time: {dist: deterministic, value: 1m}\n"
                       "    campaign: {records: %u}\n"
                       "groups:\n"
                       "  - {id: g, agents: 2, skills: [%s]}\n";
    static const char *const mechanisms[] = {
        "    transfers: [{to: b, probability: 100%}]\n",
        "    resolution: {probability: 0%, repeat_delay: {dist: deterministic, value: 1m}, "
        "max_repeats: 1}\n",
        "    patience: {dist: deterministic, value: 30s}\n"
        "    redial: {probability: 100%, delay: {dist: deterministic, value: 1m}, max: 1}\n",
    };
    /* the pool's initial capacity, from an empty model */
    struct ccs_scenario *probe = load(yaml, "", 1u, "v, b");
    struct ccs_sim *sim = NULL;
    struct ccs_diag d;
    assert_int_equal(ccs_sim_new(probe, 1, 0, &sim, &d), 0);
    uint32_t cap = sim->n_contacts_cap;
    ccs_sim_free(sim);
    ccs_scenario_free(probe);
    for (size_t m = 0; m < 3; m++) {
        /* the redial case needs a caller who waits: no agent serves v then */
        struct ccs_scenario *sc = load(yaml, mechanisms[m], cap - 1, m == 2 ? "b" : "v, b");
        struct grow_watch w = {0};
        assert_int_equal(ccs_sim_new(sc, ccs_scenario_seed(sc), 0, &w.sim, &d), 0);
        w.cap = w.sim->n_contacts_cap;
        ccs_sim_set_checks(w.sim, true);
        ccs_sim_set_trace(w.sim, grow_trace, &w);
        int rc = ccs_sim_run(w.sim);
        if (rc != 0)
            fail_msg("%s", ccs_sim_fault(w.sim));
        assert_int_equal(w.grew_in_follow_up, 1);
        for (size_t t = 0; t < sc->n_trunks; t++)
            assert_int_equal(w.sim->trunk_busy[t], 0);
        for (uint32_t a = 0; a < w.sim->view.n_agents; a++)
            assert_int_equal(w.sim->agents[a].load, 0);
        struct ccs_sim_balance b;
        ccs_sim_balance(w.sim, &b);
        assert_true(b.pending == cap - 1);
        ccs_sim_free(w.sim);
        ccs_scenario_free(sc);
    }
}

/* --- bad input ------------------------------------------------------------------------------ */

#define Q0                                                                                 \
    "queues:\n  - id: q\n    arrivals: {rate: 1/min}\n    handle_time: {dist: exponential, "   \
    "mean: 1m}\n"
#define G0 "groups:\n  - {id: g, agents: 1, skills: [q]}\n"
#define R0 "  - {id: r, arrivals: none, handle_time: {dist: exponential, mean: 1m}}\n"

static const struct {
    const char *yaml, *msg;
} bad[] = {
    {"queues:\n  - id: q\n    channel: email\n    arrivals: {rate: 1/min}\n    handle_time: "
     "{dist: exponential, mean: 1m}\n    callback: {offer_after: 1m}\n" G0,
     "6:15: error: 'callback' applies to voice queues only"},
    {Q0 "    callback: {accept: 50%}\n" G0,
     "5:15: error: 'callback' needs 'offer_after' or 'offer_if_predicted' (when to offer)"},
    {Q0 "    campaign: {records: 10}\n" G0,
     "5:15: error: 'campaign' applies to outbound queues only"},
    {"queues:\n  - id: q\n    channel: outbound\n    handle_time: {dist: exponential, mean: "
     "1m}\n" G0,
     "2:5: error: outbound queue 'q' needs a 'campaign' (its dialling list)"},
    {"queues:\n  - id: q\n    channel: outbound\n    arrivals: {rate: 1/min}\n    "
     "handle_time: {dist: exponential, mean: 1m}\n    campaign: {records: 10}\n" G0,
     "4:15: error: an outbound queue has no arrivals: its 'campaign' lists the records"},
    {"queues:\n  - id: q\n    channel: outbound\n    handle_time: {dist: exponential, mean: "
     "1m}\n    campaign: {connect: 50%}\n" G0,
     "5:15: error: missing required key 'records'"},
    {Q0 "    transfers:\n      - {to: x, probability: 10%}\n" G0,
     "6:14: error: transfer to 'x', which is not a queue"},
    {Q0 "    transfers:\n      - {to: q, probability: 10%}\n" G0,
     "6:14: error: queue 'q' transfers to itself"},
    {Q0 "    transfers:\n      - {probability: 10%}\n" G0,
     "6:9: error: missing required key 'to' in transfer"},
    {Q0 "    transfers:\n      - {to: r, probability: 120%}\n" R0 G0,
     "6:30: error: 'probability': bad percentage '120%': must lie between 0% and 100%"},
    {Q0 "    transfers:\n      - {to: r, probability: 60%}\n      - {to: r, probability: "
        "50%}\n" R0 G0,
     "6:7: error: transfer probabilities of queue 'q' add up to 110%, more than 100%"},
    {Q0 "    transfers:\n      - {to: o, probability: 10%}\n  - {id: o, channel: outbound, "
        "handle_time: {dist: exponential, mean: 1m}, campaign: {records: 1}}\n" G0,
     "6:14: error: transfers cannot go to an outbound queue"},
    {Q0 "    callback: {offer_after: 1m, accept: 150%}\n" G0,
     "5:41: error: 'accept': bad percentage '150%': must lie between 0% and 100%"},
    {Q0 "    callback: {offer_after: 1m, reach: 101%}\n" G0,
     "5:40: error: 'reach': bad percentage '101%': must lie between 0% and 100%"},
    {Q0 "    resolution: {probability: 110%, repeat_delay: {dist: exponential, mean: 1h}}\n" G0,
     "5:31: error: 'probability': bad percentage '110%': must lie between 0% and 100%"},
    {Q0 "    resolution: {probability: 80%}\n" G0,
     "5:17: error: missing required key 'repeat_delay' in 'resolution'"},
    {Q0 "    resolution: {probability: 80%, repeat_delay: {dist: exponential, mean: 1h}, "
        "repeat_queue: zz}\n" G0,
     "5:95: error: repeat contacts go to 'zz', which is not a queue"},
    {Q0 "    redial: {probability: 30%, delay: {dist: exponential, mean: 5m}}\n" G0,
     "5:13: error: 'redial' needs a 'patience': callers who never abandon never redial"},
    {Q0 "    patience: {dist: exponential, mean: 1m}\n    redial: {probability: 30%}\n" G0,
     "6:13: error: missing required key 'delay' in 'redial'"},
    {"queues:\n  - id: q\n    channel: email\n    arrivals: {rate: 1/min}\n    handle_time: "
     "{dist: exponential, mean: 1m}\n    patience: {dist: exponential, mean: 5m}\n" G0,
     "6:15: error: 'patience' does not apply to email contacts: they wait until served"},
    {"trunks:\n  - {id: t, lines: 5}\n" Q0 "    lines: 5\n    trunk: t\n" G0,
     "8:12: error: give either 'lines' or 'trunk', not both"},
    {"trunks:\n  - {id: t, lines: 5}\n" Q0 "    trunk: u\n" G0,
     "7:12: error: no trunk 'u' (define it under 'trunks')"},
    {"trunks:\n  - {id: t, lines: 5}\n  - {id: t, lines: 6}\n" Q0 G0,
     "3:10: error: duplicate trunk id 't' (first defined at line 2)"},
    {"trunks:\n  - {id: t, lines: 0}\n" Q0 G0,
     "2:20: error: 'lines' must be a positive whole number, got '0'"},
    {"queues:\n  - id: q\n    channel: chat\n    arrivals: {rate: 1/min}\n    handle_time: "
     "{dist: exponential, mean: 1m}\n    lines: 4\n" G0,
     "6:12: error: lines apply to voice queues only"},
    /* a queue's own 'lines' are not a trunk other queues can name */
    {"queues:\n  - id: v\n    arrivals: {rate: 1/min}\n    handle_time: {dist: exponential, "
     "mean: 1m}\n    lines: 3\n  - id: q\n    arrivals: {rate: 1/min}\n    handle_time: "
     "{dist: exponential, mean: 1m}\n    trunk: v\n" G0,
     "9:12: error: no trunk 'v' (define it under 'trunks')"},
    {Q0 "groups:\n  - {id: g, agents: 1, skills: [q], concurrency: 0}\n",
     "6:50: error: 'concurrency' must be a positive whole number, got '0'"},
    {Q0 "groups:\n  - {id: g, agents: 1, skills: [q], slowdown: -1}\n",
     "6:47: error: 'slowdown' must not be negative, got '-1'"},
    {Q0 "groups:\n  - {id: g, agents: 1, skills: [q], cost_per_hour: -5}\n",
     "6:52: error: 'cost_per_hour' must not be negative, got '-5'"},
};

static void test_bad_inputs(void **state)
{
    (void)state;
    int failed = 0;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        const char *got = load_error(bad[i].yaml);
        if (strcmp(got, bad[i].msg) != 0) {
            fprintf(stderr, "case %zu:\n  want: %s\n  got:  %s\n", i, bad[i].msg, got);
            failed++;
        }
    }
    assert_int_equal(failed, 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_chat_concurrency_one_is_voice),
        cmocka_unit_test(test_chat_slowdown_and_occupancy),
        cmocka_unit_test(test_lines_fewer_than_agents),
        cmocka_unit_test(test_shared_trunk),
        cmocka_unit_test(test_callback_all_reached),
        cmocka_unit_test(test_callback_never_reached),
        cmocka_unit_test(test_callback_schedule_after),
        cmocka_unit_test(test_callback_offer_if_predicted),
        cmocka_unit_test(test_campaign_exact),
        cmocka_unit_test(test_campaign_binomial),
        cmocka_unit_test(test_redials),
        cmocka_unit_test(test_transfer_cold),
        cmocka_unit_test(test_transfer_consult),
        cmocka_unit_test(test_transfer_consult_callback),
        cmocka_unit_test(test_transfer_line_moves),
        cmocka_unit_test(test_resolution),
        cmocka_unit_test(test_max_repeats),
        cmocka_unit_test(test_decision_streams),
        cmocka_unit_test(test_backlog_snapshots),
        cmocka_unit_test(test_agent_cost),
        cmocka_unit_test(test_line_and_dial_costs),
        cmocka_unit_test(test_omnichannel_balance),
        cmocka_unit_test(test_everything_balances),
        cmocka_unit_test(test_pool_grows_in_follow_up),
        cmocka_unit_test(test_bad_inputs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
