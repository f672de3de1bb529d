/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * csv.h - a streaming reader of delimited text as spreadsheets and ACD
 * systems export it: the dialect (separator, quoting, decimal comma, lines
 * before the header, limits) is declared by the caller; rows are read one at
 * a time in memory proportional to one row; every field knows its line and
 * column for FILE:LINE:COL messages. Knows nothing of contact centers;
 * docs/formats.md describes the dialect as a user reads it.
 */
#ifndef CCS_FMT_CSV_H
#define CCS_FMT_CSV_H

#include "ccs/error.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Separators besides the literal ',' ';' '\t' '|'. */
#define CCS__CSV_SEP_AUTO 0         /* decided from the header line (see dialect) */
#define CCS__CSV_SEP_WHITESPACE ' ' /* one or more spaces or tabs */

/* Default limits (docs/formats.md). */
#define CCS__CSV_MAX_ROW_BYTES ((size_t)1 << 20) /* 1 MiB per logical row */
#define CCS__CSV_MAX_ROWS ((uint64_t)50000000)   /* 50 million rows */
#define CCS__CSV_MAX_BYTES ((uint64_t)4 << 30)   /* 4 GiB per file */

/* Characters of a field quoted in an error message before it is cut with "...". */
#define CCS__CSV_EXCERPT 40
/* Bytes that always hold such an excerpt (4-byte characters, escapes, "..."). */
#define CCS__CSV_EXCERPT_CAP (4 * CCS__CSV_EXCERPT + 8)

/*
 * How a file is written. Fill with ccs__csv_dialect_init, then change what
 * differs. sep: ',' ';' '\t' '|', CCS__CSV_SEP_WHITESPACE (fields separated
 * by runs of blanks, blanks at line ends ignored: the Anonymous Bank log), or
 * CCS__CSV_SEP_AUTO: the one of , ; tab | that occurs most often outside
 * quotes in the header line; a tie, or none of them, is an error asking to
 * declare it.
 */
struct ccs__csv_dialect {
    char sep;             /* default ',' */
    char quote;           /* '"' (default), '\'', or 0: quotes are ordinary characters */
    char decimal;         /* decimal separator of numbers: '.' (default) or ',' */
    char thousands;       /* digit-group separator: 0 (default: none), ',', '.', '\'' or
                             ' ' (also matches U+00A0 and U+202F) */
    bool header;          /* the first line after skip_lines names the columns (default) */
    bool trim;            /* strip blanks around unquoted fields and around quotes */
    bool strict_width;    /* a row with more or fewer fields than the header is an error */
    size_t skip_lines;    /* physical lines skipped before the header (titles, notes) */
    size_t max_row_bytes; /* longest logical row, bytes, without its line end */
    uint64_t max_rows;    /* most data rows (the header not counted) */
    uint64_t max_bytes;   /* largest file, bytes */
};

/* The defaults: comma, '"', decimal point, no thousands separator, a header. */
void ccs__csv_dialect_init(struct ccs__csv_dialect *dl);

/*
 * Parse a separator name as a user writes it: "," ";" "|" "tab" (or a tab
 * character), "comma", "semicolon", "pipe", "whitespace", "auto". Returns 0
 * or CCS_EINVAL with *why set (static, lowercase).
 */
int ccs__csv_sep_parse(const char *name, char *sep, const char **why);

struct ccs__csvr;

/*
 * Open path for reading with dialect dl (copied): strip a UTF-8 byte-order
 * mark, skip dl->skip_lines lines, read the header. Only regular files are
 * read (a FIFO, device or directory is refused at once, never waited on).
 * On success *out owns the open file until ccs__csvr_free. Returns 0, or
 * CCS_EIO (cannot open or read: d names the path and the cause), CCS_EPARSE
 * (bad bytes, no header, a limit passed: d says where), CCS_EINVAL (a
 * dialect that cannot work), CCS_ENOMEM.
 */
int ccs__csvr_new(const char *path, const struct ccs__csv_dialect *dl, struct ccs__csvr **out,
                  struct ccs_diag *d);

/*
 * The same over len bytes in memory (not copied: they must outlive the
 * reader); name is printed in messages.
 */
int ccs__csvr_new_mem(const char *name, const char *data, size_t len,
                      const struct ccs__csv_dialect *dl, struct ccs__csvr **out,
                      struct ccs_diag *d);

/* Close and free; NULL is a no-op. */
void ccs__csvr_free(struct ccs__csvr *r);

/*
 * Read the next row. true: a row is ready (its fields stay valid until the
 * next call). false: the end of the data, or an error, which is then in d
 * and in ccs__csvr_status. Blank lines (nothing but spaces or tabs) and
 * rows whose fields are all empty and unquoted (",,,") are skipped
 * anywhere. A row longer than max_row_bytes, the row after
 * max_rows, an unclosed quote, a NUL byte, or (strict_width) a row of the
 * wrong width is an error located in the file.
 */
