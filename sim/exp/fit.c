/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fit.c - a scenario estimated from a call log (`ccsim fit`): arrivals per
 * weekday x interval with their over-dispersion, handle and wrap-up times
 * by MLE/AIC, patience from censored waits, segment shares, redials and
 * transfers, and the agents' availability inferred from the agent column.
 * docs/fit.md states the rules; the estimators are sim/analytic (estimate.h).
 */
#include "exp/fit_impl.h"

#include "ccs/estimate.h"
#include "core/str.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *ccs_avail_rule_name(enum ccs_avail_rule r)
{
    switch (r) {
    case CCS_AVAIL_WAITING:
        return "waiting";
    case CCS_AVAIL_GAP:
        return "gap";
    }
    return "?";
}

struct ccs_fitlog_opts ccs_fitlog_opts_default(void)
{
    struct ccs_fitlog_opts o = {0};
    o.short_abandon = 5;
    o.rule = CCS_AVAIL_GAP;
    o.block_gap = 1800;
    o.avail_step = 60;
    o.n_boot = 99;
    o.seed = 1;
    return o;
}

/* ---- small helpers -------------------------------------------------------- */

struct dbuf {
    double *v;
    size_t n, cap;
};

static int dpush(struct dbuf *b, double x)
{
    if (b->n == b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 256;
        double *v = ccs_realloc(b->v, cap * sizeof *v);
        if (v == NULL)
            return CCS_ENOMEM;
        b->v = v;
        b->cap = cap;
    }
    b->v[b->n++] = x;
    return 0;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

uint64_t ccs__fit_hash(const char *s)
{
    uint64_t h = 1469598103934665603u;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 1099511628211u;
    }
    return h;
}

const char *ccs__fit_agent_name(const struct ccs_fitlog *f, size_t a, char *buf, size_t cap)
{
    if (!f->o.pseudonymize)
        return f->agents[a];
    snprintf(buf, cap, "agent-%08llx",
             (unsigned long long)(ccs__fit_hash(f->agents[a]) & 0xffffffffu));
    return buf;
}

static size_t agent_index(const struct ccs_fitlog *f, const char *name)
{
    const char *const *p = bsearch(&name, f->agents, f->n_agents, sizeof *f->agents, cmp_str);
    return p ? (size_t)(p - (const char *const *)f->agents) : SIZE_MAX;
}

/* ---- arrivals -------------------------------------------------------------- */

static int fit_arrivals(struct ccs_fitlog *f)
{
    size_t nq = f->nq, ni = f->ni, nd = f->n_days;
    f->counts = ccs_calloc(nd * nq * ni, sizeof *f->counts);
    if (f->counts == NULL)
        return CCS_ENOMEM;
    for (size_t k = 0; k < nd; k++) {
        const struct ccs_scenario *sc = f->scs[k];
        f->wd_days[sc->start_day]++;
        for (size_t q = 0; q < nq; q++) {
            const struct ccs_arrivals *a = &sc->queues[q].arrivals;
            for (size_t r = 0; r < a->n_trace; r++) {
                size_t i = (size_t)(a->trace[r].t / f->interval);
                if (i < ni)
                    f->counts[(k * nq + q) * ni + i] += 1;
            }
        }
    }
    /* The dispersion test pools the weekdays with at least 2 dates. */
    size_t nk = 0;
    for (size_t k = 0; k < nd; k++)
        if (f->wd_days[f->scs[k]->start_day] >= 2)
            nk++;
    f->disp_ok = false;
    f->disp_why = "fewer than 2 dates of any weekday";
    if (nk >= 2) {
        double *c = ccs_malloc(nk * nq * ni * sizeof *c);
        int *grp = ccs_malloc(nk * sizeof *grp);
        if (c == NULL || grp == NULL) {
            free(c);
            free(grp);
            return CCS_ENOMEM;
        }
        size_t j = 0;
        for (size_t k = 0; k < nd; k++)
            if (f->wd_days[f->scs[k]->start_day] >= 2) {
                memcpy(c + j * nq * ni, f->counts + k * nq * ni, nq * ni * sizeof *c);
                grp[j++] = f->scs[k]->start_day;
            }
        const char *why = NULL;
        int rc = ccs_dispersion(c, nk, nq * ni, grp, &f->disp, &why);
        free(c);
        free(grp);
        if (rc == CCS_ENOMEM)
            return rc;
        f->disp_ok = rc == 0;
        if (rc)
            f->disp_why = why ? why : "not estimable";
    }
    return 0;
}

