/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * test_ydoc.c - the YAML tree (sim/fmt/ydoc.c): positions, every load error
 * with its exact message, --set paths, clone, emit round trips, suggestions,
 * aliases, and a deterministic fuzz of mutated scenario files.
 */
#include "fmt/ydoc.h"

/* cmocka needs these before it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define ERLANG CCS_SOURCE_DIR "/scenarios/erlang-a.yaml"
#define MULTI CCS_SOURCE_DIR "/scenarios/multiskill.yaml"

static struct ccs_ydoc *load_ok(const char *path)
{
    struct ccs_diag d;
    struct ccs_ydoc *doc = NULL;
    ccs_diag_clear(&d);
    int rc = ccs__ydoc_load_file(path, &doc, &d);
    if (rc != 0)
        fail_msg("%s", d.msg);
    assert_non_null(doc);
    return doc;
}

static struct ccs_ydoc *load_str(const char *text, struct ccs_diag *d)
{
    struct ccs_ydoc *doc = NULL;
    ccs_diag_clear(d);
    int rc = ccs__ydoc_load_string("str", text, strlen(text), 1, 1, &doc, d);
    assert_true(rc == 0 || (doc == NULL && d->code == rc));
    return doc;
}

/* Item i of a sequence node. */
static struct ccs_ynode *at(const struct ccs_ynode *seq, size_t i)
{
    assert_non_null(seq);
    assert_int_equal(seq->kind, CCS_Y_SEQ);
    assert_true(i < seq->len);
    return seq->items[i];
}

static void assert_pos(const struct ccs_ynode *n, int line, int col)
{
    assert_non_null(n);
    assert_int_equal(n->line, line);
    assert_int_equal(n->col, col);
}

/* Write text to a fresh file under /tmp; path receives its name. */
static void write_tmp(char path[64], const char *text, size_t len)
{
    strcpy(path, "/tmp/test_ydoc-XXXXXX");
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(write(fd, text, len), (ssize_t)len);
    close(fd);
}

/* Loading path fails with code and "PATH:LINE:COL: error: MSG". */
static void expect_load_error(const char *path, int code, int line, int col, const char *msg)
{
    struct ccs_diag d;
    struct ccs_ydoc *doc = (struct ccs_ydoc *)&d; /* must be reset to NULL */
    char want[sizeof d.msg];
    ccs_diag_clear(&d);
    snprintf(want, sizeof want, "%s:%d:%d: error: %s", path, line, col, msg);
    assert_int_equal(ccs__ydoc_load_file(path, &doc, &d), code);
    assert_null(doc);
    assert_int_equal(d.code, code);
    assert_string_equal(d.msg, want);
}

static void expect_text_error(const char *text, size_t len, int line, int col, const char *msg)
{
    char path[64];
    write_tmp(path, text, len);
    expect_load_error(path, CCS_EPARSE, line, col, msg);
    unlink(path);
}

#define TEXT_ERROR(text, line, col, msg) expect_text_error(text, sizeof text - 1, line, col, msg)

/* Same kind, text and shape; plain flags too when check_plain. */
static void assert_same_tree(const struct ccs_ynode *a, const struct ccs_ynode *b, bool check_plain)
{
    assert_non_null(a);
    assert_non_null(b);
    assert_int_equal(a->kind, b->kind);
    if (a->kind == CCS_Y_SCALAR) {
        assert_string_equal(a->text, b->text);
        if (check_plain)
            assert_int_equal(a->plain, b->plain);
        return;
    }
    assert_int_equal(a->len, b->len);
    for (size_t i = 0; i < a->len; i++) {
        if (a->kind == CCS_Y_MAP)
            assert_string_equal(a->keys[i]->text, b->keys[i]->text);
        assert_same_tree(a->items[i], b->items[i], check_plain);
    }
}

/* Emit n to a string (malloc'd). */
static char *emit_str(const struct ccs_ynode *n)
{
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    assert_non_null(f);
    assert_int_equal(ccs__ydoc_emit(n, f, 0), 0);
    fclose(f);
    return buf;
}

static void assert_round_trip(const struct ccs_ynode *root, bool check_plain)
{
    struct ccs_diag d;
    char *text = emit_str(root);
    struct ccs_ydoc *again = load_str(text, &d);
    if (again == NULL)
        fail_msg("re-load failed: %s\n--- emitted:\n%s", d.msg, text);
    assert_same_tree(root, ccs__ydoc_root(again), check_plain);
    ccs__ydoc_free(again);
    free(text);
}

/* ---------------------------------------------------------------- loading */

