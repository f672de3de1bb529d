/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * ydoc.c - YAML documents as position-carrying trees (see ydoc.h): loading
 * through libyaml's event API into a per-document arena, dotted-path
 * overrides, key checks with suggestions, and a block-style writer.
 */
#include "fmt/ydoc.h"
#include "fmt/fileio.h"
#include "ccs/mem.h"

#include "core/grow.h"
#include "core/sha256.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>
#include <yaml.h>

#define CHUNK_SIZE 65536
/* A copy's chunks after the first: a sweep holds one copy per point, and
   the few values each point sets must not cost another CHUNK_SIZE each. */
#define CLONE_CHUNK_SIZE 4096
#define CLOSEST_MAX_LEN 128  /* longer words are never suggestions */
#define EXPLICIT_KEY_LEN 100 /* emit longer keys as "? key" (libyaml caps simple keys) */

/* ------------------------------------------------------------------ arena */

/* Nodes, arrays and strings live in chunks freed together with the doc. */
struct chunk {
    struct chunk *next;
    size_t used, cap;
    max_align_t mem[];
};

struct origin {
    struct origin *next;
    char *name;
};

struct ccs_ydoc {
    struct chunk *chunks;
    struct origin *origins; /* distinct origin names, shared by nodes */
    struct ccs_ynode *root;
    size_t nodes;
    /* provenance: the hash of the text it was read from, and every value
       set since, as "path=value" in order (malloc'd) */
    char sha256[65];
    char **applied;
    size_t n_applied, cap_applied;
    size_t chunk; /* the size of the next chunk; 0: CHUNK_SIZE (a copy's, a short text's: smaller) */
};

/* Zeroed memory from the doc's arena aligned to align (a power of two, at
   most that of max_align_t), or NULL. Strings take align 1: a 16-byte grain
   for every scalar was a tenth of a large scenario's tree. */
static void *arena_alloc_aligned(struct ccs_ydoc *doc, size_t size, size_t align)
{
    if (size > SIZE_MAX / 2)
        return NULL;
    struct chunk *c = doc->chunks;
    size_t pad = c == NULL ? 0 : (align - c->used % align) % align;
    if (c == NULL || c->cap - c->used < size + pad) {
        size_t want = doc->chunk ? doc->chunk : CHUNK_SIZE;
        size_t cap = size > want / 4 ? size : want;
        struct chunk *fresh = ccs_malloc(sizeof *fresh + cap);
        if (fresh == NULL)
            return NULL;
        fresh->used = 0;
        fresh->cap = cap;
        pad = 0;
        if (c != NULL && cap == size) {
            /* A big block gets its own chunk; keep filling the current one. */
            fresh->next = c->next;
            c->next = fresh;
        } else {
            fresh->next = c;
            doc->chunks = fresh;
        }
        c = fresh;
        /* a copy's first chunk holds the copy; what is set later is small */
        if (doc->chunk != 0 && cap == want)
            doc->chunk = CLONE_CHUNK_SIZE;
    }
    void *p = (char *)c->mem + c->used + pad;
    c->used += pad + size;
    memset(p, 0, size);
    return p;
}

/* Nodes, origins and arrays of node pointers. */
static void *arena_alloc(struct ccs_ydoc *doc, size_t size)
{
    return arena_alloc_aligned(doc, size, _Alignof(struct ccs_ynode));
}

static char *arena_strndup(struct ccs_ydoc *doc, const char *s, size_t n)
{
    char *p = n < SIZE_MAX ? arena_alloc_aligned(doc, n + 1, 1) : NULL;
    if (p != NULL) {
        memcpy(p, s, n);
        p[n] = '\0';
    }
    return p;
}

/* The doc's copy of an origin name (one copy per distinct name), or NULL. */
static const char *intern_origin(struct ccs_ydoc *doc, const char *name)
{
    if (name == NULL)
        name = "<input>";
    for (struct origin *o = doc->origins; o != NULL; o = o->next)
        if (o->name == name || strcmp(o->name, name) == 0)
            return o->name;
    struct origin *o = arena_alloc(doc, sizeof *o);
    char *copy = arena_strndup(doc, name, strlen(name));
    if (o == NULL || copy == NULL)
        return NULL;
    o->name = copy;
    o->next = doc->origins;
    doc->origins = o;
    return copy;
}

static struct ccs_ynode *node_new(struct ccs_ydoc *doc, enum ccs_ykind kind, const char *origin,
                                  int line, int col)
{
    struct ccs_ynode *n = arena_alloc(doc, sizeof *n);
    if (n == NULL)
        return NULL;
    n->kind = kind;
    n->origin = origin;
    n->line = line;
    n->col = col;
    doc->nodes++;
    return n;
}

/* Append an item (and its key, for a map), doubling the arrays when full. */
static int node_append(struct ccs_ydoc *doc, struct ccs_ynode *n, size_t *cap,
                       struct ccs_ynode *key, struct ccs_ynode *item)
{
    if (n->len == *cap) {
        size_t ncap = *cap < 4 ? 4 : *cap * 2;
        struct ccs_ynode **items = arena_alloc(doc, ncap * sizeof *items);
        struct ccs_ynode **keys = NULL;
        if (n->kind == CCS_Y_MAP)
            keys = arena_alloc(doc, ncap * sizeof *keys);
        if (items == NULL || (n->kind == CCS_Y_MAP && keys == NULL))
            return CCS_ENOMEM;
        if (n->len > 0) {
            memcpy(items, n->items, n->len * sizeof *items);
            if (keys != NULL)
                memcpy(keys, n->keys, n->len * sizeof *keys);
        }
        n->items = items;
        n->keys = keys;
        *cap = ncap;
    }
    if (n->kind == CCS_Y_MAP)
        n->keys[n->len] = key;
    n->items[n->len++] = item;
    return 0;
}

/*
 * Deep copy of src into doc (which may be src's own doc). CCS_ERANGE when
 * the copy would nest deeper than depth_left, CCS_ENOMEM when out of memory.
 */
