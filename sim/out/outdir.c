/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * outdir.c - all-or-nothing output directories and atomic single files:
 * write to hidden temporaries in the target directory (same filesystem),
 * fsync, then switch. An output directory is switched whole: a fresh
 * sibling receives the new files and hard links to every other entry of
 * the old one, and one renameat2(RENAME_EXCHANGE) puts it in place, so a
 * kill at any moment leaves the old directory or the new one, never a mix.
 * Single files (--trace) are renamed one by one. Files made by other
 * programs (gnuplot's charts) are produced in a private work directory and
 * adopted. Temporaries of dead processes (their pid in the name) are removed.
 */
#include "ccs/report.h"
#include "fmt/fileio.h"
#include "ccs/mem.h"
#include "out/outdir_impl.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#define MAX_FILES 256

struct ccs_outdir {
    char *dir;
    char *real;          /* dir resolved (symbolic links followed): what is switched */
    bool single;         /* files renamed one by one; the directory is never switched */
    size_t created;      /* dir[0..created) is the topmost folder open made, or 0 */
    char *work;          /* private work directory inside dir, or NULL */
    size_t n;
    FILE *f[MAX_FILES];  /* NULL for adopted entries */
    char *tmp[MAX_FILES];
    char *final[MAX_FILES];
    bool adopted[MAX_FILES];
};

static char *join(const char *dir, const char *prefix, const char *name, const char *suffix)
{
    if (strcmp(dir, ".") == 0) /* "t.csv", not "./t.csv", in messages */
        dir = "";
    size_t n = strlen(dir) + strlen(prefix) + strlen(name) + strlen(suffix) + 2;
    char *p = ccs_malloc(n);
    if (p != NULL)
        snprintf(p, n, "%s%s%s%s%s", dir, *dir ? "/" : "", prefix, name, suffix);
    return p;
}

/* rmdir path and its parents down to its first len bytes: the folders a
   make_dirs call made (only empty ones go) */
static void unmake_dirs(const char *path, size_t len)
{
    char buf[4096];
    size_t n = strlen(path);
    if (len == 0 || n >= sizeof buf)
        return;
    memcpy(buf, path, n + 1);
    while (n >= len && rmdir(buf) == 0) {
        while (n > 0 && buf[n - 1] != '/')
            n--;
        while (n > 0 && buf[n - 1] == '/')
            n--;
        buf[n] = '\0';
    }
}

/* mkdir -p; *created is the length of the first prefix of path it made
   (0: none), so that a failed command can take its folders back */
static int make_dirs(const char *path, size_t *created)
{
    char buf[4096];
    size_t n = strlen(path);
    *created = 0;
    if (n == 0 || n >= sizeof buf)
        return ENAMETOOLONG;
    memcpy(buf, path, n + 1);
    int e = 0;
    for (char *p = buf + 1; e == 0; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char c = *p;
        *p = '\0';
        if (p[-1] != '/' && mkdir(buf, 0777) == 0) {
            if (*created == 0)
                *created = (size_t)(p - buf);
        } else if (p[-1] != '/' && errno != EEXIST) {
            e = errno;
        }
        *p = c;
        if (c == '\0')
            break;
    }
    struct stat st;
    if (e == 0 && stat(buf, &st) != 0)
        e = errno;
    else if (e == 0 && !S_ISDIR(st.st_mode))
        e = ENOTDIR;
    if (e != 0) {
        unmake_dirs(path, *created);
        *created = 0;
    }
    return e;
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
            /* no allocation: this also cleans up after an out-of-memory */
            char sub[PATH_MAX];
            if (snprintf(sub, sizeof sub, "%s/%s", path, e->d_name) < (int)sizeof sub)
                remove_tree(sub, depth + 1);
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

/* The pid at the end of name after prefix-free suffix tag ("...TAGdigits"), or 0. */
static long pid_after(const char *name, const char *tag)
{
    const char *p = strstr(name, tag);
    if (p == NULL)
        return 0;
    p += strlen(tag);
    char *end;
    long pid = strtol(p, &end, 10);
    return end != p && (*end == '\0' || *end == '-') && pid > 0 ? pid : 0;
}

/* A process that no longer exists (ESRCH): its temporaries are debris. */
static bool dead(long pid)
{
    return pid > 0 && pid != (long)getpid() && kill((pid_t)pid, 0) != 0 && errno == ESRCH;
}

/* Is name one of ccsim's temporaries in an output directory, and whose?
   ".NAME.ccsim-tmp-PID", ".ccsim-work-PID-XXXXXX", and ".NAME.tmpPID" of
   earlier versions. */
static long temp_owner(const char *name, bool legacy)
{
    if (name[0] != '.')
        return 0;
    long pid = pid_after(name, ".ccsim-tmp-");
    if (pid == 0 && strncmp(name, ".ccsim-work-", 12) == 0)
        pid = pid_after(name, ".ccsim-work-");
    if (pid == 0 && legacy) {
        const char *t = strrchr(name, '.');
        if (t != NULL && strncmp(t, ".tmp", 4) == 0)
            pid = pid_after(t, ".tmp");
    }
    return pid;
}

/* Remove what dead ccsim processes left in dir (a kill -9 mid-write):
   their temporaries in it (base NULL; legacy: also ".NAME.tmpPID", only in
   an output directory), or, in its parent, only the new directory of a
   switch of base (".BASE.ccsim-new-PID"). */
static void clean_stale(const char *dir, const char *base, bool legacy)
{
    DIR *dp = opendir(dir);
    if (dp == NULL)
        return;
    struct dirent *e;
    size_t bl = base ? strlen(base) : 0;
    while ((e = readdir(dp)) != NULL) {
        long pid = 0;
        if (base == NULL)
            pid = temp_owner(e->d_name, legacy);
        else if (e->d_name[0] == '.' && strncmp(e->d_name + 1, base, bl) == 0 &&
                 strncmp(e->d_name + 1 + bl, ".ccsim-new-", 11) == 0)
            pid = pid_after(e->d_name + 1 + bl, ".ccsim-new-");
        if (!dead(pid))
            continue;
        char *sub = join(dir, "", e->d_name, "");
        if (sub != NULL)
            remove_tree(sub, 0);
        free(sub);
    }
    closedir(dp);
}

/* The parent directory and last component of path (no trailing slash). */
static void split_path(const char *path, char *parent, size_t pcap, char *base, size_t bcap)
{
    char buf[PATH_MAX];
    snprintf(buf, sizeof buf, "%s", path);
    size_t n = strlen(buf);
    while (n > 1 && buf[n - 1] == '/')
        buf[--n] = '\0';
    char *slash = strrchr(buf, '/');
    if (slash == NULL) {
        snprintf(parent, pcap, ".");
        snprintf(base, bcap, "%s", buf);
    } else {
        snprintf(base, bcap, "%s", slash + 1);
        if (slash == buf)
            snprintf(parent, pcap, "/");
        else {
            *slash = '\0';
            snprintf(parent, pcap, "%s", buf);
        }
    }
}

/*
 * Recreate src at dst without copying data: a regular file is hard-linked
 * (copied if the filesystem refuses links), a directory recreated with its
 * entries linked, a symbolic link recreated, a FIFO made anew. Returns 0 or
 * an errno.
 */
static int link_tree(const char *src, const char *dst, int depth)
{
    struct stat st;
    if (lstat(src, &st) != 0)
        return errno == ENOENT ? 0 : errno; /* gone meanwhile: nothing to keep */
    if (S_ISREG(st.st_mode)) {
        if (link(src, dst) == 0)
            return 0;
        int in = open(src, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        int outfd = in < 0 ? -1 : open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
                                       st.st_mode & 07777);
        int rc = in < 0 || outfd < 0 ? errno : 0;
        char buf[65536];
        for (ssize_t got; rc == 0 && (got = read(in, buf, sizeof buf)) != 0;) {
            if (got < 0 || write(outfd, buf, (size_t)got) != got)
                rc = errno ? errno : EIO;
        }
        if (in >= 0)
            close(in);
        if (outfd >= 0 && close(outfd) != 0 && rc == 0)
            rc = errno;
        return rc;
    }
    if (S_ISLNK(st.st_mode)) {
        char target[PATH_MAX];
        ssize_t n = readlink(src, target, sizeof target - 1);
        if (n < 0)
            return errno;
        target[n] = '\0';
        return symlink(target, dst) == 0 ? 0 : errno;
    }
    if (S_ISFIFO(st.st_mode))
        return mkfifo(dst, st.st_mode & 07777) == 0 ? 0 : errno;
    if (!S_ISDIR(st.st_mode))
        return 0; /* a device or socket in an output directory is not kept */
    if (depth > 32)
        return ELOOP;
    if (mkdir(dst, st.st_mode & 07777) != 0)
        return errno;
    DIR *dp = opendir(src);
    if (dp == NULL)
        return errno;
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(dp)) != NULL) {
        if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
            continue;
        char *s2 = join(src, "", e->d_name, ""), *d2 = join(dst, "", e->d_name, "");
        rc = s2 && d2 ? link_tree(s2, d2, depth + 1) : ENOMEM;
        free(s2);
        free(d2);
    }
    closedir(dp);
    return rc;
}

