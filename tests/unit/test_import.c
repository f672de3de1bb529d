/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_import.c - call logs loaded as clients export them: one synthetic
 * three-day log written in three dialects (comma + ISO date-times;
 * semicolon + decimal comma + dd.mm.yyyy after a title block, with a
 * byte-order mark; tab + mm/dd/yyyy + separate talk/hold/ACW columns, CRLF)
 * gives the same records and the same replays; dates selected one by one,
 * in ranges or all; daylight saving days of 23 and 25 hours; a window
 * crossing midnight; the records keep agent, customer, date and transfer
 * flag; the Anonymous Bank preset with overrides reads the shared CSV copy.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ccs/ccs.h"
#include "model/scenario.h"
#include "support.h"

#include <math.h>
#include <sys/stat.h>

/* --- a scratch folder ------------------------------------------------------------- */

static char dir[64];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof dir, "/tmp/ccs-import-XXXXXX");
    return mkdtemp(dir) == NULL ? -1 : 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void put(const char *name, const char *text)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* Load NAME.yaml (text) date by date; NULL and msg on error. */
static struct ccs_scenario **load_dates(const char *name, const char *yaml, size_t *n,
                                        char *msg, size_t cap)
{
    char file[64], path[256];
    snprintf(file, sizeof file, "%s.yaml", name);
    put(file, yaml);
    snprintf(path, sizeof path, "%s/%s", dir, file);
    struct ccs_scenario **scs = NULL;
    struct ccs_diag d;
    ccs_diag_clear(&d);
    if (ccs_scenario_load_dates(path, NULL, &scs, n, &d) != 0) {
        const char *p = strstr(d.msg, dir);
        if (msg != NULL)
            snprintf(msg, cap, "%.500s", p == d.msg ? d.msg + strlen(dir) + 1 : d.msg);
        else
            fprintf(stderr, "%s\n", d.msg);
        return NULL;
    }
    return scs;
}

/* --- one log, three dialects ------------------------------------------------------- */

struct call {
    int day;            /* 0, 1, 2: 2024-03-29 (Fri) .. 2024-03-31 (Sun, 23 hours in Berlin) */
    int sec;            /* local clock, seconds after midnight */
    const char *queue;  /* Sales, Support, Fax (unmapped) */
    int outcome;        /* 0 handled, 1 abandoned, 2 short abandon */
    int wait10;         /* wait in tenths of a second */
    int talk, hold, acw;
    const char *agent;  /* NULL: none */
    const char *customer;
    bool transfer;
};

static struct call calls[120];
static size_t n_calls;

static void make_calls(void)
{
    static const char *const agents[] = {"Smith, John", "Meyer", "O'Brien", "Dana"};
    static const char *const customers[] = {"4711", "C-0815", "", "12"};
    unsigned long long x = 42;
    n_calls = 0;
    for (int day = 0; day < 3; day++)
        for (int i = 0; i < 38; i++) {
            x = x * 6364136223846793005ULL + 1442695040888963407ULL;
            struct call *c = &calls[n_calls++];
            /* 07:00 to 23:00, and on the short day two in the early hours */
            c->day = day;
            c->sec = 7 * 3600 + i * 1500 + (int)((x >> 33) % 900);
            if (day == 2 && i < 2)
                c->sec = i == 0 ? 3600 + 1800 : 3 * 3600 + 1800; /* 01:30, 03:30 */
            c->queue = i % 7 == 3 ? "Support" : i % 11 == 5 ? "Fax" : "Sales";
            c->outcome = i % 9 == 4 ? 1 : i % 13 == 6 ? 2 : 0;
            c->wait10 = (int)((x >> 20) % 900);
            c->talk = c->outcome ? 0 : 30 + (int)((x >> 40) % 400);
            c->hold = c->outcome ? 0 : (int)((x >> 12) % 3) * 15;
            c->acw = c->outcome ? 0 : 5 + (int)((x >> 50) % 60);
            c->agent = c->outcome ? NULL : agents[(x >> 45) % 4];
            c->customer = customers[(x >> 27) % 4];
            c->transfer = c->outcome == 0 && i % 5 == 2;
        }
}

static const char *const outcome_text[3][3] = {
    {"HANDLED", "ABANDONED", "SHORT ABANDON"},
    {"handled", "abandoned", "short abandon"},
    {"Handled", "Abandoned", "Short Abandon"},
};

