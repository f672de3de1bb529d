/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * variants.c - where a comparison's variants come from: a scenario's
 * `variants:` block (checked by the loader, derived with errors located in
 * the file) and `--variant NAME:KEY=VALUE,...` arguments (errors located by
 * column).
 */
#include "ccs/variants.h"

#include "fmt/ydoc.h"
#include "fmt/yread.h"
#include "load/variants.h"
#include "model/scenario.h"
#include "ccs/mem.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- the scenario's `variants:` block ----------------------------------------------- */

/* A path's segments must be non-empty; the rest is checked when applied. */
static int check_path(const struct ccs_ynode *key, struct ccs_diag *d)
{
    const char *t = key->text;
    if (t[0] == '\0')
        return ccs__yerr(d, CCS_ESCHEMA, key, "empty override path in 'set'");
    for (const char *s = t;; s++) {
        size_t n = strcspn(s, ".");
        if (n == 0)
            return ccs__yerr(d, CCS_ESCHEMA, key, "empty segment in path '%s'", t);
        s += n;
        if (*s == '\0')
            return 0;
    }
}

int ccs__variants_check(const struct ccs_ynode *vs, struct ccs_diag *d)
{
    static const char *const keys[] = {"name", "description", "set"};
    if (vs == NULL)
        return 0;
    if (vs->kind != CCS_Y_SEQ)
        return ccs__yerr(d, CCS_ESCHEMA, vs,
                         "'variants' must be a list of {name: NAME, set: {KEY.PATH: VALUE}} "
                         "entries, got %s",
                         ccs__ykind_name(vs));
    if (vs->len > CCS_MAX_FILE_VARIANTS)
        return ccs__yerr(d, CCS_ESCHEMA, vs, "'variants' lists %zu variants (at most %d)",
                         (size_t)vs->len, CCS_MAX_FILE_VARIANTS);
    for (size_t i = 0; i < vs->len; i++) {
        const struct ccs_ynode *v = vs->items[i], *set;
        const char *name, *text;
        int rc;
        if (v->kind != CCS_Y_MAP)
            return ccs__yerr(d, CCS_ESCHEMA, v,
                             "a variant must be a mapping {name: NAME, set: {KEY.PATH: VALUE}}, "
                             "got %s",
                             ccs__ykind_name(v));
        if ((rc = ccs__ycheck_keys(v, keys, sizeof keys / sizeof keys[0], "variant", d)) ||
            (rc = ccs__yread_id(v, "name", true, &name, d)) ||
            (rc = ccs__yread_string(v, "description", false, &text, d)))
            return rc;
        for (size_t j = 0; j < i; j++) {
            const struct ccs_ynode *other = ccs__ymap_get(vs->items[j], "name");
            if (strcmp(other->text, name) == 0)
                return ccs__yerr(d, CCS_ESCHEMA, ccs__ymap_get(v, "name"),
                                 "duplicate variant name '%s' (first defined at line %d)", name,
                                 other->line);
        }
        if ((set = ccs__ymap_get(v, "set")) == NULL)
            continue;
        if (set->kind == CCS_Y_SCALAR && set->plain && set->text[0] == '\0')
            continue; /* "set:" with nothing: the scenario unchanged */
        if ((rc = ccs__ywant_map(set, "'set'", d)))
            return rc;
        for (size_t k = 0; k < set->len; k++)
            if ((rc = check_path(set->keys[k], d)))
                return rc;
    }
    return 0;
}

static const struct ccs_ynode *variant_node(const struct ccs_scenario *sc, size_t i)
{
    const struct ccs_ynode *vs = ccs__ymap_get(ccs__ydoc_root(sc->doc), "variants");
    return vs != NULL && vs->kind == CCS_Y_SEQ && i < vs->len ? vs->items[i] : NULL;
}

/* The `set:` mapping of variant i, or NULL when it sets nothing. */
static const struct ccs_ynode *variant_set(const struct ccs_scenario *sc, size_t i)
{
    const struct ccs_ynode *set = ccs__ymap_get(variant_node(sc, i), "set");
    return set != NULL && set->kind == CCS_Y_MAP ? set : NULL;
}

size_t ccs_scenario_variant_count(const struct ccs_scenario *sc)
{
    const struct ccs_ynode *vs = ccs__ymap_get(ccs__ydoc_root(sc->doc), "variants");
    return vs != NULL && vs->kind == CCS_Y_SEQ ? vs->len : 0;
}

const char *ccs_scenario_variant_name(const struct ccs_scenario *sc, size_t i)
{
    const struct ccs_ynode *n = ccs__ymap_get(variant_node(sc, i), "name");
    return n != NULL ? n->text : NULL;
}

const char *ccs_scenario_variant_description(const struct ccs_scenario *sc, size_t i)
{
    const struct ccs_ynode *n = ccs__ymap_get(variant_node(sc, i), "description");
    return n != NULL && n->kind == CCS_Y_SCALAR ? n->text : NULL;
}