/* ---- per queue ------------------------------------------------------------- */

static int fit_queue(struct ccs_fitlog *f, size_t q)
{
    struct ccs__fq *fq = &f->q[q];
    struct dbuf work = {0}, wrap = {0}, pt = {0};
    bool *ev = NULL;
    size_t nb = 0;
    int rc = 0;
    fq->aht_sum = ccs_calloc(f->ni, sizeof *fq->aht_sum);
    fq->aht_n = ccs_calloc(f->ni, sizeof *fq->aht_n);
    fq->seg_n = ccs_calloc(f->scs[0]->queues[q].n_segments, sizeof *fq->seg_n);
    if (fq->aht_sum == NULL || fq->aht_n == NULL || fq->seg_n == NULL)
        return CCS_ENOMEM;
    for (size_t k = 0; k < f->n_days; k++) {
        const struct ccs_arrivals *a = &f->scs[k]->queues[q].arrivals;
        for (size_t r = 0; r < a->n_trace; r++) {
            const struct ccs_trace_rec *t = &a->trace[r];
            fq->n++;
            if (t->segment < f->scs[0]->queues[q].n_segments)
                fq->seg_n[t->segment]++;
            if (t->transfer)
                fq->n_transfer++;
            if (!isnan(t->patience)) {
                fq->n_aband++;
                if (t->patience <= f->o.short_abandon)
                    fq->n_short++;
            } else if (!isnan(t->waited)) {
                fq->n_served++;
            }
            if (!isnan(t->work) && t->work > 0 && !isnan(t->waited)) {
                if ((rc = dpush(&work, t->work)))
                    goto out;
                size_t i = (size_t)(t->t / f->interval);
                if (i < f->ni) {
                    fq->aht_sum[i] += t->work;
                    fq->aht_n[i]++;
                }
            }
            if (!isnan(t->wrap) && t->wrap > 0 && !isnan(t->waited) && (rc = dpush(&wrap, t->wrap)))
                goto out;
            double w = !isnan(t->patience) ? t->patience : t->waited;
            if (!isnan(w)) {
                if ((rc = dpush(&pt, w)))
                    goto out;
                if (nb == pt.n - 1) {
                    size_t cap = pt.cap;
                    bool *e = ccs_realloc(ev, cap * sizeof *e);
                    if (e == NULL) {
                        rc = CCS_ENOMEM;
                        goto out;
                    }
                    ev = e;
                    nb = cap;
                }
                ev[pt.n - 1] = !isnan(t->patience);
            }
        }
    }
    fq->n_work = work.n;
    const char *why = NULL;
    if (work.n >= 2) {
        rc = ccs_fit_best(work.v, work.n, fq->handle, &fq->handle_best, &why);
        if (rc == CCS_ENOMEM)
            goto out;
        fq->has_handle = rc == 0;
        if (fq->has_handle && f->o.n_boot > 0) {
            rc = ccs_fit_gof(&fq->handle[fq->handle_best], work.v, work.n, f->o.n_boot,
                             f->o.seed + q, &fq->handle_gof, &why);
            if (rc == CCS_ENOMEM)
                goto out;
            fq->has_gof = rc == 0;
        }
        rc = 0;
    }
    fq->n_wrap = wrap.n;
    if (wrap.n >= 2) {
        rc = ccs_fit_best(wrap.v, wrap.n, fq->wrap, &fq->wrap_best, &why);
        if (rc == CCS_ENOMEM)
            goto out;
        fq->has_wrap = rc == 0;
        rc = 0;
    }
    fq->n_pat = pt.n;
    if (pt.n > 0) {
        rc = ccs_km_new(pt.v, ev, pt.n, &fq->km, &why);
        if (rc == CCS_ENOMEM)
            goto out;
        if (rc == 0 && fq->km->n_events > 0) {
            rc = ccs_km_values(fq->km, 200, fq->km_values, &why);
            if (rc == CCS_ENOMEM)
                goto out;
            fq->has_km = rc == 0;
        }
        rc = ccs_fit_censored_best(pt.v, ev, pt.n, f->o.short_abandon, fq->pat, &fq->pat_best,
                                   &why);
        if (rc == CCS_ENOMEM)
            goto out;
        fq->has_pat = rc == 0;
        if (!fq->has_pat)
            fq->pat_why = why;
        rc = 0;
    }
out:
    if (rc == 0) {
        fq->work_v = work.v; /* kept for the charts (fit_out.c) */
        work.v = NULL;
    }
    free(work.v);
    free(wrap.v);
    free(pt.v);
    free(ev);
    return rc;
}

