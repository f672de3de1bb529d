/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_trace.c - trace replay: a small trace with its own handle times on a
 * single FIFO queue reproduces the hand-computed schedule exactly; recorded
 * patience and censoring; the Anonymous Bank importer's rules; bad rows are
 * fatal with FILE:LINE:COL, or skipped and counted.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ccs/ccs.h"
#include "support.h"

#include <math.h>

struct ev {
    double t;
    int kind;
    uint64_t contact;
    double wait;
};

struct log {
    struct ev e[256];
    int n;
};

static void record(void *ctx, const struct ccs_trace_event *e)
{
    struct log *l = ctx;
    if (l->n < 256 && (e->kind == CCS_TR_START || e->kind == CCS_TR_TALK_END ||
                       e->kind == CCS_TR_ABANDON || e->kind == CCS_TR_ARRIVE))
        l->e[l->n++] = (struct ev){e->t, (int)e->kind, e->contact, e->wait};
}

/* Write the trace and a scenario around it in one temp folder; load it. */
static struct ccs_scenario *scenario_with_trace(const char *trace, const char *yaml_fmt,
                                                char *msg, size_t cap)
{
    static char dir[64];
    snprintf(dir, sizeof dir, "/tmp/ccs-trace-XXXXXX");
    if (mkdtemp(dir) == NULL)
        return NULL;
    char path[128], yaml[4096];
    snprintf(path, sizeof path, "%s/t.csv", dir);
    FILE *f = fopen(path, "w");
    fputs(trace, f);
    fclose(f);
    snprintf(yaml, sizeof yaml, yaml_fmt, "t.csv");
    snprintf(path, sizeof path, "%s/s.yaml", dir);
    f = fopen(path, "w");
    fputs(yaml, f);
    fclose(f);
    struct ccs_scenario *sc = NULL;
    struct ccs_diag d;
    ccs_diag_clear(&d);
    if (ccs_scenario_load(path, NULL, 0, &sc, &d) != 0 && msg != NULL) {
        /* strip the folder: "DIR/t.csv:3:4: error: ..." -> "t.csv:3:4: error: ..." */
        const char *p = strstr(d.msg, dir);
        snprintf(msg, cap, "%.500s", p == d.msg ? d.msg + strlen(dir) + 1 : d.msg);
    }
    remove_scratch(dir); /* the scenario keeps what it read, not the files */
    return sc;
}

static const char *const one_queue =
    "horizon: 1h\n"
    "replications: 1\n"
    "drain: true\n"
    "trace: {file: %s, columns: {time: t, queue: queue, handle: handle, wait: wait, outcome: outcome}}\n"
    "queues:\n"
    "  - {id: q, arrivals: trace, handle_time: {dist: exponential, mean: 1m}}\n"
    "groups:\n"
    "  - {id: g, agents: 1, skills: [q]}\n";

static void test_hand_schedule(void **state)
{
    (void)state;
    /* one agent, FIFO: A at 0 for 15 s; B at 10 for 5 s waits until 15;
       C at 20 for 10 s finds the agent free at 20. D at 21 of type x is not
       a queue of ours. */
    const char *trace = "t,queue,handle,wait,outcome\n"
                        "0,q,15,,\n"
                        "10,q,5,,\n"
                        "20,q,10,,\n"
                        "21,x,3,,\n";
    struct ccs_scenario *sc = scenario_with_trace(trace, one_queue, NULL, 0);
    assert_non_null(sc);
    struct ccs_sim *sim;
    struct ccs_diag d;
    assert_int_equal(ccs_sim_new(sc, 1, 0, &sim, &d), 0);
    struct log l = {0};
    ccs_sim_set_trace(sim, record, &l);
    assert_int_equal(ccs_sim_run(sim), 0);
    struct ev want[] = {
        {0, CCS_TR_ARRIVE, 1, NAN},    {0, CCS_TR_START, 1, 0},      {10, CCS_TR_ARRIVE, 2, NAN},
        {15, CCS_TR_TALK_END, 1, NAN}, {15, CCS_TR_START, 2, 5},     {20, CCS_TR_TALK_END, 2, NAN},
        {20, CCS_TR_ARRIVE, 3, NAN},   {20, CCS_TR_START, 3, 0},     {30, CCS_TR_TALK_END, 3, NAN},
    };
    assert_int_equal(l.n, (int)(sizeof want / sizeof want[0]));
    for (int i = 0; i < l.n; i++) {
        assert_true(l.e[i].t == want[i].t);
        assert_int_equal(l.e[i].kind, want[i].kind);
        assert_int_equal(l.e[i].contact, want[i].contact);
        if (!isnan(want[i].wait))
            assert_true(l.e[i].wait == want[i].wait);
    }
    ccs_sim_free(sim);
    ccs_scenario_free(sc);
}