static void test_examples_positions(void **state)
{
    (void)state;
    struct ccs_ydoc *doc = load_ok(ERLANG);
    struct ccs_ynode *root = ccs__ydoc_root(doc);
    assert_int_equal(root->kind, CCS_Y_MAP);
    assert_pos(root, 6, 1);
    assert_string_equal(root->origin, ERLANG);
    struct ccs_ynode *team = at(ccs__ymap_get(root, "groups"), 0);
    struct ccs_ynode *agents = ccs__ymap_get(team, "agents");
    assert_pos(team, 21, 5);
    assert_pos(agents, 22, 13);
    assert_string_equal(agents->text, "100");
    assert_true(agents->plain);
    assert_pos(team->keys[1], 22, 5);
    assert_string_equal(team->keys[1]->text, "agents");
    struct ccs_ynode *sla = ccs__ymap_get(at(ccs__ymap_get(root, "queues"), 0), "sla");
    assert_int_equal(sla->kind, CCS_Y_MAP);
    assert_pos(sla, 15, 10);
    assert_pos(ccs__ymap_get(sla, "within"), 15, 32);
    assert_pos(at(ccs__ymap_get(team, "skills"), 0), 23, 14);
    assert_string_equal(ccs__ymap_get(root, "horizon")->text, "73d"); /* comment dropped */
    assert_null(ccs__ymap_get(root, "missing"));
    assert_null(ccs__ymap_get(agents, "x"));
    ccs__ydoc_free(doc);

    doc = load_ok(MULTI);
    struct ccs_ynode *groups = ccs__ymap_get(ccs__ydoc_root(doc), "groups");
    assert_int_equal(groups->len, 20);
    assert_pos(ccs__ymap_get(at(groups, 19), "id"), 132, 9);
    assert_int_equal(ccs__ymap_get(ccs__ydoc_root(doc), "queues")->len, 10);
    ccs__ydoc_free(doc);
    ccs__ydoc_free(NULL);
}

static void test_load_string_offsets(void **state)
{
    (void)state;
    struct ccs_diag d;
    struct ccs_ydoc *doc = NULL;
    ccs_diag_clear(&d);
    /* Line 1 of the text starts at column 10 of line 3 of the origin. */
    assert_int_equal(ccs__ydoc_load_string("arg", "{a: [1, x],\n b: 2}", 18, 3, 10, &doc, &d), 0);
    struct ccs_ynode *root = ccs__ydoc_root(doc);
    assert_pos(root, 3, 10);
    assert_pos(at(ccs__ymap_get(root, "a"), 1), 3, 18);
    assert_pos(ccs__ymap_get(root, "b"), 4, 5);
    assert_string_equal(root->origin, "arg");
    ccs__ydoc_free(doc);

    doc = (struct ccs_ydoc *)&d;
    assert_int_equal(ccs__ydoc_load_string("arg", "[1, @]", 6, 3, 10, &doc, &d), CCS_EPARSE);
    assert_null(doc);
    assert_string_equal(d.msg, "arg:3:14: error: found character that cannot start any token");
    ccs_diag_clear(&d);
    assert_int_equal(ccs__ydoc_load_string("arg", "[1", 2, 1, 5, &doc, &d), CCS_EPARSE);
    assert_string_equal(d.msg, "arg:1:7: error: did not find expected ',' or ']' "
                               "(while parsing a flow sequence at line 1, column 5)");
    ccs_diag_clear(&d);
    assert_int_equal(ccs__ydoc_load_string("arg", " # c", 4, 1, 5, &doc, &d), CCS_EPARSE);
    assert_string_equal(d.msg, "arg:1:5: error: empty document: expected a YAML value");
    ccs_diag_clear(&d);
    /* Length counts, NUL-termination does not. */
    assert_int_equal(ccs__ydoc_load_string("arg", "ab\0c", 4, 1, 1, &doc, &d), CCS_EPARSE);
    assert_string_equal(d.msg, "arg:1:3: error: control characters are not allowed (0x00)");
    assert_int_equal(ccs__ydoc_load_string("arg", "abc", 2, 1, 1, &doc, &d), 0);
    assert_string_equal(ccs__ydoc_root(doc)->text, "ab");
    ccs__ydoc_free(doc);
}

