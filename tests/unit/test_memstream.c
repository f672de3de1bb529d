/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_memstream.c - the memory stream and the line reader on ccs_malloc
 * (sim/core/memstream.h): the contents as open_memstream and getline give
 * them, and each of their allocations failed in turn (ccs_mem_fail_at)
 * reported as out of memory, never a crash or a wrong result.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ccs/mem.h"
#include "core/memstream.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 3 x 5000 bytes past stdio's buffer, then a number: NULL when out of memory */
static char *write_some(size_t *len, int *closed)
{
    char *buf = NULL;
    FILE *f = ccs__memstream(&buf, len);
    if (f == NULL) {
        assert_null(buf);
        assert_int_equal(errno, ENOMEM);
        *closed = -2;
        return NULL;
    }
    assert_non_null(buf);
    for (int k = 0; k < 3; k++)
        for (int i = 0; i < 5000; i++)
            fputc('a' + k, f);
    fprintf(f, "|%d", 42);
    *closed = fclose(f);
    return buf;
}

static void test_stream(void **state)
{
    (void)state;
    char *buf = NULL;
    size_t len = 99;
    FILE *f = ccs__memstream(&buf, &len);
    assert_non_null(f);
    assert_string_equal(buf, "");
    assert_int_equal(len, 0);
    fputs("hello", f);
    assert_int_equal(fflush(f), 0);
    assert_int_equal(len, 5);
    assert_string_equal(buf, "hello");
    fprintf(f, " %s", "world");
    assert_int_equal(fclose(f), 0);
    assert_string_equal(buf, "hello world");
    assert_int_equal(len, 11);
    free(buf);

    int closed;
    buf = write_some(&len, &closed);
    assert_int_equal(closed, 0);
    assert_int_equal(len, 15003);
    assert_int_equal(buf[0], 'a');
    assert_int_equal(buf[5000], 'b');
    assert_int_equal(buf[14999], 'c');
    assert_string_equal(buf + 15000, "|42");
    free(buf);

    /* nothing written: an empty string */
    f = ccs__memstream(&buf, &len);
    assert_non_null(f);
    assert_int_equal(fclose(f), 0);
    assert_string_equal(buf, "");
    assert_int_equal(len, 0);
    free(buf);
}

static void test_stream_out_of_memory(void **state)
{
    (void)state;
    ccs_mem_count(1);
    size_t len;
    int closed;
    free(write_some(&len, &closed));
    uint64_t n = ccs_mem_allocations();
    assert_true(n >= 3); /* the stream, its first buffer, growth */
    for (uint64_t k = 1; k <= n; k++) {
        ccs_mem_fail_at(k);
        errno = 0;
        char *buf = write_some(&len, &closed);
        ccs_mem_fail_at(0);
        if (closed == -2)
            continue; /* the stream could not be made */
        /* the failure is reported at fclose, what came before kept */
        assert_int_equal(closed, EOF);
        assert_int_equal(errno, ENOMEM);
        assert_non_null(buf);
        assert_int_equal(strlen(buf), len);
        assert_true(len < 15003);
        free(buf);
    }
}

static FILE *lines_file(const char *text)
{
    FILE *f = tmpfile();
    assert_non_null(f);
    fputs(text, f);
    rewind(f);
    return f;
}

static void test_getline(void **state)
{
    (void)state;
    char big[20001];
    memset(big, 'x', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    char *text = ccs_malloc(sizeof big + 64);
    assert_non_null(text);
    snprintf(text, sizeof big + 64, "one\n\n%s\nlast", big);
    FILE *f = lines_file(text);
    char *line = NULL;
    size_t cap = 0;
    assert_int_equal(ccs__getline(&line, &cap, f), 4);
    assert_string_equal(line, "one\n");
    assert_int_equal(ccs__getline(&line, &cap, f), 1);
    assert_string_equal(line, "\n");
    assert_int_equal(ccs__getline(&line, &cap, f), 20001);
    assert_int_equal(line[19999], 'x');
    assert_int_equal(line[20000], '\n');
    assert_int_equal(ccs__getline(&line, &cap, f), 4); /* no newline at the end */
    assert_string_equal(line, "last");
    assert_int_equal(ccs__getline(&line, &cap, f), -1);
    assert_true(feof(f));
    fclose(f);
    free(line);

    /* out of memory on the long line: -1 with ENOMEM, not the end of the file */
    f = lines_file(text);
    line = NULL;
    cap = 0;
    assert_int_equal(ccs__getline(&line, &cap, f), 4);
    assert_int_equal(ccs__getline(&line, &cap, f), 1);
    ccs_mem_fail_at(1);
    errno = 0;
    assert_int_equal(ccs__getline(&line, &cap, f), -1);
    ccs_mem_fail_at(0);
    assert_int_equal(errno, ENOMEM);
    assert_false(feof(f));
    fclose(f);
    free(line);
    free(text);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stream),
        cmocka_unit_test(test_stream_out_of_memory),
        cmocka_unit_test(test_getline),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
