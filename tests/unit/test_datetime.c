/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_datetime.c - dates, times and time zones of sim/fmt/datetime.c and
 * sim/fmt/tz.c: the calendar (day numbers, weekdays, invalid dates), every
 * declared date and time format with its exact error, ISO 8601 offsets,
 * and zones: UTC, fixed offsets, POSIX rules, hand-made TZif files (v1, and
 * v2 whose footer alone carries the rule), and tzdata's Europe/Berlin and
 * America/New_York on their 23- and 25-hour days, with local times in the
 * skipped and the repeated hour. Without tzdata the zone-file tests skip.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ccs/error.h"
#include "fmt/datetime.h"
#include "fmt/tz.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* --- the calendar ------------------------------------------------------------------- */

static void test_calendar(void **state)
{
    (void)state;
    static const struct {
        int y, m, d;
        int64_t days;
        int wd; /* 0 = Monday */
    } known[] = {
        {1970, 1, 1, 0, 3},         {1969, 12, 31, -1, 2},      {2000, 1, 1, 10957, 5},
        {1999, 10, 1, 10865, 4},    {2024, 3, 31, 19813, 6},    {2024, 10, 27, 20023, 6},
        {2024, 2, 29, 19782, 3},    {1600, 3, 1, -135080, 2},   {1, 1, 1, -719162, 0},
        {2100, 3, 28, 47568, 6},
    };
    for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
        assert_true(ccs__days_from_civil(known[i].y, known[i].m, known[i].d) == known[i].days);
        int y, m, d;
        ccs__civil_from_days(known[i].days, &y, &m, &d);
        assert_int_equal(y, known[i].y);
        assert_int_equal(m, known[i].m);
        assert_int_equal(d, known[i].d);
        assert_int_equal(ccs__weekday(known[i].days), known[i].wd);
    }
    /* every day of four thousand years follows the one before */
    int py, pm, pd;
    ccs__civil_from_days(-730000, &py, &pm, &pd);
    for (int64_t z = -729999; z <= 730000; z++) {
        int y, m, d;
        ccs__civil_from_days(z, &y, &m, &d);
        bool next = (y == py && m == pm && d == pd + 1) ||
                    (y == py && m == pm + 1 && d == 1 && pd == ccs__days_in_month(py, pm)) ||
                    (y == py + 1 && m == 1 && d == 1 && pm == 12 && pd == 31);
        if (!next || ccs__days_from_civil(y, m, d) != z || !ccs__date_valid(y, m, d))
            fail_msg("day %lld: %d-%d-%d after %d-%d-%d", (long long)z, y, m, d, py, pm, pd);
        py = y;
        pm = m;
        pd = d;
    }
    assert_true(ccs__leap_year(2000));
    assert_true(ccs__leap_year(2024));
    assert_false(ccs__leap_year(1900));
    assert_false(ccs__leap_year(2023));
    assert_int_equal(ccs__days_in_month(2024, 2), 29);
    assert_int_equal(ccs__days_in_month(2023, 2), 28);
    assert_int_equal(ccs__days_in_month(2023, 13), 0);
    assert_false(ccs__date_valid(2024, 2, 30));
    assert_false(ccs__date_valid(2023, 2, 29));
    assert_false(ccs__date_valid(2024, 4, 31));
    assert_false(ccs__date_valid(2024, 0, 1));
    assert_true(ccs__date_valid(2024, 12, 31));
}

/* --- formats -------------------------------------------------------------------------- */

struct date_ok {
    enum ccs__date_fmt f;
    const char *text;
    int y, m, d;
};

struct bad {
    int f;
    const char *text;
    const char *why;
};

