/*
 * outdir.c - all-or-nothing output directories and atomic single files:
 * write to hidden temporaries in the target directory (same filesystem),
 * fsync, then rename over the final names.
 */
#include "ccs/report.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_FILES 64

struct ccs_outdir {
    char *dir;
    size_t n;
    FILE *f[MAX_FILES];
    char *tmp[MAX_FILES];
    char *final[MAX_FILES];
};

static char *join(const char *dir, const char *prefix, const char *name, const char *suffix)
{
    size_t n = strlen(dir) + strlen(prefix) + strlen(name) + strlen(suffix) + 2;
    char *p = malloc(n);
    if (p != NULL)
        snprintf(p, n, "%s/%s%s%s", dir, prefix, name, suffix);
    return p;
}

/* mkdir -p */
static int make_dirs(const char *path)
{
    char buf[4096];
    size_t n = strlen(path);
    if (n == 0 || n >= sizeof buf)
        return ENAMETOOLONG;
    memcpy(buf, path, n + 1);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(buf, 0777) != 0 && errno != EEXIST)
            return errno;
        *p = '/';
    }
    if (mkdir(buf, 0777) != 0 && errno != EEXIST)
        return errno;
    struct stat st;
    if (stat(buf, &st) != 0)
        return errno;
    if (!S_ISDIR(st.st_mode))
        return ENOTDIR;
    return 0;
}

int ccs_outdir_open(const char *dir, struct ccs_outdir **out, struct ccs_diag *d)
{
    *out = NULL;
    int e = make_dirs(dir);
    if (e != 0)
        return ccs_diag_at(d, CCS_EIO, dir, 0, 0, "cannot create output directory: %s",
                           strerror(e));
    if (access(dir, W_OK | X_OK) != 0)
        return ccs_diag_at(d, CCS_EIO, dir, 0, 0, "output directory is not writable: %s",
                           strerror(errno));
    struct ccs_outdir *o = calloc(1, sizeof *o);
    if (o == NULL || (o->dir = malloc(strlen(dir) + 1)) == NULL) {
        free(o);
        return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    }
    strcpy(o->dir, dir);
    *out = o;
    return 0;
}

const char *ccs_outdir_path(const struct ccs_outdir *o)
{
    return o->dir;
}

FILE *ccs_outdir_file(struct ccs_outdir *o, const char *name, struct ccs_diag *d)
{
    if (o->n == MAX_FILES) {
        ccs_diag_at(d, CCS_EIO, o->dir, 0, 0, "too many output files");
        return NULL;
    }
    char pid[32];
    snprintf(pid, sizeof pid, ".tmp%ld", (long)getpid());
    char *tmp = join(o->dir, ".", name, pid), *fin = join(o->dir, "", name, "");
    FILE *f = tmp && fin ? fopen(tmp, "w") : NULL;
    if (f == NULL) {
        ccs_diag_at(d, CCS_EIO, fin ? fin : name, 0, 0, "cannot write: %s", strerror(errno));
        free(tmp);
        free(fin);
        return NULL;
    }
    o->f[o->n] = f;
    o->tmp[o->n] = tmp;
    o->final[o->n] = fin;
    o->n++;
    return f;
}

static void release(struct ccs_outdir *o, bool unlink_tmp)
{
    for (size_t i = 0; i < o->n; i++) {
        if (o->f[i] != NULL)
            fclose(o->f[i]);
        if (unlink_tmp)
            unlink(o->tmp[i]);
        free(o->tmp[i]);
        free(o->final[i]);
    }
    free(o->dir);
    free(o);
}

void ccs_outdir_abort(struct ccs_outdir *o)
{
    if (o != NULL)
        release(o, true);
}

int ccs_outdir_commit(struct ccs_outdir *o, struct ccs_diag *d)
{
    for (size_t i = 0; i < o->n; i++) {
        FILE *f = o->f[i];
        o->f[i] = NULL;
        int bad = ferror(f) || fflush(f) != 0 || fsync(fileno(f)) != 0;
        int e = errno;
        if (fclose(f) != 0 && !bad) {
            bad = 1;
            e = errno;
        }
        if (bad) {
            ccs_diag_at(d, CCS_EIO, o->final[i], 0, 0, "cannot write: %s", strerror(e));
            release(o, true);
            return CCS_EIO;
        }
    }
    for (size_t i = 0; i < o->n; i++) {
        if (rename(o->tmp[i], o->final[i]) != 0) {
            ccs_diag_at(d, CCS_EIO, o->final[i], 0, 0, "cannot rename into place: %s",
                        strerror(errno));
            release(o, true);
            return CCS_EIO;
        }
    }
    release(o, false);
    return 0;
}

int ccs_write_atomic(const char *path, int (*produce)(FILE *f, const void *arg),
                     const void *arg, struct ccs_diag *d)
{
    char dir[4096];
    const char *slash = strrchr(path, '/');
    if (slash == NULL)
        snprintf(dir, sizeof dir, ".");
    else
        snprintf(dir, sizeof dir, "%.*s", (int)(slash - path), path);
    struct ccs_outdir *o;
    int rc = ccs_outdir_open(dir, &o, d);
    if (rc)
        return rc;
    FILE *f = ccs_outdir_file(o, slash ? slash + 1 : path, d);
    if (f == NULL) {
        ccs_outdir_abort(o);
        return CCS_EIO;
    }
    if ((rc = produce(f, arg)) != 0) {
        ccs_diag_at(d, rc, path, 0, 0, "cannot write: %s", ccs_strerror(rc));
        ccs_outdir_abort(o);
        return rc;
    }
    return ccs_outdir_commit(o, d);
}