/* The agent that started serving contact `serial`, or -1. */
static int32_t agent_of = -1;
static uint64_t agent_for;

static void record_start(void *ctx, const struct ccs_trace_event *e)
{
    (void)ctx;
    if (e->kind == CCS_TR_START && e->contact == agent_for)
        agent_of = e->agent;
}

/*
 * Agents freed at the same instant rank by index (ccs_idle_before), not by
 * which was freed first within it: A (1 s) and B (10 s) start at 0 on agents
 * 0 and 1; C arrives at 2 and takes agent 0 for 8 s. Both talks end at 10,
 * B's first (its end was scheduled first), so agent 1 is freed first. The
 * last contact, at 11, goes to agent 0. Once with both agents in one group
 * (its available list), once with one agent in each of eight groups that
 * all serve the queue (the engine's list of all available agents, which
 * ccs_longest_idle_for walks there); checks on after every event.
 */
static void test_tie_lowest_index(void **state)
{
    (void)state;
    static const char *const one_group =
        "horizon: 1h\nreplications: 1\ndrain: true\n"
        "trace: {file: %s, columns: {time: t, queue: queue, handle: handle}}\n"
        "queues:\n  - {id: q, arrivals: trace, handle_time: {dist: exponential, mean: 1m}}\n"
        "groups:\n  - {id: g, agents: 2, skills: [q]}\n";
    /* two skills each: with one, queue q would get an index of its own */
    static const char *const eight_groups =
        "horizon: 1h\nreplications: 1\ndrain: true\n"
        "trace: {file: %s, columns: {time: t, queue: queue, handle: handle}}\n"
        "queues:\n  - {id: q, arrivals: trace, handle_time: {dist: exponential, mean: 1m}}\n"
        "  - {id: r, arrivals: trace, handle_time: {dist: exponential, mean: 1m}}\n"
        "groups:\n"
        "  - {id: g0, agents: 1, skills: [q, r]}\n  - {id: g1, agents: 1, skills: [q, r]}\n"
        "  - {id: g2, agents: 1, skills: [q, r]}\n  - {id: g3, agents: 1, skills: [q, r]}\n"
        "  - {id: g4, agents: 1, skills: [q, r]}\n  - {id: g5, agents: 1, skills: [q, r]}\n"
        "  - {id: g6, agents: 1, skills: [q, r]}\n  - {id: g7, agents: 1, skills: [q, r]}\n";
    static const struct {
        const char *yaml, *trace;
        uint64_t last;
    } cases[] = {
        {one_group, "t,queue,handle\n0,q,1\n0,q,10\n2,q,8\n11,q,1\n", 4},
        {eight_groups,
         "t,queue,handle\n0,q,1\n0,q,10\n0,q,100\n0,q,100\n0,q,100\n0,q,100\n0,q,100\n"
         "0,q,100\n2,q,8\n11,q,1\n",
         10},
    };
    for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
        struct ccs_scenario *sc = scenario_with_trace(cases[k].trace, cases[k].yaml, NULL, 0);
        assert_non_null(sc);
        struct ccs_sim *sim;
        struct ccs_diag d;
        assert_int_equal(ccs_sim_new(sc, 1, 0, &sim, &d), 0);
        ccs_sim_set_checks(sim, true);
        if (k == 1) {
            const struct ccs_view *v = ccs_sim_view(sim);
            assert_non_null(v->idle_links);
            assert_true(ccs_view_idle_walk(v, &v->queues[0]));
        }
        agent_of = -1;
        agent_for = cases[k].last;
        ccs_sim_set_trace(sim, record_start, NULL);
        assert_int_equal(ccs_sim_run(sim), 0);
        assert_int_equal(agent_of, 0);
        ccs_sim_free(sim);
        ccs_scenario_free(sc);
    }
}

