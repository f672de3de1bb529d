/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * roster_cbc.c - CBC (COIN-OR branch and cut) as the roster program's branch
 * and bound, started from the first roster GLPK's relax and fix found. CBC's
 * cuts at the root prove a bound GLPK's cannot (docs/schedule.md, "Solving
 * it"), which is what shows a weekly roster within 1% of optimal. The only
 * file that includes CBC; without it (CCS_HAVE_CBC undefined) the call says
 * so and GLPK's branch and bound is used.
 */
#include "exp/roster_impl.h"

#include <float.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#ifdef CCS_HAVE_CBC
#include <Cbc_C_Interface.h>

bool ccs__roster_cbc_available(void)
{
    return true;
}

int ccs__roster_cbc(const struct ccs__mip *mp, const double *start, uint64_t max_nodes,
                    double seconds, double gap, bool verbose, struct ccs__mip_result *out)
{
    double *x = out->x;
    memset(out, 0, sizeof *out);
    out->x = x;
    out->bound = -HUGE_VAL;
    Cbc_Model *cm = Cbc_newModel();
    if (cm == NULL)
        return CCS_ENOMEM;
    Cbc_loadProblem(cm, mp->n_cols, mp->n_rows, mp->start, mp->index, mp->value, mp->collb,
                    mp->colub, mp->obj, mp->rowlb, mp->rowub);
    for (int j = 0; j < mp->n_cols; j++)
        if (mp->is_int[j])
            Cbc_setInteger(cm, j);
    char buf[64];
    if (start != NULL) {
        /* every column, so that CBC checks the roster as it is rather than
           completes it (its MIP start fixes the integers, solves the rest) */
        Cbc_setMIPStartI(cm, mp->n_cols, mp->all_cols, start);
        /* What CBC is for here is the bound its root cuts prove; with the
           start as incumbent its primal heuristics (RINS, the feasibility
           pump, ...) took a quarter of its time on the weekly benchmark and
           never beat the start, and the bound stops rising after about five
           rounds of cuts (docs/schedule.md, measured). Without a start they
           are its only way to a roster: left on. */
        Cbc_setParameter(cm, "heuristicsOnOff", "off");
        Cbc_setParameter(cm, "passCuts", "5");
    }
    Cbc_setParameter(cm, "log", verbose ? "1" : "0");
    Cbc_setLogLevel(cm, verbose ? 1 : 0);
    /* one thread (CBC's default; said here because determinism depends on it) */
    Cbc_setParameter(cm, "threads", "0");
    snprintf(buf, sizeof buf, "%.17g", gap);
    Cbc_setParameter(cm, "ratioGap", buf);
    if (max_nodes > 0) {
        snprintf(buf, sizeof buf, "%llu",
                 (unsigned long long)(max_nodes > 2000000000u ? 2000000000u : max_nodes));
        Cbc_setParameter(cm, "maxNodes", buf);
    }
    if (seconds < HUGE_VAL) {
        snprintf(buf, sizeof buf, "%.3f", seconds > 0.001 ? seconds : 0.001);
        /* elapsed time, as GLPK's limit and the caller's deadline */
        Cbc_setParameter(cm, "timeMode", "elapsed");
        Cbc_setParameter(cm, "seconds", buf);
    }
    int rc = Cbc_solve(cm);
    int st = Cbc_status(cm), sec = Cbc_secondaryStatus(cm);
    out->nodes = (uint64_t)(Cbc_getNodeCount(cm) > 0 ? Cbc_getNodeCount(cm) : 0);
    out->infeasible = Cbc_isProvenInfeasible(cm) != 0 && Cbc_bestSolution(cm) == NULL;
    out->time_limited = sec == 4 || Cbc_isSecondsLimitReached(cm) != 0;
    out->node_limited = sec == 3 || Cbc_isNodeLimitReached(cm) != 0;
    out->within_gap = sec == 2;
    const double *best = Cbc_bestSolution(cm);
    if (best != NULL && rc == 0 && st != 2) {
        out->found = true;
        /* the search finished: by exhausting the tree (secondary 0), or by
           finding no node better than the start's cost (1: "worse than
           cutoff", CBC's cutoff being the incumbent's cost) */
        out->optimal = st == 0 && (sec == 0 || sec == 1);
        out->cost = Cbc_getObjValue(cm);
        memcpy(out->x, best, (size_t)mp->n_cols * sizeof *out->x);
    }
    double b = Cbc_getBestPossibleObjValue(cm);
    if (isfinite(b) && fabs(b) < 1e30)
        out->bound = b;
    Cbc_deleteModel(cm);
    return 0;
}

#else

bool ccs__roster_cbc_available(void)
{
    return false;
}

int ccs__roster_cbc(const struct ccs__mip *mp, const double *start, uint64_t max_nodes,
                    double seconds, double gap, bool verbose, struct ccs__mip_result *out)
{
    (void)mp, (void)start, (void)max_nodes, (void)seconds, (void)gap, (void)verbose;
    out->found = false;
    return CCS_EUNSUPPORTED;
}

#endif
