/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * common.c - shared building blocks of the built-in policies (common.h).
 */
#include "policy/common.h"

/* Group g's longest-idle agent (its available list's head). */
static uint32_t idle_head_of(const struct ccs_view *v, uint32_t g)
{
    return v->idle_key != NULL ? v->idle_key[g].head : v->groups[g].idle_head;
}

/*
 * Walk the list of all available agents from the longest idle to the first
 * whose group has queue q's skill: the head of its group's list, and the
 * longest-idle eligible agent, the scan's answer. Sets *a and returns true,
 * or false after WALK_MAX agents without the skill (agents of groups that
 * serve other queues, idle longest: then the caller scans).
 */
enum { WALK_MAX = 32 };

static bool walk_idle_agents(const struct ccs_view *v, uint32_t q, uint32_t *a)
{
    const struct ccs_idle_link *L = v->idle_links;
    uint32_t x = v->idle_first;
    for (uint32_t step = 0; x != CCS_NONE; step++, x = L[x].next) {
        if (step == WALK_MAX)
            return false;
        if (ccs_view_skill_index(v, L[x].group, q) >= 0)
            break;
    }
    *a = x;
    return true;
}

uint32_t ccs_longest_idle_for(const struct ccs_view *v, uint32_t q)
{
    const struct ccs_queue *Q = &v->queues[q];
    if (Q->idle_heap != NULL)
        return Q->n_idle_heap > 0 ? idle_head_of(v, Q->groups[Q->idle_heap[0]]) : CCS_NONE;
    uint32_t best = CCS_NONE;
    if (ccs_view_idle_walk(v, Q) && walk_idle_agents(v, q, &best))
        return best;
    /* from the groups' keys: 16 bytes a group in one array, not a group
       and an agent apiece (issue 16: cache misses at 10,000 agents) */
    if (v->idle_key != NULL) {
        const struct ccs_idle_key *best_key = NULL;
        for (uint32_t i = 0; i < Q->n_groups; i++) {
            const struct ccs_idle_key *k = &v->idle_key[Q->groups[i]];
            if (k->head != CCS_NONE && (best_key == NULL || ccs_idle_key_before(k, best_key)))
                best_key = k;
        }
        return best_key != NULL ? best_key->head : CCS_NONE;
    }
    uint32_t bg = CCS_NONE;
    for (uint32_t i = 0; i < Q->n_groups; i++) {
        uint32_t g = Q->groups[i];
        if (v->groups[g].idle_head != CCS_NONE &&
            (bg == CCS_NONE || ccs_idle_before(v, v->groups[g].idle_head, v->groups[bg].idle_head)))
            bg = g;
    }
    return bg != CCS_NONE ? v->groups[bg].idle_head : CCS_NONE;
}

uint32_t ccs_oldest_in_queue(const struct ccs_view *v, uint32_t q)
{
    const struct ccs_queue *Q = &v->queues[q];
    if (Q->n_lines == 1)
        return v->lines[Q->first_line].head;
    uint32_t best = CCS_NONE;
    int best_prio = 0;
    double best_t = 0;
    for (uint32_t l = Q->first_line; l < Q->first_line + Q->n_lines; l++) {
        const struct ccs_line *L = &v->lines[l];
        if (L->head == CCS_NONE)
            continue;
        const struct ccs_contact *c = &v->contacts[L->head];
        double t = c->arrived - c->credit;
        if (best == CCS_NONE || L->priority > best_prio ||
            (L->priority == best_prio && t < best_t)) {
            best = L->head;
            best_prio = L->priority;
            best_t = t;
        }
    }
    return best;
}

double ccs_next_overflow(const struct ccs_view *v, uint32_t c)
{
    const struct ccs_contact *C = &v->contacts[c];
    const struct ccs_queue *Q = &v->queues[C->queue];
    double next = INFINITY;
    for (uint32_t i = 0; i < Q->n_groups; i++) {
        double t = C->arrived + v->groups[Q->groups[i]].skills[Q->group_skill[i]].delay;
        if (t > v->now && t < next)
            next = t;
    }
    return next;
}

const char *const ccs__ties_names[] = {"longest_idle", "random", NULL};

