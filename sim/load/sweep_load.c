/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * sweep_load.c - defining a sweep: the sweep file (docs/sweep.md), the
 * command-line forms (--set, --grid, --point), and preparing it: the base
 * scenario, the grid's expansion, every point's scenario derived and
 * validated (so a bad override is reported before any work), the points'
 * seeds and the sweep's identity.
 */
#include "ccs/sweep_plan.h"

#include "ccs/units.h"
#include "ccs/variants.h"
#include "core/grow.h"
#include "core/rng.h"
#include "core/str.h"
#include "core/memstream.h"
#include "fmt/ydoc.h"
#include "fmt/yread.h"
#include "load/variants.h"
#include "model/scenario.h"
#include "ccs/mem.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/*
 * One override. From a file: key and value are nodes of a document the sweep
 * owns (errors point into the file). From the command line: ov locates the
 * path and value in the argument. canon is the value's canonical text.
 */
struct ccs__sweep_ov {
    const char *path;               /* the dotted path (file: key->text; else owned copy) */
    const struct ccs_ynode *key, *value; /* file overrides; NULL otherwise */
    struct ccs_override ov;         /* command-line overrides (ov.path NULL for file ones) */
    char *canon;                    /* owned */
    char *own_path, *own_value;     /* command line: owned copies ov points to */
};

/* A grid dimension: one path, several values. */
struct ccs__sweep_dim {
    const char *path;
    struct ccs__sweep_ov *vals;     /* n_vals overrides of the same path */
    size_t n_vals;
    const char *origin;             /* for messages */
    int line, col;
};

/* A listed point before expansion. */
struct ccs__sweep_listed {
    char *name;
    struct ccs__sweep_ov *ov;
    size_t n_ov;
    const char *origin;
    int line, col;
};


/* A point of the plan: its overrides, then (prepared) what the design shows. */
struct plan_point {
    char *name;                     /* owned */
    const struct ccs__sweep_ov **ov; /* borrowed from dims / listed points */
    size_t n_ov;
    char *key;                      /* canonical overrides text (owned) */
    struct ccs_scenario *sc;        /* derived, owned */
    uint64_t seed;
    char **values;                  /* per column: canonical text in sc, or NULL (owned) */
    long *tkey;                     /* per target: index among sc's whole-run keys */
};

struct ccs_sweep_plan {
    /* what was given */
    char *file;                     /* sweep file, or NULL */
    char *name;
    char *scenario_path;            /* the file, or the origin of scenario_text */
    char *scenario_text;            /* the scenario as text, or NULL */
    size_t scenario_len;
    const struct ccs_ynode *scenario_node; /* the file's scenario:, for messages */
    struct ccs_ydoc *doc;           /* the sweep file */
    struct ccs_ydoc **vdocs;        /* parsed command-line values */
    size_t n_vdocs;
    struct ccs__sweep_ov *set;      /* the file's set:, then --set */
    size_t n_set;
    struct ccs__sweep_dim *dims;
    size_t n_dims;
    struct ccs__sweep_listed *listed;
    size_t n_listed;
    bool has_seed, has_reps, cli_reps, cli_seed;
    uint64_t seed;
    uint32_t reps, cap;
    enum ccs_sweep_streams streams;
    char *baseline_text;            /* name or index, or NULL */
    const struct ccs_ynode *baseline_node; /* where the file gave it, for messages */
    struct ccs_precision *targets;
    size_t n_targets;
    bool cli_targets;
    const struct ccs_ynode *targets_node;
    double level;

    /* prepared */
    bool prepared;
    struct ccs_scenario *base;
    struct plan_point *points;
    size_t n_points;
    char **columns;                 /* swept paths */
    size_t n_columns;
    long baseline;                  /* point index or -1 */
    uint32_t start;                 /* replications to start from */
    char identity[17];
    struct ccs_design design;       /* the plan as its runner sees it */
    struct ccs_design_point *dpoints;
};

#define DEFAULT_START 10  /* replications to start from with targets (as compare) */
#define DEFAULT_CAP 1000  /* cap with targets (as compare) */

/* --- small helpers ------------------------------------------------------------------- */

/* Room for one more element in the array at pp (a T **) holding n. These
   lists are short and keep no capacity: the helper's doubling sizes mean
   most appends do not move them. */
static bool grow(void *pp, size_t n, size_t size)
{
    size_t cap = n;
    return ccs__grow(pp, &cap, n + 1, size) == 0;
}

static int nomem(struct ccs_diag *d)
{
    return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
}

/* The canonical text of a value: scalars as written, lists as [a, b], maps as {k: v}. */
static void canon_emit(FILE *f, const struct ccs_ynode *n)
{
    switch (n->kind) {
    case CCS_Y_SCALAR:
        fputs(n->text, f);
        break;
    case CCS_Y_SEQ:
        fputc('[', f);
        for (size_t i = 0; i < n->len; i++) {
            fputs(i ? ", " : "", f);
            canon_emit(f, n->items[i]);
        }
        fputc(']', f);
        break;
    case CCS_Y_MAP:
        fputc('{', f);
        for (size_t i = 0; i < n->len; i++) {
            fprintf(f, "%s%s: ", i ? ", " : "", n->keys[i]->text);
            canon_emit(f, n->items[i]);
        }
        fputc('}', f);
        break;
    }
}

static char *canon_of(const struct ccs_ynode *n)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = ccs__memstream(&buf, &len);
    if (f == NULL)
        return NULL;
    canon_emit(f, n);
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

/* 64-bit FNV-1a, folded in pieces. */
static uint64_t fnv(uint64_t h, const void *p, size_t n)
{
    const unsigned char *c = p;
    for (size_t i = 0; i < n; i++) {
        h ^= c[i];
        h *= 0x100000001b3ULL;
    }
    return h;
}

/* "a/b/../c" -> "a/c", "./" dropped: a new string, or NULL when out of memory
   (lexically: through a symbolic link the path may differ, only in how it is shown). */
