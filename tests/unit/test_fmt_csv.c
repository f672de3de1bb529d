/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_fmt_csv.c - the CSV dialect reader (sim/fmt/csv.c): separators,
 * RFC 4180 quoting with separators, doubled quotes and line ends inside
 * quotes, BOM, CRLF, preambles, blank lines, whitespace mode, positions of
 * fields, numbers with decimal comma and thousands, rows longer than any
 * buffer, refill boundaries, limits, unclosed quotes, non-regular files, and
 * the exact message of each error.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "fmt/csv.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

/* --- helpers ----------------------------------------------------------------------- */

/* A scratch folder for the test's files, removed at the end. */
static char scratch[64];

static int setup(void **state)
{
    (void)state;
    snprintf(scratch, sizeof scratch, "/tmp/ccs-csv-XXXXXX");
    return mkdtemp(scratch) == NULL ? -1 : 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", scratch);
    return system(cmd) == 0 ? 0 : -1;
}

/* Write n bytes to scratch/name; returns the path (static buffer per call site). */
static const char *put(const char *name, const char *data, size_t n)
{
    static char path[8][256];
    static int k;
    char *p = path[k++ % 8];
    snprintf(p, 256, "%s/%s", scratch, name);
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, n, f), n);
    assert_int_equal(fclose(f), 0);
    return p;
}

static struct ccs__csv_dialect dialect(char sep)
{
    struct ccs__csv_dialect dl;
    ccs__csv_dialect_init(&dl);
    dl.sep = sep;
    return dl;
}

/* Open text in memory, expecting success. */
static struct ccs__csvr *mem_open(const char *text, const struct ccs__csv_dialect *dl)
{
    struct ccs__csvr *r = NULL;
    struct ccs_diag d;
    ccs_diag_clear(&d);
    if (ccs__csvr_new_mem("t.csv", text, strlen(text), dl, &r, &d) != 0)
        fail_msg("open failed: %s", d.msg);
    return r;
}

/* Read every row of text; the error message (or "") after the last. */
static const char *mem_error(const char *text, const struct ccs__csv_dialect *dl)
{
    static struct ccs_diag d;
    ccs_diag_clear(&d);
    struct ccs__csvr *r = NULL;
    if (ccs__csvr_new_mem("t.csv", text, strlen(text), dl, &r, &d) != 0)
        return d.msg;
    while (ccs__csvr_next(r, &d)) {
    }
    ccs__csvr_free(r);
    return d.msg;
}

/* The next row must be exactly the fields given in want (NULL-terminated). */
static void expect_row(struct ccs__csvr *r, const char *const *want)
{
    struct ccs_diag d;
    ccs_diag_clear(&d);
    if (!ccs__csvr_next(r, &d))
        fail_msg("no row: %s", d.msg);
    size_t n = 0;
    while (want[n] != NULL)
        n++;
    if (ccs__csvr_nfields(r) != n)
        fail_msg("line %ld: %zu fields, want %zu", ccs__csvr_line(r), ccs__csvr_nfields(r), n);
    for (size_t i = 0; i < n; i++) {
        assert_string_equal(ccs__csvr_get(r, i), want[i]);
        assert_int_equal(ccs__csvr_len(r, i), strlen(want[i]));
    }
}

static void expect_end(struct ccs__csvr *r)
{
    struct ccs_diag d;
    ccs_diag_clear(&d);
    assert_false(ccs__csvr_next(r, &d));
    assert_int_equal(ccs__csvr_status(r), 0);
    assert_int_equal(d.code, 0);
}

static void expect_where(const struct ccs__csvr *r, size_t i, long line, long col)
{
    long l, c;
    ccs__csvr_where(r, i, &l, &c);
    if (l != line || c != col)
        fail_msg("field %zu at %ld:%ld, want %ld:%ld", i, l, c, line, col);
}

#define ROW(...) ((const char *const[]){__VA_ARGS__, NULL})

/* --- dialects ------------------------------------------------------------------------ */

static void test_basic_header_and_names(void **state)
{
    (void)state;
    struct ccs__csv_dialect dl = dialect(',');
    struct ccs__csvr *r = mem_open(" Call ID ,Queue,Wait\n1,sales,12\n2,support,\n", &dl);
    assert_int_equal(ccs__csvr_ncols(r), 3);
    assert_string_equal(ccs__csvr_colname(r, 0), "Call ID");
    assert_int_equal(ccs__csvr_find(r, "call id"), 0);
    assert_int_equal(ccs__csvr_find(r, "  QUEUE "), 1);
    assert_int_equal(ccs__csvr_find(r, "wait"), 2);
    assert_int_equal(ccs__csvr_find(r, "wai"), -1);
    expect_row(r, ROW("1", "sales", "12"));
    assert_int_equal(ccs__csvr_line(r), 2);
    expect_row(r, ROW("2", "support", ""));
    assert_string_equal(ccs__csvr_get(r, 7), ""); /* beyond the row */
    assert_int_equal(ccs__csvr_len(r, 7), 0);
    assert_int_equal(ccs__csvr_rows(r), 2);
    expect_end(r);
    ccs__csvr_free(r);
    ccs__csvr_free(NULL);
}