static int open_common(const char *dir, bool single, struct ccs_outdir **out, struct ccs_diag *d)
{
    *out = NULL;
    size_t created;
    int e = make_dirs(dir, &created);
    if (e != 0)
        return ccs_diag_at(d, CCS_EIO, dir, 0, 0, "cannot create output directory: %s",
                           strerror(e));
    if (access(dir, W_OK | X_OK) != 0) {
        e = errno;
        unmake_dirs(dir, created);
        return ccs_diag_at(d, CCS_EIO, dir, 0, 0, "output directory is not writable: %s",
                           strerror(e));
    }
    struct ccs_outdir *o = ccs_calloc(1, sizeof *o);
    if (o == NULL || (o->dir = ccs_malloc(strlen(dir) + 1)) == NULL) {
        free(o);
        unmake_dirs(dir, created);
        return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
    }
    strcpy(o->dir, dir);
    o->created = created;
    o->single = single;
    o->real = single ? NULL : realpath(dir, NULL);
    if (!single && o->real == NULL)
        o->single = true; /* cannot resolve it: replace file by file */
    clean_stale(dir, NULL, !single);
    if (o->real != NULL) {
        char parent[PATH_MAX], base[NAME_MAX + 1];
        split_path(o->real, parent, sizeof parent, base, sizeof base);
        clean_stale(parent, base, false);
    }
    *out = o;
    return 0;
}

