/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * erlang.c - exact steady state of M/M/c/K+M and its special cases (Erlang
 * B, C, A, M/M/c/K). The state law comes from ratio recursions started at
 * the mode; the waiting-time law from the counting law of special.h, in
 * sums of positive terms only. Method and definitions: docs/analytic.md.
 */
#include "ccs/analytic.h"

#include "analytic/special.h"
#include "ccs/error.h"

#include <limits.h>
#include <math.h>
#include <stddef.h>

/* States whose total mass is below this fraction of the whole are dropped. */
#define STATE_EPS 1e-20
/* Most states a solve may visit before giving up with CCS_ERANGE (~1 s). */
#define MAX_WINDOW 50000000L
/* Waiting rooms of 2^53 places or more are treated as unlimited. */
#define ROOM_UNLIMITED 9007199254740992.0

double ccs_erlang_b(double a, int c)
{
    if (!(a >= 0.0) || !isfinite(a) || c < 0)
        return NAN;
    /* B(k) = a B(k-1) / (k + a B(k-1)): every step is a stable contraction. */
    double b = 1.0;
    for (int k = 1; k <= c; k++)
        b = a * b / (k + a * b);
    return b;
}

double ccs_erlang_c(double a, int c)
{
    if (!(a >= 0.0) || !isfinite(a) || c < 0)
        return NAN;
    if (a >= c)
        return 1.0;
    double b = ccs_erlang_b(a, c);
    double rho = a / c;
    /* C = B / (1 - rho (1 - B)), with 1 - rho formed without cancellation. */
    return b / ((c - a) / c + rho * b);
}

static int room_unlimited(const struct ccs_erlang_model *m)
{
    return m->queue_max < 0 || (double)m->queue_max >= ROOM_UNLIMITED;
}

const char *ccs_erlang_model_name(const struct ccs_erlang_model *m)
{
    if (m == NULL)
        return "unknown";
    if (m->queue_max == 0)
        return "ErlangB";
    if (room_unlimited(m))
        return m->theta > 0 ? "ErlangA" : "ErlangC";
    return m->theta > 0 ? "MMcK+M" : "MMcK";
}

static int model_valid(const struct ccs_erlang_model *m)
{
    return isfinite(m->lambda) && m->lambda > 0 && isfinite(m->mu) && m->mu > 0 &&
           m->servers >= 1 && isfinite(m->theta) && m->theta >= 0 && m->queue_max >= -1 &&
           isfinite(m->t) && m->t >= 0 && isfinite(m->servers * m->mu);
}

static void result_nan(struct ccs_erlang_result *r)
{
    double *f[] = {&r->block_rate,  &r->p_wait,         &r->abandon_rate,
                   &r->p_ab_within, &r->mean_wait,      &r->asa,
                   &r->mean_wait_abandoned, &r->sl_offered, &r->sl_answered,
                   &r->sl_no_short_ab, &r->sl_handled,  &r->sl_all,
                   &r->p_virtual_le_t, &r->queue_length, &r->in_system,
                   &r->occupancy};
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
        *f[i] = NAN;
}

/* Erlang C in closed form: W > 0 w.p. C, and then W ~ Exp(c mu - lambda). */
static int solve_erlang_c(const struct ccs_erlang_model *m, struct ccs_erlang_result *r)
{
    double A = m->servers * m->mu;
    if (m->lambda >= A)
        return CCS_ERANGE;
    double a = m->lambda / m->mu, gap = A - m->lambda;
    double C = ccs_erlang_c(a, m->servers);
    double sl = 1.0 - C * exp(-gap * m->t);
    r->block_rate = 0.0;
    r->p_wait = C;
    r->abandon_rate = 0.0;
    r->p_ab_within = 0.0;
    r->mean_wait = C / gap;
    r->asa = C / gap;
    r->mean_wait_abandoned = NAN;
    r->sl_offered = sl;
    r->sl_answered = sl;
    r->sl_no_short_ab = sl;
    r->sl_handled = sl;
    r->sl_all = sl;
    r->p_virtual_le_t = sl;
    r->queue_length = C * m->lambda / gap;
    r->in_system = r->queue_length + a;
    r->occupancy = m->lambda / A;
    return 0;
}