static char *tidy_path(const char *path)
{
    size_t len = strlen(path);
    char *out = ccs_malloc(len + 2);
    if (out == NULL)
        return NULL;
    bool abs = path[0] == '/';
    size_t w = 0, keep = abs ? 1 : 0; /* out[0..keep) cannot be backed over */
    if (abs)
        out[w++] = '/';
    for (const char *seg = path; *seg != '\0';) {
        size_t n = strcspn(seg, "/");
        bool up = n == 2 && seg[0] == '.' && seg[1] == '.';
        if (n == 0 || (n == 1 && seg[0] == '.')) {
            /* nothing */
        } else if (up && w > keep) {
            /* back over the last segment written */
            w--;
            while (w > keep && out[w - 1] != '/')
                w--;
        } else if (up && abs) {
            /* "/.." is "/" */
        } else {
            if (up)
                keep = w + 3; /* a leading ".." stays */
            memcpy(out + w, seg, n);
            w += n;
            out[w++] = '/';
        }
        seg += n + (seg[n] == '/' ? 1 : 0);
    }
    if (w > (abs ? 1u : 0u) && out[w - 1] == '/')
        w--;
    if (w == 0)
        out[w++] = '.';
    out[w] = '\0';
    return out;
}

/* Paths the sweep itself controls cannot vary by point. */
static bool reserved_path(const char *path)
{
    return strcmp(path, "seed") == 0 || strcmp(path, "replications") == 0;
}

/* Every segment of a dotted path is non-empty. */
static bool path_ok(const char *t)
{
    if (t[0] == '\0')
        return false;
    for (const char *s = t;; s++) {
        size_t n = strcspn(s, ".");
        if (n == 0)
            return false;
        s += n;
        if (*s == '\0')
            return true;
    }
}

/* --- create and free ------------------------------------------------------------------ */

struct ccs_sweep_plan *ccs_sweep_plan_new(void)
{
    struct ccs_sweep_plan *s = ccs_calloc(1, sizeof *s);
    if (s == NULL)
        return NULL;
    s->streams = CCS_STREAMS_AUTO;
    s->level = 0.95;
    s->baseline = -1;
    return s;
}

static void ov_release(struct ccs__sweep_ov *o)
{
    free(o->canon);
    free(o->own_path);
    free(o->own_value);
}

void ccs_sweep_plan_free(struct ccs_sweep_plan *s)
{
    if (s == NULL)
        return;
    for (size_t p = 0; p < s->n_points; p++) {
        struct plan_point *pt = &s->points[p];
        free(pt->name);
        free(pt->ov);
        free(pt->key);
        ccs_scenario_free(pt->sc);
        for (size_t c = 0; pt->values != NULL && c < s->n_columns; c++)
            free(pt->values[c]);
        free(pt->values);
        free(pt->tkey);
    }
    free(s->points);
    for (size_t c = 0; c < s->n_columns; c++)
        free(s->columns[c]);
    free(s->columns);
    for (size_t i = 0; i < s->n_set; i++)
        ov_release(&s->set[i]);
    free(s->set);
    for (size_t i = 0; i < s->n_dims; i++) {
        for (size_t j = 0; j < s->dims[i].n_vals; j++)
            ov_release(&s->dims[i].vals[j]);
        free(s->dims[i].vals);
    }
    free(s->dims);
    for (size_t i = 0; i < s->n_listed; i++) {
        for (size_t j = 0; j < s->listed[i].n_ov; j++)
            ov_release(&s->listed[i].ov[j]);
        free(s->listed[i].ov);
        free(s->listed[i].name);
    }
    free(s->listed);
    for (size_t i = 0; i < s->n_vdocs; i++)
        ccs__ydoc_free(s->vdocs[i]);
    free(s->vdocs);
    ccs__ydoc_free(s->doc);
    ccs_scenario_free(s->base);
    free(s->targets);
    free(s->baseline_text);
    free(s->file);
    free(s->name);
    free(s->scenario_path);
    free(s->scenario_text);
    free(s->dpoints);
    free(s);
}

/* --- overrides ------------------------------------------------------------------------ */

/* An override from a file: key is its path, value any node. */
static int ov_from_node(struct ccs__sweep_ov *o, const struct ccs_ynode *key,
                        const struct ccs_ynode *value, const char *where, struct ccs_diag *d)
{
    memset(o, 0, sizeof *o);
    if (!path_ok(key->text))
        return ccs__yerr(d, CCS_ESCHEMA, key, "empty segment in path '%s' in %s", key->text,
                         where);
    o->path = key->text;
    o->key = key;
    o->value = value;
    if ((o->canon = canon_of(value)) == NULL)
        return nomem(d);
    return 0;
}

/*
 * An override from the command line: path text (plen bytes) at column pcol,
 * value text (vlen bytes) at column vcol of origin. The value is parsed as
 * YAML here for its canonical text (and its errors, located).
 */
static int ov_from_text(struct ccs_sweep_plan *s, struct ccs__sweep_ov *o, const char *path,
                        size_t plen, int pcol, const char *value, size_t vlen, int vcol,
                        const char *origin, struct ccs_diag *d)
{
    memset(o, 0, sizeof *o);
    o->own_path = ccs__strndup(path, plen);
    o->own_value = ccs__strndup(value, vlen);
    if (o->own_path == NULL || o->own_value == NULL)
        return nomem(d);
    if (!path_ok(o->own_path))
        return ccs_diag_at(d, CCS_EINVAL, origin, 1, pcol, "empty segment in path '%s'",
                           o->own_path);
    o->path = o->own_path;
    o->ov.path = o->own_path;
    o->ov.value = o->own_value;
    o->ov.origin = origin;
    o->ov.path_col = pcol;
    o->ov.value_col = vcol;
    if (vlen == 0) {
        o->canon = ccs__strdup("");
        return o->canon != NULL ? 0 : nomem(d);
    }
    struct ccs_ydoc *vd;
    int rc = ccs__ydoc_load_string(origin, value, vlen, 1, vcol, &vd, d);
    if (rc != 0)
        return rc;
    if (!grow(&s->vdocs, s->n_vdocs, sizeof *s->vdocs)) {
        ccs__ydoc_free(vd);
        return nomem(d);
    }
    s->vdocs[s->n_vdocs++] = vd;
    o->canon = canon_of(ccs__ydoc_root(vd));
    return o->canon != NULL ? 0 : nomem(d);
}

