/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_acd.c - the classic ACD policy's decisions, on hand-built views (no
 * engine): an arriving contact goes to the longest-idle eligible agent
 * (ties: lowest id) or waits; a freed agent serves its first non-empty
 * skill in list order unless a queue of higher priority waits; within a
 * queue, higher segment priority first, then earliest arrival less credit.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ccs/ccs.h"

#include <math.h>
#include <string.h>

/* --- a hand-built view ---------------------------------------------------------- */

enum { MAXQ = 4, MAXL = 8, MAXG = 4, MAXA = 16, MAXC = 32, MAXS = 4 };

struct fake {
    struct ccs_queue q[MAXQ];
    struct ccs_line l[MAXL];
    struct ccs_group g[MAXG];
    struct ccs_agent a[MAXA];
    struct ccs_contact c[MAXC];
    struct ccs_skill sk[MAXG][MAXS];
    uint32_t qgroups[MAXQ][MAXG], qgskill[MAXQ][MAXG];
    uint32_t n_contacts;
    struct ccs_view v;
};

/*
 * nq queues with the given number of lines each (segments), and groups
 * whose skills are given as queue lists terminated by -1. Agents, contacts
 * and idle lists are added afterwards.
 */
static void fake_init(struct fake *f, uint32_t nq, const uint32_t *lines_per_queue, uint32_t ng,
                      const int skills[][MAXS + 1])
{
    memset(f, 0, sizeof *f);
    uint32_t line = 0;
    for (uint32_t q = 0; q < nq; q++) {
        struct ccs_queue *Q = &f->q[q];
        Q->id = "q";
        Q->first_line = line;
        Q->n_lines = lines_per_queue[q];
        Q->groups = f->qgroups[q];
        Q->group_skill = f->qgskill[q];
        for (uint32_t s = 0; s < Q->n_lines; s++, line++) {
            struct ccs_line *L = &f->l[line];
            L->head = L->tail = CCS_NONE;
            L->queue = q;
            L->segment = s;
            L->weight = 1;
            L->name = "line";
        }
    }
    for (uint32_t g = 0; g < ng; g++) {
        struct ccs_group *G = &f->g[g];
        G->id = "g";
        G->skills = f->sk[g];
        G->capacity = 1;
        G->idle_head = G->idle_tail = CCS_NONE;
        for (uint32_t s = 0; skills[g][s] >= 0; s++) {
            uint32_t q = (uint32_t)skills[g][s];
            f->sk[g][s].queue = q;
            f->sk[g][s].level = 1;
            f->sk[g][s].priority = (int)s;
            f->qgroups[q][f->q[q].n_groups] = g;
            f->qgskill[q][f->q[q].n_groups] = s;
            f->q[q].n_groups++;
            G->n_skills++;
        }
    }
    f->v.now = 1000;
    f->v.n_queues = nq;
    f->v.n_lines = line;
    f->v.n_groups = ng;
    f->v.queues = f->q;
    f->v.lines = f->l;
    f->v.groups = f->g;
    f->v.agents = f->a;
    f->v.contacts = f->c;
}

/* Agents are numbered in the order added; each group's agents are contiguous. */
static uint32_t add_agent(struct fake *f, uint32_t g)
{
    uint32_t id = f->v.n_agents++;
    struct ccs_agent *A = &f->a[id];
    A->id = id;
    A->group = g;
    A->prev = A->next = CCS_NONE;
    A->state = CCS_A_BUSY;
    A->load = 1;
    if (f->g[g].n_agents == 0)
        f->g[g].first_agent = id;
    f->g[g].n_agents++;
    f->g[g].n_present++;
    f->g[g].n_busy++;
    f->g[g].busy_slots++;
    return id;
}

/* Make agent a available since time t, appended to its group's idle list
   (the engine keeps that list in the order agents became available). */