/* The birth-death chain: births lambda below N, deaths min(n,c) mu + (n-c)+ theta. */
struct chain {
    double lambda, mu, theta, A; /* A = c mu */
    long c, N;                   /* N = c + K; LONG_MAX when unlimited */
};

static double death(const struct chain *ch, long n)
{
    return n <= ch->c ? (double)n * ch->mu : ch->A + (double)(n - ch->c) * ch->theta;
}

/* Unnormalised sums over the retained window of states [lo, hi]. */
struct state_sums {
    double S;     /* total weight */
    double below; /* n < c: served at once */
    double busy;  /* min(n, c) */
    double L, Lq; /* n, (n - c)+ */
    double wait;  /* c <= n < N: admitted and waits */
    double wN;    /* n = N: blocked (0 unless N is in the window) */
    double wc;    /* weight of state max(lo, c), where pass 2 starts */
    long lo, hi;
};

static void add_state(const struct chain *ch, struct state_sums *s, long n, double w)
{
    s->S += w;
    s->L += (double)n * w;
    if (n < ch->c) {
        s->below += w;
        s->busy += (double)n * w;
        return;
    }
    s->busy += (double)ch->c * w;
    s->Lq += (double)(n - ch->c) * w;
    if (n < ch->N)
        s->wait += w;
    else
        s->wN = w;
    if (n == ch->c)
        s->wc = w;
}

/* The (largest) most likely state: the last n whose birth/death ratio is >= 1. */
static int chain_mode(const struct chain *ch, long *mode)
{
    if (ch->lambda <= ch->A) {
        double a = floor(ch->lambda / ch->mu);
        *mode = a >= (double)ch->c ? ch->c : (long)a;
        return 0;
    }
    if (ch->theta == 0.0) {
        *mode = ch->N; /* finite here: the unlimited case is unstable */
        return 0;
    }
    double md = floor((ch->lambda - ch->A) / ch->theta);
    if (md >= (double)(ch->N - ch->c)) {
        if (ch->N == LONG_MAX)
            return CCS_ERANGE;
        *mode = ch->N;
    } else if (md > 1e15) {
        return CCS_ERANGE;
    } else {
        *mode = ch->c + (long)md;
    }
    return 0;
}

/*
 * True when more than MAX_WINDOW states above max(mode, c) must carry mass,
 * so the solve can give up at once instead of after MAX_WINDOW steps. The
 * log-weight drop over k states up from there is at most k log(D0 / lambda)
 * + k (k+1) theta / (2 D0), D0 = max(lambda, c mu); the window cannot close
 * before the drop reaches about log(1e20) - log(window) > 27.
 */
static int window_too_wide(const struct chain *ch, long M)
{
    double k = (double)MAX_WINDOW;
    long base = M > ch->c ? M : ch->c;
    if (ch->theta > 0) {
        if (ch->N - base <= MAX_WINDOW)
            return 0;
        double D0 = fmax(ch->lambda, ch->A);
        return k * log(D0 / ch->lambda) + k * (k + 1) * ch->theta / (2 * D0) < 27;
    }
    /* theta = 0, finite room: weights go as rho^k from c (or from N if rho > 1). */
    return ch->N - ch->c > MAX_WINDOW && k * fabs(log(ch->lambda / ch->A)) < 27;
}

/*
 * Pass 1: weights relative to the mode (so nothing overflows), summed
 * outwards while the rest can matter. The ratios fall with n on both sides,
 * so the rest of a side is bounded by a geometric series in the next ratio.
 * States below c that are dropped weigh < 1e-20 in all (absolute accuracy).
 */
