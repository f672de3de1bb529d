/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * textout.h - the spellings every ccsim output shares, one of each, so that
 * files stay byte-identical across runs and writers agree: numbers in files
 * and in tables, JSON strings, CSV fields and clock labels. Knows nothing
 * of contact centers; docs/internals.md ("Output spellings") has the rules.
 */
#ifndef CCS_FMT_TEXTOUT_H
#define CCS_FMT_TEXTOUT_H

#include <stddef.h>
#include <stdio.h>

/* --- numbers in files ---------------------------------------------------------------- */

/*
 * Every number a machine reads back (CSV, JSON, gnuplot variables) has
 * this many significant digits: more than any KPI needs, few enough that
 * the same results print the same bytes whatever the order of summation.
 */
#define CCS_NUM_DIGITS 10

/* v as %.10g, never "-0"; `undefined` ("" in CSV, "null" in JSON) when v
   is NaN or infinite. */
void ccs__out_num(FILE *f, double v, const char *undefined);

/* The same spelling into buf (always NUL-terminated; 32 bytes hold any
   number). Returns what snprintf returns. */
int ccs__num_str(char *buf, size_t cap, double v, const char *undefined);

/* --- the end of a writer ------------------------------------------------------------ */

/* What a writer returns when it is done with f: CCS_EIO if any write to f
   failed (its error indicator is set), else 0. Closing stays the caller's. */
int ccs__out_status(FILE *f);

/* --- numbers in tables --------------------------------------------------------------- */

enum {
    CCS_FIX_SIGN = 1u << 0 /* "+" before a positive value (a difference) */
};

/*
 * v rounded to `decimals` places (0 to 20) for people ("%.*f"). A value that rounds
 * to zero prints as zero without a sign ("0.00", never "-0.00" or
 * "+0.00"); with CCS_FIX_SIGN any other positive value gets a "+". NaN
 * prints "-" (a table's "undefined"), infinities "inf" / "-inf". Always
 * NUL-terminates buf.
 */
void ccs__fixed(char *buf, size_t cap, double v, int decimals, unsigned flags);

/* --- JSON ---------------------------------------------------------------------------- */

/*
 * s as a JSON string literal, quotes included; NULL as null. Escaped: '"',
 * '\\', every control character (C0, DEL, C1) as \u00XX, and U+2028,
 * U+2029 (line breaks to JavaScript) as \u2028, \u2029. Valid UTF-8 passes
 * through as it is; each byte that does not start a valid UTF-8 sequence
 * (stray, overlong, surrogate, beyond U+10FFFF, truncated) becomes
 * \ufffd, the replacement character. The output is valid JSON and valid
 * UTF-8 whatever s holds, and reads back through our YAML reader.
 */
void ccs__out_json_str(FILE *f, const char *s);

/* v as a JSON number (%.10g), or null when not finite. */
void ccs__out_json_num(FILE *f, double v);

/* --- CSV ----------------------------------------------------------------------------- */

/*
 * s as one CSV field (RFC 4180): written as it is, unless it holds a
 * comma, a double quote, CR or LF, or starts or ends with a space or tab
 * (which readers trim); then in double quotes, with quotes doubled. NULL
 * and "" write nothing (an empty field). Bytes pass through unchanged.
 */
void ccs__csv_field(FILE *f, const char *s);

/* --- clock labels -------------------------------------------------------------------- */

/* How ccs__clock spells a time: OR these together. */
enum {
    CCS_CLK_HMS = 1u << 0,       /* "08:30:05" (default "08:30") */
    CCS_CLK_TENTHS = 1u << 1,    /* "08:30:05.2" */
    CCS_CLK_FLOOR = 1u << 2,     /* the unit shown that has begun, as a ticking
                                    clock (default: the nearest) */
    CCS_CLK_DAY = 1u << 3,       /* "d2 08:30" past the first day */
    CCS_CLK_DAY_AFTER = 1u << 4, /* "08:30:05 day 2" past the first day */
    CCS_CLK_HOURS = 1u << 5,     /* no day: hours run on past 24 ("25:00") */
    CCS_CLK_SPAN = 1u << 6       /* a duration on a stopwatch, with seconds:
                                    "4:05", "1:02:10" (leading unit unpadded) */
};

/*
 * t, seconds after midnight of the first day (day 1), as a clock label:
 * "hh:mm", rounded to the nearest minute unless `how` says otherwise. Past
 * the first day the day is dropped (hours modulo 24) unless CCS_CLK_DAY,
 * CCS_CLK_DAY_AFTER or CCS_CLK_HOURS says how to show it. NaN and negative
 * t count as 0; t beyond 1e15 s as 1e15. Always NUL-terminates buf (48
 * bytes hold any label).
 */
void ccs__clock(char *buf, size_t cap, double t, unsigned how);

/* "08:30-09:00": t0 spelled as ccs__clock does with `how`, then t1 without
   a day (so "d2 23:30-00:00"). */
void ccs__clock_range(char *buf, size_t cap, double t0, double t1, unsigned how);

#endif
