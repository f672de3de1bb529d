/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * predictive_sla.c - serve the promise most at risk. An arriving contact
 * goes to the longest-idle eligible agent, else waits. A freed agent
 * computes, for each line it serves, the oldest contact still within its
 * line's threshold T, the probability that this contact misses T if passed
 * over now (from the wait predictor's answer rate and an estimate of the
 * queue's abandonment rate), weighted by the line's value of a miss
 * (weight / (1 - target)), and serves the highest. Contacts already past T
 * come after all that can still be saved: highest value, then oldest.
 * docs/routing.md states the rule with its formulas.
 */
#include "policy/common.h"
#include "ccs/mem.h"

#include <stdlib.h>

/* Per queue: what the policy has seen of its callers' patience. */
struct patience {
    double abandons; /* contacts that abandoned */
    double exposure; /* seconds waited by contacts that left the line (served or abandoned) */
};

struct psla {
    uint32_t n_queues;
    struct patience q[]; /* one per queue */
};

static int psla_init(const struct ccs_params *p, const struct ccs_view *v,
                     struct ccs_stream *rng, void **state, struct ccs_diag *d)
{
    *state = NULL;
    int rc = ccs_params_check(p, NULL, 0, d);
    if (rc)
        return rc;
    struct psla *s = ccs_calloc(1, sizeof *s + v->n_queues * sizeof s->q[0]);
    if (s == NULL)
        return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    s->n_queues = v->n_queues;
    *state = s;
    return 0;
}

/* The queue's abandonment rate per second of waiting: abandons / exposure,
   the maximum-likelihood estimate for exponential patience; 0 before any. */
static double abandon_rate(const struct psla *s, uint32_t q)
{
    return s->q[q].exposure > 0 ? s->q[q].abandons / s->q[q].exposure : 0;
}

/* Value of one missed promise on line L: weight / (1 - target), so a miss
   on a 90% promise costs twice one on an 80% promise of equal weight. */
static double miss_cost(const struct ccs_line *L)
{
    double room = 1 - L->sla_target;
    return L->weight / (room > 0.01 ? room : 0.01);
}

/*
 * Probability that a contact with `slack` seconds left before its threshold
 * misses it if passed over now: it is met only if an eligible agent frees
 * (rate mu = 1 / predicted wait) before both the threshold and the caller's
 * patience (rate theta) run out: 1 - mu / (mu + theta) (1 - exp(-(mu + theta) slack)).
 */
static double miss_risk(double mu, double theta, double slack)
{
    double lam = mu + theta;
    if (!(lam > 0))
        return 1;
    return 1 - mu / lam * (1 - exp(-lam * slack));
}

/* Count the time contact c waited as exposure to abandonment, unless it had
   accepted a callback (it can no longer abandon). */
static void note_wait(struct psla *s, const struct ccs_view *v, uint32_t c)
{
    const struct ccs_contact *C = &v->contacts[c];
    if (!(C->flags & CCS_CF_CALLBACK))
        s->q[C->queue].exposure += v->now - C->arrived;
}

static struct ccs_route psla_route(void *state, const struct ccs_view *v, uint32_t contact)
{
    uint32_t a = ccs_longest_idle_for(v, v->contacts[contact].queue);
    if (a == CCS_NONE)
        return ccs_route_queue("no eligible agent idle");
    note_wait(state, v, contact);
    return ccs_route_assign(a, "longest-idle eligible agent");
}

/* The oldest contact of line L still within its threshold, or CCS_NONE:
   walk back from the newest while contacts are within T. */
static uint32_t oldest_savable(const struct ccs_view *v, const struct ccs_line *L)
{
    uint32_t found = CCS_NONE;
    for (uint32_t c = L->tail; c != CCS_NONE; c = v->contacts[c].prev) {
        if (v->now - v->contacts[c].arrived > L->sla_within)
            break;
        found = c;
    }
    return found;
}

static struct ccs_pick psla_select(void *state, const struct ccs_view *v, uint32_t agent)
{
    struct psla *s = state;
    const struct ccs_group *G = &v->groups[v->agents[agent].group];
    uint32_t best = CCS_NONE, late = CCS_NONE;
    double best_score = 0, best_slack = 0, late_cost = 0, late_t = 0;
    for (uint32_t k = 0; k < G->n_skills; k++) {
        uint32_t q = G->skills[k].queue;
        const struct ccs_queue *Q = &v->queues[q];
        if (Q->waiting == 0)
            continue;
        double wait1 = ccs_view_predict_wait(v, q, 0); /* until an eligible agent frees */
        double mu = wait1 < INFINITY ? 1 / wait1 : 0, theta = abandon_rate(s, q);
        for (uint32_t l = Q->first_line; l < Q->first_line + Q->n_lines; l++) {
            const struct ccs_line *L = &v->lines[l];
            if (L->head == CCS_NONE)
                continue;
            double cost = miss_cost(L);
            uint32_t c = oldest_savable(v, L);
            if (c != CCS_NONE) {
                double slack = L->sla_within - (v->now - v->contacts[c].arrived);
                double score = cost * miss_risk(mu, theta, slack);
                /* ties: less slack first; lines in index order (strict >) */
                if (best == CCS_NONE || score > best_score ||
                    (score == best_score && slack < best_slack)) {
                    best = c;
                    best_score = score;
                    best_slack = slack;
                }
            }
            const struct ccs_contact *h = &v->contacts[L->head];
            if (h->id != c && (late == CCS_NONE || cost > late_cost ||
                               (cost == late_cost && h->arrived < late_t))) {
                late = L->head;
                late_cost = cost;
                late_t = h->arrived;
            }
        }
    }
    struct ccs_pick p = {best, "the promise most at risk"};
    if (best == CCS_NONE) {
        p.contact = late;
        p.reason = late != CCS_NONE ? "every waiting promise already missed: most valuable, oldest"
                                    : "no waiting contact for its skills";
    }
    if (p.contact != CCS_NONE)
        note_wait(s, v, p.contact);
    return p;
}

static bool psla_may_serve(void *state, const struct ccs_view *v, uint32_t contact,
                           uint32_t agent)
{
    (void)state;
    return ccs_has_skill(v, contact, agent);
}

/* A contact left its line unserved: an abandonment, or a message left after
   message_after (CCS_CF_MESSAGE) or a disconnection at closing (CCS_CF_CLOSED),
   which say nothing of the caller's patience: only its wait counts, as
   exposure, like a served contact's. */
static void psla_abandon(void *state, const struct ccs_view *v, uint32_t contact)
{
    struct psla *s = state;
    if (!(v->contacts[contact].flags & (CCS_CF_MESSAGE | CCS_CF_CLOSED)))
        s->q[v->contacts[contact].queue].abandons += 1;
    note_wait(s, v, contact);
}

const struct ccs_policy_ops ccs_policy_predictive_sla = {
    .name = "predictive-sla",
    .summary = "serve the waiting contact whose service-level promise is most at risk",
    .params_help = "(none; uses each line's sla target and threshold, segment 'weight', the "
                   "wait predictor and the observed abandonment rate)\n",
    .flags = CCS_POLICY_WORK_CONSERVING,
    .init = psla_init,
    .route_contact = psla_route,
    .select_contact = psla_select,
    .may_serve = psla_may_serve,
    .on_abandon = psla_abandon,
    .destroy = free,
};