int ccs_outdir_open(const char *dir, struct ccs_outdir **out, struct ccs_diag *d)
{
    return open_common(dir, false, out, d);
}

int ccs_outdir_open_single(const char *dir, struct ccs_outdir **out, struct ccs_diag *d)
{
    return open_common(dir, true, out, d);
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
    snprintf(pid, sizeof pid, ".ccsim-tmp-%ld", (long)getpid());
    char *tmp = join(o->dir, ".", name, pid), *fin = join(o->dir, "", name, "");
    if (tmp == NULL || fin == NULL) {
        ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
        free(tmp);
        free(fin);
        return NULL;
    }
    if (!ccs__output_ok(fin, NULL, d)) {
        free(tmp);
        free(fin);
        return NULL;
    }
    FILE *f = fopen(tmp, "w");
    if (f == NULL) {
        ccs_diag_at(d, CCS_EIO, fin, 0, 0, "cannot write: %s", strerror(errno));
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
    char pat[64];
    snprintf(pat, sizeof pat, ".ccsim-work-%ld-XXXXXX", (long)getpid());
    char *w = join(o->dir, "", pat, "");
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
    if (unlink_tmp)
        unmake_dirs(o->dir, o->created); /* a failed command leaves no new empty folder */
    free(o->work);
    free(o->dir);
    free(o->real);
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
        /* a symbolic link, FIFO or device appeared since the file was opened:
           rename would replace it, never write through it, but neither is wanted */
        if (!dir && !ccs__output_ok(o->final[i], NULL, d))
            return CCS_EIO;
    }
    return 0;
}

#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE (1 << 1)
#endif

static const char *base_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

/* Is name an entry this transaction writes (or its temporary)? */
static bool ours(const struct ccs_outdir *o, const char *name)
{
    for (size_t i = 0; i < o->n; i++)
        if (strcmp(base_of(o->final[i]), name) == 0 ||
            (!o->adopted[i] && strcmp(base_of(o->tmp[i]), name) == 0))
            return true;
    return o->work != NULL && strcmp(base_of(o->work), name) == 0;
}