/* Apply one override to a document, located where it was given. */
static int ov_apply(struct ccs_ydoc *doc, const struct ccs__sweep_ov *o, struct ccs_diag *d)
{
    if (o->key != NULL)
        return ccs__scenario_set_node(doc, o->key, o->value, d);
    return ccs__scenario_set_override(doc, &o->ov, d);
}

/* --- the command-line forms -------------------------------------------------------------- */

int ccs_sweep_plan_set_scenario(struct ccs_sweep_plan *s, const char *path, struct ccs_diag *d)
{
    char *p = ccs__strdup(path);
    if (p == NULL)
        return nomem(d);
    free(s->scenario_path);
    free(s->scenario_text);
    s->scenario_path = p;
    s->scenario_text = NULL;
    return 0;
}

int ccs_sweep_plan_set_scenario_text(struct ccs_sweep_plan *s, const char *origin, const char *text,
                                     size_t len, struct ccs_diag *d)
{
    char *p = ccs__strdup(origin != NULL ? origin : "<string>");
    char *t = ccs_malloc(len + 1);
    if (p == NULL || t == NULL) {
        free(p);
        free(t);
        return nomem(d);
    }
    memcpy(t, text, len);
    t[len] = '\0';
    free(s->scenario_path);
    free(s->scenario_text);
    s->scenario_path = p;
    s->scenario_text = t;
    s->scenario_len = len;
    return 0;
}

int ccs_sweep_plan_add_set(struct ccs_sweep_plan *s, const char *text, const char *origin,
                      struct ccs_diag *d)
{
    const char *eq = strchr(text, '=');
    if (eq == NULL || eq == text)
        return ccs_diag_at(d, CCS_EINVAL, origin, 1, 1,
                           "expected KEY.PATH=VALUE (e.g. groups.team.agents=98), got '%s'", text);
    if (!grow(&s->set, s->n_set, sizeof *s->set))
        return nomem(d);
    struct ccs__sweep_ov *o = &s->set[s->n_set];
    int rc = ov_from_text(s, o, text, (size_t)(eq - text), 1, eq + 1, strlen(eq + 1),
                          (int)(eq - text) + 2, origin, d);
    if (rc != 0) {
        ov_release(o);
        return rc;
    }
    s->n_set++;
    return 0;
}

int ccs_sweep_plan_add_grid(struct ccs_sweep_plan *s, const char *text, const char *origin,
                       struct ccs_diag *d)
{
    const char *eq = strchr(text, '=');
    if (eq == NULL || eq == text || eq[1] == '\0')
        return ccs_diag_at(d, CCS_EINVAL, origin, 1, 1,
                           "expected KEY.PATH=V1,V2,... (e.g. groups.team.agents=16,17,18), "
                           "got '%s'",
                           text);
    size_t plen = (size_t)(eq - text);
    if (!grow(&s->dims, s->n_dims, sizeof *s->dims))
        return nomem(d);
    struct ccs__sweep_dim *dim = &s->dims[s->n_dims];
    memset(dim, 0, sizeof *dim);
    dim->origin = origin;
    dim->line = 1;
    dim->col = 1;
    int rc = 0;
    for (const char *v = eq + 1; rc == 0;) {
        size_t n = ccs__list_item_span(v);
        int col = (int)(v - text) + 1;
        if (n == 0) {
            rc = ccs_diag_at(d, CCS_EINVAL, origin, 1, col,
                             "empty value (expected V1,V2,... separated by commas)");
            break;
        }
        if (!grow(&dim->vals, dim->n_vals, sizeof *dim->vals)) {
            rc = nomem(d);
            break;
        }
        struct ccs__sweep_ov *o = &dim->vals[dim->n_vals];
        rc = ov_from_text(s, o, text, plen, 1, v, n, col, origin, d);
        if (rc != 0) {
            ov_release(o);
            break;
        }
        dim->n_vals++;
        if (v[n] == '\0')
            break;
        v += n + 1;
    }
    if (rc == 0 && reserved_path(dim->vals[0].path))
        rc = ccs_diag_at(d, CCS_EINVAL, origin, 1, 1,
                         "'%s' is the sweep's own setting (--seed, --replications), not a "
                         "point's",
                         dim->vals[0].path);
    if (rc != 0) {
        for (size_t j = 0; j < dim->n_vals; j++)
            ov_release(&dim->vals[j]);
        free(dim->vals);
        return rc;
    }
    dim->path = dim->vals[0].path;
    s->n_dims++;
    return 0;
}

int ccs_sweep_plan_add_point(struct ccs_sweep_plan *s, const char *text, const char *origin,
                        struct ccs_diag *d)
{
    struct ccs_variant_spec spec;
    int rc = ccs_variant_spec_parse(text, origin, &spec, d);
    if (rc != 0)
        return rc;
    if (!grow(&s->listed, s->n_listed, sizeof *s->listed)) {
        ccs_variant_spec_release(&spec);
        return nomem(d);
    }
    struct ccs__sweep_listed *l = &s->listed[s->n_listed];
    memset(l, 0, sizeof *l);
    l->name = ccs__strdup(spec.name);
    l->origin = origin;
    l->line = 1;
    l->col = 1;
    l->ov = ccs_calloc(spec.n_ov ? spec.n_ov : 1, sizeof *l->ov);
    if (l->name == NULL || l->ov == NULL)
        rc = nomem(d);
    for (size_t i = 0; rc == 0 && i < spec.n_ov; i++) {
        const struct ccs_override *o = &spec.ov[i];
        if (reserved_path(o->path)) {
            rc = ccs_diag_at(d, CCS_EINVAL, origin, 1, o->path_col,
                             "'%s' is the sweep's own setting (--seed, --replications), not a "
                             "point's",
                             o->path);
            break;
        }
        /* the value's offset in text: its column - 1 */
        rc = ov_from_text(s, &l->ov[i], o->path, strlen(o->path), o->path_col,
                          text + o->value_col - 1, strlen(o->value), o->value_col, origin, d);
        l->n_ov = i + 1;
    }
    ccs_variant_spec_release(&spec);
    if (rc != 0) {
        for (size_t j = 0; j < l->n_ov; j++)
            ov_release(&l->ov[j]);
        free(l->ov);
        free(l->name);
        return rc;
    }
    s->n_listed++;
    return 0;
}

