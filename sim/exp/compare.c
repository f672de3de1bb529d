/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * compare.c - variants on common random numbers. Every variant runs with
 * the same seed and replication numbers (so the same contacts: docs/engine.md
 * "Random streams"); values are kept per replication (or per batch) and
 * paired by number; means, variances and lag-1 autocorrelations come from
 * GSL, t quantiles from ccs__t_quantile (GSL). docs/compare.md is the spec.
 */
#include "ccs/run.h"
#include "ccs/compare.h"

#include "ccs/results.h"
#include "ccs/sim.h"
#include "core/grow.h"
#include "core/stats.h"
#include "core/timeconst.h"
#include "exp/channels.h"
#include "exp/reps.h"
#include "model/scenario.h"
#include "ccs/mem.h"

#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_START 10      /* replications (batches) to start from with targets */
#define DEFAULT_CAP 1000      /* default cap with targets */
#define MAX_HORIZON_S (3650 * CCS_DAY) /* the loader's limits (scenario_load.c) */
#define MAX_INTERVALS 200000.0

struct vstate {
    const char *name, *description;
    const struct ccs_scenario *given; /* as given */
    const struct ccs_scenario *sc;    /* what ran: given, or own */
    struct ccs_scenario *own;         /* batch means: the lengthened copy that ran */
    struct ccs_summary *sum;
    long *map;                     /* compare key -> this variant's layout index (or block index) */
    double *vals;                  /* rows x K values, NaN when undefined or missing */
    size_t rows_cap;
    double *run;                   /* one replication's values in this variant's layout */
    struct ccs_compare_stat *st;   /* per compare key */
    double *chv;                   /* rows x CH_VALS: offered, service level, ASA per channel */
    size_t ch_cap;
    struct ccs_compare_stat *ch_st; /* per channel row (CH_PER x n_ch) */
};

/* Per replication and channel: offered, the channel's service level, its ASA. */
#define CH_PER 3u
#define CH_VALS (CH_PER * (unsigned)CCS_CH_COUNT_)
static const enum ccs_kpi ch_kpi[CH_PER] = {CCS_KPI_offered, CCS_KPI_service_level, CCS_KPI_asa};

struct ccs_compare {
    size_t nv;
    struct vstate *v;
    enum ccs_compare_method method;
    bool whole_only;      /* from values: whole-run keys only (ccs_compare_from_values) */
    uint64_t seed;
    double level;
    uint32_t count;       /* rows used: replications or batches */
    uint32_t first_batch; /* batch means: interval index of batch 0 */
    size_t K;
    struct ccs_key *keys; /* the compare keys (baseline indices) */
    struct ccs_precision *targets;
    size_t nt;
    size_t *tkey;         /* compare key of each target */
    double *achieved;
    bool met;
    uint32_t cap;
    double *scratch_a, *scratch_b; /* 2 x scratch_cap (>= rows) doubles for statistics */
    size_t scratch_cap;
    enum ccs_channel ch[CCS_CH_COUNT_]; /* channels with queues in any variant: the
                                           baseline's first, in order of first queue */
    size_t n_ch;
    bool ch_dropped;              /* batch means without channel rows (channels.h) */
    const struct ccs_backtest *bt; /* the model's backtest (borrowed), or NULL */
    char *bt_source;               /* what names it in the reports */
};

/* --- verdicts -------------------------------------------------------------------------- */

const char *ccs_verdict_name(enum ccs_verdict v)
{
    static const char *const names[] = {"baseline", "better", "worse",
                                        "no significant difference", "n/a"};
    return (unsigned)v <= CCS_VERDICT_NA ? names[v] : "?";
}

enum ccs_verdict ccs_verdict_of(int better, double diff, double halfwidth)
{
    if (better == 0 || isnan(diff) || isnan(halfwidth))
        return CCS_VERDICT_NA;
    if (!(fabs(diff) > halfwidth))
        return CCS_VERDICT_NONE;
    return diff * better > 0 ? CCS_VERDICT_BETTER : CCS_VERDICT_WORSE;
}

/* --- statistics (GSL) --------------------------------------------------------------------- */

/* Mean and Student-t CI half-width of x[0..n): NaN when undefined. */
static void mean_hw(const double *x, size_t n, double level, double *mean, double *hw)
{
    *mean = n > 0 ? gsl_stats_mean(x, 1, n) : NAN;
    *hw = NAN;
    if (n < 2)
        return;
    double var = gsl_stats_variance_m(x, 1, n, *mean);
    *hw = var > 0 ? ccs__t_quantile(0.5 + level / 2.0, (double)(n - 1)) * sqrt(var / (double)n)
                  : 0.0;
}

static double value(const struct vstate *v, size_t K, size_t row, size_t k)
{
    return v->vals[row * K + k];
}

/* Paired differences of variant vi against the baseline on key k over the
   first `rows` rows, into out; returns how many pairs were defined. */
static size_t diffs(const struct ccs_compare *c, size_t vi, size_t k, size_t rows, double *out)
{
    size_t n = 0;
    for (size_t r = 0; r < rows; r++) {
        double a = value(&c->v[vi], c->K, r, k), b = value(&c->v[0], c->K, r, k);
        if (!isnan(a) && !isnan(b))
            out[n++] = a - b;
    }
    return n;
}

/* Largest paired half-width of target t over the variants after `rows` rows. */
static double achieved(const struct ccs_compare *c, size_t t, size_t rows)
{
    double worst = 0;
    for (size_t vi = 1; vi < c->nv; vi++) {
        size_t n = diffs(c, vi, c->tkey[t], rows, c->scratch_a);
        double m, hw;
        mean_hw(c->scratch_a, n, c->level, &m, &hw);
        if (isnan(hw))
            return NAN;
        if (hw > worst)
            worst = hw;
    }
    return worst;
}

