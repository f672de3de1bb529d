/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * textout.c - shared spellings of numbers and strings in outputs (textout.h).
 */
#include "fmt/textout.h"

#include <math.h>

void ccs__out_num(FILE *f, double v, const char *undefined)
{
    if (!isfinite(v))
        fputs(undefined, f);
    else
        fprintf(f, "%.10g", v == 0 ? 0.0 : v); /* no "-0" */
}

void ccs__out_json_str(FILE *f, const char *s)
{
    if (s == NULL) {
        fputs("null", f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '"' || c == '\\')
            fprintf(f, "\\%c", c);
        else if (c < 0x20)
            fprintf(f, "\\u%04x", c);
        else
            fputc(c, f);
    }
    fputc('"', f);
}
