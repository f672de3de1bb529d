/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * roster_cbc.c - CBC (COIN-OR branch and cut) as the roster program's branch
 * and bound, started from the first roster GLPK's relax and fix found. CBC's
 * cuts at the root prove a bound GLPK's cannot (docs/schedule.md, "Solving
 * it"), which is what shows a weekly roster within 1% of optimal. The only
 * file that includes CBC. Its header is a build dependency (CCS_HAVE_CBC);
 * the library is opened when a roster first asks for it (core/dl.h), not
 * linked: with its C++ runtime, LAPACK and Fortran it took 7 MiB of every
 * command's memory. Without the header, or when the library cannot be
 * loaded, the call says so and GLPK's branch and bound is used.
 */
#include "exp/roster_impl.h"

#include "core/dl.h"

#include <float.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#ifdef CCS_HAVE_CBC
#include <Cbc_C_Interface.h>

#ifndef CCS_CBC_SONAME
#define CCS_CBC_SONAME "libCbcSolver.so.3"
#endif

/* The functions used, typed from the header; one table for the process. */
#define CBC_FUNCTIONS(X)                                                                         \
    X(Cbc_newModel) X(Cbc_deleteModel) X(Cbc_loadProblem) X(Cbc_setInteger)                       \
    X(Cbc_setMIPStartI) X(Cbc_setParameter) X(Cbc_setLogLevel) X(Cbc_solve) X(Cbc_status)         \
    X(Cbc_secondaryStatus) X(Cbc_getNodeCount) X(Cbc_isProvenInfeasible) X(Cbc_bestSolution)      \
    X(Cbc_isSecondsLimitReached) X(Cbc_isNodeLimitReached) X(Cbc_getObjValue)                    \
    X(Cbc_getBestPossibleObjValue)

#define CBC_FIELD(f) __typeof__(&f) f;
static struct {
    CBC_FUNCTIONS(CBC_FIELD)
} cbc;
#undef CBC_FIELD

/* Loaded at most once, by whichever thread first asks (the roster solves
   groups on a pool of threads); read-only afterwards. */
static pthread_once_t cbc_once = PTHREAD_ONCE_INIT;
static bool cbc_loaded;
static char cbc_why[256];

static void cbc_load(void)
{
    char why[200];
    void *lib = ccs__dl_open(CCS_CBC_SONAME, "CCS_NO_CBC", why, sizeof why);
    bool ok = lib != NULL;
#define CBC_RESOLVE(f) ok = ok && ccs__dl_sym(lib, #f, &cbc.f, sizeof cbc.f, why, sizeof why);
    CBC_FUNCTIONS(CBC_RESOLVE)
#undef CBC_RESOLVE
    if (!ok)
        snprintf(cbc_why, sizeof cbc_why, "cannot load CBC (Debian coinor-libcbc3): %s", why);
    cbc_loaded = ok;
}

bool ccs__roster_cbc_available(void)
{
    pthread_once(&cbc_once, cbc_load);
    return cbc_loaded;
}

const char *ccs__roster_cbc_why(void)
{
    return ccs__roster_cbc_available() ? NULL : cbc_why;
}