/* Redials: an abandoned contact whose customer calls again the same date
   (any queue); repeats: the same after a served contact. */
struct cust {
    uint64_t id;
    double t;
    bool abandoned;
    uint32_t q;
};

static int cmp_cust(const void *a, const void *b)
{
    const struct cust *x = a, *y = b;
    if (x->id != y->id)
        return x->id < y->id ? -1 : 1;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    return (x->q > y->q) - (x->q < y->q);
}

static int fit_customers(struct ccs_fitlog *f)
{
    for (size_t k = 0; k < f->n_days; k++) {
        const struct ccs_scenario *sc = f->scs[k];
        size_t n = 0;
        for (size_t q = 0; q < f->nq; q++)
            n += sc->queues[q].arrivals.n_trace;
        struct cust *c = ccs_malloc((n ? n : 1) * sizeof *c);
        if (c == NULL)
            return CCS_ENOMEM;
        size_t m = 0;
        for (size_t q = 0; q < f->nq; q++) {
            const struct ccs_arrivals *a = &sc->queues[q].arrivals;
            for (size_t r = 0; r < a->n_trace; r++)
                if (a->trace[r].customer != 0)
                    c[m++] = (struct cust){a->trace[r].customer, a->trace[r].t,
                                           !isnan(a->trace[r].patience), (uint32_t)q};
        }
        qsort(c, m, sizeof *c, cmp_cust);
        for (size_t i = 0; i < m; i++) {
            struct ccs__fq *fq = &f->q[c[i].q];
            bool again = i + 1 < m && c[i + 1].id == c[i].id;
            if (c[i].abandoned) {
                fq->ab_with_id++;
                if (again) {
                    fq->redials++;
                    fq->redial_delay += c[i + 1].t - c[i].t;
                }
            } else {
                fq->sv_with_id++;
                if (again)
                    fq->repeats++;
            }
        }
        free(c);
    }
    return 0;
}

/* ---- availability ---------------------------------------------------------- */

struct span {
    double a, b;
};

static int cmp_span(const void *x, const void *y)
{
    const struct span *s = x, *t = y;
    if (s->a != t->a)
        return s->a < t->a ? -1 : 1;
    return (s->b > t->b) - (s->b < t->b);
}

/* Sort and merge overlapping spans in place; returns the new count. */
static size_t merge_spans(struct span *s, size_t n)
{
    if (n == 0)
        return 0;
    qsort(s, n, sizeof *s, cmp_span);
    size_t m = 0;
    for (size_t i = 1; i < n; i++) {
        if (s[i].a <= s[m].b) {
            if (s[i].b > s[m].b)
                s[m].b = s[i].b;
        } else {
            s[++m] = s[i];
        }
    }
    return m + 1;
}

/* Length of [a, b) covered by the merged spans w[0..n). */
static double covered(const struct span *w, size_t n, double a, double b)
{
    size_t lo = 0, hi = n;
    while (lo < hi) { /* first span ending after a */
        size_t mid = (lo + hi) / 2;
        if (w[mid].b <= a)
            lo = mid + 1;
        else
            hi = mid;
    }
    double c = 0;
    for (size_t i = lo; i < n && w[i].a < b; i++) {
        double x = fmax(a, w[i].a), y = fmin(b, w[i].b);
        if (y > x)
            c += y - x;
    }
    return c;
}

