/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * scale_ref.c - a hand-written loop for the scale scenarios of
 * tests/bench/gen-scale.py: what a special-purpose C program, close to the
 * limit of the machine, pays per call with thousands of agents and hundreds
 * of queues. bench.py --scale times it beside ccsim (docs/benchmark.md).
 *
 * The model is exactly gen-scale.py's: Q queues, G groups of A/G agents,
 * queue q served by PER_QUEUE groups ((q*G/Q + j*G/PER_QUEUE) % G, so each
 * group lists its skills in the same, ascending, order), Poisson arrivals
 * of LOAD*A/HANDLE/Q per minute per queue, exponential handle time and
 * patience, and ccsim's 'acd' routing (sim/policy/acd.c): an arriving
 * contact goes to the longest-idle eligible agent (ties: lowest agent id),
 * else waits FIFO in its queue; a freed agent serves the oldest contact of
 * the first skill in its group's list with a waiting contact. The run
 * starts empty with every agent idle and stops at the horizon, as ccsim
 * does without 'drain': contacts still waiting then are unfinished.
 *
 * Data: one binary heap of 16-byte events with lazy cancellation of
 * abandonments; per-queue FIFO rings of arrival times (a tombstone for an
 * abandoned contact, absolute sequence numbers so a ring can grow); per
 * group a FIFO ring of its idle agents in the order they became idle; a
 * bitmask of the queues with waiting contacts and one of each group's
 * skills. Longest idle: with many groups per queue, a walk of one list of
 * all idle agents in idle order to the first eligible one (a few steps when
 * most groups are eligible), else a scan of the queue's groups' heads.
 * Nothing is allocated per call (rings and heap grow by doubling).
 *
 * usage: scale_ref -q Q -g G -a A -p PER_QUEUE [-m MINUTES] [-s SEED]
 *                  [-l LOAD] [-H HANDLE_MIN] [-P PATIENCE_MIN] [-w auto|scan|walk]
 */
#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

enum { EV_ARRIVAL = 0, EV_DEPART = 1, EV_ABANDON = 2 };
#define NONE UINT32_MAX
#define WALK_MAX 64

/* An event: time, type in the low 2 bits of kind (the queue above them),
   and the agent (departure) or the contact's sequence number in its queue. */
struct ev {
    double t;
    uint32_t kind;
    uint32_t id;
};

struct heap {
    struct ev *a; /* 1-based */
    size_t n, cap, max_n;
};

/* A queue's waiting contacts: arrival times (-1: abandoned) of sequence
   numbers [head, tail), at arr[seq & mask]. */
struct ring {
    double *arr;
    uint32_t head, tail, mask, nlive;
};

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (p == NULL) {
        fprintf(stderr, "scale_ref: out of memory\n");
        exit(1);
    }
    return p;
}

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (p == NULL) {
        fprintf(stderr, "scale_ref: out of memory\n");
        exit(1);
    }
    return p;
}

static void heap_push(struct heap *h, double t, uint32_t kind, uint32_t id)
{
    if (h->n == h->cap) {
        struct ev *a = xmalloc((2 * h->cap + 1) * sizeof *a);
        memcpy(a, h->a, (h->cap + 1) * sizeof *a);
        free(h->a);
        h->a = a;
        h->cap *= 2;
    }
    size_t i = ++h->n;
    struct ev *a = h->a;
    while (i > 1 && a[i >> 1].t > t) {
        a[i] = a[i >> 1];
        i >>= 1;
    }
    a[i].t = t;
    a[i].kind = kind;
    a[i].id = id;
    if (h->n > h->max_n)
        h->max_n = h->n;
}

static struct ev heap_pop(struct heap *h)
{
    struct ev *a = h->a;
    struct ev top = a[1], last = a[h->n--];
    size_t n = h->n, i = 1, c;
    while ((c = i << 1) <= n) {
        if (c < n && a[c + 1].t < a[c].t)
            c++;
        if (!(a[c].t < last.t))
            break;
        a[i] = a[c];
        i = c;
    }
    a[i] = last;
    return top;
}

/* xoshiro256+ (Blackman and Vigna) seeded by splitmix64; top 53 bits. */
struct rng {
    uint64_t s[4];
};

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static inline double rng_exp(struct rng *r, double mean)
{
    uint64_t *s = r->s;
    uint64_t result = s[0] + s[3], t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = (s[3] << 45) | (s[3] >> 19);
    return -mean * log1p(-(double)(result >> 11) * 0x1.0p-53);
}