static int copy_node(struct ccs_ydoc *doc, const struct ccs_ynode *src, int depth_left,
                     struct ccs_ynode **out)
{
    if (depth_left < 0)
        return CCS_ERANGE;
    const char *origin = intern_origin(doc, src->origin);
    struct ccs_ynode *n =
        origin != NULL ? node_new(doc, src->kind, origin, src->line, src->col) : NULL;
    if (n == NULL)
        return CCS_ENOMEM;
    n->plain = src->plain;
    if (src->kind == CCS_Y_SCALAR) {
        n->text = arena_strndup(doc, src->text, strlen(src->text));
        *out = n;
        return n->text != NULL ? 0 : CCS_ENOMEM;
    }
    if (src->len > 0) {
        n->items = arena_alloc(doc, src->len * sizeof *n->items);
        if (src->kind == CCS_Y_MAP)
            n->keys = arena_alloc(doc, src->len * sizeof *n->keys);
        if (n->items == NULL || (src->kind == CCS_Y_MAP && n->keys == NULL))
            return CCS_ENOMEM;
    }
    n->len = src->len;
    for (size_t i = 0; i < src->len; i++) {
        int rc = copy_node(doc, src->items[i], depth_left - 1, &n->items[i]);
        if (rc == 0 && src->kind == CCS_Y_MAP)
            rc = copy_node(doc, src->keys[i], depth_left - 1, &n->keys[i]);
        if (rc != 0)
            return rc;
    }
    *out = n;
    return 0;
}

/* ----------------------------------------------------------------- loader */

struct anchor {
    const char *name; /* NULL marks a free slot */
    const struct ccs_ynode *node;
    size_t count; /* nodes in the anchored subtree, for the size cap */
};

struct loader {
    struct ccs_ydoc *doc;
    yaml_parser_t parser;
    const char *origin; /* interned in doc */
    const unsigned char *text;
    size_t len;
    int line0, col0;
    struct ccs_diag *d;
    struct anchor *anchors; /* open-addressing hash table, load <= 1/2 */
    size_t n_anchors, cap_anchors;
};

/* Map a 0-based libyaml position to the 1-based position in the origin. */
static void to_pos(const struct loader *L, size_t line, size_t col, int *pl, int *pc)
{
    const size_t cap = INT_MAX / 4;
    *pl = L->line0 + (int)(line < cap ? line : cap);
    *pc = (line == 0 ? L->col0 : 1) + (int)(col < cap ? col : cap);
}

/* The libyaml-style mark of byte offset off in the text. */
static yaml_mark_t offset_mark(const struct loader *L, size_t off)
{
    yaml_mark_t m = {0, 0, 0};
    const unsigned char *t = L->text;
    for (size_t i = 0; i < off && i < L->len; i++) {
        if (t[i] == '\n' || (t[i] == '\r' && (i + 1 == L->len || t[i + 1] != '\n'))) {
            m.line++;
            m.column = 0;
        } else if ((t[i] & 0xC0) != 0x80 && t[i] != '\r') {
            m.column++;
        }
    }
    return m;
}

static int lerr(const struct loader *L, int code, yaml_mark_t m, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 4, 5)))
#endif
    ;

/* Record an error at libyaml mark m. Returns code. */
static int lerr(const struct loader *L, int code, yaml_mark_t m, const char *fmt, ...)
{
    char msg[sizeof L->d->msg];
    int line, col;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    /* At the end of input libyaml moves to a line that may not exist. */
    yaml_mark_t end = offset_mark(L, L->len);
    if (m.line > end.line || (m.line == end.line && m.column > end.column))
        m = end;
    to_pos(L, m.line, m.column, &line, &col);
    return ccs_diag_at(L->d, code, L->origin, line, col, "%s", msg);
}

/* Turn libyaml's error state into a located message. */
static int yaml_failure(const struct loader *L)
{
    const yaml_parser_t *p = &L->parser;
    const char *problem = p->problem != NULL ? p->problem : "syntax error";
    if (p->error == YAML_MEMORY_ERROR)
        return ccs_diag_at(L->d, CCS_ENOMEM, L->origin, L->line0, L->col0, "out of memory");
    if (p->error == YAML_READER_ERROR) {
        /* Only a byte offset is known. */
        yaml_mark_t m = offset_mark(L, p->problem_offset);
        if (p->problem_value < 0)
            return lerr(L, CCS_EPARSE, m, "%s", problem);
        return lerr(L, CCS_EPARSE, m, p->problem_value <= 0xFF ? "%s (0x%02X)" : "%s (U+%04X)",
                    problem, (unsigned)p->problem_value);
    }
    if (p->context != NULL && (p->context_mark.line != p->problem_mark.line ||
                               p->context_mark.column != p->problem_mark.column)) {
        int line, col;
        to_pos(L, p->context_mark.line, p->context_mark.column, &line, &col);
        return lerr(L, CCS_EPARSE, p->problem_mark, "%s (%s at line %d, column %d)", problem,
                    p->context, line, col);
    }
    return lerr(L, CCS_EPARSE, p->problem_mark, "%s", problem);
}

static int next_event(struct loader *L, yaml_event_t *ev)
{
    if (!yaml_parser_parse(&L->parser, ev))
        return yaml_failure(L);
    return 0;
}

static size_t hash_str(const char *s)
{
    size_t h = 2166136261u;
    for (; *s != '\0'; s++)
        h = (h ^ (unsigned char)*s) * 16777619u;
    return h;
}

/* The slot for name: its entry, or the free slot where it would go. */
static struct anchor *anchor_slot(struct anchor *table, size_t cap, const char *name)
{
    size_t i = hash_str(name) & (cap - 1);
    while (table[i].name != NULL && strcmp(table[i].name, name) != 0)
        i = (i + 1) & (cap - 1);
    return &table[i];
}

static const struct anchor *anchor_find(const struct loader *L, const char *name)
{
    if (L->cap_anchors == 0)
        return NULL;
    const struct anchor *a = anchor_slot(L->anchors, L->cap_anchors, name);
    return a->name != NULL ? a : NULL;
}

/* Define (or redefine: the latest wins) an anchor. */
static int anchor_put(struct loader *L, const char *name, const struct ccs_ynode *node,
                      size_t count)
{
    if (2 * (L->n_anchors + 1) > L->cap_anchors) {
        size_t cap = L->cap_anchors < 16 ? 16 : 2 * L->cap_anchors;
        struct anchor *table = ccs_calloc(cap, sizeof *table);
        if (table == NULL)
            return CCS_ENOMEM;
        for (size_t i = 0; i < L->cap_anchors; i++)
            if (L->anchors[i].name != NULL)
                *anchor_slot(table, cap, L->anchors[i].name) = L->anchors[i];
        free(L->anchors);
        L->anchors = table;
        L->cap_anchors = cap;
    }
    struct anchor *a = anchor_slot(L->anchors, L->cap_anchors, name);
    if (a->name == NULL) {
        a->name = arena_strndup(L->doc, name, strlen(name));
        if (a->name == NULL)
            return CCS_ENOMEM;
        L->n_anchors++;
    }
    a->node = node;
    a->count = count;
    return 0;
}