void ccs_sweep_plan_set_seed(struct ccs_sweep_plan *s, uint64_t seed)
{
    s->seed = seed;
    s->has_seed = true;
}

void ccs_sweep_plan_set_replications(struct ccs_sweep_plan *s, uint32_t replications)
{
    s->reps = replications;
    s->has_reps = true;
}

void ccs_sweep_plan_set_max_replications(struct ccs_sweep_plan *s, uint32_t cap) { s->cap = cap; }

void ccs_sweep_plan_set_streams(struct ccs_sweep_plan *s, enum ccs_sweep_streams streams)
{
    s->streams = streams;
}

int ccs_sweep_plan_set_baseline(struct ccs_sweep_plan *s, const char *name_or_index, struct ccs_diag *d)
{
    char *t = ccs__strdup(name_or_index);
    if (t == NULL)
        return nomem(d);
    free(s->baseline_text);
    s->baseline_text = t;
    s->baseline_node = NULL;
    return 0;
}

int ccs_sweep_plan_add_target(struct ccs_sweep_plan *s, const struct ccs_precision *p, struct ccs_diag *d)
{
    if (!s->cli_targets) {
        s->n_targets = 0;
        s->targets_node = NULL;
        s->cli_targets = true;
    }
    if (!grow(&s->targets, s->n_targets, sizeof *s->targets))
        return nomem(d);
    s->targets[s->n_targets++] = *p;
    return 0;
}

/* --- the sweep file ---------------------------------------------------------------------- */

bool ccs_sweep_file_probe(const char *path)
{
    struct ccs_ydoc *doc;
    struct ccs_diag d;
    ccs_diag_clear(&d);
    if (ccs__ydoc_load_file(path, &doc, &d) != 0)
        return false;
    bool yes = ccs__ymap_get(ccs__ydoc_root(doc), "scenario") != NULL;
    ccs__ydoc_free(doc);
    return yes;
}

/* The file's precision: {[SCOPE:]KPI: HALFWIDTH}, parsed as --precision is. */
static int load_precision(struct ccs_sweep_plan *s, const struct ccs_ynode *map, struct ccs_diag *d)
{
    int rc = ccs__ywant_map(map, "'precision' (a mapping {[SCOPE:]KPI: HALFWIDTH})", d);
    if (rc != 0)
        return rc;
    for (size_t i = 0; i < map->len; i++) {
        const struct ccs_ynode *k = map->keys[i], *v = map->items[i];
        if ((rc = ccs__ywant_scalar(v, "a precision half-width", d)) != 0)
            return rc;
        size_t kl = strlen(k->text);
        char *text = ccs_malloc(kl + strlen(v->text) + 2);
        if (text == NULL || !grow(&s->targets, s->n_targets, sizeof *s->targets)) {
            free(text);
            return nomem(d);
        }
        sprintf(text, "%s=%s", k->text, v->text);
        struct ccs_diag pd;
        ccs_diag_clear(&pd);
        rc = ccs_precision_parse(text, "x", &s->targets[s->n_targets], &pd);
        free(text);
        if (rc != 0) {
            /* relocate "x:1:COL: error: MSG" at the key or the value */
            int col = 1;
            const char *msg = strstr(pd.msg, ": error: ");
            sscanf(pd.msg, "x:1:%d", &col);
            msg = msg != NULL ? msg + 9 : pd.msg;
            if ((size_t)col <= kl)
                return ccs_diag_at(d, rc, k->origin, k->line, k->col + col - 1, "%s", msg);
            return ccs__yerr(d, rc, v, "%s", msg);
        }
        s->n_targets++;
    }
    s->targets_node = map;
    return 0;
}

static int load_points(struct ccs_sweep_plan *s, const struct ccs_ynode *pts, struct ccs_diag *d)
{
    static const char *const keys[] = {"name", "description", "set"};
    int rc = ccs__ywant_seq(pts, "'points' (a list of {name: NAME, set: {KEY.PATH: VALUE}})", d);
    if (rc != 0)
        return rc;
    for (size_t i = 0; i < pts->len; i++) {
        const struct ccs_ynode *p = pts->items[i], *set;
        const char *name, *text;
        if (p->kind != CCS_Y_MAP)
            return ccs__yerr(d, CCS_ESCHEMA, p,
                             "a point must be a mapping {name: NAME, set: {KEY.PATH: VALUE}}, "
                             "got %s",
                             ccs__ykind_name(p));
        if ((rc = ccs__ycheck_keys(p, keys, sizeof keys / sizeof keys[0], "point", d)) ||
            (rc = ccs__yread_id(p, "name", true, &name, d)) ||
            (rc = ccs__yread_string(p, "description", false, &text, d)))
            return rc;
        if (!grow(&s->listed, s->n_listed, sizeof *s->listed))
            return nomem(d);
        struct ccs__sweep_listed *l = &s->listed[s->n_listed];
        memset(l, 0, sizeof *l);
        const struct ccs_ynode *nn = ccs__ymap_get(p, "name");
        l->origin = nn->origin;
        l->line = nn->line;
        l->col = nn->col;
        if ((l->name = ccs__strdup(name)) == NULL)
            return nomem(d);
        s->n_listed++;
        set = ccs__ymap_get(p, "set");
        if (set == NULL || (set->kind == CCS_Y_SCALAR && set->plain && set->text[0] == '\0'))
            continue; /* the scenario as written */
        if ((rc = ccs__ywant_map(set, "'set' (a mapping {KEY.PATH: VALUE})", d)) != 0)
            return rc;
        if ((l->ov = ccs_calloc(set->len ? set->len : 1, sizeof *l->ov)) == NULL)
            return nomem(d);
        for (size_t k = 0; k < set->len; k++) {
            if (reserved_path(set->keys[k]->text))
                return ccs__yerr(d, CCS_ESCHEMA, set->keys[k],
                                 "'%s' is the sweep's own setting, not a point's",
                                 set->keys[k]->text);
            if ((rc = ov_from_node(&l->ov[k], set->keys[k], set->items[k], "'set'", d)) != 0)
                return rc;
            l->n_ov = k + 1;
        }
    }
    return 0;
}