static void test_rfc4180_quoting(void **state)
{
    (void)state;
    struct ccs__csv_dialect dl = dialect(',');
    struct ccs__csvr *r =
        mem_open("a,b,c\n"
                 "\"x,y\",\"say \"\"hi\"\"\",\"\"\n"
                 "\"two\nlines\",\"three\r\nlines\r\nhere\",plain\n"
                 "5\" screen,\"\"\"\",7\n"
                 "last,row,here\n",
                 &dl);
    expect_row(r, ROW("x,y", "say \"hi\"", ""));
    expect_row(r, ROW("two\nlines", "three\r\nlines\r\nhere", "plain"));
    assert_int_equal(ccs__csvr_line(r), 3);
    expect_where(r, 0, 3, 1);
    expect_where(r, 1, 4, 8);  /* after "lines", on the quote's line */
    expect_where(r, 2, 6, 7);  /* "here", then the comma: column 7 of line 6 */
    expect_row(r, ROW("5\" screen", "\"", "7")); /* a quote inside an unquoted field is text */
    assert_int_equal(ccs__csvr_line(r), 7);
    expect_row(r, ROW("last", "row", "here"));
    assert_int_equal(ccs__csvr_line(r), 8);
    expect_end(r);
    ccs__csvr_free(r);
}

static void test_bom_crlf_blank_lines(void **state)
{
    (void)state;
    struct ccs__csv_dialect dl = dialect(';');
    struct ccs__csvr *r = mem_open("\xEF\xBB\xBFid;name\r\n1;\xC3\xBC\r\n\r\n   \r\n;;\r\n"
                                   "2;b\r\n\r\n\r\n",
                                   &dl);
    assert_string_equal(ccs__csvr_colname(r, 0), "id"); /* the BOM is not part of the name */
    expect_row(r, ROW("1", "\xC3\xBC"));
    expect_row(r, ROW("2", "b")); /* blank lines and ";;" are skipped */
    assert_int_equal(ccs__csvr_line(r), 6);
    expect_end(r);
    ccs__csvr_free(r);
    /* an old Mac export: lines end with CR alone */
    dl = dialect(',');
    r = mem_open("a,b\r1,2\r3,4", &dl);
    expect_row(r, ROW("1", "2"));
    expect_row(r, ROW("3", "4"));
    assert_int_equal(ccs__csvr_line(r), 3);
    expect_end(r);
    ccs__csvr_free(r);
}

static void test_separators(void **state)
{
    (void)state;
    struct ccs__csv_dialect dl = dialect('\t');
    struct ccs__csvr *r = mem_open("a\tb\tc\n1\t\"x\ty\"\t3\n", &dl);
    expect_row(r, ROW("1", "x\ty", "3"));
    ccs__csvr_free(r);

    dl = dialect('|');
    r = mem_open("a|b\n1,5|2;3\n", &dl);
    expect_row(r, ROW("1,5", "2;3"));
    ccs__csvr_free(r);

    /* trim: blanks around fields and quotes go; a tab separator is not a blank */
    dl = dialect('\t');
    dl.trim = true;
    r = mem_open("a\tb\n  1 \t \"x \" \n", &dl);
    expect_row(r, ROW("1", "x "));
    ccs__csvr_free(r);

    /* without trim, blanks are data */
    dl = dialect(',');
    r = mem_open("a,b\n 1 , 2\n", &dl);
    expect_row(r, ROW(" 1 ", " 2"));
    ccs__csvr_free(r);

    /* quote 0: quotes are ordinary characters */
    dl = dialect(',');
    dl.quote = 0;
    r = mem_open("a,b\n\"x,y\"\n", &dl);
    expect_row(r, ROW("\"x", "y\""));
    ccs__csvr_free(r);

    char sep = 'x';
    const char *why = NULL;
    assert_int_equal(ccs__csv_sep_parse("semicolon", &sep, &why), 0);
    assert_int_equal(sep, ';');
    assert_int_equal(ccs__csv_sep_parse("tab", &sep, &why), 0);
    assert_int_equal(sep, '\t');
    assert_int_equal(ccs__csv_sep_parse("whitespace", &sep, &why), 0);
    assert_int_equal(sep, CCS__CSV_SEP_WHITESPACE);
    assert_int_equal(ccs__csv_sep_parse("colon", &sep, &why), CCS_EINVAL);
    assert_string_equal(why, "unknown separator (use ',', ';', tab, '|', whitespace or auto)");

    dl = dialect(':');
    assert_string_equal(mem_error("a\n", &dl),
                        "t.csv: error: bad CSV dialect: the separator must be ',', ';', tab, "
                        "'|', whitespace or auto");
    dl = dialect(',');
    dl.decimal = ',';
    dl.thousands = ',';
    assert_string_equal(mem_error("a\n", &dl), "t.csv: error: bad CSV dialect: the decimal and "
                                               "thousands separators must differ");
}