const char *const ccs_agent_rule_names[] = {"longest_idle", "most_skilled", "least_occupied",
                                             "random", NULL};

/*
 * The skill by which the i-th group of queue Q may take contact C now, or
 * NULL: the group has an available agent, group_ok (when given) lets it, and
 * the skill's overflow delay has passed. The one eligibility test of both
 * agent pickers.
 */
static inline const struct ccs_skill *eligible_skill(const struct ccs_view *v,
                                                     const struct ccs_contact *C,
                                                     const struct ccs_queue *Q, uint32_t i,
                                                     const unsigned char *group_ok)
{
    uint32_t g = Q->groups[i];
    const struct ccs_group *G = &v->groups[g];
    const struct ccs_skill *sk = &G->skills[Q->group_skill[i]];
    if (G->idle_head == CCS_NONE || (group_ok != NULL && !group_ok[g]) ||
        !ccs_overflow_open(v->now, C->arrived, sk->delay, false))
        return NULL;
    return sk;
}

uint32_t ccs_pick_agent(const struct ccs_view *v, uint32_t c, enum ccs_agent_rule rule,
                         const unsigned char *group_ok)
{
    const struct ccs_contact *C = &v->contacts[c];
    const struct ccs_queue *Q = &v->queues[C->queue];
    uint32_t best = CCS_NONE;
    double best_key = 0; /* level (most_skilled) or load (least_occupied) */
    for (uint32_t i = 0; i < Q->n_groups; i++) {
        const struct ccs_group *G = &v->groups[Q->groups[i]];
        const struct ccs_skill *sk = eligible_skill(v, C, Q, i, group_ok);
        if (sk == NULL)
            continue;
        switch (rule) {
        case CCS_AGENT_LONGEST_IDLE:
            /* each group's list is in the order agents became available */
            if (best == CCS_NONE || ccs_idle_before(v, G->idle_head, best))
                best = G->idle_head;
            break;
        case CCS_AGENT_MOST_SKILLED:
            if (best == CCS_NONE || sk->level > best_key ||
                (sk->level == best_key && ccs_idle_before(v, G->idle_head, best))) {
                best = G->idle_head;
                best_key = sk->level;
            }
            break;
        case CCS_AGENT_RANDOM: /* without a stream: longest idle */
            if (best == CCS_NONE || ccs_idle_before(v, G->idle_head, best))
                best = G->idle_head;
            break;
        case CCS_AGENT_LEAST_OCCUPIED:
            for (uint32_t a = G->idle_head; a != CCS_NONE; a = v->agents[a].next) {
                double load = ccs_view_agent_occupancy(v, a);
                if (best == CCS_NONE || load < best_key ||
                    (load == best_key && ccs_idle_before(v, a, best))) {
                    best = a;
                    best_key = load;
                }
            }
            break;
        }
    }
    return best;
}

/* Rule key of available agent a of a group with skill sk: higher ranks first. */
static double rule_key(const struct ccs_view *v, enum ccs_agent_rule rule,
                       const struct ccs_skill *sk, uint32_t a)
{
    switch (rule) {
    case CCS_AGENT_MOST_SKILLED:
        return sk->level;
    case CCS_AGENT_LEAST_OCCUPIED:
        return -ccs_view_agent_occupancy(v, a);
    default:
        return 0; /* random: all tie */
    }
}

/*
 * Random choice walks the eligible available agents twice: once to find the
 * best key and count the agents that have it, once to stop at the k-th of
 * them. Choosing an index (not, say, reservoir sampling) uses one draw per
 * decision, so a run's routing stream advances by decisions, not by agents.
 */