static int load_grid(struct ccs_sweep_plan *s, const struct ccs_ynode *g, struct ccs_diag *d)
{
    int rc = ccs__ywant_map(g, "'grid' (a mapping {KEY.PATH: [V1, V2, ...]})", d);
    if (rc != 0)
        return rc;
    for (size_t i = 0; i < g->len; i++) {
        const struct ccs_ynode *k = g->keys[i], *vs = g->items[i];
        if (reserved_path(k->text))
            return ccs__yerr(d, CCS_ESCHEMA, k, "'%s' is the sweep's own setting, not a point's",
                             k->text);
        if (vs->kind != CCS_Y_SEQ || vs->len == 0)
            return ccs__yerr(d, CCS_ESCHEMA, vs,
                             "grid values of '%s' must be a non-empty list [V1, V2, ...], got %s",
                             k->text,
                             vs->kind == CCS_Y_SEQ ? "an empty list" : ccs__ykind_name(vs));
        if (!grow(&s->dims, s->n_dims, sizeof *s->dims))
            return nomem(d);
        struct ccs__sweep_dim *dim = &s->dims[s->n_dims];
        memset(dim, 0, sizeof *dim);
        dim->path = k->text;
        dim->origin = k->origin;
        dim->line = k->line;
        dim->col = k->col;
        if ((dim->vals = ccs_calloc(vs->len, sizeof *dim->vals)) == NULL)
            return nomem(d);
        s->n_dims++;
        for (size_t j = 0; j < vs->len; j++) {
            if ((rc = ov_from_node(&dim->vals[j], k, vs->items[j], "'grid'", d)) != 0)
                return rc;
            dim->n_vals = j + 1;
        }
    }
    return 0;
}

int ccs_sweep_plan_load_file(struct ccs_sweep_plan *s, const char *path, struct ccs_diag *d)
{
    static const char *const keys[] = {"scenario",  "name",     "description", "seed",
                                       "replications", "set",   "grid",        "points",
                                       "baseline",  "streams",  "precision",   "max_replications"};
    static const char *const streams[] = {"independent", "common", NULL};
    if (s->doc != NULL)
        return ccs_diag_at(d, CCS_EINVAL, path, 0, 0, "a sweep reads one sweep file");
    int rc = ccs__ydoc_load_file(path, &s->doc, d);
    if (rc != 0)
        return rc;
    if ((s->file = ccs__strdup(path)) == NULL)
        return nomem(d);
    const struct ccs_ynode *root = ccs__ydoc_root(s->doc), *n;
    const char *text;
    if ((rc = ccs__ywant_map(root, "a sweep file (a mapping with 'scenario', 'grid', 'points'...)",
                             d)) ||
        (rc = ccs__ycheck_keys(root, keys, sizeof keys / sizeof keys[0], "sweep", d)) ||
        (rc = ccs__yread_string(root, "scenario", true, &text, d)))
        return rc;
    free(s->scenario_text); /* a file's scenario replaces one given as text */
    s->scenario_text = NULL;
    /* the scenario path is relative to the sweep file's directory */
    const char *slash = strrchr(path, '/');
    if (text[0] == '/' || slash == NULL) {
        s->scenario_path = ccs__strdup(text);
    } else {
        size_t dl = (size_t)(slash - path) + 1;
        if ((s->scenario_path = ccs_malloc(dl + strlen(text) + 1)) != NULL) {
            memcpy(s->scenario_path, path, dl);
            strcpy(s->scenario_path + dl, text);
        }
    }
    char *tidy = s->scenario_path != NULL ? tidy_path(s->scenario_path) : NULL;
    free(s->scenario_path);
    if ((s->scenario_path = tidy) == NULL)
        return nomem(d);
    s->scenario_node = ccs__ymap_get(root, "scenario");
    text = NULL;
    if ((rc = ccs__yread_string(root, "name", false, &text, d)) != 0)
        return rc;
    if (text != NULL && (s->name = ccs__strdup(text)) == NULL)
        return nomem(d);
    if ((rc = ccs__yread_string(root, "description", false, &text, d)) != 0)
        return rc;
    if (ccs__ymap_get(root, "seed") != NULL) {
        if ((rc = ccs__yread_u64(root, "seed", true, &s->seed, d)) != 0)
            return rc;
        s->has_seed = true;
    }
    long long v;
    if ((n = ccs__ymap_get(root, "replications")) != NULL) {
        if ((rc = ccs__yread_int(root, "replications", true, 1, 1000000, &v, d)) != 0)
            return rc;
        s->reps = (uint32_t)v;
        s->has_reps = true;
    }
    if ((n = ccs__ymap_get(root, "max_replications")) != NULL) {
        if ((rc = ccs__yread_int(root, "max_replications", true, 2, 1000000, &v, d)) != 0)
            return rc;
        s->cap = (uint32_t)v;
    }
    int which = -1;
    if ((rc = ccs__yread_choice(root, "streams", false, streams, &which, d)) != 0)
        return rc;
    if (which >= 0)
        s->streams = which == 0 ? CCS_STREAMS_INDEPENDENT : CCS_STREAMS_COMMON;
    if ((n = ccs__ymap_get(root, "baseline")) != NULL) {
        if ((rc = ccs__ywant_scalar(n, "'baseline' (a point name or index)", d)) != 0)
            return rc;
        if ((s->baseline_text = ccs__strdup(n->text)) == NULL)
            return nomem(d);
        s->baseline_node = n;
    }
    if ((n = ccs__ymap_get(root, "set")) != NULL) {
        if ((rc = ccs__ywant_map(n, "'set' (a mapping {KEY.PATH: VALUE})", d)) != 0)
            return rc;
        for (size_t i = 0; i < n->len; i++) {
            if (!grow(&s->set, s->n_set, sizeof *s->set))
                return nomem(d);
            if ((rc = ov_from_node(&s->set[s->n_set], n->keys[i], n->items[i], "'set'", d)) != 0) {
                ov_release(&s->set[s->n_set]);
                return rc;
            }
            s->n_set++;
        }
    }
    if ((n = ccs__ymap_get(root, "grid")) != NULL && (rc = load_grid(s, n, d)) != 0)
        return rc;
    if ((n = ccs__ymap_get(root, "points")) != NULL && (rc = load_points(s, n, d)) != 0)
        return rc;
    if ((n = ccs__ymap_get(root, "precision")) != NULL && (rc = load_precision(s, n, d)) != 0)
        return rc;
    return 0;
}

