/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fitdist.c - maximum-likelihood fits of duration laws (estimate.h):
 * closed forms for the exponential and the complete lognormal, Newton on
 * the gamma shape, and a BFGS-then-Newton engine for the censored,
 * left-truncated Weibull and lognormal likelihoods. Standard errors come
 * from the observed information in log-parameters.
 */
#include "analytic/estimate_impl.h"
#include "ccs/error.h"
#include "ccs/mem.h"

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_multimin.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_sf_erf.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sf_psi.h>
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

static const char *const FAMILY_NAMES[CCS_FIT_FAMILY_COUNT] = {"exponential", "gamma",
                                                                 "lognormal", "weibull"};

const char *ccs_fit_family_name(enum ccs_fit_family f)
{
    return (unsigned)f < CCS_FIT_FAMILY_COUNT ? FAMILY_NAMES[f] : "?";
}

const char *ccs_fit_param_name(enum ccs_fit_family f, int i)
{
    static const char *const names[CCS_FIT_FAMILY_COUNT][2] = {
        {"mean", NULL}, {"shape", "scale"}, {"mu", "sigma"}, {"shape", "scale"}};
    if ((unsigned)f >= CCS_FIT_FAMILY_COUNT || i < 0 || i > 1)
        return NULL;
    return names[f][i];
}

/* A fit with nothing known yet: every estimate NaN, so a failed fit never
   passes for a real one. */
static void fit_blank(struct ccs_fit *f, enum ccs_fit_family family)
{
    memset(f, 0, sizeof *f);
    f->family = family;
    f->n_par = family == CCS_FIT_EXPONENTIAL ? 1 : 2;
    for (int i = 0; i < 2; i++) {
        ccs__est_nan(&f->par[i]);
        for (int j = 0; j < 2; j++)
            f->cov[i][j] = NAN;
    }
    ccs__est_nan(&f->mean);
    ccs__est_nan(&f->cv);
    f->loglik = NAN;
    f->aic = NAN;
}

static int fail(struct ccs_fit *out, int code, const char **why, const char *text)
{
    enum ccs_fit_family fam = out->family;
    size_t n = out->n, d = out->n_events, nb = out->n_below, nbe = out->n_below_events;
    double t0 = out->t0, pb = out->p_below;
    fit_blank(out, fam);
    /* the counts stay: they say what the data held */
    out->n = n;
    out->n_events = d;
    out->t0 = t0;
    out->n_below = nb;
    out->n_below_events = nbe;
    out->p_below = pb;
    if (why)
        *why = text;
    return code;
}

static double quad(const double g[2], double c[2][2])
{
    return g[0] * g[0] * c[0][0] + 2.0 * g[0] * g[1] * c[0][1] + g[1] * g[1] * c[1][1];
}

/*
 * Fill parameters, mean, cv and AIC from the working parameters th (log of
 * each positive parameter; the lognormal's mu as is) and their covariance.
 * Mean and cv are positive: their intervals are on the log scale, with the
 * gradient of their log in th (delta method).
 */
