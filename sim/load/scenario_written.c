/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * scenario_written.c - a scenario loaded from files a writer makes (the
 * fitted scenario of `ccsim backtest --fitted`: scenario.yaml and the CSV
 * files it reads), through a private temporary folder (scenario.h).
 */
#include "ccs/mem.h"
#include "ccs/scenario.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* The scenario's files, written into a private temporary folder. */
struct tmpfit {
    char dir[4096];
    char **names;
    FILE **files;
    size_t n;
    bool oom;
};

static FILE *open_tmp(void *ctx, const char *name, struct ccs_diag *d)
{
    struct tmpfit *t = ctx;
    char path[4096 + 256];
    snprintf(path, sizeof path, "%s/%s", t->dir, name);
    char **nn = ccs_realloc(t->names, (t->n + 1) * sizeof *nn);
    if (nn != NULL)
        t->names = nn;
    FILE **nf = ccs_realloc(t->files, (t->n + 1) * sizeof *nf);
    if (nf != NULL)
        t->files = nf;
    char *kept = nn != NULL && nf != NULL ? ccs_strdup(path) : NULL;
    if (kept == NULL) {
        ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
        return NULL;
    }
    FILE *f = fopen(path, "w");
    if (f == NULL) {
        free(kept);
        ccs_diag_at(d, CCS_EIO, path, 0, 0, "cannot write: %s", strerror(errno));
        return NULL;
    }
    t->names[t->n] = kept;
    t->files[t->n++] = f;
    return f;
}

/* Close the files (the writer leaves them open); false if one failed. */
static bool tmp_close(struct tmpfit *t)
{
    bool ok = true;
    for (size_t i = 0; i < t->n; i++) {
        if (t->files[i] != NULL && fclose(t->files[i]) != 0)
            ok = false;
        t->files[i] = NULL;
    }
    return ok;
}

static void tmp_remove(struct tmpfit *t)
{
    tmp_close(t);
    for (size_t i = 0; i < t->n; i++) {
        unlink(t->names[i]);
        free(t->names[i]);
    }
    free(t->names);
    free(t->files);
    if (t->dir[0])
        rmdir(t->dir);
}

int ccs_scenario_load_written(ccs_scenario_writer *write, const void *ctx,
                              struct ccs_scenario **out, struct ccs_diag *d)
{
    if (write == NULL || out == NULL)
        return ccs_diag_at(d, CCS_EINVAL, NULL, 0, 0, "invalid argument");
    *out = NULL;
    struct tmpfit t = {.n = 0};
    const char *tmp = getenv("TMPDIR");
    if (tmp == NULL || tmp[0] == '\0' || strlen(tmp) > 3000)
        tmp = "/tmp";
    snprintf(t.dir, sizeof t.dir, "%s/ccsim-fit-XXXXXX", tmp);
    if (mkdtemp(t.dir) == NULL) {
        int e = errno;
        char where[4096];
        snprintf(where, sizeof where, "%s", t.dir);
        t.dir[0] = '\0';
        return ccs_diag_at(d, CCS_EIO, where, 0, 0, "cannot make a temporary folder: %s",
                           strerror(e));
    }
    int rc = write(ctx, open_tmp, &t, d);
    if (!tmp_close(&t) && rc == 0)
        rc = ccs_diag_at(d, CCS_EIO, t.dir, 0, 0, "cannot write the scenario's files");
    if (rc == 0) {
        char path[4096 + 32];
        snprintf(path, sizeof path, "%s/scenario.yaml", t.dir);
        rc = ccs_scenario_load(path, NULL, 0, out, d);
    }
    tmp_remove(&t);
    return rc;
}