static void make_idle(struct fake *f, uint32_t a, double t)
{
    struct ccs_agent *A = &f->a[a];
    struct ccs_group *G = &f->g[A->group];
    A->state = CCS_A_IDLE;
    A->load = 0;
    A->available = true;
    A->idle_since = t;
    A->next = CCS_NONE;
    A->prev = G->idle_tail;
    if (G->idle_tail != CCS_NONE)
        f->a[G->idle_tail].next = a;
    else
        G->idle_head = a;
    G->idle_tail = a;
    G->n_idle++;
    G->n_busy--;
    G->busy_slots--;
}

/* A new contact of line l's queue, in no line yet (as route_contact sees it). */
static uint32_t add_arriving_to(struct fake *f, uint32_t l, double arrived, double credit)
{
    assert_true(f->n_contacts < MAXC);
    uint32_t id = f->n_contacts++;
    struct ccs_contact *C = &f->c[id];
    C->id = id;
    C->queue = f->l[l].queue;
    C->segment = f->l[l].segment;
    C->line = l;
    C->arrived = arrived;
    C->credit = credit;
    C->started = NAN;
    C->agent = CCS_NONE;
    C->prev = C->next = CCS_NONE;
    C->state = CCS_C_HELD;
    return id;
}

static uint32_t add_arriving(struct fake *f, uint32_t q)
{
    return add_arriving_to(f, f->q[q].first_line, f->v.now, 0);
}

/* A waiting contact in line l, appended at its tail (lines are FIFO). */
static uint32_t add_waiting(struct fake *f, uint32_t l, double arrived, double credit)
{
    uint32_t id = add_arriving_to(f, l, arrived, credit);
    struct ccs_contact *C = &f->c[id];
    struct ccs_line *L = &f->l[l];
    C->state = CCS_C_WAITING;
    C->prev = L->tail;
    if (L->tail != CCS_NONE)
        f->c[L->tail].next = id;
    else
        L->head = id;
    L->tail = id;
    L->count++;
    f->q[L->queue].waiting++;
    return id;
}

static const struct ccs_policy_ops *acd(void **pstate, const struct fake *f)
{
    const struct ccs_policy_ops *ops = ccs_policy_find("acd");
    assert_non_null(ops);
    assert_string_equal(ops->name, "acd");
    assert_true(ops->flags & CCS_POLICY_WORK_CONSERVING);
    struct ccs_diag d;
    ccs_diag_clear(&d);
    *pstate = (void *)1; /* must be overwritten */
    assert_int_equal(ops->init(NULL, &f->v, NULL, pstate, &d), 0);
    assert_int_equal(d.code, 0);
    return ops;
}

static void done(const struct ccs_policy_ops *ops, void *pstate)
{
    if (ops->destroy != NULL)
        ops->destroy(pstate);
}

/* A decision must not change the view: policies only read. */
static struct fake snapshot;

static void take_snapshot(const struct fake *f)
{
    memcpy(&snapshot, f, sizeof snapshot);
}

static void assert_unchanged(const struct fake *f)
{
    assert_memory_equal(f->q, snapshot.q, sizeof f->q);
    assert_memory_equal(f->l, snapshot.l, sizeof f->l);
    assert_memory_equal(f->g, snapshot.g, sizeof f->g);
    assert_memory_equal(f->a, snapshot.a, sizeof f->a);
    assert_memory_equal(f->c, snapshot.c, sizeof f->c);
}

static struct fake F;

/* --- route_contact ------------------------------------------------------------- */

