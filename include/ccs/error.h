/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * error.h - error codes and located diagnostics for the ccsim library.
 *
 * Action functions return 0 on success or a negative CCS_E* code. Functions
 * that can fail on user input also fill a struct ccs_diag with one message
 * in the form "FILE:LINE:COL: error: MESSAGE", ready to print.
 */
#ifndef CCS_ERROR_H
#define CCS_ERROR_H

#include <stddef.h>

/* One X-macro is the single source of codes and their strings. */
#define CCS_ERRNO_MAP(X)                                  \
    X(NOMEM, "out of memory")                             \
    X(INVAL, "invalid argument")                          \
    X(IO, "input/output error")                           \
    X(PARSE, "syntax error")                              \
    X(SCHEMA, "invalid scenario")                         \
    X(RANGE, "value out of range")                        \
    X(NOTFOUND, "not found")                              \
    X(STATE, "operation not valid in this state")         \
    X(UNSUPPORTED, "not supported")                       \
    X(INTERRUPTED, "interrupted")

enum ccs_errno_index_ {
#define CCS_X_(name, str) CCS_ERRIDX_##name,
    CCS_ERRNO_MAP(CCS_X_)
#undef CCS_X_
    CCS_ERRIDX_COUNT_
};

/* CCS_ENOMEM = -1, CCS_EINVAL = -2, ... in map order. */
enum ccs_errno {
    CCS_OK = 0,
#define CCS_X_(name, str) CCS_E##name = -(1 + CCS_ERRIDX_##name),
    CCS_ERRNO_MAP(CCS_X_)
#undef CCS_X_
};

/* Human-readable text for a code (0 or negative). Never NULL. */
const char *ccs_strerror(int err);

/* A diagnostic: the first error met, already formatted for printing. */
struct ccs_diag {
    int code;        /* CCS_E* of the error, 0 while none is set */
    char msg[1024];  /* "FILE:LINE:COL: error: MESSAGE", or "" */
};

/* Reset to "no error". */
void ccs_diag_clear(struct ccs_diag *d);

/*
 * Record an error at FILE:LINE:COL (1-based) unless one is already set: the
 * first error wins, as it is usually the cause of the others. A NULL file
 * prints as "<input>"; line <= 0 omits the line and column. Returns code so
 * callers can write `return ccs_diag_at(...)`. d may be NULL.
 */
int ccs_diag_at(struct ccs_diag *d, int code, const char *file, int line, int col,
                const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 6, 7)))
#endif
    ;

#endif
