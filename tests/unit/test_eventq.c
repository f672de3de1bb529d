/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_eventq.c - the event heap: events come out ordered by time, then by
 * priority (lower first), then FIFO in push order (the libuv-style tie
 * test); a long random mix of pushes and pops matches a sorted reference;
 * the heap grows past its initial capacity and clears; the packing limits
 * (16 priorities, pending events, sequence renumbering) fail cleanly or
 * keep the order; the three tiers (heap, calendar, far) keep it too, every
 * pop checked against a reference and the tiers' invariant checked after
 * every step, with every path between the tiers taken.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/eventq.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

static void pop_expect(struct ccs_eventq *q, double t, unsigned prio, uint32_t obj)
{
    struct ccs_event e;
    assert_true(ccs__eventq_size(q) > 0);
    ccs__eventq_pop(q, &e);
    assert_true(e.t == t);
    assert_int_equal(ccs__event_prio(&e), prio);
    assert_int_equal(e.obj, obj);
}

static void test_order_by_time(void **state)
{
    (void)state;
    struct ccs_eventq q;
    assert_int_equal(ccs__eventq_init(&q, 4), 0);
    assert_null(ccs__eventq_peek(&q));
    /* pushed in a scrambled order; priorities deliberately anti-sorted so
       that only time can explain the output order */
    const double t[] = {5.0, 1.0, 4.0, 2.0, 3.0, 0.5, 10.0, 0.0};
    for (uint32_t i = 0; i < 8; i++)
        assert_int_equal(ccs__eventq_push(&q, t[i], 7 - i, i, 0), 0);
    assert_true(ccs__evq_time(ccs__eventq_peek(&q)) == 0.0);
    pop_expect(&q, 0.0, 0, 7);
    pop_expect(&q, 0.5, 2, 5);
    pop_expect(&q, 1.0, 6, 1);
    pop_expect(&q, 2.0, 4, 3);
    pop_expect(&q, 3.0, 3, 4);
    pop_expect(&q, 4.0, 5, 2);
    pop_expect(&q, 5.0, 7, 0);
    pop_expect(&q, 10.0, 1, 6);
    assert_null(ccs__eventq_peek(&q));
    ccs__eventq_release(&q);
}

static void test_equal_time_by_priority(void **state)
{
    (void)state;
    struct ccs_eventq q;
    assert_int_equal(ccs__eventq_init(&q, 16), 0);
    /* same time; pushed high priority first so FIFO alone would be wrong */
    const unsigned prio[] = {6, 15, 3, 0, 1, 12};
    for (uint32_t i = 0; i < 6; i++)
        assert_int_equal(ccs__eventq_push(&q, 42.0, prio[i], i, 0), 0);
    pop_expect(&q, 42.0, 0, 3);
    pop_expect(&q, 42.0, 1, 4);
    pop_expect(&q, 42.0, 3, 2);
    pop_expect(&q, 42.0, 6, 0);
    pop_expect(&q, 42.0, 12, 5);
    pop_expect(&q, 42.0, 15, 1);
    ccs__eventq_release(&q);
}

/*
 * libuv's timer test: many events at the same time and priority fire in the
 * order they were scheduled. 1000 of them, interleaved with pops of other
 * events, so heap reshuffles would expose any instability.
 */
static void test_ties_fifo(void **state)
{
    (void)state;
    struct ccs_eventq q;
    assert_int_equal(ccs__eventq_init(&q, 16), 0);
    for (uint32_t i = 0; i < 1000; i++) {
        assert_int_equal(ccs__eventq_push(&q, 7.0, 2, i, i * 3u), 0);
        /* noise: an earlier event and a later one, at other priorities */
        assert_int_equal(ccs__eventq_push(&q, 1.0, 9, 100000 + i, 0), 0);
        assert_int_equal(ccs__eventq_push(&q, 7.0, 3, 200000 + i, 0), 0);
        struct ccs_event e;
        ccs__eventq_pop(&q, &e); /* removes one of the t = 1 events */
        assert_true(e.t == 1.0);
    }
    for (uint32_t i = 0; i < 1000; i++) {
        struct ccs_event e;
        ccs__eventq_pop(&q, &e);
        assert_true(e.t == 7.0);
        assert_int_equal(ccs__event_prio(&e), 2);
        assert_int_equal(e.obj, i);
        assert_int_equal(e.gen, i * 3u);
    }
    for (uint32_t i = 0; i < 1000; i++) {
        struct ccs_event e;
        ccs__eventq_pop(&q, &e);
        assert_int_equal(ccs__event_prio(&e), 3);
        assert_int_equal(e.obj, 200000 + i);
    }
    assert_int_equal(ccs__eventq_size(&q), 0);
    ccs__eventq_release(&q);
}