/* Are all targets met after `rows` rows? Fills c->achieved. */
static bool check_targets(struct ccs_compare *c, size_t rows)
{
    bool all = true;
    for (size_t t = 0; t < c->nt; t++) {
        c->achieved[t] = achieved(c, t, rows);
        all = all && c->achieved[t] <= c->targets[t].halfwidth; /* NaN: not met */
    }
    return all;
}

static void final_stats(struct ccs_compare *c)
{
    size_t rows = c->count;
    for (size_t vi = 0; vi < c->nv; vi++) {
        struct vstate *v = &c->v[vi];
        for (size_t k = 0; k < c->K; k++) {
            struct ccs_compare_stat *s = &v->st[k];
            int better = ccs_kpi_info((enum ccs_kpi)c->keys[k].kpi)->better;
            memset(s, 0, sizeof *s);
            s->present = v->map[k] >= 0;
            s->diff_lag1 = NAN;
            size_t n = 0;
            for (size_t r = 0; r < rows; r++) {
                double x = value(v, c->K, r, k);
                if (!isnan(x))
                    c->scratch_a[n++] = x;
            }
            s->n = (double)n;
            mean_hw(c->scratch_a, n, c->level, &s->mean, &s->halfwidth);
            if (!s->present) {
                s->mean = s->halfwidth = s->diff = s->diff_halfwidth = NAN;
                s->verdict = CCS_VERDICT_NA;
                continue;
            }
            if (vi == 0) {
                s->diff_n = s->n;
                s->diff = s->diff_halfwidth = 0.0;
                s->verdict = CCS_VERDICT_BASELINE;
                continue;
            }
            size_t m = diffs(c, vi, k, rows, c->scratch_b);
            s->diff_n = (double)m;
            mean_hw(c->scratch_b, m, c->level, &s->diff, &s->diff_halfwidth);
            if (c->method == CCS_CMP_BATCH_MEANS && m >= 3 && s->diff_halfwidth > 0)
                s->diff_lag1 = gsl_stats_lag1_autocorrelation_m(c->scratch_b, 1, m, s->diff);
            s->verdict = ccs_verdict_of(better, s->diff, s->diff_halfwidth);
        }
    }
}

/* Does variant v have queues on channel ch? */
static bool has_channel(const struct vstate *v, enum ccs_channel ch)
{
    for (size_t q = 0; q < v->sc->n_queues; q++)
        if ((enum ccs_channel)v->sc->queues[q].channel == ch)
            return true;
    return false;
}

/* Channel row i's value (offered or service level) of variant v in row r. */
static double ch_value(const struct vstate *v, size_t r, enum ccs_channel ch, size_t j)
{
    return v->chv[r * CH_VALS + CH_PER * (unsigned)ch + j];
}

/* The channel rows' statistics, as final_stats has the keys': each
   variant's mean, and its difference to the baseline's same channel paired
   by replication (exp/channels.h gives one replication's value). */
static void channel_stats(struct ccs_compare *c)
{
    size_t rows = c->count;
    for (size_t vi = 0; vi < c->nv; vi++) {
        struct vstate *v = &c->v[vi];
        for (size_t i = 0; i < CH_PER * c->n_ch; i++) {
            enum ccs_channel ch = c->ch[i / CH_PER];
            size_t j = i % CH_PER;
            int better = ccs_kpi_info(ch_kpi[j])->better;
            struct ccs_compare_stat *s = &v->ch_st[i];
            memset(s, 0, sizeof *s);
            s->present = has_channel(v, ch);
            s->diff_lag1 = NAN;
            if (!s->present) {
                s->n = s->diff_n = 0;
                s->mean = s->halfwidth = s->diff = s->diff_halfwidth = NAN;
                s->verdict = CCS_VERDICT_NA;
                continue;
            }
            size_t n = 0, m = 0;
            bool pair = vi > 0 && has_channel(&c->v[0], ch);
            for (size_t r = 0; r < rows; r++) {
                double x = ch_value(v, r, ch, j), b = pair ? ch_value(&c->v[0], r, ch, j) : NAN;
                if (isnan(x))
                    continue;
                c->scratch_a[n++] = x;
                if (!isnan(b))
                    c->scratch_b[m++] = x - b;
            }
            s->n = (double)n;
            mean_hw(c->scratch_a, n, c->level, &s->mean, &s->halfwidth);
            if (vi == 0) {
                s->diff_n = s->n;
                s->diff = s->diff_halfwidth = 0.0;
                s->verdict = CCS_VERDICT_BASELINE;
                continue;
            }
            s->diff_n = (double)m;
            if (pair) {
                mean_hw(c->scratch_b, m, c->level, &s->diff, &s->diff_halfwidth);
                if (c->method == CCS_CMP_BATCH_MEANS && m >= 3 && s->diff_halfwidth > 0)
                    s->diff_lag1 = gsl_stats_lag1_autocorrelation_m(c->scratch_b, 1, m, s->diff);
                s->verdict = ccs_verdict_of(better, s->diff, s->diff_halfwidth);
            } else {
                s->diff = s->diff_halfwidth = NAN;
                s->verdict = CCS_VERDICT_NA;
            }
        }
    }
}

/* --- matching keys across variants --------------------------------------------------------- */

/* A key in one variant's index space, for sorting and searching. */
struct kref {
    struct ccs_key key;
    long index;
};

