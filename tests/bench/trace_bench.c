/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * trace_bench.c - throughput of the trace loader (sim/load/trace_load.c) on
 * a generated multi-day call log of 17 columns, the shape of the Anonymous
 * Bank export but comma-separated with ISO dates, read through the
 * anonymous-bank preset with overrides and a time zone: every row is split,
 * dated, mapped (outcome, queue, segment, agent, customer) and converted.
 * Not a test: it prints rows/s and the peak memory, for a replay of every
 * date (all records kept) and of one date (the others checked and dropped).
 *
 *   ccs_trace_bench [ROWS (default 2000000)] [DIR (default /tmp)] [all|one|both]
 *
 * Built with `cmake --build build --target ccs_trace_bench`; the generated
 * files are removed afterwards. For instructions per row, which a shared
 * machine cannot disturb:
 *   valgrind --tool=callgrind build/ccs_trace_bench 200000 /tmp one
 */
#include "ccs/ccs.h"
#include "model/scenario.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

static double now(clockid_t c)
{
    struct timespec ts;
    clock_gettime(c, &ts);
    return (double)ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* A small LCG: the file is the same on every run. */
static unsigned long long seed = 12345;
static unsigned rnd(unsigned n)
{
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    return (unsigned)((seed >> 33) % n);
}

static void clock_text(char *buf, size_t cap, unsigned s)
{
    snprintf(buf, cap, "%u:%02u:%02u", s / 3600, s / 60 % 60, s % 60);
}

/* rows spread over days of 2024 from 1 March, in time order within a day */
static int generate(const char *path, long rows, int *days)
{
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return -1;
    static const char *const types[] = {"PS", "PE", "IN", "NE", "NW", "TT"};
    static const char *const agents[] = {"AVI",   "TOVA", "MORIAH", "BASCH", "DANA",
                                         "SHARON", "GILI", "ELI",    "ZOHAR", "YIFAT"};
    fputs("vru+line,call_id,customer_id,priority,type,date,vru_entry,vru_exit,vru_time,"
          "q_start,q_exit,q_time,outcome,ser_start,ser_exit,ser_time,server\n",
          f);
    const long per_day = 33000;
    *days = (int)((rows + per_day - 1) / per_day);
    for (long i = 0; i < rows; i++) {
        long day = i / per_day, k = i % per_day;
        int y = 2024, m = 3, d = 1 + (int)day;
        static const int mdays[] = {31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
        for (int j = 0; d > mdays[j % 10]; j++) {
            d -= mdays[j % 10];
            if (++m > 12) {
                m = 1;
                y++;
            }
        }
        unsigned t = 25200 + (unsigned)(k * 54000 / per_day), vt = 5 + rnd(30),
                 qt = rnd(300), st = 10 + rnd(600);
        bool queued = rnd(4) != 0, served = rnd(10) != 0;
        char a[16], b[16], c[16], e[16], g[16], h[16];
        clock_text(a, sizeof a, t);
        clock_text(b, sizeof b, t + vt);
        if (queued) {
            clock_text(c, sizeof c, t + vt);
            clock_text(e, sizeof e, t + vt + qt);
        } else {
            snprintf(c, sizeof c, "0:00:00");
            snprintf(e, sizeof e, "0:00:00");
            qt = 0;
        }
        if (served) {
            clock_text(g, sizeof g, t + vt + qt);
            clock_text(h, sizeof h, t + vt + qt + st);
        } else {
            snprintf(g, sizeof g, "0:00:00");
            snprintf(h, sizeof h, "0:00:00");
            st = 0;
        }
        fprintf(f, "AA%04u,%ld,%u,%u,%s,%04d-%02d-%02d,%s,%s,%u,%s,%s,%u,%s,%s,%s,%u,%s\n",
                101 + rnd(600), 40000 + i, rnd(2) ? 0 : 10000000 + rnd(90000000), rnd(3),
                types[rnd(6)], y, m, d, a, b, vt, c, e, qt, served ? "AGENT" : "HANG", g, h,
                st, served ? agents[rnd(10)] : "NO_SERVER");
    }
    return fclose(f) == 0 ? 0 : -1;
}

static int scenario(const char *path, const char *log, const char *dates)
{
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return -1;
    fprintf(f,
            "start_time: '07:00'\nhorizon: 17h\n"
            "trace:\n"
            "  file: %s\n"
            "  format: anonymous-bank\n"
            "  separator: ','\n"
            "  date_format: yyyy-mm-dd\n"
            "  time_zone: Asia/Jerusalem\n"
            "  dates: %s\n"
            "  queues: {PS: retail, PE: retail, NW: retail, NE: retail, TT: retail, IN: internet}\n"
            "queues:\n"
            "  - {id: retail, arrivals: trace, handle_time: {dist: exponential, mean: 3m},\n"
            "     segments: [{id: regular, share: 86%%}, {id: priority, share: 14%%}]}\n"
            "  - {id: internet, arrivals: trace, handle_time: {dist: exponential, mean: 3m}}\n"
            "groups:\n  - {id: g, agents: 10, skills: [retail, internet]}\n",
            log, dates);
    return fclose(f) == 0 ? 0 : -1;
}

static long peak_kib(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss;
}

int main(int argc, char **argv)
{
    long rows = argc > 1 ? atol(argv[1]) : 2000000;
    const char *dir = argc > 2 ? argv[2] : "/tmp";
    const char *which = argc > 3 ? argv[3] : "both";
    char log[4096], yaml[4096];
    snprintf(log, sizeof log, "%s/ccs_trace_bench_%ld.csv", dir, (long)getpid());
    snprintf(yaml, sizeof yaml, "%s/ccs_trace_bench_%ld.yaml", dir, (long)getpid());
    int days;
    if (rows <= 0 || generate(log, rows, &days) != 0) {
        fprintf(stderr, "cannot write %s\n", log);
        return 1;
    }
    FILE *f = fopen(log, "rb");
    fseek(f, 0, SEEK_END);
    double mb = (double)ftell(f) / 1e6;
    fclose(f);
    printf("file: %ld rows, 17 columns, %d days, %.1f MB; peak memory before loading %ld KiB\n",
           rows, days, mb, peak_kib());
    int status = 0;
    for (int pass = 0; pass < 2 && status == 0; pass++) {
        bool all = pass == 0;
        if ((all && strcmp(which, "one") == 0) || (!all && strcmp(which, "all") == 0))
            continue;
        if (scenario(yaml, log, all ? "all" : "2024-03-02") != 0) {
            status = 1;
            break;
        }
        double best = 1e30, best_cpu = 1e30;
        size_t records = 0, n = 0;
        for (int round = 0; round < (rows >= 1000000 ? 3 : 1); round++) {
            double t0 = now(CLOCK_MONOTONIC), c0 = now(CLOCK_PROCESS_CPUTIME_ID);
            struct ccs_scenario **scs;
            struct ccs_diag d;
            ccs_diag_clear(&d);
            if (ccs_scenario_load_dates(yaml, NULL, &scs, &n, &d) != 0) {
                fprintf(stderr, "%s\n", d.msg);
                status = 1;
                break;
            }
            double t = now(CLOCK_MONOTONIC) - t0, c = now(CLOCK_PROCESS_CPUTIME_ID) - c0;
            records = 0;
            for (size_t k = 0; k < n; k++)
                records += scs[k]->queues[0].arrivals.n_trace + scs[k]->queues[1].arrivals.n_trace;
            ccs_scenario_list_free(scs, n);
            best = t < best ? t : best;
            best_cpu = c < best_cpu ? c : best_cpu;
        }
        if (status == 0)
            printf("%-10s %zu dates, %zu records kept: %.3f s (cpu %.3f s), %.2f million rows/s "
                   "(cpu %.2f), peak memory %ld KiB\n",
                   all ? "dates all:" : "one date:", n, records, best, best_cpu,
                   rows / best / 1e6, rows / best_cpu / 1e6, peak_kib());
    }
    unlink(log);
    unlink(yaml);
    return status;
}