static void finish(struct ccs_fit *f, const double th[2], double cov[2][2], double loglik)
{
    double gm[2] = {0, 0}, gc[2] = {0, 0};
    double mean = NAN, cv = NAN;
    memcpy(f->cov, cov, sizeof f->cov);
    switch (f->family) {
    case CCS_FIT_EXPONENTIAL:
        mean = exp(th[0]);
        ccs__est_log(&f->par[0], mean, sqrt(cov[0][0]));
        f->mean = f->par[0];
        ccs__est_fixed(&f->cv, 1.0);
        f->cov[0][1] = f->cov[1][0] = f->cov[1][1] = NAN;
        break;
    case CCS_FIT_GAMMA: {
        double k = exp(th[0]), scale = exp(th[1]);
        ccs__est_log(&f->par[0], k, sqrt(cov[0][0]));
        ccs__est_log(&f->par[1], scale, sqrt(cov[1][1]));
        mean = k * scale;
        gm[0] = gm[1] = 1.0; /* log mean = log k + log scale */
        cv = 1.0 / sqrt(k);
        gc[0] = -0.5;        /* log cv = -log k / 2 */
        break;
    }
    case CCS_FIT_LOGNORMAL: {
        double s = exp(th[1]), s2 = s * s;
        ccs__est_lin(&f->par[0], th[0], sqrt(cov[0][0]));
        ccs__est_log(&f->par[1], s, sqrt(cov[1][1]));
        mean = exp(th[0] + 0.5 * s2);
        gm[0] = 1.0;
        gm[1] = s2; /* d(mu + s^2/2) / d log s */
        cv = sqrt(expm1(s2));
        /* log cv = log(expm1(s^2)) / 2: derivative s^2 e^{s^2} / expm1(s^2) */
        gc[1] = s2 / -expm1(-s2);
        break;
    }
    case CCS_FIT_WEIBULL: {
        double k = exp(th[0]), scale = exp(th[1]);
        ccs__est_log(&f->par[0], k, sqrt(cov[0][0]));
        ccs__est_log(&f->par[1], scale, sqrt(cov[1][1]));
        double l1 = gsl_sf_lngamma(1.0 + 1.0 / k), l2 = gsl_sf_lngamma(1.0 + 2.0 / k);
        double p1 = gsl_sf_psi(1.0 + 1.0 / k), p2 = gsl_sf_psi(1.0 + 2.0 / k);
        mean = scale * exp(l1);
        gm[0] = -p1 / k; /* d lgamma(1 + 1/k) / d log k */
        gm[1] = 1.0;
        double dd = l2 - 2.0 * l1; /* cv^2 = expm1(dd) */
        cv = sqrt(expm1(dd));
        gc[0] = 0.5 / -expm1(-dd) * (2.0 / k) * (p1 - p2);
        break;
    }
    default:
        break;
    }
    if (f->family != CCS_FIT_EXPONENTIAL) {
        ccs__est_log(&f->mean, mean, sqrt(quad(gm, cov)));
        ccs__est_log(&f->cv, cv, sqrt(quad(gc, cov)));
    }
    f->loglik = loglik;
    f->aic = -2.0 * loglik + 2.0 * f->n_par;
}

static bool est_finite(const struct ccs_est *e)
{
    return isfinite(e->value) && isfinite(e->se) && isfinite(e->lo) && isfinite(e->hi);
}

/*
 * finish(), then refuse a law whose estimates overflow: with a handful of
 * events a lognormal sigma of 30 or a Weibull shape of 0.005 maximise the
 * likelihood, but their mean or cv is beyond double range, and NaN
 * intervals must not pass for results.
 */
static int conclude(struct ccs_fit *f, const double th[2], double cov[2][2], double loglik,
                    const char **why)
{
    finish(f, th, cov, loglik);
    bool ok = est_finite(&f->mean) && est_finite(&f->cv) && est_finite(&f->par[0]) &&
              isfinite(f->aic) && (f->n_par == 1 || est_finite(&f->par[1]));
    if (!ok)
        return fail(f, CCS_ERANGE, why,
                    "the fitted law is degenerate: its mean or cv is not finite");
    return 0;
}

/* ---- The likelihood engine (Weibull, lognormal; censored, truncated) ---- */

struct engine {
    enum ccs_fit_family family;
    size_t n;          /* observations in the likelihood */
    size_t d;          /* events among them */
    double *lt;        /* log t of each */
    unsigned char *ev; /* 1 = event */
    double lt0;        /* log t0; -INFINITY without truncation */
    double sum_lt_ev;  /* sum of log t over events */
};

/*
 * Minus the log-likelihood divided by n (so that tolerances do not depend
 * on the sample size), and its gradient in th.
 *
 * Weibull, th = (a, b) = (log k, log scale), u = (t / scale)^k = e^{k (log t - b)}:
 *   l = sum_events [a + (k - 1) log t - k b] - sum_all (u - u0),
 * u0 the same at t0 (the truncation term -log S(t0) per observation).
 * Lognormal, th = (mu, log sigma), z = (log t - mu) / sigma, Q the normal
 * upper tail, h = phi / Q its hazard:
 *   l = sum_events [-log t - log sigma - log sqrt(2 pi) - z^2 / 2]
 *     + sum_censored log Q(z) - n log Q(z0).
 */
