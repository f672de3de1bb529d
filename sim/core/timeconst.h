/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * timeconst.h - the calendar units in seconds, spelled once. Time inside
 * ccsim is a double count of seconds, so these are doubles; integer code
 * (clock labels) converts them once where it needs whole units.
 */
#ifndef CCS_CORE_TIMECONST_H
#define CCS_CORE_TIMECONST_H

#define CCS_MINUTE 60.0
#define CCS_HOUR 3600.0
#define CCS_DAY 86400.0
#define CCS_WEEK 604800.0

#endif
