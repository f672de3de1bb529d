/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * csv_bench.c - throughput of the CSV dialect reader (sim/fmt/csv.c) on a
 * generated 17-column call log, the shape of the Anonymous Bank export.
 * Not a test: it prints rows/s and MB/s for reading alone and for reading
 * plus converting the numeric and clock-time columns, best of a few rounds.
 *
 *   ccs_csv_bench [ROWS (default 2000000)] [DIR (default /tmp)]
 *
 * Built with `cmake --build build --target ccs_csv_bench`; the generated
 * file is removed afterwards. Peak memory: run it under tests/bench/rss.c.
 */
#include "fmt/csv.h"
#include "fmt/datetime.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
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

static int generate(const char *path, long rows)
{
    FILE *f = fopen(path, "w");
    if (f == NULL)
        return -1;
    static const char *const types[] = {"PS", "PE", "IN", "NE", "NW", "TT"};
    static const char *const agents[] = {"AVI", "TOVA", "MORIAH", "BASCH", "NO_SERVER"};
    fputs("vru+line,call_id,customer_id,priority,type,date,vru_entry,vru_exit,vru_time,"
          "q_start,q_exit,q_time,outcome,ser_start,ser_exit,ser_time,server\n",
          f);
    for (long i = 0; i < rows; i++) {
        unsigned t = 25200 + rnd(61200), vt = 5 + rnd(30), qt = rnd(300), st = 10 + rnd(600);
        char a[16], b[16], c[16], e[16], g[16], h[16];
        clock_text(a, sizeof a, t);
        clock_text(b, sizeof b, t + vt);
        clock_text(c, sizeof c, t + vt);
        clock_text(e, sizeof e, t + vt + qt);
        clock_text(g, sizeof g, t + vt + qt);
        clock_text(h, sizeof h, t + vt + qt + st);
        fprintf(f, "AA%04u,%ld,%u,%u,%s,991012,%s,%s,%u,%s,%s,%u,%s,%s,%s,%u,%s\n",
                101 + rnd(600), 40000 + i, rnd(2) ? 0 : 10000000 + rnd(90000000), rnd(3),
                types[rnd(6)], a, b, vt, c, e, qt, rnd(10) ? "AGENT" : "HANG", g, h, st,
                agents[rnd(5)]);
    }
    return fclose(f) == 0 ? 0 : -1;
}

/* One pass; convert: also parse 4 numbers and 2 clock times per row. */
static int pass(const char *path, int convert, long *rows, double *sum)
{
    struct ccs__csvr *r;
    struct ccs_diag d;
    ccs_diag_clear(&d);
    if (ccs__csvr_new(path, NULL, &r, &d) != 0) {
        fprintf(stderr, "%s\n", d.msg);
        return -1;
    }
    size_t cols[4] = {8, 11, 15, 3}, clocks[2] = {6, 9};
    long n = 0;
    double s = 0;
    while (ccs__csvr_next(r, &d)) {
        n++;
        if (!convert)
            continue;
        for (int k = 0; k < 4; k++) {
            double v;
            if (ccs__csvr_number(r, cols[k], &v, &d) != 0)
                break;
            s += v;
        }
        for (int k = 0; k < 2; k++) {
            double v;
            if (ccs__time_parse(CCS__TIME_HMS, ccs__csvr_get(r, clocks[k]),
                                ccs__csvr_len(r, clocks[k]), &v, NULL) == 0)
                s += v;
        }
    }
    int rc = ccs__csvr_status(r) != 0 || d.code != 0 ? -1 : 0;
    if (rc != 0)
        fprintf(stderr, "%s\n", d.msg);
    ccs__csvr_free(r);
    *rows = n;
    *sum = s;
    return rc;
}

int main(int argc, char **argv)
{
    long rows = argc > 1 ? atol(argv[1]) : 2000000;
    const char *dir = argc > 2 ? argv[2] : "/tmp";
    char path[4096];
    snprintf(path, sizeof path, "%s/ccs_csv_bench_%ld.csv", dir, (long)getpid());
    if (rows <= 0 || generate(path, rows) != 0) {
        fprintf(stderr, "cannot write %s\n", path);
        return 1;
    }
    FILE *f = fopen(path, "rb");
    fseek(f, 0, SEEK_END);
    double mb = (double)ftell(f) / 1e6;
    fclose(f);
    printf("file: %ld rows, 17 columns, %.1f MB\n", rows, mb);
    int status = 0;
    for (int convert = 0; convert <= 1 && status == 0; convert++) {
        double best = 1e30, sum = 0;
        long n = 0;
        for (int round = 0; round < 3; round++) {
            double t0 = now();
            if (pass(path, convert, &n, &sum) != 0) {
                status = 1;
                break;
            }
            double t = now() - t0;
            if (t < best)
                best = t;
        }
        if (status == 0)
            printf("%-28s %ld rows in %.3f s: %.2f million rows/s, %.0f MB/s (checksum %.0f)\n",
                   convert ? "read + 4 numbers + 2 times:" : "read fields:", n, best,
                   n / best / 1e6, mb / best, sum);
    }
    unlink(path);
    return status;
}