static void eval(const struct engine *e, const double th[2], double *f, double g[2])
{
    double ll = 0, g0 = 0, g1 = 0, dn = (double)e->n;
    if (e->family == CCS_FIT_WEIBULL) {
        double a = th[0], b = th[1], k = exp(a), dd = (double)e->d;
        ll = dd * a + (k - 1.0) * e->sum_lt_ev - k * b * dd;
        g0 = dd;
        g1 = -dd * k;
        for (size_t i = 0; i < e->n; i++) {
            double L = e->lt[i] - b, u = exp(k * L);
            ll -= u;
            g0 -= k * L * u;
            g1 += k * u;
            if (e->ev[i])
                g0 += k * L;
        }
        if (e->lt0 > -INFINITY) {
            double L0 = e->lt0 - b, u0 = exp(k * L0);
            ll += dn * u0;
            g0 += dn * k * L0 * u0;
            g1 -= dn * k * u0;
        }
    } else {
        double mu = th[0], s = th[1], sig = exp(s);
        for (size_t i = 0; i < e->n; i++) {
            double z = (e->lt[i] - mu) / sig;
            if (e->ev[i]) {
                ll += -e->lt[i] - s - CCS__LN_SQRT_2PI - 0.5 * z * z;
                g0 += z / sig;
                g1 += z * z - 1.0;
            } else {
                double lq = gsl_sf_log_erfc(z * M_SQRT1_2) - M_LN2;
                double h = exp(-0.5 * z * z - CCS__LN_SQRT_2PI - lq);
                ll += lq;
                g0 += h / sig;
                g1 += h * z;
            }
        }
        if (e->lt0 > -INFINITY) {
            double z0 = (e->lt0 - mu) / sig;
            double lq0 = gsl_sf_log_erfc(z0 * M_SQRT1_2) - M_LN2;
            double h0 = exp(-0.5 * z0 * z0 - CCS__LN_SQRT_2PI - lq0);
            ll -= dn * lq0;
            g0 -= dn * h0 / sig;
            g1 -= dn * h0 * z0;
        }
    }
    *f = -ll / dn;
    g[0] = -g0 / dn;
    g[1] = -g1 / dn;
}

static double mm_f(const gsl_vector *x, void *p)
{
    double th[2] = {gsl_vector_get(x, 0), gsl_vector_get(x, 1)}, f, g[2];
    eval(p, th, &f, g);
    return isfinite(f) ? f : GSL_POSINF;
}

static void mm_df(const gsl_vector *x, void *p, gsl_vector *grad)
{
    double th[2] = {gsl_vector_get(x, 0), gsl_vector_get(x, 1)}, f, g[2];
    eval(p, th, &f, g);
    gsl_vector_set(grad, 0, g[0]);
    gsl_vector_set(grad, 1, g[1]);
}

static void mm_fdf(const gsl_vector *x, void *p, double *fx, gsl_vector *grad)
{
    double th[2] = {gsl_vector_get(x, 0), gsl_vector_get(x, 1)}, g[2];
    eval(p, th, fx, g);
    if (!isfinite(*fx))
        *fx = GSL_POSINF;
    gsl_vector_set(grad, 0, g[0]);
    gsl_vector_set(grad, 1, g[1]);
}

/* Hessian by central differences of the analytic gradient (error ~1e-8
   relative: ample for standard errors), symmetrised. */
static void hessian(const struct engine *e, const double th[2], double H[2][2])
{
    for (int j = 0; j < 2; j++) {
        double tp[2] = {th[0], th[1]}, tm[2] = {th[0], th[1]}, gp[2], gm[2], f;
        double h = 1e-4 * fmax(1.0, fabs(th[j]));
        tp[j] += h;
        tm[j] -= h;
        eval(e, tp, &f, gp);
        eval(e, tm, &f, gm);
        double span = tp[j] - tm[j];
        for (int i = 0; i < 2; i++)
            H[i][j] = (gp[i] - gm[i]) / span;
    }
    H[0][1] = H[1][0] = 0.5 * (H[0][1] + H[1][0]);
}

static bool pos_def(double H[2][2])
{
    return H[0][0] > 0 && H[1][1] > 0 && H[0][0] * H[1][1] - H[0][1] * H[1][0] > 0 &&
           isfinite(H[0][0] + H[0][1] + H[1][1]);
}

/*
 * Newton steps with Armijo backtracking from th, until the step is below
 * 1e-9 in every working parameter (their standard errors are ~1/sqrt(n),
 * so that is far below any sample's precision). Also the rescue when BFGS
 * stopped short. On success H is the Hessian at the returned th.
 */