static void test_recorded_patience(void **state)
{
    (void)state;
    /* A holds the agent for 100 s. B abandoned after 30 s in the log: it
       abandons at 31 here too. C was served after 50 s in the log: its
       patience exceeds 50, and with no patience distribution it never
       abandons, so it is served at 100. */
    const char *trace = "t,queue,handle,wait,outcome\n"
                        "0,q,100,0,served\n"
                        "1,q,10,30,abandoned\n"
                        "2,q,10,50,served\n";
    struct ccs_scenario *sc = scenario_with_trace(trace, one_queue, NULL, 0);
    assert_non_null(sc);
    struct ccs_sim *sim;
    struct ccs_diag d;
    assert_int_equal(ccs_sim_new(sc, 1, 0, &sim, &d), 0);
    struct log l = {0};
    ccs_sim_set_trace(sim, record, &l);
    assert_int_equal(ccs_sim_run(sim), 0);
    int abandons = 0, starts = 0;
    for (int i = 0; i < l.n; i++) {
        if (l.e[i].kind == CCS_TR_ABANDON) {
            abandons++;
            assert_int_equal(l.e[i].contact, 2);
            assert_true(l.e[i].t == 31 && l.e[i].wait == 30);
        }
        if (l.e[i].kind == CCS_TR_START && l.e[i].contact == 3) {
            starts++;
            assert_true(l.e[i].t == 100 && l.e[i].wait == 98);
        }
    }
    assert_int_equal(abandons, 1);
    assert_int_equal(starts, 1);
    ccs_sim_free(sim);
    ccs_scenario_free(sc);
}

static void test_bank_format(void **state)
{
    (void)state;
    const char *log =
        "vru+line\tcall_id\tcustomer_id\tpriority\ttype\tdate\tvru_entry\tvru_exit\tvru_time\tq_start\tq_exit\tq_time\toutcome\tser_start\tser_exit\tser_time\tserver\n"
        /* served after 20 s in the queue, 100 s of service */
        "AA0101\t1\t5\t1\tPS\t991012\t7:00:00\t7:00:10\t10\t7:00:10\t7:00:30\t20\tAGENT\t7:00:30\t7:02:10\t100\tDANA\n"
        /* a priority customer, abandoned after 40 s */
        "AA0101\t2\t6\t2\tPS\t991012\t7:00:20\t7:00:25\t5\t7:00:25\t7:01:05\t40\tHANG\t0:00:00\t0:00:00\t0\tNO_SERVER\n"
        /* hung up in the voice menu: never queued */
        "AA0101\t3\t0\t0\tPS\t991012\t7:00:30\t7:00:40\t10\t0:00:00\t0:00:00\t0\tHANG\t0:00:00\t0:00:00\t0\tNO_SERVER\n"
        /* served without queueing: arrives at vru_exit */
        "AA0101\t4\t0\t0\tIN\t991012\t7:01:00\t7:01:05\t5\t0:00:00\t0:00:00\t0\tAGENT\t7:01:05\t7:02:05\t60\tEYAL\n"
        /* a phantom, and a row of another day: ignored */
        "AA0101\t5\t0\t0\tPS\t991012\t7:02:00\t7:02:05\t5\t7:02:05\t7:02:06\t1\tPHANTOM\t0:00:00\t0:00:00\t0\tNO_SERVER\n"
        "AA0101\t6\t0\t0\tPS\t991013\t7:03:00\t7:03:05\t5\t7:03:05\t7:03:06\t1\tAGENT\t7:03:06\t7:04:00\t54\tDANA\n";
    const char *yaml = "horizon: 1h\n"
                       "start_time: 07:00\n"
                       "replications: 1\n"
                       "drain: true\n"
                       "trace: {file: %s, format: anonymous-bank, date: '991012', queues: {PS: retail, IN: internet}}\n"
                       "queues:\n"
                       "  - id: retail\n"
                       "    arrivals: trace\n"
                       "    handle_time: {dist: exponential, mean: 1m}\n"
                       "    segments: [{id: regular, share: 90%%}, {id: priority, share: 10%%, credit: 90s}]\n"
                       "  - {id: internet, arrivals: trace, handle_time: {dist: exponential, mean: 1m}}\n"
                       "groups:\n"
                       "  - {id: g, agents: 1, skills: [retail, internet]}\n";
    struct ccs_scenario *sc = scenario_with_trace(log, yaml, NULL, 0);
    assert_non_null(sc);
    assert_non_null(strstr(ccs_scenario_note(sc), "3 contacts replayed"));
    assert_non_null(strstr(ccs_scenario_note(sc), "1 left in the voice menu"));
    struct ccs_sim *sim;
    struct ccs_diag d;
    assert_int_equal(ccs_sim_new(sc, 1, 0, &sim, &d), 0);
    struct log l = {0};
    ccs_sim_set_trace(sim, record, &l);
    assert_int_equal(ccs_sim_run(sim), 0);
    /* arrivals at 10 s (retail), 25 s (retail, priority), 65 s (internet) */
    double arrivals[3];
    int na = 0;
    for (int i = 0; i < l.n; i++)
        if (l.e[i].kind == CCS_TR_ARRIVE && na < 3)
            arrivals[na++] = l.e[i].t;
    assert_int_equal(na, 3);
    assert_true(arrivals[0] == 10 && arrivals[1] == 25 && arrivals[2] == 65);
    /* the first holds the agent for 100 s; the second abandons after 40 s,
       at 65; the third waits from 65 to 110 */
    for (int i = 0; i < l.n; i++) {
        if (l.e[i].kind == CCS_TR_ABANDON)
            assert_true(l.e[i].contact == 2 && l.e[i].t == 65);
        if (l.e[i].kind == CCS_TR_START && l.e[i].contact == 3)
            assert_true(l.e[i].t == 110);
    }
    double v[4096];
    assert_true(ccs_layout_find(ccs_scenario_layout(sc), CCS_SCOPE_SEGMENT, CCS_KPI_abandoned, 0,
                                1, -1, -1) >= 0);
    ccs_sim_results(sim, v);
    assert_true(v[ccs_layout_find(ccs_scenario_layout(sc), CCS_SCOPE_SEGMENT, CCS_KPI_abandoned,
                                  0, 1, -1, -1)] == 1);
    ccs_sim_free(sim);
    ccs_scenario_free(sc);
}