static void test_route_longest_idle_across_groups(void **state)
{
    (void)state;
    /* q0 is served by groups 0 and 2; group 1 only has q1 */
    const uint32_t lines[] = {1, 1};
    const int skills[][MAXS + 1] = {{0, 1, -1}, {1, -1}, {1, 0, -1}};
    fake_init(&F, 2, lines, 3, skills);
    uint32_t a0 = add_agent(&F, 0), a1 = add_agent(&F, 0);
    uint32_t b0 = add_agent(&F, 1);
    uint32_t c0 = add_agent(&F, 2), c1 = add_agent(&F, 2);
    make_idle(&F, a1, 300);
    make_idle(&F, b0, 10);  /* longest idle of all, but not eligible for q0 */
    make_idle(&F, c1, 200); /* longest idle among the eligible */
    make_idle(&F, a0, 400);
    make_idle(&F, c0, 450); /* group 2's list: [c1, c0]; its tail is not the pick */
    uint32_t x = add_arriving(&F, 0);
    void *ps;
    const struct ccs_policy_ops *ops = acd(&ps, &F);
    take_snapshot(&F);
    struct ccs_route r = ops->route_contact(ps, &F.v, x);
    assert_int_equal(r.action, CCS_ROUTE_ASSIGN);
    assert_int_equal(r.agent, c1);
    assert_non_null(r.reason);
    assert_unchanged(&F);

    /* a q1 contact may take b0 */
    uint32_t y = add_arriving(&F, 1);
    r = ops->route_contact(ps, &F.v, y);
    assert_int_equal(r.action, CCS_ROUTE_ASSIGN);
    assert_int_equal(r.agent, b0);
    done(ops, ps);
}

static void test_route_tie_lowest_id(void **state)
{
    (void)state;
    const uint32_t lines[] = {1};
    const int skills[][MAXS + 1] = {{0, -1}, {0, -1}};
    fake_init(&F, 1, lines, 2, skills);
    uint32_t a[3], b[3];
    for (int i = 0; i < 3; i++)
        a[i] = add_agent(&F, 0);
    for (int i = 0; i < 3; i++)
        b[i] = add_agent(&F, 1);
    /* both groups' longest idle agents became free at the same instant;
       group 0's has the lower id (1 < 5) */
    make_idle(&F, b[2], 50);
    make_idle(&F, a[1], 50);
    make_idle(&F, b[0], 60);
    uint32_t x = add_arriving(&F, 0);
    void *ps;
    const struct ccs_policy_ops *ops = acd(&ps, &F);
    struct ccs_route r = ops->route_contact(ps, &F.v, x);
    assert_int_equal(r.action, CCS_ROUTE_ASSIGN);
    assert_int_equal(r.agent, a[1]);
    assert_true(a[1] < b[2]);
    done(ops, ps);

    /* swap roles: now the lower id is in the second group, so neither
       "first group wins" nor "first found wins" gives the right answer */
    fake_init(&F, 1, lines, 2, skills);
    for (int i = 0; i < 3; i++)
        a[i] = add_agent(&F, 1);
    for (int i = 0; i < 3; i++)
        b[i] = add_agent(&F, 0);
    make_idle(&F, b[0], 50); /* group 0, id 3 */
    make_idle(&F, a[2], 50); /* group 1, id 2 */
    x = add_arriving(&F, 0);
    ops = acd(&ps, &F);
    r = ops->route_contact(ps, &F.v, x);
    assert_int_equal(r.action, CCS_ROUTE_ASSIGN);
    assert_int_equal(r.agent, a[2]);
    done(ops, ps);
}

static void test_route_queue_when_none_eligible(void **state)
{
    (void)state;
    const uint32_t lines[] = {1, 1};
    const int skills[][MAXS + 1] = {{0, -1}, {1, -1}};
    fake_init(&F, 2, lines, 2, skills);
    add_agent(&F, 0);
    add_agent(&F, 0);
    uint32_t b = add_agent(&F, 1);
    make_idle(&F, b, 0); /* idle, but only for q1 */
    add_waiting(&F, 0, 900, 0);
    uint32_t x = add_arriving(&F, 0);
    void *ps;
    const struct ccs_policy_ops *ops = acd(&ps, &F);
    take_snapshot(&F);
    struct ccs_route r = ops->route_contact(ps, &F.v, x);
    assert_int_equal(r.action, CCS_ROUTE_QUEUE);
    assert_true(isinf(r.recheck) && r.recheck > 0); /* ACD never asks again */
    assert_non_null(r.reason);
    assert_unchanged(&F);
    done(ops, ps);
}

/* --- select_contact ------------------------------------------------------------ */