static int newton(const struct engine *e, double th[2], double H[2][2])
{
    double f, g[2];
    eval(e, th, &f, g);
    if (!isfinite(f))
        return -1;
    for (int it = 0; it < 100; it++) {
        hessian(e, th, H);
        if (!pos_def(H))
            return -1;
        double det = H[0][0] * H[1][1] - H[0][1] * H[1][0];
        double d0 = -(H[1][1] * g[0] - H[0][1] * g[1]) / det;
        double d1 = -(-H[1][0] * g[0] + H[0][0] * g[1]) / det;
        double big = fmax(fabs(d0), fabs(d1));
        if (big < 1e-9)
            return 0;
        double slope = g[0] * d0 + g[1] * d1;
        if (-slope <= 1e-12 * (1.0 + fabs(f))) {
            /* The predicted gain is below the rounding of f, which can no
               longer judge a step: this close, Newton converges
               quadratically, so take the full step. */
            th[0] += d0;
            th[1] += d1;
            eval(e, th, &f, g);
            if (!isfinite(f))
                return -1;
            continue;
        }
        /* Newton's step, capped at 1 in log-parameters (a factor e) so a
           far start cannot jump to where exp overflows. */
        double alpha = big > 1.0 ? 1.0 / big : 1.0;
        bool moved = false;
        for (int ls = 0; ls < 60 && !moved; ls++, alpha *= 0.5) {
            double tn[2] = {th[0] + alpha * d0, th[1] + alpha * d1}, fn, gn[2];
            eval(e, tn, &fn, gn);
            if (isfinite(fn) && fn <= f + 1e-4 * alpha * slope) {
                th[0] = tn[0];
                th[1] = tn[1];
                f = fn;
                g[0] = gn[0];
                g[1] = gn[1];
                moved = true;
            }
        }
        if (!moved)
            return -1;
    }
    return -1;
}

/* BFGS (gsl_multimin) from th, then Newton to polish and to check. */
static int engine_run(struct engine *e, double th[2], double H[2][2])
{
    gsl_multimin_function_fdf fdf = {mm_f, mm_df, mm_fdf, 2, e};
    gsl_multimin_fdfminimizer *s =
        gsl_multimin_fdfminimizer_alloc(gsl_multimin_fdfminimizer_vector_bfgs2, 2);
    gsl_vector *x = gsl_vector_alloc(2);
    if (s == NULL || x == NULL) {
        gsl_multimin_fdfminimizer_free(s);
        gsl_vector_free(x);
        return CCS_ENOMEM;
    }
    gsl_vector_set(x, 0, th[0]);
    gsl_vector_set(x, 1, th[1]);
    double f0 = mm_f(x, e);
    if (gsl_multimin_fdfminimizer_set(s, &fdf, x, 0.1, 0.1) == GSL_SUCCESS) {
        for (int it = 0; it < 500; it++) {
            if (gsl_multimin_fdfminimizer_iterate(s) != GSL_SUCCESS)
                break; /* no progress: usually at the optimum already */
            if (gsl_multimin_test_gradient(s->gradient, 1e-10) == GSL_SUCCESS)
                break;
        }
        double b0 = gsl_vector_get(s->x, 0), b1 = gsl_vector_get(s->x, 1);
        if (isfinite(s->f) && s->f <= f0 && isfinite(b0) && isfinite(b1)) {
            th[0] = b0;
            th[1] = b1;
        }
    }
    gsl_multimin_fdfminimizer_free(s);
    gsl_vector_free(x);
    return newton(e, th, H) == 0 ? 0 : CCS_ERANGE;
}

/* Keep the observations above t0 (all of them when ev is NULL: complete). */
static int engine_init(struct engine *e, enum ccs_fit_family family, const double *t,
                       const bool *ev, size_t n, double t0)
{
    memset(e, 0, sizeof *e);
    e->family = family;
    e->lt = ccs_malloc(n * sizeof *e->lt);
    e->ev = ccs_malloc(n);
    if (e->lt == NULL || e->ev == NULL) {
        free(e->lt);
        free(e->ev);
        return CCS_ENOMEM;
    }
    e->lt0 = t0 > 0 ? log(t0) : -INFINITY;
    for (size_t i = 0; i < n; i++) {
        if (!(t[i] > t0))
            continue;
        double l = log(t[i]);
        bool is_ev = ev == NULL || ev[i];
        e->lt[e->n] = l;
        e->ev[e->n] = is_ev;
        e->n++;
        if (is_ev) {
            e->d++;
            e->sum_lt_ev += l;
        }
    }
    return 0;
}

