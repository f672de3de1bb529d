/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * memstream.c - a memory stream and a line reader on ccs_malloc
 * (memstream.h). The stream is a stdio stream with our own functions
 * behind it (fopencookie; funopen on the BSDs) and our own stdio buffer,
 * so every byte of memory it takes comes from ccs_malloc.
 */
#if !defined(__APPLE__) && !defined(__FreeBSD__) && !defined(__OpenBSD__) && !defined(__NetBSD__)
#define _GNU_SOURCE 1 /* fopencookie */
#endif
#include "core/memstream.h"

#include "ccs/mem.h"
#include "core/grow.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct mstream {
    char **buf;
    size_t *len;
    size_t cap; /* of *buf, the NUL included */
    int failed; /* a write failed: the ones after fail too, and so does the close */
    char io[4096]; /* the stream's stdio buffer */
};

static int mwrite(struct mstream *m, const char *p, size_t n)
{
    if (n == 0)
        return 0;
    if (m->failed || n > SIZE_MAX - 1 - *m->len ||
        ccs__grow(m->buf, &m->cap, *m->len + n + 1, 1) != 0) {
        m->failed = 1;
        errno = ENOMEM;
        return -1;
    }
    memcpy(*m->buf + *m->len, p, n);
    *m->len += n;
    (*m->buf)[*m->len] = '\0';
    return 0;
}

#if defined(_GNU_SOURCE)
static ssize_t cookie_write(void *c, const char *p, size_t n)
{
    /* 0 is the error of a cookie's write (it must not be negative) */
    return mwrite(c, p, n) == 0 ? (ssize_t)n : 0;
}
#else
static int cookie_write(void *c, const char *p, int n)
{
    return mwrite(c, p, (size_t)n) == 0 ? n : -1;
}
#endif

/* fclose returns EOF after any failed write, not only one of its own flush */
static int cookie_close(void *c)
{
    int failed = ((struct mstream *)c)->failed;
    free(c);
    if (failed)
        errno = ENOMEM;
    return failed ? -1 : 0;
}

FILE *ccs__memstream(char **buf, size_t *len)
{
    *buf = NULL;
    *len = 0;
    struct mstream *m = ccs_malloc(sizeof *m);
    char *b = ccs_malloc(1);
    if (m == NULL || b == NULL) {
        free(m);
        free(b);
        errno = ENOMEM;
        return NULL;
    }
    b[0] = '\0';
    *buf = b;
    m->buf = buf;
    m->len = len;
    m->cap = 1;
    m->failed = 0;
#if defined(_GNU_SOURCE)
    FILE *f = fopencookie(m, "w", (cookie_io_functions_t){.write = cookie_write,
                                                          .close = cookie_close});
#else
    FILE *f = funopen(m, NULL, cookie_write, NULL, cookie_close);
#endif
    if (f == NULL) {
        free(m);
        free(b);
        *buf = NULL;
        errno = ENOMEM;
        return NULL;
    }
    /* our buffer, or stdio would malloc one at the first write */
    setvbuf(f, m->io, _IOFBF, sizeof m->io);
    return f;
}

ssize_t ccs__getline(char **line, size_t *cap, FILE *f)
{
    size_t n = 0;
    int c;
    flockfile(f);
    while ((c = getc_unlocked(f)) != EOF) {
        /* room for c and the NUL */
        if (n > (size_t)SSIZE_MAX - 2 || ccs__grow(line, cap, n + 2, 1) != 0) {
            funlockfile(f);
            errno = ENOMEM;
            return -1;
        }
        (*line)[n++] = (char)c;
        if (c == '\n')
            break;
    }
    funlockfile(f);
    if (n == 0)
        return -1;
    (*line)[n] = '\0';
    return (ssize_t)n;
}