static int key_cmp(const struct ccs_key *a, const struct ccs_key *b)
{
#define CMP_(f)                                                                                    \
    if (a->f != b->f)                                                                              \
        return a->f < b->f ? -1 : 1;
    CMP_(scope)
    CMP_(kpi)
    CMP_(queue)
    CMP_(segment)
    CMP_(group)
#undef CMP_
    return 0;
}

static int kref_cmp(const void *a, const void *b)
{
    return key_cmp(&((const struct kref *)a)->key, &((const struct kref *)b)->key);
}

/* Index of queue/group id in sc, or -1. */
static int find_queue(const struct ccs_scenario *sc, const char *id)
{
    for (size_t q = 0; q < sc->n_queues; q++)
        if (strcmp(sc->queues[q].id, id) == 0)
            return (int)q;
    return -1;
}

static int find_group(const struct ccs_scenario *sc, const char *id)
{
    for (size_t g = 0; g < sc->n_groups; g++)
        if (strcmp(sc->groups[g].id, id) == 0)
            return (int)g;
    return -1;
}

static int find_segment(const struct ccs_scenario *sc, int q, const char *id)
{
    if (q < 0 || id == NULL)
        return -1;
    for (size_t s = 0; s < sc->queues[q].n_segments; s++) {
        const char *sid = sc->queues[q].segments[s].id;
        if (sid != NULL && strcmp(sid, id) == 0)
            return (int)s;
    }
    return -1;
}

/* The baseline key translated into variant sc's indices; false if it cannot exist there. */
static bool translate(const struct ccs_scenario *base, const struct ccs_scenario *sc,
                      struct ccs_key *key)
{
    int q = -1, s = -1, g = -1;
    if (key->queue >= 0 && (q = find_queue(sc, base->queues[key->queue].id)) < 0)
        return false;
    if (key->segment >= 0 &&
        (s = find_segment(sc, q, base->queues[key->queue].segments[key->segment].id)) < 0)
        return false;
    if (key->group >= 0 && (g = find_group(sc, base->groups[key->group].id)) < 0)
        return false;
    key->queue = q;
    key->segment = s;
    key->group = g;
    return true;
}

/* map[j] = index in `theirs` (n_theirs keys) of baseline key ours[j], or -1. */
static int match(const struct ccs_scenario *base, const struct ccs_scenario *sc,
                 const struct ccs_key *ours, size_t n_ours, const struct ccs_key *theirs,
                 size_t n_theirs, long *map)
{
    struct kref *t = ccs_malloc((n_theirs ? n_theirs : 1) * sizeof *t);
    if (t == NULL)
        return CCS_ENOMEM;
    for (size_t i = 0; i < n_theirs; i++) {
        t[i].key = theirs[i];
        t[i].key.interval = 0;
        t[i].index = (long)i;
    }
    qsort(t, n_theirs, sizeof *t, kref_cmp);
    for (size_t j = 0; j < n_ours; j++) {
        struct kref want = {ours[j], -1};
        want.key.interval = 0;
        map[j] = -1;
        if (!translate(base, sc, &want.key))
            continue;
        const struct kref *hit = bsearch(&want, t, n_theirs, sizeof *t, kref_cmp);
        if (hit != NULL)
            map[j] = hit->index;
    }
    free(t);
    return 0;
}

/* --- setup ----------------------------------------------------------------------------------- */

struct ccs_compare_opts ccs_compare_opts_default(const struct ccs_scenario *baseline)
{
    struct ccs_compare_opts o;
    memset(&o, 0, sizeof o);
    o.seed = baseline->seed;
    o.level = 0.95;
    o.method = CCS_CMP_AUTO;
    o.replications = 0;
    o.max_replications = DEFAULT_CAP;
    return o;
}

void ccs_compare_free(struct ccs_compare *c)
{
    if (c == NULL)
        return;
    for (size_t i = 0; c->v != NULL && i < c->nv; i++) {
        struct vstate *v = &c->v[i];
        ccs_summary_free(v->sum);
        ccs_scenario_free(v->own);
        free(v->map);
        free(v->vals);
        free(v->run);
        free(v->st);
        free(v->chv);
        free(v->ch_st);
    }
    free(c->v);
    free(c->bt_source);
    free(c->keys);
    free(c->targets);
    free(c->tkey);
    free(c->achieved);
    free(c->scratch_a);
    free(c->scratch_b);
    free(c);
}