static void engine_release(struct engine *e)
{
    free(e->lt);
    free(e->ev);
}

/* Run the engine from th and fill the fit. */
static int engine_fit(struct engine *e, double th[2], struct ccs_fit *out, const char **why)
{
    double H[2][2];
    int rc = engine_run(e, th, H);
    if (rc == CCS_ENOMEM)
        return fail(out, rc, why, "out of memory");
    if (rc != 0)
        return fail(out, CCS_ERANGE, why, "the maximum-likelihood fit did not converge");
    double f, g[2], det = H[0][0] * H[1][1] - H[0][1] * H[1][0], dn = (double)e->n;
    double cov[2][2] = {{H[1][1] / det / dn, -H[0][1] / det / dn},
                        {-H[1][0] / det / dn, H[0][0] / det / dn}};
    eval(e, th, &f, g);
    return conclude(out, th, cov, -f * dn, why);
}

/* ---- Complete data ------------------------------------------------------ */

/* Gamma: the shape solves log k - digamma(k) = s, s = log mean(x) - mean(log x) > 0. */
static int gamma_shape(double s, double *k_out)
{
    /* Minka (2002): within 1.5% of the root for every s. */
    double k = (3.0 - s + sqrt((s - 3.0) * (s - 3.0) + 24.0 * s)) / (12.0 * s);
    for (int it = 0; it < 100; it++) {
        /* f decreasing and convex in k: Newton converges monotonically once
           left of the root; halving keeps k positive from the right. */
        double f = log(k) - gsl_sf_psi(k) - s, fp = 1.0 / k - gsl_sf_psi_1(k);
        if (!isfinite(f) || !(fp < 0))
            return -1;
        double kn = k - f / fp;
        if (!(kn > 0))
            kn = 0.5 * k;
        /* Converged when the step is negligible, or when f is down to the
           rounding of its terms: for a large shape, f ~ 1/2k is a small
           difference and its noise would make Newton dither around the
           root by more than 1e-14 relative. */
        if (fabs(kn - k) <= 1e-14 * k ||
            fabs(f) <= 8 * DBL_EPSILON * (fabs(log(k)) + fabs(s) + 1.0)) {
            *k_out = kn;
            return 0;
        }
        k = kn;
    }
    return -1;
}

