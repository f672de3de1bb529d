/*
 * ydoc.h - a YAML document as a small tree whose nodes remember where they
 * came from (origin, line, column), so every later error can point at its
 * source. Only sim/io touches libyaml; the rest of io/ reads this tree.
 *
 * The tree is owned by its struct ccs_ydoc (one arena); nodes are valid until
 * ccs__ydoc_free. Aliases are expanded to copies; duplicate keys, several
 * documents in one stream and non-scalar keys are errors.
 */
#ifndef CCS_IO_YDOC_H
#define CCS_IO_YDOC_H

#include "ccs/error.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum ccs_ykind { CCS_Y_SCALAR, CCS_Y_MAP, CCS_Y_SEQ };

struct ccs_ynode {
    enum ccs_ykind kind;
    const char *origin;        /* file name, or e.g. "--set"; owned by the doc */
    int line, col;             /* 1-based position of the node's first char */
    char *text;                /* scalar text (NUL-terminated); NULL otherwise */
    bool plain;                /* scalar written without quotes */
    size_t len;                /* map: number of pairs; seq: number of items */
    struct ccs_ynode **keys;   /* map: key nodes (always scalars) */
    struct ccs_ynode **items;  /* map: values, parallel to keys; seq: items */
};

struct ccs_ydoc;

/*
 * Load a YAML file. Errors (missing file, a directory, unreadable, empty
 * file, syntax error, duplicate key, more than one document, file larger
 * than 64 MiB) fill d with "PATH:LINE:COL: error: ..." and return a negative
 * CCS_E* code; *out is then NULL. An empty document is an error.
 */
int ccs__ydoc_load_file(const char *path, struct ccs_ydoc **out, struct ccs_diag *d);

/*
 * Load YAML from memory. origin names the text in messages; line0/col0 are
 * the 1-based position of text[0] in that origin (so a value taken from a
 * command-line argument reports the argument's column).
 */
int ccs__ydoc_load_string(const char *origin, const char *text, size_t len, int line0,
                          int col0, struct ccs_ydoc **out, struct ccs_diag *d);

/* The root node (never NULL for a loaded document). */
struct ccs_ynode *ccs__ydoc_root(const struct ccs_ydoc *doc);

/* Deep copy. Returns 0 or CCS_ENOMEM. */
int ccs__ydoc_clone(const struct ccs_ydoc *src, struct ccs_ydoc **out);

/* Free a document and all its nodes. NULL is allowed. */
void ccs__ydoc_free(struct ccs_ydoc *doc);

/* The value for key in a map node, or NULL (also when map is not a map). */
struct ccs_ynode *ccs__ymap_get(const struct ccs_ynode *map, const char *key);

/*
 * Override one value by dotted path, e.g. "groups.team.agents" = "98".
 * Path segments: in a map, a key (created when missing, so a valid key the
 * file left out can be set); in a sequence, a 0-based index or the value of
 * an item's "id" key. The value text is parsed as YAML (so "98", "80%",
 * "[a, b]" and "{rate: 5/min}" all work) and its nodes are located at
 * (origin, 1, value_col + offset). Errors (empty path, no such item, path
 * goes through a scalar, bad YAML in value) are reported at
 * (origin, 1, column of the offending segment) where path_col is the column
 * of path[0]. Returns 0 or a negative CCS_E* code with d filled.
 */
int ccs__ydoc_set(struct ccs_ydoc *doc, const char *path, const char *value,
                  const char *origin, int path_col, int value_col, struct ccs_diag *d);

/* Record an error located at node n (origin:line:col). Returns code. */
int ccs__yerr(struct ccs_diag *d, int code, const struct ccs_ynode *n, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/*
 * Check that every key of map n is in allowed[0..n_allowed). On an unknown
 * key, report "unknown key 'x' in WHAT" at the key, adding "; did you mean
 * 'y'?" when a close allowed key exists. Returns 0 or CCS_ESCHEMA.
 */
int ccs__ycheck_keys(const struct ccs_ynode *n, const char *const *allowed, size_t n_allowed,
                     const char *what, struct ccs_diag *d);

/*
 * The candidate closest to word by edit distance (Damerau-Levenshtein,
 * case-insensitive), or NULL when none is within max(2, strlen(word) / 3).
 */
const char *ccs__closest(const char *word, const char *const *cands, size_t n);

/*
 * Write node n as YAML (block style, keys in document order, scalars quoted
 * only when needed) to f at the given indentation. Returns 0 or CCS_EIO.
 */
int ccs__ydoc_emit(const struct ccs_ynode *n, FILE *f, int indent);

#endif
