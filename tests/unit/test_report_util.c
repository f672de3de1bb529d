/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_report_util.c - spellings the report writers share: durations of
 * an hour or more as h:mm:ss (never "1395501.87s"), the day and clock
 * columns of the per-interval CSV files, channel names.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fmt/datetime.h"
#include "model/scenario.h"
#include "out/report_util.h"

#include <math.h>
#include <string.h>

static void kv(enum ccs_unit u, double v, unsigned flags, const char *want)
{
    char buf[64];
    ccs__kpi_text(buf, sizeof buf, u, v, flags);
    assert_string_equal(buf, want);
}

static void test_durations(void **state)
{
    (void)state;
    /* below an hour: seconds with two decimals, as before */
    kv(CCS_UNIT_SECONDS, 12.04, 0, "12.04s");
    kv(CCS_UNIT_SECONDS, 3599.4, 0, "3599.40s");
    kv(CCS_UNIT_SECONDS, 12.04, CCS_KV_SPACE, "12.04 s");
    /* from an hour on: h:mm:ss, hours unbounded, rounded to the second */
    kv(CCS_UNIT_SECONDS, 3600, 0, "1:00:00");
    kv(CCS_UNIT_SECONDS, 4733.05, 0, "1:18:53");
    kv(CCS_UNIT_SECONDS, 1395501.87, 0, "387:38:22");
    kv(CCS_UNIT_SECONDS, 12534.4, CCS_KV_SPACE, "3:28:54");
    /* differences keep their sign; zero has none */
    kv(CCS_UNIT_SECONDS, 3720, CCS_KV_SIGN, "+1:02:00");
    kv(CCS_UNIT_SECONDS, -3720, CCS_KV_SIGN, "-1:02:00");
    kv(CCS_UNIT_SECONDS, 0.2, CCS_KV_SIGN | CCS_KV_HMS, "0:00:00");
    kv(CCS_UNIT_SECONDS, 310.85, CCS_KV_HMS, "0:05:11");
    kv(CCS_UNIT_SECONDS, NAN, 0, "-");
    /* a long value's half-width in the same spelling */
    char buf[96];
    ccs__kpi_ci(buf, sizeof buf, CCS_UNIT_SECONDS, 4733.05, 310.85, 0);
    assert_string_equal(buf, "1:18:53 ± 0:05:11");
    ccs__kpi_ci(buf, sizeof buf, CCS_UNIT_SECONDS, 62.41, 14.18, 0);
    assert_string_equal(buf, "62.41s ± 14.18s");
    /* other units untouched */
    kv(CCS_UNIT_FRACTION, 0.8093, 0, "80.93%");
    kv(CCS_UNIT_COUNT, 3355, 0, "3355");
}

static void dc(const struct ccs_scenario *sc, double t, const char *day, const char *clock)
{
    char d[16], c[48];
    ccs__day_clock(sc, t, d, sizeof d, c, sizeof c);
    assert_string_equal(d, day);
    assert_string_equal(c, clock);
}

static void test_day_clock(void **state)
{
    (void)state;
    struct ccs_scenario sc;
    memset(&sc, 0, sizeof sc);
    dc(&sc, 0, "1", "00:00:00");
    sc.start_time = 8 * 3600;
    dc(&sc, 0, "1", "08:00:00");
    dc(&sc, 1800, "1", "08:30:00");
    dc(&sc, 16 * 3600 - 1, "1", "23:59:59");
    dc(&sc, 16 * 3600, "2", "00:00:00");
    dc(&sc, 16 * 3600 - 0.2, "1", "23:59:59"); /* truncated, never "day 1 00:00" */
    dc(&sc, 3 * 86400 + 5.5, "4", "08:00:05");
    /* a dated run: the calendar date, across a month end */
    sc.dated = true;
    sc.date = (int32_t)ccs__days_from_civil(2026, 10, 31);
    dc(&sc, 0, "2026-10-31", "08:00:00");
    dc(&sc, 16 * 3600 + 60, "2026-11-01", "00:01:00");
}

static void test_names(void **state)
{
    (void)state;
    assert_string_equal(ccs__channel_name(CCS_CH_VOICE), "voice");
    assert_string_equal(ccs__channel_name(CCS_CH_EMAIL), "email");
    assert_string_equal(ccs__channel_name(CCS_CH_OUTBOUND), "outbound");
    assert_string_equal(ccs__channel_name(CCS_CH_COUNT_), "?");
    char buf[16];
    ccs__date_text(ccs__days_from_civil(1999, 10, 12), buf, sizeof buf);
    assert_string_equal(buf, "1999-10-12");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_durations),
        cmocka_unit_test(test_day_clock),
        cmocka_unit_test(test_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