/* Add `on` over [a, b) into per-step seconds acc[0..ns) of width step. */
static void add_steps(double *acc, size_t ns, double step, double a, double b)
{
    if (b <= a)
        return;
    if (a < 0)
        a = 0;
    size_t i = (size_t)(a / step);
    while (i < ns && a < b) {
        double end = fmin(b, (double)(i + 1) * step);
        acc[i] += end - a;
        a = end;
        i++;
    }
}

/* Record span [a, b) of agent `agent` on date `day` in the timeline. */
static int tl_add(struct ccs_fitlog *f, size_t day, size_t agent, double a, double b, bool away)
{
    if (f->n_tl == f->cap_tl) {
        size_t cap = f->cap_tl ? 2 * f->cap_tl : 256;
        struct ccs__tl *t = ccs_realloc(f->tl, cap * sizeof *t);
        if (t == NULL)
            return CCS_ENOMEM;
        f->tl = t;
        f->cap_tl = cap;
    }
    f->tl[f->n_tl++] = (struct ccs__tl){(uint32_t)day, (uint32_t)agent, a, b, away};
    return 0;
}

/* Take the parts of gap [a, b) covered by the merged spans w[0..nw) off acc
   (staffed seconds per step) and record them as away. */
static int sub_covered_steps(struct ccs_fitlog *f, size_t day, size_t agent, double *acc,
                             const struct span *w, size_t nw, double a, double b)
{
    size_t ns = f->n_steps;
    double step = f->o.avail_step;
    size_t lo = 0, hi = nw;
    while (lo < hi) { /* first span ending after a */
        size_t mid = (lo + hi) / 2;
        if (w[mid].b <= a)
            lo = mid + 1;
        else
            hi = mid;
    }
    for (size_t i = lo; i < nw && w[i].a < b; i++) {
        double x = fmax(a, w[i].a), y = fmin(b, w[i].b);
        if (y <= x)
            continue;
        int rc = tl_add(f, day, agent, x, y, true);
        if (rc)
            return rc;
        size_t k = (size_t)(fmax(x, 0) / step);
        double p = fmax(x, 0);
        while (k < ns && p < y) {
            double end = fmin(y, (double)(k + 1) * step);
            acc[k] -= end - p;
            p = end;
            k++;
        }
    }
    return 0;
}

struct busy {
    uint32_t agent; /* global agent index */
    double s, e;
};

static int cmp_busy(const void *x, const void *y)
{
    const struct busy *a = x, *b = y;
    if (a->agent != b->agent)
        return a->agent < b->agent ? -1 : 1;
    if (a->s != b->s)
        return a->s < b->s ? -1 : 1;
    return (a->e > b->e) - (a->e < b->e);
}

