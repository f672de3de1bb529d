/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * yread.c - typed readers over the YAML tree with located messages
 * (see yread.h). Messages say what was wanted, then what was found.
 */
#include "fmt/yread.h"

#include "ccs/units.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *ccs__ykind_name(const struct ccs_ynode *n)
{
    switch (n->kind) {
    case CCS_Y_MAP:
        return "a mapping";
    case CCS_Y_SEQ:
        return "a list";
    case CCS_Y_SCALAR:
    default:
        return "a scalar";
    }
}

int ccs__ywant_map(const struct ccs_ynode *n, const char *what, struct ccs_diag *d)
{
    if (n->kind == CCS_Y_MAP)
        return 0;
    return ccs__yerr(d, CCS_ESCHEMA, n, "%s must be a mapping (key: value pairs), got %s", what,
                     ccs__ykind_name(n));
}

int ccs__ywant_seq(const struct ccs_ynode *n, const char *what, struct ccs_diag *d)
{
    if (n->kind == CCS_Y_SEQ)
        return 0;
    return ccs__yerr(d, CCS_ESCHEMA, n, "%s must be a list, got %s", what, ccs__ykind_name(n));
}

int ccs__ywant_scalar(const struct ccs_ynode *n, const char *what, struct ccs_diag *d)
{
    if (n->kind == CCS_Y_SCALAR)
        return 0;
    return ccs__yerr(d, CCS_ESCHEMA, n, "%s must be a single value, got %s", what,
                     ccs__ykind_name(n));
}

/* Find map[key]; NULL and *rc = 0 when absent and optional. */
static const struct ccs_ynode *lookup(const struct ccs_ynode *map, const char *key,
                                      bool required, int *rc, struct ccs_diag *d)
{
    const struct ccs_ynode *n = ccs__ymap_get(map, key);
    *rc = 0;
    if (n == NULL && required)
        *rc = ccs__yerr(d, CCS_ESCHEMA, map, "missing required key '%s'", key);
    return n;
}

/* 0 when n is a scalar; else "'key' must be WHAT, got a mapping" (a list). */
static int want_value(const struct ccs_ynode *n, const char *key, const char *what,
                      struct ccs_diag *d)
{
    if (n->kind == CCS_Y_SCALAR)
        return 0;
    return ccs__yerr(d, CCS_ESCHEMA, n, "'%s' must be %s, got %s", key, what, ccs__ykind_name(n));
}

/* lookup, then want_value: *n is NULL (and 0 returned) when absent and optional. */
static int scalar_at(const struct ccs_ynode *map, const char *key, bool required,
                     const char *what, const struct ccs_ynode **n, struct ccs_diag *d)
{
    int rc;
    *n = lookup(map, key, required, &rc, d);
    return *n == NULL ? rc : want_value(*n, key, what, d);
}

/* Shorten long scalar text for messages. */
static const char *shown(const struct ccs_ynode *n, char *buf, size_t cap)
{
    const char *t = n->text ? n->text : "";
    size_t len = strlen(t);
    if (len < cap) {
        memcpy(buf, t, len + 1);
        return buf;
    }
    snprintf(buf, cap, "%.*s...", (int)(cap - 4), t);
    return buf;
}

/*
 * "'k' must be positive / must not be negative / must be at least X / is
 * absurdly large (at most Y)", got 'TEXT'. min_text/max_text are the bounds
 * as the user would write them.
 */
static int range_error(const struct ccs_ynode *n, const char *key, bool whole, double v,
                       double min, const char *min_text, const char *max_text,
                       struct ccs_diag *d)
{
    char buf[48];
    const char *got = shown(n, buf, sizeof buf);
    if (v < min) {
        if (min > 0 && v <= 0)
            return ccs__yerr(d, CCS_ERANGE, n, "'%s' must be %s, got '%s'", key,
                             whole ? "a positive whole number" : "positive", got);
        if (min == 0)
            return ccs__yerr(d, CCS_ERANGE, n, "'%s' must not be negative, got '%s'", key, got);
        return ccs__yerr(d, CCS_ERANGE, n, "'%s' must be at least %s, got '%s'", key, min_text,
                         got);
    }
    return ccs__yerr(d, CCS_ERANGE, n, "'%s' is absurdly large (at most %s), got '%s'", key,
                     max_text, got);
}

