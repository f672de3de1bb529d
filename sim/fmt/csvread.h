/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * csvread.h - read the tidy CSV files ccsim writes (and compare.csv): a
 * header line naming the columns, then rows. A thin layer over the streaming
 * reader (csv.h): RFC 4180 quoting, linear in every case, regular files
 * only, its size and row limits; the first error is kept for the caller.
 */
#ifndef CCS_FMT_CSVREAD_H
#define CCS_FMT_CSVREAD_H

#include "ccs/error.h"

#include <stdbool.h>
#include <stddef.h>

struct ccs__csvr;

struct ccs__csv {
    struct ccs__csvr *r;
    struct ccs_diag diag; /* the first error (opening or reading), code 0 if none */
};

/* Open path and read its header. Returns 0, CCS_EIO (cannot open, not a
   regular file: d says why) or CCS_EPARSE (no header). */
int ccs__csv_open(struct ccs__csv *c, const char *path, struct ccs_diag *d);
/* Index of the column named name (exactly), or -1. */
int ccs__csv_col(const struct ccs__csv *c, const char *name);
/* Columns of the header and the name of column i ("" beyond). */
size_t ccs__csv_ncols(const struct ccs__csv *c);
const char *ccs__csv_colname(const struct ccs__csv *c, size_t i);
/* Read the next row: true, or false at the end or on an error (then
   c->diag says where and what). Rows with fewer fields than the header read
   the missing ones as "". */
bool ccs__csv_next(struct ccs__csv *c);
/* Field i of the current row ("" when i < 0 or beyond the row). */
const char *ccs__csv_get(const struct ccs__csv *c, int i);
/* Field i as a number; NaN when empty or not a number. */
double ccs__csv_num(const struct ccs__csv *c, int i);
/* NULL-safe on a closed or never-opened (zeroed) reader. */
void ccs__csv_close(struct ccs__csv *c);

#endif
