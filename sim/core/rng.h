/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * rng.h - random streams. Each source of randomness owns a gsl_rng seeded
 * from (scenario seed, replication, stream id), so streams are independent
 * of each other and of the order in which a simulation consumes them.
 *
 * The generator is xoshiro256+ (Blackman & Vigna) registered as a GSL
 * gsl_rng_type, so every gsl_ran_* distribution works on it. GSL's own
 * generators take 32-bit seeds, which collide by the birthday bound once a
 * sweep uses a few hundred thousand streams; this one takes 64 bits, spread
 * over its 256-bit state by splitmix64.
 */
#ifndef CCS_CORE_RNG_H
#define CCS_CORE_RNG_H

#include <gsl/gsl_rng.h>
#include <math.h>
#include <stdint.h>

/* The GSL type of ccsim's streams ("ccs-xoshiro256+"). */
extern const gsl_rng_type *const ccs__rng_xoshiro256p;

/* splitmix64 finaliser: a strong 64-bit mixing function. */
uint64_t ccs__mix64(uint64_t x);

/* Stable 64-bit hash of a string (FNV-1a, then mixed). */
uint64_t ccs__hash_str(const char *s);

/* Seed for stream `stream` of replication `rep` under scenario seed `seed`. */
uint64_t ccs__stream_seed(uint64_t seed, uint64_t rep, uint64_t stream);

/* Stream id for a (purpose, name) pair, e.g. ("arrivals", "sales"). */
uint64_t ccs__stream_id(const char *purpose, const char *name);

/* A new stream, or NULL when out of memory. Free with gsl_rng_free. */
gsl_rng *ccs__rng_new(uint64_t seed, uint64_t rep, uint64_t stream);

/* Reseed an existing stream as ccs__rng_new would have. */
void ccs__rng_reseed(gsl_rng *r, uint64_t seed, uint64_t rep, uint64_t stream);

struct ccs__xoshiro_state {
    uint64_t s[4];
};

/* Uniform on [0, 1), 53 bits. Inline fast path for our own generator. */
static inline double ccs__rng_u01(gsl_rng *r)
{
    if (r->type == ccs__rng_xoshiro256p) {
        uint64_t *s = ((struct ccs__xoshiro_state *)r->state)->s;
        const uint64_t result = s[0] + s[3];
        const uint64_t t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = (s[3] << 45) | (s[3] >> 19);
        return (double)(result >> 11) * 0x1.0p-53;
    }
    return gsl_rng_uniform(r);
}

/* Exponential with the given MEAN (not rate), by inversion. */
static inline double ccs__rng_exp(gsl_rng *r, double mean)
{
    return -mean * log1p(-ccs__rng_u01(r));
}

#endif