static void test_select_list_order(void **state)
{
    (void)state;
    /* group 0 lists [q2, q0, q1]; equal queue priorities */
    const uint32_t lines[] = {1, 1, 1};
    const int skills[][MAXS + 1] = {{2, 0, 1, -1}};
    fake_init(&F, 3, lines, 1, skills);
    uint32_t a = add_agent(&F, 0);
    make_idle(&F, a, 1000);
    /* q2 (listed first) is empty; q0 and q1 have contacts, q1's older */
    add_waiting(&F, 1, 100, 0);
    uint32_t c0 = add_waiting(&F, 0, 500, 0);
    add_waiting(&F, 0, 600, 0);
    void *ps;
    const struct ccs_policy_ops *ops = acd(&ps, &F);
    take_snapshot(&F);
    struct ccs_pick p = ops->select_contact(ps, &F.v, a);
    assert_int_equal(p.contact, c0); /* q0's head: first non-empty in list order */
    assert_non_null(p.reason);
    assert_unchanged(&F);

    /* now q2 gets a contact: it is listed first, so it wins though newest */
    uint32_t c2 = add_waiting(&F, 2, 999, 0);
    p = ops->select_contact(ps, &F.v, a);
    assert_int_equal(p.contact, c2);
    done(ops, ps);

    /* nobody waiting for its skills (others wait elsewhere): stay idle */
    const int skills2[][MAXS + 1] = {{0, -1}, {1, -1}};
    fake_init(&F, 2, lines, 2, skills2);
    a = add_agent(&F, 0);
    add_agent(&F, 1);
    make_idle(&F, a, 0);
    add_waiting(&F, 1, 10, 0);
    ops = acd(&ps, &F);
    p = ops->select_contact(ps, &F.v, a);
    assert_int_equal(p.contact, CCS_NONE);
    assert_non_null(p.reason);
    done(ops, ps);
}

static void test_select_queue_priority(void **state)
{
    (void)state;
    const uint32_t lines[] = {1, 1, 1};
    const int skills[][MAXS + 1] = {{0, 1, 2, -1}};
    fake_init(&F, 3, lines, 1, skills);
    uint32_t a = add_agent(&F, 0);
    make_idle(&F, a, 1000);
    uint32_t c0 = add_waiting(&F, 0, 100, 0);
    add_waiting(&F, 1, 200, 0);
    uint32_t c2 = add_waiting(&F, 2, 300, 0);
    /* q2, listed last, has the highest priority */
    F.q[0].priority = 0;
    F.q[1].priority = 1;
    F.q[2].priority = 5;
    void *ps;
    const struct ccs_policy_ops *ops = acd(&ps, &F);
    struct ccs_pick p = ops->select_contact(ps, &F.v, a);
    assert_int_equal(p.contact, c2);

    /* the higher-priority queue empty: back to the best non-empty one */
    F.q[2].priority = 0;
    F.q[1].priority = 0;
    F.q[0].priority = 3;
    p = ops->select_contact(ps, &F.v, a);
    assert_int_equal(p.contact, c0);

    /* negative priorities compare as numbers too: -1 beats -5 */
    F.q[0].priority = -5;
    F.q[1].priority = -5;
    F.q[2].priority = -1;
    p = ops->select_contact(ps, &F.v, a);
    assert_int_equal(p.contact, c2);

    /* a tie in priority goes to list order, not to the oldest contact */
    F.q[0].priority = 2;
    F.q[1].priority = 7;
    F.q[2].priority = 7;
    F.c[c2].arrived = 50; /* q2's contact is now the oldest of all */
    uint32_t c1 = F.l[1].head;
    p = ops->select_contact(ps, &F.v, a);
    assert_int_equal(p.contact, c1);
    done(ops, ps);
}