/* The compare keys and each variant's map; batch means: the baseline's block. */
static int build_keys(struct ccs_compare *c, struct ccs_diag *d)
{
    const struct ccs_scenario *base = c->v[0].sc;
    const struct ccs_layout *bl = base->layout;
    bool batch = c->method == CCS_CMP_BATCH_MEANS;
    c->K = batch ? bl->n_block : c->whole_only ? bl->n_whole : bl->n;
    c->keys = ccs_malloc((c->K ? c->K : 1) * sizeof *c->keys);
    if (c->keys == NULL)
        return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t k = 0; k < c->K; k++) {
        c->keys[k] = batch ? bl->block[k] : ccs_layout_key(bl, k);
        if (batch)
            c->keys[k].interval = -1;
    }
    for (size_t vi = 0; vi < c->nv; vi++) {
        struct vstate *v = &c->v[vi];
        const struct ccs_layout *vl = v->sc->layout;
        long *bmap = ccs_malloc((bl->n_block ? bl->n_block : 1) * sizeof *bmap);
        v->map = ccs_malloc((c->K ? c->K : 1) * sizeof *v->map);
        v->st = ccs_calloc(c->K ? c->K : 1, sizeof *v->st);
        int rc = bmap && v->map && v->st ? 0 : CCS_ENOMEM;
        if (rc == 0)
            rc = match(base, v->sc, bl->block, bl->n_block, vl->block, vl->n_block, bmap);
        if (rc == 0 && batch)
            memcpy(v->map, bmap, c->K * sizeof *bmap);
        if (rc == 0 && !batch) {
            rc = match(base, v->sc, bl->keys, bl->n_whole, vl->keys, vl->n_whole, v->map);
            for (size_t k = bl->n_whole; rc == 0 && k < c->K; k++) {
                size_t j = (k - bl->n_whole) % bl->n_block, i = (k - bl->n_whole) / bl->n_block;
                v->map[k] = i < vl->n_intervals && bmap[j] >= 0
                                ? (long)(vl->n_whole + i * vl->n_block + (size_t)bmap[j])
                                : -1;
            }
        }
        free(bmap);
        if (rc == 0 && (v->ch_st = ccs_calloc(CH_VALS, sizeof *v->ch_st)) == NULL)
            rc = CCS_ENOMEM;
        if (rc != 0)
            return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    }
    /* the channels; in batch means from each interval's queue values, which
       give the count answered within the threshold under the 'offered' and
       'answered' definitions only (exp/channels.h) */
    c->n_ch = 0;
    c->ch_dropped = false;
    for (size_t vi = 0; batch && vi < c->nv; vi++) {
        enum ccs_sl_def def = c->v[vi].sc->sl_def;
        if (def != CCS_SL_OFFERED && def != CCS_SL_ANSWERED)
            c->ch_dropped = true;
    }
    for (size_t vi = 0; !c->ch_dropped && vi < c->nv; vi++) {
        enum ccs_channel ch[CCS_CH_COUNT_];
        size_t n = ccs__channels_of(c->v[vi].sc, ch, NULL);
        for (size_t i = 0; i < n; i++) {
            size_t j = 0;
            while (j < c->n_ch && c->ch[j] != ch[i])
                j++;
            if (j == c->n_ch)
                c->ch[c->n_ch++] = ch[i];
        }
    }
    return 0;
}

/* The compare key a target names, or an error naming what is missing. */
static int resolve_target(struct ccs_compare *c, const struct ccs_precision *p, size_t *out,
                          struct ccs_diag *d)
{
    const struct ccs_scenario *base = c->v[0].sc;
    char name[256];
    ccs_precision_name(p, name, sizeof name);
    int q = -1, s = -1, g = -1;
    if (p->scope == CCS_SCOPE_QUEUE || p->scope == CCS_SCOPE_SEGMENT) {
        if ((q = find_queue(base, p->queue)) < 0)
            return ccs_diag_at(d, CCS_EINVAL, "--precision", 0, 0,
                               "'%s': the baseline has no queue '%s'", name, p->queue);
    }
    if (p->scope == CCS_SCOPE_SEGMENT && (s = find_segment(base, q, p->segment)) < 0)
        return ccs_diag_at(d, CCS_EINVAL, "--precision", 0, 0,
                           "'%s': queue '%s' has no segment '%s' (segments exist only where a "
                           "queue lists several)",
                           name, p->queue, p->segment);
    if (p->scope == CCS_SCOPE_GROUP && (g = find_group(base, p->group)) < 0)
        return ccs_diag_at(d, CCS_EINVAL, "--precision", 0, 0,
                           "'%s': the baseline has no group '%s'", name, p->group);
    for (size_t k = 0; k < c->K; k++) {
        const struct ccs_key *key = &c->keys[k];
        if (key->scope == p->scope && key->kpi == p->kpi && key->queue == q &&
            key->segment == s && key->group == g && key->interval < 0) {
            for (size_t vi = 1; vi < c->nv; vi++)
                if (c->v[vi].map[k] < 0)
                    return ccs_diag_at(d, CCS_EINVAL, "--precision", 0, 0,
                                       "'%s': variant '%s' does not measure it", name,
                                       c->v[vi].name);
            *out = k;
            return 0;
        }
    }
    if (c->method == CCS_CMP_BATCH_MEANS)
        return ccs_diag_at(d, CCS_EINVAL, "--precision", 0, 0,
                           "'%s': batch means can only target KPIs measured per interval, at "
                           "overall, queue or group scope (docs/compare.md)",
                           name);
    return ccs_diag_at(d, CCS_EINVAL, "--precision", 0, 0, "'%s': the baseline does not report it",
                       name);
}

/* Make room for `rows` rows of values in every variant, and scratch space. */
static int reserve_rows(struct ccs_compare *c, size_t rows)
{
    for (size_t vi = 0; vi < c->nv; vi++) {
        struct vstate *v = &c->v[vi];
        size_t row = (c->K ? c->K : 1) * sizeof *v->vals; /* one row of every key */
        if (ccs__grow(&v->vals, &v->rows_cap, rows, row) != 0)
            return CCS_ENOMEM;
        if (c->n_ch > 0 && ccs__grow(&v->chv, &v->ch_cap, rows, CH_VALS * sizeof *v->chv) != 0)
            return CCS_ENOMEM;
    }
    size_t ca = c->scratch_cap, cb = c->scratch_cap;
    if (CCS_GROW(c->scratch_a, ca, rows) != 0 || CCS_GROW(c->scratch_b, cb, rows) != 0)
        return CCS_ENOMEM;
    c->scratch_cap = ca < cb ? ca : cb;
    return 0;
}

