/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * csvread.c - the tidy-CSV reader of csvread.h over the streaming reader of
 * csv.h, keeping the small interface the report and chart code use: exact
 * column names, "" for missing fields, NaN for fields that are not numbers.
 */
#include "fmt/csvread.h"

#include "fmt/csv.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

int ccs__csv_open(struct ccs__csv *c, const char *path, struct ccs_diag *d)
{
    memset(c, 0, sizeof *c);
    struct ccs__csv_dialect dl;
    ccs__csv_dialect_init(&dl);
    int rc = ccs__csvr_new(path, &dl, &c->r, &c->diag);
    if (rc == 0 && (ccs__csvr_ncols(c->r) == 0 || ccs__csvr_colname(c->r, 0)[0] == '\0'))
        rc = ccs_diag_at(&c->diag, CCS_EPARSE, path, 1, 1, "expected a CSV header line");
    if (rc != 0) {
        if (d != NULL && d->code == 0)
            *d = c->diag;
        ccs__csvr_free(c->r);
        c->r = NULL;
        return rc;
    }
    return 0;
}

int ccs__csv_col(const struct ccs__csv *c, const char *name)
{
    size_t n = ccs__csv_ncols(c);
    for (size_t i = 0; i < n; i++)
        if (strcmp(ccs__csvr_colname(c->r, i), name) == 0)
            return (int)i;
    return -1;
}

size_t ccs__csv_ncols(const struct ccs__csv *c)
{
    return c->r != NULL ? ccs__csvr_ncols(c->r) : 0;
}

const char *ccs__csv_colname(const struct ccs__csv *c, size_t i)
{
    return c->r != NULL ? ccs__csvr_colname(c->r, i) : "";
}

bool ccs__csv_next(struct ccs__csv *c)
{
    return c->r != NULL && ccs__csvr_next(c->r, &c->diag);
}

const char *ccs__csv_get(const struct ccs__csv *c, int i)
{
    return c->r != NULL && i >= 0 ? ccs__csvr_get(c->r, (size_t)i) : "";
}

double ccs__csv_num(const struct ccs__csv *c, int i)
{
    const char *s = ccs__csv_get(c, i);
    char *end;
    if (*s == '\0')
        return NAN;
    double v = strtod(s, &end);
    return *end == '\0' ? v : NAN;
}

void ccs__csv_close(struct ccs__csv *c)
{
    ccs__csvr_free(c->r);
    c->r = NULL;
}
