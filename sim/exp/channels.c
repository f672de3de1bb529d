/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * channels.c - a channel's own service level from one replication's
 * whole-run values (channels.h).
 */
#include "exp/channels.h"

#include "ccs/results.h"
#include "model/scenario.h"

#include <math.h>

size_t ccs__channels_of(const struct ccs_scenario *sc, enum ccs_channel *ch, size_t *n_queues)
{
    size_t n = 0;
    for (size_t q = 0; q < sc->n_queues; q++) {
        size_t c = 0;
        while (c < n && ch[c] != (enum ccs_channel)sc->queues[q].channel)
            c++;
        if (c == n) {
            ch[n] = (enum ccs_channel)sc->queues[q].channel;
            if (n_queues != NULL)
                n_queues[n] = 0;
            n++;
        }
        if (n_queues != NULL)
            n_queues[c]++;
    }
    return n;
}

void ccs__channel_rep(const struct ccs_scenario *sc, const double *v, enum ccs_channel ch,
                      double *offered, double *sl)
{
    const struct ccs_layout *l = sc->layout;
    double o_sum = 0, within = 0;
    for (size_t q = 0; q < sc->n_queues; q++) {
        if ((enum ccs_channel)sc->queues[q].channel != ch)
            continue;
        long ko = ccs_layout_find(l, CCS_SCOPE_QUEUE, CCS_KPI_offered, (int)q, -1, -1, -1);
        long ks = ccs_layout_find(l, CCS_SCOPE_QUEUE, CCS_KPI_sl_offered, (int)q, -1, -1, -1);
        double o = ko < 0 ? NAN : v[ko];
        double s = ks < 0 ? NAN : v[ks];
        if (isnan(o) || o <= 0)
            continue;
        o_sum += o;
        /* sl_offered is a count over offered: round back to the count */
        within += isnan(s) ? 0 : round(s * o);
    }
    *offered = o_sum;
    *sl = o_sum > 0 ? within / o_sum : NAN;
}

double ccs__channel_asa(const struct ccs_scenario *sc, const double *v, enum ccs_channel ch)
{
    const struct ccs_layout *l = sc->layout;
    double answered = 0, wait = 0;
    for (size_t q = 0; q < sc->n_queues; q++) {
        if ((enum ccs_channel)sc->queues[q].channel != ch)
            continue;
        long kn = ccs_layout_find(l, CCS_SCOPE_QUEUE, CCS_KPI_answered, (int)q, -1, -1, -1);
        long ka = ccs_layout_find(l, CCS_SCOPE_QUEUE, CCS_KPI_asa, (int)q, -1, -1, -1);
        double n = kn < 0 ? NAN : v[kn];
        double a = ka < 0 ? NAN : v[ka];
        if (isnan(n) || n <= 0 || isnan(a))
            continue;
        answered += n;
        wait += a * n;
    }
    return answered > 0 ? wait / answered : NAN;
}

bool ccs__channel_interval(const struct ccs_scenario *sc, const double *v, enum ccs_channel ch,
                           int i, double out[3])
{
    if (sc->sl_def != CCS_SL_OFFERED && sc->sl_def != CCS_SL_ANSWERED)
        return false;
    const struct ccs_layout *l = sc->layout;
    double o_sum = 0, within = 0, answered = 0, wait = 0;
    for (size_t q = 0; q < sc->n_queues; q++) {
        if ((enum ccs_channel)sc->queues[q].channel != ch)
            continue;
        static const enum ccs_kpi kpis[4] = {CCS_KPI_offered, CCS_KPI_answered,
                                             CCS_KPI_service_level, CCS_KPI_asa};
        double x[4];
        for (int j = 0; j < 4; j++) {
            long k = ccs_layout_find(l, CCS_SCOPE_QUEUE, kpis[j], (int)q, -1, -1, i);
            x[j] = k < 0 ? NAN : v[k];
        }
        if (isnan(x[0]) || x[0] <= 0)
            continue;
        o_sum += x[0];
        /* the service level is a count over offered (or answered): round back to it */
        double base = sc->sl_def == CCS_SL_OFFERED ? x[0] : x[1];
        within += isnan(x[2]) || isnan(base) ? 0 : round(x[2] * base);
        if (!isnan(x[1]) && x[1] > 0 && !isnan(x[3])) {
            answered += x[1];
            wait += x[3] * x[1];
        }
    }
    out[0] = o_sum;
    out[1] = o_sum > 0 ? within / o_sum : NAN;
    out[2] = answered > 0 ? wait / answered : NAN;
    return true;
}