static void test_select_segments(void **state)
{
    (void)state;
    /* one queue with two segment lines */
    const uint32_t lines[] = {2};
    const int skills[][MAXS + 1] = {{0, -1}};
    fake_init(&F, 1, lines, 1, skills);
    uint32_t a = add_agent(&F, 0);
    make_idle(&F, a, 1000);
    uint32_t s0 = add_waiting(&F, 0, 100, 0);
    add_waiting(&F, 0, 110, 0);
    uint32_t s1 = add_waiting(&F, 1, 400, 0);
    add_waiting(&F, 1, 410, 0);
    void *ps;
    const struct ccs_policy_ops *ops = acd(&ps, &F);

    /* equal priorities: the earliest arrival (line heads only) */
    struct ccs_pick p = ops->select_contact(ps, &F.v, a);
    assert_int_equal(p.contact, s0);

    /* higher line priority first, even though it arrived later */
    F.l[1].priority = 1;
    p = ops->select_contact(ps, &F.v, a);
    assert_int_equal(p.contact, s1);
    F.l[1].priority = 0;
    F.l[0].priority = -1;
    p = ops->select_contact(ps, &F.v, a);
    assert_int_equal(p.contact, s1);
    F.l[0].priority = 0;

    /* credit: arrived 400 with 301 s credit ranks as 99, before 100 */
    F.c[s1].credit = 301;
    p = ops->select_contact(ps, &F.v, a);
    assert_int_equal(p.contact, s1);
    /* ... but 299 s of credit (101) is not enough */
    F.c[s1].credit = 299;
    p = ops->select_contact(ps, &F.v, a);
    assert_int_equal(p.contact, s0);
    /* exact tie (arrived - credit equal): the first line */
    F.c[s1].credit = 300;
    p = ops->select_contact(ps, &F.v, a);
    assert_int_equal(p.contact, s0);
    /* the heads' own times are compared: make line 0's head the later one */
    F.c[s1].credit = 0;
    F.c[s0].arrived = 500;
    p = ops->select_contact(ps, &F.v, a);
    assert_int_equal(p.contact, s1);
    F.c[s0].arrived = 100;

    /* one line empty: the other's head */
    uint32_t keep = F.l[0].head;
    F.l[0].head = CCS_NONE;
    p = ops->select_contact(ps, &F.v, a);
    assert_int_equal(p.contact, s1);
    F.l[0].head = keep;
    done(ops, ps);
}

/* Three segment lines, priorities beat time, then time within a priority. */
static void test_select_segments_three(void **state)
{
    (void)state;
    const uint32_t lines[] = {1, 3};
    const int skills[][MAXS + 1] = {{0, 1, -1}};
    fake_init(&F, 2, lines, 1, skills);
    uint32_t a = add_agent(&F, 0);
    make_idle(&F, a, 1000);
    /* lines 1..3 belong to queue 1 */
    add_waiting(&F, 1, 300, 0);           /* priority 2 */
    uint32_t m = add_waiting(&F, 2, 200, 0); /* priority 2, older */
    add_waiting(&F, 3, 100, 0);           /* priority 1, oldest */
    F.l[1].priority = 2;
    F.l[2].priority = 2;
    F.l[3].priority = 1;
    void *ps;
    const struct ccs_policy_ops *ops = acd(&ps, &F);
    struct ccs_pick p = ops->select_contact(ps, &F.v, a);
    assert_int_equal(p.contact, m);
    done(ops, ps);
}

static void test_registry(void **state)
{
    (void)state;
    assert_null(ccs_policy_find("ACD"));
    assert_null(ccs_policy_find("fifo"));
    assert_null(ccs_policy_find(""));
    int found = 0;
    for (size_t i = 0; ccs_policies[i] != NULL; i++)
        found += ccs_policies[i] == ccs_policy_find("acd");
    assert_int_equal(found, 1);
    const struct ccs_policy_ops *ops = ccs_policy_find("acd");
    assert_non_null(ops->summary);
    assert_non_null(ops->route_contact);
    assert_non_null(ops->select_contact);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_route_longest_idle_across_groups),
        cmocka_unit_test(test_route_tie_lowest_id),
        cmocka_unit_test(test_route_queue_when_none_eligible),
        cmocka_unit_test(test_select_list_order),
        cmocka_unit_test(test_select_queue_priority),
        cmocka_unit_test(test_select_segments),
        cmocka_unit_test(test_select_segments_three),
        cmocka_unit_test(test_registry),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