struct key_ref {
    const struct ccs_ynode *key;
    size_t index;
};

static int key_ref_cmp(const void *a, const void *b)
{
    const struct key_ref *x = a, *y = b;
    int c = strcmp(x->key->text, y->key->text);
    if (c != 0)
        return c;
    return x->index < y->index ? -1 : x->index > y->index;
}

/* Report the earliest repeated key of map, at the repeat. Sorting keeps big maps fast. */
static int check_duplicates(const struct loader *L, const struct ccs_ynode *map)
{
    if (map->len < 2)
        return 0;
    struct key_ref *refs = ccs_malloc(map->len * sizeof *refs);
    if (refs == NULL)
        return ccs__yerr(L->d, CCS_ENOMEM, map, "out of memory");
    for (size_t i = 0; i < map->len; i++) {
        refs[i].key = map->keys[i];
        refs[i].index = i;
    }
    qsort(refs, map->len, sizeof *refs, key_ref_cmp);
    const struct key_ref *first = NULL, *again = NULL;
    for (size_t i = 1; i < map->len; i++) {
        if (strcmp(refs[i].key->text, refs[i - 1].key->text) == 0 &&
            (again == NULL || refs[i].index < again->index)) {
            first = &refs[i - 1];
            again = &refs[i];
        }
    }
    int rc = 0;
    if (again != NULL)
        rc =
            ccs__yerr(L->d, CCS_EPARSE, again->key, "duplicate key '%s' (first defined at line %d)",
                      again->key->text, first->key->line);
    free(refs);
    return rc;
}

static int parse_node(struct loader *L, const yaml_event_t *ev, int depth, struct ccs_ynode **out);

/* Children of n up to the matching end event. */
static int parse_children(struct loader *L, struct ccs_ynode *n, int depth)
{
    static const char *const kind_name[] = {"scalar", "mapping", "sequence"};
    size_t cap = 0;
    for (;;) {
        struct ccs_ynode *child[2] = {NULL, NULL}; /* key, value; or item */
        int want = n->kind == CCS_Y_MAP ? 2 : 1;
        for (int k = 0; k < want; k++) {
            yaml_event_t ev;
            int rc = next_event(L, &ev);
            if (rc != 0)
                return rc;
            bool end = ev.type == YAML_MAPPING_END_EVENT || ev.type == YAML_SEQUENCE_END_EVENT;
            if (!end)
                rc = parse_node(L, &ev, depth + 1, &child[k]);
            yaml_event_delete(&ev);
            if (rc != 0)
                return rc;
            if (end)
                return n->kind == CCS_Y_MAP ? check_duplicates(L, n) : 0;
            if (want == 2 && k == 0 && child[0]->kind != CCS_Y_SCALAR)
                return ccs__yerr(L->d, CCS_EPARSE, child[0],
                                 "mapping key must be a scalar, found a %s",
                                 kind_name[child[0]->kind]);
        }
        if (node_append(L->doc, n, &cap, want == 2 ? child[0] : NULL, child[want - 1]) != 0)
            return ccs__yerr(L->d, CCS_ENOMEM, n, "out of memory");
    }
}

static int parse_alias(struct loader *L, const yaml_event_t *ev, int depth, struct ccs_ynode **out)
{
    const char *name = (const char *)ev->data.alias.anchor;
    const struct anchor *a = anchor_find(L, name);
    if (a == NULL)
        return lerr(L, CCS_EPARSE, ev->start_mark, "alias to unknown anchor '%s'", name);
    if (a->count > CCS_YDOC_MAX_NODES - L->doc->nodes)
        return lerr(L, CCS_EPARSE, ev->start_mark, "document too large (more than %d nodes)",
                    CCS_YDOC_MAX_NODES);
    int rc = copy_node(L->doc, a->node, CCS_YDOC_MAX_DEPTH - depth, out);
    if (rc == CCS_ERANGE)
        return lerr(L, CCS_EPARSE, ev->start_mark, "nesting too deep (more than %d levels)",
                    CCS_YDOC_MAX_DEPTH);
    if (rc != 0)
        return lerr(L, rc, ev->start_mark, "out of memory");
    /* The copy sits where the alias is; its insides keep the anchor's positions. */
    to_pos(L, ev->start_mark.line, ev->start_mark.column, &(*out)->line, &(*out)->col);
    return 0;
}

/* Build the node that starts with event ev (the caller deletes ev). */
static int parse_node(struct loader *L, const yaml_event_t *ev, int depth, struct ccs_ynode **out)
{
    if (ev->type == YAML_ALIAS_EVENT)
        return parse_alias(L, ev, depth, out);
    if (depth > CCS_YDOC_MAX_DEPTH)
        return lerr(L, CCS_EPARSE, ev->start_mark, "nesting too deep (more than %d levels)",
                    CCS_YDOC_MAX_DEPTH);
    if (L->doc->nodes >= CCS_YDOC_MAX_NODES)
        return lerr(L, CCS_EPARSE, ev->start_mark, "document too large (more than %d nodes)",
                    CCS_YDOC_MAX_NODES);
    size_t before = L->doc->nodes;
    int line, col, rc = 0;
    to_pos(L, ev->start_mark.line, ev->start_mark.column, &line, &col);
    const yaml_char_t *anchor;
    struct ccs_ynode *n;
    if (ev->type == YAML_SCALAR_EVENT) {
        const char *value = (const char *)ev->data.scalar.value;
        size_t len = ev->data.scalar.length;
        anchor = ev->data.scalar.anchor;
        if (memchr(value, '\0', len) != NULL)
            return lerr(L, CCS_EPARSE, ev->start_mark, "scalar contains a NUL character");
        n = node_new(L->doc, CCS_Y_SCALAR, L->origin, line, col);
        if (n != NULL) {
            n->text = arena_strndup(L->doc, value, len);
            /* A tag (e.g. "!!str yes") turns off implicit typing like quotes do. */
            n->plain =
                ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE && ev->data.scalar.plain_implicit;
        }
        if (n == NULL || n->text == NULL)
            return lerr(L, CCS_ENOMEM, ev->start_mark, "out of memory");
    } else {
        bool map = ev->type == YAML_MAPPING_START_EVENT;
        anchor = map ? ev->data.mapping_start.anchor : ev->data.sequence_start.anchor;
        n = node_new(L->doc, map ? CCS_Y_MAP : CCS_Y_SEQ, L->origin, line, col);
        if (n == NULL)
            return lerr(L, CCS_ENOMEM, ev->start_mark, "out of memory");
        rc = parse_children(L, n, depth);
    }
    if (rc == 0 && anchor != NULL &&
        anchor_put(L, (const char *)anchor, n, L->doc->nodes - before) != 0)
        rc = lerr(L, CCS_ENOMEM, ev->start_mark, "out of memory");
    *out = n;
    return rc;
}