static int state_pass(const struct chain *ch, struct state_sums *s)
{
    long M;
    int rc = chain_mode(ch, &M);
    if (rc != 0)
        return rc;
    if (window_too_wide(ch, M))
        return CCS_ERANGE;
    *s = (struct state_sums){0};
    add_state(ch, s, M, 1.0);
    double w = 1.0;
    long n = M;
    while (n < ch->N) {
        double u = ch->lambda / death(ch, n + 1);
        /*
         * Up to c, go on while anything is representable; from c on, keep the
         * waiting states to STATE_EPS of their own mass: KPIs conditional on
         * waiting (asa, mean_wait_abandoned, ...) then keep full relative
         * accuracy however small P(wait) is.
         */
        double ref = n >= ch->c ? fmin(s->S, s->wait) : 0.0;
        if (w == 0.0 || (u < 1.0 && w * u / (1.0 - u) <= STATE_EPS * ref))
            break;
        w *= u;
        n++;
        add_state(ch, s, n, w);
        if (n - M > MAX_WINDOW)
            return CCS_ERANGE;
    }
    s->hi = n;
    w = 1.0;
    n = M;
    while (n > 0) {
        double v = death(ch, n) / ch->lambda;
        if (v < 1.0 && w * v / (1.0 - v) <= STATE_EPS * s->S)
            break;
        w *= v;
        n--;
        add_state(ch, s, n, w);
        if (s->hi - n > MAX_WINDOW)
            return CCS_ERANGE;
    }
    s->lo = n;
    if (n > ch->c)
        s->wc = w;
    return 0;
}

/*
 * A pmf sequence of a counting law walked upwards by its ratios, kept as
 * v * exp(ls) so that it can start far below the underflow threshold.
 */
struct pmf_walk {
    const struct ccs__count_law *law;
    long i;
    double v, ls, es; /* pmf(i) = v * es, es = exp(ls) */
};

static void walk_start(struct pmf_walk *p, const struct ccs__count_law *law, long i0)
{
    p->law = law;
    p->i = i0;
    p->ls = ccs__count_logpmf(law, i0);
    p->v = isfinite(p->ls) ? 1.0 : 0.0;
    if (!isfinite(p->ls))
        p->ls = 0.0;
    p->es = exp(p->ls);
}

static double walk_pmf(const struct pmf_walk *p)
{
    return p->v * p->es;
}

static void walk_next(struct pmf_walk *p)
{
    p->v *= ccs__count_ratio(p->law, p->i);
    p->i++;
    /* Re-anchor now and then: a ratio walk drifts by about an ulp per step. */
    if ((p->i & 4095L) == 0)
        p->v = exp(ccs__count_logpmf(p->law, p->i) - p->ls);
    if (p->v > 1e150 || (p->v < 1e-150 && p->v > 0.0)) {
        p->ls += log(p->v);
        p->v = 1.0;
        p->es = exp(p->ls);
    }
}

/* Per-offered-call sums over the admitted waiting states (pass 2). */
struct wait_sums {
    double ab;     /* abandons */
    double wsum;   /* wait, all admitted waiters */
    double ew_sv;  /* wait, on served */
    double ew_ab;  /* wait, on abandoned */
    double served; /* served after waiting */
    double v_le;   /* virtual wait <= t (waiters) */
    double sv_le;  /* served with wait <= t (waiters) */
    double q, x0;  /* P(patience <= t), P(patience > t) */
};

/*
 * Pass 2, over queue positions j (arrival finds c + j present, j ahead of
 * it). Given j: P(abandon) = (j+1) theta / r, mean wait (j+1) / r with r =
 * A + (j+1) theta; mean wait on service A H_j / r, on abandonment G_j / r
 * (H_j = sum 1/(A + k theta), G_j = sum k theta/(A + k theta), k = 1..j+1).
 * The virtual wait V_j (j + 1 queue departures at rates A + i theta) exceeds
 * t iff N(t) <= j for the counting law N of rates A, A + theta, ...; served
 * within t is A / r * P(N'(t) > j) with rates A + theta, A + 2 theta, ...
 * Summed as sum_i pmf(i) * prefix_{j < i} pi_j: positive terms only.
 */
