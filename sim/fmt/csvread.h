/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * csvread.h - read the tidy CSV files ccsim writes (and compare.csv): a
 * header line naming the columns, then rows. RFC 4180 quoting is understood
 * ("a,b" and "say ""hi""") so hand-edited or spreadsheet-saved files read too.
 */
#ifndef CCS_FMT_CSVREAD_H
#define CCS_FMT_CSVREAD_H

#include "ccs/error.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#define CCS_CSV_MAX_COLS 64

struct ccs__csv {
    FILE *f;
    const char *path;
    char *line;   /* the current physical line(s), fields point into buf */
    size_t cap;
    char *buf;    /* unquoted fields, NUL-separated */
    size_t buf_cap;
    size_t n_head;
    char *head[CCS_CSV_MAX_COLS]; /* column names (owned) */
    size_t n;                      /* fields in the current row */
    const char *field[CCS_CSV_MAX_COLS];
    long lineno;                   /* 1-based line of the current row */
};

/* Open path and read its header. Returns 0, CCS_EIO (cannot open: d says why)
   or CCS_EPARSE (no header). */
int ccs__csv_open(struct ccs__csv *c, const char *path, struct ccs_diag *d);
/* Index of the column named name, or -1. */
int ccs__csv_col(const struct ccs__csv *c, const char *name);
/* Read the next row: true, or false at the end (or on a read error). Rows
   with fewer fields than the header read the missing ones as "". */
bool ccs__csv_next(struct ccs__csv *c);
/* Field i of the current row ("" when i < 0 or beyond the row). */
const char *ccs__csv_get(const struct ccs__csv *c, int i);
/* Field i as a number; NaN when empty or not a number. */
double ccs__csv_num(const struct ccs__csv *c, int i);
void ccs__csv_close(struct ccs__csv *c);

#endif
