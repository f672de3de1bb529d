/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * yread.h - typed, located readers over the YAML tree, shared by the
 * scenario loader and anything else that reads scenario-like files (sweeps,
 * policy parameters). Every reader reports "FILE:LINE:COL: error: ..." at the
 * offending node and returns a negative CCS_E* code; 0 on success.
 */
#ifndef CCS_FMT_YREAD_H
#define CCS_FMT_YREAD_H

#include "fmt/ydoc.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Describe a node's kind for "got a ..." messages. */
const char *ccs__ykind_name(const struct ccs_ynode *n);

/* Require n to be a map / sequence / scalar; what names it in the message. */
int ccs__ywant_map(const struct ccs_ynode *n, const char *what, struct ccs_diag *d);
int ccs__ywant_seq(const struct ccs_ynode *n, const char *what, struct ccs_diag *d);
int ccs__ywant_scalar(const struct ccs_ynode *n, const char *what, struct ccs_diag *d);

/*
 * Readers of map[key]. When the key is absent: if required, an error at the
 * map ("missing required key 'k' in WHERE"); otherwise *out is left as is
 * (callers preset defaults) and *present, when given, is set to false.
 */
int ccs__yread_int(const struct ccs_ynode *map, const char *key, bool required, long long min,
                   long long max, long long *out, struct ccs_diag *d);
int ccs__yread_u64(const struct ccs_ynode *map, const char *key, bool required, uint64_t *out,
                   struct ccs_diag *d);
int ccs__yread_number(const struct ccs_ynode *map, const char *key, bool required, double min,
                      double max, double *out, struct ccs_diag *d);
int ccs__yread_duration(const struct ccs_ynode *map, const char *key, bool required,
                        double min, double max, double *out, struct ccs_diag *d);
int ccs__yread_rate(const struct ccs_ynode *map, const char *key, bool required, double max,
                    double *out, struct ccs_diag *d);
int ccs__yread_fraction(const struct ccs_ynode *map, const char *key, bool required,
                        double *out, struct ccs_diag *d);
int ccs__yread_bool(const struct ccs_ynode *map, const char *key, bool required, bool *out,
                    struct ccs_diag *d);
int ccs__yread_string(const struct ccs_ynode *map, const char *key, bool required,
                      const char **out, struct ccs_diag *d);
/* An identifier: letters, digits, '_' and '-', at most 64 characters. */
int ccs__yread_id(const struct ccs_ynode *map, const char *key, bool required,
                  const char **out, struct ccs_diag *d);
/* One of choices[] (NULL-terminated); *out is its index. */
int ccs__yread_choice(const struct ccs_ynode *map, const char *key, bool required,
                      const char *const *choices, int *out, struct ccs_diag *d);

/* The same conversions on a scalar node itself; key names it in messages. */
int ccs__yval_number(const struct ccs_ynode *n, const char *key, double min, double max,
                     double *out, struct ccs_diag *d);
int ccs__yval_duration(const struct ccs_ynode *n, const char *key, double min, double max,
                       double *out, struct ccs_diag *d);
int ccs__yval_id(const struct ccs_ynode *n, const char *key, const char **out,
                 struct ccs_diag *d);

/*
 * Length of the comma-separated item starting at s (command-line lists such as
 * --variant's overrides and --grid's values): up to the first comma outside
 * brackets, braces and quotes, so YAML values like [a, b] stay whole.
 */
size_t ccs__list_item_span(const char *s);

#endif