static void write_dialects(void)
{
    char path[256];
    /* 1: comma, ISO date-times, handle = talk + hold, quoted agent names */
    snprintf(path, sizeof path, "%s/log1.csv", dir);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fputs("Start,Skill,Result,Wait,Handle,ACW,Agent,Customer,Transferred\n", f);
    for (size_t i = 0; i < n_calls; i++) {
        const struct call *c = &calls[i];
        fprintf(f, "2024-03-%02dT%02d:%02d:%02d,%s,%s,%d.%d,%d,%d,", 29 + c->day, c->sec / 3600,
                c->sec / 60 % 60, c->sec % 60, c->queue, outcome_text[0][c->outcome],
                c->wait10 / 10, c->wait10 % 10, c->talk + c->hold, c->acw);
        if (c->agent != NULL)
            fprintf(f, "\"%s\"", c->agent);
        fprintf(f, ",%s,%s\n", c->customer, c->transfer ? "yes" : "no");
    }
    fclose(f);
    /* 2: BOM, two title lines, semicolon, decimal comma, dd.mm.yyyy and a time column */
    snprintf(path, sizeof path, "%s/log2.csv", dir);
    f = fopen(path, "wb");
    assert_non_null(f);
    fputs("\xEF\xBB\xBF" "Anrufprotokoll; Export vom 01.04.2024\n"
          "Zentrale Berlin\n"
          "Datum;Uhrzeit;Warteschlange;Ergebnis;Wartezeit;Bearbeitung;Nacharbeit;Agent;"
          "Kunde;Weitergeleitet\n",
          f);
    for (size_t i = 0; i < n_calls; i++) {
        const struct call *c = &calls[i];
        fprintf(f, "%02d.03.2024;%02d:%02d:%02d;%s;%s;%d,%d;%d;%d;", 29 + c->day, c->sec / 3600,
                c->sec / 60 % 60, c->sec % 60, c->queue, outcome_text[1][c->outcome],
                c->wait10 / 10, c->wait10 % 10, c->talk + c->hold, c->acw);
        if (c->agent != NULL)
            fprintf(f, "\"%s\"", c->agent);
        fprintf(f, ";%s;%d\n", c->customer, c->transfer ? 1 : 0);
    }
    fclose(f);
    /* 3: tab, mm/dd/yyyy, one-digit hours, separate talk/hold/ACW, CRLF */
    snprintf(path, sizeof path, "%s/log3.txt", dir);
    f = fopen(path, "wb");
    assert_non_null(f);
    fputs("Date\tTime\tQueue\tDisposition\tQueue Time\tTalk\tHold\tWrap\tAgent ID\tANI\tXfer\r\n",
          f);
    for (size_t i = 0; i < n_calls; i++) {
        const struct call *c = &calls[i];
        fprintf(f, "03/%02d/2024\t%d:%02d:%02d\t%s\t%s\t%d.%d\t%d\t%d\t%d\t%s\t%s\t%s\r\n",
                29 + c->day, c->sec / 3600, c->sec / 60 % 60, c->sec % 60, c->queue,
                outcome_text[2][c->outcome], c->wait10 / 10, c->wait10 % 10, c->talk, c->hold,
                c->acw, c->agent ? c->agent : "", c->customer, c->transfer ? "true" : "false");
    }
    fclose(f);
}

#define SCENARIO_HEAD                                                                         \
    "seed: 5\nreplications: 3\nhorizon: 24h\ninterval: 1h\ndrain: true\n"
#define SCENARIO_TAIL                                                                         \
    "queues:\n"                                                                               \
    "  - {id: sales, arrivals: trace, handle_time: {dist: exponential, mean: 3m},\n"         \
    "     wrap_up: {dist: exponential, mean: 20s}, patience: {dist: exponential, mean: 2m}}\n" \
    "  - {id: support, arrivals: trace, handle_time: {dist: exponential, mean: 5m}}\n"        \
    "groups:\n"                                                                               \
    "  - {id: team, agents: 2, skills: [sales, support]}\n"

static const char *const yaml_1 =
    SCENARIO_HEAD
    "trace:\n"
    "  file: log1.csv\n"
    "  time_zone: Europe/Berlin\n"
    "  dates: all\n"
    "  columns: {datetime: Start, queue: Skill, outcome: Result, wait: Wait, handle: Handle,\n"
    "            wrap_up: ACW, agent: Agent, customer: Customer, transfer: Transferred}\n"
    "  queues: {Sales: sales, Support: support}\n"
    "  outcomes: {HANDLED: served, ABANDONED: abandoned, SHORT ABANDON: abandoned}\n"
    SCENARIO_TAIL;

