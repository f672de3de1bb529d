/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * csvread.c - a small reader for tidy CSV files (see csvread.h): one row at
 * a time, quoted fields unquoted into a side buffer, at most
 * CCS_CSV_MAX_COLS columns.
 */
#include "fmt/csvread.h"
#include "core/grow.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

/* Read one record (which may span lines inside quotes) into c->line. */
static bool read_record(struct ccs__csv *c)
{
    ssize_t n = getline(&c->line, &c->cap, c->f);
    if (n < 0)
        return false;
    c->lineno++;
    /* a quote left open continues on the next line */
    for (;;) {
        bool open = false;
        for (const char *p = c->line; *p; p++)
            if (*p == '"')
                open = !open;
        if (!open)
            break;
        char *more = NULL;
        size_t mcap = 0;
        ssize_t m = getline(&more, &mcap, c->f);
        if (m < 0) {
            free(more);
            break;
        }
        c->lineno++;
        size_t len = strlen(c->line);
        if (ccs__grow(&c->line, &c->cap, len + (size_t)m + 1, 1) != 0) {
            free(more);
            return false;
        }
        memcpy(c->line + len, more, (size_t)m + 1);
        free(more);
    }
    return true;
}

/* Split c->line into c->field[] (pointing into c->buf). */
static bool split(struct ccs__csv *c)
{
    size_t len = strlen(c->line);
    while (len > 0 && (c->line[len - 1] == '\n' || c->line[len - 1] == '\r'))
        c->line[--len] = '\0';
    if (ccs__grow(&c->buf, &c->buf_cap, len + CCS_CSV_MAX_COLS + 1, 1) != 0)
        return false;
    char *w = c->buf;
    const char *p = c->line;
    c->n = 0;
    for (;;) {
        if (c->n == CCS_CSV_MAX_COLS)
            break;
        c->field[c->n++] = w;
        if (*p == '"') {
            p++;
            while (*p) {
                if (*p == '"' && p[1] == '"') {
                    *w++ = '"';
                    p += 2;
                } else if (*p == '"') {
                    p++;
                    break;
                } else {
                    *w++ = *p++;
                }
            }
        }
        while (*p && *p != ',')
            *w++ = *p++;
        *w++ = '\0';
        if (*p != ',')
            break;
        p++;
    }
    return true;
}

int ccs__csv_open(struct ccs__csv *c, const char *path, struct ccs_diag *d)
{
    memset(c, 0, sizeof *c);
    c->path = path;
    c->f = fopen(path, "r");
    if (c->f == NULL)
        return ccs_diag_at(d, CCS_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
    if (!read_record(c) || !split(c) || c->n == 0 || c->field[0][0] == '\0') {
        ccs__csv_close(c);
        return ccs_diag_at(d, CCS_EPARSE, path, 1, 1, "expected a CSV header line");
    }
    for (size_t i = 0; i < c->n; i++) {
        c->head[i] = malloc(strlen(c->field[i]) + 1);
        if (c->head[i] == NULL) {
            ccs__csv_close(c);
            return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
        }
        strcpy(c->head[i], c->field[i]);
        c->n_head = i + 1;
    }
    c->n = 0;
    return 0;
}

int ccs__csv_col(const struct ccs__csv *c, const char *name)
{
    for (size_t i = 0; i < c->n_head; i++)
        if (strcmp(c->head[i], name) == 0)
            return (int)i;
    return -1;
}

bool ccs__csv_next(struct ccs__csv *c)
{
    for (;;) {
        if (c->f == NULL || !read_record(c) || !split(c)) {
            c->n = 0;
            return false;
        }
        if (!(c->n == 1 && c->field[0][0] == '\0')) /* skip blank lines */
            return true;
    }
}

const char *ccs__csv_get(const struct ccs__csv *c, int i)
{
    return i >= 0 && (size_t)i < c->n ? c->field[i] : "";
}

double ccs__csv_num(const struct ccs__csv *c, int i)
{
    const char *s = ccs__csv_get(c, i);
    char *end;
    if (*s == '\0')
        return NAN;
    double v = strtod(s, &end);
    return *end == '\0' ? v : NAN;
}

void ccs__csv_close(struct ccs__csv *c)
{
    if (c->f != NULL)
        fclose(c->f);
    free(c->line);
    free(c->buf);
    for (size_t i = 0; i < c->n_head; i++)
        free(c->head[i]);
    memset(c, 0, sizeof *c);
}
