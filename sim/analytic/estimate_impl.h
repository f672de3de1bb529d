/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * estimate_impl.h - pieces shared by the estimator files (estimate.c,
 * fitdist.c, survival.c): the 95% normal quantile, interval helpers and a
 * draw from a fitted law. Internal (ccs__ names).
 */
#ifndef CCS_ANALYTIC_ESTIMATE_IMPL_H
#define CCS_ANALYTIC_ESTIMATE_IMPL_H

#include "ccs/estimate.h"

#include <gsl/gsl_rng.h>

/* z_{0.975}: every interval of the module is a 95% one. */
#define CCS__Z95 1.959963984540054

/* log(sqrt(2 pi)) */
#define CCS__LN_SQRT_2PI 0.918938533204672741780329736406

/* An estimate of a positive quantity whose log has standard error se_log:
   interval on the log scale, se on the natural one. */
void ccs__est_log(struct ccs_est *e, double value, double se_log);

/* An estimate with a symmetric normal interval value +- z se. */
void ccs__est_lin(struct ccs_est *e, double value, double se);

/* A fixed quantity: se 0, lo = hi = value. */
void ccs__est_fixed(struct ccs_est *e, double value);

/* All NaN. */
void ccs__est_nan(struct ccs_est *e);

/* One draw from a successfully fitted law. */
double ccs__fit_draw(const struct ccs_fit *fit, gsl_rng *r);

#endif
