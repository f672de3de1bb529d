/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * params.h - reading a block of named parameters with located errors: a
 * routing policy's own block of the scenario (routing: {policy: NAME, ...}).
 * Knows nothing of policies: a map of keys read as numbers, durations,
 * integers, fractions or choices, each error pointing into the file.
 */
#ifndef CCS_PARAMS_H
#define CCS_PARAMS_H

#include "ccs/error.h"

#include <stddef.h>

/* A block of parameters (a YAML map); NULL reads as empty. */
struct ccs_params;

/* Fail with "unknown key" (and a did-you-mean) for keys not in keys[]. */
int ccs_params_check(const struct ccs_params *p, const char *const *keys, size_t n_keys,
                     struct ccs_diag *d);
/* Each reader leaves *out = def when the key is absent. */
int ccs_params_number(const struct ccs_params *p, const char *key, double def, double min,
                      double max, double *out, struct ccs_diag *d);
int ccs_params_duration(const struct ccs_params *p, const char *key, double def, double min,
                        double max, double *out, struct ccs_diag *d);
int ccs_params_int(const struct ccs_params *p, const char *key, long long def, long long min,
                   long long max, long long *out, struct ccs_diag *d);
int ccs_params_fraction(const struct ccs_params *p, const char *key, double def, double *out,
                        struct ccs_diag *d);
int ccs_params_choice(const struct ccs_params *p, const char *key, const char *const *choices,
                      int def, int *out, struct ccs_diag *d);

#endif
