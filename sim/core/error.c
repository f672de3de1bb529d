/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * error.c - error strings and located diagnostics (see include/ccs/error.h).
 */
#include "ccs/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

const char *ccs_strerror(int err)
{
    static const char *const text[] = {
#define CCS_X_(name, str) str,
        CCS_ERRNO_MAP(CCS_X_)
#undef CCS_X_
    };
    if (err == 0)
        return "success";
    if (err < 0 && -err <= (int)(sizeof text / sizeof text[0]))
        return text[-err - 1];
    return "unknown error";
}

void ccs_diag_clear(struct ccs_diag *d)
{
    if (d == NULL)
        return;
    d->code = 0;
    d->msg[0] = '\0';
}

int ccs_diag_at(struct ccs_diag *d, int code, const char *file, int line, int col,
                const char *fmt, ...)
{
    if (d == NULL || d->code != 0)
        return code;
    d->code = code;
    size_t cap = sizeof d->msg;
    int n;
    if (file == NULL)
        file = "<input>";
    if (line > 0)
        n = snprintf(d->msg, cap, "%s:%d:%d: error: ", file, line, col > 0 ? col : 1);
    else
        n = snprintf(d->msg, cap, "%s: error: ", file);
    if (n < 0 || (size_t)n >= cap)
        return code;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(d->msg + n, cap - (size_t)n, fmt, ap);
    va_end(ap);
    return code;
}
