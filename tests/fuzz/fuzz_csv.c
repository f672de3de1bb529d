/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * fuzz_csv.c - libFuzzer harness: any bytes through the streaming CSV
 * reader (sim/fmt/csv.h) that the data-file readers (empirical
 * distributions, plot inputs, and the forecast and trace readers built on
 * it) share. The first byte chooses the dialect; every field of every row
 * is read as text, number and integer, and excerpted for a message.
 */
#include "fmt/csv.h"

#include <stdint.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1)
        return 0;
    static const char seps[] = {',', ';', '\t', '|', CCS__CSV_SEP_AUTO, CCS__CSV_SEP_WHITESPACE,
                                ',', ','};
    unsigned opt = data[0];
    struct ccs__csv_dialect dl;
    ccs__csv_dialect_init(&dl);
    dl.sep = seps[opt & 7];
    dl.quote = opt & 8 ? '\'' : '"';
    dl.decimal = opt & 16 ? ',' : '.';
    dl.thousands = opt & 32 ? (dl.decimal == ',' ? '.' : ',') : 0;
    dl.header = (opt & 64) == 0;
    dl.trim = (opt & 128) != 0;
    dl.skip_lines = opt & 3;
    dl.max_row_bytes = 4096; /* small limits: reach the limit paths */
    dl.max_rows = 2000;
    struct ccs__csvr *r = NULL;
    struct ccs_diag d;
    ccs_diag_clear(&d);
    if (ccs__csvr_new_mem("fuzz.csv", (const char *)data + 1, size - 1, &dl, &r, &d) != 0)
        return 0;
    (void)ccs__csvr_find(r, "time");
    size_t idx;
    ccs_diag_clear(&d);
    (void)ccs__csvr_need(r, "queue", &idx, &d);
    while (ccs__csvr_next(r, &d)) {
        size_t n = ccs__csvr_nfields(r);
        for (size_t i = 0; i <= n; i++) {
            double x;
            long long k;
            long line, col;
            char ex[CCS__CSV_EXCERPT_CAP];
            struct ccs_diag fd;
            ccs_diag_clear(&fd);
            (void)ccs__csvr_number(r, i, &x, &fd);
            ccs_diag_clear(&fd);
            (void)ccs__csvr_int(r, i, &k, &fd);
            ccs__csvr_where(r, i, &line, &col);
            ccs__csv_excerpt(ex, sizeof ex, ccs__csvr_get(r, i), ccs__csvr_len(r, i));
            if (strlen(ccs__csvr_get(r, i)) > ccs__csvr_len(r, i))
                __builtin_trap(); /* a field's length must cover its text */
        }
    }
    (void)ccs__csvr_status(r);
    ccs__csvr_free(r);
    return 0;
}
