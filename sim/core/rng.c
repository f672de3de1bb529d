/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * rng.c - xoshiro256+ as a GSL generator type, stream seeding, and the rare
 * paths of the ziggurat exponential (its tables are in zigexp.c).
 */
#include "core/rng.h"

#include <math.h>
#include <string.h>

static uint64_t splitmix_next(uint64_t *x)
{
    *x += 0x9e3779b97f4a7c15ULL;
    return ccs__mix64(*x);
}

uint64_t ccs__mix64(uint64_t z)
{
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static void xo_set(void *vstate, unsigned long seed)
{
    struct ccs__xoshiro_state *st = vstate;
    uint64_t x = (uint64_t)seed;
    for (int i = 0; i < 4; i++)
        st->s[i] = splitmix_next(&x);
    /* splitmix64 output is never all zero for four consecutive words. */
}

static double xo_get_double(void *vstate)
{
    uint64_t *s = ((struct ccs__xoshiro_state *)vstate)->s;
    return (double)(ccs__xoshiro_next(s) >> 11) * 0x1.0p-53;
}

static unsigned long xo_get(void *vstate)
{
    /* 32 random bits: the high half of a 53-bit draw's mantissa source. */
    return (unsigned long)(xo_get_double(vstate) * 4294967296.0);
}

static const gsl_rng_type xoshiro_type = {
    "ccs-xoshiro256+",                  /* name */
    0xffffffffUL,                       /* RAND_MAX */
    0,                                  /* RAND_MIN */
    sizeof(struct ccs__xoshiro_state),  /* size of state */
    &xo_set,
    &xo_get,
    &xo_get_double,
};

const gsl_rng_type *const ccs__rng_xoshiro256p = &xoshiro_type;

uint64_t ccs__hash_str(const char *s)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (; *s; s++) {
        h ^= (unsigned char)*s;
        h *= 0x100000001b3ULL;
    }
    return ccs__mix64(h);
}

uint64_t ccs__stream_seed(uint64_t seed, uint64_t rep, uint64_t stream)
{
    uint64_t h = ccs__mix64(seed ^ 0x5ccc5ccc5ccc5cccULL);
    h = ccs__mix64(h ^ (rep * 0x9e3779b97f4a7c15ULL + 0x632be59bd9b4e019ULL));
    return ccs__mix64(h ^ stream);
}

uint64_t ccs__stream_id(const char *purpose, const char *name)
{
    return ccs__mix64(ccs__hash_str(purpose) * 31u + ccs__hash_str(name));
}

gsl_rng *ccs__rng_new(uint64_t seed, uint64_t rep, uint64_t stream)
{
    gsl_rng *r = gsl_rng_alloc(ccs__rng_xoshiro256p);
    if (r != NULL)
        gsl_rng_set(r, (unsigned long)ccs__stream_seed(seed, rep, stream));
    return r;
}

void ccs__rng_init_at(gsl_rng *r, struct ccs__xoshiro_state *st, uint64_t seed, uint64_t rep,
                      uint64_t stream)
{
    r->type = ccs__rng_xoshiro256p;
    r->state = st;
    gsl_rng_set(r, (unsigned long)ccs__stream_seed(seed, rep, stream));
}

void ccs__rng_reseed(gsl_rng *r, uint64_t seed, uint64_t rep, uint64_t stream)
{
    gsl_rng_set(r, (unsigned long)ccs__stream_seed(seed, rep, stream));
}

double ccs__rng_exp1_slow(gsl_rng *r, unsigned i, double x)
{
    for (;;) {
        if (i == 0) /* the tail beyond r: memoryless, so r + Exp(1) */
            return ccs__zigexp_r - log1p(-ccs__rng_u01(r));
        /* the wedge of strip i between x_{i-1} and x_i: under f? */
        double y = ccs__zigexp_f[i] + ccs__rng_u01(r) * (ccs__zigexp_f[i - 1] - ccs__zigexp_f[i]);
        if (y < exp(-x))
            return x;
        /* rejected: a fresh point */
        uint64_t u = ccs__xoshiro_next(((struct ccs__xoshiro_state *)r->state)->s);
        i = (unsigned)(u >> 56);
        int64_t m = (int64_t)((u >> 3) & ((UINT64_C(1) << 53) - 1));
        x = (double)m * ccs__zigexp_w[i];
        if ((uint64_t)m < ccs__zigexp_k[i])
            return x;
    }
}
