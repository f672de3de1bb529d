/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * csv.c - the streaming CSV dialect reader (csv.h). One buffer holds the
 * current logical row and what was read after it; a row is scanned once,
 * left to right, refilling in place, so every input costs linear time and
 * memory proportional to its longest row. Unquoted fields are cut in place;
 * quoted ones are unquoted into a side buffer, leaving the raw row intact
 * for counting columns when a message needs one.
 */
#include "fmt/csv.h"
#include "fmt/fileio.h"
#include "ccs/mem.h"

#include "core/grow.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define CHUNK ((size_t)64 * 1024) /* bytes asked of read() at a time */
#define LIMIT 2                   /* need(): the row passed max_row_bytes */

struct fld {
    size_t off;    /* value: offset in the row (unquoted) or in qbuf (quoted) */
    size_t len;    /* value length, bytes */
    size_t raw;    /* offset in the row of its first byte (the quote if quoted) */
    size_t lstart; /* offset in the row where its physical line starts */
    long line;     /* 1-based line of its first byte */
    bool quoted;
};

struct ccs__csvr {
    struct ccs__csv_dialect dl;
    char *path;
    int fd;               /* -1 when reading memory */
    const char *mem;      /* memory source */
    size_t mem_len, mem_pos;
    uint8_t stop_u[256];  /* bytes that end an unquoted run */
    uint8_t stop_q[256];  /* bytes that end a quoted run */
    uint8_t blank[256];   /* blanks that are not the separator */
    char *buf;            /* buf[rec..end) unread or current row; buf[end] == 0 */
    size_t cap, rec, end, next;
    bool eof;
    bool last_cr;         /* the last line ended with CR: a LF right after belongs to it */
    uint64_t bytes;       /* read so far */
    long line;            /* line of the next unread byte */
    struct fld *f;        /* fields of the current row */
    size_t nf, fcap;
    char *qbuf;           /* unquoted values of quoted fields, NUL-separated */
    size_t qlen, qcap;
    size_t row_end, row_lstart; /* end of the row's last field, start of its line */
    long row_endline;
    uint64_t rows;
    char **names;         /* header, trimmed */
    size_t ncols;
    long header_line;
    int status;
};

static bool is_blank(int c)
{
    return c == ' ' || c == '\t';
}

/* --- dialect ---------------------------------------------------------------------- */

void ccs__csv_dialect_init(struct ccs__csv_dialect *dl)
{
    memset(dl, 0, sizeof *dl);
    dl->sep = ',';
    dl->quote = '"';
    dl->decimal = '.';
    dl->header = true;
    dl->max_row_bytes = CCS__CSV_MAX_ROW_BYTES;
    dl->max_rows = CCS__CSV_MAX_ROWS;
    dl->max_bytes = CCS__CSV_MAX_BYTES;
}

int ccs__csv_sep_parse(const char *name, char *sep, const char **why)
{
    static const struct {
        const char *name;
        char sep;
    } names[] = {{",", ','},     {"comma", ','},    {";", ';'},
                 {"semicolon", ';'}, {"\t", '\t'},  {"tab", '\t'},
                 {"|", '|'},     {"pipe", '|'},     {"whitespace", CCS__CSV_SEP_WHITESPACE},
                 {"auto", CCS__CSV_SEP_AUTO}};
    for (size_t i = 0; name != NULL && i < sizeof names / sizeof names[0]; i++)
        if (strcmp(name, names[i].name) == 0) {
            *sep = names[i].sep;
            return 0;
        }
    if (why != NULL)
        *why = "unknown separator (use ',', ';', tab, '|', whitespace or auto)";
    return CCS_EINVAL;
}

static int check_dialect(const struct ccs__csv_dialect *dl, const char *path, struct ccs_diag *d)
{
    const char *bad = NULL;
    if (dl->sep != ',' && dl->sep != ';' && dl->sep != '\t' && dl->sep != '|' &&
        dl->sep != CCS__CSV_SEP_WHITESPACE && dl->sep != CCS__CSV_SEP_AUTO)
        bad = "the separator must be ',', ';', tab, '|', whitespace or auto";
    else if (dl->quote != 0 && dl->quote != '"' && dl->quote != '\'')
        bad = "the quote must be '\"', '\\'' or none";
    else if (dl->quote != 0 && dl->quote == dl->sep)
        bad = "the quote and the separator must differ";
    else if (dl->decimal != '.' && dl->decimal != ',')
        bad = "the decimal separator must be '.' or ','";
    else if (dl->thousands != 0 && dl->thousands != ',' && dl->thousands != '.' &&
             dl->thousands != '\'' && dl->thousands != ' ')
        bad = "the thousands separator must be ',', '.', '\\'', ' ' or none";
    else if (dl->thousands == dl->decimal)
        bad = "the decimal and thousands separators must differ";
    else if (dl->max_row_bytes == 0 || dl->max_row_bytes > (size_t)1 << 30)
        bad = "max_row_bytes must be between 1 and 1 GiB";
    else if (dl->max_rows == 0 || dl->max_bytes == 0)
        bad = "max_rows and max_bytes must be positive";
    if (bad == NULL)
        return 0;
    return ccs_diag_at(d, CCS_EINVAL, path, 0, 0, "bad CSV dialect: %s", bad);
}

/*
 * Which bytes stop the fast scans: the separator (both blanks in whitespace
 * mode), line ends, NUL (also the sentinel after the data); the quote inside
 * quotes. blank[] holds the blanks that are not the separator.
 */