static const char *const yaml_2 =
    SCENARIO_HEAD
    "trace:\n"
    "  file: log2.csv\n"
    "  separator: ';'\n"
    "  decimal: ','\n"
    "  skip_lines: 2\n"
    "  date_format: dd.mm.yyyy\n"
    "  time_zone: Europe/Berlin\n"
    "  dates: 2024-03-29..2024-03-31\n"
    "  columns: {date: Datum, time: Uhrzeit, queue: Warteschlange, outcome: Ergebnis,\n"
    "            wait: Wartezeit, handle: Bearbeitung, wrap_up: Nacharbeit, agent: Agent,\n"
    "            customer: Kunde, transfer: Weitergeleitet}\n"
    "  queues: {Sales: sales, Support: support}\n"
    "  outcomes: {Handled: served, Abandoned: abandoned, Short Abandon: abandoned}\n"
    SCENARIO_TAIL;

static const char *const yaml_3 =
    SCENARIO_HEAD
    "trace:\n"
    "  file: log3.txt\n"
    "  separator: tab\n"
    "  date_format: mm/dd/yyyy\n"
    "  time_format: hh:mm:ss\n"
    "  time_zone: Europe/Berlin\n"
    "  dates: [2024-03-29, 03/30/2024, 2024-03-31]\n"
    "  columns: {date: Date, time: Time, queue: Queue, outcome: Disposition,\n"
    "            wait: Queue Time, talk: Talk, hold: Hold, wrap_up: Wrap, agent: Agent ID,\n"
    "            customer: ANI, transfer: Xfer}\n"
    "  queues: {Sales: sales, Support: support}\n"
    "  outcomes: {handled: served, abandoned: abandoned, short abandon: abandoned}\n"
    SCENARIO_TAIL;

/* text with the first `from` replaced by `to` (into buf) */
static const char *replaced(char *buf, size_t cap, const char *text, const char *from,
                            const char *to)
{
    const char *p = strstr(text, from);
    assert_non_null(p);
    snprintf(buf, cap, "%.*s%s%s", (int)(p - text), text, to, p + strlen(from));
    return buf;
}

static void same_records(const struct ccs_scenario *a, const struct ccs_scenario *b)
{
    assert_string_equal(ccs_scenario_date(a), ccs_scenario_date(b));
    assert_int_equal(a->start_day, b->start_day);
    for (size_t q = 0; q < a->n_queues; q++) {
        const struct ccs_arrivals *x = &a->queues[q].arrivals, *y = &b->queues[q].arrivals;
        assert_int_equal(x->n_trace, y->n_trace);
        for (size_t i = 0; i < x->n_trace; i++) {
            const struct ccs_trace_rec *r = &x->trace[i], *s = &y->trace[i];
            assert_true(r->t == s->t);
            assert_true(r->work == s->work || (isnan(r->work) && isnan(s->work)));
            assert_true(r->wrap == s->wrap || (isnan(r->wrap) && isnan(s->wrap)));
            assert_true(r->patience == s->patience || (isnan(r->patience) && isnan(s->patience)));
            assert_true(r->waited == s->waited || (isnan(r->waited) && isnan(s->waited)));
            assert_true(r->customer == s->customer);
            assert_int_equal(r->day, s->day);
            assert_int_equal(r->segment, s->segment);
            assert_int_equal(r->transfer, s->transfer);
            assert_true((r->agent == CCS_NO_AGENT) == (s->agent == CCS_NO_AGENT));
            if (r->agent != CCS_NO_AGENT)
                assert_string_equal(a->trace_agents[r->agent], b->trace_agents[s->agent]);
        }
    }
}

