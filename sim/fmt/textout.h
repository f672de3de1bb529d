/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * textout.h - the number and string spellings every ccsim output shares, so
 * that files stay byte-identical across runs and formats agree: numbers with
 * 10 significant digits (never "-0"), JSON strings escaped.
 */
#ifndef CCS_FMT_TEXTOUT_H
#define CCS_FMT_TEXTOUT_H

#include <stdio.h>

/* v as %.10g, or `undefined` ("" in CSV, "null" in JSON) when not finite. */
void ccs__out_num(FILE *f, double v, const char *undefined);

/* s as a JSON string literal, quotes included; NULL as null. */
void ccs__out_json_str(FILE *f, const char *s);

#endif