/* --- prepare ---------------------------------------------------------------------------------- */

/* The node at a dotted path (map keys; list indices or item ids), or NULL. */
static const struct ccs_ynode *lookup(const struct ccs_ynode *n, const char *path)
{
    for (const char *s = path; n != NULL;) {
        size_t len = strcspn(s, ".");
        if (n->kind == CCS_Y_MAP) {
            const struct ccs_ynode *next = NULL;
            for (size_t i = 0; i < n->len; i++)
                if (strlen(n->keys[i]->text) == len && strncmp(n->keys[i]->text, s, len) == 0)
                    next = n->items[i];
            n = next;
        } else if (n->kind == CCS_Y_SEQ) {
            bool digits = len > 0;
            for (size_t i = 0; i < len; i++)
                digits = digits && isdigit((unsigned char)s[i]);
            const struct ccs_ynode *next = NULL;
            if (digits) {
                size_t idx = strtoul(s, NULL, 10);
                next = idx < n->len ? n->items[idx] : NULL;
            } else {
                for (size_t i = 0; i < n->len && next == NULL; i++) {
                    const struct ccs_ynode *id = ccs__ymap_get(n->items[i], "id");
                    if (id != NULL && id->kind == CCS_Y_SCALAR && strlen(id->text) == len &&
                        strncmp(id->text, s, len) == 0)
                        next = n->items[i];
                }
            }
            n = next;
        } else {
            return NULL;
        }
        if (s[len] == '\0')
            return n;
        s += len + 1;
    }
    return NULL;
}

static int cmp_ov(const void *a, const void *b)
{
    const struct ccs__sweep_ov *x = *(const struct ccs__sweep_ov *const *)a;
    const struct ccs__sweep_ov *y = *(const struct ccs__sweep_ov *const *)b;
    return strcmp(x->path, y->path);
}

/* "path=value" lines sorted by path (stable), the point's identity for its seed. */
static char *point_key(const struct plan_point *pt)
{
    const struct ccs__sweep_ov **sorted = ccs_malloc((pt->n_ov ? pt->n_ov : 1) * sizeof *sorted);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = sorted != NULL ? ccs__memstream(&buf, &len) : NULL;
    if (f == NULL) {
        free(sorted);
        return NULL;
    }
    memcpy(sorted, pt->ov, pt->n_ov * sizeof *sorted);
    /* insertion sort: stable, and points set few paths */
    for (size_t i = 1; i < pt->n_ov; i++)
        for (size_t j = i; j > 0 && cmp_ov(&sorted[j - 1], &sorted[j]) > 0; j--) {
            const struct ccs__sweep_ov *t = sorted[j];
            sorted[j] = sorted[j - 1];
            sorted[j - 1] = t;
        }
    for (size_t i = 0; i < pt->n_ov; i++)
        fprintf(f, "%s=%s\n", sorted[i]->path, sorted[i]->canon);
    free(sorted);
    if (fclose(f) != 0) {
        free(buf);
        return NULL;
    }
    return buf;
}

static int add_column(struct ccs_sweep_plan *s, const char *path)
{
    for (size_t c = 0; c < s->n_columns; c++)
        if (strcmp(s->columns[c], path) == 0)
            return 0;
    char *p = ccs__strdup(path);
    if (p == NULL || !grow(&s->columns, s->n_columns, sizeof *s->columns)) {
        free(p);
        return CCS_ENOMEM;
    }
    s->columns[s->n_columns++] = p;
    return 0;
}

/* The base scenario: the file, then the sweep's set: and --set, validated once. */
static int load_base(struct ccs_sweep_plan *s, struct ccs_diag *d)
{
    if (s->scenario_path == NULL)
        return ccs_diag_at(d, CCS_EINVAL, s->file, 0, 0, "no scenario to sweep");
    struct ccs_ydoc *doc;
    struct ccs_diag e;
    ccs_diag_clear(&e);
    int rc = s->scenario_text != NULL
                 ? ccs__ydoc_load_string(s->scenario_path, s->scenario_text, s->scenario_len, 1, 1,
                                         &doc, &e)
                 : ccs__ydoc_load_file(s->scenario_path, &doc, &e);
    if (rc == CCS_EIO && s->scenario_node != NULL) {
        /* a path in the sweep file: say where it was given */
        const char *why = strstr(e.msg, ": error: ");
        return ccs__yerr(d, rc, s->scenario_node, "scenario: %s (paths are relative to the sweep "
                                                  "file)",
                         why != NULL ? why + 9 : e.msg);
    }
    if (rc != 0) {
        if (d != NULL && d->code == 0)
            *d = e;
        return rc;
    }
    for (size_t i = 0; i < s->n_set; i++)
        if ((rc = ov_apply(doc, &s->set[i], d)) != 0) {
            ccs__ydoc_free(doc);
            return rc;
        }
    return ccs__scenario_from_doc(doc, s->scenario_path, NULL, &s->base, d);
}

