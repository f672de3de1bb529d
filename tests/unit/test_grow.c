/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_grow.c - the one array-growth helper (sim/core/grow.h): doubling
 * from 8, exact fits past an overflowing doubling, the contents kept, and
 * on failure (a size that overflows, memory that is not there) CCS_ENOMEM
 * with the array and its capacity untouched.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "ccs/error.h"
#include "core/grow.h"

#include <stdlib.h>
#include <string.h>

/* Under AddressSanitizer a huge request returns NULL instead of aborting,
   as malloc does without it: the failure path is what is tested. */
const char *__asan_default_options(void);
const char *__asan_default_options(void)
{
    return "allocator_may_return_null=1";
}

struct rec {
    double t;
    int id;
};

static void test_doubling(void **state)
{
    (void)state;
    struct rec *a = NULL;
    size_t cap = 0;
    assert_int_equal(CCS_GROW(a, cap, 0), 0); /* nothing needed: nothing done */
    assert_null(a);
    assert_int_equal(cap, 0);
    assert_int_equal(CCS_GROW(a, cap, 1), 0);
    assert_non_null(a);
    assert_int_equal(cap, 8);
    for (int i = 0; i < 1000; i++) {
        assert_int_equal(CCS_GROW(a, cap, (size_t)i + 1), 0);
        a[i] = (struct rec){i * 0.5, i};
    }
    assert_int_equal(cap, 1024); /* 8, 16, ..., 1024 */
    for (int i = 0; i < 1000; i++)
        assert_true(a[i].id == i && a[i].t == i * 0.5);
    /* a big step goes straight to the first doubling that holds it */
    assert_int_equal(CCS_GROW(a, cap, 5000), 0);
    assert_int_equal(cap, 8192);
    assert_int_equal(a[999].id, 999);
    /* enough room: unchanged */
    struct rec *before = a;
    assert_int_equal(CCS_GROW(a, cap, 8192), 0);
    assert_ptr_equal(a, before);
    assert_int_equal(cap, 8192);
    free(a);
}

static void test_start_small_and_exact(void **state)
{
    (void)state;
    /* a capacity below 8 doubles from 8 */
    char *s = malloc(3);
    size_t cap = 3;
    memcpy(s, "ab", 3);
    assert_int_equal(CCS_GROW(s, cap, 4), 0);
    assert_int_equal(cap, 8);
    assert_string_equal(s, "ab");
    free(s);
    /* when doubling would pass the largest count, exactly what is needed */
    size_t big = SIZE_MAX / 2 + 1; /* > SIZE_MAX / 2: doubling overflows */
    size_t c2 = big;
    void *p = NULL;
    /* need <= cap: no allocation, whatever the numbers */
    assert_int_equal(ccs__grow(&p, &c2, big, 1), 0);
    assert_null(p);
}

static void test_failure_leaves_array(void **state)
{
    (void)state;
    int *a = NULL;
    size_t cap = 0;
    assert_int_equal(CCS_GROW(a, cap, 10), 0);
    for (int i = 0; i < 10; i++)
        a[i] = i * i;
    int *before = a;
    size_t cap_before = cap;
    /* the byte count overflows size_t: refused before any allocation */
    assert_int_equal(ccs__grow(&a, &cap, SIZE_MAX / sizeof *a + 1, sizeof *a), CCS_ENOMEM);
    assert_int_equal(ccs__grow(&a, &cap, SIZE_MAX, sizeof *a), CCS_ENOMEM);
    assert_ptr_equal(a, before);
    assert_int_equal(cap, cap_before);
    /* representable but not there (2^60 bytes): realloc fails, nothing changes */
    assert_int_equal(ccs__grow(&a, &cap, (size_t)1 << 58, sizeof *a), CCS_ENOMEM);
    assert_ptr_equal(a, before);
    assert_int_equal(cap, cap_before);
    for (int i = 0; i < 10; i++)
        assert_int_equal(a[i], i * i);
    free(a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_doubling),
        cmocka_unit_test(test_start_small_and_exact),
        cmocka_unit_test(test_failure_leaves_array),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
