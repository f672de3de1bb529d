/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * outdir.c - all-or-nothing output directories and atomic single files:
 * write to hidden temporaries in the target directory (same filesystem),
 * fsync, then rename over the final names. Files made by other programs
 * (gnuplot's charts) are produced in a private work directory inside the
 * target and adopted into the same transaction.
 */
#include "ccs/report.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_FILES 256

struct ccs_outdir {
    char *dir;
    char *work;          /* private work directory inside dir, or NULL */
    size_t n;
    FILE *f[MAX_FILES];  /* NULL for adopted entries */
    char *tmp[MAX_FILES];
    char *final[MAX_FILES];
    bool adopted[MAX_FILES];
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

/*
 * Remove path and, if it is a directory, everything below it (depth-limited,
 * symbolic links are removed, never followed). Best effort: used on our own
 * temporaries only.
 */
static void remove_tree(const char *path, int depth)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return;
    if (!S_ISDIR(st.st_mode) || depth > 8) {
        unlink(path);
        return;
    }
    DIR *dp = opendir(path);
    if (dp != NULL) {
        struct dirent *e;
        while ((e = readdir(dp)) != NULL) {
            if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
                continue;
            char *sub = join(path, "", e->d_name, "");
            if (sub != NULL)
                remove_tree(sub, depth + 1);
            free(sub);
        }
        closedir(dp);
    }
    rmdir(path);
}

/* fsync a file, or a directory and the regular files directly in it. */
static int sync_path(const char *path)
{
    struct stat st;
    if (lstat(path, &st) != 0)
        return errno;
    if (S_ISDIR(st.st_mode)) {
        DIR *dp = opendir(path);
        if (dp == NULL)
            return errno;
        struct dirent *e;
        int rc = 0;
        while (rc == 0 && (e = readdir(dp)) != NULL) {
            if (e->d_name[0] == '.')
                continue;
            char *sub = join(path, "", e->d_name, "");
            struct stat sst;
            if (sub == NULL)
                rc = ENOMEM;
            else if (lstat(sub, &sst) == 0 && S_ISREG(sst.st_mode))
                rc = sync_path(sub);
            free(sub);
        }
        closedir(dp);
        if (rc != 0)
            return rc;
    }
    int fd = open(path, O_RDONLY);
    if (fd < 0)
        return errno;
    int rc = fsync(fd) != 0 && errno != EINVAL ? errno : 0;
    close(fd);
    return rc;
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
    o->adopted[o->n] = false;
    o->n++;
    return f;
}

const char *ccs_outdir_workdir(struct ccs_outdir *o, struct ccs_diag *d)
{
    if (o->work != NULL)
        return o->work;
    char *w = join(o->dir, "", ".ccsim-work-XXXXXX", "");
    if (w == NULL) {
        ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
        return NULL;
    }
    if (mkdtemp(w) == NULL) {
        ccs_diag_at(d, CCS_EIO, o->dir, 0, 0, "cannot create a work directory: %s",
                    strerror(errno));
        free(w);
        return NULL;
    }
    o->work = w;
    return w;
}

int ccs_outdir_adopt(struct ccs_outdir *o, const char *rel, const char *name, struct ccs_diag *d)
{
    if (o->work == NULL)
        return ccs_diag_at(d, CCS_ESTATE, NULL, 0, 0, "internal: adopt without a work directory");
    if (o->n == MAX_FILES)
        return ccs_diag_at(d, CCS_EIO, o->dir, 0, 0, "too many output files");
    char *tmp = join(o->work, "", rel, ""), *fin = join(o->dir, "", name, "");
    if (tmp == NULL || fin == NULL) {
        free(tmp);
        free(fin);
        return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    }
    o->f[o->n] = NULL;
    o->tmp[o->n] = tmp;
    o->final[o->n] = fin;
    o->adopted[o->n] = true;
    o->n++;
    return 0;
}

static void release(struct ccs_outdir *o, bool unlink_tmp)
{
    for (size_t i = 0; i < o->n; i++) {
        if (o->f[i] != NULL)
            fclose(o->f[i]);
        if (unlink_tmp && !o->adopted[i])
            unlink(o->tmp[i]);
        free(o->tmp[i]);
        free(o->final[i]);
    }
    if (o->work != NULL)
        remove_tree(o->work, 0); /* adopted entries not moved yet, and scratch files */
    free(o->work);
    free(o->dir);
    free(o);
}

void ccs_outdir_abort(struct ccs_outdir *o)
{
    if (o != NULL)
        release(o, true);
}

/*
 * Move an adopted entry into place. A directory replaces an existing
 * directory of that name as a whole (the old one is moved into the work
 * directory, which is removed afterwards), so it never mixes old and new files.
 */
static int place(struct ccs_outdir *o, size_t i, struct ccs_diag *d)
{
    struct stat src, dst;
    if (lstat(o->tmp[i], &src) != 0)
        return ccs_diag_at(d, CCS_EIO, o->final[i], 0, 0, "cannot write: %s", strerror(errno));
    if (S_ISDIR(src.st_mode) && lstat(o->final[i], &dst) == 0) {
        if (!S_ISDIR(dst.st_mode))
            return ccs_diag_at(d, CCS_EIO, o->final[i], 0, 0,
                               "cannot replace: exists and is not a directory");
        char num[32];
        snprintf(num, sizeof num, "%zu", i);
        char *old = join(o->work, ".replaced-", num, "");
        if (old == NULL)
            return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
        int rc = rename(o->final[i], old);
        if (rc == 0 && rename(o->tmp[i], o->final[i]) != 0) {
            int e = errno;
            rename(old, o->final[i]); /* put the old one back */
            errno = e;
            rc = -1;
        }
        free(old);
        if (rc != 0)
            return ccs_diag_at(d, CCS_EIO, o->final[i], 0, 0, "cannot rename into place: %s",
                               strerror(errno));
        return 0;
    }
    if (rename(o->tmp[i], o->final[i]) != 0)
        return ccs_diag_at(d, CCS_EIO, o->final[i], 0, 0, "cannot rename into place: %s",
                           strerror(errno));
    return 0;
}

/* Will every rename succeed as far as we can tell? Checked before the first
   rename, so the usual obstacles (a directory where a file goes, or the
   reverse) fail the transaction before anything is replaced. */
static int precheck(const struct ccs_outdir *o, struct ccs_diag *d)
{
    for (size_t i = 0; i < o->n; i++) {
        struct stat src, dst;
        if (lstat(o->final[i], &dst) != 0)
            continue;
        bool dir = o->adopted[i] && lstat(o->tmp[i], &src) == 0 && S_ISDIR(src.st_mode);
        if (dir && !S_ISDIR(dst.st_mode))
            return ccs_diag_at(d, CCS_EIO, o->final[i], 0, 0,
                               "cannot replace: exists and is not a directory");
        if (!dir && S_ISDIR(dst.st_mode))
            return ccs_diag_at(d, CCS_EIO, o->final[i], 0, 0,
                               "cannot replace: exists and is a directory");
    }
    return 0;
}

int ccs_outdir_commit(struct ccs_outdir *o, struct ccs_diag *d)
{
    if (precheck(o, d) != 0) {
        release(o, true);
        return CCS_EIO;
    }
    for (size_t i = 0; i < o->n; i++) {
        FILE *f = o->f[i];
        if (f == NULL) {
            int e = sync_path(o->tmp[i]);
            if (e != 0) {
                ccs_diag_at(d, CCS_EIO, o->final[i], 0, 0, "cannot write: %s", strerror(e));
                release(o, true);
                return CCS_EIO;
            }
            continue;
        }
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
        if (o->adopted[i] ? place(o, i, d) != 0 : rename(o->tmp[i], o->final[i]) != 0) {
            if (!o->adopted[i])
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