/* The whole stream: exactly one document with a non-empty root. */
static int load_stream(struct loader *L, const char *empty_msg)
{
    struct ccs_ynode *root = NULL;
    for (;;) {
        yaml_event_t ev;
        int rc = next_event(L, &ev);
        if (rc != 0)
            return rc;
        yaml_event_type_t type = ev.type;
        if (type == YAML_DOCUMENT_START_EVENT && root != NULL)
            rc = lerr(L, CCS_EPARSE, ev.start_mark, "more than one document");
        else if (type == YAML_SCALAR_EVENT || type == YAML_SEQUENCE_START_EVENT ||
                 type == YAML_MAPPING_START_EVENT || type == YAML_ALIAS_EVENT)
            rc = parse_node(L, &ev, 1, &root);
        yaml_event_delete(&ev);
        if (rc != 0)
            return rc;
        if (type == YAML_STREAM_END_EVENT)
            break;
    }
    /* "---" alone gives an empty plain scalar: as empty as no document. */
    if (root == NULL || (root->kind == CCS_Y_SCALAR && root->plain && root->text[0] == '\0'))
        return ccs_diag_at(L->d, CCS_EPARSE, L->origin, L->line0, L->col0, "%s", empty_msg);
    L->doc->root = root;
    return 0;
}

static int load_text(const char *origin, const char *text, size_t len, int line0, int col0,
                     const char *empty_msg, struct ccs_ydoc **out, struct ccs_diag *d)
{
    struct loader L;
    memset(&L, 0, sizeof L);
    *out = NULL;
    L.doc = ccs_calloc(1, sizeof *L.doc);
    /* a short text (a --grid or --set value: a sweep parses one per value)
       in small chunks, not a CHUNK_SIZE each */
    if (L.doc != NULL && len < CLONE_CHUNK_SIZE / 8)
        L.doc->chunk = CLONE_CHUNK_SIZE;
    L.origin = L.doc != NULL ? intern_origin(L.doc, origin) : NULL;
    if (L.origin == NULL || !yaml_parser_initialize(&L.parser)) {
        ccs__ydoc_free(L.doc);
        return ccs_diag_at(d, CCS_ENOMEM, origin, line0, col0, "out of memory");
    }
    L.text = (const unsigned char *)text;
    L.len = len;
    L.line0 = line0;
    L.col0 = col0;
    L.d = d;
    yaml_parser_set_input_string(&L.parser, L.text, len);
    int rc = load_stream(&L, empty_msg);
    yaml_parser_delete(&L.parser);
    free(L.anchors);
    if (rc != 0) {
        ccs__ydoc_free(L.doc);
        return rc;
    }
    ccs__sha256_hex(text, len, L.doc->sha256);
    *out = L.doc;
    return 0;
}

/* Read all of path (at most CCS_YDOC_MAX_FILE bytes) into a malloc'd buffer. */
static int read_file(const char *path, char **out, size_t *len, struct ccs_diag *d)
{
    const size_t max = CCS_YDOC_MAX_FILE;
    /* O_NONBLOCK: opening a FIFO must not wait for a writer; fstat then refuses it */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (fd < 0)
        return ccs_diag_at(d, CCS_EIO, path, 1, 1, "cannot open '%s': %s", path, strerror(errno));
    struct stat st;
    int rc = 0;
    char *buf = NULL;
    size_t cap = 65536, n = 0;
    if (fstat(fd, &st) != 0)
        rc = ccs_diag_at(d, CCS_EIO, path, 1, 1, "cannot read '%s': %s", path, strerror(errno));
    else if (S_ISDIR(st.st_mode))
        rc = ccs_diag_at(d, CCS_EIO, path, 1, 1, "cannot read '%s': is a directory", path);
    else if (!S_ISREG(st.st_mode)) /* a device or FIFO may never end, or wait forever */
        rc = ccs_diag_at(d, CCS_EIO, path, 1, 1, "cannot read '%s': not a regular file (%s)",
                         path, ccs__file_kind(st.st_mode));
    else if ((uintmax_t)st.st_size > max)
        rc = CCS_ERANGE;
    else
        cap = (size_t)st.st_size + 1; /* +1 sees the end of file without regrowing */
    if (rc == 0) {
        int fl = fcntl(fd, F_GETFL);
        if (fl >= 0)
            fcntl(fd, F_SETFL, fl & ~O_NONBLOCK);
    }
    if (rc == 0) {
        buf = ccs_malloc(cap);
        if (buf == NULL)
            rc = ccs_diag_at(d, CCS_ENOMEM, path, 1, 1, "out of memory");
    }
    while (rc == 0) {
        if (n == cap) {
            if (n > max) {
                rc = CCS_ERANGE;
                break;
            }
            size_t ncap = cap > max / 2 ? max + 1 : cap * 2;
            char *grown = ccs_realloc(buf, ncap);
            if (grown == NULL) {
                rc = ccs_diag_at(d, CCS_ENOMEM, path, 1, 1, "out of memory");
                break;
            }
            buf = grown;
            cap = ncap;
        }
        ssize_t got = read(fd, buf + n, cap - n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0)
            rc = ccs_diag_at(d, CCS_EIO, path, 1, 1, "cannot read '%s': %s", path, strerror(errno));
        else if (got == 0)
            break;
        else
            n += (size_t)got;
    }
    close(fd);
    if (rc == CCS_ERANGE)
        rc = ccs_diag_at(d, CCS_EIO, path, 1, 1, "cannot read '%s': file too large (limit %d MiB)",
                         path, (int)(max >> 20));
    if (rc != 0) {
        free(buf);
        return rc;
    }
    *out = buf;
    *len = n;
    return 0;
}