static void test_three_dialects(void **state)
{
    (void)state;
    make_calls();
    write_dialects();
    size_t n[3];
    struct ccs_scenario **scs[3] = {load_dates("d1", yaml_1, &n[0], NULL, 0),
                                    load_dates("d2", yaml_2, &n[1], NULL, 0),
                                    load_dates("d3", yaml_3, &n[2], NULL, 0)};
    for (int k = 0; k < 3; k++) {
        assert_non_null(scs[k]);
        assert_int_equal(n[k], 3);
    }
    /* what the first dialect holds, checked against the generator */
    const struct ccs_scenario *s0 = scs[0][0];
    assert_string_equal(ccs_scenario_date(s0), "2024-03-29");
    assert_int_equal(s0->start_day, 4); /* Friday */
    assert_string_equal(ccs_scenario_date(scs[0][2]), "2024-03-31");
    size_t want = 0, got = 0;
    for (size_t i = 0; i < n_calls; i++)
        want += strcmp(calls[i].queue, "Fax") != 0;
    for (size_t k = 0; k < 3; k++)
        for (size_t q = 0; q < 2; q++)
            got += scs[0][k]->queues[q].arrivals.n_trace;
    assert_int_equal(got, want);
    assert_non_null(strstr(ccs_scenario_note(s0), "rows of unmapped types"));
    /* the first sales record of day 0 is calls[0]: 07:mm:ss, Berlin winter time */
    const struct ccs_trace_rec *r = &s0->queues[0].arrivals.trace[0];
    assert_true(r->t == calls[0].sec);
    assert_true(r->work == calls[0].talk + calls[0].hold);
    assert_true(r->wrap == calls[0].acw);
    assert_true(r->waited == calls[0].wait10 / 10.0);
    assert_int_equal(r->day, 19811); /* 2024-03-29 */
    assert_string_equal(s0->trace_agents[r->agent], calls[0].agent);
    assert_true(r->customer == (uint64_t)strtoull(calls[0].customer, NULL, 10) ||
                calls[0].customer[0] != '4');
    /* the 23-hour day: 03:30 local is 2.5 hours after midnight */
    const struct ccs_scenario *s2 = scs[0][2];
    assert_true(s2->queues[0].arrivals.trace[0].t == 1.5 * 3600);
    assert_true(s2->queues[0].arrivals.trace[1].t == 2.5 * 3600);
    /* the same records in every dialect */
    for (int k = 1; k < 3; k++)
        for (size_t i = 0; i < 3; i++)
            same_records(scs[0][i], scs[k][i]);
    /* and the same replays, date by date and pooled */
    struct ccs_summary *per[3][3], *total[3];
    struct ccs_diag d;
    for (int k = 0; k < 3; k++) {
        struct ccs_run_opts o = ccs_run_opts_default(scs[k][0]);
        assert_int_equal(ccs_run_dates(scs[k], 3, &o, per[k], &total[k], &d), 0);
        assert_int_equal(ccs_summary_replications(total[k]), 9);
    }
    const struct ccs_layout *l = ccs_summary_layout(total[0]);
    for (int k = 1; k < 3; k++)
        for (size_t j = 0; j < l->n; j++) {
            double a = ccs_summary_mean(total[0], j), b = ccs_summary_mean(total[k], j);
            assert_true(a == b || (isnan(a) && isnan(b)));
            for (size_t i = 0; i < 3; i++) {
                a = ccs_summary_mean(per[0][i], j);
                b = ccs_summary_mean(per[k][i], j);
                assert_true(a == b || (isnan(a) && isnan(b)));
            }
        }
    /* the pool's mean is the mean of the dates' means (equal replications) */
    long off = ccs_layout_find(l, CCS_SCOPE_OVERALL, CCS_KPI_offered, -1, -1, -1, -1);
    double mean = 0;
    for (size_t i = 0; i < 3; i++)
        mean += ccs_summary_mean(per[0][i], (size_t)off) / 3;
    assert_true(fabs(ccs_summary_mean(total[0], (size_t)off) - mean) < 1e-9);
    for (int k = 0; k < 3; k++) {
        for (size_t i = 0; i < 3; i++)
            ccs_summary_free(per[k][i]);
        ccs_summary_free(total[k]);
        ccs_scenario_list_free(scs[k], n[k]);
    }
}