int ccs__roster_cbc(const struct ccs__mip *mp, const double *start, uint64_t max_nodes,
                    double seconds, double gap, bool verbose, struct ccs__mip_result *out)
{
    if (!ccs__roster_cbc_available()) {
        out->found = false;
        return CCS_EUNSUPPORTED;
    }
    double *x = out->x;
    memset(out, 0, sizeof *out);
    out->x = x;
    out->bound = -HUGE_VAL;
    Cbc_Model *cm = cbc.Cbc_newModel();
    if (cm == NULL)
        return CCS_ENOMEM;
    cbc.Cbc_loadProblem(cm, mp->n_cols, mp->n_rows, mp->start, mp->index, mp->value, mp->collb,
                    mp->colub, mp->obj, mp->rowlb, mp->rowub);
    for (int j = 0; j < mp->n_cols; j++)
        if (mp->is_int[j])
            cbc.Cbc_setInteger(cm, j);
    char buf[64];
    if (start != NULL) {
        /* every column, so that CBC checks the roster as it is rather than
           completes it (its MIP start fixes the integers, solves the rest) */
        cbc.Cbc_setMIPStartI(cm, mp->n_cols, mp->all_cols, start);
        /* What CBC is for here is the bound its root cuts prove; with the
           start as incumbent its primal heuristics (RINS, the feasibility
           pump, ...) took a quarter of its time on the weekly benchmark and
           never beat the start, and the bound stops rising after about five
           rounds of cuts (docs/schedule.md, measured). Without a start they
           are its only way to a roster: left on. */
        cbc.Cbc_setParameter(cm, "heuristicsOnOff", "off");
        cbc.Cbc_setParameter(cm, "passCuts", "5");
    }
    cbc.Cbc_setParameter(cm, "log", verbose ? "1" : "0");
    cbc.Cbc_setLogLevel(cm, verbose ? 1 : 0);
    /* one thread (CBC's default; said here because determinism depends on it) */
    cbc.Cbc_setParameter(cm, "threads", "0");
    snprintf(buf, sizeof buf, "%.17g", gap);
    cbc.Cbc_setParameter(cm, "ratioGap", buf);
    if (max_nodes > 0) {
        snprintf(buf, sizeof buf, "%llu",
                 (unsigned long long)(max_nodes > 2000000000u ? 2000000000u : max_nodes));
        cbc.Cbc_setParameter(cm, "maxNodes", buf);
    }
    if (seconds < HUGE_VAL) {
        snprintf(buf, sizeof buf, "%.3f", seconds > 0.001 ? seconds : 0.001);
        /* elapsed time, as GLPK's limit and the caller's deadline */
        cbc.Cbc_setParameter(cm, "timeMode", "elapsed");
        cbc.Cbc_setParameter(cm, "seconds", buf);
    }
    int rc = cbc.Cbc_solve(cm);
    int st = cbc.Cbc_status(cm), sec = cbc.Cbc_secondaryStatus(cm);
    out->nodes = (uint64_t)(cbc.Cbc_getNodeCount(cm) > 0 ? cbc.Cbc_getNodeCount(cm) : 0);
    out->infeasible = cbc.Cbc_isProvenInfeasible(cm) != 0 && cbc.Cbc_bestSolution(cm) == NULL;
    out->time_limited = sec == 4 || cbc.Cbc_isSecondsLimitReached(cm) != 0;
    out->node_limited = sec == 3 || cbc.Cbc_isNodeLimitReached(cm) != 0;
    out->within_gap = sec == 2;
    const double *best = cbc.Cbc_bestSolution(cm);
    if (best != NULL && rc == 0 && st != 2) {
        out->found = true;
        /* the search finished: by exhausting the tree (secondary 0), or by
           finding no node better than the start's cost (1: "worse than
           cutoff", CBC's cutoff being the incumbent's cost) */
        out->optimal = st == 0 && (sec == 0 || sec == 1);
        out->cost = cbc.Cbc_getObjValue(cm);
        memcpy(out->x, best, (size_t)mp->n_cols * sizeof *out->x);
    }
    double b = cbc.Cbc_getBestPossibleObjValue(cm);
    if (isfinite(b) && fabs(b) < 1e30)
        out->bound = b;
    cbc.Cbc_deleteModel(cm);
    return 0;
}

#else

bool ccs__roster_cbc_available(void)
{
    return false;
}

const char *ccs__roster_cbc_why(void)
{
    return "this ccsim was built without CBC (coinor-libcbc-dev)";
}

int ccs__roster_cbc(const struct ccs__mip *mp, const double *start, uint64_t max_nodes,
                    double seconds, double gap, bool verbose, struct ccs__mip_result *out)
{
    (void)mp, (void)start, (void)max_nodes, (void)seconds, (void)gap, (void)verbose;
    out->found = false;
    return CCS_EUNSUPPORTED;
}

#endif