int ccs__ydoc_load_file(const char *path, struct ccs_ydoc **out, struct ccs_diag *d)
{
    char *buf = NULL;
    size_t len = 0;
    *out = NULL;
    int rc = read_file(path, &buf, &len, d);
    if (rc != 0)
        return rc;
    rc =
        load_text(path, buf, len, 1, 1, "empty file: expected a scenario (a YAML mapping)", out, d);
    free(buf);
    return rc;
}

int ccs__ydoc_load_string(const char *origin, const char *text, size_t len, int line0, int col0,
                          struct ccs_ydoc **out, struct ccs_diag *d)
{
    return load_text(origin, text, len, line0, col0, "empty document: expected a YAML value", out,
                     d);
}

struct ccs_ynode *ccs__ydoc_root(const struct ccs_ydoc *doc)
{
    return doc->root;
}

/* value as one line of flow YAML: "x", "[1, 2]", "{a: 1}" (scalars as
   written, without their quotes: provenance for people, not a parser). */
static void flow(const struct ccs_ynode *n, char *buf, size_t cap, size_t *len)
{
#define PUT(...) (*len += (size_t)snprintf(buf + (*len < cap ? *len : cap), \
                                           *len < cap ? cap - *len : 0, __VA_ARGS__))
    if (n == NULL || n->kind == CCS_Y_SCALAR) {
        PUT("%s", n != NULL && n->text != NULL ? n->text : "");
        return;
    }
    bool map = n->kind == CCS_Y_MAP;
    PUT("%s", map ? "{" : "[");
    for (size_t i = 0; i < n->len; i++) {
        PUT("%s", i == 0 ? "" : ", ");
        if (map)
            PUT("%s: ", n->keys[i]->text);
        flow(n->items[i], buf, cap, len);
    }
    PUT("%s", map ? "}" : "]");
#undef PUT
}

/* Append "path=value" (value text, or the node in flow form) to doc's list. */
static int note_applied(struct ccs_ydoc *doc, const char *path, const struct ccs_ynode *value)
{
    char text[1024];
    size_t len = 0;
    if (value != NULL) {
        len = (size_t)snprintf(text, sizeof text, "%s=", path);
        flow(value, text, sizeof text, &len);
        if (len >= sizeof text)
            memcpy(text + sizeof text - 4, "...", 4);
        path = text;
    }
    if (CCS_GROW(doc->applied, doc->cap_applied, doc->n_applied + 1) != 0)
        return CCS_ENOMEM;
    size_t n = strlen(path);
    char *copy = ccs_malloc(n + 1);
    if (copy == NULL)
        return CCS_ENOMEM;
    memcpy(copy, path, n + 1);
    doc->applied[doc->n_applied++] = copy;
    return 0;
}

int ccs__ydoc_clone(const struct ccs_ydoc *src, struct ccs_ydoc **out)
{
    *out = NULL;
    struct ccs_ydoc *doc = ccs_calloc(1, sizeof *doc);
    if (doc == NULL)
        return CCS_ENOMEM;
    /* one chunk the size of what the source uses, and a little room: not a
       CHUNK_SIZE per copy (65 KB each of the points of a sweep) */
    size_t used = 0;
    for (const struct chunk *c = src->chunks; c != NULL; c = c->next)
        used += c->used;
    doc->chunk = used + CLONE_CHUNK_SIZE / 4;
    if (src->root != NULL && copy_node(doc, src->root, INT_MAX, &doc->root) != 0) {
        ccs__ydoc_free(doc);
        return CCS_ENOMEM;
    }
    memcpy(doc->sha256, src->sha256, sizeof doc->sha256);
    for (size_t i = 0; i < src->n_applied; i++)
        if (note_applied(doc, src->applied[i], NULL) != 0) {
            ccs__ydoc_free(doc);
            return CCS_ENOMEM;
        }
    *out = doc;
    return 0;
}

void ccs__ydoc_free(struct ccs_ydoc *doc)
{
    if (doc == NULL)
        return;
    struct chunk *c = doc->chunks;
    while (c != NULL) {
        struct chunk *next = c->next;
        free(c);
        c = next;
    }
    for (size_t i = 0; i < doc->n_applied; i++)
        free(doc->applied[i]);
    free(doc->applied);
    free(doc);
}

size_t ccs__ydoc_bytes(const struct ccs_ydoc *doc)
{
    size_t n = sizeof *doc + doc->cap_applied * sizeof *doc->applied;
    for (const struct chunk *c = doc->chunks; c != NULL; c = c->next)
        n += sizeof *c + c->cap;
    for (size_t i = 0; i < doc->n_applied; i++)
        n += strlen(doc->applied[i]) + 1;
    return n;
}

const char *ccs__ydoc_sha256(const struct ccs_ydoc *doc)
{
    return doc->sha256;
}

size_t ccs__ydoc_applied_count(const struct ccs_ydoc *doc)
{
    return doc->n_applied;
}

const char *ccs__ydoc_applied(const struct ccs_ydoc *doc, size_t i)
{
    return i < doc->n_applied ? doc->applied[i] : NULL;
}

/* Index of key in map, or map->len. */
static size_t map_find(const struct ccs_ynode *map, const char *key, size_t keylen)
{
    size_t i = 0;
    while (i < map->len &&
           !(strncmp(map->keys[i]->text, key, keylen) == 0 && map->keys[i]->text[keylen] == '\0'))
        i++;
    return i;
}

struct ccs_ynode *ccs__ymap_get(const struct ccs_ynode *map, const char *key)
{
    if (map == NULL || key == NULL || map->kind != CCS_Y_MAP)
        return NULL;
    size_t i = map_find(map, key, strlen(key));
    return i < map->len ? map->items[i] : NULL;
}

bool ccs__ymap_remove(struct ccs_ynode *map, const char *key)
{
    if (map == NULL || key == NULL || map->kind != CCS_Y_MAP)
        return false;
    size_t i = map_find(map, key, strlen(key));
    if (i == map->len)
        return false;
    for (size_t j = i + 1; j < map->len; j++) {
        map->keys[j - 1] = map->keys[j];
        map->items[j - 1] = map->items[j];
    }
    map->len--;
    return true;
}

/* ------------------------------------------------------------------- set */

/* Length of the UTF-8 character at s with its code point, or 0 if invalid. */
static size_t utf8_decode(const unsigned char *s, unsigned long *cp)
{
    static const unsigned long min[] = {0, 0, 0x80, 0x800, 0x10000};
    size_t len = s[0] < 0x80                   ? 1
                 : s[0] >= 0xC2 && s[0] < 0xE0 ? 2
                 : s[0] >= 0xE0 && s[0] < 0xF0 ? 3
                 : s[0] >= 0xF0 && s[0] < 0xF5 ? 4
                                               : 0;
    unsigned long c = len == 1 ? s[0] : s[0] & (0x7F >> len);
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        c = (c << 6) | (s[i] & 0x3F);
    }
    if (len == 0 || c < min[len] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
        return 0;
    *cp = c;
    return len;
}

