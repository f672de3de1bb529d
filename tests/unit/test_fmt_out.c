/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_fmt_out.c - the shared output spellings (sim/fmt/textout.h): numbers
 * in files (never "-0", NaN and infinities), rounded numbers in tables,
 * JSON strings (every control character, invalid UTF-8, read back through
 * our YAML reader), RFC 4180 CSV fields, and clock labels across midnight
 * and days.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ccs/error.h"
#include "ccs/units.h"
#include "core/timeconst.h"
#include "fmt/textout.h"
#include "fmt/ydoc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What fn wrote to a FILE, as a malloc'd string. */
struct capture {
    char *text;
    size_t len;
    FILE *f;
};

static FILE *cap_open(struct capture *c)
{
    c->text = NULL;
    c->len = 0;
    c->f = open_memstream(&c->text, &c->len);
    assert_non_null(c->f);
    return c->f;
}

static const char *cap_close(struct capture *c)
{
    assert_int_equal(fclose(c->f), 0);
    return c->text;
}

static char *json_of(const char *s)
{
    struct capture c;
    ccs__out_json_str(cap_open(&c), s);
    return (char *)cap_close(&c);
}

static char *csv_of(const char *s)
{
    struct capture c;
    ccs__csv_field(cap_open(&c), s);
    return (char *)cap_close(&c);
}

/* --- numbers in files ------------------------------------------------------------------ */

static void test_numbers(void **state)
{
    (void)state;
    static const struct {
        double v;
        const char *want;
    } cases[] = {
        {0.0, "0"},
        {-0.0, "0"}, /* never "-0" */
        {1.0, "1"},
        {-2.5, "-2.5"},
        {0.1, "0.1"},
        {1.0 / 3.0, "0.3333333333"},
        {2.0 / 3.0, "0.6666666667"},
        {123456789012.0, "1.23456789e+11"},
        {1e-300, "1e-300"},
        {-1e-300, "-1e-300"}, /* tiny, but not zero: its sign is information */
        {86400, "86400"},
        {0.8042342345234, "0.8042342345"},
    };
    char buf[64];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ccs__num_str(buf, sizeof buf, cases[i].v, "?");
        assert_string_equal(buf, cases[i].want);
        ccs_format_number(cases[i].v, buf, sizeof buf);
        assert_string_equal(buf, cases[i].want);
        struct capture c;
        ccs__out_num(cap_open(&c), cases[i].v, "?");
        char *got = (char *)cap_close(&c);
        assert_string_equal(got, cases[i].want);
        free(got);
    }
    /* NaN and infinities are undefined: the caller's spelling */
    const double bad[] = {NAN, -NAN, INFINITY, -INFINITY};
    for (size_t i = 0; i < 4; i++) {
        ccs__num_str(buf, sizeof buf, bad[i], "null");
        assert_string_equal(buf, "null");
        ccs_format_number(bad[i], buf, sizeof buf);
        assert_string_equal(buf, "");
        struct capture c;
        ccs__out_json_num(cap_open(&c), bad[i]);
        char *got = (char *)cap_close(&c);
        assert_string_equal(got, "null");
        free(got);
    }
    struct capture c;
    ccs__out_json_num(cap_open(&c), -0.0);
    char *got = (char *)cap_close(&c);
    assert_string_equal(got, "0");
    free(got);
    /* the longest spelling fits in 32 bytes; truncation still terminates */
    assert_true(ccs__num_str(buf, sizeof buf, -1.234567891e-307, "") < 32);
    char small[4];
    ccs__num_str(small, sizeof small, 123456, "");
    assert_string_equal(small, "123");
    /* whole numbers take a path of their own: the same bytes as %.10g on
       both sides of where it ends (10 digits) and of the long long range */
    const double whole[] = {7,           -7,          9999999999.0, -9999999999.0,
                            1e10,        -1e10,       12345678901.0, 4503599627370497.0,
                            9.3e18,      -9.3e18,     1e300,         2147483648.0,
                            -2147483649.0, 1000000000, 999999999.5,  0.5};
    for (size_t i = 0; i < sizeof whole / sizeof whole[0]; i++) {
        char want[64];
        snprintf(want, sizeof want, "%.10g", whole[i]);
        ccs__num_str(buf, sizeof buf, whole[i], "");
        assert_string_equal(buf, want);
        ccs__out_num(cap_open(&c), whole[i], "");
        got = (char *)cap_close(&c);
        assert_string_equal(got, want);
        free(got);
    }
    assert_int_equal(ccs__num_str(small, sizeof small, -98765, ""), 6);
    assert_string_equal(small, "-98");
}

/* --- numbers in tables ----------------------------------------------------------------- */