static void format_g(double v, char *buf, size_t cap)
{
    snprintf(buf, cap, "%g", v);
}

/* 0 when min <= v <= max, else range_error with the bounds as fmt writes them. */
static int within(const struct ccs_ynode *n, const char *key, double v, double min, double max,
                  void (*fmt)(double, char *, size_t), struct ccs_diag *d)
{
    if (!(v < min || v > max))
        return 0;
    char mn[32], mx[32];
    fmt(max, mx, sizeof mx);
    fmt(min, mn, sizeof mn);
    return range_error(n, key, false, v, min, mn, mx, d);
}

int ccs__yval_number(const struct ccs_ynode *n, const char *key, double min, double max,
                     double *out, struct ccs_diag *d)
{
    char buf[48], mx[32];
    if (n->kind != CCS_Y_SCALAR)
        return want_value(n, key, "a number", d);
    double v;
    const char *why;
    if (ccs_parse_number(n->text, &v, &why) != 0) {
        if (strcmp(why, "number out of range") == 0) {
            snprintf(mx, sizeof mx, "%g", max);
            return range_error(n, key, false, INFINITY, min, "", mx, d);
        }
        return ccs__yerr(d, CCS_ESCHEMA, n, "'%s' must be a number, got '%s'", key,
                         shown(n, buf, sizeof buf));
    }
    int rc = within(n, key, v, min, max, format_g, d);
    if (rc == 0)
        *out = v;
    return rc;
}

int ccs__yval_duration(const struct ccs_ynode *n, const char *key, double min, double max,
                       double *out, struct ccs_diag *d)
{
    char buf[48];
    if (n->kind != CCS_Y_SCALAR)
        return want_value(n, key, "a duration such as 20s", d);
    double v;
    const char *why;
    if (ccs_parse_duration(n->text, &v, &why) != 0)
        return ccs__yerr(d, CCS_ESCHEMA, n, "'%s': bad duration '%s': %s", key,
                         shown(n, buf, sizeof buf), why);
    int rc = within(n, key, v, min, max, ccs_format_duration, d);
    if (rc == 0)
        *out = v;
    return rc;
}

int ccs__yval_id(const struct ccs_ynode *n, const char *key, const char **out,
                 struct ccs_diag *d)
{
    char buf[48];
    if (n->kind != CCS_Y_SCALAR)
        return want_value(n, key, "a name", d);
    const char *t = n->text;
    size_t len = strlen(t);
    if (len == 0)
        return ccs__yerr(d, CCS_ESCHEMA, n, "'%s' must not be empty", key);
    if (len > 64)
        return ccs__yerr(d, CCS_ESCHEMA, n, "'%s' is too long (at most 64 characters)", key);
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)t[i];
        if (!isalnum(ch) && ch != '_' && ch != '-')
            return ccs__yerr(d, CCS_ESCHEMA, n,
                             "'%s' must use only letters, digits, '_' and '-', got '%s'", key,
                             shown(n, buf, sizeof buf));
    }
    *out = t;
    return 0;
}