static void test_bad_rows(void **state)
{
    (void)state;
    char msg[512];
    const char *trace = "t,queue,handle,wait,outcome\n"
                        "0,q,15,,\n"
                        "zz,q,5,,\n"
                        "20,q,-3,,\n"
                        "30,q,5,,maybe\n"
                        "40,q\n";
    assert_null(scenario_with_trace(trace, one_queue, msg, sizeof msg));
    assert_string_equal(msg, "t.csv:3:1: error: bad time 'zz' in column 't': expected seconds "
                             "or a clock time such as 7:15:55");

    /* skipped and counted */
    char yaml[1024];
    snprintf(yaml, sizeof yaml, "%s", one_queue);
    char *p = strstr(yaml, "trace: {file: %s,");
    assert_non_null(p);
    const char *skip_fmt =
        "horizon: 1h\nreplications: 1\ndrain: true\n"
        "trace: {file: %s, on_error: skip, columns: {time: t, queue: queue, handle: handle, wait: wait, outcome: outcome}}\n"
        "queues:\n  - {id: q, arrivals: trace, handle_time: {dist: exponential, mean: 1m}}\n"
        "groups:\n  - {id: g, agents: 1, skills: [q]}\n";
    struct ccs_scenario *sc = scenario_with_trace(trace, skip_fmt, msg, sizeof msg);
    assert_non_null(sc);
    const char *note = ccs_scenario_note(sc);
    assert_non_null(strstr(note, "1 contacts replayed"));
    assert_non_null(strstr(note, "4 bad rows skipped (first: "));
    assert_non_null(strstr(note, "t.csv:3:1: bad time 'zz'"));
    ccs_scenario_free(sc);

    /* a missing column named in the scenario */
    const char *bad_col = "horizon: 1h\ntrace: {file: %s, columns: {time: when}}\n"
                          "queues:\n  - {id: q, arrivals: trace, handle_time: {dist: exponential, mean: 1m}}\n"
                          "groups:\n  - {id: g, agents: 1, skills: [q]}\n";
    assert_null(scenario_with_trace("t\n1\n", bad_col, msg, sizeof msg));
    assert_non_null(strstr(msg, "t.csv:1:1: error: no column 'when' in the header (columns: "
                                "'t')"));

    /* arrivals: trace without a trace block */
    assert_string_equal(load_error("queues:\n  - {id: q, arrivals: trace, handle_time: {dist: "
                                   "exponential, mean: 1m}}\ngroups:\n  - {id: g, agents: 1, "
                                   "skills: [q]}\n"),
                        "1:1: error: a queue has 'arrivals: trace' but the scenario has no "
                        "'trace' block");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_hand_schedule),
        cmocka_unit_test(test_tie_lowest_index),
        cmocka_unit_test(test_recorded_patience),
        cmocka_unit_test(test_bank_format),
        cmocka_unit_test(test_bad_rows),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