static void test_file_errors(void **state)
{
    (void)state;
    expect_load_error("/nonexistent/ydoc.yaml", CCS_EIO, 1, 1,
                      "cannot open '/nonexistent/ydoc.yaml': No such file or directory");
    expect_load_error("/tmp", CCS_EIO, 1, 1, "cannot read '/tmp': is a directory");
    if (access("/proc/self/mem", R_OK) == 0) /* opens, but reading offset 0 fails */
        expect_load_error("/proc/self/mem", CCS_EIO, 1, 1,
                          "cannot read '/proc/self/mem': Input/output error");

    char path[64], msg[160];
    write_tmp(path, "a: 1\n", 5);
    if (geteuid() != 0) { /* root reads anything */
        chmod(path, 0);
        snprintf(msg, sizeof msg, "cannot open '%s': Permission denied", path);
        expect_load_error(path, CCS_EIO, 1, 1, msg);
    }
    /* A sparse file one byte over the limit. */
    assert_int_equal(truncate(path, (off_t)CCS_YDOC_MAX_FILE + 1), 0);
    chmod(path, 0600);
    snprintf(msg, sizeof msg, "cannot read '%s': file too large (limit 64 MiB)", path);
    expect_load_error(path, CCS_EIO, 1, 1, msg);
    unlink(path);
}

static void test_empty_inputs(void **state)
{
    (void)state;
    const char *msg = "empty file: expected a scenario (a YAML mapping)";
    TEXT_ERROR("", 1, 1, msg);
    TEXT_ERROR("\n\n   \n", 1, 1, msg);
    TEXT_ERROR("# only a comment\n  # and another\n", 1, 1, msg);
    TEXT_ERROR("---\n", 1, 1, msg);
    TEXT_ERROR("--- # c\n...\n", 1, 1, msg);
}

static void test_syntax_errors(void **state)
{
    (void)state;
    TEXT_ERROR("a: 1\nb: @x\n", 2, 4, "found character that cannot start any token");
    TEXT_ERROR(
        "a: 1\nb: \"abc\n", 3, 1,
        "found unexpected end of stream (while scanning a quoted scalar at line 2, column 4)");
    TEXT_ERROR("a: 1\n b: 2\n", 2, 3, "mapping values are not allowed in this context");
    TEXT_ERROR("- a\nb: 1\n", 2, 1,
               "did not find expected '-' indicator (while parsing a block collection at line 1, "
               "column 1)");
    TEXT_ERROR(
        "a: [1, 2", 1, 9,
        "did not find expected ',' or ']' (while parsing a flow sequence at line 1, column 4)");
    TEXT_ERROR("a:\tb: 1\n", 1, 5, "mapping values are not allowed in this context");
}

static void test_structure_errors(void **state)
{
    (void)state;
    TEXT_ERROR("name: dup\nseed: 1\nhorizon: 1h\ngroups:\n  - id: team\n    skills: [sales]\n"
               "    agents: 5\n    agents: 6\n",
               8, 5, "duplicate key 'agents' (first defined at line 7)");
    /* The earliest repeat is reported, even in a big map (sorted check). */
    char big[8192];
    size_t n = 0;
    for (int i = 0; i < 500; i++)
        n += (size_t)snprintf(big + n, sizeof big - n, "k%d: %d\n", i % 300 == 299 ? 7 : i, i);
    expect_text_error(big, n, 300, 1, "duplicate key 'k7' (first defined at line 8)");
    TEXT_ERROR("{a: 1, b: 2, a: 3}", 1, 14, "duplicate key 'a' (first defined at line 1)");
    TEXT_ERROR("a: 1\n---\nb: 2\n", 2, 1, "more than one document");
    TEXT_ERROR("a: 1\n...\n--- [\n", 3, 1, "more than one document");
    TEXT_ERROR("? [a]\n: 1\n", 1, 3, "mapping key must be a scalar, found a sequence");
    TEXT_ERROR("x: {{a: 1}: 2}\n", 1, 5, "mapping key must be a scalar, found a mapping");
}

static void test_bad_bytes(void **state)
{
    (void)state;
    TEXT_ERROR("a: 1\nb: x\0y\n", 2, 5, "control characters are not allowed (0x00)");
    TEXT_ERROR("a: 1\nb: x\xffy\n", 2, 5, "invalid leading UTF-8 octet (0xFF)");
    TEXT_ERROR("a: \xc3\xa9\xc3\n", 1, 6, "invalid trailing UTF-8 octet (0x0A)"); /* at the octet */
    TEXT_ERROR("a: \xc3\xa9\x01\n", 1, 5, "control characters are not allowed (0x01)");
    TEXT_ERROR("a: \"x\\0y\"\n", 1, 4, "scalar contains a NUL character");
}