static void build_classes(struct ccs__csvr *r)
{
    memset(r->stop_u, 0, sizeof r->stop_u);
    memset(r->stop_q, 0, sizeof r->stop_q);
    memset(r->blank, 0, sizeof r->blank);
    r->stop_u['\0'] = r->stop_u['\r'] = r->stop_u['\n'] = 1;
    r->stop_q['\0'] = r->stop_q['\r'] = r->stop_q['\n'] = 1;
    r->blank[' '] = r->blank['\t'] = 1;
    if (r->dl.sep == CCS__CSV_SEP_WHITESPACE) {
        r->stop_u[' '] = r->stop_u['\t'] = 1;
    } else {
        r->stop_u[(unsigned char)r->dl.sep] = 1;
        r->blank[(unsigned char)r->dl.sep] = 0;
    }
    if (r->dl.quote != 0)
        r->stop_q[(unsigned char)r->dl.quote] = 1;
}

/* --- the buffer --------------------------------------------------------------------- */

/*
 * Make buf[rec + pos] readable. Returns 1 when it is, 0 at the end of the
 * input, LIMIT when the row already holds max_row_bytes + 1 bytes (so it is
 * too long), or a negative code with d. The row moves to the front of the
 * buffer: offsets relative to rec stay valid, pointers do not.
 */
static int need(struct ccs__csvr *r, size_t pos, struct ccs_diag *d)
{
    while (r->rec + pos >= r->end) {
        if (r->eof)
            return 0;
        size_t used = r->end - r->rec;
        size_t budget = r->dl.max_row_bytes + 1; /* bytes of one row worth holding */
        if (used >= budget)
            return LIMIT;
        if (r->rec > 0) {
            memmove(r->buf, r->buf + r->rec, used);
            r->end = used;
            r->rec = 0;
        }
        if (r->cap - 1 - r->end < CHUNK / 2 && r->cap < budget + 1) {
            size_t cap = r->cap * 2;
            if (cap > budget + 1)
                cap = budget + 1;
            char *b = ccs_realloc(r->buf, cap);
            if (b == NULL)
                return ccs_diag_at(d, CCS_ENOMEM, r->path, 0, 0, "out of memory");
            r->buf = b;
            r->cap = cap;
        }
        size_t want = r->cap - 1 - r->end;
        if (want > budget - used)
            want = budget - used;
        if (want > CHUNK * 4)
            want = CHUNK * 4;
        if ((uint64_t)want > r->dl.max_bytes + 1 - r->bytes)
            want = (size_t)(r->dl.max_bytes + 1 - r->bytes);
        size_t got;
        if (r->fd < 0) {
            got = r->mem_len - r->mem_pos < want ? r->mem_len - r->mem_pos : want;
            memcpy(r->buf + r->end, r->mem + r->mem_pos, got);
            r->mem_pos += got;
        } else {
            ssize_t n;
            do
                n = read(r->fd, r->buf + r->end, want);
            while (n < 0 && errno == EINTR);
            if (n < 0)
                return ccs_diag_at(d, CCS_EIO, r->path, 0, 0, "cannot read: %s",
                                   strerror(errno));
            got = (size_t)n;
        }
        if (got == 0)
            r->eof = true;
        r->end += got;
        r->buf[r->end] = '\0';
        r->bytes += got;
        if (r->bytes > r->dl.max_bytes)
            return ccs_diag_at(d, CCS_EPARSE, r->path, 0, 0,
                               "file larger than %llu bytes (the limit max_bytes)",
                               (unsigned long long)r->dl.max_bytes);
    }
    return 1;
}

/* The character column of offset pos in the current row, its line starting at lstart. */
static long char_col(const struct ccs__csvr *r, size_t lstart, size_t pos)
{
    const unsigned char *s = (const unsigned char *)r->buf + r->rec;
    long col = 1;
    for (size_t i = lstart; i < pos; i++)
        col += (s[i] & 0xC0) != 0x80;
    return col;
}

/* Lines and columns as ccs_diag_at takes them (a file of 4 GiB may pass INT_MAX lines). */
static int clamp_int(long v)
{
    return v > INT_MAX ? INT_MAX : (int)v;
}

static int err_at(const struct ccs__csvr *r, struct ccs_diag *d, int code, long line,
                  size_t lstart, size_t pos, const char *msg, const char *arg)
{
    return ccs_diag_at(d, code, r->path, clamp_int(line), clamp_int(char_col(r, lstart, pos)),
                       msg, arg);
}

/* --- scanning one logical row ------------------------------------------------------ */

static struct fld *add_field(struct ccs__csvr *r, struct ccs_diag *d)
{
    if (CCS_GROW(r->f, r->fcap, r->nf + 1) != 0) {
        ccs_diag_at(d, CCS_ENOMEM, r->path, 0, 0, "out of memory");
        return NULL;
    }
    return &r->f[r->nf++];
}

static int qappend(struct ccs__csvr *r, const char *s, size_t n, struct ccs_diag *d)
{
    if (ccs__grow(&r->qbuf, &r->qcap, r->qlen + n + 1, 1) != 0)
        return ccs_diag_at(d, CCS_ENOMEM, r->path, 0, 0, "out of memory");
    memcpy(r->qbuf + r->qlen, s, n);
    r->qlen += n;
    return 0;
}

/* Where a quoted field opened, for messages about it. */
struct qopen {
    long line;
    size_t lstart, pos;
};

static int too_long(struct ccs__csvr *r, struct ccs_diag *d, long line, const struct qopen *q)
{
    char lim[32];
    snprintf(lim, sizeof lim, "%zu", r->dl.max_row_bytes);
    if (q != NULL)
        return err_at(r, d, CCS_EPARSE, q->line, q->lstart, q->pos,
                      "unclosed quote? the quoted field opened here is still open after %s "
                      "bytes (the limit max_row_bytes)",
                      lim);
    return err_at(r, d, CCS_EPARSE, line, 0, 0,
                  "row longer than %s bytes (the limit max_row_bytes)", lim);
}