static void test_auto_separator(void **state)
{
    (void)state;
    struct ccs__csv_dialect dl = dialect(CCS__CSV_SEP_AUTO);
    struct ccs__csvr *r = mem_open("\"a;x\",b,c\n1,2,3\n", &dl);
    assert_int_equal(ccs__csvr_dialect(r)->sep, ','); /* the ';' inside quotes does not count */
    expect_row(r, ROW("1", "2", "3"));
    ccs__csvr_free(r);
    r = mem_open("a;b;c\n1,5;2;3\n", &dl);
    assert_int_equal(ccs__csvr_dialect(r)->sep, ';');
    expect_row(r, ROW("1,5", "2", "3"));
    ccs__csvr_free(r);
    dl.skip_lines = 1;
    r = mem_open("Report, 2024; all queues\nq\tn\n1\t2\n", &dl);
    assert_int_equal(ccs__csvr_dialect(r)->sep, '\t');
    ccs__csvr_free(r);
    dl.skip_lines = 0;
    assert_string_equal(mem_error("a;b,c\n", &dl),
                        "t.csv:1:1: error: cannot tell the separator: the header line has as "
                        "many of two candidates; declare it");
    assert_string_equal(mem_error("single\n1\n", &dl),
                        "t.csv:1:1: error: cannot tell the separator: the header line has no "
                        "',', ';', tab or '|'; declare it");
}

static void test_whitespace_mode_bank_log(void **state)
{
    (void)state;
    struct ccs__csv_dialect dl = dialect(CCS__CSV_SEP_WHITESPACE);
    /* the Anonymous Bank log: tabs, CRLF, and two rows with spaces for a tab */
    struct ccs__csvr *r =
        mem_open("vru+line\tcall_id\tpriority\ttype\tdate\tvru_entry\r\n"
                 "AA0101\t46086\t0\tPS\t991001\t0:24:58\r\n"
                 "AA0106\t33373\t1   NW\t991026\t7:15:55 \r\n"
                 "  AA0102 \t 1 \"two words\" NE 991027\t  23:59:59\t\r\n",
                 &dl);
    assert_int_equal(ccs__csvr_ncols(r), 6);
    assert_int_equal(ccs__csvr_find(r, "vru_entry"), 5);
    expect_row(r, ROW("AA0101", "46086", "0", "PS", "991001", "0:24:58"));
    expect_row(r, ROW("AA0106", "33373", "1", "NW", "991026", "7:15:55"));
    expect_where(r, 3, 3, 18);
    expect_row(r, ROW("AA0102", "1", "two words", "NE", "991027", "23:59:59"));
    expect_where(r, 0, 4, 3);
    expect_where(r, 2, 4, 14);
    expect_end(r);
    ccs__csvr_free(r);
    assert_string_equal(mem_error("a b\n\"x\"y z\n", &dl),
                        "t.csv:2:4: error: unexpected 'y' after the closing quote of a field (a "
                        "quote inside a quoted field is written twice)");
}

static void test_skip_lines_and_no_header(void **state)
{
    (void)state;
    struct ccs__csv_dialect dl = dialect(';');
    dl.skip_lines = 3;
    /* a preamble is free text: its stray quote opens nothing */
    struct ccs__csvr *r = mem_open("Export \"ACD\r\nfrom 2024-03-01\r\n\r\nday;calls\r\n"
                                   "2024-03-01;1.234\r\n",
                                   &dl);
    assert_string_equal(ccs__csvr_colname(r, 1), "calls");
    expect_row(r, ROW("2024-03-01", "1.234"));
    assert_int_equal(ccs__csvr_line(r), 5);
    ccs__csvr_free(r);

    dl = dialect(',');
    dl.header = false;
    r = mem_open("1,2\n3,4\n", &dl);
    assert_int_equal(ccs__csvr_ncols(r), 0);
    expect_row(r, ROW("1", "2"));
    assert_int_equal(ccs__csvr_line(r), 1);
    expect_row(r, ROW("3", "4"));
    expect_end(r);
    struct ccs_diag d;
    ccs_diag_clear(&d);
    size_t idx;
    assert_int_equal(ccs__csvr_need(r, "x", &idx, &d), CCS_ENOTFOUND);
    assert_string_equal(d.msg,
                        "t.csv: error: no column 'x': the file is read without a header line");
    ccs__csvr_free(r);

    dl = dialect(',');
    assert_string_equal(mem_error("", &dl), "t.csv:1:1: error: expected a header line naming "
                                            "the columns; the file is empty");
    dl.skip_lines = 2;
    assert_string_equal(mem_error("title\r\n\r\n\r\n  \r\n", &dl),
                        "t.csv:5:1: error: expected a header line naming the columns after the 2 "
                        "skipped lines");
}

static void test_columns_by_name(void **state)
{
    (void)state;
    struct ccs__csv_dialect dl = dialect(',');
    dl.skip_lines = 1;
    struct ccs__csvr *r = mem_open("title\nTime,Queue,Wait,queue\n1,a,2,b\n", &dl);
    struct ccs_diag d;
    ccs_diag_clear(&d);
    size_t idx = 99;
    assert_int_equal(ccs__csvr_need(r, "WAIT", &idx, &d), 0);
    assert_int_equal(idx, 2);
    assert_int_equal(ccs__csvr_need(r, "handle", &idx, &d), CCS_ENOTFOUND);
    assert_string_equal(d.msg, "t.csv:2:1: error: no column 'handle' in the header (columns: "
                               "'Time', 'Queue', 'Wait', 'queue')");
    ccs_diag_clear(&d);
    assert_int_equal(ccs__csvr_need(r, "queue", &idx, &d), CCS_EPARSE);
    assert_string_equal(d.msg, "t.csv:2:1: error: column 'queue' appears twice in the header "
                               "(columns 2 and 4)");
    ccs__csvr_free(r);
}