static void test_aliases(void **state)
{
    (void)state;
    struct ccs_diag d;
    struct ccs_ydoc *doc = load_str("base: &b {x: 1, y: [a, b]}\nuse: *b\nlist: [*b, &s str, *s]\n"
                                    "m: &m {k: v}\nn: {<<: *m, w: 2}\n",
                                    &d);
    assert_non_null(doc);
    struct ccs_ynode *root = ccs__ydoc_root(doc);
    struct ccs_ynode *base = ccs__ymap_get(root, "base"), *use = ccs__ymap_get(root, "use");
    assert_same_tree(base, use, true);
    assert_ptr_not_equal(base, use);
    assert_ptr_not_equal(base->items[1], use->items[1]); /* a deep copy */
    assert_pos(use, 2, 6);                               /* the copy sits at the alias */
    assert_pos(ccs__ymap_get(use, "x"), 1, 14);          /* its insides at the anchor */
    struct ccs_ynode *list = ccs__ymap_get(root, "list");
    assert_string_equal(at(list, 2)->text, "str");
    assert_pos(at(list, 2), 3, 20);
    /* "<<" is an ordinary key: the schema rejects it as unknown. */
    struct ccs_ynode *n = ccs__ymap_get(root, "n");
    assert_string_equal(n->keys[0]->text, "<<");
    assert_string_equal(ccs__ymap_get(ccs__ymap_get(n, "<<"), "k")->text, "v");
    ccs__ydoc_free(doc);

    TEXT_ERROR("a: *x\n", 1, 4, "alias to unknown anchor 'x'");
    TEXT_ERROR("self: &s [1, *s]\n", 1, 14, "alias to unknown anchor 's'"); /* no cycles */
}

static void test_limits(void **state)
{
    (void)state;
    /* Billion laughs: nine levels of ten aliases would be 10^9 nodes. */
    char bomb[1024];
    size_t n = (size_t)snprintf(bomb, sizeof bomb, "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i < 9; i++) {
        n += (size_t)snprintf(bomb + n, sizeof bomb - n, "a%d: &a%d [", i, i);
        for (int k = 0; k < 10; k++)
            n += (size_t)snprintf(bomb + n, sizeof bomb - n, "%s*a%d", k > 0 ? ", " : "", i - 1);
        n += (size_t)snprintf(bomb + n, sizeof bomb - n, "]\n");
    }
    expect_text_error(bomb, n, 6, 45, "document too large (more than 1000000 nodes)");

    char deep[1200];
    memset(deep, '[', 600);
    memset(deep + 600, ']', 600);
    expect_text_error(deep, sizeof deep, 1, 257, "nesting too deep (more than 256 levels)");
    /* Aliases cannot nest deeper than the limit either. */
    char chain[4096];
    n = (size_t)snprintf(chain, sizeof chain, "a: &a ");
    for (int i = 0; i < 200; i++)
        chain[n++] = '[';
    for (int i = 0; i < 200; i++)
        chain[n++] = ']';
    n += (size_t)snprintf(chain + n, sizeof chain - n, "\nb: ");
    for (int i = 0; i < 100; i++)
        chain[n++] = '[';
    n += (size_t)snprintf(chain + n, sizeof chain - n, "*a");
    for (int i = 0; i < 100; i++)
        chain[n++] = ']';
    expect_text_error(chain, n, 2, 104, "nesting too deep (more than 256 levels)");
}

/* -------------------------------------------------------------------- set */

/* set path=value as if from "--set path=value" (path at column 7). */
static int set(struct ccs_ydoc *doc, const char *path, const char *value, struct ccs_diag *d)
{
    ccs_diag_clear(d);
    return ccs__ydoc_set(doc, path, value, "--set", 7, 7 + (int)strlen(path) + 1, d);
}

static void test_set_values(void **state)
{
    (void)state;
    struct ccs_diag d;
    struct ccs_ydoc *doc = load_ok(ERLANG);
    struct ccs_ynode *root = ccs__ydoc_root(doc);
    struct ccs_ynode *team = at(ccs__ymap_get(root, "groups"), 0);
    struct ccs_ynode *sales = at(ccs__ymap_get(root, "queues"), 0);

    assert_int_equal(set(doc, "groups.team.agents", "98", &d), 0); /* id match */
    struct ccs_ynode *v = ccs__ymap_get(team, "agents");
    assert_string_equal(v->text, "98");
    assert_string_equal(v->origin, "--set");
    assert_pos(v, 1, 26);
    assert_pos(team->keys[1], 22, 5); /* the key stays where the file has it */

    assert_int_equal(set(doc, "groups.0.skills", "[a, b]", &d), 0); /* index */
    v = ccs__ymap_get(team, "skills");
    assert_int_equal(v->len, 2);
    assert_string_equal(at(v, 1)->text, "b");
    assert_pos(at(v, 1), 1, 27);

    assert_int_equal(set(doc, "queues.sales.arrivals", "{rate: 5/min}", &d), 0);
    v = ccs__ymap_get(ccs__ymap_get(sales, "arrivals"), "rate");
    assert_string_equal(v->text, "5/min");
    assert_pos(v, 1, 36);

    assert_int_equal(set(doc, "queues.sales.sla.target", "80%", &d), 0);
    assert_string_equal(ccs__ymap_get(ccs__ymap_get(sales, "sla"), "target")->text, "80%");

    assert_int_equal(set(doc, "name", "", &d), 0); /* empty value: an empty string */
    v = ccs__ymap_get(root, "name");
    assert_string_equal(v->text, "");
    assert_false(v->plain);
    assert_pos(v, 1, 12);
    assert_int_equal(set(doc, "name", "'quoted'", &d), 0);
    assert_false(ccs__ymap_get(root, "name")->plain);

    assert_int_equal(set(doc, "groups.team", "{id: team, agents: 3}", &d), 0); /* whole item */
    assert_string_equal(ccs__ymap_get(at(ccs__ymap_get(root, "groups"), 0), "agents")->text, "3");
    ccs__ydoc_free(doc);
}

