/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * units.h - parsing of numbers with units as they appear in scenario files
 * and on the command line (public, so that front ends and embedders read
 * values exactly as scenarios do): durations ("20s", "4m", "1.5h", "2d", "08:30"),
 * rates ("95/min", "5700/h"), fractions ("80%", "0.8"), plain numbers.
 *
 * Also the two spellings front ends share with the files: durations for
 * reports and numbers for CSV and JSON.
 *
 * Every parser returns 0 and stores the value (in seconds, per second, or as
 * a fraction), or returns CCS_EPARSE and points *why at a static, lowercase
 * explanation suitable for "error: bad duration '3x': <why>". why may be NULL.
 */
#ifndef CCS_UNITS_H
#define CCS_UNITS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Strict decimal number: optional sign, digits, '.', exponent; finite. */
int ccs_parse_number(const char *s, double *out, const char **why);

/* Strict decimal integer (no fraction, no exponent), within long long. */
int ccs_parse_int(const char *s, long long *out, const char **why);

/* Strict unsigned decimal integer from 0 to 2^64-1 (no sign, no fraction):
   seeds. */
int ccs_parse_u64(const char *s, uint64_t *out, const char **why);

/* true/false, yes/no, on/off. */
int ccs_parse_bool(const char *s, bool *out, const char **why);

/*
 * Duration in seconds. Units: ms, s, m (= min), h, d, w; words such as
 * "sec", "min", "hour", "day" are accepted too; parts add up ("1h30m",
 * "2d 4h"), one sign for the whole. A clock time "H:MM" or
 * "H:MM:SS" is the offset from midnight. A bare "0" is allowed; any other
 * bare number is an error (a missing unit is the commonest slip).
 */
int ccs_parse_duration(const char *s, double *seconds, const char **why);

/* Rate per second from "N/UNIT" or "N/K UNIT" (e.g. 100/30min), UNIT one of
   s, min (m), h, d. */
int ccs_parse_rate(const char *s, double *per_second, const char **why);

/* "80%" -> 0.8; a bare number must lie in [0, 1]. */
int ccs_parse_fraction(const char *s, double *out, const char **why);

/*
 * Format a duration compactly for reports: "20s", "4m", "1.5h", "2d",
 * "12.5s". Always NUL-terminates buf.
 */
void ccs_format_duration(double seconds, char *buf, size_t cap);

/*
 * Format v as ccsim's CSV and JSON files write numbers: 10 significant
 * digits ("%.10g"), never "-0"; "" when v is NaN or infinite (JSON
 * writers print null then). Always NUL-terminates buf; 32 bytes hold any
 * number.
 */
void ccs_format_number(double v, char *buf, size_t cap);

#endif