void ccs_scenario_variant_summary(const struct ccs_scenario *sc, size_t i, char *buf, size_t cap)
{
    const struct ccs_ynode *set = variant_set(sc, i);
    size_t used = 0;
    if (cap == 0)
        return;
    buf[0] = '\0';
    for (size_t k = 0; set != NULL && k < set->len && used < cap; k++) {
        const struct ccs_ynode *v = set->items[k];
        const char *text = v->kind == CCS_Y_SCALAR ? v->text
                           : v->kind == CCS_Y_SEQ  ? "[...]"
                                                   : "{...}";
        int w = snprintf(buf + used, cap - used, "%s%s=%s", k ? ", " : "", set->keys[k]->text,
                         text);
        used += w > 0 ? (size_t)w : 0;
    }
}

int ccs_scenario_variant_derive(const struct ccs_scenario *sc, size_t i,
                                struct ccs_scenario **out, struct ccs_diag *d)
{
    *out = NULL;
    if (variant_node(sc, i) == NULL)
        return ccs_diag_at(d, CCS_EINVAL, sc->origin, 0, 0, "no variant %zu", i);
    struct ccs_ydoc *doc;
    if (ccs__ydoc_clone(sc->doc, &doc) != 0)
        return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    const struct ccs_ynode *set = variant_set(sc, i);
    for (size_t k = 0; set != NULL && k < set->len; k++) {
        int rc = ccs__scenario_set_node(doc, set->keys[k], set->items[k], d);
        if (rc != 0) {
            ccs__ydoc_free(doc);
            return rc;
        }
    }
    return ccs__scenario_from_doc(doc, sc->origin, sc->extra_policies, out, d);
}

/* --- --variant NAME:KEY=VALUE,... ----------------------------------------------------- */

void ccs_variant_spec_release(struct ccs_variant_spec *s)
{
    free(s->ov);
    free(s->buf);
    s->ov = NULL;
    s->buf = NULL;
    s->n_ov = 0;
}

int ccs_variant_spec_parse(const char *text, const char *origin, struct ccs_variant_spec *out,
                           struct ccs_diag *d)
{
    memset(out, 0, sizeof *out);
    const char *colon = strchr(text, ':');
    size_t nlen = colon != NULL ? (size_t)(colon - text) : strlen(text);
    if (colon == NULL && strchr(text, '=') != NULL)
        return ccs_diag_at(d, CCS_EINVAL, origin, 1, 1,
                           "expected NAME:KEY.PATH=VALUE[,KEY.PATH=VALUE...] (e.g. "
                           "plus1:groups.team.agents=18), got '%s'",
                           text);
    if (nlen == 0 || nlen > CCS_ID_MAX)
        return ccs_diag_at(d, CCS_EINVAL, origin, 1, 1,
                           nlen == 0 ? "missing variant name before ':' (expected "
                                       "NAME:KEY.PATH=VALUE,...)"
                                     : "variant name is too long (at most %d characters)",
                           CCS_ID_MAX);
    memcpy(out->name, text, nlen);
    out->name[nlen] = '\0';
    if (!ccs_variant_name_ok(out->name))
        return ccs_diag_at(d, CCS_EINVAL, origin, 1, 1,
                           "variant name must use only letters, digits, '_' and '-', got '%s'",
                           out->name);
    out->text = colon != NULL ? colon + 1 : text + nlen;
    const char *rest = out->text;
    size_t base = (size_t)(rest - text); /* column of rest[0] is base + 1 */
    if (rest[0] == '\0')
        return 0;
    size_t len = strlen(rest), max_ov = 1;
    for (size_t i = 0; i < len; i++)
        max_ov += rest[i] == ',';
    out->buf = ccs_malloc(len + 1);
    out->ov = ccs_calloc(max_ov, sizeof *out->ov);
    if (out->buf == NULL || out->ov == NULL) {
        ccs_variant_spec_release(out);
        return ccs_diag_at(d, CCS_ENOMEM, origin, 1, 1, "out of memory");
    }
    memcpy(out->buf, rest, len + 1);
    for (size_t at = 0;;) {
        char *piece = out->buf + at;
        size_t n = ccs__list_item_span(piece);
        bool last = piece[n] == '\0';
        piece[n] = '\0';
        int col = (int)(base + at + 1);
        char *eq = strchr(piece, '=');
        int rc = 0;
        if (n == 0)
            rc = ccs_diag_at(d, CCS_EINVAL, origin, 1, col,
                             "empty override (expected KEY.PATH=VALUE between commas)");
        else if (eq == NULL || eq == piece)
            rc = ccs_diag_at(d, CCS_EINVAL, origin, 1, col,
                             "expected KEY.PATH=VALUE (e.g. groups.team.agents=18), got '%s'",
                             piece);
        if (rc != 0) {
            ccs_variant_spec_release(out);
            return rc;
        }
        *eq = '\0';
        struct ccs_override *o = &out->ov[out->n_ov++];
        o->path = piece;
        o->value = eq + 1;
        o->origin = origin;
        o->path_col = col;
        o->value_col = col + (int)(eq - piece) + 1;
        if (last)
            break;
        at += n + 1;
    }
    return 0;
}
