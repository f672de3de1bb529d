/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * ydoc.h - a YAML document as a small tree whose nodes remember where they
 * came from (origin, line, column), so every later error can point at its
 * source. Only sim/fmt/ydoc.c touches libyaml; everything else reads this tree.
 *
 * The tree is owned by its struct ccs_ydoc (one arena); nodes are valid until
 * ccs__ydoc_free. Aliases are expanded to copies; duplicate keys, several
 * documents in one stream and non-scalar keys are errors.
 */
#ifndef CCS_FMT_YDOC_H
#define CCS_FMT_YDOC_H

#include "ccs/error.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Limits on input, so no file can exhaust memory or the stack. */
#define CCS_YDOC_MAX_FILE ((size_t)64 << 20) /* bytes in a file */
#define CCS_YDOC_MAX_NODES 1000000            /* nodes, aliases expanded */
#define CCS_YDOC_MAX_DEPTH 256                /* nesting levels */

enum ccs_ykind { CCS_Y_SCALAR, CCS_Y_MAP, CCS_Y_SEQ };

/* 48 bytes (64 with the fields in reading order): a scenario's loaded tree
   stays in memory through a run, 31,000 nodes at 1,000 queues (issue 16). */
struct ccs_ynode {
    const char *origin;        /* file name, or e.g. "--set"; owned by the doc */
    char *text;                /* scalar text (NUL-terminated, UTF-8); NULL otherwise */
    struct ccs_ynode **keys;   /* map: key nodes (always scalars) */
    struct ccs_ynode **items;  /* map: values, parallel to keys; seq: items */
    int line, col;             /* 1-based position of the node's first char */
    uint32_t len;              /* map: number of pairs; seq: number of items
                                  (at most CCS_YDOC_MAX_NODES) */
    uint8_t kind;              /* enum ccs_ykind */
    bool plain;                /* scalar written without quotes or tag ("" plain = null) */
};

struct ccs_ydoc;

/*
 * Load a YAML file. Errors fill d with "PATH:LINE:COL: error: ..." (1:1 when
 * there is no better place) and return a negative code; *out is then NULL:
 * CCS_EIO when the file cannot be read (missing, a directory, unreadable,
 * over CCS_YDOC_MAX_FILE); CCS_EPARSE for the content (empty file, syntax,
 * bad UTF-8, NUL bytes, duplicate key, non-scalar key, several documents,
 * unknown alias, over CCS_YDOC_MAX_NODES or CCS_YDOC_MAX_DEPTH); CCS_ENOMEM.
 * An alias becomes a copy located at the alias; its insides keep the
 * anchor's positions. Merge keys ("<<") are ordinary keys.
 */
int ccs__ydoc_load_file(const char *path, struct ccs_ydoc **out, struct ccs_diag *d);

/*
 * Load YAML from memory: len bytes of text (no NUL needed). origin names the
 * text in messages; line0/col0 are the 1-based position of text[0] in that
 * origin (so a value taken from a command-line argument reports the
 * argument's column): line 1 of text is shifted by col0 - 1 columns, every
 * line by line0 - 1 lines. Errors as for ccs__ydoc_load_file; empty text is
 * "empty document: expected a YAML value".
 */
int ccs__ydoc_load_string(const char *origin, const char *text, size_t len, int line0,
                          int col0, struct ccs_ydoc **out, struct ccs_diag *d);

/* The root node (never NULL for a loaded document). */
struct ccs_ynode *ccs__ydoc_root(const struct ccs_ydoc *doc);

/* Provenance. The SHA-256 (64 hex digits) of the text the document was
   read from ("" if it was not read from text); a clone keeps it. */
const char *ccs__ydoc_sha256(const struct ccs_ydoc *doc);
/* The bytes the doc holds (its chunks, its provenance), for memory estimates. */
size_t ccs__ydoc_bytes(const struct ccs_ydoc *doc);

/* The values set on the document since it was read (ccs__ydoc_set and
   _set_node), oldest first, as "path=value"; a clone keeps them. */
