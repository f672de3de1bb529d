/*
 * summary.c - replications folded into means and confidence intervals
 * (Welford per key, Student-t half-widths), and the plain replication loop.
 */
#include "ccs/results.h"
#include "ccs/sim.h"
#include "core/stats.h"
#include "model/scenario.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

struct ccs_summary {
    const struct ccs_scenario *sc;
    double level;
    uint32_t n_reps;
    struct ccs_welford *w;  /* one per key */
    double *whole;          /* n_reps x n_whole values */
    uint32_t whole_cap;
};

struct ccs_summary *ccs_summary_new(const struct ccs_scenario *sc, double level)
{
    struct ccs_summary *s = calloc(1, sizeof *s);
    if (s == NULL)
        return NULL;
    s->sc = sc;
    s->level = level;
    s->w = calloc(sc->layout->n ? sc->layout->n : 1, sizeof *s->w);
    if (s->w == NULL) {
        free(s);
        return NULL;
    }
    return s;
}

int ccs_summary_add(struct ccs_summary *s, const double *values)
{
    const struct ccs_layout *l = s->sc->layout;
    if (s->n_reps == s->whole_cap) {
        uint32_t cap = s->whole_cap ? s->whole_cap * 2 : 16;
        double *p = realloc(s->whole, (size_t)cap * (l->n_whole ? l->n_whole : 1) * sizeof *p);
        if (p == NULL)
            return CCS_ENOMEM;
        s->whole = p;
        s->whole_cap = cap;
    }
    memcpy(&s->whole[(size_t)s->n_reps * l->n_whole], values, l->n_whole * sizeof *values);
    for (size_t k = 0; k < l->n; k++)
        if (!isnan(values[k]))
            ccs__welford_add(&s->w[k], values[k]);
    s->n_reps++;
    return 0;
}

void ccs_summary_free(struct ccs_summary *s)
{
    if (s == NULL)
        return;
    free(s->w);
    free(s->whole);
    free(s);
}

const struct ccs_scenario *ccs_summary_scenario(const struct ccs_summary *s)
{
    return s->sc;
}

const struct ccs_layout *ccs_summary_layout(const struct ccs_summary *s)
{
    return s->sc->layout;
}

uint32_t ccs_summary_replications(const struct ccs_summary *s)
{
    return s->n_reps;
}

double ccs_summary_level(const struct ccs_summary *s)
{
    return s->level;
}

double ccs_summary_n(const struct ccs_summary *s, size_t k)
{
    return s->w[k].n;
}

double ccs_summary_mean(const struct ccs_summary *s, size_t k)
{
    return s->w[k].n > 0 ? s->w[k].mean : NAN;
}

double ccs_summary_sd(const struct ccs_summary *s, size_t k)
{
    return sqrt(ccs__welford_var(&s->w[k]));
}

double ccs_summary_halfwidth(const struct ccs_summary *s, size_t k)
{
    return ccs__welford_halfwidth(&s->w[k], s->level);
}

double ccs_summary_value(const struct ccs_summary *s, uint32_t r, size_t k)
{
    return s->whole[(size_t)r * s->sc->layout->n_whole + k];
}

struct ccs_run_opts ccs_run_opts_default(const struct ccs_scenario *sc)
{
    struct ccs_run_opts o = {sc->seed, sc->replications, 0.95};
    return o;
}

int ccs_run(const struct ccs_scenario *sc, const struct ccs_run_opts *o,
            struct ccs_summary **out, struct ccs_diag *d)
{
    *out = NULL;
    struct ccs_summary *s = ccs_summary_new(sc, o->level);
    double *values = malloc((sc->layout->n ? sc->layout->n : 1) * sizeof *values);
    int rc = 0;
    if (s == NULL || values == NULL) {
        rc = ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
        goto done;
    }
    for (uint32_t r = 0; r < o->replications; r++) {
        struct ccs_sim *sim;
        rc = ccs_sim_new(sc, o->seed, r, &sim, d);
        if (rc != 0)
            goto done;
        rc = ccs_sim_run(sim);
        if (rc != 0) {
            ccs_diag_at(d, rc, sc->origin, 0, 0, "replication %u: %s", r,
                        ccs_sim_fault(sim) ? ccs_sim_fault(sim) : ccs_strerror(rc));
            ccs_sim_free(sim);
            goto done;
        }
        ccs_sim_results(sim, values);
        ccs_sim_free(sim);
        if ((rc = ccs_summary_add(s, values)) != 0) {
            ccs_diag_at(d, rc, NULL, 0, 0, "out of memory");
            goto done;
        }
    }
done:
    free(values);
    if (rc != 0) {
        ccs_summary_free(s);
        return rc;
    }
    *out = s;
    return 0;
}