static int collect_agents(struct ccs_fitlog *f)
{
    size_t cap = 0;
    for (size_t k = 0; k < f->n_days; k++)
        cap += f->scs[k]->n_trace_agents;
    f->agents = ccs_calloc(cap ? cap : 1, sizeof *f->agents);
    if (f->agents == NULL)
        return CCS_ENOMEM;
    size_t n = 0;
    for (size_t k = 0; k < f->n_days; k++)
        for (size_t a = 0; a < f->scs[k]->n_trace_agents; a++)
            f->agents[n++] = f->scs[k]->trace_agents[a];
    qsort(f->agents, n, sizeof *f->agents, cmp_str);
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (m == 0 || strcmp(f->agents[m - 1], f->agents[i]) != 0)
            f->agents[m++] = f->agents[i];
    f->n_agents = m;
    f->agent_mask = ccs_calloc(m ? m : 1, sizeof *f->agent_mask);
    f->agent_served = ccs_calloc((m ? m : 1) * f->nq, sizeof *f->agent_served);
    if (f->agent_mask == NULL || f->agent_served == NULL)
        return CCS_ENOMEM;
    for (size_t k = 0; k < f->n_days; k++) {
        const struct ccs_scenario *sc = f->scs[k];
        for (size_t q = 0; q < f->nq; q++) {
            const struct ccs_arrivals *a = &sc->queues[q].arrivals;
            for (size_t r = 0; r < a->n_trace; r++) {
                uint32_t ag = a->trace[r].agent;
                if (ag == CCS_NO_AGENT || ag >= sc->n_trace_agents || isnan(a->trace[r].waited))
                    continue;
                size_t g = agent_index(f, sc->trace_agents[ag]);
                if (g == SIZE_MAX)
                    continue;
                f->agent_mask[g] |= (uint64_t)1 << q;
                f->agent_served[g * f->nq + q]++;
            }
        }
    }
    /* Groups: the distinct skill sets, by mask. */
    f->group_mask = ccs_calloc(m ? m : 1, sizeof *f->group_mask);
    f->agent_group = ccs_calloc(m ? m : 1, sizeof *f->agent_group);
    if (f->group_mask == NULL || f->agent_group == NULL)
        return CCS_ENOMEM;
    size_t ng = 0;
    for (size_t a = 0; a < m; a++) {
        if (f->agent_mask[a] == 0)
            continue;
        size_t g = 0;
        while (g < ng && f->group_mask[g] != f->agent_mask[a])
            g++;
        if (g == ng)
            f->group_mask[ng++] = f->agent_mask[a];
    }
    /* deterministic order: by mask */
    for (size_t i = 1; i < ng; i++)
        for (size_t j = i; j > 0 && f->group_mask[j - 1] > f->group_mask[j]; j--) {
            uint64_t t = f->group_mask[j];
            f->group_mask[j] = f->group_mask[j - 1];
            f->group_mask[j - 1] = t;
        }
    f->n_groups = ng;
    for (size_t a = 0; a < m; a++) {
        f->agent_group[a] = SIZE_MAX;
        for (size_t g = 0; g < ng; g++)
            if (f->group_mask[g] == f->agent_mask[a])
                f->agent_group[a] = g;
    }
    f->group_served = ccs_calloc((ng ? ng : 1) * f->nq, sizeof *f->group_served);
    f->group_agents = ccs_calloc(ng ? ng : 1, sizeof *f->group_agents);
    if (f->group_served == NULL || f->group_agents == NULL)
        return CCS_ENOMEM;
    for (size_t a = 0; a < m; a++)
        if (f->agent_group[a] != SIZE_MAX) {
            f->group_agents[f->agent_group[a]]++;
            for (size_t q = 0; q < f->nq; q++)
                f->group_served[f->agent_group[a] * f->nq + q] += f->agent_served[a * f->nq + q];
        }
    return 0;
}