/* The points: the grid's product (the first path varies slowest), then the listed ones. */
static int expand(struct ccs_sweep_plan *s, struct ccs_diag *d)
{
    size_t n_grid = s->n_dims > 0 ? 1 : 0;
    for (size_t i = 0; i < s->n_dims; i++) {
        if (n_grid > CCS_SWEEP_MAX_POINTS / s->dims[i].n_vals)
            return ccs_diag_at(d, CCS_EINVAL, s->dims[i].origin, s->dims[i].line, s->dims[i].col,
                               "the grid has more than %d points", CCS_SWEEP_MAX_POINTS);
        n_grid *= s->dims[i].n_vals;
    }
    size_t n = n_grid + s->n_listed;
    if (n == 0)
        return ccs_diag_at(d, CCS_EINVAL, s->file ? s->file : s->scenario_path, s->file ? 1 : 0, 1,
                           "nothing to sweep: give a grid (--grid KEY.PATH=V1,V2,... or 'grid:') "
                           "or points (--point NAME:KEY.PATH=VALUE or 'points:')");
    if (n > CCS_SWEEP_MAX_POINTS)
        return ccs_diag_at(d, CCS_EINVAL, s->file, 0, 0, "a sweep has at most %d points, got %zu",
                           CCS_SWEEP_MAX_POINTS, n);
    if ((s->points = ccs_calloc(n, sizeof *s->points)) == NULL)
        return nomem(d);
    s->n_points = n;
    for (size_t p = 0; p < n_grid; p++) {
        struct plan_point *pt = &s->points[p];
        char name[32];
        snprintf(name, sizeof name, "g%zu", p);
        pt->name = ccs__strdup(name);
        pt->ov = ccs_malloc(s->n_dims * sizeof *pt->ov);
        if (pt->name == NULL || pt->ov == NULL)
            return nomem(d);
        size_t rest = p;
        for (size_t i = s->n_dims; i-- > 0;) {
            pt->ov[i] = &s->dims[i].vals[rest % s->dims[i].n_vals];
            rest /= s->dims[i].n_vals;
        }
        pt->n_ov = s->n_dims;
    }
    for (size_t i = 0; i < s->n_listed; i++) {
        const struct ccs__sweep_listed *l = &s->listed[i];
        struct plan_point *pt = &s->points[n_grid + i];
        for (size_t j = 0; j < n_grid + i; j++)
            if (strcmp(s->points[j].name, l->name) == 0)
                return ccs_diag_at(d, CCS_EINVAL, l->origin, l->line, l->col,
                                   "duplicate point name '%s'%s", l->name,
                                   j < n_grid ? " (grid points are named g0, g1, ...)" : "");
        pt->name = ccs__strdup(l->name);
        pt->ov = ccs_malloc((l->n_ov ? l->n_ov : 1) * sizeof *pt->ov);
        if (pt->name == NULL || pt->ov == NULL)
            return nomem(d);
        for (size_t j = 0; j < l->n_ov; j++)
            pt->ov[j] = &l->ov[j];
        pt->n_ov = l->n_ov;
    }
    return 0;
}

static int derive_point(struct ccs_sweep_plan *s, struct plan_point *pt, struct ccs_diag *d)
{
    struct ccs_ydoc *doc;
    if (ccs__ydoc_clone(s->base->doc, &doc) != 0)
        return nomem(d);
    for (size_t i = 0; i < pt->n_ov; i++) {
        int rc = ov_apply(doc, pt->ov[i], d);
        if (rc != 0) {
            ccs__ydoc_free(doc);
            return rc;
        }
    }
    return ccs__scenario_from_doc(doc, s->base->origin, s->base->extra_policies, &pt->sc, d);
}

static int find_id(const char *id, size_t n,
                   const char *(*get)(const struct ccs_scenario *, size_t),
                   const struct ccs_scenario *sc)
{
    for (size_t i = 0; i < n; i++)
        if (get(sc, i) != NULL && strcmp(get(sc, i), id) == 0)
            return (int)i;
    return -1;
}

/* Where a target was given, for messages. */
static int target_error(const struct ccs_sweep_plan *s, struct ccs_diag *d, const char *fmt,
                        const char *a, const char *b)
{
    if (s->targets_node != NULL)
        return ccs__yerr(d, CCS_EINVAL, s->targets_node, fmt, a, b);
    return ccs_diag_at(d, CCS_EINVAL, "--precision", 0, 0, fmt, a, b);
}

/* Index of target t among point p's whole-run keys, or an error. */
static int resolve_target(const struct ccs_sweep_plan *s, const struct plan_point *pt,
                          const struct ccs_precision *t, long *out, struct ccs_diag *d)
{
    const struct ccs_scenario *sc = pt->sc;
    char name[256];
    ccs_precision_name(t, name, sizeof name);
    int q = -1, seg = -1, g = -1;
    if (t->scope == CCS_SCOPE_QUEUE || t->scope == CCS_SCOPE_SEGMENT) {
        q = find_id(t->queue, sc->n_queues, ccs_scenario_queue_id, sc);
        if (q < 0)
            return target_error(s, d, "'%s': point '%s' has no such queue", name, pt->name);
    }
    if (t->scope == CCS_SCOPE_SEGMENT) {
        for (size_t i = 0; i < sc->queues[q].n_segments; i++) {
            const char *sid = sc->queues[q].segments[i].id;
            if (sid != NULL && strcmp(sid, t->segment) == 0)
                seg = (int)i;
        }
        if (seg < 0)
            return target_error(s, d, "'%s': point '%s' has no such segment", name, pt->name);
    }
    if (t->scope == CCS_SCOPE_GROUP) {
        g = find_id(t->group, sc->n_groups, ccs_scenario_group_id, sc);
        if (g < 0)
            return target_error(s, d, "'%s': point '%s' has no such group", name, pt->name);
    }
    long k = ccs_layout_find(sc->layout, t->scope, t->kpi, q, seg, g, -1);
    if (k < 0 || (size_t)k >= sc->layout->n_whole)
        return target_error(s, d, "'%s': point '%s' does not measure it", name, pt->name);
    *out = k;
    return 0;
}

static int resolve_baseline(struct ccs_sweep_plan *s, struct ccs_diag *d)
{
    s->baseline = -1;
    if (s->baseline_text == NULL)
        return 0;
    const char *t = s->baseline_text;
    for (size_t p = 0; p < s->n_points; p++)
        if (strcmp(s->points[p].name, t) == 0) {
            s->baseline = (long)p;
            return 0;
        }
    bool digits = t[0] != '\0' && strlen(t) < 10;
    for (const char *c = t; *c; c++)
        digits = digits && isdigit((unsigned char)*c);
    if (digits && strtoul(t, NULL, 10) < s->n_points) {
        s->baseline = (long)strtoul(t, NULL, 10);
        return 0;
    }
    const char *fmt = "no point named '%s' for the baseline (give a point name, or an index from "
                      "0 to %zu)";
    if (s->baseline_node != NULL)
        return ccs__yerr(d, CCS_EINVAL, s->baseline_node, fmt, t, s->n_points - 1);
    return ccs_diag_at(d, CCS_EINVAL, "--baseline", 0, 0, fmt, t, s->n_points - 1);
}

