/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * params.c - a routing policy's parameters: its block of the scenario
 * (routing: {policy: NAME, ...}), read with located errors. The key
 * "policy" itself is always allowed. A NULL block reads as empty.
 */
#include "ccs/params.h"
#include "fmt/yread.h"
#include "ccs/mem.h"

#include <stdlib.h>
#include <string.h>

static const struct ccs_ynode *node(const struct ccs_params *p)
{
    return (const struct ccs_ynode *)p;
}

int ccs_params_check(const struct ccs_params *p, const char *const *keys, size_t n_keys,
                     struct ccs_diag *d)
{
    if (p == NULL)
        return 0;
    const char **all = ccs_malloc((n_keys + 1) * sizeof *all);
    if (all == NULL)
        return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    all[0] = "policy";
    for (size_t i = 0; i < n_keys; i++)
        all[i + 1] = keys[i];
    int rc = ccs__ycheck_keys(node(p), all, n_keys + 1, "routing", d);
    free(all);
    return rc;
}

int ccs_params_number(const struct ccs_params *p, const char *key, double def, double min,
                      double max, double *out, struct ccs_diag *d)
{
    *out = def;
    return p ? ccs__yread_number(node(p), key, false, min, max, out, d) : 0;
}

int ccs_params_duration(const struct ccs_params *p, const char *key, double def, double min,
                        double max, double *out, struct ccs_diag *d)
{
    *out = def;
    return p ? ccs__yread_duration(node(p), key, false, min, max, out, d) : 0;
}

int ccs_params_int(const struct ccs_params *p, const char *key, long long def, long long min,
                   long long max, long long *out, struct ccs_diag *d)
{
    *out = def;
    return p ? ccs__yread_int(node(p), key, false, min, max, out, d) : 0;
}

int ccs_params_fraction(const struct ccs_params *p, const char *key, double def, double *out,
                        struct ccs_diag *d)
{
    *out = def;
    return p ? ccs__yread_fraction(node(p), key, false, out, d) : 0;
}

int ccs_params_choice(const struct ccs_params *p, const char *key, const char *const *choices,
                      int def, int *out, struct ccs_diag *d)
{
    *out = def;
    return p ? ccs__yread_choice(node(p), key, false, choices, out, d) : 0;
}