static void test_fixed(void **state)
{
    (void)state;
    static const struct {
        double v;
        int decimals;
        unsigned flags;
        const char *want;
    } cases[] = {
        {0.0, 2, 0, "0.00"},
        {-0.0, 2, 0, "0.00"},
        {-0.004, 2, 0, "0.00"}, /* rounds to zero: no "-0.00" */
        {-0.006, 2, 0, "-0.01"},
        {12.345678, 2, 0, "12.35"},
        {1195, 0, 0, "1195"},
        {-0.4, 0, 0, "0"},
        {-0.6, 0, 0, "-1"},
        {0.0, 2, CCS_FIX_SIGN, "0.00"},  /* no "+0.00" */
        {0.004, 2, CCS_FIX_SIGN, "0.00"},
        {-0.004, 2, CCS_FIX_SIGN, "0.00"},
        {0.006, 2, CCS_FIX_SIGN, "+0.01"},
        {-0.006, 2, CCS_FIX_SIGN, "-0.01"},
        {26.0, 1, CCS_FIX_SIGN, "+26.0"},
        {NAN, 2, 0, "-"},
        {NAN, 2, CCS_FIX_SIGN, "-"},
        {INFINITY, 2, CCS_FIX_SIGN, "inf"},
        {-INFINITY, 1, 0, "-inf"},
        {1.5, -3, 0, "2"},          /* decimals below 0 count as 0 */
        {1.0, 99, 0, "1.00000000000000000000"}, /* and above 20 as 20 */
    };
    char buf[64];
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        ccs__fixed(buf, sizeof buf, cases[i].v, cases[i].decimals, cases[i].flags);
        assert_string_equal(buf, cases[i].want);
    }
    /* the largest double fits in a buffer big enough, and truncates safely */
    char big[400], small[5];
    ccs__fixed(big, sizeof big, -1.7976931348623157e308, 2, 0);
    assert_int_equal(strlen(big), 1 + 309 + 3);
    ccs__fixed(small, sizeof small, 12345.0, 2, 0);
    assert_string_equal(small, "1234");
    small[0] = 'q';
    ccs__fixed(small, 0, 1, 2, 0);
    assert_int_equal(small[0], 'q');
}

/* --- JSON ------------------------------------------------------------------------------ */

static void test_json_escapes(void **state)
{
    (void)state;
    char *got = json_of(NULL);
    assert_string_equal(got, "null");
    free(got);
    got = json_of("");
    assert_string_equal(got, "\"\"");
    free(got);
    got = json_of("say \"hi\" \\ back/slash");
    assert_string_equal(got, "\"say \\\"hi\\\" \\\\ back/slash\"");
    free(got);
    /* every C0 control character, one by one, as \u00XX */
    for (int c = 1; c < 0x20; c++) {
        char in[4] = {'a', (char)c, 'b', '\0'}, want[16];
        snprintf(want, sizeof want, "\"a\\u%04xb\"", c);
        got = json_of(in);
        assert_string_equal(got, want);
        free(got);
    }
    /* DEL and the C1 controls (U+0080-U+009F, two bytes in UTF-8) too */
    got = json_of("\x7f");
    assert_string_equal(got, "\"\\u007f\"");
    free(got);
    for (int c = 0x80; c <= 0x9f; c++) {
        char in[3] = {(char)0xc2, (char)c, '\0'}, want[16];
        snprintf(want, sizeof want, "\"\\u%04x\"", c);
        got = json_of(in);
        assert_string_equal(got, want);
        free(got);
    }
    /* the two line separators JavaScript would break a line at */
    got = json_of("a\xe2\x80\xa8" "b\xe2\x80\xa9" "c");
    assert_string_equal(got, "\"a\\u2028b\\u2029c\"");
    free(got);
    /* valid UTF-8 passes through: NBSP, e acute, euro, a 4-byte emoji, U+FFFD */
    const char *text = "\xc2\xa0 caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x93\x9e \xef\xbf\xbd \xf4\x8f\xbf\xbf";
    got = json_of(text);
    char want[128];
    snprintf(want, sizeof want, "\"%s\"", text);
    assert_string_equal(got, want);
    free(got);
}

static void test_json_invalid_utf8(void **state)
{
    (void)state;
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"\x80", "\"\\ufffd\""},                          /* stray continuation */
        {"a\xffz", "\"a\\ufffdz\""},                      /* never in UTF-8 */
        {"\xc0\xaf", "\"\\ufffd\\ufffd\""},               /* overlong '/' */
        {"\xe0\x80\xaf", "\"\\ufffd\\ufffd\\ufffd\""},    /* overlong, 3 bytes */
        {"\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\""},    /* a surrogate */
        {"\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\""}, /* beyond U+10FFFF */
        {"\xe2\x82", "\"\\ufffd\\ufffd\""},               /* truncated at the end */
        {"\xe2\x82z", "\"\\ufffd\\ufffdz\""},             /* truncated before ASCII */
        {"\xc3\xa9\x80\xc3\xa9", "\"\xc3\xa9\\ufffd\xc3\xa9\""}, /* the rest survives */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *got = json_of(cases[i].in);
        assert_string_equal(got, cases[i].want);
        free(got);
    }
}