static void test_set_creates_keys(void **state)
{
    (void)state;
    struct ccs_diag d;
    struct ccs_ydoc *doc = load_ok(ERLANG);
    struct ccs_ynode *root = ccs__ydoc_root(doc);
    size_t before = root->len;

    assert_int_equal(set(doc, "warmup", "1h", &d), 0);
    assert_int_equal(root->len, before + 1);
    assert_string_equal(root->keys[before]->text, "warmup");
    assert_pos(root->keys[before], 1, 7);
    assert_string_equal(root->keys[before]->origin, "--set");
    assert_pos(ccs__ymap_get(root, "warmup"), 1, 14);

    assert_int_equal(set(doc, "routing.extra.deep", "1", &d), 0);
    struct ccs_ynode *routing = ccs__ymap_get(root, "routing");
    struct ccs_ynode *extra = ccs__ymap_get(routing, "extra");
    assert_int_equal(extra->kind, CCS_Y_MAP);
    assert_pos(routing->keys[1], 1, 15);
    assert_pos(extra->keys[0], 1, 21);
    assert_string_equal(ccs__ymap_get(extra, "deep")->text, "1");
    assert_string_equal(ccs__ymap_get(routing, "policy")->text, "acd");
    ccs__ydoc_free(doc);
}

static void expect_set_error(struct ccs_ydoc *doc, const char *path, const char *value, int code,
                             const char *msg)
{
    struct ccs_diag d;
    char *before = emit_str(ccs__ydoc_root(doc));
    assert_int_equal(set(doc, path, value, &d), code);
    assert_string_equal(d.msg, msg);
    char *after = emit_str(ccs__ydoc_root(doc));
    assert_string_equal(before, after); /* a failed set changes nothing */
    free(before);
    free(after);
}

static void test_set_errors(void **state)
{
    (void)state;
    struct ccs_ydoc *doc = load_ok(MULTI);
    expect_set_error(
        doc, "groups.g99.agents", "5", CCS_ENOTFOUND,
        "--set:1:14: error: no item with id 'g99' in 'groups' (ids: g0, g1, g2, g3, g4, "
        "g5, g6, g7, g8, g9, g10, g11, g12, g13, g14, g15, g16, g17, g18, g19); "
        "did you mean 'g9'?");
    ccs__ydoc_free(doc);

    doc = load_ok(ERLANG);
    expect_set_error(doc, "groups.tem.agents", "5", CCS_ENOTFOUND,
                     "--set:1:14: error: no item with id 'tem' in 'groups' (ids: team); "
                     "did you mean 'team'?");
    expect_set_error(doc, "groups.sales", "5", CCS_ENOTFOUND,
                     "--set:1:14: error: no item with id 'sales' in 'groups' (ids: team)");
    expect_set_error(doc, "queues.5.channel", "chat", CCS_ENOTFOUND,
                     "--set:1:14: error: index 5 out of range for 'queues' (1 item)");
    expect_set_error(doc, "queues.99999999999999999999999", "x", CCS_ENOTFOUND,
                     "--set:1:14: error: index 99999999999999999999999 out of range for 'queues' "
                     "(1 item)");
    expect_set_error(doc, "groups.team.agents.x", "1", CCS_EINVAL,
                     "--set:1:26: error: 'agents' is a scalar, cannot descend into it");
    expect_set_error(doc, "groups.team.skills.sales", "1", CCS_ENOTFOUND,
                     "--set:1:26: error: no item with id 'sales' in 'skills' (ids: none)");
    expect_set_error(doc, "", "1", CCS_EINVAL, "--set:1:7: error: empty path");
    expect_set_error(doc, "routing..policy", "1", CCS_EINVAL,
                     "--set:1:15: error: empty segment in path 'routing..policy'");
    expect_set_error(doc, "new.", "1", CCS_EINVAL,
                     "--set:1:11: error: empty segment in path 'new.'");
    expect_set_error(doc, ".new", "1", CCS_EINVAL,
                     "--set:1:7: error: empty segment in path '.new'");
    expect_set_error(doc, "routing.\xff", "1", CCS_EINVAL,
                     "--set:1:15: error: path is not valid UTF-8");
    expect_set_error(doc, "groups.team.agents", "[1", CCS_EPARSE,
                     "--set:1:28: error: did not find expected ',' or ']' "
                     "(while parsing a flow sequence at line 1, column 26)");
    expect_set_error(doc, "brand.new.key", "a: b: c", CCS_EPARSE,
                     "--set:1:25: error: mapping values are not allowed in this context");
    ccs__ydoc_free(doc);

    struct ccs_diag d;
    doc = load_str("[1, 2]", &d);
    expect_set_error(doc, "x", "1", CCS_ENOTFOUND,
                     "--set:1:7: error: no item with id 'x' in the root (ids: none)");
    ccs__ydoc_free(doc);
}