/*
 * Switch the whole directory (see the file comment). The rule: the entries
 * this transaction writes are replaced; every other entry of the directory
 * (another command's outputs, the user's own files) is kept, hard-linked
 * into the new directory; ccsim's temporaries are not carried over. Returns
 * 0, or CCS_EIO with d; *unsupported when the filesystem cannot exchange
 * (the caller then replaces file by file, the new files still in place).
 */
static int switch_dir(struct ccs_outdir *o, bool *unsupported, struct ccs_diag *d)
{
    *unsupported = false;
    char parent[PATH_MAX], base[NAME_MAX + 1], fresh[PATH_MAX + NAME_MAX + 40];
    split_path(o->real, parent, sizeof parent, base, sizeof base);
    snprintf(fresh, sizeof fresh, "%s/.%s.ccsim-new-%ld", parent, base, (long)getpid());
    struct stat st;
    if (stat(o->real, &st) != 0 || mkdir(fresh, st.st_mode & 07777) != 0)
        return ccs_diag_at(d, CCS_EIO, o->dir, 0, 0, "cannot create a new directory beside it: %s",
                           strerror(errno));
    int e = 0;
    DIR *dp = opendir(o->real);
    if (dp == NULL)
        e = errno;
    for (struct dirent *ent; e == 0 && dp != NULL && (ent = readdir(dp)) != NULL;) {
        const char *nm = ent->d_name;
        if (strcmp(nm, ".") == 0 || strcmp(nm, "..") == 0 || ours(o, nm) || temp_owner(nm, true) != 0)
            continue;
        char *src = join(o->real, "", nm, ""), *dst = join(fresh, "", nm, "");
        e = src && dst ? link_tree(src, dst, 0) : ENOMEM;
        free(src);
        free(dst);
    }
    if (dp != NULL)
        closedir(dp);
    for (size_t i = 0; e == 0 && i < o->n; i++) {
        char *dst = join(fresh, "", base_of(o->final[i]), "");
        e = dst == NULL ? ENOMEM : rename(o->tmp[i], dst) != 0 ? errno : 0;
        free(dst);
    }
    if (e == 0)
        e = ccs__fsync_dir(fresh);
    if (e == 0 && syscall(SYS_renameat2, AT_FDCWD, fresh, AT_FDCWD, o->real, RENAME_EXCHANGE) != 0) {
        e = errno;
        if (e == EINVAL || e == ENOSYS || e == EXDEV || e == EBUSY) {
            /* no exchange here (an old kernel, some filesystems, a mount
               point): bring the new files back and replace them one by one */
            int back = 0;
            for (size_t i = 0; i < o->n; i++) {
                char *src = join(fresh, "", base_of(o->final[i]), "");
                if (src == NULL)
                    back = ENOMEM;
                else if (rename(src, o->tmp[i]) != 0)
                    back = EIO;
                free(src);
            }
            if (back == 0) {
                remove_tree(fresh, 0);
                *unsupported = true;
                return 0;
            }
            e = back;
        }
    }
    if (e != 0) {
        remove_tree(fresh, 0);
        if (e == ENOMEM)
            return ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
        return ccs_diag_at(d, CCS_EIO, o->dir, 0, 0, "cannot switch in the new outputs: %s",
                           strerror(e));
    }
    (void)ccs__fsync_dir(parent);
    remove_tree(fresh, 0); /* the old directory, now under the temporary name */
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
                if (e == ENOMEM) /* an adopted folder's file names */
                    ccs_diag_at(d, CCS_ENOMEM, NULL, 0, 0, "out of memory");
                else
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
    if (!o->single && o->n > 0) {
        bool unsupported;
        if (switch_dir(o, &unsupported, d) != 0) {
            release(o, true);
            return CCS_EIO;
        }
        if (!unsupported) {
            release(o, false);
            return 0;
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
    ccs__dir_of(path, dir, sizeof dir);
    const char *slash = strrchr(path, '/');
    struct ccs_outdir *o;
    int rc = ccs_outdir_open_single(dir, &o, d);
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

int ccs__outdir_keep(const char *src, const char *dst)
{
    return link_tree(src, dst, 0);
}