static int infer_day(struct ccs_fitlog *f, size_t k)
{
    const struct ccs_scenario *sc = f->scs[k];
    size_t nq = f->nq, ns = f->n_steps, ng = f->n_groups;
    double step = f->o.avail_step;
    size_t n = 0;
    for (size_t q = 0; q < nq; q++)
        n += sc->queues[q].arrivals.n_trace;
    struct busy *b = ccs_malloc((n ? n : 1) * sizeof *b);
    struct span *w = ccs_malloc((n ? n : 1) * nq * sizeof *w);
    size_t *nw = ccs_calloc(nq, sizeof *nw);
    if (b == NULL || w == NULL || nw == NULL) {
        free(b);
        free(w);
        free(nw);
        return CCS_ENOMEM;
    }
    /* Waiting spans per queue (served and abandoned), busy spans per agent. */
    size_t nbusy = 0;
    for (size_t q = 0; q < nq; q++) {
        const struct ccs_arrivals *a = &sc->queues[q].arrivals;
        struct span *wq = w + q * n;
        for (size_t r = 0; r < a->n_trace; r++) {
            const struct ccs_trace_rec *t = &a->trace[r];
            double wt = !isnan(t->patience) ? t->patience : t->waited;
            if (!isnan(wt) && wt > 0)
                wq[nw[q]++] = (struct span){t->t, t->t + wt};
            if (isnan(t->waited) || t->agent == CCS_NO_AGENT || t->agent >= sc->n_trace_agents)
                continue;
            size_t g = agent_index(f, sc->trace_agents[t->agent]);
            if (g == SIZE_MAX)
                continue;
            double s = t->t + t->waited;
            double e = s + (isnan(t->work) ? 0 : t->work) + (isnan(t->wrap) ? 0 : t->wrap);
            b[nbusy++] = (struct busy){(uint32_t)g, s, e};
        }
    }
    /* Waiting spans a group could serve: the union over its queues. */
    struct span *wg = ccs_malloc((n ? n : 1) * nq * sizeof *wg);
    size_t *nwg = ccs_calloc(ng ? ng : 1, sizeof *nwg);
    struct span **wgp = ccs_calloc(ng ? ng : 1, sizeof *wgp);
    if (wg == NULL || nwg == NULL || wgp == NULL) {
        free(b);
        free(w);
        free(nw);
        free(wg);
        free(nwg);
        free(wgp);
        return CCS_ENOMEM;
    }
    /* one buffer per group would need ng * n * nq; build them one after another
       into a copy kept per group instead */
    int rc = 0;
    for (size_t g = 0; g < ng && rc == 0; g++) {
        size_t m = 0;
        for (size_t q = 0; q < nq; q++)
            if (f->group_mask[g] & ((uint64_t)1 << q)) {
                memcpy(wg + m, w + q * n, nw[q] * sizeof *wg);
                m += nw[q];
            }
        m = merge_spans(wg, m);
        wgp[g] = ccs_malloc((m ? m : 1) * sizeof **wgp);
        if (wgp[g] == NULL) {
            rc = CCS_ENOMEM;
            break;
        }
        memcpy(wgp[g], wg, m * sizeof *wg);
        nwg[g] = m;
    }
    free(w);
    free(nw);
    free(wg);
    if (rc == 0) {
        qsort(b, nbusy, sizeof *b, cmp_busy);
        double *st = f->staff + k * ng * ns;
        for (size_t i = 0; i < nbusy;) {
            size_t j = i;
            uint32_t ag = b[i].agent;
            while (j < nbusy && b[j].agent == ag)
                j++;
            size_t g = f->agent_group[ag];
            double *acc = st + g * ns;
            const struct span *wa = wgp[g];
            size_t nwa = nwg[g];
            struct ccs__avail_row *row = &f->avail[k * f->n_agents + ag];
            /* walk the agent's contacts: blocks split at gaps > block_gap */
            double bs = b[i].s, be = b[i].e;
            row->busy += b[i].e - b[i].s;
            for (size_t x = i + 1; x <= j; x++) {
                double gap_a = be, gap_b = x < j ? b[x].s : be;
                if (x == j || gap_b - gap_a > f->o.block_gap) {
                    row->present += be - bs;
                    add_steps(acc, ns, step, bs, be);
                    if ((rc = tl_add(f, k, ag, bs, be, false)))
                        break;
                    if (x < j) {
                        bs = b[x].s;
                        be = b[x].e;
                        row->busy += b[x].e - b[x].s;
                    }
                    continue;
                }
                if (gap_b > gap_a) {
                    double c = covered(wa, nwa, gap_a, gap_b);
                    if (c > 0) {
                        if (f->o.rule == CCS_AVAIL_GAP) {
                            struct span whole = {gap_a, gap_b};
                            row->away += gap_b - gap_a;
                            rc = sub_covered_steps(f, k, ag, acc, &whole, 1, gap_a, gap_b);
                        } else {
                            row->away += c;
                            rc = sub_covered_steps(f, k, ag, acc, wa, nwa, gap_a, gap_b);
                        }
                        if (rc)
                            break;
                    }
                }
                row->busy += b[x].e - b[x].s;
                if (b[x].e > be)
                    be = b[x].e;
            }
            if (rc)
                break;
            i = j;
        }
    }
    for (size_t g = 0; g < ng; g++)
        free(wgp[g]);
    free(wgp);
    free(nwg);
    free(b);
    return rc;
}

static int fit_availability(struct ccs_fitlog *f)
{
    int rc = collect_agents(f);
    if (rc)
        return rc;
    f->n_steps = (size_t)ceil(f->horizon / f->o.avail_step - 1e-9);
    f->staff = ccs_calloc(f->n_days * (f->n_groups ? f->n_groups : 1) * f->n_steps, sizeof *f->staff);
    f->avail = ccs_calloc(f->n_days * (f->n_agents ? f->n_agents : 1), sizeof *f->avail);
    if (f->staff == NULL || f->avail == NULL)
        return CCS_ENOMEM;
    for (size_t k = 0; k < f->n_days; k++)
        if ((rc = infer_day(f, k)))
            return rc;
    return 0;
}