/* Columns taken by the first n bytes of UTF-8 text s. */
static int utf8_cols(const char *s, size_t n)
{
    int cols = 0;
    for (size_t i = 0; i < n; i++)
        cols += ((unsigned char)s[i] & 0xC0) != 0x80;
    return cols;
}

/* The value of --set as nodes in doc: parsed as YAML, "" as an empty string. */
static int set_value(struct ccs_ydoc *doc, const char *value, const char *origin, int col,
                     struct ccs_ynode **out, struct ccs_diag *d)
{
    struct ccs_ydoc *tmp;
    bool empty = value[0] == '\0';
    int rc = ccs__ydoc_load_string(origin, empty ? "''" : value, empty ? 2 : strlen(value), 1, col,
                                   &tmp, d);
    if (rc != 0)
        return rc;
    rc = copy_node(doc, tmp->root, INT_MAX, out);
    ccs__ydoc_free(tmp);
    if (rc != 0)
        return ccs_diag_at(d, CCS_ENOMEM, origin, 1, col, "out of memory");
    return 0;
}

/* "(ids: a, b, c)" for the items of seq that have an id, clipped to cap. */
static void list_ids(const struct ccs_ynode *seq, char *buf, size_t cap)
{
    size_t used = (size_t)snprintf(buf, cap, "(ids:");
    bool any = false;
    for (size_t i = 0; i < seq->len && used < cap - 8; i++) {
        const struct ccs_ynode *id = ccs__ymap_get(seq->items[i], "id");
        if (id != NULL && id->kind == CCS_Y_SCALAR) {
            int w = snprintf(buf + used, cap - used, "%s %s", any ? "," : "", id->text);
            used += w > 0 ? (size_t)w : 0;
            any = true;
        }
    }
    if (used >= cap - 8)
        snprintf(buf + cap - 8, 8, ", ...)");
    else
        snprintf(buf + used, cap - used, any ? ")" : " none)");
}

/* Find the item of seq named by segment seg: a 0-based index or an item's id. */
static int seq_find(const struct ccs_ynode *seq, const char *seg, size_t n, const char *where,
                    const char *origin, int line, int col, size_t *index, struct ccs_diag *d)
{
    int segw = n > 200 ? 200 : (int)n;
    if (strspn(seg, "0123456789") >= n) {
        size_t i = 0;
        for (size_t k = 0; k < n && i <= seq->len; k++)
            i = i * 10 + (size_t)(seg[k] - '0');
        if (i >= seq->len)
            return ccs_diag_at(d, CCS_ENOTFOUND, origin, line, col,
                               "index %.*s out of range for %s (%zu item%s)", segw, seg, where,
                               (size_t)seq->len, seq->len == 1 ? "" : "s");
        *index = i;
        return 0;
    }
    const char **ids = ccs_malloc((seq->len + 1) * sizeof *ids);
    size_t n_ids = 0;
    if (ids == NULL)
        return ccs_diag_at(d, CCS_ENOMEM, origin, line, col, "out of memory");
    for (size_t i = 0; i < seq->len; i++) {
        const struct ccs_ynode *id = ccs__ymap_get(seq->items[i], "id");
        if (id == NULL || id->kind != CCS_Y_SCALAR)
            continue;
        if (strncmp(id->text, seg, n) == 0 && id->text[n] == '\0') {
            free(ids);
            *index = i;
            return 0;
        }
        ids[n_ids++] = id->text;
    }
    char word[CLOSEST_MAX_LEN + 1] = "", list[400];
    if (n <= CLOSEST_MAX_LEN)
        memcpy(word, seg, n);
    word[n <= CLOSEST_MAX_LEN ? n : 0] = '\0';
    const char *near = n <= CLOSEST_MAX_LEN ? ccs__closest(word, ids, n_ids) : NULL;
    list_ids(seq, list, sizeof list);
    int rc = ccs_diag_at(d, CCS_ENOTFOUND, origin, line, col, "no item with id '%.*s' in %s %s%s%s%s",
                         segw, seg, where, list, near != NULL ? "; did you mean '" : "",
                         near != NULL ? near : "", near != NULL ? "'?" : "");
    free(ids);
    return rc;
}

/*
 * The value to store at a path: YAML text parsed at (origin, 1, value_col),
 * or a node copied with its own positions (value_node != NULL).
 */
struct set_source {
    const char *text;
    int value_col;
    const struct ccs_ynode *node;
};

static int make_value(struct ccs_ydoc *doc, const struct set_source *src, const char *origin,
                      int line, int col, struct ccs_ynode **out, struct ccs_diag *d)
{
    if (src->node == NULL)
        return set_value(doc, src->text, origin, src->value_col, out, d);
    if (copy_node(doc, src->node, INT_MAX, out) != 0)
        return ccs_diag_at(d, CCS_ENOMEM, origin, line, col, "out of memory");
    return 0;
}