static int nul_byte(struct ccs__csvr *r, struct ccs_diag *d, long line, size_t lstart, size_t pos)
{
    return err_at(r, d, CCS_EPARSE, line, lstart, pos, "%s",
                  "NUL byte in the input: not a text file (UTF-16 must be saved as UTF-8)");
}

/*
 * Scan the logical row starting at r->next into r->f. Returns 1, 0 at the
 * end of the input, or a negative code with d.
 */
static int scan_row(struct ccs__csvr *r, struct ccs_diag *d)
{
    r->rec = r->next;
    r->nf = 0;
    r->qlen = 0;
    int rc = need(r, 0, d);
    if (rc < 0)
        return rc;
    if (rc == 1 && r->last_cr && r->buf[r->rec] == '\n') {
        r->rec++; /* the LF of a CRLF split from its CR by the previous row */
        rc = need(r, 0, d);
        if (rc < 0)
            return rc;
    }
    r->last_cr = false;
    if (rc == 0) {
        r->next = r->rec;
        return 0;
    }
    if (rc == LIMIT)
        return too_long(r, d, r->line, NULL);

    const bool ws = r->dl.sep == CCS__CSV_SEP_WHITESPACE;
    const bool trim = r->dl.trim || ws;
    const char quote = r->dl.quote;
    const uint8_t *stop_u = r->stop_u, *stop_q = r->stop_q, *blank = r->blank;
    long line = r->line;
    size_t lstart = 0, pos = 0;
    char *s = r->buf + r->rec;
    int c; /* the byte at pos, or -1 at the end of the input */

/* Make s[pos] readable; rc is then 1, or 0 at the end of the input. */
#define FETCH(p, on_limit)                                                                      \
    do {                                                                                        \
        rc = need(r, (p), d);                                                                   \
        if (rc < 0)                                                                             \
            return rc;                                                                          \
        if (rc == LIMIT)                                                                        \
            return (on_limit);                                                                  \
        s = r->buf + r->rec;                                                                    \
    } while (0)
#define AT_END(p) (r->rec + (p) >= r->end)
/* Skip blanks (those that are not the separator), refilling as needed. */
#define SKIP_BLANKS(on_limit)                                                                   \
    for (;;) {                                                                                  \
        while (blank[(unsigned char)s[pos]])                                                    \
            pos++;                                                                              \
        if (!AT_END(pos))                                                                       \
            break;                                                                              \
        FETCH(pos, on_limit);                                                                   \
        if (rc == 0)                                                                            \
            break;                                                                              \
    }

    for (;;) {
        if (AT_END(pos))
            FETCH(pos, too_long(r, d, r->line, NULL));
        if (trim)
            SKIP_BLANKS(too_long(r, d, r->line, NULL))
        c = AT_END(pos) ? -1 : (unsigned char)s[pos];
        if (ws && (c == -1 || c == '\n' || c == '\r'))
            break; /* blanks at the end of a line separate nothing */
        struct fld *f = add_field(r, d);
        if (f == NULL)
            return CCS_ENOMEM;
        f->raw = pos;
        f->lstart = lstart;
        f->line = line;
        if (quote != 0 && c == (unsigned char)quote) {
            struct qopen q = {line, lstart, pos};
            f->quoted = true;
            f->off = r->qlen;
            pos++;
            for (;;) {
                size_t run = pos;
                while (!stop_q[(unsigned char)s[pos]])
                    pos++;
                if (pos > run) {
                    rc = qappend(r, s + run, pos - run, d);
                    if (rc != 0)
                        return rc;
                }
                c = (unsigned char)s[pos];
                if (c == '\0') {
                    if (!AT_END(pos))
                        return nul_byte(r, d, line, lstart, pos);
                    FETCH(pos, too_long(r, d, line, &q));
                    if (rc == 0)
                        return err_at(r, d, CCS_EPARSE, q.line, q.lstart, q.pos, "%s",
                                      "unclosed quote: no closing quote before the end of the "
                                      "file");
                    continue;
                }
                if (c == '\n' || c == '\r') {
                    if (!(c == '\n' && s[pos - 1] == '\r'))
                        line++;
                    lstart = pos + 1;
                    rc = qappend(r, s + pos, 1, d);
                    if (rc != 0)
                        return rc;
                    pos++;
                    continue;
                }
                /* a quote: doubled, it stands for itself; alone, it closes the field */
                if (AT_END(pos + 1))
                    FETCH(pos + 1, too_long(r, d, line, &q));
                if (!AT_END(pos + 1) && s[pos + 1] == quote) {
                    rc = qappend(r, s + pos, 1, d);
                    if (rc != 0)
                        return rc;
                    pos += 2;
                    continue;
                }
                pos++;
                break;
            }
            f->len = r->qlen - f->off;
            rc = qappend(r, "", 1, d);
            if (rc != 0)
                return rc;
            /* after the closing quote: blanks, then a separator or the end of the line */
            if (!ws)
                SKIP_BLANKS(too_long(r, d, r->line, NULL))
            else if (AT_END(pos))
                FETCH(pos, too_long(r, d, r->line, NULL));
            c = AT_END(pos) ? -1 : (unsigned char)s[pos];
            if (c == '\0')
                return nul_byte(r, d, line, lstart, pos);
            if (!(c == -1 || c == '\n' || c == '\r' ||
                  (ws ? (c == ' ' || c == '\t') : c == (unsigned char)r->dl.sep))) {
                char what[16], m[200];
                ccs__csv_excerpt(what, sizeof what, s + pos, 1);
                if (q.line != line)
                    snprintf(m, sizeof m,
                             "unexpected '%s' after the closing quote of the field opened at "
                             "line %ld (a quote inside a quoted field is written twice)",
                             what, q.line);
                else
                    snprintf(m, sizeof m,
                             "unexpected '%s' after the closing quote of a field (a quote "
                             "inside a quoted field is written twice)",
                             what);
                return err_at(r, d, CCS_EPARSE, line, lstart, pos, "%s", m);
            }
        } else {
            f->quoted = false;
            for (;;) {
                while (!stop_u[(unsigned char)s[pos]])
                    pos++;
                if (!AT_END(pos))
                    break;
                FETCH(pos, too_long(r, d, line, NULL));
                if (rc == 0)
                    break;
            }
            c = AT_END(pos) ? -1 : (unsigned char)s[pos];
            if (c == '\0')
                return nul_byte(r, d, line, lstart, pos);
            size_t e = pos;
            if (trim)
                while (e > f->raw && (s[e - 1] == ' ' || s[e - 1] == '\t'))
                    e--;
            f->off = f->raw;
            f->len = e - f->raw;
            s[e] = '\0'; /* a separator, a line end, a trimmed blank or the sentinel */
        }
        /* what ends the field: the line, or one separator (the first blank in
           whitespace mode; the others are skipped with the next field's blanks) */
        if (c == -1 || c == '\n' || c == '\r')
            break;
        pos++;
    }
#undef SKIP_BLANKS
#undef AT_END
#undef FETCH
    r->row_end = pos;
    r->row_lstart = lstart;
    r->row_endline = line;
    if (pos > r->dl.max_row_bytes)
        return too_long(r, d, r->line, NULL);
    if (c == -1) {
        r->next = r->rec + pos;
    } else {
        r->next = r->rec + pos + 1;
        r->last_cr = c == '\r';
        line++;
    }
    r->line = line;
    return 1;
}