static void test_strict_width(void **state)
{
    (void)state;
    struct ccs__csv_dialect dl = dialect(',');
    dl.strict_width = true;
    assert_string_equal(mem_error("a,b,c\n1,2,3\n1,2,5,5\n", &dl),
                        "t.csv:3:7: error: row has 4 fields, the header 3 (an unquoted separator "
                        "inside a value?)");
    assert_string_equal(mem_error("a,b,c\n1,2\n", &dl),
                        "t.csv:2:4: error: row has 2 fields, the header 3");
    dl.strict_width = false;
    struct ccs__csvr *r = mem_open("a,b,c\n1,2\n", &dl);
    expect_row(r, ROW("1", "2"));
    expect_where(r, 2, 2, 4); /* a missing field is placed at the end of the row */
    ccs__csvr_free(r);
}

/* --- numbers --------------------------------------------------------------------------- */

struct num_ok {
    const char *text;
    char decimal, thousands;
    double want;
};

struct num_bad {
    const char *text;
    char decimal, thousands;
    const char *why;
};

static void test_numbers(void **state)
{
    (void)state;
    static const struct num_ok ok[] = {
        {"12", '.', 0, 12},
        {"-12.5", '.', 0, -12.5},
        {" +0.25 ", '.', 0, 0.25},
        {".5", '.', 0, 0.5},
        {"5.", '.', 0, 5},
        {"1e3", '.', 0, 1000},
        {"2.5E-3", '.', 0, 0.0025},
        {"12,5", ',', 0, 12.5},
        {"-0,75", ',', 0, -0.75},
        {"1.234.567,89", ',', '.', 1234567.89},
        {"1,234,567.5", '.', ',', 1234567.5},
        {"999", '.', ',', 999},
        {"12 500,25", ',', ' ', 12500.25},
        {"12\xC2\xA0" "500,25", ',', ' ', 12500.25},
        {"1\xE2\x80\xAF" "000", ',', ' ', 1000},
        {"1'000'000", '.', '\'', 1e6},
        {"0.1", '.', 0, 0.1},
        {"123456789012345678", '.', 0, 123456789012345678.0},
        {"3.14159265358979323846", '.', 0, 3.14159265358979323846},
        {"1e-320", '.', 0, 1e-320},
        {"1e308", '.', 0, 1e308},
        {"0.000", '.', 0, 0},
        {"-0", '.', 0, -0.0},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        double v = -1;
        const char *why = NULL;
        int rc = ccs__csv_parse_number(ok[i].text, strlen(ok[i].text), ok[i].decimal,
                                       ok[i].thousands, &v, &why);
        if (rc != 0 || v != ok[i].want)
            fail_msg("'%s': rc %d (%s), got %.17g, want %.17g", ok[i].text, rc,
                     why ? why : "-", v, ok[i].want);
    }
    static const struct num_bad bad[] = {
        {"", '.', 0, "expected a number"},
        {"  ", '.', 0, "expected a number"},
        {"abc", '.', 0, "expected a number"},
        {"-", '.', 0, "expected a number"},
        {"NaN", '.', 0, "not a finite number"},
        {"-inf", '.', 0, "not a finite number"},
        {"Infinity", '.', 0, "not a finite number"},
        {"12abc", '.', 0, "unexpected characters after the number"},
        {"0x1A", '.', 0, "unexpected characters after the number"},
        {"12.5", ',', 0, "unexpected '.': the decimal separator of this file is ','"},
        {".5", ',', 0, "unexpected '.': the decimal separator of this file is ','"},
        {"12,5", '.', 0, "unexpected ',': the decimal separator of this file is '.'"},
        {"1.2.3", '.', 0, "misplaced separator in the number"},
        {"12.5", ',', '.', "digit groups between thousands separators must have 3 digits"},
        {"1.23,4", ',', '.', "digit groups between thousands separators must have 3 digits"},
        {"1234.567", ',', '.', "digit groups between thousands separators must have 3 digits"},
        {"1e", '.', 0, "expected digits after the exponent 'e'"},
        {"1e+", '.', 0, "expected digits after the exponent 'e'"},
        {"1e400", '.', 0, "number out of range"},
        {"12 500", '.', 0, "unexpected characters after the number"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        double v = 7;
        const char *why = NULL;
        int rc = ccs__csv_parse_number(bad[i].text, strlen(bad[i].text), bad[i].decimal,
                                       bad[i].thousands, &v, &why);
        if (rc != CCS_EPARSE || why == NULL || strcmp(why, bad[i].why) != 0 || v != 7)
            fail_msg("'%s': rc %d, why '%s', want '%s'", bad[i].text, rc, why ? why : "(null)",
                     bad[i].why);
    }
    /* only the n bytes given are read */
    double v;
    assert_int_equal(ccs__csv_parse_number("12345", 2, '.', 0, &v, NULL), 0);
    assert_true(v == 12);
    /* every short decimal converts exactly as strtod does */
    char buf[32];
    for (int i = 0; i < 20000; i++) {
        snprintf(buf, sizeof buf, "%d.%03d", i * 7919 % 100000, i % 1000);
        double want = strtod(buf, NULL);
        assert_int_equal(ccs__csv_parse_number(buf, strlen(buf), '.', 0, &v, NULL), 0);
        if (v != want)
            fail_msg("'%s': %.17g, strtod %.17g", buf, v, want);
    }

    long long k;
    const char *why = NULL;
    assert_int_equal(ccs__csv_parse_int(" -42 ", 5, 0, &k, &why), 0);
    assert_int_equal(k, -42);
    assert_int_equal(ccs__csv_parse_int("1.234.567", 9, '.', &k, &why), 0);
    assert_int_equal(k, 1234567);
    assert_int_equal(ccs__csv_parse_int("9223372036854775807", 19, 0, &k, &why), 0);
    assert_true(k == 9223372036854775807LL);
    assert_int_equal(ccs__csv_parse_int("-9223372036854775808", 20, 0, &k, &why), 0);
    assert_true(k == (-9223372036854775807LL - 1));
    assert_int_equal(ccs__csv_parse_int("9223372036854775808", 19, 0, &k, &why), CCS_EPARSE);
    assert_string_equal(why, "number out of range");
    assert_int_equal(ccs__csv_parse_int("2.5", 3, 0, &k, &why), CCS_EPARSE);
    assert_string_equal(why, "expected a whole number");
    assert_int_equal(ccs__csv_parse_int("12x", 3, 0, &k, &why), CCS_EPARSE);
    assert_string_equal(why, "unexpected characters after the number");
}

static void test_number_fields(void **state)
{
    (void)state;
    struct ccs__csv_dialect dl = dialect(';');
    dl.decimal = ',';
    dl.thousands = '.';
    struct ccs__csvr *r =
        mem_open("queue;calls;aht\nsales;1.234;180,5\n\xC3\xBC;\"12.5\";1e3x\n", &dl);
    struct ccs_diag d;
    ccs_diag_clear(&d);
    double v;
    long long k;
    expect_row(r, ROW("sales", "1.234", "180,5"));
    assert_int_equal(ccs__csvr_int(r, 1, &k, &d), 0);
    assert_int_equal(k, 1234);
    assert_int_equal(ccs__csvr_number(r, 2, &v, &d), 0);
    assert_true(v == 180.5);
    expect_row(r, ROW("\xC3\xBC", "12.5", "1e3x"));
    assert_int_equal(ccs__csvr_number(r, 1, &v, &d), CCS_EPARSE);
    /* the column counts characters: the u-umlaut is one */
    assert_string_equal(d.msg, "t.csv:3:3: error: bad number '12.5' in column 'calls': digit "
                               "groups between thousands separators must have 3 digits");
    ccs_diag_clear(&d);
    assert_int_equal(ccs__csvr_number(r, 2, &v, &d), CCS_EPARSE);
    assert_string_equal(d.msg, "t.csv:3:10: error: bad number '1e3x' in column 'aht': "
                               "unexpected characters after the number");
    ccs_diag_clear(&d);
    assert_int_equal(ccs__csvr_number(r, 5, &v, &d), CCS_EPARSE);
    assert_string_equal(d.msg,
                        "t.csv:3:14: error: bad number '' in field 6: expected a number");
    ccs__csvr_free(r);
}

/* --- messages ---------------------------------------------------------------------------- */

static void test_excerpts(void **state)
{
    (void)state;
    char out[CCS__CSV_EXCERPT_CAP];
    const char *s = "0123456789012345678901234567890123456789";
    ccs__csv_excerpt(out, sizeof out, s, 40);
    assert_string_equal(out, s); /* 40 characters: whole */
    ccs__csv_excerpt(out, sizeof out, "01234567890123456789012345678901234567890", 41);
    assert_string_equal(out, "0123456789012345678901234567890123456...");
    /* never inside a UTF-8 character; 41 two-byte characters */
    char u[128] = "";
    for (int i = 0; i < 41; i++)
        strcat(u, "\xC3\xA9");
    ccs__csv_excerpt(out, sizeof out, u, strlen(u));
    assert_int_equal(strlen(out), 37 * 2 + 3);
    assert_string_equal(out + 74, "...");
    ccs__csv_excerpt(out, sizeof out, "a\nb\tc\r\x01", 7);
    assert_string_equal(out, "a\\nb\\tc\\r?");
    ccs__csv_excerpt(out, 8, "0123456789", 10);
    assert_string_equal(out, "0123..."); /* what fits in 8 bytes */

    /* a long field in an error is cut, never the whole line */
    struct ccs__csv_dialect dl = dialect(',');
    char text[400];
    snprintf(text, sizeof text, "a,n\nx,%s\n",
             "1234567890123456789012345678901234567890123456789012345678901234567890x");
    struct ccs__csvr *r = mem_open(text, &dl);
    struct ccs_diag d;
    ccs_diag_clear(&d);
    double v;
    assert_true(ccs__csvr_next(r, &d));
    assert_int_equal(ccs__csvr_number(r, 1, &v, &d), CCS_EPARSE);
    assert_string_equal(d.msg, "t.csv:2:3: error: bad number "
                               "'1234567890123456789012345678901234567...' in column 'n': "
                               "unexpected characters after the number");
    ccs__csvr_free(r);
}

static void test_quote_errors(void **state)
{
    (void)state;
    struct ccs__csv_dialect dl = dialect(',');
    assert_string_equal(mem_error("a,b\n1,\"x\"y\n", &dl),
                        "t.csv:2:6: error: unexpected 'y' after the closing quote of a field (a "
                        "quote inside a quoted field is written twice)");
    assert_string_equal(mem_error("a,b\n1,\"x\ny\"z\n", &dl),
                        "t.csv:3:3: error: unexpected 'z' after the closing quote of the field "
                        "opened at line 2 (a quote inside a quoted field is written twice)");
    assert_string_equal(mem_error("a,b\n1,2\n3,\"open\n4,5\n", &dl),
                        "t.csv:3:3: error: unclosed quote: no closing quote before the end of "
                        "the file");
    assert_string_equal(mem_error("a,b\n1,\"x\"", &dl), "");
    assert_string_equal(mem_error("a,b\n1,\"x\"   \n", &dl), "");
}

static void test_bad_bytes(void **state)
{
    (void)state;
    struct ccs__csv_dialect dl = dialect(',');
    struct ccs__csvr *r = NULL;
    struct ccs_diag d;
    ccs_diag_clear(&d);
    static const char nul[] = "a,b\n1,x\0y\n";
    assert_int_equal(ccs__csvr_new_mem("t.csv", nul, sizeof nul - 1, &dl, &r, &d), 0);
    assert_false(ccs__csvr_next(r, &d));
    assert_int_equal(ccs__csvr_status(r), CCS_EPARSE);
    assert_string_equal(d.msg, "t.csv:2:4: error: NUL byte in the input: not a text file "
                               "(UTF-16 must be saved as UTF-8)");
    assert_false(ccs__csvr_next(r, &d)); /* stays stopped */
    ccs__csvr_free(r);
    ccs_diag_clear(&d);
    static const char utf16[] = "\xFF\xFE" "a\0,\0b\0";
    assert_int_equal(ccs__csvr_new_mem("t.csv", utf16, sizeof utf16 - 1, &dl, &r, &d),
                     CCS_EPARSE);
    assert_null(r);
    assert_string_equal(d.msg, "t.csv:1:1: error: the file is UTF-16 encoded: save it as UTF-8");
}

/* --- files ------------------------------------------------------------------------------ */

static const char *file_error(const char *path, const struct ccs__csv_dialect *dl)
{
    static struct ccs_diag d;
    ccs_diag_clear(&d);
    struct ccs__csvr *r = NULL;
    if (ccs__csvr_new(path, dl, &r, &d) != 0) {
        assert_null(r);
        return d.msg;
    }
    while (ccs__csvr_next(r, &d)) {
    }
    ccs__csvr_free(r);
    return d.msg;
}

static void test_non_regular_files(void **state)
{
    (void)state;
    struct ccs__csv_dialect dl = dialect(',');
    char fifo[128], want[256];
    snprintf(fifo, sizeof fifo, "%s/pipe", scratch);
    assert_int_equal(mkfifo(fifo, 0600), 0);
    /* no writer: opening must neither block nor read */
    snprintf(want, sizeof want, "%s: error: cannot read: not a regular file (a FIFO)", fifo);
    assert_string_equal(file_error(fifo, &dl), want);
    unlink(fifo);
    assert_string_equal(file_error("/dev/zero", &dl),
                        "/dev/zero: error: cannot read: not a regular file (a character device)");
    snprintf(want, sizeof want, "%s: error: cannot read: not a regular file (a directory)",
             scratch);
    assert_string_equal(file_error(scratch, &dl), want);
    snprintf(fifo, sizeof fifo, "%s/missing.csv", scratch);
    snprintf(want, sizeof want, "%s: error: cannot open: No such file or directory", fifo);
    assert_string_equal(file_error(fifo, &dl), want);
}

static void test_file_reading(void **state)
{
    (void)state;
    struct ccs__csv_dialect dl = dialect(',');
    const char *p = put("small.csv", "a,b\r\n1,2\r\n", 10);
    struct ccs__csvr *r = NULL;
    struct ccs_diag d;
    ccs_diag_clear(&d);
    assert_int_equal(ccs__csvr_new(p, &dl, &r, &d), 0);
    assert_string_equal(ccs__csvr_path(r), p);
    expect_row(r, ROW("1", "2"));
    expect_end(r);
    ccs__csvr_free(r);
}

/* A row far longer than any fixed line buffer is read whole. */
static void test_long_rows(void **state)
{
    (void)state;
    size_t big = 300000; /* past the initial buffer, so it grows */
    char *text = malloc(big * 2 + 100);
    assert_non_null(text);
    size_t n = (size_t)sprintf(text, "id,note,tail\n1,");
    for (size_t i = 0; i < big; i++)
        text[n++] = (char)('a' + i % 26);
    n += (size_t)sprintf(text + n, ",end\n2,\"");
    for (size_t i = 0; i < 9000; i++)
        text[n++] = i % 100 == 99 ? '\n' : 'q';
    n += (size_t)sprintf(text + n, "\",x\n");
    const char *p = put("long.csv", text, n);
    struct ccs__csv_dialect dl = dialect(',');
    struct ccs__csvr *r = NULL;
    struct ccs_diag d;
    ccs_diag_clear(&d);
    assert_int_equal(ccs__csvr_new(p, &dl, &r, &d), 0);
    assert_true(ccs__csvr_next(r, &d));
    assert_int_equal(ccs__csvr_len(r, 1), big);
    assert_int_equal(ccs__csvr_get(r, 1)[big - 1], 'a' + (big - 1) % 26);
    assert_string_equal(ccs__csvr_get(r, 2), "end");
    expect_where(r, 2, 2, (long)big + 4);
    assert_true(ccs__csvr_next(r, &d));
    assert_int_equal(ccs__csvr_len(r, 1), 9000);
    assert_string_equal(ccs__csvr_get(r, 2), "x");
    expect_where(r, 2, 3 + 90, 3);
    expect_end(r);
    ccs__csvr_free(r);
    free(text);
}

static void test_limits(void **state)
{
    (void)state;
    struct ccs__csv_dialect dl = dialect(',');
    dl.max_row_bytes = 10;
    assert_string_equal(mem_error("a,b\n12345,6789\n12345,67890\n1,2\n", &dl),
                        "t.csv:3:1: error: row longer than 10 bytes (the limit max_row_bytes)");
    assert_string_equal(mem_error("a,b\n12345,6789\n12345,67890", &dl),
                        "t.csv:3:1: error: row longer than 10 bytes (the limit max_row_bytes)");
    assert_string_equal(mem_error("a,b\n1234,5678\n\"1234\n5\"\n", &dl), "");
    assert_string_equal(mem_error("a,b\n1,\"12345\n789\n\"\n", &dl),
                        "t.csv:2:3: error: unclosed quote? the quoted field opened here is still "
                        "open after 10 bytes (the limit max_row_bytes)");
    dl = dialect(',');
    dl.max_rows = 2;
    assert_string_equal(mem_error("a\n1\n2\n", &dl), "");
    assert_string_equal(mem_error("a\n1\n\n2\n\n3\n", &dl),
                        "t.csv:6:1: error: more than 2 rows (the limit max_rows)");
    dl = dialect(',');
    dl.max_bytes = 8;
    assert_string_equal(mem_error("a,b\n1,2\n", &dl), "");
    assert_string_equal(mem_error("a,b\n1,2\n\n", &dl),
                        "t.csv: error: file larger than 8 bytes (the limit max_bytes)");
    dl = dialect(',');
    assert_int_equal(dl.max_row_bytes, 1 << 20);
    assert_true(dl.max_rows == 50000000);
    assert_true(dl.max_bytes == (uint64_t)4 << 30);
}

/*
 * One unclosed quote near the top of 40,000 lines: the error names the line
 * where it opened, in linear time, whether the file ends first or the row
 * limit comes first.
 */
static void test_unclosed_quote_fails_fast(void **state)
{
    (void)state;
    size_t lines = 40000, cap = lines * 40 + 100, n = 0;
    char *text = malloc(cap);
    assert_non_null(text);
    n += (size_t)sprintf(text, "time,queue,note\n");
    for (size_t i = 1; i < lines; i++)
        n += (size_t)sprintf(text + n, i == 4 ? "%zu,sales,\"oops\n" : "%zu,sales,ok %zu\n",
                             i * 60, i);
    const char *p = put("quote.csv", text, n);
    struct ccs__csv_dialect dl = dialect(',');
    char want[256];
    clock_t t0 = clock();
    snprintf(want, sizeof want,
             "%s:5:11: error: unclosed quote: no closing quote before the end of the file", p);
    assert_string_equal(file_error(p, &dl), want); /* 0.8 MB: the file ends first */
    dl.max_row_bytes = 100000;
    snprintf(want, sizeof want,
             "%s:5:11: error: unclosed quote? the quoted field opened here is still open "
             "after 100000 bytes (the limit max_row_bytes)",
             p);
    assert_string_equal(file_error(p, &dl), want);
    double secs = (double)(clock() - t0) / CLOCKS_PER_SEC;
    if (secs > 2.0) /* a quadratic rescan takes minutes; linear takes milliseconds */
        fail_msg("unclosed quote took %.2f s", secs);
    free(text);
}

/*
 * Refill boundaries anywhere: random rows with quotes, doubled quotes,
 * separators and line ends inside quotes, CRLF or LF, read once with the
 * default buffer and once with max_row_bytes just above the longest row
 * (which makes every read stop inside a row), must give the same fields and
 * positions as the rows written.
 */
struct cell {
    char text[24];
    size_t len;
};

static void test_refill_boundaries(void **state)
{
    (void)state;
    enum { ROWS = 3000, COLS = 5 };
    static struct cell want[ROWS][COLS];
    static long want_line[ROWS];
    size_t cap = ROWS * COLS * 60 + 100, n = 0, longest = 0;
    char *text = malloc(cap);
    assert_non_null(text);
    unsigned long long seed = 42;
    const char alphabet[] = "ab,\"\n\r xy;\t";
    n += (size_t)sprintf(text, "c1,c2,c3,c4,c5\r\n");
    long line = 2;
    for (int i = 0; i < ROWS; i++) {
        bool crlf = i % 3 != 0;
        size_t start = n;
        want_line[i] = line;
        for (int j = 0; j < COLS; j++) {
            struct cell *c = &want[i][j];
            seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
            c->len = (size_t)((seed >> 59) % 20) + (j == 0); /* 0-20 bytes */
            for (size_t k = 0; k < c->len; k++) {
                seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
                c->text[k] = alphabet[(seed >> 33) % (sizeof alphabet - 1)];
            }
            c->text[c->len] = '\0';
            if (j == 0 && c->text[0] != '"') /* a row never looks blank */
                c->text[0] = 'R';
            bool quoted = strpbrk(c->text, ",\"\n\r") != NULL;
            if (j > 0)
                text[n++] = ',';
            if (quoted)
                text[n++] = '"';
            for (size_t k = 0; k < c->len; k++) {
                if (c->text[k] == '"')
                    text[n++] = '"';
                text[n++] = c->text[k];
                if (c->text[k] == '\n' || (c->text[k] == '\r' && c->text[k + 1] != '\n'))
                    line++;
            }
            if (quoted)
                text[n++] = '"';
        }
        if (n - start > longest)
            longest = n - start;
        if (crlf)
            text[n++] = '\r';
        text[n++] = '\n';
        line++;
    }
    const char *p = put("random.csv", text, n);
    for (int pass = 0; pass < 3; pass++) {
        struct ccs__csv_dialect dl = dialect(',');
        if (pass == 1)
            dl.max_row_bytes = longest;
        if (pass == 2)
            dl.max_row_bytes = longest + 7;
        struct ccs__csvr *r = NULL;
        struct ccs_diag d;
        ccs_diag_clear(&d);
        if (pass == 0)
            assert_int_equal(ccs__csvr_new_mem("random.csv", text, n, &dl, &r, &d), 0);
        else
            assert_int_equal(ccs__csvr_new(p, &dl, &r, &d), 0);
        for (int i = 0; i < ROWS; i++) {
            if (!ccs__csvr_next(r, &d))
                fail_msg("pass %d row %d: %s", pass, i, d.msg);
            assert_int_equal(ccs__csvr_nfields(r), COLS);
            assert_int_equal(ccs__csvr_line(r), want_line[i]);
            for (int j = 0; j < COLS; j++)
                if (ccs__csvr_len(r, (size_t)j) != want[i][j].len ||
                    memcmp(ccs__csvr_get(r, (size_t)j), want[i][j].text, want[i][j].len) != 0)
                    fail_msg("pass %d row %d field %d: '%s', want '%s'", pass, i, j,
                             ccs__csvr_get(r, (size_t)j), want[i][j].text);
        }
        expect_end(r);
        ccs__csvr_free(r);
    }
    free(text);
}

/* The shipped day of the Anonymous Bank log reads whole, every row 17 fields. */
static void test_bank_day_file(void **state)
{
    (void)state;
    struct ccs__csv_dialect dl = dialect(CCS__CSV_SEP_WHITESPACE);
    dl.strict_width = true;
    struct ccs__csvr *r = NULL;
    struct ccs_diag d;
    ccs_diag_clear(&d);
    const char *path = CCS_SOURCE_DIR "/scenarios/data/bank-1999-10-12.txt";
    assert_int_equal(ccs__csvr_new(path, &dl, &r, &d), 0);
    assert_int_equal(ccs__csvr_ncols(r), 17);
    size_t date = 99, served = 99;
    assert_int_equal(ccs__csvr_need(r, "date", &date, &d), 0);
    assert_int_equal(ccs__csvr_need(r, "SER_TIME", &served, &d), 0);
    double total = 0;
    while (ccs__csvr_next(r, &d)) {
        assert_string_equal(ccs__csvr_get(r, date), "991012");
        double v;
        assert_int_equal(ccs__csvr_number(r, served, &v, &d), 0);
        total += v;
    }
    assert_int_equal(ccs__csvr_status(r), 0);
    assert_int_equal(ccs__csvr_rows(r), 1487);
    assert_true(total > 0);
    ccs__csvr_free(r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_basic_header_and_names),
        cmocka_unit_test(test_rfc4180_quoting),
        cmocka_unit_test(test_bom_crlf_blank_lines),
        cmocka_unit_test(test_separators),
        cmocka_unit_test(test_auto_separator),
        cmocka_unit_test(test_whitespace_mode_bank_log),
        cmocka_unit_test(test_skip_lines_and_no_header),
        cmocka_unit_test(test_columns_by_name),
        cmocka_unit_test(test_strict_width),
        cmocka_unit_test(test_numbers),
        cmocka_unit_test(test_number_fields),
        cmocka_unit_test(test_excerpts),
        cmocka_unit_test(test_quote_errors),
        cmocka_unit_test(test_bad_bytes),
        cmocka_unit_test(test_non_regular_files),
        cmocka_unit_test(test_file_reading),
        cmocka_unit_test(test_long_rows),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_unclosed_quote_fails_fast),
        cmocka_unit_test(test_refill_boundaries),
        cmocka_unit_test(test_bank_day_file),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