/* --- random pushes and pops against a sorted reference --------------------- */

struct ref {
    double t;
    unsigned prio;
    uint64_t seq;
    uint32_t obj;
};

static int ref_cmp(const void *x, const void *y)
{
    const struct ref *a = x, *b = y;
    if (a->t != b->t)
        return a->t < b->t ? -1 : 1;
    if (a->prio != b->prio)
        return a->prio < b->prio ? -1 : 1;
    return (a->seq > b->seq) - (a->seq < b->seq);
}

/* Small deterministic generator (xorshift64*), independent of the code under test. */
static uint64_t xs(uint64_t *s)
{
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 2685821657736338717ULL;
}

/*
 * The reference: the pending events in a binary heap ordered by ref_cmp
 * (time, priority, push order), a structure independent of the queue's.
 */
struct refq {
    struct ref *r;
    size_t n, cap;
    uint64_t seq; /* the next push's number, also its payload */
};

static void ref_push(struct refq *rq, double t, unsigned prio)
{
    if (rq->n == rq->cap) {
        rq->cap = rq->cap ? 2 * rq->cap : 64;
        rq->r = realloc(rq->r, rq->cap * sizeof *rq->r);
        assert_non_null(rq->r);
    }
    struct ref x = {t, prio, rq->seq, (uint32_t)rq->seq};
    rq->seq++;
    size_t i = rq->n++;
    while (i > 0 && ref_cmp(&x, &rq->r[(i - 1) / 2]) < 0) {
        rq->r[i] = rq->r[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    rq->r[i] = x;
}

static struct ref ref_pop(struct refq *rq)
{
    assert_true(rq->n > 0);
    struct ref top = rq->r[0], x = rq->r[--rq->n];
    size_t i = 0, c;
    while ((c = 2 * i + 1) < rq->n) {
        if (c + 1 < rq->n && ref_cmp(&rq->r[c + 1], &rq->r[c]) < 0)
            c++;
        if (ref_cmp(&rq->r[c], &x) >= 0)
            break;
        rq->r[i] = rq->r[c];
        i = c;
    }
    rq->r[i] = x;
    return top;
}

/*
 * What the checked pushes and pops saw the queue do, read from its counts
 * before and after (test_tiers asserts that each happened).
 */
static struct {
    size_t heap_push, cal_push, far_push; /* pushes, three tiers in use */
    size_t split;                         /* a pop split one tier into three */
    size_t window;                        /* a pop moved a bucket into the heap */
    size_t build;                         /* ... after building a calendar from the far tier */
    size_t far_left;                      /* a build left events in the far tier */
    size_t one_tier;                      /* a refill made one tier again */
    size_t grow3, renumber3;              /* a push grew / renumbered, all three in use */
    size_t checks;                        /* check_tiers calls */
} seen;

/*
 * The invariant behind the order, read from the queue's arrays: every heap
 * event at or before split, in heap order; every event of a pending bucket
 * after the previous bucket's bound (split for the first) and at or before
 * its own; every far event after cal_hi; the counts adding up; the heap
 * 64-byte aligned. Read in full while few events are pending, else one
 * call in 64.
 */
static void check_tiers(const struct ccs_eventq *q)
{
    if (ccs__eventq_size(q) > 2000 && seen.checks++ % 64 != 0)
        return;
    const struct ccs_evq_node *a = q->a + CCS_EVQ_OFF;
    assert_int_equal((uintptr_t)q->a % 64, 0);
    assert_true(q->split <= q->cal_hi);
    assert_true(ccs__eventq_size(q) <= q->cap);
    assert_true(q->split < INFINITY || q->n_far + q->n_cal == 0);
    assert_true(q->cur <= q->nb && q->nb <= q->buckets && q->buckets <= CCS_EVQ_BUCKETS);
    for (size_t i = 0; i < q->n; i++) {
        assert_true(ccs__evq_time(&a[i]) <= q->split);
        if (i > 0)
            assert_false(ccs__evq_before(&a[i], &a[(i - 1) / 4]));
    }
    double lo = q->split;
    size_t in_cal = 0;
    for (size_t i = q->cur; i < q->nb; i++) {
        const struct ccs_evq_bucket *b = &q->bucket[i];
        assert_true(lo <= b->hi);
        uint32_t c = b->head;
        for (size_t k = 0; k < b->n; k++) {
            if (k > 0 && k % CCS_EVQ_CHUNK == 0)
                c = q->chunk_next[c];
            assert_true(c < q->n_chunks);
            double t = ccs__evq_time(&q->pool[(size_t)c * CCS_EVQ_CHUNK + k % CCS_EVQ_CHUNK]);
            assert_true(t > lo && t <= b->hi);
        }
        if (b->n > 0)
            assert_int_equal(c, b->tail);
        in_cal += b->n;
        lo = b->hi;
    }
    assert_int_equal(in_cal, q->n_cal);
    assert_true(q->cur == q->nb ? q->cal_hi == q->split : q->cal_hi == q->bucket[q->nb - 1].hi);
    for (size_t i = q->cap - q->n_far; i < q->cap; i++)
        assert_true(ccs__evq_time(&a[i]) > q->cal_hi);
}

/* Push to the queue and to the reference, the payload the push's number. */
static void push_checked(struct ccs_eventq *q, struct refq *rq, double t, unsigned prio)
{
    size_t n0 = q->n, c0 = q->n_cal, f0 = q->n_far, cap0 = q->cap;
    uint64_t seq0 = q->seq;
    int three = q->n > 0 && q->n_cal > 0 && q->n_far > 0;
    uint32_t obj = (uint32_t)rq->seq;
    assert_int_equal(ccs__eventq_push(q, t, prio, obj, obj * 7u), 0);
    ref_push(rq, t, prio);
    assert_int_equal(ccs__eventq_size(q), rq->n);
    seen.grow3 += three && q->cap != cap0;
    if (q->seq <= seq0) {
        seen.renumber3 += three;
    } else if (q->split < INFINITY) {
        seen.far_push += q->n_far > f0;
        seen.cal_push += q->n_cal > c0;
        seen.heap_push += q->n > n0;
    }
    check_tiers(q);
}

/* Pop from the queue and check it against the reference; returns its time. */
static double pop_checked(struct ccs_eventq *q, struct refq *rq)
{
    size_t n0 = q->n, c0 = q->n_cal, f0 = q->n_far;
    struct ccs_event e;
    ccs__eventq_pop(q, &e);
    struct ref r = ref_pop(rq);
    assert_true(e.t == r.t);
    assert_int_equal(ccs__event_prio(&e), r.prio);
    assert_int_equal(e.obj, r.obj);
    assert_int_equal(e.gen, r.obj * 7u);
    assert_int_equal(ccs__eventq_size(q), rq->n);
    seen.split += f0 + c0 == 0 && q->n_far > 0;
    if (n0 == 0 && q->split == INFINITY && q->n_far + q->n_cal == 0) {
        seen.one_tier++;
    } else if (n0 == 0) {
        seen.window++;
        seen.build += c0 == 0;
        seen.far_left += c0 == 0 && q->n_far > 0;
    }
    check_tiers(q);
    return e.t;
}

static void pop_all_checked(struct ccs_eventq *q, struct refq *rq)
{
    while (rq->n > 0)
        pop_checked(q, rq);
    assert_null(ccs__eventq_peek(q));
    free(rq->r);
    memset(rq, 0, sizeof *rq);
}

/*
 * n_max pending at most: push 2 : pop 1 while room, then drain; every pop
 * checked against the reference. Times on a coarse grid (many exact ties)
 * and never before the last popped time, as in a simulation. With
 * `scramble`, the next calendar's bucket width is set at random now and
 * then (any width must keep the order): calendars of one event, or of
 * all, buckets most of which are empty.
 */
static void run_mix(struct ccs_eventq *q, int n_max, uint64_t seed, int scramble)
{
    const size_t N = (size_t)n_max;
    struct refq rq = {0};
    uint64_t s = seed;
    double now = 0;
    size_t pops = 0;
    for (size_t step = 0; step < 3 * N + 2000; step++) {
        int do_push = rq.n < N && (xs(&s) % 3 != 0 || rq.n == 0);
        if (do_push) {
            double t = now + (double)(xs(&s) % 16) * 0.25;
            push_checked(q, &rq, t, (unsigned)(xs(&s) % 4));
        } else {
            now = pop_checked(q, &rq);
            pops++;
        }
        if (scramble && xs(&s) % 16 == 0)
            q->cal_w = ldexp(1.0, (int)(xs(&s) % 40) - 20); /* 2^-20 .. 2^19 */
    }
    assert_true(pops > N / 2);
    pop_all_checked(q, &rq);
}

static void run_random(struct ccs_eventq *q, int n_max, uint64_t seed)
{
    run_mix(q, n_max, seed, 0);
}

static void test_random_vs_reference(void **state)
{
    (void)state;
    struct ccs_eventq q;
    assert_int_equal(ccs__eventq_init(&q, 16), 0);
    run_random(&q, 5000, 0x9e3779b97f4a7c15ULL);
    ccs__eventq_release(&q);
}

/* Whether all three tiers hold events. */
static int three_tiers(const struct ccs_eventq *q)
{
    return q->n > 0 && q->n_cal > 0 && q->n_far > 0;
}

/* Pop (checked) until all three tiers hold events: the first pop past
   tier_at splits off the far tier, the first refill builds a calendar. */
static void split3(struct ccs_eventq *q, struct refq *rq)
{
    for (int i = 0; i < 100 && !three_tiers(q); i++)
        pop_checked(q, rq);
    assert_true(three_tiers(q));
}

/* Tiers lowered so that a few hundred events reach every path. */
static void small_tiers(struct ccs_eventq *q, size_t cap)
{
    assert_int_equal(ccs__eventq_init(q, cap), 0);
    q->tier_at = 32;
    q->batch = 8;
    q->buckets = 3;
    ccs__eventq_clear(q);
}

/*
 * Three tiers: with the split lowered to 32 heap events, buckets of 8 and
 * calendars of 3 buckets, the random mix keeps splitting, refilling,
 * building calendars and going back to one tier, and must match the
 * reference exactly (FIFO ties included); the same with sequence numbers
 * renumbered and the array grown while all three tiers hold events, and
 * with the window width scrambled. Then 10,000 pending with the default
 * tiers, as at 10,000 agents.
 */
static void test_tiers(void **state)
{
    (void)state;
    memset(&seen, 0, sizeof seen);
    struct ccs_eventq q;
    small_tiers(&q, 16);
    struct refq rq = {0};
    for (uint32_t i = 0; i < 100; i++)
        push_checked(&q, &rq, (double)((i * 37) % 100), 0);
    int saw3 = 0;
    for (uint32_t i = 0; i < 100; i++) {
        assert_true(pop_checked(&q, &rq) == (double)i);
        if (i == 0)
            assert_true(q.n > 0 && q.n_far > 0); /* split: the heap and the far tier */
        saw3 |= three_tiers(&q);
    }
    assert_true(saw3);
    assert_null(ccs__eventq_peek(&q));
    run_random(&q, 3000, 0xabcdef12345ULL);
    run_random(&q, 200, 0x5555ULL);
    run_mix(&q, 1000, 0x4242ULL, 1);
    q.seq_limit = 500;
    run_random(&q, 400, 0x777ULL);
    ccs__eventq_release(&q);
    /* and growth from a small array with all three tiers in use */
    for (uint64_t seed = 1; seed <= 3; seed++) {
        small_tiers(&q, 16);
        run_mix(&q, 1500, seed, (int)(seed & 1));
        ccs__eventq_release(&q);
    }
    assert_true(seen.heap_push > 0 && seen.cal_push > 0 && seen.far_push > 0);
    assert_true(seen.split > 0 && seen.window > 0 && seen.build > 0 && seen.one_tier > 0);
    assert_true(seen.far_left > 0 && seen.build < seen.window);

    /* 10,000 pending as at 10,000 agents, default tiers: all in order, and
       most of them wait in the calendar and the far tier */
    assert_int_equal(ccs__eventq_init(&q, 16), 0);
    uint64_t s = 42;
    for (uint32_t i = 0; i < 10000; i++)
        push_checked(&q, &rq, (double)(xs(&s) % 100000) / 7.0, (unsigned)(xs(&s) % 9));
    double last = pop_checked(&q, &rq);
    assert_true(q.n_far > q.n);
    for (uint32_t i = 1; i < 10000; i++) {
        last = pop_checked(&q, &rq);
        /* and new events keep arriving, in every tier */
        if (i % 3 == 0)
            push_checked(&q, &rq, last + (double)(xs(&s) % 100000) / 70.0, (unsigned)(xs(&s) % 9));
    }
    pop_all_checked(&q, &rq);
    ccs__eventq_release(&q);
}

/*
 * The tiers' edge cases, each against the reference: all events at one
 * time; many at exactly split, a bucket's bound and cal_hi and next to
 * them; +INFINITY,
 * which the engine may schedule (a shift without end) and which a tier of
 * one must order by priority like any time; a clear with three tiers.
 */
static void test_tier_edges(void **state)
{
    (void)state;
    struct ccs_eventq q;
    struct refq rq = {0};
    uint64_t s = 7;

    /* one time only: nothing to split off, FIFO within each priority */
    small_tiers(&q, 16);
    for (uint32_t i = 0; i < 300; i++) {
        push_checked(&q, &rq, 5.0, i % 3);
        if (i % 4 == 3)
            pop_checked(&q, &rq);
    }
    assert_int_equal(q.n_far, 0);
    pop_all_checked(&q, &rq);
    ccs__eventq_clear(&q); /* the split waits for twice as many now */

    /* at the bounds: split, the first bucket's and cal_hi themselves and
       their neighbours */
    for (uint32_t i = 0; i < 200; i++)
        push_checked(&q, &rq, (double)(i / 2), i % 2);
    split3(&q, &rq);
    for (int round = 0; round < 3; round++) {
        if (q.n == 0)
            pop_checked(&q, &rq); /* a refill first: the bounds of what is pending */
        double b = q.cur < q.nb ? q.bucket[q.cur].hi : q.cal_hi;
        double at[9] = {q.split,
                        q.cal_hi,
                        b,
                        nextafter(q.split, INFINITY),
                        nextafter(q.split, -INFINITY),
                        nextafter(q.cal_hi, INFINITY),
                        nextafter(q.cal_hi, -INFINITY),
                        nextafter(b, INFINITY),
                        nextafter(b, -INFINITY)};
        for (uint32_t i = 0; i < 90; i++)
            push_checked(&q, &rq, at[i % 9], (unsigned)(xs(&s) % 3));
        for (uint32_t i = 0; i < 100; i++)
            pop_checked(&q, &rq);
    }
    pop_all_checked(&q, &rq);

    /* +INFINITY in one tier, then in the top of three, in every order of
       priority; and more of them than a refill's "few" */
    push_checked(&q, &rq, INFINITY, 5);
    push_checked(&q, &rq, 1.0, 5);
    pop_checked(&q, &rq);
    push_checked(&q, &rq, INFINITY, 2);
    push_checked(&q, &rq, INFINITY, 5);
    pop_all_checked(&q, &rq);
    for (uint32_t i = 0; i < 400; i++) {
        double t = i % 5 == 0 ? INFINITY : (double)(xs(&s) % 1000);
        push_checked(&q, &rq, t, (unsigned)(xs(&s) % 4));
        if (i % 7 == 6)
            pop_checked(&q, &rq);
    }
    for (uint32_t i = 0; i < 100; i++) {
        pop_checked(&q, &rq);
        push_checked(&q, &rq, INFINITY, (unsigned)(xs(&s) % 4));
    }
    pop_all_checked(&q, &rq);

    /* clear with three tiers in use: all gone, the tiers reset (1,000
       events: the +INFINITY ones, all at one time, raised the split's
       threshold) */
    for (uint32_t i = 0; i < 1000; i++)
        push_checked(&q, &rq, (double)(xs(&s) % 1000), 1);
    split3(&q, &rq);
    ccs__eventq_clear(&q);
    free(rq.r);
    memset(&rq, 0, sizeof rq);
    assert_int_equal(ccs__eventq_size(&q), 0);
    assert_null(ccs__eventq_peek(&q));
    assert_true(q.split == INFINITY && q.cal_hi == INFINITY && q.n_cal == 0 && q.n_far == 0);
    for (uint32_t i = 0; i < 100; i++)
        push_checked(&q, &rq, (double)(xs(&s) % 50), 0);
    pop_all_checked(&q, &rq);

    /* two times the least double apart: the width underflows */
    for (uint32_t i = 0; i < 300; i++)
        push_checked(&q, &rq, i % 2 ? 0x1p-1074 : 0.0, (unsigned)(xs(&s) % 4));
    pop_checked(&q, &rq);
    assert_true(q.split < INFINITY);
    pop_all_checked(&q, &rq);
    ccs__eventq_release(&q);

    /* growth, then renumbering, while all three tiers hold events */
    memset(&seen, 0, sizeof seen);
    small_tiers(&q, 16);
    for (uint32_t i = 0; i < 64; i++)
        push_checked(&q, &rq, (double)(xs(&s) % 1000), (unsigned)(xs(&s) % 4));
    split3(&q, &rq);
    size_t cap = q.cap;
    while (q.cap == cap) {
        assert_true(three_tiers(&q));
        push_checked(&q, &rq, (double)(xs(&s) % 1000), (unsigned)(xs(&s) % 4));
    }
    assert_int_equal(seen.grow3, 1);
    assert_true(three_tiers(&q));
    q.seq_limit = q.seq + 1;
    push_checked(&q, &rq, (double)(xs(&s) % 1000), 0);
    push_checked(&q, &rq, (double)(xs(&s) % 1000), 0);
    assert_int_equal(seen.renumber3, 1);
    q.seq_limit = CCS_EVQ_SEQ_LIMIT;
    for (uint32_t i = 0; i < 500; i++) {
        push_checked(&q, &rq, (double)(xs(&s) % 1000), (unsigned)(xs(&s) % 4));
        if (i % 3 == 0)
            pop_checked(&q, &rq);
    }
    pop_all_checked(&q, &rq);
    ccs__eventq_release(&q);
}

/* Times as integers: the same order as the doubles, every pair of a list
   from -INFINITY to +INFINITY with -0.0, denormals and neighbours; -0.0 and
   +0.0 equal; each time given back (+0.0 for -0.0); and the queue fires
   negative and zero times in order, ties by kind then push. */
static void test_time_keys(void **state)
{
    (void)state;
    const double v[] = {-INFINITY, -1e300, -7.5, -1.0, nextafter(-1.0, 0), -5e-324, -0.0, 0.0,
                        5e-324, 2.2250738585072014e-308, 1.0, nextafter(1.0, 2), 7.5, 86400.0,
                        1e300, INFINITY};
    size_t n = sizeof v / sizeof v[0];
    for (size_t i = 0; i < n; i++) {
        struct ccs_evq_node x = {ccs__evq_tkey(v[i]), 0};
        assert_true(ccs__evq_time(&x) == v[i]);
        assert_false(signbit(ccs__evq_time(&x)) && v[i] == 0);
        for (size_t j = 0; j < n; j++) {
            uint64_t a = ccs__evq_tkey(v[i]), b = ccs__evq_tkey(v[j]);
            assert_true((a < b) == (v[i] < v[j]));
            assert_true((a == b) == (v[i] == v[j]));
        }
    }
    struct ccs_eventq q;
    assert_int_equal(ccs__eventq_init(&q, 16), 0);
    assert_int_equal(ccs__eventq_push(&q, 0.0, 2, 1, 0), 0);
    assert_int_equal(ccs__eventq_push(&q, -0.0, 1, 2, 0), 0);
    assert_int_equal(ccs__eventq_push(&q, -3.0, 5, 3, 0), 0);
    assert_int_equal(ccs__eventq_push(&q, -0.0, 2, 4, 0), 0);
    pop_expect(&q, -3.0, 5, 3);
    pop_expect(&q, 0.0, 1, 2); /* -0.0 and 0.0 are one time: kind 1 first */
    pop_expect(&q, 0.0, 2, 1); /* then kind 2 in push order */
    pop_expect(&q, 0.0, 2, 4);
    ccs__eventq_release(&q);
}

/* The node the heap moves is 16 bytes; the payload rides beside it. */
static void test_node_size_and_payload(void **state)
{
    (void)state;
    assert_int_equal(sizeof(struct ccs_evq_node), 16);
    struct ccs_eventq q;
    assert_int_equal(ccs__eventq_init(&q, 16), 0);
    /* full 32-bit payloads survive, slots are reused after pops */
    for (uint32_t round = 0; round < 3; round++) {
        for (uint32_t i = 0; i < 40; i++)
            assert_int_equal(ccs__eventq_push(&q, (double)(40 - i), 1, UINT32_MAX - i,
                                              0x80000000u | (i + round)),
                             0);
        for (uint32_t i = 0; i < 40; i++) {
            struct ccs_event e;
            ccs__eventq_pop(&q, &e);
            assert_true(e.t == (double)(i + 1));
            assert_int_equal(e.prio, 1);
            assert_int_equal(e.obj, UINT32_MAX - (39 - i));
            assert_int_equal(e.gen, 0x80000000u | ((39 - i) + round));
        }
    }
    assert_true(q.used_slots <= 40); /* slots recycled, not leaked */
    ccs__eventq_release(&q);
}

/* Priorities above 15 do not fit the key: refused, queue unchanged. */
static void test_priority_limit(void **state)
{
    (void)state;
    struct ccs_eventq q;
    assert_int_equal(ccs__eventq_init(&q, 16), 0);
    assert_int_equal(ccs__eventq_push(&q, 1.0, CCS_EVQ_MAX_PRIO, 1, 0), 0);
    assert_int_equal(ccs__eventq_push(&q, 1.0, CCS_EVQ_MAX_PRIO + 1, 2, 0), CCS_EINVAL);
    assert_int_equal(ccs__eventq_push(&q, 1.0, 255, 3, 0), CCS_EINVAL);
    assert_int_equal(ccs__eventq_size(&q), 1);
    assert_int_equal(ccs__eventq_push(&q, 1.0, 0, 4, 0), 0);
    pop_expect(&q, 1.0, 0, 4);
    pop_expect(&q, 1.0, CCS_EVQ_MAX_PRIO, 1);
    ccs__eventq_release(&q);
}

/* Past max_pending, push fails with CCS_ERANGE and nothing is lost. */
static void test_pending_limit(void **state)
{
    (void)state;
    struct ccs_eventq q;
    assert_int_equal(ccs__eventq_init(&q, 16), 0);
    q.max_pending = 100; /* stands for CCS_EVQ_MAX_PENDING (2^30) */
    for (uint32_t i = 0; i < 100; i++)
        assert_int_equal(ccs__eventq_push(&q, (double)(i % 10), 2, i, 0), 0);
    assert_int_equal(ccs__eventq_push(&q, 0.0, 0, 999, 0), CCS_ERANGE);
    assert_int_equal(ccs__eventq_size(&q), 100);
    pop_expect(&q, 0.0, 2, 0); /* one out, one in */
    assert_int_equal(ccs__eventq_push(&q, 0.0, 2, 1000, 0), 0);
    assert_int_equal(ccs__eventq_push(&q, 0.0, 2, 1001, 0), CCS_ERANGE);
    for (uint32_t i = 1; i < 10; i++)
        pop_expect(&q, 0.0, 2, i * 10);
    pop_expect(&q, 0.0, 2, 1000);
    ccs__eventq_release(&q);
}

/*
 * Sequence numbers run out after 2^30 pushes in a run; the queue then
 * renumbers what is pending. With the limit lowered to 64, the random mix
 * below renumbers hundreds of times, at all heap sizes, and must still
 * match the sorted reference exactly (FIFO ties included).
 */
static void test_sequence_renumbering(void **state)
{
    (void)state;
    struct ccs_eventq q;
    assert_int_equal(ccs__eventq_init(&q, 16), 0);
    q.seq_limit = 64;
    run_random(&q, 60, 0x1234567ULL);
    assert_true(q.seq <= 64);
    /* below the number pending, renumbering happens at every push: slow but right */
    q.seq_limit = 8;
    run_random(&q, 40, 0x7654321ULL);
    ccs__eventq_release(&q);
}

static void test_growth_and_clear(void **state)
{
    (void)state;
    struct ccs_eventq q;
    assert_int_equal(ccs__eventq_init(&q, 16), 0);
    size_t cap0 = q.cap;
    assert_int_equal(cap0, 16);
    /* 10000 events in descending time: every push sifts to the root */
    for (uint32_t i = 0; i < 10000; i++)
        assert_int_equal(ccs__eventq_push(&q, 10000.0 - i, 1, i, 0), 0);
    assert_int_equal(ccs__eventq_size(&q), 10000);
    assert_true(q.cap >= 10000);
    for (uint32_t i = 0; i < 10000; i++) {
        struct ccs_event e;
        ccs__eventq_pop(&q, &e);
        assert_true(e.t == 1.0 + i);
        assert_int_equal(e.obj, 9999 - i);
    }

    /* clear forgets events and restarts sequence numbers, keeps the storage */
    for (uint32_t i = 0; i < 50; i++)
        assert_int_equal(ccs__eventq_push(&q, 1.0, 0, i, 0), 0);
    size_t cap = q.cap;
    ccs__eventq_clear(&q);
    assert_int_equal(ccs__eventq_size(&q), 0);
    assert_null(ccs__eventq_peek(&q));
    assert_int_equal(q.cap, cap);
    assert_int_equal(q.seq, 0);
    assert_int_equal(ccs__eventq_push(&q, 3.0, 0, 1, 0), 0);
    assert_int_equal(ccs__eventq_push(&q, 2.0, 0, 2, 0), 0);
    assert_int_equal(ccs__eventq_push(&q, 3.0, 0, 3, 0), 0);
    pop_expect(&q, 2.0, 0, 2);
    pop_expect(&q, 3.0, 0, 1);
    pop_expect(&q, 3.0, 0, 3);
    ccs__eventq_release(&q);
    assert_null(q.a);

    /* a tiny requested capacity is rounded up, and growth still works */
    assert_int_equal(ccs__eventq_init(&q, 1), 0);
    assert_true(q.cap >= 1);
    for (uint32_t i = 0; i < 100; i++)
        assert_int_equal(ccs__eventq_push(&q, (double)(i % 7), 0, i, 0), 0);
    double last = -1;
    for (uint32_t i = 0; i < 100; i++) {
        struct ccs_event e;
        ccs__eventq_pop(&q, &e);
        assert_true(e.t >= last);
        last = e.t;
    }
    ccs__eventq_release(&q);
}

/*
 * Times over the whole range of doubles, against the reference, with the
 * tiers lowered: negative and positive, from denormals to 1e300, +INFINITY
 * and -0.0, clustered and spread, so that a calendar's width overflows,
 * underflows or rounds its bounds together; pushes never before the last
 * pop, as in a simulation.
 */
static void test_tier_wide_times(void **state)
{
    (void)state;
    static const double scale[] = {5e-324, 1e-300, 1e-9, 1.0, 1e3, 1e9, 1e300};
    struct ccs_eventq q;
    struct refq rq = {0};
    uint64_t s = 99;
    memset(&seen, 0, sizeof seen);
    small_tiers(&q, 16);
    double now = -1e300;
    for (int step = 0; step < 20000; step++) {
        if (rq.n < 400 && (xs(&s) % 3 != 0 || rq.n == 0)) {
            uint64_t r = xs(&s);
            double t;
            switch (r % 8) {
            case 0: t = INFINITY; break;
            case 1: t = now; break; /* ties at the current time */
            case 2: t = now == 0 ? -0.0 : now; break;
            default: {
                double d = scale[(r >> 3) % 7] * (double)((r >> 8) % 1000);
                t = now + d;
                if (!(t < INFINITY))
                    t = now;
            }
            }
            push_checked(&q, &rq, t, (unsigned)(xs(&s) % 4));
        } else {
            now = pop_checked(&q, &rq);
            if (!(now < INFINITY)) { /* only +INFINITY left: drain and start over */
                pop_all_checked(&q, &rq);
                now = -1e300;
            }
        }
    }
    pop_all_checked(&q, &rq);
    assert_true(seen.build > 0 && seen.window > 0);
    ccs__eventq_release(&q);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_order_by_time),       cmocka_unit_test(test_equal_time_by_priority),
        cmocka_unit_test(test_ties_fifo),           cmocka_unit_test(test_random_vs_reference),
        cmocka_unit_test(test_growth_and_clear),    cmocka_unit_test(test_node_size_and_payload),
        cmocka_unit_test(test_time_keys),
        cmocka_unit_test(test_priority_limit),      cmocka_unit_test(test_pending_limit),
        cmocka_unit_test(test_sequence_renumbering), cmocka_unit_test(test_tiers),
        cmocka_unit_test(test_tier_edges),          cmocka_unit_test(test_tier_wide_times),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