/* A row of nothing but blanks and empty unquoted fields (",,," as spreadsheets leave). */
static bool blank_row(const struct ccs__csvr *r)
{
    for (size_t k = 0; k < r->nf; k++) {
        if (r->f[k].quoted)
            return false;
        const char *v = r->buf + r->rec + r->f[k].off;
        for (size_t i = 0; i < r->f[k].len; i++)
            if (v[i] != ' ' && v[i] != '\t')
                return false;
    }
    return true;
}

static int next_row(struct ccs__csvr *r, struct ccs_diag *d)
{
    for (;;) {
        int rc = scan_row(r, d);
        if (rc <= 0 || !blank_row(r))
            return rc;
    }
}

/* --- opening ------------------------------------------------------------------------ */

/* Skip one physical line, quotes and all (preambles are free text). */
static int skip_line(struct ccs__csvr *r, struct ccs_diag *d)
{
    r->rec = r->next;
    size_t pos = 0;
    for (;;) {
        int rc = need(r, pos, d);
        if (rc < 0)
            return rc;
        if (rc == LIMIT)
            return too_long(r, d, r->line, NULL);
        if (rc == 0) {
            r->next = r->rec + pos;
            return 0;
        }
        char *s = r->buf + r->rec;
        if (pos == 0 && r->last_cr && s[0] == '\n') {
            r->rec++;
            r->last_cr = false;
            continue;
        }
        r->last_cr = false;
        while (s[pos] != '\n' && s[pos] != '\r' && r->rec + pos < r->end)
            pos++;
        if (r->rec + pos < r->end) {
            r->last_cr = s[pos] == '\r';
            r->next = r->rec + pos + 1;
            r->line++;
            return 1;
        }
    }
}

/* sep: auto. The most frequent of , ; tab | outside quotes on the header line. */
static int detect_sep(struct ccs__csvr *r, struct ccs_diag *d)
{
    r->rec = r->next;
    size_t pos = 0;
    int rc;
    for (;;) {
        rc = need(r, pos, d);
        if (rc < 0)
            return rc;
        if (rc == LIMIT)
            return too_long(r, d, r->line, NULL);
        if (rc == 0)
            break;
        const char *s = r->buf + r->rec;
        if (pos == 0 && r->last_cr && s[0] == '\n') {
            pos++;
            continue;
        }
        if (s[pos] == '\n' || s[pos] == '\r')
            break;
        pos++;
    }
    static const char cand[] = {',', ';', '\t', '|'};
    size_t count[4] = {0, 0, 0, 0};
    bool inq = false;
    const char *s = r->buf + r->rec;
    for (size_t i = 0; i < pos; i++) {
        if (r->dl.quote != 0 && s[i] == r->dl.quote)
            inq = !inq;
        for (size_t k = 0; !inq && k < 4; k++)
            count[k] += s[i] == cand[k];
    }
    size_t best = 0;
    for (size_t k = 1; k < 4; k++)
        if (count[k] > count[best])
            best = k;
    for (size_t k = 0; k < 4; k++)
        if (k != best && count[k] == count[best])
            return ccs_diag_at(d, CCS_EPARSE, r->path, clamp_int(r->line), 1, "%s",
                               count[best] == 0
                                   ? "cannot tell the separator: the header line has no ',', "
                                     "';', tab or '|'; declare it"
                                   : "cannot tell the separator: the header line has as many "
                                     "of two candidates; declare it");
    r->dl.sep = cand[best];
    return 0;
}