int ccs__yread_int(const struct ccs_ynode *map, const char *key, bool required, long long min,
                   long long max, long long *out, struct ccs_diag *d)
{
    const struct ccs_ynode *n;
    int rc = scalar_at(map, key, required, "a whole number", &n, d);
    if (rc != 0 || n == NULL)
        return rc;
    char buf[48], mx[32];
    long long v;
    const char *why;
    snprintf(mx, sizeof mx, "%lld", max);
    if (ccs_parse_int(n->text, &v, &why) != 0) {
        if (strcmp(why, "number out of range") == 0)
            return range_error(n, key, true, INFINITY, (double)min, "", mx, d);
        /* a big number in exponent form is still "absurdly large" */
        double dv;
        if (ccs_parse_number(n->text, &dv, NULL) == 0 && dv > (double)max)
            return range_error(n, key, true, dv, (double)min, "", mx, d);
        return ccs__yerr(d, CCS_ESCHEMA, n, "'%s' must be a whole number, got '%s'", key,
                         shown(n, buf, sizeof buf));
    }
    if (v < min || v > max) {
        char mn[32];
        snprintf(mn, sizeof mn, "%lld", min);
        return range_error(n, key, true, (double)v, (double)min, mn, mx, d);
    }
    *out = v;
    return 0;
}

int ccs__yread_u64(const struct ccs_ynode *map, const char *key, bool required, uint64_t *out,
                   struct ccs_diag *d)
{
    const struct ccs_ynode *n;
    int rc = scalar_at(map, key, required, "a whole number", &n, d);
    if (rc != 0 || n == NULL)
        return rc;
    char buf[48];
    const char *t = n->text;
    bool digits = *t != '\0';
    for (const char *p = t; *p; p++)
        if (!isdigit((unsigned char)*p))
            digits = false;
    if (!digits)
        return ccs__yerr(d, CCS_ESCHEMA, n, "'%s' must be a whole number from 0 to %llu, got '%s'",
                         key, (unsigned long long)UINT64_MAX, shown(n, buf, sizeof buf));
    errno = 0;
    unsigned long long v = strtoull(t, NULL, 10);
    if (errno == ERANGE)
        return ccs__yerr(d, CCS_ERANGE, n, "'%s' is too large (at most %llu), got '%s'", key,
                         (unsigned long long)UINT64_MAX, shown(n, buf, sizeof buf));
    *out = (uint64_t)v;
    return 0;
}

int ccs__yread_number(const struct ccs_ynode *map, const char *key, bool required, double min,
                      double max, double *out, struct ccs_diag *d)
{
    int rc;
    const struct ccs_ynode *n = lookup(map, key, required, &rc, d);
    if (n == NULL)
        return rc;
    return ccs__yval_number(n, key, min, max, out, d);
}

int ccs__yread_duration(const struct ccs_ynode *map, const char *key, bool required,
                        double min, double max, double *out, struct ccs_diag *d)
{
    int rc;
    const struct ccs_ynode *n = lookup(map, key, required, &rc, d);
    if (n == NULL)
        return rc;
    return ccs__yval_duration(n, key, min, max, out, d);
}

int ccs__yread_rate(const struct ccs_ynode *map, const char *key, bool required, double max,
                    double *out, struct ccs_diag *d)
{
    const struct ccs_ynode *n;
    int rc = scalar_at(map, key, required, "a rate such as 95/min", &n, d);
    if (rc != 0 || n == NULL)
        return rc;
    char buf[48], mx[32];
    double v;
    const char *why;
    if (ccs_parse_rate(n->text, &v, &why) != 0)
        return ccs__yerr(d, CCS_ESCHEMA, n, "'%s': bad rate '%s': %s", key,
                         shown(n, buf, sizeof buf), why);
    if (!(v > 0) || v > max) {
        snprintf(mx, sizeof mx, "%g/s", max);
        return range_error(n, key, false, v, 1e-300, "", mx, d);
    }
    *out = v;
    return 0;
}

int ccs__yread_fraction(const struct ccs_ynode *map, const char *key, bool required,
                        double *out, struct ccs_diag *d)
{
    const struct ccs_ynode *n;
    int rc = scalar_at(map, key, required, "a percentage such as 80%", &n, d);
    if (rc != 0 || n == NULL)
        return rc;
    char buf[48];
    const char *why;
    if (ccs_parse_fraction(n->text, out, &why) != 0)
        return ccs__yerr(d, CCS_ERANGE, n, "'%s': bad percentage '%s': %s", key,
                         shown(n, buf, sizeof buf), why);
    return 0;
}