size_t ccs__ydoc_applied_count(const struct ccs_ydoc *doc);
const char *ccs__ydoc_applied(const struct ccs_ydoc *doc, size_t i);

/* Deep copy, positions and origins included. Returns 0 or CCS_ENOMEM. */
int ccs__ydoc_clone(const struct ccs_ydoc *src, struct ccs_ydoc **out);

/* Free a document and all its nodes. NULL is allowed. */
void ccs__ydoc_free(struct ccs_ydoc *doc);

/* The value for key in a map node, or NULL (also when map is not a map). */
struct ccs_ynode *ccs__ymap_get(const struct ccs_ynode *map, const char *key);

/*
 * Remove key and its value from map (order of the others kept). Returns
 * whether it was there; false also when map is not a map. The removed nodes
 * stay in the doc's arena until ccs__ydoc_free.
 */
bool ccs__ymap_remove(struct ccs_ynode *map, const char *key);

/*
 * Override one value by dotted path, e.g. "groups.team.agents" = "98".
 * Path segments: in a map, a key (created when missing, intermediate ones as
 * maps, so a valid key the file left out can be set; new keys are located at
 * their segment); in a sequence, a 0-based index (all digits) or the value
 * of an item's "id" key. The value text is parsed as YAML (so "98", "80%",
 * "[a, b]" and "{rate: 5/min}" all work; "" is an empty quoted string) and
 * its nodes are located at (origin, 1, value_col + offset). Path errors are
 * reported at (origin, 1, column of the offending segment) where path_col is
 * the column of path[0]: CCS_EINVAL for an empty path or segment, a path
 * that is not UTF-8, or one going through a scalar; CCS_ENOTFOUND for no
 * such index or id (listing the ids, with a suggestion when one is close).
 * Bad YAML in value gives CCS_EPARSE. On error nothing changes. Replaced
 * nodes stay in the doc's arena until ccs__ydoc_free.
 */
int ccs__ydoc_set(struct ccs_ydoc *doc, const char *path, const char *value,
                  const char *origin, int path_col, int value_col, struct ccs_diag *d);

/*
 * ccs__ydoc_set for overrides written in a YAML file (e.g. a scenario's
 * `variants:`): the path is key's text and path errors are located at key's
 * own line and column; value (a node of any kind, possibly of another doc)
 * is deep-copied with its positions, so later validation errors point into
 * the file. Same errors as ccs__ydoc_set, except that no YAML is parsed.
 */
int ccs__ydoc_set_node(struct ccs_ydoc *doc, const struct ccs_ynode *key,
                       const struct ccs_ynode *value, struct ccs_diag *d);

/* Record an error located at node n (origin:line:col). Returns code. */
int ccs__yerr(struct ccs_diag *d, int code, const struct ccs_ynode *n, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/*
 * Check that every key of map n is in allowed[0..n_allowed) (exact match).
 * On the first unknown key, report "unknown key 'x' in WHAT" at the key,
 * adding "; did you mean 'y'?" when ccs__closest finds one. Returns 0 or
 * CCS_ESCHEMA. A node that is not a map passes (its type is checked apart).
 */
int ccs__ycheck_keys(const struct ccs_ynode *n, const char *const *allowed, size_t n_allowed,
                     const char *what, struct ccs_diag *d);

/*
 * The candidate closest to word by edit distance (optimal string alignment
 * Damerau-Levenshtein, case-insensitive; ties go to the earliest), or NULL
 * when none is within max(2, strlen(word) / 3). Words or candidates longer
 * than 128 bytes never match.
 */
const char *ccs__closest(const char *word, const char *const *cands, size_t n);

/*
 * Write node n as YAML (block style, keys in document order, scalars quoted
 * only when needed: when plain text would not read back the same, or would
 * change type because the original was quoted) to f at the given
 * indentation. Loading the output gives the same tree (kinds, keys, texts).
 * Returns 0, CCS_EIO when f reports an error, or CCS_EINVAL for NULL.
 */
int ccs__ydoc_emit(const struct ccs_ynode *n, FILE *f, int indent);

#endif