bool ccs__csvr_next(struct ccs__csvr *r, struct ccs_diag *d);

/* 0 after a clean end of data, or the negative code of the error that stopped it. */
int ccs__csvr_status(const struct ccs__csvr *r);

/* The path (or name) as printed in messages. */
const char *ccs__csvr_path(const struct ccs__csvr *r);

/* The dialect in force (sep resolved when it was auto). */
const struct ccs__csv_dialect *ccs__csvr_dialect(const struct ccs__csvr *r);

/* Columns of the header (0 without one), and the name of column i ("" beyond). */
size_t ccs__csvr_ncols(const struct ccs__csvr *r);
const char *ccs__csvr_colname(const struct ccs__csvr *r, size_t i);

/*
 * Index of the column named name, matched case-insensitively (ASCII) with
 * blanks around both trimmed; -1 when there is none. The first wins when a
 * name repeats.
 */
int ccs__csvr_find(const struct ccs__csvr *r, const char *name);

/*
 * The same, as a requirement: 0 and *idx, or CCS_ENOTFOUND with an error at
 * the header line listing the columns, or CCS_EPARSE when the name is on
 * two columns (which one was meant is unknown).
 */
int ccs__csvr_need(const struct ccs__csvr *r, const char *name, size_t *idx,
                   struct ccs_diag *d);

/* Fields in the current row. */
size_t ccs__csvr_nfields(const struct ccs__csvr *r);

/* Field i of the current row, NUL-terminated, unquoted; "" beyond the row. */
const char *ccs__csvr_get(const struct ccs__csvr *r, size_t i);

/* Its length in bytes (0 beyond the row). */
size_t ccs__csvr_len(const struct ccs__csvr *r, size_t i);

/* The 1-based line where the current row starts. */
long ccs__csvr_line(const struct ccs__csvr *r);

/* Rows read so far (the current one included; the header not counted). */
uint64_t ccs__csvr_rows(const struct ccs__csvr *r);

/*
 * Where field i starts: 1-based line and column (in characters of UTF-8,
 * a tab counting one; the opening quote of a quoted field). A field beyond
 * the row is placed just after the row's last field.
 */
void ccs__csvr_where(const struct ccs__csvr *r, size_t i, long *line, long *col);

/*
 * Record an error about field i: "FILE:LINE:COL: error: bad WHAT 'VALUE' in
 * column 'NAME': WHY" (VALUE cut to CCS__CSV_EXCERPT characters, "field N"
 * when the file has no header). Returns code, for `return ccs__csvr_bad(...)`.
 */
int ccs__csvr_bad(const struct ccs__csvr *r, size_t i, struct ccs_diag *d, int code,
                  const char *what, const char *why);

/*
 * Field i as a number in the file's dialect (decimal comma and thousands
 * separator only if declared): 0 and *out, or CCS_EPARSE with a located
 * error ("bad number ..."). An empty field is an error: test
 * ccs__csvr_len first where empty means "not recorded".
 */
int ccs__csvr_number(const struct ccs__csvr *r, size_t i, double *out, struct ccs_diag *d);

/* Field i as a whole number within long long, likewise ("bad integer ..."). */
int ccs__csvr_int(const struct ccs__csvr *r, size_t i, long long *out, struct ccs_diag *d);

/*
 * A decimal number in s[0..n): blanks around it, an optional sign, digits
 * (grouped by thousands when thousands is not 0: 1-3 digits, then groups of
 * exactly 3), an optional decimal part after decimal ('.' or ','), an
 * optional exponent (e or E). NaN, infinities, hexadecimal and trailing
 * characters are refused. Returns 0 and *out, or CCS_EPARSE with *why
 * (static, lowercase). Rounding is correct for up to 15 significant digits
 * and exponents within 1e+-22, and otherwise as strtod in the C locale.
 */
int ccs__csv_parse_number(const char *s, size_t n, char decimal, char thousands, double *out,
                          const char **why);

/* A whole number likewise (no decimal part, no exponent), within long long. */
int ccs__csv_parse_int(const char *s, size_t n, char thousands, long long *out,
                       const char **why);

/*
 * Write s[0..n) into out (cap bytes, always NUL-terminated) for quoting in a
 * message: at most CCS__CSV_EXCERPT characters, then "..." if cut (never
 * inside a UTF-8 character); tabs and line ends as \t \r \n, other control
 * bytes as '?'.
 */
void ccs__csv_excerpt(char *out, size_t cap, const char *s, size_t n);

#endif