/* ------------------------------------------------------ clone, emit, keys */

static void test_clone(void **state)
{
    (void)state;
    struct ccs_diag d;
    struct ccs_ydoc *doc = load_ok(ERLANG), *copy = NULL;
    assert_int_equal(ccs__ydoc_clone(doc, &copy), 0);
    assert_same_tree(ccs__ydoc_root(doc), ccs__ydoc_root(copy), true);
    /* a copy takes what it needs, not a 64 KiB chunk (a sweep holds one per point) */
    size_t small = ccs__ydoc_bytes(copy);
    assert_true(small < ccs__ydoc_bytes(doc) / 4);
    assert_int_equal(set(copy, "groups.team.agents", "7", &d), 0);
    assert_true(ccs__ydoc_bytes(copy) < small + 8192); /* a set value: a small chunk more */
    assert_string_equal(
        ccs__ymap_get(at(ccs__ymap_get(ccs__ydoc_root(doc), "groups"), 0), "agents")->text, "100");
    ccs__ydoc_free(doc); /* the copy owns everything it points to */
    struct ccs_ynode *root = ccs__ydoc_root(copy);
    struct ccs_ynode *team = at(ccs__ymap_get(root, "groups"), 0);
    assert_string_equal(ccs__ymap_get(team, "agents")->text, "7");
    assert_string_equal(ccs__ymap_get(team, "agents")->origin, "--set");
    assert_string_equal(ccs__ymap_get(team, "id")->origin, ERLANG);
    assert_pos(ccs__ymap_get(team, "id"), 21, 9);
    ccs__ydoc_free(copy);
}