static void wait_pass(const struct chain *ch, const struct state_sums *s, double t,
                      struct wait_sums *ws)
{
    *ws = (struct wait_sums){0};
    ws->x0 = 1.0;
    long top = s->hi < ch->N ? s->hi : ch->N - 1;
    if (top < ch->c)
        return;
    long jlo = (s->lo > ch->c ? s->lo : ch->c) - ch->c, jhi = top - ch->c;
    double A = ch->A, th = ch->theta;
    double pi = s->wc / s->S;
    double H = ccs__harmonic(A, th, jlo), G = ccs__harmonic_g(A, th, jlo);
    double pre_v = 0.0, pre_s = 0.0;
    struct ccs__count_law law_v = {0}, law_s = {0};
    struct pmf_walk nv = {0}, ns = {0};
    if (t > 0) {
        ccs__count_law_init(&law_v, A, th, t, 0);
        ccs__count_law_init(&law_s, A, th, t, 1);
        walk_start(&nv, &law_v, jlo + 1);
        walk_start(&ns, &law_s, jlo + 1);
        ws->q = law_v.q;
        ws->x0 = law_v.x0;
    }
    for (long j = jlo; j <= jhi; j++) {
        double k = (double)(j + 1);
        double r = A + k * th;
        H += 1.0 / r;
        G += k * th / r;
        ws->ab += pi * (k * th / r);
        ws->wsum += pi * (k / r);
        ws->ew_sv += pi * (A * H / r);
        ws->ew_ab += pi * (G / r);
        pre_v += pi;
        pre_s += pi * (A / r);
        if (t > 0) {
            ws->v_le += walk_pmf(&nv) * pre_v;
            ws->sv_le += walk_pmf(&ns) * pre_s;
            walk_next(&nv);
            walk_next(&ns);
        }
        pi *= ch->lambda / r;
    }
    ws->served = pre_s;
    if (t > 0) {
        ws->v_le += pre_v * ccs__count_upper_tail(&law_v, jhi + 1);
        ws->sv_le += pre_s * ccs__count_upper_tail(&law_s, jhi + 1);
    }
}

static int solve_general(const struct ccs_erlang_model *m, struct ccs_erlang_result *r)
{
    struct chain ch = {m->lambda, m->mu, m->theta, m->servers * m->mu, m->servers, LONG_MAX};
    if (!room_unlimited(m))
        ch.N = m->servers + m->queue_max;
    struct state_sums s;
    int rc = state_pass(&ch, &s);
    if (rc != 0)
        return rc;
    struct wait_sums ws;
    wait_pass(&ch, &s, m->t, &ws);

    double block = s.hi == ch.N ? s.wN / s.S : 0.0;
    double adm = 1.0 - block;
    double below = s.below / s.S;
    double p_wait = s.wait / s.S;
    double served = below + ws.served;
    double sv_le = below + ws.sv_le;
    double min_le = below + ws.q * p_wait + ws.x0 * ws.v_le;
    /* abandoned within t = P(min(W, T) <= t) - P(served within t) */
    double ab_le = ws.q * p_wait + ws.x0 * ws.v_le - ws.sv_le;
    if (ab_le < 0.0 || m->theta == 0.0)
        ab_le = 0.0;
    if (ab_le > ws.ab)
        ab_le = ws.ab;

    r->block_rate = block;
    r->p_wait = p_wait;
    r->abandon_rate = ws.ab;
    r->p_ab_within = ab_le;
    r->mean_wait = ws.wsum / adm;
    r->asa = ws.ew_sv / served;
    r->mean_wait_abandoned = ws.ab > 0.0 ? ws.ew_ab / ws.ab : NAN;
    r->sl_offered = sv_le;
    r->sl_answered = sv_le / served;
    r->sl_no_short_ab = sv_le / (1.0 - ab_le);
    r->sl_handled = sv_le / (adm - ab_le);
    r->sl_all = min_le / adm;
    r->p_virtual_le_t = (below + ws.v_le) / adm;
    r->queue_length = s.Lq / s.S;
    r->in_system = s.L / s.S;
    r->occupancy = s.busy / s.S / (double)m->servers;
    return 0;
}

int ccs_erlang_solve(const struct ccs_erlang_model *m, struct ccs_erlang_result *r)
{
    if (r == NULL)
        return CCS_EINVAL;
    result_nan(r);
    if (m == NULL || !model_valid(m))
        return CCS_EINVAL;
    if (m->theta == 0.0 && room_unlimited(m))
        return solve_erlang_c(m, r);
    int rc = solve_general(m, r);
    if (rc != 0)
        result_nan(r);
    return rc;
}