/* The sweep's identity: everything that decides its results, hashed. */
static int identity(struct ccs_sweep_plan *s, struct ccs_diag *d)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    char line[512];
    int n = snprintf(line, sizeof line,
                     "ccsim-sweep-1 %s\nseed %llu streams %d level %.17g start %u cap %u "
                     "baseline %ld targets %zu\n",
                     CCS_VERSION, (unsigned long long)s->seed, (int)s->streams, s->level, s->start,
                     s->cap, s->baseline, s->n_targets);
    h = fnv(h, line, (size_t)n);
    for (size_t t = 0; t < s->n_targets; t++) {
        char name[256];
        ccs_precision_name(&s->targets[t], name, sizeof name);
        n = snprintf(line, sizeof line, "target %s %.17g\n", name, s->targets[t].halfwidth);
        h = fnv(h, line, (size_t)n);
    }
    for (size_t p = 0; p < s->n_points; p++) {
        const struct plan_point *pt = &s->points[p];
        n = snprintf(line, sizeof line, "point %zu %s %llu\n", p, pt->name,
                     (unsigned long long)pt->seed);
        h = fnv(h, line, (size_t)n);
        char *buf = NULL;
        size_t len = 0;
        FILE *f = ccs__memstream(&buf, &len);
        if (f == NULL)
            return nomem(d);
        int rc = ccs__ydoc_emit(ccs__ydoc_root(pt->sc->doc), f, 0);
        if (fclose(f) != 0 || rc != 0) {
            free(buf);
            return nomem(d);
        }
        h = fnv(h, buf, len);
        free(buf);
    }
    snprintf(s->identity, sizeof s->identity, "%016llx", (unsigned long long)ccs__mix64(h));
    return 0;
}

/* The prepared plan as plain data for its runner (ccs/design.h). */
static int make_design(struct ccs_sweep_plan *s)
{
    s->dpoints = ccs_calloc(s->n_points, sizeof *s->dpoints);
    if (s->dpoints == NULL)
        return CCS_ENOMEM;
    for (size_t p = 0; p < s->n_points; p++) {
        const struct plan_point *pt = &s->points[p];
        struct ccs_design_point *dp = &s->dpoints[p];
        dp->name = pt->name;
        dp->key = pt->key;
        dp->sc = pt->sc;
        dp->seed = pt->seed;
        dp->values = (const char *const *)pt->values;
        dp->target_keys = pt->tkey;
    }
    struct ccs_design *z = &s->design;
    z->file = s->file;
    z->name = s->name;
    z->base = s->base;
    z->points = s->dpoints;
    z->n_points = s->n_points;
    z->columns = (const char *const *)s->columns;
    z->n_columns = s->n_columns;
    z->baseline = s->baseline;
    z->seed = s->seed;
    z->streams = s->streams;
    z->level = s->level;
    z->replications = s->start;
    z->max_replications = s->cap;
    z->targets = s->targets;
    z->n_targets = s->n_targets;
    z->identity = s->identity;
    return 0;
}

int ccs_sweep_plan_prepare(struct ccs_sweep_plan *s, struct ccs_diag *d)
{
    if (s->prepared)
        return ccs_diag_at(d, CCS_ESTATE, NULL, 0, 0, "the sweep is already prepared");
    int rc = load_base(s, d);
    if (rc == 0)
        rc = expand(s, d);
    if (rc != 0)
        return rc;
    if (!s->has_seed)
        s->seed = s->base->seed;
    if (s->n_targets > 0) {
        s->start = s->has_reps ? s->reps : DEFAULT_START;
        if (s->start < 2)
            s->start = 2;
        if (s->cap == 0)
            s->cap = s->start > DEFAULT_CAP ? s->start : DEFAULT_CAP;
        if (s->start > s->cap)
            return ccs_diag_at(d, CCS_EINVAL, s->file, 0, 0,
                               "the replications to start from (%u) exceed max_replications (%u)",
                               s->start, s->cap);
    } else {
        s->start = s->has_reps ? s->reps : s->base->replications;
        s->cap = s->start;
    }
    if ((rc = resolve_baseline(s, d)) != 0)
        return rc;
    if (s->streams == CCS_STREAMS_AUTO)
        s->streams = s->baseline >= 0 ? CCS_STREAMS_COMMON : CCS_STREAMS_INDEPENDENT;
    for (size_t p = 0; p < s->n_points; p++) {
        struct plan_point *pt = &s->points[p];
        if ((rc = derive_point(s, pt, d)) != 0)
            return rc;
        if ((pt->key = point_key(pt)) == NULL)
            return nomem(d);
        /* independent: a stable hash of (seed, the point's overrides); common: the seed */
        pt->seed = s->streams == CCS_STREAMS_COMMON
                       ? s->seed
                       : ccs__mix64(ccs__mix64(s->seed) ^ ccs__hash_str(pt->key));
        if (s->n_targets > 0) {
            pt->tkey = ccs_malloc(s->n_targets * sizeof *pt->tkey);
            if (pt->tkey == NULL)
                return nomem(d);
            for (size_t t = 0; t < s->n_targets; t++)
                if ((rc = resolve_target(s, pt, &s->targets[t], &pt->tkey[t], d)) != 0)
                    return rc;
        }
    }
    for (size_t i = 0; i < s->n_dims; i++)
        if (add_column(s, s->dims[i].path) != 0)
            return nomem(d);
    for (size_t i = 0; i < s->n_listed; i++)
        for (size_t j = 0; j < s->listed[i].n_ov; j++)
            if (add_column(s, s->listed[i].ov[j].path) != 0)
                return nomem(d);
    for (size_t p = 0; p < s->n_points; p++) {
        struct plan_point *pt = &s->points[p];
        pt->values = ccs_calloc(s->n_columns ? s->n_columns : 1, sizeof *pt->values);
        if (pt->values == NULL)
            return nomem(d);
        for (size_t c = 0; c < s->n_columns; c++) {
            const struct ccs_ynode *v = lookup(ccs__ydoc_root(pt->sc->doc), s->columns[c]);
            if (v != NULL && (pt->values[c] = canon_of(v)) == NULL)
                return nomem(d);
        }
    }
    if ((rc = identity(s, d)) != 0)
        return rc;
    if ((rc = make_design(s)) != 0)
        return nomem(d);
    s->prepared = true;
    return 0;
}

const struct ccs_design *ccs_sweep_plan_design(const struct ccs_sweep_plan *s)
{
    return s->prepared ? &s->design : NULL;
}