static void test_emit(void **state)
{
    (void)state;
    struct ccs_diag d;
    struct ccs_ydoc *doc = load_ok(ERLANG);
    char *text = emit_str(ccs__ydoc_root(doc));
    assert_non_null(
        strstr(text, "groups:\n  - id: team\n    agents: 100\n    skills:\n      - sales\n"));
    assert_non_null(strstr(text, "    sla:\n      target: 80%\n      within: 20s\n"));
    free(text);
    assert_round_trip(ccs__ydoc_root(doc), true);
    ccs__ydoc_free(doc);
    doc = load_ok(MULTI);
    assert_round_trip(ccs__ydoc_root(doc), true);
    ccs__ydoc_free(doc);

    /* Quotes only where the text needs them or a plain form would change type. */
    doc = load_str("a: 'x''y'\nb: \"\\u00e9\\t\\u2028\"\nc: '80'\nd: 'yes'\ne: ''\nf: '- x'\n"
                   "g: '#c'\nh: 'a: b'\ni: !!str true\nj: |\n  l1\n  l2\nk:\nl: []\nm: {}\n"
                   "n: [[1, 2], {x: 1}, [], {}]\no: ' pad '\np: '---'\nq: 'hello'\nr: 80\n"
                   "'': empty key\ns: \"\\x01\\u0085\\uFEFF\\U0001F600\"\nt: -5\nu: 'x #y'\n",
                   &d);
    assert_non_null(doc);
    text = emit_str(ccs__ydoc_root(doc));
    assert_string_equal(text, "a: x'y\n"
                              "b: \"\xc3\xa9\\t\\u2028\"\n"
                              "c: '80'\n"
                              "d: 'yes'\n"
                              "e: ''\n"
                              "f: '- x'\n"
                              "g: '#c'\n"
                              "h: 'a: b'\n"
                              "i: 'true'\n"
                              "j: \"l1\\nl2\\n\"\n"
                              "k:\n"
                              "l: []\n"
                              "m: {}\n"
                              "n:\n"
                              "  - - 1\n"
                              "    - 2\n"
                              "  - x: 1\n"
                              "  - []\n"
                              "  - {}\n"
                              "o: ' pad '\n"
                              "p: '---'\n"
                              "q: hello\n"
                              "r: 80\n"
                              "'': empty key\n"
                              "s: \"\\x01\\x85\\uFEFF\xf0\x9f\x98\x80\"\n"
                              "t: -5\n"
                              "u: 'x #y'\n");
    free(text);
    assert_round_trip(ccs__ydoc_root(doc), false);
    ccs__ydoc_free(doc);

    /* Indentation, scalar roots, long keys. */
    doc = load_str("{a: [1]}", &d);
    char *buf = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&buf, &size);
    assert_int_equal(ccs__ydoc_emit(ccs__ydoc_root(doc), f, 4), 0);
    fclose(f);
    assert_string_equal(buf, "    a:\n      - 1\n");
    free(buf);
    ccs__ydoc_free(doc);
    char longkey[300];
    memset(longkey, 'k', 200);
    strcpy(longkey + 200, ": v\n");
    doc = load_str("? "
                   "x",
                   &d); /* an explicit key with a null value */
    assert_round_trip(ccs__ydoc_root(doc), true);
    ccs__ydoc_free(doc);
    doc = load_str(longkey, &d);
    assert_round_trip(ccs__ydoc_root(doc), true);
    ccs__ydoc_free(doc);
    assert_int_equal(ccs__ydoc_emit(NULL, stdout, 0), CCS_EINVAL);
}

static void test_closest(void **state)
{
    (void)state;
    const char *const keys[] = {"id", "agents", "skills", "schedule", "handle_time"};
    assert_string_equal(ccs__closest("agnets", keys, 5), "agents"); /* transposition: 1 */
    assert_string_equal(ccs__closest("AGENTS", keys, 5), "agents"); /* case-insensitive */
    assert_string_equal(ccs__closest("skils", keys, 5), "skills");
    assert_string_equal(ccs__closest("handle_tme", keys, 5), "handle_time");
    assert_string_equal(ccs__closest("hndle_tim", keys, 5), "handle_time"); /* 2 <= 9 / 3 */
    assert_null(ccs__closest("hndl_tim", keys, 5));                         /* 3 > 8 / 3 */
    assert_null(ccs__closest("agents", keys, 0));
    assert_null(ccs__closest("capacity", keys, 5));
    assert_string_equal(ccs__closest("ix", keys, 5), "id"); /* short words: distance 2 allowed */
    const char *const tie[] = {"abc", "abd", "abe"};
    assert_string_equal(ccs__closest("abx", tie, 3), "abc"); /* ties: the earliest */
    const char *const better[] = {"abcdef", "abcdex"};
    assert_string_equal(ccs__closest("abcdex", better, 2), "abcdex");
    char huge[300];
    memset(huge, 'a', 299);
    huge[299] = '\0';
    const char *const hc[] = {huge};
    assert_null(ccs__closest(huge, hc, 1)); /* over the length cap: no suggestion */
}

static void test_check_keys(void **state)
{
    (void)state;
    struct ccs_diag d;
    const char *const allowed[] = {"id", "agents", "skills"};
    struct ccs_ydoc *doc = load_str("groups:\n  - id: team\n    agnets: 5\n", &d);
    struct ccs_ynode *group = at(ccs__ymap_get(ccs__ydoc_root(doc), "groups"), 0);
    ccs_diag_clear(&d);
    assert_int_equal(ccs__ycheck_keys(group, allowed, 3, "group", &d), CCS_ESCHEMA);
    assert_string_equal(d.msg,
                        "str:3:5: error: unknown key 'agnets' in group; did you mean 'agents'?");
    ccs__ydoc_free(doc);

    doc = load_str("{id: x, capacity: 5}", &d);
    ccs_diag_clear(&d);
    assert_int_equal(ccs__ycheck_keys(ccs__ydoc_root(doc), allowed, 3, "group", &d), CCS_ESCHEMA);
    assert_string_equal(d.msg, "str:1:9: error: unknown key 'capacity' in group");
    ccs_diag_clear(&d);
    assert_int_equal(ccs__ycheck_keys(ccs__ydoc_root(doc), allowed, 0, "group", &d), CCS_ESCHEMA);
    ccs__ydoc_free(doc);

    doc = load_str("{id: x, skills: []}", &d);
    ccs_diag_clear(&d);
    assert_int_equal(ccs__ycheck_keys(ccs__ydoc_root(doc), allowed, 3, "group", &d), 0);
    assert_int_equal(d.code, 0);
    assert_int_equal(ccs__ycheck_keys(ccs__ydoc_root(doc)->items[1], allowed, 3, "group", &d), 0);

    assert_int_equal(ccs__yerr(&d, CCS_ERANGE, ccs__ydoc_root(doc)->items[0], "bad '%s'", "x"),
                     CCS_ERANGE);
    assert_string_equal(d.msg, "str:1:6: error: bad 'x'");
    ccs_diag_clear(&d);
    assert_int_equal(ccs__yerr(&d, CCS_EINVAL, NULL, "no node"), CCS_EINVAL);
    assert_string_equal(d.msg, "<input>: error: no node");
    ccs__ydoc_free(doc);
}