int ccs__yread_bool(const struct ccs_ynode *map, const char *key, bool required, bool *out,
                    struct ccs_diag *d)
{
    int rc;
    const struct ccs_ynode *n = lookup(map, key, required, &rc, d);
    if (n == NULL)
        return rc;
    char buf[48];
    if (n->kind != CCS_Y_SCALAR || ccs_parse_bool(n->text, out, NULL) != 0)
        return ccs__yerr(d, CCS_ESCHEMA, n, "'%s' must be true or false, got %s%s%s", key,
                         n->kind == CCS_Y_SCALAR ? "'" : "",
                         n->kind == CCS_Y_SCALAR ? shown(n, buf, sizeof buf) : ccs__ykind_name(n),
                         n->kind == CCS_Y_SCALAR ? "'" : "");
    return 0;
}

int ccs__yread_string(const struct ccs_ynode *map, const char *key, bool required,
                      const char **out, struct ccs_diag *d)
{
    const struct ccs_ynode *n;
    int rc = scalar_at(map, key, required, "text", &n, d);
    if (rc == 0 && n != NULL)
        *out = n->text;
    return rc;
}

int ccs__yread_id(const struct ccs_ynode *map, const char *key, bool required,
                  const char **out, struct ccs_diag *d)
{
    int rc;
    const struct ccs_ynode *n = lookup(map, key, required, &rc, d);
    if (n == NULL)
        return rc;
    return ccs__yval_id(n, key, out, d);
}

int ccs__yread_choice(const struct ccs_ynode *map, const char *key, bool required,
                      const char *const *choices, int *out, struct ccs_diag *d)
{
    int rc;
    const struct ccs_ynode *n = lookup(map, key, required, &rc, d);
    if (n == NULL)
        return rc;
    size_t nc = 0;
    while (choices[nc] != NULL)
        nc++;
    if (n->kind == CCS_Y_SCALAR) {
        for (size_t i = 0; i < nc; i++) {
            if (strcmp(n->text, choices[i]) == 0) {
                *out = (int)i;
                return 0;
            }
        }
    }
    char list[256] = "";
    size_t used = 0;
    for (size_t i = 0; i < nc && used < sizeof list; i++)
        used += (size_t)snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "",
                                 choices[i]);
    if (n->kind != CCS_Y_SCALAR)
        return ccs__yerr(d, CCS_ESCHEMA, n, "'%s' must be one of %s, got %s", key, list,
                         ccs__ykind_name(n));
    const char *close = ccs__closest(n->text, choices, nc);
    char buf[48];
    if (close != NULL)
        return ccs__yerr(d, CCS_ESCHEMA, n, "unknown %s '%s'; did you mean '%s'? (one of %s)",
                         key, shown(n, buf, sizeof buf), close, list);
    return ccs__yerr(d, CCS_ESCHEMA, n, "unknown %s '%s' (one of %s)", key,
                     shown(n, buf, sizeof buf), list);
}

size_t ccs__list_item_span(const char *s)
{
    int depth = 0;
    char quote = 0;
    size_t i = 0;
    for (; s[i] != '\0'; i++) {
        char c = s[i];
        if (quote != 0) {
            if (c == quote)
                quote = 0;
            else if (c == '\\' && quote == '"' && s[i + 1] != '\0')
                i++;
        } else if (c == '\'' || c == '"') {
            quote = c;
        } else if (c == '[' || c == '{') {
            depth++;
        } else if ((c == ']' || c == '}') && depth > 0) {
            depth--;
        } else if (c == ',' && depth == 0) {
            break;
        }
    }
    return i;
}
