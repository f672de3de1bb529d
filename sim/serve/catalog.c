/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * catalog.c - the scenarios `ccsim serve` may open and show: the teaching
 * scenarios built into the binary, and the *.yaml files of the files and
 * folders named on the command line, each canonicalised once at start.
 * A request names an entry; no path from a request is ever opened, so
 * nothing outside these files can be read.
 */
#include "serve/assets.h"
#include "serve/serve.h"
#include "ccs/mem.h"

#include "core/grow.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define BUILTIN_PREFIX "scenarios/"
#define MAX_ENTRIES 500

struct entry {
    char *name;                    /* what the page shows and asks for */
    char *path;                    /* real path of a file, or NULL */
    const struct ccs__asset *asset; /* a built-in scenario, or NULL */
};

struct ccs__catalog {
    struct entry *e;
    size_t n, cap;
};

const struct ccs__asset *ccs__asset_find(const char *name)
{
    for (const struct ccs__asset *a = ccs__assets; a->name != NULL; a++)
        if (strcmp(a->name, name) == 0)
            return a;
    return NULL;
}

static int add(struct ccs__catalog *c, const char *name, const char *path,
               const struct ccs__asset *asset)
{
    if (c->n == MAX_ENTRIES)
        return 0; /* enough for any class */
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->e[i].name, name) == 0)
            return 0; /* the first of two equal names wins */
    if (CCS_GROW(c->e, c->cap, c->n + 1) != 0)
        return CCS_ENOMEM;
    struct entry *x = &c->e[c->n];
    x->name = ccs_strdup(name);
    x->path = path ? ccs_strdup(path) : NULL;
    x->asset = asset;
    if (x->name == NULL || (path != NULL && x->path == NULL)) {
        free(x->name);
        free(x->path);
        return CCS_ENOMEM;
    }
    c->n++;
    return 0;
}