/* ccs__ydoc_set with the path located at (origin, line, path_col). */
static int set_path(struct ccs_ydoc *doc, const char *path, const struct set_source *src,
                    const char *origin, int line, int path_col, struct ccs_diag *d)
{
    /* First the path's shape, so nothing changes when it is malformed. */
    if (path[0] == '\0')
        return ccs_diag_at(d, CCS_EINVAL, origin, line, path_col, "empty path");
    for (const char *s = path;; s++) {
        size_t n = strcspn(s, ".");
        int col = path_col + utf8_cols(path, (size_t)(s - path));
        if (n == 0)
            return ccs_diag_at(d, CCS_EINVAL, origin, line, col, "empty segment in path '%s'", path);
        for (const char *end = s + n; s < end;) {
            unsigned long c;
            size_t k = utf8_decode((const unsigned char *)s, &c);
            if (k == 0) /* keys must stay valid UTF-8, as libyaml makes all loaded text */
                return ccs_diag_at(d, CCS_EINVAL, origin, line, col, "path is not valid UTF-8");
            s += k;
        }
        if (*s == '\0')
            break;
    }
    /* Walk existing nodes; stop at a map that lacks the key (the rest is created). */
    struct ccs_ynode **slot = &doc->root;
    const char *seg = path, *prev = NULL;
    size_t prevlen = 0;
    for (;;) {
        size_t n = strcspn(seg, ".");
        int col = path_col + utf8_cols(path, (size_t)(seg - path));
        struct ccs_ynode *node = *slot;
        char where[256];
        if (prev == NULL)
            snprintf(where, sizeof where, "the root");
        else
            snprintf(where, sizeof where, "'%.*s'", prevlen > 200 ? 200 : (int)prevlen, prev);
        size_t i = 0;
        if (node->kind == CCS_Y_SCALAR)
            return ccs_diag_at(d, CCS_EINVAL, origin, line, col,
                               "%s is a scalar, cannot descend into it", where);
        if (node->kind == CCS_Y_MAP) {
            i = map_find(node, seg, n);
            if (i == node->len)
                break;
        } else {
            int rc = seq_find(node, seg, n, where, origin, line, col, &i, d);
            if (rc != 0)
                return rc;
        }
        slot = &node->items[i];
        if (seg[n] == '\0') {
            struct ccs_ynode *v;
            int rc = make_value(doc, src, origin, line, col, &v, d);
            if (rc == 0)
                *slot = v;
            return rc;
        }
        prev = seg;
        prevlen = n;
        seg += n + 1;
    }
    struct ccs_ynode *v, *map = *slot;
    int rc = make_value(doc, src, origin, line, path_col, &v, d);
    const char *org = intern_origin(doc, origin);
    while (rc == 0) {
        size_t n = strcspn(seg, ".");
        int col = path_col + utf8_cols(path, (size_t)(seg - path));
        struct ccs_ynode *key = org != NULL ? node_new(doc, CCS_Y_SCALAR, org, line, col) : NULL;
        struct ccs_ynode *child = seg[n] == '\0' ? v : node_new(doc, CCS_Y_MAP, org, line, col);
        size_t cap = map->len;
        if (key != NULL)
            key->text = arena_strndup(doc, seg, n);
        if (key == NULL || key->text == NULL || child == NULL ||
            node_append(doc, map, &cap, key, child) != 0)
            return ccs_diag_at(d, CCS_ENOMEM, origin, line, col, "out of memory");
        key->plain = true;
        if (seg[n] == '\0')
            break;
        map = child;
        seg += n + 1;
    }
    return rc;
}

int ccs__ydoc_set(struct ccs_ydoc *doc, const char *path, const char *value, const char *origin,
                  int path_col, int value_col, struct ccs_diag *d)
{
    struct set_source src = {value, value_col, NULL};
    int rc = set_path(doc, path, &src, origin, 1, path_col, d);
    if (rc == 0) {
        char text[1024];
        snprintf(text, sizeof text, "%s=%s", path, value);
        if (note_applied(doc, text, NULL) != 0)
            return ccs_diag_at(d, CCS_ENOMEM, origin, 1, path_col, "out of memory");
    }
    return rc;
}

int ccs__ydoc_set_node(struct ccs_ydoc *doc, const struct ccs_ynode *key,
                       const struct ccs_ynode *value, struct ccs_diag *d)
{
    struct set_source src = {NULL, 0, value};
    /* a quoted key starts one column after its quote */
    int rc = set_path(doc, key->text, &src, key->origin, key->line,
                      key->col + (key->plain ? 0 : 1), d);
    if (rc == 0 && note_applied(doc, key->text, value) != 0)
        return ccs_diag_at(d, CCS_ENOMEM, key->origin, key->line, key->col, "out of memory");
    return rc;
}

/* ------------------------------------------------------- errors and keys */

int ccs__yerr(struct ccs_diag *d, int code, const struct ccs_ynode *n, const char *fmt, ...)
{
    char msg[sizeof d->msg];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (n == NULL)
        return ccs_diag_at(d, code, NULL, 0, 0, "%s", msg);
    return ccs_diag_at(d, code, n->origin, n->line, n->col, "%s", msg);
}

int ccs__ycheck_keys(const struct ccs_ynode *n, const char *const *allowed, size_t n_allowed,
                     const char *what, struct ccs_diag *d)
{
    if (n == NULL || n->kind != CCS_Y_MAP)
        return 0;
    for (size_t i = 0; i < n->len; i++) {
        const struct ccs_ynode *key = n->keys[i];
        size_t j = 0;
        while (j < n_allowed && strcmp(key->text, allowed[j]) != 0)
            j++;
        if (j < n_allowed)
            continue;
        const char *near = ccs__closest(key->text, allowed, n_allowed);
        if (near != NULL)
            return ccs__yerr(d, CCS_ESCHEMA, key, "unknown key '%s' in %s; did you mean '%s'?",
                             key->text, what, near);
        return ccs__yerr(d, CCS_ESCHEMA, key, "unknown key '%s' in %s", key->text, what);
    }
    return 0;
}

/* Optimal string alignment distance, ignoring case; both at most CLOSEST_MAX_LEN. */
static size_t osa_distance(const char *a, size_t la, const char *b, size_t lb)
{
    size_t rows[3][CLOSEST_MAX_LEN + 1];
    size_t *two = rows[0], *one = rows[1], *cur = rows[2];
    for (size_t j = 0; j <= lb; j++)
        one[j] = j;
    for (size_t i = 1; i <= la; i++) {
        int ca = tolower((unsigned char)a[i - 1]);
        cur[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            int cb = tolower((unsigned char)b[j - 1]);
            size_t best = one[j - 1] + (ca != cb);
            if (one[j] + 1 < best)
                best = one[j] + 1;
            if (cur[j - 1] + 1 < best)
                best = cur[j - 1] + 1;
            if (i > 1 && j > 1 && ca == tolower((unsigned char)b[j - 2]) &&
                tolower((unsigned char)a[i - 2]) == cb && two[j - 2] + 1 < best)
                best = two[j - 2] + 1;
            cur[j] = best;
        }
        size_t *t = two;
        two = one;
        one = cur;
        cur = t;
    }
    return one[lb];
}

const char *ccs__closest(const char *word, const char *const *cands, size_t n)
{
    size_t lw = strlen(word);
    size_t limit = lw / 3 > 2 ? lw / 3 : 2;
    const char *best = NULL;
    size_t best_d = limit + 1;
    if (lw > CLOSEST_MAX_LEN)
        return NULL;
    for (size_t i = 0; i < n; i++) {
        size_t lc = strlen(cands[i]);
        if (lc > CLOSEST_MAX_LEN || (lc > lw ? lc - lw : lw - lc) >= best_d)
            continue;
        size_t dist = osa_distance(word, lw, cands[i], lc);
        if (dist < best_d) {
            best = cands[i];
            best_d = dist;
        }
    }
    return best;
}