/* Copy row `row` of every variant out of its run values. */
static void store_row(struct ccs_compare *c, size_t row, size_t offset_block)
{
    for (size_t vi = 0; vi < c->nv; vi++) {
        struct vstate *v = &c->v[vi];
        const struct ccs_layout *vl = v->sc->layout;
        double *dst = &v->vals[row * c->K];
        for (size_t k = 0; k < c->K; k++) {
            long m = v->map[k];
            if (m < 0)
                dst[k] = NAN;
            else if (c->method == CCS_CMP_BATCH_MEANS)
                dst[k] = v->run[vl->n_whole + offset_block * vl->n_block + (size_t)m];
            else
                dst[k] = v->run[m];
        }
        /* the channels' values of this replication (batch means: of this interval) */
        for (size_t i = 0; i < c->n_ch; i++) {
            double *cv = &v->chv[row * CH_VALS + CH_PER * (unsigned)c->ch[i]];
            if (c->method != CCS_CMP_BATCH_MEANS) {
                ccs__channel_rep(v->sc, v->run, c->ch[i], &cv[0], &cv[1]);
                cv[2] = ccs__channel_asa(v->sc, v->run, c->ch[i]);
            } else if (!ccs__channel_interval(v->sc, v->run, c->ch[i], (int)offset_block, cv)) {
                cv[0] = cv[1] = cv[2] = NAN; /* not reached: build_keys checked the definitions */
            }
        }
    }
}

static int alloc_run(struct vstate *v)
{
    free(v->run);
    size_t n = v->sc->layout->n;
    v->run = ccs_malloc((n ? n : 1) * sizeof *v->run);
    return v->run != NULL ? 0 : CCS_ENOMEM;
}

/* --- replications on the thread pool ------------------------------------------------------ */

/* Replications of every variant on the pool (exp/reps.h): one task per
   variant and replication, folded in replication order. */
struct job {
    struct ccs_compare *c;
    uint32_t start, cap;    /* the stopping rule (cap: with targets) */
    struct ccs__rep *slots; /* window x nv: replication rep of variant vi until folded */
    uint32_t window;
};

static struct ccs__rep *slot(const struct job *j, uint32_t rep, size_t vi)
{
    return &j->slots[(size_t)(rep % j->window) * j->c->nv + vi];
}

static int job_run(void *ctx, uint32_t rep, uint32_t vi, struct ccs_diag *d)
{
    const struct job *j = ctx;
    const struct vstate *v = &j->c->v[vi];
    return ccs__rep_run(v->sum, v->sc, j->c->seed, rep, NULL, slot(j, rep, vi), d);
}

/* Fold replication rep of every variant into the variant's summary; its
   values become the variant's run values (same layout, arrays swapped). */
static int fold_variants(const struct job *j, uint32_t rep, struct ccs_diag *d)
{
    struct ccs_compare *c = j->c;
    for (size_t vi = 0; vi < c->nv; vi++) {
        struct vstate *v = &c->v[vi];
        struct ccs__rep *r = slot(j, rep, vi);
        int rc = ccs__rep_fold(v->sum, c->seed, r, d);
        if (rc != 0)
            return rc;
        double *t = v->run;
        v->run = r->values;
        r->values = t;
    }
    return 0;
}

/* Fold replication rep of every variant, store its row, and apply the
   sequential rule: stop at `start` without targets; with targets, once they
   are met (from `start` on) or at the cap. */
static int job_fold(void *ctx, uint32_t rep, struct ccs_diag *d)
{
    const struct job *j = ctx;
    struct ccs_compare *c = j->c;
    if (reserve_rows(c, (size_t)rep + 1) != 0)
        return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    int rc = fold_variants(j, rep, d);
    if (rc != 0)
        return rc;
    store_row(c, rep, 0);
    c->count = rep + 1;
    if (c->nt == 0)
        return c->count >= j->start;
    if (c->count >= j->start && (c->met = check_targets(c, c->count)))
        return 1;
    return c->count >= j->cap;
}

/* Run j's replications (at most max) on jobs threads. 0 or negative with d. */
static int run_job(struct job *j, uint32_t max, unsigned jobs, struct ccs_diag *d)
{
    struct ccs__reps r = {max, (uint32_t)j->c->nv, jobs, j, job_run, job_fold};
    j->window = ccs__reps_window(&r);
    j->slots = ccs_calloc((size_t)j->window * j->c->nv, sizeof *j->slots);
    if (j->slots == NULL)
        return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    uint32_t used;
    int rc = ccs__reps_run(&r, &used, d);
    for (size_t i = 0; i < (size_t)j->window * j->c->nv; i++)
        ccs__rep_release(&j->slots[i]);
    free(j->slots);
    j->slots = NULL;
    return rc;
}

/* --- independent replications ----------------------------------------------------------------- */

static int run_replications(struct ccs_compare *c, const struct ccs_compare_opts *o,
                            struct ccs_diag *d)
{
    const struct ccs_scenario *base = c->v[0].given;
    uint32_t start = o->replications, cap;
    if (start == 0)
        start = c->nt > 0 ? DEFAULT_START : base->replications;
    cap = start;
    if (c->nt > 0) {
        start = start < 2 ? 2 : start;
        cap = o->max_replications == 0 ? DEFAULT_CAP
              : o->max_replications < 2 ? 2
                                         : o->max_replications;
        if (start > cap)
            start = cap;
    }
    if (start < 1)
        return ccs_diag_at(d, CCS_EINVAL, NULL, 0, 0, "at least one replication is needed");
    c->cap = cap;
    for (size_t vi = 0; vi < c->nv; vi++) {
        struct vstate *v = &c->v[vi];
        v->sum = ccs_summary_new(v->sc, c->level, 0);
        if (v->sum == NULL || alloc_run(v) != 0)
            return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    }
    struct job j = {c, start, cap, NULL, 0};
    return run_job(&j, c->nt > 0 ? cap : start, o->jobs, d);
}