/* One date, a range, all: only the selected dates' records are kept. */
static void test_selection(void **state)
{
    (void)state;
    make_calls();
    write_dialects();
    char yaml[4096];
    size_t n;
    replaced(yaml, sizeof yaml, yaml_1, "dates: all", "date: 2024-03-30");
    struct ccs_scenario **scs = load_dates("one", yaml, &n, NULL, 0);
    assert_non_null(scs);
    assert_int_equal(n, 1);
    assert_string_equal(ccs_scenario_date(scs[0]), "2024-03-30");
    assert_int_equal(scs[0]->start_day, 5);
    for (size_t i = 0; i < scs[0]->queues[0].arrivals.n_trace; i++)
        assert_int_equal(scs[0]->queues[0].arrivals.trace[i].day, 19812);
    assert_non_null(strstr(ccs_scenario_note(scs[0]), "of other dates"));
    ccs_scenario_list_free(scs, n);

    /* a plain load takes one date, and says how to choose when there are several */
    char path[256], msg[512];
    snprintf(path, sizeof path, "%s/d1.yaml", dir);
    put("d1.yaml", yaml_1);
    struct ccs_scenario *sc;
    struct ccs_diag d;
    ccs_diag_clear(&d);
    assert_int_equal(ccs_scenario_load(path, NULL, 0, &sc, &d), CCS_ESCHEMA);
    assert_non_null(strstr(d.msg, "d1.yaml:9:10: error: the trace holds 3 dates (2024-03-29 to "
                                  "2024-03-31) but one is replayed here"));
    struct ccs_load_opts o = {NULL, 0, NULL, "2024-03-31", "--date"};
    assert_int_equal(ccs_scenario_load_opts(path, &o, &sc, &d), 0);
    assert_string_equal(ccs_scenario_date(sc), "2024-03-31");
    ccs_scenario_free(sc);
    o.dates = "2024-03-29..2024-03-30";
    assert_int_equal(ccs_scenario_load_dates(path, &o, &scs, &n, &d), 0);
    assert_int_equal(n, 2);
    /* a date's scenario derives again from that date alone */
    struct ccs_scenario *v;
    struct ccs_override ov = {"groups.team.agents", "3", "--set", 1, 1};
    assert_int_equal(ccs_scenario_derive(scs[1], &ov, 1, &v, &d), 0);
    assert_string_equal(ccs_scenario_date(v), "2024-03-30");
    same_records(scs[1], v);
    ccs_scenario_free(v);
    ccs_scenario_list_free(scs, n);

    /* a date with no rows is an error naming the file's dates */
    replaced(yaml, sizeof yaml, yaml_1, "dates: all", "date: 2024-04-30");
    assert_null(load_dates("none", yaml, &n, msg, sizeof msg));
    assert_string_equal(msg, "none.yaml:9:9: error: no row of 'log1.csv' has the date "
                             "2024-04-30 (its dates run from 2024-03-29 to 2024-03-31)");
}

/* A night window crossing midnight: the early hours belong to the evening's date. */
static void test_across_midnight(void **state)
{
    (void)state;
    put("night.csv", "day,time,wait,handle\n"
                     "2024-03-04,21:00:00,0,600\n"
                     "2024-03-05,01:00:00,0,300\n"
                     "2024-03-05,07:00:00,0,30\n"
                     "2024-03-05,23:59:00,0,900\n");
    size_t n;
    struct ccs_scenario **scs = load_dates(
        "night",
        "horizon: 10h\nstart_time: '21:00'\n"
        "trace: {file: night.csv, date_format: yyyy-mm-dd, dates: all,\n"
        "        columns: {date: day, time: time, wait: wait, handle: handle}}\n"
        "queues:\n  - {id: q, arrivals: trace, handle_time: {dist: exponential, mean: 1m}}\n"
        "groups:\n  - {id: g, agents: 1, skills: [q]}\n",
        &n, NULL, 0);
    assert_non_null(scs);
    assert_int_equal(n, 2);
    const struct ccs_arrivals *a = &scs[0]->queues[0].arrivals;
    assert_int_equal(a->n_trace, 2);
    assert_true(a->trace[0].t == 0 && a->trace[1].t == 4 * 3600);
    assert_int_equal(a->trace[1].day, 19787); /* its own date, 2024-03-05 */
    /* 07:00 is the end of 21:00 + 10h; the call at 23:59 is the 5th's, kept whole */
    a = &scs[1]->queues[0].arrivals;
    assert_int_equal(a->n_trace, 1);
    assert_true(a->trace[0].t == 2 * 3600 + 59 * 60 && a->trace[0].work == 900);
    assert_non_null(strstr(ccs_scenario_note(scs[0]), "1 outside the horizon"));
    ccs_scenario_list_free(scs, n);
}