int ccs_fit_complete(enum ccs_fit_family family, const double *x, size_t n,
                     struct ccs_fit *out, const char **why)
{
    if (out == NULL)
        return CCS_EINVAL;
    fit_blank(out, (unsigned)family < CCS_FIT_FAMILY_COUNT ? family : CCS_FIT_EXPONENTIAL);
    if (x == NULL || (unsigned)family >= CCS_FIT_FAMILY_COUNT)
        return fail(out, CCS_EINVAL, why, "invalid argument");
    out->n = out->n_events = n;
    if (n < 2)
        return fail(out, CCS_ERANGE, why, "fewer than 2 observations");
    double lo = INFINITY, hi = -INFINITY, sum = 0, sum_log = 0;
    for (size_t i = 0; i < n; i++) {
        if (!(x[i] > 0) || !isfinite(x[i]))
            return fail(out, CCS_ERANGE, why, "values must be positive and finite");
        lo = fmin(lo, x[i]);
        hi = fmax(hi, x[i]);
        sum += x[i];
        sum_log += log(x[i]);
    }
    if (lo == hi && family != CCS_FIT_EXPONENTIAL)
        return fail(out, CCS_ERANGE, why, "all values are equal");
    double dn = (double)n, mean = sum / dn, mlog = sum_log / dn;
    double th[2], cov[2][2] = {{NAN, NAN}, {NAN, NAN}};
    switch (family) {
    case CCS_FIT_EXPONENTIAL:
        th[0] = log(mean);
        th[1] = NAN;
        cov[0][0] = 1.0 / dn; /* observed information of log mean: n */
        return conclude(out, th, cov, -dn * log(mean) - dn, why);
    case CCS_FIT_GAMMA: {
        double k;
        if (gamma_shape(log(mean) - mlog, &k) != 0)
            return fail(out, CCS_ERANGE, why, "the maximum-likelihood fit did not converge");
        double scale = mean / k, tg = gsl_sf_psi_1(k);
        /* Observed = expected information at the maximum, in (log k, log
           scale): n [[k^2 psi'(k), k], [k, k]]. */
        double det = dn * dn * k * k * (k * tg - 1.0);
        if (!(det > 0))
            return fail(out, CCS_ERANGE, why, "the maximum-likelihood fit did not converge");
        cov[0][0] = dn * k / det;
        cov[0][1] = cov[1][0] = -dn * k / det;
        cov[1][1] = dn * k * k * tg / det;
        th[0] = log(k);
        th[1] = log(scale);
        double ll = (k - 1.0) * sum_log - dn * k - dn * k * log(scale) - dn * gsl_sf_lngamma(k);
        return conclude(out, th, cov, ll, why);
    }
    case CCS_FIT_LOGNORMAL: {
        double ss = 0;
        for (size_t i = 0; i < n; i++) {
            double dl = log(x[i]) - mlog;
            ss += dl * dl;
        }
        double sig = sqrt(ss / dn);
        if (!(sig > 0))
            return fail(out, CCS_ERANGE, why, "all values are equal");
        th[0] = mlog;
        th[1] = log(sig);
        cov[0][0] = sig * sig / dn;
        cov[0][1] = cov[1][0] = 0;
        cov[1][1] = 0.5 / dn;
        double ll = -sum_log - dn * log(sig) - dn * CCS__LN_SQRT_2PI - 0.5 * dn;
        return conclude(out, th, cov, ll, why);
    }
    case CCS_FIT_WEIBULL: {
        double ss = 0;
        for (size_t i = 0; i < n; i++)
            ss += (x[i] - mean) * (x[i] - mean);
        /* Start from the moments: shape ~ cv^-1.086 (Justus et al. 1978). */
        double cv = sqrt(ss / (dn - 1.0)) / mean;
        double k = fmin(fmax(pow(cv, -1.086), 0.02), 100.0);
        th[0] = log(k);
        th[1] = log(mean) - gsl_sf_lngamma(1.0 + 1.0 / k);
        struct engine e;
        if (engine_init(&e, family, x, NULL, n, 0.0) != 0)
            return fail(out, CCS_ENOMEM, why, "out of memory");
        int rc = engine_fit(&e, th, out, why);
        engine_release(&e);
        return rc;
    }
    default:
        return fail(out, CCS_EINVAL, why, "invalid argument");
    }
}

/* ---- Censored, left-truncated data -------------------------------------- */