/* --- batch means ------------------------------------------------------------------------------ */

/* Batches a horizon holds: whole intervals from first, the last one dropped. */
static long batches_in(double horizon, double interval, uint32_t first)
{
    return (long)floor(horizon / interval + 1e-9) - (long)first - 1;
}

/* Fold batch means' one run per variant (batches are stored by the caller). */
static int long_fold(void *ctx, uint32_t rep, struct ccs_diag *d)
{
    int rc = fold_variants(ctx, rep, d);
    return rc != 0 ? rc : 1;
}

/* Variants 0..n-1's one run each (replication 0), on jobs threads. */
static int run_long_variants(struct ccs_compare *c, size_t n, unsigned jobs, struct ccs_diag *d)
{
    if (n == 0)
        return 0;
    struct job j = {c, 1, 1, NULL, 0};
    struct ccs__reps r = {1, (uint32_t)n, jobs, &j, job_run, long_fold};
    j.window = ccs__reps_window(&r);
    j.slots = ccs_calloc((size_t)j.window * c->nv, sizeof *j.slots);
    if (j.slots == NULL)
        return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    uint32_t used;
    int rc = ccs__reps_run(&r, &used, d);
    for (size_t i = 0; i < (size_t)j.window * c->nv; i++)
        ccs__rep_release(&j.slots[i]);
    free(j.slots);
    return rc;
}

/*
 * One run of `horizon` per variant (the lengthened copies replace earlier
 * ones), the variants on jobs threads. A copy that cannot be made fails the
 * comparison after the variants before it ran, as in a loop over them.
 */
static int run_long(struct ccs_compare *c, double horizon, unsigned jobs, struct ccs_diag *d)
{
    char value[64];
    snprintf(value, sizeof value, "%.17gs", horizon);
    struct ccs_override ov = {"horizon", value, "batch means", 1, 1};
    size_t ready = 0;
    int rc = 0;
    struct ccs_diag derr;
    ccs_diag_clear(&derr);
    for (; ready < c->nv; ready++) {
        struct vstate *v = &c->v[ready];
        struct ccs_scenario *own;
        if ((rc = ccs_scenario_derive(v->given, &ov, 1, &own, &derr)) != 0)
            break;
        /* same key pattern as the given scenario: only the number of intervals grows */
        ccs_summary_free(v->sum);
        ccs_scenario_free(v->own);
        v->own = own;
        v->sc = own;
        v->sum = ccs_summary_new(own, c->level, 0);
        if (v->sum == NULL || alloc_run(v) != 0) {
            rc = ccs_diag_at(&derr, CCS_ENOMEM, NULL, 0, 0, "out of memory");
            break;
        }
    }
    int run_rc = run_long_variants(c, rc == 0 ? c->nv : ready, jobs, d);
    if (run_rc != 0)
        return run_rc;
    if (rc != 0)
        *d = derr;
    return rc;
}

static int run_batches(struct ccs_compare *c, const struct ccs_compare_opts *o,
                       struct ccs_diag *d)
{
    const struct ccs_scenario *base = c->v[0].sc;
    double I = base->interval;
    for (size_t vi = 1; vi < c->nv; vi++) {
        const struct ccs_scenario *sc = c->v[vi].sc;
        if (sc->interval != I || sc->warmup != base->warmup)
            return ccs_diag_at(d, CCS_EINVAL, NULL, 0, 0,
                               "batch means pairs the variants interval by interval: variant "
                               "'%s' must have the baseline's interval and warmup",
                               c->v[vi].name);
    }
    c->first_batch = (uint32_t)ceil(base->warmup / I - 1e-9);
    double limit = fmin(MAX_HORIZON_S, MAX_INTERVALS * I);
    long most = batches_in(limit, I, c->first_batch);
    long start, cap;
    if (c->nt > 0) {
        start = o->replications ? (long)o->replications : DEFAULT_START;
        cap = o->max_replications ? (long)o->max_replications : DEFAULT_CAP;
    } else {
        start = o->replications ? (long)o->replications
                                : batches_in(base->horizon, I, c->first_batch);
        cap = start;
    }
    if (start < 2)
        start = 2;
    if (cap > most)
        cap = most;
    if (cap < start)
        start = cap;
    if (start < 2 || (c->nt == 0 && o->replications == 0 &&
                      batches_in(base->horizon, I, c->first_batch) < 2))
        return ccs_diag_at(d, CCS_EINVAL, base->origin, 0, 0,
                           "batch means needs at least 2 whole intervals after the warm-up, "
                           "plus one that is dropped: lengthen 'horizon', shorten 'interval', "
                           "or give --replications (the number of batches)");
    c->cap = (uint32_t)cap;
    long batches = start;
    for (;;) {
        double horizon = (double)(c->first_batch + (uint32_t)batches + 1) * I;
        if (c->nt == 0 && o->replications == 0)
            horizon = base->horizon;
        int rc = run_long(c, horizon, o->jobs, d);
        if (rc != 0)
            return rc;
        if (reserve_rows(c, (size_t)batches) != 0)
            return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
        /* every variant's copy has the same intervals (same interval and horizon) */
        long avail = batches_in(c->v[0].sc->horizon, I, c->first_batch);
        if (avail > batches)
            avail = batches;
        for (long b = 0; b < avail; b++)
            store_row(c, (size_t)b, c->first_batch + (size_t)b);
        c->count = (uint32_t)avail;
        if (c->nt == 0 || (c->met = check_targets(c, (size_t)avail)) || avail >= cap)
            return 0;
        /* grow by the half-width ratio squared (n ~ 1/hw^2), at least by half */
        double ratio = 0;
        for (size_t t = 0; t < c->nt; t++) {
            double r = c->achieved[t] / c->targets[t].halfwidth;
            ratio = fmax(ratio, isnan(r) ? 2.0 : r);
        }
        double next = fmax(ceil((double)avail * ratio * ratio * 1.1), (double)(avail + avail / 2));
        if (next > (double)cap)
            next = (double)cap;
        if (next <= (double)avail)
            return 0;
        batches = (long)next;
    }
}