uint32_t ccs_pick_agent_rng(const struct ccs_view *v, uint32_t c, enum ccs_agent_rule rule,
                            const unsigned char *group_ok, bool random_ties,
                            struct ccs_stream *rng)
{
    bool random = rule == CCS_AGENT_RANDOM ||
                  (random_ties && (rule == CCS_AGENT_MOST_SKILLED ||
                                   rule == CCS_AGENT_LEAST_OCCUPIED));
    if (rng == NULL || !random)
        return ccs_pick_agent(v, c, rule, group_ok);
    const struct ccs_contact *C = &v->contacts[c];
    const struct ccs_queue *Q = &v->queues[C->queue];
    double best = -INFINITY;
    uint32_t n = 0;
    for (int pass = 0; pass < 2; pass++) {
        uint32_t k = 0;
        if (pass == 1) {
            if (n == 0)
                return CCS_NONE;
            if (n > 1) {
                k = (uint32_t)(ccs_stream_uniform(rng) * n);
                if (k >= n) /* u < 1, but be safe against rounding */
                    k = n - 1;
            }
        }
        for (uint32_t i = 0; i < Q->n_groups; i++) {
            const struct ccs_skill *sk = eligible_skill(v, C, Q, i, group_ok);
            if (sk == NULL)
                continue;
            for (uint32_t a = v->groups[Q->groups[i]].idle_head; a != CCS_NONE; a = v->agents[a].next) {
                double key = rule_key(v, rule, sk, a);
                if (pass == 0) {
                    if (key > best) {
                        best = key;
                        n = 0;
                    }
                    n += key == best;
                } else if (key == best && k-- == 0) {
                    return a;
                }
            }
        }
    }
    return CCS_NONE; /* not reached: pass 1 finds the k-th of the n counted */
}

/* Is contact c of line L a candidate under scan s for a skill with this delay? */
static bool candidate(const struct ccs_view *v, const struct ccs_contact *c,
                      const struct ccs_line *L, double delay, const struct ccs__scan *s)
{
    if (!ccs_overflow_open(v->now, c->arrived, delay, false))
        return false;
    /* the same expression as blended's recheck time, so it holds at that instant */
    return s->urgent < 0 || v->now >= c->arrived + s->urgent * L->sla_within;
}

/*
 * The first contact of line L, in line order, that is a candidate. Usually
 * the head; when the head is not, the contacts behind it arrived later and
 * are not either, except a contact that rejoined the line (a scheduled
 * callback keeps its first arrival), so the walk is short.
 */
static uint32_t first_candidate(const struct ccs_view *v, const struct ccs_line *L,
                                double delay, const struct ccs__scan *s)
{
    for (uint32_t c = L->head; c != CCS_NONE; c = v->contacts[c].next)
        if (candidate(v, &v->contacts[c], L, delay, s))
            return c;
    return CCS_NONE;
}

uint32_t ccs__skills_pick(const struct ccs_view *v, uint32_t g, const struct ccs__scan *s)
{
    const struct ccs_group *G = &v->groups[g];
    uint32_t best = CCS_NONE, best_line = 0;
    double best_prio = 0, best_t = 0;
    int best_skill = 0;
    for (uint32_t k = 0; k < G->n_skills; k++) {
        const struct ccs_skill *sk = &G->skills[k];
        const struct ccs_queue *Q = &v->queues[sk->queue];
        if (Q->waiting == 0 || (s->kind == CCS__REALTIME && Q->deferred) ||
            (s->kind == CCS__DEFERRED && !Q->deferred))
            continue;
        for (uint32_t l = Q->first_line; l < Q->first_line + Q->n_lines; l++) {
            const struct ccs_line *L = &v->lines[l];
            uint32_t id = first_candidate(v, L, sk->delay, s);
            if (id == CCS_NONE)
                continue;
            const struct ccs_contact *c = &v->contacts[id];
            double t = c->arrived - c->credit;
            double prio = L->priority;
            if (s->aging > 0)
                prio += floor((v->now - t) / s->aging);
            bool better = best == CCS_NONE || prio > best_prio ||
                          (prio == best_prio &&
                           (sk->priority < best_skill ||
                            (sk->priority == best_skill &&
                             (t < best_t || (t == best_t && l < best_line)))));
            if (better) {
                best = id;
                best_prio = prio;
                best_skill = sk->priority;
                best_t = t;
                best_line = l;
            }
        }
    }
    return best;
}

bool ccs__skills_may_serve(const struct ccs_view *v, uint32_t c, uint32_t g)
{
    const struct ccs_contact *C = &v->contacts[c];
    int32_t s = ccs_view_skill_index(v, g, C->queue);
    return s >= 0 && ccs_overflow_open(v->now, C->arrived, v->groups[g].skills[s].delay, true);
}