/* Kaplan-Meier P(T <= t0) from all the data. */
static int km_below(const double *t, const bool *event, size_t n, double t0, double *p)
{
    struct ccs_km *km;
    int rc = ccs_km_new(t, event, n, &km, NULL);
    if (rc != 0)
        return rc;
    *p = 1.0 - ccs_km_surv(km, t0);
    ccs_km_free(km);
    return 0;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int ccs_fit_censored(enum ccs_fit_family family, const double *t, const bool *event, size_t n,
                     double t0, struct ccs_fit *out, const char **why)
{
    if (out == NULL)
        return CCS_EINVAL;
    fit_blank(out, (unsigned)family < CCS_FIT_FAMILY_COUNT ? family : CCS_FIT_EXPONENTIAL);
    if (t == NULL || event == NULL || (unsigned)family >= CCS_FIT_FAMILY_COUNT ||
        !(t0 >= 0) || !isfinite(t0))
        return fail(out, CCS_EINVAL, why, "invalid argument");
    if (family == CCS_FIT_GAMMA)
        return fail(out, CCS_EUNSUPPORTED, why, "gamma is not fitted to censored data");
    out->t0 = t0;
    size_t used = 0, d = 0;
    double exposure = 0;
    for (size_t i = 0; i < n; i++) {
        if (!(t[i] >= 0) || !isfinite(t[i]))
            return fail(out, CCS_ERANGE, why, "times must be non-negative and finite");
        if (t0 == 0 && t[i] == 0)
            return fail(out, CCS_ERANGE, why, "a time of 0: fit above a threshold t0 > 0");
        if (t[i] > t0) {
            used++;
            d += event[i];
            exposure += t[i] - t0;
        } else {
            out->n_below++;
            out->n_below_events += event[i];
        }
    }
    out->n = used;
    out->n_events = d;
    if (t0 > 0 && used > 0) {
        int rc = km_below(t, event, n, t0, &out->p_below);
        if (rc != 0)
            return fail(out, rc, why, "out of memory");
    }
    if (used < 2)
        return fail(out, CCS_ERANGE, why, "fewer than 2 observations above t0");
    if (d == 0)
        return fail(out, CCS_ERANGE, why, "no events above t0: every observation is censored");
    double dd = (double)d;
    if (family == CCS_FIT_EXPONENTIAL) {
        /* l(m) = -d log m - sum(t - t0) / m: memorylessness makes the
           truncation a shift. Observed information of log m: d. */
        double mean = exposure / dd;
        double th[2] = {log(mean), NAN}, cov[2][2] = {{1.0 / dd, NAN}, {NAN, NAN}};
        return conclude(out, th, cov, -dd * log(mean) - dd, why);
    }
    /* Two distinct event times at least, or the shape is not identified. */
    double *evt = ccs_malloc(d * sizeof *evt);
    if (evt == NULL)
        return fail(out, CCS_ENOMEM, why, "out of memory");
    size_t j = 0;
    for (size_t i = 0; i < n; i++)
        if (t[i] > t0 && event[i])
            evt[j++] = t[i];
    qsort(evt, d, sizeof *evt, cmp_double);
    bool distinct = evt[0] != evt[d - 1];
    free(evt);
    if (!distinct)
        return fail(out, CCS_ERANGE, why, "fewer than 2 distinct event times above t0");

    struct engine e;
    if (engine_init(&e, family, t, event, n, t0) != 0)
        return fail(out, CCS_ENOMEM, why, "out of memory");
    double th[2];
    if (family == CCS_FIT_WEIBULL) {
        /* Start at the exponential fit: shape 1, the censored MLE of the mean. */
        th[0] = 0.0;
        th[1] = log(exposure / dd);
    } else {
        /* Start at the lognormal of all times, censored ones taken as exact. */
        double m = 0, ss = 0;
        for (size_t i = 0; i < e.n; i++)
            m += e.lt[i];
        m /= (double)e.n;
        for (size_t i = 0; i < e.n; i++)
            ss += (e.lt[i] - m) * (e.lt[i] - m);
        double sd = sqrt(ss / (double)e.n);
        th[0] = m;
        th[1] = sd > 0 ? log(sd) : 0.0;
    }
    int rc = engine_fit(&e, th, out, why);
    engine_release(&e);
    return rc;
}

/* ---- The fitted law ------------------------------------------------------ */

static bool fitted(const struct ccs_fit *f)
{
    return f != NULL && (unsigned)f->family < CCS_FIT_FAMILY_COUNT && isfinite(f->aic);
}

static double cdf_side(const struct ccs_fit *f, double x, bool upper)
{
    if (!fitted(f) || isnan(x))
        return NAN;
    if (x <= 0)
        return upper ? 1.0 : 0.0;
    double a = f->par[0].value, b = f->par[1].value;
    switch (f->family) {
    case CCS_FIT_EXPONENTIAL:
        return upper ? exp(-x / a) : -expm1(-x / a);
    case CCS_FIT_GAMMA:
        return upper ? gsl_cdf_gamma_Q(x, a, b) : gsl_cdf_gamma_P(x, a, b);
    case CCS_FIT_LOGNORMAL:
        return upper ? gsl_cdf_lognormal_Q(x, a, b) : gsl_cdf_lognormal_P(x, a, b);
    case CCS_FIT_WEIBULL:
        return upper ? gsl_cdf_weibull_Q(x, b, a) : gsl_cdf_weibull_P(x, b, a);
    default:
        return NAN;
    }
}

double ccs_fit_cdf(const struct ccs_fit *fit, double x)
{
    return cdf_side(fit, x, false);
}

double ccs_fit_sf(const struct ccs_fit *fit, double x)
{
    return cdf_side(fit, x, true);
}

double ccs__fit_draw(const struct ccs_fit *f, gsl_rng *r)
{
    double a = f->par[0].value, b = f->par[1].value;
    switch (f->family) {
    case CCS_FIT_EXPONENTIAL:
        return gsl_ran_exponential(r, a);
    case CCS_FIT_GAMMA:
        return gsl_ran_gamma(r, a, b);
    case CCS_FIT_LOGNORMAL:
        return gsl_ran_lognormal(r, a, b);
    case CCS_FIT_WEIBULL:
        return gsl_ran_weibull(r, b, a);
    default:
        return NAN;
    }
}