/* --- the entry point ----------------------------------------------------------------------------- */

/* Valid, distinct names and a level in (0, 1). Returns 0 or CCS_EINVAL with d. */
static int check_variants(const struct ccs_variant *vars, size_t n, double level,
                          struct ccs_diag *d)
{
    if (n < 1)
        return ccs_diag_at(d, CCS_EINVAL, NULL, 0, 0, "nothing to compare: no variants");
    for (size_t i = 0; i < n; i++) {
        if (vars[i].name == NULL || !ccs_variant_name_ok(vars[i].name))
            return ccs_diag_at(d, CCS_EINVAL, NULL, 0, 0,
                               "variant name must use only letters, digits, '_' and '-' (at "
                               "most %d), got '%s'",
                               CCS_ID_MAX, vars[i].name ? vars[i].name : "");
        for (size_t j = 0; j < i; j++)
            if (strcmp(vars[i].name, vars[j].name) == 0)
                return ccs_diag_at(d, CCS_EINVAL, NULL, 0, 0, "duplicate variant name '%s'",
                                   vars[i].name);
    }
    if (!(level > 0 && level < 1))
        return ccs_diag_at(d, CCS_EINVAL, NULL, 0, 0, "confidence level must be in (0, 1)");
    return 0;
}

/* A comparison of vars with nothing run yet; NULL when out of memory. */
static struct ccs_compare *compare_new(const struct ccs_variant *vars, size_t n,
                                       const struct ccs_compare_opts *o)
{
    struct ccs_compare *c = ccs_calloc(1, sizeof *c);
    if (c == NULL || (c->v = ccs_calloc(n, sizeof *c->v)) == NULL) {
        free(c);
        return NULL;
    }
    c->nv = n;
    c->seed = o->seed;
    c->level = o->level;
    c->method = o->method;
    if (c->method == CCS_CMP_AUTO)
        c->method = vars[0].sc->warmup > 0 ? CCS_CMP_BATCH_MEANS : CCS_CMP_REPLICATIONS;
    for (size_t i = 0; i < n; i++) {
        c->v[i].name = vars[i].name;
        c->v[i].description = vars[i].description;
        c->v[i].given = c->v[i].sc = vars[i].sc;
    }
    return c;
}

int ccs_compare_run(const struct ccs_variant *vars, size_t n, const struct ccs_compare_opts *o,
                    struct ccs_compare **out, struct ccs_diag *d)
{
    *out = NULL;
    int rc = check_variants(vars, n, o->level, d);
    if (rc != 0)
        return rc;
    if (o->n_targets > 0 && n < 2)
        return ccs_diag_at(d, CCS_EINVAL, "--precision", 0, 0,
                           "a precision target needs a variant to compare with the baseline");
    struct ccs_compare *c = compare_new(vars, n, o);
    if (c == NULL)
        return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    rc = build_keys(c, d);
    if (rc == 0 && o->n_targets > 0) {
        c->nt = o->n_targets;
        c->targets = ccs_malloc(c->nt * sizeof *c->targets);
        c->tkey = ccs_malloc(c->nt * sizeof *c->tkey);
        c->achieved = ccs_malloc(c->nt * sizeof *c->achieved);
        if (c->targets == NULL || c->tkey == NULL || c->achieved == NULL)
            rc = ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
        for (size_t t = 0; rc == 0 && t < c->nt; t++) {
            c->targets[t] = o->targets[t];
            c->achieved[t] = NAN;
            rc = resolve_target(c, &o->targets[t], &c->tkey[t], d);
        }
    }
    if (rc == 0)
        rc = c->method == CCS_CMP_BATCH_MEANS ? run_batches(c, o, d) : run_replications(c, o, d);
    if (rc == 0 && reserve_rows(c, c->count ? c->count : 1) != 0)
        rc = ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    if (rc != 0) {
        ccs_compare_free(c);
        return rc;
    }
    if (c->nt > 0)
        c->met = check_targets(c, c->count);
    final_stats(c);
    channel_stats(c);
    *out = c;
    return 0;
}

