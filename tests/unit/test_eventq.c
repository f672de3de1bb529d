/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_eventq.c - the event heap: events come out ordered by time, then by
 * priority (lower first), then FIFO in push order (the libuv-style tie
 * test); a long random mix of pushes and pops matches a sorted reference;
 * the heap grows past its initial capacity and clears; the packing limits
 * (16 priorities, pending events, sequence renumbering) fail cleanly or
 * keep the order.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/eventq.h"

#include <stdlib.h>

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
    assert_true(ccs__eventq_peek(&q)->t == 0.0);
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

/* n_max pending at most; the linear-scan reference is O(n_max) per pop. */
static void run_random(struct ccs_eventq *q, int n_max, uint64_t seed)
{
    const size_t N = (size_t)n_max;
    struct ref *pending = malloc(N * sizeof *pending);
    assert_non_null(pending);
    size_t n_pending = 0;
    uint64_t s = seed, seq = 0;
    double now = 0;
    size_t pops = 0;
    for (size_t step = 0; step < 3 * N + 2000; step++) {
        /* push 2 : pop 1 while room; times on a coarse grid (many exact
           ties) and never before the last popped time, as in a simulation */
        int do_push = n_pending < N && (xs(&s) % 3 != 0 || n_pending == 0);
        if (do_push) {
            struct ref r;
            r.t = now + (double)(xs(&s) % 16) * 0.25;
            r.prio = (unsigned)(xs(&s) % 4);
            r.seq = seq++;
            r.obj = (uint32_t)r.seq;
            pending[n_pending++] = r;
            assert_int_equal(ccs__eventq_push(q, r.t, r.prio, r.obj, r.obj * 7u), 0);
        } else {
            /* the reference minimum */
            size_t best = 0;
            for (size_t i = 1; i < n_pending; i++)
                if (ref_cmp(&pending[i], &pending[best]) < 0)
                    best = i;
            struct ccs_event e;
            ccs__eventq_pop(q, &e);
            assert_true(e.t == pending[best].t);
            assert_int_equal(ccs__event_prio(&e), pending[best].prio);
            assert_int_equal(e.obj, pending[best].obj);
            assert_int_equal(e.gen, pending[best].obj * 7u);
            now = e.t;
            pending[best] = pending[--n_pending];
            pops++;
        }
        assert_int_equal(ccs__eventq_size(q), n_pending);
    }
    assert_true(pops > N / 2);
    /* drain the rest against the sorted reference */
    qsort(pending, n_pending, sizeof *pending, ref_cmp);
    for (size_t i = 0; i < n_pending; i++) {
        struct ccs_event e;
        ccs__eventq_pop(q, &e);
        assert_true(e.t == pending[i].t);
        assert_int_equal(ccs__event_prio(&e), pending[i].prio);
        assert_int_equal(e.obj, pending[i].obj);
    }
    assert_int_equal(ccs__eventq_size(q), 0);
    free(pending);
}

static void test_random_vs_reference(void **state)
{
    (void)state;
    struct ccs_eventq q;
    assert_int_equal(ccs__eventq_init(&q, 16), 0);
    run_random(&q, 5000, 0x9e3779b97f4a7c15ULL);
    ccs__eventq_release(&q);
}

/*
 * Two tiers: with the split lowered to 32 heap events and windows of 8, the
 * random mix keeps splitting, refilling and going back to one tier, and
 * must match the sorted reference exactly (FIFO ties included); the same
 * with sequence numbers renumbered while far events wait, and with times
 * spread wide so that windows hold one distinct time or many.
 */
static void test_tiers(void **state)
{
    (void)state;
    struct ccs_eventq q;
    assert_int_equal(ccs__eventq_init(&q, 16), 0);
    q.tier_at = 32;
    q.batch = 8;
    ccs__eventq_clear(&q);
    for (uint32_t i = 0; i < 100; i++)
        assert_int_equal(ccs__eventq_push(&q, (double)((i * 37) % 100), 0, i, 0), 0);
    for (uint32_t i = 0; i < 100; i++) {
        pop_expect(&q, (double)i, 0, (i * 73) % 100); /* 37 * 73 = 1 (mod 100) */
        if (i == 0)
            assert_true(q.n_far > 0 && q.n < 100); /* split */
    }
    run_random(&q, 3000, 0xabcdef12345ULL);
    run_random(&q, 200, 0x5555ULL);
    q.seq_limit = 500;
    run_random(&q, 400, 0x777ULL);
    ccs__eventq_release(&q);

    /* 10,000 pending as at 10,000 agents, default tiers: all in order, and
       most of them wait in the far tier */
    assert_int_equal(ccs__eventq_init(&q, 16), 0);
    uint64_t s = 42;
    for (uint32_t i = 0; i < 10000; i++)
        assert_int_equal(ccs__eventq_push(&q, (double)(xs(&s) % 100000) / 7.0, 1, i, 0), 0);
    struct ccs_event e;
    ccs__eventq_pop(&q, &e);
    assert_true(q.n_far > q.n);
    double last = e.t;
    for (uint32_t i = 1; i < 10000; i++) {
        ccs__eventq_pop(&q, &e);
        assert_true(e.t >= last);
        last = e.t;
        /* and new events keep arriving, some before the split */
        if (i % 3 == 0)
            assert_int_equal(ccs__eventq_push(&q, last + (double)(xs(&s) % 1000) / 10.0, 1, i, 0),
                             0);
    }
    while (ccs__eventq_size(&q) > 0) {
        ccs__eventq_pop(&q, &e);
        assert_true(e.t >= last);
        last = e.t;
    }
    assert_null(ccs__eventq_peek(&q));
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_order_by_time),       cmocka_unit_test(test_equal_time_by_priority),
        cmocka_unit_test(test_ties_fifo),           cmocka_unit_test(test_random_vs_reference),
        cmocka_unit_test(test_growth_and_clear),    cmocka_unit_test(test_node_size_and_payload),
        cmocka_unit_test(test_priority_limit),      cmocka_unit_test(test_pending_limit),
        cmocka_unit_test(test_sequence_renumbering), cmocka_unit_test(test_tiers),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