double ccs_fitlog_available_share(const struct ccs_fitlog *f)
{
    if (f == NULL)
        return NAN;
    double p = 0, away = 0;
    for (size_t i = 0; i < f->n_days * f->n_agents; i++) {
        p += f->avail[i].present;
        away += f->avail[i].away;
    }
    return p > 0 ? (p - away) / p : NAN;
}

/* Staffing of group g in step s of date k (mean agents staffed). */
double ccs__fit_staff(const struct ccs_fitlog *f, size_t k, size_t g, size_t s)
{
    return f->staff[(k * f->n_groups + g) * f->n_steps + s] / f->o.avail_step;
}

/* ---- the whole fit --------------------------------------------------------- */

int ccs_fitlog_new(struct ccs_scenario *const *scs, size_t n, const struct ccs_fitlog_opts *o,
                   struct ccs_fitlog **out, struct ccs_diag *d)
{
    if (out == NULL || (scs == NULL && n > 0))
        return ccs_diag_at(d, CCS_EINVAL, NULL, 0, 0, "invalid argument");
    *out = NULL;
    if (n == 0)
        return ccs_diag_at(d, CCS_ERANGE, NULL, 0, 0, "the log has no dates to fit");
    const struct ccs_scenario *sc0 = scs[0];
    size_t total = 0;
    for (size_t k = 0; k < n; k++)
        for (size_t q = 0; q < scs[k]->n_queues; q++)
            if (scs[k]->queues[q].arrivals.kind == CCS_ARR_TRACE)
                total += scs[k]->queues[q].arrivals.n_trace;
    if (total == 0)
        return ccs_diag_at(d, CCS_ERANGE, sc0->origin, 0, 0,
                           "the log has no contacts to fit: no queue has 'arrivals: trace' "
                           "with records on the dates chosen");
    if (sc0->n_queues > 64)
        return ccs_diag_at(d, CCS_EUNSUPPORTED, sc0->origin, 0, 0,
                           "fitting supports at most 64 queues, the scenario has %zu",
                           sc0->n_queues);
    struct ccs_fitlog *f = ccs_calloc(1, sizeof *f);
    if (f == NULL)
        return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    f->o = o ? *o : ccs_fitlog_opts_default();
    if (!(f->o.avail_step > 0))
        f->o.avail_step = 60;
    f->scs = scs;
    f->n_days = n;
    f->nq = sc0->n_queues;
    f->interval = sc0->interval;
    f->horizon = sc0->horizon;
    f->ni = sc0->n_intervals;
    f->total = total;
    f->q = ccs_calloc(f->nq, sizeof *f->q);
    int rc = f->q ? 0 : CCS_ENOMEM;
    if (rc == 0)
        rc = fit_arrivals(f);
    for (size_t q = 0; rc == 0 && q < f->nq; q++)
        rc = fit_queue(f, q);
    if (rc == 0)
        rc = fit_customers(f);
    if (rc == 0)
        rc = fit_availability(f);
    if (rc) {
        ccs_fitlog_free(f);
        return ccs_diag_at(d, rc, NULL, 0, 0, "%s", ccs_strerror(rc));
    }
    *out = f;
    return 0;
}

void ccs_fitlog_free(struct ccs_fitlog *f)
{
    if (f == NULL)
        return;
    for (size_t q = 0; q < f->nq && f->q; q++) {
        free(f->q[q].aht_sum);
        free(f->q[q].aht_n);
        free(f->q[q].seg_n);
        free(f->q[q].work_v);
        ccs_km_free(f->q[q].km);
    }
    free(f->q);
    free(f->counts);
    free(f->agents);
    free(f->agent_mask);
    free(f->agent_served);
    free(f->agent_group);
    free(f->group_mask);
    free(f->group_served);
    free(f->group_agents);
    free(f->staff);
    free(f->avail);
    free(f->tl);
    for (size_t i = 0; i < f->n_ov_text; i++)
        free(f->ov_text[i]);
    free(f->ov_text);
    free(f->ov);
    free(f);
}