int ccs_compare_from_values(const struct ccs_variant *vars, size_t n, const double *const *rows,
                            uint32_t count, const struct ccs_compare_opts *o,
                            struct ccs_compare **out, struct ccs_diag *d)
{
    *out = NULL;
    int rc = check_variants(vars, n, o->level, d);
    if (rc != 0)
        return rc;
    if (o->n_targets > 0 || o->method == CCS_CMP_BATCH_MEANS || count < 1)
        return ccs_diag_at(d, CCS_EINVAL, NULL, 0, 0,
                           "a comparison from values takes at least one replication per "
                           "variant, and no targets or batch means");
    struct ccs_compare_opts ro = *o;
    ro.method = CCS_CMP_REPLICATIONS;
    struct ccs_compare *c = compare_new(vars, n, &ro);
    if (c == NULL)
        return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    c->whole_only = true;
    c->cap = count;
    rc = build_keys(c, d);
    if (rc == 0 && reserve_rows(c, count) != 0)
        rc = ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    for (size_t vi = 0; rc == 0 && vi < c->nv; vi++) {
        struct vstate *v = &c->v[vi];
        const struct ccs_layout *vl = v->sc->layout;
        v->sum = ccs_summary_new(v->sc, c->level, 0);
        if (v->sum == NULL || alloc_run(v) != 0) {
            rc = ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
            break;
        }
        ccs_summary_set_seed(v->sum, c->seed); /* the values came from runs of this seed */
        /* the summary as `ccsim run` would fold it; per-interval values unknown */
        for (size_t k = vl->n_whole; k < vl->n; k++)
            v->run[k] = NAN;
        for (uint32_t r = 0; rc == 0 && r < count; r++) {
            memcpy(v->run, &rows[vi][(size_t)r * vl->n_whole], vl->n_whole * sizeof *v->run);
            if (ccs_summary_add(v->sum, v->run) != 0)
                rc = ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
        }
    }
    /* store_row reads every variant's run values of one replication */
    for (uint32_t r = 0; rc == 0 && r < count; r++) {
        for (size_t vi = 0; vi < c->nv; vi++) {
            size_t nw = c->v[vi].sc->layout->n_whole;
            memcpy(c->v[vi].run, &rows[vi][(size_t)r * nw], nw * sizeof *c->v[vi].run);
        }
        store_row(c, r, 0);
    }
    if (rc != 0) {
        ccs_compare_free(c);
        return rc;
    }
    c->count = count;
    final_stats(c);
    channel_stats(c);
    *out = c;
    return 0;
}

/* --- accessors --------------------------------------------------------------------------------- */

size_t ccs_compare_variant_count(const struct ccs_compare *c) { return c->nv; }
const char *ccs_compare_variant_name(const struct ccs_compare *c, size_t v) { return c->v[v].name; }

const char *ccs_compare_variant_description(const struct ccs_compare *c, size_t v)
{
    return c->v[v].description;
}

const struct ccs_scenario *ccs_compare_variant_scenario(const struct ccs_compare *c, size_t v)
{
    return c->v[v].own != NULL ? c->v[v].own : c->v[v].sc;
}

const struct ccs_summary *ccs_compare_variant_summary(const struct ccs_compare *c, size_t v)
{
    return c->v[v].sum;
}

enum ccs_compare_method ccs_compare_method(const struct ccs_compare *c) { return c->method; }
uint64_t ccs_compare_seed(const struct ccs_compare *c) { return c->seed; }
double ccs_compare_level(const struct ccs_compare *c) { return c->level; }
uint32_t ccs_compare_count(const struct ccs_compare *c) { return c->count; }
uint32_t ccs_compare_first_batch(const struct ccs_compare *c) { return c->first_batch; }
size_t ccs_compare_key_count(const struct ccs_compare *c) { return c->K; }
struct ccs_key ccs_compare_key(const struct ccs_compare *c, size_t k) { return c->keys[k]; }

long ccs_compare_find(const struct ccs_compare *c, enum ccs_scope scope, enum ccs_kpi kpi,
                      int queue, int segment, int group, int interval)
{
    for (size_t k = 0; k < c->K; k++) {
        const struct ccs_key *key = &c->keys[k];
        if (key->scope == scope && key->kpi == kpi && key->queue == queue &&
            key->segment == segment && key->group == group && key->interval == interval)
            return (long)k;
    }
    return -1;
}

void ccs_compare_get(const struct ccs_compare *c, size_t v, size_t k, struct ccs_compare_stat *out)
{
    *out = c->v[v].st[k];
}

size_t ccs_compare_channel_rows(const struct ccs_compare *c) { return CH_PER * c->n_ch; }

bool ccs_compare_channels_dropped(const struct ccs_compare *c) { return c->ch_dropped; }

void ccs_compare_channel_row(const struct ccs_compare *c, size_t i, enum ccs_channel *channel,
                             enum ccs_kpi *kpi)
{
    *channel = c->ch[i / CH_PER];
    *kpi = ch_kpi[i % CH_PER];
}

void ccs_compare_channel_get(const struct ccs_compare *c, size_t v, size_t i,
                             struct ccs_compare_stat *out)
{
    *out = c->v[v].ch_st[i];
}

size_t ccs_compare_target_count(const struct ccs_compare *c) { return c->nt; }

const struct ccs_precision *ccs_compare_target(const struct ccs_compare *c, size_t i)
{
    return &c->targets[i];
}

double ccs_compare_target_achieved(const struct ccs_compare *c, size_t i) { return c->achieved[i]; }
bool ccs_compare_targets_met(const struct ccs_compare *c) { return c->nt == 0 || c->met; }
uint32_t ccs_compare_max_replications(const struct ccs_compare *c) { return c->cap; }

int ccs_compare_set_backtest(struct ccs_compare *c, const struct ccs_backtest *b,
                             const char *source)
{
    char *s = b != NULL && source != NULL ? ccs_strdup(source) : NULL;
    if (b != NULL && source != NULL && s == NULL)
        return CCS_ENOMEM;
    free(c->bt_source);
    c->bt = b;
    c->bt_source = s;
    return 0;
}

const struct ccs_backtest *ccs_compare_backtest(const struct ccs_compare *c, const char **source)
{
    if (source != NULL)
        *source = c->bt_source;
    return c->bt;
}