static void ring_grow(struct ring *r)
{
    uint32_t size = 2 * (r->mask + 1);
    double *arr = xmalloc(size * sizeof *arr);
    for (uint32_t s = r->head; s != r->tail; s++)
        arr[s & (size - 1)] = r->arr[s & r->mask];
    free(r->arr);
    r->arr = arr;
    r->mask = size - 1;
}

static double cpu_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

static double wall_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + 1e-9 * ts.tv_nsec;
}

static void usage(void)
{
    fprintf(stderr, "usage: scale_ref -q QUEUES -g GROUPS -a AGENTS -p PER_QUEUE [-m MINUTES] "
                    "[-s SEED] [-l LOAD] [-H HANDLE_MIN] [-P PATIENCE_MIN] [-w auto|scan|walk]\n");
    exit(2);
}

int main(int argc, char **argv)
{
    long nq = 0, ng = 0, na = 0, per_q = 0;
    double minutes = 150, load = 0.9, mh = 5, mp = 3;
    uint64_t seed = 12345;
    int walk = -1; /* -1: choose */
    int opt;
    while ((opt = getopt(argc, argv, "q:g:a:p:m:s:l:H:P:w:")) != -1) {
        switch (opt) {
        case 'q': nq = atol(optarg); break;
        case 'g': ng = atol(optarg); break;
        case 'a': na = atol(optarg); break;
        case 'p': per_q = atol(optarg); break;
        case 'm': minutes = atof(optarg); break;
        case 's': seed = strtoull(optarg, NULL, 10); break;
        case 'l': load = atof(optarg); break;
        case 'H': mh = atof(optarg); break;
        case 'P': mp = atof(optarg); break;
        case 'w': walk = !strcmp(optarg, "walk") ? 1 : !strcmp(optarg, "scan") ? 0 : -1; break;
        default: usage();
        }
    }
    if (nq < 1 || ng < 1 || na < 1 || per_q < 1 || per_q > ng || nq > (1L << 29) ||
        minutes <= 0 || load <= 0 || mh <= 0 || mp <= 0)
        usage();
    double w0 = wall_s(), c0 = cpu_s();

    /* the model of gen-scale.py */
    uint32_t Q = (uint32_t)nq, G = (uint32_t)ng;
    uint32_t pg = na / ng > 0 ? (uint32_t)(na / ng) : 1, A = pg * G;
    double rate = load * pg * G / mh / Q; /* calls per minute per queue */
    uint32_t W = (Q + 63) / 64;
    uint32_t *nsk = xcalloc(G, sizeof *nsk);
    for (uint32_t q = 0; q < Q; q++)
        for (uint32_t j = 0; j < per_q; j++)
            nsk[((uint64_t)q * G / Q + (uint64_t)j * G / per_q) % G]++;
    uint32_t *sk_off = xmalloc((G + 1) * sizeof *sk_off);
    sk_off[0] = 0;
    for (uint32_t g = 0; g < G; g++)
        sk_off[g + 1] = sk_off[g] + (nsk[g] ? nsk[g] : 1);
    uint32_t *skills = xmalloc(sk_off[G] * sizeof *skills);
    uint32_t *qn = xcalloc(Q, sizeof *qn);
    memset(nsk, 0, G * sizeof *nsk);
    for (uint32_t q = 0; q < Q; q++)
        for (uint32_t j = 0; j < per_q; j++) {
            uint32_t g = ((uint64_t)q * G / Q + (uint64_t)j * G / per_q) % G;
            skills[sk_off[g] + nsk[g]++] = q;
        }
    for (uint32_t g = 0; g < G; g++)
        if (nsk[g] == 0)
            skills[sk_off[g] + nsk[g]++] = g % Q; /* as gen-scale.py */
    uint64_t *gmask = xcalloc((size_t)G * W, sizeof *gmask);
    bool ascending = true;
    for (uint32_t g = 0; g < G; g++)
        for (uint32_t s = sk_off[g]; s < sk_off[g + 1]; s++) {
            uint32_t q = skills[s];
            gmask[(size_t)g * W + q / 64] |= 1ULL << (q % 64);
            qn[q]++;
            if (s > sk_off[g] && q <= skills[s - 1])
                ascending = false;
        }
    /* each queue's groups */
    uint32_t *qg_off = xmalloc((Q + 1) * sizeof *qg_off);
    qg_off[0] = 0;
    for (uint32_t q = 0; q < Q; q++)
        qg_off[q + 1] = qg_off[q] + qn[q];
    uint32_t *qgroups = xmalloc((qg_off[Q] ? qg_off[Q] : 1) * sizeof *qgroups);
    memset(qn, 0, Q * sizeof *qn);
    for (uint32_t g = 0; g < G; g++)
        for (uint32_t s = sk_off[g]; s < sk_off[g + 1]; s++)
            qgroups[qg_off[skills[s]] + qn[skills[s]]++] = g;
    /* Walking the idle list takes about G/PER_QUEUE steps, a scan PER_QUEUE. */
    if (walk < 0)
        walk = (uint64_t)per_q * per_q > G;

    /* agents: a = g*pg + j; all idle since 0, in id order */
    uint32_t *group_of = xmalloc(A * sizeof *group_of);
    double *idle_since = xcalloc(A, sizeof *idle_since);
    uint32_t *gidle = xmalloc(A * sizeof *gidle);    /* group g's idle FIFO at g*pg */
    uint32_t *gh = xcalloc(G, sizeof *gh), *gn = xmalloc(G * sizeof *gn);
    double *head_since = xcalloc(G, sizeof *head_since); /* INFINITY: none idle */
    uint32_t *next = xmalloc(A * sizeof *next), *prev = xmalloc(A * sizeof *prev);
    uint32_t first = 0, last = A - 1;
    for (uint32_t a = 0; a < A; a++) {
        group_of[a] = a / pg;
        gidle[a] = a;
        next[a] = a + 1 < A ? a + 1 : NONE;
        prev[a] = a > 0 ? a - 1 : NONE;
    }
    for (uint32_t g = 0; g < G; g++)
        gn[g] = pg;

    struct ring *ring = xcalloc(Q, sizeof *ring);
    for (uint32_t q = 0; q < Q; q++) {
        ring[q].mask = 15;
        ring[q].arr = xmalloc(16 * sizeof(double));
    }
    uint64_t *wbits = xcalloc(W, sizeof *wbits); /* queues with waiting contacts */
    uint64_t nwaiting = 0;

    struct rng R;
    uint64_t sm = seed;
    for (int i = 0; i < 4; i++)
        R.s[i] = splitmix64(&sm);
    struct heap H = {NULL, 0, (size_t)A + Q + 1024, 0};
    H.a = xmalloc((H.cap + 1) * sizeof *H.a);
    for (uint32_t q = 0; q < Q; q++)
        heap_push(&H, rng_exp(&R, 1 / rate), EV_ARRIVAL | q << 2, 0);

    uint64_t arrived = 0, answered = 0, abandoned = 0, waited = 0, events = 0, walked = 0, scans = 0;
    double wsum = 0, t = 0;
    while (H.n) {
        struct ev e = heap_pop(&H);
        if (e.t >= minutes)
            break;
        t = e.t;
        events++;
        uint32_t type = e.kind & 3, q = e.kind >> 2;
        if (type == EV_ARRIVAL) {
            arrived++;
            heap_push(&H, t + rng_exp(&R, 1 / rate), e.kind, 0);
            /* the longest-idle eligible agent */
            uint32_t a = NONE, steps = 0;
            if (walk) {
                for (uint32_t x = first; x != NONE && steps < WALK_MAX; x = next[x], steps++)
                    if ((gmask[(size_t)group_of[x] * W + q / 64] >> (q % 64)) & 1) {
                        a = x;
                        break;
                    }
                walked += steps;
            }
            if (a == NONE && (!walk || steps == WALK_MAX)) {
                uint32_t bg = NONE;
                double best = INFINITY;
                scans++;
                for (uint32_t i = qg_off[q]; i < qg_off[q + 1]; i++) {
                    uint32_t g = qgroups[i];
                    if (head_since[g] < best || (head_since[g] == best && bg != NONE && g < bg)) {
                        best = head_since[g];
                        bg = g;
                    }
                }
                if (bg != NONE && best < INFINITY)
                    a = gidle[bg * pg + gh[bg]];
            }
            if (a != NONE) {
                /* the head of its group's idle FIFO */
                uint32_t g = group_of[a];
                gh[g] = gh[g] + 1 == pg ? 0 : gh[g] + 1;
                head_since[g] = --gn[g] ? idle_since[gidle[g * pg + gh[g]]] : INFINITY;
                if (walk) {
                    if (prev[a] != NONE)
                        next[prev[a]] = next[a];
                    else
                        first = next[a];
                    if (next[a] != NONE)
                        prev[next[a]] = prev[a];
                    else
                        last = prev[a];
                }
                answered++;
                heap_push(&H, t + rng_exp(&R, mh), EV_DEPART, a);
            } else {
                struct ring *r = &ring[q];
                if (r->tail - r->head > r->mask)
                    ring_grow(r);
                r->arr[r->tail & r->mask] = t;
                heap_push(&H, t + rng_exp(&R, mp), EV_ABANDON | q << 2, r->tail);
                r->tail++;
                waited++;
                if (r->nlive++ == 0)
                    wbits[q / 64] |= 1ULL << (q % 64);
                nwaiting++;
            }
        } else if (type == EV_DEPART) {
            uint32_t a = e.id, g = group_of[a], qq = NONE;
            if (nwaiting) {
                /* the first skill in the group's list with a waiting contact */
                if (ascending && nsk[g] > 8) {
                    const uint64_t *m = gmask + (size_t)g * W;
                    for (uint32_t w = 0; w < W; w++)
                        if (wbits[w] & m[w]) {
                            qq = w * 64 + (uint32_t)__builtin_ctzll(wbits[w] & m[w]);
                            break;
                        }
                } else {
                    for (uint32_t s = sk_off[g]; s < sk_off[g + 1]; s++)
                        if ((wbits[skills[s] / 64] >> (skills[s] % 64)) & 1) {
                            qq = skills[s];
                            break;
                        }
                }
            }
            if (qq != NONE) {
                struct ring *r = &ring[qq];
                while (r->arr[r->head & r->mask] < 0)
                    r->head++;
                wsum += t - r->arr[r->head & r->mask];
                r->head++;
                if (--r->nlive == 0)
                    wbits[qq / 64] &= ~(1ULL << (qq % 64));
                nwaiting--;
                answered++;
                heap_push(&H, t + rng_exp(&R, mh), EV_DEPART, a);
            } else {
                uint32_t *fifo = gidle + (size_t)g * pg;
                uint32_t tail = gh[g] + gn[g];
                fifo[tail >= pg ? tail - pg : tail] = a;
                idle_since[a] = t;
                if (gn[g]++ == 0)
                    head_since[g] = t;
                if (walk) {
                    next[a] = NONE;
                    prev[a] = last;
                    if (last != NONE)
                        next[last] = a;
                    else
                        first = a;
                    last = a;
                }
            }
        } else { /* EV_ABANDON, stale if served already */
            struct ring *r = &ring[q];
            uint32_t seq = e.id;
            if (seq - r->head < r->tail - r->head && r->arr[seq & r->mask] >= 0) {
                wsum += t - r->arr[seq & r->mask];
                r->arr[seq & r->mask] = -1;
                abandoned++;
                if (--r->nlive == 0)
                    wbits[q / 64] &= ~(1ULL << (q % 64));
                nwaiting--;
            }
        }
    }
    double cpu = cpu_s() - c0, wall = wall_s() - w0;
    printf("engine=scale-ref queues=%u groups=%u agents=%u per_queue=%ld route=%s calls=%llu "
           "answered=%llu abandoned=%llu unfinished=%llu events=%llu maxheap=%zu simtime=%.3f\n",
           Q, G, A, per_q, walk ? "walk" : "scan", (unsigned long long)arrived,
           (unsigned long long)answered, (unsigned long long)abandoned,
           (unsigned long long)nwaiting, (unsigned long long)events, H.max_n, t);
    printf("KPI p_ab=%.6f mean_wait_s=%.6f p_wait=%.6f walk_steps=%.3f scans=%llu\n",
           arrived ? (double)abandoned / arrived : 0,
           answered + abandoned ? 60 * wsum / (answered + abandoned) : 0,
           arrived ? (double)waited / arrived : 0,
           arrived ? (double)walked / arrived : 0, (unsigned long long)scans);
    printf("PERF wall=%.4f cpu=%.4f calls_per_s=%.0f events_per_s=%.0f\n", wall, cpu,
           arrived / cpu, events / cpu);
    for (uint32_t q = 0; q < Q; q++)
        free(ring[q].arr);
    free(ring);
    free(wbits);
    free(H.a);
    free(next);
    free(prev);
    free(head_since);
    free(gn);
    free(gh);
    free(gidle);
    free(idle_since);
    free(group_of);
    free(qgroups);
    free(qg_off);
    free(gmask);
    free(qn);
    free(skills);
    free(sk_off);
    free(nsk);
    return 0;
}