/* ------------------------------------------------------------------ emit */

/* Can c be written as itself inside quotes (printable, not a line break or BOM)? */
static bool raw_ok(unsigned long c)
{
    return (c >= 0x20 && c <= 0x7E) || (c >= 0xA0 && c <= 0xD7FF && c != 0x2028 && c != 0x2029) ||
           (c >= 0xE000 && c <= 0xFFFD && c != 0xFEFF) || (c >= 0x10000 && c <= 0x10FFFF);
}

/* Would a plain s be read as something other than a string (null, bool, number)? */
static bool looks_typed(const char *s)
{
    static const char *const words[] = {"",   "~",  "null", "true", "false", "yes",
                                        "no", "on", "off",  "y",    "n"};
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++)
        if (strcasecmp(s, words[i]) == 0)
            return true;
    const char *p = s + (*s == '+' || *s == '-');
    if (*p == '.' && (strcasecmp(p + 1, "inf") == 0 || strcasecmp(p + 1, "nan") == 0))
        return true;
    return isdigit((unsigned char)p[*p == '.']) != 0;
}

enum quote { Q_PLAIN, Q_SINGLE, Q_DOUBLE };

static enum quote quote_style(const char *s, bool plain)
{
    size_t n = strlen(s);
    for (const unsigned char *p = (const unsigned char *)s; *p != '\0';) {
        unsigned long c;
        size_t k = utf8_decode(p, &c);
        if (k == 0 || !raw_ok(c))
            return Q_DOUBLE;
        p += k;
    }
    if (n == 0)
        return plain ? Q_PLAIN : Q_SINGLE; /* "key:" alone is null, "key: ''" a string */
    if (s[0] == ' ' || s[n - 1] == ' ' || s[n - 1] == ':')
        return Q_SINGLE;
    if (strchr(",[]{}#&*!|>'\"%@`", s[0]) != NULL)
        return Q_SINGLE;
    if (strchr("-?:", s[0]) != NULL && (s[1] == '\0' || s[1] == ' '))
        return Q_SINGLE;
    if ((strncmp(s, "---", 3) == 0 || strncmp(s, "...", 3) == 0) && (s[3] == '\0' || s[3] == ' '))
        return Q_SINGLE;
    if (strstr(s, ": ") != NULL || strstr(s, " #") != NULL)
        return Q_SINGLE;
    if (!plain && looks_typed(s))
        return Q_SINGLE;
    return Q_PLAIN;
}

static void write_scalar(FILE *f, const char *text, bool plain)
{
    enum quote q = quote_style(text, plain);
    if (q == Q_PLAIN) {
        fputs(text, f);
    } else if (q == Q_SINGLE) {
        fputc('\'', f);
        for (const char *p = text; *p != '\0'; p++) {
            if (*p == '\'')
                fputc('\'', f); /* '' is a quote inside single quotes */
            fputc(*p, f);
        }
        fputc('\'', f);
    } else {
        fputc('"', f);
        for (const unsigned char *p = (const unsigned char *)text; *p != '\0';) {
            unsigned long c;
            size_t k = utf8_decode(p, &c);
            if (k == 0) { /* not UTF-8: cannot happen for loaded or --set text */
                fprintf(f, "\\x%02X", *p);
                p++;
                continue;
            }
            if (c == '"' || c == '\\')
                fprintf(f, "\\%c", (int)c);
            else if (c == '\n' || c == '\t')
                fputs(c == '\n' ? "\\n" : "\\t", f);
            else if (raw_ok(c))
                fwrite(p, 1, k, f);
            else
                fprintf(f, c <= 0xFF ? "\\x%02lX" : c <= 0xFFFF ? "\\u%04lX" : "\\U%08lX", c);
            p += k;
        }
        fputc('"', f);
    }
}

/* A scalar, "{}" or "[]": what fits after "key:" or "-" on one line. */
static void write_leaf(FILE *f, const struct ccs_ynode *n)
{
    if (n->kind == CCS_Y_SCALAR)
        write_scalar(f, n->text, n->plain);
    else
        fputs(n->kind == CCS_Y_MAP ? "{}" : "[]", f);
}

static void pad(FILE *f, int indent)
{
    for (int i = 0; i < indent; i++)
        fputc(' ', f);
}

static void emit_block(FILE *f, const struct ccs_ynode *n, int indent, bool inline_first);

/* The value after "key:" or "-": on the same line, or as an indented block. */
static void emit_child(FILE *f, const struct ccs_ynode *v, int indent, bool in_seq)
{
    if (v->kind == CCS_Y_SCALAR || v->len == 0) {
        if (v->kind != CCS_Y_SCALAR || !v->plain || v->text[0] != '\0')
            fputc(' ', f);
        write_leaf(f, v);
        fputc('\n', f);
    } else {
        fputc(in_seq ? ' ' : '\n', f);
        emit_block(f, v, indent, in_seq);
    }
}

/* A non-empty map or sequence; inline_first: the cursor already sits at indent. */
static void emit_block(FILE *f, const struct ccs_ynode *n, int indent, bool inline_first)
{
    for (size_t i = 0; i < n->len; i++) {
        if (i > 0 || !inline_first)
            pad(f, indent);
        if (n->kind == CCS_Y_SEQ) {
            fputc('-', f);
            emit_child(f, n->items[i], indent + 2, true);
            continue;
        }
        const char *key = n->keys[i]->text;
        if (strlen(key) > EXPLICIT_KEY_LEN) {
            fputs("? ", f);
            write_scalar(f, key, false);
            fputc('\n', f);
            pad(f, indent);
        } else {
            write_scalar(f, key, n->keys[i]->plain && key[0] != '\0'); /* quote an empty key */
        }
        fputc(':', f);
        emit_child(f, n->items[i], indent + 2, false);
    }
}

int ccs__ydoc_emit(const struct ccs_ynode *n, FILE *f, int indent)
{
    if (n == NULL || f == NULL)
        return CCS_EINVAL;
    if (n->kind == CCS_Y_SCALAR || n->len == 0) {
        pad(f, indent);
        write_leaf(f, n);
        fputc('\n', f);
    } else {
        emit_block(f, n, indent, false);
    }
    return ferror(f) ? CCS_EIO : 0;
}
