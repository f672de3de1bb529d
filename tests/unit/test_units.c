/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_units.c - numbers with units as written in scenarios and on the
 * command line: durations, rates, fractions, strict numbers, integers and
 * booleans, each with its exact error explanation; and the compact duration
 * format of reports.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ccs/ccs.h"

#include <math.h>
#include <string.h>

/* Relative agreement to 1e-12 (all inputs here are short decimals). */
static int close_to(double got, double want)
{
    return fabs(got - want) <= 1e-12 * fabs(want) || got == want;
}

struct ok_case {
    const char *text;
    double want;
};

struct bad_case {
    const char *text;
    const char *why;
};

static void test_durations(void **state)
{
    (void)state;
    static const struct ok_case ok[] = {
        {"20s", 20},          {"4m", 240},           {"1.5h", 5400},      {"2d", 172800},
        {"1w", 604800},       {"250ms", 0.25},       {"08:30", 30600},    {"8:30:15", 30615},
        {" 3 min ", 180},     {"0", 0},              {"0.0", 0},          {"3 minutes", 180},
        {"2 hours", 7200},    {"1 day", 86400},      {"45 sec", 45},      {"1.5H", 5400},
        {"00:00", 0},         {"23:59:59", 86399},   {"24:00", 86400},    {"1e2s", 100},
        {"+5s", 5},           {".5m", 30},           {"2 weeks", 1209600},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        double v = -1;
        const char *why = NULL;
        int rc = ccs_parse_duration(ok[i].text, &v, &why);
        if (rc != 0 || !close_to(v, ok[i].want))
            fail_msg("'%s': rc %d (%s), got %g, want %g", ok[i].text, rc, why ? why : "-", v,
                     ok[i].want);
    }

    static const struct bad_case bad[] = {
        {"30", "missing unit: write e.g. 20s, 4m, 1.5h or 2d"},
        {"1.5", "missing unit: write e.g. 20s, 4m, 1.5h or 2d"},
        {"3x", "unknown time unit (use ms, s, m, h, d or w)"},
        {"3 fortnights", "unknown time unit (use ms, s, m, h, d or w)"},
        {"3s extra", "unexpected characters after the duration"},
        {"08:75", "minutes and seconds of a clock time must be below 60"},
        {"08:30:60", "minutes and seconds of a clock time must be below 60"},
        {"8:3", "clock time must look like 08:30 or 08:30:15"},
        {"08:30:1", "clock time must look like 08:30 or 08:30:15"},
        {"08:30x", "clock time must look like 08:30 or 08:30:15"},
        {"", "expected a duration such as 20s, 4m, 1.5h or 2d"},
        {"   ", "expected a duration such as 20s, 4m, 1.5h or 2d"},
        {"abc", "expected a duration such as 20s, 4m, 1.5h or 2d"},
        {"s", "expected a duration such as 20s, 4m, 1.5h or 2d"},
        {"1e999s", "number out of range"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        double v = 12345;
        const char *why = NULL;
        int rc = ccs_parse_duration(bad[i].text, &v, &why);
        if (rc != CCS_EPARSE || why == NULL || strcmp(why, bad[i].why) != 0)
            fail_msg("'%s': rc %d, why '%s', want '%s'", bad[i].text, rc, why ? why : "(null)",
                     bad[i].why);
    }
    /* why may be NULL */
    double v;
    assert_int_equal(ccs_parse_duration("30", &v, NULL), CCS_EPARSE);
}

static void test_rates(void **state)
{
    (void)state;
    static const struct ok_case ok[] = {
        {"95/min", 95.0 / 60},  {"5700/h", 5700.0 / 3600}, {"2/s", 2},
        {"100/d", 100.0 / 86400}, {" 95 / min ", 95.0 / 60}, {"1.5/m", 1.5 / 60},
        {"0/h", 0},             {"12/hour", 12.0 / 3600},  {"3/sec", 3},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        double v = -1;
        const char *why = NULL;
        int rc = ccs_parse_rate(ok[i].text, &v, &why);
        if (rc != 0 || !close_to(v, ok[i].want))
            fail_msg("'%s': rc %d (%s), got %g, want %g", ok[i].text, rc, why ? why : "-", v,
                     ok[i].want);
    }
    static const struct bad_case bad[] = {
        {"95", "missing unit: write e.g. 95/min or 5700/h"},
        {"95 per min", "expected a rate such as 95/min or 5700/h"},
        {"", "expected a rate such as 95/min or 5700/h"},
        {"/min", "expected a rate such as 95/min or 5700/h"},
        {"10/fortnight", "unknown rate unit (use /s, /min, /h or /d)"},
        {"10/", "unknown rate unit (use /s, /min, /h or /d)"},
        /* per millisecond: a time unit, but not a rate unit */
        {"10/ms", "unknown rate unit (use /s, /min, /h or /d)"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        double v = 12345;
        const char *why = NULL;
        int rc = ccs_parse_rate(bad[i].text, &v, &why);
        if (rc != CCS_EPARSE || why == NULL || strcmp(why, bad[i].why) != 0)
            fail_msg("'%s': rc %d, why '%s', want '%s'", bad[i].text, rc, why ? why : "(null)",
                     bad[i].why);
    }
}

static void test_fractions(void **state)
{
    (void)state;
    static const struct ok_case ok[] = {
        {"80%", 0.8}, {"0.8", 0.8}, {"100%", 1}, {"0%", 0}, {"1", 1},
        {"0", 0},     {" 12.5 % ", 0.125}, {"0.05", 0.05},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        double v = -1;
        const char *why = NULL;
        int rc = ccs_parse_fraction(ok[i].text, &v, &why);
        if (rc != 0 || !close_to(v, ok[i].want))
            fail_msg("'%s': rc %d (%s), got %g, want %g", ok[i].text, rc, why ? why : "-", v,
                     ok[i].want);
    }
    static const struct bad_case bad[] = {
        {"180%", "must lie between 0% and 100%"},
        {"1.5", "must lie between 0% and 100%"},
        {"-10%", "must lie between 0% and 100%"},
        {"-0.1", "must lie between 0% and 100%"},
        {"80%x", "unexpected characters after '%'"},
        {"80 percent", "expected a percentage such as 80% or a fraction such as 0.8"},
        {"", "expected a percentage such as 80% or a fraction such as 0.8"},
        {"high", "expected a percentage such as 80% or a fraction such as 0.8"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        double v = 12345;
        const char *why = NULL;
        int rc = ccs_parse_fraction(bad[i].text, &v, &why);
        if (rc != CCS_EPARSE || why == NULL || strcmp(why, bad[i].why) != 0)
            fail_msg("'%s': rc %d, why '%s', want '%s'", bad[i].text, rc, why ? why : "(null)",
                     bad[i].why);
        assert_true(v == 12345); /* untouched on error */
    }
}

static void test_numbers_and_ints(void **state)
{
    (void)state;
    static const struct ok_case ok[] = {
        {"1e3", 1000}, {"42", 42}, {"-3.25", -3.25}, {" 7 ", 7}, {"+2", 2},
        {"1E-3", 1e-3}, {".5", 0.5}, {"5.", 5},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        double v = -1;
        const char *why = NULL;
        int rc = ccs_parse_number(ok[i].text, &v, &why);
        if (rc != 0 || !close_to(v, ok[i].want))
            fail_msg("'%s': rc %d (%s), got %g, want %g", ok[i].text, rc, why ? why : "-", v,
                     ok[i].want);
    }
    /* strtod would take all of these; a scenario must not */
    static const struct bad_case bad[] = {
        {"0x10", "unexpected characters after the number"},
        {"inf", "expected a number"},
        {"-inf", "expected a number"},
        {"nan", "expected a number"},
        {"infinity", "expected a number"},
        {"", "expected a number"},
        {".", "expected a number"},
        {"1e", "unexpected characters after the number"},
        {"12abc", "unexpected characters after the number"},
        {"1,5", "unexpected characters after the number"},
        {"1e999", "number out of range"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        double v = 12345;
        const char *why = NULL;
        int rc = ccs_parse_number(bad[i].text, &v, &why);
        if (rc != CCS_EPARSE || why == NULL || strcmp(why, bad[i].why) != 0)
            fail_msg("number '%s': rc %d, why '%s', want '%s'", bad[i].text, rc,
                     why ? why : "(null)", bad[i].why);
        assert_true(v == 12345);
    }

    long long n = -1;
    const char *why = NULL;
    assert_int_equal(ccs_parse_int("42", &n, &why), 0);
    assert_true(n == 42);
    assert_int_equal(ccs_parse_int(" -17 ", &n, &why), 0);
    assert_true(n == -17);
    assert_int_equal(ccs_parse_int("+5", &n, &why), 0);
    assert_true(n == 5);
    assert_int_equal(ccs_parse_int("9223372036854775807", &n, &why), 0);
    assert_true(n == 9223372036854775807LL);
    static const struct bad_case bad_int[] = {
        {"1e3", "expected a whole number"},  {"1.0", "expected a whole number"},
        {"0x10", "expected a whole number"}, {"inf", "expected a whole number"},
        {"nan", "expected a whole number"},  {"", "expected a whole number"},
        {"-", "expected a whole number"},    {"12 monkeys", "expected a whole number"},
        {"9223372036854775808", "number out of range"},
        {"-99999999999999999999", "number out of range"},
    };
    for (size_t i = 0; i < sizeof bad_int / sizeof bad_int[0]; i++) {
        n = 12345;
        why = NULL;
        int rc = ccs_parse_int(bad_int[i].text, &n, &why);
        if (rc != CCS_EPARSE || why == NULL || strcmp(why, bad_int[i].why) != 0)
            fail_msg("int '%s': rc %d, why '%s', want '%s'", bad_int[i].text, rc,
                     why ? why : "(null)", bad_int[i].why);
        assert_true(n == 12345);
    }

    /* seeds: the whole unsigned 64-bit range, and nothing else */
    uint64_t u = 0;
    assert_int_equal(ccs_parse_u64("18446744073709551615", &u, &why), 0);
    assert_true(u == UINT64_MAX);
    assert_int_equal(ccs_parse_u64(" +7 ", &u, &why), 0);
    assert_true(u == 7);
    static const struct bad_case bad_u64[] = {
        {"-1", "expected a whole number from 0 to 2^64-1"},
        {"-0", "expected a whole number from 0 to 2^64-1"},
        {"1.5", "expected a whole number from 0 to 2^64-1"},
        {"", "expected a whole number from 0 to 2^64-1"},
        {"7x", "expected a whole number from 0 to 2^64-1"},
        {"18446744073709551616", "number out of range (at most 2^64-1)"},
    };
    for (size_t i = 0; i < sizeof bad_u64 / sizeof bad_u64[0]; i++) {
        u = 12345;
        why = NULL;
        int rc = ccs_parse_u64(bad_u64[i].text, &u, &why);
        if (rc != CCS_EPARSE || why == NULL || strcmp(why, bad_u64[i].why) != 0)
            fail_msg("u64 '%s': rc %d, why '%s', want '%s'", bad_u64[i].text, rc,
                     why ? why : "(null)", bad_u64[i].why);
        assert_true(u == 12345);
    }
}

static void test_bools(void **state)
{
    (void)state;
    const char *yes[] = {"true", "yes", "on", "TRUE", "Yes", "On"};
    const char *no[] = {"false", "no", "off", "FALSE", "No", "OFF"};
    for (size_t i = 0; i < 6; i++) {
        bool b = false;
        assert_int_equal(ccs_parse_bool(yes[i], &b, NULL), 0);
        assert_true(b);
        assert_int_equal(ccs_parse_bool(no[i], &b, NULL), 0);
        assert_false(b);
    }
    const char *bad[] = {"1", "0", "y", "n", "", "truee", "maybe"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        bool b = true;
        const char *why = NULL;
        assert_int_equal(ccs_parse_bool(bad[i], &b, &why), CCS_EPARSE);
        assert_string_equal(why, "expected true or false");
        assert_true(b);
    }
}

static void test_format_duration(void **state)
{
    (void)state;
    static const struct {
        double sec;
        const char *want;
    } cases[] = {
        {20, "20s"},     {240, "4m"},     {5400, "1.5h"}, {172800, "2d"},  {12.5, "12.5s"},
        {0, "0s"},       {0.25, "0.25s"}, {59, "59s"},    {60, "1m"},      {90, "1.5m"},
        {3600, "1h"},    {86400, "1d"},   {-120, "-2m"},  {1e7, "115.741d"}, {INFINITY, "inf"},
        {-INFINITY, "-inf"},
    };
    char buf[32];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ccs_format_duration(cases[i].sec, buf, sizeof buf);
        if (strcmp(buf, cases[i].want) != 0)
            fail_msg("%g s: got '%s', want '%s'", cases[i].sec, buf, cases[i].want);
    }
    /* the formats parse back (round trip) */
    const double back[] = {20, 240, 5400, 172800, 12.5, 0.25, 90, 604800 * 3.0};
    for (size_t i = 0; i < sizeof back / sizeof back[0]; i++) {
        double v;
        ccs_format_duration(back[i], buf, sizeof buf);
        assert_int_equal(ccs_parse_duration(buf, &v, NULL), 0);
        assert_true(close_to(v, back[i]));
    }
    /* always NUL-terminated, even when truncated */
    char small[4];
    memset(small, 'x', sizeof small);
    ccs_format_duration(123456, small, sizeof small);
    assert_int_equal(strlen(small), 3);
    /* cap 0 writes nothing */
    small[0] = 'q';
    ccs_format_duration(5, small, 0);
    assert_int_equal(small[0], 'q');
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_durations),
        cmocka_unit_test(test_rates),
        cmocka_unit_test(test_fractions),
        cmocka_unit_test(test_numbers_and_ints),
        cmocka_unit_test(test_bools),
        cmocka_unit_test(test_format_duration),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