/* ------------------------------------------------------------------- fuzz */

static uint64_t rng_next(uint64_t *s)
{
    *s = *s * 6364136223846793005u + 1442695040888963407u;
    return *s >> 33;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    char *buf = malloc(1 << 16);
    assert_non_null(buf);
    *len = fread(buf, 1, 1 << 16, f);
    fclose(f);
    return buf;
}

/* Mutated scenarios never crash: they load (and emit round-trip) or fail with a located message. */
static void test_fuzz(void **state)
{
    (void)state;
    static const char specials[] = ":-[]{},&*!|>'\"%@#?\n\t \\\0\x80\xff.~";
    size_t lens[2];
    char *srcs[2] = {slurp(ERLANG, &lens[0]), slurp(MULTI, &lens[1])};
    uint64_t seed = 20240601;
    int loaded = 0;
    for (int iter = 0; iter < 600; iter++) {
        size_t len = lens[iter % 2];
        char *buf = malloc(len + 64);
        assert_non_null(buf);
        memcpy(buf, srcs[iter % 2], len);
        int edits = 1 + (int)(rng_next(&seed) % 4);
        for (int e = 0; e < edits && len > 0; e++) {
            size_t pos = rng_next(&seed) % len;
            char c = rng_next(&seed) % 2 ? specials[rng_next(&seed) % (sizeof specials - 1)]
                                         : (char)rng_next(&seed);
            switch (rng_next(&seed) % 4) {
            case 0: /* replace */
                buf[pos] = c;
                break;
            case 1: /* insert */
                memmove(buf + pos + 1, buf + pos, len - pos);
                buf[pos] = c;
                len++;
                break;
            case 2: /* delete */
                memmove(buf + pos, buf + pos + 1, len - pos - 1);
                len--;
                break;
            default: /* truncate */
                len = pos;
                break;
            }
        }
        struct ccs_diag d;
        struct ccs_ydoc *doc = NULL;
        ccs_diag_clear(&d);
        int line0 = 1 + (int)(rng_next(&seed) % 3), col0 = 1 + (int)(rng_next(&seed) % 9);
        int rc = ccs__ydoc_load_string("fuzz", buf, len, line0, col0, &doc, &d);
        if (rc == 0) {
            loaded++;
            assert_round_trip(ccs__ydoc_root(doc), false);
            ccs__ydoc_set(doc, "groups.team.agents", "7", "--set", 7, 26, &d);
            ccs__ydoc_free(doc);
        } else {
            assert_true(rc < 0);
            assert_null(doc);
            if (strncmp(d.msg, "fuzz:", 5) != 0)
                fail_msg("iteration %d: %s", iter, d.msg);
        }
        free(buf);
    }
    assert_true(loaded > 50); /* the mutations do not all break the file */
    free(srcs[0]);
    free(srcs[1]);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_examples_positions),
        cmocka_unit_test(test_load_string_offsets),
        cmocka_unit_test(test_file_errors),
        cmocka_unit_test(test_empty_inputs),
        cmocka_unit_test(test_syntax_errors),
        cmocka_unit_test(test_structure_errors),
        cmocka_unit_test(test_bad_bytes),
        cmocka_unit_test(test_aliases),
        cmocka_unit_test(test_limits),
        cmocka_unit_test(test_set_values),
        cmocka_unit_test(test_set_creates_keys),
        cmocka_unit_test(test_set_errors),
        cmocka_unit_test(test_clone),
        cmocka_unit_test(test_emit),
        cmocka_unit_test(test_closest),
        cmocka_unit_test(test_check_keys),
        cmocka_unit_test(test_fuzz),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
