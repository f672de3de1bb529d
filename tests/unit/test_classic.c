/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_classic.c - the rules of the classic published models (issue 21):
 * random agent choice and random ties, redials that keep their patience,
 * messages after waiting, callers disconnected at closing, work-based
 * occupancy, conferences, triangular times, and the located errors for
 * their bad values.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ccs/ccs.h"
#include "ccs/policies.h"
#include "core/rng.h"
#include "fake_view.h"
#include "model/dist.h"
#include "model/engine.h"
#include "support.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define assert_near(a, b, tol)                                                              \
    do {                                                                                    \
        double a_ = (a), b_ = (b), t_ = (tol);                                              \
        if (!(fabs(a_ - b_) <= t_))                                                         \
            fail_msg("%s = %.12g, want %s = %.12g (tolerance %g)", #a, a_, #b, b_, t_);     \
    } while (0)

/* --- random agent choice ----------------------------------------------------------- */

/* One queue; group 0 (1 agent, level l0) and group 1 (3 agents, level l1), all idle. */
static uint32_t four_idle(struct fake *f, double l0, double l1)
{
    static const uint32_t lines[] = {1};
    const struct fv_skill sk[][FV_MAXS + 1] = {{{0, l0, -1, 0}, FV_END},
                                                {{0, l1, -1, 0}, FV_END}};
    fv_init(f, 1, lines, 2, sk);
    for (uint32_t g = 0; g < 2; g++)
        for (uint32_t k = 0; k < (g == 0 ? 1u : 3u); k++)
            fv_idle(f, fv_agent(f, g), 10.0 + f->v.n_agents);
    return fv_arriving(f, 0);
}

static void test_random_is_uniform(void **st)
{
    (void)st;
    struct fake f;
    uint32_t c = four_idle(&f, 1, 1);
    gsl_rng *r = ccs__rng_new(21, 0, 0);
    enum { N = 40000 };
    unsigned hits[4] = {0};
    for (int i = 0; i < N; i++) {
        uint32_t a = ccs_pick_agent_rng(&f.v, c, CCS_AGENT_RANDOM, NULL, false,
                                        (struct ccs_stream *)r);
        assert_true(a < 4);
        hits[a]++;
    }
    /* each 1/4: sd 0.0022, so 0.01 is 4.6 sd (and the seed is fixed) */
    for (int a = 0; a < 4; a++)
        assert_near(hits[a] / (double)N, 0.25, 0.01);
    /* longest idle picks the same agent every time: agent 0 became idle first */
    assert_int_equal(ccs_pick_agent_rng(&f.v, c, CCS_AGENT_LONGEST_IDLE, NULL, true,
                                        (struct ccs_stream *)r),
                     0);
    /* without a stream, random falls back to longest idle */
    assert_int_equal(ccs_pick_agent_rng(&f.v, c, CCS_AGENT_RANDOM, NULL, false, NULL), 0);
    gsl_rng_free(r);
}

static void test_random_ties_most_skilled(void **st)
{
    (void)st;
    struct fake f;
    uint32_t c = four_idle(&f, 1, 2); /* group 1 (agents 1..3) is more skilled */
    gsl_rng *r = ccs__rng_new(22, 0, 0);
    unsigned hits[4] = {0};
    for (int i = 0; i < 30000; i++)
        hits[ccs_pick_agent_rng(&f.v, c, CCS_AGENT_MOST_SKILLED, NULL, true,
                                (struct ccs_stream *)r)]++;
    assert_int_equal(hits[0], 0);
    for (int a = 1; a < 4; a++)
        assert_near(hits[a] / 30000.0, 1.0 / 3, 0.012);
    /* without random ties: the longest idle of the best level, every time */
    assert_int_equal(ccs_pick_agent_rng(&f.v, c, CCS_AGENT_MOST_SKILLED, NULL, false,
                                        (struct ccs_stream *)r),
                     1);
    gsl_rng_free(r);
}

static void test_random_one_draw_per_choice(void **st)
{
    (void)st;
    struct fake f;
    uint32_t c = four_idle(&f, 1, 1);
    gsl_rng *r = ccs__rng_new(23, 0, 0), *ref = ccs__rng_new(23, 0, 0);
    /* four candidates: one draw */
    ccs_pick_agent_rng(&f.v, c, CCS_AGENT_RANDOM, NULL, false, (struct ccs_stream *)r);
    (void)ccs__rng_u01(ref);
    /* a single candidate (group_ok keeps group 0 only): no draw */
    unsigned char ok[2] = {1, 0};
    assert_int_equal(
        ccs_pick_agent_rng(&f.v, c, CCS_AGENT_RANDOM, ok, false, (struct ccs_stream *)r), 0);
    /* no candidate: none either */
    unsigned char none[2] = {0, 0};
    assert_int_equal(
        ccs_pick_agent_rng(&f.v, c, CCS_AGENT_RANDOM, none, false, (struct ccs_stream *)r),
        CCS_NONE);
    assert_true(ccs__rng_u01(r) == ccs__rng_u01(ref));
    gsl_rng_free(r);
    gsl_rng_free(ref);
}

/* --- running small scenarios ------------------------------------------------------- */

struct run {
    struct ccs_scenario *sc;
    double *v;
    struct ccs_sim_balance bal;
};

static void run_yaml(struct run *out, const char *yaml,
                     void (*tr)(void *, const struct ccs_trace_event *), void *ctx)
{
    out->sc = load_yaml_string(yaml);
    if (out->sc == NULL)
        fail_msg("scenario did not load:\n%s", yaml);
    struct ccs_sim *sim = NULL;
    struct ccs_diag d;
    ccs_diag_clear(&d);
    assert_int_equal(ccs_sim_new(out->sc, out->sc->seed, 0, &sim, &d), 0);
    ccs_sim_set_checks(sim, true);
    if (tr != NULL)
        ccs_sim_set_trace(sim, tr, ctx);
    int rc = ccs_sim_run(sim);
    if (rc != 0)
        fail_msg("run failed: %s", ccs_sim_fault(sim));
    out->v = calloc(ccs_scenario_layout(out->sc)->n, sizeof *out->v);
    assert_non_null(out->v);
    ccs_sim_results(sim, out->v);
    ccs_sim_balance(sim, &out->bal);
    ccs_sim_free(sim);
}

static void run_free(struct run *r)
{
    free(r->v);
    ccs_scenario_free(r->sc);
}

static double kv(const struct run *r, enum ccs_scope scope, enum ccs_kpi k, int q, int g)
{
    long i = ccs_layout_find(ccs_scenario_layout(r->sc), scope, k, q, -1, g, -1);
    if (i < 0)
        fail_msg("no KPI %s", ccs_kpi_info(k)->id);
    return r->v[i];
}
#define QK(r, k, q) kv((r), CCS_SCOPE_QUEUE, CCS_KPI_##k, (q), -1)
#define GK(r, k, g) kv((r), CCS_SCOPE_GROUP, CCS_KPI_##k, -1, (g))

/* --- redials that keep their patience ------------------------------------------------ */

/*
 * One agent is taken for the whole run by the first call; every other caller
 * waits, abandons, and redials (always, up to 3 times). Each abandonment's
 * wait is exactly its patience, so with keep_patience every attempt of a
 * customer waits exactly as long as its first.
 */
#define BUSY_CENTER                                                                         \
    "seed: 5\nreplications: 1\nhorizon: 2h\n"                                               \
    "queues:\n"                                                                             \
    "  - id: q\n"                                                                           \
    "    arrivals: {rate: 20/h}\n"                                                          \
    "    handle_time: {dist: deterministic, value: 100h}\n"                                 \
    "    patience: {dist: exponential, mean: 2m}\n"                                         \
    "    redial: {probability: 100%%, delay: {dist: deterministic, value: 1m}, max: 3, "   \
    "keep_patience: %s}\n"                                                                  \
    "groups:\n  - {id: g, agents: 1, skills: [q]}\n"

struct waits {
    uint64_t customer[4000];
    double wait[4000];
    size_t n;
};

/* The trace names contacts by serial; a redial's customer is the first
   attempt's serial, which the REDIAL event does not give, so match by the
   abandon -> redial -> arrive chain: the redial event follows its abandon. */
struct chain {
    struct waits w;
    double last_wait;      /* wait of the last abandonment */
    uint64_t pending[4000]; /* new serial -> customer, via the REDIAL event */
    uint64_t cust_of[8000];
    uint64_t last_abandoner;
};

static void chain_trace(void *ctx, const struct ccs_trace_event *e)
{
    struct chain *c = ctx;
    if (e->contact >= 8000)
        return;
    if (e->kind == CCS_TR_ARRIVE && e->reason == NULL)
        c->cust_of[e->contact] = e->contact;
    if (e->kind == CCS_TR_ABANDON) {
        c->last_abandoner = e->contact;
        if (c->w.n < 4000) {
            c->w.customer[c->w.n] = c->cust_of[e->contact];
            c->w.wait[c->w.n++] = e->wait;
        }
    }
    if (e->kind == CCS_TR_REDIAL)
        c->cust_of[e->contact] = c->cust_of[c->last_abandoner];
}

static size_t patience_mismatches(const struct chain *c)
{
    size_t bad = 0;
    for (size_t i = 0; i < c->w.n; i++)
        for (size_t j = 0; j < i; j++)
            if (c->w.customer[i] == c->w.customer[j] &&
                fabs(c->w.wait[i] - c->w.wait[j]) > 1e-6 * (1 + c->w.wait[j]))
                bad++;
    return bad;
}

static void test_redial_keeps_patience(void **st)
{
    (void)st;
    char yaml[2048];
    struct chain *c = calloc(1, sizeof *c);
    assert_non_null(c);
    struct run r;
    snprintf(yaml, sizeof yaml, BUSY_CENTER, "true");
    run_yaml(&r, yaml, chain_trace, c);
    assert_true(c->w.n > 60); /* about 40 customers, each abandoning up to 4 times */
    assert_true(QK(&r, redials, 0) > 30);
    assert_int_equal(patience_mismatches(c), 0);
    run_free(&r);

    memset(c, 0, sizeof *c);
    snprintf(yaml, sizeof yaml, BUSY_CENTER, "false");
    run_yaml(&r, yaml, chain_trace, c);
    assert_true(patience_mismatches(c) > 20); /* fresh draws differ */
    run_free(&r);
    free(c);
}

/* --- messages ---------------------------------------------------------------------- */

#define MESSAGE_CENTER                                                                      \
    "seed: 9\nreplications: 1\nhorizon: 4h\ndrain: true\n"                                  \
    "queues:\n"                                                                             \
    "  - id: q\n"                                                                           \
    "    sla: {target: 80%%, within: %s}\n"                                                 \
    "    arrivals: {rate: 30/h}\n"                                                          \
    "    handle_time: {dist: exponential, mean: 4m}\n"                                      \
    "    %s\n"                                                                              \
    "    message_after: 1m\n"                                                               \
    "groups:\n  - {id: g, agents: 2, skills: [q]}\n"                                        \
    "service_level_definition: %s\n"

struct msg_tally {
    unsigned messages, abandons;
    double max_msg_wait, min_msg_wait;
};

static void msg_trace(void *ctx, const struct ccs_trace_event *e)
{
    struct msg_tally *t = ctx;
    if (e->kind == CCS_TR_MESSAGE) {
        t->messages++;
        if (e->wait > t->max_msg_wait)
            t->max_msg_wait = e->wait;
        if (t->messages == 1 || e->wait < t->min_msg_wait)
            t->min_msg_wait = e->wait;
    }
    if (e->kind == CCS_TR_ABANDON)
        t->abandons++;
}

static void test_messages(void **st)
{
    (void)st;
    char yaml[2048];
    struct msg_tally t = {0};
    struct run r;
    snprintf(yaml, sizeof yaml, MESSAGE_CENTER, "20s", "patience: none", "handled");
    run_yaml(&r, yaml, msg_trace, &t);
    double off = QK(&r, offered, 0), ans = QK(&r, answered, 0), msg = QK(&r, messages, 0);
    assert_true(msg > 5);
    assert_int_equal(t.abandons, 0);
    assert_int_equal((unsigned)msg, t.messages);
    assert_int_equal(r.bal.messages, t.messages);
    assert_near(t.min_msg_wait, 60, 1e-6); /* every message after exactly 1 min */
    assert_near(t.max_msg_wait, 60, 1e-6);
    assert_near(QK(&r, abandoned, 0), 0, 0);
    assert_near(off, ans + msg, 0); /* drained: nothing else */
    assert_near(QK(&r, message_rate, 0), msg / off, 1e-12);
    assert_near(QK(&r, unfinished, 0), 0, 0);
    /* the definitions, by hand: messages count as offered, not answered */
    double aw = QK(&r, sl_answered, 0) * ans;
    assert_near(QK(&r, sl_offered, 0), aw / off, 1e-9);
    assert_near(QK(&r, sl_no_short_ab, 0), aw / off, 1e-9);
    assert_near(QK(&r, sl_handled, 0), aw / (ans + msg), 1e-9); /* a message is a late give-up */
    assert_near(QK(&r, service_level, 0), QK(&r, sl_handled, 0), 0);
    assert_near(QK(&r, sl_all, 0), aw / off, 1e-9); /* waited 1 min > T = 20 s */
    run_free(&r);

    /* T above the message time: under 'all' every message counts as within T */
    memset(&t, 0, sizeof t);
    snprintf(yaml, sizeof yaml, MESSAGE_CENTER, "2m", "patience: none", "all");
    run_yaml(&r, yaml, msg_trace, &t);
    off = QK(&r, offered, 0);
    ans = QK(&r, answered, 0);
    msg = QK(&r, messages, 0);
    aw = QK(&r, sl_answered, 0) * ans;
    assert_near(QK(&r, sl_all, 0), (aw + msg) / off, 1e-9);
    run_free(&r);

    /* with patience: whoever's patience runs out first abandons, the rest leave messages */
    memset(&t, 0, sizeof t);
    snprintf(yaml, sizeof yaml, MESSAGE_CENTER, "20s",
             "patience: {dist: exponential, mean: 1m}", "offered");
    run_yaml(&r, yaml, msg_trace, &t);
    assert_true(t.abandons > 0 && t.messages > 0);
    assert_near(t.max_msg_wait, 60, 1e-6);
    assert_near(QK(&r, offered, 0),
                QK(&r, answered, 0) + QK(&r, abandoned, 0) + QK(&r, messages, 0), 0);
    assert_true(QK(&r, mean_wait_abandoned, 0) < 60);
    run_free(&r);
}

/* --- disconnected at closing ------------------------------------------------------------ */

/*
 * Open one hour in two (volumes 60/h, 0), one agent serving 10 min calls, no
 * patience: a backlog builds while open and is still there at each close
 * (1 h and 3 h; the drained horizon at 4 h finds none, no call came after
 * 3 h). %s: the at_close line, %s: the service-level definition.
 */
#define CLOSING_CENTER                                                                      \
    "seed: 11\nreplications: 1\nhorizon: 4h\ninterval: 1h\ndrain: true\n"                     \
    "queues:\n"                                                                             \
    "  - id: q\n"                                                                           \
    "    sla: {target: 80%%, within: 1m}\n"                                                  \
    "    arrivals: {volumes: [60, 0, 60, 0]}\n"                                              \
    "    handle_time: {dist: deterministic, value: 10m}\n"                                   \
    "%s"                                                                                    \
    "groups:\n  - {id: g, agents: 1, skills: [q]}\n"                                        \
    "service_level_definition: %s\n"

struct close_tally {
    unsigned disconnects, off_time;
    double max_wait;
};

static void close_trace(void *ctx, const struct ccs_trace_event *e)
{
    struct close_tally *t = ctx;
    if (e->kind != CCS_TR_DISCONNECT)
        return;
    t->disconnects++;
    t->off_time += e->t != 3600.0 && e->t != 3 * 3600.0; /* only at the two closes */
    if (e->wait > t->max_wait)
        t->max_wait = e->wait;
}

static void test_disconnect_at_close(void **st)
{
    (void)st;
    char yaml[2048];
    struct close_tally t = {0};
    struct run r;
    snprintf(yaml, sizeof yaml, CLOSING_CENTER, "    at_close: disconnect\n", "handled");
    run_yaml(&r, yaml, close_trace, &t); /* checks on: the balance holds at every event */
    double off = QK(&r, offered, 0), ans = QK(&r, answered, 0), dis = QK(&r, disconnected, 0);
    assert_true(dis > 50); /* 60 arrive per open hour, the agent serves 6 */
    assert_int_equal(t.off_time, 0);
    assert_int_equal((unsigned)dis, t.disconnects);
    assert_int_equal(r.bal.disconnected, t.disconnects);
    assert_true(t.max_wait <= 3600);
    assert_near(QK(&r, abandoned, 0) + QK(&r, messages, 0) + QK(&r, unfinished, 0), 0, 0);
    assert_near(off, ans + dis, 0);
    assert_near(r.bal.arrivals, r.bal.answered + r.bal.disconnected, 0);
    /* 'handled' counts them in its denominator; 'offered' too; 'answered' not */
    double aw = QK(&r, sl_answered, 0) * ans;
    assert_near(QK(&r, sl_handled, 0), aw / (ans + dis), 1e-9);
    assert_near(QK(&r, sl_offered, 0), aw / off, 1e-9);
    assert_near(QK(&r, sl_all, 0), aw / off, 1e-9);
    run_free(&r);

    /* the default lets them wait: the same arrivals (no draw moved), all answered */
    struct close_tally w = {0};
    snprintf(yaml, sizeof yaml, CLOSING_CENTER, "", "handled");
    run_yaml(&r, yaml, close_trace, &w);
    assert_int_equal(w.disconnects, 0);
    assert_near(QK(&r, offered, 0), off, 0);
    assert_near(QK(&r, answered, 0), off, 0);
    assert_near(QK(&r, disconnected, 0), 0, 0);
    assert_int_equal(r.bal.disconnected, 0);
    run_free(&r);

    /* a constant rate closes only at the drained horizon */
    memset(&t, 0, sizeof t);
    run_yaml(&r,
             "seed: 3\nreplications: 1\nhorizon: 1h\ndrain: true\n"
             "queues:\n  - id: q\n    arrivals: {rate: 60/h}\n"
             "    handle_time: {dist: deterministic, value: 10m}\n    at_close: disconnect\n"
             "groups:\n  - {id: g, agents: 1, skills: [q]}\n",
             close_trace, &t);
    assert_int_equal(t.off_time, 0); /* all at the horizon, 1 h */
    assert_true(t.disconnects > 40);
    assert_near(QK(&r, answered, 0) + QK(&r, disconnected, 0), QK(&r, offered, 0), 0);
    run_free(&r);
}

/* --- conferences and work-based occupancy ---------------------------------------------- */

/* Exactly one call; reception talks 60 s then transfers it (always) in `mode`
   to a queue whose agent talks 30 s. */
#define CONFERENCE_CENTER                                                                   \
    "seed: 3\nreplications: 1\nhorizon: 1h\ndrain: true\n"                                  \
    "queues:\n"                                                                             \
    "  - id: front\n"                                                                       \
    "    arrivals: {volumes: [1], per: 1h, exact: true}\n"                                  \
    "    handle_time: {dist: deterministic, value: 60s}\n"                                  \
    "    wrap_up: {dist: deterministic, value: 10s}\n"                                      \
    "    transfers: [{to: expert, probability: 100%%, mode: %s}]\n"                         \
    "  - id: expert\n"                                                                      \
    "    arrivals: none\n"                                                                  \
    "    handle_time: {dist: deterministic, value: 30s}\n"                                  \
    "groups:\n"                                                                             \
    "  - {id: reception, agents: 1, skills: [front]}\n"                                     \
    "  - {id: experts, agents: 2, skills: [expert]}\n"

static void test_conference(void **st)
{
    (void)st;
    char yaml[2048];
    struct run r;
    /* conference: reception busy 60 + 30 (both talking) + 10 wrap-up */
    snprintf(yaml, sizeof yaml, CONFERENCE_CENTER, "conference");
    run_yaml(&r, yaml, NULL, NULL);
    assert_near(GK(&r, work_occupancy, 0), 100.0 / 3600, 1e-12);
    assert_near(GK(&r, work_occupancy, 1), 30.0 / 7200, 1e-12);
    assert_near(GK(&r, occupancy, 0), 100.0 / 3600, 1e-9); /* the same inside the horizon */
    assert_near(QK(&r, answered, 1), 1, 0);
    run_free(&r);
    /* consult: reception holds only until the expert answers (at once) */
    snprintf(yaml, sizeof yaml, CONFERENCE_CENTER, "consult");
    run_yaml(&r, yaml, NULL, NULL);
    assert_near(GK(&r, work_occupancy, 0), 70.0 / 3600, 1e-12);
    run_free(&r);
}

/*
 * Two calls within the first hour; reception (2 agents) talks 1 min, then a
 * conference with the one expert, who talks 2 h: the second conference
 * always finds the expert busy. After the conference the call moves on to
 * tech (2 agents, 1 min). %s: the conference's if_busy key, %s: the mode of
 * the move to tech.
 */
#define BUSY_EXPERT_CENTER                                                                  \
    "seed: 5\nreplications: 1\nhorizon: 1h\ndrain: true\n"                                  \
    "queues:\n"                                                                             \
    "  - id: front\n"                                                                       \
    "    arrivals: {volumes: [2], per: 1h, exact: true}\n"                                  \
    "    handle_time: {dist: deterministic, value: 1m}\n"                                   \
    "    wrap_up: {dist: deterministic, value: 10s}\n"                                      \
    "    transfers: [{to: expert, probability: 100%%, mode: conference%s}]\n"               \
    "  - id: expert\n"                                                                      \
    "    arrivals: none\n"                                                                  \
    "    handle_time: {dist: deterministic, value: 2h}\n"                                   \
    "    transfers: [{to: tech, probability: 100%%%s}]\n"                                   \
    "  - id: tech\n"                                                                        \
    "    arrivals: none\n"                                                                  \
    "    handle_time: {dist: deterministic, value: 1m}\n"                                   \
    "groups:\n"                                                                             \
    "  - {id: reception, agents: 2, skills: [front]}\n"                                     \
    "  - {id: experts, agents: 1, skills: [expert]}\n"                                      \
    "  - {id: techs, agents: 2, skills: [tech]}\n"

struct skip_tally {
    unsigned skips, transfers_cold;
};

static void skip_trace(void *ctx, const struct ccs_trace_event *e)
{
    struct skip_tally *t = ctx;
    if (e->kind == CCS_TR_BLOCK && e->reason != NULL && strstr(e->reason, "skipped") != NULL)
        t->skips++;
    if (e->kind == CCS_TR_TRANSFER && e->queue == 2)
        t->transfers_cold += strcmp(e->reason, "cold") == 0;
}

static void test_conference_if_busy(void **st)
{
    (void)st;
    char yaml[4096];
    struct run r;
    struct skip_tally t = {0};
    /* skip: the second call's conference does not happen; it goes on to tech */
    snprintf(yaml, sizeof yaml, BUSY_EXPERT_CENTER, ", if_busy: skip", "");
    run_yaml(&r, yaml, skip_trace, &t); /* checks on: the balance holds at every event */
    assert_int_equal(t.skips, 1);
    assert_int_equal(t.transfers_cold, 2);
    assert_near(QK(&r, offered, 1), 2, 0);
    assert_near(QK(&r, answered, 1), 1, 0);
    assert_near(QK(&r, skipped, 1), 1, 0);
    assert_near(QK(&r, blocked, 1), 1, 0); /* a skipped leg counts as blocked in its queue */
    assert_near(QK(&r, skipped, 0), 0, 0);
    assert_near(QK(&r, transfers, 1), 1, 0); /* the conversation that took place */
    assert_near(QK(&r, transfer_rate, 1), 1, 0);
    assert_near(QK(&r, offered, 2), 2, 0); /* both calls reach tech */
    assert_near(QK(&r, answered, 2), 2, 0);
    assert_near(kv(&r, CCS_SCOPE_OVERALL, CCS_KPI_skipped, -1, -1), 1, 0);
    /* reception: 2 x (60 s talk + 10 s wrap-up) + 2 h held in the one conference */
    assert_near(GK(&r, work_occupancy, 0), (2 * 70.0 + 7200) / 7200, 1e-9);
    assert_near(GK(&r, work_occupancy, 1), 7200.0 / 3600, 1e-9);
    assert_int_equal(r.bal.blocked, 1);
    run_free(&r);

    /* a consult after the conference: the skipped leg has no agent to hold,
       so its call goes on cold; the held one's expert consults */
    memset(&t, 0, sizeof t);
    snprintf(yaml, sizeof yaml, BUSY_EXPERT_CENTER, ", if_busy: skip", ", mode: consult");
    run_yaml(&r, yaml, skip_trace, &t);
    assert_int_equal(t.skips, 1);
    assert_int_equal(t.transfers_cold, 1);
    assert_near(QK(&r, answered, 2), 2, 0);
    run_free(&r);

    /* wait (the default, also written out): the second conference waits for the expert */
    const char *waits[] = {"", ", if_busy: wait"};
    for (int k = 0; k < 2; k++) {
        memset(&t, 0, sizeof t);
        snprintf(yaml, sizeof yaml, BUSY_EXPERT_CENTER, waits[k], "");
        run_yaml(&r, yaml, skip_trace, &t);
        assert_int_equal(t.skips, 0);
        assert_near(QK(&r, answered, 1), 2, 0);
        assert_near(QK(&r, skipped, 1), 0, 0);
        assert_near(QK(&r, blocked, 1), 0, 0);
        assert_near(QK(&r, answered, 2), 2, 0);
        assert_near(GK(&r, work_occupancy, 1), 4 * 3600.0 / 3600, 1e-9);
        /* the second receptionist holds until the first conference ends, then 2 h more */
        assert_true(GK(&r, work_occupancy, 0) > (2 * 70.0 + 3 * 7200) / 7200 - 1.0 / 2);
        run_free(&r);
    }
}

/*
 * A queue fed only by transfers closes at its own time (closes_at): callers
 * waiting then are cut off, and transfers arriving while it is closed too.
 * Front: 60 calls an hour for 2 h (from 8 AM), 1 min each, all moving on to
 * the manager (1 agent, 10 min, no patience), which closes at 9 AM.
 */
#define MANAGER_CENTER                                                                      \
    "seed: 9\nreplications: 1\nstart_time: 08:00\nhorizon: 2h\ninterval: 1h\ndrain: true\n"  \
    "queues:\n"                                                                             \
    "  - id: front\n"                                                                       \
    "    arrivals: {volumes: [60, 60]}\n"                                                    \
    "    handle_time: {dist: deterministic, value: 1m}\n"                                   \
    "    transfers: [{to: manager, probability: 100%%}]\n"                                  \
    "  - id: manager\n"                                                                     \
    "    arrivals: none\n"                                                                  \
    "    handle_time: {dist: deterministic, value: 10m}\n"                                  \
    "%s"                                                                                    \
    "groups:\n"                                                                             \
    "  - {id: reception, agents: 10, skills: [front]}\n"                                    \
    "  - {id: manager, agents: 1, skills: [manager]}\n"

struct mgr_tally {
    unsigned at_close, after_close, early, starts_late;
};

static void mgr_trace(void *ctx, const struct ccs_trace_event *e)
{
    struct mgr_tally *t = ctx;
    if (e->queue != 1)
        return;
    if (e->kind == CCS_TR_DISCONNECT) {
        t->at_close += e->t == 3600.0 && e->reason == NULL;
        t->after_close += e->t > 3600.0 && e->reason != NULL && e->wait == 0;
        t->early += e->t < 3600.0;
    }
    t->starts_late += e->kind == CCS_TR_START && e->t >= 3600.0;
}

static void test_closes_at(void **st)
{
    (void)st;
    char yaml[4096];
    struct run r;
    struct mgr_tally t = {0};
    snprintf(yaml, sizeof yaml, MANAGER_CENTER,
             "    at_close: disconnect\n    closes_at: \"09:00\"\n");
    run_yaml(&r, yaml, mgr_trace, &t); /* checks on */
    double off = QK(&r, offered, 1), ans = QK(&r, answered, 1), dis = QK(&r, disconnected, 1);
    assert_true(off > 100);
    assert_true(t.at_close > 40);  /* a backlog of about 60 - 6 at 9 AM */
    assert_true(t.after_close > 40); /* the second hour's transfers */
    assert_int_equal(t.early, 0);
    assert_int_equal(t.starts_late, 0);
    assert_near(ans, 6, 0); /* 10 min each from the first transfer, a minute past 8 */
    assert_near(off, ans + dis, 0);
    assert_near(dis, t.at_close + t.after_close, 0);
    assert_near(QK(&r, disconnected, 0), 0, 0); /* front has no closing of its own */
    assert_near(QK(&r, answered, 0), QK(&r, offered, 0), 0);
    run_free(&r);

    /* without it the manager's queue closes only at the drained horizon (its
       volumes never drop): the same transfers, none cut off before 10 AM */
    memset(&t, 0, sizeof t);
    snprintf(yaml, sizeof yaml, MANAGER_CENTER, "    at_close: disconnect\n");
    run_yaml(&r, yaml, mgr_trace, &t);
    assert_int_equal(t.at_close + t.after_close + t.early, 0);
    assert_near(QK(&r, offered, 1), off, 0);
    assert_near(QK(&r, answered, 1), 13, 0); /* from a minute past 8 to 10 AM */
    assert_true(t.starts_late > 0);
    run_free(&r);
}

/* Work after the horizon counts in work occupancy, not in today's occupancy. */
static void test_work_occupancy_after_closing(void **st)
{
    (void)st;
    struct run r;
    run_yaml(&r,
             "seed: 1\nreplications: 1\nhorizon: 1h\ndrain: true\n"
             "queues:\n"
             "  - id: q\n"
             "    arrivals: {volumes: [1], per: 1h, exact: true}\n"
             "    handle_time: {dist: deterministic, value: 2h}\n"
             "groups:\n  - {id: g, agents: 1, skills: [q]}\n",
             NULL, NULL);
    assert_near(GK(&r, work_occupancy, 0), 2.0, 1e-12); /* 2 h of work / 1 h staffed */
    /* busy from the arrival (a uniform time) to the horizon only */
    assert_true(GK(&r, occupancy, 0) > 0 && GK(&r, occupancy, 0) < 1);
    run_free(&r);
}

/* A sequential stage that must find a free agent: the second call is disconnected. */
static void test_transfer_without_queue(void **st)
{
    (void)st;
    struct run r;
    run_yaml(&r,
             "seed: 1\nreplications: 1\nhorizon: 1h\ndrain: true\n"
             "queues:\n"
             "  - id: front\n"
             "    arrivals: {volumes: [2], per: 1h, exact: true}\n" /* both within the 2 h talk */
             "    handle_time: {dist: deterministic, value: 1m}\n"
             "    transfers: [{to: tech, probability: 100%}]\n"
             "  - id: tech\n"
             "    arrivals: none\n"
             "    max_waiting: 0\n"
             "    handle_time: {dist: deterministic, value: 2h}\n"
             "groups:\n"
             "  - {id: reception, agents: 2, skills: [front]}\n"
             "  - {id: techs, agents: 1, skills: [tech]}\n",
             NULL, NULL);
    assert_near(QK(&r, answered, 1), 1, 0);
    assert_near(QK(&r, blocked, 1), 1, 0);
    run_free(&r);
}

/* --- triangular times -------------------------------------------------------------------- */

static void test_triangular(void **st)
{
    (void)st;
    struct ccs_dist d;
    const char *why = NULL;
    assert_int_equal(ccs__dist_triangular(&d, 30, 60, 300, &why), 0);
    assert_near(d.mean, 130, 1e-12);
    gsl_rng *r = ccs__rng_new(4, 0, 0);
    enum { N = 200000 };
    double s = 0, below_mode = 0, lo = INFINITY, hi = 0;
    for (int i = 0; i < N; i++) {
        double x = ccs__dist_sample(&d, r);
        s += x;
        below_mode += x < 60;
        lo = x < lo ? x : lo;
        hi = x > hi ? x : hi;
    }
    gsl_rng_free(r);
    assert_true(lo >= 30 && hi <= 300);
    assert_near(s / N, 130, 0.6);               /* sd 57.6: 0.6 is 4.7 sd of the mean */
    assert_near(below_mode / N, 30.0 / 270, 0.004); /* F(mode) = (c - a) / (b - a) */
    assert_int_not_equal(ccs__dist_triangular(&d, 30, 20, 300, &why), 0);
    assert_string_equal(why, "'mode' must lie between 'min' and 'max'");
}

/* --- located errors ---------------------------------------------------------------------- */

#define ONE_QUEUE(extra, routing)                                                           \
    "queues:\n"                                                                             \
    "  - id: q\n"                                                                           \
    "    arrivals: {rate: 1/min}\n"                                                         \
    "    handle_time: {dist: exponential, mean: 1m}\n"                                      \
    "    patience: {dist: exponential, mean: 1m}\n" extra                                   \
    "groups:\n  - {id: g, agents: 1, skills: [q]}\n" routing

static void test_errors(void **st)
{
    (void)st;
    assert_string_equal(load_error(ONE_QUEUE("    message_after: 0\n", "")),
                        "6:20: error: 'message_after' must be positive, got '0'");
    assert_string_equal(
        load_error(ONE_QUEUE("    redial: {probability: 50%, delay: {dist: exponential, mean: 5m}, "
                             "keep_patience: maybe}\n",
                             "")),
        "6:85: error: 'keep_patience' must be true or false, got 'maybe'");
    assert_string_equal(load_error(ONE_QUEUE("", "routing: {policy: skills, ties: sometimes}\n")),
                        "8:33: error: unknown ties 'sometimes' (one of longest_idle, random)");
    assert_string_equal(load_error(ONE_QUEUE("", "routing: {policy: acd, select: most_skilled}\n")),
                        "8:32: error: unknown select 'most_skilled' (one of longest_idle, random)");
    assert_string_equal(
        load_error(ONE_QUEUE("    transfers: [{to: q, probability: 10%, mode: hold}]\n", "")),
        "6:49: error: unknown mode 'hold'; did you mean 'cold'? (one of cold, consult, "
        "conference)");
    assert_string_equal(
        load_error(ONE_QUEUE("    transfers: [{to: q, probability: 10%, mode: conference, "
                             "if_busy: hangup}]\n",
                             "")),
        "6:70: error: unknown if_busy 'hangup' (one of wait, skip)");
    assert_string_equal(
        load_error(ONE_QUEUE("    transfers: [{to: q, probability: 10%, if_busy: skip}]\n", "")),
        "6:52: error: 'if_busy' applies to a conference only (mode: conference): other "
        "transfers wait in their queue");
    assert_string_equal(load_error(ONE_QUEUE("    closes_at: \"17:00\"\n", "")),
                        "6:16: error: 'closes_at' needs 'at_close: disconnect' in queue 'q': it "
                        "says when the queue's callers are cut off");
    assert_string_equal(
        load_error(ONE_QUEUE("    at_close: disconnect\n    closes_at: 25h\n", "")),
        "7:16: error: 'closes_at' is absurdly large (at most 24h), got '25h'");
    assert_string_equal(load_error(ONE_QUEUE("    at_close: hangup\n", "")),
                        "6:15: error: unknown at_close 'hangup' (one of wait, disconnect)");
    assert_string_equal(
        load_error("queues:\n  - id: q\n    channel: email\n    arrivals: {rate: 1/min}\n"
                   "    handle_time: {dist: exponential, mean: 1m}\n    message_after: 1m\n"
                   "groups:\n  - {id: g, agents: 1, skills: [q]}\n"),
        "6:20: error: 'message_after' does not apply to email contacts: they wait until served");
    assert_string_equal(
        load_error("queues:\n  - id: q\n    arrivals: {rate: 1/min}\n"
                   "    handle_time: {dist: triangular, min: 1m, mode: 9m, max: 5m}\n"
                   "groups:\n  - {id: g, agents: 1, skills: [q]}\n"),
        "4:52: error: invalid triangular distribution for 'handle_time': 'mode' must lie "
        "between 'min' and 'max'");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_random_is_uniform),
        cmocka_unit_test(test_random_ties_most_skilled),
        cmocka_unit_test(test_random_one_draw_per_choice),
        cmocka_unit_test(test_redial_keeps_patience),
        cmocka_unit_test(test_messages),
        cmocka_unit_test(test_disconnect_at_close),
        cmocka_unit_test(test_conference),
        cmocka_unit_test(test_conference_if_busy),
        cmocka_unit_test(test_closes_at),
        cmocka_unit_test(test_work_occupancy_after_closing),
        cmocka_unit_test(test_transfer_without_queue),
        cmocka_unit_test(test_triangular),
        cmocka_unit_test(test_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