static void test_date_formats(void **state)
{
    (void)state;
    static const struct date_ok ok[] = {
        {CCS__DATE_YMD, "2024-03-31", 2024, 3, 31},
        {CCS__DATE_YMD, " 2024-3-1 ", 2024, 3, 1},
        {CCS__DATE_DMY_DOT, "31.03.2024", 2024, 3, 31},
        {CCS__DATE_DMY_DOT, "1.3.2024", 2024, 3, 1},
        {CCS__DATE_DMY_SLASH, "31/03/2024", 2024, 3, 31},
        {CCS__DATE_MDY_SLASH, "03/31/2024", 2024, 3, 31},
        {CCS__DATE_MDY_SLASH, "3/1/2024", 2024, 3, 1},
        {CCS__DATE_YYMMDD, "991001", 1999, 10, 1},
        {CCS__DATE_YYMMDD, "690101", 1969, 1, 1},
        {CCS__DATE_YYMMDD, "681231", 2068, 12, 31},
        {CCS__DATE_YYMMDD, "000229", 2000, 2, 29},
        {CCS__DATE_YYYYMMDD, "20240331", 2024, 3, 31},
        {CCS__DATE_YMD, "2024-02-29", 2024, 2, 29},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        int64_t days = -99;
        const char *why = NULL;
        int rc = ccs__date_parse(ok[i].f, ok[i].text, strlen(ok[i].text), &days, &why);
        if (rc != 0 || days != ccs__days_from_civil(ok[i].y, ok[i].m, ok[i].d))
            fail_msg("'%s' as %s: rc %d (%s)", ok[i].text, ccs__date_fmt_name(ok[i].f), rc,
                     why ? why : "-");
    }
    static const struct bad bad[] = {
        {CCS__DATE_YMD, "2024-02-30", "day out of range for the month"},
        {CCS__DATE_YMD, "2023-02-29", "february 29 in a year that is not a leap year"},
        {CCS__DATE_YMD, "2024-04-31", "day out of range for the month"},
        {CCS__DATE_YMD, "2024-13-01", "month out of range (1-12)"},
        {CCS__DATE_YMD, "2024-00-10", "month out of range (1-12)"},
        {CCS__DATE_YMD, "2024-01-00", "day out of range for the month"},
        {CCS__DATE_YMD, "31.03.2024", "expected a date as yyyy-mm-dd (e.g. 2024-03-31)"},
        {CCS__DATE_YMD, "24-03-31", "expected a date as yyyy-mm-dd (e.g. 2024-03-31)"},
        {CCS__DATE_YMD, "2024-03-311", "expected a date as yyyy-mm-dd (e.g. 2024-03-31)"},
        {CCS__DATE_YMD, "2024-03-31x", "expected a date as yyyy-mm-dd (e.g. 2024-03-31)"},
        {CCS__DATE_YMD, "", "expected a date as yyyy-mm-dd (e.g. 2024-03-31)"},
        {CCS__DATE_DMY_DOT, "31/03/2024", "expected a date as dd.mm.yyyy (e.g. 31.03.2024)"},
        {CCS__DATE_DMY_DOT, "30.02.2024", "day out of range for the month"},
        {CCS__DATE_DMY_SLASH, "31/04/2024", "day out of range for the month"},
        {CCS__DATE_MDY_SLASH, "31/03/2024", "month out of range (1-12)"},
        {CCS__DATE_MDY_SLASH, "3/31/24", "expected a date as mm/dd/yyyy (e.g. 03/31/2024)"},
        {CCS__DATE_YYMMDD, "99101", "expected a date as yymmdd (e.g. 991001)"},
        {CCS__DATE_YYMMDD, "9910011", "expected a date as yymmdd (e.g. 991001)"},
        {CCS__DATE_YYMMDD, "990230", "day out of range for the month"},
        {CCS__DATE_YYYYMMDD, "2024-03-31", "expected a date as yyyymmdd (e.g. 20240331)"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int64_t days = -99;
        const char *why = NULL;
        int rc = ccs__date_parse((enum ccs__date_fmt)bad[i].f, bad[i].text, strlen(bad[i].text),
                                 &days, &why);
        if (rc != CCS_EPARSE || why == NULL || strcmp(why, bad[i].why) != 0 || days != -99)
            fail_msg("'%s': rc %d, why '%s', want '%s'", bad[i].text, rc, why ? why : "(null)",
                     bad[i].why);
    }
    enum ccs__date_fmt f;
    assert_int_equal(ccs__date_fmt_parse("dd.mm.yyyy", &f), 0);
    assert_int_equal(f, CCS__DATE_DMY_DOT);
    assert_int_equal(ccs__date_fmt_parse("yymmdd", &f), 0);
    assert_int_equal(f, CCS__DATE_YYMMDD);
    assert_int_equal(ccs__date_fmt_parse("dd-mm-yyyy", &f), CCS_ENOTFOUND);
    assert_string_equal(ccs__date_fmt_names(),
                        "yyyy-mm-dd, dd.mm.yyyy, dd/mm/yyyy, mm/dd/yyyy, yymmdd, yyyymmdd");
    for (int k = CCS__DATE_YMD; k <= CCS__DATE_YYYYMMDD; k++) {
        assert_int_equal(ccs__date_fmt_parse(ccs__date_fmt_name((enum ccs__date_fmt)k), &f), 0);
        assert_int_equal((int)f, k);
    }
}

struct time_ok {
    enum ccs__time_fmt f;
    const char *text;
    double want;
};

static void test_time_formats(void **state)
{
    (void)state;
    static const struct time_ok ok[] = {
        {CCS__TIME_HMS, "7:15:55", 26155},     {CCS__TIME_HMS, "07:15:55", 26155},
        {CCS__TIME_HMS, "0:00:00", 0},         {CCS__TIME_HMS, "23:59:59", 86399},
        {CCS__TIME_HMS, "24:00:00", 86400},    {CCS__TIME_HMS, "07:15:55.25", 26155.25},
        {CCS__TIME_HMS, "07:15:55,5", 26155.5}, {CCS__TIME_HM, "7:15", 26100},
        {CCS__TIME_HM, "24:00", 86400},        {CCS__TIME_SECONDS, "26155", 26155},
        {CCS__TIME_SECONDS, " 12.5 ", 12.5},   {CCS__TIME_SECONDS, "100000", 100000},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        double v = -1;
        const char *why = NULL;
        int rc = ccs__time_parse(ok[i].f, ok[i].text, strlen(ok[i].text), &v, &why);
        if (rc != 0 || v != ok[i].want)
            fail_msg("'%s': rc %d (%s), got %g", ok[i].text, rc, why ? why : "-", v);
    }
    static const struct bad bad[] = {
        {CCS__TIME_HMS, "7:5:55", "expected a time as hh:mm:ss (e.g. 07:15:55 or 7:15:55)"},
        {CCS__TIME_HMS, "7:15", "expected a time as hh:mm:ss (e.g. 07:15:55 or 7:15:55)"},
        {CCS__TIME_HMS, "123:15:55", "expected a time as hh:mm:ss (e.g. 07:15:55 or 7:15:55)"},
        {CCS__TIME_HMS, "07:15:555", "expected a time as hh:mm:ss (e.g. 07:15:55 or 7:15:55)"},
        {CCS__TIME_HMS, "07:60:00", "minutes and seconds must be below 60"},
        {CCS__TIME_HMS, "07:15:60", "minutes and seconds must be below 60"},
        {CCS__TIME_HMS, "25:00:00", "hour out of range (0-23, or 24:00 for the end of the day)"},
        {CCS__TIME_HMS, "24:00:01", "hour out of range (0-23, or 24:00 for the end of the day)"},
        {CCS__TIME_HMS, "07:15:55.", "expected digits after the decimal point of the seconds"},
        {CCS__TIME_HMS, "07:15:55 pm", "unexpected characters after the time"},
        {CCS__TIME_HM, "07:15:55", "expected a time as hh:mm (e.g. 07:15)"},
        {CCS__TIME_SECONDS, "-5", "seconds must not be negative"},
        {CCS__TIME_SECONDS, "5s", "unexpected characters after the number"},
        {CCS__TIME_SECONDS, "nan", "not a finite number"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        double v = -1;
        const char *why = NULL;
        int rc = ccs__time_parse((enum ccs__time_fmt)bad[i].f, bad[i].text, strlen(bad[i].text),
                                 &v, &why);
        if (rc != CCS_EPARSE || why == NULL || strcmp(why, bad[i].why) != 0 || v != -1)
            fail_msg("'%s': rc %d, why '%s', want '%s'", bad[i].text, rc, why ? why : "(null)",
                     bad[i].why);
    }
    double v;
    const char *why = NULL;
    assert_int_equal(ccs__hms_duration_parse("0:02:05", 7, &v, &why), 0);
    assert_true(v == 125);
    assert_int_equal(ccs__hms_duration_parse("27:00:00.5", 10, &v, &why), 0);
    assert_true(v == 97200.5);
    assert_int_equal(ccs__hms_duration_parse("1:61:00", 7, &v, &why), CCS_EPARSE);
    assert_string_equal(why, "minutes and seconds must be below 60");
    assert_int_equal(ccs__hms_duration_parse("125", 3, &v, &why), CCS_EPARSE);
    assert_string_equal(why, "expected a duration as h:mm:ss (e.g. 0:02:05)");
    enum ccs__time_fmt f;
    assert_int_equal(ccs__time_fmt_parse("hh:mm:ss", &f), 0);
    assert_int_equal(f, CCS__TIME_HMS);
    assert_int_equal(ccs__time_fmt_parse("seconds", &f), 0);
    assert_int_equal(f, CCS__TIME_SECONDS);
    assert_int_equal(ccs__time_fmt_parse("h:m", &f), CCS_ENOTFOUND);
    assert_string_equal(ccs__time_fmt_names(), "hh:mm:ss, hh:mm, seconds");
}

struct iso_ok {
    const char *text;
    int y, m, d;
    double sec;
    bool has_offset;
    int32_t offset;
};

static void test_iso_datetimes(void **state)
{
    (void)state;
    static const struct iso_ok ok[] = {
        {"2024-03-31T02:30:00", 2024, 3, 31, 9000, false, 0},
        {"2024-03-31T02:30", 2024, 3, 31, 9000, false, 0},
        {"2024-03-31 02:30:00", 2024, 3, 31, 9000, false, 0},
        {"2024-03-31T02:30:00Z", 2024, 3, 31, 9000, true, 0},
        {"2024-03-31T02:30:00.125Z", 2024, 3, 31, 9000.125, true, 0},
        {"2024-03-31T02:30:00+02:00", 2024, 3, 31, 9000, true, 7200},
        {"2024-03-31T02:30:00-05:30", 2024, 3, 31, 9000, true, -19800},
        {"2024-03-31T02:30+0100", 2024, 3, 31, 9000, true, 3600},
        {"2024-03-31T02:30:00-03", 2024, 3, 31, 9000, true, -10800},
        {"2024-12-31T24:00:00", 2024, 12, 31, 86400, false, 0},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        struct ccs__datetime dt;
        const char *why = NULL;
        int rc = ccs__iso_datetime_parse(ok[i].text, strlen(ok[i].text), &dt, &why);
        if (rc != 0 || dt.day != ccs__days_from_civil(ok[i].y, ok[i].m, ok[i].d) ||
            dt.sec != ok[i].sec || dt.has_offset != ok[i].has_offset ||
            dt.offset != ok[i].offset)
            fail_msg("'%s': rc %d (%s), sec %g, offset %d", ok[i].text, rc, why ? why : "-",
                     dt.sec, (int)dt.offset);
    }
    static const struct bad bad[] = {
        {0, "2024-03-31", "expected a time after the date (e.g. 2024-03-31T02:30:00)"},
        {0, "31.03.2024 02:30", "expected an ISO 8601 date-time (e.g. 2024-03-31T02:30:00)"},
        {0, "2024-02-30T10:00", "day out of range for the month"},
        {0, "2024-03-31X02:30", "expected 'T' between the date and the time"},
        {0, "2024-03-31T25:00", "hour out of range (0-23, or 24:00 for the end of the day)"},
        {0, "2024-03-31T02:30:00+24:00", "UTC offset out of range"},
        {0, "2024-03-31T02:30:00+2", "expected a UTC offset as Z, +hh:mm, +hhmm or +hh"},
        {0, "2024-03-31T02:30:00 CET", "unexpected characters after the date-time"},
        {0, "2024-03-31T2:3", "expected a time as hh:mm (e.g. 07:15)"},
        {0, "2024-03-31T02:30:1", "expected a time as hh:mm:ss (e.g. 07:15:55 or 7:15:55)"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct ccs__datetime dt;
        const char *why = NULL;
        int rc = ccs__iso_datetime_parse(bad[i].text, strlen(bad[i].text), &dt, &why);
        if (rc != CCS_EPARSE || why == NULL || strcmp(why, bad[i].why) != 0)
            fail_msg("'%s': rc %d, why '%s', want '%s'", bad[i].text, rc, why ? why : "(null)",
                     bad[i].why);
    }

    /* a "DATE TIME" column in declared formats */
    struct ccs__datetime dt;
    const char *why = NULL;
    const char *s = "31.03.2024  2:30:15";
    assert_int_equal(ccs__datetime_parse(CCS__DATE_DMY_DOT, CCS__TIME_HMS, s, strlen(s), &dt,
                                         &why),
                     0);
    assert_true(dt.day == 19813 && dt.sec == 9015 && !dt.has_offset);
    s = "3/31/2024 7:15";
    assert_int_equal(ccs__datetime_parse(CCS__DATE_MDY_SLASH, CCS__TIME_HM, s, strlen(s), &dt,
                                         &why),
                     0);
    assert_true(dt.day == 19813 && dt.sec == 26100);
    s = "991001 7:15:55";
    assert_int_equal(ccs__datetime_parse(CCS__DATE_YYMMDD, CCS__TIME_HMS, s, strlen(s), &dt,
                                         &why),
                     0);
    assert_true(dt.day == 10865 && dt.sec == 26155);
    s = "31.03.2024T02:30:00";
    assert_int_equal(ccs__datetime_parse(CCS__DATE_DMY_DOT, CCS__TIME_HMS, s, strlen(s), &dt,
                                         &why),
                     CCS_EPARSE);
    assert_string_equal(why, "expected a blank between the date and the time");
    s = "31.03.2024";
    assert_int_equal(ccs__datetime_parse(CCS__DATE_DMY_DOT, CCS__TIME_HMS, s, strlen(s), &dt,
                                         &why),
                     CCS_EPARSE);
    assert_string_equal(why, "expected a time after the date");
    s = "31.03.2024 02:30";
    assert_int_equal(ccs__datetime_parse(CCS__DATE_DMY_DOT, CCS__TIME_HMS, s, strlen(s), &dt,
                                         &why),
                     CCS_EPARSE);
    assert_string_equal(why, "expected a time as hh:mm:ss (e.g. 07:15:55 or 7:15:55)");
    assert_int_equal(ccs__datetime_parse(CCS__DATE_DMY_DOT, CCS__TIME_SECONDS, s, strlen(s),
                                         &dt, &why),
                     CCS_EPARSE);
    assert_string_equal(why, "a date-time column needs the time as hh:mm:ss or hh:mm");
}

/* --- zones ------------------------------------------------------------------------------ */

static struct ccs__tz *zone(const char *spec)
{
    struct ccs__tz *tz = NULL;
    char why[256] = "";
    if (ccs__tz_new(spec, NULL, &tz, why, sizeof why) != 0)
        fail_msg("zone '%s': %s", spec, why);
    return tz;
}

static struct ccs__tz *posix(const char *s)
{
    struct ccs__tz *tz = NULL;
    char why[256] = "";
    if (ccs__tz_from_posix(s, &tz, why, sizeof why) != 0)
        fail_msg("'%s': %s", s, why);
    return tz;
}

static bool have_tzdata(void)
{
    if (access(CCS__TZ_DIR "/Europe/Berlin", R_OK) == 0 &&
        access(CCS__TZ_DIR "/America/New_York", R_OK) == 0)
        return true;
    print_message("tzdata is not installed (" CCS__TZ_DIR "): skipping the zone-file tests; "
                  "apt-get install tzdata\n");
    return false;
}

/* The local date y-m-d starts at UTC instant start and lasts len seconds. */
static void expect_day(const struct ccs__tz *tz, int y, int m, int d, int64_t start, int64_t len)
{
    int64_t s, l;
    ccs__tz_day(tz, ccs__days_from_civil(y, m, d), &s, &l);
    if (s != start || l != len)
        fail_msg("%s %d-%02d-%02d: start %lld length %lld, want %lld %lld", ccs__tz_name(tz), y,
                 m, d, (long long)s, (long long)l, (long long)start, (long long)len);
}

/* Local wall-clock y-m-d h:mi is UTC want (fold 0 and fold 1) and fits as fit. */
static void expect_utc(const struct ccs__tz *tz, int y, int m, int d, int h, int mi,
                       int64_t want0, int64_t want1, enum ccs__tz_fit fit)
{
    int64_t local = ccs__days_from_civil(y, m, d) * 86400 + h * 3600 + mi * 60;
    enum ccs__tz_fit f0, f1;
    int64_t u0 = ccs__tz_to_utc(tz, local, 0, &f0), u1 = ccs__tz_to_utc(tz, local, 1, &f1);
    if (u0 != want0 || u1 != want1 || f0 != fit || f1 != fit)
        fail_msg("%s %d-%02d-%02d %02d:%02d: %lld/%lld fit %d, want %lld/%lld fit %d",
                 ccs__tz_name(tz), y, m, d, h, mi, (long long)u0, (long long)u1, (int)f0,
                 (long long)want0, (long long)want1, (int)fit);
    assert_true(ccs__tz_to_utc(tz, local, 0, NULL) == want0); /* fit may be NULL */
}

/* A date-time text placed in tz: seconds since its local date's start. */
static void expect_place(const struct ccs__tz *tz, const char *iso, int fold, int y, int m,
                         int d, double since, enum ccs__tz_fit fit)
{
    struct ccs__datetime dt;
    const char *why = NULL;
    if (ccs__iso_datetime_parse(iso, strlen(iso), &dt, &why) != 0)
        fail_msg("'%s': %s", iso, why);
    int64_t day;
    double s;
    enum ccs__tz_fit f;
    ccs__tz_place(tz, &dt, fold, &day, &s, &f);
    if (day != ccs__days_from_civil(y, m, d) || s != since || f != fit)
        fail_msg("%s in %s (fold %d): day %lld, since %g, fit %d; want %d-%02d-%02d, %g, %d", iso,
                 ccs__tz_name(tz), fold, (long long)day, s, (int)f, y, m, d, since, (int)fit);
}

static void test_utc_and_fixed_offsets(void **state)
{
    (void)state;
    struct ccs__tz *utc = zone("UTC");
    assert_string_equal(ccs__tz_name(utc), "UTC");
    assert_int_equal(ccs__tz_offset(utc, 1711839600), 0);
    expect_day(utc, 2024, 3, 31, 1711843200, 86400);
    expect_utc(utc, 2024, 3, 31, 2, 30, 1711852200, 1711852200, CCS__TZ_UNIQUE);
    expect_place(utc, "2024-03-31T02:30:00", 0, 2024, 3, 31, 9000, CCS__TZ_UNIQUE);
    expect_place(utc, "2024-03-31T01:30:00-02:00", 0, 2024, 3, 31, 12600, CCS__TZ_UNIQUE);
    ccs__tz_free(utc);

    struct ccs__tz *plus2 = zone("+02:00");
    assert_int_equal(ccs__tz_offset(plus2, 0), 7200);
    expect_day(plus2, 2024, 3, 31, 1711843200 - 7200, 86400);
    expect_utc(plus2, 2024, 3, 31, 2, 30, 1711852200 - 7200, 1711852200 - 7200, CCS__TZ_UNIQUE);
    /* an explicit offset wins over the zone's: 23:30Z is 01:30 on the next local date */
    expect_place(plus2, "2024-03-30T23:30:00Z", 0, 2024, 3, 31, 5400, CCS__TZ_UNIQUE);
    ccs__tz_free(plus2);

    struct ccs__tz *tz = zone("-0530");
    assert_int_equal(ccs__tz_offset(tz, 0), -19800);
    ccs__tz_free(tz);
    tz = zone("+05");
    assert_int_equal(ccs__tz_offset(tz, 0), 18000);
    ccs__tz_free(tz);
    ccs__tz_free(NULL);

    static const struct {
        const char *spec;
        int code;
        const char *why;
    } bad[] = {
        {"+24:00", CCS_EINVAL,
         "bad UTC offset (write +hh:mm, e.g. +02:00 or -05:00, within 23:59)"},
        {"+2", CCS_EINVAL, "bad UTC offset (write +hh:mm, e.g. +02:00 or -05:00, within 23:59)"},
        {"../etc/passwd", CCS_EINVAL,
         "not a time zone: write an IANA name such as Europe/Berlin, UTC, or an offset such as "
         "+02:00"},
        {"Europe/../../etc/passwd", CCS_EINVAL,
         "not a time zone: write an IANA name such as Europe/Berlin, UTC, or an offset such as "
         "+02:00"},
        {"/etc/passwd", CCS_EINVAL,
         "not a time zone: write an IANA name such as Europe/Berlin, UTC, or an offset such as "
         "+02:00"},
        {"Central European Time", CCS_EINVAL,
         "not a time zone: write an IANA name such as Europe/Berlin, UTC, or an offset such as "
         "+02:00"},
        {"", CCS_EINVAL,
         "not a time zone: write an IANA name such as Europe/Berlin, UTC, or an offset such as "
         "+02:00"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct ccs__tz *t = (struct ccs__tz *)1;
        char why[256] = "";
        int rc = ccs__tz_new(bad[i].spec, NULL, &t, why, sizeof why);
        if (rc != bad[i].code || t != NULL || strcmp(why, bad[i].why) != 0)
            fail_msg("'%s': rc %d, '%s'", bad[i].spec, rc, why);
    }
    char why[256];
    struct ccs__tz *t;
    assert_int_equal(ccs__tz_new("Europe/Berlin", "/nonexistent/zoneinfo", &t, why, sizeof why),
                     CCS_ENOTFOUND);
    assert_string_equal(why, "no time zone database in /nonexistent/zoneinfo (install the Debian "
                             "package tzdata)");
}

/* Berlin's 2024 rules written as a POSIX TZ string, and Sydney's southern ones. */
static void test_posix_rules(void **state)
{
    (void)state;
    struct ccs__tz *cet = posix("CET-1CEST,M3.5.0,M10.5.0/3");
    expect_day(cet, 2024, 3, 30, 1711753200, 86400);
    expect_day(cet, 2024, 3, 31, 1711839600, 82800);
    expect_day(cet, 2024, 10, 27, 1729980000, 90000);
    expect_day(cet, 2100, 3, 28, 4109871600, 82800);
    expect_day(cet, 2100, 10, 31, 4128616800, 90000);
    expect_utc(cet, 2024, 3, 31, 2, 30, 1711848600, 1711848600, CCS__TZ_SKIPPED);
    expect_utc(cet, 2024, 10, 27, 2, 30, 1729989000, 1729992600, CCS__TZ_AMBIGUOUS);
    /* absurd instants are clamped, never overflow (UBSan watches) */
    int64_t st, len;
    int32_t o = ccs__tz_offset(cet, INT64_MAX);
    assert_true(o == 3600 || o == 7200);
    o = ccs__tz_offset(cet, INT64_MIN);
    assert_true(o == 3600 || o == 7200);
    assert_true(ccs__tz_to_utc(cet, INT64_MAX, 1, NULL) < INT64_MAX);
    assert_true(ccs__tz_to_utc(cet, INT64_MIN, 0, NULL) > INT64_MIN);
    ccs__tz_day(cet, INT64_MAX / 2, &st, &len);
    ccs__tz_day(cet, INT64_MIN / 2, &st, &len);
    struct ccs__datetime far = {INT64_MAX / 3, 1e9, false, 0};
    int64_t day;
    double since;
    ccs__tz_place(cet, &far, 0, &day, &since, NULL);
    ccs__tz_free(cet);

    struct ccs__tz *syd = posix("AEST-10AEDT,M10.1.0,M4.1.0/3");
    expect_day(syd, 2024, 4, 7, 1712408400, 90000);
    expect_day(syd, 2024, 10, 6, 1728136800, 82800);
    expect_day(syd, 2024, 1, 15, ccs__days_from_civil(2024, 1, 15) * 86400 - 11 * 3600, 86400);
    expect_day(syd, 2024, 7, 15, ccs__days_from_civil(2024, 7, 15) * 86400 - 10 * 3600, 86400);
    ccs__tz_free(syd);

    /* <+03>-3 style names; Jn and n dates; a DST offset other than one hour */
    struct ccs__tz *t = posix("<+03>-3");
    assert_int_equal(ccs__tz_offset(t, 0), 10800);
    ccs__tz_free(t);
    t = posix("XST3XDT2:30,J60/0,300/0"); /* DST from March 1 to day 300 (0-based) */
    int64_t mar1 = ccs__days_from_civil(2023, 3, 1) * 86400;
    assert_int_equal(ccs__tz_offset(t, mar1 + 3 * 3600 - 1), -3 * 3600);
    assert_int_equal(ccs__tz_offset(t, mar1 + 3 * 3600), -(2 * 3600 + 1800));
    int64_t d300 = (ccs__days_from_civil(2024, 1, 1) + 300) * 86400; /* 2024-10-27 */
    assert_int_equal(ccs__tz_offset(t, d300 + 9000 - 1), -(2 * 3600 + 1800));
    assert_int_equal(ccs__tz_offset(t, d300 + 9000), -3 * 3600);
    ccs__tz_free(t);
    /* all year DST (the RFC 8536 idiom) */
    t = posix("EST5EDT,0/0,J365/25");
    for (int y = 2020; y < 2030; y++)
        for (int m = 1; m <= 12; m++)
            assert_int_equal(ccs__tz_offset(t, ccs__days_from_civil(y, m, 1) * 86400), -4 * 3600);
    ccs__tz_free(t);

    static const struct {
        const char *s, *why;
    } bad[] = {
        {"", "bad POSIX TZ string: expected a zone abbreviation of 3 or more letters"},
        {"CE-1", "bad POSIX TZ string: expected a zone abbreviation of 3 or more letters"},
        {"CET", "bad POSIX TZ string: expected the standard offset after the abbreviation (e.g. "
                "CET-1)"},
        {"CET-1CEST", "bad POSIX TZ string: a daylight-saving zone needs its rule (e.g. "
                      ",M3.5.0,M10.5.0/3)"},
        {"CET-1CEST,M13.5.0,M10.5.0", "bad POSIX TZ string: bad daylight-saving rule (expected "
                                      "Jn, n or Mm.w.d, with an optional /time)"},
        {"CET-1CEST,M3.5.0,M10.5.0/3x", "bad POSIX TZ string: unexpected characters after the "
                                        "rule"},
        {"CET-25", "bad POSIX TZ string: expected the standard offset after the abbreviation "
                   "(e.g. CET-1)"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct ccs__tz *z = (struct ccs__tz *)1;
        char why[256] = "";
        int rc = ccs__tz_from_posix(bad[i].s, &z, why, sizeof why);
        if (rc != CCS_EINVAL || z != NULL || strcmp(why, bad[i].why) != 0)
            fail_msg("'%s': rc %d, '%s'", bad[i].s, rc, why);
    }
}

/* --- hand-made TZif files ----------------------------------------------------------------- */

struct tzif {
    unsigned char b[2048];
    size_t n;
};

static void put_be(struct tzif *t, uint64_t v, int bytes)
{
    for (int i = bytes - 1; i >= 0; i--)
        t->b[t->n++] = (unsigned char)(v >> (8 * i));
}

static void put_block(struct tzif *t, char version, int tsize, const int64_t *at,
                      const uint8_t *idx, size_t nt, const int32_t *off, size_t ntypes,
                      uint32_t leap)
{
    memcpy(t->b + t->n, "TZif", 4);
    t->n += 4;
    t->b[t->n++] = (unsigned char)version;
    memset(t->b + t->n, 0, 15);
    t->n += 15;
    put_be(t, 0, 4);      /* isutcnt */
    put_be(t, 0, 4);      /* isstdcnt */
    put_be(t, leap, 4);   /* leapcnt */
    put_be(t, nt, 4);     /* timecnt */
    put_be(t, ntypes, 4); /* typecnt */
    put_be(t, 4, 4);      /* charcnt: "XST\0" */
    for (size_t i = 0; i < nt; i++)
        put_be(t, (uint64_t)at[i], tsize);
    for (size_t i = 0; i < nt; i++)
        t->b[t->n++] = idx[i];
    for (size_t i = 0; i < ntypes; i++) {
        put_be(t, (uint32_t)off[i], 4);
        t->b[t->n++] = 0;
        t->b[t->n++] = 0;
    }
    memcpy(t->b + t->n, "XST", 4);
    t->n += 4;
    for (uint32_t i = 0; i < leap; i++) { /* a leap-second record: time, correction */
        put_be(t, 0, tsize);
        put_be(t, 0, 4);
    }
}

static void test_tzif_files(void **state)
{
    (void)state;
    char why[256];
    struct ccs__tz *tz;

    /* version 2 with no transitions: the footer's rule carries every date */
    struct tzif t = {.n = 0};
    int32_t off1[] = {3600};
    put_block(&t, '2', 4, NULL, NULL, 0, off1, 1, 0);
    put_block(&t, '2', 8, NULL, NULL, 0, off1, 1, 0);
    const char *footer = "\nCET-1CEST,M3.5.0,M10.5.0/3\n";
    memcpy(t.b + t.n, footer, strlen(footer));
    t.n += strlen(footer);
    assert_int_equal(ccs__tz_from_tzif("slim", t.b, t.n, &tz, why, sizeof why), 0);
    expect_day(tz, 2024, 3, 31, 1711839600, 82800);
    expect_day(tz, 2024, 10, 27, 1729980000, 90000);
    expect_day(tz, 2100, 3, 28, 4109871600, 82800);
    expect_utc(tz, 2024, 3, 31, 2, 30, 1711848600, 1711848600, CCS__TZ_SKIPPED);
    ccs__tz_free(tz);

    /* cut anywhere, it is refused, never read past its end (ASan watches the copy) */
    for (size_t cut = 0; cut < t.n - 1; cut++) {
        unsigned char *copy = malloc(cut + 1);
        assert_non_null(copy);
        memcpy(copy, t.b, cut);
        tz = (struct ccs__tz *)1;
        int rc = ccs__tz_from_tzif("cut", copy, cut, &tz, why, sizeof why);
        free(copy);
        if (rc != CCS_EPARSE || tz != NULL)
            fail_msg("cut at %zu: rc %d", cut, rc);
    }

    /* version 1: a table of two changes (+1 h, then -30 min), no footer */
    struct tzif v1 = {.n = 0};
    int64_t at[] = {1000000, 2000000};
    uint8_t idx[] = {1, 2};
    int32_t offs[] = {0, 3600, -1800};
    put_block(&v1, '\0', 4, at, idx, 2, offs, 3, 0);
    assert_int_equal(ccs__tz_from_tzif("v1", v1.b, v1.n, &tz, why, sizeof why), 0);
    assert_int_equal(ccs__tz_offset(tz, 999999), 0);
    assert_int_equal(ccs__tz_offset(tz, 1000000), 3600);
    assert_int_equal(ccs__tz_offset(tz, 1999999), 3600);
    assert_int_equal(ccs__tz_offset(tz, 2000000), -1800);
    assert_int_equal(ccs__tz_offset(tz, 9000000000), -1800);
    /* the jump at 1000000 skips local [1000000, 1003600); the drop repeats [1998200, 2003600) */
    enum ccs__tz_fit f;
    assert_true(ccs__tz_to_utc(tz, 1001000, 0, &f) == 1001000 && f == CCS__TZ_SKIPPED);
    assert_true(ccs__tz_to_utc(tz, 2002000, 0, &f) == 1998400 && f == CCS__TZ_AMBIGUOUS);
    assert_true(ccs__tz_to_utc(tz, 2002000, 1, &f) == 2003800 && f == CCS__TZ_AMBIGUOUS);
    ccs__tz_free(tz);

    static const struct {
        const char *what;
        int code;
        const char *why;
    } bad[] = {
        {"magic", CCS_EPARSE, "x is not a TZif time zone file"},
        {"version", CCS_EPARSE, "x: unknown TZif version"},
        {"leap", CCS_EUNSUPPORTED,
         "x counts leap seconds (a \"right/\" zone): use the zone without right/"},
        {"order", CCS_EPARSE, "x: bad transition table"},
        {"footer", CCS_EPARSE, "x: bad TZ string 'CET-1CEST' in the footer: a daylight-saving "
                               "zone needs its rule (e.g. ,M3.5.0,M10.5.0/3)"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct tzif b = {.n = 0};
        int64_t at2[] = {2000000, 1000000};
        bool order = strcmp(bad[i].what, "order") == 0;
        put_block(&b, '2', 4, NULL, NULL, 0, off1, 1, 0);
        put_block(&b, '2', 8, order ? at2 : NULL, idx, order ? 2 : 0, offs, 3,
                  strcmp(bad[i].what, "leap") == 0);
        const char *ft = strcmp(bad[i].what, "footer") == 0 ? "\nCET-1CEST\n" : "\n\n";
        memcpy(b.b + b.n, ft, strlen(ft));
        b.n += strlen(ft);
        if (strcmp(bad[i].what, "magic") == 0)
            b.b[0] = 'X';
        if (strcmp(bad[i].what, "version") == 0)
            b.b[4] = '9';
        tz = (struct ccs__tz *)1;
        int rc = ccs__tz_from_tzif("x", b.b, b.n, &tz, why, sizeof why);
        if (rc != bad[i].code || tz != NULL || strcmp(why, bad[i].why) != 0)
            fail_msg("%s: rc %d, '%s'", bad[i].what, rc, why);
    }
}

/* --- tzdata ---------------------------------------------------------------------------------- */

static void test_berlin(void **state)
{
    (void)state;
    if (!have_tzdata())
        skip();
    struct ccs__tz *tz = zone("Europe/Berlin");
    assert_string_equal(ccs__tz_name(tz), "Europe/Berlin");
    expect_day(tz, 2024, 3, 30, 1711753200, 86400);
    expect_day(tz, 2024, 3, 31, 1711839600, 82800); /* 23 h */
    expect_day(tz, 2024, 10, 27, 1729980000, 90000); /* 25 h */
    expect_day(tz, 2100, 3, 28, 4109871600, 82800); /* beyond the table: the footer */
    expect_day(tz, 2100, 10, 31, 4128616800, 90000);
    assert_int_equal(ccs__tz_offset(tz, 1711846799), 3600);
    assert_int_equal(ccs__tz_offset(tz, 1711846800), 7200);

    /* 02:30 on 2024-03-31 never happened: it is 03:30 CEST, 01:30Z */
    expect_utc(tz, 2024, 3, 31, 2, 30, 1711848600, 1711848600, CCS__TZ_SKIPPED);
    expect_utc(tz, 2024, 3, 31, 3, 30, 1711848600, 1711848600, CCS__TZ_UNIQUE);
    expect_utc(tz, 2024, 3, 31, 1, 59, 1711846740, 1711846740, CCS__TZ_UNIQUE);
    /* 02:30 on 2024-10-27 happened twice: 00:30Z in CEST, then 01:30Z in CET */
    expect_utc(tz, 2024, 10, 27, 2, 30, 1729989000, 1729992600, CCS__TZ_AMBIGUOUS);
    expect_utc(tz, 2024, 10, 27, 3, 0, 1729994400, 1729994400, CCS__TZ_UNIQUE);

    /* seconds since local midnight: a 23-hour day has 23 hours of contacts */
    expect_place(tz, "2024-03-31T00:00:00", 0, 2024, 3, 31, 0, CCS__TZ_UNIQUE);
    expect_place(tz, "2024-03-31T01:59:59", 0, 2024, 3, 31, 7199, CCS__TZ_UNIQUE);
    expect_place(tz, "2024-03-31T02:30:00", 0, 2024, 3, 31, 9000, CCS__TZ_SKIPPED);
    expect_place(tz, "2024-03-31T03:00:00", 0, 2024, 3, 31, 7200, CCS__TZ_UNIQUE);
    expect_place(tz, "2024-03-31T23:59:59.5", 0, 2024, 3, 31, 82799.5, CCS__TZ_UNIQUE);
    expect_place(tz, "2024-03-31T24:00:00", 0, 2024, 4, 1, 0, CCS__TZ_UNIQUE);
    expect_place(tz, "2024-10-27T02:30:00", 0, 2024, 10, 27, 9000, CCS__TZ_AMBIGUOUS);
    expect_place(tz, "2024-10-27T02:30:00", 1, 2024, 10, 27, 12600, CCS__TZ_AMBIGUOUS);
    expect_place(tz, "2024-10-27T23:59:59", 0, 2024, 10, 27, 89999, CCS__TZ_UNIQUE);
    /* an offset in the text names the instant: 02:30+01:00 is the second 02:30 */
    expect_place(tz, "2024-10-27T02:30:00+01:00", 0, 2024, 10, 27, 12600, CCS__TZ_UNIQUE);
    expect_place(tz, "2024-03-31T01:30:00Z", 0, 2024, 3, 31, 9000, CCS__TZ_UNIQUE);
    ccs__tz_free(tz);
}

static void test_new_york(void **state)
{
    (void)state;
    if (!have_tzdata())
        skip();
    struct ccs__tz *tz = zone("America/New_York");
    expect_day(tz, 2024, 3, 10, 1710046800, 82800);
    expect_day(tz, 2024, 11, 3, 1730606400, 90000);
    expect_day(tz, 2050, 3, 13, 2530760400, 82800);
    expect_day(tz, 2050, 11, 6, 2551320000, 90000);
    expect_utc(tz, 2024, 3, 10, 2, 30, 1710055800, 1710055800, CCS__TZ_SKIPPED);
    expect_utc(tz, 2024, 11, 3, 1, 30, 1730611800, 1730615400, CCS__TZ_AMBIGUOUS);
    expect_place(tz, "2024-03-10T02:30:00", 0, 2024, 3, 10, 9000, CCS__TZ_SKIPPED);
    expect_place(tz, "2024-03-10T23:00:00", 0, 2024, 3, 10, 79200, CCS__TZ_UNIQUE);
    expect_place(tz, "2024-11-03T01:30:00", 1, 2024, 11, 3, 9000, CCS__TZ_AMBIGUOUS);
    ccs__tz_free(tz);
}

static void test_zone_files_refused(void **state)
{
    (void)state;
    if (!have_tzdata())
        skip();
    char why[256];
    struct ccs__tz *tz = (struct ccs__tz *)1;
    assert_int_equal(ccs__tz_new("Europe/Berln", NULL, &tz, why, sizeof why), CCS_ENOTFOUND);
    assert_null(tz);
    assert_string_equal(why, "unknown time zone (no file /usr/share/zoneinfo/Europe/Berln; "
                             "names are like Europe/Berlin or America/New_York, case matters)");
    assert_int_equal(ccs__tz_new("Europe", NULL, &tz, why, sizeof why), CCS_EINVAL);
    assert_string_equal(why,
                        "/usr/share/zoneinfo/Europe is not a time zone file (not a regular file)");
    if (access(CCS__TZ_DIR "/zone.tab", R_OK) == 0) {
        assert_int_equal(ccs__tz_new("zone.tab", NULL, &tz, why, sizeof why), CCS_EPARSE);
        assert_string_equal(why, "/usr/share/zoneinfo/zone.tab is not a TZif time zone file");
    }
    if (access(CCS__TZ_DIR "/right/Europe/Berlin", R_OK) == 0) {
        assert_int_equal(ccs__tz_new("right/Europe/Berlin", NULL, &tz, why, sizeof why),
                         CCS_EUNSUPPORTED);
        assert_string_equal(why, "/usr/share/zoneinfo/right/Europe/Berlin counts leap seconds (a "
                                 "\"right/\" zone): use the zone without right/");
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_calendar),
        cmocka_unit_test(test_date_formats),
        cmocka_unit_test(test_time_formats),
        cmocka_unit_test(test_iso_datetimes),
        cmocka_unit_test(test_utc_and_fixed_offsets),
        cmocka_unit_test(test_posix_rules),
        cmocka_unit_test(test_tzif_files),
        cmocka_unit_test(test_berlin),
        cmocka_unit_test(test_new_york),
        cmocka_unit_test(test_zone_files_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