/* The 25-hour day: the repeated hour, an offset, and the end of the long day. */
static void test_long_day(void **state)
{
    (void)state;
    put("fall.csv", "when\n"
                    "2024-10-27T01:30:00\n"
                    "2024-10-27T02:30:00\n"
                    "2024-10-27T02:30:00+01:00\n"
                    "2024-10-27T03:30:00\n"
                    "2024-10-27T23:30:00\n"
                    "2024-10-28T00:30:00\n");
    size_t n;
    const char *fmt = "horizon: %s\n"
                      "trace: {file: fall.csv, time_zone: Europe/Berlin, dates: %s,\n"
                      "        columns: {datetime: when}}\n"
                      "queues:\n  - {id: q, arrivals: trace, handle_time: {dist: exponential, "
                      "mean: 1m}}\n"
                      "groups:\n  - {id: g, agents: 1, skills: [q]}\n";
    char yaml[1024];
    snprintf(yaml, sizeof yaml, fmt, "25h", "all");
    struct ccs_scenario **scs = load_dates("fall", yaml, &n, NULL, 0);
    assert_non_null(scs);
    assert_int_equal(n, 2);
    const struct ccs_arrivals *a = &scs[0]->queues[0].arrivals;
    assert_int_equal(a->n_trace, 5);
    double want[] = {1.5, 2.5, 3.5, 4.5, 24.5}; /* real hours since midnight */
    for (int i = 0; i < 5; i++)
        assert_true(a->trace[i].t == want[i] * 3600);
    /* the next date starts where this one ends */
    assert_int_equal(scs[1]->queues[0].arrivals.n_trace, 1);
    assert_true(scs[1]->queues[0].arrivals.trace[0].t == 1800);
    ccs_scenario_list_free(scs, n);
    /* with a 24-hour run, the 25th hour is outside, and counted */
    snprintf(yaml, sizeof yaml, fmt, "24h", "2024-10-27");
    scs = load_dates("fall24", yaml, &n, NULL, 0);
    assert_non_null(scs);
    assert_int_equal(scs[0]->queues[0].arrivals.n_trace, 4);
    assert_non_null(strstr(ccs_scenario_note(scs[0]), "1 outside the horizon"));
    ccs_scenario_list_free(scs, n);
    /* several dates replay a day each: at most 25 hours */
    char msg[512];
    snprintf(yaml, sizeof yaml, fmt, "2d", "all");
    assert_null(load_dates("fall2d", yaml, &n, msg, sizeof msg));
    assert_string_equal(msg, "fall2d.yaml:2:58: error: several dates replay a day each, but "
                             "the horizon is 2d: at most 25h (a day when clocks go back)");
}

/* The Anonymous Bank preset, with its keys overridden for the shared CSV copy. */
static void test_bank_preset_overridden(void **state)
{
    (void)state;
    /* ../shared beside the clone (or beside a worktree's parent) */
    const char *csv = CCS_SOURCE_DIR "/../shared/validation-data/anonymous-bank/"
                                     "calls_one_day_aug1999.csv";
    struct stat st;
    if (stat(csv, &st) != 0)
        csv = CCS_SOURCE_DIR "/../../shared/validation-data/anonymous-bank/"
                             "calls_one_day_aug1999.csv";
    if (stat(csv, &st) != 0)
        skip();
    char yaml[2048];
    snprintf(yaml, sizeof yaml,
             "start_time: '07:00'\nhorizon: 17h\nreplications: 2\n"
             "trace: {file: %s, format: anonymous-bank, separator: ',', "
             "date_format: yyyy-mm-dd,\n"
             "        queues: {PS: retail, PE: retail, NW: retail, NE: retail, TT: retail, "
             "IN: retail}}\n"
             "queues:\n  - {id: retail, arrivals: trace, handle_time: {dist: exponential, "
             "mean: 3m},\n"
             "     segments: [{id: regular, share: 90%%}, {id: priority, share: 10%%}]}\n"
             "groups:\n  - {id: g, agents: 12, skills: [retail]}\n",
             csv);
    size_t n;
    struct ccs_scenario **scs = load_dates("aug", yaml, &n, NULL, 0);
    assert_non_null(scs);
    assert_int_equal(n, 1);
    assert_string_equal(ccs_scenario_date(scs[0]), "2010-08-01");
    const char *note = ccs_scenario_note(scs[0]);
    assert_non_null(strstr(note, "left in the voice menu"));
    size_t prio = 0, agents = 0, total = scs[0]->queues[0].arrivals.n_trace;
    assert_true(total > 1000);
    for (size_t i = 0; i < total; i++) {
        prio += scs[0]->queues[0].arrivals.trace[i].segment == 1;
        agents += scs[0]->queues[0].arrivals.trace[i].agent != CCS_NO_AGENT;
    }
    assert_true(prio > 0 && prio < total);
    assert_true(agents > total / 2);
    assert_true(scs[0]->n_trace_agents > 5);
    ccs_scenario_list_free(scs, n);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_three_dialects),
        cmocka_unit_test(test_selection),
        cmocka_unit_test(test_across_midnight),
        cmocka_unit_test(test_long_day),
        cmocka_unit_test(test_bank_preset_overridden),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