static bool is_yaml(const char *name)
{
    size_t n = strlen(name);
    return name[0] != '.' && ((n > 5 && strcmp(name + n - 5, ".yaml") == 0) ||
                              (n > 4 && strcmp(name + n - 4, ".yml") == 0));
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.yaml files of folder `dir` (real path root), named shown/REL. */
static int add_folder(struct ccs__catalog *c, const char *root, const char *dir,
                      const char *shown, int depth)
{
    DIR *dh = opendir(dir);
    if (dh == NULL)
        return 0;
    char **names = NULL;
    size_t n = 0, cap = 0;
    int rc = 0;
    struct dirent *de;
    while ((de = readdir(dh)) != NULL) {
        if (de->d_name[0] == '.')
            continue;
        if (CCS_GROW(names, cap, n + 1) != 0) {
            rc = CCS_ENOMEM;
            break;
        }
        if ((names[n] = ccs_strdup(de->d_name)) == NULL) {
            rc = CCS_ENOMEM;
            break;
        }
        n++;
    }
    closedir(dh);
    qsort(names, n, sizeof *names, cmp_str); /* the same list on every machine */
    size_t root_len = strlen(root);
    for (size_t i = 0; i < n && rc == 0; i++) {
        char p[PATH_MAX], real[PATH_MAX], label[PATH_MAX];
        if (snprintf(p, sizeof p, "%s/%s", dir, names[i]) >= (int)sizeof p ||
            snprintf(label, sizeof label, "%s/%s", shown, names[i]) >= (int)sizeof label)
            continue;
        struct stat st;
        if (realpath(p, real) == NULL || stat(real, &st) != 0)
            continue;
        /* a link that leaves the folder is not followed */
        if (strncmp(real, root, root_len) != 0 || (real[root_len] != '/' && real[root_len] != 0))
            continue;
        if (S_ISDIR(st.st_mode) && depth > 0)
            rc = add_folder(c, root, p, label, depth - 1);
        else if (S_ISREG(st.st_mode) && is_yaml(names[i]))
            rc = add(c, label, real, NULL);
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    return rc;
}

int ccs__catalog_new(char **paths, size_t n, struct ccs__catalog **out, struct ccs_diag *d)
{
    *out = NULL;
    struct ccs__catalog *c = ccs_calloc(1, sizeof *c);
    if (c == NULL)
        return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    int rc = 0;
    /* the files named first, so that the first one plays at start */
    for (size_t i = 0; i < n && rc == 0; i++) {
        char real[PATH_MAX];
        struct stat st;
        if (realpath(paths[i], real) == NULL || stat(real, &st) != 0) {
            rc = ccs_diag_at(d, CCS_ENOTFOUND, paths[i], 0, 0, "cannot open: %s",
                             strerror(errno));
            break;
        }
        if (S_ISDIR(st.st_mode)) {
            char shown[PATH_MAX];
            snprintf(shown, sizeof shown, "%s", paths[i]);
            size_t k = strlen(shown);
            while (k > 1 && shown[k - 1] == '/')
                shown[--k] = '\0';
            rc = add_folder(c, real, real, shown, 2);
        } else if (S_ISREG(st.st_mode)) {
            rc = add(c, paths[i], real, NULL);
        } else {
            rc = ccs_diag_at(d, CCS_ENOTFOUND, paths[i], 0, 0,
                             "not a scenario file or a folder of scenarios");
        }
    }
    for (const struct ccs__asset *a = ccs__assets; a->name != NULL && rc == 0; a++)
        if (strncmp(a->name, BUILTIN_PREFIX, strlen(BUILTIN_PREFIX)) == 0) {
            char name[256];
            snprintf(name, sizeof name, "built-in/%s", a->name + strlen(BUILTIN_PREFIX));
            rc = add(c, name, NULL, a);
        }
    if (rc != 0) {
        if (rc == CCS_ENOMEM)
            ccs_diag_at(d, rc, NULL, 0, 0, "out of memory");
        ccs__catalog_free(c);
        return rc;
    }
    *out = c;
    return 0;
}

void ccs__catalog_free(struct ccs__catalog *c)
{
    if (c == NULL)
        return;
    for (size_t i = 0; i < c->n; i++) {
        free(c->e[i].name);
        free(c->e[i].path);
    }
    free(c->e);
    free(c);
}

size_t ccs__catalog_count(const struct ccs__catalog *c)
{
    return c->n;
}

const char *ccs__catalog_name(const struct ccs__catalog *c, size_t i)
{
    return i < c->n ? c->e[i].name : NULL;
}

long ccs__catalog_find(const struct ccs__catalog *c, const char *name)
{
    for (size_t i = 0; i < c->n; i++)
        if (strcmp(c->e[i].name, name) == 0)
            return (long)i;
    return -1;
}

static char *read_file(const char *path, size_t *len, struct ccs_diag *d)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        if (fd >= 0)
            close(fd);
        ccs_diag_at(d, CCS_EIO, path, 0, 0, "cannot read the scenario");
        return NULL;
    }
    if (st.st_size > CCS_SRV_FILE_MAX) {
        close(fd);
        ccs_diag_at(d, CCS_ERANGE, path, 0, 0, "too large to edit in the page (over %d bytes)",
                    CCS_SRV_FILE_MAX);
        return NULL;
    }
    char *buf = ccs_malloc((size_t)st.st_size + 1);
    size_t n = 0;
    while (buf != NULL && n < (size_t)st.st_size) {
        ssize_t k = read(fd, buf + n, (size_t)st.st_size - n);
        if (k <= 0)
            break;
        n += (size_t)k;
    }
    close(fd);
    if (buf == NULL) {
        ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

char *ccs__catalog_text(const struct ccs__catalog *c, size_t i, size_t *len, struct ccs_diag *d)
{
    if (i >= c->n) {
        ccs_diag_at(d, CCS_ENOTFOUND, NULL, 0, 0, "no such scenario");
        return NULL;
    }
    const struct entry *x = &c->e[i];
    if (x->asset != NULL) {
        char *t = ccs_malloc(x->asset->len + 1);
        if (t == NULL) {
            ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
            return NULL;
        }
        memcpy(t, x->asset->text, x->asset->len + 1);
        *len = x->asset->len;
        return t;
    }
    return read_file(x->path, len, d);
}

/* Replace the prefix `from` of d's message by `to` (a temporary path by the
   name the user knows). */
static void rename_in_diag(struct ccs_diag *d, const char *from, const char *to)
{
    size_t n = strlen(from);
    if (d == NULL || strncmp(d->msg, from, n) != 0)
        return;
    char msg[sizeof d->msg];
    snprintf(msg, sizeof msg, "%s%s", to, d->msg + n);
    memcpy(d->msg, msg, sizeof msg);
}

/* Load text as a file named `name` in a private temporary folder. */
static int load_text(const char *text, size_t len, const char *name, const char *shown,
                     struct ccs_scenario **out, struct ccs_diag *d)
{
    const char *tmp = getenv("TMPDIR");
    char dir[PATH_MAX / 2], path[PATH_MAX];
    if (snprintf(dir, sizeof dir, "%s/ccsim-serve-XXXXXX", tmp && *tmp ? tmp : "/tmp") >=
        (int)sizeof dir)
        return ccs_diag_at(d, CCS_EIO, NULL, 0, 0, "TMPDIR is too long");
    if (mkdtemp(dir) == NULL)
        return ccs_diag_at(d, CCS_EIO, NULL, 0, 0, "cannot make a temporary folder: %s",
                           strerror(errno));
    int rc = CCS_EIO;
    if (snprintf(path, sizeof path, "%s/%s", dir, name) >= (int)sizeof path) {
        rmdir(dir);
        return ccs_diag_at(d, rc, NULL, 0, 0, "temporary path too long");
    }
    FILE *f = fopen(path, "wx");
    if (f != NULL) {
        bool ok = fwrite(text, 1, len, f) == len;
        if (fclose(f) == 0 && ok)
            rc = 0;
    }
    if (rc != 0) {
        ccs_diag_at(d, rc, NULL, 0, 0, "cannot write a temporary file");
    } else {
        rc = ccs_scenario_load(path, NULL, 0, out, d);
        rename_in_diag(d, path, shown);
    }
    unlink(path);
    rmdir(dir);
    return rc;
}

int ccs__catalog_load(const struct ccs__catalog *c, size_t i, struct ccs_scenario **out,
                      struct ccs_diag *d)
{
    *out = NULL;
    if (i >= c->n)
        return ccs_diag_at(d, CCS_ENOTFOUND, NULL, 0, 0, "no such scenario");
    const struct entry *x = &c->e[i];
    if (x->asset != NULL) {
        const char *base = strrchr(x->name, '/');
        return load_text(x->asset->text, x->asset->len, base ? base + 1 : x->name, x->name,
                         out, d);
    }
    int rc = ccs_scenario_load(x->path, NULL, 0, out, d);
    rename_in_diag(d, x->path, x->name);
    return rc;
}

int ccs__scenario_from_text(const char *text, size_t len, struct ccs_scenario **out,
                            struct ccs_diag *d)
{
    *out = NULL;
    if (len > CCS_SRV_YAML_MAX)
        return ccs_diag_at(d, CCS_ERANGE, "edited.yaml", 0, 0,
                           "the scenario is too large (over %d bytes)", CCS_SRV_YAML_MAX);
    if (memchr(text, '\0', len) != NULL)
        return ccs_diag_at(d, CCS_EPARSE, "edited.yaml", 0, 0, "the scenario holds a NUL byte");
    return load_text(text, len, "edited.yaml", "edited.yaml", out, d);
}