/* What JSON escapes, our reader (libyaml) reads back to the same bytes. */
static void test_json_reads_back(void **state)
{
    (void)state;
    char in[200];
    size_t n = 0;
    for (int c = 1; c < 0x20; c++)
        in[n++] = (char)c;
    const char *rest = "\x7f \xc2\x85 \xc2\x9f \"q\" \\ \xe2\x80\xa8 caf\xc3\xa9 \xf0\x9f\x93\x9e";
    memcpy(in + n, rest, strlen(rest) + 1);
    struct capture c;
    FILE *f = cap_open(&c);
    fputs("{\"name\": ", f);
    ccs__out_json_str(f, in);
    fputs("}\n", f);
    const char *doc_text = cap_close(&c);
    struct ccs_ydoc *doc;
    struct ccs_diag d = {0};
    assert_int_equal(ccs__ydoc_load_string("json", doc_text, strlen(doc_text), 1, 1, &doc, &d), 0);
    const struct ccs_ynode *name = ccs__ymap_get(ccs__ydoc_root(doc), "name");
    assert_non_null(name);
    assert_string_equal(name->text, in);
    ccs__ydoc_free(doc);
    free((char *)doc_text);
}

/* --- CSV ------------------------------------------------------------------------------- */

static void test_csv_fields(void **state)
{
    (void)state;
    static const struct {
        const char *in, *want;
    } cases[] = {
        {"plain", "plain"},
        {"", ""},
        {"two words", "two words"}, /* an inner blank needs no quotes */
        {"d2 08:30", "d2 08:30"},
        {"a,b", "\"a,b\""},
        {"say \"hi\"", "\"say \"\"hi\"\"\""},
        {"\"", "\"\"\"\""},
        {"line\nbreak", "\"line\nbreak\""},
        {"cr\rhere", "\"cr\rhere\""},
        {"crlf\r\n", "\"crlf\r\n\""},
        {" lead", "\" lead\""},
        {"trail ", "\"trail \""},
        {"\ttab", "\"\ttab\""},
        {"tab\t", "\"tab\t\""},
        {" ", "\" \""},
        {"in\ttab", "in\ttab"},
        {"semi;colon", "semi;colon"},
        {"caf\xc3\xa9", "caf\xc3\xa9"}, /* bytes pass through */
        {"[sales, support]", "\"[sales, support]\""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *got = csv_of(cases[i].in);
        assert_string_equal(got, cases[i].want);
        free(got);
    }
    char *got = csv_of(NULL);
    assert_string_equal(got, "");
    free(got);
}

/* --- clock labels ---------------------------------------------------------------------- */

static const char *clk(double t, unsigned how)
{
    static char buf[64];
    ccs__clock(buf, sizeof buf, t, how);
    return buf;
}

static void test_clock(void **state)
{
    (void)state;
    /* hh:mm, to the nearest minute */
    assert_string_equal(clk(0, 0), "00:00");
    assert_string_equal(clk(8.5 * CCS_HOUR, 0), "08:30");
    assert_string_equal(clk(8.5 * CCS_HOUR + 29.9, 0), "08:30");
    assert_string_equal(clk(8.5 * CCS_HOUR + 30, 0), "08:31");
    assert_string_equal(clk(CCS_DAY - 1, 0), "00:00");          /* rounds over midnight */
    assert_string_equal(clk(CCS_DAY - 1, CCS_CLK_DAY), "d2 00:00");
    assert_string_equal(clk(CCS_DAY - 31, CCS_CLK_DAY), "23:59");
    /* past the first day: dropped, "dN " before, " day N" after, or hours run on */
    double t = CCS_DAY + 9 * CCS_HOUR + 5;
    assert_string_equal(clk(t, 0), "09:00");
    assert_string_equal(clk(t, CCS_CLK_DAY), "d2 09:00");
    assert_string_equal(clk(t, CCS_CLK_HMS | CCS_CLK_DAY_AFTER), "09:00:05 day 2");
    assert_string_equal(clk(t, CCS_CLK_HMS | CCS_CLK_HOURS), "33:00:05");
    assert_string_equal(clk(6 * CCS_DAY + 1, CCS_CLK_HMS | CCS_CLK_DAY), "d7 00:00:01");
    assert_string_equal(clk(400 * CCS_DAY, CCS_CLK_DAY), "d401 00:00");
    /* seconds: nearest or, for a ticking clock, the second that has begun */
    assert_string_equal(clk(59.5, CCS_CLK_HMS), "00:01:00");
    assert_string_equal(clk(59.999, CCS_CLK_HMS | CCS_CLK_FLOOR), "00:00:59");
    assert_string_equal(clk(59.9999999999, CCS_CLK_HMS | CCS_CLK_FLOOR), "00:01:00");
    assert_string_equal(clk(CCS_DAY - 0.5, CCS_CLK_HMS | CCS_CLK_FLOOR | CCS_CLK_DAY_AFTER),
                        "23:59:59");
    assert_string_equal(clk(CCS_DAY, CCS_CLK_HMS | CCS_CLK_FLOOR | CCS_CLK_DAY_AFTER),
                        "00:00:00 day 2");
    /* tenths, rounded half up */
    assert_string_equal(clk(3723.25, CCS_CLK_TENTHS), "01:02:03.3");
    assert_string_equal(clk(3723.24, CCS_CLK_TENTHS), "01:02:03.2");
    assert_string_equal(clk(CCS_DAY - 0.04, CCS_CLK_TENTHS | CCS_CLK_HOURS), "24:00:00.0");
    assert_string_equal(clk(CCS_DAY + 0.06, CCS_CLK_TENTHS | CCS_CLK_DAY), "d2 00:00:00.1");
    /* durations on a stopwatch */
    assert_string_equal(clk(0, CCS_CLK_SPAN), "0:00");
    assert_string_equal(clk(42.7, CCS_CLK_SPAN | CCS_CLK_FLOOR), "0:42");
    assert_string_equal(clk(42.7, CCS_CLK_SPAN), "0:43");
    assert_string_equal(clk(725, CCS_CLK_SPAN), "12:05");
    assert_string_equal(clk(3730, CCS_CLK_SPAN), "1:02:10");
    assert_string_equal(clk(2 * CCS_DAY, CCS_CLK_SPAN | CCS_CLK_DAY), "48:00:00"); /* no days */
    /* what cannot be a time counts as 0, or as 1e15 s */
    assert_string_equal(clk(NAN, CCS_CLK_HMS), "00:00:00");
    assert_string_equal(clk(-5, CCS_CLK_HMS | CCS_CLK_DAY), "00:00:00");
    assert_string_equal(clk(INFINITY, CCS_CLK_HMS | CCS_CLK_DAY), "d11574074075 01:46:40");
    assert_string_equal(clk(INFINITY, CCS_CLK_TENTHS | CCS_CLK_HOURS), "277777777777:46:40.0");
    /* always terminated */
    char small[6];
    ccs__clock(small, sizeof small, 8.5 * CCS_HOUR, CCS_CLK_HMS);
    assert_string_equal(small, "08:30");
    small[0] = 'q';
    ccs__clock(small, 0, 1, 0);
    assert_int_equal(small[0], 'q');
}

static void test_clock_range(void **state)
{
    (void)state;
    char buf[64];
    ccs__clock_range(buf, sizeof buf, 8.5 * CCS_HOUR, 9 * CCS_HOUR, CCS_CLK_DAY);
    assert_string_equal(buf, "08:30-09:00");
    /* the last interval of a day ends at midnight, still on the first day */
    ccs__clock_range(buf, sizeof buf, 23.5 * CCS_HOUR, CCS_DAY, CCS_CLK_DAY);
    assert_string_equal(buf, "23:30-00:00");
    /* the next one starts on day 2, and only the start says so */
    ccs__clock_range(buf, sizeof buf, CCS_DAY, CCS_DAY + 30 * CCS_MINUTE, CCS_CLK_DAY);
    assert_string_equal(buf, "d2 00:00-00:30");
    ccs__clock_range(buf, sizeof buf, 2 * CCS_DAY - 1800, 2 * CCS_DAY, CCS_CLK_DAY);
    assert_string_equal(buf, "d2 23:30-00:00");
    ccs__clock_range(buf, sizeof buf, CCS_DAY + 5, CCS_DAY + 65, CCS_CLK_HMS | CCS_CLK_DAY_AFTER);
    assert_string_equal(buf, "00:00:05 day 2-00:01:05");
    ccs__clock_range(buf, 9, 0, 60, 0);
    assert_string_equal(buf, "00:00-00");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_numbers),          cmocka_unit_test(test_fixed),
        cmocka_unit_test(test_json_escapes),     cmocka_unit_test(test_json_invalid_utf8),
        cmocka_unit_test(test_json_reads_back),  cmocka_unit_test(test_csv_fields),
        cmocka_unit_test(test_clock),            cmocka_unit_test(test_clock_range),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