static char *trimmed_copy(const char *s, size_t n)
{
    while (n > 0 && is_blank(*s)) {
        s++;
        n--;
    }
    while (n > 0 && is_blank(s[n - 1]))
        n--;
    char *p = ccs_malloc(n + 1);
    if (p != NULL) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

static int start(struct ccs__csvr *r, struct ccs_diag *d)
{
    /* a byte-order mark: UTF-8 is skipped, UTF-16 and UTF-32 are refused */
    int rc = need(r, 3, d);
    if (rc < 0)
        return rc;
    const unsigned char *b = (const unsigned char *)r->buf;
    size_t have = r->end;
    if (have >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF)
        r->next = 3;
    else if (have >= 2 && ((b[0] == 0xFF && b[1] == 0xFE) || (b[0] == 0xFE && b[1] == 0xFF)))
        return ccs_diag_at(d, CCS_EPARSE, r->path, 1, 1, "%s",
                           "the file is UTF-16 encoded: save it as UTF-8");
    for (size_t i = 0; i < r->dl.skip_lines; i++) {
        rc = skip_line(r, d);
        if (rc < 0)
            return rc;
        if (rc == 0)
            break;
    }
    if (r->dl.sep == CCS__CSV_SEP_AUTO && (rc = detect_sep(r, d)) != 0)
        return rc;
    build_classes(r);
    if (!r->dl.header)
        return 0;
    rc = next_row(r, d);
    if (rc < 0)
        return rc;
    if (rc == 0 && r->dl.skip_lines > 0)
        return ccs_diag_at(d, CCS_EPARSE, r->path, clamp_int(r->line), 1,
                           "expected a header line naming the columns after the %zu skipped "
                           "lines",
                           r->dl.skip_lines);
    if (rc == 0)
        return ccs_diag_at(d, CCS_EPARSE, r->path, clamp_int(r->line), 1, "%s",
                           "expected a header line naming the columns; the file is empty");
    r->header_line = r->f[0].line;
    r->names = ccs_calloc(r->nf, sizeof *r->names);
    if (r->names == NULL)
        return ccs_diag_at(d, CCS_ENOMEM, r->path, 0, 0, "out of memory");
    for (size_t i = 0; i < r->nf; i++) {
        r->names[i] = trimmed_copy(ccs__csvr_get(r, i), r->f[i].len);
        if (r->names[i] == NULL)
            return ccs_diag_at(d, CCS_ENOMEM, r->path, 0, 0, "out of memory");
        r->ncols = i + 1;
    }
    r->nf = 0;
    return 0;
}

static int create(const char *name, const struct ccs__csv_dialect *dl, struct ccs__csvr **out,
                  struct ccs_diag *d)
{
    *out = NULL;
    struct ccs__csv_dialect def;
    if (dl == NULL) {
        ccs__csv_dialect_init(&def);
        dl = &def;
    }
    int rc = check_dialect(dl, name, d);
    if (rc != 0)
        return rc;
    struct ccs__csvr *r = ccs_calloc(1, sizeof *r);
    if (r == NULL)
        return ccs_diag_at(d, CCS_ENOMEM, name, 0, 0, "out of memory");
    r->dl = *dl;
    r->fd = -1;
    r->line = 1;
    r->cap = 2 * CHUNK + 1;
    if (r->cap > r->dl.max_row_bytes + 2)
        r->cap = r->dl.max_row_bytes + 2;
    r->buf = ccs_malloc(r->cap);
    r->path = ccs_malloc(strlen(name) + 1);
    if (r->buf == NULL || r->path == NULL) {
        ccs__csvr_free(r);
        return ccs_diag_at(d, CCS_ENOMEM, name, 0, 0, "out of memory");
    }
    strcpy(r->path, name);
    r->buf[0] = '\0';
    *out = r;
    return 0;
}

int ccs__csvr_new(const char *path, const struct ccs__csv_dialect *dl, struct ccs__csvr **out,
                  struct ccs_diag *d)
{
    struct ccs__csvr *r;
    int rc = create(path, dl, &r, d);
    if (rc != 0) {
        *out = NULL;
        return rc;
    }
    /* O_NONBLOCK: opening a FIFO must not wait for a writer; fstat then refuses it */
    r->fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (r->fd < 0) {
        rc = ccs_diag_at(d, CCS_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
        ccs__csvr_free(r);
        return rc;
    }
    struct stat st;
    if (fstat(r->fd, &st) != 0) {
        rc = ccs_diag_at(d, CCS_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
    } else if (!S_ISREG(st.st_mode)) {
        rc = ccs_diag_at(d, CCS_EIO, path, 0, 0, "cannot read: not a regular file (%s)",
                         ccs__file_kind(st.st_mode));
    } else {
        int fl = fcntl(r->fd, F_GETFL);
        if (fl >= 0)
            fcntl(r->fd, F_SETFL, fl & ~O_NONBLOCK);
        rc = start(r, d);
    }
    if (rc != 0) {
        ccs__csvr_free(r);
        return rc;
    }
    *out = r;
    return 0;
}

int ccs__csvr_new_mem(const char *name, const char *data, size_t len,
                      const struct ccs__csv_dialect *dl, struct ccs__csvr **out,
                      struct ccs_diag *d)
{
    struct ccs__csvr *r;
    int rc = create(name, dl, &r, d);
    if (rc != 0) {
        *out = NULL;
        return rc;
    }
    r->mem = data;
    r->mem_len = len;
    rc = start(r, d);
    if (rc != 0) {
        ccs__csvr_free(r);
        *out = NULL;
        return rc;
    }
    *out = r;
    return 0;
}

void ccs__csvr_free(struct ccs__csvr *r)
{
    if (r == NULL)
        return;
    if (r->fd >= 0)
        close(r->fd);
    for (size_t i = 0; i < r->ncols; i++)
        free(r->names[i]);
    free(r->names);
    free(r->f);
    free(r->qbuf);
    free(r->buf);
    free(r->path);
    free(r);
}

/* --- rows ---------------------------------------------------------------------------- */

bool ccs__csvr_next(struct ccs__csvr *r, struct ccs_diag *d)
{
    if (r->status != 0)
        return false;
    int rc = next_row(r, d);
    if (rc == 1 && r->rows == r->dl.max_rows) {
        char lim[32];
        snprintf(lim, sizeof lim, "%llu", (unsigned long long)r->dl.max_rows);
        rc = err_at(r, d, CCS_EPARSE, r->f[0].line, 0, 0, "more than %s rows (the limit max_rows)",
                    lim);
    }
    if (rc == 1 && r->dl.strict_width && r->dl.header && r->nf != r->ncols) {
        char m[160];
        snprintf(m, sizeof m, "row has %zu fields, the header %zu%s", r->nf, r->ncols,
                 r->nf > r->ncols ? " (an unquoted separator inside a value?)" : "");
        long line, col;
        ccs__csvr_where(r, r->nf > r->ncols ? r->ncols : r->nf, &line, &col);
        rc = ccs_diag_at(d, CCS_EPARSE, r->path, clamp_int(line), clamp_int(col), "%s", m);
    }
    if (rc < 0) {
        r->status = rc;
        r->nf = 0;
        return false;
    }
    if (rc == 0) {
        r->nf = 0;
        return false;
    }
    r->rows++;
    return true;
}

int ccs__csvr_status(const struct ccs__csvr *r)
{
    return r->status;
}

const char *ccs__csvr_path(const struct ccs__csvr *r)
{
    return r->path;
}

const struct ccs__csv_dialect *ccs__csvr_dialect(const struct ccs__csvr *r)
{
    return &r->dl;
}

size_t ccs__csvr_ncols(const struct ccs__csvr *r)
{
    return r->ncols;
}

const char *ccs__csvr_colname(const struct ccs__csvr *r, size_t i)
{
    return i < r->ncols ? r->names[i] : "";
}

/* ASCII case-insensitive equality of a and b[0..n). */
static bool name_eq(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
        if (x == '\0')
            return false;
        if (x >= 'A' && x <= 'Z')
            x = (unsigned char)(x - 'A' + 'a');
        if (y >= 'A' && y <= 'Z')
            y = (unsigned char)(y - 'A' + 'a');
        if (x != y)
            return false;
    }
    return a[n] == '\0';
}

static void trim_span(const char **s, size_t *n)
{
    while (*n > 0 && is_blank(**s)) {
        (*s)++;
        (*n)--;
    }
    while (*n > 0 && is_blank((*s)[*n - 1]))
        (*n)--;
}

int ccs__csvr_find(const struct ccs__csvr *r, const char *name)
{
    size_t n = strlen(name);
    trim_span(&name, &n);
    for (size_t i = 0; i < r->ncols && i <= INT_MAX; i++)
        if (name_eq(r->names[i], name, n))
            return (int)i;
    return -1;
}

int ccs__csvr_need(const struct ccs__csvr *r, const char *name, size_t *idx,
                   struct ccs_diag *d)
{
    int i = ccs__csvr_find(r, name);
    int line = clamp_int(r->header_line > 0 ? r->header_line : 1);
    char shown[CCS__CSV_EXCERPT_CAP];
    ccs__csv_excerpt(shown, sizeof shown, name, strlen(name));
    if (i < 0 && r->ncols == 0)
        return ccs_diag_at(d, CCS_ENOTFOUND, r->path, 0, 0,
                           "no column '%s': the file is read without a header line", shown);
    if (i < 0) {
        char list[600];
        size_t n = 0;
        list[0] = '\0';
        for (size_t k = 0; k < r->ncols && n < sizeof list; k++) {
            char one[CCS__CSV_EXCERPT_CAP];
            ccs__csv_excerpt(one, sizeof one, r->names[k], strlen(r->names[k]));
            int w = snprintf(list + n, sizeof list - n, "%s'%s'", k ? ", " : "", one);
            if (w < 0 || (size_t)w >= sizeof list - n) {
                snprintf(list + n, sizeof list - n, ", ...");
                break;
            }
            n += (size_t)w;
        }
        return ccs_diag_at(d, CCS_ENOTFOUND, r->path, line, 1,
                           "no column '%s' in the header (columns: %s)", shown,
                           r->ncols ? list : "none");
    }
    size_t n = strlen(name);
    const char *t = name;
    trim_span(&t, &n);
    for (size_t k = (size_t)i + 1; k < r->ncols; k++)
        if (name_eq(r->names[k], t, n))
            return ccs_diag_at(d, CCS_EPARSE, r->path, line, 1,
                               "column '%s' appears twice in the header (columns %d and %zu)",
                               shown, i + 1, k + 1);
    *idx = (size_t)i;
    return 0;
}

size_t ccs__csvr_nfields(const struct ccs__csvr *r)
{
    return r->nf;
}

const char *ccs__csvr_get(const struct ccs__csvr *r, size_t i)
{
    if (i >= r->nf)
        return "";
    const struct fld *f = &r->f[i];
    return (f->quoted ? r->qbuf : r->buf + r->rec) + f->off;
}

size_t ccs__csvr_len(const struct ccs__csvr *r, size_t i)
{
    return i < r->nf ? r->f[i].len : 0;
}

long ccs__csvr_line(const struct ccs__csvr *r)
{
    return r->nf > 0 ? r->f[0].line : r->line;
}

uint64_t ccs__csvr_rows(const struct ccs__csvr *r)
{
    return r->rows;
}

void ccs__csvr_where(const struct ccs__csvr *r, size_t i, long *line, long *col)
{
    if (i < r->nf) {
        *line = r->f[i].line;
        *col = char_col(r, r->f[i].lstart, r->f[i].raw);
    } else if (r->nf > 0) {
        *line = r->row_endline;
        *col = char_col(r, r->row_lstart, r->row_end);
    } else {
        *line = r->line;
        *col = 1;
    }
}

int ccs__csvr_bad(const struct ccs__csvr *r, size_t i, struct ccs_diag *d, int code,
                  const char *what, const char *why)
{
    char val[CCS__CSV_EXCERPT_CAP], col[CCS__CSV_EXCERPT_CAP + 16];
    ccs__csv_excerpt(val, sizeof val, ccs__csvr_get(r, i), ccs__csvr_len(r, i));
    if (i < r->ncols) {
        char name[CCS__CSV_EXCERPT_CAP];
        ccs__csv_excerpt(name, sizeof name, r->names[i], strlen(r->names[i]));
        snprintf(col, sizeof col, "column '%s'", name);
    } else {
        snprintf(col, sizeof col, "field %zu", i + 1);
    }
    long line, c;
    ccs__csvr_where(r, i, &line, &c);
    return ccs_diag_at(d, code, r->path, clamp_int(line), clamp_int(c), "bad %s '%s' in %s: %s",
                       what, val, col, why);
}

int ccs__csvr_number(const struct ccs__csvr *r, size_t i, double *out, struct ccs_diag *d)
{
    const char *why = NULL;
    if (ccs__csv_parse_number(ccs__csvr_get(r, i), ccs__csvr_len(r, i), r->dl.decimal,
                              r->dl.thousands, out, &why) != 0)
        return ccs__csvr_bad(r, i, d, CCS_EPARSE, "number", why);
    return 0;
}

int ccs__csvr_int(const struct ccs__csvr *r, size_t i, long long *out, struct ccs_diag *d)
{
    const char *why = NULL;
    if (ccs__csv_parse_int(ccs__csvr_get(r, i), ccs__csvr_len(r, i), r->dl.thousands, out,
                           &why) != 0)
        return ccs__csvr_bad(r, i, d, CCS_EPARSE, "integer", why);
    return 0;
}

/* --- numbers ---------------------------------------------------------------------------- */

static int fail(const char **why, const char *text)
{
    if (why != NULL)
        *why = text;
    return CCS_EPARSE;
}

static bool is_digit(int c)
{
    return c >= '0' && c <= '9';
}

/* Length of a thousands separator at s[0..n) (0 if none there). */
static size_t group_sep(const char *s, size_t n, char thousands)
{
    if (thousands == 0 || n == 0)
        return 0;
    if (s[0] == thousands)
        return 1;
    if (thousands == ' ') { /* no-break spaces, as French spreadsheets write them */
        if (n >= 2 && (unsigned char)s[0] == 0xC2 && (unsigned char)s[1] == 0xA0)
            return 2;
        if (n >= 3 && (unsigned char)s[0] == 0xE2 && (unsigned char)s[1] == 0x80 &&
            (unsigned char)s[2] == 0xAF)
            return 3;
    }
    return 0;
}

struct digits {
    char d[128]; /* the significant digits, without separators */
    size_t n;
    long exp10; /* value = 0.d * ... : digits d times 10^exp10 */
    bool neg;
};

/* Read the integer part (with optional grouping). Returns the byte count, or 0 with *why. */
static size_t int_part(const char *s, size_t n, char thousands, struct digits *g,
                       const char **why, size_t *ndig)
{
    size_t i = 0, run = 0;
    bool grouped = false;
    *ndig = 0;
    for (;;) {
        while (i < n && is_digit(s[i])) {
            if (g->n < sizeof g->d && !(g->n == 0 && s[i] == '0'))
                g->d[g->n++] = s[i];
            else if (g->n >= sizeof g->d)
                g->exp10++; /* digits beyond what we keep still scale the value */
            i++;
            run++;
            (*ndig)++;
        }
        size_t k = group_sep(s + i, n - i, thousands);
        if (k == 0 || i + k >= n || !is_digit(s[i + k]))
            break;
        if ((!grouped && (run < 1 || run > 3)) || (grouped && run != 3)) {
            *why = "digit groups between thousands separators must have 3 digits";
            return 0;
        }
        grouped = true;
        run = 0;
        i += k;
    }
    if (grouped && run != 3) {
        *why = "digit groups between thousands separators must have 3 digits";
        return 0;
    }
    return i;
}

static bool word_at(const char *s, size_t n, const char *w)
{
    size_t k = strlen(w);
    if (n != k)
        return false;
    for (size_t i = 0; i < k; i++) {
        char c = s[i];
        if (c >= 'A' && c <= 'Z')
            c = (char)(c - 'A' + 'a');
        if (c != w[i])
            return false;
    }
    return true;
}

/* Common front: blanks, sign, and the refusal of NaN and infinities. */
static int front(const char **s, size_t *n, bool *neg, const char **why)
{
    trim_span(s, n);
    if (*n == 0)
        return fail(why, "expected a number");
    *neg = false;
    if (**s == '+' || **s == '-') {
        *neg = **s == '-';
        (*s)++;
        (*n)--;
    }
    if (word_at(*s, *n, "nan") || word_at(*s, *n, "inf") || word_at(*s, *n, "infinity"))
        return fail(why, "not a finite number");
    return 0;
}

/* Why the characters at s (not a digit) end a number too early. */
static int trailing(const char *s, char decimal, char thousands, const char **why)
{
    char c = s[0];
    if ((c == '.' || c == ',') && c != decimal && c != thousands)
        return fail(why, decimal == ','
                             ? "unexpected '.': the decimal separator of this file is ','"
                             : "unexpected ',': the decimal separator of this file is '.'");
    if (c == decimal || c == thousands)
        return fail(why, "misplaced separator in the number");
    return fail(why, "unexpected characters after the number");
}

int ccs__csv_parse_number(const char *s, size_t n, char decimal, char thousands, double *out,
                          const char **why)
{
    static const double pow10[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                   1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                   1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
    const char *dummy;
    if (why == NULL)
        why = &dummy;
    struct digits g;
    g.n = 0;
    g.exp10 = 0;
    int rc = front(&s, &n, &g.neg, why);
    if (rc != 0)
        return rc;
    size_t nint, nfrac = 0;
    *why = NULL;
    size_t i = int_part(s, n, thousands, &g, why, &nint);
    if (*why != NULL)
        return CCS_EPARSE;
    if (i < n && s[i] == decimal) {
        i++;
        while (i < n && is_digit(s[i])) {
            if (g.n == 0 && s[i] == '0') {
                g.exp10--; /* leading zeros of a fraction only scale */
            } else if (g.n < sizeof g.d) {
                g.d[g.n++] = s[i];
                g.exp10--;
            }
            i++;
            nfrac++;
        }
    }
    if (nint + nfrac == 0) {
        bool sep = i < n && (s[i] == '.' || s[i] == ',') && s[i] != decimal;
        return sep ? trailing(s + i, decimal, thousands, why)
                   : fail(why, "expected a number");
    }
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        size_t j = i + 1;
        bool eneg = false;
        if (j < n && (s[j] == '+' || s[j] == '-'))
            eneg = s[j++] == '-';
        if (j >= n || !is_digit(s[j]))
            return fail(why, "expected digits after the exponent 'e'");
        long e = 0;
        while (j < n && is_digit(s[j])) {
            if (e < 100000)
                e = e * 10 + (s[j] - '0');
            j++;
        }
        g.exp10 += eneg ? -e : e;
        i = j;
    }
    if (i < n)
        return trailing(s + i, decimal, thousands, why);
    double v;
    if (g.n == 0) {
        v = 0;
    } else if (g.n <= 15 && g.exp10 >= -22 && g.exp10 <= 22) {
        /* exact: an integer below 2^53 times or over an exact power of ten */
        uint64_t m = 0;
        for (size_t k = 0; k < g.n; k++)
            m = m * 10 + (uint64_t)(g.d[k] - '0');
        v = g.exp10 < 0 ? (double)m / pow10[-g.exp10] : (double)m * pow10[g.exp10];
    } else if (g.exp10 + (long)g.n > 400) {
        return fail(why, "number out of range");
    } else if (g.exp10 + (long)g.n < -400) {
        v = 0;
    } else {
        char buf[sizeof g.d + 32];
        memcpy(buf, g.d, g.n);
        snprintf(buf + g.n, sizeof buf - g.n, "e%ld", g.exp10);
        errno = 0;
        v = strtod(buf, NULL);
        if (!isfinite(v))
            return fail(why, "number out of range");
    }
    *out = g.neg ? -v : v;
    return 0;
}

int ccs__csv_parse_int(const char *s, size_t n, char thousands, long long *out,
                       const char **why)
{
    const char *dummy;
    if (why == NULL)
        why = &dummy;
    bool neg;
    int rc = front(&s, &n, &neg, why);
    if (rc != 0)
        return rc;
    struct digits g;
    g.n = 0;
    g.exp10 = 0;
    size_t nint;
    *why = NULL;
    size_t i = int_part(s, n, thousands, &g, why, &nint);
    if (*why != NULL)
        return CCS_EPARSE;
    if (nint == 0)
        return fail(why, "expected a whole number");
    if (i < n) {
        if (s[i] == '.' || s[i] == ',' || s[i] == 'e' || s[i] == 'E')
            return fail(why, "expected a whole number");
        return fail(why, "unexpected characters after the number");
    }
    if (g.exp10 > 0 || g.n > 19)
        return fail(why, "number out of range");
    unsigned long long m = 0;
    for (size_t k = 0; k < g.n; k++) {
        unsigned dgt = (unsigned)(g.d[k] - '0');
        if (m > (ULLONG_MAX - dgt) / 10)
            return fail(why, "number out of range");
        m = m * 10 + dgt;
    }
    if ((!neg && m > (unsigned long long)LLONG_MAX) ||
        (neg && m > (unsigned long long)LLONG_MAX + 1))
        return fail(why, "number out of range");
    *out = neg ? (m == (unsigned long long)LLONG_MAX + 1 ? LLONG_MIN : -(long long)m)
               : (long long)m;
    return 0;
}

/* --- messages ------------------------------------------------------------------------- */

/* Bytes of the character at s[i] (a UTF-8 lead byte and its continuation bytes). */
static size_t char_len(const char *s, size_t n, size_t i)
{
    size_t len = 1;
    if ((unsigned char)s[i] >= 0xC0)
        while (i + len < n && len < 4 && ((unsigned char)s[i + len] & 0xC0) == 0x80)
            len++;
    return len;
}

void ccs__csv_excerpt(char *out, size_t cap, const char *s, size_t n)
{
    if (cap == 0)
        return;
    size_t total = 0;
    for (size_t i = 0; i < n; i += char_len(s, n, i))
        total++;
    size_t keep = total <= CCS__CSV_EXCERPT ? total : CCS__CSV_EXCERPT - 3;
    bool cut = keep < total;
    size_t o = 0, i = 0;
    for (size_t chars = 0; chars < keep; chars++) {
        size_t len = char_len(s, n, i);
        unsigned char c = (unsigned char)s[i];
        char esc[2];
        const char *piece = s + i;
        size_t plen = len;
        if (c == '\n' || c == '\r' || c == '\t') {
            esc[0] = '\\';
            esc[1] = c == '\n' ? 'n' : c == '\r' ? 'r' : 't';
            piece = esc;
            plen = 2;
        } else if (c < 0x20 || c == 0x7F) {
            esc[0] = '?';
            piece = esc;
            plen = 1;
        }
        if (o + plen + 4 > cap) { /* no room: cut here, keeping room for "..." */
            cut = true;
            break;
        }
        memcpy(out + o, piece, plen);
        o += plen;
        i += len;
    }
    if (cut && o + 4 <= cap) {
        memcpy(out + o, "...", 3);
        o += 3;
    }
    out[o] = '\0';
}
